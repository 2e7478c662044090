/*
 * colour.c -- the console's styles, in colour or in monochrome.
 *
 * Every style has a monochrome form that stands on its own (reverse for
 * the cursor, bold for marks, bold underline for errors, reverse bold
 * for title and status bars, underline for column headers), because the
 * console must work on a monochrome terminal and for operators who set
 * NO_COLOR.  Colour is added on top where the terminal has it; nothing
 * is told by colour alone.
 */
#include "config.h"

#include <assert.h>
#include <stdlib.h>

#include "tui-int.h"

#define COLOUR_DEFAULT	(-1)		/* the terminal's own colour */

static const struct colour_entry {
	short		 fg;
	short		 bg;
	attr_t		 colour;		/* added to the pair */
	attr_t		 mono;			/* without colour */
} colour_table[TUI_NSTYLES] = {
	[TUI_NORMAL] = { COLOUR_DEFAULT, COLOUR_DEFAULT, A_NORMAL, A_NORMAL },
	[TUI_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[TUI_HEADER] = { COLOR_CYAN, COLOUR_DEFAULT, A_BOLD, A_UNDERLINE },
	[TUI_CURSOR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TUI_MARKED] = { COLOR_YELLOW, COLOUR_DEFAULT, A_BOLD, A_BOLD },
	[TUI_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE },
	[TUI_OK] = { COLOR_GREEN, COLOUR_DEFAULT, A_BOLD, A_BOLD },
	[TUI_DIM] = { COLOUR_DEFAULT, COLOUR_DEFAULT, A_DIM, A_DIM },
	[TUI_FRAME] = { COLOR_CYAN, COLOUR_DEFAULT, A_NORMAL, A_NORMAL },
};

/* Until tui_colour_init finds colour, every style is its mono form. */
static attr_t	 colour_styles[TUI_NSTYLES];
static int	 colour_ready;

static void
colour_mono(void)
{
	int	 i;

	for (i = 0; i < TUI_NSTYLES; i++)
		colour_styles[i] = colour_table[i].mono;
	colour_ready = 1;
}

/* no-color.org: present and not empty means no colour. */
static int
colour_wanted(void)
{
	const char	*v = getenv("NO_COLOR");

	return v == NULL || *v == '\0';
}

void
tui_colour_init(void)
{
	const struct colour_entry	*e;
	short				 fg, bg;
	int				 i, deflt;

	colour_mono();
	if (!colour_wanted() || !has_colors())
		return;
	if (start_color() == ERR || COLORS < 8 || COLOR_PAIRS < TUI_NSTYLES)
		return;
	/* Without default colours, white on black stands in for them. */
	deflt = use_default_colors() == OK;
	for (i = 1; i < TUI_NSTYLES; i++) {
		e = &colour_table[i];
		fg = e->fg;
		bg = e->bg;
		if (fg == COLOUR_DEFAULT && !deflt)
			fg = COLOR_WHITE;
		if (bg == COLOUR_DEFAULT && !deflt)
			bg = COLOR_BLACK;
		if (init_pair((short)i, fg, bg) == ERR)
			continue;		/* keep the mono form */
		colour_styles[i] = COLOR_PAIR(i) | e->colour;
	}
}

attr_t
tui_style(enum tui_style style)
{
	assert(style >= 0 && style < TUI_NSTYLES);
	if (!colour_ready)
		colour_mono();
	return colour_styles[style];
}
