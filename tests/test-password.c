/*
 * test-password.c -- passwords: the checks a typed password meets (short,
 * a dictionary word, reused, the user's name, invalid UTF-8, control
 * characters; a good one passes), the history's depth, policy.set and
 * what it pushes to the targets, and the password actions' state and
 * outbox rows (set, reset, force change by scope, rotate and the
 * contractor refusal, a password row no run can carry).
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
#include <sodium.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "testlib.h"

#define ADMIN		CORE_DEMO_ADMIN
#define APPROVER	CORE_DEMO_APPROVER
#define UNIX		"linux-honcho"
#define GOOD		"Kumo-Tanuki-47-Sora"

struct fx {
	char		*base;
	char		*dir;
	struct store	*s;
	struct core_policy p;
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
	if (core_seed_demo(f->s, 12, &cause) != 0 ||
	    core_seed_demo_ids(f->s, &cause) != 0)
		fail_msg("seed: %s", cause);
	core_policy_defaults(&f->p);
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
	assert_true(ledger_size(f->s) == before);
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

/* check(f, login, pw) refused with why, or accepted when why is NULL. */
static void
check(struct fx *f, const char *login, const char *pw, const char *why)
{
	char	*cause = NULL;
	int	 r;

	r = core_password_check(f->s, &f->p, UNIX, login, NULL, pw, &cause);
	if (why == NULL) {
		if (r != 0)
			fail_msg("refused: %s", cause);
		return;
	}
	if (r == 0)
		fail_msg("accepted, wanted refused (%s)", why);
	check_cause(cause, why);
	/* The message never repeats the password. */
	if (*pw != '\0')
		assert_null(strstr(cause, pw));
	free(cause);
}

static void
test_quality(void **state)
{
	struct fx	*f = *state;

	check(f, "e0000001", GOOD, NULL);
	check(f, "e0000001", "Ab1-x", "shorter than");
	check(f, "e0000001", "abcdefghijklmnop", "character classes");
	/* A word of cracklib's dictionary, long enough and of 3 classes. */
	check(f, "e0000001", "Elephantine1", "dictionary");
	check(f, "e0000001", "Xq7-e0000001-zz", "user name");
	check(f, "e0000001", "Kumo-Tanuki-47\xff", "not valid UTF-8");
	check(f, "e0000001", "Kumo-Tanuki-\xe3\x81", "not valid UTF-8");
	check(f, "e0000001", "Kumo-Tanuki\x01-47", "control character");
	check(f, "e0000001", "Kumo-Tanuki\x1b[2J47", "control character");
	check(f, "e0000001", "Kumo-Tanuki\x7f-47", "control character");
	check(f, "e0000001", "Kumo-Tanuki\xc2\x85-47", "control character");
	check(f, "e0000001", "Kumo-Tanuki\t-47", "control character");
	check(f, "e0000001", "", "empty");
	/* The policy's values are the ones used. */
	f->p.min_length = 24;
	check(f, "e0000001", GOOD, "shorter than");
	f->p.min_length = 12;
	f->p.dictcheck = 0;
	check(f, "e0000001", "Elephantine1", NULL);
	f->p.usercheck = 0;
	check(f, "e0000001", "Xq7-e0000001-zz", NULL);
}

/* A name given (the owner's) is refused too, under usercheck. */
static void
test_name(void **state)
{
	struct fx	*f = *state;
	char		*cause = NULL;

	assert_int_equal(core_password_check(f->s, &f->p, UNIX, "e0000001",
	    "tanaka", "Xq7-Tanaka-zz-91", &cause), -1);
	check_cause(cause, "user's name");
	free(cause);
}

static void
test_history(void **state)
{
	struct fx	*f = *state;
	char		*cause = NULL, pw[32];
	int		 i;

	if (core_password_remember(f->s, UNIX, "e0000001", GOOD, 1000,
	    &cause) != 0)
		fail_msg("remember: %s", cause);
	check(f, "e0000001", GOOD, "last 5 passwords");
	check(f, "e0000002", GOOD, NULL);	/* another ID's history */
	assert_int_equal(count(f, "SELECT count(*) FROM password_history "
	    "WHERE hash LIKE '$argon2id$%'"), 1);
	/* Five more: the first falls out of the depth (5), and is kept no
	 * longer. */
	for (i = 0; i < 5; i++) {
		snprintf(pw, sizeof pw, "Kumo-Tanuki-%d-Umi", 50 + i);
		if (core_password_remember(f->s, UNIX, "e0000001", pw,
		    2000 + i, &cause) != 0)
			fail_msg("remember: %s", cause);
	}
	assert_int_equal(count(f, "SELECT count(*) FROM password_history "
	    "WHERE login = 'e0000001'"), 5);
	check(f, "e0000001", GOOD, NULL);
	check(f, "e0000001", "Kumo-Tanuki-50-Umi", "last 5");
	/* No history at all: nothing is refused as reused. */
	f->p.history = 0;
	check(f, "e0000001", "Kumo-Tanuki-54-Umi", NULL);
}

static void
test_policy_keys(void **state)
{
	const struct core_action	*a = core_action_find("policy.set");
	const struct core_policy_key	*k;
	const struct core_param		*p;

	(void)state;
	assert_non_null(a);
	for (k = core_policy_keys; k->name != NULL; k++) {
		for (p = a->params; p->name != NULL; p++) {
			if (strcmp(p->name, k->name) == 0)
				break;
		}
		if (p->name == NULL)
			fail_msg("policy.set does not take %s", k->name);
	}
}

static void
test_policy_set(void **state)
{
	struct fx	*f = *state;
	struct core_policy p;
	char		*cause = NULL;

	run(f, "system.add", ADMIN, APPROVER, 1, NULL, "name", "dir", "type",
	    "ldap", "title", "x", "conf", "1", "integ", "1", "avail", "1",
	    "config", "uri=ldap://127.0.0.1:1/\nbase=dc=x", NULL);
	run(f, "policy.set", ADMIN, NULL, 0, "second person", "system", "*",
	    "kind", "*", "min_length", "14", NULL);
	run(f, "policy.set", ADMIN, APPROVER, 0, "no system", "system",
	    "nowhere", "kind", "*", "min_length", "14", NULL);
	run(f, "policy.set", ADMIN, APPROVER, 0, "kind", "system", "*",
	    "kind", "robot", "min_length", "14", NULL);
	run(f, "policy.set", ADMIN, APPROVER, 0, "from 8 to 128", "system",
	    "*", "kind", "*", "min_length", "4", NULL);
	run(f, "policy.set", ADMIN, APPROVER, 0, "at least one key", "system",
	    "*", "kind", "*", NULL);
	run(f, "policy.set", ADMIN, APPROVER, 1, NULL, "system", UNIX, "kind",
	    "privileged", "max_age_days", "30", "min_length", "16", NULL);
	if (core_policy_get(f->s, UNIX, "privileged", &p, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(p.min_length, 16);
	assert_string_equal(p.from[0], UNIX "/privileged");
	/* Aging for every live ID on the unix system, each its kind's. */
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'aging' AND arg = 'min=1 max=30 warn=14' AND login = "
	    "'adm-e0000002'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'aging'"), 1);		/* kind privileged: the one ID */
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'policy'"), 0);		/* the ldap system is not in scope */
	run(f, "policy.set", ADMIN, APPROVER, 1, NULL, "system", "*", "kind",
	    "*", "warn_days", "7", "history", "8", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'aging' AND arg = 'min=1 max=90 warn=7' AND login = "
	    "'e0000001'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'aging' AND arg = 'min=1 max=30 warn=7' AND login = "
	    "'adm-e0000002'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'policy' AND system = 'dir' AND login = '-' AND arg = "
	    "'min_length=12 max_age=90 min_age=1 warn=7 history=8'"), 1);
	/* "" removes the key from that scope: the default again. */
	run(f, "policy.set", ADMIN, APPROVER, 1, NULL, "system", UNIX, "kind",
	    "privileged", "min_length", "", NULL);
	if (core_policy_get(f->s, UNIX, "privileged", &p, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(p.min_length, 12);
	assert_string_equal(p.from[0], "default");
	assert_int_equal(p.max_age_days, 30);
}

static void
test_set_password(void **state)
{
	struct fx		*f = *state;
	struct core_outbox_stats st;
	char			*cause = NULL;

	run(f, "id.set_password", ADMIN, NULL, 0, "no live ID", "system", UNIX,
	    "login", "nobody1", NULL);
	run(f, "id.set_password", ADMIN, NULL, 0, "manual", "system", "juki",
	    "login", "juki-kanri", NULL);
	run(f, "id.reset_password", ADMIN, NULL, 1, NULL, "system", UNIX,
	    "login", "e0000001", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM account WHERE login = "
	    "'e0000001' AND must_change = 1 AND password_temp_until = "
	    "password_set_at + 72 * 3600 AND password_set_by = '"
	    ADMIN "'"), 1);
	run(f, "id.set_password", ADMIN, NULL, 1, NULL, "system", UNIX,
	    "login", "e0000001", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM account WHERE login = "
	    "'e0000001' AND must_change = 0 AND password_temp_until IS NULL "
	    "AND password_set_at > 0"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'password' AND arg = '' AND state = 'pending'"), 1);
	/* A run without the password fails the row for good, at once. */
	if (core_outbox_run(f->s, &st, &cause) != 0)
		fail_msg("outbox: %s", cause);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'password' AND state = 'failed' AND attempts = 1 AND last_error "
	    "LIKE '%never stored%'"), 1);
	run(f, "id.revoke", ADMIN, NULL, 1, NULL, "system", UNIX, "login",
	    "e0000002", NULL);
	run(f, "id.set_password", ADMIN, NULL, 0, "no live ID", "system", UNIX,
	    "login", "e0000002", NULL);
}

static void
test_force_change(void **state)
{
	struct fx	*f = *state;
	int64_t		 live;

	run(f, "id.force_change", ADMIN, NULL, 0, "either", "system", UNIX,
	    "login", "e0000001", "scope", "all", "reason", "x", NULL);
	run(f, "id.force_change", ADMIN, NULL, 0, "either", "reason", "x",
	    NULL);
	run(f, "id.force_change", ADMIN, NULL, 0, "needs a reason", "scope",
	    "all", NULL);
	run(f, "id.force_change", ADMIN, NULL, 1, NULL, "system", UNIX,
	    "login", "e0000001", "reason", "leaked", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'force_change'"), 1);
	live = count(f, "SELECT count(*) FROM account WHERE system = '" UNIX
	    "' AND state <> 'revoked'");
	run(f, "id.force_change", ADMIN, NULL, 1, NULL, "scope", "system:"
	    UNIX, "reason", "a leaked list", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'force_change'"), 1 + live);
	assert_int_equal(count(f, "SELECT count(*) FROM account WHERE system = "
	    "'" UNIX "' AND must_change = 1"), live);
	assert_int_equal(count(f, "SELECT count(*) FROM ledger_entry"),
	    (int64_t)ledger_size(f->s));
}

/* The first person on record's employee number; caller frees. */
static char *
first_person(struct fx *f)
{
	struct store_stmt	*st;
	char			*cause = NULL, *no = NULL;

	if ((st = store_prepare(f->s, "SELECT employee_no FROM person ORDER BY "
	    "employee_no LIMIT 1", &cause)) == NULL ||
	    store_step(st, &cause) != STORE_ROW)
		fail_msg("person: %s", cause != NULL ? cause : "none");
	no = xstrdup(store_col_text(st, 0));
	store_finalize(st);
	return no;
}

static void
test_rotate(void **state)
{
	struct fx	*f = *state;
	char		*cause = NULL, *no, *sql;
	int64_t		 n;

	run(f, "id.rotate_password", ADMIN, APPROVER, 0, "not a privileged",
	    "system", UNIX, "login", "e0000001", NULL);
	run(f, "id.rotate_password", ADMIN, NULL, 0, "second person",
	    "system", UNIX, "login", "adm-e0000002", NULL);
	run(f, "id.rotate_password", ADMIN, APPROVER, 0, "made by daicho",
	    "system", UNIX, "login", "adm-e0000002", "seen_by", "x", NULL);
	/* The admin's person record says contractor: refused. */
	no = first_person(f);
	run(f, "operator.person", ADMIN, NULL, 0, "second person", "name",
	    ADMIN, "person", no, NULL);
	run(f, "operator.person", ADMIN, APPROVER, 0, "nobody on record",
	    "name", ADMIN, "person", "E9999999", NULL);
	run(f, "operator.person", ADMIN, APPROVER, 1, NULL, "name", ADMIN,
	    "person", no, NULL);
	if (store_query_int(f->s, "SELECT count(*) FROM operator WHERE "
	    "person IS NOT NULL", &n, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(n, 1);
	run(f, "id.rotate_password", ADMIN, APPROVER, 1, NULL, "system", UNIX,
	    "login", "adm-e0000002", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'password' AND login = 'adm-e0000002'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM account WHERE login = "
	    "'adm-e0000002' AND password_set_by = '" ADMIN "'"), 1);
	xasprintf(&sql, "UPDATE person SET employment = 'contractor' WHERE "
	    "employee_no = '%s'", no);
	if (store_exec(f->s, sql, &cause) != 0)
		fail_msg("%s", cause);
	free(sql);
	run(f, "id.rotate_password", ADMIN, APPROVER, 0, "contractor",
	    "system", UNIX, "login", "adm-e0000002", NULL);
	free(no);
}

/* Set field 3 (the last change, in days) of login's shadow line. */
static void
shadow_changed(struct fx *f, const char *login, long day)
{
	char	*path, *tmp, line[1024], *c1, *c2, *c3;
	FILE	*in, *out;
	size_t	 n = strlen(login);

	xasprintf(&path, "%s/unix-root/etc/shadow", f->dir);
	xasprintf(&tmp, "%s.t", path);
	if ((in = fopen(path, "r")) == NULL || (out = fopen(tmp, "w")) == NULL)
		fail_msg("%s", path);
	while (fgets(line, sizeof line, in) != NULL) {
		if (strncmp(line, login, n) != 0 || line[n] != ':' ||
		    (c1 = strchr(line, ':')) == NULL ||
		    (c2 = strchr(c1 + 1, ':')) == NULL ||
		    (c3 = strchr(c2 + 1, ':')) == NULL) {
			fputs(line, out);
			continue;
		}
		*c2 = '\0';
		fprintf(out, "%s:%ld%s", line, day, c3);
	}
	fclose(in);
	if (fclose(out) != 0 || rename(tmp, path) != 0)
		fail_msg("%s", tmp);
	free(tmp);
	free(path);
}

/*
 * The sweep: a temporary password past its deadline locks the ID unless
 * the system shows it changed; the second sweep writes nothing.
 */
static void
test_sweep(void **state)
{
	struct fx		*f = *state;
	struct core_password_sweep c;
	struct core_outbox_stats st;
	char			*cause = NULL;
	uint64_t		 size;

	if (core_password_sweep(f->s, time(NULL), &c, &cause) != 0)
		fail_msg("sweep: %s", cause);
	assert_int_equal(c.due, 0);
	run(f, "id.reset_password", ADMIN, NULL, 1, NULL, "system", UNIX,
	    "login", "e0000001", NULL);
	run(f, "id.reset_password", ADMIN, NULL, 1, NULL, "system", UNIX,
	    "login", "e0000002", NULL);
	if (core_outbox_run(f->s, &st, &cause) != 0)
		fail_msg("outbox: %s", cause);
	/* Not yet due: nothing happens. */
	size = ledger_size(f->s);
	if (core_password_sweep(f->s, time(NULL), &c, &cause) != 0)
		fail_msg("sweep: %s", cause);
	assert_int_equal(c.due, 0);
	assert_true(ledger_size(f->s) == size);
	/* Both past their deadline; e0000002's owner changed it. */
	if (store_exec(f->s, "UPDATE account SET password_temp_until = "
	    "CAST(strftime('%s', 'now') AS INTEGER) - 60 WHERE system = '"
	    UNIX "' AND login IN ('e0000001', 'e0000002')", &cause) != 0)
		fail_msg("%s", cause);
	shadow_changed(f, "e0000002", (long)(time(NULL) / 86400));
	if (core_password_sweep(f->s, time(NULL), &c, &cause) != 0)
		fail_msg("sweep: %s", cause);
	assert_int_equal(c.due, 2);
	assert_int_equal(c.seen, 1);
	assert_int_equal(c.locked, 1);
	assert_int_equal(count(f, "SELECT count(*) FROM account WHERE login = "
	    "'e0000001' AND state = 'locked' AND password_temp_until IS "
	    "NULL"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM account WHERE login = "
	    "'e0000002' AND state = 'active' AND password_temp_until IS NULL "
	    "AND must_change = 0"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE op = "
	    "'lock' AND login = 'e0000001' AND state = 'pending'"), 1);
	size = ledger_size(f->s);
	if (core_password_sweep(f->s, time(NULL), &c, &cause) != 0)
		fail_msg("sweep: %s", cause);
	assert_int_equal(c.due, 0);
	assert_true(ledger_size(f->s) == size);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_quality, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history, setup, teardown),
		cmocka_unit_test(test_policy_keys),
		cmocka_unit_test_setup_teardown(test_policy_set, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_set_password, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_force_change, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rotate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
