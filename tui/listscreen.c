/*
 * listscreen.c -- what every list screen shares: its list widget, loading
 * the rows, reloading them when the ledger moves (our change, an approval,
 * the rotation timer, another process), drawing, keys and the row under
 * the cursor.
 *
 * A screen's state begins with a struct tui_listscreen and its ops give
 * the columns, the list source, a loader and what frees the rows (tmux's
 * mode-tree and htop's Panel classes split the work the same way).  The
 * screen table then points at tui_listscreen_close, _draw and _key; the
 * screen writes only an open that names its ops, and its own keys.
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

void
tui_listscreen_load(struct tui_listscreen *ls)
{
	const struct tui_listscreen_ops	*ops = ls->ops;
	uint64_t			 before = ls->seen;
	char				*cause = NULL;
	struct tui_key			 end = { KEY_END, 1 };

	if (ops->unload != NULL)
		ops->unload(ls);
	(void)tui_ledger_moved(ls->t, &ls->seen);
	if (ops->load(ls, &cause) != 0) {
		tui_status(ls->t, 1, "%s", cause);
		free(cause);
	}
	if (ls->list == NULL) {
		ls->list = tui_list_new(ops->cols, ops->ncols, ops->source, ls);
		if (ops->flags & TUI_LS_NEWEST)
			(void)tui_list_key(ls->list, &end);
	} else if ((ops->flags & TUI_LS_APPEND) && ls->seen > before)
		tui_list_append(ls->list);	/* rows never change */
	else {
		if (ops->flags & TUI_LS_UNMARK)
			tui_list_unmark_all(ls->list);
		tui_list_reload(ls->list);
	}
	if (ops->loaded != NULL)
		ops->loaded(ls);
}

void *
tui_listscreen_open(struct tui *t, const struct tui_listscreen_ops *ops)
{
	struct tui_listscreen	*ls;

	assert(ops->size >= sizeof *ls);
	ls = xcalloc(1, ops->size);
	ls->ops = ops;
	ls->t = t;
	tui_listscreen_load(ls);
	return ls;
}

void
tui_listscreen_close(struct tui *t, void *arg)
{
	struct tui_listscreen	*ls = arg;

	(void)t;
	if (ls == NULL)
		return;
	if (ls->ops->unload != NULL)
		ls->ops->unload(ls);
	tui_list_free(ls->list);
	free(ls);
}

void
tui_listscreen_draw(struct tui *t, void *arg, int h, int w)
{
	struct tui_listscreen	*ls = arg;
	uint64_t		 seen = ls->seen;
	int			 top = ls->ops->header;

	/* A change, whoever made it, shows at once. */
	if (tui_ledger_moved(t, &seen))
		tui_listscreen_load(ls);
	if (top > 0 && ls->ops->draw_header != NULL)
		ls->ops->draw_header(ls, TUI_BODY_Y, w);
	tui_list_draw(ls->list, stdscr, TUI_BODY_Y + top, 0, h - top, w);
}

int
tui_listscreen_key(struct tui *t, void *arg, const struct tui_key *k)
{
	struct tui_listscreen	*ls = arg;

	(void)t;
	return tui_list_key(ls->list, k);
}

size_t
tui_listscreen_row(struct tui_listscreen *ls)
{
	size_t	 row = tui_list_current(ls->list);

	if (row == SIZE_MAX || row >= ls->ops->source->count(ls))
		return SIZE_MAX;
	return row;
}

size_t
tui_listscreen_pick(struct tui_listscreen *ls, const char *what)
{
	size_t	 row = tui_listscreen_row(ls);

	if (row == SIZE_MAX)
		tui_status(ls->t, 1, _("No %s is chosen."), what);
	return row;
}
