/*
 * pam_fakefp.c -- a PAM module that behaves like pam_fprintd, for tests
 * and the demo.  Like pam_fprintd it never prompts for an answer: each try
 * sends "Swipe your right index finger across the fingerprint reader" as
 * information, then waits for the "reader", and reports failures as error
 * messages.  The real pam_fprintd with fprintd's virtual device is the
 * integration test; this one is fast, scriptable and needs no D-Bus.
 *
 * Options (auth):
 *	script=FILE	one outcome per line, the first line consumed per try
 *			(the file is rewritten without it): match, nomatch,
 *			retry (swipe too short; not a try), unavail, hang,
 *			crash.  No line left: unavail.
 *	delay=N		without a script (the demo): for users in enrolled=,
 *			ask for a finger, wait N seconds (default 2), then
 *			match; for others return PAM_AUTHINFO_UNAVAIL ("no
 *			prints") at once, without asking, as pam_fprintd does.
 *	enrolled=a,b	the demo's users with a finger enrolled.
 *	max-tries=N	no-match tries before PAM_MAXTRIES (default 3).
 *	multi		instead: one conversation call holding an info, an
 *			echo-on prompt "Name: " (must be answered with the
 *			user), an error and an echo-off prompt "PIN: " (must be
 *			1234).
 *	escape		first send messages full of terminal escapes,
 *			invalid UTF-8 and a 2,000-byte line.
 *	flood=N		first send N information messages.
 *	scribble	write a malformed frame straight into descriptor 3
 *			(daicho's socket in the child), as a buggy or hostile
 *			module could, then go on as usual.
 * Options (any stack):
 *	log=FILE	append one line per call: what, user, PAM_TTY,
 *			PAM_RUSER, pid; tests read it back.
 *	acct=expired	pam_sm_acct_mgmt says PAM_NEW_AUTHTOK_REQD;
 *	acct=refused	PAM_ACCT_EXPIRED; otherwise PAM_SUCCESS.
 *	session=fail	pam_sm_open_session fails with PAM_SESSION_ERR.
 *
 * It says yes without looking at anything, so it refuses to run outside
 * pam_wrapper (PAM_WRAPPER=1, read with secure_getenv so that a setuid
 * program's caller cannot set it): installed for the demo, it must be
 * useless in a real /etc/pam.d stack.  Test code otherwise: argument
 * parsing is plain, files are trusted.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PAM_SM_AUTH
#define PAM_SM_ACCOUNT
#define PAM_SM_SESSION
#include <security/pam_appl.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#define FAKEFP_SWIPE	"Swipe your right index finger across the " \
			"fingerprint reader"
#define FAKEFP_NOMATCH	"Failed to match fingerprint"
#define FAKEFP_RETRY	"Swipe was too short, try again"

struct fakefp {
	const char	*script;
	const char	*enrolled;
	const char	*log;
	const char	*acct;
	int		 delay;
	int		 max_tries;
	int		 multi;
	int		 escape;
	int		 flood;
	int		 scribble;
	int		 session_fail;
};

static void
fakefp_args(struct fakefp *o, int argc, const char **argv)
{
	int	 i;

	memset(o, 0, sizeof *o);
	o->delay = 2;
	o->max_tries = 3;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "script=", 7) == 0)
			o->script = argv[i] + 7;
		else if (strncmp(argv[i], "enrolled=", 9) == 0)
			o->enrolled = argv[i] + 9;
		else if (strncmp(argv[i], "log=", 4) == 0)
			o->log = argv[i] + 4;
		else if (strncmp(argv[i], "acct=", 5) == 0)
			o->acct = argv[i] + 5;
		else if (strncmp(argv[i], "delay=", 6) == 0)
			o->delay = (int)strtol(argv[i] + 6, NULL, 10);
		else if (strncmp(argv[i], "max-tries=", 10) == 0)
			o->max_tries = (int)strtol(argv[i] + 10, NULL, 10);
		else if (strcmp(argv[i], "multi") == 0)
			o->multi = 1;
		else if (strcmp(argv[i], "escape") == 0)
			o->escape = 1;
		else if (strncmp(argv[i], "flood=", 6) == 0)
			o->flood = (int)strtol(argv[i] + 6, NULL, 10);
		else if (strcmp(argv[i], "scribble") == 0)
			o->scribble = 1;
		else if (strcmp(argv[i], "session=fail") == 0)
			o->session_fail = 1;
	}
	if (o->max_tries < 1)
		o->max_tries = 1;
}

/* Only under pam_wrapper: see the top. */
static int
fakefp_wrapped(void)
{
	const char	*s = secure_getenv("PAM_WRAPPER");

	return s != NULL && strcmp(s, "1") == 0;
}

static const char *
fakefp_item(pam_handle_t *pamh, int type)
{
	const void	*item = NULL;

	if (pam_get_item(pamh, type, &item) != PAM_SUCCESS || item == NULL)
		return "-";
	return item;
}

/* One line in the log: what was called, with which items, by whom. */
static void
fakefp_log(pam_handle_t *pamh, const struct fakefp *o, const char *what)
{
	FILE	*f;

	if (o->log == NULL || (f = fopen(o->log, "a")) == NULL)
		return;
	fprintf(f, "%s user=%s tty=%s ruser=%s pid=%ld\n", what,
	    fakefp_item(pamh, PAM_USER), fakefp_item(pamh, PAM_TTY),
	    fakefp_item(pamh, PAM_RUSER), (long)getpid());
	fclose(f);
}

/* The next outcome in the script, consumed: the file keeps the rest. */
static void
fakefp_next(const char *path, char *out, size_t size)
{
	char	 buf[4096], tmp[4096];
	size_t	 len, first;
	FILE	*f;

	snprintf(out, size, "unavail");
	if ((f = fopen(path, "r")) == NULL)
		return;
	len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[len] = '\0';
	first = strcspn(buf, "\n");
	if (first > 0)
		snprintf(out, size, "%.*s", (int)first, buf);
	if (buf[first] == '\n')
		first++;
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	fwrite(buf + first, 1, len - first, f);
	fclose(f);
	rename(tmp, path);
}

static int
fakefp_enrolled(const struct fakefp *o, const char *user)
{
	const char	*p = o->enrolled;
	size_t		 len = strlen(user);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, user, len) == 0 && (p[len] == ',' ||
		    p[len] == '\0'))
			return 1;
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return 0;
}

/* Several messages, two of them prompts, in one conversation call. */
static int
fakefp_multi(pam_handle_t *pamh, const char *user)
{
	const struct pam_message m[4] = {
		{ PAM_TEXT_INFO, "multi 1" },
		{ PAM_PROMPT_ECHO_ON, "Name: " },
		{ PAM_ERROR_MSG, "multi 2" },
		{ PAM_PROMPT_ECHO_OFF, "PIN: " },
	};
	const struct pam_message *mp[4] = { &m[0], &m[1], &m[2], &m[3] };
	const struct pam_conv	*conv;
	struct pam_response	*r = NULL;
	int			 ok, i;

	if (pam_get_item(pamh, PAM_CONV, (const void **)&conv) != PAM_SUCCESS)
		return PAM_SYSTEM_ERR;
	if (conv->conv(4, mp, &r, conv->appdata_ptr) != PAM_SUCCESS)
		return PAM_CONV_ERR;
	ok = r != NULL && r[0].resp == NULL && r[2].resp == NULL &&
	    r[1].resp != NULL && strcmp(r[1].resp, user) == 0 &&
	    r[3].resp != NULL && strcmp(r[3].resp, "1234") == 0;
	for (i = 0; r != NULL && i < 4; i++)
		free(r[i].resp);
	free(r);
	return ok ? PAM_SUCCESS : PAM_AUTH_ERR;
}

static void
fakefp_escape(pam_handle_t *pamh)
{
	char	 line[2001];

	pam_info(pamh, "%s", "\x1b]0;owned\x07\x1b[2Jclear\r\nline\x9b" "31m"
	    "\xc2\x9b" "31m bidi\xe2\x80\xae" "tab\there \xff\xfe\xc0\xaf end");
	memset(line, 'x', sizeof line - 1);
	/* A three-byte character straddling byte 511. */
	memcpy(line + 509, "\xe3\x81\x82", 3);
	line[sizeof line - 1] = '\0';
	pam_error(pamh, "%s", line);
}

PAM_EXTERN int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	struct fakefp	 o;
	struct timespec	 ts;
	const char	*user;
	char		 what[64];
	int		 r, tries = 0, swipe = 1;

	(void)flags;
	fakefp_args(&o, argc, argv);
	if (!fakefp_wrapped())
		return PAM_SERVICE_ERR;
	/* Asks with an echo-on prompt when no user was given. */
	if ((r = pam_get_user(pamh, &user, NULL)) != PAM_SUCCESS)
		return r;
	fakefp_log(pamh, &o, "authenticate");
	if (o.multi)
		return fakefp_multi(pamh, user);
	if (o.escape)
		fakefp_escape(pamh);
	for (r = 0; r < o.flood; r++)
		pam_info(pamh, "flood %d", r);
	/* 'R', a length of 16, and 4 bytes: the length does not match. */
	if (o.scribble && write(3, "R\0\020junk", 7) != 7)
		return PAM_SYSTEM_ERR;

	/*
	 * Like pam_fprintd, a user with no print enrolled is never asked
	 * for a finger: no reader to use, at once.
	 */
	if (o.script == NULL && !fakefp_enrolled(&o, user))
		return PAM_AUTHINFO_UNAVAIL;
	for (;;) {
		/*
		 * The script's line is read (and its file closed) before
		 * the swipe message: test_free_live counts the child's
		 * descriptors as soon as the message arrives.
		 */
		if (o.script != NULL)
			fakefp_next(o.script, what, sizeof what);
		if (swipe)
			pam_info(pamh, "%s", FAKEFP_SWIPE);
		swipe = 1;
		if (o.script == NULL) {
			ts.tv_sec = o.delay;
			ts.tv_nsec = 0;
			while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
				;
			snprintf(what, sizeof what, "%s",
			    fakefp_enrolled(&o, user) ? "match" : "unavail");
		}

		if (strcmp(what, "match") == 0)
			return PAM_SUCCESS;
		if (strcmp(what, "nomatch") == 0) {
			pam_error(pamh, "%s", FAKEFP_NOMATCH);
			if (++tries >= o.max_tries)
				return PAM_MAXTRIES;
		} else if (strcmp(what, "retry") == 0) {
			pam_error(pamh, "%s", FAKEFP_RETRY);
			swipe = 0;
		} else if (strcmp(what, "unavail") == 0)
			return PAM_AUTHINFO_UNAVAIL;
		else if (strcmp(what, "hang") == 0) {
			for (;;)
				pause();
		} else if (strcmp(what, "crash") == 0) {
			signal(SIGSEGV, SIG_DFL);
			raise(SIGSEGV);
			return PAM_SYSTEM_ERR;
		} else
			return PAM_SERVICE_ERR;
	}
}

PAM_EXTERN int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct fakefp	 o;

	fakefp_args(&o, argc, argv);
	fakefp_log(pamh, &o, (flags & PAM_DELETE_CRED) ? "setcred-delete" :
	    "setcred-establish");
	return PAM_SUCCESS;
}

PAM_EXTERN int
pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct fakefp	 o;

	(void)flags;
	fakefp_args(&o, argc, argv);
	if (!fakefp_wrapped())
		return PAM_SERVICE_ERR;
	fakefp_log(pamh, &o, "acct_mgmt");
	if (o.acct != NULL && strcmp(o.acct, "expired") == 0)
		return PAM_NEW_AUTHTOK_REQD;
	if (o.acct != NULL && strcmp(o.acct, "refused") == 0)
		return PAM_ACCT_EXPIRED;
	return PAM_SUCCESS;
}

PAM_EXTERN int
pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	struct fakefp	 o;

	(void)flags;
	fakefp_args(&o, argc, argv);
	fakefp_log(pamh, &o, "open_session");
	if (!fakefp_wrapped())
		return PAM_SERVICE_ERR;
	return o.session_fail ? PAM_SESSION_ERR : PAM_SUCCESS;
}

PAM_EXTERN int
pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	struct fakefp	 o;

	(void)flags;
	fakefp_args(&o, argc, argv);
	fakefp_log(pamh, &o, "close_session");
	return PAM_SUCCESS;
}
