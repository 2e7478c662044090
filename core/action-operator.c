/*
 * action-operator.c -- console operators and their roles.
 *
 * Operators are the people who log into daicho: admin (does the work),
 * approver (the second person, section heads and the CISO), auditor
 * (reads and verifies only).  Adding, removing and changing the role of
 * an operator are two-person actions.  An operator row is never deleted:
 * removal marks it, so the ledger's names always resolve.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

/* Active admins other than name. */
static int
other_admins(struct store *s, const char *name, int64_t *n, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, "SELECT count(*) FROM operator WHERE "
	    "role = 'admin' AND state = 'active' AND name != ?",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, name);
	if ((r = store_step(st, cause)) == STORE_ROW)
		*n = store_col_int(st, 0);
	store_finalize(st);
	return r == STORE_ROW ? 0 : -1;
}

static int
operator_name_arg(struct core_run *run, const char **name, char **cause)
{
	if (core_arg(run, "name", name, cause) != 0)
		return -1;
	if (!core_login_name_ok(*name)) {
		xasprintf(cause, _("%s: \"%.40s\" is not a valid login name "
		    "(lower-case letters, digits, '_', '.', '-', at most 32, "
		    "not starting with '-' or a digit)"), run->action->name,
		    *name);
		return -1;
	}
	if (run->actor->approver != NULL &&
	    strcmp(*name, run->actor->approver) == 0) {
		xasprintf(cause, _("%s: %s cannot approve a change to their "
		    "own access"), run->action->name, *name);
		return -1;
	}
	xasprintf(&run->subject, "operator:%s", *name);
	return 0;
}

static int
operator_role_arg(struct core_run *run, int *role, char **cause)
{
	const char	*v;

	if (core_arg(run, "role", &v, cause) != 0)
		return -1;
	if ((*role = core_role_parse(v)) == 0) {
		xasprintf(cause, _("%s: \"%.40s\" is not a role (admin, "
		    "approver or auditor)"), run->action->name, v);
		return -1;
	}
	return 0;
}

/*
 * The checks before changing an existing operator: active, not the one
 * acting (self is "remove themselves" / "change their own role"), and not
 * the last admin.  Sets *cur to their role.
 */
static int
operator_changeable(struct core_run *run, const char *name, const char *self,
    int *cur, char **cause)
{
	const char	*action = run->action->name;
	int64_t		 n;

	if ((*cur = core_operator_role(run->store, name, cause)) == -1)
		return -1;
	if (*cur == 0) {
		xasprintf(cause, _("%s: %s is not an active operator"), action,
		    name);
		return -1;
	}
	if (strcmp(name, run->actor->operator) == 0) {
		xasprintf(cause, _("%s: an operator cannot %s"), action,
		    _(self));
		return -1;
	}
	if (*cur == CORE_ROLE_ADMIN) {
		if (other_admins(run->store, name, &n, cause) != 0)
			return -1;
		if (n == 0) {
			xasprintf(cause, _("%s: %s is the last admin"), action,
			    name);
			return -1;
		}
	}
	return 0;
}

static int
operator_add_validate(struct core_run *run, char **cause)
{
	const char	*name;
	int		 role, cur;

	if (operator_name_arg(run, &name, cause) != 0 ||
	    operator_role_arg(run, &role, cause) != 0)
		return -1;
	/*
	 * The system makes only the very first operator (CORE_SYSTEM_FIRST,
	 * checked with the roles), and that one an admin.
	 */
	if (strcmp(run->actor->operator, STORE_SYSTEM_ACTOR) == 0) {
		if (role != CORE_ROLE_ADMIN) {
			xasprintf(cause, _("operator.add: the system may only "
			    "add the first operator, as admin"));
			return -1;
		}
	}
	if ((cur = core_operator_role(run->store, name, cause)) == -1)
		return -1;
	if (cur != 0) {
		xasprintf(cause, _("operator.add: %s is already an operator "
		    "(%s)"), name, core_role_name(cur));
		return -1;
	}
	return 0;
}

static int
operator_add_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	char	 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	/* A removed operator who comes back keeps the first added_idx. */
	return core_sql(s, "INSERT INTO operator (name, role, state, "
	    "ever_approver, added_idx, changed_idx) VALUES (?1, ?2, 'active', "
	    "?2 = 'approver', ?3, ?3) "
	    "ON CONFLICT (name) DO UPDATE SET role = ?2, state = 'active', "
	    "ever_approver = ever_approver OR ?2 = 'approver', "
	    "changed_idx = ?3", cause, 3, store_args_get(&e->args, "name"),
	    store_args_get(&e->args, "role"), idx);
}

static const struct core_param operator_add_params[] = {
	{ "name", CORE_ARG_REQUIRED, N_("the operator's login name (their "
	    "PAM user)") },
	{ "role", CORE_ARG_REQUIRED, N_("admin, approver or auditor") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_operator_add = {
	.name = "operator.add",
	.summary = N_("Make a person a console operator with a role"),
	.roles = CORE_ROLE_ADMIN | CORE_ROLE_SYSTEM,
	.flags = CORE_TWO_PERSON | CORE_SYSTEM_FIRST,
	.params = operator_add_params,
	.validate = operator_add_validate,
	.apply = operator_add_apply,
};

static int
operator_remove_validate(struct core_run *run, char **cause)
{
	const char	*name;
	int		 cur;

	if (operator_name_arg(run, &name, cause) != 0)
		return -1;
	return operator_changeable(run, name, N_("remove themselves"), &cur,
	    cause);
}

static int
operator_remove_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	char	 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "UPDATE operator SET state = 'removed', "
	    "changed_idx = ?2 WHERE name = ?1", cause, 2,
	    store_args_get(&e->args, "name"), idx);
}

static const struct core_param operator_remove_params[] = {
	{ "name", CORE_ARG_REQUIRED, N_("the operator to remove") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_operator_remove = {
	.name = "operator.remove",
	.summary = N_("Take away a person's console access"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = operator_remove_params,
	.validate = operator_remove_validate,
	.apply = operator_remove_apply,
};

static int
operator_role_validate(struct core_run *run, char **cause)
{
	const char	*name;
	int		 role, cur;

	if (operator_name_arg(run, &name, cause) != 0 ||
	    operator_role_arg(run, &role, cause) != 0)
		return -1;
	if (operator_changeable(run, name, N_("change their own role"),
	    &cur, cause) != 0)
		return -1;
	if (cur == role) {
		xasprintf(cause, _("operator.role: %s is already %s"), name,
		    core_role_name(role));
		return -1;
	}
	return 0;
}

static int
operator_role_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	char	 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "UPDATE operator SET role = ?2, changed_idx = ?3, "
	    "ever_approver = ever_approver OR ?2 = 'approver' "
	    "WHERE name = ?1", cause, 3, store_args_get(&e->args, "name"),
	    store_args_get(&e->args, "role"), idx);
}

static const struct core_param operator_role_params[] = {
	{ "name", CORE_ARG_REQUIRED, N_("the operator") },
	{ "role", CORE_ARG_REQUIRED, N_("the new role: admin, approver or "
	    "auditor") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_operator_role = {
	.name = "operator.role",
	.summary = N_("Change a console operator's role"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = operator_role_params,
	.validate = operator_role_validate,
	.apply = operator_role_apply,
};
