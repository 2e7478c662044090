/*
 * test-analysis.c -- the analysis of the ledger's own records
 * (core/analysis.c) and the days people give (core_day_parse): a day is
 * read in the policy's zone whatever the machine's, a period finds its
 * first entry (none before it is read, an empty period reads nothing),
 * failed logins count with the one that locked the terminal marked, an
 * operator's entry outside the allowed hours counts and the system's
 * does not, and review.done's counts text.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "testlib.h"

static time_t
utc(const char *s)
{
	time_t	 t;

	assert_int_equal(when_parse_utc(s, &t), 0);
	return t;
}

struct fixture {
	char		*base, *dir;
	struct store	*s;
};

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	f->base = scratch_dir();
	xasprintf(&f->dir, "%s/data", f->base);
	init_store(f->dir);
	f->s = open_store(f->dir, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->s);
	rm_rf(f->base);
	free(f->dir);
	free(f->base);
	free(f);
	return 0;
}

static void
sql(struct store *s, const char *q)
{
	char	*cause = NULL;

	if (store_exec(s, q, &cause) != 0)
		fail_msg("%s: %s", q, cause);
}

static void
test_day_parse(void **state)
{
	static const char *const bad[] = {
		"2027-02-30", "2027-1-05", "2027-01-05T15:00:00",
		"2027-01-05 15:00:00Z", "2027-01-05T15:00:00+09:00", "today",
		"2027-02-30T00:00:00Z", "2026-12-31T23:59:60Z",
		"", NULL,
	};
	struct fixture	*f = *state;
	char		*cause = NULL, day[16];
	time_t		 t;
	size_t		 i;

	/* The machine's zone is neither the policy's nor UTC. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_int_equal(core_day_parse(f->s, "2027-01-05", 0, &t, &cause), 0);
	assert_int_equal(t, utc("2027-01-04T15:00:00Z"));	/* Tokyo */
	assert_int_equal(core_day_parse(f->s, "2027-01-05", 1, &t, &cause), 0);
	assert_int_equal(t, utc("2027-01-05T15:00:00Z"));
	assert_int_equal(core_day_parse(f->s, "2027-01-05T03:04:05Z", 1, &t,
	    &cause), 0);
	assert_int_equal(t, utc("2027-01-05T03:04:05Z"));
	for (i = 0; bad[i] != NULL; i++) {
		if (core_day_parse(f->s, bad[i], 0, &t, &cause) == 0)
			fail_msg("\"%s\" was taken", bad[i]);
		check_cause(cause, "is not a day");
		free(cause);
		cause = NULL;
	}
	assert_int_equal(core_day_text(f->s, utc("2027-01-04T15:00:00Z"), day,
	    sizeof day, &cause), 0);
	assert_string_equal(day, "2027-01-05");
	assert_string_equal(getenv("TZ"), "America/New_York");
	/* Another zone in the policy: its days. */
	sql(f->s, "INSERT INTO policy VALUES ('*', '*', 'timezone', 'UTC', 1)");
	assert_int_equal(core_day_parse(f->s, "2027-01-05", 0, &t, &cause), 0);
	assert_int_equal(t, utc("2027-01-05T00:00:00Z"));
	setenv("TZ", "UTC", 1);
	tzset();
}

struct hits {
	int		 n;
	uint64_t	 idx[16];
	unsigned	 cats[16];
	int		 locked[16];
};

static void
hit(void *arg, const struct core_analysis_hit *h)
{
	struct hits	*x = arg;

	if (x->n > 0)
		assert_true(h->e->index > x->idx[x->n - 1]);	/* in order */
	assert_true(x->n < 16);
	x->idx[x->n] = h->e->index;
	x->cats[x->n] = h->cats;
	x->locked[x->n++] = h->locked;
	if (h->locked)
		assert_non_null(strstr(h->why, "which locked the terminal"));
}

static void
test_analysis(void **state)
{
	static const char *const days[] = {
		"sun", "mon", "tue", "wed", "thu", "fri", "sat"
	};
	struct fixture		*f = *state;
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct core_actor	 admin = { "alice", NULL };
	struct store_args	 a = { 0 };
	struct core_analysis	 res;
	struct core_config	 cfg;
	struct hits		 x;
	struct tm		 tm;
	char			*cause = NULL, q[256], counts[128];
	time_t			 now = time(NULL);
	uint64_t		 size;
	int			 i;

	/* Allowed only the day after tomorrow, a minute: now is outside. */
	gmtime_r(&now, &tm);
	snprintf(q, sizeof q, "INSERT INTO policy VALUES ('*', '*', "
	    "'allowed_hours', '%s 00:00-00:01', 1), ('*', '*', 'timezone', "
	    "'UTC', 1)", days[(tm.tm_wday + 2) % 7]);
	sql(f->s, q);
	store_args_add(&a, "name", "alice");
	store_args_add(&a, "role", "admin");
	if (core_run(f->s, "operator.add", &sys, &a, NULL, &cause) != 0)
		fail_msg("%s", cause);
	for (i = 0; i < 4; i++) {
		if (core_session_failure(f->s, i < 3 ? "t1" : "t2", "alice",
		    "denied", &cause) != 0)
			fail_msg("%s", cause);
	}
	memset(&a, 0, sizeof a);
	store_args_add(&a, "name", "bob");
	store_args_add(&a, "role", "auditor");
	if (core_run(f->s, "operator.add", &admin, &a, NULL, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(store_ledger_size(f->s, &size, &cause), 0);

	core_config_defaults(&cfg);
	cfg.login_attempts = 3;
	cfg.lockout_minutes = 15;
	memset(&x, 0, sizeof x);
	assert_int_equal(core_analysis_run(f->s, &cfg, now - 60, now + 60, hit,
	    &x, &res, &cause), 0);
	assert_int_equal(res.entries, size);
	assert_int_equal(res.first, 0);
	assert_int_equal(res.end, size);
	assert_int_equal(res.n[CORE_AN_FAILED], 4);
	assert_int_equal(res.lockouts, 1);		/* t1's third */
	assert_int_equal(res.n[CORE_AN_OUT_OF_HOURS], 1);	/* alice's */
	assert_int_equal(res.n[CORE_AN_PRIVILEGED], 0);
	assert_int_equal(x.n, 5);
	assert_int_equal(x.locked[2], 1);
	assert_int_equal(x.locked[0] + x.locked[1] + x.locked[3], 0);
	assert_int_equal(x.cats[4], 1u << CORE_AN_OUT_OF_HOURS);
	core_analysis_counts(&res, counts, sizeof counts);
	assert_string_equal(counts, "failed=4,out_of_hours=1,privileged=0,"
	    "emergency=0,exports=0");

	/* Without the configuration no failure is judged to lock. */
	assert_int_equal(core_analysis_run(f->s, NULL, now - 60, now + 60,
	    NULL, NULL, &res, &cause), 0);
	assert_int_equal(res.lockouts, 0);
	assert_int_equal(res.n[CORE_AN_FAILED], 4);

	/* A period before every entry: found at the end, nothing read. */
	assert_int_equal(core_analysis_run(f->s, &cfg, now - 7200, now - 3600,
	    NULL, NULL, &res, &cause), 0);
	assert_int_equal(res.entries, 0);
	assert_int_equal(res.hits, 0);
	/* A period after every entry. */
	assert_int_equal(core_analysis_run(f->s, &cfg, now + 3600, now + 7200,
	    NULL, NULL, &res, &cause), 0);
	assert_int_equal(res.entries, 0);
	assert_int_equal(res.first, size);
	/* An empty period. */
	assert_int_equal(core_analysis_run(f->s, &cfg, now + 60, now - 60,
	    NULL, NULL, &res, &cause), 0);
	assert_int_equal(res.entries, 0);

	/* Any hours: nobody is out of them. */
	sql(f->s, "UPDATE policy SET value = 'any' WHERE key = "
	    "'allowed_hours'");
	assert_int_equal(core_analysis_run(f->s, &cfg, now - 60, now + 60,
	    NULL, NULL, &res, &cause), 0);
	assert_int_equal(res.n[CORE_AN_OUT_OF_HOURS], 0);
	assert_int_equal(core_analysis_category("exports"), CORE_AN_EXPORTS);
	assert_int_equal(core_analysis_category("nothing"), -1);
	core_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_day_parse, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_analysis, setup,
		    teardown),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
