/*
 * screens.c -- the table of screens, the console's own keys, the
 * dashboard, and help.
 *
 * Help is generated from the same tables the keys dispatch from (and the
 * action table for what a key does), so the key list cannot drift from
 * the code; the prose comes from help/ (help.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "help.h"
#include "tui-int.h"

extern const struct tui_screen tui_screen_dashboard;
extern const struct tui_screen tui_screen_operators;
extern const struct tui_screen tui_screen_ledger;
extern const struct tui_screen tui_screen_ids;
extern const struct tui_screen tui_screen_systems;
extern const struct tui_screen tui_screen_incidents;
extern const struct tui_screen tui_screen_workorders;
extern const struct tui_screen tui_screen_people;
extern const struct tui_screen tui_screen_import;
extern const struct tui_screen tui_screen_events;
extern const struct tui_screen tui_screen_findings;
extern const struct tui_screen tui_screen_passwords;
extern const struct tui_screen tui_screen_stocktake;
extern const struct tui_screen tui_screen_privileged;
extern const struct tui_screen tui_screen_analysis;
extern const struct tui_screen tui_screen_exceptions;

#define LOGGED_IN	(CORE_ROLE_ADMIN | CORE_ROLE_APPROVER | \
			    CORE_ROLE_AUDITOR)

/* In Tab order. */
const struct tui_screen *const tui_screens[] = {
	&tui_screen_dashboard,
	&tui_screen_ids,
	&tui_screen_systems,
	&tui_screen_incidents,
	&tui_screen_workorders,
	&tui_screen_people,
	&tui_screen_import,
	&tui_screen_events,
	&tui_screen_passwords,
	&tui_screen_privileged,	/* here, so no other screen's Tab or
				   Shift-Tab count from the dashboard moved */
	&tui_screen_exceptions,
	&tui_screen_stocktake,
	&tui_screen_analysis,
	&tui_screen_operators,
	&tui_screen_ledger,
	&tui_screen_findings,	/* Shift-Tab from the dashboard */
	NULL
};

static int
key_help(struct tui *t, void *arg)
{
	const struct tui_binding	*tables[2], *b;
	const struct tui_screen *const	*s;
	const struct core_action	*a;
	const char			*topic;
	char				*text, *tmp, line[256], label[16];
	int				 i;

	(void)arg;
	topic = t->state != TUI_S_MAIN ? "login" : t->screen != NULL ?
	    t->screen->name : "dashboard";
	xasprintf(&text, "%s\n\n%s\n", _(help_topic(topic)), _("Keys:"));
	/* First the keys of what has them, the open dialog or the screen:
	 * they are what a person came for; then the console's. */
	tables[0] = t->dialogs != NULL && t->dialogs->keys != NULL ?
	    t->dialogs->keys : t->state == TUI_S_MAIN && t->screen != NULL ?
	    t->screen->keys : NULL;
	tables[1] = tui_global_keys;
	for (i = 0; i < 2; i++) {
		for (b = tables[i]; b != NULL && b->run != NULL; b++) {
			/* Another state's key (F10 quits at the login). */
			if (b->label == NULL || ((b->roles & (TUI_AT_LOGIN |
			    TUI_AT_LOCK)) && !tui_binding_ok(t, b)))
				continue;
			a = b->action != NULL ? core_action_find(b->action) :
			    NULL;
			snprintf(line, sizeof line, "  %-8s %s%s%s%s\n", b->label,
			    _(b->help), a != NULL ? " (" : "",
			    a != NULL ? a->name : "",
			    a == NULL ? "" : (a->flags & CORE_TWO_PERSON) ?
			    _(", two-person)") : ")");
			xasprintf(&tmp, "%s%s", text, line);
			free(text);
			text = tmp;
		}
	}
	for (s = tui_screens; t->state == TUI_S_MAIN && *s != NULL; s++) {
		if ((*s)->fkey == 0)
			continue;
		tui_screen_fkey(*s, label, sizeof label);
		snprintf(line, sizeof line, "  %-8s %s\n", label,
		    _((*s)->title));
		xasprintf(&tmp, "%s%s", text, line);
		free(text);
		text = tmp;
	}
	tui_message(t, _("Help"), text);
	free(text);
	return TUI_REDRAW;
}

static int
key_screen(struct tui *t, const struct tui_screen *s)
{
	tui_screen_open(t, s);
	return TUI_REDRAW;
}

void
tui_screen_fkey(const struct tui_screen *s, char *buf, size_t len)
{
	snprintf(buf, len, "F%d", (int)(s->fkey - KEY_F0));
}

/* Tab and Shift-Tab: the next (or previous) screen the role may open. */
static int
key_cycle(struct tui *t, int dir)
{
	const struct tui_screen	*s;
	size_t			 n, i, at = 0, k;

	for (n = 0; tui_screens[n] != NULL; n++) {
		if (tui_screens[n] == t->screen)
			at = n;
	}
	for (k = 1; k < n; k++) {
		i = (at + n + (size_t)dir * k) % n;
		s = tui_screens[i];
		if (s->roles == 0 || (s->roles & t->role))
			return key_screen(t, s);
	}
	return TUI_HANDLED;
}

static int
key_next(struct tui *t, void *arg)
{
	(void)arg;
	return key_cycle(t, 1);
}

static int
key_previous(struct tui *t, void *arg)
{
	(void)arg;
	return key_cycle(t, -1);
}

static int
do_logout(struct tui *t, void *arg)
{
	(void)arg;
	tui_session_logout(t, "logout");
	tui_status(t, 0, _("Logged out; the ledger has a new epoch key."));
	return 0;
}

static int
key_logout(struct tui *t, void *arg)
{
	(void)arg;
	if (t->state == TUI_S_LOGIN) {
		t->quit = 1;
		return TUI_HANDLED;
	}
	tui_confirm(t, _("Log out"), _("End your session? The screen "
	    "returns to the login."), do_logout, NULL);
	return TUI_REDRAW;
}

static int
key_redraw(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	clearok(curscr, TRUE);
	return TUI_REDRAW;
}

const struct tui_binding tui_global_keys[] = {
	{ KEY_F(1), 1, "F1", N_("Help"), NULL, 0, key_help },
	/* F10 says what it does: log out, or (nobody logged in) quit. */
	{ KEY_F(10), 1, "F10", N_("Log out"), "session.logout", LOGGED_IN |
	    TUI_AT_LOCK, key_logout },
	{ KEY_F(10), 1, "F10", N_("Quit"), NULL, TUI_AT_LOGIN, key_logout },
	{ KEY_F(12), 1, "F12", N_("LOCKOUT"), "incident.lock",
	    CORE_ROLE_ADMIN, tui_lockout },
	{ '\t', 0, "Tab", N_("Screens"), NULL, LOGGED_IN, key_next },
	{ KEY_BTAB, 1, NULL, N_("Previous screen"), NULL, LOGGED_IN,
	    key_previous },
	{ 12, 0, NULL, N_("Redraw"), NULL, 0, key_redraw },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

/* The dashboard: counts, alerts and the ledger's state at a glance. */
struct dashboard {
	struct core_counts c;
	int64_t		 priv_waiting, priv_active;	/* requests */
	int64_t		 priv_end;		/* the first to end, or 0 */
	int64_t		 exc_overdue;		/* emergency exceptions whose
						   report is overdue */
	uint64_t	 size, csize, epoch;
	char		 ctime[32];
	char		*error;
	time_t		 loaded;
	struct core_password_counts pw;	/* rotation status */
	time_t		 pw_loaded;		/* a scan of every live ID:
						   not on every redraw */
	uint64_t	 pw_size;		/* the ledger's size then */
	int		 stk_due;		/* no stocktake this quarter */
	char		 stk_quarter[11];	/* its first day */
	struct core_stocktake stk;		/* the newest open one */
	int		 stk_open;		/* stk is one */
	int64_t		 stk_decided, stk_total;
	int		 review_due;		/* core_review_due */
	int64_t		 review_last;		/* the last review's end */
	int		 review_days;
};

/* How often the dashboard scans the passwords' status again. */
#define DASHBOARD_PW_SECONDS	30

static void
dashboard_stocktake_one(void *arg, const struct core_stocktake *c)
{
	struct dashboard	*d = arg;

	if (!d->stk_open && strcmp(c->state, "open") == 0) {
		d->stk = *c;
		d->stk_open = 1;
	}
}

/* Whether a stocktake is due this quarter, and the open one's progress. */
static int
dashboard_stocktake_load(struct tui *t, struct dashboard *d, char **cause)
{
	size_t	 n;

	d->stk_open = 0;
	if (core_stocktake_due(t->store, d->loaded, &d->stk_due,
	    d->stk_quarter, cause) != 0 || core_stocktake_list(t->store,
	    dashboard_stocktake_one, d, &n, cause) != 0)
		return -1;
	if (d->stk_open && core_stocktake_progress(t->store, d->stk.idx,
	    &d->stk_decided, &d->stk_total, cause) != 0)
		return -1;
	return 0;
}

static void
dashboard_load(struct tui *t, struct dashboard *d)
{
	char	*cause = NULL;

	free(d->error);
	d->error = NULL;
	d->loaded = time(NULL);
	if (core_counts(t->store, &d->c, &cause) != 0 ||
	    store_ledger_size(t->store, &d->size, &cause) != 0 ||
	    store_checkpoint_latest(t->store, &d->csize, d->ctime,
	    sizeof d->ctime, &cause) != 0 ||
	    store_epoch_current(t->store, &d->epoch, &cause) != 0 ||
	    core_priv_counts(t->store, &d->priv_waiting, &d->priv_active,
	    &d->priv_end, &cause) != 0 ||
	    core_exception_overdue(t->store, d->loaded, &d->exc_overdue,
	    &cause) != 0 ||
	    (d->review_due = core_review_due(t->store, d->loaded,
	    &d->review_last, &d->review_days, &cause)) == -1) {
		d->review_due = 0;
		d->error = cause;
		return;
	}
	/* The ledger moved, or time may have made passwords due. */
	if (d->size != d->pw_size || d->loaded < d->pw_loaded ||
	    d->loaded - d->pw_loaded >= DASHBOARD_PW_SECONDS) {
		d->pw_loaded = d->loaded;
		d->pw_size = d->size;
		if (core_password_counts(t->store, d->loaded, &d->pw,
		    &cause) != 0 || dashboard_stocktake_load(t, d, &cause) != 0)
			d->error = cause;
	}
}

static void *
dashboard_open(struct tui *t)
{
	struct dashboard	*d = xcalloc(1, sizeof *d);

	dashboard_load(t, d);
	return d;
}

static void
dashboard_close(struct tui *t, void *arg)
{
	struct dashboard	*d = arg;

	(void)t;
	free(d->error);
	free(d);
}

/* The dashboard's counts, from row y; the next free row.  Each count in
 * the singular or plural its number takes (ngettext). */
static int
dashboard_counts(struct dashboard *d, int y, int x, int w)
{
	char		 line[256], p[4][96];
	int64_t		 n;

	attrset(tui_style(TUI_HEADER));
	tui_text_put(stdscr, y++, x, _("Operators"), 30, 0);
	attrset(tui_style(TUI_NORMAL));
	snprintf(p[0], sizeof p[0], ngettext("%lld admin", "%lld admins",
	    PLURAL(d->c.admins)), (long long)d->c.admins);
	snprintf(p[1], sizeof p[1], ngettext("%lld approver",
	    "%lld approvers", PLURAL(d->c.approvers)),
	    (long long)d->c.approvers);
	snprintf(p[2], sizeof p[2], ngettext("%lld auditor", "%lld auditors",
	    PLURAL(d->c.auditors)), (long long)d->c.auditors);
	snprintf(line, sizeof line, _("%s, %s, %s"), p[0], p[1], p[2]);
	tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	snprintf(line, sizeof line, ngettext("%lld person on record",
	    "%lld people on record", PLURAL(d->c.people)),
	    (long long)d->c.people);
	tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	n = d->c.outbox_pending - d->c.workorders;
	snprintf(p[0], sizeof p[0], ngettext("%lld system", "%lld systems",
	    PLURAL(d->c.systems)), (long long)d->c.systems);
	snprintf(p[1], sizeof p[1], ngettext("%lld live ID", "%lld live IDs",
	    PLURAL(d->c.ids)), (long long)d->c.ids);
	snprintf(p[2], sizeof p[2], ngettext("%lld target operation waiting",
	    "%lld target operations waiting", PLURAL(n)), (long long)n);
	snprintf(p[3], sizeof p[3], ngettext("%lld work order open",
	    "%lld work orders open", PLURAL(d->c.workorders)),
	    (long long)d->c.workorders);
	snprintf(line, sizeof line, _("%s, %s, %s, %s"), p[0], p[1], p[2],
	    p[3]);
	tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	return y;
}

/* The passwords' alerts, from row y; the next free row. */
static int
dashboard_passwords(struct dashboard *d, int y, int x, int w)
{
	char	 line[256];

	attrset(tui_style(TUI_ERROR));
	if (d->pw.n[CORE_PW_OVERDUE] > 0) {
		snprintf(line, sizeof line, ngettext("%lld password overdue "
		    "(the Passwords screen forces a change)", "%lld passwords "
		    "overdue (the Passwords screen forces a change)",
		    PLURAL(d->pw.n[CORE_PW_OVERDUE])),
		    (long long)d->pw.n[CORE_PW_OVERDUE]);
		tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	}
	if (d->pw.n[CORE_PW_TEMP_EXPIRED] > 0) {
		snprintf(line, sizeof line, ngettext("%lld temporary password "
		    "not changed in time (see Passwords)", "%lld temporary "
		    "passwords not changed in time (see Passwords)",
		    PLURAL(d->pw.n[CORE_PW_TEMP_EXPIRED])),
		    (long long)d->pw.n[CORE_PW_TEMP_EXPIRED]);
		tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	}
	if (d->pw.n[CORE_PW_SHARED_DUE] > 0) {
		snprintf(line, sizeof line, ngettext("%lld shared ID whose "
		    "password must change: a user left (see Passwords)",
		    "%lld shared IDs whose password must change: a user left "
		    "(see Passwords)", PLURAL(d->pw.n[CORE_PW_SHARED_DUE])),
		    (long long)d->pw.n[CORE_PW_SHARED_DUE]);
		tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	}
	attrset(tui_style(TUI_NORMAL));
	return y;
}

/* The stocktake: one due this quarter, the open one's progress and
 * deadline; the next free row. */
static int
dashboard_stocktake(struct dashboard *d, int y, int x, int w)
{
	char	 line[256], day[WHEN_MAX];

	attrset(tui_style(TUI_ERROR));
	if (d->stk_due) {
		snprintf(line, sizeof line, _("A stocktake is due this quarter "
		    "(from %s): the Stocktake screen starts one"),
		    d->stk_quarter);
		tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	}
	if (d->stk_open && d->stk_decided < d->stk_total) {
		when_local((time_t)(d->stk.deadline - 1), 0, day, sizeof day);
		if (strlen(day) > 10)
			day[10] = '\0';
		snprintf(line, sizeof line, _("Stocktake %llu: %lld of %lld "
		    "decided, deadline %s"), (unsigned long long)d->stk.idx,
		    (long long)d->stk_decided, (long long)d->stk_total, day);
		tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	}
	attrset(tui_style(TUI_NORMAL));
	return y;
}

/* Privileged access: requests waiting, activations with the time left
 * (worked out at each draw, so it counts down); the next free row. */
static int
dashboard_priv(struct dashboard *d, int y, int x, int w)
{
	char	 line[256];
	int64_t	 left;

	if (d->priv_waiting > 0) {
		attrset(tui_style(TUI_ERROR));
		snprintf(line, sizeof line, ngettext("%lld privileged request "
		    "awaiting approval (Privileged screen)", "%lld privileged "
		    "requests awaiting approval (Privileged screen)",
		    PLURAL(d->priv_waiting)), (long long)d->priv_waiting);
		tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	}
	if (d->priv_active > 0) {
		left = d->priv_end - (int64_t)time(NULL);
		if (left < 0)
			left = 0;
		attrset(tui_style(TUI_ERROR));
		snprintf(line, sizeof line, ngettext("%lld privileged ID "
		    "active; the first ends in %lld:%02lld:%02lld",
		    "%lld privileged IDs active; the first ends in "
		    "%lld:%02lld:%02lld", PLURAL(d->priv_active)),
		    (long long)d->priv_active, (long long)(left / 3600),
		    (long long)(left / 60 % 60), (long long)(left % 60));
		tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	}
	attrset(tui_style(TUI_NORMAL));
	return y;
}

/* The review of the ledger's records, when one is due; the next row. */
static int
dashboard_review(struct dashboard *d, int y, int x, int w)
{
	char	 line[256], when[WHEN_MAX];

	if (!d->review_due)
		return y;
	attrset(tui_style(TUI_ERROR));
	if (d->review_last == 0)
		snprintf(line, sizeof line, "%s", _("A review of the ledger's "
		    "records is due: none recorded yet (Analysis screen, F4)"));
	else {
		when_local((time_t)d->review_last, 0, when, sizeof when);
		snprintf(line, sizeof line, ngettext("A review of the ledger's "
		    "records is due: the last period reviewed ended %s, more "
		    "than %d day ago (Analysis screen)", "A review of the "
		    "ledger's records is due: the last period reviewed ended "
		    "%s, more than %d days ago (Analysis screen)",
		    PLURAL(d->review_days)), when, d->review_days);
	}
	tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	attrset(tui_style(TUI_NORMAL));
	return y;
}

/* Emergency exceptions not reported in time; the next free row. */
static int
dashboard_exceptions(struct dashboard *d, int y, int x, int w)
{
	char	 line[256];

	if (d->exc_overdue == 0)
		return y;
	attrset(tui_style(TUI_ERROR));
	snprintf(line, sizeof line, ngettext("%lld emergency exception not "
	    "reported to an approver in time (Exceptions screen)", "%lld "
	    "emergency exceptions not reported to an approver in time "
	    "(Exceptions screen)", PLURAL(d->exc_overdue)),
	    (long long)d->exc_overdue);
	tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	attrset(tui_style(TUI_NORMAL));
	return y;
}

static void
dashboard_draw(struct tui *t, void *arg, int h, int w)
{
	struct dashboard	*d = arg;
	char			 line[256], when[WHEN_MAX], entries[96];
	int			 y = TUI_BODY_Y + 1, x = 2;

	(void)h;
	if (time(NULL) - d->loaded >= 2)
		dashboard_load(t, d);	/* a handful of counts */
	y = dashboard_counts(d, y, x, w);
	y++;
	attrset(tui_style(TUI_HEADER));
	tui_text_put(stdscr, y++, x, _("Ledger"), 30, 0);
	attrset(tui_style(TUI_NORMAL));
	when_local_utc(d->ctime, WHEN_SECONDS, when, sizeof when);
	snprintf(entries, sizeof entries, ngettext("%llu entry",
	    "%llu entries", PLURAL(d->size)), (unsigned long long)d->size);
	snprintf(line, sizeof line, _("%s; last checkpoint at size %llu, "
	    "signed %s"), entries, (unsigned long long)d->csize,
	    when[0] ? when : _("never"));
	tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	snprintf(line, sizeof line, _("key epoch %llu; origin %s"),
	    (unsigned long long)d->epoch, store_ledger_origin(t->store));
	tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	y++;
	attrset(tui_style(TUI_HEADER));
	tui_text_put(stdscr, y++, x, _("Alerts"), 30, 0);
	attrset(tui_style(TUI_NORMAL));
	if (d->error != NULL) {
		attrset(tui_style(TUI_ERROR));
		tui_text_put(stdscr, y++, x + 2, d->error, w - 4, 0);
	}
	if (d->c.failures_24h > 0) {
		attrset(tui_style(TUI_ERROR));
		snprintf(line, sizeof line, ngettext("%lld failed login in "
		    "the last 24 hours (see the ledger)", "%lld failed logins "
		    "in the last 24 hours (see the ledger)",
		    PLURAL(d->c.failures_24h)), (long long)d->c.failures_24h);
		tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	}
	if (d->c.outbox_failed > 0 || d->c.outbox_retrying > 0) {
		attrset(tui_style(TUI_ERROR));
		snprintf(line, sizeof line, _("%lld target operations failed "
		    "for good, %lld being retried"),
		    (long long)d->c.outbox_failed,
		    (long long)d->c.outbox_retrying);
		tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	}
	if (d->c.incidents_active > 0) {
		attrset(tui_style(TUI_ERROR));
		snprintf(line, sizeof line, _("Emergency lockouts still active: "
		    "%lld (on the Incidents screen, F4 restores one)"),
		    (long long)d->c.incidents_active);
		tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	}
	if (d->c.passwords_unrevealed > 0) {
		attrset(tui_style(TUI_ERROR));
		snprintf(line, sizeof line, _("IDs whose temporary password "
		    "nobody saw: %lld (open the ID on the IDs screen: p "
		    "issues a fresh one)"), (long long)d->c.passwords_unrevealed);
		tui_text_put(stdscr, y++, x + 2, line, w - 4, 0);
	}
	y = dashboard_passwords(d, y, x, w);
	y = dashboard_priv(d, y, x, w);
	y = dashboard_stocktake(d, y, x, w);
	y = dashboard_review(d, y, x, w);
	y = dashboard_exceptions(d, y, x, w);
	if (d->c.approvers == 0) {
		attrset(tui_style(TUI_ERROR));
		tui_text_put(stdscr, y++, x + 2, _("No active approver: "
		    "two-person operations cannot be approved"), w - 4, 0);
	}
	if (d->error == NULL && d->c.failures_24h == 0 && d->c.approvers > 0 &&
	    d->c.outbox_failed == 0 && d->c.outbox_retrying == 0 &&
	    d->c.incidents_active == 0 && d->c.passwords_unrevealed == 0 &&
	    d->pw.n[CORE_PW_OVERDUE] == 0 && d->pw.n[CORE_PW_TEMP_EXPIRED] ==
	    0 && d->pw.n[CORE_PW_SHARED_DUE] == 0 && d->priv_waiting == 0 &&
	    d->priv_active == 0 && !d->stk_due && !(d->stk_open &&
	    d->stk_decided < d->stk_total) && !d->review_due &&
	    d->exc_overdue == 0) {
		attrset(tui_style(TUI_OK));
		tui_text_put(stdscr, y++, x + 2, _("none"), w - 4, 0);
	}
	attrset(tui_style(TUI_NORMAL));
}

static const struct tui_binding dashboard_keys[] = {
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_dashboard = {
	.name = "dashboard",
	.title = N_("Dashboard"),
	.fkey = KEY_F(2),
	.keys = dashboard_keys,
	.open = dashboard_open,
	.close = dashboard_close,
	.draw = dashboard_draw,
};

/* "; admin or approver only": the roles of a mask, each by name, as
 * one translated phrase ("%s only" around "admin or approver"). */
static void
help_man_roles(FILE *f, int roles)
{
	char	 names[128];
	size_t	 len = 0;
	int	 bit, n = 0;

	names[0] = '\0';
	for (bit = CORE_ROLE_ADMIN; bit <= CORE_ROLE_AUDITOR; bit <<= 1) {
		if (!(roles & bit))
			continue;
		len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
		    n++ > 0 ? _(" or ") : "", _(core_role_name(bit)));
		if (len >= sizeof names)
			break;
	}
	fprintf(f, _("; %s only"), names);
}

/* One key table as an mdoc tag list. */
static void
help_man_keys(FILE *f, const struct tui_binding *b)
{
	const struct core_action	*a;

	fputs(".Bl -tag -width Ds -compact\n", f);
	for (; b != NULL && b->run != NULL; b++) {
		if (b->label == NULL)
			continue;
		a = b->action != NULL ? core_action_find(b->action) : NULL;
		fprintf(f, ".It Sy %s\n%s", b->label, _(b->help));
		if (a != NULL)
			fprintf(f, " (%s%s)", a->name,
			    (a->flags & CORE_TWO_PERSON) ? _(", two-person") :
			    "");
		if (b->roles & TUI_AT_LOGIN)
			fputs(_("; on the login screen"), f);
		else if (b->roles != 0 && (b->roles & LOGGED_IN) != LOGGED_IN)
			help_man_roles(f, b->roles);
		fputs(".\n", f);
	}
	fputs(".El\n", f);
}

/* A help topic's text as mdoc paragraph lines. */
static void
help_man_text(FILE *f, const char *text)
{
	const char	*p;

	for (p = text; *p != '\0'; p++) {
		if (*p == '\\')
			fputs("\\e", f);
		else
			fputc(*p, f);
	}
	fputc('\n', f);
}

void
tui_help_man(FILE *f)
{
	const struct tui_screen *const *s;
	char			 label[16];

	fprintf(f, ".Sh %s\n", _("CONSOLE"));
	fprintf(f, ".Ss %s\n", _("Logging in"));
	help_man_text(f, _(help_topic("login")));
	fprintf(f, ".Pp\n%s\n", _("Keys everywhere:"));
	help_man_keys(f, tui_global_keys);
	fprintf(f, ".Pp\n%s\n.Bl -tag -width Ds -compact\n",
	    _("Screens with a key of their own:"));
	for (s = tui_screens; *s != NULL; s++) {
		if ((*s)->fkey == 0)
			continue;
		tui_screen_fkey(*s, label, sizeof label);
		fprintf(f, ".It Sy %s\n%s.\n", label, _((*s)->title));
	}
	fputs(".El\n", f);
	for (s = tui_screens; *s != NULL; s++) {
		fprintf(f, ".Ss %s\n", _((*s)->title));
		help_man_text(f, _(help_topic((*s)->name)));
		if ((*s)->keys != NULL && (*s)->keys->run != NULL) {
			fprintf(f, ".Pp\n%s\n", _("Keys:"));
			help_man_keys(f, (*s)->keys);
		}
	}
	fprintf(f, ".Pp\n%s\n", _("In lists, typing filters (words separated "
	    "by spaces must all match); Backspace and ^U edit the filter; "
	    "Insert or ^T marks a row, ^A marks all shown; F6 and F7 sort."));
}
