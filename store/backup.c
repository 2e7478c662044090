/*
 * backup.c -- an online copy of the data directory.
 *
 * The database is copied with SQLite's backup API, which gives a
 * consistent snapshot while the console keeps working.  The copy gets
 * root.pub and a key.pub recording the current epoch's public key, so
 * "daicho verify --dir DEST" checks it on its own, truncation by epoch
 * included.  The secret key is not copied: a backup is evidence, and a
 * copy of the signing key would undo forward security.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "store-int.h"

int
store_backup(struct store *s, const char *dest, char **cause)
{
	sqlite3		*db = NULL;
	sqlite3_backup	*b;
	struct store_key k;
	char		*path = NULL, *vkey = NULL, *keypath;
	mode_t		 omask;
	int		 r;

	/*
	 * The epoch the copy is signed up to, read before the snapshot, and
	 * under the directory's lock: never a key file a rotation is
	 * halfway through replacing.
	 */
	if (store_lock(s, LOCK_SH, cause) != 0)
		return -1;
	keypath = store_path(s, STORE_KEY_NAME);
	r = store_key_read(keypath, s->origin, &k, 0, cause);
	free(keypath);
	store_unlock(s);
	if (r != 0)
		return -1;
	if (mkdir(dest, 0700) == -1) {
		xasprintf(cause, "%s: %s", dest, strerror(errno));
		store_key_clear(&k);
		return -1;
	}
	omask = umask(077);
	xasprintf(&path, "%s/%s", dest, STORE_DB_NAME);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", path, db ? sqlite3_errmsg(db) :
		    "out of memory");
		goto fail;
	}
	if ((b = sqlite3_backup_init(db, "main", s->db, "main")) == NULL) {
		xasprintf(cause, "backup: %s", sqlite3_errmsg(db));
		goto fail;
	}
	/* Copy in steps so a writer is never locked out for long. */
	do {
		r = sqlite3_backup_step(b, 256);
		if (r == SQLITE_BUSY || r == SQLITE_LOCKED)
			sqlite3_sleep(10);
	} while (r == SQLITE_OK || r == SQLITE_BUSY || r == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (r != SQLITE_DONE) {
		xasprintf(cause, "backup: %s", sqlite3_errstr(r));
		goto fail;
	}
	if (sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK) {
		xasprintf(cause, "backup: %s", sqlite3_errmsg(db));
		goto fail;
	}
	{
		sqlite3_stmt	*st;
		int64_t		 epoch = -1;

		if (sqlite3_prepare_v2(db, "SELECT max(n) FROM epoch", -1, &st,
		    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			epoch = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (epoch != (int64_t)k.epoch) {
			xasprintf(cause, _("backup: the ledger moved to "
			    "another key epoch while it was copied; run it "
			    "again"));
			goto fail;
		}
	}
	sqlite3_close(db);
	db = NULL;
	free(path);

	xasprintf(&path, "%s/%s", dest, STORE_ROOT_NAME);
	keypath = store_path(s, STORE_ROOT_NAME);
	vkey = store_root_read(keypath, cause);
	free(keypath);
	if (vkey == NULL || store_root_write(path, vkey, cause) != 0)
		goto fail;
	free(path);

	/* key.pub: the epoch's public key from the key file. */
	xasprintf(&path, "%s/%s", dest, STORE_KEY_PUB_NAME);
	if (store_key_write(path, s->origin, &k, cause) != 0)
		goto fail;
	store_key_clear(&k);
	free(path);
	free(vkey);
	umask(omask);
	return store_fsync_dir(dest, cause);
fail:
	store_key_clear(&k);
	umask(omask);
	if (db != NULL)
		sqlite3_close(db);
	free(path);
	free(vkey);
	return -1;
}
