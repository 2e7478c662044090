/*
 * targets.h -- the whole public face of targets/: where changes to IDs are
 * applied.  One interface for every kind of system (unix shadow files,
 * LDAP, an administrator's program, a manual work order), with batch
 * operations so a lockout of thousands of accounts is one rewrite or one
 * connection.
 *
 * Plain values in, plain values out: no store, no curses, no PAM.  The
 * console will later hand these calls to a small privileged helper over a
 * socket, so nothing here may depend on the caller's memory beyond the
 * call.
 */
#ifndef DAICHO_TARGETS_H
#define DAICHO_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#define TARGET_LOGIN_MAX	33	/* login names, NUL included */
#define TARGET_ERROR_MAX	256

/* One account as a target reports it. */
struct target_account {
	char		 login[TARGET_LOGIN_MAX];
	char		 name[128];		/* GECOS / cn, display only */
	int		 locked;		/* 1, 0, or -1 unknown */
	int		 expired;		/* account expired: 1, 0, -1 */
	int		 must_change;		/* password change forced: 1, 0, -1 */
	int64_t		 last_change;		/* password set, unix seconds; -1 */
	int64_t		 last_use;		/* last login, unix seconds; -1 */
	int		 system_account;	/* the OS's own (root, daemon):
						   not for daicho to manage */
};

enum target_op {
	TARGET_CREATE = 1,	/* arg: display name; a temporary password */
	TARGET_LOCK,		/* no login until unlocked; arg "" or
				   "end-sessions": end its running
				   sessions too, where the target can and
				   its configuration allows */
	TARGET_UNLOCK,		/* arg: the end date to restore (YYYY-MM-DD,
				   "never"), or "" to leave it */
	TARGET_EXPIRE,		/* arg: YYYY-MM-DD the account ends, or "now" */
	TARGET_SET_PASSWORD,	/* arg: a crypt(3) hash, never a cleartext */
	TARGET_FORCE_CHANGE,	/* the password must change at next login */
	TARGET_DELETE,
	TARGET_RESET,		/* a new temporary password, made by the
				   target and to be changed at next login;
				   it goes to secret, like CREATE's */
};

/* One operation of a batch, and its result. */
struct target_req {
	enum target_op	 op;
	char		 login[TARGET_LOGIN_MAX];
	char		 arg[256];
	int		 done;			/* out: 1 applied, 0 not */
	char		 error[TARGET_ERROR_MAX]; /* out: why not; when done,
						   "" or a notice (what
						   end-sessions did) */
	char		 secret[128];		/* out, CREATE, RESET: the temporary
						   password, for the operator to
						   hand over once; wipe after */
};

struct target;

struct target_type {
	const char	*name;			/* "unix", "ldap", ... */
	/*
	 * Open a target from its configuration ("key=value" lines, as the
	 * system row keeps it).  NULL with *cause (caller frees).
	 */
	struct target	*(*open)(const char *, char **);
	/* Every account; *out is the caller's to free.  0 or -1, *cause. */
	int		 (*list)(struct target *, struct target_account **,
			    size_t *, char **);
	/*
	 * Apply a batch.  Each request gets done / error; the target is left
	 * either with all the done requests applied or, when the batch as a
	 * whole fails (returns -1, *cause), with none of them: never half.
	 */
	int		 (*apply)(struct target *, struct target_req *, size_t,
			    char **);
	void		 (*close)(struct target *);	/* accepts NULL */
};

/* targets.c */
extern const struct target_type *const target_types[];
const struct target_type *target_type_find(const char *);
const char	*target_op_name(enum target_op);
/* The op named name ("lock"), or 0 when there is none. */
enum target_op	 target_op_parse(const char *);

#endif
