/*
 * outbox.c -- carrying the ledger's changes out to the systems.
 *
 * Actions queue target operations in the outbox, in the transaction that
 * records them.  core_outbox_run takes each system's pending operations,
 * applies them to its target as one batch, and records each result as an
 * outbox.result entry (one transaction for the batch), whose apply marks
 * the row applied, or counts the attempt and keeps the error.  A crash at
 * any point loses nothing: an operation without a result is still
 * pending, and the next run applies it again (the targets' operations are
 * idempotent: locking a locked account is done, and a create finds the
 * never-used account it made; see unix_create_resume).
 *
 * A created (or reset) account's temporary password comes back from the
 * target; it goes to the caller's reveal function, once, and never into
 * the ledger, and only when the operation is the caller's own action's:
 * an unattended run (the timer) or a retry of someone else's operation
 * never shows one.  The result then says password=unrevealed, which marks
 * the ID as needing a fresh temporary password from an operator.
 *
 * A password an operator set (id.set_password, id.rotate_password) goes
 * the other way and is never stored anywhere: its outbox row, op
 * "password", has arg "", and only the process that ran the action holds
 * the password, in memory, which it hands to core_outbox_run_secret right
 * after the commit.  The target's TARGET_SET_PASSWORD request gets it in
 * req.secret, in sodium_malloc'd memory wiped after.  Any other run that
 * meets a pending "password" row (the timer, a retry after a crash) has
 * no password to give: it records the row failed for good at once,
 * without asking the target, and the password must be set again.
 */
#include "config.h"

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common.h"
#include "targets.h"
#include "core-int.h"

#define OUTBOX_MAX_ATTEMPTS	5	/* then the row is failed for good */
#define OUTBOX_NO_SECRET	"the password was never stored; set it again"

static int
result_validate(struct core_run *run, char **cause)
{
	const char		*system, *login, *entry, *seq, *result, *pw;
	struct store_stmt	*st;
	int			 r;

	if (core_arg(run, "system", &system, cause) != 0 ||
	    core_arg(run, "login", &login, cause) != 0 ||
	    core_arg(run, "entry", &entry, cause) != 0 ||
	    core_arg(run, "seq", &seq, cause) != 0 ||
	    core_arg(run, "result", &result, cause) != 0)
		return -1;
	if (strcmp(result, "applied") != 0 && strcmp(result, "failed") != 0) {
		xasprintf(cause, _("outbox.result: result must be applied or "
		    "failed"));
		return -1;
	}
	if ((pw = store_args_get(&run->args, "final")) != NULL &&
	    strcmp(pw, "1") != 0) {
		xasprintf(cause, _("outbox.result: final must be 1"));
		return -1;
	}
	if ((pw = store_args_get(&run->args, "password")) != NULL &&
	    strcmp(pw, "shown") != 0 && strcmp(pw, "unrevealed") != 0) {
		xasprintf(cause, _("outbox.result: password must be shown or "
		    "unrevealed"));
		return -1;
	}
	if ((st = store_prepare(run->store, "SELECT 1 FROM outbox WHERE "
	    "entry_idx = ? AND seq = ? AND state = 'pending'", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, entry);
	store_bind_text(st, 2, seq);
	r = store_step(st, cause);
	store_finalize(st);
	if (r == -1)
		return -1;
	if (r != STORE_ROW) {
		xasprintf(cause, _("outbox.result: no pending operation %s/%s"),
		    entry, seq);
		return -1;
	}
	xasprintf(&run->subject, "id:%s/%s", system, login);
	return 0;
}

static int
result_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	char			 max[8];

	const char		*pw = store_args_get(a, "password");

	snprintf(max, sizeof max, "%d", OUTBOX_MAX_ATTEMPTS);
	/*
	 * A temporary password that nobody saw is as good as none: the ID
	 * is marked until an operator issues a fresh one and sees it.
	 */
	if (pw != NULL && core_sql(s, "UPDATE account SET "
	    "password_unrevealed = (?3 = 'unrevealed') WHERE system = ?1 AND "
	    "login = ?2", cause, 3, store_args_get(a, "system"),
	    store_args_get(a, "login"), pw) != 0)
		return -1;
	return core_sql(s, "UPDATE outbox SET attempts = attempts + 1, "
	    "last_error = ?4, state = CASE WHEN ?3 = 'applied' THEN 'applied' "
	    "WHEN ?6 = '1' OR attempts + 1 >= CAST(?5 AS INTEGER) THEN "
	    "'failed' ELSE 'pending' END WHERE entry_idx = CAST(?1 AS "
	    "INTEGER) AND seq = CAST(?2 AS INTEGER)", cause, 6,
	    store_args_get(a, "entry"), store_args_get(a, "seq"),
	    store_args_get(a, "result"), store_args_get(a, "error"), max,
	    store_args_get(a, "final"));
}

static const struct core_param outbox_result_params[] = {
	{ "system", CORE_ARG_REQUIRED, N_("the system") },
	{ "login", CORE_ARG_REQUIRED, N_("the account") },
	{ "op", 0, N_("the operation") },
	{ "entry", CORE_ARG_REQUIRED, N_("the entry that queued it") },
	{ "seq", CORE_ARG_REQUIRED, N_("its row in that entry") },
	{ "result", CORE_ARG_REQUIRED, N_("applied or failed") },
	{ "error", 0, N_("why it failed") },
	{ "notice", 0, N_("a word on an applied operation") },
	{ "final", 0, N_("1: failed for good, never retried (a password "
	    "nobody holds any more)") },
	{ "password", 0, N_("for a create or reset: shown (to the operator "
	    "who asked) or unrevealed (an unattended run: a fresh one must "
	    "be issued)") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_outbox_result = {
	.name = "outbox.result",
	.summary = N_("A target applied (or failed) a queued operation"),
	.roles = CORE_ROLE_SYSTEM,
	.flags = CORE_INTERNAL,
	.params = outbox_result_params,
	.validate = result_validate,
	.apply = result_apply,
};

struct pending {
	char		 entry[24];
	char		 seq[12];
	int		 reveal;		/* its secret may be shown */
	int		 secret;		/* a "password" row: it gets the
						   caller's password, or fails */
	int		 final;			/* failed for good at once */
};

/* What one run carries: whose entry it is, and its password if any. */
struct outbox_run {
	uint64_t	 mine;			/* the caller's entry, or 0 */
	const char	*secret;		/* for mine's "password" rows */
	void		(*reveal)(void *, const char *, const char *,
			    const char *);
	void		*arg;
};

/* Record the batch's results: one entry each, one transaction. */
static int
outbox_record(struct store *s, const char *system, struct target_req *reqs,
    const struct pending *p, size_t n, struct core_outbox_stats *stats,
    char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct store_args	 a;
	size_t			 i;

	if (core_begin(s, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		memset(&a, 0, sizeof a);
		store_args_add(&a, "system", system);
		store_args_add(&a, "login", reqs[i].login);
		store_args_add(&a, "op", target_op_name(reqs[i].op));
		store_args_add(&a, "entry", p[i].entry);
		store_args_add(&a, "seq", p[i].seq);
		store_args_add(&a, "result", reqs[i].done ? "applied" :
		    "failed");
		if (!reqs[i].done)
			store_args_add(&a, "error", reqs[i].error[0] != '\0' ?
			    reqs[i].error : "failed");
		else if (reqs[i].error[0] != '\0')
			/* Applied, with a word on it (end-sessions did). */
			store_args_add(&a, "notice", reqs[i].error);
		if (!reqs[i].done && p[i].final)
			store_args_add(&a, "final", "1");
		if (reqs[i].done && reqs[i].secret[0] != '\0' && !p[i].secret)
			store_args_add(&a, "password", p[i].reveal ? "shown" :
			    "unrevealed");
		if (core_run(s, "outbox.result", &sys, &a, NULL, cause) != 0) {
			core_rollback(s);
			return -1;
		}
		if (reqs[i].done)
			stats->applied++;
		else
			stats->failed++;
	}
	return core_commit(s, cause);
}

/*
 * Move the requests refused before reaching the target (an error already
 * set) behind the others, keeping each pending row with its request; the
 * count of the rest, which go to the target.
 */
static size_t
outbox_refused_last(struct target_req *reqs, struct pending *p, size_t n)
{
	struct target_req	 tr;
	struct pending		 tp;
	size_t			 i, m = 0;

	for (i = 0; i < n; i++) {
		if (reqs[i].error[0] != '\0')
			continue;
		if (i != m) {
			tr = reqs[m], reqs[m] = reqs[i], reqs[i] = tr;
			tp = p[m], p[m] = p[i], p[i] = tp;
		}
		m++;
	}
	return m;
}

/* The system's type and configuration; config NULL when there is none. */
static int
outbox_system_row(struct store *s, const char *system, char *type,
    size_t len, char **config, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	*config = NULL;
	if ((st = store_prepare(s, "SELECT type, config FROM system WHERE "
	    "name = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	if ((r = store_step(st, cause)) == STORE_ROW) {
		snprintf(type, len, "%s", store_col_text(st, 0));
		*config = xstrdup(store_col_text(st, 1));
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/*
 * One pending row into its request.  A "password" row is
 * TARGET_SET_PASSWORD: it gets the run's password when it is the run's
 * own, and is refused for good otherwise (nobody holds the password).
 */
static void
outbox_row(struct store_stmt *st, const struct outbox_run *run,
    struct target_req *req, struct pending *p)
{
	const char	*op = store_col_text(st, 2);
	int		 mine = run->mine != 0 &&
	    (uint64_t)store_col_int(st, 0) == run->mine;

	memset(req, 0, sizeof *req);
	memset(p, 0, sizeof *p);
	snprintf(p->entry, sizeof p->entry, "%s", store_col_text(st, 0));
	snprintf(p->seq, sizeof p->seq, "%s", store_col_text(st, 1));
	p->reveal = run->reveal != NULL && mine;
	snprintf(req->login, sizeof req->login, "%s", store_col_text(st, 3));
	if (strcmp(op, "password") == 0) {
		req->op = TARGET_SET_PASSWORD;
		p->secret = 1;
		if (!mine || run->secret == NULL) {
			p->final = 1;
			snprintf(req->error, sizeof req->error, "%s",
			    OUTBOX_NO_SECRET);
		}
		return;
	}
	req->op = target_op_parse(op);
	/* Never cut: a value the request cannot carry is refused. */
	if ((size_t)snprintf(req->arg, sizeof req->arg, "%s",
	    store_col_text(st, 4)) >= sizeof req->arg) {
		memset(req->arg, 0, sizeof req->arg);
		snprintf(req->error, sizeof req->error, "the argument is longer "
		    "than a target request carries (%zu bytes)",
		    sizeof req->arg - 1);
	}
}

/*
 * The system's pending rows as requests (*reqs, *p; caller frees); with
 * the run's password, the requests live in sodium_malloc'd memory
 * (*guarded set: free them with sodium_free) and the run's "password"
 * rows hold it.  The number of rows, or -1 with *cause.
 */
static ssize_t
outbox_rows(struct store *s, const char *system, const struct outbox_run *run,
    struct target_req **reqs, struct pending **p, int *guarded, char **cause)
{
	struct store_stmt	*st;
	struct target_req	*g;
	size_t			 n = 0, i, rcap = 0, pcap = 0;
	int			 r;

	*reqs = NULL;
	*p = NULL;
	*guarded = 0;
	/*
	 * An unlock carries the ID's end date as it is now (or "never"): a
	 * target whose lock also expires the account (unix) puts it back.
	 */
	if ((st = store_prepare(s, "SELECT o.entry_idx, o.seq, o.op, o.login, "
	    "CASE WHEN o.op = 'unlock' THEN coalesce(a.end_date, 'never') ELSE "
	    "o.arg END FROM outbox o LEFT JOIN account a ON a.system = "
	    "o.system AND a.login = o.login WHERE o.system = ? AND o.state = "
	    "'pending' ORDER BY o.entry_idx, o.seq", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		*reqs = xgrow(*reqs, &rcap, n + 1, sizeof **reqs);
		*p = xgrow(*p, &pcap, n + 1, sizeof **p);
		outbox_row(st, run, &(*reqs)[n], &(*p)[n]);
		n++;
	}
	store_finalize(st);
	if (r == -1)
		return -1;
	if (run->secret == NULL || n == 0)
		return (ssize_t)n;
	/* The password only ever in guarded memory, wiped when freed. */
	if ((g = sodium_allocarray(n, sizeof *g)) == NULL)
		fatalx("sodium_allocarray: out of memory");
	memcpy(g, *reqs, n * sizeof *g);
	free(*reqs);
	*reqs = g;
	*guarded = 1;
	for (i = 0; i < n; i++) {
		if ((*p)[i].secret && !(*p)[i].final)
			snprintf(g[i].secret, sizeof g[i].secret, "%s",
			    run->secret);
	}
	return (ssize_t)n;
}

/*
 * Apply one system's pending operations.  A temporary password is shown
 * (through reveal) only for the operations of entry mine, the action the
 * operator at hand just ran; any other (a retry, someone else's action)
 * applies without showing it, and its result says so.
 */
static int
outbox_system(struct store *s, const char *system, const struct outbox_run *run,
    struct core_outbox_stats *stats, char **cause)
{
	const struct target_type *tt = NULL;
	struct target		*t = NULL;
	struct target_req	*reqs = NULL;
	struct pending		*p = NULL;
	char			 type[16] = "", *config = NULL, *why = NULL;
	size_t			 n, m, i;
	ssize_t			 got;
	int			 guarded = 0, ret = -1;

	if (outbox_system_row(s, system, type, sizeof type, &config,
	    cause) != 0)
		return -1;
	/*
	 * A manual system's operations are work orders: a person carries
	 * them out and records it (core/workorder.c).  No target is tried.
	 */
	if (strcmp(type, "manual") == 0) {
		free(config);
		return 0;
	}
	if ((got = outbox_rows(s, system, run, &reqs, &p, &guarded,
	    cause)) <= 0) {
		ret = got == -1 ? -1 : 0;
		goto out;
	}
	n = (size_t)got;
	stats->systems++;

	/* A system that cannot be reached fails its batch, to be retried. */
	m = n;
	if (config == NULL)
		xasprintf(&why, "no system %s", system);
	else if ((tt = target_type_find(type)) == NULL)
		xasprintf(&why, "no target of type %s in this daicho", type);
	else if ((m = outbox_refused_last(reqs, p, n)) > 0 &&
	    (t = tt->open(config, &why)) != NULL)
		/* The refused ones went last: the target never sees them. */
		(void)tt->apply(t, reqs, m, &why); /* why set on failure */
	for (i = 0; why != NULL && i < m; i++) {
		reqs[i].done = 0;
		snprintf(reqs[i].error, sizeof reqs[i].error, "%s", why);
	}
	for (i = 0; i < n; i++) {
		if (p[i].secret)	/* never shown, whatever the target left */
			sodium_memzero(reqs[i].secret, sizeof reqs[i].secret);
	}
	ret = outbox_record(s, system, reqs, p, n, stats, cause);
	for (i = 0; i < n; i++) {
		if (ret == 0 && reqs[i].done && reqs[i].secret[0] != '\0' &&
		    p[i].reveal)
			run->reveal(run->arg, system, reqs[i].login,
			    reqs[i].secret);
		sodium_memzero(reqs[i].secret, sizeof reqs[i].secret);
	}
out:
	if (tt != NULL && t != NULL)
		tt->close(t);
	free(why);
	if (guarded)
		sodium_free(reqs);
	else
		free(reqs);
	free(p);
	free(config);
	return ret;
}

int
core_outbox_run(struct store *s, struct core_outbox_stats *stats,
    char **cause)
{
	return core_outbox_run_progress(s, 0, NULL, NULL, NULL, stats, cause);
}

/* Every system with pending rows (of entry, unless 0), in turn. */
static int
outbox_run(struct store *s, const struct outbox_run *run,
    void (*progress)(void *, const char *, size_t, size_t),
    struct core_outbox_stats *stats, char **cause)
{
	struct store_stmt	*st;
	char			**systems = NULL;
	size_t			 n = 0, i;
	int			 r, ret = 0;

	memset(stats, 0, sizeof *stats);
	if ((st = store_prepare(s, "SELECT DISTINCT system FROM outbox WHERE "
	    "state = 'pending' AND (?1 = 0 OR entry_idx = ?1) ORDER BY system",
	    cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)run->mine);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		systems = xreallocarray(systems, n + 1, sizeof *systems);
		systems[n++] = xstrdup(store_col_text(st, 0));
	}
	store_finalize(st);
	if (r == -1)
		ret = -1;
	for (i = 0; i < n; i++) {
		if (ret == 0 && progress != NULL)
			progress(run->arg, systems[i], i, n);
		if (ret == 0 && outbox_system(s, systems[i], run, stats,
		    cause) != 0)
			ret = -1;
		free(systems[i]);
	}
	if (ret == 0 && progress != NULL && n > 0)
		progress(run->arg, NULL, n, n);
	free(systems);
	return ret;
}

int
core_outbox_run_progress(struct store *s, uint64_t entry,
    void (*reveal)(void *, const char *, const char *, const char *),
    void (*progress)(void *, const char *, size_t, size_t), void *arg,
    struct core_outbox_stats *stats, char **cause)
{
	struct outbox_run	 run = { entry, NULL, reveal, arg };

	return outbox_run(s, &run, progress, stats, cause);
}

int
core_outbox_run_secret(struct store *s, uint64_t entry, const char *secret,
    void (*reveal)(void *, const char *, const char *, const char *),
    void (*progress)(void *, const char *, size_t, size_t), void *arg,
    struct core_outbox_stats *stats, char **cause)
{
	struct outbox_run	 run = { entry, secret, reveal, arg };

	if (entry == 0 || secret == NULL) {
		xasprintf(cause, _("outbox: a password goes only to the entry "
		    "that set it"));
		return -1;
	}
	if (strlen(secret) >= sizeof ((struct target_req *)NULL)->secret) {
		xasprintf(cause, _("outbox: the password is longer than a "
		    "target request carries"));
		return -1;
	}
	return outbox_run(s, &run, progress, stats, cause);
}
