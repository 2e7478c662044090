/*
 * screen-privileged.c -- privileged IDs with time limits: the requests
 * awaiting approval, the activations running (each with a live
 * countdown), the holders per system against the policy's maximum, and
 * the history of requests.  core/action-priv.c holds the rules.
 *
 * An approval is the approver's own act: when the operator at the
 * console is an admin, the approver authenticates on this terminal
 * (the second-person dialog) and the entry is in the approver's name;
 * an approver at the console approves in their own.  Nobody approves or
 * rejects a request they made (core refuses it, naming them).
 *
 * The loop draws every turn (at least four times a second), and the
 * time left is worked out at each draw from the activation's end, so
 * the countdown moves by itself; the rows are read again only when the
 * ledger moves (an approval, the sweep ending one).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "tui-int.h"

struct privscreen {
	struct core_priv_req	*v;		/* every request, newest first */
	size_t			 n, cap;
	struct core_priv_holder	*h;
	size_t			 nh, hcap;
	uint64_t		 seen;		/* ledger size at the load */
	char			*error;		/* the load's, or NULL */
	size_t			 sel;		/* among the open requests */
	char			 chosen[24];	/* a form's request number */
};

/* Awaiting approval or active: the rows the cursor moves over. */
static int
priv_open_req(const struct core_priv_req *r)
{
	return strcmp(r->state, "requested") == 0 ||
	    strcmp(r->state, "active") == 0;
}

static void
priv_add_req(void *arg, const struct core_priv_req *r)
{
	struct privscreen	*s = arg;

	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = *r;
}

static void
priv_add_holder(void *arg, const struct core_priv_holder *h)
{
	struct privscreen	*s = arg;

	s->h = xgrow(s->h, &s->hcap, s->nh + 1, sizeof *s->h);
	s->h[s->nh++] = *h;
}

static void
priv_load(struct tui *t, struct privscreen *s)
{
	char	*cause = NULL;
	size_t	 n;

	s->n = s->nh = 0;
	free(s->error);
	s->error = NULL;
	(void)tui_ledger_moved(t, &s->seen);
	if (core_priv_requests(t->store, NULL, time(NULL), priv_add_req, s,
	    &n, &cause) != 0 || core_priv_holders(t->store, priv_add_holder,
	    s, &n, &cause) != 0)
		s->error = cause;
}

static void *
priv_open(struct tui *t)
{
	struct privscreen	*s = xcalloc(1, sizeof *s);

	priv_load(t, s);
	return s;
}

static void
priv_close(struct tui *t, void *arg)
{
	struct privscreen	*s = arg;

	(void)t;
	if (s == NULL)
		return;
	free(s->v);
	free(s->h);
	free(s->error);
	free(s);
}

/* The open request under the cursor, or NULL: counted as they are
 * drawn, those awaiting approval first, then the active ones. */
static const struct core_priv_req *
priv_current(struct privscreen *s)
{
	static const char *const states[] = { "requested", "active" };
	size_t	 i, j, k = 0;

	for (j = 0; j < 2; j++) {
		for (i = 0; i < s->n; i++) {
			if (strcmp(s->v[i].state, states[j]) != 0)
				continue;
			if (k++ == s->sel)
				return &s->v[i];
		}
	}
	return NULL;
}

static size_t
priv_nopen(const struct privscreen *s)
{
	size_t	 i, k = 0;

	for (i = 0; i < s->n; i++)
		k += priv_open_req(&s->v[i]);
	return k;
}

/* "0:59:58" left of an activation ending at end. */
static void
priv_left(int64_t end, char *buf, size_t len)
{
	int64_t	 left = end - (int64_t)time(NULL);

	if (left < 0)
		left = 0;
	snprintf(buf, len, "%lld:%02lld:%02lld", (long long)(left / 3600),
	    (long long)(left / 60 % 60), (long long)(left % 60));
}

static void
priv_heading(int y, const char *text, int w)
{
	attrset(tui_style(TUI_HEADER));
	tui_text_put(stdscr, y, 0, text, w, 0);
	attrset(tui_style(TUI_NORMAL));
}

/* One open request's line. */
static void
priv_draw_req(const struct core_priv_req *r, int y, int w, int cursor)
{
	char	*line, left[32], until[WHEN_MAX];

	if (strcmp(r->state, "requested") == 0)
		xasprintf(&line, _("%llu  %s on %s, %lld min, asked "
		    "by %s: %s"), (unsigned long long)r->idx, r->login,
		    r->system, (long long)r->minutes, r->requester, r->reason);
	else {
		priv_left(r->end_at, left, sizeof left);
		when_local((time_t)r->end_at, 0, until, sizeof until);
		xasprintf(&line, _("%llu  %s on %s  %s left (until "
		    "%s), approved by %s"), (unsigned long long)r->idx,
		    r->login, r->system, left, until, r->approver);
	}
	attrset(tui_style(cursor ? TUI_CURSOR : TUI_NORMAL));
	tui_text_put(stdscr, y, 1, line, w - 2, 0);
	attrset(tui_style(TUI_NORMAL));
	free(line);
}

/* The open requests of state, under a heading; the next free row. */
static int
priv_draw_open(struct privscreen *s, const char *state, const char *title,
    int y, int end, int w, size_t *k)
{
	char	 head[128];
	size_t	 i, n = 0;

	for (i = 0; i < s->n; i++)
		n += strcmp(s->v[i].state, state) == 0;
	snprintf(head, sizeof head, "%s (%zu)", title, n);
	priv_heading(y++, head, w);
	if (n == 0 && y < end) {
		attrset(tui_style(TUI_DIM));
		tui_text_put(stdscr, y++, 1, _("none"), w - 2, 0);
		attrset(tui_style(TUI_NORMAL));
	}
	for (i = 0; i < s->n; i++) {
		if (strcmp(s->v[i].state, state) != 0)
			continue;
		if (y < end)
			priv_draw_req(&s->v[i], y++, w, *k == s->sel);
		(*k)++;
	}
	return y;
}

/* Holders per system, a line each, the warning above the maximum. */
static int
priv_draw_holders(struct privscreen *s, int y, int end, int w)
{
	char		 line[256];
	const char	*sys = "";
	size_t		 i;

	priv_heading(y++, _("Privileged IDs in use, by system"), w);
	for (i = 0; i < s->nh && y < end; i++) {
		if (strcmp(s->h[i].system, sys) == 0)
			continue;
		sys = s->h[i].system;
		if (s->h[i].max > 0)
			snprintf(line, sizeof line, _("%s: %lld in use, at most "
			    "%d%s"), sys, (long long)s->h[i].in_use,
			    s->h[i].max, s->h[i].over ? _(" -- OVER THE "
			    "MAXIMUM") : "");
		else
			snprintf(line, sizeof line, _("%s: %lld in use, no "
			    "maximum"), sys, (long long)s->h[i].in_use);
		attrset(tui_style(s->h[i].over ? TUI_ERROR : TUI_NORMAL));
		tui_text_put(stdscr, y++, 1, line, w - 2, 0);
	}
	attrset(tui_style(TUI_NORMAL));
	return y;
}

/* The closed requests, newest first, as many as fit. */
static void
priv_draw_history(struct privscreen *s, int y, int end, int w)
{
	char	*line, start[WHEN_MAX];
	size_t	 i;

	priv_heading(y++, _("History"), w);
	for (i = 0; i < s->n && y < end; i++) {
		if (priv_open_req(&s->v[i]))
			continue;
		start[0] = '\0';
		if (s->v[i].start_at != 0)
			when_local((time_t)s->v[i].start_at, 0, start,
			    sizeof start);
		xasprintf(&line, _("%llu  %-8s %s on %s, %lld min, "
		    "%s%s%s%s%s%s%s"), (unsigned long long)s->v[i].idx,
		    _(s->v[i].state), s->v[i].login, s->v[i].system,
		    (long long)s->v[i].minutes, s->v[i].requester,
		    s->v[i].approver[0] != '\0' ? " / " : "",
		    s->v[i].approver, start[0] != '\0' ? ", from " : "", start,
		    s->v[i].note[0] != '\0' ? ": " : "", s->v[i].note);
		tui_text_put(stdscr, y++, 1, line, w - 2, 0);
		free(line);
	}
}

static void
priv_draw(struct tui *t, void *arg, int h, int w)
{
	struct privscreen	*s = arg;
	uint64_t		 seen = s->seen;	/* priv_load moves it */
	size_t			 k = 0, nopen;
	int			 y = TUI_BODY_Y, end = TUI_BODY_Y + h;

	if (tui_ledger_moved(t, &seen))
		priv_load(t, s);
	if ((nopen = priv_nopen(s)) > 0 && s->sel >= nopen)
		s->sel = nopen - 1;
	if (s->error != NULL) {
		attrset(tui_style(TUI_ERROR));
		tui_text_put(stdscr, y++, 0, s->error, w, 0);
		attrset(tui_style(TUI_NORMAL));
	}
	y = priv_draw_open(s, "requested", _("Awaiting approval"), y, end, w,
	    &k);
	y = priv_draw_open(s, "active", _("Active"), y, end, w, &k);
	if (y < end)
		y = priv_draw_holders(s, y, end, w);
	if (y < end)
		priv_draw_history(s, y, end, w);
}

/* Up and Down move over the open requests. */
static int
priv_key(struct tui *t, void *arg, const struct tui_key *k)
{
	struct privscreen	*s = arg;
	size_t			 n = priv_nopen(s);

	(void)t;
	if (k->fn && k->ch == KEY_UP && s->sel > 0) {
		s->sel--;
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (k->fn && k->ch == KEY_DOWN && s->sel + 1 < n) {
		s->sel++;
		return TUI_HANDLED | TUI_REDRAW;
	}
	return TUI_IGNORED;
}

/* The request under the cursor in state, or NULL after saying why. */
static const struct core_priv_req *
priv_pick(struct tui *t, struct privscreen *s, const char *state)
{
	const struct core_priv_req *r = priv_current(s);

	if (r == NULL) {
		tui_status(t, 1, "%s", _("No request is chosen."));
		return NULL;
	}
	if (strcmp(r->state, state) != 0) {
		tui_status(t, 1, _("Request %llu is %s."),
		    (unsigned long long)r->idx, _(r->state));
		return NULL;
	}
	snprintf(s->chosen, sizeof s->chosen, "%llu",
	    (unsigned long long)r->idx);
	return r;
}

/* Approved by the approver who authenticated: the entry is theirs. */
static int
priv_approve_as(struct tui *t, void *arg, const char *approver)
{
	struct core_actor	 who = { approver, NULL };
	struct store_args	 a = { 0 };
	char			*cause = NULL;

	store_args_add(&a, "request", arg);
	if (core_run(t->store, "priv.approve", &who, &a, &t->last_index,
	    &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return -1;
	}
	tui_outbox(t);
	if (t->outbox_failed == 0)
		tui_status(t, 0, _("Request %s approved by %s: the ID is "
		    "open until its time is up."), (const char *)arg, approver);
	return 0;
}

static int
priv_approve(struct tui *t, void *arg)
{
	struct privscreen	*s = arg;
	const struct core_priv_req *r;
	char			*what;

	if ((r = priv_pick(t, s, "requested")) == NULL)
		return TUI_HANDLED;
	if (t->role == CORE_ROLE_APPROVER) {
		(void)priv_approve_as(t, s->chosen, t->op);
		return TUI_REDRAW;
	}
	xasprintf(&what, _("approve request %s: %s on %s for %lld minutes, "
	    "asked by %s (%s)"), s->chosen, r->login, r->system,
	    (long long)r->minutes, r->requester, r->reason);
	tui_approve_then(t, "priv.approve", what, priv_approve_as, free,
	    xstrdup(s->chosen));
	free(what);
	return TUI_REDRAW;
}

static int
priv_reject_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct privscreen	*s = arg;
	struct store_args	 a = { 0 };

	store_args_add(&a, "request", s->chosen);
	store_args_add(&a, "reason", f[0].value);
	if (tui_run_action(t, "priv.reject", &a, NULL) == 0)
		tui_status(t, 0, _("Request %s rejected."), s->chosen);
	return 1;
}

static int
priv_reject(struct tui *t, void *arg)
{
	struct privscreen	*s = arg;
	struct tui_field	 f[1];
	char			 title[128];

	if (priv_pick(t, s, "requested") == NULL)
		return TUI_HANDLED;
	memset(f, 0, sizeof f);
	f[0].label = N_("Why not");
	f[0].check = tui_check_reason;
	snprintf(title, sizeof title, _("Reject request %s"), s->chosen);
	tui_form(t, title, f, 1, priv_reject_done, s);
	return TUI_REDRAW;
}

static int
priv_end_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct privscreen	*s = arg;
	struct store_args	 a = { 0 };

	store_args_add(&a, "request", s->chosen);
	store_args_add(&a, "reason", f[0].value);
	if (tui_run_action(t, "priv.end", &a, NULL) == 0 &&
	    t->outbox_failed == 0)
		tui_status(t, 0, _("Request %s ended: the ID is locked again."),
		    s->chosen);
	return 1;
}

static int
priv_end(struct tui *t, void *arg)
{
	struct privscreen	*s = arg;
	struct tui_field	 f[1];
	char			 title[128];

	if (priv_pick(t, s, "active") == NULL)
		return TUI_HANDLED;
	memset(f, 0, sizeof f);
	f[0].label = N_("Reason");
	f[0].check = tui_check_reason;
	snprintf(f[0].value, sizeof f[0].value, "%s", _("work done"));
	snprintf(title, sizeof title, _("End request %s now"), s->chosen);
	tui_form(t, title, f, 1, priv_end_done, s);
	return TUI_REDRAW;
}

static int
check_minutes(const char *v, char *err, size_t len)
{
	long long	 n;
	const char	*errstr;

	if (number_parse(v, 1, 10080, &n, &errstr) != 0) {
		snprintf(err, len, "%s", _("Minutes, 1 to the policy's cap."));
		return -1;
	}
	return 0;
}

static int
check_login(const char *v, char *err, size_t len)
{
	if (!core_login_name_ok(v)) {
		snprintf(err, len, "%s", _("A login name on that system."));
		return -1;
	}
	return 0;
}

static int
priv_new_done(struct tui *t, struct tui_field *f, void *arg)
{
	struct store_args	 a = { 0 };

	(void)arg;
	store_args_add(&a, "system", f[0].value);
	store_args_add(&a, "login", f[1].value);
	store_args_add(&a, "minutes", f[2].value);
	store_args_add(&a, "reason", f[3].value);
	if (tui_run_action(t, "priv.request", &a, NULL) == 0)
		tui_status(t, 0, _("Request %llu waits for an approver: Enter "
		    "on it, and the approver logs in here."),
		    (unsigned long long)t->last_index);
	return 1;
}

static int
priv_new(struct tui *t, void *arg)
{
	struct tui_field	 f[4];

	memset(f, 0, sizeof f);
	f[0].label = N_("System");
	f[0].pick = "system";
	f[0].required = 1;
	f[1].label = N_("Privileged ID");
	f[1].check = check_login;
	f[2].label = N_("Minutes");
	f[2].check = check_minutes;
	snprintf(f[2].value, sizeof f[2].value, "60");
	f[3].label = N_("Reason");
	f[3].check = tui_check_reason;
	tui_form(t, _("Ask for a privileged ID"), f, 4, priv_new_done, arg);
	return TUI_REDRAW;
}

/* Holders in detail: each ID, its holder, staff or contractor. */
static int
priv_holders(struct tui *t, void *arg)
{
	struct privscreen	*s = arg;
	struct tui_line		*v = NULL;
	size_t			 n = 0, i;
	const char		*sys = "";

	for (i = 0; i < s->nh; i++) {
		if (strcmp(s->h[i].system, sys) != 0) {
			sys = s->h[i].system;
			tui_lines_add(&v, &n, s->h[i].over ? TUI_LINE_ALERT :
			    TUI_LINE_HEAD, _("%s: %lld in use, at most %d%s"),
			    sys, (long long)s->h[i].in_use, s->h[i].max,
			    s->h[i].over ? _(" -- OVER THE MAXIMUM") : "");
		}
		tui_lines_add(&v, &n, TUI_LINE_PLAIN, "  %-16s %-9s %-9s %s "
		    "%s (%s)", s->h[i].login, _(s->h[i].state), s->h[i].mode,
		    s->h[i].owner, s->h[i].owner_name, s->h[i].owner[0] == '\0' ?
		    _("no holder") : s->h[i].contractor ? _("contractor") :
		    _("staff"));
	}
	if (n == 0)
		tui_lines_add(&v, &n, TUI_LINE_PLAIN, "%s",
		    _("No privileged IDs."));
	tui_lines(t, _("Holders of privileged IDs"), NULL, v, n);
	return TUI_REDRAW;
}

#define PRIV_DECIDE	(CORE_ROLE_ADMIN | CORE_ROLE_APPROVER)

static const struct tui_binding priv_keys[] = {
	{ TUI_OPEN, N_("Approve"), "priv.approve", PRIV_DECIDE,
	    priv_approve },
	{ 'a', 0, NULL, N_("Approve"), "priv.approve", PRIV_DECIDE,
	    priv_approve },
	{ 'r', 0, "r", N_("Reject"), "priv.reject", PRIV_DECIDE, priv_reject },
	{ 'e', 0, "e", N_("End now"), "priv.end", PRIV_DECIDE, priv_end },
	{ 'n', 0, "n", N_("Request"), "priv.request", CORE_ROLE_ADMIN,
	    priv_new },
	{ 'h', 0, "h", N_("Holders"), NULL, 0, priv_holders },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_privileged = {
	.name = "privileged",
	.title = N_("Privileged"),
	.keys = priv_keys,
	.open = priv_open,
	.close = priv_close,
	.draw = priv_draw,
	.key = priv_key,
};
