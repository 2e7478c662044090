/*
 * test-merkle.c -- store/merkle.c against the RFC 6962 / Certificate
 * Transparency known answers and against a naive implementation written
 * here straight from the RFC's recursive definitions (MTH, PATH, SUBPROOF),
 * with its own hashing, so that the two share no code.
 */

#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "store.h"

#define NLEAVES		2100	/* synthetic leaves: 2n + 2, n = 1025 */
#define MAXSMALL	64	/* exhaustive sizes 1..MAXSMALL */
#define MAXOTHER	(2 * MAXSMALL + 2)
#define SHAPE_LEN	(STORE_MAX_PROOF + 2)

/* ISO C before C23 will not add const to an array's elements silently. */
#define HASHES(p)	((const uint8_t (*)[STORE_HASH_LEN])(p))

/* Sizes around powers of two, tried for a sample of indices. */
static const uint64_t	big[] = { 127, 128, 129, 1000, 1024, 1025 };

static uint8_t	leaves[NLEAVES][STORE_HASH_LEN];

/* The eight leaves of the CT reference tests, and their prefix roots. */
static const char *rfc_leaves[] = {
	"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};
static const char *rfc_roots[] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

/* Known proofs over those leaves (CT merkle_tree_test). */
static const struct {
	uint64_t	 a;		/* leaf index, or old size */
	uint64_t	 n;
	const char	*hash[3];
} rfc_paths[] = {
	{ 0, 1, { NULL } },
	{ 0, 8, {
	    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
	} },
	{ 5, 8, {
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	} },
	{ 2, 3, {
	    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	} },
	{ 1, 5, {
	    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	} },
}, rfc_proofs[] = {
	{ 1, 1, { NULL } },
	{ 1, 8, {
	    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
	} },
	{ 6, 8, {
	    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	} },
	{ 2, 5, {
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	} },
};

static int
nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	fail_msg("bad hex digit %c", c);
	return -1;
}

static size_t
unhex(uint8_t *out, size_t size, const char *hex)
{
	size_t	len = strlen(hex) / 2, i;

	assert_true(len <= size);
	for (i = 0; i < len; i++)
		out[i] = nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]);
	return len;
}

/*
 * The naive implementation: hashes of whole concatenated buffers, and the
 * RFC 6962 2.1 recursions as written.
 */
static void
naive_leaf(uint8_t *out, const uint8_t *data, size_t len)
{
	uint8_t	buf[1 + 64];

	assert_true(len <= 64);
	buf[0] = 0x00;
	memcpy(buf + 1, data, len);
	crypto_hash_sha256(out, buf, 1 + len);
}

static void
naive_node(uint8_t *out, const uint8_t *left, const uint8_t *right)
{
	uint8_t	buf[1 + 2 * STORE_HASH_LEN];

	buf[0] = 0x01;
	memcpy(buf + 1, left, STORE_HASH_LEN);
	memcpy(buf + 1 + STORE_HASH_LEN, right, STORE_HASH_LEN);
	crypto_hash_sha256(out, buf, sizeof buf);
}

/* The largest power of two smaller than n. */
static uint64_t
naive_split(uint64_t n)
{
	uint64_t	k = 1;

	while (2 * k < n)
		k *= 2;
	return k;
}

/* MTH(D[n]) over leaf hashes d. */
static void
naive_mth(uint8_t *out, const uint8_t (*d)[STORE_HASH_LEN], uint64_t n)
{
	uint8_t		l[STORE_HASH_LEN], r[STORE_HASH_LEN];
	uint64_t	k;

	if (n == 0) {
		crypto_hash_sha256(out, (const uint8_t *)"", 0);
		return;
	}
	if (n == 1) {
		memcpy(out, d[0], STORE_HASH_LEN);
		return;
	}
	k = naive_split(n);
	naive_mth(l, d, k);
	naive_mth(r, d + k, n - k);
	naive_node(out, l, r);
}

/*
 * PATH(m, D[n]), appended to out at *count.  shape records, bottom up,
 * where each hash sits: 'L' left of the running hash, 'R' right of it.
 * out may be NULL when only the shape is wanted.
 */
static void
naive_path(uint64_t m, const uint8_t (*d)[STORE_HASH_LEN], uint64_t n,
    uint8_t (*out)[STORE_HASH_LEN], int *count, char *shape)
{
	uint64_t	k;

	if (n == 1)
		return;
	k = naive_split(n);
	if (m < k) {
		naive_path(m, d, k, out, count, shape);
		if (out != NULL)
			naive_mth(out[*count], d + k, n - k);
		shape[*count] = 'R';
	} else {
		naive_path(m - k, d + k, n - k, out, count, shape);
		if (out != NULL)
			naive_mth(out[*count], d, k);
		shape[*count] = 'L';
	}
	(*count)++;
	shape[*count] = '\0';
}

/*
 * SUBPROOF(m, D[n], b), appended to out at *count; shape as for
 * naive_path, with 'S' for a subtree root the verifier starts from.
 */
static void
naive_subproof(uint64_t m, const uint8_t (*d)[STORE_HASH_LEN], uint64_t n,
    int b, uint8_t (*out)[STORE_HASH_LEN], int *count, char *shape)
{
	uint64_t	k;

	if (m == n) {
		if (!b) {
			if (out != NULL)
				naive_mth(out[*count], d, n);
			shape[(*count)++] = 'S';
			shape[*count] = '\0';
		}
		return;
	}
	k = naive_split(n);
	if (m <= k) {
		naive_subproof(m, d, k, b, out, count, shape);
		if (out != NULL)
			naive_mth(out[*count], d + k, n - k);
		shape[*count] = 'R';
	} else {
		naive_subproof(m - k, d + k, n - k, 0, out, count, shape);
		if (out != NULL)
			naive_mth(out[*count], d, k);
		shape[*count] = 'L';
	}
	(*count)++;
	shape[*count] = '\0';
}

static void
path_shape(uint64_t index, uint64_t n, char *shape)
{
	int	count = 0;

	shape[0] = '\0';
	naive_path(index, HASHES(leaves), n, NULL, &count, shape);
}

static void
proof_shape(uint64_t m, uint64_t n, char *shape)
{
	int	count = 0;

	shape[0] = '\0';
	naive_subproof(m, HASHES(leaves), n, 1, NULL, &count, shape);
}

static void
flip(uint8_t *hash, unsigned int bit)
{
	hash[(bit / 8) % STORE_HASH_LEN] ^= 1 << (bit % 8);
}

/*
 * The wrong indices and sizes to try against a proof about a and n: all
 * of 0..2n+1 when exhaustive (a proof never passes for a size of 2n or
 * more, the tree being a level higher), else those next to a and n.
 */
static size_t
other_sizes(uint64_t *out, uint64_t a, uint64_t n, int exhaustive)
{
	size_t	count = 0;

	if (exhaustive) {
		assert_true(2 * n + 2 <= MAXOTHER);
		for (count = 0; count < 2 * n + 2; count++)
			out[count] = count;
		return count;
	}
	out[count++] = 0;
	out[count++] = 1;
	out[count++] = a - 1;
	out[count++] = a + 1;
	out[count++] = n - 1;
	out[count++] = n + 1;
	out[count++] = 2 * n - 1;
	out[count++] = 2 * n;
	out[count++] = 2 * n + 1;
	out[count++] = UINT64_MAX;
	return count;
}

/*
 * A heap copy of exactly count hashes, so that a verifier handed a huge
 * length and reading past what the size allows trips ASan.
 */
static void *
exact_copy(uint8_t (*proof)[STORE_HASH_LEN], int count)
{
	void	*copy;

	copy = malloc(count == 0 ? 1 : count * STORE_HASH_LEN);
	assert_non_null(copy);
	memcpy(copy, proof, count * STORE_HASH_LEN);
	return copy;
}

static int
setup_leaves(void **state)
{
	uint8_t		data[8];
	unsigned int	i, j;

	(void)state;
	for (i = 0; i < NLEAVES; i++) {
		for (j = 0; j < sizeof data; j++)
			data[j] = (uint8_t)((i >> (8 * (j % 4))) + 31 * j);
		naive_leaf(leaves[i], data, sizeof data);
	}
	return 0;
}

static void
test_rfc_vectors(void **state)
{
	uint8_t		hashes[8][STORE_HASH_LEN], data[16];
	uint8_t		want[STORE_HASH_LEN], got[STORE_HASH_LEN];
	uint8_t		proof[STORE_MAX_PROOF][STORE_HASH_LEN];
	uint8_t		vec[3][STORE_HASH_LEN], a[STORE_HASH_LEN];
	struct store_frontier	f;
	size_t		len, i, j;
	int		count;

	(void)state;
	store_frontier_init(&f);
	store_frontier_root(&f, got);
	unhex(want, sizeof want, rfc_roots[0]);
	assert_memory_equal(got, want, STORE_HASH_LEN);
	store_merkle_root(got, NULL, 0);
	assert_memory_equal(got, want, STORE_HASH_LEN);

	for (i = 0; i < 8; i++) {
		len = unhex(data, sizeof data, rfc_leaves[i]);
		store_merkle_leaf(hashes[i], data, len);
		naive_leaf(want, data, len);
		assert_memory_equal(hashes[i], want, STORE_HASH_LEN);

		store_frontier_add(&f, hashes[i]);
		unhex(want, sizeof want, rfc_roots[i + 1]);
		store_frontier_root(&f, got);
		assert_memory_equal(got, want, STORE_HASH_LEN);
		store_merkle_root(got, HASHES(hashes), i + 1);
		assert_memory_equal(got, want, STORE_HASH_LEN);
	}

	for (i = 0; i < sizeof rfc_paths / sizeof rfc_paths[0]; i++) {
		for (j = 0; j < 3 && rfc_paths[i].hash[j] != NULL; j++)
			unhex(vec[j], STORE_HASH_LEN, rfc_paths[i].hash[j]);
		count = store_merkle_inclusion(HASHES(hashes), rfc_paths[i].a,
		    rfc_paths[i].n, proof);
		assert_int_equal(count, j);
		if (j != 0)
			assert_memory_equal(proof, vec, j * STORE_HASH_LEN);
		unhex(want, sizeof want, rfc_roots[rfc_paths[i].n]);
		assert_int_equal(store_merkle_check_inclusion(
		    hashes[rfc_paths[i].a], rfc_paths[i].a, rfc_paths[i].n,
		    HASHES(vec), j, want), 0);
	}

	for (i = 0; i < sizeof rfc_proofs / sizeof rfc_proofs[0]; i++) {
		for (j = 0; j < 3 && rfc_proofs[i].hash[j] != NULL; j++)
			unhex(vec[j], STORE_HASH_LEN, rfc_proofs[i].hash[j]);
		count = store_merkle_consistency(HASHES(hashes),
		    rfc_proofs[i].a, rfc_proofs[i].n, proof);
		assert_int_equal(count, j);
		if (j != 0)
			assert_memory_equal(proof, vec, j * STORE_HASH_LEN);
		unhex(a, sizeof a, rfc_roots[rfc_proofs[i].a]);
		unhex(want, sizeof want, rfc_roots[rfc_proofs[i].n]);
		assert_int_equal(store_merkle_check_consistency(rfc_proofs[i].a,
		    rfc_proofs[i].n, a, want, HASHES(vec), j), 0);
	}
}

static void
test_frontier(void **state)
{
	struct store_frontier	f;
	uint8_t			a[STORE_HASH_LEN], b[STORE_HASH_LEN];
	uint8_t			c[STORE_HASH_LEN];
	uint64_t		n;

	(void)state;
	store_frontier_init(&f);
	for (n = 0; n <= 200; n++) {
		if (n != 0)
			store_frontier_add(&f, leaves[n - 1]);
		assert_int_equal(f.size, n);
		store_frontier_root(&f, a);
		store_merkle_root(b, HASHES(leaves), n);
		naive_mth(c, HASHES(leaves), n);
		assert_memory_equal(a, b, STORE_HASH_LEN);
		assert_memory_equal(a, c, STORE_HASH_LEN);
	}
}

/*
 * Adding aligned complete subtrees by their roots equals adding their
 * leaves: for every subtree size 2^k up to 64 and every prefix of whole
 * subtrees, then leaf by leaf for the rest, against the naive MTH.
 */
static void
test_frontier_subtree(void **state)
{
	struct store_frontier	f;
	uint8_t			a[STORE_HASH_LEN], c[STORE_HASH_LEN];
	uint8_t			sub[STORE_HASH_LEN];
	uint64_t		n, i, whole;
	unsigned int		k;

	(void)state;
	for (k = 0; k <= 6; k++) {
		for (n = 0; n <= 200; n++) {
			store_frontier_init(&f);
			whole = n >> k << k;
			for (i = 0; i < whole; i += (uint64_t)1 << k) {
				store_merkle_root(sub, HASHES(leaves) + i,
				    (uint64_t)1 << k);
				store_frontier_add_subtree(&f, sub, k);
			}
			for (; i < n; i++)
				store_frontier_add(&f, leaves[i]);
			assert_int_equal(f.size, n);
			store_frontier_root(&f, a);
			naive_mth(c, HASHES(leaves), n);
			assert_memory_equal(a, c, STORE_HASH_LEN);
		}
	}
}

/* Everything about the audit path of leaf i in a tree of n leaves. */
static void
check_one_inclusion(uint64_t i, uint64_t n, int exhaustive)
{
	const uint8_t	(*d)[STORE_HASH_LEN] = HASHES(leaves);
	uint8_t		path[STORE_MAX_PROOF + 1][STORE_HASH_LEN];
	uint8_t		want[STORE_MAX_PROOF][STORE_HASH_LEN];
	uint8_t		bad[STORE_MAX_PROOF + 1][STORE_HASH_LEN];
	uint8_t		root[STORE_HASH_LEN], leaf[STORE_HASH_LEN];
	uint8_t		(*tight)[STORE_HASH_LEN];
	char		shape[SHAPE_LEN], other[SHAPE_LEN];
	uint64_t	sizes[MAXOTHER], j;
	size_t		nsizes, z;
	int		count, wcount = 0, k, expect;

	count = store_merkle_inclusion(d, i, n, path);
	shape[0] = '\0';
	naive_path(i, d, n, want, &wcount, shape);
	assert_int_equal(count, wcount);
	if (count != 0)
		assert_memory_equal(path, want, count * STORE_HASH_LEN);
	naive_mth(root, d, n);
	assert_int_equal(store_merkle_check_inclusion(d[i], i, n,
	    HASHES(path), count, root), 0);

	for (k = 0; k < count; k++) {
		memcpy(bad, path, count * STORE_HASH_LEN);
		flip(bad[k], (unsigned int)(i * 7 + k * 13));
		assert_int_equal(store_merkle_check_inclusion(d[i], i, n,
		    HASHES(bad), count, root), -1);
	}
	memcpy(bad, root, STORE_HASH_LEN);
	flip(bad[0], (unsigned int)i);
	assert_int_equal(store_merkle_check_inclusion(d[i], i, n,
	    HASHES(path), count, bad[0]), -1);

	/*
	 * Each index has its own shape (the sides its siblings sit on), so
	 * no other index can pass.  The size, though, RFC 9162 binds only
	 * through that shape: a size that hashes the same hashes in the same
	 * order passes, as it must (the root still binds the tree); any
	 * other size has to fail.
	 */
	nsizes = other_sizes(sizes, i, n, exhaustive);
	for (z = 0; z < nsizes; z++) {
		j = sizes[z];
		if (j != i)
			assert_int_equal(store_merkle_check_inclusion(d[i], j,
			    n, HASHES(path), count, root), -1);
		if (j == n)
			continue;
		other[0] = '\0';
		if (i < j && j != UINT64_MAX)
			path_shape(i, j, other);
		expect = i < j && j < 2 * n && strcmp(shape, other) == 0 ?
		    0 : -1;
		assert_int_equal(store_merkle_check_inclusion(d[i], i, j,
		    HASHES(path), count, root), expect);
	}

	for (k = 0; k < count; k++)
		assert_int_equal(store_merkle_check_inclusion(d[i], i, n,
		    HASHES(path), k, root), -1);
	memcpy(path[count], d[n], STORE_HASH_LEN);
	assert_int_equal(store_merkle_check_inclusion(d[i], i, n,
	    HASHES(path), count + 1, root), -1);
	tight = exact_copy(path, count);
	assert_int_equal(store_merkle_check_inclusion(d[i], i, n,
	    HASHES(tight), SIZE_MAX, root), -1);
	free(tight);

	memcpy(leaf, d[i], STORE_HASH_LEN);
	flip(leaf, (unsigned int)n);
	assert_int_equal(store_merkle_check_inclusion(leaf, i, n,
	    HASHES(path), count, root), -1);
	if (n > 1)
		assert_int_equal(store_merkle_check_inclusion(d[(i + 1) % n],
		    i, n, HASHES(path), count, root), -1);
}

static void
test_inclusion(void **state)
{
	const uint8_t		(*d)[STORE_HASH_LEN] = HASHES(leaves);
	uint8_t			 path[STORE_MAX_PROOF][STORE_HASH_LEN];
	uint64_t		 n, i;
	size_t			 b;

	(void)state;
	for (n = 1; n <= MAXSMALL; n++) {
		for (i = 0; i < n; i++)
			check_one_inclusion(i, n, 1);
		assert_int_equal(store_merkle_inclusion(d, n, n, path), -1);
	}
	assert_int_equal(store_merkle_inclusion(d, 0, 0, path), -1);
	assert_int_equal(store_merkle_check_inclusion(d[0], 0, 0,
	    HASHES(path), 0, d[0]), -1);

	for (b = 0; b < sizeof big / sizeof big[0]; b++) {
		n = big[b];
		for (i = 0; i < n; i += 1 + i / 3)
			check_one_inclusion(i, n, 0);
		check_one_inclusion(n - 1, n, 0);
	}
}

/* Everything about the consistency proof from m to n leaves. */
static void
check_one_consistency(uint64_t m, uint64_t n, int exhaustive)
{
	const uint8_t	(*d)[STORE_HASH_LEN] = HASHES(leaves);
	uint8_t		proof[STORE_MAX_PROOF + 1][STORE_HASH_LEN];
	uint8_t		want[STORE_MAX_PROOF][STORE_HASH_LEN];
	uint8_t		bad[STORE_MAX_PROOF + 1][STORE_HASH_LEN];
	uint8_t		oldroot[STORE_HASH_LEN], newroot[STORE_HASH_LEN];
	uint8_t		(*tight)[STORE_HASH_LEN];
	char		shape[SHAPE_LEN], other[SHAPE_LEN];
	uint64_t	sizes[MAXOTHER], j;
	size_t		nsizes, z;
	int		count, wcount = 0, k, expect;

	count = store_merkle_consistency(d, m, n, proof);
	shape[0] = '\0';
	naive_subproof(m, d, n, 1, want, &wcount, shape);
	assert_int_equal(count, wcount);
	if (count != 0)
		assert_memory_equal(proof, want, count * STORE_HASH_LEN);
	naive_mth(oldroot, d, m);
	naive_mth(newroot, d, n);
	assert_int_equal(store_merkle_check_consistency(m, n, oldroot,
	    newroot, HASHES(proof), count), 0);

	for (k = 0; k < count; k++) {
		memcpy(bad, proof, count * STORE_HASH_LEN);
		flip(bad[k], (unsigned int)(m * 5 + n * 3 + k));
		assert_int_equal(store_merkle_check_consistency(m, n, oldroot,
		    newroot, HASHES(bad), count), -1);
	}

	memcpy(bad[0], oldroot, STORE_HASH_LEN);
	flip(bad[0], (unsigned int)n);
	assert_int_equal(store_merkle_check_consistency(m, n, bad[0],
	    newroot, HASHES(proof), count), -1);
	memcpy(bad[0], newroot, STORE_HASH_LEN);
	flip(bad[0], (unsigned int)m);
	assert_int_equal(store_merkle_check_consistency(m, n, oldroot,
	    bad[0], HASHES(proof), count), -1);
	if (m != n)
		assert_int_equal(store_merkle_check_consistency(m, n, newroot,
		    oldroot, HASHES(proof), count), -1);

	/*
	 * As for inclusion: every other old size fails, while a new size
	 * passes only with the very same shape.
	 */
	nsizes = other_sizes(sizes, m, n, exhaustive);
	for (z = 0; z < nsizes; z++) {
		j = sizes[z];
		if (j != m)
			assert_int_equal(store_merkle_check_consistency(j, n,
			    oldroot, newroot, HASHES(proof), count), -1);
		if (j == n)
			continue;
		other[0] = '\0';
		if (m <= j && j != UINT64_MAX)
			proof_shape(m, j, other);
		expect = m <= j && j < 2 * n && strcmp(shape, other) == 0 ?
		    0 : -1;
		assert_int_equal(store_merkle_check_consistency(m, j, oldroot,
		    newroot, HASHES(proof), count), expect);
	}

	for (k = 0; k < count; k++)
		assert_int_equal(store_merkle_check_consistency(m, n, oldroot,
		    newroot, HASHES(proof), k), -1);
	if (m != n)
		assert_int_equal(store_merkle_check_consistency(m, n, oldroot,
		    newroot, NULL, 0), -1);
	memcpy(proof[count], d[n], STORE_HASH_LEN);
	assert_int_equal(store_merkle_check_consistency(m, n, oldroot,
	    newroot, HASHES(proof), count + 1), -1);
	tight = exact_copy(proof, count);
	assert_int_equal(store_merkle_check_consistency(m, n, oldroot,
	    newroot, HASHES(tight), SIZE_MAX), -1);
	free(tight);
}

static void
test_consistency(void **state)
{
	const uint8_t		(*d)[STORE_HASH_LEN] = HASHES(leaves);
	uint8_t			 proof[STORE_MAX_PROOF][STORE_HASH_LEN];
	uint8_t			 root[STORE_HASH_LEN];
	uint64_t		 n, m;
	size_t			 b;

	(void)state;
	for (n = 1; n <= MAXSMALL; n++) {
		for (m = 1; m <= n; m++)
			check_one_consistency(m, n, 1);
		assert_int_equal(store_merkle_consistency(d, 0, n, proof), -1);
		assert_int_equal(store_merkle_consistency(d, n + 1, n, proof),
		    -1);
	}
	assert_int_equal(store_merkle_consistency(d, 0, 0, proof), -1);

	/* The empty tree is consistent with everything, but not provably. */
	naive_mth(root, d, 0);
	assert_int_equal(store_merkle_check_consistency(0, 0, root, root,
	    HASHES(proof), 0), -1);

	for (b = 0; b < sizeof big / sizeof big[0]; b++) {
		n = big[b];
		for (m = 1; m < n; m += 1 + m / 3)
			check_one_consistency(m, n, 0);
		check_one_consistency(n, n, 0);
	}
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_rfc_vectors),
		cmocka_unit_test(test_frontier),
		cmocka_unit_test(test_frontier_subtree),
		cmocka_unit_test(test_inclusion),
		cmocka_unit_test(test_consistency),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup_leaves, NULL);
}
