/*
 * cmd-workorder.c -- daicho workorder: the work orders of manual systems
 * from the command line.
 *
 *	workorder list
 *		the open work orders, oldest first (read-only, no login,
 *		like log);
 *	workorder done ENTRY/SEQ --note TEXT --user NAME --approver NAME
 *		NAME carried it out, the approver confirms (two people);
 *	workorder refuse ENTRY/SEQ --reason TEXT --user NAME
 *		it cannot be carried out; it becomes a failed operation.
 *
 * ENTRY/SEQ names the outbox row as the list shows it.  The work order is
 * looked up before anyone is asked for a password, so a mistyped one is
 * refused at once; core_run checks everything again inside its
 * transaction.
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

static void
workorder_print(void *arg, const struct core_workorder *w)
{
	char	 id[48], when[WHEN_MAX];

	(void)arg;
	snprintf(id, sizeof id, "%llu/%d", (unsigned long long)w->entry,
	    w->seq);
	/* Ledger text may hold anything: cli_line shows it escaped. */
	cli_line("%-10s %-16s %-16s %-6s %s", id, w->system, w->login, w->op,
	    w->arg);
	when_local_utc(w->queued, 0, when, sizeof when);
	cli_line(_("%-10s queued %s by %s (%s)"), "", when, w->queued_by,
	    w->action);
}

static int
workorder_list(void)
{
	struct store	*s;
	const char	*h[5];
	char		*cause = NULL;
	size_t		 n;
	int		 r;

	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("workorder: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	/* TRANSLATORS: the column heads of workorder list. */
	h[0] = _("ENTRY/SEQ");
	h[1] = _("SYSTEM");
	h[2] = _("LOGIN");
	h[3] = _("OP");
	h[4] = _("ARG");
	cli_line("%-*s %-*s %-*s %-*s %s", cli_pad(h[0], 10), h[0],
	    cli_pad(h[1], 16), h[1], cli_pad(h[2], 16), h[2],
	    cli_pad(h[3], 6), h[3], h[4]);
	r = core_workorder_list(s, workorder_print, NULL, &n, &cause);
	store_close(s);
	if (r != 0) {
		cli_error("workorder: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	cli_line(_("%zu open work order%s"), n, n == 1 ? "" : "s");
	return CLI_OK;
}

/* "ENTRY/SEQ" into its two numbers; -1 after saying why. */
static int
workorder_parse(const char *text, long long *entry, long long *seq)
{
	const char	*slash = strchr(text, '/');
	char		*head;
	int		 r;

	if (slash == NULL) {
		cli_error(_("workorder: \"%.40s\" is not ENTRY/SEQ (as workorder "
		    "list shows it)"), text);
		return -1;
	}
	head = xstrndup(text, (size_t)(slash - text));
	r = cli_number("work order entry", head, 1, INT64_MAX, entry);
	free(head);
	if (r != 0 || cli_number("work order seq", slash + 1, 0, INT32_MAX,
	    seq) != 0)
		return -1;
	return 0;
}

/* done and refuse: authenticate, then run the action once. */
static int
workorder_close(const char *verb, const char *text, const char *order,
    const struct cli_who *w)
{
	const char		*action, *textarg;
	struct core_workorder	 wo;
	struct core_actor	 actor;
	struct store_args	 a = { 0 };
	struct store		*s;
	long long		 entry, seq;
	char			*cause = NULL, e[24], q[12], when[WHEN_MAX];
	int			 r, need, ret = CLI_ERROR;

	if (strcmp(verb, "done") == 0) {
		action = "workorder.done";
		textarg = "note";
	} else {
		action = "workorder.refuse";
		textarg = "reason";
	}
	if (workorder_parse(order, &entry, &seq) != 0)
		return CLI_ERROR;
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("workorder: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	r = core_workorder_get(s, (uint64_t)entry, (int)seq, &wo, &cause);
	if (r == -1) {
		cli_error("workorder: %s", cause);
		free(cause);
		goto out;
	}
	if (r == 1 || !wo.manual || strcmp(wo.state, "pending") != 0) {
		cli_error(_("workorder: %s is not an open work order%s"), order,
		    r == 1 ? _(" (there is no such operation)") : !wo.manual ?
		    _(" (its system is not manual: the outbox carries it out)") :
		    strcmp(wo.state, "applied") == 0 ?
		    _(" (it is done already)") : _(" (it was refused or failed)"));
		goto out;
	}
	/* Say so before anyone types a password for nothing. */
	if ((need = core_needs_approver(s, action)) != (w->approver != NULL)) {
		if (need)
			cli_error(_("%s needs a second person: --approver NAME"),
			    action);
		else
			cli_error(_("%s needs no second person now"), action);
		goto out;
	}
	when_local_utc(wo.queued, 0, when, sizeof when);
	cli_line(_("work order %s: %s %s on %s, queued %s by %s (%s)"), order,
	    wo.op, wo.login, wo.system, when, wo.queued_by, wo.action);
	fflush(stdout);

	if (cli_auth_user(s, w->user, w->askpass, CORE_ROLE_ADMIN, "") != 0 ||
	    cli_auth_second(s, action, w, 1, &actor.approver) != 0)
		goto out;
	actor.operator = w->user;
	snprintf(e, sizeof e, "%lld", entry);
	snprintf(q, sizeof q, "%lld", seq);
	store_args_add(&a, "entry", e);
	store_args_add(&a, "seq", q);
	store_args_add(&a, "system", wo.system);
	store_args_add(&a, "login", wo.login);
	store_args_add(&a, textarg, text);
	if (core_run(s, action, &actor, &a, NULL, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto out;
	}
	cli_line("%s %s: %s", action, order, strcmp(verb, "done") == 0 ?
	    _("recorded as carried out") : _("refused; it is now a failed "
	    "operation"));
	ret = CLI_OK;
out:
	store_close(s);
	return ret;
}

int
cmd_workorder(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "user", required_argument, NULL, 'u' },
		{ "approver", required_argument, NULL, 'a' },
		{ "askpass-fd", required_argument, NULL, 'f' },
		{ "note", required_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_who	 w = { NULL, NULL, -1 };
	const char	*note = NULL, *reason = NULL, *verb;
	int		 ch, r;

	while ((ch = getopt_long(argc, argv, "d:u:a:f:n:r:", opts,
	    NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &w)) == -1)
			return CLI_ERROR;
		if (r == 1)
			continue;
		switch (ch) {
		case 'n':
			note = optarg;
			break;
		case 'r':
			reason = optarg;
			break;
		default:
			return cli_usage("workorder");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cli_usage("workorder");
	verb = argv[0];
	if (strcmp(verb, "list") == 0) {
		if (argc != 1 || w.user != NULL || note != NULL ||
		    reason != NULL)
			return cli_usage("workorder");
		return workorder_list();
	}
	if (argc != 2 || w.user == NULL)
		return cli_usage("workorder");
	if (strcmp(verb, "done") == 0 && note != NULL && reason == NULL)
		return workorder_close(verb, note, argv[1], &w);
	if (strcmp(verb, "refuse") == 0 && reason != NULL && note == NULL)
		return workorder_close(verb, reason, argv[1], &w);
	return cli_usage("workorder");
}
