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
#include "core.h"

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

static int
param_known(const struct core_action *a, const char *name)
{
	const struct core_param	*p;

	for (p = a->params; p != NULL && p->name != NULL; p++) {
		if (strcmp(p->name, name) == 0 && !(p->flags & CORE_ARG_MADE))
			return 1;
	}
	return 0;
}

int
core_args_check(const struct core_action *a, const struct store_args *args,
    char **cause)
{
	const struct core_param	*p;
	char			*missing = NULL, *unknown = NULL;
	size_t			 i;

	for (p = a->params; p != NULL && p->name != NULL; p++) {
		if ((p->flags & CORE_ARG_REQUIRED) &&
		    store_args_get(args, p->name) == NULL)
			list_add(&missing, p->name);
	}
	for (i = 0; i < args->n; i++) {
		if (!param_known(a, args->v[i].name))
			list_add(&unknown, args->v[i].name);
	}
	if (missing == NULL && unknown == NULL)
		return 0;
	xasprintf(cause, "%s: %s%s%s%s%s", a->name,
	    missing != NULL ? "missing required arguments: " : "",
	    missing != NULL ? missing : "",
	    missing != NULL && unknown != NULL ? "; " : "",
	    unknown != NULL ? "arguments it does not accept: " : "",
	    unknown != NULL ? unknown : "");
	free(missing);
	free(unknown);
	return -1;
}
