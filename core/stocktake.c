/*
 * stocktake.c -- the quarterly ID stocktake (棚卸し) as the console and
 * the command line show it: campaigns, their items through a filter,
 * progress, the per-department chart, the periodic inspection per
 * system, and whether a campaign is due this quarter.
 *
 * Everything here reads the projections stocktake and stocktake_item
 * (action-stocktake.c fills them); nothing writes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

const char *const core_stocktake_decisions[CORE_STOCKTAKE_NDECISIONS] = {
	"keep", "change", "suspend", "revoke", "investigate"
};
const char *const core_stocktake_decisions_ja[CORE_STOCKTAKE_NDECISIONS] = {
	"継続", "変更", "停止", "削除", "要調査"
};
const char *const core_stocktake_states[CORE_STOCKTAKE_NSTATES] = {
	"pending", "active", "suspended", "locked", "dormant", "expired",
	"revoked"
};

static void
stk_copy(char *dst, size_t len, struct store_stmt *st, int col)
{
	snprintf(dst, len, "%s", store_col_text(st, col));
}

#define STK_COLS "idx, coalesce(title, ''), scope, deadline, snapshot, " \
	"items, (SELECT count(*) FROM stocktake_item i WHERE i.campaign = " \
	"s.idx AND i.decision IS NOT NULL), state, started_by, started_at, " \
	"coalesce(defaulted_idx, 0), coalesce(closed_idx, 0), " \
	"coalesce(closed_by, ''), coalesce(closed_approver, ''), " \
	"coalesce(closed_at, 0) FROM stocktake s"

static void
stk_row(struct store_stmt *st, struct core_stocktake *c)
{
	memset(c, 0, sizeof *c);
	c->idx = (uint64_t)store_col_int(st, 0);
	stk_copy(c->title, sizeof c->title, st, 1);
	stk_copy(c->scope, sizeof c->scope, st, 2);
	c->deadline = store_col_int(st, 3);
	stk_copy(c->snapshot, sizeof c->snapshot, st, 4);
	c->items = store_col_int(st, 5);
	c->decided = store_col_int(st, 6);
	stk_copy(c->state, sizeof c->state, st, 7);
	stk_copy(c->started_by, sizeof c->started_by, st, 8);
	c->started_at = store_col_int(st, 9);
	c->defaulted_idx = (uint64_t)store_col_int(st, 10);
	c->closed_idx = (uint64_t)store_col_int(st, 11);
	stk_copy(c->closed_by, sizeof c->closed_by, st, 12);
	stk_copy(c->closed_approver, sizeof c->closed_approver, st, 13);
	c->closed_at = store_col_int(st, 14);
}

int
core_stocktake_list(struct store *s, void (*cb)(void *,
    const struct core_stocktake *), void *arg, size_t *count, char **cause)
{
	struct store_stmt	*st;
	struct core_stocktake	 c;
	int			 r;

	*count = 0;
	if ((st = store_prepare(s, "SELECT " STK_COLS " ORDER BY idx DESC",
	    cause)) == NULL)
		return -1;
	while ((r = store_step(st, cause)) == STORE_ROW) {
		stk_row(st, &c);
		cb(arg, &c);
		(*count)++;
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

int
core_stocktake_get(struct store *s, uint64_t idx, struct core_stocktake *c,
    char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, "SELECT " STK_COLS " WHERE idx = ?",
	    cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)idx);
	if ((r = store_step(st, cause)) == STORE_ROW)
		stk_row(st, c);
	store_finalize(st);
	if (r == -1)
		return -1;
	return r == STORE_ROW ? 0 : 1;
}

/* The filter's keys, by the field of the struct each sets. */
static const struct {
	const char	*key;
	size_t		 off;
} stk_keys[] = {
	{ "system", offsetof(struct core_stocktake_filter, system) },
	{ "department", offsetof(struct core_stocktake_filter, department) },
	{ "kind", offsetof(struct core_stocktake_filter, kind) },
	{ "state", offsetof(struct core_stocktake_filter, state) },
	{ "recommendation",
	    offsetof(struct core_stocktake_filter, recommendation) },
	{ "finding", offsetof(struct core_stocktake_filter, finding) },
};

static int
stk_filter_item(struct core_stocktake_filter *f, char *key, char *val,
    char **cause)
{
	size_t	 i;

	if (strcmp(key, "decided") == 0) {
		if (strcmp(val, "yes") == 0)
			f->decided = 1;
		else if (strcmp(val, "no") == 0)
			f->decided = 0;
		else {
			xasprintf(cause, _("filter: decided is yes or no"));
			return -1;
		}
		return 0;
	}
	for (i = 0; i < sizeof stk_keys / sizeof stk_keys[0]; i++) {
		if (strcmp(key, stk_keys[i].key) == 0) {
			*(const char **)((char *)f + stk_keys[i].off) = val;
			break;
		}
	}
	if (i == sizeof stk_keys / sizeof stk_keys[0]) {
		xasprintf(cause, _("filter: unknown key \"%.32s\" (system, "
		    "department, kind, state, recommendation, finding, "
		    "decided)"), key);
		return -1;
	}
	if (strcmp(key, "recommendation") == 0 && strcmp(val, "keep") != 0 &&
	    strcmp(val, "revoke") != 0) {
		xasprintf(cause, _("filter: recommendation is keep or revoke"));
		return -1;
	}
	if (strcmp(key, "finding") == 0 && core_findings_rule(val) < 0) {
		xasprintf(cause, _("filter: no findings rule is named "
		    "\"%.64s\""), val);
		return -1;
	}
	return 0;
}

int
core_stocktake_filter_parse(const char *text, struct core_stocktake_filter *f,
    char **cause)
{
	char	*p, *comma, *eq;

	memset(f, 0, sizeof *f);
	f->decided = -1;
	if (text == NULL || *text == '\0')
		return 0;
	if (strlen(text) >= sizeof f->buf) {
		xasprintf(cause, _("filter: longer than %zu bytes"),
		    sizeof f->buf - 1);
		return -1;
	}
	memcpy(f->buf, text, strlen(text) + 1);
	for (p = f->buf; p != NULL; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if ((eq = strchr(p, '=')) == NULL || eq == p ||
		    eq[1] == '\0') {
			xasprintf(cause, _("filter: \"%.64s\" is not "
			    "key=value"), p);
			return -1;
		}
		*eq = '\0';
		if (stk_filter_item(f, p, eq + 1, cause) != 0)
			return -1;
	}
	return 0;
}

/* Whether name is one of the comma-separated names of list. */
static int
stk_in_list(const char *list, const char *name)
{
	size_t		 n = strlen(name);
	const char	*p;

	if (n == 0)
		return 0;
	for (p = list; (p = strstr(p, name)) != NULL; p += n) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' ||
		    p[n] == '\0'))
			return 1;
	}
	return 0;
}

int
core_stocktake_filter_match(const struct core_stocktake_filter *f,
    const struct core_stocktake_item *it)
{
	if (f == NULL)
		return 1;
	if ((f->system != NULL && strcmp(f->system, it->system) != 0) ||
	    (f->kind != NULL && strcmp(f->kind, it->kind) != 0) ||
	    (f->state != NULL && strcmp(f->state, it->state) != 0) ||
	    (f->recommendation != NULL &&
	    strcmp(f->recommendation, it->recommendation) != 0))
		return 0;
	/* A shared ID's department is its users', comma-separated. */
	if (f->department != NULL &&
	    !stk_in_list(it->id_department, f->department) &&
	    strcmp(f->department, it->hr_department) != 0)
		return 0;
	if (f->finding != NULL && !stk_in_list(it->findings, f->finding))
		return 0;
	if (f->decided != -1 && f->decided != (it->decision[0] != '\0'))
		return 0;
	return 1;
}

#define ITEM_COLS "campaign, system, login, kind, state, " \
	"coalesce(owner, ''), coalesce(owner_name, ''), " \
	"coalesce(id_department, ''), coalesce(hr_department, ''), " \
	"coalesce(hr_status, ''), coalesce(employment, ''), " \
	"coalesce(transfer_date, ''), coalesce(rights, ''), " \
	"coalesce(granted_idx, 0), coalesce(end_date, ''), " \
	"coalesce(last_use, -1), coalesce(password_set_at, -1), findings, " \
	"coalesce(exception, 0), recommendation, coalesce(decision, ''), " \
	"coalesce(reason, ''), coalesce(decided_by, ''), " \
	"coalesce(decided_idx, 0), coalesce(decided_at, 0), " \
	"coalesce(corrected_idx, 0), coalesce(confirmed_by, '') " \
	"FROM stocktake_item"

/* An item from a row of ITEM_COLS; its strings are the statement's. */
void
core_stocktake_item_row(struct store_stmt *st, struct core_stocktake_item *it)
{
#define T(i)	store_col_text(st, i)
	it->campaign = (uint64_t)store_col_int(st, 0);
	it->system = T(1);
	it->login = T(2);
	it->kind = T(3);
	it->state = T(4);
	it->owner = T(5);
	it->owner_name = T(6);
	it->id_department = T(7);
	it->hr_department = T(8);
	it->hr_status = T(9);
	it->employment = T(10);
	it->transfer_date = T(11);
	it->rights = T(12);
	it->granted_idx = (uint64_t)store_col_int(st, 13);
	it->end_date = T(14);
	it->last_use = store_col_int(st, 15);
	it->password_set_at = store_col_int(st, 16);
	it->findings = T(17);
	it->exception = (long long)store_col_int(st, 18);
	it->recommendation = T(19);
	it->decision = T(20);
	it->reason = T(21);
	it->decided_by = T(22);
	it->decided_idx = (uint64_t)store_col_int(st, 23);
	it->decided_at = store_col_int(st, 24);
	it->corrected_idx = (uint64_t)store_col_int(st, 25);
	it->confirmed_by = T(26);
#undef T
}

int
core_stocktake_items_each(struct store *s, uint64_t campaign,
    const struct core_stocktake_filter *f, void (*cb)(void *,
    const struct core_stocktake_item *), void *arg, size_t *count,
    char **cause)
{
	struct store_stmt		*st;
	struct core_stocktake_item	 it;
	int				 r;

	*count = 0;
	/* The system narrows the scan by the key; the rest is matched. */
	if ((st = store_prepare(s, "SELECT " ITEM_COLS " WHERE campaign = ?1 "
	    "AND (?2 IS NULL OR system = ?2) ORDER BY system, login",
	    cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)campaign);
	if (f != NULL && f->system != NULL)
		store_bind_text(st, 2, f->system);
	else
		store_bind_null(st, 2);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		core_stocktake_item_row(st, &it);
		if (!core_stocktake_filter_match(f, &it))
			continue;
		cb(arg, &it);
		(*count)++;
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

int
core_stocktake_items_load(struct store *s, uint64_t campaign,
    const char *filter, void (*cb)(void *, const struct core_stocktake_item *),
    void *arg, size_t *count, char **cause)
{
	struct core_stocktake_filter	 f;
	struct core_stocktake		 c;
	int				 r;

	*count = 0;
	if (core_stocktake_filter_parse(filter, &f, cause) != 0)
		return -1;
	if ((r = core_stocktake_get(s, campaign, &c, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, _("there is no stocktake %llu"),
			    (unsigned long long)campaign);
		return -1;
	}
	return core_stocktake_items_each(s, campaign, &f, cb, arg, count,
	    cause);
}

int
core_stocktake_progress(struct store *s, uint64_t campaign, int64_t *decided,
    int64_t *total, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	*decided = *total = 0;
	/* The items the start applied; the decided ones from their index. */
	if ((st = store_prepare(s, "SELECT (SELECT items FROM stocktake WHERE "
	    "idx = ?1), (SELECT count(*) FROM stocktake_item WHERE campaign = "
	    "?1 AND decision IS NOT NULL)", cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)campaign);
	if ((r = store_step(st, cause)) == STORE_ROW) {
		*total = store_col_int(st, 0);
		*decided = store_col_int(st, 1);
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

static int
stk_word(const char *const *words, int n, const char *w)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(words[i], w) == 0)
			return i;
	}
	return -1;
}

int
core_stocktake_chart(struct store *s, uint64_t campaign,
    struct core_stocktake_bar **out, size_t *n, char **cause)
{
	struct store_stmt	*st;
	struct core_stocktake_bar *b = NULL;
	size_t			 cap = 0;
	int			 r, i;

	*out = NULL;
	*n = 0;
	if ((st = store_prepare(s, "SELECT CASE WHEN coalesce(id_department, "
	    "'') <> '' THEN id_department WHEN coalesce(hr_department, '') "
	    "<> '' THEN hr_department ELSE '-' END AS d, state, "
	    "coalesce(decision, ''), count(*) FROM stocktake_item WHERE "
	    "campaign = ? GROUP BY d, state, decision ORDER BY d", cause)) ==
	    NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)campaign);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		if (*n == 0 || strcmp(b[*n - 1].department,
		    store_col_text(st, 0)) != 0) {
			b = xgrow(b, &cap, *n + 1, sizeof *b);
			memset(&b[*n], 0, sizeof *b);
			stk_copy(b[*n].department, sizeof b->department, st, 0);
			(*n)++;
		}
		b[*n - 1].total += store_col_int(st, 3);
		if ((i = stk_word(core_stocktake_states,
		    CORE_STOCKTAKE_NSTATES, store_col_text(st, 1))) >= 0)
			b[*n - 1].state[i] += store_col_int(st, 3);
		if ((i = stk_word(core_stocktake_decisions,
		    CORE_STOCKTAKE_NDECISIONS, store_col_text(st, 2))) < 0)
			i = CORE_STOCKTAKE_NDECISIONS;
		b[*n - 1].decision[i] += store_col_int(st, 3);
	}
	store_finalize(st);
	if (r == -1) {
		free(b);
		*n = 0;
		return -1;
	}
	*out = b;
	return 0;
}

/*
 * The unix time of y-m-d 00:00 in zone (a tz database name); mktime
 * reads TZ, set for the call and put back (core runs on one thread).
 */
int64_t
core_stocktake_day_start(int y, int m, int d, const char *zone)
{
	struct tm	 tm;
	char		*old = NULL, *tz;
	time_t		 t;

	if ((tz = getenv("TZ")) != NULL)
		old = xstrdup(tz);
	xasprintf(&tz, ":%s", zone);
	setenv("TZ", tz, 1);
	tzset();
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(tz);
	free(old);
	return (int64_t)t;
}

/* now's date in zone, as year, month and day. */
static void
stk_local_day(time_t now, const char *zone, int *y, int *m, int *d)
{
	struct tm	 tm;
	char		*old = NULL, *tz;

	if ((tz = getenv("TZ")) != NULL)
		old = xstrdup(tz);
	xasprintf(&tz, ":%s", zone);
	setenv("TZ", tz, 1);
	tzset();
	localtime_r(&now, &tm);
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(tz);
	free(old);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

int
core_stocktake_due(struct store *s, time_t now, int *due, char *quarter,
    char **cause)
{
	struct core_policy	 p;
	struct store_stmt	*st;
	int64_t			 start;
	int			 y, m, d, r;

	*due = 0;
	quarter[0] = '\0';
	if (core_policy_get(s, NULL, NULL, &p, cause) != 0)
		return -1;
	stk_local_day(now, p.timezone, &y, &m, &d);
	m = 1 + (m - 1) / 3 * 3;		/* Jan, Apr, Jul, Oct */
	snprintf(quarter, 11, "%04u-%02u-01", (unsigned)y % 10000,
	    (unsigned)m % 100);
	start = core_stocktake_day_start(y, m, 1, p.timezone);
	if ((st = store_prepare(s, "SELECT 1 FROM stocktake WHERE started_at "
	    ">= ? LIMIT 1", cause)) == NULL)
		return -1;
	store_bind_int(st, 1, start);
	r = store_step(st, cause);
	store_finalize(st);
	if (r == -1)
		return -1;
	*due = r != STORE_ROW;
	return 0;
}

/* One system's inspection being counted. */
struct stk_insp {
	struct store	*s;
	struct core_stocktake_inspection cur;
	int64_t		 start;			/* the campaign's start */
	void		(*cb)(void *, const struct core_stocktake_inspection *);
	void		*arg;
	int		 failed;
	char		*why;
	char		 kinds[8][12];		/* the system's kinds seen */
	int		 age[8];		/* and their max_age_days */
	size_t		 nkinds;
};

static void
stk_insp_flush(struct stk_insp *x)
{
	struct core_policy	 p;

	if (x->cur.system[0] == '\0')
		return;
	if (core_policy_get(x->s, x->cur.system, "personal", &p,
	    x->failed ? NULL : &x->why) != 0) {
		x->failed = 1;
		return;
	}
	x->cur.max_age_days = p.max_age_days;
	x->cur.history = p.history;
	x->cur.conforms = p.history > 0 && x->cur.pw_overdue == 0;
	x->cb(x->arg, &x->cur);
	memset(&x->cur, 0, sizeof x->cur);
	x->nkinds = 0;
}

static void
stk_insp_item(void *arg, const struct core_stocktake_item *it)
{
	struct stk_insp		*x = arg;
	struct core_policy	 p;
	char			*why = NULL;
	size_t			 k;

	if (strcmp(x->cur.system, it->system) != 0) {
		stk_insp_flush(x);
		snprintf(x->cur.system, sizeof x->cur.system, "%s",
		    it->system);
	}
	x->cur.ids++;
	if (strcmp(it->recommendation, "revoke") == 0)
		x->cur.unnecessary++;
	if (stk_in_list(it->findings, "mover-old-access") ||
	    strcmp(it->decision, "change") == 0)
		x->cur.unnecessary_rights++;
	if (strcmp(it->kind, "privileged") == 0)
		x->cur.privileged++;
	if (strcmp(it->state, "revoked") == 0)
		return;
	if (it->password_set_at < 0) {
		x->cur.pw_unknown++;
		return;
	}
	/* The ID's own kind's limit, read once per system and kind. */
	for (k = 0; k < x->nkinds; k++) {
		if (strcmp(x->kinds[k], it->kind) == 0)
			break;
	}
	if (k == x->nkinds) {
		if (k == sizeof x->kinds / sizeof x->kinds[0] ||
		    core_policy_get(x->s, it->system, it->kind, &p,
		    &why) != 0) {
			free(why);
			return;
		}
		snprintf(x->kinds[k], sizeof x->kinds[k], "%s", it->kind);
		x->age[k] = p.max_age_days;
		x->nkinds++;
	}
	if (x->age[k] > 0 && it->password_set_at +
	    (int64_t)x->age[k] * 86400 < x->start)
		x->cur.pw_overdue++;
}

int
core_stocktake_inspection(struct store *s, uint64_t campaign,
    void (*cb)(void *, const struct core_stocktake_inspection *), void *arg,
    char **cause)
{
	struct stk_insp		 x;
	struct core_stocktake	 c;
	size_t			 n;
	int			 r;

	if ((r = core_stocktake_get(s, campaign, &c, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, _("there is no stocktake %llu"),
			    (unsigned long long)campaign);
		return -1;
	}
	memset(&x, 0, sizeof x);
	x.s = s;
	x.start = c.started_at;
	x.cb = cb;
	x.arg = arg;
	if (core_stocktake_items_each(s, campaign, NULL, stk_insp_item, &x,
	    &n, cause) != 0)
		return -1;
	stk_insp_flush(&x);
	if (x.failed) {
		*cause = x.why != NULL ? x.why :
		    xstrdup(_("policy unreadable"));
		return -1;
	}
	return 0;
}
