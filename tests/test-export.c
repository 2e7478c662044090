/*
 * test-export.c -- core_export and data.export on a real store: what the
 * entry must say (an approver always, even in the bootstrap; the rows the
 * ledger has; a SHA-256; an absolute path), that the file holds the bytes
 * the entry names, and that a refused export leaves no file, no temporary
 * file and no entry.  The command and its round trip through the import
 * are tests/hr-export.sh.
 */

#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "testlib.h"

#define SYS		STORE_SYSTEM_ACTOR
#define ADMIN		"boss"
#define APPROVER	"appr"
#define SHA_ZERO	\
    "0000000000000000000000000000000000000000000000000000000000000000"

struct fixture {
	char		*base;			/* scratch directory */
	char		*dir;			/* base/data, the ledger */
	char		*out;			/* base/out, where files go */
	struct store	*s;
	struct core_config cfg;
};

/* name, value pairs up to a NULL name into *a. */
static void
args_fill(struct store_args *a, const char *name, ...)
{
	va_list	 ap;

	memset(a, 0, sizeof *a);
	va_start(ap, name);
	while (name != NULL) {
		assert_int_equal(store_args_add(a, name,
		    va_arg(ap, const char *)), 0);
		name = va_arg(ap, const char *);
	}
	va_end(ap);
}

static void
run_ok(struct store *s, const char *action, const char *op,
    const char *approver, const struct store_args *a)
{
	struct core_actor	 who = { op, approver };
	char			*cause = NULL;

	if (core_run(s, action, &who, a, NULL, &cause) != 0)
		fail_msg("%s refused: %s", action, cause);
}

static void
add_person(struct fixture *f, const char *no, const char *name)
{
	struct store_args	 a;

	args_fill(&a, "employee_no", no, "name_kanji", name, "name_kana",
	    "ヤマダ", "department", "総務課", "position", "主事",
	    "employment", "regular", "start_date", "2026-04-01",
	    (const char *)NULL);
	run_ok(f->s, "person.add", ADMIN, NULL, &a);
}

/* A ledger with an admin; with_approver: and an approver. */
static int
setup_with(void **state, int with_approver)
{
	struct fixture		*f = xcalloc(1, sizeof *f);
	struct store_args	 a;

	f->base = scratch_dir();
	xasprintf(&f->dir, "%s/data", f->base);
	xasprintf(&f->out, "%s/out", f->base);
	assert_int_equal(mkdir(f->out, 0700), 0);
	init_store(f->dir);
	f->s = open_store(f->dir, 0);
	core_config_defaults(&f->cfg);
	args_fill(&a, "name", ADMIN, "role", "admin", (const char *)NULL);
	run_ok(f->s, "operator.add", SYS, NULL, &a);
	if (with_approver) {
		args_fill(&a, "name", APPROVER, "role", "approver",
		    (const char *)NULL);
		run_ok(f->s, "operator.add", ADMIN, NULL, &a);
	}
	*state = f;
	return 0;
}

static int
setup(void **state)
{
	return setup_with(state, 1);
}

static int
setup_bootstrap(void **state)
{
	return setup_with(state, 0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->s);
	core_config_free(&f->cfg);
	rm_rf(f->base);
	free(f->out);
	free(f->dir);
	free(f->base);
	free(f);
	return 0;
}

/* data.export with these values must be refused for why, writing nothing. */
static void
entry_refused(struct fixture *f, const char *approver, const char *rows,
    const char *sha, const char *file, const char *why)
{
	struct core_actor	 who = { ADMIN, approver };
	struct store_args	 a;
	uint64_t		 size = ledger_size(f->s);
	char			*cause = NULL;

	args_fill(&a, "what", "people", "format", "csv", "encoding", "utf-8",
	    "rows", rows, "file_sha256", sha, "file", file,
	    (const char *)NULL);
	if (core_run(f->s, "data.export", &who, &a, NULL, &cause) == 0)
		fail_msg("data.export accepted; expected \"%s\"", why);
	check_cause(cause, why);
	free(cause);
	assert_true(ledger_size(f->s) == size);
}

static void
test_entry(void **state)
{
	struct fixture		*f = *state;
	struct core_actor	 who = { ADMIN, APPROVER };
	struct store_args	 a;
	char			*cause = NULL;

	add_person(f, "E0000001", "山田 太郎");
	entry_refused(f, NULL, "1", SHA_ZERO, "/x.csv", "second person");
	entry_refused(f, APPROVER, "2", SHA_ZERO, "/x.csv", "ledger has 1");
	entry_refused(f, APPROVER, "1", "abc", "/x.csv", "SHA-256");
	entry_refused(f, APPROVER, "1", SHA_ZERO, "x.csv", "absolute");
	entry_refused(f, APPROVER, "-1", SHA_ZERO, "/x.csv", "rows");
	entry_refused(f, ADMIN, "1", SHA_ZERO, "/x.csv", "different person");
	args_fill(&a, "what", "people", "format", "csv", "encoding", "utf-8",
	    "rows", "1", "file_sha256", SHA_ZERO, "file", "/x.csv",
	    (const char *)NULL);
	if (core_run(f->s, "data.export", &who, &a, NULL, &cause) != 0)
		fail_msg("data.export refused: %s", cause);
}

/* Before the ledger has an approver, a two-person action may be one
 * admin's; a bulk export of personal data still may not. */
static void
test_bootstrap(void **state)
{
	struct fixture		*f = *state;
	struct core_export	 req = { CORE_EXPORT_PEOPLE, 0, CSV_UTF8, NULL };
	struct core_export_result res;
	struct core_actor	 who = { ADMIN, NULL };
	char			*path, *cause = NULL;

	assert_false(core_needs_approver(f->s, "data.export"));
	entry_refused(f, NULL, "0", SHA_ZERO, "/x.csv", "always");
	xasprintf(&path, "%s/p.csv", f->out);
	req.path = path;
	assert_int_equal(core_export(f->s, &f->cfg, &req, &who, &res,
	    &cause), -1);
	check_cause(cause, "always");
	free(cause);
	assert_true(res.entry == 0);
	core_export_result_free(&res);
	assert_int_equal(access(path, F_OK), -1);
	free(path);
}

/* The names in dir, one a line (caller frees). */
static char *
listing(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	char		*out = xstrdup(""), *tmp;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		xasprintf(&tmp, "%s%s\n", out, e->d_name);
		free(out);
		out = tmp;
	}
	closedir(d);
	return out;
}

/* The file's bytes (caller frees), *len of them. */
static char *
slurp(const char *path, size_t *len)
{
	struct stat	 sb;
	char		*buf;
	int		 fd = open(path, O_RDONLY);

	assert_true(fd != -1);
	assert_int_equal(fstat(fd, &sb), 0);
	buf = xmalloc((size_t)sb.st_size + 1);
	assert_true(read(fd, buf, (size_t)sb.st_size) == sb.st_size);
	buf[sb.st_size] = '\0';
	*len = (size_t)sb.st_size;
	assert_true((sb.st_mode & 0777) == 0600);
	close(fd);
	return buf;
}

static void
test_file(void **state)
{
	struct fixture		*f = *state;
	struct core_export	 req = { CORE_EXPORT_PEOPLE, 0, CSV_CP932, NULL };
	struct core_export_result res;
	struct core_actor	 who = { ADMIN, APPROVER };
	struct store_entry	*e;
	uint8_t			*bytes;
	size_t			 len, blen;
	char			*path, *data, *before, *cause = NULL;
	char			 sha[STORE_HASH_HEX];
	uint64_t		 size;

	add_person(f, "E0000002", "髙橋 ①");
	add_person(f, "E0000001", "山田 \"太郎\", 様");
	xasprintf(&path, "%s/p.csv", f->out);
	req.path = path;
	if (core_export(f->s, &f->cfg, &req, &who, &res, &cause) != 0)
		fail_msg("core_export: %s", cause);
	assert_true(res.rows == 2);
	data = slurp(path, &len);
	assert_true(len == res.bytes);
	store_sha256_hex(data, len, sha);
	assert_string_equal(sha, res.sha256);
	free(data);
	assert_int_equal(store_ledger_get(f->s, res.entry, &bytes, &blen,
	    &cause), 0);
	e = store_entry_parse(bytes, blen, &cause);
	assert_non_null(e);
	assert_string_equal(e->action, "data.export");
	assert_string_equal(e->subject, "export:people");
	assert_string_equal(e->approver, APPROVER);
	assert_string_equal(store_args_get(&e->args, "file_sha256"), sha);
	assert_string_equal(store_args_get(&e->args, "rows"), "2");
	assert_string_equal(store_args_get(&e->args, "encoding"), "cp932");
	assert_string_equal(store_args_get(&e->args, "file"), res.path);
	store_entry_free(e);
	free(bytes);
	core_export_result_free(&res);

	/* Again to the same file, and a name CP932 cannot hold. */
	before = listing(f->out);
	size = ledger_size(f->s);
	assert_int_equal(core_export(f->s, &f->cfg, &req, &who, &res,
	    &cause), -1);
	check_cause(cause, "already exists");
	free(cause);
	cause = NULL;
	add_person(f, "E0000003", "𠮷田");
	size = ledger_size(f->s);
	free(path);
	xasprintf(&path, "%s/q.csv", f->out);
	req.path = path;
	assert_int_equal(core_export(f->s, &f->cfg, &req, &who, &res,
	    &cause), -1);
	check_cause(cause, "person E0000003, 氏名 \"𠮷田\": 𠮷 (U+20BB7)");
	free(cause);
	assert_true(res.entry == 0 && res.path == NULL);
	assert_true(ledger_size(f->s) == size);
	data = listing(f->out);
	assert_string_equal(data, before);
	free(data);
	free(before);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bootstrap,
		    setup_bootstrap, teardown),
		cmocka_unit_test_setup_teardown(test_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
