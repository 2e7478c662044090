/*
 * testlib.c -- helpers shared by the cmocka programs (testlib.h).
 */
#include "config.h"

#include <sys/stat.h>

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "testlib.h"

void
check_cause(const char *cause, const char *why)
{
	const char	*p = why, *bar;
	char		*word;
	int		 found = 0;

	if (cause == NULL)
		fail_msg("no cause given");
	while (!found) {
		bar = strchr(p, '|');
		word = bar != NULL ? xstrndup(p, (size_t)(bar - p)) :
		    xstrdup(p);
		found = strstr(cause, word) != NULL;
		free(word);
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	if (!found)
		fail_msg("cause \"%s\" does not mention \"%s\"", cause, why);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
rm_rf(const char *path)
{
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fail_msg("cannot remove %s", path);
}

char *
scratch_dir(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		*dir;

	xasprintf(&dir, "%s/daicho-test.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		fail_msg("mkdtemp %s", dir);
	assert_int_equal(chmod(dir, 0700), 0);
	return dir;
}

void
init_store(const char *dir)
{
	struct store	*s;
	char		*cause = NULL, *vkey = NULL;

	if ((s = core_init(dir, &vkey, &cause)) == NULL)
		fail_msg("core_init: %s", cause);
	store_close(s);
	free(vkey);
}

struct store *
open_store(const char *dir, int flags)
{
	struct store	*s;
	char		*cause = NULL;

	if ((s = store_open(dir, flags, &cause)) == NULL)
		fail_msg("store_open %s: %s", dir, cause);
	assert_null(cause);
	return s;
}

uint64_t
ledger_size(struct store *s)
{
	uint64_t	 n = 0;
	char		*cause = NULL;

	assert_int_equal(store_ledger_size(s, &n, &cause), 0);
	return n;
}
