/*
 * bench-stkreport.c -- the sealed review list of a stocktake of a whole
 * city, made in process as the console and the CLI make it: a stocktake
 * of every ID started, every item decided, the campaign closed by two
 * people, and its package gathered.
 *
 *	bench-stkreport DIR [FILTER]
 *
 * DIR is a city made by "mkcity manual" (600,000 IDs in bench/run).  The
 * demo admin starts a stocktake of every ID (unless one is already open,
 * as bench-stocktake leaves it), decides "revoke" for the items FILTER
 * matches (by default one department on one system: of 600,000 IDs over
 * three systems and sixteen departments, about 12,500), then "keep" for
 * every item left undecided, each in one stocktake.decide; the demo admin with the demo approver closes it (the
 * review list made and sealed by its SHA-256).  Prints "name value"
 * lines: stkreport.campaign, stkreport.items, stkreport.revoked,
 * stkreport.start_s, stkreport.decide_s, stkreport.close_s,
 * stkreport.txt_bytes, stkreport.csv_bytes, stkreport.package_s.  The
 * package itself is written by "daicho report stocktake N --out DIR".
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
	fprintf(stderr, "bench-stkreport: %s: %s\n", what,
	    cause != NULL ? cause : "none");
	free(cause);
	exit(1);
}

static void
open_cb(void *arg, const struct core_stocktake *c)
{
	uint64_t	*idx = arg;

	if (strcmp(c->state, "open") == 0)
		*idx = c->idx;
}

/* The open campaign's number, or a new one of every ID. */
static uint64_t
campaign(struct store *s, double *took)
{
	struct core_actor	 admin = { CORE_DEMO_ADMIN, NULL };
	struct store_args	 a = { 0 };
	struct core_stocktake	 c;
	char			*cause = NULL, deadline[11];
	time_t			 t = time(NULL) + 30 * 86400;
	struct tm		 tm;
	uint64_t		 idx = 0;
	size_t			 count;
	double			 t0;

	*took = 0;
	if (core_stocktake_list(s, open_cb, &idx, &count, &cause) != 0)
		die("stocktake list", cause);
	if (idx != 0)
		return idx;
	localtime_r(&t, &tm);
	strftime(deadline, sizeof deadline, "%Y-%m-%d", &tm);
	store_args_add(&a, "scope", "all");
	store_args_add(&a, "deadline", deadline);
	store_args_add(&a, "title", "bench");
	t0 = now();
	if (core_run(s, "stocktake.start", &admin, &a, &idx, &cause) != 0)
		die("stocktake.start", cause);
	*took = now() - t0;
	if (core_stocktake_get(s, idx, &c, &cause) != 0)
		die("stocktake", cause);
	return idx;
}

/* One stocktake.decide by filter. */
static void
decide(struct store *s, uint64_t n, const char *filter, const char *d,
    const char *reason)
{
	struct core_actor	 admin = { CORE_DEMO_ADMIN, NULL };
	struct store_args	 a = { 0 };
	char			*cause = NULL, num[24];
	uint64_t		 idx;

	snprintf(num, sizeof num, "%llu", (unsigned long long)n);
	store_args_add(&a, "campaign", num);
	store_args_add(&a, "filter", filter);
	store_args_add(&a, "decision", d);
	store_args_add(&a, "reason", reason);
	if (core_run(s, "stocktake.decide", &admin, &a, &idx, &cause) != 0)
		die("stocktake.decide", cause);
}

static void
close_it(struct store *s, uint64_t n)
{
	struct core_actor	 who = { CORE_DEMO_ADMIN, CORE_DEMO_APPROVER };
	struct store_args	 a = { 0 };
	char			*cause = NULL, num[24];
	uint64_t		 idx;

	snprintf(num, sizeof num, "%llu", (unsigned long long)n);
	store_args_add(&a, "campaign", num);
	if (core_run(s, "stocktake.close", &who, &a, &idx, &cause) != 0)
		die("stocktake.close", cause);
}

int
main(int argc, char **argv)
{
	struct core_config	 cfg;
	struct core_report_pkg	 p;
	struct core_stocktake	 c;
	struct store		*s;
	const char		*filter = "system=city-3,department=議会事務局";
	char			*cause = NULL, key[24];
	int64_t			 done, total;
	uint64_t		 n;
	double			 t0, t1, t2, t3, start;

	xmalloc_init();
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: bench-stkreport DIR [FILTER]\n");
		return 2;
	}
	if (argc == 3)
		filter = argv[2];
	if (sodium_init() < 0)
		return 1;
	core_config_defaults(&cfg);
	core_stocktake_config(&cfg);
	core_config_free(&cfg);
	if ((s = store_open(argv[1], 0, &cause)) == NULL)
		die(argv[1], cause);
	n = campaign(s, &start);
	t0 = now();
	if (filter[0] != '\0')
		decide(s, n, filter, "revoke", "bench: not needed");
	if (core_stocktake_progress(s, n, &done, &total, &cause) != 0)
		die("progress", cause);
	decide(s, n, "decided=no", "keep", "bench: still needed");
	t1 = now();
	close_it(s, n);
	t2 = now();
	snprintf(key, sizeof key, "%llu", (unsigned long long)n);
	if (core_report_package(s, "stocktake", key, &p, &cause) != 0)
		die("package", cause);
	t3 = now();
	if (core_stocktake_get(s, n, &c, &cause) != 0)
		die("stocktake", cause);
	printf("stkreport.campaign %llu\nstkreport.items %lld\n"
	    "stkreport.revoked %lld\nstkreport.start_s %.3f\n"
	    "stkreport.decide_s %.3f\nstkreport.close_s %.3f\n"
	    "stkreport.txt_bytes %zu\nstkreport.csv_bytes %zu\n"
	    "stkreport.package_s %.3f\n", (unsigned long long)n,
	    (long long)c.items, (long long)done, start, t1 - t0, t2 - t1,
	    p.txtlen, p.csvlen, t3 - t2);
	core_report_package_free(&p);
	store_close(s);
	return 0;
}
