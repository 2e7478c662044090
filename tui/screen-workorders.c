/*
 * screen-workorders.c -- the work orders of manual systems: the changes a
 * person carries out on a system daicho cannot reach.  The admin who did
 * one records it done and an approver confirms it on this terminal
 * (two-person); one that cannot be done is refused, with the reason.
 * core/workorder.c holds the rules (among them: an account's work orders
 * close in the order they were queued).
 *
 * A work order is numbered as the command line numbers it, 553/0: the
 * ledger entry that queued it, and which of that entry's operations it
 * is (an entry can queue several).  The list shows the open ones; F8
 * shows the done and refused ones, then all.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

struct workorders {
	struct tui_listscreen	 ls;		/* first: the list screen */
	struct core_workorder	*v;
	size_t			 n, cap;
	struct core_workorder	 chosen;	/* while its form and approval
						   are open */
	int			 show;		/* WO_OPEN, WO_DONE, WO_ALL */
};
#define WO_OPEN		0
#define WO_DONE		1		/* done or refused */
#define WO_ALL		2

/* What a closed work order's state means to a person. */
static const char *
workorder_state(const struct core_workorder *w)
{
	if (strcmp(w->state, "pending") == 0)
		return _("open");
	if (strcmp(w->state, "applied") == 0)
		return _("done");
	return _("refused");
}

static const struct tui_list_col workorder_cols[] = {
	{ .title = N_("Order"), .width = 8, .right = 1, .min = 7, .prio = 6 },
	{ .title = N_("Queued"), .width = 22, .min = 22, .prio = 3 },
	{ .title = N_("System"), .width = 12, .min = 8, .prio = 5 },
	{ .title = N_("Login"), .width = 12, .min = 10, .prio = 5 },
	{ .title = N_("Do"), .width = 7, .min = 6, .prio = 5 },
	{ .title = N_("Detail"), .min = 12, .prio = 2, .share = 1 },
};
#define WORKORDER_NCOLS (int)(sizeof workorder_cols / sizeof workorder_cols[0])

static size_t
workorders_count(void *arg)
{
	return ((struct workorders *)arg)->n;
}

static void
workorders_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct core_workorder *w = &((struct workorders *)arg)->v[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%llu/%d", (unsigned long long)w->entry,
		    w->seq);
		break;
	case 1:
		when_local_utc(w->queued, 0, buf, len);
		break;
	case 2:
		snprintf(buf, len, "%s", w->system);
		break;
	case 3:
		snprintf(buf, len, "%s", w->login);
		break;
	case 4:
		snprintf(buf, len, "%s", _(w->op));
		break;
	default:
		snprintf(buf, len, "%s%s%s%s%s %s", strcmp(w->state, "pending")
		    != 0 ? workorder_state(w) : "", strcmp(w->state, "pending")
		    != 0 ? ": " : "", w->arg, w->arg[0] != '\0' ? "  " : "",
		    w->action, w->queued_by);
		break;
	}
}

static void
workorders_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct core_workorder *w = &((struct workorders *)arg)->v[row];

	snprintf(buf, len, "%s %s %s %s %s %s", w->login, w->system, w->op,
	    w->queued_by, w->arg, workorder_state(w));
}

static const struct tui_list_source workorders_source = {
	.count = workorders_count,
	.cell = workorders_cell,
	.search = workorders_search,
};

static void
workorder_add(void *arg, const struct core_workorder *w)
{
	struct workorders	*s = arg;
	int			 open = strcmp(w->state, "pending") == 0;

	if ((s->show == WO_OPEN && !open) || (s->show == WO_DONE && open))
		return;
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = *w;
}

static int
workorders_load(struct tui_listscreen *ls, char **cause)
{
	size_t	 count;

	return core_workorder_list_all(ls->t->store, workorder_add, ls,
	    &count, cause);
}

static void
workorders_unload(struct tui_listscreen *ls)
{
	struct workorders	*s = (struct workorders *)ls;

	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* Which work orders are shown, and what their numbers mean. */
static void
workorders_header(struct tui_listscreen *ls, int y, int w)
{
	static const char *const shows[] = {
		N_("open"), N_("done or refused"), N_("all"),
	};
	struct workorders	*s = (struct workorders *)ls;
	char			 line[256];

	snprintf(line, sizeof line, _("Showing %s work orders (F8: open, "
	    "done, all).  Order 553/0 = ledger entry 553, its operation 0."),
	    _(shows[s->show]));
	attrset(tui_style(TUI_DIM));
	tui_text_put(stdscr, y, 0, line, w, 0);
	attrset(tui_style(TUI_NORMAL));
}

static const struct tui_listscreen_ops workorders_ops = {
	.size = sizeof(struct workorders),
	.cols = workorder_cols,
	.ncols = WORKORDER_NCOLS,
	.source = &workorders_source,
	.load = workorders_load,
	.unload = workorders_unload,
	.header = 1,
	.draw_header = workorders_header,
	.flags = TUI_LS_UNMARK,
};

static void *
workorders_open(struct tui *t)
{
	return tui_listscreen_open(t, &workorders_ops);
}

static int
workorders_pick(struct tui *t, struct workorders *s)
{
	size_t	 row = tui_listscreen_pick(&s->ls, _("work order"));

	(void)t;
	if (row == SIZE_MAX)
		return -1;
	s->chosen = s->v[row];
	return 0;
}

static int
check_text(const char *v, char *err, size_t len)
{
	if (v[0] == '\0') {
		snprintf(err, len, "%s", _("Say it: it goes into the ledger."));
		return -1;
	}
	return 0;
}

static void
workorder_args(const struct core_workorder *w, struct store_args *a,
    char *entry, size_t elen, char *seq, size_t slen)
{
	snprintf(entry, elen, "%llu", (unsigned long long)w->entry);
	snprintf(seq, slen, "%d", w->seq);
	store_args_add(a, "entry", entry);
	store_args_add(a, "seq", seq);
	store_args_add(a, "system", w->system);
	store_args_add(a, "login", w->login);
	store_args_add(a, "op", w->op);
}

static int
done_done(struct tui *t, struct tui_field *f, void *arg)
{
	const struct core_workorder *w = &((struct workorders *)arg)->chosen;
	struct store_args	 a = { 0 };
	char			 entry[24], seq[16];

	workorder_args(w, &a, entry, sizeof entry, seq, sizeof seq);
	store_args_add(&a, "note", f[0].value);
	(void)tui_run_action(t, "workorder.done", &a, NULL);
	return 1;
}

static int
workorders_done(struct tui *t, void *arg)
{
	struct workorders	*s = arg;
	struct tui_field	 f[1];
	char			 title[128];

	if (workorders_pick(t, s) != 0)
		return TUI_HANDLED;
	memset(f, 0, sizeof f);
	f[0].label = N_("What was done");
	f[0].check = check_text;
	snprintf(title, sizeof title, _("Done: %s %s on %s"), s->chosen.op,
	    s->chosen.login, s->chosen.system);
	tui_form(t, title, f, 1, done_done, arg);
	return TUI_REDRAW;
}

static int
refuse_done(struct tui *t, struct tui_field *f, void *arg)
{
	const struct core_workorder *w = &((struct workorders *)arg)->chosen;
	struct store_args	 a = { 0 };
	char			 entry[24], seq[16];

	workorder_args(w, &a, entry, sizeof entry, seq, sizeof seq);
	store_args_add(&a, "reason", f[0].value);
	if (tui_run_action(t, "workorder.refuse", &a, NULL) == 0)
		tui_status(t, 0, _("Work order %s/%s refused; it shows as "
		    "failed on the dashboard."), entry, seq);
	return 1;
}

static int
workorders_refuse(struct tui *t, void *arg)
{
	struct workorders	*s = arg;
	struct tui_field	 f[1];
	char			 title[128];

	if (workorders_pick(t, s) != 0)
		return TUI_HANDLED;
	memset(f, 0, sizeof f);
	f[0].label = N_("Why not");
	f[0].check = check_text;
	snprintf(title, sizeof title, _("Refuse: %s %s on %s"), s->chosen.op,
	    s->chosen.login, s->chosen.system);
	tui_form(t, title, f, 1, refuse_done, arg);
	return TUI_REDRAW;
}

static int
workorders_filter(struct tui *t, void *arg)
{
	struct workorders	*s = arg;

	(void)t;
	s->show = (s->show + 1) % 3;
	tui_listscreen_load(&s->ls);
	return TUI_REDRAW;
}

static int
workorders_detail(struct tui *t, void *arg)
{
	struct workorders	*s = arg;
	const struct core_workorder *w;
	char			*text;

	if (workorders_pick(t, s) != 0)
		return TUI_HANDLED;
	w = &s->chosen;
	xasprintf(&text, _("Work order %llu/%d: operation %d of ledger entry "
	    "%llu (%s by %s, %s).\n\nOn %s: %s %s%s%s.\nState: %s."),
	    (unsigned long long)w->entry, w->seq, w->seq,
	    (unsigned long long)w->entry, w->action, w->queued_by, w->queued,
	    w->system, w->op, w->login, w->arg[0] != '\0' ? " " : "", w->arg,
	    workorder_state(w));
	tui_message(t, _("Work order"), text);
	free(text);
	return TUI_REDRAW;
}

static const struct tui_binding workorders_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, workorders_detail },
	{ TUI_ACT, N_("Done"), "workorder.done", CORE_ROLE_ADMIN,
	    workorders_done },
	{ TUI_FILTER, N_("Filter"), NULL, 0, workorders_filter },
	{ TUI_REMOVE, N_("Refuse"), "workorder.refuse",
	    CORE_ROLE_ADMIN, workorders_refuse },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_workorders = {
	.name = "workorders",
	.title = N_("Work orders"),
	.keys = workorders_keys,
	.open = workorders_open,
	.close = tui_listscreen_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
