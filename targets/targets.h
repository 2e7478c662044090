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
#define TARGET_SECRET_MAX	128	/* a password, NUL included */
#define TARGET_AGING_DAYS_MAX	99999	/* shadow's "never" for a max */
#define TARGET_POLICY_DAYS_MAX	24855	/* ppolicy's seconds fit 31 bits */
#define TARGET_POLICY_LENGTH_MAX 1024
#define TARGET_POLICY_HISTORY_MAX 1000

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
	TARGET_CREATE = 1,	/* arg: display name; a temporary password
				   (pw_generate) made by the target, to be
				   changed at first login; it goes to
				   secret */
	TARGET_LOCK,		/* no login until unlocked; arg "" or
				   "end-sessions": end its running
				   sessions too, where the target can and
				   its configuration allows */
	TARGET_UNLOCK,		/* arg: the end date to restore (YYYY-MM-DD,
				   "never"), or "" to leave it */
	TARGET_EXPIRE,		/* arg: YYYY-MM-DD the account ends, or "now" */
	TARGET_SET_PASSWORD,	/* arg ""; secret in: the cleartext, which
				   the target hashes itself (unix:
				   yescrypt; ldap: RFC 3062) and wipes
				   before apply returns.  Never in the
				   database, so never retried: see
				   target_secret_check for what is
				   refused.  Clears a forced change; a
				   lock stays */
	TARGET_FORCE_CHANGE,	/* the password must change at next login */
	TARGET_DELETE,
	TARGET_RESET,		/* a new temporary password (pw_generate),
				   made by the target and to be changed at
				   next login; it goes to secret, like
				   CREATE's */
	TARGET_AGING,		/* arg "min=N max=N warn=N", any of them
				   (days, 0 to 99999; max 0: no limit):
				   unix writes shadow's aging fields; ldap
				   is done with a notice (a directory
				   keeps aging in its ppolicy entry) */
	TARGET_POLICY,		/* login "-"; arg "min_length=N
				   max_age_days=N min_age_days=N
				   warn_days=N history=N" (any of them):
				   ldap replaces the attributes of the
				   ppolicy entry its ppolicy_dn= names;
				   unix refuses it (aging is per account:
				   TARGET_AGING) */
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
	char		 secret[TARGET_SECRET_MAX]; /* out, CREATE, RESET: the
						   temporary password, for the
						   operator to hand over once;
						   wipe after.  in, SET_PASSWORD:
						   the new password, wiped by
						   apply; otherwise apply wipes
						   it first */
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
/*
 * Whether a SET_PASSWORD secret (the request's, TARGET_SECRET_MAX bytes)
 * may be set: NUL-terminated within the buffer (at most 127 bytes), not
 * empty, valid UTF-8 without control characters.  0, or -1 with why in
 * err (size bytes; the secret is never quoted).
 */
int		 target_secret_check(const char *, char *, size_t);
/* The values of an "aging" or "policy" argument, -1 where not given. */
struct target_aging {
	long long	 min, max, warn;		/* days */
};
struct target_policy {
	long long	 min_length, max_age, min_age, warn;	/* days */
	long long	 history;
};
/* Parse an AGING argument; 0, or -1 with why in err. */
int		 target_aging_parse(const char *, struct target_aging *,
		     char *, size_t);
/* Parse a POLICY argument; 0, or -1 with why in err. */
int		 target_policy_parse(const char *, struct target_policy *,
		     char *, size_t);

#endif
