/*
 * test-vis.c -- common/vis.c, the one rule for showing text someone else
 * wrote: what is escaped, how, and that the escape is unambiguous.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"

/* vis_buf of n bytes of in, compared with want. */
static void
shown(const char *in, size_t n, int flags, const char *want)
{
	char	*out = vis_buf(in, n, flags);

	assert_string_equal(out, want);
	free(out);
}
#define SHOWN(in, want)		shown(in, sizeof in - 1, 0, want)

static void
test_as_is(void **state)
{
	(void)state;
	SHOWN("", "");
	SHOWN("demo-admin id.create a=b 50%", "demo-admin id.create a=b 50%");
	SHOWN("山田 太郎", "山田 太郎");
	SHOWN("e\xcc\x81", "e\xcc\x81");		/* combining mark */
	SHOWN("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");	/* U+1F600 */
	SHOWN("\xc2\xa0\xc2\xa9", "\xc2\xa0\xc2\xa9");	/* first after C1 */
}

static void
test_controls(void **state)
{
	(void)state;
	SHOWN("\x1b[2J", "\\x1b[2J");
	SHOWN("\x1b]0;pwn\x07", "\\x1b]0;pwn\\x07");
	SHOWN("a\tb\nc\rd\be", "a\\x09b\\x0ac\\x0dd\\x08e");
	SHOWN("\x7f", "\\x7f");
	SHOWN("a\0b", "a\\x00b");
	/* C1 as UTF-8, first and last, and CSI. */
	SHOWN("\xc2\x80\xc2\x9b\xc2\x9f", "\\u0080\\u009b\\u009f");
	/* Reordering and line-breaking characters. */
	SHOWN("\xe2\x80\xae" "abc", "\\u202eabc");
	SHOWN("\xe2\x81\xa6\xe2\x81\xa9", "\\u2066\\u2069");
	SHOWN("\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029");
	/* The backslash, so "\x1b" typed as four characters is told apart. */
	SHOWN("\\x1b", "\\\\x1b");
}

static void
test_invalid(void **state)
{
	(void)state;
	SHOWN("\x9b", "\\x9b");				/* a lone C1 byte */
	SHOWN("\xff\xfe", "\\xff\\xfe");
	SHOWN("\xc0\xaf", "\\xc0\\xaf");		/* overlong '/' */
	SHOWN("\xe0\x80\xaf", "\\xe0\\x80\\xaf");	/* overlong, 3 */
	SHOWN("\xed\xa0\x80", "\\xed\\xa0\\x80");	/* surrogate */
	SHOWN("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");	/* > U+10FFFF */
	SHOWN("a\xe3\x81", "a\\xe3\\x81");		/* cut short */
	SHOWN("\xe3\x81" "x", "\\xe3\\x81x");		/* broken */
	/* A valid character right after an invalid byte is kept whole. */
	SHOWN("\xff山", "\\xff山");
}

static void
test_flags(void **state)
{
	char		 esc[VIS_ESC_MAX];
	uint32_t	 cp;

	(void)state;
	shown("a\nb\n", 4, VIS_NL, "a\nb\n");
	shown("a\r\nb", 4, VIS_NL, "a\\x0d\nb");
	/* vis_next: one character at a time, its code point and escape. */
	assert_int_equal(vis_next("\xc2\x9b", 2, 0, &cp, esc), 2);
	assert_int_equal(cp, 0x9b);
	assert_string_equal(esc, "\\u009b");
	assert_int_equal(vis_next("山", 3, 0, &cp, esc), 3);
	assert_int_equal(cp, 0x5c71);
	assert_string_equal(esc, "");
	assert_int_equal(vis_next("\xe5\xb1", 2, 0, &cp, esc), 1);
	assert_string_equal(esc, "\\xe5");
	vis_escape_cp(0x10ffff, esc);
	assert_string_equal(esc, "\\U0010ffff");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_as_is),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_flags),
	};

	return cmocka_run_group_tests_name("vis", tests, NULL, NULL);
}
