/*
 * sweep.c -- what time brings, done as the system: "daicho sweep", run
 * by a timer every minute and by the console as it starts.
 *
 * Each part writes nothing when nothing is due, so a second sweep at the
 * same moment writes nothing at all; each part is its own transaction,
 * so one that fails does not hold back the others.  A clock behind the
 * ledger's newest entry stops the whole sweep before it reads anything:
 * a clock set back would otherwise find nothing due and say so.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

int
core_sweep(struct store *s, const struct core_config *cfg,
    void (*failed)(void *, const char *), void *arg, struct core_sweep *out,
    char **cause)
{
	memset(out, 0, sizeof *out);
	if (store_clock_check(s, cause) != 0)
		return -1;
	/* First what is most urgent: privileged access whose time is up. */
	if (core_priv_sweep(s, time(NULL), &out->priv_ended, cause) != 0)
		return -1;
	if (core_exception_sweep(s, time(NULL), &out->exceptions_expired,
	    cause) != 0)
		return -1;
	if (core_expire_sweep(s, &out->expired, cause) != 0)
		return -1;
	if (core_hr_sweep(s, cfg->leaver_grace_days, failed, arg, &out->hr,
	    cause) != 0)
		return -1;
	/* Stocktakes past their deadline: the undecided take the default. */
	if (core_stocktake_sweep(s, time(NULL), &out->stocktake, cause) != 0)
		return -1;
	/* Last: it lists the systems of the IDs it finds, a target's time. */
	return core_password_sweep(s, time(NULL), &out->password, cause);
}
