/*
 * target-exec.c -- systems with no standard interface: an administrator's
 * program does the work.  daicho runs it with execve (never a shell), one
 * run per operation, writes one request on its stdin and reads one result
 * from its stdout, within a time limit; docs/target-exec.md is the
 * contract the program implements.
 *
 * Configuration:
 *	program=/absolute/path	the program: a regular file, not writable by
 *				group or others, owned by root or us
 *	timeout=10		seconds per run (1..600)
 *
 * Request (stdin):		Result (stdout, first line):
 *	daicho-exec v1			ok
 *	op lock				error TEXT
 *	login yamada
 *	arg ...
 * A list run answers "account LOGIN LOCKED(0|1) NAME..." lines, then "ok".
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "targets-int.h"

#define EXEC_OUT_MAX	(1 << 20)	/* bytes of output read at most */

struct target {
	char	*program;
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

/* The program is checked as doas checks its configuration. */
static int
exec_check_program(const char *path, char **cause)
{
	struct stat	 sb;

	if (stat(path, &sb) == -1) {
		xasprintf(cause, "exec: %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || !(sb.st_mode & S_IXUSR)) {
		xasprintf(cause, "exec: %s is not an executable file", path);
		return -1;
	}
	if (sb.st_uid != 0 && sb.st_uid != geteuid()) {
		xasprintf(cause, "exec: %s is owned by uid %lu; refusing it",
		    path, (unsigned long)sb.st_uid);
		return -1;
	}
	if (sb.st_mode & (S_IWGRP | S_IWOTH)) {
		xasprintf(cause, "exec: %s is writable by others; refusing "
		    "it", path);
		return -1;
	}
	return 0;
}

static struct target *
exec_open(const char *config, char **cause)
{
	struct target	*t = xcalloc(1, sizeof *t);

	if (exec_config(t, config, cause) != 0 ||
	    exec_check_program(t->program, cause) != 0) {
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
	if (pid == 0) {
		if (dup2(in[0], STDIN_FILENO) == -1 ||
		    dup2(outp[1], STDOUT_FILENO) == -1)
			_exit(127);
		/* Its own process group, so a timeout kills all of it. */
		setpgid(0, 0);
		execve(t->program, argv, envp);
		_exit(127);
	}
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

static int
exec_apply(struct target *t, struct target_req *reqs, size_t n, char **cause)
{
	char	*request, *out, *err;
	size_t	 i;

	(void)cause;
	for (i = 0; i < n; i++) {
		struct target_req *q = &reqs[i];

		q->done = 0;
		q->error[0] = '\0';
		xasprintf(&request, "daicho-exec v1\nop %s\nlogin %s\narg %s\n",
		    target_op_name(q->op), q->login, q->arg);
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
		xasprintf(cause, "exec: list: %s", error);
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
			xasprintf(cause, "exec: list: a bad account line");
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
