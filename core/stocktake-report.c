/*
 * stocktake-report.c -- the review list (棚卸し確認リスト) of a stocktake,
 * as text (Japanese and English headings, per system: a document a
 * person reads, so it lists only the IDs that need a look -- any
 * decision but a plain keep, or findings, or an exception -- and counts
 * the plain keeps) and as CSV (every ID; RFC
 * 4180, every field quoted, CRLF; one row per ID, the columns an auditor expects in their order),
 * each with a footer: totals, differences against HR, corrections done
 * and still open.
 *
 * Made from the tables alone, with every time in the policy timezone,
 * so the same tables give the same bytes: stocktake.close seals these
 * bytes by their SHA-256.  The text's format 2 (CORE_REPORT_FORMAT) adds
 * the era's date (和暦) beside the header's days, and the day the list
 * was made; format 1, what entries without a format sealed, has neither
 * and is kept byte for byte.  The CSV is the same in both, ISO only.
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

/* The CSV's columns, in the order of the review list. */
static const char *const rpt_head[] = {
	"システム (system)", "ID", "種別 (kind)", "氏名 (name)",
	"所属・ID (department on the ID)", "所属・人事 (department in HR)",
	"在職区分 (employment status)", "最終異動日 (last transfer order)",
	"権限 (rights)", "付与日 (granted on)",
	"申請・承認 (request/approval entry)", "終了日 (end date)",
	"最終ログイン (last login)", "未使用日数 (days unused)",
	"最終パスワード変更 (last password change)",
	"例外措置 (exception)", "判定 (decision)", "理由 (reason)",
	"確認者 (reviewer)", "確認日 (date)", "是正実施 (correction)",
	"是正確認者 (confirmed by)", "指摘 (findings)", "推奨 (recommended)",
};
#define RPT_NCOLS	(sizeof rpt_head / sizeof rpt_head[0])

struct rpt_ctx {
	struct store	*s;
	const struct core_stocktake *c;
	int		 format;		/* report.txt's layout */
	time_t		 made;			/* the day it is made */
	char		 zone[CORE_POLICY_TEXT];
	char		*txt, *csv;
	size_t		 tlen, tcap, clen, ccap;
	char		 system[40];		/* the system being listed */
	int64_t		 unlisted;		/* its plain keeps */
	uint64_t	 gidx;			/* the last granting entry read */
	char		 granted[16], gentry[200];
	int64_t		 n, dec[CORE_STOCKTAKE_NDECISIONS + 1];
	int64_t		 hr_dept, hr_leaver, hr_none;
	int64_t		 done, pending_close, open;
	int		 failed;
	char		*why;
};

/* One CSV field, always quoted (RFC 4180: quotes doubled), then a
 * comma, or CRLF when it ends the record. */
static void
rpt_csv(struct rpt_ctx *x, const char *v, int last)
{
	size_t	 n = strlen(v), i;
	char	*p;

	x->csv = xgrow(x->csv, &x->ccap, x->clen + 2 * n + 5, 1);
	p = x->csv + x->clen;
	*p++ = '"';
	for (i = 0; i < n; i++) {
		if (v[i] == '"')
			*p++ = '"';
		*p++ = v[i];
	}
	*p++ = '"';
	if (last) {
		*p++ = '\r';
		*p++ = '\n';
	} else
		*p++ = ',';
	*p = '\0';
	x->clen = (size_t)(p - x->csv);
}

static void
rpt_printf(struct rpt_ctx *x, const char *fmt, ...) DAICHO_PRINTF(2, 3);

static void
rpt_printf(struct rpt_ctx *x, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("vasprintf");
	x->txt = xgrow(x->txt, &x->tcap, x->tlen + (size_t)n + 1, 1);
	memcpy(x->txt + x->tlen, s, (size_t)n + 1);
	x->tlen += (size_t)n;
	free(s);
}

/*
 * The report's zone as TZ while the report is made (set once: setting TZ
 * and tzset() for each of a city's millions of times read the zone file
 * each time), and TZ as it was afterwards.
 */
static char *
rpt_tz_set(const struct rpt_ctx *x)
{
	char	*old = NULL, *tz;

	if ((tz = getenv("TZ")) != NULL)
		old = xstrdup(tz);
	xasprintf(&tz, ":%s", x->zone);
	setenv("TZ", tz, 1);
	tzset();
	free(tz);
	return old;
}

static void
rpt_tz_restore(char *old)
{
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

/* t as a day (or a day and time) in the report's zone (TZ, set by
 * rpt_tz_set); "" when t < 0. */
static void
rpt_when(const struct rpt_ctx *x, int64_t t, int hm, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	(void)x;
	buf[0] = '\0';
	if (t < 0)
		return;
	localtime_r(&tt, &tm);
	strftime(buf, len, hm ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", &tm);
}

/* " (令和8年6月1日, ZONE)" for t, in the report's zone; " (ZONE)" when
 * the era has no name for it. */
static void
rpt_era(const struct rpt_ctx *x, int64_t t, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	char		 era[ERA_MAX];

	localtime_r(&tt, &tm);
	if (era_format(era, sizeof era, tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday) != 0)
		snprintf(buf, len, " (%s)", x->zone);
	else
		snprintf(buf, len, " (%s, %s)", era, x->zone);
}

static const char *
rpt_kind(const char *kind)
{
	static const char *const k[][2] = {
		{ "personal", "個人" }, { "shared", "共用" },
		{ "privileged", "特権" }, { "contractor", "委託" },
		{ "service", "共用(サービス)" },
	};
	size_t	 i;

	for (i = 0; i < sizeof k / sizeof k[0]; i++) {
		if (strcmp(kind, k[i][0]) == 0)
			return k[i][1];
	}
	return kind;
}

static int
rpt_decision(const char *d)
{
	int	 i;

	for (i = 0; i < CORE_STOCKTAKE_NDECISIONS; i++) {
		if (strcmp(d, core_stocktake_decisions[i]) == 0)
			return i;
	}
	return CORE_STOCKTAKE_NDECISIONS;
}

static void
rpt_granted_cb(void *arg, const struct store_entry *e)
{
	struct rpt_ctx	*x = arg;
	time_t		 t;

	x->granted[0] = '\0';
	if (when_parse_utc(e->time, &t) == 0)
		rpt_when(x, (int64_t)t, 0, x->granted, sizeof x->granted);
	snprintf(x->gentry, sizeof x->gentry, "#%llu %s by %s%s%s",
	    (unsigned long long)e->index, e->action, e->operator,
	    e->approver != NULL ? ", approved by " : "",
	    e->approver != NULL ? e->approver : "");
}

/* The entry that granted the ID: its day and who asked and approved. */
static void
rpt_granted(struct rpt_ctx *x, uint64_t idx)
{
	if (idx == x->gidx)
		return;
	x->gidx = idx;
	x->granted[0] = x->gentry[0] = '\0';
	if (idx != 0 && core_entries_at(x->s, &idx, 1, rpt_granted_cb, x,
	    x->failed ? NULL : &x->why) != 0)
		x->failed = 1;
}

/* The correction of an item: done by the close, or what remains. */
static void
rpt_correction(struct rpt_ctx *x, const struct core_stocktake_item *it,
    char *buf, size_t len)
{
	int	 d = rpt_decision(it->decision);

	buf[0] = '\0';
	if (it->corrected_idx != 0) {
		snprintf(buf, len, "#%llu", (unsigned long long)it->corrected_idx);
		x->done++;
	} else if (d == 2 || d == 3) {
		if (strcmp(x->c->state, "open") == 0) {
			snprintf(buf, len, "締め処理で実施 (at close)");
			x->pending_close++;
		} else
			snprintf(buf, len, "対象なし (ID gone)");
	} else if (d == 1 || d == 4 || d == CORE_STOCKTAKE_NDECISIONS) {
		snprintf(buf, len, "未了 (open)");
		x->open++;
	}
}

static void
rpt_counts(struct rpt_ctx *x, const struct core_stocktake_item *it)
{
	x->n++;
	x->dec[rpt_decision(it->decision)]++;
	if (it->owner[0] != '\0' && it->hr_department[0] == '\0')
		x->hr_none++;
	else if (it->owner[0] != '\0' && strcmp(it->id_department,
	    it->hr_department) != 0)
		x->hr_dept++;
	if (strcmp(it->hr_status, "retired") == 0)
		x->hr_leaver++;
}

/* The end of a system's list in the text: its plain keeps, counted. */
static void
rpt_system_end(struct rpt_ctx *x)
{
	if (x->system[0] != '\0' && x->unlisted > 0)
		rpt_printf(x, "(継続 %lld 件は一覧に含めず、全件は report.csv / "
		    "%lld plain keeps not listed; every ID is in report.csv)\n",
		    (long long)x->unlisted, (long long)x->unlisted);
	x->unlisted = 0;
}

/* Whether the text lists an item: all but a plain keep (kept, with no
 * findings and no exception). */
static int
rpt_listed(const struct core_stocktake_item *it, int d)
{
	return d != 0 || it->findings[0] != '\0' || it->exception != 0;
}

static void
rpt_item(void *arg, const struct core_stocktake_item *it)
{
	struct rpt_ctx	*x = arg;
	const char	*f[RPT_NCOLS];
	char		 status[48], last[24], unused[24], pw[24], exc[24];
	char		 when[24], corr[64];
	int		 d = rpt_decision(it->decision);
	size_t		 i;

	rpt_counts(x, it);
	rpt_granted(x, it->granted_idx);
	rpt_correction(x, it, corr, sizeof corr);
	snprintf(status, sizeof status, "%s%s%s", it->hr_status,
	    it->hr_status[0] != '\0' && it->employment[0] != '\0' ? " " : "",
	    it->employment);
	rpt_when(x, it->last_use, 0, last, sizeof last);
	unused[0] = '\0';
	if (it->last_use >= 0)
		snprintf(unused, sizeof unused, "%lld", (long long)
		    ((x->c->started_at - it->last_use) / 86400));
	rpt_when(x, it->password_set_at, 0, pw, sizeof pw);
	exc[0] = '\0';
	if (it->exception != 0)
		snprintf(exc, sizeof exc, "#%lld", it->exception);
	rpt_when(x, it->decided_idx != 0 ? it->decided_at : -1, 0, when,
	    sizeof when);
	f[0] = it->system; f[1] = it->login; f[2] = rpt_kind(it->kind);
	f[3] = it->owner_name; f[4] = it->id_department;
	f[5] = it->hr_department; f[6] = status; f[7] = it->transfer_date;
	f[8] = it->rights; f[9] = x->granted; f[10] = x->gentry;
	f[11] = it->end_date; f[12] = last; f[13] = unused; f[14] = pw;
	f[15] = exc;
	f[16] = d < CORE_STOCKTAKE_NDECISIONS ?
	    core_stocktake_decisions_ja[d] : "";
	f[17] = it->reason; f[18] = it->decided_by; f[19] = when;
	f[20] = corr; f[21] = it->confirmed_by; f[22] = it->findings;
	f[23] = strcmp(it->recommendation, "revoke") == 0 ? "削除" : "継続";
	for (i = 0; i < RPT_NCOLS; i++)
		rpt_csv(x, f[i], i + 1 == RPT_NCOLS);
	if (strcmp(x->system, it->system) != 0) {
		rpt_system_end(x);
		snprintf(x->system, sizeof x->system, "%s", it->system);
		rpt_printf(x, "\n== システム / System: %s ==\n"
		    "ID\t種別\t氏名\t所属(ID/人事)\t在職\t最終ログイン\t"
		    "判定\t理由\t確認者\t確認日\t是正\n", it->system);
	}
	if (!rpt_listed(it, d)) {
		x->unlisted++;
		return;
	}
	rpt_printf(x, "%s\t%s\t%s\t%s/%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
	    it->login, f[2], it->owner_name[0] != '\0' ? it->owner_name : "-",
	    it->id_department, it->hr_department, status[0] != '\0' ? status :
	    "-", last[0] != '\0' ? last : "-", d < CORE_STOCKTAKE_NDECISIONS ?
	    core_stocktake_decisions_ja[d] : "未判定", it->reason,
	    it->decided_by, when, corr);
}

static void
rpt_inspection(void *arg, const struct core_stocktake_inspection *in)
{
	struct rpt_ctx	*x = arg;

	rpt_printf(x, "%s: IDs %lld, 不要なアカウント (unnecessary "
	    "accounts, recommended revoke) %lld, 不要な権限 (unnecessary "
	    "rights) %lld, 特権ID (privileged holders) %lld, パスワード方針 "
	    "(password policy) max_age_days %d history %d: 期限超過 "
	    "(overdue) %lld, 不明 (never set by daicho) %lld: %s\n",
	    in->system, (long long)in->ids, (long long)in->unnecessary,
	    (long long)in->unnecessary_rights, (long long)in->privileged,
	    in->max_age_days, in->history, (long long)in->pw_overdue,
	    (long long)in->pw_unknown, in->conforms ? "適合 (conforms)" :
	    "不適合 (does not conform)");
}

/*
 * The header: format 1 gives each day with its zone; format 2 also the
 * era's date beside it (rpt_era), and the day the list was made.
 */
static void
rpt_head_txt(struct rpt_ctx *x)
{
	char	 start[24], deadline[24], made[24];
	char	 e1[CORE_POLICY_TEXT + ERA_MAX + 8];
	char	 e2[CORE_POLICY_TEXT + ERA_MAX + 8];

	rpt_when(x, x->c->started_at, 1, start, sizeof start);
	rpt_when(x, x->c->deadline - 1, 1, deadline, sizeof deadline);
	if (x->format >= 2) {
		rpt_era(x, x->c->started_at, e1, sizeof e1);
		rpt_era(x, x->c->deadline - 1, e2, sizeof e2);
	} else {
		snprintf(e1, sizeof e1, " (%s)", x->zone);
		snprintf(e2, sizeof e2, " (%s)", x->zone);
	}
	rpt_printf(x, "棚卸し確認リスト / ID review list\n"
	    "棚卸し / Stocktake: %llu%s%s\n"
	    "範囲 / Scope: %s\n"
	    "開始 / Started: %s%s by %s\n"
	    "期限 / Deadline: %s%s\n",
	    (unsigned long long)x->c->idx, x->c->title[0] != '\0' ? " " : "",
	    x->c->title, x->c->scope, start, e1, x->c->started_by, deadline,
	    e2);
	if (x->format >= 2) {
		rpt_when(x, x->made, 0, made, sizeof made);
		rpt_era(x, x->made, e1, sizeof e1);
		rpt_printf(x, "作成日 / Made: %s%s\n", made, e1);
	}
	rpt_printf(x, "スナップショット / Snapshot: %s (%lld IDs)\n"
	    "一覧 / Listed: 継続以外の判定、指摘または例外のあるID。単なる継続は"
	    "システムごとに件数のみ。全IDは report.csv / IDs with a decision "
	    "other than keep, findings or an exception; plain keeps are counted "
	    "per system; every ID is in report.csv\n"
	    "\n定期点検 / Periodic inspection (対策基準 §9(8))\n",
	    x->c->snapshot, (long long)x->c->items);
}

static void
rpt_footer(struct rpt_ctx *x)
{
	char	 line[512];
	int	 i;

	rpt_printf(x, "\n合計 / Totals: %lld IDs", (long long)x->n);
	for (i = 0; i < CORE_STOCKTAKE_NDECISIONS; i++)
		rpt_printf(x, "; %s %s %lld", core_stocktake_decisions_ja[i],
		    core_stocktake_decisions[i], (long long)x->dec[i]);
	rpt_printf(x, "; 未判定 undecided %lld\n",
	    (long long)x->dec[CORE_STOCKTAKE_NDECISIONS]);
	snprintf(line, sizeof line, "人事との差異 / Differences against HR: "
	    "所属の相違 (department differs) %lld; 退職者のID (leavers' IDs) "
	    "%lld; 人事記録なし (owner not in HR) %lld",
	    (long long)x->hr_dept, (long long)x->hr_leaver,
	    (long long)x->hr_none);
	rpt_printf(x, "%s\n", line);
	rpt_printf(x, "是正 / Corrections: 実施済み (done) %lld; 締め処理で実施 "
	    "(at close) %lld; 未了 (still open) %lld\n", (long long)x->done,
	    (long long)x->pending_close, (long long)x->open);
	rpt_csv(x, "", 1);
	rpt_csv(x, line, 1);
	snprintf(line, sizeof line, "合計 / Totals: %lld IDs; 実施済み (done) "
	    "%lld; 締め処理で実施 (at close) %lld; 未了 (still open) %lld",
	    (long long)x->n, (long long)x->done, (long long)x->pending_close,
	    (long long)x->open);
	rpt_csv(x, line, 1);
}

int
core_stocktake_report(struct store *s, long long campaign, char **txt,
    size_t *txtlen, char **csv, size_t *csvlen, char **cause)
{
	struct core_stocktake	 c;
	time_t			 made = time(NULL);
	int			 r;

	if ((r = core_stocktake_get(s, (uint64_t)campaign, &c, cause)) == -1)
		return -1;
	if (r == 0 && c.closed_at > 0)
		made = (time_t)c.closed_at;
	return core_stocktake_report_format(s, campaign, CORE_REPORT_FORMAT,
	    made, txt, txtlen, csv, csvlen, cause);
}

int
core_stocktake_report_format(struct store *s, long long campaign,
    int format, time_t made, char **txt, size_t *txtlen, char **csv,
    size_t *csvlen, char **cause)
{
	struct core_stocktake	 c;
	struct core_policy	 p;
	struct rpt_ctx		 x;
	size_t			 i, n;
	char			*oldtz;
	int			 r;

	*txt = *csv = NULL;
	if ((r = core_stocktake_get(s, (uint64_t)campaign, &c, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, _("there is no stocktake %lld"),
			    campaign);
		return -1;
	}
	if (core_policy_get(s, NULL, NULL, &p, cause) != 0)
		return -1;
	memset(&x, 0, sizeof x);
	assert(format >= 1 && format <= CORE_REPORT_FORMAT);
	x.s = s;
	x.c = &c;
	x.format = format;
	x.made = made;
	snprintf(x.zone, sizeof x.zone, "%s", p.timezone);
	oldtz = rpt_tz_set(&x);
	rpt_head_txt(&x);
	for (i = 0; i < RPT_NCOLS; i++)
		rpt_csv(&x, rpt_head[i], i + 1 == RPT_NCOLS);
	r = core_stocktake_inspection(s, c.idx, rpt_inspection, &x, cause);
	if (r == 0)
		r = core_stocktake_items_each(s, c.idx, NULL, rpt_item, &x, &n,
		    cause);
	rpt_tz_restore(oldtz);
	if (r != 0 || x.failed) {
		if (r == 0)
			*cause = x.why;
		else
			free(x.why);
		free(x.txt);
		free(x.csv);
		return -1;
	}
	rpt_system_end(&x);
	rpt_footer(&x);
	*txt = x.txt;
	*txtlen = x.tlen;
	*csv = x.csv;
	*csvlen = x.clen;
	return 0;
}
