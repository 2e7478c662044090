/*
 * cli-auth.c -- who is acting, for the commands that change state: the
 * operator authenticated through PAM, and for a two-person action the
 * second person, authenticated the same way on the same terminal.
 *
 * Prompts go to the terminal, or with --askpass-fd N the answers are read
 * from descriptor N, one a line (the approver's follow the operator's),
 * for scripts and tests.  What PAM's answer means is core_login's
 * decision, as at the console: the failed-login lock of the terminal,
 * the role, someone other than the operator for an approval, the
 * session.failure entries and syslog.  A command's success is recorded
 * by its own entry.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "auth.h"
#include "cli.h"

static const char *
cli_auth_tty(void)
{
	const char	*tty = ttyname(STDIN_FILENO);

	return tty != NULL ? tty : "cli";
}

/* What the person at the terminal is told of a refusal; no reason. */
static void
cli_auth_refused(const char *user, const struct core_login_result *r)
{
	char		 when[32];
	time_t		 u;
	struct tm	 tm;

	switch (r->outcome) {
	case CORE_LOGIN_LOCKED:
		u = (time_t)r->until;
		localtime_r(&u, &tm);
		strftime(when, sizeof when, "%H:%M:%S", &tm);
		cli_error(_("too many failed logins at %s: refused until %s"),
		    cli_auth_tty(), when);
		break;
	case CORE_LOGIN_NOT_OPERATOR:
		cli_error(_("%s: not an active daicho operator"), user);
		break;
	case CORE_LOGIN_WRONG_ROLE:
		cli_error(_("%s: does not hold the role this needs"), user);
		break;
	case CORE_LOGIN_SAME_PERSON:
		cli_error(_("the approver must be someone other than the "
		    "operator"));
		break;
	default:
		cli_error(_("%s: authentication failed"), user);
		break;
	}
}

/*
 * Authenticate user and hand the result to core_login, which records
 * and logs it as at the console: the failed-login lock of this terminal
 * first, then PAM, then the role (and for an approval, someone other
 * than the operator).  With no store (init) only PAM is asked.
 */
static int
cli_auth_as(struct store *s, const char *user, int askpass,
    struct core_login *in)
{
	struct core_config		 config;
	struct core_login_result	 r;
	struct auth_opts		 o;
	enum auth_result		 ar;
	char				*cause = NULL;

	if (core_config_load(cli_config(), 0, &config, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return -1;
	}
	in->tty = cli_auth_tty();
	in->claimed = user;
	in->attempts = config.login_attempts;
	in->minutes = config.lockout_minutes;
	memset(&r, 0, sizeof r);
	if (s != NULL && core_login_locked(s, in->tty, in->attempts,
	    in->minutes, &r.until, &cause) != 0) {
		core_config_free(&config);
		if (cause != NULL) {
			cli_error("%s", cause);
			free(cause);
			return -1;
		}
		r.outcome = CORE_LOGIN_LOCKED;
		cli_auth_refused(user, &r);
		return -1;
	}
	memset(&o, 0, sizeof o);
	o.service = config.pam_service;
	o.user = user;
	o.tty = in->tty;
	o.module_timeout = config.module_timeout;
	ar = auth_tty(&o, askpass, &cause);
	core_config_free(&config);
	free(cause);
	cause = NULL;
	if (s == NULL) {
		if (ar != AUTH_OK)
			cli_error(_("%s: authentication failed"), user);
		return ar == AUTH_OK ? 0 : -1;
	}
	in->auth = ar == AUTH_OK ? CORE_AUTH_OK : auth_result_failed(ar) ?
	    CORE_AUTH_REFUSED : CORE_AUTH_NONE;
	in->reason = auth_result_string(ar);
	if (core_login(s, in, &r, &cause) != 0) {
		cli_error(_("recording the login: %s"), cause);
		free(cause);
	}
	if (r.outcome == CORE_LOGIN_OK)
		return 0;
	cli_auth_refused(user, &r);
	return -1;
}

/*
 * The operator named themselves as the approver.  They have just
 * authenticated as the operator, so core_login hears an accepted
 * credential for that name, which it refuses as the same person (and
 * records) without a password being asked for again.
 */
static int
cli_auth_self(struct store *s, struct core_login *in)
{
	struct core_config		 config;
	struct core_login_result	 r;
	char				*cause = NULL;

	if (core_config_load(cli_config(), 0, &config, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return -1;
	}
	in->tty = cli_auth_tty();
	in->claimed = in->operator;
	in->attempts = config.login_attempts;
	in->minutes = config.lockout_minutes;
	in->auth = CORE_AUTH_OK;
	in->reason = "same person";
	core_config_free(&config);
	if (core_login(s, in, &r, &cause) != 0) {
		cli_error(_("recording the login: %s"), cause);
		free(cause);
	}
	assert(r.outcome != CORE_LOGIN_OK);
	cli_auth_refused(in->claimed, &r);
	return -1;
}

int
cli_auth_user(struct store *s, const char *user, int askpass, int roles,
    const char *what)
{
	struct core_login	 in;

	memset(&in, 0, sizeof in);
	in.purpose = CORE_LOGIN_COMMAND;
	in.roles = roles;
	in.action = what != NULL && *what != '\0' ? what : NULL;
	return cli_auth_as(s, user, askpass, &in);
}

int
cli_auth_second(struct store *s, const char *action, const struct cli_who *w,
    int strict, const char **approver)
{
	*approver = NULL;
	if (!core_needs_approver(s, action)) {
		if (strict && w->approver != NULL) {
			cli_error(_("%s needs no second person now"), action);
			return -1;
		}
		return 0;
	}
	if (w->approver == NULL) {
		cli_error(_("%s needs a second person: --approver NAME"), action);
		return -1;
	}
	return cli_auth_approver(s, action, w, approver);
}

int
cli_auth_approver(struct store *s, const char *action,
    const struct cli_who *w, const char **approver)
{
	struct core_login	 in;

	*approver = NULL;
	memset(&in, 0, sizeof in);
	in.purpose = CORE_LOGIN_APPROVAL;
	in.operator = w->user;
	in.action = action;
	if (strcmp(w->approver, w->user) == 0)
		return cli_auth_self(s, &in);
	if (cli_auth_as(s, w->approver, w->askpass, &in) != 0)
		return -1;
	*approver = w->approver;
	return 0;
}

int
cli_askpass_fd(const char *arg, int *fd)
{
	long long	 n;

	if (cli_number("--askpass-fd", arg, 0, 1024, &n) != 0)
		return -1;
	if (fcntl((int)n, F_GETFD) == -1) {
		cli_error("--askpass-fd %lld: %s", n, strerror(errno));
		return -1;
	}
	/* 0 to 2 every child gets anew; above, none may inherit it. */
	if (n > STDERR_FILENO && fd_cloexec((int)n) == -1) {
		cli_error("--askpass-fd %lld: %s", n, strerror(errno));
		return -1;
	}
	*fd = (int)n;
	return 0;
}

int
cli_who_option(int ch, const char *arg, struct cli_who *w)
{
	switch (ch) {
	case 'd':
		cli_set_dir(arg);
		return 1;
	case 'u':
		w->user = arg;
		return 1;
	case 'a':
		w->approver = arg;
		return 1;
	case 'f':
		if (cli_askpass_fd(arg, &w->askpass) != 0)
			return -1;
		return 1;
	}
	return 0;
}
