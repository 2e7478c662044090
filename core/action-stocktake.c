/*
 * action-stocktake.c -- the quarterly ID stocktake (棚卸し):
 * stocktake.start, stocktake.decide and stocktake.close.
 *
 * start snapshots every live ID in its scope: the owner and their HR
 * record, the ID's department and HR's, kind, state, last use (as the
 * systems report it, the source the dormant finding reads), the
 * findings about it, an exception covering one of them, and a
 * recommendation: revoke for leavers, dormant and orphaned IDs, keep
 * otherwise.  Validate reads what the state cannot give into a blob
 * (store/blob.c) the entry names by its SHA-256: the last use the listed
 * systems report and the findings core_findings makes of the targets'
 * listings and the clock,
 *
 *	daicho-stocktake v3
 *	system<TAB>login<TAB>last_use<TAB>findings
 *
 * one line per ID in scope that has either, by system and login
 * (last_use -1: unknown), '\\', TAB, CR and LF in a value written \\
 * \t \r \n; and the day and dormant_days it is judged by as made
 * arguments.  Apply judges every ID in scope from its row, its owner's
 * and its line (the rules an ID's own row decides, the exception in
 * force, the recommendation) at the entry's time and inserts the items
 * in one scan, so replay rebuilds them exactly from the entry and the
 * state.
 *
 * decide records what reviewers decided, by one ID or by a filter (the
 * made count says how many it covered; apply matches the same items and
 * checks the count).  close (two-person) seals the review list
 * (stocktake-report.c; the made format names its layout, as for
 * report.inspection) and carries revocations and suspensions out
 * through the outbox as id.revoke and id.lock queue them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "targets.h"
#include "core-int.h"

#define STK_MAGIC	"daicho-stocktake v3\n"

/* The findings' settings of daicho.conf (only numbers are kept). */
static struct core_config stk_cfg;
static int stk_cfg_set;

void (*core_stocktake_step)(const char *);

/* The end of a step of stocktake.start, to whoever times them. */
static void
stk_step(const char *name)
{
	if (core_stocktake_step != NULL)
		core_stocktake_step(name);
}

void
core_stocktake_config(const struct core_config *cfg)
{
	memset(&stk_cfg, 0, sizeof stk_cfg);
	stk_cfg.dormant_days = cfg->dormant_days;
	stk_cfg.leaver_grace_days = cfg->leaver_grace_days;
	stk_cfg_set = 1;
}

static const struct core_config *
stk_config(void)
{
	struct core_config	 def;

	if (!stk_cfg_set) {
		core_config_defaults(&def);
		core_stocktake_config(&def);
		core_config_free(&def);
	}
	return &stk_cfg;
}

/* A growing buffer of the snapshot's bytes. */
struct stk_buf {
	char	*p;
	size_t	 len, cap;
};

static void
stk_put(struct stk_buf *b, const char *s, size_t n)
{
	b->p = xgrow(b->p, &b->cap, b->len + n + 1, 1);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* A value escaped, then the separator sep ('\t' or '\n'). */
static void
stk_field(struct stk_buf *b, const char *v, char sep)
{
	const char	*p, *run = v;
	char		 esc[2] = { '\\', 0 };

	for (p = v; *p != '\0'; p++) {
		if (*p != '\\' && *p != '\t' && *p != '\n' && *p != '\r')
			continue;
		stk_put(b, run, (size_t)(p - run));
		esc[1] = *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ?
		    'r' : '\\';
		stk_put(b, esc, 2);
		run = p + 1;
	}
	stk_put(b, run, (size_t)(p - run));
	stk_put(b, &sep, 1);
}

/* Undo stk_field's escapes in place; -1 on a bad escape. */
static int
stk_unescape(char *s)
{
	char	*r, *w;

	for (r = w = s; *r != '\0'; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		switch (*++r) {
		case 't': *w++ = '\t'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case '\\': *w++ = '\\'; break;
		default: return -1;
		}
	}
	*w = '\0';
	return 0;
}

/* ------------------------------------------------------------------ */
/* The scope: all, or system:S and department:D items. */

struct stk_scope {
	int	 all;
	char	*buf;				/* the items, NUL-separated */
	char	*sys[64], *dept[64];
	size_t	 nsys, ndept;
};

static void
stk_scope_free(struct stk_scope *sc)
{
	free(sc->buf);
}

static int
stk_scope_parse(struct store *s, const char *text, struct stk_scope *sc,
    char **cause)
{
	char	*p, *comma;
	int	 yes;

	memset(sc, 0, sizeof *sc);
	if (strcmp(text, "all") == 0) {
		sc->all = 1;
		return 0;
	}
	sc->buf = xstrdup(text);
	for (p = sc->buf; p != NULL; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if (strncmp(p, "system:", 7) == 0 && sc->nsys < 64) {
			sc->sys[sc->nsys++] = p + 7;
			if (core_exists(s, "SELECT 1 FROM system WHERE name = ?",
			    p + 7, NULL, &yes, cause) != 0)
				return -1;
		} else if (strncmp(p, "department:", 11) == 0 &&
		    sc->ndept < 64) {
			sc->dept[sc->ndept++] = p + 11;
			if (core_exists(s, "SELECT 1 FROM person WHERE "
			    "department = ?", p + 11, NULL, &yes, cause) != 0)
				return -1;
		} else {
			xasprintf(cause, _("stocktake.start: scope \"%.64s\": "
			    "all, or comma-separated system:NAME and "
			    "department:NAME (at most 64 of each)"), p);
			return -1;
		}
		if (!yes) {
			xasprintf(cause, _("stocktake.start: scope: no %.80s"),
			    p);
			return -1;
		}
	}
	return 0;
}

/* Whether an ID on system, of these departments, is in scope. */
static int
stk_in_scope(const struct stk_scope *sc, const char *system,
    const char *id_dept, const char *hr_dept)
{
	size_t	 i, n;
	const char *p;

	if (sc->all)
		return 1;
	for (i = 0; i < sc->nsys; i++) {
		if (strcmp(sc->sys[i], system) == 0)
			return 1;
	}
	for (i = 0; i < sc->ndept; i++) {
		n = strlen(sc->dept[i]);
		if (strcmp(sc->dept[i], hr_dept) == 0)
			return 1;
		for (p = id_dept; (p = strstr(p, sc->dept[i])) != NULL; p += n)
			if ((p == id_dept || p[-1] == ',') && (p[n] == ',' ||
			    p[n] == '\0'))
				return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The snapshot. */

struct stk_find {
	char	 system[40];
	char	 login[40];
	int	 rule;
};

/* What validate reads that the state cannot give. */
struct stk_snap {
	struct store	*s;
	struct stk_find	*f;			/* core_findings' by ID */
	size_t		 nf, fcap, fi;
	char		 listed[40];		/* the system last_use is of */
	struct target_account *acc;		/* its listing, by login */
	size_t		 nacc;
	struct stk_buf	 out;
	size_t		 items;			/* the IDs in scope */
};

static int
stk_find_cmp(const void *a, const void *b)
{
	const struct stk_find	*x = a, *y = b;
	int			 r;

	if ((r = strcmp(x->system, y->system)) != 0)
		return r;
	if ((r = strcmp(x->login, y->login)) != 0)
		return r;
	return x->rule - y->rule;
}

static void
stk_finding(void *arg, const struct core_finding *f)
{
	struct stk_snap	*sn = arg;

	if (f->system[0] == '\0' || f->login[0] == '\0')
		return;
	sn->f = xgrow(sn->f, &sn->fcap, sn->nf + 1, sizeof *sn->f);
	snprintf(sn->f[sn->nf].system, sizeof sn->f->system, "%s", f->system);
	snprintf(sn->f[sn->nf].login, sizeof sn->f->login, "%s", f->login);
	sn->f[sn->nf++].rule = f->rule;
}

static int
stk_acc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct target_account *)a)->login,
	    ((const struct target_account *)b)->login);
}

/* The last use system reports for login (listing it once), or -1. */
static int64_t
stk_last_use(struct stk_snap *sn, const char *system, const char *type,
    const char *login)
{
	struct target_account	 key, *hit;
	char			*why = NULL;

	if (strcmp(type, "manual") == 0)
		return -1;
	if (strcmp(sn->listed, system) != 0) {
		free(sn->acc);
		sn->acc = NULL;
		sn->nacc = 0;
		snprintf(sn->listed, sizeof sn->listed, "%s", system);
		/* A system that cannot be listed: last use unknown. */
		if (core_system_listing(sn->s, system, &sn->acc, &sn->nacc,
		    &why) != 0) {
			free(why);
			sn->acc = NULL;
			sn->nacc = 0;
		} else if (sn->nacc > 0)
			qsort(sn->acc, sn->nacc, sizeof *sn->acc, stk_acc_cmp);
	}
	if (sn->nacc == 0)
		return -1;
	snprintf(key.login, sizeof key.login, "%s", login);
	hit = bsearch(&key, sn->acc, sn->nacc, sizeof *sn->acc, stk_acc_cmp);
	return hit != NULL ? hit->last_use : -1;
}

/* The rule bits core_findings found of one ID (the IDs come in order). */
static unsigned
stk_found(struct stk_snap *sn, const char *system, const char *login)
{
	struct stk_find	 key;
	unsigned	 bits = 0;

	if (sn->fi >= sn->nf)
		return 0;
	snprintf(key.system, sizeof key.system, "%s", system);
	snprintf(key.login, sizeof key.login, "%s", login);
	key.rule = -1;
	while (sn->fi < sn->nf && stk_find_cmp(&sn->f[sn->fi], &key) < 0)
		sn->fi++;
	for (; sn->fi < sn->nf && strcmp(sn->f[sn->fi].system, system) == 0 &&
	    strcmp(sn->f[sn->fi].login, login) == 0; sn->fi++)
		bits |= 1U << sn->f[sn->fi].rule;
	return bits;
}

/* bits as rule names, comma-separated, in the rules' order, into b. */
static void
stk_names(struct stk_buf *b, unsigned bits)
{
	int	 r;

	b->len = 0;
	stk_put(b, "", 0);
	for (r = 0; bits != 0 && r < CORE_FINDINGS_NRULES; r++) {
		if (!(bits & (1U << r)))
			continue;
		if (b->len > 0)
			stk_put(b, ",", 1);
		stk_put(b, core_findings_rules[r].name,
		    strlen(core_findings_rules[r].name));
	}
}

/* Comma-separated rule names as rule bits; -1 on a name no rule has. */
static int
stk_bits(const char *names, unsigned *bits)
{
	const char	*p = names, *end;
	size_t		 n;
	int		 r;

	*bits = 0;
	while (*p != '\0') {
		end = strchr(p, ',');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		for (r = 0; r < CORE_FINDINGS_NRULES; r++) {
			if (strlen(core_findings_rules[r].name) == n &&
			    memcmp(core_findings_rules[r].name, p, n) == 0)
				break;
		}
		if (r == CORE_FINDINGS_NRULES)
			return -1;
		*bits |= 1U << r;
		p = end != NULL ? end + 1 : p + n;
	}
	return 0;
}

/*
 * The department an ID is reviewed under: a shared ID's users' (their
 * departments, sorted, comma-separated); an owned ID's, the department
 * its owner left by the first transfer after the ID was made (the post
 * it was granted for), else the owner's now.  Validate reads it for a
 * department scope, apply for every item.  Shared IDs and movers are
 * few: the list of movers (read once) spares the others any query, so
 * the scan of 600,000 IDs pays for none (as one SQL expression in the
 * scan, the movers' test alone cost a tenth of the start).
 */
struct stk_dept {
	struct store_stmt *users;		/* a shared ID's departments */
	struct store_stmt *left;		/* a mover's first move after */
	char		**movers;		/* employee numbers, sorted */
	size_t		 nmovers;
	struct stk_buf	 out;
};

static int
stk_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
stk_dept_close(struct stk_dept *d)
{
	size_t	 i;

	store_finalize(d->users);
	store_finalize(d->left);
	for (i = 0; i < d->nmovers; i++)
		free(d->movers[i]);
	free(d->movers);
	free(d->out.p);
	memset(d, 0, sizeof *d);
}

static int
stk_dept_open(struct store *s, struct stk_dept *d, char **cause)
{
	struct store_stmt	*st;
	size_t			 cap = 0;
	int			 r;

	memset(d, 0, sizeof *d);
	if ((st = store_prepare(s, "SELECT DISTINCT employee_no FROM hr_event "
	    "WHERE kind = 'mover'", cause)) == NULL)
		return -1;
	while ((r = store_step(st, cause)) == STORE_ROW) {
		d->movers = xgrow(d->movers, &cap, d->nmovers + 1,
		    sizeof *d->movers);
		d->movers[d->nmovers++] = xstrdup(store_col_text(st, 0));
	}
	store_finalize(st);
	if (r == -1)
		goto fail;
	if (d->nmovers > 0)
		qsort(d->movers, d->nmovers, sizeof *d->movers, stk_str_cmp);
	if ((d->users = store_prepare(s, "SELECT DISTINCT q.department FROM "
	    "account_user u JOIN person q ON q.employee_no = u.employee_no "
	    "WHERE u.system = ?1 AND u.login = ?2 AND q.department IS NOT "
	    "NULL ORDER BY 1", cause)) == NULL ||
	    (d->left = store_prepare(s, "SELECT h.from_department FROM "
	    "hr_event h WHERE h.employee_no = ?1 AND h.kind = 'mover' AND "
	    "h.state <> 'cancelled' AND h.import_idx > ?2 ORDER BY h.id "
	    "LIMIT 1", cause)) == NULL)
		goto fail;
	return 0;
fail:
	stk_dept_close(d);
	return -1;
}

/* The department of the ID (system, login) of kind, owner (""),
 * created at entry created, whose owner's department is now owner_dept
 * (""): "" for none; valid until the next call.  NULL with *cause. */
static const char *
stk_dept_of(struct stk_dept *d, const char *system, const char *login,
    const char *kind, const char *owner, int64_t created,
    const char *owner_dept, char **cause)
{
	struct store_stmt	*st = NULL;
	int			 r = STORE_DONE;

	d->out.len = 0;
	stk_put(&d->out, "", 0);
	if (strcmp(kind, "shared") == 0) {
		st = d->users;
		store_bind_text(st, 1, system);
		store_bind_text(st, 2, login);
		while ((r = store_step(st, cause)) == STORE_ROW) {
			if (d->out.len > 0)
				stk_put(&d->out, ",", 1);
			stk_put(&d->out, store_col_text(st, 0),
			    strlen(store_col_text(st, 0)));
		}
	} else if (*owner != '\0' && d->nmovers > 0 && bsearch(&owner,
	    d->movers, d->nmovers, sizeof *d->movers, stk_str_cmp) != NULL) {
		st = d->left;
		store_bind_text(st, 1, owner);
		store_bind_int(st, 2, created);
		if ((r = store_step(st, cause)) == STORE_ROW &&
		    !store_col_isnull(st, 0))
			stk_put(&d->out, store_col_text(st, 0),
			    strlen(store_col_text(st, 0)));
		else if (r != -1)
			stk_put(&d->out, owner_dept, strlen(owner_dept));
	} else
		stk_put(&d->out, owner_dept, strlen(owner_dept));
	if (st != NULL)
		store_reset(st);
	return r == -1 ? NULL : d->out.p;
}

/* The live IDs by system and login, as validate reads them: system,
 * login, the system's type, and for a department scope what
 * stk_dept_of needs: kind, owner, created, the owner's department. */
#define STK_SCAN "SELECT a.system, a.login, y.type FROM account a JOIN " \
	"system y ON y.name = a.system WHERE a.state <> 'revoked' ORDER BY " \
	"a.system, a.login"
#define STK_SCAN_DEPT "SELECT a.system, a.login, y.type, a.kind, " \
	"coalesce(a.owner, ''), a.created_idx, coalesce(p.department, '') " \
	"FROM account a JOIN system y ON y.name = a.system LEFT JOIN person " \
	"p ON p.employee_no = a.owner WHERE a.state <> 'revoked' ORDER BY " \
	"a.system, a.login"

/* One ID in scope: its line, when its system reports its last use or
 * core_findings found something of it. */
static void
stk_line(struct stk_snap *sn, const char *system, const char *login,
    const char *type, struct stk_buf *names)
{
	char		 n[24];
	int64_t		 last;
	unsigned	 bits;

	sn->items++;
	last = stk_last_use(sn, system, type, login);
	bits = stk_found(sn, system, login);
	if (last == -1 && bits == 0)
		return;
	snprintf(n, sizeof n, "%lld", (long long)last);
	stk_names(names, bits);
	stk_field(&sn->out, system, '\t');
	stk_field(&sn->out, login, '\t');
	stk_field(&sn->out, n, '\t');
	stk_field(&sn->out, names->p, '\n');
}

/* The findings rules about single IDs (not people, not systems) that
 * core_findings looks for: not those each ID's row decides. */
static unsigned
stk_rule_mask(void)
{
	unsigned	 m = 0;
	int		 i;

	for (i = 0; i < CORE_FINDINGS_NRULES; i++) {
		if (strcmp(core_findings_rules[i].name, "missing-from-hr") != 0 &&
		    strcmp(core_findings_rules[i].name, "unregistered") != 0 &&
		    strcmp(core_findings_rules[i].name,
		    "privileged-over-max") != 0)
			m |= 1U << i;
	}
	return m & ~core_findings_id_rules();
}

/* The snapshot of scope now into sn->out (caller frees with
 * stk_snap_free); 0 or -1. */
static int
stk_snapshot(struct store *s, const struct stk_scope *sc, struct stk_snap *sn,
    char **cause)
{
	struct store_stmt	*st;
	struct stk_buf		 names = { 0 };
	struct stk_dept		 d;
	const char		*dept = "";
	char			*why = NULL;
	size_t			 n;
	int			 r;

	memset(sn, 0, sizeof *sn);
	memset(&d, 0, sizeof d);
	sn->s = s;
	/* A system that cannot be listed: its findings are left out, and
	 * the others still count. */
	if (core_findings(s, stk_config(), stk_rule_mask(), stk_finding, sn,
	    &n, &why) != 0)
		free(why);
	if (sn->nf > 0)
		qsort(sn->f, sn->nf, sizeof *sn->f, stk_find_cmp);
	stk_step("findings");
	stk_put(&sn->out, STK_MAGIC, strlen(STK_MAGIC));
	if (sc->ndept > 0 && stk_dept_open(s, &d, cause) != 0)
		return -1;
	if ((st = store_prepare(s, sc->ndept > 0 ? STK_SCAN_DEPT : STK_SCAN,
	    cause)) == NULL) {
		stk_dept_close(&d);
		return -1;
	}
	while ((r = store_step(st, cause)) == STORE_ROW) {
		if (sc->ndept > 0 && (dept = stk_dept_of(&d,
		    store_col_text(st, 0), store_col_text(st, 1),
		    store_col_text(st, 3), store_col_text(st, 4),
		    store_col_int(st, 5), store_col_text(st, 6),
		    cause)) == NULL) {
			r = -1;
			break;
		}
		if (stk_in_scope(sc, store_col_text(st, 0), dept, sc->ndept >
		    0 ? store_col_text(st, 6) : ""))
			stk_line(sn, store_col_text(st, 0),
			    store_col_text(st, 1), store_col_text(st, 2),
			    &names);
	}
	store_finalize(st);
	stk_dept_close(&d);
	free(names.p);
	return r == -1 ? -1 : 0;
}

static void
stk_snap_free(struct stk_snap *sn)
{
	free(sn->f);
	free(sn->acc);
	free(sn->out.p);
}

/* ------------------------------------------------------------------ */
/* Times people give: a day (its end in the policy zone), or UTC. */

static int
stk_deadline(struct store *s, const char *v, int64_t *at, char **cause)
{
	struct core_policy	 p;
	time_t			 t;
	int			 y, m, d;

	if (when_parse_utc(v, &t) == 0 && strlen(v) == 20 && v[10] == 'T') {
		*at = (int64_t)t;
		return 0;
	}
	if (!core_date_ok(v) || sscanf(v, "%4d-%2d-%2d", &y, &m, &d) != 3) {
		xasprintf(cause, _("deadline: YYYY-MM-DD, or "
		    "YYYY-MM-DDTHH:MM:SSZ"));
		return -1;
	}
	if (core_policy_get(s, NULL, NULL, &p, cause) != 0)
		return -1;
	*at = core_stocktake_day_start(y, m, d + 1, p.timezone);
	return 0;
}

/* A made argument of run: name=value, value copied. */
static int
stk_made(struct core_run *run, const char *name, const char *value,
    char **cause)
{
	if (store_args_add(&run->args, name,
	    core_run_keep(run, xstrdup(value))) != 0) {
		xasprintf(cause, _("stocktake.start: too many arguments"));
		return -1;
	}
	return 0;
}

static int
stk_start_validate(struct core_run *run, char **cause)
{
	struct stk_scope	 sc;
	struct stk_snap		 sn;
	const char		*scope, *deadline, *title;
	char			 hex[STORE_HASH_HEX], n[24], today[11];
	int64_t			 at;
	int			 r = -1;

	stk_step("begin");
	if (core_arg(run, "scope", &scope, cause) != 0 ||
	    core_arg(run, "deadline", &deadline, cause) != 0)
		return -1;
	title = store_args_get(&run->args, "title");
	if (title != NULL && core_text_ok(title, 256, "title", cause) != 0)
		return -1;
	if (stk_deadline(run->store, deadline, &at, cause) != 0)
		return -1;
	if (at <= (int64_t)time(NULL)) {
		xasprintf(cause, _("stocktake.start: the deadline %s has "
		    "passed"), deadline);
		return -1;
	}
	if (stk_scope_parse(run->store, scope, &sc, cause) != 0)
		goto out;
	if (stk_snapshot(run->store, &sc, &sn, cause) != 0)
		goto snap;
	stk_step("lines");
	if (sn.items == 0) {
		xasprintf(cause, _("stocktake.start: no live ID is in scope "
		    "%s"), scope);
		goto snap;
	}
	if (store_blob_put(run->store, sn.out.p, sn.out.len, hex, cause) != 0)
		goto snap;
	stk_step("blob_put");
	/* The judging's clock and configuration, for apply and replay. */
	core_today(today);
	snprintf(n, sizeof n, "%zu", sn.items);
	if (stk_made(run, "snapshot", hex, cause) != 0 ||
	    stk_made(run, "items", n, cause) != 0 ||
	    stk_made(run, "today", today, cause) != 0)
		goto snap;
	snprintf(n, sizeof n, "%d", stk_config()->dormant_days);
	if (stk_made(run, "dormant_days", n, cause) != 0)
		goto snap;
	xasprintf(&run->subject, "stocktake:%s", scope);
	r = 0;
snap:
	stk_snap_free(&sn);
out:
	stk_scope_free(&sc);
	return r;
}

/*
 * Apply: every live ID in scope, judged from its row, its owner's and
 * the snapshot's line of it (last use, what core_findings found) at the
 * entry's time, with the entry's today and dormant_days, inserted as
 * an item in one scan by system and login.
 */
/* The live IDs with what an item holds: 0-4 system, login, owner
 * (""), HR status (""), the system's type; 5 created, 6 the owner's
 * department (""); 7-16 what core_findings_id decides by; 17- the rest
 * of the item. */
#define APPLY_IDS "SELECT a.system, a.login, coalesce(a.owner, ''), " \
	"coalesce(p.status, ''), y.type, a.created_idx, " \
	"coalesce(p.department, ''), a.kind, a.state, p.employee_no IS NOT " \
	"NULL, a.end_date, p.employment, p.end_date, a.password_set_at, " \
	"a.password_temp_until, a.must_change, coalesce(a.password_due, " \
	"''), p.name_kanji, p.transfer_date, v.rights FROM account a JOIN " \
	"system y ON y.name = a.system LEFT JOIN person p ON p.employee_no " \
	"= a.owner LEFT JOIN privileged v ON v.system = a.system AND " \
	"v.login = a.login WHERE a.state <> 'revoked' ORDER BY a.system, " \
	"a.login"
#define ITEM_INSERT "INSERT INTO stocktake_item (campaign, system, login, " \
	"kind, state, owner, owner_name, id_department, hr_department, " \
	"hr_status, employment, transfer_date, rights, granted_idx, end_date, " \
	"last_use, password_set_at, findings, exception, recommendation) " \
	"VALUES "
#define ITEM_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define ITEM_NCOLS	20
/* Items one insert statement takes: each run of a statement builds the
 * table's CHECK lists anew, which one item at a time cost more than
 * the item. */
#define ITEM_BATCH	64

/*
 * The items waiting for their insert: their values, the texts copied
 * into one buffer, so an insert of ITEM_BATCH items binds them without
 * a copy each (SQLite's copies of 1,280 texts, and freeing them, cost a
 * quarter of the start).
 */
struct stk_rows {
	char		*text;			/* NUL-terminated texts */
	size_t		 len, cap;
	struct {
		char	 type;			/* 't'ext, 'i'nteger, 'n'ull */
		int64_t	 i;
		size_t	 off;			/* of a text in text */
	}		 v[ITEM_BATCH * ITEM_NCOLS];
	size_t		 nv;
};

static void
stk_v_null(struct stk_rows *r)
{
	r->v[r->nv++].type = 'n';
}

static void
stk_v_int(struct stk_rows *r, int64_t i)
{
	r->v[r->nv].type = 'i';
	r->v[r->nv++].i = i;
}

/* A text, "" as itself. */
static void
stk_v_str(struct stk_rows *r, const char *t)
{
	size_t	 n;

	n = strlen(t) + 1;
	r->text = xgrow(r->text, &r->cap, r->len + n, 1);
	memcpy(r->text + r->len, t, n);
	r->v[r->nv].type = 't';
	r->v[r->nv++].off = r->len;
	r->len += n;
}

/* A text; NULL or "" as NULL. */
static void
stk_v_text(struct stk_rows *r, const char *t)
{
	if (t == NULL || *t == '\0')
		stk_v_null(r);
	else
		stk_v_str(r, t);
}

/* Rows [from, from + n) as ins's parameters, inserted; 0 or -1. */
static int
stk_rows_insert(struct stk_rows *r, size_t from, size_t n,
    struct store_stmt *ins, char **cause)
{
	size_t	 k, first = from * ITEM_NCOLS;
	int	 rc;

	for (k = 0; k < n * ITEM_NCOLS; k++) {
		switch (r->v[first + k].type) {
		case 't':
			store_bind_text_ref(ins, (int)k + 1,
			    r->text + r->v[first + k].off);
			break;
		case 'i':
			store_bind_int(ins, (int)k + 1, r->v[first + k].i);
			break;
		default:
			store_bind_null(ins, (int)k + 1);
			break;
		}
	}
	rc = store_step(ins, cause);
	store_reset(ins);
	return rc == -1 ? -1 : 0;
}

/* One line of the snapshot: system, login, last use, rule names. */
struct stk_line {
	char	*system, *login, *names;
	int64_t	 last_use;
};

struct stk_apply {
	struct store	*s;
	uint64_t	 campaign;
	time_t		 now;			/* the entry's */
	const char	*today;			/* the entry's */
	long long	 dormant_days;
	long long	 made;			/* the items the entry says */
	struct stk_scope sc;
	struct core_exc_set *x;			/* in force at now */
	struct core_pw_cache pc;
	struct stk_dept	 dept;
	struct stk_line	*l;			/* the snapshot's lines */
	size_t		 nl, li;
	struct stk_buf	 names;
	size_t		 items;
};

/* One line of the snapshot (NUL-terminated), split in place. */
static int
stk_split(char *line, struct stk_line *l, char **cause)
{
	char		*f[4], *p = line;
	const char	*errstr;
	long long	 ll;
	int		 i;

	for (i = 0; i < 4; i++) {
		f[i] = p;
		p = strchr(p, '\t');
		if ((p == NULL) != (i == 3)) {
			xasprintf(cause, _("stocktake.start: the snapshot has a "
			    "line of other than 4 fields"));
			return -1;
		}
		if (p != NULL)
			*p++ = '\0';
		if (stk_unescape(f[i]) != 0) {
			xasprintf(cause, _("stocktake.start: the snapshot "
			    "has a bad escape"));
			return -1;
		}
	}
	if (number_parse(f[2], -1, INT64_MAX, &ll, &errstr) != 0) {
		xasprintf(cause, _("stocktake.start: the snapshot has a bad "
		    "last use"));
		return -1;
	}
	l->system = f[0];
	l->login = f[1];
	l->last_use = (int64_t)ll;
	l->names = f[3];
	return 0;
}

static int
stk_line_cmp(const char *sys1, const char *login1, const char *sys2,
    const char *login2)
{
	int	 r;

	if ((r = strcmp(sys1, sys2)) != 0)
		return r;
	return strcmp(login1, login2);
}

/* The snapshot's lines (from p, NUL-terminated) into ap->l, each after
 * the one before by system and login; 0 or -1 with *cause. */
static int
stk_lines(struct stk_apply *ap, char *p, char **cause)
{
	struct stk_line	*l;
	size_t		 cap = 0;
	char		*nl;

	for (; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL) {
			xasprintf(cause, _("stocktake.start: the snapshot ends "
			    "inside a line"));
			return -1;
		}
		*nl = '\0';
		ap->l = xgrow(ap->l, &cap, ap->nl + 1, sizeof *ap->l);
		l = &ap->l[ap->nl];
		if (stk_split(p, l, cause) != 0)
			return -1;
		if (ap->nl > 0 && stk_line_cmp(l[-1].system, l[-1].login,
		    l->system, l->login) >= 0) {
			xasprintf(cause, _("stocktake.start: the snapshot's "
			    "lines are not in order"));
			return -1;
		}
		ap->nl++;
	}
	return 0;
}

/* src into dst of size bytes, cut short as snprintf would (which
 * cost a twentieth of the start, three times an ID). */
static void
stk_copy(char *dst, size_t size, const char *src)
{
	size_t	 n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

#define T(i)	store_col_text(st, (i))
#define TN(i)	(store_col_isnull(st, (i)) ? NULL : T(i))

/* The rules the ID's own row decides (core_findings_id), as rule bits. */
static int
stk_own(struct stk_apply *ap, struct store_stmt *st, unsigned *own,
    char **cause)
{
	struct core_password	 pw;
	struct core_id_facts	 x;

	/* What the policy and the rules read: not the login, the owner,
	 * who set it, nor why it is due beyond whether it is. */
	stk_copy(pw.system, sizeof pw.system, T(0));
	stk_copy(pw.kind, sizeof pw.kind, T(7));
	stk_copy(pw.state, sizeof pw.state, T(8));
	pw.set_at = store_col_isnull(st, 13) ? -1 : store_col_int(st, 13);
	pw.temp_until = store_col_isnull(st, 14) ? -1 : store_col_int(st, 14);
	pw.must_change = store_col_int(st, 15) != 0;
	pw.why_due[0] = *T(16) != '\0' ? 'y' : '\0';
	pw.login[0] = pw.owner[0] = pw.set_by[0] = '\0';
	if (core_password_judge(ap->s, &ap->pc, &pw, ap->now, cause) != 0)
		return -1;
	x.kind = T(7);
	x.state = T(8);
	x.owner = T(2);
	x.owner_known = store_col_int(st, 9) != 0;
	x.end_date = TN(10);
	x.owner_employment = TN(11);
	x.owner_end_date = TN(12);
	x.pw = &pw;
	*own = core_findings_id(&x, ap->today, ap->now);
	return 0;
}

/* The snapshot's line of the ID at st, taken (NULL: none); -1 with
 * *cause when a line before it names no live ID in scope. */
static int
stk_take(struct stk_apply *ap, struct store_stmt *st,
    const struct stk_line **l, char **cause)
{
	int	 r;

	*l = NULL;
	if (ap->li >= ap->nl)
		return 0;
	r = stk_line_cmp(ap->l[ap->li].system, ap->l[ap->li].login, T(0),
	    T(1));
	if (r < 0) {
		xasprintf(cause, _("stocktake.start: the snapshot names %.40s "
		    "%.40s, no live ID in scope"), ap->l[ap->li].system,
		    ap->l[ap->li].login);
		return -1;
	}
	if (r == 0)
		*l = &ap->l[ap->li++];
	return 0;
}

/* The recommendation for an ID with findings bits: revoke for a
 * leaver, a dormant, unowned or unshared ID, or one unused past
 * dormant_days; keep otherwise. */
static const char *
stk_recommend(const struct stk_apply *ap, unsigned bits, const char *status,
    int64_t last_use)
{
	static const char *const revoke[] = { "leaver-active", "dormant",
	    "owner-unknown", "shared-without-users" };
	size_t	 i;
	int	 r;

	for (r = 0; r < CORE_FINDINGS_NRULES; r++) {
		if (!(bits & (1U << r)))
			continue;
		for (i = 0; i < sizeof revoke / sizeof revoke[0]; i++)
			if (strcmp(core_findings_rules[r].name,
			    revoke[i]) == 0)
				return "revoke";
	}
	if (strcmp(status, "retired") == 0)
		return "revoke";		/* a leaver, locked or not */
	if (last_use >= 0 && last_use < (int64_t)ap->now -
	    ap->dormant_days * 86400)
		return "revoke";		/* unused, locked or not */
	return "keep";
}

/* The first exception in force covering one of the ID's findings. */
static long long
stk_covering(const struct stk_apply *ap, unsigned bits, const char *system,
    const char *login, const char *owner)
{
	long long	 exc;
	int		 r;

	for (r = 0; r < CORE_FINDINGS_NRULES; r++) {
		if (!(bits & (1U << r)))
			continue;
		exc = core_exceptions_match(ap->x, core_findings_rules[r].name,
		    system, login, *owner != '\0' ? owner : NULL);
		if (exc != 0)
			return exc;
	}
	return 0;
}

/* Integer column c of st (or NULL) as the next value of rows. */
static void
stk_v_col(struct stk_rows *rows, struct store_stmt *st, int c)
{
	if (store_col_isnull(st, c))
		stk_v_null(rows);
	else
		stk_v_int(rows, store_col_int(st, c));
}

/* The item of the ID at st, of department dept, as the next row of
 * rows. */
static int
stk_item(struct stk_apply *ap, struct store_stmt *st, const char *dept,
    struct stk_rows *rows, char **cause)
{
	const struct stk_line	*l;
	unsigned		 bits, found = 0;
	int64_t			 last;
	long long		 exc;

	if (stk_take(ap, st, &l, cause) != 0 || stk_own(ap, st, &bits,
	    cause) != 0)
		return -1;
	if (l != NULL && stk_bits(l->names, &found) != 0) {
		xasprintf(cause, _("stocktake.start: the snapshot names an "
		    "unknown rule for %.40s %.40s"), l->system, l->login);
		return -1;
	}
	bits |= found;
	last = l != NULL ? l->last_use : -1;
	stk_names(&ap->names, bits);
	exc = stk_covering(ap, bits, T(0), T(1), T(2));
	stk_v_int(rows, (int64_t)ap->campaign);
	stk_v_str(rows, T(0));			/* system, login, kind, */
	stk_v_str(rows, T(1));			/* state */
	stk_v_str(rows, T(7));
	stk_v_str(rows, T(8));
	stk_v_text(rows, T(2));			/* owner */
	stk_v_text(rows, TN(17));		/* owner_name */
	stk_v_text(rows, dept);			/* id_department */
	stk_v_text(rows, T(6));			/* hr_department */
	stk_v_text(rows, T(3));			/* hr_status */
	stk_v_text(rows, TN(11));		/* employment */
	stk_v_text(rows, TN(18));		/* transfer_date */
	stk_v_text(rows, TN(19));		/* rights */
	stk_v_col(rows, st, 5);			/* granted_idx */
	stk_v_text(rows, TN(10));		/* end_date */
	if (last == -1)
		stk_v_null(rows);
	else
		stk_v_int(rows, last);
	stk_v_col(rows, st, 13);		/* password_set_at */
	stk_v_str(rows, ap->names.p);		/* findings */
	if (exc == 0)
		stk_v_null(rows);
	else
		stk_v_int(rows, (int64_t)exc);
	stk_v_str(rows, stk_recommend(ap, bits, T(3), last));
	return 0;
}

#undef TN
#undef T

/* The insert of one item (0) and of ITEM_BATCH items (1). */
static int
stk_insert_prepare(struct store *s, struct store_stmt *ins[2], char **cause)
{
	char	*sql, *rows;
	int	 i;

	xasprintf(&sql, "%s%s", ITEM_INSERT, ITEM_ROW);
	ins[0] = store_prepare(s, sql, cause);
	for (i = 1; i < ITEM_BATCH; i++) {
		rows = sql;
		xasprintf(&sql, "%s, %s", rows, ITEM_ROW);
		free(rows);
	}
	ins[1] = ins[0] == NULL ? NULL : store_prepare(s, sql, cause);
	free(sql);
	if (ins[1] == NULL) {
		store_finalize(ins[0]);
		return -1;
	}
	return 0;
}

/* Every live ID in ap's scope as an item, ITEM_BATCH to an insert and
 * the rest one by one; every line of the snapshot must be one of them. */
static int
stk_insert_items(struct stk_apply *ap, char **cause)
{
	struct store_stmt	*st, *ins[2];
	struct stk_rows		*rows;
	const char		*dept;
	size_t			 k, n;
	int			 r;

	if ((st = store_prepare(ap->s, APPLY_IDS, cause)) == NULL)
		return -1;
	if (stk_insert_prepare(ap->s, ins, cause) != 0) {
		store_finalize(st);
		return -1;
	}
	rows = xcalloc(1, sizeof *rows);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		if ((dept = stk_dept_of(&ap->dept, store_col_text(st, 0),
		    store_col_text(st, 1), store_col_text(st, 7),
		    store_col_text(st, 2), store_col_int(st, 5),
		    store_col_text(st, 6), cause)) == NULL) {
			r = -1;
			break;
		}
		if (!stk_in_scope(&ap->sc, store_col_text(st, 0), dept,
		    store_col_text(st, 6)))
			continue;
		if (stk_item(ap, st, dept, rows, cause) != 0) {
			r = -1;
			break;
		}
		ap->items++;
		if (rows->nv < ITEM_BATCH * ITEM_NCOLS)
			continue;
		if (stk_rows_insert(rows, 0, ITEM_BATCH, ins[1], cause) != 0) {
			r = -1;
			break;
		}
		rows->nv = rows->len = 0;
	}
	n = rows->nv / ITEM_NCOLS;
	for (k = 0; r != -1 && k < n; k++)
		if (stk_rows_insert(rows, k, 1, ins[0], cause) != 0)
			r = -1;
	free(rows->text);
	free(rows);
	store_finalize(ins[0]);
	store_finalize(ins[1]);
	store_finalize(st);
	if (r != -1 && ap->li < ap->nl) {
		xasprintf(cause, _("stocktake.start: the snapshot names %.40s "
		    "%.40s, no live ID in scope"), ap->l[ap->li].system,
		    ap->l[ap->li].login);
		r = -1;
	}
	return r == -1 ? -1 : 0;
}

/* The entry's made arguments apply judges by; 0 or -1 with *cause. */
static int
stk_apply_args(struct stk_apply *ap, const struct store_entry *e,
    char **cause)
{
	const char	*today = store_args_get(&e->args, "today");
	const char	*days = store_args_get(&e->args, "dormant_days");
	const char	*items = store_args_get(&e->args, "items");
	const char	*errstr;

	if (today == NULL || !core_date_ok(today) || days == NULL ||
	    number_parse(days, 1, 3650, &ap->dormant_days, &errstr) != 0 ||
	    items == NULL || number_parse(items, 1, INT64_MAX, &ap->made,
	    &errstr) != 0) {
		xasprintf(cause, _("stocktake.start: the entry has no valid "
		    "items, today and dormant_days"));
		return -1;
	}
	ap->today = today;
	return core_entry_when(e, &ap->now, cause);
}

static void
stk_apply_free(struct stk_apply *ap)
{
	stk_scope_free(&ap->sc);
	stk_dept_close(&ap->dept);
	core_exceptions_free(ap->x);
	free(ap->l);
	free(ap->names.p);
}

static int
stk_start_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	struct stk_apply	 ap;
	uint8_t			*data = NULL;
	char			 got[24], at[24], idx[24];
	size_t			 len;
	int64_t			 deadline;
	int			 r;

	stk_step("append");
	memset(&ap, 0, sizeof ap);
	ap.s = s;
	ap.campaign = e->index;
	if (stk_deadline(s, store_args_get(a, "deadline"), &deadline,
	    cause) != 0 || core_entry_time(e, at, sizeof at, cause) != 0 ||
	    stk_apply_args(&ap, e, cause) != 0)
		return -1;
	if ((r = store_blob_get(s, store_args_get(a, "snapshot"), &data, &len,
	    cause)) == 1)
		xasprintf(cause, _("stocktake.start: the snapshot %s is not in "
		    "the database"), store_args_get(a, "snapshot"));
	if (r != 0)
		return -1;
	stk_step("blob_get");
	r = -1;
	if (len < strlen(STK_MAGIC) || memcmp(data, STK_MAGIC,
	    strlen(STK_MAGIC)) != 0) {
		xasprintf(cause, _("stocktake.start: not a snapshot of this "
		    "version (%s)"), "daicho-stocktake v3");
		goto out;
	}
	if (stk_lines(&ap, (char *)data + strlen(STK_MAGIC), cause) != 0 ||
	    stk_scope_parse(s, store_args_get(a, "scope"), &ap.sc,
	    cause) != 0 ||
	    (ap.x = core_exceptions_load(s, ap.now, cause)) == NULL ||
	    stk_dept_open(s, &ap.dept, cause) != 0)
		goto out;
	stk_step("parse");
	if (stk_insert_items(&ap, cause) != 0)
		goto out;
	if (ap.items != (size_t)ap.made) {
		snprintf(got, sizeof got, "%zu", ap.items);
		xasprintf(cause, _("stocktake.start: the entry says %s items; "
		    "%s live IDs are in scope"), store_args_get(a, "items"),
		    got);
		goto out;
	}
	stk_step("insert");
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	snprintf(got, sizeof got, "%lld", (long long)deadline);
	r = core_sql(s, "INSERT INTO stocktake (idx, title, scope, deadline, "
	    "snapshot, items, started_by, started_at, state) VALUES (?, ?, ?, "
	    "?, ?, ?, ?, ?, 'open')", cause, 8, idx, store_args_get(a, "title"),
	    store_args_get(a, "scope"), got, store_args_get(a, "snapshot"),
	    store_args_get(a, "items"), e->operator, at);
	stk_step("row");
out:
	stk_apply_free(&ap);
	free(data);
	return r;
}

/* ------------------------------------------------------------------ */
/* stocktake.decide */

/* The campaign an entry names, open; -1 with *cause otherwise. */
static int
stk_open_campaign(struct store *s, const char *action, const char *v,
    uint64_t *idx, char **cause)
{
	struct core_stocktake	 c;
	const char		*errstr;
	long long		 n;
	int			 r;

	if (number_parse(v, 1, INT64_MAX, &n, &errstr) != 0) {
		xasprintf(cause, _("%s: campaign %.24s is %s"), action, v,
		    _(errstr));
		return -1;
	}
	*idx = (uint64_t)n;
	if ((r = core_stocktake_get(s, *idx, &c, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, _("%s: there is no stocktake %lld"),
			    action, n);
		return -1;
	}
	if (strcmp(c.state, "open") != 0) {
		xasprintf(cause, _("%s: stocktake %lld is closed"), action, n);
		return -1;
	}
	return 0;
}

/* What decide covers: the one ID, or the filter's items. */
struct stk_decide {
	struct store	*s;
	const char	*decision;		/* or "recommendation" */
	const char	*login;			/* the one ID's, or NULL */
	uint64_t	 campaign;
	size_t		 n;
	int		 apply;
	struct stk_key {
		char	*system, *login, *decision;
	}		*keys;
	size_t		 nkeys, cap;
};

static void
stk_decide_one(void *arg, const struct core_stocktake_item *it)
{
	struct stk_decide	*d = arg;

	if (d->login != NULL && strcmp(it->login, d->login) != 0)
		return;
	d->n++;
	if (!d->apply)
		return;
	d->keys = xgrow(d->keys, &d->cap, d->nkeys + 1, sizeof *d->keys);
	d->keys[d->nkeys].system = xstrdup(it->system);
	d->keys[d->nkeys].login = xstrdup(it->login);
	d->keys[d->nkeys++].decision = xstrdup(strcmp(d->decision,
	    "recommendation") == 0 ? it->recommendation : d->decision);
}

static void
stk_decide_free(struct stk_decide *d)
{
	size_t	 i;

	for (i = 0; i < d->nkeys; i++) {
		free(d->keys[i].system);
		free(d->keys[i].login);
		free(d->keys[i].decision);
	}
	free(d->keys);
}

/* Count (and for apply, collect) the items the arguments cover. */
static int
stk_decide_walk(struct store *s, const struct store_args *a,
    struct stk_decide *d, char **cause)
{
	struct core_stocktake_filter f;
	const char		*sys = store_args_get(a, "system");
	const char		*login = store_args_get(a, "login");
	const char		*filter = store_args_get(a, "filter");
	size_t			 n;

	if ((filter != NULL) == (sys != NULL || login != NULL) ||
	    (sys == NULL) != (login == NULL)) {
		xasprintf(cause, _("stocktake.decide: give either system and "
		    "login, or filter"));
		return -1;
	}
	if (filter == NULL) {
		if (strlen(sys) + strlen(login) + 16 >= sizeof f.buf) {
			xasprintf(cause, _("stocktake.decide: no such ID"));
			return -1;
		}
		memset(&f, 0, sizeof f);
		f.decided = -1;
		snprintf(f.buf, sizeof f.buf, "%s", sys);
		f.system = f.buf;
	} else if (core_stocktake_filter_parse(filter, &f, cause) != 0)
		return -1;
	d->login = login;
	return core_stocktake_items_each(s, d->campaign, &f, stk_decide_one, d,
	    &n, cause);
}

static int
stk_decision_ok(const char *v, int made)
{
	int	 i;

	for (i = 0; i < CORE_STOCKTAKE_NDECISIONS; i++) {
		if (strcmp(v, core_stocktake_decisions[i]) == 0)
			return 1;
	}
	return made && strcmp(v, "recommendation") == 0;
}

static int
stk_decide_validate(struct core_run *run, char **cause)
{
	struct stk_decide	 d;
	const char		*v, *reason, *decision;
	char			 n[24];

	memset(&d, 0, sizeof d);
	if (core_arg(run, "campaign", &v, cause) != 0 ||
	    core_arg(run, "decision", &decision, cause) != 0 ||
	    core_arg(run, "reason", &reason, cause) != 0)
		return -1;
	if (stk_open_campaign(run->store, "stocktake.decide", v, &d.campaign,
	    cause) != 0)
		return -1;
	/* Each item's own recommendation: the deadline's default. */
	if (!stk_decision_ok(decision, 1)) {
		xasprintf(cause, _("stocktake.decide: decision is keep, "
		    "change, suspend, revoke or investigate"));
		return -1;
	}
	if (core_text_ok(reason, 1024, "reason", cause) != 0)
		return -1;
	d.decision = decision;
	if (stk_decide_walk(run->store, &run->args, &d, cause) != 0)
		return -1;
	if (d.n == 0) {
		xasprintf(cause, _("stocktake.decide: no item of stocktake %s "
		    "matches"), v);
		return -1;
	}
	snprintf(n, sizeof n, "%zu", d.n);
	if (store_args_add(&run->args, "count",
	    core_run_keep(run, xstrdup(n))) != 0) {
		xasprintf(cause, _("stocktake.decide: too many arguments"));
		return -1;
	}
	xasprintf(&run->subject, "stocktake:%s", v);
	return 0;
}

static int
stk_decide_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	struct stk_decide	 d;
	struct store_stmt	*st = NULL;
	char			 at[24], n[24];
	size_t			 i;
	int			 r = -1;

	memset(&d, 0, sizeof d);
	d.apply = 1;
	d.decision = store_args_get(a, "decision");
	if (!stk_decision_ok(d.decision, 1) ||
	    core_entry_time(e, at, sizeof at, cause) != 0 ||
	    stk_open_campaign(s, "stocktake.decide", store_args_get(a,
	    "campaign"), &d.campaign, cause) != 0 ||
	    stk_decide_walk(s, a, &d, cause) != 0)
		goto out;
	snprintf(n, sizeof n, "%zu", d.n);
	if (strcmp(n, store_args_get(a, "count")) != 0) {
		xasprintf(cause, _("stocktake.decide: the entry says %s items; "
		    "the filter matches %s"), store_args_get(a, "count"), n);
		goto out;
	}
	if ((st = store_prepare(s, "UPDATE stocktake_item SET decision = ?4, "
	    "reason = ?5, decided_by = ?6, decided_idx = ?7, decided_at = ?8 "
	    "WHERE campaign = ?1 AND system = ?2 AND login = ?3", cause)) ==
	    NULL)
		goto out;
	for (i = 0; i < d.nkeys; i++) {
		store_bind_int(st, 1, (int64_t)d.campaign);
		store_bind_text(st, 5, store_args_get(a, "reason"));
		store_bind_text(st, 6, e->operator);
		store_bind_int(st, 7, (int64_t)e->index);
		store_bind_int(st, 8, strtoll(at, NULL, 10));
		store_bind_text(st, 2, d.keys[i].system);
		store_bind_text(st, 3, d.keys[i].login);
		store_bind_text(st, 4, d.keys[i].decision);
		if (store_step(st, cause) == -1)
			goto out;
		store_reset(st);
	}
	r = 0;
	/* The deadline's defaults, applied by the system. */
	if (strcmp(e->operator, STORE_SYSTEM_ACTOR) == 0) {
		snprintf(n, sizeof n, "%llu", (unsigned long long)e->index);
		r = core_sql(s, "UPDATE stocktake SET defaulted_idx = ?1 WHERE "
		    "idx = CAST(?2 AS INTEGER)", cause, 2, n,
		    store_args_get(a, "campaign"));
	}
out:
	store_finalize(st);
	stk_decide_free(&d);
	return r;
}

/* ------------------------------------------------------------------ */
/* stocktake.close */

static int
stk_close_validate(struct core_run *run, char **cause)
{
	uint64_t	 idx;
	int64_t		 decided, total;
	const char	*v;
	char		*txt = NULL, *csv = NULL, hex[2][STORE_HASH_HEX];
	size_t		 tlen, clen;
	int		 r = -1;

	if (core_arg(run, "campaign", &v, cause) != 0 ||
	    stk_open_campaign(run->store, "stocktake.close", v, &idx,
	    cause) != 0 ||
	    core_stocktake_progress(run->store, idx, &decided, &total,
	    cause) != 0)
		return -1;
	if (decided < total) {
		xasprintf(cause, _("stocktake.close: %lld of %lld items of "
		    "stocktake %s are undecided"), (long long)(total - decided),
		    (long long)total, v);
		return -1;
	}
	if (core_stocktake_report_format(run->store, (long long)idx,
	    CORE_REPORT_FORMAT, time(NULL), &txt, &tlen, &csv, &clen,
	    cause) != 0)
		return -1;
	if (store_blob_put(run->store, txt, tlen, hex[0], cause) != 0 ||
	    store_blob_put(run->store, csv, clen, hex[1], cause) != 0)
		goto out;
	if (store_args_add(&run->args, "report_txt",
	    core_run_keep(run, xstrdup(hex[0]))) != 0 ||
	    store_args_add(&run->args, "report_csv",
	    core_run_keep(run, xstrdup(hex[1]))) != 0 ||
	    store_args_add(&run->args, "format",
	    core_run_keep(run, core_report_format_arg())) != 0) {
		xasprintf(cause, _("stocktake.close: too many arguments"));
		goto out;
	}
	xasprintf(&run->subject, "stocktake:%s", v);
	r = 0;
out:
	free(txt);
	free(csv);
	return r;
}

/*
 * Carry out one item: revoke (from any live state) or suspend (locked,
 * from the states id.lock leaves), with the target operation id.revoke
 * or id.lock queues; an ID already there needs nothing.  Sets *done.
 */
static int
stk_correct(struct store *s, const struct store_entry *e, const char *system,
    const char *login, const char *decision, int *seq, int *done,
    char **cause)
{
	char		 state[16], idx[24], sq[12];
	int		 revoke = strcmp(decision, "revoke") == 0;
	const char	*to = revoke ? "revoked" : "locked";

	*done = 0;
	if (core_id_state(s, system, login, state, sizeof state, cause) != 0)
		return -1;
	if (state[0] == '\0')
		return 0;			/* gone: nothing to carry out */
	*done = 1;
	if (strcmp(state, "revoked") == 0 || strcmp(state, to) == 0 ||
	    (!revoke && (strcmp(state, "expired") == 0)))
		return 0;
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	snprintf(sq, sizeof sq, "%d", (*seq)++);
	if (core_sql(s, "UPDATE account SET state = ?3, changed_idx = ?4 "
	    "WHERE system = ?1 AND login = ?2", cause, 4, system, login, to,
	    idx) != 0)
		return -1;
	return core_sql(s, "INSERT INTO outbox (entry_idx, seq, system, op, "
	    "login, arg) VALUES (?, ?, ?, ?, ?, '')", cause, 5, idx, sq,
	    system, revoke ? "delete" : "lock", login);
}

/* The campaign's revocations and suspensions, carried out. */
static int
stk_close_corrections(struct store *s, const struct store_entry *e,
    uint64_t campaign, char **cause)
{
	struct store_stmt	*st;
	struct stk_decide	 d;
	char			 idx[24], c[24];
	size_t			 i;
	int			 seq = 0, done, r;

	memset(&d, 0, sizeof d);
	if ((st = store_prepare(s, "SELECT system, login, decision FROM "
	    "stocktake_item WHERE campaign = ? AND decision IN ('revoke', "
	    "'suspend') ORDER BY system, login", cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)campaign);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		d.keys = xgrow(d.keys, &d.cap, d.nkeys + 1, sizeof *d.keys);
		d.keys[d.nkeys].system = xstrdup(store_col_text(st, 0));
		d.keys[d.nkeys].login = xstrdup(store_col_text(st, 1));
		d.keys[d.nkeys++].decision = xstrdup(store_col_text(st, 2));
	}
	store_finalize(st);
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	snprintf(c, sizeof c, "%llu", (unsigned long long)campaign);
	for (i = 0; r != -1 && i < d.nkeys; i++) {
		if (stk_correct(s, e, d.keys[i].system, d.keys[i].login,
		    d.keys[i].decision, &seq, &done, cause) != 0 ||
		    (done && core_sql(s, "UPDATE stocktake_item SET "
		    "corrected_idx = ?1, confirmed_by = ?2 WHERE campaign = "
		    "CAST(?3 AS INTEGER) AND system = ?4 AND login = ?5", cause,
		    5, idx, e->approver, c, d.keys[i].system,
		    d.keys[i].login) != 0))
			r = -1;
	}
	stk_decide_free(&d);
	return r == -1 ? -1 : 0;
}

static int
stk_close_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	uint64_t		 campaign;
	char			 at[24], idx[24], c[24];

	if (e->approver == NULL) {
		xasprintf(cause, _("stocktake.close: nobody approved it"));
		return -1;
	}
	if (core_entry_time(e, at, sizeof at, cause) != 0 ||
	    stk_open_campaign(s, "stocktake.close", store_args_get(a,
	    "campaign"), &campaign, cause) != 0 ||
	    stk_close_corrections(s, e, campaign, cause) != 0)
		return -1;
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	snprintf(c, sizeof c, "%llu", (unsigned long long)campaign);
	if (core_sql(s, "UPDATE stocktake SET state = 'closed', closed_idx = "
	    "?1, closed_by = ?2, closed_approver = ?3, closed_at = ?4 WHERE "
	    "idx = CAST(?5 AS INTEGER)", cause, 5, idx, e->operator,
	    e->approver, at, c) != 0)
		return -1;
	return core_report_seal_apply(s, e, "stocktake", c, cause);
}

static const struct core_param stk_start_params[] = {
	{ "scope", CORE_ARG_REQUIRED, N_("all, or comma-separated "
	    "system:NAME and department:NAME") },
	{ "deadline", CORE_ARG_REQUIRED, N_("the last day of the review "
	    "(YYYY-MM-DD in the policy timezone, or RFC 3339 UTC)") },
	{ "title", 0, N_("what the campaign is called") },
	{ "snapshot", CORE_ARG_MADE, N_("SHA-256 of the snapshot of the IDs "
	    "in scope (a blob)") },
	{ "items", CORE_ARG_MADE, N_("IDs in scope, each an item") },
	{ "today", CORE_ARG_MADE, N_("the day the IDs are judged on "
	    "(YYYY-MM-DD)") },
	{ "dormant_days", CORE_ARG_MADE, N_("days unused after which an ID "
	    "is recommended for revocation (daicho.conf)") },
	{ NULL, 0, NULL }
};

static const struct core_param stk_decide_params[] = {
	{ "campaign", CORE_ARG_REQUIRED, N_("the campaign's number") },
	{ "system", 0, N_("with login: one ID") },
	{ "login", 0, N_("with system: one ID") },
	{ "filter", 0, N_("instead of an ID: key=value,... over system, "
	    "department, kind, state, recommendation, finding, decided") },
	{ "decision", CORE_ARG_REQUIRED, N_("keep, change, suspend, revoke "
	    "or investigate (recommendation: each item's own, the "
	    "deadline's default)") },
	{ "reason", CORE_ARG_REQUIRED, N_("why, in the reviewer's words") },
	{ "count", CORE_ARG_MADE, N_("items the decision covers") },
	{ NULL, 0, NULL }
};

static const struct core_param stk_close_params[] = {
	{ "campaign", CORE_ARG_REQUIRED, N_("the campaign's number") },
	{ "report_txt", CORE_ARG_MADE, N_("SHA-256 of the review list's "
	    "report.txt (a blob)") },
	{ "report_csv", CORE_ARG_MADE, N_("SHA-256 of its report.csv (a "
	    "blob)") },
	{ "format", CORE_ARG_MADE, N_("report.txt's layout: 2, with the "
	    "era's dates (和暦); none in entries made before, format 1") },
	{ NULL, 0, NULL }
};

const struct core_action core_action_stocktake_start = {
	.name = "stocktake.start",
	.summary = N_("Start a stocktake (棚卸し): snapshot every live ID "
	    "in scope"),
	.roles = CORE_ROLE_ADMIN,
	.flags = 0,
	.params = stk_start_params,
	.validate = stk_start_validate,
	.apply = stk_start_apply,
};

const struct core_action core_action_stocktake_decide = {
	.name = "stocktake.decide",
	.summary = N_("Decide what becomes of stocktake items: one ID, or "
	    "those a filter matches"),
	.roles = CORE_ROLE_ADMIN | CORE_ROLE_APPROVER | CORE_ROLE_SYSTEM,
	.flags = 0,
	.params = stk_decide_params,
	.validate = stk_decide_validate,
	.apply = stk_decide_apply,
};

const struct core_action core_action_stocktake_close = {
	.name = "stocktake.close",
	.summary = N_("Close a stocktake: seal its review list, revoke and "
	    "lock what was decided"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = stk_close_params,
	.validate = stk_close_validate,
	.apply = stk_close_apply,
};

/* ------------------------------------------------------------------ */
/* The deadline's defaults, by the sweep. */

int
core_stocktake_sweep(struct store *s, time_t now,
    struct core_stocktake_sweep *out, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct core_policy	 p;
	struct store_stmt	*st;
	struct store_args	 a;
	uint64_t		*due = NULL;
	size_t			 n = 0, cap = 0, i;
	int64_t			 decided, total;
	char			 c[24];
	int			 r;

	memset(out, 0, sizeof *out);
	if ((st = store_prepare(s, "SELECT idx FROM stocktake s WHERE state = "
	    "'open' AND deadline <= ? AND EXISTS (SELECT 1 FROM stocktake_item "
	    "i WHERE i.campaign = s.idx AND i.decision IS NULL) ORDER BY idx",
	    cause)) == NULL)
		return -1;
	store_bind_int(st, 1, (int64_t)now);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		due = xgrow(due, &cap, n + 1, sizeof *due);
		due[n++] = (uint64_t)store_col_int(st, 0);
	}
	store_finalize(st);
	if (r == -1 || n == 0 || core_policy_get(s, NULL, NULL, &p,
	    cause) != 0) {
		free(due);
		return r == -1 || n != 0 ? -1 : 0;
	}
	for (i = 0; i < n; i++) {
		if (core_stocktake_progress(s, due[i], &decided, &total,
		    cause) != 0)
			break;
		memset(&a, 0, sizeof a);
		snprintf(c, sizeof c, "%llu", (unsigned long long)due[i]);
		store_args_add(&a, "campaign", c);
		store_args_add(&a, "filter", "decided=no");
		store_args_add(&a, "decision", p.stocktake_default);
		store_args_add(&a, "reason", "the deadline passed undecided: "
		    "stocktake_default");
		if (core_run(s, "stocktake.decide", &sys, &a, NULL, cause) != 0)
			break;
		out->campaigns++;
		out->items += (size_t)(total - decided);
	}
	free(due);
	return i == n ? 0 : -1;
}
