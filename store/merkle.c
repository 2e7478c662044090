/*
 * merkle.c -- the RFC 6962 Merkle tree: leaf and node hashes, the
 * frontier that grows a root leaf by leaf, inclusion and consistency
 * proofs over an array of leaf hashes, and their verification as RFC 9162
 * sections 2.1.3.2 and 2.1.4.2 spell it out.
 *
 * Proofs are built from the leaf hashes alone, with no stored interior
 * nodes: every subtree a proof needs is hashed afresh through a frontier.
 * Those subtrees are disjoint, so a proof costs fewer than n node hashes,
 * which is also the least it can cost from bare leaves: its hashes cover
 * every leaf but the proven ones.
 */

#include "config.h"

#include <assert.h>
#include <string.h>

#include <sodium.h>

#include "store.h"

static const uint8_t	merkle_leaf_prefix = 0x00;
static const uint8_t	merkle_node_prefix = 0x01;

/*
 * Leaf hash SHA-256(0x00 || data).  The prefix is fed to the hash state
 * rather than copied in front of the data, which may be large.
 */
void
store_merkle_leaf(uint8_t *out, const void *data, size_t len)
{
	crypto_hash_sha256_state	st;

	assert(out != NULL);
	assert(data != NULL || len == 0);

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &merkle_leaf_prefix, 1);
	if (len != 0)
		crypto_hash_sha256_update(&st, data, len);
	crypto_hash_sha256_final(&st, out);
}

/*
 * Interior node hash SHA-256(0x01 || left || right).  Both inputs are read
 * before out is written, so out may be the same buffer as either one: the
 * verifiers below fold a running hash in place.
 */
void
store_merkle_node(uint8_t *out, const uint8_t *left, const uint8_t *right)
{
	crypto_hash_sha256_state	st;

	assert(out != NULL && left != NULL && right != NULL);

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &merkle_node_prefix, 1);
	crypto_hash_sha256_update(&st, left, STORE_HASH_LEN);
	crypto_hash_sha256_update(&st, right, STORE_HASH_LEN);
	crypto_hash_sha256_final(&st, out);
}

/* The root of the empty tree, SHA-256 of nothing (RFC 6962 2.1). */
static void
merkle_empty(uint8_t *out)
{
	crypto_hash_sha256_state	st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_final(&st, out);
}

void
store_frontier_init(struct store_frontier *f)
{
	assert(f != NULL);

	memset(f, 0, sizeof *f);
}

/*
 * Adding a leaf is binary addition of one to size: each set low bit is a
 * complete subtree of the same size as the one being carried, so the two
 * merge into one of twice the size, until a clear bit takes the carry.
 */
void
store_frontier_add(struct store_frontier *f, const uint8_t *leaf)
{
	uint8_t		carry[STORE_HASH_LEN];
	unsigned int	i;

	assert(f != NULL && leaf != NULL);
	assert(f->size != UINT64_MAX);

	memcpy(carry, leaf, sizeof carry);
	for (i = 0; f->size & ((uint64_t)1 << i); i++)
		store_merkle_node(carry, f->hash[i], carry);
	memcpy(f->hash[i], carry, sizeof carry);
	f->size++;
}

/*
 * Add a complete subtree of 2^level leaves whose root is sub.  The tree
 * must hold a multiple of 2^level leaves, so the subtree is aligned: the
 * same carry as adding its leaves one by one, starting at its level.
 */
void
store_frontier_add_subtree(struct store_frontier *f, const uint8_t *sub,
    unsigned int level)
{
	uint8_t		carry[STORE_HASH_LEN];
	unsigned int	i;

	assert(f != NULL && sub != NULL && level < 64);
	assert((f->size & (((uint64_t)1 << level) - 1)) == 0);

	memcpy(carry, sub, sizeof carry);
	for (i = level; f->size & ((uint64_t)1 << i); i++)
		store_merkle_node(carry, f->hash[i], carry);
	memcpy(f->hash[i], carry, sizeof carry);
	f->size += (uint64_t)1 << level;
}

/*
 * The RFC 6962 split puts the largest power of two on the left, so the
 * root is the right-leaning fold of the frontier's subtrees: start from
 * the smallest (rightmost) and hang each larger one to its left.
 */
void
store_frontier_root(const struct store_frontier *f, uint8_t *out)
{
	uint8_t		acc[STORE_HASH_LEN];
	unsigned int	i;

	assert(f != NULL && out != NULL);

	if (f->size == 0) {
		merkle_empty(out);
		return;
	}
	for (i = 0; (f->size & ((uint64_t)1 << i)) == 0; i++)
		continue;
	memcpy(acc, f->hash[i], sizeof acc);
	for (i++; i < 64; i++) {
		if (f->size & ((uint64_t)1 << i))
			store_merkle_node(acc, f->hash[i], acc);
	}
	memcpy(out, acc, sizeof acc);
}

/* MTH(D[n]) in n - 1 node hashes. */
void
store_merkle_root(uint8_t *out, const uint8_t (*leaves)[STORE_HASH_LEN],
    uint64_t n)
{
	struct store_frontier	f;
	uint64_t		i;

	assert(out != NULL);
	assert(leaves != NULL || n == 0);

	store_frontier_init(&f);
	for (i = 0; i < n; i++)
		store_frontier_add(&f, leaves[i]);
	store_frontier_root(&f, out);
}

/* The RFC 6962 split point: the largest power of two smaller than n. */
static uint64_t
merkle_split(uint64_t n)
{
	uint64_t	k = 1;

	assert(n > 1);

	while (k < n - k)
		k <<= 1;
	return k;
}

/*
 * The RFC's recursions emit the deepest hash first but decide their
 * direction at the top, so the proofs below are walked from the root down
 * into a scratch array and handed out reversed.  STORE_MAX_PROOF allows
 * for a consistency proof one hash longer than its tree is high (65 for
 * m = 3, n = 2^63 + 1); an array of leaf hashes that fits in memory never
 * comes close.
 */
static int
merkle_reverse(uint8_t (*out)[STORE_HASH_LEN],
    uint8_t (*stack)[STORE_HASH_LEN], int count)
{
	int	i;

	assert(count <= STORE_MAX_PROOF);

	for (i = 0; i < count; i++)
		memcpy(out[i], stack[count - 1 - i], STORE_HASH_LEN);
	return count;
}

/* PATH(index, D[n]) of RFC 6962 2.1.1. */
int
store_merkle_inclusion(const uint8_t (*leaves)[STORE_HASH_LEN],
    uint64_t index, uint64_t n, uint8_t (*path)[STORE_HASH_LEN])
{
	uint8_t		stack[STORE_MAX_PROOF][STORE_HASH_LEN];
	uint64_t	k;
	int		count = 0;

	assert(leaves != NULL && path != NULL);

	if (index >= n)
		return -1;
	/* leaves and n narrow to the subtree that still holds index. */
	while (n > 1) {
		k = merkle_split(n);
		if (index < k) {
			store_merkle_root(stack[count++], leaves + k, n - k);
			n = k;
		} else {
			store_merkle_root(stack[count++], leaves, k);
			leaves += k;
			index -= k;
			n -= k;
		}
	}
	return merkle_reverse(path, stack, count);
}

/* PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 6962 2.1.2. */
int
store_merkle_consistency(const uint8_t (*leaves)[STORE_HASH_LEN],
    uint64_t m, uint64_t n, uint8_t (*proof)[STORE_HASH_LEN])
{
	uint8_t		stack[STORE_MAX_PROOF][STORE_HASH_LEN];
	uint64_t	k;
	int		count = 0, whole = 1;

	assert(leaves != NULL && proof != NULL);

	if (m == 0 || m > n)
		return -1;
	/*
	 * whole is SUBPROOF's b: true while the old tree is still a left
	 * part of the current subtree, whose root the verifier already has.
	 */
	while (m != n) {
		k = merkle_split(n);
		if (m <= k) {
			store_merkle_root(stack[count++], leaves + k, n - k);
			n = k;
		} else {
			store_merkle_root(stack[count++], leaves, k);
			leaves += k;
			m -= k;
			n -= k;
			whole = 0;
		}
	}
	if (!whole)
		store_merkle_root(stack[count++], leaves, n);
	return merkle_reverse(proof, stack, count);
}

/*
 * RFC 9162 2.1.3.2.  fn and sn are the positions of the running hash and
 * of the tree's last node at the current level; a right edge (fn == sn)
 * with no sibling is skipped by shifting until fn is a right child again.
 */
int
store_merkle_check_inclusion(const uint8_t *leaf, uint64_t index,
    uint64_t size, const uint8_t (*path)[STORE_HASH_LEN], size_t pathlen,
    const uint8_t *root)
{
	uint8_t		r[STORE_HASH_LEN];
	uint64_t	fn, sn;
	size_t		i;

	assert(leaf != NULL && root != NULL);
	assert(path != NULL || pathlen == 0);

	if (index >= size)
		return -1;
	fn = index;
	sn = size - 1;
	memcpy(r, leaf, sizeof r);
	for (i = 0; i < pathlen; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			store_merkle_node(r, path[i], r);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			store_merkle_node(r, r, path[i]);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || memcmp(r, root, sizeof r) != 0)
		return -1;
	return 0;
}

/*
 * RFC 9162 2.1.4.2, rebuilding both roots at once: fr from the hashes
 * left of the old tree's edge, sr from all of them.  The RFC fails an
 * empty proof, which would make a tree inconsistent with itself; m == n
 * is therefore taken first, as the empty PROOF(n, D[n]) of RFC 6962.
 */
int
store_merkle_check_consistency(uint64_t m, uint64_t n, const uint8_t *oldroot,
    const uint8_t *newroot, const uint8_t (*proof)[STORE_HASH_LEN],
    size_t prooflen)
{
	uint8_t		 fr[STORE_HASH_LEN], sr[STORE_HASH_LEN];
	const uint8_t	*seed;
	uint64_t	 fn, sn;
	size_t		 i;

	assert(oldroot != NULL && newroot != NULL);
	assert(proof != NULL || prooflen == 0);

	if (m == 0 || m > n)
		return -1;
	if (m == n) {
		if (prooflen != 0 ||
		    memcmp(oldroot, newroot, STORE_HASH_LEN) != 0)
			return -1;
		return 0;
	}
	if (prooflen == 0)
		return -1;

	/*
	 * When m is a power of two the old root is itself a node of the new
	 * tree and the RFC prepends it to the path; start from it instead of
	 * copying the proof.
	 */
	if ((m & (m - 1)) == 0) {
		seed = oldroot;
		i = 0;
	} else {
		seed = proof[0];
		i = 1;
	}
	fn = m - 1;
	sn = n - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	memcpy(fr, seed, sizeof fr);
	memcpy(sr, seed, sizeof sr);
	for (; i < prooflen; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			store_merkle_node(fr, proof[i], fr);
			store_merkle_node(sr, proof[i], sr);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			store_merkle_node(sr, sr, proof[i]);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || memcmp(fr, oldroot, sizeof fr) != 0 ||
	    memcmp(sr, newroot, sizeof sr) != 0)
		return -1;
	return 0;
}
