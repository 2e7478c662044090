/*
 * cmd-exception.c -- exceptions to policy (例外措置) from the command
 * line: daicho exception request|emergency|approve|reject|report|end,
 * list, show N, and register (例外措置台帳) as text or CSV.
 *
 * As for privileged requests, each decision is its maker's own act: the
 * approver authenticates as --user and the entry is in their name; core
 * refuses the requester's approval of their own request and the
 * report of one's own emergency.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "cli.h"

struct exc_opts {
	struct cli_who	 w;
	const char	*opt[9];		/* by exc_names */
	const char	*format;		/* list: text, tsv */
	int		 csv;			/* register --csv */
	const char	*year;			/* register --year FY */
};

/* The text options, each an argument of the same name. */
static const char *const exc_names[9] = {
	"start", "end", "reason", "measure", "alternative", "risk",
	"comment", "report", "state"
};

static int
exc_parse(int argc, char **argv, struct exc_opts *o)
{
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ "start", required_argument, NULL, '0' },
		{ "end", required_argument, NULL, '1' },
		{ "reason", required_argument, NULL, '2' },
		{ "measure", required_argument, NULL, '3' },
		{ "alternative", required_argument, NULL, '4' },
		{ "risk", required_argument, NULL, '5' },
		{ "comment", required_argument, NULL, '6' },
		{ "report", required_argument, NULL, '7' },
		{ "state", required_argument, NULL, '8' },
		{ "format", required_argument, NULL, 'F' },
		{ "csv", no_argument, NULL, 'c' },
		{ "year", required_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch, r;

	memset(o, 0, sizeof *o);
	o->w.askpass = -1;
	o->format = "text";
	while ((ch = getopt_long(argc, argv, "d:u:a:f:", opts, NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &o->w)) == -1)
			return -1;
		if (r == 1)
			continue;
		if (ch >= '0' && ch <= '8')
			o->opt[ch - '0'] = optarg;
		else if (ch == 'F')
			o->format = optarg;
		else if (ch == 'c')
			o->csv = 1;
		else if (ch == 'y')
			o->year = optarg;
		else {
			cli_usage("exception");
			return -1;
		}
	}
	return 0;
}

/* Run action as --user (one of roles) and say what it did. */
static int
exc_act(const struct exc_opts *o, int roles, const char *action,
    const struct store_args *args)
{
	struct core_actor	 actor = { o->w.user, NULL };
	struct store		*s;
	char			*cause = NULL;
	uint64_t		 idx;
	int			 ret = CLI_ERROR;

	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("exception: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (cli_auth_user(s, o->w.user, o->w.askpass, roles, action) != 0)
		goto out;
	if (core_run(s, action, &actor, args, &idx, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto out;
	}
	if (strcmp(action, "exception.request") == 0)
		cli_line(_("exception.request: exception %llu is waiting for "
		    "an approver (daicho exception approve %llu)"),
		    (unsigned long long)idx, (unsigned long long)idx);
	else if (strcmp(action, "exception.emergency") == 0)
		cli_line(_("exception.emergency: exception %llu is in force; "
		    "report it to an approver (daicho exception report %llu)"),
		    (unsigned long long)idx, (unsigned long long)idx);
	else
		cli_line(_("%s: done"), action);
	ret = CLI_OK;
out:
	store_close(s);
	return ret;
}

/* The text options given, as arguments of their names (but state). */
static void
exc_add_opts(const struct exc_opts *o, struct store_args *a)
{
	size_t	 i;

	for (i = 0; i < 8; i++) {
		if (o->opt[i] != NULL)
			store_args_add(a, exc_names[i], o->opt[i]);
	}
}

/* exception request|emergency RULE SCOPE --end DAY --reason TEXT ... */
static int
exc_new(int argc, char **argv, const struct exc_opts *o)
{
	struct store_args	 a = { 0 };

	if (argc != 3 || o->w.user == NULL || o->opt[6] != NULL ||
	    o->opt[7] != NULL)
		return cli_usage("exception");
	store_args_add(&a, "rule", argv[1]);
	store_args_add(&a, "scope", argv[2]);
	exc_add_opts(o, &a);
	return exc_act(o, CORE_ROLE_ADMIN, strcmp(argv[0], "request") == 0 ?
	    "exception.request" : "exception.emergency", &a);
}

/* exception approve|reject|report|end N ... */
static int
exc_decide(int argc, char **argv, const struct exc_opts *o)
{
	struct store_args	 a = { 0 };
	const char		*verb = argv[0];
	char			 action[32];
	long long		 n;
	int			 roles = CORE_ROLE_APPROVER;

	if (argc != 2 || o->w.user == NULL)
		return cli_usage("exception");
	if (cli_number("exception", argv[1], 1, INT64_MAX, &n) != 0)
		return CLI_ERROR;
	store_args_add(&a, "exception", argv[1]);
	exc_add_opts(o, &a);
	if (strcmp(verb, "end") == 0)
		roles |= CORE_ROLE_ADMIN;
	snprintf(action, sizeof action, "exception.%s", verb);
	return exc_act(o, roles, action, &a);
}

static void
exc_list_one(void *arg, const struct core_exception *x)
{
	const int	*tsv = arg;
	char		 n[24], start[WHEN_MAX], end[WHEN_MAX], due[WHEN_MAX];
	const char	*f[9];

	snprintf(n, sizeof n, "%llu", (unsigned long long)x->idx);
	when_local((time_t)x->start_at, 0, start, sizeof start);
	when_local((time_t)x->end_at, 0, end, sizeof end);
	due[0] = '\0';
	if (x->report_due != 0)
		when_local((time_t)x->report_due, 0, due, sizeof due);
	if (*tsv) {
		f[0] = n; f[1] = x->state; f[2] = x->kind; f[3] = x->rule;
		f[4] = x->scope; f[5] = start; f[6] = end;
		f[7] = x->requester; f[8] = x->approver;
		cli_row(f, 9);
		return;
	}
	/* The state and rule stay as stored: --state and tsv say them. */
	cli_line(_("%s  %-9s %s for %s, by %s"), n, x->state, x->rule,
	    x->scope, x->requester);
	if (x->approver[0] != '\0')
		cli_line(_("      %s to %s, decided by %s"), start, end,
		    x->approver);
	else
		cli_line(_("      %s to %s"), start, end);
	if (strcmp(x->kind, "emergency") == 0)
		cli_line(_("      emergency: report due %s%s"), due,
		    x->reported_at != 0 ? _(", reported") : _(", not reported"));
}

static int
exc_open_ro(struct store **s)
{
	char	*cause = NULL;

	if ((*s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("exception: %s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int
exc_list(const struct exc_opts *o)
{
	struct store	*s;
	char		*cause = NULL;
	size_t		 n;
	int		 tsv, i;
	static const char *const states[] = { "requested", "approved",
	    "rejected", "emergency", "reported", "ended", "expired" };

	if (strcmp(o->format, "text") != 0 && strcmp(o->format, "tsv") != 0)
		return cli_usage("exception");
	for (i = 0; o->opt[8] != NULL && i < 7; i++) {
		if (strcmp(o->opt[8], states[i]) == 0)
			break;
	}
	if (i == 7) {
		cli_error(_("exception list: --state is one of requested, "
		    "approved, rejected, emergency, reported, ended, expired"));
		return CLI_ERROR;
	}
	tsv = strcmp(o->format, "tsv") == 0;
	if (exc_open_ro(&s) != 0)
		return CLI_ERROR;
	if (core_exception_list(s, o->opt[8], exc_list_one, &tsv, &n,
	    &cause) != 0) {
		cli_error("exception list: %s", cause);
		free(cause);
		store_close(s);
		return CLI_ERROR;
	}
	if (n == 0 && !tsv)
		cli_line(_("no exceptions"));
	store_close(s);
	return CLI_OK;
}

static void
exc_show_line(const char *label, const char *v)
{
	if (*v != '\0')
		cli_line("  %-*s %s", cli_pad(label, 12), label, v);
}

static int
exc_show(const char *arg)
{
	struct core_exception	*x;
	struct store		*s;
	char			*cause = NULL, t[5][WHEN_MAX];
	long long		 n;
	int			 r;

	if (cli_number("exception", arg, 1, INT64_MAX, &n) != 0 ||
	    exc_open_ro(&s) != 0)
		return CLI_ERROR;
	x = xmalloc(sizeof *x);
	if ((r = core_exception_get(s, n, x, &cause)) != 0) {
		if (r == 1)
			cli_error(_("exception show: there is no exception %lld"),
			    n);
		else
			cli_error("exception show: %s", cause);
		free(cause);
		free(x);
		store_close(s);
		return CLI_ERROR;
	}
	when_local((time_t)x->requested_at, 0, t[0], sizeof t[0]);
	when_local((time_t)x->start_at, 0, t[1], sizeof t[1]);
	when_local((time_t)x->end_at, 0, t[2], sizeof t[2]);
	t[3][0] = t[4][0] = '\0';
	if (x->report_due != 0)
		when_local((time_t)x->report_due, 0, t[3], sizeof t[3]);
	if (x->reported_at != 0)
		when_local((time_t)x->reported_at, 0, t[4], sizeof t[4]);
	cli_line(_("exception %lld: %s, %s"), n, x->kind, x->state);
	/* TRANSLATORS: the labels of exception show, padded to 12 columns. */
	exc_show_line(_("rule"), x->rule);
	exc_show_line(_("clause"), core_exception_clause(x->rule));
	exc_show_line(_("scope"), x->scope);
	exc_show_line(_("requested on"), t[0]);
	exc_show_line(_("requester"), x->requester);
	exc_show_line(_("start"), t[1]);
	exc_show_line(_("end"), t[2]);
	exc_show_line(_("reason"), x->reason);
	exc_show_line(_("measure"), x->measure);
	exc_show_line(_("alternative"), x->alternative);
	exc_show_line(_("risk"), x->risk);
	exc_show_line(_("approver"), x->approver);
	exc_show_line(_("comment"), x->comment);
	exc_show_line(_("report due"), t[3]);
	exc_show_line(_("reported on"), t[4]);
	exc_show_line(_("report"), x->report);
	exc_show_line(_("ended"), x->end_note);
	free(x);
	store_close(s);
	return CLI_OK;
}

static int
exc_register(const struct exc_opts *o)
{
	struct store	*s;
	char		*cause = NULL, *buf = NULL;
	size_t		 len = 0;
	long long	 fy = 0;
	FILE		*f;
	int		 r;

	if (o->year != NULL && cli_number("--year", o->year, 1990, 9998,
	    &fy) != 0)
		return CLI_ERROR;
	if (exc_open_ro(&s) != 0)
		return CLI_ERROR;
	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	r = core_exception_register(s, (int)fy, o->csv, f, &cause);
	fclose(f);
	store_close(s);
	if (r != 0) {
		cli_error("exception register: %s", cause);
		free(cause);
		free(buf);
		return CLI_ERROR;
	}
	/* CSV for programs, as it is; text escaped for the terminal. */
	if (o->csv)
		r = cli_exact(buf, len);
	else if (len > 0) {
		char	*p = buf, *nl;

		for (; *p != '\0'; p = nl + 1) {
			if ((nl = strchr(p, '\n')) == NULL)
				break;
			*nl = '\0';
			cli_line("%s", p);
		}
	}
	free(buf);
	return r == 0 ? CLI_OK : CLI_ERROR;
}

int
cmd_exception(int argc, char **argv)
{
	struct exc_opts	 o;
	const char	*verb;

	if (exc_parse(argc, argv, &o) != 0)
		return CLI_ERROR;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cli_usage("exception");
	if (o.w.approver != NULL) {
		cli_error(_("exception: no second person here; the approver "
		    "decides in their own name (--user APPROVER)"));
		return CLI_ERROR;
	}
	verb = argv[0];
	if (strcmp(verb, "request") == 0 || strcmp(verb, "emergency") == 0)
		return exc_new(argc, argv, &o);
	if (strcmp(verb, "approve") == 0 || strcmp(verb, "reject") == 0 ||
	    strcmp(verb, "report") == 0 || strcmp(verb, "end") == 0)
		return exc_decide(argc, argv, &o);
	if (o.w.user != NULL)
		return cli_usage("exception");
	if (strcmp(verb, "show") == 0 && argc == 2)
		return exc_show(argv[1]);
	if (argc != 1)
		return cli_usage("exception");
	if (strcmp(verb, "list") == 0)
		return exc_list(&o);
	if (strcmp(verb, "register") == 0)
		return exc_register(&o);
	return cli_usage("exception");
}
