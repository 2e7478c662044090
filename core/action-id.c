/*
 * action-id.c -- IDs: the accounts on a system, who owns or uses them, and
 * their life: create, suspend, lock, unlock, revoke, change owner or
 * users, set an end date.
 *
 * The rules of the municipal standard are checked here, not in the
 * console: a personal ID has exactly one owner, and a person at most one
 * personal ID per system; a shared ID lists its users; a contractor ID
 * has a sponsor and an end date, and so does a privileged ID (time-limited
 * privilege).  Each action also queues the operation its target must
 * carry out in the outbox, in the same transaction, so a crash between the
 * ledger and the target loses nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

#define ID_NAME_MAX	255	/* bytes of a display name */

static const char *const id_kinds[] = {
	"personal", "shared", "privileged", "contractor", "service", NULL
};

/* The state an ID is in into state ("" when there is none); 0 or -1. */
int
core_id_state(struct store *s, const char *system, const char *login,
    char *state, size_t len, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	state[0] = '\0';
	if ((st = store_prepare(s, "SELECT state FROM account WHERE "
	    "system = ? AND login = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	if ((r = store_step(st, cause)) == STORE_ROW)
		snprintf(state, len, "%s", store_col_text(st, 0));
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/* The system and login arguments of an ID action, checked. */
static int
id_target(struct core_run *run, const char **system, const char **login,
    char **cause)
{
	int	 yes;

	if (core_arg(run, "system", system, cause) != 0 ||
	    core_arg(run, "login", login, cause) != 0)
		return -1;
	if (!core_login_name_ok(*login)) {
		xasprintf(cause, _("%s: \"%.40s\" is not a valid login name "
		    "(lower-case letters, digits, '_', '.', '-', at most 32, "
		    "no spaces, '/', ':' or control characters, not starting "
		    "with '-')"), run->action->name, *login);
		return -1;
	}
	if (core_exists(run->store, "SELECT 1 FROM system WHERE name = ?",
	    *system, NULL, &yes, cause) != 0)
		return -1;
	if (!yes) {
		xasprintf(cause, _("%s: no system \"%.40s\"; choose one on "
		    "record (the Systems screen lists them)"),
		    run->action->name, *system);
		return -1;
	}
	xasprintf(&run->subject, "id:%s/%s", *system, *login);
	return 0;
}

/* Each comma-separated employee number names a person. */
static int
users_ok(struct core_run *run, const char *users, char **cause)
{
	char	*copy, *p, *save;
	int	 yes, n = 0, r = 0;

	copy = xstrdup(users);
	for (p = strtok_r(copy, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if (core_person_exists(run->store, p, &yes, cause) != 0) {
			r = -1;
			break;
		}
		if (!yes) {
			xasprintf(cause, _("%s: user %.20s is nobody on "
			    "record; give the employee number of a person "
			    "on record"), run->action->name, p);
			r = -1;
			break;
		}
		n++;
	}
	free(copy);
	if (r == 0 && n == 0) {
		xasprintf(cause, _("%s: a shared ID must list its users"),
		    run->action->name);
		r = -1;
	}
	return r;
}

/*
 * No ID is issued to a person who has left: retired, or a leaver whose
 * day has come (the import has said so, the sweep may not have run).
 */
static int
id_owner_left(struct store *s, const char *owner, char **cause)
{
	struct store_stmt	*st;
	char			 today[11];
	int			 r;

	core_today(today);
	if ((st = store_prepare(s, "SELECT p.status, (SELECT min(effective) "
	    "FROM hr_event e WHERE e.employee_no = p.employee_no AND e.kind = "
	    "'leaver' AND e.state <> 'cancelled' AND e.effective <= ?2) FROM "
	    "person p WHERE p.employee_no = ?1", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, owner);
	store_bind_text(st, 2, today);
	if ((r = store_step(st, cause)) == STORE_ROW &&
	    (strcmp(store_col_text(st, 0), "retired") == 0 ||
	    !store_col_isnull(st, 1))) {
		xasprintf(cause, _("id.create: %.20s has left (%s): no ID is "
		    "issued to a person who has left"), owner,
		    store_col_isnull(st, 1) ? _("status retired") :
		    store_col_text(st, 1));
		r = -1;
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/* The register's arguments: only for a privileged ID, and good ones. */
static int
id_priv_args(struct core_run *run, const char *kind, char **cause)
{
	static const char *const keys[] = { "priv_mode", "rights", "purpose",
	    "manager", "renamed", NULL };
	size_t	 i;

	if (strcmp(kind, "privileged") == 0)
		return core_priv_fields_ok(run, cause);
	for (i = 0; keys[i] != NULL; i++) {
		if (store_args_get(&run->args, keys[i]) != NULL) {
			xasprintf(cause, _("%s: %s is for a privileged ID "
			    "only"), run->action->name, keys[i]);
			return -1;
		}
	}
	return 0;
}

static int
id_create_validate(struct core_run *run, char **cause)
{
	const char	*act = run->action->name;
	const char	*system, *login, *kind, *owner, *sponsor, *end, *users;
	const char	*st, *name;
	char		 state[16], what[32];
	size_t		 i;
	int		 yes;

	if (id_target(run, &system, &login, cause) != 0 ||
	    core_arg(run, "kind", &kind, cause) != 0)
		return -1;
	if (strcmp(act, "id.adopt") == 0 && (st = store_args_get(&run->args,
	    "state")) != NULL && strcmp(st, "active") != 0 &&
	    strcmp(st, "locked") != 0) {
		xasprintf(cause, _("id.adopt: state must be active or locked "
		    "(as the system shows the account)"));
		return -1;
	}
	for (i = 0; id_kinds[i] != NULL; i++) {
		if (strcmp(id_kinds[i], kind) == 0)
			break;
	}
	if (id_kinds[i] == NULL) {
		xasprintf(cause, _("%s: kind \"%.40s\" is not personal, "
		    "shared, privileged, contractor or service"), act, kind);
		return -1;
	}
	if (core_id_state(run->store, system, login, state, sizeof state,
	    cause) != 0)
		return -1;
	if (state[0] != '\0' && strcmp(state, "revoked") != 0) {
		xasprintf(cause, _("%s: %s already exists on %s (%s); "
		    "choose another login name, or change that ID from its "
		    "detail"), act, login, system, state);
		return -1;
	}
	owner = store_args_get(&run->args, "owner");
	sponsor = store_args_get(&run->args, "sponsor");
	end = store_args_get(&run->args, "end_date");
	users = store_args_get(&run->args, "users");
	/*
	 * The display name goes to the target (GECOS, cn, an exec program's
	 * request line): checked here, before the ledger records anything;
	 * the targets check again.
	 */
	if ((name = store_args_get(&run->args, "name")) != NULL) {
		snprintf(what, sizeof what, "%s: name", act);
		if (core_text_ok(what, ID_NAME_MAX, name, cause) != 0)
			return -1;
	}
	if (end != NULL && !core_date_ok(end)) {
		xasprintf(cause, _("%s: end date must be YYYY-MM-DD"), act);
		return -1;
	}
	if (id_priv_args(run, kind, cause) != 0)
		return -1;
	if (strcmp(kind, "shared") == 0) {
		if (owner != NULL) {
			xasprintf(cause, _("%s: a shared ID has users, "
			    "not an owner"), act);
			return -1;
		}
		if (users == NULL) {
			xasprintf(cause, _("%s: a shared ID must list "
			    "its users"), act);
			return -1;
		}
		return users_ok(run, users, cause);
	}
	if (users != NULL) {
		xasprintf(cause, _("%s: only a shared ID lists users"), act);
		return -1;
	}
	if (strcmp(kind, "service") != 0 && owner == NULL) {
		xasprintf(cause, _("%s: a %s ID must have an owner; give "
		    "the owner's employee number"), act, kind);
		return -1;
	}
	if (owner != NULL) {
		if (core_person_exists(run->store, owner, &yes, cause) != 0)
			return -1;
		if (!yes) {
			xasprintf(cause, _("%s: owner %.20s is nobody on "
			    "record; give the employee number of a person "
			    "on record"), act, owner);
			return -1;
		}
		if (strcmp(act, "id.create") == 0 &&
		    id_owner_left(run->store, owner, cause) != 0)
			return -1;
	}
	if (strcmp(kind, "personal") == 0) {
		if (core_exists(run->store, "SELECT 1 FROM account WHERE "
		    "system = ? AND owner = ? AND kind = 'personal' AND "
		    "state != 'revoked'",
		    system, owner, &yes, cause) != 0)
			return -1;
		if (yes) {
			xasprintf(cause, _("%s: %s already has a personal "
			    "ID on %s; use that one, or revoke it first"),
			    act, owner, system);
			return -1;
		}
	}
	if (strcmp(kind, "contractor") == 0 || strcmp(kind, "privileged") ==
	    0) {
		if (end == NULL) {
			xasprintf(cause, _("%s: a %s ID must have an end "
			    "date; give one (YYYY-MM-DD)"), act, kind);
			return -1;
		}
	}
	if (strcmp(kind, "contractor") == 0) {
		if (sponsor == NULL) {
			xasprintf(cause, _("%s: a contractor ID must have "
			    "a sponsor; give the sponsor's employee number"),
			    act);
			return -1;
		}
		if (core_person_exists(run->store, sponsor, &yes, cause) != 0)
			return -1;
		if (!yes) {
			xasprintf(cause, _("%s: sponsor %.20s is nobody "
			    "on record; give the employee number of a person "
			    "on record"), act, sponsor);
			return -1;
		}
	}
	return 0;
}

/* Queue one target operation for this entry. */
static int
outbox_queue(struct store *s, const struct store_entry *e, int seq,
    const char *op, const char *arg, char **cause)
{
	char	 idx[24], sq[12];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	snprintf(sq, sizeof sq, "%d", seq);
	return core_sql(s, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) VALUES (?, ?, ?, ?, ?, ?)", cause, 6, idx, sq,
	    store_args_get(&e->args, "system"), op,
	    store_args_get(&e->args, "login"), arg != NULL ? arg : "");
}

/* Whether a new ID is a time-limited (jit) privileged one. */
static int
id_create_jit(const struct store_args *a)
{
	const char	*mode = store_args_get(a, "priv_mode");

	return strcmp(store_args_get(a, "kind"), "privileged") == 0 &&
	    (mode == NULL || strcmp(mode, "jit") == 0);
}

/* A new privileged ID's row in the register (特権ID管理台帳). */
static int
id_create_register(struct store *s, const struct store_entry *e,
    const char *idx, char **cause)
{
	const struct store_args	*a = &e->args;
	const char		*mode = store_args_get(a, "priv_mode");
	const char		*renamed = store_args_get(a, "renamed");

	return core_sql(s, "INSERT OR REPLACE INTO privileged (system, login, "
	    "mode, renamed, rights, purpose, manager, changed_idx) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?)", cause, 8, store_args_get(a, "system"),
	    store_args_get(a, "login"), mode != NULL ? mode : "jit",
	    renamed != NULL ? renamed : "0", store_args_get(a, "rights"),
	    store_args_get(a, "purpose"), store_args_get(a, "manager"), idx);
}

/*
 * Record a new ID.  id.create queues the account's creation on its system;
 * id.adopt registers an account the system already has (the remedy for an
 * unregistered account), in the state the system shows, and queues
 * nothing but its end date.
 */
static int
id_create_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	const char		*users = store_args_get(a, "users");
	/*
	 * Entries written before break-glass became its own two-person
	 * action (id.break_glass) may carry it; new ones cannot (the
	 * argument is no longer accepted), but replay honours the old.
	 */
	const char		*bg = store_args_get(a, "break_glass");
	const char		*state = store_args_get(a, "state");
	int			 adopt = strcmp(e->action, "id.adopt") == 0;
	char			 idx[24], *copy, *p, *save;
	int			 r, jit, lock = 0;

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (!adopt || state == NULL)
		state = "active";
	jit = id_create_jit(a);
	if (jit) {
		/* Dormant: locked on its system until a request is approved
		 * (adopted locked, it is so already). */
		lock = strcmp(state, "active") == 0;
		state = "dormant";
	}
	r = core_sql(s, "INSERT OR REPLACE INTO account (system, login, kind, "
	    "owner, sponsor, end_date, break_glass, state, created_idx, "
	    "changed_idx) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
	    cause, 9, store_args_get(a, "system"), store_args_get(a, "login"),
	    store_args_get(a, "kind"), store_args_get(a, "owner"),
	    store_args_get(a, "sponsor"), store_args_get(a, "end_date"),
	    bg != NULL && strcmp(bg, "1") == 0 ? "1" : "0", state, idx);
	if (r != 0)
		return -1;
	if (users != NULL) {
		copy = xstrdup(users);
		for (p = strtok_r(copy, ",", &save); p != NULL && r == 0;
		    p = strtok_r(NULL, ",", &save))
			r = core_sql(s, "INSERT OR IGNORE INTO account_user "
			    "(system, login, employee_no) VALUES (?, ?, ?)",
			    cause, 3, store_args_get(a, "system"),
			    store_args_get(a, "login"), p);
		free(copy);
		if (r != 0)
			return -1;
	}
	if (strcmp(store_args_get(a, "kind"), "privileged") == 0 &&
	    id_create_register(s, e, idx, cause) != 0)
		return -1;
	if (!adopt && outbox_queue(s, e, 0, "create",
	    store_args_get(a, "name"), cause) != 0)
		return -1;
	if (store_args_get(a, "end_date") != NULL &&
	    outbox_queue(s, e, 1, "expire", store_args_get(a, "end_date"),
	    cause) != 0)
		return -1;
	if (lock && outbox_queue(s, e, 2, "lock", NULL, cause) != 0)
		return -1;
	/* The policy's aging, where the system holds it (a unix one). */
	return core_policy_aging_id(s, e, 3, cause);
}

/* What id.create and id.adopt both take. */
#define ID_PARAMS_NEW							\
	{ "system", CORE_ARG_REQUIRED, N_("the system") },		\
	{ "login", CORE_ARG_REQUIRED,					\
	    N_("the login name (POSIX portable, at most 32)") },	\
	{ "kind", CORE_ARG_REQUIRED,					\
	    N_("personal, shared, privileged, contractor or service") }, \
	{ "owner", 0, N_("the owner's employee number (not for a "	\
	    "shared ID)") },						\
	{ "users", 0,							\
	    N_("a shared ID's users: employee numbers, comma-separated") }, \
	{ "sponsor", 0, N_("a contractor ID's sponsor (employee "	\
	    "number)") },						\
	{ "end_date", 0,						\
	    N_("YYYY-MM-DD; required for contractor and privileged IDs") }, \
	{ "name", 0, N_("the display name: UTF-8, no control "		\
	    "characters, at most 255 bytes") },				\
	{ "priv_mode", 0, N_("a privileged ID's mode: jit "		\
	    "(time-limited, dormant until a request is approved; "	\
	    "the default), standing or emergency") },			\
	{ "rights", 0, N_("a privileged ID's scope of rights") },	\
	{ "purpose", 0, N_("what a privileged ID is for") },		\
	{ "manager", 0, N_("a privileged ID's responsible manager "	\
	    "(employee number)") },					\
	{ "renamed", 0, N_("1 when a privileged ID's initial name "	\
	    "was changed, else 0") }					\

static const struct core_param id_create_params[] = {
	ID_PARAMS_NEW,
	{ NULL, 0, NULL },
};

static const struct core_param id_adopt_params[] = {
	ID_PARAMS_NEW,
	{ "state", 0, N_("active or locked, as the system shows the account "
	    "(read from the system when not given; another is refused)") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_id_create = {
	.name = "id.create",
	.summary = N_("Issue an ID on a system"),
	.roles = CORE_ROLE_ADMIN | CORE_ROLE_SYSTEM,	/* the system: a
							   birthright ID of
							   an HR event */
	.params = id_create_params,
	.validate = id_create_validate,
	.apply = id_create_apply,
};

/* id.create's rules, then the account as the system really has it. */
static int
id_adopt_validate(struct core_run *run, char **cause)
{
	if (id_create_validate(run, cause) != 0)
		return -1;
	return core_adopt_state(run, cause);
}

const struct core_action core_action_id_adopt = {
	.name = "id.adopt",
	.summary = N_("Register an account a system already has"),
	.roles = CORE_ROLE_ADMIN,
	.params = id_adopt_params,
	.validate = id_adopt_validate,
	.apply = id_create_apply,
};

/*
 * The state changes.  Each names the states it may start from, the state
 * it leaves, and the target operation that makes it true on the system.
 */
struct id_change {
	const char	*action;
	const char	*from;			/* '|'-separated states */
	const char	*to;
	const char	*op;			/* outbox operation */
};

static const struct id_change id_changes[] = {
	{ "id.lock", "active|suspended|pending|dormant", "locked", "lock" },
	{ "id.unlock", "locked", "active", "unlock" },
	{ "id.suspend", "active|pending", "suspended", "lock" },
	{ "id.resume", "suspended", "active", "unlock" },
	{ "id.revoke", "pending|active|suspended|locked|dormant|expired",
	    "revoked",
	    "delete" },
	{ NULL, NULL, NULL, NULL },
};

static const struct id_change *
id_change_find(const char *action)
{
	const struct id_change	*c;

	for (c = id_changes; c->action != NULL; c++) {
		if (strcmp(c->action, action) == 0)
			return c;
	}
	return NULL;
}

static int
state_in(const char *state, const char *list)
{
	size_t	 n = strlen(state);
	const char *p;

	for (p = list; (p = strstr(p, state)) != NULL; p += n) {
		if ((p == list || p[-1] == '|') && (p[n] == '\0' ||
		    p[n] == '|'))
			return 1;
	}
	return 0;
}

/*
 * What to do instead when action cannot start from state: the refusal
 * an operator meets most, so it says the next step.
 */
static const char *
id_change_advice(const char *action, const char *state)
{
	static const struct {
		const char	*action, *state, *advice;
	} advice[] = {
		{ NULL, "revoked", N_("a revoked ID does not change: issue a "
		    "new one if it is needed again") },
		{ "id.lock", "locked", N_("it is already locked: nothing to do "
		    "(unlock it first to lock it again)") },
		{ "id.unlock", "suspended", N_("it is suspended, not locked: "
		    "resume it instead") },
		{ "id.unlock", NULL,
		    N_("it is not locked: nothing to unlock") },
		{ "id.suspend", "suspended", N_("it is already suspended: "
		    "nothing to do") },
		{ "id.suspend", "locked", N_("a locked ID cannot be suspended: "
		    "unlock it first") },
		{ "id.resume", "locked", N_("it is locked, not suspended: "
		    "unlock it instead") },
		{ "id.resume", NULL,
		    N_("it is not suspended: nothing to resume") },
	};
	size_t	 i;

	for (i = 0; i < sizeof advice / sizeof advice[0]; i++) {
		if ((advice[i].action == NULL ||
		    strcmp(advice[i].action, action) == 0) &&
		    (advice[i].state == NULL ||
		    strcmp(advice[i].state, state) == 0))
			return _(advice[i].advice);
	}
	return _("nothing was done");
}

static int
id_change_validate(struct core_run *run, char **cause)
{
	const struct id_change	*c = id_change_find(run->action->name);
	const char		*system, *login;
	char			 state[16];

	if (c == NULL) {
		xasprintf(cause, _("%s is not an ID change"),
		    run->action->name);
		return -1;
	}
	if (id_target(run, &system, &login, cause) != 0)
		return -1;
	if (core_id_state(run->store, system, login, state, sizeof state,
	    cause) != 0)
		return -1;
	if (state[0] == '\0') {
		xasprintf(cause, _("%s: no ID %s on %s"), c->action, login,
		    system);
		return -1;
	}
	if (!state_in(state, c->from)) {
		xasprintf(cause, _("%s: %s on %s is %s; %s"), c->action, login,
		    system, state, id_change_advice(c->action, state));
		return -1;
	}
	return 0;
}

static int
id_change_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct id_change	*c = id_change_find(e->action);
	char			 idx[24], at[24];
	int			 jit;

	if (c == NULL) {
		xasprintf(cause, _("%s is not an ID change"), e->action);
		return -1;
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	/*
	 * A time-limited privileged ID unlocked goes back to dormant: still
	 * locked on its system, until a request is approved.
	 */
	if (strcmp(c->action, "id.unlock") == 0) {
		if (core_exists(s, "SELECT 1 FROM privileged WHERE system = ? "
		    "AND login = ? AND mode = 'jit'",
		    store_args_get(&e->args, "system"),
		    store_args_get(&e->args, "login"), &jit, cause) != 0)
			return -1;
		if (jit)
			return core_sql(s, "UPDATE account SET state = "
			    "'dormant', changed_idx = ?3 WHERE system = ?1 AND "
			    "login = ?2", cause, 3,
			    store_args_get(&e->args, "system"),
			    store_args_get(&e->args, "login"), idx);
	}
	if (core_sql(s, "UPDATE account SET state = ?3, changed_idx = ?4 "
	    "WHERE system = ?1 AND login = ?2", cause, 4,
	    store_args_get(&e->args, "system"),
	    store_args_get(&e->args, "login"), c->to, idx) != 0)
		return -1;
	/*
	 * A lock after a temporary password's deadline ends it (the sweep's
	 * lock, reason CORE_TEMP_EXPIRED_REASON): unlocking needs a fresh
	 * one.
	 */
	if (strcmp(c->to, "locked") == 0 && (core_entry_time(e, at, sizeof at,
	    cause) != 0 || core_sql(s, "UPDATE account SET password_temp_until "
	    "= NULL WHERE system = ?1 AND login = ?2 AND password_temp_until "
	    "<= CAST(?3 AS INTEGER)", cause, 3,
	    store_args_get(&e->args, "system"),
	    store_args_get(&e->args, "login"), at) != 0))
		return -1;
	return outbox_queue(s, e, 0, c->op, NULL, cause);
}

static const struct core_param id_params[] = {
	CORE_PARAMS_ID,
	{ "reason", 0, N_("why, in the operator's words (the console asks "
	    "for it to lock, suspend or revoke)") },
	{ NULL, 0, NULL },
};

/*
 * The system (the sweep) carries out HR events' plans: it may lock,
 * suspend, resume and revoke; unlocking what a person locked is an
 * operator's.
 */
#define ID_CHANGE(sym, act, what, who)					\
const struct core_action sym = {					\
	.name = act,							\
	.summary = what,						\
	.roles = who,							\
	.params = id_params,						\
	.validate = id_change_validate,					\
	.apply = id_change_apply,					\
}

ID_CHANGE(core_action_id_lock, "id.lock", N_("Lock an ID"),
    CORE_ROLE_ADMIN | CORE_ROLE_SYSTEM);
ID_CHANGE(core_action_id_unlock, "id.unlock", N_("Unlock a locked ID"),
    CORE_ROLE_ADMIN);
ID_CHANGE(core_action_id_suspend, "id.suspend", N_("Suspend an ID"),
    CORE_ROLE_ADMIN | CORE_ROLE_SYSTEM);
ID_CHANGE(core_action_id_resume, "id.resume",
    N_("Resume a suspended ID"),
    CORE_ROLE_ADMIN | CORE_ROLE_SYSTEM);
ID_CHANGE(core_action_id_revoke, "id.revoke",
    N_("Revoke an ID and remove it from its system"),
    CORE_ROLE_ADMIN | CORE_ROLE_SYSTEM);

/*
 * Extending the end of a privileged or contractor ID (a later date than
 * it has) keeps access that was meant to end: a second person with the
 * approver role confirms it.
 */
static int
id_end_extends(struct core_run *run, const char *system, const char *login,
    const char *end, char **cause)
{
	struct store_stmt	*st;
	char			 kind[16] = "", old[12] = "";
	int			 r;

	if ((st = store_prepare(run->store, "SELECT kind, coalesce(end_date, "
	    "'') FROM account WHERE system = ? AND login = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	if ((r = store_step(st, cause)) == STORE_ROW) {
		snprintf(kind, sizeof kind, "%s", store_col_text(st, 0));
		snprintf(old, sizeof old, "%s", store_col_text(st, 1));
	}
	store_finalize(st);
	if (r == -1)
		return -1;
	if (strcmp(kind, "privileged") != 0 && strcmp(kind, "contractor") != 0)
		return 0;
	/* YYYY-MM-DD compares as text; no end date yet is no extension. */
	if (old[0] == '\0' || strcmp(end, old) <= 0)
		return 0;
	if (run->actor->approver == NULL) {
		xasprintf(cause, _("id.end_date: extending a %s ID (%s on %s) "
		    "from %s to %s needs a second person with the approver "
		    "role"), kind, login, system, old, end);
		return -1;
	}
	return 0;
}

static int
id_end_validate(struct core_run *run, char **cause)
{
	const char	*system, *login, *end;
	char		 state[16], today[11];

	if (id_target(run, &system, &login, cause) != 0 ||
	    core_arg(run, "end_date", &end, cause) != 0)
		return -1;
	if (!core_date_ok(end)) {
		xasprintf(cause, _("id.end_date: end date must be YYYY-MM-DD"));
		return -1;
	}
	if (core_id_state(run->store, system, login, state, sizeof state,
	    cause) != 0)
		return -1;
	if (state[0] == '\0' || strcmp(state, "revoked") == 0) {
		xasprintf(cause, _("id.end_date: no live ID %s on %s"), login,
		    system);
		return -1;
	}
	core_today(today);
	if (strcmp(state, "expired") == 0 && strcmp(end, today) < 0) {
		xasprintf(cause, _("id.end_date: %s on %s has expired, and "
		    "%s has passed too; give today or a later date"), login,
		    system, end);
		return -1;
	}
	return id_end_extends(run, system, login, end, cause);
}

static int
id_end_apply(struct store *s, const struct store_entry *e, char **cause)
{
	char	 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	/*
	 * An expired ID given a later date comes back locked (a time-limited
	 * privileged one dormant), never open: opening it again is its own
	 * decision, an id.unlock that the ledger names.
	 */
	if (core_sql(s, "UPDATE account SET end_date = ?3, changed_idx = ?4, "
	    "state = CASE WHEN state <> 'expired' THEN state WHEN EXISTS "
	    "(SELECT 1 FROM privileged p WHERE p.system = ?1 AND p.login = ?2 "
	    "AND p.mode = 'jit') THEN 'dormant' ELSE 'locked' END "
	    "WHERE system = ?1 AND login = ?2", cause, 4,
	    store_args_get(&e->args, "system"),
	    store_args_get(&e->args, "login"),
	    store_args_get(&e->args, "end_date"), idx) != 0)
		return -1;
	return outbox_queue(s, e, 0, "expire",
	    store_args_get(&e->args, "end_date"), cause);
}

static const struct core_param id_end_params[] = {
	CORE_PARAMS_ID,
	{ "end_date", CORE_ARG_REQUIRED, N_("YYYY-MM-DD the ID ends") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_id_end_date = {
	.name = "id.end_date",
	.summary = N_("Set the date an ID ends (a later one for a "
	    "privileged or contractor ID: two-person)"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_MAY_APPROVE,
	.params = id_end_params,
	.validate = id_end_validate,
	.apply = id_end_apply,
};

/* Change the owner of a personal (or privileged...) ID. */
static int
id_owner_validate(struct core_run *run, char **cause)
{
	const char		*system, *login, *owner;
	struct store_stmt	*st;
	char			 kind[16] = "";
	int			 r, yes;

	if (id_target(run, &system, &login, cause) != 0 ||
	    core_arg(run, "owner", &owner, cause) != 0)
		return -1;
	if ((st = store_prepare(run->store, "SELECT kind FROM account WHERE "
	    "system = ? AND login = ? AND state != 'revoked'", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	if ((r = store_step(st, cause)) == STORE_ROW)
		snprintf(kind, sizeof kind, "%s", store_col_text(st, 0));
	store_finalize(st);
	if (r == -1)
		return -1;
	if (kind[0] == '\0') {
		xasprintf(cause, _("id.owner: no live ID %s on %s"), login,
		    system);
		return -1;
	}
	if (strcmp(kind, "shared") == 0) {
		xasprintf(cause, _("id.owner: a shared ID has users, not an "
		    "owner"));
		return -1;
	}
	if (core_person_exists(run->store, owner, &yes, cause) != 0)
		return -1;
	if (!yes) {
		xasprintf(cause, _("id.owner: owner %.20s is nobody on record"),
		    owner);
		return -1;
	}
	if (strcmp(kind, "personal") == 0) {
		if (core_exists(run->store, "SELECT 1 FROM account WHERE "
		    "system = ? AND owner = ? AND kind = 'personal' AND "
		    "state != 'revoked'",
		    system, owner, &yes, cause) != 0)
			return -1;
		if (yes) {
			xasprintf(cause, _("id.owner: %s already has a "
			    "personal ID on %s"), owner, system);
			return -1;
		}
	}
	return 0;
}

static int
id_owner_apply(struct store *s, const struct store_entry *e, char **cause)
{
	char	 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "UPDATE account SET owner = ?3, changed_idx = ?4 "
	    "WHERE system = ?1 AND login = ?2", cause, 4,
	    store_args_get(&e->args, "system"),
	    store_args_get(&e->args, "login"),
	    store_args_get(&e->args, "owner"), idx);
}

static const struct core_param id_owner_params[] = {
	CORE_PARAMS_ID,
	{ "owner", CORE_ARG_REQUIRED, N_("the new owner's employee number") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_id_owner = {
	.name = "id.owner",
	.summary = N_("Give an ID another owner"),
	.roles = CORE_ROLE_ADMIN,
	.params = id_owner_params,
	.validate = id_owner_validate,
	.apply = id_owner_apply,
};

/* Replace the users of a shared ID (a staff transfer, a new member). */
static int
id_users_validate(struct core_run *run, char **cause)
{
	const char	*system, *login, *users;
	int		 yes;

	if (id_target(run, &system, &login, cause) != 0 ||
	    core_arg(run, "users", &users, cause) != 0)
		return -1;
	if (core_exists(run->store, "SELECT 1 FROM account WHERE system = ? "
	    "AND login = ? AND kind = 'shared' AND state != 'revoked'",
	    system, login, &yes, cause) != 0)
		return -1;
	if (!yes) {
		xasprintf(cause, _("id.users: no live shared ID %s on %s"),
		    login, system);
		return -1;
	}
	return users_ok(run, users, cause);
}

static int
id_users_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*system = store_args_get(&e->args, "system");
	const char	*login = store_args_get(&e->args, "login");
	char		 idx[24], *copy, *p, *save;
	int		 r;

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (core_sql(s, "DELETE FROM account_user WHERE system = ? AND "
	    "login = ?", cause, 2, system, login) != 0 ||
	    core_sql(s, "UPDATE account SET changed_idx = ?3 WHERE system = ?1 "
	    "AND login = ?2", cause, 3, system, login, idx) != 0)
		return -1;
	r = 0;
	copy = xstrdup(store_args_get(&e->args, "users"));
	for (p = strtok_r(copy, ",", &save); p != NULL && r == 0;
	    p = strtok_r(NULL, ",", &save))
		r = core_sql(s, "INSERT OR IGNORE INTO account_user (system, "
		    "login, employee_no) VALUES (?, ?, ?)", cause, 3, system,
		    login, p);
	free(copy);
	return r;
}

static const struct core_param id_users_params[] = {
	CORE_PARAMS_ID,
	{ "users", CORE_ARG_REQUIRED, N_("employee numbers, "
	    "comma-separated; never empty") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_id_users = {
	.name = "id.users",
	.summary = N_("Replace the users of a shared ID"),
	.roles = CORE_ROLE_ADMIN | CORE_ROLE_SYSTEM,
	.params = id_users_params,
	.validate = id_users_validate,
	.apply = id_users_apply,
};

/*
 * Break-glass: an emergency account that "lock all" leaves alone, so that
 * someone can still get in during an incident.  Exempting an account from
 * the emergency lockout is itself a two-person decision, and the lockout
 * preview names every exempt account.
 */
static int
id_break_glass_validate(struct core_run *run, char **cause)
{
	const char	*system, *login, *v;
	char		 state[16];
	int		 cur;

	if (id_target(run, &system, &login, cause) != 0 ||
	    core_arg(run, "break_glass", &v, cause) != 0)
		return -1;
	if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0) {
		xasprintf(cause, _("id.break_glass: break_glass must be 1 "
		    "(exempt from lock all) or 0"));
		return -1;
	}
	if (core_id_state(run->store, system, login, state, sizeof state,
	    cause) != 0 || core_exists(run->store, "SELECT 1 FROM account "
	    "WHERE system = ? AND login = ? AND break_glass", system, login,
	    &cur, cause) != 0)
		return -1;
	if (state[0] == '\0' || strcmp(state, "revoked") == 0) {
		xasprintf(cause, _("id.break_glass: no live ID %s on %s"),
		    login, system);
		return -1;
	}
	if (cur == (v[0] == '1')) {
		xasprintf(cause, _("id.break_glass: %s on %s is %s"), login,
		    system, cur ? _("break-glass already") :
		    _("not break-glass"));
		return -1;
	}
	return 0;
}

static int
id_break_glass_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	char	 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "UPDATE account SET break_glass = (?3 = '1'), "
	    "changed_idx = ?4 WHERE system = ?1 AND login = ?2", cause, 4,
	    store_args_get(&e->args, "system"),
	    store_args_get(&e->args, "login"),
	    store_args_get(&e->args, "break_glass"), idx);
}

static const struct core_param id_break_glass_params[] = {
	CORE_PARAMS_ID,
	{ "break_glass", CORE_ARG_REQUIRED, N_("1: exempt from the "
	    "emergency lockout of all IDs; 0: not") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_id_break_glass = {
	.name = "id.break_glass",
	.summary = N_("Exempt an ID from the emergency lockout of all (or "
	    "no longer)"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = id_break_glass_params,
	.validate = id_break_glass_validate,
	.apply = id_break_glass_apply,
};

/*
 * A fresh temporary password, made by the target and shown once to the
 * operator who asked: for a person who forgot theirs, and for an ID whose
 * last temporary password nobody saw (an unattended outbox run made it).
 * The target forces a change at the next login.  An exec program's
 * contract has no way to hand a password back, so exec systems are
 * refused; on a manual system it is a work order.
 */
static int
id_reset_validate(struct core_run *run, char **cause)
{
	const char	*system, *login;
	char		 state[16];
	int		 exec;

	if (id_target(run, &system, &login, cause) != 0 ||
	    core_id_state(run->store, system, login, state, sizeof state,
	    cause) != 0)
		return -1;
	if (strcmp(state, "active") != 0) {
		if (state[0] == '\0')
			xasprintf(cause, _("id.reset_password: no ID %s on %s"),
			    login, system);
		else
			xasprintf(cause, _("id.reset_password: %s on %s is %s; "
			    "only an active ID gets a new password"), login,
			    system, state);
		return -1;
	}
	if (core_exists(run->store, "SELECT 1 FROM system WHERE name = ? AND "
	    "type = 'exec'", system, NULL, &exec, cause) != 0)
		return -1;
	if (exec) {
		xasprintf(cause, _("id.reset_password: %s is an exec system, "
		    "whose program cannot hand a password back; use the "
		    "system's own tool"), system);
		return -1;
	}
	return 0;
}

/*
 * The temporary password must change at the next login, and within the
 * policy's temp_hours of the entry (the sweep locks the ID after that).
 */
static int
id_reset_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char		*system = store_args_get(&e->args, "system");
	const char		*login = store_args_get(&e->args, "login");
	struct core_policy	 p;
	char			 idx[24], at[24], until[24];
	long long		 t;

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (core_entry_time(e, at, sizeof at, cause) != 0 ||
	    core_password_policy(s, system, login, &p, cause) != 0)
		return -1;
	t = strtoll(at, NULL, 10);
	snprintf(until, sizeof until, "%lld", t + (long long)p.temp_hours *
	    3600);
	/* A new password: a shared ID's due one (a user left) is done. */
	if (core_sql(s, "UPDATE account SET changed_idx = ?3, must_change = 1, "
	    "password_temp_until = CAST(?4 AS INTEGER), password_set_at = "
	    "CAST(?5 AS INTEGER), password_set_by = ?6, password_due = NULL "
	    "WHERE system = ?1 AND login = ?2", cause, 6, system, login, idx,
	    until, at, e->operator) != 0)
		return -1;
	return outbox_queue(s, e, 0, "reset", NULL, cause);
}

const struct core_action core_action_id_reset_password = {
	.name = "id.reset_password",
	.summary = N_("Issue a fresh temporary password, shown once, to be "
	    "changed at next login"),
	.roles = CORE_ROLE_ADMIN,
	.params = id_params,
	.validate = id_reset_validate,
	.apply = id_reset_apply,
};
