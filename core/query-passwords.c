/*
 * query-passwords.c -- rotation status: for every live ID, when daicho
 * last set its password, what the policy allows for its system and kind,
 * when it falls due and how it stands now.
 *
 * One scan of the account table in its key order (system, login), no
 * query per row: the policy is looked up once per (system, kind) the scan
 * meets, and since the rows come by system, at most one system's kinds
 * are kept.  600,000 IDs are one pass.  The findings (findings.c), the
 * Passwords screen and the dashboard's alerts all read this one pass.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

const char *const core_password_status_names[CORE_PW_NSTATUS] = {
	[CORE_PW_OVERDUE] = "overdue",
	[CORE_PW_TEMP_EXPIRED] = "temp-expired",
	[CORE_PW_SHARED_DUE] = "shared-due",
	[CORE_PW_DUE] = "due",
	[CORE_PW_TEMPORARY] = "temporary",
	[CORE_PW_UNKNOWN] = "unknown",
	[CORE_PW_OK] = "ok",
};

/* The kinds of ID the schema allows, each with its slot in the cache. */
static const char *const pw_kinds[] = {
	"personal", "shared", "privileged", "contractor", "service"
};
#define PW_NKINDS	(sizeof pw_kinds / sizeof pw_kinds[0])
/* struct core_pw_cache (core-int.h) has a slot for each. */
typedef char pw_kinds_fit[sizeof ((struct core_pw_cache *)0)->loaded /
    sizeof (int) == PW_NKINDS ? 1 : -1];

static int
pw_kind(const char *kind)
{
	size_t	 i;

	for (i = 0; i < PW_NKINDS; i++) {
		if (strcmp(pw_kinds[i], kind) == 0)
			return (int)i;
	}
	return -1;
}

/* The policy's max_age_days and warn_days for system and kind. */
static int
pw_policy(struct store *s, struct core_pw_cache *pc, const char *system,
    const char *kind, int *max_age, int *warn, char **cause)
{
	struct core_policy	 p;
	int			 k = pw_kind(kind);

	if (strcmp(pc->system, system) != 0) {
		memset(pc, 0, sizeof *pc);
		snprintf(pc->system, sizeof pc->system, "%s", system);
	}
	if (k == -1) {		/* the schema's CHECK allows no other */
		if (core_policy_get(s, system, kind, &p, cause) != 0)
			return -1;
		*max_age = p.max_age_days;
		*warn = p.warn_days;
		return 0;
	}
	if (!pc->loaded[k]) {
		if (core_policy_get(s, system, kind, &p, cause) != 0)
			return -1;
		pc->max_age[k] = p.max_age_days;
		pc->warn[k] = p.warn_days;
		pc->loaded[k] = 1;
	}
	*max_age = pc->max_age[k];
	*warn = pc->warn[k];
	return 0;
}

/* The worst status that applies to p at now; sets p->due to go with it. */
static void
pw_judge(struct core_password *p, time_t now)
{
	int	 st = CORE_PW_OK;

	p->age_due = -1;
	if (p->max_age_days > 0 && p->set_at >= 0)
		p->age_due = p->set_at + (int64_t)p->max_age_days * 86400;
	if (p->max_age_days > 0 && p->set_at < 0)
		st = CORE_PW_UNKNOWN;
	if (p->temp_until >= 0)
		st = CORE_PW_TEMPORARY;
	if (p->age_due >= 0 && (int64_t)now >= p->age_due -
	    (int64_t)p->warn_days * 86400)
		st = CORE_PW_DUE;
	if (p->why_due[0] != '\0')
		st = CORE_PW_SHARED_DUE;
	if (p->temp_until >= 0 && (int64_t)now >= p->temp_until)
		st = CORE_PW_TEMP_EXPIRED;
	if (p->age_due >= 0 && (int64_t)now >= p->age_due)
		st = CORE_PW_OVERDUE;
	p->status = st;
	p->due = st == CORE_PW_TEMPORARY || st == CORE_PW_TEMP_EXPIRED ?
	    p->temp_until : p->age_due;
}

#define T(i)	store_col_text(st, (i))

static void
pw_row(struct store_stmt *st, struct core_password *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->system, sizeof p->system, "%s", T(0));
	snprintf(p->login, sizeof p->login, "%s", T(1));
	snprintf(p->kind, sizeof p->kind, "%s", T(2));
	snprintf(p->state, sizeof p->state, "%s", T(3));
	snprintf(p->owner, sizeof p->owner, "%s", T(4));
	p->set_at = store_col_isnull(st, 5) ? -1 : store_col_int(st, 5);
	snprintf(p->set_by, sizeof p->set_by, "%s", T(6));
	p->temp_until = store_col_isnull(st, 7) ? -1 : store_col_int(st, 7);
	p->must_change = store_col_int(st, 8) != 0;
	snprintf(p->why_due, sizeof p->why_due, "%s", T(9));
}

#undef T

int
core_password_judge(struct store *s, struct core_pw_cache *pc,
    struct core_password *p, time_t now, char **cause)
{
	if (pw_policy(s, pc, p->system, p->kind, &p->max_age_days,
	    &p->warn_days, cause) != 0)
		return -1;
	pw_judge(p, now);
	return 0;
}

int
core_password_status(struct store *s, time_t now,
    void (*cb)(void *, const struct core_password *), void *arg,
    char **cause)
{
	struct store_stmt	*st;
	struct core_pw_cache		 pc;
	struct core_password	 p;
	int			 r;

	memset(&pc, 0, sizeof pc);
	if ((st = store_prepare(s, "SELECT system, login, kind, state, "
	    "coalesce(owner, ''), password_set_at, "
	    "coalesce(password_set_by, ''), password_temp_until, must_change, "
	    "coalesce(password_due, '') FROM account WHERE state <> 'revoked' "
	    "ORDER BY system, login", cause)) == NULL)
		return -1;
	while ((r = store_step(st, cause)) == STORE_ROW) {
		pw_row(st, &p);
		if (core_password_judge(s, &pc, &p, now, cause) != 0) {
			r = -1;
			break;
		}
		cb(arg, &p);
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/* One count: the counts, and the exceptions in force. */
struct pw_countctx {
	struct core_password_counts	*c;
	struct core_exc_set		*exc;
};

static void
pw_count(void *arg, const struct core_password *p)
{
	struct pw_countctx		*x = arg;
	struct core_password_counts	*c = x->c;
	const char			*rule = NULL;

	/* A status an exception covers (its finding's rule) is not due. */
	if (p->status == CORE_PW_OVERDUE)
		rule = "password-overdue";
	else if (p->status == CORE_PW_TEMP_EXPIRED)
		rule = "temp-unchanged";
	else if (p->status == CORE_PW_SHARED_DUE)
		rule = "shared-password-due";
	if (rule != NULL && core_exceptions_match(x->exc, rule, p->system,
	    p->login, p->owner[0] != '\0' ? p->owner : NULL) != 0)
		c->covered++;
	else
		c->n[p->status]++;
	if (p->must_change)
		c->forced++;
}

int
core_password_counts(struct store *s, time_t now,
    struct core_password_counts *c, char **cause)
{
	struct pw_countctx	 x = { c, NULL };
	int			 r;

	memset(c, 0, sizeof *c);
	if ((x.exc = core_exceptions_load(s, now, cause)) == NULL)
		return -1;
	r = core_password_status(s, now, pw_count, &x, cause);
	core_exceptions_free(x.exc);
	return r;
}
