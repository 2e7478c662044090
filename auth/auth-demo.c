/*
 * auth-demo.c -- the demo city's PAM: its service files, and pam_wrapper.
 *
 * "daicho --demo DIR" keeps everything inside DIR, PAM included: under
 * DIR/pam the service files and pam_matrix's password files, read through
 * pam_wrapper instead of /etc/pam.d, so the same demo logins work for the
 * command line too.  The demo's fingerprint module (tests/pam_fakefp.c,
 * installed as pam_daicho_demofp.so) answers as a reader would: it asks
 * the operators who "enrolled" for a finger, waits, and matches.  It
 * works only under pam_wrapper.
 *
 * The services:
 *	daicho		 the demo fingerprint, then the password (pam_matrix)
 *	daicho-password	 the password only: the fallback after Esc
 *	other		 pam_deny, so that pam_wrapper has one
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
#include "auth.h"

#define DEMO_WRAPPER_MODULES	"/usr/lib/x86_64-linux-gnu/pam_wrapper"
#define DEMO_PAM_MODULES	"/usr/lib/x86_64-linux-gnu/security"

#ifdef __SANITIZE_ADDRESS__
void	__asan_init(void);
#endif

static int
demo_write(const char *dir, const char *name, const char *text, char **cause)
{
	char	*path;
	FILE	*f;
	int	 fd, r = 0;

	xasprintf(&path, "%s/pam/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		free(path);
		return -1;
	}
	if (fputs(text, f) == EOF)
		r = -1;
	if (fclose(f) != 0)
		r = -1;
	if (r != 0)
		xasprintf(cause, "%s: %s", path, strerror(errno));
	free(path);
	return r;
}

/* pam_matrix's file for service: every user, the one password. */
static int
demo_passdb(const char *dir, const char *name, const char *service,
    const char *const *users, const char *password, char **cause)
{
	const char	*const *u;
	char		*text, *line;
	int		 r;

	text = xstrdup("");
	for (u = users; *u != NULL; u++) {
		xasprintf(&line, "%s%s:%s:%s\n", text, *u, password, service);
		free(text);
		text = line;
	}
	r = demo_write(dir, name, text, cause);
	free(text);
	return r;
}

/* The demo fingerprint module: beside the binary in a build, or installed. */
static char *
demo_fp_module(void)
{
	char	 self[PATH_MAX], *slash, *path;
	ssize_t	 n;

	if (getenv("DAICHO_DEMO_FPMODULE") != NULL)
		return xstrdup(getenv("DAICHO_DEMO_FPMODULE"));
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL)
			*slash = '\0';
		xasprintf(&path, "%s/tests/pam_fakefp.so", self);
		if (access(path, R_OK) == 0)
			return path;
		free(path);
	}
	xasprintf(&path, "%s/pam_daicho_demofp.so", PKGLIBDIR);
	return path;
}

/* A pam_matrix stack on passdb, after first (may be ""). */
static char *
demo_stack(const char *dir, const char *comment, const char *first,
    const char *passdb)
{
	char	*text;

	xasprintf(&text,
	    "# %s\n"
	    "%s"
	    "auth required %s/pam_matrix.so passdb=%s/pam/%s\n"
	    "account required %s/pam_matrix.so passdb=%s/pam/%s\n"
	    "password required %s/pam_matrix.so passdb=%s/pam/%s\n"
	    "session required %s/pam_permit.so\n",
	    comment, first,
	    DEMO_WRAPPER_MODULES, dir, passdb,
	    DEMO_WRAPPER_MODULES, dir, passdb,
	    DEMO_WRAPPER_MODULES, dir, passdb, DEMO_PAM_MODULES);
	return text;
}

int
auth_demo_setup(const char *dir, const char *const *users,
    const char *const *enrolled, const char *password, char **cause)
{
	const char	*const *e;
	char		*path, *fp, *first, *text, *list;
	int		 r;

	xasprintf(&path, "%s/pam", dir);
	if (mkdir(path, 0700) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	/*
	 * pam_matrix: user:password:service lines; it reads a user's first
	 * line only, so each service gets a file of its own.
	 */
	if (demo_passdb(dir, "passdb", "daicho", users, password,
	    cause) != 0 || demo_passdb(dir, "passdb-password",
	    "daicho-password", users, password, cause) != 0)
		return -1;

	/* Fingerprint first; no match or no print falls to the password. */
	list = xstrdup("");
	for (e = enrolled; *e != NULL; e++) {
		xasprintf(&text, "%s%s%s", list, *list != '\0' ? "," : "", *e);
		free(list);
		list = text;
	}
	fp = demo_fp_module();
	xasprintf(&first, "auth [success=done default=ignore] %s enrolled=%s "
	    "delay=2\n", fp, list);
	free(fp);
	free(list);
	text = demo_stack(dir, "The demo's console login: a demo fingerprint, "
	    "then the password.", first, "passdb");
	free(first);
	r = demo_write(dir, "daicho", text, cause);
	free(text);
	if (r != 0)
		return -1;
	text = demo_stack(dir, "The demo's password-only login (Esc during "
	    "the scan).", "", "passdb-password");
	r = demo_write(dir, "daicho-password", text, cause);
	free(text);
	if (r != 0)
		return -1;
	return demo_write(dir, "other",
	    "auth required " DEMO_PAM_MODULES "/pam_deny.so\n"
	    "account required " DEMO_PAM_MODULES "/pam_deny.so\n"
	    "password required " DEMO_PAM_MODULES "/pam_deny.so\n"
	    "session required " DEMO_PAM_MODULES "/pam_deny.so\n", cause);
}

int
auth_demo_wrapped(void)
{
	return getenv("PAM_WRAPPER") != NULL;
}

char *
auth_demo_env(const char *dir)
{
	char	*env;

	xasprintf(&env, "env LD_PRELOAD=libpam_wrapper.so PAM_WRAPPER=1 "
	    "PAM_WRAPPER_SERVICE_DIR=%s/pam", dir);
	return env;
}

int
auth_demo_wrap(const char *dir, char **cause)
{
	char	*servicedir;
	int	 r;

	xasprintf(&servicedir, "%s/pam", dir);
	r = setenv("LD_PRELOAD", "libpam_wrapper.so", 1) != 0 ||
	    setenv("PAM_WRAPPER", "1", 1) != 0 ||
	    setenv("PAM_WRAPPER_SERVICE_DIR", servicedir, 1) != 0 ? -1 : 0;
	free(servicedir);
	if (r != 0) {
		xasprintf(cause, "setenv: %s", strerror(errno));
		return -1;
	}
#ifdef __SANITIZE_ADDRESS__
	{
		/*
		 * A sanitizer build: ASan's runtime must stay first in the
		 * preload list, before pam_wrapper, or PAM's child dies.
		 */
		Dl_info	 info;
		char	*preload;

		if (dladdr((void *)__asan_init, &info) != 0 &&
		    info.dli_fname != NULL) {
			xasprintf(&preload, "%s libpam_wrapper.so",
			    info.dli_fname);
			setenv("LD_PRELOAD", preload, 1);
			free(preload);
		}
	}
#endif
	return 0;
}
