/*
 * test-era.c -- dates in the Japanese era (common/era.c): each era's
 * first day and the day before it, 元年, a date of today's era, and the
 * dates it refuses; an era's name alone (a form's 令和　年　月　日); and a
 * fiscal year, named by the era of its last day (令和元年度 for 2019).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"

static void
era_is(int y, int m, int d, const char *want)
{
	char	 buf[ERA_MAX];

	assert_int_equal(era_format(buf, sizeof buf, y, m, d), 0);
	assert_string_equal(buf, want);
}

static void
era_refused(int y, int m, int d)
{
	char	 buf[ERA_MAX] = "x";

	assert_int_equal(era_format(buf, sizeof buf, y, m, d), -1);
	assert_string_equal(buf, "");
}

static void
test_reiwa(void **state)
{
	(void)state;
	era_is(2019, 5, 1, "令和元年5月1日");
	era_is(2019, 12, 31, "令和元年12月31日");
	era_is(2020, 1, 1, "令和2年1月1日");
	era_is(2026, 12, 6, "令和8年12月6日");
	era_is(2024, 2, 29, "令和6年2月29日");
}

static void
test_heisei(void **state)
{
	(void)state;
	era_is(2019, 4, 30, "平成31年4月30日");
	era_is(1989, 1, 8, "平成元年1月8日");
	era_is(1990, 1, 1, "平成2年1月1日");
}

static void
test_refused(void **state)
{
	char	 small[8];

	(void)state;
	era_refused(1989, 1, 7);		/* 昭和64年: not an era here */
	era_refused(1900, 1, 1);
	era_refused(2026, 2, 29);		/* not a leap year */
	era_refused(2026, 13, 1);
	era_refused(2026, 4, 31);
	era_refused(2026, 1, 0);
	assert_int_equal(era_format(small, sizeof small, 2026, 12, 6), -1);
	assert_string_equal(small, "");
}

static void
fiscal_is(int fy, const char *want)
{
	char	 buf[ERA_MAX];

	assert_int_equal(era_fiscal(buf, sizeof buf, fy), 0);
	assert_string_equal(buf, want);
}

static void
test_name(void **state)
{
	(void)state;
	assert_string_equal(era_name(2026, 12, 6), "令和");
	assert_string_equal(era_name(2019, 5, 1), "令和");
	assert_string_equal(era_name(2019, 4, 30), "平成");
	assert_string_equal(era_name(1989, 1, 8), "平成");
	assert_null(era_name(1989, 1, 7));
	assert_null(era_name(2026, 2, 29));
	assert_null(era_name(2026, 0, 1));
}

static void
test_fiscal(void **state)
{
	char	 buf[ERA_MAX] = "x", small[12] = "x";

	(void)state;
	fiscal_is(2026, "令和8年度");
	fiscal_is(2020, "令和2年度");
	fiscal_is(2019, "令和元年度");		/* begun in 平成31年 April */
	fiscal_is(2018, "平成30年度");
	fiscal_is(1989, "平成元年度");
	fiscal_is(9998, "令和7980年度");
	assert_int_equal(era_fiscal(buf, sizeof buf, 1988), -1);	/* 昭和63年度 */
	assert_string_equal(buf, "");
	assert_int_equal(era_fiscal(buf, sizeof buf, 0), -1);
	assert_int_equal(era_fiscal(buf, sizeof buf, 9999), -1);
	assert_int_equal(era_fiscal(small, sizeof small, 2026), -1);
	assert_string_equal(small, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reiwa),
		cmocka_unit_test(test_heisei),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_fiscal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
