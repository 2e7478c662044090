/*
 * tui.h -- the whole public face of tui/: the ncursesw console.  It
 * does not include curses: outside tui/ nothing draws (tests/layering.sh).
 * The widgets, keys and styles are in tui-int.h.
 *
 * One input loop (loop.c) is the only caller of wget_wch().  Screens,
 * dialogs and widgets are handed keys and return flags; KEY_RESIZE is
 * handled once, in the loop.  Screens are rows of a const table, dialogs
 * are overlays on a stack, and every list is the one list widget.
 */
#ifndef DAICHO_TUI_H
#define DAICHO_TUI_H

#include <stdio.h>

#define TUI_MIN_COLS	80
#define TUI_MIN_LINES	24

/* loop.c */
struct store;
struct core_config;
/*
 * Run the console on an open store until the operator quits or a signal
 * arrives.  The terminal is restored on every way out.  Returns the exit
 * status for main().
 */
int		 tui_main(struct store *, struct core_config *, const char *,
		     int);

/* screens.c */
/* The console's section of daicho(8), in mdoc, from the help topics and
 * the key and action tables. */
void		 tui_help_man(FILE *);

#endif
