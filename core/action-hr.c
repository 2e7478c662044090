/*
 * action-hr.c -- hr.import: an HR export made into records and events.
 *
 * The entry names the file (its SHA-256, encoding, rows and as-of date)
 * and the import's delta, a blob (store/blob.c) named by its SHA-256:
 *
 *	daicho-hr-delta v1
 *	P<TAB>employee_no<TAB>name<TAB>kana<TAB>department<TAB>position<TAB>
 *	    employment<TAB>transfer_date<TAB>retire_date<TAB>status<TAB>
 *	    birth_date
 *	M<TAB>employee_no
 *
 * one line each, by employee number: P for a person whose record the
 * export sets (new, or different from the record), M for one the export
 * no longer lists.  Apply compares each P line with the record as it
 * stands (so replay, with only the entries, reaches the same events),
 * records it, and makes the events: joiner, mover (department or
 * position), leaver (a retirement date, or status retired), leave and
 * return.  The first import is the baseline: it makes records, and no
 * events, because the organisation was not new that day.  A person an
 * export no longer lists is marked missing, never made a leaver: a
 * broken export must not retire anyone.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

#define HR_DELTA_MAGIC	"daicho-hr-delta v1\n"

const char *const core_hr_event_kinds[CORE_HR_NKINDS] = {
	"joiner", "mover", "leaver", "leave", "return"
};
enum { EV_JOINER, EV_MOVER, EV_LEAVER, EV_LEAVE, EV_RETURN };

/*
 * The detail is English: hr_event keeps it (the state replays the same
 * under any locale); core_hr_detail_shown (hr.c) has its words for
 * people, so a new wording here needs its line there.
 */
static void
hr_event(struct core_hr_event *ev, size_t *n, int kind, const char *eff,
    const char *fmt, ...) DAICHO_PRINTF(5, 6);

static void
hr_event(struct core_hr_event *ev, size_t *n, int kind, const char *eff,
    const char *fmt, ...)
{
	va_list	 ap;

	ev[*n].kind = kind;
	ev[*n].from_department = ev[*n].from_position = NULL;
	snprintf(ev[*n].effective, sizeof ev[*n].effective, "%s", eff);
	va_start(ap, fmt);
	vsnprintf(ev[*n].detail, sizeof ev[*n].detail, fmt, ap);
	va_end(ap);
	(*n)++;
}

/*
 * The events of a row given the record before it (old, NULL for none).
 * An event takes effect on the row's transfer date when it names one
 * that changed (a leaver's on the retirement date), else on as_of.
 */
size_t
core_hr_classify(const struct core_hr_row *old, const struct core_hr_row *row,
    const char *as_of, int baseline, struct core_hr_event *ev)
{
	const char *const *o, *const *f = row->f;
	const char	*eff = as_of, *st = f[CORE_HR_STATUS];
	size_t		 n = 0;

	if (baseline)
		return 0;
	if (f[CORE_HR_TRANSFER][0] != '\0' && (old == NULL ||
	    strcmp(old->f[CORE_HR_TRANSFER], f[CORE_HR_TRANSFER]) != 0))
		eff = f[CORE_HR_TRANSFER];
	if (old == NULL || strcmp(old->f[CORE_HR_STATUS], "retired") == 0) {
		if (strcmp(st, "retired") != 0)
			hr_event(ev, &n, EV_JOINER, eff, "joins %s %s",
			    f[CORE_HR_DEPARTMENT], f[CORE_HR_POSITION]);
		return n;
	}
	o = old->f;
	/*
	 * A leaver when a retirement date is announced (or moved), or when
	 * the status says retired without the date announced before: a
	 * retirement on the date already announced is the same leaver.
	 */
	if ((f[CORE_HR_RETIRE][0] != '\0' &&
	    strcmp(f[CORE_HR_RETIRE], o[CORE_HR_RETIRE]) != 0) ||
	    (strcmp(st, "retired") == 0 && strcmp(o[CORE_HR_STATUS],
	    "retired") != 0 && f[CORE_HR_RETIRE][0] == '\0')) {
		if (f[CORE_HR_RETIRE][0] != '\0')
			hr_event(ev, &n, EV_LEAVER, f[CORE_HR_RETIRE],
			    "retires %s", f[CORE_HR_RETIRE]);
		else
			hr_event(ev, &n, EV_LEAVER, as_of, "status retired");
		return n;
	}
	if (strcmp(st, "retired") == 0)
		return n;
	if (strcmp(o[CORE_HR_DEPARTMENT], f[CORE_HR_DEPARTMENT]) != 0 ||
	    strcmp(o[CORE_HR_POSITION], f[CORE_HR_POSITION]) != 0) {
		hr_event(ev, &n, EV_MOVER, eff, "%s %s -> %s %s",
		    o[CORE_HR_DEPARTMENT], o[CORE_HR_POSITION],
		    f[CORE_HR_DEPARTMENT], f[CORE_HR_POSITION]);
		ev[n - 1].from_department = o[CORE_HR_DEPARTMENT];
		ev[n - 1].from_position = o[CORE_HR_POSITION];
	}
	if (strcmp(o[CORE_HR_STATUS], "active") == 0 &&
	    strcmp(st, "leave") == 0)
		hr_event(ev, &n, EV_LEAVE, eff, "on leave");
	else if (strcmp(o[CORE_HR_STATUS], "leave") == 0 &&
	    strcmp(st, "active") == 0)
		hr_event(ev, &n, EV_RETURN, eff, "back from leave");
	return n;
}

/*
 * The record of employee number no into *old (strings in buf, of size
 * len), with *missing and *hr (source 'hr').  1 when there is none.
 */
int
core_hr_record(struct store *s, const char *no, struct core_hr_row *old,
    char *buf, size_t len, int *missing, int *hr, char **cause)
{
	struct store_stmt	*st;
	size_t			 i, off = 0, n;
	int			 r;

	if ((st = store_prepare(s, "SELECT employee_no, name_kanji, "
	    "name_kana, department, position, employment, "
	    "coalesce(transfer_date, ''), coalesce(retire_date, ''), status, "
	    "coalesce(birth_date, ''), hr_missing IS NOT NULL, source = 'hr' "
	    "FROM person WHERE employee_no = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, no);
	if ((r = store_step(st, cause)) != STORE_ROW) {
		store_finalize(st);
		return r == -1 ? -1 : 1;
	}
	memset(old, 0, sizeof *old);
	for (i = 0; i < CORE_HR_NFIELDS; i++) {
		n = strlen(store_col_text(st, (int)i));
		if (off + n + 1 > len)
			n = off + 1 < len ? len - off - 1 : 0;
		memcpy(buf + off, store_col_text(st, (int)i), n);
		buf[off + n] = '\0';
		old->f[i] = buf + off;
		off += n + 1;
	}
	*missing = (int)store_col_int(st, CORE_HR_NFIELDS);
	*hr = (int)store_col_int(st, CORE_HR_NFIELDS + 1);
	store_finalize(st);
	return 0;
}

/* Whether a record and a row say the same. */
int
core_hr_same(const struct core_hr_row *a, const struct core_hr_row *b)
{
	size_t	 i;

	for (i = 0; i < CORE_HR_NFIELDS; i++) {
		if (strcmp(a->f[i], b->f[i]) != 0)
			return 0;
	}
	return 1;
}

void
core_birthrights_free(struct core_birthrights *br)
{
	size_t	 i;

	for (i = 0; i < br->n; i++) {
		free(br->v[i].dept);
		free(br->v[i].pos);
		free(br->v[i].system);
		free(br->v[i].kind);
	}
	free(br->v);
	memset(br, 0, sizeof *br);
}

static int
birthrights_load(struct store *s, struct core_birthrights *br, char **cause)
{
	struct store_stmt	*st;
	size_t			 cap = 0;
	int			 r;

	br->loaded = 1;
	if ((st = store_prepare(s, "SELECT department, position, system, kind "
	    "FROM birthright", cause)) == NULL)
		return -1;
	while ((r = store_step(st, cause)) == STORE_ROW) {
		br->v = xgrow(br->v, &cap, br->n + 1, sizeof *br->v);
		br->v[br->n].dept = xstrdup(store_col_text(st, 0));
		br->v[br->n].pos = xstrdup(store_col_text(st, 1));
		br->v[br->n].system = xstrdup(store_col_text(st, 2));
		br->v[br->n].kind = xstrdup(store_col_text(st, 3));
		br->n++;
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

static int
birthright_of(const struct core_birthright *b, const char *dept,
    const char *pos)
{
	return (strcmp(b->dept, "*") == 0 || strcmp(b->dept, dept) == 0) &&
	    (strcmp(b->pos, "*") == 0 || strcmp(b->pos, pos) == 0);
}

/* Whether the old post's birthright has an ID the new post's has not. */
static int
birthrights_lose(const struct core_birthrights *br, const char *fdept,
    const char *fpos, const char *dept, const char *pos)
{
	size_t	 i, j;

	for (i = 0; i < br->n; i++) {
		if (!birthright_of(&br->v[i], fdept, fpos))
			continue;
		for (j = 0; j < br->n; j++) {
			if (birthright_of(&br->v[j], dept, pos) &&
			    strcmp(br->v[j].system, br->v[i].system) == 0 &&
			    strcmp(br->v[j].kind, br->v[i].kind) == 0)
				break;
		}
		if (j == br->n)
			return 1;
	}
	return 0;
}

int
core_hr_event_revokes(struct store *s, struct core_birthrights *br,
    const char *no, const struct core_hr_event *ev,
    const struct core_hr_row *row, int64_t *n, char **cause)
{
	int64_t	 k = 0;

	if (ev->kind == EV_LEAVER) {
		if (core_hr_live_ids(s, no, &k, cause) != 0)
			return -1;
	} else if (ev->kind == EV_MOVER) {
		if (!br->loaded && birthrights_load(s, br, cause) != 0)
			return -1;
		if (birthrights_lose(br, ev->from_department,
		    ev->from_position, row->f[CORE_HR_DEPARTMENT],
		    row->f[CORE_HR_POSITION]) &&
		    core_hr_mover_revokes(s, no, ev->from_department,
		    ev->from_position, row->f[CORE_HR_DEPARTMENT],
		    row->f[CORE_HR_POSITION], &k, cause) != 0)
			return -1;
	}
	*n += k;
	return 0;
}

/* Live IDs that employee number no owns. */
int
core_hr_live_ids(struct store *s, const char *no, int64_t *n, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, "SELECT count(*) FROM account WHERE owner "
	    "= ? AND state <> 'revoked'", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, no);
	r = store_step(st, cause);
	*n = r == STORE_ROW ? store_col_int(st, 0) : 0;
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/* What walking a delta found (and, applying, did). */
struct hr_walk {
	struct store	*s;
	const char	*as_of;
	char		 idx[24];		/* the entry, when applying */
	int		 apply;
	int		 baseline;
	size_t		 changed, missing, events;
	int64_t		 locks;
	struct core_birthrights br;
	char		**pending;		/* who has a pending event, sorted */
	size_t		 npending;
	int		 loaded;
};

static int
hr_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Whether employee number no has a pending event that a new one may
 * cancel: asked once a walk of the whole table (most people have none,
 * and a query each would be most of an import's time).
 */
static int
hr_has_pending(struct hr_walk *w, const char *no, int *yes, char **cause)
{
	struct store_stmt	*st;
	size_t			 cap = 0;
	int			 r;

	if (!w->loaded) {
		w->loaded = 1;
		if ((st = store_prepare(w->s, "SELECT DISTINCT employee_no FROM "
		    "hr_event WHERE state = 'pending' ORDER BY employee_no",
		    cause)) == NULL)
			return -1;
		while ((r = store_step(st, cause)) == STORE_ROW) {
			w->pending = xgrow(w->pending, &cap, w->npending + 1,
			    sizeof *w->pending);
			w->pending[w->npending++] =
			    xstrdup(store_col_text(st, 0));
		}
		store_finalize(st);
		if (r == -1)
			return -1;
	}
	*yes = w->npending > 0 && bsearch(&no, w->pending, w->npending,
	    sizeof *w->pending, hr_str_cmp) != NULL;
	return 0;
}

static int
hr_walk_events(struct hr_walk *w, const struct core_hr_row *old,
    const struct core_hr_row *row, char **cause)
{
	struct core_hr_event	 ev[CORE_HR_EVENTS_MAX];
	const char		*no = row->f[CORE_HR_NO], *kind;
	size_t			 i, n;
	int			 pending = 0;

	n = core_hr_classify(old, row, w->as_of, w->baseline, ev);
	w->events += n;
	if (w->apply && (n > 0 || old != NULL) &&
	    hr_has_pending(w, no, &pending, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		kind = core_hr_event_kinds[ev[i].kind];
		if (core_hr_event_revokes(w->s, &w->br, no, &ev[i], row,
		    &w->locks, cause) != 0)
			return -1;
		if (!w->apply)
			continue;
		/* A new leaver or mover date replaces a pending one. */
		if (pending &&
		    (ev[i].kind == EV_LEAVER || ev[i].kind == EV_MOVER) &&
		    core_sql(w->s, "UPDATE hr_event SET state = 'cancelled', "
		    "changed_idx = ? WHERE employee_no = ? AND kind = ? AND "
		    "state = 'pending'", cause, 3, w->idx, no, kind) != 0)
			return -1;
		if (core_sql(w->s, "INSERT INTO hr_event (import_idx, kind, "
		    "employee_no, effective, detail, state, from_department, "
		    "from_position, changed_idx) VALUES (?1, ?2, ?3, ?4, ?5, "
		    "'pending', ?6, ?7, ?1)", cause, 7, w->idx, kind, no,
		    ev[i].effective, ev[i].detail, ev[i].from_department,
		    ev[i].from_position) != 0)
			return -1;
	}
	/* A retirement date taken back (and not retired): no leaver. */
	if (w->apply && pending && old != NULL &&
	    old->f[CORE_HR_RETIRE][0] != '\0' &&
	    row->f[CORE_HR_RETIRE][0] == '\0' &&
	    strcmp(row->f[CORE_HR_STATUS], "retired") != 0 &&
	    core_sql(w->s, "UPDATE hr_event SET state = 'cancelled', "
	    "changed_idx = ? WHERE employee_no = ? AND kind = 'leaver' AND "
	    "state = 'pending'", cause, 2, w->idx, no) != 0)
		return -1;
	return 0;
}

static int
hr_walk_record(struct hr_walk *w, const struct core_hr_row *row,
    char **cause)
{
	const char *const *f = row->f;

	/*
	 * The department is indexed: set it only where it changes, or
	 * every record's index entry is taken out and put back (a baseline
	 * import of a city's 200,000 people spends most of its time so).
	 */
	if (core_sql(w->s, "UPDATE person SET department = ?2 WHERE "
	    "employee_no = ?1 AND department IS NOT ?2", cause, 2,
	    f[CORE_HR_NO], f[CORE_HR_DEPARTMENT]) != 0)
		return -1;
	return core_sql(w->s, "INSERT INTO person (employee_no, name_kanji, "
	    "name_kana, department, position, employment, status, start_date, "
	    "transfer_date, retire_date, birth_date, source, hr_missing, "
	    "changed_idx) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?9, coalesce(?7, "
	    "?10), ?7, ?8, ?12, 'hr', NULL, ?11) ON CONFLICT (employee_no) DO "
	    "UPDATE SET name_kanji = ?2, name_kana = ?3, position = ?5, "
	    "employment = ?6, status = ?9, transfer_date = ?7, "
	    "retire_date = ?8, birth_date = ?12, source = 'hr', "
	    "hr_missing = NULL, changed_idx = ?11", cause, 12, f[CORE_HR_NO],
	    f[CORE_HR_NAME], f[CORE_HR_KANA], f[CORE_HR_DEPARTMENT],
	    f[CORE_HR_POSITION], f[CORE_HR_EMPLOYMENT],
	    *f[CORE_HR_TRANSFER] != '\0' ? f[CORE_HR_TRANSFER] : NULL,
	    *f[CORE_HR_RETIRE] != '\0' ? f[CORE_HR_RETIRE] : NULL,
	    f[CORE_HR_STATUS], w->as_of, w->idx, *f[CORE_HR_BIRTH] != '\0' ?
	    f[CORE_HR_BIRTH] : NULL);
}

/* One P line's fields (tab-separated, in place) into row; 0 or -1. */
static int
hr_delta_fields(char *p, struct core_hr_row *row)
{
	size_t	 i;
	char	*t;

	memset(row, 0, sizeof *row);
	for (i = 0; i < CORE_HR_NFIELDS; i++) {
		row->f[i] = p;
		t = strchr(p, '\t');
		if ((t == NULL) != (i == CORE_HR_NFIELDS - 1))
			return -1;
		if (t != NULL) {
			*t = '\0';
			p = t + 1;
		}
	}
	return 0;
}

static int
hr_walk_line(struct hr_walk *w, char *line, const char *prev, char **cause)
{
	struct core_hr_row	 row, old;
	char			 buf[2048];
	int			 r, missing, hr;

	if (strncmp(line, "M\t", 2) == 0) {
		row.f[CORE_HR_NO] = line + 2;
	} else if (strncmp(line, "P\t", 2) != 0 ||
	    hr_delta_fields(line + 2, &row) != 0) {
		xasprintf(cause, _("delta: a line is neither P nor M with %d "
		    "fields"), CORE_HR_NFIELDS);
		return -1;
	}
	if (prev != NULL && strcmp(prev, row.f[CORE_HR_NO]) >= 0) {
		xasprintf(cause, _("delta: %.20s is out of order"),
		    row.f[CORE_HR_NO]);
		return -1;
	}
	/* The baseline makes no events: a record before it does not matter. */
	if (w->baseline && line[0] == 'P')
		r = 1;
	else if ((r = core_hr_record(w->s, row.f[CORE_HR_NO], &old, buf,
	    sizeof buf, &missing, &hr, cause)) == -1)
		return -1;
	if (line[0] == 'M') {
		if (r == 1) {
			xasprintf(cause, _("delta: %.20s is missing but has no "
			    "record"), row.f[CORE_HR_NO]);
			return -1;
		}
		w->missing++;
		return w->apply ? core_sql(w->s, "UPDATE person SET hr_missing "
		    "= ?1, changed_idx = ?1 WHERE employee_no = ?2", cause, 2,
		    w->idx, row.f[CORE_HR_NO]) : 0;
	}
	if (core_hr_row_check(&row, cause) != 0)
		return -1;
	w->changed++;
	if (hr_walk_events(w, r == 0 ? &old : NULL, &row, cause) != 0)
		return -1;
	return w->apply ? hr_walk_record(w, &row, cause) : 0;
}

/*
 * Walk the delta (len bytes of data, NUL-terminated, modified in place):
 * count, and when w->apply, record.  0 or -1 with *cause.
 */
static int
hr_walk(struct hr_walk *w, char *data, size_t len, char **cause)
{
	char		*p, *nl;
	const char	*prev = NULL;
	int64_t		 n;

	if (len < sizeof HR_DELTA_MAGIC - 1 ||
	    memcmp(data, HR_DELTA_MAGIC, sizeof HR_DELTA_MAGIC - 1) != 0 ||
	    data[len - 1] != '\n' || strlen(data) != len) {
		xasprintf(cause, _("delta: not a daicho-hr-delta v1"));
		return -1;
	}
	if (store_query_int(w->s, "SELECT count(*) FROM hr_import", &n,
	    cause) != 0)
		return -1;
	w->baseline = n == 0;
	for (p = data + sizeof HR_DELTA_MAGIC - 1; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		if (hr_walk_line(w, p, prev, cause) != 0)
			return -1;
		prev = p + 2;
	}
	return 0;
}

/* The delta an entry names, checked and walked. */
static int
hr_entry_walk(struct store *s, const struct store_args *a, struct hr_walk *w,
    char **cause)
{
	uint8_t		*data;
	size_t		 len;
	int		 r;

	w->s = s;
	w->as_of = store_args_get(a, "as_of");
	if ((r = store_blob_get(s, store_args_get(a, "delta"), &data, &len,
	    cause)) == 1) {
		xasprintf(cause, _("the delta %s it names is not in the "
		    "database"), store_args_get(a, "delta"));
		return -1;
	}
	if (r != 0)
		return -1;
	r = hr_walk(w, (char *)data, len, cause);
	core_birthrights_free(&w->br);
	while (w->npending > 0)
		free(w->pending[--w->npending]);
	free(w->pending);
	free(data);
	return r;
}

/* The entry's counts against what walking its delta gave. */
static int
hr_check_counts(const struct store_args *a, const struct hr_walk *w,
    char **cause)
{
	char	 got[3][24];

	snprintf(got[0], sizeof got[0], "%zu", w->changed);
	snprintf(got[1], sizeof got[1], "%zu", w->missing);
	snprintf(got[2], sizeof got[2], "%lld", (long long)w->locks);
	if (strcmp(got[0], store_args_get(a, "changed")) != 0 ||
	    strcmp(got[1], store_args_get(a, "missing")) != 0 ||
	    strcmp(got[2], store_args_get(a, "locks")) != 0) {
		xasprintf(cause, _("hr.import: the entry says %s changed, %s "
		    "missing, %s IDs to lock; the records give %s, %s, %s"),
		    store_args_get(a, "changed"), store_args_get(a, "missing"),
		    store_args_get(a, "locks"), got[0], got[1], got[2]);
		return -1;
	}
	return 0;
}

static int
hr_import_validate(struct core_run *run, char **cause)
{
	static const char *const req[] = { "file_sha256", "encoding", "rows",
	    "as_of", "delta", "changed", "missing", "locks", "approval",
	    NULL };
	const char	*v;
	size_t		 i;

	for (i = 0; req[i] != NULL; i++) {
		if (core_arg(run, req[i], &v, cause) != 0)
			return -1;
	}
	v = store_args_get(&run->args, "encoding");
	if (strcmp(v, "utf-8") != 0 && strcmp(v, "cp932") != 0) {
		xasprintf(cause, _("hr.import: encoding %.20s is not utf-8 or "
		    "cp932"), v);
		return -1;
	}
	if (!core_date_ok(store_args_get(&run->args, "as_of"))) {
		xasprintf(cause, _("hr.import: as_of must be YYYY-MM-DD"));
		return -1;
	}
	v = store_args_get(&run->args, "approval");
	if (strcmp(v, "required") != 0 && strcmp(v, "none") != 0) {
		xasprintf(cause, _("hr.import: approval is required or none"));
		return -1;
	}
	if (strcmp(v, "required") == 0 && run->actor->approver == NULL) {
		xasprintf(cause, _("hr.import: this import would lock or "
		    "revoke %s IDs, over the threshold: a second person with "
		    "the approver role must confirm it"),
		    store_args_get(&run->args, "locks"));
		return -1;
	}
	/* The delta itself is walked once, by apply, which checks it all
	 * and rolls the transaction back on any fault. */
	v = store_args_get(&run->args, "delta");
	if (strlen(v) != STORE_HASH_HEX - 1 ||
	    strspn(v, "0123456789abcdef") != STORE_HASH_HEX - 1) {
		xasprintf(cause, _("hr.import: delta must be a SHA-256 in "
		    "hex"));
		return -1;
	}
	xasprintf(&run->subject, "hr:%s",
	    store_args_get(&run->args, "as_of"));
	return 0;
}

static int
hr_import_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	struct hr_walk		 w;
	char			 n[3][24];

	memset(&w, 0, sizeof w);
	w.apply = 1;
	snprintf(w.idx, sizeof w.idx, "%llu", (unsigned long long)e->index);
	if (strcmp(store_args_get(a, "approval"), "required") == 0 &&
	    e->approver == NULL) {
		xasprintf(cause, _("hr.import: over the threshold, and nobody "
		    "approved it"));
		return -1;
	}
	/*
	 * Counted before anything is written, against the records as the
	 * import found them: what the entry says must be what they give.
	 */
	if (hr_entry_walk(s, a, &w, cause) != 0 ||
	    hr_check_counts(a, &w, cause) != 0)
		return -1;
	snprintf(n[0], sizeof n[0], "%zu", w.events);
	snprintf(n[1], sizeof n[1], "%zu", w.changed);
	snprintf(n[2], sizeof n[2], "%zu", w.missing);
	return core_sql(s, "INSERT INTO hr_import (idx, file_sha256, "
	    "encoding, rows, as_of, changed, missing, events) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?)", cause, 8, w.idx,
	    store_args_get(a, "file_sha256"), store_args_get(a, "encoding"),
	    store_args_get(a, "rows"), store_args_get(a, "as_of"), n[1], n[2],
	    n[0]);
}

static const struct core_param hr_import_params[] = {
	{ "file_sha256", CORE_ARG_REQUIRED, N_("SHA-256 of the file as read") },
	{ "encoding", CORE_ARG_REQUIRED, N_("utf-8 or cp932") },
	{ "rows", CORE_ARG_REQUIRED, N_("rows in the file") },
	{ "as_of", CORE_ARG_REQUIRED, N_("the date the export speaks for") },
	{ "delta", CORE_ARG_REQUIRED, N_("SHA-256 of the rows that change "
	    "(a blob)") },
	{ "changed", CORE_ARG_REQUIRED, N_("people it records") },
	{ "missing", CORE_ARG_REQUIRED, N_("people it no longer lists") },
	{ "locks", CORE_ARG_REQUIRED, N_("IDs it takes away: its leavers' "
	    "and its movers' old posts'") },
	{ "approval", CORE_ARG_REQUIRED, N_("required (over the threshold) "
	    "or none") },
	{ NULL, 0, NULL }
};

const struct core_action core_action_hr_import = {
	.name = "hr.import",
	.summary = N_("Import the HR system's export: records and events"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_INTERNAL | CORE_MAY_APPROVE,
	.params = hr_import_params,
	.validate = hr_import_validate,
	.apply = hr_import_apply,
};
