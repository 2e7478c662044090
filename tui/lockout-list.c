/*
 * lockout-list.c -- what an emergency lockout takes, shown by ID: the
 * preview before the count is typed (every ID by system; a shared ID
 * whose other users the scope does not cover marked, since the lockout
 * stops their work too; the break-glass IDs it spares), and an
 * incident's IDs with the state each had before.  core decides what is
 * in them (core_lockout_ids, core_incident_ids); this only lays them out.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

struct build {
	struct tui_line	*v;
	size_t		 n;
	char		 system[40];
	int		 department;		/* the scope is a department */
	size_t		 shared, exempt;
};

static void
system_head(struct build *b, const char *system)
{
	if (strcmp(b->system, system) == 0)
		return;
	snprintf(b->system, sizeof b->system, "%s", system);
	tui_lines_add(&b->v, &b->n, TUI_LINE_HEAD, "%s", system);
}

static void
preview_id(void *arg, const struct core_lockout_id *l)
{
	struct build	*b = arg;

	if (l->exempt) {
		b->exempt++;
		return;		/* listed after the IDs it locks */
	}
	system_head(b, l->system);
	tui_lines_add(&b->v, &b->n, TUI_LINE_PLAIN, "  %-16s %-11s %-9s %s",
	    l->login, _(l->kind), _(l->state), l->owner);
	if (l->others[0] != '\0') {
		b->shared++;
		tui_lines_add(&b->v, &b->n, TUI_LINE_ALERT, b->department ?
		    _("    ! shared with other departments: %s") :
		    _("    ! shared, also used by: %s"), l->others);
	}
}

static void
preview_exempt(void *arg, const struct core_lockout_id *l)
{
	struct build	*b = arg;

	if (l->exempt)
		tui_lines_add(&b->v, &b->n, TUI_LINE_PLAIN,
		    _("  %s on %s"), l->login, l->system);
}

int
tui_lockout_list(struct tui *t, const char *scope)
{
	struct build	 b;
	struct tui_line	*head = NULL;
	size_t		 nhead = 0, count = 0, i;
	char		*cause = NULL, title[160];

	memset(&b, 0, sizeof b);
	b.department = strncmp(scope, "department:", 11) == 0;
	if (core_lockout_ids(t->store, scope, preview_id, &b, &count,
	    &cause) != 0)
		goto fail;
	if (b.exempt > 0) {
		tui_lines_add(&b.v, &b.n, TUI_LINE_HEAD, _("Not locked "
		    "(break-glass, %zu):"), b.exempt);
		if (core_lockout_ids(t->store, scope, preview_exempt, &b,
		    &count, &cause) != 0)
			goto fail;
	}
	/* The totals first, so they are read before any scrolling. */
	tui_lines_add(&head, &nhead, TUI_LINE_PLAIN, ngettext("%zu live ID "
	    "will be locked; its state now is kept for a restore.", "%zu live "
	    "IDs will be locked; each one's state now is kept for a restore.",
	    PLURAL(count)), count);
	if (b.shared > 0)
		tui_lines_add(&head, &nhead, TUI_LINE_ALERT, _("%zu shared "
		    "with people outside the scope (marked !): their work "
		    "stops too."), b.shared);
	tui_lines_add(&head, &nhead, TUI_LINE_PLAIN, "%s", "");
	head = xreallocarray(head, nhead + b.n, sizeof *head);
	memcpy(head + nhead, b.v, b.n * sizeof *b.v);
	free(b.v);
	snprintf(title, sizeof title, _("What lockout %s takes"), scope);
	tui_lines(t, title, _("Up/Down PgUp/PgDn: scroll   Enter: close, "
	    "then type the count"), head, nhead + b.n);
	return 0;
fail:
	tui_status(t, 1, "%s", cause);
	free(cause);
	for (i = 0; i < b.n; i++)
		free(b.v[i].text);
	free(b.v);
	for (i = 0; i < nhead; i++)
		free(head[i].text);
	free(head);
	return -1;
}

static void
taken_id(void *arg, const struct core_incident_id *id)
{
	struct build	*b = arg;

	system_head(b, id->system);
	tui_lines_add(&b->v, &b->n, TUI_LINE_PLAIN, _("  %-16s was %-9s now "
	    "%-9s %s"), id->login, _(id->prior), _(id->now), id->lock[0] ==
	    '\0' ? _("no lock needed") : _(id->lock));
	if (id->error[0] != '\0')
		tui_lines_add(&b->v, &b->n, TUI_LINE_ALERT, _("    ! the lock "
		    "did not reach the system: %s"), id->error);
}

int
tui_incident_ids(struct tui *t, const struct core_incident *i)
{
	struct build	 b;
	size_t		 count = 0, k;
	char		*cause = NULL, title[64], opened[WHEN_MAX];

	memset(&b, 0, sizeof b);
	when_local_utc(i->opened, 0, opened, sizeof opened);
	tui_lines_add(&b.v, &b.n, TUI_LINE_PLAIN, _("Scope %s, opened %s."),
	    i->scope, opened);
	tui_lines_add(&b.v, &b.n, TUI_LINE_PLAIN, _("Reason: %s"), i->reason);
	tui_lines_add(&b.v, &b.n, TUI_LINE_PLAIN, _("State %s%s."),
	    _(i->state), i->restored != 0 ? _(" (restored by a later entry)") :
	    "");
	tui_lines_add(&b.v, &b.n, TUI_LINE_PLAIN, ngettext("%lld ID was taken, "
	    "with the state it had before (what a restore puts back):",
	    "%lld IDs were taken, each with the state it had before (what a "
	    "restore puts back):", PLURAL(i->accounts)),
	    (long long)i->accounts);
	if (core_incident_ids(t->store, i->idx, taken_id, &b, &count,
	    &cause) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		for (k = 0; k < b.n; k++)
			free(b.v[k].text);
		free(b.v);
		return -1;
	}
	snprintf(title, sizeof title, _("Incident %llu"),
	    (unsigned long long)i->idx);
	tui_lines(t, title, NULL, b.v, b.n);
	return 0;
}
