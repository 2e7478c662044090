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
 *
 * A batch runs in phases: lock the files, read them, apply every request
 * in memory (unix-ops.c), write each changed file once (unix-files.c),
 * unlock, and then end the sessions of the locks that asked for it
 * (unix-session.c).  Last login (lastlog, wtmp) is out of scope: list
 * reports last_use -1.
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
	free(b->uid_used);
	free(b->gid_used);
	unix_index_free(&b->primary);
	unix_index_free(&b->members);
	for (i = 0; i < b->nrefs; i++)
		free(b->refs[i].v);
	free(b->refs);
	for (i = 0; i < b->nhomes; i++)
		free(b->homes[i]);
	free(b->homes);
	if (b->crypt != NULL)
		sodium_free(b->crypt);
}

static int
unix_apply(struct target *t, struct target_req *reqs, size_t n,
    char **cause)
{
	struct unix_batch b;
	struct unix_end	 *ends = NULL;
	enum unix_fid	  fid;
	size_t		  i, nend;
	int		  changed = 0, system_files, passwd, group;

	for (i = 0; i < n; i++) {
		reqs[i].done = 0;
		reqs[i].error[0] = '\0';
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
	unix_ids_build(&b);

	for (i = 0; i < n; i++)
		unix_request(&b, &reqs[i]);

	for (fid = 0; fid < F_COUNT; fid++)
		changed |= b.f[fid].changed;
	if (changed && unix_commit(&b, cause) != 0)
		goto fail;
	nend = unix_end_collect(&b, reqs, n, &ends);
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
	return 0;

fail:
	/* None of the batch stands: no request is done, no secret valid. */
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
		/* A create or a reset hashes a new password: too slow. */
		if (reqs[i].op == TARGET_LOCK || reqs[i].op == TARGET_UNLOCK ||
		    reqs[i].op == TARGET_EXPIRE ||
		    reqs[i].op == TARGET_SET_PASSWORD ||
		    reqs[i].op == TARGET_FORCE_CHANGE ||
		    reqs[i].op == TARGET_DELETE)
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
	const char		*c;

	*out = NULL;
	*count = 0;
	unix_batch_init(&b, t);
	if ((b.etcfd = unix_open_etc(t, cause)) == -1 ||
	    unix_load(&b, F_PASSWD, cause) != 0 ||
	    unix_load(&b, F_SHADOW, cause) != 0) {
		unix_batch_free(&b);
		return -1;
	}
	pwf = &b.f[F_PASSWD];
	spf = &b.f[F_SHADOW];
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
		a->last_use = -1;	/* lastlog is out of scope */
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
	for (i = 0; i < t->ngroups; i++)
		free(t->groups[i]);
	free(t->groups);
	free(t);
}

static struct target *
unix_open(const char *conf, char **cause)
{
	static const char *const keys[] = {
		"root", "home", "shell", "groups", "uid_min", "uid_max",
		"create_home", "lock_wait", "end_sessions",
		"end_sessions_grace", NULL
	};
	enum { NKEYS = sizeof keys / sizeof keys[0] - 1 };
	struct target	*t;
	const char	*p, *nl, *eq, *errstr;
	char		*line = NULL, *key, *v, *seen[NKEYS] = { NULL };
	long long	 ll;
	size_t		 lineno = 0;
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
	t->lock_wait_ms = 5000;
	t->grace_ms = 2000;

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
			goto fail;
		}
		line[eq - line] = '\0';
		key = line;
		v = line + (eq - line) + 1;
		for (k = 0; keys[k] != NULL; k++) {
			if (strcmp(keys[k], key) == 0)
				break;
		}
		if (keys[k] == NULL) {
			xasprintf(cause, "configuration line %zu: unknown key "
			    "\"%.32s\"", lineno, key);
			goto fail;
		}
		if (seen[k] != NULL) {
			xasprintf(cause, "configuration line %zu: %s= given "
			    "twice", lineno, key);
			goto fail;
		}
		seen[k] = xstrdup(v);
	}
	free(line);
	line = NULL;

	t->root = xstrdup(seen[0] != NULL ? seen[0] : "/");
	if (unix_conf_path("root", t->root, 0, cause) != 0)
		goto fail;
	while (strlen(t->root) > 1 && t->root[strlen(t->root) - 1] == '/')
		t->root[strlen(t->root) - 1] = '\0';
	xasprintf(&t->etc, "%s/etc", strcmp(t->root, "/") == 0 ? "" : t->root);
	t->home = xstrdup(seen[1] != NULL ? seen[1] : "/home");
	if (unix_conf_path("home", t->home, 1, cause) != 0)
		goto fail;
	while (strlen(t->home) > 1 && t->home[strlen(t->home) - 1] == '/')
		t->home[strlen(t->home) - 1] = '\0';
	t->shell = xstrdup(seen[2] != NULL ? seen[2] : "/bin/bash");
	if (unix_conf_path("shell", t->shell, 1, cause) != 0)
		goto fail;
	if (seen[3] != NULL && unix_conf_groups(t, seen[3], cause) != 0)
		goto fail;
	if (seen[4] != NULL) {
		if (number_parse(seen[4], 1, UNIX_ID_MAX, &ll, &errstr) != 0) {
			xasprintf(cause, "uid_min= is %s", errstr);
			goto fail;
		}
		t->id_min = ll;
	}
	if (seen[5] != NULL) {
		if (number_parse(seen[5], 1, UNIX_ID_MAX, &ll, &errstr) != 0) {
			xasprintf(cause, "uid_max= is %s", errstr);
			goto fail;
		}
		t->id_max = ll;
	}
	if (t->id_min > t->id_max ||
	    t->id_max - t->id_min >= UNIX_ID_RANGE_MAX) {
		xasprintf(cause, "uid_min= and uid_max= must make a range of "
		    "1 to %d ids", UNIX_ID_RANGE_MAX);
		goto fail;
	}
	if (seen[6] != NULL) {
		if (strcmp(seen[6], "yes") == 0)
			t->create_home = 1;
		else if (strcmp(seen[6], "no") == 0)
			t->create_home = 0;
		else {
			xasprintf(cause, "create_home= must be yes or no");
			goto fail;
		}
	}
	if (seen[7] != NULL) {
		if (number_parse(seen[7], 0, 600, &ll, &errstr) != 0) {
			xasprintf(cause, "lock_wait= (seconds, 0 to 600) is %s",
			    errstr);
			goto fail;
		}
		t->lock_wait_ms = (int)ll * 1000;
	}
	if (seen[8] != NULL) {
		if (strcmp(seen[8], "yes") == 0)
			t->end_sessions = 1;
		else if (strcmp(seen[8], "no") != 0) {
			xasprintf(cause, "end_sessions= must be yes or no");
			goto fail;
		}
	}
	if (seen[9] != NULL) {
		if (number_parse(seen[9], 0, UNIX_GRACE_MAX, &ll,
		    &errstr) != 0) {
			xasprintf(cause, "end_sessions_grace= (seconds, 0 to "
			    "%d) is %s", UNIX_GRACE_MAX, errstr);
			goto fail;
		}
		t->grace_ms = (int)ll * 1000;
	}

	/* A root without etc/ is a mistake to report now, not per batch. */
	if ((fd = unix_open_etc(t, cause)) == -1)
		goto fail;
	close(fd);
	for (k = 0; k < NKEYS; k++)
		free(seen[k]);
	return t;

fail:
	free(line);
	for (k = 0; k < NKEYS; k++)
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
