/*
 * action-review.c -- review.done: an admin or approver records that they
 * reviewed the ledger's records of a period (対策基準 §8(1)②(エ)), with a
 * comment; the entry also records what the analysis of that period
 * showed (counts, made by validate with core_analysis_run), so the
 * review says what was before the reviewer's eyes.
 *
 * The period is given as days (YYYY-MM-DD, in the policy's zone: from
 * the start of the first to the end of the last) or UTC times; validate
 * records both as UTC times, so the entry says exactly which instants
 * were reviewed and apply reads them without a zone.  A period ends by
 * the end of today at the latest and starts before now.
 *
 * The dashboard reminds when the latest period reviewed ended more than
 * review_interval_days ago (core_review_due).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

#define REVIEW_ROLES	(CORE_ROLE_ADMIN | CORE_ROLE_APPROVER)
#define REVIEW_COMMENT_MAX 2000

/* Put argument name's value in run->args to v (kept for the run). */
static void
review_set(struct core_run *run, const char *name, char *v)
{
	size_t	 i;

	for (i = 0; i < run->args.n; i++) {
		if (strcmp(run->args.v[i].name, name) == 0) {
			run->args.v[i].value = core_run_keep(run, v);
			return;
		}
	}
	free(v);
}

static char *
review_utc(time_t t)
{
	struct tm	 tm;
	char		*s;

	gmtime_r(&t, &tm);
	xasprintf(&s, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return s;
}

/* The period of run's from and to, checked: 0, or -1 with *cause. */
static int
review_period(struct core_run *run, time_t *from, time_t *to, char **cause)
{
	const char	*f, *t;
	time_t		 now = time(NULL), limit;
	char		*c;

	if (core_arg(run, "from", &f, cause) != 0 ||
	    core_arg(run, "to", &t, cause) != 0)
		return -1;
	if (core_day_parse(run->store, f, 0, from, cause) != 0 ||
	    core_day_parse(run->store, t, 1, to, cause) != 0) {
		c = *cause;
		xasprintf(cause, _("review.done: %s"), c);
		free(c);
		return -1;
	}
	if (*to <= *from) {
		xasprintf(cause, _("review.done: the period ends (%s) "
		    "before it starts (%s)"), t, f);
		return -1;
	}
	if (core_day_today(run->store, now, 1, &limit, cause) != 0)
		return -1;
	if (*from >= now || *to > limit) {
		xasprintf(cause, _("review.done: the period %s to %s is in the "
		    "future: a review covers what is recorded, up to today"), f,
		    t);
		return -1;
	}
	return 0;
}

static int
review_validate(struct core_run *run, char **cause)
{
	struct core_analysis	 res;
	const char		*comment;
	char			 counts[256], *u;
	time_t			 from, to;

	if (core_arg(run, "comment", &comment, cause) != 0 ||
	    core_text_ok("review.done: comment", REVIEW_COMMENT_MAX, comment,
	    cause) != 0 || review_period(run, &from, &to, cause) != 0)
		return -1;
	if (core_analysis_run(run->store, NULL, from, to, NULL, NULL, &res,
	    cause) != 0)
		return -1;
	core_analysis_counts(&res, counts, sizeof counts);
	review_set(run, "from", review_utc(from));
	review_set(run, "to", review_utc(to));
	u = xstrdup(counts);
	if (store_args_add(&run->args, "counts", core_run_keep(run, u)) != 0) {
		xasprintf(cause, _("review.done: too many arguments"));
		return -1;
	}
	xasprintf(&run->subject, "review:%s..%s", store_args_get(&run->args,
	    "from"), store_args_get(&run->args, "to"));
	return 0;
}

static int
review_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*v[4] = { "from", "to", "comment", "counts" };
	char		 idx[24], from[24], to[24];
	time_t		 f, t;
	int		 i;

	for (i = 0; i < 4; i++) {
		if ((v[i] = store_args_get(&e->args, v[i])) == NULL) {
			xasprintf(cause, _("review.done: entry %llu lacks an "
			    "argument"), (unsigned long long)e->index);
			return -1;
		}
	}
	if (when_parse_utc(v[0], &f) != 0 || when_parse_utc(v[1], &t) != 0) {
		xasprintf(cause, _("review.done: entry %llu: the period is not "
		    "two UTC times"), (unsigned long long)e->index);
		return -1;
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	snprintf(from, sizeof from, "%lld", (long long)f);
	snprintf(to, sizeof to, "%lld", (long long)t);
	return core_sql(s, "INSERT INTO review (idx, reviewer, from_at, to_at, "
	    "comment, counts) VALUES (?, ?, ?, ?, ?, ?)", cause, 6, idx,
	    e->operator, from, to, v[2], v[3]);
}

static const struct core_param review_done_params[] = {
	{ "from", CORE_ARG_REQUIRED, N_("the first day reviewed (YYYY-MM-DD "
	    "in the policy's zone, or a UTC time); recorded as a UTC time") },
	{ "to", CORE_ARG_REQUIRED, N_("the last day reviewed (up to today), "
	    "to its end; recorded as a UTC time") },
	{ "comment", CORE_ARG_REQUIRED, N_("what the reviewer found") },
	{ "counts", CORE_ARG_MADE, N_("what the analysis of the period "
	    "showed: failed, out_of_hours, privileged, emergency, exports") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_review_done = {
	.name = "review.done",
	.summary = N_("Record that the ledger's records of a period were "
	    "reviewed (failed logins, work out of hours, privileged "
	    "changes, emergency actions, exports)"),
	.roles = REVIEW_ROLES,
	.flags = 0,
	.params = review_done_params,
	.validate = review_validate,
	.apply = review_apply,
};

int
core_review_list(struct store *s, void (*cb)(void *,
    const struct core_review *), void *arg, size_t *count, char **cause)
{
	struct store_stmt	*st;
	struct core_review	 r;
	int			 rc;

	*count = 0;
	if ((st = store_prepare(s, "SELECT idx, reviewer, from_at, to_at, "
	    "comment, counts FROM review ORDER BY idx DESC", cause)) == NULL)
		return -1;
	while ((rc = store_step(st, cause)) == STORE_ROW) {
		memset(&r, 0, sizeof r);
		r.idx = (uint64_t)store_col_int(st, 0);
		snprintf(r.reviewer, sizeof r.reviewer, "%s",
		    store_col_text(st, 1));
		r.from_at = store_col_int(st, 2);
		r.to_at = store_col_int(st, 3);
		snprintf(r.comment, sizeof r.comment, "%s",
		    store_col_text(st, 4));
		snprintf(r.counts, sizeof r.counts, "%s",
		    store_col_text(st, 5));
		(*count)++;
		cb(arg, &r);
	}
	store_finalize(st);
	return rc == -1 ? -1 : 0;
}

int
core_review_due(struct store *s, time_t now, int64_t *last, int *days,
    char **cause)
{
	struct core_policy	 p;

	*last = 0;
	*days = 0;
	if (core_policy_get(s, NULL, NULL, &p, cause) != 0 ||
	    store_query_int(s, "SELECT coalesce(max(to_at), 0) FROM review",
	    last, cause) != 0)
		return -1;
	*days = p.review_interval_days;
	return *last == 0 || (int64_t)now - *last >
	    (int64_t)p.review_interval_days * 86400;
}
