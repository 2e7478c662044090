/*
 * target-exec.c -- systems with no standard interface: an administrator's
 * program does the work.  daicho runs it with execve (never a shell), one
 * run per operation, writes one request on its stdin and reads one result
 * from its stdout, within a time limit; docs/target-exec.md is the
 * contract the program implements.
 *
 * Configuration:
 *	program=/absolute/path	the program: a regular file, not writable by
 *				group or others, owned by root or us, on a
 *				path nobody else can change; opened once
 *				and run from that descriptor (fexecve)
 *	timeout=10		seconds per run (1..600)
 *
 * Request (stdin):		Result (stdout, first line):
 *	daicho-exec v1			ok
 *	op lock				error TEXT
 *	login yamada
 *	arg ...
 * A list run answers "account LOGIN LOCKED(0|1) NAME..." lines, then "ok".
 * A set password's cleartext (req->secret) never goes to the program:
 * its arg is the yescrypt hash daicho makes of it, as the contract says.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "targets-int.h"

#define EXEC_OUT_MAX	(1 << 20)	/* bytes of output read at most */
#define EXEC_LINKS_MAX	40		/* symbolic links on the way, as ELOOP */
#define EXEC_DEPTH_MAX	64		/* directories on the way */
#define EXEC_PROG_FD	3		/* the program, in the child: a #!
					   script's interpreter opens it as
					   /dev/fd/3 */

struct target {
	char	*program;		/* as configured: for messages */
	int	 fd;			/* the program, opened and checked
					   once: what every run executes */
	int	 timeout;
};

static int
exec_config(struct target *t, const char *config, char **cause)
{
	const char	*p, *nl, *errstr;
	char		 line[1024], *v;
	long long	 n;
	size_t		 len;

	t->timeout = 10;
	for (p = config; *p != '\0'; p = nl != NULL ? nl + 1 : p + len) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (len == 0)
			continue;
		if (len >= sizeof line || (v = memchr(p, '=', len)) == NULL) {
			xasprintf(cause, "exec: a configuration line is not "
			    "key=value");
			return -1;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		v = line + (v - p);
		*v++ = '\0';
		if (strcmp(line, "program") == 0) {
			free(t->program);
			t->program = xstrdup(v);
		} else if (strcmp(line, "timeout") == 0) {
			if (number_parse(v, 1, 600, &n, &errstr) != 0) {
				xasprintf(cause, "exec: timeout must be 1 to "
				    "600 seconds");
				return -1;
			}
			t->timeout = (int)n;
		} else {
			xasprintf(cause, "exec: unknown key \"%.40s\"", line);
			return -1;
		}
	}
	if (t->program == NULL || t->program[0] != '/') {
		xasprintf(cause, "exec: program= must be an absolute path");
		return -1;
	}
	return 0;
}

/* May only root and daicho's user change what this names? */
static int
exec_owner_ok(const struct stat *sb)
{
	return sb->st_uid == 0 || sb->st_uid == geteuid();
}

/*
 * A directory on the program's way, as OpenSSH's safe_path and sudo check
 * one: owned by root or us and not writable by group or others.  A sticky
 * directory writable by others (/tmp) passes when the entry used in it is
 * root's or ours, since then only that owner may rename or remove it.
 */
static int
exec_dir_ok(const char *dir, const struct stat *dsb, const struct stat *esb,
    const char *program, char **cause)
{
	if (!exec_owner_ok(dsb)) {
		xasprintf(cause, "exec: %s (on the way to %s) is owned by uid "
		    "%lu; refusing the program", dir, program,
		    (unsigned long)dsb->st_uid);
		return -1;
	}
	if ((dsb->st_mode & (S_IWGRP | S_IWOTH)) == 0)
		return 0;
	if ((dsb->st_mode & S_ISVTX) && exec_owner_ok(esb))
		return 0;
	xasprintf(cause, "exec: %s (on the way to %s) is writable by group or "
	    "others, who could swap the program; refusing it", dir, program);
	return -1;
}

/* The program file itself, as doas checks its configuration. */
static int
exec_file_ok(const char *path, const struct stat *sb, char **cause)
{
	if (!S_ISREG(sb->st_mode) || !(sb->st_mode & S_IXUSR)) {
		xasprintf(cause, "exec: %s is not an executable file", path);
		return -1;
	}
	if (!exec_owner_ok(sb)) {
		xasprintf(cause, "exec: %s is owned by uid %lu; refusing it",
		    path, (unsigned long)sb->st_uid);
		return -1;
	}
	if (sb->st_mode & (S_IWGRP | S_IWOTH)) {
		xasprintf(cause, "exec: %s is writable by others; refusing "
		    "it", path);
		return -1;
	}
	return 0;
}

/*
 * Open the program once, walking its path from / one name at a time
 * without following a link by accident: every directory used is checked
 * (exec_dir_ok) through the descriptor it was opened as, so what was
 * checked is what the next name is looked up in.  A symbolic link among
 * the directories (/bin on a merged-/usr system) is read and its target
 * walked the same way; the program itself may not be a link.  Returns an
 * O_PATH descriptor of the checked file (close-on-exec), or -1, *cause.
 */
/* The walk of exec_open_program: the directories open on the way. */
struct exec_walk {
	struct {
		int		 fd;
		struct stat	 sb;
		size_t		 plen;		/* of the path below */
	}		 dir[EXEC_DEPTH_MAX];
	size_t		 depth;
	char		 path[PATH_MAX];	/* walked so far, for messages */
	char		*rest;			/* what is left to walk */
	int		 links;
};

static void
exec_walk_close(struct exec_walk *w)
{
	while (w->depth > 0)
		close(w->dir[w->depth--].fd);
	if (w->dir[0].fd != -1)
		close(w->dir[0].fd);
	free(w->rest);
}

/*
 * fd is a symbolic link met on the way (w->path): walk its target, then
 * what was left after it (next).  0 with *next where the walk goes on,
 * or -1 with *cause.
 */
static int
exec_walk_link(struct exec_walk *w, int fd, char **next, char **cause)
{
	char	 link[PATH_MAX], *name;
	ssize_t	 n;

	n = readlinkat(fd, "", link, sizeof link);
	if (n <= 0 || (size_t)n >= sizeof link ||
	    ++w->links > EXEC_LINKS_MAX) {
		xasprintf(cause, "exec: %s: %s", w->path, n == -1 ?
		    target_strerror(errno) : "too many links");
		return -1;
	}
	link[n] = '\0';
	if (link[0] == '/') {
		while (w->depth > 0)
			close(w->dir[w->depth--].fd);
	}
	xasprintf(&name, "%s/%s", link, *next);
	free(w->rest);
	w->rest = *next = name;
	return 0;
}

static int
exec_open_program(const char *program, char **cause)
{
	struct exec_walk w;
	struct stat	 sb;
	char		*name, *next;
	size_t		 len;
	int		 fd = -1, last;

	memset(&w, 0, sizeof w);
	w.rest = xstrdup(program);
	if ((w.dir[0].fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fstat(w.dir[0].fd, &w.dir[0].sb) == -1) {
		xasprintf(cause, "exec: /: %s", target_strerror(errno));
		goto fail;
	}
	for (name = w.rest;; name = next) {
		while (*name == '/')
			name++;
		if ((next = strchr(name, '/')) != NULL)
			*next++ = '\0';
		else
			next = name + strlen(name);
		last = strspn(next, "/") == strlen(next);
		if (*name == '\0' || strcmp(name, ".") == 0 ||
		    strcmp(name, "..") == 0) {
			if (name[0] == '.' && name[1] == '.' && w.depth > 0)
				close(w.dir[w.depth--].fd);
			if (last)
				break;		/* ends in a directory */
			continue;
		}
		len = w.dir[w.depth].plen;
		if (snprintf(w.path + len, sizeof w.path - len, "/%s", name) >=
		    (int)(sizeof w.path - len)) {
			xasprintf(cause, "exec: %s: the path is too long",
			    program);
			goto fail;
		}
		fd = openat(w.dir[w.depth].fd, name, O_PATH | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd == -1 || fstat(fd, &sb) == -1) {
			xasprintf(cause, "exec: %s: %s", w.path,
			    target_strerror(errno));
			goto fail;
		}
		w.path[len] = '\0';
		if (exec_dir_ok(len == 0 ? "/" : w.path, &w.dir[w.depth].sb,
		    &sb, program, cause) != 0)
			goto fail;
		w.path[len] = '/';
		if (S_ISLNK(sb.st_mode)) {
			if (last) {
				xasprintf(cause, "exec: %s is a symbolic link; "
				    "name the program itself", w.path);
				goto fail;
			}
			if (exec_walk_link(&w, fd, &next, cause) != 0)
				goto fail;
			close(fd);
			fd = -1;
			continue;
		}
		if (last)
			break;
		if (!S_ISDIR(sb.st_mode)) {
			xasprintf(cause, "exec: %s: %s", w.path,
			    target_strerror(ENOTDIR));
			goto fail;
		}
		if (w.depth + 1 == EXEC_DEPTH_MAX) {
			xasprintf(cause, "exec: %s: too deep", program);
			goto fail;
		}
		w.depth++;
		w.dir[w.depth].fd = fd;
		w.dir[w.depth].sb = sb;
		w.dir[w.depth].plen = strlen(w.path);
		fd = -1;
	}
	if (fd == -1) {
		xasprintf(cause, "exec: %s is not an executable file", program);
		goto fail;
	}
	if (exec_file_ok(program, &sb, cause) != 0)
		goto fail;
	exec_walk_close(&w);
	return fd;

fail:
	if (fd != -1)
		close(fd);
	exec_walk_close(&w);
	return -1;
}

static struct target *
exec_open(const char *config, char **cause)
{
	struct target	*t = xcalloc(1, sizeof *t);

	if (exec_config(t, config, cause) != 0 ||
	    (t->fd = exec_open_program(t->program, cause)) == -1) {
		free(t->program);
		free(t);
		return NULL;
	}
	return t;
}

static void
exec_close(struct target *t)
{
	if (t == NULL)
		return;
	close(t->fd);
	free(t->program);
	free(t);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The child: the request on stdin, the answer on stdout, stderr as it is,
 * and nothing else above 2 (daicho may hold the operators' --askpass-fd,
 * the ledger, a target's files): exactly the file exec_open checked runs.
 * An ELF program is run from a close-on-exec descriptor.  A #! script
 * cannot be (the kernel hands its interpreter the name /dev/fd/N, which
 * must still be open: ENOENT otherwise), so then the program's own
 * descriptor, read-only and the file the program is, stays open as 3.
 */
static DAICHO_NORETURN void
exec_child(int prog, int in, int out, char *const argv[], char *const envp[])
{
	/* Above 3 first, so that no dup2 below lands on another's number. */
	if ((prog = fcntl(prog, F_DUPFD_CLOEXEC, EXEC_PROG_FD + 1)) == -1 ||
	    (in = fcntl(in, F_DUPFD_CLOEXEC, EXEC_PROG_FD + 1)) == -1 ||
	    (out = fcntl(out, F_DUPFD_CLOEXEC, EXEC_PROG_FD + 1)) == -1 ||
	    dup2(in, STDIN_FILENO) == -1 || dup2(out, STDOUT_FILENO) == -1 ||
	    dup2(prog, EXEC_PROG_FD) == -1)
		_exit(127);
	fd_closefrom(EXEC_PROG_FD + 1);
	/* Its own process group, so a timeout kills all of it. */
	setpgid(0, 0);
	if (fd_cloexec(EXEC_PROG_FD) == -1)
		_exit(127);
	fexecve(EXEC_PROG_FD, argv, envp);
	if (errno == ENOENT &&
	    fcntl(EXEC_PROG_FD, F_SETFD, 0) != -1)
		fexecve(EXEC_PROG_FD, argv, envp);
	_exit(127);
}

/*
 * Run the program once with request on stdin; its stdout into *out
 * (caller frees).  0 when it exited 0 in time; -1 with *cause otherwise.
 */
static int
exec_run(struct target *t, const char *request, char **out, char **cause)
{
	int	 in[2], outp[2], status, r;
	pid_t	 pid;
	size_t	 len = 0, wlen = strlen(request), woff = 0;
	char	*buf = xmalloc(EXEC_OUT_MAX + 1);
	double	 deadline = now() + t->timeout;
	char	*argv[2] = { t->program, NULL };
	static char path_env[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	char	*envp[] = { path_env, NULL };
	struct pollfd pfd[2];
	ssize_t	 n;
	char	*why = NULL;

	*out = NULL;
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(outp, O_CLOEXEC) == -1)
		fatal("pipe2");
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0)
		exec_child(t->fd, in[0], outp[1], argv, envp);
	close(in[0]);
	close(outp[1]);
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		int nfds = 0, ms = (int)((deadline - now()) * 1000);

		if (ms <= 0) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			xasprintf(&why, "exec: %s did not finish within %d "
			    "seconds; killed", t->program, t->timeout);
			break;
		}
		if (woff < wlen) {
			pfd[nfds].fd = in[1];
			pfd[nfds++].events = POLLOUT;
		}
		pfd[nfds].fd = outp[0];
		pfd[nfds++].events = POLLIN;
		if ((r = poll(pfd, (nfds_t)nfds, ms)) == -1 && errno != EINTR)
			fatal("poll");
		if (woff < wlen && (pfd[0].revents & (POLLOUT | POLLERR |
		    POLLHUP))) {
			if ((n = write(in[1], request + woff, wlen - woff)) > 0)
				woff += (size_t)n;
			else
				woff = wlen;	/* it stopped reading: fine */
			if (woff == wlen) {
				close(in[1]);
				in[1] = -1;
			}
		}
		if (pfd[nfds - 1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(outp[0], buf + len, EXEC_OUT_MAX - len);
			if (n == 0)
				break;		/* it closed stdout: done */
			if (n > 0)
				len += (size_t)n;
			if (len == EXEC_OUT_MAX) {
				kill(-pid, SIGKILL);
				kill(pid, SIGKILL);
				xasprintf(&why, "exec: %s wrote more than %d "
				    "bytes; killed", t->program, EXEC_OUT_MAX);
				break;
			}
		}
	}
	if (in[1] != -1)
		close(in[1]);
	close(outp[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	buf[len] = '\0';
	if (why != NULL) {
		*cause = why;
		free(buf);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFSIGNALED(status))
			xasprintf(cause, "exec: %s died of signal %d",
			    t->program, WTERMSIG(status));
		else
			xasprintf(cause, "exec: %s exited with status %d",
			    t->program, WEXITSTATUS(status));
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

/* The result line: "ok", or "error TEXT"; anything else is garbage. */
int
target_exec_result(const char *out, char *error, size_t len)
{
	const char	*last, *p;
	size_t		 n;

	/* The result is the last non-empty line. */
	n = strlen(out);
	while (n > 0 && out[n - 1] == '\n')
		n--;
	for (last = out + n; last > out && last[-1] != '\n'; last--)
		;
	if ((size_t)(out + n - last) == 2 && strncmp(last, "ok", 2) == 0)
		return 0;
	if (strncmp(last, "error ", 6) == 0) {
		snprintf(error, len, "%.*s", (int)(out + n - last - 6),
		    last + 6);
		/* The program's text reaches a screen: no control bytes. */
		for (p = error; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				error[p - error] = '?';
		}
		return -1;
	}
	snprintf(error, len, "exec: the program's answer is not \"ok\" or "
	    "\"error TEXT\"");
	return -1;
}

/*
 * Can the request carry value v (a field of size bytes) whole, on one
 * line?  The actions refuse such values already; this is the last check
 * before a program sees them, so a value is never cut or split here.
 * 0, or -1 with the reason in err.
 */
static int
exec_value_ok(const char *what, const char *v, size_t size, char *err,
    size_t errlen)
{
	const unsigned char	*p = (const unsigned char *)v;
	size_t			 len, i, k;
	uint32_t		 cp;

	if (memchr(v, '\0', size) == NULL) {
		snprintf(err, errlen, "exec: the %s is longer than %zu bytes; a "
		    "request carries no more, and nothing was sent", what,
		    size - 1);
		return -1;
	}
	len = strlen(v);
	for (i = 0; i < len; i += k) {
		if ((k = vis_utf8(p + i, len - i, &cp)) == 0) {
			snprintf(err, errlen, "exec: the %s is not valid UTF-8 "
			    "(byte %zu); nothing was sent", what, i + 1);
			return -1;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			snprintf(err, errlen, "exec: the %s has a control "
			    "character (byte %zu), which a request line cannot "
			    "carry; nothing was sent", what, i + 1);
			return -1;
		}
	}
	return 0;
}

/*
 * A set password's arg: the yescrypt hash of the secret (which is then
 * wiped) into hash, for the program to store.  0, or -1 with q->error.
 */
static int
exec_password(struct target_req *q, char *hash, size_t size)
{
	char	 why[TARGET_ERROR_MAX / 2], *cause = NULL;
	int	 r = -1;

	if (q->arg[0] != '\0')
		snprintf(q->error, sizeof q->error, "exec: set password takes "
		    "its password in the secret, and no argument");
	else if (target_secret_check(q->secret, why, sizeof why) != 0)
		snprintf(q->error, sizeof q->error, "exec: %s", why);
	else if (target_yescrypt(q->secret, hash, size, &cause) != 0) {
		snprintf(q->error, sizeof q->error, "exec: %s", cause);
		free(cause);
	} else
		r = 0;
	sodium_memzero(q->secret, sizeof q->secret);
	return r;
}

static int
exec_apply(struct target *t, struct target_req *reqs, size_t n, char **cause)
{
	char		*request, *out, *err, hash[sizeof reqs->arg];
	const char	*arg;
	size_t		 i;

	(void)cause;
	for (i = 0; i < n; i++) {
		struct target_req *q = &reqs[i];

		q->done = 0;
		q->error[0] = '\0';
		arg = q->arg;
		if (q->op == TARGET_SET_PASSWORD) {
			if (exec_password(q, hash, sizeof hash) != 0)
				continue;
			arg = hash;
		} else
			sodium_memzero(q->secret, sizeof q->secret);
		if (exec_value_ok("login", q->login, sizeof q->login, q->error,
		    sizeof q->error) != 0 || exec_value_ok(q->op ==
		    TARGET_CREATE ? "display name" : "argument", arg,
		    sizeof q->arg, q->error, sizeof q->error) != 0)
			continue;
		if (q->login[0] == '\0' || strchr(q->login, ' ') != NULL) {
			snprintf(q->error, sizeof q->error, "exec: the login "
			    "\"%s\" cannot be one word of a request; nothing "
			    "was sent", q->login);
			continue;
		}
		xasprintf(&request, "daicho-exec v1\nop %s\nlogin %s\narg %s\n",
		    target_op_name(q->op), q->login, arg);
		err = NULL;
		if (exec_run(t, request, &out, &err) != 0) {
			snprintf(q->error, sizeof q->error, "%s", err);
			free(err);
		} else {
			if (target_exec_result(out, q->error, sizeof q->error) == 0)
				q->done = 1;
			free(out);
		}
		free(request);
	}
	return 0;
}

static int
exec_list(struct target *t, struct target_account **out, size_t *nout,
    char **cause)
{
	char	*text, error[TARGET_ERROR_MAX];
	int	 r;

	if (exec_run(t, "daicho-exec v1\nop list\nlogin -\narg \n", &text,
	    cause) != 0)
		return -1;
	if (target_exec_result(text, error, sizeof error) != 0) {
		xasprintf(cause, _("exec: list: %s"), error);
		free(text);
		return -1;
	}
	r = target_exec_parse_list(text, out, nout, cause);
	free(text);
	return r;
}

int
target_exec_parse_list(char *text, struct target_account **out,
    size_t *nout, char **cause)
{
	struct target_account	*v = NULL;
	char			*line, *save;
	size_t			 n = 0, cap = 0;
	int			 locked, off;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "account ", 8) != 0)
			continue;
		v = xgrow(v, &cap, n + 1, sizeof *v);
		memset(&v[n], 0, sizeof v[n]);
		off = 0;
		if (sscanf(line + 8, "%32s %d %n", v[n].login, &locked,
		    &off) < 2 || (locked != 0 && locked != 1)) {
			xasprintf(cause, _("exec: list: a bad account line"));
			free(v);
			return -1;
		}
		snprintf(v[n].name, sizeof v[n].name, "%s", line + 8 + off);
		v[n].locked = locked;
		v[n].expired = v[n].must_change = -1;
		v[n].last_change = v[n].last_use = -1;
		n++;
	}
	*out = v;
	*nout = n;
	return 0;
}

const struct target_type target_exec = {
	.name = "exec",
	.open = exec_open,
	.list = exec_list,
	.apply = exec_apply,
	.close = exec_close,
};
