/*
 * screen-analysis.c -- the Analysis screen: the ledger's own records over
 * a period (対策基準 §8(1)②(エ)), by core_analysis_run: the counts per
 * category at the top, and the entries of the period in the category
 * shown, oldest first.  Enter shows an entry's exact bytes and why it is
 * listed.
 *
 * The period is the last 30 days, today included, until F8 changes it
 * (days in the policy's zone, as the command line reads them); ^N and
 * ^P switch the category.  F4 records review.done for the period shown
 * with a comment: validate works the counts out again, from the ledger,
 * so the entry says what the analysis showed whatever the screen drew.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "tui-int.h"

#define AN_DEFAULT_DAYS	30

/* One entry listed: what the list shows (the bytes are read on Enter). */
struct anrow {
	uint64_t idx;
	char	 time[32];			/* RFC 3339 UTC */
	char	 action[40];
	char	 who[80];			/* operator, +approver */
	char	 subject[128];
	unsigned cats;
	char	 why[CORE_AN_WHY];		/* translated (hit's shown) */
};

struct anscreen {
	struct tui_listscreen	 ls;		/* first: the list screen */
	struct anrow		*v;
	size_t			 n, cap;
	struct core_analysis	 res;
	int			 show;		/* 0: every category; else
						   CORE_AN_* + 1 */
	int			 set;		/* the period was chosen (F8) */
	char			 from[16], to[16];	/* its days */
	time_t			 tfrom, tto;
	int			 due;		/* a review is due */
	int64_t			 last;		/* the last review's end */
	int			 days;		/* review_interval_days */
};

static const struct tui_list_col an_cols[] = {
	{ .title = N_("#"), .width = 6, .right = 1, .min = 5, .prio = 6 },
	{ .title = N_("Time"), .width = 22, .min = 17, .prio = 5 },
	{ .title = N_("Action"), .width = 16, .min = 12, .prio = 5 },
	{ .title = N_("Operator"), .width = 14, .min = 10, .prio = 4,
	    .share = 1 },
	{ .title = N_("Subject"), .width = 20, .min = 12, .prio = 3,
	    .share = 1 },
	{ .title = N_("Why"), .width = 24, .min = 12, .prio = 2, .share = 2 },
};
#define AN_NCOLS	(int)(sizeof an_cols / sizeof an_cols[0])

static size_t
an_count(void *arg)
{
	return ((struct anscreen *)arg)->n;
}

static void
an_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct anrow	*r = &((struct anscreen *)arg)->v[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%llu", (unsigned long long)r->idx);
		break;
	case 1:
		when_local_utc(r->time, 0, buf, len);
		break;
	case 2:
		snprintf(buf, len, "%s", r->action);
		break;
	case 3:
		snprintf(buf, len, "%s", r->who);
		break;
	case 4:
		snprintf(buf, len, "%s", r->subject);
		break;
	default:
		snprintf(buf, len, "%s", r->why);
		break;
	}
}

static void
an_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct anrow	*r = &((struct anscreen *)arg)->v[row];

	snprintf(buf, len, "%s %s %s %s", r->action, r->who, r->subject,
	    r->why);
}

static const struct tui_list_source an_source = {
	.count = an_count,
	.cell = an_cell,
	.search = an_search,
};

static void
an_add(void *arg, const struct core_analysis_hit *h)
{
	struct anscreen		*s = arg;
	struct anrow		*r;

	if (s->show != 0 && !(h->cats & (1u << (s->show - 1))))
		return;
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	r = &s->v[s->n++];
	memset(r, 0, sizeof *r);
	r->idx = h->e->index;
	snprintf(r->time, sizeof r->time, "%s", h->e->time);
	snprintf(r->action, sizeof r->action, "%s", h->e->action);
	snprintf(r->who, sizeof r->who, "%s%s%s", h->e->operator,
	    h->e->approver != NULL ? "+" : "",
	    h->e->approver != NULL ? h->e->approver : "");
	snprintf(r->subject, sizeof r->subject, "%s", h->e->subject);
	r->cats = h->cats;
	snprintf(r->why, sizeof r->why, "%s", h->shown);
}

/* The default period: the last 30 days, today included. */
static int
an_default(struct tui *t, struct anscreen *s, char **cause)
{
	time_t	 now = time(NULL);

	if (core_day_today(t->store, now, 1, &s->tto, cause) != 0 ||
	    core_day_today(t->store, now, 1 - AN_DEFAULT_DAYS, &s->tfrom,
	    cause) != 0 ||
	    core_day_text(t->store, s->tfrom, s->from, sizeof s->from,
	    cause) != 0 ||
	    core_day_text(t->store, s->tto - 1, s->to, sizeof s->to,
	    cause) != 0)
		return -1;
	return 0;
}

static int
an_load(struct tui_listscreen *ls, char **cause)
{
	struct anscreen	*s = (struct anscreen *)ls;
	struct tui	*t = ls->t;
	int		 r;

	if (!s->set && an_default(t, s, cause) != 0)
		return -1;
	if ((r = core_review_due(t->store, time(NULL), &s->last, &s->days,
	    cause)) == -1)
		return -1;
	s->due = r;
	return core_analysis_run(t->store, t->config, s->tfrom, s->tto, an_add,
	    s, &s->res, cause);
}

static void
an_unload(struct tui_listscreen *ls)
{
	struct anscreen	*s = (struct anscreen *)ls;

	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* The category shown, for people. */
static const char *
an_cat_title(int show)
{
	return show == 0 ? _("all categories") :
	    _(core_analysis_titles[show - 1]);
}

/* Period, counts, and what is shown: three lines. */
static void
an_header(struct tui_listscreen *ls, int y, int w)
{
	struct anscreen	*s = (struct anscreen *)ls;
	char		 line[512], when[WHEN_MAX];
	const struct core_analysis *r = &s->res;

	snprintf(line, sizeof line, _("Period %s to %s (F8 changes it): "
	    "%llu entries"), s->from, s->to, (unsigned long long)r->entries);
	attrset(tui_style(TUI_HEADER));
	tui_text_put(stdscr, y, 0, line, w, 0);
	snprintf(line, sizeof line, _("Failed %lld (%lld locked out)  "
	    "Out of hours %lld  Privileged %lld  Emergency %lld  Exports "
	    "%lld"), (long long)r->n[CORE_AN_FAILED], (long long)r->lockouts,
	    (long long)r->n[CORE_AN_OUT_OF_HOURS],
	    (long long)r->n[CORE_AN_PRIVILEGED],
	    (long long)r->n[CORE_AN_EMERGENCY],
	    (long long)r->n[CORE_AN_EXPORTS]);
	attrset(tui_style(TUI_NORMAL));
	tui_text_put(stdscr, y + 1, 0, line, w, 0);
	if (s->last != 0)
		when_local((time_t)s->last, 0, when, sizeof when);
	if (s->due && s->last == 0)
		snprintf(line, sizeof line, _("Showing %s (^N/^P).  A review is "
		    "due: none recorded yet (F4)."), an_cat_title(s->show));
	else if (s->due)
		snprintf(line, sizeof line, _("Showing %s (^N/^P).  A review is "
		    "due: the last ended %s (F4)."), an_cat_title(s->show), when);
	else
		snprintf(line, sizeof line, _("Showing %s (^N/^P).  Last review "
		    "ended %s."), an_cat_title(s->show), when);
	attrset(tui_style(s->due ? TUI_ERROR : TUI_DIM));
	tui_text_put(stdscr, y + 2, 0, line, w, 0);
	attrset(tui_style(TUI_NORMAL));
}

static const struct tui_listscreen_ops an_ops = {
	.size = sizeof(struct anscreen),
	.cols = an_cols,
	.ncols = AN_NCOLS,
	.source = &an_source,
	.load = an_load,
	.unload = an_unload,
	.header = 3,
	.draw_header = an_header,
	.flags = TUI_LS_UNMARK,
};

static void *
an_open(struct tui *t)
{
	return tui_listscreen_open(t, &an_ops);
}

/* Enter: the entry's exact bytes, and why it is listed. */
static int
an_show(struct tui *t, void *arg)
{
	struct anscreen	*s = arg;
	uint8_t		*bytes;
	size_t		 len, row = tui_listscreen_pick(&s->ls, _("entry"));
	char		*cause = NULL, *text, title[64];

	if (row == SIZE_MAX)
		return TUI_HANDLED;
	if (store_ledger_get(t->store, s->v[row].idx, &bytes, &len,
	    &cause) != 0) {
		tui_status(t, 1, "%s", cause != NULL ? cause : _("no entry"));
		free(cause);
		return TUI_HANDLED;
	}
	xasprintf(&text, "%s\n%s: %s", (char *)bytes, _("Listed as"),
	    s->v[row].why);
	free(bytes);
	snprintf(title, sizeof title, _("Entry %llu"),
	    (unsigned long long)s->v[row].idx);
	tui_message(t, title, text);
	free(text);
	return TUI_REDRAW;
}

/* ^N, ^P: the next or previous category (after the last: all). */
static int
an_cycle(struct anscreen *s, int dir)
{
	s->show = (s->show + dir + CORE_AN_N + 1) % (CORE_AN_N + 1);
	tui_listscreen_load(&s->ls);
	return TUI_REDRAW;
}

static int
an_next(struct tui *t, void *arg)
{
	(void)t;
	return an_cycle(arg, 1);
}

static int
an_previous(struct tui *t, void *arg)
{
	(void)t;
	return an_cycle(arg, -1);
}

static int
check_day(const char *v, char *err, size_t len)
{
	if (!core_date_ok(v)) {
		snprintf(err, len, "%s", _("A day: YYYY-MM-DD."));
		return -1;
	}
	return 0;
}

static int
an_period_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct anscreen	*s = arg;
	time_t		 from, to;
	char		*cause = NULL;

	if (core_day_parse(t->store, f[0].value, 0, &from, &cause) != 0 ||
	    core_day_parse(t->store, f[1].value, 1, &to, &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return 1;
	}
	if (to <= from) {
		tui_status(t, 1, "%s", _("The period ends before it starts."));
		return 1;
	}
	s->set = 1;
	s->tfrom = from;
	s->tto = to;
	snprintf(s->from, sizeof s->from, "%.10s", f[0].value);
	snprintf(s->to, sizeof s->to, "%.10s", f[1].value);
	tui_listscreen_load(&s->ls);
	return 1;
}

/* F8: the period, as two days. */
static int
an_period(struct tui *t, void *arg)
{
	struct anscreen		*s = arg;
	struct tui_field	 f[2];

	memset(f, 0, sizeof f);
	f[0].label = N_("From (YYYY-MM-DD)");
	f[0].check = check_day;
	snprintf(f[0].value, sizeof f[0].value, "%s", s->from);
	f[1].label = N_("To (YYYY-MM-DD)");
	f[1].check = check_day;
	snprintf(f[1].value, sizeof f[1].value, "%s", s->to);
	tui_form(t, _("Period to analyse"), f, 2, an_period_done, s);
	return TUI_REDRAW;
}

static int
an_review_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct anscreen		*s = arg;
	struct store_args	 a = { 0 };

	store_args_add(&a, "from", s->from);
	store_args_add(&a, "to", s->to);
	store_args_add(&a, "comment", f[0].value);
	if (tui_run_action(t, "review.done", &a, NULL) == 0)
		tui_status(t, 0, _("Review of %s to %s recorded (entry %llu)."),
		    s->from, s->to, (unsigned long long)t->last_index);
	return 1;
}

/* F4: review.done for the period shown, with a comment. */
static int
an_review(struct tui *t, void *arg)
{
	struct anscreen		*s = arg;
	struct tui_field	 f[1];
	char			 title[128];

	memset(f, 0, sizeof f);
	f[0].label = N_("What you found");
	f[0].check = tui_check_reason;
	snprintf(title, sizeof title, _("Reviewed %s to %s"), s->from, s->to);
	tui_form(t, title, f, 1, an_review_done, s);
	return TUI_REDRAW;
}

static const struct tui_binding an_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, an_show },
	{ TUI_ACT, N_("Review done"), "review.done", CORE_ROLE_ADMIN |
	    CORE_ROLE_APPROVER, an_review },
	{ TUI_FILTER, N_("Period"), NULL, 0, an_period },
	{ 14, 0, "^N", N_("Next category"), NULL, 0, an_next },
	{ 16, 0, "^P", N_("Previous category"), NULL, 0, an_previous },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_analysis = {
	.name = "analysis",
	.title = N_("Analysis"),
	.keys = an_keys,
	.open = an_open,
	.close = tui_listscreen_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
