/*
 * fuzz-note.c -- store_note_verify, the signed-note reader (a checkpoint
 * held outside the ledger, `verify --checkpoint`), then the checkpoint
 * text of a note that verifies.  The key is the signed-note spec's own
 * example, so the spec's example note (a seed) verifies and the fuzzer
 * can vary everything around its signature line.
 */
#include "config.h"

#include "fuzz.h"
#include "store.h"

#define EX_VKEY	"example.com/foo+530d903a+" \
		"AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	*name;
	static uint8_t	 pk[STORE_PK_LEN];
	char		*cause = NULL, *origin = NULL;
	uint64_t	 csize;
	uint8_t		 root[STORE_HASH_LEN];
	size_t		 textlen;

	if (name == NULL &&
	    store_note_parse_vkey(EX_VKEY, &name, pk, &cause) != 0)
		abort();
	if (store_note_verify((const char *)data, size, name, pk, &textlen,
	    &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		return 0;
	}
	/* The signed text ends at the blank line: a prefix of the note. */
	FUZZ_CHECK(textlen > 0 && textlen < size && data[textlen - 1] == '\n'
	    && data[textlen] == '\n');
	if (store_checkpoint_parse((const char *)data, textlen, &origin,
	    &csize, root, &cause) == 0)
		free(origin);
	else
		free(cause);
	return 0;
}
