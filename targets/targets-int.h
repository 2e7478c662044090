/*
 * targets-int.h -- what the files of targets/ share with each other and
 * with their tests, but not with the rest of daicho (which sees only
 * targets.h and the target_types table).
 */
#ifndef DAICHO_TARGETS_INT_H
#define DAICHO_TARGETS_INT_H

#include "targets.h"

/* targets.c */
/*
 * A yescrypt hash of secret (libxcrypt, a salt it draws itself) into out
 * (size bytes).  Every copy of secret made on the way is wiped.  0, or
 * -1 with *cause (caller frees).
 */
int	 target_yescrypt(const char *, char *, size_t, char **);
/*
 * strerror(errnum) in the C locale, whatever LC_MESSAGES says: what a
 * target says goes into the ledger (outbox.result's error and notice),
 * which must read the same under any LANG.  Every target message that
 * quotes errno goes through it.  The text is static; never NULL.
 */
const char *target_strerror(int);

/* target-unix.c */
extern const struct target_type target_unix_type;
/*
 * Tests only: make step n (1, 2, ...) of the next write phases fail with
 * EIO, counting every file written, linked, renamed or synced from this
 * call on; 0 turns it off.  Not thread-safe; nothing but tests calls it.
 */
void	 target_unix_failpoint(int);
/*
 * Tests and fuzzing: parse passwd, shadow, group and gshadow from memory
 * (text[i] of len[i] bytes; NULL when absent), apply the n requests as a
 * batch does but without touching the disk (lock, unlock, expire,
 * force_change, delete and aging; the others, which hash a password or
 * need no file, are refused), then
 * render and parse every file again.  0, or -1 with *cause (caller frees)
 * when an input does not parse.  Aborts (fatalx) when a file as it would
 * be written does not parse, or an unchanged one would not be written
 * back byte for byte.
 */
int	 target_unix_mem_batch(const char *const [4], const size_t [4],
	     struct target_req *, size_t, char **);
/*
 * What the target's last list could not read of the login records (a
 * file refused, records not understood, a wtmp read only in part), or
 * NULL: the accounts it would have named report last_use -1.  Valid
 * until the next list or close.
 */
const char *target_unix_lastuse_note(const struct target *);
/*
 * Fuzzing: wtmp's records in buf (len bytes; a partial last record is
 * ignored) against passwd text: each line's last login into last[] (as
 * many as passwd has lines; *nlast).  0, or -1 with *cause when passwd
 * does not parse.  Caller frees *last.
 */
int	 target_unix_wtmp_mem(const char *, size_t, const unsigned char *,
	     size_t, int64_t **, size_t *, char **);

/* target-exec.c */
/*
 * The program's answer (NUL-terminated): 0 when its last non-empty line
 * is "ok"; -1 with that line's text after "error " (or why the answer is
 * neither) in error, len bytes, control characters made '?'.
 */
int	 target_exec_result(const char *, char *, size_t);
/*
 * The "account LOGIN LOCKED NAME" lines of a list answer (text is cut up
 * in place).  0 with *out (caller frees; NULL when none) and *n, or -1
 * with *cause.
 */
int	 target_exec_parse_list(char *, struct target_account **, size_t *,
	     char **);

/* target-ldap.c: what reads text a server or an administrator wrote */
/* Configuration lines; 0, or -1 with *cause.  Nothing is kept. */
int	 target_ldap_conf_parse(const char *, char **);
/* Generalized time into unix seconds, or -1. */
int64_t	 target_ldap_parse_gentime(const char *, size_t);
/* "YYYY-MM-DD" into its midnight UTC, or -1. */
int64_t	 target_ldap_parse_date(const char *);
/* A server's value for the screen: cut at a character, controls '?'. */
void	 target_ldap_copy_utf8(char *, size_t, const char *, size_t);
/* Whether s is UTF-8 text without control characters. */
int	 target_ldap_text_ok(const char *);
/* Whether a login from the server follows daicho's rules. */
int	 target_ldap_login_ok(const char *);

#endif
