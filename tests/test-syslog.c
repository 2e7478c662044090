/*
 * test-syslog.c -- the fields of daicho's syslog lines (core/syslog.c):
 * every value escaped as vis escapes it, so no control byte reaches the
 * log, quoted when it holds a space, '"' or '=', so no value can forge
 * another field, and cut at 200 bytes.
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
#include "core-int.h"

/* The line made of one field key=value, compared with want. */
static void
field(const char *value, const char *want)
{
	char	 line[1024] = "";

	core_syslog_field(line, sizeof line, "k", value);
	assert_string_equal(line, want);
}

static void
test_plain(void **state)
{
	char	 line[1024] = "";

	(void)state;
	field("demo-admin", "k=demo-admin");
	field("id:hr/sl1", "k=id:hr/sl1");
	field("総務課", "k=総務課");
	core_syslog_field(line, sizeof line, "a", "1");
	core_syslog_field(line, sizeof line, "b", "2");
	assert_string_equal(line, "a=1 b=2");
}

static void
test_escaped(void **state)
{
	(void)state;
	field("a\nb", "k=a\\x0ab");
	field("\x1b[2J", "k=\\x1b[2J");
	field("\r", "k=\\x0d");
	field("\xc2\x9b" "1m", "k=\\u009b1m");
	field("\xff", "k=\\xff");
	field("back\\slash", "k=back\\\\slash");
}

static void
test_quoted(void **state)
{
	(void)state;
	field("", "k=\"\"");
	field("Authentication failure", "k=\"Authentication failure\"");
	field("x result=success", "k=\"x result=success\"");
	field("say \"hi\"", "k=\"say \\x22hi\\x22\"");
}

static void
test_long(void **state)
{
	char	 v[400], want[300], line[1024] = "";

	(void)state;
	memset(v, 'a', sizeof v - 1);
	v[sizeof v - 1] = '\0';
	snprintf(want, sizeof want, "k=%.200s...", v);
	core_syslog_field(line, sizeof line, "k", v);
	assert_string_equal(line, want);
	/* A full line is left as it is, never overrun. */
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	core_syslog_field(line, sizeof line, "k", "v");
	assert_int_equal(strlen(line), sizeof line - 1);
	line[0] = '\0';
	core_syslog_field(line, 8, "key", "value-too-long");
	assert_string_equal(line, "key=val");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escaped),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
