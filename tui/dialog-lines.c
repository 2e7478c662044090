/*
 * dialog-lines.c -- a dialog of lines to read, longer than the screen:
 * Up/Down, PgUp/PgDn and Home/End scroll it, Enter or Esc closes it.
 * Lines are cut at the dialog's width, never wrapped, so a line is one
 * row and the position shown ("12-31 of 140") means what it says.  Each
 * line may be marked: a heading, or something that needs attention (a
 * shared ID whose other users the lockout stops too).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

struct lines {
	char		*title;
	char		*hint;
	struct tui_line	*v;
	size_t		 n;
	size_t		 top;
	int		 page;			/* rows shown at the last draw */
};

void
tui_lines_add(struct tui_line **v, size_t *n, int mark, const char *fmt, ...)
{
	va_list	 ap;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	va_start(ap, fmt);
	xvasprintf(&(*v)[*n].text, fmt, ap);
	va_end(ap);
	(*v)[*n].mark = mark;
	(*n)++;
}

static void
lines_draw(struct tui *t, struct tui_dialog *d)
{
	struct lines	*l = d->data;
	char		 where[64];
	size_t		 i;
	int		 y, x, h, w, rows;

	(void)t;
	w = COLS - 4 < 100 ? COLS - 4 : 100;
	rows = LINES - 8;
	if ((size_t)rows > l->n)
		rows = (int)l->n;
	if (rows < 1)
		rows = 1;
	l->page = rows;
	h = rows + 4;
	tui_frame(h, w, l->title, &y, &x);
	for (i = 0; i < (size_t)rows && l->top + i < l->n; i++) {
		const struct tui_line *ln = &l->v[l->top + i];

		attrset(ln->mark == TUI_LINE_ALERT ? tui_style(TUI_ERROR) |
		    A_BOLD : ln->mark == TUI_LINE_HEAD ? tui_style(TUI_FRAME) |
		    A_BOLD : tui_style(TUI_FRAME));
		tui_text_put(stdscr, y + 1 + (int)i, x + 2, ln->text, w - 4, 0);
	}
	attrset(tui_style(TUI_DIM));
	if (l->n > (size_t)rows)
		snprintf(where, sizeof where, _("%zu-%zu of %zu"), l->top + 1,
		    l->top + (size_t)rows, l->n);
	else
		snprintf(where, sizeof where, _("%zu lines"), l->n);
	tui_text_put(stdscr, y + h - 2, x + 2, l->hint, w - 4 -
	    tui_text_width(where) - 2, 0);
	tui_text_put(stdscr, y + h - 2, x + w - 2 - tui_text_width(where),
	    where, tui_text_width(where), 0);
	attrset(tui_style(TUI_NORMAL));
}

static int
lines_key(struct tui *t, struct tui_dialog *d, const struct tui_key *k)
{
	struct lines	*l = d->data;
	size_t		 page = l->page > 1 ? (size_t)l->page - 1 : 1;
	size_t		 last = l->n > (size_t)l->page ? l->n - (size_t)l->page :
	    0;

	(void)t;
	if (!k->fn && (k->ch == '\r' || k->ch == '\n' || k->ch == TUI_ESC))
		return TUI_CLOSE | TUI_HANDLED;
	if (!k->fn)
		return TUI_HANDLED;
	switch (k->ch) {
	case KEY_ENTER:
		return TUI_CLOSE | TUI_HANDLED;
	case KEY_UP:
		l->top = l->top > 0 ? l->top - 1 : 0;
		break;
	case KEY_DOWN:
		l->top = l->top < last ? l->top + 1 : last;
		break;
	case KEY_PPAGE:
		l->top = l->top > page ? l->top - page : 0;
		break;
	case KEY_NPAGE:
		l->top = l->top + page < last ? l->top + page : last;
		break;
	case KEY_HOME:
		l->top = 0;
		break;
	case KEY_END:
		l->top = last;
		break;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

static void
lines_free(struct tui_dialog *d)
{
	struct lines	*l = d->data;
	size_t		 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	free(l->title);
	free(l->hint);
	free(l);
}

void
tui_lines(struct tui *t, const char *title, const char *hint,
    struct tui_line *v, size_t n)
{
	struct tui_dialog	*d = xcalloc(1, sizeof *d);
	struct lines		*l = xcalloc(1, sizeof *l);

	l->title = xstrdup(title);
	l->hint = xstrdup(hint != NULL ? hint : _("Up/Down PgUp/PgDn: scroll"
	    "   Enter: close"));
	l->v = v;
	l->n = n;
	l->page = 1;
	d->data = l;
	d->draw = lines_draw;
	d->key = lines_key;
	d->free = lines_free;
	tui_dialog_push(t, d);
}
