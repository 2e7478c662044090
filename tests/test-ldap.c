/*
 * test-ldap.c -- the ldap target against a real slapd that tests/ldap.sh
 * starts (tests/env-slapd.sh), with users user0001..user0020 in it.
 *
 * What the target did is checked from outside where it matters: binds
 * as the users go through ldapwhoami -e ppolicy (the password policy
 * control), run with execvp and an argument vector, so "Account locked"
 * and "Password must be changed" are what OpenLDAP's own tools print.
 * Fake servers (forked here) play servers that answer garbage or the
 * wrong kind of answer, never answer, drop or reset the connection in
 * mid-batch, or hang up while the target is idle.  The last test stops
 * slapd itself: nothing may come after it.  SIGPIPE stays at its
 * default here, so a target that let it through would kill the test.
 *
 * Environment (tests/env-slapd.sh exports it): SLAPD_URI,
 * SLAPD_LDAPS_URI, SLAPD_LDAPI_URI, SLAPD_BASE, SLAPD_PEOPLE,
 * SLAPD_ADMIN_DN, SLAPD_ADMIN_PWFILE, SLAPD_CACERT, SLAPD_DIR, SLAPD_PID;
 * TEST_LDAP_VERBOSE=1 prints every cause checked.
 *
 * "test-ldap --bench CONFIGFILE N [lock|unlock]" is the benchmark's
 * driver (bench/ldap-run.sh): one open, one batch of N requests for
 * user0001..userN, one close; prints the seconds it took.
 */

#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "common.h"
#include "targets-int.h"

/* targets.h will declare it; until then, here. */
extern const struct target_type target_ldap;

static const char *const op_names[] = {
	[TARGET_CREATE] = "create", [TARGET_LOCK] = "lock",
	[TARGET_UNLOCK] = "unlock", [TARGET_EXPIRE] = "expire",
	[TARGET_SET_PASSWORD] = "set-password",
	[TARGET_FORCE_CHANGE] = "force-change", [TARGET_DELETE] = "delete",
	[TARGET_RESET] = "reset", [TARGET_AGING] = "aging",
	[TARGET_POLICY] = "policy",
};
#define op_name(op) (op_names[(op)])

static const char	*uri, *ldaps_uri, *ldapi_uri, *people, *admin_dn;
static const char	*admin_pw, *cacert, *sdir, *base;

static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "test-ldap: %s is not set (run "
		    "tests/ldap.sh)\n", name);
		exit(getenv("DAICHO_REQUIRE_ALL") != NULL &&
		    strcmp(getenv("DAICHO_REQUIRE_ALL"), "1") == 0 ? 99 : 77);
	}
	return v;
}

/* Fail unless cause mentions one of why's '|'-separated words. */
static void
check_cause(const char *cause, const char *why)
{
	char	*copy, *tok, *save;
	int	 found = 0;

	assert_non_null(cause);
	if (getenv("TEST_LDAP_VERBOSE") != NULL)
		fprintf(stderr, "# cause: %s\n", cause);
	copy = xstrdup(why);
	for (tok = strtok_r(copy, "|", &save); tok != NULL;
	    tok = strtok_r(NULL, "|", &save)) {
		if (strstr(cause, tok) != NULL)
			found = 1;
	}
	free(copy);
	if (!found)
		fail_msg("cause \"%s\" does not mention \"%s\"", cause, why);
}

static char *
admin_conf(const char *extra)
{
	char	*c;

	xasprintf(&c, "uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s\n%s", uri,
	    admin_dn, admin_pw, people, extra);
	return c;
}

static struct target *
open_ok(const char *conf)
{
	struct target	*t;
	char		*cause = NULL;

	t = target_ldap.open(conf, &cause);
	if (t == NULL)
		fail_msg("open failed: %s", cause);
	return t;
}

static struct target *
open_admin(void)
{
	char		*conf = admin_conf("");
	struct target	*t = open_ok(conf);

	free(conf);
	return t;
}

/* open must fail with a cause that mentions why. */
static void
open_fails(const char *conf, const char *why)
{
	struct target	*t;
	char		*cause = NULL;

	t = target_ldap.open(conf, &cause);
	if (t != NULL) {
		target_ldap.close(t);
		fail_msg("open succeeded; wanted a failure about %s", why);
	}
	check_cause(cause, why);
	free(cause);
}

static void
req_set(struct target_req *r, enum target_op op, const char *login,
    const char *arg)
{
	memset(r, 0, sizeof *r);
	r->op = op;
	snprintf(r->login, sizeof r->login, "%s", login);
	snprintf(r->arg, sizeof r->arg, "%s", arg != NULL ? arg : "");
}

/* Apply one request that must succeed. */
static void
apply1(struct target *t, enum target_op op, const char *login,
    const char *arg)
{
	struct target_req	 r;
	char			*cause = NULL;

	req_set(&r, op, login, arg);
	if (target_ldap.apply(t, &r, 1, &cause) != 0)
		fail_msg("apply %s %s: %s", op_name(op), login, cause);
	if (!r.done)
		fail_msg("apply %s %s not done: %s", op_name(op), login,
		    r.error);
	assert_string_equal(r.error, "");
}

/* Apply one request that must fail on its own (the batch succeeds). */
static void
apply1_fails(struct target *t, enum target_op op, const char *login,
    const char *arg, const char *why)
{
	struct target_req	 r;
	char			*cause = NULL;

	req_set(&r, op, login, arg);
	if (target_ldap.apply(t, &r, 1, &cause) != 0)
		fail_msg("apply %s %s failed as a batch: %s",
		    op_name(op), login, cause);
	assert_int_equal(r.done, 0);
	check_cause(r.error, why);
}

/* The account login as list reports it (copied), or fail. */
static struct target_account
account(struct target *t, const char *login, int want)
{
	struct target_account	*a, found;
	size_t			 n, i;
	char			*cause = NULL;
	int			 seen = 0;

	if (target_ldap.list(t, &a, &n, &cause) != 0)
		fail_msg("list: %s", cause);
	memset(&found, 0, sizeof found);
	for (i = 0; i < n; i++) {
		if (strcmp(a[i].login, login) == 0) {
			found = a[i];
			seen++;
		}
	}
	free(a);
	assert_int_equal(seen, want);
	return found;
}

/*
 * Run argv (no shell), its stdout and stderr into out; the exit status,
 * or -1 when it did not exit normally.  Killed after 30 s.
 */
static int
run(char *const argv[], char *out, size_t size)
{
	struct pollfd	 pfd;
	size_t		 len = 0;
	ssize_t		 got;
	pid_t		 pid;
	int		 p[2], status, devnull;
	time_t		 end = time(NULL) + 30;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		devnull = open("/dev/null", O_RDONLY);
		dup2(devnull, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		pfd.fd = p[0];
		pfd.events = POLLIN;
		if (time(NULL) > end) {
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		got = read(p[0], out + len, size - 1 - len);
		if (got <= 0)
			break;
		len += (size_t)got;
		if (len == size - 1)
			break;
	}
	out[len] = '\0';
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ldapwhoami -e ppolicy as login with the password in pwfile. */
static int
whoami(const char *login, const char *pwfile, char *out, size_t size)
{
	char	*dn;
	int	 rc;

	xasprintf(&dn, "uid=%s,%s", login, people);
	char *argv[] = { xstrdup("ldapwhoami"), xstrdup("-x"),
	    xstrdup("-o"), xstrdup("nettimeout=10"), xstrdup("-H"),
	    xstrdup(uri), xstrdup("-D"), dn, xstrdup("-y"), xstrdup(pwfile),
	    xstrdup("-e"), xstrdup("ppolicy"), NULL };
	rc = run(argv, out, size);
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	return rc;
}

static char *
user_pw(const char *login)
{
	char	*path;

	xasprintf(&path, "%s/%s.pw", sdir, login);
	return path;
}

/* The user's own password binds; out holds what ldapwhoami said. */
static void
bind_ok(const char *login, const char *pwfile, char *out, size_t size)
{
	int	rc = whoami(login, pwfile, out, size);

	if (rc != 0)
		fail_msg("bind as %s failed (%d): %s", login, rc, out);
	if (strstr(out, "dn:uid=") == NULL)
		fail_msg("bind as %s: no identity in: %s", login, out);
}

static void
bind_refused(const char *login, const char *pwfile, const char *why)
{
	char	out[4096];
	int	rc = whoami(login, pwfile, out, sizeof out);

	if (rc == 0)
		fail_msg("bind as %s succeeded; wanted %s: %s", login, why,
		    out);
	check_cause(out, why);
}

/* A 0600 file holding s; caller frees the path. */
static char *
secret_file(const char *s)
{
	char	*path;
	int	 fd;

	xasprintf(&path, "%s/secret.XXXXXX", sdir);
	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
	return path;
}

/*
 * The tests.
 */

static void
test_list(void **state)
{
	struct target		*t = open_admin();
	struct target_account	 a;

	(void)state;
	a = account(t, "user0001", 1);
	assert_string_equal(a.name, "User 0001");
	assert_int_equal(a.locked, 0);
	assert_int_equal(a.expired, 0);
	assert_int_equal(a.must_change, 0);
	/* ldapadd set no pwdChangedTime: unknown, not zero. */
	assert_int_equal(a.last_change, -1);
	account(t, "user0020", 1);
	account(t, "nosuchuser", 0);
	target_ldap.close(t);
}

/* Small pages: the paged results control carries the list through. */
static void
test_list_paged(void **state)
{
	struct target_account	*a;
	struct target		*t;
	size_t			 n;
	char			*conf = admin_conf("page_size=3\n"), *cause;

	(void)state;
	t = open_ok(conf);
	if (target_ldap.list(t, &a, &n, &cause) != 0)
		fail_msg("list: %s", cause);
	assert_true(n >= 20);
	free(a);
	target_ldap.close(t);
	free(conf);
}

static void
test_lock_unlock(void **state)
{
	struct target	*t = open_admin();
	char		*pw = user_pw("user0002"), out[4096];

	(void)state;
	bind_ok("user0002", pw, out, sizeof out);
	/* slapd's "lastbind on" keeps pwdLastSuccess. */
	assert_true(account(t, "user0002", 1).last_use >= time(NULL) - 60);
	apply1(t, TARGET_LOCK, "user0002", NULL);
	bind_refused("user0002", pw, "Account locked");
	assert_int_equal(account(t, "user0002", 1).locked, 1);
	/* Again: still done, still locked. */
	apply1(t, TARGET_LOCK, "user0002", NULL);
	bind_refused("user0002", pw, "Account locked");

	apply1(t, TARGET_UNLOCK, "user0002", NULL);
	bind_ok("user0002", pw, out, sizeof out);
	assert_null(strstr(out, "locked"));
	assert_int_equal(account(t, "user0002", 1).locked, 0);
	/* Unlocking what is not locked is done, not an error. */
	apply1(t, TARGET_UNLOCK, "user0002", NULL);
	free(pw);
	target_ldap.close(t);
}

/*
 * pwdLastSuccess is last_use: written by slapd's "lastbind on"
 * (env-slapd.sh) at a successful bind, and only then.  user0017..0019
 * are bound by no other test.
 */
static void
test_last_use(void **state)
{
	struct target	*t = open_admin();
	char		*pw = user_pw("user0018"), *wrong, out[4096];
	time_t		 before, after;

	(void)state;
	/* Never bound: unknown, not zero. */
	assert_int_equal(account(t, "user0019", 1).last_use, -1);
	/* A refused bind is no use. */
	wrong = secret_file("not-the-password");
	bind_refused("user0017", wrong, "Invalid credentials");
	assert_int_equal(account(t, "user0017", 1).last_use, -1);
	/* The time of the bind, to the second slapd keeps. */
	assert_int_equal(account(t, "user0018", 1).last_use, -1);
	before = time(NULL);
	bind_ok("user0018", pw, out, sizeof out);
	after = time(NULL);
	{
		int64_t	 lu = account(t, "user0018", 1).last_use;

		if (lu < (int64_t)before - 1 || lu > (int64_t)after + 1)
			fail_msg("last_use %lld, bound between %lld and %lld",
			    (long long)lu, (long long)before, (long long)after);
	}
	unlink(wrong);
	free(wrong);
	free(pw);
	target_ldap.close(t);
}

static void
test_force_change(void **state)
{
	struct target	*t = open_admin();
	char		*pw = user_pw("user0003"), out[4096];

	(void)state;
	apply1(t, TARGET_FORCE_CHANGE, "user0003", NULL);
	/* The bind itself succeeds; the control says what must happen. */
	assert_int_equal(whoami("user0003", pw, out, sizeof out), 0);
	check_cause(out, "Password must be changed");
	assert_int_equal(account(t, "user0003", 1).must_change, 1);
	free(pw);
	target_ldap.close(t);
}

/* A SET_PASSWORD request for login with secret as its cleartext. */
static void
req_secret(struct target_req *r, const char *login, const char *secret)
{
	req_set(r, TARGET_SET_PASSWORD, login, NULL);
	snprintf(r->secret, sizeof r->secret, "%s", secret);
}

/* A set password that must be refused on its own, its secret wiped. */
static void
set_password_fails(struct target *t, struct target_req *r, const char *why)
{
	char	*cause = NULL;

	if (target_ldap.apply(t, r, 1, &cause) != 0)
		fail_msg("set password failed as a batch: %s", cause);
	assert_int_equal(r->done, 0);
	check_cause(r->error, why);
	assert_true(sodium_is_zero((unsigned char *)r->secret,
	    sizeof r->secret));
}

/*
 * The owner's password (id.set_password): sent with RFC 3062, it binds
 * and the old one does not; the change ppolicy forces after an
 * administrator's change (pwdMustChange) is lifted, and so is one that
 * was forced before.
 */
static void
test_set_password(void **state)
{
	struct target		*t = open_admin();
	struct target_req	 r;
	char			*old = user_pw("user0004"), *fresh, out[4096];
	char			*cause = NULL;

	(void)state;
	apply1(t, TARGET_FORCE_CHANGE, "user0004", NULL);
	assert_int_equal(account(t, "user0004", 1).must_change, 1);
	req_secret(&r, "user0004", "N3w pass-wörd");
	if (target_ldap.apply(t, &r, 1, &cause) != 0)
		fail_msg("set password: %s", cause);
	if (!r.done)
		fail_msg("set password not done: %s", r.error);
	assert_string_equal(r.error, "");
	assert_true(sodium_is_zero((unsigned char *)r.secret,
	    sizeof r.secret));
	fresh = secret_file("N3w pass-wörd");
	bind_ok("user0004", fresh, out, sizeof out);
	assert_null(strstr(out, "must be changed"));
	bind_refused("user0004", old, "Invalid credentials");
	assert_int_equal(account(t, "user0004", 1).must_change, 0);
	assert_true(account(t, "user0004", 1).last_change >= time(NULL) - 60);

	req_secret(&r, "user0004", "");
	set_password_fails(t, &r, "no password");
	req_secret(&r, "user0004", "two\nlines");
	set_password_fails(t, &r, "control character");
	req_secret(&r, "user0004", "bad \xff utf-8");
	set_password_fails(t, &r, "UTF-8");
	req_secret(&r, "user0004", "x");
	memset(r.secret, 'y', sizeof r.secret);
	set_password_fails(t, &r, "longer than 127");
	/* A hash in the argument, the old way: refused, not stored. */
	req_secret(&r, "user0004", "fine password");
	snprintf(r.arg, sizeof r.arg, "$y$j9T$salt$hash");
	set_password_fails(t, &r, "argument must be empty");
	req_secret(&r, "nobody-here", "fine password");
	set_password_fails(t, &r, "no entry|No such object");
	bind_ok("user0004", fresh, out, sizeof out);
	unlink(fresh);
	free(fresh);
	free(old);
	target_ldap.close(t);
}

/* A temporary password is pw_generate's (see test-unix.c). */
static void
check_temp_password(const char *pw)
{
	int	 lower = 0, upper = 0, digit = 0, other = 0;
	size_t	 i;

	if (strlen(pw) != PW_GENERATE_LEN)
		fail_msg("temporary password of %zu characters, wanted %d",
		    strlen(pw), PW_GENERATE_LEN);
	for (i = 0; pw[i] != '\0'; i++) {
		if (strchr("0Oo1lI- ", pw[i]) != NULL || pw[i] < 0x21 ||
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

/*
 * A fresh temporary password (id.reset_password): made by the target,
 * handed back once, binds, must be changed; the old one no longer binds.
 */
static void
test_reset(void **state)
{
	struct target		*t = open_admin();
	struct target_req	 r;
	char			*old = user_pw("user0016"), *tmp, *cause = NULL;
	char			 out[4096];

	(void)state;
	req_set(&r, TARGET_RESET, "user0016", NULL);
	assert_int_equal(target_ldap.apply(t, &r, 1, &cause), 0);
	if (!r.done)
		fail_msg("reset: %s", r.error);
	check_temp_password(r.secret);
	tmp = secret_file(r.secret);
	sodium_memzero(r.secret, sizeof r.secret);
	assert_int_equal(whoami("user0016", tmp, out, sizeof out), 0);
	check_cause(out, "Password must be changed");
	bind_refused("user0016", old, "Invalid credentials");
	assert_int_equal(account(t, "user0016", 1).must_change, 1);
	/* Nobody to reset: the request fails, the batch does not. */
	req_set(&r, TARGET_RESET, "nobody-here", NULL);
	assert_int_equal(target_ldap.apply(t, &r, 1, &cause), 0);
	assert_int_equal(r.done, 0);
	check_cause(r.error, "no entry|No such object");
	assert_string_equal(r.secret, "");
	unlink(tmp);
	free(tmp);
	free(old);
	target_ldap.close(t);
}

/* Many resets in one batch: every one drawn from pw_generate. */
static void
test_reset_alphabet(void **state)
{
	struct target		*t = open_admin();
	struct target_req	 r[32];
	char			*cause = NULL, *tmp, out[4096];
	size_t			 i;

	(void)state;
	for (i = 0; i < 32; i++)
		req_set(&r[i], TARGET_RESET, "user0012", NULL);
	assert_int_equal(target_ldap.apply(t, r, 32, &cause), 0);
	for (i = 0; i < 32; i++) {
		if (!r[i].done)
			fail_msg("reset %zu: %s", i, r[i].error);
		check_temp_password(r[i].secret);
	}
	/* Applied in order: the last one is the password now. */
	tmp = secret_file(r[31].secret);
	assert_int_equal(whoami("user0012", tmp, out, sizeof out), 0);
	check_cause(out, "Password must be changed");
	sodium_memzero(r, sizeof r);
	unlink(tmp);
	free(tmp);
	target_ldap.close(t);
}

/* The directory keeps aging in its ppolicy entry: done, with a notice. */
static void
test_aging(void **state)
{
	struct target		*t = open_admin();
	struct target_req	 r;
	char			*cause = NULL;

	(void)state;
	req_set(&r, TARGET_AGING, "user0006", "min=1 max=90 warn=14");
	assert_int_equal(target_ldap.apply(t, &r, 1, &cause), 0);
	assert_int_equal(r.done, 1);
	check_cause(r.error, "ppolicy entry (op policy)");
	apply1_fails(t, TARGET_AGING, "user0006", "max=ninety", "invalid");
	apply1_fails(t, TARGET_AGING, "user0006", "", "nothing to set");
	target_ldap.close(t);
}

/* The entry dn as ldapsearch (the administrator) prints it. */
static void
read_entry(const char *dn, char *out, size_t size)
{
	int	 rc;

	char *argv[] = { xstrdup("ldapsearch"), xstrdup("-x"), xstrdup("-LLL"),
	    xstrdup("-o"), xstrdup("ldif-wrap=no"), xstrdup("-H"),
	    xstrdup(uri), xstrdup("-D"), xstrdup(admin_dn), xstrdup("-y"),
	    xstrdup(admin_pw), xstrdup("-b"), xstrdup(dn), xstrdup("-s"),
	    xstrdup("base"), NULL };
	rc = run(argv, out, size);
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	if (rc != 0)
		fail_msg("ldapsearch -b %s: %d: %s", dn, rc, out);
}

static void
has_line(const char *out, const char *line)
{
	char	*want;

	xasprintf(&want, "\n%s\n", line);
	if (strstr(out, want) == NULL)
		fail_msg("no \"%s\" in:\n%s", line, out);
	free(want);
}

/*
 * The policy goes to the ppolicy entry ppolicy_dn= names: ages in
 * seconds, replaced (so a second push leaves one value each).  A
 * policy entry of its own, so the other tests' default stays.
 */
static void
test_policy(void **state)
{
	struct target		*t;
	char			*dn, *ldif, *path, *conf, out[8192];
	int			 rc;

	(void)state;
	xasprintf(&dn, "cn=daicho-test,ou=policies,%s", base);
	xasprintf(&ldif, "dn: %s\nobjectClass: top\nobjectClass: device\n"
	    "objectClass: pwdPolicy\ncn: daicho-test\n"
	    "pwdAttribute: userPassword\npwdMustChange: FALSE\n", dn);
	path = secret_file(ldif);
	char *argv[] = { xstrdup("ldapadd"), xstrdup("-x"), xstrdup("-H"),
	    xstrdup(uri), xstrdup("-D"), xstrdup(admin_dn), xstrdup("-y"),
	    xstrdup(admin_pw), xstrdup("-f"), xstrdup(path), NULL };
	rc = run(argv, out, sizeof out);
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	if (rc != 0)
		fail_msg("ldapadd %s: %d: %s", dn, rc, out);

	/* Without ppolicy_dn=: refused, nothing sent. */
	t = open_admin();
	apply1_fails(t, TARGET_POLICY, "-", "min_length=12", "ppolicy_dn");
	target_ldap.close(t);

	xasprintf(&conf, "uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s\n"
	    "ppolicy_dn=%s\n", uri, admin_dn, admin_pw, people, dn);
	t = open_ok(conf);
	apply1(t, TARGET_POLICY, "-", "min_length=12 max_age_days=90 "
	    "min_age_days=1 warn_days=14 history=5");
	read_entry(dn, out, sizeof out);
	has_line(out, "pwdMinLength: 12");
	has_line(out, "pwdMaxAge: 7776000");
	has_line(out, "pwdMinAge: 86400");
	has_line(out, "pwdExpireWarning: 1209600");
	has_line(out, "pwdInHistory: 5");
	has_line(out, "pwdMustChange: TRUE");
	has_line(out, "pwdAllowUserChange: TRUE");
	/* Again, with some keys: replaced, the others left. */
	apply1(t, TARGET_POLICY, "-", "max_age_days=0 history=10");
	read_entry(dn, out, sizeof out);
	has_line(out, "pwdMaxAge: 0");
	has_line(out, "pwdInHistory: 10");
	has_line(out, "pwdMinLength: 12");
	assert_null(strstr(out, "pwdInHistory: 5"));

	apply1_fails(t, TARGET_POLICY, "user0006", "history=5", "policy's");
	apply1_fails(t, TARGET_POLICY, "-", "history=5 history=6", "twice");
	apply1_fails(t, TARGET_POLICY, "-", "colour=5", "unknown key");
	apply1_fails(t, TARGET_POLICY, "-", "max_age_days=30000",
	    "too large");
	read_entry(dn, out, sizeof out);
	has_line(out, "pwdInHistory: 10");
	target_ldap.close(t);
	unlink(path);
	free(path);
	free(ldif);
	free(conf);
	free(dn);
}

static void
test_expire(void **state)
{
	struct target	*t = open_admin();
	char		*pw = user_pw("user0005"), out[4096];

	(void)state;
	apply1(t, TARGET_EXPIRE, "user0005", "2020-01-01");
	/* ppolicy refuses binds past pwdEndTime as a locked account. */
	bind_refused("user0005", pw, "Account locked");
	assert_int_equal(account(t, "user0005", 1).expired, 1);
	apply1(t, TARGET_EXPIRE, "user0005", "2099-12-31");
	bind_ok("user0005", pw, out, sizeof out);
	assert_int_equal(account(t, "user0005", 1).expired, 0);
	apply1(t, TARGET_EXPIRE, "user0005", "now");
	bind_refused("user0005", pw, "Account locked");
	apply1(t, TARGET_EXPIRE, "user0005", "never");
	bind_ok("user0005", pw, out, sizeof out);
	apply1(t, TARGET_EXPIRE, "user0005", "never");
	assert_int_equal(account(t, "user0005", 1).expired, 0);

	apply1_fails(t, TARGET_EXPIRE, "user0005", "2024-02-30", "YYYY-MM-DD");
	apply1_fails(t, TARGET_EXPIRE, "user0005", "1969-12-31", "YYYY-MM-DD");
	apply1_fails(t, TARGET_EXPIRE, "user0005", "tomorrow", "YYYY-MM-DD");
	apply1_fails(t, TARGET_EXPIRE, "user0005", "", "YYYY-MM-DD");
	free(pw);
	target_ldap.close(t);
}

/* uidNumber of login, read back with ldapsearch as the administrator. */
static long
uid_number(const char *login)
{
	char	 filter[64], out[4096], *p;
	int	 rc;

	snprintf(filter, sizeof filter, "(uid=%s)", login);
	char *argv[] = { xstrdup("ldapsearch"), xstrdup("-x"), xstrdup("-LLL"),
	    xstrdup("-H"), xstrdup(uri), xstrdup("-D"), xstrdup(admin_dn),
	    xstrdup("-y"), xstrdup(admin_pw), xstrdup("-b"), xstrdup(people),
	    xstrdup(filter), xstrdup("uidNumber"), NULL };
	rc = run(argv, out, sizeof out);
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	assert_int_equal(rc, 0);
	if ((p = strstr(out, "uidNumber: ")) == NULL)
		return -1;
	return strtol(p + 11, NULL, 10);
}

/* Whether the entry dn exists (ldapsearch as the administrator). */
static int
entry_exists(const char *dn)
{
	char	 out[4096];
	int	 rc;

	char *argv[] = { xstrdup("ldapsearch"), xstrdup("-x"), xstrdup("-LLL"),
	    xstrdup("-H"), xstrdup(uri), xstrdup("-D"), xstrdup(admin_dn),
	    xstrdup("-y"), xstrdup(admin_pw), xstrdup("-b"), xstrdup(dn),
	    xstrdup("-s"), xstrdup("base"), xstrdup("1.1"), NULL };
	rc = run(argv, out, sizeof out);
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	if (rc != 0 && rc != 32)	/* 32: no such object */
		fail_msg("ldapsearch -b %s: %d: %s", dn, rc, out);
	return rc == 0;
}

static void
test_create_delete(void **state)
{
	struct target		*t = open_admin();
	struct target_req	 r;
	struct target_account	 a;
	char			*cause = NULL, *tmp, *fresh, *dn, out[4096];
	int			 rc;

	(void)state;
	account(t, "newbie", 0);
	req_set(&r, TARGET_CREATE, "newbie", "新人 太郎");
	assert_int_equal(target_ldap.apply(t, &r, 1, &cause), 0);
	if (!r.done)
		fail_msg("create: %s", r.error);
	assert_true(strlen(r.secret) >= 16);
	a = account(t, "newbie", 1);
	assert_string_equal(a.name, "新人 太郎");
	assert_int_equal(a.must_change, 1);
	assert_int_equal(a.locked, 0);
	/* Above every uidNumber there was (user0020 has 10020). */
	assert_int_equal(uid_number("newbie"), 10021);

	/* The temporary password binds, and must be changed... */
	tmp = secret_file(r.secret);
	sodium_memzero(r.secret, sizeof r.secret);
	assert_int_equal(whoami("newbie", tmp, out, sizeof out), 0);
	check_cause(out, "Password must be changed");
	/* ...which the user can do, after which all is well. */
	fresh = secret_file("Ch0sen-by-newbie");
	xasprintf(&dn, "uid=newbie,%s", people);
	char *argv[] = { xstrdup("ldappasswd"), xstrdup("-x"), xstrdup("-H"),
	    xstrdup(uri), xstrdup("-D"), dn, xstrdup("-y"), xstrdup(tmp),
	    xstrdup("-t"), xstrdup(tmp), xstrdup("-T"), xstrdup(fresh), NULL };
	rc = run(argv, out, sizeof out);
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	if (rc != 0)
		fail_msg("ldappasswd: %s", out);
	bind_ok("newbie", fresh, out, sizeof out);
	assert_null(strstr(out, "must be changed"));
	assert_int_equal(account(t, "newbie", 1).must_change, 0);

	/* Create what exists: refused, nothing changed. */
	apply1_fails(t, TARGET_CREATE, "newbie", "Again", "Already exists");
	bind_ok("newbie", fresh, out, sizeof out);

	apply1(t, TARGET_DELETE, "newbie", NULL);
	account(t, "newbie", 0);
	bind_refused("newbie", fresh, "Invalid credentials");
	apply1_fails(t, TARGET_DELETE, "newbie", NULL, "No such object");

	/* Names the directory cannot take as they are. */
	apply1_fails(t, TARGET_CREATE, "ctl", "bad\001name", "UTF-8");
	apply1_fails(t, TARGET_CREATE, "ctl", "\xff\xfe", "UTF-8");
	account(t, "ctl", 0);
	/* DN specials in a login are escaped, not interpreted. */
	apply1(t, TARGET_CREATE, "o,ou=x+y", "Comma Person");
	account(t, "o,ou=x+y", 1);
	xasprintf(&dn, "uid=o\\,ou\\=x\\+y,%s", people);
	assert_true(entry_exists(dn));
	free(dn);
	apply1(t, TARGET_DELETE, "o,ou=x+y", NULL);
	account(t, "o,ou=x+y", 0);

	unlink(tmp);
	unlink(fresh);
	free(tmp);
	free(fresh);
	target_ldap.close(t);
}

/* CREATE without posixAccount, and with the name as the RDN. */
static void
test_create_mapping(void **state)
{
	struct target	*t;
	char		*conf, *pw = user_pw("user0015"), out[4096], *dn;

	(void)state;
	conf = admin_conf("objectclasses=inetOrgPerson\nrdn=cn\n"
	    "filter=(objectClass=inetOrgPerson)\n");
	t = open_ok(conf);
	apply1(t, TARGET_CREATE, "plainperson", "Plain Person");
	xasprintf(&dn, "cn=Plain Person,%s", people);
	assert_true(entry_exists(dn));
	/* Found by search, since the DN is cn=Plain Person. */
	apply1(t, TARGET_LOCK, "plainperson", NULL);
	apply1(t, TARGET_DELETE, "plainperson", NULL);
	apply1_fails(t, TARGET_LOCK, "plainperson", NULL, "no entry");
	assert_false(entry_exists(dn));
	free(dn);
	target_ldap.close(t);
	free(conf);

	/* Accounts anywhere below a wider base: found by search too. */
	xasprintf(&conf, "uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s\n"
	    "scope=sub\n", uri, admin_dn, admin_pw, env("SLAPD_BASE"));
	t = open_ok(conf);
	account(t, "user0015", 1);
	apply1(t, TARGET_LOCK, "user0015", NULL);
	bind_refused("user0015", pw, "Account locked");
	apply1(t, TARGET_UNLOCK, "user0015", NULL);
	bind_ok("user0015", pw, out, sizeof out);
	apply1_fails(t, TARGET_UNLOCK, "nosuchuser", NULL, "no entry");
	target_ldap.close(t);
	free(conf);
	free(pw);
}

static void
test_batch_mixed(void **state)
{
	struct target		*t = open_admin();
	struct target_req	 r[6];
	char			*cause = NULL, *pw6, *pw7;

	(void)state;
	req_set(&r[0], TARGET_LOCK, "user0006", NULL);
	req_set(&r[1], TARGET_LOCK, "nosuchuser", NULL);
	req_set(&r[2], TARGET_LOCK, "bad login", NULL);
	req_set(&r[3], TARGET_LOCK, "user0007", NULL);
	/* Same login again: applied after r[0], in batch order. */
	req_set(&r[4], TARGET_UNLOCK, "user0006", NULL);
	req_set(&r[5], TARGET_LOCK, "-leading", NULL);
	assert_int_equal(target_ldap.apply(t, r, 6, &cause), 0);
	assert_int_equal(r[0].done, 1);
	assert_int_equal(r[1].done, 0);
	check_cause(r[1].error, "No such object");
	assert_int_equal(r[2].done, 0);
	check_cause(r[2].error, "not a valid login");
	assert_int_equal(r[3].done, 1);
	assert_int_equal(r[4].done, 1);
	assert_int_equal(r[5].done, 0);
	check_cause(r[5].error, "not a valid login");
	pw6 = user_pw("user0006");
	pw7 = user_pw("user0007");
	{
		char	out[4096];

		bind_ok("user0006", pw6, out, sizeof out);
	}
	bind_refused("user0007", pw7, "Account locked");
	apply1(t, TARGET_UNLOCK, "user0007", NULL);
	free(pw6);
	free(pw7);
	target_ldap.close(t);
}

/* More requests than the window: it refills as answers come. */
static void
test_window(void **state)
{
	struct target		*t;
	struct target_req	 r[40];
	struct target_account	*a;
	size_t			 n, i, locked = 0;
	char			*conf = admin_conf("window=3\n"), *cause = NULL;
	char			 login[16];

	(void)state;
	t = open_ok(conf);
	for (i = 0; i < 20; i++) {
		snprintf(login, sizeof login, "user%04zu", i + 1);
		req_set(&r[i], TARGET_LOCK, login, NULL);
		req_set(&r[20 + i], i % 2 == 0 ? TARGET_UNLOCK : TARGET_LOCK,
		    login, NULL);
	}
	assert_int_equal(target_ldap.apply(t, r, 40, &cause), 0);
	for (i = 0; i < 40; i++) {
		if (!r[i].done)
			fail_msg("request %zu: %s", i, r[i].error);
	}
	assert_int_equal(target_ldap.list(t, &a, &n, &cause), 0);
	for (i = 0; i < n; i++)
		locked += a[i].locked == 1;
	free(a);
	assert_int_equal(locked, 10);
	for (i = 0; i < 20; i++)
		r[i].op = TARGET_UNLOCK;
	assert_int_equal(target_ldap.apply(t, r, 20, &cause), 0);
	target_ldap.close(t);
	free(conf);
}

static void
test_bad_bind(void **state)
{
	char	*wrong, *loose, *conf, *link;

	(void)state;
	wrong = secret_file("not-the-password");
	xasprintf(&conf, "uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s\n", uri,
	    admin_dn, wrong, people);
	open_fails(conf, "Invalid credentials");
	free(conf);

	loose = secret_file("whatever");
	chmod(loose, 0644);
	xasprintf(&conf, "uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s\n", uri,
	    admin_dn, loose, people);
	open_fails(conf, "0600");
	free(conf);

	xasprintf(&link, "%s/pw-link", sdir);
	unlink(link);
	assert_int_equal(symlink(admin_pw, link), 0);
	xasprintf(&conf, "uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s\n", uri,
	    admin_dn, link, people);
	open_fails(conf, "symbolic links");
	free(conf);

	/* An empty password would be an anonymous bind that "works". */
	assert_int_equal(truncate(wrong, 0), 0);
	xasprintf(&conf, "uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s\n", uri,
	    admin_dn, wrong, people);
	open_fails(conf, "non-empty");
	free(conf);

	unlink(wrong);
	unlink(loose);
	unlink(link);
	free(wrong);
	free(loose);
	free(link);
}

/*
 * The checks of text a server or a request brings, without a server.  The
 * strings are heap copies, so that ASan sees a read before one (found by
 * fuzz/fuzz-ldap.c: the overlong check looked back from the end of a
 * sequence by the longest length, before a string that began with a
 * shorter one).
 */
static void
test_text_checks(void **state)
{
	static const char *const good[] = {
		"\xc3\xa9t\xc3\xa9", "\xe5\xb1\xb1\xe7\x94\xb0",
		"\xf0\x9f\x94\x91", "plain",
	};
	static const char *const bad[] = {
		"\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xc0\xaf",
		"\xed\xa0\x80", "\xc2\x85", "a\x1b[2J", "\xc3",
	};
	char	*s;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		s = xstrdup(good[i]);
		assert_true(target_ldap_text_ok(s));
		free(s);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		s = xstrdup(bad[i]);
		assert_false(target_ldap_text_ok(s));
		free(s);
	}
	assert_true(target_ldap_parse_gentime("19700101000000Z", 15) == 0);
	assert_true(target_ldap_parse_gentime("19700101090000+0900", 19) ==
	    0);
	assert_true(target_ldap_parse_gentime("1970010100.5Z", 13) == 0);
	assert_true(target_ldap_parse_gentime("19700101000000", 14) == -1);
	assert_true(target_ldap_parse_gentime("19701301000000Z", 15) == -1);
}

static void
test_bad_config(void **state)
{
	char	*conf;

	(void)state;
	open_fails("", "required");
	conf = admin_conf("colour=blue\n");
	open_fails(conf, "unknown key");
	free(conf);
	conf = admin_conf("base=dc=other\n");
	open_fails(conf, "twice");
	free(conf);
	conf = admin_conf("window=0\n");
	open_fails(conf, "window");
	free(conf);
	conf = admin_conf("starttls=maybe\n");
	open_fails(conf, "yes or no");
	free(conf);
	conf = admin_conf("rdn=mail\n");
	open_fails(conf, "rdn");
	free(conf);
	conf = admin_conf("expire_attr=accountExpires\n");
	open_fails(conf, "expire_attr");
	free(conf);
	open_fails("uri=ldap://ldap.example.org\nbinddn=cn=a\nbindpw_file=/x\n"
	    "base=dc=x\n", "in clear");
	open_fails("uri=http://x\nbinddn=cn=a\nbindpw_file=/x\nbase=dc=x\n",
	    "not an LDAP URL");
	open_fails("uri=ldap://127.0.0.1\nsasl=PLAIN\nbase=dc=x\n",
	    "EXTERNAL only");
	open_fails("uri=ldap://127.0.0.1\nsasl=EXTERNAL\nbase=dc=x\n",
	    "needs ldapi");
	open_fails("uri=ldapi://%2Fnonexistent\nsasl=EXTERNAL\nbase=dc=x\n",
	    "Can't contact LDAP server");
	conf = admin_conf("ppolicy_dn=not a dn\n");
	open_fails(conf, "ppolicy_dn");
	free(conf);
}

static void
test_starttls(void **state)
{
	struct target	*t;
	char		*conf, *extra;

	(void)state;
	xasprintf(&extra, "starttls=yes\ntls_cacert=%s\n", cacert);
	conf = admin_conf(extra);
	t = open_ok(conf);
	account(t, "user0008", 1);
	apply1(t, TARGET_LOCK, "user0008", NULL);
	apply1(t, TARGET_UNLOCK, "user0008", NULL);
	target_ldap.close(t);
	free(conf);
	free(extra);

	/* Our self-signed certificate is in no system store: refused. */
	conf = admin_conf("starttls=yes\ntls_cacert=/etc/ssl/certs/"
	    "ca-certificates.crt\n");
	open_fails(conf, "StartTLS");
	free(conf);
	conf = admin_conf("starttls=yes\n");
	open_fails(conf, "certificate");
	free(conf);
}

static void
test_ldaps(void **state)
{
	struct target	*t;
	char		*conf, *pw = user_pw("user0009"), out[4096];

	(void)state;
	xasprintf(&conf, "uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s\n"
	    "tls_cacert=%s\n", ldaps_uri, admin_dn, admin_pw, people, cacert);
	t = open_ok(conf);
	account(t, "user0009", 1);
	apply1(t, TARGET_LOCK, "user0009", NULL);
	bind_refused("user0009", pw, "Account locked");
	apply1(t, TARGET_UNLOCK, "user0009", NULL);
	bind_ok("user0009", pw, out, sizeof out);
	target_ldap.close(t);
	free(conf);
	free(pw);

	xasprintf(&conf, "uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s\n",
	    ldaps_uri, admin_dn, admin_pw, people);
	open_fails(conf, "certificate");
	free(conf);
}

static void
test_ldapi_external(void **state)
{
	struct target	*t;
	char		*conf, *pw = user_pw("user0010");

	(void)state;
	xasprintf(&conf, "uri=%s\nsasl=EXTERNAL\nbase=%s\n", ldapi_uri,
	    people);
	t = open_ok(conf);
	account(t, "user0010", 1);
	apply1(t, TARGET_LOCK, "user0010", NULL);
	bind_refused("user0010", pw, "Account locked");
	apply1(t, TARGET_UNLOCK, "user0010", NULL);
	target_ldap.close(t);
	free(conf);
	free(pw);
}

/*
 * Fake servers.  Each serves one connection from a forked child:
 *   junk       writes non-LDAP bytes at once, like a web server
 *   silent     accepts and never answers
 *   dropper    answers the bind, then drops the connection
 *   stray      answers the bind, then a modify with an addResponse
 *   babbler    answers the bind, then writes non-LDAP bytes
 *   resetter   answers the bind, stops listening, and resets the
 *              connection (RST) when the batch starts: libldap's next
 *              writes on it raise SIGPIPE
 *   reconnect  answers the bind and hangs up, as an idle timeout does;
 *              on the next connection answers the bind and one modify
 */
enum fake_mode {
	FAKE_JUNK,
	FAKE_SILENT,
	FAKE_DROPPER,
	FAKE_STRAY,
	FAKE_BABBLER,
	FAKE_RECONNECT,
	FAKE_RESETTER,
};

/* LDAPMessage { messageID 1, bindResponse { success, "", "" } } */
static const unsigned char bind_ok_ber[] = {
	0x30, 0x0c, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0a, 0x01, 0x00, 0x04,
	0x00, 0x04, 0x00,
};
/* LDAPMessage { messageID 2, addResponse { success, "", "" } }: the
 * wrong kind of answer to the first modify.  (libldap itself drops
 * answers to message IDs it never sent.) */
static const unsigned char stray_ber[] = {
	0x30, 0x0c, 0x02, 0x01, 0x02, 0x69, 0x07, 0x0a, 0x01, 0x00, 0x04,
	0x00, 0x04, 0x00,
};
/* LDAPMessage { messageID 2, modifyResponse { success, "", "" } } */
static const unsigned char modify_ok_ber[] = {
	0x30, 0x0c, 0x02, 0x01, 0x02, 0x67, 0x07, 0x0a, 0x01, 0x00, 0x04,
	0x00, 0x04, 0x00,
};

static pid_t
fake_server(enum fake_mode mode, int *port)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	char			 buf[4096];
	const char		*junk = "HTTP/1.0 400 Bad Request\r\n\r\n";
	pid_t			 pid;
	int			 s, c, one = 1;

	s = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s != -1);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(s, 4), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	pid = fork();
	assert_true(pid != -1);
	if (pid != 0) {
		close(s);
		return pid;
	}
	/* Never outlive the test, nor hold its output open if it fails
	 * before fake_done(). */
	alarm(30);
	if ((c = open("/dev/null", O_WRONLY)) != -1) {
		dup2(c, 1);
		dup2(c, 2);
		close(c);
	}
	if ((c = accept(s, NULL, NULL)) == -1)
		_exit(1);
	switch (mode) {
	case FAKE_JUNK:
		(void)!write(c, junk, strlen(junk));
		(void)!read(c, buf, sizeof buf);
		break;
	case FAKE_SILENT:
		pause();
		break;
	case FAKE_DROPPER:
	case FAKE_STRAY:
	case FAKE_BABBLER:
		(void)!read(c, buf, sizeof buf);
		(void)!write(c, bind_ok_ber, sizeof bind_ok_ber);
		/* Wait for the batch to start, then misbehave. */
		(void)!read(c, buf, sizeof buf);
		if (mode == FAKE_STRAY)
			(void)!write(c, stray_ber, sizeof stray_ber);
		for (int i = 0; mode == FAKE_BABBLER && i < 20; i++)
			(void)!write(c, junk, strlen(junk));
		if (mode != FAKE_DROPPER)
			pause();
		break;
	case FAKE_RESETTER: {
		struct linger	lg = { 1, 0 };

		(void)!read(c, buf, sizeof buf);
		(void)!write(c, bind_ok_ber, sizeof bind_ok_ber);
		close(s);
		(void)!read(c, buf, 1);
		setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		break;
	}
	case FAKE_RECONNECT:
		(void)!read(c, buf, sizeof buf);
		(void)!write(c, bind_ok_ber, sizeof bind_ok_ber);
		close(c);
		if ((c = accept(s, NULL, NULL)) == -1)
			_exit(1);
		(void)!read(c, buf, sizeof buf);
		(void)!write(c, bind_ok_ber, sizeof bind_ok_ber);
		(void)!read(c, buf, sizeof buf);
		(void)!write(c, modify_ok_ber, sizeof modify_ok_ber);
		pause();
		break;
	}
	close(c);
	_exit(0);
}

static void
fake_done(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		;
}

static char *
fake_conf(int port)
{
	char	*c;

	xasprintf(&c, "uri=ldap://127.0.0.1:%d\nbinddn=%s\nbindpw_file=%s\n"
	    "base=%s\ntimeout=2\n", port, admin_dn, admin_pw, people);
	return c;
}

static void
test_garbage_server(void **state)
{
	struct target_req	 r[3];
	struct target		*t;
	char			*conf, *cause = NULL;
	time_t			 start;
	pid_t			 pid;
	int			 port;

	(void)state;
	pid = fake_server(FAKE_JUNK, &port);
	conf = fake_conf(port);
	open_fails(conf, "bind to ldap://127.0.0.1");
	fake_done(pid);
	free(conf);

	/* Bounded by timeout=2, not hung. */
	pid = fake_server(FAKE_SILENT, &port);
	conf = fake_conf(port);
	start = time(NULL);
	open_fails(conf, "Timed out|Can't contact");
	assert_true(time(NULL) - start < 10);
	fake_done(pid);
	free(conf);

	/* The connection goes away in mid-batch: the batch fails. */
	pid = fake_server(FAKE_DROPPER, &port);
	conf = fake_conf(port);
	t = open_ok(conf);
	req_set(&r[0], TARGET_LOCK, "user0011", NULL);
	req_set(&r[1], TARGET_LOCK, "user0012", NULL);
	req_set(&r[2], TARGET_LOCK, "bad login", NULL);
	assert_int_equal(target_ldap.apply(t, r, 3, &cause), -1);
	check_cause(cause, "Can't contact LDAP server|connection");
	free(cause);
	cause = NULL;
	assert_int_equal(r[0].done, 0);
	check_cause(r[0].error, "may or may not");
	check_cause(r[2].error, "not a valid login");
	target_ldap.close(t);
	fake_done(pid);
	free(conf);

	/* The wrong kind of answer: the batch fails. */
	pid = fake_server(FAKE_STRAY, &port);
	conf = fake_conf(port);
	t = open_ok(conf);
	req_set(&r[0], TARGET_LOCK, "user0011", NULL);
	assert_int_equal(target_ldap.apply(t, r, 1, &cause), -1);
	check_cause(cause, "message type 0x69");
	free(cause);
	cause = NULL;
	target_ldap.close(t);
	fake_done(pid);
	free(conf);

	/*
	 * Reset in mid-batch, and gone: the batch fails with a cause, and
	 * libldap's writes on the dead socket do not kill us with SIGPIPE,
	 * which this program leaves at its default.  (Without the target's
	 * guard this test dies of SIGPIPE, exit 141: checked.)
	 */
	pid = fake_server(FAKE_RESETTER, &port);
	conf = fake_conf(port);
	t = open_ok(conf);
	{
		static struct target_req	many[300];

		for (int i = 0; i < 300; i++) {
			char	login[16];

			snprintf(login, sizeof login, "user%04d", i + 1);
			req_set(&many[i], TARGET_LOCK, login, NULL);
		}
		assert_int_equal(target_ldap.apply(t, many, 300, &cause), -1);
	}
	check_cause(cause, "Can't contact LDAP server");
	free(cause);
	cause = NULL;
	target_ldap.close(t);
	fake_done(pid);
	free(conf);

	/* Dropped while idle: the next batch connects again first. */
	pid = fake_server(FAKE_RECONNECT, &port);
	conf = fake_conf(port);
	t = open_ok(conf);
	usleep(300000);
	req_set(&r[0], TARGET_LOCK, "user0011", NULL);
	if (target_ldap.apply(t, r, 1, &cause) != 0)
		fail_msg("apply after an idle drop: %s", cause);
	assert_int_equal(r[0].done, 1);
	target_ldap.close(t);
	fake_done(pid);
	free(conf);

	/* Bytes that are no LDAP at all after a good bind. */
	pid = fake_server(FAKE_BABBLER, &port);
	conf = fake_conf(port);
	t = open_ok(conf);
	req_set(&r[0], TARGET_LOCK, "user0011", NULL);
	start = time(NULL);
	assert_int_equal(target_ldap.apply(t, r, 1, &cause), -1);
	assert_true(time(NULL) - start < 10);
	check_cause(cause, "lost the connection to ldap://127.0.0.1|no answer");
	free(cause);
	target_ldap.close(t);
	fake_done(pid);
	free(conf);
}

/* Last: stops slapd.  An open target then fails with a clear cause. */
static void
test_server_down(void **state)
{
	struct target		*t;
	struct target_req	 r[2];
	struct target_account	*a;
	size_t			 n;
	char			*cause = NULL, *conf;
	long			 pid;
	int			 i;

	(void)state;
	pid = strtol(env("SLAPD_PID"), NULL, 10);
	assert_true(pid > 1);
	t = open_admin();
	account(t, "user0013", 1);
	assert_int_equal(kill((pid_t)pid, SIGTERM), 0);
	for (i = 0; i < 300 && kill((pid_t)pid, 0) == 0; i++)
		usleep(100000);
	assert_int_not_equal(kill((pid_t)pid, 0), 0);

	req_set(&r[0], TARGET_LOCK, "user0013", NULL);
	req_set(&r[1], TARGET_LOCK, "user0014", NULL);
	assert_int_equal(target_ldap.apply(t, r, 2, &cause), -1);
	check_cause(cause, "Can't contact LDAP server");
	free(cause);
	cause = NULL;
	assert_int_equal(r[0].done, 0);
	check_cause(r[0].error, "not sent");
	assert_int_equal(target_ldap.list(t, &a, &n, &cause), -1);
	assert_null(a);
	check_cause(cause, "Can't contact LDAP server");
	free(cause);
	target_ldap.close(t);

	conf = admin_conf("");
	open_fails(conf, "Can't contact LDAP server");
	free(conf);
}

/*
 * The benchmark's driver.
 */
static int
bench(const char *path, const char *count, const char *opname)
{
	struct target_req	*r;
	struct target		*t;
	struct timespec		 t0, t1;
	const char		*errstr;
	long long		 n, i, failed = 0;
	char			*conf, *cause = NULL;
	FILE			*f;
	size_t			 len;

	if (number_parse(count, 1, 1000000, &n, &errstr) != 0)
		fatalx("bench: N is %s", errstr);
	if ((f = fopen(path, "r")) == NULL)
		fatal("bench: %s", path);
	conf = xmalloc(65536);
	len = fread(conf, 1, 65535, f);
	conf[len] = '\0';
	fclose(f);

	r = xcalloc((size_t)n, sizeof *r);
	for (i = 0; i < n; i++) {
		r[i].op = strcmp(opname, "unlock") == 0 ? TARGET_UNLOCK :
		    TARGET_LOCK;
		snprintf(r[i].login, sizeof r[i].login, "user%04lld", i + 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((t = target_ldap.open(conf, &cause)) == NULL ||
	    target_ldap.apply(t, r, (size_t)n, &cause) != 0) {
		fprintf(stderr, "test-ldap: bench: %s\n", cause);
		target_ldap.close(t);
		free(cause);
		free(r);
		free(conf);
		return 2;
	}
	target_ldap.close(t);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < n; i++) {
		if (!r[i].done) {
			if (failed++ < 5)
				fprintf(stderr, "bench: %s: %s\n", r[i].login,
				    r[i].error);
		}
	}
	printf("%.4f\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(r);
	free(conf);
	return failed == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_checks),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_list_paged),
		cmocka_unit_test(test_lock_unlock),
		cmocka_unit_test(test_last_use),
		cmocka_unit_test(test_force_change),
		cmocka_unit_test(test_set_password),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_reset_alphabet),
		cmocka_unit_test(test_aging),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_create_delete),
		cmocka_unit_test(test_create_mapping),
		cmocka_unit_test(test_batch_mixed),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_bad_bind),
		cmocka_unit_test(test_starttls),
		cmocka_unit_test(test_ldaps),
		cmocka_unit_test(test_ldapi_external),
		cmocka_unit_test(test_garbage_server),
		cmocka_unit_test(test_server_down),	/* last: stops slapd */
	};

	if (argc >= 4 && strcmp(argv[1], "--bench") == 0)
		return bench(argv[2], argv[3], argc >= 5 ? argv[4] : "lock");
	if (argc != 1) {
		fprintf(stderr, "usage: test-ldap [--bench CONFIG N "
		    "[lock|unlock]]\n");
		return 2;
	}
	uri = env("SLAPD_URI");
	ldaps_uri = env("SLAPD_LDAPS_URI");
	ldapi_uri = env("SLAPD_LDAPI_URI");
	people = env("SLAPD_PEOPLE");
	base = env("SLAPD_BASE");
	admin_dn = env("SLAPD_ADMIN_DN");
	admin_pw = env("SLAPD_ADMIN_PWFILE");
	cacert = env("SLAPD_CACERT");
	sdir = env("SLAPD_DIR");
	/* SIGPIPE is left at its default on purpose: the target must not
	 * die of a server that went away. */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
