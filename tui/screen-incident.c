/*
 * screen-incident.c -- emergency lockout and its incidents.
 *
 * The lockout dialog opens from any screen with one key (tui_lockout):
 * choose the scope, see how many live IDs it takes, type that count back,
 * and one operator locks them all: one incident.lock entry, then every
 * system's batch with a progress bar, then a summary naming any failure.
 * The incidents screen lists them; restoring one returns each ID to its
 * prior state and needs a second person.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

enum { L_SCOPE, L_VALUE, L_REASON, L_SESSIONS, L_N };

/* What the operator chose, between the form and the typed count. */
struct lockout {
	char	 scope[300];			/* "department:市民課" */
	char	 reason[128];
	int	 end_sessions;
	int64_t	 count;
};

static void	lockout_form(struct tui *, const struct tui_field *,
		    const char *);

/* The first few target operations of entry idx not applied, one a line. */
struct failtext {
	char	*text;
	size_t	 shown;
};

static void
failure_line(void *arg, const char *system, const char *login,
    const char *error)
{
	struct failtext	*f = arg;
	char		*more;

	if (f->shown++ >= 12)
		return;
	xasprintf(&more, "%s\n  %s/%s: %s", f->text, system, login, error);
	free(f->text);
	f->text = more;
}

/* How many there are (0 after saying why they cannot be read); *lines. */
static size_t
incident_failures(struct tui *t, uint64_t idx, char **lines)
{
	struct failtext	 f = { xstrdup(""), 0 };
	char		*cause = NULL, *more;
	size_t		 n = 0;

	if (core_incident_failures(t->store, idx, failure_line, &f, &n,
	    &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		n = 0;
	} else if (n > 12) {
		xasprintf(&more, _("%s\n  ... and %zu more"), f.text, n - 12);
		free(f.text);
		f.text = more;
	}
	*lines = f.text;
	return n;
}

static int
count_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct lockout		*l = arg;
	struct store_args	 a = { 0 };
	char			 want[24], *text, *lines;
	size_t			 nfail;

	snprintf(want, sizeof want, "%lld", (long long)l->count);
	if (strcmp(f[0].value, want) != 0) {
		tui_status(t, 1, _("The count typed does not match %s: nothing "
		    "was done."), want);
		free(l);
		return 1;
	}
	store_args_add(&a, "scope", l->scope);
	store_args_add(&a, "reason", l->reason);
	if (l->end_sessions)
		store_args_add(&a, "end_sessions", "1");
	if (tui_run_action(t, "incident.lock", &a, NULL) != 0) {
		free(l);
		return 1;
	}
	if ((nfail = incident_failures(t, t->last_index, &lines)) == 0)
		xasprintf(&text, _("Incident %llu, scope %s: IDs locked: %lld, "
		    "on every system."), (unsigned long long)t->last_index,
		    l->scope, (long long)l->count);
	else
		xasprintf(&text, _("Incident %llu, scope %s: IDs locked in the "
		    "ledger: %lld.  Locks that did not reach their system: %zu "
		    "(retried by the outbox; the dashboard shows them).\n%s"),
		    (unsigned long long)t->last_index, l->scope,
		    (long long)l->count, nfail, lines);
	free(lines);
	tui_message(t, _("Lockout done"), text);
	free(text);
	free(l);
	return 1;
}

static int
scope_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct tui_field	 c[1];
	struct lockout		*l;
	char			*cause = NULL, title[256], *exempt = NULL;
	int64_t			 n = 0, nexempt;

	(void)arg;
	l = xcalloc(1, sizeof *l);
	if (f[L_VALUE].value[0] != '\0')
		snprintf(l->scope, sizeof l->scope, "%s:%s", f[L_SCOPE].value,
		    f[L_VALUE].value);
	else
		snprintf(l->scope, sizeof l->scope, "%s", f[L_SCOPE].value);
	snprintf(l->reason, sizeof l->reason, "%s", f[L_REASON].value);
	l->end_sessions = strcmp(f[L_SESSIONS].value, "yes") == 0;
	if (core_lockout_preview(t->store, l->scope, &n, &cause) != 0 ||
	    n == 0) {
		/* Back to the form, values kept, with what is wrong. */
		lockout_form(t, f, cause != NULL ? cause : _("That scope "
		    "matches no live ID: choose another (F4 lists them)."));
		free(cause);
		free(l);
		return 1;
	}
	l->count = n;
	memset(c, 0, sizeof c);
	c[0].label = N_("Type the count");
	snprintf(title, sizeof title, ngettext("Lock %lld ID (%s)?",
	    "Lock %lld IDs (%s)?", PLURAL(n)), (long long)n, l->scope);
	if (core_lockout_exempt(t->store, l->scope, &exempt, &nexempt,
	    &cause) != 0) {
		lockout_form(t, f, cause);
		free(cause);
		free(l);
		return 1;
	}
	tui_form(t, title, c, 1, count_done, l);
	tui_prompt(t, 1, ngettext("%lld live ID will be locked on its "
	    "system%s. Type %lld and Enter to lock it; Esc cancels.",
	    "%lld live IDs will be locked on every system%s. Type %lld and "
	    "Enter to lock them; Esc cancels.", PLURAL(n)), (long long)n,
	    exempt != NULL ? _(", break-glass IDs excepted") : "",
	    (long long)n);
	/* On top of the count: every ID it takes, and those it spares. */
	(void)tui_lockout_list(t, l->scope);
	free(exempt);
	return 1;
}

static void
lockout_form(struct tui *t, const struct tui_field *keep, const char *error)
{
	struct tui_field	 f[L_N];

	memset(f, 0, sizeof f);
	f[L_SCOPE].label = N_("Scope");
	f[L_SCOPE].choices = "person|department|system|contractors|all";
	f[L_VALUE].label = N_("Person/dept/system");
	f[L_VALUE].pick_by = 1 + L_SCOPE;
	f[L_VALUE].required = 1;
	f[L_REASON].label = N_("Reason");
	f[L_REASON].check = tui_check_reason;
	f[L_SESSIONS].label = N_("End sessions");
	f[L_SESSIONS].choices = "no|yes";
	if (keep != NULL)
		memcpy(f, keep, sizeof f);
	else {
		snprintf(f[L_SCOPE].value, sizeof f[L_SCOPE].value, "person");
		snprintf(f[L_REASON].value, sizeof f[L_REASON].value,
		    "emergency lockout");
		snprintf(f[L_SESSIONS].value, sizeof f[L_SESSIONS].value, "no");
	}
	tui_form(t, _("EMERGENCY LOCKOUT"), f, L_N, scope_done, NULL);
	if (error != NULL)
		tui_prompt(t, 1, "%s", error);
}

/* The one key, from any screen. */
int
tui_lockout(struct tui *t, void *arg)
{
	(void)arg;
	lockout_form(t, NULL, NULL);
	tui_prompt(t, 0, _("Choose the scope (Left/Right), then Enter: a "
	    "preview shows the count first."));
	return TUI_REDRAW;
}

/* The incidents screen. */
struct incidents {
	struct tui_listscreen	 ls;		/* first: the list screen */
	struct core_incident	*v;
	size_t			 n;
};

static const struct tui_list_col incident_cols[] = {
	{ .title = N_("Entry"), .width = 7, .right = 1, .min = 5, .prio = 6 },
	{ .title = N_("Opened"), .width = 22, .min = 22, .prio = 4 },
	{ .title = N_("State"), .width = 9, .min = 7, .prio = 5 },
	{ .title = N_("IDs"), .width = 6, .right = 1, .min = 4, .prio = 3 },
	{ .title = N_("Failed"), .width = 6, .right = 1, .min = 6, .prio = 3 },
	{ .title = N_("Scope"), .width = 22, .min = 12, .prio = 4, .share = 1 },
	{ .title = N_("Reason"), .min = 10, .prio = 2, .share = 2 },
};
#define INCIDENT_NCOLS	(int)(sizeof incident_cols / sizeof incident_cols[0])

static size_t
incidents_count(void *arg)
{
	return ((struct incidents *)arg)->n;
}

static void
incidents_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct core_incident *i = &((struct incidents *)arg)->v[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%llu", (unsigned long long)i->idx);
		break;
	case 1:
		when_local_utc(i->opened, 0, buf, len);
		break;
	case 2:
		snprintf(buf, len, "%s", _(i->state));
		break;
	case 3:
		snprintf(buf, len, "%lld", (long long)i->accounts);
		break;
	case 4:
		snprintf(buf, len, "%lld", (long long)i->failed);
		break;
	case 5:
		snprintf(buf, len, "%s", i->scope);
		break;
	default:
		snprintf(buf, len, "%s", i->reason);
		break;
	}
}

static void
incidents_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct core_incident *i = &((struct incidents *)arg)->v[row];

	snprintf(buf, len, "%s %s %s %s", i->state, i->scope, i->opened,
	    i->reason);
}

static const struct tui_list_source incidents_source = {
	.count = incidents_count,
	.cell = incidents_cell,
	.search = incidents_search,
};

static int
incidents_load(struct tui_listscreen *ls, char **cause)
{
	struct incidents	*s = (struct incidents *)ls;

	return core_incident_list(ls->t->store, &s->v, &s->n, cause);
}

static void
incidents_unload(struct tui_listscreen *ls)
{
	struct incidents	*s = (struct incidents *)ls;

	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static const struct tui_listscreen_ops incidents_ops = {
	.size = sizeof(struct incidents),
	.cols = incident_cols,
	.ncols = INCIDENT_NCOLS,
	.source = &incidents_source,
	.load = incidents_load,
	.unload = incidents_unload,
};

static void *
incidents_open(struct tui *t)
{
	return tui_listscreen_open(t, &incidents_ops);
}

static const struct core_incident *
incidents_current(struct incidents *s)
{
	size_t	 row = tui_listscreen_row(&s->ls);

	return row == SIZE_MAX ? NULL : &s->v[row];
}

static int
incidents_restore(struct tui *t, void *arg)
{
	const struct core_incident *i = incidents_current(arg);
	struct store_args	 a = { 0 };
	char			 idx[24];

	if (i == NULL || strcmp(i->state, "active") != 0) {
		tui_status(t, 1, _("Choose an active incident first."));
		return TUI_HANDLED;
	}
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)i->idx);
	store_args_add(&a, "incident", idx);
	(void)tui_run_action(t, "incident.restore", &a, NULL);
	return TUI_REDRAW;
}

static int
incidents_detail(struct tui *t, void *arg)
{
	const struct core_incident *i = incidents_current(arg);

	if (i == NULL) {
		tui_status(t, 1, _("No incident is chosen."));
		return TUI_HANDLED;
	}
	/* Every ID taken, its prior state, and any lock that failed. */
	(void)tui_incident_ids(t, i);
	return TUI_REDRAW;
}

static const struct tui_binding incidents_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, incidents_detail },
	{ TUI_ACT, N_("Restore"), "incident.restore",
	    CORE_ROLE_ADMIN, incidents_restore },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_incidents = {
	.name = "incidents",
	.title = N_("Incidents"),
	.keys = incidents_keys,
	.open = incidents_open,
	.close = tui_listscreen_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
