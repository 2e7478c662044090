/*
 * blob.c -- bytes an entry names by their SHA-256 but that are too big to
 * be an entry: the rows of an HR import.
 *
 * A blob is evidence, like an entry: the signed entry carries its hash,
 * so a blob is trusted only when its bytes hash to that.  Every read
 * checks the hash, so a blob edited behind daicho's back is refused by
 * whoever reads it, live or in replay.  Replay reads the live database's
 * blobs (the scratch store has none of its own).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common.h"
#include "store-int.h"

void
store_sha256_hex(const void *data, size_t len, char *hex)
{
	uint8_t	 h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	codec_hex(hex, h, sizeof h);
}

int
store_blob_put(struct store *s, const void *data, size_t len, char *hex,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int		 c;

	if (!s->in_txn) {
		xasprintf(cause, "store_blob_put: not in a transaction");
		return -1;
	}
	if (len > STORE_BLOB_MAX) {
		xasprintf(cause, "%zu bytes is more than a blob may hold "
		    "(%d)", len, STORE_BLOB_MAX);
		return -1;
	}
	store_sha256_hex(data, len, hex);
	if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO blob (sha256, "
	    "data) VALUES (?, ?)", -1, &stmt, NULL) != SQLITE_OK)
		return store_db_error(s, "storing a blob", cause);
	sqlite3_bind_text(stmt, 1, hex, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(stmt, 2, data, len, SQLITE_STATIC);
	c = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (c != SQLITE_DONE)
		return store_db_error(s, "storing a blob", cause);
	return 0;
}

int
store_blob_get(struct store *s, const char *hex, uint8_t **data,
    size_t *len, char **cause)
{
	sqlite3_stmt	*stmt;
	const void	*p;
	char		 got[STORE_HASH_HEX];
	int		 c;

	*data = NULL;
	*len = 0;
	if (strlen(hex) != STORE_HASH_HEX - 1) {
		xasprintf(cause, "blob %.80s: not a SHA-256 in hex", hex);
		return -1;
	}
	if (sqlite3_prepare_v2(s->db, s->attached ? "SELECT data FROM "
	    "live.blob WHERE sha256 = ?" : "SELECT data FROM blob WHERE "
	    "sha256 = ?", -1, &stmt, NULL) != SQLITE_OK)
		return store_db_error(s, "reading a blob", cause);
	sqlite3_bind_text(stmt, 1, hex, -1, SQLITE_STATIC);
	if ((c = sqlite3_step(stmt)) == SQLITE_DONE) {
		sqlite3_finalize(stmt);
		return 1;
	}
	if (c != SQLITE_ROW) {
		store_db_error(s, "reading a blob", cause);
		sqlite3_finalize(stmt);
		return -1;
	}
	*len = (size_t)sqlite3_column_bytes(stmt, 0);
	p = sqlite3_column_blob(stmt, 0);
	*data = xmalloc(*len + 1);
	if (*len > 0)
		memcpy(*data, p, *len);
	(*data)[*len] = '\0';
	sqlite3_finalize(stmt);
	store_sha256_hex(*data, *len, got);
	if (strcmp(got, hex) != 0) {
		xasprintf(cause, "blob %s: its bytes hash to %s: it was "
		    "changed after the entry that names it was signed", hex,
		    got);
		free(*data);
		*data = NULL;
		return -1;
	}
	return 0;
}
