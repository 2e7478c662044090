/*
 * cmd-stocktake.c -- the quarterly ID stocktake (棚卸し) from the command
 * line: daicho stocktake start|list|show N|items N|decide N|close N|
 * chart N.
 *
 * start, decide and close run their actions as the operator who
 * authenticates (--user), close with a second person (--approver), as
 * cmd-priv.c does; the outbox is driven after close, so the revocations
 * reach the targets at once.  The rest reads.
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

struct stk_opts {
	struct cli_who	 w;
	const char	*scope, *deadline, *title;
	const char	*system, *login, *filter;
	const char	*decision, *reason;
	int		 tsv;
	const char	*report;		/* show --report txt|csv */
};

static int
stk_parse(int argc, char **argv, struct stk_opts *o)
{
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ "scope", required_argument, NULL, 's' },
		{ "deadline", required_argument, NULL, 'D' },
		{ "title", required_argument, NULL, 't' },
		{ "system", required_argument, NULL, 'S' },
		{ "login", required_argument, NULL, 'l' },
		{ "filter", required_argument, NULL, 'F' },
		{ "decision", required_argument, NULL, 'c' },
		{ "reason", required_argument, NULL, 'r' },
		{ "tsv", no_argument, NULL, 'T' },
		{ "report", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch, r;

	memset(o, 0, sizeof *o);
	o->w.askpass = -1;
	while ((ch = getopt_long(argc, argv, "d:u:a:f:", opts, NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &o->w)) == -1)
			return -1;
		if (r == 1)
			continue;
		switch (ch) {
		case 's': o->scope = optarg; break;
		case 'D': o->deadline = optarg; break;
		case 't': o->title = optarg; break;
		case 'S': o->system = optarg; break;
		case 'l': o->login = optarg; break;
		case 'F': o->filter = optarg; break;
		case 'c': o->decision = optarg; break;
		case 'r': o->reason = optarg; break;
		case 'T': o->tsv = 1; break;
		case 'R': o->report = optarg; break;
		default:
			cli_usage("stocktake");
			return -1;
		}
	}
	return 0;
}

static struct store *
stk_open(int readonly)
{
	struct store	*s;
	char		*cause = NULL;

	if ((s = store_open(cli_dir(), readonly ? STORE_READONLY : 0,
	    &cause)) == NULL) {
		cli_error("stocktake: %s", cause);
		free(cause);
	}
	return s;
}

/* Run action as the operator (with the approver when two-person). */
static int
stk_act(const struct stk_opts *o, const char *action, struct store_args *a)
{
	struct core_actor	 actor = { NULL, NULL };
	struct core_config	 cfg;
	struct store		*s;
	char			*cause = NULL;
	uint64_t		 idx;
	int			 ret = CLI_ERROR;

	if (core_args_check(core_action_find(action), a, &cause) != 0) {
		cli_error("stocktake: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (core_config_load(cli_config(), 0, &cfg, &cause) != 0) {
		cli_error("stocktake: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	core_stocktake_config(&cfg);
	core_config_free(&cfg);
	if ((s = stk_open(0)) == NULL)
		return CLI_ERROR;
	if (cli_auth_user(s, o->w.user, o->w.askpass, strcmp(action,
	    "stocktake.decide") == 0 ? CORE_ROLE_ADMIN | CORE_ROLE_APPROVER :
	    CORE_ROLE_ADMIN, action) != 0 ||
	    cli_auth_second(s, action, &o->w, 1, &actor.approver) != 0)
		goto out;
	actor.operator = o->w.user;
	if (core_run(s, action, &actor, a, &idx, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto out;
	}
	if (strcmp(action, "stocktake.start") == 0)
		cli_line(_("stocktake.start: stocktake %llu started"),
		    (unsigned long long)idx);
	else
		cli_line(_("%s: done (entry %llu)"), action,
		    (unsigned long long)idx);
	ret = CLI_OK;
	if (strcmp(action, "stocktake.close") == 0)
		ret = cli_outbox(s, idx) == 0 ? CLI_OK : CLI_BAD;
out:
	store_close(s);
	return ret;
}

static int
stk_start(int argc, const struct stk_opts *o)
{
	struct store_args	 a = { 0 };

	if (argc != 1 || o->w.user == NULL || o->scope == NULL ||
	    o->deadline == NULL)
		return cli_usage("stocktake");
	store_args_add(&a, "scope", o->scope);
	store_args_add(&a, "deadline", o->deadline);
	if (o->title != NULL)
		store_args_add(&a, "title", o->title);
	return stk_act(o, "stocktake.start", &a);
}

static int
stk_number(const char *v, long long *n)
{
	return cli_number("campaign", v, 1, INT64_MAX, n);
}

static int
stk_decide(int argc, char **argv, const struct stk_opts *o)
{
	struct store_args	 a = { 0 };
	long long		 n;

	if (argc != 2 || o->w.user == NULL || o->decision == NULL ||
	    o->reason == NULL || ((o->filter != NULL) == (o->system != NULL ||
	    o->login != NULL)))
		return cli_usage("stocktake");
	if (stk_number(argv[1], &n) != 0)
		return CLI_ERROR;
	store_args_add(&a, "campaign", argv[1]);
	if (o->filter != NULL)
		store_args_add(&a, "filter", o->filter);
	if (o->system != NULL)
		store_args_add(&a, "system", o->system);
	if (o->login != NULL)
		store_args_add(&a, "login", o->login);
	store_args_add(&a, "decision", o->decision);
	store_args_add(&a, "reason", o->reason);
	return stk_act(o, "stocktake.decide", &a);
}

static int
stk_close(int argc, char **argv, const struct stk_opts *o)
{
	struct store_args	 a = { 0 };
	long long		 n;

	if (argc != 2 || o->w.user == NULL)
		return cli_usage("stocktake");
	if (o->w.approver == NULL) {
		cli_error(_("stocktake close: two-person: --approver NAME"));
		return CLI_ERROR;
	}
	if (stk_number(argv[1], &n) != 0)
		return CLI_ERROR;
	store_args_add(&a, "campaign", argv[1]);
	return stk_act(o, "stocktake.close", &a);
}

/* confirm N --system S --login L --reason TEXT: a change or an
 * investigation carried out (--user), confirmed (--approver). */
static int
stk_confirm(int argc, char **argv, const struct stk_opts *o)
{
	struct store_args	 a = { 0 };
	long long		 n;

	if (argc != 2 || o->w.user == NULL || o->system == NULL ||
	    o->login == NULL || o->reason == NULL)
		return cli_usage("stocktake");
	if (o->w.approver == NULL) {
		cli_error(_("stocktake confirm: two-person: --approver NAME"));
		return CLI_ERROR;
	}
	if (stk_number(argv[1], &n) != 0)
		return CLI_ERROR;
	store_args_add(&a, "campaign", argv[1]);
	store_args_add(&a, "system", o->system);
	store_args_add(&a, "login", o->login);
	store_args_add(&a, "note", o->reason);
	return stk_act(o, "stocktake.confirm", &a);
}

static void
stk_list_one(void *arg, const struct core_stocktake *c)
{
	char	 n[24], items[24], dec[24], start[WHEN_MAX], dl[WHEN_MAX];
	const char *f[8];

	(void)arg;
	snprintf(n, sizeof n, "%llu", (unsigned long long)c->idx);
	snprintf(items, sizeof items, "%lld", (long long)c->items);
	snprintf(dec, sizeof dec, "%lld", (long long)c->decided);
	when_local((time_t)c->started_at, 0, start, sizeof start);
	when_local((time_t)c->deadline - 1, 0, dl, sizeof dl);
	f[0] = n; f[1] = c->state; f[2] = items; f[3] = dec; f[4] = start;
	f[5] = dl; f[6] = c->scope; f[7] = c->title;
	cli_row(f, 8);
}

static int
stk_list(int argc)
{
	struct store	*s;
	char		*cause = NULL;
	size_t		 n;
	int		 r;

	if (argc != 1)
		return cli_usage("stocktake");
	if ((s = stk_open(1)) == NULL)
		return CLI_ERROR;
	r = core_stocktake_list(s, stk_list_one, NULL, &n, &cause);
	store_close(s);
	if (r != 0) {
		cli_error("stocktake: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (n == 0)
		cli_line(_("no stocktake yet"));
	return CLI_OK;
}

static void
stk_show_insp(void *arg, const struct core_stocktake_inspection *in)
{
	(void)arg;
	cli_line(_("  %s: %lld IDs; unnecessary accounts (recommended revoke) "
	    "%lld; unnecessary rights %lld; privileged %lld; passwords: "
	    "max_age_days %d, history %d, overdue %lld, unknown %lld: %s"),
	    in->system, (long long)in->ids, (long long)in->unnecessary,
	    (long long)in->unnecessary_rights, (long long)in->privileged,
	    in->max_age_days, in->history, (long long)in->pw_overdue,
	    (long long)in->pw_unknown, in->conforms ? _("conforms") :
	    _("does not conform"));
}

/* A closed campaign's sealed review list, as its blob holds it
 * (hash-checked): 0 written, 1 not sealed, -1 failed. */
static int
stk_sealed(struct store *s, long long n, const char *which)
{
	struct core_report	 rep;
	char			 key[24], *cause = NULL;
	uint8_t			*data = NULL;
	size_t			 len;
	int			 r;

	snprintf(key, sizeof key, "%lld", n);
	if ((r = core_report_find(s, "stocktake", key, &rep, &cause)) == 1)
		return 1;
	if (r == 0 && rep.removed_idx != 0) {
		cli_error(_("stocktake: the review list of %lld was removed "
		    "(entry %llu)"), n, (unsigned long long)rep.removed_idx);
		return -1;
	}
	if (r == 0 && (r = store_blob_get(s, strcmp(which, "txt") == 0 ?
	    rep.txt : rep.csv, &data, &len, &cause)) == 1)
		xasprintf(&cause, _("the sealed review list of %lld is missing "
		    "from the database"), n);
	if (r != 0) {
		cli_error("stocktake: %s", cause);
		free(cause);
		return -1;
	}
	r = cli_exact((const char *)data, len);
	free(data);
	return r == 0 ? 0 : -1;
}

/* show N --report txt|csv: the review list's exact bytes (as sealed,
 * once closed). */
static int
stk_show_report(struct store *s, long long n, const char *which)
{
	char	*txt = NULL, *csv = NULL, *cause = NULL;
	size_t	 tlen, clen;
	int	 r;

	if (strcmp(which, "txt") != 0 && strcmp(which, "csv") != 0)
		return cli_usage("stocktake");
	/* Closed: the sealed bytes, not the tables as they are now. */
	if ((r = stk_sealed(s, n, which)) != 1)
		return r == 0 ? CLI_OK : CLI_ERROR;
	if (core_stocktake_report(s, n, &txt, &tlen, &csv, &clen,
	    &cause) != 0) {
		cli_error("stocktake: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	r = strcmp(which, "txt") == 0 ? cli_exact(txt, tlen) :
	    cli_exact(csv, clen);
	free(txt);
	free(csv);
	return r == 0 ? CLI_OK : CLI_ERROR;
}

static int
stk_show(int argc, char **argv, const struct stk_opts *o)
{
	struct core_stocktake	 c;
	struct store		*s;
	char			*cause = NULL, start[WHEN_MAX], dl[WHEN_MAX];
	long long		 n;
	int			 r, ret = CLI_ERROR;

	if (argc != 2 || stk_number(argv[1], &n) != 0)
		return argc != 2 ? cli_usage("stocktake") : CLI_ERROR;
	if ((s = stk_open(1)) == NULL)
		return CLI_ERROR;
	if (o->report != NULL) {
		ret = stk_show_report(s, n, o->report);
		store_close(s);
		return ret;
	}
	if ((r = core_stocktake_get(s, (uint64_t)n, &c, &cause)) != 0) {
		if (r == 1)
			cli_error(_("stocktake: there is no stocktake %lld"), n);
		else
			cli_error("stocktake: %s", cause);
		goto out;
	}
	when_local((time_t)c.started_at, 0, start, sizeof start);
	when_local((time_t)c.deadline - 1, 0, dl, sizeof dl);
	cli_line(_("stocktake %llu: %s%s%s"), (unsigned long long)c.idx, c.state,
	    c.title[0] != '\0' ? ": " : "", c.title);
	cli_line(_("scope: %s"), c.scope);
	cli_line(_("started: %s by %s; deadline: %s"), start, c.started_by, dl);
	cli_line(_("decided: %lld of %lld"), (long long)c.decided,
	    (long long)c.items);
	if (c.defaulted_idx != 0)
		cli_line(_("defaults at the deadline: entry %llu"),
		    (unsigned long long)c.defaulted_idx);
	if (c.closed_idx != 0)
		cli_line(_("closed: entry %llu by %s, approved by %s"),
		    (unsigned long long)c.closed_idx, c.closed_by,
		    c.closed_approver);
	cli_line(_("periodic inspection per system:"));
	if (core_stocktake_inspection(s, c.idx, stk_show_insp, NULL,
	    &cause) != 0) {
		cli_error("stocktake: %s", cause);
		goto out;
	}
	ret = CLI_OK;
out:
	free(cause);
	store_close(s);
	return ret;
}

static void
stk_items_one(void *arg, const struct core_stocktake_item *it)
{
	char		 last[WHEN_MAX], exc[24];
	const char	*f[12];

	(void)arg;
	last[0] = '\0';
	if (it->last_use >= 0)
		when_local((time_t)it->last_use, 0, last, sizeof last);
	exc[0] = '\0';
	if (it->exception != 0)
		snprintf(exc, sizeof exc, "%lld", it->exception);
	f[0] = it->system; f[1] = it->login; f[2] = it->kind;
	f[3] = it->state; f[4] = it->owner; f[5] = it->id_department;
	f[6] = it->hr_department; f[7] = last; f[8] = it->findings;
	f[9] = exc; f[10] = it->recommendation;
	f[11] = it->decision[0] != '\0' ? it->decision : "-";
	cli_row(f, 12);
}

static int
stk_items(int argc, char **argv, const struct stk_opts *o)
{
	struct store	*s;
	char		*cause = NULL;
	long long	 n;
	size_t		 count;
	int		 r;

	if (argc != 2)
		return cli_usage("stocktake");
	if (stk_number(argv[1], &n) != 0)
		return CLI_ERROR;
	if ((s = stk_open(1)) == NULL)
		return CLI_ERROR;
	r = core_stocktake_items_load(s, (uint64_t)n, o->filter,
	    stk_items_one, NULL, &count, &cause);
	store_close(s);
	if (r != 0) {
		cli_error("stocktake: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (!o->tsv)
		cli_line(_("%zu items"), count);
	return CLI_OK;
}

/* A bar of width cells for v of max. */
static void
stk_bar(char *buf, size_t len, int64_t v, int64_t max, int width)
{
	int	 k = max > 0 ? (int)((v * width + max - 1) / max) : 0, i;

	for (i = 0; i < k && (size_t)i + 1 < len; i++)
		buf[i] = '#';
	buf[i] = '\0';
}

static int
stk_chart(int argc, char **argv)
{
	struct core_stocktake_bar *b;
	struct store	*s;
	char		*cause = NULL, bar[64], line[256];
	long long	 n;
	int64_t		 max = 0;
	size_t		 nb, i;
	int		 j, r;
	size_t		 off;

	if (argc != 2)
		return cli_usage("stocktake");
	if (stk_number(argv[1], &n) != 0)
		return CLI_ERROR;
	if ((s = stk_open(1)) == NULL)
		return CLI_ERROR;
	r = core_stocktake_chart(s, (uint64_t)n, &b, &nb, &cause);
	store_close(s);
	if (r != 0) {
		cli_error("stocktake: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	for (i = 0; i < nb; i++)
		if (b[i].total > max)
			max = b[i].total;
	for (i = 0; i < nb; i++) {
		stk_bar(bar, sizeof bar, b[i].total, max, 40);
		cli_line("%s %lld %s", b[i].department,
		    (long long)b[i].total, bar);
		off = 0;
		line[0] = '\0';
		for (j = 0; j < CORE_STOCKTAKE_NSTATES; j++)
			if (b[i].state[j] != 0 && off < sizeof line)
				off += (size_t)snprintf(line + off,
				    sizeof line - off, " %s %lld",
				    core_stocktake_states[j],
				    (long long)b[i].state[j]);
		/* The state and decision words stay as --filter takes them. */
		cli_line(_("  state:%s"), line);
		off = 0;
		line[0] = '\0';
		for (j = 0; j <= CORE_STOCKTAKE_NDECISIONS; j++)
			if (b[i].decision[j] != 0 && off < sizeof line)
				off += (size_t)snprintf(line + off,
				    sizeof line - off, " %s %lld",
				    j < CORE_STOCKTAKE_NDECISIONS ?
				    core_stocktake_decisions[j] : "undecided",
				    (long long)b[i].decision[j]);
		cli_line(_("  decision:%s"), line);
	}
	free(b);
	return CLI_OK;
}

int
cmd_stocktake(int argc, char **argv)
{
	struct stk_opts	 o;
	const char	*verb;

	if (stk_parse(argc, argv, &o) != 0)
		return CLI_ERROR;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cli_usage("stocktake");
	verb = argv[0];
	if (strcmp(verb, "start") == 0)
		return stk_start(argc, &o);
	if (strcmp(verb, "decide") == 0)
		return stk_decide(argc, argv, &o);
	if (strcmp(verb, "close") == 0)
		return stk_close(argc, argv, &o);
	if (strcmp(verb, "confirm") == 0)
		return stk_confirm(argc, argv, &o);
	if (o.w.user != NULL || o.w.approver != NULL)
		return cli_usage("stocktake");
	if (strcmp(verb, "list") == 0)
		return stk_list(argc);
	if (strcmp(verb, "show") == 0)
		return stk_show(argc, argv, &o);
	if (strcmp(verb, "items") == 0)
		return stk_items(argc, argv, &o);
	if (strcmp(verb, "chart") == 0)
		return stk_chart(argc, argv);
	return cli_usage("stocktake");
}
