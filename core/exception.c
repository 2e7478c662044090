/*
 * exception.c -- exceptions to policy (例外措置): the rules an exception
 * may name, the exceptions in force at one time (what findings and the
 * refusals of priv.request and priv.approve consult), the queries of the
 * Exceptions screen and the command line, the register (例外措置台帳) an
 * auditor asks for, and the sweep that expires what has ended.
 *
 * An exception names one rule: a findings rule (findings.c) or one of
 * the refusals below, each with the clause of the policy it lifts.  The
 * set in force is loaded once per run (findings, one validation) and
 * matched in memory: a person's scope is expanded to the IDs they own at
 * load time, so matching needs no query.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

const struct core_refusal core_refusals[CORE_REFUSALS_N] = {
	{ "priv-outside-hours", "priv.request", "対策基準 §8(2)② (横浜市 "
	    "§7(3))", N_("a privileged ID asked for outside the policy's "
	    "allowed_hours") },
	{ "priv-over-cap", "priv.request", "対策基準 §8(2)② (横浜市 §7(3))",
	    N_("a privileged ID asked for more minutes than the policy's "
	    "priv_cap_minutes") },
	{ "privileged-over-max", "priv.approve", "対策基準 §8(2)② (横浜市 "
	    "§7(3)(4))", N_("an activation approved above the policy's "
	    "max_holders for the system") },
};

/* The findings rule an exception may never name: its own. */
#define EXC_OWN_RULE	"exception-report-overdue"

int
core_exception_rule_ok(const char *rule, char **cause)
{
	char	*list = NULL, *next;
	int	 i;

	if (strcmp(rule, EXC_OWN_RULE) != 0 &&
	    core_findings_rule(rule) != -1)
		return 0;
	for (i = 0; i < CORE_REFUSALS_N; i++) {
		if (strcmp(core_refusals[i].name, rule) == 0)
			return 0;
	}
	for (i = 0; i < CORE_FINDINGS_NRULES; i++) {
		if (strcmp(core_findings_rules[i].name, EXC_OWN_RULE) == 0)
			continue;
		xasprintf(&next, "%s%s%s", list != NULL ? list : "",
		    list != NULL ? ", " : "", core_findings_rules[i].name);
		free(list);
		list = next;
	}
	for (i = 0; i < CORE_REFUSALS_N; i++) {
		/* privileged-over-max is both a finding and a refusal */
		if (core_findings_rule(core_refusals[i].name) != -1)
			continue;
		xasprintf(&next, "%s, %s", list, core_refusals[i].name);
		free(list);
		list = next;
	}
	xasprintf(cause, _("no rule \"%.40s\" an exception may name; the rules "
	    "are: %s"), rule, list);
	free(list);
	return -1;
}

const char *
core_exception_clause(const char *rule)
{
	int	 i;

	if ((i = core_findings_rule(rule)) != -1)
		return core_findings_rules[i].clause;
	for (i = 0; i < CORE_REFUSALS_N; i++) {
		if (strcmp(core_refusals[i].name, rule) == 0)
			return core_refusals[i].clause;
	}
	return "";
}

/* --- the scope --- */

int
core_exc_scope_each(const char *act, const char *scope,
    int (*cb)(void *, const struct core_exc_item *, char **), void *arg,
    char **cause)
{
	struct core_exc_item	 it;
	const char	*p = scope, *end, *colon;
	size_t		 len, n = 0;
	int		 ok;

	for (;; p = end + 1) {
		end = p + strcspn(p, ",");
		len = (size_t)(end - p);
		memset(&it, 0, sizeof it);
		ok = 0;
		if (len > 3 && strncmp(p, "id:", 3) == 0 &&
		    (colon = memchr(p + 3, ':', len - 3)) != NULL &&
		    colon > p + 3 && colon + 1 < end &&
		    (size_t)(colon - p - 3) < sizeof it.system &&
		    (size_t)(end - colon - 1) < sizeof it.login) {
			memcpy(it.system, p + 3, (size_t)(colon - p - 3));
			memcpy(it.login, colon + 1, (size_t)(end - colon - 1));
			ok = 1;
		} else if (len > 7 && strncmp(p, "system:", 7) == 0 &&
		    len - 7 < sizeof it.system) {
			memcpy(it.system, p + 7, len - 7);
			ok = 1;
		} else if (len > 7 && strncmp(p, "person:", 7) == 0 &&
		    len - 7 < sizeof it.person) {
			memcpy(it.person, p + 7, len - 7);
			ok = 1;
		}
		if (!ok || ++n > CORE_EXC_SCOPE_MAX) {
			xasprintf(cause, _("%s: scope item \"%.*s\" is not "
			    "one of id:SYSTEM:LOGIN, system:SYSTEM, "
			    "person:EMPLOYEE_NO (comma-separated, at most "
			    "%d)"), act, (int)(len > 60 ? 60 : len), p,
			    CORE_EXC_SCOPE_MAX);
			return -1;
		}
		if (cb(arg, &it, cause) != 0)
			return -1;
		if (*end == '\0')
			return 0;
	}
}

/* --- times in the policy's zone --- */

/* Run with TZ set to zone (a tz database name) and put back after. */
struct exc_tz {
	char	*old;
	int	 had;
};

static void
exc_tz_set(struct exc_tz *z, const char *zone)
{
	char	*tz;

	/* glibc knows a named zone only through TZ; core is one thread. */
	z->old = (tz = getenv("TZ")) != NULL ? xstrdup(tz) : NULL;
	z->had = tz != NULL;
	xasprintf(&tz, ":%s", zone);
	setenv("TZ", tz, 1);
	free(tz);
	tzset();
}

static void
exc_tz_back(struct exc_tz *z)
{
	if (z->had)
		setenv("TZ", z->old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(z->old);
}

int
core_exc_policy(struct store *s, char *zone, size_t len, int *days,
    char **cause)
{
	struct core_policy	 p;

	if (core_policy_get(s, NULL, NULL, &p, cause) != 0)
		return -1;
	snprintf(zone, len, "%s", p.timezone);
	if (days != NULL)
		*days = p.exception_report_days;
	return 0;
}

int
core_exc_day(const char *v, const char *zone, int end, time_t *t)
{
	char	*cause = NULL;
	int	 r;

	/* The one reader of the days people give (policy.c); the callers
	 * word their own error. */
	r = core_day_parse_zone(zone, v, end, t, &cause);
	free(cause);
	return r;
}

void
core_exc_when(int64_t t, const char *zone, char *buf, size_t len)
{
	struct exc_tz	 z;
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	buf[0] = '\0';
	if (t == 0)
		return;
	exc_tz_set(&z, zone);
	if (localtime_r(&tt, &tm) != NULL)
		strftime(buf, len, "%Y-%m-%d %H:%M %z", &tm);
	exc_tz_back(&z);
}

/* --- the set in force --- */

struct exc_item {
	long long	 idx;
	char		*rule, *system, *login, *person;
};

struct core_exc_set {
	struct exc_item	*v;
	size_t		 n;
};

struct core_exc_set *
core_exceptions_load(struct store *s, time_t t, char **cause)
{
	struct core_exc_set	*set = xcalloc(1, sizeof *set);
	struct store_stmt	*st;
	size_t			 cap = 0;
	int			 r;

	/* Each scope item, and a person's items again as their IDs. */
	if ((st = store_prepare(s, "WITH e AS (SELECT idx, rule FROM "
	    "exception WHERE state IN ('approved', 'emergency', 'reported') "
	    "AND start_at <= ?1 AND ?1 < end_at) "
	    "SELECT e.idx, e.rule, x.system, x.login, x.person FROM e JOIN "
	    "exception_scope x ON x.exception = e.idx "
	    "UNION ALL SELECT e.idx, e.rule, a.system, a.login, '' FROM e "
	    "JOIN exception_scope x ON x.exception = e.idx JOIN account a ON "
	    "a.owner = x.person WHERE x.person <> '' ORDER BY 1", cause)) ==
	    NULL) {
		free(set);
		return NULL;
	}
	store_bind_int(st, 1, (int64_t)t);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		set->v = xgrow(set->v, &cap, set->n + 1, sizeof *set->v);
		set->v[set->n].idx = (long long)store_col_int(st, 0);
		set->v[set->n].rule = xstrdup(store_col_text(st, 1));
		set->v[set->n].system = xstrdup(store_col_text(st, 2));
		set->v[set->n].login = xstrdup(store_col_text(st, 3));
		set->v[set->n].person = xstrdup(store_col_text(st, 4));
		set->n++;
	}
	store_finalize(st);
	if (r == -1) {
		core_exceptions_free(set);
		return NULL;
	}
	return set;
}

long long
core_exceptions_match(const struct core_exc_set *set, const char *rule,
    const char *system, const char *login, const char *person)
{
	const struct exc_item	*x;
	size_t			 i;

	if (set == NULL)
		return 0;
	for (i = 0; i < set->n; i++) {
		x = &set->v[i];
		if (strcmp(x->rule, rule) != 0)
			continue;
		if (x->person[0] != '\0') {
			if (person != NULL && strcmp(x->person, person) == 0)
				return x->idx;
			continue;
		}
		if (system == NULL || strcmp(x->system, system) != 0)
			continue;
		/* a whole system, or the one ID */
		if (x->login[0] == '\0' || (login != NULL &&
		    strcmp(x->login, login) == 0))
			return x->idx;
	}
	return 0;
}

void
core_exceptions_free(struct core_exc_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++) {
		free(set->v[i].rule);
		free(set->v[i].system);
		free(set->v[i].login);
		free(set->v[i].person);
	}
	free(set->v);
	free(set);
}

/* --- queries --- */

#define EXC_COLUMNS							\
	"idx, kind, rule, state, scope, reason, coalesce(measure, ''), "	\
	"coalesce(alternative, ''), coalesce(risk, ''), start_at, end_at, "	\
	"coalesce(requested_at, 0), requester, coalesce(approver, ''), "	\
	"coalesce(decided_at, 0), coalesce(comment, ''), "		\
	"coalesce(report_due, 0), coalesce(reported_at, 0), "		\
	"coalesce(report, ''), coalesce(ended_idx, 0), "		\
	"coalesce(end_note, '') FROM exception"

static void
exc_copy(char *dst, size_t len, struct store_stmt *st, int col)
{
	snprintf(dst, len, "%s", store_col_text(st, col));
}

static void
exc_row(struct store_stmt *st, struct core_exception *x)
{
	memset(x, 0, sizeof *x);
	x->idx = (uint64_t)store_col_int(st, 0);
	exc_copy(x->kind, sizeof x->kind, st, 1);
	exc_copy(x->rule, sizeof x->rule, st, 2);
	exc_copy(x->state, sizeof x->state, st, 3);
	exc_copy(x->scope, sizeof x->scope, st, 4);
	exc_copy(x->reason, sizeof x->reason, st, 5);
	exc_copy(x->measure, sizeof x->measure, st, 6);
	exc_copy(x->alternative, sizeof x->alternative, st, 7);
	exc_copy(x->risk, sizeof x->risk, st, 8);
	x->start_at = store_col_int(st, 9);
	x->end_at = store_col_int(st, 10);
	x->requested_at = store_col_int(st, 11);
	exc_copy(x->requester, sizeof x->requester, st, 12);
	exc_copy(x->approver, sizeof x->approver, st, 13);
	x->decided_at = store_col_int(st, 14);
	exc_copy(x->comment, sizeof x->comment, st, 15);
	x->report_due = store_col_int(st, 16);
	x->reported_at = store_col_int(st, 17);
	exc_copy(x->report, sizeof x->report, st, 18);
	x->ended_idx = (uint64_t)store_col_int(st, 19);
	exc_copy(x->end_note, sizeof x->end_note, st, 20);
}

int
core_exception_list(struct store *s, const char *state,
    void (*cb)(void *, const struct core_exception *), void *arg,
    size_t *count, char **cause)
{
	struct store_stmt	*st;
	struct core_exception	*x;
	int			 r;

	*count = 0;
	if ((st = store_prepare(s, "SELECT " EXC_COLUMNS " WHERE ?1 IS NULL "
	    "OR state = ?1 ORDER BY idx DESC", cause)) == NULL)
		return -1;
	if (state != NULL)
		store_bind_text(st, 1, state);
	else
		store_bind_null(st, 1);
	x = xmalloc(sizeof *x);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		exc_row(st, x);
		cb(arg, x);
		(*count)++;
	}
	free(x);
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

int
core_exception_get(struct store *s, long long n, struct core_exception *x,
    char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, "SELECT " EXC_COLUMNS " WHERE idx = ?",
	    cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)n);
	if ((r = store_step(st, cause)) == STORE_ROW)
		exc_row(st, x);
	store_finalize(st);
	if (r == -1)
		return -1;
	return r == STORE_ROW ? 0 : 1;
}

int
core_exception_overdue(struct store *s, time_t now, int64_t *n,
    char **cause)
{
	struct store_stmt	*st;
	int			 r;

	*n = 0;
	if ((st = store_prepare(s, "SELECT count(*) FROM exception WHERE "
	    "kind = 'emergency' AND reported_idx IS NULL AND report_due <= ?",
	    cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)now);
	if ((r = store_step(st, cause)) == STORE_ROW)
		*n = store_col_int(st, 0);
	store_finalize(st);
	return r == STORE_ROW ? 0 : -1;
}

/* --- the register (例外措置台帳) --- */

#define EXC_NFIELDS	22
static const char *const exc_head[EXC_NFIELDS] = {
	"number", "date", "requester", "rule", "clause", "scope", "measure",
	"alternative", "reason", "risk", "start", "end", "kind", "done_at",
	"report_due", "reported_at", "approver", "decision", "decided_at",
	"conditions", "end_report", "state"
};

struct exc_reg {
	FILE	*f;
	int	 csv;
	char	 zone[CORE_POLICY_TEXT];
	int	 err;
};

/* The decision as the register states it. */
static const char *
exc_decision(const struct core_exception *x)
{
	if (x->decided_at == 0)
		return strcmp(x->kind, "emergency") == 0 ? "" : "pending";
	if (strcmp(x->state, "rejected") == 0)
		return "rejected";
	return strcmp(x->kind, "emergency") == 0 ? "report taken" :
	    "approved";
}

static void
exc_reg_csv(struct exc_reg *g, const char *const *v)
{
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, i;

	for (i = 0; i < EXC_NFIELDS; i++)
		csv_put(&buf, &len, &cap, v[i], strlen(v[i]),
		    i + 1 < EXC_NFIELDS ? ',' : '\n');
	if (fwrite(buf, 1, len, g->f) != len)
		g->err = 1;
	free(buf);
}

/* A labelled line, the labels padded to one display width (a kanji
 * is two columns: the labels are daicho's own, ASCII and CJK only). */
static void
exc_reg_line(struct exc_reg *g, const char *label, const char *v)
{
	const unsigned char	*p;
	int			 cols = 0;

	if (*v == '\0')
		return;
	for (p = (const unsigned char *)label; *p != '\0'; p++) {
		if (*p < 0x80)
			cols++;
		else if ((*p & 0xc0) != 0x80)
			cols += 2;
	}
	if (fprintf(g->f, "  %s%*s %s\n", label, cols < 22 ? 22 - cols : 0,
	    "", v) < 0)
		g->err = 1;
}

static void
exc_reg_one(void *arg, const struct core_exception *x)
{
	struct exc_reg	*g = arg;
	char		 t[6][40], no[24], period[96], kind[256];
	const char	*v[EXC_NFIELDS];
	int		 em = strcmp(x->kind, "emergency") == 0;

	snprintf(no, sizeof no, "%llu", (unsigned long long)x->idx);
	core_exc_when(x->requested_at, g->zone, t[0], sizeof t[0]);
	core_exc_when(x->start_at, g->zone, t[1], sizeof t[1]);
	core_exc_when(x->end_at, g->zone, t[2], sizeof t[2]);
	core_exc_when(x->report_due, g->zone, t[3], sizeof t[3]);
	core_exc_when(x->reported_at, g->zone, t[4], sizeof t[4]);
	core_exc_when(x->decided_at, g->zone, t[5], sizeof t[5]);
	v[0] = no; v[1] = t[0]; v[2] = x->requester; v[3] = x->rule;
	v[4] = core_exception_clause(x->rule); v[5] = x->scope;
	v[6] = x->measure; v[7] = x->alternative; v[8] = x->reason;
	v[9] = x->risk; v[10] = t[1]; v[11] = t[2];
	v[12] = em ? "emergency" : "pre-approved"; v[13] = em ? t[0] : "";
	v[14] = t[3]; v[15] = t[4]; v[16] = x->approver;
	v[17] = exc_decision(x); v[18] = t[5]; v[19] = x->comment;
	v[20] = x->report[0] != '\0' ? x->report : x->end_note;
	v[21] = x->state;
	if (g->csv) {
		exc_reg_csv(g, v);
		return;
	}
	snprintf(period, sizeof period, "%s - %s", t[1], t[2]);
	if (em)
		snprintf(kind, sizeof kind, "emergency (緊急): done %s, report "
		    "due %s, %s%s", t[0], t[3], x->reported_at != 0 ?
		    "reported " : "NOT REPORTED", t[4]);
	else
		snprintf(kind, sizeof kind, "pre-approved (事前承認)");
	if (fprintf(g->f, "No. %s  %s  %s  [%s]\n", no, t[0], x->requester,
	    x->state) < 0)
		g->err = 1;
	exc_reg_line(g, "rule 規定", x->rule);
	exc_reg_line(g, "clause 条項", v[4]);
	exc_reg_line(g, "scope 対象", x->scope);
	exc_reg_line(g, "measure 措置", x->measure);
	exc_reg_line(g, "alternative 代替策", x->alternative);
	exc_reg_line(g, "reason 理由", x->reason);
	exc_reg_line(g, "risk リスク", x->risk);
	exc_reg_line(g, "period 期間", period);
	exc_reg_line(g, "kind 区分", kind);
	exc_reg_line(g, "approver 承認者", x->approver);
	if (x->decided_at != 0) {
		snprintf(period, sizeof period, "%s %s", v[17], t[5]);
		exc_reg_line(g, "decision 判断", period);
	}
	exc_reg_line(g, "conditions 条件", x->comment);
	exc_reg_line(g, "report 報告", x->report);
	exc_reg_line(g, "end 終了", x->end_note);
	if (fputc('\n', g->f) == EOF)
		g->err = 1;
}

int
core_exception_register(struct store *s, int fy, int csv, FILE *f,
    char **cause)
{
	struct exc_reg		 g;
	struct core_exception	*x;
	struct store_stmt	*st;
	char			 day[16];
	time_t			 from = 0, to = 0;
	int			 r;
	size_t			 n = 0;

	memset(&g, 0, sizeof g);
	g.f = f;
	g.csv = csv;
	if (core_exc_policy(s, g.zone, sizeof g.zone, NULL, cause) != 0)
		return -1;
	if (fy != 0) {
		if (fy < 1990 || fy > 9998) {
			xasprintf(cause, _("exception register: the fiscal "
			    "year %d is out of range"), fy);
			return -1;
		}
		snprintf(day, sizeof day, "%04d-04-01", fy);
		core_exc_day(day, g.zone, 0, &from);
		snprintf(day, sizeof day, "%04d-04-01", fy + 1);
		core_exc_day(day, g.zone, 0, &to);
	}
	/*
	 * Requested in the year, or in force during some of it (one ended
	 * early is counted in the year it was asked for: the table keeps
	 * not when it ended).
	 */
	if ((st = store_prepare(s, "SELECT " EXC_COLUMNS " WHERE ?1 = 0 OR "
	    "(requested_at >= ?1 AND requested_at < ?2) OR (start_at < ?2 "
	    "AND end_at > ?1 AND state IN ('approved', 'emergency', "
	    "'reported', 'expired')) "
	    "ORDER BY idx", cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)from);
	store_bind_int(st, 2, (int64_t)to);
	if (csv)
		exc_reg_csv(&g, exc_head);
	else if (fy == 0 && fprintf(f, "例外措置台帳 / Exception register "
	    "(all years, times in %s)\n\n", g.zone) < 0)
		g.err = 1;
	else if (fy != 0 && fprintf(f, "例外措置台帳 / Exception register "
	    "FY%d (%04d-04-01 - %04d-03-31, times in %s)\n\n", fy, fy,
	    fy + 1, g.zone) < 0)
		g.err = 1;
	x = xmalloc(sizeof *x);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		exc_row(st, x);
		exc_reg_one(&g, x);
		n++;
	}
	free(x);
	store_finalize(st);
	if (r == -1)
		return -1;
	if (!csv && n == 0 && fputs("no exceptions\n", f) == EOF)
		g.err = 1;
	if (g.err) {
		xasprintf(cause, _("exception register: write error"));
		return -1;
	}
	return 0;
}

/* --- the sweep --- */

int
core_exception_sweep(struct store *s, time_t now, size_t *expired,
    char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct store_args	 args;
	struct store_stmt	*st;
	char			 (*due)[24] = NULL;
	size_t			 n = 0, cap = 0, i;
	int			 rc;

	*expired = 0;
	if ((st = store_prepare(s, "SELECT idx FROM exception WHERE state IN "
	    "('requested', 'approved', 'emergency', 'reported') AND "
	    "end_at <= ? ORDER BY end_at, idx", cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)now);
	while ((rc = store_step(st, cause)) == STORE_ROW) {
		due = xgrow(due, &cap, n + 1, sizeof *due);
		snprintf(due[n++], sizeof *due, "%lld",
		    (long long)store_col_int(st, 0));
	}
	store_finalize(st);
	if (rc == -1 || n == 0) {
		free(due);
		return rc == -1 ? -1 : 0;
	}
	if ((store_epoch_age(s) >= CORE_ROTATE_SECONDS &&
	    core_rotate(s, &sys, cause) != 0) || core_begin(s, cause) != 0) {
		free(due);
		return -1;
	}
	for (i = 0; i < n; i++) {
		memset(&args, 0, sizeof args);
		store_args_add(&args, "exception", due[i]);
		if (core_run(s, "exception.expire", &sys, &args, NULL,
		    cause) != 0) {
			core_rollback(s);
			free(due);
			return -1;
		}
	}
	free(due);
	if (core_commit(s, cause) != 0)
		return -1;
	*expired = n;
	return 0;
}
