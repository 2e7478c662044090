/*
 * complete.c -- names for the shell's completion (daicho __complete):
 * systems, the logins of a system, and operators, read from the state
 * tables of a store opened read-only.  Nothing is written, nobody is
 * authenticated: a name is no secret to whoever may read the database.
 *
 * Names of all three are ASCII by the rules that admit them (login
 * names, system names), so a prefix is a range of the primary key:
 * [prefix, prefix "~"), '~' sorting after every character they may hold.
 * A system's logins are read through the account table's key (system,
 * login), so even a system of 600,000 IDs answers at once.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

int
core_complete(struct store *s, enum core_complete_what what,
    const char *system, const char *prefix, size_t max,
    void (*cb)(void *, const char *), void *arg, char **cause)
{
	static const char *const sql[] = {
		[CORE_COMPLETE_SYSTEM] = "SELECT name FROM system WHERE "
		    "name >= ?1 AND name < ?2 ORDER BY name LIMIT ?3",
		[CORE_COMPLETE_LOGIN] = "SELECT login FROM account WHERE "
		    "system = ?4 AND login >= ?1 AND login < ?2 ORDER BY "
		    "login LIMIT ?3",
		[CORE_COMPLETE_OPERATOR] = "SELECT name FROM operator WHERE "
		    "state = 'active' AND name >= ?1 AND name < ?2 ORDER BY "
		    "name LIMIT ?3",
	};
	struct store_stmt	*st;
	char			*upper;
	int			 r;

	if (what == CORE_COMPLETE_LOGIN && system == NULL)
		return 0;
	if ((st = store_prepare(s, sql[what], cause)) == NULL)
		return -1;
	xasprintf(&upper, "%s~", prefix);
	store_bind_text(st, 1, prefix);
	store_bind_text(st, 2, upper);
	store_bind_int(st, 3, (int64_t)max);
	if (what == CORE_COMPLETE_LOGIN)
		store_bind_text(st, 4, system);
	while ((r = store_step(st, cause)) == STORE_ROW)
		cb(arg, store_col_text(st, 0));
	store_finalize(st);
	free(upper);
	return r == -1 ? -1 : 0;
}
