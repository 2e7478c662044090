/*
 * screen-findings.c -- every finding of every rule (core_findings: the
 * ledger against the HR records and the systems) as one list, the most
 * severe first and grouped by rule; a finding's detail with the clause it
 * enforces and the remedies that fit; and one remedy applied to many
 * marked findings at once.
 *
 * A remedy is previewed action by action (which action, on which ID),
 * confirmed (yes or no for a few, the count typed back for more, as the
 * emergency lockout asks), and run as one transaction through the same
 * core function the command line uses (core_findings_apply): all of it,
 * or none.  core decides which remedies fit and what they do
 * (core_findings_fix); a marked finding the remedy does not fit refuses
 * the whole remedy, naming the finding.  Each action keeps its role and,
 * where it needs one, the second person.  Per-system reconciliation
 * (F3 on Systems, findings.c) is unchanged.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

/* From this many actions on, the count is typed back; below, yes/no. */
#define FINDINGS_TYPE_COUNT	3

/* One remedy on its way, with its own copy of the findings it fixes
 * (the list may reload under the dialogs). */
struct batch {
	struct core_finding	*v;
	size_t			 n;
	struct core_fix		*fx;		/* one per finding */
	int			 remedy;	/* CORE_REMEDY_* */
	char			 word[128];	/* "lock", as chosen */
	char			 reason[128];	/* "" : core's own */
	const char		*approve;	/* an action that needs the
						   second person, or NULL */
};

struct fscreen {
	struct tui_listscreen	 ls;		/* first: the list screen */
	struct core_finding	*v;
	size_t			 n;
	size_t			 nsev[3];	/* high, medium, low: open */
	size_t			 covered;	/* by an exception */
	struct batch		*batch;		/* being asked; one at a time */
};

static const struct tui_list_col finding_cols[] = {
	{ .title = N_("Rule"), .width = 20, .min = 12, .prio = 5 },
	{ .title = N_("Severity"), .width = 8, .min = 6, .prio = 4 },
	{ .title = N_("Subject"), .width = 24, .min = 14, .prio = 5 },
	{ .title = N_("Detail"), .min = 10, .prio = 3, .share = 1 },
};
#define FINDING_NCOLS	(int)(sizeof finding_cols / sizeof finding_cols[0])

static int
severity_rank(const char *severity)
{
	if (strcmp(severity, "high") == 0)
		return 0;
	return strcmp(severity, "medium") == 0 ? 1 : 2;
}

static int
rank(const struct core_finding *f)
{
	return severity_rank(core_findings_rules[f->rule].severity);
}

static size_t
fs_count(void *arg)
{
	return ((struct fscreen *)arg)->n;
}

static void
fs_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct core_finding *f = &((struct fscreen *)arg)->v[row];
	const struct core_rule	*r = &core_findings_rules[f->rule];

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", r->name);
		break;
	case 1:
		snprintf(buf, len, "%s", _(r->severity));
		break;
	case 2:
		snprintf(buf, len, "%s", f->subject);
		break;
	default:
		snprintf(buf, len, "%s", f->detail);
		break;
	}
}

static void
fs_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct core_finding *f = &((struct fscreen *)arg)->v[row];
	const struct core_rule	*r = &core_findings_rules[f->rule];

	/* The list keeps the first 96 bytes: the subject and rule first. */
	snprintf(buf, len, "%s %s %s %s", f->subject, r->name, r->severity,
	    f->detail);
}

static int
fs_compare(void *arg, size_t a, size_t b, int col)
{
	const struct core_finding *x = &((struct fscreen *)arg)->v[a];
	const struct core_finding *y = &((struct fscreen *)arg)->v[b];

	switch (col) {
	case 0:
		return x->rule - y->rule;
	case 1:
		return rank(x) - rank(y);
	case 2:
		return strcmp(x->subject, y->subject);
	default:
		return strcmp(x->detail, y->detail);
	}
}

static const struct tui_list_source fs_source = {
	.count = fs_count,
	.cell = fs_cell,
	.search = fs_search,
	.compare = fs_compare,
};

/* The most severe first, then by rule in the table's order, then by
 * subject: the order the list shows before F6 sorts otherwise. */
static int
fs_order(const void *a, const void *b)
{
	const struct core_finding *x = a, *y = b;

	if (rank(x) != rank(y))
		return rank(x) - rank(y);
	if (x->rule != y->rule)
		return x->rule - y->rule;
	return strcmp(x->subject, y->subject);
}

static void
fs_add(void *arg, const struct core_finding *f)
{
	struct fscreen	*s = arg;

	struct core_finding	*g;

	s->v = xreallocarray(s->v, s->n + 1, sizeof *s->v);
	g = &s->v[s->n++];
	*g = *f;
	/* Covered: listed, saying by what, not counted as open. */
	if (g->exception != 0) {
		snprintf(g->detail + strlen(g->detail), sizeof g->detail -
		    strlen(g->detail), _("; covered by exception %lld"),
		    g->exception);
		s->covered++;
	} else
		s->nsev[rank(f)]++;
}

static int
fs_load(struct tui_listscreen *ls, char **cause)
{
	struct fscreen	*s = (struct fscreen *)ls;
	size_t		 count;
	int		 r;

	/* A system that cannot be listed: the others' findings still show. */
	r = core_findings(ls->t->store, ls->t->config, ~0U, fs_add, s, &count,
	    cause);
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, fs_order);
	return r;
}

static void
fs_unload(struct tui_listscreen *ls)
{
	struct fscreen	*s = (struct fscreen *)ls;

	free(s->v);
	s->v = NULL;
	s->n = 0;
	memset(s->nsev, 0, sizeof s->nsev);
	s->covered = 0;
}

static void
fs_draw_header(struct tui_listscreen *ls, int y, int w)
{
	struct fscreen	*s = (struct fscreen *)ls;
	char		 line[256], n[64];

	snprintf(n, sizeof n, ngettext("%zu finding", "%zu findings",
	    PLURAL(s->n)), s->n);
	if (s->covered == 0)
		snprintf(line, sizeof line, _("%s: %zu high, %zu medium, %zu "
		    "low.  ^T marks; F4: remedy."), n,
		    s->nsev[0], s->nsev[1], s->nsev[2]);
	else
		snprintf(line, sizeof line, _("%s: %zu high, %zu medium, %zu "
		    "low open, %zu covered by exceptions.  ^T marks; F4: "
		    "remedy."), n, s->nsev[0], s->nsev[1], s->nsev[2],
		    s->covered);
	attrset(tui_style(s->nsev[0] > 0 ? TUI_HEADER : TUI_DIM));
	tui_text_put(stdscr, y, 0, line, w, 0);
	attrset(tui_style(TUI_NORMAL));
}

static void
batch_free(void *arg)
{
	struct batch	*b = arg;

	if (b == NULL)
		return;
	free(b->v);
	free(b->fx);
	free(b);
}

static const struct tui_listscreen_ops fs_ops = {
	.size = sizeof(struct fscreen),
	.cols = finding_cols,
	.ncols = FINDING_NCOLS,
	.source = &fs_source,
	.load = fs_load,
	.unload = fs_unload,
	.header = 1,
	.draw_header = fs_draw_header,
	.flags = TUI_LS_UNMARK,
};

static void *
fs_open(struct tui *t)
{
	return tui_listscreen_open(t, &fs_ops);
}

/* Close frees any remedy still asked as well as the rows; a reload frees
 * only the rows (the remedy has its own copy of its findings). */
static void
fs_close(struct tui *t, void *arg)
{
	struct fscreen	*s = arg;

	if (s != NULL) {
		batch_free(s->batch);
		s->batch = NULL;
	}
	tui_listscreen_close(t, arg);
}

/* The remedies in mask, "lock, revoke", into buf; "" for none. */
static void
remedies_text(int mask, char *buf, size_t len)
{
	static const struct {
		int		 bit;
		const char	*word;
	} w[] = {
		{ CORE_REMEDY_LOCK, "lock" }, { CORE_REMEDY_REVOKE, "revoke" },
		{ CORE_REMEDY_ADOPT, "adopt" }, { CORE_REMEDY_REMOVE, "remove" },
		{ CORE_REMEDY_FORCE, "force-change" },
	};
	size_t	 i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof w / sizeof w[0] && off < len; i++) {
		if (mask & w[i].bit)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off > 0 ? ", " : "", w[i].word);
	}
}

static int
fs_detail(struct tui *t, void *arg)
{
	struct fscreen		*s = arg;
	const struct core_finding *f;
	const struct core_rule	*r;
	size_t			 row = tui_listscreen_pick(&s->ls,
				    _("finding"));
	char			*text, fits[64], title[128];

	if (row == SIZE_MAX)
		return TUI_HANDLED;
	f = &s->v[row];
	r = &core_findings_rules[f->rule];
	remedies_text(f->remedies, fits, sizeof fits);
	xasprintf(&text, _("Rule: %s (severity %s)\nClause: %s\nSubject: %s\n"
	    "Detail: %s\n\nThe rule: %s.\n\nRemedy: %s.\n%s%s%s"), r->name,
	    _(r->severity), r->clause, f->subject, f->detail, _(r->summary),
	    f->remedy, fits[0] != '\0' ? _("Remedies that fit (F4 on the "
	    "list, for this finding or the marked ones): ") : _("No remedy "
	    "daicho applies fits it: a person looks into it."), fits,
	    f->rule == core_findings_rule("unregistered") ? _("\nTo adopt "
	    "(register) the account, use F3 on the Systems screen.") : "");
	snprintf(title, sizeof title, _("Finding: %s"), f->subject);
	tui_message(t, title, text);
	free(text);
	return TUI_REDRAW;
}

/* The approver is known (or none is needed): run the batch. */
static int
batch_run(struct tui *t, void *arg, const char *approver)
{
	struct batch	*b = arg;
	char		*cause = NULL;
	size_t		 failed;

	if (core_findings_apply(t->store, t->op, approver, b->fx, b->n,
	    &failed, &cause) != 0) {
		/* First: the status line keeps three lines of a long cause. */
		tui_status(t, 1, _("Nothing was done: %s"), cause);
		free(cause);
		return -1;
	}
	tui_outbox(t);
	if (t->outbox_failed == 0)
		tui_status(t, 0, ngettext("%s: %zu finding remedied%s%s.",
		    "%s: %zu findings remedied%s%s.", PLURAL(b->n)), b->word,
		    b->n, approver != NULL ? _(", approved by ") : "",
		    approver != NULL ? approver : "");
	return 0;
}

/* Confirmed: the second person when an action needs one, then run. */
static void
batch_go(struct tui *t, struct fscreen *s)
{
	struct batch	*b = s->batch;
	char		*what;

	if (b->approve == NULL) {
		(void)batch_run(t, b, NULL);
		batch_free(b);
		s->batch = NULL;
		return;
	}
	xasprintf(&what, ngettext("%s %zu finding, in one transaction",
	    "%s %zu findings, in one transaction", PLURAL(b->n)), b->word,
	    b->n);
	s->batch = NULL;		/* the approval dialog owns it now */
	tui_approve_then(t, b->approve, what, batch_run, batch_free, b);
	free(what);
}

static int
confirm_yes(struct tui *t, void *arg)
{
	struct fscreen	*s = arg;

	if (s->batch != NULL)
		batch_go(t, s);
	return 0;
}

static int
count_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct fscreen	*s = arg;
	char		 want[24];

	if (s->batch == NULL)
		return 1;
	snprintf(want, sizeof want, "%zu", s->batch->n);
	if (strcmp(f[0].value, want) != 0) {
		tui_status(t, 1, _("The count typed does not match %s: nothing "
		    "was done."), want);
		return 1;
	}
	batch_go(t, s);
	return 1;
}

/* What the batch will do, one line an action, into *v. */
static void
batch_lines(struct batch *b, struct tui_line **v, size_t *n)
{
	size_t	 i;

	tui_lines_add(v, n, TUI_LINE_PLAIN, ngettext("%zu action, in one "
	    "transaction (all of it, or none):", "%zu actions, in one "
	    "transaction (all of them, or none):", PLURAL(b->n)), b->n);
	for (i = 0; i < b->n; i++)
		tui_lines_add(v, n, TUI_LINE_PLAIN, "  %s %s", b->fx[i].action,
		    b->v[i].subject);
	if (b->approve != NULL)
		tui_lines_add(v, n, TUI_LINE_ALERT, _("%s needs a second "
		    "person: an approver logs in after the confirmation."),
		    b->approve);
}

/* The preview, then yes/no (a few) or the count typed back (more). */
static void
batch_ask(struct tui *t, struct fscreen *s)
{
	struct batch		*b = s->batch;
	struct tui_line		*v = NULL;
	struct tui_field	 c[1];
	size_t			 n = 0, i;
	char			*text = xstrdup(""), *tmp, title[96];

	snprintf(title, sizeof title, ngettext("%s: %zu finding",
	    "%s: %zu findings", PLURAL(b->n)), b->word, b->n);
	batch_lines(b, &v, &n);
	if (b->n < FINDINGS_TYPE_COUNT) {
		for (i = 0; i < n; i++) {
			xasprintf(&tmp, "%s%s\n", text, v[i].text);
			free(text);
			text = tmp;
			free(v[i].text);
		}
		free(v);
		tui_confirm(t, title, text, confirm_yes, s);
		free(text);
		return;
	}
	free(text);
	memset(c, 0, sizeof c);
	c[0].label = N_("Type the count");
	tui_form(t, title, c, 1, count_done, s);
	tui_prompt(t, 1, _("%zu actions. Type %zu and Enter to carry them "
	    "out; Esc cancels."), b->n, b->n);
	/* On top of the count: every action it takes. */
	tui_lines(t, title, _("Up/Down PgUp/PgDn: scroll   Enter: close, "
	    "then type the count"), v, n);
}

/* Each finding's action; the first that does not fit refuses it all. */
static int
batch_plan(struct tui *t, struct batch *b)
{
	const struct core_action *a;
	char			*cause = NULL, fits[64];
	size_t			 i;

	for (i = 0; i < b->n; i++) {
		memset(&b->fx[i], 0, sizeof b->fx[i]);
		b->fx[i].f = &b->v[i];
		if (b->reason[0] != '\0')
			store_args_add(&b->fx[i].args, "reason", b->reason);
		if (b->v[i].exception != 0) {
			tui_status(t, 1, _("%s %s is covered by exception "
			    "%lld: no remedy acts on it; nothing was done."),
			    core_findings_rules[b->v[i].rule].name,
			    b->v[i].subject, b->v[i].exception);
			return -1;
		}
		if (!(b->v[i].remedies & b->remedy)) {
			remedies_text(b->v[i].remedies, fits, sizeof fits);
			tui_status(t, 1, _("%s does not fit %s %s (%s): "
			    "nothing was done."), b->word,
			    core_findings_rules[b->v[i].rule].name,
			    b->v[i].subject, fits[0] != '\0' ? fits :
			    _("a person looks into it"));
			return -1;
		}
		if (core_findings_fix(t->store, &b->v[i], b->remedy,
		    &b->fx[i].args, &b->fx[i].action, &cause) != 0 ||
		    (a = core_action_find(b->fx[i].action)) == NULL ||
		    core_args_check(a, &b->fx[i].args, &cause) != 0) {
			tui_status(t, 1, _("Nothing was done: %s"),
			    cause != NULL ? cause : b->fx[i].action);
			free(cause);
			return -1;
		}
		if (!(a->roles & t->role)) {
			tui_refused(t);
			return -1;
		}
		if (b->approve == NULL &&
		    core_needs_approver(t->store, a->name))
			b->approve = a->name;
	}
	return 0;
}

static int
remedy_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct fscreen	*s = arg;
	struct batch	*b = s->batch;

	snprintf(b->word, sizeof b->word, "%s", f[0].value);
	snprintf(b->reason, sizeof b->reason, "%s", f[1].value);
	b->remedy = core_findings_remedy_parse(b->word);
	if (batch_plan(t, b) != 0) {
		batch_free(b);
		s->batch = NULL;
		return 1;
	}
	batch_ask(t, s);
	return 1;
}

/* The marked findings, or the chosen one, copied into a new batch. */
static struct batch *
batch_new(struct fscreen *s)
{
	struct batch	*b;
	size_t		 row;

	if (tui_list_nmarked(s->ls.list) == 0) {
		if ((row = tui_listscreen_pick(&s->ls, _("finding"))) ==
		    SIZE_MAX)
			return NULL;
		b = xcalloc(1, sizeof *b);
		b->v = xcalloc(1, sizeof *b->v);
		b->v[b->n++] = s->v[row];
	} else {
		b = xcalloc(1, sizeof *b);
		b->v = xcalloc(tui_list_nmarked(s->ls.list), sizeof *b->v);
		for (row = tui_list_next_marked(s->ls.list, 0);
		    row != SIZE_MAX && row < s->n;
		    row = tui_list_next_marked(s->ls.list, row + 1))
			b->v[b->n++] = s->v[row];
		if (b->n == 0) {		/* marks past a reload's rows */
			batch_free(b);
			tui_status(s->ls.t, 1, _("No finding is chosen."));
			return NULL;
		}
	}
	b->fx = xcalloc(b->n, sizeof *b->fx);
	return b;
}

static int
fs_remedy(struct tui *t, void *arg)
{
	struct fscreen		*s = arg;
	struct tui_field	 f[2];
	struct batch		*b;
	char			 title[96];

	if ((b = batch_new(s)) == NULL)
		return TUI_HANDLED;
	batch_free(s->batch);
	s->batch = b;
	memset(f, 0, sizeof f);
	f[0].label = N_("Remedy");
	f[0].choices = "lock|revoke|remove|force-change";
	snprintf(f[0].value, sizeof f[0].value, "%s",
	    strcmp(b->v[0].remedy, "revoke") == 0 ||
	    strcmp(b->v[0].remedy, "remove") == 0 ||
	    strcmp(b->v[0].remedy, "force-change") == 0 ? b->v[0].remedy :
	    "lock");
	f[1].label = N_("Reason (optional)");
	snprintf(title, sizeof title, ngettext("Remedy for %zu finding",
	    "Remedy for %zu findings", PLURAL(b->n)), b->n);
	tui_form(t, title, f, 2, remedy_done, s);
	tui_prompt(t, 0, _("Choose the remedy (Left/Right), then Enter: a "
	    "preview lists every action first."));
	return TUI_REDRAW;
}

static const struct tui_binding findings_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, fs_detail },
	{ TUI_ACT, N_("Remedy"), NULL, CORE_ROLE_ADMIN, fs_remedy },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_findings = {
	.name = "findings",
	.title = N_("Findings"),
	.keys = findings_keys,
	.open = fs_open,
	.close = fs_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
