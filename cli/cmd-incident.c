/*
 * cmd-incident.c -- "daicho incident list | show N": the emergency
 * lockouts, read-only.  show lists every ID the incident took with the
 * state it had before (what a restore puts back), its state now, and
 * whether the incident's lock reached its system.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "cli.h"

static void
incident_print_id(void *arg, const struct core_incident_id *id)
{
	char	 lock[200];

	(void)arg;
	if (id->lock[0] == '\0')
		snprintf(lock, sizeof lock, "%s", _("no lock needed"));
	else if (strcmp(id->lock, "failed") == 0 ||
	    (strcmp(id->lock, "pending") == 0 && id->error[0] != '\0'))
		snprintf(lock, sizeof lock, _("lock %s: %s"), id->lock,
		    id->error);
	else
		snprintf(lock, sizeof lock, _("lock %s"), id->lock);
	/* The state words stay as stored (restore puts the prior back). */
	cli_line(_("  %-16s %-16s was %-9s now %-9s %s"), id->system,
	    id->login, id->prior, id->now, lock);
}

static int
incident_list(struct store *s)
{
	struct core_incident	*v;
	char			*cause = NULL;
	size_t			 n, i;

	if (core_incident_list(s, &v, &n, &cause) != 0) {
		cli_error("incident: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	for (i = 0; i < n; i++)
		cli_line(_("%-7llu %.20s  %-8s %6lld IDs %5lld failed  %s: %s"),
		    (unsigned long long)v[i].idx, v[i].opened, v[i].state,
		    (long long)v[i].accounts, (long long)v[i].failed,
		    v[i].scope, v[i].reason);
	if (n == 0)
		cli_line(_("no incidents"));
	free(v);
	return CLI_OK;
}

static int
incident_show(struct store *s, const char *arg)
{
	struct core_incident	*v, *y = NULL;
	char			*cause = NULL;
	long long		 idx;
	size_t			 n, i, count;
	int			 ret = CLI_ERROR;

	if (cli_number("incident", arg, 0, INT64_MAX, &idx) != 0)
		return CLI_ERROR;
	if (core_incident_list(s, &v, &n, &cause) != 0) {
		cli_error("incident: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	for (i = 0; i < n; i++) {
		if (v[i].idx == (uint64_t)idx)
			y = &v[i];
	}
	if (y == NULL) {
		cli_error(_("incident: no incident %lld (daicho incident list)"),
		    idx);
		goto out;
	}
	cli_line(_("incident %llu, scope %s, opened %s: %s"),
	    (unsigned long long)y->idx, y->scope, y->opened, y->reason);
	if (y->restored != 0)
		cli_line(_("restored by entry %llu"), (unsigned long long)
		    y->restored);
	else
		cli_line(_("state %s"), y->state);
	cli_line(ngettext("%lld ID taken, with its prior state:",
	    "%lld IDs taken, each with its prior state:",
	    PLURAL(y->accounts)), (long long)y->accounts);
	if (core_incident_ids(s, y->idx, incident_print_id, NULL, &count,
	    &cause) != 0) {
		cli_error("incident: %s", cause);
		free(cause);
		goto out;
	}
	ret = CLI_OK;
out:
	free(v);
	return ret;
}

/* daicho incident list | show N */
int
cmd_incident(int argc, char **argv)
{
	struct store	*s;
	char		*cause = NULL;
	int		 r;

	if (cli_dir_opts(argc, argv, "incident") != 0)
		return CLI_ERROR;
	argc -= optind;
	argv += optind;
	if (!(argc == 1 && strcmp(argv[0], "list") == 0) &&
	    !(argc == 2 && strcmp(argv[0], "show") == 0))
		return cli_usage("incident");
	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("incident: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	r = argc == 1 ? incident_list(s) : incident_show(s, argv[1]);
	store_close(s);
	return r;
}
