/*
 * screen-import.c -- importing the HR system's export from the console,
 * as daicho import personnel does on the command line (cli/cmd-hr.c).
 *
 * F5 names the file (a path, its encoding, the as-of date).  It is read
 * and checked whole (core_hr_read); any error and the validation report
 * opens, each error as FILE:LINE:COLUMN: message, and nothing is written.
 * A valid export is compared with the records (core_hr_compare): the
 * summary above, and below it every row that changes with its events
 * (new, changed, missing), to filter and scroll.  F4 records it after a
 * question; when its leavers own more IDs than the threshold allows, a
 * second person with the approver role authenticates on this terminal
 * first.  Whenever the ledger moves before that, the export is compared
 * again, so what F4 records is what the screen shows.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "tui-int.h"

/* One row of the diff: a change, once per event (or once without). */
struct change {
	char		 no[20];
	char		*name;
	const char	*what;			/* new, changed, missing */
	int		 kind;			/* core_hr_event_kinds, or -1 */
	char		 effective[11];
	char		*detail;			/* translated */
};

struct import {
	struct tui_listscreen ls;		/* first: the list screen */
	int		 state;			/* IMP_* */
	struct core_hr	*hr;			/* when read (IMP_BAD on) */
	char		 path[128];
	char		 enc[128];		/* as the form's fields hold */
	char		 as_of[128];		/* "" for today */
	size_t		 valid, errors;
	struct change	*v;
	size_t		 n, cap;
	uint64_t	 compared;		/* ledger size at the compare */
	struct core_hr_summary asked;		/* what F4's question said */
	uint64_t	 entry;			/* IMP_DONE: its hr.import */
};
#define IMP_NONE	0		/* nothing read yet */
#define IMP_BAD		1		/* read, with errors */
#define IMP_READY	2		/* valid and compared: F4 records it */
#define IMP_SAME	3		/* imported before, nothing to change */
#define IMP_DONE	4		/* recorded */

static const struct tui_list_col import_cols[] = {
	{ .title = N_("Change"), .width = 8, .min = 7, .prio = 6 },
	{ .title = N_("Emp. no."), .width = 10, .min = 8, .prio = 6 },
	{ .title = N_("Name"), .width = 14, .min = 10, .prio = 5, .share = 1 },
	{ .title = N_("Event"), .width = 7, .min = 6, .prio = 4 },
	{ .title = N_("Effective"), .width = 10, .min = 10, .prio = 3 },
	{ .title = N_("Detail"), .min = 12, .prio = 2, .share = 2 },
};
#define IMPORT_NCOLS	(int)(sizeof import_cols / sizeof import_cols[0])

static size_t
import_count(void *arg)
{
	return ((struct import *)arg)->n;
}

static void
import_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct change	*c = &((struct import *)arg)->v[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", _(c->what));
		break;
	case 1:
		snprintf(buf, len, "%s", c->no);
		break;
	case 2:
		snprintf(buf, len, "%s", c->name);
		break;
	case 3:
		snprintf(buf, len, "%s", c->kind < 0 ? "" :
		    _(core_hr_event_kinds[c->kind]));
		break;
	case 4:
		snprintf(buf, len, "%s", c->effective);
		break;
	default:
		snprintf(buf, len, "%s", c->detail);
		break;
	}
}

static void
import_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct change	*c = &((struct import *)arg)->v[row];

	snprintf(buf, len, "%s %s %s %s %s", c->what, c->no, c->kind < 0 ?
	    "" : core_hr_event_kinds[c->kind], c->name, c->detail);
}

static const struct tui_list_source import_source = {
	.count = import_count,
	.cell = import_cell,
	.search = import_search,
};

static void
import_changes_free(struct import *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].detail);
	}
	s->n = 0;
}

static void
import_change_add(struct import *s, const struct core_hr_change *ch,
    const struct core_hr_event *ev)
{
	struct change	*c;
	char		 shown[480];

	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	c = &s->v[s->n++];
	memset(c, 0, sizeof *c);
	snprintf(c->no, sizeof c->no, "%s", ch->employee_no);
	c->name = xstrdup(ch->name);
	c->what = strcmp(ch->what, "new") == 0 ? N_("new") :
	    strcmp(ch->what, "changed") == 0 ? N_("changed") : N_("missing");
	c->kind = ev != NULL ? ev->kind : -1;
	if (ev != NULL)
		snprintf(c->effective, sizeof c->effective, "%s",
		    ev->effective);
	core_hr_detail_shown(ev != NULL ? ev->detail : "", shown,
	    sizeof shown);
	c->detail = xstrdup(shown);
}

/* core_hr_compare's callback: a row per event, or one for the change. */
static void
import_change(void *arg, const struct core_hr_change *ch)
{
	size_t	 i;

	if (ch->nev == 0)
		import_change_add(arg, ch, NULL);
	for (i = 0; i < ch->nev; i++)
		import_change_add(arg, ch, &ch->ev[i]);
}

/* Compare the valid export with the records as they are now. */
static int
import_compare(struct import *s, char **cause)
{
	const struct core_hr_summary *sum;
	struct store	*st = s->ls.t->store;

	import_changes_free(s);
	if (store_ledger_size(st, &s->compared, cause) != 0 ||
	    core_hr_compare(st, s->hr, import_change, s, cause) != 0) {
		/* A half-made compare must never be recorded. */
		import_changes_free(s);
		core_hr_free(s->hr);
		s->hr = NULL;
		s->state = IMP_NONE;
		return -1;
	}
	sum = core_hr_summary(s->hr);
	s->state = sum->same_file != 0 && sum->added + sum->updated +
	    sum->missing == 0 ? IMP_SAME : IMP_READY;
	return 0;
}

/* The list's rows: compared again when the ledger moved since. */
static int
import_load(struct tui_listscreen *ls, char **cause)
{
	struct import	*s = (struct import *)ls;

	if ((s->state != IMP_READY && s->state != IMP_SAME) ||
	    ls->seen == s->compared)
		return 0;
	return import_compare(s, cause);
}

/* The summary above the list: four lines, as the command line says it. */
static void
import_draw_header(struct tui_listscreen *ls, int y, int w)
{
	struct import			*s = (struct import *)ls;
	const struct core_hr_summary	*sum;
	const struct core_config	*cfg = ls->t->config;
	char				 line[4][512];
	int				 i, bad = 0;

	memset(line, 0, sizeof line);
	/* The path last: a long one is what gets cut. */
	if (s->state == IMP_NONE)
		snprintf(line[0], sizeof line[0], "%s", _("F5: read an HR "
		    "export (a CSV file); nothing is written until F4."));
	else if (s->state == IMP_BAD) {
		snprintf(line[0], sizeof line[0], _("%zu rows valid, %zu "
		    "errors: nothing was written.  %s"), s->valid, s->errors,
		    s->path);
		snprintf(line[1], sizeof line[1], "%s", _("F3 shows the "
		    "errors (FILE:LINE:COLUMN); fix the file, then F5."));
		bad = 1;
	} else {
		sum = core_hr_summary(s->hr);
		snprintf(line[0], sizeof line[0], _("Read as %s%s, as of %s, "
		    "from %s"), core_hr_encoding(s->hr),
		    strcmp(s->enc, "auto") == 0 ? _(" (detected)") : "",
		    s->as_of[0] ? s->as_of : _("today"), s->path);
		snprintf(line[1], sizeof line[1], _("%zu new, %zu changed, %zu "
		    "unchanged, %zu missing from the export"), sum->added,
		    sum->updated, sum->unchanged, sum->missing);
		if (sum->baseline)
			snprintf(line[2], sizeof line[2], "%s", _("The first "
			    "import: it makes the records, and no events."));
		else
			snprintf(line[2], sizeof line[2], _("events: %zu "
			    "joiners, %zu movers, %zu leavers, %zu leaves, %zu "
			    "returns"), sum->events[0], sum->events[1],
			    sum->events[2], sum->events[3], sum->events[4]);
		if (s->state == IMP_DONE)
			snprintf(line[3], sizeof line[3], _("Recorded: "
			    "hr.import entry %llu (the Events screen lists its "
			    "events)."), (unsigned long long)s->entry);
		else if (s->state == IMP_SAME)
			snprintf(line[3], sizeof line[3], _("Nothing to "
			    "change: this file was imported as entry %llu."),
			    (unsigned long long)sum->same_file);
		else
			snprintf(line[3], sizeof line[3], _("Leavers' IDs: "
			    "%lld of %lld live (threshold %d or %d%%)%s"),
			    (long long)sum->locks, (long long)sum->live,
			    cfg->hr_threshold_count, cfg->hr_threshold_percent,
			    sum->approval ? _(": F4 with a second person.") :
			    _(".  F4 records it."));
		bad = s->state == IMP_READY && sum->approval;
	}
	for (i = 0; i < 4; i++) {
		attrset(tui_style(i == 0 ? TUI_HEADER : bad && (i == 3 ||
		    s->state == IMP_BAD) ? TUI_ERROR : TUI_NORMAL));
		tui_text_put(stdscr, y + i, 0, line[i], w, 0);
	}
	attrset(tui_style(TUI_NORMAL));
}

static const struct tui_listscreen_ops import_ops = {
	.size = sizeof(struct import),
	.cols = import_cols,
	.ncols = IMPORT_NCOLS,
	.source = &import_source,
	.load = import_load,
	.header = 4,
	.draw_header = import_draw_header,
	.flags = TUI_LS_UNMARK,
};

static void *
import_open(struct tui *t)
{
	return tui_listscreen_open(t, &import_ops);
}

static void
import_close(struct tui *t, void *arg)
{
	struct import	*s = arg;

	import_changes_free(s);
	free(s->v);
	core_hr_free(s->hr);
	tui_listscreen_close(t, arg);
}

/* The validation report: every error, then the counts. */
struct report {
	struct tui_line	*v;
	size_t		 n;
};

/*
 * An error, wrapped at the narrowest dialog's width (80 columns) so that
 * the whole message shows; the lines after the first are indented.
 */
#define REPORT_W	72

static void
report_line(void *arg, const char *text)
{
	struct report	*r = arg;
	size_t		 len = strlen(text), fit;
	int		 first = 1;

	do {
		fit = tui_text_fit(text, len, first ? REPORT_W : REPORT_W - 4);
		tui_lines_add(&r->v, &r->n, TUI_LINE_ALERT, "%s%.*s",
		    first ? "" : "    ", (int)fit, text);
		text += fit;
		len -= fit;
		first = 0;
	} while (len > 0);
}

static void
import_report(struct tui *t, struct import *s)
{
	struct report	 r = { NULL, 0 };

	tui_lines_add(&r.v, &r.n, TUI_LINE_HEAD, "%s", s->path);
	core_hr_errors(s->hr, report_line, &r);
	tui_lines_add(&r.v, &r.n, TUI_LINE_HEAD, _("%zu rows valid, %zu "
	    "errors"), s->valid, s->errors);
	if (s->errors > 0)
		tui_lines_add(&r.v, &r.n, 0, "%s", _("nothing was written"));
	tui_lines(t, _("Validation report"), NULL, r.v, r.n);
}

/* Forget what was read. */
static void
import_reset(struct import *s)
{
	import_changes_free(s);
	core_hr_free(s->hr);
	s->hr = NULL;
	s->state = IMP_NONE;
	s->valid = s->errors = 0;
}

static void
import_progress(void *arg, uint64_t done, uint64_t all)
{
	tui_progress(arg, _("Reading and checking the export…"), done, all);
}

/* Read, check and (when valid) compare the file the form names. */
static void
import_read(struct tui *t, struct import *s)
{
	enum csv_encoding	 enc = CSV_AUTO;
	const char		*name;
	char			*cause = NULL;
	int			 fd;

	import_reset(s);
	(void)csv_encoding_parse(s->enc, &enc);
	if ((fd = open(s->path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) == -1) {
		tui_status(t, 1, "%s: %s", s->path, strerror(errno));
		return;
	}
	/* An export of a whole city takes seconds: a bar meanwhile. */
	tui_progress(t, _("Reading and checking the export…"), 0, 1);
	/* Errors name the file as FILE:LINE:COLUMN: its name is enough
	 * there (the report's heading has the path), and keeps them short. */
	name = strrchr(s->path, '/') != NULL && strrchr(s->path, '/')[1] !=
	    '\0' ? strrchr(s->path, '/') + 1 : s->path;
	s->hr = core_hr_read_progress(fd, name, enc, s->as_of[0] ? s->as_of :
	    NULL, t->config, import_progress, t, &cause);
	close(fd);
	if (s->hr == NULL) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return;
	}
	core_hr_counts(s->hr, &s->valid, &s->errors);
	if (s->errors > 0) {
		s->state = IMP_BAD;
		import_report(t, s);
		return;
	}
	tui_progress(t, _("Comparing with the records…"), 0, 1);
	if (import_compare(s, &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
	}
}

static int
check_as_of(const char *v, char *err, size_t len)
{
	if (v[0] != '\0' && !core_date_ok(v)) {
		snprintf(err, len, "%s", _("A real day, YYYY-MM-DD, or empty "
		    "for today."));
		return -1;
	}
	return 0;
}

static int
file_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct import	*s = arg;

	snprintf(s->path, sizeof s->path, "%s", f[0].value);
	snprintf(s->enc, sizeof s->enc, "%s", f[1].value);
	snprintf(s->as_of, sizeof s->as_of, "%s", f[2].value);
	import_read(t, s);
	tui_listscreen_load(&s->ls);
	return 1;
}

static int
import_file(struct tui *t, void *arg)
{
	struct import		*s = arg;
	struct tui_field	 f[3];

	memset(f, 0, sizeof f);
	f[0].label = N_("File");
	f[0].pick = "file";
	f[0].required = 1;
	snprintf(f[0].value, sizeof f[0].value, "%s", s->path);
	f[1].label = N_("Encoding");
	f[1].choices = "auto|cp932|utf-8";
	snprintf(f[1].value, sizeof f[1].value, "%s", s->enc[0] ? s->enc :
	    "auto");
	f[2].label = N_("As of");
	f[2].check = check_as_of;
	snprintf(f[2].value, sizeof f[2].value, "%s", s->as_of);
	tui_form(t, _("Read an HR export (a path; As of empty: today)"), f, 3,
	    file_done, s);
	return TUI_REDRAW;
}

static int
import_check(struct tui *t, void *arg)
{
	struct import	*s = arg;

	if (s->hr == NULL) {
		tui_status(t, 1, "%s", _("No export is read: F5 reads one."));
		return TUI_HANDLED;
	}
	import_report(t, s);
	return TUI_REDRAW;
}

/* Whether two compares of the export found the same changes. */
static int
summary_same(const struct core_hr_summary *a, const struct core_hr_summary *b)
{
	size_t	 i;

	for (i = 0; i < CORE_HR_NKINDS; i++) {
		if (a->events[i] != b->events[i])
			return 0;
	}
	return a->added == b->added && a->updated == b->updated &&
	    a->unchanged == b->unchanged && a->missing == b->missing &&
	    a->locks == b->locks && a->approval == b->approval &&
	    a->same_file == b->same_file && a->baseline == b->baseline;
}

/* Record the compared export, with the approver when one confirmed. */
static int
import_record(struct tui *t, void *arg, const char *approver)
{
	struct import		*s = arg;
	struct core_actor	 who = { t->op, approver };
	char			*cause = NULL;
	uint64_t		 idx;

	/* Compared again since the question (the ledger moved): only what
	 * the operator (and the approver) saw is recorded. */
	if (s->state != IMP_READY ||
	    !summary_same(&s->asked, core_hr_summary(s->hr))) {
		tui_status(t, 1, "%s", _("The records changed while you were "
		    "asked: nothing was written.  Look at the changes again, "
		    "then F4."));
		return 0;
	}
	if (core_hr_import(t->store, s->hr, &who, &idx, &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return 0;
	}
	t->last_index = idx;
	s->entry = idx;
	s->state = IMP_DONE;
	if (approver != NULL)
		tui_status(t, 0, _("Recorded as entry %llu, approved by %s."),
		    (unsigned long long)idx, approver);
	else
		tui_status(t, 0, _("Recorded as entry %llu."),
		    (unsigned long long)idx);
	return 0;
}

static int
apply_yes(struct tui *t, void *arg)
{
	struct import			*s = arg;
	const struct core_hr_summary	*sum = core_hr_summary(s->hr);
	char				*what;

	if (!sum->approval)
		return import_record(t, s, NULL);
	xasprintf(&what, _("%s (hr.import)\n    file: %s\n    as of: %s\n"
	    "    %zu new, %zu changed, %zu missing\n    the leavers own %lld "
	    "of %lld live IDs: over the threshold"), _("Import the HR "
	    "system's export: records and events"), s->path, s->as_of[0] ?
	    s->as_of : _("today"), sum->added, sum->updated, sum->missing,
	    (long long)sum->locks, (long long)sum->live);
	tui_approve_then(t, "hr.import", what, import_record, NULL, s);
	free(what);
	return 0;
}

static int
import_apply(struct tui *t, void *arg)
{
	struct import			*s = arg;
	const struct core_hr_summary	*sum;
	char				*text;

	if (s->state != IMP_READY) {
		tui_status(t, 1, "%s", s->state == IMP_SAME ? _("Nothing to "
		    "change: this file was imported before.") :
		    s->state == IMP_DONE ? _("This export is recorded "
		    "already.") : _("No valid export is read: F5 reads one."));
		return TUI_HANDLED;
	}
	sum = core_hr_summary(s->hr);
	s->asked = *sum;
	xasprintf(&text, _("Record the import of %s?\n%zu new, %zu changed, "
	    "%zu missing from the export; %zu events.%s"), s->path,
	    sum->added, sum->updated, sum->missing, sum->events[0] +
	    sum->events[1] + sum->events[2] + sum->events[3] + sum->events[4],
	    sum->approval ? _("\nIts leavers own more IDs than the threshold "
	    "allows: a second person confirms next.") : "");
	tui_confirm(t, _("Import personnel"), text, apply_yes, s);
	free(text);
	return TUI_REDRAW;
}

static const struct tui_binding import_keys[] = {
	{ TUI_NEW, N_("Read a file"), NULL, CORE_ROLE_ADMIN, import_file },
	{ TUI_CHECK, N_("Report"), NULL, CORE_ROLE_ADMIN, import_check },
	{ TUI_ACT, N_("Record"), "hr.import", CORE_ROLE_ADMIN, import_apply },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_import = {
	.name = "import",
	.title = N_("Import"),
	.roles = CORE_ROLE_ADMIN,
	.keys = import_keys,
	.open = import_open,
	.close = import_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
