/*
 * query-people.c -- looking a person up, and what the ledger holds about
 * one: their record, their IDs and their history.
 *
 * Personal data is looked up, never browsed (issue 10 §5, the PIA): a
 * search needs the employee number, or two of name, kana, department and
 * birth date (when the HR export gives one, 生年月日).  The rule is here, not in a screen, so every front end that looks
 * people up enforces the same one.  Names are compared by their fold
 * keys (fold.c), so 髙橋 finds 高橋 and ﾀｶﾊｼ finds タカハシ; each
 * criterion matches anywhere in its field ("高橋" finds "高橋 一郎").
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

/* Whether s is valid UTF-8 (fold_name needs it). */
static int
person_utf8_ok(const char *s)
{
	size_t		 len = strlen(s), k;
	uint32_t	 cp;

	while (len > 0) {
		if ((k = vis_utf8((const unsigned char *)s, len, &cp)) == 0)
			return 0;
		s += k;
		len -= k;
	}
	return 1;
}

/* The fold key of a criterion, or NULL when it is empty. */
static char *
person_key(const char *v)
{
	char	*k;

	if (v == NULL || v[0] == '\0')
		return NULL;
	k = fold_name(v);
	if (k[0] == '\0') {	/* only spaces: matches everything */
		free(k);
		return NULL;
	}
	return k;
}

/* Whether field v contains criterion key (NULL: no criterion). */
static int
person_match(const char *key, const char *v)
{
	char	*f;
	int	 r;

	if (key == NULL)
		return 1;
	f = fold_name(v);
	r = strstr(f, key) != NULL;
	free(f);
	return r;
}

#define PERSON_SELECT \
	"SELECT employee_no, name_kanji, name_kana, department, position, " \
	"employment, status, start_date, coalesce(end_date, ''), " \
	"coalesce(transfer_date, ''), coalesce(retire_date, ''), source, " \
	"hr_missing IS NOT NULL, changed_idx, coalesce(birth_date, '') " \
	"FROM person"

static void
person_fill(struct store_stmt *st, struct core_person *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->employee_no, sizeof p->employee_no, "%s",
	    store_col_text(st, 0));
	snprintf(p->name, sizeof p->name, "%s", store_col_text(st, 1));
	snprintf(p->kana, sizeof p->kana, "%s", store_col_text(st, 2));
	snprintf(p->department, sizeof p->department, "%s",
	    store_col_text(st, 3));
	snprintf(p->position, sizeof p->position, "%s", store_col_text(st, 4));
	snprintf(p->employment, sizeof p->employment, "%s",
	    store_col_text(st, 5));
	snprintf(p->status, sizeof p->status, "%s", store_col_text(st, 6));
	snprintf(p->start_date, sizeof p->start_date, "%s",
	    store_col_text(st, 7));
	snprintf(p->end_date, sizeof p->end_date, "%s", store_col_text(st, 8));
	snprintf(p->transfer_date, sizeof p->transfer_date, "%s",
	    store_col_text(st, 9));
	snprintf(p->retire_date, sizeof p->retire_date, "%s",
	    store_col_text(st, 10));
	snprintf(p->source, sizeof p->source, "%s", store_col_text(st, 11));
	p->missing = store_col_int(st, 12) != 0;
	p->changed = (uint64_t)store_col_int(st, 13);
	snprintf(p->birth_date, sizeof p->birth_date, "%s",
	    store_col_text(st, 14));
}

/*
 * Check the query and fold its criteria into key (each NULL when not
 * given): 0, or -1 with *cause saying what a search needs.  A criterion
 * of nothing but spaces is no criterion.
 */
static int
person_query_keys(const struct core_person_query *q, char *key[3],
    char **cause)
{
	const char	*v[5] = { q->employee_no, q->name, q->kana,
	    q->department, q->birth_date };
	size_t		 i;
	int		 n = 0;

	key[0] = key[1] = key[2] = NULL;
	for (i = 0; i < 5; i++) {
		if (v[i] != NULL && (strlen(v[i]) > CORE_PERSON_QUERY_MAX ||
		    !person_utf8_ok(v[i]))) {
			xasprintf(cause, _("a search criterion must be "
			    "valid UTF-8 of at most %d bytes"),
			    CORE_PERSON_QUERY_MAX);
			return -1;
		}
	}
	for (i = 0; i < 3; i++)
		n += (key[i] = person_key(v[i + 1])) != NULL;
	if (q->birth_date != NULL && q->birth_date[0] != '\0') {
		if (!core_date_ok(q->birth_date)) {
			for (i = 0; i < 3; i++)
				free(key[i]);
			xasprintf(cause, _("birth date %.40s: give it as "
			    "YYYY-MM-DD"), q->birth_date);
			return -1;
		}
		n++;
	}
	/* The employee number is enough alone; the others narrow it. */
	if (n >= 2 || (q->employee_no != NULL && q->employee_no[0] != '\0'))
		return 0;
	for (i = 0; i < 3; i++) {
		free(key[i]);
		key[i] = NULL;
	}
	xasprintf(cause, "%s", _("a person is looked up by the employee "
	    "number, or by two of name, kana, department and birth date: give "
	    "one more"));
	return -1;
}

int
core_person_search(struct store *s, const struct core_person_query *q,
    struct core_person **out, size_t *n, int *more, char **cause)
{
	struct store_stmt	*st;
	struct core_person	 p, *v = NULL;
	char			*key[3];
	size_t			 cap = 0, i;
	int			 r, byno;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (person_query_keys(q, key, cause) != 0)
		return -1;
	byno = q->employee_no != NULL && q->employee_no[0] != '\0';
	if ((st = store_prepare(s, byno ? PERSON_SELECT " WHERE employee_no "
	    "= ?" : PERSON_SELECT " ORDER BY employee_no", cause)) == NULL) {
		for (i = 0; i < 3; i++)
			free(key[i]);
		return -1;
	}
	if (byno)
		store_bind_text(st, 1, q->employee_no);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		person_fill(st, &p);
		if (!person_match(key[0], p.name) ||
		    !person_match(key[1], p.kana) ||
		    !person_match(key[2], p.department) ||
		    (q->birth_date != NULL && q->birth_date[0] != '\0' &&
		    strcmp(q->birth_date, p.birth_date) != 0))
			continue;
		if (*n == CORE_PERSON_FOUND_MAX) {
			*more = 1;
			break;
		}
		v = xgrow(v, &cap, *n + 1, sizeof *v);
		v[(*n)++] = p;
	}
	store_finalize(st);
	for (i = 0; i < 3; i++)
		free(key[i]);
	if (r == -1) {
		free(v);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

int
core_person_get(struct store *s, const char *employee_no,
    struct core_person *p, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, PERSON_SELECT " WHERE employee_no = ?",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, employee_no);
	if ((r = store_step(st, cause)) == STORE_ROW)
		person_fill(st, p);
	store_finalize(st);
	return r == -1 ? -1 : r == STORE_ROW ? 0 : 1;
}

int
core_person_ids(struct store *s, const char *employee_no,
    struct core_id **out, size_t *n, char **cause)
{
	struct store_stmt	*st;
	struct core_id		*v = NULL;
	char			 sys[40], login[40];
	size_t			 cap = 0;
	int			 r, g = 0;

	*out = NULL;
	*n = 0;
	if ((st = store_prepare(s, "SELECT system, login FROM account WHERE "
	    "owner = ?1 UNION SELECT system, login FROM account_user WHERE "
	    "employee_no = ?1 ORDER BY 1, 2", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, employee_no);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		snprintf(sys, sizeof sys, "%s", store_col_text(st, 0));
		snprintf(login, sizeof login, "%s", store_col_text(st, 1));
		v = xgrow(v, &cap, *n + 1, sizeof *v);
		memset(&v[*n], 0, sizeof v[*n]);
		if ((g = core_id_get(s, sys, login, &v[*n], cause)) == -1)
			break;
		if (g == 0)
			(*n)++;
	}
	store_finalize(st);
	if (r == -1 || g == -1) {
		free(v);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

int
core_person_events(struct store *s, const char *employee_no,
    void (*cb)(void *, const struct core_hr_eventrow *), void *arg,
    char **cause)
{
	return core_hr_events_of(s, employee_no, cb, arg, cause);
}

/*
 * The entries whose subject is the person (person.add and the like), as
 * core_id_history finds an ID's: the subject line spelled exactly, an
 * employee number being digits and letters that need no escaping.
 */
int
core_person_history(struct store *s, const char *employee_no,
    void (*cb)(void *, const struct store_entry *), void *arg, char **cause)
{
	struct store_stmt	*st;
	uint64_t		*idx = NULL;
	size_t			 n = 0, cap = 0;
	char			*line;
	int			 r;

	xasprintf(&line, "\nsubject person:%s\n", employee_no);
	st = store_prepare(s, "SELECT idx FROM ledger_entry WHERE "
	    "instr(CAST(data AS BLOB), CAST(? AS BLOB)) > 0 ORDER BY idx",
	    cause);
	if (st == NULL) {
		free(line);
		return -1;
	}
	store_bind_text(st, 1, line);
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
