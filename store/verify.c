/*
 * verify.c -- checking the whole ledger from its entries alone.
 *
 * One pass over the entries, in index order, checks for each entry that
 * it sits at its own index, names the hash of the entry before it, and
 * carries the epoch the key chain is at; it adds the entry's leaf to the
 * tree.  ledger.init and ledger.rotate entries are checked in full: their
 * signature by the current epoch key, and (for a rotation) the tree head
 * they name.  After the pass the latest checkpoint must cover exactly the
 * entries there are, with the right root and a signature by the key of
 * its epoch; the key file must hold the last epoch's key; and a
 * checkpoint held outside must be a prefix of this tree.
 *
 * Nothing stored besides the entries, the checkpoints and root.pub is
 * trusted: not the frontier in meta, not the epoch table.
 *
 * The pass costs one leaf hash and on average one node hash per entry,
 * plus reading the row; the Ed25519 checks are per epoch, not per entry.
 * Leaf hashing is four fifths of the work, so it is shared with a second
 * thread: the main thread reads a batch of rows while the hasher hashes
 * the batch before it, then helps finish it, then checks it in order.
 * Everything that depends on order (the tree, the prev chain, the key
 * chain) stays on the main thread.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "store-int.h"

#define ENTRY_HEAD	"daicho-entry v1\nindex "
#define PROGRESS_EVERY	65536
#define BATCH		8192		/* rows read and hashed together */
#define CHUNK_LEVEL	8
#define CHUNK		(1 << CHUNK_LEVEL)	/* rows a thread hashes at a time */

/* Batches and chunks stay aligned to whole subtrees of the tree. */
_Static_assert(BATCH % CHUNK == 0, "a batch is whole chunks");

/* A batch of rows: their bytes in one arena, hashed into leaves[]. */
struct batch {
	uint64_t	 base;			/* position of the first row */
	size_t		 n;
	int64_t		 idx[BATCH];
	size_t		 off[BATCH + 1];	/* row i: arena[off[i]..off[i+1]) */
	uint8_t		*arena;
	size_t		 cap;
	uint8_t		(*leaves)[STORE_HASH_LEN]; /* the whole ledger's */
	uint8_t		 chunkroot[BATCH / CHUNK][STORE_HASH_LEN];
	atomic_size_t	 next;			/* next row to hash */
};

struct hasher {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	struct batch	*work;			/* posted, not yet finished */
	int		 quit;
};

struct chain_key {
	uint64_t	 epoch;
	uint64_t	 first;			/* first entry signed under it */
	uint8_t		 pk[STORE_PK_LEN];
};

struct vstate {
	struct store_verify_result *res;
	struct chain_key *keys;
	size_t		 nkeys;
	uint8_t		 rootpk[STORE_PK_LEN];
	char		*rootvkey;
};

/* Hash rows of b, a chunk at a time, until none are left. */
static void
batch_hash(struct batch *b)
{
	size_t	 i, end;

	for (;;) {
		i = atomic_fetch_add(&b->next, CHUNK);
		if (i >= b->n)
			return;
		end = i + CHUNK < b->n ? i + CHUNK : b->n;
		for (size_t j = i; j < end; j++)
			store_merkle_leaf(b->leaves[b->base + j],
			    b->arena + b->off[j], b->off[j + 1] - b->off[j]);
		/*
		 * A whole chunk is an aligned complete subtree (every batch
		 * before the last is whole): its nodes are hashed here, in
		 * parallel, and the main thread adds just its root.
		 */
		if (end - i == CHUNK)
			store_merkle_root(b->chunkroot[i / CHUNK],
			    (const uint8_t (*)[STORE_HASH_LEN])b->leaves +
			    b->base + i, CHUNK);
	}
}

static void *
hasher_main(void *arg)
{
	struct hasher	*h = arg;
	struct batch	*b;

	pthread_mutex_lock(&h->lock);
	for (;;) {
		while (h->work == NULL && !h->quit)
			pthread_cond_wait(&h->cond, &h->lock);
		if (h->quit)
			break;
		b = h->work;
		pthread_mutex_unlock(&h->lock);
		batch_hash(b);
		pthread_mutex_lock(&h->lock);
		h->work = NULL;
		pthread_cond_broadcast(&h->cond);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

static void
hasher_post(struct hasher *h, struct batch *b)
{
	atomic_store(&b->next, 0);
	pthread_mutex_lock(&h->lock);
	h->work = b;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
}

/* Help hash the posted batch, then wait until the hasher is done too. */
static void
hasher_finish(struct hasher *h, struct batch *b)
{
	batch_hash(b);
	pthread_mutex_lock(&h->lock);
	while (h->work != NULL)
		pthread_cond_wait(&h->cond, &h->lock);
	pthread_mutex_unlock(&h->lock);
}

/*
 * Read up to BATCH rows (no more than the leaves array holds) into b.
 * Returns the last sqlite3_step result.
 */
static int
batch_read(sqlite3_stmt *stmt, struct batch *b, uint64_t base, uint64_t cap)
{
	const void	*data;
	size_t		 len;
	int		 r = SQLITE_ROW;

	b->base = base;
	b->n = 0;
	b->off[0] = 0;
	while (b->n < BATCH && base + b->n < cap &&
	    (r = sqlite3_step(stmt)) == SQLITE_ROW) {
		data = sqlite3_column_blob(stmt, 1);
		len = (size_t)sqlite3_column_bytes(stmt, 1);
		if (b->off[b->n] + len > b->cap) {
			b->cap = (b->off[b->n] + len) * 2;
			b->arena = xreallocarray(b->arena, b->cap, 1);
		}
		if (len > 0)
			memcpy(b->arena + b->off[b->n], data, len);
		b->idx[b->n] = sqlite3_column_int64(stmt, 0);
		b->off[b->n + 1] = b->off[b->n] + len;
		b->n++;
	}
	return r;
}

static int
problem(struct store_verify_result *res, int64_t index, const char *fmt, ...)
    DAICHO_PRINTF(3, 4);

static int
problem(struct store_verify_result *res, int64_t index, const char *fmt, ...)
{
	va_list	 ap;

	if (res->problem != NULL)
		return 1;
	va_start(ap, fmt);
	xvasprintf(&res->problem, fmt, ap);
	va_end(ap);
	res->bad_index = index;
	return 1;
}

static void
keys_push(struct vstate *v, uint64_t epoch, uint64_t first, const uint8_t *pk)
{
	v->keys = xreallocarray(v->keys, v->nkeys + 1, sizeof *v->keys);
	v->keys[v->nkeys].epoch = epoch;
	v->keys[v->nkeys].first = first;
	memcpy(v->keys[v->nkeys].pk, pk, STORE_PK_LEN);
	v->nkeys++;
}

/* The key that signs checkpoints of the given size. */
static const struct chain_key *
keys_for_size(const struct vstate *v, uint64_t size)
{
	size_t	 i;

	if (v->nkeys == 0 || size == 0)
		return NULL;
	for (i = v->nkeys; i-- > 0;) {
		if (v->keys[i].first <= size - 1)
			return &v->keys[i];
	}
	return NULL;
}

/*
 * Read a decimal number ending in '\n' at *p (bounded by end); advance
 * past the newline.  Returns -1 on anything else.
 */
static int
scan_u64(const char **p, const char *end, uint64_t *out)
{
	const char	*q = *p;
	uint64_t	 v = 0;

	if (q >= end || *q < '0' || *q > '9' || (*q == '0' && q + 1 < end &&
	    q[1] != '\n'))
		return -1;
	for (; q < end && *q >= '0' && *q <= '9'; q++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*q - '0');
	}
	if (q >= end || *q != '\n')
		return -1;
	*out = v;
	*p = q + 1;
	return 0;
}

/* Skip a "key " prefix at *p; -1 if it is not there. */
static int
expect(const char **p, const char *end, const char *key, size_t keylen)
{
	if ((size_t)(end - *p) < keylen || memcmp(*p, key, keylen) != 0)
		return -1;
	*p += keylen;
	return 0;
}

/* ledger.init: entry 0, naming this ledger and the trusted root key. */
static int
check_init(struct store *s, struct vstate *v, const struct store_entry *e,
    uint64_t index)
{
	const char	*origin = store_args_get(&e->args, "origin");
	const char	*key = store_args_get(&e->args, "key");

	if (origin == NULL || strcmp(origin, s->origin) != 0)
		return problem(v->res, 0, "entry 0: names origin %s, not this "
		    "ledger's %s", origin ? origin : "(none)", s->origin);
	if (index != 0)
		return problem(v->res, (int64_t)index, "entry %llu: a second "
		    "ledger.init", (unsigned long long)index);
	if (key == NULL || strcmp(key, v->rootvkey) != 0)
		return problem(v->res, 0, "entry 0: names root key %s, not the "
		    "trusted root key %s", key ? key : "(none)", v->rootvkey);
	return 0;
}

/*
 * ledger.rotate: the next epoch, its key (this ledger's), and the tree
 * head of the entries before it (fr).  On success the chain moves on:
 * *epoch and *pk are the new key's.
 */
static int
check_rotate(struct store *s, struct vstate *v, const struct store_entry *e,
    uint64_t index, const struct store_frontier *fr, uint64_t *epoch,
    const uint8_t **pk)
{
	struct store_verify_result *res = v->res;
	const char	*a_epoch, *a_key, *a_size, *a_root, *errstr;
	uint8_t		 newpk[STORE_PK_LEN], root[STORE_HASH_LEN];
	uint8_t		 named[STORE_HASH_LEN];
	char		*cause = NULL, *name = NULL, *vk;
	long long	 ll;
	int		 r = 1;

	a_epoch = store_args_get(&e->args, "epoch");
	a_key = store_args_get(&e->args, "key");
	a_size = store_args_get(&e->args, "size");
	a_root = store_args_get(&e->args, "root");
	if (a_epoch == NULL || a_key == NULL || a_size == NULL ||
	    a_root == NULL ||
	    number_parse(a_epoch, 0, INT64_MAX, &ll, &errstr) != 0 ||
	    (uint64_t)ll != *epoch + 1)
		return problem(res, (int64_t)index, "entry %llu: rotation does "
		    "not name epoch %llu with its key and tree head",
		    (unsigned long long)index, (unsigned long long)*epoch + 1);
	if (store_note_parse_vkey(a_key, &name, newpk, &cause) != 0 ||
	    strcmp(name, s->origin) != 0) {
		problem(res, (int64_t)index, "entry %llu: rotation names a "
		    "bad key: %s", (unsigned long long)index,
		    cause ? cause : "another ledger's key");
		goto out;
	}
	if (number_parse(a_size, 0, INT64_MAX, &ll, &errstr) != 0 ||
	    (uint64_t)ll != index ||
	    codec_unb64(named, sizeof named, a_root, strlen(a_root)) != 0) {
		problem(res, (int64_t)index, "entry %llu: rotation names "
		    "tree size %s, not %llu", (unsigned long long)index,
		    a_size, (unsigned long long)index);
		goto out;
	}
	store_frontier_root(fr, root);
	if (sodium_memcmp(root, named, sizeof root) != 0) {
		vk = codec_b64(root, sizeof root);
		problem(res, (int64_t)index, "entry %llu: rotation names tree "
		    "head %s, but entries 0..%llu hash to %s",
		    (unsigned long long)index, a_root,
		    (unsigned long long)index - 1, vk);
		free(vk);
		goto out;
	}
	(*epoch)++;
	keys_push(v, *epoch, index + 1, newpk);
	*pk = v->keys[v->nkeys - 1].pk;
	r = 0;
out:
	free(name);
	free(cause);
	return r;
}

/*
 * The signed special entries: ledger.init starts the chain with the root
 * key, ledger.rotate hands over to the next key.  Returns 0, or 1 after
 * recording the problem.
 */
static int
check_special(struct store *s, struct vstate *v, const uint8_t *data,
    size_t len, uint64_t index, const struct store_frontier *fr,
    uint64_t *epoch, const uint8_t **pk)
{
	struct store_verify_result *res = v->res;
	struct store_entry	*e;
	char			*cause = NULL;
	int			 r;

	if ((e = store_entry_parse(data, len, &cause)) == NULL) {
		problem(res, (int64_t)index, "entry %llu: %s",
		    (unsigned long long)index, cause);
		free(cause);
		return 1;
	}
	if (!e->signed_ || crypto_sign_verify_detached(e->sig, e->bytes,
	    e->siglen, *pk) != 0)
		r = problem(res, (int64_t)index, "entry %llu (%s): its "
		    "signature does not verify with the key of epoch %llu",
		    (unsigned long long)index, e->action,
		    (unsigned long long)*epoch);
	else if (index == 0 && strcmp(e->action, "ledger.init") != 0)
		r = problem(res, 0, "entry 0: is %s, not ledger.init",
		    e->action);
	else if (strcmp(e->action, "ledger.init") == 0)
		r = check_init(s, v, e, index);
	else
		r = check_rotate(s, v, e, index, fr, epoch, pk);
	store_entry_free(e);
	return r;
}

/*
 * The fast per-entry checks.  Returns 0, 1 after recording a problem, or
 * 2 when the entry is a signed special one needing check_special().
 */
static int
check_entry(struct store_verify_result *res, const char *data, size_t len,
    uint64_t index, const uint8_t *prevleaf, uint64_t epoch)
{
	const char	*p = data, *end = data + len;
	char		 hex[2 * STORE_HASH_LEN + 1];
	uint64_t	 n;

	if (expect(&p, end, ENTRY_HEAD, sizeof ENTRY_HEAD - 1) != 0 ||
	    scan_u64(&p, end, &n) != 0)
		return problem(res, (int64_t)index, "entry %llu: not a "
		    "daicho-entry v1 (malformed header)",
		    (unsigned long long)index);
	if (n != index)
		return problem(res, (int64_t)index, "entry %llu: holds the "
		    "bytes of entry %llu (entries moved, swapped or inserted)",
		    (unsigned long long)index, (unsigned long long)n);
	if (expect(&p, end, "time ", 5) != 0 ||
	    (p = memchr(p, '\n', (size_t)(end - p))) == NULL)
		return problem(res, (int64_t)index, "entry %llu: malformed "
		    "time line", (unsigned long long)index);
	p++;
	codec_hex(hex, prevleaf, STORE_HASH_LEN);
	if (expect(&p, end, "prev ", 5) != 0 ||
	    (size_t)(end - p) < 2 * STORE_HASH_LEN + 1 ||
	    p[2 * STORE_HASH_LEN] != '\n')
		return problem(res, (int64_t)index, "entry %llu: malformed "
		    "prev line", (unsigned long long)index);
	if (memcmp(p, hex, 2 * STORE_HASH_LEN) != 0) {
		/* Entry 0 names zeros: nothing came before it. */
		if (index == 0)
			return problem(res, 0, "entry 0: prev is not zero");
		return problem(res, (int64_t)index - 1, "entry %llu: its bytes "
		    "are not what entry %llu recorded for it (entry %llu "
		    "altered or replaced)", (unsigned long long)index - 1,
		    (unsigned long long)index, (unsigned long long)index - 1);
	}
	p += 2 * STORE_HASH_LEN + 1;
	if (expect(&p, end, "epoch ", 6) != 0 || scan_u64(&p, end, &n) != 0)
		return problem(res, (int64_t)index, "entry %llu: malformed "
		    "epoch line", (unsigned long long)index);
	if (n != epoch)
		return problem(res, (int64_t)index, "entry %llu: says epoch "
		    "%llu, but the key chain is at epoch %llu",
		    (unsigned long long)index, (unsigned long long)n,
		    (unsigned long long)epoch);
	if (expect(&p, end, "action ", 7) != 0)
		return problem(res, (int64_t)index, "entry %llu: malformed "
		    "action line", (unsigned long long)index);
	if ((size_t)(end - p) >= 12 && memcmp(p, "ledger.init\n", 12) == 0)
		return 2;
	if ((size_t)(end - p) >= 14 && memcmp(p, "ledger.rotate\n", 14) == 0)
		return 2;
	if (index == 0)
		return problem(res, 0, "entry 0: is not ledger.init");
	return 0;
}

/* Parse a note's checkpoint text without checking its signature. */
static int
note_checkpoint(const char *note, size_t len, char **origin, uint64_t *size,
    uint8_t *root, char **cause)
{
	const char	*sep;

	if ((sep = memmem(note, len, "\n\n", 2)) == NULL) {
		xasprintf(cause, "not a signed note (no blank line)");
		return -1;
	}
	return store_checkpoint_parse(note, (size_t)(sep - note) + 1, origin,
	    size, root, cause);
}

/* Check a note's signature by the key of the epoch covering size. */
static int
note_signed(struct store *s, const struct vstate *v, const char *note,
    size_t len, uint64_t size, uint64_t *epoch)
{
	const struct chain_key	*k;
	size_t			 textlen;
	char			*cause = NULL;
	int			 r;

	if ((k = keys_for_size(v, size)) == NULL)
		return -1;
	*epoch = k->epoch;
	r = store_note_verify(note, len, s->origin, k->pk, &textlen, &cause);
	free(cause);
	return r;
}

/*
 * The latest checkpoint disagrees with the entries although every entry
 * passed the fast checks: someone rewrote entries and the prev chain
 * after them.  Find the first stored checkpoint the recomputed tree
 * disagrees with; the change lies after the checkpoint before it.
 */
static void
locate(struct store *s, struct vstate *v, const uint8_t (*leaves)[32],
    uint64_t n)
{
	sqlite3_stmt		*stmt;
	struct store_frontier	 fr;
	uint8_t			 root[STORE_HASH_LEN], croot[STORE_HASH_LEN];
	uint64_t		 size, done = 0, good = 0, epoch;
	char			*origin, *cause = NULL;
	const char		*note;

	if (sqlite3_prepare_v2(s->db, "SELECT size, note FROM checkpoint "
	    "ORDER BY size", -1, &stmt, NULL) != SQLITE_OK)
		return;
	store_frontier_init(&fr);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		size = (uint64_t)sqlite3_column_int64(stmt, 0);
		note = (const char *)sqlite3_column_text(stmt, 1);
		if (size > n || size == 0)
			break;
		while (done < size)
			store_frontier_add(&fr, leaves[done++]);
		origin = NULL;
		if (note_checkpoint(note, strlen(note), &origin, &size, croot,
		    &cause) != 0 || size != done) {
			free(cause);
			cause = NULL;
			free(origin);
			continue;
		}
		free(origin);
		store_frontier_root(&fr, root);
		if (sodium_memcmp(root, croot, sizeof root) == 0) {
			good = size;
			continue;
		}
		if (note_signed(s, v, note, strlen(note), size, &epoch) != 0)
			continue;	/* a forged row proves nothing */
		if (good == size - 1)
			problem(v->res, (int64_t)good, "entry %llu: does not "
			    "match the checkpoint at size %llu signed by epoch "
			    "%llu (altered)", (unsigned long long)good,
			    (unsigned long long)size, (unsigned long long)epoch);
		else
			problem(v->res, (int64_t)good, "entries %llu..%llu: "
			    "do not match the checkpoint at size %llu signed by "
			    "epoch %llu (entry %llu or one after it was "
			    "altered)", (unsigned long long)good,
			    (unsigned long long)size - 1,
			    (unsigned long long)size, (unsigned long long)epoch,
			    (unsigned long long)good);
		break;
	}
	sqlite3_finalize(stmt);
}

/*
 * The key file is the evidence against truncation: it must be at the
 * ledger's last epoch and hold that epoch's key.  In a live directory the
 * key file must carry the secret matching its public key, or anyone could
 * write a "key file" from the public keys in the ledger; a backup has only
 * key.pub, which says so in the result.  Returns 0, 1 after recording a
 * problem, or 2 when the key file is ahead of the entries read and final
 * is not set: a rotation may have committed after the snapshot, and the
 * caller looks again.  Called with the directory's lock held (shared), so
 * another process's rotation is never seen half done.
 */
static int
check_keyfile_locked(struct store *s, struct vstate *v, uint64_t epoch,
    int final)
{
	struct store_key	 k, n;
	char			*path, *cause = NULL;
	const char		*which = STORE_KEY_NAME;
	const struct chain_key	*last = &v->keys[v->nkeys - 1];
	int			 r, live = 1;

	path = store_path(s, STORE_KEY_NAME);
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		free(path);
		which = STORE_KEY_PUB_NAME;
		live = 0;
		path = store_path(s, STORE_KEY_PUB_NAME);
		if (access(path, F_OK) != 0 && errno == ENOENT) {
			free(path);
			return problem(v->res, -1, "the key file is missing "
			    "(%s/%s)", s->dir, STORE_KEY_NAME);
		}
	}
	r = store_key_read(path, s->origin, &k, live, &cause);
	free(path);
	if (r != 0) {
		problem(v->res, -1, "%s", cause);
		free(cause);
		return 1;
	}
	/* English here, translated where shown (N_: for the catalogue). */
	v->res->key_evidence = live ? N_("the key file (secret key present)") :
	    N_("key.pub (public key only, as in a backup)");
	/* A rotation committed but not yet switched over: key.new is it. */
	if (live && k.epoch + 1 == epoch) {
		path = store_path(s, STORE_KEY_NEW_NAME);
		if (store_key_read(path, s->origin, &n, 1, &cause) == 0) {
			if (n.epoch == epoch && sodium_memcmp(n.pk, last->pk,
			    STORE_PK_LEN) == 0) {
				store_key_clear(&k);
				k = n;
				v->res->key_evidence = "key.new (a rotation "
				    "being completed)";
			} else
				store_key_clear(&n);
		}
		free(cause);
		cause = NULL;
		free(path);
	}
	r = 0;
	if (k.epoch > epoch && !final)
		r = 2;
	else if (k.epoch > epoch)
		r = problem(v->res, (int64_t)v->res->entries, "the ledger was "
		    "truncated: the %s file is at epoch %llu, but the ledger "
		    "ends in epoch %llu", which, (unsigned long long)k.epoch,
		    (unsigned long long)epoch);
	else if (k.epoch < epoch)
		r = problem(v->res, -1, "the %s file is at epoch %llu, behind "
		    "the ledger's epoch %llu (an old key file put back?)",
		    which, (unsigned long long)k.epoch,
		    (unsigned long long)epoch);
	else if (sodium_memcmp(k.pk, last->pk, STORE_PK_LEN) != 0)
		r = problem(v->res, -1, "the %s file does not hold epoch "
		    "%llu's key (the key file was replaced)", which,
		    (unsigned long long)epoch);
	store_key_clear(&k);
	return r;
}

static int
check_keyfile(struct store *s, struct vstate *v, uint64_t epoch, int final)
{
	char	*cause = NULL;
	int	 r;

	if (store_lock(s, LOCK_SH, &cause) != 0) {
		r = problem(v->res, -1, "cannot read the key file: %s", cause);
		free(cause);
		return r;
	}
	r = check_keyfile_locked(s, v, epoch, final);
	store_unlock(s);
	return r;
}

static int
check_outside(struct store *s, struct vstate *v, const char *note,
    size_t len, const struct store_frontier *at, uint64_t n, char **cause)
{
	char		*origin = NULL;
	uint64_t	 size, epoch;
	uint8_t		 root[STORE_HASH_LEN], croot[STORE_HASH_LEN];

	if (note_checkpoint(note, len, &origin, &size, croot, cause) != 0)
		return -1;
	if (strcmp(origin, s->origin) != 0) {
		xasprintf(cause, "the checkpoint is from another ledger "
		    "(origin %s; this ledger is %s)", origin, s->origin);
		free(origin);
		return -1;
	}
	free(origin);
	if (size > n)
		return problem(v->res, (int64_t)n, "the ledger was truncated: "
		    "the checkpoint held outside covers %llu entries, the "
		    "ledger has %llu", (unsigned long long)size,
		    (unsigned long long)n);
	if (size == 0) {
		xasprintf(cause, "the checkpoint covers no entries and so "
		    "proves nothing");
		return -1;
	}
	if (note_signed(s, v, note, len, size, &epoch) != 0)
		return problem(v->res, -1, "the checkpoint held outside "
		    "(size %llu) is not signed by this ledger's key for that "
		    "size", (unsigned long long)size);
	store_frontier_root(at, root);
	if (sodium_memcmp(root, croot, sizeof root) != 0)
		return problem(v->res, -1, "the ledger does not extend the "
		    "checkpoint held outside: entries 0..%llu differ from what "
		    "it signed", (unsigned long long)size - 1);
	return 0;
}

/* The pass over the entries: what it has built so far. */
struct vpass {
	uint8_t		(*leaves)[STORE_HASH_LEN]; /* every entry's leaf */
	struct store_frontier fr;		/* the tree of the entries
						   checked so far */
	struct store_frontier at;		/* the tree of the first
						   outside_size entries */
	uint8_t		 prev[STORE_HASH_LEN];	/* the last entry's leaf */
	const uint8_t	*pk;			/* the key of epoch */
	uint64_t	 index;			/* entries checked */
	uint64_t	 epoch;
	uint64_t	 total;			/* rows in the snapshot */
	uint64_t	 outside_size;		/* of opts->checkpoint; 0 */
};

static void
hasher_start(struct hasher *h)
{
	memset(h, 0, sizeof *h);
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
	if (pthread_create(&h->thread, NULL, hasher_main, h) != 0)
		fatalx("pthread_create failed");
}

static void
hasher_stop(struct hasher *h)
{
	pthread_mutex_lock(&h->lock);
	h->quit = 1;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
}

/*
 * Check the rows of a hashed batch in order, adding each to the tree,
 * until the batch ends or a problem is recorded.
 */
static void
pass_batch(struct store *s, struct vstate *v, struct vpass *p,
    const struct batch *b, const struct store_verify_opts *opts)
{
	struct store_verify_result *res = v->res;
	size_t		 i, j, start;

	for (i = 0; i < b->n && res->problem == NULL; i++) {
		const uint8_t *data = b->arena + b->off[i];
		size_t len = b->off[i + 1] - b->off[i];

		start = i / CHUNK * CHUNK;
		if (b->idx[i] != (int64_t)p->index) {
			problem(res, (int64_t)p->index, "entry %llu is missing "
			    "(the ledger goes from entry %lld to %lld)",
			    (unsigned long long)p->index,
			    (long long)p->index - 1, (long long)b->idx[i]);
			return;
		}
		/*
		 * fr holds the tree up to this entry's chunk; a rotation
		 * needs the tree right up to the entry.
		 */
		if (check_entry(res, (const char *)data, len, p->index,
		    p->prev, p->epoch) == 2) {
			struct store_frontier tmp = p->fr;

			for (j = start; j < i; j++)
				store_frontier_add(&tmp, p->leaves[b->base + j]);
			check_special(s, v, data, len, p->index, &tmp,
			    &p->epoch, &p->pk);
		}
		if (res->problem != NULL)
			return;
		memcpy(p->prev, p->leaves[p->index], sizeof p->prev);
		p->index++;
		if (p->index == p->outside_size) {
			p->at = p->fr;
			for (j = start; j <= i; j++)
				store_frontier_add(&p->at, p->leaves[b->base + j]);
		}
		/* At the end of a chunk, the chunk joins the tree. */
		if (i + 1 == start + CHUNK)
			store_frontier_add_subtree(&p->fr,
			    b->chunkroot[start / CHUNK], CHUNK_LEVEL);
		else if (i + 1 == b->n)
			for (j = start; j <= i; j++)
				store_frontier_add(&p->fr, p->leaves[b->base + j]);
		if (opts->progress != NULL && p->index % PROGRESS_EVERY == 0)
			opts->progress(opts->arg, p->index, p->total);
	}
}

/*
 * The hashing pipeline: read the rows in batches, hash them on two
 * threads, and check each batch in order (pass_batch).  Three batches are
 * in flight: the main thread checks batch k and reads batch k + 2 while
 * the hasher hashes batch k + 1.  0, or -1 with *cause when the rows
 * cannot be read; a problem with the entries is in v->res.
 */
static int
verify_pass(struct store *s, const struct store_verify_opts *opts,
    struct vstate *v, struct vpass *p, char **cause)
{
	sqlite3_stmt	*stmt = NULL;
	struct batch	*bt;
	struct hasher	 hs;
	int		 r, cur, ret = 0;
	size_t		 i;

	if (sqlite3_prepare_v2(s->db, "SELECT idx, data FROM ledger_entry "
	    "ORDER BY idx", -1, &stmt, NULL) != SQLITE_OK) {
		store_db_error(s, "reading the ledger", cause);
		return -1;
	}
	bt = xcalloc(3, sizeof *bt);
	bt[0].leaves = bt[1].leaves = bt[2].leaves = p->leaves;
	hasher_start(&hs);
	r = batch_read(stmt, &bt[0], 0, p->total);
	hasher_post(&hs, &bt[0]);
	if (r == SQLITE_ROW)
		r = batch_read(stmt, &bt[1], bt[0].n, p->total);
	hasher_finish(&hs, &bt[0]);
	for (cur = 0; bt[cur].n > 0; cur = (cur + 1) % 3) {
		struct batch *next = &bt[(cur + 1) % 3];
		struct batch *later = &bt[(cur + 2) % 3];

		if (next->n > 0)
			hasher_post(&hs, next);
		pass_batch(s, v, p, &bt[cur], opts);
		later->n = 0;
		if (r == SQLITE_ROW && v->res->problem == NULL)
			r = batch_read(stmt, later, next->base + next->n,
			    p->total);
		if (next->n > 0)
			hasher_finish(&hs, next);
		if (v->res->problem != NULL)
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		store_db_error(s, "reading the ledger", cause);
		ret = -1;
	}
	hasher_stop(&hs);
	for (i = 0; i < 3; i++)
		free(bt[i].arena);
	free(bt);
	sqlite3_finalize(stmt);
	return ret;
}

/*
 * The trust anchor: root.pub, or the key the auditor brought, which must
 * be this ledger's.  Sets v->rootvkey, v->rootpk and the chain's first
 * key.  0; 1 after recording a problem that ends the check; -1 *cause.
 */
static int
verify_anchor(struct store *s, const struct store_verify_opts *opts,
    struct vstate *v, char **cause)
{
	char	*path, *name = NULL;
	int	 r = -1;

	path = store_path(s, STORE_ROOT_NAME);
	v->rootvkey = store_root_read(path, cause);
	free(path);
	if (v->rootvkey == NULL)
		return -1;
	if (opts->root_vkey != NULL && strcmp(opts->root_vkey,
	    v->rootvkey) != 0) {
		problem(v->res, -1, "root.pub names root key %s, not the "
		    "trusted root key %s", v->rootvkey, opts->root_vkey);
		free(v->rootvkey);
		v->rootvkey = xstrdup(opts->root_vkey);
	}
	if (store_note_parse_vkey(v->rootvkey, &name, v->rootpk, cause) != 0)
		goto out;
	if (strcmp(name, s->origin) != 0) {
		problem(v->res, -1, "the root key %s is for another ledger, "
		    "not %s", v->rootvkey, s->origin);
		r = 1;
		goto out;
	}
	v->res->root_vkey = xstrdup(v->rootvkey);
	keys_push(v, 0, 0, v->rootpk);
	r = 0;
out:
	free(name);
	return r;
}

/*
 * The latest checkpoint must cover exactly the entries there are, with
 * their root, signed by the key of its epoch.  Records a problem if not.
 */
static void
verify_latest(struct store *s, struct vstate *v, const struct vpass *p)
{
	struct store_verify_result *res = v->res;
	uint8_t		 root[STORE_HASH_LEN], croot[STORE_HASH_LEN];
	uint64_t	 csize = 0, cepoch, n = p->index;
	char		*note, *origin = NULL, *cause = NULL;

	if ((note = store_checkpoint_get(s, 0, &cause)) == NULL) {
		free(cause);
		problem(res, 0, "no signed checkpoint: entries 0..%llu are "
		    "covered by no signature", (unsigned long long)n - 1);
		return;
	}
	if (note_checkpoint(note, strlen(note), &origin, &csize, croot,
	    &cause) != 0) {
		problem(res, -1, "the latest checkpoint is malformed: %s",
		    cause);
		goto out;
	}
	res->checkpoint_size = csize;
	if (strcmp(origin, s->origin) != 0)
		problem(res, -1, "the latest checkpoint is for another ledger "
		    "(origin %s)", origin);
	else if (csize > n)
		problem(res, (int64_t)n, "the ledger was truncated: the "
		    "latest checkpoint covers %llu entries, the ledger has "
		    "%llu", (unsigned long long)csize, (unsigned long long)n);
	else if (csize < n)
		problem(res, (int64_t)csize, "entries %llu..%llu are covered "
		    "by no signed checkpoint (appended behind daicho's back, "
		    "or the newest checkpoints were deleted)",
		    (unsigned long long)csize, (unsigned long long)n - 1);
	else if (note_signed(s, v, note, strlen(note), csize, &cepoch) != 0)
		problem(res, -1, "the latest checkpoint (size %llu) is not "
		    "signed by the key of epoch %llu",
		    (unsigned long long)csize, (unsigned long long)cepoch);
	else {
		store_frontier_root(&p->fr, root);
		if (sodium_memcmp(root, croot, sizeof root) != 0) {
			locate(s, v, (const uint8_t (*)[32])p->leaves, n);
			problem(res, -1, "the entries do not match the latest "
			    "signed checkpoint (size %llu)",
			    (unsigned long long)csize);
		}
	}
out:
	free(cause);
	free(origin);
	free(note);
}

/* The checkpoint the auditor brought: its size and root, parsed. */
static int
verify_outside_parse(const struct store_verify_opts *opts, uint64_t *size,
    uint8_t *root, char **cause)
{
	char	*origin = NULL, *c;

	if (note_checkpoint(opts->checkpoint, opts->checkpointlen, &origin,
	    size, root, cause) != 0) {
		c = *cause;
		xasprintf(cause, "the checkpoint file: %s", c);
		free(c);
		return -1;
	}
	free(origin);
	return 0;
}

/*
 * One verification over one snapshot: the anchor, the pass over the
 * entries, then the checks of what they add up to.  Returns as
 * store_verify, or 2 when the key file ran ahead of the snapshot and
 * final is not set.
 */
static int
verify_once(struct store *s, const struct store_verify_opts *opts,
    struct store_verify_result *res, int final, char **cause)
{
	struct vstate	 v;
	struct vpass	 p;
	uint8_t		 croot[STORE_HASH_LEN];
	int64_t		 count;
	char		*c = NULL;
	int		 r, ret = -1, intxn = 0;

	memset(res, 0, sizeof *res);
	memset(&v, 0, sizeof v);
	memset(&p, 0, sizeof p);
	res->bad_index = -1;
	v.res = res;

	if ((r = verify_anchor(s, opts, &v, cause)) != 0) {
		ret = r;
		goto out;
	}
	p.pk = v.keys[0].pk;
	if (opts->checkpoint != NULL && verify_outside_parse(opts,
	    &p.outside_size, croot, cause) != 0)
		goto out;

	/* One snapshot for the count and the rows. */
	if (store_exec(s, "BEGIN", cause) != 0)
		goto out;
	intxn = 1;
	if (store_query_int(s, "SELECT count(*) FROM ledger_entry", &count,
	    cause) != 0)
		goto out;
	p.total = (uint64_t)count;
	p.leaves = xcalloc(p.total > 0 ? p.total : 1, STORE_HASH_LEN);
	store_frontier_init(&p.fr);
	store_frontier_init(&p.at);
	if (verify_pass(s, opts, &v, &p, cause) != 0)
		goto out;
	if (opts->progress != NULL)
		opts->progress(opts->arg, p.index, p.total);
	res->entries = p.index;
	res->epochs = p.epoch + 1;
	if (res->problem == NULL && p.index == 0)
		problem(res, 0, "the ledger has no entries (not even "
		    "ledger.init)");
	if (res->problem == NULL)
		verify_latest(s, &v, &p);
	if (res->problem == NULL && check_keyfile(s, &v, p.epoch,
	    final) == 2) {
		ret = 2;
		goto out;
	}
	if (res->problem == NULL && opts->checkpoint != NULL) {
		if (p.outside_size > p.index)
			p.at = p.fr;
		if (check_outside(s, &v, opts->checkpoint,
		    opts->checkpointlen, &p.at, p.index, cause) == -1)
			goto out;
	}
	ret = res->problem != NULL ? 1 : 0;
out:
	if (intxn && store_exec(s, "COMMIT", &c) != 0)
		free(c);
	free(p.leaves);
	free(v.keys);
	free(v.rootvkey);
	return ret;
}

int
store_verify(struct store *s, const struct store_verify_opts *opts,
    struct store_verify_result *res, char **cause)
{
	int	 r;

	/*
	 * Rotation commits the entry first and moves the key file after, so
	 * a rotation between our snapshot and our look at the key file makes
	 * the key file look ahead.  Look once more on a fresh snapshot.
	 */
	if ((r = verify_once(s, opts, res, 0, cause)) == 2) {
		store_verify_result_free(res);
		r = verify_once(s, opts, res, 1, cause);
	}
	/* When the check could not run there is no result to hand back. */
	if (r == -1)
		store_verify_result_free(res);
	return r;
}

void
store_verify_result_free(struct store_verify_result *res)
{
	free(res->root_vkey);
	free(res->problem);
	res->root_vkey = NULL;
	res->problem = NULL;
}
