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

/* widget-list.c */
/*
 * The list's data comes from a source: the row count, the text of a cell,
 * and the text a filter searches (all columns, once per row, when the
 * list is loaded).  Only visible rows are ever drawn, so a list of
 * 600,000 rows costs its filter index, not 600,000 curses lines.
 */
struct tui_list_col {
	const char	*title;			/* header, translated */
	int		 width;			/* display columns; 0: the rest */
	int		 right;			/* right-aligned */
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

struct tui_list	*tui_list_new(const struct tui_list_col *, int,
		     const struct tui_list_source *, void *);
void		 tui_list_free(struct tui_list *);		/* accepts NULL */
/* Re-read the source (count and search text), keeping filter and sort. */
void		 tui_list_reload(struct tui_list *);
void		 tui_list_draw(struct tui_list *, WINDOW *, int, int, int, int);
/*
 * Keys: arrows, PgUp/PgDn, Home/End move; printable characters edit the
 * filter (Backspace deletes, ^U clears); F6 / '<' '>' sort by the next
 * column; Space marks.  Returns TUI_* flags.
 */
int		 tui_list_key(struct tui_list *, const struct tui_key *);
/* The source row under the cursor, or SIZE_MAX when the list is empty. */
size_t		 tui_list_current(struct tui_list *);
/* Rows shown after filtering, and the filter text. */
size_t		 tui_list_shown(struct tui_list *);
const char	*tui_list_filter(struct tui_list *);
void		 tui_list_set_filter(struct tui_list *, const char *);
/* Marked rows: whether row is marked, and how many are. */
int		 tui_list_marked(struct tui_list *, size_t);
size_t		 tui_list_nmarked(struct tui_list *);

/* text.c -- display width, never bytes */
/* Display columns of UTF-8 s (invalid bytes count as one column each). */
int		 tui_text_width(const char *);
/*
 * Draw UTF-8 s at (y, x) in at most width columns, padded with spaces
 * (right-aligned when right), cut at a character boundary with "…".
 * Control characters are drawn as '?' so data cannot move the cursor.
 */
void		 tui_text_put(WINDOW *, int, int, const char *, int, int);

/* colour.c */
void		 tui_colour_init(void);		/* honours NO_COLOR */
attr_t		 tui_style(enum tui_style);

#endif
