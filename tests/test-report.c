/*
 * test-report.c -- sealed reports below the command line:
 * - store_ledger_prove_many gives, for every entry of ledgers of 1 to 24
 *   entries, the very proof store_ledger_prove gives;
 * - the inspection report's ratings follow the stocktake, item and
 *   exception rows of the year (rows written directly: the actions that
 *   make them are other files' tests), and the same state gives the same
 *   bytes;
 * - a sealed report's package from core_report_package passes
 *   store_report_check, which names the file of each edit and refuses a
 *   malformed root key; report.remove is refused while kept;
 * - report.txt's format 1 (both reports) is the bytes it always was,
 *   format 2 shows the era's dates (和暦), report.csv is the same in
 *   both; an entry without a format (as before) applies, replays and
 *   packages, one with an unknown format is refused, and a new seal
 *   records format=2.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <sodium.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "testlib.h"

struct fixture {
	char		*base, *dir;
	struct store	*s;
};

static int
setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof *f);

	f->base = scratch_dir();
	xasprintf(&f->dir, "%s/data", f->base);
	init_store(f->dir);
	f->s = open_store(f->dir, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->s);
	rm_rf(f->base);
	free(f->dir);
	free(f->base);
	free(f);
	return 0;
}

static void
run_ok(struct store *s, const char *action, const char *op,
    const char *appr, const char *n1, const char *v1, const char *n2,
    const char *v2)
{
	struct core_actor	 who = { op, appr };
	struct store_args	 a = { 0 };
	char			*cause = NULL;

	if (n1 != NULL)
		store_args_add(&a, n1, v1);
	if (n2 != NULL)
		store_args_add(&a, n2, v2);
	if (core_run(s, action, &who, &a, NULL, &cause) != 0)
		fail_msg("%s: %s", action, cause);
}

/* act(s, action, op, approver, name, value, ..., NULL), which must
 * succeed. */
static void
act(struct store *s, const char *action, const char *op, const char *appr,
    ...)
{
	struct core_actor	 who = { op, appr };
	struct store_args	 a = { 0 };
	const char		*n;
	char			*cause = NULL;
	va_list			 ap;

	va_start(ap, appr);
	while ((n = va_arg(ap, const char *)) != NULL)
		store_args_add(&a, n, va_arg(ap, const char *));
	va_end(ap);
	if (core_run(s, action, &who, &a, NULL, &cause) != 0)
		fail_msg("%s: %s", action, cause);
}

static void
ops(struct store *s)
{
	run_ok(s, "operator.add", STORE_SYSTEM_ACTOR, NULL, "name", "boss",
	    "role", "admin");
	run_ok(s, "operator.add", "boss", NULL, "name", "appr", "role",
	    "approver");
}

static void
test_prove_many(void **state)
{
	struct fixture	*f = *state;
	uint64_t	 idx[32], n, i, size;
	char		*out[32], *one, *cause = NULL;

	for (n = 1; n <= 24; n++) {
		if (n > 1)
			run_ok(f->s, "ledger.rotate", STORE_SYSTEM_ACTOR, NULL,
			    NULL, NULL, NULL, NULL);
		assert_int_equal(ledger_size(f->s), n);
		for (i = 0; i < n; i++)
			idx[i] = n - 1 - i;	/* any order */
		if (store_ledger_prove_many(f->s, idx, n, 0, out, &size,
		    &cause) != 0)
			fail_msg("prove_many %llu: %s", (unsigned long long)n,
			    cause);
		assert_int_equal(size, n);
		for (i = 0; i < n; i++) {
			one = store_ledger_prove(f->s, idx[i], 0, &cause);
			assert_non_null(one);
			assert_string_equal(out[i], one);
			free(one);
			free(out[i]);
		}
	}
	idx[0] = n;
	assert_int_equal(store_ledger_prove_many(f->s, idx, 1, 0, out, &size,
	    &cause), -1);
	check_cause(cause, "not in the checkpoint");
	free(cause);
}

/* The rating of area in the year's report at now. */
static int
rating(struct store *s, int fy, time_t now, const char *area, char **txt)
{
	struct store_verify_result	 v;
	struct core_inspection_in	 in;
	struct core_report_bytes	 b, b2;
	char				 want[64], *cause = NULL, *p;
	int				 r;

	memset(&v, 0, sizeof v);
	memset(&in, 0, sizeof in);
	in.fy = fy;
	in.now = now;
	in.preparer = "boss";
	in.verified = &v;
	if (core_inspection_report(s, &in, &b, &cause) != 0)
		fail_msg("report: %s", cause);
	if (core_inspection_report(s, &in, &b2, &cause) != 0)
		fail_msg("report: %s", cause);
	assert_int_equal(b.txtlen, b2.txtlen);
	assert_memory_equal(b.txt, b2.txt, b.txtlen);
	assert_int_equal(b.csvlen, b2.csvlen);
	assert_memory_equal(b.csv, b2.csv, b.csvlen);
	snprintf(want, sizeof want, "result,%s,rating,", area);
	p = strstr(b.csv, want);
	assert_non_null(p);
	r = p[strlen(want)] - '0';
	if (txt != NULL)
		*txt = xstrdup(b.txt);
	free(b.txt);
	free(b.csv);
	free(b2.txt);
	free(b2.csv);
	return r;
}

static void
sql(struct store *s, const char *q)
{
	char	*cause = NULL;

	if (store_exec(s, q, &cause) != 0)
		fail_msg("%s: %s", q, cause);
}

static void
test_inspection_ratings(void **state)
{
	struct fixture	*f = *state;
	time_t		 now = 1810000000;	/* 2027-05-10, after FY 2026 */
	char		*txt;

	ops(f->s);
	assert_int_equal(rating(f->s, 2026, now, "ids", NULL), 2);
	assert_int_equal(rating(f->s, 2026, now, "exceptions", NULL), 0);
	/* A campaign of the year (2026-06-01), closed, everything kept. */
	sql(f->s, "INSERT INTO stocktake (idx, scope, deadline, snapshot, "
	    "items, started_by, started_at, state, closed_idx) VALUES (40, "
	    "'all', 1782000000, 'x', 1, 'boss', 1780272000, 'closed', 41);"
	    "INSERT INTO stocktake_item (campaign, system, login, kind, state, "
	    "recommendation, decision) VALUES (40, 'a', 'u1', 'personal', "
	    "'active', 'keep', 'keep')");
	assert_int_equal(rating(f->s, 2026, now, "ids", &txt), 0);
	assert_non_null(strstr(txt, "40 41"));	/* the evidence */
	free(txt);
	/* Not in fiscal 2025 (the campaign is in 2026). */
	assert_int_equal(rating(f->s, 2025, now, "ids", NULL), 2);
	/* A revocation decided and not carried out. */
	sql(f->s, "INSERT INTO stocktake_item (campaign, system, login, kind, "
	    "state, recommendation, decision, decided_by) VALUES (40, 'a', "
	    "'u2', 'personal', 'active', 'revoke', 'revoke', 'boss')");
	assert_int_equal(rating(f->s, 2026, now, "ids", &txt), 1);
	assert_non_null(strstr(txt, "corrections decided were not carried "
	    "out"));
	free(txt);
	sql(f->s, "UPDATE stocktake_item SET corrected_idx = 50 WHERE login = "
	    "'u2'");
	assert_int_equal(rating(f->s, 2026, now, "ids", NULL), 0);
	/* An emergency exception of the year, never reported, overdue. */
	sql(f->s, "INSERT INTO exception (idx, kind, rule, scope, reason, "
	    "start_at, end_at, requester, state, report_due) VALUES (60, "
	    "'emergency', 'dormant', 'system:a', 'r', 1790000000, 1791000000, "
	    "'boss', 'emergency', 1790259200)");
	assert_int_equal(rating(f->s, 2026, now, "exceptions", &txt), 2);
	assert_non_null(strstr(txt, "60"));
	free(txt);
	sql(f->s, "UPDATE exception SET state = 'reported', reported_at = "
	    "1790500000 WHERE idx = 60");
	assert_int_equal(rating(f->s, 2026, now, "exceptions", NULL), 1);
}

/* Last year's findings followed up: open while the area is rated so. */
static void
test_followup(void **state)
{
	struct fixture			*f = *state;
	struct core_actor		 who = { "boss", "appr" };
	struct store_verify_result	 vr;
	char				*txt, *cause = NULL;
	uint64_t			 idx;

	ops(f->s);
	memset(&vr, 0, sizeof vr);
	assert_int_equal(rating(f->s, 2026, time(NULL), "ids", &txt), 2);
	assert_non_null(strstr(txt, "no report for 2025"));
	free(txt);
	if (core_inspection_seal(f->s, &who, 2025, &vr, &idx, &cause) != 0)
		fail_msg("seal: %s", cause);
	assert_int_equal(core_inspection_seal(f->s, &who, 2025, &vr, &idx,
	    &cause), -1);
	check_cause(cause, "sealed already");
	free(cause);
	assert_int_equal(rating(f->s, 2026, time(NULL), "ids", &txt), 2);
	assert_non_null(strstr(txt, "user IDs (entry "));
	assert_non_null(strstr(txt, "不適合 -> 継続 still open"));
	free(txt);
}

/*
 * Rows of fiscal 2026 written directly, at fixed times: campaign 40
 * (started 2026-06-01 09:00 Tokyo, deadline 2026-06-19), open, two items
 * decided (one revoke), and an emergency exception.
 */
static void
format_rows(struct store *s)
{
	sql(s, "INSERT INTO stocktake (idx, title, scope, deadline, snapshot, "
	    "items, started_by, started_at, state) VALUES (40, 'Q1', 'all', "
	    "1781881200, 'x', 2, 'boss', 1780272000, 'open');"
	    "INSERT INTO stocktake_item (campaign, system, login, kind, state, "
	    "owner_name, id_department, hr_department, last_use, "
	    "recommendation, decision, reason, decided_by, decided_idx, "
	    "decided_at) VALUES (40, 'a', 'u1', 'personal', 'active', '山田', "
	    "'総務課', '総務課', 1779000000, 'keep', 'keep', 'fine', 'boss', 3, "
	    "1780300000), (40, 'a', 'u2', 'shared', 'active', '', '税務課', '', "
	    "1760000000, 'revoke', 'revoke', 'gone', 'boss', 4, 1780300000);"
	    "INSERT INTO exception (idx, kind, rule, scope, reason, start_at, "
	    "end_at, requester, state, report_due) VALUES (60, 'emergency', "
	    "'dormant', 'system:a', 'r', 1790000000, 1791000000, 'boss', "
	    "'emergency', 1790259200)");
}

/* SHA-256 of the bytes with the ledger's origin (random) as ORIGIN. */
static void
format_hash(struct store *s, const char *b, size_t len, char *hex)
{
	const char	*o = store_ledger_origin(s), *p;
	char		*out = xmalloc(len + 1);
	size_t		 n = 0;

	while (len > 0) {
		if (len >= strlen(o) && memcmp(b, o, strlen(o)) == 0) {
			p = "ORIGIN";
			memcpy(out + n, p, strlen(p));
			n += strlen(p);
			b += strlen(o);
			len -= strlen(o);
			continue;
		}
		out[n++] = *b++;
		len--;
	}
	store_sha256_hex(out, n, hex);
	free(out);
}

/*
 * The two formats of report.txt (docs/ledger-format.md 9).  Format 1 is
 * what entries without a format argument sealed: its bytes must never
 * change, so their SHA-256 (the origin, random, as ORIGIN) is the one
 * the code before format 2 made of these rows.  Format 2 adds the era's
 * dates beside the ISO ones; report.csv is the same in both.
 */
#define INSP_V1_TXT	"d95b03b92735d886230471689fe0067e76e07bd240295832081ece74a13c35fb"
#define INSP_CSV	"b97ab10b1318440e4994a643a997eb925b6a2bcb70cd8b725bd5cb42864b69a0"
#define STK_V1_TXT	"c4b201957afd0856121151a00ef5c9f8feb40d5a1792ac4b3dc45ad29232cb04"
#define STK_CSV		"5b4d9ce0f2fa21469b8f0b00ecfa6f73d7076258fd7f1d1ad0e250983d43422e"

static void
hash_is(struct store *s, const char *b, size_t len, const char *want,
    const char *what)
{
	char	 hex[STORE_HASH_HEX];

	format_hash(s, b, len, hex);
	if (strcmp(hex, want) != 0)
		fail_msg("%s changed: SHA-256 %s, not %s:\n%.*s", what, hex,
		    want, (int)len, b);
}

/* txt has want, or the test fails showing it. */
static void
has(const char *txt, const char *want)
{
	if (strstr(txt, want) == NULL)
		fail_msg("no \"%s\" in:\n%s", want, txt);
}

/* The inspection report of fiscal 2026 at 2027-05-10 (UTC) in format. */
static void
format_inspection(struct store *s, int format, struct core_report_bytes *b)
{
	struct store_verify_result	 v;
	struct core_inspection_in	 in;
	char				*cause = NULL;

	memset(&v, 0, sizeof v);
	memset(&in, 0, sizeof in);
	in.fy = 2026;
	in.now = 1810000000;		/* 2027-05-11 in Tokyo */
	in.size = 3;
	in.format = format;
	in.preparer = "boss";
	in.approver = "appr";
	in.verified = &v;
	if (core_inspection_report(s, &in, b, &cause) != 0)
		fail_msg("report: %s", cause);
}

static void
test_formats(void **state)
{
	struct fixture		*f = *state;
	struct core_report_bytes b, b0;
	char			*cause = NULL, *t, *c;
	size_t			 tl, cl;

	ops(f->s);
	format_rows(f->s);
	format_inspection(f->s, 1, &b);
	hash_is(f->s, b.txt, b.txtlen, INSP_V1_TXT, "inspection format 1");
	hash_is(f->s, b.csv, b.csvlen, INSP_CSV, "inspection report.csv");
	assert_null(strstr(b.txt, "令和"));
	free(b.txt);
	free(b.csv);
	format_inspection(f->s, 2, &b);
	format_inspection(f->s, 0, &b0);	/* 0: the current format */
	assert_int_equal(b.txtlen, b0.txtlen);
	assert_memory_equal(b.txt, b0.txt, b.txtlen);
	hash_is(f->s, b.csv, b.csvlen, INSP_CSV, "inspection report.csv");
	assert_null(strstr(b.csv, "令和"));
	assert_true(strncmp(b.txt, "令和8年度 自己点検報告書 / Annual "
	    "self-inspection report\n", strlen("令和8年度 自己点検報告書 / "
	    "Annual self-inspection report\n")) == 0);
	has(b.txt, "\n年度 Fiscal year:        2026 (令和8年度), "
	    "Asia/Tokyo\n");
	has(b.txt, "\n期間 Period:             2026-04-01 - "
	    "2027-03-31 (令和8年4月1日 - 令和9年3月31日)\n");
	has(b.txt, "\n基準日 Reference day:    2027-05-11 "
	    "(令和9年5月11日)\n");
	has(b.txt, "\n  F1 user IDs: boss, 2027-08-09 "
	    "(令和9年8月9日)\n");
	has(b.txt, "\n  日付 Date:                          "
	    "令和　　年　　月　　日\n");
	free(b.txt);
	free(b.csv);
	free(b0.txt);
	free(b0.csv);

	/* The review list, made on 2026-06-20 (Tokyo). */
	if (core_stocktake_report_format(f->s, 40, 1, 1781920000, &t, &tl,
	    &c, &cl, &cause) != 0)
		fail_msg("stocktake report: %s", cause);
	hash_is(f->s, t, tl, STK_V1_TXT, "review list format 1");
	hash_is(f->s, c, cl, STK_CSV, "review list report.csv");
	free(t);
	free(c);
	if (core_stocktake_report_format(f->s, 40, 2, 1781920000, &t, &tl,
	    &c, &cl, &cause) != 0)
		fail_msg("stocktake report: %s", cause);
	hash_is(f->s, c, cl, STK_CSV, "review list report.csv");
	has(t, "\n開始 / Started: 2026-06-01 09:00 (令和8年6月1日, "
	    "Asia/Tokyo) by boss\n");
	has(t, "\n期限 / Deadline: 2026-06-19 23:59 (令和8年6月19日, "
	    "Asia/Tokyo)\n");
	has(t, "\n作成日 / Made: 2026-06-20 (令和8年6月20日, "
	    "Asia/Tokyo)\n");
	free(t);
	free(c);
}

/*
 * Append an entry as an older daicho wrote it (no format argument) and
 * apply it, as core_run would after validate: the path the entries of
 * an existing ledger took.  0, or -1 with *cause (nothing kept).
 */
static int
append_as_before(struct store *s, const char *action,
    const struct core_actor *who, const char *subject,
    const struct store_args *a, uint64_t *idx, char **cause)
{
	const struct core_action	*act = core_action_find(action);
	struct store_entry		*e;
	const uint8_t			*bytes;
	size_t				 len;
	int				 r;

	assert_non_null(act);
	if (store_begin(s, cause) != 0)
		return -1;
	if (store_ledger_append(s, action, who->operator, who->approver,
	    subject, a, 0, idx, cause) != 0 || store_ledger_last(s, *idx,
	    &bytes, &len, cause) != 0 ||
	    (e = store_entry_parse(bytes, len, cause)) == NULL) {
		store_rollback(s);
		return -1;
	}
	r = act->apply(s, e, cause);
	store_entry_free(e);
	if (r != 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, cause);
}

static void
replayed(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "replay: %s\n", line);
}

/*
 * A report.inspection entry without format (format 1, the old text's
 * bytes as blobs) still applies, replays and packages; one naming a
 * format this daicho does not know is refused; a new seal records
 * format=2, the current text's SHA-256 as report_txt.
 */
static void
test_old_entry(void **state)
{
	struct fixture			*f = *state;
	struct core_actor		 who = { "boss", "appr" };
	struct store_verify_result	 vr;
	struct core_report_bytes	 b;
	struct core_report_pkg		 k;
	struct store_args		 a = { 0 };
	struct store_entry		*e;
	char				*cause = NULL, txt[STORE_HASH_HEX];
	char				 csv[STORE_HASH_HEX];
	uint64_t			 idx;

	ops(f->s);
	format_rows(f->s);
	format_inspection(f->s, 1, &b);
	/* The rows were written behind the ledger's back: gone again, so
	 * replay compares what entries made. */
	sql(f->s, "DELETE FROM stocktake_item; DELETE FROM stocktake; "
	    "DELETE FROM exception");
	assert_int_equal(store_begin(f->s, &cause), 0);
	assert_int_equal(store_blob_put(f->s, b.txt, b.txtlen, txt, &cause),
	    0);
	assert_int_equal(store_blob_put(f->s, b.csv, b.csvlen, csv, &cause),
	    0);
	assert_int_equal(store_commit(f->s, &cause), 0);
	store_args_add(&a, "year", "2025");
	store_args_add(&a, "report_txt", txt);
	store_args_add(&a, "report_csv", csv);
	if (append_as_before(f->s, "report.inspection", &who,
	    "report:inspection/2025", &a, &idx, &cause) != 0)
		fail_msg("the old entry: %s", cause);
	/* Not a format this daicho knows: refused, nothing written. */
	store_args_add(&a, "format", "3");
	assert_int_equal(append_as_before(f->s, "report.inspection", &who,
	    "report:inspection/2024", &a, &idx, &cause), -1);
	check_cause(cause, "format \"3\", which this daicho does not know");
	free(cause);
	cause = NULL;
	assert_int_equal(core_replay(f->s, replayed, NULL, &cause), 0);
	if (core_report_package(f->s, "inspection", "2025", &k, &cause) != 0)
		fail_msg("package: %s", cause);
	assert_int_equal(k.txtlen, b.txtlen);
	assert_memory_equal(k.txt, b.txt, b.txtlen);
	if ((e = store_entry_parse(k.entry, k.entrylen, &cause)) == NULL)
		fail_msg("entry: %s", cause);
	assert_null(store_args_get(&e->args, "format"));
	store_entry_free(e);
	core_report_package_free(&k);
	free(b.txt);
	free(b.csv);

	/* A new seal: format=2, and the bytes are format 2's. */
	memset(&vr, 0, sizeof vr);
	if (core_inspection_seal(f->s, &who, 2026, &vr, &idx, &cause) != 0)
		fail_msg("seal: %s", cause);
	if (core_report_package(f->s, "inspection", "2026", &k, &cause) != 0)
		fail_msg("package: %s", cause);
	if ((e = store_entry_parse(k.entry, k.entrylen, &cause)) == NULL)
		fail_msg("entry: %s", cause);
	assert_string_equal(store_args_get(&e->args, "format"), "2");
	store_entry_free(e);
	has(k.txt, "令和8年度 自己点検報告書");
	core_report_package_free(&k);
	assert_int_equal(core_replay(f->s, replayed, NULL, &cause), 0);
}

/*
 * The same for stocktake.close: a campaign (every row here an entry's,
 * so replay compares them all) closed by an entry without a format, its
 * review list format 1, applies and replays; the next closes with
 * format=2.
 */
static void
test_old_close(void **state)
{
	struct fixture		*f = *state;
	struct core_actor	 who = { "boss", "appr" };
	struct core_report_pkg	 k;
	struct store_args	 a = { 0 };
	struct store_entry	*e;
	char			*cause = NULL, *t, *c, txt[STORE_HASH_HEX];
	char			 csv[STORE_HASH_HEX], n[24];
	size_t			 tl, cl;
	int64_t			 campaign;
	uint64_t		 idx;

	ops(f->s);
	act(f->s, "system.add", "boss", "appr", "name", "juki", "type", "unix",
	    "title", "住民記録システム", "conf", "3", "integ", "2", "avail", "2",
	    "config", "root=/tmp/x\nhome=/home", NULL);
	act(f->s, "person.add", "boss", NULL, "employee_no", "E1", "name_kanji",
	    "山田 太郎", "name_kana", "ヤマダ　タロウ", "department", "総務課",
	    "position", "主事", "employment", "regular", "start_date",
	    "2020-04-01", NULL);
	act(f->s, "id.create", "boss", NULL, "system", "juki", "login",
	    "yamada", "kind", "personal", "owner", "E1", NULL);
	act(f->s, "stocktake.start", "boss", NULL, "scope", "all",
	    "deadline", "2099-12-31", NULL);
	assert_int_equal(store_query_int(f->s, "SELECT max(idx) FROM "
	    "stocktake", &campaign, &cause), 0);
	snprintf(n, sizeof n, "%lld", (long long)campaign);
	act(f->s, "stocktake.decide", "boss", NULL, "campaign", n, "filter",
	    "decided=no", "decision", "keep", "reason", "fine", NULL);
	if (core_stocktake_report_format(f->s, campaign, 1, time(NULL), &t,
	    &tl, &c, &cl, &cause) != 0)
		fail_msg("review list: %s", cause);
	assert_null(strstr(t, "作成日"));
	assert_int_equal(store_begin(f->s, &cause), 0);
	assert_int_equal(store_blob_put(f->s, t, tl, txt, &cause), 0);
	assert_int_equal(store_blob_put(f->s, c, cl, csv, &cause), 0);
	assert_int_equal(store_commit(f->s, &cause), 0);
	store_args_add(&a, "campaign", n);
	store_args_add(&a, "report_txt", txt);
	store_args_add(&a, "report_csv", csv);
	if (append_as_before(f->s, "stocktake.close", &who, "stocktake:x",
	    &a, &idx, &cause) != 0)
		fail_msg("the old close: %s", cause);
	assert_int_equal(core_replay(f->s, replayed, NULL, &cause), 0);
	if (core_report_package(f->s, "stocktake", n, &k, &cause) != 0)
		fail_msg("package: %s", cause);
	assert_int_equal(k.txtlen, tl);
	assert_memory_equal(k.txt, t, tl);
	core_report_package_free(&k);
	free(t);
	free(c);

	/* The next campaign closes as daicho closes one now. */
	act(f->s, "stocktake.start", "boss", NULL, "scope", "all",
	    "deadline", "2099-12-31", NULL);
	assert_int_equal(store_query_int(f->s, "SELECT max(idx) FROM "
	    "stocktake", &campaign, &cause), 0);
	snprintf(n, sizeof n, "%lld", (long long)campaign);
	act(f->s, "stocktake.decide", "boss", NULL, "campaign", n, "filter",
	    "decided=no", "decision", "revoke", "reason", "gone", NULL);
	act(f->s, "stocktake.close", "boss", "appr", "campaign", n, NULL);
	if (core_report_package(f->s, "stocktake", n, &k, &cause) != 0)
		fail_msg("package: %s", cause);
	if ((e = store_entry_parse(k.entry, k.entrylen, &cause)) == NULL)
		fail_msg("entry: %s", cause);
	assert_string_equal(store_args_get(&e->args, "format"), "2");
	store_entry_free(e);
	t = xstrndup(k.txt, k.txtlen);
	has(t, "\n作成日 / Made: ");
	has(t, " (令和");
	free(t);
	core_report_package_free(&k);
	assert_int_equal(core_replay(f->s, replayed, NULL, &cause), 0);
}

/* A stocktake's package: refused, naming why, until it is sealed. */
static void
test_stocktake_refused(void **state)
{
	struct fixture		*f = *state;
	struct core_report_pkg	 k;
	char			*cause = NULL;

	assert_int_equal(core_report_package(f->s, "stocktake", "40", &k,
	    &cause), -1);
	check_cause(cause, "no stocktake campaign 40");
	free(cause);
	sql(f->s, "INSERT INTO stocktake (idx, scope, deadline, snapshot, "
	    "items, started_by, started_at, state) VALUES (40, 'all', 1, 'x', "
	    "0, 'boss', 1, 'open')");
	assert_int_equal(core_report_package(f->s, "stocktake", "40", &k,
	    &cause), -1);
	check_cause(cause, "is not closed");
	free(cause);
	sql(f->s, "UPDATE stocktake SET state = 'closed'");
	assert_int_equal(core_report_package(f->s, "stocktake", "40", &k,
	    &cause), -1);
	check_cause(cause, "without a sealed report");
	free(cause);
}

/* A copy of p with one part replaced, checked: r and the cause. */
static void
check_edit(const struct store_report_pkg *p, const char *vkey, int want,
    const char *why)
{
	struct store_report_result	 res;
	char				*cause = NULL;

	assert_int_equal(store_report_check(p, vkey, &res, &cause), want);
	if (why != NULL)
		check_cause(cause, why);
	free(cause);
}

static void
test_package(void **state)
{
	struct fixture			*f = *state;
	struct core_actor		 who = { "boss", "appr" };
	struct store_verify_opts	 vo;
	struct store_verify_result	 vr;
	struct core_report_pkg		 k;
	struct store_report_link	 links[8];
	struct store_report_pkg		 p, e;
	struct store_args		 a = { 0 };
	char				*cause = NULL, *vkey, *root;
	uint64_t			 idx;
	size_t				 i;

	ops(f->s);
	run_ok(f->s, "ledger.rotate", STORE_SYSTEM_ACTOR, NULL, NULL, NULL,
	    NULL, NULL);
	memset(&vo, 0, sizeof vo);
	assert_int_equal(store_verify(f->s, &vo, &vr, &cause), 0);
	if (core_inspection_seal(f->s, &who, 2026, &vr, &idx, &cause) != 0)
		fail_msg("seal: %s", cause);
	store_verify_result_free(&vr);
	/* report.remove: kept five years. */
	store_args_add(&a, "kind", "inspection");
	store_args_add(&a, "key", "2026");
	store_args_add(&a, "reason", "r");
	assert_int_equal(core_run(f->s, "report.remove", &who, &a, NULL,
	    &cause), -1);
	check_cause(cause, "report_keep_years");
	free(cause);
	cause = NULL;
	if (core_report_package(f->s, "inspection", "2026", &k, &cause) != 0)
		fail_msg("package: %s", cause);
	assert_int_equal(k.index, idx);
	assert_int_equal(k.nchain, 2);
	memset(&p, 0, sizeof p);
	p.txt = (const uint8_t *)k.txt;
	p.txtlen = k.txtlen;
	p.csv = (const uint8_t *)k.csv;
	p.csvlen = k.csvlen;
	p.entry = k.entry;
	p.entrylen = k.entrylen;
	p.proof = k.proof;
	p.prooflen = strlen(k.proof);
	for (i = 0; i < k.nchain; i++) {
		links[i].name = "chain/x";
		links[i].index = k.chain[i].index;
		links[i].entry = k.chain[i].entry;
		links[i].entrylen = k.chain[i].len;
		links[i].proof = k.chain[i].proof;
		links[i].prooflen = strlen(k.chain[i].proof);
	}
	p.chain = links;
	p.nchain = k.nchain;
	vkey = store_epoch_vkey(f->s);		/* epoch 1's, not the root */
	{
		struct store_epoch	*ep;
		size_t			 n;

		assert_int_equal(store_epochs(f->s, &ep, &n, &cause), 0);
		root = xstrdup(ep[0].vkey);	/* the root key */
		store_epochs_free(ep, n);
	}
	check_edit(&p, root, 0, NULL);
	check_edit(&p, vkey, 1, "chain/x.entry");
	check_edit(&p, "nonsense", -1, NULL);
	e = p;
	e.txtlen--;
	check_edit(&e, root, 1, "report.txt");
	e = p;
	e.csv = (const uint8_t *)"x";
	e.csvlen = 1;
	check_edit(&e, root, 1, "report.csv");
	/* As verify-report gives them: the files' SHA-256, streamed. */
	{
		char	 tsha[STORE_HASH_HEX], csha[STORE_HASH_HEX];

		store_sha256_hex(k.txt, k.txtlen, tsha);
		store_sha256_hex(k.csv, k.csvlen, csha);
		e = p;
		e.txt = e.csv = NULL;
		e.txtsha = tsha;
		e.csvsha = csha;
		check_edit(&e, root, 0, NULL);
		e.csvsha = tsha;
		check_edit(&e, root, 1, "report.csv: its SHA-256 is");
		e.csvsha = csha;
		e.txtsha = csha;
		check_edit(&e, root, 1, "report.txt: its SHA-256 is");
	}
	e = p;
	e.nchain = 1;				/* the rotation left out */
	check_edit(&e, root, 1, "proof: its checkpoint is not signed");
	e = p;
	e.proof = k.chain[0].proof;		/* entry 0's proof */
	e.prooflen = strlen(k.chain[0].proof);
	check_edit(&e, root, 1, "proof: it proves entry 0");
	e = p;
	e.nchain = 0;
	check_edit(&e, root, 1, "chain: no entries");
	free(vkey);
	free(root);
	core_report_package_free(&k);
}

/* store_sha256_fd streams a file through SHA-256 in 1 MiB reads: the
 * same digest as store_sha256_hex over its bytes (the FIPS 180-2 "abc"
 * vector first), across several reads, and a refusal past max. */
static void
test_sha256_fd(void **state)
{
	char		 hex[STORE_HASH_HEX], want[STORE_HASH_HEX];
	size_t		 n = 3 * 1024 * 1024 + 7, i;
	uint8_t		*buf = xmalloc(n);
	uint64_t	 len = 0;
	FILE		*f;

	(void)state;
	store_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	for (i = 0; i < n; i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);
	store_sha256_hex(buf, n, want);
	assert_non_null(f = tmpfile());
	assert_int_equal(fwrite(buf, 1, n, f), n);
	assert_int_equal(fflush(f), 0);
	rewind(f);
	assert_int_equal(store_sha256_fd(fileno(f), n, hex, &len), 0);
	assert_int_equal(len, n);
	assert_string_equal(hex, want);
	rewind(f);
	assert_int_equal(store_sha256_fd(fileno(f), n - 1, hex, &len), -1);
	assert_int_equal(errno, EFBIG);
	fclose(f);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_prove_many, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_inspection_ratings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_package, setup, teardown),
		cmocka_unit_test_setup_teardown(test_followup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stocktake_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_entry, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_old_close, setup,
		    teardown),
		cmocka_unit_test(test_sha256_fd),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
