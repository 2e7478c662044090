/*
 * test-policy.c -- the policy (core/policy.c): allowed hours read and
 * applied in the policy's zone whatever the machine's, values checked
 * against their ranges, and a key taken from the narrowest scope that
 * sets it (system and kind, system, kind, everywhere, daicho's default).
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

static void
test_hours_parse(void **state)
{
	static const char *const bad[] = {
		"", "mon-fri", "mon-fri 8:30-17:15", "mon-fry 08:30-17:15",
		"mon-fri 17:15-08:30", "mon-fri 08:30-25:00",
		"mon-fri 08:30-24:01", "mon-fri  08:30-17:15",
		"mon-fri 08:30-17:15 ", "mon,,fri 08:30-17:15",
		"mon-fri 08:60-17:15", "MON-FRI 08:30-17:15", "always",
		"mon-fri 08:30-08:30", NULL,
	};
	struct core_hours	 h;
	size_t			 i;

	(void)state;
	assert_int_equal(core_policy_hours_parse("mon-fri 08:30-17:15", &h),
	    0);
	assert_int_equal(h.days, 0x3e);
	assert_int_equal(h.from, 8 * 60 + 30);
	assert_int_equal(h.to, 17 * 60 + 15);
	assert_int_equal(core_policy_hours_parse("fri-mon 00:00-24:00", &h),
	    0);
	assert_int_equal(h.days, 0x63);		/* fri sat sun mon */
	assert_int_equal(h.to, 24 * 60);
	assert_int_equal(core_policy_hours_parse("sat,sun,wed 09:00-12:00",
	    &h), 0);
	assert_int_equal(h.days, 0x49);
	assert_int_equal(core_policy_hours_parse("any", &h), 0);
	assert_true(h.any);
	for (i = 0; bad[i] != NULL; i++) {
		if (core_policy_hours_parse(bad[i], &h) == 0)
			fail_msg("\"%s\" was taken", bad[i]);
	}
}

static time_t
utc(const char *s)
{
	time_t	 t;

	assert_int_equal(when_parse_utc(s, &t), 0);
	return t;
}

static void
test_hours_in_zone(void **state)
{
	struct core_policy	 p;
	char			 why[160];

	(void)state;
	/* The machine in UTC; the policy in Tokyo (UTC+9, no summer). */
	setenv("TZ", "UTC", 1);
	tzset();
	core_policy_defaults(&p);
	assert_string_equal(p.allowed_hours, "mon-fri 08:30-17:15");
	assert_string_equal(p.timezone, "Asia/Tokyo");
	/* Monday 09:00 in Tokyo is Monday 00:00 UTC. */
	assert_true(core_policy_hours_ok(&p, utc("2026-12-07T00:00:00Z"),
	    why, sizeof why));
	/* Monday 08:30 in Tokyo is Sunday 23:30 UTC: inside. */
	assert_true(core_policy_hours_ok(&p, utc("2026-12-06T23:30:00Z"),
	    why, sizeof why));
	/* 17:15 is the end, not inside; 08:29 is before. */
	assert_false(core_policy_hours_ok(&p, utc("2026-12-07T08:15:00Z"),
	    why, sizeof why));
	assert_string_equal(why, "it is mon 17:15 in Asia/Tokyo, outside "
	    "the allowed hours (mon-fri 08:30-17:15)");
	assert_false(core_policy_hours_ok(&p, utc("2026-12-06T23:29:00Z"),
	    why, sizeof why));
	/* Friday 20:00 UTC is Saturday 05:00 in Tokyo. */
	assert_false(core_policy_hours_ok(&p, utc("2026-12-11T20:00:00Z"),
	    why, sizeof why));
	assert_non_null(strstr(why, "it is sat 05:00 in Asia/Tokyo"));
	/* The machine's zone is put back. */
	assert_string_equal(getenv("TZ"), "UTC");
	snprintf(p.allowed_hours, sizeof p.allowed_hours, "any");
	assert_true(core_policy_hours_ok(&p, utc("2026-12-12T03:00:00Z"),
	    why, sizeof why));
}

static void
test_values(void **state)
{
	static const struct {
		const char	*key, *value;
		int		 ok;
	} v[] = {
		{ "min_length", "12", 1 }, { "min_length", "7", 0 },
		{ "min_length", "012", 0 }, { "min_length", "-1", 0 },
		{ "min_length", "12 ", 0 }, { "min_classes", "5", 0 },
		{ "history", "0", 1 }, { "priv_cap_minutes", "0", 0 },
		{ "max_age_days", "0", 1 }, { "timezone", "Asia/Tokyo", 1 },
		{ "timezone", "../../etc/passwd", 0 },
		{ "timezone", "Mars/Olympus_Mons", 0 },
		{ "timezone", "/etc/localtime", 0 },
		{ "allowed_hours", "any", 1 },
		{ "allowed_hours", "weekdays", 0 },
	};
	const struct core_policy_key *k;
	char			*cause = NULL;
	size_t			 i;
	int			 r;

	(void)state;
	assert_null(core_policy_key_find("no_such_key"));
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		assert_non_null(k = core_policy_key_find(v[i].key));
		r = core_policy_value_ok(k, v[i].value, &cause);
		if ((r == 0) != v[i].ok)
			fail_msg("%s=\"%s\": %s", v[i].key, v[i].value,
			    r == 0 ? "taken" : cause);
		if (r != 0) {
			assert_non_null(strstr(cause, v[i].key));
			free(cause);
			cause = NULL;
		}
	}
}

static void
test_scopes(void **state)
{
	struct core_policy	 p;
	struct store		*s;
	char			*base, *dir, *cause = NULL;
	size_t			 i;

	(void)state;
	base = scratch_dir();
	xasprintf(&dir, "%s/data", base);
	init_store(dir);
	s = open_store(dir, 0);
	if (store_exec(s, "INSERT INTO policy VALUES "
	    "('*', '*', 'max_age_days', '180', 1),"
	    "('*', 'privileged', 'max_age_days', '60', 1),"
	    "('linux', '*', 'max_age_days', '120', 1),"
	    "('linux', 'privileged', 'max_age_days', '30', 1),"
	    "('*', '*', 'history', '10', 1),"
	    "('linux', 'shared', 'min_length', '20', 1),"
	    "('*', '*', 'no_such_key', '1', 1)", &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(core_policy_get(s, "linux", "privileged", &p, &cause),
	    0);
	assert_int_equal(p.max_age_days, 30);
	assert_string_equal(p.from[4], "linux/privileged");
	assert_int_equal(p.history, 10);
	assert_string_equal(p.from[7], "*/*");
	assert_int_equal(p.min_length, 12);
	assert_string_equal(p.from[0], "default");
	assert_int_equal(core_policy_get(s, "linux", "personal", &p, &cause),
	    0);
	assert_int_equal(p.max_age_days, 120);
	assert_int_equal(core_policy_get(s, "ldap", "privileged", &p, &cause),
	    0);
	assert_int_equal(p.max_age_days, 60);
	assert_int_equal(core_policy_get(s, "ldap", "personal", &p, &cause),
	    0);
	assert_int_equal(p.max_age_days, 180);
	assert_int_equal(core_policy_get(s, "linux", "shared", &p, &cause), 0);
	assert_int_equal(p.min_length, 20);
	assert_int_equal(core_policy_get(s, NULL, NULL, &p, &cause), 0);
	assert_int_equal(p.max_age_days, 180);
	assert_int_equal(p.min_length, 12);
	for (i = 0; core_policy_keys[i].name != NULL; i++)
		assert_true(strcmp(core_policy_keys[i].name, "max_age_days") !=
		    0 || i == 4);
	store_close(s);
	rm_rf(base);
	free(dir);
	free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hours_parse),
		cmocka_unit_test(test_hours_in_zone),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_scopes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
