/*
 * fuzz-vkey.c -- store_note_parse_vkey, the verifier key an auditor
 * types or pastes (`verify --root-key`) and the one a rotation entry
 * carries.  A key that parses must be the spelling store_note_vkey
 * gives its name and public key, but for the case of the key ID's hex
 * digits (accepted in either case, as the reference implementation does;
 * tests/test-note.c test_vkey_upper_hex).
 */
#include "config.h"

#include "fuzz.h"
#include "store.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s = fuzz_str(data, size), *cause = NULL, *name = NULL, *again;
	char	*p;
	uint8_t	 pk[STORE_PK_LEN];
	size_t	 i;

	if (store_note_parse_vkey(s, &name, pk, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		free(s);
		return 0;
	}
	FUZZ_CHECK(store_note_name_ok(name, &cause) == 0);
	again = store_note_vkey(name, pk);
	p = strchr(s, '+');
	FUZZ_CHECK(p != NULL && strlen(p) > 9 && p[9] == '+');
	for (i = 1; i <= 8; i++) {
		if (p[i] >= 'A' && p[i] <= 'F')
			p[i] = (char)(p[i] - 'A' + 'a');
	}
	FUZZ_CHECK(strcmp(again, s) == 0);
	free(again);
	free(name);
	free(s);
	return 0;
}
