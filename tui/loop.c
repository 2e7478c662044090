/*
 * loop.c -- the console's one input loop.
 *
 * This is the only caller of wget_wch().  Each turn draws the screen, the
 * dialogs over it and the status line, then waits in poll() for a key or
 * for a PAM child to speak, at most a quarter of a second so the clock,
 * countdowns and the idle lock move.  Keys go to the top dialog, then to
 * the console's own keys, then to the screen.  KEY_RESIZE is handled here
 * and nowhere else.  Signals only set a flag; the loop restores the
 * terminal on every way out, and fatal() does through its hook.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "tui-int.h"

#define TUI_TICK_MS	250
#define STATUS_SECONDS	8

static volatile sig_atomic_t tui_signalled;

static void
tui_on_signal(int sig)
{
	tui_signalled = sig;
}

static void
tui_fatal_hook(void)
{
	if (!isendwin())
		endwin();
}

/* The status line's text; owner is the dialog it goes with, or NULL. */
static void DAICHO_PRINTF(4, 0)
tui_status_set(struct tui *t, int error, struct tui_dialog *owner,
    const char *fmt, va_list ap)
{
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	t->status_error = error;
	t->status_time = time(NULL);
	t->status_for = owner;
}

void
tui_status(struct tui *t, int error, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tui_status_set(t, error, NULL, fmt, ap);
	va_end(ap);
}

void
tui_prompt(struct tui *t, int error, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tui_status_set(t, error, t->dialogs, fmt, ap);
	va_end(ap);
}

void
tui_dialog_push(struct tui *t, struct tui_dialog *d)
{
	d->below = t->dialogs;
	t->dialogs = d;
}

void
tui_dialog_pop(struct tui *t)
{
	struct tui_dialog	*d = t->dialogs;

	if (d == NULL)
		return;
	t->dialogs = d->below;
	/* Its prompt goes with it, whichever way it closed. */
	if (t->status_for == d) {
		t->status[0] = '\0';
		t->status_for = NULL;
	}
	if (d->free != NULL)
		d->free(d);
	free(d);
}

void
tui_screen_open(struct tui *t, const struct tui_screen *s)
{
	if (s->roles != 0 && !(s->roles & t->role)) {
		tui_refused(t);
		return;
	}
	if (t->screen != NULL && t->screen->close != NULL)
		t->screen->close(t, t->screen_data);
	t->screen = s;
	t->screen_data = s->open != NULL ? s->open(t) : NULL;
}

void
tui_frame(int h, int w, const char *title, int *y, int *x)
{
	int	 i;

	if (h > LINES)
		h = LINES;
	if (w > COLS)
		w = COLS;
	*y = (LINES - h) / 2;
	*x = (COLS - w) / 2;
	attrset(tui_style(TUI_FRAME));
	for (i = 0; i < h; i++)
		mvhline(*y + i, *x, ' ', w);
	mvhline(*y, *x + 1, ACS_HLINE, w - 2);
	mvhline(*y + h - 1, *x + 1, ACS_HLINE, w - 2);
	mvvline(*y + 1, *x, ACS_VLINE, h - 2);
	mvvline(*y + 1, *x + w - 1, ACS_VLINE, h - 2);
	mvaddch(*y, *x, ACS_ULCORNER);
	mvaddch(*y, *x + w - 1, ACS_URCORNER);
	mvaddch(*y + h - 1, *x, ACS_LLCORNER);
	mvaddch(*y + h - 1, *x + w - 1, ACS_LRCORNER);
	if (title != NULL) {
		int tw = tui_text_width(title);

		if (tw > w - 6)
			tw = w - 6;
		attrset(tui_style(TUI_FRAME) | A_BOLD);
		mvaddstr(*y, *x + 2, " ");
		tui_text_put(stdscr, *y, *x + 3, title, tw, 0);
		mvaddstr(*y, *x + 3 + tw, " ");
	}
	attrset(tui_style(TUI_NORMAL));
}

void
tui_progress(struct tui *t, const char *what, uint64_t done, uint64_t total)
{
	int	 y, x, w = 60, fill;
	char	 buf[64];

	(void)t;
	tui_frame(5, w, what, &y, &x);
	fill = total > 0 ? (int)((double)done / (double)total * (w - 4)) : 0;
	attrset(tui_style(TUI_CURSOR));
	mvhline(y + 2, x + 2, ' ', fill);
	attrset(tui_style(TUI_DIM));
	mvhline(y + 2, x + 2 + fill, ACS_CKBOARD, w - 4 - fill);
	attrset(tui_style(TUI_NORMAL));
	snprintf(buf, sizeof buf, "%llu / %llu", (unsigned long long)done,
	    (unsigned long long)total);
	mvaddstr(y + 3, x + (w - (int)strlen(buf)) / 2, buf);
	refresh();
}

/* Temporary passwords the targets made, to show once. */
struct reveal {
	struct tui	*t;
	char		*text;			/* sodium_malloc'd, or NULL */
	size_t		 len, size;
};

static void
tui_reveal(void *arg, const char *system, const char *login,
    const char *secret)
{
	struct reveal	*r = arg;
	char		 line[256];
	size_t		 n;
	char		*bigger;

	n = (size_t)snprintf(line, sizeof line, "  %s on %s:  %s\n", login,
	    system, secret);
	if (n >= sizeof line)
		n = sizeof line - 1;
	if (r->len + n + 1 > r->size) {
		if ((bigger = sodium_malloc(r->size + 4096)) == NULL)
			fatal("sodium_malloc");
		if (r->text != NULL)
			memcpy(bigger, r->text, r->len + 1);
		sodium_free(r->text);
		r->text = bigger;
		r->size += 4096;
	}
	memcpy(r->text + r->len, line, n + 1);
	r->len += n;
	sodium_memzero(line, sizeof line);
}

static void
tui_outbox_progress(void *arg, const char *system, size_t done, size_t all)
{
	struct reveal	*r = arg;
	char		 what[96];

	snprintf(what, sizeof what, _("Applying on %s"), system != NULL ?
	    system : _("every system"));
	tui_progress(r->t, what, done, all);
}

/*
 * Carry the last action's changes out to its systems now, a batch per
 * system with a progress bar (an action that queued nothing waits on no
 * system, not even one that is down); show created accounts' temporary
 * passwords once.  What fails stays in the outbox, is retried by the
 * timer, and shows on the dashboard.
 */
void
tui_outbox(struct tui *t)
{
	struct core_outbox_stats st;
	struct reveal		 r = { t, NULL, 0, 0 };
	char			*cause = NULL, *text;

	t->outbox_failed = 0;
	if (core_outbox_run_progress(t->store, t->last_index, tui_reveal,
	    tui_outbox_progress, &r, &st, &cause) != 0) {
		tui_status(t, 1, _("Target operations: %s"), cause);
		free(cause);
	} else if (st.failed > 0) {
		t->outbox_failed = st.failed;
		tui_status(t, 1, ngettext("%zu target operation failed; it "
		    "will be retried (see the dashboard).", "%zu target "
		    "operations failed; they will be retried (see the "
		    "dashboard).", PLURAL(st.failed)), st.failed);
	}
	if (r.text != NULL) {
		xasprintf(&text, "%s\n\n%s", _("Hand each person their "
		    "temporary password; it must be changed at first login.\n"
		    "It is not stored and will not be shown again."), r.text);
		tui_message(t, _("Temporary passwords"), text);
		sodium_memzero(text, strlen(text));
		free(text);
		sodium_free(r.text);
	}
}

int
tui_ledger_moved(struct tui *t, uint64_t *seen)
{
	uint64_t	 size;
	char		*cause = NULL;

	if (store_ledger_size(t->store, &size, &cause) != 0) {
		free(cause);
		return 0;
	}
	if (size == *seen)
		return 0;
	*seen = size;
	return 1;
}

/*
 * What a two-person action will do, for the approver: its summary from
 * the action table and every argument on a line of its own, whole, so it
 * cannot say other than it does.  Values are escaped (vis): a line feed
 * in one cannot make a line that looks like another argument.
 */
static char *
tui_action_what(const struct core_action *a, const struct store_args *args)
{
	char	*what, *tmp, *v;
	size_t	 i;

	xasprintf(&what, "%s (%s)", a->summary, a->name);
	for (i = 0; i < args->n; i++) {
		v = vis_str(args->v[i].value, 0);
		xasprintf(&tmp, "%s\n    %s: %s", what, args->v[i].name, v);
		free(v);
		free(what);
		what = tmp;
	}
	return what;
}

int
tui_run_action(struct tui *t, const char *action,
    const struct store_args *args, const char *approver)
{
	const struct core_action *a = core_action_find(action);
	struct core_actor	 who = { t->op, approver };
	char			*cause = NULL, *what;

	if (a != NULL && !(a->roles & t->role)) {
		tui_refused(t);
		return -1;
	}
	/* The action table says whether a second person is needed. */
	if (a != NULL && approver == NULL &&
	    core_needs_approver(t->store, action)) {
		what = tui_action_what(a, args);
		tui_approve(t, action, args, what);
		free(what);
		return 1;
	}
	if (core_run(t->store, action, &who, args, &t->last_index,
	    &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return -1;
	}
	if (a != NULL && (a->flags & CORE_TWO_PERSON) && approver == NULL)
		tui_status(t, 0, _("Done by one person: no approver exists "
		    "yet."));
	tui_outbox(t);
	return 0;
}

/*
 * The tab bar: the screens the operator may open, in Tab order, the one
 * shown marked [so] and highlighted.  Empty until someone logs in.  When
 * they do not all fit, the bar starts late enough for the one shown to
 * fit, and "<" or ">" says that more are before or after.
 */
static int
tui_tab_item(struct tui *t, const struct tui_screen *s, char *buf,
    size_t len)
{
	if (s->roles != 0 && !(s->roles & t->role))
		return 0;
	snprintf(buf, len, s == t->screen ? "[%s]" : " %s ", _(s->title));
	return tui_text_width(buf) + 1;
}

static void
tui_draw_tabs(struct tui *t)
{
	const struct tui_screen *const	*s, *const *first = tui_screens;
	char				 item[64];
	int				 x, w, room;

	attrset(tui_style(TUI_NORMAL));
	mvhline(1, 0, ' ', COLS);
	if (t->state != TUI_S_MAIN)
		return;
	/* The first tab such that the one shown fits after it. */
	for (;;) {
		for (s = first, room = 2; *s != NULL; s++) {
			room += tui_tab_item(t, *s, item, sizeof item);
			if (*s == t->screen)
				break;
		}
		if (*s == NULL || room <= COLS - 1 || first == s)
			break;
		first++;
	}
	x = 1;
	if (first != tui_screens) {
		attrset(tui_style(TUI_DIM));
		mvaddstr(1, 0, "<");
	}
	for (s = first; *s != NULL; s++) {
		if ((w = tui_tab_item(t, *s, item, sizeof item) - 1) < 0)
			continue;
		if (x + w > COLS - 1) {
			attrset(tui_style(TUI_DIM));
			mvaddstr(1, COLS - 1, ">");
			break;
		}
		attrset(tui_style(*s == t->screen ? TUI_CURSOR : TUI_DIM));
		tui_text_put(stdscr, 1, x, item, w, 0);
		x += w + 1;
	}
	attrset(tui_style(TUI_NORMAL));
}

int
tui_binding_ok(struct tui *t, const struct tui_binding *b)
{
	if (b->roles == 0)
		return 1;
	if (t->state == TUI_S_LOGIN)
		return (b->roles & TUI_AT_LOGIN) != 0;
	if (t->state == TUI_S_LOCKED)
		return (b->roles & TUI_AT_LOCK) != 0;
	return (b->roles & t->role) != 0;
}

void
tui_refused(struct tui *t)
{
	tui_status(t, 1, _("The %s role may not do this."),
	    _(core_role_name(t->role)));
}

int
tui_binding_run(struct tui *t, const struct tui_binding *table,
    const struct tui_key *k, void *arg)
{
	const struct tui_binding	*b;
	struct tui_key			 enter = { '\r', 0 };

	/* Enter is Enter, whichever way the terminal sends it. */
	if ((k->fn && k->ch == KEY_ENTER) || (!k->fn && k->ch == '\n'))
		k = &enter;
	for (b = table; b != NULL && b->run != NULL; b++) {
		if (b->ch != k->ch || b->fn != k->fn)
			continue;
		if (t->state != TUI_S_MAIN && !tui_binding_ok(t, b))
			continue;		/* another binding may have it */
		if (!tui_binding_ok(t, b)) {
			tui_refused(t);
			return TUI_HANDLED;
		}
		return b->run(t, arg) | TUI_HANDLED;
	}
	return TUI_IGNORED;
}

void
tui_keys_line(struct tui *t, const struct tui_binding *table, char *buf,
    size_t len)
{
	const struct tui_binding	*b;
	size_t				 off = 0;

	buf[0] = '\0';
	for (b = table; b != NULL && b->run != NULL && off < len; b++) {
		if (b->label == NULL || !tui_binding_ok(t, b))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s %s",
		    off > 0 ? "  " : "", b->label, _(b->help));
	}
}

/* The title bar: product, screen, operator, clock. */
static void
tui_draw_title(struct tui *t)
{
	char		 left[160], right[160], clock[WHEN_MAX], era[ERA_MAX];
	time_t		 now = time(NULL);
	struct tm	 tm;
	size_t		 used;

	when_local(now, WHEN_SECONDS, clock, sizeof clock);
	snprintf(left, sizeof left, " daicho 台帳 — %s%s",
	    t->state == TUI_S_MAIN && t->screen != NULL ?
	    _(t->screen->title) : t->state == TUI_S_LOCKED ? _("Locked") :
	    _("Login"), t->demo ? _("  [demo]") : "");
	if (t->state == TUI_S_MAIN)
		snprintf(right, sizeof right, "%s (%s)  %s ", t->op,
		    _(core_role_name(t->role)), clock);
	else
		snprintf(right, sizeof right, "%s ", clock);
	/* Today in the era (令和8年12月6日), as a municipal document dates
	 * itself, after the title when the bar has room for it. */
	if (localtime_r(&now, &tm) != NULL && era_format(era, sizeof era,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) == 0 &&
	    tui_text_width(left) + tui_text_width(era) + 4 +
	    tui_text_width(right) <= COLS) {
		used = strlen(left);
		snprintf(left + used, sizeof left - used, "  %s", era);
	}
	attrset(tui_style(TUI_TITLE));
	mvhline(0, 0, ' ', COLS);
	tui_text_put(stdscr, 0, 0, left, COLS - tui_text_width(right), 0);
	tui_text_put(stdscr, 0, COLS - tui_text_width(right), right,
	    tui_text_width(right), 0);
	attrset(tui_style(TUI_NORMAL));
}

/* One key of the key bar at *x, if it fits before column limit. */
static void
tui_draw_key(const char *label, const char *help, int *x, int limit)
{
	char	 item[96];
	int	 w, lw = tui_text_width(label);

	snprintf(item, sizeof item, "%s %s ", label, help);
	w = tui_text_width(item);
	if (*x + w > limit)
		return;
	attrset(tui_style(TUI_TITLE) | A_BOLD);
	tui_text_put(stdscr, LINES - 2, *x, label, lw, 0);
	attrset(tui_style(TUI_TITLE));
	tui_text_put(stdscr, LINES - 2, *x + lw + 1, help, w - lw - 1, 0);
	*x += w + 1;
}

/*
 * The key bar: the screen's keys, the console's and the screens' own
 * F-keys, from the same tables the keys dispatch from, so it cannot drift
 * from what they do.
 */
static void
tui_draw_keys(struct tui *t)
{
	const struct tui_binding	*tables[2], *b;
	const struct tui_screen *const	*s;
	char				 label[16];
	int				 i, x = 0, room;

	/*
	 * The screen's own keys first: they are what a person came for; but
	 * they leave room for F1, the first of the console's keys, which
	 * lists every key (long Japanese labels would push it off).
	 */
	b = &tui_global_keys[0];
	room = COLS - tui_text_width(b->label) - tui_text_width(_(b->help)) -
	    3;
	tables[0] = t->state == TUI_S_MAIN && t->screen != NULL ?
	    t->screen->keys : NULL;
	tables[1] = tui_global_keys;
	attrset(tui_style(TUI_TITLE));
	mvhline(LINES - 2, 0, ' ', COLS);
	for (i = 0; i < 2; i++) {
		for (b = tables[i]; b != NULL && b->run != NULL; b++) {
			if (b->label == NULL || !tui_binding_ok(t, b))
				continue;
			tui_draw_key(b->label, _(b->help), &x,
			    i == 0 ? room : COLS);
		}
	}
	for (s = tui_screens; t->state == TUI_S_MAIN && *s != NULL; s++) {
		if ((*s)->fkey == 0 || ((*s)->roles != 0 &&
		    !((*s)->roles & t->role)))
			continue;
		tui_screen_fkey(*s, label, sizeof label);
		tui_draw_key(label, _((*s)->title), &x, COLS);
	}
	attrset(tui_style(TUI_NORMAL));
}

/*
 * The status line; a message longer than the terminal is wide wraps
 * upwards over the key bar (at most 3 lines), so a refusal's advice,
 * which comes last, is never cut.
 */
static void
tui_draw_status(struct tui *t)
{
	const char	*p = t->status;
	size_t		 len = strlen(p), fit[3];
	int		 n = 0, i;

	while (len > 0 && n < 3) {
		fit[n] = tui_text_fit(p, len, COLS);
		if (fit[n] == 0)
			break;
		/* Break after a space when there is one. */
		if (fit[n] < len && n < 2) {
			size_t	 sp = fit[n];

			while (sp > 0 && p[sp - 1] != ' ')
				sp--;
			if (sp > 0)
				fit[n] = sp;
		}
		p += fit[n];
		len -= fit[n];
		n++;
	}
	if (len > 0 && n > 0)
		fit[n - 1] += len;	/* the last line is cut, as before */
	attrset(tui_style(t->status_error ? TUI_ERROR : TUI_NORMAL));
	for (i = 0, p = t->status; i < n; p += fit[i], i++) {
		char	line[sizeof t->status];

		snprintf(line, sizeof line, "%.*s", (int)fit[i], p);
		move(LINES - n + i, 0);
		clrtoeol();
		tui_text_put(stdscr, LINES - n + i, 0, line, COLS, 0);
	}
	attrset(tui_style(TUI_NORMAL));
}

static void
tui_draw(struct tui *t)
{
	struct tui_dialog	*stack[16], *d;
	int			 n = 0;

	erase();
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		/* A person must still be told what is wrong, and how. */
		mvaddstr(0, 0, "daicho");
		mvprintw(1, 0, _("The terminal is %dx%d;"), COLS, LINES);
		mvprintw(2, 0, _("daicho needs at least %dx%d."),
		    TUI_MIN_COLS, TUI_MIN_LINES);
		refresh();
		return;
	}
	tui_draw_title(t);
	tui_draw_tabs(t);
	if (t->state == TUI_S_MAIN && t->screen != NULL)
		t->screen->draw(t, t->screen_data, LINES - 2 - TUI_BODY_Y,
		    COLS);
	else
		tui_session_draw_login(t);
	for (d = t->dialogs; d != NULL && n < 16; d = d->below)
		stack[n++] = d;
	while (n-- > 0)
		stack[n]->draw(t, stack[n]);
	tui_draw_keys(t);
	if (t->status[0] != '\0')
		tui_draw_status(t);
	refresh();
}

/* The console's own keys, then the screen table's keys. */
static int
tui_global_key(struct tui *t, const struct tui_key *k)
{
	const struct tui_screen *const	*s;
	int				 r;

	if ((r = tui_binding_run(t, tui_global_keys, k, NULL)) != TUI_IGNORED)
		return r;
	if (t->state != TUI_S_MAIN || !k->fn)
		return TUI_IGNORED;
	for (s = tui_screens; *s != NULL; s++) {
		if ((*s)->fkey != 0 && (*s)->fkey == k->ch) {
			tui_screen_open(t, *s);
			return TUI_HANDLED | TUI_REDRAW;
		}
	}
	return TUI_IGNORED;
}

/* A screen's keys from its table, then its own handler. */
static int
tui_screen_key(struct tui *t, const struct tui_key *k)
{
	int	 r;

	if (t->screen == NULL)
		return TUI_IGNORED;
	r = tui_binding_run(t, t->screen->keys, k, t->screen_data);
	if (r != TUI_IGNORED)
		return r;
	if (t->screen->key != NULL)
		return t->screen->key(t, t->screen_data, k);
	return TUI_IGNORED;
}

static void
tui_key(struct tui *t, const struct tui_key *k)
{
	int	 r;

	t->last_key = time(NULL);
	if (t->status[0] != '\0' && !t->status_error && t->status_for == NULL)
		t->status[0] = '\0';
	if (t->dialogs != NULL) {
		r = t->dialogs->key(t, t->dialogs, k);
		if (r & TUI_CLOSE)
			tui_dialog_pop(t);
		if (r != TUI_IGNORED)
			return;
		/* An open dialog is modal: only the help key passes. */
		if (!(k->fn && k->ch == KEY_F(1)))
			return;
	}
	if (tui_global_key(t, k) != TUI_IGNORED)
		return;
	if (t->state == TUI_S_MAIN)
		tui_screen_key(t, k);
	else
		tui_session_key(t, k);
}

/* Descriptors with something for us besides the keyboard. */
static int
tui_fds(struct tui *t, struct pollfd *pfd, int max)
{
	struct tui_dialog	*d;
	int			 n = 1, fd;

	pfd[0].fd = STDIN_FILENO;
	pfd[0].events = POLLIN;
	if (t->state != TUI_S_MAIN &&
	    (fd = tui_authflow_fd(&t->login)) != -1 && n < max) {
		pfd[n].fd = fd;
		pfd[n++].events = POLLIN;
	}
	for (d = t->dialogs; d != NULL; d = d->below) {
		if (d->fd != NULL && (fd = d->fd(d)) != -1 && n < max) {
			pfd[n].fd = fd;
			pfd[n++].events = POLLIN;
		}
	}
	return n;
}

static void
tui_poll_others(struct tui *t)
{
	struct tui_dialog	*d;

	if (t->state != TUI_S_MAIN && tui_authflow_poll(t, &t->login) == 1)
		tui_session_done(t);
	for (d = t->dialogs; d != NULL; d = d->below) {
		if (d->poll != NULL && d->poll(t, d) & TUI_CLOSE) {
			/* Only the top dialog closes itself from a poll. */
			if (d == t->dialogs)
				tui_dialog_pop(t);
			break;
		}
	}
	if (t->state == TUI_S_MAIN && t->config->idle_seconds > 0 &&
	    time(NULL) - t->last_key >= (time_t)t->config->idle_seconds)
		tui_session_lock(t);
	if (t->status[0] != '\0' && t->status_for == NULL &&
	    time(NULL) - t->status_time > STATUS_SECONDS)
		t->status[0] = '\0';
}

int
tui_main(struct store *store, struct core_config *config, const char *dir,
    int demo)
{
	struct tui		 t;
	struct tui_key		 k;
	struct pollfd		 pfd[8];
	struct sigaction	 sa;
	wint_t			 ch;
	int			 r, n;
	const char		*tty;

	memset(&t, 0, sizeof t);
	t.store = store;
	t.config = config;
	t.dir = dir;
	t.demo = demo;
	tty = ttyname(STDIN_FILENO);
	snprintf(t.tty, sizeof t.tty, "%s", tty != NULL ? tty : "console");

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fatal_set_hook(tui_fatal_hook);

	if (initscr() == NULL)
		fatalx("cannot initialise the terminal");
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	tui_colour_init();

	tui_authflow_init(&t.login, config->pam_service,
	    AUTH_SESSION | AUTH_CHAUTHTOK, config->module_timeout, NULL);
	t.last_key = time(NULL);

	while (!t.quit && !tui_signalled) {
		tui_draw(&t);
		n = tui_fds(&t, pfd, 8);
		if (poll(pfd, (nfds_t)n, TUI_TICK_MS) == -1 && errno != EINTR)
			break;
		while ((r = wget_wch(stdscr, &ch)) != ERR) {
			if (r == KEY_CODE_YES && ch == KEY_RESIZE)
				continue;	/* the next draw uses the new size */
			k.ch = ch;
			k.fn = r == KEY_CODE_YES;
			tui_key(&t, &k);
			if (t.quit)
				break;
		}
		tui_poll_others(&t);
	}

	/* Leaving, by key or by signal: end the session as a logout. */
	if (t.state != TUI_S_LOGIN)
		tui_session_logout(&t, tui_signalled ? "signal" : "quit");
	while (t.dialogs != NULL)
		tui_dialog_pop(&t);
	if (t.screen != NULL && t.screen->close != NULL)
		t.screen->close(&t, t.screen_data);
	tui_authflow_reset(&t.login);
	endwin();
	fatal_set_hook(NULL);
	return tui_signalled ? 128 + tui_signalled : 0;
}
