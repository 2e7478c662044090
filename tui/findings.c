/*
 * findings.c -- reconciliation's result as a list to act on.
 *
 * F8 on the Systems screen lists what the system and the ledger disagree
 * on, each finding with its remedy.  Up/Down choose one; l locks the
 * account, a adopts it (a small form for what the ledger must know: its
 * kind and owner), r removes it from the system.  Each first shows what it
 * will do (core_remedy_prepare's preview) and runs only on yes; then the
 * system is reconciled again, so the list shows what is left.  core
 * decides which remedies fit and what they do; this only shows them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

/*
 * One remedy on its way: its arguments must outlive the form and the
 * confirm dialog above the list, and only one is ever in flight (the
 * dialogs are modal), so the list keeps it and frees it with itself.
 */
struct remedy {
	char			 system[40];
	char			 login[40];
	char			 vals[6][128];
	struct store_args	 a;
	const char		*action;
};

struct findings {
	struct tui		*t;
	struct remedy		 rem;
	char			 system[40];
	struct core_drift	*v;
	size_t			 n;
	size_t			 cur, top;
	int			 page;		/* findings shown at the last draw */
	char			*error;		/* the system cannot be listed */
};

static void
finding_add(void *arg, const struct core_drift *d)
{
	struct findings	*f = arg;

	f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
	f->v[f->n++] = *d;
}

static void
findings_load(struct findings *f)
{
	size_t	 count, covered;
	char	*cause = NULL;

	free(f->v);
	free(f->error);
	f->v = NULL;
	f->n = 0;
	f->error = NULL;
	if (core_reconcile(f->t->store, f->system, finding_add, f, &count,
	    &covered, &cause) != 0)
		f->error = cause;
	if (f->cur >= f->n)
		f->cur = f->n > 0 ? f->n - 1 : 0;
	if (f->top > f->cur)
		f->top = f->cur;
}

/* The keys that fit the chosen finding, for the bottom line. */
static void
findings_hint(const struct findings *f, char *buf, size_t len)
{
	int	 r = f->n > 0 ? core_drift_remedies(&f->v[f->cur]) : 0;

	snprintf(buf, len, "%s%s%s%s", (r & CORE_REMEDY_LOCK) ? _("l Lock  ") :
	    "", (r & CORE_REMEDY_ADOPT) ? _("a Adopt  ") : "",
	    (r & CORE_REMEDY_REMOVE) ? _("r Remove  ") : "",
	    _("Up/Down PgUp/PgDn: choose  Esc: close"));
}

static void
findings_draw(struct tui *t, struct tui_dialog *d)
{
	struct findings	*f = d->data;
	char		 title[96], line[512], hint[160], where[64];
	size_t		 i;
	int		 y, x, h, w, rows;

	(void)t;
	w = COLS - 4 < 100 ? COLS - 4 : 100;
	h = LINES - 4;
	snprintf(title, sizeof title, _("Reconcile %s"), f->system);
	tui_frame(h, w, title, &y, &x);
	if (f->error != NULL || f->n == 0) {
		snprintf(line, sizeof line, f->error != NULL ? _("%s cannot be "
		    "listed: %s") : _("%s agrees with the ledger: every account "
		    "is registered and in the state the ledger says."),
		    f->system, f->error);
		tui_text_put(stdscr, y + 1, x + 2, line, w - 4, 0);
		return;
	}
	snprintf(line, sizeof line, ngettext("%zu difference between %s and "
	    "the ledger:", "%zu differences between %s and the ledger:", f->n),
	    f->n, f->system);
	rows = (h - 5) / 2;		/* two lines a finding */
	f->page = rows > 0 ? rows : 1;
	if (f->cur >= f->top + (size_t)f->page)
		f->top = f->cur - (size_t)f->page + 1;
	if (f->top > f->cur)
		f->top = f->cur;
	/* Which findings show, when they do not all fit. */
	if (f->n > (size_t)f->page) {
		snprintf(where, sizeof where, _("findings %zu-%zu of %zu"),
		    f->top + 1, f->top + (size_t)f->page < f->n ?
		    f->top + (size_t)f->page : f->n, f->n);
		tui_text_put(stdscr, y + 2, x + 2, where, w - 4, 0);
	}
	tui_text_put(stdscr, y + 1, x + 2, line, w - 4, 0);
	for (i = 0; i < (size_t)f->page && f->top + i < f->n; i++) {
		const struct core_drift *dr = &f->v[f->top + i];

		attrset(f->top + i == f->cur ? tui_style(TUI_CURSOR) :
		    tui_style(TUI_FRAME));
		if (dr->exception != 0)
			snprintf(line, sizeof line, _("%s: %s (covered by "
			    "exception %lld)"), dr->login, _(dr->what),
			    dr->exception);
		else
			snprintf(line, sizeof line, "%s: %s", dr->login,
			    _(dr->what));
		tui_text_put(stdscr, y + 3 + 2 * (int)i, x + 2, line, w - 4, 0);
		attrset(tui_style(TUI_FRAME));
		snprintf(line, sizeof line, _("    remedy: %s"), _(dr->remedy));
		tui_text_put(stdscr, y + 4 + 2 * (int)i, x + 2, line, w - 4, 0);
	}
	attrset(tui_style(TUI_DIM));
	findings_hint(f, hint, sizeof hint);
	tui_text_put(stdscr, y + h - 2, x + 2, hint, w - 4, 0);
	attrset(tui_style(TUI_NORMAL));
}

static int
remedy_run(struct tui *t, void *arg)
{
	struct findings	*f = arg;
	struct remedy	*r = &f->rem;

	if (tui_run_action(t, r->action, &r->a, NULL) == 0)
		tui_status(t, 0, _("%s %s on %s: done."), r->action, r->login,
		    r->system);
	findings_load(f);
	return 1;
}

/* Prepare remedy for the chosen finding, then ask with its preview. */
static void
remedy_ask(struct tui *t, struct findings *f, int remedy)
{
	struct remedy	*r = &f->rem;
	char		*preview = NULL, *cause = NULL, title[96];

	if (core_remedy_prepare(t->store, r->system, r->login, remedy, &r->a,
	    &r->action, &preview, &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return;
	}
	snprintf(title, sizeof title, _("%s: %s"), r->action, r->login);
	tui_confirm(t, title, preview, remedy_run, f);
	free(preview);
}

/* A new remedy for the chosen finding, in place of any earlier one. */
static void
remedy_new(struct findings *f)
{
	struct remedy	*r = &f->rem;

	memset(r, 0, sizeof *r);
	snprintf(r->system, sizeof r->system, "%s", f->system);
	snprintf(r->login, sizeof r->login, "%s", f->v[f->cur].login);
}

enum { A_KIND, A_OWNER, A_USERS, A_SPONSOR, A_END, A_N };

static int
adopt_done(struct tui *t, struct tui_field *fl, void *arg)
{
	static const char *const names[A_N] = {
		"kind", "owner", "users", "sponsor", "end_date",
	};
	struct findings	*f = arg;
	struct remedy	*r = &f->rem;
	int		 i;

	for (i = 0; i < A_N; i++) {
		if (fl[i].value[0] == '\0')
			continue;
		snprintf(r->vals[i], sizeof r->vals[i], "%s", fl[i].value);
		store_args_add(&r->a, names[i], r->vals[i]);
	}
	remedy_ask(t, f, CORE_REMEDY_ADOPT);
	return 1;
}

static void
adopt_form(struct tui *t, struct findings *f)
{
	struct remedy		*r = &f->rem;
	struct tui_field	 fl[A_N];
	char			 title[96];

	memset(fl, 0, sizeof fl);
	fl[A_KIND].label = N_("Kind");
	fl[A_KIND].choices = "personal|shared|privileged|contractor|service";
	snprintf(fl[A_KIND].value, sizeof fl[A_KIND].value, "personal");
	fl[A_OWNER].label = N_("Owner (employee no.)");
	fl[A_USERS].label = N_("Users (shared: E1,E2)");
	fl[A_SPONSOR].label = N_("Sponsor (contractor)");
	fl[A_END].label = N_("End date (YYYY-MM-DD)");
	snprintf(title, sizeof title, _("Adopt %s: what the ledger must know"),
	    r->login);
	tui_form(t, title, fl, A_N, adopt_done, f);
}

static int
findings_key(struct tui *t, struct tui_dialog *d, const struct tui_key *k)
{
	struct findings	*f = d->data;
	int		 fits, want = 0;

	if (!k->fn && (k->ch == TUI_ESC || k->ch == '\r' || k->ch == '\n'))
		return TUI_CLOSE | TUI_HANDLED;
	if (k->fn && k->ch == KEY_UP && f->cur > 0)
		f->cur--;
	else if (k->fn && k->ch == KEY_DOWN && f->cur + 1 < f->n)
		f->cur++;
	else if (k->fn && k->ch == KEY_PPAGE)
		f->cur = f->cur > (size_t)f->page ? f->cur - (size_t)f->page : 0;
	else if (k->fn && k->ch == KEY_NPAGE && f->n > 0)
		f->cur = f->cur + (size_t)f->page < f->n ?
		    f->cur + (size_t)f->page : f->n - 1;
	else if (!k->fn && f->n > 0)
		want = k->ch == 'l' ? CORE_REMEDY_LOCK : k->ch == 'a' ?
		    CORE_REMEDY_ADOPT : k->ch == 'r' ? CORE_REMEDY_REMOVE : 0;
	if (want == 0)
		return TUI_HANDLED | TUI_REDRAW;
	fits = core_drift_remedies(&f->v[f->cur]);
	if (!(fits & want)) {
		tui_status(t, 1, _("That remedy does not fit this finding: %s"),
		    _(f->v[f->cur].remedy));
		return TUI_HANDLED;
	}
	if (!(t->role & CORE_ROLE_ADMIN)) {
		tui_status(t, 1, _("Your role may not do this: an admin acts on "
		    "findings."));
		return TUI_HANDLED;
	}
	remedy_new(f);
	if (want == CORE_REMEDY_ADOPT)
		adopt_form(t, f);
	else
		remedy_ask(t, f, want);
	return TUI_HANDLED | TUI_REDRAW;
}

static void
findings_free(struct tui_dialog *d)
{
	struct findings	*f = d->data;

	free(f->v);
	free(f->error);
	free(f);
}

void
tui_findings(struct tui *t, const char *system)
{
	struct tui_dialog	*d = xcalloc(1, sizeof *d);
	struct findings		*f = xcalloc(1, sizeof *f);

	f->t = t;
	snprintf(f->system, sizeof f->system, "%s", system);
	findings_load(f);
	d->data = f;
	d->draw = findings_draw;
	d->key = findings_key;
	d->free = findings_free;
	tui_dialog_push(t, d);
}
