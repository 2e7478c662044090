/*
 * action-exception.c -- exceptions to policy (例外措置):
 * exception.request, .approve, .reject, .emergency, .report, .end and
 * .expire.
 *
 * An admin asks for an exception to one rule (a findings rule, or a
 * refusal: exception.c's tables) for a scope of IDs, a system or a
 * person's IDs, over a period, with a reason; an approver other than
 * the requester approves or rejects it, with a comment (the conditions).
 * In an emergency an admin applies one alone, at once; it must then be
 * reported to an approver other than themselves within the policy's
 * exception_report_days.  It ends early (exception.end) or when its
 * period is over (exception.expire, by the sweep).  The exception's
 * number is its request's (or emergency's) entry index.
 *
 * Times a person gives are read in validate (YYYY-MM-DD in the policy's
 * timezone, or RFC 3339 UTC) and recorded as made arguments in unix
 * seconds, so apply depends on the entry alone.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

#define EXC_TEXT_MAX	1000		/* bytes of a reason, measure, ... */
#define EXC_DAYS_MAX	366		/* the longest period */

/* --- the scope --- */

/* validate: each item names something on record. */
static int
exc_item_exists(void *arg, const struct core_exc_item *it, char **cause)
{
	struct core_run	*run = arg;
	const char	*act = run->action->name;
	int		 yes;

	if (it->person[0] != '\0') {
		if (core_person_exists(run->store, it->person, &yes,
		    cause) != 0)
			return -1;
		if (!yes)
			xasprintf(cause, _("%s: scope person:%s: nobody on "
			    "record has that employee number"), act,
			    it->person);
	} else if (it->login[0] != '\0') {
		if (core_exists(run->store, "SELECT 1 FROM account WHERE "
		    "system = ? AND login = ? AND state <> 'revoked'",
		    it->system, it->login, &yes, cause) != 0)
			return -1;
		if (!yes)
			xasprintf(cause, _("%s: scope id:%s:%s: no live ID "
			    "%s on %s"), act, it->system, it->login, it->login,
			    it->system);
	} else {
		if (core_exists(run->store, "SELECT 1 FROM system WHERE "
		    "name = ?", it->system, NULL, &yes, cause) != 0)
			return -1;
		if (!yes)
			xasprintf(cause, _("%s: scope system:%s: no such "
			    "system"), act, it->system);
	}
	return yes ? 0 : -1;
}

/* apply: the item's row. */
struct exc_put {
	struct store	*s;
	const char	*idx;
};

static int
exc_item_put(void *arg, const struct core_exc_item *it, char **cause)
{
	struct exc_put	*x = arg;

	return core_sql(x->s, "INSERT OR IGNORE INTO exception_scope "
	    "(exception, system, login, person) VALUES (?, ?, ?, ?)", cause,
	    4, x->idx, it->system, it->login, it->person);
}

/* --- one exception as validate and apply need it --- */

struct exc_row {
	char	 kind[12];
	char	 state[12];
	char	 rule[40];
	char	 requester[64];
	int64_t	 end_at;
	int	 reported;
};

/* Exception idx into *x: 0, 1 when none, -1. */
static int
exc_get(struct store *s, const char *idx, struct exc_row *x, char **cause)
{
	struct store_stmt	*st;
	int			 rc;

	memset(x, 0, sizeof *x);
	if ((st = store_prepare(s, "SELECT kind, state, rule, requester, "
	    "end_at, reported_idx IS NOT NULL FROM exception WHERE idx = ?",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, idx);
	if ((rc = store_step(st, cause)) == STORE_ROW) {
		snprintf(x->kind, sizeof x->kind, "%s", store_col_text(st, 0));
		snprintf(x->state, sizeof x->state, "%s",
		    store_col_text(st, 1));
		snprintf(x->rule, sizeof x->rule, "%s", store_col_text(st, 2));
		snprintf(x->requester, sizeof x->requester, "%s",
		    store_col_text(st, 3));
		x->end_at = store_col_int(st, 4);
		x->reported = (int)store_col_int(st, 5);
	}
	store_finalize(st);
	if (rc == -1)
		return -1;
	return rc == STORE_ROW ? 0 : 1;
}

/* Whether state is one of the space-separated words of list. */
static int
exc_state_in(const char *state, const char *list)
{
	size_t	 n = strlen(state);
	const char *p;

	for (p = list; (p = strstr(p, state)) != NULL; p += n) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' ||
		    p[n] == '\0'))
			return 1;
	}
	return 0;
}

/*
 * The exception run's "exception" argument names, in one of the states
 * of list: the run's subject is set.  0, or -1 with *cause.
 */
static int
exc_arg(struct core_run *run, const char *list, struct exc_row *x,
    char **cause)
{
	const char	*act = run->action->name, *v, *errstr;
	long long	 n;
	int		 rc;

	if (core_arg(run, "exception", &v, cause) != 0)
		return -1;
	if (number_parse(v, 1, INT64_MAX, &n, &errstr) != 0) {
		xasprintf(cause, _("%s: exception is %s (give its number, as "
		    "daicho exception list shows it)"), act, _(errstr));
		return -1;
	}
	if ((rc = exc_get(run->store, v, x, cause)) == -1)
		return -1;
	if (rc == 1) {
		xasprintf(cause, _("%s: there is no exception %s"), act, v);
		return -1;
	}
	if (!exc_state_in(x->state, list)) {
		xasprintf(cause, _("%s: exception %s (%s) is %s; this needs it "
		    "%s"), act, v, x->rule, x->state, list);
		return -1;
	}
	xasprintf(&run->subject, "exception:%s", v);
	return 0;
}

/* Someone other than the one who asked for it (or applied it). */
static int
exc_not_requester(const struct core_run *run, const struct exc_row *x,
    const char *what, char **cause)
{
	if (strcmp(run->actor->operator, x->requester) == 0) {
		if (strcmp(x->kind, "emergency") == 0)
			xasprintf(cause, _("%s: %s applied this exception; "
			    "%s is another person's"), run->action->name,
			    x->requester, _(what));
		else
			xasprintf(cause, _("%s: %s asked for this exception; "
			    "%s is another person's"), run->action->name,
			    x->requester, _(what));
		return -1;
	}
	return 0;
}

/* Optional text argument name of run, checked when given. */
static int
exc_text(struct core_run *run, const char *name, int required, char **cause)
{
	const char	*v = store_args_get(&run->args, name);
	char		 what[64];

	if (v == NULL && required)
		return core_arg(run, name, &v, cause);
	snprintf(what, sizeof what, "%s: %s", run->action->name, name);
	return v == NULL ? 0 : core_text_ok(what, EXC_TEXT_MAX, v, cause);
}

/* --- exception.request, exception.emergency --- */

/* The period: start (now when emergency and not given) and end, into
 * the made arguments start_at and end_at. */
static int
exc_period(struct core_run *run, int emergency, const char *zone,
    char **cause)
{
	const char	*act = run->action->name, *sv, *ev;
	time_t		 now = time(NULL), start, end;
	char		 buf[24];

	sv = store_args_get(&run->args, "start");
	if ((sv == NULL && !emergency && core_arg(run, "start", &sv,
	    cause) != 0) || core_arg(run, "end", &ev, cause) != 0)
		return -1;
	if (sv == NULL)
		start = now;
	else if (core_exc_day(sv, zone, 0, &start) != 0) {
		xasprintf(cause, _("%s: start \"%.40s\" is not a day "
		    "(YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SSZ)"), act,
		    sv);
		return -1;
	}
	if (core_exc_day(ev, zone, 1, &end) != 0) {
		xasprintf(cause, _("%s: end \"%.40s\" is not a day "
		    "(YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SSZ)"), act,
		    ev);
		return -1;
	}
	if (end <= start) {
		xasprintf(cause, _("%s: the period ends before it starts "
		    "(%s to %s)"), act, sv != NULL ? sv : _("now"), ev);
		return -1;
	}
	if (end - start > (time_t)EXC_DAYS_MAX * 86400) {
		xasprintf(cause, _("%s: the period is longer than %d days, the "
		    "most an exception may run; ask again when it ends"), act,
		    EXC_DAYS_MAX);
		return -1;
	}
	if (end <= now) {
		xasprintf(cause, _("%s: the period ended already (%s)"), act,
		    ev);
		return -1;
	}
	if (emergency && start > now) {
		xasprintf(cause, _("%s: an emergency exception is in force at "
		    "once; its start cannot be later than now"), act);
		return -1;
	}
	snprintf(buf, sizeof buf, "%lld", (long long)start);
	store_args_add(&run->args, "start_at", core_run_keep(run,
	    xstrdup(buf)));
	snprintf(buf, sizeof buf, "%lld", (long long)end);
	store_args_add(&run->args, "end_at", core_run_keep(run, xstrdup(buf)));
	return 0;
}

static int
exc_new_validate(struct core_run *run, int emergency, char **cause)
{
	const char	*act = run->action->name, *rule, *scope;
	char		 zone[CORE_POLICY_TEXT], what[64], buf[24], *why = NULL;
	int		 days;

	if (core_arg(run, "rule", &rule, cause) != 0 ||
	    core_arg(run, "scope", &scope, cause) != 0 ||
	    exc_text(run, "reason", 1, cause) != 0 ||
	    exc_text(run, "measure", 0, cause) != 0 ||
	    exc_text(run, "alternative", 0, cause) != 0 ||
	    exc_text(run, "risk", 0, cause) != 0)
		return -1;
	if (core_exception_rule_ok(rule, &why) != 0) {
		xasprintf(cause, "%s: %s", act, why);
		free(why);
		return -1;
	}
	snprintf(what, sizeof what, "%s: scope", act);
	if (core_text_ok(what, EXC_TEXT_MAX, scope, cause) != 0 ||
	    core_exc_scope_each(act, scope, exc_item_exists, run, cause) != 0)
		return -1;
	if (core_exc_policy(run->store, zone, sizeof zone, &days, cause) != 0 ||
	    exc_period(run, emergency, zone, cause) != 0)
		return -1;
	if (emergency) {
		snprintf(buf, sizeof buf, "%d", days);
		store_args_add(&run->args, "report_days", core_run_keep(run,
		    xstrdup(buf)));
	}
	xasprintf(&run->subject, "rule:%s", rule);
	return 0;
}

static int
exc_request_validate(struct core_run *run, char **cause)
{
	return exc_new_validate(run, 0, cause);
}

static int
exc_emergency_validate(struct core_run *run, char **cause)
{
	return exc_new_validate(run, 1, cause);
}

static int
exc_new_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	const char		*days = store_args_get(a, "report_days");
	const char		*errstr;
	struct exc_put		 put;
	char			 idx[24], when[24], due[24];
	long long		 d;
	time_t			 t;

	if (core_entry_when(e, &t, cause) != 0)
		return -1;
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	snprintf(when, sizeof when, "%lld", (long long)t);
	if (days != NULL) {
		if (number_parse(days, 1, 366, &d, &errstr) != 0) {
			xasprintf(cause, _("%s: report_days is %s"), e->action,
			    _(errstr));
			return -1;
		}
		snprintf(due, sizeof due, "%lld", (long long)t + d * 86400);
	}
	if (core_sql(s, "INSERT INTO exception (idx, kind, rule, scope, "
	    "reason, measure, alternative, risk, start_at, end_at, requester, "
	    "state, report_due, requested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8, ?9, ?10, ?11, CASE ?2 WHEN 'emergency' THEN 'emergency' "
	    "ELSE 'requested' END, ?12, ?13)", cause, 13, idx,
	    days != NULL ? "emergency" : "planned", store_args_get(a, "rule"),
	    store_args_get(a, "scope"), store_args_get(a, "reason"),
	    store_args_get(a, "measure"), store_args_get(a, "alternative"),
	    store_args_get(a, "risk"), store_args_get(a, "start_at"),
	    store_args_get(a, "end_at"), e->operator, days != NULL ? due : NULL,
	    when) != 0)
		return -1;
	put.s = s;
	put.idx = idx;
	return core_exc_scope_each(e->action, store_args_get(a, "scope"),
	    exc_item_put, &put, cause);
}

#define EXC_NEW_PARAMS(start)						\
	{ "rule", CORE_ARG_REQUIRED, N_("the findings rule or "		\
	    "refusal it lifts (daicho(8) lists them)") },		\
	{ "scope", CORE_ARG_REQUIRED, N_("what it covers, "		\
	    "comma-separated: id:SYSTEM:LOGIN, system:SYSTEM, "		\
	    "person:EMPLOYEE_NO") },					\
	{ "reason", CORE_ARG_REQUIRED, N_("why the rule cannot be "	\
	    "kept") },							\
	{ "start", (start), N_("its first day (YYYY-MM-DD, in the "	\
	    "policy's timezone) or a UTC time (YYYY-MM-DDTHH:MM:SSZ)") }, \
	{ "end", CORE_ARG_REQUIRED, N_("its last day (it ends at "	\
	    "the end of it), or a UTC time; at most 366 days after "	\
	    "the start") },						\
	{ "measure", 0, N_("what is done instead of keeping the rule") }, \
	{ "alternative", 0, N_("the compensating control") },		\
	{ "risk", 0, N_("the risk accepted") },				\
	{ "start_at", CORE_ARG_MADE, N_("the start, unix seconds") },	\
	{ "end_at", CORE_ARG_MADE, N_("the end (exclusive), unix seconds") }

static const struct core_param exc_request_params[] = {
	EXC_NEW_PARAMS(CORE_ARG_REQUIRED),
	{ NULL, 0, NULL },
};

static const struct core_param exc_emergency_params[] = {
	EXC_NEW_PARAMS(0),
	{ "report_days", CORE_ARG_MADE, N_("the policy's "
	    "exception_report_days then: the report is due that many days "
	    "after the entry") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_exception_request = {
	.name = "exception.request",
	.summary = N_("Ask for an exception to a rule, for a scope and a "
	    "period (an approver decides)"),
	.roles = CORE_ROLE_ADMIN,
	.params = exc_request_params,
	.validate = exc_request_validate,
	.apply = exc_new_apply,
};

const struct core_action core_action_exception_emergency = {
	.name = "exception.emergency",
	.summary = N_("Apply an exception at once, alone, in an emergency "
	    "(to be reported to an approver within exception_report_days)"),
	.roles = CORE_ROLE_ADMIN,
	.params = exc_emergency_params,
	.validate = exc_emergency_validate,
	.apply = exc_new_apply,
};

/* --- exception.approve, exception.reject --- */

static int
exc_decide_validate(struct core_run *run, char **cause)
{
	struct exc_row	 x;

	if (exc_text(run, "comment", 1, cause) != 0 ||
	    exc_arg(run, "requested", &x, cause) != 0 ||
	    exc_not_requester(run, &x, N_("the decision"), cause) != 0)
		return -1;
	if (strcmp(run->action->name, "exception.approve") == 0 &&
	    x.end_at <= (int64_t)time(NULL)) {
		xasprintf(cause, _("exception.approve: its period is over; "
		    "reject it, and ask again"));
		return -1;
	}
	return 0;
}

static int
exc_decide_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*n = store_args_get(&e->args, "exception");
	struct exc_row	 x;
	time_t		 t;
	char		 idx[24], when[24];
	int		 rc;

	if (core_entry_when(e, &t, cause) != 0)
		return -1;
	if ((rc = exc_get(s, n, &x, cause)) == -1)
		return -1;
	if (rc == 1 || strcmp(x.state, "requested") != 0) {
		xasprintf(cause, _("%s: exception %s is not waiting"),
		    e->action, n);
		return -1;
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	snprintf(when, sizeof when, "%lld", (long long)t);
	return core_sql(s, "UPDATE exception SET state = ?2, approver = ?3, "
	    "decided_idx = ?4, decided_at = ?5, comment = ?6 WHERE idx = ?1",
	    cause, 6, n, strcmp(e->action, "exception.approve") == 0 ?
	    "approved" : "rejected", e->operator, idx, when,
	    store_args_get(&e->args, "comment"));
}

static const struct core_param exc_approve_params[] = {
	{ "exception", CORE_ARG_REQUIRED, N_("its number (its request's "
	    "entry)") },
	{ "comment", CORE_ARG_REQUIRED, N_("the conditions of the approval") },
	{ NULL, 0, NULL },
};

static const struct core_param exc_reject_params[] = {
	{ "exception", CORE_ARG_REQUIRED, N_("its number (its request's "
	    "entry)") },
	{ "comment", CORE_ARG_REQUIRED, N_("why not") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_exception_approve = {
	.name = "exception.approve",
	.summary = N_("Approve a requested exception, with its conditions "
	    "(not the requester)"),
	.roles = CORE_ROLE_APPROVER,
	.params = exc_approve_params,
	.validate = exc_decide_validate,
	.apply = exc_decide_apply,
};

const struct core_action core_action_exception_reject = {
	.name = "exception.reject",
	.summary = N_("Refuse a requested exception, saying why (not the "
	    "requester)"),
	.roles = CORE_ROLE_APPROVER,
	.params = exc_reject_params,
	.validate = exc_decide_validate,
	.apply = exc_decide_apply,
};

/* --- exception.report --- */

static int
exc_report_validate(struct core_run *run, char **cause)
{
	struct exc_row	 x;

	if (exc_text(run, "report", 1, cause) != 0 ||
	    exc_arg(run, "emergency ended expired", &x, cause) != 0)
		return -1;
	if (strcmp(x.kind, "emergency") != 0 || x.reported) {
		xasprintf(cause, _("exception.report: exception %s is %s; only "
		    "an emergency one not yet reported is reported"),
		    store_args_get(&run->args, "exception"),
		    x.reported ? _("reported already") :
		    _("not an emergency one"));
		return -1;
	}
	return exc_not_requester(run, &x, N_("taking the report"),
	    cause);
}

static int
exc_report_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*n = store_args_get(&e->args, "exception");
	struct exc_row	 x;
	time_t		 t;
	char		 idx[24], when[24];
	int		 rc;

	if (core_entry_when(e, &t, cause) != 0)
		return -1;
	if ((rc = exc_get(s, n, &x, cause)) == -1)
		return -1;
	if (rc == 1 || strcmp(x.kind, "emergency") != 0 || x.reported) {
		xasprintf(cause, _("exception.report: exception %s is not an "
		    "emergency awaiting its report"), n);
		return -1;
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	snprintf(when, sizeof when, "%lld", (long long)t);
	return core_sql(s, "UPDATE exception SET state = CASE state WHEN "
	    "'emergency' THEN 'reported' ELSE state END, approver = ?2, "
	    "decided_idx = ?3, decided_at = ?4, reported_idx = ?3, "
	    "reported_at = ?4, report = ?5 WHERE idx = ?1", cause, 5, n,
	    e->operator, idx, when, store_args_get(&e->args, "report"));
}

static const struct core_param exc_report_params[] = {
	{ "exception", CORE_ARG_REQUIRED, N_("its number (its emergency "
	    "entry)") },
	{ "report", CORE_ARG_REQUIRED, N_("what was done and why, as "
	    "reported") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_exception_report = {
	.name = "exception.report",
	.summary = N_("Take the report of an emergency exception (an "
	    "approver, not the one who applied it)"),
	.roles = CORE_ROLE_APPROVER,
	.params = exc_report_params,
	.validate = exc_report_validate,
	.apply = exc_report_apply,
};

/* --- exception.end, exception.expire --- */

static int
exc_end_validate(struct core_run *run, char **cause)
{
	struct exc_row	 x;

	if (exc_text(run, "reason", 1, cause) != 0)
		return -1;
	return exc_arg(run, "approved emergency reported", &x, cause);
}

static int
exc_expire_validate(struct core_run *run, char **cause)
{
	struct exc_row	 x;

	if (exc_arg(run, "requested approved emergency reported", &x,
	    cause) != 0)
		return -1;
	if (x.end_at > (int64_t)time(NULL)) {
		xasprintf(cause, _("exception.expire: exception %s has not "
		    "ended yet"), store_args_get(&run->args, "exception"));
		return -1;
	}
	return 0;
}

static int
exc_end_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*n = store_args_get(&e->args, "exception");
	int		 expire = strcmp(e->action, "exception.expire") == 0;
	struct exc_row	 x;
	time_t		 t;
	char		 idx[24];
	int		 rc;

	if (core_entry_when(e, &t, cause) != 0)
		return -1;
	if ((rc = exc_get(s, n, &x, cause)) == -1)
		return -1;
	if (rc == 1 || !exc_state_in(x.state, expire ? "requested approved "
	    "emergency reported" : "approved emergency reported") ||
	    (expire && x.end_at > (int64_t)t)) {
		xasprintf(cause, _("%s: exception %s cannot end now"),
		    e->action, n);
		return -1;
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "UPDATE exception SET state = ?2, ended_idx = ?3, "
	    "end_note = ?4 WHERE idx = ?1", cause, 4, n, expire ? "expired" :
	    "ended", idx, expire ? "expired" : store_args_get(&e->args,
	    "reason"));
}

static const struct core_param exc_end_params[] = {
	{ "exception", CORE_ARG_REQUIRED, N_("its number") },
	{ "reason", CORE_ARG_REQUIRED, N_("why it ends now") },
	{ NULL, 0, NULL },
};

static const struct core_param exc_expire_params[] = {
	{ "exception", CORE_ARG_REQUIRED, N_("its number") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_exception_end = {
	.name = "exception.end",
	.summary = N_("End an exception before its period is over"),
	.roles = CORE_ROLE_ADMIN | CORE_ROLE_APPROVER,
	.params = exc_end_params,
	.validate = exc_end_validate,
	.apply = exc_end_apply,
};

const struct core_action core_action_exception_expire = {
	.name = "exception.expire",
	.summary = N_("Expire an exception whose period is over (the sweep)"),
	.roles = CORE_ROLE_SYSTEM,
	.params = exc_expire_params,
	.validate = exc_expire_validate,
	.apply = exc_end_apply,
};
