/*
 * screen-events.c -- the joiners, movers and leavers the HR imports found
 * (core_hr_events), by effective date: the pending ones, or with F8 those
 * of a kind or state, or all; Enter shows one.
 *
 * An event's detail shows its plan (core_hr_plan: the ID actions it
 * would run, worked out from the records now), and F4 carries it out at
 * once, on or after its day, after a confirmation showing the same
 * steps; otherwise the sweep does it on the day.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

enum { E_KIND, E_STATE, E_WHO, E_N };

struct events {
	struct tui_listscreen ls;		/* first: the list screen */
	struct core_hr_eventrow *v;
	size_t		 n, cap;
	char		 filter[E_N][128];	/* "" or any: all pass */
	int64_t		 apply;			/* the event F4 asked about */
};

static const struct tui_list_col event_cols[] = {
	{ .title = N_("Effective"), .width = 10, .min = 10, .prio = 6 },
	{ .title = N_("Kind"), .width = 7, .min = 6, .prio = 6 },
	{ .title = N_("State"), .width = 9, .min = 7, .prio = 5 },
	{ .title = N_("Emp. no."), .width = 10, .min = 8, .prio = 5 },
	{ .title = N_("Name"), .width = 12, .min = 8, .prio = 4, .share = 1 },
	{ .title = N_("Detail"), .min = 12, .prio = 3, .share = 2 },
};
#define EVENT_NCOLS	(int)(sizeof event_cols / sizeof event_cols[0])

static size_t
events_count(void *arg)
{
	return ((struct events *)arg)->n;
}

static void
events_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct core_hr_eventrow *e = &((struct events *)arg)->v[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", e->effective);
		break;
	case 1:
		snprintf(buf, len, "%s", _(core_hr_event_kinds[e->kind]));
		break;
	case 2:
		snprintf(buf, len, "%s", _(e->state));
		break;
	case 3:
		snprintf(buf, len, "%s", e->employee_no);
		break;
	case 4:
		snprintf(buf, len, "%s", e->name);
		break;
	default:
		snprintf(buf, len, "%s", e->shown);
		break;
	}
}

static void
events_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct core_hr_eventrow *e = &((struct events *)arg)->v[row];

	snprintf(buf, len, "%s %s %s %s %s %s", e->employee_no,
	    core_hr_event_kinds[e->kind], e->effective, e->state, e->name,
	    e->shown);
}

static int
events_compare(void *arg, size_t a, size_t b, int col)
{
	const struct core_hr_eventrow *x = &((struct events *)arg)->v[a];
	const struct core_hr_eventrow *y = &((struct events *)arg)->v[b];

	switch (col) {
	case 1:
		return x->kind - y->kind;
	case 2:
		return strcmp(x->state, y->state);
	case 3:
		return strcmp(x->employee_no, y->employee_no);
	case 4:
		return strcmp(x->name, y->name);
	case 5:
		return strcmp(x->detail, y->detail);
	default:
		return strcmp(x->effective, y->effective);
	}
}

static const struct tui_list_source events_source = {
	.count = events_count,
	.cell = events_cell,
	.search = events_search,
	.compare = events_compare,
};

static int
filter_any(const char *v)
{
	return v[0] == '\0' || strcmp(v, "any") == 0;
}

/* Keep the events the F8 filter lets through. */
static void
events_add(void *arg, const struct core_hr_eventrow *e)
{
	struct events	*s = arg;
	const char	*who = s->filter[E_WHO];

	if (!filter_any(s->filter[E_KIND]) &&
	    strcmp(s->filter[E_KIND], core_hr_event_kinds[e->kind]) != 0)
		return;
	if (!filter_any(s->filter[E_STATE]) &&
	    strcmp(s->filter[E_STATE], e->state) != 0)
		return;
	if (who[0] != '\0' && strcmp(who, e->employee_no) != 0)
		return;
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = *e;
}

static int
events_load(struct tui_listscreen *ls, char **cause)
{
	struct events	*s = (struct events *)ls;

	return core_hr_events(ls->t->store, events_add, s, cause);
}

static void
events_unload(struct tui_listscreen *ls)
{
	((struct events *)ls)->n = 0;
}

static void
events_draw_filter(struct tui_listscreen *ls, int y, int w)
{
	struct events	*s = (struct events *)ls;
	char		 line[512];

	snprintf(line, sizeof line, _("Filter (F8): kind %s, state %s%s%s"),
	    filter_any(s->filter[E_KIND]) ? _("any") : _(s->filter[E_KIND]),
	    filter_any(s->filter[E_STATE]) ? _("any") : _(s->filter[E_STATE]),
	    s->filter[E_WHO][0] ? _(", employee ") : "", s->filter[E_WHO]);
	attrset(tui_style(TUI_HEADER));
	tui_text_put(stdscr, y, 0, line, w, 0);
	attrset(tui_style(TUI_NORMAL));
}

static const struct tui_listscreen_ops events_ops = {
	.size = sizeof(struct events),
	.cols = event_cols,
	.ncols = EVENT_NCOLS,
	.source = &events_source,
	.load = events_load,
	.unload = events_unload,
	.header = 1,
	.draw_header = events_draw_filter,
	.flags = TUI_LS_UNMARK,
};

static void *
events_open(struct tui *t)
{
	struct events	*s;

	/* Pending events first: what is still to be done. */
	s = tui_listscreen_open(t, &events_ops);
	snprintf(s->filter[E_STATE], sizeof s->filter[E_STATE], "pending");
	tui_listscreen_load(&s->ls);
	return s;
}

static void
events_close(struct tui *t, void *arg)
{
	struct events	*s = arg;

	free(s->v);
	tui_listscreen_close(t, arg);
}

/* The plan of event e as lines: its steps, or why there are none. */
static void
events_plan_lines(struct tui *t, const struct core_hr_eventrow *e,
    struct tui_line **v, size_t *n)
{
	struct core_hr_plan	 p;
	char			*cause = NULL;
	size_t			 i;

	if (strcmp(e->state, "pending") != 0) {
		tui_lines_add(v, n, 0, _("  none: the event is %s"),
		    _(e->state));
		return;
	}
	if (core_hr_plan(t->store, e->id, &p, &cause) != 0) {
		tui_lines_add(v, n, TUI_LINE_ALERT, "  %s", cause);
		free(cause);
		return;
	}
	if (p.n == 0)
		tui_lines_add(v, n, 0, "%s", _("  nothing to do on any system"));
	for (i = 0; i < p.n; i++)
		tui_lines_add(v, n, 0, "  %zu. %s", i + 1, p.steps[i]->what);
	tui_lines_add(v, n, 0, _("  The sweep carries it out on %s; F4 on "
	    "the list does it now, from that day on."), e->effective);
	core_hr_plan_free(&p);
}

/* F4 confirmed: the plan, carried out now, as the operator. */
static int
events_apply_yes(struct tui *t, void *arg)
{
	struct events		*s = arg;
	struct core_actor	 who = { t->op, NULL };
	char			*cause = NULL;
	size_t			 steps;

	if (core_hr_apply(t->store, &who, s->apply, &steps, &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return 0;
	}
	tui_status(t, 0, ngettext("Event %lld carried out: %zu step.",
	    "Event %lld carried out: %zu steps.", PLURAL(steps)),
	    (long long)s->apply, steps);
	/*
	 * Its entries are many: every system is driven, and no temporary
	 * password shown (an ID it issued gets one from p in its detail).
	 */
	t->last_index = 0;
	tui_outbox(t);
	tui_listscreen_load(&s->ls);
	return 0;
}

static int
events_apply(struct tui *t, void *arg)
{
	struct events			*s = arg;
	const struct core_hr_eventrow	*e;
	struct core_hr_plan		 p;
	char				*cause = NULL, *text = NULL, *more;
	char				 title[96], today[11];
	size_t				 row, i;

	if ((row = tui_listscreen_pick(&s->ls, _("event"))) == SIZE_MAX)
		return TUI_HANDLED;
	e = &s->v[row];
	core_today(today);
	if (strcmp(e->state, "pending") != 0) {
		tui_status(t, 1, _("Event %lld is %s: nothing to carry out."),
		    (long long)e->id, _(e->state));
		return TUI_REDRAW;
	}
	if (strcmp(e->effective, today) > 0) {
		tui_status(t, 1, _("Event %lld takes effect on %s, not before."),
		    (long long)e->id, e->effective);
		return TUI_REDRAW;
	}
	if (core_hr_plan(t->store, e->id, &p, &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return TUI_REDRAW;
	}
	xasprintf(&text, _("%s of %s %s, effective %s.  Its plan:"),
	    _(core_hr_event_kinds[e->kind]), e->employee_no, e->name,
	    e->effective);
	for (i = 0; i < p.n; i++) {
		xasprintf(&more, "%s\n%zu. %s", text, i + 1, p.steps[i]->what);
		free(text);
		text = more;
	}
	if (p.n == 0) {
		xasprintf(&more, "%s\n%s", text, _("(nothing on any system)"));
		free(text);
		text = more;
	}
	core_hr_plan_free(&p);
	s->apply = e->id;
	snprintf(title, sizeof title, _("Carry out event %lld"),
	    (long long)e->id);
	tui_confirm(t, title, text, events_apply_yes, s);
	free(text);
	return TUI_REDRAW;
}

static int
event_detail(struct tui *t, void *arg)
{
	struct events			*s = arg;
	const struct core_hr_eventrow	*e;
	struct tui_line			*v = NULL;
	size_t				 n = 0, row;
	char				 title[96];

	if ((row = tui_listscreen_pick(&s->ls, _("event"))) == SIZE_MAX)
		return TUI_HANDLED;
	e = &s->v[row];
	tui_lines_add(&v, &n, TUI_LINE_HEAD, "%s", _("Event"));
	tui_lines_add(&v, &n, 0, _("  %s of %s %s, effective %s"),
	    _(core_hr_event_kinds[e->kind]), e->employee_no, e->name,
	    e->effective);
	tui_lines_add(&v, &n, 0, "  %s", e->shown);
	tui_lines_add(&v, &n, 0, _("  state %s; found by the import of entry "
	    "%llu"), _(e->state), (unsigned long long)e->import);
	tui_lines_add(&v, &n, TUI_LINE_HEAD, "%s", _("Plan"));
	events_plan_lines(t, e, &v, &n);
	snprintf(title, sizeof title, "%s %s", _(core_hr_event_kinds[e->kind]),
	    e->employee_no);
	tui_lines(t, title, NULL, v, n);
	return TUI_REDRAW;
}

static int
filter_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct events	*s = arg;
	int		 i;

	(void)t;
	for (i = 0; i < E_N; i++)
		snprintf(s->filter[i], sizeof s->filter[i], "%s", f[i].value);
	tui_listscreen_load(&s->ls);
	return 1;
}

static int
events_filter(struct tui *t, void *arg)
{
	struct events		*s = arg;
	struct tui_field	 f[E_N];
	int			 i;

	memset(f, 0, sizeof f);
	f[E_KIND].label = N_("Kind");
	f[E_KIND].choices = "any|joiner|mover|leaver|leave|return";
	f[E_STATE].label = N_("State");
	f[E_STATE].choices = "any|pending|applied|cancelled";
	f[E_WHO].label = N_("Employee no.");
	for (i = 0; i < E_N; i++)
		snprintf(f[i].value, sizeof f[i].value, "%s", s->filter[i]);
	if (f[E_KIND].value[0] == '\0')
		snprintf(f[E_KIND].value, sizeof f[E_KIND].value, "any");
	if (f[E_STATE].value[0] == '\0')
		snprintf(f[E_STATE].value, sizeof f[E_STATE].value, "any");
	tui_form(t, _("Filter events (Left/Right: choose)"), f, E_N,
	    filter_done, s);
	return TUI_REDRAW;
}

static const struct tui_binding events_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, event_detail },
	{ TUI_ACT, N_("Carry out the plan now"), "hr.apply", CORE_ROLE_ADMIN,
	    events_apply },
	{ TUI_FILTER, N_("Filter"), NULL, 0, events_filter },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_events = {
	.name = "events",
	.title = N_("Events"),
	.keys = events_keys,
	.open = events_open,
	.close = events_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
