/*
 * auth.h -- the whole public face of auth/: operator authentication
 * through PAM.  It knows nothing of curses or SQL: it answers who the
 * operator is, and core records it.
 *
 * A PAM transaction runs in a child process that talks to its caller over
 * a socket pair, so the console stays live while a module blocks (a
 * fingerprint reader waits for a finger; a module may hang).  The caller
 * polls auth_fd(), reads events with auth_read() and answers prompts with
 * auth_answer().  After a successful login the child keeps the PAM handle
 * with its open session until auth_close() ends it, as login(1) does.
 */
#ifndef DAICHO_AUTH_H
#define DAICHO_AUTH_H

#include <stddef.h>
#include <stdint.h>

#define AUTH_SERVICE		"daicho"
#define AUTH_TEXT_MAX		512	/* bytes of one message or answer */

/* What a PAM transaction is asked to do. */
#define AUTH_SESSION	0x1	/* open a session (console login) */
#define AUTH_CHAUTHTOK	0x2	/* change an expired password in place */

struct auth_opts {
	const char	*service;	/* PAM service, AUTH_SERVICE */
	const char	*user;		/* who claims to log in; NULL: ask */
	const char	*tty;		/* PAM_TTY; NULL: ttyname(0) or "daicho" */
	const char	*ruser;		/* PAM_RUSER; NULL: the unix user */
	int		 flags;		/* AUTH_SESSION, AUTH_CHAUTHTOK */
	int		 module_timeout; /* seconds a module may be silent */
};

enum auth_event_kind {
	AUTH_EV_PROMPT_OFF = 1,	/* answer, not echoed (password) */
	AUTH_EV_PROMPT_ON,	/* answer, echoed (user name) */
	AUTH_EV_INFO,		/* show (fingerprint: "swipe your finger") */
	AUTH_EV_ERROR,		/* show as an error */
	AUTH_EV_WAITING,	/* a module is working: show a countdown */
	AUTH_EV_RESULT,		/* the end of authentication; see result */
	AUTH_EV_CLOSED,		/* the session ended (after auth_close) */
};

enum auth_result {
	AUTH_OK = 0,		/* authenticated and account valid */
	AUTH_DENIED,		/* wrong password, no match, refused */
	AUTH_UNAVAIL,		/* no reader, no print, timeout: offer password */
	AUTH_MAXTRIES,		/* the module's own attempt limit */
	AUTH_EXPIRED,		/* password expired and was not changed */
	AUTH_ACCOUNT,		/* pam_acct_mgmt refused (expired account...) */
	AUTH_TIMEOUT,		/* a module said nothing for module_timeout */
	AUTH_CANCELLED,		/* auth_cancel() */
	AUTH_FAILURE,		/* PAM or the child itself failed */
};

struct auth_event {
	enum auth_event_kind kind;
	char		 text[AUTH_TEXT_MAX];	/* prompt or message */
	enum auth_result result;		/* AUTH_EV_RESULT */
	char		 user[64];		/* AUTH_EV_RESULT, AUTH_OK: PAM_USER */
	int		 pam_status;		/* AUTH_EV_RESULT: the PAM code */
	int		 seconds_left;		/* AUTH_EV_WAITING */
};

struct auth;

/* auth-pam.c */
/*
 * Start a PAM transaction in a child process.  Returns it, or NULL with
 * *cause (caller frees).
 */
struct auth	*auth_start(const struct auth_opts *, char **);
/* The descriptor to poll for readability. */
int		 auth_fd(struct auth *);
/*
 * The next event, without blocking: 1 and *ev filled, 0 when none is
 * ready, -1 with *cause when the child is gone or talks nonsense.  A
 * silent module past module_timeout yields a RESULT of AUTH_TIMEOUT and
 * the child is killed.
 */
int		 auth_read(struct auth *, struct auth_event *, char **);
/*
 * Answer the pending prompt.  The answer is wiped from the caller's
 * buffer (it is a secret) after it is sent.  0 or -1 with *cause.
 */
int		 auth_answer(struct auth *, char *, char **);
/* Abandon the transaction (Esc): the child is killed. */
void		 auth_cancel(struct auth *);
/* End an open session: pam_close_session, pam_setcred, pam_end. */
int		 auth_close(struct auth *, char **);
/* Free; kills a child still running.  Accepts NULL. */
void		 auth_free(struct auth *);
/* A human-readable word for a result. */
const char	*auth_result_string(enum auth_result);

/* auth-tty.c -- for the command line */
/*
 * Authenticate user synchronously: prompts go to /dev/tty, or, when
 * askpass_fd >= 0, answers are read from that descriptor one a line.
 * Returns an AUTH_* result; *cause says more on AUTH_FAILURE.
 */
enum auth_result auth_tty(const struct auth_opts *, int, char **);

#endif
