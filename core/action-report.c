/*
 * action-report.c -- sealed reports: report.inspection seals the annual
 * self-inspection report (inspection.c), report.remove takes a report
 * away once it has been kept long enough, and the package an auditor
 * verifies without the database (docs/ledger-format.md section 9) is
 * gathered here for "daicho report".
 *
 * A report is sealed by an entry (stocktake.close for a stocktake's
 * review list, report.inspection for the annual report) whose made
 * arguments report_txt and report_csv are the SHA-256 of the two files;
 * their bytes are blobs.  The report row is a projection of that entry.
 * Its made argument format names report.txt's layout (CORE_REPORT_FORMAT);
 * entries from before there was one have none, and their reports are
 * format 1: what a sealing entry recorded is never made again otherwise.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

/* The verification report.inspection's appendix shows; set by
 * core_inspection_seal around its run (core runs on one thread). */
static const struct store_verify_result *report_verified;

/* glibc has localtime and mktime for a named zone only through TZ: set
 * it for the call and put it back. */
static void
report_tz(const char *zone, char **old)
{
	char	*tz;

	*old = getenv("TZ") != NULL ? xstrdup(getenv("TZ")) : NULL;
	xasprintf(&tz, ":%s", zone);
	setenv("TZ", tz, 1);
	tzset();
	free(tz);
}

static void
report_tz_back(char *old)
{
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

void
core_zone_localtime(time_t when, const char *zone, struct tm *tm)
{
	char	*old;

	report_tz(zone, &old);
	localtime_r(&when, tm);
	report_tz_back(old);
}

time_t
core_zone_mktime(struct tm *tm, const char *zone)
{
	char	*old;
	time_t	 t;

	report_tz(zone, &old);
	tm->tm_isdst = -1;
	t = mktime(tm);
	report_tz_back(old);
	return t;
}

int
core_report_find(struct store *s, const char *kind, const char *key,
    struct core_report *r, char **cause)
{
	struct store_stmt	*st;
	int			 c;

	memset(r, 0, sizeof *r);
	if ((st = store_prepare(s, "SELECT idx, txt, csv, sealed_at, "
	    "coalesce(removed_idx, 0) FROM report WHERE kind = ? AND key = ? "
	    "ORDER BY removed_idx IS NOT NULL, idx DESC LIMIT 1",
	    cause)) == NULL)
		return -1;
	store_bind_text(st, 1, kind);
	store_bind_text(st, 2, key);
	if ((c = store_step(st, cause)) == STORE_ROW) {
		r->idx = (uint64_t)store_col_int(st, 0);
		snprintf(r->kind, sizeof r->kind, "%s", kind);
		snprintf(r->key, sizeof r->key, "%s", key);
		snprintf(r->txt, sizeof r->txt, "%s", store_col_text(st, 1));
		snprintf(r->csv, sizeof r->csv, "%s", store_col_text(st, 2));
		r->sealed_at = store_col_int(st, 3);
		r->removed_idx = (uint64_t)store_col_int(st, 4);
	}
	store_finalize(st);
	return c == -1 ? -1 : c == STORE_ROW ? 0 : 1;
}

/* A fiscal year as report.inspection takes it: 2000 to 9998. */
static int
report_year(const char *v, int *fy, char **cause)
{
	long long	 n;
	const char	*errstr;

	if (strlen(v) != 4 || number_parse(v, 2000, 9998, &n, &errstr) != 0) {
		xasprintf(cause, _("report.inspection: year must be a fiscal "
		    "year such as 2026 (April 2026 to March 2027), not "
		    "\"%.20s\""), v);
		return -1;
	}
	*fy = (int)n;
	return 0;
}

static int
inspection_validate(struct core_run *run, char **cause)
{
	struct core_inspection_in	 in;
	struct core_report_bytes	 b;
	struct core_report		 old;
	struct core_policy		 p;
	time_t				 from, to;
	const char			*year;
	char				 txt[STORE_HASH_HEX], csv[STORE_HASH_HEX];
	int				 r;

	memset(&in, 0, sizeof in);
	if (core_arg(run, "year", &year, cause) != 0 ||
	    report_year(year, &in.fy, cause) != 0)
		return -1;
	if (report_verified == NULL) {
		xasprintf(cause, _("report.inspection: daicho report "
		    "inspection seals it (the ledger is verified first)"));
		return -1;
	}
	if ((r = core_report_find(run->store, "inspection", year, &old,
	    cause)) == -1)
		return -1;
	if (r == 0 && old.removed_idx == 0) {
		xasprintf(cause, _("report.inspection: the report of %s is "
		    "sealed already (entry %llu)"), year,
		    (unsigned long long)old.idx);
		return -1;
	}
	if (core_policy_get(run->store, NULL, NULL, &p, cause) != 0)
		return -1;
	in.now = time(NULL);
	core_fiscal_year(in.fy, p.timezone, &from, &to);
	if (in.now < from) {
		xasprintf(cause, _("report.inspection: fiscal year %s has not "
		    "begun"), year);
		return -1;
	}
	if (store_ledger_size(run->store, &in.size, cause) != 0)
		return -1;
	in.format = CORE_REPORT_FORMAT;
	in.preparer = run->actor->operator;
	in.approver = run->actor->approver;
	in.verified = report_verified;
	if (core_inspection_report(run->store, &in, &b, cause) != 0)
		return -1;
	r = store_blob_put(run->store, b.txt, b.txtlen, txt, cause);
	if (r == 0)
		r = store_blob_put(run->store, b.csv, b.csvlen, csv, cause);
	free(b.txt);
	free(b.csv);
	if (r != 0)
		return -1;
	store_args_add(&run->args, "report_txt",
	    core_run_keep(run, xstrdup(txt)));
	store_args_add(&run->args, "report_csv",
	    core_run_keep(run, xstrdup(csv)));
	store_args_add(&run->args, "format", core_run_keep(run,
	    core_report_format_arg()));
	xasprintf(&run->subject, "report:inspection/%s", year);
	return 0;
}

int
core_report_format(const struct store_entry *e, int *format, char **cause)
{
	const char	*v = store_args_get(&e->args, "format");
	const char	*errstr;
	long long	 n;

	*format = 1;
	if (v == NULL)
		return 0;
	/* 1 is never recorded: an entry without the argument is format 1. */
	if (number_parse(v, 2, CORE_REPORT_FORMAT, &n, &errstr) != 0) {
		xasprintf(cause, _("%s: its report is in format \"%.20s\", "
		    "which this daicho does not know (it knows 1 to %d)"),
		    e->action, v, CORE_REPORT_FORMAT);
		return -1;
	}
	*format = (int)n;
	return 0;
}

char *
core_report_format_arg(void)
{
	char	*v;

	xasprintf(&v, "%d", CORE_REPORT_FORMAT);
	return v;
}

/* The report row of a sealing entry (stocktake.close too), its format
 * checked. */
int
core_report_seal_apply(struct store *s, const struct store_entry *e,
    const char *kind, const char *key, char **cause)
{
	const char	*txt = store_args_get(&e->args, "report_txt");
	const char	*csv = store_args_get(&e->args, "report_csv");
	char		 idx[24], at[24];
	int		 format;

	if (txt == NULL || csv == NULL || key == NULL) {
		xasprintf(cause, _("%s: the entry names no report"), e->action);
		return -1;
	}
	if (core_report_format(e, &format, cause) != 0)
		return -1;
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (core_entry_time(e, at, sizeof at, cause) != 0)
		return -1;
	return core_sql(s, "INSERT INTO report (idx, kind, key, txt, csv, "
	    "sealed_at) VALUES (CAST(?1 AS INTEGER), ?2, ?3, ?4, ?5, "
	    "CAST(?6 AS INTEGER))", cause, 6, idx, kind, key, txt, csv, at);
}

static int
inspection_apply(struct store *s, const struct store_entry *e, char **cause)
{
	return core_report_seal_apply(s, e, "inspection",
	    store_args_get(&e->args, "year"), cause);
}

int
core_inspection_seal(struct store *s, const struct core_actor *who, int fy,
    const struct store_verify_result *verified, uint64_t *index,
    char **cause)
{
	struct store_args	 a = { 0 };
	char			 year[16];
	int			 r;

	snprintf(year, sizeof year, "%d", fy);
	store_args_add(&a, "year", year);
	report_verified = verified;
	r = core_run(s, "report.inspection", who, &a, index, cause);
	report_verified = NULL;
	return r;
}

/* The first day a report sealed at may be removed, in the zone. */
static time_t
report_removable(time_t sealed, int years, const char *zone)
{
	struct tm	 tm;

	core_zone_localtime(sealed, zone, &tm);
	tm.tm_year += years;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += 1;		/* the day after the anniversary */
	return core_zone_mktime(&tm, zone);
}

/* The report kind/key names, kept long enough by when; 0 or -1. */
static int
report_remove_check(struct store *s, const char *kind, const char *key,
    time_t when, struct core_report *r, char **cause)
{
	struct core_policy	 p;
	struct tm		 tm;
	time_t			 ok;
	char			 day[16];
	int			 c;

	if ((c = core_report_find(s, kind, key, r, cause)) == -1)
		return -1;
	if (c == 1 || r->removed_idx != 0) {
		xasprintf(cause, _("report.remove: no sealed %.20s report "
		    "%.40s"), kind, key);
		return -1;
	}
	if (core_policy_get(s, NULL, NULL, &p, cause) != 0)
		return -1;
	ok = report_removable((time_t)r->sealed_at, p.report_keep_years,
	    p.timezone);
	if (when < ok) {
		core_zone_localtime(ok, p.timezone, &tm);
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
		xasprintf(cause, _("report.remove: the %s report %s (entry "
		    "%llu) is kept %d years (report_keep_years); it may be "
		    "removed from %s"), kind, key, (unsigned long long)r->idx,
		    p.report_keep_years, day);
		return -1;
	}
	return 0;
}

static int
remove_validate(struct core_run *run, char **cause)
{
	struct core_report	 r;
	const char		*kind, *key, *reason;

	if (core_arg(run, "kind", &kind, cause) != 0 ||
	    core_arg(run, "key", &key, cause) != 0 ||
	    core_arg(run, "reason", &reason, cause) != 0 ||
	    core_text_ok("report.remove: reason", 1000, reason, cause) != 0)
		return -1;
	if (strcmp(kind, "stocktake") != 0 && strcmp(kind,
	    "inspection") != 0) {
		xasprintf(cause, _("report.remove: kind is stocktake or "
		    "inspection"));
		return -1;
	}
	if (report_remove_check(run->store, kind, key, time(NULL), &r,
	    cause) != 0)
		return -1;
	xasprintf(&run->subject, "report:%s/%s", kind, key);
	return 0;
}

static int
remove_apply(struct store *s, const struct store_entry *e, char **cause)
{
	struct core_report	 r;
	const char		*kind = store_args_get(&e->args, "kind");
	const char		*key = store_args_get(&e->args, "key");
	char			 idx[24], ridx[24];
	time_t			 when;

	if (kind == NULL || key == NULL) {
		xasprintf(cause, _("report.remove: the entry names no report"));
		return -1;
	}
	if (core_entry_when(e, &when, cause) != 0 ||
	    report_remove_check(s, kind, key, when, &r, cause) != 0)
		return -1;
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	snprintf(ridx, sizeof ridx, "%llu", (unsigned long long)r.idx);
	if (core_sql(s, "UPDATE report SET removed_idx = CAST(?1 AS INTEGER) "
	    "WHERE idx = CAST(?2 AS INTEGER)", cause, 2, idx, ridx) != 0)
		return -1;
	/* The bytes go, unless a report still kept has the same. */
	return core_sql(s, "DELETE FROM blob WHERE sha256 IN (?1, ?2) AND NOT "
	    "EXISTS (SELECT 1 FROM report WHERE removed_idx IS NULL AND "
	    "(txt = blob.sha256 OR csv = blob.sha256))", cause, 2, r.txt,
	    r.csv);
}

static const struct core_param inspection_params[] = {
	{ "year", CORE_ARG_REQUIRED, N_("the fiscal year: 2026 is April "
	    "2026 to March 2027 (policy timezone)") },
	{ "report_txt", CORE_ARG_MADE, N_("SHA-256 of report.txt (a blob)") },
	{ "report_csv", CORE_ARG_MADE, N_("SHA-256 of report.csv (a blob)") },
	{ "format", CORE_ARG_MADE, N_("report.txt's layout: 2, with the "
	    "era's dates (和暦); none in entries made before, format 1") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_report_inspection = {
	.name = "report.inspection",
	.summary = N_("Seal the annual self-inspection report "
	    "(自己点検報告書) of a fiscal year"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON | CORE_INTERNAL,
	.params = inspection_params,
	.validate = inspection_validate,
	.apply = inspection_apply,
};

static const struct core_param remove_params[] = {
	{ "kind", CORE_ARG_REQUIRED, N_("stocktake or inspection") },
	{ "key", CORE_ARG_REQUIRED, N_("the campaign's number, or the "
	    "fiscal year") },
	{ "reason", CORE_ARG_REQUIRED, N_("why it is removed") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_report_remove = {
	.name = "report.remove",
	.summary = N_("Remove a sealed report kept report_keep_years at "
	    "least (its files' bytes are deleted; the entries stay)"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = remove_params,
	.validate = remove_validate,
	.apply = remove_apply,
};
