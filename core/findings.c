/*
 * findings.c -- the ledger against the HR records and the systems.
 *
 * Each rule is a row of one const table: its stable name (exceptions
 * will refer to it), severity, the clause of the security policy it
 * enforces and the remedy that fixes it.  The clauses follow the
 * numbering of a model 情報セキュリティ対策基準 written after the MIC
 * guideline; an organisation's own numbering is a later configuration.
 *
 * The rules on the records are set queries (joins over indexes), never a
 * query per ID, so 600,000 IDs and 200,000 people take seconds.  The
 * password rules share one ordered scan of the live IDs with the policy
 * read once per system and kind (query-passwords.c).  The
 * rules on the systems (dormant, unregistered, drifted) share one
 * listing of each system: reconciliation's comparison, and the last use
 * the target reports.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "targets.h"
#include "core-int.h"

enum {
	R_LEAVER, R_MOVER, R_OWNER, R_MISSING, R_SHARED, R_DORMANT,
	R_CONTRACTOR, R_UNREGISTERED, R_DRIFTED, R_PW_OVERDUE, R_TEMP,
	R_SHARED_PW, R_PRIV_MAX, R_EXC_OVERDUE
};

#define FIX_ID	(CORE_REMEDY_LOCK | CORE_REMEDY_REVOKE)

const struct core_rule core_findings_rules[CORE_FINDINGS_NRULES] = {
	[R_LEAVER] = { "leaver-active", N_("high"), "対策基準 §8(2)①(ウ)",
	    "lock", FIX_ID, N_("a leaver (retired, or the leaver event in "
	    "effect) owns an ID not locked; or locked and not revoked past "
	    "leaver_grace_days") },
	[R_MOVER] = { "mover-old-access", N_("high"), "対策基準 §8(2)①(エ)",
	    "revoke", FIX_ID, N_("a mover owns an ID that the old "
	    "department's or position's birthright grants and the new one's "
	    "does not") },
	[R_OWNER] = { "owner-unknown", N_("medium"), "対策基準 §8(2)①(ア)",
	    "review", FIX_ID, N_("a personal, privileged or contractor ID "
	    "whose owner is empty or not in the records") },
	[R_MISSING] = { "missing-from-hr", N_("medium"), "対策基準 §8(2)①(オ)",
	    "review", 0, N_("a person the latest HR export no longer lists") },
	[R_SHARED] = { "shared-without-users", N_("medium"),
	    "対策基準 §8(2)②(イ)", "revoke", FIX_ID, N_("a shared ID none "
	    "of whose users is a current (not retired) person") },
	[R_DORMANT] = { "dormant", N_("low"), "対策基準 §8(2)①(カ)", "lock",
	    FIX_ID, N_("an ID not locked whose system reports no use for "
	    "dormant_days (an unknown last use is not dormant)") },
	[R_CONTRACTOR] = { "contractor-expired", N_("high"), "対策基準 §10(2)③",
	    "lock", FIX_ID, N_("a contractor ID, or a contractor's ID, past "
	    "its end date and not locked") },
	[R_UNREGISTERED] = { "unregistered", N_("high"), "対策基準 §8(2)①(イ)",
	    "lock", CORE_REMEDY_LOCK | CORE_REMEDY_ADOPT | CORE_REMEDY_REMOVE,
	    N_("an account on a system that the ledger does not know") },
	[R_DRIFTED] = { "drifted", N_("medium"), "対策基準 §9(1)②", "lock",
	    CORE_REMEDY_LOCK, N_("an ID whose state on its system is not "
	    "the ledger's, or that its system lacks") },
	[R_PW_OVERDUE] = { "password-overdue", N_("medium"), "対策基準 §6(1)⑩",
	    "force-change", CORE_REMEDY_FORCE, N_("an ID not locked whose "
	    "password daicho set longer ago than the policy's max_age_days "
	    "for its system and kind, no change forced yet") },
	[R_TEMP] = { "temp-unchanged", N_("high"), "対策基準 §6(1)⑩", "lock",
	    CORE_REMEDY_LOCK, N_("an ID not locked whose temporary password "
	    "is past its deadline (temp_hours) and was not changed") },
	[R_SHARED_PW] = { "shared-password-due", N_("high"), "対策基準 §6(1)⑩",
	    "force-change", CORE_REMEDY_FORCE, N_("a shared ID not locked "
	    "whose password must change because one of its users left, no "
	    "change forced yet") },
	[R_PRIV_MAX] = { "privileged-over-max", N_("medium"),
	    "対策基準 §8(2)② (横浜市 §7(3)(4))", "review", 0, N_("a system "
	    "with more privileged IDs in use (active or dormant) than the "
	    "policy's max_holders") },
	[R_EXC_OVERDUE] = { "exception-report-overdue", N_("high"),
	    "対策基準 §9(4) 例外措置", "report", 0, N_("an exception "
	    "applied in an emergency not reported to an approver by its "
	    "report_due (exception_report_days); no exception covers this "
	    "rule") },
};

/* One run of core_findings. */
struct fctx {
	struct store		*s;
	const struct core_config *cfg;
	char			 today[11];
	char			 grace[8];		/* leaver_grace_days */
	void			(*cb)(void *, const struct core_finding *);
	void			*arg;
	size_t			*count;
	int			 listed;		/* the systems' pass ran */
	struct core_finding	*sys;			/* its findings */
	size_t			 nsys;
	int			 scanned;		/* the passwords' pass ran */
	struct core_finding	*pw;			/* its findings */
	size_t			 npw;
	struct fold_person	*people;		/* by folded name, made
							   when first needed */
	size_t			 npeople;
	int			 folded;
	struct core_exc_set	*exc;			/* in force now */
};

/* A person by the key their name folds to (fold_name). */
struct fold_person {
	char	*key;
	char	 no[20];
	char	 name[96];
};

static int
fold_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fold_person *)a)->key,
	    ((const struct fold_person *)b)->key);
}

/* Every person's folded name, sorted; nothing when it cannot be read. */
static void
fold_people(struct fctx *c)
{
	struct store_stmt	*st;
	char			*cause = NULL;
	size_t			 cap = 0;

	c->folded = 1;
	if ((st = store_prepare(c->s, "SELECT employee_no, name_kanji FROM "
	    "person WHERE status <> 'retired'", &cause)) == NULL) {
		free(cause);
		return;
	}
	while (store_step(st, &cause) == STORE_ROW) {
		c->people = xgrow(c->people, &cap, c->npeople + 1,
		    sizeof *c->people);
		c->people[c->npeople].key = fold_name(store_col_text(st, 1));
		snprintf(c->people[c->npeople].no, sizeof c->people->no, "%s",
		    store_col_text(st, 0));
		snprintf(c->people[c->npeople].name, sizeof c->people->name,
		    "%s", store_col_text(st, 1));
		c->npeople++;
	}
	free(cause);
	store_finalize(st);
	if (c->npeople > 1)
		qsort(c->people, c->npeople, sizeof *c->people, fold_cmp);
}

/*
 * The person an account's display name (its GECOS up to the first comma)
 * names, compared as people read names: 高橋 on a system is 髙橋 in the
 * records.  Only a name that one person alone has counts.
 */
static const struct fold_person *
fold_match(struct fctx *c, const char *gecos)
{
	struct fold_person	 k, *hit;
	char			*name;

	if (!c->folded)
		fold_people(c);
	name = xstrndup(gecos, strcspn(gecos, ","));
	k.key = fold_name(name);
	free(name);
	hit = *k.key == '\0' ? NULL : bsearch(&k, c->people, c->npeople,
	    sizeof *c->people, fold_cmp);
	if (hit != NULL && ((hit > c->people &&
	    strcmp(hit[-1].key, k.key) == 0) || (hit + 1 < c->people +
	    c->npeople && strcmp(hit[1].key, k.key) == 0)))
		hit = NULL;		/* two people of that name */
	free(k.key);
	return hit;
}

int
core_findings_rule(const char *name)
{
	int	 i;

	for (i = 0; i < CORE_FINDINGS_NRULES; i++) {
		if (strcmp(core_findings_rules[i].name, name) == 0)
			return i;
	}
	return -1;
}

int
core_findings_remedy_parse(const char *s)
{
	if (strcmp(s, "revoke") == 0)
		return CORE_REMEDY_REVOKE;
	if (strcmp(s, "force-change") == 0)
		return CORE_REMEDY_FORCE;
	return core_remedy_parse(s);
}

/* Whether last_use (unix seconds) is dormant at now after days; -1, a
 * target that cannot tell, never is. */
static int
dormant(int64_t last_use, int64_t now, int days)
{
	if (last_use < 0)
		return 0;
	return last_use < now - (int64_t)days * 86400;
}

/*
 * A finding to the caller, with the exception in force that covers it
 * (a person's finding by the person, an ID's by the ID and its owner as
 * the set expanded it); the overdue report of an exception is never
 * covered.
 */
static void
give(struct fctx *c, const struct core_finding *f)
{
	struct core_finding	 g = *f;
	const char		*person = NULL;

	if (strncmp(g.subject, "person:", 7) == 0)
		person = g.subject + 7;
	if (g.rule != R_EXC_OVERDUE)
		g.exception = core_exceptions_match(c->exc,
		    core_findings_rules[g.rule].name, g.system[0] != '\0' ?
		    g.system : NULL, g.login[0] != '\0' ? g.login : NULL,
		    person);
	c->cb(c->arg, &g);
	(*c->count)++;
}

static void
fill(struct core_finding *, int, const char *, int, const char *,
    const char *, const char *, const char *, va_list) DAICHO_PRINTF(8, 0);

static void
fill(struct core_finding *f, int rule, const char *remedy, int remedies,
    const char *system, const char *login, const char *subject,
    const char *fmt, va_list ap)
{
	memset(f, 0, sizeof *f);
	f->rule = rule;
	f->remedy = remedy;
	f->remedies = remedies & core_findings_rules[rule].remedies;
	snprintf(f->system, sizeof f->system, "%s", system);
	snprintf(f->login, sizeof f->login, "%s", login);
	if (subject != NULL)
		snprintf(f->subject, sizeof f->subject, "%s", subject);
	else
		snprintf(f->subject, sizeof f->subject, "%s/%s", system, login);
	vsnprintf(f->detail, sizeof f->detail, fmt, ap);
}

/* A finding now (emit) or kept for its rule's turn (keep). */
static void
emit(struct fctx *c, int rule, const char *remedy, int remedies,
    const char *system, const char *login, const char *subject,
    const char *fmt, ...) DAICHO_PRINTF(8, 9);
static void
keep(struct fctx *c, int rule, const char *remedy, int remedies,
    const char *system, const char *login, const char *fmt, ...)
    DAICHO_PRINTF(7, 8);
static void
keep_pw(struct fctx *c, int rule, const char *remedy, int remedies,
    const char *system, const char *login, const char *fmt, ...)
    DAICHO_PRINTF(7, 8);

static void
emit(struct fctx *c, int rule, const char *remedy, int remedies,
    const char *system, const char *login, const char *subject,
    const char *fmt, ...)
{
	struct core_finding	 f;
	va_list			 ap;

	va_start(ap, fmt);
	fill(&f, rule, remedy, remedies, system, login, subject, fmt, ap);
	va_end(ap);
	give(c, &f);
}

static void
keep(struct fctx *c, int rule, const char *remedy, int remedies,
    const char *system, const char *login, const char *fmt, ...)
{
	va_list	 ap;

	c->sys = xreallocarray(c->sys, c->nsys + 1, sizeof *c->sys);
	va_start(ap, fmt);
	fill(&c->sys[c->nsys++], rule, remedy, remedies, system, login, NULL,
	    fmt, ap);
	va_end(ap);
}

/* The same, for a finding of the passwords' pass. */
static void
keep_pw(struct fctx *c, int rule, const char *remedy, int remedies,
    const char *system, const char *login, const char *fmt, ...)
{
	va_list	 ap;

	c->pw = xreallocarray(c->pw, c->npw + 1, sizeof *c->pw);
	va_start(ap, fmt);
	fill(&c->pw[c->npw++], rule, remedy, remedies, system, login, NULL,
	    fmt, ap);
	va_end(ap);
}

/* Run sql (?1 today, ?2 leaver_grace_days) and give each row to row. */
static int
query_rule(struct fctx *c, const char *sql,
    void (*row)(struct fctx *, struct store_stmt *), char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(c->s, sql, cause)) == NULL)
		return -1;
	if (strstr(sql, "?1") != NULL)
		store_bind_text(st, 1, c->today);
	if (strstr(sql, "?2") != NULL)
		store_bind_text(st, 2, c->grace);
	while ((r = store_step(st, cause)) == STORE_ROW)
		row(c, st);
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

#define T(i)	store_col_text(st, (i))

/*
 * Leavers: an hr_event leaver in effect, a retirement date reached, or
 * the status retired; the earliest date known is when they left (none
 * known: the grace is over).
 */
static const char leaver_sql[] =
    "WITH lv(no, eff) AS ("
    " SELECT employee_no, effective FROM hr_event WHERE kind = 'leaver' "
    "  AND state <> 'cancelled' AND effective <= ?1"
    " UNION ALL SELECT employee_no, retire_date FROM person"
    "  WHERE status = 'retired' OR retire_date <= ?1),"
    " l(no, eff) AS (SELECT no, min(eff) FROM lv GROUP BY no) "
    "SELECT a.system, a.login, a.state, l.no, coalesce(l.eff, ''), "
    " coalesce(p.name_kanji, '') FROM l JOIN account a ON a.owner = l.no "
    " LEFT JOIN person p ON p.employee_no = l.no "
    "WHERE a.state <> 'revoked' AND (a.state NOT IN ('locked', 'dormant', "
    " 'expired') OR l.eff IS NULL "
    " OR l.eff <= date(?1, '-' || ?2 || ' days')) "
    "ORDER BY a.system, a.login";

static void
leaver_row(struct fctx *c, struct store_stmt *st)
{
	const char	*eff = *T(4) != '\0' ? T(4) : "a date not recorded";

	if (strcmp(T(2), "locked") == 0 || strcmp(T(2), "dormant") == 0 ||
	    strcmp(T(2), "expired") == 0)
		emit(c, R_LEAVER, "revoke", CORE_REMEDY_REVOKE, T(0), T(1),
		    NULL, "%s %s left on %s; the ID is locked, but the %s "
		    "days of grace are over", T(3), T(5), eff, c->grace);
	else
		emit(c, R_LEAVER, "lock", FIX_ID, T(0), T(1), NULL,
		    "%s %s left on %s; the ID is still %s", T(3), T(5), eff,
		    T(2));
}

/*
 * Movers (CROSS JOIN: from the few events to their IDs, whatever the
 * planner's statistics say): the old department and position are the
 * event's (from_department, from_position), the new ones the record's.
 * A birthright row of the old post names the ID's system and kind, and
 * none of the new post's does.
 */
static const char mover_sql[] =
    "WITH mv(no, eff, odept, opos) AS (SELECT employee_no, effective, "
    " from_department, from_position FROM hr_event "
    " WHERE kind = 'mover' AND state <> 'cancelled' AND effective <= ?1 "
    " AND from_department IS NOT NULL) "
    "SELECT a.system, a.login, a.kind, mv.no, max(mv.eff), "
    " p.name_kanji, p.department, p.position "
    "FROM mv CROSS JOIN account a ON a.owner = mv.no "
    " CROSS JOIN person p ON p.employee_no = mv.no "
    "WHERE a.state <> 'revoked' AND EXISTS (SELECT 1 FROM birthright b "
    " WHERE b.system = a.system AND b.kind = a.kind "
    " AND b.department IN ('*', mv.odept) "
    " AND b.position IN ('*', mv.opos)) "
    "AND NOT EXISTS (SELECT 1 FROM birthright b WHERE b.system = a.system "
    " AND b.kind = a.kind AND b.department IN ('*', p.department) "
    " AND b.position IN ('*', p.position)) "
    "GROUP BY a.system, a.login ORDER BY a.system, a.login";

static void
mover_row(struct fctx *c, struct store_stmt *st)
{
	emit(c, R_MOVER, "revoke", FIX_ID, T(0), T(1), NULL, "%s %s moved "
	    "on %s to %s %s, whose birthright has no %s ID on %s", T(3), T(5),
	    T(4), T(6), T(7), T(2), T(0));
}

static const char owner_sql[] =
    "SELECT a.system, a.login, a.kind, a.state, coalesce(a.owner, '') "
    "FROM account a WHERE a.kind IN ('personal', 'privileged', "
    " 'contractor') AND a.state <> 'revoked' AND (a.owner IS NULL OR "
    " a.owner = '' OR a.owner NOT IN (SELECT employee_no FROM person)) "
    "ORDER BY a.system, a.login";

static void
owner_row(struct fctx *c, struct store_stmt *st)
{
	if (*T(4) == '\0')
		emit(c, R_OWNER, "review", FIX_ID, T(0), T(1), NULL,
		    "a %s ID (%s) with no owner", T(2), T(3));
	else
		emit(c, R_OWNER, "review", FIX_ID, T(0), T(1), NULL,
		    "a %s ID (%s) whose owner %s is not in the records", T(2),
		    T(3), T(4));
}

static const char missing_sql[] =
    "SELECT p.employee_no, p.name_kanji, p.department, p.hr_missing, "
    " (SELECT count(*) FROM account a WHERE a.owner = p.employee_no AND "
    " a.state <> 'revoked') FROM person p WHERE p.hr_missing IS NOT NULL "
    " ORDER BY p.employee_no";

static void
missing_row(struct fctx *c, struct store_stmt *st)
{
	char	 subject[64];

	snprintf(subject, sizeof subject, "person:%s", T(0));
	emit(c, R_MISSING, "review", 0, "", "", subject, "%s (%s) is not in "
	    "the HR export of entry %s; owns %s live ID%s", T(1), T(2), T(3),
	    T(4), strcmp(T(4), "1") == 0 ? "" : "s");
}

static const char shared_sql[] =
    "SELECT a.system, a.login, a.state, coalesce((SELECT "
    " group_concat(u.employee_no, ',') FROM account_user u WHERE "
    " u.system = a.system AND u.login = a.login), '') "
    "FROM account a WHERE a.kind = 'shared' AND a.state <> 'revoked' "
    "AND NOT EXISTS (SELECT 1 FROM account_user u JOIN person p ON "
    " p.employee_no = u.employee_no WHERE u.system = a.system AND "
    " u.login = a.login AND p.status <> 'retired' AND "
    " (p.retire_date IS NULL OR p.retire_date > ?1)) "
    "ORDER BY a.system, a.login";

static void
shared_row(struct fctx *c, struct store_stmt *st)
{
	if (*T(3) == '\0')
		emit(c, R_SHARED, "revoke", FIX_ID, T(0), T(1), NULL,
		    "a shared ID (%s) with no users listed", T(2));
	else
		emit(c, R_SHARED, "revoke", FIX_ID, T(0), T(1), NULL,
		    "a shared ID (%s) with no current user: %s retired or "
		    "not in the records", T(2), T(3));
}

static const char contractor_sql[] =
    "SELECT a.system, a.login, a.kind, a.state, coalesce(a.owner, ''), "
    " CASE WHEN a.end_date < ?1 THEN a.end_date ELSE p.end_date END "
    "FROM account a LEFT JOIN person p ON p.employee_no = a.owner "
    "WHERE a.state NOT IN ('locked', 'dormant', 'expired', 'revoked') AND "
    /* Implied by the last term; tested before the owner is looked up. */
    " (a.end_date < ?1 OR a.owner IN (SELECT employee_no FROM person "
    " WHERE end_date < ?1)) AND "
    " (a.kind = 'contractor' OR p.employment = 'contractor') AND "
    " (a.end_date < ?1 OR p.end_date < ?1) ORDER BY a.system, a.login";

static void
contractor_row(struct fctx *c, struct store_stmt *st)
{
	emit(c, R_CONTRACTOR, "lock", FIX_ID, T(0), T(1), NULL, "a %s ID "
	    "of %s ended on %s and is still %s", T(2), *T(4) != '\0' ?
	    T(4) : "nobody", T(5), T(3));
}

#undef T

static int
sql_rule(struct fctx *c, int rule, char **cause)
{
	static const struct {
		const char	*sql;
		void		(*row)(struct fctx *, struct store_stmt *);
	} q[] = {
		[R_LEAVER] = { leaver_sql, leaver_row },
		[R_MOVER] = { mover_sql, mover_row },
		[R_OWNER] = { owner_sql, owner_row },
		[R_MISSING] = { missing_sql, missing_row },
		[R_SHARED] = { shared_sql, shared_row },
		[R_CONTRACTOR] = { contractor_sql, contractor_row },
	};

	return query_rule(c, q[rule].sql, q[rule].row, cause);
}

/* Reconciliation's differences, kept as unregistered or drifted. */
static void
drift(void *arg, const struct core_drift *d)
{
	struct fctx		*c = arg;
	const struct fold_person *p;
	const char		*there = d->locked == 1 ? "locked" :
	    d->locked == 0 ? "open" : "state unknown";

	switch (d->code) {
	case CORE_DRIFT_UNREGISTERED:
		if ((p = fold_match(c, d->name)) != NULL) {
			keep(c, R_UNREGISTERED, d->locked == 1 ? "review" :
			    "lock", CORE_REMEDY_LOCK | CORE_REMEDY_ADOPT |
			    CORE_REMEDY_REMOVE, d->system, d->login, "on the "
			    "system (%s, %s there), not in the ledger: lock, "
			    "adopt or remove it; the name is %s %s's in the "
			    "records", d->name, there, p->no, p->name);
			break;
		}
		keep(c, R_UNREGISTERED, d->locked == 1 ? "review" : "lock",
		    CORE_REMEDY_LOCK | CORE_REMEDY_ADOPT | CORE_REMEDY_REMOVE,
		    d->system, d->login, "on the system (%s, %s there), not "
		    "in the ledger: lock, adopt or remove it", d->name, there);
		break;
	case CORE_DRIFT_OPENED:
	case CORE_DRIFT_LOCKED:
		keep(c, R_DRIFTED, "lock", CORE_REMEDY_LOCK, d->system,
		    d->login, "%s", d->what);
		break;
	case CORE_DRIFT_MISSING:
		keep(c, R_DRIFTED, "review", 0, d->system, d->login,
		    "in the ledger, missing on the system: re-create it, or "
		    "revoke the ID");
		break;
	default:
		break;		/* pending: the outbox will settle it */
	}
}

static int
acc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct target_account *)a)->login,
	    ((const struct target_account *)b)->login);
}

/* The ledger's IDs on system, not locked, that the listing says are
 * dormant. */
static int
dormant_scan(struct fctx *c, const char *system, struct target_account *acc,
    size_t nacc, char **cause)
{
	struct target_account	 key, *hit;
	struct store_stmt	*st;
	char			 when[32];
	time_t			 now = time(NULL), last;
	struct tm		 tm;
	int			 r;

	if (nacc == 0)
		return 0;
	qsort(acc, nacc, sizeof *acc, acc_cmp);
	if ((st = store_prepare(c->s, "SELECT login FROM account WHERE "
	    "system = ? AND state NOT IN ('locked', 'dormant', 'expired', "
	    "'revoked') "
	    "ORDER BY login", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		snprintf(key.login, sizeof key.login, "%s",
		    store_col_text(st, 0));
		hit = bsearch(&key, acc, nacc, sizeof *acc, acc_cmp);
		if (hit == NULL || !dormant(hit->last_use,
		    (int64_t)now, c->cfg->dormant_days))
			continue;
		last = (time_t)hit->last_use;
		localtime_r(&last, &tm);
		strftime(when, sizeof when, "%Y-%m-%d", &tm);
		keep(c, R_DORMANT, "lock", FIX_ID, system, key.login,
		    "last used on %s, over %d days ago", when,
		    c->cfg->dormant_days);
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

static int
sys_cmp(const void *a, const void *b)
{
	const struct core_finding *x = a, *y = b;
	int			 r;

	if (x->rule != y->rule)
		return x->rule - y->rule;
	if ((r = strcmp(x->system, y->system)) != 0)
		return r;
	return strcmp(x->login, y->login);
}

/* One system: listed once, for reconciliation and last use. */
static int
system_pass(struct fctx *c, const char *system, char **cause)
{
	struct target_account	*acc;
	size_t			 nacc, n;
	int			 r;

	if (core_system_listing(c->s, system, &acc, &nacc, cause) != 0)
		return -1;
	r = core_reconcile_listing(c->s, system, acc, nacc, drift, c, &n,
	    cause);
	if (r == 0)
		r = dormant_scan(c, system, acc, nacc, cause);
	free(acc);
	return r;
}

/*
 * Every system daicho can list (not the manual ones), once; a system
 * that cannot be listed is named in *cause, and the others go on.
 */
static int
systems(struct fctx *c, char **cause)
{
	struct store_stmt	*st;
	char			**names = NULL, *why = NULL;
	size_t			 n = 0, i;
	int			 r, ret = 0;

	c->listed = 1;
	if ((st = store_prepare(c->s, "SELECT name FROM system WHERE type <> "
	    "'manual' ORDER BY name", cause)) == NULL)
		return -1;
	while ((r = store_step(st, cause)) == STORE_ROW) {
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(store_col_text(st, 0));
	}
	store_finalize(st);
	for (i = 0; i < n; i++) {
		if (r != -1 && system_pass(c, names[i], &why) != 0) {
			if (ret == 0)
				xasprintf(cause, "%s: %s", names[i], why);
			free(why);
			why = NULL;
			ret = -1;
		}
		free(names[i]);
	}
	free(names);
	if (r == -1)
		return -1;
	if (c->nsys > 0)
		qsort(c->sys, c->nsys, sizeof *c->sys, sys_cmp);
	return ret;
}

/* The findings of a rule on the systems, listing them the first time. */
static int
system_rule(struct fctx *c, int rule, char **cause)
{
	size_t	 i;
	int	 r = 0;

	if (!c->listed)
		r = systems(c, cause);
	for (i = 0; i < c->nsys; i++) {
		if (c->sys[i].rule == rule)
			give(c, &c->sys[i]);
	}
	return r;
}

/* The passwords' pass: one scan of the live IDs (query-passwords.c). */
struct pwctx {
	struct fctx	*c;
	time_t		 now;
	unsigned	 mask;			/* the rules asked for */
};

/* A time as the findings say it, "2027-01-04 17:00 +0900". */
static void
pw_when(int64_t t, char *buf, size_t len)
{
	if (t < 0)
		snprintf(buf, len, "a date not recorded");
	else
		when_local((time_t)t, 0, buf, len);
}

unsigned
core_findings_password(const struct core_password *p, time_t now)
{
	unsigned	 m = 0;

	/* Dormant and (on main's schema) expired count as locked: nobody
	 * logs in with it until it is opened. */
	if (strcmp(p->state, "locked") == 0 || strcmp(p->state, "dormant") ==
	    0 || strcmp(p->state, "expired") == 0)
		return 0;
	if (p->age_due >= 0 && (int64_t)now >= p->age_due && !p->must_change)
		m |= 1U << R_PW_OVERDUE;
	if (p->temp_until >= 0 && (int64_t)now >= p->temp_until)
		m |= 1U << R_TEMP;
	if (strcmp(p->kind, "shared") == 0 && p->why_due[0] != '\0' &&
	    !p->must_change)
		m |= 1U << R_SHARED_PW;
	return m;
}

static void
pw_finding(void *arg, const struct core_password *p)
{
	struct pwctx	*x = arg;
	char		 set[WHEN_MAX], due[WHEN_MAX];
	unsigned	 m = core_findings_password(p, x->now) & x->mask;

	if (m & (1U << R_PW_OVERDUE)) {
		pw_when(p->set_at, set, sizeof set);
		pw_when(p->age_due, due, sizeof due);
		keep_pw(x->c, R_PW_OVERDUE, "force-change", CORE_REMEDY_FORCE,
		    p->system, p->login, "a %s ID's password set on %s by %s "
		    "was due on %s (max_age_days %d)", p->kind, set,
		    p->set_by[0] != '\0' ? p->set_by : "?", due,
		    p->max_age_days);
	}
	if (m & (1U << R_TEMP)) {
		pw_when(p->set_at, set, sizeof set);
		pw_when(p->temp_until, due, sizeof due);
		keep_pw(x->c, R_TEMP, "lock", CORE_REMEDY_LOCK, p->system,
		    p->login, "a temporary password issued on %s by %s was "
		    "to be changed by %s; the ID is still %s", set,
		    p->set_by[0] != '\0' ? p->set_by : "?", due, p->state);
	}
	if (m & (1U << R_SHARED_PW))
		keep_pw(x->c, R_SHARED_PW, "force-change", CORE_REMEDY_FORCE,
		    p->system, p->login, "a shared ID (%s) whose password "
		    "must change: %s", p->state, p->why_due);
}

/*
 * owner_sql and contractor_sql for one live ID, and the password rules
 * of its status: what the stocktake's own scan of the IDs decides
 * (its test compares them with core_findings').
 */
unsigned
core_findings_id_rules(void)
{
	return 1U << R_OWNER | 1U << R_CONTRACTOR | 1U << R_PW_OVERDUE |
	    1U << R_TEMP | 1U << R_SHARED_PW;
}

static int
before(const char *date, const char *today)
{
	return date != NULL && strcmp(date, today) < 0;
}

unsigned
core_findings_id(const struct core_id_facts *x, const char *today,
    time_t now)
{
	unsigned	 m = core_findings_password(x->pw, now);

	if ((strcmp(x->kind, "personal") == 0 || strcmp(x->kind,
	    "privileged") == 0 || strcmp(x->kind, "contractor") == 0) &&
	    (x->owner[0] == '\0' || !x->owner_known))
		m |= 1U << R_OWNER;
	if (strcmp(x->state, "locked") != 0 && strcmp(x->state, "dormant") !=
	    0 && strcmp(x->state, "expired") != 0 && (strcmp(x->kind,
	    "contractor") == 0 || (x->owner_employment != NULL &&
	    strcmp(x->owner_employment, "contractor") == 0)) &&
	    (before(x->end_date, today) || before(x->owner_end_date, today)))
		m |= 1U << R_CONTRACTOR;
	return m;
}

/* The findings of a password rule, scanning the IDs the first time
 * for every password rule in mask. */
static int
password_rule(struct fctx *c, int rule, unsigned mask, char **cause)
{
	struct pwctx	 x = { c, time(NULL), mask };
	size_t		 i;
	int		 r = 0;

	if (!c->scanned) {
		c->scanned = 1;
		r = core_password_status(c->s, x.now, pw_finding, &x, cause);
		if (c->npw > 1)
			qsort(c->pw, c->npw, sizeof *c->pw, sys_cmp);
	}
	for (i = 0; i < c->npw; i++) {
		if (c->pw[i].rule == rule)
			give(c, &c->pw[i]);
	}
	return r;
}

/*
 * Privileged IDs in use per system (one grouped query), against the
 * policy's max_holders for the system's privileged IDs: one policy
 * lookup per system that has any.
 */
static int
priv_max_rule(struct fctx *c, char **cause)
{
	struct store_stmt	*st;
	struct core_policy	 p;
	char			 subject[64];
	int			 r;

	if ((st = store_prepare(c->s, "SELECT system, count(*), "
	    "group_concat(login, ', ') FROM (SELECT system, login FROM "
	    "account WHERE kind = 'privileged' AND state IN ('active', "
	    "'dormant') ORDER BY system, login) GROUP BY system ORDER BY "
	    "system", cause)) == NULL)
		return -1;
	while ((r = store_step(st, cause)) == STORE_ROW) {
		if (core_policy_get(c->s, store_col_text(st, 0), "privileged",
		    &p, cause) != 0) {
			r = -1;
			break;
		}
		if (p.max_holders == 0 || store_col_int(st, 1) <= p.max_holders)
			continue;
		snprintf(subject, sizeof subject, "system:%s",
		    store_col_text(st, 0));
		emit(c, R_PRIV_MAX, "review", 0, store_col_text(st, 0), "",
		    subject, "%lld privileged IDs in use (active or dormant), "
		    "above max_holders %d: %.300s",
		    (long long)store_col_int(st, 1), p.max_holders,
		    store_col_text(st, 2));
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/* Emergency exceptions whose report is overdue (exception.c's rule). */
static int
exc_overdue_rule(struct fctx *c, char **cause)
{
	struct store_stmt	*st;
	char			 subject[48], due[WHEN_MAX];
	int			 r;

	if ((st = store_prepare(c->s, "SELECT idx, rule, requester, "
	    "report_due, state FROM exception WHERE kind = 'emergency' AND "
	    "reported_idx IS NULL AND report_due <= ? ORDER BY idx",
	    cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)time(NULL));
	while ((r = store_step(st, cause)) == STORE_ROW) {
		snprintf(subject, sizeof subject, "exception:%lld",
		    (long long)store_col_int(st, 0));
		when_local((time_t)store_col_int(st, 3), 0, due, sizeof due);
		emit(c, R_EXC_OVERDUE, "report", 0, "", "", subject,
		    "an emergency exception to %s applied by %s (%s) was to "
		    "be reported by %s; an approver takes the report "
		    "(exception.report)", store_col_text(st, 1),
		    store_col_text(st, 2), store_col_text(st, 4), due);
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

int
core_findings(struct store *s, const struct core_config *cfg, unsigned mask,
    void (*cb)(void *, const struct core_finding *), void *arg,
    size_t *count, char **cause)
{
	struct fctx	 c;
	char		*why = NULL;
	size_t		 k;
	int		 i, r, ret = 0;

	*count = 0;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.cfg = cfg;
	c.cb = cb;
	c.arg = arg;
	c.count = count;
	core_today(c.today);
	snprintf(c.grace, sizeof c.grace, "%d", cfg->leaver_grace_days);
	/* Once per run: the exceptions in force now. */
	if ((c.exc = core_exceptions_load(s, time(NULL), &why)) == NULL) {
		*cause = why;
		why = NULL;
		ret = -1;
	}
	for (i = 0; i < CORE_FINDINGS_NRULES; i++) {
		if (!(mask & (1U << i)))
			continue;
		if (i == R_DORMANT || i == R_UNREGISTERED || i == R_DRIFTED)
			r = system_rule(&c, i, &why);
		else if (i == R_PW_OVERDUE || i == R_TEMP || i == R_SHARED_PW)
			r = password_rule(&c, i, mask, &why);
		else if (i == R_PRIV_MAX)
			r = priv_max_rule(&c, &why);
		else if (i == R_EXC_OVERDUE)
			r = exc_overdue_rule(&c, &why);
		else
			r = sql_rule(&c, i, &why);
		if (r == 0)
			continue;
		/* A system that could not be listed: the rest still count. */
		if (ret == 0)
			*cause = why;
		else
			free(why);
		why = NULL;
		ret = -1;
	}
	core_exceptions_free(c.exc);
	free(c.sys);
	free(c.pw);
	for (k = 0; k < c.npeople; k++)
		free(c.people[k].key);
	free(c.people);
	return ret;
}

int
core_findings_fix(struct store *s, const struct core_finding *f, int remedy,
    struct store_args *a, const char **action, char **cause)
{
	static char		 reasons[CORE_FINDINGS_NRULES][96];
	const struct core_rule	*r = &core_findings_rules[f->rule];
	char			*preview = NULL, *reason = reasons[f->rule];
	int			 ret;

	if (!(f->remedies & remedy)) {
		xasprintf(cause, _("%s %s: that remedy does not fit (%s)"),
		    r->name, f->subject, f->remedies == 0 ? _("a person must "
		    "look into it") : _("see the remedies daicho(8) lists for "
		    "the rule"));
		return -1;
	}
	/* The entry keeps a pointer to it until it is written. */
	snprintf(reason, sizeof reasons[0], "finding %s (%s)", r->name,
	    r->clause);
	if (remedy != CORE_REMEDY_ADOPT && store_args_get(a, "reason") == NULL &&
	    store_args_add(a, "reason", reason) != 0) {
		xasprintf(cause, _("too many arguments"));
		return -1;
	}
	if (f->rule == R_UNREGISTERED || f->rule == R_DRIFTED) {
		ret = core_remedy_prepare(s, f->system, f->login, remedy, a,
		    action, &preview, cause);
		free(preview);
		return ret;
	}
	if (store_args_get(a, "system") == NULL)
		store_args_add(a, "system", f->system);
	if (store_args_get(a, "login") == NULL)
		store_args_add(a, "login", f->login);
	*action = remedy == CORE_REMEDY_LOCK ? "id.lock" :
	    remedy == CORE_REMEDY_FORCE ? "id.force_change" : "id.revoke";
	return 0;
}

int
core_findings_apply(struct store *s, const char *operator,
    const char *approver, const struct core_fix *fx, size_t n,
    size_t *failed, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL }, who;
	char			*why = NULL;
	size_t			 i;

	*failed = SIZE_MAX;
	if (store_epoch_age(s) >= CORE_ROTATE_SECONDS &&
	    core_rotate(s, &sys, cause) != 0)
		return -1;
	if (core_begin(s, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		who.operator = operator;
		who.approver = core_needs_approver(s, fx[i].action) ?
		    approver : NULL;
		if (core_run(s, fx[i].action, &who, &fx[i].args, NULL,
		    &why) != 0) {
			core_rollback(s);
			xasprintf(cause, "%s %s: %s", fx[i].action,
			    fx[i].f->subject, why);
			free(why);
			*failed = i;
			return -1;
		}
	}
	return core_commit(s, cause);
}

void
core_findings_man(FILE *f)
{
	static const struct {
		int		 bit;
		const char	*name;
	} fixes[] = {
		{ CORE_REMEDY_LOCK, "lock" }, { CORE_REMEDY_REVOKE, "revoke" },
		{ CORE_REMEDY_ADOPT, "adopt" }, { CORE_REMEDY_REMOVE, "remove" },
		{ CORE_REMEDY_FORCE, "force-change" },
	};
	const struct core_rule	*r;
	char			 bulk[64], *text;
	size_t			 i, j, n, len;

	fputs(".Bl -tag -width Ds\n", f);
	for (i = 0; i < CORE_FINDINGS_NRULES; i++) {
		r = &core_findings_rules[i];
		/* the remedy words, like the rule's, are names: never
		   translated */
		bulk[0] = '\0';
		for (j = n = len = 0; j < sizeof fixes / sizeof fixes[0];
		    j++) {
			if ((r->remedies & fixes[j].bit) && len < sizeof bulk)
				len += (size_t)snprintf(bulk + len, sizeof bulk -
				    len, "%s%s", n++ == 0 ? "" : ", ",
				    fixes[j].name);
		}
		/* daicho's own text: no leading '.', no backslash */
		fprintf(f, ".It Cm %s\n", r->name);
		if (n > 0)
			fprintf(f, _("Severity %s; enforces %s; remedy %s (in "
			    "bulk: %s)."), _(r->severity), r->clause,
			    r->remedy, bulk);
		else
			fprintf(f, _("Severity %s; enforces %s; remedy %s (a "
			    "person's review: no bulk remedy)."),
			    _(r->severity), r->clause, r->remedy);
		/* the English text starts a sentence; a translation is
		   printed as it is written */
		xasprintf(&text, _("%s."), _(r->summary));
		if (_(r->summary) == r->summary && *text >= 'a' &&
		    *text <= 'z')
			*text = (char)(*text - 'a' + 'A');
		fprintf(f, "\n%s\n", text);
		free(text);
	}
	fputs(".El\n", f);
}
