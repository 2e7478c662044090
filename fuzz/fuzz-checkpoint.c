/*
 * fuzz-checkpoint.c -- store_checkpoint_parse, the C2SP tlog-checkpoint
 * text of a note (verify reads the ones the ledger stores and the one
 * held outside, in part before their signatures are checked).  A
 * checkpoint of exactly three lines must be the one spelling
 * store_checkpoint_text gives its values.
 */
#include "config.h"

#include "fuzz.h"
#include "store.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*cause = NULL, *origin = NULL, *text;
	uint64_t	 csize;
	uint8_t		 root[STORE_HASH_LEN];
	size_t		 i, lines = 0;

	if (store_checkpoint_parse((const char *)data, size, &origin, &csize,
	    root, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		return 0;
	}
	FUZZ_CHECK(origin != NULL && *origin != '\0');
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (lines == 3) {
		text = store_checkpoint_text(origin, csize, root);
		FUZZ_CHECK(strlen(text) == size &&
		    memcmp(text, data, size) == 0);
		free(text);
	}
	free(origin);
	return 0;
}
