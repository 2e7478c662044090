/*
 * cmd-findings.c -- daicho findings: the ledger against the HR records
 * and the systems, and remedies applied to many findings at once.
 *
 *	findings [--format text|tsv|json] [--rule RULE ...] [--subject S ...]
 *	findings remedy RULE REMEDY [--subject S ...] [NAME=VALUE ...]
 *	    --user NAME [--approver NAME] [--askpass-fd N] [--yes]
 *
 * Listing reads only.  Exit status: 0 no findings, 1 findings, 2 an
 * error (a system that could not be listed among them, after the rest).
 * A remedy previews every finding it acts on, asks for their count to be
 * typed back (unless --yes), then runs the remedy's action on each in
 * one transaction: all of them, or none when one is refused.  The
 * actions keep their own rules: the admin role, and a second person
 * where the action needs one.
 */
#include "config.h"

#include <getopt.h>
#include <libintl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "cli.h"

#define FINDINGS_SUBJECTS_MAX	256

enum { FMT_TEXT, FMT_TSV, FMT_JSON };

struct fopts {
	int		 format;
	unsigned	 mask;			/* rules; 0: all */
	const char	*subject[FINDINGS_SUBJECTS_MAX];
	size_t		 nsubject;
	struct cli_who	 who;
	int		 yes;
};

/* What listing prints and remembers. */
struct flist {
	const struct fopts *o;
	int		 rule;			/* of the last line (text) */
	size_t		 shown;
	size_t		 covered;		/* of them, by an exception */
	struct core_finding *keep;		/* remedy: the findings */
	size_t		 nkeep;
	int		 keeping;
};

static const char *
rule_names(void)
{
	static char	 buf[256];
	size_t		 i, off = 0;

	if (buf[0] != '\0')
		return buf;
	for (i = 0; i < CORE_FINDINGS_NRULES; i++)
		off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s",
		    i > 0 ? ", " : "", core_findings_rules[i].name);
	return buf;
}

static int
parse_rule(const char *name)
{
	int	 r;

	if ((r = core_findings_rule(name)) == -1)
		cli_error(_("findings: no rule %s; the rules are %s"), name,
		    rule_names());
	return r;
}

static int
subject_wanted(const struct fopts *o, const char *subject)
{
	size_t	 i;

	if (o->nsubject == 0)
		return 1;
	for (i = 0; i < o->nsubject; i++) {
		if (strcmp(o->subject[i], subject) == 0)
			return 1;
	}
	return 0;
}

/*
 * s as a JSON string: quotes, backslashes and control characters (C0,
 * DEL and C1, which some terminals obey) escaped, other UTF-8 kept as it
 * is, and any byte that is not UTF-8 made U+FFFD so that the output is
 * always JSON.
 */
static void
json_string(FILE *f, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i;

	fputc('"', f);
	while (*p != '\0') {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p++);
		else if (*p == '\n')
			fputs("\\n", f), p++;
		else if (*p == '\t')
			fputs("\\t", f), p++;
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p++);
		else if (*p < 0x80)
			fputc(*p++, f);
		else {
			n = *p >= 0xc2 && *p <= 0xdf ? 2 : *p >= 0xe0 &&
			    *p <= 0xef ? 3 : *p >= 0xf0 && *p <= 0xf4 ? 4 : 0;
			for (i = 1; i < n; i++) {
				if ((p[i] & 0xc0) != 0x80)
					break;
			}
			/* overlong, surrogate and beyond U+10FFFF forms */
			if (n == 0 || i < n || (n == 3 && ((*p == 0xe0 &&
			    p[1] < 0xa0) || (*p == 0xed && p[1] >= 0xa0))) ||
			    (n == 4 && ((*p == 0xf0 && p[1] < 0x90) ||
			    (*p == 0xf4 && p[1] >= 0x90)))) {
				fputs("\\ufffd", f);
				p++;
				continue;
			}
			if (n == 2 && *p == 0xc2 && p[1] < 0xa0)
				fprintf(f, "\\u%04x", p[1]);	/* C1 */
			else
				fwrite(p, 1, n, f);
			p += n;
		}
	}
	fputc('"', f);
}

static void
print_json(struct flist *l, const struct core_finding *f)
{
	const struct core_rule	*r = &core_findings_rules[f->rule];
	const char		*k[] = { "rule", "severity", "subject",
	    "detail", "remedy", "clause" };
	const char		*v[] = { r->name, r->severity, f->subject,
	    f->detail, f->remedy, r->clause };
	size_t			 i;

	fputs(l->shown == 0 ? "[\n  {" : ",\n  {", stdout);
	for (i = 0; i < 6; i++) {
		fprintf(stdout, "%s\"%s\": ", i > 0 ? ", " : "", k[i]);
		json_string(stdout, v[i]);
	}
	fputc('}', stdout);
}

static void
print_finding(void *arg, const struct core_finding *f)
{
	struct flist		*l = arg;
	const struct core_rule	*r = &core_findings_rules[f->rule];
	const char		*row[5];
	struct core_finding	 g;

	if (!subject_wanted(l->o, f->subject))
		return;
	/* Covered: listed, saying by what; no remedy acts on it. */
	if (f->exception != 0) {
		if (l->keeping)
			return;
		/* In English where programs read it (tsv, json). */
		g = *f;
		snprintf(g.detail + strlen(g.detail), sizeof g.detail -
		    strlen(g.detail), l->o->format == FMT_TEXT ?
		    _("; covered by exception %lld") :
		    "; covered by exception %lld", f->exception);
		f = &g;
		l->covered++;
	}
	if (l->keeping) {
		l->keep = xreallocarray(l->keep, l->nkeep + 1,
		    sizeof *l->keep);
		l->keep[l->nkeep++] = *f;
		return;
	}
	switch (l->o->format) {
	case FMT_TSV:
		row[0] = r->name;
		row[1] = r->severity;
		row[2] = f->subject;
		row[3] = f->detail;
		row[4] = f->remedy;
		cli_row(row, 5);
		break;
	case FMT_JSON:
		print_json(l, f);
		break;
	default:
		if (l->rule != f->rule)
			cli_line("%s  (%s; %s)", r->name, _(r->severity),
			    r->clause);
		l->rule = f->rule;
		cli_line("  %-*s %s  [%s]", cli_pad(f->subject, 28),
		    f->subject, f->detail, f->remedy);
		break;
	}
	l->shown++;
}

/* The findings of o's rules into l (printed, or kept); CLI_* status. */
static int
run_findings(struct store *s, struct flist *l, const char *cmd)
{
	struct core_config	 cfg;
	char			*cause = NULL;
	size_t			 n;
	int			 r;

	if (core_config_load(cli_config(), 0, &cfg, &cause) != 0) {
		cli_error("%s: %s", cmd, cause);
		free(cause);
		return CLI_ERROR;
	}
	l->rule = -1;
	r = core_findings(s, &cfg, l->o->mask != 0 ? l->o->mask : ~0U,
	    print_finding, l, &n, &cause);
	core_config_free(&cfg);
	if (r != 0) {
		fflush(stdout);
		cli_error("%s: %s", cmd, cause);
		free(cause);
		return CLI_ERROR;
	}
	return CLI_OK;
}

static int
findings_list(struct fopts *o)
{
	struct flist		 l;
	struct store		*s;
	char			*cause = NULL;
	int			 r;
	static const char *const head[] = { "rule", "severity", "subject",
	    "detail", "remedy" };

	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("findings: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	memset(&l, 0, sizeof l);
	l.o = o;
	if (o->format == FMT_TSV)
		cli_row(head, 5);
	r = run_findings(s, &l, "findings");
	store_close(s);
	if (o->format == FMT_JSON)
		fputs(l.shown == 0 ? "[]\n" : "\n]\n", stdout);
	else if (o->format == FMT_TEXT && l.covered == 0)
		cli_line(ngettext("%zu finding", "%zu findings",
		    PLURAL(l.shown)), l.shown);
	else if (o->format == FMT_TEXT)
		cli_line(ngettext("%zu finding, %zu of them covered by an "
		    "exception", "%zu findings, %zu of them covered by an "
		    "exception", PLURAL(l.shown)), l.shown, l.covered);
	if (r != CLI_OK)
		return r;
	/* Exit 1 for open findings: covered ones are not. */
	return l.shown == l.covered ? CLI_OK : CLI_BAD;
}

/*
 * What the remedy does to each finding kept in l: fixes (caller frees),
 * the findings it does not fit said and skipped.  The action is the same
 * for all of them.  0, or -1 after saying why.
 */
static int
plan(struct store *s, struct flist *l, int remedy,
    const struct store_args *base, struct core_fix **out, size_t *nout)
{
	const struct core_action *a;
	struct core_fix		*fx;
	char			*cause = NULL;
	size_t			 i, n = 0;

	fx = xcalloc(l->nkeep == 0 ? 1 : l->nkeep, sizeof *fx);
	for (i = 0; i < l->nkeep; i++) {
		fx[n].f = &l->keep[i];
		fx[n].args = *base;
		if (core_findings_fix(s, &l->keep[i], remedy, &fx[n].args,
		    &fx[n].action, &cause) != 0) {
			cli_line(_("  skipped %s"), cause);
			free(cause);
			cause = NULL;
			continue;
		}
		if ((a = core_action_find(fx[n].action)) == NULL ||
		    core_args_check(a, &fx[n].args, &cause) != 0) {
			cli_error("findings: %s", cause != NULL ? cause :
			    _("no action"));
			free(cause);
			free(fx);
			return -1;
		}
		cli_line("  %s %s: %s", fx[n].action, l->keep[i].subject,
		    l->keep[i].detail);
		n++;
	}
	*out = fx;
	*nout = n;
	return 0;
}

/* Run every fix in one transaction; all done, or none. */
static int
apply(struct store *s, const struct core_actor *actor, struct core_fix *fx,
    size_t n)
{
	char	*cause = NULL;
	size_t	 i, failed;

	if (core_findings_apply(s, actor->operator, actor->approver, fx, n,
	    &failed, &cause) != 0) {
		cli_error("findings: %s", cause);
		if (failed != SIZE_MAX)
			cli_error(_("findings: rolled back: nothing was done"));
		free(cause);
		return -1;
	}
	for (i = 0; i < n; i++)
		cli_line(_("%s %s: done"), fx[i].action, fx[i].f->subject);
	return 0;
}

/* The remedy, its NAME=VALUE arguments; checked before any password. */
static int
remedy_args(int rule, const char *word, int argc, char **argv, int *remedy,
    struct store_args *base)
{
	const struct core_rule	*r = &core_findings_rules[rule];
	char			*eq;
	int			 i;

	if ((*remedy = core_findings_remedy_parse(word)) == 0) {
		cli_error(_("findings: %s is no remedy daicho applies (lock, "
		    "revoke, remove, adopt, force-change)%s"), word, r->remedies == 0 ?
		    _("; a person must look into these findings") : "");
		return -1;
	}
	if (!(r->remedies & *remedy)) {
		cli_error(_("findings: %s does not fit %s, which takes "
		    "%s%s%s%s%s"), word, r->name, r->remedies &
		    CORE_REMEDY_LOCK ? "lock " : "", r->remedies &
		    CORE_REMEDY_REVOKE ? "revoke " : "", r->remedies &
		    CORE_REMEDY_ADOPT ? "adopt " : "", r->remedies &
		    CORE_REMEDY_REMOVE ? "remove " : "", r->remedies &
		    CORE_REMEDY_FORCE ? "force-change" : "");
		return -1;
	}
	for (i = 0; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL || eq == argv[i]) {
			cli_error(_("findings: \"%s\" is not name=value"),
			    argv[i]);
			return -1;
		}
		*eq = '\0';
		if (store_args_add(base, argv[i], eq + 1) != 0) {
			cli_error(_("findings: too many arguments"));
			return -1;
		}
	}
	return 0;
}

/* The preview confirmed: the count typed back, or --yes. */
static int
confirmed(const struct fopts *o, size_t n)
{
	char	 want[32], typed[32];

	fflush(stdout);
	if (o->yes)
		return 1;
	snprintf(want, sizeof want, "%zu", n);
	if (cli_read_line(o->who.askpass, _("type the count to confirm: "),
	    typed, sizeof typed) != 0 || strcmp(typed, want) != 0) {
		cli_error(_("findings: not confirmed; nothing was done"));
		return 0;
	}
	return 1;
}

/* Every --subject names a finding of the rule; -1 after saying which. */
static int
subjects_found(const struct fopts *o, const struct flist *l, const char *rule)
{
	size_t	 i, j;

	for (i = 0; i < o->nsubject; i++) {
		for (j = 0; j < l->nkeep; j++) {
			if (strcmp(o->subject[i], l->keep[j].subject) == 0)
				break;
		}
		if (j == l->nkeep) {
			cli_error(_("findings: no finding %s of %s; nothing was "
			    "done"), o->subject[i], rule);
			return -1;
		}
	}
	return 0;
}

static int
findings_remedy(struct fopts *o, int argc, char **argv)
{
	struct store_args	 base = { 0 };
	struct core_actor	 actor = { NULL, NULL };
	struct flist		 l;
	struct store		*s;
	struct core_fix		*fx = NULL;
	char			*cause = NULL;
	size_t			 n = 0;
	int			 rule, remedy, ret = CLI_ERROR;

	memset(&l, 0, sizeof l);
	if (argc < 2 || o->who.user == NULL)
		return cli_usage("findings");
	if ((rule = parse_rule(argv[0])) == -1 ||
	    remedy_args(rule, argv[1], argc - 2, argv + 2, &remedy,
	    &base) != 0)
		return CLI_ERROR;
	o->mask = 1U << rule;
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("findings: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (cli_auth_user(s, o->who.user, o->who.askpass, CORE_ROLE_ADMIN,
	    "") != 0)
		goto out;
	l.o = o;
	l.keeping = 1;
	if (run_findings(s, &l, "findings") != CLI_OK ||
	    subjects_found(o, &l, argv[0]) != 0)
		goto out;
	cli_line(_("%s %s: %zu finding%s"), argv[0], argv[1], l.nkeep,
	    l.nkeep == 1 ? "" : "s");
	if (plan(s, &l, remedy, &base, &fx, &n) != 0)
		goto out;
	if (n == 0) {
		cli_line(_("nothing to do"));
		ret = CLI_OK;
		goto out;
	}
	actor.operator = o->who.user;
	if (cli_auth_second(s, fx[0].action, &o->who, 0,
	    &actor.approver) != 0 || !confirmed(o, n) ||
	    apply(s, &actor, fx, n) != 0)
		goto out;
	ret = cli_outbox(s, 0) == 0 ? CLI_OK : CLI_BAD;
out:
	free(fx);
	free(l.keep);
	store_close(s);
	return ret;
}

static int
findings_opts(int argc, char **argv, struct fopts *o)
{
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ "format", required_argument, NULL, 'F' },
		{ "rule", required_argument, NULL, 'r' },
		{ "subject", required_argument, NULL, 's' },
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch, r;

	memset(o, 0, sizeof *o);
	o->who.askpass = -1;
	while ((ch = getopt_long(argc, argv, "d:u:a:f:F:r:s:y", opts,
	    NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &o->who)) == -1)
			return -1;
		if (r == 1)
			continue;
		if (ch == 'F' && strcmp(optarg, "text") == 0)
			o->format = FMT_TEXT;
		else if (ch == 'F' && strcmp(optarg, "tsv") == 0)
			o->format = FMT_TSV;
		else if (ch == 'F' && strcmp(optarg, "json") == 0)
			o->format = FMT_JSON;
		else if (ch == 'r') {
			if ((r = parse_rule(optarg)) == -1)
				return -1;
			o->mask |= 1U << r;
		} else if (ch == 's' && o->nsubject < FINDINGS_SUBJECTS_MAX)
			o->subject[o->nsubject++] = optarg;
		else if (ch == 'y')
			o->yes = 1;
		else {
			cli_usage("findings");
			return -1;
		}
	}
	return 0;
}

int
cmd_findings(int argc, char **argv)
{
	struct fopts	 o;

	if (findings_opts(argc, argv, &o) != 0)
		return CLI_ERROR;
	argc -= optind;
	argv += optind;
	if (argc > 0 && strcmp(argv[0], "remedy") == 0) {
		if (o.mask != 0) {
			cli_error(_("findings: remedy names its rule: no --rule"));
			return CLI_ERROR;
		}
		return findings_remedy(&o, argc - 1, argv + 1);
	}
	if (argc != 0 || o.who.user != NULL || o.yes)
		return cli_usage("findings");
	return findings_list(&o);
}
