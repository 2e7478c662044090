/*
 * test-people.c -- looking a person up (core/query-people.c): a search
 * needs the employee number or two of name, kana and department, and
 * refuses fewer with the reason; names match by their fold keys (髙橋 by
 * 高橋, ﾀｶﾊｼ by タカハシ); a person's IDs are the ones they own and the
 * shared ones they use; their history is the entries about them.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "testlib.h"

#define ADMIN		CORE_DEMO_ADMIN
#define APPROVER	CORE_DEMO_APPROVER

struct fx {
	char		*base;
	char		*dir;
	struct store	*s;
};

static void
run(struct fx *f, const char *action, const char *approver, ...)
{
	struct core_actor	 who = { ADMIN, approver };
	struct store_args	 a = { 0 };
	const char		*n;
	char			*cause = NULL;
	va_list			 ap;

	va_start(ap, approver);
	while ((n = va_arg(ap, const char *)) != NULL)
		store_args_add(&a, n, va_arg(ap, const char *));
	va_end(ap);
	if (core_run(f->s, action, &who, &a, NULL, &cause) != 0)
		fail_msg("%s: %s", action, cause);
}

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
	run(f, "person.add", NULL, "employee_no", "E0900001", "name_kanji",
	    "髙橋 﨑子", "name_kana", "タカハシサキコ", "department", "総務課",
	    "position", "主事", "employment", "regular", "start_date",
	    "2026-04-01", NULL);
	run(f, "person.add", NULL, "employee_no", "E0900002", "name_kanji",
	    "高橋 一郎", "name_kana", "タカハシイチロウ", "department",
	    "財政課", "position", "主事", "employment", "regular",
	    "start_date", "2026-04-01", NULL);
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

/* Search; the employee numbers found, space-separated, or the cause. */
static char *
search(struct fx *f, const char *no, const char *name, const char *kana,
    const char *dept)
{
	struct core_person_query q = { no, name, kana, dept, NULL };
	struct core_person	*v;
	size_t			 n, i;
	char			*cause = NULL, *out, *tmp;
	int			 more;

	if (core_person_search(f->s, &q, &v, &n, &more, &cause) != 0) {
		assert_null(v);
		return cause;
	}
	out = xstrdup("");
	for (i = 0; i < n; i++) {
		xasprintf(&tmp, "%s%s%s", out, i > 0 ? " " : "",
		    v[i].employee_no);
		free(out);
		out = tmp;
	}
	free(v);
	return out;
}

static void
expect(struct fx *f, const char *no, const char *name, const char *kana,
    const char *dept, const char *want)
{
	char	*got = search(f, no, name, kana, dept);

	if (strcmp(got, want) != 0)
		fail_msg("search %s/%s/%s/%s: got \"%s\", want \"%s\"",
		    no ? no : "-", name ? name : "-", kana ? kana : "-",
		    dept ? dept : "-", got, want);
	free(got);
}

static void
refused(struct fx *f, const char *no, const char *name, const char *kana,
    const char *dept, const char *why)
{
	struct core_person_query q = { no, name, kana, dept, NULL };
	struct core_person	*v = NULL;
	size_t			 n = 1;
	char			*cause = NULL;
	int			 more;

	if (core_person_search(f->s, &q, &v, &n, &more, &cause) == 0)
		fail_msg("search %s/%s/%s: accepted, wanted refused",
		    name ? name : "-", kana ? kana : "-", dept ? dept : "-");
	assert_null(v);
	assert_int_equal(n, 0);
	check_cause(cause, why);
	free(cause);
}

static void
test_criteria(void **state)
{
	struct fx	*f = *state;

	refused(f, NULL, NULL, NULL, NULL, "two of name, kana, department");
	refused(f, NULL, "高橋", NULL, NULL, "two of name, kana, department");
	refused(f, "", NULL, "タカハシ", "", "give one more");
	refused(f, NULL, NULL, NULL, "総務課", "birth date");
	/* Spaces alone are no criterion, of either width. */
	refused(f, NULL, " ", NULL, "総務課", "give one more");
	refused(f, NULL, "\xe3\x80\x80", NULL, "総務課", "give one more");
	refused(f, NULL, "\xff\xfe", NULL, "総務課", "valid UTF-8");
	/* The employee number alone is enough; the others narrow it. */
	expect(f, "E0900001", NULL, NULL, NULL, "E0900001");
	expect(f, "E0900001", NULL, NULL, "財政課", "");
	expect(f, "E0999999", NULL, NULL, NULL, "");
}

static void
test_fold(void **state)
{
	struct fx	*f = *state;

	/* Two criteria; the variant kanji 髙 and 﨑 fold to 高 and 崎. */
	expect(f, NULL, "高橋", NULL, "総務課", "E0900001");
	expect(f, NULL, "高橋崎子", "タカハシ", NULL, "E0900001");
	expect(f, NULL, "髙橋", "タカハシ", NULL, "E0900001 E0900002");
	/* Half-width kana and full-width letters fold to their forms. */
	expect(f, NULL, NULL, "ﾀｶﾊｼ ｲﾁﾛｳ", "財政課", "E0900002");
	expect(f, NULL, "高橋", NULL, "ＸＹＺ", "");
}

static void
id_cb(void *arg, const struct store_entry *e)
{
	char	**actions = arg;
	char	 *tmp;

	xasprintf(&tmp, "%s%s ", *actions, e->action);
	free(*actions);
	*actions = tmp;
}

static void
event_cb(void *arg, const struct core_hr_eventrow *e)
{
	(void)e;
	(*(int *)arg)++;
}

static void
test_detail(void **state)
{
	struct fx		*f = *state;
	struct core_person	 p;
	struct core_id		*ids;
	size_t			 n;
	char			*cause = NULL, *actions = xstrdup("");
	int			 events = 0;

	run(f, "system.add", APPROVER, "name", "juki", "type", "unix",
	    "title", "住民記録システム", "conf", "3", "integ", "2", "avail",
	    "2", "config", "root=/tmp/x\nhome=/home", NULL);
	run(f, "id.create", NULL, "system", "juki", "login", "takahashi",
	    "kind", "personal", "owner", "E0900001", NULL);
	run(f, "id.create", NULL, "system", "juki", "login", "kaikei", "kind",
	    "shared", "users", "E0900002,E0900001", NULL);
	run(f, "id.create", NULL, "system", "juki", "login", "ichiro", "kind",
	    "personal", "owner", "E0900002", NULL);

	assert_int_equal(core_person_get(f->s, "E0900001", &p, &cause), 0);
	assert_string_equal(p.name, "髙橋 﨑子");
	assert_string_equal(p.source, "manual");
	assert_string_equal(p.status, "active");
	assert_int_equal(p.missing, 0);
	assert_int_equal(core_person_get(f->s, "E0999999", &p, &cause), 1);

	if (core_person_ids(f->s, "E0900001", &ids, &n, &cause) != 0)
		fail_msg("ids: %s", cause);
	assert_int_equal(n, 2);			/* not ichiro */
	assert_string_equal(ids[0].login, "kaikei");
	assert_string_equal(ids[0].owner, "");
	assert_string_equal(ids[1].login, "takahashi");
	assert_string_equal(ids[1].owner, "E0900001");
	free(ids);

	if (core_person_history(f->s, "E0900001", id_cb, &actions,
	    &cause) != 0)
		fail_msg("history: %s", cause);
	assert_string_equal(actions, "person.add ");
	free(actions);
	if (core_person_events(f->s, "E0900001", event_cb, &events,
	    &cause) != 0)
		fail_msg("events: %s", cause);
	assert_int_equal(events, 0);
}

static int
open_read(const char *path)
{
	return open(path, O_RDONLY | O_CLOEXEC);
}

/*
 * Birth date, from an HR export's 生年月日 (YYYY/M/D there, YYYY-MM-DD
 * kept), is a fourth criterion, matched exactly: two people called 高橋
 * are told apart by it.
 */
static void
test_birth(void **state)
{
	struct fx		*f = *state;
	struct core_config	 cfg;
	struct core_actor	 who = { ADMIN, NULL };
	struct core_person_query q;
	struct core_person	*v = NULL;
	struct core_hr		*hr;
	char			*path, *cause = NULL;
	size_t			 n, valid, errors;
	int			 fd, more;
	FILE			*fp;

	xasprintf(&path, "%s/hr.csv", f->base);
	if ((fp = fopen(path, "w")) == NULL)
		fail_msg("%s", path);
	fputs("職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分,"
	    "生年月日\r\n"
	    "E0900001,髙橋 﨑子,タカハシサキコ,総務課,主事,正規職員,,,在職,"
	    "1985/4/1\r\n"
	    "E0900002,高橋 一郎,タカハシイチロウ,財政課,主事,正規職員,,,在職,"
	    "1990-12-31\r\n", fp);
	fclose(fp);
	core_config_defaults(&cfg);
	if ((fd = open_read(path)) == -1)
		fail_msg("open %s", path);
	if ((hr = core_hr_read(fd, path, CSV_AUTO, "2026-12-01", &cfg,
	    &cause)) == NULL)
		fail_msg("read: %s", cause);
	close(fd);
	core_hr_counts(hr, &valid, &errors);
	assert_int_equal(errors, 0);
	if (core_hr_compare(f->s, hr, NULL, NULL, &cause) != 0 ||
	    core_hr_import(f->s, hr, &who, NULL, &cause) != 0)
		fail_msg("import: %s", cause);
	core_hr_free(hr);

	memset(&q, 0, sizeof q);
	q.name = "高橋";
	q.birth_date = "1985-04-01";
	if (core_person_search(f->s, &q, &v, &n, &more, &cause) != 0)
		fail_msg("search: %s", cause);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].employee_no, "E0900001");
	assert_string_equal(v[0].birth_date, "1985-04-01");
	free(v);
	q.name = NULL;
	assert_int_equal(core_person_search(f->s, &q, &v, &n, &more,
	    &cause), -1);
	check_cause(cause, "give one more");
	free(cause);
	cause = NULL;
	q.name = "高橋";
	q.birth_date = "1985-02-30";
	assert_int_equal(core_person_search(f->s, &q, &v, &n, &more,
	    &cause), -1);
	check_cause(cause, "YYYY-MM-DD");
	free(cause);
	core_config_free(&cfg);
	free(path);
}

struct seen {
	uint64_t	 calls, last, all;
	int		 backwards;
};

static void
seen_progress(void *arg, uint64_t done, uint64_t all)
{
	struct seen	*p = arg;

	if (done < p->last || done > all)
		p->backwards = 1;
	p->calls++;
	p->last = done;
	p->all = all;
}

/* Reading a big export tells its progress, in lines, forward only. */
static void
test_progress(void **state)
{
	struct fx		*f = *state;
	struct core_config	 cfg;
	struct core_hr		*hr;
	struct seen		 seen = { 0, 0, 0, 0 };
	char			*path, *cause = NULL;
	int			 fd, i;
	FILE			*fp;

	xasprintf(&path, "%s/big.csv", f->base);
	if ((fp = fopen(path, "w")) == NULL)
		fail_msg("%s", path);
	fputs("職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分\n",
	    fp);
	for (i = 0; i < 10000; i++)
		fprintf(fp, "E%07d,合成 太郎,ゴウセイ タロウ,総務課,主事,正規職員,,,"
		    "在職\n", 1000000 + i);
	fclose(fp);
	core_config_defaults(&cfg);
	if ((fd = open_read(path)) == -1)
		fail_msg("open %s", path);
	if ((hr = core_hr_read_progress(fd, path, CSV_AUTO, NULL, &cfg,
	    seen_progress, &seen, &cause)) == NULL)
		fail_msg("read: %s", cause);
	close(fd);
	assert_int_equal(seen.calls, 2);	/* every 4,096 records */
	assert_int_equal(seen.all, 10002);	/* lines, the last one empty */
	assert_false(seen.backwards);
	assert_true(seen.last > 8000);
	core_hr_free(hr);
	core_config_free(&cfg);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_criteria, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_birth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
