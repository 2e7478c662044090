/*
 * session.c -- logging in, the idle lock, and logging out.
 *
 * The login screen shows the warning banner, then a PAM conversation.
 * A PAM success is not yet a login: the PAM user must be an active daicho
 * operator, and the console must not be locked by recent failures.  Every
 * outcome is a ledger entry: session.login, session.failure (with the
 * reason, which the person at the terminal is not shown), session.lock,
 * session.unlock and session.logout; a logout also rotates the epoch key.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "common.h"
#include "tui-int.h"

static const char *default_banner =
    N_("This system is for authorised staff only. Every action is recorded\n"
    "in a signed ledger and reviewed by the auditors.\n"
    "許可された職員以外の利用を禁じます。すべての操作は記録されます。");

static void
session_record(struct tui *t, const char *action, const char *op,
    const char *user, const char *detail)
{
	struct core_actor	 who = { op, NULL };
	struct store_args	 a = { 0 };
	char			*cause = NULL;

	store_args_add(&a, "tty", t->tty);
	if (detail != NULL)
		store_args_add(&a, "method", detail);
	if ((strcmp(action, "session.failure") == 0 ?
	    core_session_failure(t->store, t->tty, user, detail, &cause) :
	    core_run(t->store, action, &who, &a, NULL, &cause)) != 0) {
		/* The ledger must hear of it; if it cannot, say so loudly. */
		tui_status(t, 1, _("Could not record %s: %s"), action, cause);
		syslog(LOG_AUTHPRIV | LOG_ERR, "daicho: recording %s: %s",
		    action, cause);
		free(cause);
	}
}

/* Whether failed logins lock the console now; fills the login error. */
static int
session_locked_out(struct tui *t)
{
	int64_t		 until;
	char		*cause = NULL, when[WHEN_MAX];
	int		 r;

	r = core_console_locked(t->store, t->tty, t->config->login_attempts,
	    t->config->lockout_minutes, &until, &cause);
	if (r == -1) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return 1;
	}
	if (r == 0 || until <= (int64_t)time(NULL))
		return 0;
	when_local((time_t)until, WHEN_SECONDS, when, sizeof when);
	snprintf(t->login.error, sizeof t->login.error,
	    _("Too many failed logins: the console refuses logins until %s."),
	    when);
	return 1;
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

/* End the session of t->op: entry, PAM close, new epoch key. */
void
tui_session_logout(struct tui *t, const char *why)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	char			*cause = NULL, op[sizeof t->op];

	/* A locked session's operator is in locked_op. */
	snprintf(op, sizeof op, "%s", t->state == TUI_S_LOCKED ?
	    t->locked_op : t->op);
	if (op[0] != '\0')
		session_record(t, "session.logout", op, op, why);
	if (t->session != NULL) {
		if (auth_close(t->session, &cause) != 0) {
			syslog(LOG_AUTHPRIV | LOG_WARNING, "daicho: closing "
			    "the PAM session of %s: %s", op, cause);
			free(cause);
			cause = NULL;
		}
		auth_free(t->session);
		t->session = NULL;
	}
	/* Forward security: the next operator signs with a new key. */
	if (core_rotate(t->store, &sys, &cause) != 0) {
		tui_status(t, 1, _("Could not rotate the ledger key: %s"),
		    cause);
		free(cause);
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

void
tui_session_lock(struct tui *t)
{
	session_record(t, "session.lock", t->op, t->op, "idle");
	while (t->dialogs != NULL)
		tui_dialog_pop(t);
	snprintf(t->locked_op, sizeof t->locked_op, "%s", t->op);
	t->state = TUI_S_LOCKED;
	tui_authflow_reset(&t->login);
	t->login.service = t->config->pam_service;
	snprintf(t->login.user, sizeof t->login.user, "%s", t->op);
	t->login.error[0] = '\0';
}

/* The PAM conversation ended: decide what it means. */
void
tui_session_done(struct tui *t)
{
	struct tui_authflow		*af = &t->login;
	struct core_session_history	 h;
	struct auth_event		 result = af->result;
	const struct auth_event		*res = &result;	/* reset clears af's */
	const char			*src;
	size_t				 n;
	char				 user[AUTH_USER_MAX], *cause = NULL;
	int				 role;

	/* Who: PAM's user after a success, else the name typed. */
	src = res->result == AUTH_OK && res->user[0] != '\0' ? res->user :
	    af->user;
	n = strnlen(src, sizeof user - 1);
	memcpy(user, src, n);
	user[n] = '\0';
	if (res->result != AUTH_OK) {
		session_record(t, "session.failure", STORE_SYSTEM_ACTOR, user,
		    auth_result_string(res->result));
		syslog(LOG_AUTHPRIV | LOG_NOTICE, "daicho: login of %s on %s "
		    "failed: %s", core_failure_user(t->store, user), t->tty,
		    auth_result_string(res->result));
		tui_authflow_reset(af);
		if (res->result == AUTH_UNAVAIL ||
		    res->result == AUTH_CANCELLED) {
			/* No reader, or Esc during the scan: the password. */
			af->service = t->config->pam_fallback_service;
			snprintf(af->user, sizeof af->user, "%s", user);
			snprintf(af->error, sizeof af->error, "%s",
			    _("Fingerprint not used: log in with your "
			    "password."));
		} else
			snprintf(af->error, sizeof af->error, "%s",
			    _("Authentication failed."));
		session_locked_out(t);
		return;
	}

	role = core_operator_role(t->store, user, &cause);
	if (role <= 0) {
		session_record(t, "session.failure", STORE_SYSTEM_ACTOR, user,
		    role == 0 ? "not an operator" : "database error");
		syslog(LOG_AUTHPRIV | LOG_NOTICE, "daicho: %s authenticated "
		    "on %s but is not an active operator", user, t->tty);
		free(cause);
		if (auth_close(af->auth, &cause) != 0)
			free(cause);
		tui_authflow_reset(af);
		snprintf(af->error, sizeof af->error, "%s",
		    _("Authentication failed."));
		return;
	}

	if (t->state == TUI_S_LOCKED && strcmp(user, t->locked_op) == 0) {
		/* The same operator is back: keep the session they had. */
		if (auth_close(af->auth, &cause) != 0)
			free(cause);
		tui_authflow_reset(af);
		snprintf(t->op, sizeof t->op, "%s", user);
		t->locked_op[0] = '\0';
		t->role = role;
		t->state = TUI_S_MAIN;
		session_record(t, "session.unlock", t->op, t->op, NULL);
		t->last_key = time(NULL);
		return;
	}
	if (t->state == TUI_S_LOCKED) {
		/* Another operator: the locked session ends first. */
		struct auth	*keep = af->auth;

		af->auth = NULL;
		tui_session_logout(t, "replaced");
		af->auth = keep;
	}

	if (core_session_history(t->store, user, &h, &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		memset(&h, 0, sizeof h);
	}
	t->session = af->auth;
	af->auth = NULL;
	tui_authflow_reset(af);
	snprintf(t->op, sizeof t->op, "%s", user);
	t->role = role;
	t->state = TUI_S_MAIN;
	t->last_key = time(NULL);
	session_record(t, "session.login", t->op, t->op,
	    strcmp(af->service, t->config->pam_service) == 0 ?
	    af->service : t->config->pam_fallback_service);
	af->service = t->config->pam_service;
	tui_screen_open(t, tui_screens[0]);
	session_show_history(t, &h);
}

int
tui_session_key(struct tui *t, const struct tui_key *k)
{
	struct tui_authflow	*af = &t->login;

	/* Enter on the user field starts PAM, unless failures lock us. */
	if (af->state == AF_USER && !k->fn && (k->ch == '\r' ||
	    k->ch == '\n') && session_locked_out(t))
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
