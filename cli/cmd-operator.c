/*
 * cmd-operator.c -- commands that change state as an operator: the
 * operator commands, and the first admin made by "init --operator".
 *
 * The operator is authenticated through PAM first: --user NAME names
 * them, prompts go to the terminal, and --askpass-fd N reads the answers
 * from descriptor N, one a line, for scripts and tests.  A two-person
 * action also authenticates --approver NAME the same way (their answers
 * follow the operator's on the same descriptor).  Failures are recorded
 * in the ledger as at the console.
 */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "auth.h"
#include "cli.h"

/* Parse --dir, --user, --approver, --askpass-fd; the rest stays. */
static int
who_opts(int argc, char **argv, const char *cmd, struct cli_who *w)
{
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int		 ch, r;

	memset(w, 0, sizeof *w);
	w->askpass = -1;
	while ((ch = getopt_long(argc, argv, "d:u:a:f:", opts, NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, w)) == -1)
			return -1;
		if (r == 0) {
			cli_usage(cmd);
			return -1;
		}
	}
	return 0;
}

int
cmd_operator(int argc, char **argv)
{
	struct store		*s;
	struct store_args	 a = { 0 };
	struct core_actor	 actor;
	struct cli_who		 w;
	const char		*verb, *action;
	char			*cause = NULL;
	int			 nargs, ret = CLI_ERROR;

	if (who_opts(argc, argv, "operator", &w) != 0)
		return CLI_ERROR;
	argc -= optind;
	argv += optind;
	if (argc < 2)
		return cli_usage("operator");
	verb = argv[0];
	if (strcmp(verb, "add") == 0) {
		action = "operator.add";
		nargs = 3;
	} else if (strcmp(verb, "remove") == 0) {
		action = "operator.remove";
		nargs = 2;
	} else if (strcmp(verb, "role") == 0) {
		action = "operator.role";
		nargs = 3;
	} else
		return cli_usage("operator");
	if (argc != nargs || w.user == NULL)
		return cli_usage("operator");
	store_args_add(&a, "name", argv[1]);
	if (nargs == 3)
		store_args_add(&a, "role", argv[2]);

	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("operator: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (cli_auth_user(s, w.user, w.askpass, CORE_ROLE_ADMIN, "") != 0)
		goto out;
	if (cli_auth_second(s, action, &w, 1, &actor.approver) != 0)
		goto out;
	actor.operator = w.user;
	if (core_run(s, action, &actor, &a, NULL, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto out;
	}
	cli_line(_("%s %s: done"), action, argv[1]);
	ret = CLI_OK;
out:
	store_close(s);
	return ret;
}

/*
 * init --operator NAME: NAME authenticates before the ledger is made (a
 * failure leaves nothing behind), then becomes the first admin, added by
 * the system since nobody else exists yet.
 */
int
cli_init_authenticate(const char *name, int askpass)
{
	if (!core_login_name_ok(name)) {
		cli_error(_("init: \"%s\" is not a valid login name"), name);
		return -1;
	}
	return cli_auth_user(NULL, name, askpass, 0, "init: ");
}

int
cli_init_operator(struct store *s, const char *name)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct store_args	 a = { 0 };
	char			*cause = NULL;

	store_args_add(&a, "name", name);
	store_args_add(&a, "role", "admin");
	if (core_run(s, "operator.add", &sys, &a, NULL, &cause) != 0) {
		cli_error("init: %s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static void
reveal(void *arg, const char *system, const char *login, const char *secret)
{
	char	*l, *sys;

	(void)arg;
	/*
	 * Shown once, to the operator who must hand it over; never logged.
	 * The names come from the ledger and are escaped (cli_line's rule);
	 * the secret, daicho's own, is kept out of those copies.
	 */
	l = vis_str(login, 0);
	sys = vis_str(system, 0);
	printf(_("temporary password for %s on %s: %s\n"), l, sys, secret);
	fflush(stdout);
	free(sys);
	free(l);
}

/*
 * Drive the outbox and say what happened.  mine is the entry the operator
 * at hand just made: the systems it queued work on are done, and only its
 * own temporary passwords are shown.  0: every system, unattended, and no
 * password is shown.
 */
int
cli_outbox(struct store *s, uint64_t mine)
{
	struct core_outbox_stats st;
	char			*cause = NULL;
	int64_t			 orders = 0;
	int			 r;

	if (mine != 0)
		r = core_outbox_run_progress(s, mine, reveal, NULL, NULL, &st,
		    &cause);
	else
		r = core_outbox_run(s, &st, &cause);
	if (r != 0) {
		cli_error("outbox: %s", cause);
		free(cause);
		return -1;
	}
	if (st.systems > 0)
		cli_line(_("targets: %zu applied, %zu failed, on %zu systems"),
		    st.applied, st.failed, st.systems);
	if (core_workorder_count(s, &orders, &cause) != 0) {
		cli_error("outbox: %s", cause);
		free(cause);
	} else if (orders > 0)
		cli_line(_("work orders: %lld open on manual systems (daicho "
		    "workorder list)"), (long long)orders);
	return st.failed > 0 ? 1 : 0;
}

/* What action a accepts, one argument a line, on stderr after an error. */
static void
act_params(const struct core_action *a)
{
	const struct core_param	*p;

	for (p = a->params; p != NULL && p->name != NULL; p++) {
		if (p->flags & CORE_ARG_MADE)
			continue;
		fprintf(stderr, "  %s=%s%s\n", p->name, (p->flags &
		    CORE_ARG_REQUIRED) ? _("  (required) ") : "  ",
		    _(p->help));
	}
}

/*
 * daicho act ACTION name=value ... --user NAME [--approver NAME]: run any
 * action as an authenticated operator (the console's keys run the same
 * actions), then carry its target operations out.
 */
int
cmd_act(int argc, char **argv)
{
	const struct core_action *a;
	struct store_args	 args = { 0 };
	struct core_actor	 actor;
	struct store		*s;
	struct cli_who		 w;
	char			*cause = NULL, *eq;
	uint64_t		 idx;
	int			 i, ret = CLI_ERROR;

	if (who_opts(argc, argv, "act", &w) != 0)
		return CLI_ERROR;
	argc -= optind;
	argv += optind;
	if (argc < 1 || w.user == NULL)
		return cli_usage("act");
	if ((a = core_action_find(argv[0])) == NULL) {
		cli_error(_("act: %s: no such action"), argv[0]);
		return CLI_ERROR;
	}
	if (a->flags & CORE_INTERNAL) {
		cli_error(_("act: %s is written by daicho itself (the console, "
		    "a PAM-authenticated command or the outbox), never "
		    "through act"), a->name);
		return CLI_ERROR;
	}
	for (i = 1; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL || eq == argv[i]) {
			cli_error(_("act: \"%s\" is not name=value"), argv[i]);
			return CLI_ERROR;
		}
		*eq = '\0';
		if (store_args_add(&args, argv[i], eq + 1) != 0) {
			cli_error(_("act: too many arguments"));
			return CLI_ERROR;
		}
	}
	/* Everything wrong with the command at once, before any password. */
	if (core_args_check(a, &args, &cause) != 0) {
		cli_error("act: %s", cause);
		free(cause);
		act_params(a);
		return CLI_ERROR;
	}
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("act: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (cli_auth_user(s, w.user, w.askpass, CORE_ROLE_ADMIN |
	    CORE_ROLE_APPROVER | CORE_ROLE_AUDITOR, "") != 0)
		goto out;
	actor.operator = w.user;
	/* An action that needs a second person only sometimes (validate
	 * says when: id.end_date extending a privileged or contractor ID)
	 * takes the approver given. */
	if ((a->flags & CORE_MAY_APPROVE) && w.approver != NULL) {
		if (cli_auth_approver(s, a->name, &w, &actor.approver) != 0)
			goto out;
	} else if (cli_auth_second(s, a->name, &w, 0, &actor.approver) != 0)
		goto out;
	if (core_run(s, a->name, &actor, &args, &idx, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto out;
	}
	cli_line(_("%s: done"), a->name);
	ret = cli_outbox(s, idx) == 0 ? CLI_OK : CLI_BAD;
out:
	store_close(s);
	return ret;
}

/* daicho outbox run: as the system, like the rotation timer. */
int
cmd_outbox(int argc, char **argv)
{
	struct store	*s;
	char		*cause = NULL;
	int		 r;

	if (cli_dir_opts(argc, argv, "outbox") != 0)
		return CLI_ERROR;
	if (argc - optind != 1 || strcmp(argv[optind], "run") != 0)
		return cli_usage("outbox");
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("outbox: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	r = cli_outbox(s, 0);
	store_close(s);
	return r == 0 ? CLI_OK : r < 0 ? CLI_ERROR : CLI_BAD;
}

/* Read one line: from the askpass descriptor when given, else /dev/tty. */
static int
read_line(int fd, const char *prompt, char *buf, size_t len)
{
	size_t	 n = 0;
	char	 c;
	int	 tty = -1;

	if (fd < 0) {
		if ((tty = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
			return -1;
		if (write(tty, prompt, strlen(prompt)) < 0) {
			close(tty);
			return -1;
		}
		fd = tty;
	}
	while (n + 1 < len && read(fd, &c, 1) == 1 && c != '\n')
		buf[n++] = c;
	buf[n] = '\0';
	if (tty != -1)
		close(tty);
	return 0;
}

/* The preview's list: each ID by system, shared ones called out. */
struct lockout_print {
	char		 system[40];
	int		 department;		/* the scope is a department */
};

static void
lockout_print_id(void *arg, const struct core_lockout_id *l)
{
	struct lockout_print	*p = arg;
	char			 owner[200];

	if (l->exempt)
		return;		/* named on the "not locked" line */
	if (strcmp(p->system, l->system) != 0) {
		snprintf(p->system, sizeof p->system, "%s", l->system);
		cli_line(_("  on %s:"), l->system);
	}
	owner[0] = '\0';
	if (l->owner[0] != '\0')
		snprintf(owner, sizeof owner, _(" owner %s"), l->owner);
	/* The kind and state words stay as stored. */
	cli_line("    %-16s %-11s %-9s%s%s%s", l->login, l->kind, l->state,
	    owner, l->others[0] == '\0' ? "" : p->department ?
	    _("  ** SHARED with other departments: ") :
	    _("  ** SHARED, also used by: "), l->others);
}

/*
 * daicho lockout --scope S --user NAME [--reason TEXT] [--end-sessions]
 * [--yes]: the emergency lockout for when the console cannot be used.
 * One operator is enough; the count is previewed and must be typed back
 * (unless --yes).  --end-sessions also ends the locked accounts' running
 * sessions on the systems whose configuration allows it; the choice is
 * recorded in the entry (end_sessions=0 or 1).
 */
int
cmd_lockout(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "user", required_argument, NULL, 'u' },
		{ "askpass-fd", required_argument, NULL, 'f' },
		{ "scope", required_argument, NULL, 's' },
		{ "reason", required_argument, NULL, 'r' },
		{ "end-sessions", no_argument, NULL, 'e' },
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_args	 a = { 0 };
	struct core_actor	 actor = { NULL, NULL };
	struct cli_who		 w = { NULL, NULL, -1 };
	struct store		*s;
	const char		*scope = NULL, *reason = "emergency lockout";
	char			*cause = NULL, typed[32], want[32];
	char			*exempt = NULL;
	struct lockout_print	 lp;
	size_t			 listed;
	int64_t			 n, nexempt;
	int			 ch, r, yes = 0, end = 0, ret = CLI_ERROR;

	while ((ch = getopt_long(argc, argv, "d:u:f:s:r:ey", opts,
	    NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &w)) == -1)
			return CLI_ERROR;
		if (r == 1)
			continue;
		switch (ch) {
		case 's':
			scope = optarg;
			break;
		case 'r':
			reason = optarg;
			break;
		case 'e':
			end = 1;
			break;
		case 'y':
			yes = 1;
			break;
		default:
			return cli_usage("lockout");
		}
	}
	actor.operator = w.user;
	if (optind != argc || scope == NULL || actor.operator == NULL)
		return cli_usage("lockout");
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("lockout: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (cli_auth_user(s, actor.operator, w.askpass, CORE_ROLE_ADMIN,
	    "") != 0)
		goto out;
	if (core_lockout_preview(s, scope, &n, &cause) != 0) {
		cli_error("lockout: %s", cause);
		free(cause);
		goto out;
	}
	cli_line(ngettext("lockout %s: %lld live ID will be locked%s",
	    "lockout %s: %lld live IDs will be locked%s", PLURAL(n)), scope,
	    (long long)n, end ? _(", and their running sessions ended where "
	    "the system allows it") : "");
	memset(&lp, 0, sizeof lp);
	lp.department = strncmp(scope, "department:", 11) == 0;
	if (core_lockout_ids(s, scope, lockout_print_id, &lp, &listed,
	    &cause) != 0) {
		cli_error("lockout: %s", cause);
		free(cause);
		goto out;
	}
	if (core_lockout_exempt(s, scope, &exempt, &nexempt, &cause) != 0) {
		cli_error("lockout: %s", cause);
		free(cause);
		goto out;
	}
	if (exempt != NULL)
		cli_line(_("not locked: %lld break-glass ID%s: %s"),
		    (long long)nexempt, nexempt == 1 ? "" : "s", exempt);
	free(exempt);
	fflush(stdout);
	if (!yes) {
		snprintf(want, sizeof want, "%lld", (long long)n);
		if (read_line(w.askpass, _("type the count to confirm: "), typed,
		    sizeof typed) != 0 || strcmp(typed, want) != 0) {
			cli_error(_("lockout: not confirmed; nothing was done"));
			goto out;
		}
	}
	store_args_add(&a, "scope", scope);
	store_args_add(&a, "reason", reason);
	store_args_add(&a, "end_sessions", end ? "1" : "0");
	if (core_run(s, "incident.lock", &actor, &a, NULL, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto out;
	}
	cli_line(_("incident recorded; applying to the systems"));
	ret = cli_outbox(s, 0) == 0 ? CLI_OK : CLI_BAD;
out:
	store_close(s);
	return ret;
}

/*
 * daicho reconcile SYSTEM LOGIN lock|adopt|remove [NAME=VALUE ...] --user
 * NAME [--askpass-fd N] [--yes]: act on one of reconciliation's findings.
 * The remedy is prepared in core (the action, its arguments, what it will
 * do), the arguments checked before any password, the preview printed,
 * then the operator authenticates and types "yes" (unless --yes).
 */
static int
reconcile_fix(struct cli_who *w, int yes, int argc, char **argv)
{
	const struct core_action *a;
	struct store_args	 args = { 0 };
	struct core_actor	 actor;
	struct store		*s;
	const char		*action;
	char			*cause = NULL, *preview = NULL, *eq, typed[16];
	uint64_t		 idx;
	int			 i, remedy, ret = CLI_ERROR;

	if ((remedy = core_remedy_parse(argv[2])) == 0 || w->user == NULL)
		return cli_usage("reconcile");
	for (i = 3; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL || eq == argv[i]) {
			cli_error(_("reconcile: \"%s\" is not name=value"),
			    argv[i]);
			return CLI_ERROR;
		}
		*eq = '\0';
		if (store_args_add(&args, argv[i], eq + 1) != 0) {
			cli_error(_("reconcile: too many arguments"));
			return CLI_ERROR;
		}
	}
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("reconcile: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (core_remedy_prepare(s, argv[0], argv[1], remedy, &args, &action,
	    &preview, &cause) != 0 || (a = core_action_find(action)) == NULL ||
	    core_args_check(a, &args, &cause) != 0) {
		cli_error("reconcile: %s", cause);
		free(cause);
		if (preview != NULL)
			act_params(core_action_find(action));
		goto out;
	}
	if (cli_auth_user(s, w->user, w->askpass, CORE_ROLE_ADMIN, "") != 0)
		goto out;
	actor.operator = w->user;
	if (cli_auth_second(s, action, w, 0, &actor.approver) != 0)
		goto out;
	for (eq = strtok(preview, "\n"); eq != NULL; eq = strtok(NULL, "\n"))
		cli_line("%s: %s", action, eq);
	fflush(stdout);
	if (!yes && (read_line(w->askpass, _("type yes to go on: "), typed,
	    sizeof typed) != 0 || strcmp(typed, "yes") != 0)) {
		cli_error(_("reconcile: not confirmed; nothing was done"));
		goto out;
	}
	if (core_run(s, action, &actor, &args, &idx, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto out;
	}
	cli_line(_("%s %s on %s: done"), action, argv[1], argv[0]);
	ret = cli_outbox(s, idx) == 0 ? CLI_OK : CLI_BAD;
out:
	free(preview);
	store_close(s);
	return ret;
}

/* reconcile SYSTEM alone reads (cmd-ledger.c); with a finding, acts. */
int
cmd_reconcile_any(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_who	 w = { NULL, NULL, -1 };
	int		 ch, r, yes = 0;

	while ((ch = getopt_long(argc, argv, "d:u:a:f:y", opts,
	    NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &w)) == -1)
			return CLI_ERROR;
		if (r == 1)
			continue;
		if (ch != 'y')
			return cli_usage("reconcile");
		yes = 1;
	}
	if (argc - optind == 1 && w.user == NULL && !yes) {
		optind = 0;	/* the read-only command parses again */
		return cmd_reconcile(argc, argv);
	}
	if (argc - optind < 3)
		return cli_usage("reconcile");
	return reconcile_fix(&w, yes, argc - optind, argv + optind);
}

/* For the other commands that confirm in bulk (cmd-findings.c). */
int
cli_read_line(int fd, const char *prompt, char *buf, size_t len)
{
	return read_line(fd, prompt, buf, len);
}
