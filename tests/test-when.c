/*
 * test-when.c -- times shown in the local zone with its offset
 * (common/when.c), checked in Tokyo, in UTC and across a summer-time
 * change, against values worked out by hand.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "common.h"

static void
zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static const char *
local(const char *utc, int flags)
{
	static char	 buf[WHEN_MAX];

	when_local_utc(utc, flags, buf, sizeof buf);
	return buf;
}

static void
test_tokyo(void **state)
{
	time_t	 t;

	(void)state;
	zone("Asia/Tokyo");
	assert_string_equal(local("2026-12-06T07:32:00Z", 0),
	    "2026-12-06 16:32 +0900");
	assert_string_equal(local("2026-12-06T07:32:05Z", WHEN_SECONDS),
	    "2026-12-06 16:32:05 +0900");
	assert_string_equal(local("2026-12-06T07:32:05Z", WHEN_ISO),
	    "2026-12-06T16:32:05+0900");
	/* Past midnight in Tokyo, still the day before in UTC. */
	assert_string_equal(local("2026-12-31T15:00:00Z", 0),
	    "2027-01-01 00:00 +0900");
	/* SQLite's form, without T and Z. */
	assert_string_equal(local("2026-12-06 07:32:00", 0),
	    "2026-12-06 16:32 +0900");
	assert_int_equal(when_parse_utc("2026-12-06T07:32:00Z", &t), 0);
	assert_int_equal((long long)t, 1796542320LL);
}

static void
test_utc_and_summer(void **state)
{
	(void)state;
	zone("UTC");
	assert_string_equal(local("2026-12-06T07:32:00Z", 0),
	    "2026-12-06 07:32 +0000");
	/* Berlin: +0100 in winter, +0200 in summer, by the time's own date. */
	zone("Europe/Berlin");
	assert_string_equal(local("2026-01-15T12:00:00Z", 0),
	    "2026-01-15 13:00 +0100");
	assert_string_equal(local("2026-07-15T12:00:00Z", 0),
	    "2026-07-15 14:00 +0200");
}

/* What is not a time is shown as it is, never misread. */
static void
test_not_a_time(void **state)
{
	time_t	 t;

	(void)state;
	zone("Asia/Tokyo");
	assert_string_equal(local("", 0), "");
	assert_string_equal(local("never", 0), "never");
	assert_string_equal(local("2026-13-06T07:32:00Z", 0),
	    "2026-13-06T07:32:00Z");
	assert_string_equal(local("2026-12-06T07:32:00Zx", 0),
	    "2026-12-06T07:32:00Zx");
	assert_string_equal(local("2026-12-06T25:32:00Z", 0),
	    "2026-12-06T25:32:00Z");
	assert_int_equal(when_parse_utc("2026-12-06", &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokyo),
		cmocka_unit_test(test_utc_and_summer),
		cmocka_unit_test(test_not_a_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
