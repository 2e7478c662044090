/*
 * fuzz-tlogproof.c -- store_proof_parse and store_proof_check, the reader
 * of a C2SP tlog-proof that an auditor is handed ("daicho verify-proof").
 * A proof that parses, with no "extra" line, must be the one spelling its
 * parts give back; the check must fail with a cause for anything not
 * signed by the harness's key (nothing is, unless the fuzzer forges
 * Ed25519).
 */
#include "config.h"

#include <sodium.h>

#include "fuzz.h"
#include "common.h"
#include "store.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		*vkey;
	struct store_proof	*pr;
	uint8_t			 pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t			 sk[crypto_sign_SECRETKEYBYTES];
	uint8_t			 seed[crypto_sign_SEEDBYTES] = { 1 };
	char			*text, *cause = NULL, *b64, *out, *next;
	uint64_t		 idx, csize;
	size_t			 i;

	if (vkey == NULL) {
		if (sodium_init() < 0)
			abort();
		crypto_sign_seed_keypair(pk, sk, seed);
		vkey = store_note_vkey("fuzz.invalid/ledger", pk);
	}
	text = fuzz_str(data, size);
	pr = calloc(1, sizeof *pr);
	FUZZ_CHECK(pr != NULL);
	if (store_proof_parse(text, size, pr, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		cause = NULL;
	} else {
		FUZZ_CHECK(pr->note >= text && pr->note + pr->notelen ==
		    text + size && pr->notelen > 0);
		FUZZ_CHECK(pr->npath <= STORE_MAX_PROOF);
		xasprintf(&out, "c2sp.org/tlog-proof@v1\nindex %llu\n",
		    (unsigned long long)pr->index);
		for (i = 0; i < pr->npath; i++) {
			b64 = codec_b64(pr->path[i], STORE_HASH_LEN);
			xasprintf(&next, "%s%s\n", out, b64);
			free(b64);
			free(out);
			out = next;
		}
		xasprintf(&next, "%s\n", out);
		free(out);
		out = next;
		if (strstr(text, "\nextra ") == NULL ||
		    strstr(text, "\nextra ") > pr->note)
			FUZZ_CHECK(strlen(out) + pr->notelen == size &&
			    memcmp(out, text, strlen(out)) == 0);
		free(out);
	}
	if (store_proof_check(text, size, vkey, data, size, &idx, &csize,
	    &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
	}
	free(pr);
	free(text);
	return 0;
}
