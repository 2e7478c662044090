/*
 * authflow.c -- a PAM conversation shown in the console.
 *
 * The login screen, the idle lock and the two-person dialog all show the
 * same thing: a user field, then whatever the PAM stack asks (a masked
 * field for ECHO_OFF, a text field for ECHO_ON), the messages it sends as
 * they arrive (a fingerprint reader's "swipe your finger"), a countdown
 * while a module works, and Esc to give up.  The answer being typed is a
 * secret: it lives in sodium_malloc'd memory and is wiped once sent.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common.h"
#include "tui-int.h"

void
tui_authflow_init(struct tui_authflow *af, const char *service, int flags,
    int timeout, const char *user)
{
	memset(af, 0, sizeof *af);
	af->service = service;
	af->flags = flags;
	af->timeout = timeout;
	if ((af->answer = sodium_malloc(AUTH_TEXT_MAX)) == NULL)
		fatal("sodium_malloc");
	sodium_memzero(af->answer, AUTH_TEXT_MAX);
	if (user != NULL) {
		snprintf(af->user, sizeof af->user, "%s", user);
		af->user_fixed = 1;
	}
	af->state = AF_USER;
}

/* Back to an empty user field (or the fixed user); ends a transaction. */
void
tui_authflow_reset(struct tui_authflow *af)
{
	auth_free(af->auth);
	af->auth = NULL;
	if (af->answer != NULL)
		sodium_memzero(af->answer, AUTH_TEXT_MAX);
	af->answerlen = 0;
	if (!af->user_fixed)
		af->user[0] = '\0';
	af->prompt[0] = '\0';
	af->ninfo = 0;
	af->seconds_left = 0;
	af->esc_prompt = 0;
	af->state = AF_USER;
	memset(&af->result, 0, sizeof af->result);
}


int
tui_authflow_fd(struct tui_authflow *af)
{
	return af->auth != NULL ? auth_fd(af->auth) : -1;
}

static void
authflow_info(struct tui_authflow *af, const char *text)
{
	if (af->ninfo == 3) {
		memmove(af->info[0], af->info[1], sizeof af->info[0]);
		memmove(af->info[1], af->info[2], sizeof af->info[0]);
		af->ninfo = 2;
	}
	snprintf(af->info[af->ninfo++], sizeof af->info[0], "%s", text);
}

void
tui_authflow_start(struct tui *t, struct tui_authflow *af)
{
	struct auth_opts	 o;
	char			*cause = NULL;

	memset(&o, 0, sizeof o);
	o.service = af->service;
	o.user = af->user;
	o.tty = t->tty;
	o.flags = af->flags;
	o.module_timeout = af->timeout;
	af->error[0] = '\0';
	af->ninfo = 0;
	if ((af->auth = auth_start(&o, &cause)) == NULL) {
		snprintf(af->error, sizeof af->error, "%s", cause);
		free(cause);
		af->result.kind = AUTH_EV_RESULT;
		af->result.result = AUTH_FAILURE;
		af->state = AF_DONE;
		return;
	}
	af->state = AF_RUNNING;
}

static int
is_backspace(const struct tui_key *k)
{
	return (k->fn && k->ch == KEY_BACKSPACE) ||
	    (!k->fn && (k->ch == 127 || k->ch == 8));
}

static int
is_enter(const struct tui_key *k)
{
	return (k->fn && k->ch == KEY_ENTER) ||
	    (!k->fn && (k->ch == '\r' || k->ch == '\n'));
}

int
tui_authflow_key(struct tui *t, struct tui_authflow *af,
    const struct tui_key *k)
{
	size_t	 len;
	char	*cause = NULL;

	switch (af->state) {
	case AF_USER:
		if (af->user_fixed) {
			if (is_enter(k))
				tui_authflow_start(t, af);
			return is_enter(k) ? TUI_HANDLED : TUI_IGNORED;
		}
		len = strlen(af->user);
		if (is_enter(k)) {
			if (!core_login_name_ok(af->user)) {
				snprintf(af->error, sizeof af->error, "%s",
				    _("That is not a valid user name."));
				return TUI_HANDLED;
			}
			tui_authflow_start(t, af);
			return TUI_HANDLED;
		}
		if (is_backspace(k)) {
			tui_edit_backspace(af->user, &len);
			return TUI_HANDLED;
		}
		if (!k->fn && k->ch == 21) {	/* ^U */
			af->user[0] = '\0';
			return TUI_HANDLED;
		}
		if (!k->fn && k->ch == TUI_ESC) {
			af->user[0] = '\0';
			af->error[0] = '\0';
			return TUI_HANDLED;
		}
		/* Login names are at most 32 bytes. */
		return tui_edit_type(af->user, &len, 33, k) ? TUI_HANDLED :
		    TUI_IGNORED;
	case AF_PROMPT:
		if (is_enter(k)) {
			af->state = AF_RUNNING;
			af->prompt[0] = '\0';
			if (auth_answer(af->auth, af->answer, &cause) != 0) {
				snprintf(af->error, sizeof af->error, "%s",
				    cause);
				free(cause);
			}
			sodium_memzero(af->answer, AUTH_TEXT_MAX);
			af->answerlen = 0;
			return TUI_HANDLED;
		}
		if (is_backspace(k)) {
			tui_edit_backspace(af->answer, &af->answerlen);
			return TUI_HANDLED;
		}
		if (!k->fn && k->ch == 21) {
			sodium_memzero(af->answer, AUTH_TEXT_MAX);
			af->answerlen = 0;
			return TUI_HANDLED;
		}
		if (!k->fn && k->ch == TUI_ESC) {
			/* At a prompt Esc gives up, back to the name. */
			af->esc_prompt = 1;
			auth_cancel(af->auth);
			return TUI_HANDLED;
		}
		return tui_edit_type(af->answer, &af->answerlen,
		    AUTH_TEXT_MAX, k) ? TUI_HANDLED : TUI_IGNORED;
	case AF_RUNNING:
		if (!k->fn && k->ch == TUI_ESC) {
			auth_cancel(af->auth);
			return TUI_HANDLED;
		}
		return TUI_HANDLED;	/* typing ahead of a prompt is lost */
	}
	return TUI_IGNORED;
}

/* Events from the PAM child.  Returns 1 when the conversation ended. */
int
tui_authflow_poll(struct tui *t, struct tui_authflow *af)
{
	struct auth_event	 ev;
	char			*cause = NULL;
	int			 r;

	(void)t;
	if (af->auth == NULL || af->state == AF_DONE)
		return 0;
	while ((r = auth_read(af->auth, &ev, &cause)) == 1) {
		switch (ev.kind) {
		case AUTH_EV_PROMPT_OFF:
		case AUTH_EV_PROMPT_ON:
			snprintf(af->prompt, sizeof af->prompt, "%s", ev.text);
			af->echo = ev.kind == AUTH_EV_PROMPT_ON;
			af->seconds_left = 0;
			af->state = AF_PROMPT;
			break;
		case AUTH_EV_INFO:
			authflow_info(af, ev.text);
			break;
		case AUTH_EV_ERROR:
			snprintf(af->error, sizeof af->error, "%s", ev.text);
			break;
		case AUTH_EV_WAITING:
			af->seconds_left = ev.seconds_left;
			break;
		case AUTH_EV_RESULT:
			af->result = ev;
			af->state = AF_DONE;
			af->seconds_left = 0;
			return 1;
		case AUTH_EV_CLOSED:
			break;
		}
	}
	if (r == -1) {
		snprintf(af->error, sizeof af->error, "%s", cause);
		free(cause);
		af->result.kind = AUTH_EV_RESULT;
		af->result.result = AUTH_FAILURE;
		af->state = AF_DONE;
		return 1;
	}
	return 0;
}

void
tui_authflow_draw(struct tui_authflow *af, int y, int x, int w)
{
	char	 stars[AUTH_TEXT_MAX];
	int	 i, n, lw = 12;

	attrset(tui_style(TUI_NORMAL));
	tui_text_put(stdscr, y, x, _("User:"), lw, 0);
	attrset(tui_style(af->state == AF_USER ? TUI_CURSOR : TUI_NORMAL));
	tui_text_put(stdscr, y, x + lw, af->user, w - lw, 0);
	attrset(tui_style(TUI_NORMAL));
	if (af->state == AF_PROMPT) {
		tui_text_put(stdscr, y + 2, x, af->prompt, w, 0);
		if (af->echo)
			snprintf(stars, sizeof stars, "%s", af->answer);
		else {
			/* One star a character typed, never the text. */
			for (i = n = 0; af->answer[i] != '\0' &&
			    n < (int)sizeof stars - 1; i++) {
				if (((unsigned char)af->answer[i] & 0xc0) !=
				    0x80)
					stars[n++] = '*';
			}
			stars[n] = '\0';
		}
		attrset(tui_style(TUI_CURSOR));
		tui_text_put(stdscr, y + 3, x + lw, stars, w - lw, 0);
		attrset(tui_style(TUI_NORMAL));
	}
	for (i = 0; i < af->ninfo; i++)
		tui_text_put(stdscr, y + 5 + i, x, af->info[i], w, 0);
	if (af->state == AF_RUNNING && af->seconds_left > 0) {
		char	 buf[128];

		snprintf(buf, sizeof buf, _("Waiting: %d s left (Esc to "
		    "cancel)"), af->seconds_left);
		attrset(tui_style(TUI_DIM));
		tui_text_put(stdscr, y + 8, x, buf, w, 0);
	}
	if (af->error[0] != '\0') {
		attrset(tui_style(TUI_ERROR));
		tui_text_put(stdscr, y + 9, x, af->error, w, 0);
	}
	attrset(tui_style(TUI_NORMAL));
}

/*
 * The conversation ended without judging anything: Esc while a module
 * worked (a fingerprint scan), or no reader or no enrolled print.  Unless
 * the configuration needs the fingerprint too, or this was the password
 * service already, start the password-only service at once for the same
 * user.  1 when it did; 0 leaves af as it was.
 */
int
tui_authflow_fallback(struct tui *t, struct tui_authflow *af)
{
	const char	*fallback = t->config->pam_fallback_service;
	char		 user[sizeof af->user];

	if (t->config->factors == CORE_FACTORS_BOTH)
		return 0;	/* a password alone is not enough */
	if (af->state != AF_DONE || (af->result.result != AUTH_UNAVAIL &&
	    (af->result.result != AUTH_CANCELLED || af->esc_prompt)) ||
	    af->service == NULL || strcmp(af->service, fallback) == 0)
		return 0;
	snprintf(user, sizeof user, "%s", af->user);
	tui_authflow_reset(af);
	snprintf(af->user, sizeof af->user, "%s", user);
	af->service = fallback;
	tui_authflow_start(t, af);
	if (af->state == AF_RUNNING)
		snprintf(af->error, sizeof af->error, "%s",
		    _("Fingerprint not used: log in with your password."));
	return 1;
}

/*
 * What core_login needs to hear of the conversation that just ended: the
 * terminal, who (PAM's user on success, else the name typed, copied to
 * user), and auth's result as a failed attempt or not.  The caller fills
 * in the rest for its purpose.
 */
void
tui_authflow_login(struct tui *t, struct tui_authflow *af,
    enum core_login_purpose purpose, struct core_login *in, char *user,
    size_t len)
{
	enum auth_result	 r = af->result.result;

	snprintf(user, len, "%s", r == AUTH_OK && af->result.user[0] != '\0' ?
	    af->result.user : af->user);
	memset(in, 0, sizeof *in);
	in->purpose = purpose;
	in->tty = t->tty;
	in->claimed = user;
	in->auth = r == AUTH_OK ? CORE_AUTH_OK : auth_result_failed(r) ?
	    CORE_AUTH_REFUSED : CORE_AUTH_NONE;
	in->reason = auth_result_string(r);
	in->method = af->service;
	in->attempts = t->config->login_attempts;
	in->minutes = t->config->lockout_minutes;
}

/* For dialogs that own an authflow: free it with them. */
void
tui_authflow_free(struct tui_authflow *af)
{
	tui_authflow_reset(af);
	if (af->answer != NULL)
		sodium_free(af->answer);
	af->answer = NULL;
}
