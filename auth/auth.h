/*
 * auth.h -- the whole public face of auth/: operator authentication
 * through PAM.  It knows nothing of curses or SQL: it answers who the
 * operator is, and core records it.
 *
 * A PAM transaction runs in a child process that talks to its caller over
 * a socket pair, so the console stays live while a module blocks (a
 * fingerprint reader waits for a finger; a module may hang or crash).  The
 * caller polls auth_fd(), reads events with auth_read() and answers
 * prompts with auth_answer().  After a successful login the child keeps
 * the PAM handle with its open session until auth_close() ends it, as
 * login(1) does.
 *
 * The auth machinery reaps its own child by pid: callers must not reap
 * children with waitpid(-1) or SIG_IGN on SIGCHLD.  auth_start() forks:
 * call it while no other thread of the program holds locks (the console
 * has one thread at the login screen).
 */
#ifndef DAICHO_AUTH_H
#define DAICHO_AUTH_H

#include <stddef.h>
#include <stdint.h>

#define AUTH_SERVICE		"daicho"
#define AUTH_TEXT_MAX		512	/* bytes of one message or answer, NUL
					   included */
#define AUTH_USER_MAX		64	/* bytes of a PAM_USER, NUL included */
#define AUTH_MODULE_TIMEOUT	60	/* seconds, when module_timeout <= 0 */

/* What a PAM transaction is asked to do. */
#define AUTH_SESSION	0x1	/* open a session (console login) */
#define AUTH_CHAUTHTOK	0x2	/* change an expired password in place */

struct auth_opts {
	const char	*service;	/* PAM service; NULL: AUTH_SERVICE */
	const char	*user;		/* who claims to log in; NULL: ask */
	const char	*tty;		/* PAM_TTY; NULL: ttyname(0), "daicho" */
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
	AUTH_UNAVAIL,		/* no reader, no print: offer the password */
	AUTH_MAXTRIES,		/* the module's own attempt limit */
	AUTH_EXPIRED,		/* password expired and was not changed */
	AUTH_ACCOUNT,		/* pam_acct_mgmt refused (expired account...) */
	AUTH_TIMEOUT,		/* a module said nothing for module_timeout */
	AUTH_CANCELLED,		/* auth_cancel() */
	AUTH_FAILURE,		/* PAM or the child itself failed or crashed */
};

/*
 * Every text is sanitised before it reaches the caller: valid UTF-8,
 * shorter than AUTH_TEXT_MAX, no control characters but '\n' (tabs become
 * spaces, anything else a '?'), so a module cannot send terminal escapes.
 */
struct auth_event {
	enum auth_event_kind kind;
	char		 text[AUTH_TEXT_MAX];	/* prompt or message; for RESULT
						   and CLOSED a reason for the
						   log, not for the screen */
	enum auth_result result;		/* RESULT, CLOSED */
	char		 user[AUTH_USER_MAX];	/* RESULT: PAM_USER when known,
						   also on failure (to record
						   who tried); trust it only
						   with AUTH_OK */
	int		 pam_status;		/* RESULT, CLOSED: the PAM code,
						   -1 when PAM said nothing */
	int		 seconds_left;		/* WAITING */
};

struct auth;

/* auth-pam.c */
/*
 * Start a PAM transaction in a child process; opts is copied by the fork
 * and may go away on return.  Returns it (free with auth_free), or NULL
 * with *cause (caller frees).
 */
struct auth	*auth_start(const struct auth_opts *, char **);
/*
 * The descriptor to poll for readability, or -1 once the final event
 * (RESULT without a session, or CLOSED) has been read.  Call auth_read()
 * when it is readable and also at least once a second: timeouts and
 * WAITING events are driven by those calls.
 */
int		 auth_fd(struct auth *);
/*
 * The next event, without blocking: 1 and *ev filled, 0 when none is
 * ready.  A module silent past module_timeout yields RESULT AUTH_TIMEOUT
 * (CLOSED while closing), a child that dies or talks nonsense RESULT
 * AUTH_FAILURE; either way the child is gone.  -1 with *cause (caller
 * frees) only once the final event has been read.
 */
int		 auth_read(struct auth *, struct auth_event *, char **);
/*
 * Answer the pending prompt.  The answer is a secret: it is wiped from
 * the caller's buffer whatever happens.  0, or -1 with *cause: no prompt
 * is pending, or the answer is AUTH_TEXT_MAX bytes or longer (the prompt
 * stays pending), or the child is gone (a RESULT follows).
 */
int		 auth_answer(struct auth *, char *, char **);
/*
 * Abandon the transaction (Esc): the child is killed.  The next event is
 * RESULT AUTH_CANCELLED, or CLOSED AUTH_CANCELLED if a session was open
 * (it is not closed cleanly: use auth_close for that).  Nothing after the
 * final event.
 */
void		 auth_cancel(struct auth *);
/*
 * Ask the child to end the open session: pam_close_session,
 * pam_setcred(PAM_DELETE_CRED), pam_end.  Returns at once; a CLOSED event
 * follows (result AUTH_OK, or AUTH_FAILURE / AUTH_TIMEOUT).  0, or -1
 * with *cause when no session is open.
 */
int		 auth_close(struct auth *, char **);
/*
 * Free.  An open session is closed first (as auth_close, then waiting up
 * to module_timeout for CLOSED: the only call here that may block); any
 * other child still running is killed.  Accepts NULL.  To keep the
 * screen live through a slow close, auth_close and read CLOSED first.
 */
void		 auth_free(struct auth *);
/* A human-readable word for a result (static). */
const char	*auth_result_string(enum auth_result);
/*
 * Whether a result is a failed attempt, to be counted and recorded: a
 * credential refused (AUTH_DENIED, AUTH_MAXTRIES, AUTH_EXPIRED,
 * AUTH_ACCOUNT) or a stack that broke or hung (AUTH_FAILURE,
 * AUTH_TIMEOUT).  AUTH_CANCELLED (Esc: the operator switches to the
 * password or gives up) and AUTH_UNAVAIL (no reader, no enrolled print)
 * judged nothing: 0, as for AUTH_OK.
 */
int		 auth_result_failed(enum auth_result);

/* auth-tty.c -- for the command line */
/*
 * Authenticate opts->user synchronously, for the command line: prompts go
 * to /dev/tty and password prompts are read with echo off, or, when
 * askpass_fd >= 0, answers are read from that descriptor one a line and
 * prompts and messages go to stderr.  opts->user is required (AUTH_OK
 * means PAM_USER is exactly that name); AUTH_SESSION is ignored.  Returns
 * an AUTH_* result; for anything but AUTH_OK, *cause (caller frees) says
 * why, for the log.  A signal that ends the program during a prompt
 * restores the terminal first.
 */
enum auth_result auth_tty(const struct auth_opts *, int, char **);

/* auth-demo.c -- the demo city's PAM (daicho --demo), under pam_wrapper */
/*
 * Make dir/pam (0700) with the demo's service files: "daicho" (the demo
 * fingerprint for the enrolled users, then the password),
 * "daicho-password" (the password only) and "other" (deny), and
 * pam_matrix's files giving every one of users (NULL-terminated) the
 * password.  0, or -1 with *cause (caller frees).
 */
int		 auth_demo_setup(const char *, const char *const *,
		     const char *const *, const char *, char **);
/*
 * Set the environment for pam_wrapper with dir/pam as the service
 * directory; the caller then runs itself again (pam_wrapper works by
 * preloading).  0, or -1 with *cause.
 */
int		 auth_demo_wrap(const char *, char **);
/* Whether this process runs under pam_wrapper (auth_demo_wrap was done). */
int		 auth_demo_wrapped(void);
/*
 * The environment a person puts before daicho to use the demo city dir
 * (an absolute path) from the command line, as one shell word list:
 * "env LD_PRELOAD=... PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR=dir/pam".
 * The caller frees it.
 */
char		*auth_demo_env(const char *);

#endif
