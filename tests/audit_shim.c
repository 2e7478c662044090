/*
 * audit_shim.c -- libaudit's calls, recorded instead of sent, for
 * tests/audit.sh: auditd and the kernel's audit netlink socket are not
 * there in a container.  Preloaded (LD_PRELOAD) into daicho, it takes
 * the place of audit_open, audit_log_acct_message and
 * audit_log_user_message, and writes one line per event to the file
 * named by DAICHO_AUDIT_SHIM_LOG:
 *
 *	acct TYPE op=OP acct=NAME tty=TTY res=RESULT
 *	user TYPE msg=MESSAGE tty=TTY res=RESULT
 *
 * With DAICHO_AUDIT_SHIM_ERRNO=N (not empty), the process's first
 * audit_open fails with errno N, as it does on a kernel without audit
 * (EPROTONOSUPPORT) or in a container (EPERM), and "open-failed N" is
 * written.  It refuses to do anything
 * without DAICHO_AUDIT_SHIM_LOG, so it can never stand in unnoticed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int	audit_open(void);
int	audit_log_acct_message(int, int, const char *, const char *,
	    const char *, unsigned int, const char *, const char *,
	    const char *, int);
int	audit_log_user_message(int, int, const char *, const char *,
	    const char *, const char *, int);

/* Append line (n bytes, snprintf's result into 2048 at most) to the log. */
static void
shim_write(const char *line, int n)
{
	const char	*path = getenv("DAICHO_AUDIT_SHIM_LOG");
	int		 fd;

	if (path == NULL || n < 0 || n >= 2048)
		abort();
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) == -1)
		abort();
	if (write(fd, line, (size_t)n) != n)
		abort();
	close(fd);
}

static int	shim_opens;

#define S(x)	((x) != NULL ? (x) : "(null)")

int
audit_open(void)
{
	const char	*e = getenv("DAICHO_AUDIT_SHIM_ERRNO");
	char		 line[2048];

	if (getenv("DAICHO_AUDIT_SHIM_LOG") == NULL)
		abort();
	/* Only the first call fails: daicho's, made first thing in main();
	 * libpam's own (in the PAM child) would refuse the login. */
	if (e != NULL && *e != '\0' && shim_opens++ == 0) {
		shim_write(line, snprintf(line, sizeof line,
		    "open-failed %.20s\n", e));
		errno = (int)strtol(e, NULL, 10);
		return -1;
	}
	/* Any descriptor will do: nothing is ever sent on it. */
	return open("/dev/null", O_WRONLY | O_CLOEXEC);
}

int
audit_log_acct_message(int fd, int type, const char *pgname, const char *op,
    const char *name, unsigned int id, const char *host, const char *addr,
    const char *tty, int result)
{
	char	 line[2048];

	(void)pgname;
	(void)id;
	(void)host;
	(void)addr;
	if (fd < 0)
		abort();	/* daicho must not call with no descriptor */

	shim_write(line, snprintf(line, sizeof line,
	    "acct %d op=%s acct=%s tty=%s res=%d\n", type, S(op), S(name),
	    S(tty), result));
	return 1;
}

int
audit_log_user_message(int fd, int type, const char *message,
    const char *host, const char *addr, const char *tty, int result)
{
	char	 line[2048];

	(void)host;
	(void)addr;
	if (fd < 0)
		abort();

	shim_write(line, snprintf(line, sizeof line,
	    "user %d msg=%s tty=%s res=%d\n", type, S(message), S(tty),
	    result));
	return 1;
}
