/*
 * stocktake-confirm.c -- stocktake.confirm: a correction a closed
 * stocktake left to people (an ID to change, a case to investigate) is
 * recorded as carried out by the operator and confirmed by a second
 * person, so the review list's last columns and the annual report's
 * open corrections end.  Revocations and suspensions need none: the
 * close carries them out through the outbox and names its approver.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

/* The item's decision and whether it is corrected; 0, 1 none, -1. */
static int
confirm_item(struct store *s, const char *campaign, const char *system,
    const char *login, char *decision, size_t len, int *corrected,
    char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, "SELECT coalesce(i.decision, ''), "
	    "i.corrected_idx IS NOT NULL, c.state FROM stocktake_item i JOIN "
	    "stocktake c ON c.idx = i.campaign WHERE i.campaign = CAST(?1 AS "
	    "INTEGER) AND i.system = ?2 AND i.login = ?3", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, campaign);
	store_bind_text(st, 2, system);
	store_bind_text(st, 3, login);
	if ((r = store_step(st, cause)) == STORE_ROW) {
		if (strcmp(store_col_text(st, 2), "closed") != 0) {
			xasprintf(cause, _("stocktake.confirm: stocktake %s is "
			    "still open: a correction is confirmed after "
			    "its close"), campaign);
			store_finalize(st);
			return -1;
		}
		snprintf(decision, len, "%s", store_col_text(st, 0));
		*corrected = store_col_int(st, 1) != 0;
	}
	store_finalize(st);
	return r == STORE_ROW ? 0 : r == -1 ? -1 : 1;
}

static int
confirm_validate(struct core_run *run, char **cause)
{
	const char	*campaign, *system, *login, *note;
	char		 decision[16];
	int		 corrected = 0, r;

	if (core_arg(run, "campaign", &campaign, cause) != 0 ||
	    core_arg(run, "system", &system, cause) != 0 ||
	    core_arg(run, "login", &login, cause) != 0 ||
	    core_arg(run, "note", &note, cause) != 0 ||
	    core_text_ok(note, 1024, "note", cause) != 0)
		return -1;
	if ((r = confirm_item(run->store, campaign, system, login, decision,
	    sizeof decision, &corrected, cause)) == -1)
		return -1;
	if (r == 1) {
		xasprintf(cause, _("stocktake.confirm: %.40s on %.40s is "
		    "not an item of stocktake %.20s"), login, system, campaign);
		return -1;
	}
	if (strcmp(decision, "change") != 0 &&
	    strcmp(decision, "investigate") != 0) {
		xasprintf(cause, _("stocktake.confirm: %.40s on %.40s was "
		    "decided %s: only a change or an investigation is "
		    "confirmed (the close carries out revocations and "
		    "suspensions)"),
		    login, system, *decision != '\0' ? decision : _("nothing"));
		return -1;
	}
	if (corrected) {
		xasprintf(cause, _("stocktake.confirm: %.40s on %.40s is "
		    "already confirmed"), login, system);
		return -1;
	}
	xasprintf(&run->subject, "%s/%s", system, login);
	return 0;
}

static int
confirm_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	char			 idx[24];

	if (e->approver == NULL) {
		xasprintf(cause, _("stocktake.confirm: nobody confirmed it"));
		return -1;
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "UPDATE stocktake_item SET corrected_idx = "
	    "CAST(?1 AS INTEGER), confirmed_by = ?2 WHERE campaign = CAST(?3 "
	    "AS INTEGER) AND system = ?4 AND login = ?5 AND corrected_idx IS "
	    "NULL", cause, 5, idx, e->approver, store_args_get(a, "campaign"),
	    store_args_get(a, "system"), store_args_get(a, "login"));
}

static const struct core_param confirm_params[] = {
	{ "campaign", CORE_ARG_REQUIRED, N_("the stocktake's number "
	    "(closed)") },
	CORE_PARAMS_ID,
	{ "note", CORE_ARG_REQUIRED, N_("what was done") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_stocktake_confirm = {
	.name = "stocktake.confirm",
	.summary = N_("Record that a closed stocktake's change or "
	    "investigation was carried out (the operator), confirmed by a "
	    "second person"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = confirm_params,
	.validate = confirm_validate,
	.apply = confirm_apply,
};
