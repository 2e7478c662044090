/*
 * screen-operators.c -- console operators: list, add, change role,
 * remove.  Each change is a two-person action (the action table says
 * so, and tui_run_action asks the second operator).  Only admins see the
 * keys that change anything.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

struct operators {
	struct tui_listscreen	 ls;		/* first: the list screen */
	struct core_operator	*ops;
	size_t			 n;
	char			(*when)[2][20];	/* added, changed: the times
						   of those entries */
	char			 removing[40];	/* while the question is open */
};

static const struct tui_list_col operator_cols[] = {
	{ .title = N_("Operator"),
	    .width = 24, .min = 12, .prio = 5, .share = 1 },
	{ .title = N_("Role"), .width = 10, .min = 8, .prio = 4 },
	{ .title = N_("State"), .width = 9, .min = 8, .prio = 4 },
	{ .title = N_("Added at"),
	    .width = 9, .right = 1, .min = 9, .prio = 2 },
	{ .title = N_("Changed at"),
	    .width = 10, .right = 1, .min = 10, .prio = 2 },
};
#define OPERATOR_NCOLS	(int)(sizeof operator_cols / sizeof operator_cols[0])

static size_t
operators_count(void *arg)
{
	return ((struct operators *)arg)->n;
}

static void
operators_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct core_operator *o = &((struct operators *)arg)->ops[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", o->name);
		break;
	case 1:
		snprintf(buf, len, "%s", _(core_role_name(o->role)));
		break;
	case 2:
		snprintf(buf, len, "%s", o->active ? _("active") :
		    _("removed"));
		break;
	case 3:
		snprintf(buf, len, "%s", ((struct operators *)arg)->when[row][0]);
		break;
	default:
		snprintf(buf, len, "%s", ((struct operators *)arg)->when[row][1]);
		break;
	}
}

static void
operators_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct core_operator *o = &((struct operators *)arg)->ops[row];

	snprintf(buf, len, "%s %s %s", o->name, core_role_name(o->role),
	    o->active ? "active" : "removed");
}

static int
operators_compare(void *arg, size_t a, size_t b, int col)
{
	const struct operators	*s = arg;
	const struct core_operator *x = &s->ops[a], *y = &s->ops[b];

	switch (col) {
	case 1:
		return x->role - y->role;
	case 2:
		return y->active - x->active;
	case 3:
		return x->added < y->added ? -1 : x->added > y->added;
	case 4:
		return x->changed < y->changed ? -1 : x->changed > y->changed;
	default:
		return strcmp(x->name, y->name);
	}
}

static const struct tui_list_source operators_source = {
	.count = operators_count,
	.cell = operators_cell,
	.search = operators_search,
	.compare = operators_compare,
};

/* When entry idx was written, as the ledger screen shows it. */
static void
entry_time(struct tui *t, uint64_t idx, char *buf, size_t len)
{
	struct store_entry	*e = NULL;
	uint8_t			*bytes;
	size_t			 blen;
	char			*cause = NULL;

	if (store_ledger_get(t->store, idx, &bytes, &blen, &cause) == 0) {
		e = store_entry_parse(bytes, blen, &cause);
		free(bytes);
	}
	if (e != NULL)
		snprintf(buf, len, "%.10s %.5s", e->time, e->time + 11);
	else
		snprintf(buf, len, "?");
	free(cause);
	store_entry_free(e);
}

static int
operators_load(struct tui_listscreen *ls, char **cause)
{
	struct operators	*s = (struct operators *)ls;
	size_t			 i;

	if (core_operator_list(ls->t->store, &s->ops, &s->n, cause) != 0) {
		s->n = 0;
		return -1;
	}
	s->when = xreallocarray(NULL, s->n + 1, sizeof *s->when);
	for (i = 0; i < s->n; i++) {
		entry_time(ls->t, s->ops[i].added, s->when[i][0],
		    sizeof s->when[i][0]);
		entry_time(ls->t, s->ops[i].changed, s->when[i][1],
		    sizeof s->when[i][1]);
	}
	return 0;
}

static void
operators_unload(struct tui_listscreen *ls)
{
	struct operators	*s = (struct operators *)ls;

	free(s->ops);
	free(s->when);
	s->ops = NULL;
	s->when = NULL;
	s->n = 0;
}

static const struct tui_listscreen_ops operators_ops = {
	.size = sizeof(struct operators),
	.cols = operator_cols,
	.ncols = OPERATOR_NCOLS,
	.source = &operators_source,
	.load = operators_load,
	.unload = operators_unload,
};

static void *
operators_open(struct tui *t)
{
	return tui_listscreen_open(t, &operators_ops);
}

static int
check_name(const char *v, char *err, size_t len)
{
	if (!core_login_name_ok(v)) {
		snprintf(err, len, "%s", _("Use a-z 0-9 . _ -, at most 32."));
		return -1;
	}
	return 0;
}

static int
check_role(const char *v, char *err, size_t len)
{
	if (core_role_parse(v) == 0) {
		snprintf(err, len, "%s", _("admin, approver or auditor"));
		return -1;
	}
	return 0;
}

static int
add_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct store_args	 a = { 0 };

	(void)arg;
	store_args_add(&a, "name", f[0].value);
	store_args_add(&a, "role", f[1].value);
	(void)tui_run_action(t, "operator.add", &a, NULL);
	return 1;
}

static int
operators_add(struct tui *t, void *arg)
{
	struct tui_field	 f[2];

	memset(f, 0, sizeof f);
	f[0].label = N_("Login name");
	f[0].check = check_name;
	f[1].label = N_("Role");
	f[1].choices = "admin|approver|auditor";
	f[1].check = check_role;
	snprintf(f[1].value, sizeof f[1].value, "auditor");
	tui_form(t, _("Add an operator"), f, 2, add_done, arg);
	return TUI_REDRAW;
}

static const struct core_operator *
operators_current(struct operators *s)
{
	size_t	 row = tui_listscreen_row(&s->ls);

	return row == SIZE_MAX ? NULL : &s->ops[row];
}

static int
role_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct store_args	 a = { 0 };

	(void)arg;
	store_args_add(&a, "name", f[0].value);
	store_args_add(&a, "role", f[1].value);
	(void)tui_run_action(t, "operator.role", &a, NULL);
	return 1;
}

static int
operators_role(struct tui *t, void *arg)
{
	struct operators		*s = arg;
	const struct core_operator	*o = operators_current(s);
	struct tui_field		 f[2];

	if (o == NULL || !o->active) {
		tui_status(t, 1, _("Choose an active operator first."));
		return TUI_HANDLED;
	}
	memset(f, 0, sizeof f);
	f[0].label = N_("Login name");
	f[0].check = check_name;
	snprintf(f[0].value, sizeof f[0].value, "%s", o->name);
	f[1].label = N_("New role");
	f[1].choices = "admin|approver|auditor";
	f[1].check = check_role;
	snprintf(f[1].value, sizeof f[1].value, "%s", core_role_name(o->role));
	tui_form(t, _("Change a role"), f, 2, role_done, arg);
	return TUI_REDRAW;
}

static int
remove_yes(struct tui *t, void *arg)
{
	struct operators	*s = arg;
	struct store_args	 a = { 0 };

	store_args_add(&a, "name", s->removing);
	(void)tui_run_action(t, "operator.remove", &a, NULL);
	return 0;
}

static int
operators_remove(struct tui *t, void *arg)
{
	struct operators		*s = arg;
	const struct core_operator	*o = operators_current(s);
	char				 text[160];

	if (o == NULL || !o->active) {
		tui_status(t, 1, _("Choose an active operator first."));
		return TUI_HANDLED;
	}
	snprintf(s->removing, sizeof s->removing, "%s", o->name);
	snprintf(text, sizeof text, _("Remove operator %s? They will no "
	    "longer be able to log in."), o->name);
	tui_confirm(t, _("Remove an operator"), text, remove_yes, s);
	return TUI_REDRAW;
}

static const struct tui_binding operators_keys[] = {
	{ TUI_ACT, N_("Role"), "operator.role", CORE_ROLE_ADMIN,
	    operators_role },
	{ TUI_NEW, N_("Add"), "operator.add", CORE_ROLE_ADMIN,
	    operators_add },
	{ TUI_REMOVE, N_("Remove"), "operator.remove", CORE_ROLE_ADMIN,
	    operators_remove },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_operators = {
	.name = "operators",
	.title = N_("Operators"),
	.keys = operators_keys,
	.open = operators_open,
	.close = tui_listscreen_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
