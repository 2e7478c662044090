/*
 * dialog.c -- overlays on the dialog stack: a message, a yes/no question,
 * a small form, and the two-person approval.
 *
 * Each dialog is a struct tui_dialog with its own draw and key functions;
 * the loop draws the stack bottom-up and gives keys to the top one, which
 * returns TUI_CLOSE to be popped (ncdu's quit.c does the same).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common.h"
#include "tui-int.h"

static int
key_is(const struct tui_key *k, wint_t ch)
{
	return !k->fn && k->ch == ch;
}

static int
key_enter(const struct tui_key *k)
{
	return (k->fn && k->ch == KEY_ENTER) || key_is(k, '\r') ||
	    key_is(k, '\n');
}

static struct tui_dialog *
dialog_new(const char *title)
{
	struct tui_dialog	*d;

	d = xcalloc(1, sizeof *d);
	d->title = title;
	return d;
}

/*
 * Text wrapped to w columns at spaces (or between characters, for text
 * without spaces: Japanese), each '\n' a new line.  Draws lines skip ..
 * skip + max - 1 of it from (y, x), nothing when max is 0; returns how
 * many lines the whole text takes.
 */
static int
draw_lines(const char *text, int y, int x, int w, int skip, int max)
{
	const char	*p, *nl;
	char		 line[1024];
	size_t		 len, fit;
	int		 n = 0;

	for (p = text; p != NULL && *p != '\0';
	    p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		do {
			fit = tui_text_fit(p, len, w);
			if (n >= skip && n < skip + max) {
				snprintf(line, sizeof line, "%.*s", (int)fit,
				    p);
				tui_text_put(stdscr, y + n - skip, x, line, w,
				    0);
			}
			n++;
			p += fit;
			len -= fit;
			/* The space a line broke at does not start the next. */
			if (len > 0 && *p == ' ') {
				p++;
				len--;
			}
		} while (len > 0);
	}
	return n;
}

/*
 * A text that scrolls inside its dialog: wrapped to the dialog's width,
 * and when it has more lines than the terminal gives, Up/Down, PgUp/PgDn
 * and Home/End move it (never cut: a person reads the whole of it).
 */
struct textview {
	int	 top;			/* the first line shown */
	int	 total;			/* lines in all, at the last draw */
	int	 page;			/* lines shown, at the last draw */
};

/* The lines text takes in w columns, at most max of them shown. */
static int
textview_height(struct textview *tv, const char *text, int w, int max)
{
	tv->total = draw_lines(text, 0, 0, w, 0, 0);
	tv->page = tv->total < max ? tv->total : max;
	if (tv->page < 1)
		tv->page = 1;
	if (tv->top > tv->total - tv->page)
		tv->top = tv->total - tv->page;
	if (tv->top < 0)
		tv->top = 0;
	return tv->page;
}

/*
 * Draw the lines in view at (y, x), after textview_height; the hint line
 * at hy gets hint and, when the text scrolls, where in it the view is.
 */
static void
textview_draw(const struct textview *tv, const char *text, int y, int x,
    int w, int hy, const char *hint)
{
	char	*line;

	draw_lines(text, y, x, w, tv->top, tv->page);
	attrset(tui_style(TUI_DIM));
	if (tv->total > tv->page) {
		xasprintf(&line, _("%s  Up/Down: lines %d-%d of %d"),
		    hint, tv->top + 1, tv->top + tv->page, tv->total);
		tui_text_put(stdscr, hy, x, line, w, 0);
		free(line);
	} else
		tui_text_put(stdscr, hy, x, hint, w, 0);
	attrset(tui_style(TUI_NORMAL));
}

/* Scrolling keys: TUI_HANDLED | TUI_REDRAW, or TUI_IGNORED. */
static int
textview_key(struct textview *tv, const struct tui_key *k)
{
	int	 top = tv->top, page = tv->page > 1 ? tv->page - 1 : 1;

	if (!k->fn)
		return TUI_IGNORED;
	switch (k->ch) {
	case KEY_UP:
		top--;
		break;
	case KEY_DOWN:
		top++;
		break;
	case KEY_PPAGE:
		top -= page;
		break;
	case KEY_NPAGE:
		top += page;
		break;
	case KEY_HOME:
		top = 0;
		break;
	case KEY_END:
		top = tv->total;
		break;
	default:
		return TUI_IGNORED;
	}
	if (top > tv->total - tv->page)
		top = tv->total - tv->page;
	tv->top = top < 0 ? 0 : top;
	return TUI_HANDLED | TUI_REDRAW;
}

/* A message: Enter or Esc closes it. */
struct message {
	char		*title;
	char		*text;
	char		*picture;		/* shown whole, or NULL */
	struct textview	 tv;
};

/* The lines of a picture and the widest of them, in columns. */
static void
picture_size(const char *pic, int *h, int *w)
{
	const char	*p, *nl;
	char		 line[1024];
	int		 lw;

	*h = *w = 0;
	for (p = pic; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof line, "%.*s", nl != NULL ?
		    (int)(nl - p) : (int)strlen(p), p);
		if ((lw = tui_text_width(line)) > *w)
			*w = lw;
		(*h)++;
	}
}

/*
 * A message with a picture: the text, then the picture, centred and
 * never cut, wrapped or scrolled (a QR code with a row missing does not
 * scan).  When the terminal is too small for it, the picture is left out
 * and the text says how large the terminal must be; the picture shows as
 * soon as the terminal is made larger.
 */
static void
picture_draw(struct message *m)
{
	const char	*p, *nl;
	char		*notice, line[1024];
	int		 ph, pw, th, w, h, y, x, i;

	picture_size(m->picture, &ph, &pw);
	w = pw + 4 > 76 ? pw + 4 : 76;
	th = draw_lines(m->text, 0, 0, w - 4, 0, 0);
	h = th + 1 + ph + 4;
	if (h > LINES || w > COLS) {
		xasprintf(&notice, _("%s\nThis terminal is too small to show "
		    "the code: it needs %d columns by %d lines, and has %d by "
		    "%d.  Make the window larger (or its font smaller)."),
		    m->text, w, h, COLS, LINES);
		h = textview_height(&m->tv, notice, 72, LINES - 6) + 4;
		tui_frame(h, 76, m->title, &y, &x);
		textview_draw(&m->tv, notice, y + 1, x + 2, 72, y + h - 2,
		    _("Enter: close"));
		free(notice);
		return;
	}
	tui_frame(h, w, m->title, &y, &x);
	draw_lines(m->text, y + 1, x + 2, w - 4, 0, th);
	for (p = m->picture, i = 0; p != NULL && *p != '\0';
	    p = nl != NULL ? nl + 1 : NULL, i++) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof line, "%.*s", nl != NULL ?
		    (int)(nl - p) : (int)strlen(p), p);
		tui_text_put(stdscr, y + 2 + th + i, x + (w - pw) / 2, line,
		    pw, 0);
	}
	attrset(tui_style(TUI_DIM));
	tui_text_put(stdscr, y + h - 2, x + 2, _("Enter: close"), w - 4, 0);
	attrset(tui_style(TUI_NORMAL));
}

static void
message_draw(struct tui *t, struct tui_dialog *d)
{
	struct message	*m = d->data;
	int		 y, x, h;

	(void)t;
	if (m->picture != NULL) {
		picture_draw(m);
		return;
	}
	h = textview_height(&m->tv, m->text, 72, LINES - 6) + 4;
	tui_frame(h, 76, m->title, &y, &x);
	textview_draw(&m->tv, m->text, y + 1, x + 2, 72, y + h - 2,
	    _("Enter: close"));
}

static int
message_key(struct tui *t, struct tui_dialog *d, const struct tui_key *k)
{
	struct message	*m = d->data;

	(void)t;
	if (key_enter(k) || key_is(k, TUI_ESC))
		return TUI_CLOSE | TUI_HANDLED;
	return textview_key(&m->tv, k) | TUI_HANDLED;
}

static void
message_free(struct tui_dialog *d)
{
	struct message	*m = d->data;

	free(m->title);
	/* It may have shown a temporary password. */
	sodium_memzero(m->text, strlen(m->text));
	free(m->text);
	free(m->picture);
	free(m);
}

void
tui_message(struct tui *t, const char *title, const char *text)
{
	tui_message_picture(t, title, text, NULL);
}

void
tui_message_picture(struct tui *t, const char *title, const char *text,
    const char *picture)
{
	struct tui_dialog	*d = dialog_new(NULL);
	struct message		*m = xcalloc(1, sizeof *m);

	m->title = xstrdup(title);
	m->text = xstrdup(text);
	m->picture = picture != NULL ? xstrdup(picture) : NULL;
	d->data = m;
	d->draw = message_draw;
	d->key = message_key;
	d->free = message_free;
	tui_dialog_push(t, d);
}

/* A question: y or Enter runs fn, n or Esc does not. */
struct confirm {
	struct message	 m;
	int		(*fn)(struct tui *, void *);
	void		*arg;
};

static void
confirm_draw(struct tui *t, struct tui_dialog *d)
{
	struct confirm	*c = d->data;
	int		 y, x, h;

	(void)t;
	h = textview_height(&c->m.tv, c->m.text, 60, LINES - 6) + 4;
	tui_frame(h, 64, c->m.title, &y, &x);
	textview_draw(&c->m.tv, c->m.text, y + 1, x + 2, 60, y + h - 2,
	    _("y / Enter: yes    n / Esc: no"));
}

static int
confirm_key(struct tui *t, struct tui_dialog *d, const struct tui_key *k)
{
	struct confirm	*c = d->data;
	int		(*fn)(struct tui *, void *) = c->fn;
	void		*arg = c->arg;

	if (key_enter(k) || key_is(k, 'y') || key_is(k, 'Y')) {
		/* Close first: fn may open a dialog of its own. */
		tui_dialog_pop(t);
		fn(t, arg);
		return TUI_HANDLED;
	}
	if (key_is(k, 'n') || key_is(k, 'N') || key_is(k, TUI_ESC))
		return TUI_CLOSE | TUI_HANDLED;
	return textview_key(&c->m.tv, k) | TUI_HANDLED;
}

static void
confirm_free(struct tui_dialog *d)
{
	struct confirm	*c = d->data;

	free(c->m.title);
	free(c->m.text);
	free(c);
}

void
tui_confirm(struct tui *t, const char *title, const char *text,
    int (*fn)(struct tui *, void *), void *arg)
{
	struct tui_dialog	*d = dialog_new(NULL);
	struct confirm		*c = xcalloc(1, sizeof *c);

	c->m.title = xstrdup(title);
	c->m.text = xstrdup(text);
	c->fn = fn;
	c->arg = arg;
	d->data = c;
	d->draw = confirm_draw;
	d->key = confirm_key;
	d->free = confirm_free;
	tui_dialog_push(t, d);
}

/*
 * A form: Tab / Down / Up move between fields; fields with choices cycle
 * with Left / Right; a field with a picker opens it on F4; Enter checks
 * every field (a required one empty says so) and calls done.  Errors
 * show under the field they belong to.
 */
struct form {
	char		*title;
	struct tui_field *fields;
	int		 n;
	int		 cur;
	char		 error[256];
	int		 error_field;
	int		(*done)(struct tui *, struct tui_field *, void *);
	void		*arg;
};

#define FORM_W		66		/* the frame */
#define FORM_VALUE_X	21		/* values, from the frame's left */
#define FORM_NOTE_W	(FORM_W - FORM_VALUE_X - 2)

/* The picker source of field i, or NULL: its own, or the one named. */
static const char *
form_pick_source(struct form *f, int i)
{
	const struct tui_field	*fl = &f->fields[i];
	const char		*v;

	if (fl->pick != NULL)
		return fl->pick;
	if (fl->pick_by < 1 || fl->pick_by > f->n)
		return NULL;
	v = f->fields[fl->pick_by - 1].value;
	if (strcmp(v, "system") == 0 || strcmp(v, "department") == 0 ||
	    strcmp(v, "person") == 0)
		return v;
	return NULL;
}

/* A required field left empty: what to do, into f->error. */
static int
form_required(struct form *f, int i)
{
	const char	*src = form_pick_source(f, i);

	if (!f->fields[i].required || f->fields[i].value[0] != '\0')
		return 0;
	if (f->fields[i].pick_by != 0 && src == NULL)
		return 0;		/* the scope names no list */
	if (src == NULL)
		snprintf(f->error, sizeof f->error, "%s", _("required: "
		    "fill this in"));
	else if (strcmp(src, "system") == 0)
		snprintf(f->error, sizeof f->error, "%s", _("required: "
		    "choose a system (F4 lists them)"));
	else if (strcmp(src, "department") == 0)
		snprintf(f->error, sizeof f->error, "%s", _("required: "
		    "choose a department (F4 lists them)"));
	else if (strcmp(src, "file") == 0)
		snprintf(f->error, sizeof f->error, "%s", _("required: "
		    "a path (F4 lists a directory's files)"));
	else
		snprintf(f->error, sizeof f->error, "%s", _("required: "
		    "choose a person (F4 lists them)"));
	return -1;
}

/* The field's hint, on the field being edited: its choices or its picker. */
static void
form_hint(struct form *f, int i, char *buf, size_t len)
{
	const char	*choices = f->fields[i].choices, *p;
	char		*q;

	buf[0] = '\0';
	if (choices != NULL) {
		/* "a | b | c": a long list wraps between choices. */
		for (p = choices, q = buf; *p != '\0' &&
		    q < buf + len - 4; p++) {
			if (*p != '|')
				*q++ = *p;
			else {
				memcpy(q, " | ", 3);
				q += 3;
			}
		}
		*q = '\0';
	} else if (form_pick_source(f, i) != NULL)
		snprintf(buf, len, "%s", _("F4: choose from a list "
		    "(type to filter it)"));
}

/*
 * What shows under field i, wrapped, never cut: its error, then, on the
 * field being edited, the choices Left and Right cycle through.  Draws
 * them from (y, x) unless y < 0; returns the lines they take, at least
 * one (the space between fields).
 */
static int
form_notes(struct form *f, int i, int y, int x)
{
	char		 list[512];
	int		 n = 0, draw = y >= 0;

	if (f->error[0] != '\0' && f->error_field == i) {
		attrset(tui_style(TUI_ERROR));
		n += draw_lines(f->error, y, x, FORM_NOTE_W, 0, draw ? 99 : 0);
	}
	if (i == f->cur)
		form_hint(f, i, list, sizeof list);
	if (i == f->cur && list[0] != '\0') {
		attrset(tui_style(TUI_DIM));
		n += draw_lines(list, y + n, x, FORM_NOTE_W, 0, draw ? 99 : 0);
	}
	attrset(tui_style(TUI_NORMAL));
	return n > 0 ? n : 1;
}

static void
form_draw(struct tui *t, struct tui_dialog *d)
{
	struct form	*f = d->data;
	const char	*keys = _("Tab: next field   Enter: done   Esc: cancel");
	int		 y, x, i, row, h = 4, nkeys;

	(void)t;
	/* The keys line wraps, so no translation is cut. */
	nkeys = draw_lines(keys, 0, 0, FORM_W - 4, 0, 0);
	h += nkeys;
	for (i = 0; i < f->n; i++)
		h += 1 + form_notes(f, i, -1, 0);
	tui_frame(h, FORM_W, f->title, &y, &x);
	for (i = 0, row = y + 2; i < f->n; i++) {
		tui_text_put(stdscr, row, x + 2, _(f->fields[i].label),
		    FORM_VALUE_X - 3, 0);
		attrset(tui_style(i == f->cur ? TUI_CURSOR : TUI_HEADER));
		tui_text_put(stdscr, row, x + FORM_VALUE_X,
		    f->fields[i].value, FORM_NOTE_W - 3, 0);
		attrset(tui_style(TUI_NORMAL));
		row += 1 + form_notes(f, i, row + 1, x + FORM_VALUE_X);
	}
	attrset(tui_style(TUI_DIM));
	draw_lines(keys, y + h - 1 - nkeys, x + 2, FORM_W - 4, 0, nkeys);
	attrset(tui_style(TUI_NORMAL));
}

/* Cycle a field through its '|'-separated choices. */
static void
form_cycle(struct tui_field *fl, int dir)
{
	char	 list[256], *words[16], *w, *save;
	int	 n = 0, i, at = -1;

	snprintf(list, sizeof list, "%s", fl->choices);
	for (w = strtok_r(list, "|", &save); w != NULL && n < 16;
	    w = strtok_r(NULL, "|", &save))
		words[n++] = w;
	for (i = 0; i < n; i++) {
		if (strcmp(words[i], fl->value) == 0)
			at = i;
	}
	at = at < 0 ? 0 : (at + dir + n) % n;
	snprintf(fl->value, sizeof fl->value, "%s", words[at]);
}

static int
form_key(struct tui *t, struct tui_dialog *d, const struct tui_key *k)
{
	struct form		*f = d->data;
	struct tui_field	*fl = &f->fields[f->cur];
	size_t			 len = strlen(fl->value);
	int			 i;

	if (key_is(k, TUI_ESC))
		return TUI_CLOSE | TUI_HANDLED;
	if (key_is(k, '\t') || (k->fn && k->ch == KEY_DOWN)) {
		f->cur = (f->cur + 1) % f->n;
		return TUI_HANDLED;
	}
	if ((k->fn && k->ch == KEY_BTAB) || (k->fn && k->ch == KEY_UP)) {
		f->cur = (f->cur + f->n - 1) % f->n;
		return TUI_HANDLED;
	}
	if (fl->choices != NULL && k->fn && (k->ch == KEY_LEFT ||
	    k->ch == KEY_RIGHT)) {
		form_cycle(fl, k->ch == KEY_LEFT ? -1 : 1);
		return TUI_HANDLED;
	}
	if (k->fn && k->ch == KEY_F(4) && form_pick_source(f, f->cur) !=
	    NULL) {
		f->error[0] = '\0';
		(void)tui_pick(t, form_pick_source(f, f->cur), fl);
		return TUI_HANDLED;
	}
	if (key_enter(k)) {
		f->error[0] = '\0';
		for (i = 0; i < f->n; i++) {
			if (form_required(f, i) != 0) {
				f->error_field = f->cur = i;
				return TUI_HANDLED;
			}
			if (f->fields[i].check != NULL &&
			    f->fields[i].check(f->fields[i].value, f->error,
			    sizeof f->error) != 0) {
				f->error_field = f->cur = i;
				return TUI_HANDLED;
			}
		}
		{
			/*
			 * Close the form first and hand done a copy: done may
			 * open a dialog of its own (the approval).
			 */
			int (*done)(struct tui *, struct tui_field *, void *) =
			    f->done;
			void *arg = f->arg;
			struct tui_field *copy = xcalloc((size_t)f->n,
			    sizeof *copy);

			memcpy(copy, f->fields, (size_t)f->n * sizeof *copy);
			tui_dialog_pop(t);
			done(t, copy, arg);
			free(copy);
			return TUI_HANDLED;
		}
	}
	if ((k->fn && k->ch == KEY_BACKSPACE) || key_is(k, 127) ||
	    key_is(k, 8)) {
		tui_edit_backspace(fl->value, &len);
		return TUI_HANDLED;
	}
	if (key_is(k, 21)) {
		fl->value[0] = '\0';
		return TUI_HANDLED;
	}
	/* Modal: whatever is not text goes nowhere. */
	tui_edit_type(fl->value, &len, sizeof fl->value, k);
	return TUI_HANDLED;
}

static void
form_free(struct tui_dialog *d)
{
	struct form	*f = d->data;

	free(f->title);
	free(f->fields);
	free(f);
}

void
tui_form(struct tui *t, const char *title, struct tui_field *fields, int n,
    int (*done)(struct tui *, struct tui_field *, void *), void *arg)
{
	struct tui_dialog	*d = dialog_new(NULL);
	struct form		*f = xcalloc(1, sizeof *f);

	f->title = xstrdup(title);
	f->fields = xcalloc((size_t)n, sizeof *fields);
	memcpy(f->fields, fields, (size_t)n * sizeof *fields);
	f->n = n;
	f->done = done;
	f->arg = arg;
	d->data = f;
	d->draw = form_draw;
	d->key = form_key;
	d->free = form_free;
	tui_dialog_push(t, d);
}

/* A form field's check: a reason, which the ledger keeps, is not empty. */
int
tui_check_reason(const char *v, char *err, size_t len)
{
	if (v[0] == '\0') {
		snprintf(err, len, "%s", _("Say why: it goes into the ledger."));
		return -1;
	}
	return 0;
}

/*
 * The two-person approval: the action waits while a second operator, who
 * must hold the approver role and be someone else, authenticates through
 * PAM on this terminal.  Both names go into the entry.
 */
struct approve {
	char			*action;
	char			*what;
	char			*names[STORE_MAX_ARGS];
	char			*values[STORE_MAX_ARGS];
	size_t			 nargs;
	struct tui_authflow	 af;
	struct textview		 tv;		/* the request, wrapped */
	int			(*run)(struct tui *, void *, const char *);
	void			(*free_arg)(void *);
	void			*arg;		/* run's, instead of action */
};

/* Rows of the approval dialog besides its request: the frame, a blank
 * line, the login (tui_authflow_draw takes 10) and the hint. */
#define APPROVE_ROWS	14

static void
approve_draw(struct tui *t, struct tui_dialog *d)
{
	struct approve	*a = d->data;
	char		*text, *hint;
	int		 y, x, th;

	/* The whole request, wrapped; PgUp/PgDn scroll a long one. */
	xasprintf(&text, _("%s wants to: %s\n\nAn operator with the approver "
	    "role, not the same person, logs in here to approve."), t->op,
	    a->what);
	th = textview_height(&a->tv, text, 66, LINES - 2 - APPROVE_ROWS);
	tui_frame(th + APPROVE_ROWS, 70, _("Second person"), &y, &x);
	draw_lines(text, y + 1, x + 2, 66, a->tv.top, a->tv.page);
	free(text);
	tui_authflow_draw(&a->af, y + th + 2, x + 2, 66);
	if (a->tv.total > a->tv.page)
		xasprintf(&hint, _("Esc on an empty name: cancel   PgUp/PgDn: "
		    "lines %d-%d of %d"), a->tv.top + 1,
		    a->tv.top + a->tv.page, a->tv.total);
	else
		hint = xstrdup(_("Esc on an empty name: cancel"));
	attrset(tui_style(TUI_DIM));
	tui_text_put(stdscr, y + th + APPROVE_ROWS - 2, x + 2, hint, 66, 0);
	attrset(tui_style(TUI_NORMAL));
	free(hint);
}

static int
approve_key(struct tui *t, struct tui_dialog *d, const struct tui_key *k)
{
	struct approve	*a = d->data;

	/* Page keys scroll the request; the login takes the others. */
	if (k->fn && (k->ch == KEY_PPAGE || k->ch == KEY_NPAGE))
		return textview_key(&a->tv, k);
	if (a->af.state == AF_USER && a->af.user[0] == '\0' &&
	    key_is(k, TUI_ESC)) {
		tui_status(t, 0, _("Not approved: nothing was done."));
		return TUI_CLOSE | TUI_HANDLED;
	}
	/* Failed logins lock approvals at this terminal too. */
	if (a->af.state == AF_USER && key_enter(k) &&
	    tui_login_locked(t, a->af.error, sizeof a->af.error))
		return TUI_HANDLED;
	tui_authflow_key(t, &a->af, k);
	return TUI_HANDLED;
}

static int
approve_fd(struct tui_dialog *d)
{
	struct approve	*a = d->data;

	return tui_authflow_fd(&a->af);
}

/* The approver is known: run the action with both names. */
static int
approve_run(struct tui *t, struct approve *a, const char *approver)
{
	struct store_args	 args = { 0 };
	size_t			 i;

	if (a->run != NULL) {
		a->run(t, a->arg, approver);
		return TUI_CLOSE;
	}
	for (i = 0; i < a->nargs; i++)
		store_args_add(&args, a->names[i], a->values[i]);
	if (tui_run_action(t, a->action, &args, approver) == 0)
		tui_status(t, 0, _("Done, approved by %s."), approver);
	return TUI_CLOSE;
}

/* The second person's conversation ended: core decides (core_login). */
static int
approve_poll(struct tui *t, struct tui_dialog *d)
{
	struct approve			*a = d->data;
	struct core_login		 in;
	struct core_login_result	 r;
	char				 user[AUTH_USER_MAX], *cause = NULL;

	if (tui_authflow_poll(t, &a->af) != 1)
		return 0;
	tui_authflow_login(t, &a->af, CORE_LOGIN_APPROVAL, &in, user,
	    sizeof user);
	in.operator = t->op;
	in.action = a->action;
	if (core_login(t->store, &in, &r, &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
	}
	if (r.outcome == CORE_LOGIN_OK)
		return approve_run(t, a, r.user);
	/* Esc during the scan, or no reader: the password at once. */
	if (r.outcome == CORE_LOGIN_NOT_TRIED &&
	    tui_authflow_fallback(t, &a->af))
		return 0;
	tui_authflow_reset(&a->af);
	a->af.service = t->config->pam_service;
	if (r.outcome == CORE_LOGIN_NOT_TRIED)
		a->af.error[0] = '\0';
	else
		tui_login_refusal(t, &r, a->af.error, sizeof a->af.error);
	return 0;
}

static void
approve_free(struct tui_dialog *d)
{
	struct approve	*a = d->data;
	size_t		 i;

	tui_authflow_free(&a->af);
	for (i = 0; i < a->nargs; i++) {
		free(a->names[i]);
		free(a->values[i]);
	}
	if (a->free_arg != NULL)
		a->free_arg(a->arg);
	free(a->action);
	free(a->what);
	free(a);
}

void
tui_approve(struct tui *t, const char *action, const struct store_args *args,
    const char *what)
{
	struct tui_dialog	*d = dialog_new(NULL);
	struct approve		*a = xcalloc(1, sizeof *a);
	size_t			 i;

	a->action = xstrdup(action);
	a->what = xstrdup(what);
	for (i = 0; i < args->n; i++) {
		a->names[i] = xstrdup(args->v[i].name);
		a->values[i] = xstrdup(args->v[i].value);
	}
	a->nargs = args->n;
	/* No session for the approver: authenticate and be done. */
	tui_authflow_init(&a->af, t->config->pam_service, 0,
	    t->config->module_timeout, NULL);
	d->data = a;
	d->draw = approve_draw;
	d->key = approve_key;
	d->poll = approve_poll;
	d->fd = approve_fd;
	d->free = approve_free;
	tui_dialog_push(t, d);
}

void
tui_approve_then(struct tui *t, const char *action, const char *what,
    int (*run)(struct tui *, void *, const char *), void (*free_arg)(void *),
    void *arg)
{
	struct store_args	 none = { 0 };
	struct approve		*a;

	tui_approve(t, action, &none, what);
	a = t->dialogs->data;
	a->run = run;
	a->free_arg = free_arg;
	a->arg = arg;
}
