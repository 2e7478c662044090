/*
 * screen-stocktake.c -- the quarterly ID stocktake (棚卸し) at the
 * console: one campaign's items (every ID in its scope as the snapshot
 * took them), how much is decided as a progress bar, and the reviewers'
 * decisions.  core/action-stocktake.c holds the rules.
 *
 * The campaign shown is the newest open one (else the newest); F8 picks
 * another.  Decisions are made on the marked items (or the chosen one)
 * in one transaction, one stocktake.decide entry each; or in bulk by a
 * filter of core's (recommendation=revoke,kind=personal), which is one
 * entry whatever the count, as the command line's decide --filter is.
 * F3 draws the campaign's chart: per department, its IDs by state and by
 * decision.  F5 starts a campaign, F9 closes one (two-person); on a
 * closed one, ^D confirms a change or an investigation it left to people
 * (stocktake.confirm, two-person).
 *
 * A campaign may hold every ID of the city, so the rows keep their text
 * in one pool (offsets, not pointers): a few dozen bytes an item.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "tui-int.h"

/* The text of an item, in the pool. */
enum {
	SK_SYSTEM, SK_LOGIN, SK_KIND, SK_STATE, SK_OWNER, SK_NAME, SK_DEPT,
	SK_FINDINGS, SK_REC, SK_DECISION, SK_REASON, SK_BY, SK_NSTR
};

struct stkrow {
	uint32_t	 s[SK_NSTR];		/* offsets into the pool */
	int64_t		 last_use;
	long long	 exception;
};

struct stkscreen {
	struct tui_listscreen	 ls;		/* first: the list screen */
	struct core_stocktake	 c;		/* the campaign shown */
	int			 have;		/* c is one */
	uint64_t		 want;		/* F8's choice, or 0: newest */
	struct stkrow		*v;
	size_t			 n, cap;
	char			*pool;
	size_t			 plen, pcap;
	int64_t			 decided, total;
	char			 confirm[2][40];	/* ^D's item: system,
							   login */
};

/* A decision asked for: the marked items, or a filter. */
struct stkdecide {
	uint64_t	 campaign;
	char		 (*id)[2][40];		/* system, login; NULL: filter */
	size_t		 n;
	char		 filter[CORE_STOCKTAKE_FILTER_MAX];
	char		 decision[16];
	char		 reason[128];
};

static const struct tui_list_col stk_cols[] = {
	{ .title = N_("System"), .width = 12, .min = 8, .prio = 5 },
	{ .title = N_("Login"), .width = 11, .min = 8, .prio = 5 },
	{ .title = N_("Kind"), .width = 10, .min = 6, .prio = 2 },
	{ .title = N_("Department"), .width = 12, .min = 8, .prio = 1,
	    .share = 1 },
	{ .title = N_("Findings"), .width = 14, .min = 8, .prio = 3,
	    .share = 1 },
	{ .title = N_("Advice"), .width = 6, .min = 6, .prio = 4 },
	{ .title = N_("Decision"), .width = 11, .min = 8, .prio = 5 },
};
#define STK_NCOLS	(int)(sizeof stk_cols / sizeof stk_cols[0])

static const char *
stk_str(const struct stkscreen *s, const struct stkrow *r, int i)
{
	return s->pool + r->s[i];
}

static uint32_t
stk_keep(struct stkscreen *s, const char *text)
{
	size_t	 len = strlen(text) + 1;
	size_t	 at = s->plen;

	if (at + len > UINT32_MAX)
		fatalx("stocktake: more item text than the screen can hold");
	s->pool = xgrow(s->pool, &s->pcap, at + len, 1);
	memcpy(s->pool + at, text, len);
	s->plen += len;
	return (uint32_t)at;
}

static size_t
stk_count(void *arg)
{
	return ((struct stkscreen *)arg)->n;
}

static void
stk_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct stkscreen	*s = arg;
	const struct stkrow	*r = &s->v[row];
	const char		*d;

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", stk_str(s, r, SK_SYSTEM));
		break;
	case 1:
		snprintf(buf, len, "%s", stk_str(s, r, SK_LOGIN));
		break;
	case 2:
		snprintf(buf, len, "%s", _(stk_str(s, r, SK_KIND)));
		break;
	case 3:
		snprintf(buf, len, "%s", stk_str(s, r, SK_DEPT));
		break;
	case 4:
		if (r->exception != 0)
			snprintf(buf, len, "%s (exc. %lld)",
			    stk_str(s, r, SK_FINDINGS), r->exception);
		else
			snprintf(buf, len, "%s", stk_str(s, r, SK_FINDINGS));
		break;
	case 5:
		snprintf(buf, len, "%s", _(stk_str(s, r, SK_REC)));
		break;
	default:
		d = stk_str(s, r, SK_DECISION);
		snprintf(buf, len, "%s", *d != '\0' ? _(d) : "-");
		break;
	}
}

/* The filter finds an item by its words, and "undecided" the open ones. */
static void
stk_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct stkscreen	*s = arg;
	const struct stkrow	*r = &s->v[row];
	const char		*d = stk_str(s, r, SK_DECISION);

	snprintf(buf, len, "%s %s %s %s %s %s %s %s", stk_str(s, r, SK_LOGIN),
	    stk_str(s, r, SK_SYSTEM), *d != '\0' ? d : "undecided",
	    stk_str(s, r, SK_REC), stk_str(s, r, SK_FINDINGS),
	    stk_str(s, r, SK_KIND), stk_str(s, r, SK_DEPT),
	    stk_str(s, r, SK_OWNER));
}

static int
stk_compare(void *arg, size_t a, size_t b, int col)
{
	char	x[128], y[128];

	stk_cell(arg, a, col, x, sizeof x);
	stk_cell(arg, b, col, y, sizeof y);
	return strcmp(x, y);
}

static const struct tui_list_source stk_source = {
	.count = stk_count,
	.cell = stk_cell,
	.search = stk_search,
	.compare = stk_compare,
};

static void
stk_add(void *arg, const struct core_stocktake_item *it)
{
	struct stkscreen	*s = arg;
	struct stkrow		*r;
	const char		*dept = *it->id_department != '\0' ?
				    it->id_department : it->hr_department;

	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	r = &s->v[s->n++];
	r->s[SK_SYSTEM] = stk_keep(s, it->system);
	r->s[SK_LOGIN] = stk_keep(s, it->login);
	r->s[SK_KIND] = stk_keep(s, it->kind);
	r->s[SK_STATE] = stk_keep(s, it->state);
	r->s[SK_OWNER] = stk_keep(s, it->owner);
	r->s[SK_NAME] = stk_keep(s, it->owner_name);
	r->s[SK_DEPT] = stk_keep(s, *dept != '\0' ? dept : "-");
	r->s[SK_FINDINGS] = stk_keep(s, it->findings);
	r->s[SK_REC] = stk_keep(s, it->recommendation);
	r->s[SK_DECISION] = stk_keep(s, it->decision);
	r->s[SK_REASON] = stk_keep(s, it->reason);
	r->s[SK_BY] = stk_keep(s, it->decided_by);
	r->last_use = it->last_use;
	r->exception = it->exception;
}

/* Which campaign: the one F8 chose, else the newest open, else newest. */
static void
stk_pick_campaign(void *arg, const struct core_stocktake *c)
{
	struct stkscreen	*s = arg;
	int			 open = strcmp(c->state, "open") == 0;

	if (s->want != 0) {
		if (c->idx == s->want) {
			s->c = *c;
			s->have = 1;
		}
		return;
	}
	if (!s->have || (open && strcmp(s->c.state, "open") != 0)) {
		s->c = *c;
		s->have = 1;
	}
}

static int
stk_load(struct tui_listscreen *ls, char **cause)
{
	struct stkscreen	*s = (struct stkscreen *)ls;
	size_t			 n;

	s->have = 0;
	if (core_stocktake_list(ls->t->store, stk_pick_campaign, s, &n,
	    cause) != 0)
		return -1;
	if (!s->have && s->want != 0) {
		s->want = 0;		/* gone: show the newest instead */
		if (core_stocktake_list(ls->t->store, stk_pick_campaign, s,
		    &n, cause) != 0)
			return -1;
	}
	if (!s->have)
		return 0;
	if (core_stocktake_progress(ls->t->store, s->c.idx, &s->decided,
	    &s->total, cause) != 0)
		return -1;
	return core_stocktake_items_load(ls->t->store, s->c.idx, NULL,
	    stk_add, s, &n, cause);
}

static void
stk_unload(struct tui_listscreen *ls)
{
	struct stkscreen	*s = (struct stkscreen *)ls;

	free(s->v);
	free(s->pool);
	s->v = NULL;
	s->pool = NULL;
	s->n = s->cap = s->plen = s->pcap = 0;
	s->decided = s->total = 0;
}

/* "[#######.......]" in width columns for part of whole. */
static void
stk_bar(char *buf, int width, int64_t part, int64_t whole)
{
	int	 i, fill = whole > 0 ? (int)(part * width / whole) : 0;

	for (i = 0; i < width; i++)
		buf[i] = i < fill ? '#' : '.';
	buf[width] = '\0';
}

static void
stk_draw_header(struct tui_listscreen *ls, int y, int w)
{
	struct stkscreen	*s = (struct stkscreen *)ls;
	char			 line[512], day[32], bar[41];
	int			 bw = w - 40 < 10 ? 10 : w - 40 > 40 ? 40 :
				    w - 40;

	attrset(tui_style(TUI_HEADER));
	if (!s->have) {
		tui_text_put(stdscr, y, 0, _("No stocktake yet.  F5 starts "
		    "one: every ID in its scope, as it stands, to review."),
		    w, 0);
		attrset(tui_style(TUI_NORMAL));
		return;
	}
	/* The deadline's day is the one before its exclusive end. */
	when_local((time_t)(s->c.deadline - 1), 0, day, sizeof day);
	if (strlen(day) > 10)
		day[10] = '\0';
	snprintf(line, sizeof line, _("Stocktake %llu%s%s: %s, deadline %s, "
	    "%s"), (unsigned long long)s->c.idx, *s->c.title != '\0' ?
	    " " : "", s->c.title, s->c.scope, day, _(s->c.state));
	tui_text_put(stdscr, y, 0, line, w, 0);
	stk_bar(bar, bw, s->decided, s->total);
	snprintf(line, sizeof line, _("Decided [%s] %lld of %lld (%lld%%)"),
	    bar, (long long)s->decided, (long long)s->total, s->total > 0 ?
	    (long long)(s->decided * 100 / s->total) : 0LL);
	attrset(tui_style(s->decided == s->total ? TUI_OK : TUI_NORMAL));
	tui_text_put(stdscr, y + 1, 0, line, w, 0);
	attrset(tui_style(TUI_DIM));
	tui_text_put(stdscr, y + 2, 0, _("^T marks; F4 decides, F3 the chart, "
	    "F8 another campaign, F9 closes."), w, 0);
	attrset(tui_style(TUI_NORMAL));
}

static const struct tui_listscreen_ops stk_ops = {
	.size = sizeof(struct stkscreen),
	.cols = stk_cols,
	.ncols = STK_NCOLS,
	.source = &stk_source,
	.load = stk_load,
	.unload = stk_unload,
	.header = 3,
	.draw_header = stk_draw_header,
	.flags = TUI_LS_UNMARK,
};

static void *
stk_open(struct tui *t)
{
	return tui_listscreen_open(t, &stk_ops);
}

/* Enter: one item as the snapshot took it, and what was decided. */
static int
stk_detail(struct tui *t, void *arg)
{
	struct stkscreen	*s = arg;
	const struct stkrow	*r;
	struct tui_line		*v = NULL;
	size_t			 n = 0, row;
	char			 when[64], title[128];

	if ((row = tui_listscreen_pick(&s->ls, _("item"))) == SIZE_MAX)
		return TUI_REDRAW;
	r = &s->v[row];
	tui_lines_add(&v, &n, TUI_LINE_HEAD, "%s/%s", stk_str(s, r,
	    SK_SYSTEM), stk_str(s, r, SK_LOGIN));
	tui_lines_add(&v, &n, 0, _("Kind: %s; state at the start: %s"),
	    _(stk_str(s, r, SK_KIND)), _(stk_str(s, r, SK_STATE)));
	tui_lines_add(&v, &n, 0, _("Owner: %s %s, %s"), stk_str(s, r,
	    SK_OWNER), stk_str(s, r, SK_NAME), stk_str(s, r, SK_DEPT));
	if (r->last_use >= 0)
		when_local((time_t)r->last_use, 0, when, sizeof when);
	else
		snprintf(when, sizeof when, "%s", _("unknown"));
	tui_lines_add(&v, &n, 0, _("Last use: %s"), when);
	tui_lines_add(&v, &n, *stk_str(s, r, SK_FINDINGS) != '\0' ?
	    TUI_LINE_ALERT : 0, _("Findings: %s"), *stk_str(s, r,
	    SK_FINDINGS) != '\0' ? stk_str(s, r, SK_FINDINGS) : _("none"));
	if (r->exception != 0)
		tui_lines_add(&v, &n, 0, _("Covered by exception %lld"),
		    r->exception);
	tui_lines_add(&v, &n, 0, _("Advice: %s"), _(stk_str(s, r, SK_REC)));
	if (*stk_str(s, r, SK_DECISION) != '\0')
		tui_lines_add(&v, &n, 0, _("Decided: %s by %s: %s"),
		    _(stk_str(s, r, SK_DECISION)), stk_str(s, r, SK_BY),
		    stk_str(s, r, SK_REASON));
	else
		tui_lines_add(&v, &n, TUI_LINE_ALERT, "%s", _("Not decided."));
	snprintf(title, sizeof title, _("Stocktake %llu"),
	    (unsigned long long)s->c.idx);
	tui_lines(t, title, NULL, v, n);
	return TUI_REDRAW;
}

static void
decide_free(void *arg)
{
	struct stkdecide	*d = arg;

	if (d == NULL)
		return;
	free(d->id);
	free(d);
}

/* The decision's entries, in one transaction: all, or none. */
static int
decide_run(struct tui *t, void *arg)
{
	struct stkdecide	*d = arg;
	struct core_actor	 who = { t->op, NULL };
	struct store_args	 a;
	char			*cause = NULL, num[24];
	size_t			 i, n = d->id != NULL ? d->n : 1;

	snprintf(num, sizeof num, "%llu", (unsigned long long)d->campaign);
	if (core_begin(t->store, &cause) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		memset(&a, 0, sizeof a);
		store_args_add(&a, "campaign", num);
		if (d->id != NULL) {
			store_args_add(&a, "system", d->id[i][0]);
			store_args_add(&a, "login", d->id[i][1]);
		} else
			store_args_add(&a, "filter", d->filter);
		store_args_add(&a, "decision", d->decision);
		store_args_add(&a, "reason", d->reason);
		if (core_run(t->store, "stocktake.decide", &who, &a, NULL,
		    &cause) != 0) {
			core_rollback(t->store);
			goto fail;
		}
	}
	if (core_commit(t->store, &cause) != 0)
		goto fail;
	if (d->id != NULL)
		tui_status(t, 0, ngettext("%s: %zu item decided.",
		    "%s: %zu items decided.", PLURAL(d->n)), _(d->decision),
		    d->n);
	else
		tui_status(t, 0, _("%s: decided for the items of %s."),
		    _(d->decision), d->filter);
	return TUI_REDRAW;
fail:
	tui_status(t, 1, _("Nothing was decided: %s"), cause);
	free(cause);
	return TUI_REDRAW;
}

static int
decide_yes(struct tui *t, void *arg)
{
	int	 r = decide_run(t, arg);

	decide_free(arg);
	return r;
}

static int
check_decision(const char *v, char *why, size_t len)
{
	int	 i;

	for (i = 0; i < CORE_STOCKTAKE_NDECISIONS; i++)
		if (strcmp(v, core_stocktake_decisions[i]) == 0)
			return 0;
	snprintf(why, len, "%s", _("keep, change, suspend, revoke or "
	    "investigate"));
	return -1;
}

static int
check_filter(const char *v, char *why, size_t len)
{
	struct core_stocktake_filter	 f;
	char				*cause = NULL;

	if (core_stocktake_filter_parse(v, &f, &cause) == 0)
		return 0;
	snprintf(why, len, "%s", cause);
	free(cause);
	return -1;
}

static void
stk_count_cb(void *arg, const struct core_stocktake_item *it)
{
	(void)arg;
	(void)it;
}

/* The form's answers: ask once more, with the count, then decide. */
static int
decide_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct stkdecide	*d = arg;
	char			*q, *cause = NULL;
	size_t			 n;
	int			 i = 0;

	if (d->id == NULL)
		snprintf(d->filter, sizeof d->filter, "%s", f[i++].value);
	snprintf(d->decision, sizeof d->decision, "%.15s", f[i++].value);
	snprintf(d->reason, sizeof d->reason, "%s", f[i].value);
	if (d->id == NULL) {
		if (core_stocktake_items_load(t->store, d->campaign,
		    d->filter, stk_count_cb, NULL, &n, &cause) != 0) {
			tui_status(t, 1, _("Nothing was decided: %s"), cause);
			free(cause);
			decide_free(d);
			return TUI_REDRAW;
		}
	} else
		n = d->n;
	xasprintf(&q, ngettext("Decide \"%s\" for %zu item?",
	    "Decide \"%s\" for %zu items?", PLURAL(n)), _(d->decision), n);
	tui_confirm(t, _("Stocktake"), q, decide_yes, d);
	free(q);
	return TUI_REDRAW;
}

static void
decide_form(struct tui *t, struct stkdecide *d, const char *title)
{
	struct tui_field	 f[3];
	int			 i = 0;

	memset(f, 0, sizeof f);
	if (d->id == NULL) {
		f[i].label = _("Filter");
		snprintf(f[i].value, sizeof f[i].value, "decided=no");
		f[i].check = check_filter;
		f[i++].required = 1;
	}
	f[i].label = _("Decision");
	f[i].choices = "keep|change|suspend|revoke|investigate";
	f[i].check = check_decision;
	f[i++].required = 1;
	f[i].label = _("Reason");
	f[i].check = tui_check_reason;
	f[i++].required = 1;
	tui_form(t, title, f, i, decide_done, d);
}

/* F4 on the marked items, or the chosen one. */
static int
stk_decide(struct tui *t, void *arg)
{
	struct stkscreen	*s = arg;
	struct stkdecide	*d;
	size_t			 row, cap = 0;

	if (!s->have || strcmp(s->c.state, "open") != 0) {
		tui_status(t, 1, "%s", _("No open stocktake to decide in."));
		return TUI_REDRAW;
	}
	d = xcalloc(1, sizeof *d);
	d->campaign = s->c.idx;
	for (row = tui_list_next_marked(s->ls.list, 0); row != SIZE_MAX;
	    row = tui_list_next_marked(s->ls.list, row + 1)) {
		d->id = xgrow(d->id, &cap, d->n + 1, sizeof *d->id);
		snprintf(d->id[d->n][0], 40, "%s", stk_str(s, &s->v[row],
		    SK_SYSTEM));
		snprintf(d->id[d->n][1], 40, "%s", stk_str(s, &s->v[row],
		    SK_LOGIN));
		d->n++;
	}
	if (d->n == 0) {
		if ((row = tui_listscreen_pick(&s->ls, _("item"))) ==
		    SIZE_MAX) {
			decide_free(d);
			return TUI_REDRAW;
		}
		d->id = xcalloc(1, sizeof *d->id);
		snprintf(d->id[0][0], 40, "%s", stk_str(s, &s->v[row],
		    SK_SYSTEM));
		snprintf(d->id[0][1], 40, "%s", stk_str(s, &s->v[row],
		    SK_LOGIN));
		d->n = 1;
	}
	decide_form(t, d, d->n == 1 ? _("Decide one item") :
	    _("Decide the marked items"));
	return TUI_REDRAW;
}

/* ^F: every item a filter of core's selects, as one entry. */
static int
stk_decide_filter(struct tui *t, void *arg)
{
	struct stkscreen	*s = arg;
	struct stkdecide	*d;

	if (!s->have || strcmp(s->c.state, "open") != 0) {
		tui_status(t, 1, "%s", _("No open stocktake to decide in."));
		return TUI_REDRAW;
	}
	d = xcalloc(1, sizeof *d);
	d->campaign = s->c.idx;
	decide_form(t, d, _("Decide by filter (system= department= kind= "
	    "state= recommendation= finding= decided=)"));
	return TUI_REDRAW;
}

/* One bar per department: its IDs by state, then by decision. */
static const char stk_state_ch[CORE_STOCKTAKE_NSTATES] = {
	'p', '#', 's', 'l', 'd', 'e', 'r'
};
static const char stk_dec_ch[CORE_STOCKTAKE_NDECISIONS + 1] = {
	'=', '~', '-', 'x', '?', '.'
};
#define STK_BARW	40

static void
stk_chart_bar(char *buf, const int64_t *v, const char *ch, int nv,
    int64_t max)
{
	int64_t	 upto = 0;
	int	 i, at = 0, end;

	for (i = 0; i < nv; i++) {
		upto += v[i];
		end = max > 0 ? (int)(upto * STK_BARW / max) : 0;
		/* Any count at all shows, if only as one column. */
		if (v[i] > 0 && end == at && at < STK_BARW)
			end = at + 1;
		while (at < end && at < STK_BARW)
			buf[at++] = ch[i];
	}
	buf[at] = '\0';
}

static int
stk_chart(struct tui *t, void *arg)
{
	struct stkscreen		*s = arg;
	struct core_stocktake_bar	*b = NULL;
	struct tui_line			*v = NULL;
	size_t				 n = 0, nb = 0, i;
	int64_t				 max = 0;
	char				 bar[STK_BARW + 1], title[64];
	char				*cause = NULL;
	int				 k;

	if (!s->have) {
		tui_status(t, 1, "%s", _("No stocktake yet."));
		return TUI_REDRAW;
	}
	if (core_stocktake_chart(t->store, s->c.idx, &b, &nb, &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return TUI_REDRAW;
	}
	for (i = 0; i < nb; i++)
		if (b[i].total > max)
			max = b[i].total;
	tui_lines_add(&v, &n, 0, "%s", _("State: p pending, # active, s "
	    "suspended, l locked, d dormant, e expired, r revoked"));
	tui_lines_add(&v, &n, 0, "%s", _("Decision: = keep, ~ change, - "
	    "suspend, x revoke, ? investigate, . not yet"));
	for (i = 0; i < nb; i++) {
		tui_lines_add(&v, &n, TUI_LINE_HEAD, "%s (%lld)",
		    b[i].department, (long long)b[i].total);
		stk_chart_bar(bar, b[i].state, stk_state_ch,
		    CORE_STOCKTAKE_NSTATES, max);
		tui_lines_add(&v, &n, 0, "  %-9s %s", _("state"), bar);
		stk_chart_bar(bar, b[i].decision, stk_dec_ch,
		    CORE_STOCKTAKE_NDECISIONS + 1, max);
		k = CORE_STOCKTAKE_NDECISIONS;
		tui_lines_add(&v, &n, b[i].decision[k] > 0 ? TUI_LINE_ALERT :
		    0, "  %-9s %s", _("decision"), bar);
	}
	free(b);
	snprintf(title, sizeof title, _("Stocktake %llu by department"),
	    (unsigned long long)s->c.idx);
	tui_lines(t, title, NULL, v, n);
	return TUI_REDRAW;
}

/* F8: the campaign to show. */
static int
campaign_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct stkscreen	*s = arg;
	struct core_stocktake	 c;
	char			*cause = NULL;
	long long		 idx;
	const char		*why;
	int			 r;

	if (number_parse(f[0].value, 1, LLONG_MAX, &idx, &why) != 0) {
		tui_status(t, 1, "%s", _("A campaign is a number."));
		return TUI_REDRAW;
	}
	if ((r = core_stocktake_get(t->store, (uint64_t)idx, &c,
	    &cause)) != 0) {
		tui_status(t, 1, r == 1 ? _("There is no stocktake %s.") :
		    "%s", r == 1 ? f[0].value : cause);
		free(cause);
		return TUI_REDRAW;
	}
	s->want = (uint64_t)idx;
	tui_list_unmark_all(s->ls.list);
	tui_listscreen_load(&s->ls);
	return TUI_REDRAW;
}

static int
stk_choose(struct tui *t, void *arg)
{
	struct stkscreen	*s = arg;
	struct tui_field	 f[1];

	memset(f, 0, sizeof f);
	f[0].label = _("Campaign");
	f[0].required = 1;
	if (s->have)
		snprintf(f[0].value, sizeof f[0].value, "%llu",
		    (unsigned long long)s->c.idx);
	tui_form(t, _("Show a stocktake"), f, 1, campaign_done, s);
	return TUI_REDRAW;
}

static int
start_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct stkscreen	*s = arg;
	struct store_args	 a;

	memset(&a, 0, sizeof a);
	store_args_add(&a, "scope", f[0].value);
	store_args_add(&a, "deadline", f[1].value);
	if (f[2].value[0] != '\0')
		store_args_add(&a, "title", f[2].value);
	tui_status(t, 0, "%s", _("Taking the snapshot..."));
	if (tui_run_action(t, "stocktake.start", &a, NULL) == 0) {
		s->want = 0;
		tui_status(t, 0, _("Stocktake %llu started."),
		    (unsigned long long)t->last_index);
	}
	return TUI_REDRAW;
}

/* F5: a new campaign over a scope, with a deadline. */
static int
stk_start(struct tui *t, void *arg)
{
	struct tui_field	 f[3];

	memset(f, 0, sizeof f);
	f[0].label = _("Scope");
	snprintf(f[0].value, sizeof f[0].value, "all");
	f[0].required = 1;
	f[1].label = _("Deadline (YYYY-MM-DD)");
	f[1].required = 1;
	f[2].label = _("Title");
	tui_form(t, _("Start a stocktake"), f, 3, start_done, arg);
	return TUI_REDRAW;
}

static int
close_yes(struct tui *t, void *arg)
{
	struct stkscreen	*s = arg;
	struct store_args	 a;
	char			 num[24];

	snprintf(num, sizeof num, "%llu", (unsigned long long)s->c.idx);
	memset(&a, 0, sizeof a);
	store_args_add(&a, "campaign", num);
	if (tui_run_action(t, "stocktake.close", &a, NULL) == 0)
		tui_outbox(t);
	return TUI_REDRAW;
}

/* F9: close the campaign (a second person approves). */
static int
stk_close_campaign(struct tui *t, void *arg)
{
	struct stkscreen	*s = arg;
	char			*q;

	if (!s->have || strcmp(s->c.state, "open") != 0) {
		tui_status(t, 1, "%s", _("No open stocktake to close."));
		return TUI_REDRAW;
	}
	if (s->decided < s->total) {
		tui_status(t, 1, ngettext("%lld item is not decided yet.",
		    "%lld items are not decided yet.",
		    PLURAL(s->total - s->decided)),
		    (long long)(s->total - s->decided));
		return TUI_REDRAW;
	}
	xasprintf(&q, _("Close stocktake %llu?  The revocations and "
	    "suspensions are carried out, and the review list is sealed."),
	    (unsigned long long)s->c.idx);
	tui_confirm(t, _("Stocktake"), q, close_yes, s);
	free(q);
	return TUI_REDRAW;
}

static int
confirm_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct stkscreen	*s = arg;
	struct store_args	 a;
	char			 num[24];

	snprintf(num, sizeof num, "%llu", (unsigned long long)s->c.idx);
	memset(&a, 0, sizeof a);
	store_args_add(&a, "campaign", num);
	store_args_add(&a, "system", s->confirm[0]);
	store_args_add(&a, "login", s->confirm[1]);
	store_args_add(&a, "note", f[0].value);
	if (tui_run_action(t, "stocktake.confirm", &a, NULL) == 0)
		tui_status(t, 0, _("Confirmed: the correction of %s on %s."),
		    s->confirm[1], s->confirm[0]);
	return TUI_REDRAW;
}

/*
 * ^D: a change or an investigation the close left to people, recorded as
 * carried out (by this operator) and confirmed by a second person.
 * stocktake.confirm refuses one already confirmed, and says so.
 */
static int
stk_confirm(struct tui *t, void *arg)
{
	struct stkscreen	*s = arg;
	struct tui_field	 f[1];
	const char		*d;
	char			*title;
	size_t			 row;

	if (!s->have || strcmp(s->c.state, "closed") != 0) {
		tui_status(t, 1, "%s", _("A correction is confirmed after "
		    "its stocktake is closed (F8 shows another)."));
		return TUI_REDRAW;
	}
	if ((row = tui_listscreen_pick(&s->ls, _("item"))) == SIZE_MAX)
		return TUI_REDRAW;
	d = stk_str(s, &s->v[row], SK_DECISION);
	if (strcmp(d, "change") != 0 && strcmp(d, "investigate") != 0) {
		tui_status(t, 1, _("Nothing to confirm: this item's "
		    "decision is %s."), *d != '\0' ? _(d) : _("undecided"));
		return TUI_REDRAW;
	}
	snprintf(s->confirm[0], sizeof s->confirm[0], "%s",
	    stk_str(s, &s->v[row], SK_SYSTEM));
	snprintf(s->confirm[1], sizeof s->confirm[1], "%s",
	    stk_str(s, &s->v[row], SK_LOGIN));
	memset(f, 0, sizeof f);
	f[0].label = _("What was done");
	f[0].check = tui_check_reason;
	f[0].required = 1;
	xasprintf(&title, _("Confirm the correction of %s on %s"),
	    s->confirm[1], s->confirm[0]);
	tui_form(t, title, f, 1, confirm_done, s);
	free(title);
	return TUI_REDRAW;
}

static const struct tui_binding stk_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, stk_detail },
	{ TUI_CHECK, N_("The chart by department"), NULL, 0, stk_chart },
	{ TUI_ACT, N_("Decide the marked items, or the chosen one"),
	    "stocktake.decide", CORE_ROLE_ADMIN | CORE_ROLE_APPROVER,
	    stk_decide },
	{ 'F' - '@', 0, "^F", N_("Decide by filter, in one entry"),
	    "stocktake.decide", CORE_ROLE_ADMIN | CORE_ROLE_APPROVER,
	    stk_decide_filter },
	{ TUI_NEW, N_("Start a stocktake"), "stocktake.start",
	    CORE_ROLE_ADMIN, stk_start },
	{ TUI_FILTER, N_("Show another stocktake"), NULL, 0, stk_choose },
	{ TUI_REMOVE, N_("Close the stocktake"), "stocktake.close",
	    CORE_ROLE_ADMIN, stk_close_campaign },
	{ 'D' - '@', 0, "^D", N_("Confirm a correction the close left to "
	    "people"), "stocktake.confirm", CORE_ROLE_ADMIN, stk_confirm },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_stocktake = {
	.name = "stocktake",
	.title = N_("Stocktake"),
	.keys = stk_keys,
	.open = stk_open,
	.close = tui_listscreen_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
