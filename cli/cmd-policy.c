/*
 * cmd-policy.c -- daicho policy [SYSTEM]: the password and privileged-
 * access policy that applies, each key with its value and where it comes
 * from (daicho's default, or the scope policy.set gave it, SYSTEM/KIND
 * with * for any); for a system, for each ID kind.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "cli.h"

static const char *const policy_kinds[] = {
	"personal", "shared", "privileged", "contractor", "service", NULL
};

/* Every key of p: name, value, where from. */
static void
policy_print(const struct core_policy *p)
{
	const struct core_policy_key	*k;
	const char			*f;
	char				 v[CORE_POLICY_TEXT + 16];
	size_t				 i;

	for (k = core_policy_keys, i = 0; k->name != NULL; k++, i++) {
		f = (const char *)p + k->offset;
		if (k->type == CORE_POLICY_INT)
			snprintf(v, sizeof v, "%d", *(const int *)f);
		else
			snprintf(v, sizeof v, "%s", f);
		/* The key stays as daicho.conf and policy.set spell it. */
		cli_line("  %-17s %-*s %s", k->name, cli_pad(v, 22), v,
		    strcmp(p->from[i], "default") == 0 ? _("default") :
		    p->from[i]);
	}
}

/* Whether a system of that name is on record. */
static int
system_known(struct store *s, const char *name, int *yes, char **cause)
{
	struct core_system	*sys;
	size_t			 n, i;

	*yes = 0;
	if (core_system_list(s, &sys, &n, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(sys[i].name, name) == 0)
			*yes = 1;
	}
	free(sys);
	return 0;
}

int
cmd_policy(int argc, char **argv)
{
	struct core_policy	 p;
	struct store		*s;
	const char		*system = NULL;
	char			*cause = NULL;
	size_t			 i;
	int			 yes, ret = CLI_ERROR;

	if (cli_dir_opts(argc, argv, "policy") != 0)
		return CLI_ERROR;
	if (argc - optind > 1)
		return cli_usage("policy");
	if (argc - optind == 1)
		system = argv[optind];
	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("policy: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (system == NULL) {
		if (core_policy_get(s, NULL, NULL, &p, &cause) != 0)
			goto fail;
		cli_line(_("policy of any system and kind (key, value, from):"));
		policy_print(&p);
		ret = CLI_OK;
		goto out;
	}
	if (system_known(s, system, &yes, &cause) != 0)
		goto fail;
	if (!yes) {
		cli_error(_("policy: no system %s"), system);
		goto out;
	}
	for (i = 0; policy_kinds[i] != NULL; i++) {
		if (core_policy_get(s, system, policy_kinds[i], &p,
		    &cause) != 0)
			goto fail;
		if (i > 0)
			putchar('\n');
		cli_line(_("%s, %s IDs (key, value, from):"), system,
		    policy_kinds[i]);
		policy_print(&p);
	}
	ret = CLI_OK;
	goto out;
fail:
	cli_error("policy: %s", cause);
	free(cause);
out:
	store_close(s);
	return ret;
}
