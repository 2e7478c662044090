/*
 * bench-sweep.c -- daicho sweep on a synthetic city, timed in process.
 *
 *	bench-sweep DIR N
 *
 * DIR is a city made by "mkcity manual" (600,000 IDs in bench/run).  N of
 * its active IDs are given an end date that has passed (id.end_date, by
 * its demo admin, in one transaction), so that N items are due.  Then
 * the sweep, as "daicho sweep" runs it after opening the store: every part,
 * each due item recorded and its target operation queued in the outbox
 * (not carried out: that is the targets' time, measured by the lockout
 * figures).  Then a second sweep, with nothing due, as the timer runs it
 * every minute and the console as it starts.  Prints "name value" lines:
 * sweep.due, sweep.expired, sweep.queued, sweep.s, sweep.idle_s,
 * sweep.ids.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "common.h"
#include "store.h"
#include "core.h"

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static DAICHO_NORETURN void
die(const char *what, char *cause)
{
	fprintf(stderr, "bench-sweep: %s: %s\n", what, cause);
	free(cause);
	exit(1);
}

static void
print_failed(void *arg, const char *why)
{
	(void)arg;
	fprintf(stderr, "bench-sweep: %s\n", why);
}

static int64_t
count(struct store *s, const char *sql)
{
	struct store_stmt	*st;
	char			*cause = NULL;
	int64_t			 n = 0;

	if ((st = store_prepare(s, sql, &cause)) == NULL)
		die("count", cause);
	if (store_step(st, &cause) == STORE_ROW)
		n = store_col_int(st, 0);
	store_finalize(st);
	return n;
}

/* n active IDs end yesterday: the items the sweep finds due. */
static void
make_due(struct store *s, int64_t n)
{
	struct core_actor	 admin = { CORE_DEMO_ADMIN, NULL };
	struct store_stmt	*st;
	struct store_args	 a;
	char			*cause = NULL, **v = NULL, yesterday[11];
	time_t			 t = time(NULL) - 86400;
	struct tm		 tm;
	size_t			 nv = 0, i;

	localtime_r(&t, &tm);
	strftime(yesterday, sizeof yesterday, "%Y-%m-%d", &tm);
	if ((st = store_prepare(s, "SELECT system, login FROM account WHERE "
	    "state = 'active' AND kind <> 'shared' ORDER BY login LIMIT ?",
	    &cause)) == NULL)
		die("select", cause);
	store_bind_int(st, 1, n);
	while (store_step(st, &cause) == STORE_ROW) {
		v = xreallocarray(v, nv + 2, sizeof *v);
		v[nv++] = xstrdup(store_col_text(st, 0));
		v[nv++] = xstrdup(store_col_text(st, 1));
	}
	store_finalize(st);
	if (core_begin(s, &cause) != 0)
		die("begin", cause);
	for (i = 0; i < nv; i += 2) {
		memset(&a, 0, sizeof a);
		store_args_add(&a, "system", v[i]);
		store_args_add(&a, "login", v[i + 1]);
		store_args_add(&a, "end_date", yesterday);
		if (core_run(s, "id.end_date", &admin, &a, NULL, &cause) != 0)
			die("id.end_date", cause);
	}
	if (core_commit(s, &cause) != 0)
		die("commit", cause);
	for (i = 0; i < nv; i++)
		free(v[i]);
	free(v);
}

#define PW_RUNS	9

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median time of one check, in ms; the history's depth in *depth. */
static double
passwd_check(struct store *s, int *depth)
{
	struct store_stmt	*st;
	struct core_policy	 p;
	char			*cause = NULL, system[64], login[64], old[64];
	double			 t[PW_RUNS], t0;
	int			 i;

	if ((st = store_prepare(s, "SELECT system, login FROM account WHERE "
	    "state = 'active' AND kind = 'personal' LIMIT 1", &cause)) == NULL)
		die("select", cause);
	if (store_step(st, &cause) != STORE_ROW)
		die("select", cause != NULL ? cause : xstrdup("no ID"));
	snprintf(system, sizeof system, "%s", store_col_text(st, 0));
	snprintf(login, sizeof login, "%s", store_col_text(st, 1));
	store_finalize(st);
	if (core_password_policy(s, system, login, &p, &cause) != 0)
		die("policy", cause);
	*depth = p.history;
	for (i = 0; i < p.history; i++) {
		snprintf(old, sizeof old, "Kawa-nagare-%d-Sakura", i);
		if (core_password_remember(s, system, login, old,
		    1700000000 + i, &cause) != 0)
			die("remember", cause);
	}
	for (i = 0; i < PW_RUNS; i++) {
		t0 = now();
		if (core_password_check(s, &p, system, login, NULL,
		    "Tsuki-ga-7-Kireina-Yoru", &cause) != 0)
			die("check", cause);
		t[i] = (now() - t0) * 1000.0;
	}
	qsort(t, PW_RUNS, sizeof t[0], cmp_double);
	return t[PW_RUNS / 2];
}

int
main(int argc, char **argv)
{
	struct core_config	 cfg;
	struct core_sweep	 sw;
	struct store		*s;
	char			*cause = NULL;
	int64_t			 n, q0, q1;
	size_t			 expired;
	int			 depth;
	double			 t0, t1, t2;
	const char		*errstr;
	long long		 ll;

	xmalloc_init();
	if (argc != 3 || number_parse(argv[2], 1, 1000000, &ll,
	    &errstr) != 0) {
		fprintf(stderr, "usage: bench-sweep DIR N\n");
		return 2;
	}
	n = ll;
	if (sodium_init() < 0)
		return 1;
	core_config_defaults(&cfg);
	if ((s = store_open(argv[1], 0, &cause)) == NULL)
		die(argv[1], cause);
	make_due(s, n);
	q0 = count(s, "SELECT count(*) FROM outbox");
	t0 = now();
	if (core_sweep(s, &cfg, print_failed, NULL, &sw, &cause) != 0)
		die("sweep", cause);
	t1 = now();
	expired = sw.expired;
	q1 = count(s, "SELECT count(*) FROM outbox");
	if (core_sweep(s, &cfg, print_failed, NULL, &sw, &cause) != 0)
		die("sweep", cause);
	t2 = now();
	printf("sweep.ids %lld\n", (long long)count(s,
	    "SELECT count(*) FROM account"));
	printf("sweep.due %lld\n", (long long)n);
	printf("sweep.expired %zu\n", expired);
	printf("sweep.queued %lld\n", (long long)(q1 - q0));
	printf("sweep.s %.3f\n", t1 - t0);
	printf("sweep.idle_s %.4f\n", t2 - t1);
	printf("sweep.idle_expired %zu\n", sw.expired);
	printf("passwd.check_ms %.1f\n", passwd_check(s, &depth));
	printf("passwd.history %d\n", depth);
	store_close(s);
	core_config_free(&cfg);
	return 0;
}
