/*
 * test-unix.c -- the unix target against temporary roots.
 *
 * Each test copies a template root: TEST_UNIX_ROOT, which tests/unix.sh
 * makes with useradd -P, or a small one written here when it is unset.
 * The files are read back here with a parser of the test's own, so the
 * target is not checked against itself.  With TEST_UNIX_TOOLS=1 (unix.sh,
 * as root) the real tools judge too: after every test that writes,
 * pwck -r -R and grpck -r -R must accept the tree, and passwd -S -R must
 * agree with what was applied.
 *
 * Other modes, for tests/unix.sh and bench/unix-run.sh:
 *	test-unix --apply CONFFILE OP LOGIN ARG [OP LOGIN ARG ...]
 *	test-unix --list CONFFILE
 *	test-unix --crypt		(a password on stdin: its yescrypt hash)
 *	test-unix --set-password CONFFILE LOGIN
 *					(a password on stdin: set it)
 *	test-unix --verify ROOT LOGIN	(a password on stdin: exit 0 if it is
 *					 LOGIN's password in ROOT/etc/shadow)
 *	test-unix --bench ROOT N	(lock the first N accounts but root in
 *					 one batch; prints the apply's time)
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <crypt.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <lastlog.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

#include <cmocka.h>
#include <sodium.h>

#include "common.h"
#include "targets-int.h"

extern char **environ;

static const struct target_type *const U = &target_unix_type;

static const char *template_root;	/* TEST_UNIX_ROOT, or made here */
static char	   *own_template;
static int	    tools;		/* TEST_UNIX_TOOLS=1 */
static long	    today;

static const char *const files[] = {
	"passwd", "shadow", "group", "gshadow",
	"passwd-", "shadow-", "group-", "gshadow-",
};
#define NFILES (sizeof files / sizeof files[0])

/* Helpers: files, processes. */

static char *
slurp(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*buf;
	long	 len;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)len + 1);
	if (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)
		fail_msg("short read of %s", path);
	buf[len] = '\0';
	fclose(f);
	if (lenp != NULL)
		*lenp = (size_t)len;
	return buf;
}

static void
spit(const char *path, const char *text, mode_t mode)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void
append(const char *path, const char *text)
{
	FILE	*f;

	if ((f = fopen(path, "a")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

static char *
path_of(const char *root, const char *name)
{
	char	*p;

	xasprintf(&p, "%s/etc/%s", root, name);
	return p;
}

/*
 * Run argv (no shell), its output (stdout and stderr) into *out if out
 * is not NULL.  Returns the exit status, or -1 if it did not exit.
 */
static int
run(char *const argv[], char **out)
{
	posix_spawn_file_actions_t fa;
	char		 buf[4096], *acc = NULL;
	size_t		 len = 0;
	ssize_t		 n;
	pid_t		 pid;
	int		 fds[2], status;

	if (pipe(fds) == -1)
		fail_msg("pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		fail_msg("cannot run %s", argv[0]);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	acc = xmalloc(1);
	while ((n = read(fds[0], buf, sizeof buf)) > 0) {
		acc = xreallocarray(acc, len + (size_t)n + 1, 1);
		memcpy(acc + len, buf, (size_t)n);
		len += (size_t)n;
	}
	acc[len] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) == -1)
		fail_msg("waitpid");
	if (out != NULL)
		*out = acc;
	else
		free(acc);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* run() with the arguments listed, NULL last. */
static int
runl(char **out, const char *arg0, ...)
{
	va_list	 ap;
	char	*argv[16];
	size_t	 n = 0, i;
	int	 r;

	va_start(ap, arg0);
	for (argv[n++] = xstrdup(arg0); n < 15; n++) {
		const char *a = va_arg(ap, const char *);

		if (a == NULL)
			break;
		argv[n] = xstrdup(a);
	}
	va_end(ap);
	argv[n] = NULL;
	r = run(argv, out);
	for (i = 0; i < n; i++)
		free(argv[i]);
	return r;
}

static void
rm_tree(const char *dir)
{
	if (getenv("KEEP_TMP") == NULL)
		runl(NULL, "rm", "-rf", dir, NULL);
}

/* A fresh copy of the template; caller frees (rm_tree first). */
static char *
new_root(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		*dir, *src;

	xasprintf(&dir, "%s/unix.XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		fail_msg("mkdtemp: %s", strerror(errno));
	chmod(dir, 0755);
	xasprintf(&src, "%s/.", template_root);
	assert_int_equal(runl(NULL, "cp", "-a", src, dir, NULL), 0);
	free(src);
	return dir;
}

static struct target *
open_root(const char *root, const char *extra)
{
	struct target	*t;
	char		*conf, *cause = NULL;

	xasprintf(&conf, "root=%s\ncreate_home=%s\n%s", root,
	    geteuid() == 0 ? "yes" : "no", extra != NULL ? extra : "");
	t = U->open(conf, &cause);
	if (t == NULL)
		fail_msg("open %s: %s", root, cause);
	free(conf);
	return t;
}

static struct target_req
req(enum target_op op, const char *login, const char *arg)
{
	struct target_req r;

	memset(&r, 0, sizeof r);
	r.op = op;
	snprintf(r.login, sizeof r.login, "%s", login);
	snprintf(r.arg, sizeof r.arg, "%s", arg != NULL ? arg : "");
	return r;
}

/* A SET_PASSWORD request with its cleartext in the secret. */
static struct target_req
req_secret(const char *login, const char *secret)
{
	struct target_req r = req(TARGET_SET_PASSWORD, login, NULL);

	snprintf(r.secret, sizeof r.secret, "%s", secret);
	return r;
}

/*
 * A temporary password as pw_generate makes them: PW_GENERATE_LEN
 * characters, none of the look-alikes (0 O o 1 l I) nor a separator,
 * and every class (lower, upper, digit, other) at least once.
 */
static void
check_temp_password(const char *pw)
{
	int	 lower = 0, upper = 0, digit = 0, other = 0;
	size_t	 i;

	if (strlen(pw) != PW_GENERATE_LEN)
		fail_msg("temporary password of %zu characters, wanted %d",
		    strlen(pw), PW_GENERATE_LEN);
	for (i = 0; pw[i] != '\0'; i++) {
		if (strchr("0Oo1lI- :", pw[i]) != NULL || pw[i] < 0x21 ||
		    pw[i] > 0x7e)
			fail_msg("temporary password has '%c'", pw[i]);
		if (pw[i] >= 'a' && pw[i] <= 'z')
			lower = 1;
		else if (pw[i] >= 'A' && pw[i] <= 'Z')
			upper = 1;
		else if (pw[i] >= '0' && pw[i] <= '9')
			digit = 1;
		else
			other = 1;
	}
	if (!lower || !upper || !digit || !other)
		fail_msg("temporary password lacks a class (%d%d%d%d)", lower,
		    upper, digit, other);
}

/* Apply a batch that must succeed as a whole. */
static void
apply_ok(struct target *t, struct target_req *r, size_t n)
{
	char	*cause = NULL;

	if (U->apply(t, r, n, &cause) != 0)
		fail_msg("apply: %s", cause);
}

static void
check_done(const struct target_req *r)
{
	if (!r->done)
		fail_msg("%s %s (%s) not done: %s", r->op == TARGET_CREATE ?
		    "create" : "op", r->login, r->arg, r->error);
	/* A delete says what revoke_home= did to the home. */
	if (r->op == TARGET_DELETE && strncmp(r->error, "home ", 5) == 0)
		return;
	assert_string_equal(r->error, "");
}

static void
check_refused(const struct target_req *r, const char *why)
{
	if (r->done)
		fail_msg("%s (%s) was applied; wanted a refusal (%s)",
		    r->login, r->arg, why);
	if (strstr(r->error, why) == NULL)
		fail_msg("%s: error \"%s\" does not mention \"%s\"", r->login,
		    r->error, why);
}

/*
 * The line of name in ROOT/etc/file, parsed here with nothing of the
 * target's: NULL if there is none.  Caller frees.
 */
static char *
line_of(const char *root, const char *file, const char *name)
{
	char	*path, *buf, *p, *nl, *out = NULL;
	size_t	 n = strlen(name);

	path = path_of(root, file);
	buf = slurp(path, NULL);
	free(path);
	if (buf == NULL)
		return NULL;
	for (p = buf; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			out = xstrndup(p, (size_t)(nl - p));
			break;
		}
		if (*nl == '\0')
			break;
	}
	free(buf);
	return out;
}

/* Field k (0-based) of name's line in file; caller frees; NULL if none. */
static char *
field_of(const char *root, const char *file, const char *name, int k)
{
	char	*line, *p, *c, *out;
	int	 i;

	if ((line = line_of(root, file, name)) == NULL)
		return NULL;
	p = line;
	for (i = 0; i < k; i++) {
		if ((c = strchr(p, ':')) == NULL) {
			free(line);
			return NULL;
		}
		p = c + 1;
	}
	out = xstrndup(p, strcspn(p, ":"));
	free(line);
	return out;
}

static void
check_field(const char *root, const char *file, const char *name, int k,
    const char *want)
{
	char	*v = field_of(root, file, name, k);

	if (v == NULL)
		fail_msg("%s has no %s line", name, file);
	if (strcmp(v, want) != 0)
		fail_msg("%s: %s field %d is \"%s\", wanted \"%s\"", file, name,
		    k + 1, v, want);
	free(v);
}

static void
check_absent(const char *root, const char *file, const char *name)
{
	char	*l = line_of(root, file, name);

	if (l != NULL)
		fail_msg("%s still has %s: %s", file, name, l);
}

/* The real tools accept the tree (when they are to be used). */
static void
tools_ok(const char *root)
{
	char	*out;

	if (!tools)
		return;
	if (runl(&out, "pwck", "-r", "-R", root, NULL) != 0)
		fail_msg("pwck -r -R %s refuses the files:\n%s", root, out);
	free(out);
	if (runl(&out, "grpck", "-r", "-R", root, NULL) != 0)
		fail_msg("grpck -r -R %s refuses the files:\n%s", root, out);
	free(out);
}

/* passwd -S's status (L, P, NP) and date for login; 0 if tools are off. */
static int
passwd_status(const char *root, const char *login, char *st, char *date)
{
	char	*out, u[64];

	if (!tools)
		return 0;
	if (runl(&out, "passwd", "-S", "-R", root, login, NULL) != 0)
		fail_msg("passwd -S -R %s %s:\n%s", root, login, out);
	if (sscanf(out, "%63s %7s %15s", u, st, date) != 3)
		fail_msg("passwd -S: \"%s\"", out);
	assert_string_equal(u, login);
	free(out);
	return 1;
}

static void
check_passwd_status(const char *root, const char *login, const char *want)
{
	char	 st[8], date[16];

	if (passwd_status(root, login, st, date) && strcmp(st, want) != 0)
		fail_msg("passwd -S says %s is %s, wanted %s", login, st, want);
}

/* Every file of a root's etc/, to compare with later. */
struct snap {
	char	*text[NFILES];
	size_t	 len[NFILES];
};

static void
snap_take(const char *root, struct snap *s)
{
	size_t	 i;
	char	*p;

	for (i = 0; i < NFILES; i++) {
		p = path_of(root, files[i]);
		s->text[i] = slurp(p, &s->len[i]);
		free(p);
	}
}

static void
snap_free(struct snap *s)
{
	size_t	 i;

	for (i = 0; i < NFILES; i++)
		free(s->text[i]);
}

/* No lock, '+', '-+' or NAME.PID file left in ROOT/etc. */
static void
no_leftovers(const char *root)
{
	struct dirent	*d;
	DIR		*dir;
	char		*p;
	size_t		 n;

	xasprintf(&p, "%s/etc", root);
	if ((dir = opendir(p)) == NULL)
		fail_msg("%s: %s", p, strerror(errno));
	while ((d = readdir(dir)) != NULL) {
		const char *dot = strchr(d->d_name, '.');

		n = strlen(d->d_name);
		if ((n > 0 && d->d_name[n - 1] == '+') ||
		    (n > 5 && strcmp(d->d_name + n - 5, ".lock") == 0 &&
		    strcmp(d->d_name, ".pwd.lock") != 0) ||
		    (dot != NULL && dot > d->d_name && dot[1] != '\0' &&
		    strspn(dot + 1, "0123456789") == strlen(dot + 1)))
			fail_msg("%s/%s left behind", p, d->d_name);
	}
	closedir(dir);
	free(p);
}

/* The files are byte for byte what they were (backups included). */
static void
snap_same(const char *root, const struct snap *s)
{
	struct snap	 now;
	size_t		 i;

	snap_take(root, &now);
	for (i = 0; i < NFILES; i++) {
		if ((s->text[i] == NULL) != (now.text[i] == NULL) ||
		    (s->text[i] != NULL && (s->len[i] != now.len[i] ||
		    memcmp(s->text[i], now.text[i], s->len[i]) != 0)))
			fail_msg("%s/etc/%s changed", root, files[i]);
	}
	snap_free(&now);
	no_leftovers(root);
}

static const struct target_account *
find_account(const struct target_account *a, size_t n, const char *login)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(a[i].login, login) == 0)
			return &a[i];
	}
	fail_msg("list has no %s", login);
	return NULL;
}

/* The template written here when unix.sh did not make one. */
static void
make_template(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		*p;
	const char	*dirs[] = { "etc", "home", "home/alice", "home/bob",
			    "home/carol", "home/dave", "bin", "root" };
	size_t		 i;

	xasprintf(&own_template, "%s/unix-template.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(own_template) == NULL)
		fail_msg("mkdtemp");
	chmod(own_template, 0755);
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		xasprintf(&p, "%s/%s", own_template, dirs[i]);
		mkdir(p, 0755);
		free(p);
	}
	p = path_of(own_template, "passwd");
	spit(p, "root:x:0:0:root:/root:/bin/bash\n"
	    "alice:x:1000:1000:Alice Example:/home/alice:/bin/bash\n"
	    "bob:x:1001:1001:Bob Example:/home/bob:/bin/bash\n"
	    "carol:x:1002:1002:Carol Example:/home/carol:/bin/bash\n"
	    "dave:x:1003:1003:Dave Example:/home/dave:/bin/bash\n", 0644);
	free(p);
	p = path_of(own_template, "shadow");
	spit(p, "root:*:19000:0:99999:7:::\n"
	    "alice:$y$j9T$Q1uHwJxVlbDZ0xfXnBUvT.$fWq5tOKXf0t7sV1Hm4gV4Y6Yc"
	    "2mNf6W8Z2p0m3sU1qB:19000:0:99999:7:::\n"
	    "bob:!$y$j9T$Q1uHwJxVlbDZ0xfXnBUvT.$fWq5tOKXf0t7sV1Hm4gV4Y6Yc"
	    "2mNf6W8Z2p0m3sU1qB:19000:0:99999:7:::\n"
	    "carol:$y$j9T$Q1uHwJxVlbDZ0xfXnBUvT.$fWq5tOKXf0t7sV1Hm4gV4Y6Yc"
	    "2mNf6W8Z2p0m3sU1qB:19000:0:99999:7:::\n"
	    "dave:!:19000:0:99999:7:::\n", 0640);
	free(p);
	p = path_of(own_template, "group");
	spit(p, "root:x:0:\nusers:x:100:\nstaff:x:990:carol\n"
	    "alice:x:1000:\nbob:x:1001:\ncarol:x:1002:\ndave:x:1003:\n",
	    0644);
	free(p);
	p = path_of(own_template, "gshadow");
	spit(p, "root:*::\nusers:*::\nstaff:!::carol\n"
	    "alice:!::\nbob:!::\ncarol:!::\ndave:!::\n", 0640);
	free(p);
	xasprintf(&p, "%s/bin/bash", own_template);
	spit(p, "", 0755);
	free(p);
	template_root = own_template;
}

/* Tests. */

static void
t_list(void **state)
{
	struct target		*t;
	struct target_account	*a;
	const struct target_account *x;
	char			*root = new_root(), *cause = NULL, *pw;
	size_t			 n, lines = 0;
	char			*p;

	t = open_root(root, NULL);
	if (U->list(t, &a, &n, &cause) != 0)
		fail_msg("list: %s", cause);
	p = path_of(root, "passwd");
	pw = slurp(p, NULL);
	free(p);
	for (p = pw; *p != '\0'; p++)
		lines += *p == '\n';
	assert_int_equal(n, lines);
	free(pw);

	x = find_account(a, n, "alice");
	assert_string_equal(x->name, "Alice Example");
	assert_int_equal(x->locked, 0);
	assert_int_equal(x->expired, 0);
	assert_int_equal(x->must_change, 0);
	assert_true(x->last_change > 0);
	assert_int_equal(x->last_change % 86400, 0);
	assert_int_equal(x->last_use, -1);	/* no login records */
	assert_null(target_unix_lastuse_note(t));
	assert_int_equal(find_account(a, n, "bob")->locked, 1);
	assert_int_equal(find_account(a, n, "dave")->locked, 1);
	assert_int_equal(find_account(a, n, "root")->locked, 0);
	free(a);
	U->close(t);
	rm_tree(root);
	free(root);
}

/*
 * Last use: login records planted under the root.  wtmp is written by
 * glibc's own updwtmp(3), as login programs write it; lastlog as shadow's
 * login writes it, a struct lastlog at uid * its size.
 */
#define T_ALICE_OLD	1700000000	/* 2023-11-14 22:13:20 UTC */
#define T_ALICE		1700086400
#define T_CAROL_WTMP	1700100000
#define T_CAROL_LL	1700200000
#define T_DAVE_LL	1700300000
#define T_BOB_DEAD	1700400000
#define WTMP_RECORDS	(1 << 20)	/* unix-int.h's UNIX_WTMP_RECORDS */

/* ROOT/var/log/name, the directories made; caller frees. */
static char *
log_path(const char *root, const char *name)
{
	char	*p;

	xasprintf(&p, "%s/var", root);
	(void)mkdir(p, 0755);
	free(p);
	xasprintf(&p, "%s/var/log", root);
	(void)mkdir(p, 0755);
	free(p);
	xasprintf(&p, "%s/var/log/%s", root, name);
	return p;
}

/* An empty file of that mode (updwtmp does not create one). */
static void
touch(const char *path, mode_t mode)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)) == -1)
		fail_msg("%s: %s", path, strerror(errno));
	fchmod(fd, mode);
	close(fd);
}

/* One record appended by glibc; user may fill the field (no NUL). */
static void
wtmp_add(const char *path, short type, const char *user, int32_t when)
{
	struct utmp	 u;

	memset(&u, 0, sizeof u);
	u.ut_type = type;
	u.ut_pid = 4242;
	memcpy(u.ut_line, "pts/1", 5);
	memcpy(u.ut_id, "ts/1", 4);
	memcpy(u.ut_user, user, strnlen(user, sizeof u.ut_user));
	memcpy(u.ut_host, "192.0.2.7", 9);
	u.ut_tv.tv_sec = when;
	updwtmp(path, &u);
}

/* login's lastlog record, at its uid in ROOT's passwd. */
static void
lastlog_set(const char *root, const char *path, const char *login,
    int32_t when)
{
	struct lastlog	 ll;
	char		*uid = field_of(root, "passwd", login, 2);
	int		 fd;

	assert_non_null(uid);
	memset(&ll, 0, sizeof ll);
	ll.ll_time = when;
	memcpy(ll.ll_line, "pts/2", 5);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0664)) == -1)
		fail_msg("%s: %s", path, strerror(errno));
	if (pwrite(fd, &ll, sizeof ll, (off_t)strtoll(uid, NULL, 10) *
	    (off_t)sizeof ll) != (ssize_t)sizeof ll)
		fail_msg("pwrite %s", path);
	close(fd);
	free(uid);
}

/* The listing's last_use of login, and the target's note (or NULL). */
static int64_t
last_use_of(struct target *t, const char *login, char **note)
{
	struct target_account	*a;
	char			*cause = NULL;
	const char		*nt;
	size_t			 n;
	int64_t			 v;

	if (U->list(t, &a, &n, &cause) != 0)
		fail_msg("list: %s", cause);
	v = find_account(a, n, login)->last_use;
	free(a);
	if (note != NULL) {
		nt = target_unix_lastuse_note(t);
		*note = nt != NULL ? xstrdup(nt) : NULL;
	}
	return v;
}

static void
check_note(const char *note, const char *want)
{
	if (want == NULL && note != NULL)
		fail_msg("unexpected note: %s", note);
	if (want != NULL && (note == NULL || strstr(note, want) == NULL))
		fail_msg("note \"%s\" does not say \"%s\"", note != NULL ?
		    note : "(none)", want);
}

/* last(1) -f path, in UTC: its output has want. */
static void
check_last(const char *path, const char *login, const char *want)
{
	char	*out;

	setenv("TZ", "UTC", 1);
	if (runl(&out, "last", "--time-format", "iso", "-w", "-f", path,
	    login, NULL) != 0)
		fail_msg("last -f %s failed:\n%s", path, out);
	unsetenv("TZ");
	if (strstr(out, want) == NULL)
		fail_msg("last -f %s %s does not show %s:\n%s", path, login,
		    want, out);
	free(out);
}

static void
t_last_use(void **state)
{
	struct target	*t;
	char		*root = new_root(), *wtmp, *ll, *note;
	int32_t		 future = (int32_t)(time(NULL) + 10 * 86400);

	wtmp = log_path(root, "wtmp");
	ll = log_path(root, "lastlog");
	touch(wtmp, 0664);
	wtmp_add(wtmp, BOOT_TIME, "reboot", T_ALICE_OLD - 60);
	wtmp_add(wtmp, USER_PROCESS, "alice", T_ALICE_OLD);
	wtmp_add(wtmp, DEAD_PROCESS, "", T_ALICE_OLD + 60);
	wtmp_add(wtmp, USER_PROCESS, "alice", T_ALICE);	/* the newest */
	/* After the clock was set back: later in the file, but older. */
	wtmp_add(wtmp, USER_PROCESS, "alice", T_ALICE_OLD + 3600);
	wtmp_add(wtmp, USER_PROCESS, "carol", T_CAROL_WTMP);
	/* A logout names no login; bob never logged in. */
	wtmp_add(wtmp, DEAD_PROCESS, "bob", T_BOB_DEAD);
	/* Not understood: a type utmp.h lacks, a date ahead, no login. */
	wtmp_add(wtmp, 99, "bob", T_BOB_DEAD + 1);
	wtmp_add(wtmp, USER_PROCESS, "alice", future);
	wtmp_add(wtmp, USER_PROCESS, "", T_ALICE + 1);
	/* A login that fills the field (no NUL): no account of ours. */
	wtmp_add(wtmp, USER_PROCESS, "abcdefghijklmnopqrstuvwxyz012345",
	    T_ALICE + 2);
	touch(ll, 0664);
	lastlog_set(root, ll, "carol", T_CAROL_LL);	/* newer than wtmp */
	lastlog_set(root, ll, "dave", T_DAVE_LL);
	lastlog_set(root, ll, "alice", T_ALICE_OLD);	/* older: wtmp wins */

	t = open_root(root, NULL);
	assert_int_equal(last_use_of(t, "alice", &note), T_ALICE);
	check_note(note, "wtmp: 3 records not understood, ignored");
	free(note);
	assert_int_equal(last_use_of(t, "bob", NULL), -1);
	assert_int_equal(last_use_of(t, "carol", NULL), T_CAROL_LL);
	assert_int_equal(last_use_of(t, "dave", NULL), T_DAVE_LL);
	assert_int_equal(last_use_of(t, "root", NULL), -1);

	/* util-linux's last(1) reads the same file the same way. */
	check_last(wtmp, "alice", "2023-11-15T22:13:20+00:00");
	check_last(wtmp, "alice", "2023-11-14T22:13:20+00:00");
	check_last(wtmp, "carol", "2023-11-16T02:00:00+00:00");

	U->close(t);
	free(wtmp);
	free(ll);
	rm_tree(root);
	free(root);
}

/* A short last record (a login being written): the whole ones count. */
static void
t_last_use_truncated(void **state)
{
	struct target	*t;
	char		*root = new_root(), *wtmp, *note;
	int		 fd;

	wtmp = log_path(root, "wtmp");
	touch(wtmp, 0644);
	wtmp_add(wtmp, USER_PROCESS, "alice", T_ALICE);
	wtmp_add(wtmp, USER_PROCESS, "bob", T_BOB_DEAD);
	if ((fd = open(wtmp, O_RDWR)) == -1 ||
	    ftruncate(fd, (off_t)(2 * sizeof(struct utmp) - 100)) != 0)
		fail_msg("truncate %s", wtmp);
	close(fd);
	t = open_root(root, NULL);
	assert_int_equal(last_use_of(t, "alice", &note), T_ALICE);
	check_note(note, "ends in a partial record of 284 bytes, ignored");
	free(note);
	assert_int_equal(last_use_of(t, "bob", NULL), -1);
	check_last(wtmp, "alice", "2023-11-15T22:13:20+00:00");
	U->close(t);
	free(wtmp);
	rm_tree(root);
	free(root);
}

/* Files not to trust are not read; absent ones are no note. */
static void
t_last_use_refused(void **state)
{
	struct target	*t;
	char		*root = new_root(), *wtmp, *ll, *real, *note;

	t = open_root(root, NULL);
	/* Absent, and then present but empty: nothing known, no note. */
	assert_int_equal(last_use_of(t, "alice", &note), -1);
	check_note(note, NULL);
	wtmp = log_path(root, "wtmp");
	ll = log_path(root, "lastlog");
	touch(wtmp, 0664);
	touch(ll, 0664);
	assert_int_equal(last_use_of(t, "alice", &note), -1);
	check_note(note, NULL);

	/* A symbolic link, even to a good file. */
	real = log_path(root, "wtmp.real");
	touch(real, 0644);
	wtmp_add(real, USER_PROCESS, "alice", T_ALICE);
	unlink(wtmp);
	if (symlink(real, wtmp) != 0)
		fail_msg("symlink: %s", strerror(errno));
	assert_int_equal(last_use_of(t, "alice", &note), -1);
	check_note(note, "wtmp: a symbolic link: not read");
	free(note);

	/* Writable by anyone: anyone could make an account look used. */
	unlink(wtmp);
	if (rename(real, wtmp) != 0)
		fail_msg("rename: %s", strerror(errno));
	chmod(wtmp, 0666);
	assert_int_equal(last_use_of(t, "alice", &note), -1);
	check_note(note, "wtmp: writable by anyone: not read");
	free(note);
	chmod(wtmp, 0664);
	assert_int_equal(last_use_of(t, "alice", &note), T_ALICE);
	check_note(note, NULL);

	/* A FIFO is refused without blocking on its open. */
	unlink(ll);
	if (mkfifo(ll, 0644) != 0)
		fail_msg("mkfifo: %s", strerror(errno));
	assert_int_equal(last_use_of(t, "alice", &note), T_ALICE);
	check_note(note, "lastlog: not a regular file: not read");
	free(note);
	U->close(t);
	free(wtmp);
	free(ll);
	free(real);
	rm_tree(root);
	free(root);
}

/*
 * A wtmp larger than the records read: only the newest are (a sparse
 * file, so the test writes little).
 */
static void
t_last_use_huge(void **state)
{
	struct target	*t;
	char		*root = new_root(), *wtmp, *note, *want;
	int		 fd;

	wtmp = log_path(root, "wtmp");
	touch(wtmp, 0644);
	wtmp_add(wtmp, USER_PROCESS, "alice", T_ALICE);	/* record 0 */
	if ((fd = open(wtmp, O_RDWR)) == -1 || ftruncate(fd,
	    (off_t)(WTMP_RECORDS + 9) * (off_t)sizeof(struct utmp)) != 0)
		fail_msg("truncate %s", wtmp);
	close(fd);
	wtmp_add(wtmp, USER_PROCESS, "bob", T_BOB_DEAD);	/* the last */
	t = open_root(root, NULL);
	assert_int_equal(last_use_of(t, "bob", &note), T_BOB_DEAD);
	xasprintf(&want, "only its newest %d records read, the older 10 not",
	    WTMP_RECORDS);
	check_note(note, want);
	free(want);
	free(note);
	assert_int_equal(last_use_of(t, "alice", NULL), -1);
	U->close(t);
	free(wtmp);
	rm_tree(root);
	free(root);
}

static void
t_lock_unlock(void **state)
{
	struct target		*t;
	struct target_req	 r[4];
	struct target_account	*a;
	struct snap		 before;
	char			*root = new_root(), *old, *bob, *want, *cause;
	char			*p, *q;
	size_t			 n, len;

	t = open_root(root, NULL);
	snap_take(root, &before);
	old = field_of(root, "shadow", "alice", 1);
	bob = field_of(root, "shadow", "bob", 1);
	r[0] = req(TARGET_LOCK, "alice", NULL);
	r[1] = req(TARGET_LOCK, "bob", NULL);		/* locked already */
	r[2] = req(TARGET_UNLOCK, "carol", NULL);	/* not locked */
	r[3] = req(TARGET_UNLOCK, "dave", NULL);	/* "!": no password */
	apply_ok(t, r, 4);
	check_done(&r[0]);
	check_done(&r[1]);
	check_done(&r[2]);
	check_refused(&r[3], "empty password");
	xasprintf(&want, "!%s", old);
	check_field(root, "shadow", "alice", 1, want);
	free(want);
	/* A lock also expires the account on day 1, so keys stop too. */
	check_field(root, "shadow", "alice", 7, "1");
	/* Locked already: only that expiry is added. */
	check_field(root, "shadow", "bob", 7, "1");
	check_field(root, "shadow", "bob", 1, bob);
	check_passwd_status(root, "alice", "L");
	check_passwd_status(root, "bob", "L");
	check_passwd_status(root, "carol", "P");

	/* The backup is the previous file; passwd was not rewritten. */
	p = path_of(root, "shadow-");
	q = slurp(p, &len);
	assert_int_equal(len, before.len[1]);
	assert_memory_equal(q, before.text[1], len);
	free(q);
	free(p);
	p = path_of(root, "passwd");
	q = slurp(p, &len);
	assert_int_equal(len, before.len[0]);
	assert_memory_equal(q, before.text[0], len);
	free(q);
	free(p);
	tools_ok(root);
	no_leftovers(root);

	cause = NULL;
	assert_int_equal(U->list(t, &a, &n, &cause), 0);
	assert_int_equal(find_account(a, n, "alice")->locked, 1);
	free(a);

	/* Unlocked without an end date: the lock's expiry goes. */
	r[0] = req(TARGET_UNLOCK, "alice", NULL);
	apply_ok(t, r, 1);
	check_done(&r[0]);
	check_field(root, "shadow", "alice", 1, old);
	check_field(root, "shadow", "alice", 7, "");
	check_passwd_status(root, "alice", "P");
	tools_ok(root);

	/* With the ledger's end date, that date comes back. */
	r[0] = req(TARGET_LOCK, "alice", NULL);
	r[1] = req(TARGET_UNLOCK, "alice", "2030-01-01");
	apply_ok(t, r, 2);
	check_done(&r[1]);
	check_field(root, "shadow", "alice", 7, "21915");
	check_field(root, "shadow", "alice", 1, old);
	/* A real expiry is left alone by an unlock without a date. */
	r[0] = req(TARGET_UNLOCK, "alice", NULL);
	r[1] = req(TARGET_UNLOCK, "alice", "31/12/2030");
	apply_ok(t, r, 2);
	check_done(&r[0]);
	check_refused(&r[1], "YYYY-MM-DD");
	check_field(root, "shadow", "alice", 7, "21915");
	tools_ok(root);

	free(old);
	free(bob);
	snap_free(&before);
	U->close(t);
	rm_tree(root);
	free(root);
}

/* secret is the password of hash (checked with libxcrypt directly). */
static void
check_password(const char *hash, const char *secret)
{
	struct crypt_data	*d;
	const char		*h;

	d = xcalloc(1, sizeof *d);
	h = crypt_rn(secret, hash, d, sizeof *d);
	if (h == NULL || strcmp(h, hash) != 0)
		fail_msg("the temporary password does not match the hash");
	h = crypt_rn("wrong", hash, d, sizeof *d);
	assert_true(h == NULL || strcmp(h, hash) != 0);
	free(d);
}

static void
t_create(void **state)
{
	struct target		*t;
	struct target_req	 r[8];
	struct target_account	*a;
	const struct target_account *x;
	struct stat		 sb;
	char			*root = new_root(), *cause = NULL;
	char			*uid, *gid, *hash, *p, st[8], date[16];
	long long		 u;
	size_t			 n;

	t = open_root(root, NULL);
	r[0] = req(TARGET_CREATE, "erin", "Erin Example");
	r[1] = req(TARGET_CREATE, "alice", "Alice Again");	/* exists */
	r[2] = req(TARGET_CREATE, "staff", "Group Name");	/* a group */
	r[3] = req(TARGET_CREATE, "12345", "Digits");
	r[4] = req(TARGET_CREATE, "fred", "Fred: Colon");
	r[5] = req(TARGET_CREATE, "yamada.t", "山田 太郎");
	r[6] = req(TARGET_CREATE, "gina", "bad \xff utf-8");
	r[7] = req(TARGET_CREATE, "h\xc3\xa9", "Accent");
	apply_ok(t, r, 8);
	check_done(&r[0]);
	check_refused(&r[1], "already has an entry");
	check_refused(&r[2], "group");
	check_refused(&r[3], "all digits");
	check_refused(&r[4], "':' in the name");
	check_done(&r[5]);
	check_refused(&r[6], "UTF-8");
	check_refused(&r[7], "letters, digits");
	check_temp_password(r[0].secret);
	check_temp_password(r[5].secret);
	assert_string_equal(r[1].secret, "");
	assert_string_not_equal(r[0].secret, r[5].secret);

	uid = field_of(root, "passwd", "erin", 2);
	gid = field_of(root, "passwd", "erin", 3);
	u = strtoll(uid, NULL, 10);
	assert_true(u >= 1004 && u <= 60000);	/* above the highest, 1003 */
	assert_string_equal(uid, gid);		/* gid = uid when free */
	check_field(root, "passwd", "erin", 1, "x");
	check_field(root, "passwd", "erin", 4, "Erin Example");
	check_field(root, "passwd", "erin", 5, "/home/erin");
	check_field(root, "passwd", "erin", 6, "/bin/bash");
	check_field(root, "group", "erin", 2, gid);
	check_field(root, "group", "erin", 3, "");
	check_field(root, "gshadow", "erin", 1, "!");
	check_field(root, "shadow", "erin", 2, "0");	/* must change */
	check_field(root, "passwd", "yamada.t", 4, "山田 太郎");
	hash = field_of(root, "shadow", "erin", 1);
	assert_true(strncmp(hash, "$y$", 3) == 0);
	check_password(hash, r[0].secret);
	check_absent(root, "passwd", "12345");

	if (geteuid() == 0) {
		xasprintf(&p, "%s/home/erin", root);
		assert_int_equal(lstat(p, &sb), 0);
		assert_true(S_ISDIR(sb.st_mode));
		assert_int_equal(sb.st_mode & 07777, 0700);
		assert_int_equal((long long)sb.st_uid, u);
		free(p);
	}

	assert_int_equal(U->list(t, &a, &n, &cause), 0);
	x = find_account(a, n, "erin");
	assert_int_equal(x->must_change, 1);
	assert_int_equal(x->locked, 0);
	assert_string_equal(x->name, "Erin Example");
	assert_string_equal(find_account(a, n, "yamada.t")->name, "山田 太郎");
	free(a);

	if (passwd_status(root, "erin", st, date)) {
		assert_string_equal(st, "P");
		assert_string_equal(date, "1970-01-01");
	}
	tools_ok(root);

	/*
	 * The same create again, as after a crash that lost its result: the
	 * never-used account it made is taken as done, with a new temporary
	 * password; one with another display name, or already used, is not.
	 */
	r[0] = req(TARGET_CREATE, "erin", "Erin Example");
	r[1] = req(TARGET_CREATE, "yamada.t", "Someone Else");
	apply_ok(t, r, 2);
	assert_true(r[0].done);		/* with a notice */
	assert_non_null(strstr(r[0].error, "interruption"));
	check_temp_password(r[0].secret);
	p = field_of(root, "shadow", "erin", 1);
	assert_string_not_equal(p, hash);
	check_password(p, r[0].secret);
	free(p);
	check_field(root, "passwd", "erin", 2, uid);
	check_field(root, "shadow", "erin", 2, "0");
	check_refused(&r[1], "already has an entry");
	/* Once its password has been changed, it is someone's account. */
	r[0] = req_secret("erin", "Erin's own pass");
	apply_ok(t, r, 1);
	check_done(&r[0]);
	r[0] = req(TARGET_CREATE, "erin", "Erin Example");
	apply_ok(t, r, 1);
	check_refused(&r[0], "already has an entry");
	tools_ok(root);
	free(hash);
	free(uid);
	free(gid);
	sodium_memzero(r, sizeof r);
	U->close(t);
	rm_tree(root);
	free(root);
}

static void
t_create_groups(void **state)
{
	struct target		*t;
	struct target_req	 r[1];
	char			*root = new_root(), *cause = NULL;

	t = open_root(root, "groups=staff,users\n");
	r[0] = req(TARGET_CREATE, "erin", "Erin");
	apply_ok(t, r, 1);
	check_done(&r[0]);
	check_field(root, "group", "staff", 3, "carol,erin");
	check_field(root, "group", "users", 3, "erin");
	check_field(root, "gshadow", "staff", 3, "carol,erin");
	check_field(root, "gshadow", "users", 3, "erin");
	tools_ok(root);
	U->close(t);

	/* A configured group that is missing refuses the creation. */
	t = open_root(root, "groups=nosuch\n");
	r[0] = req(TARGET_CREATE, "fred", "Fred");
	apply_ok(t, r, 1);
	check_refused(&r[0], "nosuch");
	check_absent(root, "passwd", "fred");
	U->close(t);

	t = U->open("root=/tmp\ngroups=a:b\n", &cause);
	assert_null(t);
	assert_non_null(strstr(cause, "groups="));
	free(cause);
	rm_tree(root);
	free(root);
}

static void
t_create_many(void **state)
{
	struct target		*t;
	struct target_req	 r[40];
	char			*root = new_root(), name[16], *uid, *gid;
	char			 seen[60001];
	long long		 u;
	size_t			 i;

	memset(seen, 0, sizeof seen);
	t = open_root(root, NULL);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "new%02zu", i);
		r[i] = req(TARGET_CREATE, name, "Batch Person");
	}
	apply_ok(t, r, 40);
	for (i = 0; i < 40; i++) {
		check_done(&r[i]);
		uid = field_of(root, "passwd", r[i].login, 2);
		gid = field_of(root, "group", r[i].login, 2);
		u = strtoll(uid, NULL, 10);
		assert_true(u >= 1000 && u <= 60000);
		assert_int_equal(seen[u], 0);
		seen[u] = 1;
		assert_string_equal(uid, gid);
		free(uid);
		free(gid);
	}
	tools_ok(root);
	sodium_memzero(r, sizeof r);
	U->close(t);
	rm_tree(root);
	free(root);
}

/* Uid reuse and the revoked account's home (revoke_home=). */

/* Create login through the target; its uid. */
static long long
create_one(struct target *t, const char *root, const char *login)
{
	struct target_req r = req(TARGET_CREATE, login, "Reuse Test");
	char		*uid;
	long long	 u;

	apply_ok(t, &r, 1);
	check_done(&r);
	sodium_memzero(&r, sizeof r);
	uid = field_of(root, "passwd", login, 2);
	assert_non_null(uid);
	u = strtoll(uid, NULL, 10);
	free(uid);
	return u;
}

/* Delete login through the target; the request's notice into notice. */
static void
delete_one(struct target *t, const char *login, char *notice, size_t len)
{
	struct target_req r = req(TARGET_DELETE, login, NULL);

	apply_ok(t, &r, 1);
	check_done(&r);
	if (notice != NULL)
		snprintf(notice, len, "%s", r.error);
}

/*
 * A revoked account's uid never goes to a new one: not when it had the
 * highest uid (useradd's max + 1 would give it again), not when it was
 * in the middle, and not after the target is opened again.
 */
static void
t_uid_never_reused(void **state)
{
	struct target	*t;
	char		*root = new_root(), *dave, *g, *ids, *p;
	long long	 u1, u2, u3, d;

	(void)state;
	t = open_root(root, NULL);
	u1 = create_one(t, root, "erin");
	delete_one(t, "erin", NULL, 0);
	u2 = create_one(t, root, "fay");
	if (u2 <= u1)
		fail_msg("fay got uid %lld after erin's %lld was revoked", u2,
		    u1);
	g = field_of(root, "group", "fay", 2);
	assert_true(strtoll(g, NULL, 10) > u1);
	free(g);

	dave = field_of(root, "passwd", "dave", 2);
	d = strtoll(dave, NULL, 10);
	free(dave);
	delete_one(t, "dave", NULL, 0);
	delete_one(t, "fay", NULL, 0);
	U->close(t);
	t = open_root(root, NULL);
	u3 = create_one(t, root, "gus");
	if (u3 <= u2 || u3 == d || u3 == u1)
		fail_msg("gus got uid %lld (erin had %lld, fay %lld, dave %lld)",
		    u3, u1, u2, d);
	p = path_of(root, "daicho-ids");
	ids = slurp(p, NULL);
	assert_non_null(ids);
	xasprintf(&g, "\nuid %lld\n", u3);
	assert_non_null(strstr(ids, g));
	free(g);
	free(ids);
	free(p);
	tools_ok(root);
	U->close(t);
	rm_tree(root);
	free(root);
}

/* A range whose top was given out is used up, not wrapped around. */
static void
t_uid_range_used_up(void **state)
{
	struct target		*t;
	struct target_req	 r;
	char			*root = new_root(), *conf;

	(void)state;
	xasprintf(&conf, "root=%s\ncreate_home=no\nuid_min=2000\n"
	    "uid_max=2001\n", root);
	t = U->open(conf, NULL);
	assert_non_null(t);
	assert_int_equal(create_one(t, root, "erin"), 2000);
	assert_int_equal(create_one(t, root, "fay"), 2001);
	delete_one(t, "fay", NULL, 0);
	delete_one(t, "erin", NULL, 0);
	r = req(TARGET_CREATE, "gus", "Reuse Test");
	apply_ok(t, &r, 1);
	assert_false(r.done);
	assert_non_null(strstr(r.error, "never given out twice"));
	assert_null(line_of(root, "passwd", "gus"));
	tools_ok(root);
	U->close(t);
	free(conf);
	rm_tree(root);
	free(root);
}

/* ROOT/home/login. */
static char *
home_of(const char *root, const char *login)
{
	char	*p;

	xasprintf(&p, "%s/home/%s", root, login);
	return p;
}

/* Homes are made only as root (open_root): skip the home tests else. */
static int
homes_made(void)
{
	return geteuid() == 0;
}

/* The default, revoke_home=lock: owner root, mode 000, files kept. */
static void
t_revoke_home_lock(void **state)
{
	struct target	*t;
	struct stat	 sb;
	char		*root = new_root(), *home, *f, notice[256];

	(void)state;
	if (!homes_made())
		skip();
	t = open_root(root, NULL);
	(void)create_one(t, root, "erin");
	home = home_of(root, "erin");
	xasprintf(&f, "%s/notes", home);
	append(f, "kept as a record\n");
	delete_one(t, "erin", notice, sizeof notice);
	assert_non_null(strstr(notice, "locked (owner root, mode 000)"));
	assert_int_equal(lstat(home, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_uid, 0);
	assert_int_equal(sb.st_gid, 0);
	assert_int_equal(sb.st_mode & 07777, 0);
	assert_int_equal(access(f, F_OK), 0);	/* root still reaches it */
	tools_ok(root);
	U->close(t);
	free(f);
	free(home);
	rm_tree(root);
	free(root);
}

/* revoke_home=remove: gone, without following a link out of it. */
static void
t_revoke_home_remove(void **state)
{
	struct target	*t;
	struct stat	 sb;
	char		*root = new_root(), *home, *f, *pw, notice[256];

	(void)state;
	if (!homes_made())
		skip();
	t = open_root(root, "revoke_home=remove\n");
	(void)create_one(t, root, "erin");
	home = home_of(root, "erin");
	xasprintf(&f, "%s/sub", home);
	assert_int_equal(mkdir(f, 0700), 0);
	free(f);
	xasprintf(&f, "%s/sub/deep", home);
	append(f, "x\n");
	free(f);
	xasprintf(&f, "%s/outside", home);
	pw = path_of(root, "group");
	assert_int_equal(symlink(pw, f), 0);
	free(f);
	free(pw);
	xasprintf(&f, "%s/linkdir", home);
	xasprintf(&pw, "%s/etc", root);
	assert_int_equal(symlink(pw, f), 0);
	free(f);
	delete_one(t, "erin", notice, sizeof notice);
	assert_non_null(strstr(notice, "removed"));
	assert_int_equal(lstat(home, &sb), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(access(pw, F_OK), 0);
	free(pw);
	pw = path_of(root, "group");
	assert_int_equal(access(pw, F_OK), 0);
	free(pw);
	tools_ok(root);
	U->close(t);
	free(home);
	rm_tree(root);
	free(root);
}

/* revoke_home=keep: as userdel without -r. */
static void
t_revoke_home_keep(void **state)
{
	struct target	*t;
	struct stat	 sb;
	char		*root = new_root(), *home, notice[256];
	long long	 u;

	(void)state;
	if (!homes_made())
		skip();
	t = open_root(root, "revoke_home=keep\n");
	u = create_one(t, root, "erin");
	home = home_of(root, "erin");
	delete_one(t, "erin", notice, sizeof notice);
	assert_string_equal(notice, "");
	assert_int_equal(lstat(home, &sb), 0);
	assert_int_equal(sb.st_uid, (uid_t)u);
	assert_int_equal(sb.st_mode & 07777, 0700);
	U->close(t);
	free(home);
	rm_tree(root);
	free(root);
}

/*
 * Only the account's own home is touched: not one owned by someone
 * else, not one reached through a link, not one another account has.
 */
static void
t_revoke_home_not_its_own(void **state)
{
	struct target	*t;
	struct stat	 sb;
	char		*root = new_root(), *home, *other, notice[256];
	long long	 u;

	(void)state;
	if (!homes_made())
		skip();
	t = open_root(root, "revoke_home=remove\n");

	(void)create_one(t, root, "erin");
	home = home_of(root, "erin");
	assert_int_equal(chown(home, 0, 0), 0);
	delete_one(t, "erin", notice, sizeof notice);
	assert_non_null(strstr(notice, "not owned by the account"));
	assert_int_equal(lstat(home, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	free(home);

	u = create_one(t, root, "fay");
	home = home_of(root, "fay");
	xasprintf(&other, "%s/elsewhere", root);
	assert_int_equal(rename(home, other), 0);
	assert_int_equal(symlink(other, home), 0);
	delete_one(t, "fay", notice, sizeof notice);
	assert_non_null(strstr(notice, "symbolic link"));
	assert_int_equal(lstat(other, &sb), 0);
	assert_int_equal(sb.st_uid, (uid_t)u);
	assert_int_equal(sb.st_mode & 07777, 0700);
	free(other);
	free(home);

	(void)create_one(t, root, "gus");
	xasprintf(&other, "gus2:x:1500:1500:Gus Too:/home/gus:/bin/bash\n");
	home = path_of(root, "passwd");
	append(home, other);
	free(home);
	free(other);
	delete_one(t, "gus", notice, sizeof notice);
	assert_non_null(strstr(notice, "another account has it too"));
	home = home_of(root, "gus");
	assert_int_equal(lstat(home, &sb), 0);
	free(home);

	U->close(t);
	rm_tree(root);
	free(root);
}

static void
t_delete(void **state)
{
	struct target		*t;
	struct target_req	 r[4];
	char			*root = new_root(), *p, *gid;

	/* carol administers staff too; frank has alice's group as primary. */
	p = path_of(root, "gshadow");
	{
		char *g = slurp(p, NULL), *s = strstr(g, "staff:");
		char *nl = strchr(s, '\n'), *out;

		xasprintf(&out, "%.*sstaff:!:carol:carol,dave%s",
		    (int)(s - g), g, nl);
		spit(p, out, 0640);
		free(out);
		free(g);
	}
	free(p);
	p = path_of(root, "group");
	{
		char *g = slurp(p, NULL), *s = strstr(g, "staff:");
		char *nl = strchr(s, '\n'), *out;

		xasprintf(&out, "%.*sstaff:x:990:carol,dave%s",
		    (int)(s - g), g, nl);
		spit(p, out, 0644);
		free(out);
		free(g);
	}
	free(p);
	gid = field_of(root, "passwd", "alice", 3);
	p = path_of(root, "passwd");
	{
		char *l;

		xasprintf(&l, "frank:x:1500:%s:Frank:/home/alice:/bin/bash\n",
		    gid);
		append(p, l);
		free(l);
	}
	free(p);
	p = path_of(root, "shadow");
	append(p, "frank:!:19000:0:99999:7:::\n");
	free(p);

	t = open_root(root, NULL);
	r[0] = req(TARGET_DELETE, "carol", NULL);
	r[1] = req(TARGET_DELETE, "alice", NULL);
	r[2] = req(TARGET_DELETE, "root", NULL);
	r[3] = req(TARGET_DELETE, "nosuch", NULL);
	apply_ok(t, r, 4);
	check_done(&r[0]);
	check_done(&r[1]);
	check_refused(&r[2], "uid 0");
	check_refused(&r[3], "no such account");
	check_absent(root, "passwd", "carol");
	check_absent(root, "shadow", "carol");
	check_absent(root, "group", "carol");
	check_absent(root, "gshadow", "carol");
	check_field(root, "group", "staff", 3, "dave");
	check_field(root, "gshadow", "staff", 2, "");
	check_field(root, "gshadow", "staff", 3, "dave");
	check_absent(root, "passwd", "alice");
	check_absent(root, "shadow", "alice");
	check_field(root, "group", "alice", 2, gid);	/* frank's primary */
	check_field(root, "passwd", "root", 2, "0");
	free(gid);

	/* Delete frank too: pwck must be happy again (no group-less user). */
	r[0] = req(TARGET_DELETE, "frank", NULL);
	apply_ok(t, r, 1);
	check_done(&r[0]);
	tools_ok(root);
	U->close(t);
	rm_tree(root);
	free(root);
}

static void
t_expire(void **state)
{
	struct target		*t;
	struct target_req	 r[9];
	struct target_account	*a;
	char			*root = new_root(), *cause = NULL, want[32];
	size_t			 n;

	t = open_root(root, NULL);
	r[0] = req(TARGET_EXPIRE, "alice", "2030-01-01");
	r[1] = req(TARGET_EXPIRE, "bob", "now");
	r[2] = req(TARGET_EXPIRE, "carol", "2030-02-30");
	r[3] = req(TARGET_EXPIRE, "carol", "2030-1-01");
	r[4] = req(TARGET_EXPIRE, "carol", "1970-01-01");
	r[5] = req(TARGET_EXPIRE, "carol", "tomorrow");
	r[6] = req(TARGET_EXPIRE, "carol", "");
	r[7] = req(TARGET_EXPIRE, "dave", "2024-02-29");
	r[8] = req(TARGET_EXPIRE, "nosuch", "2030-01-01");
	apply_ok(t, r, 9);
	check_done(&r[0]);
	check_done(&r[1]);
	for (n = 2; n <= 6; n++)
		check_refused(&r[n], "YYYY-MM-DD");
	check_done(&r[7]);
	check_refused(&r[8], "no such account");
	check_field(root, "shadow", "alice", 7, "21915");	/* as chage */
	check_field(root, "shadow", "dave", 7, "19782");
	snprintf(want, sizeof want, "%ld", today - 1);
	check_field(root, "shadow", "bob", 7, want);
	check_field(root, "shadow", "carol", 7, "");
	assert_int_equal(U->list(t, &a, &n, &cause), 0);
	assert_int_equal(find_account(a, n, "alice")->expired, 0);
	assert_int_equal(find_account(a, n, "bob")->expired, 1);
	assert_int_equal(find_account(a, n, "dave")->expired, 1);
	free(a);
	tools_ok(root);

	r[0] = req(TARGET_EXPIRE, "bob", "never");
	apply_ok(t, r, 1);
	check_done(&r[0]);
	check_field(root, "shadow", "bob", 7, "");
	U->close(t);
	rm_tree(root);
	free(root);
}

/* The hash in shadow field 2 of login (after a '!', if any) is pw's. */
static void
check_hash_of(const char *root, const char *login, const char *pw,
    int locked)
{
	struct crypt_data	*d;
	char			*field, *hash;
	const char		*h;

	field = field_of(root, "shadow", login, 1);
	assert_non_null(field);
	assert_int_equal(field[0] == '!', locked);
	hash = field + (field[0] == '!');
	if (strncmp(hash, "$y$", 3) != 0)
		fail_msg("%s: not a yescrypt hash: %s", login, hash);
	d = xcalloc(1, sizeof *d);
	h = crypt_r(pw, hash, d);
	if (h == NULL || strcmp(h, hash) != 0)
		fail_msg("%s: the new password does not match its hash", login);
	h = crypt_r("not the password", hash, d);
	assert_true(h == NULL || strcmp(h, hash) != 0);
	free(d);
	free(field);
}

static void
t_set_password(void **state)
{
	struct target		*t;
	struct target_req	 r[12];
	struct target_account	*a;
	struct snap		 before;
	char			*root = new_root(), *cause = NULL, *old;
	char			 day[32], longest[TARGET_SECRET_MAX];
	size_t			 i, n;

	t = open_root(root, NULL);
	/* carol must change hers: the owner's new one ends that. */
	r[0] = req(TARGET_FORCE_CHANGE, "carol", NULL);
	apply_ok(t, r, 1);
	check_field(root, "shadow", "carol", 2, "0");

	memset(longest, 'x', sizeof longest - 1);
	longest[sizeof longest - 1] = '\0';
	r[0] = req_secret("alice", "Alice's new pass 1");
	r[1] = req_secret("bob", "Bob's new pass");	/* locked: stays */
	r[2] = req_secret("carol", "パスワード 長い");
	r[3] = req_secret("dave", longest);		/* '!' alone: stays */
	apply_ok(t, r, 4);
	for (i = 0; i < 4; i++) {
		check_done(&r[i]);
		/* The cleartext does not outlive apply. */
		assert_string_equal(r[i].secret, "");
	}
	check_hash_of(root, "alice", "Alice's new pass 1", 0);
	check_hash_of(root, "bob", "Bob's new pass", 1);
	check_hash_of(root, "carol", "パスワード 長い", 0);
	check_hash_of(root, "dave", longest, 1);
	snprintf(day, sizeof day, "%ld", today);
	check_field(root, "shadow", "alice", 2, day);
	check_field(root, "shadow", "carol", 2, day);
	check_field(root, "shadow", "bob", 2, day);
	assert_int_equal(U->list(t, &a, &n, &cause), 0);
	assert_int_equal(find_account(a, n, "carol")->must_change, 0);
	assert_int_equal(find_account(a, n, "bob")->locked, 1);
	assert_int_equal(find_account(a, n, "dave")->locked, 1);
	assert_int_equal(find_account(a, n, "alice")->last_change,
	    (int64_t)today * 86400);
	free(a);
	check_passwd_status(root, "alice", "P");
	check_passwd_status(root, "bob", "L");
	check_passwd_status(root, "dave", "L");
	tools_ok(root);

	/* Refused, each on its own, and nothing written. */
	old = field_of(root, "shadow", "alice", 1);
	snap_take(root, &before);
	r[0] = req_secret("alice", "");
	r[1] = req_secret("alice", "two\nlines");
	r[2] = req_secret("alice", "tab\there");
	r[3] = req_secret("alice", "del\x7f");
	r[4] = req_secret("alice", "bad \xff utf-8");
	r[5] = req_secret("alice", "c1 \xc2\x85 control");
	r[6] = req_secret("alice", "x");
	memset(r[6].secret, 'y', sizeof r[6].secret);	/* 128, no NUL */
	r[7] = req_secret("alice", "fine password");
	snprintf(r[7].arg, sizeof r[7].arg, "%s", old);	/* a hash: no */
	r[8] = req_secret("nobody", "fine password");
	r[9] = req_secret("-x", "fine password");
	apply_ok(t, r, 10);
	check_refused(&r[0], "no password");
	check_refused(&r[1], "control character");
	check_refused(&r[2], "control character");
	check_refused(&r[3], "control character");
	check_refused(&r[4], "UTF-8");
	check_refused(&r[5], "control character");
	check_refused(&r[6], "longer than 127");
	check_refused(&r[7], "no argument");
	check_refused(&r[8], "no such account");
	check_refused(&r[9], "begins with");
	for (i = 0; i < 10; i++)
		assert_true(sodium_is_zero((unsigned char *)r[i].secret,
		    sizeof r[i].secret));
	snap_same(root, &before);
	snap_free(&before);
	check_field(root, "shadow", "alice", 1, old);
	free(old);
	U->close(t);
	rm_tree(root);
	free(root);
}

/*
 * A reset's temporary password is pw_generate's: drawn many times, no
 * look-alike ever comes, every class always does, and each is the
 * account's password, to be changed at the next login.
 */
static void
t_reset_alphabet(void **state)
{
	struct target		*t;
	struct target_req	 r[40];
	char			*root = new_root();
	size_t			 i;

	t = open_root(root, NULL);
	for (i = 0; i < 40; i++)
		r[i] = req(TARGET_RESET, i % 2 ? "alice" : "bob", NULL);
	apply_ok(t, r, 40);
	for (i = 0; i < 40; i++) {
		check_done(&r[i]);
		check_temp_password(r[i].secret);
		if (i > 0)
			assert_string_not_equal(r[i].secret, r[i - 1].secret);
	}
	/* The last of each stands; bob's lock stays in front. */
	check_hash_of(root, "alice", r[39].secret, 0);
	check_hash_of(root, "bob", r[38].secret, 1);
	check_field(root, "shadow", "alice", 2, "0");
	check_field(root, "shadow", "bob", 2, "0");
	check_passwd_status(root, "bob", "L");
	tools_ok(root);
	sodium_memzero(r, sizeof r);
	U->close(t);
	rm_tree(root);
	free(root);
}

/* Password aging: chage's fields 4-6, of the keys given. */
static void
t_aging(void **state)
{
	struct target		*t;
	struct target_req	 r[16];
	struct snap		 before;
	char			*root = new_root(), *chg, *l;
	const char		*bad[] = {
		"", "min=1  max=2", " min=1", "min=1 ", "min=-1", "max=100000",
		"min=01", "min=", "=1", "min", "foo=1", "min=1 min=2",
		"max=9999999999999999999999", "min=1,max=2",
	};
	size_t			 i, nbad = sizeof bad / sizeof bad[0];

	t = open_root(root, NULL);
	chg = field_of(root, "shadow", "bob", 2);
	r[0] = req(TARGET_AGING, "alice", "min=1 max=90 warn=14");
	r[1] = req(TARGET_AGING, "bob", "max=0");
	r[2] = req(TARGET_AGING, "carol", "warn=3");
	r[3] = req(TARGET_AGING, "dave", "warn=0 max=99999 min=0");
	r[4] = req(TARGET_AGING, "nobody", "min=1");
	apply_ok(t, r, 5);
	for (i = 0; i < 4; i++)
		check_done(&r[i]);
	check_refused(&r[4], "no such account");
	check_field(root, "shadow", "alice", 3, "1");
	check_field(root, "shadow", "alice", 4, "90");
	check_field(root, "shadow", "alice", 5, "14");
	/* max 0: no limit, an empty field; the others as they were. */
	check_field(root, "shadow", "bob", 4, "");
	check_field(root, "shadow", "bob", 3, "0");
	check_field(root, "shadow", "bob", 5, "7");
	check_field(root, "shadow", "bob", 2, chg);
	check_field(root, "shadow", "carol", 3, "0");
	check_field(root, "shadow", "carol", 4, "99999");
	check_field(root, "shadow", "carol", 5, "3");
	check_field(root, "shadow", "dave", 3, "0");
	check_field(root, "shadow", "dave", 4, "99999");
	check_field(root, "shadow", "dave", 5, "0");
	/* The rest of the line is untouched: the lock, the hash. */
	l = field_of(root, "shadow", "bob", 1);
	assert_int_equal(l[0], '!');
	free(l);
	check_passwd_status(root, "bob", "L");
	tools_ok(root);

	snap_take(root, &before);
	for (i = 0; i < nbad; i++)
		r[i] = req(TARGET_AGING, "alice", bad[i]);
	apply_ok(t, r, nbad);
	for (i = 0; i < nbad; i++) {
		if (r[i].done)
			fail_msg("aging \"%s\" was applied", bad[i]);
		assert_string_not_equal(r[i].error, "");
	}
	check_refused(&r[0], "nothing to set");
	check_refused(&r[5], "too large");
	check_refused(&r[10], "unknown key");
	check_refused(&r[11], "twice");
	snap_same(root, &before);
	snap_free(&before);
	free(chg);
	U->close(t);
	rm_tree(root);
	free(root);
}

/* A unix system has no system-wide policy daicho writes: refused. */
static void
t_policy_refused(void **state)
{
	struct target		*t;
	struct target_req	 r[2];
	struct snap		 before;
	char			*root = new_root();

	t = open_root(root, NULL);
	snap_take(root, &before);
	r[0] = req(TARGET_POLICY, "-", "min_length=12 max_age_days=90");
	r[1] = req(TARGET_POLICY, "alice", "history=5");
	apply_ok(t, r, 2);
	check_refused(&r[0], "op aging");
	check_refused(&r[1], "op aging");
	snap_same(root, &before);
	snap_free(&before);
	U->close(t);
	rm_tree(root);
	free(root);
}

static void
t_force_change(void **state)
{
	struct target		*t;
	struct target_req	 r[1];
	struct target_account	*a;
	char			*root = new_root(), *cause = NULL;
	char			 st[8], date[16];
	size_t			 n;

	t = open_root(root, NULL);
	r[0] = req(TARGET_FORCE_CHANGE, "alice", NULL);
	apply_ok(t, r, 1);
	check_done(&r[0]);
	check_field(root, "shadow", "alice", 2, "0");
	assert_int_equal(U->list(t, &a, &n, &cause), 0);
	assert_int_equal(find_account(a, n, "alice")->must_change, 1);
	free(a);
	if (passwd_status(root, "alice", st, date)) {
		assert_string_equal(st, "P");
		assert_string_equal(date, "1970-01-01");
	}
	tools_ok(root);
	U->close(t);
	rm_tree(root);
	free(root);
}

static void
t_bad_logins(void **state)
{
	struct target		*t;
	struct target_req	 r[11];
	struct snap		 before;
	char			*root = new_root(), *l;
	size_t			 i;

	t = open_root(root, NULL);
	snap_take(root, &before);
	r[0] = req(TARGET_LOCK, "al ice", NULL);
	r[1] = req(TARGET_LOCK, "-alice", NULL);
	r[2] = req(TARGET_LOCK, "a/b", NULL);
	r[3] = req(TARGET_LOCK, "a:b", NULL);
	r[4] = req(TARGET_LOCK, "a\tb", NULL);
	r[5] = req(TARGET_LOCK, "", NULL);
	r[6] = req(TARGET_LOCK, "x", NULL);
	memset(r[6].login, 'a', sizeof r[6].login);	/* no NUL at all */
	r[7] = req(TARGET_LOCK, "a,b", NULL);
	r[8] = req(TARGET_LOCK, "+", NULL);
	r[9] = req(TARGET_LOCK, "alice", NULL);
	r[10] = req(TARGET_CREATE, "a\x1b[2Jb", "Escape");
	apply_ok(t, r, 11);
	check_refused(&r[0], "space");
	check_refused(&r[1], "begins with '-'");
	check_refused(&r[2], "'/'");
	check_refused(&r[3], "':'");
	check_refused(&r[4], "control character");
	check_refused(&r[5], "empty");
	check_refused(&r[6], "over 32 bytes");
	check_refused(&r[7], "','");
	check_refused(&r[8], "begins with '+'");
	check_done(&r[9]);
	check_refused(&r[10], "control character");
	for (i = 0; i < 11; i++)
		assert_null(strchr(r[i].error, '\x1b'));
	l = field_of(root, "shadow", "alice", 1);
	assert_int_equal(l[0], '!');
	free(l);
	check_absent(root, "passwd", "a\x1b[2Jb");
	tools_ok(root);

	/* A batch of nothing but refusals writes nothing. */
	snap_free(&before);
	snap_take(root, &before);
	r[0] = req(TARGET_LOCK, "nosuch", NULL);
	r[1] = req(TARGET_UNLOCK, "-x", NULL);
	apply_ok(t, r, 2);
	check_refused(&r[0], "no such account");
	snap_same(root, &before);
	apply_ok(t, r, 0);
	snap_same(root, &before);
	snap_free(&before);
	U->close(t);
	rm_tree(root);
	free(root);
}

/* A spoiled line in any file refuses the batch and leaves every byte. */
static void
t_malformed(void **state)
{
	static const struct {
		const char	*file;
		const char	*line;
		const char	*why;
		int		 listfails;
	} cases[] = {
		{ "shadow", "broken:x:1\n", "3 fields where 9", 1 },
		{ "shadow", "broken:x:1:2:3:4:5:6:7:8\n", "more than 9", 1 },
		{ "shadow", "zed:!:soon:0:99999:7:::\n", "number of days", 1 },
		{ "passwd", "zed:x:1:2\n", "4 fields where 7", 1 },
		{ "passwd", "zed:x:abc:100::/:/bin/sh\n", "not a number", 1 },
		{ "passwd", "\n", "an empty line", 1 },
		{ "passwd", "# a comment\n", "1 fields where 7", 1 },
		{ "passwd", ":x:5000:5000::/:/bin/sh\n", "empty name", 1 },
		{ "group", "g:x\n", "2 fields where 4", 0 },
		{ "group", "g:x:gid:\n", "not a number", 0 },
		{ "gshadow", "g:!\n", "2 fields where 4", 0 },
	};
	struct target		*t;
	struct target_req	 r[3];
	struct target_account	*a;
	struct snap		 before;
	char			*root, *p, *cause, *text, want[64];
	size_t			 i, n, k, lines;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		root = new_root();
		p = path_of(root, cases[i].file);
		append(p, cases[i].line);
		text = slurp(p, NULL);
		for (lines = 0, k = 0; text[k] != '\0'; k++)
			lines += text[k] == '\n';
		free(text);
		free(p);
		snap_take(root, &before);
		t = open_root(root, "groups=staff\n");
		r[0] = req(TARGET_LOCK, "alice", NULL);
		r[1] = req(TARGET_CREATE, "zara", "Zara");
		r[2] = req(TARGET_LOCK, "nosuch", NULL);
		cause = NULL;
		assert_int_equal(U->apply(t, r, 3, &cause), -1);
		snprintf(want, sizeof want, "%s:%zu: ", cases[i].file, lines);
		if (strstr(cause, want) == NULL ||
		    strstr(cause, cases[i].why) == NULL)
			fail_msg("case %zu: cause \"%s\" lacks \"%s\" or \"%s\"",
			    i, cause, want, cases[i].why);
		free(cause);
		for (k = 0; k < 3; k++) {
			assert_int_equal(r[k].done, 0);
			assert_string_equal(r[k].secret, "");
		}
		snap_same(root, &before);
		xasprintf(&p, "%s/home/zara", root);
		assert_int_equal(access(p, F_OK), -1);
		free(p);

		cause = NULL;
		if (cases[i].listfails) {
			assert_int_equal(U->list(t, &a, &n, &cause), -1);
			assert_non_null(strstr(cause, want));
			free(cause);
		} else {
			assert_int_equal(U->list(t, &a, &n, &cause), 0);
			free(a);
		}
		snap_free(&before);
		U->close(t);
		rm_tree(root);
		free(root);
	}

	/* A NUL byte: not a text file. */
	root = new_root();
	p = path_of(root, "shadow");
	{
		FILE *f = fopen(p, "a");

		fwrite("x\0y:::::::\n", 1, 11, f);
		fclose(f);
	}
	free(p);
	snap_take(root, &before);
	t = open_root(root, NULL);
	r[0] = req(TARGET_LOCK, "alice", NULL);
	cause = NULL;
	assert_int_equal(U->apply(t, r, 1, &cause), -1);
	assert_non_null(strstr(cause, "NUL"));
	free(cause);
	snap_same(root, &before);
	snap_free(&before);
	U->close(t);
	rm_tree(root);
	free(root);
}

static void
t_duplicate(void **state)
{
	struct target		*t;
	struct target_req	 r[2];
	char			*root = new_root(), *p, *l;

	p = path_of(root, "shadow");
	l = line_of(root, "shadow", "alice");
	append(p, l);
	append(p, "\n");
	free(l);
	free(p);
	t = open_root(root, NULL);
	r[0] = req(TARGET_LOCK, "alice", NULL);
	r[1] = req(TARGET_LOCK, "carol", NULL);
	apply_ok(t, r, 2);
	check_refused(&r[0], "two entries");
	check_done(&r[1]);
	U->close(t);
	rm_tree(root);
	free(root);
}

static void
t_symlinks(void **state)
{
	struct target		*t;
	struct target_req	 r[1];
	struct target_account	*a;
	struct snap		 before;
	struct stat		 sb;
	char			*root = new_root(), *p, *q, *cause = NULL;
	char			*copy, *etc;
	size_t			 len;

	/* shadow is a link to a copy elsewhere. */
	p = path_of(root, "shadow");
	xasprintf(&q, "%s/shadow.real", root);
	assert_int_equal(rename(p, q), 0);
	assert_int_equal(symlink(q, p), 0);
	snap_take(root, &before);
	copy = slurp(q, &len);
	t = open_root(root, NULL);
	r[0] = req(TARGET_LOCK, "alice", NULL);
	assert_int_equal(U->apply(t, r, 1, &cause), -1);
	if (strstr(cause, "symbolic link") == NULL)
		fail_msg("cause: %s", cause);
	free(cause);
	assert_int_equal(lstat(p, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	{
		size_t	 len2;
		char	*now = slurp(q, &len2);

		assert_int_equal(len, len2);
		assert_memory_equal(copy, now, len);
		free(now);
	}
	free(copy);
	cause = NULL;
	assert_int_equal(U->list(t, &a, &len, &cause), -1);
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	U->close(t);
	snap_free(&before);
	free(p);
	free(q);

	/* ROOT/etc is a link. */
	xasprintf(&etc, "%s/etc", root);
	xasprintf(&q, "%s/etc.real", root);
	assert_int_equal(rename(etc, q), 0);
	assert_int_equal(symlink(q, etc), 0);
	xasprintf(&p, "root=%s\n", root);
	cause = NULL;
	assert_null(U->open(p, &cause));
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	free(p);
	free(q);
	free(etc);
	rm_tree(root);
	free(root);
}

static void
t_config(void **state)
{
	static const struct {
		const char	*conf;
		const char	*why;
	} bad[] = {
		{ "root=/nonexistent-daicho-root\n", "nonexistent-daicho-root" },
		{ "root=relative/path\n", "absolute" },
		{ "root=/tmp\nroot=/tmp\n", "twice" },
		{ "root=/tmp\nhomedir=/home\n", "unknown key" },
		{ "root=/tmp\nno equals sign\n", "key=value" },
		{ "root=/tmp\nuid_min=0\n", "uid_min" },
		{ "root=/tmp\nuid_min=5000\nuid_max=4000\n", "range" },
		{ "root=/tmp\nuid_min=1\nuid_max=9999999\n", "range" },
		{ "root=/tmp\nuid_max=12abc\n", "uid_max" },
		{ "root=/tmp\ncreate_home=maybe\n", "create_home" },
		{ "root=/tmp\nshell=/bin/sh:x\n", "shell" },
		{ "root=/tmp\nhome=home\n", "home" },
		{ "root=/tmp\nlock_wait=-1\n", "lock_wait" },
		{ "root=/tmp\nend_sessions=1\n", "end_sessions= must be yes" },
		{ "root=/tmp\nend_sessions_grace=61\n", "end_sessions_grace" },
		{ "root=/tmp\nrevoke_home=delete\n", "revoke_home= must be" },
	};
	struct target	*t;
	char		*cause, *root = new_root(), *conf;
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		t = U->open(bad[i].conf, &cause);
		if (t != NULL)
			fail_msg("\"%s\" was accepted", bad[i].conf);
		if (strstr(cause, bad[i].why) == NULL)
			fail_msg("\"%s\": cause \"%s\" lacks \"%s\"",
			    bad[i].conf, cause, bad[i].why);
		free(cause);
	}
	xasprintf(&conf, "# a comment\n\nroot=%s/\nhome=/home/\n"
	    "shell=/bin/sh\nuid_min=2000\nuid_max=2999\ncreate_home=no\n"
	    "lock_wait=0", root);
	cause = NULL;
	t = U->open(conf, &cause);
	if (t == NULL)
		fail_msg("%s", cause);
	{
		struct target_req r = req(TARGET_CREATE, "zed", "Zed");

		apply_ok(t, &r, 1);
		check_done(&r);
		check_field(root, "passwd", "zed", 2, "2000");
		check_field(root, "passwd", "zed", 5, "/home/zed");
		check_field(root, "passwd", "zed", 6, "/bin/sh");
		sodium_memzero(&r, sizeof r);
	}
	U->close(t);
	U->close(NULL);
	free(conf);
	rm_tree(root);
	free(root);
}

/*
 * Make every step of the write phase fail in turn: the files must be
 * exactly as they were each time, backups included, with no leftovers
 * and no home directory made.
 */
static void
t_failpoints(void **state)
{
	struct target		*t;
	struct target_req	 r[4];
	struct snap		 before;
	char			*root, *cause, *p, *q;
	int			 step, ok = 0;
	size_t			 k;

	for (step = 1; step < 200 && !ok; step++) {
		root = new_root();
		snap_take(root, &before);
		t = open_root(root, "groups=staff\n");
		r[0] = req(TARGET_CREATE, "zara", "Zara");
		r[1] = req(TARGET_DELETE, "carol", NULL);
		r[2] = req(TARGET_LOCK, "alice", NULL);
		r[3] = req(TARGET_LOCK, "nosuch", NULL);
		target_unix_failpoint(step);
		cause = NULL;
		if (U->apply(t, r, 4, &cause) == 0) {
			ok = 1;
			target_unix_failpoint(0);
			check_done(&r[0]);
			check_done(&r[1]);
			check_done(&r[2]);
			check_field(root, "group", "staff", 3, "zara");
			check_absent(root, "passwd", "carol");
			tools_ok(root);
			/* Now each '-' is the previous file. */
			for (k = 0; k < 4; k++) {
				size_t	 len;
				char	*b;

				p = path_of(root, files[k + 4]);
				b = slurp(p, &len);
				assert_int_equal(len, before.len[k]);
				assert_memory_equal(b, before.text[k], len);
				free(b);
				free(p);
			}
			no_leftovers(root);
		} else {
			target_unix_failpoint(0);
			assert_non_null(strstr(cause, "Input/output error"));
			free(cause);
			for (k = 0; k < 4; k++) {
				assert_int_equal(r[k].done, 0);
				assert_string_equal(r[k].secret, "");
			}
			check_refused(&r[3], "no such account");
			snap_same(root, &before);
			xasprintf(&q, "%s/home/zara", root);
			assert_int_equal(access(q, F_OK), -1);
			free(q);
		}
		sodium_memzero(r, sizeof r);
		snap_free(&before);
		U->close(t);
		rm_tree(root);
		free(root);
	}
	assert_true(ok);
	/* 4 files: '+' open, write, fsync, backup, rename, dir fsync. */
	assert_true(step > 20);
	print_message("write phase: %d failure points, each undone\n",
	    step - 2);
}

static void
t_locks(void **state)
{
	struct target		*t;
	struct target_req	 r[1];
	struct snap		 before;
	char			*root = new_root(), *p, *cause, buf[32];
	pid_t			 pid;
	struct stat		 sb;

	/* A live lock (our parent's pid): refused at once, files intact. */
	t = open_root(root, "lock_wait=0\n");
	p = path_of(root, "shadow.lock");
	snprintf(buf, sizeof buf, "%ld", (long)getppid());
	spit(p, buf, 0600);
	snap_take(root, &before);
	r[0] = req(TARGET_LOCK, "alice", NULL);
	cause = NULL;
	assert_int_equal(U->apply(t, r, 1, &cause), -1);
	assert_non_null(strstr(cause, "locked by process"));
	assert_non_null(strstr(cause, buf));
	free(cause);
	assert_int_equal(r[0].done, 0);
	assert_int_equal(lstat(p, &sb), 0);	/* not ours to remove */
	{
		char *q = path_of(root, "passwd.lock");

		assert_int_equal(lstat(q, &sb), -1);	/* ours released */
		free(q);
	}

	/* Garbage in the lock: refused, with advice. */
	spit(p, "garbage", 0600);
	cause = NULL;
	assert_int_equal(U->apply(t, r, 1, &cause), -1);
	assert_non_null(strstr(cause, "names no process"));
	free(cause);

	/* A stale lock (a process that is gone): taken over. */
	if ((pid = fork()) == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	snprintf(buf, sizeof buf, "%ld", (long)pid);
	spit(p, buf, 0600);
	/* And what a crash left: a half-written shadow+ and shadow-+. */
	free(p);
	p = path_of(root, "shadow+");
	spit(p, "half", 0600);
	free(p);
	p = path_of(root, "shadow-+");
	spit(p, "half", 0600);
	free(p);
	apply_ok(t, r, 1);
	check_done(&r[0]);
	no_leftovers(root);
	tools_ok(root);
	snap_free(&before);
	U->close(t);
	rm_tree(root);
	free(root);
}

/* A rewritten file keeps its owner and mode; the backup is the old inode. */
static void
t_owner_mode(void **state)
{
	struct target		*t;
	struct target_req	 r[1];
	struct stat		 a, b;
	char			*root = new_root(), *p, *q;

	p = path_of(root, "shadow");
	q = path_of(root, "gshadow");
	assert_int_equal(stat(p, &a), 0);
	t = open_root(root, NULL);
	r[0] = req(TARGET_CREATE, "zara", "Zara");
	apply_ok(t, r, 1);
	check_done(&r[0]);
	assert_int_equal(stat(p, &b), 0);
	assert_int_equal(a.st_mode, b.st_mode);
	assert_int_equal(a.st_uid, b.st_uid);
	assert_int_equal(a.st_gid, b.st_gid);
	assert_true(a.st_ino != b.st_ino);	/* a new file, renamed */
	assert_int_equal(stat(q, &b), 0);
	assert_int_equal(b.st_mode & 07777, 0640);
	free(q);
	q = path_of(root, "shadow-");
	assert_int_equal(stat(q, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);	/* the old file, linked */
	sodium_memzero(r, sizeof r);
	free(p);
	free(q);
	U->close(t);
	rm_tree(root);
	free(root);
}

static void
t_no_gshadow(void **state)
{
	struct target		*t;
	struct target_req	 r[2];
	char			*root = new_root(), *p;

	p = path_of(root, "gshadow");
	unlink(p);
	t = open_root(root, "groups=staff\n");
	r[0] = req(TARGET_CREATE, "zara", "Zara");
	r[1] = req(TARGET_DELETE, "carol", NULL);
	apply_ok(t, r, 2);
	check_done(&r[0]);
	check_done(&r[1]);
	assert_int_equal(access(p, F_OK), -1);
	check_field(root, "group", "staff", 3, "zara");
	free(p);
	sodium_memzero(r, sizeof r);
	U->close(t);
	rm_tree(root);
	free(root);
}

static void
t_nis(void **state)
{
	struct target		*t;
	struct target_req	 r[1];
	char			*root = new_root(), *p, *text, *z, *plus;

	p = path_of(root, "passwd");
	append(p, "+::::::\n");
	free(p);
	p = path_of(root, "group");
	append(p, "+\n");
	free(p);
	t = open_root(root, NULL);
	r[0] = req(TARGET_CREATE, "zara", "Zara");
	apply_ok(t, r, 1);
	check_done(&r[0]);
	p = path_of(root, "passwd");
	text = slurp(p, NULL);
	z = strstr(text, "\nzara:");
	plus = strstr(text, "\n+::::::\n");
	assert_non_null(z);
	assert_non_null(plus);
	assert_true(z < plus);
	free(text);
	free(p);
	p = path_of(root, "group");
	text = slurp(p, NULL);
	assert_non_null(strstr(text, "\nzara:x:"));
	assert_true(strstr(text, "\nzara:x:") < strstr(text, "\n+\n"));
	free(text);
	free(p);
	sodium_memzero(r, sizeof r);
	U->close(t);
	rm_tree(root);
	free(root);
}

/* One batch: create, lock, delete and create again the same login. */
static void
t_sequence(void **state)
{
	struct target		*t;
	struct target_req	 r[6];
	char			*root = new_root(), *uid1, *uid2;
	char			*conf, *cause = NULL;
	size_t			 i;

	/* No homes: the second zara would find the first one's. */
	xasprintf(&conf, "root=%s\ncreate_home=no\n", root);
	t = U->open(conf, &cause);
	assert_non_null(t);
	free(conf);
	r[0] = req(TARGET_CREATE, "zara", "Zara One");
	r[1] = req(TARGET_LOCK, "zara", NULL);
	r[2] = req(TARGET_FORCE_CHANGE, "zara", NULL);
	r[3] = req(TARGET_DELETE, "zara", NULL);
	r[4] = req(TARGET_CREATE, "zara", "Zara Two");
	r[5] = req(TARGET_CREATE, "yuri", "Yuri");
	apply_ok(t, r, 6);
	for (i = 0; i < 6; i++)
		check_done(&r[i]);
	check_field(root, "passwd", "zara", 4, "Zara Two");
	uid2 = field_of(root, "passwd", "zara", 2);
	uid1 = field_of(root, "passwd", "yuri", 2);
	/* The first zara's uid is not reused by the second (nor by yuri). */
	assert_int_equal(strtoll(uid2, NULL, 10) + 1, strtoll(uid1, NULL, 10));
	assert_true(strtoll(uid2, NULL, 10) >= 1005);
	free(uid1);
	free(uid2);
	check_field(root, "shadow", "zara", 2, "0");
	sodium_memzero(r, sizeof r);
	U->close(t);
	rm_tree(root);
	free(root);
}

/* Ending sessions: processes of made-up uids, started here (as root). */

#define UID_VICTIM	3900001UL	/* in no host's passwd, we hope */
#define UID_OTHER	3900002UL

/* login with uid, and a group of that gid, in every file of root. */
static void
add_account(const char *root, const char *login, unsigned long uid)
{
	struct stat	 sb;
	char		*p, *l[4];
	size_t		 i;

	xasprintf(&l[0], "%s:x:%lu:%lu::/:/bin/bash\n", login, uid, uid);
	xasprintf(&l[1], "%s:*:19000:0:99999:7:::\n", login);
	xasprintf(&l[2], "%s:x:%lu:\n", login, uid);
	xasprintf(&l[3], "%s:!::\n", login);
	for (i = 0; i < 4; i++) {
		p = path_of(root, files[i]);	/* passwd ... gshadow */
		if (stat(p, &sb) == 0)
			append(p, l[i]);
		free(p);
		free(l[i]);
	}
}

/*
 * A process with real, effective and saved uid ruid, euid, suid (and gid
 * ruid, no groups), until a signal ends it; stubborn ignores SIGTERM and
 * SIGHUP.  Returns once it runs so.
 */
static pid_t
spawn_ids(unsigned long ruid, unsigned long euid, unsigned long suid,
    int stubborn)
{
	pid_t	 pid;
	int	 fds[2];
	char	 c;

	if (pipe(fds) == -1 || (pid = fork()) == -1)
		fail_msg("pipe or fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		alarm(60);	/* gone in the end, whatever a test does */
		if (stubborn) {
			signal(SIGTERM, SIG_IGN);
			signal(SIGHUP, SIG_IGN);
		}
		if (setgroups(0, NULL) == -1 || setresgid((gid_t)ruid,
		    (gid_t)ruid, (gid_t)ruid) == -1 || setresuid((uid_t)ruid,
		    (uid_t)euid, (uid_t)suid) == -1 ||
		    write(fds[1], "x", 1) != 1)
			_exit(99);
		close(fds[1]);
		for (;;)
			pause();
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1)
		fail_msg("no process as uids %lu %lu %lu", ruid, euid, suid);
	close(fds[0]);
	return pid;
}

static pid_t
spawn_as(unsigned long uid, int stubborn)
{
	return spawn_ids(uid, uid, uid, stubborn);
}

/* The signal that ended pid, waiting up to ms for it; 0 if it runs on. */
static int
ended_by(pid_t pid, int ms)
{
	struct timespec	 nap = { 0, 10 * 1000000L };
	int		 st, i;

	for (i = 0; i <= ms / 10; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFSIGNALED(st) ? WTERMSIG(st) : -1;
		if (i < ms / 10)
			nanosleep(&nap, NULL);
	}
	return 0;
}

static void
end_proc(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* A done request whose notice mentions what. */
static void
check_notice(const struct target_req *r, const char *what)
{
	if (!r->done)
		fail_msg("%s not done: %s", r->login, r->error);
	if (strstr(r->error, what) == NULL)
		fail_msg("%s: notice \"%s\" does not mention \"%s\"", r->login,
		    r->error, what);
}

/* Lock login with end-sessions on a fresh target of root with conf. */
static struct target_req
lock_ending(const char *root, const char *conf, const char *login)
{
	struct target		*t = open_root(root, conf);
	struct target_req	 r = req(TARGET_LOCK, login, "end-sessions");

	apply_ok(t, &r, 1);
	U->close(t);
	return r;
}

/*
 * A lock with "end-sessions": where the configuration allows it, every
 * process of the account's uid ends (one that ignores SIGTERM and SIGHUP
 * by SIGKILL after the grace), another account's does not, and the
 * notice counts them.  Where it may not (not allowed, uid 0, below
 * UID_MIN, an untrustworthy login.defs, nobody, a uid two accounts
 * share, daicho's own), the process runs on and the notice says why;
 * the lock is applied all the same.
 */
static void
t_end_sessions(void **state)
{
	static const char allow[] = "end_sessions=yes\nend_sessions_grace=1\n";
	struct target		*t;
	struct target_req	 r[2];
	char			*root, *defs, *text;
	pid_t			 v1, v2, v3, v4, other, child;
	int			 sig, st;

	(void)state;
	if (geteuid() != 0)
		skip();		/* processes of other uids need root */
	root = new_root();
	add_account(root, "victim", UID_VICTIM);
	add_account(root, "other", UID_OTHER);
	defs = path_of(root, "login.defs");

	/* Not allowed by default: locked, the process left alone. */
	v1 = spawn_as(UID_VICTIM, 0);
	r[0] = lock_ending(root, NULL, "victim");
	check_notice(&r[0], "end_sessions=no");
	assert_int_equal(ended_by(v1, 300), 0);
	check_field(root, "shadow", "victim", 1, "!*");
	check_passwd_status(root, "victim", "L");

	/*
	 * Allowed: victim's processes end, other's (locked plainly) not.
	 * The uid as real uid only (a sudo the victim ran) or saved uid only
	 * (a program that can switch back to it) counts too.
	 */
	v2 = spawn_as(UID_VICTIM, 1);
	v3 = spawn_ids(UID_VICTIM, 0, 0, 0);
	v4 = spawn_ids(0, 0, UID_VICTIM, 0);
	other = spawn_as(UID_OTHER, 0);
	t = open_root(root, allow);
	r[0] = req(TARGET_LOCK, "victim", "end-sessions");	/* locked */
	r[1] = req(TARGET_LOCK, "other", NULL);
	apply_ok(t, r, 2);
	U->close(t);
	sig = ended_by(v1, 3000);
	if (sig != SIGTERM && sig != SIGHUP)
		fail_msg("the victim's process: signal %d, wanted SIGTERM or "
		    "SIGHUP", sig);
	assert_int_equal(ended_by(v2, 3000), SIGKILL);
	assert_int_not_equal(ended_by(v3, 3000), 0);
	assert_int_not_equal(ended_by(v4, 3000), 0);
	assert_int_equal(ended_by(other, 0), 0);
	check_notice(&r[0], "SIGTERM to 4 processes, SIGKILL to 1 after 1 s");
	check_done(&r[1]);
	check_field(root, "shadow", "other", 1, "!*");
	check_passwd_status(root, "other", "L");
	tools_ok(root);

	/* No process left: said so. */
	r[0] = lock_ending(root, allow, "victim");
	check_notice(&r[0], "no process was running");

	/* The refusals; each time the victim's process must run on. */
	v1 = spawn_as(UID_VICTIM, 0);
	spit(defs, "# made up\nUID_MIN\t\t 1000\nUID_MIN 3900002\n", 0644);
	r[0] = lock_ending(root, allow, "victim");
	check_notice(&r[0], "below UID_MIN 3900002");
	assert_int_equal(ended_by(v1, 0), 0);
	spit(defs, "UID_MIN 1000\n", 0666);
	r[0] = lock_ending(root, allow, "victim");
	check_notice(&r[0], "login.defs: writable by anyone");
	assert_int_equal(ended_by(v1, 0), 0);
	spit(defs, "UID_MIN 0x3e8\n", 0644);
	r[0] = lock_ending(root, allow, "victim");
	check_notice(&r[0], "UID_MIN is invalid");
	assert_int_equal(ended_by(v1, 0), 0);
	unlink(defs);		/* then 1000 */

	r[0] = lock_ending(root, allow, "root");
	check_notice(&r[0], "uid 0: never ended");
	add_account(root, "sysd", 999);
	r[0] = lock_ending(root, allow, "sysd");
	check_notice(&r[0], "uid 999 is below UID_MIN 1000");
	add_account(root, "nobody", 65534);
	r[0] = lock_ending(root, allow, "nobody");
	check_notice(&r[0], "nobody");
	check_field(root, "shadow", "nobody", 1, "!*");

	/* daicho holding the uid (here as its saved uid) never ends it. */
	if ((child = fork()) == -1)
		fail_msg("fork");
	if (child == 0) {
		struct target		*ct;
		struct target_req	 cr = req(TARGET_LOCK, "victim",
		    "end-sessions");
		char			*conf, *cause = NULL;

		xasprintf(&conf, "root=%s\ncreate_home=no\n%s", root, allow);
		if (setresuid(0, 0, (uid_t)UID_VICTIM) != 0 ||
		    (ct = U->open(conf, &cause)) == NULL ||
		    U->apply(ct, &cr, 1, &cause) != 0 || !cr.done ||
		    strstr(cr.error, "daicho itself runs as uid 3900001") ==
		    NULL) {
			fprintf(stderr, "saved uid: %s\n", cr.error);
			_exit(1);
		}
		_exit(0);
	}
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(ended_by(v1, 0), 0);

	/* A second account with the victim's uid: ending it would end both. */
	add_account(root, "twin", UID_VICTIM);
	r[0] = lock_ending(root, allow, "victim");
	check_notice(&r[0], "uid 3900001 is another account's");
	assert_int_equal(ended_by(v1, 0), 0);

	/* A lock's argument is "" or "end-sessions". */
	t = open_root(root, allow);
	r[0] = req(TARGET_LOCK, "other", "end-session");
	apply_ok(t, r, 1);
	check_refused(&r[0], "a lock's argument");
	U->close(t);

	end_proc(v1);
	end_proc(other);
	text = line_of(root, "shadow", "victim");
	/* Locked already: the hash kept, the lock's day-1 expiry added. */
	assert_string_equal(text, "victim:!*:19000:0:99999:7::1:");
	free(text);
	free(defs);
	rm_tree(root);
	free(root);
}

/* Write a root with n accounts quickly, as the benchmark does. */
static void
big_root(const char *root, size_t n)
{
	FILE	*pw, *sp, *gr, *gs;
	char	*p;
	size_t	 i;

	p = path_of(root, "passwd");
	pw = fopen(p, "w");
	free(p);
	p = path_of(root, "shadow");
	sp = fopen(p, "w");
	free(p);
	p = path_of(root, "group");
	gr = fopen(p, "w");
	free(p);
	p = path_of(root, "gshadow");
	gs = fopen(p, "w");
	free(p);
	fprintf(pw, "root:x:0:0:root:/root:/bin/bash\n");
	fprintf(sp, "root:*:19000:0:99999:7:::\n");
	fprintf(gr, "root:x:0:\n");
	fprintf(gs, "root:*::\n");
	for (i = 1; i <= n; i++) {
		fprintf(pw, "u%05zu:x:%zu:%zu:User %zu:/nonexistent:/bin/bash\n",
		    i, 1000 + i, 1000 + i, i);
		fprintf(sp, "u%05zu:$y$j9T$Q1uHwJxVlbDZ0xfXnBUvT.$fWq5tOKXf0t7"
		    "sV1Hm4gV4Y6Yc2mNf6W8Z2p0m3s%05zu:19000:0:99999:7:::\n", i,
		    i);
		fprintf(gr, "u%05zu:x:%zu:\n", i, 1000 + i);
		fprintf(gs, "u%05zu:!::\n", i);
	}
	fclose(pw);
	fclose(sp);
	fclose(gr);
	fclose(gs);
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
t_many(void **state)
{
	struct target		*t;
	struct target_req	*r;
	char			*root = new_root(), name[16], *l;
	double			 t0, dt;
	size_t			 i;

	big_root(root, 5200);
	t = open_root(root, NULL);
	r = xcalloc(5000, sizeof *r);
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "u%05zu", i + 1);
		r[i] = req(TARGET_LOCK, name, NULL);
	}
	t0 = now_s();
	apply_ok(t, r, 5000);
	dt = now_s() - t0;
	for (i = 0; i < 5000; i++)
		check_done(&r[i]);
	l = field_of(root, "shadow", "u05000", 1);
	assert_int_equal(l[0], '!');
	free(l);
	l = field_of(root, "shadow", "u05001", 1);
	assert_int_equal(l[0], '$');
	free(l);
	print_message("locking 5,000 of 5,200 accounts: %.3f s\n", dt);
	/* Generous, for sanitizer builds; the benchmark holds the budget. */
	assert_true(dt < 2.0);
	free(r);
	U->close(t);
	rm_tree(root);
	free(root);
}

/* The modes for the shell test and the benchmark. */

static const struct {
	const char	*name;
	enum target_op	 op;
} opnames[] = {
	{ "create", TARGET_CREATE }, { "lock", TARGET_LOCK },
	{ "unlock", TARGET_UNLOCK }, { "expire", TARGET_EXPIRE },
	{ "force_change", TARGET_FORCE_CHANGE }, { "delete", TARGET_DELETE },
	{ "aging", TARGET_AGING },
};

static struct target *
open_conf_file(const char *path)
{
	struct target	*t;
	char		*conf, *cause = NULL;

	if ((conf = slurp(path, NULL)) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
	if ((t = U->open(conf, &cause)) == NULL) {
		fprintf(stderr, "open: %s\n", cause);
		exit(1);
	}
	free(conf);
	return t;
}

static int
mode_apply(int argc, char **argv)
{
	struct target		*t;
	struct target_req	*r;
	char			*cause = NULL;
	size_t			 i, j, n;

	if (argc < 3 || (argc - 3) % 3 != 0) {
		fprintf(stderr, "usage: --apply CONFFILE [OP LOGIN ARG]...\n");
		return 2;
	}
	t = open_conf_file(argv[2]);
	n = (size_t)(argc - 3) / 3;
	r = xcalloc(n + 1, sizeof *r);
	for (i = 0; i < n; i++) {
		for (j = 0; j < sizeof opnames / sizeof opnames[0]; j++) {
			if (strcmp(opnames[j].name, argv[3 + 3 * i]) == 0)
				break;
		}
		if (j == sizeof opnames / sizeof opnames[0]) {
			fprintf(stderr, "unknown op %s\n", argv[3 + 3 * i]);
			free(r);
			U->close(t);
			return 2;
		}
		r[i] = req(opnames[j].op, argv[4 + 3 * i], argv[5 + 3 * i]);
	}
	if (U->apply(t, r, n, &cause) != 0) {
		fprintf(stderr, "batch failed: %s\n", cause);
		free(cause);
		free(r);
		U->close(t);
		return 1;
	}
	for (i = 0; i < n; i++) {
		printf("%s %s: %s%s%s\n", argv[3 + 3 * i], r[i].login,
		    r[i].done ? "done" : "error: ",
		    r[i].done && r[i].error[0] != '\0' ? "; " : "",
		    r[i].error);
		if (r[i].secret[0] != '\0')
			printf("secret %s %s\n", r[i].login, r[i].secret);
	}
	sodium_memzero(r, (n + 1) * sizeof *r);
	free(r);
	U->close(t);
	return 0;
}

static int
mode_list(int argc, char **argv)
{
	struct target		*t;
	struct target_account	*a;
	char			*cause = NULL;
	size_t			 i, n;

	if (argc != 3)
		return 2;
	t = open_conf_file(argv[2]);
	if (U->list(t, &a, &n, &cause) != 0) {
		fprintf(stderr, "list: %s\n", cause);
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("%s locked=%d expired=%d must_change=%d last_change=%lld "
		    "name=%s\n", a[i].login, a[i].locked, a[i].expired,
		    a[i].must_change, (long long)a[i].last_change, a[i].name);
	free(a);
	U->close(t);
	return 0;
}

static char *
read_password(void)
{
	char	 buf[256];

	if (fgets(buf, sizeof buf, stdin) == NULL)
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

static int
mode_crypt(void)
{
	struct crypt_data	*d = xcalloc(1, sizeof *d);
	char			 setting[CRYPT_GENSALT_OUTPUT_SIZE], *pw;
	const char		*h;

	if ((pw = read_password()) == NULL ||
	    crypt_gensalt_rn("$y$", 0, NULL, 0, setting, sizeof setting) ==
	    NULL || (h = crypt_rn(pw, setting, d, sizeof *d)) == NULL)
		return 1;
	printf("%s\n", h);
	free(pw);
	free(d);
	return 0;
}

static int
mode_verify(int argc, char **argv)
{
	struct crypt_data	*d = xcalloc(1, sizeof *d);
	char			*hash, *pw;
	const char		*h;
	int			 ok;

	if (argc != 4)
		return 2;
	if ((hash = field_of(argv[2], "shadow", argv[3], 1)) == NULL) {
		fprintf(stderr, "%s: no shadow line\n", argv[3]);
		return 1;
	}
	if ((pw = read_password()) == NULL)
		return 1;
	h = crypt_rn(pw, hash, d, sizeof *d);
	ok = h != NULL && strcmp(h, hash) == 0;
	free(pw);
	free(hash);
	free(d);
	return ok ? 0 : 1;
}

/* SET_PASSWORD of the password on stdin: "done", or "error: ...". */
static int
mode_set_password(int argc, char **argv)
{
	struct target		*t;
	struct target_req	 r;
	char			*pw, *cause = NULL;

	if (argc != 4 || (pw = read_password()) == NULL)
		return 2;
	t = open_conf_file(argv[2]);
	r = req_secret(argv[3], pw);
	sodium_memzero(pw, strlen(pw));
	free(pw);
	if (U->apply(t, &r, 1, &cause) != 0) {
		fprintf(stderr, "batch failed: %s\n", cause);
		free(cause);
		U->close(t);
		return 1;
	}
	printf("%s\n", r.done ? "done" : r.error);
	U->close(t);
	return r.done ? 0 : 1;
}

static int
mode_bench(int argc, char **argv)
{
	struct target		*t;
	struct target_account	*a;
	struct target_req	*r;
	char			*conf, *cause = NULL;
	const char		*errstr;
	long long		 want;
	size_t			 i, n, k = 0, done = 0;
	double			 t0, dt;

	if (argc != 4 || number_parse(argv[3], 1, 10000000, &want,
	    &errstr) != 0) {
		fprintf(stderr, "usage: --bench ROOT N\n");
		return 2;
	}
	xasprintf(&conf, "root=%s\ncreate_home=no\n", argv[2]);
	if ((t = U->open(conf, &cause)) == NULL ||
	    U->list(t, &a, &n, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	r = xcalloc((size_t)want, sizeof *r);
	for (i = 0; i < n && k < (size_t)want; i++) {
		if (strcmp(a[i].login, "root") != 0)
			r[k++] = req(TARGET_LOCK, a[i].login, NULL);
	}
	t0 = now_s();
	if (U->apply(t, r, k, &cause) != 0) {
		fprintf(stderr, "apply: %s\n", cause);
		return 1;
	}
	dt = now_s() - t0;
	for (i = 0; i < k; i++)
		done += r[i].done;
	printf("unix.apply_s %.6f\nunix.requests %zu\nunix.done %zu\n", dt, k,
	    done);
	free(r);
	free(a);
	free(conf);
	U->close(t);
	return done == (size_t)want ? 0 : 1;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_list),
		cmocka_unit_test(t_last_use),
		cmocka_unit_test(t_last_use_truncated),
		cmocka_unit_test(t_last_use_refused),
		cmocka_unit_test(t_last_use_huge),
		cmocka_unit_test(t_lock_unlock),
		cmocka_unit_test(t_create),
		cmocka_unit_test(t_create_groups),
		cmocka_unit_test(t_create_many),
		cmocka_unit_test(t_delete),
		cmocka_unit_test(t_uid_never_reused),
		cmocka_unit_test(t_uid_range_used_up),
		cmocka_unit_test(t_revoke_home_lock),
		cmocka_unit_test(t_revoke_home_remove),
		cmocka_unit_test(t_revoke_home_keep),
		cmocka_unit_test(t_revoke_home_not_its_own),
		cmocka_unit_test(t_expire),
		cmocka_unit_test(t_set_password),
		cmocka_unit_test(t_reset_alphabet),
		cmocka_unit_test(t_aging),
		cmocka_unit_test(t_policy_refused),
		cmocka_unit_test(t_force_change),
		cmocka_unit_test(t_bad_logins),
		cmocka_unit_test(t_malformed),
		cmocka_unit_test(t_duplicate),
		cmocka_unit_test(t_symlinks),
		cmocka_unit_test(t_config),
		cmocka_unit_test(t_failpoints),
		cmocka_unit_test(t_locks),
		cmocka_unit_test(t_owner_mode),
		cmocka_unit_test(t_no_gshadow),
		cmocka_unit_test(t_nis),
		cmocka_unit_test(t_sequence),
		cmocka_unit_test(t_end_sessions),
		cmocka_unit_test(t_many),
	};
	int	 r;

	if (argc > 1 && strcmp(argv[1], "--apply") == 0)
		return mode_apply(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--list") == 0)
		return mode_list(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--crypt") == 0)
		return mode_crypt();
	if (argc > 1 && strcmp(argv[1], "--verify") == 0)
		return mode_verify(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--set-password") == 0)
		return mode_set_password(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--bench") == 0)
		return mode_bench(argc, argv);

	umask(022);
	today = (long)(time(NULL) / 86400);
	tools = getenv("TEST_UNIX_TOOLS") != NULL &&
	    strcmp(getenv("TEST_UNIX_TOOLS"), "1") == 0;
	if ((template_root = getenv("TEST_UNIX_ROOT")) == NULL)
		make_template();
	r = cmocka_run_group_tests(tests, NULL, NULL);
	if (own_template != NULL) {
		rm_tree(own_template);
		free(own_template);
	}
	return r;
}
