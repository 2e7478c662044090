/*
 * action-password.c -- the password actions: a password set by its owner
 * (id.set_password), a change forced at next login (id.force_change, one
 * ID or a scope), a privileged password rotated by daicho and revealed to
 * the approver (id.rotate_password), what the sweep saw changed on the
 * target (id.password_seen), and the operator's person record
 * (operator.person), which says whether they are a contractor.
 *
 * No password enters an entry, the state or the outbox: set and rotate
 * queue an operation "password" with arg "", and the process that ran the
 * action hands the password to the target in memory
 * (core_outbox_run_secret).  What the ledger knows is when and by whom
 * the password was set.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

/* The system and login of an ID that is live; its state and type. */
static int
pw_target(struct core_run *run, const char **system, const char **login,
    char *state, size_t len, char **cause)
{
	const char	*act = run->action->name;
	int		 yes;

	if (core_arg(run, "system", system, cause) != 0 ||
	    core_arg(run, "login", login, cause) != 0)
		return -1;
	if (!core_login_name_ok(*login)) {
		xasprintf(cause, _("%s: \"%.40s\" is not a valid login name"),
		    act, *login);
		return -1;
	}
	if (core_id_state(run->store, *system, *login, state, len, cause) != 0)
		return -1;
	if (state[0] == '\0' || strcmp(state, "revoked") == 0) {
		xasprintf(cause, _("%s: no live ID %s on %.40s"), act, *login,
		    *system);
		return -1;
	}
	if (core_exists(run->store, "SELECT 1 FROM system WHERE name = ? AND "
	    "type IN ('exec', 'manual')", *system, NULL, &yes, cause) != 0)
		return -1;
	if (yes) {
		xasprintf(cause, _("%s: %s is an exec or manual system: daicho "
		    "cannot hand it a password (a program's request line or a "
		    "work order would carry it); use the system's own tool"),
		    act, *system);
		return -1;
	}
	xasprintf(&run->subject, "id:%s/%s", *system, *login);
	return 0;
}

static int
set_password_validate(struct core_run *run, char **cause)
{
	const char	*system, *login;
	char		 state[16];

	return pw_target(run, &system, &login, state, sizeof state, cause);
}

/* Queue one operation of this entry on its ID. */
static int
pw_queue(struct store *s, const struct store_entry *e, const char *op,
    char **cause)
{
	char	 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) VALUES (CAST(? AS INTEGER), 0, ?, ?, ?, '')", cause,
	    4, idx, store_args_get(&e->args, "system"), op,
	    store_args_get(&e->args, "login"));
}

/* The entry's time as unix seconds, for the state's columns. */
int
core_entry_when(const struct store_entry *e, time_t *t, char **cause)
{
	if (when_parse_utc(e->time, t) != 0) {
		xasprintf(cause, _("%s: the entry's time \"%.40s\" cannot be "
		    "read"), e->action, e->time);
		return -1;
	}
	return 0;
}

int
core_entry_time(const struct store_entry *e, char *buf, size_t len,
    char **cause)
{
	time_t	 t;

	if (core_entry_when(e, &t, cause) != 0)
		return -1;
	snprintf(buf, len, "%lld", (long long)t);
	return 0;
}

/* Set and rotate: a password daicho set now, no longer temporary. */
static int
set_password_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	char	 idx[24], at[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (core_entry_time(e, at, sizeof at, cause) != 0)
		return -1;
	if (core_sql(s, "UPDATE account SET password_set_at = CAST(?3 AS "
	    "INTEGER), password_set_by = ?4, password_temp_until = NULL, "
	    "must_change = 0, password_unrevealed = 0, password_due = NULL, "
	    "changed_idx = CAST(?5 AS INTEGER) WHERE system = ?1 AND login = "
	    "?2", cause, 5,
	    store_args_get(&e->args, "system"),
	    store_args_get(&e->args, "login"), at, e->operator, idx) != 0)
		return -1;
	return pw_queue(s, e, "password", cause);
}

static const struct core_param set_password_params[] = {
	CORE_PARAMS_ID,
	{ NULL, 0, NULL },
};

const struct core_action core_action_id_set_password = {
	.name = "id.set_password",
	.summary = N_("Set a password its owner typed (the password itself "
	    "goes to the system in memory, never into the ledger)"),
	.roles = CORE_ROLE_ADMIN,
	.params = set_password_params,
	.validate = set_password_validate,
	.apply = set_password_apply,
};

/*
 * id.force_change: one ID (system and login) or every live ID of a scope
 * (as incident.lock's), for a leaked password list: one entry whatever
 * the count.
 */
static int
force_change_validate(struct core_run *run, char **cause)
{
	const char	*scope = store_args_get(&run->args, "scope");
	const char	*system = store_args_get(&run->args, "system");
	const char	*login = store_args_get(&run->args, "login");
	const char	*reason = store_args_get(&run->args, "reason");
	char		 state[16], *c;
	int64_t		 n = 0;

	/* A scope's reason is required: it is why so many change. */
	if (scope != NULL && reason == NULL) {
		xasprintf(cause, _("id.force_change: a scope needs a reason"));
		return -1;
	}
	if (reason != NULL && core_text_ok("id.force_change: reason", 256,
	    reason, cause) != 0)
		return -1;
	if ((scope != NULL) == (system != NULL || login != NULL)) {
		xasprintf(cause, _("id.force_change: give either system and "
		    "login, or a scope (person:N, department:D, system:S, "
		    "contractors, all)"));
		return -1;
	}
	if (scope == NULL)
		return pw_target(run, &system, &login, state, sizeof state,
		    cause);
	if (core_lockout_preview(run->store, scope, &n, cause) != 0) {
		c = *cause;
		xasprintf(cause, _("id.force_change: %s"), c);
		free(c);
		return -1;
	}
	if (n == 0) {
		xasprintf(cause, _("id.force_change: scope %s matches no "
		    "live ID"), scope);
		return -1;
	}
	xasprintf(&run->subject, "scope:%s", scope);
	return 0;
}

static int
force_change_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	const char	*scope = store_args_get(&e->args, "scope");
	const char	*value, *cond;
	char		 idx[24], *sql;
	int		 r;

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (scope == NULL) {
		if (core_sql(s, "UPDATE account SET must_change = 1, "
		    "changed_idx = CAST(?3 AS INTEGER) WHERE system = ?1 AND "
		    "login = ?2", cause, 3, store_args_get(&e->args, "system"),
		    store_args_get(&e->args, "login"), idx) != 0)
			return -1;
		return pw_queue(s, e, "force_change", cause);
	}
	if (core_scope_cond(scope, &value, &cond, cause) != 0)
		return -1;
	xasprintf(&sql, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) SELECT CAST(?2 AS INTEGER), row_number() OVER (ORDER "
	    "BY a.system, a.login), a.system, 'force_change', a.login, '' FROM "
	    "account a WHERE a.state <> 'revoked' AND %s", cond);
	r = core_sql(s, sql, cause, 2, value, idx);
	free(sql);
	if (r != 0)
		return -1;
	xasprintf(&sql, "UPDATE account SET must_change = 1, changed_idx = "
	    "CAST(?2 AS INTEGER) WHERE (system, login) IN (SELECT a.system, "
	    "a.login FROM account a WHERE a.state <> 'revoked' AND %s)", cond);
	r = core_sql(s, sql, cause, 2, value, idx);
	free(sql);
	return r;
}

static const struct core_param force_change_params[] = {
	{ "system", 0, N_("the system (with login), or give scope") },
	{ "login", 0, N_("the ID's login name") },
	{ "scope", 0, N_("person:EMPLOYEE_NO, department:NAME, system:NAME, "
	    "contractors, or all: every live ID in it") },
	{ "reason", 0, N_("why, for the record (a leaked list); required "
	    "with a scope") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_id_force_change = {
	.name = "id.force_change",
	.summary = N_("Force a password change at the next login, of one ID "
	    "or every live ID in a scope"),
	.roles = CORE_ROLE_ADMIN,
	.params = force_change_params,
	.validate = force_change_validate,
	.apply = force_change_apply,
};

/* Whether operator's person record says contractor: 1, 0, or -1. */
static int
pw_operator_contractor(struct store *s, const char *operator, char **cause)
{
	int	 yes;

	if (core_exists(s, "SELECT 1 FROM operator o JOIN person p ON "
	    "p.employee_no = o.person WHERE o.name = ? AND p.employment = "
	    "'contractor'", operator, NULL, &yes, cause) != 0)
		return -1;
	return yes;
}

static int
rotate_validate(struct core_run *run, char **cause)
{
	const char	*system, *login, *seen;
	char		 state[16];
	int		 yes, c;

	if (pw_target(run, &system, &login, state, sizeof state, cause) != 0)
		return -1;
	if (core_exists(run->store, "SELECT 1 FROM account WHERE system = ? "
	    "AND login = ? AND kind = 'privileged'", system, login, &yes,
	    cause) != 0)
		return -1;
	if (!yes) {
		xasprintf(cause, _("id.rotate_password: %s on %s is not a "
		    "privileged ID; its owner sets its password (daicho "
		    "passwd)"), login, system);
		return -1;
	}
	if ((c = pw_operator_contractor(run->store, run->actor->operator,
	    cause)) == -1)
		return -1;
	if (c) {
		xasprintf(cause, _("id.rotate_password: %s is a contractor "
		    "(their person record): a contractor may not change a "
		    "privileged password"), run->actor->operator);
		return -1;
	}
	/* The person the password is revealed to: the approver. */
	seen = run->actor->approver != NULL ? run->actor->approver :
	    run->actor->operator;
	if (store_args_add(&run->args, "seen_by", core_run_keep(run,
	    xstrdup(seen))) != 0) {
		xasprintf(cause, _("id.rotate_password: too many arguments"));
		return -1;
	}
	return 0;
}

static const struct core_param rotate_params[] = {
	CORE_PARAMS_ID,
	{ "seen_by", CORE_ARG_MADE, N_("the approver, to whom the new "
	    "password is revealed once") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_id_rotate_password = {
	.name = "id.rotate_password",
	.summary = N_("Change a privileged ID's password to one daicho "
	    "makes, revealed once to the approver (not by a contractor)"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = rotate_params,
	.validate = rotate_validate,
	.apply = set_password_apply,
};

/*
 * The sweep saw a temporary password changed on the target: the temp
 * mark goes, and the password's age counts from set_at, when the target
 * says it changed.
 */
static int
seen_validate(struct core_run *run, char **cause)
{
	const char	*system, *login, *at, *errstr;
	long long	 n;
	int		 yes;

	if (core_arg(run, "system", &system, cause) != 0 ||
	    core_arg(run, "login", &login, cause) != 0 ||
	    core_arg(run, "set_at", &at, cause) != 0)
		return -1;
	if (number_parse(at, 0, INT64_MAX / 2, &n, &errstr) != 0) {
		xasprintf(cause, _("id.password_seen: set_at is %s"),
		    _(errstr));
		return -1;
	}
	if (core_exists(run->store, "SELECT 1 FROM account WHERE system = ? "
	    "AND login = ? AND password_temp_until IS NOT NULL", system, login,
	    &yes, cause) != 0)
		return -1;
	if (!yes) {
		xasprintf(cause, _("id.password_seen: %s on %s has no "
		    "temporary password"), login, system);
		return -1;
	}
	xasprintf(&run->subject, "id:%s/%s", system, login);
	return 0;
}

static int
seen_apply(struct store *s, const struct store_entry *e, char **cause)
{
	return core_sql(s, "UPDATE account SET password_temp_until = NULL, "
	    "must_change = 0, password_due = NULL, password_set_at = CAST(?3 "
	    "AS INTEGER) WHERE system = ?1 AND login = ?2", cause, 3,
	    store_args_get(&e->args, "system"),
	    store_args_get(&e->args, "login"),
	    store_args_get(&e->args, "set_at"));
}

static const struct core_param seen_params[] = {
	CORE_PARAMS_ID,
	{ "set_at", CORE_ARG_REQUIRED, N_("when the system says the "
	    "password changed (unix seconds)") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_id_password_seen = {
	.name = "id.password_seen",
	.summary = N_("A temporary password was changed on its system in "
	    "time"),
	.roles = CORE_ROLE_SYSTEM,
	.flags = CORE_INTERNAL,
	.params = seen_params,
	.validate = seen_validate,
	.apply = seen_apply,
};

/* operator.person: the operator's person record (employee number). */
static int
op_person_validate(struct core_run *run, char **cause)
{
	const char	*name, *person;
	int		 yes;

	if (core_arg(run, "name", &name, cause) != 0 ||
	    core_arg(run, "person", &person, cause) != 0)
		return -1;
	if (core_exists(run->store, "SELECT 1 FROM operator WHERE name = ? "
	    "AND state = 'active'", name, NULL, &yes, cause) != 0)
		return -1;
	if (!yes) {
		xasprintf(cause, _("operator.person: %.40s is not an active "
		    "operator"), name);
		return -1;
	}
	if (core_person_exists(run->store, person, &yes, cause) != 0)
		return -1;
	if (!yes) {
		xasprintf(cause, _("operator.person: %.20s is nobody on "
		    "record; give the employee number of a person on record"),
		    person);
		return -1;
	}
	xasprintf(&run->subject, "operator:%s", name);
	return 0;
}

static int
op_person_apply(struct store *s, const struct store_entry *e, char **cause)
{
	char	 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "UPDATE operator SET person = ?2, changed_idx = "
	    "CAST(?3 AS INTEGER) WHERE name = ?1", cause, 3,
	    store_args_get(&e->args, "name"),
	    store_args_get(&e->args, "person"), idx);
}

static const struct core_param op_person_params[] = {
	{ "name", CORE_ARG_REQUIRED, N_("the operator") },
	{ "person", CORE_ARG_REQUIRED, N_("the employee number of their "
	    "person record") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_operator_person = {
	.name = "operator.person",
	.summary = N_("Name an operator's person record (a contractor may "
	    "not change privileged passwords)"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = op_person_params,
	.validate = op_person_validate,
	.apply = op_person_apply,
};
