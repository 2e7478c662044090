/*
 * unix-int.h -- what the files of the unix target share, and nothing else
 * of daicho sees (the rest knows only target_unix_type, in targets-int.h).
 *
 *	target-unix.c	the target table's glue: configuration, a batch's
 *			phases (lock, load, requests, commit, sessions),
 *			listing, and the in-memory batch for tests
 *	unix-files.c	the shadow-utils-like file layer: lock files,
 *			reading and parsing passwd, shadow, group and
 *			gshadow, editing lines and fields, and writing
 *			them back (NAME+, fsync, NAME-, rename)
 *	unix-ops.c	the operations on accounts (create, lock, unlock,
 *			expire, set password, force change, delete, reset,
 *			aging; policy is refused)
 *			over the files in memory, with their id bitmaps and
 *			group member index
 *	unix-session.c	ending a locked account's sessions (loginctl,
 *			signals through /proc)
 *	unix-lastuse.c	last logins from wtmp and lastlog, for the list
 */
#ifndef DAICHO_UNIX_INT_H
#define DAICHO_UNIX_INT_H

#include <sys/stat.h>
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "targets-int.h"

#define UNIX_FILE_MAX		(64 * 1024 * 1024)	/* per file */
#define UNIX_FIELDS_MAX		9
#define UNIX_NONE		SIZE_MAX
#define UNIX_ID_RANGE_MAX	(1 << 22)	/* a bitmap of 512 KB */
#define UNIX_ID_MAX		4294967294LL	/* (uid_t)-1 is "no uid" */
#define UNIX_LOCK_POLL_MS	50
#define UNIX_DAY		86400
#define UNIX_END_ARG		"end-sessions"	/* a lock's arg */
/*
 * A locked account is also expired, on day 1 (1970-01-02), as usermod(8)
 * advises with -L: the '!' only stops passwords, and sshd with UsePAM
 * would still let a key in (pam_unix's account check looks at expiry, not
 * at the hash).  No real end date is that day, so UNLOCK can tell it.
 */
#define UNIX_LOCK_EXPIRE	"1"
#define UNIX_GRACE_MAX		60		/* seconds */
#define UNIX_KILL_WAIT_MS	1000	/* for SIGKILLed processes to go */
#define UNIX_LOGINCTL_MS	10000	/* loginctl's time limit */
#define UNIX_POLL_MS		20
#define UNIX_UID_MIN		1000	/* without UID_MIN in login.defs */
#define UNIX_OVERFLOW_UID	65534	/* nobody: many daemons run as it */
#define UNIX_ANCESTORS_MAX	64
#define UNIX_WTMP_RECORDS	(1 << 20)	/* newest wtmp records read:
						   384 MB */

enum unix_fid {
	F_PASSWD,
	F_SHADOW,
	F_GROUP,
	F_GSHADOW,
	F_COUNT
};

/* What each of the four files is. */
struct unix_ftype {
	const char	*name;
	int		 nfields;
	int		 required;	/* gshadow may be absent */
	int		 secret;	/* hashes: wipe our copies */
	int		 idfield;	/* a uid or gid that must parse; -1 */
	int		 id2field;
	int		 daysfrom;	/* shadow's day counts; -1 */
};
extern const struct unix_ftype unix_ftypes[F_COUNT];

/* revoke_home=: what a delete (an ID's revoke) does to its home. */
enum unix_home {
	UNIX_HOME_KEEP,		/* leave it as it is, as userdel */
	UNIX_HOME_LOCK,		/* owner root, mode 000: nobody else reads it */
	UNIX_HOME_REMOVE,	/* remove it, as userdel -r */
};

/*
 * ROOT/etc/daicho-ids: the highest uid and gid ever given out in the
 * range, so that a uid is never given out twice, even after the account
 * that had the highest one is deleted (see unix_id_alloc).
 */
#define UNIX_IDS_NAME		"daicho-ids"

/* An account a batch deleted, whose home revoke_home acts on. */
struct unix_gone {
	struct target_req *req;
	long long	 uid;
	char		*home;		/* the passwd field */
	int		 shared;	/* another account has that home */
};

/* One line of a file, without its newline. */
struct unix_line {
	char		*text;		/* into the file buffer, or owned */
	size_t		 len;
	unsigned	 owned:1;	/* text is ours to free */
	unsigned	 dead:1;	/* removed: not written */
	unsigned	 nis:1;		/* '+' or '-' compat line, verbatim */
};

/* A string-keyed hash table (open addressing); keys are never removed. */
struct unix_slot {
	char		*key;		/* NULL: empty slot */
	size_t		 val;		/* line index, count; UNIX_NONE */
	size_t		 dup;		/* a second line of that name */
};

struct unix_index {
	struct unix_slot *slot;
	size_t		 cap;		/* a power of two */
	size_t		 n;
};

struct unix_file {
	const struct unix_ftype *type;
	int		 present;
	int		 locked;	/* our NAME.lock exists */
	int		 changed;
	struct stat	 st;		/* of the file we read */
	char		*buf;		/* the file as read */
	size_t		 size;
	struct unix_line *lines;	/* the original ones, then new ones */
	size_t		 n;
	size_t		 norig;
	size_t		 alloc;
	size_t		 nis_first;	/* new lines are written before it */
	struct unix_index idx;		/* first field -> line */
	int		 plus;		/* NAME+ written */
	int		 backup;	/* NAME-+ made */
	int		 renamed;	/* NAME+ is now NAME */
};

/* Where a login appears as a group member or gshadow administrator. */
struct unix_ref {
	enum unix_fid	 fid;
	size_t		 line;
};

struct unix_refs {
	struct unix_ref	*v;
	size_t		 n;
	size_t		 alloc;
};

struct target {
	const struct target_type *type;
	char		*root;
	char		*etc;		/* ROOT/etc, for opening and messages */
	char		*home;		/* no trailing '/' unless it is "/" */
	char		*shell;
	char	       **groups;
	size_t		 ngroups;
	long long	 id_min;
	long long	 id_max;
	int		 create_home;
	int		 lock_wait_ms;
	int		 end_sessions;	/* end_sessions=yes */
	int		 grace_ms;	/* SIGTERM to SIGKILL */
	enum unix_home	 revoke_home;	/* what a delete does to the home */
	char		*lastuse_note;	/* the last list's: login records
					   not read, or NULL */
};

struct unix_batch {
	struct target	*t;
	int		 etcfd;
	int		 pwdf;		/* lckpwdf() held */
	struct unix_file f[F_COUNT];
	long		 today;		/* days since the epoch */
	long long	 uid_high;	/* highest uid in range ever used */
	long long	 gid_high;
	struct unix_index primary;	/* "gid" -> accounts with it primary */
	int		 have_members;	/* members and refs built */
	struct unix_index members;	/* login -> index into refs */
	struct unix_refs *refs;
	size_t		 nrefs;
	size_t		 refs_alloc;
	char	       **homes;		/* made by this batch, undone if it
					   fails */
	size_t		 nhomes;
	long long	 ids_uid;	/* as ROOT/etc/daicho-ids has them; */
	long long	 ids_gid;	/* 0 when it is absent */
	struct unix_gone *gone;		/* deletes, for revoke_home */
	size_t		 ngone;
};

struct unix_field {
	const char	*p;
	size_t		 len;
};

struct unix_end;

/* unix-files.c */
/*
 * A decimal number in a file field (digits only), at most max; with neg,
 * a leading '-' too.  0 with *out, or -1.
 */
int	 unix_number(const struct unix_field *, long long, int, long long *);
void	 unix_index_free(struct unix_index *);
/* The slot for key (n bytes), or NULL. */
struct unix_slot *unix_index_find(struct unix_index *, const char *, size_t);
/* The slot for key, made (val and dup UNIX_NONE) if it is new. */
struct unix_slot *unix_index_get(struct unix_index *, const char *, size_t);
void	 unix_file_free(struct unix_file *);
/* ROOT/etc opened as a directory, checked; or -1 with *cause. */
int	 unix_open_etc(const struct target *, char **);
/*
 * Read a whole file from a directory (never following a link, checked
 * as a file we may trust); 0, 1 if it is absent and may be, -1 *cause.
 */
int	 unix_read(const struct target *, int, struct unix_file *, char **);
/* Split f->buf into lines and check and index every one; 0 or -1 *cause. */
int	 unix_parse(const struct target *, struct unix_file *, char **);
/* unix_read and unix_parse of one of the batch's files. */
int	 unix_load(struct unix_batch *, enum unix_fid, char **);
/*
 * name's line in a file: 0 with *line, 1 when there is none, -1 with
 * *cause when two lines have that name.
 */
int	 unix_find(struct unix_batch *, enum unix_fid, const char *, size_t *,
	     char **);
/* Field k of line i (which parsed). */
struct unix_field unix_get(struct unix_file *, size_t, int);
/* Replace field k of line i by v (vlen bytes); the copy is the file's. */
void	 unix_set_field(struct unix_file *, size_t, int, const char *, size_t);
void	 unix_line_remove(struct unix_file *, size_t);
/* Append a new line (takes ownership of text) and index it. */
size_t	 unix_line_new(struct unix_file *, char *);
/* Take (0, or -1 *cause) and release the locks, in shadow-utils' order. */
int	 unix_lock(struct unix_batch *, char **);
void	 unix_unlock(struct unix_batch *);
/* A file's new content; caller frees (and wipes, for secrets). */
char	*unix_render(struct unix_file *, size_t *);
/* The write phase: every changed file, all or none.  0 or -1 *cause. */
int	 unix_commit(struct unix_batch *, char **);
/* Remove the NAME+ and NAME-+ a crashed batch left (under the locks). */
void	 unix_leftovers(struct unix_batch *);
/* Tell nscd and sssd that passwd or group changed; best effort. */
void	 unix_flush_caches(int, int);
/* Read ROOT/etc/daicho-ids into b->ids_uid and ids_gid; 0 or -1 *cause. */
int	 unix_ids_load(struct unix_batch *, char **);
/*
 * Record b->uid_high and gid_high in ROOT/etc/daicho-ids when they are
 * above what it holds (written, fsynced, renamed); 0 or -1 *cause.
 */
int	 unix_ids_save(struct unix_batch *, char **);

/* unix-ops.c */
/*
 * Whether a login may be looked up and written (with creating, also the
 * portable form useradd accepts).  0, or -1 with *cause.
 */
int	 unix_login_check(const char *, int, char **);
/* The highest uids and gids and the primary-group counts of a batch. */
void	 unix_ids_build(struct unix_batch *);
/* Apply one request in memory: req->done, or req->error. */
void	 unix_request(struct unix_batch *, struct target_req *);

/* unix-home.c */
/* Which live accounts share a deleted one's home (before the batch ends). */
void	 unix_home_shared(struct unix_batch *);
/* Apply revoke_home to each deleted account's home; each gets a notice. */
void	 unix_home_revoke(struct target *, struct unix_gone *, size_t);
void	 unix_gone_free(struct unix_gone *, size_t);

/* unix-lastuse.c */
/* Append a sentence to *note (made when NULL; "; " between). */
void	 unix_note(char **, const char *, ...) DAICHO_PRINTF(2, 3);
/* ROOT/rel (rel without a leading '/'); caller frees. */
char	*unix_root_path(const struct target *, const char *);
/*
 * Open a file of login records read-only, without following a link or
 * blocking: 0 with the fd and its stat, 1 when it is absent, -1 with a
 * sentence added to *note when it is not a regular file we may trust.
 */
int	 unix_record_open(const char *, int *, struct stat *, char **);
/* Raise last[] of the passwd lines named login (len bytes) to when. */
void	 unix_lastuse_set(struct unix_file *, const char *, size_t, int64_t,
	     int64_t *);
/*
 * wtmp's whole records in buf (len a multiple of sizeof(struct utmp)):
 * for each USER_PROCESS of a login that is a line of pwf, raise
 * last[line] to its time.  Returns the records not understood.
 */
size_t	 unix_wtmp_scan(const unsigned char *, size_t, struct unix_file *,
	     int64_t *, int64_t);
/*
 * Every passwd line's last login (unix seconds, -1 unknown) from the
 * login records under the root: an array of pwf->n, caller frees (NULL
 * when pwf has no line).  *note (caller frees; NULL when all is well)
 * names the files, or records, that were not read.  Never fails.
 */
int64_t	*unix_lastuse(const struct target *, struct unix_file *, char **);

/* unix-session.c */
/*
 * The done locks of reqs that asked to end sessions, with their uids
 * (read while the batch's files are in memory).  The count, with *out
 * (caller frees; NULL when 0).  Refused ones get their notice here.
 */
size_t	 unix_end_collect(struct unix_batch *, struct target_req *, size_t,
	     struct unix_end **);
/* End the sessions of the collected locks; each request gets a notice. */
void	 unix_end_sessions(struct target *, struct unix_end *, size_t);

#endif
