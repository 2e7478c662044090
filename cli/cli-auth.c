/*
 * cli-auth.c -- who is acting, for the commands that change state: the
 * operator authenticated through PAM, and for a two-person action the
 * second person, authenticated the same way on the same terminal.
 *
 * Prompts go to the terminal, or with --askpass-fd N the answers are read
 * from descriptor N, one a line (the approver's follow the operator's),
 * for scripts and tests.  Failures are recorded in the ledger as at the
 * console.
 *
 * These are cmd-operator.c's authenticate() and second_person(), made
 * public for cmd-workorder.c; cmd-operator.c is to call them in place of
 * its own static copies.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A refused login or approval, as session.failure by the system. */
static void
cli_auth_failure(struct store *s, const char *user, const char *why)
{
	char	*cause = NULL;

	if (core_session_failure(s, cli_auth_tty(), user, why, &cause) != 0) {
		cli_error("recording the failure: %s", cause);
		free(cause);
	}
}

int
cli_auth_user(struct store *s, const char *user, int askpass, int roles,
    const char *what)
{
	struct core_config	 config;
	struct auth_opts	 o;
	enum auth_result	 r;
	char			*cause = NULL, why[96];
	int			 role;

	if (core_config_load(cli_config(), 0, &config, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return -1;
	}
	memset(&o, 0, sizeof o);
	o.service = config.pam_service;
	o.user = user;
	o.tty = cli_auth_tty();
	o.module_timeout = config.module_timeout;
	r = auth_tty(&o, askpass, &cause);
	core_config_free(&config);
	if (r != AUTH_OK) {
		snprintf(why, sizeof why, "%s%s", what,
		    auth_result_string(r));
		if (s != NULL)
			cli_auth_failure(s, user, why);
		cli_error("%s: authentication failed", user);
		free(cause);
		return -1;
	}
	free(cause);
	if (s == NULL || roles == 0)
		return 0;
	role = core_operator_role(s, user, &cause);
	if (role <= 0 || !(role & roles)) {
		snprintf(why, sizeof why, "%s%s", what, role == 0 ?
		    "not an operator" : "wrong role");
		cli_auth_failure(s, user, why);
		cli_error("%s: %s", user, role == 0 ?
		    "not an active daicho operator" : "does not hold the role "
		    "this needs");
		free(cause);
		return -1;
	}
	return 0;
}

int
cli_auth_second(struct store *s, const char *action, const struct cli_who *w,
    int strict, const char **approver)
{
	*approver = NULL;
	if (!core_needs_approver(s, action)) {
		if (strict && w->approver != NULL) {
			cli_error("%s needs no second person now", action);
			return -1;
		}
		return 0;
	}
	if (w->approver == NULL) {
		cli_error("%s needs a second person: --approver NAME", action);
		return -1;
	}
	if (strcmp(w->approver, w->user) == 0) {
		cli_auth_failure(s, w->approver, "approval: same person");
		cli_error("the approver must be someone other than the "
		    "operator");
		return -1;
	}
	if (cli_auth_user(s, w->approver, w->askpass, CORE_ROLE_APPROVER,
	    "approval: ") != 0)
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
