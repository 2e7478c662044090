/*
 * fuzz-fold.c -- fold_name, the key names from an HR export and from the
 * systems are compared by.  Any bytes: never a crash.  Valid UTF-8: a
 * key that is valid UTF-8, holds no white space, no ASCII capital and no
 * hiragana, and that folds to itself (the key of a key is the key).
 * Anything else: the bytes as they were.
 */
#include "config.h"

#include <unistr.h>

#include "fuzz.h"
#include "common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s = fuzz_str(data, size), *k, *kk;
	const uint8_t	*p;
	ucs4_t		 cp;
	size_t		 n = strlen(s);

	k = fold_name(s);
	FUZZ_CHECK(k != NULL);
	if (u8_check((const uint8_t *)s, n) != NULL) {
		FUZZ_CHECK(strcmp(k, s) == 0);
		free(k);
		free(s);
		return 0;
	}
	FUZZ_CHECK(u8_check((const uint8_t *)k, strlen(k)) == NULL);
	for (p = (const uint8_t *)k; (p = u8_next(&cp, p)) != NULL; ) {
		FUZZ_CHECK(cp != ' ' && cp != 0x3000 && cp != '\t');
		FUZZ_CHECK(cp < 'A' || cp > 'Z');
		FUZZ_CHECK(cp < 0x3041 || cp > 0x3096);
	}
	kk = fold_name(k);
	if (strcmp(k, kk) != 0) {
		fprintf(stderr, "key \"%s\" folds to \"%s\"\n", k, kk);
		FUZZ_CHECK(strcmp(k, kk) == 0);
	}
	free(kk);
	free(k);
	free(s);
	return 0;
}
