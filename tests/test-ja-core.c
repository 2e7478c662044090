/*
 * test-ja-core.c -- core's messages under the locale in force, and what
 * stays English whatever the locale.  tests/ja-core.sh runs it twice:
 * under LC_ALL=C, and under ja_JP.UTF-8 with the catalogue made from
 * po/ (argv[1] is that catalogue's directory).
 *
 * A refused action's cause is what the operator reads: Japanese under
 * ja_JP, English under C.  A target's failure is recorded in the ledger
 * (outbox.result's error), so its text, errno's words included, is the
 * same English under both: the ledger must not depend on LANG; so are
 * errno's words where the ledger or a sealed report may quote them.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
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
#include "store-int.h"
#include "targets-int.h"
#include "core.h"
#include "testlib.h"

#define ADMIN		CORE_DEMO_ADMIN
#define APPROVER	CORE_DEMO_APPROVER

static int	 ja;		/* the locale is Japanese: want translations */

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

/* core_run with name/value pairs; 0 or -1 with *cause (caller frees). */
static int
run(struct fx *f, const char *action, const char *op, const char *approver,
    char **cause, ...)
{
	struct core_actor	 who = { op, approver };
	struct store_args	 a = { 0 };
	const char		*n;
	va_list			 ap;

	va_start(ap, cause);
	while ((n = va_arg(ap, const char *)) != NULL)
		store_args_add(&a, n, va_arg(ap, const char *));
	va_end(ap);
	return core_run(f->s, action, &who, &a, NULL, cause);
}

/* Whether s holds a byte outside ASCII (a translation's characters). */
static int
has_non_ascii(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	}
	return 0;
}

/* A refusal's cause is in the operator's language. */
static void
test_cause(void **state)
{
	struct fx	*f = *state;
	char		*cause = NULL;

	assert_int_equal(run(f, "id.lock", ADMIN, NULL, &cause, "system",
	    "nosuch", "login", "yamada", NULL), -1);
	if (ja)
		check_cause(cause, "id.lock: システム \"nosuch\" はありません。"
		    "登録済みのシステムを選んでください");
	else
		check_cause(cause, "id.lock: no system \"nosuch\"; choose one "
		    "on record");
	free(cause);
	cause = NULL;
	/* Two glued halves became whole sentences: each half translates. */
	assert_int_equal(run(f, "incident.lock", ADMIN, NULL, &cause, "scope",
	    "all:x", "reason", "test", NULL), -1);
	check_cause(cause, ja ? "対象範囲 all には値を指定できません" :
	    "scope all takes no value");
	free(cause);
}

/*
 * A target that cannot be reached: the failure is recorded with errno's
 * words in English, and nothing of the locale's language.
 */
static void
test_recorded(void **state)
{
	struct fx		*f = *state;
	struct core_outbox_stats st;
	uint64_t		 n;
	uint8_t			*bytes;
	size_t			 len;
	char			*cause = NULL, *text;

	if (run(f, "system.add", ADMIN, APPROVER, &cause, "name", "juki",
	    "type", "unix", "title", "juki", "conf", "3", "integ", "2",
	    "avail", "2", "config", "root=/nonexistent-daicho-root\n"
	    "home=/home", NULL) != 0 ||
	    run(f, "id.create", ADMIN, NULL, &cause, "system", "juki",
	    "login", "yamada", "kind", "personal", "owner", "E0000001",
	    NULL) != 0)
		fail_msg("setting up: %s", cause);
	memset(&st, 0, sizeof st);
	if (core_outbox_run(f->s, &st, &cause) != 0)
		fail_msg("outbox: %s", cause);
	if (store_ledger_size(f->s, &n, &cause) != 0 ||
	    store_ledger_get(f->s, n - 1, &bytes, &len, &cause) != 0)
		fail_msg("ledger: %s", cause);
	text = xstrndup((const char *)bytes, len);
	if (strstr(text, "outbox.result") == NULL ||
	    strstr(text, "No such file or directory") == NULL)
		fail_msg("not the failure in English:\n%s", text);
	if (has_non_ascii(text, len))
		fail_msg("the locale's language reached the ledger:\n%s", text);
	free(text);
	free(bytes);
}

/*
 * errno's words for the ledger and for what verify may seal: English
 * under any locale (strerror itself follows LC_MESSAGES).
 */
static void
test_strerror(void **state)
{
	(void)state;
	assert_string_equal(target_strerror(ENOENT),
	    "No such file or directory");
	assert_string_equal(store_strerror(EACCES), "Permission denied");
	/* The locale's own words, for contrast: the helpers are needed. */
	if (ja && strcmp(strerror(ENOENT), "No such file or directory") == 0)
		print_message("# strerror is English here (no libc-l10n): "
		    "the contrast is not shown\n");
}

/*
 * What the state keeps in English (an HR event's detail, why a shared
 * ID's password is due, number_parse's words) as people read it.
 */
static void
test_shown(void **state)
{
	char		 buf[480];
	const char	*errstr = NULL;
	long long	 n;

	(void)state;
	core_hr_detail_shown("joins 市民課 主事", buf, sizeof buf);
	assert_string_equal(buf, ja ? "市民課 主事 に採用" :
	    "joins 市民課 主事");
	core_hr_detail_shown("retires 2027-03-31", buf, sizeof buf);
	assert_string_equal(buf, ja ? "2027-03-31 退職予定" :
	    "retires 2027-03-31");
	core_hr_detail_shown("back from leave", buf, sizeof buf);
	assert_string_equal(buf, ja ? "復職" : "back from leave");
	core_hr_detail_shown("市民課 主事 -> 税務課 主事", buf, sizeof buf);
	assert_string_equal(buf, "市民課 主事 -> 税務課 主事");
	core_password_due_shown("E0000004 left (event 5)", buf, sizeof buf);
	assert_string_equal(buf, ja ? "E0000004 が退職 (人事異動情報 5)" :
	    "E0000004 left (event 5)");
	core_password_due_shown("set by hand", buf, sizeof buf);
	assert_string_equal(buf, "set by hand");
	/* An HR plan's reasons, recorded in English. */
	core_hr_reason_shown("moved: only the old post had it (event 12)", buf,
	    sizeof buf);
	assert_string_equal(buf, ja ? "異動: 旧所属・職位にだけ付与されていた"
	    "ため (人事異動情報 12)" :
	    "moved: only the old post had it (event 12)");
	core_hr_reason_shown("leaver 2027-03-31 (event 4)", buf, sizeof buf);
	assert_string_equal(buf, ja ? "退職 2027-03-31 (人事異動情報 4)" :
	    "leaver 2027-03-31 (event 4)");
	core_hr_reason_shown("left 2027-03-31 (event 4), 30 days of grace "
	    "over", buf, sizeof buf);
	assert_string_equal(buf, ja ? "2027-03-31 に退職 (人事異動情報 4)、"
	    "猶予期間 30 日が経過" :
	    "left 2027-03-31 (event 4), 30 days of grace over");
	core_hr_reason_shown("sleeper 2027-03-31 (event 4)", buf, sizeof buf);
	assert_string_equal(buf, "sleeper 2027-03-31 (event 4)");
	core_hr_reason_shown("moved: only the old post had it (event 12) x",
	    buf, sizeof buf);
	assert_string_equal(buf, "moved: only the old post had it (event 12) "
	    "x");
	/* English as returned (a target's recorded cause quotes it). */
	assert_int_equal(number_parse("07", 1, 9, &n, &errstr), -1);
	assert_string_equal(errstr, "invalid");
	assert_string_equal(_(errstr), ja ? "不正な値" : "invalid");
	assert_int_equal(number_parse("10", 1, 9, &n, &errstr), -1);
	assert_string_equal(_(errstr), ja ? "大きすぎる値" : "too large");
}

struct an_seen {
	int	 hits;
	int	 bad;			/* a why not English, or shown not
					   the locale's */
};

static void
an_seen(void *arg, const struct core_analysis_hit *h)
{
	struct an_seen	*x = arg;

	x->hits++;
	if (has_non_ascii(h->why, strlen(h->why)) ||
	    (ja && !has_non_ascii(h->shown, strlen(h->shown))) ||
	    (!ja && strcmp(h->why, h->shown) != 0)) {
		print_message("# why \"%s\", shown \"%s\"\n", h->why,
		    h->shown);
		x->bad++;
	}
}

/* The log analysis: each hit's reason English for the CSV, and shown. */
static void
test_analysis(void **state)
{
	struct fx		*f = *state;
	struct core_analysis	 res;
	struct an_seen		 x = { 0, 0 };
	char			*cause = NULL;

	if (core_session_failure(f->s, "tty1", ADMIN, "denied", &cause) != 0)
		fail_msg("session.failure: %s", cause);
	if (core_analysis_run(f->s, NULL, 0, time(NULL) + 60, an_seen, &x,
	    &res, &cause) != 0)
		fail_msg("analysis: %s", cause);
	assert_true(x.hits > 0);
	assert_int_equal(x.bad, 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cause, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recorded, setup,
		    teardown),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_shown),
		cmocka_unit_test_setup_teardown(test_analysis, setup,
		    teardown),
	};
	const char	*lc;

	xmalloc_init();
	if ((lc = setlocale(LC_ALL, "")) == NULL) {
		fprintf(stderr, "test-ja-core: the locale is not available\n");
		return 99;
	}
	if (argc > 1 && bindtextdomain(PACKAGE, argv[1]) == NULL)
		return 99;
	textdomain(PACKAGE);
	ja = strncmp(setlocale(LC_MESSAGES, NULL), "ja", 2) == 0;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
