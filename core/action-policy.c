/*
 * action-policy.c -- policy.set: the password and privileged-access
 * policy of a scope (a system or any, an ID kind or any), two-person.
 *
 * Its apply writes the policy table (a value "" removes the key from that
 * scope, so the wider scope or daicho's default applies again) and
 * pushes what a target can hold: each unix system in scope gets an
 * "aging" operation for every live ID in scope (the shadow fields,
 * min=N max=N warn=N, from the policy now in force for that ID's kind),
 * all in one INSERT ... SELECT; each ldap system in scope gets one
 * "policy" operation (login "-") for its ppolicy entry.  Exec and manual
 * systems hold no policy: daicho checks it (core_password_check, the
 * findings).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

static const char *const policy_kinds[] = {
	"personal", "shared", "privileged", "contractor", "service", NULL
};

/* Whether the argument name is one of the policy's keys. */
static int
policy_is_key(const char *name)
{
	return core_policy_key_find(name) != NULL;
}

static int
policy_scope_ok(struct core_run *run, const char *system, const char *kind,
    char **cause)
{
	size_t	 i;
	int	 yes;

	if (strcmp(system, "*") != 0) {
		if (core_exists(run->store, "SELECT 1 FROM system WHERE "
		    "name = ?", system, NULL, &yes, cause) != 0)
			return -1;
		if (!yes) {
			xasprintf(cause, _("policy.set: no system \"%.40s\"; "
			    "give a system on record, or * for any"), system);
			return -1;
		}
	}
	if (strcmp(kind, "*") == 0)
		return 0;
	for (i = 0; policy_kinds[i] != NULL; i++) {
		if (strcmp(policy_kinds[i], kind) == 0)
			return 0;
	}
	xasprintf(cause, _("policy.set: kind \"%.40s\" is not personal, "
	    "shared, privileged, contractor, service or *"), kind);
	return -1;
}

static int
policy_set_validate(struct core_run *run, char **cause)
{
	const struct core_policy_key	*k;
	const char			*system, *kind;
	char				*c;
	size_t				 i, n = 0;

	if (core_arg(run, "system", &system, cause) != 0 ||
	    core_arg(run, "kind", &kind, cause) != 0 ||
	    policy_scope_ok(run, system, kind, cause) != 0)
		return -1;
	for (i = 0; i < run->args.n; i++) {
		if ((k = core_policy_key_find(run->args.v[i].name)) == NULL)
			continue;
		n++;
		if (run->args.v[i].value[0] == '\0')
			continue;	/* removed from this scope */
		if (core_policy_value_ok(k, run->args.v[i].value, cause) != 0) {
			c = *cause;
			xasprintf(cause, _("policy.set: %s"), c);
			free(c);
			return -1;
		}
	}
	if (n == 0) {
		xasprintf(cause, _("policy.set: give at least one key to set "
		    "(or \"\" to remove it from this scope); daicho policy "
		    "lists them"));
		return -1;
	}
	xasprintf(&run->subject, "policy:%s/%s", system, kind);
	return 0;
}

/*
 * The SQL value of key in force for an ID of kind kexpr on system sexpr
 * (SQL expressions): the narrowest scope's, else daicho's default.  The
 * order is core_policy_get's.
 */
static char *
policy_sql_value(const char *key, const char *sexpr, const char *kexpr)
{
	const struct core_policy_key	*k = core_policy_key_find(key);
	char				*sql;

	xasprintf(&sql, "coalesce((SELECT p.value FROM policy p WHERE "
	    "p.key = '%s' AND p.system IN (%s, '*') AND p.kind IN (%s, '*') "
	    "ORDER BY p.system <> '*' DESC, p.kind <> '*' DESC LIMIT 1), "
	    "'%s')", k->name, sexpr, kexpr, k->def);
	return sql;
}

/*
 * Queue "aging" for the live IDs on unix systems of system and kind ('*'
 * for any), numbered from seq on; or for the one login when not NULL
 * (a new ID), when policy.set has set aging for its scope: until then
 * the system keeps its own (login.defs), as it did for every ID before.
 */
static int
policy_aging(struct store *s, const char *idx, const char *system,
    const char *kind, const char *login, int seq, char **cause)
{
	char	*mn, *mx, *wn, *sql, base[12];
	int	 r;

	snprintf(base, sizeof base, "%d", seq - 1);
	mn = policy_sql_value("min_age_days", "a.system", "a.kind");
	mx = policy_sql_value("max_age_days", "a.system", "a.kind");
	wn = policy_sql_value("warn_days", "a.system", "a.kind");
	xasprintf(&sql, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) SELECT CAST(?1 AS INTEGER), CAST(?5 AS INTEGER) + "
	    "row_number() OVER (ORDER BY a.system, a.login), a.system, "
	    "'aging', a.login, 'min=' || %s || ' max=' || %s || ' warn=' || %s "
	    "FROM account a JOIN system y ON y.name = a.system WHERE y.type = "
	    "'unix' AND a.state <> 'revoked' AND (?2 = '*' OR a.system = ?2) "
	    "AND (?3 = '*' OR a.kind = ?3) AND %s", mn, mx, wn, login == NULL ?
	    "?4 IS NULL" :
	    /* One ID by its key (never a scan per create), once policy.set
	     * has set aging for its scope. */
	    "a.system = ?2 AND a.login = ?4 AND EXISTS (SELECT 1 FROM "
	    "policy p WHERE p.key IN ('min_age_days', 'max_age_days', "
	    "'warn_days') AND p.system IN (a.system, '*') AND p.kind IN "
	    "(a.kind, '*'))");
	free(mn);
	free(mx);
	free(wn);
	r = core_sql(s, sql, cause, 5, idx, system, kind, login, base);
	free(sql);
	return r;
}

int
core_policy_aging_id(struct store *s, const struct store_entry *e, int seq,
    char **cause)
{
	char	 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return policy_aging(s, idx, store_args_get(&e->args, "system"), "*",
	    store_args_get(&e->args, "login"), seq, cause);
}

/* Queue the unix systems' aging and the ldap systems' ppolicy. */
static int
policy_push(struct store *s, const char *idx, const char *system,
    const char *kind, char **cause)
{
	char	*mn, *mx, *wn, *ml, *hi, *sql;
	int	 r;

	if (policy_aging(s, idx, system, kind, NULL, 1, cause) != 0)
		return -1;
	/* The directory's ppolicy entry holds one policy for all its IDs. */
	ml = policy_sql_value("min_length", "y.name", "'*'");
	mx = policy_sql_value("max_age_days", "y.name", "'*'");
	mn = policy_sql_value("min_age_days", "y.name", "'*'");
	wn = policy_sql_value("warn_days", "y.name", "'*'");
	hi = policy_sql_value("history", "y.name", "'*'");
	xasprintf(&sql, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) SELECT CAST(?1 AS INTEGER), (SELECT coalesce(max(seq), "
	    "-1) FROM outbox WHERE entry_idx = CAST(?1 AS INTEGER)) + "
	    "row_number() OVER (ORDER BY y.name), y.name, 'policy', '-', "
	    "'min_length=' || %s || ' max_age=' || %s || ' min_age=' || %s || "
	    "' warn=' || %s || ' history=' || %s FROM system y WHERE y.type = "
	    "'ldap' AND (?2 = '*' OR y.name = ?2)", ml, mx, mn, wn, hi);
	free(ml);
	free(mx);
	free(mn);
	free(wn);
	free(hi);
	r = core_sql(s, sql, cause, 2, idx, system);
	free(sql);
	return r;
}

static int
policy_set_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*system = store_args_get(&e->args, "system");
	const char	*kind = store_args_get(&e->args, "kind");
	char		 idx[24];
	size_t		 i;
	int		 r;

	if (system == NULL || kind == NULL) {
		xasprintf(cause, _("policy.set: the entry names no scope"));
		return -1;
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	for (i = 0; i < e->args.n; i++) {
		if (!policy_is_key(e->args.v[i].name))
			continue;
		if (e->args.v[i].value[0] == '\0')
			r = core_sql(s, "DELETE FROM policy WHERE system = ? AND "
			    "kind = ? AND key = ?", cause, 3, system, kind,
			    e->args.v[i].name);
		else
			r = core_sql(s, "INSERT OR REPLACE INTO policy (system, "
			    "kind, key, value, set_idx) VALUES (?, ?, ?, ?, "
			    "CAST(? AS INTEGER))", cause, 5, system, kind,
			    e->args.v[i].name, e->args.v[i].value, idx);
		if (r != 0)
			return -1;
	}
	return policy_push(s, idx, system, kind, cause);
}

/* Every key of core_policy_keys (test-password.c checks the list). */
static const struct core_param policy_set_params[] = {
	{ "system", CORE_ARG_REQUIRED, N_("a system, or * for any") },
	{ "kind", CORE_ARG_REQUIRED, N_("personal, shared, privileged, "
	    "contractor, service, or * for any") },
	{ "min_length", 0, N_("characters a password has at least (8-128)") },
	{ "min_classes", 0, N_("character classes at least (1-4)") },
	{ "dictcheck", 0, N_("1: refuse a dictionary word") },
	{ "usercheck", 0, N_("1: refuse a password containing the login "
	    "name") },
	{ "max_age_days", 0, N_("days a password may be used (0: no limit)") },
	{ "min_age_days", 0, N_("days before a password may change again") },
	{ "warn_days", 0, N_("days of warning before a password is due") },
	{ "history", 0, N_("earlier passwords a new one may not repeat "
	    "(0-50)") },
	{ "temp_hours", 0, N_("hours a temporary password is valid") },
	{ "priv_cap_minutes", 0, N_("minutes a privileged ID may be "
	    "activated for at most") },
	{ "allowed_hours", 0, N_("when privileged access may be requested "
	    "(mon-fri 08:30-17:15, any)") },
	{ "timezone", 0, N_("the zone allowed_hours is read in (Asia/Tokyo)") },
	{ "max_holders", 0, N_("privileged IDs one system may have in use "
	    "(0: no limit)") },
	{ "stocktake_default", 0, N_("what an undecided stocktake item "
	    "becomes at the deadline (investigate, recommendation, keep, "
	    "revoke)") },
	{ "review_interval_days", 0, N_("days between reviews of the "
	    "ledger's records (1-366)") },
	{ "report_keep_years", 0, N_("years a sealed report is kept at "
	    "least (5-100; scope * *)") },
	{ "exception_report_days", 0, N_("days within which an emergency "
	    "exception is reported to an approver (1-30; scope * *)") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_policy_set = {
	.name = "policy.set",
	.summary = N_("Set the password and privileged-access policy of a "
	    "system and ID kind (\"\" removes a key from that scope)"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = policy_set_params,
	.validate = policy_set_validate,
	.apply = policy_set_apply,
};
