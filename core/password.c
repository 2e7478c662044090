/*
 * password.c -- a password an operator types for an ID: its quality (the
 * policy, through libpwquality and cracklib's dictionary), its history
 * (Argon2id hashes in password_history, never in the ledger), and the
 * sweep of temporary passwords not changed in time.
 *
 * The cleartext is never logged, printed or stored: it comes in, is
 * judged, is hashed for the history and goes to the target in memory
 * (core_outbox_run_secret).  Messages name the rule broken, never any
 * part of the password.
 *
 * The history's hashes: Argon2id with t=2 passes over 19 MiB (OWASP's
 * recommendation for Argon2id).  A check verifies the new password
 * against up to history (default 5, at most 50) of them, each at the
 * cost its own hash names.  Measured on the two-core test machine (under
 * load): 50 ms a hash, so 0.25 s for a check against five; libsodium's
 * INTERACTIVE (64 MiB) took 224 ms a hash (1.1 s for five) and MODERATE
 * (256 MiB) 1.2 s a hash, too slow for a person waiting at a prompt.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pwquality.h>
#include <sodium.h>

#include "common.h"
#include "targets.h"
#include "core-int.h"

#define PW_OPSLIMIT	2
#define PW_MEMLIMIT	(19U * 1024 * 1024)

/* Bytes (UTF-8) and control characters: refused before anything else. */
static int
password_text_ok(const char *pw, char **cause)
{
	const unsigned char	*p, *start = (const unsigned char *)pw;
	size_t			 n, len = strlen(pw);
	uint32_t		 cp;

	if (len == 0) {
		xasprintf(cause, _("the password is empty"));
		return -1;
	}
	if (len > CORE_PASSWORD_MAX) {
		xasprintf(cause, _("the password is longer than %d bytes"),
		    CORE_PASSWORD_MAX);
		return -1;
	}
	for (p = start; *p != '\0'; p += n) {
		if ((n = vis_utf8(p, len - (size_t)(p - start), &cp)) == 0) {
			xasprintf(cause, _("the password is not valid UTF-8 "
			    "(at byte %zu)"), (size_t)(p - start) + 1);
			return -1;
		}
		/* C0, DEL and C1: a terminal or a PAM stack may act on them. */
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			xasprintf(cause, _("the password contains a control "
			    "character (at byte %zu); use printable "
			    "characters only"), (size_t)(p - start) + 1);
			return -1;
		}
	}
	return 0;
}

/* libpwquality with the policy's settings; the login is the user. */
static int
password_quality(const struct core_policy *p, const char *login,
    const char *name, const char *pw, char **cause)
{
	pwquality_settings_t	*pwq;
	void			*aux = NULL;
	char			 buf[PWQ_MAX_ERROR_MESSAGE_LEN];
	int			 r;

	if ((pwq = pwquality_default_settings()) == NULL)
		fatalx("pwquality_default_settings: out of memory");
	if (pwquality_set_int_value(pwq, PWQ_SETTING_MIN_LENGTH,
	    p->min_length) != 0 || pwquality_set_int_value(pwq,
	    PWQ_SETTING_MIN_CLASS, p->min_classes) != 0 ||
	    pwquality_set_int_value(pwq, PWQ_SETTING_DICT_CHECK,
	    p->dictcheck) != 0 || pwquality_set_int_value(pwq,
	    PWQ_SETTING_USER_CHECK, p->usercheck) != 0) {
		pwquality_free_settings(pwq);
		xasprintf(cause, _("the password policy could not be set up"));
		return -1;
	}
	r = pwquality_check(pwq, pw, NULL, login, &aux);
	pwquality_free_settings(pwq);
	if (r < 0) {
		/* pwquality_strerror frees aux. */
		xasprintf(cause, _("the password is refused: %s"),
		    pwquality_strerror(buf, sizeof buf, r, aux));
		return -1;
	}
	/* The owner's name too (as pam_pwquality's gecoscheck would). */
	if (p->usercheck && name != NULL && strlen(name) >= 3 &&
	    strcasestr(pw, name) != NULL) {
		xasprintf(cause, _("the password is refused: it contains the "
		    "user's name"));
		return -1;
	}
	return 0;
}

/* The newest n hashes of the ID's history: refused when pw is one. */
static int
password_history_ok(struct store *s, const char *system, const char *login,
    int n, const char *pw, char **cause)
{
	struct store_stmt	*st;
	int			 r, reused = 0;

	if (n <= 0)
		return 0;
	if ((st = store_prepare(s, "SELECT hash FROM password_history WHERE "
	    "system = ? AND login = ? ORDER BY set_at DESC LIMIT ?",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	store_bind_int(st, 3, n);
	while (!reused && (r = store_step(st, cause)) == STORE_ROW) {
		if (crypto_pwhash_str_verify(store_col_text(st, 0), pw,
		    strlen(pw)) == 0)
			reused = 1;
	}
	store_finalize(st);
	if (!reused && r == -1)
		return -1;
	if (reused) {
		xasprintf(cause, _("the password is refused: it is one of the "
		    "last %d passwords of %s on %s"), n, login, system);
		return -1;
	}
	return 0;
}

int
core_password_check(struct store *s, const struct core_policy *p,
    const char *system, const char *login, const char *name, const char *pw,
    char **cause)
{
	if (password_text_ok(pw, cause) != 0 ||
	    password_quality(p, login, name, pw, cause) != 0)
		return -1;
	return password_history_ok(s, system, login, p->history, pw, cause);
}

/* The ID's kind, for its policy: 0, or -1 when there is no such ID. */
static int
password_kind(struct store *s, const char *system, const char *login,
    char *kind, size_t len, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	kind[0] = '\0';
	if ((st = store_prepare(s, "SELECT kind FROM account WHERE system = ? "
	    "AND login = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	if ((r = store_step(st, cause)) == STORE_ROW)
		snprintf(kind, len, "%s", store_col_text(st, 0));
	store_finalize(st);
	if (r == -1)
		return -1;
	if (kind[0] == '\0') {
		xasprintf(cause, _("no ID %s on %s"), login, system);
		return -1;
	}
	return 0;
}

int
core_password_policy(struct store *s, const char *system, const char *login,
    struct core_policy *p, char **cause)
{
	char	 kind[16];

	if (password_kind(s, system, login, kind, sizeof kind, cause) != 0)
		return -1;
	return core_policy_get(s, system, kind, p, cause);
}

/* When daicho last set the ID's password (0: never). */
static int
password_set_at(struct store *s, const char *system, const char *login,
    int64_t *at, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	*at = 0;
	if ((st = store_prepare(s, "SELECT coalesce(password_set_at, 0) FROM "
	    "account WHERE system = ? AND login = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	if ((r = store_step(st, cause)) == STORE_ROW)
		*at = store_col_int(st, 0);
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

int
core_password_remember(struct store *s, const char *system,
    const char *login, const char *pw, int64_t set_at, char **cause)
{
	struct core_policy	 p;
	char			 hash[crypto_pwhash_STRBYTES];
	char			 at[24], keep[12];
	int			 r;

	if (core_password_policy(s, system, login, &p, cause) != 0)
		return -1;
	if (set_at < 0 && password_set_at(s, system, login, &set_at,
	    cause) != 0)
		return -1;
	if (p.history <= 0)
		return core_sql(s, "DELETE FROM password_history WHERE "
		    "system = ? AND login = ?", cause, 2, system, login);
	if (crypto_pwhash_str_alg(hash, pw, strlen(pw), PW_OPSLIMIT,
	    PW_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		xasprintf(cause, _("hashing the password for its history: out "
		    "of memory"));
		return -1;
	}
	snprintf(at, sizeof at, "%lld", (long long)set_at);
	snprintf(keep, sizeof keep, "%d", p.history);
	r = core_sql(s, "INSERT OR REPLACE INTO password_history (system, "
	    "login, set_at, hash) VALUES (?, ?, CAST(? AS INTEGER), ?)", cause,
	    4, system, login, at, hash);
	sodium_memzero(hash, sizeof hash);
	if (r != 0)
		return -1;
	/* The newest history hashes stay; older ones are of no use. */
	return core_sql(s, "DELETE FROM password_history WHERE system = ?1 AND "
	    "login = ?2 AND (set_at, hash) NOT IN (SELECT set_at, hash FROM "
	    "password_history "
	    "WHERE system = ?1 AND login = ?2 ORDER BY set_at DESC LIMIT "
	    "CAST(?3 AS INTEGER))", cause, 3, system, login, keep);
}

/*
 * One ID whose temporary password is past its deadline.  Only the states
 * id.lock starts from are swept: a locked, expired or revoked ID cannot
 * log in with it anyway.
 */
struct sweep_due {
	char	 system[40];
	char	 login[40];
	int64_t	 set_at;			/* when the temporary was set */
	int	 manual;			/* cannot be asked */
	int	 verdict;			/* SWEEP_* */
	int64_t	 changed;			/* the target's last change */
};
enum { SWEEP_UNKNOWN, SWEEP_SEEN, SWEEP_LOCK };

static int
sweep_due_list(struct store *s, time_t now, struct sweep_due **due,
    size_t *n, char **cause)
{
	struct store_stmt	*st;
	size_t			 cap = 0;
	int			 r;

	*due = NULL;
	*n = 0;
	/*
	 * Through the partial index of temporary passwords: left to itself
	 * the planner walks every ID in key order to spare the sort, and
	 * the sweep runs every minute and as the console starts.
	 */
	if ((st = store_prepare(s, "SELECT a.system, a.login, "
	    "coalesce(a.password_set_at, 0), y.type = 'manual' FROM account a "
	    "INDEXED BY account_temp JOIN system y ON y.name = a.system WHERE "
	    "a.password_temp_until IS NOT NULL AND a.password_temp_until < ? "
	    "AND a.state IN ('active', 'suspended', 'pending', 'dormant') "
	    "ORDER BY a.system, a.login", cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)now);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		*due = xgrow(*due, &cap, *n + 1, sizeof **due);
		memset(&(*due)[*n], 0, sizeof (*due)[*n]);
		snprintf((*due)[*n].system, sizeof (*due)[*n].system, "%s",
		    store_col_text(st, 0));
		snprintf((*due)[*n].login, sizeof (*due)[*n].login, "%s",
		    store_col_text(st, 1));
		(*due)[*n].set_at = store_col_int(st, 2);
		(*due)[*n].manual = store_col_int(st, 3) != 0;
		(*n)++;
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

static int
sweep_acc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct target_account *)a)->login,
	    ((const struct target_account *)b)->login);
}

/*
 * The verdict on due[0..n), all on one system, from its listing.  A
 * change counts when no change is forced any more and the last change is
 * on or after the day the temporary password was set (shadow keeps days,
 * not seconds).  A system that cannot be listed leaves them unknown.
 */
static void
sweep_judge(struct store *s, struct sweep_due *due, size_t n)
{
	struct target_account	*acc = NULL, key, *hit;
	size_t			 nacc = 0, i;
	char			*why = NULL;
	int64_t			 day;

	if (due[0].manual || core_system_listing(s, due[0].system, &acc,
	    &nacc, &why) != 0) {
		free(why);
		return;
	}
	if (nacc > 0)
		qsort(acc, nacc, sizeof *acc, sweep_acc_cmp);
	for (i = 0; i < n; i++) {
		memset(&key, 0, sizeof key);
		snprintf(key.login, sizeof key.login, "%s", due[i].login);
		hit = nacc > 0 ? bsearch(&key, acc, nacc, sizeof *acc,
		    sweep_acc_cmp) : NULL;
		day = due[i].set_at - due[i].set_at % 86400;
		if (hit != NULL && hit->must_change == 0 &&
		    hit->last_change >= 0 && hit->last_change >= day) {
			due[i].verdict = SWEEP_SEEN;
			due[i].changed = hit->last_change;
		} else
			due[i].verdict = SWEEP_LOCK;
	}
	free(acc);
}

/* Record the verdicts as the system, in one transaction. */
static int
sweep_record(struct store *s, struct sweep_due *due, size_t n,
    struct core_password_sweep *out, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct store_args	 a;
	char			 at[24];
	size_t			 i;
	int			 r;

	if (core_begin(s, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (due[i].verdict == SWEEP_UNKNOWN) {
			out->unknown++;
			continue;
		}
		memset(&a, 0, sizeof a);
		store_args_add(&a, "system", due[i].system);
		store_args_add(&a, "login", due[i].login);
		if (due[i].verdict == SWEEP_SEEN) {
			snprintf(at, sizeof at, "%lld",
			    (long long)due[i].changed);
			store_args_add(&a, "set_at", at);
			r = core_run(s, "id.password_seen", &sys, &a, NULL,
			    cause);
			out->seen++;
		} else {
			store_args_add(&a, "reason", CORE_TEMP_EXPIRED_REASON);
			r = core_run(s, "id.lock", &sys, &a, NULL, cause);
			out->locked++;
		}
		if (r != 0) {
			core_rollback(s);
			return -1;
		}
	}
	return core_commit(s, cause);
}

int
core_password_sweep(struct store *s, time_t now,
    struct core_password_sweep *out, char **cause)
{
	struct sweep_due	*due;
	size_t			 n, i, j;
	int			 r;

	memset(out, 0, sizeof *out);
	if (store_clock_check(s, cause) != 0 ||
	    sweep_due_list(s, now, &due, &n, cause) != 0)
		return -1;
	out->due = n;
	/* One listing per system (the rows come ordered by system). */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(due[j].system,
		    due[i].system) == 0; j++)
			;
		sweep_judge(s, due + i, j - i);
	}
	for (i = 0; i < n && due[i].verdict == SWEEP_UNKNOWN; i++)
		;
	r = 0;
	if (i < n)
		r = sweep_record(s, due, n, out, cause);
	else
		out->unknown = n;
	free(due);
	return r;
}
