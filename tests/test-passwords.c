/*
 * test-passwords.c -- rotation status (core/query-passwords.c): a live
 * ID's password is ok, due (within warn_days of max_age_days), overdue,
 * temporary, temp-expired, shared-due or unknown at a given now, from
 * when daicho set it and the policy of its system and kind (the
 * narrowest scope that sets a key); revoked IDs are not listed; the
 * dashboard's counts add up; the password findings appear where the
 * situation puts them.
 *
 * The rows are written as the actions' apply functions leave them (the
 * password columns, policy rows), so the computation is tested alone.
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

#define NOW	((int64_t)1800000000)	/* 2027-01-15 08:00 UTC */
#define DAY	((int64_t)86400)

struct fx {
	char			*base;
	char			*dir;
	struct store		*s;
	struct core_password	 v[32];
	size_t			 n;
};

static void
sql(struct fx *f, const char *fmt, ...)
{
	char	*q, *cause = NULL;
	va_list	 ap;

	va_start(ap, fmt);
	if (vasprintf(&q, fmt, ap) == -1)
		fail_msg("vasprintf");
	va_end(ap);
	if (store_exec(f->s, q, &cause) != 0)
		fail_msg("%s: %s", q, cause);
	free(q);
}

static void
system_add(struct fx *f, const char *name)
{
	sql(f, "INSERT INTO system (name, type, title, conf, integ, avail, "
	    "config, added_idx) VALUES ('%s', 'manual', '%s', 2, 2, 2, '', "
	    "1)", name, name);
}

/* An ID; set_at, temp_until: -1 for NULL. */
static void
id_add(struct fx *f, const char *system, const char *login,
    const char *kind, const char *state, int64_t set_at, int64_t temp_until,
    const char *why_due)
{
	char	 a[32], t[32];

	if (set_at < 0)
		snprintf(a, sizeof a, "NULL");
	else
		snprintf(a, sizeof a, "%lld", (long long)set_at);
	if (temp_until < 0)
		snprintf(t, sizeof t, "NULL");
	else
		snprintf(t, sizeof t, "%lld", (long long)temp_until);
	sql(f, "INSERT INTO account (system, login, kind, owner, state, "
	    "created_idx, changed_idx, password_set_at, password_set_by, "
	    "password_temp_until, must_change, password_due) VALUES ('%s', "
	    "'%s', '%s', 'E0000001', '%s', 1, 1, %s, 'demo-admin', %s, %d, "
	    "%s%s%s)", system, login, kind, state, a, t, temp_until >= 0,
	    why_due != NULL ? "'" : "", why_due != NULL ? why_due : "NULL",
	    why_due != NULL ? "'" : "");
}

static void
policy(struct fx *f, const char *system, const char *kind, const char *key,
    const char *value)
{
	sql(f, "INSERT INTO policy (system, kind, key, value, set_idx) VALUES "
	    "('%s', '%s', '%s', '%s', 1)", system, kind, key, value);
}

static int
setup(void **state)
{
	struct fx	*f = xcalloc(1, sizeof *f);

	f->base = scratch_dir();
	xasprintf(&f->dir, "%s/data", f->base);
	init_store(f->dir);
	f->s = open_store(f->dir, 0);
	system_add(f, "sys-a");
	system_add(f, "sys-b");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	store_close(f->s);
	rm_rf(f->base);
	free(f->dir);
	free(f->base);
	free(f);
	return 0;
}

static void
collect(void *arg, const struct core_password *p)
{
	struct fx	*f = arg;

	assert_true(f->n < sizeof f->v / sizeof f->v[0]);
	f->v[f->n++] = *p;
}

static void
scan(struct fx *f, int64_t now)
{
	char	*cause = NULL;

	f->n = 0;
	if (core_password_status(f->s, (time_t)now, collect, f, &cause) != 0)
		fail_msg("core_password_status: %s", cause);
}

static const struct core_password *
find(struct fx *f, const char *system, const char *login)
{
	size_t	 i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].system, system) == 0 &&
		    strcmp(f->v[i].login, login) == 0)
			return &f->v[i];
	}
	return NULL;
}

/* login on system has status want, its due date due (-1: none). */
static void
expect(struct fx *f, const char *system, const char *login, int want,
    int64_t due)
{
	const struct core_password *p = find(f, system, login);

	if (p == NULL)
		fail_msg("%s/%s is not listed", system, login);
	if (p->status != want)
		fail_msg("%s/%s is %s, wanted %s", system, login,
		    core_password_status_names[p->status],
		    core_password_status_names[want]);
	if (p->due != due)
		fail_msg("%s/%s is due at %lld, wanted %lld", system, login,
		    (long long)p->due, (long long)due);
}

/* daicho's defaults: max_age_days 90, warn_days 14. */
static void
test_defaults(void **state)
{
	struct fx	*f = *state;

	id_add(f, "sys-a", "fresh", "personal", "active", NOW - 10 * DAY, -1,
	    NULL);
	id_add(f, "sys-a", "warned", "personal", "active", NOW - 80 * DAY, -1,
	    NULL);
	id_add(f, "sys-a", "warn-edge", "personal", "active", NOW - 76 * DAY,
	    -1, NULL);
	id_add(f, "sys-a", "before-warn", "personal", "active",
	    NOW - 76 * DAY + 1, -1, NULL);
	id_add(f, "sys-a", "old", "personal", "locked", NOW - 91 * DAY, -1,
	    NULL);
	id_add(f, "sys-a", "edge", "personal", "active", NOW - 90 * DAY, -1,
	    NULL);
	id_add(f, "sys-a", "never", "service", "active", -1, -1, NULL);
	id_add(f, "sys-a", "temp", "personal", "active", NOW - 3600,
	    NOW + 3600, NULL);
	id_add(f, "sys-a", "temp-late", "personal", "active", NOW - 4 * DAY,
	    NOW - 1, NULL);
	id_add(f, "sys-a", "counter", "shared", "active", NOW - DAY, -1,
	    "E0000009 left (event 4)");
	id_add(f, "sys-a", "gone", "personal", "revoked", NOW - 400 * DAY, -1,
	    NULL);
	scan(f, NOW);
	assert_int_equal(f->n, 10);
	assert_null(find(f, "sys-a", "gone"));
	expect(f, "sys-a", "fresh", CORE_PW_OK, NOW + 80 * DAY);
	expect(f, "sys-a", "warned", CORE_PW_DUE, NOW + 10 * DAY);
	expect(f, "sys-a", "warn-edge", CORE_PW_DUE, NOW + 14 * DAY);
	expect(f, "sys-a", "before-warn", CORE_PW_OK, NOW + 14 * DAY + 1);
	expect(f, "sys-a", "old", CORE_PW_OVERDUE, NOW - DAY);
	expect(f, "sys-a", "edge", CORE_PW_OVERDUE, NOW);
	expect(f, "sys-a", "never", CORE_PW_UNKNOWN, -1);
	expect(f, "sys-a", "temp", CORE_PW_TEMPORARY, NOW + 3600);
	expect(f, "sys-a", "temp-late", CORE_PW_TEMP_EXPIRED, NOW - 1);
	expect(f, "sys-a", "counter", CORE_PW_SHARED_DUE, NOW + 89 * DAY);
	assert_int_equal(find(f, "sys-a", "fresh")->max_age_days, 90);
	assert_int_equal(find(f, "sys-a", "fresh")->warn_days, 14);
	assert_string_equal(find(f, "sys-a", "fresh")->set_by, "demo-admin");
	assert_int_equal(find(f, "sys-a", "never")->set_at, -1);
	assert_int_equal(find(f, "sys-a", "temp")->must_change, 1);

	/* The same IDs a week later: time alone moves them on. */
	scan(f, NOW + 7 * DAY);
	expect(f, "sys-a", "fresh", CORE_PW_OK, NOW + 80 * DAY);
	expect(f, "sys-a", "warned", CORE_PW_DUE, NOW + 10 * DAY);
	expect(f, "sys-a", "before-warn", CORE_PW_DUE, NOW + 14 * DAY + 1);
	expect(f, "sys-a", "temp", CORE_PW_TEMP_EXPIRED, NOW + 3600);
	scan(f, NOW + 10 * DAY);
	expect(f, "sys-a", "warned", CORE_PW_OVERDUE, NOW + 10 * DAY);
}

/* The narrowest scope that sets a key wins, key by key. */
static void
test_scopes(void **state)
{
	struct fx	*f = *state;

	policy(f, "*", "*", "max_age_days", "30");
	policy(f, "sys-b", "*", "warn_days", "2");
	policy(f, "sys-b", "privileged", "max_age_days", "7");
	policy(f, "sys-b", "personal", "max_age_days", "0");
	policy(f, "*", "service", "warn_days", "5");
	id_add(f, "sys-a", "a-personal", "personal", "active", NOW - 31 * DAY,
	    -1, NULL);
	id_add(f, "sys-a", "a-service", "service", "active", NOW - 26 * DAY,
	    -1, NULL);
	id_add(f, "sys-a", "a-service2", "service", "active", NOW - 24 * DAY,
	    -1, NULL);
	id_add(f, "sys-b", "b-admin", "privileged", "active", NOW - 8 * DAY,
	    -1, NULL);
	id_add(f, "sys-b", "b-root", "privileged", "dormant", NOW - 6 * DAY,
	    -1, NULL);
	id_add(f, "sys-b", "b-sudo", "privileged", "active", NOW - 4 * DAY,
	    -1, NULL);
	id_add(f, "sys-b", "b-personal", "personal", "active", NOW - 900 * DAY,
	    -1, NULL);
	id_add(f, "sys-b", "b-never", "personal", "active", -1, -1, NULL);
	id_add(f, "sys-b", "b-service", "service", "active", NOW - 29 * DAY,
	    -1, NULL);
	scan(f, NOW);
	assert_int_equal(f->n, 9);
	/* sys-a: max_age 30 from any scope; service warns 5 days */
	expect(f, "sys-a", "a-personal", CORE_PW_OVERDUE, NOW - DAY);
	expect(f, "sys-a", "a-service", CORE_PW_DUE, NOW + 4 * DAY);
	expect(f, "sys-a", "a-service2", CORE_PW_OK, NOW + 6 * DAY);
	/* sys-b privileged: 7 days, warned 2 days ahead (sys-b/'*') */
	expect(f, "sys-b", "b-admin", CORE_PW_OVERDUE, NOW - DAY);
	expect(f, "sys-b", "b-root", CORE_PW_DUE, NOW + DAY);
	expect(f, "sys-b", "b-sudo", CORE_PW_OK, NOW + 3 * DAY);
	assert_int_equal(find(f, "sys-b", "b-root")->max_age_days, 7);
	assert_int_equal(find(f, "sys-b", "b-root")->warn_days, 2);
	/* sys-b personal: no limit, so never due, even when never set */
	expect(f, "sys-b", "b-personal", CORE_PW_OK, -1);
	expect(f, "sys-b", "b-never", CORE_PW_OK, -1);
	/* sys-b service: sys-b/'*' warns 2, narrower than '*'/service's 5 */
	expect(f, "sys-b", "b-service", CORE_PW_DUE, NOW + DAY);
	assert_int_equal(find(f, "sys-b", "b-service")->warn_days, 2);
}

/* A status outranks another by how bad it is. */
static void
test_worst_first(void **state)
{
	struct fx	*f = *state;

	/* overdue and a user left: overdue; temporary and a user left:
	 * shared-due; an expired temporary one and a user left:
	 * temp-expired. */
	id_add(f, "sys-a", "s-old", "shared", "active", NOW - 100 * DAY, -1,
	    "E1 left");
	id_add(f, "sys-a", "s-temp", "shared", "active", NOW - 3600,
	    NOW + 3600, "E2 left");
	id_add(f, "sys-a", "s-late", "shared", "active", NOW - 4 * DAY,
	    NOW - 60, "E3 left");
	scan(f, NOW);
	expect(f, "sys-a", "s-old", CORE_PW_OVERDUE, NOW - 10 * DAY);
	expect(f, "sys-a", "s-temp", CORE_PW_SHARED_DUE, NOW + 90 * DAY -
	    3600);
	expect(f, "sys-a", "s-late", CORE_PW_TEMP_EXPIRED, NOW - 60);
	assert_string_equal(find(f, "sys-a", "s-late")->why_due, "E3 left");
}

static void
test_counts(void **state)
{
	struct fx			*f = *state;
	struct core_password_counts	 c;
	char				*cause = NULL;

	id_add(f, "sys-a", "one", "personal", "active", NOW - 100 * DAY, -1,
	    NULL);
	id_add(f, "sys-a", "two", "personal", "suspended", NOW - 95 * DAY, -1,
	    NULL);
	id_add(f, "sys-a", "three", "personal", "active", NOW - 1, NOW + 10,
	    NULL);
	id_add(f, "sys-b", "four", "personal", "active", NOW - 1, NOW - 1,
	    NULL);
	id_add(f, "sys-b", "five", "shared", "active", NOW - 1, -1, "x");
	id_add(f, "sys-b", "six", "personal", "revoked", NOW - 100 * DAY, -1,
	    NULL);
	sql(f, "UPDATE account SET must_change = 1 WHERE login = 'one'");
	if (core_password_counts(f->s, (time_t)NOW, &c, &cause) != 0)
		fail_msg("core_password_counts: %s", cause);
	assert_int_equal(c.n[CORE_PW_OVERDUE], 2);
	assert_int_equal(c.n[CORE_PW_TEMPORARY], 1);
	assert_int_equal(c.n[CORE_PW_TEMP_EXPIRED], 1);
	assert_int_equal(c.n[CORE_PW_SHARED_DUE], 1);
	assert_int_equal(c.n[CORE_PW_DUE], 0);
	assert_int_equal(c.n[CORE_PW_OK], 0);
	/* the two temporary ones and "one" */
	assert_int_equal(c.forced, 3);
}

/* The password rules' findings, as "rule subject" lines, sorted. */
struct flist {
	char	 line[64][128];
	size_t	 n;
};

static void
finding(void *arg, const struct core_finding *fd)
{
	struct flist	*l = arg;

	assert_true(l->n < sizeof l->line / sizeof l->line[0]);
	snprintf(l->line[l->n++], sizeof l->line[0], "%s %s %s",
	    core_findings_rules[fd->rule].name, fd->subject, fd->remedy);
}

static int
has(struct flist *l, const char *want)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->line[i], want) == 0)
			return 1;
	}
	return 0;
}

/*
 * Each password rule where the situation puts it, and nowhere else: a
 * locked ID makes none, an ID whose change is forced is not overdue (nor
 * shared-due) again, privileged IDs in use are active or dormant ones
 * against the max_holders of the system's privileged IDs.
 */
static void
test_findings(void **state)
{
	struct fx		*f = *state;
	struct core_config	 cfg;
	struct flist		 l;
	char			*cause = NULL;
	int64_t			 now = (int64_t)time(NULL);
	unsigned		 mask = 0;
	size_t			 count, i;
	const char		*rules[] = { "password-overdue",
				    "temp-unchanged", "shared-password-due",
				    "privileged-over-max" };

	for (i = 0; i < 4; i++) {
		assert_true(core_findings_rule(rules[i]) >= 0);
		mask |= 1U << core_findings_rule(rules[i]);
	}
	id_add(f, "sys-a", "old", "personal", "active", now - 100 * DAY, -1,
	    NULL);
	id_add(f, "sys-a", "old-locked", "personal", "locked",
	    now - 100 * DAY, -1, NULL);
	id_add(f, "sys-a", "old-forced", "personal", "suspended",
	    now - 100 * DAY, -1, NULL);
	id_add(f, "sys-a", "late", "personal", "active", now - 5 * DAY,
	    now - 2 * DAY, NULL);
	id_add(f, "sys-a", "late-locked", "personal", "locked", now - 5 * DAY,
	    now - 2 * DAY, NULL);
	id_add(f, "sys-a", "in-time", "personal", "active", now - 3600,
	    now + DAY, NULL);
	id_add(f, "sys-a", "counter", "shared", "active", now - DAY, -1,
	    "E1 left");
	id_add(f, "sys-a", "counter-forced", "shared", "active", now - DAY,
	    -1, "E2 left");
	sql(f, "UPDATE account SET must_change = 1 WHERE login IN "
	    "('old-forced', 'counter-forced')");
	/* sys-a: four privileged in use (one dormant), above the default 3;
	 * sys-b: four, one of them locked, and a limit of 4 besides */
	id_add(f, "sys-a", "p1", "privileged", "active", now, -1, NULL);
	id_add(f, "sys-a", "p2", "privileged", "active", now, -1, NULL);
	id_add(f, "sys-a", "p3", "privileged", "dormant", now, -1, NULL);
	id_add(f, "sys-a", "p4", "privileged", "active", now, -1, NULL);
	id_add(f, "sys-b", "p1", "privileged", "active", now, -1, NULL);
	id_add(f, "sys-b", "p2", "privileged", "active", now, -1, NULL);
	id_add(f, "sys-b", "p3", "privileged", "locked", now, -1, NULL);
	id_add(f, "sys-b", "p4", "privileged", "active", now, -1, NULL);
	id_add(f, "sys-b", "p5", "privileged", "revoked", now, -1, NULL);
	policy(f, "sys-b", "privileged", "max_holders", "4");

	core_config_defaults(&cfg);
	memset(&l, 0, sizeof l);
	if (core_findings(f->s, &cfg, mask, finding, &l, &count, &cause) != 0)
		fail_msg("core_findings: %s", cause);
	for (i = 0; i < l.n; i++)
		print_message("%s\n", l.line[i]);
	assert_true(has(&l, "password-overdue sys-a/old force-change"));
	assert_true(has(&l, "temp-unchanged sys-a/late lock"));
	assert_true(has(&l, "shared-password-due sys-a/counter force-change"));
	assert_true(has(&l, "privileged-over-max system:sys-a review"));
	assert_int_equal(l.n, 4);
	assert_int_equal(count, 4);

	/* Four allowed on sys-a too: the finding goes. */
	policy(f, "sys-a", "*", "max_holders", "4");
	memset(&l, 0, sizeof l);
	if (core_findings(f->s, &cfg, 1U << core_findings_rule(
	    "privileged-over-max"), finding, &l, &count, &cause) != 0)
		fail_msg("core_findings: %s", cause);
	assert_int_equal(l.n, 0);
	core_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_scopes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worst_first, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_findings, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
