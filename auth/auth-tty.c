/*
 * auth-tty.c -- the same PAM machinery, driven synchronously for the
 * command line.  Prompts are read from /dev/tty (echo off for passwords,
 * as readpassphrase(3) does it) or, for scripts and tests, one line per
 * prompt from an "askpass" descriptor.  The answers live in sodium_malloc
 * memory and are wiped as soon as auth_answer() has sent them.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "auth.h"

/* Signals that end or stop the program: the terminal is restored first. */
static const int auth_tty_signals[] = {
	SIGINT, SIGHUP, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU
};
#define AUTH_TTY_NSIGNALS \
	(sizeof auth_tty_signals / sizeof auth_tty_signals[0])

static volatile sig_atomic_t auth_tty_caught;

static void
auth_tty_handler(int sig)
{
	auth_tty_caught = sig;
}

static void
auth_tty_write(int fd, const char *s)
{
	size_t	 len = strlen(s);
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

/*
 * Read one line from fd into buf (AUTH_TEXT_MAX bytes), byte by byte so
 * nothing past the newline is consumed (the next prompt reads the next
 * line).  Returns 0, or -1 with *why: end of input before any byte, a
 * line too long (read to its end, so later lines stay in step), a read
 * error, or a signal caught.
 */
static int
auth_tty_getline(int fd, char *buf, const char **why)
{
	size_t	 len = 0;
	ssize_t	 n;
	char	 c;
	int	 toolong = 0;

	for (;;) {
		n = read(fd, &c, 1);
		if (n == -1 && errno == EINTR && auth_tty_caught == 0)
			continue;
		if (n == -1) {
			*why = auth_tty_caught != 0 ? "interrupted" :
			    "cannot read the answer";
			break;
		}
		if (n == 0) {
			if (len == 0 && !toolong) {
				*why = "no answer: end of input";
				n = -1;
			}
			break;
		}
		if (c == '\n')
			break;
		if (len + 1 < AUTH_TEXT_MAX)
			buf[len++] = c;
		else
			toolong = 1;
	}
	c = 0;
	buf[len] = '\0';
	if (n != -1 && !toolong)
		return 0;
	if (toolong && n != -1)
		*why = "answer too long";
	sodium_memzero(buf, AUTH_TEXT_MAX);
	return -1;
}

/*
 * Read a password from the terminal with echo off.  A signal that would
 * end or stop the program restores the terminal, then is delivered as if
 * nothing had caught it.
 */
static int
auth_tty_secret(int tty, char *buf, const char **why)
{
	struct sigaction sa, old[AUTH_TTY_NSIGNALS];
	struct termios	 saved, t;
	size_t		 i;
	int		 restore = 0, r, sig;

	auth_tty_caught = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = auth_tty_handler;	/* no SA_RESTART: read stops */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < AUTH_TTY_NSIGNALS; i++)
		sigaction(auth_tty_signals[i], &sa, &old[i]);
	if (tcgetattr(tty, &saved) == 0) {
		t = saved;
		t.c_lflag &= ~(ECHO | ECHONL);
		restore = tcsetattr(tty, TCSAFLUSH, &t) == 0;
	}

	r = auth_tty_getline(tty, buf, why);

	if (restore)
		while (tcsetattr(tty, TCSAFLUSH, &saved) == -1 &&
		    errno == EINTR)
			;
	auth_tty_write(tty, "\n");		/* the newline not echoed */
	for (i = 0; i < AUTH_TTY_NSIGNALS; i++)
		sigaction(auth_tty_signals[i], &old[i], NULL);
	if ((sig = auth_tty_caught) != 0) {
		auth_tty_caught = 0;
		raise(sig);
		if (r == 0)
			sodium_memzero(buf, AUTH_TEXT_MAX);
		*why = "interrupted";
		return -1;
	}
	return r;
}

/*
 * The conversation of a, for user: prompts and messages on out, answers
 * from in (a password from tty, echo off, when there is one) into answer
 * (AUTH_TEXT_MAX bytes).  The result; anything but AUTH_OK with *cause.
 */
static enum auth_result
auth_tty_converse(struct auth *a, const char *user, int tty, int in,
    int out, char *answer, char **cause)
{
	struct auth_event	 ev;
	struct pollfd		 pfd;
	enum auth_result	 result = AUTH_FAILURE;
	const char		*why = NULL;
	int			 r;

	for (;;) {
		pfd.fd = auth_fd(a);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) == -1 && errno != EINTR) {
			xasprintf(cause, "poll: %s", strerror(errno));
			return result;
		}
		if ((r = auth_read(a, &ev, cause)) == -1)
			return result;
		if (r == 0)
			continue;
		switch (ev.kind) {
		case AUTH_EV_PROMPT_OFF:
		case AUTH_EV_PROMPT_ON:
			auth_tty_write(out, ev.text);
			if (tty != -1 && ev.kind == AUTH_EV_PROMPT_OFF)
				r = auth_tty_secret(tty, answer, &why);
			else
				r = auth_tty_getline(in, answer, &why);
			if (r != 0) {
				result = strcmp(why, "interrupted") == 0 ?
				    AUTH_CANCELLED : AUTH_FAILURE;
				xasprintf(cause, "%s", why);
				return result;
			}
			if (auth_answer(a, answer, cause) != 0)
				return result;
			break;
		case AUTH_EV_INFO:
		case AUTH_EV_ERROR:
			auth_tty_write(out, ev.text);
			auth_tty_write(out, "\n");
			break;
		case AUTH_EV_WAITING:
			break;
		case AUTH_EV_RESULT:
			result = ev.result;
			if (result == AUTH_OK && strcmp(ev.user, user) != 0) {
				result = AUTH_DENIED;
				xasprintf(cause, _("PAM authenticated %s, "
				    "not %s"), ev.user, user);
			} else if (result != AUTH_OK)
				xasprintf(cause, "%s: %s",
				    auth_result_string(result), ev.text);
			return result;
		case AUTH_EV_CLOSED:
			xasprintf(cause, _("unexpected session end"));
			return result;
		}
	}
}

enum auth_result
auth_tty(const struct auth_opts *opts, int askpass_fd, char **cause)
{
	struct auth_opts	 o = *opts;
	struct auth		*a = NULL;
	enum auth_result	 result = AUTH_FAILURE;
	char			*answer = NULL;
	int			 tty = -1, out, in;

	*cause = NULL;
	if (opts->user == NULL) {
		xasprintf(cause, _("no user name given"));
		return AUTH_FAILURE;
	}
	if (askpass_fd >= 0) {
		/* The command line marked it already; a program must not
		   inherit the passwords whoever the caller is. */
		if (askpass_fd > STDERR_FILENO &&
		    fd_cloexec(askpass_fd) == -1) {
			xasprintf(cause, _("askpass descriptor %d: %s"),
			    askpass_fd, strerror(errno));
			return AUTH_FAILURE;
		}
		in = askpass_fd;
		out = STDERR_FILENO;
	} else {
		tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (tty == -1) {
			xasprintf(cause, "/dev/tty: %s", strerror(errno));
			return AUTH_FAILURE;
		}
		in = out = tty;
	}
	if (sodium_init() == -1) {
		xasprintf(cause, _("libsodium cannot start"));
		goto out;
	}
	if ((answer = sodium_malloc(AUTH_TEXT_MAX)) == NULL) {
		xasprintf(cause, "sodium_malloc: %s", strerror(errno));
		goto out;
	}
	o.flags &= ~AUTH_SESSION;		/* nobody would hold it */
	if ((a = auth_start(&o, cause)) == NULL)
		goto out;

	result = auth_tty_converse(a, opts->user, tty, in, out, answer, cause);

out:
	auth_free(a);
	sodium_free(answer);
	if (tty != -1)
		close(tty);
	return result;
}
