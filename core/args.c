/*
 * args.c -- an action's arguments against its table, before anything
 * else: every required one that is missing and every one it does not
 * accept, all named at once.  The command line asks this before it asks
 * for a password, so an operator fixes the command once, not once per
 * argument, and authenticates only for a request that can run.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

/* Append name to *list, comma-separated. */
static void
list_add(char **list, const char *name)
{
	char	*next;

	xasprintf(&next, "%s%s%s", *list != NULL ? *list : "",
	    *list != NULL ? ", " : "", name);
	free(*list);
	*list = next;
}

/* The parameter of a named name, or NULL. */
static const struct core_param *
param_find(const struct core_action *a, const char *name)
{
	const struct core_param	*p;

	for (p = a->params; p != NULL && p->name != NULL; p++) {
		if (strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

/*
 * The check, with or without the required arguments: core_run leaves a
 * missing one to the action's validate, which says what it is for.
 */
static int
args_check(const struct core_action *a, const struct store_args *args,
    int required, char **cause)
{
	const struct core_param	*p;
	char			*missing = NULL, *unknown = NULL, *accepts = NULL;
	char			*quoted;
	size_t			 i, nunknown = 0;

	for (p = a->params; p != NULL && p->name != NULL; p++) {
		if (required && (p->flags & CORE_ARG_REQUIRED) &&
		    store_args_get(args, p->name) == NULL)
			list_add(&missing, p->name);
		if (!(p->flags & CORE_ARG_MADE))
			list_add(&accepts, p->name);
	}
	for (i = 0; i < args->n; i++) {
		p = param_find(a, args->v[i].name);
		if (p != NULL && (p->flags & CORE_ARG_MADE)) {
			xasprintf(cause, _("%s: the argument %s is made by "
			    "daicho, not given"), a->name, p->name);
			goto out;
		}
		if (p != NULL)
			continue;
		xasprintf(&quoted, "\"%.32s\"", args->v[i].name);
		list_add(&unknown, quoted);
		free(quoted);
		nunknown++;
	}
	if (missing == NULL && unknown == NULL) {
		free(accepts);
		return 0;
	}
	xasprintf(cause, "%s: %s%s%s%s%s%s%s%s", a->name,
	    missing != NULL ? _("missing required arguments: ") : "",
	    missing != NULL ? missing : "",
	    missing != NULL && unknown != NULL ? "; " : "",
	    unknown == NULL ? "" : ngettext("unknown argument ",
	    "unknown arguments ", PLURAL(nunknown)),
	    unknown != NULL ? unknown : "",
	    unknown != NULL ? _(" (it accepts ") : "",
	    unknown != NULL ? (accepts != NULL ? accepts : _("none")) : "",
	    unknown != NULL ? _(")") : "");
out:
	free(missing);
	free(unknown);
	free(accepts);
	return -1;
}

int
core_args_check(const struct core_action *a, const struct store_args *args,
    char **cause)
{
	return args_check(a, args, 1, cause);
}

/*
 * Every argument given must be one the action's table accepts, and none
 * of those daicho makes itself: an unknown argument would be recorded in
 * the ledger and mean nothing, or worse, something to a later version.
 */
int
core_args_known(const struct core_action *a, const struct store_args *args,
    char **cause)
{
	return args_check(a, args, 0, cause);
}
