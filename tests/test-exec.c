/*
 * test-exec.c -- the exec target against small programs that answer, fail,
 * hang, flood or talk nonsense: every result must be an answer or a clear
 * error, within the time limit.  And the attacks on the program itself:
 * descriptors it must not inherit, a path someone else can change, a file
 * swapped after the check, a value the request cannot carry whole.
 *
 * Run as "fdprobe" (a copy of this binary), it is an exec program that
 * answers ok only when it holds no descriptor above 2.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <crypt.h>
#include <sodium.h>

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

/*
 * The exec program "fdprobe": ok, or "error" and every descriptor above 2
 * but the file allowed (a script's own, when a script execs it).
 */
static int
fdprobe(const char *allowed)
{
	char		 buf[512], link[64], target[PATH_MAX], *p = buf;
	DIR		*d;
	struct dirent	*de;
	ssize_t		 n;
	int		 fd, found = 0;

	while (read(STDIN_FILENO, buf, sizeof buf) > 0)
		;
	if ((d = opendir("/proc/self/fd")) == NULL)
		return 1;
	p += snprintf(buf, sizeof buf, "error open:");
	while ((de = readdir(d)) != NULL) {
		fd = (int)strtol(de->d_name, NULL, 10);
		if (de->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		if ((n = readlink(link, target, sizeof target - 1)) < 0)
			n = 0;
		target[n] = '\0';
		if (allowed != NULL && strcmp(target, allowed) == 0)
			continue;
		if (p < buf + sizeof buf)
			p += snprintf(p, (size_t)(buf + sizeof buf - p),
			    " %d=%s", fd, target);
		found = 1;
	}
	closedir(d);
	printf("%s\n", found ? buf : "ok");
	return 0;
}

/* Copy this very binary to the scratch directory as name. */
static char *
copy_self(const char *name)
{
	char	*path, buf[65536];
	ssize_t	 n;
	int	 in, out;

	xasprintf(&path, "%s/%s", dir, name);
	in = open("/proc/self/exe", O_RDONLY);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	assert_true(in != -1 && out != -1);
	while ((n = read(in, buf, sizeof buf)) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	return path;
}

/*
 * Issue 8: the program inherited every descriptor daicho had open without
 * close-on-exec, such as --askpass-fd with two operators' passwords.  Here
 * a pipe holding a "password" is left open as daicho's caller would leave
 * it: neither a program nor a #! script may see it.
 */
static void
test_no_descriptors(void **state)
{
	const struct target_type *tt = target_type_find("exec");
	struct target_req	 r;
	struct target		*t;
	char			*p, *probe, *body, *cause = NULL;
	int			 askpass[2];

	(void)state;
	assert_int_equal(pipe(askpass), 0);
	assert_int_equal(write(askpass[1], "demo\ndemo\n", 10), 10);

	probe = copy_self("fdprobe");
	if ((t = open_prog(probe, 10, &cause)) == NULL)
		fail_msg("open: %s", cause);
	r = req(TARGET_LOCK, "yamada", "");
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	if (!r.done)
		fail_msg("the program holds descriptors: %s", r.error);
	tt->close(t);

	/*
	 * A script's interpreter opens the script as /dev/fd/3 (which shows
	 * it was run from the descriptor daicho checked, not from its path).
	 * The script execs the probe, which inherits what the shell could
	 * pass on: the script itself, as 3, and nothing else.
	 */
	xasprintf(&body, "[ \"$0\" = /dev/fd/3 ] || { cat >/dev/null; "
	    "echo \"error run as $0\"; exit 0; }\n"
	    "exec %s %s/fdscript", probe, dir);
	p = program("fdscript", body, 0755);
	free(body);
	if ((t = open_prog(p, 10, &cause)) == NULL)
		fail_msg("open: %s", cause);
	r = req(TARGET_LOCK, "yamada", "");
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	if (!r.done)
		fail_msg("the script holds descriptors: %s", r.error);
	tt->close(t);
	free(p);
	free(probe);
	close(askpass[0]);
	close(askpass[1]);
}

/* A marker file the swapped-in program makes: it must never exist. */
static char *
evil_program(const char *name, char **marker)
{
	char	*body, *p;

	xasprintf(marker, "%s/%s.ran", dir, name);
	xasprintf(&body, "cat >/dev/null; touch %s; echo ok", *marker);
	p = program(name, body, 0755);
	free(body);
	return p;
}

/*
 * Issue 8: the path was checked, then executed by name, so whoever could
 * change a directory on it could swap the program in between.  Here the
 * program, and then a directory on its path, are replaced after the target
 * opened (checked) it: what runs must still be the file that was checked.
 * This shows daicho runs the descriptor it checked (fexecve); the window
 * itself is made wide on purpose, with no need to win a race.
 */
static void
test_runs_what_it_checked(void **state)
{
	const struct target_type *tt = target_type_find("exec");
	struct target_req	 r;
	struct target		*t;
	char			*p, *evil, *marker, *sub, *old, *cause = NULL;

	(void)state;
	p = program("checked", "cat >/dev/null; echo ok", 0755);
	if ((t = open_prog(p, 5, &cause)) == NULL)
		fail_msg("open: %s", cause);
	evil = evil_program("swapped", &marker);
	assert_int_equal(rename(evil, p), 0);
	r = req(TARGET_LOCK, "yamada", "");
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	assert_true(r.done);
	assert_int_equal(access(marker, F_OK), -1);
	tt->close(t);
	free(p);
	free(evil);
	free(marker);

	/* The same with the directory the program is in. */
	xasprintf(&sub, "%s/bin", dir);
	xasprintf(&old, "%s/bin.old", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	p = program("bin/prog", "cat >/dev/null; echo ok", 0755);
	if ((t = open_prog(p, 5, &cause)) == NULL)
		fail_msg("open: %s", cause);
	assert_int_equal(rename(sub, old), 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	evil = evil_program("bin/prog", &marker);
	r = req(TARGET_LOCK, "yamada", "");
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	assert_true(r.done);
	assert_int_equal(access(marker, F_OK), -1);
	tt->close(t);
	free(p);
	free(evil);
	free(marker);
	free(sub);
	free(old);
}

/* Open must fail with a cause naming want (and say so if it does not). */
static void
refused(const char *path, const char *want)
{
	char	*cause = NULL;

	assert_null(open_prog(path, 5, &cause));
	check_cause(cause, want);
	free(cause);
}

static char *
subdir(const char *name, mode_t mode, uid_t uid)
{
	char	*path;

	xasprintf(&path, "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
	if (uid != (uid_t)-1)
		assert_int_equal(chown(path, uid, (gid_t)-1), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/*
 * Issue 8: a program whose path someone else can change is refused, with
 * the directory named: a group- or other-writable directory, a directory
 * or file of another user (nobody, 65534: root only), the program as a
 * symbolic link.  A link among the directories is followed, and its
 * target checked the same way.
 */
static void
test_unsafe_path(void **state)
{
	struct target	*t;
	char		*d, *p, *want, *l, *cause = NULL;

	(void)state;
	d = subdir("gw", 0775, (uid_t)-1);
	p = program("gw/prog", "echo ok", 0755);
	xasprintf(&want, "%s (on the way to %s) is writable by group", d, p);
	refused(p, want);
	free(want);
	free(p);

	/* Through a link to it: the directory really used is named. */
	xasprintf(&l, "%s/togw", dir);
	assert_int_equal(symlink("gw", l), 0);
	xasprintf(&p, "%s/prog", l);
	xasprintf(&want, "%s (on the way to %s) is writable by group", d, p);
	refused(p, want);
	free(want);
	free(p);
	free(l);
	free(d);

	d = subdir("ww", 0777, (uid_t)-1);
	p = program("ww/prog", "echo ok", 0755);
	refused(p, "/ww (on the way to");
	free(p);
	free(d);

	/* A link to a safe directory is fine. */
	d = subdir("safe", 0755, (uid_t)-1);
	p = program("safe/prog", "cat >/dev/null; echo ok", 0755);
	free(p);
	xasprintf(&l, "%s/tosafe", dir);
	assert_int_equal(symlink(d, l), 0);
	xasprintf(&p, "%s/prog", l);
	if ((t = open_prog(p, 5, &cause)) == NULL)
		fail_msg("a link to a safe directory: %s", cause);
	target_type_find("exec")->close(t);
	free(p);
	free(l);

	/* The program itself may not be a link, even to a safe file. */
	xasprintf(&l, "%s/linkprog", dir);
	xasprintf(&p, "%s/prog", d);
	assert_int_equal(symlink(p, l), 0);
	xasprintf(&want, "%s is a symbolic link", l);
	refused(l, want);
	free(want);
	free(l);
	free(p);
	free(d);

	if (geteuid() != 0) {
		print_message("not root: other users' directories untested\n");
		return;
	}
	d = subdir("nobody", 0755, 65534);
	p = program("nobody/prog", "echo ok", 0755);
	xasprintf(&want, "%s (on the way to %s) is owned by uid 65534", d, p);
	refused(p, want);
	free(want);
	free(p);
	free(d);

	p = program("nobodys", "echo ok", 0755);
	assert_int_equal(chown(p, 65534, (gid_t)-1), 0);
	refused(p, "owned by uid 65534");
	free(p);
}

/*
 * A sticky directory writable by all (as /tmp) is safe for an entry that
 * root or daicho's user owns, since only that owner may rename or remove
 * it; not for an entry of another user.
 */
static void
test_sticky(void **state)
{
	struct target	*t;
	char		*d, *p, *s, *want, *cause = NULL;

	(void)state;
	d = subdir("sticky", 01777, (uid_t)-1);
	s = subdir("sticky/mine", 0755, (uid_t)-1);
	p = program("sticky/mine/prog", "echo ok", 0755);
	if ((t = open_prog(p, 5, &cause)) == NULL)
		fail_msg("a root-owned directory in a sticky one: %s", cause);
	target_type_find("exec")->close(t);
	free(p);
	free(s);
	p = program("sticky/prog", "echo ok", 0755);
	if ((t = open_prog(p, 5, &cause)) == NULL)
		fail_msg("a root-owned program in a sticky directory: %s",
		    cause);
	target_type_find("exec")->close(t);
	free(p);

	if (geteuid() != 0) {
		print_message("not root: another user's entry untested\n");
		free(d);
		return;
	}
	s = subdir("sticky/theirs", 0755, 65534);
	p = program("sticky/theirs/prog", "echo ok", 0755);
	/* The entry is nobody's: they may swap it for anything. */
	xasprintf(&want, "%s (on the way to %s) is writable by group or "
	    "others", d, p);
	refused(p, want);
	free(want);
	free(p);
	free(s);
	free(d);
}

/*
 * Issue 8: a value was cut silently (mid-character) or, with a line
 * feed, split into request lines of its own.  The target refuses what a
 * request cannot carry whole, and the program never runs.
 */
static void
test_values(void **state)
{
	const struct target_type *tt = target_type_find("exec");
	struct target_req	 r;
	struct target		*t;
	char			*p, *body, *log, *cause = NULL, line[512];
	FILE			*f;
	size_t			 i;

	(void)state;
	xasprintf(&log, "%s/values.log", dir);
	xasprintf(&body, "cat >> %s; echo ok", log);
	p = program("values", body, 0755);
	free(body);
	if ((t = open_prog(p, 5, &cause)) == NULL)
		fail_msg("open: %s", cause);

	/* Longer than the request's field: not terminated in it. */
	r = req(TARGET_CREATE, "yamada", "");
	memset(r.arg, 'a', sizeof r.arg);
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	assert_false(r.done);
	check_cause(r.error, "display name is longer than 255 bytes");

	/* 85 three-byte characters cut at 254 bytes: half a character. */
	r = req(TARGET_CREATE, "yamada", "");
	for (i = 0; i + 3 <= 255; i += 3)
		memcpy(r.arg + i, "山", 3);
	r.arg[254] = '\0';
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	assert_false(r.done);
	check_cause(r.error, "not valid UTF-8 (byte 253)");

	/* A line feed would make a request line of its own. */
	r = req(TARGET_CREATE, "yamada", "x\nop delete");
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	assert_false(r.done);
	check_cause(r.error, "control character (byte 2)");
	r = req(TARGET_LOCK, "a\tb", "");
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	assert_false(r.done);
	check_cause(r.error, "login has a control character");
	assert_int_equal(access(log, F_OK), -1);	/* never ran */

	/* 255 bytes fit whole. */
	r = req(TARGET_CREATE, "yamada", "");
	for (i = 0; i + 3 <= 255; i += 3)
		memcpy(r.arg + i, "山", 3);
	r.arg[255] = '\0';
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	if (!r.done)
		fail_msg("255 bytes: %s", r.error);
	assert_non_null(f = fopen(log, "r"));
	while (fgets(line, sizeof line, f) != NULL && strncmp(line, "arg ", 4))
		;
	fclose(f);
	assert_int_equal(strlen(line), 4 + 255 + 1);
	assert_memory_equal(line + 4, r.arg, 255);
	tt->close(t);
	free(p);
	free(log);
}

/* The whole file at path (NUL-terminated); caller frees. */
static char *
read_log(const char *path)
{
	char	*text = xcalloc(1, 8192);
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	if (fread(text, 1, 8191, f) == 0)
		fail_msg("%s is empty", path);
	fclose(f);
	return text;
}

/*
 * A set password's cleartext never reaches the program: its arg is a
 * yescrypt hash of it, which verifies; the secret is wiped.  aging and
 * policy go through with their names and arguments.
 */
static void
test_password(void **state)
{
	const struct target_type *tt = target_type_find("exec");
	struct target_req	 r;
	struct crypt_data	*cd;
	struct target		*t;
	char			*p, *body, *log, *text, *cause = NULL;
	char			 hash[256];
	const char		*a, *h;

	(void)state;
	xasprintf(&log, "%s/password.log", dir);
	xasprintf(&body, "cat >> %s; echo ok", log);
	p = program("password", body, 0755);
	free(body);
	if ((t = open_prog(p, 5, &cause)) == NULL)
		fail_msg("open: %s", cause);

	r = req(TARGET_SET_PASSWORD, "yamada", "");
	snprintf(r.secret, sizeof r.secret, "Yamada's own pass");
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	if (!r.done)
		fail_msg("set password: %s", r.error);
	assert_true(sodium_is_zero((unsigned char *)r.secret,
	    sizeof r.secret));
	assert_string_equal(r.arg, "");		/* the request is the caller's */
	text = read_log(log);
	assert_null(strstr(text, "Yamada's own pass"));
	assert_non_null(strstr(text, "op set_password\nlogin yamada\n"));
	assert_non_null(a = strstr(text, "\narg $y$"));
	snprintf(hash, sizeof hash, "%.*s", (int)strcspn(a + 5, "\n"), a + 5);
	cd = xcalloc(1, sizeof *cd);
	h = crypt_r("Yamada's own pass", hash, cd);
	assert_non_null(h);
	assert_string_equal(h, hash);
	free(cd);
	free(text);
	unlink(log);

	/* Refused before the program runs. */
	r = req(TARGET_SET_PASSWORD, "yamada", "");
	snprintf(r.secret, sizeof r.secret, "two\nlines");
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	assert_false(r.done);
	check_cause(r.error, "control character");
	r = req(TARGET_SET_PASSWORD, "yamada", "$y$j9T$salt$hash");
	snprintf(r.secret, sizeof r.secret, "fine password");
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	assert_false(r.done);
	check_cause(r.error, "no argument");
	assert_true(sodium_is_zero((unsigned char *)r.secret,
	    sizeof r.secret));
	assert_int_equal(access(log, F_OK), -1);	/* never ran */

	r = req(TARGET_AGING, "yamada", "min=1 max=90 warn=14");
	assert_int_equal(tt->apply(t, &r, 1, &cause), 0);
	assert_true(r.done);
	text = read_log(log);
	assert_non_null(strstr(text, "op aging\nlogin yamada\n"
	    "arg min=1 max=90 warn=14\n"));
	free(text);
	tt->close(t);
	free(p);
	free(log);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_no_descriptors),
		cmocka_unit_test(test_runs_what_it_checked),
		cmocka_unit_test(test_unsafe_path),
		cmocka_unit_test(test_sticky),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_password),
	};
	const char	*base;
	int		 r;

	if (argc > 0 && (base = strrchr(argv[0], '/')) != NULL &&
	    strcmp(base, "/fdprobe") == 0)
		return fdprobe(argc > 1 ? argv[1] : NULL);

	dir = scratch_dir();
	r = cmocka_run_group_tests_name("exec target", tests, NULL, NULL);
	rm_rf(dir);
	free(dir);
	return r;
}
