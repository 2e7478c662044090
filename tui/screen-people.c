/*
 * screen-people.c -- looking a person up: F8 searches, Enter shows the
 * person (their record, their IDs and their history).
 *
 * Personal data is looked up, not browsed: a search needs the employee
 * number, or two of name, kana, department and birth date, and core
 * decides that
 * (core_person_search refuses fewer), so the screen lists nobody until a
 * search that core allows.  Names match by their fold keys: 髙橋 finds
 * 高橋, ﾀｶﾊｼ finds タカハシ.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

/* The search form's fields, in its order. */
enum { Q_NO, Q_NAME, Q_KANA, Q_DEPT, Q_BIRTH, Q_N };

struct people {
	struct tui_listscreen ls;		/* first: the list screen */
	struct core_person *v;
	size_t		 n;
	int		 more;			/* the search found more */
	int		 searched;
	char		 q[Q_N][128];		/* the search that found v */
	char		 typed[Q_N][128];	/* the form's, even refused */
};

static const struct tui_list_col people_cols[] = {
	{ .title = N_("Emp. no."), .width = 10, .min = 8, .prio = 6 },
	{ .title = N_("Name"), .width = 14, .min = 10, .prio = 5, .share = 1 },
	{ .title = N_("Kana"), .width = 14, .min = 10, .prio = 2, .share = 1 },
	{ .title = N_("Department"),
	    .width = 14, .min = 10, .prio = 4, .share = 1 },
	{ .title = N_("Position"), .width = 8, .min = 6, .prio = 1 },
	{ .title = N_("Status"), .width = 9, .min = 7, .prio = 3 },
};
#define PEOPLE_NCOLS	(int)(sizeof people_cols / sizeof people_cols[0])

static size_t
people_count(void *arg)
{
	return ((struct people *)arg)->n;
}

static void
people_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct core_person *p = &((struct people *)arg)->v[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", p->employee_no);
		break;
	case 1:
		snprintf(buf, len, "%s", p->name);
		break;
	case 2:
		snprintf(buf, len, "%s", p->kana);
		break;
	case 3:
		snprintf(buf, len, "%s", p->department);
		break;
	case 4:
		snprintf(buf, len, "%s", p->position);
		break;
	default:
		/* Missing from the export: a finding, flagged. */
		snprintf(buf, len, "%s%s", _(p->status), p->missing ? "?" : "");
		break;
	}
}

static void
people_search_text(void *arg, size_t row, char *buf, size_t len)
{
	const struct core_person *p = &((struct people *)arg)->v[row];

	snprintf(buf, len, "%s %s %s %s", p->employee_no, p->name,
	    p->department, p->kana);
}

static const struct tui_list_source people_source = {
	.count = people_count,
	.cell = people_cell,
	.search = people_search_text,
};

/* Run the search q; 0 with the rows, or -1 with *cause (refused). */
static int
people_run(struct people *s, char q[Q_N][128], char **cause)
{
	struct core_person_query query = { q[Q_NO], q[Q_NAME], q[Q_KANA],
	    q[Q_DEPT], q[Q_BIRTH] };

	free(s->v);
	s->v = NULL;
	s->n = 0;
	return core_person_search(s->ls.t->store, &query, &s->v, &s->n,
	    &s->more, cause);
}

static int
people_load(struct tui_listscreen *ls, char **cause)
{
	struct people	*s = (struct people *)ls;

	if (!s->searched)
		return 0;		/* nobody until a search */
	return people_run(s, s->q, cause);
}

static void
people_unload(struct tui_listscreen *ls)
{
	struct people	*s = (struct people *)ls;

	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* The search, on the line above the list; or what a search needs. */
static void
people_draw_header(struct tui_listscreen *ls, int y, int w)
{
	struct people	*s = (struct people *)ls;
	static const char *const names[Q_N] = {
		N_("no."), N_("name"), N_("kana"), N_("department"),
		N_("born"),
	};
	char		 line[768];
	size_t		 off;
	int		 i;

	if (!s->searched) {
		attrset(tui_style(TUI_DIM));
		tui_text_put(stdscr, y, 0, _("F8: search by employee number, "
		    "or two of name, kana, department, birth date"), w, 0);
		attrset(tui_style(TUI_NORMAL));
		return;
	}
	off = (size_t)snprintf(line, sizeof line, "%s", _("Search (F8):"));
	for (i = 0; i < Q_N && off < sizeof line; i++) {
		if (s->q[i][0] != '\0')
			off += (size_t)snprintf(line + off, sizeof line - off,
			    " %s=%s", _(names[i]), s->q[i]);
	}
	if (s->more && off < sizeof line)
		snprintf(line + off, sizeof line - off, _("  (the first %d: "
		    "narrow it)"), CORE_PERSON_FOUND_MAX);
	attrset(tui_style(TUI_HEADER));
	tui_text_put(stdscr, y, 0, line, w, 0);
	attrset(tui_style(TUI_NORMAL));
}

static const struct tui_listscreen_ops people_ops = {
	.size = sizeof(struct people),
	.cols = people_cols,
	.ncols = PEOPLE_NCOLS,
	.source = &people_source,
	.load = people_load,
	.unload = people_unload,
	.header = 1,
	.draw_header = people_draw_header,
	.flags = TUI_LS_UNMARK,
};

static void *
people_open(struct tui *t)
{
	return tui_listscreen_open(t, &people_ops);
}

static int
search_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct people	*s = arg;
	char		 q[Q_N][128], *cause = NULL;
	int		 i;

	for (i = 0; i < Q_N; i++)
		snprintf(q[i], sizeof q[i], "%s", f[i].value);
	memcpy(s->typed, q, sizeof s->typed);
	/* Core says whether the search may run; refused, nothing changes. */
	if (people_run(s, q, &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		tui_listscreen_load(&s->ls);
		return 1;
	}
	memcpy(s->q, q, sizeof s->q);
	s->searched = 1;
	tui_listscreen_load(&s->ls);
	tui_status(t, 0, ngettext("%zu person found.", "%zu people found.",
	    PLURAL(s->n)), s->n);
	return 1;
}

static int
people_search(struct tui *t, void *arg)
{
	struct people		*s = arg;
	struct tui_field	 f[Q_N];
	int			 i;

	memset(f, 0, sizeof f);
	f[Q_NO].label = N_("Employee no.");
	f[Q_NAME].label = N_("Name");
	f[Q_KANA].label = N_("Kana");
	f[Q_DEPT].label = N_("Department");
	f[Q_DEPT].pick = "department";
	f[Q_BIRTH].label = N_("Birth date");
	for (i = 0; i < Q_N; i++)
		snprintf(f[i].value, sizeof f[i].value, "%s", s->typed[i]);
	tui_form(t, _("Find a person: the number, or two of the others"), f,
	    Q_N, search_done, s);
	return TUI_REDRAW;
}

/* A person's detail, as lines: the record, the IDs, the history. */
struct detail {
	struct tui_line	*v;
	size_t		 n;
	struct store_entry **e;			/* entries, to sort by index */
	size_t		 ne;
};

static void
detail_event(void *arg, const struct core_hr_eventrow *e)
{
	struct detail	*d = arg;

	tui_lines_add(&d->v, &d->n, 0, "  %s  %-6s %-9s %s  (%s %llu)",
	    e->effective, _(core_hr_event_kinds[e->kind]), _(e->state),
	    e->shown, _("import entry"), (unsigned long long)e->import);
}

/* Keep an entry (a copy of its bytes) until every one is gathered. */
static void
detail_entry(void *arg, const struct store_entry *e)
{
	struct detail		*d = arg;
	struct store_entry	*copy;
	char			*cause = NULL;
	size_t			 i;

	/* An ID's entries may also be the person's (person.add with one). */
	for (i = 0; i < d->ne; i++) {
		if (d->e[i]->index == e->index)
			return;
	}
	if ((copy = store_entry_parse(e->bytes, e->len, &cause)) == NULL) {
		free(cause);
		return;
	}
	d->e = xreallocarray(d->e, d->ne + 1, sizeof *d->e);
	d->e[d->ne++] = copy;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct store_entry *x = *(struct store_entry *const *)a;
	const struct store_entry *y = *(struct store_entry *const *)b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* One entry as a line: index, time, action, who, subject, arguments. */
static void
detail_entry_line(struct detail *d, const struct store_entry *e)
{
	char	 args[256], when[WHEN_MAX], reason[256];
	size_t	 i, off = 0;

	args[0] = '\0';
	for (i = 0; i < e->args.n && off < sizeof args; i++) {
		/* An HR plan's reason, recorded in English: translated. */
		if (strcmp(e->args.v[i].name, "reason") == 0) {
			core_hr_reason_shown(e->args.v[i].value, reason,
			    sizeof reason);
			off += (size_t)snprintf(args + off, sizeof args - off,
			    "%sreason=%s", off > 0 ? " " : "", reason);
			continue;
		}
		off += (size_t)snprintf(args + off, sizeof args - off,
		    "%s%s=%s", off > 0 ? " " : "", e->args.v[i].name,
		    e->args.v[i].value);
	}
	when_local_utc(e->time, 0, when, sizeof when);
	/* What and whom first: the arguments are what a narrow line cuts. */
	tui_lines_add(&d->v, &d->n, 0, "  %llu  %s  %s  %s  %s%s%s  %s",
	    (unsigned long long)e->index, when, e->action, e->subject !=
	    NULL ? e->subject : "", e->operator, e->approver != NULL ? "+" :
	    "", e->approver != NULL ? e->approver : "", args);
}

static void
detail_record(struct detail *d, const struct core_person *p)
{
	tui_lines_add(&d->v, &d->n, TUI_LINE_HEAD, "%s", _("Record"));
	tui_lines_add(&d->v, &d->n, 0, "  %s  %s  (%s)", p->employee_no,
	    p->name, p->kana);
	tui_lines_add(&d->v, &d->n, 0, _("  %s, %s; %s %s"), _(p->status),
	    _(p->employment), p->department, p->position);
	tui_lines_add(&d->v, &d->n, 0, _("  started %s, ends %s; transfer "
	    "%s, retires %s"), p->start_date, p->end_date[0] ? p->end_date :
	    "-", p->transfer_date[0] ? p->transfer_date : "-",
	    p->retire_date[0] ? p->retire_date : "-");
	if (p->birth_date[0] != '\0')
		tui_lines_add(&d->v, &d->n, 0, _("  born %s"), p->birth_date);
	tui_lines_add(&d->v, &d->n, 0, _("  source: %s; last changed at entry "
	    "%llu"), strcmp(p->source, "hr") == 0 ? _("the HR export") :
	    _("entered by hand"), (unsigned long long)p->changed);
	if (p->missing)
		tui_lines_add(&d->v, &d->n, TUI_LINE_ALERT, "%s", _("  missing "
		    "from the latest HR export (a finding, never a leaver)"));
}

/* The IDs, each with its role for the person; their entries gathered. */
static void
detail_ids(struct tui *t, struct detail *d, const char *no, char **cause)
{
	struct core_id	*ids = NULL;
	size_t		 n = 0, i;

	tui_lines_add(&d->v, &d->n, TUI_LINE_HEAD, "%s", _("IDs"));
	if (core_person_ids(t->store, no, &ids, &n, cause) != 0)
		return;
	if (n == 0)
		tui_lines_add(&d->v, &d->n, 0, "%s", _("  none"));
	for (i = 0; i < n; i++) {
		tui_lines_add(&d->v, &d->n, 0, "  %s/%s  %s  %s  %s",
		    ids[i].system,
		    ids[i].login, _(ids[i].kind), _(ids[i].state),
		    strcmp(ids[i].owner, no) == 0 ? _("owner") :
		    _("a user of this shared ID"));
		if (*cause == NULL && core_id_history(t->store, ids[i].system,
		    ids[i].login, detail_entry, d, cause) != 0)
			break;
	}
	free(ids);
}

static int
people_detail(struct tui *t, void *arg)
{
	struct people		*s = arg;
	const struct core_person *p;
	struct detail		 d;
	size_t			 row, i;
	char			*title, *cause = NULL;

	if ((row = tui_listscreen_pick(&s->ls, _("person"))) == SIZE_MAX)
		return TUI_HANDLED;
	p = &s->v[row];
	memset(&d, 0, sizeof d);
	detail_record(&d, p);
	detail_ids(t, &d, p->employee_no, &cause);
	tui_lines_add(&d.v, &d.n, TUI_LINE_HEAD, "%s", _("HR events"));
	i = d.n;
	if (cause == NULL)
		(void)core_person_events(t->store, p->employee_no,
		    detail_event, &d, &cause);
	if (d.n == i)
		tui_lines_add(&d.v, &d.n, 0, "%s", _("  none"));
	tui_lines_add(&d.v, &d.n, TUI_LINE_HEAD, "%s", _("Ledger entries "
	    "about them and their IDs"));
	if (cause == NULL)
		(void)core_person_history(t->store, p->employee_no,
		    detail_entry, &d, &cause);
	if (d.ne > 1)
		qsort(d.e, d.ne, sizeof *d.e, entry_cmp);
	for (i = 0; i < d.ne; i++) {
		detail_entry_line(&d, d.e[i]);
		store_entry_free(d.e[i]);
	}
	free(d.e);
	if (cause != NULL) {
		tui_lines_add(&d.v, &d.n, TUI_LINE_ALERT, "%s", cause);
		free(cause);
	}
	xasprintf(&title, "%s %s", p->employee_no, p->name);
	tui_lines(t, title, NULL, d.v, d.n);
	free(title);
	return TUI_REDRAW;
}

static const struct tui_binding people_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, people_detail },
	{ TUI_FILTER, N_("Search"), NULL, 0, people_search },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_people = {
	.name = "people",
	.title = N_("People"),
	.keys = people_keys,
	.open = people_open,
	.close = tui_listscreen_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
