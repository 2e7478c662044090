/*
 * fuzz-entry.c -- store_entry_parse, the reader of every ledger entry
 * (verify, replay, `daicho entry`, a copy of someone else's ledger).
 * An entry that parses must be the one spelling store_entry_format gives
 * its fields: the ledger promises one byte string per entry.
 */
#include "config.h"

#include "fuzz.h"
#include "store-int.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_entry	*e;
	char			*cause = NULL, *out;
	size_t			 outlen, body;

	if ((e = store_entry_parse(data, size, &cause)) == NULL) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		return 0;
	}
	FUZZ_CHECK(cause == NULL && e->len == size);
	FUZZ_CHECK(memcmp(e->bytes, data, size) == 0);
	body = e->signed_ ? e->siglen : e->len;
	FUZZ_CHECK(body <= size);
	if (store_entry_format(&out, &outlen, e->index, e->time, e->prev,
	    e->epoch, e->action, e->operator, e->approver, e->subject,
	    &e->args, &cause) == 0) {
		FUZZ_CHECK(outlen == body && memcmp(out, data, body) == 0);
		free(out);
	} else
		free(cause);
	store_entry_free(e);
	return 0;
}
