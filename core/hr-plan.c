/*
 * hr-plan.c -- what follows from an HR event, and doing it.
 *
 * An event's plan is a list of ordinary ID actions, worked out from the
 * records as they stand:
 *	leaver	lock every ID the person owns; take them off the users of
 *		each shared ID (id.users), or lock a shared ID they were the
 *		last user of; hr.apply marks each such shared ID for a
 *		password change (account.password_due)
 *	leave	suspend their active IDs
 *	return	resume their suspended IDs
 *	joiner	issue the IDs the birthright table gives their post
 *	mover	revoke the IDs only the old post had (personal and
 *		privileged, on the systems the old post's birthright names
 *		and the new one's does not), issue the new post's
 * Applying an event is one transaction: the hr.apply entry, then each
 * step's own entry, so the ledger shows each change and why.  Targets
 * are driven from the outbox as for any action.
 *
 * A plan is there to be reviewed before its day (daicho events plan, the
 * console's Events screen).  On the day the sweep (daicho sweep, run by a
 * timer as the system) applies every pending event whose date has come,
 * and revokes a leaver's locked IDs once the grace period is over; an
 * operator may apply an event on or after its day without waiting.  The
 * grants are the birthright table's, which two people decided, and the
 * import that made the events was itself confirmed by a second person
 * when it took away more than the threshold.  An event that cannot be
 * applied (an ID's login already taken, say) is left pending and named;
 * the others go on.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

#define PLAN_VALUES	8

struct plan_step {
	struct core_hr_step	 pub;
	char			 val[PLAN_VALUES][256];
};

static struct core_hr_step *
plan_add(struct core_hr_plan *p, const char *action, const char *what)
{
	struct plan_step	*ps;

	p->steps = xgrow(p->steps, &p->cap, p->n + 1, sizeof *p->steps);
	ps = xcalloc(1, sizeof *ps);
	p->steps[p->n++] = &ps->pub;
	ps->pub.action = action;
	snprintf(ps->pub.what, sizeof ps->pub.what, "%s", what);
	return &ps->pub;
}

/* Add name=value to a step, the value copied into the step. */
static void
plan_arg(struct core_hr_step *st, const char *name, const char *value)
{
	struct plan_step	*ps = (struct plan_step *)st;
	size_t			 i = st->args.n;

	if (value == NULL)
		return;
	if (i >= PLAN_VALUES)
		fatalx("plan_arg: too many arguments");
	snprintf(ps->val[i], sizeof ps->val[i], "%s", value);
	store_args_add(&st->args, name, ps->val[i]);
}

/* One step on one ID: action system/login, with a reason. */
static void
plan_id(struct core_hr_plan *p, const char *action, const char *system,
    const char *login, const char *reason)
{
	struct core_hr_step	*st;
	char			 what[256];

	/* TRANSLATORS: a step of an HR event's plan: ACTION LOGIN on SYSTEM;
	 * the action's name stays as it is. */
	snprintf(what, sizeof what, _("%s %s on %s"), action, login, system);
	st = plan_add(p, action, what);
	plan_arg(st, "system", system);
	plan_arg(st, "login", login);
	if (reason != NULL)
		plan_arg(st, "reason", reason);
}

/* action on each ID the person owns in a state of states ('a','b'). */
static int
plan_owned(struct store *s, struct core_hr_plan *p, const char *states,
    const char *action, const char *reason, char **cause)
{
	struct store_stmt	*st;
	char			*sql;
	int			 r;

	xasprintf(&sql, "SELECT system, login FROM account WHERE owner = ? "
	    "AND state IN (%s) ORDER BY system, login", states);
	st = store_prepare(s, sql, cause);
	free(sql);
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, p->employee_no);
	while ((r = store_step(st, cause)) == STORE_ROW)
		plan_id(p, action, store_col_text(st, 0),
		    store_col_text(st, 1), reason);
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/* The shared IDs a leaver used: fewer users, or locked when none left. */
static int
plan_shared(struct store *s, struct core_hr_plan *p, const char *reason,
    char **cause)
{
	struct core_hr_step	*step;
	struct store_stmt	*st;
	const char		*rest;
	char			 what[256];
	int			 r;

	if ((st = store_prepare(s, "SELECT a.system, a.login, (SELECT "
	    "group_concat(employee_no, ',') FROM (SELECT o.employee_no FROM "
	    "account_user o WHERE o.system = a.system AND o.login = a.login "
	    "AND o.employee_no <> ?1 ORDER BY o.employee_no)) FROM account a "
	    "JOIN account_user u ON u.system = a.system AND u.login = a.login "
	    "WHERE u.employee_no = ?1 AND a.kind = 'shared' AND a.state <> "
	    "'revoked' ORDER BY a.system, a.login", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, p->employee_no);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		rest = store_col_text(st, 2);
		if (*rest == '\0') {
			if (strcmp(store_col_text(st, 2), "") == 0)
				plan_id(p, "id.lock", store_col_text(st, 0),
				    store_col_text(st, 1), reason);
			continue;
		}
		/* TRANSLATORS: a plan's step: the shared ID LOGIN on SYSTEM
		 * keeps only these users (employee numbers). */
		snprintf(what, sizeof what, _("id.users %s on %s: %s"),
		    store_col_text(st, 1), store_col_text(st, 0), rest);
		step = plan_add(p, "id.users", what);
		plan_arg(step, "system", store_col_text(st, 0));
		plan_arg(step, "login", store_col_text(st, 1));
		plan_arg(step, "users", rest);
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/* The login a birthright ID gets: the employee number in lower case. */
static void
plan_login(const char *no, const char *kind, char *out, size_t len)
{
	size_t	 i;

	snprintf(out, len, "%s%s%s", no[0] >= '0' && no[0] <= '9' ? "e" : "",
	    no, strcmp(kind, "privileged") == 0 ? "-adm" : "");
	for (i = 0; out[i] != '\0'; i++) {
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	}
}

/*
 * The end of the fiscal year (March 31) on or after date: a privileged
 * birthright ID lasts the posting's year and is asked for again.
 */
static void
plan_fiscal_end(const char *date, char *out)
{
	unsigned	 y = (unsigned)(date[0] - '0') * 1000 +
	    (unsigned)(date[1] - '0') * 100 + (unsigned)(date[2] - '0') * 10 +
	    (unsigned)(date[3] - '0');

	if (strncmp(date + 5, "03-31", 5) > 0)
		y++;
	snprintf(out, 11, "%04u-03-31", y % 10000);
}

/*
 * The birthright of dept/pos (NULL: none) as "system\tkind" lines into a
 * sorted array; caller frees each and the array.
 */
static int
plan_birthright(struct store *s, const char *dept, const char *pos,
    char ***out, size_t *n, char **cause)
{
	struct store_stmt	*st;
	size_t			 cap = 0;
	int			 r;

	*out = NULL;
	*n = 0;
	if (dept == NULL)
		return 0;
	if ((st = store_prepare(s, "SELECT DISTINCT system || char(9) || kind "
	    "FROM birthright WHERE department IN (?1, '*') AND position IN "
	    "(?2, '*') ORDER BY 1", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, dept);
	store_bind_text(st, 2, pos);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		*out = xgrow(*out, &cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = xstrdup(store_col_text(st, 0));
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

static int
plan_has(char **v, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return 1;
	}
	return 0;
}

static void
plan_strings_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Whether the person owns a live ID of kind on system. */
static int
plan_live(struct store *s, const char *system, const char *no,
    const char *kind, int *yes, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, "SELECT 1 FROM account WHERE system = ? "
	    "AND owner = ? AND kind = ? AND state <> 'revoked'",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, no);
	store_bind_text(st, 3, kind);
	r = store_step(st, cause);
	store_finalize(st);
	*yes = r == STORE_ROW;
	return r == -1 ? -1 : 0;
}

/* Revoke the person's live IDs of kind on system (the old post's). */
static int
plan_revoke(struct store *s, struct core_hr_plan *p, const char *system,
    const char *kind, char **cause)
{
	struct store_stmt	*st;
	char			 reason[96];
	int			 r;

	if ((st = store_prepare(s, "SELECT login FROM account WHERE system = "
	    "? AND owner = ? AND kind = ? AND state <> 'revoked' ORDER BY "
	    "login", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	store_bind_text(st, 2, p->employee_no);
	store_bind_text(st, 3, kind);
	/* English, as recorded; people read core_hr_reason_shown's. */
	snprintf(reason, sizeof reason, "moved: only the old post had it "
	    "(event %lld)", (long long)p->event);
	while ((r = store_step(st, cause)) == STORE_ROW)
		plan_id(p, "id.revoke", system, store_col_text(st, 0), reason);
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/* Issue the new post's IDs the person has not got; revoke the old's. */
static int
plan_post(struct store *s, struct core_hr_plan *p, const char *name,
    const char *dept, const char *pos, const char *fdept, const char *fpos,
    char **cause)
{
	struct core_hr_step	*st;
	char			**now, **before, *kind, login[48], end[11];
	char			 what[256];
	size_t			 nn, nb, i;
	int			 yes, r = -1;

	if (plan_birthright(s, dept, pos, &now, &nn, cause) != 0)
		return -1;
	if (plan_birthright(s, fdept, fpos, &before, &nb, cause) != 0)
		goto out;
	for (i = 0; i < nb; i++) {
		if (plan_has(now, nn, before[i]))
			continue;
		kind = strchr(before[i], '\t');
		*kind++ = '\0';
		if (plan_revoke(s, p, before[i], kind, cause) != 0)
			goto out;
	}
	for (i = 0; i < nn; i++) {
		kind = strchr(now[i], '\t');
		*kind++ = '\0';
		if (plan_live(s, now[i], p->employee_no, kind, &yes,
		    cause) != 0)
			goto out;
		if (yes)
			continue;
		plan_login(p->employee_no, kind, login, sizeof login);
		/* TRANSLATORS: a plan's step: id.create LOGIN on SYSTEM
		 * (KIND, a word such as "personal", translated). */
		snprintf(what, sizeof what, _("id.create %s on %s (%s)"),
		    login, now[i], _(kind));
		st = plan_add(p, "id.create", what);
		plan_arg(st, "system", now[i]);
		plan_arg(st, "login", login);
		plan_arg(st, "kind", kind);
		plan_arg(st, "owner", p->employee_no);
		plan_arg(st, "name", name);
		if (strcmp(kind, "privileged") == 0) {
			plan_fiscal_end(p->effective, end);
			plan_arg(st, "end_date", end);
		}
	}
	r = 0;
out:
	plan_strings_free(now, nn);
	plan_strings_free(before, nb);
	return r;
}

/* The event and its person into p. 1 when there is no such event. */
static int
plan_load(struct store *s, int64_t event, struct core_hr_plan *p,
    char *buf, size_t len, char **cause)
{
	struct store_stmt	*st;
	size_t			 k;
	int			 r;

	if ((st = store_prepare(s, "SELECT e.kind, e.employee_no, "
	    "e.effective, e.state, coalesce(e.from_department, ''), "
	    "coalesce(e.from_position, ''), coalesce(p.name_kanji, ''), "
	    "coalesce(p.department, ''), coalesce(p.position, ''), "
	    "e.from_department IS NULL FROM hr_event e LEFT JOIN person p "
	    "USING (employee_no) WHERE e.id = ?", cause)) == NULL)
		return -1;
	store_bind_int(st, 1, event);
	if ((r = store_step(st, cause)) != STORE_ROW) {
		store_finalize(st);
		return r == -1 ? -1 : 1;
	}
	p->event = event;
	for (k = 0; k < CORE_HR_NKINDS; k++) {
		if (strcmp(store_col_text(st, 0), core_hr_event_kinds[k]) == 0)
			p->kind = (int)k;
	}
	snprintf(p->employee_no, sizeof p->employee_no, "%s",
	    store_col_text(st, 1));
	snprintf(p->effective, sizeof p->effective, "%s",
	    store_col_text(st, 2));
	snprintf(p->state, sizeof p->state, "%s", store_col_text(st, 3));
	/* name, dept, pos, from dept, from pos: NUL-separated in buf */
	snprintf(buf, len, "%s%c%s%c%s%c%s%c%s", store_col_text(st, 6), 0,
	    store_col_text(st, 7), 0, store_col_text(st, 8), 0,
	    store_col_text(st, 4), 0, store_col_text(st, 5));
	p->from_none = (int)store_col_int(st, 9);
	store_finalize(st);
	return 0;
}

int
core_hr_plan(struct store *s, int64_t event, struct core_hr_plan *p,
    char **cause)
{
	char		 buf[1024], reason[128];
	const char	*name, *dept, *pos, *fdept, *fpos;
	int		 r;

	memset(p, 0, sizeof *p);
	memset(buf, 0, sizeof buf);
	if ((r = plan_load(s, event, p, buf, sizeof buf, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, _("no event %lld"), (long long)event);
		return -1;
	}
	name = buf;
	dept = name + strlen(name) + 1;
	pos = dept + strlen(dept) + 1;
	fdept = pos + strlen(pos) + 1;
	fpos = fdept + strlen(fdept) + 1;
	/* English, as recorded; people read core_hr_reason_shown's. */
	snprintf(reason, sizeof reason, "%s %s (event %lld)",
	    core_hr_event_kinds[p->kind], p->effective, (long long)event);
	switch (p->kind) {
	case CORE_HR_LEAVER:
		if (plan_owned(s, p, "'active', 'suspended', 'pending', "
		    "'dormant'", "id.lock", reason, cause) != 0 ||
		    plan_shared(s, p, reason, cause) != 0)
			goto fail;
		break;
	case CORE_HR_LEAVE:
		if (plan_owned(s, p, "'active', 'pending'", "id.suspend",
		    reason, cause) != 0)
			goto fail;
		break;
	case CORE_HR_RETURN:
		if (plan_owned(s, p, "'suspended'", "id.resume", reason,
		    cause) != 0)
			goto fail;
		break;
	case CORE_HR_JOINER:
	case CORE_HR_MOVER:
		if (plan_post(s, p, name, dept, pos, p->from_none ? NULL :
		    fdept, fpos, cause) != 0)
			goto fail;
		break;
	}
	return 0;
fail:
	core_hr_plan_free(p);
	return -1;
}

void
core_hr_plan_free(struct core_hr_plan *p)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		free(p->steps[i]);
	free(p->steps);
	p->steps = NULL;
	p->n = p->cap = 0;
}

/* hr.apply: the event has come, and is done by the entries after it. */
static int
hr_apply_validate(struct core_run *run, char **cause)
{
	const char		*ev, *errstr;
	struct core_hr_plan	 p;
	long long		 id;
	char			 buf[1024], today[11];
	int			 r;

	if (core_arg(run, "event", &ev, cause) != 0)
		return -1;
	if (number_parse(ev, 1, INT64_MAX, &id, &errstr) != 0) {
		xasprintf(cause, _("hr.apply: event %.20s is %s"), ev,
		    _(errstr));
		return -1;
	}
	memset(&p, 0, sizeof p);
	if ((r = plan_load(run->store, id, &p, buf, sizeof buf, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, _("hr.apply: no event %lld"), id);
		return -1;
	}
	if (strcmp(p.state, "pending") != 0) {
		xasprintf(cause, _("hr.apply: event %lld is %s, not pending"),
		    id, p.state);
		return -1;
	}
	core_today(today);
	if (strcmp(p.effective, today) > 0) {
		xasprintf(cause, _("hr.apply: event %lld takes effect on %s, "
		    "not before"), id, p.effective);
		return -1;
	}
	xasprintf(&run->subject, "person:%s", p.employee_no);
	return 0;
}

static int
hr_apply_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*ev = store_args_get(&e->args, "event");
	const char	*no = store_args_get(&e->args, "employee_no");
	const char	*kind = store_args_get(&e->args, "kind");
	char		 idx[24], why[96];
	int		 yes;

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (core_exists(s, "SELECT 1 FROM hr_event WHERE id = ? AND "
	    "employee_no = ? AND state = 'pending'", ev, no, &yes, cause) != 0)
		return -1;
	if (!yes || kind == NULL) {
		xasprintf(cause, _("hr.apply: event %s of %s is not pending"),
		    ev, no != NULL ? no : "?");
		return -1;
	}
	if (core_sql(s, "UPDATE hr_event SET state = 'applied', changed_idx = "
	    "?1 WHERE id = ?2 AND kind = ?3", cause, 3, idx, ev, kind) != 0)
		return -1;
	if (strcmp(kind, "leaver") != 0)
		return 0;
	/*
	 * Whoever knew a shared ID's password and left: it must change.
	 * English, as the state keeps it: core_password_due_shown.
	 */
	snprintf(why, sizeof why, "%s left (event %s)", no, ev);
	return core_sql(s, "UPDATE account SET password_due = ?1, changed_idx "
	    "= ?2 WHERE kind = 'shared' AND state <> 'revoked' AND (system, "
	    "login) IN (SELECT system, login FROM account_user WHERE "
	    "employee_no = ?3)", cause, 3, why, idx, no);
}

void
core_password_due_shown(const char *why, char *buf, size_t len)
{
	const char	*left = strstr(why, " left (event "), *ev, *end;

	if (left != NULL) {
		ev = left + strlen(" left (event ");
		end = strchr(ev, ')');
		if (end != NULL && end[1] == '\0' && end > ev) {
			/* TRANSLATORS: why a shared ID's password must
			 * change: EMPLOYEE_NO left (event N). */
			snprintf(buf, len, _("%.*s left (event %.*s)"),
			    (int)(left - why), why, (int)(end - ev), ev);
			return;
		}
	}
	snprintf(buf, len, "%s", why);
}

void
core_hr_reason_shown(const char *reason, char *buf, size_t len)
{
	char	 kind[12], date[11], ev[21], days[8];
	size_t	 k;
	int	 n = 0;

	if (sscanf(reason, "moved: only the old post had it (event "
	    "%20[0-9])%n", ev, &n) == 1 && n > 0 && reason[n] == '\0') {
		snprintf(buf, len, _("moved: only the old post had it "
		    "(event %s)"), ev);
		return;
	}
	n = 0;
	if (sscanf(reason, "left %10[0-9-] (event %20[0-9]), %7[0-9] days "
	    "of grace over%n", date, ev, days, &n) == 3 && n > 0 &&
	    reason[n] == '\0') {
		/* TRANSLATORS: left on DATE (event N), DAYS days of grace
		 * over: why a leaver's ID is revoked. */
		snprintf(buf, len, _("left %s (event %s), %s days of grace "
		    "over"), date, ev, days);
		return;
	}
	n = 0;
	if (sscanf(reason, "%11[a-z] %10[0-9-] (event %20[0-9])%n", kind,
	    date, ev, &n) == 3 && n > 0 && reason[n] == '\0') {
		for (k = 0; k < CORE_HR_NKINDS; k++) {
			if (strcmp(kind, core_hr_event_kinds[k]) != 0)
				continue;
			/* TRANSLATORS: an HR event's KIND (translated)
			 * DATE (event N): why its plan acts on an ID. */
			snprintf(buf, len, _("%s %s (event %s)"), _(kind),
			    date, ev);
			return;
		}
	}
	snprintf(buf, len, "%s", reason);
}

static const struct core_param hr_apply_params[] = {
	{ "event", CORE_ARG_REQUIRED, N_("the event's number (daicho "
	    "events)") },
	{ "kind", CORE_ARG_REQUIRED, N_("the event's kind") },
	{ "employee_no", CORE_ARG_REQUIRED, N_("whose event it is") },
	{ "steps", CORE_ARG_REQUIRED, N_("the entries of its plan that "
	    "follow") },
	{ NULL, 0, NULL }
};

const struct core_action core_action_hr_apply = {
	.name = "hr.apply",
	.summary = N_("Carry out an HR event's plan (the entries after it)"),
	.roles = CORE_ROLE_ADMIN | CORE_ROLE_SYSTEM,
	.flags = CORE_INTERNAL,
	.params = hr_apply_params,
	.validate = hr_apply_validate,
	.apply = hr_apply_apply,
};

int
core_hr_apply(struct store *s, const struct core_actor *who, int64_t event,
    size_t *steps, char **cause)
{
	struct core_hr_plan	 p;
	struct store_args	 args = { 0 };
	char			 ev[24], n[24], *why = NULL;
	size_t			 i;

	if (core_begin(s, cause) != 0)
		return -1;
	if (core_hr_plan(s, event, &p, cause) != 0)
		goto fail;
	snprintf(ev, sizeof ev, "%lld", (long long)event);
	snprintf(n, sizeof n, "%zu", p.n);
	store_args_add(&args, "event", ev);
	store_args_add(&args, "kind", core_hr_event_kinds[p.kind]);
	store_args_add(&args, "employee_no", p.employee_no);
	store_args_add(&args, "steps", n);
	if (core_run(s, "hr.apply", who, &args, NULL, cause) != 0)
		goto fail_plan;
	for (i = 0; i < p.n; i++) {
		if (core_run(s, p.steps[i]->action, who, &p.steps[i]->args,
		    NULL, &why) != 0) {
			xasprintf(cause, _("event %lld, step %zu of %zu "
			    "(%s): %s"), (long long)event, i + 1, p.n,
			    p.steps[i]->what, why);
			free(why);
			goto fail_plan;
		}
	}
	if (steps != NULL)
		*steps = p.n;
	core_hr_plan_free(&p);
	return core_commit(s, cause);
fail_plan:
	core_hr_plan_free(&p);
fail:
	core_rollback(s);
	return -1;
}

/* The events the sweep applies: those whose day has come. */
static int
sweep_due(struct store *s, const char *today, int64_t **ids, size_t *n,
    char **cause)
{
	struct store_stmt	*st;
	size_t			 cap = 0;
	int			 r;

	*ids = NULL;
	*n = 0;
	if ((st = store_prepare(s, "SELECT id FROM hr_event WHERE state = "
	    "'pending' AND effective <= ? ORDER BY effective, id",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, today);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		*ids = xgrow(*ids, &cap, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = store_col_int(st, 0);
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/*
 * A leaver's IDs still locked (not revoked) grace days after the leaving
 * date: revoked, in one transaction.
 */
static int
sweep_revoke(struct store *s, const struct core_actor *sys,
    const char *today, int grace, struct core_hr_sweep *out, char **cause)
{
	struct core_hr_plan	 p;
	struct store_stmt	*st;
	char			 days[24], reason[128];
	size_t			 i;
	int			 r;

	memset(&p, 0, sizeof p);
	snprintf(days, sizeof days, "-%d days", grace);
	if ((st = store_prepare(s, "SELECT a.system, a.login, e.id, "
	    "e.effective FROM account a JOIN hr_event e ON e.employee_no = "
	    "a.owner AND e.kind = 'leaver' AND e.state = 'applied' WHERE "
	    "a.state IN ('locked', 'dormant', 'expired') AND e.effective <= "
	    "date(?1, ?2) ORDER BY a.system, a.login", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, today);
	store_bind_text(st, 2, days);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		/* English, as recorded: core_hr_reason_shown. */
		snprintf(reason, sizeof reason, "left %s (event %lld), %d days "
		    "of grace over", store_col_text(st, 3),
		    (long long)store_col_int(st, 2), grace);
		plan_id(&p, "id.revoke", store_col_text(st, 0),
		    store_col_text(st, 1), reason);
	}
	store_finalize(st);
	if (r == -1 || core_begin(s, cause) != 0)
		goto fail;
	for (i = 0; i < p.n; i++) {
		if (core_run(s, "id.revoke", sys, &p.steps[i]->args, NULL,
		    cause) != 0) {
			core_rollback(s);
			goto fail;
		}
	}
	if (core_commit(s, cause) != 0)
		goto fail;
	out->revoked = p.n;
	core_hr_plan_free(&p);
	return 0;
fail:
	core_hr_plan_free(&p);
	return -1;
}

int
core_hr_sweep(struct store *s, int grace, void (*failed)(void *,
    const char *), void *arg, struct core_hr_sweep *out, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	char			 today[11], *why = NULL;
	int64_t			*ids;
	size_t			 n, i, steps;

	memset(out, 0, sizeof *out);
	core_today(today);
	if (sweep_due(s, today, &ids, &n, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (core_hr_apply(s, &sys, ids[i], &steps, &why) != 0) {
			failed(arg, why);
			free(why);
			why = NULL;
			out->failed++;
			continue;
		}
		out->events++;
		out->steps += steps;
	}
	free(ids);
	return sweep_revoke(s, &sys, today, grace, out, cause);
}

int
core_hr_mover_revokes(struct store *s, const char *no, const char *fdept,
    const char *fpos, const char *dept, const char *pos, int64_t *n,
    char **cause)
{
	struct store_stmt	*st;
	int			 r;

	/* Live IDs on what the old post's birthright names and the new's
	 * does not: what the mover's plan will revoke. */
	if ((st = store_prepare(s, "SELECT count(*) FROM account a WHERE "
	    "a.owner = ?1 AND a.state <> 'revoked' AND EXISTS (SELECT 1 FROM "
	    "birthright b WHERE b.system = a.system AND b.kind = a.kind AND "
	    "b.department IN (?2, '*') AND b.position IN (?3, '*')) AND NOT "
	    "EXISTS (SELECT 1 FROM birthright b WHERE b.system = a.system AND "
	    "b.kind = a.kind AND b.department IN (?4, '*') AND b.position IN "
	    "(?5, '*'))", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, no);
	store_bind_text(st, 2, fdept);
	store_bind_text(st, 3, fpos);
	store_bind_text(st, 4, dept);
	store_bind_text(st, 5, pos);
	r = store_step(st, cause);
	*n = r == STORE_ROW ? store_col_int(st, 0) : 0;
	store_finalize(st);
	return r == -1 ? -1 : 0;
}
