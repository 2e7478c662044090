/*
 * test-stocktake.c -- the quarterly stocktake (core/action-stocktake.c,
 * core/stocktake.c, core/stocktake-report.c): the recommendation of each
 * ID (revoke for a leaver's, an orphaned and an unused shared one; keep
 * otherwise), the filters, decisions by ID and by filter (a later one
 * replaces an earlier), the deadline's defaults, close's refusals and
 * what it carries out, and the review list's determinism and quoting.
 *
 * The people, systems and IDs are written as their actions' apply
 * functions leave them; the stocktake itself runs through core_run.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "testlib.h"

struct fx {
	char		*base, *dir;
	struct store	*s;
	uint64_t	 campaign;
};

static const struct core_actor adm = { "adm", NULL };
static const struct core_actor two = { "adm", "apr" };

static void
sql(struct fx *f, const char *fmt, ...)
{
	char	*q, *cause = NULL;
	va_list	 ap;

	va_start(ap, fmt);
	if (vasprintf(&q, fmt, ap) == -1)
		fail_msg("vasprintf");
	va_end(ap);
	if (store_exec(f->s, q, &cause) != 0)
		fail_msg("%s: %s", q, cause);
	free(q);
}

static int64_t
num(struct fx *f, const char *q)
{
	int64_t	 n;
	char	*cause = NULL;

	if (store_query_int(f->s, q, &n, &cause) != 0)
		fail_msg("%s: %s", q, cause);
	return n;
}

static void
person(struct fx *f, const char *no, const char *name, const char *dept,
    const char *status)
{
	sql(f, "INSERT INTO person (employee_no, name_kanji, name_kana, "
	    "department, position, employment, status, start_date, "
	    "changed_idx) VALUES ('%s', '%s', 'カナ', '%s', '主事', "
	    "'regular', '%s', '2020-04-01', 1)", no, name, dept, status);
}

static void
id(struct fx *f, const char *system, const char *login, const char *kind,
    const char *owner)
{
	sql(f, "INSERT INTO account (system, login, kind, owner, state, "
	    "created_idx, changed_idx) VALUES ('%s', '%s', '%s', %s%s%s, "
	    "'active', 1, 1)", system, login, kind, owner ? "'" : "",
	    owner ? owner : "NULL", owner ? "'" : "");
}

/* Run action as who with name=value pairs (NULL-terminated). */
static int
run(struct fx *f, const struct core_actor *who, const char *action,
    char **cause, ...)
{
	struct store_args	 a = { 0 };
	const char		*k, *v;
	va_list			 ap;
	uint64_t		 idx;

	va_start(ap, cause);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		store_args_add(&a, k, v);
	}
	va_end(ap);
	*cause = NULL;
	if (core_run(f->s, action, who, &a, &idx, cause) != 0)
		return -1;
	if (strcmp(action, "stocktake.start") == 0)
		f->campaign = idx;
	return 0;
}

/* run, which must succeed. */
#define must(f, who, action, ...) do {					\
	char	*must_cause;						\
									\
	if (run((f), (who), (action), &must_cause, __VA_ARGS__,	\
	    (const char *)NULL) != 0)					\
		fail_msg("%s: %s", (action), must_cause);		\
} while (0)

static int
setup(void **state)
{
	struct fx		*f = xcalloc(1, sizeof *f);
	struct core_config	 cfg;

	f->base = scratch_dir();
	xasprintf(&f->dir, "%s/data", f->base);
	init_store(f->dir);
	f->s = open_store(f->dir, 0);
	core_config_defaults(&cfg);
	core_stocktake_config(&cfg);
	core_config_free(&cfg);
	sql(f, "INSERT INTO operator (name, role, state, ever_approver, "
	    "added_idx, changed_idx) VALUES ('adm', 'admin', 'active', 0, 1, "
	    "1), ('apr', 'approver', 'active', 1, 1, 1)");
	sql(f, "INSERT INTO system (name, type, title, conf, integ, avail, "
	    "config, added_idx) VALUES ('sys-a', 'manual', 'A', 2, 2, 2, '', "
	    "1), ('sys-b', 'manual', 'B', 2, 2, 2, '', 1)");
	person(f, "E0000001", "山田 \"太郎\", 係長", "総務課", "active");
	/* A TAB and a backslash: escaped in the snapshot, read back. */
	person(f, "E0000002", "佐藤\t花子\\", "税務課", "retired");
	id(f, "sys-a", "u1", "personal", "E0000001");
	id(f, "sys-a", "u2", "personal", "E0000002");
	id(f, "sys-a", "u3", "personal", "E0000099");
	id(f, "sys-b", "u1", "personal", "E0000001");
	id(f, "sys-b", "shared1", "shared", NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	store_close(f->s);
	rm_rf(f->base);
	free(f->dir);
	free(f->base);
	free(f);
	return 0;
}

static void
start(struct fx *f)
{
	must(f, &adm, "stocktake.start", "scope", "all", "deadline",
	    "2099-12-31", "title", "Q");
}

static const char *
rec(struct fx *f, const char *system, const char *login)
{
	static char	 buf[32];
	struct store_stmt *st;
	char		*cause = NULL;

	st = store_prepare(f->s, "SELECT recommendation || '/' || "
	    "coalesce(decision, '-') FROM stocktake_item WHERE system = ? AND "
	    "login = ?", &cause);
	assert_non_null(st);
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	assert_int_equal(store_step(st, &cause), STORE_ROW);
	snprintf(buf, sizeof buf, "%s", store_col_text(st, 0));
	store_finalize(st);
	return buf;
}

static void
test_recommendation(void **state)
{
	struct fx	*f = *state;
	int64_t		 d, t;
	char		*cause = NULL;

	start(f);
	assert_string_equal(rec(f, "sys-a", "u1"), "keep/-");
	assert_string_equal(rec(f, "sys-a", "u2"), "revoke/-");	/* leaver */
	assert_string_equal(rec(f, "sys-a", "u3"), "revoke/-");	/* orphan */
	assert_string_equal(rec(f, "sys-b", "u1"), "keep/-");
	assert_string_equal(rec(f, "sys-b", "shared1"), "revoke/-");
	assert_int_equal(core_stocktake_progress(f->s, f->campaign, &d, &t,
	    &cause), 0);
	assert_int_equal(t, 5);
	assert_int_equal(d, 0);
	/* The snapshot is the blob the entry names; the items came from it. */
	assert_int_equal(num(f, "SELECT items FROM stocktake"), 5);
	assert_int_equal(num(f, "SELECT count(*) FROM stocktake_item WHERE "
	    "owner_name = '佐藤' || char(9) || '花子\\' AND hr_department = "
	    "'税務課' AND hr_status = 'retired'"), 1);
}

static void
count_cb(void *arg, const struct core_stocktake_item *it)
{
	(void)it;
	(*(int *)arg)++;
}

static int
matching(struct fx *f, const char *filter)
{
	char	*cause = NULL;
	size_t	 n;
	int	 k = 0;

	if (core_stocktake_items_load(f->s, f->campaign, filter, count_cb, &k,
	    &n, &cause) != 0) {
		free(cause);
		return -1;
	}
	assert_int_equal((int)n, k);
	return k;
}

/* The item's id_department. */
static const char *
dept(struct fx *f, const char *system, const char *login)
{
	static char	 buf[64];
	struct store_stmt *st;
	char		*cause = NULL;

	st = store_prepare(f->s, "SELECT coalesce(id_department, '-') FROM "
	    "stocktake_item WHERE system = ? AND login = ?", &cause);
	assert_non_null(st);
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	assert_int_equal(store_step(st, &cause), STORE_ROW);
	snprintf(buf, sizeof buf, "%s", store_col_text(st, 0));
	store_finalize(st);
	return buf;
}

/*
 * An owned ID's department is the one its owner left by the first
 * transfer after the ID was made (not a cancelled one); an ID made after
 * the transfer, or whose owner never moved, has the owner's.  The
 * snapshot holds only what the state cannot give.
 */
static void
test_departments(void **state)
{
	struct fx	*f = *state;

	id(f, "sys-b", "late", "personal", "E0000001");
	sql(f, "UPDATE account SET created_idx = 9 WHERE login = 'late'");
	sql(f, "INSERT INTO hr_event (id, import_idx, kind, employee_no, "
	    "effective, detail, state, from_department, changed_idx) VALUES "
	    "(1, 5, 'mover', 'E0000002', '2024-04-01', '', 'cancelled', "
	    "'消防課', 5), (2, 5, 'mover', 'E0000001', '2024-04-01', '', "
	    "'applied', '企画課', 5), (3, 7, 'mover', 'E0000001', "
	    "'2025-04-01', '', 'applied', '広報課', 7)");
	start(f);
	assert_string_equal(dept(f, "sys-a", "u1"), "企画課");
	assert_string_equal(dept(f, "sys-b", "u1"), "企画課");
	assert_string_equal(dept(f, "sys-b", "late"), "総務課");
	assert_string_equal(dept(f, "sys-a", "u2"), "税務課");
	assert_string_equal(dept(f, "sys-a", "u3"), "-");
	assert_int_equal(num(f, "SELECT count(*) FROM stocktake_item WHERE "
	    "hr_department = '総務課'"), 3);
	/* The snapshot holds what the state cannot give: a line for an
	 * ID core_findings found something of (a leaver's, a shared ID
	 * without users), none for the others (their systems list no last
	 * use; owner-unknown is the row's own rule, judged by apply). */
	assert_int_equal(num(f, "SELECT CAST(b.data AS TEXT) = "
	    "'daicho-stocktake v3' || char(10) || 'sys-a' || char(9) || 'u2' "
	    "|| char(9) || '-1' || char(9) || 'leaver-active' || char(10) || "
	    "'sys-b' || char(9) || 'shared1' || char(9) || '-1' || char(9) || "
	    "'shared-without-users' || char(10) FROM blob b JOIN stocktake s "
	    "ON b.sha256 = s.snapshot"), 1);
	/* A department's scope reads the same departments. */
	person(f, "E0000003", "鈴木 一郎", "企画課", "active");
	must(f, &adm, "stocktake.start", "scope", "department:企画課",
	    "deadline", "2099-12-31");
	assert_int_equal(matching(f, NULL), 2);
}

/* "system/login:rule" lines in key and rule order. */
struct flines {
	char	*text;
	size_t	 len, cap;
};

static void
fline(struct flines *l, const char *system, const char *login, int rule)
{
	char	*line;

	xasprintf(&line, "%s/%s:%02d %s\n", system, login, rule,
	    core_findings_rules[rule].name);
	l->text = xgrow(l->text, &l->cap, l->len + strlen(line) + 1, 1);
	memcpy(l->text + l->len, line, strlen(line) + 1);
	l->len += strlen(line);
	free(line);
}

static void
finding_cb(void *arg, const struct core_finding *fd)
{
	if (fd->system[0] != '\0' && fd->login[0] != '\0')
		fline(arg, fd->system, fd->login, fd->rule);
}

static int
line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* l's lines sorted, as one text. */
static char *
sorted(struct flines *l)
{
	char	**v = NULL, *p, *out;
	size_t	 n = 0, cap = 0, i, len = 0;

	for (p = strtok(l->text, "\n"); p != NULL; p = strtok(NULL, "\n")) {
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = p;
	}
	qsort(v, n, sizeof *v, line_cmp);
	out = xcalloc(1, l->len + 2);
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(out + len, "%s\n", v[i]);
	free(v);
	return out;
}

/*
 * The snapshot decides some rules from each ID's own row (the owner's,
 * the contractor's, the password's) and asks core_findings for the
 * rest: every item's findings are the findings core_findings reports
 * about that ID.
 */
static void
test_findings_same(void **state)
{
	struct fx		*f = *state;
	struct core_config	 cfg;
	struct store_stmt	*st;
	struct flines		 want = { 0 }, got = { 0 };
	char			*cause = NULL, *w, *g, *names, *r;
	size_t			 n;
	int			 rule;

	sql(f, "INSERT INTO person (employee_no, name_kanji, name_kana, "
	    "department, position, employment, status, start_date, end_date, "
	    "changed_idx) VALUES ('E0000004', '委託 太郎', 'カナ', '総務課', "
	    "'主事', 'contractor', 'active', '2020-04-01', '2001-03-31', 1)");
	id(f, "sys-a", "c1", "personal", "E0000004");	/* contractor's */
	id(f, "sys-a", "c2", "contractor", "E0000001");	/* ended */
	id(f, "sys-a", "c3", "contractor", "E0000001");	/* locked */
	id(f, "sys-a", "c4", "contractor", NULL);	/* and orphaned */
	sql(f, "UPDATE account SET end_date = '2000-01-01' WHERE login IN "
	    "('c2', 'c3', 'c4')");
	sql(f, "UPDATE account SET state = 'locked' WHERE login = 'c3'");
	id(f, "sys-a", "t1", "personal", "E0000001");
	sql(f, "UPDATE account SET password_temp_until = 1, password_set_at = "
	    "strftime('%%s', 'now') WHERE login = 't1'");
	id(f, "sys-a", "o1", "personal", "E0000001");
	sql(f, "UPDATE account SET password_set_at = 1 WHERE login = 'o1'");
	sql(f, "UPDATE account SET password_due = 'a user left' WHERE login "
	    "= 'shared1'");
	start(f);
	core_config_defaults(&cfg);
	assert_int_equal(core_findings(f->s, &cfg, ~0U, finding_cb, &want, &n,
	    &cause), 0);
	core_config_free(&cfg);
	st = store_prepare(f->s, "SELECT system, login, findings FROM "
	    "stocktake_item WHERE campaign = ?", &cause);
	assert_non_null(st);
	store_bind_int(st, 1, (int64_t)f->campaign);
	while (store_step(st, &cause) == STORE_ROW) {
		names = xstrdup(store_col_text(st, 2));
		for (r = strtok(names, ","); r != NULL; r = strtok(NULL, ",")) {
			rule = core_findings_rule(r);
			assert_true(rule >= 0);
			fline(&got, store_col_text(st, 0),
			    store_col_text(st, 1), rule);
		}
		free(names);
	}
	store_finalize(st);
	w = sorted(&want);
	g = sorted(&got);
	assert_string_equal(g, w);
	/* Each rule the items' own rows decide is among them. */
	assert_non_null(strstr(g, "sys-a/c1:06 contractor-expired\n"));
	assert_non_null(strstr(g, "sys-a/c2:06 contractor-expired\n"));
	assert_null(strstr(g, "sys-a/c3:"));
	assert_non_null(strstr(g, "sys-a/c4:02 owner-unknown\n"));
	assert_non_null(strstr(g, "sys-a/c4:06 contractor-expired\n"));
	assert_non_null(strstr(g, "sys-a/u3:02 owner-unknown\n"));
	assert_non_null(strstr(g, "sys-a/t1:10 temp-unchanged\n"));
	assert_non_null(strstr(g, "sys-a/o1:09 password-overdue\n"));
	assert_non_null(strstr(g, "sys-b/shared1:11 shared-password-due\n"));
	assert_string_equal(rec(f, "sys-a", "c4"), "revoke/-");
	free(w);
	free(g);
	free(want.text);
	free(got.text);
}

static void
test_filters(void **state)
{
	struct fx	*f = *state;

	/* A shared ID of two departments' people. */
	id(f, "sys-b", "shared2", "shared", NULL);
	sql(f, "INSERT INTO account_user (system, login, employee_no) VALUES "
	    "('sys-b', 'shared2', 'E0000001'), ('sys-b', 'shared2', "
	    "'E0000002')");
	start(f);
	assert_int_equal(matching(f, "department=税務課"), 2);
	assert_int_equal(matching(f, "department=総務課"), 3);
	assert_int_equal(matching(f, "system=sys-b,kind=shared"), 2);
	sql(f, "DELETE FROM stocktake_item WHERE login = 'shared2'");
	assert_int_equal(matching(f, NULL), 5);
	assert_int_equal(matching(f, "system=sys-a"), 3);
	assert_int_equal(matching(f, "recommendation=revoke"), 3);
	assert_int_equal(matching(f, "recommendation=revoke,system=sys-b"), 1);
	assert_int_equal(matching(f, "finding=owner-unknown"), 1);
	assert_int_equal(matching(f, "kind=shared"), 1);
	assert_int_equal(matching(f, "decided=no"), 5);
	assert_int_equal(matching(f, "decided=yes"), 0);
	assert_int_equal(matching(f, "bogus=1"), -1);
	assert_int_equal(matching(f, "decided=maybe"), -1);
	assert_int_equal(matching(f, "finding=no-such-rule"), -1);
	assert_int_equal(matching(f, "system"), -1);
	assert_int_equal(matching(f, "recommendation=later"), -1);
}

static void
test_decide(void **state)
{
	struct fx	*f = *state;
	char		*cause, c[24];
	uint64_t	 before;

	start(f);
	snprintf(c, sizeof c, "%llu", (unsigned long long)f->campaign);
	must(f, &adm, "stocktake.decide", "campaign", c, "filter",
	    "recommendation=revoke", "decision", "revoke", "reason", "bulk");
	assert_string_equal(rec(f, "sys-a", "u2"), "revoke/revoke");
	assert_string_equal(rec(f, "sys-a", "u1"), "keep/-");
	assert_int_equal(num(f, "SELECT count(*) FROM stocktake_item WHERE "
	    "decided_by = 'adm' AND reason = 'bulk'"), 3);
	/* One ID; a later decision replaces the earlier. */
	must(f, &adm, "stocktake.decide", "campaign", c, "system", "sys-a",
	    "login", "u3", "decision", "investigate", "reason", "who?");
	assert_string_equal(rec(f, "sys-a", "u3"), "revoke/investigate");
	/* Refused, nothing written. */
	before = ledger_size(f->s);
	assert_int_equal(run(f, &adm, "stocktake.decide", &cause, "campaign",
	    c, "system", "sys-a", "login", "nobody", "decision", "keep",
	    "reason", "x", NULL), -1);
	check_cause(cause, "matches");
	free(cause);
	assert_int_equal(run(f, &adm, "stocktake.decide", &cause, "campaign",
	    c, "filter", "system=sys-a", "system", "sys-a", "login", "u1",
	    "decision", "keep", "reason", "x", NULL), -1);
	check_cause(cause, "either");
	free(cause);
	assert_int_equal(run(f, &adm, "stocktake.decide", &cause, "campaign",
	    c, "filter", "system=sys-a", "decision", "delete", "reason", "x",
	    NULL), -1);
	check_cause(cause, "decision");
	free(cause);
	assert_int_equal(run(f, &adm, "stocktake.decide", &cause, "campaign",
	    "999", "filter", "system=sys-a", "decision", "keep", "reason",
	    "x", NULL), -1);
	check_cause(cause, "no stocktake");
	free(cause);
	assert_int_equal(run(f, &adm, "stocktake.decide", &cause, "campaign",
	    c, "filter", "system=sys-a", "decision", "keep", "reason", "x",
	    "count", "1", NULL), -1);
	free(cause);
	assert_int_equal(ledger_size(f->s), before);
}

static void
test_start_refusals(void **state)
{
	struct fx	*f = *state;
	char		*cause;
	uint64_t	 before = ledger_size(f->s);

	assert_int_equal(run(f, &adm, "stocktake.start", &cause, "scope",
	    "system:nowhere", "deadline", "2099-12-31", NULL), -1);
	check_cause(cause, "nowhere");
	free(cause);
	assert_int_equal(run(f, &adm, "stocktake.start", &cause, "scope",
	    "floor:3", "deadline", "2099-12-31", NULL), -1);
	check_cause(cause, "scope");
	free(cause);
	assert_int_equal(run(f, &adm, "stocktake.start", &cause, "scope",
	    "all", "deadline", "2001-01-01", NULL), -1);
	check_cause(cause, "passed");
	free(cause);
	assert_int_equal(run(f, &adm, "stocktake.start", &cause, "scope",
	    "all", "deadline", "2099-02-30", NULL), -1);
	check_cause(cause, "deadline");
	free(cause);
	assert_int_equal(run(f, &adm, "stocktake.start", &cause, "scope",
	    "all", "deadline", "2099-12-31", "items", "3", NULL), -1);
	free(cause);
	assert_int_equal(ledger_size(f->s), before);
	/* A department's scope takes its people's IDs only. */
	must(f, &adm, "stocktake.start", "scope", "department:税務課",
	    "deadline", "2099-12-31");
	assert_int_equal(matching(f, NULL), 1);
}

static void
test_defaults(void **state)
{
	struct fx			*f = *state;
	struct core_stocktake_sweep	 sw;
	char				*cause = NULL, c[24];
	uint64_t			 before;

	start(f);
	snprintf(c, sizeof c, "%llu", (unsigned long long)f->campaign);
	must(f, &adm, "stocktake.decide", "campaign", c, "system", "sys-a",
	    "login", "u2", "decision", "keep", "reason", "rehired");
	/* Before the deadline: nothing due, nothing written. */
	before = ledger_size(f->s);
	assert_int_equal(core_stocktake_sweep(f->s, time(NULL), &sw, &cause),
	    0);
	assert_int_equal(sw.campaigns, 0);
	assert_int_equal(ledger_size(f->s), before);
	/* After it: the policy's default, each item's own recommendation. */
	sql(f, "INSERT INTO policy (system, kind, key, value, set_idx) VALUES "
	    "('*', '*', 'stocktake_default', 'recommendation', 1)");
	assert_int_equal(core_stocktake_sweep(f->s, (time_t)4102444800LL +
	    86400, &sw, &cause), 0);
	assert_int_equal(sw.campaigns, 1);
	assert_int_equal(sw.items, 4);
	assert_string_equal(rec(f, "sys-a", "u1"), "keep/keep");
	assert_string_equal(rec(f, "sys-a", "u2"), "revoke/keep");
	assert_string_equal(rec(f, "sys-a", "u3"), "revoke/revoke");
	assert_int_equal(num(f, "SELECT count(*) FROM stocktake_item WHERE "
	    "decided_by = '@system'"), 4);
	assert_int_equal(num(f, "SELECT defaulted_idx FROM stocktake"),
	    (int64_t)before);
	/* Once all is decided, a second sweep writes nothing. */
	assert_int_equal(core_stocktake_sweep(f->s, (time_t)4102444800LL +
	    86400, &sw, &cause), 0);
	assert_int_equal(sw.campaigns, 0);
	assert_int_equal(ledger_size(f->s), before + 1);
}

static void
test_default_word(void **state)
{
	const struct core_policy_key *k = core_policy_key_find(
	    "stocktake_default");
	struct core_policy	 p;
	char			*cause = NULL;

	(void)state;
	assert_non_null(k);
	assert_int_equal(core_policy_value_ok(k, "investigate", &cause), 0);
	assert_int_equal(core_policy_value_ok(k, "recommendation", &cause), 0);
	assert_int_equal(core_policy_value_ok(k, "revoke", &cause), 0);
	assert_int_equal(core_policy_value_ok(k, "keep", &cause), 0);
	assert_int_equal(core_policy_value_ok(k, "invest", &cause), -1);
	free(cause);
	assert_int_equal(core_policy_value_ok(k, "keep|revoke", &cause), -1);
	free(cause);
	assert_int_equal(core_policy_value_ok(k, "", &cause), -1);
	free(cause);
	core_policy_defaults(&p);
	assert_string_equal(p.stocktake_default, "investigate");
}

static void
test_close(void **state)
{
	struct fx	*f = *state;
	char		*cause, c[24], *t1, *c1, *t2, *c2, hex[STORE_HASH_HEX];
	size_t		 tl1, cl1, tl2, cl2;
	uint64_t	 before;

	start(f);
	snprintf(c, sizeof c, "%llu", (unsigned long long)f->campaign);
	must(f, &adm, "stocktake.decide", "campaign", c, "filter",
	    "recommendation=revoke", "decision", "revoke", "reason", "gone");
	before = ledger_size(f->s);
	assert_int_equal(run(f, &two, "stocktake.close", &cause, "campaign",
	    c, NULL), -1);
	check_cause(cause, "2 of 5 items");
	free(cause);
	must(f, &adm, "stocktake.decide", "campaign", c, "system", "sys-b",
	    "login", "u1", "decision", "suspend", "reason", "on leave");
	must(f, &adm, "stocktake.decide", "campaign", c, "filter",
	    "decided=no", "decision", "keep", "reason", "fine");
	before = ledger_size(f->s);
	assert_int_equal(run(f, &adm, "stocktake.close", &cause, "campaign",
	    c, NULL), -1);
	check_cause(cause, "second person|approver");
	free(cause);
	assert_int_equal(ledger_size(f->s), before);
	/* The review list is the same bytes each time it is made. */
	assert_int_equal(core_stocktake_report(f->s, (long long)f->campaign,
	    &t1, &tl1, &c1, &cl1, &cause), 0);
	assert_int_equal(core_stocktake_report(f->s, (long long)f->campaign,
	    &t2, &tl2, &c2, &cl2, &cause), 0);
	assert_int_equal(tl1, tl2);
	assert_memory_equal(t1, t2, tl1);
	assert_int_equal(cl1, cl2);
	assert_memory_equal(c1, c2, cl1);
	assert_non_null(strstr(t1, "棚卸し確認リスト / ID review list"));
	/* The text lists what needs a look; sys-a's u1, a plain keep, is
	 * counted there, and in the CSV with every ID. */
	{
		const char *a = strstr(t1, "System: sys-a"), *b;

		assert_non_null(a);
		assert_non_null(b = strstr(a, "System: sys-b"));
		assert_non_null(strstr(a, "\nu2\t"));
		assert_true(strstr(a, "\nu1\t") > b);	/* sys-b's u1 only */
		assert_non_null(strstr(t1, "(継続 1 件は一覧に含めず、全件は "
		    "report.csv / 1 plain keeps not listed"));
		assert_non_null(strstr(c1, "\"sys-a\",\"u1\",\"個人\""));
	}
	assert_non_null(strstr(c1, "\"山田 \"\"太郎\"\", 係長\""));
	assert_non_null(strstr(c1, "\r\n"));
	assert_true(strncmp(c1, "\"システム (system)\",\"ID\",",
	    strlen("\"システム (system)\",\"ID\",")) == 0);
	store_sha256_hex(t1, tl1, hex);
	free(t2);
	free(c2);
	must(f, &two, "stocktake.close", "campaign", c);
	/* Sealed: the report row names the bytes made before the close. */
	assert_int_equal(num(f, "SELECT count(*) FROM report WHERE kind = "
	    "'stocktake'"), 1);
	{
		struct store_stmt *st = store_prepare(f->s, "SELECT txt FROM "
		    "report", &cause);
		assert_int_equal(store_step(st, &cause), STORE_ROW);
		assert_string_equal(store_col_text(st, 0), hex);
		store_finalize(st);
	}
	free(t1);
	free(c1);
	/* Carried out: revoked, locked, each with its target operation. */
	assert_int_equal(num(f, "SELECT count(*) FROM account WHERE state = "
	    "'revoked'"), 3);
	assert_int_equal(num(f, "SELECT count(*) FROM account WHERE system = "
	    "'sys-b' AND login = 'u1' AND state = 'locked'"), 1);
	assert_int_equal(num(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'delete'"), 3);
	assert_int_equal(num(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'lock'"), 1);
	assert_int_equal(num(f, "SELECT count(*) FROM stocktake_item WHERE "
	    "corrected_idx IS NOT NULL AND confirmed_by = 'apr'"), 4);
	/* Closed: nothing more is decided, and it closes once. */
	before = ledger_size(f->s);
	assert_int_equal(run(f, &adm, "stocktake.decide", &cause, "campaign",
	    c, "filter", "system=sys-a", "decision", "keep", "reason", "x",
	    NULL), -1);
	check_cause(cause, "closed");
	free(cause);
	assert_int_equal(run(f, &two, "stocktake.close", &cause, "campaign",
	    c, NULL), -1);
	check_cause(cause, "closed");
	free(cause);
	assert_int_equal(ledger_size(f->s), before);
}

static void
test_chart_due(void **state)
{
	struct fx			*f = *state;
	struct core_stocktake_bar	*b;
	char				*cause = NULL, q[11];
	size_t				 n;
	int				 due;

	assert_int_equal(core_stocktake_due(f->s, time(NULL), &due, q,
	    &cause), 0);
	assert_int_equal(due, 1);
	assert_true(strcmp(q + 4, "-01-01") == 0 || strcmp(q + 4, "-04-01") ==
	    0 || strcmp(q + 4, "-07-01") == 0 || strcmp(q + 4, "-10-01") == 0);
	start(f);
	assert_int_equal(core_stocktake_due(f->s, time(NULL), &due, q,
	    &cause), 0);
	assert_int_equal(due, 0);
	assert_int_equal(core_stocktake_chart(f->s, f->campaign, &b, &n,
	    &cause), 0);
	/* By name: "-" (no department), 税務課 (u2), 総務課 (u1 twice) */
	assert_int_equal(n, 3);
	assert_string_equal(b[0].department, "-");
	assert_int_equal(b[0].total, 2);
	assert_string_equal(b[1].department, "税務課");
	assert_int_equal(b[1].total, 1);
	assert_string_equal(b[2].department, "総務課");
	assert_int_equal(b[2].total, 2);
	assert_int_equal(b[2].state[1], 2);		/* active */
	assert_int_equal(b[2].decision[CORE_STOCKTAKE_NDECISIONS], 2);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_recommendation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_findings_same, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_departments, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_decide, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup,
		    teardown),
		cmocka_unit_test(test_default_word),
		cmocka_unit_test_setup_teardown(test_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chart_due, setup,
		    teardown),
	};

	xmalloc_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
