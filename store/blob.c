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

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "common.h"
#include "store-int.h"

/*
 * SHA-256 by OpenSSL's libcrypto, not libsodium's portable C: the sealed
 * review list of a city's stocktake is hundreds of megabytes, and
 * libcrypto uses the CPU's SHA instructions where there are any (about
 * six times as fast here).  The same function, the same digest.
 */
void
store_sha256_hex(const void *data, size_t len, char *hex)
{
	uint8_t		 h[EVP_MAX_MD_SIZE];
	unsigned int	 n = 0;

	if (EVP_Digest(data, len, h, &n, EVP_sha256(), NULL) != 1 ||
	    n != STORE_HASH_LEN)
		fatalx("SHA-256: libcrypto failed");
	codec_hex(hex, h, STORE_HASH_LEN);
}

#define SHA_CHUNK	(1024 * 1024)

/* Hash what remains of fd into ctx in SHA_CHUNK reads; bytes read, or
 * -1 (errno) when a read fails or more than max would be read. */
static int64_t
sha256_reads(EVP_MD_CTX *ctx, int fd, uint64_t max)
{
	uint8_t		*buf = xmalloc(SHA_CHUNK);
	uint64_t	 total = 0;
	ssize_t		 n;

	for (;;) {
		n = read(fd, buf, SHA_CHUNK);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if ((total += (uint64_t)n) > max) {
			n = -1;
			errno = EFBIG;
			break;
		}
		if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1)
			fatalx("SHA-256: libcrypto failed");
	}
	free(buf);
	return n == 0 ? (int64_t)total : -1;
}

int
store_sha256_fd(int fd, uint64_t max, char *hex, uint64_t *len)
{
	EVP_MD_CTX	*ctx;
	uint8_t		 h[EVP_MAX_MD_SIZE];
	unsigned int	 n = 0;
	int64_t		 got;

	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		fatalx("SHA-256: libcrypto failed");
	if ((got = sha256_reads(ctx, fd, max)) < 0) {
		EVP_MD_CTX_free(ctx);
		return -1;
	}
	if (EVP_DigestFinal_ex(ctx, h, &n) != 1 || n != STORE_HASH_LEN)
		fatalx("SHA-256: libcrypto failed");
	EVP_MD_CTX_free(ctx);
	codec_hex(hex, h, STORE_HASH_LEN);
	*len = (uint64_t)got;
	return 0;
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
		xasprintf(cause, _("%zu bytes is more than a blob may hold "
		    "(%d)"), len, STORE_BLOB_MAX);
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
		xasprintf(cause, _("blob %.80s: not a SHA-256 in hex"), hex);
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
		xasprintf(cause, _("blob %s: its bytes hash to %s: it was "
		    "changed after the entry that names it was signed"), hex,
		    got);
		free(*data);
		*data = NULL;
		return -1;
	}
	return 0;
}
