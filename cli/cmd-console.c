/*
 * cmd-console.c -- "daicho" with no command opens the console; "daicho
 * --demo DIR" opens it on a synthetic demo city under pam_wrapper.
 *
 * The demo keeps everything inside DIR: the ledger, a daicho.conf, and
 * under DIR/pam the PAM files, which auth writes and reads through
 * pam_wrapper (auth_demo_setup, auth_demo_wrap), so the same demo logins
 * work for the command line too.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "auth.h"
#include "tui.h"
#include "cli.h"

#define DEMO_PEOPLE		500
#define DEMO_PASSWORD		"demo"

extern char **environ;

static const char *const demo_users[] = {
	CORE_DEMO_ADMIN, CORE_DEMO_APPROVER, CORE_DEMO_AUDITOR, NULL
};
/* Who has a demo fingerprint: not the auditor, who is never asked. */
static const char *const demo_enrolled[] = {
	CORE_DEMO_ADMIN, CORE_DEMO_APPROVER, NULL
};

/*
 * The console draws Japanese names and line-drawing borders: in any
 * encoding but UTF-8, curses shows them as ??? and qqqq.  Refuse to start
 * and say what to set instead.  main() has called setlocale(LC_ALL, "").
 */
static int
console_locale_ok(void)
{
	const char	*codeset = nl_langinfo(CODESET), *var = NULL, *v;
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	size_t		 i;

	if (strcmp(codeset, "UTF-8") == 0)
		return 1;
	/* The variable that decides LC_CTYPE, as setlocale reads them. */
	for (i = 0; i < sizeof vars / sizeof vars[0] && var == NULL; i++) {
		if ((v = getenv(vars[i])) != NULL && *v != '\0')
			var = vars[i];
	}
	cli_error(_("the terminal's encoding is %s, not UTF-8: set LANG=C.UTF-8 "
	    "or ja_JP.UTF-8 (and unset LC_ALL and LC_CTYPE, or set them the "
	    "same), then start daicho again"), codeset);
	if (var != NULL && (strstr(getenv(var), "UTF-8") != NULL ||
	    strstr(getenv(var), "utf8") != NULL))
		cli_error(_("%s=%s names a locale this machine does not have: "
		    "install it (locale-gen, or the locales package) or use "
		    "C.UTF-8"), var, getenv(var));
	else if (var != NULL)
		cli_error(_("(now %s=%s)"), var, getenv(var));
	return 0;
}

static void
console_sweep_failed(void *arg, const char *why)
{
	(void)arg;
	cli_error("sweep: %s", why);
}

int
cli_console(const char *dir, const char *config_path, int demo)
{
	struct core_sweep	 sw;
	struct core_config	 config;
	struct store		*s;
	char			*cause = NULL;
	int			 r;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error(_("the console needs a terminal; for scripts, use a "
		    "command (daicho --help)"));
		return CLI_ERROR;
	}
	if (!console_locale_ok())
		return CLI_ERROR;
	if (core_config_load(config_path, 0, &config, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return CLI_ERROR;
	}
	core_stocktake_config(&config);	/* a snapshot's dormant_days */
	if ((s = store_open(dir, 0, &cause)) == NULL) {
		cli_error("%s", cause);
		free(cause);
		core_config_free(&config);
		return CLI_ERROR;
	}
	/*
	 * What time brought since the last sweep is recorded before anyone
	 * logs in (the timer carries its target work out); a clock behind
	 * the ledger stops the console here, since no login could be
	 * recorded either.
	 */
	if (core_sweep(s, &config, console_sweep_failed, NULL, &sw,
	    &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		store_close(s);
		core_config_free(&config);
		return CLI_ERROR;
	}
	r = tui_main(s, &config, dir, demo);
	store_close(s);
	core_config_free(&config);
	return r;
}

static int
write_file(const char *path, const char *text, mode_t mode)
{
	FILE	*f;
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		cli_error("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (fputs(text, f) == EOF || fclose(f) != 0) {
		cli_error("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A new demo city in dir: the ledger, the PAM files, the configuration. */
static int
demo_make(const char *dir)
{
	struct store	*s;
	char		*cause = NULL, *vkey = NULL, *path;
	int		 r;

	if ((s = core_init(dir, &vkey, &cause)) == NULL ||
	    core_seed_demo(s, DEMO_PEOPLE, &cause) != 0 ||
	    core_seed_demo_ids(s, &cause) != 0) {
		cli_error("demo: %s", cause);
		free(cause);
		store_close(s);
		free(vkey);
		return -1;
	}
	store_close(s);
	free(vkey);

	/* The PAM files are auth's business. */
	if (auth_demo_setup(dir, demo_users, demo_enrolled, DEMO_PASSWORD,
	    &cause) != 0) {
		cli_error("demo: %s", cause);
		free(cause);
		return -1;
	}

	xasprintf(&path, "%s/daicho.conf", dir);
	r = write_file(path,
	    "# The demo city's console settings (see daicho(8)).\n"
	    "banner = DEMO CITY - synthetic data only.\n"
	    "banner = This system is for authorised staff only; every action "
	    "is recorded.\n"
	    "banner = 許可された職員以外の利用を禁じます。操作はすべて記録"
	    "されます。\n"
	    "pam_service = daicho\n"
	    "pam_fallback_service = daicho-password\n"
	    "login_attempts = 5\n"
	    "login_lockout_minutes = 15\n"
	    "idle_lock_seconds = 600\n"
	    "module_timeout_seconds = 30\n", 0600);
	free(path);
	return r;
}

/*
 * pam_wrapper works by preloading: set it up (auth) and start again.  The
 * demo PAM files then come from DIR/pam instead of /etc/pam.d.
 */
static int
demo_reexec(const char *dir, char **argv)
{
	char	 self[PATH_MAX], *cause = NULL;
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0) {
		cli_error(_("demo: cannot find myself: %s"), strerror(errno));
		return CLI_ERROR;
	}
	self[n] = '\0';
	if (auth_demo_wrap(dir, &cause) != 0) {
		cli_error("demo: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	fflush(stdout);
	execve(self, argv, environ);
	cli_error("demo: %s: %s", self, strerror(errno));
	return CLI_ERROR;
}

/*
 * The command line on the demo city needs what the console gets by its
 * re-exec: pam_wrapper and the demo's PAM files, and the demo's
 * configuration.  Print the exact command, absolute paths and all.
 */
static void
demo_cli_hint(const char *dir)
{
	char	 self[PATH_MAX], *abs, *env, *line;
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		snprintf(self, sizeof self, "daicho");
	else
		self[n] = '\0';
	if ((abs = realpath(dir, NULL)) == NULL)
		abs = xstrdup(dir);
	env = auth_demo_env(abs);
	xasprintf(&line, "%s %s --config %s/daicho.conf --dir %s", env, self,
	    abs, abs);
	free(env);
	cli_line(_("The command line on this demo city (password %s; "
	    "fingerprint users wait 2 s) is:"), DEMO_PASSWORD);
	cli_line("  %s COMMAND ... --user %s", line, CORE_DEMO_ADMIN);
	cli_line(_("for example:"));
	cli_line("  %s act id.lock system=linux-honcho login=e0000004 "
	    "--user %s", line, CORE_DEMO_ADMIN);
	free(line);
	free(abs);
}

int
cli_demo(const char *dir, char **argv)
{
	char		*config;
	struct stat	 sb;
	int		 r;

	if (lstat(dir, &sb) == -1) {
		if (errno != ENOENT) {
			cli_error("%s: %s", dir, strerror(errno));
			return CLI_ERROR;
		}
		cli_line(_("Making a demo city in %s ..."), dir);
		if (demo_make(dir) != 0)
			return CLI_ERROR;
	}
	if (!auth_demo_wrapped())
		return demo_reexec(dir, argv);
	xasprintf(&config, "%s/daicho.conf", dir);
	r = cli_console(dir, config, 1);
	free(config);
	/* After the console, or instead of it; not after a refusal. */
	if (r == CLI_OK || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		demo_cli_hint(dir);
	return r;
}
