/*
 * unix-home.c -- what a delete (an ID's revoke) does to the account's
 * home directory, as the system's revoke_home= says, after the batch's
 * files are written and unlocked:
 *	keep	left as it is (userdel without -r)
 *	lock	owner and group root, mode 000 (the default): the files stay
 *		as records, and nobody but root can reach them
 *	remove	removed, with everything in it (userdel -r)
 *
 * Only a directory that is certainly the account's own is touched: the
 * passwd home field, an absolute path without "." or "..", reached from
 * ROOT one component at a time without following a link, owned by the
 * account's uid, and no other account's home.  Anything else is left
 * alone and the notice says why.  A removal never leaves the file
 * system the home is on (a mount inside it is left, with the home
 * locked), and the home is locked before it is emptied, so a removal
 * cut short leaves it locked.  The delete is done whatever happens here:
 * the notice (target_req.error of a done request) says what was done.
 *
 * Uids are never given out twice (unix_id_alloc), so even a kept home
 * never passes to a new account; lock and remove also keep a revoked
 * person's files from anyone who could read them through the old uid's
 * permissions (a group, an ACL naming the uid).
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "unix-int.h"

#define UNIX_HOME_DEPTH_MAX	64	/* directories inside a home */

void
unix_gone_free(struct unix_gone *g, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(g[i].home);
	free(g);
}

/* Mark the deleted accounts whose home a live account has too. */
void
unix_home_shared(struct unix_batch *b)
{
	struct unix_file *f = &b->f[F_PASSWD];
	struct unix_field home;
	size_t		  i, j;

	if (b->ngone == 0)
		return;
	for (i = 0; i < f->n; i++) {
		if (f->lines[i].dead || f->lines[i].nis)
			continue;
		home = unix_get(f, i, 5);
		for (j = 0; j < b->ngone; j++) {
			if (strlen(b->gone[j].home) == home.len &&
			    memcmp(b->gone[j].home, home.p, home.len) == 0)
				b->gone[j].shared = 1;
		}
	}
}

static void DAICHO_PRINTF(2, 3)
unix_home_notice(struct target_req *r, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
}

/*
 * Open ROOT/HOME's parent and HOME itself, no link followed: 0 with
 * *parent, *fd and *name (the last component, in home), or -1 *why.
 */
static int
unix_home_open(const struct target *t, char *home, int *parent, int *fd,
    const char **name, const char **why)
{
	char	*p, *next;
	int	 dfd, nfd;

	*why = "not an absolute path";
	if (home[0] != '/')
		return -1;
	if ((dfd = open(t->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		*why = target_strerror(errno);
		return -1;
	}
	*parent = -1;
	for (p = home; *p == '/'; p++)
		;
	while (*p != '\0') {
		if ((next = strchr(p, '/')) != NULL)
			*next++ = '\0';
		else
			next = p + strlen(p);
		if (strcmp(p, ".") == 0 || strcmp(p, "..") == 0) {
			*why = "the path has \".\" or \"..\"";
			goto fail;
		}
		nfd = openat(dfd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (nfd == -1) {
			*why = errno == ENOTDIR || errno == ELOOP ? "not a "
			    "directory, or a symbolic link on the way" :
			    target_strerror(errno);
			goto fail;
		}
		if (*parent != -1)
			close(*parent);
		*parent = dfd;
		dfd = nfd;
		*name = p;
		while (*next == '/')
			next++;
		p = next;
	}
	if (*parent == -1) {
		*why = "the home is \"/\"";
		goto fail;
	}
	*fd = dfd;
	return 0;
fail:
	close(dfd);
	if (*parent != -1)
		close(*parent);
	return -1;
}

/* Remove what dfd holds, on file system dev only; 0 or -1 with errno. */
static int
unix_home_empty(int dfd, dev_t dev, int depth)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	int		 fd, r = 0, dup_fd;

	if (depth > UNIX_HOME_DEPTH_MAX) {
		errno = ELOOP;
		return -1;
	}
	if ((dup_fd = dup(dfd)) == -1)
		return -1;
	if ((d = fdopendir(dup_fd)) == NULL) {
		close(dup_fd);
		return -1;
	}
	while (r == 0 && (errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == -1) {
			r = -1;
			break;
		}
		if (!S_ISDIR(sb.st_mode)) {
			r = unlinkat(dfd, de->d_name, 0);
			continue;
		}
		if (sb.st_dev != dev) {
			errno = EXDEV;		/* a mount point: left */
			r = -1;
			break;
		}
		fd = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (fd == -1) {
			r = -1;
			break;
		}
		r = unix_home_empty(fd, dev, depth + 1);
		close(fd);
		if (r == 0)
			r = unlinkat(dfd, de->d_name, AT_REMOVEDIR);
	}
	if (r == 0 && errno != 0)
		r = -1;
	closedir(d);
	return r;
}

static void
unix_home_one(struct target *t, struct unix_gone *g)
{
	struct stat	 sb;
	const char	*why, *name = NULL;
	char		*path = xstrdup(g->home);
	int		 parent, fd;

	if (g->shared) {
		unix_home_notice(g->req, "home %s: another account has it too: "
		    "left as it was", g->home);
		goto out;
	}
	if (unix_home_open(t, path, &parent, &fd, &name, &why) != 0) {
		unix_home_notice(g->req, "home %s: %s: left as it was",
		    g->home, why);
		goto out;
	}
	if (fstat(fd, &sb) == -1 || sb.st_uid != (uid_t)g->uid) {
		unix_home_notice(g->req, "home %s: not owned by the account "
		    "(uid %lld): left as it was", g->home, g->uid);
		goto done;
	}
	if (fchown(fd, 0, 0) == -1 || fchmod(fd, 0) == -1) {
		unix_home_notice(g->req, "home %s: %s: left as it was",
		    g->home, target_strerror(errno));
		goto done;
	}
	if (t->revoke_home == UNIX_HOME_LOCK) {
		unix_home_notice(g->req, "home %s: locked (owner root, mode "
		    "000)", g->home);
		goto done;
	}
	if (unix_home_empty(fd, sb.st_dev, 0) != 0 ||
	    unlinkat(parent, name, AT_REMOVEDIR) == -1)
		unix_home_notice(g->req, "home %s: not all removed (%s): the "
		    "rest is locked (owner root, mode 000)", g->home,
		    target_strerror(errno));
	else
		unix_home_notice(g->req, "home %s: removed", g->home);
done:
	close(fd);
	close(parent);
out:
	free(path);
}

void
unix_home_revoke(struct target *t, struct unix_gone *gone, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (gone[i].req->done)
			unix_home_one(t, &gone[i]);
	}
}
