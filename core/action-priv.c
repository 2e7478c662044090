/*
 * action-priv.c -- privileged IDs with time limits (just in time):
 * priv.request, priv.approve, priv.reject, priv.end, and priv.describe
 * for the register (特権ID管理台帳).
 *
 * A time-limited (jit) privileged ID is dormant: locked on its system.
 * An admin asks for it for a number of minutes, with a reason
 * (priv.request); a different person with the approver role approves it
 * (priv.approve), which unlocks it on its system until start + minutes;
 * the request may be rejected with a reason, or ended early (priv.end),
 * and the sweep ends it when its time is up (priv.end by the system,
 * reason "expired").  The policy (policy.c, kind "privileged") caps the
 * minutes, says when requests may be made and how many privileged IDs a
 * system may have in use at once.
 *
 * Validate may ask the clock (time(NULL)); apply takes every time from
 * the entry, so replay rebuilds the same start and end.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

#define PRIV_REASON_MAX	1000	/* bytes of a reason */
#define PRIV_TEXT_MAX	500	/* bytes of rights and purpose */
#define PRIV_MINUTES_MAX 10080	/* a week: the most even an exception
				   lets one request ask for */

/* A request as its row holds it. */
struct priv_req {
	char	 system[40];
	char	 login[40];
	char	 requester[64];
	char	 state[12];
	int64_t	 minutes;
	int64_t	 end_at;			/* 0 while not active */
};

/* Request idx (its entry index, as text) into *r: 0, 1 none, -1. */
static int
priv_req_get(struct store *s, const char *idx, struct priv_req *r,
    char **cause)
{
	struct store_stmt	*st;
	int			 rc;

	memset(r, 0, sizeof *r);
	if ((st = store_prepare(s, "SELECT system, login, requester, state, "
	    "minutes, coalesce(end_at, 0) FROM priv_request WHERE idx = ?",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, idx);
	if ((rc = store_step(st, cause)) == STORE_ROW) {
		snprintf(r->system, sizeof r->system, "%s",
		    store_col_text(st, 0));
		snprintf(r->login, sizeof r->login, "%s",
		    store_col_text(st, 1));
		snprintf(r->requester, sizeof r->requester, "%s",
		    store_col_text(st, 2));
		snprintf(r->state, sizeof r->state, "%s",
		    store_col_text(st, 3));
		r->minutes = store_col_int(st, 4);
		r->end_at = store_col_int(st, 5);
	}
	store_finalize(st);
	if (rc == -1)
		return -1;
	return rc == STORE_ROW ? 0 : 1;
}

/*
 * The request named by run's "request" argument, in state want: made
 * subject of the run (the ID's), with system and login added as the
 * entry's own record of which ID.  0, or -1 with *cause.
 */
static int
priv_req_arg(struct core_run *run, const char *want, struct priv_req *r,
    char **cause)
{
	const char	*act = run->action->name, *v, *errstr;
	long long	 n;
	int		 rc;

	if (core_arg(run, "request", &v, cause) != 0)
		return -1;
	if (number_parse(v, 1, INT64_MAX, &n, &errstr) != 0) {
		xasprintf(cause, _("%s: request is %s (give the request's "
		    "number, as daicho priv list shows it)"), act, _(errstr));
		return -1;
	}
	if ((rc = priv_req_get(run->store, v, r, cause)) == -1)
		return -1;
	if (rc == 1) {
		xasprintf(cause, _("%s: there is no request %s"), act, v);
		return -1;
	}
	if (strcmp(r->state, want) != 0) {
		xasprintf(cause, _("%s: request %s (%s on %s) is %s, not %s"),
		    act, v, r->login, r->system, r->state, want);
		return -1;
	}
	store_args_add(&run->args, "system", core_run_keep(run,
	    xstrdup(r->system)));
	store_args_add(&run->args, "login", core_run_keep(run,
	    xstrdup(r->login)));
	xasprintf(&run->subject, "id:%s/%s", r->system, r->login);
	return 0;
}

/* Queue one target operation of entry e for system/login. */
static int
priv_queue(struct store *s, const struct store_entry *e, const char *system,
    const char *login, const char *op, char **cause)
{
	char	 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) VALUES (?, 0, ?, ?, ?, '')", cause, 4, idx, system,
	    op, login);
}

/* The entry's time as unix seconds: -1 with *cause when unreadable. */
/* The policy for privileged IDs on system. */
static int
priv_policy(struct store *s, const char *system, struct core_policy *p,
    char **cause)
{
	return core_policy_get(s, system, "privileged", p, cause);
}

/*
 * The number of the exception in force now that lifts refusal rule for
 * system/login (or its owner), into *n (0: none).  0 or -1 with *cause.
 */
static int
priv_exception(struct core_run *run, const char *rule, const char *system,
    const char *login, long long *n, char **cause)
{
	struct core_exc_set	*set;
	struct store_stmt	*st;
	char			 owner[32] = "";
	int			 rc;

	if ((st = store_prepare(run->store, "SELECT coalesce(owner, '') FROM "
	    "account WHERE system = ? AND login = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	if ((rc = store_step(st, cause)) == STORE_ROW)
		snprintf(owner, sizeof owner, "%s", store_col_text(st, 0));
	store_finalize(st);
	if (rc == -1 || (set = core_exceptions_load(run->store, time(NULL),
	    cause)) == NULL)
		return -1;
	*n = core_exceptions_match(set, rule, system, login, owner[0] != '\0' ?
	    owner : NULL);
	core_exceptions_free(set);
	return 0;
}

/* Record the exception n that allowed the action, as its argument. */
static void
priv_exception_arg(struct core_run *run, long long n, long long m)
{
	char	*v;

	if (n != 0 && m != 0 && n != m)
		xasprintf(&v, "%lld,%lld", n, m);
	else
		xasprintf(&v, "%lld", n != 0 ? n : m);
	store_args_add(&run->args, "exception", core_run_keep(run, v));
}

/* --- priv.request --- */

/* The ID: a live privileged one, jit, dormant, no request open. */
static int
priv_request_id(struct core_run *run, const char *system, const char *login,
    char **cause)
{
	struct store_stmt	*st;
	char			 kind[16] = "", state[16] = "", mode[16] = "";
	int			 rc, open;

	if ((st = store_prepare(run->store, "SELECT a.kind, a.state, "
	    "coalesce(p.mode, '') FROM account a LEFT JOIN privileged p ON "
	    "p.system = a.system AND p.login = a.login WHERE a.system = ? "
	    "AND a.login = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	if ((rc = store_step(st, cause)) == STORE_ROW) {
		snprintf(kind, sizeof kind, "%s", store_col_text(st, 0));
		snprintf(state, sizeof state, "%s", store_col_text(st, 1));
		snprintf(mode, sizeof mode, "%s", store_col_text(st, 2));
	}
	store_finalize(st);
	if (rc == -1)
		return -1;
	if (kind[0] == '\0' || strcmp(state, "revoked") == 0) {
		xasprintf(cause, _("priv.request: no live ID %s on %s"), login,
		    system);
		return -1;
	}
	if (strcmp(kind, "privileged") != 0 || strcmp(mode, "jit") != 0) {
		xasprintf(cause, _("priv.request: %s on %s is not a "
		    "time-limited privileged ID (%s%s%s): only those are "
		    "activated by request"), login, system, kind,
		    mode[0] != '\0' ? ", " : "", mode);
		return -1;
	}
	if (core_exists(run->store, "SELECT 1 FROM priv_request WHERE "
	    "system = ? AND login = ? AND state IN ('requested', 'active')",
	    system, login, &open, cause) != 0)
		return -1;
	if (open) {
		xasprintf(cause, _("priv.request: %s on %s has a request open "
		    "already (daicho priv list shows it)"), login, system);
		return -1;
	}
	if (strcmp(state, "dormant") != 0) {
		xasprintf(cause, _("priv.request: %s on %s is %s, not dormant: "
		    "only a dormant ID is activated by request"), login, system,
		    state);
		return -1;
	}
	return 0;
}

static int
priv_request_validate(struct core_run *run, char **cause)
{
	struct core_policy	 p;
	const char		*system, *login, *v, *reason, *errstr;
	char			 why[256];
	long long		 min, cap = 0, hours = 0;
	int			 over, outside;

	if (core_arg(run, "system", &system, cause) != 0 ||
	    core_arg(run, "login", &login, cause) != 0 ||
	    core_arg(run, "minutes", &v, cause) != 0 ||
	    core_arg(run, "reason", &reason, cause) != 0)
		return -1;
	if (core_text_ok("priv.request: reason", PRIV_REASON_MAX, reason,
	    cause) != 0)
		return -1;
	if (priv_request_id(run, system, login, cause) != 0 ||
	    priv_policy(run->store, system, &p, cause) != 0)
		return -1;
	/* Above the cap, or outside the hours: only by an exception. */
	if (number_parse(v, 1, PRIV_MINUTES_MAX, &min, &errstr) != 0)
		min = 0;
	over = min > p.priv_cap_minutes;
	outside = !core_policy_hours_ok(&p, time(NULL), why, sizeof why);
	if ((over && priv_exception(run, "priv-over-cap", system, login, &cap,
	    cause) != 0) || (outside && priv_exception(run,
	    "priv-outside-hours", system, login, &hours, cause) != 0))
		return -1;
	if (min == 0 || (over && cap == 0)) {
		if (min == 0)
			xasprintf(cause, _("priv.request: minutes must be 1 "
			    "to %d, the cap of the policy on %s (%s given)"),
			    p.priv_cap_minutes, system, v);
		else
			xasprintf(cause, _("priv.request: minutes must be 1 "
			    "to %d, the cap of the policy on %s (%s given); no "
			    "exception in force lifts priv-over-cap for this "
			    "ID"), p.priv_cap_minutes, system, v);
		return -1;
	}
	if (outside && hours == 0) {
		xasprintf(cause, _("priv.request: refused: %s; no exception in "
		    "force lifts priv-outside-hours for this ID"), why);
		return -1;
	}
	if (cap != 0 || hours != 0)
		priv_exception_arg(run, cap, hours);
	xasprintf(&run->subject, "id:%s/%s", system, login);
	return 0;
}

static int
priv_request_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	const struct store_args	*a = &e->args;
	char			 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "INSERT INTO priv_request (idx, system, login, "
	    "requester, minutes, reason, state) VALUES (?, ?, ?, ?, ?, ?, "
	    "'requested')", cause, 6, idx, store_args_get(a, "system"),
	    store_args_get(a, "login"), e->operator,
	    store_args_get(a, "minutes"), store_args_get(a, "reason"));
}

static const struct core_param priv_request_params[] = {
	CORE_PARAMS_ID,
	{ "minutes", CORE_ARG_REQUIRED, N_("how long, 1 to the policy's "
	    "priv_cap_minutes") },
	{ "reason", CORE_ARG_REQUIRED, N_("why, in the operator's words") },
	{ "exception", CORE_ARG_MADE, N_("the exception in force that "
	    "lifted priv-over-cap or priv-outside-hours, when one did") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_priv_request = {
	.name = "priv.request",
	.summary = N_("Ask for a time-limited privileged ID to be activated"),
	.roles = CORE_ROLE_ADMIN,
	.params = priv_request_params,
	.validate = priv_request_validate,
	.apply = priv_request_apply,
};

/* --- priv.approve, priv.reject --- */

/* Someone other than the one who asked. */
static int
priv_not_requester(const struct core_run *run, const struct priv_req *r,
    char **cause)
{
	if (strcmp(run->actor->operator, r->requester) == 0) {
		xasprintf(cause, _("%s: %s asked for this; the decision is "
		    "another person's"), run->action->name, r->requester);
		return -1;
	}
	return 0;
}

/* Privileged IDs in use (active) on system. */
static int
priv_in_use(struct store *s, const char *system, int64_t *n, char **cause)
{
	struct store_stmt	*st;
	int			 rc;

	if ((st = store_prepare(s, "SELECT count(*) FROM account WHERE "
	    "system = ? AND kind = 'privileged' AND state = 'active'",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	if ((rc = store_step(st, cause)) == STORE_ROW)
		*n = store_col_int(st, 0);
	store_finalize(st);
	return rc == STORE_ROW ? 0 : -1;
}

static int
priv_approve_validate(struct core_run *run, char **cause)
{
	struct priv_req		 r;
	struct core_policy	 p;
	char			 state[16];
	int64_t			 n;
	long long		 exc = 0;

	if (priv_req_arg(run, "requested", &r, cause) != 0 ||
	    priv_not_requester(run, &r, cause) != 0)
		return -1;
	if (core_id_state(run->store, r.system, r.login, state, sizeof state,
	    cause) != 0)
		return -1;
	if (strcmp(state, "dormant") != 0) {
		xasprintf(cause, _("priv.approve: %s on %s is %s now, not "
		    "dormant; reject the request"), r.login, r.system,
		    state[0] != '\0' ? state : "gone");
		return -1;
	}
	if (priv_policy(run->store, r.system, &p, cause) != 0 ||
	    priv_in_use(run->store, r.system, &n, cause) != 0)
		return -1;
	if (p.max_holders > 0 && n + 1 > p.max_holders) {
		if (priv_exception(run, "privileged-over-max", r.system,
		    r.login, &exc, cause) != 0)
			return -1;
		if (exc != 0) {
			priv_exception_arg(run, exc, 0);
			return 0;
		}
		xasprintf(cause, _("priv.approve: %s has %lld privileged "
		    "IDs in use, and the policy allows %d at once; no "
		    "exception in force lifts privileged-over-max for this "
		    "ID"), r.system, (long long)n, p.max_holders);
		return -1;
	}
	return 0;
}

static int
priv_approve_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	const char	*req = store_args_get(&e->args, "request");
	struct priv_req	 r;
	time_t		 t;
	char		 idx[24], start[24], end[24];
	int		 rc;

	if (core_entry_when(e, &t, cause) != 0)
		return -1;
	if ((rc = priv_req_get(s, req, &r, cause)) == -1)
		return -1;
	if (rc == 1 || strcmp(r.state, "requested") != 0) {
		xasprintf(cause, _("priv.approve: request %s is not waiting"),
		    req);
		return -1;
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	snprintf(start, sizeof start, "%lld", (long long)t);
	snprintf(end, sizeof end, "%lld", (long long)t + r.minutes * 60);
	if (core_sql(s, "UPDATE priv_request SET state = 'active', approver = "
	    "?2, decided_idx = ?3, start_at = ?4, end_at = ?5 WHERE idx = ?1",
	    cause, 5, req, e->operator, idx, start, end) != 0 ||
	    core_sql(s, "UPDATE account SET state = 'active', changed_idx = ?3 "
	    "WHERE system = ?1 AND login = ?2", cause, 3, r.system, r.login,
	    idx) != 0 ||
	    core_sql(s, "UPDATE privileged SET active_until = ?3, "
	    "active_request = ?4, changed_idx = ?5 WHERE system = ?1 AND "
	    "login = ?2", cause, 5, r.system, r.login, end, req, idx) != 0)
		return -1;
	return priv_queue(s, e, r.system, r.login, "unlock", cause);
}

static int
priv_reject_validate(struct core_run *run, char **cause)
{
	struct priv_req	 r;
	const char	*reason;

	if (core_arg(run, "reason", &reason, cause) != 0 ||
	    core_text_ok("priv.reject: reason", PRIV_REASON_MAX, reason,
	    cause) != 0)
		return -1;
	if (priv_req_arg(run, "requested", &r, cause) != 0)
		return -1;
	return priv_not_requester(run, &r, cause);
}

static int
priv_reject_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	const char	*req = store_args_get(&e->args, "request");
	struct priv_req	 r;
	char		 idx[24];
	int		 rc;

	if ((rc = priv_req_get(s, req, &r, cause)) == -1)
		return -1;
	if (rc == 1 || strcmp(r.state, "requested") != 0) {
		xasprintf(cause, _("priv.reject: request %s is not waiting"),
		    req);
		return -1;
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "UPDATE priv_request SET state = 'rejected', "
	    "approver = ?2, decided_idx = ?3, note = ?4 WHERE idx = ?1",
	    cause, 4, req, e->operator, idx,
	    store_args_get(&e->args, "reason"));
}

static const struct core_param priv_approve_params[] = {
	{ "request", CORE_ARG_REQUIRED, N_("the request's number (its "
	    "entry)") },
	{ "system", CORE_ARG_MADE, N_("the request's system") },
	{ "login", CORE_ARG_MADE, N_("the request's ID") },
	{ "exception", CORE_ARG_MADE, N_("the exception in force that "
	    "lifted privileged-over-max, when one did") },
	{ NULL, 0, NULL },
};

static const struct core_param priv_reject_params[] = {
	{ "request", CORE_ARG_REQUIRED, N_("the request's number (its "
	    "entry)") },
	{ "reason", CORE_ARG_REQUIRED, N_("why not") },
	{ "system", CORE_ARG_MADE, N_("the request's system") },
	{ "login", CORE_ARG_MADE, N_("the request's ID") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_priv_approve = {
	.name = "priv.approve",
	.summary = N_("Approve a request: the privileged ID is unlocked "
	    "until its time is up"),
	.roles = CORE_ROLE_APPROVER,
	.params = priv_approve_params,
	.validate = priv_approve_validate,
	.apply = priv_approve_apply,
};

const struct core_action core_action_priv_reject = {
	.name = "priv.reject",
	.summary = N_("Refuse a request for a privileged ID, with a reason"),
	.roles = CORE_ROLE_APPROVER | CORE_ROLE_ADMIN,
	.params = priv_reject_params,
	.validate = priv_reject_validate,
	.apply = priv_reject_apply,
};

/* --- priv.end --- */

static int
priv_end_validate(struct core_run *run, char **cause)
{
	struct priv_req	 r;
	const char	*reason;
	int		 sys;

	if (core_arg(run, "reason", &reason, cause) != 0 ||
	    core_text_ok("priv.end: reason", PRIV_REASON_MAX, reason,
	    cause) != 0 || priv_req_arg(run, "active", &r, cause) != 0)
		return -1;
	sys = strcmp(run->actor->operator, STORE_SYSTEM_ACTOR) == 0;
	/* The system ends only what has run out (the sweep). */
	if (sys && (strcmp(reason, "expired") != 0 ||
	    (time_t)r.end_at > time(NULL))) {
		xasprintf(cause, _("priv.end: the system ends an activation "
		    "only when its time is up (reason expired)"));
		return -1;
	}
	return 0;
}

static int
priv_end_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*req = store_args_get(&e->args, "request");
	const char	*reason = store_args_get(&e->args, "reason");
	struct priv_req	 r;
	time_t		 t;
	char		 idx[24], state[16];
	int		 rc, expired;

	if (core_entry_when(e, &t, cause) != 0)
		return -1;
	if ((rc = priv_req_get(s, req, &r, cause)) == -1)
		return -1;
	if (rc == 1 || strcmp(r.state, "active") != 0) {
		xasprintf(cause, _("priv.end: request %s is not active"), req);
		return -1;
	}
	expired = strcmp(reason, "expired") == 0 && (int64_t)t >= r.end_at;
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (core_sql(s, "UPDATE priv_request SET state = ?2, ended_idx = ?3, "
	    "ended_by = ?4, note = ?5 WHERE idx = ?1", cause, 5, req,
	    expired ? "expired" : "ended", idx, e->operator, reason) != 0 ||
	    core_sql(s, "UPDATE privileged SET active_until = NULL, "
	    "active_request = NULL, changed_idx = ?3 WHERE system = ?1 AND "
	    "login = ?2 AND active_request = ?4", cause, 4, r.system, r.login,
	    idx, req) != 0 ||
	    core_id_state(s, r.system, r.login, state, sizeof state,
	    cause) != 0)
		return -1;
	/* Locked or revoked meanwhile (an incident, a leaver): it stays so. */
	if (strcmp(state, "active") != 0)
		return 0;
	if (core_sql(s, "UPDATE account SET state = 'dormant', changed_idx = ?3 "
	    "WHERE system = ?1 AND login = ?2", cause, 3, r.system, r.login,
	    idx) != 0)
		return -1;
	return priv_queue(s, e, r.system, r.login, "lock", cause);
}

static const struct core_param priv_end_params[] = {
	{ "request", CORE_ARG_REQUIRED, N_("the request's number (its "
	    "entry)") },
	{ "reason", CORE_ARG_REQUIRED, N_("why it ends now; the sweep's is "
	    "\"expired\"") },
	{ "system", CORE_ARG_MADE, N_("the request's system") },
	{ "login", CORE_ARG_MADE, N_("the request's ID") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_priv_end = {
	.name = "priv.end",
	.summary = N_("End an activation: the privileged ID is locked again"),
	.roles = CORE_ROLE_ADMIN | CORE_ROLE_APPROVER | CORE_ROLE_SYSTEM,
	.params = priv_end_params,
	.validate = priv_end_validate,
	.apply = priv_end_apply,
};

/* --- priv.describe --- */

int
core_priv_mode_ok(const char *v)
{
	return strcmp(v, "jit") == 0 || strcmp(v, "standing") == 0 ||
	    strcmp(v, "emergency") == 0;
}

int
core_priv_fields_ok(struct core_run *run, char **cause)
{
	const struct store_args	*a = &run->args;
	const char		*act = run->action->name, *v;
	char			 what[48];
	int			 yes;

	if ((v = store_args_get(a, "priv_mode")) == NULL)
		v = store_args_get(a, "mode");
	if (v != NULL && !core_priv_mode_ok(v)) {
		xasprintf(cause, _("%s: the mode is jit (time-limited), "
		    "standing or emergency"), act);
		return -1;
	}
	if ((v = store_args_get(a, "renamed")) != NULL && strcmp(v, "0") != 0 &&
	    strcmp(v, "1") != 0) {
		xasprintf(cause, _("%s: renamed is 1 (the initial name was "
		    "changed) or 0"), act);
		return -1;
	}
	snprintf(what, sizeof what, "%s: rights", act);
	if ((v = store_args_get(a, "rights")) != NULL &&
	    core_text_ok(what, PRIV_TEXT_MAX, v, cause) != 0)
		return -1;
	snprintf(what, sizeof what, "%s: purpose", act);
	if ((v = store_args_get(a, "purpose")) != NULL &&
	    core_text_ok(what, PRIV_TEXT_MAX, v, cause) != 0)
		return -1;
	if ((v = store_args_get(a, "manager")) != NULL) {
		if (core_person_exists(run->store, v, &yes, cause) != 0)
			return -1;
		if (!yes) {
			xasprintf(cause, _("%s: manager %.20s is nobody on "
			    "record; give an employee number"), act, v);
			return -1;
		}
	}
	return 0;
}

static int
priv_describe_validate(struct core_run *run, char **cause)
{
	static const char *const keys[] = { "mode", "rights", "purpose",
	    "manager", "renamed", NULL };
	const char	*system, *login;
	size_t		 i;
	int		 yes, any = 0;

	if (core_arg(run, "system", &system, cause) != 0 ||
	    core_arg(run, "login", &login, cause) != 0)
		return -1;
	if (core_exists(run->store, "SELECT 1 FROM account WHERE system = ? "
	    "AND login = ? AND kind = 'privileged' AND state <> 'revoked'",
	    system, login, &yes, cause) != 0)
		return -1;
	if (!yes) {
		xasprintf(cause, _("priv.describe: no live privileged ID %s on "
		    "%s"), login, system);
		return -1;
	}
	for (i = 0; keys[i] != NULL; i++)
		any |= store_args_get(&run->args, keys[i]) != NULL;
	if (!any) {
		xasprintf(cause, _("priv.describe: give at least one of mode, "
		    "rights, purpose, manager, renamed"));
		return -1;
	}
	if (core_priv_fields_ok(run, cause) != 0)
		return -1;
	if (store_args_get(&run->args, "mode") != NULL && core_exists(
	    run->store, "SELECT 1 FROM priv_request WHERE system = ? AND "
	    "login = ? AND state = 'active'", system, login, &yes,
	    cause) != 0)
		return -1;
	if (store_args_get(&run->args, "mode") != NULL && yes) {
		xasprintf(cause, _("priv.describe: %s on %s is activated by a "
		    "request now; end it before changing the mode"), login,
		    system);
		return -1;
	}
	xasprintf(&run->subject, "id:%s/%s", system, login);
	return 0;
}

/*
 * The register row of an ID (made when the ID predates the register,
 * standing then, as it was), and the mode's consequence: jit makes an
 * active ID dormant (locked on its system), another mode a dormant one
 * active.
 */
static int
priv_describe_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	const struct store_args	*a = &e->args;
	const char		*system = store_args_get(a, "system");
	const char		*login = store_args_get(a, "login");
	const char		*mode = store_args_get(a, "mode");
	char			 idx[24], state[16];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (core_sql(s, "INSERT OR IGNORE INTO privileged (system, login, "
	    "mode, changed_idx) VALUES (?, ?, 'standing', ?)", cause, 3,
	    system, login, idx) != 0 ||
	    core_sql(s, "UPDATE privileged SET mode = coalesce(?3, mode), "
	    "rights = coalesce(?4, rights), purpose = coalesce(?5, purpose), "
	    "manager = coalesce(?6, manager), renamed = coalesce(?7, renamed), "
	    "changed_idx = ?8 WHERE system = ?1 AND login = ?2", cause, 8,
	    system, login, mode, store_args_get(a, "rights"),
	    store_args_get(a, "purpose"), store_args_get(a, "manager"),
	    store_args_get(a, "renamed"), idx) != 0 ||
	    core_id_state(s, system, login, state, sizeof state, cause) != 0)
		return -1;
	if (mode == NULL)
		return 0;
	if (strcmp(mode, "jit") == 0 && strcmp(state, "active") == 0) {
		if (core_sql(s, "UPDATE account SET state = 'dormant', "
		    "changed_idx = ?3 WHERE system = ?1 AND login = ?2", cause,
		    3, system, login, idx) != 0)
			return -1;
		return priv_queue(s, e, system, login, "lock", cause);
	}
	if (strcmp(mode, "jit") != 0 && strcmp(state, "dormant") == 0) {
		if (core_sql(s, "UPDATE account SET state = 'active', "
		    "changed_idx = ?3 WHERE system = ?1 AND login = ?2", cause,
		    3, system, login, idx) != 0)
			return -1;
		return priv_queue(s, e, system, login, "unlock", cause);
	}
	return 0;
}

static const struct core_param priv_describe_params[] = {
	CORE_PARAMS_ID,
	{ "mode", 0, N_("jit (time-limited: dormant until a request is "
	    "approved), standing or emergency") },
	{ "rights", 0, N_("the scope of its rights") },
	{ "purpose", 0, N_("what it is for") },
	{ "manager", 0, N_("the responsible manager (employee number)") },
	{ "renamed", 0, N_("1 when the system's initial name was changed") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_priv_describe = {
	.name = "priv.describe",
	.summary = N_("Change a privileged ID's register entry (mode, "
	    "rights, purpose, manager, renamed)"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = priv_describe_params,
	.validate = priv_describe_validate,
	.apply = priv_describe_apply,
};

/* --- the sweep --- */

int
core_priv_sweep(struct store *s, time_t now, size_t *ended, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct store_args	 args;
	struct store_stmt	*st;
	char			 (*due)[24] = NULL;
	size_t			 n = 0, cap = 0, i;
	int			 rc;

	*ended = 0;
	if ((st = store_prepare(s, "SELECT idx FROM priv_request WHERE "
	    "state = 'active' AND end_at <= ? ORDER BY end_at, idx", cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)now);
	while ((rc = store_step(st, cause)) == STORE_ROW) {
		due = xgrow(due, &cap, n + 1, sizeof *due);
		snprintf(due[n++], sizeof *due, "%lld",
		    (long long)store_col_int(st, 0));
	}
	store_finalize(st);
	if (rc == -1 || n == 0) {
		free(due);
		return rc == -1 ? -1 : 0;
	}
	if (store_epoch_age(s) >= CORE_ROTATE_SECONDS &&
	    core_rotate(s, &sys, cause) != 0)
		goto fail_free;
	if (core_begin(s, cause) != 0)
		goto fail_free;
	for (i = 0; i < n; i++) {
		memset(&args, 0, sizeof args);
		store_args_add(&args, "request", due[i]);
		store_args_add(&args, "reason", "expired");
		if (core_run(s, "priv.end", &sys, &args, NULL, cause) != 0) {
			core_rollback(s);
			goto fail_free;
		}
	}
	if (core_commit(s, cause) != 0)
		goto fail_free;
	*ended = n;
	free(due);
	return 0;
fail_free:
	free(due);
	return -1;
}
