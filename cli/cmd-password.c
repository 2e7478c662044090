/*
 * cmd-password.c -- passwords from the command line: one typed by its
 * owner (passwd), a temporary one (reset-password), a change forced at
 * the next login (force-change), a privileged one rotated and shown to
 * the approver (rotate SYSTEM LOGIN), and the policy that applies
 * (policy).
 *
 * A typed password lives in sodium_malloc'd memory only, is read with
 * the terminal's echo off (or from --password-fd N), is checked
 * (core_password_check) before anything is recorded, goes to the target
 * in memory (core_outbox_run_secret) and is wiped.  It is never printed,
 * logged, passed in argv or the environment, or stored but as its
 * Argon2id hash in the history.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "cli.h"

#define PW_BUF		(CORE_PASSWORD_MAX + 2)	/* a byte over: too long */
#define PW_ROTATE_LEN	20			/* at least, for rotate */

/* Options of the password commands; what each takes is its own check. */
struct pw_opts {
	struct cli_who	 w;
	int		 pwfd;			/* --password-fd, or -1 */
	int		 show;			/* --show */
	const char	*scope;			/* --scope */
	const char	*reason;		/* --reason */
};

static int
pw_opts(int argc, char **argv, const char *cmd, struct pw_opts *o)
{
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ "password-fd", required_argument, NULL, 'p' },
		{ "show", no_argument, NULL, 's' },
		{ "scope", required_argument, NULL, 'c' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	long long	 n;
	int		 ch, r;

	memset(o, 0, sizeof *o);
	o->w.askpass = o->pwfd = -1;
	while ((ch = getopt_long(argc, argv, "d:u:a:f:p:sc:r:", opts,
	    NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &o->w)) == -1)
			return -1;
		if (r == 1)
			continue;
		switch (ch) {
		case 'p':
			if (cli_number("--password-fd", optarg, 0, 1024,
			    &n) != 0)
				return -1;
			if (fcntl((int)n, F_GETFD) == -1) {
				cli_error("--password-fd %lld: %s", n,
				    strerror(errno));
				return -1;
			}
			if (n > STDERR_FILENO && fd_cloexec((int)n) == -1)
				return -1;
			o->pwfd = (int)n;
			break;
		case 's':
			o->show = 1;
			break;
		case 'c':
			o->scope = optarg;
			break;
		case 'r':
			o->reason = optarg;
			break;
		default:
			cli_usage(cmd);
			return -1;
		}
	}
	return 0;
}

/*
 * One line into buf (PW_BUF bytes) from fd, without its line feed.  -1
 * when it is longer than a password may be, or on a read error.
 */
static int
pw_read_fd(int fd, char *buf)
{
	size_t	 n = 0;
	ssize_t	 r;
	char	 c;

	for (;;) {
		if ((r = read(fd, &c, 1)) == -1 && errno == EINTR)
			continue;
		if (r != 1 || c == '\n')
			break;
		if (n + 1 >= PW_BUF) {
			sodium_memzero(buf, PW_BUF);
			return -1;
		}
		buf[n++] = c;
	}
	sodium_memzero(&c, sizeof c);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[n - 1] = '\0';
	return r == -1 ? -1 : 0;
}

/* Read a line at the terminal with its echo off. */
static int
pw_read_tty(int tty, const char *prompt, char *buf)
{
	struct termios	 old, quiet;
	int		 r;

	if (tcgetattr(tty, &old) == -1)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	/* Echo off before the prompt: nothing typed after it is flushed. */
	if (tcsetattr(tty, TCSAFLUSH, &quiet) == -1)
		return -1;
	if (write(tty, prompt, strlen(prompt)) < 0) {
		(void)tcsetattr(tty, TCSAFLUSH, &old);
		return -1;
	}
	r = pw_read_fd(tty, buf);
	(void)tcsetattr(tty, TCSANOW, &old);
	if (write(tty, "\n", 1) != 1)
		r = -1;
	return r;
}

/*
 * The new password into a sodium_malloc'd buffer (caller sodium_frees):
 * from fd, or typed twice at the terminal.  NULL after saying why.
 */
static char *
pw_get(int fd, const char *login)
{
	char	*pw, *again, prompt[96];
	int	 tty, r;

	if ((pw = sodium_malloc(PW_BUF)) == NULL ||
	    (again = sodium_malloc(PW_BUF)) == NULL)
		fatalx("sodium_malloc: out of memory");
	if (fd >= 0) {
		r = pw_read_fd(fd, pw);
		sodium_free(again);
		if (r != 0) {
			cli_error(_("passwd: the password could not be read, or "
			    "is longer than %d bytes"), CORE_PASSWORD_MAX);
			sodium_free(pw);
			return NULL;
		}
		return pw;
	}
	if ((tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		cli_error(_("passwd: no terminal to type the password at (give "
		    "--password-fd N)"));
		sodium_free(again);
		sodium_free(pw);
		return NULL;
	}
	snprintf(prompt, sizeof prompt, _("new password for %s: "), login);
	r = pw_read_tty(tty, prompt, pw);
	if (r == 0)
		r = pw_read_tty(tty, _("the same again: "), again);
	close(tty);
	if (r == 0 && (strlen(pw) != strlen(again) ||
	    sodium_memcmp(pw, again, strlen(pw)) != 0)) {
		cli_error(_("passwd: the two passwords differ; nothing was done"));
		r = 1;
	} else if (r != 0)
		cli_error(_("passwd: the password could not be read, or is "
		    "longer than %d bytes"), CORE_PASSWORD_MAX);
	sodium_free(again);
	if (r != 0) {
		sodium_free(pw);
		return NULL;
	}
	return pw;
}

static struct store *
pw_open(const char *cmd)
{
	struct store	*s;
	char		*cause = NULL;

	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("%s: %s", cmd, cause);
		free(cause);
	}
	return s;
}

/*
 * Hand pw to the target for entry idx, and when the system took it, keep
 * its hash in the history.  0, or -1 after saying why.
 */
static int
pw_deliver(struct store *s, const char *cmd, uint64_t idx, const char *system,
    const char *login, const char *pw)
{
	struct core_outbox_stats st;
	struct core_workorder	 w;
	char			*cause = NULL;

	if (core_outbox_run_secret(s, idx, pw, NULL, NULL, NULL, &st,
	    &cause) != 0 || core_workorder_get(s, idx, 0, &w, &cause) != 0) {
		cli_error("%s: %s", cmd, cause != NULL ? cause :
		    _("the operation is gone"));
		free(cause);
		return -1;
	}
	if (strcmp(w.state, "applied") != 0) {
		cli_error(_("%s: %s on %s did not take the password (see daicho "
		    "workorder list / the outbox); nothing is kept: set it "
		    "again"), cmd, login, system);
		return -1;
	}
	if (core_password_remember(s, system, login, pw, -1, &cause) != 0) {
		cli_error(_("%s: the password is set, but its history was not "
		    "kept: %s"), cmd, cause != NULL ? cause : "");
		free(cause);
		return -1;
	}
	return 0;
}

/* Authenticate the operator as an admin; the actor. */
static int
pw_auth(struct store *s, const struct cli_who *w, struct core_actor *actor)
{
	actor->operator = w->user;
	actor->approver = NULL;
	return cli_auth_user(s, w->user, w->askpass, CORE_ROLE_ADMIN, "");
}

/* Run action with system and login (and reason) as actor; its index. */
static int
pw_act(struct store *s, const char *action, const struct core_actor *actor,
    const char *system, const char *login, uint64_t *idx)
{
	struct store_args	 a = { 0 };
	char			*cause = NULL;

	store_args_add(&a, "system", system);
	store_args_add(&a, "login", login);
	if (core_run(s, action, actor, &a, idx, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/*
 * daicho passwd SYSTEM LOGIN --user NAME [--password-fd N]: a password
 * its owner types, checked against the policy and the history before
 * anything is recorded.
 */
int
cmd_passwd(int argc, char **argv)
{
	struct core_policy	 p;
	struct core_actor	 actor;
	struct pw_opts		 o;
	struct store		*s;
	const char		*system, *login;
	char			*pw = NULL, *cause = NULL;
	uint64_t		 idx;
	int			 ret = CLI_ERROR;

	if (pw_opts(argc, argv, "passwd", &o) != 0)
		return CLI_ERROR;
	if (argc - optind != 2 || o.w.user == NULL || o.w.approver != NULL ||
	    o.show || o.scope != NULL || o.reason != NULL)
		return cli_usage("passwd");
	system = argv[optind];
	login = argv[optind + 1];
	if ((s = pw_open("passwd")) == NULL)
		return CLI_ERROR;
	if (core_password_policy(s, system, login, &p, &cause) != 0) {
		cli_error("passwd: %s", cause);
		free(cause);
		goto out;
	}
	if (pw_auth(s, &o.w, &actor) != 0 ||
	    (pw = pw_get(o.pwfd, login)) == NULL)
		goto out;
	if (core_password_check(s, &p, system, login, NULL, pw, &cause) != 0) {
		cli_error(_("passwd: %s; nothing was done"), cause);
		free(cause);
		goto out;
	}
	if (pw_act(s, "id.set_password", &actor, system, login, &idx) != 0)
		goto out;
	if (pw_deliver(s, "passwd", idx, system, login, pw) != 0) {
		ret = CLI_BAD;
		goto out;
	}
	cli_line(_("passwd: the password of %s on %s is set"), login, system);
	ret = CLI_OK;
out:
	if (pw != NULL)
		sodium_free(pw);
	store_close(s);
	return ret;
}

/*
 * daicho reset-password SYSTEM LOGIN --user NAME [--show]: a temporary
 * password, made by the target and shown once, to a terminal only unless
 * --show.
 */
int
cmd_reset_password(int argc, char **argv)
{
	struct core_actor	 actor;
	struct pw_opts		 o;
	struct store		*s;
	uint64_t		 idx;
	int			 ret = CLI_ERROR;

	if (pw_opts(argc, argv, "reset-password", &o) != 0)
		return CLI_ERROR;
	if (argc - optind != 2 || o.w.user == NULL || o.w.approver != NULL ||
	    o.pwfd != -1 || o.scope != NULL || o.reason != NULL)
		return cli_usage("reset-password");
	if (!o.show && !isatty(STDOUT_FILENO)) {
		cli_error(_("reset-password: the temporary password is shown on "
		    "a terminal only, and the output is not one; give --show "
		    "to print it anyway; nothing was done"));
		return CLI_ERROR;
	}
	if ((s = pw_open("reset-password")) == NULL)
		return CLI_ERROR;
	if (pw_auth(s, &o.w, &actor) == 0 && pw_act(s, "id.reset_password",
	    &actor, argv[optind], argv[optind + 1], &idx) == 0)
		ret = cli_outbox(s, idx) == 0 ? CLI_OK : CLI_BAD;
	store_close(s);
	return ret;
}

/*
 * daicho force-change (SYSTEM LOGIN | --scope SCOPE) --reason TEXT --user
 * NAME: the next login must change the password; by scope, every live ID
 * in it, in one entry.
 */
int
cmd_force_change(int argc, char **argv)
{
	struct store_args	 a = { 0 };
	struct core_actor	 actor;
	struct pw_opts		 o;
	struct store		*s;
	char			*cause = NULL;
	uint64_t		 idx;
	int64_t			 n = 0;
	int			 words, ret = CLI_ERROR;

	if (pw_opts(argc, argv, "force-change", &o) != 0)
		return CLI_ERROR;
	words = argc - optind;
	if (o.w.user == NULL || o.reason == NULL || o.w.approver != NULL ||
	    o.pwfd != -1 || o.show || (o.scope != NULL ? words != 0 :
	    words != 2))
		return cli_usage("force-change");
	if (o.scope != NULL)
		store_args_add(&a, "scope", o.scope);
	else {
		store_args_add(&a, "system", argv[optind]);
		store_args_add(&a, "login", argv[optind + 1]);
	}
	store_args_add(&a, "reason", o.reason);
	if ((s = pw_open("force-change")) == NULL)
		return CLI_ERROR;
	if (pw_auth(s, &o.w, &actor) != 0)
		goto out;
	if (o.scope != NULL && core_lockout_preview(s, o.scope, &n,
	    &cause) == 0)
		cli_line(_("force-change %s: %lld live IDs"), o.scope,
		    (long long)n);
	free(cause);
	cause = NULL;
	if (core_run(s, "id.force_change", &actor, &a, &idx, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto out;
	}
	cli_line(_("%s: done"), "id.force_change");
	ret = cli_outbox(s, idx) == 0 ? CLI_OK : CLI_BAD;
out:
	store_close(s);
	return ret;
}

/* A generated password the policy accepts; sodium_malloc'd, or NULL. */
static char *
pw_generated(struct store *s, const struct core_policy *p,
    const char *system, const char *login)
{
	char	*pw, *cause = NULL;
	size_t	 len = p->min_length > PW_ROTATE_LEN ? (size_t)p->min_length :
	    PW_ROTATE_LEN;
	int	 i;

	if ((pw = sodium_malloc(PW_GENERATE_MAX)) == NULL)
		fatalx("sodium_malloc: out of memory");
	for (i = 0; i < 8; i++) {
		pw_generate(pw, len);
		if (core_password_check(s, p, system, login, NULL, pw,
		    &cause) == 0)
			return pw;
		free(cause);
		cause = NULL;
	}
	cli_error(_("rotate: no generated password met the policy of %s on %s"),
	    login, system);
	sodium_free(pw);
	return NULL;
}

/* Show the new password on the terminal, once, for the approver. */
static void
pw_reveal(int tty, const char *approver, const char *system,
    const char *login, const char *pw)
{
	char	*l = vis_str(login, 0), *sys = vis_str(system, 0);
	char	*a = vis_str(approver, 0);

	dprintf(tty, _("new password of %s on %s, for %s only (shown once): "
	    "%s\n"), l, sys, a, pw);
	free(a);
	free(sys);
	free(l);
}

/*
 * daicho rotate SYSTEM LOGIN --user NAME --approver NAME: a privileged
 * ID's password, generated, set on the system and shown once on the
 * terminal to the approver, whom the entry names (seen_by).
 */
static int
rotate_password(struct pw_opts *o, const char *system, const char *login)
{
	struct core_policy	 p;
	struct core_actor	 actor;
	struct store		*s;
	char			*pw = NULL, *cause = NULL;
	uint64_t		 idx;
	int			 tty, ret = CLI_ERROR;

	if ((tty = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC)) == -1) {
		cli_error(_("rotate: the new password is shown on the terminal "
		    "only, and there is none; nothing was done"));
		return CLI_ERROR;
	}
	if ((s = pw_open("rotate")) == NULL) {
		close(tty);
		return CLI_ERROR;
	}
	if (core_password_policy(s, system, login, &p, &cause) != 0) {
		cli_error("rotate: %s", cause);
		free(cause);
		goto out;
	}
	if (pw_auth(s, &o->w, &actor) != 0 || cli_auth_second(s,
	    "id.rotate_password", &o->w, 0, &actor.approver) != 0 ||
	    (pw = pw_generated(s, &p, system, login)) == NULL ||
	    pw_act(s, "id.rotate_password", &actor, system, login, &idx) != 0)
		goto out;
	if (pw_deliver(s, "rotate", idx, system, login, pw) != 0) {
		ret = CLI_BAD;
		goto out;
	}
	pw_reveal(tty, actor.approver != NULL ? actor.approver :
	    actor.operator, system, login, pw);
	cli_line(_("rotate: the password of %s on %s is changed"), login, system);
	ret = CLI_OK;
out:
	if (pw != NULL)
		sodium_free(pw);
	close(tty);
	store_close(s);
	return ret;
}

/* rotate alone starts a new epoch key (cmd-init.c); with an ID, rotates
 * its password. */
int
cmd_rotate_any(int argc, char **argv)
{
	struct pw_opts	 o;

	if (pw_opts(argc, argv, "rotate", &o) != 0)
		return CLI_ERROR;
	if (argc - optind == 0 && o.w.user == NULL && o.w.approver == NULL) {
		optind = 0;	/* the key's command parses again */
		return cmd_rotate(argc, argv);
	}
	if (argc - optind != 2 || o.w.user == NULL || o.pwfd != -1 ||
	    o.show || o.scope != NULL || o.reason != NULL)
		return cli_usage("rotate");
	return rotate_password(&o, argv[optind], argv[optind + 1]);
}
