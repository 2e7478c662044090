/*
 * test-exec.c -- the exec target against small programs that answer, fail,
 * hang, flood or talk nonsense: every result must be an answer or a clear
 * error, within the time limit.
 */
#include "config.h"

#include <sys/stat.h>

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
#include "targets.h"
#include "testlib.h"

static char	*dir;

/* A program in the scratch directory with the given shell body. */
static char *
program(const char *name, const char *body, mode_t mode)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("%s", path);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(path, mode);
	return path;
}

static struct target *
open_prog(const char *path, int timeout, char **cause)
{
	const struct target_type *tt = target_type_find("exec");
	char			*config;
	struct target		*t;

	assert_non_null(tt);
	xasprintf(&config, "program=%s\ntimeout=%d\n", path, timeout);
	t = tt->open(config, cause);
	free(config);
	return t;
}

static struct target_req
req(enum target_op op, const char *login, const char *arg)
{
	struct target_req	 r;

	memset(&r, 0, sizeof r);
	r.op = op;
	snprintf(r.login, sizeof r.login, "%s", login);
	snprintf(r.arg, sizeof r.arg, "%s", arg);
	return r;
}

static void
test_answers(void **state)
{
	const struct target_type *tt = target_type_find("exec");
	struct target_req	 r[3];
	struct target		*t;
	char			*p, *seen, *cause = NULL, *log;
	FILE			*f;
	char			 buf[256];

	(void)state;
	xasprintf(&log, "%s/requests", dir);
	xasprintf(&seen, "cat >> %s\n"
	    "case \"$(sed -n 2p %s | tail -1)\" in *) ;; esac\n"
	    "grep -q '^login nobody$' %s && { echo 'error no such user'; "
	    "exit 0; }\necho ok", log, log, log);
	p = program("answers", seen, 0755);
	free(seen);
	if ((t = open_prog(p, 5, &cause)) == NULL)
		fail_msg("open: %s", cause);
	r[0] = req(TARGET_LOCK, "yamada", "");
	r[1] = req(TARGET_EXPIRE, "sato", "2027-03-31");
	assert_int_equal(tt->apply(t, r, 2, &cause), 0);
	assert_true(r[0].done && r[1].done);
	/* The program got the documented request. */
	f = fopen(log, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	assert_string_equal(buf, "daicho-exec v1\n");
	assert_non_null(fgets(buf, sizeof buf, f));
	assert_string_equal(buf, "op lock\n");
	assert_non_null(fgets(buf, sizeof buf, f));
	assert_string_equal(buf, "login yamada\n");
	fclose(f);
	tt->close(t);
	free(p);
	free(log);
}

static void
test_failures(void **state)
{
	const struct target_type *tt = target_type_find("exec");
	struct target_req	 r;
	struct target		*t;
	char			*p, *cause = NULL;
	time_t			 t0;

	(void)state;
	p = program("refuse", "cat >/dev/null; echo 'error no such user'",
	    0755);
	t = open_prog(p, 5, &cause);
	r = req(TARGET_LOCK, "nobody", "");
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	assert_false(r.done);
	assert_string_equal(r.error, "no such user");
	tt->close(t);
	free(p);

	p = program("fails", "cat >/dev/null; echo ok; exit 3", 0755);
	t = open_prog(p, 5, &cause);
	r = req(TARGET_LOCK, "x", "");
	tt->apply(t, &r, 1, &cause);
	assert_false(r.done);
	check_cause(r.error, "exited with status 3");
	tt->close(t);
	free(p);

	p = program("hangs", "sleep 100", 0755);
	t = open_prog(p, 1, &cause);
	r = req(TARGET_LOCK, "x", "");
	t0 = time(NULL);
	tt->apply(t, &r, 1, &cause);
	assert_true(time(NULL) - t0 < 5);
	assert_false(r.done);
	check_cause(r.error, "did not finish within 1 seconds");
	tt->close(t);
	free(p);

	p = program("garbage", "cat >/dev/null; printf 'yes\\033[2J sure'",
	    0755);
	t = open_prog(p, 5, &cause);
	r = req(TARGET_LOCK, "x", "");
	tt->apply(t, &r, 1, &cause);
	assert_false(r.done);
	check_cause(r.error, "not \"ok\"");
	tt->close(t);
	free(p);

	p = program("floods", "cat >/dev/null; yes ok", 0755);
	t = open_prog(p, 5, &cause);
	r = req(TARGET_LOCK, "x", "");
	tt->apply(t, &r, 1, &cause);
	assert_false(r.done);
	check_cause(r.error, "wrote more than");
	tt->close(t);
	free(p);
}

static void
test_refused(void **state)
{
	char	*p, *cause = NULL;

	(void)state;
	p = program("loose", "echo ok", 0777);
	assert_null(open_prog(p, 5, &cause));
	check_cause(cause, "writable by others");
	free(cause);
	cause = NULL;
	free(p);
	assert_null(open_prog("relative/prog", 5, &cause));
	check_cause(cause, "absolute path");
	free(cause);
	cause = NULL;
	assert_null(open_prog("/nonexistent/prog", 5, &cause));
	check_cause(cause, "No such file");
	free(cause);
	cause = NULL;
	assert_null(target_type_find("exec")->open("program=/bin/true\n"
	    "timeout=0\n", &cause));
	check_cause(cause, "timeout must be");
	free(cause);
}

static void
test_list(void **state)
{
	const struct target_type *tt = target_type_find("exec");
	struct target_account	*a = NULL;
	struct target		*t;
	size_t			 n = 0;
	char			*p, *cause = NULL;

	(void)state;
	p = program("lists", "cat >/dev/null\necho 'account yamada 0 山田 太郎'"
	    "\necho 'account sato 1 佐藤 花子'\necho ok", 0755);
	t = open_prog(p, 5, &cause);
	if (tt->list(t, &a, &n, &cause) != 0)
		fail_msg("list: %s", cause);
	assert_int_equal(n, 2);
	assert_string_equal(a[0].login, "yamada");
	assert_int_equal(a[0].locked, 0);
	assert_string_equal(a[1].name, "佐藤 花子");
	assert_int_equal(a[1].locked, 1);
	free(a);
	tt->close(t);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_list),
	};
	int	 r;

	dir = scratch_dir();
	r = cmocka_run_group_tests_name("exec target", tests, NULL, NULL);
	rm_rf(dir);
	free(dir);
	return r;
}
