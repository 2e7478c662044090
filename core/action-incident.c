/*
 * action-incident.c -- emergency lockout, its restore, and a lost IC card.
 *
 * incident.lock locks every live ID in a scope at once: one person (all
 * their IDs everywhere, owned or shared), a department, a system, all
 * contractor IDs, or everything except the designated break-glass
 * accounts.  It is one entry, whatever the count, and one operator is
 * enough: speed matters.  Its apply records each ID's prior state and
 * queues a lock for every ID not already locked on its system; the outbox
 * then applies them a batch per system.
 *
 * With end_sessions=1 (recorded in the entry like every argument) each
 * lock row's arg is "end-sessions": the target also ends the account's
 * running sessions, where its configuration allows it (see
 * targets/README.md).  Then IDs locked or suspended before get a lock
 * row too: locking them again changes nothing, but a session opened
 * before their lock may still be running.
 *
 * incident.restore returns each ID exactly to its prior state (an ID that
 * was locked before stays locked; one revoked since stays revoked), and
 * needs two people.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

/*
 * How each scope picks its IDs: a condition on account a, parameter ?1.
 * others: for the preview, the users of a shared ID a that the scope
 * does not cover (another department's, another person), whose work the
 * lockout stops too; NULL where the scope is not about people.
 */
#define SCOPE_USERS	"FROM account_user u JOIN person p ON "		\
	"p.employee_no = u.employee_no WHERE u.system = a.system AND "	\
	"u.login = a.login"
static const struct scope {
	const char	*kind;
	int		 takes_value;
	const char	*cond;
	const char	*others;
} scopes[] = {
	{ "person", 1, "(a.owner = ?1 OR EXISTS (SELECT 1 FROM account_user u "
	    "WHERE u.system = a.system AND u.login = a.login AND "
	    "u.employee_no = ?1))",
	    "(SELECT group_concat(p.employee_no || ' ' || p.department, ', ') "
	    SCOPE_USERS " AND u.employee_no != ?1)" },
	{ "department", 1, "(a.owner IN (SELECT employee_no FROM person WHERE "
	    "department = ?1) OR EXISTS (SELECT 1 FROM account_user u JOIN "
	    "person p ON p.employee_no = u.employee_no WHERE u.system = "
	    "a.system AND u.login = a.login AND p.department = ?1))",
	    "(SELECT group_concat(DISTINCT p.department) " SCOPE_USERS
	    " AND p.department != ?1)" },
	{ "system", 1, "a.system = ?1", NULL },
	{ "contractors", 0, "(a.kind = 'contractor' AND ?1 = ?1)", NULL },
	{ "all", 0, "(a.break_glass = 0 AND ?1 = ?1)", NULL },
	{ NULL, 0, NULL, NULL },
};

/* Split "kind:value" (or "kind") into its scope and value. */
static const struct scope *
scope_parse(const char *text, const char **value, char **cause)
{
	const struct scope	*sc;
	const char		*colon = strchr(text, ':');
	size_t			 n = colon != NULL ? (size_t)(colon - text) :
	    strlen(text);

	for (sc = scopes; sc->kind != NULL; sc++) {
		if (strlen(sc->kind) != n || strncmp(sc->kind, text, n) != 0)
			continue;
		if (sc->takes_value != (colon != NULL && colon[1] != '\0')) {
			if (sc->takes_value)
				xasprintf(cause, _("scope %s needs a value "
				    "(kind:value)"), sc->kind);
			else
				xasprintf(cause, _("scope %s takes no value"),
				    sc->kind);
			return NULL;
		}
		*value = colon != NULL ? colon + 1 : "";
		return sc;
	}
	xasprintf(cause, _("scope \"%.40s\" is not person:N, department:D, "
	    "system:S, contractors or all"), text);
	return NULL;
}

int
core_scope_cond(const char *scope, const char **value, const char **cond,
    char **cause)
{
	const struct scope	*sc;

	if ((sc = scope_parse(scope, value, cause)) == NULL)
		return -1;
	*cond = sc->cond;
	return 0;
}

int
core_lockout_preview(struct store *s, const char *scope, int64_t *count,
    char **cause)
{
	const struct scope	*sc;
	struct store_stmt	*st;
	const char		*value;
	char			*sql;
	int			 r;

	if ((sc = scope_parse(scope, &value, cause)) == NULL)
		return -1;
	xasprintf(&sql, "SELECT count(*) FROM account a WHERE a.state != "
	    "'revoked' AND %s", sc->cond);
	st = store_prepare(s, sql, cause);
	free(sql);
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, value);
	if ((r = store_step(st, cause)) == STORE_ROW)
		*count = store_col_int(st, 0);
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/* One row of the preview's query into l. */
static void
lockout_row(struct store_stmt *st, struct core_lockout_id *l)
{
	const char	*others = store_col_text(st, 5);

	memset(l, 0, sizeof *l);
	snprintf(l->system, sizeof l->system, "%s", store_col_text(st, 0));
	snprintf(l->login, sizeof l->login, "%s", store_col_text(st, 1));
	snprintf(l->kind, sizeof l->kind, "%s", store_col_text(st, 2));
	snprintf(l->state, sizeof l->state, "%s", store_col_text(st, 3));
	snprintf(l->owner, sizeof l->owner, "%s", store_col_text(st, 4));
	snprintf(l->others, sizeof l->others, "%s", others != NULL ? others :
	    "");
	l->exempt = store_col_int(st, 6) != 0;
}

int
core_lockout_ids(struct store *s, const char *scope,
    void (*cb)(void *, const struct core_lockout_id *), void *arg,
    size_t *count, char **cause)
{
	const struct scope	*sc;
	struct core_lockout_id	 l;
	struct store_stmt	*st;
	const char		*value;
	char			*sql;
	int			 r, all;

	*count = 0;
	if ((sc = scope_parse(scope, &value, cause)) == NULL)
		return -1;
	/* "all" spares the break-glass IDs: they are listed as exempt. */
	all = strcmp(sc->kind, "all") == 0;
	xasprintf(&sql, "SELECT a.system, a.login, a.kind, a.state, "
	    "coalesce(a.owner, ''), %s, %s FROM account a WHERE a.state != "
	    "'revoked' AND %s ORDER BY a.system, a.login",
	    sc->others != NULL ? sc->others : "NULL",
	    all ? "a.break_glass" : "0",
	    all ? "?1 = ?1" : sc->cond);
	st = store_prepare(s, sql, cause);
	free(sql);
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, value);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		lockout_row(st, &l);
		cb(arg, &l);
		if (!l.exempt)
			(*count)++;
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

int
core_lockout_exempt(struct store *s, const char *scope, char **names,
    int64_t *count, char **cause)
{
	const struct scope	*sc;
	const char		*value;
	struct store_stmt	*st;
	char			*next;
	int			 r;

	*names = NULL;
	*count = 0;
	if ((sc = scope_parse(scope, &value, cause)) == NULL)
		return -1;
	if (strcmp(sc->kind, "all") != 0)
		return 0;	/* only "all" spares break-glass IDs */
	if ((st = store_prepare(s, "SELECT login, system FROM account WHERE "
	    "state != 'revoked' AND break_glass ORDER BY system, login",
	    cause)) == NULL)
		return -1;
	while ((r = store_step(st, cause)) == STORE_ROW) {
		xasprintf(&next, "%s%s%s on %s", *names != NULL ? *names : "",
		    *names != NULL ? ", " : "", store_col_text(st, 0),
		    store_col_text(st, 1));
		free(*names);
		*names = next;
		(*count)++;
	}
	store_finalize(st);
	if (r == -1) {
		free(*names);
		*names = NULL;
		return -1;
	}
	return 0;
}

static int
incident_lock_validate(struct core_run *run, char **cause)
{
	const char	*scope, *reason, *end;
	int64_t		 n = 0;

	if (core_arg(run, "scope", &scope, cause) != 0 ||
	    core_arg(run, "reason", &reason, cause) != 0 ||
	    core_text_ok("incident.lock: reason", 256, reason, cause) != 0)
		return -1;
	/* Optional: entries from before it was an argument have none. */
	end = store_args_get(&run->args, "end_sessions");
	if (end != NULL && strcmp(end, "0") != 0 && strcmp(end, "1") != 0) {
		xasprintf(cause, _("incident.lock: end_sessions must be 0 "
		    "or 1"));
		return -1;
	}
	if (core_lockout_preview(run->store, scope, &n, cause) != 0) {
		char *c = *cause;

		xasprintf(cause, _("incident.lock: %s"), c);
		free(c);
		return -1;
	}
	if (n == 0) {
		xasprintf(cause, _("incident.lock: scope %s matches no live "
		    "ID"), scope);
		return -1;
	}
	xasprintf(&run->subject, "incident:%s", scope);
	return 0;
}

static int
incident_lock_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	const struct scope	*sc;
	const char		*value, *scope = store_args_get(&e->args,
	    "scope"), *end = store_args_get(&e->args, "end_sessions");
	char			 idx[24], *sql;
	int			 r;

	if (scope == NULL || (sc = scope_parse(scope, &value, cause)) == NULL)
		return -1;
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (core_sql(s, "INSERT INTO incident (idx, scope, reason, state, "
	    "opened) VALUES (?, ?, ?, 'active', ?)", cause, 4, idx, scope,
	    store_args_get(&e->args, "reason"), e->time) != 0)
		return -1;
	/* Who was in what state: restore puts exactly this back. */
	xasprintf(&sql, "INSERT INTO incident_account (incident_idx, system, "
	    "login, prior_state) SELECT CAST(?2 AS INTEGER), a.system, "
	    "a.login, a.state FROM account a WHERE a.state != 'revoked' AND "
	    "%s", sc->cond);
	r = core_sql(s, sql, cause, 2, value, idx);
	free(sql);
	if (r != 0)
		return -1;
	/*
	 * A lock for every ID not locked on its system already; ending
	 * sessions, for every ID in scope.
	 */
	if (end == NULL)
		end = "0";
	if (core_sql(s, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) SELECT incident_idx, row_number() OVER (ORDER BY "
	    "system, login), system, 'lock', login, CASE ?2 WHEN '1' THEN "
	    "'end-sessions' ELSE '' END FROM incident_account WHERE "
	    "incident_idx = CAST(?1 AS INTEGER) AND (prior_state IN "
	    "('active', 'pending') OR (?2 = '1' AND prior_state IN "
	    "('locked', 'suspended', 'dormant', 'expired')))", cause, 2, idx,
	    end) != 0)
		return -1;
	return core_sql(s, "UPDATE account SET state = 'locked', changed_idx = "
	    "CAST(?1 AS INTEGER) WHERE (system, login) IN (SELECT system, "
	    "login FROM incident_account WHERE incident_idx = CAST(?1 AS "
	    "INTEGER))", cause, 1, idx);
}

static const struct core_param incident_lock_params[] = {
	{ "scope", CORE_ARG_REQUIRED, N_("person:EMPLOYEE_NO, "
	    "department:NAME, system:NAME, contractors, or all (all but "
	    "break-glass IDs)") },
	{ "reason", CORE_ARG_REQUIRED, N_("why, for the record") },
	{ "end_sessions", 0, N_("1 to end the locked accounts' running "
	    "sessions where allowed") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_incident_lock = {
	.name = "incident.lock",
	.summary = N_("Emergency lockout of every ID in a scope"),
	.roles = CORE_ROLE_ADMIN,
	.params = incident_lock_params,
	.validate = incident_lock_validate,
	.apply = incident_lock_apply,
};

static int
incident_restore_validate(struct core_run *run, char **cause)
{
	const char		*inc;
	struct store_stmt	*st;
	char			 state[16] = "";
	int			 r;

	if (core_arg(run, "incident", &inc, cause) != 0)
		return -1;
	if ((st = store_prepare(run->store, "SELECT state FROM incident WHERE "
	    "idx = CAST(? AS INTEGER)", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, inc);
	if ((r = store_step(st, cause)) == STORE_ROW)
		snprintf(state, sizeof state, "%s", store_col_text(st, 0));
	store_finalize(st);
	if (r == -1)
		return -1;
	if (state[0] == '\0') {
		xasprintf(cause, _("incident.restore: no incident %.24s"), inc);
		return -1;
	}
	if (strcmp(state, "active") != 0) {
		xasprintf(cause, _("incident.restore: incident %.24s is %s; "
		    "only an active incident is restored, and only once"), inc,
		    state);
		return -1;
	}
	xasprintf(&run->subject, "incident:%s", inc);
	return 0;
}

/* Whether t's ID is time-limited privileged with no activation running. */
#define INCIDENT_JIT_IDLE(t)						\
	"EXISTS (SELECT 1 FROM privileged p WHERE p.system = " t ".system "	\
	"AND p.login = " t ".login AND p.mode = 'jit' AND "		\
	"p.active_request IS NULL)"

static int
incident_restore_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	const char	*inc = store_args_get(&e->args, "incident");
	char		 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	/*
	 * Unlock on the system what was live before and is still locked;
	 * but a time-limited privileged ID whose activation ended meanwhile
	 * (the sweep ends it even while an incident holds it) goes back to
	 * dormant, locked: an incident never reopens privileged access.
	 */
	if (core_sql(s, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) SELECT CAST(?2 AS INTEGER), row_number() OVER (ORDER "
	    "BY i.system, i.login), i.system, 'unlock', i.login, '' FROM "
	    "incident_account i JOIN account a ON a.system = i.system AND "
	    "a.login = i.login WHERE i.incident_idx = CAST(?1 AS INTEGER) AND "
	    "i.prior_state IN ('active', 'pending') AND a.state = 'locked' "
	    "AND NOT " INCIDENT_JIT_IDLE("i"), cause, 2, inc, idx) != 0)
		return -1;
	if (core_sql(s, "UPDATE account SET state = (SELECT CASE WHEN "
	    "i.prior_state = 'active' AND " INCIDENT_JIT_IDLE("i") " THEN "
	    "'dormant' ELSE i.prior_state END FROM "
	    "incident_account i WHERE i.incident_idx = CAST(?1 AS INTEGER) "
	    "AND i.system = account.system AND i.login = account.login), "
	    "changed_idx = CAST(?2 AS INTEGER) WHERE state = 'locked' AND "
	    "(system, login) IN (SELECT system, login FROM incident_account "
	    "WHERE incident_idx = CAST(?1 AS INTEGER))", cause, 2, inc,
	    idx) != 0)
		return -1;
	return core_sql(s, "UPDATE incident SET state = 'restored', "
	    "restored_idx = CAST(?2 AS INTEGER) WHERE idx = CAST(?1 AS "
	    "INTEGER)", cause, 2, inc, idx);
}

static const struct core_param incident_restore_params[] = {
	{ "incident", CORE_ARG_REQUIRED, N_("the index of the incident.lock "
	    "entry") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_incident_restore = {
	.name = "incident.restore",
	.summary = N_("Return every ID of an incident to its prior state"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = incident_restore_params,
	.validate = incident_restore_validate,
	.apply = incident_restore_apply,
};

/* A lost IC card: every live ID of the person is suspended at once. */
static int
lost_card_validate(struct core_run *run, char **cause)
{
	const char	*person, *card;
	int64_t		 n = 0;
	char		*scope;
	int		 r;

	if (core_arg(run, "person", &person, cause) != 0 ||
	    core_arg(run, "card", &card, cause) != 0 ||
	    core_text_ok("id.lost_card: card", 64, card, cause) != 0)
		return -1;
	xasprintf(&scope, "person:%s", person);
	r = core_lockout_preview(run->store, scope, &n, cause);
	free(scope);
	if (r != 0)
		return -1;
	if (n == 0) {
		xasprintf(cause, _("id.lost_card: %.20s has no live ID"),
		    person);
		return -1;
	}
	xasprintf(&run->subject, "person:%s", person);
	return 0;
}

static int
lost_card_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*person = store_args_get(&e->args, "person");
	char		 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (core_sql(s, "INSERT INTO lost_card (idx, employee_no, card) "
	    "VALUES (?, ?, ?)", cause, 3, idx, person,
	    store_args_get(&e->args, "card")) != 0)
		return -1;
	if (core_sql(s, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) SELECT CAST(?2 AS INTEGER), row_number() OVER (ORDER "
	    "BY system, login), system, 'lock', login, '' FROM account WHERE "
	    "owner = ?1 AND state IN ('active', 'pending')", cause, 2, person,
	    idx) != 0)
		return -1;
	return core_sql(s, "UPDATE account SET state = 'suspended', "
	    "changed_idx = CAST(?2 AS INTEGER) WHERE owner = ?1 AND state IN "
	    "('active', 'pending')", cause, 2, person, idx);
}

static const struct core_param lost_card_params[] = {
	{ "person", CORE_ARG_REQUIRED, N_("the employee number") },
	{ "card", CORE_ARG_REQUIRED, N_("the card's number or description") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_id_lost_card = {
	.name = "id.lost_card",
	.summary = N_("Suspend every ID of a person whose IC card is lost"),
	.roles = CORE_ROLE_ADMIN,
	.params = lost_card_params,
	.validate = lost_card_validate,
	.apply = lost_card_apply,
};
