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
	struct tui		*t;
	uint64_t		 seen;
	struct tui_list		*list;
	struct core_workorder	*v;
	size_t			 n, cap;
	struct core_workorder	 chosen;	/* while its form and approval
						   are open */
};

static const struct tui_list_col workorder_cols[] = {
	{ .title = N_("Order"), .width = 9, .right = 1, .min = 7, .prio = 6 },
	{ .title = N_("Queued"), .width = 22, .min = 22, .prio = 3 },
	{ .title = N_("System"), .width = 12, .min = 8, .prio = 5 },
	{ .title = N_("Login"), .width = 14, .min = 10, .prio = 5 },
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

static void
workorders_load(struct workorders *s)
{
	char	*cause = NULL;
	size_t	 count;

	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
	(void)tui_ledger_moved(s->t, &s->seen);
	if (core_workorder_list(s->t->store, workorder_add, s, &count,
	    &cause) != 0) {
		tui_status(s->t, 1, "%s", cause);
		free(cause);
	}
	if (s->list == NULL)
		s->list = tui_list_new(workorder_cols, WORKORDER_NCOLS,
		    &workorders_source, s);
	else
		tui_list_reload(s->list);
}

static void *
workorders_open(struct tui *t)
{
	struct workorders	*s = xcalloc(1, sizeof *s);

	s->t = t;
	workorders_load(s);
	return s;
}

static void
workorders_close(struct tui *t, void *arg)
{
	struct workorders	*s = arg;

	(void)t;
	tui_list_free(s->list);
	free(s->v);
	free(s);
}

static void
workorders_draw(struct tui *t, void *arg, int h, int w)
{
	struct workorders	*s = arg;

	if (tui_ledger_moved(t, &s->seen))
		workorders_load(s);
	tui_list_draw(s->list, stdscr, 1, 0, h, w);
}

static int
workorders_pick(struct tui *t, struct workorders *s)
{
	size_t	 row = tui_list_current(s->list);

	if (row == SIZE_MAX || row >= s->n) {
		tui_status(t, 1, _("No work order is chosen."));
		return -1;
	}
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
	char			 entry[24], seq[16], what[192];

	workorder_args(w, &a, entry, sizeof entry, seq, sizeof seq);
	store_args_add(&a, "note", f[0].value);
	snprintf(what, sizeof what, _("record work order %s/%s (%s %s on %s) "
	    "as done"), entry, seq, w->op, w->login, w->system);
	tui_approve(t, "workorder.done", &a, what);
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
workorders_key(struct tui *t, void *arg, const struct tui_key *k)
{
	struct workorders	*s = arg;

	(void)t;
	return tui_list_key(s->list, k);
}

static const struct tui_binding workorders_keys[] = {
	{ KEY_F(5), 1, "F5", N_("Done"), "workorder.done", CORE_ROLE_ADMIN,
	    workorders_done },
	{ KEY_F(9), 1, "F9", N_("Refuse"), "workorder.refuse",
	    CORE_ROLE_ADMIN, workorders_refuse },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_workorders = {
	.name = "workorders",
	.title = N_("Work orders"),
	.keys = workorders_keys,
	.open = workorders_open,
	.close = workorders_close,
	.draw = workorders_draw,
	.key = workorders_key,
};
