/*
 * session.c -- logging in, the idle lock, and logging out.
 *
 * The login screen shows the warning banner, then a PAM conversation.
 * What its end means is core's decision (core_login: an active operator,
 * no lock from recent failures, the entries and syslog); this file shows
 * the outcome: the console, the last-login message, or a refusal whose
 * reason the person at the terminal is not told.  Esc during a
 * fingerprint scan, or no reader, goes on to the password at once and
 * is no failed login.  The idle lock is session.lock; a logout is
 * core_session_logout (session.logout and a new epoch key).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "common.h"
#include "tui-int.h"

/* An entry the ledger did not take: say so loudly, on screen and in syslog. */
static void
session_unrecorded(struct tui *t, char *cause)
{
	char	*shown = vis_str(cause, 0);

	tui_status(t, 1, _("Could not record the login: %s"), cause);
	syslog(LOG_AUTHPRIV | LOG_ERR, "recording a session entry at %s: %s",
	    t->tty, shown);
	free(shown);
	free(cause);
}

static const char *default_banner =
    N_("This system is for authorised staff only. Every action is recorded\n"
    "in a signed ledger and reviewed by the auditors.\n"
    "許可された職員以外の利用を禁じます。すべての操作は記録されます。");

/* session.lock: the ledger must hear of it, or the screen says so. */
static void
session_record_lock(struct tui *t)
{
	struct core_actor	 who = { t->op, NULL };
	struct store_args	 a = { 0 };
	char			*cause = NULL;

	store_args_add(&a, "tty", t->tty);
	store_args_add(&a, "method", "idle");
	if (core_run(t->store, "session.lock", &who, &a, NULL, &cause) != 0)
		session_unrecorded(t, cause);
}

int
tui_login_locked(struct tui *t, char *err, size_t len)
{
	struct core_login_result	 r;
	char				*cause = NULL;

	memset(&r, 0, sizeof r);
	switch (core_login_locked(t->store, t->tty, t->config->login_attempts,
	    t->config->lockout_minutes, &r.until, &cause)) {
	case -1:
		snprintf(err, len, "%s", cause);
		free(cause);
		return 1;
	case 0:
		return 0;
	}
	r.outcome = CORE_LOGIN_LOCKED;
	tui_login_refusal(t, &r, err, len);
	return 1;
}

/*
 * What the person at the terminal is told of a refused login: the lock
 * and, for an approval, what is wrong with the approver; otherwise only
 * that it failed (the reason is in the ledger and syslog).
 */
const char *
tui_login_refusal(struct tui *t, const struct core_login_result *r,
    char *buf, size_t len)
{
	char		 when[WHEN_MAX];

	(void)t;
	switch (r->outcome) {
	case CORE_LOGIN_LOCKED:
		when_local((time_t)r->until, WHEN_SECONDS, when, sizeof when);
		snprintf(buf, len, _("Too many failed logins: the console "
		    "refuses logins until %s."), when);
		break;
	case CORE_LOGIN_SAME_PERSON:
		snprintf(buf, len, "%s", _("The approver must be someone "
		    "other than the operator."));
		break;
	case CORE_LOGIN_WRONG_ROLE:
		snprintf(buf, len, "%s", _("That operator does not hold the "
		    "approver role."));
		break;
	default:
		snprintf(buf, len, "%s", _("Authentication failed."));
		break;
	}
	return buf;
}

static void
session_show_history(struct tui *t, const struct core_session_history *h)
{
	char	 text[512], in[WHEN_MAX], out[WHEN_MAX];

	when_local_utc(h->last_login, WHEN_SECONDS, in, sizeof in);
	when_local_utc(h->last_logout, WHEN_SECONDS, out, sizeof out);
	snprintf(text, sizeof text, _("Welcome, %s.\n\nLast login:   %s\n"
	    "Last logout:  %s\nFailed logins since then: %d%s"), t->op,
	    in[0] ? in : _("never"), out[0] ? out : _("never"), h->failures,
	    h->failures > 0 ? _("\n\nIf these were not you, tell the "
	    "security administrator now.") : "");
	tui_message(t, _("Last login"), text);
}

/* The console's side of ending a session: PAM, dialogs, the screen. */
static void
session_end(struct tui *t)
{
	char	*cause = NULL;

	if (t->session != NULL) {
		if (auth_close(t->session, &cause) != 0) {
			char	*shown = vis_str(cause, 0);

			syslog(LOG_AUTHPRIV | LOG_WARNING, "closing the PAM "
			    "session of %s: %s", t->op, shown);
			free(shown);
			free(cause);
		}
		auth_free(t->session);
		t->session = NULL;
	}
	while (t->dialogs != NULL)
		tui_dialog_pop(t);
	if (t->screen != NULL && t->screen->close != NULL)
		t->screen->close(t, t->screen_data);
	t->screen = NULL;
	t->screen_data = NULL;
	t->op[0] = '\0';
	t->locked_op[0] = '\0';
	t->role = 0;
	t->state = TUI_S_LOGIN;
	t->login.user_fixed = 0;
	tui_authflow_reset(&t->login);
	t->login.service = t->config->pam_service;
}

/* End the session of t->op: entry and new epoch key (core), then PAM. */
void
tui_session_logout(struct tui *t, const char *why)
{
	char	*cause = NULL, op[sizeof t->op];

	/* A locked session's operator is in locked_op. */
	snprintf(op, sizeof op, "%s", t->state == TUI_S_LOCKED ?
	    t->locked_op : t->op);
	if (op[0] != '\0' && core_session_logout(t->store, t->tty, op, why,
	    &cause) != 0)
		session_unrecorded(t, cause);
	session_end(t);
}

void
tui_session_lock(struct tui *t)
{
	session_record_lock(t);
	while (t->dialogs != NULL)
		tui_dialog_pop(t);
	snprintf(t->locked_op, sizeof t->locked_op, "%s", t->op);
	t->state = TUI_S_LOCKED;
	tui_authflow_reset(&t->login);
	t->login.service = t->config->pam_service;
	snprintf(t->login.user, sizeof t->login.user, "%s", t->op);
	t->login.error[0] = '\0';
}

/* Nothing judged (Esc, no reader): the password at once, or the name. */
static void
session_not_tried(struct tui *t, struct tui_authflow *af)
{
	enum auth_result	 r = af->result.result;

	if (tui_authflow_fallback(t, af))
		return;
	tui_authflow_reset(af);
	af->service = t->config->pam_service;
	af->error[0] = '\0';
	if (r == AUTH_UNAVAIL)
		snprintf(af->error, sizeof af->error, "%s", _("The finger was "
		    "not read (no reader, none enrolled, or too slow)."));
}

/* The operator is in: the console's session starts, or resumes. */
static void
session_start(struct tui *t, struct tui_authflow *af,
    const struct core_login_result *r)
{
	char	*cause = NULL;

	if (r->outcome == CORE_LOGIN_RESUMED) {
		/* The same operator is back: keep the session they had. */
		if (auth_close(af->auth, &cause) != 0)
			free(cause);
		tui_authflow_reset(af);
		snprintf(t->op, sizeof t->op, "%s", r->user);
		t->locked_op[0] = '\0';
		t->role = r->role;
		t->state = TUI_S_MAIN;
		t->last_key = time(NULL);
		return;
	}
	if (t->state == TUI_S_LOCKED) {
		/* Another operator: core ended that session; now the screen. */
		struct auth	*keep = af->auth;

		af->auth = NULL;
		session_end(t);
		af->auth = keep;
	}
	t->session = af->auth;
	af->auth = NULL;
	tui_authflow_reset(af);
	af->service = t->config->pam_service;
	snprintf(t->op, sizeof t->op, "%s", r->user);
	t->role = r->role;
	t->state = TUI_S_MAIN;
	t->last_key = time(NULL);
	tui_screen_open(t, tui_screens[0]);
	session_show_history(t, &r->history);
}

/* The PAM conversation ended: core decides what it means. */
void
tui_session_done(struct tui *t)
{
	struct tui_authflow		*af = &t->login;
	struct core_login		 in;
	struct core_login_result	 r;
	char				 user[AUTH_USER_MAX], *cause = NULL;

	tui_authflow_login(t, af, CORE_LOGIN_CONSOLE, &in, user, sizeof user);
	in.operator = t->state == TUI_S_LOCKED ? t->locked_op : NULL;
	if (core_login(t->store, &in, &r, &cause) != 0) {
		session_unrecorded(t, cause);
		cause = NULL;
	}
	switch (r.outcome) {
	case CORE_LOGIN_OK:
	case CORE_LOGIN_RESUMED:
		session_start(t, af, &r);
		return;
	case CORE_LOGIN_NOT_TRIED:
		session_not_tried(t, af);
		return;
	default:
		if (af->result.result == AUTH_OK &&
		    auth_close(af->auth, &cause) != 0)
			free(cause);
		tui_authflow_reset(af);
		af->service = t->config->pam_service;
		tui_login_refusal(t, &r, af->error, sizeof af->error);
		return;
	}
}

int
tui_session_key(struct tui *t, const struct tui_key *k)
{
	struct tui_authflow	*af = &t->login;

	/* Enter on the user field starts PAM, unless failures lock us. */
	if (af->state == AF_USER && !k->fn && (k->ch == '\r' ||
	    k->ch == '\n') && tui_login_locked(t, af->error, sizeof af->error))
		return TUI_HANDLED;
	return tui_authflow_key(t, af, k);
}

void
tui_session_draw_login(struct tui *t)
{
	const char	*banner = t->config->banner != NULL ?
	    t->config->banner : _(default_banner);
	const char	*p, *nl;
	char		 line[256];
	int		 y = 2, x = 4, w = COLS - 8, lines = 0;

	if (t->state == TUI_S_LOCKED) {
		attrset(tui_style(TUI_ERROR) | A_BOLD);
		snprintf(line, sizeof line, _("%s's session is locked."),
		    t->locked_op);
		tui_text_put(stdscr, y, x, line, w, 0);
		attrset(tui_style(TUI_NORMAL));
		tui_text_put(stdscr, y + 1, x, _("Log in again to go on. "
		    "Another operator logging in ends that session."), w, 0);
		y += 3;
	} else {
		/* The warning banner, framed, before anything else. */
		for (p = banner; p != NULL && *p != '\0' && lines < 8;
		    p = nl != NULL ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			lines++;
		}
		attrset(tui_style(TUI_FRAME));
		mvhline(y, x, ACS_HLINE, w);
		mvaddstr(y, x + 2, " ");
		tui_text_put(stdscr, y, x + 3, _("Warning"),
		    tui_text_width(_("Warning")), 0);
		addstr(" ");
		attrset(tui_style(TUI_NORMAL) | A_BOLD);
		for (p = banner, lines = 0; p != NULL && *p != '\0' &&
		    lines < 8; p = nl != NULL ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			snprintf(line, sizeof line, "%.*s", nl != NULL ?
			    (int)(nl - p) : (int)strlen(p), p);
			tui_text_put(stdscr, y + 1 + lines++, x + 1, line,
			    w - 2, 0);
		}
		attrset(tui_style(TUI_FRAME));
		mvhline(y + 1 + lines, x, ACS_HLINE, w);
		attrset(tui_style(TUI_NORMAL));
		y += lines + 3;
	}
	tui_authflow_draw(&t->login, y, x, w);
	if (t->demo) {
		attrset(tui_style(TUI_DIM));
		tui_text_put(stdscr, LINES - 4, x, _("Demo: demo-admin, "
		    "demo-approver, demo-auditor; password \"demo\"."), w, 0);
		tui_text_put(stdscr, LINES - 3, x, _("Admin and approver have "
		    "a demo fingerprint: wait, or Esc for the password."), w,
		    0);
		attrset(tui_style(TUI_NORMAL));
	}
}
