/*
 * login.c -- the operator-login policy, in one place.
 *
 * auth answers who is at the terminal; this decides what that means and
 * records it.  The console's login and idle lock, the two-person
 * approval (console and command line) and the command line's own
 * authentication all end here with what PAM said:
 *
 *   - a credential PAM refused is a failed login: a session.failure
 *     entry, a syslog line (core_syslog_login, with an audit event for
 *     a console login), and it counts towards the failed-login lock of
 *     the terminal;
 *   - authentication that judged nothing (Esc, no fingerprint reader, a
 *     module that hung or broke) is no failed login: a syslog line only;
 *   - an accepted credential must still belong to an active operator
 *     with the role the purpose needs, someone other than the operator
 *     asking (approval), at a terminal not locked by failures; a refusal
 *     is a session.failure too;
 *   - a console login is session.login (session.unlock for the operator
 *     of a locked session, after session.logout of another's).  An
 *     approval or a command writes nothing here: the action's own entry
 *     names the operator and the approver.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

static const char *
login_purpose(enum core_login_purpose p)
{
	switch (p) {
	case CORE_LOGIN_CONSOLE:
		return "console login";
	case CORE_LOGIN_APPROVAL:
		return "approval";
	case CORE_LOGIN_COMMAND:
		return "command-line login";
	}
	return "login";
}

int
core_login_locked(struct store *s, const char *tty, int attempts,
    int minutes, int64_t *until, char **cause)
{
	int	 r;

	r = core_console_locked(s, tty, attempts, minutes, until, cause);
	if (r == 1 && *until <= (int64_t)time(NULL))
		r = 0;
	if (r != 1)
		*until = 0;
	return r;
}

/* One session entry by op at tty, with method (may be NULL). */
static int
login_record(struct store *s, const char *action, const char *tty,
    const char *op, const char *method, char **cause)
{
	struct core_actor	 who = { op, NULL };
	struct store_args	 a = { 0 };

	store_args_add(&a, "tty", tty);
	if (method != NULL)
		store_args_add(&a, "method", method);
	return core_run(s, action, &who, &a, NULL, cause);
}

int
core_session_logout(struct store *s, const char *tty, const char *op,
    const char *why, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	char			*c2 = NULL;
	int			 r;

	r = login_record(s, "session.logout", tty, op, why, cause);
	/* Forward security: the next operator signs with a new key. */
	if (core_rotate(s, &sys, r == 0 ? cause : &c2) != 0) {
		free(c2);
		r = -1;
	}
	return r;
}

/*
 * A refusal: session.failure (the reason prefixed by the purpose for an
 * approval), a syslog line, and whether the terminal is now locked.
 */
static int
login_refuse(struct store *s, const struct core_login *in,
    struct core_login_result *out, enum core_login_outcome outcome,
    const char *reason, char **cause)
{
	char	 detail[96], *c2 = NULL;
	int	 r;

	out->outcome = outcome;
	snprintf(detail, sizeof detail, "%s%s", in->purpose ==
	    CORE_LOGIN_APPROVAL ? "approval: " : "", reason);
	r = core_session_failure(s, in->tty, in->claimed, detail, cause);
	core_syslog_login(login_purpose(in->purpose),
	    core_failure_user(s, in->claimed), in->tty, "failure", reason,
	    in->action);
	if (core_login_locked(s, in->tty, in->attempts, in->minutes,
	    &out->until, r == 0 ? cause : &c2) == 1 &&
	    outcome == CORE_LOGIN_FAILED) {
		out->outcome = CORE_LOGIN_LOCKED;
		core_syslog_terminal_locked(in->tty,
		    core_failure_user(s, in->claimed), in->attempts,
		    out->until);
	}
	free(c2);
	return r;
}

/* The roles a purpose needs: 0 means any active operator. */
static int
login_roles(const struct core_login *in)
{
	if (in->purpose == CORE_LOGIN_APPROVAL)
		return CORE_ROLE_APPROVER;
	if (in->purpose == CORE_LOGIN_COMMAND)
		return in->roles;
	return 0;
}

/* The accepted credential of a console login: the entries. */
static int
login_console(struct store *s, const struct core_login *in,
    struct core_login_result *out, char **cause)
{
	char	*c2 = NULL;

	/* Read before this login is recorded: the previous one. */
	if (core_session_history(s, out->user, &out->history, &c2) != 0) {
		free(c2);
		memset(&out->history, 0, sizeof out->history);
	}
	if (in->operator != NULL && strcmp(in->operator, out->user) == 0) {
		out->outcome = CORE_LOGIN_RESUMED;
		return login_record(s, "session.unlock", in->tty, out->user,
		    NULL, cause);
	}
	/* Another operator at a locked session: that session ends first. */
	if (in->operator != NULL && core_session_logout(s, in->tty,
	    in->operator, "replaced", cause) != 0)
		return -1;
	return login_record(s, "session.login", in->tty, out->user,
	    in->method, cause);
}

int
core_login(struct store *s, const struct core_login *in,
    struct core_login_result *out, char **cause)
{
	const char	*reason = in->reason != NULL ? in->reason : "-";
	int		 role, need;

	memset(out, 0, sizeof *out);
	out->outcome = CORE_LOGIN_NOT_TRIED;
	if (in->auth == CORE_AUTH_NONE) {
		core_syslog_login(login_purpose(in->purpose),
		    core_failure_user(s, in->claimed), in->tty,
		    "not-completed", reason, in->action);
		return 0;
	}
	if (in->auth == CORE_AUTH_REFUSED)
		return login_refuse(s, in, out, CORE_LOGIN_FAILED, reason,
		    cause);

	/* An accepted credential; but the terminal may be locked. */
	if ((role = core_login_locked(s, in->tty, in->attempts, in->minutes,
	    &out->until, cause)) != 0) {
		out->outcome = CORE_LOGIN_LOCKED;
		core_syslog_login(login_purpose(in->purpose),
		    core_failure_user(s, in->claimed), in->tty, "locked",
		    "too many failed logins", in->action);
		return role == -1 ? -1 : 0;
	}
	if (in->purpose == CORE_LOGIN_APPROVAL && in->operator != NULL &&
	    strcmp(in->claimed, in->operator) == 0)
		return login_refuse(s, in, out, CORE_LOGIN_SAME_PERSON,
		    "same person", cause);
	if ((role = core_operator_role(s, in->claimed, cause)) <= 0) {
		if (role == -1) {
			free(*cause);
			*cause = NULL;
		}
		return login_refuse(s, in, out, CORE_LOGIN_NOT_OPERATOR,
		    role == 0 ? "not an operator" : "database error", cause);
	}
	need = login_roles(in);
	if (need != 0 && !(role & need))
		return login_refuse(s, in, out, CORE_LOGIN_WRONG_ROLE,
		    in->purpose == CORE_LOGIN_APPROVAL ? "not an approver" :
		    "wrong role", cause);

	out->outcome = CORE_LOGIN_OK;
	out->role = role;
	snprintf(out->user, sizeof out->user, "%s", in->claimed);
	core_syslog_login(login_purpose(in->purpose), out->user, in->tty,
	    "success", NULL, in->action);
	if (in->purpose == CORE_LOGIN_CONSOLE)
		return login_console(s, in, out, cause);
	return 0;
}
