/*
 * unix-files.c -- the unix target's file layer: passwd, shadow, group and
 * gshadow under ROOT/etc, locked, read, edited in memory and written back
 * the way shadow-utils does.
 *
 * Lock: lckpwdf() when ROOT/etc is the real /etc, then passwd.lock,
 * shadow.lock, group.lock and gshadow.lock made as shadow-utils makes
 * them (a NAME.PID file linked to NAME.lock; a lock whose process is gone
 * is stale and removed), in shadow-utils' order so that neither program
 * can deadlock the other.  Read: each file opened without following a
 * link, checked (a regular file of root's or ours, writable by nobody
 * else), and indexed by its first field, so that a batch costs O(lines +
 * requests).  Write: see unix_commit().
 *
 * A file with a line that does not parse (a wrong number of fields, a
 * uid that is not a number, a NUL byte, an empty or comment line) fails
 * the whole batch with the file and line number, and nothing is written:
 * pwck tolerates some such lines, but rewriting a file we do not fully
 * understand could silently change what the system reads from it.  NIS
 * compat lines ('+' or '-' first) are kept as they are, and new lines go
 * before them, as shadow-utils does.
 *
 * After passwd or group changed in the system's own /etc, nscd and sssd
 * are told to drop their caches, as shadow-utils does.  Not done: SELinux
 * file contexts (Debian runs without).
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <shadow.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "unix-int.h"

const struct unix_ftype unix_ftypes[F_COUNT] = {
	[F_PASSWD] =  { "passwd",  7, 1, 0,  2,  3, -1 },
	[F_SHADOW] =  { "shadow",  9, 1, 1, -1, -1,  2 },
	[F_GROUP] =   { "group",   4, 1, 0,  2, -1, -1 },
	[F_GSHADOW] = { "gshadow", 4, 0, 1, -1, -1, -1 },
};

/*
 * The order of the renames.  Each rename is atomic but the four are not
 * atomic together, so the order is chosen so that a crash between two of
 * them leaves every account failing closed:
 *  - group and gshadow first: a deleted account's memberships are gone
 *    before the account is (no later account of the same name inherits
 *    them), and a new account's personal group exists when it appears;
 *  - passwd before shadow: a deleted account stops existing at once, for
 *    passwords, SSH keys and su alike, and its orphaned shadow line is
 *    dead data until the next rename.  A new account in passwd without
 *    its shadow line yet has no password at all (pam_unix refuses every
 *    password against "x" with no shadow entry) and no keys in its new
 *    home, until the temporary hash lands;
 *  - a lock or any other shadow change is one rename, atomic by itself.
 * (The other way round, a crash after shadow but before passwd would
 * leave a deleted account in passwd with no shadow entry, which pam_unix's
 * account phase accepts for key logins.)
 */
static const enum unix_fid unix_write_order[F_COUNT] = {
	F_GSHADOW, F_GROUP, F_PASSWD, F_SHADOW
};

static int	 unix_failpoint_at;
static int	 unix_failpoint_n;

void
target_unix_failpoint(int n)
{
	unix_failpoint_at = n;
	unix_failpoint_n = 0;
}

/* Whether this step of the write phase is the one a test wants to fail. */
static int
unix_fail_here(void)
{
	if (unix_failpoint_at > 0 && ++unix_failpoint_n == unix_failpoint_at) {
		errno = EIO;
		return 1;
	}
	return 0;
}

/* Helpers: fields, numbers, names. */

/*
 * Split a line at ':' into at most max fields.  Returns the number of
 * fields, or max + 1 when there are more.
 */
static int
unix_split(const char *s, size_t len, struct unix_field *f, int max)
{
	const char	*end = s + len, *p = s, *c;
	int		 n = 0;

	for (;;) {
		if (n == max)
			return max + 1;
		c = memchr(p, ':', (size_t)(end - p));
		f[n].p = p;
		f[n].len = (size_t)((c != NULL ? c : end) - p);
		n++;
		if (c == NULL)
			return n;
		p = c + 1;
	}
}

/*
 * A decimal number in a file field: digits only (leading zeros are what
 * some old tools wrote), at most max.  With neg, "-1" style values are
 * allowed too, as shadow's day fields sometimes hold them.
 */
int
unix_number(const struct unix_field *f, long long max, int neg,
    long long *out)
{
	size_t		 i = 0;
	long long	 v = 0;
	int		 minus = 0;

	if (neg && f->len > 0 && f->p[0] == '-') {
		minus = 1;
		i = 1;
	}
	if (i == f->len || f->len - i > 12)
		return -1;
	for (; i < f->len; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return -1;
		v = v * 10 + (f->p[i] - '0');
	}
	if (v > max)
		return -1;
	*out = minus ? -v : v;
	return 0;
}

/* The string index. */

static uint64_t
unix_hash(const char *s, size_t n)
{
	uint64_t	 h = 14695981039346656037ULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void
unix_index_free(struct unix_index *x)
{
	size_t	 i;

	for (i = 0; i < x->cap; i++)
		free(x->slot[i].key);
	free(x->slot);
	memset(x, 0, sizeof *x);
}

static struct unix_slot *
unix_index_probe(struct unix_index *x, const char *key, size_t n)
{
	struct unix_slot *s;
	size_t		  i;

	i = (size_t)unix_hash(key, n) & (x->cap - 1);
	for (;;) {
		s = &x->slot[i];
		if (s->key == NULL ||
		    (strncmp(s->key, key, n) == 0 && s->key[n] == '\0'))
			return s;
		i = (i + 1) & (x->cap - 1);
	}
}

/* The slot for key, or NULL. */
struct unix_slot *
unix_index_find(struct unix_index *x, const char *key, size_t n)
{
	struct unix_slot *s;

	if (x->cap == 0)
		return NULL;
	s = unix_index_probe(x, key, n);
	return s->key != NULL ? s : NULL;
}

/* The slot for key, made (val and dup UNIX_NONE) if it is new. */
struct unix_slot *
unix_index_get(struct unix_index *x, const char *key, size_t n)
{
	struct unix_slot *s, *old;
	size_t		  i, oldcap;

	if (x->cap == 0 || (x->n + 1) * 2 > x->cap) {
		old = x->slot;
		oldcap = x->cap;
		x->cap = oldcap == 0 ? 64 : oldcap * 2;
		x->slot = xcalloc(x->cap, sizeof *x->slot);
		for (i = 0; i < oldcap; i++) {
			if (old[i].key == NULL)
				continue;
			s = unix_index_probe(x, old[i].key,
			    strlen(old[i].key));
			*s = old[i];
		}
		free(old);
	}
	s = unix_index_probe(x, key, n);
	if (s->key == NULL) {
		s->key = xstrndup(key, n);
		s->val = UNIX_NONE;
		s->dup = UNIX_NONE;
		x->n++;
	}
	return s;
}

/* Files: reading, checking, parsing. */

static void
unix_line_free(struct unix_file *f, struct unix_line *l)
{
	if (!l->owned)
		return;
	if (f->type->secret)
		sodium_memzero(l->text, l->len);
	free(l->text);
	l->text = NULL;
	l->owned = 0;
}

void
unix_file_free(struct unix_file *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++)
		unix_line_free(f, &f->lines[i]);
	free(f->lines);
	if (f->buf != NULL) {
		if (f->type->secret)
			sodium_memzero(f->buf, f->size);
		free(f->buf);
	}
	unix_index_free(&f->idx);
	f->buf = NULL;
	f->lines = NULL;
	f->n = f->norig = f->alloc = 0;
}

/*
 * Whether a file (or ROOT/etc) may be trusted: a regular file (or a
 * directory), owned by root or by us, writable by nobody else.
 */
static int
unix_check_stat(const struct target *t, const char *name,
    const struct stat *sb, int dir, char **cause)
{
	if (dir ? !S_ISDIR(sb->st_mode) : !S_ISREG(sb->st_mode)) {
		xasprintf(cause, "%s%s%s: not a %s", t->etc, name[0] ? "/" : "",
		    name, dir ? "directory" : "regular file");
		return -1;
	}
	if (sb->st_uid != 0 && sb->st_uid != geteuid()) {
		xasprintf(cause, "%s%s%s: owned by uid %lu, neither root nor "
		    "us", t->etc, name[0] ? "/" : "", name,
		    (unsigned long)sb->st_uid);
		return -1;
	}
	if ((sb->st_mode & (dir ? S_IWOTH : (S_IWGRP | S_IWOTH))) != 0) {
		xasprintf(cause, "%s%s%s: writable by %s: refusing to trust "
		    "it", t->etc, name[0] ? "/" : "", name,
		    (sb->st_mode & S_IWOTH) ? "anyone" : "its group");
		return -1;
	}
	return 0;
}

/* Open ROOT/etc as a directory, refusing a symbolic link. */
int
unix_open_etc(const struct target *t, char **cause)
{
	struct stat	 sb;
	int		 fd;

	fd = open(t->etc, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		/* O_DIRECTORY makes a link ENOTDIR rather than ELOOP. */
		if (lstat(t->etc, &sb) == 0 && S_ISLNK(sb.st_mode))
			xasprintf(cause, "%s: a symbolic link: refusing it",
			    t->etc);
		else
			xasprintf(cause, "%s: %s", t->etc,
			    target_strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", t->etc, target_strerror(errno));
		close(fd);
		return -1;
	}
	if (unix_check_stat(t, "", &sb, 1, cause) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read a whole file opened without following links; 1 if absent. */
int
unix_read(const struct target *t, int etcfd, struct unix_file *f,
    char **cause)
{
	const char	*name = f->type->name;
	size_t		 alloc = 0, len = 0;
	ssize_t		 r;
	char		*buf = NULL, *nbuf;
	int		 fd;

	fd = openat(etcfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		if (errno == ENOENT && !f->type->required)
			return 1;
		xasprintf(cause, "%s/%s: %s", t->etc, name, errno == ELOOP ?
		    "a symbolic link: refusing it" : target_strerror(errno));
		return -1;
	}
	if (fstat(fd, &f->st) == -1) {
		xasprintf(cause, "%s/%s: %s", t->etc, name,
		    target_strerror(errno));
		close(fd);
		return -1;
	}
	if (unix_check_stat(t, name, &f->st, 0, cause) != 0) {
		close(fd);
		return -1;
	}
	for (;;) {
		if (len == alloc) {
			if (alloc >= UNIX_FILE_MAX) {
				xasprintf(cause, "%s/%s: larger than %d MB",
				    t->etc, name, UNIX_FILE_MAX >> 20);
				goto fail;
			}
			alloc = alloc == 0 ? (size_t)f->st.st_size + 4096 :
			    alloc * 2;
			if (alloc > UNIX_FILE_MAX)
				alloc = UNIX_FILE_MAX;
			/* Grown by hand so that old copies can be wiped. */
			nbuf = xmalloc(alloc + 1);
			if (buf != NULL) {
				memcpy(nbuf, buf, len);
				sodium_memzero(buf, len);
				free(buf);
			}
			buf = nbuf;
		}
		r = read(fd, buf + len, alloc - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			xasprintf(cause, "%s/%s: %s", t->etc, name,
			    target_strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	f->buf = buf;
	f->size = len;
	f->present = 1;
	return 0;
fail:
	close(fd);
	if (buf != NULL) {
		sodium_memzero(buf, len);
		free(buf);
	}
	return -1;
}

static size_t
unix_line_add(struct unix_file *f, char *text, size_t len, int owned)
{
	struct unix_line *l;

	if (f->n == f->alloc) {
		f->alloc = f->alloc == 0 ? 64 : f->alloc * 2;
		f->lines = xreallocarray(f->lines, f->alloc, sizeof *f->lines);
	}
	l = &f->lines[f->n];
	memset(l, 0, sizeof *l);
	l->text = text;
	l->len = len;
	l->owned = owned;
	return f->n++;
}

/*
 * Split the buffer into lines and check every one: the field count, a
 * name, numbers where numbers belong.  Index the names (a second line of
 * a name is remembered, and refused later by the requests that touch it).
 */
int
unix_parse(const struct target *t, struct unix_file *f, char **cause)
{
	const struct unix_ftype *ft = f->type;
	struct unix_field fl[UNIX_FIELDS_MAX + 1];
	struct unix_slot *s;
	char		*p = f->buf, *end = f->buf + f->size, *nl;
	size_t		 i, lineno;
	long long	 v;
	int		 nf, k;

	if (memchr(f->buf, '\0', f->size) != NULL) {
		xasprintf(cause, "%s/%s: a NUL byte: not a text file", t->etc,
		    ft->name);
		return -1;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		unix_line_add(f, p, (size_t)(nl - p), 0);
		p = nl + 1;
	}
	f->norig = f->n;
	f->nis_first = f->n;
	for (i = 0; i < f->n; i++) {
		struct unix_line *l = &f->lines[i];

		lineno = i + 1;
		nf = unix_split(l->text, l->len, fl, ft->nfields);
		if (l->len > 0 && (l->text[0] == '+' || l->text[0] == '-')) {
			/* NIS compat: "+", "+name", "-@netgroup::::::". */
			if (nf > ft->nfields)
				goto fields;
			l->nis = 1;
			if (f->nis_first == f->norig)
				f->nis_first = i;
			continue;
		}
		if (nf != ft->nfields)
			goto fields;
		if (fl[0].len == 0) {
			xasprintf(cause, "%s/%s:%zu: an empty name; refusing to "
			    "rewrite a file that does not parse (see pwck -r "
			    "or grpck -r)", t->etc, ft->name, lineno);
			return -1;
		}
		if ((ft->idfield >= 0 &&
		    unix_number(&fl[ft->idfield], UNIX_ID_MAX, 0, &v) != 0) ||
		    (ft->id2field >= 0 &&
		    unix_number(&fl[ft->id2field], UNIX_ID_MAX, 0, &v) != 0)) {
			xasprintf(cause, "%s/%s:%zu: a uid or gid that is not a "
			    "number; refusing to rewrite a file that does not "
			    "parse", t->etc, ft->name, lineno);
			return -1;
		}
		for (k = ft->daysfrom; k >= 0 && k <= 7; k++) {
			if (fl[k].len > 0 &&
			    unix_number(&fl[k], LONG_MAX / UNIX_DAY, 1, &v) != 0) {
				xasprintf(cause, "%s/%s:%zu: field %d is not a "
				    "number of days; refusing to rewrite a file "
				    "that does not parse", t->etc, ft->name,
				    lineno, k + 1);
				return -1;
			}
		}
		s = unix_index_get(&f->idx, fl[0].p, fl[0].len);
		if (s->val == UNIX_NONE)
			s->val = i;
		else if (s->dup == UNIX_NONE)
			s->dup = i;
	}
	return 0;
fields:
	if (f->lines[i].len == 0)
		xasprintf(cause, "%s/%s:%zu: an empty line; refusing to rewrite "
		    "a file that does not parse (see pwck -r or grpck -r)",
		    t->etc, ft->name, lineno);
	else if (nf > ft->nfields)
		xasprintf(cause, "%s/%s:%zu: more than %d fields; refusing to "
		    "rewrite a file that does not parse (see pwck -r or "
		    "grpck -r)", t->etc, ft->name, lineno, ft->nfields);
	else
		xasprintf(cause, "%s/%s:%zu: %d fields where %d are expected; "
		    "refusing to rewrite a file that does not parse (see pwck "
		    "-r or grpck -r)", t->etc, ft->name, lineno, nf,
		    ft->nfields);
	return -1;
}

int
unix_load(struct unix_batch *b, enum unix_fid fid, char **cause)
{
	struct unix_file *f = &b->f[fid];
	int		  r;

	if ((r = unix_read(b->t, b->etcfd, f, cause)) != 0)
		return r == 1 ? 0 : -1;
	return unix_parse(b->t, f, cause);
}

/*
 * Find name's line in a file.  0 with *line, 1 when there is none, -1
 * (with *cause) when two lines have that name: which one would other
 * programs use?  pwck and grpck report it for the administrator.
 */
int
unix_find(struct unix_batch *b, enum unix_fid fid, const char *name,
    size_t *line, char **cause)
{
	struct unix_file *f = &b->f[fid];
	struct unix_slot *s;

	if (!f->present)
		return 1;
	s = unix_index_find(&f->idx, name, strlen(name));
	if (s == NULL || s->val == UNIX_NONE)
		return 1;
	if (s->dup != UNIX_NONE) {
		xasprintf(cause, "two entries of that name in %s/%s (lines %zu "
		    "and %zu): fix them with pwck or grpck first", b->t->etc,
		    f->type->name, s->val + 1, s->dup + 1);
		return -1;
	}
	*line = s->val;
	return 0;
}

/* Field k of a line (which parsed when it was read or made). */
struct unix_field
unix_get(struct unix_file *f, size_t i, int k)
{
	struct unix_field fl[UNIX_FIELDS_MAX + 1];
	int		  nf;

	nf = unix_split(f->lines[i].text, f->lines[i].len, fl,
	    f->type->nfields);
	assert(nf == f->type->nfields && k < nf);
	(void)nf;
	return fl[k];
}

/* Replace line i's text (takes ownership of text). */
static void
unix_line_set(struct unix_file *f, size_t i, char *text, size_t len)
{
	unix_line_free(f, &f->lines[i]);
	f->lines[i].text = text;
	f->lines[i].len = len;
	f->lines[i].owned = 1;
	f->changed = 1;
}

/* Replace field k of line i by v. */
void
unix_set_field(struct unix_file *f, size_t i, int k, const char *v,
    size_t vlen)
{
	struct unix_line *l = &f->lines[i];
	struct unix_field fl[UNIX_FIELDS_MAX + 1];
	size_t		  pre, post, len;
	char		 *text;
	int		  nf;

	nf = unix_split(l->text, l->len, fl, f->type->nfields);
	assert(nf == f->type->nfields && k < nf);
	(void)nf;
	pre = (size_t)(fl[k].p - l->text);
	post = l->len - pre - fl[k].len;
	len = pre + vlen + post;
	text = xmalloc(len + 1);
	memcpy(text, l->text, pre);
	memcpy(text + pre, v, vlen);
	memcpy(text + pre + vlen, fl[k].p + fl[k].len, post);
	text[len] = '\0';
	unix_line_set(f, i, text, len);
}

void
unix_line_remove(struct unix_file *f, size_t i)
{
	struct unix_field name = unix_get(f, i, 0);
	struct unix_slot *s;

	s = unix_index_find(&f->idx, name.p, name.len);
	if (s != NULL && s->val == i)
		s->val = UNIX_NONE;
	unix_line_free(f, &f->lines[i]);
	f->lines[i].dead = 1;
	f->changed = 1;
}

/* Append a new line (takes ownership) and index it. */
size_t
unix_line_new(struct unix_file *f, char *text)
{
	struct unix_slot *s;
	size_t		  i;

	i = unix_line_add(f, text, strlen(text), 1);
	s = unix_index_get(&f->idx, text, strcspn(text, ":"));
	s->val = i;
	f->changed = 1;
	return i;
}

/* Locks. */

/*
 * Lock one file as shadow-utils does: write our pid to NAME.PID, link it
 * to NAME.lock (atomic, and safe on NFS: the link count must be 2).  A
 * lock whose process is gone is stale: removed, and the link retried.  A
 * live lock is waited for, up to lock_wait.
 */
static int
unix_lock_file(struct unix_batch *b, struct unix_file *f,
    const struct timespec *deadline, char **cause)
{
	const char	*etc = b->t->etc, *name = f->type->name;
	char		 tmp[64], lock[64], buf[32];
	struct timespec	 now, nap = { 0, UNIX_LOCK_POLL_MS * 1000000L };
	struct stat	 sb;
	ssize_t		 n;
	long long	 pid;
	const char	*errstr;
	int		 fd, len, spins = 0;

	snprintf(tmp, sizeof tmp, "%s.%ld", name, (long)getpid());
	snprintf(lock, sizeof lock, "%s.lock", name);
	fd = openat(b->etcfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(cause, "%s/%s: %s", etc, tmp, target_strerror(errno));
		return -1;
	}
	len = snprintf(buf, sizeof buf, "%ld", (long)getpid()) + 1;
	if (write(fd, buf, (size_t)len) != len) {
		xasprintf(cause, "%s/%s: %s", etc, tmp, target_strerror(errno));
		close(fd);
		(void)unlinkat(b->etcfd, tmp, 0);
		return -1;
	}
	close(fd);

	for (;;) {
		if (++spins > 1000) {
			xasprintf(cause, "%s/%s: cannot take the lock", etc,
			    lock);
			break;
		}
		if (linkat(b->etcfd, tmp, b->etcfd, lock, 0) == 0) {
			if (fstatat(b->etcfd, tmp, &sb,
			    AT_SYMLINK_NOFOLLOW) == -1 || sb.st_nlink != 2) {
				xasprintf(cause, "%s/%s: lock file already used",
				    etc, lock);
				(void)unlinkat(b->etcfd, tmp, 0);
				return -1;
			}
			(void)unlinkat(b->etcfd, tmp, 0);
			f->locked = 1;
			return 0;
		}
		if (errno != EEXIST) {
			xasprintf(cause, "%s/%s: %s", etc, lock,
			    target_strerror(errno));
			break;
		}
		fd = openat(b->etcfd, lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		    O_NONBLOCK);
		if (fd == -1 && errno == ENOENT)
			continue;	/* released meanwhile */
		n = fd == -1 ? -1 : read(fd, buf, sizeof buf - 1);
		if (fd != -1)
			close(fd);
		if (n > 0 && buf[n - 1] == '\0')
			n--;
		if (n > 0 && buf[n - 1] == '\n')
			n--;
		buf[n > 0 ? n : 0] = '\0';
		if (n <= 0 || number_parse(buf, 1, INT_MAX, &pid,
		    &errstr) != 0) {
			xasprintf(cause, "%s/%s exists but names no process: "
			    "remove it if no program is editing the account "
			    "files", etc, lock);
			break;
		}
		if (pid != (long long)getpid() && kill((pid_t)pid, 0) == -1 &&
		    errno == ESRCH) {
			/* Stale: its process is gone. */
			if (unlinkat(b->etcfd, lock, 0) == -1 &&
			    errno != ENOENT) {
				xasprintf(cause, "%s/%s: %s", etc, lock,
				    target_strerror(errno));
				break;
			}
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > deadline->tv_sec ||
		    (now.tv_sec == deadline->tv_sec &&
		    now.tv_nsec >= deadline->tv_nsec)) {
			xasprintf(cause, "%s/%s is locked by process %lld "
			    "(%s); try again when it has finished", etc, name,
			    pid, lock);
			break;
		}
		nanosleep(&nap, NULL);
	}
	(void)unlinkat(b->etcfd, tmp, 0);
	return -1;
}

void
unix_unlock(struct unix_batch *b)
{
	char	 lock[64];
	int	 k;

	for (k = F_COUNT - 1; k >= 0; k--) {
		if (!b->f[k].locked)
			continue;
		snprintf(lock, sizeof lock, "%s.lock", b->f[k].type->name);
		(void)unlinkat(b->etcfd, lock, 0);
		b->f[k].locked = 0;
	}
	if (b->pwdf) {
		ulckpwdf();
		b->pwdf = 0;
	}
}

/*
 * Take the locks in shadow-utils' order: lckpwdf() first when these are
 * the system's own files (it is /etc/.pwd.lock, shared by every program
 * that edits them), then each file's .lock.  gshadow is locked only when
 * it exists, as shadow-utils does.
 */
int
unix_lock(struct unix_batch *b, char **cause)
{
	struct stat	 etc, sys, sb;
	struct timespec	 deadline;
	enum unix_fid	 fid;

	if (fstat(b->etcfd, &etc) == 0 && stat("/etc", &sys) == 0 &&
	    etc.st_dev == sys.st_dev && etc.st_ino == sys.st_ino) {
		if (lckpwdf() == -1) {
			xasprintf(cause, "cannot lock the account files "
			    "(/etc/.pwd.lock): %s", target_strerror(errno));
			return -1;
		}
		b->pwdf = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += b->t->lock_wait_ms / 1000;
	deadline.tv_nsec += (b->t->lock_wait_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	for (fid = 0; fid < F_COUNT; fid++) {
		if (!unix_ftypes[fid].required &&
		    fstatat(b->etcfd, unix_ftypes[fid].name, &sb,
		    AT_SYMLINK_NOFOLLOW) == -1 && errno == ENOENT)
			continue;
		if (unix_lock_file(b, &b->f[fid], &deadline, cause) != 0) {
			unix_unlock(b);
			return -1;
		}
	}
	return 0;
}

/* Writing. */

static void
unix_name(char *out, size_t outsz, const struct unix_file *f,
    const char *suffix)
{
	snprintf(out, outsz, "%s%s", f->type->name, suffix);
}

/* Write all of buf to fd. */
static int
unix_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 r;

	while (len > 0) {
		if (unix_fail_here())
			return -1;
		r = write(fd, buf, len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

/*
 * Write a new file name in ROOT/etc with st's owner and mode: created
 * 0600 (so nobody reads a shadow file half-way), given the owner and
 * mode, written, fsynced.
 */
static int
unix_write_new(struct unix_batch *b, const char *name, const char *buf,
    size_t len, const struct stat *st, char **cause)
{
	int	 fd;

	(void)unlinkat(b->etcfd, name, 0);
	if (unix_fail_here()) {
		xasprintf(cause, "%s/%s: %s", b->t->etc, name,
		    target_strerror(errno));
		return -1;
	}
	fd = openat(b->etcfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(cause, "%s/%s: %s", b->t->etc, name,
		    target_strerror(errno));
		return -1;
	}
	if (fchown(fd, st->st_uid, st->st_gid) == -1 ||
	    fchmod(fd, st->st_mode & 07777) == -1 ||
	    unix_write_all(fd, buf, len) != 0 ||
	    unix_fail_here() || fsync(fd) == -1) {
		xasprintf(cause, "%s/%s: %s", b->t->etc, name,
		    target_strerror(errno));
		close(fd);
		(void)unlinkat(b->etcfd, name, 0);
		return -1;
	}
	if (close(fd) == -1) {
		xasprintf(cause, "%s/%s: %s", b->t->etc, name,
		    target_strerror(errno));
		(void)unlinkat(b->etcfd, name, 0);
		return -1;
	}
	return 0;
}

/* The file's new content; the caller frees (and wipes, for secrets). */
char *
unix_render(struct unix_file *f, size_t *outlen)
{
	size_t		 i, len = 0, at;
	char		*out;

	for (i = 0; i < f->n; i++) {
		if (!f->lines[i].dead)
			len += f->lines[i].len + 1;
	}
	out = xmalloc(len + 1);
	at = 0;
	/* New lines go before the first NIS line, as shadow-utils does. */
#define EMIT(l) do {							\
	memcpy(out + at, (l)->text, (l)->len);				\
	at += (l)->len;							\
	out[at++] = '\n';						\
} while (0)
	for (i = 0; i <= f->norig; i++) {
		if (i == f->nis_first) {
			size_t j;

			for (j = f->norig; j < f->n; j++) {
				if (!f->lines[j].dead)
					EMIT(&f->lines[j]);
			}
		}
		if (i < f->norig && !f->lines[i].dead)
			EMIT(&f->lines[i]);
	}
#undef EMIT
	assert(at == len);
	out[len] = '\0';
	*outlen = len;
	return out;
}

static int
unix_fsync_dir(struct unix_batch *b, char **cause)
{
	if (unix_fail_here() || fsync(b->etcfd) == -1) {
		xasprintf(cause, "%s: fsync: %s", b->t->etc,
		    target_strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Undo a write phase that failed: files already renamed get their old
 * inode back from NAME-+ (a hard link to it), in reverse order, and
 * every NAME+ and NAME-+ left is removed.  The '-' backups were not
 * touched yet.  Errors here can only be reported, appended to *cause.
 */
static void
unix_rollback(struct unix_batch *b, char **cause)
{
	char		 plus[64], bak[64], real[64], *c;
	int		 j, bad = 0;

	for (j = F_COUNT - 1; j >= 0; j--) {
		struct unix_file *f = &b->f[unix_write_order[j]];

		unix_name(plus, sizeof plus, f, "+");
		unix_name(bak, sizeof bak, f, "-+");
		unix_name(real, sizeof real, f, "");
		if (f->renamed) {
			if (renameat(b->etcfd, bak, b->etcfd, real) == -1)
				bad = 1;
			else
				f->backup = 0;
			f->renamed = 0;
		}
		if (f->plus)
			(void)unlinkat(b->etcfd, plus, 0);
		if (f->backup)
			(void)unlinkat(b->etcfd, bak, 0);
		f->plus = f->backup = 0;
	}
	if (fsync(b->etcfd) == -1)
		bad = 1;
	if (bad) {
		xasprintf(&c, "%s; undoing it failed too: check the files "
		    "with pwck -r and grpck -r (the previous versions are in "
		    "%s/NAME-+)", *cause, b->t->etc);
		free(*cause);
		*cause = c;
	}
}

/*
 * The write phase.  Each changed file is written to NAME+ (its owner and
 * mode, fsynced); the current NAME is hard-linked to NAME-+ (the next
 * backup; a copy where links fail).  Only when all of that succeeded are
 * the NAME+ renamed over NAME, in unix_write_order, with the directory
 * fsynced after each so the renames reach the disk in that order.  Then
 * each NAME-+ becomes NAME-.  Anything failing before the last rename is
 * undone (unix_rollback), so the files are as they were, '-' backups
 * included.  After a crash, leftover NAME+ and NAME-+ files are removed
 * by the next batch, under the locks.
 */
int
unix_commit(struct unix_batch *b, char **cause)
{
	char		 plus[64], bak[64], real[64], *out;
	size_t		 len;
	int		 j, r;

	for (j = 0; j < F_COUNT; j++) {
		struct unix_file *f = &b->f[unix_write_order[j]];

		if (!f->changed)
			continue;
		unix_name(plus, sizeof plus, f, "+");
		out = unix_render(f, &len);
		r = unix_write_new(b, plus, out, len, &f->st, cause);
		if (f->type->secret)
			sodium_memzero(out, len);
		free(out);
		if (r != 0)
			goto fail;
		f->plus = 1;

		unix_name(bak, sizeof bak, f, "-+");
		unix_name(real, sizeof real, f, "");
		(void)unlinkat(b->etcfd, bak, 0);
		if (unix_fail_here()) {
			xasprintf(cause, "%s/%s: %s", b->t->etc, bak,
			    target_strerror(errno));
			goto fail;
		}
		if (linkat(b->etcfd, real, b->etcfd, bak, 0) == -1 &&
		    unix_write_new(b, bak, f->buf, f->size, &f->st,
		    cause) != 0)
			goto fail;
		f->backup = 1;
	}
	for (j = 0; j < F_COUNT; j++) {
		struct unix_file *f = &b->f[unix_write_order[j]];

		if (!f->changed)
			continue;
		unix_name(plus, sizeof plus, f, "+");
		unix_name(real, sizeof real, f, "");
		if (unix_fail_here() ||
		    renameat(b->etcfd, plus, b->etcfd, real) == -1) {
			xasprintf(cause, "rename %s/%s: %s", b->t->etc, plus,
			    target_strerror(errno));
			goto fail;
		}
		f->plus = 0;
		f->renamed = 1;
		if (unix_fsync_dir(b, cause) != 0)
			goto fail;
	}
	/* Done: the batch stands.  The backups are a convenience. */
	for (j = 0; j < F_COUNT; j++) {
		struct unix_file *f = &b->f[unix_write_order[j]];

		if (!f->backup)
			continue;
		unix_name(bak, sizeof bak, f, "-+");
		unix_name(real, sizeof real, f, "-");
		(void)renameat(b->etcfd, bak, b->etcfd, real);
		f->backup = 0;
	}
	(void)fsync(b->etcfd);
	return 0;
fail:
	unix_rollback(b, cause);
	return -1;
}

/* Remove what a crashed batch (ours or shadow-utils') left behind. */
void
unix_leftovers(struct unix_batch *b)
{
	char		 name[64];
	enum unix_fid	 fid;

	for (fid = 0; fid < F_COUNT; fid++) {
		if (!b->f[fid].locked)
			continue;
		unix_name(name, sizeof name, &b->f[fid], "+");
		(void)unlinkat(b->etcfd, name, 0);
		unix_name(name, sizeof name, &b->f[fid], "-+");
		(void)unlinkat(b->etcfd, name, 0);
	}
}

/*
 * After passwd or group changed in the system's own /etc, tell nscd and
 * sssd to drop their caches, as shadow-utils does: otherwise a deleted
 * account could still resolve for minutes.  (shadow, which pam_unix reads
 * for the password and a lock, is never cached.)  Best effort: they may
 * not be installed or running.  Run with execve, no shell, no environment.
 */
void
unix_flush_caches(int passwd, int group)
{
	static char	 nscd[] = "/usr/sbin/nscd", sss[] = "/usr/sbin/sss_cache";
	static char	 i[] = "-i", pw[] = "passwd", gr[] = "group", ug[] = "-UG";
	char		*a_pw[] = { nscd, i, pw, NULL };
	char		*a_gr[] = { nscd, i, gr, NULL };
	char		*a_ss[] = { sss, ug, NULL };
	char		**runs[3], *envp[] = { NULL };
	posix_spawn_file_actions_t fa;
	pid_t		 pid;
	size_t		 n = 0, k;

	if (passwd && access(nscd, X_OK) == 0)
		runs[n++] = a_pw;
	if (group && access(nscd, X_OK) == 0)
		runs[n++] = a_gr;
	if (access(sss, X_OK) == 0)
		runs[n++] = a_ss;
	if (n == 0 || fd_spawn_actions(&fa) != 0)
		return;
	for (k = 0; k < n; k++) {
		if (posix_spawn(&pid, runs[k][0], &fa, NULL, runs[k],
		    envp) == 0)
			(void)waitpid(pid, NULL, 0);
	}
	posix_spawn_file_actions_destroy(&fa);
}

/* The high-water marks of ids (ROOT/etc/daicho-ids). */

/*
 * "uid N" and "gid N" lines, '#' comments.  Anything else fails the
 * batch: without the marks a uid could be given out again.
 */
static int
unix_ids_parse(struct unix_batch *b, char *buf, char **cause)
{
	struct unix_field f;
	char		*line, *nl;
	long long	 v;

	for (line = buf; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			goto bad;
		*nl = '\0';
		if (line[0] == '#')
			continue;
		if (strncmp(line, "uid ", 4) != 0 &&
		    strncmp(line, "gid ", 4) != 0)
			goto bad;
		f.p = line + 4;
		f.len = strlen(f.p);
		if (unix_number(&f, UNIX_ID_MAX, 0, &v) != 0)
			goto bad;
		if (line[0] == 'u')
			b->ids_uid = v;
		else
			b->ids_gid = v;
	}
	return 0;
bad:
	xasprintf(cause, "%s/%s: not \"uid N\" and \"gid N\" lines; it keeps "
	    "the highest ids given out, so that none is given out twice: "
	    "fix it by hand", b->t->etc, UNIX_IDS_NAME);
	return -1;
}

int
unix_ids_load(struct unix_batch *b, char **cause)
{
	struct stat	 st;
	char		 buf[512];
	ssize_t		 n;
	int		 fd;

	b->ids_uid = b->ids_gid = 0;
	fd = openat(b->etcfd, UNIX_IDS_NAME, O_RDONLY | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd == -1 && errno == ENOENT)
		return 0;
	if (fd == -1 || fstat(fd, &st) == -1) {
		xasprintf(cause, "%s/%s: %s", b->t->etc, UNIX_IDS_NAME,
		    errno == ELOOP ? "a symbolic link: refusing it" :
		    target_strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (unix_check_stat(b->t, UNIX_IDS_NAME, &st, 0, cause) != 0) {
		close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0 || (size_t)n == sizeof buf - 1) {
		xasprintf(cause, "%s/%s: %s", b->t->etc, UNIX_IDS_NAME,
		    n < 0 ? target_strerror(errno) : "too long");
		return -1;
	}
	buf[n] = '\0';
	return unix_ids_parse(b, buf, cause);
}

/*
 * Written before the account files are renamed: a crash after it leaves
 * a mark ahead of the files, which only skips an id; never behind.
 */
int
unix_ids_save(struct unix_batch *b, char **cause)
{
	char		 buf[256], tmp[64];
	long long	 u, g;
	int		 fd, len;

	u = b->uid_high > b->ids_uid ? b->uid_high : b->ids_uid;
	g = b->gid_high > b->ids_gid ? b->gid_high : b->ids_gid;
	if (u == b->ids_uid && g == b->ids_gid)
		return 0;
	len = snprintf(buf, sizeof buf, "# daicho: the highest uid and gid "
	    "it has seen in use or given out here.\n# New accounts get ids "
	    "above them, so none is given out twice.\nuid %lld\ngid %lld\n",
	    u, g);
	snprintf(tmp, sizeof tmp, "%s+", UNIX_IDS_NAME);
	(void)unlinkat(b->etcfd, tmp, 0);
	fd = openat(b->etcfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd == -1)
		goto fail;
	if (fchmod(fd, 0644) == -1 || write(fd, buf, (size_t)len) != len ||
	    fsync(fd) == -1) {
		close(fd);
		goto fail;
	}
	if (close(fd) == -1 ||
	    renameat(b->etcfd, tmp, b->etcfd, UNIX_IDS_NAME) == -1 ||
	    fsync(b->etcfd) == -1)
		goto fail;
	b->ids_uid = u;
	b->ids_gid = g;
	return 0;
fail:
	xasprintf(cause, "%s/%s: %s", b->t->etc, UNIX_IDS_NAME,
	    target_strerror(errno));
	(void)unlinkat(b->etcfd, tmp, 0);
	return -1;
}
