/*
 * test-action.c -- the actions of core/ through core_run on a real store:
 * who may do what (roles, the two-person rule and its bootstrap), what
 * each action refuses, and that a refusal leaves nothing behind -- not an
 * entry, not a checkpoint, not a changed row.  Then replay against state
 * edited behind daicho's back, the refusals of store_open, and the epoch
 * key's rotation and its recovery after a crash.
 *
 * Every refusal names a word its cause must contain, so that a test fails
 * when daicho refuses for the wrong reason as well as when it accepts.
 */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "testlib.h"

#define SYS		STORE_SYSTEM_ACTOR
#define ARGS(...)	args_make(__VA_ARGS__, (const char *)NULL)
#define NO_ARGS		args_make(NULL)

/* The standard cast of setup_ops. */
#define ADMIN		"boss"
#define APPROVER	"appr"
#define AUDITOR		"aud"

/* One scratch data directory with an initialised ledger in it. */
struct fixture {
	char		*base;			/* mkdtemp directory */
	char		*dir;			/* base/data */
	struct store	*s;
	const void	*param;			/* the table row, if any */
	char		*vkey;			/* root key, setup_created */
};

/* Everything a refused action must leave as it was. */
struct snapshot {
	uint64_t	 size;
	int64_t		 checkpoints;
	char		*operators;
	char		*people;
	char		*epochs;
};

/* Name, value pairs up to a NULL name; the strings must outlive it. */
static struct store_args
args_make(const char *name, ...)
{
	struct store_args	 a;
	va_list			 ap;

	memset(&a, 0, sizeof a);
	va_start(ap, name);
	while (name != NULL) {
		assert_int_equal(store_args_add(&a, name,
		    va_arg(ap, const char *)), 0);
		name = va_arg(ap, const char *);
	}
	va_end(ap);
	return a;
}

static char *
path_in(const struct fixture *f, const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", f->dir, name);
	return p;
}

/* A fixture with a scratch directory and no data directory yet. */
static struct fixture *
scratch(void **state)
{
	struct fixture	*f;

	f = xcalloc(1, sizeof *f);
	f->param = *state;
	f->base = scratch_dir();
	xasprintf(&f->dir, "%s/data", f->base);
	*state = f;
	return f;
}

static int
setup(void **state)
{
	struct fixture	*f;

	f = scratch(state);
	init_store(f->dir);
	f->s = open_store(f->dir, 0);
	return 0;
}

/* Created and keyed as init does, but without ledger.init yet. */
static int
setup_created(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	f = scratch(state);
	if ((f->s = store_open(f->dir, STORE_CREATE, &cause)) == NULL)
		fail_msg("store_open create: %s", cause);
	if (store_init(f->s, &f->vkey, &cause) != 0)
		fail_msg("store_init: %s", cause);
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->s);
	rm_rf(f->base);
	free(f->vkey);
	free(f->dir);
	free(f->base);
	free(f);
	return 0;
}

/* The rows of a query of one text column, one a line; caller frees. */
static char *
rows(struct store *s, const char *sql)
{
	struct store_stmt	*st;
	char			*out, *tmp, *cause = NULL;
	int			 r;

	if ((st = store_prepare(s, sql, &cause)) == NULL)
		fail_msg("%s: %s", sql, cause);
	out = xstrdup("");
	while ((r = store_step(st, &cause)) == STORE_ROW) {
		xasprintf(&tmp, "%s%s\n", out, store_col_text(st, 0));
		free(out);
		out = tmp;
	}
	store_finalize(st);
	if (r != STORE_DONE)
		fail_msg("%s: %s", sql, cause);
	return out;
}

static char *
operators(struct store *s)
{
	return rows(s, "SELECT name || ' ' || role || ' ' || state || ' ' || "
	    "added_idx || ' ' || changed_idx FROM operator ORDER BY name");
}

/* "role state added changed" of one operator, "" when there is none. */
static char *
operator_row(struct store *s, const char *name)
{
	struct store_stmt	*st;
	char			*out, *cause = NULL;
	int			 r;

	if ((st = store_prepare(s, "SELECT role || ' ' || state || ' ' || "
	    "added_idx || ' ' || changed_idx FROM operator WHERE name = ?",
	    &cause)) == NULL)
		fail_msg("%s", cause);
	store_bind_text(st, 1, name);
	r = store_step(st, &cause);
	if (r == -1)
		fail_msg("%s", cause);
	out = xstrdup(r == STORE_ROW ? store_col_text(st, 0) : "");
	store_finalize(st);
	return out;
}

static void
assert_operator(struct store *s, const char *name, const char *want)
{
	char	*got;

	got = operator_row(s, name);
	if (strcmp(got, want) != 0)
		fail_msg("operator %s is \"%s\", not \"%s\"", name, got, want);
	free(got);
}

static char *
people(struct store *s)
{
	return rows(s, "SELECT employee_no || '|' || name_kanji || '|' || "
	    "name_kana || '|' || department || '|' || position || '|' || "
	    "employment || '|' || status || '|' || start_date || '|' || "
	    "coalesce(end_date, 'NULL') || '|' || changed_idx FROM person "
	    "ORDER BY employee_no");
}

static void
snapshot_take(struct store *s, struct snapshot *sn)
{
	char	*cause = NULL;

	sn->size = ledger_size(s);
	if (store_query_int(s, "SELECT count(*) FROM checkpoint",
	    &sn->checkpoints, &cause) != 0)
		fail_msg("%s", cause);
	sn->operators = operators(s);
	sn->people = people(s);
	sn->epochs = rows(s, "SELECT n || ' ' || first_idx || ' ' || vkey "
	    "FROM epoch ORDER BY n");
}

static void
snapshot_free(struct snapshot *sn)
{
	free(sn->operators);
	free(sn->people);
	free(sn->epochs);
}

static void
snapshot_same(struct store *s, const struct snapshot *was)
{
	struct snapshot	 now;

	snapshot_take(s, &now);
	assert_true(now.size == was->size);
	assert_true(now.checkpoints == was->checkpoints);
	assert_string_equal(now.operators, was->operators);
	assert_string_equal(now.people, was->people);
	assert_string_equal(now.epochs, was->epochs);
	snapshot_free(&now);
}

static uint64_t
run_ok(struct store *s, const char *action, const char *op,
    const char *approver, struct store_args a)
{
	struct core_actor	 who = { op, approver };
	uint64_t		 size = ledger_size(s), idx = UINT64_MAX;
	char			*cause = NULL;

	if (core_run(s, action, &who, &a, &idx, &cause) != 0)
		fail_msg("%s by %s/%s refused: %s", action, op,
		    approver != NULL ? approver : "-", cause);
	assert_null(cause);
	assert_true(idx == size);
	assert_true(ledger_size(s) == size + 1);
	assert_int_equal(store_in_txn(s), 0);
	return idx;
}

/*
 * The action must be refused for why, and leave the ledger, the
 * checkpoints and every state table as they were, with no transaction
 * left open and no next key left behind.
 */
static void
run_refused(struct fixture *f, const char *action, const char *op,
    const char *approver, struct store_args a, const char *why)
{
	struct core_actor	 who = { op, approver };
	struct snapshot		 was;
	struct stat		 sb;
	uint64_t		 idx = 12345;
	char			*cause = NULL, *keynew;

	snapshot_take(f->s, &was);
	if (core_run(f->s, action, &who, &a, &idx, &cause) == 0) {
		snapshot_free(&was);
		fail_msg("%s by %s/%s accepted (entry %llu); expected a "
		    "refusal naming \"%s\"", action, op,
		    approver != NULL ? approver : "-",
		    (unsigned long long)idx, why);
	}
	check_cause(cause, why);
	free(cause);
	assert_true(idx == 12345);
	assert_int_equal(store_in_txn(f->s), 0);
	snapshot_same(f->s, &was);
	snapshot_free(&was);
	keynew = path_in(f, "key.new");
	assert_int_equal(lstat(keynew, &sb), -1);
	free(keynew);
}

/* The entry at index, parsed (caller frees). */
static struct store_entry *
entry_at(struct store *s, uint64_t index)
{
	struct store_entry	*e;
	uint8_t			*bytes = NULL;
	size_t			 len;
	char			*cause = NULL;

	if (store_ledger_get(s, index, &bytes, &len, &cause) != 0)
		fail_msg("entry %llu: %s", (unsigned long long)index, cause);
	if ((e = store_entry_parse(bytes, len, &cause)) == NULL)
		fail_msg("entry %llu: %s", (unsigned long long)index, cause);
	free(bytes);
	return e;
}

static int
setup_admin(void **state)
{
	struct fixture	*f;

	setup(state);
	f = *state;
	run_ok(f->s, "operator.add", SYS, NULL,
	    ARGS("name", ADMIN, "role", "admin"));
	return 0;
}

/* boss (admin, entry 1), appr (approver, 2), aud (auditor, 3). */
static int
setup_ops(void **state)
{
	struct fixture	*f;

	setup_admin(state);
	f = *state;
	run_ok(f->s, "operator.add", ADMIN, NULL,
	    ARGS("name", APPROVER, "role", "approver"));
	run_ok(f->s, "operator.add", ADMIN, APPROVER,
	    ARGS("name", AUDITOR, "role", "auditor"));
	return 0;
}

static void
add_op(struct fixture *f, const char *name, const char *role)
{
	run_ok(f->s, "operator.add", ADMIN, APPROVER,
	    ARGS("name", name, "role", role));
}

static void
test_bootstrap_system(void **state)
{
	struct fixture		*f = *state;
	struct store_entry	*e;
	uint64_t		 idx;

	run_refused(f, "operator.add", SYS, NULL,
	    ARGS("name", ADMIN, "role", "auditor"), "first operator");
	run_refused(f, "operator.add", SYS, NULL,
	    ARGS("name", ADMIN, "role", "approver"), "first operator");
	run_refused(f, "operator.add", "nobody", NULL,
	    ARGS("name", ADMIN, "role", "admin"), "not an active operator");
	idx = run_ok(f->s, "operator.add", SYS, NULL,
	    ARGS("name", ADMIN, "role", "admin"));
	assert_true(idx == 1);
	assert_operator(f->s, ADMIN, "admin active 1 1");
	e = entry_at(f->s, idx);
	assert_string_equal(e->action, "operator.add");
	assert_string_equal(e->operator, SYS);
	assert_null(e->approver);
	assert_string_equal(e->subject, "operator:" ADMIN);
	assert_string_equal(store_args_get(&e->args, "name"), ADMIN);
	assert_string_equal(store_args_get(&e->args, "role"), "admin");
	store_entry_free(e);

	/* Only the very first. */
	run_refused(f, "operator.add", SYS, NULL,
	    ARGS("name", "boss2", "role", "admin"), "first operator");
	run_refused(f, "operator.add", SYS, NULL,
	    ARGS("name", APPROVER, "role", "approver"), "first operator");
	/* The system does no operator's work. */
	run_refused(f, "operator.remove", SYS, NULL, ARGS("name", ADMIN),
	    "not by the system");
	run_refused(f, "operator.role", SYS, NULL,
	    ARGS("name", ADMIN, "role", "auditor"), "not by the system");
	run_refused(f, "person.add", SYS, NULL,
	    ARGS("employee_no", "E1", "name_kanji", "山田",
	    "name_kana", "ヤマダ", "department", "総務課", "position", "主事",
	    "employment", "regular", "start_date", "2025-04-01"),
	    "not by the system");
}

/*
 * Until an approver has ever existed an admin acts alone; from the first
 * approver on, every two-person action needs a second, active approver.
 */
static void
test_bootstrap_first_approver(void **state)
{
	struct fixture		*f = *state;
	struct store_entry	*e;
	uint64_t		 idx;

	idx = run_ok(f->s, "operator.add", ADMIN, NULL,
	    ARGS("name", APPROVER, "role", "approver"));
	e = entry_at(f->s, idx);
	assert_string_equal(e->operator, ADMIN);
	assert_null(e->approver);
	store_entry_free(e);
	assert_operator(f->s, APPROVER, "approver active 2 2");

	run_refused(f, "operator.add", ADMIN, NULL,
	    ARGS("name", "x", "role", "auditor"), "second person");
	run_refused(f, "operator.add", ADMIN, ADMIN,
	    ARGS("name", "x", "role", "auditor"), "different person");
	run_refused(f, "operator.add", ADMIN, "ghost",
	    ARGS("name", "x", "role", "auditor"), "approver role");
	run_refused(f, "operator.add", ADMIN, "",
	    ARGS("name", "x", "role", "auditor"), "approver role");

	idx = run_ok(f->s, "operator.add", ADMIN, APPROVER,
	    ARGS("name", AUDITOR, "role", "auditor"));
	e = entry_at(f->s, idx);
	assert_string_equal(e->approver, APPROVER);
	store_entry_free(e);

	/* An auditor or an admin is not an approver. */
	run_refused(f, "operator.add", ADMIN, AUDITOR,
	    ARGS("name", "x", "role", "auditor"), "approver role");
	add_op(f, "adm2", "admin");
	run_refused(f, "operator.add", ADMIN, "adm2",
	    ARGS("name", "x", "role", "auditor"), "approver role");
	run_refused(f, "operator.remove", ADMIN, "adm2",
	    ARGS("name", AUDITOR), "approver role");
	run_refused(f, "operator.role", ADMIN, "adm2",
	    ARGS("name", AUDITOR, "role", "approver"), "approver role");

	/* A removed approver approves nothing. */
	add_op(f, "appr2", "approver");
	run_ok(f->s, "operator.remove", ADMIN, "appr2",
	    ARGS("name", APPROVER));
	run_refused(f, "operator.add", ADMIN, APPROVER,
	    ARGS("name", "x", "role", "auditor"), "approver role");
	run_refused(f, "operator.add", ADMIN, NULL,
	    ARGS("name", "x", "role", "auditor"), "second person");
}

/*
 * An approver cannot approve a change to their own access, so the last
 * approver can be neither removed nor demoted; and replacing one never
 * brings the one-admin bootstrap back.
 */
static void
test_bootstrap_after_removal(void **state)
{
	struct fixture	*f = *state;

	run_refused(f, "operator.remove", ADMIN, APPROVER,
	    ARGS("name", APPROVER), "own access");
	run_refused(f, "operator.role", ADMIN, APPROVER,
	    ARGS("name", APPROVER, "role", "auditor"), "own access");
	add_op(f, "appr2", "approver");
	run_ok(f->s, "operator.remove", ADMIN, "appr2",
	    ARGS("name", APPROVER));
	assert_operator(f->s, APPROVER, "approver removed 2 5");
	run_refused(f, "operator.remove", ADMIN, "appr2",
	    ARGS("name", "appr2"), "own access");
	run_refused(f, "operator.add", ADMIN, NULL,
	    ARGS("name", "mallory", "role", "admin"), "second person");
	run_refused(f, "operator.role", ADMIN, NULL,
	    ARGS("name", AUDITOR, "role", "admin"), "second person");
}

/*
 * Nor does changing an approver's role: an approver has existed, so one
 * admin must still not act alone, whatever the roles are now.
 */
static void
test_bootstrap_after_role_change(void **state)
{
	struct fixture	*f = *state;

	add_op(f, "appr2", "approver");
	run_ok(f->s, "operator.role", ADMIN, "appr2",
	    ARGS("name", APPROVER, "role", "auditor"));
	assert_operator(f->s, APPROVER, "auditor active 2 5");
	run_refused(f, "operator.add", ADMIN, NULL,
	    ARGS("name", "mallory", "role", "admin"), "second person");
	run_refused(f, "operator.role", ADMIN, "appr2",
	    ARGS("name", "appr2", "role", "auditor"), "own access");
}

#define PERSON_ARGS(no)							\
	ARGS("employee_no", no, "name_kanji", "山田太郎",		\
	    "name_kana", "ヤマダ　タロウ", "department", "情報政策課",	\
	    "position", "主事", "employment", "regular",			\
	    "start_date", "2025-04-01")

static void
test_auditor_cannot(void **state)
{
	struct fixture		*f = *state;
	struct core_actor	 aud = { AUDITOR, NULL };
	struct snapshot		 was;
	char			*cause = NULL;

	run_refused(f, "operator.add", AUDITOR, APPROVER,
	    ARGS("name", "x", "role", "auditor"), "auditor role may not");
	run_refused(f, "operator.add", AUDITOR, NULL,
	    ARGS("name", "x", "role", "auditor"), "auditor role may not");
	run_refused(f, "operator.remove", AUDITOR, APPROVER,
	    ARGS("name", APPROVER), "auditor role may not");
	run_refused(f, "operator.role", AUDITOR, APPROVER,
	    ARGS("name", AUDITOR, "role", "admin"), "auditor role may not");
	run_refused(f, "person.add", AUDITOR, NULL, PERSON_ARGS("E1"),
	    "auditor role may not");
	run_refused(f, "ledger.rotate", AUDITOR, NULL, NO_ARGS,
	    "auditor role may not");
	snapshot_take(f->s, &was);
	assert_int_equal(core_rotate(f->s, &aud, &cause), -1);
	check_cause(cause, "auditor role may not");
	free(cause);
	snapshot_same(f->s, &was);
	snapshot_free(&was);
}

static void
test_approver_cannot(void **state)
{
	struct fixture	*f = *state;

	add_op(f, "appr2", "approver");
	run_refused(f, "operator.add", APPROVER, "appr2",
	    ARGS("name", "x", "role", "auditor"), "approver role may not");
	run_refused(f, "operator.add", APPROVER, NULL,
	    ARGS("name", "x", "role", "auditor"), "approver role may not");
	run_refused(f, "operator.remove", APPROVER, "appr2",
	    ARGS("name", AUDITOR), "approver role may not");
	run_refused(f, "operator.role", APPROVER, "appr2",
	    ARGS("name", AUDITOR, "role", "admin"), "approver role may not");
	run_refused(f, "person.add", APPROVER, NULL, PERSON_ARGS("E1"),
	    "approver role may not");
	run_refused(f, "ledger.rotate", APPROVER, NULL, NO_ARGS,
	    "approver role may not");
}

static void
test_remove(void **state)
{
	struct fixture	*f = *state;
	uint64_t	 idx;

	run_refused(f, "operator.remove", ADMIN, APPROVER, ARGS("name", ADMIN),
	    "themselves");
	run_refused(f, "operator.remove", ADMIN, APPROVER,
	    ARGS("name", "ghost"), "not an active operator");
	run_refused(f, "operator.remove", ADMIN, APPROVER, NO_ARGS,
	    "argument name is required");
	run_refused(f, "operator.remove", ADMIN, NULL, ARGS("name", AUDITOR),
	    "second person");

	idx = run_ok(f->s, "operator.remove", ADMIN, APPROVER,
	    ARGS("name", AUDITOR));
	assert_operator(f->s, AUDITOR, "auditor removed 3 4");
	assert_true(idx == 4);
	run_refused(f, "operator.remove", ADMIN, APPROVER,
	    ARGS("name", AUDITOR), "not an active operator");
	/* A removed operator does nothing any more. */
	run_refused(f, "operator.role", ADMIN, APPROVER,
	    ARGS("name", AUDITOR, "role", "admin"), "not an active operator");
	run_refused(f, "ledger.rotate", AUDITOR, NULL, NO_ARGS,
	    "not an active operator");
}

/*
 * The last admin cannot be removed or demoted.  Only an admin may try,
 * and the last admin is then the one trying, so the refusal may name
 * either rule; what matters is that it is refused.
 */
static void
test_last_admin(void **state)
{
	struct fixture	*f = *state;

	run_refused(f, "operator.remove", ADMIN, APPROVER, ARGS("name", ADMIN),
	    "last admin|themselves");
	run_refused(f, "operator.role", ADMIN, APPROVER,
	    ARGS("name", ADMIN, "role", "auditor"), "last admin|own role");

	/* With two admins one may go; then the other is the last. */
	add_op(f, "adm2", "admin");
	run_ok(f->s, "operator.role", "adm2", APPROVER,
	    ARGS("name", ADMIN, "role", "approver"));
	assert_operator(f->s, ADMIN, "approver active 1 5");
	run_refused(f, "operator.remove", "adm2", APPROVER,
	    ARGS("name", "adm2"), "last admin|themselves");
	run_refused(f, "operator.role", "adm2", APPROVER,
	    ARGS("name", "adm2", "role", "auditor"), "last admin|own role");
	run_refused(f, "operator.role", "adm2", ADMIN,
	    ARGS("name", "adm2", "role", "approver"), "last admin|own role");
	assert_operator(f->s, "adm2", "admin active 4 4");
}

static void
test_role(void **state)
{
	struct fixture	*f = *state;
	uint64_t	 idx;

	run_refused(f, "operator.role", ADMIN, APPROVER,
	    ARGS("name", AUDITOR, "role", "auditor"), "already auditor");
	run_refused(f, "operator.role", ADMIN, APPROVER,
	    ARGS("name", APPROVER, "role", "approver"), "own access");
	run_refused(f, "operator.role", ADMIN, APPROVER,
	    ARGS("name", "ghost", "role", "admin"), "not an active operator");
	run_refused(f, "operator.role", ADMIN, APPROVER,
	    ARGS("name", ADMIN, "role", "approver"), "own role");
	run_refused(f, "operator.role", ADMIN, APPROVER,
	    ARGS("name", AUDITOR, "role", "root"), "not a role");
	run_refused(f, "operator.role", ADMIN, APPROVER,
	    ARGS("name", AUDITOR), "argument role is required");
	run_refused(f, "operator.role", ADMIN, APPROVER,
	    ARGS("role", "admin"), "argument name is required");
	run_refused(f, "operator.role", ADMIN, NULL,
	    ARGS("name", AUDITOR, "role", "admin"), "second person");

	idx = run_ok(f->s, "operator.role", ADMIN, APPROVER,
	    ARGS("name", AUDITOR, "role", "admin"));
	assert_true(idx == 4);
	assert_operator(f->s, AUDITOR, "admin active 3 4");
	/* The new admin acts as one. */
	run_ok(f->s, "operator.add", AUDITOR, APPROVER,
	    ARGS("name", "x", "role", "auditor"));
}

static void
test_unknown_role(void **state)
{
	struct fixture	*f = *state;
	static const char *const roles[] = { "root", "Admin", "ADMIN",
	    "admin ", " admin", "", "admins", "system", "@system",
	    "approver\n" };
	size_t		 i;

	for (i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		assert_int_equal(core_role_parse(roles[i]), 0);
		run_refused(f, "operator.add", ADMIN, APPROVER,
		    ARGS("name", "x", "role", roles[i]), "not a role");
	}
	run_refused(f, "operator.add", ADMIN, APPROVER, ARGS("name", "x"),
	    "argument role is required");
	run_refused(f, "operator.add", ADMIN, APPROVER, ARGS("role", "admin"),
	    "argument name is required");
	run_refused(f, "operator.add", ADMIN, APPROVER,
	    ARGS("name", AUDITOR, "role", "admin"), "already an operator");
	run_refused(f, "operator.add", ADMIN, APPROVER,
	    ARGS("name", ADMIN, "role", "auditor"), "already an operator");
	assert_int_equal(core_role_parse("admin"), CORE_ROLE_ADMIN);
	assert_int_equal(core_role_parse("approver"), CORE_ROLE_APPROVER);
	assert_int_equal(core_role_parse("auditor"), CORE_ROLE_AUDITOR);
}

static void
test_unknown_action(void **state)
{
	struct fixture		*f = *state;
	struct core_actor	 sys = { SYS, NULL };
	char			*cause = NULL;
	static const char *const names[] = { "operator.delete", "",
	    "OPERATOR.ADD", "operator.add ", "operator", "ledger.init\n" };
	size_t			 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_null(core_action_find(names[i]));
		run_refused(f, names[i], ADMIN, APPROVER,
		    ARGS("name", "x", "role", "admin"), "no such action");
	}

	/* ledger.init once only, by the system only, alone. */
	run_refused(f, "ledger.init", SYS, NULL,
	    ARGS("origin", store_ledger_origin(f->s), "key", "k"),
	    "already has");
	run_refused(f, "ledger.init", ADMIN, NULL,
	    ARGS("origin", store_ledger_origin(f->s), "key", "k"),
	    "admin role may not");
	assert_int_equal(core_begin(f->s, &cause), 0);
	assert_int_equal(core_run(f->s, "ledger.init", &sys,
	    &(struct store_args){ 0 }, NULL, &cause), -1);
	check_cause(cause, "transaction of its own");
	free(cause);
	cause = NULL;
	assert_int_equal(core_rotate(f->s, &sys, &cause), -1);
	check_cause(cause, "transaction of its own");
	free(cause);
	core_rollback(f->s);

	/* An action that takes no second person refuses one. */
	run_refused(f, "person.add", ADMIN, APPROVER, PERSON_ARGS("E1"),
	    "needs no second person");
	run_refused(f, "ledger.rotate", ADMIN, APPROVER, NO_ARGS,
	    "needs no second person");
	run_refused(f, "ledger.rotate", ADMIN, NULL, ARGS("epoch", "7"),
	    "the argument epoch is made by daicho");
	run_refused(f, "ledger.rotate", ADMIN, NULL, ARGS("colour", "red"),
	    "unknown argument \"colour\" (it accepts none)");
}

/*
 * An argument given twice would make an entry whose meaning depends on
 * the reader (daicho's takes the first, docs/ledger-format.md 2.1 asks
 * verifiers to reject it); daicho's own actions must never write one.
 */
static void
test_repeated_args(void **state)
{
	struct fixture	*f = *state;

	run_refused(f, "operator.add", ADMIN, APPROVER,
	    ARGS("name", "x", "role", "auditor", "role", "admin"), "role");
	run_refused(f, "operator.add", ADMIN, APPROVER,
	    ARGS("name", "x", "name", "y", "role", "auditor"), "name");
	run_refused(f, "operator.role", ADMIN, APPROVER,
	    ARGS("name", AUDITOR, "role", "approver", "role", "admin"),
	    "role");
	run_refused(f, "person.add", ADMIN, NULL,
	    ARGS("employee_no", "E1", "name_kanji", "山田",
	    "name_kana", "ヤマダ", "department", "総務課", "position", "主事",
	    "employment", "regular", "start_date", "2025-04-01",
	    "end_date", "2030-01-01", "end_date", "2025-05-01"), "end_date");
}

/* A removed operator comes back with a new role and the old added_idx. */
static void
test_readd(void **state)
{
	struct fixture	*f = *state;
	uint64_t	 idx;

	run_ok(f->s, "operator.remove", ADMIN, APPROVER,
	    ARGS("name", AUDITOR));
	idx = run_ok(f->s, "operator.add", ADMIN, APPROVER,
	    ARGS("name", AUDITOR, "role", "admin"));
	assert_true(idx == 5);
	assert_operator(f->s, AUDITOR, "admin active 3 5");
	run_ok(f->s, "operator.add", AUDITOR, APPROVER,
	    ARGS("name", "carol", "role", "auditor"));
	run_refused(f, "operator.add", ADMIN, APPROVER,
	    ARGS("name", AUDITOR, "role", "admin"), "already an operator");
}

/* Login names: one test per refused name, through core_run. */
struct login {
	const char	*name;
	int		 ok;
};
#define BADNAME(tname, lit)						\
	{ tname, test_login, setup_ops, teardown,			\
	    &(struct login){ lit, 0 } }
#define OKNAME(tname, lit)						\
	{ tname, test_login, setup_ops, teardown,			\
	    &(struct login){ lit, 1 } }

static void
test_login(void **state)
{
	struct fixture		*f = *state;
	const struct login	*l = f->param;

	assert_int_equal(core_login_name_ok(l->name), l->ok);
	if (!l->ok) {
		run_refused(f, "operator.add", ADMIN, APPROVER,
		    ARGS("name", l->name, "role", "auditor"),
		    "not a valid login name");
		run_refused(f, "operator.remove", ADMIN, APPROVER,
		    ARGS("name", l->name), "not a valid login name");
		run_refused(f, "operator.role", ADMIN, APPROVER,
		    ARGS("name", l->name, "role", "admin"),
		    "not a valid login name");
		return;
	}
	run_ok(f->s, "operator.add", ADMIN, APPROVER,
	    ARGS("name", l->name, "role", "auditor"));
	assert_operator(f->s, l->name, "auditor active 4 4");
}

/* person.add: a base person with one field replaced (NULL: left out). */
struct person_case {
	const char	*field;
	const char	*value;
	const char	*why;			/* NULL: accepted */
};
#define BADP(tname, field, value, why)					\
	{ tname, test_person_case, setup_ops, teardown,			\
	    &(struct person_case){ field, value, why } }
#define OKP(tname, field, value)					\
	{ tname, test_person_case, setup_ops, teardown,			\
	    &(struct person_case){ field, value, NULL } }

static void
test_person_case(void **state)
{
	struct fixture			*f = *state;
	const struct person_case	*c = f->param;
	struct store_args		 a = { 0 };
	static const char *const names[] = { "employee_no", "name_kanji",
	    "name_kana", "department", "position", "employment",
	    "start_date", "end_date" };
	static const char *const values[] = { "E1001", "山田太郎",
	    "ヤマダ　タロウ", "情報政策課", "主事", "regular", "2025-04-01",
	    NULL };
	const char			*v;
	char				*got, *want;
	size_t				 i;
	int				 seen = 0;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		v = values[i];
		if (strcmp(names[i], c->field) == 0) {
			v = c->value;
			seen = 1;
		}
		if (v != NULL)
			store_args_add(&a, names[i], v);
	}
	assert_true(seen);
	if (c->why != NULL) {
		run_refused(f, "person.add", ADMIN, NULL, a, c->why);
		return;
	}
	run_ok(f->s, "person.add", ADMIN, NULL, a);
	got = people(f->s);
	xasprintf(&want, "%s|%s|%s|%s|%s|%s|active|%s|%s|4\n",
	    store_args_get(&a, "employee_no"), store_args_get(&a, "name_kanji"),
	    store_args_get(&a, "name_kana"), store_args_get(&a, "department"),
	    store_args_get(&a, "position"), store_args_get(&a, "employment"),
	    store_args_get(&a, "start_date"),
	    store_args_get(&a, "end_date") != NULL ?
	    store_args_get(&a, "end_date") : "NULL");
	assert_string_equal(got, want);
	free(got);
	free(want);
}

static void
test_person(void **state)
{
	struct fixture		*f = *state;
	struct store_entry	*e;
	char			*got;
	uint64_t		 idx;

	idx = run_ok(f->s, "person.add", ADMIN, NULL, PERSON_ARGS("E1001"));
	e = entry_at(f->s, idx);
	assert_string_equal(e->subject, "person:E1001");
	assert_null(e->approver);
	assert_int_equal(e->args.n, 7);
	store_entry_free(e);
	run_ok(f->s, "person.add", ADMIN, NULL,
	    ARGS("employee_no", "C77", "name_kanji", "派遣 花子",
	    "name_kana", "ハケン　ハナコ", "department", "情報政策課",
	    "position", "委託", "employment", "contractor",
	    "start_date", "2025-04-01", "end_date", "2026-03-31"));
	got = people(f->s);
	assert_string_equal(got,
	    "C77|派遣 花子|ハケン　ハナコ|情報政策課|委託|contractor|active|"
	    "2025-04-01|2026-03-31|5\n"
	    "E1001|山田太郎|ヤマダ　タロウ|情報政策課|主事|regular|active|"
	    "2025-04-01|NULL|4\n");
	free(got);

	run_refused(f, "person.add", ADMIN, NULL, PERSON_ARGS("E1001"),
	    "already registered");
	run_refused(f, "person.add", ADMIN, NULL, PERSON_ARGS("C77"),
	    "already registered");
}

static void
reported(void *arg, const char *line)
{
	char	**all = arg, *tmp;

	xasprintf(&tmp, "%s%s\n", *all, line);
	free(*all);
	*all = tmp;
}

/* Replay a read-only reopen; the number of differences and the lines. */
static int
replay(struct fixture *f, char **lines)
{
	struct store	*s;
	char		*cause = NULL;
	int		 n;

	s = open_store(f->dir, STORE_READONLY);
	*lines = xstrdup("");
	if ((n = core_replay(s, reported, lines, &cause)) < 0)
		fail_msg("core_replay: %s", cause);
	store_close(s);
	return n;
}

/*
 * Run SQL on the database file with nothing of daicho's in between; a
 * statement that changes rows must change some.
 */
static void
db_exec(struct fixture *f, const char *sql, int rows_changed)
{
	sqlite3	*db;
	char	*path, *msg = NULL;

	path = path_in(f, "daicho.db");
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		fail_msg("%s: %s", path, sqlite3_errmsg(db));
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	if (rows_changed && sqlite3_changes(db) == 0)
		fail_msg("%s: changed nothing", sql);
	sqlite3_close(db);
	free(path);
}

static void
behind_its_back(struct fixture *f, const char *sql)
{
	db_exec(f, sql, 1);
}

static void
expect_difference(struct fixture *f, const char *sql, const char *table,
    const char *word)
{
	char	*lines, *want;
	int	 n;

	behind_its_back(f, sql);
	n = replay(f, &lines);
	if (n <= 0)
		fail_msg("replay found no difference after %s", sql);
	xasprintf(&want, "%s: ", table);
	if (strstr(lines, want) == NULL || strstr(lines, word) == NULL)
		fail_msg("no line naming %s and %s in:\n%s", table, word,
		    lines);
	free(want);
	free(lines);
}

static void
test_replay(void **state)
{
	struct fixture		*f = *state;
	struct core_actor	 sys = { SYS, NULL };
	char			*cause = NULL, *lines;
	int			 n;

	if (core_seed_demo(f->s, 7, &cause) != 0)
		fail_msg("core_seed_demo: %s", cause);
	run_ok(f->s, "operator.add", CORE_DEMO_ADMIN, CORE_DEMO_APPROVER,
	    ARGS("name", "erin", "role", "auditor"));
	run_ok(f->s, "operator.role", CORE_DEMO_ADMIN, CORE_DEMO_APPROVER,
	    ARGS("name", "erin", "role", "admin"));
	run_ok(f->s, "operator.remove", "erin", CORE_DEMO_APPROVER,
	    ARGS("name", CORE_DEMO_AUDITOR));
	run_ok(f->s, "operator.add", CORE_DEMO_ADMIN, CORE_DEMO_APPROVER,
	    ARGS("name", CORE_DEMO_AUDITOR, "role", "auditor"));
	if (core_rotate(f->s, &sys, &cause) != 0)
		fail_msg("core_rotate: %s", cause);
	run_ok(f->s, "person.add", "erin", NULL, PERSON_ARGS("Z9"));
	store_close(f->s);
	f->s = NULL;

	n = replay(f, &lines);
	if (n != 0)
		fail_msg("%d differences on an untouched store:\n%s", n, lines);
	assert_string_equal(lines, "");
	free(lines);

	expect_difference(f, "UPDATE operator SET role = 'admin' WHERE "
	    "name = 'demo-auditor'", "operator", "demo-auditor");
	behind_its_back(f, "UPDATE operator SET role = 'auditor' WHERE "
	    "name = 'demo-auditor'");
	n = replay(f, &lines);
	if (n != 0)
		fail_msg("%d differences after the edit was undone:\n%s", n,
		    lines);
	free(lines);

	expect_difference(f, "INSERT INTO operator (name, role, state, "
	    "ever_approver, added_idx, changed_idx) VALUES ('ghost', "
	    "'admin', 'active', 0, 1, 1)", "operator", "ghost");
	behind_its_back(f, "DELETE FROM operator WHERE name = 'ghost'");
	expect_difference(f, "UPDATE person SET department = '秘書課' "
	    "WHERE employee_no = 'Z9'", "person", "秘書課");
	expect_difference(f, "DELETE FROM person WHERE employee_no = "
	    "(SELECT min(employee_no) FROM person WHERE employee_no != 'Z9')",
	    "person", "lacks");
	expect_difference(f, "UPDATE epoch SET first_idx = 2 WHERE n = 1",
	    "epoch", "epoch");
}

/* store_open must refuse, naming the problem. */
static void
open_refused(const char *dir, int flags, const char *why)
{
	struct store	*s;
	char		*cause = NULL;

	if ((s = store_open(dir, flags, &cause)) != NULL) {
		store_close(s);
		fail_msg("store_open %s (flags %d) accepted; expected a "
		    "refusal naming \"%s\"", dir, flags, why);
	}
	check_cause(cause, why);
	free(cause);
}

static void
open_refused_both(const char *dir, const char *why)
{
	open_refused(dir, 0, why);
	open_refused(dir, STORE_READONLY, why);
}

/* Close the fixture's store so the test may change its files. */
static void
closed(struct fixture *f)
{
	store_close(f->s);
	f->s = NULL;
}

static void
chmod_in(struct fixture *f, const char *name, mode_t mode)
{
	char	*p = path_in(f, name);

	assert_int_equal(chmod(p, mode), 0);
	free(p);
}

static void
test_open_dir_mode(void **state)
{
	struct fixture	*f = *state;
	static const mode_t modes[] = { 0755, 0750, 0701, 0707, 0777 };
	size_t		 i;

	closed(f);
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		assert_int_equal(chmod(f->dir, modes[i]), 0);
		open_refused_both(f->dir, "mode");
		open_refused(f->dir, 0, f->dir);
	}
	assert_int_equal(chmod(f->dir, 0700), 0);
	f->s = open_store(f->dir, 0);
}

static void
test_open_db_mode(void **state)
{
	struct fixture	*f = *state;
	static const mode_t modes[] = { 0644, 0640, 0604, 0700, 0666 };
	size_t		 i;

	closed(f);
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		chmod_in(f, "daicho.db", modes[i]);
		open_refused_both(f->dir, "mode");
		open_refused(f->dir, 0, "daicho.db");
	}
	chmod_in(f, "daicho.db", 0600);
	f->s = open_store(f->dir, 0);
}

static void
test_open_key_mode(void **state)
{
	struct fixture	*f = *state;
	struct store	*s;

	closed(f);
	chmod_in(f, "key", 0644);
	open_refused(f->dir, 0, "mode");
	open_refused(f->dir, 0, "/key");
	/* Reading needs no secret. */
	s = open_store(f->dir, STORE_READONLY);
	store_close(s);
	chmod_in(f, "key", 0600);
	f->s = open_store(f->dir, 0);
}

static void
test_open_key_missing(void **state)
{
	struct fixture	*f = *state;
	struct store	*s;
	char		*p;

	closed(f);
	p = path_in(f, "key");
	assert_int_equal(unlink(p), 0);
	open_refused(f->dir, 0, "/key");
	open_refused(f->dir, 0, strerror(ENOENT));
	s = open_store(f->dir, STORE_READONLY);
	store_close(s);
	free(p);
}

static void
test_open_symlinks(void **state)
{
	struct fixture	*f = *state;
	char		*link, *db, *real = NULL;

	closed(f);
	xasprintf(&link, "%s/link", f->base);
	assert_int_equal(symlink(f->dir, link), 0);
	open_refused_both(link, "symbolic link");
	/* A trailing slash would make lstat() follow the link. */
	free(real);
	xasprintf(&real, "%s/", link);
	open_refused_both(real, "symbolic link");
	free(real);
	xasprintf(&real, "%s//", link);
	open_refused_both(real, "symbolic link");
	free(real);
	real = NULL;

	db = path_in(f, "daicho.db");
	real = path_in(f, "real.db");
	assert_int_equal(rename(db, real), 0);
	assert_int_equal(symlink("real.db", db), 0);
	open_refused_both(f->dir, "symbolic link");
	assert_int_equal(unlink(db), 0);
	assert_int_equal(symlink(real, db), 0);
	open_refused_both(f->dir, "symbolic link");
	assert_int_equal(unlink(db), 0);
	assert_int_equal(rename(real, db), 0);
	free(real);

	/* The key file too. */
	real = path_in(f, "key");
	free(db);
	db = path_in(f, "key.real");
	assert_int_equal(rename(real, db), 0);
	assert_int_equal(symlink("key.real", real), 0);
	open_refused(f->dir, 0, "symbolic link");
	assert_int_equal(unlink(real), 0);
	assert_int_equal(rename(db, real), 0);
	f->s = open_store(f->dir, 0);
	free(real);
	free(db);
	free(link);
}

static void
test_open_not_ours(void **state)
{
	struct fixture	*f = *state;
	char		*p;

	if (geteuid() != 0)
		skip();
	closed(f);
	assert_int_equal(chown(f->dir, 65534, 65534), 0);
	open_refused_both(f->dir, "owned by uid 65534");
	assert_int_equal(chown(f->dir, 0, 0), 0);
	p = path_in(f, "daicho.db");
	assert_int_equal(chown(p, 65534, 65534), 0);
	open_refused_both(f->dir, "owned by uid 65534");
	assert_int_equal(chown(p, 0, 0), 0);
	free(p);
	f->s = open_store(f->dir, 0);
}

static void
test_open_not_a_dir(void **state)
{
	struct fixture	*f = *state;
	char		*p;
	int		 fd;

	xasprintf(&p, "%s/none", f->base);
	open_refused_both(p, strerror(ENOENT));
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd != -1);
	close(fd);
	open_refused_both(p, "not a directory");
	free(p);
}

/* A data directory, 0700, holding only a database file made here. */
static char *
bare_dir(struct fixture *f, const char *name)
{
	char	*dir;

	xasprintf(&dir, "%s/%s", f->base, name);
	assert_int_equal(mkdir(dir, 0700), 0);
	return dir;
}

static char *
bare_db(const char *dir)
{
	char	*db;

	xasprintf(&db, "%s/daicho.db", dir);
	return db;
}

/* The whole of a file (caller frees). */
static uint8_t *
read_bytes(const char *path, size_t *len)
{
	struct stat	 sb;
	uint8_t		*buf;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &sb) == -1)
		fail_msg("%s: %s", path, strerror(errno));
	*len = (size_t)sb.st_size;
	buf = xmalloc(*len + 1);
	assert_int_equal(read(fd, buf, *len), (ssize_t)*len);
	close(fd);
	return buf;
}

/* Make a SQLite database at path with sql, mode 0600. */
static void
craft_db(const char *path, const char *sql)
{
	sqlite3	*db;
	char	*msg = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		fail_msg("%s: %s", path, sqlite3_errmsg(db));
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
	assert_int_equal(chmod(path, 0600), 0);
}

static void
test_open_garbage(void **state)
{
	struct fixture	*f = *state;
	char		*dir, *db, junk[8192];
	size_t		 i;
	int		 fd;

	dir = bare_dir(f, "garbage");
	db = bare_db(dir);
	for (i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 7 + 3);
	fd = open(db, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	close(fd);
	open_refused_both(dir, "not a readable SQLite database");
	open_refused(dir, 0, db);
	free(db);
	free(dir);

	/* An empty file is a database without the schema. */
	dir = bare_dir(f, "empty");
	db = bare_db(dir);
	fd = open(db, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd != -1);
	close(fd);
	open_refused_both(dir, "not a daicho database");
	free(db);
	free(dir);
}

static void
test_open_other_application(void **state)
{
	struct fixture	*f = *state;
	char		*dir, *db;
	uint8_t		*before, *after;
	size_t		 len, len2;

	dir = bare_dir(f, "other");
	db = bare_db(dir);
	craft_db(db, "PRAGMA application_id = 305419896;"
	    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);"
	    "INSERT INTO meta VALUES ('origin', 'x');");
	before = read_bytes(db, &len);
	open_refused_both(dir, "not a daicho database");
	open_refused(dir, 0, "0x12345678");
	/* Refused means untouched: not even its journal mode. */
	after = read_bytes(db, &len2);
	if (len != len2 || memcmp(before, after, len) != 0)
		fail_msg("the refused database was changed (%zu bytes, now "
		    "%zu; header bytes 18-19 were %d %d, now %d %d)", len,
		    len2, before[18], before[19], after[18], after[19]);
	free(before);
	free(after);
	free(db);
	free(dir);

	/* No application id, but tables and a version of its own. */
	dir = bare_dir(f, "plain");
	db = bare_db(dir);
	craft_db(db, "CREATE TABLE t (x); PRAGMA user_version = 1;");
	open_refused_both(dir, "not a daicho database");
	free(db);
	free(dir);

	dir = bare_dir(f, "noversion");
	db = bare_db(dir);
	craft_db(db, "CREATE TABLE t (x);");
	open_refused_both(dir, "not a daicho database");
	free(db);
	free(dir);
}

static void
test_open_newer(void **state)
{
	struct fixture	*f = *state;
	char		*sql;

	closed(f);
	xasprintf(&sql, "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION + 1);
	db_exec(f, sql, 0);
	free(sql);
	open_refused_both(f->dir, "newer");
}

/* The public line of the key file at path, and its whole text. */
static char *
read_file(const char *path)
{
	char	 buf[4096];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		fail_msg("%s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return xstrdup(buf);
}

static char *
key_line(const char *text, const char *name)
{
	const char	*p = text, *nl;
	size_t		 n = strlen(name);

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (strncmp(p, name, n) == 0 && p[n] == ' ')
			return xstrndup(p + n + 1, (size_t)(nl - p - n - 1));
		p = *nl == '\n' ? nl + 1 : nl;
	}
	fail_msg("no %s line in the key file", name);
	return NULL;
}

static void
assert_absent(struct fixture *f, const char *name)
{
	struct stat	 sb;
	char		*p = path_in(f, name);

	if (lstat(p, &sb) == 0)
		fail_msg("%s is still there", p);
	free(p);
}

static void
assert_mode(struct fixture *f, const char *name, mode_t mode)
{
	struct stat	 sb;
	char		*p = path_in(f, name);

	assert_int_equal(lstat(p, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, mode);
	free(p);
}

/* Verify a read-only reopen; 0 when intact. */
static void
verify_ok(struct fixture *f, uint64_t entries, uint64_t epochs)
{
	struct store_verify_opts	 opts;
	struct store_verify_result	 res;
	struct store			*s;
	char				*cause = NULL;
	int				 r;

	memset(&opts, 0, sizeof opts);
	s = open_store(f->dir, STORE_READONLY);
	r = store_verify(s, &opts, &res, &cause);
	if (r != 0)
		fail_msg("store_verify %d: %s", r, r == 1 ? res.problem :
		    cause);
	assert_null(res.problem);
	assert_true(res.entries == entries);
	assert_true(res.epochs == epochs);
	assert_true(res.checkpoint_size == entries);
	store_verify_result_free(&res);
	store_close(s);
}

static void
test_rotate(void **state)
{
	struct fixture		*f = *state;
	struct core_actor	 sys = { SYS, NULL };
	struct store_epoch	*ep;
	struct store_entry	*e;
	struct store_head	 head;
	uint8_t			 oldpk[STORE_PK_LEN], newpk[STORE_PK_LEN];
	char			*keyfile, *before, *after, *root, *vkey;
	char			*name, *b64, *cause = NULL, *note;
	uint64_t		 rot, epoch;
	size_t			 n, textlen;

	keyfile = path_in(f, "key");
	before = read_file(keyfile);
	vkey = store_epoch_vkey(f->s);
	assert_int_equal(store_note_parse_vkey(vkey, &name, oldpk, &cause), 0);
	free(name);
	free(vkey);
	assert_int_equal(store_ledger_head(f->s, &head, &cause), 0);
	rot = ledger_size(f->s);

	if (core_rotate(f->s, &sys, &cause) != 0)
		fail_msg("core_rotate: %s", cause);
	assert_true(ledger_size(f->s) == rot + 1);
	assert_int_equal(store_epochs(f->s, &ep, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_true(ep[0].epoch == 0 && ep[0].first == 0);
	assert_true(ep[1].epoch == 1);
	assert_true(ep[1].first == rot + 1);
	root = path_in(f, "root.pub");
	after = read_file(root);
	free(root);
	after[strcspn(after, "\n")] = '\0';
	assert_string_equal(ep[0].vkey, after);
	free(after);
	vkey = store_epoch_vkey(f->s);
	assert_string_equal(ep[1].vkey, vkey);
	free(vkey);
	assert_int_equal(store_epoch_current(f->s, &epoch, &cause), 0);
	assert_true(epoch == 1);

	/* The rotation entry: signed by the old key, naming the new. */
	e = entry_at(f->s, rot);
	assert_string_equal(e->action, "ledger.rotate");
	assert_string_equal(e->operator, SYS);
	assert_string_equal(e->subject, "epoch:1");
	assert_true(e->epoch == 0);
	assert_int_equal(e->signed_, 1);
	assert_int_equal(crypto_sign_verify_detached(e->sig, e->bytes,
	    e->siglen, oldpk), 0);
	assert_string_equal(store_args_get(&e->args, "epoch"), "1");
	assert_string_equal(store_args_get(&e->args, "key"), ep[1].vkey);
	xasprintf(&b64, "%llu", (unsigned long long)rot);
	assert_string_equal(store_args_get(&e->args, "size"), b64);
	free(b64);
	b64 = codec_b64(head.root, sizeof head.root);
	assert_string_equal(store_args_get(&e->args, "root"), b64);
	free(b64);
	store_entry_free(e);
	/* The checkpoint over the rotation is the outgoing key's last. */
	note = store_checkpoint_get(f->s, rot + 1, &cause);
	assert_non_null(note);
	assert_int_equal(store_note_parse_vkey(ep[0].vkey, &name, oldpk,
	    &cause), 0);
	if (store_note_verify(note, strlen(note), name, oldpk, &textlen,
	    &cause) != 0)
		fail_msg("checkpoint over the rotation: %s", cause);
	free(note);
	free(name);

	/* The key file now holds the new key, and only it. */
	after = read_file(keyfile);
	b64 = key_line(before, "public");
	vkey = key_line(after, "public");
	assert_string_not_equal(b64, vkey);
	free(b64);
	free(vkey);
	b64 = key_line(before, "secret");
	vkey = key_line(after, "secret");
	assert_string_not_equal(b64, vkey);
	assert_null(strstr(after, b64));
	free(b64);
	free(vkey);
	vkey = key_line(after, "epoch");
	assert_string_equal(vkey, "1");
	free(vkey);
	assert_mode(f, "key", 0600);
	assert_absent(f, "key.new");

	/* Entries after it carry epoch 1, checkpoints the new key. */
	run_ok(f->s, "operator.add", SYS, NULL,
	    ARGS("name", ADMIN, "role", "admin"));
	e = entry_at(f->s, rot + 1);
	assert_true(e->epoch == 1);
	store_entry_free(e);
	assert_int_equal(store_note_parse_vkey(ep[1].vkey, &name, newpk,
	    &cause), 0);
	note = store_checkpoint_get(f->s, 0, &cause);
	assert_non_null(note);
	if (store_note_verify(note, strlen(note), name, newpk, &textlen,
	    &cause) != 0)
		fail_msg("checkpoint after the rotation: %s", cause);
	free(note);
	free(name);

	/* An admin may rotate too. */
	run_ok(f->s, "ledger.rotate", ADMIN, NULL, NO_ARGS);
	store_epochs_free(ep, n);
	assert_int_equal(store_epochs(f->s, &ep, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_true(ep[2].first == rot + 3);
	store_epochs_free(ep, n);

	closed(f);
	verify_ok(f, rot + 3, 3);
	free(before);
	free(after);
	free(keyfile);
}

static void
write_file(const char *path, const void *buf, size_t len, mode_t mode)
{
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode);
	if (fd == -1)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* A garbage key.new (a rotation that died half-written) is removed. */
static void
test_key_new_garbage(void **state)
{
	struct fixture	*f = *state;
	char		*keynew, *keyfile, *before, *after;
	static const char junk[] = "daicho-key v1\norigin nothing\n\x01\x02";

	closed(f);
	keyfile = path_in(f, "key");
	keynew = path_in(f, "key.new");
	before = read_file(keyfile);
	write_file(keynew, junk, sizeof junk - 1, 0600);
	f->s = open_store(f->dir, 0);
	assert_absent(f, "key.new");
	after = read_file(keyfile);
	assert_string_equal(before, after);
	run_ok(f->s, "operator.add", SYS, NULL,
	    ARGS("name", ADMIN, "role", "admin"));
	closed(f);
	verify_ok(f, 2, 1);
	free(before);
	free(after);
	free(keynew);
	free(keyfile);
}

/*
 * A well-formed key.new for the next epoch that the ledger never named
 * (the commit did not happen): wiped, and the current key kept.
 */
static void
test_key_new_uncommitted(void **state)
{
	struct fixture	*f = *state;
	uint8_t		 pk[STORE_PK_LEN], sk[STORE_SK_LEN];
	char		*keynew, *keyfile, *before, *after, *text, *pk64, *sk64;
	char		*cause = NULL;
	uint64_t	 epoch;

	crypto_sign_keypair(pk, sk);
	pk64 = codec_b64(pk, sizeof pk);
	sk64 = codec_b64(sk, sizeof sk);
	xasprintf(&text, "daicho-key v1\norigin %s\nepoch 1\nbegan %lld\n"
	    "public %s\nsecret %s\n", store_ledger_origin(f->s),
	    (long long)time(NULL), pk64, sk64);
	closed(f);
	keyfile = path_in(f, "key");
	keynew = path_in(f, "key.new");
	before = read_file(keyfile);
	write_file(keynew, text, strlen(text), 0600);
	f->s = open_store(f->dir, 0);
	assert_absent(f, "key.new");
	after = read_file(keyfile);
	assert_string_equal(before, after);
	assert_int_equal(store_epoch_current(f->s, &epoch, &cause), 0);
	assert_true(epoch == 0);
	run_ok(f->s, "operator.add", SYS, NULL,
	    ARGS("name", ADMIN, "role", "admin"));
	closed(f);
	verify_ok(f, 2, 1);
	sodium_memzero(sk, sizeof sk);
	free(text);
	free(pk64);
	free(sk64);
	free(before);
	free(after);
	free(keynew);
	free(keyfile);
}

/*
 * A crash after the rotation's commit but before key.new replaced key:
 * the ledger names key.new's key, so opening finishes the switch.
 */
static void
test_key_new_committed(void **state)
{
	struct fixture		*f = *state;
	struct core_actor	 sys = { SYS, NULL };
	char			*keynew, *keyfile, *old, *rotated, *now;
	char			*cause = NULL;
	uint64_t		 epoch;

	keyfile = path_in(f, "key");
	keynew = path_in(f, "key.new");
	old = read_file(keyfile);
	if (core_rotate(f->s, &sys, &cause) != 0)
		fail_msg("core_rotate: %s", cause);
	closed(f);
	rotated = read_file(keyfile);
	assert_int_equal(rename(keyfile, keynew), 0);
	write_file(keyfile, old, strlen(old), 0600);

	f->s = open_store(f->dir, 0);
	assert_absent(f, "key.new");
	now = read_file(keyfile);
	assert_string_equal(now, rotated);
	assert_mode(f, "key", 0600);
	assert_int_equal(store_epoch_current(f->s, &epoch, &cause), 0);
	assert_true(epoch == 1);
	run_ok(f->s, "operator.add", SYS, NULL,
	    ARGS("name", ADMIN, "role", "admin"));
	closed(f);
	verify_ok(f, 3, 2);
	free(old);
	free(rotated);
	free(now);
	free(keynew);
	free(keyfile);
}

/* ledger.init, once, by the system, with this ledger's origin and key. */
static void
test_ledger_init(void **state)
{
	struct fixture		*f = *state;
	struct store_entry	*e;
	const char		*origin = store_ledger_origin(f->s);
	char			*rows_now, *want;
	uint64_t		 idx;

	run_refused(f, "ledger.init", SYS, NULL, ARGS("origin",
	    "daicho.invalid/ledger/0000000000000000", "key", f->vkey),
	    "origin");
	run_refused(f, "ledger.init", SYS, NULL, ARGS("key", f->vkey),
	    "argument origin is required");
	run_refused(f, "ledger.init", SYS, NULL, ARGS("origin", origin),
	    "argument key is required");
	run_refused(f, "ledger.init", ADMIN, NULL,
	    ARGS("origin", origin, "key", f->vkey), "not an active operator");
	run_refused(f, "ledger.init", SYS, ADMIN,
	    ARGS("origin", origin, "key", f->vkey), "needs no second person");

	idx = run_ok(f->s, "ledger.init", SYS, NULL,
	    ARGS("origin", origin, "key", f->vkey));
	assert_true(idx == 0);
	e = entry_at(f->s, 0);
	assert_int_equal(e->signed_, 1);
	assert_string_equal(e->subject, "ledger");
	store_entry_free(e);
	rows_now = rows(f->s, "SELECT n || ' ' || first_idx || ' ' || vkey "
	    "FROM epoch");
	xasprintf(&want, "0 0 %s\n", f->vkey);
	assert_string_equal(rows_now, want);
	free(want);
	free(rows_now);
	run_refused(f, "ledger.init", SYS, NULL,
	    ARGS("origin", origin, "key", f->vkey), "already has");
}

/*
 * The key argument is the root verifier key: docs/ledger-format.md 5.2
 * and verify require it to be the key that signs entry 0.  A ledger.init
 * naming another key could never verify, so it must not be written.
 */
static void
test_ledger_init_other_key(void **state)
{
	struct fixture			*f = *state;
	struct core_actor		 sys = { SYS, NULL };
	struct store_args		 a;
	struct store_verify_opts	 opts;
	struct store_verify_result	 res;
	uint8_t				 pk[STORE_PK_LEN], sk[STORE_SK_LEN];
	char				*other, *cause = NULL;
	int				 r;

	crypto_sign_keypair(pk, sk);
	sodium_memzero(sk, sizeof sk);
	other = store_note_vkey(store_ledger_origin(f->s), pk);
	a = ARGS("origin", store_ledger_origin(f->s), "key", other);
	if (core_run(f->s, "ledger.init", &sys, &a, NULL, &cause) == 0) {
		/* Show what was made: a ledger that can never verify. */
		closed(f);
		f->s = open_store(f->dir, STORE_READONLY);
		memset(&opts, 0, sizeof opts);
		r = store_verify(f->s, &opts, &res, &cause);
		print_error("accepted; store_verify then returns %d: %s\n", r,
		    r == 1 ? res.problem : r == -1 ? cause : "intact");
		store_verify_result_free(&res);
		free(other);
		fail_msg("ledger.init naming a key other than the root key "
		    "was accepted");
	}
	check_cause(cause, "key");
	free(cause);
	free(other);
}

static void
test_ledger_init_not_a_key(void **state)
{
	struct fixture	*f = *state;

	run_refused(f, "ledger.init", SYS, NULL,
	    ARGS("origin", store_ledger_origin(f->s), "key", "not a key"),
	    "key");
}

/* An epoch key an hour old is rotated before the next action. */
static void
test_rotate_when_old(void **state)
{
	struct fixture		*f = *state;
	struct core_actor	 sys = { SYS, NULL };
	struct store_args	 a = ARGS("name", ADMIN, "role", "admin");
	struct store_entry	*e;
	char			*keyfile, *text, *began, *old, *cause = NULL;
	char			*p;
	uint64_t		 idx;

	closed(f);
	keyfile = path_in(f, "key");
	text = read_file(keyfile);
	began = key_line(text, "began");
	xasprintf(&old, "began %lld\n", (long long)time(NULL) -
	    CORE_ROTATE_SECONDS - 5);
	p = strstr(text, "began ");
	assert_non_null(p);
	xasprintf(&p, "%.*s%s%s", (int)(p - text), text, old,
	    p + strlen("began ") + strlen(began) + 1);
	write_file(keyfile, p, strlen(p), 0600);
	free(p);
	f->s = open_store(f->dir, 0);
	assert_true(store_epoch_age(f->s) >= CORE_ROTATE_SECONDS);

	if (core_run(f->s, "operator.add", &sys, &a, &idx, &cause) != 0)
		fail_msg("operator.add: %s", cause);
	assert_true(idx == 2);
	e = entry_at(f->s, 1);
	assert_string_equal(e->action, "ledger.rotate");
	assert_string_equal(e->operator, SYS);
	store_entry_free(e);
	e = entry_at(f->s, 2);
	assert_string_equal(e->action, "operator.add");
	assert_true(e->epoch == 1);
	store_entry_free(e);
	assert_true(store_epoch_age(f->s) < 60);
	closed(f);
	verify_ok(f, 3, 2);
	free(text);
	free(began);
	free(old);
	free(keyfile);
}

/*
 * Two writers: the console holds its store open for hours while the
 * rotation timer (another process) appends and changes the key.  The
 * console's next transaction must catch up, not extend a stale head.
 */
static void
test_two_writers(void **state)
{
	struct fixture		*f = *state;
	struct core_actor	 sys = { SYS, NULL };
	struct core_actor	 admin = { ADMIN, NULL };
	struct store_args	 a = ARGS("name", ADMIN, "role", "admin");
	struct store_args	 b = ARGS("employee_no", "E1",
	    "name_kanji", "山田 太郎", "name_kana", "ヤマダ　タロウ",
	    "department", "総務課", "position", "主事",
	    "employment", "regular", "start_date", "2020-04-01");
	struct store		*timer;
	char			*cause = NULL;

	if (core_run(f->s, "operator.add", &sys, &a, NULL, &cause) != 0)
		fail_msg("operator.add: %s", cause);
	timer = open_store(f->dir, 0);
	if (core_rotate(timer, &sys, &cause) != 0)
		fail_msg("rotate: %s", cause);
	if (core_rotate(timer, &sys, &cause) != 0)
		fail_msg("rotate: %s", cause);
	store_close(timer);
	if (core_run(f->s, "person.add", &admin, &b, NULL, &cause) != 0)
		fail_msg("person.add after another writer: %s", cause);
	assert_true(ledger_size(f->s) == 5);
	closed(f);
	verify_ok(f, 5, 3);
}

/* A key.new that is a symlink is removed without touching its target. */
static void
test_key_new_symlink(void **state)
{
	struct fixture	*f = *state;
	static const char precious[] = "precious\n";
	char		*keynew, *victim, *after;

	closed(f);
	keynew = path_in(f, "key.new");
	xasprintf(&victim, "%s/victim", f->base);
	write_file(victim, precious, sizeof precious - 1, 0600);
	assert_int_equal(symlink(victim, keynew), 0);
	f->s = open_store(f->dir, 0);
	assert_absent(f, "key.new");
	after = read_file(victim);
	assert_string_equal(after, precious);
	run_ok(f->s, "operator.add", SYS, NULL,
	    ARGS("name", ADMIN, "role", "admin"));
	free(after);
	free(victim);
	free(keynew);
}

static const struct CMUnitTest operator_tests[] = {
	cmocka_unit_test_setup_teardown(test_bootstrap_system, setup,
	    teardown),
	cmocka_unit_test_setup_teardown(test_bootstrap_first_approver,
	    setup_admin, teardown),
	cmocka_unit_test_setup_teardown(test_bootstrap_after_removal,
	    setup_ops, teardown),
	cmocka_unit_test_setup_teardown(test_bootstrap_after_role_change,
	    setup_ops, teardown),
	cmocka_unit_test_setup_teardown(test_auditor_cannot, setup_ops,
	    teardown),
	cmocka_unit_test_setup_teardown(test_approver_cannot, setup_ops,
	    teardown),
	cmocka_unit_test_setup_teardown(test_remove, setup_ops, teardown),
	cmocka_unit_test_setup_teardown(test_last_admin, setup_ops, teardown),
	cmocka_unit_test_setup_teardown(test_role, setup_ops, teardown),
	cmocka_unit_test_setup_teardown(test_unknown_role, setup_ops,
	    teardown),
	cmocka_unit_test_setup_teardown(test_unknown_action, setup_ops,
	    teardown),
	cmocka_unit_test_setup_teardown(test_readd, setup_ops, teardown),
	cmocka_unit_test_setup_teardown(test_repeated_args, setup_ops,
	    teardown),
	cmocka_unit_test_setup_teardown(test_ledger_init, setup_created,
	    teardown),
	cmocka_unit_test_setup_teardown(test_ledger_init_other_key,
	    setup_created, teardown),
	cmocka_unit_test_setup_teardown(test_ledger_init_not_a_key,
	    setup_created, teardown),
};

static const struct CMUnitTest login_tests[] = {
	BADNAME("upper-case", "Alice"),
	BADNAME("upper-case inside", "aLice"),
	BADNAME("space inside", "al ice"),
	BADNAME("leading space", " alice"),
	BADNAME("trailing space", "alice "),
	BADNAME("leading '-'", "-alice"),
	BADNAME("only '-'", "-"),
	BADNAME("slash", "al/ice"),
	BADNAME("dot-dot slash", "../x"),
	BADNAME("colon", "al:ice"),
	BADNAME("tab", "al\tice"),
	BADNAME("newline", "alice\n"),
	BADNAME("escape", "al\x1b[0mice"),
	BADNAME("DEL", "alice\x7f"),
	BADNAME("33 bytes", "abcdefghijklmnopqrstuvwxyzabcdefg"),
	BADNAME("empty", ""),
	BADNAME("leading digit", "1alice"),
	BADNAME("all digits", "1000"),
	BADNAME("dot", "."),
	BADNAME("dot-dot", ".."),
	BADNAME("at sign", "al@ice"),
	BADNAME("the system actor", STORE_SYSTEM_ACTOR),
	BADNAME("not ASCII", "\xc3\xa5lice"),
	BADNAME("fullwidth", "\xef\xbd\x81lice"),
	BADNAME("backslash", "al\\ice"),
	BADNAME("percent", "al%ice"),
	BADNAME("trailing dollar", "alice$"),
	OKNAME("one letter", "a"),
	OKNAME("32 bytes", "abcdefghijklmnopqrstuvwxyzabcdef"),
	OKNAME("with '-'", "al-ice"),
	OKNAME("trailing '-'", "alice-"),
	OKNAME("with '.'", "al.ice"),
	OKNAME("with '_'", "al_ice"),
	OKNAME("leading '_'", "_svc"),
	OKNAME("with digits", "alice2"),
};

#define KATAKANA43							\
	"アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミ"	\
	"ムメモヤユヨラリルレロ"
#define KANJI21	"山田太郎山田太郎山田太郎山田太郎山田太郎山"

static const struct CMUnitTest person_tests[] = {
	cmocka_unit_test_setup_teardown(test_person, setup_ops, teardown),
	OKP("the base person", "end_date", NULL),
	OKP("end date", "end_date", "2026-03-31"),
	OKP("end date on the start date", "end_date", "2025-04-01"),
	OKP("leap day 2024", "start_date", "2024-02-29"),
	OKP("leap day 2000", "start_date", "2000-02-29"),
	OKP("1900-01-01", "start_date", "1900-01-01"),
	OKP("31 December", "start_date", "2025-12-31"),
	OKP("employee number of 16", "employee_no", "ABCDEFGH12345678"),
	OKP("employee number of one digit", "employee_no", "7"),
	OKP("kanji name of 64 bytes", "name_kanji", KANJI21 "x"),
	OKP("kana with long vowel and dot", "name_kana",
	    "\xe3\x82\xb8\xe3\x83\xa7\xe3\x83\xbc\xe3\x83\xbb"
	    "\xe3\x82\xb9\xe3\x83\x9f\xe3\x82\xb9"),
	OKP("kana of 42 characters", "name_kana",
	    "イウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミ"
	    "ムメモヤユヨラリルレロ"),
	OKP("fixed term", "employment", "fixed_term"),
	OKP("part time", "employment", "part_time"),
	OKP("contractor", "employment", "contractor"),
	BADP("employee number missing", "employee_no", NULL,
	    "argument employee_no is required"),
	BADP("start date missing", "start_date", NULL,
	    "argument start_date is required"),
	BADP("kana missing", "name_kana", NULL, "argument name_kana"),
	BADP("employee number empty", "employee_no", "", "employee number"),
	BADP("employee number lower-case", "employee_no", "e1001",
	    "employee number"),
	BADP("employee number with '-'", "employee_no", "E-1001",
	    "employee number"),
	BADP("employee number with space", "employee_no", "E 1001",
	    "employee number"),
	BADP("employee number of 17", "employee_no", "ABCDEFGH123456789",
	    "employee number"),
	BADP("employee number fullwidth", "employee_no",
	    "\xef\xbc\x91\xef\xbc\x92", "employee number"),
	BADP("employee number with newline", "employee_no", "E1\n",
	    "employee number"),
	BADP("name empty", "name_kanji", "", "empty"),
	BADP("name with tab", "name_kanji", "山田\t太郎", "control"),
	BADP("name with newline", "name_kanji", "山田\n太郎", "control"),
	BADP("name with escape", "name_kanji", "山田\x1b[2J", "control"),
	BADP("name with DEL", "name_kanji", "山田\x7f", "control"),
	BADP("name of 65 bytes", "name_kanji", KANJI21 "xy", "longer"),
	BADP("name not UTF-8", "name_kanji", "山\xe7\x94", "UTF-8"),
	BADP("name with a surrogate", "name_kanji", "\xed\xa0\x80",
	    "UTF-8"),
	BADP("kana empty", "name_kana", "", "katakana"),
	BADP("kana in hiragana", "name_kana", "やまだ", "katakana"),
	BADP("kana with ASCII", "name_kana", "ヤマダ taro", "katakana"),
	BADP("kana with ASCII space", "name_kana", "ヤマダ タロウ",
	    "katakana"),
	BADP("kana half-width", "name_kana", "ﾔﾏﾀﾞ", "katakana"),
	BADP("kana with tab", "name_kana", "ヤマダ\t", "katakana"),
	BADP("kana in kanji", "name_kana", "山田", "katakana"),
	BADP("kana U+30A0", "name_kana", "\xe3\x82\xa0", "katakana"),
	BADP("kana U+30FD", "name_kana", "\xe3\x83\xbd", "katakana"),
	BADP("kana truncated", "name_kana", "ヤ\xe3\x83", "katakana"),
	BADP("kana of 43 characters", "name_kana", KATAKANA43, "katakana"),
	BADP("department empty", "department", "", "department is empty"),
	BADP("department with escape", "department", "総務\x1b[31m",
	    "control"),
	BADP("department of 65 bytes", "department", KANJI21 "xy", "longer"),
	BADP("position empty", "position", "", "position is empty"),
	BADP("position with tab", "position", "\t", "control"),
	BADP("position of 65 bytes", "position", KANJI21 "xy", "longer"),
	BADP("employment unknown", "employment", "permanent", "employment"),
	BADP("employment capitalised", "employment", "Regular", "employment"),
	BADP("employment empty", "employment", "", "employment"),
	BADP("employment with space", "employment", "regular ", "employment"),
	BADP("30 February", "start_date", "2025-02-30", "date"),
	BADP("29 February 2023", "start_date", "2023-02-29", "date"),
	BADP("29 February 1900", "start_date", "1900-02-29", "date"),
	BADP("1899", "start_date", "1899-01-01", "date"),
	BADP("one-digit month", "start_date", "2025-1-01", "date"),
	BADP("one-digit day", "start_date", "2025-01-1", "date"),
	BADP("month 13", "start_date", "2025-13-01", "date"),
	BADP("month 00", "start_date", "2025-00-10", "date"),
	BADP("day 00", "start_date", "2025-01-00", "date"),
	BADP("day 32", "start_date", "2025-01-32", "date"),
	BADP("31 April", "start_date", "2025-04-31", "date"),
	BADP("slashes", "start_date", "2025/01/01", "date"),
	BADP("no dashes", "start_date", "20250101", "date"),
	BADP("with a time", "start_date", "2025-01-01T00:00:00", "date"),
	BADP("start date empty", "start_date", "", "date"),
	BADP("fullwidth digits", "start_date",
	    "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x95-01-01", "date"),
	BADP("end date invalid", "end_date", "2026-02-30", "date"),
	BADP("end date empty", "end_date", "", "date"),
	BADP("end date before start", "end_date", "2025-03-31", "before"),
	BADP("end date a year before", "end_date", "2024-12-31", "before"),
};

static const struct CMUnitTest replay_tests[] = {
	cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
};

static const struct CMUnitTest open_tests[] = {
	cmocka_unit_test_setup_teardown(test_open_dir_mode, setup, teardown),
	cmocka_unit_test_setup_teardown(test_open_db_mode, setup, teardown),
	cmocka_unit_test_setup_teardown(test_open_key_mode, setup, teardown),
	cmocka_unit_test_setup_teardown(test_open_key_missing, setup,
	    teardown),
	cmocka_unit_test_setup_teardown(test_open_symlinks, setup, teardown),
	cmocka_unit_test_setup_teardown(test_open_not_ours, setup, teardown),
	cmocka_unit_test_setup_teardown(test_open_not_a_dir, setup, teardown),
	cmocka_unit_test_setup_teardown(test_open_garbage, setup, teardown),
	cmocka_unit_test_setup_teardown(test_open_other_application, setup,
	    teardown),
	cmocka_unit_test_setup_teardown(test_open_newer, setup, teardown),
};

static const struct CMUnitTest key_tests[] = {
	cmocka_unit_test_setup_teardown(test_rotate, setup, teardown),
	cmocka_unit_test_setup_teardown(test_key_new_garbage, setup,
	    teardown),
	cmocka_unit_test_setup_teardown(test_key_new_uncommitted, setup,
	    teardown),
	cmocka_unit_test_setup_teardown(test_key_new_committed, setup,
	    teardown),
	cmocka_unit_test_setup_teardown(test_key_new_symlink, setup,
	    teardown),
	cmocka_unit_test_setup_teardown(test_rotate_when_old, setup,
	    teardown),
	cmocka_unit_test_setup_teardown(test_two_writers, setup, teardown),
};

int
main(void)
{
	int	failed = 0;

	if (sodium_init() < 0)
		return 1;
	failed += cmocka_run_group_tests_name("operators", operator_tests,
	    NULL, NULL);
	failed += cmocka_run_group_tests_name("login names", login_tests,
	    NULL, NULL);
	failed += cmocka_run_group_tests_name("person.add", person_tests,
	    NULL, NULL);
	failed += cmocka_run_group_tests_name("replay", replay_tests, NULL,
	    NULL);
	failed += cmocka_run_group_tests_name("store_open refusals",
	    open_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("epoch keys", key_tests, NULL,
	    NULL);
	return failed != 0;
}
