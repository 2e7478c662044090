/*
 * fuzz.h -- what the libFuzzer targets in fuzz/ share.  Each target is one
 * file, fuzz-NAME.c, feeding bytes someone else could write to one of
 * daicho's parsers; tools/fuzz builds and runs them, with seeds from
 * fuzz/corpus/NAME/.  A target aborts when a parser breaks a promise (a
 * round trip that should be exact, a result it may never give), so that
 * libFuzzer reports it as it reports a crash.
 */
#ifndef DAICHO_FUZZ_H
#define DAICHO_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The input as a C string (its own heap block, so ASan sees its edges). */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A broken promise: say which, and crash so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

#endif
