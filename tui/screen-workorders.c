/*
 * screen-workorders.c -- the work orders of manual systems: the changes a
 * person carries out on a system daicho cannot reach.  The admin who did
 * one records it done and an approver confirms it on this terminal
 * (two-person); one that cannot be done is refused, with the reason.
 * core/workorder.c holds the rules (among them: an account's work orders
 * close in the order they were queued).
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
};

static const struct tui_list_col workorder_cols[] = {
	{ N_("Order"), 9, 1 },
	{ N_("Queued"), 17, 0 },
	{ N_("System"), 12, 0 },
	{ N_("Login"), 14, 0 },
	{ N_("Do"), 7, 0 },
	{ N_("Detail"), 0, 0 },
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
		snprintf(buf, len, "%.16s", w->queued);
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
		snprintf(buf, len, "%s%s%s %s", w->arg, w->arg[0] != '\0' ?
		    "  " : "", w->action, w->queued_by);
		break;
	}
}

static void
workorders_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct core_workorder *w = &((struct workorders *)arg)->v[row];

	snprintf(buf, len, "%s %s %s %s %s", w->login, w->system, w->op,
	    w->queued_by, w->arg);
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

	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = *w;
}

static int
workorders_load(struct tui_listscreen *ls, char **cause)
{
	size_t	 count;

	return core_workorder_list(ls->t->store, workorder_add, ls, &count,
	    cause);
}

static void
workorders_unload(struct tui_listscreen *ls)
{
	struct workorders	*s = (struct workorders *)ls;

	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static const struct tui_listscreen_ops workorders_ops = {
	.size = sizeof(struct workorders),
	.cols = workorder_cols,
	.ncols = WORKORDER_NCOLS,
	.source = &workorders_source,
	.load = workorders_load,
	.unload = workorders_unload,
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

static const struct tui_binding workorders_keys[] = {
	{ TUI_ACT, N_("Done"), "workorder.done", CORE_ROLE_ADMIN,
	    workorders_done },
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
