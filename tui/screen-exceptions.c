/*
 * screen-exceptions.c -- exceptions to policy (例外措置): every
 * exception, those awaiting a decision first, filtered as you type or by
 * status (F8); Enter shows one whole; F4 decides on the chosen one
 * (approve, reject, take the report of an emergency, end it); F5 asks
 * for one, or applies one at once in an emergency.  core/action-
 * exception.c holds the rules.
 *
 * A decision is the approver's own act, as on the Privileged screen:
 * when the operator at the console is an admin, the approver
 * authenticates on this terminal and the entry is in the approver's
 * name; an approver at the console decides in their own.  Nobody
 * approves their own request or takes the report of their own
 * emergency (core refuses it, naming them).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "tui-int.h"

/* One exception as the list shows it. */
struct excrow {
	uint64_t idx;
	char	 kind[12];
	char	 rule[40];
	char	 state[12];
	char	 scope[160];
	char	 requester[64];
	char	 approver[64];
	int64_t	 start_at, end_at;
	int64_t	 report_due;			/* emergency: 0 otherwise */
	int	 reported;
};

struct excscreen {
	struct tui_listscreen	 ls;		/* first: listscreen.c's */
	struct excrow		*v;
	size_t			 n, cap;
	int			 status;	/* index in exc_statuses */
	char			 chosen[24];	/* the number acted on */
	char			 action[32];	/* what the form decides */
};

/* F8 cycles through these; "" is every status. */
static const char *const exc_statuses[] = {
	"", "requested", "emergency", "approved", "reported", "rejected",
	"ended", "expired"
};
#define EXC_NSTATUSES	(int)(sizeof exc_statuses / sizeof exc_statuses[0])

/* Awaiting someone first: a request, then an emergency not reported. */
static int
exc_rank(const struct excrow *r)
{
	if (strcmp(r->state, "requested") == 0)
		return 0;
	if (strcmp(r->kind, "emergency") == 0 && !r->reported)
		return 1;
	if (strcmp(r->state, "approved") == 0 ||
	    strcmp(r->state, "reported") == 0)
		return 2;
	return 3;
}

static int
exc_cmp(const void *a, const void *b)
{
	const struct excrow	*x = a, *y = b;

	if (exc_rank(x) != exc_rank(y))
		return exc_rank(x) - exc_rank(y);
	return x->idx < y->idx ? 1 : x->idx > y->idx ? -1 : 0;
}

static void
exc_add(void *arg, const struct core_exception *x)
{
	struct excscreen	*s = arg;
	struct excrow		*r;
	size_t			 len;

	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	r = &s->v[s->n++];
	memset(r, 0, sizeof *r);
	r->idx = x->idx;
	snprintf(r->kind, sizeof r->kind, "%s", x->kind);
	snprintf(r->rule, sizeof r->rule, "%s", x->rule);
	snprintf(r->state, sizeof r->state, "%s", x->state);
	/* The list's cell only: cut at a character, not inside one. */
	len = strlen(x->scope);
	if (len >= sizeof r->scope)
		for (len = sizeof r->scope - 1; len > 0 &&
		    ((unsigned char)x->scope[len] & 0xc0) == 0x80; len--)
			;
	memcpy(r->scope, x->scope, len);
	snprintf(r->requester, sizeof r->requester, "%s", x->requester);
	snprintf(r->approver, sizeof r->approver, "%s", x->approver);
	r->start_at = x->start_at;
	r->end_at = x->end_at;
	r->report_due = x->report_due;
	r->reported = x->reported_at != 0;
}

static const struct tui_list_col exc_cols[] = {
	{ N_("No."), 6, 1, 4, 9, 0 },
	{ N_("Status"), 10, 0, 8, 8, 0 },
	{ N_("Rule"), 24, 0, 12, 7, 1 },
	{ N_("Scope"), 26, 0, 10, 6, 2 },
	{ N_("Until"), 16, 0, 10, 5, 0 },
	{ N_("Requester"), 12, 0, 8, 4, 0 },
	{ N_("Approver"), 12, 0, 8, 3, 0 },
};
#define EXC_NCOLS	(int)(sizeof exc_cols / sizeof exc_cols[0])

static size_t
exc_count(void *arg)
{
	return ((struct excscreen *)arg)->n;
}

static void
exc_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct excrow	*r = &((struct excscreen *)arg)->v[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%llu", (unsigned long long)r->idx);
		break;
	case 1:
		/* an emergency not reported says so: someone must act */
		snprintf(buf, len, "%s%s", _(r->state), strcmp(r->kind,
		    "emergency") == 0 && !r->reported ? "!" : "");
		break;
	case 2:
		snprintf(buf, len, "%s", r->rule);
		break;
	case 3:
		snprintf(buf, len, "%s", r->scope);
		break;
	case 4:
		when_local((time_t)r->end_at, 0, buf, len);
		break;
	case 5:
		snprintf(buf, len, "%s", r->requester);
		break;
	default:
		snprintf(buf, len, "%s", r->approver);
		break;
	}
}

static void
exc_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct excrow	*r = &((struct excscreen *)arg)->v[row];

	snprintf(buf, len, "%llu %s %s %s %s %s %s",
	    (unsigned long long)r->idx, r->state, r->kind, r->rule,
	    r->requester, r->approver, r->scope);
}

static const struct tui_list_source exc_source = {
	.count = exc_count,
	.cell = exc_cell,
	.search = exc_search,
};

static int
exc_load(struct tui_listscreen *ls, char **cause)
{
	struct excscreen	*s = (struct excscreen *)ls;
	const char		*st = exc_statuses[s->status];
	size_t			 n;

	if (core_exception_list(ls->t->store, *st != '\0' ? st : NULL,
	    exc_add, s, &n, cause) != 0)
		return -1;
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, exc_cmp);
	return 0;
}

static void
exc_unload(struct tui_listscreen *ls)
{
	struct excscreen	*s = (struct excscreen *)ls;

	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* The status shown, and what waits for someone. */
static void
exc_header(struct tui_listscreen *ls, int y, int w)
{
	struct excscreen	*s = (struct excscreen *)ls;
	char			 line[256];
	size_t			 i, waiting = 0, unreported = 0;

	for (i = 0; i < s->n; i++) {
		waiting += strcmp(s->v[i].state, "requested") == 0;
		unreported += strcmp(s->v[i].kind, "emergency") == 0 &&
		    !s->v[i].reported;
	}
	snprintf(line, sizeof line, _("%s (F8)  awaiting a decision: %zu  "
	    "emergencies not reported: %zu"),
	    *exc_statuses[s->status] != '\0' ? _(exc_statuses[s->status]) :
	    _("every status"), waiting, unreported);
	tui_text_put(stdscr, y, 0, line, w, 0);
}

static const struct tui_listscreen_ops exc_ops = {
	.size = sizeof(struct excscreen),
	.cols = exc_cols,
	.ncols = EXC_NCOLS,
	.source = &exc_source,
	.load = exc_load,
	.unload = exc_unload,
	.header = 1,
	.draw_header = exc_header,
	.flags = TUI_LS_UNMARK,
};

static void *
exc_open(struct tui *t)
{
	return tui_listscreen_open(t, &exc_ops);
}

/* The exception under the cursor, its number in s->chosen; NULL after
 * saying why. */
static const struct excrow *
exc_pick(struct excscreen *s)
{
	size_t	 row = tui_listscreen_pick(&s->ls, _("exception"));

	if (row == SIZE_MAX)
		return NULL;
	snprintf(s->chosen, sizeof s->chosen, "%llu",
	    (unsigned long long)s->v[row].idx);
	return &s->v[row];
}

/* F8: the next status. */
static int
exc_filter(struct tui *t, void *arg)
{
	struct excscreen	*s = arg;

	(void)t;
	s->status = (s->status + 1) % EXC_NSTATUSES;
	tui_listscreen_load(&s->ls);
	return TUI_REDRAW;
}

/* Enter: the whole exception. */
static int
exc_detail(struct tui *t, void *arg)
{
	struct excscreen	*s = arg;
	struct core_exception	*x;
	struct tui_line		*v = NULL;
	char			*cause = NULL, a[WHEN_MAX], b[WHEN_MAX];
	const struct excrow	*row;
	size_t			 n = 0;
	int			 r;

	if ((row = exc_pick(s)) == NULL)
		return TUI_HANDLED;
	x = xmalloc(sizeof *x);
	if ((r = core_exception_get(t->store, (long long)row->idx, x,
	    &cause)) != 0) {
		tui_status(t, 1, "%s", r == 1 ? _("It is gone.") : cause);
		free(cause);
		free(x);
		return TUI_HANDLED;
	}
	tui_lines_add(&v, &n, TUI_LINE_HEAD, _("Exception %s: %s, %s"),
	    s->chosen, _(x->kind), _(x->state));
	tui_lines_add(&v, &n, TUI_LINE_PLAIN, _("Rule: %s (%s)"), x->rule,
	    core_exception_clause(x->rule));
	tui_lines_add(&v, &n, TUI_LINE_PLAIN, _("Scope: %s"), x->scope);
	when_local((time_t)x->start_at, 0, a, sizeof a);
	when_local((time_t)x->end_at, 0, b, sizeof b);
	tui_lines_add(&v, &n, TUI_LINE_PLAIN, _("Period: %s to %s"), a, b);
	when_local((time_t)x->requested_at, 0, a, sizeof a);
	tui_lines_add(&v, &n, TUI_LINE_PLAIN, _("Asked by %s on %s"),
	    x->requester, a);
	tui_lines_add(&v, &n, TUI_LINE_PLAIN, _("Reason: %s"), x->reason);
	if (x->measure[0] != '\0')
		tui_lines_add(&v, &n, TUI_LINE_PLAIN, _("Measure: %s"),
		    x->measure);
	if (x->alternative[0] != '\0')
		tui_lines_add(&v, &n, TUI_LINE_PLAIN, _("Alternative control: "
		    "%s"), x->alternative);
	if (x->risk[0] != '\0')
		tui_lines_add(&v, &n, TUI_LINE_PLAIN, _("Risk: %s"), x->risk);
	if (x->approver[0] != '\0')
		tui_lines_add(&v, &n, TUI_LINE_PLAIN, _("Decided by %s: %s"),
		    x->approver, x->comment[0] != '\0' ? x->comment :
		    x->report);
	if (x->report_due != 0) {
		when_local((time_t)x->report_due, 0, a, sizeof a);
		tui_lines_add(&v, &n, x->reported_at == 0 &&
		    x->report_due <= (int64_t)time(NULL) ? TUI_LINE_ALERT :
		    TUI_LINE_PLAIN, x->reported_at != 0 ? _("Reported (due %s)")
		    : _("Report due %s: not reported yet"), a);
	}
	if (x->end_note[0] != '\0')
		tui_lines_add(&v, &n, TUI_LINE_PLAIN, _("Ended: %s"),
		    x->end_note);
	free(x);
	tui_lines(t, _("Exception"), NULL, v, n);
	return TUI_REDRAW;
}

/* --- decisions: approve, reject, take a report, end --- */

/* What the approver is asked to do: the number, the action, the text. */
struct excdecision {
	char	 number[24];
	char	 action[32];
	char	 arg[16];			/* "comment", "report" */
	char	 text[128];
};

/* Run the decision as approver (who authenticated, or is at the console). */
static int
exc_decide_as(struct tui *t, void *arg, const char *approver)
{
	struct excdecision	*d = arg;
	struct core_actor	 who = { approver, NULL };
	struct store_args	 a = { 0 };
	char			*cause = NULL;

	store_args_add(&a, "exception", d->number);
	store_args_add(&a, d->arg, d->text);
	if (core_run(t->store, d->action, &who, &a, &t->last_index,
	    &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return -1;
	}
	tui_status(t, 0, _("%s of exception %s: done, by %s."), d->action,
	    d->number, approver);
	return 0;
}

static int
exc_decide_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct excscreen	*s = arg;
	struct excdecision	*d = xcalloc(1, sizeof *d);
	char			*what;

	snprintf(d->number, sizeof d->number, "%s", s->chosen);
	snprintf(d->action, sizeof d->action, "%s", s->action);
	snprintf(d->arg, sizeof d->arg, "%s", strcmp(s->action,
	    "exception.report") == 0 ? "report" : "comment");
	snprintf(d->text, sizeof d->text, "%s", f[0].value);
	if (t->role == CORE_ROLE_APPROVER) {
		(void)exc_decide_as(t, d, t->op);
		free(d);
		return 1;
	}
	xasprintf(&what, _("%s of exception %s: %s"), d->action, d->number,
	    d->text);
	tui_approve_then(t, d->action, what, exc_decide_as, free, d);
	free(what);
	return 1;
}

/* The form of a decision on the chosen exception, in one of states. */
static int
exc_decide(struct tui *t, struct excscreen *s, const char *action,
    const char *label, const char *states)
{
	const struct excrow	*r;
	struct tui_field	 f[1];
	char			 title[128];

	if ((r = exc_pick(s)) == NULL)
		return TUI_HANDLED;
	if (strstr(states, r->state) == NULL) {
		tui_status(t, 1, _("Exception %s is %s."), s->chosen,
		    _(r->state));
		return TUI_HANDLED;
	}
	snprintf(s->action, sizeof s->action, "%s", action);
	memset(f, 0, sizeof f);
	f[0].label = label;
	f[0].check = tui_check_reason;
	snprintf(title, sizeof title, "%s %s", action, s->chosen);
	tui_form(t, title, f, 1, exc_decide_done, s);
	return TUI_REDRAW;
}

static int
exc_end_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct excscreen	*s = arg;
	struct store_args	 a = { 0 };

	store_args_add(&a, "exception", s->chosen);
	store_args_add(&a, "reason", f[0].value);
	if (tui_run_action(t, "exception.end", &a, NULL) == 0)
		tui_status(t, 0, _("Exception %s ended."), s->chosen);
	return 1;
}

static int
act_approve(struct tui *t, void *arg)
{
	tui_dialog_pop(t);
	return exc_decide(t, arg, "exception.approve", N_("Conditions"),
	    "requested") | TUI_REDRAW;
}

static int
act_reject(struct tui *t, void *arg)
{
	tui_dialog_pop(t);
	return exc_decide(t, arg, "exception.reject", N_("Why not"),
	    "requested") | TUI_REDRAW;
}

static int
act_report(struct tui *t, void *arg)
{
	tui_dialog_pop(t);
	return exc_decide(t, arg, "exception.report", N_("Report"),
	    "emergency ended expired") | TUI_REDRAW;
}

static int
act_end(struct tui *t, void *arg)
{
	struct excscreen	*s = arg;
	struct tui_field	 f[1];
	char			 title[128];

	tui_dialog_pop(t);
	if (exc_pick(s) == NULL)
		return TUI_HANDLED | TUI_REDRAW;
	memset(f, 0, sizeof f);
	f[0].label = N_("Reason");
	f[0].check = tui_check_reason;
	snprintf(title, sizeof title, _("End exception %s now"), s->chosen);
	tui_form(t, title, f, 1, exc_end_done, s);
	return TUI_REDRAW;
}

static int
menu_close(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	return TUI_CLOSE | TUI_REDRAW;
}

static const struct tui_binding act_keys[] = {
	{ 'a', 0, "a", N_("Approve the chosen request, with its "
	    "conditions"), "exception.approve", CORE_ROLE_ADMIN |
	    CORE_ROLE_APPROVER, act_approve },
	{ 'r', 0, "r", N_("Reject the chosen request, saying why"),
	    "exception.reject", CORE_ROLE_ADMIN | CORE_ROLE_APPROVER,
	    act_reject },
	{ 'p', 0, "p", N_("Take the report of the chosen emergency"),
	    "exception.report", CORE_ROLE_ADMIN | CORE_ROLE_APPROVER,
	    act_report },
	{ 'e', 0, "e", N_("End the chosen exception now"), "exception.end",
	    CORE_ROLE_ADMIN | CORE_ROLE_APPROVER, act_end },
	{ TUI_ESC, 0, "Esc", N_("Close"), NULL, 0, menu_close },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

/* --- asking: a request, or an emergency --- */

static int
check_rule(const char *v, char *err, size_t len)
{
	char	*cause = NULL;

	if (core_exception_rule_ok(v, &cause) != 0) {
		snprintf(err, len, "%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

enum { F_RULE, F_SCOPE, F_START, F_END, F_REASON, F_MEASURE, F_ALT,
    F_RISK, F_N };

static int
exc_new_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct excscreen	*s = arg;
	static const char *const names[F_N] = { "rule", "scope", "start",
	    "end", "reason", "measure", "alternative", "risk" };
	struct store_args	 a = { 0 };
	int			 i;

	for (i = 0; i < F_N; i++) {
		if (f[i].value[0] != '\0')
			store_args_add(&a, names[i], f[i].value);
	}
	if (tui_run_action(t, s->action, &a, NULL) != 0)
		return 1;
	if (strcmp(s->action, "exception.emergency") == 0)
		tui_status(t, 0, _("Exception %llu is in force: report it to an "
		    "approver (F4, p)."), (unsigned long long)t->last_index);
	else
		tui_status(t, 0, _("Exception %llu waits for an approver (F4, "
		    "a)."), (unsigned long long)t->last_index);
	return 1;
}

static void
exc_new_form(struct tui *t, struct excscreen *s, int emergency)
{
	struct tui_field	 f[F_N];

	memset(f, 0, sizeof f);
	f[F_RULE].label = N_("Rule");
	f[F_RULE].check = check_rule;
	f[F_SCOPE].label = N_("Scope (id:S:L,system:S,person:E)");
	f[F_SCOPE].required = 1;
	f[F_START].label = N_("Start (YYYY-MM-DD)");
	f[F_START].required = !emergency;
	if (!emergency)
		core_today(f[F_START].value);
	f[F_END].label = N_("End (YYYY-MM-DD)");
	f[F_END].required = 1;
	f[F_REASON].label = N_("Reason");
	f[F_REASON].check = tui_check_reason;
	f[F_MEASURE].label = N_("Measure");
	f[F_ALT].label = N_("Alternative control");
	f[F_RISK].label = N_("Risk");
	snprintf(s->action, sizeof s->action, "%s", emergency ?
	    "exception.emergency" : "exception.request");
	tui_form(t, emergency ? _("Apply an exception now (emergency)") :
	    _("Ask for an exception"), f, F_N, exc_new_done, s);
}

static int
new_request(struct tui *t, void *arg)
{
	tui_dialog_pop(t);
	exc_new_form(t, arg, 0);
	return TUI_REDRAW;
}

static int
new_emergency(struct tui *t, void *arg)
{
	tui_dialog_pop(t);
	exc_new_form(t, arg, 1);
	return TUI_REDRAW;
}

static const struct tui_binding new_keys[] = {
	{ 'r', 0, "r", N_("Ask for an exception (an approver decides)"),
	    "exception.request", CORE_ROLE_ADMIN, new_request },
	{ 'm', 0, "m", N_("Emergency: apply one now, report it within "
	    "exception_report_days"), "exception.emergency", CORE_ROLE_ADMIN,
	    new_emergency },
	{ TUI_ESC, 0, "Esc", N_("Close"), NULL, 0, menu_close },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

/* --- the two small menus (F4, F5) --- */

static void
menu_draw(struct tui *t, struct tui_dialog *dl)
{
	const struct tui_binding *b;
	char			 line[256];
	int			 y, x, row, n = 0;

	(void)t;
	for (b = dl->keys; b->run != NULL; b++)
		n++;
	tui_frame(n + 3, 70, _(dl->title), &y, &x);
	row = y + 1;
	for (b = dl->keys; b->run != NULL; b++) {
		snprintf(line, sizeof line, "%-4s %s", b->label, _(b->help));
		tui_text_put(stdscr, ++row - 1, x + 2, line, 66, 0);
	}
}

static int
menu_key(struct tui *t, struct tui_dialog *dl, const struct tui_key *k)
{
	/* Modal: a key the table does not have goes nowhere (but F1). */
	return tui_binding_run(t, dl->keys, k, dl->data);
}

static int
exc_menu(struct tui *t, void *arg, const char *title,
    const struct tui_binding *keys)
{
	struct tui_dialog	*dl = xcalloc(1, sizeof *dl);

	dl->title = title;
	dl->data = arg;
	dl->draw = menu_draw;
	dl->key = menu_key;
	dl->keys = keys;
	tui_dialog_push(t, dl);
	return TUI_REDRAW;
}

static int
exc_act(struct tui *t, void *arg)
{
	return exc_menu(t, arg, N_("Decide on the exception"), act_keys);
}

static int
exc_new(struct tui *t, void *arg)
{
	return exc_menu(t, arg, N_("A new exception"), new_keys);
}

static const struct tui_binding exc_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, exc_detail },
	{ TUI_ACT, N_("Decide: a approve, r reject, p take the report, e "
	    "end"), NULL, CORE_ROLE_ADMIN | CORE_ROLE_APPROVER, exc_act },
	{ TUI_NEW, N_("New: r request, m emergency"), NULL, CORE_ROLE_ADMIN,
	    exc_new },
	{ TUI_FILTER, N_("Show the next status"), NULL, 0, exc_filter },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_exceptions = {
	.name = "exceptions",
	.title = N_("Exceptions"),
	.keys = exc_keys,
	.open = exc_open,
	.close = tui_listscreen_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
