/*
 * action-expire.c -- an ID past its end date: id.expire, and the part of
 * the sweep that finds them.
 *
 * A contractor's, a privileged or any other ID with an end date ends on
 * it: the target already refuses a login after it (the expire operation
 * queued with the date), but until now the ledger went on calling such an
 * ID active, and an auditor reading it saw access that had ended.  The
 * sweep records each as expired and queues a lock, so the ID is shut on
 * its system even where the target's own expiry was changed behind
 * daicho's back.  An expired ID comes back only by a later end date
 * (id.end_date, which for a privileged or contractor ID needs a second
 * person) or is revoked.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

/* The states an ID may expire from, and whether that needs a lock. */
static const struct {
	const char	*state;
	int		 lock;
} expire_from[] = {
	{ "active", 1 }, { "pending", 1 }, { "suspended", 1 },
	{ "locked", 0 }, { "dormant", 0 },
};

static int
expire_from_state(const char *state)
{
	size_t	 i;

	for (i = 0; i < sizeof expire_from / sizeof expire_from[0]; i++) {
		if (strcmp(expire_from[i].state, state) == 0)
			return (int)i;
	}
	return -1;
}

static int
id_expire_validate(struct core_run *run, char **cause)
{
	struct store_stmt	*st;
	const char		*system, *login, *given;
	char			 state[16] = "", end[16] = "", today[11];
	int			 r;

	if (core_arg(run, "system", &system, cause) != 0 ||
	    core_arg(run, "login", &login, cause) != 0)
		return -1;
	xasprintf(&run->subject, "id:%s/%s", system, login);
	if ((st = store_prepare(run->store, "SELECT state, coalesce(end_date, "
	    "'') FROM account WHERE system = ? AND login = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	if ((r = store_step(st, cause)) == STORE_ROW) {
		snprintf(state, sizeof state, "%s", store_col_text(st, 0));
		snprintf(end, sizeof end, "%s", store_col_text(st, 1));
	}
	store_finalize(st);
	if (r == -1)
		return -1;
	if (state[0] == '\0') {
		xasprintf(cause, _("id.expire: no ID %.40s on %.40s"), login,
		    system);
		return -1;
	}
	if (expire_from_state(state) == -1) {
		xasprintf(cause, _("id.expire: %s on %s is %s; only a live ID "
		    "expires"), login, system, state);
		return -1;
	}
	core_today(today);
	if ((given = store_args_get(&run->args, "end_date")) != NULL &&
	    strcmp(given, end) != 0) {
		xasprintf(cause, _("id.expire: %s on %s ends on %s, not %.20s"),
		    login, system, end[0] != '\0' ? end : _("no date"), given);
		return -1;
	}
	if (end[0] == '\0' || strcmp(end, today) >= 0) {
		if (end[0] == '\0')
			xasprintf(cause, _("id.expire: %s on %s has no end "
			    "date; an ID expires after its end date"), login,
			    system);
		else
			xasprintf(cause, _("id.expire: %s on %s ends on %s; an "
			    "ID expires after its end date"), login, system,
			    end);
		return -1;
	}
	return 0;
}

static int
id_expire_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*system = store_args_get(&e->args, "system");
	const char	*login = store_args_get(&e->args, "login");
	char		 state[16], idx[24];
	int		 i;

	if (core_id_state(s, system, login, state, sizeof state, cause) != 0)
		return -1;
	if ((i = expire_from_state(state)) == -1) {
		xasprintf(cause, _("id.expire: %s on %s is %s"), login, system,
		    state[0] != '\0' ? state : _("not on record"));
		return -1;
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (core_sql(s, "UPDATE account SET state = 'expired', changed_idx = "
	    "?3 WHERE system = ?1 AND login = ?2", cause, 3, system, login,
	    idx) != 0)
		return -1;
	if (!expire_from[i].lock)
		return 0;
	return core_sql(s, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) VALUES (?1, 0, ?2, 'lock', ?3, '')", cause, 3, idx,
	    system, login);
}

static const struct core_param id_expire_params[] = {
	CORE_PARAMS_ID,
	{ "end_date", 0, N_("the end date that passed (recorded as it "
	    "stood)") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_id_expire = {
	.name = "id.expire",
	.summary = N_("Record an ID past its end date as expired, and lock "
	    "it"),
	.roles = CORE_ROLE_ADMIN | CORE_ROLE_SYSTEM,
	.params = id_expire_params,
	.validate = id_expire_validate,
	.apply = id_expire_apply,
};

int
core_expire_sweep(struct store *s, size_t *n, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct store_stmt	*st;
	struct store_args	 a;
	char			 today[11], **v = NULL;
	size_t			 nv = 0, i;
	int			 r;

	*n = 0;
	core_today(today);
	/* The index account_end holds exactly the live IDs with an end. */
	if ((st = store_prepare(s, "SELECT system, login, end_date FROM "
	    "account WHERE end_date IS NOT NULL AND state NOT IN ('expired', "
	    "'revoked') AND end_date < ?1 ORDER BY system, login",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, today);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		v = xreallocarray(v, nv + 3, sizeof *v);
		v[nv++] = xstrdup(store_col_text(st, 0));
		v[nv++] = xstrdup(store_col_text(st, 1));
		v[nv++] = xstrdup(store_col_text(st, 2));
	}
	store_finalize(st);
	if (r == -1 || nv == 0)
		goto out;
	if ((r = core_begin(s, cause)) != 0)
		goto out;
	for (i = 0; i < nv && r == 0; i += 3) {
		memset(&a, 0, sizeof a);
		store_args_add(&a, "system", v[i]);
		store_args_add(&a, "login", v[i + 1]);
		store_args_add(&a, "end_date", v[i + 2]);
		r = core_run(s, "id.expire", &sys, &a, NULL, cause);
	}
	if (r == 0 && (r = core_commit(s, cause)) == 0)
		*n = nv / 3;
	else
		core_rollback(s);
out:
	for (i = 0; i < nv; i++)
		free(v[i]);
	free(v);
	return r == -1 ? -1 : 0;
}
