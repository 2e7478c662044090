/*
 * keys.c -- the epoch key chain and the key file.
 *
 * Epoch 0's key is the root key made by init; its verifier key is printed
 * for the paper record.  Each rotation makes the next key pair, and the
 * outgoing key signs a ledger entry naming the new public key and the
 * tree head.  Once that entry and the checkpoint over it are committed the
 * old secret is wiped, in memory and in the file, so a key stolen later
 * cannot re-sign an earlier epoch.
 *
 * Crash safety: the next key is written to key.new (fsynced) before the
 * database commit, and moved over key after it.  On open, a leftover
 * key.new is finished if the ledger names it and wiped if not.
 *
 * Concurrency: all of that, and every read of the key file, happens under
 * the directory's lock (store_lock in store.c): exclusive from preparing
 * key.new until the rename is durable, and for recovery and loading the
 * key; shared for readers.  Without it another process's open would
 * "recover" a rotation still under way, and wipe the new key.
 *
 * The key file is text (docs/ledger-format.md):
 *	daicho-key v1 / origin O / epoch N / began SECONDS / public B64 /
 *	secret B64
 * key.pub, kept in backups, is the same without the secret line.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "store-int.h"

#define KEY_FILE_MAX	1024

void
store_key_clear(struct store_key *k)
{
	if (k->sk != NULL)
		sodium_free(k->sk);	/* zeroes before freeing */
	memset(k, 0, sizeof *k);
}

int
store_key_generate(struct store_key *k)
{
	memset(k, 0, sizeof *k);
	if ((k->sk = sodium_malloc(STORE_SK_LEN)) == NULL)
		fatal("sodium_malloc");
	crypto_sign_keypair(k->pk, k->sk);
	k->began = (int64_t)time(NULL);
	return 0;
}

/* Whether the Ed25519 seed in sk derives exactly sk's and pk's public key. */
static int
key_derives(const uint8_t *sk, const uint8_t *pk)
{
	uint8_t	 dpk[STORE_PK_LEN], *dsk;
	int	 r;

	if ((dsk = sodium_malloc(STORE_SK_LEN)) == NULL)
		fatal("sodium_malloc");
	crypto_sign_seed_keypair(dpk, dsk, sk);
	r = sodium_memcmp(dpk, pk, STORE_PK_LEN) == 0 &&
	    sodium_memcmp(dsk, sk, STORE_SK_LEN) == 0 ? 0 : -1;
	sodium_free(dsk);
	return r;
}

/* Next "name value\n" line of buf; returns a pointer to value or NULL. */
static const char *
key_line(char **p, const char *name)
{
	char	*line = *p, *nl;
	size_t	 n = strlen(name);

	if ((nl = strchr(line, '\n')) == NULL)
		return NULL;
	*nl = '\0';
	*p = nl + 1;
	if (strncmp(line, name, n) != 0 || line[n] != ' ')
		return NULL;
	return line + n + 1;
}

int
store_key_read(const char *path, const char *origin, struct store_key *k,
    int want_secret, char **cause)
{
	char		*buf, *p;
	const char	*v, *errstr;
	ssize_t		 n;
	int		 fd;
	long long	 ll;
	struct stat	 sb;

	memset(k, 0, sizeof *k);
	if ((fd = store_open_checked(path, cause)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size >= KEY_FILE_MAX) {
		xasprintf(cause, "%s: not a key file", path);
		close(fd);
		return -1;
	}
	if ((buf = sodium_malloc(KEY_FILE_MAX)) == NULL)
		fatal("sodium_malloc");
	n = read(fd, buf, KEY_FILE_MAX - 1);
	close(fd);
	if (n < 0) {
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
		goto fail;
	}
	buf[n] = '\0';
	p = buf;

	if ((v = key_line(&p, "daicho-key")) == NULL || strcmp(v, "v1") != 0) {
		xasprintf(cause, "%s: not a daicho key file (version line)",
		    path);
		goto fail;
	}
	if ((v = key_line(&p, "origin")) == NULL || strcmp(v, origin) != 0) {
		xasprintf(cause, "%s: key file belongs to another ledger "
		    "(origin %s, expected %s)", path, v ? v : "missing", origin);
		goto fail;
	}
	if ((v = key_line(&p, "epoch")) == NULL ||
	    number_parse(v, 0, INT64_MAX, &ll, &errstr) != 0) {
		xasprintf(cause, "%s: bad epoch line", path);
		goto fail;
	}
	k->epoch = (uint64_t)ll;
	if ((v = key_line(&p, "began")) == NULL ||
	    number_parse(v, 0, INT64_MAX, &ll, &errstr) != 0) {
		xasprintf(cause, "%s: bad began line", path);
		goto fail;
	}
	k->began = ll;
	if ((v = key_line(&p, "public")) == NULL ||
	    codec_unb64(k->pk, sizeof k->pk, v, strlen(v)) != 0) {
		xasprintf(cause, "%s: bad public key line", path);
		goto fail;
	}
	if (want_secret) {
		if ((k->sk = sodium_malloc(STORE_SK_LEN)) == NULL)
			fatal("sodium_malloc");
		if ((v = key_line(&p, "secret")) == NULL) {
			xasprintf(cause, "%s: no secret key in the key file "
			    "(only a backup's key.pub is public-only)", path);
			goto fail;
		}
		if (codec_unb64(k->sk, STORE_SK_LEN, v, strlen(v)) != 0) {
			xasprintf(cause, "%s: bad secret key line", path);
			goto fail;
		}
		/*
		 * The public key must follow from the secret seed, not merely
		 * be copied beside it: anyone can write a key file from the
		 * public keys the ledger names.
		 */
		if (key_derives(k->sk, k->pk) != 0) {
			xasprintf(cause, "%s: secret and public key do not "
			    "belong together", path);
			goto fail;
		}
	}
	sodium_free(buf);
	return 0;
fail:
	sodium_free(buf);
	store_key_clear(k);
	return -1;
}

/* Write a key file (secret included when k->sk is set) to a new path. */
int
store_key_write(const char *path, const char *origin,
    const struct store_key *k, char **cause)
{
	char	*buf, pk64[64], sk64[128];
	int	 fd, n;

	if ((buf = sodium_malloc(KEY_FILE_MAX)) == NULL)
		fatal("sodium_malloc");
	sodium_bin2base64(pk64, sizeof pk64, k->pk, STORE_PK_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
	sk64[0] = '\0';
	if (k->sk != NULL)
		sodium_bin2base64(sk64, sizeof sk64, k->sk, STORE_SK_LEN,
		    sodium_base64_VARIANT_ORIGINAL);
	n = snprintf(buf, KEY_FILE_MAX, "daicho-key v1\norigin %s\n"
	    "epoch %llu\nbegan %lld\npublic %s\n%s%s%s", origin,
	    (unsigned long long)k->epoch, (long long)k->began, pk64,
	    k->sk != NULL ? "secret " : "", sk64, k->sk != NULL ? "\n" : "");
	sodium_memzero(sk64, sizeof sk64);
	if (n < 0 || n >= KEY_FILE_MAX) {
		sodium_free(buf);
		xasprintf(cause, "%s: key file too long", path);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
		sodium_free(buf);
		return -1;
	}
	if (write(fd, buf, (size_t)n) != n || fsync(fd) == -1) {
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
		close(fd);
		unlink(path);
		sodium_free(buf);
		return -1;
	}
	close(fd);
	sodium_free(buf);
	return 0;
}

/*
 * Overwrite a key file's bytes with zeros on disk, then unlink it.  This
 * is what "wiped from disk" can mean on a journaling file system: the
 * blocks the file owned no longer hold the key, as far as the file system
 * lets us reach them.
 */
static void
key_wipe_file(const char *path)
{
	char		 zero[KEY_FILE_MAX];
	struct stat	 sb;
	int		 fd;

	if ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size <= KEY_FILE_MAX) {
		memset(zero, 0, sizeof zero);
		if (write(fd, zero, (size_t)sb.st_size) == sb.st_size)
			(void)fsync(fd);
	}
	close(fd);
}

int
store_init(struct store *s, char **vkey, char **cause)
{
	uint8_t	 id[8];
	char	 hex[17], *path;
	int	 r;

	assert(s->flags & STORE_CREATE);
	if (store_lock(s, LOCK_EX, cause) != 0)
		return -1;
	randombytes_buf(id, sizeof id);
	codec_hex(hex, id, sizeof id);
	xasprintf(&s->origin, "daicho.invalid/ledger/%s", hex);
	if (store_meta_set(s, "origin", s->origin, strlen(s->origin),
	    cause) != 0)
		goto fail;

	store_key_generate(&s->key);
	s->key.epoch = 0;
	path = store_path(s, STORE_KEY_NAME);
	r = store_key_write(path, s->origin, &s->key, cause);
	free(path);
	if (r != 0)
		goto fail;

	*vkey = store_note_vkey(s->origin, s->key.pk);
	path = store_path(s, STORE_ROOT_NAME);
	r = store_root_write(path, *vkey, cause);
	free(path);
	if (r != 0) {
		free(*vkey);
		*vkey = NULL;
		goto fail;
	}
	store_frontier_init(&s->frontier);
	s->size = 0;
	memset(s->last_leaf, 0, sizeof s->last_leaf);
	r = store_fsync_dir(s->dir, cause);
	store_unlock(s);
	return r;
fail:
	store_unlock(s);
	return -1;
}

/* root.pub: the root verifier key on one line, as printed by init. */
int
store_root_write(const char *path, const char *vkey, char **cause)
{
	FILE	*f;
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (fprintf(f, "%s\n", vkey) < 0 || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* Read root.pub; caller frees.  NULL with *cause. */
char *
store_root_read(const char *path, char **cause)
{
	char	 buf[512];
	FILE	*f;
	int	 fd;
	size_t	 n;

	if ((fd = store_open_checked(path, cause)) == -1)
		return NULL;
	if ((f = fdopen(fd, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
		close(fd);
		return NULL;
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (n == 0 || buf[n - 1] != '\n' || strchr(buf, '\n') != buf + n - 1) {
		xasprintf(cause, "%s: not a one-line verifier key", path);
		return NULL;
	}
	buf[n - 1] = '\0';
	return xstrdup(buf);
}

int
store_epoch_prepare(struct store *s, char **vkey, char **cause)
{
	char	*path;
	int	 r;

	assert(s->in_txn);
	assert(s->lockdepth > 0 && s->lockhow == LOCK_EX);
	if (s->key.sk == NULL) {
		xasprintf(cause, _("no epoch key loaded"));
		return -1;
	}
	if (s->rotating) {
		xasprintf(cause, _("a key rotation is already under way"));
		return -1;
	}
	store_key_generate(&s->next);
	s->next.epoch = s->key.epoch + 1;
	path = store_path(s, STORE_KEY_NEW_NAME);
	r = store_key_write(path, s->origin, &s->next, cause);
	free(path);
	if (r != 0) {
		store_key_clear(&s->next);
		return -1;
	}
	s->rotating = 1;
	*vkey = store_note_vkey(s->origin, s->next.pk);
	return 0;
}

/*
 * After the commit that recorded the rotation: wipe the old secret from
 * the file and from memory, and make the new key current.
 */
int
store_key_switch(struct store *s, char **cause)
{
	char	*path, *newpath;
	int	 r = 0;

	assert(s->rotating);
	assert(s->lockdepth > 0 && s->lockhow == LOCK_EX);
	path = store_path(s, STORE_KEY_NAME);
	newpath = store_path(s, STORE_KEY_NEW_NAME);
	key_wipe_file(path);
	if (rename(newpath, path) == -1) {
		xasprintf(cause, "rename %s: %s", newpath,
		    store_strerror(errno));
		r = -1;
	} else
		r = store_fsync_dir(s->dir, cause);
	free(newpath);
	free(path);
	store_key_clear(&s->key);
	s->key = s->next;
	memset(&s->next, 0, sizeof s->next);
	s->rotating = 0;
	return r;
}

void
store_key_discard_next(struct store *s)
{
	char	*path;

	path = store_path(s, STORE_KEY_NEW_NAME);
	key_wipe_file(path);
	unlink(path);
	free(path);
	store_key_clear(&s->next);
	s->rotating = 0;
}

/*
 * Finish or undo a rotation that a crash interrupted: key.new is the next
 * epoch's key if the ledger's newest epoch names it (the commit happened),
 * and garbage otherwise.
 */
int
store_key_recover(struct store *s, char **cause)
{
	struct store_key	 k;
	struct stat		 sb;
	char			*path, *vkey = NULL;
	uint64_t		 epoch;
	int			 r = 0;

	/* Under the lock, key.new is no other process's rotation. */
	assert(s->lockdepth > 0 && s->lockhow == LOCK_EX);
	path = store_path(s, STORE_KEY_NEW_NAME);
	if (lstat(path, &sb) == -1) {
		free(path);
		return 0;
	}
	if (store_key_read(path, s->origin, &k, 1, cause) != 0) {
		free(*cause);
		*cause = NULL;
		goto discard;
	}
	if (store_epoch_current(s, &epoch, cause) != 0) {
		store_key_clear(&k);
		free(path);
		return -1;
	}
	vkey = store_note_vkey(s->origin, k.pk);
	if (k.epoch == epoch && store_epoch_names(s, epoch, vkey)) {
		s->next = k;
		s->rotating = 1;
		r = store_key_switch(s, cause);
		store_key_clear(&s->key);	/* reloaded by the caller */
		free(vkey);
		free(path);
		return r;
	}
	store_key_clear(&k);
	free(vkey);
discard:
	key_wipe_file(path);
	unlink(path);
	free(path);
	return 0;
}

/*
 * Load DIR/key, secret included, as the store's key, and check that it is
 * the key of the ledger's newest epoch (store_key_current).  Under the
 * exclusive lock.  On failure no key is loaded, so nothing can be signed.
 */
int
store_key_load(struct store *s, char **cause)
{
	struct store_key	 k;
	char			*path;
	int			 r;

	assert(s->lockdepth > 0 && s->lockhow == LOCK_EX);
	path = store_path(s, STORE_KEY_NAME);
	r = store_key_read(path, s->origin, &k, 1, cause);
	free(path);
	store_key_clear(&s->key);
	if (r != 0)
		return -1;
	s->key = k;
	if (store_key_current(s, cause) != 0) {
		store_key_clear(&s->key);
		return -1;
	}
	return 0;
}

/*
 * Whether the loaded key is the one the ledger's newest epoch names: a key
 * file from before a rotation (put back, or left by a process that never
 * saw the rotation) must never sign.  A ledger with no epoch yet (init,
 * before its first entry) has only epoch 0's key.
 */
int
store_key_current(struct store *s, char **cause)
{
	sqlite3_stmt	*stmt;
	uint64_t	 epoch;
	char		*vkey;
	int		 r, same = 0;

	if (store_epoch_current(s, &epoch, cause) != 0)
		return -1;
	if (s->key.epoch != epoch) {
		xasprintf(cause, "%s/%s: the key file is at epoch %llu, but the "
		    "ledger is in epoch %llu; refusing to sign with it (run "
		    "daicho verify)", s->dir, STORE_KEY_NAME,
		    (unsigned long long)s->key.epoch,
		    (unsigned long long)epoch);
		return -1;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT vkey FROM epoch WHERE n = ?",
	    -1, &stmt, NULL) != SQLITE_OK)
		return store_db_error(s, "reading epochs", cause);
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)epoch);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		vkey = store_note_vkey(s->origin, s->key.pk);
		same = strcmp((const char *)sqlite3_column_text(stmt, 0),
		    vkey) == 0;
		free(vkey);
	}
	sqlite3_finalize(stmt);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_db_error(s, "reading epochs", cause);
	if (r == SQLITE_ROW && !same) {
		xasprintf(cause, "%s/%s: the key file does not hold the key "
		    "the ledger names for epoch %llu; refusing to sign with "
		    "it (run daicho verify)", s->dir, STORE_KEY_NAME,
		    (unsigned long long)epoch);
		return -1;
	}
	return 0;
}

/* Whether the epoch table says epoch n's key is vkey. */
int
store_epoch_names(struct store *s, uint64_t n, const char *vkey)
{
	sqlite3_stmt	*stmt;
	int		 yes = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT vkey FROM epoch WHERE n = ?",
	    -1, &stmt, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)n);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		yes = strcmp((const char *)sqlite3_column_text(stmt, 0),
		    vkey) == 0;
	sqlite3_finalize(stmt);
	return yes;
}

int
store_epoch_current(struct store *s, uint64_t *n, char **cause)
{
	int64_t	 v;

	if (store_query_int(s, "SELECT coalesce(max(n), 0) FROM epoch", &v,
	    cause) != 0)
		return -1;
	*n = (uint64_t)v;
	return 0;
}

int64_t
store_epoch_age(struct store *s)
{
	sqlite3_stmt	*stmt;
	int64_t		 age;

	if (s->key.sk == NULL)
		return -1;
	age = (int64_t)time(NULL) - s->key.began;
	if (s->in_txn)
		return age;
	/*
	 * Another process may have rotated since this store loaded its key
	 * (the next store_begin loads the new one): then the newest epoch's
	 * age is what counts, so writers racing at the hour do not each
	 * rotate.  Two deciding at the same instant still may: a second
	 * rotation is wasteful, not wrong.
	 */
	if (sqlite3_prepare_v2(s->db, "SELECT n, CAST(strftime('%s', began) "
	    "AS INTEGER) FROM epoch ORDER BY n DESC LIMIT 1", -1, &stmt,
	    NULL) != SQLITE_OK)
		return age;
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    (uint64_t)sqlite3_column_int64(stmt, 0) > s->key.epoch &&
	    sqlite3_column_type(stmt, 1) == SQLITE_INTEGER)
		age = (int64_t)time(NULL) - sqlite3_column_int64(stmt, 1);
	sqlite3_finalize(stmt);
	return age;
}

char *
store_epoch_vkey(struct store *s)
{
	return store_note_vkey(s->origin, s->key.pk);
}

int
store_epochs(struct store *s, struct store_epoch **out, size_t *nout,
    char **cause)
{
	sqlite3_stmt		*stmt;
	struct store_epoch	*v = NULL;
	size_t			 n = 0;
	int			 r;

	if (sqlite3_prepare_v2(s->db,
	    "SELECT n, first_idx, vkey FROM epoch ORDER BY n", -1, &stmt,
	    NULL) != SQLITE_OK)
		return store_db_error(s, "reading epochs", cause);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n].epoch = (uint64_t)sqlite3_column_int64(stmt, 0);
		v[n].first = (uint64_t)sqlite3_column_int64(stmt, 1);
		v[n].vkey = xstrdup((const char *)sqlite3_column_text(stmt, 2));
		n++;
	}
	sqlite3_finalize(stmt);
	if (r != SQLITE_DONE) {
		store_epochs_free(v, n);
		return store_db_error(s, "reading epochs", cause);
	}
	*out = v;
	*nout = n;
	return 0;
}

void
store_epochs_free(struct store_epoch *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i].vkey);
	free(v);
}
