/*
 * query.c -- what the console shows, read from the state tables.  The
 * console includes no SQL: it asks here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

int
core_counts(struct store *s, struct core_counts *c, char **cause)
{
	memset(c, 0, sizeof *c);
	if (store_query_int(s, "SELECT count(*) FROM operator WHERE "
	    "state = 'active' AND role = 'admin'", &c->admins, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM operator WHERE "
	    "state = 'active' AND role = 'approver'", &c->approvers,
	    cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM operator WHERE "
	    "state = 'active' AND role = 'auditor'", &c->auditors,
	    cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM person", &c->people,
	    cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM login_event WHERE "
	    "kind = 'failure' AND time > strftime('%Y-%m-%dT%H:%M:%SZ', "
	    "'now', '-1 day')", &c->failures_24h, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM system", &c->systems,
	    cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM account WHERE state != "
	    "'revoked'", &c->ids, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM outbox WHERE state = "
	    "'pending'", &c->outbox_pending, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM outbox WHERE state = "
	    "'failed'", &c->outbox_failed, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM outbox WHERE state = "
	    "'pending' AND attempts > 0", &c->outbox_retrying, cause) != 0)
		return -1;
	return 0;
}

int
core_operator_list(struct store *s, struct core_operator **out, size_t *n,
    char **cause)
{
	struct store_stmt	*st;
	struct core_operator	*v = NULL;
	int			 r;

	*n = 0;
	if ((st = store_prepare(s, "SELECT name, role, state, added_idx, "
	    "changed_idx FROM operator ORDER BY name", cause)) == NULL)
		return -1;
	while ((r = store_step(st, cause)) == STORE_ROW) {
		v = xreallocarray(v, *n + 1, sizeof *v);
		snprintf(v[*n].name, sizeof v[*n].name, "%s",
		    store_col_text(st, 0));
		v[*n].role = core_role_parse(store_col_text(st, 1));
		v[*n].active = strcmp(store_col_text(st, 2), "active") == 0;
		v[*n].added = (uint64_t)store_col_int(st, 3);
		v[*n].changed = (uint64_t)store_col_int(st, 4);
		(*n)++;
	}
	store_finalize(st);
	if (r == -1) {
		free(v);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}
