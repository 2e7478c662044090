/*
 * cmd-analysis.c -- reviewing the ledger's own records from the command
 * line: daicho analysis (failed logins, out-of-hours work, privileged
 * changes, emergency actions and exports over a period, as text or CSV)
 * and daicho review done|list (review.done, and the reviews recorded).
 *
 * A DAY is YYYY-MM-DD in the policy's time zone: --from is its start,
 * --to its end (core_day_parse).  The default period is the last 30
 * days, today included.
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

#define ANALYSIS_DEFAULT_DAYS	30

struct an_opts {
	struct cli_who	 w;
	const char	*from, *to;
	const char	*comment;
	int		 csv;
};

static int
an_parse(int argc, char **argv, const char *cmd, struct an_opts *o)
{
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "comment", required_argument, NULL, 'c' },
		{ "csv", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch, r;

	memset(o, 0, sizeof *o);
	o->w.askpass = -1;
	while ((ch = getopt_long(argc, argv, "d:u:a:f:F:T:c:C", opts,
	    NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &o->w)) == -1)
			return -1;
		if (r == 1)
			continue;
		switch (ch) {
		case 'F':
			o->from = optarg;
			break;
		case 'T':
			o->to = optarg;
			break;
		case 'c':
			o->comment = optarg;
			break;
		case 'C':
			o->csv = 1;
			break;
		default:
			cli_usage(cmd);
			return -1;
		}
	}
	return 0;
}

/* The period of --from and --to, by default the last 30 days. */
static int
an_period(struct store *s, const struct an_opts *o, time_t *from,
    time_t *to)
{
	char	*cause = NULL;
	int	 r;

	if (o->to != NULL)
		r = core_day_parse(s, o->to, 1, to, &cause);
	else
		r = core_day_today(s, time(NULL), 1, to, &cause);
	if (r == 0 && o->from != NULL)
		r = core_day_parse(s, o->from, 0, from, &cause);
	else if (r == 0)
		r = core_day_today(s, time(NULL), 1 - ANALYSIS_DEFAULT_DAYS,
		    from, &cause);
	if (r != 0) {
		cli_error("analysis: %s", cause);
		free(cause);
		return -1;
	}
	if (*to <= *from) {
		cli_error(_("analysis: the period ends before it starts"));
		return -1;
	}
	return 0;
}

/* The categories of a hit, "failed,out_of_hours". */
static void
an_cats(unsigned cats, char *buf, size_t len)
{
	size_t	 n = 0;
	int	 i;

	buf[0] = '\0';
	for (i = 0; i < CORE_AN_N && n < len; i++) {
		if (cats & (1u << i))
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n > 0 ? "," : "", core_analysis_names[i]);
	}
}

struct an_out {
	int	 csv;
	char	*buf;
	size_t	 len, cap;
};

static void
an_csv(struct an_out *x, const char *const *f, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		csv_put(&x->buf, &x->len, &x->cap, f[i], strlen(f[i]),
		    i + 1 < n ? ',' : '\n');
}

static const char *const an_head[] = {
	"index", "time", "action", "operator", "approver", "subject",
	"categories", "why",
};
#define AN_NFIELDS	(sizeof an_head / sizeof an_head[0])

static void
an_one(void *arg, const struct core_analysis_hit *h)
{
	struct an_out	*x = arg;
	const char	*f[AN_NFIELDS];
	char		 idx[24], cats[96], when[WHEN_MAX];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)h->e->index);
	an_cats(h->cats, cats, sizeof cats);
	if (x->csv) {
		f[0] = idx;
		f[1] = h->e->time;
		f[2] = h->e->action;
		f[3] = h->e->operator;
		f[4] = h->e->approver != NULL ? h->e->approver : "";
		f[5] = h->e->subject;
		f[6] = cats;
		f[7] = h->why;
		an_csv(x, f, AN_NFIELDS);
		return;
	}
	when_local_utc(h->e->time, 0, when, sizeof when);
	cli_line("%6s  %s  %-18s %s%s%s  %s", idx, when, h->e->action,
	    h->e->operator, h->e->approver != NULL ? "+" : "",
	    h->e->approver != NULL ? h->e->approver : "", h->e->subject);
	cli_line("        %s", h->shown);
}

static void
an_summary(const struct core_analysis *res)
{
	const char	*title;
	char		 from[WHEN_MAX], to[WHEN_MAX];
	int		 i;

	when_local(res->from, 0, from, sizeof from);
	when_local(res->to, 0, to, sizeof to);
	cli_line(_("period %s to %s: %llu entries (%llu to %llu)"), from, to,
	    (unsigned long long)res->entries, (unsigned long long)res->first,
	    res->end > 0 ? (unsigned long long)res->end - 1 : 0ULL);
	for (i = 0; i < CORE_AN_N; i++) {
		title = _(core_analysis_titles[i]);
		if (i == CORE_AN_FAILED)
			cli_line(_("%-*s %lld (%lld locked a terminal)"),
			    cli_pad(title, 20), title, (long long)res->n[i],
			    (long long)res->lockouts);
		else
			cli_line("%-*s %lld", cli_pad(title, 20), title,
			    (long long)res->n[i]);
	}
}

int
cmd_analysis(int argc, char **argv)
{
	struct core_analysis	 res;
	struct core_config	 cfg;
	struct an_opts		 o;
	struct an_out		 x;
	struct store		*s;
	char			*cause = NULL;
	time_t			 from, to;
	int			 r;

	if (an_parse(argc, argv, "analysis", &o) != 0)
		return CLI_ERROR;
	if (optind != argc || o.comment != NULL || o.w.user != NULL ||
	    o.w.approver != NULL)
		return cli_usage("analysis");
	if (core_config_load(cli_config(), 0, &cfg, &cause) != 0) {
		cli_error("analysis: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("analysis: %s", cause);
		free(cause);
		core_config_free(&cfg);
		return CLI_ERROR;
	}
	memset(&x, 0, sizeof x);
	x.csv = o.csv;
	r = an_period(s, &o, &from, &to);
	if (r == 0 && x.csv)
		an_csv(&x, an_head, AN_NFIELDS);
	if (r == 0 && core_analysis_run(s, &cfg, from, to, an_one, &x, &res,
	    &cause) != 0) {
		cli_error("analysis: %s", cause);
		free(cause);
		r = -1;
	}
	store_close(s);
	core_config_free(&cfg);
	if (r == 0 && x.csv && cli_exact(x.buf, x.len) != 0)
		r = -1;
	else if (r == 0 && !x.csv)
		an_summary(&res);
	free(x.buf);
	return r == 0 ? CLI_OK : CLI_ERROR;
}

/* --- daicho review done|list --- */

static int
review_done(const struct an_opts *o)
{
	struct core_actor	 actor = { o->w.user, NULL };
	struct store_args	 a = { 0 };
	struct store		*s;
	char			*cause = NULL;
	uint8_t			*bytes = NULL;
	size_t			 len;
	uint64_t		 idx;
	struct store_entry	*e;
	int			 ret = CLI_ERROR;

	if (o->from == NULL || o->to == NULL || o->comment == NULL ||
	    o->w.user == NULL || o->csv)
		return cli_usage("review");
	store_args_add(&a, "from", o->from);
	store_args_add(&a, "to", o->to);
	store_args_add(&a, "comment", o->comment);
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("review: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (cli_auth_user(s, o->w.user, o->w.askpass, CORE_ROLE_ADMIN |
	    CORE_ROLE_APPROVER, "review.done") != 0)
		goto out;
	if (core_run(s, "review.done", &actor, &a, &idx, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto out;
	}
	if (store_ledger_get(s, idx, &bytes, &len, &cause) == 0 &&
	    (e = store_entry_parse(bytes, len, &cause)) != NULL) {
		cli_line(_("%s: entry %llu, %s"), "review.done",
		    (unsigned long long)idx, store_args_get(&e->args,
		    "counts"));
		store_entry_free(e);
	} else
		cli_line(_("%s: entry %llu"), "review.done",
		    (unsigned long long)idx);
	free(bytes);
	free(cause);
	ret = CLI_OK;
out:
	store_close(s);
	return ret;
}

static void
review_one(void *arg, const struct core_review *r)
{
	char	 from[WHEN_MAX], to[WHEN_MAX];

	(void)arg;
	when_local((time_t)r->from_at, 0, from, sizeof from);
	when_local((time_t)r->to_at, 0, to, sizeof to);
	cli_line(_("%llu  %s to %s, by %s: %s"), (unsigned long long)r->idx,
	    from, to, r->reviewer, r->counts);
	cli_line("      %s", r->comment);
}

static int
review_list(void)
{
	struct store	*s;
	char		*cause = NULL, when[WHEN_MAX];
	size_t		 n;
	int64_t		 last;
	int		 days, due;

	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("review: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (core_review_list(s, review_one, NULL, &n, &cause) != 0 ||
	    (due = core_review_due(s, time(NULL), &last, &days,
	    &cause)) == -1) {
		cli_error("review list: %s", cause);
		free(cause);
		store_close(s);
		return CLI_ERROR;
	}
	store_close(s);
	if (n == 0)
		cli_line(_("no reviews"));
	if (last != 0)
		when_local((time_t)last, 0, when, sizeof when);
	if (due && last == 0)
		cli_line(_("a review of the ledger is due: none was ever recorded"));
	else if (due)
		cli_line(_("a review of the ledger is due: the last period "
		    "reviewed ended %s, more than %d days ago"), when, days);
	else
		cli_line(_("the next review is due %d days after %s"), days,
		    when);
	return CLI_OK;
}

int
cmd_review(int argc, char **argv)
{
	struct an_opts	 o;

	if (an_parse(argc, argv, "review", &o) != 0)
		return CLI_ERROR;
	argc -= optind;
	argv += optind;
	if (argc != 1 || o.w.approver != NULL)
		return cli_usage("review");
	if (strcmp(argv[0], "done") == 0)
		return review_done(&o);
	if (strcmp(argv[0], "list") == 0 && o.from == NULL && o.to == NULL &&
	    o.comment == NULL && o.w.user == NULL && !o.csv)
		return review_list();
	return cli_usage("review");
}
