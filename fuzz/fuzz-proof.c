/*
 * fuzz-proof.c -- the checks of a C2SP tlog-proof's audit path and of a
 * consistency proof (store_merkle_check_inclusion and _consistency), the
 * part of a proof reader that decides.  daicho has no tlog-proof text
 * reader of its own (`daicho prove` writes them; auditors check them
 * with their own tools, tests/independent-verify.py is one), so the
 * target is the arithmetic such a reader runs on what it read.
 *
 * The input picks a tree of up to 64 leaves, a leaf or an old size, the
 * index and sizes the proof claims, and edits to the true proof.  The
 * checks must accept the true proof, and no other proof for the same
 * sizes.  Other sizes may pass against these roots (a node hash can
 * stand for a leaf, so a tree of 4 can look like one of 3): the sizes
 * are bound by the signed checkpoints, not by the proof.
 */
#include "config.h"

#include <sodium.h>

#include "fuzz.h"
#include "store.h"

#define NMAX	64

static uint8_t	 leaves[NMAX][STORE_HASH_LEN];

static void
root_of(uint64_t n, uint8_t *root)
{
	struct store_frontier	 fr;
	uint64_t		 i;

	store_frontier_init(&fr);
	for (i = 0; i < n; i++)
		store_frontier_add(&fr, leaves[i]);
	store_frontier_root(&fr, root);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 ready;
	uint8_t		 proof[STORE_MAX_PROOF + 8][STORE_HASH_LEN];
	uint8_t		 truth[STORE_MAX_PROOF][STORE_HASH_LEN];
	uint8_t		 root[STORE_HASH_LEN], oldroot[STORE_HASH_LEN];
	uint64_t	 n, a, ca, cn;
	size_t		 i, len, tlen, pos;
	int		 consistency, r, edited = 0;
	uint8_t		 b;

	if (!ready) {
		if (sodium_init() < 0)
			abort();
		for (i = 0; i < NMAX; i++)
			store_merkle_leaf(leaves[i], &i, sizeof i);
		ready = 1;
	}
	if (size < 5)
		return 0;
	consistency = data[0] & 1;
	n = data[1] % NMAX + 1;
	a = data[2] % n;			/* leaf index, or old size - 1 */
	/* The claims: mostly the truth, else anything, huge values too. */
	ca = data[3] < 128 ? a : data[3] & 0x40 ? UINT64_MAX - data[3] :
	    data[3] % (NMAX + 2);
	cn = data[4] < 128 ? n : data[4] & 0x40 ? UINT64_MAX - data[4] :
	    data[4] % (NMAX + 2);
	data += 5;
	size -= 5;

	root_of(n, root);
	if (consistency) {
		tlen = (size_t)store_merkle_consistency(
		    (const uint8_t (*)[STORE_HASH_LEN])leaves, a + 1, n, truth);
		root_of(a + 1, oldroot);
		FUZZ_CHECK(store_merkle_check_consistency(a + 1, n, oldroot,
		    root, (const uint8_t (*)[STORE_HASH_LEN])truth, tlen) == 0);
	} else {
		tlen = (size_t)store_merkle_inclusion(
		    (const uint8_t (*)[STORE_HASH_LEN])leaves, a, n, truth);
		FUZZ_CHECK(store_merkle_check_inclusion(leaves[a], a, n,
		    (const uint8_t (*)[STORE_HASH_LEN])truth, tlen, root) == 0);
	}
	FUZZ_CHECK(tlen <= STORE_MAX_PROOF);

	/* Edits, two bytes each: drop, repeat, replace, swap, flip a bit. */
	memcpy(proof, truth, tlen * STORE_HASH_LEN);
	len = tlen;
	for (i = 0; i + 1 < size; i += 2) {
		b = data[i + 1];
		pos = len == 0 ? 0 : b % len;
		switch (data[i] % 5) {
		case 0:
			if (len == 0)
				break;
			memmove(proof[pos], proof[pos + 1],
			    (len - pos - 1) * STORE_HASH_LEN);
			len--;
			break;
		case 1:
			if (len == 0 || len == sizeof proof / sizeof proof[0])
				break;
			memmove(proof[pos + 1], proof[pos],
			    (len - pos) * STORE_HASH_LEN);
			len++;
			break;
		case 2:
			if (len == 0)
				break;
			/* Another true hash: a leaf, or the root of a prefix. */
			if (b & 1)
				memcpy(proof[pos], leaves[(b >> 1) % NMAX],
				    STORE_HASH_LEN);
			else
				root_of((b >> 1) % NMAX + 1, proof[pos]);
			break;
		case 3:
			if (len < 2 || pos + 1 == len)
				break;
			{
				uint8_t	tmp[STORE_HASH_LEN];

				memcpy(tmp, proof[pos], sizeof tmp);
				memcpy(proof[pos], proof[pos + 1], sizeof tmp);
				memcpy(proof[pos + 1], tmp, sizeof tmp);
			}
			break;
		case 4:
			if (len == 0)
				break;
			proof[pos][b % STORE_HASH_LEN] ^= 1;
			break;
		}
	}
	edited = len != tlen || memcmp(proof, truth, len * STORE_HASH_LEN) != 0;

	if (consistency) {
		if (ca == UINT64_MAX)
			ca = 0;
		r = store_merkle_check_consistency(ca + 1, cn, oldroot, root,
		    (const uint8_t (*)[STORE_HASH_LEN])proof, len);
		if (r == 0 && ca == a && cn == n)
			FUZZ_CHECK(!edited);
	} else {
		r = store_merkle_check_inclusion(leaves[a], ca, cn,
		    (const uint8_t (*)[STORE_HASH_LEN])proof, len, root);
		/* The index is the proof's own word: only the size is signed. */
		if (r == 0 && cn == n)
			FUZZ_CHECK(ca == a && !edited);
	}
	return 0;
}
