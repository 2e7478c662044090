/*
 * unix-lastuse.c -- when each local account last logged in, for the
 * dormant-ID finding: the login records under the target's root.
 *
 *	ROOT/var/log/wtmp	utmp records as glibc appends them; the
 *				newest USER_PROCESS record of each login
 *	ROOT/var/log/lastlog	struct lastlog at uid * sizeof, a sparse
 *				file; one pread per account
 *
 * Not util-linux's lastlog2.db: it is an SQLite database, and SQL is
 * store/'s and core/'s alone (DESIGN.md); Debian 12 writes wtmp and
 * lastlog.
 *
 * The newest time any of them gives wins.  These files are written by
 * others (wtmp and lastlog are group utmp writable on Debian), so they are
 * read as hostile: opened without following a link and without blocking
 * on a FIFO, a regular file owned by root or us and writable by no one
 * else but its group, read in bounded chunks (a wtmp of a year is hundreds
 * of MB: only its newest UNIX_WTMP_RECORDS records are read), each record
 * copied out and checked (its type known, its login bounded by the field,
 * its time after 1970 and not more than a day ahead, since a time in the
 * future would hide a dormant account for good).
 *
 * An absent file is no source and no note: an account that none of them
 * names has last_use -1, unknown.  A file refused or partly malformed is
 * skipped (or its bad records are) and said in a note; the listing never
 * fails for it.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <lastlog.h>
#include <utmp.h>

#include "common.h"
#include "unix-int.h"

#define UNIX_WTMP_CHUNK		1024	/* records a read: 384 KB */

/* Append one sentence to *note ("; " between them). */
void
unix_note(char **note, const char *fmt, ...)
{
	va_list	 ap;
	char	*s, *old = *note;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	if (old == NULL) {
		*note = s;
		return;
	}
	xasprintf(note, "%s; %s", old, s);
	free(old);
	free(s);
}

/* ROOT/rel; caller frees. */
char *
unix_root_path(const struct target *t, const char *rel)
{
	char	*p;

	xasprintf(&p, "%s/%s", strcmp(t->root, "/") == 0 ? "" : t->root, rel);
	return p;
}

/*
 * Open a login record file read-only: 0 with *fd and *sb, 1 when it is
 * absent, -1 (with a note) when it is there but not to be trusted.
 */
int
unix_record_open(const char *path, int *fd, struct stat *sb, char **note)
{
	const char	*why = NULL;

	*fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    O_NOCTTY);
	if (*fd == -1) {
		if (errno == ENOENT)
			return 1;
		unix_note(note, "%s: %s", path, errno == ELOOP ?
		    "a symbolic link: not read" : target_strerror(errno));
		return -1;
	}
	if (fstat(*fd, sb) == -1)
		why = target_strerror(errno);
	else if (!S_ISREG(sb->st_mode))
		why = "not a regular file: not read";
	else if (sb->st_uid != 0 && sb->st_uid != geteuid())
		why = "owned by neither root nor us: not read";
	else if (sb->st_mode & S_IWOTH)
		why = "writable by anyone: not read";
	if (why != NULL) {
		unix_note(note, "%s: %s", path, why);
		close(*fd);
		*fd = -1;
		return -1;
	}
	return 0;
}

/* A time from a record that may stand: after 1970, not a day ahead. */
static int
unix_time_ok(int64_t when, int64_t now)
{
	return when > 0 && when <= now + UNIX_DAY;
}

/* when[line] for each passwd line named login (len bytes), if newer. */
void
unix_lastuse_set(struct unix_file *pwf, const char *login, size_t len,
    int64_t when, int64_t *last)
{
	struct unix_slot *s;

	s = unix_index_find(&pwf->idx, login, len);
	if (s == NULL || s->val == UNIX_NONE)
		return;
	if (when > last[s->val])
		last[s->val] = when;
	if (s->dup != UNIX_NONE && when > last[s->dup])
		last[s->dup] = when;
}

/*
 * The records of wtmp in buf (len bytes, whole records only): for each
 * USER_PROCESS record of a login in passwd, last[line] is raised to its
 * time.  Returns how many records were not understood (a type utmp.h
 * does not know; a login process with no login, or a time out of range).
 */
size_t
unix_wtmp_scan(const unsigned char *buf, size_t len, struct unix_file *pwf,
    int64_t *last, int64_t now)
{
	struct utmp	 u;
	size_t		 off, ulen, bad = 0;

	assert(len % sizeof u == 0);
	for (off = 0; off + sizeof u <= len; off += sizeof u) {
		memcpy(&u, buf + off, sizeof u);	/* buf is unaligned */
		if (u.ut_type < EMPTY || u.ut_type > ACCOUNTING) {
			bad++;
			continue;
		}
		if (u.ut_type != USER_PROCESS)
			continue;
		/* A full-length login has no NUL, as last(1) reads it. */
		ulen = strnlen(u.ut_user, sizeof u.ut_user);
		if (ulen == 0 || !unix_time_ok(u.ut_tv.tv_sec, now)) {
			bad++;
			continue;
		}
		unix_lastuse_set(pwf, u.ut_user, ulen, u.ut_tv.tv_sec, last);
	}
	return bad;
}

/* Read count bytes at off, as many as there are; -1 on an error. */
static ssize_t
unix_pread_full(int fd, unsigned char *buf, size_t count, off_t off)
{
	size_t	 have = 0;
	ssize_t	 r;

	while (have < count) {
		r = pread(fd, buf + have, count - have, off + (off_t)have);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0)
			break;
		have += (size_t)r;
	}
	return (ssize_t)have;
}

/* ROOT/var/log/wtmp into last[]. */
static void
unix_wtmp(const struct target *t, struct unix_file *pwf, int64_t *last,
    int64_t now, char **note)
{
	const size_t	 rec = sizeof(struct utmp);
	struct stat	 sb;
	unsigned char	*buf;
	char		*path = unix_root_path(t, "var/log/wtmp");
	off_t		 whole, off;
	ssize_t		 r;
	size_t		 bad = 0;
	int		 fd;

	if (unix_record_open(path, &fd, &sb, note) != 0) {
		free(path);
		return;
	}
	whole = sb.st_size - sb.st_size % (off_t)rec;
	if (whole != sb.st_size)
		unix_note(note, "%s: ends in a partial record of %lld bytes, "
		    "ignored", path, (long long)(sb.st_size - whole));
	off = 0;
	if (whole / (off_t)rec > UNIX_WTMP_RECORDS) {
		off = whole - (off_t)UNIX_WTMP_RECORDS * (off_t)rec;
		unix_note(note, "%s: only its newest %d records read, the "
		    "older %lld not", path, UNIX_WTMP_RECORDS,
		    (long long)(off / (off_t)rec));
	}
	buf = xmalloc(UNIX_WTMP_CHUNK * rec);
	for (; off < whole; off += r) {
		r = unix_pread_full(fd, buf, (size_t)(whole - off) <
		    UNIX_WTMP_CHUNK * rec ? (size_t)(whole - off) :
		    UNIX_WTMP_CHUNK * rec, off);
		if (r == -1) {
			unix_note(note, "%s: %s", path, target_strerror(errno));
			break;
		}
		r -= r % (ssize_t)rec;		/* it shrank as we read */
		if (r == 0)
			break;
		bad += unix_wtmp_scan(buf, (size_t)r, pwf, last, now);
	}
	if (bad > 0)
		unix_note(note, "%s: %zu records not understood, ignored",
		    path, bad);
	free(buf);
	close(fd);
	free(path);
}

/* ROOT/var/log/lastlog into last[]: the record at each account's uid. */
static void
unix_lastlog(const struct target *t, struct unix_file *pwf, int64_t *last,
    int64_t now, char **note)
{
	struct lastlog	 ll;
	struct unix_field f;
	struct stat	 sb;
	char		*path = unix_root_path(t, "var/log/lastlog");
	long long	 uid;
	off_t		 at;
	size_t		 i, bad = 0;
	int		 fd;

	if (unix_record_open(path, &fd, &sb, note) != 0) {
		free(path);
		return;
	}
	for (i = 0; i < pwf->n; i++) {
		if (pwf->lines[i].nis || pwf->lines[i].dead)
			continue;
		f = unix_get(pwf, i, 2);
		if (unix_number(&f, UNIX_ID_MAX, 0, &uid) != 0)
			continue;
		at = (off_t)uid * (off_t)sizeof ll;
		if (at > sb.st_size - (off_t)sizeof ll)
			continue;	/* never logged in (or not since) */
		if (unix_pread_full(fd, (unsigned char *)&ll, sizeof ll, at) !=
		    (ssize_t)sizeof ll) {
			unix_note(note, "%s: %s", path, "could not be read "
			    "to the end");
			break;		/* an error, or it shrank */
		}
		if (ll.ll_time == 0)
			continue;
		if (!unix_time_ok(ll.ll_time, now)) {
			bad++;
			continue;
		}
		if (ll.ll_time > last[i])
			last[i] = ll.ll_time;
	}
	if (bad > 0)
		unix_note(note, "%s: %zu records with a time out of range, "
		    "ignored", path, bad);
	close(fd);
	free(path);
}

/*
 * Each passwd line's last login (unix seconds, -1 unknown), from every
 * source there is.  Returns an array of pwf->n (caller frees; NULL when
 * pwf has no lines); *note (caller frees) says what was not read.
 */
int64_t *
unix_lastuse(const struct target *t, struct unix_file *pwf, char **note)
{
	int64_t	*last, now = (int64_t)time(NULL);
	size_t	 i;

	*note = NULL;
	if (pwf->n == 0)
		return NULL;
	last = xreallocarray(NULL, pwf->n, sizeof *last);
	for (i = 0; i < pwf->n; i++)
		last[i] = -1;
	unix_wtmp(t, pwf, last, now, note);
	unix_lastlog(t, pwf, last, now, note);
	return last;
}

int
target_unix_wtmp_mem(const char *passwd, size_t plen,
    const unsigned char *wtmp, size_t wlen, int64_t **last, size_t *nlast,
    char **cause)
{
	struct target	 t;
	struct unix_file f;
	size_t		 i;
	int		 r = -1;

	*last = NULL;
	*nlast = 0;
	memset(&t, 0, sizeof t);
	t.etc = xstrdup("mem/etc");
	memset(&f, 0, sizeof f);
	f.type = &unix_ftypes[F_PASSWD];
	f.buf = xmalloc(plen + 1);
	memcpy(f.buf, passwd, plen);
	f.buf[plen] = '\0';
	f.size = plen;
	f.present = 1;
	if (unix_parse(&t, &f, cause) != 0)
		goto out;
	if (f.n > 0) {
		*last = xreallocarray(NULL, f.n, sizeof **last);
		for (i = 0; i < f.n; i++)
			(*last)[i] = -1;
		(void)unix_wtmp_scan(wtmp, wlen - wlen % sizeof(struct utmp),
		    &f, *last, (int64_t)time(NULL));
	}
	*nlast = f.n;
	r = 0;
out:
	unix_file_free(&f);
	free(t.etc);
	return r;
}
