/*
 * unix-session.c -- ending the sessions of accounts a batch locked.
 *
 * A lock whose arg is "end-sessions" (an emergency
 * lockout that asked for it) also ends the account's running sessions,
 * after the batch's files are renamed into place and unlocked, so that
 * nobody can log back in meanwhile.  The uid is the one in this target's
 * own passwd.  It is refused, with the reason as the request's notice
 * and the lock standing, unless the configuration says end_sessions=yes,
 * and always for uid 0, a uid below UID_MIN (ROOT/etc/login.defs, or
 * 1000), the overflow uid 65534 (nobody, shared by daemons), a uid that
 * another passwd line has too, and the uids daicho itself runs as.  Then:
 *  - where systemd-logind keeps this machine's sessions (root is "/",
 *    systemd is init, /run/systemd/users/UID exists), loginctl
 *    terminate-user UID, run with execve and a time limit;
 *  - always, every process whose real, effective or saved uid is UID
 *    (logind knows only the sessions it started: cron jobs, su and
 *    daemonised processes are not in them) gets SIGTERM, SIGHUP and
 *    SIGCONT, as systemd stops a session, and after the grace SIGKILL,
 *    through its /proc/PID directory so that a reused pid is never hit;
 *    as root, a child that becomes UID then kills all that UID may
 *    signal with kill(-1), which catches a process forking as fast as it
 *    can.  daicho itself, init and daicho's own ancestors (a sudo of the
 *    operator's) are left alone, and kill(-1) is skipped for their uid.
 * A lock is done once its files are written, whatever happens to the
 * sessions: the notice (target_req.error of a done request) says what
 * was ended, or why not.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "unix-int.h"

/* Ending sessions. */

/* An account whose sessions a lock ends. */
struct unix_end {
	struct target_req *req;
	uid_t		 uid;		/* from the target's own passwd */
	struct unix_end	*first;		/* the one that counts for this uid
					   (two requests may name it) */
	size_t		 term;		/* processes sent SIGTERM */
	size_t		 kill;		/* sent SIGKILL after the grace */
	size_t		 left;		/* still there after SIGKILL */
	size_t		 spared;	/* daicho's ancestors, left alone */
	char		 logind[96];	/* what loginctl did; "" not run */
};

enum unix_pass {
	UNIX_PASS_TERM,		/* SIGTERM, SIGHUP, SIGCONT; count term */
	UNIX_PASS_LOOK,		/* signal nothing, count nothing */
	UNIX_PASS_KILL,		/* SIGKILL; count kill */
	UNIX_PASS_LEFT,		/* signal nothing; count left */
};

/* daicho's parent, its parent, ...: ending them would end daicho. */
struct unix_ancestors {
	pid_t		 pid[UNIX_ANCESTORS_MAX];
	size_t		 n;
};

/* A done request's notice: what its lock did about the sessions. */
static void DAICHO_PRINTF(2, 3)
unix_notice(struct target_req *r, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	n = snprintf(r->error, sizeof r->error, "%s: ", UNIX_END_ARG);
	va_start(ap, fmt);
	(void)vsnprintf(r->error + n, sizeof r->error - (size_t)n, fmt, ap);
	va_end(ap);
}

static int64_t
unix_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
unix_nap(void)
{
	struct timespec	 nap = { 0, UNIX_POLL_MS * 1000000L };

	nanosleep(&nap, NULL);
}

/*
 * UID_MIN from ROOT/etc/login.defs as shadow-utils reads it (the last
 * "UID_MIN n" line counts); UNIX_UID_MIN when the file or the line is
 * absent.  A file we may not trust (unix_read checks it as it checks
 * shadow) or a value that is not a decimal number refuses, with *cause:
 * a lower UID_MIN would let the processes of system accounts be ended.
 */
static int
unix_uid_min(struct unix_batch *b, long long *out, char **cause)
{
	static const struct unix_ftype defs = { "login.defs", 0, 0, 0, -1,
	    -1, -1 };
	struct unix_file f;
	const char	*p, *end, *nl, *v, *errstr;
	char		 num[16];
	size_t		 vlen;
	int		 r;

	memset(&f, 0, sizeof f);
	f.type = &defs;
	*out = UNIX_UID_MIN;
	if ((r = unix_read(b->t, b->etcfd, &f, cause)) != 0)
		return r == 1 ? 0 : -1;
	for (p = f.buf, end = f.buf + f.size; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		p += strspn(p, " \t");
		if ((size_t)(nl - p) < 8 || strncmp(p, "UID_MIN", 7) != 0 ||
		    (p[7] != ' ' && p[7] != '\t'))
			continue;
		v = p + 7 + strspn(p + 7, " \t");
		for (vlen = 0; v + vlen < nl && v[vlen] != ' ' &&
		    v[vlen] != '\t' && v[vlen] != '\r'; vlen++)
			;
		if (vlen == 0 || vlen >= sizeof num) {
			errstr = "invalid";
			goto bad;
		}
		memcpy(num, v, vlen);
		num[vlen] = '\0';
		if (number_parse(num, 0, UNIX_ID_MAX, out, &errstr) != 0)
			goto bad;
	}
	unix_file_free(&f);
	return 0;
bad:
	xasprintf(cause, "%s/login.defs: UID_MIN is %s", b->t->etc, errstr);
	unix_file_free(&f);
	return -1;
}

static int
unix_uid_cmp(const void *a, const void *b)
{
	uid_t	 x = *(const uid_t *)a, y = *(const uid_t *)b;

	return x < y ? -1 : x > y;
}

static int
unix_end_cmp(const void *a, const void *b)
{
	return unix_uid_cmp(&((const struct unix_end *)a)->uid,
	    &((const struct unix_end *)b)->uid);
}

/* How many passwd lines have uid (all: every line's uid, sorted). */
static size_t
unix_uid_count(const uid_t *all, size_t n, uid_t uid)
{
	size_t	 lo = 0, hi = n, mid, k = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (all[mid] < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + k < n && all[lo + k] == uid)
		k++;
	return k;
}

/*
 * Why the sessions of uid may not be ended, or NULL when they may.  The
 * uid's processes are all of that uid's on this machine, whoever they
 * belong to in another root: only an ordinary account of its own.
 */
static const char *
unix_end_refused(long long uid, long long uid_min, const uid_t *all,
    size_t nall, char *why, size_t whysz)
{
	uid_t	 r, e, s;

	if (uid == 0)
		return "uid 0: never ended";
	if (uid < uid_min) {
		snprintf(why, whysz, "uid %lld is below UID_MIN %lld (a system "
		    "account): not ended", uid, uid_min);
		return why;
	}
	if (uid == UNIX_OVERFLOW_UID)
		return "uid 65534 (nobody) is shared by daemons: not ended";
	if (getresuid(&r, &e, &s) == -1 || (uid_t)uid == r ||
	    (uid_t)uid == e || (uid_t)uid == s) {
		snprintf(why, whysz, "daicho itself runs as uid %lld: not "
		    "ended", uid);
		return why;
	}
	if (unix_uid_count(all, nall, (uid_t)uid) > 1) {
		snprintf(why, whysz, "uid %lld is another account's in passwd "
		    "too: not ended", uid);
		return why;
	}
	return NULL;
}

/*
 * The accounts of a committed batch whose sessions are to end: locks
 * applied with arg "end-sessions", their uids from the batch's passwd.
 * A request whose sessions may not be ended gets the reason as its
 * notice instead.  Returns the count; *out (sorted by uid) is the
 * caller's to free.
 */
size_t
unix_end_collect(struct unix_batch *b, struct target_req *reqs, size_t n,
    struct unix_end **out)
{
	struct unix_file *pwf = &b->f[F_PASSWD];
	struct unix_end	 *v = NULL;
	struct unix_field uf;
	uid_t		 *all = NULL;
	size_t		  nv = 0, nall = 0, i, line;
	long long	  uid, uid_min = UNIX_UID_MIN;
	char		 *defs_cause = NULL, *c = NULL, why[160];
	const char	 *no;
	int		  looked = 0;

	*out = NULL;
	for (i = 0; i < n; i++) {
		struct target_req *r = &reqs[i];

		if (!r->done || r->op != TARGET_LOCK ||
		    strcmp(r->arg, UNIX_END_ARG) != 0)
			continue;
		if (!b->t->end_sessions) {
			unix_notice(r, "not allowed by this system's "
			    "configuration (end_sessions=no): no process was "
			    "signalled");
			continue;
		}
		if (!looked) {
			looked = 1;
			if (unix_uid_min(b, &uid_min, &defs_cause) != 0)
				uid_min = -1;
			all = xcalloc(pwf->n + 1, sizeof *all);
			for (line = 0; line < pwf->n; line++) {
				if (pwf->lines[line].dead ||
				    pwf->lines[line].nis)
					continue;
				uf = unix_get(pwf, line, 2);
				if (unix_number(&uf, UNIX_ID_MAX, 0, &uid) == 0)
					all[nall++] = (uid_t)uid;
			}
			qsort(all, nall, sizeof *all, unix_uid_cmp);
		}
		if (uid_min == -1) {
			unix_notice(r, "%s: no process was signalled",
			    defs_cause);
			continue;
		}
		/* The lock found the line; the line's uid parsed. */
		if (unix_find(b, F_PASSWD, r->login, &line, &c) != 0) {
			unix_notice(r, "no passwd line: not ended");
			free(c);
			c = NULL;
			continue;
		}
		uf = unix_get(pwf, line, 2);
		if (unix_number(&uf, UNIX_ID_MAX, 0, &uid) != 0) {
			unix_notice(r, "the uid is not a number: not ended");
			continue;
		}
		no = unix_end_refused(uid, uid_min, all, nall, why,
		    sizeof why);
		if (no != NULL) {
			unix_notice(r, "%s", no);
			continue;
		}
		v = xreallocarray(v, nv + 1, sizeof *v);
		memset(&v[nv], 0, sizeof v[nv]);
		v[nv].req = r;
		v[nv].uid = (uid_t)uid;
		nv++;
	}
	free(defs_cause);
	free(all);
	if (nv > 0)
		qsort(v, nv, sizeof *v, unix_end_cmp);
	for (i = 0; i < nv; i++)
		v[i].first = i > 0 && v[i - 1].uid == v[i].uid ?
		    v[i - 1].first : &v[i];
	*out = v;
	return nv;
}

/* One decimal number at *p, at most max; *p moves past it. */
static int
unix_proc_number(const char **p, unsigned long long max,
    unsigned long long *out)
{
	unsigned long long v = 0;
	const char	*s = *p;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned long long)(*s - '0');
		if (v > max)
			return -1;
	}
	*p = s;
	*out = v;
	return 0;
}

/*
 * A process's state letter, its real, effective and saved uids and its
 * parent, read through its /proc/PID directory (dfd), which pins it: if
 * the process has gone, the read fails rather than show another's.
 */
static int
unix_proc_status(int dfd, char *state, uid_t uids[3], pid_t *ppid)
{
	char		 buf[2048];
	const char	*p;
	unsigned long long v;
	ssize_t		 n;
	int		 fd, k;

	/* State, PPid and Uid come before the (long) Groups line. */
	if ((fd = openat(dfd, "status", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* Name escapes newlines, so "\nKey:" is the key's own line. */
	if ((p = strstr(buf, "\nState:\t")) == NULL)
		return -1;
	*state = p[8];
	if ((p = strstr(buf, "\nPPid:\t")) == NULL)
		return -1;
	p += 7;
	if (unix_proc_number(&p, INT_MAX, &v) != 0)
		return -1;
	*ppid = (pid_t)v;
	if ((p = strstr(buf, "\nUid:\t")) == NULL)
		return -1;
	p += 6;
	for (k = 0; k < 3; k++) {
		if (unix_proc_number(&p, UINT32_MAX, &v) != 0 || *p++ != '\t')
			return -1;
		uids[k] = (uid_t)v;
	}
	return 0;
}

/* Open /proc/PID as a directory (a handle on that very process). */
static int
unix_proc_open(int procfd, const char *name)
{
	return openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static void
unix_ancestors(struct unix_ancestors *a)
{
	char	 name[24], state;
	uid_t	 uids[3];
	pid_t	 pid = getppid(), ppid;
	int	 dfd;

	a->n = 0;
	while (pid > 1 && a->n < UNIX_ANCESTORS_MAX) {
		a->pid[a->n++] = pid;
		snprintf(name, sizeof name, "/proc/%ld", (long)pid);
		if ((dfd = unix_proc_open(AT_FDCWD, name)) == -1)
			break;
		if (unix_proc_status(dfd, &state, uids, &ppid) != 0)
			ppid = 0;
		close(dfd);
		pid = ppid;
	}
}

/*
 * Send sig to the process behind dfd: pidfd_send_signal accepts a
 * /proc/PID directory, so a pid reused since we looked is not hit.
 * kill() where the kernel predates it (Linux 5.1).
 */
static int
unix_signal(int dfd, pid_t pid, int sig)
{
#ifdef SYS_pidfd_send_signal
	if (syscall(SYS_pidfd_send_signal, dfd, sig, NULL, 0) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
#else
	(void)dfd;
#endif
	return kill(pid, sig);
}

/* The entry that counts for a process with these uids, or NULL. */
static struct unix_end *
unix_end_match(struct unix_end *ends, size_t n, const uid_t uids[3])
{
	struct unix_end	 key, *e;
	int		 k;

	memset(&key, 0, sizeof key);
	for (k = 0; k < 3; k++) {
		key.uid = uids[k];
		e = bsearch(&key, ends, n, sizeof *ends, unix_end_cmp);
		if (e != NULL)
			return e->first;
	}
	return NULL;
}

/*
 * One pass over /proc: every process whose real, effective or saved uid
 * is one of ends' (holding a uid in any of them, it can act as that
 * user), but daicho, init, zombies and daicho's ancestors, is signalled
 * and counted as pass says.  Returns how many there were, or -1 when
 * /proc cannot be read.
 */
static ssize_t
unix_proc_pass(struct unix_end *ends, size_t n,
    const struct unix_ancestors *anc, enum unix_pass pass)
{
	struct unix_end	*e;
	struct dirent	*de;
	DIR		*d;
	const char	*errstr;
	long long	 pid;
	pid_t		 ppid;
	uid_t		 uids[3];
	ssize_t		 found = 0;
	size_t		 k;
	char		 state;
	int		 dfd;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (number_parse(de->d_name, 2, INT_MAX, &pid, &errstr) != 0 ||
		    pid == (long long)getpid())
			continue;
		if ((dfd = unix_proc_open(dirfd(d), de->d_name)) == -1)
			continue;
		if (unix_proc_status(dfd, &state, uids, &ppid) != 0 ||
		    state == 'Z' || state == 'X' ||
		    (e = unix_end_match(ends, n, uids)) == NULL) {
			close(dfd);
			continue;
		}
		for (k = 0; k < anc->n && anc->pid[k] != (pid_t)pid; k++)
			;
		if (k < anc->n) {
			if (pass == UNIX_PASS_TERM)
				e->spared++;
			close(dfd);
			continue;
		}
		found++;
		switch (pass) {
		case UNIX_PASS_TERM:
			if (unix_signal(dfd, (pid_t)pid, SIGTERM) == 0) {
				e->term++;
				(void)unix_signal(dfd, (pid_t)pid, SIGHUP);
				(void)unix_signal(dfd, (pid_t)pid, SIGCONT);
			}
			break;
		case UNIX_PASS_KILL:
			if (unix_signal(dfd, (pid_t)pid, SIGKILL) == 0)
				e->kill++;
			break;
		case UNIX_PASS_LEFT:
			e->left++;
			break;
		case UNIX_PASS_LOOK:
			break;
		}
		close(dfd);
	}
	closedir(d);
	return found;
}

/*
 * SIGKILL every process uid may signal, at once: a child that becomes
 * uid (losing every capability) calls kill(-1), which the kernel applies
 * to all of them in one sweep, so a process forking as fast as it can is
 * caught too (and so are the user's rootless containers).  Root only,
 * never uid 0: the child checks that it holds nothing but uid before it
 * signals, since kill(-1) as root would end every process there is.
 */
static void
unix_kill_uid(uid_t uid)
{
	uid_t	 r, e, s;
	pid_t	 pid;

	if (uid == 0 || geteuid() != 0)
		return;
	if ((pid = fork()) == -1)
		return;
	if (pid == 0) {
		/* It becomes uid: keep nothing of ours open in it. */
		fd_closefrom(STDERR_FILENO + 1);
		if (setresuid(uid, uid, uid) == 0 &&
		    getresuid(&r, &e, &s) == 0 && r == uid && e == uid &&
		    s == uid && geteuid() != 0)
			(void)kill(-1, SIGKILL);
		_exit(0);
	}
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		;
}

/*
 * loginctl, when systemd-logind keeps this machine's sessions: the
 * target's root is the machine's own, systemd is init (as sd_booted()
 * checks: /run/systemd/system; /run/systemd/seats is made by packages
 * even where logind never runs), and the program is root's and writable
 * by nobody else.  NULL otherwise.
 */
static const char *
unix_loginctl(const struct target *t)
{
	static const char *const paths[] = {
		"/usr/bin/loginctl", "/bin/loginctl"
	};
	struct stat	 sb;
	size_t		 i;

	if (strcmp(t->root, "/") != 0 ||
	    lstat("/run/systemd/system", &sb) == -1 || !S_ISDIR(sb.st_mode))
		return NULL;
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		if (stat(paths[i], &sb) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_uid == 0 && (sb.st_mode & (S_IWGRP | S_IWOTH)) == 0 &&
		    (sb.st_mode & S_IXUSR) != 0)
			return paths[i];
	}
	return NULL;
}

/*
 * loginctl terminate-user UID for a uid that logind tracks
 * (/run/systemd/users/UID): logind stops the user's sessions and user
 * manager.  Run with execve, its output to /dev/null, PATH its only
 * environment, default signal handling, and a time limit (logind may
 * hang, and a lockout must not).  What happened goes to e->logind.
 */
static void
unix_logind_end(const char *loginctl, struct unix_end *e)
{
	static char	 term[] = "terminate-user";
	static char	 path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	char		 prog[32], uid[24], run[64], *argv[4], *envp[2];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t	 all, none;
	int64_t		 deadline;
	pid_t		 pid, r;
	int		 status, err;

	snprintf(run, sizeof run, "/run/systemd/users/%lu",
	    (unsigned long)e->uid);
	if (access(run, F_OK) != 0)
		return;		/* no session logind knows of */
	snprintf(prog, sizeof prog, "%s", loginctl);
	snprintf(uid, sizeof uid, "%lu", (unsigned long)e->uid);
	argv[0] = prog;
	argv[1] = term;
	argv[2] = uid;
	argv[3] = NULL;
	envp[0] = path;
	envp[1] = NULL;
	if (fd_spawn_actions(&fa) != 0)
		return;
	posix_spawnattr_init(&attr);
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF |
	    POSIX_SPAWN_SETSIGMASK);
	err = posix_spawn(&pid, prog, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err != 0) {
		snprintf(e->logind, sizeof e->logind, "%s: %s", prog,
		    target_strerror(err));
		return;
	}
	deadline = unix_now_ms() + UNIX_LOGINCTL_MS;
	while ((r = waitpid(pid, &status, WNOHANG)) == 0 ||
	    (r == -1 && errno == EINTR)) {
		if (unix_now_ms() >= deadline) {
			(void)kill(pid, SIGKILL);
			(void)waitpid(pid, &status, 0);
			snprintf(e->logind, sizeof e->logind, "loginctl "
			    "terminate-user did not finish within %d s",
			    UNIX_LOGINCTL_MS / 1000);
			return;
		}
		unix_nap();
	}
	if (r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		snprintf(e->logind, sizeof e->logind, "logind ended its "
		    "sessions");
	else if (r == pid && WIFEXITED(status))
		snprintf(e->logind, sizeof e->logind, "loginctl "
		    "terminate-user failed (exit %d)", WEXITSTATUS(status));
	else
		snprintf(e->logind, sizeof e->logind, "loginctl "
		    "terminate-user failed");
}

/* The notice for e, from what was done for its uid. */
static void
unix_end_report(const struct target *t, struct unix_end *e)
{
	const struct unix_end *f = e->first;
	char		 s[TARGET_ERROR_MAX];
	size_t		 len = 0;

#define ADD(...) do {							\
	if (len < sizeof s)						\
		len += (size_t)snprintf(s + len, sizeof s - len,	\
		    __VA_ARGS__);					\
} while (0)
	if (f->logind[0] != '\0')
		ADD("%s; ", f->logind);
	if (f->term == 0 && f->kill == 0)
		ADD("no process was running");
	else
		ADD("SIGTERM to %zu process%s", f->term,
		    f->term == 1 ? "" : "es");
	if (f->kill > 0)
		ADD(", SIGKILL to %zu after %d s", f->kill, t->grace_ms / 1000);
	if (f->left > 0)
		ADD("; %zu still running after SIGKILL", f->left);
	if (f->spared > 0)
		ADD("; %zu left alone (daicho's own parent process%s)",
		    f->spared, f->spared == 1 ? "" : "es");
#undef ADD
	unix_notice(e->req, "%s", s);
}

/*
 * End the sessions of ends' uids (after their locks were written): logind
 * first where it runs, then the processes, SIGTERM, a grace, SIGKILL.
 * Each request gets a notice; nothing here can undo a lock.
 */
void
unix_end_sessions(struct target *t, struct unix_end *ends, size_t n)
{
	struct unix_ancestors anc;
	const char	*loginctl;
	int64_t		 deadline;
	ssize_t		 found;
	size_t		 i;

	unix_ancestors(&anc);
	if ((loginctl = unix_loginctl(t)) != NULL) {
		for (i = 0; i < n; i++) {
			if (ends[i].first == &ends[i])
				unix_logind_end(loginctl, &ends[i]);
		}
	}
	if ((found = unix_proc_pass(ends, n, &anc, UNIX_PASS_TERM)) == -1) {
		for (i = 0; i < n; i++)
			unix_notice(ends[i].req, "%s%s/proc cannot be read: "
			    "no process was signalled", ends[i].first->logind,
			    ends[i].first->logind[0] != '\0' ? "; " : "");
		return;
	}
	deadline = unix_now_ms() + t->grace_ms;
	while (found > 0 && unix_now_ms() < deadline) {
		unix_nap();
		found = unix_proc_pass(ends, n, &anc, UNIX_PASS_LOOK);
	}
	if (found > 0) {
		(void)unix_proc_pass(ends, n, &anc, UNIX_PASS_KILL);
		/* And whatever they forked meanwhile, in one sweep. */
		for (i = 0; i < n; i++) {
			if (ends[i].first == &ends[i] && ends[i].spared == 0)
				unix_kill_uid(ends[i].uid);
		}
		deadline = unix_now_ms() + UNIX_KILL_WAIT_MS;
		while ((found = unix_proc_pass(ends, n, &anc,
		    UNIX_PASS_LOOK)) > 0 && unix_now_ms() < deadline)
			unix_nap();
		if (found > 0)
			(void)unix_proc_pass(ends, n, &anc, UNIX_PASS_LEFT);
	}
	for (i = 0; i < n; i++)
		unix_end_report(t, &ends[i]);
}
