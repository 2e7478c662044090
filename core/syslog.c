/*
 * syslog.c -- account changes and operator logins, told to the system's
 * own logs: syslog (LOG_AUTHPRIV, ident "daicho", as shadow-utils and
 * sudo log) and, where the kernel has it, the Linux audit trail through
 * libaudit (as shadow-utils' useradd, usermod, userdel and login do).
 *
 * Neither replaces the ledger: they are copies for the people and tools
 * that watch the system's logs (a SIEM, auditd's rules), sent only after
 * the ledger has the change for good.  A log that cannot be written never
 * fails anything: syslog(3) and the audit calls are fire and forget.
 *
 * What is an account change.  Every change daicho makes to an account on
 * a system passes through the outbox (the target operations an entry
 * queues: create, lock, unlock, expire, delete, password, ...), and the
 * register's own changes to an ID that no system sees (its owner, the
 * users of a shared ID, break-glass) are the id.* actions.  So an entry
 * is an account change when it queued target operations or its action
 * is an id.* one.  The criterion needs no list of actions kept by hand:
 * a new action that locks accounts queues locks, and is logged.
 *
 * How.  core_run and core_commit note each entry as it is appended
 * (core_syslog_note); after the commit core_syslog_done reads the
 * transaction's outbox rows in one pass and sends one syslog line per
 * account change (action, subject, operator, second person, the entry's
 * index, what it queued) and one audit event per account it queued an
 * operation for (AUDIT_ADD_USER for a create, AUDIT_DEL_USER for a
 * delete, AUDIT_USER_MGMT for anything else); a rollback forgets them.
 * Logins are sent as they are decided (core_syslog_login, from login.c);
 * a console login is also an AUDIT_USER_LOGIN event, as login(1) sends.
 *
 * Never a secret: no argument of an entry is sent, only its action,
 * subject, operators and index; a failed login names the claimed user
 * only when it is an operator's (core_failure_user).  Every value is
 * escaped (common/vis.c) and quoted when it holds a space, so nothing
 * anyone else wrote can break a line or forge a field.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <libaudit.h>

#include "common.h"
#include "core-int.h"

#define SYSLOG_VALUE_MAX	200	/* bytes of one value sent */
#define SYSLOG_AUDIT_NO_ID	((unsigned int)-1)

/* One entry of the open transaction, until its commit. */
struct syslog_note {
	uint64_t	 index;
	char		*action;
	char		*operator;
	char		*approver;		/* NULL when none */
	char		*subject;
	char		*tty;			/* session.lock's, else NULL */
};

static struct {
	struct syslog_note *v;
	size_t		 n, cap;
} syslog_pending;

static int	syslog_opened;
static int	syslog_quiet;
static int	syslog_audit_fd = -1;

int
core_syslog_open(void)
{
	if (syslog_opened)
		return syslog_audit_fd >= 0;
	syslog_opened = 1;
	openlog("daicho", LOG_PID, LOG_AUTHPRIV);
	if ((syslog_audit_fd = audit_open()) >= 0)
		return 1;
	/*
	 * A kernel without audit, or a container that may not talk to it:
	 * nothing to send to, as shadow-utils decides.  Anything else is
	 * worth a line, but never stops the work.
	 */
	if (errno != EINVAL && errno != EPROTONOSUPPORT &&
	    errno != EAFNOSUPPORT && errno != EPERM)
		syslog(LOG_AUTHPRIV | LOG_WARNING, "audit_open: %s",
		    strerror(errno));
	return 0;
}

/*
 * Append " key=value" to line (size bytes, NUL-terminated), the value
 * escaped as vis_str escapes and cut at SYSLOG_VALUE_MAX bytes; quoted,
 * with '"' as \x22, when it is empty or holds a space, '"' or '='.
 */
void
core_syslog_field(char *line, size_t size, const char *key,
    const char *value)
{
	size_t	 len = strlen(line), n = strlen(value), i;
	char	*v, *q;
	int	 quote;

	if (n > SYSLOG_VALUE_MAX)
		n = SYSLOG_VALUE_MAX;
	v = vis_buf(value, n, 0);
	quote = *v == '\0' || strpbrk(v, " \"=") != NULL;
	q = xreallocarray(NULL, strlen(v) + 1, 4);
	for (i = 0, n = 0; v[i] != '\0'; i++) {
		if (v[i] == '"') {
			memcpy(q + n, "\\x22", 4);
			n += 4;
		} else
			q[n++] = v[i];
	}
	q[n] = '\0';
	if (len < size)
		snprintf(line + len, size - len, "%s%s=%s%s%s%s",
		    len > 0 ? " " : "", key, quote ? "\"" : "", q,
		    strlen(value) > SYSLOG_VALUE_MAX ? "..." : "",
		    quote ? "\"" : "");
	free(q);
	free(v);
}

static void
syslog_note_free(struct syslog_note *n)
{
	free(n->action);
	free(n->operator);
	free(n->approver);
	free(n->subject);
	free(n->tty);
}

void
core_syslog_forget(void)
{
	size_t	 i;

	for (i = 0; i < syslog_pending.n; i++)
		syslog_note_free(&syslog_pending.v[i]);
	syslog_pending.n = 0;
}

int
core_syslog_quiet(int quiet)
{
	int	 was = syslog_quiet;

	syslog_quiet = quiet;
	return was;
}

void
core_syslog_note(const struct core_action *a, const struct store_entry *e)
{
	struct syslog_note	*n;
	const char		*tty = NULL;

	if (syslog_quiet)
		return;
	if (a == &core_action_session_lock)
		tty = store_args_get(&e->args, "tty");
	else if (a->flags & CORE_INTERNAL)
		return;		/* daicho's own records: results, sessions */
	if (syslog_pending.n == syslog_pending.cap) {
		syslog_pending.cap = syslog_pending.cap == 0 ? 16 :
		    syslog_pending.cap * 2;
		syslog_pending.v = xreallocarray(syslog_pending.v,
		    syslog_pending.cap, sizeof *syslog_pending.v);
	}
	n = &syslog_pending.v[syslog_pending.n++];
	n->index = e->index;
	n->action = xstrdup(e->action);
	n->operator = xstrdup(e->operator);
	n->approver = e->approver != NULL ? xstrdup(e->approver) : NULL;
	n->subject = xstrdup(e->subject);
	n->tty = tty != NULL ? xstrdup(tty) : NULL;
}

/* One audit event for an account an entry changed. */
static void
syslog_audit_acct(const char *action, const char *system, const char *login,
    const char *op)
{
	char	 what[128];
	int	 type = AUDIT_USER_MGMT;

	if (syslog_audit_fd < 0 || strcmp(login, "-") == 0)
		return;
	if (op != NULL && strcmp(op, "create") == 0)
		type = AUDIT_ADD_USER;
	else if (op != NULL && strcmp(op, "delete") == 0)
		type = AUDIT_DEL_USER;
	/* Names of both are checked when recorded: no quote, no space. */
	snprintf(what, sizeof what, "%s system=\"%s\"%s%s%s", action, system,
	    op != NULL ? " daicho-op=\"" : "", op != NULL ? op : "",
	    op != NULL ? "\"" : "");
	audit_log_acct_message(syslog_audit_fd, type, NULL, what, login,
	    SYSLOG_AUDIT_NO_ID, NULL, NULL, NULL, 1);
}

/* "id:SYSTEM/LOGIN": an id.* action's account, for its audit event. */
static void
syslog_audit_subject(const struct syslog_note *n)
{
	char		 system[64];
	const char	*slash;

	if (strncmp(n->subject, "id:", 3) != 0 ||
	    (slash = strchr(n->subject + 3, '/')) == NULL ||
	    (size_t)(slash - n->subject - 3) >= sizeof system)
		return;
	memcpy(system, n->subject + 3, (size_t)(slash - n->subject - 3));
	system[slash - n->subject - 3] = '\0';
	syslog_audit_acct(n->action, system, slash + 1, NULL);
}

/* The idle lock of a console: a line, no audit event (no account). */
static void
syslog_send_lock(const struct syslog_note *n)
{
	char	 line[1024] = "", idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)n->index);
	core_syslog_field(line, sizeof line, "user", n->operator);
	core_syslog_field(line, sizeof line, "tty", n->tty != NULL ? n->tty :
	    "-");
	core_syslog_field(line, sizeof line, "reason", "idle");
	core_syslog_field(line, sizeof line, "entry", idx);
	syslog(LOG_AUTHPRIV | LOG_INFO, "terminal locked: %s", line);
}

/* The account-change line of note n, which queued rows operations. */
static void
syslog_send_change(const struct syslog_note *n, size_t rows,
    const char *op)
{
	char	 line[1024] = "", num[24];

	core_syslog_field(line, sizeof line, "action", n->action);
	core_syslog_field(line, sizeof line, "subject", n->subject);
	core_syslog_field(line, sizeof line, "operator", n->operator);
	core_syslog_field(line, sizeof line, "approver", n->approver != NULL ?
	    n->approver : "-");
	snprintf(num, sizeof num, "%llu", (unsigned long long)n->index);
	core_syslog_field(line, sizeof line, "entry", num);
	snprintf(num, sizeof num, "%zu", rows);
	core_syslog_field(line, sizeof line, "queued", num);
	if (rows == 1 && op != NULL)
		core_syslog_field(line, sizeof line, "op", op);
	syslog(LOG_AUTHPRIV | LOG_NOTICE, "account change: %s", line);
}

/*
 * Send the notes of a committed transaction, walking its outbox rows
 * (by entry, then sequence) beside them.  A read that fails leaves the
 * rest unsaid: the ledger has it all.
 */
static void
syslog_send_all(struct store *s)
{
	struct store_stmt	*st;
	struct syslog_note	*n;
	size_t			 i, rows;
	char			*cause = NULL, op[32];
	int			 r;

	st = store_prepare(s, "SELECT entry_idx, system, login, op FROM "
	    "outbox WHERE entry_idx BETWEEN ?1 AND ?2 ORDER BY entry_idx, seq",
	    &cause);
	if (st == NULL) {
		syslog(LOG_AUTHPRIV | LOG_ERR, "reading the outbox: %s", cause);
		free(cause);
		return;
	}
	store_bind_int(st, 1, (int64_t)syslog_pending.v[0].index);
	store_bind_int(st, 2,
	    (int64_t)syslog_pending.v[syslog_pending.n - 1].index);
	r = store_step(st, &cause);
	for (i = 0; i < syslog_pending.n; i++) {
		n = &syslog_pending.v[i];
		while (r == STORE_ROW &&
		    (uint64_t)store_col_int(st, 0) < n->index)
			r = store_step(st, &cause);
		rows = 0;
		op[0] = '\0';
		while (r == STORE_ROW &&
		    (uint64_t)store_col_int(st, 0) == n->index) {
			snprintf(op, sizeof op, "%s", store_col_text(st, 3));
			syslog_audit_acct(n->action, store_col_text(st, 1),
			    store_col_text(st, 2), op);
			rows++;
			r = store_step(st, &cause);
		}
		if (n->tty != NULL)
			syslog_send_lock(n);
		else if (rows > 0 || strncmp(n->action, "id.", 3) == 0) {
			if (rows == 0)
				syslog_audit_subject(n);
			syslog_send_change(n, rows, op);
		}
	}
	if (r == -1) {
		syslog(LOG_AUTHPRIV | LOG_ERR, "reading the outbox: %s", cause);
		free(cause);
	}
	store_finalize(st);
}

void
core_syslog_done(struct store *s, int committed)
{
	if (committed && syslog_pending.n > 0) {
		core_syslog_open();
		syslog_send_all(s);
	}
	core_syslog_forget();
}

void
core_syslog_login(const char *what, const char *user, const char *tty,
    const char *result, const char *reason, const char *action)
{
	char	 line[1024] = "";
	int	 ok = strcmp(result, "success") == 0;

	core_syslog_open();
	core_syslog_field(line, sizeof line, "user", user);
	core_syslog_field(line, sizeof line, "tty", tty);
	core_syslog_field(line, sizeof line, "result", result);
	if (action != NULL)
		core_syslog_field(line, sizeof line, "for", action);
	if (reason != NULL)
		core_syslog_field(line, sizeof line, "reason", reason);
	syslog(LOG_AUTHPRIV | (ok ? LOG_INFO : LOG_NOTICE), "%s: %s", what,
	    line);
	/* A console login is a login to the system, as login(1)'s is. */
	if (syslog_audit_fd >= 0 && strcmp(what, "console login") == 0 &&
	    strcmp(result, "not-completed") != 0)
		audit_log_acct_message(syslog_audit_fd, AUDIT_USER_LOGIN,
		    NULL, "login", user, SYSLOG_AUDIT_NO_ID, NULL, NULL,
		    tty, ok);
}

void
core_syslog_terminal_locked(const char *tty, const char *user, int attempts,
    int64_t until)
{
	char		 line[1024] = "", num[32];
	time_t		 t = (time_t)until;
	struct tm	 tm;

	core_syslog_open();
	core_syslog_field(line, sizeof line, "tty", tty);
	core_syslog_field(line, sizeof line, "user", user);
	core_syslog_field(line, sizeof line, "reason",
	    "too many failed logins");
	snprintf(num, sizeof num, "%d", attempts);
	core_syslog_field(line, sizeof line, "attempts", num);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(num, sizeof num, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(num, sizeof num, "%lld", (long long)until);
	core_syslog_field(line, sizeof line, "until", num);
	syslog(LOG_AUTHPRIV | LOG_WARNING, "terminal locked: %s", line);
}
