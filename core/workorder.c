/*
 * workorder.c -- the manual target: operations a person carries out.
 *
 * A system of type manual is one daicho cannot reach: a vendor's console,
 * a card system, a register kept on paper.  The outbox rows queued for it
 * are work orders.  core_outbox_run leaves them pending, and a person
 * closes each one:
 *
 *	workorder.done		the admin who did the work records what was
 *				done, and an approver confirms it (two-person).
 *				The entry is the only evidence that the system
 *				changed: a false "done" would open a gap between
 *				the ledger and the system that nothing would
 *				ever show, so one person's word is not enough.
 *	workorder.refuse	the work cannot be done (the account is not
 *				there, the system is out of service): one admin
 *				records why and the row becomes failed.  One
 *				person is enough because a refusal hides
 *				nothing.  The failed row stays on the dashboard
 *				until someone acts on it, as the pending order
 *				did, and the ledger names who refused and why.
 *
 * Both mark the outbox row the way outbox.result does (the attempt
 * counted, the state applied or failed, the reason kept as last_error), so
 * replay rebuilds the same rows.  The work orders of one account are
 * closed in the order they were queued: confirming an unlock before the
 * lock queued ahead of it would leave the system in the wrong state, with
 * the ledger agreeing that all was done.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

#define WORKORDER_TEXT_MAX	512	/* bytes of a note or a reason */

/* The outbox columns a work order is read from, for workorder_fill. */
#define WORKORDER_COLUMNS \
	"o.entry_idx, o.seq, o.system, o.login, o.op, o.arg, o.state, " \
	"coalesce(s.type, '')"

/* Copy src into dst (len bytes) without cutting a UTF-8 character. */
static void
workorder_copy(char *dst, size_t len, const char *src)
{
	size_t	 n = strlen(src);

	if (n >= len) {
		n = len - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * The queuing entry's time, action and operator into w.  Work orders are
 * read in entry order and an incident queues thousands from one entry, so
 * the last entry parsed is kept in *last (the caller frees it).
 */
static int
workorder_entry(struct store *s, struct core_workorder *w,
    struct store_entry **last, char **cause)
{
	struct store_entry	*e;
	uint8_t			*bytes;
	size_t			 len;
	int			 r;

	if (*last == NULL || (*last)->index != w->entry) {
		if ((r = store_ledger_get(s, w->entry, &bytes, &len,
		    cause)) == -1)
			return -1;
		if (r == 1) {
			xasprintf(cause, _("work order %llu/%d: the ledger has "
			    "no entry %llu"), (unsigned long long)w->entry,
			    w->seq, (unsigned long long)w->entry);
			return -1;
		}
		e = store_entry_parse(bytes, len, cause);
		free(bytes);
		if (e == NULL)
			return -1;
		store_entry_free(*last);
		*last = e;
	}
	workorder_copy(w->queued, sizeof w->queued, (*last)->time);
	workorder_copy(w->action, sizeof w->action, (*last)->action);
	workorder_copy(w->queued_by, sizeof w->queued_by, (*last)->operator);
	return 0;
}

/* One row of a WORKORDER_COLUMNS query into w. */
static void
workorder_fill(struct store_stmt *st, struct core_workorder *w)
{
	memset(w, 0, sizeof *w);
	w->entry = (uint64_t)store_col_int(st, 0);
	w->seq = (int)store_col_int(st, 1);
	workorder_copy(w->system, sizeof w->system, store_col_text(st, 2));
	workorder_copy(w->login, sizeof w->login, store_col_text(st, 3));
	workorder_copy(w->op, sizeof w->op, store_col_text(st, 4));
	workorder_copy(w->arg, sizeof w->arg, store_col_text(st, 5));
	workorder_copy(w->state, sizeof w->state, store_col_text(st, 6));
	w->manual = strcmp(store_col_text(st, 7), "manual") == 0;
}

/* The work orders of query (WORKORDER_COLUMNS), each to cb. */
static int
workorder_each(struct store *s, const char *query,
    void (*cb)(void *, const struct core_workorder *), void *arg,
    size_t *count, char **cause)
{
	struct store_stmt	*st;
	struct store_entry	*last = NULL;
	struct core_workorder	 w;
	int			 r;

	*count = 0;
	if ((st = store_prepare(s, query, cause)) == NULL)
		return -1;
	while ((r = store_step(st, cause)) == STORE_ROW) {
		workorder_fill(st, &w);
		if (workorder_entry(s, &w, &last, cause) != 0) {
			r = -1;
			break;
		}
		cb(arg, &w);
		(*count)++;
	}
	store_finalize(st);
	store_entry_free(last);
	return r == -1 ? -1 : 0;
}

int
core_workorder_list(struct store *s,
    void (*cb)(void *, const struct core_workorder *), void *arg,
    size_t *count, char **cause)
{
	return workorder_each(s, "SELECT " WORKORDER_COLUMNS " FROM outbox "
	    "o JOIN system s ON s.name = o.system WHERE o.state = 'pending' "
	    "AND s.type = 'manual' ORDER BY o.entry_idx, o.seq", cb, arg,
	    count, cause);
}

int
core_workorder_list_all(struct store *s,
    void (*cb)(void *, const struct core_workorder *), void *arg,
    size_t *count, char **cause)
{
	return workorder_each(s, "SELECT " WORKORDER_COLUMNS " FROM outbox "
	    "o JOIN system s ON s.name = o.system WHERE s.type = 'manual' "
	    "ORDER BY o.entry_idx, o.seq", cb, arg, count, cause);
}

int
core_workorder_get(struct store *s, uint64_t entry, int seq,
    struct core_workorder *w, char **cause)
{
	struct store_stmt	*st;
	struct store_entry	*last = NULL;
	int			 r;

	if ((st = store_prepare(s, "SELECT " WORKORDER_COLUMNS " FROM outbox "
	    "o LEFT JOIN system s ON s.name = o.system WHERE o.entry_idx = ? "
	    "AND o.seq = ?", cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)entry);
	store_bind_int(st, 2, seq);
	if ((r = store_step(st, cause)) == STORE_ROW)
		workorder_fill(st, w);
	store_finalize(st);
	if (r != STORE_ROW)
		return r == -1 ? -1 : 1;
	r = workorder_entry(s, w, &last, cause);
	store_entry_free(last);
	return r;
}

int
core_workorder_count(struct store *s, int64_t *n, char **cause)
{
	return store_query_int(s, "SELECT count(*) FROM outbox o JOIN system s "
	    "ON s.name = o.system WHERE o.state = 'pending' AND "
	    "s.type = 'manual'", n, cause);
}

/*
 * An argument the caller may give as a check (system, login, op): when
 * given it must match the work order; when not, it is recorded from it,
 * so the entry always says which account and operation it closes.
 */
static int
workorder_arg(struct core_run *run, const char *name, const char *have,
    char **cause)
{
	const char	*v = store_args_get(&run->args, name);

	if (v == NULL) {
		if (store_args_add(&run->args, name,
		    core_run_keep(run, xstrdup(have))) != 0) {
			xasprintf(cause, _("%s: too many arguments"),
			    run->action->name);
			return -1;
		}
		return 0;
	}
	if (strcmp(v, have) != 0) {
		xasprintf(cause, _("%s: work order %s/%s is for %s %s, not "
		    "%.40s"), run->action->name, store_args_get(&run->args,
		    "entry"), store_args_get(&run->args, "seq"), name, have, v);
		return -1;
	}
	return 0;
}

/* Whether an earlier work order of the same account is still open. */
static int
workorder_earlier(struct core_run *run, const struct core_workorder *w,
    char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(run->store, "SELECT entry_idx, seq, op FROM "
	    "outbox WHERE system = ?1 AND login = ?2 AND state = 'pending' AND "
	    "(entry_idx < ?3 OR (entry_idx = ?3 AND seq < ?4)) ORDER BY "
	    "entry_idx, seq LIMIT 1", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, w->system);
	store_bind_text(st, 2, w->login);
	store_bind_int(st, 3, (int64_t)w->entry);
	store_bind_int(st, 4, w->seq);
	if ((r = store_step(st, cause)) == STORE_ROW)
		xasprintf(cause, _("%s: work order %lld/%lld (%s %s on %s) was "
		    "queued before this one and is still open: close it first"),
		    run->action->name, (long long)store_col_int(st, 0),
		    (long long)store_col_int(st, 1), store_col_text(st, 2),
		    w->login, w->system);
	store_finalize(st);
	return r == STORE_DONE ? 0 : -1;
}

/* workorder.done and workorder.refuse: the same checks, note or reason. */
static int
workorder_validate(struct core_run *run, char **cause)
{
	const char		*act = run->action->name;
	const char		*textarg, *entry, *seq, *text, *errstr;
	struct core_workorder	 w;
	long long		 e, q;
	char			 what[64];
	int			 r;

	textarg = strcmp(act, "workorder.done") == 0 ? "note" : "reason";
	if (core_arg(run, "entry", &entry, cause) != 0 ||
	    core_arg(run, "seq", &seq, cause) != 0 ||
	    core_arg(run, textarg, &text, cause) != 0)
		return -1;
	if (number_parse(entry, 1, INT64_MAX, &e, &errstr) != 0 ||
	    number_parse(seq, 0, INT32_MAX, &q, &errstr) != 0) {
		xasprintf(cause, _("%s: entry and seq must be numbers (a work "
		    "order is ENTRY/SEQ, as workorder list shows it)"), act);
		return -1;
	}
	snprintf(what, sizeof what, "%s: %s", act, textarg);
	if (core_text_ok(what, WORKORDER_TEXT_MAX, text, cause) != 0)
		return -1;
	if ((r = core_workorder_get(run->store, (uint64_t)e, (int)q, &w,
	    cause)) == -1)
		return -1;
	if (r == 1) {
		xasprintf(cause, _("%s: no work order %s/%s"), act, entry, seq);
		return -1;
	}
	if (!w.manual) {
		xasprintf(cause, _("%s: %s/%s is an operation on %s, which is "
		    "not a manual system: the outbox carries it out, not a "
		    "person"), act, entry, seq, w.system);
		return -1;
	}
	if (strcmp(w.state, "pending") != 0) {
		xasprintf(cause, _("%s: work order %s/%s is %s already"), act,
		    entry, seq, strcmp(w.state, "applied") == 0 ? _("done") :
		    _("refused or failed"));
		return -1;
	}
	if (workorder_arg(run, "system", w.system, cause) != 0 ||
	    workorder_arg(run, "login", w.login, cause) != 0 ||
	    workorder_arg(run, "op", w.op, cause) != 0 ||
	    workorder_earlier(run, &w, cause) != 0)
		return -1;
	xasprintf(&run->subject, "id:%s/%s", w.system, w.login);
	return 0;
}

static int
workorder_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	int			 done;

	done = strcmp(e->action, "workorder.done") == 0;
	return core_sql(s, "UPDATE outbox SET attempts = attempts + 1, "
	    "last_error = ?3, state = ?4 WHERE entry_idx = CAST(?1 AS INTEGER) "
	    "AND seq = CAST(?2 AS INTEGER) AND state = 'pending'", cause, 4,
	    store_args_get(a, "entry"), store_args_get(a, "seq"),
	    done ? NULL : store_args_get(a, "reason"),
	    done ? "applied" : "failed");
}

/* Both work order actions name the order and may repeat what it is for. */
#define WORKORDER_PARAMS_ORDER						\
	{ "entry", CORE_ARG_REQUIRED,					\
	    N_("the entry that queued the work order") },		\
	{ "seq", CORE_ARG_REQUIRED, N_("its row in that entry") }
#define WORKORDER_PARAMS_CHECKED					\
	{ "system", 0, N_("checked against the work order") },		\
	{ "login", 0, N_("checked against the work order") },		\
	{ "op", 0, N_("checked against the work order") }

static const struct core_param workorder_done_params[] = {
	WORKORDER_PARAMS_ORDER,
	{ "note", CORE_ARG_REQUIRED, N_("what was done") },
	WORKORDER_PARAMS_CHECKED,
	{ NULL, 0, NULL },
};

const struct core_action core_action_workorder_done = {
	.name = "workorder.done",
	.summary = N_("Record a manual system's work order as carried out"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = workorder_done_params,
	.validate = workorder_validate,
	.apply = workorder_apply,
};

static const struct core_param workorder_refuse_params[] = {
	WORKORDER_PARAMS_ORDER,
	{ "reason", CORE_ARG_REQUIRED, N_("why it cannot be carried out") },
	WORKORDER_PARAMS_CHECKED,
	{ NULL, 0, NULL },
};

const struct core_action core_action_workorder_refuse = {
	.name = "workorder.refuse",
	.summary = N_("Close a work order that cannot be carried out, "
	    "saying why"),
	.roles = CORE_ROLE_ADMIN,
	.params = workorder_refuse_params,
	.validate = workorder_validate,
	.apply = workorder_apply,
};
