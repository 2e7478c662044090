/*
 * tui-int.h -- shared by the files of tui/ only.
 */
#ifndef DAICHO_TUI_INT_H
#define DAICHO_TUI_INT_H

#include <libintl.h>
#include <time.h>

#include "tui.h"
#include "store.h"
#include "core.h"
#include "auth.h"

#define _(s)	gettext(s)
#define N_(s)	(s)

struct tui;

/* One key of the console or of a screen: the key list and help come
 * from these tables, so they cannot drift from what the keys do. */
struct tui_binding {
	wint_t		 ch;
	int		 fn;			/* ch is a KEY_* code */
	const char	*label;			/* "F4", "Enter" */
	const char	*help;			/* N_("Verify the ledger") */
	const char	*action;		/* core action it runs, or NULL */
	int		 roles;			/* CORE_ROLE_* allowed; 0: all */
	int		(*run)(struct tui *, void *);
};

struct tui_screen {
	const char	*name;			/* help topic and test hook */
	const char	*title;			/* N_("Ledger") */
	wint_t		 fkey;			/* KEY_F(n) that opens it */
	int		 roles;			/* CORE_ROLE_* that may; 0: all */
	const struct tui_binding *keys;		/* NULL-run terminated */
	void		*(*open)(struct tui *);
	void		 (*close)(struct tui *, void *);
	/* Draw into the body: rows [1, LINES - 2) of stdscr. */
	void		 (*draw)(struct tui *, void *, int, int);
	int		 (*key)(struct tui *, void *, const struct tui_key *);
};

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
void		 tui_dialog_push(struct tui *, struct tui_dialog *);
void		 tui_dialog_pop(struct tui *);
void		 tui_screen_open(struct tui *, const struct tui_screen *);
/* Draw a framed box for a dialog of h x w centred; its top-left. */
void		 tui_frame(int, int, const char *, int *, int *);
/* Run an action as the logged-in operator; status line on failure. */
int		 tui_run_action(struct tui *, const char *,
		     const struct store_args *, const char *);
void		 tui_progress(struct tui *, const char *, uint64_t, uint64_t);
/*
 * Whether the ledger grew since *seen (ours, an approval, the rotation
 * timer, another process), updating *seen: screens reload on it.
 */
int		 tui_ledger_moved(struct tui *, uint64_t *);
/* Apply the outbox now, with progress; show temporary passwords once. */
void		 tui_outbox(struct tui *);

/* screens.c */
extern const struct tui_screen *const tui_screens[];
extern const struct tui_binding tui_global_keys[];

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

/* dialog.c */
void		 tui_message(struct tui *, const char *, const char *);
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
 * A small form of text fields.  Enter checks each field; when all pass the
 * form closes and done gets a copy of the values (it may open dialogs;
 * failures go to the status line).
 */
struct tui_field {
	const char	*label;
	char		 value[128];
	const char	*choices;		/* "admin|approver|auditor" or NULL */
	int		(*check)(const char *, char *, size_t);
};
void		 tui_form(struct tui *, const char *, struct tui_field *, int,
		     int (*)(struct tui *, struct tui_field *, void *), void *);

#endif
