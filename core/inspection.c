/*
 * inspection.c -- the annual self-inspection report (自己点検報告書) of a
 * fiscal year, as report.inspection seals it: report.txt (Japanese and
 * English) and report.csv, built from the state tables only, rows in a
 * fixed order, so the same state and reference day give the same bytes.
 *
 * The fiscal year FY runs from April 1 of FY to March 31 of FY+1 in the
 * policy's timezone.  Each area is rated by a rule the report states:
 *	user IDs	no stocktake of the year closed: 不適合; a campaign
 *			left open, a correction not carried out, or a live
 *			ID of a retired owner: 一部適合;
 *	privileged IDs	none of the live privileged IDs in a closed
 *			stocktake of the year: 不適合; some not, or one of a
 *			retired owner: 一部適合;
 *	credentials	passwords older than the policy's max_age_days (of
 *			any system and kind) or temporary ones past their
 *			deadline: over half the live IDs 不適合, any 一部適合;
 *	access records	no review of the ledger (review.done) in a quarter
 *			of the year begun by the reference day: none at all
 *			不適合, some 一部適合;
 *	exceptions	an emergency exception not reported by its due
 *			time: 不適合; one reported late: 一部適合.
 *
 * report.csv has the columns section, area, item, value, rating,
 * evidence, note; the sections: header, result (each count, and each
 * area's rating 0/1/2 with its evidence and cause), stocktake (campaign,
 * start day, items, state, closing entry, scope), finding, correction
 * (owner, deadline), open_item, followup, exception, verify.
 *
 * report.txt's format 2 (CORE_REPORT_FORMAT) names the year and the days
 * a reader signs by as a printed municipal document does, in the era
 * (和暦) beside the ISO date: 令和8年度 in the title and the fiscal year,
 * the year's first and last days, the reference day, the corrections'
 * deadline, and a date line 令和　　年　　月　　日 to fill in by hand.
 * Format 1, what entries without a format sealed, has none of them and
 * is kept byte for byte.  report.csv is the same in both, ISO only.
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

#define INSP_EVIDENCE	20		/* entry numbers listed at most */
#define INSP_ROWS	200		/* rows of a list in report.txt */

enum { AREA_IDS, AREA_PRIV, AREA_CRED, AREA_ACCESS, AREA_EXC, AREA_N };

static const struct {
	const char	*key, *ja, *en;
	const char	*rule;			/* how it is rated */
} insp_areas[AREA_N] = {
	{ "ids", "利用者ID", "user IDs",
	    "no stocktake of the year closed: 不適合; a campaign left open, "
	    "a correction not carried out, or a live ID of a retired owner: "
	    "一部適合" },
	{ "privileged", "特権ID", "privileged IDs",
	    "no live privileged ID in a closed stocktake of the year: 不適合; "
	    "some not, or one of a retired owner: 一部適合" },
	{ "credentials", "認証情報", "credentials",
	    "passwords over max_age_days or temporary ones past their "
	    "deadline: over half the live IDs 不適合, any 一部適合" },
	{ "access", "アクセス記録", "access records",
	    "quarters begun with no review of the ledger (review.done): all "
	    "不適合, some 一部適合" },
	{ "exceptions", "例外措置", "exceptions",
	    "an emergency exception not reported by its due time: 不適合; "
	    "one reported late: 一部適合" },
};

static const char *const insp_ratings[] = { "適合", "一部適合", "不適合" };
static const char *const insp_ratings_en[] = { "conforms",
    "partly conforms", "does not conform" };

struct insp {
	struct store	*s;
	const struct core_inspection_in *in;
	int		 format;		/* report.txt's layout */
	time_t		 from, to;		/* the year, [from, to) */
	char		 zone[CORE_POLICY_TEXT];
	int		 max_age_days;
	FILE		*t;			/* report.txt */
	char		*tbuf;
	size_t		 tlen;
	char		*cbuf;			/* report.csv */
	size_t		 clen, ccap;
	int		 rating[AREA_N];
	char		 cause[AREA_N][400];
	char		 evidence[AREA_N][300];
	char		*err;			/* the first failure */
};

/* A CSV record: section, area, item, value, rating, evidence, note. */
static void
insp_csv(struct insp *x, const char *section, const char *area,
    const char *item, const char *value, const char *rating,
    const char *evidence, const char *note)
{
	const char	*f[7] = { section, area, item, value, rating, evidence,
	    note };
	size_t		 i;

	for (i = 0; i < 7; i++)
		csv_put(&x->cbuf, &x->clen, &x->ccap, f[i] ? f[i] : "",
		    strlen(f[i] ? f[i] : ""), i == 6 ? '\n' : ',');
}

/* Text someone typed, on one line of report.txt (controls are refused
 * by every action; a line feed is shown, never written). */
static void
insp_put(struct insp *x, const char *s)
{
	for (; *s != '\0'; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, x->t);
}

/* One integer from sql with ?1 = from and ?2 = to bound. */
static int64_t
insp_int(struct insp *x, const char *sql)
{
	struct store_stmt	*st;
	int64_t			 v = 0;
	int			 r;

	if (x->err != NULL)
		return 0;
	if ((st = store_prepare(x->s, sql, &x->err)) == NULL)
		return 0;
	store_bind_int(st, 1, x->from);
	store_bind_int(st, 2, x->to);
	store_bind_int(st, 3, x->in->now);
	store_bind_int(st, 4, x->max_age_days);
	if ((r = store_step(st, &x->err)) == STORE_ROW)
		v = store_col_int(st, 0);
	store_finalize(st);
	return v;
}

/* The entry numbers sql yields (first column), listed into buf. */
static void
insp_list(struct insp *x, const char *sql, char *buf, size_t len)
{
	struct store_stmt	*st;
	size_t			 n = 0, more = 0, at;
	int			 r;

	buf[0] = '\0';
	if (x->err != NULL || (st = store_prepare(x->s, sql,
	    &x->err)) == NULL)
		return;
	store_bind_int(st, 1, x->from);
	store_bind_int(st, 2, x->to);
	store_bind_int(st, 3, x->in->now);
	while ((r = store_step(st, &x->err)) == STORE_ROW) {
		if (n++ >= INSP_EVIDENCE) {
			more++;
			continue;
		}
		at = strlen(buf);
		snprintf(buf + at, len - at, "%s%lld", at ? " " : "",
		    (long long)store_col_int(st, 0));
	}
	store_finalize(st);
	if (more > 0) {
		at = strlen(buf);
		snprintf(buf + at, len - at, " (+%zu)", more);
	}
}

/* when as YYYY-MM-DD in the policy's zone. */
static void
insp_day(const struct insp *x, time_t when, char *buf, size_t len)
{
	struct tm	 tm;

	core_zone_localtime(when, x->zone, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

/* when as the era's date in the policy's zone (令和8年12月6日), or "". */
static void
insp_era(const struct insp *x, time_t when, char *buf, size_t len)
{
	struct tm	 tm;

	core_zone_localtime(when, x->zone, &tm);
	era_format(buf, len, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* " (令和8年12月6日)" for when in format 2, or "". */
static void
insp_beside(const struct insp *x, time_t when, char *buf, size_t len)
{
	char	 era[ERA_MAX];

	buf[0] = '\0';
	if (x->format < 2)
		return;
	insp_era(x, when, era, sizeof era);
	if (era[0] != '\0')
		snprintf(buf, len, " (%s)", era);
}

static void
insp_rate(struct insp *x, int area, int rating, const char *why)
{
	char	 v[16];
	size_t	 n = strlen(why);

	x->rating[area] = rating;
	/* The causes are "...; " each: drop the last separator. */
	snprintf(x->cause[area], sizeof x->cause[area], "%.*s",
	    (int)(n >= 2 && strcmp(why + n - 2, "; ") == 0 ? n - 2 : n), why);
	why = x->cause[area];
	fprintf(x->t, "  基準 rule: %s\n  評価 rating: %s (%s)\n",
	    insp_areas[area].rule, insp_ratings[rating],
	    insp_ratings_en[rating]);
	if (why[0] != '\0')
		fprintf(x->t, "  原因 cause: %s\n", why);
	fprintf(x->t, "  根拠 evidence (entries): %s\n\n",
	    x->evidence[area][0] ? x->evidence[area] : "-");
	snprintf(v, sizeof v, "%d", rating);
	insp_csv(x, "result", insp_areas[area].key, "rating", v,
	    insp_ratings[rating], x->evidence[area], why);
}

/* One counted line of an area, in both files. */
static void
insp_count(struct insp *x, const char *area, const char *item,
    const char *label, int64_t n)
{
	char	 v[24];

	snprintf(v, sizeof v, "%lld", (long long)n);
	fprintf(x->t, "  %8lld  %s\n", (long long)n, label);
	insp_csv(x, "result", area, item, v, "", "", "");
}

/* Format 2's header: the era's year and days beside the ISO ones. */
static void
insp_header_era(struct insp *x, const char *a, const char *b,
    const char *ref)
{
	char	 fy[ERA_MAX], ea[ERA_MAX], eb[ERA_MAX], eref[ERA_MAX + 8];

	era_fiscal(fy, sizeof fy, x->in->fy);
	insp_era(x, x->from, ea, sizeof ea);
	insp_era(x, x->to - 1, eb, sizeof eb);
	insp_beside(x, x->in->now, eref, sizeof eref);
	fprintf(x->t, "%s%s自己点検報告書 / Annual self-inspection report\n"
	    "============================================================\n\n"
	    "年度 Fiscal year:        %d%s%s%s, %s\n"
	    "期間 Period:             %s - %s", fy, fy[0] ? " " : "",
	    x->in->fy, fy[0] ? " (" : "", fy, fy[0] ? ")" : "", x->zone, a, b);
	if (ea[0] != '\0' && eb[0] != '\0')
		fprintf(x->t, " (%s - %s)", ea, eb);
	fprintf(x->t, "\n基準日 Reference day:    %s%s\n"
	    "台帳 Ledger:             %s, entries 0-%llu before this "
	    "report's sealing entry\n\n", ref, eref,
	    store_ledger_origin(x->s),
	    (unsigned long long)(x->in->size > 0 ? x->in->size - 1 : 0));
}

/* Format 1's header, ISO only. */
static void
insp_header_iso(struct insp *x, const char *a, const char *b,
    const char *ref)
{
	fprintf(x->t, "自己点検報告書 / Annual self-inspection report\n"
	    "==================================================\n\n"
	    "年度 Fiscal year:        %d (%s - %s, %s)\n"
	    "基準日 Reference day:    %s\n"
	    "台帳 Ledger:             %s, entries 0-%llu before this "
	    "report's sealing entry\n\n", x->in->fy, a, b, x->zone, ref,
	    store_ledger_origin(x->s),
	    (unsigned long long)(x->in->size > 0 ? x->in->size - 1 : 0));
}

static void
insp_header(struct insp *x)
{
	char	 a[16], b[16], ref[16];

	insp_day(x, x->from, a, sizeof a);
	insp_day(x, x->to - 1, b, sizeof b);
	insp_day(x, x->in->now, ref, sizeof ref);
	if (x->format >= 2)
		insp_header_era(x, a, b, ref);
	else
		insp_header_iso(x, a, b, ref);
	insp_csv(x, "section", "area", "item", "value", "rating", "evidence",
	    "note");
	snprintf(a, sizeof a, "%d", x->in->fy);
	insp_csv(x, "header", "", "fiscal_year", a, "", "", x->zone);
	insp_csv(x, "header", "", "reference_day", ref, "", "", "");
}

static void
insp_scope(struct insp *x)
{
	fputs("1. 点検の範囲 Scope\n", x->t);
	insp_count(x, "scope", "systems", "システム systems",
	    insp_int(x, "SELECT count(*) FROM system"));
	insp_count(x, "scope", "ids_live", "利用中のID live IDs",
	    insp_int(x, "SELECT count(*) FROM account WHERE state NOT IN "
	    "('revoked', 'expired')"));
	insp_count(x, "scope", "privileged_live", "特権ID privileged IDs",
	    insp_int(x, "SELECT count(*) FROM account WHERE kind = "
	    "'privileged' AND state NOT IN ('revoked', 'expired')"));
	insp_count(x, "scope", "people", "職員 people on record",
	    insp_int(x, "SELECT count(*) FROM person"));
	fputc('\n', x->t);
	fputs("2. 点検の方法 Method\n"
	    "  人事情報との照合 HR reconciliation: each ID's owner against "
	    "the HR records\n  (status, department) as the HR imports left "
	    "them; the year's stocktakes\n  (棚卸し) compared every ID in "
	    "scope with HR.\n"
	    "  台帳の分析 Ledger analysis: the signed ledger's records of the "
	    "year (stocktake\n  decisions and corrections, privileged "
	    "activations, exceptions, reviews of\n  the ledger); the ledger "
	    "itself verified (appendix).\n", x->t);
	insp_count(x, "method", "hr_imports", "人事取込 HR imports in the "
	    "year", insp_int(x, "SELECT count(*) FROM hr_import h WHERE "
	    "CAST(strftime('%s', h.as_of) AS INTEGER) BETWEEN ?1 AND ?2 - 1"));
	insp_count(x, "method", "stocktakes", "棚卸し stocktakes started",
	    insp_int(x, "SELECT count(*) FROM stocktake WHERE started_at >= "
	    "?1 AND started_at < ?2"));
	fputc('\n', x->t);
}

/* The year's campaigns, one line each. */
static void
insp_campaigns(struct insp *x)
{
	struct store_stmt	*st;
	char			 d[16], v[24];
	int			 r, n = 0;

	if (x->err != NULL || (st = store_prepare(x->s, "SELECT idx, "
	    "coalesce(title, ''), scope, started_at, state, items, "
	    "coalesce(closed_idx, 0), (SELECT count(*) FROM stocktake_item i "
	    "WHERE i.campaign = c.idx AND i.decision IN ('revoke', 'suspend', "
	    "'change')), (SELECT count(*) FROM stocktake_item i WHERE "
	    "i.campaign = c.idx AND i.decision IN ('revoke', 'suspend', "
	    "'change') AND i.corrected_idx IS NULL) FROM stocktake c WHERE "
	    "started_at >= ? AND started_at < ? ORDER BY idx",
	    &x->err)) == NULL)
		return;
	store_bind_int(st, 1, x->from);
	store_bind_int(st, 2, x->to);
	fputs("  棚卸し Stocktakes of the year (campaign, started, state, "
	    "items, corrections, open):\n", x->t);
	while ((r = store_step(st, &x->err)) == STORE_ROW) {
		insp_day(x, store_col_int(st, 3), d, sizeof d);
		fprintf(x->t, "    %-8lld %s %-6s %6lld %6lld %6lld  ",
		    (long long)store_col_int(st, 0), d, store_col_text(st, 4),
		    (long long)store_col_int(st, 5),
		    (long long)store_col_int(st, 7),
		    (long long)store_col_int(st, 8));
		insp_put(x, store_col_text(st, 2));
		fputc(' ', x->t);
		insp_put(x, store_col_text(st, 1));
		fputc('\n', x->t);
		snprintf(v, sizeof v, "%lld", (long long)store_col_int(st, 5));
		insp_csv(x, "stocktake", store_col_text(st, 0), d, v,
		    store_col_text(st, 4), store_col_text(st, 6),
		    store_col_text(st, 2));
		n++;
	}
	store_finalize(st);
	if (n == 0)
		fputs("    なし none\n", x->t);
}

static void
insp_ids(struct insp *x)
{
	int64_t	 n, closed, open, fixed, retired, diff;
	char	 why[400];

	fputs("3. 点検結果 Results\n3.1 利用者ID User IDs\n", x->t);
	n = insp_int(x, "SELECT count(*) FROM stocktake WHERE started_at >= "
	    "?1 AND started_at < ?2");
	closed = insp_int(x, "SELECT count(*) FROM stocktake WHERE started_at "
	    ">= ?1 AND started_at < ?2 AND state = 'closed'");
	insp_count(x, "ids", "stocktakes_closed", "完了した棚卸し closed "
	    "stocktakes", closed);
	insp_count(x, "ids", "items", "点検したID IDs reviewed",
	    insp_int(x, "SELECT count(*) FROM stocktake_item i JOIN stocktake "
	    "c ON c.idx = i.campaign WHERE c.started_at >= ?1 AND "
	    "c.started_at < ?2"));
	diff = insp_int(x, "SELECT count(*) FROM stocktake_item i JOIN "
	    "stocktake c ON c.idx = i.campaign WHERE c.started_at >= ?1 AND "
	    "c.started_at < ?2 AND coalesce(i.id_department, '') <> "
	    "coalesce(i.hr_department, '')");
	insp_count(x, "ids", "hr_differences", "人事との差異 differences "
	    "against HR", diff);
	fixed = insp_int(x, "SELECT count(*) FROM stocktake_item i JOIN "
	    "stocktake c ON c.idx = i.campaign WHERE c.started_at >= ?1 AND "
	    "c.started_at < ?2 AND i.decision IN ('revoke', 'suspend', "
	    "'change') AND i.corrected_idx IS NOT NULL");
	open = insp_int(x, "SELECT count(*) FROM stocktake_item i JOIN "
	    "stocktake c ON c.idx = i.campaign WHERE c.started_at >= ?1 AND "
	    "c.started_at < ?2 AND i.decision IN ('revoke', 'suspend', "
	    "'change') AND i.corrected_idx IS NULL");
	insp_count(x, "ids", "corrections_done", "是正済 corrections done",
	    fixed);
	insp_count(x, "ids", "corrections_open", "未是正 corrections open",
	    open);
	retired = insp_int(x, "SELECT count(*) FROM account a JOIN person p "
	    "ON p.employee_no = a.owner WHERE p.status = 'retired' AND "
	    "a.state NOT IN ('revoked', 'expired')");
	insp_count(x, "ids", "retired_owner_live", "退職者の利用中ID live IDs "
	    "of retired owners", retired);
	insp_campaigns(x);
	insp_list(x, "SELECT idx FROM stocktake WHERE started_at >= ?1 AND "
	    "started_at < ?2 UNION SELECT closed_idx FROM stocktake WHERE "
	    "started_at >= ?1 AND started_at < ?2 AND closed_idx IS NOT NULL "
	    "ORDER BY 1", x->evidence[AREA_IDS], sizeof x->evidence[AREA_IDS]);
	snprintf(why, sizeof why, "%s%s%s%s",
	    closed == 0 ? "no stocktake of the year was closed; " : "",
	    n > closed && closed > 0 ? "a stocktake was left open; " : "",
	    open > 0 ? "corrections decided were not carried out; " : "",
	    retired > 0 ? "IDs of retired owners are still live; " : "");
	insp_rate(x, AREA_IDS, closed == 0 ? 2 : why[0] != '\0' ? 1 : 0, why);
}

static void
insp_priv(struct insp *x)
{
	int64_t	 live, covered, retired;
	char	 why[400];

	fputs("3.2 特権ID Privileged IDs\n", x->t);
	live = insp_int(x, "SELECT count(*) FROM account WHERE kind = "
	    "'privileged' AND state NOT IN ('revoked', 'expired')");
	covered = insp_int(x, "SELECT count(*) FROM account a WHERE a.kind = "
	    "'privileged' AND a.state NOT IN ('revoked', 'expired') AND "
	    "EXISTS (SELECT 1 FROM stocktake_item i JOIN stocktake c ON c.idx "
	    "= i.campaign WHERE i.system = a.system AND i.login = a.login AND "
	    "c.state = 'closed' AND c.started_at >= ?1 AND c.started_at < ?2)");
	retired = insp_int(x, "SELECT count(*) FROM account a JOIN person p "
	    "ON p.employee_no = a.owner WHERE a.kind = 'privileged' AND "
	    "p.status = 'retired' AND a.state NOT IN ('revoked', 'expired')");
	insp_count(x, "privileged", "live", "特権ID live privileged IDs", live);
	insp_count(x, "privileged", "reviewed", "棚卸し済 reviewed in a "
	    "stocktake", covered);
	insp_count(x, "privileged", "retired_owner", "退職者の特権ID of "
	    "retired owners", retired);
	insp_count(x, "privileged", "activations", "一時利用 activations in "
	    "the year", insp_int(x, "SELECT count(*) FROM priv_request WHERE "
	    "start_at >= ?1 AND start_at < ?2"));
	insp_list(x, "SELECT idx FROM priv_request WHERE start_at >= ?1 AND "
	    "start_at < ?2 ORDER BY idx", x->evidence[AREA_PRIV],
	    sizeof x->evidence[AREA_PRIV]);
	snprintf(why, sizeof why, "%s%s",
	    covered < live ? "privileged IDs not reviewed in a closed "
	    "stocktake of the year; " : "",
	    retired > 0 ? "privileged IDs of retired owners; " : "");
	insp_rate(x, AREA_PRIV, live > 0 && covered == 0 ? 2 :
	    why[0] != '\0' ? 1 : 0, why);
}

static void
insp_cred(struct insp *x)
{
	int64_t	 live, old, temp;
	char	 why[400];

	fputs("3.3 認証情報 Credentials\n", x->t);
	live = insp_int(x, "SELECT count(*) FROM account WHERE state NOT IN "
	    "('revoked', 'expired')");
	old = insp_int(x, "SELECT count(*) FROM account WHERE state NOT IN "
	    "('revoked', 'expired') AND ?4 > 0 AND password_set_at IS NOT "
	    "NULL AND password_set_at + ?4 * 86400 < ?3");
	temp = insp_int(x, "SELECT count(*) FROM account WHERE state NOT IN "
	    "('revoked', 'expired') AND password_temp_until IS NOT NULL AND "
	    "password_temp_until < ?3");
	insp_count(x, "credentials", "live", "利用中のID live IDs", live);
	insp_count(x, "credentials", "over_max_age", "有効期限超過 passwords "
	    "over max_age_days", old);
	insp_count(x, "credentials", "temp_overdue", "仮パスワード期限超過 "
	    "temporary past deadline", temp);
	insp_count(x, "credentials", "must_change", "変更要求中 must change "
	    "at next login", insp_int(x, "SELECT count(*) FROM account WHERE "
	    "must_change AND state NOT IN ('revoked', 'expired')"));
	snprintf(why, sizeof why, "%s%s", old > 0 ? "passwords older than "
	    "the policy allows; " : "", temp > 0 ? "temporary passwords "
	    "not changed in time; " : "");
	insp_rate(x, AREA_CRED, (old + temp) * 2 > live && live > 0 ? 2 :
	    why[0] != '\0' ? 1 : 0, why);
}

/* Start of quarter q (0: April) of the year, in the policy's zone. */
static time_t
insp_quarter(const struct insp *x, int q)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = x->in->fy - 1900 + (q == 3);
	tm.tm_mon = (3 + 3 * q) % 12;
	tm.tm_mday = 1;
	return core_zone_mktime(&tm, x->zone);
}

static void
insp_access(struct insp *x)
{
	struct store_stmt	*st;
	int			 q, begun = 0, covered = 0;
	char			 why[400];

	fputs("3.4 アクセス記録 Access records\n", x->t);
	for (q = 0; q < 4 && x->err == NULL; q++) {
		if (insp_quarter(x, q) > x->in->now)
			break;
		begun++;
		if ((st = store_prepare(x->s, "SELECT 1 FROM review WHERE "
		    "from_at < ? AND to_at > ?", &x->err)) == NULL)
			break;
		store_bind_int(st, 1, q == 3 ? x->to : insp_quarter(x, q + 1));
		store_bind_int(st, 2, insp_quarter(x, q));
		covered += store_step(st, &x->err) == STORE_ROW;
		store_finalize(st);
	}
	insp_count(x, "access", "quarters_begun", "経過した四半期 quarters "
	    "begun", begun);
	insp_count(x, "access", "quarters_reviewed", "点検済の四半期 quarters "
	    "reviewed", covered);
	insp_count(x, "access", "failed_logins", "ログイン失敗 failed logins",
	    insp_int(x, "SELECT count(*) FROM login_event WHERE kind = "
	    "'failure' AND CAST(strftime('%s', time) AS INTEGER) >= ?1 AND "
	    "CAST(strftime('%s', time) AS INTEGER) < ?2"));
	insp_list(x, "SELECT idx FROM review WHERE from_at < ?2 AND to_at > ?1 "
	    "ORDER BY idx", x->evidence[AREA_ACCESS],
	    sizeof x->evidence[AREA_ACCESS]);
	snprintf(why, sizeof why, "%s", covered < begun ? "quarters whose "
	    "records nobody reviewed (review.done); " : "");
	insp_rate(x, AREA_ACCESS, begun > 0 && covered == 0 ? 2 :
	    why[0] != '\0' ? 1 : 0, why);
}

static void
insp_exc(struct insp *x)
{
	int64_t	 late, unreported;
	char	 why[400];

	fputs("3.5 例外措置 Exceptions\n", x->t);
	insp_count(x, "exceptions", "in_year", "年度内の例外措置 exceptions "
	    "in the year", insp_int(x, "SELECT count(*) FROM exception WHERE "
	    "start_at < ?2 AND end_at > ?1"));
	insp_count(x, "exceptions", "emergency", "緊急 emergency",
	    insp_int(x, "SELECT count(*) FROM exception WHERE start_at < ?2 "
	    "AND end_at > ?1 AND kind = 'emergency'"));
	late = insp_int(x, "SELECT count(*) FROM exception WHERE start_at < "
	    "?2 AND end_at > ?1 AND kind = 'emergency' AND reported_at > "
	    "report_due");
	unreported = insp_int(x, "SELECT count(*) FROM exception WHERE "
	    "start_at < ?2 AND end_at > ?1 AND kind = 'emergency' AND "
	    "reported_at IS NULL AND report_due < ?3");
	insp_count(x, "exceptions", "reported_late", "事後報告遅延 reported "
	    "late", late);
	insp_count(x, "exceptions", "unreported", "未報告 not reported, "
	    "overdue", unreported);
	insp_list(x, "SELECT idx FROM exception WHERE start_at < ?2 AND "
	    "end_at > ?1 ORDER BY idx", x->evidence[AREA_EXC],
	    sizeof x->evidence[AREA_EXC]);
	snprintf(why, sizeof why, "%s%s", unreported > 0 ? "emergency "
	    "exceptions not reported to an approver; " : "", late > 0 ?
	    "emergency exceptions reported late; " : "");
	insp_rate(x, AREA_EXC, unreported > 0 ? 2 : late > 0 ? 1 : 0, why);
}

/* Findings, and a correction for each. */
static void
insp_findings(struct insp *x)
{
	char	 due[16], edue[ERA_MAX + 8];
	int	 a, n = 0;

	insp_day(x, x->in->now + 90 * 86400, due, sizeof due);
	insp_beside(x, x->in->now + 90 * 86400, edue, sizeof edue);
	fputs("4. 指摘事項と原因 Findings and causes\n", x->t);
	for (a = 0; a < AREA_N; a++) {
		if (x->rating[a] == 0)
			continue;
		fprintf(x->t, "  F%d %s %s (%s): %s\n", ++n, insp_areas[a].ja,
		    insp_areas[a].en, insp_ratings[x->rating[a]],
		    x->cause[a]);
		insp_csv(x, "finding", insp_areas[a].key, "cause", "",
		    insp_ratings[x->rating[a]], x->evidence[a], x->cause[a]);
	}
	if (n == 0)
		fputs("  なし none\n", x->t);
	fputs("\n5. 是正措置 Corrections (owner, deadline)\n", x->t);
	for (a = 0, n = 0; a < AREA_N; a++) {
		if (x->rating[a] == 0)
			continue;
		fprintf(x->t, "  F%d %s: %s, %s%s\n", ++n, insp_areas[a].en,
		    x->in->preparer, due, edue);
		insp_csv(x, "correction", insp_areas[a].key, "owner",
		    x->in->preparer, "", "", due);
	}
}

/* Corrections a stocktake decided and nobody carried out yet. */
static void
insp_open_items(struct insp *x)
{
	struct store_stmt	*st;
	size_t			 n = 0;
	int			 r;

	if (x->err != NULL || (st = store_prepare(x->s, "SELECT i.campaign, "
	    "i.system, i.login, i.decision, coalesce(i.decided_by, ''), "
	    "coalesce(i.decided_idx, 0) FROM stocktake_item i JOIN stocktake "
	    "c ON c.idx = i.campaign WHERE c.started_at >= ? AND c.started_at "
	    "< ? AND i.decision IN ('revoke', 'suspend', 'change') AND "
	    "i.corrected_idx IS NULL ORDER BY i.campaign, i.system, i.login",
	    &x->err)) == NULL)
		return;
	store_bind_int(st, 1, x->from);
	store_bind_int(st, 2, x->to);
	while ((r = store_step(st, &x->err)) == STORE_ROW) {
		if (n++ < INSP_ROWS) {
			fprintf(x->t, "  stocktake %lld: ",
			    (long long)store_col_int(st, 0));
			insp_put(x, store_col_text(st, 1));
			fputc(' ', x->t);
			insp_put(x, store_col_text(st, 2));
			fprintf(x->t, " %s, owner ", store_col_text(st, 3));
			insp_put(x, store_col_text(st, 4));
			fprintf(x->t, " (entry %lld)\n",
			    (long long)store_col_int(st, 5));
		}
		insp_csv(x, "open_item", store_col_text(st, 0),
		    store_col_text(st, 1), store_col_text(st, 2),
		    store_col_text(st, 3), store_col_text(st, 5),
		    store_col_text(st, 4));
	}
	store_finalize(st);
	if (n > INSP_ROWS)
		fprintf(x->t, "  ... %zu in all (report.csv lists every one)\n",
		    n);
}

/* Last year's findings, each with this year's rating of its area. */
static void
insp_followup(struct insp *x)
{
	struct core_report	 prev;
	struct csv_reader	*rd;
	struct csv_row		 row;
	struct csv_pos		 pos;
	uint8_t			*data = NULL;
	size_t			 len, n = 0;
	char			 key[16], *why = NULL;
	int			 a, r;

	fputs("\n6. 前年度指摘事項のフォローアップ Follow-up of last year's "
	    "findings\n", x->t);
	snprintf(key, sizeof key, "%d", x->in->fy - 1);
	if (x->err != NULL)
		return;
	if ((r = core_report_find(x->s, "inspection", key, &prev,
	    &x->err)) != 0) {
		if (r == 1)
			fprintf(x->t, "  前年度の報告書なし no report for %s\n",
			    key);
		return;
	}
	if ((r = store_blob_get(x->s, prev.csv, &data, &len, &x->err)) != 0) {
		if (r == 1)
			fprintf(x->t, "  report of %s: its CSV is not kept\n",
			    key);
		return;
	}
	rd = csv_reader_new((const char *)data, len);
	while ((r = csv_next(rd, &row, &pos, &why)) != 0) {
		if (r == -1 || row.n < 7 || strcmp(row.f[0].s, "finding") != 0) {
			free(why);
			why = NULL;
			continue;
		}
		for (a = 0; a < AREA_N; a++) {
			if (strcmp(row.f[1].s, insp_areas[a].key) != 0)
				continue;
			fprintf(x->t, "  %s (entry %llu): %s -> %s\n",
			    insp_areas[a].en, (unsigned long long)prev.idx,
			    row.f[4].s, x->rating[a] == 0 ? "是正済 resolved" :
			    "継続 still open");
			insp_csv(x, "followup", insp_areas[a].key, key,
			    row.f[4].s, insp_ratings[x->rating[a]], "", "");
			n++;
		}
	}
	csv_reader_free(rd);
	free(data);
	if (n == 0)
		fprintf(x->t, "  前年度の指摘なし no findings in %s\n", key);
}

/* The year's exceptions, from the exception table as it stands. */
static void
insp_exceptions(struct insp *x)
{
	struct store_stmt	*st;
	char			 a[16], b[16];
	size_t			 n = 0;
	int			 r;

	fputs("\n7. 例外措置一覧 Exceptions of the year (number, kind, rule, "
	    "period, state, requester, approver, scope)\n", x->t);
	if (x->err != NULL || (st = store_prepare(x->s, "SELECT idx, kind, "
	    "rule, start_at, end_at, state, requester, coalesce(approver, "
	    "'-'), scope, reason FROM exception WHERE start_at < ? AND end_at "
	    "> ? ORDER BY idx", &x->err)) == NULL)
		return;
	store_bind_int(st, 1, x->to);
	store_bind_int(st, 2, x->from);
	while ((r = store_step(st, &x->err)) == STORE_ROW) {
		insp_day(x, store_col_int(st, 3), a, sizeof a);
		insp_day(x, store_col_int(st, 4) - 1, b, sizeof b);
		if (n++ < INSP_ROWS) {
			fprintf(x->t, "  %-8lld %-9s ", (long long)
			    store_col_int(st, 0), store_col_text(st, 1));
			insp_put(x, store_col_text(st, 2));
			fprintf(x->t, " %s - %s %s ", a, b,
			    store_col_text(st, 5));
			insp_put(x, store_col_text(st, 6));
			fputc(' ', x->t);
			insp_put(x, store_col_text(st, 7));
			fputc(' ', x->t);
			insp_put(x, store_col_text(st, 8));
			fputc('\n', x->t);
		}
		insp_csv(x, "exception", store_col_text(st, 0),
		    store_col_text(st, 2), store_col_text(st, 5), a, b,
		    store_col_text(st, 8));
	}
	store_finalize(st);
	if (n == 0)
		fputs("  なし none\n", x->t);
}

static void
insp_end(struct insp *x)
{
	const struct store_verify_result *v = x->in->verified;
	const char	*era = NULL;
	struct tm	 tm;
	char		 n[24];

	/* Format 2: the date a form leaves to be written by hand, in the
	 * era of the reference day. */
	if (x->format >= 2) {
		core_zone_localtime(x->in->now, x->zone, &tm);
		era = era_name(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	}
	fprintf(x->t, "\n8. 署名 Signatures\n"
	    "  作成者 Prepared by (operator %s):   ____________________\n"
	    "  承認者 Approved by (approver %s):   ____________________\n"
	    "  最高情報セキュリティ責任者 CISO:   ____________________\n",
	    x->in->preparer, x->in->approver ? x->in->approver : "-");
	if (era != NULL)
		fprintf(x->t, "  日付 Date:                          "
		    "%s　　年　　月　　日\n\n", era);
	else
		fputs("  日付 Date:                          "
		    "____________________\n\n", x->t);
	fputs("付録 Appendix: 台帳の検証結果 Ledger verification (daicho "
	    "verify, just before sealing)\n", x->t);
	fprintf(x->t, "  result:          %s\n", v->problem == NULL ?
	    "intact 完全性を確認" : "NOT INTACT 改ざんの疑い");
	if (v->problem != NULL) {
		fputs("  problem:         ", x->t);
		insp_put(x, v->problem);
		fputc('\n', x->t);
	}
	fprintf(x->t, "  entries:         %llu\n  epochs:          %llu\n"
	    "  checkpoint size: %llu\n  root key:        %s\n",
	    (unsigned long long)v->entries, (unsigned long long)v->epochs,
	    (unsigned long long)v->checkpoint_size,
	    v->root_vkey ? v->root_vkey : "-");
	snprintf(n, sizeof n, "%llu", (unsigned long long)v->entries);
	insp_csv(x, "verify", "", v->problem == NULL ? "intact" :
	    "not_intact", n, "", "", v->problem ? v->problem : "");
}

/* Fiscal year fy's bounds in zone. */
void
core_fiscal_year(int fy, const char *zone, time_t *from, time_t *to)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = fy - 1900;
	tm.tm_mon = 3;
	tm.tm_mday = 1;
	*from = core_zone_mktime(&tm, zone);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = fy + 1 - 1900;
	tm.tm_mon = 3;
	tm.tm_mday = 1;
	*to = core_zone_mktime(&tm, zone);
}

int
core_inspection_report(struct store *s, const struct core_inspection_in *in,
    struct core_report_bytes *out, char **cause)
{
	struct core_policy	 p;
	struct insp		 x;

	memset(out, 0, sizeof *out);
	memset(&x, 0, sizeof x);
	if (core_policy_get(s, NULL, NULL, &p, cause) != 0)
		return -1;
	assert(in->format >= 0 && in->format <= CORE_REPORT_FORMAT);
	x.s = s;
	x.in = in;
	x.format = in->format != 0 ? in->format : CORE_REPORT_FORMAT;
	snprintf(x.zone, sizeof x.zone, "%s", p.timezone);
	x.max_age_days = p.max_age_days;
	core_fiscal_year(in->fy, x.zone, &x.from, &x.to);
	if ((x.t = open_memstream(&x.tbuf, &x.tlen)) == NULL)
		fatal("open_memstream");
	insp_header(&x);
	insp_scope(&x);
	insp_ids(&x);
	insp_priv(&x);
	insp_cred(&x);
	insp_access(&x);
	insp_exc(&x);
	insp_findings(&x);
	insp_open_items(&x);
	insp_followup(&x);
	insp_exceptions(&x);
	insp_end(&x);
	if (fclose(x.t) != 0)
		fatal("report.txt");
	if (x.err != NULL) {
		xasprintf(cause, _("the inspection report of %d: %s"), in->fy,
		    x.err);
		free(x.err);
		free(x.tbuf);
		free(x.cbuf);
		return -1;
	}
	out->txt = x.tbuf;
	out->txtlen = x.tlen;
	out->csv = x.cbuf != NULL ? x.cbuf : xstrdup("");
	out->csvlen = x.clen;
	return 0;
}
