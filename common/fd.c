/*
 * fd.c -- what a program daicho starts may inherit: its standard input,
 * output and error, and nothing else.  daicho holds descriptors a child
 * must never see (the --askpass-fd pipe with operators' passwords, the
 * ledger's database and key, the PAM socket, a target's /etc), so every
 * child closes everything above 2 before it runs anything: fd_closefrom()
 * after fork(), fd_spawn_actions() for posix_spawn().  Descriptors are
 * also opened close-on-exec where daicho opens them; this is the second
 * line, for the ones a library or the caller of daicho left open.
 */
#include "config.h"

#include <sys/resource.h>

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include "common.h"

void
fd_closefrom(int lowfd)
{
#ifdef HAVE_CLOSEFROM
	closefrom(lowfd);	/* glibc 2.34+: close_range, AS-safe */
#else
	struct rlimit	 rl;
	long		 i, max = 65536;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur < max)
		max = (long)rl.rlim_cur;
	for (i = lowfd; i < max; i++)
		(void)close((int)i);
#endif
}

int
fd_cloexec(int fd)
{
	int	 flags;

	if ((flags = fcntl(fd, F_GETFD)) == -1)
		return -1;
	if (flags & FD_CLOEXEC)
		return 0;
	return fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

int
fd_spawn_actions(posix_spawn_file_actions_t *fa)
{
	if (posix_spawn_file_actions_init(fa) != 0)
		return -1;
	if (posix_spawn_file_actions_addopen(fa, STDIN_FILENO, "/dev/null",
	    O_RDONLY, 0) != 0 ||
	    posix_spawn_file_actions_addopen(fa, STDOUT_FILENO, "/dev/null",
	    O_WRONLY, 0) != 0 ||
	    posix_spawn_file_actions_addopen(fa, STDERR_FILENO, "/dev/null",
	    O_WRONLY, 0) != 0)
		goto fail;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || \
    (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	if (posix_spawn_file_actions_addclosefrom_np(fa, STDERR_FILENO + 1)
	    != 0)
		goto fail;
#else
#error "fd_spawn_actions needs posix_spawn_file_actions_addclosefrom_np"
#endif
	return 0;
fail:
	posix_spawn_file_actions_destroy(fa);
	return -1;
}
