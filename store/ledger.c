/*
 * ledger.c -- appending entries, signing checkpoints, reading entries back
 * and proving them.
 *
 * The tree over the entries is kept as a frontier (store.h) in the meta
 * table, so an append costs one leaf hash and on average one node hash,
 * and a commit one Ed25519 signature.  Nothing here trusts that frontier
 * for verification: verify.c recomputes everything from the entries.
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "common.h"
#include "store-int.h"

#define FRONTIER_KEY	"frontier"

void
store_time_now(char *buf, size_t len)
{
	time_t		 now = time(NULL);
	struct tm	 tm;

	gmtime_r(&now, &tm);
	if (strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		fatalx("strftime");
}

/*
 * The newest entry's time into s->last_time ("" for an empty ledger),
 * read again whenever the ledger grew by another process's hand.
 */
static int
store_newest_time(struct store *s, char **cause)
{
	sqlite3_stmt	*stmt;
	const char	*p;
	int		 r, n;

	if (s->last_time_size == s->size && s->last_time[0] != '\0')
		return 0;
	s->last_time[0] = '\0';
	if (sqlite3_prepare_v2(s->db, "SELECT data FROM ledger_entry ORDER BY "
	    "idx DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
		return store_db_error(s, "reading the newest entry", cause);
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		p = sqlite3_column_blob(stmt, 0);
		n = sqlite3_column_bytes(stmt, 0);
		/* The entry's third line is "time YYYY-MM-DDTHH:MM:SSZ". */
		if (p != NULL)
			p = memmem(p, (size_t)n, "\ntime ", 6);
		if (p != NULL && (const char *)sqlite3_column_blob(stmt, 0) +
		    n - p >= 26)
			snprintf(s->last_time, sizeof s->last_time, "%.20s",
			    p + 6);
	}
	sqlite3_finalize(stmt);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_db_error(s, "reading the newest entry", cause);
	s->last_time_size = s->size;
	return 0;
}

int
store_clock_check(struct store *s, char **cause)
{
	char	 now[32];

	if (store_newest_time(s, cause) != 0)
		return -1;
	store_time_now(now, sizeof now);
	if (strcmp(now, s->last_time) < 0) {
		xasprintf(cause, _("the clock reads %s, but the newest ledger "
		    "entry (%llu) is dated %s: the clock is behind the ledger, "
		    "and nothing is recorded at a time before its last entry; "
		    "set the clock right (timedatectl, chrony) and try again"),
		    now, (unsigned long long)(s->size - 1), s->last_time);
		return -1;
	}
	return 0;
}

const char *
store_ledger_origin(struct store *s)
{
	return s->origin;
}

/* Serialise the frontier: 8-byte big-endian size, then its set hashes. */
static int
frontier_save(struct store *s, char **cause)
{
	uint8_t	 buf[8 + 64 * STORE_HASH_LEN];
	size_t	 len = 8;
	int	 i;

	for (i = 0; i < 8; i++)
		buf[i] = (uint8_t)(s->frontier.size >> (56 - 8 * i));
	for (i = 0; i < 64; i++) {
		if (s->frontier.size & ((uint64_t)1 << i)) {
			memcpy(buf + len, s->frontier.hash[i], STORE_HASH_LEN);
			len += STORE_HASH_LEN;
		}
	}
	return store_meta_set(s, FRONTIER_KEY, buf, len, cause);
}

static int
frontier_load(struct store *s, const uint8_t *buf, size_t len)
{
	size_t	 off = 8;
	int	 i;

	if (len < 8)
		return -1;
	store_frontier_init(&s->frontier);
	for (i = 0; i < 8; i++)
		s->frontier.size = s->frontier.size << 8 | buf[i];
	for (i = 0; i < 64; i++) {
		if (s->frontier.size & ((uint64_t)1 << i)) {
			if (off + STORE_HASH_LEN > len)
				return -1;
			memcpy(s->frontier.hash[i], buf + off, STORE_HASH_LEN);
			off += STORE_HASH_LEN;
		}
	}
	return off == len ? 0 : -1;
}

/* store_ledger_load's reads, inside the transaction it opened. */
static int
ledger_load(struct store *s, char **cause)
{
	sqlite3_stmt	*stmt;
	int64_t		 n;
	char		*blob = NULL, *note, *origin = NULL;
	uint8_t		 root[STORE_HASH_LEN], croot[STORE_HASH_LEN];
	uint64_t	 csize;
	size_t		 textlen, bloblen;
	int		 r;

	if (store_query_int(s,
	    "SELECT coalesce(max(idx) + 1, 0) FROM ledger_entry", &n,
	    cause) != 0)
		return -1;
	s->size = (uint64_t)n;
	memset(s->last_leaf, 0, sizeof s->last_leaf);
	if (n > 0) {
		if (sqlite3_prepare_v2(s->db, "SELECT data FROM ledger_entry "
		    "WHERE idx = ?", -1, &stmt, NULL) != SQLITE_OK)
			return store_db_error(s, "reading the ledger", cause);
		sqlite3_bind_int64(stmt, 1, n - 1);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			store_merkle_leaf(s->last_leaf,
			    sqlite3_column_blob(stmt, 0),
			    (size_t)sqlite3_column_bytes(stmt, 0));
		sqlite3_finalize(stmt);
	}
	if (s->flags & STORE_READONLY)
		return 0;

	r = store_meta_get(s, FRONTIER_KEY, &blob, &bloblen, cause);
	if (r == -1)
		return -1;
	if (r == 1) {
		if (n != 0)
			goto mismatch;
		store_frontier_init(&s->frontier);
		return 0;
	}
	r = frontier_load(s, (uint8_t *)blob, bloblen);
	free(blob);
	if (r != 0 || s->frontier.size != (uint64_t)n)
		goto mismatch;
	if ((note = store_checkpoint_get(s, 0, cause)) == NULL)
		return -1;
	textlen = strstr(note, "\n\n") != NULL ?
	    (size_t)(strstr(note, "\n\n") - note) + 1 : 0;
	r = store_checkpoint_parse(note, textlen, &origin, &csize, croot,
	    cause);
	free(note);
	free(origin);
	if (r != 0)
		return -1;
	store_frontier_root(&s->frontier, root);
	if (csize != (uint64_t)n || sodium_memcmp(root, croot, sizeof root))
		goto mismatch;
	return 0;
mismatch:
	xasprintf(cause, _("%s: the ledger's head does not match its latest "
	    "signed checkpoint; refusing to write (run daicho verify)"),
	    s->dbpath);
	return -1;
}

/*
 * Load the ledger's head: its size, the frontier and the last leaf hash.
 * For a store that will write, the head must agree with the latest signed
 * checkpoint, so daicho never extends a ledger that was edited behind its
 * back (verify explains what is wrong).
 *
 * The size, the frontier and the checkpoint are read in one transaction:
 * read one by one, a commit by another process between them would make a
 * healthy ledger look edited.  Inside a caller's transaction (store_begin
 * catching up) that transaction is the snapshot.
 */
int
store_ledger_load(struct store *s, char **cause)
{
	char	*c = NULL;
	int	 own, r;

	own = sqlite3_get_autocommit(s->db);
	if (own && store_exec(s, "BEGIN", cause) != 0)
		return -1;
	r = ledger_load(s, cause);
	if (own && store_exec(s, "COMMIT", &c) != 0) {
		if (r == 0) {
			*cause = c;
			return -1;
		}
		free(c);
	}
	return r;
}

int
store_ledger_append(struct store *s, const char *action, const char *op,
    const char *approver, const char *subject, const struct store_args *args,
    int flags, uint64_t *index, char **cause)
{
	char		 now[32], *buf, *sig64;
	size_t		 len, siglen;
	uint8_t		 sig[STORE_SIG_LEN];
	uint8_t		 leaf[STORE_HASH_LEN];

	assert(s->in_txn);
	if (s->key.sk == NULL) {
		xasprintf(cause, _("no epoch key loaded; cannot append"));
		return -1;
	}
	if (store_clock_check(s, cause) != 0)
		return -1;
	store_time_now(now, sizeof now);
	if (store_entry_format(&buf, &len, s->size, now, s->last_leaf,
	    s->key.epoch, action, op, approver, subject, args, cause) != 0)
		return -1;
	if (flags & STORE_APPEND_SIGN) {
		crypto_sign_detached(sig, NULL, (uint8_t *)buf, len, s->key.sk);
		sig64 = codec_b64(sig, sizeof sig);
		siglen = strlen(sig64);
		buf = xreallocarray(buf, len + siglen + 6, 1);
		memcpy(buf + len, "sig ", 4);
		memcpy(buf + len + 4, sig64, siglen);
		buf[len + 4 + siglen] = '\n';
		len += siglen + 5;
		free(sig64);
	}

	if (s->append == NULL && sqlite3_prepare_v3(s->db,
	    "INSERT INTO ledger_entry (idx, data) VALUES (?, ?)", -1,
	    SQLITE_PREPARE_PERSISTENT, &s->append, NULL) != SQLITE_OK) {
		free(buf);
		return store_db_error(s, "appending to the ledger", cause);
	}
	sqlite3_bind_int64(s->append, 1, (sqlite3_int64)s->size);
	sqlite3_bind_blob(s->append, 2, buf, (int)len, SQLITE_STATIC);
	if (sqlite3_step(s->append) != SQLITE_DONE) {
		sqlite3_reset(s->append);
		free(buf);
		return store_db_error(s, "appending to the ledger", cause);
	}
	sqlite3_reset(s->append);

	store_merkle_leaf(leaf, buf, len);
	memcpy(s->last_time, now, sizeof s->last_time);
	s->last_time_size = s->size + 1;
	free(s->last_entry);
	s->last_entry = (uint8_t *)buf;
	s->last_entry_len = len;
	store_frontier_add(&s->frontier, leaf);
	memcpy(s->last_leaf, leaf, sizeof leaf);
	*index = s->size++;
	return 0;
}

/* Sign a checkpoint over the whole ledger as it stands in this txn. */
int
store_ledger_checkpoint(struct store *s, char **cause)
{
	sqlite3_stmt	*stmt;
	uint8_t		 root[STORE_HASH_LEN];
	char		*text, *note, now[32];

	assert(s->in_txn && s->key.sk != NULL);
	store_frontier_root(&s->frontier, root);
	text = store_checkpoint_text(s->origin, s->size, root);
	note = store_note_sign(text, strlen(text), s->origin, s->key.sk);
	free(text);
	store_time_now(now, sizeof now);

	if (sqlite3_prepare_v2(s->db, "INSERT INTO checkpoint (size, epoch, "
	    "time, note) VALUES (?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK) {
		free(note);
		return store_db_error(s, "writing a checkpoint", cause);
	}
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)s->size);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)s->key.epoch);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, note, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		sqlite3_finalize(stmt);
		free(note);
		return store_db_error(s, "writing a checkpoint", cause);
	}
	sqlite3_finalize(stmt);
	free(note);
	return frontier_save(s, cause);
}

int
store_ledger_last(struct store *s, uint64_t index, const uint8_t **bytes,
    size_t *len, char **cause)
{
	if (s->last_entry == NULL || s->size == 0 || index != s->size - 1) {
		xasprintf(cause, _("entry %llu is not the one just appended"),
		    (unsigned long long)index);
		return -1;
	}
	*bytes = s->last_entry;
	*len = s->last_entry_len;
	return 0;
}

int
store_ledger_size(struct store *s, uint64_t *size, char **cause)
{
	int64_t	 n;

	/* In a transaction the store knows; outside, others may append. */
	if (s->in_txn) {
		*size = s->size;
		return 0;
	}
	if (store_query_int(s, "SELECT coalesce(max(idx) + 1, 0) FROM "
	    "ledger_entry", &n, cause) != 0)
		return -1;
	*size = (uint64_t)n;
	return 0;
}

int
store_ledger_head(struct store *s, struct store_head *head, char **cause)
{
	if (s->flags & STORE_READONLY) {
		xasprintf(cause, _("the tree head is kept for writing stores"));
		return -1;
	}
	head->size = s->size;
	store_frontier_root(&s->frontier, head->root);
	return 0;
}

int
store_ledger_get(struct store *s, uint64_t index, uint8_t **bytes,
    size_t *len, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 r;

	if (sqlite3_prepare_v2(s->db, "SELECT data FROM ledger_entry "
	    "WHERE idx = ?", -1, &stmt, NULL) != SQLITE_OK)
		return store_db_error(s, "reading the ledger", cause);
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)index);
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(stmt, 0);
		*bytes = xmalloc(*len + 1);
		memcpy(*bytes, sqlite3_column_blob(stmt, 0), *len);
		(*bytes)[*len] = '\0';
		sqlite3_finalize(stmt);
		return 0;
	}
	sqlite3_finalize(stmt);
	if (r == SQLITE_DONE)
		return 1;
	return store_db_error(s, "reading the ledger", cause);
}

char *
store_checkpoint_get(struct store *s, uint64_t size, char **cause)
{
	sqlite3_stmt	*stmt;
	char		*note = NULL;
	int		 r;

	r = sqlite3_prepare_v2(s->db, size == 0 ?
	    "SELECT note FROM checkpoint ORDER BY size DESC LIMIT 1" :
	    "SELECT note FROM checkpoint WHERE size = ?", -1, &stmt, NULL);
	if (r != SQLITE_OK) {
		store_db_error(s, "reading checkpoints", cause);
		return NULL;
	}
	if (size != 0)
		sqlite3_bind_int64(stmt, 1, (sqlite3_int64)size);
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW)
		note = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	else if (r == SQLITE_DONE) {
		if (size == 0)
			xasprintf(cause, _("the ledger has no signed "
			    "checkpoint"));
		else
			xasprintf(cause, _("no checkpoint was signed at size "
			    "%llu"), (unsigned long long)size);
	} else
		store_db_error(s, "reading checkpoints", cause);
	sqlite3_finalize(stmt);
	return note;
}

int
store_checkpoint_latest(struct store *s, uint64_t *size, char *time,
    size_t timelen, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 r;

	if (sqlite3_prepare_v2(s->db, "SELECT size, time FROM checkpoint "
	    "ORDER BY size DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
		return store_db_error(s, "reading checkpoints", cause);
	*size = 0;
	if (timelen > 0)
		time[0] = '\0';
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		*size = (uint64_t)sqlite3_column_int64(stmt, 0);
		snprintf(time, timelen, "%s",
		    (const char *)sqlite3_column_text(stmt, 1));
	}
	sqlite3_finalize(stmt);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_db_error(s, "reading checkpoints", cause);
	return 0;
}

/*
 * Leaf hashes of entries [0, n); caller frees.  Used by proofs, which may
 * be slow (one pass over the ledger) but must not trust stored hashes.
 */
static uint8_t (*leaves_load(struct store *s, uint64_t n,
    char **cause))[STORE_HASH_LEN]
{
	sqlite3_stmt	*stmt;
	uint8_t		(*v)[STORE_HASH_LEN];
	uint64_t	 i = 0;

	v = xcalloc(n, STORE_HASH_LEN);
	if (sqlite3_prepare_v2(s->db, "SELECT idx, data FROM ledger_entry "
	    "WHERE idx < ? ORDER BY idx", -1, &stmt, NULL) != SQLITE_OK) {
		free(v);
		store_db_error(s, "reading the ledger", cause);
		return NULL;
	}
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)n);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if ((uint64_t)sqlite3_column_int64(stmt, 0) != i)
			break;
		store_merkle_leaf(v[i++], sqlite3_column_blob(stmt, 1),
		    (size_t)sqlite3_column_bytes(stmt, 1));
	}
	sqlite3_finalize(stmt);
	if (i != n) {
		free(v);
		xasprintf(cause, _("the ledger has a gap at entry %llu; run "
		    "daicho verify"), (unsigned long long)i);
		return NULL;
	}
	return v;
}

char *
store_ledger_prove(struct store *s, uint64_t index, uint64_t size,
    char **cause)
{
	uint8_t		(*leaves)[STORE_HASH_LEN];
	uint8_t		 path[STORE_MAX_PROOF][STORE_HASH_LEN];
	uint8_t		 root[STORE_HASH_LEN], croot[STORE_HASH_LEN];
	char		*note, *origin = NULL, *out, *line, *b64, *sep;
	uint64_t	 csize;
	int		 n, i;

	if ((note = store_checkpoint_get(s, size, cause)) == NULL)
		return NULL;
	if ((sep = strstr(note, "\n\n")) == NULL ||
	    store_checkpoint_parse(note, (size_t)(sep - note) + 1, &origin,
	    &csize, croot, cause) != 0) {
		if (sep == NULL)
			xasprintf(cause, _("stored checkpoint is not a note"));
		free(note);
		return NULL;
	}
	free(origin);
	if (index >= csize) {
		xasprintf(cause, _("entry %llu is not in the checkpoint of "
		    "size %llu"), (unsigned long long)index,
		    (unsigned long long)csize);
		free(note);
		return NULL;
	}
	if ((leaves = leaves_load(s, csize, cause)) == NULL) {
		free(note);
		return NULL;
	}
	store_merkle_root(root, (const uint8_t (*)[STORE_HASH_LEN])leaves,
	    csize);
	if (sodium_memcmp(root, croot, sizeof root) != 0) {
		xasprintf(cause, _("the entries do not match the checkpoint of "
		    "size %llu; run daicho verify"), (unsigned long long)csize);
		free(leaves);
		free(note);
		return NULL;
	}
	n = store_merkle_inclusion((const uint8_t (*)[STORE_HASH_LEN])leaves,
	    index, csize, path);
	free(leaves);
	if (n < 0) {
		xasprintf(cause, _("no inclusion proof for entry %llu"),
		    (unsigned long long)index);
		free(note);
		return NULL;
	}

	xasprintf(&out, "c2sp.org/tlog-proof@v1\nindex %llu\n",
	    (unsigned long long)index);
	for (i = 0; i < n; i++) {
		b64 = codec_b64(path[i], STORE_HASH_LEN);
		xasprintf(&line, "%s%s\n", out, b64);
		free(b64);
		free(out);
		out = line;
	}
	xasprintf(&line, "%s\n%s", out, note);
	free(out);
	free(note);
	return line;
}

/* The levels of the tree over n leaves: lv[k][i] is the root of the
 * complete subtree of leaves [i * 2^k, (i + 1) * 2^k). */
struct prove_levels {
	uint8_t		(*lv[64])[STORE_HASH_LEN];
	unsigned int	 n;
};

static void
levels_build(struct prove_levels *p, uint8_t (*leaves)[STORE_HASH_LEN],
    uint64_t size)
{
	uint64_t	 i, m;

	memset(p, 0, sizeof *p);
	p->lv[0] = leaves;
	p->n = 1;
	for (m = size / 2; m > 0; m /= 2) {
		p->lv[p->n] = xcalloc(m, STORE_HASH_LEN);
		for (i = 0; i < m; i++)
			store_merkle_node(p->lv[p->n][i],
			    p->lv[p->n - 1][2 * i], p->lv[p->n - 1][2 * i + 1]);
		p->n++;
	}
}

static void
levels_free(struct prove_levels *p)
{
	unsigned int	 k;

	for (k = 1; k < p->n; k++)
		free(p->lv[k]);
}

/* Largest power of two below n (n > 1). */
static uint64_t
split_point(uint64_t n)
{
	uint64_t	 k = 1;

	while (k << 1 < n)
		k <<= 1;
	return k;
}

/* MTH(D[a:b]), a aligned as RFC 6962's recursion leaves it. */
static void
levels_root(const struct prove_levels *p, uint64_t a, uint64_t b,
    uint8_t *out)
{
	uint8_t		 l[STORE_HASH_LEN], r[STORE_HASH_LEN];
	uint64_t	 n = b - a, k;
	unsigned int	 j = 0;

	if ((n & (n - 1)) == 0) {
		while ((UINT64_C(1) << j) < n)
			j++;
		memcpy(out, p->lv[j][a >> j], STORE_HASH_LEN);
		return;
	}
	k = split_point(n);
	levels_root(p, a, a + k, l);
	levels_root(p, a + k, b, r);
	store_merkle_node(out, l, r);
}

/* PATH(m, D[a:b]) (RFC 6962 2.1.1), appended to path at *np. */
static void
levels_path(const struct prove_levels *p, uint64_t m, uint64_t a,
    uint64_t b, uint8_t (*path)[STORE_HASH_LEN], int *np)
{
	uint64_t	 k;

	if (b - a <= 1)
		return;
	k = split_point(b - a);
	if (m < a + k) {
		levels_path(p, m, a, a + k, path, np);
		levels_root(p, a + k, b, path[(*np)++]);
	} else {
		levels_path(p, m, a + k, b, path, np);
		levels_root(p, a, a + k, path[(*np)++]);
	}
}

static char *
proof_text(uint64_t index, uint8_t (*path)[STORE_HASH_LEN], int n,
    const char *note)
{
	char	*out, *line, *b64;
	int	 i;

	xasprintf(&out, "c2sp.org/tlog-proof@v1\nindex %llu\n",
	    (unsigned long long)index);
	for (i = 0; i < n; i++) {
		b64 = codec_b64(path[i], STORE_HASH_LEN);
		xasprintf(&line, "%s%s\n", out, b64);
		free(b64);
		free(out);
		out = line;
	}
	xasprintf(&line, "%s\n%s", out, note);
	free(out);
	return line;
}

int
store_ledger_prove_many(struct store *s, const uint64_t *idx, size_t n,
    uint64_t size, char **out, uint64_t *csize, char **cause)
{
	struct prove_levels	 p;
	uint8_t			(*leaves)[STORE_HASH_LEN];
	uint8_t			 path[STORE_MAX_PROOF][STORE_HASH_LEN];
	uint8_t			 root[STORE_HASH_LEN], croot[STORE_HASH_LEN];
	char			*note, *origin = NULL, *sep;
	size_t			 i;
	int			 np;

	if ((note = store_checkpoint_get(s, size, cause)) == NULL)
		return -1;
	if ((sep = strstr(note, "\n\n")) == NULL ||
	    store_checkpoint_parse(note, (size_t)(sep - note) + 1, &origin,
	    csize, croot, cause) != 0 || *csize == 0) {
		if (sep == NULL || *csize == 0)
			xasprintf(cause, _("stored checkpoint is not a note"));
		free(note);
		return -1;
	}
	free(origin);
	for (i = 0; i < n; i++) {
		if (idx[i] >= *csize) {
			xasprintf(cause, _("entry %llu is not in the "
			    "checkpoint of size %llu"),
			    (unsigned long long)idx[i],
			    (unsigned long long)*csize);
			free(note);
			return -1;
		}
	}
	if ((leaves = leaves_load(s, *csize, cause)) == NULL) {
		free(note);
		return -1;
	}
	levels_build(&p, leaves, *csize);
	levels_root(&p, 0, *csize, root);
	if (sodium_memcmp(root, croot, sizeof root) != 0) {
		xasprintf(cause, _("the entries do not match the checkpoint "
		    "of size %llu; run daicho verify"),
		    (unsigned long long)*csize);
		levels_free(&p);
		free(leaves);
		free(note);
		return -1;
	}
	for (i = 0; i < n; i++) {
		np = 0;
		levels_path(&p, idx[i], 0, *csize, path, &np);
		out[i] = proof_text(idx[i], path, np, note);
	}
	levels_free(&p);
	free(leaves);
	free(note);
	return 0;
}

/*
 * Every entry of table ("ledger_entry", or replay's "live.ledger_entry"),
 * oldest first, to fn until it returns non-zero.
 */
int
store_entries_foreach(struct store *s, const char *table,
    int (*fn)(void *, uint64_t, const uint8_t *, size_t), void *arg,
    char **cause)
{
	sqlite3_stmt	*stmt;
	char		*sql;
	int		 r, ret = 0;

	xasprintf(&sql, "SELECT idx, data FROM %s ORDER BY idx", table);
	r = sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL);
	free(sql);
	if (r != SQLITE_OK)
		return store_db_error(s, "reading the ledger", cause);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		ret = fn(arg, (uint64_t)sqlite3_column_int64(stmt, 0),
		    sqlite3_column_blob(stmt, 1),
		    (size_t)sqlite3_column_bytes(stmt, 1));
		if (ret != 0)
			break;
	}
	if (ret == 0 && r != SQLITE_DONE)
		ret = store_db_error(s, "reading the ledger", cause);
	sqlite3_finalize(stmt);
	return ret;
}

int
store_ledger_foreach(struct store *s, int (*fn)(void *, uint64_t,
    const uint8_t *, size_t), void *arg, char **cause)
{
	return store_entries_foreach(s, "ledger_entry", fn, arg, cause);
}

struct store_reader {
	sqlite3_stmt	*stmt;
};

struct store_reader *
store_reader_open(struct store *s, uint64_t from, char **cause)
{
	struct store_reader	*r;

	r = xcalloc(1, sizeof *r);
	if (sqlite3_prepare_v2(s->db, "SELECT idx, data FROM ledger_entry "
	    "WHERE idx >= ? ORDER BY idx", -1, &r->stmt, NULL) != SQLITE_OK) {
		store_db_error(s, "reading the ledger", cause);
		free(r);
		return NULL;
	}
	sqlite3_bind_int64(r->stmt, 1, (sqlite3_int64)from);
	return r;
}

int
store_reader_next(struct store_reader *r, uint64_t *index,
    const uint8_t **bytes, size_t *len, char **cause)
{
	switch (sqlite3_step(r->stmt)) {
	case SQLITE_ROW:
		*index = (uint64_t)sqlite3_column_int64(r->stmt, 0);
		*bytes = sqlite3_column_blob(r->stmt, 1);
		*len = (size_t)sqlite3_column_bytes(r->stmt, 1);
		return 1;
	case SQLITE_DONE:
		return 0;
	default:
		xasprintf(cause, _("reading the ledger: %s"),
		    sqlite3_errmsg(sqlite3_db_handle(r->stmt)));
		return -1;
	}
}

void
store_reader_close(struct store_reader *r)
{
	if (r == NULL)
		return;
	sqlite3_finalize(r->stmt);
	free(r);
}
