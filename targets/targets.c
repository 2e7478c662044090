/*
 * targets.c -- the table of target types.  Adding a kind of system means
 * adding one file and one row here.
 */
#include "config.h"

#include <string.h>

#include "targets.h"

extern const struct target_type target_exec;
extern const struct target_type target_unix_type;
extern const struct target_type target_ldap;

const struct target_type *const target_types[] = {
	&target_exec,
	&target_ldap,
	&target_unix_type,
	NULL
};

const struct target_type *
target_type_find(const char *name)
{
	const struct target_type *const *t;

	for (t = target_types; *t != NULL; t++) {
		if (strcmp((*t)->name, name) == 0)
			return *t;
	}
	return NULL;
}

static const char *const target_op_names[] = {
	[TARGET_CREATE] = "create",
	[TARGET_LOCK] = "lock",
	[TARGET_UNLOCK] = "unlock",
	[TARGET_EXPIRE] = "expire",
	[TARGET_SET_PASSWORD] = "set_password",
	[TARGET_FORCE_CHANGE] = "force_change",
	[TARGET_DELETE] = "delete",
	[TARGET_RESET] = "reset",
};

const char *
target_op_name(enum target_op op)
{
	if ((size_t)op >= sizeof target_op_names / sizeof target_op_names[0] ||
	    target_op_names[op] == NULL)
		return "?";
	return target_op_names[op];
}

enum target_op
target_op_parse(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof target_op_names / sizeof target_op_names[0];
	    i++) {
		if (target_op_names[i] != NULL &&
		    strcmp(target_op_names[i], name) == 0)
			return (enum target_op)i;
	}
	return (enum target_op)0;
}
