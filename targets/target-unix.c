/*
 * target-unix.c -- local accounts: passwd, shadow, group and gshadow under
 * a root prefix, edited the way shadow-utils edits them, a whole batch in
 * one rewrite of each file.
 *
 * Configuration ("key=value" lines; '#' comments and blank lines allowed,
 * unknown keys refused so that a typo is not silently ignored):
 *	root=/		the files are ROOT/etc/{passwd,shadow,group,gshadow};
 *			a test tree or the demo's DIR/unix-root
 *	home=/home	new accounts' home is HOME/LOGIN
 *	shell=/bin/bash	new accounts' shell
 *	groups=		supplementary groups for new accounts (a,b,c); none
 *	uid_min=1000	new uids and personal gids come from this range, as
 *	uid_max=60000	useradd's UID_MIN/UID_MAX and GID_MIN/GID_MAX
 *	create_home=yes	make ROOT/HOME/LOGIN (0700, owned by the account;
 *			/etc/skel is not copied: pam_mkhomedir or the
 *			administrator's own tools do that)
 *	lock_wait=5	seconds to wait for another program's lock files
 *	end_sessions=no	whether a lock asked to end the account's sessions
 *			(arg "end-sessions") may do so; see
 *			unix-session.c.  No by default: with a root prefix
 *			the uids in the files may be real users of this host
 *	end_sessions_grace=2
 *			seconds between SIGTERM and SIGKILL (0 to 60)
 *	revoke_home=lock
 *			what a delete (a revoke) does to the home
 *			directory: keep, lock (owner root, mode 000) or
 *			remove; see unix-home.c
 *
 * uids and gids are never given out twice: a new account gets the one
 * above the highest ever used in the range, which ROOT/etc/daicho-ids
 * keeps (see unix_id_alloc in unix-ops.c).
 *
 * A batch runs in phases: lock the files, read them, apply every request
 * in memory (unix-ops.c), write each changed file once (unix-files.c),
 * unlock, and then end the sessions of the locks that asked for it
 * (unix-session.c).  A list reports each account's last login from
 * ROOT's wtmp and lastlog (unix-lastuse.c), or -1 when none
 * names it; what it could not read is target_unix_lastuse_note's.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "unix-int.h"

/* The batch. */

/* SET_PASSWORD's cleartexts, once hashed (or refused): gone. */
static void
unix_secrets_wipe(struct target_req *reqs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (reqs[i].op == TARGET_SET_PASSWORD)
			sodium_memzero(reqs[i].secret, sizeof reqs[i].secret);
	}
}

static void
unix_batch_init(struct unix_batch *b, struct target *t)
{
	enum unix_fid	 fid;

	memset(b, 0, sizeof *b);
	b->t = t;
	b->etcfd = -1;
	b->today = (long)(time(NULL) / UNIX_DAY);
	for (fid = 0; fid < F_COUNT; fid++)
		b->f[fid].type = &unix_ftypes[fid];
}

static void
unix_batch_free(struct unix_batch *b)
{
	enum unix_fid	 fid;
	size_t		 i;

	unix_unlock(b);
	for (fid = 0; fid < F_COUNT; fid++)
		unix_file_free(&b->f[fid]);
	if (b->etcfd != -1)
		close(b->etcfd);
	unix_gone_free(b->gone, b->ngone);
	unix_index_free(&b->primary);
	unix_index_free(&b->members);
	for (i = 0; i < b->nrefs; i++)
		free(b->refs[i].v);
	free(b->refs);
	for (i = 0; i < b->nhomes; i++)
		free(b->homes[i]);
	free(b->homes);
}

static int
unix_apply(struct target *t, struct target_req *reqs, size_t n,
    char **cause)
{
	struct unix_batch b;
	struct unix_end	 *ends = NULL;
	struct unix_gone *gone;
	enum unix_fid	  fid;
	size_t		  i, nend, ngone;
	int		  changed = 0, system_files, passwd, group;

	for (i = 0; i < n; i++) {
		reqs[i].done = 0;
		reqs[i].error[0] = '\0';
		/* Out for CREATE and RESET; only SET_PASSWORD's goes in. */
		if (reqs[i].op != TARGET_SET_PASSWORD)
			sodium_memzero(reqs[i].secret, sizeof reqs[i].secret);
	}
	unix_batch_init(&b, t);
	if ((b.etcfd = unix_open_etc(t, cause)) == -1)
		goto fail;
	if (unix_lock(&b, cause) != 0)
		goto fail;
	unix_leftovers(&b);
	for (fid = 0; fid < F_COUNT; fid++) {
		/* A gshadow that appeared after we locked is not ours. */
		if (b.f[fid].locked && unix_load(&b, fid, cause) != 0)
			goto fail;
	}
	if (unix_ids_load(&b, cause) != 0)
		goto fail;
	unix_ids_build(&b);

	for (i = 0; i < n; i++)
		unix_request(&b, &reqs[i]);
	unix_secrets_wipe(reqs, n);

	for (fid = 0; fid < F_COUNT; fid++)
		changed |= b.f[fid].changed;
	if (changed && (unix_ids_save(&b, cause) != 0 ||
	    unix_commit(&b, cause) != 0))
		goto fail;
	nend = unix_end_collect(&b, reqs, n, &ends);
	unix_home_shared(&b);
	gone = b.gone;
	ngone = b.ngone;
	b.gone = NULL;
	b.ngone = 0;
	system_files = b.pwdf;
	passwd = b.f[F_PASSWD].changed;
	group = b.f[F_GROUP].changed || b.f[F_GSHADOW].changed;
	unix_batch_free(&b);		/* and unlock */
	if (system_files && (passwd || group))
		unix_flush_caches(passwd, group);
	/* The locks stand and nobody can log back in: end the sessions. */
	if (nend > 0)
		unix_end_sessions(t, ends, nend);
	free(ends);
	/* After the sessions: nothing of theirs writes into the home. */
	unix_home_revoke(t, gone, ngone);
	unix_gone_free(gone, ngone);
	return 0;

fail:
	/* None of the batch stands: no request is done, no secret valid. */
	unix_secrets_wipe(reqs, n);
	for (i = 0; i < n; i++) {
		if (reqs[i].done) {
			reqs[i].done = 0;
			snprintf(reqs[i].error, sizeof reqs[i].error,
			    "not applied: the batch failed");
		}
		sodium_memzero(reqs[i].secret, sizeof reqs[i].secret);
	}
	for (i = 0; i < b.nhomes; i++)
		(void)rmdir(b.homes[i]);
	unix_batch_free(&b);
	return -1;
}

/*
 * Tests and fuzzing: a batch's in-memory work, from bytes instead of files.
 * Every file written must read back, and a file left unchanged must be
 * written back byte for byte: either failing is a bug, so it aborts.
 */
int
target_unix_mem_batch(const char *const text[4], const size_t len[4],
    struct target_req *reqs, size_t n, char **cause)
{
	struct target	  t;
	struct unix_batch b;
	struct unix_file  again;
	enum unix_fid	  fid;
	size_t		  i, outlen;
	char		 *out;
	int		  r = -1;

	memset(&t, 0, sizeof t);
	t.etc = xstrdup("mem/etc");
	t.id_min = 1000;
	t.id_max = 60000;
	unix_batch_init(&b, &t);
	for (fid = 0; fid < F_COUNT; fid++) {
		if (text[fid] == NULL)
			continue;
		b.f[fid].buf = xmalloc(len[fid] + 1);
		memcpy(b.f[fid].buf, text[fid], len[fid]);
		b.f[fid].buf[len[fid]] = '\0';
		b.f[fid].size = len[fid];
		b.f[fid].present = 1;
		if (unix_parse(&t, &b.f[fid], cause) != 0)
			goto out;
	}
	unix_ids_build(&b);
	for (i = 0; i < n; i++) {
		reqs[i].done = 0;
		reqs[i].error[0] = '\0';
		/* Creates, resets and set passwords hash: too slow. */
		if (reqs[i].op == TARGET_LOCK || reqs[i].op == TARGET_UNLOCK ||
		    reqs[i].op == TARGET_EXPIRE ||
		    reqs[i].op == TARGET_FORCE_CHANGE ||
		    reqs[i].op == TARGET_DELETE || reqs[i].op == TARGET_AGING)
			unix_request(&b, &reqs[i]);
		else
			snprintf(reqs[i].error, sizeof reqs[i].error,
			    "not run in memory");
	}
	for (fid = 0; fid < F_COUNT; fid++) {
		if (!b.f[fid].present)
			continue;
		out = unix_render(&b.f[fid], &outlen);
		if (!b.f[fid].changed && len[fid] > 0 &&
		    text[fid][len[fid] - 1] == '\n' &&
		    (outlen != len[fid] || memcmp(out, text[fid], outlen) != 0))
			fatalx("unix: %s is not written back as read",
			    b.f[fid].type->name);
		memset(&again, 0, sizeof again);
		again.type = b.f[fid].type;
		again.buf = out;
		again.size = outlen;
		again.present = 1;
		if (unix_parse(&t, &again, cause) != 0)
			fatalx("unix: %s as written does not parse: %s",
			    b.f[fid].type->name, *cause);
		unix_file_free(&again);		/* frees out */
	}
	r = 0;
out:
	unix_batch_free(&b);
	free(t.etc);
	return r;
}

/* Listing. */

const char *
target_unix_lastuse_note(const struct target *t)
{
	return t->lastuse_note;
}

static int
unix_list(struct target *t, struct target_account **out, size_t *count,
    char **cause)
{
	struct unix_batch	 b;
	struct unix_file	*pwf, *spf;
	struct target_account	*a, *v = NULL;
	struct unix_field	 login, gecos, f;
	struct unix_slot	*s;
	size_t			 i, n = 0, len;
	long long		 days;
	int64_t			*last;
	const char		*c;

	*out = NULL;
	*count = 0;
	free(t->lastuse_note);
	t->lastuse_note = NULL;
	unix_batch_init(&b, t);
	if ((b.etcfd = unix_open_etc(t, cause)) == -1 ||
	    unix_load(&b, F_PASSWD, cause) != 0 ||
	    unix_load(&b, F_SHADOW, cause) != 0) {
		unix_batch_free(&b);
		return -1;
	}
	pwf = &b.f[F_PASSWD];
	spf = &b.f[F_SHADOW];
	last = unix_lastuse(t, pwf, &t->lastuse_note);
	if (pwf->n > 0)
		v = xcalloc(pwf->n, sizeof *v);
	for (i = 0; i < pwf->n; i++) {
		if (pwf->lines[i].nis)
			continue;
		login = unix_get(pwf, i, 0);
		if (login.len >= TARGET_LOGIN_MAX)
			continue;	/* cannot be named through the API */
		a = &v[n++];
		memcpy(a->login, login.p, login.len);
		a->login[login.len] = '\0';
		gecos = unix_get(pwf, i, 4);
		c = memchr(gecos.p, ',', gecos.len);
		len = c != NULL ? (size_t)(c - gecos.p) : gecos.len;
		if (len >= sizeof a->name) {
			/* Cut at a character boundary. */
			len = sizeof a->name - 1;
			while (len > 0 && ((unsigned char)gecos.p[len] &
			    0xc0) == 0x80)
				len--;
		}
		memcpy(a->name, gecos.p, len);
		a->name[len] = '\0';
		a->locked = a->expired = a->must_change = -1;
		a->last_change = -1;
		a->last_use = last[i];
		/* Outside the uid range daicho allocates from: the OS's own. */
		{
			struct unix_field uf = unix_get(pwf, i, 2);
			long long	  uid;

			a->system_account = unix_number(&uf, LLONG_MAX, 0,
			    &uid) != 0 || uid < t->id_min || uid > t->id_max;
		}

		s = unix_index_find(&spf->idx, login.p, login.len);
		if (s == NULL || s->val == UNIX_NONE || s->dup != UNIX_NONE)
			continue;	/* unknown, as far as we can tell */
		f = unix_get(spf, s->val, 1);
		a->locked = f.len > 0 && f.p[0] == '!';
		f = unix_get(spf, s->val, 2);
		if (f.len > 0 && unix_number(&f, LONG_MAX / UNIX_DAY, 1,
		    &days) == 0) {
			a->must_change = days == 0;
			a->last_change = days >= 0 ? days * UNIX_DAY : -1;
		} else
			a->must_change = 0;
		f = unix_get(spf, s->val, 7);
		if (f.len > 0 && unix_number(&f, LONG_MAX / UNIX_DAY, 1,
		    &days) == 0 && days >= 0)
			a->expired = b.today >= days;	/* as pam_unix */
		else
			a->expired = 0;
	}
	unix_batch_free(&b);
	free(last);
	if (n == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*count = n;
	return 0;
}

/* Configuration. */

static int
unix_conf_path(const char *key, const char *v, int passwd_field,
    char **cause)
{
	const unsigned char *p;

	if (v[0] != '/' || strlen(v) >= PATH_MAX / 2) {
		xasprintf(cause, "%s= must be an absolute path", key);
		return -1;
	}
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || (passwd_field && *p == ':')) {
			xasprintf(cause, "%s= has a character a passwd field "
			    "cannot hold", key);
			return -1;
		}
	}
	return 0;
}

static int
unix_conf_groups(struct target *t, const char *v, char **cause)
{
	const char	*p = v, *c;
	char		*name;
	size_t		 n;

	while (*p != '\0') {
		c = strchr(p, ',');
		n = c != NULL ? (size_t)(c - p) : strlen(p);
		name = xstrndup(p, n);
		if (n == 0 || n >= TARGET_LOGIN_MAX ||
		    unix_login_check(name, 1, cause) != 0) {
			free(*cause);
			xasprintf(cause, "groups= must be a comma-separated "
			    "list of group names");
			free(name);
			return -1;
		}
		t->groups = xreallocarray(t->groups, t->ngroups + 1,
		    sizeof *t->groups);
		t->groups[t->ngroups++] = name;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static void
unix_close(struct target *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	free(t->root);
	free(t->etc);
	free(t->home);
	free(t->shell);
	free(t->lastuse_note);
	for (i = 0; i < t->ngroups; i++)
		free(t->groups[i]);
	free(t->groups);
	free(t);
}

static const char *const unix_conf_keys[] = {
	"root", "home", "shell", "groups", "uid_min", "uid_max",
	"create_home", "lock_wait", "end_sessions", "end_sessions_grace",
	"revoke_home", NULL
};
enum unix_conf_key {
	K_ROOT, K_HOME, K_SHELL, K_GROUPS, K_UID_MIN, K_UID_MAX,
	K_CREATE_HOME, K_LOCK_WAIT, K_END_SESSIONS, K_GRACE, K_REVOKE_HOME,
	K_COUNT
};

/*
 * Split the configuration into seen[key] (each the caller's to free):
 * key=value lines, '#' comments and blank lines, no unknown or repeated
 * key.  0, or -1 with *cause.
 */
static int
unix_conf_read(const char *conf, char *seen[K_COUNT], char **cause)
{
	const char	*p, *nl, *eq;
	char		*line = NULL, *key;
	size_t		 lineno = 0;
	int		 k, r = -1;

	for (p = conf; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		lineno++;
		nl = strchr(p, '\n');
		free(line);
		line = nl != NULL ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			xasprintf(cause, "configuration line %zu: not "
			    "key=value", lineno);
			goto out;
		}
		line[eq - line] = '\0';
		key = line;
		for (k = 0; unix_conf_keys[k] != NULL; k++) {
			if (strcmp(unix_conf_keys[k], key) == 0)
				break;
		}
		if (unix_conf_keys[k] == NULL) {
			xasprintf(cause, "configuration line %zu: unknown key "
			    "\"%.32s\"", lineno, key);
			goto out;
		}
		if (seen[k] != NULL) {
			xasprintf(cause, "configuration line %zu: %s= given "
			    "twice", lineno, key);
			goto out;
		}
		seen[k] = xstrdup(line + (eq - line) + 1);
	}
	r = 0;
out:
	free(line);
	return r;
}

/* A number of key= (in unit) from min to max into *out, if given. */
static int
unix_conf_number(const char *v, const char *key, const char *unit,
    long long min, long long max, long long *out, char **cause)
{
	const char	*errstr;

	if (v == NULL)
		return 0;
	if (number_parse(v, min, max, out, &errstr) != 0) {
		xasprintf(cause, "%s= (%s%lld to %lld) is %s", key, unit, min,
		    max, errstr);
		return -1;
	}
	return 0;
}

/* One of words (NULL-terminated) for key=, its index into *out, if given. */
static int
unix_conf_word(const char *v, const char *key, const char *const *words,
    const char *must, int *out, char **cause)
{
	int	 i;

	if (v == NULL)
		return 0;
	for (i = 0; words[i] != NULL; i++) {
		if (strcmp(v, words[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	xasprintf(cause, "%s= must be %s", key, must);
	return -1;
}

/* The paths: root, home, shell, without trailing slashes. */
static int
unix_conf_paths(struct target *t, char *seen[K_COUNT], char **cause)
{
	t->root = xstrdup(seen[K_ROOT] != NULL ? seen[K_ROOT] : "/");
	if (unix_conf_path("root", t->root, 0, cause) != 0)
		return -1;
	while (strlen(t->root) > 1 && t->root[strlen(t->root) - 1] == '/')
		t->root[strlen(t->root) - 1] = '\0';
	xasprintf(&t->etc, "%s/etc", strcmp(t->root, "/") == 0 ? "" : t->root);
	t->home = xstrdup(seen[K_HOME] != NULL ? seen[K_HOME] : "/home");
	if (unix_conf_path("home", t->home, 1, cause) != 0)
		return -1;
	while (strlen(t->home) > 1 && t->home[strlen(t->home) - 1] == '/')
		t->home[strlen(t->home) - 1] = '\0';
	t->shell = xstrdup(seen[K_SHELL] != NULL ? seen[K_SHELL] : "/bin/bash");
	return unix_conf_path("shell", t->shell, 1, cause);
}

/* Every value into t, over its defaults.  0, or -1 with *cause. */
static int
unix_conf_values(struct target *t, char *seen[K_COUNT], char **cause)
{
	static const char *const yesno[] = { "no", "yes", NULL };
	static const char *const homes[] = { "keep", "lock", "remove", NULL };
	long long	 wait = 5, grace = 2;
	int		 home = UNIX_HOME_LOCK;

	if (unix_conf_paths(t, seen, cause) != 0)
		return -1;
	if (seen[K_GROUPS] != NULL &&
	    unix_conf_groups(t, seen[K_GROUPS], cause) != 0)
		return -1;
	if (unix_conf_number(seen[K_UID_MIN], "uid_min", "", 1, UNIX_ID_MAX,
	    &t->id_min, cause) != 0 ||
	    unix_conf_number(seen[K_UID_MAX], "uid_max", "", 1, UNIX_ID_MAX,
	    &t->id_max, cause) != 0)
		return -1;
	if (t->id_min > t->id_max ||
	    t->id_max - t->id_min >= UNIX_ID_RANGE_MAX) {
		xasprintf(cause, "uid_min= and uid_max= must make a range of "
		    "1 to %d ids", UNIX_ID_RANGE_MAX);
		return -1;
	}
	if (unix_conf_word(seen[K_CREATE_HOME], "create_home", yesno,
	    "yes or no", &t->create_home, cause) != 0 ||
	    unix_conf_number(seen[K_LOCK_WAIT], "lock_wait", "seconds, ", 0,
	    600, &wait, cause) != 0 ||
	    unix_conf_word(seen[K_END_SESSIONS], "end_sessions", yesno,
	    "yes or no", &t->end_sessions, cause) != 0 ||
	    unix_conf_number(seen[K_GRACE], "end_sessions_grace", "seconds, ",
	    0, UNIX_GRACE_MAX, &grace, cause) != 0 ||
	    unix_conf_word(seen[K_REVOKE_HOME], "revoke_home", homes,
	    "keep, lock or remove", &home, cause) != 0)
		return -1;
	t->lock_wait_ms = (int)wait * 1000;
	t->grace_ms = (int)grace * 1000;
	t->revoke_home = (enum unix_home)home;
	return 0;
}

static struct target *
unix_open(const char *conf, char **cause)
{
	struct target	*t;
	char		*seen[K_COUNT] = { NULL };
	int		 k, fd;

	if (sodium_init() < 0) {
		xasprintf(cause, "sodium_init failed");
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	t->type = &target_unix_type;
	t->id_min = 1000;
	t->id_max = 60000;
	t->create_home = 1;
	if (unix_conf_read(conf, seen, cause) != 0 ||
	    unix_conf_values(t, seen, cause) != 0)
		goto fail;
	/* A root without etc/ is a mistake to report now, not per batch. */
	if ((fd = unix_open_etc(t, cause)) == -1)
		goto fail;
	close(fd);
	for (k = 0; k < K_COUNT; k++)
		free(seen[k]);
	return t;

fail:
	for (k = 0; k < K_COUNT; k++)
		free(seen[k]);
	unix_close(t);
	return NULL;
}

const struct target_type target_unix_type = {
	.name = "unix",
	.open = unix_open,
	.list = unix_list,
	.apply = unix_apply,
	.close = unix_close,
};
