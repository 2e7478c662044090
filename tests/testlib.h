/*
 * testlib.h -- helpers the cmocka programs share: scratch directories,
 * a ledger made as daicho init makes it, and cause checks.
 */
#ifndef DAICHO_TESTLIB_H
#define DAICHO_TESTLIB_H

#include <stdint.h>

struct store;

/* Fail unless cause mentions why, or one of why's '|'-separated words. */
void		 check_cause(const char *, const char *);
/* Remove a directory tree (or fail the test). */
void		 rm_rf(const char *);
/* A new 0700 scratch directory under $TMPDIR or /tmp; caller frees. */
char		*scratch_dir(void);
/* Make dir as daicho init does: directory, root key, ledger.init. */
void		 init_store(const char *);
/* store_open or fail the test. */
struct store	*open_store(const char *, int);
uint64_t	 ledger_size(struct store *);

#endif
