/*
 * screen-passwords.c -- rotation status: the live IDs whose password
 * needs attention (core_password_status), the worst first: overdue,
 * temporary ones past their deadline, shared IDs whose user left, due
 * within the warning days, temporary ones still in time.  IDs that are
 * fine, or whose password daicho never set, are counted in the header,
 * not listed.
 *
 * F4 acts on them: f forces a change at the next login on the marked IDs
 * (or the chosen one) -- a reason, a preview of every action, then yes
 * (a few) or the count typed back (more), as the findings' remedies ask,
 * and one transaction of id.force_change entries, all or none; r issues
 * the chosen ID a fresh temporary password (id.reset_password), shown
 * once in a dialog that wipes it when it closes (tui_outbox).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

/* From this many actions on, the count is typed back; below, yes/no. */
#define PW_TYPE_COUNT	3

/* One listed ID: what the list and its detail show. */
struct pwrow {
	char	 system[40];
	char	 login[40];
	char	 kind[12];
	char	 state[12];
	char	 owner[16];
	char	 set_by[40];
	char	*why_due;			/* a shared ID's reason (shown),
						   or NULL */
	int64_t	 set_at, temp_until, due;	/* -1: none */
	int	 max_age_days, warn_days;
	int	 status;			/* CORE_PW_* */
	int	 must_change;
};

/* A change forced on many IDs, with its own copy of them (the list may
 * reload under the dialogs). */
struct pwbatch {
	char	 (*id)[2][40];			/* system, login */
	size_t	 n;
	char	 reason[128];
	int	 approve;			/* id.force_change needs a
						   second person */
};

struct pwscreen {
	struct tui_listscreen	 ls;		/* first: the list screen */
	struct pwrow		*v;
	size_t			 n, cap;
	int64_t			 count[CORE_PW_NSTATUS];
	struct pwbatch		*batch;		/* being asked; one at a time */
	char			 reset[2][40];	/* r: system, login asked */
};

static const struct tui_list_col pw_cols[] = {
	{ .title = N_("System"), .width = 12, .min = 8, .prio = 5 },
	{ .title = N_("Login"), .width = 11, .min = 8, .prio = 5 },
	{ .title = N_("Kind"), .width = 10, .min = 8, .prio = 2 },
	{ .title = N_("Owner"), .width = 8, .min = 7, .prio = 1 },
	{ .title = N_("Status"), .width = 20, .min = 12, .prio = 4 },
	{ .title = N_("Due"), .width = 10, .min = 10, .prio = 3, .share = 1 },
};
#define PW_NCOLS	(int)(sizeof pw_cols / sizeof pw_cols[0])

static size_t
pw_count(void *arg)
{
	return ((struct pwscreen *)arg)->n;
}

static void
pw_status_text(const struct pwrow *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", _(core_password_status_names[r->status]),
	    r->must_change ? _(", forced") : "");
}

static void
pw_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct pwrow	*r = &((struct pwscreen *)arg)->v[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", r->system);
		break;
	case 1:
		snprintf(buf, len, "%s", r->login);
		break;
	case 2:
		snprintf(buf, len, "%s", _(r->kind));
		break;
	case 3:
		snprintf(buf, len, "%s", r->owner[0] != '\0' ? r->owner :
		    strcmp(r->kind, "shared") == 0 ? _("shared") : "-");
		break;
	case 4:
		pw_status_text(r, buf, len);
		break;
	default:
		/* A temporary password's hour counts; an age's, its day. */
		if (r->due < 0)
			snprintf(buf, len, "-");
		else
			when_local((time_t)r->due, 0, buf, len);
		if (r->due >= 0 && r->status != CORE_PW_TEMPORARY &&
		    r->status != CORE_PW_TEMP_EXPIRED && len > 10)
			buf[10] = '\0';		/* YYYY-MM-DD */
		break;
	}
}

static void
pw_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct pwrow	*r = &((struct pwscreen *)arg)->v[row];

	snprintf(buf, len, "%s %s %s %s %s %s", r->login, r->system,
	    core_password_status_names[r->status], r->must_change ? "forced" :
	    "", r->kind, r->owner);
}

static int
pw_cmp64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int
pw_compare(void *arg, size_t a, size_t b, int col)
{
	const struct pwrow	*x = &((struct pwscreen *)arg)->v[a];
	const struct pwrow	*y = &((struct pwscreen *)arg)->v[b];

	switch (col) {
	case 1:
		return strcmp(x->login, y->login);
	case 2:
		return strcmp(x->kind, y->kind);
	case 3:
		return strcmp(x->owner, y->owner);
	case 4:
		return x->status - y->status;
	case 5:
		return pw_cmp64(x->due, y->due);
	default:
		return strcmp(x->system, y->system);
	}
}

static const struct tui_list_source pw_source = {
	.count = pw_count,
	.cell = pw_cell,
	.search = pw_search,
	.compare = pw_compare,
};

/* The worst first; then the earliest due; then by system and login. */
static int
pw_order(const void *a, const void *b)
{
	const struct pwrow	*x = a, *y = b;
	int			 r;

	if (x->status != y->status)
		return x->status - y->status;
	if ((r = pw_cmp64(x->due, y->due)) != 0)
		return r;
	if ((r = strcmp(x->system, y->system)) != 0)
		return r;
	return strcmp(x->login, y->login);
}

static void
pw_add(void *arg, const struct core_password *p)
{
	struct pwscreen	*s = arg;
	struct pwrow	*r;
	char		 why[192];

	s->count[p->status]++;
	if (p->status == CORE_PW_OK || p->status == CORE_PW_UNKNOWN)
		return;
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	r = &s->v[s->n++];
	memset(r, 0, sizeof *r);
	snprintf(r->system, sizeof r->system, "%s", p->system);
	snprintf(r->login, sizeof r->login, "%s", p->login);
	snprintf(r->kind, sizeof r->kind, "%s", p->kind);
	snprintf(r->state, sizeof r->state, "%s", p->state);
	snprintf(r->owner, sizeof r->owner, "%s", p->owner);
	snprintf(r->set_by, sizeof r->set_by, "%s", p->set_by);
	if (p->why_due[0] != '\0') {
		core_password_due_shown(p->why_due, why, sizeof why);
		r->why_due = xstrdup(why);
	}
	r->set_at = p->set_at;
	r->temp_until = p->temp_until;
	r->due = p->due;
	r->max_age_days = p->max_age_days;
	r->warn_days = p->warn_days;
	r->status = p->status;
	r->must_change = p->must_change;
}

static int
pw_load(struct tui_listscreen *ls, char **cause)
{
	struct pwscreen	*s = (struct pwscreen *)ls;
	int		 r;

	r = core_password_status(ls->t->store, time(NULL), pw_add, s, cause);
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, pw_order);
	return r;
}

static void
pw_unload(struct tui_listscreen *ls)
{
	struct pwscreen	*s = (struct pwscreen *)ls;
	size_t		 i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].why_due);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
	memset(s->count, 0, sizeof s->count);
}

static void
pw_draw_header(struct tui_listscreen *ls, int y, int w)
{
	struct pwscreen	*s = (struct pwscreen *)ls;
	char		 line[320];
	int64_t		 bad = s->count[CORE_PW_OVERDUE] +
			    s->count[CORE_PW_TEMP_EXPIRED] +
			    s->count[CORE_PW_SHARED_DUE];

	snprintf(line, sizeof line, _("%lld overdue, %lld temporary past "
	    "their deadline, %lld shared due, %lld due, %lld temporary."),
	    (long long)s->count[CORE_PW_OVERDUE],
	    (long long)s->count[CORE_PW_TEMP_EXPIRED],
	    (long long)s->count[CORE_PW_SHARED_DUE],
	    (long long)s->count[CORE_PW_DUE],
	    (long long)s->count[CORE_PW_TEMPORARY]);
	attrset(tui_style(bad > 0 ? TUI_HEADER : TUI_DIM));
	tui_text_put(stdscr, y, 0, line, w, 0);
	snprintf(line, sizeof line, _("Not listed: %lld fine, %lld never set "
	    "by daicho.  ^T marks; F4 acts."), (long long)s->count[CORE_PW_OK],
	    (long long)s->count[CORE_PW_UNKNOWN]);
	attrset(tui_style(TUI_DIM));
	tui_text_put(stdscr, y + 1, 0, line, w, 0);
	attrset(tui_style(TUI_NORMAL));
}

static void
batch_free(void *arg)
{
	struct pwbatch	*b = arg;

	if (b == NULL)
		return;
	free(b->id);
	free(b);
}

static const struct tui_listscreen_ops pw_ops = {
	.size = sizeof(struct pwscreen),
	.cols = pw_cols,
	.ncols = PW_NCOLS,
	.source = &pw_source,
	.load = pw_load,
	.unload = pw_unload,
	.header = 2,
	.draw_header = pw_draw_header,
	.flags = TUI_LS_UNMARK,
};

static void *
pw_open(struct tui *t)
{
	return tui_listscreen_open(t, &pw_ops);
}

static void
pw_close(struct tui *t, void *arg)
{
	struct pwscreen	*s = arg;

	if (s != NULL) {
		batch_free(s->batch);
		s->batch = NULL;
	}
	tui_listscreen_close(t, arg);
}

/* A time for the detail: when_local's, or what stands for none. */
static void
pw_when(int64_t t, const char *none, char *buf, size_t len)
{
	if (t < 0)
		snprintf(buf, len, "%s", none);
	else
		when_local((time_t)t, 0, buf, len);
}

static int
pw_detail(struct tui *t, void *arg)
{
	struct pwscreen		*s = arg;
	const struct pwrow	*r;
	size_t			 row = tui_listscreen_pick(&s->ls, _("ID"));
	char			*text, set[WHEN_MAX], due[WHEN_MAX],
				 temp[WHEN_MAX], st[64], title[96];

	if (row == SIZE_MAX)
		return TUI_HANDLED;
	r = &s->v[row];
	pw_status_text(r, st, sizeof st);
	pw_when(r->set_at, _("never by daicho"), set, sizeof set);
	pw_when(r->due, _("none"), due, sizeof due);
	pw_when(r->temp_until, _("not a temporary one"), temp, sizeof temp);
	xasprintf(&text, _("Status: %s\nKind %s, state %s, owner %s\n\n"
	    "Password set: %s%s%s\nTemporary until: %s\nDue: %s\n"
	    "Policy for %s IDs on %s: max_age_days %d, warn_days %d\n%s%s%s"
	    "\nF4 then f forces a change at the next login; r issues a fresh "
	    "temporary password."), st, _(r->kind), _(r->state),
	    r->owner[0] != '\0' ? r->owner : "-", set, r->set_by[0] != '\0' ?
	    _(" by ") : "", r->set_by, temp, due, r->kind, r->system,
	    r->max_age_days, r->warn_days, r->why_due != NULL ?
	    _("Must change: ") : "", r->why_due != NULL ? r->why_due : "",
	    r->why_due != NULL ? "\n" : "");
	snprintf(title, sizeof title, _("Password: %s/%s"), r->system,
	    r->login);
	tui_message(t, title, text);
	free(text);
	return TUI_REDRAW;
}

/*
 * The batch's id.force_change entries in one transaction, as the
 * operator (approver named when the action needs one): all, or none.
 */
static int
batch_run(struct tui *t, void *arg, const char *approver)
{
	struct pwbatch		*b = arg;
	struct core_actor	 who = { t->op, approver };
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct store_args	 a;
	char			*cause = NULL;
	size_t			 i;

	if ((store_epoch_age(t->store) >= CORE_ROTATE_SECONDS &&
	    core_rotate(t->store, &sys, &cause) != 0) ||
	    core_begin(t->store, &cause) != 0) {
		tui_status(t, 1, _("Nothing was done: %s"), cause);
		free(cause);
		return -1;
	}
	for (i = 0; i < b->n; i++) {
		memset(&a, 0, sizeof a);
		store_args_add(&a, "system", b->id[i][0]);
		store_args_add(&a, "login", b->id[i][1]);
		store_args_add(&a, "reason", b->reason);
		if (core_run(t->store, "id.force_change", &who, &a, NULL,
		    &cause) != 0) {
			core_rollback(t->store);
			tui_status(t, 1, _("Nothing was done: %s on %s: %s"),
			    b->id[i][1], b->id[i][0], cause);
			free(cause);
			return -1;
		}
	}
	if (core_commit(t->store, &cause) != 0) {
		tui_status(t, 1, _("Nothing was done: %s"), cause);
		free(cause);
		return -1;
	}
	t->last_index = 0;		/* every system the entries queued on */
	tui_outbox(t);
	if (t->outbox_failed == 0)
		tui_status(t, 0, ngettext("A change is forced at the next "
		    "login of %zu ID.", "A change is forced at the next login "
		    "of %zu IDs.", PLURAL(b->n)), b->n);
	return 0;
}

/* Confirmed: the second person when the action needs one, then run. */
static void
batch_go(struct tui *t, struct pwscreen *s)
{
	struct pwbatch	*b = s->batch;
	char		*what;

	s->batch = NULL;
	if (!b->approve) {
		(void)batch_run(t, b, NULL);
		batch_free(b);
		return;
	}
	xasprintf(&what, ngettext("force a change on %zu ID, in one "
	    "transaction", "force a change on %zu IDs, in one transaction",
	    PLURAL(b->n)), b->n);
	tui_approve_then(t, "id.force_change", what, batch_run, batch_free,
	    b);
	free(what);
}

static int
confirm_yes(struct tui *t, void *arg)
{
	struct pwscreen	*s = arg;

	if (s->batch != NULL)
		batch_go(t, s);
	return 0;
}

static int
count_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct pwscreen	*s = arg;
	char		 want[24];

	if (s->batch == NULL)
		return 1;
	snprintf(want, sizeof want, "%zu", s->batch->n);
	if (strcmp(f[0].value, want) != 0) {
		tui_status(t, 1, _("The count typed does not match %s: nothing "
		    "was done."), want);
		return 1;
	}
	batch_go(t, s);
	return 1;
}

/* The preview, then yes/no (a few) or the count typed back (more). */
static void
batch_ask(struct tui *t, struct pwscreen *s)
{
	struct pwbatch		*b = s->batch;
	struct tui_line		*v = NULL;
	struct tui_field	 c[1];
	size_t			 n = 0, i;
	char			*text, *tmp, title[96];

	snprintf(title, sizeof title, ngettext("Force a change: %zu ID",
	    "Force a change: %zu IDs", PLURAL(b->n)), b->n);
	tui_lines_add(&v, &n, TUI_LINE_PLAIN, ngettext("%zu action, in one "
	    "transaction (all of it, or none):", "%zu actions, in one "
	    "transaction (all of them, or none):", PLURAL(b->n)), b->n);
	for (i = 0; i < b->n; i++)
		tui_lines_add(&v, &n, TUI_LINE_PLAIN, "  id.force_change %s on "
		    "%s", b->id[i][1], b->id[i][0]);
	if (b->approve)
		tui_lines_add(&v, &n, TUI_LINE_ALERT, _("id.force_change needs "
		    "a second person: an approver logs in after the "
		    "confirmation."));
	if (b->n < PW_TYPE_COUNT) {
		text = xstrdup("");
		for (i = 0; i < n; i++) {
			xasprintf(&tmp, "%s%s\n", text, v[i].text);
			free(text);
			text = tmp;
			free(v[i].text);
		}
		free(v);
		tui_confirm(t, title, text, confirm_yes, s);
		free(text);
		return;
	}
	memset(c, 0, sizeof c);
	c[0].label = N_("Type the count");
	tui_form(t, title, c, 1, count_done, s);
	tui_prompt(t, 1, _("%zu actions. Type %zu and Enter to carry them "
	    "out; Esc cancels."), b->n, b->n);
	tui_lines(t, title, _("Up/Down PgUp/PgDn: scroll   Enter: close, "
	    "then type the count"), v, n);
}

static int
reason_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct pwscreen	*s = arg;

	if (s->batch == NULL)
		return 1;
	snprintf(s->batch->reason, sizeof s->batch->reason, "%s", f[0].value);
	batch_ask(t, s);
	return 1;
}

/* The marked IDs, or the chosen one, copied into a new batch. */
static struct pwbatch *
batch_new(struct pwscreen *s)
{
	struct pwbatch	*b;
	size_t		 row, want = tui_list_nmarked(s->ls.list);

	b = xcalloc(1, sizeof *b);
	b->id = xcalloc(want > 0 ? want : 1, sizeof *b->id);
	if (want == 0) {
		if ((row = tui_listscreen_pick(&s->ls, _("ID"))) == SIZE_MAX) {
			batch_free(b);
			return NULL;
		}
		snprintf(b->id[0][0], sizeof b->id[0][0], "%s",
		    s->v[row].system);
		snprintf(b->id[0][1], sizeof b->id[0][1], "%s", s->v[row].login);
		b->n = 1;
		return b;
	}
	for (row = tui_list_next_marked(s->ls.list, 0);
	    row != SIZE_MAX && row < s->n && b->n < want;
	    row = tui_list_next_marked(s->ls.list, row + 1)) {
		snprintf(b->id[b->n][0], sizeof b->id[0][0], "%s",
		    s->v[row].system);
		snprintf(b->id[b->n][1], sizeof b->id[0][1], "%s",
		    s->v[row].login);
		b->n++;
	}
	if (b->n == 0) {		/* marks past a reload's rows */
		batch_free(b);
		tui_status(s->ls.t, 1, _("No ID is chosen."));
		return NULL;
	}
	return b;
}

/* f: a reason for the ledger, then the preview. */
static int
pw_force(struct tui *t, struct pwscreen *s)
{
	struct tui_field	 f[1];
	struct pwbatch		*b;
	char			 title[96];

	if ((b = batch_new(s)) == NULL)
		return TUI_HANDLED;
	b->approve = core_needs_approver(t->store, "id.force_change");
	batch_free(s->batch);
	s->batch = b;
	memset(f, 0, sizeof f);
	f[0].label = N_("Reason");
	f[0].check = tui_check_reason;
	snprintf(f[0].value, sizeof f[0].value, "%s", _("password change "
	    "due"));
	snprintf(title, sizeof title, ngettext("Force a change on %zu ID",
	    "Force a change on %zu IDs", PLURAL(b->n)), b->n);
	tui_form(t, title, f, 1, reason_done, s);
	tui_prompt(t, 0, _("Why, for the ledger; then Enter: a preview lists "
	    "every action first."));
	return TUI_REDRAW;
}

/* r, confirmed: the action; tui_outbox shows the password once. */
static int
reset_yes(struct tui *t, void *arg)
{
	struct pwscreen		*s = arg;
	struct store_args	 a = { 0 };

	store_args_add(&a, "system", s->reset[0]);
	store_args_add(&a, "login", s->reset[1]);
	if (tui_run_action(t, "id.reset_password", &a, NULL) == 0 &&
	    t->outbox_failed == 0)
		tui_status(t, 0, _("id.reset_password %s on %s: done."),
		    s->reset[1], s->reset[0]);
	return 0;
}

/* r: a fresh temporary password for the chosen ID. */
static int
pw_reset(struct tui *t, struct pwscreen *s)
{
	size_t	 row = tui_listscreen_pick(&s->ls, _("ID"));
	char	 text[256];

	if (row == SIZE_MAX)
		return TUI_HANDLED;
	/* Copied: the list may reload while the question is open. */
	snprintf(s->reset[0], sizeof s->reset[0], "%s", s->v[row].system);
	snprintf(s->reset[1], sizeof s->reset[1], "%s", s->v[row].login);
	snprintf(text, sizeof text, _("Issue a fresh temporary password for "
	    "%s on %s? It is shown to you once and must be changed at the "
	    "next login."), s->reset[1], s->reset[0]);
	tui_confirm(t, _("New temporary password"), text, reset_yes, s);
	return TUI_REDRAW;
}

/* F4's choices: a small dialog whose keys are f and r. */
static int
act_force(struct tui *t, void *arg)
{
	tui_dialog_pop(t);		/* the choices go; arg is the screen's */
	return pw_force(t, arg) | TUI_REDRAW;
}

static int
act_reset(struct tui *t, void *arg)
{
	tui_dialog_pop(t);
	return pw_reset(t, arg) | TUI_REDRAW;
}

static int
act_close(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	return TUI_CLOSE | TUI_REDRAW;
}

static const struct tui_binding act_keys[] = {
	{ 'f', 0, "f", N_("Force a change at the next login (marked, or "
	    "the chosen ID)"), "id.force_change", CORE_ROLE_ADMIN,
	    act_force },
	{ 'r', 0, "r", N_("A fresh temporary password for the chosen ID"),
	    "id.reset_password", CORE_ROLE_ADMIN, act_reset },
	{ TUI_ESC, 0, "Esc", N_("Close"), NULL, 0, act_close },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

static void
act_draw(struct tui *t, struct tui_dialog *dl)
{
	struct pwscreen		*s = dl->data;
	const struct tui_binding *b;
	size_t			 marked = tui_list_nmarked(s->ls.list);
	char			 line[256];
	int			 y, x, row;

	(void)t;
	tui_frame(8, 70, _("Passwords"), &y, &x);
	row = y + 1;
	snprintf(line, sizeof line, ngettext("%zu ID marked", "%zu IDs marked",
	    PLURAL(marked)), marked);
	tui_text_put(stdscr, row++, x + 2, line, 66, 0);
	row++;
	for (b = act_keys; b->run != NULL; b++) {
		snprintf(line, sizeof line, "%-4s %s", b->label, _(b->help));
		tui_text_put(stdscr, row++, x + 2, line, 66, 0);
	}
}

static int
act_key(struct tui *t, struct tui_dialog *dl, const struct tui_key *k)
{
	/* Modal: a key the table does not have goes nowhere (but F1). */
	return tui_binding_run(t, act_keys, k, dl->data);
}

static int
pw_act(struct tui *t, void *arg)
{
	struct tui_dialog	*dl = xcalloc(1, sizeof *dl);

	dl->data = arg;
	dl->draw = act_draw;
	dl->key = act_key;
	dl->keys = act_keys;
	tui_dialog_push(t, dl);
	return TUI_REDRAW;
}

static const struct tui_binding pw_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, pw_detail },
	{ TUI_ACT, N_("Act: f force a change, r new password"), NULL,
	    CORE_ROLE_ADMIN, pw_act },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_passwords = {
	.name = "passwords",
	.title = N_("Passwords"),
	.keys = pw_keys,
	.open = pw_open,
	.close = pw_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
