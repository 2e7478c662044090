/*
 * replay.c -- rebuild the state tables from the ledger and compare.
 *
 * The state tables are a projection of the ledger.  Replay runs every
 * entry through its action's own apply function into a private scratch
 * database and compares each projected table with the live one, so a row
 * edited behind the console's back shows up as a difference.  Before
 * each entry is applied, the rules of who may act (role, second person,
 * the system's bootstrap) are checked against the state replayed so far,
 * so an entry made while the live tables were doctored is named too.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "core-int.h"

/* The tables replay rebuilds; everything in them comes from entries. */
static const char *const core_projections[] = {
	"epoch", "operator", "person", "login_event", "system", "account",
	"account_user", "outbox", "incident", "incident_account", "lost_card",
	"hr_import", "hr_event", "birthright", "policy", "privileged",
	"priv_request", "stocktake", "stocktake_item", "report", "review",
	"priv_request", "exception", "exception_scope",
	NULL
};

struct replay {
	struct store	*scratch;
	char		*error;
};

static int
replay_entry(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
	struct replay			*r = arg;
	struct store_entry		*e;
	const struct core_action	*a;
	struct core_actor		 who;
	char				*cause = NULL;

	if ((e = store_entry_parse(bytes, len, &cause)) == NULL) {
		xasprintf(&r->error, "entry %llu: %s",
		    (unsigned long long)index, cause);
		free(cause);
		return -1;
	}
	if ((a = core_action_find(e->action)) == NULL) {
		xasprintf(&r->error, "entry %llu: unknown action %s",
		    (unsigned long long)index, e->action);
		store_entry_free(e);
		return -1;
	}
	/*
	 * Who may act is state (the operator table), and state can be
	 * edited behind daicho's back: promote an auditor, act, put the
	 * row back.  So every entry's role and two-person rule are checked
	 * again against the state replayed so far, which only entries make.
	 */
	who.operator = e->operator;
	who.approver = e->approver;
	if (core_check_roles(r->scratch, a, &who, &cause) != 0) {
		xasprintf(&r->error, "entry %llu (%s by %s%s%s) breaks the "
		    "rules of who may act: %s", (unsigned long long)index,
		    e->action, e->operator, e->approver != NULL ?
		    ", approved by " : "", e->approver != NULL ? e->approver :
		    "", cause);
		free(cause);
		store_entry_free(e);
		return -1;
	}
	if (a->apply(r->scratch, e, &cause) != 0) {
		xasprintf(&r->error, "entry %llu (%s): cannot be applied: %s",
		    (unsigned long long)index, e->action, cause);
		free(cause);
		store_entry_free(e);
		return -1;
	}
	store_entry_free(e);
	return 0;
}

int
core_replay(struct store *live, void (*report)(void *, const char *),
    void *arg, char **cause)
{
	struct replay	 r = { NULL, NULL };
	size_t		 i;
	int		 n, total = 0;

	if (store_schema_version(live) != STORE_SCHEMA_VERSION) {
		xasprintf(cause, _("the database has schema version %lld; "
		    "replay compares with version %d (open it once with a "
		    "writing command to migrate it)"),
		    (long long)store_schema_version(live),
		    STORE_SCHEMA_VERSION);
		return -1;
	}
	if ((r.scratch = store_open_scratch(cause)) == NULL)
		return -1;
	/* The entries and the live tables, one snapshot (store.h). */
	if (store_replay_begin(r.scratch, live, cause) != 0)
		goto fail;
	if (store_replay_foreach(r.scratch, replay_entry, &r, cause) != 0) {
		if (r.error != NULL) {
			free(*cause);
			*cause = r.error;
			r.error = NULL;
		}
		goto fail;
	}
	for (i = 0; core_projections[i] != NULL; i++) {
		n = store_diff_table(r.scratch, live, core_projections[i],
		    report, arg, cause);
		if (n < 0)
			goto fail;
		total += n;
	}
	if (store_replay_end(r.scratch, cause) != 0)
		goto fail;
	store_close(r.scratch);
	return total;
fail:
	store_close(r.scratch);
	return -1;
}
