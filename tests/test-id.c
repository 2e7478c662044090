/*
 * test-id.c -- systems and IDs: every action's role checks and bad-input
 * paths, the municipal rules (one personal ID per person and system,
 * shared IDs list users, contractor and privileged IDs end), the state
 * changes, the outbox rows they queue, replay, and remedies for
 * findings applied in one transaction (core_findings_apply).
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
#define P3		"E0000003"

struct fx {
	char		*base;
	char		*dir;
	struct store	*s;
};

static int
setup(void **state)
{
	struct fx	*f = xcalloc(1, sizeof *f);
	char		*cause = NULL;

	f->base = scratch_dir();
	xasprintf(&f->dir, "%s/data", f->base);
	init_store(f->dir);
	f->s = open_store(f->dir, 0);
	if (core_seed_demo(f->s, 5, &cause) != 0)
		fail_msg("seed: %s", cause);
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

/* run(f, action, op, approver, want_ok, why, name, value, ..., NULL) */
static void
run(struct fx *f, const char *action, const char *op, const char *approver,
    int want_ok, const char *why, ...)
{
	struct core_actor	 who = { op, approver };
	struct store_args	 a = { 0 };
	const char		*n;
	char			*cause = NULL;
	uint64_t		 before = ledger_size(f->s);
	va_list			 ap;
	int			 r;

	va_start(ap, why);
	while ((n = va_arg(ap, const char *)) != NULL)
		store_args_add(&a, n, va_arg(ap, const char *));
	va_end(ap);
	r = core_run(f->s, action, &who, &a, NULL, &cause);
	if (want_ok) {
		if (r != 0)
			fail_msg("%s: %s", action, cause);
		return;
	}
	if (r == 0)
		fail_msg("%s: accepted, wanted refused (%s)", action, why);
	check_cause(cause, why);
	free(cause);
	assert_true(ledger_size(f->s) == before);	/* nothing written */
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

static void
add_system(struct fx *f, const char *name)
{
	run(f, "system.add", ADMIN, APPROVER, 1, NULL, "name", name,
	    "type", "unix", "title", "住民記録システム", "conf", "3",
	    "integ", "2", "avail", "2", "config", "root=/tmp/x\nhome=/home",
	    NULL);
}

static void
test_system_add(void **state)
{
	struct fx	*f = *state;

	add_system(f, "juki");
	assert_int_equal(count(f, "SELECT count(*) FROM system"), 1);
	run(f, "system.add", ADMIN, APPROVER, 0, "already exists", "name",
	    "juki", "type", "unix", "title", "x", "conf", "1", "integ", "1",
	    "avail", "1", NULL);
	run(f, "system.add", ADMIN, NULL, 0, "second person", "name", "s2",
	    "type", "unix", "title", "x", "conf", "1", "integ", "1", "avail",
	    "1", NULL);
	run(f, "system.add", AUDITOR, APPROVER, 0, "auditor role", "name",
	    "s2", "type", "unix", "title", "x", "conf", "1", "integ", "1",
	    "avail", "1", NULL);
	run(f, "system.add", ADMIN, APPROVER, 0, "not a system name", "name",
	    "Bad Name", "type", "unix", "title", "x", "conf", "1", "integ",
	    "1", "avail", "1", NULL);
	run(f, "system.add", ADMIN, APPROVER, 0, "is not unix", "name", "s2",
	    "type", "nfs", "title", "x", "conf", "1", "integ", "1", "avail",
	    "1", NULL);
	run(f, "system.add", ADMIN, APPROVER, 0, "conf must be 1 to 3",
	    "name", "s2", "type", "unix", "title", "x", "conf", "4", "integ",
	    "1", "avail", "1", NULL);
	run(f, "system.add", ADMIN, APPROVER, 0, "integ must be 1 to 2",
	    "name", "s2", "type", "unix", "title", "x", "conf", "1", "integ",
	    "0", "avail", "1", NULL);
	run(f, "system.add", ADMIN, APPROVER, 0, "looks like a secret",
	    "name", "s2", "type", "ldap", "title", "x", "conf", "1", "integ",
	    "1", "avail", "1", "config", "uri=ldap://x\nbindpw=hunter2",
	    NULL);
	run(f, "system.add", ADMIN, APPROVER, 1, NULL, "name", "s2", "type",
	    "ldap", "title", "x", "conf", "1", "integ", "1", "avail", "1",
	    "config", "bindpw_file=/etc/daicho/ldap.pw", NULL);
}

static void
test_id_rules(void **state)
{
	struct fx	*f = *state;
	static const char *const bad[] = {
		"ta\tb", "two words", "-dash", "a/b", "a:b",
		"abcdefghijklmnopqrstuvwxyz0123456", "Upper", "", "x\033[2J",
	};
	size_t		 i;

	add_system(f, "juki");
	run(f, "id.create", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "yamada", "kind", "personal", "owner", P1, NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'create' AND login = 'yamada' AND state = 'pending'"), 1);
	run(f, "id.create", ADMIN, NULL, 0, "already has a personal ID",
	    "system", "juki", "login", "yamada2", "kind", "personal", "owner",
	    P1, NULL);
	run(f, "id.create", ADMIN, NULL, 0, "already exists", "system",
	    "juki", "login", "yamada", "kind", "service", NULL);
	run(f, "id.create", ADMIN, NULL, 0, "must have an owner", "system",
	    "juki", "login", "x1", "kind", "personal", NULL);
	run(f, "id.create", ADMIN, NULL, 0, "nobody on record", "system",
	    "juki", "login", "x1", "kind", "personal", "owner", "E9999999",
	    NULL);
	run(f, "id.create", ADMIN, NULL, 0, "no system", "system", "nope",
	    "login", "x1", "kind", "service", NULL);
	run(f, "id.create", ADMIN, NULL, 0, "kind", "system", "juki", "login",
	    "x1", "kind", "guest", NULL);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		run(f, "id.create", ADMIN, NULL, 0, "not a valid login name",
		    "system", "juki", "login", bad[i], "kind", "service", NULL);
	run(f, "id.create", ADMIN, NULL, 0, "must list its users", "system",
	    "juki", "login", "kaikei", "kind", "shared", NULL);
	run(f, "id.create", ADMIN, NULL, 0, "nobody on record", "system",
	    "juki", "login", "kaikei", "kind", "shared", "users",
	    P1 ",E9999999", NULL);
	run(f, "id.create", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "kaikei", "kind", "shared", "users", P1 "," P2, NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM account_user WHERE "
	    "login = 'kaikei'"), 2);
	run(f, "id.create", ADMIN, NULL, 0, "sponsor", "system", "juki",
	    "login", "itaku1", "kind", "contractor", "owner", P3, "end_date",
	    "2027-03-31", NULL);
	run(f, "id.create", ADMIN, NULL, 0, "end date", "system", "juki",
	    "login", "itaku1", "kind", "contractor", "owner", P3, "sponsor",
	    P1, NULL);
	run(f, "id.create", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "itaku1", "kind", "contractor", "owner", P3, "sponsor", P1,
	    "end_date", "2027-03-31", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE "
	    "login = 'itaku1' AND op = 'expire' AND arg = '2027-03-31'"), 1);
	run(f, "id.create", ADMIN, NULL, 0, "end date", "system", "juki",
	    "login", "root2", "kind", "privileged", "owner", P2, NULL);
	run(f, "id.create", AUDITOR, NULL, 0, "auditor role", "system", "juki",
	    "login", "x2", "kind", "service", NULL);
	run(f, "id.create", APPROVER, NULL, 0, "approver role", "system",
	    "juki", "login", "x2", "kind", "service", NULL);
}

static void
test_id_states(void **state)
{
	struct fx	*f = *state;

	add_system(f, "juki");
	run(f, "id.create", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "sato", "kind", "personal", "owner", P2, NULL);
	run(f, "id.unlock", ADMIN, NULL, 0, "is active", "system", "juki",
	    "login", "sato", NULL);
	run(f, "id.lock", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "sato", NULL);
	run(f, "id.lock", ADMIN, NULL, 0, "is locked", "system", "juki",
	    "login", "sato", NULL);
	run(f, "id.unlock", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "sato", NULL);
	run(f, "id.suspend", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "sato", NULL);
	run(f, "id.resume", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "sato", NULL);
	run(f, "id.end_date", ADMIN, NULL, 0, "YYYY-MM-DD", "system", "juki",
	    "login", "sato", "end_date", "31/03/2027", NULL);
	run(f, "id.end_date", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "sato", "end_date", "2027-03-31", NULL);
	run(f, "id.owner", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "sato", "owner", P3, NULL);
	run(f, "id.revoke", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "sato", NULL);
	run(f, "id.lock", ADMIN, NULL, 0, "is revoked", "system", "juki",
	    "login", "sato", NULL);
	run(f, "id.lock", ADMIN, NULL, 0, "no ID", "system", "juki", "login",
	    "nobody", NULL);
	/* The outbox has the target operations in order. */
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE "
	    "login = 'sato'"), 7);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE "
	    "login = 'sato' AND op = 'delete'"), 1);
	/* Revoked, the owner may have a personal ID again. */
	run(f, "id.create", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "sato", "kind", "personal", "owner", P3, NULL);

	/* Adopting an account the system has: the same rules, no create. */
	run(f, "id.adopt", ADMIN, NULL, 0, "already has a personal ID",
	    "system", "juki", "login", "sato2", "kind", "personal", "owner",
	    P3, NULL);
	run(f, "id.adopt", ADMIN, NULL, 0, "state must be active or locked",
	    "system", "juki", "login", "old1", "kind", "service", "state",
	    "revoked", NULL);
	run(f, "id.adopt", AUDITOR, NULL, 0, "auditor role", "system", "juki",
	    "login", "old1", "kind", "service", NULL);
	/*
	 * A unix system is asked for the account's real state (tests/
	 * findings.sh); a manual one cannot be, so the state given stands.
	 */
	run(f, "system.add", ADMIN, APPROVER, 1, NULL, "name", "paper",
	    "type", "manual", "title", "紙台帳", "conf", "2", "integ", "2",
	    "avail", "2", NULL);
	run(f, "id.adopt", ADMIN, NULL, 1, NULL, "system", "paper", "login",
	    "old1", "kind", "service", "state", "locked", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM account WHERE "
	    "login = 'old1' AND state = 'locked'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE "
	    "login = 'old1'"), 0);
	run(f, "id.unlock", ADMIN, NULL, 1, NULL, "system", "paper", "login",
	    "old1", NULL);

	/* The users of a shared ID are replaced, never left empty. */
	run(f, "id.create", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "madoguchi", "kind", "shared", "users", P1 "," P2, NULL);
	run(f, "id.users", ADMIN, NULL, 0, "no live shared ID", "system",
	    "juki", "login", "sato", "users", P1, NULL);
	run(f, "id.users", ADMIN, NULL, 0, "nobody on record", "system",
	    "juki", "login", "madoguchi", "users", P1 ",X999", NULL);
	run(f, "id.users", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "madoguchi", "users", P3, NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM account_user WHERE "
	    "login = 'madoguchi'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM account_user WHERE "
	    "login = 'madoguchi' AND employee_no = " "'" P3 "'"), 1);
}

static void
report(void *arg, const char *line)
{
	(void)arg;
	fail_msg("replay: %s", line);
}

static void
test_replay(void **state)
{
	struct fx	*f = *state;
	struct store	*ro;
	char		*cause = NULL;

	test_id_states(state);
	store_close(f->s);
	ro = open_store(f->dir, STORE_READONLY);
	assert_int_equal(core_replay(ro, report, NULL, &cause), 0);
	store_close(ro);
	f->s = open_store(f->dir, 0);
}

/* Entry idx (from 0)'s action and approver ("" when it has none). */
static void
entry_who(struct fx *f, uint64_t idx, char *action, size_t alen,
    char *approver, size_t plen)
{
	struct store_entry	*e;
	uint8_t			*bytes;
	size_t			 len;
	char			*cause = NULL;

	if (store_ledger_get(f->s, idx, &bytes, &len, &cause) != 0 ||
	    (e = store_entry_parse(bytes, len, &cause)) == NULL)
		fail_msg("entry %llu: %s", (unsigned long long)idx, cause);
	snprintf(action, alen, "%s", e->action);
	snprintf(approver, plen, "%s", e->approver != NULL ? e->approver : "");
	store_entry_free(e);
	free(bytes);
}

/*
 * core_findings_apply, which the command line and the console share: the
 * fixes in one transaction, the approver named only in the actions that
 * need one; a fix refused leaves nothing of the others, and is named.
 */
static void
test_findings_apply(void **state)
{
	struct fx		*f = *state;
	struct core_finding	 fd[2];
	struct core_fix		 fx[2];
	uint64_t		 before;
	size_t			 failed = 0;
	char			*cause = NULL, act[32], appr[32];

	add_system(f, "juki");
	run(f, "id.create", ADMIN, NULL, 1, NULL, "system", "juki", "login",
	    "yamada", "kind", "personal", "owner", P1, NULL);
	memset(fd, 0, sizeof fd);
	memset(fx, 0, sizeof fx);
	snprintf(fd[0].subject, sizeof fd[0].subject, "juki/yamada");
	snprintf(fd[1].subject, sizeof fd[1].subject, "system:paper");
	fx[0].f = &fd[0];
	fx[0].action = "id.lock";
	store_args_add(&fx[0].args, "system", "juki");
	store_args_add(&fx[0].args, "login", "yamada");
	store_args_add(&fx[0].args, "reason", "finding leaver-active");
	fx[1].f = &fd[1];
	fx[1].action = "system.add";		/* two-person */
	store_args_add(&fx[1].args, "name", "paper");
	store_args_add(&fx[1].args, "type", "manual");
	store_args_add(&fx[1].args, "title", "x");
	store_args_add(&fx[1].args, "conf", "1");
	store_args_add(&fx[1].args, "integ", "1");
	store_args_add(&fx[1].args, "avail", "1");

	before = ledger_size(f->s);
	assert_int_equal(core_findings_apply(f->s, ADMIN, NULL, fx, 2,
	    &failed, &cause), -1);
	assert_true(failed == 1);
	check_cause(cause, "system:paper");
	check_cause(cause, "second person");
	free(cause);
	cause = NULL;
	assert_true(ledger_size(f->s) == before);
	assert_int_equal(count(f, "SELECT count(*) FROM account WHERE login = "
	    "'yamada' AND state = 'locked'"), 0);

	if (core_findings_apply(f->s, ADMIN, APPROVER, fx, 2, &failed,
	    &cause) != 0)
		fail_msg("core_findings_apply: %s", cause);
	assert_true(ledger_size(f->s) == before + 2);
	entry_who(f, before, act, sizeof act, appr, sizeof appr);
	assert_string_equal(act, "id.lock");
	assert_string_equal(appr, "");		/* needs nobody */
	entry_who(f, before + 1, act, sizeof act, appr, sizeof appr);
	assert_string_equal(act, "system.add");
	assert_string_equal(appr, APPROVER);
	assert_int_equal(count(f, "SELECT count(*) FROM account WHERE login = "
	    "'yamada' AND state = 'locked'"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_system_add, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_id_rules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_id_states, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_findings_apply, setup,
		    teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("systems and IDs", tests, NULL,
	    NULL);
}
