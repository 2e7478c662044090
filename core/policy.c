/*
 * policy.c -- the password and privileged-access policy: what policy.set
 * recorded, by system and ID kind, and what applies to one ID.
 *
 * A key is looked up from the narrowest scope to the widest: the
 * system and the kind, the system for any kind, any system for the kind,
 * any system and kind; then daicho's default.  The keys are one table
 * (core_policy_keys), which policy.set's arguments, daicho(8) and
 * "daicho policy" all come from.
 */
#include "config.h"

#include <sys/stat.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core-int.h"

#define P(f)	offsetof(struct core_policy, f)

const struct core_policy_key core_policy_keys[] = {
	{ "min_length", CORE_POLICY_INT, P(min_length), 8, 128, "12",
	    N_("characters a password has at least") },
	{ "min_classes", CORE_POLICY_INT, P(min_classes), 1, 4, "3",
	    N_("character classes (lower, upper, digit, other) at least") },
	{ "dictcheck", CORE_POLICY_INT, P(dictcheck), 0, 1, "1",
	    N_("whether a word of the cracklib dictionary is refused (1) or "
	    "not (0)") },
	{ "usercheck", CORE_POLICY_INT, P(usercheck), 0, 1, "1",
	    N_("whether a password containing the login name is refused (1) "
	    "or not (0)") },
	{ "max_age_days", CORE_POLICY_INT, P(max_age_days), 0, 3650, "90",
	    N_("days a password may be used (0: no limit)") },
	{ "min_age_days", CORE_POLICY_INT, P(min_age_days), 0, 365, "1",
	    N_("days before a password may be changed again") },
	{ "warn_days", CORE_POLICY_INT, P(warn_days), 0, 365, "14",
	    N_("days of warning before a password is due") },
	{ "history", CORE_POLICY_INT, P(history), 0, 50, "5",
	    N_("earlier passwords a new one may not repeat") },
	{ "temp_hours", CORE_POLICY_INT, P(temp_hours), 1, 720, "72",
	    N_("hours a temporary password is valid before it must be "
	    "changed") },
	{ "priv_cap_minutes", CORE_POLICY_INT, P(priv_cap_minutes), 1, 10080,
	    "480", N_("minutes a privileged ID may be activated for at most") },
	{ "allowed_hours", CORE_POLICY_HOURS, P(allowed_hours), 0, 0,
	    "mon-fri 08:30-17:15",
	    N_("when privileged access may be requested: DAYS HH:MM-HH:MM "
	    "(days mon..sun, ranges and commas), or \"any\"") },
	{ "timezone", CORE_POLICY_ZONE, P(timezone), 0, 0, "Asia/Tokyo",
	    N_("the zone allowed_hours is read in (a tz database name)") },
	{ "max_holders", CORE_POLICY_INT, P(max_holders), 0, 10000, "3",
	    N_("privileged IDs one system may have in use (0: no limit)") },
	{ "stocktake_default", CORE_POLICY_WORD, P(stocktake_default), 0, 0,
	    "investigate", N_("what a stocktake item still undecided at the "
	    "deadline becomes: investigate, recommendation (its own), keep "
	    "or revoke") },
	{ "review_interval_days", CORE_POLICY_INT, P(review_interval_days),
	    1, 366, "30", N_("days between reviews of the ledger's records "
	    "(review.done) before the dashboard reminds") },
	{ "report_keep_years", CORE_POLICY_INT, P(report_keep_years), 5, 100,
	    "5", N_("years a sealed report is kept before report.remove may "
	    "remove it (read at scope * *)") },
	{ "exception_report_days", CORE_POLICY_INT, P(exception_report_days),
	    1, 30, "3", N_("days within which an emergency exception is "
	    "reported to an approver (read at scope * / *)") },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

/* The words a CORE_POLICY_WORD key may be, '|'-separated. */
static const struct {
	const char	*key, *words;
} policy_words[] = {
	{ "stocktake_default", "investigate|recommendation|keep|revoke" },
};

static const char *
policy_words_of(const char *key)
{
	size_t	 i;

	for (i = 0; i < sizeof policy_words / sizeof policy_words[0]; i++) {
		if (strcmp(policy_words[i].key, key) == 0)
			return policy_words[i].words;
	}
	return "";
}
/* Whether v is one of words ("a|b|c"), whole. */
static int
policy_word_ok(const char *words, const char *v)
{
	size_t		 n = strlen(v);
	const char	*w, *end;

	for (w = words; n > 0 && *w != '\0'; w = *end == '|' ? end + 1 : end) {
		end = w + strcspn(w, "|");
		if ((size_t)(end - w) == n && strncmp(w, v, n) == 0)
			return 1;
	}
	return 0;
}

_Static_assert(sizeof core_policy_keys / sizeof core_policy_keys[0] ==
    CORE_POLICY_NKEYS + 1, "CORE_POLICY_NKEYS must count the keys");

const struct core_policy_key *
core_policy_key_find(const char *name)
{
	const struct core_policy_key	*k;

	for (k = core_policy_keys; k->name != NULL; k++) {
		if (strcmp(k->name, name) == 0)
			return k;
	}
	return NULL;
}

static const char *const policy_days[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};

static int
policy_day(const char *s, size_t n)
{
	int	 i;

	for (i = 0; i < 7; i++) {
		if (n == 3 && strncmp(s, policy_days[i], 3) == 0)
			return i;
	}
	return -1;
}

/* "HH:MM" of exactly five bytes into minutes of the day; -1 when not. */
static int
policy_hhmm(const char *s)
{
	if (!(s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
	    s[2] == ':' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' &&
	    s[4] <= '9'))
		return -1;
	if ((s[0] - '0') * 10 + (s[1] - '0') > 24)
		return -1;
	return ((s[0] - '0') * 10 + (s[1] - '0')) * 60 +
	    (s[3] - '0') * 10 + (s[4] - '0');
}

int
core_policy_hours_parse(const char *s, struct core_hours *h)
{
	const char	*p, *sp, *comma, *dash, *end;
	int		 a, b, d;

	memset(h, 0, sizeof *h);
	if (strcmp(s, "any") == 0) {
		h->any = 1;
		return 0;
	}
	/* DAYS HH:MM-HH:MM, days a comma list of days or day ranges */
	if ((sp = strchr(s, ' ')) == NULL || strlen(sp + 1) != 11 ||
	    sp[6] != '-')
		return -1;
	for (p = s; p < sp; p = comma + 1) {
		if ((comma = memchr(p, ',', (size_t)(sp - p))) == NULL)
			comma = sp;
		end = comma;
		if ((dash = memchr(p, '-', (size_t)(end - p))) != NULL) {
			a = policy_day(p, (size_t)(dash - p));
			b = policy_day(dash + 1, (size_t)(end - dash - 1));
		} else
			a = b = policy_day(p, (size_t)(end - p));
		if (a == -1 || b == -1)
			return -1;
		for (d = a;; d = (d + 1) % 7) {
			h->days |= 1 << d;
			if (d == b)
				break;
		}
		if (comma == sp)
			break;
	}
	if ((h->from = policy_hhmm(sp + 1)) == -1 ||
	    (h->to = policy_hhmm(sp + 7)) == -1 || h->from >= h->to ||
	    h->to > 24 * 60)
		return -1;
	return 0;
}

/* A tz database name: letters, digits, '_', '-', '+', and '/' between
 * parts, never "." or ".." (it becomes a file name under zoneinfo). */
static int
policy_zone_ok(const char *z)
{
	size_t	 i, n = strlen(z);

	if (n == 0 || n > 63 || z[0] == '/' || z[n - 1] == '/' ||
	    strstr(z, "//") != NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if (!((z[i] >= 'a' && z[i] <= 'z') || (z[i] >= 'A' &&
		    z[i] <= 'Z') || (z[i] >= '0' && z[i] <= '9') ||
		    z[i] == '_' || z[i] == '-' || z[i] == '+' || z[i] == '/'))
			return 0;
	}
	return 1;
}

int
core_policy_value_ok(const struct core_policy_key *k, const char *v,
    char **cause)
{
	struct core_hours	 h;
	struct stat		 sb;
	const char		*errstr;
	char			 path[128];
	long long		 n;

	switch (k->type) {
	case CORE_POLICY_INT:
		if (number_parse(v, k->min, k->max, &n, &errstr) != 0) {
			xasprintf(cause, _("policy: %s \"%.20s\" is %s (a "
			    "whole number from %lld to %lld)"), k->name, v,
			    _(errstr), k->min, k->max);
			return -1;
		}
		return 0;
	case CORE_POLICY_HOURS:
		if (core_policy_hours_parse(v, &h) != 0) {
			xasprintf(cause, _("policy: allowed_hours \"%.40s\" is "
			    "not DAYS HH:MM-HH:MM (such as \"mon-fri "
			    "08:30-17:15\") or \"any\""), v);
			return -1;
		}
		return 0;
	case CORE_POLICY_ZONE:
		/* An unknown zone would be read as UTC without a word. */
		if (!policy_zone_ok(v) || (snprintf(path, sizeof path,
		    "/usr/share/zoneinfo/%s", v), stat(path, &sb) != 0) ||
		    !S_ISREG(sb.st_mode)) {
			xasprintf(cause, _("policy: timezone \"%.40s\" is "
			    "not a time zone of this machine's tz database "
			    "(such as Asia/Tokyo)"), v);
			return -1;
		}
		return 0;
	case CORE_POLICY_WORD:
		if (policy_word_ok(policy_words_of(k->name), v))
			return 0;
		snprintf(path, sizeof path, "%s", policy_words_of(k->name));
		xasprintf(cause, _("policy: %s \"%.20s\" is not one of %s"),
		    k->name, v, path);
		return -1;
	}
	return -1;
}

static void
policy_set(struct core_policy *p, const struct core_policy_key *k,
    const char *v, const char *from)
{
	char		*f = (char *)p + k->offset;
	const char	*errstr;
	long long	 n;
	size_t		 i = (size_t)(k - core_policy_keys);

	switch (k->type) {
	case CORE_POLICY_INT:
		if (number_parse(v, k->min, k->max, &n, &errstr) != 0)
			return;		/* validate let nothing else in */
		*(int *)f = (int)n;
		break;
	case CORE_POLICY_HOURS:
	case CORE_POLICY_ZONE:
	case CORE_POLICY_WORD:
		snprintf(f, CORE_POLICY_TEXT, "%s", v);
		break;
	}
	snprintf(p->from[i], sizeof p->from[i], "%s", from);
}

void
core_policy_defaults(struct core_policy *p)
{
	const struct core_policy_key	*k;

	memset(p, 0, sizeof *p);
	for (k = core_policy_keys; k->name != NULL; k++)
		policy_set(p, k, k->def, "default");
}

int
core_policy_get(struct store *s, const char *system, const char *kind,
    struct core_policy *p, char **cause)
{
	const struct core_policy_key	*k;
	struct store_stmt		*st;
	char				 from[80];
	int				 r;

	core_policy_defaults(p);
	/*
	 * Widest scope first, so a narrower one overwrites it: ('*', '*'),
	 * ('*', kind), (system, '*'), (system, kind).
	 */
	if ((st = store_prepare(s, "SELECT system, kind, key, value FROM "
	    "policy WHERE system IN ('*', ?1) AND kind IN ('*', ?2) ORDER BY "
	    "system <> '*', kind <> '*'", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, system != NULL ? system : "*");
	store_bind_text(st, 2, kind != NULL ? kind : "*");
	while ((r = store_step(st, cause)) == STORE_ROW) {
		if ((k = core_policy_key_find(store_col_text(st, 2))) == NULL)
			continue;
		snprintf(from, sizeof from, "%s/%s", store_col_text(st, 0),
		    store_col_text(st, 1));
		policy_set(p, k, store_col_text(st, 3), from);
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

char *
core_policy_zone_enter(const char *zone)
{
	char	*old = NULL, *tz, *env;

	/*
	 * glibc has no localtime for a named zone but through TZ: set it
	 * until core_policy_zone_leave puts it back.  core runs on one
	 * thread.
	 */
	if ((env = getenv("TZ")) != NULL)
		xasprintf(&old, "=%s", env);
	else
		old = xstrdup("-");	/* unset */
	xasprintf(&tz, ":%s", zone);
	setenv("TZ", tz, 1);
	tzset();
	free(tz);
	return old;
}

void
core_policy_zone_leave(char *old)
{
	if (old == NULL)
		return;
	if (old[0] == '=')
		setenv("TZ", old + 1, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

/* when in zone (a tz database name) as broken-down local time. */
static void
policy_localtime(time_t when, const char *zone, struct tm *tm)
{
	char	*old = core_policy_zone_enter(zone);

	localtime_r(&when, tm);
	core_policy_zone_leave(old);
}

int
core_policy_hours_in(const struct core_hours *h, const struct tm *tm)
{
	int	 m = tm->tm_hour * 60 + tm->tm_min;

	return h->any || ((h->days & (1 << tm->tm_wday)) && m >= h->from &&
	    m < h->to);
}

const char *
core_policy_day_name(int wday)
{
	return wday >= 0 && wday < 7 ? policy_days[wday] : "?";
}

/* The start of the day YYYY-MM-DD (checked), plus days, in the zone now
 * set; -1 when mktime cannot say. */
static time_t
policy_day_start(const char *day, int days)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = (day[0] - '0') * 1000 + (day[1] - '0') * 100 +
	    (day[2] - '0') * 10 + (day[3] - '0') - 1900;
	tm.tm_mon = (day[5] - '0') * 10 + (day[6] - '0') - 1;
	tm.tm_mday = (day[8] - '0') * 10 + (day[9] - '0') + days;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* Whether t is spelt text in UTC: one spelling per time (no 24:00, no
 * second 60, no February 30th that timegm would carry over). */
static int
policy_utc_same(time_t t, const char *text)
{
	struct tm	 tm;
	char		 back[32];

	return gmtime_r(&t, &tm) != NULL && strftime(back, sizeof back,
	    "%Y-%m-%dT%H:%M:%SZ", &tm) == 20 && strcmp(back, text) == 0;
}

int
core_day_parse_zone(const char *zone, const char *text, int end, time_t *t,
    char **cause)
{
	char	*old;

	if (core_date_ok(text)) {
		old = core_policy_zone_enter(zone);
		*t = policy_day_start(text, end ? 1 : 0);
		core_policy_zone_leave(old);
		if (*t != (time_t)-1)
			return 0;
	} else if (strlen(text) == 20 && text[10] == 'T' && text[19] == 'Z' &&
	    when_parse_utc(text, t) == 0 && policy_utc_same(*t, text))
		return 0;
	xasprintf(cause, _("\"%.40s\" is not a day (YYYY-MM-DD, in the "
	    "policy's time zone) or a UTC time (YYYY-MM-DDTHH:MM:SSZ)"), text);
	return -1;
}

int
core_day_parse(struct store *s, const char *text, int end, time_t *t,
    char **cause)
{
	struct core_policy	 p;

	if (core_policy_get(s, NULL, NULL, &p, cause) != 0)
		return -1;
	return core_day_parse_zone(p.timezone, text, end, t, cause);
}

int
core_day_today(struct store *s, time_t now, int days, time_t *t,
    char **cause)
{
	struct core_policy	 p;
	struct tm		 tm;
	char			*old;

	if (core_policy_get(s, NULL, NULL, &p, cause) != 0)
		return -1;
	old = core_policy_zone_enter(p.timezone);
	localtime_r(&now, &tm);
	tm.tm_mday += days;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	*t = mktime(&tm);
	core_policy_zone_leave(old);
	if (*t == (time_t)-1) {
		xasprintf(cause, _("the day in %s cannot be worked out"),
		    p.timezone);
		return -1;
	}
	return 0;
}

int
core_day_text(struct store *s, time_t t, char *buf, size_t len,
    char **cause)
{
	struct core_policy	 p;
	struct tm		 tm;
	char			*old;

	if (core_policy_get(s, NULL, NULL, &p, cause) != 0)
		return -1;
	old = core_policy_zone_enter(p.timezone);
	localtime_r(&t, &tm);
	core_policy_zone_leave(old);
	if (strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
	return 0;
}

int
core_policy_hours_ok(const struct core_policy *p, time_t when, char *why,
    size_t len)
{
	struct core_hours	 h;
	struct tm		 tm;

	if (core_policy_hours_parse(p->allowed_hours, &h) != 0) {
		snprintf(why, len, _("the allowed hours \"%s\" cannot be read"),
		    p->allowed_hours);
		return 0;
	}
	if (h.any)
		return 1;
	policy_localtime(when, p->timezone, &tm);
	if (core_policy_hours_in(&h, &tm))
		return 1;
	snprintf(why, len, _("it is %s %02d:%02d in %s, outside the allowed "
	    "hours (%s)"), policy_days[tm.tm_wday], tm.tm_hour, tm.tm_min,
	    p->timezone, p->allowed_hours);
	return 0;
}

void
core_policy_man(FILE *f)
{
	const struct core_policy_key	*k;
	const char			*help;
	char				*text;

	/* daicho's own text: no leading '.', no backslash but the quotes */
	fputs(".Bl -tag -width Ds\n", f);
	for (k = core_policy_keys; k->name != NULL; k++) {
		help = _(k->help);
		if (k->type == CORE_POLICY_INT)
			xasprintf(&text, _("%s; %lld to %lld."), help, k->min,
			    k->max);
		else
			/* TRANSLATORS: a sentence of daicho(8): its text, then
			   the sentence's end */
			xasprintf(&text, _("%s."), help);
		/* the English text starts a sentence; a translation is
		   printed as it is written */
		if (help == k->help && *text >= 'a' && *text <= 'z')
			*text = (char)(*text - 'a' + 'A');
		fprintf(f, ".It Cm %s\n%s\n", k->name, text);
		free(text);
		/* the default quoted as .Ql quotes it, in a text line that
		   a translation may end as its language does */
		xasprintf(&text, "\\(oq%s\\(cq", k->def);
		fprintf(f, _("Default: %s."), text);
		fputc('\n', f);
		free(text);
	}
	fputs(".El\n", f);
}
