/*
 * action-finding.c -- acting on what reconciliation found.
 *
 * An account on a system that the ledger does not know (or in another
 * state than the ledger says) can be locked, registered as it is, or
 * removed, each after a preview of what will happen:
 *
 *	finding.lock	queues a lock of the account on its system; a live
 *			ID of the ledger that is active there is recorded
 *			as locked.  An unregistered account stays
 *			unregistered, and locked, until it is adopted or
 *			removed.
 *	finding.remove	queues the deletion of an account the ledger has no
 *			live ID for (a live ID is revoked with id.revoke).
 *	id.adopt	registers it (action-id.c), in the state the system
 *			really shows: core_adopt_state, below, looks it up.
 *
 * Both findings actions check that the account is on the system and is
 * not the OS's own (root, daemon): a mistyped login must not lock or
 * delete something daicho does not manage.  They take a reason, for the
 * record.  One admin, like id.lock and id.revoke.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

/* The ledger's state of a live ID ("" when none, or revoked); 0 or -1. */
static int
ledger_state(struct store *s, const char *system, const char *login,
    char *state, size_t len, char **cause)
{
	if (core_id_state(s, system, login, state, len, cause) != 0)
		return -1;
	if (strcmp(state, "revoked") == 0)
		state[0] = '\0';
	return 0;
}

/*
 * login on system as the system shows it: 0, or -1 with *cause.  Unless
 * any, an account the target calls the OS's own (outside the uid range
 * daicho allocates from, for unix) is refused: reconciliation never
 * reports those, so lock and remove must not reach them by a typo.  An
 * account adopted may be outside the range (made before daicho).
 */
static int
on_system(struct store *s, const char *act, const char *system,
    const char *login, int any, struct core_sysacct *a, char **cause)
{
	char	*c = NULL;
	int	 r;

	if (!core_login_name_ok(login)) {
		xasprintf(cause, _("%s: \"%.40s\" is not a valid login name"),
		    act, login);
		return -1;
	}
	if ((r = core_system_account(s, system, login, a, &c)) == -1) {
		xasprintf(cause, "%s: %s", act, c);
		free(c);
		return -1;
	}
	if (r == 1) {
		xasprintf(cause, _("%s: %s has no account %s"), act, system,
		    login);
		return -1;
	}
	if (a->system_account && !any) {
		xasprintf(cause, _("%s: %s on %s is the operating system's own "
		    "account, not daicho's to change"), act, login, system);
		return -1;
	}
	return 0;
}

static int
finding_validate(struct core_run *run, char **cause)
{
	const char		*act = run->action->name, *system, *login;
	const char		*reason;
	struct core_sysacct	 a;
	char			 state[16];

	if (core_arg(run, "system", &system, cause) != 0 ||
	    core_arg(run, "login", &login, cause) != 0 ||
	    core_arg(run, "reason", &reason, cause) != 0)
		return -1;
	if (core_text_ok("reason", 256, reason, cause) != 0 ||
	    on_system(run->store, act, system, login, 0, &a, cause) != 0 ||
	    ledger_state(run->store, system, login, state, sizeof state,
	    cause) != 0)
		return -1;
	if (strcmp(act, "finding.remove") == 0 && state[0] != '\0') {
		xasprintf(cause, _("%s: %s on %s is a live ID of the ledger "
		    "(%s): revoke it (id.revoke), which removes it"), act,
		    login, system, state);
		return -1;
	}
	xasprintf(&run->subject, "id:%s/%s", system, login);
	return 0;
}

static int
finding_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*system = store_args_get(&e->args, "system");
	const char	*login = store_args_get(&e->args, "login");
	int		 lock = strcmp(e->action, "finding.lock") == 0;
	char		 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (core_sql(s, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) VALUES (?, 0, ?, ?, ?, '')", cause, 4, idx, system,
	    lock ? "lock" : "delete", login) != 0)
		return -1;
	if (!lock)
		return 0;
	/* A live ID the ledger has as open is now locked, as it will be. */
	return core_sql(s, "UPDATE account SET state = 'locked', changed_idx "
	    "= CAST(?3 AS INTEGER) WHERE system = ?1 AND login = ?2 AND state "
	    "IN ('active', 'pending')", cause, 3, system, login, idx);
}

static const struct core_param finding_params[] = {
	{ "system", CORE_ARG_REQUIRED, N_("the system") },
	{ "login", CORE_ARG_REQUIRED, N_("the account's login name there") },
	{ "reason", CORE_ARG_REQUIRED, N_("why, for the record") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_finding_lock = {
	.name = "finding.lock",
	.summary = N_("Lock an account reconciliation found (registered or "
	    "not)"),
	.roles = CORE_ROLE_ADMIN,
	.params = finding_params,
	.validate = finding_validate,
	.apply = finding_apply,
};

const struct core_action core_action_finding_remove = {
	.name = "finding.remove",
	.summary = N_("Delete from its system an account the ledger has no "
	    "ID for"),
	.roles = CORE_ROLE_ADMIN,
	.params = finding_params,
	.validate = finding_validate,
	.apply = finding_apply,
};

int
core_adopt_state(struct core_run *run, char **cause)
{
	const char		*system = store_args_get(&run->args, "system");
	const char		*login = store_args_get(&run->args, "login");
	const char		*given = store_args_get(&run->args, "state");
	const char		*real;
	struct core_sysacct	 a;
	int			 yes;

	if (core_exists(run->store, "SELECT 1 FROM system WHERE name = ? AND "
	    "type = 'manual'", system, NULL, &yes, cause) != 0)
		return -1;
	if (yes)
		return 0;	/* nobody can ask it: a work order's word */
	if (on_system(run->store, "id.adopt", system, login, 1, &a,
	    cause) != 0)
		return -1;
	if (a.locked == -1)
		return 0;	/* the target cannot tell: as given */
	real = a.locked ? "locked" : "active";
	if (given == NULL) {
		if (store_args_add(&run->args, "state", real) != 0) {
			xasprintf(cause, _("id.adopt: too many arguments"));
			return -1;
		}
		return 0;
	}
	if (strcmp(given, real) != 0) {
		xasprintf(cause, _("id.adopt: %s on %s is %s on the system, "
		    "not %s: adopt it as it is (state=%s, or leave state "
		    "out)"), login, system, real, given, real);
		return -1;
	}
	return 0;
}

int
core_drift_remedies(const struct core_drift *d)
{
	switch (d->code) {
	case CORE_DRIFT_UNREGISTERED:
		return CORE_REMEDY_LOCK | CORE_REMEDY_ADOPT |
		    CORE_REMEDY_REMOVE;
	case CORE_DRIFT_OPENED:
	case CORE_DRIFT_LOCKED:
		return CORE_REMEDY_LOCK;
	default:
		return 0;
	}
}

int
core_remedy_parse(const char *s)
{
	if (strcmp(s, "lock") == 0)
		return CORE_REMEDY_LOCK;
	if (strcmp(s, "adopt") == 0)
		return CORE_REMEDY_ADOPT;
	if (strcmp(s, "remove") == 0)
		return CORE_REMEDY_REMOVE;
	return 0;
}

/* What each remedy will do, given the ledger's state ("" for none). */
static char *
remedy_preview(int remedy, const char *system, const char *login,
    const struct core_sysacct *a, const char *state)
{
	char	*p;

	switch (remedy) {
	case CORE_REMEDY_LOCK:
		/* Whole sentences, so that each translates as one. */
		xasprintf(&p, a->locked == 1 ? _("lock %s on %s (locked "
		    "there now): nobody can log in with it until it is "
		    "unlocked.\n%s") :
		    a->locked == 0 ? _("lock %s on %s (open there now): nobody "
		    "can log in with it until it is unlocked.\n%s") :
		    _("lock %s on %s (state unknown there now): nobody can log "
		    "in with it until it is unlocked.\n%s"), login, system,
		    state[0] == '\0' ? _("The ledger has no ID for it: it "
		    "stays unregistered, and locked, until it is adopted or "
		    "removed.") : strcmp(state, "active") == 0 ||
		    strcmp(state, "pending") == 0 ? _("The ledger records the "
		    "ID as locked.") : _("The ledger has it locked already: "
		    "the lock is applied again."));
		break;
	case CORE_REMEDY_ADOPT:
		xasprintf(&p, a->locked == 1 ? _("register %s on %s in the "
		    "ledger as it is, locked (as the system shows it); nothing "
		    "is changed on the system.") : _("register %s on %s in the "
		    "ledger as it is, active (as the system shows it); nothing "
		    "is changed on the system."), login, system);
		break;
	default:
		xasprintf(&p, _("delete %s from %s (its passwd, shadow and "
		    "group lines, or its entry): this cannot be undone.  "
		    "The ledger records who removed it and why."), login,
		    system);
		break;
	}
	return p;
}

int
core_remedy_prepare(struct store *s, const char *system, const char *login,
    int remedy, struct store_args *a, const char **action, char **preview,
    char **cause)
{
	struct core_sysacct	 acc;
	char			 state[16];
	static const char *const names[] = { "lock", "adopt", "remove" };
	const char		*act = remedy == CORE_REMEDY_LOCK ?
	    "finding.lock" : remedy == CORE_REMEDY_ADOPT ? "id.adopt" :
	    "finding.remove";

	*preview = NULL;
	if (remedy != CORE_REMEDY_LOCK && remedy != CORE_REMEDY_ADOPT &&
	    remedy != CORE_REMEDY_REMOVE) {
		xasprintf(cause, _("the remedies are %s, %s and %s"), names[0],
		    names[1], names[2]);
		return -1;
	}
	if (on_system(s, act, system, login, remedy == CORE_REMEDY_ADOPT, &acc,
	    cause) != 0 ||
	    ledger_state(s, system, login, state, sizeof state, cause) != 0)
		return -1;
	if (remedy != CORE_REMEDY_LOCK && state[0] != '\0') {
		if (remedy == CORE_REMEDY_REMOVE)
			xasprintf(cause, _("%s: %s on %s is a live ID of the "
			    "ledger (%s): revoke it (id.revoke), which removes "
			    "it"), act, login, system, state);
		else
			xasprintf(cause, _("%s: %s on %s is a live ID of the "
			    "ledger (%s): it is registered already"), act,
			    login, system, state);
		return -1;
	}
	if (store_args_get(a, "system") == NULL)
		store_args_add(a, "system", system);
	if (store_args_get(a, "login") == NULL)
		store_args_add(a, "login", login);
	if (remedy == CORE_REMEDY_ADOPT) {
		if (store_args_get(a, "state") == NULL && acc.locked != -1)
			store_args_add(a, "state", acc.locked ? "locked" :
			    "active");
	} else if (store_args_get(a, "reason") == NULL)
		store_args_add(a, "reason", "found by reconciliation");
	*action = act;
	*preview = remedy_preview(remedy, system, login, &acc, state);
	return 0;
}
