/*
 * action-session.c -- console sessions: logins, failed logins, logouts,
 * and the idle lock.  They change no managed state, but an auditor must
 * be able to see who was at the console and when, so each is an entry;
 * the login_event table is their projection, from which the console
 * reads an operator's last login and the failures since, and decides
 * whether too many recent failures lock the console.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

#define SESSION_ROLES	(CORE_ROLE_ADMIN | CORE_ROLE_APPROVER | \
			    CORE_ROLE_AUDITOR)

static const char *const session_kinds[] = {
	"session.login", "login",
	"session.failure", "failure",
	"session.logout", "logout",
	"session.lock", "lock",
	"session.unlock", "unlock",
	NULL
};

/* The login_event kind of an action name. */
static const char *
session_kind(const char *action)
{
	size_t	 i;

	for (i = 0; session_kinds[i] != NULL; i += 2) {
		if (strcmp(session_kinds[i], action) == 0)
			return session_kinds[i + 1];
	}
	return NULL;
}

/*
 * Every session entry names the terminal; a failure also names who tried
 * (who may be nobody daicho knows) and why.
 */
static int
session_validate(struct core_run *run, char **cause)
{
	const char	*tty, *user, *detail;

	if (core_arg(run, "tty", &tty, cause) != 0 ||
	    core_text_ok("tty", 64, tty, cause) != 0)
		return -1;
	if (strcmp(run->action->name, "session.failure") == 0) {
		if (core_arg(run, "user", &user, cause) != 0 ||
		    core_arg(run, "reason", &detail, cause) != 0 ||
		    core_text_ok("user", 64, user, cause) != 0 ||
		    core_text_ok("reason", 64, detail, cause) != 0)
			return -1;
		/*
		 * A name that is not an operator's may be a password typed
		 * into the user field: it is never recorded (login(1)
		 * without LOG_UNKFAIL_ENAB does the same).
		 */
		if (strcmp(user, CORE_UNKNOWN_USER) != 0 &&
		    strcmp(core_failure_user(run->store, user), user) != 0) {
			xasprintf(cause, _("session.failure: a name that is "
			    "not an operator's is recorded as %s"),
			    CORE_UNKNOWN_USER);
			return -1;
		}
		xasprintf(&run->subject, "login:%s", user);
		return 0;
	}
	detail = store_args_get(&run->args, "method");
	if (detail != NULL && core_text_ok("method", 32, detail, cause) != 0)
		return -1;
	xasprintf(&run->subject, "operator:%s", run->actor->operator);
	return 0;
}

static int
session_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*kind = session_kind(e->action);
	const char	*user, *detail;
	char		 idx[24];

	if (kind == NULL) {
		xasprintf(cause, _("%s is not a session action"), e->action);
		return -1;
	}
	if (strcmp(kind, "failure") == 0) {
		user = store_args_get(&e->args, "user");
		detail = store_args_get(&e->args, "reason");
	} else {
		user = e->operator;
		detail = store_args_get(&e->args, "method");
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "INSERT INTO login_event (idx, time, kind, user, "
	    "tty, detail) VALUES (?, ?, ?, ?, ?, coalesce(?, ''))", cause, 6,
	    idx, e->time, kind, user, store_args_get(&e->args, "tty"),
	    detail);
}

static const struct core_param session_params[] = {
	{ "tty", CORE_ARG_REQUIRED, N_("the terminal") },
	{ "method", 0, N_("how the operator authenticated") },
	{ NULL, 0, NULL },
};

static const struct core_param failure_params[] = {
	{ "tty", CORE_ARG_REQUIRED, N_("the terminal") },
	{ "user", CORE_ARG_REQUIRED, N_("the operator who tried, or UNKNOWN "
	    "for a name that is not an operator's (it may be a password "
	    "typed in the wrong field)") },
	{ "reason", CORE_ARG_REQUIRED, N_("why it failed") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_session_login = {
	.name = "session.login",
	.summary = N_("An operator logged in at the console"),
	.roles = SESSION_ROLES,
	.flags = CORE_INTERNAL,
	.params = session_params,
	.validate = session_validate,
	.apply = session_apply,
};

const struct core_action core_action_session_failure = {
	.name = "session.failure",
	.summary = N_("A login at the console failed"),
	.roles = CORE_ROLE_SYSTEM,
	.flags = CORE_INTERNAL,
	.params = failure_params,
	.validate = session_validate,
	.apply = session_apply,
};

const struct core_action core_action_session_logout = {
	.name = "session.logout",
	.summary = N_("An operator logged out"),
	.roles = SESSION_ROLES,
	.flags = CORE_INTERNAL,
	.params = session_params,
	.validate = session_validate,
	.apply = session_apply,
};

const struct core_action core_action_session_lock = {
	.name = "session.lock",
	.summary = N_("The console locked an idle session"),
	.roles = SESSION_ROLES,
	.flags = CORE_INTERNAL,
	.params = session_params,
	.validate = session_validate,
	.apply = session_apply,
};

const struct core_action core_action_session_unlock = {
	.name = "session.unlock",
	.summary = N_("An operator unlocked their session"),
	.roles = SESSION_ROLES,
	.flags = CORE_INTERNAL,
	.params = session_params,
	.validate = session_validate,
	.apply = session_apply,
};

const char *
core_failure_user(struct store *s, const char *claimed)
{
	char	*cause = NULL;
	int	 yes;

	if (!core_login_name_ok(claimed) || core_exists(s, "SELECT 1 FROM "
	    "operator WHERE name = ?", claimed, NULL, &yes, &cause) != 0) {
		free(cause);
		return CORE_UNKNOWN_USER;
	}
	return yes ? claimed : CORE_UNKNOWN_USER;
}

int
core_session_failure(struct store *s, const char *tty, const char *claimed,
    const char *reason, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct store_args	 a = { 0 };

	store_args_add(&a, "tty", tty);
	store_args_add(&a, "user", core_failure_user(s, claimed));
	store_args_add(&a, "reason", reason);
	return core_run(s, "session.failure", &sys, &a, NULL, cause);
}

/* One text column of the newest row of a query with one text parameter. */
static int
newest(struct store *s, const char *sql, const char *a, const char *b,
    char *out, size_t len, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	out[0] = '\0';
	if ((st = store_prepare(s, sql, cause)) == NULL)
		return -1;
	store_bind_text(st, 1, a);
	if (b != NULL)
		store_bind_text(st, 2, b);
	if ((r = store_step(st, cause)) == STORE_ROW)
		snprintf(out, len, "%s", store_col_text(st, 0));
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

int
core_session_history(struct store *s, const char *user,
    struct core_session_history *h, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	memset(h, 0, sizeof *h);
	if (newest(s, "SELECT time FROM login_event WHERE user = ? AND "
	    "kind = 'login' ORDER BY idx DESC LIMIT 1", user, NULL,
	    h->last_login, sizeof h->last_login, cause) != 0 ||
	    newest(s, "SELECT time FROM login_event WHERE user = ? AND "
	    "kind = 'logout' ORDER BY idx DESC LIMIT 1", user, NULL,
	    h->last_logout, sizeof h->last_logout, cause) != 0)
		return -1;
	if ((st = store_prepare(s, "SELECT count(*) FROM login_event WHERE "
	    "user = ?1 AND kind = 'failure' AND idx > coalesce((SELECT "
	    "max(idx) FROM login_event WHERE user = ?1 AND kind = 'login'), "
	    "-1)", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, user);
	if ((r = store_step(st, cause)) == STORE_ROW)
		h->failures = (int)store_col_int(st, 0);
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

int
core_console_locked(struct store *s, const char *tty, int attempts,
    int minutes, int64_t *until, char **cause)
{
	struct store_stmt	*st;
	int			 r, locked = 0;

	*until = 0;
	if (attempts <= 0)
		return 0;
	/*
	 * Failures at this terminal since its last successful login: when
	 * attempts of them fall within the minutes before the newest, the
	 * console is locked until minutes after the newest.
	 */
	if ((st = store_prepare(s, "WITH f AS (SELECT CAST(strftime('%s', "
	    "time) AS INTEGER) AS t FROM login_event WHERE tty = ?1 AND "
	    "kind = 'failure' AND idx > coalesce((SELECT max(idx) FROM "
	    "login_event WHERE tty = ?1 AND kind = 'login'), -1)) "
	    "SELECT max(t) + ?3 * 60 FROM f WHERE t > (SELECT max(t) FROM f) "
	    "- ?3 * 60 HAVING count(*) >= ?2", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, tty);
	store_bind_int(st, 2, attempts);
	store_bind_int(st, 3, minutes);
	if ((r = store_step(st, cause)) == STORE_ROW) {
		*until = store_col_int(st, 0);
		locked = 1;
	}
	store_finalize(st);
	return r == -1 ? -1 : locked;
}
