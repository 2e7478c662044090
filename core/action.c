/*
 * action.c -- the action table and running an action.
 *
 * Running an action is one transaction:
 *	1. check the operator's role (and the approver's, for two-person
 *	   actions);
 *	2. validate the arguments against the state;
 *	3. append the entry to the ledger;
 *	4. apply it, parsed back from its exact bytes, so live operation and
 *	   replay run the same code on the same input;
 *	5. queue the target operations it implies in the outbox (apply
 *	   does this, so replay rebuilds the outbox too);
 *	6. commit, which signs a checkpoint.
 * Any failure rolls everything back: nothing is half-applied.
 */
#include "config.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

const struct core_action *const core_actions[] = {
	&core_action_ledger_init,
	&core_action_ledger_rotate,
	&core_action_operator_add,
	&core_action_operator_remove,
	&core_action_operator_role,
	&core_action_person_add,
	&core_action_session_login,
	&core_action_session_failure,
	&core_action_session_logout,
	&core_action_session_lock,
	&core_action_session_unlock,
	&core_action_system_add,
	&core_action_id_create,
	&core_action_id_adopt,
	&core_action_id_lock,
	&core_action_id_unlock,
	&core_action_id_suspend,
	&core_action_id_resume,
	&core_action_id_revoke,
	&core_action_id_end_date,
	&core_action_id_owner,
	&core_action_id_users,
	&core_action_id_break_glass,
	&core_action_id_reset_password,
	&core_action_outbox_result,
	&core_action_incident_lock,
	&core_action_incident_restore,
	&core_action_id_lost_card,
	&core_action_workorder_done,
	&core_action_workorder_refuse,
	&core_action_finding_lock,
	&core_action_finding_remove,
	&core_action_hr_import,
	&core_action_hr_apply,
	&core_action_birthright_add,
	&core_action_birthright_remove,
	&core_action_data_export,
	&core_action_id_expire,
	&core_action_policy_set,
	&core_action_id_set_password,
	&core_action_id_force_change,
	&core_action_id_rotate_password,
	&core_action_id_password_seen,
	&core_action_operator_person,
	&core_action_priv_request,
	&core_action_priv_approve,
	&core_action_priv_reject,
	&core_action_priv_end,
	&core_action_priv_describe,
	&core_action_stocktake_start,
	&core_action_stocktake_decide,
	&core_action_stocktake_close,
	&core_action_stocktake_confirm,
	&core_action_review_done,
	&core_action_report_inspection,
	&core_action_report_remove,
	&core_action_exception_request,
	&core_action_exception_approve,
	&core_action_exception_reject,
	&core_action_exception_emergency,
	&core_action_exception_report,
	&core_action_exception_end,
	&core_action_exception_expire,
	NULL
};

static const struct {
	const char	*name;
	int		 bit;
} core_roles[] = {
	{ "admin", CORE_ROLE_ADMIN },
	{ "approver", CORE_ROLE_APPROVER },
	{ "auditor", CORE_ROLE_AUDITOR },
};

const struct core_action *
core_action_find(const char *name)
{
	const struct core_action *const *a;

	for (a = core_actions; *a != NULL; a++) {
		if (strcmp((*a)->name, name) == 0)
			return *a;
	}
	return NULL;
}

int
core_role_parse(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof core_roles / sizeof core_roles[0]; i++) {
		if (strcmp(core_roles[i].name, name) == 0)
			return core_roles[i].bit;
	}
	return 0;
}

const char *
core_role_name(int bit)
{
	size_t	 i;

	for (i = 0; i < sizeof core_roles / sizeof core_roles[0]; i++) {
		if (core_roles[i].bit == bit)
			return core_roles[i].name;
	}
	return "?";
}

int
core_login_name_ok(const char *s)
{
	size_t	 i, len = strlen(s);

	/* POSIX portable user names, as shadow-utils accepts by default. */
	if (len == 0 || len > 32 || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '_' || s[i] == '.' ||
		    (s[i] == '-' && i > 0)))
			return 0;
	}
	return !(s[0] >= '0' && s[0] <= '9') && strcmp(s, ".") != 0 &&
	    strcmp(s, "..") != 0;
}

const char *
core_run_keep(struct core_run *run, char *value)
{
	if (run->nowned == sizeof run->owned / sizeof run->owned[0])
		fatalx("core_run_keep: too many generated values");
	run->owned[run->nowned++] = value;
	return value;
}

int
core_arg(const struct core_run *run, const char *name, const char **value,
    char **cause)
{
	if ((*value = store_args_get(&run->args, name)) == NULL) {
		xasprintf(cause, _("%s: the argument %s is required"),
		    run->action->name, name);
		return -1;
	}
	return 0;
}

int
core_text_ok(const char *what, size_t max, const char *v, char **cause)
{
	const unsigned char	*p, *start = (const unsigned char *)v;
	size_t			 n, len = strlen(v);
	uint32_t		 cp;

	if (*v == '\0') {
		xasprintf(cause, _("%s is empty"), what);
		return -1;
	}
	if (len > max) {
		xasprintf(cause, _("%s is longer than %zu bytes"), what, max);
		return -1;
	}
	/*
	 * Text goes to terminals, files and other programs: no C0 or C1
	 * control (a line break would be a new request line for an exec
	 * program, an escape would repaint an auditor's terminal), and
	 * nothing but valid UTF-8.
	 */
	for (p = start; *p != '\0'; p += n) {
		if ((n = vis_utf8(p, len - (size_t)(p - start), &cp)) == 0) {
			xasprintf(cause, _("%s is not valid UTF-8 (byte %zu)"),
			    what, (size_t)(p - start) + 1);
			return -1;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			xasprintf(cause, _("%s contains a control character "
			    "(U+%04X)"), what, (unsigned)cp);
			return -1;
		}
	}
	return 0;
}

/* YYYY-MM-DD naming a real day. */
int
core_date_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	 y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return 0;
	return 1;
}

int
core_exists(struct store *s, const char *sql, const char *a, const char *b,
    int *yes, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, sql, cause)) == NULL)
		return -1;
	store_bind_text(st, 1, a);
	if (b != NULL)
		store_bind_text(st, 2, b);
	r = store_step(st, cause);
	*yes = r == STORE_ROW;
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

int
core_person_exists(struct store *s, const char *no, int *yes, char **cause)
{
	return core_exists(s, "SELECT 1 FROM person WHERE employee_no = ?", no,
	    NULL, yes, cause);
}

int
core_operator_role(struct store *s, const char *name, char **cause)
{
	struct store_stmt	*st;
	int			 r, role = 0;

	if ((st = store_prepare(s, "SELECT role FROM operator WHERE "
	    "name = ? AND state = 'active'", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, name);
	if ((r = store_step(st, cause)) == STORE_ROW)
		role = core_role_parse(store_col_text(st, 0));
	store_finalize(st);
	return r == -1 ? -1 : role;
}

int
core_sql(struct store *s, const char *sql, char **cause, int n, ...)
{
	struct store_stmt	*st;
	va_list			 ap;
	const char		*v;
	int			 i, r;

	if ((st = store_prepare(s, sql, cause)) == NULL)
		return -1;
	va_start(ap, n);
	for (i = 1; i <= n; i++) {
		if ((v = va_arg(ap, const char *)) == NULL)
			store_bind_null(st, i);
		else
			store_bind_text(st, i, v);
	}
	va_end(ap);
	r = store_step(st, cause);
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/*
 * Whether the ledger has ever had an approver.  Until it has, two-person
 * actions are done by one admin (there is nobody to be the second): this
 * is how the first operators are made, and the entries say so.
 */
static int
core_bootstrapping(struct store *s, int *yes, char **cause)
{
	int64_t	 n;

	if (store_query_int(s, "SELECT count(*) FROM operator WHERE "
	    "ever_approver", &n, cause) != 0)
		return -1;
	*yes = n == 0;
	return 0;
}

int
core_needs_approver(struct store *s, const char *name)
{
	const struct core_action *a = core_action_find(name);
	char			*cause = NULL;
	int			 boot;

	if (a == NULL || !(a->flags & CORE_TWO_PERSON))
		return 0;
	if (core_bootstrapping(s, &boot, &cause) != 0) {
		free(cause);
		return 1;	/* when in doubt, ask for the second person */
	}
	return !boot;
}

/* The second person: someone else, an active approver. */
static int
core_check_approver(struct store *s, const struct core_action *a,
    const struct core_actor *who, char **cause)
{
	int	 role;

	if (strcmp(who->approver, who->operator) == 0) {
		xasprintf(cause, _("%s: the approver must be a different "
		    "person from the operator"), a->name);
		return -1;
	}
	if ((role = core_operator_role(s, who->approver, cause)) == -1)
		return -1;
	if (role != CORE_ROLE_APPROVER) {
		xasprintf(cause, _("%s: %s is not an active operator with the "
		    "approver role"), a->name, who->approver);
		return -1;
	}
	return 0;
}

int
core_check_roles(struct store *s, const struct core_action *a,
    const struct core_actor *who, char **cause)
{
	int64_t	 n;
	int	 role, boot;

	if (strcmp(who->operator, STORE_SYSTEM_ACTOR) == 0) {
		if (!(a->roles & CORE_ROLE_SYSTEM)) {
			xasprintf(cause, _("%s: must be done by an operator, "
			    "not by the system"), a->name);
			return -1;
		}
		if (a->flags & CORE_SYSTEM_FIRST) {
			if (store_query_int(s, "SELECT count(*) FROM operator",
			    &n, cause) != 0)
				return -1;
			if (n != 0) {
				xasprintf(cause, _("%s: the system may do this "
				    "only for the first operator, while the "
				    "ledger has none"), a->name);
				return -1;
			}
		}
		role = CORE_ROLE_SYSTEM;
	} else {
		if ((role = core_operator_role(s, who->operator,
		    cause)) == -1)
			return -1;
		if (role == 0) {
			xasprintf(cause, _("%s: %s is not an active operator"),
			    a->name, who->operator);
			return -1;
		}
		if (!(a->roles & role)) {
			xasprintf(cause, _("%s: the %s role may not do this "
			    "(%s is %s)"), a->name, core_role_name(role),
			    who->operator, core_role_name(role));
			return -1;
		}
	}
	if (!(a->flags & CORE_TWO_PERSON)) {
		if (who->approver != NULL && (a->flags & CORE_MAY_APPROVE))
			return core_check_approver(s, a, who, cause);
		if (who->approver != NULL) {
			xasprintf(cause, _("%s: needs no second person"),
			    a->name);
			return -1;
		}
		return 0;
	}
	if (core_bootstrapping(s, &boot, cause) != 0)
		return -1;
	if (who->approver == NULL) {
		if (boot)
			return 0;
		xasprintf(cause, _("%s: needs a second person with the "
		    "approver role"), a->name);
		return -1;
	}
	return core_check_approver(s, a, who, cause);
}

static void
core_run_clear(struct core_run *run)
{
	size_t	 i;

	for (i = 0; i < run->nowned; i++)
		free(run->owned[i]);
	free(run->subject);
}

/* Append and apply one action inside an open transaction. */
static int
core_run_one(struct store *s, const struct core_action *a,
    const struct core_actor *who, const struct store_args *args,
    uint64_t *index, char **cause)
{
	struct core_run		 run;
	struct store_entry	*e = NULL;
	const uint8_t		*bytes;
	size_t			 len;
	uint64_t		 idx;
	int			 r = -1;

	memset(&run, 0, sizeof run);
	run.store = s;
	run.action = a;
	run.actor = who;
	run.args = *args;

	if (core_check_roles(s, a, who, cause) != 0 ||
	    core_args_known(a, args, cause) != 0 ||
	    a->validate(&run, cause) != 0)
		goto out;
	assert(run.subject != NULL);
	if (store_ledger_append(s, a->name, who->operator, who->approver,
	    run.subject, &run.args, (a->flags & CORE_SIGNED) ?
	    STORE_APPEND_SIGN : 0, &idx, cause) != 0)
		goto out;
	if (store_ledger_last(s, idx, &bytes, &len, cause) != 0 ||
	    (e = store_entry_parse(bytes, len, cause)) == NULL)
		goto out;
	if (a->apply(s, e, cause) != 0)
		goto out;
	core_syslog_note(a, e);
	if (index != NULL)
		*index = idx;
	r = 0;
out:
	store_entry_free(e);
	core_run_clear(&run);
	return r;
}

int
core_begin(struct store *s, char **cause)
{
	core_system_forget();	/* no listing outlives its transaction */
	core_syslog_forget();
	return store_begin(s, cause);
}

int
core_commit(struct store *s, char **cause)
{
	int	 r = store_commit(s, cause);

	core_syslog_done(s, r == 0);
	return r;
}

void
core_rollback(struct store *s)
{
	store_rollback(s);
	core_syslog_done(s, 0);
}

int
core_rotate(struct store *s, const struct core_actor *who, char **cause)
{
	struct store_args	 none = { 0 };

	return core_run(s, "ledger.rotate", who, &none, NULL, cause);
}

int
core_run(struct store *s, const char *name, const struct core_actor *who,
    const struct store_args *args, uint64_t *index, char **cause)
{
	const struct core_action *a;
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	int			 own = !store_in_txn(s);
	uint64_t		 size;

	if ((a = core_action_find(name)) == NULL) {
		xasprintf(cause, _("%s: no such action"), name);
		return -1;
	}
	if (store_ledger_size(s, &size, cause) != 0)
		return -1;
	if (a != &core_action_ledger_init && size == 0) {
		xasprintf(cause, _("%s: the ledger has not been initialised "
		    "(no ledger.init entry)"), name);
		return -1;
	}
	if ((a->flags & CORE_OWN_TXN) && !own) {
		xasprintf(cause, _("%s: must run in a transaction of its own"),
		    name);
		return -1;
	}
	/* An epoch key older than an hour signs nothing more. */
	if (own && a != &core_action_ledger_rotate &&
	    a != &core_action_ledger_init &&
	    store_epoch_age(s) >= CORE_ROTATE_SECONDS &&
	    core_rotate(s, &sys, cause) != 0)
		return -1;
	if (own)
		core_system_forget();
	if (own && store_begin(s, cause) != 0)
		return -1;
	if (core_run_one(s, a, who, args, index, cause) != 0) {
		if (own)
			core_rollback(s);
		return -1;
	}
	if (own)
		return core_commit(s, cause);
	return 0;
}

/* An mdoc-safe copy of s: a leading '.' or '\'' and backslashes escaped. */
static void
core_man_text(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else
			fputc(*s, f);
	}
}

void
core_actions_man(FILE *f)
{
	const struct core_action *const *a;
	const struct core_param	*p;
	FILE			*mem;
	char			*text, *by;
	size_t			 i, len;
	int			 first;

	fputs(".Bl -tag -width Ds\n", f);
	for (a = core_actions; *a != NULL; a++) {
		fprintf(f, ".It Cm %s\n", (*a)->name);
		/* each sentence ends as its language ends one */
		xasprintf(&text, _("%s."), _((*a)->summary));
		core_man_text(f, text);
		free(text);
		if ((mem = open_memstream(&by, &len)) == NULL)
			fatal("open_memstream");
		fputs(_("By:"), mem);
		first = 1;
		for (i = 0; i < sizeof core_roles / sizeof core_roles[0]; i++) {
			if ((*a)->roles & core_roles[i].bit) {
				fprintf(mem, "%s %s", first ? "" : ",",
				    core_roles[i].name);
				first = 0;
			}
		}
		if ((*a)->roles & CORE_ROLE_SYSTEM)
			fprintf(mem, "%s %s", first ? "" : ",",
			    _("the system"));
		if ((*a)->flags & CORE_TWO_PERSON)
			fputs(_("; two-person (an approver authenticates "
			    "too)"), mem);
		if ((*a)->flags & CORE_INTERNAL)
			fputs(_("; written by daicho itself, never through "
			    "act"), mem);
		if (fclose(mem) != 0)
			fatal("open_memstream");
		fputc('\n', f);
		fprintf(f, _("%s."), by);
		fputc('\n', f);
		free(by);
		if ((*a)->params == NULL || (*a)->params[0].name == NULL)
			continue;
		fputs(".Bl -tag -width Ds -compact\n", f);
		for (p = (*a)->params; p->name != NULL; p++) {
			fprintf(f, ".It Ar %s%s\n", p->name,
			    (p->flags & CORE_ARG_REQUIRED) ? "" :
			    (p->flags & CORE_ARG_MADE) ?
			    _(" (made by daicho)") : _(" (optional)"));
			core_man_text(f, _(p->help));
			fputc('\n', f);
		}
		fputs(".El\n", f);
	}
	fputs(".El\n", f);
}
