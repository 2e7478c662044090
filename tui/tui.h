/*
 * tui.h -- the whole public face of tui/: the ncursesw console.  The only
 * header that includes curses.
 *
 * One input loop (loop.c) is the only caller of wget_wch().  Screens,
 * dialogs and widgets are handed keys and return flags; KEY_RESIZE is
 * handled once, in the loop.  Screens are rows of a const table, dialogs
 * are overlays on a stack, and every list is the one list widget.
 */
#ifndef DAICHO_TUI_H
#define DAICHO_TUI_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#define TUI_MIN_COLS	80
#define TUI_MIN_LINES	24

/* What a key handler tells the loop. */
#define TUI_IGNORED	0x0
#define TUI_HANDLED	0x1
#define TUI_REDRAW	0x2	/* redraw everything */
#define TUI_CLOSE	0x4	/* close the dialog that handled it */
#define TUI_QUIT	0x8	/* leave the console */

/* A key as wget_wch gave it: a character, or a KEY_* code. */
struct tui_key {
	wint_t		 ch;
	int		 fn;			/* ch is a KEY_* code */
};
#define TUI_ESC		27

/* Colour pairs; in monochrome they map to attributes (colour.c). */
enum tui_style {
	TUI_NORMAL = 0,
	TUI_TITLE,		/* title and status bars */
	TUI_HEADER,		/* list column headers */
	TUI_CURSOR,		/* the selected row */
	TUI_MARKED,		/* marked rows */
	TUI_ERROR,		/* errors in the status line and forms */
	TUI_OK,			/* "intact", success */
	TUI_DIM,		/* hints, secondary text */
	TUI_FRAME,		/* dialog frames */
	TUI_NSTYLES
};

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
#include <stdio.h>
/* The console's section of daicho(8), in mdoc, from the help topics and
 * the key and action tables. */
void		 tui_help_man(FILE *);

/* widget-list.c */
/*
 * The list's data comes from a source: the row count, the text of a cell,
 * and the text a filter searches (all columns, once per row, when the
 * list is loaded).  Only visible rows are ever drawn, so a list of
 * 600,000 rows costs its filter index, not 600,000 curses lines.
 */
/*
 * A column's width is flexible: it is shown in at least min columns, grows
 * to its preferred width when there is room (the more important columns
 * first), and then takes its share of what is left.  When the columns do
 * not fit at their minimums, or a column would squeeze a more important
 * one below its preferred width, the least important columns are left out
 * (ties: the rightmost first); Left and Right scroll the view a column at
 * a time to reach them.
 */
struct tui_list_col {
	const char	*title;			/* header, translated */
	int		 width;			/* preferred display columns;
						   0: min, and a share of 1 */
	int		 right;			/* right-aligned */
	int		 min;			/* 0: width (8 when width is 0) */
	int		 prio;			/* higher: shown first */
	int		 share;			/* of the spare room; 0: none */
};

struct tui_list_source {
	size_t		 (*count)(void *);
	/* Text of (row, col) into buf (UTF-8, NUL-terminated). */
	void		 (*cell)(void *, size_t, int, char *, size_t);
	/* What the filter searches for row, into buf. */
	void		 (*search)(void *, size_t, char *, size_t);
	/* Sort key comparison of two rows by col (<0, 0, >0); may be NULL. */
	int		 (*compare)(void *, size_t, size_t, int);
};

struct tui_list;

/*
 * A new list over source (the list keeps the pointers: cols, source and
 * arg must outlive it) and loads it as tui_list_reload does.  Rows are
 * numbered 0 .. count - 1 by the source; at most UINT32_MAX - 1 of them.
 * Caller frees with tui_list_free.
 */
struct tui_list	*tui_list_new(const struct tui_list_col *, int,
		     const struct tui_list_source *, void *);
void		 tui_list_free(struct tui_list *);		/* accepts NULL */
/*
 * Re-read the source (count and search text), keeping filter, sort and
 * the cursor's row.  Marks are kept by row number (those past the new
 * count are dropped): a source whose rows change places should call
 * tui_list_unmark_all.  The first TUI_LIST_SEARCHMAX bytes of each row's
 * search text are kept, so a source puts the most useful text first.
 */
/*
 * Rows were added at the end and none before them changed (the ledger):
 * read only the new rows' search text, keeping filter, sort and marks.
 */
void		 tui_list_append(struct tui_list *);
void		 tui_list_reload(struct tui_list *);
#define TUI_LIST_SEARCHMAX	96
/*
 * Draw into win at (y, x), height lines by width columns: a header line,
 * the visible rows only, and a footer line with the filter and counts.
 */
void		 tui_list_draw(struct tui_list *, WINDOW *, int, int, int, int);
/*
 * Keys: Up/Down, PgUp/PgDn and Home/End move the cursor.  Printable
 * characters (Space and Japanese text included) edit the filter;
 * Backspace deletes its last character, ^U clears it.  The filter is
 * words separated by spaces (ASCII or U+3000), all of which a row must
 * contain, ASCII case ignored.  Space is always filter text, so marking
 * has its own keys: Insert or ^T toggles the cursor row's mark and moves
 * down; ^A marks every shown row, or unmarks them when all are marked.
 * F6 sorts by the next column (after the last: source order again),
 * F7 reverses the order.  Right scrolls the columns left by one when some
 * are left out for want of room; Left scrolls back.  Returns TUI_HANDLED,
 * with TUI_REDRAW when something changed; TUI_IGNORED for keys the list
 * does not use (Enter, Esc, Tab, other function keys), which the screen
 * handles.
 */
int		 tui_list_key(struct tui_list *, const struct tui_key *);
/*
 * The list's keys for help, from its key table: rows ending with
 * { NULL, NULL }.  Both strings are untranslated; gettext them to show.
 */
struct tui_keyhelp {
	const char	*key;			/* "F6", "^U" */
	const char	*what;			/* what it does */
};
const struct tui_keyhelp *tui_list_keys(void);
/* The source row under the cursor, or SIZE_MAX when the list is empty. */
size_t		 tui_list_current(struct tui_list *);
/* Rows shown after filtering, and the filter text. */
size_t		 tui_list_shown(struct tui_list *);
const char	*tui_list_filter(struct tui_list *);
/* Replace the filter (UTF-8; longer than TUI_LIST_FILTERMAX is cut). */
void		 tui_list_set_filter(struct tui_list *, const char *);
#define TUI_LIST_FILTERMAX	255	/* bytes */
/*
 * Sort by column col (-1: source order), descending when desc.  Rows
 * with equal keys stay in source order either way.  A source without
 * compare can only be shown in source order or reversed.
 */
void		 tui_list_set_sort(struct tui_list *, int, int);
/* Marked rows: whether row is marked, and how many are. */
int		 tui_list_marked(struct tui_list *, size_t);
size_t		 tui_list_nmarked(struct tui_list *);
/* The first marked row >= row, or SIZE_MAX: walks the marks in order. */
size_t		 tui_list_next_marked(struct tui_list *, size_t);
void		 tui_list_unmark_all(struct tui_list *);

/* text.c -- display width, never bytes */
/*
 * Display columns of UTF-8 s as tui_text_put draws it: wcwidth() of each
 * character; invalid bytes and control characters one column each.
 */
int		 tui_text_width(const char *);
/*
 * How many of the n bytes of s fit one line of width columns: all of
 * them, or up to the last space that fits (when that is not too far
 * back), else as many characters as fit (at least one, so a caller
 * always advances).  For wrapping text that has no spaces (Japanese).
 */
size_t		 tui_text_fit(const char *, size_t, int);
/*
 * Draw UTF-8 s at (y, x) in at most width columns (never past the
 * window's edge), in the window's current attributes, padded with spaces
 * (right-aligned when right).  Text too wide is cut at a character
 * boundary and ends with "…"; a two-column character that would cross
 * the last column gives way to a space.  Control characters and invalid
 * bytes are drawn as '?', so data cannot move the cursor.
 */
void		 tui_text_put(WINDOW *, int, int, const char *, int, int);

/* colour.c */
/*
 * After initscr/newterm: colour pairs when the terminal has colours and
 * NO_COLOR is unset or empty (no-color.org), else monochrome attributes.
 * May be called again (a new screen).
 */
void		 tui_colour_init(void);
/* The attributes to draw style with; monochrome ones before the init. */
attr_t		 tui_style(enum tui_style);

#endif
