/*
 * store.h -- the whole public face of store/: the SQLite database, the
 * ledger (entries, RFC 6962 Merkle tree, signed checkpoints, the epoch key
 * chain) and backups.  Callers see an opaque struct store, never sqlite3.
 */
#ifndef DAICHO_STORE_H
#define DAICHO_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_HASH_LEN		32
#define STORE_PK_LEN		32	/* Ed25519 public key */
#define STORE_SK_LEN		64	/* Ed25519 secret key (libsodium form) */
#define STORE_SIG_LEN		64
/*
 * Hashes in any proof: an inclusion proof in a tree of up to 2^64 leaves
 * has at most 64, a consistency proof one more.
 */
#define STORE_MAX_PROOF		65

/* merkle.c -- RFC 6962 section 2.1 */
/*
 * A frontier is the compact state of a tree being built leaf by leaf:
 * hash[i] holds the root of a complete subtree of 2^i leaves whenever bit
 * i of size is set.  Adding a leaf costs one node hash on average.
 */
struct store_frontier {
	uint64_t	size;			/* leaves added so far */
	uint8_t		hash[64][STORE_HASH_LEN];
};

void	 store_merkle_leaf(uint8_t *, const void *, size_t);
void	 store_merkle_node(uint8_t *, const uint8_t *, const uint8_t *);
void	 store_frontier_init(struct store_frontier *);
void	 store_frontier_add(struct store_frontier *, const uint8_t *);
/*
 * Add a whole complete subtree of 2^level leaves by its root; the tree's
 * size must be a multiple of 2^level.
 */
void	 store_frontier_add_subtree(struct store_frontier *, const uint8_t *,
	     unsigned int);
/* Root of the leaves added so far (SHA-256("") when none). */
void	 store_frontier_root(const struct store_frontier *, uint8_t *);
/* Root of leaves[0..n) given their leaf hashes. */
void	 store_merkle_root(uint8_t *, const uint8_t (*)[STORE_HASH_LEN],
	     uint64_t);
/*
 * Audit path for leaf index in a tree of n leaves, from the leaf's sibling
 * upwards, into path (room for STORE_MAX_PROOF).  Returns the number of
 * hashes, or -1 when index >= n.
 */
int	 store_merkle_inclusion(const uint8_t (*leaves)[STORE_HASH_LEN],
	     uint64_t index, uint64_t n, uint8_t (*path)[STORE_HASH_LEN]);
/*
 * Consistency proof from size m to size n (RFC 6962 2.1.2), into proof
 * (room for STORE_MAX_PROOF).  Returns the count, or -1 unless 0 < m <= n.
 */
int	 store_merkle_consistency(const uint8_t (*leaves)[STORE_HASH_LEN],
	     uint64_t m, uint64_t n, uint8_t (*proof)[STORE_HASH_LEN]);
/* Check proofs (RFC 9162 2.1.3.2 and 2.1.4.2).  Return 0 when valid, -1. */
int	 store_merkle_check_inclusion(const uint8_t *leaf, uint64_t index,
	     uint64_t n, const uint8_t (*path)[STORE_HASH_LEN], size_t len,
	     const uint8_t *root);
int	 store_merkle_check_consistency(uint64_t m, uint64_t n,
	     const uint8_t *oldroot, const uint8_t *newroot,
	     const uint8_t (*proof)[STORE_HASH_LEN], size_t len);

/* note.c -- C2SP signed-note v1.0.0 and tlog-checkpoint v1.0.0 */
/* Key ID: first 4 bytes of SHA-256(name || 0x0A || 0x01 || pk), big-endian. */
uint32_t store_note_keyid(const char *, const uint8_t *);
/* Whether name may be a key name (and so an origin); 0 or -1, *cause. */
int	 store_note_name_ok(const char *, char **);
/* "name+<8 hex>+base64(0x01 || pk)"; caller frees. */
char	*store_note_vkey(const char *, const uint8_t *);
/*
 * Parse a verifier key string.  Returns 0 and sets *name (caller frees)
 * and pk, or -1 with *cause (caller frees) naming what is wrong.
 */
int	 store_note_parse_vkey(const char *, char **, uint8_t *, char **);
/*
 * Sign text (len bytes, must be a valid note text: UTF-8, ending in '\n')
 * as name with the Ed25519 secret key.  Returns the whole note (text,
 * blank line, signature line), NUL terminated; caller frees.
 */
char	*store_note_sign(const char *, size_t, const char *, const uint8_t *);
/*
 * Check that note carries a valid signature by (name, pk).  Other keys'
 * signature lines are ignored.  Returns 0 and sets *textlen to the length
 * of the signed text, or -1 with *cause (caller frees).
 */
int	 store_note_verify(const char *, size_t, const char *, const uint8_t *,
	     size_t *, char **);
/* "origin\nsize\nbase64(root)\n"; caller frees. */
char	*store_checkpoint_text(const char *, uint64_t, const uint8_t *);
/*
 * Parse checkpoint text (the signed part of a note).  Returns 0 and sets
 * *origin (caller frees), *size and root, or -1 with *cause.
 */
int	 store_checkpoint_parse(const char *, size_t, char **, uint64_t *,
	     uint8_t *, char **);

/* proof.c -- C2SP tlog-proof v1 */
struct store_proof {
	uint64_t	 index;
	uint8_t		 path[STORE_MAX_PROOF][STORE_HASH_LEN];
	size_t		 npath;
	const char	*note;			/* the checkpoint note: into the
						   text parsed */
	size_t		 notelen;
};
/*
 * Parse a tlog-proof (len bytes, strictly) into *p, whose note points
 * into text.  0, or -1 with *cause naming the line.
 */
int	 store_proof_parse(const char *, size_t, struct store_proof *, char **);
/*
 * Check a tlog-proof without the ledger: its checkpoint is signed by
 * verifier key vkey, and entry (the exact bytes, entrylen) is the leaf at
 * its index under the checkpoint's root.  Sets *index and *size; 0, or -1
 * with *cause naming what does not hold.
 */
int	 store_proof_check(const char *, size_t, const char *, const uint8_t *,
	     size_t, uint64_t *, uint64_t *, char **);

/* store.c -- opening the data directory and the database */
struct store;
struct store_stmt;

#define STORE_READONLY	0x1		/* verify, log: never write, no secret key */
#define STORE_CREATE	0x2		/* init: make the directory and database */

#define STORE_SCHEMA_VERSION	9	/* highest migration this build knows */

/*
 * Open the data directory dir.  The directory must be a real directory
 * (not a symlink) owned by the effective user with no group or other
 * access; the database and key file likewise, mode 0600.  Without
 * STORE_READONLY the current epoch's secret key is loaded (locked memory)
 * and pending migrations run, under the directory's lock (DIR/lock, made
 * 0600 if missing, checked like the key file), which is released before
 * store_open returns.  Returns the store, or NULL with *cause.
 */
struct store	*store_open(const char *, int, char **);
/* Close; wipes the secret key.  Accepts NULL. */
void		 store_close(struct store *);
/* Path of the data directory as given to store_open. */
const char	*store_dir(struct store *);
/* The private scratch database --replay rebuilds state into; or NULL. */
struct store	*store_open_scratch(char **);
/*
 * Check path as doas checks its configuration: not a symlink, owned by
 * the effective user, no access for group or others (dir: 0700 or
 * tighter, file: 0600 or tighter).  The file checked is the one opened
 * (O_NOFOLLOW, then fstat of the descriptor), never the path looked up
 * first.  Returns 0 or -1 with *cause.
 */
int		 store_check_path(const char *, int, char **);

/* SQL for core/: thin statement wrappers so no caller sees sqlite3. */
#define STORE_ROW	1
#define STORE_DONE	0
struct store_stmt *store_prepare(struct store *, const char *, char **);
void		 store_finalize(struct store_stmt *);	/* accepts NULL */
void		 store_bind_text(struct store_stmt *, int, const char *);
/* Bound without a copy: the text must stay as it is until the
 * statement is reset (store_reset clears it) or finalized. */
void		 store_bind_text_ref(struct store_stmt *, int, const char *);
void		 store_bind_int(struct store_stmt *, int, int64_t);
void		 store_bind_null(struct store_stmt *, int);
/* STORE_ROW, STORE_DONE, or -1 with *cause (caller frees). */
int		 store_step(struct store_stmt *, char **);
void		 store_reset(struct store_stmt *);
const char	*store_col_text(struct store_stmt *, int);	/* "" for NULL */
int64_t		 store_col_int(struct store_stmt *, int);
int		 store_col_isnull(struct store_stmt *, int);
/* Run one statement without results.  0 or -1 with *cause. */
int		 store_exec(struct store *, const char *, char **);
/* One integer result of a query (0 when no row).  0 or -1 with *cause. */
int		 store_query_int(struct store *, const char *, int64_t *, char **);

/*
 * Transactions.  store_commit signs a checkpoint (with the current epoch
 * key) whenever the transaction appended entries, and completes a pending
 * key rotation.  store_rollback undoes everything, including a prepared
 * rotation.  Each returns 0 or -1 with *cause.  store_begin takes the
 * directory's lock (waiting up to 5 seconds for another process), then
 * SQLite's write lock, and loads the head and key again if another process
 * wrote meanwhile; store_commit and store_rollback release it.
 */
int		 store_begin(struct store *, char **);
int		 store_commit(struct store *, char **);
void		 store_rollback(struct store *);
int		 store_in_txn(struct store *);
/* The schema version of the file (older ones are opened read-only as is). */
int64_t		 store_schema_version(struct store *);

/*
 * Replay's view of the live database: store_replay_begin attaches the live
 * database file, read-only, to the scratch store and opens one transaction
 * on it, so the entries store_replay_foreach reads and the tables
 * store_diff_table compares are one snapshot (a commit by another process
 * between them would look like a row the ledger does not explain).
 * store_replay_end commits what was rebuilt and detaches.  0 or -1 with
 * *cause.
 */
int		 store_replay_begin(struct store *, struct store *, char **);
int		 store_replay_end(struct store *, char **);
/* store_ledger_foreach over the attached live database's entries. */
int		 store_replay_foreach(struct store *, int (*)(void *, uint64_t,
		     const uint8_t *, size_t), void *, char **);
/*
 * Compare one projected table of a scratch store (rebuilt by replay) with
 * the same table in the live database file, read-only; within
 * store_replay_begin's snapshot when it was called.  Each differing row is
 * passed to report as text.  Returns the number of differences, or -1 with
 * *cause.
 */
int		 store_diff_table(struct store *, struct store *, const char *,
		     void (*)(void *, const char *), void *, char **);
/*
 * Call fn for every entry in index order with its exact bytes; stops at
 * the first non-zero return and returns it.  -1 with *cause on errors.
 */
int		 store_ledger_foreach(struct store *, int (*)(void *, uint64_t,
		     const uint8_t *, size_t), void *, char **);

/* entry.c -- the bytes of a ledger entry (docs/ledger-format.md) */
#define STORE_ENTRY_MAX		65536	/* bytes in one entry */
#define STORE_VALUE_MAX		4096	/* bytes in one argument value */
#define STORE_MAX_ARGS		64
#define STORE_SYSTEM_ACTOR	"@system"	/* operator of unattended work */

struct store_arg {
	const char	*name;			/* [a-z][a-z0-9_]*, <= 32 bytes */
	const char	*value;			/* UTF-8, any length <= VALUE_MAX */
};

struct store_args {
	size_t		 n;
	struct store_arg v[STORE_MAX_ARGS];
};

/* A parsed entry; every string points into the entry's own storage. */
struct store_entry {
	uint64_t	 index;
	char		 time[32];		/* RFC 3339, UTC, seconds */
	uint8_t		 prev[STORE_HASH_LEN];	/* leaf hash of index - 1 */
	uint64_t	 epoch;
	const char	*action;
	const char	*operator;
	const char	*approver;		/* NULL when none */
	const char	*subject;
	struct store_args args;
	int		 signed_;		/* has a sig line */
	uint8_t		 sig[STORE_SIG_LEN];
	size_t		 siglen;		/* bytes covered by sig */
	const uint8_t	*bytes;			/* the exact bytes */
	size_t		 len;
	char		*storage;		/* owned */
};

/* Append name=value (not copied: both must outlive args); 0 or -1. */
int		 store_args_add(struct store_args *, const char *, const char *);
/* The value of name, or NULL. */
const char	*store_args_get(const struct store_args *, const char *);
/*
 * Parse the exact bytes of an entry.  Returns a new entry (caller frees
 * with store_entry_free) or NULL with *cause naming the first problem.
 */
struct store_entry *store_entry_parse(const uint8_t *, size_t, char **);
void		 store_entry_free(struct store_entry *);
/* Check an argument name or value for the format; 0 or -1 with *cause. */
int		 store_entry_check_value(const char *, const char *, char **);

/* ledger.c -- appending, reading, proving and verifying */
#define STORE_APPEND_SIGN	0x1	/* add a sig line by the epoch key */

struct store_head {
	uint64_t	 size;
	uint8_t		 root[STORE_HASH_LEN];
};

/*
 * Whether the clock is at or after the newest entry's time: nothing is
 * recorded at a time before the ledger's last entry (a clock set back
 * would reopen expired activations and re-date the record).  0, or -1
 * with *cause naming both times.  store_ledger_append checks it too.
 */
int		 store_clock_check(struct store *, char **);
/*
 * Append one entry inside the open transaction.  The store fills in
 * index, time, prev and epoch.  Returns the new index through *index;
 * 0 or -1 with *cause (nothing appended).
 */
int		 store_ledger_append(struct store *, const char *,
		     const char *, const char *, const char *,
		     const struct store_args *, int, uint64_t *, char **);
/*
 * The exact bytes of the entry just appended at index, as stored and
 * hashed (owned by the store, valid until the next append).  0 or -1.
 */
int		 store_ledger_last(struct store *, uint64_t, const uint8_t **,
		     size_t *, char **);
/*
 * Entries in the ledger, counting other processes' appends (outside a
 * transaction); 0 or -1 with *cause.
 */
int		 store_ledger_size(struct store *, uint64_t *, char **);
/* The current tree head (size and root); 0 or -1 with *cause. */
int		 store_ledger_head(struct store *, struct store_head *, char **);
/* The origin line of this ledger's checkpoints. */
const char	*store_ledger_origin(struct store *);
/*
 * Exact bytes of entry index (caller frees *bytes).  Returns 0, 1 when
 * there is no such entry, or -1 with *cause.
 */
int		 store_ledger_get(struct store *, uint64_t, uint8_t **, size_t *,
		     char **);
/*
 * The latest signed checkpoint note, or the one of exactly size when
 * size != 0.  Caller frees.  NULL with *cause when there is none.
 */
char		*store_checkpoint_get(struct store *, uint64_t, char **);
/* Time (RFC 3339) and size of the latest checkpoint; 0 or -1. */
int		 store_checkpoint_latest(struct store *, uint64_t *, char *,
		     size_t, char **);
/*
 * A C2SP tlog-proof v1 for entry index against the checkpoint at size
 * (0: the latest).  Caller frees.  NULL with *cause.
 */
char		*store_ledger_prove(struct store *, uint64_t, uint64_t, char **);
/*
 * Proofs of entries idx[0..n) against the one checkpoint at size (0: the
 * latest), from one pass over the ledger and the tree built once: out[i]
 * (caller frees each), the checkpoint's size in *csize.  0, or -1 with
 * *cause (nothing in out).
 */
int		 store_ledger_prove_many(struct store *, const uint64_t *,
		     size_t, uint64_t, char **, uint64_t *, char **);

/*
 * A sequential reader over the entries from index from, for screens that
 * walk the ledger.  next returns 1 with the entry (bytes valid until the
 * next call), 0 at the end, -1 with *cause.  Close it before committing.
 */
struct store_reader;
struct store_reader *store_reader_open(struct store *, uint64_t, char **);
int		 store_reader_next(struct store_reader *, uint64_t *,
		     const uint8_t **, size_t *, char **);
void		 store_reader_close(struct store_reader *);

/* keys.c -- the epoch key chain */
struct store_epoch {
	uint64_t	 epoch;
	uint64_t	 first;			/* index of its first entry */
	char		*vkey;			/* verifier key string */
};
/*
 * Every epoch from the ledger's own entries (ledger.init and
 * ledger.rotate), oldest first.  Caller frees with store_epochs_free.
 */
int		 store_epochs(struct store *, struct store_epoch **, size_t *,
		     char **);
void		 store_epochs_free(struct store_epoch *, size_t);
/* The current epoch number (from the ledger's projection). */
int		 store_epoch_current(struct store *, uint64_t *, char **);
/*
 * Seconds since the current epoch began: the loaded key's, or, outside a
 * transaction, a newer epoch's that another process started since; -1
 * when no key is loaded.
 */
int64_t		 store_epoch_age(struct store *);
/*
 * Make the next epoch's key pair and write it beside the current key
 * (key.new, 0600, fsynced).  Sets *vkey (caller frees) to its verifier
 * key.  The switch happens at store_commit; rollback discards it.
 */
int		 store_epoch_prepare(struct store *, char **, char **);
/*
 * For init, on a store opened with STORE_CREATE: pick the ledger's origin,
 * make the root (epoch 0) key, write the key file and root.pub.  Sets
 * *vkey (caller frees) to the root verifier key.  0 or -1 with *cause.
 */
int		 store_init(struct store *, char **, char **);
/* Verifier key string of the current epoch (caller frees). */
char		*store_epoch_vkey(struct store *);

/* verify.c -- checking the whole ledger */
struct store_verify_opts {
	const char	*checkpoint;		/* note held outside, or NULL */
	size_t		 checkpointlen;
	const char	*root_vkey;		/* trusted root key, or NULL */
	void		(*progress)(void *, uint64_t, uint64_t);
	void		*arg;
};

struct store_verify_result {
	uint64_t	 entries;
	uint64_t	 epochs;
	uint64_t	 checkpoint_size;	/* latest signed size */
	char		*root_vkey;		/* the key the chain starts from */
	int64_t		 bad_index;		/* first bad entry, or -1 */
	const char	*key_evidence;		/* which key file was checked */
	char		*problem;		/* what is wrong, or NULL */
};

/*
 * Recompute the tree over every entry, follow the key chain, check the
 * latest checkpoint, the key file, and the outside checkpoint if given.
 * Returns 0 when intact, 1 when not (result->problem says why), -1 when
 * the check itself could not run (*cause; the result then holds nothing to
 * free).  Free the result's strings with store_verify_result_free.
 */
int		 store_verify(struct store *, const struct store_verify_opts *,
		     struct store_verify_result *, char **);
void		 store_verify_result_free(struct store_verify_result *);

/* report.c -- a sealed report's package, checked without the database */
struct store_report_link {
	const char	*name;			/* "chain/00000008", for messages */
	uint64_t	 index;			/* the number in its name */
	const uint8_t	*entry;
	size_t		 entrylen;
	const char	*proof;
	size_t		 prooflen;
};
struct store_report_pkg {
	const uint8_t	*txt, *csv, *entry;	/* report.txt, report.csv, entry */
	size_t		 txtlen, csvlen, entrylen;
	/* When txt (csv) is NULL: the file's SHA-256 as the reader streamed
	 * it through store_sha256_fd, instead of its bytes. */
	const char	*txtsha, *csvsha;
	const char	*proof;
	size_t		 prooflen;
	const struct store_report_link *chain;	/* by index */
	size_t		 nchain;
};
struct store_report_result {
	uint64_t	 index;			/* the sealing entry */
	char		 action[32];
	uint64_t	 size;			/* the checkpoint's */
	uint64_t	 epochs;		/* keys in the chain */
};
/*
 * Check a package from the root verifier key alone (docs/ledger-format.md
 * section 9).  0 when valid; 1 when not, *cause naming the file and what
 * is wrong; -1 when the root key cannot be read (*cause).
 */
int		 store_report_check(const struct store_report_pkg *,
		     const char *, struct store_report_result *, char **);

/* blob.c -- what an entry names by hash but cannot hold */
#define STORE_HASH_HEX		65	/* SHA-256 in hex, NUL included */
#define STORE_BLOB_MAX		(512 * 1024 * 1024)
/* SHA-256 of len bytes of data as lower-case hex (STORE_HASH_HEX). */
void		 store_sha256_hex(const void *, size_t, char *);
/*
 * SHA-256 of what remains to be read of fd, streamed through a buffer
 * (a file of hundreds of megabytes is never held whole): 0 with hex and
 * *len (the bytes read), or -1 (errno; EFBIG past max bytes).
 */
int		 store_sha256_fd(int, uint64_t, char *, uint64_t *);
/*
 * Keep len bytes of data, in the open transaction, under their SHA-256,
 * written to hex (STORE_HASH_HEX bytes).  0, or -1 with *cause.
 */
int		 store_blob_put(struct store *, const void *, size_t, char *,
		     char **);
/*
 * The blob whose SHA-256 is hex, checked against it: 0 with *data (NUL
 * added, not counted in *len; caller frees), 1 when there is none, -1
 * with *cause (a blob whose bytes do not hash to hex too).  In replay, the
 * live database's blobs.
 */
int		 store_blob_get(struct store *, const char *, uint8_t **,
		     size_t *, char **);

/* backup.c */
/*
 * Online copy of the database and the public key material to a new
 * directory dest (made 0700), with the SQLite backup API, so the copy
 * verifies on its own.  The secret key is not copied.  0 or -1.
 */
int		 store_backup(struct store *, const char *, char **);

#endif
