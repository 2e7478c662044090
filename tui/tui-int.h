/*
 * tui-int.h -- shared by the files of tui/ only.
 */
#ifndef DAICHO_TUI_INT_H
#define DAICHO_TUI_INT_H

#include <time.h>

#include "common.h"
#include "tui.h"

/* The widgets, keys and styles: curses is included here, under tui/ only. */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

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
 * them, or up to the last place a line may break (after a space, or
 * next to a wide character but not before 、。 or after an opening
 * bracket) when that is not too far back, else as many characters as
 * fit (at least one, so a caller always advances).  Japanese has no
 * spaces, and an English word in it is not cut.
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

#include "store.h"
#include "core.h"
#include "auth.h"

struct tui;

/* One key of the console or of a screen: the key list and help come
 * from these tables, so they cannot drift from what the keys do. */
struct tui_binding {
	wint_t		 ch;
	int		 fn;			/* ch is a KEY_* code */
	const char	*label;			/* "F4", "Enter" */
	const char	*help;			/* N_("Verify the ledger") */
	const char	*action;		/* core action it runs, or NULL */
	int		 roles;			/* CORE_ROLE_* allowed, or
						   TUI_AT_*; 0: anyone */
	int		(*run)(struct tui *, void *);
};

/*
 * The console's one key map, as mc has: each verb has the same key on
 * every screen, and a screen binds only the verbs it has.  Each expands to
 * a binding's first three fields.  daicho(8) and docs/architecture.md
 * list the map; F1 lists each screen's keys from its table.
 */
#define TUI_OPEN	'\r', 0, "Enter"	/* the chosen row's detail */
#define TUI_CHECK	KEY_F(3), 1, "F3"	/* check, change nothing */
#define TUI_ACT		KEY_F(4), 1, "F4"	/* act on the chosen row */
#define TUI_NEW		KEY_F(5), 1, "F5"	/* add, issue: a new row */
#define TUI_FILTER	KEY_F(8), 1, "F8"	/* choose what is listed */
#define TUI_REMOVE	KEY_F(9), 1, "F9"	/* end the chosen row */
#define TUI_EXPORT	KEY_F(11), 1, "F11"	/* write out of daicho */
/* Kept by the list widget everywhere: F6 sort, F7 reverse; and by the
 * console: F1 help, F2 dashboard, F10 log out or quit, F12 lockout, Tab
 * and Shift-Tab the next and previous screen. */

struct tui_screen {
	const char	*name;			/* help topic and test hook */
	const char	*title;			/* N_("Ledger") */
	wint_t		 fkey;			/* KEY_F(n) that opens it */
	int		 roles;			/* CORE_ROLE_* that may; 0: all */
	const struct tui_binding *keys;		/* NULL-run terminated */
	void		*(*open)(struct tui *);
	void		 (*close)(struct tui *, void *);
	/* Draw into the body: rows [TUI_BODY_Y, LINES - 2) of stdscr. */
	void		 (*draw)(struct tui *, void *, int, int);
	int		 (*key)(struct tui *, void *, const struct tui_key *);
};

/* The screens' body: rows [TUI_BODY_Y, LINES - 2) of stdscr, below the
 * title bar and the tab bar. */
#define TUI_BODY_Y	2

/*
 * A list screen (listscreen.c).  The screen's state begins with a
 * struct tui_listscreen; its ops say what the list shows and how the rows
 * are loaded, and the helper owns the list, its reload when the ledger
 * moves, drawing and the list's keys.
 */
struct tui_listscreen;
struct tui_listscreen_ops {
	size_t			 size;		/* of the screen's state */
	const struct tui_list_col *cols;
	int			 ncols;
	const struct tui_list_source *source;	/* arg: the screen's state */
	/* Load the rows (after unload); 0, or -1 with *cause. */
	int			(*load)(struct tui_listscreen *, char **);
	/* Free the rows, before a load and on close; may be NULL. */
	void			(*unload)(struct tui_listscreen *);
	/* After the list has read the rows; may be NULL. */
	void			(*loaded)(struct tui_listscreen *);
	int			 header;	/* lines above the list */
	/* Draw those lines at (y, 0), w wide; may be NULL. */
	void			(*draw_header)(struct tui_listscreen *, int,
				    int);
	int			 flags;		/* TUI_LS_* */
};
#define TUI_LS_APPEND	0x1	/* rows are only added at the end (ledger) */
#define TUI_LS_UNMARK	0x2	/* rows change places on a reload */
#define TUI_LS_NEWEST	0x4	/* opens on the last row */

struct tui_listscreen {
	const struct tui_listscreen_ops *ops;
	struct tui		*t;
	uint64_t		 seen;		/* ledger size at the last load */
	struct tui_list		*list;
};

/* A binding's roles: only on the login screen, only on the lock screen. */
#define TUI_AT_LOGIN	0x100
#define TUI_AT_LOCK	0x200

/* A dialog: an overlay on the stack; keys go to the top one first. */
struct tui_dialog {
	const char	*title;
	void		 (*draw)(struct tui *, struct tui_dialog *);
	int		 (*key)(struct tui *, struct tui_dialog *,
			    const struct tui_key *);
	/* Called once a loop turn (auth events, progress); may be NULL. */
	int		 (*poll)(struct tui *, struct tui_dialog *);
	/* A descriptor to wake the loop for (a PAM child), or -1; may be NULL. */
	int		 (*fd)(struct tui_dialog *);
	void		 (*free)(struct tui_dialog *);
	void		*data;
	const struct tui_binding *keys;		/* for help; may be NULL */
	struct tui_dialog *below;
};

/* A PAM conversation shown in the console (authflow.c). */
struct tui_authflow {
	struct auth	*auth;
	const char	*service;
	int		 flags;			/* AUTH_SESSION, ... */
	int		 timeout;
	char		 user[64];
	int		 user_fixed;		/* the user field is not editable */
	int		 state;			/* AF_* */
	char		 prompt[AUTH_TEXT_MAX];
	int		 echo;
	char		*answer;		/* sodium_malloc'd */
	size_t		 answerlen;
	char		 info[3][AUTH_TEXT_MAX];	/* newest last */
	int		 ninfo;
	char		 error[AUTH_TEXT_MAX];
	int		 seconds_left;		/* a module is waiting */
	int		 esc_prompt;		/* Esc was pressed at a prompt
						   (give up), not while a
						   module worked (a scan) */
	struct auth_event result;
};
#define AF_USER		0		/* typing the user name */
#define AF_RUNNING	1		/* a module is working */
#define AF_PROMPT	2		/* answering a prompt */
#define AF_DONE		3		/* result holds the outcome */

/* The console's state. */
struct tui {
	struct store		*store;
	struct core_config	*config;
	const char		*dir;
	char			 tty[64];
	int			 demo;

	int			 state;		/* TUI_S_* */
	char			 op[64];	/* operator logged in */
	int			 role;		/* their CORE_ROLE_* */
	struct auth		*session;	/* the PAM session child */
	time_t			 last_key;
	char			 locked_op[64];	/* TUI_S_LOCKED: whose session */

	const struct tui_screen	*screen;
	void			*screen_data;
	struct tui_dialog	*dialogs;	/* top of the stack */
	struct tui_authflow	 login;		/* TUI_S_LOGIN, TUI_S_LOCKED */

	uint64_t		 last_index;	/* the last action's entry */
	size_t			 outbox_failed;	/* in the last tui_outbox */

	char			 status[256];	/* status line text */
	struct tui_dialog	*status_for;	/* a prompt: it goes when
						   this dialog closes */
	int			 status_error;
	time_t			 status_time;
	int			 too_small;
	int			 quit;
};
#define TUI_S_LOGIN	0
#define TUI_S_MAIN	1
#define TUI_S_LOCKED	2

/* loop.c */
void		 tui_status(struct tui *, int, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
/*
 * A prompt for the dialog on top (opened just before): it stays on the
 * status line while that dialog is open and goes when it closes, however
 * it closes.  A later tui_status replaces it.
 */
void		 tui_prompt(struct tui *, int, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
void		 tui_dialog_push(struct tui *, struct tui_dialog *);
void		 tui_dialog_pop(struct tui *);
void		 tui_screen_open(struct tui *, const struct tui_screen *);
/* Draw a framed box for a dialog of h x w centred; its top-left. */
void		 tui_frame(int, int, const char *, int *, int *);
/*
 * Run action as the logged-in operator, as the action table says: an
 * operator whose role may not is refused (tui_refused); a two-person
 * action opens the approval dialog (tui_approve), unless approver already
 * names the second person or the ledger has never had an approver (then
 * one admin does it, and the status line says so).  0 when it ran, 1 when
 * it waits for the approval (it runs when approved), -1 when it was
 * refused or failed (the status line says why).  The args are copied.
 */
int		 tui_run_action(struct tui *, const char *,
		     const struct store_args *, const char *);
/* The keys of table the operator may use, "l Lock  Esc Close", into buf. */
void		 tui_keys_line(struct tui *, const struct tui_binding *, char *,
		     size_t);
/* Whether binding's roles let the operator use it now. */
int		 tui_binding_ok(struct tui *, const struct tui_binding *);
/* The one refusal: "The auditor role may not do this." */
void		 tui_refused(struct tui *);
/*
 * Run the binding of table (ending with a NULL run) that key k names,
 * with arg, if the operator's role allows it (else the refusal); its
 * flags with TUI_HANDLED, or TUI_IGNORED when no binding has the key.
 */
int		 tui_binding_run(struct tui *, const struct tui_binding *,
		     const struct tui_key *, void *);
void		 tui_progress(struct tui *, const char *, uint64_t, uint64_t);
/*
 * Whether the ledger grew since *seen (ours, an approval, the rotation
 * timer, another process), updating *seen: screens reload on it.
 */
int		 tui_ledger_moved(struct tui *, uint64_t *);
/* Apply the outbox now, with progress; show temporary passwords once. */
void		 tui_outbox(struct tui *);

/* listscreen.c */
/* A new screen state of ops->size bytes, loaded; for tui_screen.open. */
void		*tui_listscreen_open(struct tui *,
		     const struct tui_listscreen_ops *);
void		 tui_listscreen_close(struct tui *, void *);
void		 tui_listscreen_draw(struct tui *, void *, int, int);
int		 tui_listscreen_key(struct tui *, void *, const struct tui_key *);
/* Load the rows again now (a filter changed), keeping the cursor. */
void		 tui_listscreen_load(struct tui_listscreen *);
/* The source row under the cursor, or SIZE_MAX. */
size_t		 tui_listscreen_row(struct tui_listscreen *);
/* The same, or SIZE_MAX after saying "No <what> is chosen." */
size_t		 tui_listscreen_pick(struct tui_listscreen *, const char *);

/* screens.c */
extern const struct tui_screen *const tui_screens[];
extern const struct tui_binding tui_global_keys[];
/* The label of s's F-key, "F2", into buf. */
void		 tui_screen_fkey(const struct tui_screen *, char *, size_t);

/* screen-incident.c */
/* The emergency lockout dialog (the one key, from any screen). */
int		 tui_lockout(struct tui *, void *);

/* dialog-lines.c */
/* One line of a tui_lines dialog. */
struct tui_line {
	char		*text;			/* owned */
	int		 mark;			/* TUI_LINE_* */
};
#define TUI_LINE_PLAIN	0
#define TUI_LINE_HEAD	1		/* a heading (a system's name) */
#define TUI_LINE_ALERT	2		/* needs attention */
/* Append a formatted line to *v (*n lines; grows it). */
void		 tui_lines_add(struct tui_line **, size_t *, int,
		     const char *, ...) __attribute__((format(printf, 4, 5)));
/*
 * A scrollable dialog of the n lines v (takes ownership of v and the
 * text), each cut at the dialog's width; hint (or NULL for the default)
 * says what the keys do.  Enter or Esc closes it.
 */
void		 tui_lines(struct tui *, const char *, const char *,
		     struct tui_line *, size_t);

/* lockout-list.c */
/* The preview of a lockout of scope, ID by ID, as a tui_lines dialog. */
int		 tui_lockout_list(struct tui *, const char *);
/* The IDs incident i took, each with its prior state, likewise. */
int		 tui_incident_ids(struct tui *, const struct core_incident *);

/* findings.c */
/* Reconcile system and list its findings, each to act on after a preview. */
void		 tui_findings(struct tui *, const char *);

/* authflow.c */
void		 tui_authflow_init(struct tui_authflow *, const char *, int,
		     int, const char *);
void		 tui_authflow_reset(struct tui_authflow *);
int		 tui_authflow_key(struct tui *, struct tui_authflow *,
		     const struct tui_key *);
int		 tui_authflow_poll(struct tui *, struct tui_authflow *);
void		 tui_authflow_draw(struct tui_authflow *, int, int, int);
int		 tui_authflow_fd(struct tui_authflow *);
void		 tui_authflow_free(struct tui_authflow *);
void		 tui_authflow_start(struct tui *, struct tui_authflow *);
int		 tui_authflow_fallback(struct tui *, struct tui_authflow *);
void		 tui_authflow_login(struct tui *, struct tui_authflow *,
		     enum core_login_purpose, struct core_login *, char *,
		     size_t);

/* text.c: editing a field's UTF-8 text */
/* Append key k's character to buf (len bytes, max with the NUL); 1 if
 * it was a character (kept or, when full, swallowed), 0 if not one. */
int		 tui_edit_type(char *, size_t *, size_t, const struct tui_key *);
/* Delete buf's last UTF-8 character. */
void		 tui_edit_backspace(char *, size_t *);

/* session.c */
void		 tui_session_done(struct tui *);	/* login finished */
void		 tui_session_logout(struct tui *, const char *);
void		 tui_session_lock(struct tui *);
void		 tui_session_draw_login(struct tui *);
int		 tui_session_key(struct tui *, const struct tui_key *);
int		 tui_login_locked(struct tui *, char *, size_t);
const char	*tui_login_refusal(struct tui *,
		     const struct core_login_result *, char *, size_t);

/* dialog.c */
void		 tui_message(struct tui *, const char *, const char *);
/*
 * A message with a picture under its text (lines of text, such as a QR
 * code) that is shown whole or not at all: in a terminal too small for
 * it, the dialog says how large the terminal must be instead.  Both
 * strings are copied.
 */
void		 tui_message_picture(struct tui *, const char *, const char *,
		     const char *);
void		 tui_confirm(struct tui *, const char *, const char *,
		     int (*)(struct tui *, void *), void *);
/*
 * The two-person dialog: a different operator with the approver role
 * authenticates on this terminal, then action runs with both names.
 * The args are copied.
 */
void		 tui_approve(struct tui *, const char *,
		     const struct store_args *, const char *);
/*
 * The same for work that is more than one action (a bulk remedy): once
 * approved, run(t, arg, approver) does it; action names what the
 * approver is asked for.  The dialog owns arg: free_arg (may be NULL)
 * frees it when the dialog closes, approved or not.
 */
void		 tui_approve_then(struct tui *, const char *, const char *,
		     int (*)(struct tui *, void *, const char *),
		     void (*)(void *), void *);
/*
 * A small form of text fields.  Enter checks each field; when all pass the
 * form closes and done gets a copy of the values (it may open dialogs;
 * failures go to the status line).
 */
/*
 * A form's field.  A field with a picker (pick: a core_pick_list source,
 * "system", "department" or "person", or "file" for a directory's files
 * (dialog-pick.c); or pick_by: 1 + the index of the
 * field whose value names the source, as the lockout's scope does) opens
 * a searchable list of its choices on TUI_PICK (F4), and its hint says
 * so.  A required field may not be left empty (with pick_by: when the
 * source field names a list).
 */
struct tui_field {
	const char	*label;
	char		 value[128];
	const char	*choices;		/* "admin|approver|auditor" or NULL */
	int		(*check)(const char *, char *, size_t);
	const char	*pick;			/* "system", ... or NULL */
	int		 pick_by;		/* 0, or 1 + a field's index */
	int		 required;
};
#define TUI_PICK	KEY_F(4), 1, "F4"	/* a field's list of choices */
/* The picker over form field f, filling f->value on Enter (dialog-pick.c). */
int		 tui_pick(struct tui *, const char *, struct tui_field *);
void		 tui_form(struct tui *, const char *, struct tui_field *, int,
		     int (*)(struct tui *, struct tui_field *, void *), void *);
/* A field check: the reason (for the ledger) must not be empty. */
int		 tui_check_reason(const char *, char *, size_t);

/* words.c */
/* The stored words (kinds, states, ...) the console shows through _(). */
extern const char *const tui_words[];

#endif
