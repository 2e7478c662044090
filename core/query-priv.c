/*
 * query-priv.c -- privileged IDs as the console and the command line
 * show them: requests and activations (with the seconds left), holders
 * per system against the policy's maximum, and the register
 * (特権ID管理台帳) an auditor asks for.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

const char *const core_priv_register_head[CORE_PRIV_NFIELDS] = {
	"system", "login", "state", "renamed", "rights", "purpose", "mode",
	"manager", "holders", "grants", "password_set", "password_set_by",
	"last_review"
};

/* t as the ledger writes times (RFC 3339, UTC) into buf; "" for 0. */
static void
priv_utc(int64_t t, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	buf[0] = '\0';
	if (t == 0 || gmtime_r(&tt, &tm) == NULL)
		return;
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
priv_copy(char *dst, size_t len, struct store_stmt *st, int col)
{
	snprintf(dst, len, "%s", store_col_text(st, col));
}

int
core_priv_requests(struct store *s, const char *state, time_t now,
    void (*cb)(void *, const struct core_priv_req *), void *arg,
    size_t *count, char **cause)
{
	struct store_stmt	*st;
	struct core_priv_req	 r;
	int			 rc;

	*count = 0;
	if ((st = store_prepare(s, "SELECT idx, system, login, requester, "
	    "coalesce(approver, ''), minutes, reason, state, "
	    "coalesce(start_at, 0), coalesce(end_at, 0), coalesce(ended_by, "
	    "''), coalesce(note, '') FROM priv_request WHERE ?1 IS NULL OR "
	    "state = ?1 ORDER BY idx DESC", cause)) == NULL)
		return -1;
	if (state != NULL)
		store_bind_text(st, 1, state);
	else
		store_bind_null(st, 1);
	while ((rc = store_step(st, cause)) == STORE_ROW) {
		memset(&r, 0, sizeof r);
		r.idx = (uint64_t)store_col_int(st, 0);
		priv_copy(r.system, sizeof r.system, st, 1);
		priv_copy(r.login, sizeof r.login, st, 2);
		priv_copy(r.requester, sizeof r.requester, st, 3);
		priv_copy(r.approver, sizeof r.approver, st, 4);
		r.minutes = store_col_int(st, 5);
		priv_copy(r.reason, sizeof r.reason, st, 6);
		priv_copy(r.state, sizeof r.state, st, 7);
		r.start_at = store_col_int(st, 8);
		r.end_at = store_col_int(st, 9);
		priv_copy(r.ended_by, sizeof r.ended_by, st, 10);
		priv_copy(r.note, sizeof r.note, st, 11);
		if (strcmp(r.state, "active") == 0 && r.end_at > (int64_t)now)
			r.left = r.end_at - (int64_t)now;
		cb(arg, &r);
		(*count)++;
	}
	store_finalize(st);
	return rc == -1 ? -1 : 0;
}

int
core_priv_counts(struct store *s, int64_t *waiting, int64_t *active,
    int64_t *soonest, char **cause)
{
	struct store_stmt	*st;
	int			 rc;

	*waiting = *active = *soonest = 0;
	if ((st = store_prepare(s, "SELECT (SELECT count(*) FROM priv_request "
	    "WHERE state = 'requested'), (SELECT count(*) FROM priv_request "
	    "WHERE state = 'active'), (SELECT min(end_at) FROM priv_request "
	    "WHERE state = 'active')", cause)) == NULL)
		return -1;
	if ((rc = store_step(st, cause)) == STORE_ROW) {
		*waiting = store_col_int(st, 0);
		*active = store_col_int(st, 1);
		if (!store_col_isnull(st, 2))
			*soonest = store_col_int(st, 2);
	}
	store_finalize(st);
	return rc == STORE_ROW ? 0 : -1;
}

/* The policy's maximum on system, and the IDs in use there. */
static int
priv_system_max(struct store *s, const char *system, int *max,
    int64_t *in_use, char **cause)
{
	struct core_policy	 p;
	struct store_stmt	*st;
	int			 rc;

	if (core_policy_get(s, system, "privileged", &p, cause) != 0)
		return -1;
	*max = p.max_holders;
	if ((st = store_prepare(s, "SELECT count(*) FROM account WHERE "
	    "system = ? AND kind = 'privileged' AND state = 'active'",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	if ((rc = store_step(st, cause)) == STORE_ROW)
		*in_use = store_col_int(st, 0);
	store_finalize(st);
	return rc == STORE_ROW ? 0 : -1;
}

int
core_priv_holders(struct store *s, void (*cb)(void *,
    const struct core_priv_holder *), void *arg, size_t *count, char **cause)
{
	struct store_stmt	*st;
	struct core_priv_holder	 h;
	char			 sys[40] = "";
	int			 rc, max = 0;
	int64_t			 in_use = 0;

	*count = 0;
	/* A shared privileged ID is held by each of its users. */
	if ((st = store_prepare(s, "SELECT a.system, a.login, a.state, "
	    "coalesce(v.mode, 'standing'), coalesce(p.employee_no, ''), "
	    "coalesce(p.name_kanji, ''), coalesce(p.employment, '') FROM "
	    "account a LEFT JOIN privileged v ON v.system = a.system AND "
	    "v.login = a.login LEFT JOIN person p ON p.employee_no = a.owner "
	    "OR p.employee_no IN (SELECT u.employee_no FROM account_user u "
	    "WHERE u.system = a.system AND u.login = a.login) WHERE a.kind = "
	    "'privileged' AND a.state <> 'revoked' ORDER BY a.system, "
	    "a.login, p.employee_no", cause)) == NULL)
		return -1;
	while ((rc = store_step(st, cause)) == STORE_ROW) {
		memset(&h, 0, sizeof h);
		priv_copy(h.system, sizeof h.system, st, 0);
		if (strcmp(h.system, sys) != 0) {
			snprintf(sys, sizeof sys, "%s", h.system);
			if (priv_system_max(s, sys, &max, &in_use,
			    cause) != 0) {
				rc = -1;
				break;
			}
		}
		priv_copy(h.login, sizeof h.login, st, 1);
		priv_copy(h.state, sizeof h.state, st, 2);
		priv_copy(h.mode, sizeof h.mode, st, 3);
		priv_copy(h.owner, sizeof h.owner, st, 4);
		priv_copy(h.owner_name, sizeof h.owner_name, st, 5);
		priv_copy(h.employment, sizeof h.employment, st, 6);
		h.contractor = strcmp(h.employment, "contractor") == 0;
		h.in_use = in_use;
		h.max = max;
		h.over = max > 0 && in_use > max;
		cb(arg, &h);
		(*count)++;
	}
	store_finalize(st);
	return rc == -1 ? -1 : 0;
}

/* text appended to a growing string, "; " between items. */
static void
priv_append(char **buf, size_t *len, size_t *cap, const char *text)
{
	size_t	 n = strlen(text);

	*buf = xgrow(*buf, cap, *len + n + 3, 1);
	if (*len > 0) {
		memcpy(*buf + *len, "; ", 2);
		*len += 2;
	}
	memcpy(*buf + *len, text, n + 1);
	*len += n;
}

/* The holders of an ID: "E0000002 加藤 美咲 (staff)", "; " between. */
static int
priv_reg_holders(struct store *s, const char *system, const char *login,
    char **out, char **cause)
{
	struct store_stmt	*st;
	size_t			 len = 0, cap = 0;
	char			*one;
	int			 rc;

	*out = NULL;
	if ((st = store_prepare(s, "SELECT p.employee_no, p.name_kanji, "
	    "p.employment FROM account a JOIN person p ON p.employee_no = "
	    "a.owner OR p.employee_no IN (SELECT u.employee_no FROM "
	    "account_user u WHERE u.system = a.system AND u.login = a.login) "
	    "WHERE a.system = ? AND a.login = ? ORDER BY p.employee_no",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	while ((rc = store_step(st, cause)) == STORE_ROW) {
		xasprintf(&one, "%s %s (%s)", store_col_text(st, 0),
		    store_col_text(st, 1), strcmp(store_col_text(st, 2),
		    "contractor") == 0 ? "contractor" : "staff");
		priv_append(out, &len, &cap, one);
		free(one);
	}
	store_finalize(st);
	if (*out == NULL)
		*out = xstrdup("");
	return rc == -1 ? -1 : 0;
}

/* The time of entry idx, for a grant ended early. */
struct priv_time {
	char	 time[32];
};

static void
priv_entry_time_cb(void *arg, const struct store_entry *e)
{
	struct priv_time	*t = arg;

	snprintf(t->time, sizeof t->time, "%s", e->time);
}

/* One grant: "START..END requester/approver (state)". */
static int
priv_reg_grant(struct store *s, struct store_stmt *st, char **one,
    char **cause)
{
	struct priv_time	 t = { "" };
	char			 start[32], end[32];
	uint64_t		 ended;

	priv_utc(store_col_int(st, 0), start, sizeof start);
	priv_utc(store_col_int(st, 1), end, sizeof end);
	/* Ended early: the end is the entry that ended it. */
	if (strcmp(store_col_text(st, 4), "ended") == 0 &&
	    !store_col_isnull(st, 5)) {
		ended = (uint64_t)store_col_int(st, 5);
		if (core_entries_at(s, &ended, 1, priv_entry_time_cb, &t,
		    cause) != 0)
			return -1;
		snprintf(end, sizeof end, "%s", t.time);
	}
	xasprintf(one, "%s..%s requested by %s, approved by %s (%s)", start,
	    end, store_col_text(st, 2), store_col_text(st, 3),
	    store_col_text(st, 4));
	return 0;
}

/* The grants of an ID, oldest first, "; " between. */
static int
priv_reg_grants(struct store *s, const char *system, const char *login,
    char **out, char **cause)
{
	struct store_stmt	*st;
	size_t			 len = 0, cap = 0;
	char			*one;
	int			 rc;

	*out = NULL;
	if ((st = store_prepare(s, "SELECT start_at, end_at, requester, "
	    "approver, state, ended_idx FROM priv_request WHERE system = ? AND "
	    "login = ? AND start_at IS NOT NULL ORDER BY idx", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	while ((rc = store_step(st, cause)) == STORE_ROW) {
		if (priv_reg_grant(s, st, &one, cause) != 0) {
			rc = -1;
			break;
		}
		priv_append(out, &len, &cap, one);
		free(one);
	}
	store_finalize(st);
	if (*out == NULL)
		*out = xstrdup("");
	return rc == -1 ? -1 : 0;
}

static const char *
priv_mode_word(const char *mode)
{
	if (strcmp(mode, "jit") == 0)
		return "time-limited";
	return mode;
}

/* The row of st (core_priv_register's query) to cb. */
static int
priv_reg_row(struct store *s, struct store_stmt *st, void (*cb)(void *,
    const struct core_priv_entry *), void *arg, char **cause)
{
	struct core_priv_entry	 e;
	char			 set[32], manager[300], *holders, *grants;
	int			 r = -1;

	memset(&e, 0, sizeof e);
	e.system = store_col_text(st, 0);
	e.login = store_col_text(st, 1);
	if (priv_reg_holders(s, e.system, e.login, &holders, cause) != 0)
		return -1;
	if (priv_reg_grants(s, e.system, e.login, &grants, cause) != 0)
		goto out;
	e.state = store_col_text(st, 2);
	e.renamed = store_col_int(st, 3) != 0;
	e.rights = store_col_text(st, 4);
	e.purpose = store_col_text(st, 5);
	e.mode = priv_mode_word(store_col_text(st, 6));
	if (store_col_text(st, 7)[0] != '\0')
		snprintf(manager, sizeof manager, "%s %s",
		    store_col_text(st, 7), store_col_text(st, 8));
	else
		manager[0] = '\0';
	e.manager = manager;
	e.holders = holders;
	e.grants = grants;
	priv_utc(store_col_int(st, 9), set, sizeof set);
	e.password_set = set;
	e.password_set_by = store_col_text(st, 10);
	e.reviewed = store_col_isnull(st, 11) ? "" : store_col_text(st, 11);
	cb(arg, &e);
	r = 0;
out:
	free(holders);
	free(grants);
	return r;
}

int
core_priv_register(struct store *s, void (*cb)(void *,
    const struct core_priv_entry *), void *arg, size_t *count, char **cause)
{
	struct store_stmt	*st;
	int			 rc;

	*count = 0;
	/* An ID from before the register has no row: standing, as it was. */
	if ((st = store_prepare(s, "SELECT a.system, a.login, a.state, "
	    "coalesce(v.renamed, 0), coalesce(v.rights, ''), "
	    "coalesce(v.purpose, ''), coalesce(v.mode, 'standing'), "
	    "coalesce(v.manager, ''), coalesce(m.name_kanji, ''), "
	    "coalesce(a.password_set_at, 0), coalesce(a.password_set_by, ''), "
	    "v.reviewed_idx FROM account a LEFT JOIN privileged v ON v.system "
	    "= a.system AND v.login = a.login LEFT JOIN person m ON "
	    "m.employee_no = v.manager WHERE a.kind = 'privileged' ORDER BY "
	    "a.system, a.login", cause)) == NULL)
		return -1;
	while ((rc = store_step(st, cause)) == STORE_ROW) {
		if (priv_reg_row(s, st, cb, arg, cause) != 0) {
			rc = -1;
			break;
		}
		(*count)++;
	}
	store_finalize(st);
	return rc == -1 ? -1 : 0;
}

void
core_priv_entry_fields(const struct core_priv_entry *e,
    const char *f[CORE_PRIV_NFIELDS])
{
	f[0] = e->system;
	f[1] = e->login;
	f[2] = e->state;
	f[3] = e->renamed ? "yes" : "no";
	f[4] = e->rights;
	f[5] = e->purpose;
	f[6] = e->mode;
	f[7] = e->manager;
	f[8] = e->holders;
	f[9] = e->grants;
	f[10] = e->password_set;
	f[11] = e->password_set_by;
	f[12] = e->reviewed;
}
