/*
 * action-birthright.c -- birthright entitlements: the IDs that come with
 * a department (and a position).  Everyone in department D at position P
 * should have a personal (or privileged) ID on system S; "*" stands for
 * any department or position.  A joiner's and a mover's plans grant what
 * the new post has and revoke what only the old one had.
 *
 * What people get without asking is policy, so changing it is
 * two-person, like every other decision about privileges.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

static int
birthright_validate(struct core_run *run, char **cause)
{
	const char	*dept, *pos, *system, *kind;
	int		 add = strcmp(run->action->name, "birthright.add") == 0;
	int		 yes;

	if (core_arg(run, "department", &dept, cause) != 0 ||
	    core_arg(run, "system", &system, cause) != 0)
		return -1;
	if ((pos = store_args_get(&run->args, "position")) == NULL)
		pos = "*";
	if (core_text_ok("birthright: department", 64, dept, cause) != 0 ||
	    core_text_ok("birthright: position", 64, pos, cause) != 0)
		return -1;
	if (core_exists(run->store, "SELECT 1 FROM system WHERE name = ?",
	    system, NULL, &yes, cause) != 0)
		return -1;
	if (!yes) {
		xasprintf(cause, _("%s: no system %.40s"), run->action->name,
		    system);
		return -1;
	}
	if (add) {
		if (core_arg(run, "kind", &kind, cause) != 0)
			return -1;
		if (strcmp(kind, "personal") != 0 &&
		    strcmp(kind, "privileged") != 0) {
			xasprintf(cause, _("birthright.add: kind %.20s is not "
			    "personal or privileged"), kind);
			return -1;
		}
	}
	xasprintf(&run->subject, "birthright:%s/%s/%s", dept, pos, system);
	return core_birthright_exists(run->store, dept, pos, system, add,
	    cause);
}

static int
birthright_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	const char		*pos = store_args_get(a, "position");
	char			 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (pos == NULL)
		pos = "*";
	if (strcmp(e->action, "birthright.remove") == 0)
		return core_sql(s, "DELETE FROM birthright WHERE department = "
		    "? AND position = ? AND system = ?", cause, 3,
		    store_args_get(a, "department"), pos,
		    store_args_get(a, "system"));
	return core_sql(s, "INSERT INTO birthright (department, position, "
	    "system, kind, added_idx) VALUES (?, ?, ?, ?, ?)", cause, 5,
	    store_args_get(a, "department"), pos, store_args_get(a, "system"),
	    store_args_get(a, "kind"), idx);
}

int
core_birthright_exists(struct store *s, const char *dept, const char *pos,
    const char *system, int add, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, "SELECT 1 FROM birthright WHERE "
	    "department = ? AND position = ? AND system = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, dept);
	store_bind_text(st, 2, pos);
	store_bind_text(st, 3, system);
	r = store_step(st, cause);
	store_finalize(st);
	if (r == -1)
		return -1;
	if (add && r == STORE_ROW) {
		xasprintf(cause, _("birthright.add: %s/%s already has an ID on "
		    "%s"), dept, pos, system);
		return -1;
	}
	if (!add && r != STORE_ROW) {
		xasprintf(cause, _("birthright.remove: %s/%s has no ID on %s"),
		    dept, pos, system);
		return -1;
	}
	return 0;
}

static const struct core_param birthright_add_params[] = {
	{ "department", CORE_ARG_REQUIRED, N_("the department, or * for all") },
	{ "position", 0, N_("the position, or * for all (the default)") },
	{ "system", CORE_ARG_REQUIRED, N_("the system") },
	{ "kind", CORE_ARG_REQUIRED, N_("personal or privileged") },
	{ NULL, 0, NULL }
};

static const struct core_param birthright_remove_params[] = {
	{ "department", CORE_ARG_REQUIRED, N_("the department, or *") },
	{ "position", 0, N_("the position, or * (the default)") },
	{ "system", CORE_ARG_REQUIRED, N_("the system") },
	{ NULL, 0, NULL }
};

const struct core_action core_action_birthright_add = {
	.name = "birthright.add",
	.summary = N_("Give everyone in a department (and position) an ID "
	    "on a system"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = birthright_add_params,
	.validate = birthright_validate,
	.apply = birthright_apply,
};

const struct core_action core_action_birthright_remove = {
	.name = "birthright.remove",
	.summary = N_("Stop giving a department (and position) an ID on a "
	    "system"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = birthright_remove_params,
	.validate = birthright_validate,
	.apply = birthright_apply,
};
