/*
 * test-auth.c -- auth/ against real PAM, under pam_wrapper.
 *
 * tests/auth.sh runs this with libpam_wrapper.so preloaded and a scratch
 * directory of PAM services (see there for each service's stack) and
 * exports AUTH_TEST_DIR, where the services keep their data: passdb and
 * passdb2 for pam_matrix, fp.script (the test fingerprint module's
 * outcomes, written here before each case) and fp.log (what that module
 * saw: PAM_TTY, PAM_RUSER, the child's pid, the order of PAM calls).
 *
 * Each case drives a whole transaction through the public API, as the
 * console would: poll, read, answer.  What PAM cannot be made to do here
 * (pam_unix with an expired shadow entry, pam_faillock, the real
 * pam_fprintd) is left to the integration tests.
 */
#include "config.h"

#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <security/pam_appl.h>

#include "common.h"
#include "auth.h"

#define MAX_EVENTS	64
#define DEADLINE_MS	30000

static const char *tdir;

/* What one transaction showed its caller. */
struct trace {
	struct auth_event ev[MAX_EVENTS];	/* all but WAITING */
	int		 n;
	int		 waiting;		/* WAITING events */
	int		 max_left;		/* largest seconds_left seen */
	struct auth_event end;			/* RESULT or CLOSED */
	int64_t		 ms;			/* start to end */
};

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *
tpath(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", tdir, name);
	return p;
}

static void
write_file(const char *name, const char *text)
{
	char	*p = tpath(name);
	FILE	*f;

	if ((f = fopen(p, "w")) == NULL)
		fail_msg("%s: %s", p, strerror(errno));
	fputs(text, f);
	fclose(f);
	free(p);
}

/* The whole file, or "" when it does not exist; caller frees. */
static char *
read_file(const char *name)
{
	char	*p = tpath(name), *buf = xcalloc(1, 65536);
	FILE	*f;
	size_t	 n;

	if ((f = fopen(p, "r")) != NULL) {
		n = fread(buf, 1, 65535, f);
		buf[n] = '\0';
		fclose(f);
	}
	free(p);
	return buf;
}

/* A fresh log and a script for the fingerprint module. */
static void
reset(const char *script)
{
	write_file("fp.log", "");
	write_file("fp.script", script);
}

static int
log_has(const char *what)
{
	char	*log = read_file("fp.log");
	int	 found = strstr(log, what) != NULL;

	free(log);
	return found;
}

/* The pid the module logged from inside the child. */
static pid_t
child_pid(void)
{
	char	*log = read_file("fp.log"), *p;
	long	 pid = -1;

	if ((p = strstr(log, "pid=")) != NULL)
		pid = strtol(p + 4, NULL, 10);
	free(log);
	assert_true(pid > 0);
	return (pid_t)pid;
}

static void
assert_gone(pid_t pid)
{
	assert_int_equal(kill(pid, 0), -1);
	assert_int_equal(errno, ESRCH);
}

/* Valid UTF-8, no C0 but '\n', no DEL, no C1: safe on a terminal. */
static void
assert_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		if (*p < 0x80) {
			if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
				fail_msg("control character 0x%02x", *p);
			p++;
		} else if (*p >= 0xc2 && *p <= 0xdf) {
			if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
				fail_msg("C1 control");
			if ((p[1] & 0xc0) != 0x80)
				fail_msg("bad UTF-8");
			p += 2;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
				fail_msg("bad UTF-8");
			p += 3;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
			    (p[3] & 0xc0) != 0x80)
				fail_msg("bad UTF-8");
			p += 4;
		} else
			fail_msg("bad UTF-8 lead byte 0x%02x", *p);
	}
}

static struct auth *
start(const char *service, const char *user, int flags, int timeout)
{
	struct auth_opts o = {
		.service = service,
		.user = user,
		.flags = flags,
		.module_timeout = timeout,
	};
	struct auth	*a;
	char		*cause = NULL;

	if ((a = auth_start(&o, &cause)) == NULL)
		fail_msg("auth_start: %s", cause);
	return a;
}

/* The next event that is not WAITING, within the deadline. */
static void
next_event(struct auth *a, struct trace *t, struct auth_event *ev)
{
	struct pollfd	 pfd;
	int64_t		 deadline = now_ms() + DEADLINE_MS;
	char		*cause = NULL;
	int		 r;

	for (;;) {
		if (now_ms() > deadline)
			fail_msg("no event within %d ms", DEADLINE_MS);
		pfd.fd = auth_fd(a);
		pfd.events = POLLIN;
		poll(&pfd, 1, 200);
		if ((r = auth_read(a, ev, &cause)) == -1)
			fail_msg("auth_read: %s", cause);
		if (r == 0)
			continue;
		assert_clean(ev->text);
		assert_clean(ev->user);
		if (ev->kind != AUTH_EV_WAITING)
			break;
		assert_true(ev->seconds_left >= 0);
		if (t != NULL) {
			t->waiting++;
			if (ev->seconds_left > t->max_left)
				t->max_left = ev->seconds_left;
		}
	}
	if (t != NULL && t->n < MAX_EVENTS)
		t->ev[t->n++] = *ev;
}

/*
 * Answer prompts from answers (NULL-ended) in turn until RESULT or CLOSED;
 * every answer must come back wiped.
 */
static void
drive(struct auth *a, const char *const *answers, struct trace *t)
{
	struct auth_event ev;
	char		 buf[AUTH_TEXT_MAX * 2];
	char		*cause = NULL;
	int64_t		 begin = now_ms();
	size_t		 i;

	for (;;) {
		next_event(a, t, &ev);
		switch (ev.kind) {
		case AUTH_EV_PROMPT_OFF:
		case AUTH_EV_PROMPT_ON:
			if (answers == NULL || *answers == NULL)
				fail_msg("unexpected prompt \"%s\"", ev.text);
			memset(buf, 0, sizeof buf);
			snprintf(buf, sizeof buf, "%s", *answers++);
			if (auth_answer(a, buf, &cause) != 0)
				fail_msg("auth_answer: %s", cause);
			for (i = 0; i < sizeof buf; i++)
				assert_int_equal(buf[i], 0);
			break;
		case AUTH_EV_RESULT:
		case AUTH_EV_CLOSED:
			t->end = ev;
			t->ms = now_ms() - begin;
			return;
		default:
			break;
		}
	}
}

/* A whole transaction without a session. */
static void
run(const char *service, const char *user, int flags, int timeout,
    const char *const *answers, struct trace *t)
{
	struct auth	*a = start(service, user, flags, timeout);
	struct auth_event ev;
	char		*cause = NULL;

	memset(t, 0, sizeof *t);
	drive(a, answers, t);
	assert_int_equal(auth_read(a, &ev, &cause), -1);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(auth_fd(a), -1);
	auth_free(a);
}

#define ANSWERS(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* Index of the first event of kind with text, from from; -1 if none. */
static int
find(const struct trace *t, int from, enum auth_event_kind kind,
    const char *text)
{
	int	 i;

	for (i = from; i < t->n; i++) {
		if (t->ev[i].kind == kind && (text == NULL ||
		    strcmp(t->ev[i].text, text) == 0))
			return i;
	}
	return -1;
}

/*
 * Passwords through pam_matrix.
 */

static void
test_password_ok(void **state)
{
	struct trace	 t;

	reset("");
	run("pw", "alice", 0, 5, ANSWERS("secret"), &t);
	assert_int_equal(t.end.kind, AUTH_EV_RESULT);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_int_equal(t.end.pam_status, PAM_SUCCESS);
	assert_string_equal(t.end.user, "alice");
	assert_int_equal(t.ev[0].kind, AUTH_EV_PROMPT_OFF);
	assert_string_equal(t.ev[0].text, "Password: ");
}

static void
test_password_wrong(void **state)
{
	struct trace	 t;

	run("pw", "alice", 0, 5, ANSWERS("Secret"), &t);
	assert_int_equal(t.end.result, AUTH_DENIED);
	assert_int_equal(t.end.pam_status, PAM_AUTH_ERR);
	/* Who tried is known even on failure, for the record. */
	assert_string_equal(t.end.user, "alice");
}

static void
test_account_refused(void **state)
{
	struct trace	 t;

	/* bob's passdb line names another service: account fails. */
	run("pw", "bob", 0, 5, ANSWERS("bobpw"), &t);
	assert_int_equal(t.end.result, AUTH_ACCOUNT);
	assert_int_equal(t.end.pam_status, PAM_PERM_DENIED);
}

/* pam_matrix verbose informs through the conversation after the check. */
static void
test_verbose(void **state)
{
	struct trace	 t;

	reset("");
	run("pw-verbose", "alice", 0, 5, ANSWERS("secret"), &t);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_true(find(&t, 0, AUTH_EV_INFO, "Authentication succeeded") > 0);

	run("pw-verbose", "alice", 0, 5, ANSWERS("nope"), &t);
	assert_int_equal(t.end.result, AUTH_DENIED);
	assert_true(find(&t, 0, AUTH_EV_ERROR, "Authentication failed") > 0);
}

/* pam_chatty: many messages before the password prompt, in order. */
static void
test_chatty(void **state)
{
	struct trace	 t;
	int		 i;

	reset("");
	run("chatty", "alice", 0, 5, ANSWERS("secret"), &t);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_int_equal(t.n, 8 + 8 + 1 + 1);
	for (i = 0; i < 8; i++) {
		assert_int_equal(t.ev[i].kind, AUTH_EV_INFO);
		assert_int_equal(t.ev[8 + i].kind, AUTH_EV_ERROR);
	}
	assert_int_equal(t.ev[16].kind, AUTH_EV_PROMPT_OFF);
}

/* Several messages in one conversation call, two of them prompts. */
static void
test_multi(void **state)
{
	struct trace	 t;

	reset("");
	run("fp-multi", "alice", 0, 5, ANSWERS("alice", "1234"), &t);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_int_equal(t.n, 5);
	assert_int_equal(t.ev[0].kind, AUTH_EV_INFO);
	assert_string_equal(t.ev[0].text, "multi 1");
	assert_int_equal(t.ev[1].kind, AUTH_EV_PROMPT_ON);
	assert_string_equal(t.ev[1].text, "Name: ");
	assert_int_equal(t.ev[2].kind, AUTH_EV_ERROR);
	assert_string_equal(t.ev[2].text, "multi 2");
	assert_int_equal(t.ev[3].kind, AUTH_EV_PROMPT_OFF);
	assert_string_equal(t.ev[3].text, "PIN: ");

	run("fp-multi", "alice", 0, 5, ANSWERS("alice", "4321"), &t);
	assert_int_equal(t.end.result, AUTH_DENIED);
}

/* No user given: the module asks for one with an echo-on prompt. */
static void
test_user_prompt(void **state)
{
	struct trace	 t;

	reset("match\n");
	run("fp", NULL, 0, 5, ANSWERS("alice"), &t);
	assert_int_equal(t.ev[0].kind, AUTH_EV_PROMPT_ON);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_string_equal(t.end.user, "alice");
}

static void
test_items(void **state)
{
	struct auth_opts o = {
		.service = "fp", .user = "alice", .tty = "tty7",
		.ruser = "clerk", .module_timeout = 5,
	};
	struct trace	 t;
	struct auth	*a;
	struct passwd	*pw;
	char		*cause = NULL, want[256];
	const char	*tty;

	reset("match\n");
	a = auth_start(&o, &cause);
	assert_non_null(a);
	memset(&t, 0, sizeof t);
	drive(a, NULL, &t);
	auth_free(a);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_true(log_has("authenticate user=alice tty=tty7 ruser=clerk "));

	/* The defaults: the terminal on fd 0 or "daicho", the unix user. */
	reset("match\n");
	run("fp", "alice", 0, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_OK);
	if ((tty = ttyname(0)) == NULL)
		tty = "daicho";
	pw = getpwuid(getuid());
	assert_non_null(pw);
	snprintf(want, sizeof want, "tty=%s ruser=%s ", tty, pw->pw_name);
	assert_true(log_has(want));
	/* Without a session: credentials set, then deleted before pam_end. */
	assert_true(log_has("acct_mgmt user=alice"));
	assert_true(log_has("setcred-establish"));
	assert_true(log_has("setcred-delete"));
	assert_false(log_has("open_session"));
}

/*
 * The fingerprint module.
 */

static void
test_fp_match(void **state)
{
	struct trace	 t;

	reset("match\n");
	run("fp", "alice", 0, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_int_equal(t.ev[0].kind, AUTH_EV_INFO);
	assert_string_equal(t.ev[0].text, "Swipe your right index finger "
	    "across the fingerprint reader");
}

static void
test_fp_retry_then_match(void **state)
{
	struct trace	 t;
	int		 i;

	reset("retry\nnomatch\nmatch\n");
	run("fp", "alice", 0, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_OK);
	i = find(&t, 0, AUTH_EV_ERROR, "Swipe was too short, try again");
	assert_true(i > 0);
	i = find(&t, i, AUTH_EV_ERROR, "Failed to match fingerprint");
	assert_true(i > 0);
	assert_true(find(&t, i, AUTH_EV_INFO, NULL) > i);
}

static void
test_fp_maxtries(void **state)
{
	struct trace	 t;

	reset("nomatch\nnomatch\nmatch\n");	/* max-tries=2 */
	run("fp", "alice", 0, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_MAXTRIES);
	assert_int_equal(t.end.pam_status, PAM_MAXTRIES);
}

static void
test_fp_unavail_then_password(void **state)
{
	struct trace	 t;

	reset("unavail\n");
	run("fp", "alice", 0, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_UNAVAIL);
	assert_int_equal(t.end.pam_status, PAM_AUTHINFO_UNAVAIL);
	/* The console offers the password-only service next. */
	run("pw", "alice", 0, 5, ANSWERS("secret"), &t);
	assert_int_equal(t.end.result, AUTH_OK);
}

/* One stack, fingerprint first, password fallback (as shipped). */
static void
test_fp_fallback_stack(void **state)
{
	struct trace	 t;

	reset("unavail\n");
	run("fp-fallback", "alice", 0, 5, ANSWERS("secret"), &t);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_int_equal(t.ev[0].kind, AUTH_EV_INFO);
	assert_true(find(&t, 0, AUTH_EV_PROMPT_OFF, "Password: ") > 0);

	reset("match\n");
	run("fp-fallback", "alice", 0, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_OK);
}

/*
 * Modules that hang or crash, and the caller giving up.
 */

static void
test_hang_timeout(void **state)
{
	struct trace	 t;

	reset("hang\n");
	run("fp", "alice", 0, 2, NULL, &t);
	assert_int_equal(t.end.result, AUTH_TIMEOUT);
	assert_int_equal(t.end.pam_status, -1);
	assert_true(t.waiting >= 1);
	assert_int_equal(t.max_left, 1);
	assert_true(t.ms >= 1900 && t.ms < 6000);
	assert_gone(child_pid());
}

static void
test_crash(void **state)
{
	struct trace	 t;

	reset("crash\n");
	run("fp", "alice", 0, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_FAILURE);
	assert_non_null(strstr(t.end.text, "signal 11"));
	assert_gone(child_pid());
}

static void
test_cancel_waiting(void **state)
{
	struct auth	*a;
	struct auth_event ev;
	struct trace	 t;
	char		*cause = NULL;
	int64_t		 begin;

	reset("hang\n");
	memset(&t, 0, sizeof t);
	a = start("fp", "alice", 0, 30);
	next_event(a, &t, &ev);
	assert_int_equal(ev.kind, AUTH_EV_INFO);	/* "Swipe..." */
	begin = now_ms();
	auth_cancel(a);
	auth_cancel(a);					/* harmless */
	next_event(a, &t, &ev);
	assert_int_equal(ev.kind, AUTH_EV_RESULT);
	assert_int_equal(ev.result, AUTH_CANCELLED);
	assert_true(now_ms() - begin < 1000);
	assert_int_equal(auth_read(a, &ev, &cause), -1);
	free(cause);
	assert_gone(child_pid());
	auth_free(a);
}

static void
test_cancel_prompt(void **state)
{
	struct auth	*a;
	struct auth_event ev;
	char		*cause = NULL, answer[] = "secret";

	a = start("pw", "alice", 0, 5);
	next_event(a, NULL, &ev);
	assert_int_equal(ev.kind, AUTH_EV_PROMPT_OFF);
	auth_cancel(a);
	/* Too late to answer, and the answer is still wiped. */
	assert_int_equal(auth_answer(a, answer, &cause), -1);
	free(cause);
	assert_string_equal(answer, "");
	next_event(a, NULL, &ev);
	assert_int_equal(ev.kind, AUTH_EV_RESULT);
	assert_int_equal(ev.result, AUTH_CANCELLED);
	auth_free(a);
}

/*
 * auth_free on a child that is still inside a module; while it is there,
 * see that it holds nothing of ours: fds 0-2 on /dev/null, 3 the socket.
 */
static void
test_free_live(void **state)
{
	struct auth	*a;
	struct auth_event ev;
	struct dirent	*de;
	DIR		*d;
	char		 path[64], link[256];
	ssize_t		 n;
	int		 fd, count = 0;

	reset("hang\n");
	a = start("fp", "alice", 0, 30);
	next_event(a, NULL, &ev);
	assert_int_equal(ev.kind, AUTH_EV_INFO);
	snprintf(path, sizeof path, "/proc/%ld/fd", (long)child_pid());
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			fd = (int)strtol(de->d_name, NULL, 10);
			assert_true(fd >= 0 && fd <= 3);
			snprintf(path, sizeof path, "/proc/%ld/fd/%d",
			    (long)child_pid(), fd);
			n = readlink(path, link, sizeof link - 1);
			assert_true(n > 0);
			link[n] = '\0';
			if (fd < 3)
				assert_string_equal(link, "/dev/null");
			else
				assert_non_null(strstr(link, "socket:"));
			count++;
		}
		closedir(d);
		assert_int_equal(count, 4);
	}
	auth_free(a);
	assert_gone(child_pid());
	auth_free(NULL);
}

/*
 * Sessions.
 */

static void
test_session(void **state)
{
	struct auth	*a;
	struct trace	 t;
	pid_t		 pid;
	char		*cause = NULL, *log, *open, *close, *del;

	reset("match\n");
	memset(&t, 0, sizeof t);
	a = start("fp", "alice", AUTH_SESSION, 5);
	drive(a, NULL, &t);
	assert_int_equal(t.end.kind, AUTH_EV_RESULT);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_string_equal(t.end.user, "alice");
	assert_true(auth_fd(a) != -1);
	pid = child_pid();
	assert_int_equal(kill(pid, 0), 0);	/* it holds the session */
	assert_true(log_has("open_session user=alice"));
	assert_false(log_has("close_session"));

	assert_int_equal(auth_close(a, &cause), 0);
	assert_int_equal(auth_close(a, &cause), -1);	/* only once */
	free(cause);
	drive(a, NULL, &t);
	assert_int_equal(t.end.kind, AUTH_EV_CLOSED);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_int_equal(t.end.pam_status, PAM_SUCCESS);
	assert_int_equal(auth_fd(a), -1);
	auth_free(a);
	assert_gone(pid);

	log = read_file("fp.log");
	open = strstr(log, "open_session");
	close = strstr(log, "close_session");
	del = strstr(log, "setcred-delete");
	assert_true(open != NULL && close != NULL && del != NULL);
	assert_true(open < close && close < del);
	free(log);
}

static void
test_session_cancel(void **state)
{
	struct auth	*a;
	struct trace	 t;

	reset("match\n");
	memset(&t, 0, sizeof t);
	a = start("fp", "alice", AUTH_SESSION, 5);
	drive(a, NULL, &t);
	assert_int_equal(t.end.result, AUTH_OK);
	auth_cancel(a);
	drive(a, NULL, &t);
	assert_int_equal(t.end.kind, AUTH_EV_CLOSED);
	assert_int_equal(t.end.result, AUTH_CANCELLED);
	assert_string_equal(t.end.user, "alice");
	auth_free(a);
	assert_gone(child_pid());
}

/* auth_free on an open session closes it, with or without auth_close. */
static void
test_session_free(void **state)
{
	struct auth	*a;
	struct trace	 t;
	char		*cause = NULL;
	int		 closing;

	for (closing = 0; closing <= 1; closing++) {
		reset("match\n");
		memset(&t, 0, sizeof t);
		a = start("fp", "alice", AUTH_SESSION, 5);
		drive(a, NULL, &t);
		assert_int_equal(t.end.result, AUTH_OK);
		if (closing)
			assert_int_equal(auth_close(a, &cause), 0);
		auth_free(a);
		assert_true(log_has("close_session user=alice"));
		assert_true(log_has("setcred-delete"));
		assert_gone(child_pid());
	}
}

static void
test_session_open_fails(void **state)
{
	struct trace	 t;

	reset("match\n");
	run("fp-sessfail", "alice", AUTH_SESSION, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_FAILURE);
	assert_int_equal(t.end.pam_status, PAM_SESSION_ERR);
	assert_true(log_has("setcred-delete"));
}

static void
test_misuse(void **state)
{
	struct auth	*a;
	struct auth_event ev;
	char		*cause = NULL, answer[] = "early";

	reset("hang\n");
	a = start("fp", "alice", 0, 30);
	assert_int_equal(auth_answer(a, answer, &cause), -1);
	assert_string_equal(answer, "");
	free(cause);
	cause = NULL;
	assert_int_equal(auth_close(a, &cause), -1);
	free(cause);
	next_event(a, NULL, &ev);
	auth_free(a);
}

/*
 * Bad input: answers and messages.
 */

static void
test_long_answer(void **state)
{
	struct auth	*a;
	struct auth_event ev;
	char		 buf[700];
	char		*cause = NULL;
	size_t		 i;

	a = start("pw", "alice", 0, 5);
	next_event(a, NULL, &ev);
	assert_int_equal(ev.kind, AUTH_EV_PROMPT_OFF);
	memset(buf, 'a', 600);
	buf[600] = '\0';
	assert_int_equal(auth_answer(a, buf, &cause), -1);
	assert_non_null(strstr(cause, "too long"));
	free(cause);
	cause = NULL;
	for (i = 0; i < 601; i++)
		assert_int_equal(buf[i], 0);
	/* The prompt is still waiting: the right answer still works. */
	snprintf(buf, sizeof buf, "secret");
	assert_int_equal(auth_answer(a, buf, &cause), 0);
	do
		next_event(a, NULL, &ev);
	while (ev.kind != AUTH_EV_RESULT);
	assert_int_equal(ev.result, AUTH_OK);
	auth_free(a);

	/* The longest answer allowed goes through (and is wrong). */
	a = start("pw", "alice", 0, 5);
	next_event(a, NULL, &ev);
	memset(buf, 'b', AUTH_TEXT_MAX - 1);
	buf[AUTH_TEXT_MAX - 1] = '\0';
	assert_int_equal(auth_answer(a, buf, &cause), 0);
	do
		next_event(a, NULL, &ev);
	while (ev.kind != AUTH_EV_RESULT);
	assert_int_equal(ev.result, AUTH_DENIED);
	auth_free(a);
}

static void
test_garbage_answer(void **state)
{
	struct trace	 t;

	run("pw", "alice", 0, 5, ANSWERS("\x1b[31msecret\x07\r\n\x7f\xff"),
	    &t);
	assert_int_equal(t.end.result, AUTH_DENIED);
	run("pw", "alice", 0, 5, ANSWERS(""), &t);
	assert_int_equal(t.end.result, AUTH_DENIED);
}

/* Escapes, C1 and bidi controls, bad UTF-8, a line over the limit. */
static void
test_escape_messages(void **state)
{
	struct trace	 t;
	size_t		 i, len;

	reset("match\n");
	run("fp-escape", "alice", 0, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_int_equal(t.ev[0].kind, AUTH_EV_INFO);
	assert_string_equal(t.ev[0].text, "?]0;owned??[2Jclear?\nline?31m?31m "
	    "bidi?tab here ???? end");
	assert_int_equal(t.ev[1].kind, AUTH_EV_ERROR);
	/* Cut before the character that would straddle the limit. */
	len = strlen(t.ev[1].text);
	assert_int_equal(len, 509);
	for (i = 0; i < len; i++)
		assert_int_equal(t.ev[1].text[i], 'x');
}

/* A module flooding messages is cut off; a talkative one is not. */
static void
test_flood(void **state)
{
	struct trace	 t;

	reset("match\n");
	run("fp-flood", "alice", 0, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_FAILURE);
	assert_non_null(strstr(t.end.text, "protocol error"));
	assert_gone(child_pid());

	reset("match\n");
	run("fp-chatter", "alice", 0, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_OK);
}

/* Garbage on the socket ends the transaction; nothing is believed. */
static void
test_scribble(void **state)
{
	struct trace	 t;

	reset("match\n");
	run("fp-scribble", "alice", 0, 5, NULL, &t);
	assert_int_equal(t.end.result, AUTH_FAILURE);
	assert_non_null(strstr(t.end.text, "protocol error"));
	assert_gone(child_pid());
}

/*
 * Expired passwords: the account module says PAM_NEW_AUTHTOK_REQD and
 * pam_matrix's password stack changes the password in its passdb.
 */

static void
test_expired(void **state)
{
	struct trace	 t;
	char		*db;

	reset("");
	run("expired", "carol", 0, 5, ANSWERS("oldpw"), &t);
	assert_int_equal(t.end.result, AUTH_EXPIRED);
	assert_int_equal(t.end.pam_status, PAM_NEW_AUTHTOK_REQD);

	/* The new password typed twice differently: not changed. */
	run("expired", "dave", AUTH_CHAUTHTOK, 5,
	    ANSWERS("oldpw", "oldpw", "new-one", "new-two"), &t);
	assert_int_equal(t.end.result, AUTH_EXPIRED);
	assert_true(t.end.pam_status != PAM_SUCCESS);

	run("expired", "carol", AUTH_CHAUTHTOK, 5,
	    ANSWERS("oldpw", "oldpw", "newpw", "newpw"), &t);
	assert_int_equal(t.end.result, AUTH_OK);
	assert_string_equal(t.end.user, "carol");
	assert_true(find(&t, 0, AUTH_EV_PROMPT_OFF, "New Password :") > 0);
	db = read_file("passdb2");
	assert_non_null(strstr(db, "carol:newpw:"));
	assert_non_null(strstr(db, "dave:oldpw:"));
	free(db);
	run("pw2", "carol", 0, 5, ANSWERS("newpw"), &t);
	assert_int_equal(t.end.result, AUTH_OK);
}

/*
 * auth_tty with an askpass descriptor.
 */

static enum auth_result
tty_run(const char *service, const char *user, const char *input,
    char **cause)
{
	struct auth_opts o = {
		.service = service, .user = user, .module_timeout = 5,
	};
	enum auth_result r;
	int		 fds[2];

	if (pipe(fds) != 0)
		fail_msg("pipe: %s", strerror(errno));
	if (write(fds[1], input, strlen(input)) != (ssize_t)strlen(input))
		fail_msg("write");
	close(fds[1]);
	*cause = NULL;
	r = auth_tty(&o, fds[0], cause);
	close(fds[0]);
	return r;
}

static void
test_tty(void **state)
{
	char	*cause, *long_line;

	reset("");
	assert_int_equal(tty_run("pw", "alice", "secret\n", &cause), AUTH_OK);
	assert_null(cause);
	/* The last line may lack its newline. */
	assert_int_equal(tty_run("pw", "alice", "secret", &cause), AUTH_OK);
	assert_int_equal(tty_run("pw", "alice", "wrong\n", &cause),
	    AUTH_DENIED);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(tty_run("pw", "alice", "", &cause), AUTH_FAILURE);
	assert_non_null(strstr(cause, "end of input"));
	free(cause);
	assert_int_equal(tty_run("pw", NULL, "secret\n", &cause),
	    AUTH_FAILURE);
	free(cause);
	/* Two prompts, two lines; echo-on prompts read the same way. */
	assert_int_equal(tty_run("fp-multi", "alice", "alice\n1234\n",
	    &cause), AUTH_OK);
	assert_int_equal(tty_run("fp-multi", "alice", "alice\n", &cause),
	    AUTH_FAILURE);
	free(cause);

	long_line = xcalloc(1, 1000);
	memset(long_line, 'a', 998);
	long_line[998] = '\n';
	assert_int_equal(tty_run("pw", "alice", long_line, &cause),
	    AUTH_FAILURE);
	assert_non_null(strstr(cause, "too long"));
	free(cause);
	free(long_line);
}

/*
 * test-auth --askpass SERVICE USER [chauthtok]: auth_tty with answers
 * from standard input; prints the result, exits with it.  tests/auth.sh
 * drives the shipped PAM services (real pam_unix) with it.
 */
static int
askpass(int argc, char **argv)
{
	struct auth_opts o = {
		.service = argv[2], .user = argv[3], .module_timeout = 30,
	};
	enum auth_result r;
	char		*cause = NULL;

	if (argc == 5 && strcmp(argv[4], "chauthtok") == 0)
		o.flags = AUTH_CHAUTHTOK;
	else if (argc != 4) {
		fprintf(stderr, "usage: test-auth --askpass SERVICE USER "
		    "[chauthtok]\n");
		return 64;
	}
	r = auth_tty(&o, STDIN_FILENO, &cause);
	printf("result: %s (%s)\n", auth_result_string(r),
	    cause != NULL ? cause : "");
	free(cause);
	return r;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_ok),
		cmocka_unit_test(test_password_wrong),
		cmocka_unit_test(test_account_refused),
		cmocka_unit_test(test_verbose),
		cmocka_unit_test(test_chatty),
		cmocka_unit_test(test_multi),
		cmocka_unit_test(test_user_prompt),
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_fp_match),
		cmocka_unit_test(test_fp_retry_then_match),
		cmocka_unit_test(test_fp_maxtries),
		cmocka_unit_test(test_fp_unavail_then_password),
		cmocka_unit_test(test_fp_fallback_stack),
		cmocka_unit_test(test_hang_timeout),
		cmocka_unit_test(test_crash),
		cmocka_unit_test(test_cancel_waiting),
		cmocka_unit_test(test_cancel_prompt),
		cmocka_unit_test(test_free_live),
		cmocka_unit_test(test_session),
		cmocka_unit_test(test_session_cancel),
		cmocka_unit_test(test_session_free),
		cmocka_unit_test(test_session_open_fails),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_long_answer),
		cmocka_unit_test(test_garbage_answer),
		cmocka_unit_test(test_escape_messages),
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_scribble),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_tty),
	};

	if (argc >= 2 && strcmp(argv[1], "--askpass") == 0)
		return askpass(argc, argv);
	if ((tdir = getenv("AUTH_TEST_DIR")) == NULL ||
	    getenv("PAM_WRAPPER_SERVICE_DIR") == NULL) {
		fprintf(stderr, "test-auth: run me through tests/auth.sh "
		    "(needs pam_wrapper and AUTH_TEST_DIR)\n");
		return 77;
	}
	/* A child's death must not be reaped behind auth's back. */
	signal(SIGCHLD, SIG_DFL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
