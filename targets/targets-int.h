/*
 * targets-int.h -- what the files of targets/ share with each other and
 * with their tests, but not with the rest of daicho (which sees only
 * targets.h and the target_types table).
 */
#ifndef DAICHO_TARGETS_INT_H
#define DAICHO_TARGETS_INT_H

#include "targets.h"

/* target-unix.c */
extern const struct target_type target_unix_type;
/*
 * Tests only: make step n (1, 2, ...) of the next write phases fail with
 * EIO, counting every file written, linked, renamed or synced from this
 * call on; 0 turns it off.  Not thread-safe; nothing but tests calls it.
 */
void	 target_unix_failpoint(int);

#endif
