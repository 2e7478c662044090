/*
 * test-workorder.c -- the manual target: the outbox leaves a manual
 * system's operations alone as work orders; workorder.done needs the admin
 * who did the work and a different approver; workorder.refuse needs one
 * admin; both refuse a row that is not an open work order, bad notes, and
 * work orders closed out of order; replay rebuilds the same outbox.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "testlib.h"

#define ADMIN		CORE_DEMO_ADMIN
#define APPROVER	CORE_DEMO_APPROVER
#define AUDITOR		CORE_DEMO_AUDITOR
#define P1		"E0000001"
#define P2		"E0000002"

struct fx {
	char		*base;
	char		*dir;
	struct store	*s;
	char		 create[24];		/* entry of id.create's order */
	char		 lock[24];		/* and of id.lock's after it */
};

/*
 * run(f, action, op, approver, want_ok, why, name, value, ..., NULL): the
 * new entry's index, or 0 after checking a refusal wrote nothing.
 */
static uint64_t
run(struct fx *f, const char *action, const char *op, const char *approver,
    int want_ok, const char *why, ...)
{
	struct core_actor	 who = { op, approver };
	struct store_args	 a = { 0 };
	const char		*n;
	char			*cause = NULL;
	uint64_t		 before = ledger_size(f->s), idx = 0;
	va_list			 ap;
	int			 r;

	va_start(ap, why);
	while ((n = va_arg(ap, const char *)) != NULL)
		store_args_add(&a, n, va_arg(ap, const char *));
	va_end(ap);
	r = core_run(f->s, action, &who, &a, &idx, &cause);
	if (want_ok) {
		if (r != 0)
			fail_msg("%s: %s", action, cause);
		return idx;
	}
	if (r == 0)
		fail_msg("%s: accepted, wanted refused (%s)", action, why);
	check_cause(cause, why);
	free(cause);
	assert_true(ledger_size(f->s) == before);	/* nothing written */
	return 0;
}

static int64_t
count(struct fx *f, const char *sql)
{
	int64_t	 n = -1;
	char	*cause = NULL;

	if (store_query_int(f->s, sql, &n, &cause) != 0)
		fail_msg("%s: %s", sql, cause);
	return n;
}

/*
 * A manual system "paper" and a unix system "juki"; yamada's ID on paper
 * queues a create and then a lock: two work orders, in that order.
 */
static int
setup(void **state)
{
	struct fx	*f = xcalloc(1, sizeof *f);
	char		*cause = NULL;
	uint64_t	 idx;

	f->base = scratch_dir();
	xasprintf(&f->dir, "%s/data", f->base);
	init_store(f->dir);
	f->s = open_store(f->dir, 0);
	if (core_seed_demo(f->s, 5, &cause) != 0)
		fail_msg("seed: %s", cause);
	run(f, "system.add", ADMIN, APPROVER, 1, NULL, "name", "paper",
	    "type", "manual", "title", "紙の台帳", "conf", "2", "integ", "1",
	    "avail", "1", NULL);
	run(f, "system.add", ADMIN, APPROVER, 1, NULL, "name", "juki",
	    "type", "unix", "title", "住民記録システム", "conf", "3",
	    "integ", "2", "avail", "2", "config", "root=/nonexistent", NULL);
	idx = run(f, "id.create", ADMIN, NULL, 1, NULL, "system", "paper",
	    "login", "yamada", "kind", "personal", "owner", P1, "name",
	    "山田 太郎", NULL);
	snprintf(f->create, sizeof f->create, "%llu", (unsigned long long)idx);
	idx = run(f, "id.lock", ADMIN, NULL, 1, NULL, "system", "paper",
	    "login", "yamada", NULL);
	snprintf(f->lock, sizeof f->lock, "%llu", (unsigned long long)idx);
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

struct seen {
	size_t			 n;
	struct core_workorder	 first;
};

static void
collect(void *arg, const struct core_workorder *w)
{
	struct seen	*seen = arg;

	if (seen->n++ == 0)
		seen->first = *w;
}

/* The outbox tries no target for a manual system; list shows the orders. */
static void
test_queue(void **state)
{
	struct fx		*f = *state;
	struct core_outbox_stats st;
	struct seen		 seen = { 0 };
	char			*cause = NULL;
	int64_t			 n;
	size_t			 listed;

	if (core_outbox_run(f->s, &st, &cause) != 0)
		fail_msg("outbox: %s", cause);
	assert_int_equal(st.systems, 0);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE "
	    "system = 'paper' AND state = 'pending' AND attempts = 0"), 2);
	if (core_workorder_count(f->s, &n, &cause) != 0)
		fail_msg("count: %s", cause);
	assert_int_equal(n, 2);

	if (core_workorder_list(f->s, collect, &seen, &listed, &cause) != 0)
		fail_msg("list: %s", cause);
	assert_int_equal(listed, 2);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.first.system, "paper");
	assert_string_equal(seen.first.login, "yamada");
	assert_string_equal(seen.first.op, "create");
	assert_string_equal(seen.first.arg, "山田 太郎");
	assert_string_equal(seen.first.action, "id.create");
	assert_string_equal(seen.first.queued_by, ADMIN);
	assert_string_equal(seen.first.state, "pending");
	assert_true(seen.first.manual);
	assert_int_equal(strlen(seen.first.queued), 20);	/* RFC 3339 */

	/* An operation on another system is no work order. */
	run(f, "id.create", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "sato", "kind", "personal", "owner", P2, NULL);
	if (core_workorder_count(f->s, &n, &cause) != 0)
		fail_msg("count: %s", cause);
	assert_int_equal(n, 2);
}

/* The newest entry is action, closing op of yamada on paper. */
static void
last_entry_names(struct fx *f, const char *action, const char *op)
{
	struct store_entry	*e;
	uint8_t			*bytes;
	size_t			 len;
	char			*cause = NULL;

	if (store_ledger_get(f->s, ledger_size(f->s) - 1, &bytes, &len,
	    &cause) != 0 || (e = store_entry_parse(bytes, len,
	    &cause)) == NULL)
		fail_msg("last entry: %s", cause);
	free(bytes);
	assert_string_equal(e->action, action);
	assert_string_equal(e->subject, "id:paper/yamada");
	assert_string_equal(store_args_get(&e->args, "system"), "paper");
	assert_string_equal(store_args_get(&e->args, "login"), "yamada");
	assert_string_equal(store_args_get(&e->args, "op"), op);
	store_entry_free(e);
}

/* Two people: the admin who did it and a different approver. */
static void
test_done_roles(void **state)
{
	struct fx	*f = *state;
	const char	*c = f->create;

	run(f, "workorder.done", ADMIN, NULL, 0, "second person", "entry", c,
	    "seq", "0", "note", "registered in the paper ledger", NULL);
	run(f, "workorder.done", ADMIN, ADMIN, 0, "different person", "entry",
	    c, "seq", "0", "note", "x", NULL);
	run(f, "workorder.done", ADMIN, AUDITOR, 0, "approver role", "entry",
	    c, "seq", "0", "note", "x", NULL);
	run(f, "workorder.done", AUDITOR, APPROVER, 0, "auditor role", "entry",
	    c, "seq", "0", "note", "x", NULL);
	run(f, "workorder.done", APPROVER, ADMIN, 0, "approver role", "entry",
	    c, "seq", "0", "note", "x", NULL);
	run(f, "workorder.done", "nobody", APPROVER, 0, "not an active",
	    "entry", c, "seq", "0", "note", "x", NULL);
	run(f, "workorder.done", STORE_SYSTEM_ACTOR, APPROVER, 0, "not by the "
	    "system", "entry", c, "seq", "0", "note", "x", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE "
	    "state = 'pending'"), 2);

	run(f, "workorder.done", ADMIN, APPROVER, 1, NULL, "entry", c, "seq",
	    "0", "note", "registered in the paper ledger, page 12", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE "
	    "login = 'yamada' AND op = 'create' AND state = 'applied' AND "
	    "attempts = 1 AND last_error IS NULL"), 1);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "done already", "entry",
	    c, "seq", "0", "note", "again", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE "
	    "state = 'pending'"), 1);
	last_entry_names(f, "workorder.done", "create");
}

/* Bad input: a clear error, nothing written. */
static void
test_bad_input(void **state)
{
	struct fx	*f = *state;
	const char	*c = f->create;
	char		 juki[24], big[600];

	run(f, "workorder.done", ADMIN, APPROVER, 0, "no work order", "entry",
	    "999999", "seq", "0", "note", "x", NULL);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "no work order", "entry",
	    c, "seq", "7", "note", "x", NULL);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "must be numbers",
	    "entry", "0" "1", "seq", "0", "note", "x", NULL);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "must be numbers",
	    "entry", c, "seq", "-1", "note", "x", NULL);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "must be numbers",
	    "entry", "x", "seq", "0", "note", "x", NULL);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "argument note",
	    "entry", c, "seq", "0", NULL);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "argument seq",
	    "entry", c, "note", "x", NULL);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "control character",
	    "entry", c, "seq", "0", "note", "done\033[2J", NULL);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "control character",
	    "entry", c, "seq", "0", "note", "line\nbreak", NULL);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "is empty", "entry", c,
	    "seq", "0", "note", "", NULL);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	run(f, "workorder.done", ADMIN, APPROVER, 0, "longer than", "entry",
	    c, "seq", "0", "note", big, NULL);
	run(f, "workorder.refuse", ADMIN, NULL, 0, "unknown argument \"note\" "
	    "(it accepts entry, seq, reason, system, login, op)", "entry", c,
	    "seq", "0", "note", "x", NULL);
	run(f, "workorder.refuse", ADMIN, NULL, 0, "argument reason", "entry",
	    c, "seq", "0", NULL);
	/* The account and operation, when given, must be the order's. */
	run(f, "workorder.done", ADMIN, APPROVER, 0, "is for system paper",
	    "entry", c, "seq", "0", "system", "juki", "note", "x", NULL);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "is for login yamada",
	    "entry", c, "seq", "0", "login", "sato", "note", "x", NULL);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "is for op create",
	    "entry", c, "seq", "0", "op", "delete", "note", "x", NULL);
	/* In order: the lock waits for the create. */
	run(f, "workorder.done", ADMIN, APPROVER, 0, "close it first", "entry",
	    f->lock, "seq", "0", "note", "x", NULL);
	run(f, "workorder.refuse", ADMIN, NULL, 0, "close it first", "entry",
	    f->lock, "seq", "0", "reason", "x", NULL);
	/* An operation for a target is not a person's to close. */
	snprintf(juki, sizeof juki, "%llu", (unsigned long long)run(f,
	    "id.create", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "sato", "kind", "personal", "owner", P2, NULL));
	run(f, "workorder.done", ADMIN, APPROVER, 0, "not a manual system",
	    "entry", juki, "seq", "0", "note", "x", NULL);
	run(f, "workorder.refuse", ADMIN, NULL, 0, "not a manual system",
	    "entry", juki, "seq", "0", "reason", "x", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE "
	    "state = 'pending' AND attempts = 0"), 3);
}

/* One admin refuses, saying why; the order is failed for good. */
static void
test_refuse(void **state)
{
	struct fx	*f = *state;
	const char	*c = f->create;

	run(f, "workorder.refuse", ADMIN, APPROVER, 0, "no second person",
	    "entry", c, "seq", "0", "reason", "x", NULL);
	run(f, "workorder.refuse", AUDITOR, NULL, 0, "auditor role", "entry",
	    c, "seq", "0", "reason", "x", NULL);
	run(f, "workorder.refuse", APPROVER, NULL, 0, "approver role",
	    "entry", c, "seq", "0", "reason", "x", NULL);
	run(f, "workorder.refuse", ADMIN, NULL, 0, "control character",
	    "entry", c, "seq", "0", "reason", "a\tb", NULL);
	run(f, "workorder.refuse", ADMIN, NULL, 1, NULL, "entry", c, "seq",
	    "0", "reason", "紙の台帳は廃止済み", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE "
	    "op = 'create' AND state = 'failed' AND attempts = 1 AND "
	    "last_error = '紙の台帳は廃止済み'"), 1);
	run(f, "workorder.done", ADMIN, APPROVER, 0, "refused or failed",
	    "entry", c, "seq", "0", "note", "x", NULL);
	run(f, "workorder.refuse", ADMIN, NULL, 0, "refused or failed",
	    "entry", c, "seq", "0", "reason", "x", NULL);
	/* With the create closed, the lock may be closed. */
	last_entry_names(f, "workorder.refuse", "create");
	run(f, "workorder.done", ADMIN, APPROVER, 1, NULL, "entry", f->lock,
	    "seq", "0", "note", "locked by hand", NULL);
	last_entry_names(f, "workorder.done", "lock");
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE "
	    "state = 'pending'"), 0);
}

static void
report(void *arg, const char *line)
{
	int	*n = arg;

	(void)line;
	(*n)++;
}

static int
replay(struct fx *f)
{
	struct store	*ro;
	char		*cause = NULL;
	int		 n = 0, r;

	store_close(f->s);
	ro = open_store(f->dir, STORE_READONLY);
	if ((r = core_replay(ro, report, &n, &cause)) < 0)
		fail_msg("replay: %s", cause);
	store_close(ro);
	f->s = open_store(f->dir, 0);
	assert_int_equal(r, n);
	return r;
}

/* Replay agrees, and sees a work order closed behind the ledger's back. */
static void
test_replay(void **state)
{
	struct fx	*f = *state;
	char		*cause = NULL;

	run(f, "workorder.done", ADMIN, APPROVER, 1, NULL, "entry", f->create,
	    "seq", "0", "note", "registered", NULL);
	run(f, "workorder.refuse", ADMIN, NULL, 1, NULL, "entry", f->lock,
	    "seq", "0", "reason", "the ledger book is at the archive", NULL);
	assert_int_equal(replay(f), 0);

	run(f, "id.unlock", ADMIN, NULL, 1, NULL, "system", "paper", "login",
	    "yamada", NULL);
	if (store_exec(f->s, "UPDATE outbox SET state = 'applied' WHERE "
	    "state = 'pending'", &cause) != 0)
		fail_msg("tamper: %s", cause);
	assert_true(replay(f) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_done_roles, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("manual target: work orders",
	    tests, NULL, NULL);
}
