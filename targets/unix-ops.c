/*
 * unix-ops.c -- the unix target's operations on accounts, applied to the
 * files in memory (unix-files.c reads and writes them): create, lock,
 * unlock, expire, set password, force change, delete, reset and aging,
 * each as the shadow-utils command that does it would leave the files
 * (policy is refused: aging is per account here).  A refusal is the
 * request's (req->error), never the batch's.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <assert.h>
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "unix-int.h"

/*
 * Whether login is a name we can safely look up and write: 1 to 32
 * bytes, no control characters, spaces, ':', ',' (the group member
 * separator) or '/', and no leading '-', '+' (NIS compat lines) or '~'.
 * A new account must also have the portable form useradd and pwck accept
 * ([A-Za-z0-9_.][A-Za-z0-9_.-]*, an optional final '$', not all digits).
 * The login is not repeated in the cause: it may hold anything.
 */
int
unix_login_check(const char *login, int creating, char **cause)
{
	size_t		 n, i, digits = 0;
	unsigned char	 c;

	n = strnlen(login, TARGET_LOGIN_MAX);
	if (n == 0) {
		xasprintf(cause, "empty login name");
		return -1;
	}
	if (n >= TARGET_LOGIN_MAX) {
		xasprintf(cause, "login name over %d bytes",
		    TARGET_LOGIN_MAX - 1);
		return -1;
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)login[i];
		if (c < 0x20 || c == 0x7f) {
			xasprintf(cause, "control character in login name");
			return -1;
		}
		if (c == ' ') {
			xasprintf(cause, "space in login name");
			return -1;
		}
		if (c == ':' || c == ',' || c == '/') {
			xasprintf(cause, "'%c' in login name", c);
			return -1;
		}
		if (c >= '0' && c <= '9')
			digits++;
	}
	if (login[0] == '-' || login[0] == '+' || login[0] == '~') {
		xasprintf(cause, "login name begins with '%c'", login[0]);
		return -1;
	}
	if (strcmp(login, ".") == 0 || strcmp(login, "..") == 0) {
		xasprintf(cause, "login name is \".\" or \"..\"");
		return -1;
	}
	if (!creating)
		return 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)login[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		    (c == '-' && i > 0) || (c == '$' && i == n - 1 && i > 0))
			continue;
		xasprintf(cause, "a new login name may only use letters, "
		    "digits, '_', '.' and '-' (as useradd requires)");
		return -1;
	}
	if (digits == n) {
		xasprintf(cause, "a new login name may not be all digits");
		return -1;
	}
	return 0;
}

/* Whether s is well-formed UTF-8 (no overlong forms or surrogates). */
static int
unix_utf8_ok(const unsigned char *s, size_t n)
{
	size_t		 i = 0, k, need;
	uint32_t	 cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			need = 1;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			need = 2;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			need = 3;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/*
 * A display name for GECOS: UTF-8 text without control characters, ':'
 * (the field separator) or ',' (GECOS's subfield separator, as chfn).
 */
static int
unix_gecos_check(const char *s, char **cause)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			xasprintf(cause, "control character in the name");
			return -1;
		}
		if (*p == ':' || *p == ',') {
			xasprintf(cause, "'%c' in the name", *p);
			return -1;
		}
	}
	if (!unix_utf8_ok((const unsigned char *)s, strlen(s))) {
		xasprintf(cause, "the name is not valid UTF-8");
		return -1;
	}
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long
unix_days_from_civil(long y, long m, long d)
{
	long	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The shadow expire field for an EXPIRE argument, as chage -E and
 * usermod -e write it: YYYY-MM-DD is that day's number (pam_unix refuses
 * the account from 00:00 UTC of that day on), "now" is yesterday (expired
 * already, whatever the time zone of the tool that looks), "never"
 * empties the field.  Day 0 is refused: some tools read it as "never".
 */
static int
unix_expire_value(const char *arg, long today, char *out, size_t outsz,
    char **cause)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	long		 y, m, d, days;
	int		 i, leap;

	if (strcmp(arg, "never") == 0) {
		out[0] = '\0';
		return 0;
	}
	if (strcmp(arg, "now") == 0) {
		snprintf(out, outsz, "%ld", today - 1 > 1 ? today - 1 : 1);
		return 0;
	}
	if (strlen(arg) != 10 || arg[4] != '-' || arg[7] != '-')
		goto bad;
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (arg[i] < '0' || arg[i] > '9'))
			goto bad;
	}
	y = (arg[0] - '0') * 1000 + (arg[1] - '0') * 100 +
	    (arg[2] - '0') * 10 + (arg[3] - '0');
	m = (arg[5] - '0') * 10 + (arg[6] - '0');
	d = (arg[8] - '0') * 10 + (arg[9] - '0');
	if (y < 1970 || m < 1 || m > 12)
		goto bad;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		goto bad;
	days = unix_days_from_civil(y, m, d);
	if (days < 1)
		goto bad;
	snprintf(out, outsz, "%ld", days);
	return 0;
bad:
	xasprintf(cause, "expiry date must be YYYY-MM-DD (after 1970-01-01), "
	    "\"now\" or \"never\"");
	return -1;
}

/* Ids: the highest uid and gid in use or given out in the range. */

static void
unix_id_use(struct unix_batch *b, long long *high, long long id)
{
	if (id < b->t->id_min || id > b->t->id_max)
		return;
	if (id > *high)
		*high = id;
}

/*
 * A new id: the one above the highest ever in use or given out here
 * (high, which includes ROOT/etc/daicho-ids).  Not useradd's way, which
 * takes the lowest free id when the range's top is used, and whose
 * "highest in use" drops when the account with the highest id is
 * deleted: either gives a deleted account's uid to a new one, and with
 * it every file the old one left (its home, mail, crontab, files in
 * shared directories).  So ids freed by a DELETE are never used again,
 * and a range used up says so instead of wrapping around.
 */
static int
unix_id_alloc(struct unix_batch *b, long long high, long long *out)
{
	if (high >= b->t->id_max)
		return -1;
	*out = high + 1;
	return 0;
}

void
unix_ids_build(struct unix_batch *b)
{
	struct unix_file *f;
	struct unix_field uid, gid;
	struct unix_slot *s;
	size_t		  i;
	long long	  v;
	char		  key[24];

	b->uid_high = b->t->id_min - 1;
	if (b->ids_uid > b->uid_high)
		b->uid_high = b->ids_uid;
	b->gid_high = b->t->id_min - 1;
	if (b->ids_gid > b->gid_high)
		b->gid_high = b->ids_gid;

	f = &b->f[F_PASSWD];
	for (i = 0; i < f->n; i++) {
		if (f->lines[i].nis)
			continue;
		uid = unix_get(f, i, 2);
		gid = unix_get(f, i, 3);
		if (unix_number(&uid, UNIX_ID_MAX, 0, &v) == 0)
			unix_id_use(b, &b->uid_high, v);
		snprintf(key, sizeof key, "%.*s", (int)gid.len, gid.p);
		s = unix_index_get(&b->primary, key, strlen(key));
		s->val = s->val == UNIX_NONE ? 1 : s->val + 1;
	}
	f = &b->f[F_GROUP];
	for (i = 0; i < f->n; i++) {
		if (f->lines[i].nis)
			continue;
		gid = unix_get(f, i, 2);
		if (unix_number(&gid, UNIX_ID_MAX, 0, &v) == 0)
			unix_id_use(b, &b->gid_high, v);
	}
}

/* Member index: where each login is a group member (or gshadow admin). */

static void
unix_ref_add(struct unix_batch *b, const char *login, size_t n,
    enum unix_fid fid, size_t line)
{
	struct unix_slot *s;
	struct unix_refs *r;

	s = unix_index_get(&b->members, login, n);
	if (s->val == UNIX_NONE) {
		if (b->nrefs == b->refs_alloc) {
			b->refs_alloc = b->refs_alloc == 0 ? 64 :
			    b->refs_alloc * 2;
			b->refs = xreallocarray(b->refs, b->refs_alloc,
			    sizeof *b->refs);
		}
		memset(&b->refs[b->nrefs], 0, sizeof b->refs[b->nrefs]);
		s->val = b->nrefs++;
	}
	r = &b->refs[s->val];
	if (r->n > 0 && r->v[r->n - 1].fid == fid && r->v[r->n - 1].line == line)
		return;		/* admin and member of the same group */
	if (r->n == r->alloc) {
		r->alloc = r->alloc == 0 ? 4 : r->alloc * 2;
		r->v = xreallocarray(r->v, r->alloc, sizeof *r->v);
	}
	r->v[r->n].fid = fid;
	r->v[r->n].line = line;
	r->n++;
}

static void
unix_refs_of_line(struct unix_batch *b, enum unix_fid fid, size_t i)
{
	struct unix_file *f = &b->f[fid];
	struct unix_field m;
	const char	 *p, *end, *c;
	int		  k;

	for (k = fid == F_GSHADOW ? 2 : 3; k <= 3; k++) {
		m = unix_get(f, i, k);
		for (p = m.p, end = m.p + m.len; p < end; p = c + 1) {
			c = memchr(p, ',', (size_t)(end - p));
			if (c == NULL)
				c = end;
			if (c > p)
				unix_ref_add(b, p, (size_t)(c - p), fid, i);
		}
	}
}

static void
unix_members_build(struct unix_batch *b)
{
	enum unix_fid	 fid;
	size_t		 i;

	if (b->have_members)
		return;
	for (fid = F_GROUP; fid <= F_GSHADOW; fid++) {
		for (i = 0; i < b->f[fid].n; i++) {
			if (!b->f[fid].lines[i].dead && !b->f[fid].lines[i].nis)
				unix_refs_of_line(b, fid, i);
		}
	}
	b->have_members = 1;
}

/* A comma list without login, or NULL if login is not in it. */
static char *
unix_list_without(struct unix_field m, const char *login, size_t *outlen)
{
	const char	*p, *end = m.p + m.len, *c;
	size_t		 n = strlen(login), len = 0;
	char		*out;
	int		 found = 0;

	out = xmalloc(m.len + 1);
	for (p = m.p; p < end; p = c + 1) {
		c = memchr(p, ',', (size_t)(end - p));
		if (c == NULL)
			c = end;
		if ((size_t)(c - p) == n && memcmp(p, login, n) == 0) {
			found = 1;
			continue;
		}
		if (c == p)
			continue;
		if (len > 0)
			out[len++] = ',';
		memcpy(out + len, p, (size_t)(c - p));
		len += (size_t)(c - p);
	}
	out[len] = '\0';
	if (!found) {
		free(out);
		return NULL;
	}
	*outlen = len;
	return out;
}

/* Remove login from every member and administrator list. */
static void
unix_members_remove(struct unix_batch *b, const char *login)
{
	struct unix_slot *s;
	struct unix_refs *r;
	struct unix_file *f;
	struct unix_field m;
	size_t		  j, len;
	char		 *list;
	int		  k;

	unix_members_build(b);
	s = unix_index_find(&b->members, login, strlen(login));
	if (s == NULL || s->val == UNIX_NONE)
		return;
	r = &b->refs[s->val];
	for (j = 0; j < r->n; j++) {
		f = &b->f[r->v[j].fid];
		if (f->lines[r->v[j].line].dead)
			continue;
		for (k = r->v[j].fid == F_GSHADOW ? 2 : 3; k <= 3; k++) {
			m = unix_get(f, r->v[j].line, k);
			list = unix_list_without(m, login, &len);
			if (list == NULL)
				continue;
			unix_set_field(f, r->v[j].line, k, list, len);
			free(list);
		}
	}
	r->n = 0;
}

/* Add login to a group's member list (and to gshadow's, if any). */
static void
unix_member_add(struct unix_batch *b, enum unix_fid fid, size_t i,
    const char *login)
{
	struct unix_file *f = &b->f[fid];
	struct unix_field m;
	char		 *list;
	int		  n;

	unix_members_build(b);
	m = unix_get(f, i, 3);
	n = xasprintf(&list, "%.*s%s%s", (int)m.len, m.p, m.len > 0 ? "," : "",
	    login);
	unix_set_field(f, i, 3, list, (size_t)n);
	free(list);
	unix_ref_add(b, login, strlen(login), fid, i);
}

/* The requests. */

static int
unix_need_account(struct unix_batch *b, const char *login, size_t *sp,
    char **cause)
{
	size_t	 pw;
	int	 r;

	if ((r = unix_find(b, F_PASSWD, login, &pw, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, "no such account");
		return -1;
	}
	if ((r = unix_find(b, F_SHADOW, login, sp, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, "the account has no shadow entry (run "
			    "pwck)");
		return -1;
	}
	return 0;
}

static int
unix_op_lock(struct unix_batch *b, struct target_req *req, char **cause)
{
	struct unix_file *f = &b->f[F_SHADOW];
	struct unix_field pw;
	size_t		  sp;
	char		 *v;

	if (req->arg[0] != '\0' && strcmp(req->arg, UNIX_END_ARG) != 0) {
		xasprintf(cause, "a lock's argument is empty or \"%s\"",
		    UNIX_END_ARG);
		return -1;
	}
	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	unix_set_field(f, sp, 7, UNIX_LOCK_EXPIRE, strlen(UNIX_LOCK_EXPIRE));
	pw = unix_get(f, sp, 1);
	if (pw.len > 0 && pw.p[0] == '!')
		return 0;	/* locked already: usermod -L does nothing */
	v = xmalloc(pw.len + 2);
	v[0] = '!';
	memcpy(v + 1, pw.p, pw.len);
	v[pw.len + 1] = '\0';
	unix_set_field(f, sp, 1, v, pw.len + 1);
	sodium_memzero(v, pw.len + 1);
	free(v);
	return 0;
}

/*
 * The argument is the account's end date in the ledger (YYYY-MM-DD,
 * "never", or empty for "whatever it was"): the lock's day-1 expiry gives
 * way to it.  An expiry other than the lock's is left alone when there is
 * no argument.
 */
static int
unix_op_unlock(struct unix_batch *b, struct target_req *req, char **cause)
{
	struct unix_file *f = &b->f[F_SHADOW];
	struct unix_field pw, ex;
	char		  v[32];
	size_t		  sp;

	if (req->arg[0] != '\0' && unix_expire_value(req->arg, b->today, v,
	    sizeof v, cause) != 0)
		return -1;
	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	pw = unix_get(f, sp, 1);
	if (pw.len == 1 && pw.p[0] == '!') {
		xasprintf(cause, "unlocking would leave an empty password, "
		    "which lets anyone log in: set a password first (usermod "
		    "-U refuses too)");
		return -1;
	}
	if (pw.len > 0 && pw.p[0] == '!')
		unix_set_field(f, sp, 1, pw.p + 1, pw.len - 1);
	if (req->arg[0] != '\0')
		unix_set_field(f, sp, 7, v, strlen(v));
	else {
		ex = unix_get(f, sp, 7);
		if (ex.len == strlen(UNIX_LOCK_EXPIRE) && memcmp(ex.p,
		    UNIX_LOCK_EXPIRE, ex.len) == 0)
			unix_set_field(f, sp, 7, "", 0);
	}
	return 0;
}

static int
unix_op_expire(struct unix_batch *b, struct target_req *req, char **cause)
{
	char	 v[32];
	size_t	 sp;

	if (unix_expire_value(req->arg, b->today, v, sizeof v, cause) != 0)
		return -1;
	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	unix_set_field(&b->f[F_SHADOW], sp, 7, v, strlen(v));
	return 0;
}

/*
 * The owner's cleartext in req->secret becomes a yescrypt hash made
 * here, as passwd makes one (a hash is no longer accepted: the design
 * keeps every copy of a password inside the process that set it).  A lock stays: the '!' is kept, so that setting a
 * password never unlocks an account behind the ledger's back; UNLOCK
 * does that.  The change date becomes today, as passwd's, which also
 * ends a forced change (day 0).  apply wipes req->secret after.
 */
static int
unix_op_set_password(struct unix_batch *b, struct target_req *req,
    char **cause)
{
	struct unix_file *f = &b->f[F_SHADOW];
	struct unix_field pw;
	size_t		  sp;
	char		  err[TARGET_ERROR_MAX], day[32];
	char		  hash[CRYPT_OUTPUT_SIZE + 1];
	int		  locked, r = -1;

	if (req->arg[0] != '\0') {
		xasprintf(cause, "set password takes its password in the "
		    "secret, and no argument");
		return -1;
	}
	if (target_secret_check(req->secret, err, sizeof err) != 0) {
		xasprintf(cause, "%s", err);
		return -1;
	}
	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	pw = unix_get(f, sp, 1);
	locked = pw.len > 0 && pw.p[0] == '!';
	hash[0] = '!';
	if (target_yescrypt(req->secret, hash + 1, sizeof hash - 1,
	    cause) == 0) {
		unix_set_field(f, sp, 1, hash + !locked, strlen(hash + !locked));
		snprintf(day, sizeof day, "%ld", b->today);
		unix_set_field(f, sp, 2, day, strlen(day));
		r = 0;
	}
	sodium_memzero(hash, sizeof hash);
	return r;
}

static int
unix_op_force_change(struct unix_batch *b, struct target_req *req,
    char **cause)
{
	size_t	 sp;

	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	unix_set_field(&b->f[F_SHADOW], sp, 2, "0", 1);
	return 0;
}

/*
 * As userdel without -r: the passwd and shadow lines go, the login leaves
 * every group's member and administrator lists, and its personal group
 * (same name, its primary gid) goes if no one else is in it or has it as
 * primary group.  The home directory is handled after the batch stands,
 * as revoke_home= says (unix-home.c); mail stays.  uid 0 is refused:
 * deleting root is never what an operator meant.
 */
static int
unix_op_delete(struct unix_batch *b, struct target_req *req, char **cause)
{
	struct unix_file *pwf = &b->f[F_PASSWD], *grf = &b->f[F_GROUP];
	struct unix_field uid, gid, ggid, members;
	struct unix_slot *s;
	size_t		  pw, sp = UNIX_NONE, gr = UNIX_NONE, gs = UNIX_NONE;
	long long	  v = -1;
	int		  r;
	char		  key[24];

	if ((r = unix_find(b, F_PASSWD, req->login, &pw, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, "no such account");
		return -1;
	}
	if (unix_find(b, F_SHADOW, req->login, &sp, cause) == -1 ||
	    unix_find(b, F_GROUP, req->login, &gr, cause) == -1 ||
	    unix_find(b, F_GSHADOW, req->login, &gs, cause) == -1)
		return -1;
	uid = unix_get(pwf, pw, 2);
	if (unix_number(&uid, UNIX_ID_MAX, 0, &v) == 0 && v == 0) {
		xasprintf(cause, "refusing to delete an account with uid 0");
		return -1;
	}
	if (b->t->revoke_home != UNIX_HOME_KEEP) {
		struct unix_field home = unix_get(pwf, pw, 5);
		struct unix_gone *g;

		b->gone = xreallocarray(b->gone, b->ngone + 1,
		    sizeof *b->gone);
		g = &b->gone[b->ngone++];
		g->req = req;
		g->uid = v;
		g->home = xstrndup(home.p, home.len);
		g->shared = 0;
	}
	gid = unix_get(pwf, pw, 3);
	snprintf(key, sizeof key, "%.*s", (int)gid.len, gid.p);

	unix_members_remove(b, req->login);
	s = unix_index_find(&b->primary, key, strlen(key));
	if (s != NULL && s->val != UNIX_NONE && s->val > 0)
		s->val--;
	if (gr != UNIX_NONE) {
		ggid = unix_get(grf, gr, 2);
		members = unix_get(grf, gr, 3);
		if (ggid.len == gid.len && memcmp(ggid.p, gid.p, gid.len) == 0 &&
		    members.len == 0 && (s == NULL || s->val == 0)) {
			unix_line_remove(grf, gr);
			if (gs != UNIX_NONE)
				unix_line_remove(&b->f[F_GSHADOW], gs);
		}
	}
	if (sp != UNIX_NONE)
		unix_line_remove(&b->f[F_SHADOW], sp);
	unix_line_remove(pwf, pw);
	return 0;
}

/*
 * A temporary password (pw_generate: no look-alike characters) and its
 * yescrypt hash into hash (size bytes).  The password, in sodium_malloc
 * memory: the caller copies it to the request and sodium_frees it.
 * NULL with *cause when hashing fails.
 */
static char *
unix_temp_password(char *hash, size_t size, char **cause)
{
	char	*pw;

	if ((pw = sodium_malloc(PW_GENERATE_LEN + 1)) == NULL)
		fatal("sodium_malloc");
	pw_generate(pw, PW_GENERATE_LEN);
	if (target_yescrypt(pw, hash, size, cause) != 0) {
		sodium_free(pw);
		return NULL;
	}
	return pw;
}

/* Make ROOT/HOME/LOGIN, 0700, owned by the new account. */
static int
unix_make_home(struct unix_batch *b, const char *login, long long uid,
    long long gid, char **cause)
{
	struct target	*t = b->t;
	char		*parent, *path;
	int		 pfd, fd;

	xasprintf(&parent, "%s%s", strcmp(t->root, "/") == 0 ? "" : t->root,
	    t->home);
	xasprintf(&path, "%s%s%s", parent, strcmp(t->home, "/") == 0 ? "" :
	    "/", login);
	pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd == -1) {
		xasprintf(cause, "home directory parent %s: %s", parent,
		    target_strerror(errno));
		goto fail;
	}
	if (mkdirat(pfd, login, 0700) == -1) {
		if (errno == EEXIST)
			xasprintf(cause, "%s exists already: it may hold "
			    "another account's files (move it away, or "
			    "configure create_home=no)", path);
		else
			xasprintf(cause, "%s: %s", path,
			    target_strerror(errno));
		close(pfd);
		goto fail;
	}
	fd = openat(pfd, login, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1 || fchown(fd, (uid_t)uid, (gid_t)gid) == -1 ||
	    fchmod(fd, 0700) == -1) {
		xasprintf(cause, "%s: %s", path, target_strerror(errno));
		if (fd != -1)
			close(fd);
		(void)unlinkat(pfd, login, AT_REMOVEDIR);
		close(pfd);
		goto fail;
	}
	close(fd);
	close(pfd);
	b->homes = xreallocarray(b->homes, b->nhomes + 1, sizeof *b->homes);
	b->homes[b->nhomes++] = path;
	free(parent);
	return 0;
fail:
	free(path);
	free(parent);
	return -1;
}

/*
 * As useradd with USERGROUPS_ENAB: a uid from the range, a personal group
 * of the same name (gid = uid when free), the configured supplementary
 * groups, and a shadow line with a yescrypt hash of a random temporary
 * password and a last change of 0, so that it must change at first
 * login.  The password goes to req->secret for the operator; our copies
 * are wiped.
 */
/*
 * A create whose result was lost (daicho killed between this rewrite and
 * recording it) comes again and finds the account.  It is the one this
 * create made, and is taken as done with a new temporary password, only
 * when it is exactly what the create makes and was never used: the same
 * display name, a uid and a personal group of daicho's range, a password
 * never changed (the forced first change still due) and not locked.
 * Anything else is someone else's account and is refused.  1 when resumed,
 * 0 when not this case, -1 on an error (*cause).
 */
static int
unix_create_resume(struct unix_batch *b, struct target_req *req,
    char **cause)
{
	struct target	 *t = b->t;
	struct unix_field gecos, uidf, gidf, pwf, chg;
	size_t		  pl, sl, gl;
	long long	  uid, gid;
	char		 *pw, hash[CRYPT_OUTPUT_SIZE];
	int		  r = 0;

	if (unix_find(b, F_PASSWD, req->login, &pl, cause) != 0 ||
	    unix_find(b, F_SHADOW, req->login, &sl, cause) != 0 ||
	    unix_find(b, F_GROUP, req->login, &gl, cause) != 0) {
		free(*cause);
		*cause = NULL;
		return 0;
	}
	gecos = unix_get(&b->f[F_PASSWD], pl, 4);
	uidf = unix_get(&b->f[F_PASSWD], pl, 2);
	gidf = unix_get(&b->f[F_PASSWD], pl, 3);
	pwf = unix_get(&b->f[F_SHADOW], sl, 1);
	chg = unix_get(&b->f[F_SHADOW], sl, 2);
	if (gecos.len != strlen(req->arg) || memcmp(gecos.p, req->arg,
	    gecos.len) != 0 || unix_number(&uidf, t->id_max, 0, &uid) != 0 ||
	    uid < t->id_min || unix_number(&gidf, t->id_max, 0, &gid) != 0 ||
	    gid < t->id_min || chg.len != 1 || chg.p[0] != '0' ||
	    pwf.len == 0 || pwf.p[0] == '!' || pwf.p[0] == '*')
		return 0;

	if ((pw = unix_temp_password(hash, sizeof hash, cause)) == NULL)
		r = -1;
	else {
		unix_set_field(&b->f[F_SHADOW], sl, 1, hash, strlen(hash));
		memcpy(req->secret, pw, PW_GENERATE_LEN + 1);
		snprintf(req->error, sizeof req->error, "created before an "
		    "interruption lost its result; a new temporary password "
		    "replaces the first, which nobody saw");
		sodium_free(pw);
		r = 1;
	}
	sodium_memzero(hash, sizeof hash);
	return r;
}

static int
unix_op_create(struct unix_batch *b, struct target_req *req, char **cause)
{
	struct target	*t = b->t;
	struct unix_slot *s;
	size_t		 line, *sup = NULL;
	long long	 uid, gid;
	char		*pw = NULL, hash[CRYPT_OUTPUT_SIZE], *text, key[24];
	enum unix_fid	 fid;
	size_t		 i;
	int		 r, ret = -1;

	if (unix_login_check(req->login, 1, cause) != 0)
		return -1;
	if (unix_gecos_check(req->arg, cause) != 0)
		return -1;
	if ((r = unix_create_resume(b, req, cause)) != 0)
		return r == 1 ? 0 : -1;
	for (fid = 0; fid < F_COUNT; fid++) {
		if ((r = unix_find(b, fid, req->login, &line, cause)) == -1)
			return -1;
		if (r == 0) {
			xasprintf(cause, "%s/%s already has an entry of that "
			    "name", t->etc, unix_ftypes[fid].name);
			return -1;
		}
	}
	if (t->ngroups > 0)
		sup = xcalloc(t->ngroups, sizeof *sup);
	for (i = 0; i < t->ngroups; i++) {
		if ((r = unix_find(b, F_GROUP, t->groups[i], &sup[i],
		    cause)) == 1)
			xasprintf(cause, "group %s (configured in groups=) "
			    "does not exist", t->groups[i]);
		if (r != 0)
			goto out;
	}
	if (unix_id_alloc(b, b->uid_high, &uid) != 0) {
		xasprintf(cause, "no uid left above %lld, the highest given "
		    "out here, up to uid_max=%lld (uids are never given out "
		    "twice: raise uid_max)", b->uid_high, t->id_max);
		goto out;
	}
	if (uid > b->gid_high)
		gid = uid;
	else if (unix_id_alloc(b, b->gid_high, &gid) != 0) {
		xasprintf(cause, "no gid left above %lld, the highest given "
		    "out here, up to uid_max=%lld (gids are never given out "
		    "twice: raise uid_max)", b->gid_high, t->id_max);
		goto out;
	}

	if ((pw = unix_temp_password(hash, sizeof hash, cause)) == NULL)
		goto out;
	if (t->create_home && unix_make_home(b, req->login, uid, gid,
	    cause) != 0)
		goto out;

	/* From here on nothing fails: the account is made in memory. */
	unix_id_use(b, &b->uid_high, uid);
	unix_id_use(b, &b->gid_high, gid);
	snprintf(key, sizeof key, "%lld", gid);
	s = unix_index_get(&b->primary, key, strlen(key));
	s->val = s->val == UNIX_NONE ? 1 : s->val + 1;

	xasprintf(&text, "%s:x:%lld:%lld:%s:%s%s%s:%s", req->login, uid, gid,
	    req->arg, t->home, strcmp(t->home, "/") == 0 ? "" : "/",
	    req->login, t->shell);
	unix_line_new(&b->f[F_PASSWD], text);
	xasprintf(&text, "%s:%s:0:0:99999:7:::", req->login, hash);
	unix_line_new(&b->f[F_SHADOW], text);
	xasprintf(&text, "%s:x:%lld:", req->login, gid);
	unix_line_new(&b->f[F_GROUP], text);
	if (b->f[F_GSHADOW].present) {
		xasprintf(&text, "%s:!::", req->login);
		unix_line_new(&b->f[F_GSHADOW], text);
	}
	for (i = 0; i < t->ngroups; i++) {
		unix_member_add(b, F_GROUP, sup[i], req->login);
		if (unix_find(b, F_GSHADOW, t->groups[i], &line, cause) == 0)
			unix_member_add(b, F_GSHADOW, line, req->login);
		else {
			free(*cause);
			*cause = NULL;
		}
	}
	memcpy(req->secret, pw, PW_GENERATE_LEN + 1);
	ret = 0;
out:
	sodium_memzero(hash, sizeof hash);
	if (pw != NULL)
		sodium_free(pw);
	free(sup);
	return ret;
}

/*
 * A new temporary password, as passwd(1) and then chage -d 0 would leave
 * it: a fresh yescrypt hash, the last change at day 0 so that the next
 * login must change it.  A lock ('!') in front of the old hash stays in
 * front of the new one.
 */
static int
unix_op_reset(struct unix_batch *b, struct target_req *req, char **cause)
{
	struct unix_field old;
	size_t		  sp;
	char		 *pw, hash[CRYPT_OUTPUT_SIZE + 1];
	int		  locked, r = -1;

	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	old = unix_get(&b->f[F_SHADOW], sp, 1);
	locked = old.len > 0 && old.p[0] == '!';
	hash[0] = '!';
	if ((pw = unix_temp_password(hash + 1, sizeof hash - 1,
	    cause)) != NULL) {
		unix_set_field(&b->f[F_SHADOW], sp, 1, hash + !locked,
		    strlen(hash + !locked));
		unix_set_field(&b->f[F_SHADOW], sp, 2, "0", 1);
		memcpy(req->secret, pw, PW_GENERATE_LEN + 1);
		sodium_free(pw);
		r = 0;
	}
	sodium_memzero(hash, sizeof hash);
	return r;
}

/*
 * Password aging, as chage -m, -M and -W write it: shadow fields 4
 * (minimum days between changes), 5 (maximum; 0 empties it: no limit,
 * as chage -M -1) and 6 (warning days), of the keys the argument gives.
 */
static int
unix_op_aging(struct unix_batch *b, struct target_req *req, char **cause)
{
	struct target_aging a;
	char		  err[TARGET_ERROR_MAX], v[24];
	size_t		  sp;

	if (target_aging_parse(req->arg, &a, err, sizeof err) != 0) {
		xasprintf(cause, "%s", err);
		return -1;
	}
	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	if (a.min != -1) {
		snprintf(v, sizeof v, "%lld", a.min);
		unix_set_field(&b->f[F_SHADOW], sp, 3, v, strlen(v));
	}
	if (a.max == 0)
		unix_set_field(&b->f[F_SHADOW], sp, 4, "", 0);
	else if (a.max != -1) {
		snprintf(v, sizeof v, "%lld", a.max);
		unix_set_field(&b->f[F_SHADOW], sp, 4, v, strlen(v));
	}
	if (a.warn != -1) {
		snprintf(v, sizeof v, "%lld", a.warn);
		unix_set_field(&b->f[F_SHADOW], sp, 5, v, strlen(v));
	}
	return 0;
}

/* The unix files hold no system-wide policy daicho may write. */
static int
unix_op_policy(struct unix_batch *b, struct target_req *req, char **cause)
{
	(void)b;
	(void)req;
	xasprintf(cause, "a unix system keeps aging per account: op aging "
	    "(login.defs is the administrator's, not daicho's)");
	return -1;
}

static const struct unix_op {
	enum target_op	 op;
	int		(*fn)(struct unix_batch *, struct target_req *,
			    char **);
} unix_ops[] = {
	{ TARGET_CREATE, unix_op_create },
	{ TARGET_LOCK, unix_op_lock },
	{ TARGET_UNLOCK, unix_op_unlock },
	{ TARGET_EXPIRE, unix_op_expire },
	{ TARGET_SET_PASSWORD, unix_op_set_password },
	{ TARGET_FORCE_CHANGE, unix_op_force_change },
	{ TARGET_DELETE, unix_op_delete },
	{ TARGET_RESET, unix_op_reset },
	{ TARGET_AGING, unix_op_aging },
	{ TARGET_POLICY, unix_op_policy },
};

/* Apply one request in memory; a refusal is the request's, not the batch's. */
void
unix_request(struct unix_batch *b, struct target_req *req)
{
	const struct unix_op *op = NULL;
	char		*cause = NULL;
	size_t		 i;

	for (i = 0; i < sizeof unix_ops / sizeof unix_ops[0]; i++) {
		if (unix_ops[i].op == req->op)
			op = &unix_ops[i];
	}
	if (op == NULL)
		xasprintf(&cause, "unknown operation %d", (int)req->op);
	else if (memchr(req->arg, '\0', sizeof req->arg) == NULL)
		xasprintf(&cause, "argument not terminated");
	else if (req->op == TARGET_POLICY)
		(void)op->fn(b, req, &cause);	/* refused, login "-" */
	else if (unix_login_check(req->login, 0, &cause) == 0 &&
	    op->fn(b, req, &cause) == 0) {
		req->done = 1;
		return;
	}
	snprintf(req->error, sizeof req->error, "%s", cause);
	free(cause);
}
