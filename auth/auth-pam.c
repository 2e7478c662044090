/*
 * auth-pam.c -- one PAM transaction, run in a child process.
 *
 * Why a child: a PAM module may block for as long as it likes (a
 * fingerprint reader waits for a finger, a network module for a server),
 * hang for ever or crash.  In a child it does so without freezing the
 * console or taking it down: the parent only reads small frames from a
 * socket, kills the child when it has been silent too long, and turns a
 * dead child into an ordinary failure.  It also keeps modules away from
 * the terminal: the child's standard descriptors are /dev/null.
 *
 * Wire protocol.  One AF_UNIX SOCK_SEQPACKET socket pair, so every packet
 * is exactly one frame and nothing is ever half-read:
 *
 *	type (1 byte) | length (2 bytes, big-endian) | length bytes
 *
 * length must equal the packet size minus 3 and be at most AUTH_WIRE_MAX;
 * texts carry no NUL.  Anything else is a protocol error, after which the
 * parent kills the child.
 *
 *	child to parent
 *	'P'  prompt, echo off	text		the child waits for 'A'
 *	'p'  prompt, echo on	text		the child waits for 'A'
 *	'i'  information	text
 *	'e'  error message	text
 *	'R'  result		result (1 byte), PAM status (4 bytes,
 *				two's complement, big-endian), PAM_USER
 *				(0 to AUTH_USER_MAX - 1 bytes)
 *	'C'  session closed	PAM status (4 bytes)
 *
 *	parent to child
 *	'A'  answer		text (a secret)
 *	'X'  close the session	nothing
 *
 * A transaction is: any number of 'i'/'e', and 'P'/'p' each followed by
 * an 'A', then 'R'.  Without a session (or after a failure) 'R' is the
 * child's last act: it has already called pam_end.  With AUTH_SESSION
 * and AUTH_OK, the child waits holding the handle; 'X' (or the socket
 * closing) makes it close the session, then it sends 'C' (unless the
 * socket closed) and exits.
 *
 * The parent trusts nothing the child sends: lengths and types are
 * checked against the state, texts are sanitised (valid UTF-8, no control
 * characters but '\n') so a module cannot put escape sequences on the
 * operator's terminal, and a RESULT's PAM_USER must be printable as it is.
 * Answers are wiped in both processes as soon as they are passed on.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>
#include <sodium.h>

#include "common.h"
#include "auth.h"

#define AUTH_WIRE_HDR		3
#define AUTH_WIRE_MAX		(AUTH_TEXT_MAX - 1)
#define AUTH_FRAME_MAX		(AUTH_WIRE_HDR + AUTH_WIRE_MAX)
#define AUTH_MSG_LIMIT		256	/* messages without a prompt between */
#define AUTH_CHILD_FD		3	/* the socket, in the child */
#define AUTH_REAP_MS		100	/* grace for a child that is exiting */

enum auth_wire {
	AUTH_W_PROMPT_OFF = 'P',
	AUTH_W_PROMPT_ON = 'p',
	AUTH_W_INFO = 'i',
	AUTH_W_ERROR = 'e',
	AUTH_W_RESULT = 'R',
	AUTH_W_CLOSED = 'C',
	AUTH_W_ANSWER = 'A',
	AUTH_W_CLOSE = 'X',
};

enum auth_state {
	AUTH_S_BUSY,		/* the child is inside PAM: the clock runs */
	AUTH_S_PROMPT,		/* a prompt waits for auth_answer() */
	AUTH_S_SESSION,		/* logged in; the child holds the session */
	AUTH_S_CLOSING,		/* 'X' sent: the clock runs */
	AUTH_S_END,		/* child gone; the final event is queued */
	AUTH_S_OVER,		/* the final event has been read */
};

struct auth {
	pid_t		 pid;		/* the child, -1 once reaped */
	int		 fd;		/* our end of the socket pair */
	int		 flags;		/* AUTH_SESSION, AUTH_CHAUTHTOK */
	int		 timeout;	/* seconds a module may be silent */
	char		*service;	/* for the log */
	char		 user[AUTH_USER_MAX]; /* claimed, then PAM_USER */
	enum auth_state	 state;
	int		 msgs;		/* messages since the last prompt */
	struct timespec	 last;		/* last word from the child */
	struct timespec	 tick;		/* last WAITING event */
	struct auth_event final;	/* RESULT or CLOSED, once END */
	uint8_t		*frame;		/* sodium_malloc: an answer going out */
};

/* The state of the child's side; the conversation's appdata. */
struct auth_child {
	int		 fd;
	int		 closing;	/* after 'R': no more prompts */
	uint8_t		*buf;		/* sodium_malloc: a frame coming in */
};

static DAICHO_NORETURN void auth_child(int, const struct auth_opts *,
		    const char *);

static const char *const auth_result_names[] = {
	[AUTH_OK] = "ok",
	[AUTH_DENIED] = "denied",
	[AUTH_UNAVAIL] = "unavailable",
	[AUTH_MAXTRIES] = "too many tries",
	[AUTH_EXPIRED] = "password expired",
	[AUTH_ACCOUNT] = "account refused",
	[AUTH_TIMEOUT] = "timed out",
	[AUTH_CANCELLED] = "cancelled",
	[AUTH_FAILURE] = "failure",
};

const char *
auth_result_string(enum auth_result result)
{
	if ((unsigned)result >= sizeof auth_result_names /
	    sizeof auth_result_names[0])
		return "unknown";
	return auth_result_names[result];
}

int
auth_result_failed(enum auth_result result)
{
	return result != AUTH_OK && result != AUTH_CANCELLED &&
	    result != AUTH_UNAVAIL;
}

/*
 * Texts.
 */

/*
 * Length of s as sent on the wire: at most AUTH_WIRE_MAX bytes, cut
 * before a UTF-8 sequence rather than inside one.
 */
static size_t
auth_wire_len(const char *s)
{
	size_t	 len;

	len = strnlen(s, AUTH_WIRE_MAX + 1);
	if (len <= AUTH_WIRE_MAX)
		return len;
	len = AUTH_WIRE_MAX;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return len;
}

/* Code points that must not reach a terminal: C1 controls, bidi controls. */
static int
auth_bad_cp(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0xfeff;
}

/*
 * Copy len bytes of src into dst (size bytes, NUL-ended) as valid UTF-8
 * without control characters: '\n' stays, a tab becomes a space, any
 * other control character, bad code point or invalid byte becomes '?'.
 * Returns 1 when anything was changed or cut, 0 when dst equals src.
 */
static int
auth_sanitise(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t	 i = 0, o = 0, n, k;
	uint32_t cp, min;
	int	 changed = 0;
	uint8_t	 c;

	assert(size > 0);
	while (i < len) {
		c = src[i];
		if (c < 0x80) {
			n = 1;
			if (c == '\t') {
				c = ' ';
				changed = 1;
			} else if ((c < 0x20 && c != '\n') || c == 0x7f) {
				c = '?';
				changed = 1;
			}
			if (o + 1 >= size)
				break;
			dst[o++] = c;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 2;
			cp = c & 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 3;
			cp = c & 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 4;
			cp = c & 0x07;
			min = 0x10000;
		} else
			goto bad;
		if (len - i < n)
			goto bad;
		for (k = 1; k < n; k++) {
			if ((src[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (src[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		if (auth_bad_cp(cp)) {
			i += n;
			goto replace;
		}
		if (o + n >= size)
			break;
		memcpy(dst + o, src + i, n);
		o += n;
		i += n;
		continue;
	bad:
		i++;
	replace:
		changed = 1;
		if (o + 1 >= size)
			break;
		dst[o++] = '?';
	}
	if (i < len)
		changed = 1;
	dst[o] = '\0';
	return changed;
}

/*
 * The parent.
 */

static int64_t
auth_now_ms(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		fatal("clock_gettime");
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
auth_ms(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
}

static void
auth_touch(struct auth *a)
{
	if (clock_gettime(CLOCK_MONOTONIC, &a->last) != 0)
		fatal("clock_gettime");
	a->tick = a->last;
}

/*
 * Wait for the child and say how it ended, in why.  A child that has
 * closed its socket is normally a few microseconds from being a zombie,
 * so wait briefly for it (to report its own signal, not ours) before
 * SIGKILL.
 */
static void
auth_reap(struct auth *a, char *why, size_t size)
{
	struct timespec	 ms = { 0, 1000000 };
	pid_t		 r;
	int		 status, i;

	snprintf(why, size, "no process");
	if (a->pid <= 0)
		return;
	for (i = 0; i < AUTH_REAP_MS; i++) {
		r = waitpid(a->pid, &status, WNOHANG);
		if (r == a->pid || (r == -1 && errno != EINTR))
			break;
		nanosleep(&ms, NULL);
	}
	if (i == AUTH_REAP_MS) {
		kill(a->pid, SIGKILL);
		while ((r = waitpid(a->pid, &status, 0)) == -1 &&
		    errno == EINTR)
			;
	}
	if (r != a->pid)
		snprintf(why, size, "lost: %s", strerror(errno));
	else if (WIFSIGNALED(status))
		snprintf(why, size, "killed by signal %d", WTERMSIG(status));
	else if (WIFEXITED(status))
		snprintf(why, size, "exited %d", WEXITSTATUS(status));
	a->pid = -1;
}

/* Kill the child at once: it has nothing more to say that we want. */
static void
auth_kill(struct auth *a)
{
	pid_t	 r;

	if (a->pid <= 0)
		return;
	kill(a->pid, SIGKILL);
	while ((r = waitpid(a->pid, NULL, 0)) == -1 && errno == EINTR)
		;
	a->pid = -1;
}

/*
 * End the transaction with a final event the child did not send (timeout,
 * cancel, crash, nonsense): the child is killed or reaped, and the event
 * waits in a->final for auth_read().
 */
static void DAICHO_PRINTF(4, 5)
auth_end(struct auth *a, int kill_now, enum auth_result result,
    const char *fmt, ...)
{
	struct auth_event	*ev = &a->final;
	char			 why[64];
	va_list			 ap;
	int			 session;

	session = a->state == AUTH_S_SESSION || a->state == AUTH_S_CLOSING;
	if (kill_now) {
		auth_kill(a);
		why[0] = '\0';
	} else
		auth_reap(a, why, sizeof why);

	memset(ev, 0, sizeof *ev);
	ev->kind = session ? AUTH_EV_CLOSED : AUTH_EV_RESULT;
	ev->result = result;
	ev->pam_status = -1;
	va_start(ap, fmt);
	vsnprintf(ev->text, sizeof ev->text, fmt, ap);
	va_end(ap);
	if (why[0] != '\0') {
		size_t	 len = strlen(ev->text);

		snprintf(ev->text + len, sizeof ev->text - len, " (%s)", why);
	}
	memcpy(ev->user, a->user, sizeof ev->user);
	a->state = AUTH_S_END;
}

/*
 * Failures go to the authentication log, never a secret among them: not
 * the name typed, which may be a password typed into the user field (the
 * login's own line, core_syslog_login, names an operator's), and PAM's
 * text escaped (vis), since a module wrote it.
 */
static void
auth_log(const struct auth *a, const struct auth_event *ev)
{
	const char	*what = ev->kind == AUTH_EV_CLOSED ? "session end" :
			    "authentication";
	char		*text;

	if (ev->result == AUTH_OK)
		return;
	text = vis_str(ev->text, 0);
	syslog(LOG_AUTHPRIV | LOG_NOTICE, "%s %s: %s: %s", a->service, what,
	    auth_result_string(ev->result), text);
	free(text);
}

static uint32_t
auth_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
auth_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* A PAM status from the wire: 32 bits, two's complement. */
static int
auth_status(const uint8_t *p)
{
	uint32_t v = auth_get32(p);

	return v <= INT32_MAX ? (int)v : (int)((int64_t)v - 4294967296LL);
}

static void
auth_pam_text(struct auth_event *ev)
{
	const char	*s;

	if (ev->pam_status == -1)
		return;
	/* Linux-PAM and OpenPAM ignore the handle: we have none here. */
	s = pam_strerror(NULL, ev->pam_status);
	auth_sanitise(ev->text, sizeof ev->text, (const uint8_t *)s,
	    strlen(s));
}

/* A prompt or a message: 1 with *ev, or 0 (the child is ended). */
static int
auth_frame_text(struct auth *a, int type, const uint8_t *data, size_t len,
    struct auth_event *ev)
{
	int	 prompt = type == AUTH_W_PROMPT_OFF || type == AUTH_W_PROMPT_ON;
	int	 bad;

	bad = memchr(data, '\0', len) != NULL;
	if (prompt)
		bad |= a->state != AUTH_S_BUSY;
	else {
		bad |= a->state != AUTH_S_BUSY && a->state != AUTH_S_CLOSING;
		bad |= ++a->msgs > AUTH_MSG_LIMIT;
	}
	if (bad) {
		auth_end(a, 1, AUTH_FAILURE,
		    "protocol error: message '%c' out of place", type);
		return 0;
	}
	auth_sanitise(ev->text, sizeof ev->text, data, len);
	if (prompt) {
		ev->kind = type == AUTH_W_PROMPT_OFF ? AUTH_EV_PROMPT_OFF :
		    AUTH_EV_PROMPT_ON;
		a->state = AUTH_S_PROMPT;
		a->msgs = 0;
	} else
		ev->kind = type == AUTH_W_INFO ? AUTH_EV_INFO : AUTH_EV_ERROR;
	return 1;
}

/*
 * The result: 1 when a session stays open (the child lives on), 0 when
 * it is the child's last word, -1 on a protocol error (the child is
 * ended).
 */
static int
auth_frame_result(struct auth *a, const uint8_t *data, size_t len,
    struct auth_event *ev)
{
	if (a->state != AUTH_S_BUSY || len < 5 || len - 5 >= AUTH_USER_MAX ||
	    data[0] > AUTH_FAILURE || memchr(data + 5, '\0', len - 5) != NULL) {
		auth_end(a, 1, AUTH_FAILURE, "protocol error: bad result");
		return -1;
	}
	ev->kind = AUTH_EV_RESULT;
	ev->result = data[0];
	ev->pam_status = auth_status(data + 1);
	auth_pam_text(ev);
	if (len > 5) {
		/* An identity is exact or it is nothing. */
		if (auth_sanitise(ev->user, sizeof ev->user, data + 5,
		    len - 5) && ev->result == AUTH_OK) {
			ev->result = AUTH_FAILURE;
			snprintf(ev->text, sizeof ev->text,
			    "PAM_USER is not printable");
		}
		memcpy(a->user, ev->user, sizeof a->user);
	} else if (ev->result == AUTH_OK) {
		ev->result = AUTH_FAILURE;
		snprintf(ev->text, sizeof ev->text, "no PAM_USER");
	}
	if (ev->result == AUTH_OK && (a->flags & AUTH_SESSION)) {
		a->state = AUTH_S_SESSION;
		return 1;
	}
	return 0;
}

/*
 * One frame from the child, checked against the state.  Returns 1 with
 * *ev filled, 0 when the frame was consumed without an event for the
 * caller, or ends the transaction (auth_end) on nonsense and returns 0.
 */
static int
auth_frame(struct auth *a, const uint8_t *buf, size_t n,
    struct auth_event *ev)
{
	const uint8_t	*data = buf + AUTH_WIRE_HDR;
	size_t		 len;
	int		 type, r;

	if (n < AUTH_WIRE_HDR || n > AUTH_FRAME_MAX) {
		auth_end(a, 1, AUTH_FAILURE, "protocol error: %zu byte frame",
		    n);
		return 0;
	}
	type = buf[0];
	len = (size_t)buf[1] << 8 | buf[2];
	if (len != n - AUTH_WIRE_HDR) {
		auth_end(a, 1, AUTH_FAILURE, "protocol error: frame length");
		return 0;
	}
	memset(ev, 0, sizeof *ev);
	ev->pam_status = -1;
	switch (type) {
	case AUTH_W_PROMPT_OFF:
	case AUTH_W_PROMPT_ON:
	case AUTH_W_INFO:
	case AUTH_W_ERROR:
		return auth_frame_text(a, type, data, len, ev);
	case AUTH_W_RESULT:
		if ((r = auth_frame_result(a, data, len, ev)) != 0)
			return r == 1;
		break;
	case AUTH_W_CLOSED:
		if (a->state != AUTH_S_CLOSING || len != 4) {
			auth_end(a, 1, AUTH_FAILURE,
			    "protocol error: bad close");
			return 0;
		}
		ev->kind = AUTH_EV_CLOSED;
		ev->pam_status = auth_status(data);
		ev->result = ev->pam_status == PAM_SUCCESS ? AUTH_OK :
		    AUTH_FAILURE;
		auth_pam_text(ev);
		memcpy(ev->user, a->user, sizeof ev->user);
		break;
	default:
		auth_end(a, 1, AUTH_FAILURE, "protocol error: type %d", type);
		return 0;
	}

	/* The child's last word: it has called pam_end and is exiting. */
	a->final = *ev;
	auth_kill(a);
	a->state = AUTH_S_END;
	return 0;
}

struct auth *
auth_start(const struct auth_opts *opts, char **cause)
{
	struct auth	*a;
	const char	*service;
	int		 sv[2];
	pid_t		 pid;

	if (sodium_init() == -1) {
		xasprintf(cause, _("libsodium cannot start"));
		return NULL;
	}
	service = opts->service != NULL ? opts->service : AUTH_SERVICE;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		xasprintf(cause, "socketpair: %s", strerror(errno));
		return NULL;
	}

	a = xcalloc(1, sizeof *a);
	a->pid = -1;
	a->fd = sv[0];
	a->flags = opts->flags;
	a->timeout = opts->module_timeout > 0 ? opts->module_timeout :
	    AUTH_MODULE_TIMEOUT;
	a->service = xstrdup(service);
	if (opts->user != NULL)
		auth_sanitise(a->user, sizeof a->user,
		    (const uint8_t *)opts->user, strlen(opts->user));
	if ((a->frame = sodium_malloc(AUTH_FRAME_MAX)) == NULL) {
		xasprintf(cause, "sodium_malloc: %s", strerror(errno));
		close(sv[1]);
		auth_free(a);
		return NULL;
	}

	if ((pid = fork()) == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		close(sv[1]);
		auth_free(a);
		return NULL;
	}
	if (pid == 0)
		auth_child(sv[1], opts, service);
	close(sv[1]);
	a->pid = pid;
	a->state = AUTH_S_BUSY;
	auth_touch(a);
	return a;
}

int
auth_fd(struct auth *a)
{
	return a->state == AUTH_S_OVER ? -1 : a->fd;
}

int
auth_read(struct auth *a, struct auth_event *ev, char **cause)
{
	uint8_t		 buf[AUTH_FRAME_MAX + 1];
	ssize_t		 n;
	int64_t		 now, quiet, left;

	if (a->state == AUTH_S_OVER) {
		xasprintf(cause, _("the authentication is over"));
		return -1;
	}
	if (a->state != AUTH_S_END) {
		n = recv(a->fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n > 0) {
			auth_touch(a);
			if (auth_frame(a, buf, n, ev))
				return 1;
		} else if (n == 0)
			auth_end(a, 0, AUTH_FAILURE,
			    "authentication process ended early");
		else if (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			auth_end(a, 1, AUTH_FAILURE, "recv: %s",
			    strerror(errno));
	}
	if (a->state == AUTH_S_END) {
		*ev = a->final;
		a->state = AUTH_S_OVER;
		auth_log(a, ev);
		return 1;
	}
	if (a->state != AUTH_S_BUSY && a->state != AUTH_S_CLOSING)
		return 0;

	/* Nothing to read: is the module still allowed to be silent? */
	now = auth_now_ms();
	quiet = now - auth_ms(&a->last);
	left = (int64_t)a->timeout * 1000 - quiet;
	if (left <= 0) {
		auth_end(a, 1, AUTH_TIMEOUT,
		    "no word from the PAM module for %d s", a->timeout);
		*ev = a->final;
		a->state = AUTH_S_OVER;
		auth_log(a, ev);
		return 1;
	}
	if (now - auth_ms(&a->tick) < 1000)
		return 0;
	if (clock_gettime(CLOCK_MONOTONIC, &a->tick) != 0)
		fatal("clock_gettime");
	memset(ev, 0, sizeof *ev);
	ev->kind = AUTH_EV_WAITING;
	ev->pam_status = -1;
	ev->seconds_left = (int)((left + 999) / 1000);
	return 1;
}

/* Send one frame from the parent; 0 or -1 with errno. */
static int
auth_send(struct auth *a, int type, const char *data, size_t len)
{
	ssize_t	 n;

	assert(len <= AUTH_WIRE_MAX);
	a->frame[0] = type;
	a->frame[1] = len >> 8;
	a->frame[2] = len & 0xff;
	if (len > 0)
		memcpy(a->frame + AUTH_WIRE_HDR, data, len);
	do {
		n = send(a->fd, a->frame, AUTH_WIRE_HDR + len,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
	} while (n == -1 && errno == EINTR);
	sodium_memzero(a->frame, AUTH_FRAME_MAX);
	if (n == -1)
		return -1;
	if ((size_t)n != AUTH_WIRE_HDR + len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

int
auth_answer(struct auth *a, char *answer, char **cause)
{
	size_t	 len = strlen(answer);
	int	 r;

	if (a->state != AUTH_S_PROMPT) {
		sodium_memzero(answer, len);
		xasprintf(cause, _("no prompt is waiting for an answer"));
		return -1;
	}
	if (len > AUTH_WIRE_MAX) {
		sodium_memzero(answer, len);
		xasprintf(cause, _("answer too long (%d bytes at most)"),
		    AUTH_WIRE_MAX);
		return -1;
	}
	r = auth_send(a, AUTH_W_ANSWER, answer, len);
	sodium_memzero(answer, len);
	a->state = AUTH_S_BUSY;
	auth_touch(a);
	if (r != 0) {
		xasprintf(cause, _("sending the answer: %s"), strerror(errno));
		auth_end(a, 1, AUTH_FAILURE, "sending an answer: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
auth_cancel(struct auth *a)
{
	if (a->state == AUTH_S_END || a->state == AUTH_S_OVER)
		return;
	if (a->state == AUTH_S_SESSION || a->state == AUTH_S_CLOSING)
		auth_end(a, 1, AUTH_CANCELLED, "session abandoned");
	else
		auth_end(a, 1, AUTH_CANCELLED, "cancelled");
}

int
auth_close(struct auth *a, char **cause)
{
	if (a->state != AUTH_S_SESSION) {
		xasprintf(cause, _("no session is open"));
		return -1;
	}
	a->state = AUTH_S_CLOSING;
	a->msgs = 0;
	auth_touch(a);
	if (auth_send(a, AUTH_W_CLOSE, NULL, 0) != 0)
		auth_end(a, 1, AUTH_FAILURE, "sending close: %s",
		    strerror(errno));
	return 0;
}

void
auth_free(struct auth *a)
{
	struct auth_event ev;
	struct pollfd	 pfd;
	char		*cause = NULL;

	if (a == NULL)
		return;
	/*
	 * A session is closed, not killed: pam_close_session may undo
	 * things (utmp, mounts, tickets).  auth_read's clock bounds the
	 * wait by module_timeout.
	 */
	if (a->state == AUTH_S_SESSION)
		auth_close(a, &cause);
	while (a->state == AUTH_S_CLOSING) {
		pfd.fd = a->fd;
		pfd.events = POLLIN;
		poll(&pfd, 1, 1000);
		if (auth_read(a, &ev, &cause) == -1)
			break;
	}
	free(cause);
	auth_kill(a);
	if (a->fd != -1)
		close(a->fd);
	sodium_free(a->frame);
	free(a->service);
	free(a);
}

/*
 * The child.  Everything below runs after fork() and ends in _exit():
 * exit() would run the parent's atexit handlers (and pam_wrapper's
 * destructor, which removes the parent's copy of libpam).
 */

/* Send one frame to the parent; 0 or -1. */
static int
auth_child_send(int fd, int type, const void *data, size_t len)
{
	uint8_t	 frame[AUTH_FRAME_MAX];
	ssize_t	 n;

	if (len > AUTH_WIRE_MAX)
		return -1;
	frame[0] = type;
	frame[1] = len >> 8;
	frame[2] = len & 0xff;
	if (len > 0)
		memcpy(frame + AUTH_WIRE_HDR, data, len);
	do {
		n = send(fd, frame, AUTH_WIRE_HDR + len, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	return n == (ssize_t)(AUTH_WIRE_HDR + len) ? 0 : -1;
}

/*
 * Wait for the parent's next frame into c->buf.  Returns its type and
 * *len, or -1 when the socket closed or the frame is malformed.
 */
static int
auth_child_recv(struct auth_child *c, size_t *len)
{
	ssize_t	 n;

	do {
		n = recv(c->fd, c->buf, AUTH_FRAME_MAX + 1, 0);
	} while (n == -1 && errno == EINTR);
	if (n < AUTH_WIRE_HDR || n > AUTH_FRAME_MAX ||
	    ((size_t)c->buf[1] << 8 | c->buf[2]) != (size_t)n - AUTH_WIRE_HDR) {
		sodium_memzero(c->buf, AUTH_FRAME_MAX + 1);
		return -1;
	}
	*len = n - AUTH_WIRE_HDR;
	return c->buf[0];
}

static void
auth_child_free_replies(struct pam_response *reply, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (reply[i].resp != NULL) {
			sodium_memzero(reply[i].resp, strlen(reply[i].resp));
			free(reply[i].resp);
		}
	}
	free(reply);
}

/*
 * The PAM conversation, as misc_conv and sudo do it: a bounded number of
 * messages, replies calloc'd (PAM frees them, and the answers in them,
 * with free()), several messages per call delivered in order, resp ==
 * NULL accepted for calls that only inform, and on any failure every
 * answer gathered so far wiped and freed and PAM_CONV_ERR returned.  It
 * never touches a terminal: each message becomes one frame.
 */
static int
auth_child_conv(int num_msg, const struct pam_message **msg,
    struct pam_response **resp, void *arg)
{
	struct auth_child	*c = arg;
	struct pam_response	*reply;
	const char		*text;
	size_t			 len;
	int			 i, type, prompt;

	if (num_msg <= 0 || num_msg > PAM_MAX_NUM_MSG)
		return PAM_CONV_ERR;
	if ((reply = calloc(num_msg, sizeof *reply)) == NULL)
		return PAM_BUF_ERR;
	for (i = 0; i < num_msg; i++) {
		if (msg[i] == NULL)
			goto fail;
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
			type = AUTH_W_PROMPT_OFF;
			break;
		case PAM_PROMPT_ECHO_ON:
			type = AUTH_W_PROMPT_ON;
			break;
		case PAM_ERROR_MSG:
			type = AUTH_W_ERROR;
			break;
		case PAM_TEXT_INFO:
			type = AUTH_W_INFO;
			break;
		default:		/* binary prompts: not for a console */
			goto fail;
		}
		prompt = type == AUTH_W_PROMPT_OFF || type == AUTH_W_PROMPT_ON;
		if (prompt && (resp == NULL || c->closing))
			goto fail;
		text = msg[i]->msg != NULL ? msg[i]->msg : "";
		len = auth_wire_len(text);
		if (auth_child_send(c->fd, type, text, len) != 0)
			goto fail;
		if (!prompt)
			continue;

		if (auth_child_recv(c, &len) != AUTH_W_ANSWER ||
		    memchr(c->buf + AUTH_WIRE_HDR, '\0', len) != NULL)
			goto fail;
		if ((reply[i].resp = malloc(len + 1)) == NULL)
			goto fail;
		memcpy(reply[i].resp, c->buf + AUTH_WIRE_HDR, len);
		reply[i].resp[len] = '\0';
		sodium_memzero(c->buf, AUTH_FRAME_MAX + 1);
	}
	if (resp != NULL)
		*resp = reply;
	else
		free(reply);		/* holds no answers: no prompts */
	return PAM_SUCCESS;

fail:
	sodium_memzero(c->buf, AUTH_FRAME_MAX + 1);
	auth_child_free_replies(reply, num_msg);
	if (resp != NULL)
		*resp = NULL;
	return PAM_CONV_ERR;
}

/* pam_authenticate's answer as a result. */
static enum auth_result
auth_child_map_auth(int status)
{
	switch (status) {
	case PAM_AUTH_ERR:
	case PAM_USER_UNKNOWN:
	case PAM_PERM_DENIED:
	case PAM_CRED_INSUFFICIENT:
		return AUTH_DENIED;
	case PAM_AUTHINFO_UNAVAIL:
		return AUTH_UNAVAIL;
	case PAM_MAXTRIES:
		return AUTH_MAXTRIES;
	case PAM_ACCT_EXPIRED:
		return AUTH_ACCOUNT;
	case PAM_NEW_AUTHTOK_REQD:
	case PAM_AUTHTOK_EXPIRED:
		return AUTH_EXPIRED;
	default:			/* PAM_CONV_ERR, PAM_SYSTEM_ERR... */
		return AUTH_FAILURE;
	}
}

/* Whether a status means PAM itself (not the verdict) failed. */
static int
auth_child_broken(int status)
{
	return status == PAM_CONV_ERR || status == PAM_SYSTEM_ERR ||
	    status == PAM_BUF_ERR || status == PAM_ABORT ||
	    status == PAM_SERVICE_ERR || status == PAM_SYMBOL_ERR ||
	    status == PAM_MODULE_UNKNOWN;
}

/*
 * Make the child a clean place for modules to run in: the parent's
 * signal handlers (which restore the console's terminal) gone, the
 * socket on AUTH_CHILD_FD, standard descriptors on /dev/null, every other
 * descriptor closed.  closelog() first, so that syslog cannot write into
 * whatever later takes its old descriptor number.
 */
static void
auth_child_setup(int fd)
{
	struct sigaction sa;
	sigset_t	 set;
	int		 sig, null, tmp;

	closelog();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);
	}
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);

	if ((tmp = fcntl(fd, F_DUPFD_CLOEXEC, AUTH_CHILD_FD)) == -1)
		_exit(127);
	if ((null = open("/dev/null", O_RDWR)) == -1)
		_exit(127);
	if (dup2(null, STDIN_FILENO) == -1 ||
	    dup2(null, STDOUT_FILENO) == -1 ||
	    dup2(null, STDERR_FILENO) == -1)
		_exit(127);
	if (null > STDERR_FILENO)
		close(null);
	if (tmp != AUTH_CHILD_FD && dup2(tmp, AUTH_CHILD_FD) == -1)
		_exit(127);
	/* Not to modules' helpers (pam_exec, unix_chkpwd): they exec. */
	if (fcntl(AUTH_CHILD_FD, F_SETFD, FD_CLOEXEC) == -1)
		_exit(127);
	/* The askpass pipe, the ledger: nothing but the socket stays. */
	fd_closefrom(AUTH_CHILD_FD + 1);
}

/* Report the result; the child's last word unless a session is open. */
static void
auth_child_result(struct auth_child *c, enum auth_result result,
    int status, const char *user)
{
	uint8_t	 data[5 + AUTH_USER_MAX];
	size_t	 len = strlen(user);

	data[0] = result;
	auth_put32(data + 1, (uint32_t)status);
	memcpy(data + 5, user, len);
	auth_child_send(c->fd, AUTH_W_RESULT, data, 5 + len);
}

/* Logged in: hold the handle until told to close, or the parent is gone. */
static DAICHO_NORETURN void
auth_child_session(struct auth_child *c, pam_handle_t *pamh)
{
	uint8_t	 data[4];
	size_t	 len;
	int	 type, status, s2;

	type = auth_child_recv(c, &len);
	c->closing = 1;
	status = pam_close_session(pamh, 0);
	s2 = pam_setcred(pamh, PAM_DELETE_CRED);
	if (status == PAM_SUCCESS)
		status = s2;
	if (status != PAM_SUCCESS)
		syslog(LOG_AUTHPRIV | LOG_NOTICE, "closing the session: %s",
		    pam_strerror(pamh, status));
	pam_end(pamh, status);
	if (type == AUTH_W_CLOSE && len == 0) {
		auth_put32(data, (uint32_t)status);
		auth_child_send(c->fd, AUTH_W_CLOSED, data, sizeof data);
	} else if (type != -1)
		syslog(LOG_AUTHPRIV | LOG_NOTICE,
		    "unexpected message %d during a session", type);
	_exit(0);
}

/*
 * pam_authenticate, then pam_acct_mgmt, with an expired password changed
 * in the same conversation when flags has AUTH_CHAUTHTOK: AUTH_OK, or
 * what went wrong; *status is PAM's last word.
 */
static enum auth_result
auth_child_verify(pam_handle_t *pamh, int flags, int *status)
{
	*status = pam_authenticate(pamh, PAM_DISALLOW_NULL_AUTHTOK);
	if (*status != PAM_SUCCESS)
		return auth_child_map_auth(*status);
	*status = pam_acct_mgmt(pamh, PAM_DISALLOW_NULL_AUTHTOK);
	if (*status == PAM_NEW_AUTHTOK_REQD) {
		if (!(flags & AUTH_CHAUTHTOK))
			return AUTH_EXPIRED;
		*status = pam_chauthtok(pamh, PAM_CHANGE_EXPIRED_AUTHTOK);
		if (*status != PAM_SUCCESS)
			return auth_child_broken(*status) ? AUTH_FAILURE :
			    AUTH_EXPIRED;
	} else if (*status != PAM_SUCCESS)
		return auth_child_broken(*status) ? AUTH_FAILURE :
		    AUTH_ACCOUNT;
	return AUTH_OK;
}

/*
 * Who PAM says it is, exactly, into user (AUTH_USER_MAX bytes), or
 * nobody: a PAM_USER too long fails a success.
 */
static void
auth_child_user(pam_handle_t *pamh, char *user, enum auth_result *result,
    int *status)
{
	const void	*item;

	if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS ||
	    item == NULL)
		return;
	if (strlen(item) < AUTH_USER_MAX)
		memcpy(user, item, strlen(item) + 1);
	else if (*result == AUTH_OK) {
		syslog(LOG_AUTHPRIV | LOG_NOTICE, "PAM_USER longer than %d "
		    "bytes", AUTH_USER_MAX - 1);
		*result = AUTH_FAILURE;
		*status = PAM_USER_UNKNOWN;
	}
}

static DAICHO_NORETURN void
auth_child(int fd, const struct auth_opts *opts, const char *service)
{
	struct auth_child	 c;
	struct pam_conv		 conv = { auth_child_conv, &c };
	pam_handle_t		*pamh = NULL;
	struct passwd		*pw;
	const char		*tty;
	char			 user[AUTH_USER_MAX], ruser[AUTH_USER_MAX];
	enum auth_result	 result = AUTH_FAILURE;
	int			 status, creds = 0, session = 0;

	/* ttyname(0) before fd 0 becomes /dev/null. */
	tty = opts->tty;
	if (tty == NULL && (tty = ttyname(STDIN_FILENO)) == NULL)
		tty = "daicho";
	if ((tty = strdup(tty)) == NULL)
		_exit(127);
	auth_child_setup(fd);
	memset(&c, 0, sizeof c);
	c.fd = AUTH_CHILD_FD;
	if ((c.buf = sodium_malloc(AUTH_FRAME_MAX + 1)) == NULL)
		_exit(127);

	ruser[0] = '\0';
	if (opts->ruser != NULL)
		snprintf(ruser, sizeof ruser, "%s", opts->ruser);
	else if ((pw = getpwuid(getuid())) != NULL)
		snprintf(ruser, sizeof ruser, "%s", pw->pw_name);
	user[0] = '\0';

	status = pam_start(service, opts->user, &conv, &pamh);
	if (status != PAM_SUCCESS) {
		syslog(LOG_AUTHPRIV | LOG_NOTICE, "pam_start %s: %s", service,
		    pam_strerror(pamh, status));
		pamh = NULL;
		goto done;
	}
	if ((status = pam_set_item(pamh, PAM_TTY, tty)) != PAM_SUCCESS)
		goto done;
	if (ruser[0] != '\0' &&
	    (status = pam_set_item(pamh, PAM_RUSER, ruser)) != PAM_SUCCESS)
		goto done;

	if ((result = auth_child_verify(pamh, opts->flags, &status)) !=
	    AUTH_OK)
		goto done;
	result = AUTH_FAILURE;
	if ((status = pam_setcred(pamh, PAM_ESTABLISH_CRED)) != PAM_SUCCESS)
		goto done;
	creds = 1;
	if (opts->flags & AUTH_SESSION) {
		if ((status = pam_open_session(pamh, 0)) != PAM_SUCCESS)
			goto done;
		session = 1;
	}
	result = AUTH_OK;

done:
	if (pamh != NULL)
		auth_child_user(pamh, user, &result, &status);
	if (result == AUTH_OK && (opts->flags & AUTH_SESSION)) {
		auth_child_result(&c, result, status, user);
		auth_child_session(&c, pamh);
	}
	/* Undo what was done, then say so as the last word. */
	if (session)
		pam_close_session(pamh, 0);
	if (creds)
		pam_setcred(pamh, PAM_DELETE_CRED);
	if (pamh != NULL)
		pam_end(pamh, status);
	auth_child_result(&c, result, status, user);
	_exit(0);
}
