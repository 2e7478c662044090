/*
 * store-int.h -- what the files of store/ share with each other and with
 * nobody else: the struct behind the opaque struct store.
 */
#ifndef DAICHO_STORE_INT_H
#define DAICHO_STORE_INT_H

#include <sys/file.h>			/* LOCK_SH, LOCK_EX for store_lock */

#include <sqlite3.h>

#include "store.h"

#define STORE_DB_NAME		"daicho.db"
#define STORE_KEY_NAME		"key"		/* current epoch secret */
#define STORE_KEY_NEW_NAME	"key.new"	/* next epoch, until commit */
#define STORE_KEY_PUB_NAME	"key.pub"	/* a backup's epoch record */
#define STORE_ROOT_NAME		"root.pub"	/* root verifier key */
#define STORE_LOCK_NAME		"lock"		/* the writers' lock (store.c) */

struct store_key {
	uint64_t	 epoch;
	int64_t		 began;			/* unix seconds */
	uint8_t		 pk[STORE_PK_LEN];
	uint8_t		*sk;			/* sodium_malloc'd, or NULL */
};

/*
 * Statements kept prepared.  core's SQL is a fixed set of literals, about
 * a hundred in all; an import or a findings run uses dozens at once, and
 * preparing one again costs more than running it.
 */
#define STORE_CACHE_MAX		160

struct store_stmt {
	struct store	*store;
	sqlite3_stmt	*stmt;
	const char	*key;			/* the caller's SQL text, as given */
	int		 cached;		/* lives in store->cache */
	int		 busy;			/* handed out, not finalized */
};

struct store {
	char		*dir;
	char		*dbpath;
	sqlite3		*db;
	int		 flags;			/* STORE_READONLY, ... */
	int64_t		 version;		/* schema version of the file */
	char		*origin;		/* checkpoint origin and key name */

	uint64_t	 size;			/* entries, including this txn's */
	struct store_frontier frontier;		/* tree over those entries */
	uint8_t		 last_leaf[STORE_HASH_LEN];

	struct store_key key;			/* the current epoch */
	struct store_key next;			/* a prepared rotation */
	int		 rotating;		/* next is valid */

	sqlite3_stmt	*append;		/* cached INSERT of an entry */
	uint8_t		*last_entry;		/* bytes of the last append */
	size_t		 last_entry_len;
	char		 last_time[32];		/* the newest entry's time */
	uint64_t	 last_time_size;	/* ... when size was this */

	/*
	 * Prepared statements of store_prepare, kept for reuse: core's SQL
	 * is a small fixed set of literals run many times a transaction.
	 */
	struct store_stmt *cache[STORE_CACHE_MAX];
	size_t		 ncache;

	/*
	 * DIR/lock, open while this store holds it (store_lock): exclusive
	 * from before BEGIN IMMEDIATE until the commit and any key switch
	 * are on disk, shared while a reader looks at the key file.
	 */
	int		 lockfd;		/* -1 when not held */
	int		 lockhow;		/* LOCK_SH or LOCK_EX */
	int		 lockdepth;		/* nested store_lock calls */

	int		 attached;		/* live attached (replay) */

	int		 in_txn;
	uint64_t	 txn_size;		/* state to restore on rollback */
	struct store_frontier txn_frontier;
	uint8_t		 txn_last_leaf[STORE_HASH_LEN];
};

/* store.c */
int	 store_db_error(struct store *, const char *, char **);
/*
 * strerror(errnum) in the C locale, whatever LC_MESSAGES says: what
 * verify reads of the key files and the lock may end in its problem,
 * which report.inspection seals, so it must not depend on LANG.  Static
 * text; never NULL.
 */
const char *store_strerror(int);
/* ledger.c: the entries of a ledger_entry table, oldest first, to fn. */
int	 store_entries_foreach(struct store *, const char *,
	     int (*)(void *, uint64_t, const uint8_t *, size_t), void *,
	     char **);
char	*store_path(struct store *, const char *);
int	 store_meta_get(struct store *, const char *, char **, size_t *,
	     char **);
int	 store_meta_set(struct store *, const char *, const void *, size_t,
	     char **);
int	 store_fsync_dir(const char *, char **);
/*
 * Open a regular file for reading with the checks of store_check_path
 * made on the descriptor: what was checked is what is read, whatever
 * is renamed over the path meanwhile.  The descriptor (close-on-exec;
 * caller closes), or -1 with *cause.
 */
int	 store_open_checked(const char *, char **);
int	 store_lock(struct store *, int, char **);
void	 store_unlock(struct store *);

/* keys.c */
int	 store_key_read(const char *, const char *, struct store_key *,
	     int, char **);
int	 store_key_write(const char *, const char *, const struct store_key *,
	     char **);
void	 store_key_clear(struct store_key *);
int	 store_key_generate(struct store_key *);
int	 store_key_recover(struct store *, char **);
int	 store_key_switch(struct store *, char **);
void	 store_key_discard_next(struct store *);
int	 store_root_write(const char *, const char *, char **);
char	*store_root_read(const char *, char **);
int	 store_epoch_names(struct store *, uint64_t, const char *);
int	 store_key_current(struct store *, char **);
int	 store_key_load(struct store *, char **);

/* ledger.c */
int	 store_ledger_load(struct store *, char **);
int	 store_ledger_checkpoint(struct store *, char **);
void	 store_time_now(char *, size_t);

/* entry.c */
int	 store_entry_format(char **, size_t *, uint64_t, const char *,
	     const uint8_t *, uint64_t, const char *, const char *,
	     const char *, const char *, const struct store_args *, char **);

#endif
