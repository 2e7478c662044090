/*
 * reconcile.c -- what a system says against what the ledger says.
 *
 * An account on the system that the ledger does not know is unregistered;
 * an ID the ledger has that the system lacks is missing; an ID locked in
 * the ledger but open on the system (or the other way round) has drifted.
 * Each finding comes with its remedy.  An ID with a target operation
 * still pending is reported as such: the difference is expected until the
 * outbox runs.  The OS's own accounts (root, daemon) are not daicho's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "targets.h"
#include "core-int.h"

struct known {
	char	 login[TARGET_LOGIN_MAX];
	char	 state[16];
	int	 pending;			/* an outbox operation waits */
	int	 seen;				/* found on the system */
};

static int
known_cmp(const void *a, const void *b)
{
	return strcmp(((const struct known *)a)->login,
	    ((const struct known *)b)->login);
}

static void
finding(void (*cb)(void *, const struct core_drift *), void *arg,
    const char *system, const struct target_account *acc, const char *login,
    int code, const char *what, const char *remedy, size_t *n)
{
	struct core_drift	 d;

	memset(&d, 0, sizeof d);
	snprintf(d.system, sizeof d.system, "%s", system);
	snprintf(d.login, sizeof d.login, "%s", login);
	d.code = code;
	d.what = what;
	d.remedy = remedy;
	d.locked = acc != NULL ? acc->locked : -1;
	if (acc != NULL)
		snprintf(d.name, sizeof d.name, "%s", acc->name);
	cb(arg, &d);
	(*n)++;
}

/* system's target type and configuration; -1 with *cause (manual too). */
static int
system_target(struct store *s, const char *system,
    const struct target_type **tt, char **config, char **cause)
{
	struct store_stmt	*st;
	char			 type[16] = "";
	int			 r;

	*config = NULL;
	if ((st = store_prepare(s, "SELECT type, config FROM system WHERE "
	    "name = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system);
	if ((r = store_step(st, cause)) == STORE_ROW) {
		snprintf(type, sizeof type, "%s", store_col_text(st, 0));
		*config = xstrdup(store_col_text(st, 1));
	}
	store_finalize(st);
	if (r == -1)
		return -1;
	if (*config == NULL) {
		xasprintf(cause, _("no system %s"), system);
		return -1;
	}
	if (strcmp(type, "manual") == 0) {
		xasprintf(cause, _("%s is a manual system: daicho cannot "
		    "list its accounts; reconcile it in the stocktake, "
		    "against the list its administrators give"), system);
		goto fail;
	}
	if ((*tt = target_type_find(type)) == NULL) {
		xasprintf(cause, _("no target of type %s in this daicho"),
		    type);
		goto fail;
	}
	return 0;
fail:
	free(*config);
	*config = NULL;
	return -1;
}

/*
 * One system's listing, kept while a transaction lasts: id.adopt looks
 * its account up in validate, and a batch of adopts (the benchmarks'
 * city, 1,000 to a transaction) would otherwise list the system once per
 * account.  core_begin and core_run forget it, so no decision is ever
 * made on a listing older than the transaction that records it.
 */
static struct {
	struct store		*store;
	char			 system[64];
	struct target_account	*acc;
	size_t			 n;
} listing;

void
core_system_forget(void)
{
	free(listing.acc);
	memset(&listing, 0, sizeof listing);
}

int
core_system_account(struct store *s, const char *system, const char *login,
    struct core_sysacct *out, char **cause)
{
	const struct target_type *tt;
	struct target		*t;
	char			*config;
	size_t			 i;
	int			 r;

	if (listing.store != s || strcmp(listing.system, system) != 0) {
		core_system_forget();
		if (system_target(s, system, &tt, &config, cause) != 0)
			return -1;
		t = tt->open(config, cause);
		free(config);
		if (t == NULL)
			return -1;
		r = tt->list(t, &listing.acc, &listing.n, cause);
		tt->close(t);
		if (r != 0) {
			core_system_forget();
			return -1;
		}
		listing.store = s;
		snprintf(listing.system, sizeof listing.system, "%s", system);
	}
	for (i = 0; i < listing.n; i++) {
		if (strcmp(listing.acc[i].login, login) != 0)
			continue;
		memset(out, 0, sizeof *out);
		out->locked = listing.acc[i].locked;
		out->system_account = listing.acc[i].system_account;
		snprintf(out->name, sizeof out->name, "%s",
		    listing.acc[i].name);
		return 0;
	}
	return 1;
}

int
core_system_listing(struct store *s, const char *system,
    struct target_account **acc, size_t *nacc, char **cause)
{
	const struct target_type *tt;
	struct target		*t;
	char			*config;
	int			 r;

	*acc = NULL;
	*nacc = 0;
	if (system_target(s, system, &tt, &config, cause) != 0)
		return -1;
	t = tt->open(config, cause);
	free(config);
	if (t == NULL)
		return -1;
	r = tt->list(t, acc, nacc, cause);
	tt->close(t);
	if (r != 0) {
		free(*acc);
		*acc = NULL;
		*nacc = 0;
	}
	return r;
}

/* core_reconcile's caller, and the exceptions in force it marks by. */
struct covered {
	void			(*cb)(void *, const struct core_drift *);
	void			*arg;
	struct core_exc_set	*exc;
	size_t			 n;
};

static void
covered_mark(void *arg, const struct core_drift *d)
{
	struct covered		*c = arg;
	struct core_drift	 e = *d;
	const char		*rule = NULL;

	if (d->code == CORE_DRIFT_UNREGISTERED)
		rule = "unregistered";
	else if (d->code != CORE_DRIFT_PENDING)
		rule = "drifted";
	if (rule != NULL && (e.exception = core_exceptions_match(c->exc,
	    rule, d->system, d->login, NULL)) != 0)
		c->n++;
	c->cb(c->arg, &e);
}

int
core_reconcile(struct store *s, const char *system,
    void (*cb)(void *, const struct core_drift *), void *arg, size_t *count,
    size_t *covered, char **cause)
{
	struct target_account	*acc;
	struct covered		 c = { cb, arg, NULL, 0 };
	size_t			 nacc;
	int			 r;

	*count = *covered = 0;
	if (core_system_listing(s, system, &acc, &nacc, cause) != 0)
		return -1;
	if ((c.exc = core_exceptions_load(s, time(NULL), cause)) == NULL) {
		free(acc);
		return -1;
	}
	r = core_reconcile_listing(s, system, acc, nacc, covered_mark, &c,
	    count, cause);
	*covered = c.n;
	core_exceptions_free(c.exc);
	free(acc);
	return r;
}

int
core_reconcile_listing(struct store *s, const char *system,
    const struct target_account *acc, size_t nacc,
    void (*cb)(void *, const struct core_drift *), void *arg, size_t *count,
    char **cause)
{
	struct store_stmt	*st;
	struct known		*k = NULL, key, *hit;
	size_t			 nk = 0, i;
	int			 r, ret = -1, locked_ledger;

	*count = 0;
	if ((st = store_prepare(s, "SELECT a.login, a.state, EXISTS (SELECT 1 "
	    "FROM outbox o WHERE o.system = a.system AND o.login = a.login "
	    "AND o.state = 'pending') FROM account a WHERE a.system = ? AND "
	    "a.state != 'revoked'", cause)) == NULL)
		goto out;
	store_bind_text(st, 1, system);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		k = xreallocarray(k, nk + 1, sizeof *k);
		memset(&k[nk], 0, sizeof k[nk]);
		snprintf(k[nk].login, sizeof k[nk].login, "%s",
		    store_col_text(st, 0));
		snprintf(k[nk].state, sizeof k[nk].state, "%s",
		    store_col_text(st, 1));
		k[nk].pending = store_col_int(st, 2) != 0;
		nk++;
	}
	store_finalize(st);
	if (r == -1)
		goto out;
	if (nk > 0)
		qsort(k, nk, sizeof *k, known_cmp);

	for (i = 0; i < nacc; i++) {
		if (acc[i].system_account)
			continue;
		snprintf(key.login, sizeof key.login, "%s", acc[i].login);
		hit = nk > 0 ? bsearch(&key, k, nk, sizeof *k, known_cmp) :
		    NULL;
		if (hit == NULL) {
			finding(cb, arg, system, &acc[i], acc[i].login,
			    CORE_DRIFT_UNREGISTERED, N_("unregistered"),
			    N_("lock it, register it (adopt) or remove it "
			    "from the system"), count);
			continue;
		}
		hit->seen = 1;
		if (hit->pending) {
			finding(cb, arg, system, &acc[i], acc[i].login,
			    CORE_DRIFT_PENDING, N_("pending"),
			    N_("an operation waits: run the outbox"), count);
			continue;
		}
		locked_ledger = strcmp(hit->state, "locked") == 0 ||
		    strcmp(hit->state, "suspended") == 0 ||
		    strcmp(hit->state, "dormant") == 0 ||
		    strcmp(hit->state, "expired") == 0;
		if (locked_ledger && acc[i].locked == 0)
			finding(cb, arg, system, &acc[i], acc[i].login,
			    CORE_DRIFT_OPENED,
			    N_("open on the system, locked in the ledger"),
			    N_("lock it again, and find out who opened it"),
			    count);
		else if (!locked_ledger && acc[i].locked == 1)
			finding(cb, arg, system, &acc[i], acc[i].login,
			    CORE_DRIFT_LOCKED,
			    N_("locked on the system, active in the ledger"),
			    N_("record it as locked (lock), or lock and then "
			    "unlock it (id.unlock)"), count);
	}
	for (i = 0; i < nk; i++) {
		if (!k[i].seen && !k[i].pending)
			finding(cb, arg, system, NULL, k[i].login,
			    CORE_DRIFT_MISSING, N_("missing"),
			    N_("re-create it, or revoke the ID (id.revoke)"),
			    count);
	}
	ret = 0;
out:
	free(k);
	return ret;
}
