/*
 * unix-lastlog2.c -- ROOT/var/lib/lastlog/lastlog2.db: util-linux's
 * record of last logins (pam_lastlog2, lastlog2(8)), an SQLite database
 * with one table, Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, TTY TEXT,
 * RemoteHost TEXT, Service TEXT), Time in unix seconds.
 *
 * The one file outside store/ and core/ that uses SQLite, and why it may
 * (docs/architecture.md, "The unix target's login records"): this is not
 * daicho's store but another program's file, read like wtmp is, with one
 * fixed query.  So it is opened read only (SQLITE_OPEN_READONLY, never
 * following a link, its file checked first as unix_record_open checks
 * wtmp), with the defensive settings for a database someone else wrote:
 * no schema-defined functions run (TRUSTED_SCHEMA off), DEFENSIVE on, and
 * a bound on the work the query may do.  tests/layering.sh allows SQLite
 * in this file, and only here, of targets/.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "common.h"
#include "unix-int.h"

#define LASTLOG2_PATH		"var/lib/lastlog/lastlog2.db"
#define LASTLOG2_BUSY_MS	2000	/* pam_lastlog2 writing a login */
#define LASTLOG2_STEPS		1000	/* VM steps between progress calls */
#define LASTLOG2_PROGRESS_MAX	200000	/* progress calls: 200M steps */

static int
lastlog2_progress(void *arg)
{
	unsigned long	*calls = arg;

	return ++*calls > LASTLOG2_PROGRESS_MAX;	/* non-zero: interrupt */
}

/* Each row's Name and Time into last[]; the rows not understood. */
static int
lastlog2_rows(sqlite3 *db, struct unix_file *pwf, int64_t *last,
    int64_t now, size_t *bad)
{
	sqlite3_stmt	*st;
	const char	*name;
	int64_t		 when;
	int		 rc, len;

	if (sqlite3_prepare_v2(db, "SELECT Name, Time FROM Lastlog2", -1,
	    &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_TEXT ||
		    sqlite3_column_type(st, 1) != SQLITE_INTEGER) {
			(*bad)++;
			continue;
		}
		name = (const char *)sqlite3_column_text(st, 0);
		len = sqlite3_column_bytes(st, 0);
		when = sqlite3_column_int64(st, 1);
		if (name == NULL || len <= 0 || when <= 0 ||
		    when > now + UNIX_DAY) {
			(*bad)++;
			continue;
		}
		unix_lastuse_set(pwf, name, (size_t)len, when, last);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ROOT/var/lib/lastlog/lastlog2.db into last[], if there is one. */
void
unix_lastlog2(const struct target *t, struct unix_file *pwf, int64_t *last,
    int64_t now, char **note)
{
	struct stat	 sb, again;
	sqlite3		*db = NULL;
	char		*path = unix_root_path(t, LASTLOG2_PATH);
	unsigned long	 calls = 0;
	size_t		 bad = 0;
	int		 fd;

	if (unix_record_open(path, &fd, &sb, note) != 0) {
		free(path);
		return;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE, NULL) != SQLITE_OK)
		goto fail;
	/* The file SQLite opened is the one checked (not swapped since). */
	if (lstat(path, &again) != 0 || again.st_dev != sb.st_dev ||
	    again.st_ino != sb.st_ino) {
		unix_note(note, "%s: replaced while being opened: not read",
		    path);
		goto out;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_busy_timeout(db, LASTLOG2_BUSY_MS);
	sqlite3_progress_handler(db, LASTLOG2_STEPS, lastlog2_progress,
	    &calls);
	if (lastlog2_rows(db, pwf, last, now, &bad) != 0)
		goto fail;
	if (bad > 0)
		unix_note(note, "%s: %zu rows not understood, ignored", path,
		    bad);
	goto out;

fail:
	/* What was read before the failure stands; the note says it. */
	unix_note(note, "%s: %s", path, calls > LASTLOG2_PROGRESS_MAX ?
	    "too much work to read: not read to the end" : db != NULL ?
	    sqlite3_errmsg(db) : "cannot be opened");
out:
	sqlite3_close(db);
	close(fd);
	free(path);
}
