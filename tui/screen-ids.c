/*
 * screen-ids.c -- every ID on every system: a list with a filter by
 * system, kind, state, department and owner (on top of the list's own
 * typed filter), an ID's detail with its history from the ledger, and the
 * changes an admin makes to it: issue, lock or unlock, suspend or resume,
 * revoke, end date.  Each change is an action; the console then carries
 * it out on the system at once (tui_outbox).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

/* The fields of the structured filter, in the form's order. */
enum { F_SYSTEM, F_KIND, F_STATE, F_DEPT, F_OWNER, F_N };

struct ids {
	struct tui_listscreen ls;		/* first: the list screen */
	struct core_id	*all;			/* every ID */
	size_t		 nall;
	size_t		*rows;			/* those the filter lets through */
	size_t		 n;
	char		 filter[F_N][64];
};

static const struct tui_list_col id_cols[] = {
	{ .title = N_("System"), .width = 13, .min = 8, .prio = 5 },
	{ .title = N_("Login"), .width = 13, .min = 8, .prio = 5 },
	{ .title = N_("Kind"), .width = 10, .min = 10, .prio = 2 },
	{ .title = N_("State"), .width = 8, .min = 7, .prio = 3 },
	{ .title = N_("Owner"), .width = 9, .min = 7, .prio = 1 },
	{ .title = N_("Name"), .width = 12, .min = 10, .prio = 4, .share = 1 },
	{ .title = N_("Department"),
	    .width = 16, .min = 10, .prio = 4, .share = 1 },
};
#define ID_NCOLS	(int)(sizeof id_cols / sizeof id_cols[0])

static const struct core_id *
ids_row(struct ids *s, size_t row)
{
	return &s->all[s->rows[row]];
}

static size_t
ids_count(void *arg)
{
	return ((struct ids *)arg)->n;
}

static void
ids_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct core_id	*d = ids_row(arg, row);

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", d->system);
		break;
	case 1:
		snprintf(buf, len, "%s%s", d->login, d->break_glass ? " !" :
		    "");
		break;
	case 2:
		snprintf(buf, len, "%s", _(d->kind));
		break;
	case 3:
		snprintf(buf, len, "%s%s", _(d->state), d->unfinished > 0 ?
		    "*" : "");
		break;
	case 4:
		snprintf(buf, len, "%s", d->owner[0] != '\0' ? d->owner :
		    d->users[0] != '\0' ? _("shared") : "-");
		break;
	case 5:
		snprintf(buf, len, "%s", d->owner_name);
		break;
	default:
		snprintf(buf, len, "%s", d->department);
		break;
	}
}

static void
ids_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct core_id	*d = ids_row(arg, row);

	snprintf(buf, len, "%s %s %s %s %s %s %s", d->login, d->system,
	    d->state, d->kind, d->owner, d->owner_name, d->department);
}

static int
ids_compare(void *arg, size_t a, size_t b, int col)
{
	const struct core_id	*x = ids_row(arg, a), *y = ids_row(arg, b);

	switch (col) {
	case 1:
		return strcmp(x->login, y->login);
	case 2:
		return strcmp(x->kind, y->kind);
	case 3:
		return strcmp(x->state, y->state);
	case 4:
		return strcmp(x->owner, y->owner);
	case 5:
		return strcmp(x->owner_name, y->owner_name);
	case 6:
		return strcmp(x->department, y->department);
	default:
		return strcmp(x->system, y->system);
	}
}

static const struct tui_list_source ids_source = {
	.count = ids_count,
	.cell = ids_cell,
	.search = ids_search,
	.compare = ids_compare,
};

/* Whether d passes the structured filter (empty fields pass all). */
static int
ids_pass(const struct ids *s, const struct core_id *d)
{
	const char	*dept = s->filter[F_DEPT], *owner = s->filter[F_OWNER];

	if (s->filter[F_SYSTEM][0] != '\0' &&
	    strcmp(s->filter[F_SYSTEM], d->system) != 0)
		return 0;
	if (s->filter[F_KIND][0] != '\0' &&
	    strcmp(s->filter[F_KIND], d->kind) != 0)
		return 0;
	if (s->filter[F_STATE][0] != '\0' &&
	    strcmp(s->filter[F_STATE], d->state) != 0)
		return 0;
	if (dept[0] != '\0' && strstr(d->department, dept) == NULL)
		return 0;
	/* An owner, or a user of a shared ID. */
	if (owner[0] != '\0' && strcmp(owner, d->owner) != 0 &&
	    strstr(d->users, owner) == NULL)
		return 0;
	return 1;
}

static int
ids_load(struct tui_listscreen *ls, char **cause)
{
	struct ids	*s = (struct ids *)ls;
	size_t		 i;
	int		 r;

	r = core_id_list(ls->t->store, &s->all, &s->nall, cause);
	s->rows = xreallocarray(s->rows, s->nall + 1, sizeof *s->rows);
	for (i = 0; i < s->nall; i++) {
		if (ids_pass(s, &s->all[i]))
			s->rows[s->n++] = i;
	}
	return r;
}

static void
ids_unload(struct tui_listscreen *ls)
{
	struct ids	*s = (struct ids *)ls;

	free(s->all);
	free(s->rows);
	s->all = NULL;
	s->rows = NULL;
	s->nall = s->n = 0;
}

/* The structured filter, on the line above the list. */
static void
ids_draw_filter(struct tui_listscreen *ls, int y, int w)
{
	struct ids	*s = (struct ids *)ls;
	char		 line[512];
	static const char *const names[F_N] = {
		N_("system"), N_("kind"), N_("state"), N_("department"),
		N_("owner"),
	};
	int		 i, any = 0;
	size_t		 off;

	off = (size_t)snprintf(line, sizeof line, "%s", _("Filter (F8):"));
	for (i = 0; i < F_N && off < sizeof line; i++) {
		if (s->filter[i][0] == '\0')
			continue;
		off += (size_t)snprintf(line + off, sizeof line - off,
		    " %s=%s", _(names[i]), s->filter[i]);
		any = 1;
	}
	if (!any && off < sizeof line)
		snprintf(line + off, sizeof line - off, " %s", _("none; "
		    "every ID is listed.  * an operation is not applied yet;  "
		    "! break-glass"));
	attrset(tui_style(any ? TUI_HEADER : TUI_DIM));
	tui_text_put(stdscr, y, 0, line, w, 0);
	attrset(tui_style(TUI_NORMAL));
}

static const struct tui_listscreen_ops ids_ops = {
	.size = sizeof(struct ids),
	.cols = id_cols,
	.ncols = ID_NCOLS,
	.source = &ids_source,
	.load = ids_load,
	.unload = ids_unload,
	.header = 1,
	.draw_header = ids_draw_filter,
	.flags = TUI_LS_UNMARK,
};

static void *
ids_open(struct tui *t)
{
	return tui_listscreen_open(t, &ids_ops);
}

static const struct core_id *
ids_current(struct ids *s)
{
	size_t	 row = tui_listscreen_pick(&s->ls, _("ID"));

	return row == SIZE_MAX ? NULL : ids_row(s, row);
}

/* The ID's detail: what it is, and its history from the ledger. */
struct detail {
	struct tui	*t;
	struct core_id	 id;
	char		**lines;		/* history, oldest first */
	size_t		 nlines;
	size_t		 top;			/* first history line shown */
	const char	*pending;		/* the change being asked */
	char		 reason[128];		/* for it */
};

static void
detail_entry(void *arg, const struct store_entry *e)
{
	struct detail	*d = arg;
	const char	*error = store_args_get(&e->args, "error");
	char		 args[160], *line, when[WHEN_MAX];
	size_t		 i, off = 0;

	if (error == NULL)	/* applied, with a word on it */
		error = store_args_get(&e->args, "notice");
	when_local_utc(e->time, 0, when, sizeof when);

	args[0] = '\0';
	if (strcmp(e->action, "outbox.result") == 0) {
		/* What the system did: "lock applied", "create failed: ...". */
		snprintf(args, sizeof args, "%s %s%s%s",
		    store_args_get(&e->args, "op"),
		    store_args_get(&e->args, "result"), error != NULL ? ": " :
		    "", error != NULL ? error : "");
		xasprintf(&line, "%6llu  %s  %-14s %s %s",
		    (unsigned long long)e->index, when, e->action,
		    _("target:"), args);
		goto add;
	}
	for (i = 0; i < e->args.n && off < sizeof args; i++) {
		if (strcmp(e->args.v[i].name, "system") == 0 ||
		    strcmp(e->args.v[i].name, "login") == 0)
			continue;
		off += (size_t)snprintf(args + off, sizeof args - off,
		    "%s%s=%s", off > 0 ? " " : "", e->args.v[i].name,
		    e->args.v[i].value);
	}
	xasprintf(&line, "%6llu  %s  %-14s %s%s%s  %s",
	    (unsigned long long)e->index, when, e->action, e->operator,
	    e->approver != NULL ? "+" : "", e->approver != NULL ?
	    e->approver : "", args);
add:
	d->lines = xreallocarray(d->lines, d->nlines + 1, sizeof *d->lines);
	d->lines[d->nlines++] = line;
}

static void
detail_load(struct detail *d)
{
	char		*cause = NULL;

	while (d->nlines > 0)
		free(d->lines[--d->nlines]);
	if (core_id_get(d->t->store, d->id.system, d->id.login, &d->id,
	    &cause) == -1) {
		tui_status(d->t, 1, "%s", cause);
		free(cause);
		cause = NULL;
	}
	if (core_id_history(d->t->store, d->id.system, d->id.login,
	    detail_entry, d, &cause) != 0) {
		tui_status(d->t, 1, "%s", cause);
		free(cause);
	}
	/* Newest at the bottom, in view. */
	d->top = d->nlines > 8 ? d->nlines - 8 : 0;
}

static void
detail_draw(struct tui *t, struct tui_dialog *dl)
{
	struct detail		*d = dl->data;
	const struct core_id	*id = &d->id;
	char			 line[512], title[96];
	int			 y, x, w = COLS - 4, h = LINES - 4, row, hist;
	size_t			 i;

	snprintf(title, sizeof title, "%s/%s", id->system, id->login);
	tui_frame(h, w, title, &y, &x);
	row = y + 1;
	snprintf(line, sizeof line, _("Kind %s, state %s%s.  Issued at "
	    "entry %llu, last changed at %llu."), _(id->kind), _(id->state),
	    id->break_glass ? _(", break-glass") : "",
	    (unsigned long long)id->created, (unsigned long long)id->changed);
	tui_text_put(stdscr, row++, x + 2, line, w - 4, 0);
	if (id->owner[0] != '\0')
		snprintf(line, sizeof line, _("Owner %s %s (%s)"), id->owner,
		    id->owner_name, id->department);
	else if (id->users[0] != '\0')
		snprintf(line, sizeof line, _("Users %s (%s)"), id->users,
		    id->department);
	else
		snprintf(line, sizeof line, "%s", _("No owner (a service "
		    "ID)"));
	tui_text_put(stdscr, row++, x + 2, line, w - 4, 0);
	snprintf(line, sizeof line, _("End date %s%s%s%s"), id->end_date[0] ?
	    id->end_date : _("none"), id->sponsor[0] ? _(", sponsor ") : "",
	    id->sponsor, id->unfinished > 0 ? _(";  an operation waits for "
	    "the system") : "");
	tui_text_put(stdscr, row++, x + 2, line, w - 4, 0);
	if (id->password_unrevealed) {
		attrset(tui_style(TUI_ERROR));
		tui_text_put(stdscr, row++, x + 2, _("Its temporary password "
		    "was never shown to anyone: p issues a fresh one."), w - 4,
		    0);
		attrset(tui_style(TUI_FRAME));
	}
	row++;
	attrset(tui_style(TUI_HEADER));
	tui_text_put(stdscr, row++, x + 2, _("History (from the ledger)"),
	    w - 4, 0);
	attrset(tui_style(TUI_FRAME));
	hist = y + h - 2 - row;
	for (i = d->top; i < d->nlines && hist > 0; i++, hist--)
		tui_text_put(stdscr, row++, x + 2, d->lines[i], w - 4, 0);
	attrset(tui_style(TUI_DIM));
	tui_keys_line(t, dl->keys, line, sizeof line);
	tui_text_put(stdscr, y + h - 2, x + 2, line, w - 4, 0);
	attrset(tui_style(TUI_FRAME));
}

/* Run an ID change from the detail view. */
static void
detail_act(struct detail *d, const char *action, const char *name,
    const char *value)
{
	struct store_args	 a = { 0 };

	store_args_add(&a, "system", d->id.system);
	store_args_add(&a, "login", d->id.login);
	if (name != NULL)
		store_args_add(&a, name, value);
	if (tui_run_action(d->t, action, &a, NULL) == 0 &&
	    d->t->outbox_failed == 0)
		tui_status(d->t, 0, _("%s: done."), action);
	detail_load(d);
}

static int
reset_yes(struct tui *t, void *arg)
{
	(void)t;
	detail_act(arg, "id.reset_password", NULL, NULL);
	return 0;
}

static int
check_date(const char *v, char *err, size_t len)
{
	if (!core_date_ok(v)) {
		snprintf(err, len, "%s", _("A real day, YYYY-MM-DD."));
		return -1;
	}
	return 0;
}

static int
end_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct detail		*d = arg;
	struct store_args	 a = { 0 };
	char			*what;

	/*
	 * A later end for a privileged or contractor ID keeps access that
	 * was meant to end: a second person approves it (id.end_date).
	 */
	if ((strcmp(d->id.kind, "privileged") == 0 || strcmp(d->id.kind,
	    "contractor") == 0) && d->id.end_date[0] != '\0' &&
	    strcmp(f[0].value, d->id.end_date) > 0) {
		store_args_add(&a, "system", d->id.system);
		store_args_add(&a, "login", d->id.login);
		store_args_add(&a, "end_date", f[0].value);
		xasprintf(&what, _("extend %s on %s (%s) from %s to %s"),
		    d->id.login, d->id.system, d->id.kind, d->id.end_date,
		    f[0].value);
		tui_approve(t, "id.end_date", &a, what);
		free(what);
		return 1;
	}
	detail_act(d, "id.end_date", "end_date", f[0].value);
	return 1;
}

/* Lock, suspend, revoke: a reason for the ledger, then a question. */
static int
change_yes(struct tui *t, void *arg)
{
	struct detail	*d = arg;

	(void)t;
	detail_act(d, d->pending, "reason", d->reason);
	return 0;
}

static int
reason_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct detail	*d = arg;
	char		 text[512];

	snprintf(d->reason, sizeof d->reason, "%s", f[0].value);
	if (strcmp(d->pending, "id.revoke") == 0) {
		/* Revoking cannot be undone: Enter alone says no. */
		if (strcmp(f[1].value, "yes") != 0)
			tui_status(t, 0, _("Not revoked: nothing was done."));
		else
			detail_act(d, d->pending, "reason", d->reason);
		return 1;
	}
	snprintf(text, sizeof text, strcmp(d->pending, "id.lock") == 0 ?
	    _("Lock %s on %s?\nReason: %s\nNobody can log in with it until "
	    "it is unlocked.") : _("Suspend %s on %s?\nReason: %s\nNobody "
	    "can log in with it until it is resumed."), d->id.login,
	    d->id.system, d->reason);
	tui_confirm(t, strcmp(d->pending, "id.lock") == 0 ? _("Lock an ID") :
	    _("Suspend an ID"), text, change_yes, d);
	return 1;
}

/* Ask why (and, to revoke, whether: no unless changed), then act. */
static void
detail_ask(struct tui *t, struct detail *d, const char *action,
    const char *title)
{
	struct tui_field	 f[2];
	char			 head[160];

	d->pending = action;
	memset(f, 0, sizeof f);
	f[0].label = N_("Reason");
	f[0].check = tui_check_reason;
	f[1].label = N_("Revoke it?");
	f[1].choices = "no|yes";
	snprintf(f[1].value, sizeof f[1].value, "no");
	snprintf(head, sizeof head, "%s: %s on %s", title, d->id.login,
	    d->id.system);
	tui_form(t, head, f, strcmp(action, "id.revoke") == 0 ? 2 : 1,
	    reason_done, d);
}

static int
detail_lock(struct tui *t, void *arg)
{
	struct detail	*d = arg;

	if (strcmp(d->id.state, "locked") == 0)
		detail_act(d, "id.unlock", NULL, NULL);
	else
		detail_ask(t, d, "id.lock", _("Lock"));
	return TUI_REDRAW;
}

static int
detail_suspend(struct tui *t, void *arg)
{
	struct detail	*d = arg;

	if (strcmp(d->id.state, "suspended") == 0)
		detail_act(d, "id.resume", NULL, NULL);
	else
		detail_ask(t, d, "id.suspend", _("Suspend"));
	return TUI_REDRAW;
}

static int
detail_revoke(struct tui *t, void *arg)
{
	detail_ask(t, arg, "id.revoke", _("Revoke (removes the account from "
	    "its system)"));
	return TUI_REDRAW;
}

static int
detail_password(struct tui *t, void *arg)
{
	struct detail	*d = arg;
	char		 text[160];

	snprintf(text, sizeof text, _("Issue a fresh temporary password for "
	    "%s on %s? It is shown to you once and must be changed at the "
	    "next login."), d->id.login, d->id.system);
	tui_confirm(t, _("New temporary password"), text, reset_yes, d);
	return TUI_REDRAW;
}

static int
detail_end(struct tui *t, void *arg)
{
	struct detail		*d = arg;
	struct tui_field	 f[1];

	memset(f, 0, sizeof f);
	f[0].label = N_("End date");
	f[0].check = check_date;
	snprintf(f[0].value, sizeof f[0].value, "%s", d->id.end_date);
	tui_form(t, _("Set the end date"), f, 1, end_done, d);
	return TUI_REDRAW;
}

static int
detail_older(struct tui *t, void *arg)
{
	struct detail	*d = arg;

	(void)t;
	if (d->top > 0)
		d->top--;
	return TUI_REDRAW;
}

static int
detail_newer(struct tui *t, void *arg)
{
	struct detail	*d = arg;

	(void)t;
	if (d->top + 1 < d->nlines)
		d->top++;
	return TUI_REDRAW;
}

static int
detail_close(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	return TUI_CLOSE;
}

/* The ID detail's keys: the hint line and F1 come from this table. */
static const struct tui_binding detail_keys[] = {
	{ 'l', 0, "l", N_("Lock/unlock"), "id.lock", CORE_ROLE_ADMIN,
	    detail_lock },
	{ 's', 0, "s", N_("Suspend/resume"), "id.suspend", CORE_ROLE_ADMIN,
	    detail_suspend },
	{ 'e', 0, "e", N_("End date"), "id.end_date", CORE_ROLE_ADMIN,
	    detail_end },
	{ 'r', 0, "r", N_("Revoke"), "id.revoke", CORE_ROLE_ADMIN,
	    detail_revoke },
	{ 'p', 0, "p", N_("New password"), "id.reset_password",
	    CORE_ROLE_ADMIN, detail_password },
	{ KEY_UP, 1, "Up", N_("Older"), NULL, 0, detail_older },
	{ KEY_DOWN, 1, "Down", N_("Newer"), NULL, 0, detail_newer },
	{ TUI_ESC, 0, "Esc", N_("Close"), NULL, 0, detail_close },
	{ 'q', 0, NULL, N_("Close"), NULL, 0, detail_close },
	{ '\r', 0, NULL, N_("Close"), NULL, 0, detail_close },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

static int
detail_key(struct tui *t, struct tui_dialog *dl, const struct tui_key *k)
{
	/* Modal: a key the table does not have goes nowhere (but F1). */
	return tui_binding_run(t, detail_keys, k, dl->data);
}

static void
detail_free(struct tui_dialog *dl)
{
	struct detail	*d = dl->data;

	while (d->nlines > 0)
		free(d->lines[--d->nlines]);
	free(d->lines);
	free(d);
}

static int
ids_detail(struct tui *t, void *arg)
{
	const struct core_id	*id = ids_current(arg);
	struct tui_dialog	*dl;
	struct detail		*d;

	if (id == NULL)
		return TUI_HANDLED;
	d = xcalloc(1, sizeof *d);
	d->t = t;
	d->id = *id;
	detail_load(d);
	dl = xcalloc(1, sizeof *dl);
	dl->data = d;
	dl->draw = detail_draw;
	dl->key = detail_key;
	dl->keys = detail_keys;
	dl->free = detail_free;
	tui_dialog_push(t, dl);
	return TUI_REDRAW;
}

static int
filter_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct ids	*s = arg;
	int		 i;

	(void)t;
	for (i = 0; i < F_N; i++)
		snprintf(s->filter[i], sizeof s->filter[i], "%s", f[i].value);
	tui_listscreen_load(&s->ls);
	return 1;
}

static int
ids_filter(struct tui *t, void *arg)
{
	struct ids		*s = arg;
	struct tui_field	 f[F_N];
	int			 i;

	memset(f, 0, sizeof f);
	f[F_SYSTEM].label = N_("System");
	f[F_SYSTEM].pick = "system";
	f[F_KIND].label = N_("Kind");
	f[F_KIND].choices = "personal|shared|privileged|contractor|service";
	f[F_STATE].label = N_("State");
	f[F_STATE].choices = "pending|active|suspended|locked|revoked";
	f[F_DEPT].label = N_("Department");
	f[F_DEPT].pick = "department";
	f[F_OWNER].label = N_("Owner or user");
	f[F_OWNER].pick = "person";
	for (i = 0; i < F_N; i++)
		snprintf(f[i].value, sizeof f[i].value, "%s", s->filter[i]);
	tui_form(t, _("Filter IDs (^U empties a field: any)"), f, F_N, filter_done, s);
	return TUI_REDRAW;
}

/* Issue a new ID: the standard's rules are core's, errors come back. */
enum { N_SYSTEM, N_LOGIN, N_KIND, N_OWNER, N_USERS, N_SPONSOR, N_END,
    N_NAME, N_N };

static int
check_login(const char *v, char *err, size_t len)
{
	if (!core_login_name_ok(v)) {
		snprintf(err, len, "%s", _("a-z 0-9 . _ -, at most 32, not "
		    "starting with -"));
		return -1;
	}
	return 0;
}

static int
check_optional_date(const char *v, char *err, size_t len)
{
	return v[0] == '\0' ? 0 : check_date(v, err, len);
}

static int
new_done(struct tui *t, struct tui_field *f, void *arg)
{
	static const char *const names[N_N] = {
		"system", "login", "kind", "owner", "users", "sponsor",
		"end_date", "name",
	};
	struct store_args	 a = { 0 };
	int			 i;

	(void)arg;
	for (i = 0; i < N_N; i++) {
		if (f[i].value[0] != '\0')
			store_args_add(&a, names[i], f[i].value);
	}
	if (tui_run_action(t, "id.create", &a, NULL) == 0 &&
	    t->outbox_failed == 0)
		tui_status(t, 0, _("%s issued on %s."), f[N_LOGIN].value,
		    f[N_SYSTEM].value);
	return 1;
}

static int
ids_new(struct tui *t, void *arg)
{
	struct ids		*s = arg;
	struct tui_field	 f[N_N];

	memset(f, 0, sizeof f);
	f[N_SYSTEM].label = N_("System");
	f[N_SYSTEM].pick = "system";
	f[N_SYSTEM].required = 1;
	snprintf(f[N_SYSTEM].value, sizeof f[N_SYSTEM].value, "%s",
	    s->filter[F_SYSTEM]);
	f[N_LOGIN].label = N_("Login name");
	f[N_LOGIN].check = check_login;
	f[N_LOGIN].required = 1;
	f[N_KIND].label = N_("Kind");
	f[N_KIND].choices = "personal|shared|privileged|contractor|service";
	snprintf(f[N_KIND].value, sizeof f[N_KIND].value, "personal");
	f[N_OWNER].label = N_("Owner (emp. no.)");
	f[N_OWNER].pick = "person";
	f[N_USERS].label = N_("Users (shared)");
	f[N_SPONSOR].label = N_("Sponsor");
	f[N_SPONSOR].pick = "person";
	f[N_END].label = N_("End date");
	f[N_END].check = check_optional_date;
	f[N_NAME].label = N_("Display name");
	tui_form(t, _("Issue an ID"), f, N_N, new_done, s);
	return TUI_REDRAW;
}

static const struct tui_binding ids_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, ids_detail },
	{ TUI_NEW, N_("Issue"), "id.create", CORE_ROLE_ADMIN, ids_new },
	{ TUI_FILTER, N_("Filter"), NULL, 0, ids_filter },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_ids = {
	.name = "ids",
	.title = N_("IDs"),
	.keys = ids_keys,
	.open = ids_open,
	.close = tui_listscreen_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
