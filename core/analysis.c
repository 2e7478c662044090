/*
 * analysis.c -- reviewing the ledger's own records (対策基準 §8(1)②(エ)):
 * over a period, the failed logins (and the failures that locked a
 * terminal), work by operators outside the allowed hours, privileged
 * changes, emergency actions and bulk exports.
 *
 * The entries are in time order (nothing is recorded before the newest
 * entry: store_clock_check), so the period's first entry is found by a
 * binary search on the index and the period is read from there with one
 * sequential reader; the rest of the ledger is never read.
 *
 * Out of hours is judged against allowed_hours of the policy's scope '*'
 * as it is now, in its zone.  The zone is set once for the whole period
 * (core_policy_zone_enter), and the entries found are handed to the
 * caller only after it is put back, so a caller that shows times in the
 * machine's zone shows them right.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

const char *const core_analysis_names[CORE_AN_N] = {
	"failed", "out_of_hours", "privileged", "emergency", "exports",
};

const char *const core_analysis_titles[CORE_AN_N] = {
	N_("failed logins"), N_("out of hours"), N_("privileged changes"),
	N_("emergency actions"), N_("exports"),
};

struct an_hit {
	struct store_entry	*e;
	unsigned		 cats;
	int			 locked;
	char			 why[CORE_AN_WHY];	/* English (CSV) */
	char			 shown[CORE_AN_WHY];	/* translated */
};

struct an {
	struct store		*s;
	const struct core_config *cfg;
	struct core_policy	 p;
	struct core_hours	 hours;
	struct core_analysis	*res;
	int			 keep;		/* a callback wants the hits */
	struct an_hit		*v;
	size_t			 n, cap;
};

/* The time of entry idx (parsed from its bytes).  0 or -1 with *cause. */
static int
an_entry_time(struct store *s, uint64_t idx, time_t *t, char **cause)
{
	struct store_entry	*e;
	uint8_t			*bytes;
	size_t			 len;
	int			 r;

	if ((r = store_ledger_get(s, idx, &bytes, &len, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, _("entry %llu is missing"),
			    (unsigned long long)idx);
		return -1;
	}
	e = store_entry_parse(bytes, len, cause);
	free(bytes);
	if (e == NULL)
		return -1;
	r = when_parse_utc(e->time, t);
	if (r != 0)
		xasprintf(cause, _("entry %llu: time \"%s\" cannot be read"),
		    (unsigned long long)idx, e->time);
	store_entry_free(e);
	return r;
}

/* The first entry at or after from: a binary search on the index. */
static int
an_first(struct store *s, time_t from, uint64_t size, uint64_t *first,
    char **cause)
{
	uint64_t	 lo = 0, hi = size, mid;
	time_t		 t;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (an_entry_time(s, mid, &t, cause) != 0)
			return -1;
		if (t < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	return 0;
}

/* Append "; " and text to the hit's why, and shown to what people read. */
static void
an_why(struct an_hit *h, const char *text, const char *shown)
{
	size_t	 n = strlen(h->why);

	snprintf(h->why + n, CORE_AN_WHY - n, "%s%s", n > 0 ? "; " : "",
	    text);
	n = strlen(h->shown);
	snprintf(h->shown + n, CORE_AN_WHY - n, "%s%s", n > 0 ? "; " : "",
	    shown);
}

/*
 * Whether failure e (at t) locked its terminal: the attempts-th failure
 * there since its last login within the minutes before it (the rule of
 * core_console_locked, asked as of this entry).
 */
static int
an_locked(struct an *a, const struct store_entry *e, time_t t, int *locked,
    char **cause)
{
	struct store_stmt	*st;
	const char		*tty = store_args_get(&e->args, "tty");
	int			 r;

	*locked = 0;
	if (a->cfg == NULL || a->cfg->login_attempts <= 0 || tty == NULL)
		return 0;
	if ((st = store_prepare(a->s, "SELECT count(*) FROM login_event "
	    "WHERE tty = ?1 AND kind = 'failure' AND idx <= ?2 AND idx > "
	    "coalesce((SELECT max(idx) FROM login_event WHERE tty = ?1 AND "
	    "kind = 'login' AND idx < ?2), -1) AND CAST(strftime('%s', time) "
	    "AS INTEGER) > ?3 - ?4 * 60", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, tty);
	store_bind_int(st, 2, (int64_t)e->index);
	store_bind_int(st, 3, (int64_t)t);
	store_bind_int(st, 4, a->cfg->lockout_minutes);
	if ((r = store_step(st, cause)) == STORE_ROW)
		*locked = store_col_int(st, 0) == a->cfg->login_attempts;
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/* Whether entry e changes a privileged ID (or privileged access). */
static int
an_privileged(struct an *a, const struct store_entry *e, int *yes,
    char **cause)
{
	const char	*system, *login, *kind;

	*yes = 0;
	if (strncmp(e->action, "priv.", 5) == 0 ||
	    strcmp(e->action, "id.rotate_password") == 0) {
		*yes = 1;
		return 0;
	}
	if (strncmp(e->action, "id.", 3) != 0)
		return 0;
	if ((kind = store_args_get(&e->args, "kind")) != NULL &&
	    strcmp(kind, "privileged") == 0) {
		*yes = 1;
		return 0;
	}
	system = store_args_get(&e->args, "system");
	login = store_args_get(&e->args, "login");
	if (system == NULL || login == NULL)
		return 0;
	return core_exists(a->s, "SELECT 1 FROM account WHERE system = ? AND "
	    "login = ? AND kind = 'privileged'", system, login, yes, cause);
}

/* The categories of entry e at t into h (h->cats 0: none).  0 or -1. */
static int
an_classify(struct an *a, const struct store_entry *e, time_t t,
    struct an_hit *h, char **cause)
{
	struct tm	 tm;
	char		 text[96], shown[160];
	int		 yes;

	h->cats = 0;
	h->locked = 0;
	h->why[0] = h->shown[0] = '\0';
	if (strcmp(e->action, "session.failure") == 0) {
		h->cats |= 1u << CORE_AN_FAILED;
		if (an_locked(a, e, t, &h->locked, cause) != 0)
			return -1;
		snprintf(text, sizeof text, "%s%s", "failed login",
		    h->locked ? ", which locked the terminal" : "");
		an_why(h, text, h->locked ? _("failed login, which locked "
		    "the terminal") : _("failed login"));
	}
	if (strcmp(e->operator, STORE_SYSTEM_ACTOR) != 0 && !a->hours.any) {
		localtime_r(&t, &tm);
		if (!core_policy_hours_in(&a->hours, &tm)) {
			h->cats |= 1u << CORE_AN_OUT_OF_HOURS;
			snprintf(text, sizeof text, "out of hours: %s %02d:%02d "
			    "in %s", core_policy_day_name(tm.tm_wday),
			    tm.tm_hour, tm.tm_min, a->p.timezone);
			/* TRANSLATORS: DAY (mon, tue, ... as the policy
			 * writes it) HH:MM in ZONE. */
			snprintf(shown, sizeof shown, _("out of hours: %s "
			    "%02d:%02d in %s"),
			    core_policy_day_name(tm.tm_wday), tm.tm_hour,
			    tm.tm_min, a->p.timezone);
			an_why(h, text, shown);
		}
	}
	if (an_privileged(a, e, &yes, cause) != 0)
		return -1;
	if (yes) {
		h->cats |= 1u << CORE_AN_PRIVILEGED;
		an_why(h, "privileged change", _("privileged change"));
	}
	if (strncmp(e->action, "incident.", 9) == 0 ||
	    strcmp(e->action, "exception.emergency") == 0) {
		h->cats |= 1u << CORE_AN_EMERGENCY;
		an_why(h, "emergency action", _("emergency action"));
	}
	if (strcmp(e->action, "data.export") == 0) {
		h->cats |= 1u << CORE_AN_EXPORTS;
		an_why(h, "bulk export", _("bulk export"));
	}
	return 0;
}

/* Count hit h, and keep it (with its entry) when the caller wants it. */
static void
an_count(struct an *a, struct store_entry **e, const struct an_hit *h)
{
	int	 i;

	for (i = 0; i < CORE_AN_N; i++) {
		if (h->cats & (1u << i))
			a->res->n[i]++;
	}
	a->res->lockouts += h->locked != 0;
	a->res->hits++;
	if (!a->keep)
		return;
	a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
	a->v[a->n] = *h;
	a->v[a->n++].e = *e;
	*e = NULL;
}

/* Read the period's entries from first; the zone is the policy's. */
static int
an_read(struct an *a, uint64_t first, time_t to, char **cause)
{
	struct store_reader	*rd;
	struct store_entry	*e;
	struct an_hit		 h;
	const uint8_t		*bytes;
	size_t			 len;
	uint64_t		 idx;
	time_t			 t;
	int			 r;

	if ((rd = store_reader_open(a->s, first, cause)) == NULL)
		return -1;
	a->res->first = a->res->end = first;
	while ((r = store_reader_next(rd, &idx, &bytes, &len, cause)) == 1) {
		if ((e = store_entry_parse(bytes, len, cause)) == NULL) {
			r = -1;
			break;
		}
		if (when_parse_utc(e->time, &t) != 0) {
			xasprintf(cause, _("entry %llu: time \"%s\" cannot be "
			    "read"), (unsigned long long)idx, e->time);
			store_entry_free(e);
			r = -1;
			break;
		}
		if (t >= to) {
			store_entry_free(e);
			r = 0;
			break;
		}
		a->res->entries++;
		a->res->end = idx + 1;
		if (an_classify(a, e, t, &h, cause) != 0) {
			store_entry_free(e);
			r = -1;
			break;
		}
		if (h.cats != 0)
			an_count(a, &e, &h);
		store_entry_free(e);
	}
	store_reader_close(rd);
	return r == -1 ? -1 : 0;
}

static void
an_free(struct an *a)
{
	size_t	 i;

	for (i = 0; i < a->n; i++)
		store_entry_free(a->v[i].e);
	free(a->v);
}

int
core_analysis_run(struct store *s, const struct core_config *cfg,
    time_t from, time_t to, void (*cb)(void *,
    const struct core_analysis_hit *), void *arg, struct core_analysis *res,
    char **cause)
{
	struct core_analysis_hit hit;
	struct an		 a;
	uint64_t		 size, first;
	char			*zone;
	size_t			 i;
	int			 r;

	memset(res, 0, sizeof *res);
	res->from = from;
	res->to = to;
	memset(&a, 0, sizeof a);
	a.s = s;
	a.cfg = cfg;
	a.res = res;
	a.keep = cb != NULL;
	if (core_policy_get(s, NULL, NULL, &a.p, cause) != 0)
		return -1;
	if (core_policy_hours_parse(a.p.allowed_hours, &a.hours) != 0) {
		xasprintf(cause, _("the allowed hours \"%s\" cannot be read"),
		    a.p.allowed_hours);
		return -1;
	}
	if (store_ledger_size(s, &size, cause) != 0 ||
	    an_first(s, from, size, &first, cause) != 0)
		return -1;
	zone = core_policy_zone_enter(a.p.timezone);
	r = from < to ? an_read(&a, first, to, cause) : 0;
	core_policy_zone_leave(zone);
	for (i = 0; r == 0 && i < a.n; i++) {
		hit.e = a.v[i].e;
		hit.cats = a.v[i].cats;
		hit.locked = a.v[i].locked;
		hit.why = a.v[i].why;
		hit.shown = a.v[i].shown;
		cb(arg, &hit);
	}
	an_free(&a);
	return r;
}

void
core_analysis_counts(const struct core_analysis *res, char *buf,
    size_t len)
{
	size_t	 n = 0;
	int	 i;

	buf[0] = '\0';
	for (i = 0; i < CORE_AN_N && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s=%lld",
		    i > 0 ? "," : "", core_analysis_names[i],
		    (long long)res->n[i]);
}

int
core_analysis_category(const char *name)
{
	int	 i;

	for (i = 0; i < CORE_AN_N; i++) {
		if (strcmp(core_analysis_names[i], name) == 0)
			return i;
	}
	return -1;
}
