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

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
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

int
cli_console(const char *dir, const char *config_path, int demo)
{
	struct core_config	 config;
	struct store		*s;
	char			*cause = NULL;
	int			 r;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("the console needs a terminal; for scripts, use a "
		    "command (daicho --help)");
		return CLI_ERROR;
	}
	if (core_config_load(config_path, 0, &config, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if ((s = store_open(dir, 0, &cause)) == NULL) {
		cli_error("%s", cause);
		free(cause);
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
		cli_error("demo: cannot find myself: %s", strerror(errno));
		return CLI_ERROR;
	}
	self[n] = '\0';
	if (auth_demo_wrap(dir, &cause) != 0) {
		cli_error("demo: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	execve(self, argv, environ);
	cli_error("demo: %s: %s", self, strerror(errno));
	return CLI_ERROR;
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
		cli_line("Making a demo city in %s ...", dir);
		if (demo_make(dir) != 0)
			return CLI_ERROR;
	}
	if (!auth_demo_wrapped())
		return demo_reexec(dir, argv);
	xasprintf(&config, "%s/daicho.conf", dir);
	r = cli_console(dir, config, 1);
	free(config);
	return r;
}
