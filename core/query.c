/*
 * query.c -- what the console shows, read from the state tables.  The
 * console includes no SQL: it asks here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

int
core_counts(struct store *s, struct core_counts *c, char **cause)
{
	memset(c, 0, sizeof *c);
	if (store_query_int(s, "SELECT count(*) FROM operator WHERE "
	    "state = 'active' AND role = 'admin'", &c->admins, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM operator WHERE "
	    "state = 'active' AND role = 'approver'", &c->approvers,
	    cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM operator WHERE "
	    "state = 'active' AND role = 'auditor'", &c->auditors,
	    cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM person", &c->people,
	    cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM login_event WHERE "
	    "kind = 'failure' AND time > strftime('%Y-%m-%dT%H:%M:%SZ', "
	    "'now', '-1 day')", &c->failures_24h, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM system", &c->systems,
	    cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM account WHERE state != "
	    "'revoked'", &c->ids, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM outbox WHERE state = "
	    "'pending'", &c->outbox_pending, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM outbox WHERE state = "
	    "'failed'", &c->outbox_failed, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM outbox WHERE state = "
	    "'pending' AND attempts > 0", &c->outbox_retrying, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM incident WHERE state = "
	    "'active'", &c->incidents_active, cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM account WHERE "
	    "password_unrevealed AND state != 'revoked'",
	    &c->passwords_unrevealed, cause) != 0 ||
	    core_workorder_count(s, &c->workorders, cause) != 0)
		return -1;
	return 0;
}

/* Copy column col of st into buf. */
static void
col(struct store_stmt *st, int col, char *buf, size_t len)
{
	snprintf(buf, len, "%s", store_col_text(st, col));
}

/*
 * Run the query sql and gather its rows into a new array of size-byte
 * elements, each zeroed and then filled by fill.  *out (caller frees) and
 * *n; 0, or -1 with *cause and nothing returned.  The callers' wrappers
 * give the array its type.
 */
static int
rows(struct store *s, const char *sql, size_t size,
    void (*fill)(struct store_stmt *, void *), void **out, size_t *n,
    char **cause)
{
	struct store_stmt	*st;
	unsigned char		*v = NULL;
	size_t			 cap = 0;
	int			 r;

	*n = 0;
	if ((st = store_prepare(s, sql, cause)) == NULL)
		return -1;
	while ((r = store_step(st, cause)) == STORE_ROW) {
		v = xgrow(v, &cap, *n + 1, size);
		memset(v + *n * size, 0, size);
		fill(st, v + *n * size);
		(*n)++;
	}
	store_finalize(st);
	if (r == -1) {
		free(v);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

static void
operator_fill(struct store_stmt *st, void *p)
{
	struct core_operator	*o = p;

	col(st, 0, o->name, sizeof o->name);
	o->role = core_role_parse(store_col_text(st, 1));
	o->active = strcmp(store_col_text(st, 2), "active") == 0;
	o->added = (uint64_t)store_col_int(st, 3);
	o->changed = (uint64_t)store_col_int(st, 4);
}

int
core_operator_list(struct store *s, struct core_operator **out, size_t *n,
    char **cause)
{
	void	*v;

	if (rows(s, "SELECT name, role, state, added_idx, changed_idx FROM "
	    "operator ORDER BY name", sizeof **out, operator_fill, &v, n,
	    cause) != 0)
		return -1;
	*out = v;
	return 0;
}

static void
system_fill(struct store_stmt *st, void *p)
{
	struct core_system	*y = p;

	col(st, 0, y->name, sizeof y->name);
	col(st, 1, y->type, sizeof y->type);
	col(st, 2, y->title, sizeof y->title);
	y->conf = (int)store_col_int(st, 3);
	y->integ = (int)store_col_int(st, 4);
	y->avail = (int)store_col_int(st, 5);
	y->added = (uint64_t)store_col_int(st, 6);
	y->ids = store_col_int(st, 7);
	y->locked = store_col_int(st, 8);
	y->pending = store_col_int(st, 9);
	y->failed = store_col_int(st, 10);
}

int
core_system_list(struct store *s, struct core_system **out, size_t *n,
    char **cause)
{
	void	*v;

	if (rows(s, "SELECT s.name, s.type, s.title, s.conf, s.integ, "
	    "s.avail, s.added_idx, (SELECT count(*) FROM account a WHERE "
	    "a.system = s.name AND a.state != 'revoked'), (SELECT count(*) "
	    "FROM account a WHERE a.system = s.name AND a.state IN ('locked', "
	    "'suspended', 'dormant', 'expired')), (SELECT count(*) FROM outbox "
	    "o WHERE o.system = s.name AND o.state = 'pending'), (SELECT count(*) FROM outbox o "
	    "WHERE o.system = s.name AND o.state = 'failed') FROM system s "
	    "ORDER BY s.name", sizeof **out, system_fill, &v, n,
	    cause) != 0)
		return -1;
	*out = v;
	return 0;
}

static void
id_fill(struct store_stmt *st, void *p)
{
	struct core_id	*y = p;

	col(st, 0, y->system, sizeof y->system);
	col(st, 1, y->login, sizeof y->login);
	col(st, 2, y->kind, sizeof y->kind);
	col(st, 3, y->state, sizeof y->state);
	col(st, 4, y->owner, sizeof y->owner);
	col(st, 5, y->owner_name, sizeof y->owner_name);
	col(st, 6, y->department, sizeof y->department);
	col(st, 7, y->end_date, sizeof y->end_date);
	col(st, 8, y->sponsor, sizeof y->sponsor);
	col(st, 9, y->users, sizeof y->users);
	y->break_glass = store_col_int(st, 10) != 0;
	y->created = (uint64_t)store_col_int(st, 11);
	y->changed = (uint64_t)store_col_int(st, 12);
	y->unfinished = store_col_int(st, 13);
	y->password_unrevealed = store_col_int(st, 14) != 0;
}

/* Every column id_fill reads, for one ID or all. */
#define ID_SELECT \
	"SELECT a.system, a.login, a.kind, a.state, coalesce(a.owner, ''), " \
	"coalesce(p.name_kanji, ''), coalesce(p.department, (SELECT " \
	"group_concat(DISTINCT q.department) FROM account_user u JOIN " \
	"person q ON q.employee_no = u.employee_no WHERE u.system = " \
	"a.system AND u.login = a.login), ''), coalesce(a.end_date, ''), " \
	"coalesce(a.sponsor, ''), (SELECT group_concat(u.employee_no) FROM " \
	"account_user u WHERE u.system = a.system AND u.login = a.login), " \
	"a.break_glass, a.created_idx, a.changed_idx, (SELECT count(*) FROM " \
	"outbox o WHERE o.system = a.system AND o.login = a.login AND " \
	"o.state != 'applied'), a.password_unrevealed FROM account a " \
	"LEFT JOIN person p ON " \
	"p.employee_no = a.owner"

int
core_id_list(struct store *s, struct core_id **out, size_t *n, char **cause)
{
	void	*v;

	if (rows(s, ID_SELECT " ORDER BY a.system, a.login", sizeof **out,
	    id_fill, &v, n, cause) != 0)
		return -1;
	*out = v;
	return 0;
}

int
core_id_get(struct store *s, const char *system, const char *login,
    struct core_id *id, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, ID_SELECT " WHERE a.system = ? AND "
	    "a.login = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, login);
	if ((r = store_step(st, cause)) == STORE_ROW) {
		memset(id, 0, sizeof *id);
		id_fill(st, id);
	}
	store_finalize(st);
	return r == -1 ? -1 : r == STORE_ROW ? 0 : 1;
}

static void
incident_fill(struct store_stmt *st, void *p)
{
	struct core_incident	*y = p;

	y->idx = (uint64_t)store_col_int(st, 0);
	col(st, 1, y->scope, sizeof y->scope);
	col(st, 2, y->reason, sizeof y->reason);
	col(st, 3, y->state, sizeof y->state);
	col(st, 4, y->opened, sizeof y->opened);
	y->restored = (uint64_t)store_col_int(st, 5);
	y->accounts = store_col_int(st, 6);
	y->failed = store_col_int(st, 7);
}

int
core_incident_list(struct store *s, struct core_incident **out, size_t *n,
    char **cause)
{
	void	*v;

	if (rows(s, "SELECT i.idx, i.scope, i.reason, i.state, i.opened, "
	    "coalesce(i.restored_idx, 0), (SELECT count(*) FROM "
	    "incident_account a WHERE a.incident_idx = i.idx), (SELECT "
	    "count(*) FROM outbox o WHERE o.entry_idx = i.idx AND o.state = "
	    "'failed') FROM incident i ORDER BY i.idx DESC", sizeof **out,
	    incident_fill, &v, n, cause) != 0)
		return -1;
	*out = v;
	return 0;
}

int
core_incident_failures(struct store *s, uint64_t idx,
    void (*cb)(void *, const char *, const char *, const char *), void *arg,
    size_t *count, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	*count = 0;
	if ((st = store_prepare(s, "SELECT system, login, coalesce(last_error, "
	    "'not applied yet') FROM outbox WHERE entry_idx = ? AND state != "
	    "'applied' ORDER BY system, login", cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)idx);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		(*count)++;
		if (cb != NULL)
			cb(arg, store_col_text(st, 0), store_col_text(st, 1),
			    store_col_text(st, 2));
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

int
core_incident_ids(struct store *s, uint64_t idx,
    void (*cb)(void *, const struct core_incident_id *), void *arg,
    size_t *count, char **cause)
{
	struct core_incident_id	 id;
	struct store_stmt	*st;
	int			 r;

	*count = 0;
	/* Its lock row, if the incident queued one: what reached the system. */
	if ((st = store_prepare(s, "SELECT i.system, i.login, i.prior_state, "
	    "coalesce(a.state, ''), coalesce(o.state, ''), "
	    "coalesce(o.last_error, '') FROM incident_account i LEFT JOIN "
	    "account a ON a.system = i.system AND a.login = i.login LEFT JOIN "
	    "outbox o ON o.entry_idx = i.incident_idx AND o.system = i.system "
	    "AND o.login = i.login WHERE i.incident_idx = ? ORDER BY "
	    "i.system, i.login", cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)idx);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		memset(&id, 0, sizeof id);
		col(st, 0, id.system, sizeof id.system);
		col(st, 1, id.login, sizeof id.login);
		col(st, 2, id.prior, sizeof id.prior);
		col(st, 3, id.now, sizeof id.now);
		col(st, 4, id.lock, sizeof id.lock);
		col(st, 5, id.error, sizeof id.error);
		(*count)++;
		cb(arg, &id);
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/*
 * An ID's history, from the ledger itself: the entries whose subject is
 * the ID (its actions and its targets' results), and the incidents and
 * lost cards that took it along.  Entry bytes are searched for the exact
 * subject line: system and login names never need escaping (2.2 of
 * docs/ledger-format.md), so the line is spelled exactly so.
 */
int
core_entries_at(struct store *s, const uint64_t *idx, size_t n,
    void (*cb)(void *, const struct store_entry *), void *arg, char **cause)
{
	struct store_entry	*e;
	uint8_t			*bytes;
	size_t			 i, len;

	for (i = 0; i < n; i++) {
		if (store_ledger_get(s, idx[i], &bytes, &len, cause) != 0)
			return -1;
		e = store_entry_parse(bytes, len, cause);
		free(bytes);
		if (e == NULL)
			return -1;
		cb(arg, e);
		store_entry_free(e);
	}
	return 0;
}

int
core_id_history(struct store *s, const char *system, const char *login,
    void (*cb)(void *, const struct store_entry *), void *arg, char **cause)
{
	struct store_stmt	*st;
	uint64_t		*idx = NULL;
	size_t			 n = 0, cap = 0;
	char			*line;
	int			 r;

	xasprintf(&line, "\nsubject id:%s/%s\n", system, login);
	st = store_prepare(s, "SELECT idx FROM ledger_entry WHERE "
	    "instr(CAST(data AS BLOB), CAST(?1 AS BLOB)) > 0 UNION SELECT "
	    "incident_idx FROM incident_account WHERE system = ?2 AND login = "
	    "?3 UNION SELECT i.restored_idx FROM incident i JOIN "
	    "incident_account a ON a.incident_idx = i.idx WHERE a.system = ?2 "
	    "AND a.login = ?3 AND i.restored_idx IS NOT NULL UNION SELECT "
	    "c.idx FROM lost_card c JOIN account a ON a.owner = c.employee_no "
	    "WHERE a.system = ?2 AND a.login = ?3 AND c.idx >= a.created_idx "
	    "ORDER BY 1", cause);
	if (st == NULL) {
		free(line);
		return -1;
	}
	store_bind_text(st, 1, line);
	store_bind_text(st, 2, system);
	store_bind_text(st, 3, login);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		idx = xgrow(idx, &cap, n + 1, sizeof *idx);
		idx[n++] = (uint64_t)store_col_int(st, 0);
	}
	store_finalize(st);
	free(line);
	if (r != -1)
		r = core_entries_at(s, idx, n, cb, arg, cause);
	free(idx);
	return r == -1 ? -1 : 0;
}

static void
pick_fill(struct store_stmt *st, void *p)
{
	struct core_pick	*k = p;

	col(st, 0, k->value, sizeof k->value);
	col(st, 1, k->label, sizeof k->label);
	col(st, 2, k->detail, sizeof k->detail);
	k->n = store_col_int(st, 3);
}

int
core_pick_list(struct store *s, const char *source, struct core_pick **out,
    size_t *n, char **cause)
{
	static const struct {
		const char	*source;
		const char	*sql;
	} picks[] = {
		{ "system", "SELECT name, title, type, 0 FROM system "
		    "ORDER BY name" },
		{ "department", "SELECT department, '', '', count(*) FROM "
		    "person GROUP BY department ORDER BY department" },
		{ "person", "SELECT employee_no, name_kanji, department, 0 "
		    "FROM person ORDER BY employee_no" },
	};
	void	*v;
	size_t	 i;

	for (i = 0; i < sizeof picks / sizeof picks[0]; i++) {
		if (strcmp(picks[i].source, source) != 0)
			continue;
		if (rows(s, picks[i].sql, sizeof **out, pick_fill, &v, n,
		    cause) != 0)
			return -1;
		*out = v;
		return 0;
	}
	xasprintf(cause, _("nothing to choose from for \"%.40s\""), source);
	return -1;
}
