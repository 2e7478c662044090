/*
 * test-checkpath.c -- store_check_path and the files read through it
 * (root.pub, the key file) are checked as opened, not as looked up.
 *
 * The race: a check of the path (lstat) followed by an open can see two
 * different files when one is renamed over the path in between.  Here a
 * child process swaps root.pub with a looser file (mode 0644, which the
 * check refuses) as fast as it can with RENAME_EXCHANGE, while the test
 * reads root.pub over and over.  Every read must either refuse the file
 * or return the 0600 file's line; the 0644 file's line never.  A swap
 * that lands between a path check and its open hands that line back, so
 * the old lstat-then-open code fails this within a few thousand reads;
 * code that checks the descriptor it reads from cannot fail it, however
 * the two processes are scheduled.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common.h"
#include "store-int.h"

#define READS		200000
#define GOOD		"good.example/ledger+00000000+AAAA\n"
#define BAD		"bad.example/ledger+00000000+BBBB\n"

static char	 dir[] = "/tmp/test-checkpath.XXXXXX";

static void
put(const char *name, const char *text, mode_t mode)
{
	char	 path[256];
	int	 fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	(void)unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	assert_true(fd != -1);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static char *
path_of(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", dir, name);
	return p;
}

static void
test_good_file(void **state)
{
	char	*p = path_of("root.pub"), *cause = NULL, *v;

	(void)state;
	put("root.pub", GOOD, 0600);
	assert_int_equal(store_check_path(p, 0, &cause), 0);
	v = store_root_read(p, &cause);
	assert_non_null(v);
	assert_string_equal(v, "good.example/ledger+00000000+AAAA");
	free(v);
	free(p);
}

static void
test_loose_file(void **state)
{
	char	*p = path_of("root.pub"), *cause = NULL;

	(void)state;
	put("root.pub", BAD, 0644);
	assert_int_equal(store_check_path(p, 0, &cause), -1);
	assert_non_null(strstr(cause, "looser than 0600"));
	free(cause);
	cause = NULL;
	assert_null(store_root_read(p, &cause));
	assert_non_null(strstr(cause, "looser than 0600"));
	free(cause);
	free(p);
}

static void
test_symlink(void **state)
{
	char	*p = path_of("root.pub"), *t = path_of("target"), *cause = NULL;

	(void)state;
	put("target", GOOD, 0600);
	(void)unlink(p);
	assert_int_equal(symlink(t, p), 0);
	assert_int_equal(store_check_path(p, 0, &cause), -1);
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	cause = NULL;
	assert_null(store_root_read(p, &cause));
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	(void)unlink(p);
	free(t);
	free(p);
}

/* A FIFO is refused at once: the check never blocks on opening it. */
static void
test_fifo(void **state)
{
	char	*p = path_of("root.pub"), *cause = NULL;

	(void)state;
	(void)unlink(p);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(store_check_path(p, 0, &cause), -1);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	cause = NULL;
	assert_null(store_root_read(p, &cause));
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	(void)unlink(p);
	free(p);
}

static void
test_swap_race(void **state)
{
	char	*p = path_of("root.pub"), *o = path_of("other"), *cause, *v;
	pid_t	 pid;
	long	 i, good = 0, refused = 0, bad = 0;

	(void)state;
	put("root.pub", GOOD, 0600);
	put("other", BAD, 0644);
	if ((pid = fork()) == 0) {
		for (;;) {
			if (renameat2(AT_FDCWD, p, AT_FDCWD, o,
			    RENAME_EXCHANGE) == -1)
				_exit(1);
		}
	}
	assert_true(pid > 0);
	for (i = 0; i < READS && bad == 0; i++) {
		cause = NULL;
		if ((v = store_root_read(p, &cause)) == NULL) {
			refused++;
			free(cause);
			continue;
		}
		if (strncmp(v, "bad.", 4) == 0)
			bad++;
		else
			good++;
		free(v);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	print_message("%ld reads: %ld good, %ld refused, %ld of the 0644 "
	    "file\n", i, good, refused, bad);
	assert_int_equal(bad, 0);
	/* The swap really ran: both files were seen. */
	assert_true(good > 0 && refused > 0);
	free(o);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_loose_file),
		cmocka_unit_test(test_symlink),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_swap_race),
	};
	const char *const names[] = { "root.pub", "other", "target" };
	char	 path[256];
	size_t	 i;
	int	 r;

	if (mkdtemp(dir) == NULL)
		return 99;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		(void)unlink(path);
	}
	(void)rmdir(dir);
	return r;
}
