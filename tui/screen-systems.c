/*
 * screen-systems.c -- the systems IDs live on: their type and security
 * class, how many IDs each holds, the target operations waiting or
 * failed; adding one (two-person: its configuration decides where
 * daicho's changes go); and reconciliation, which lists every account the
 * system has that the ledger does not know, or in another state, each
 * with its remedy.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

struct systems {
	struct tui_listscreen	 ls;		/* first: the list screen */
	struct core_system	*v;
	size_t			 n;
};

static const struct tui_list_col system_cols[] = {
	{ .title = N_("System"), .width = 16, .min = 10, .prio = 6 },
	{ .title = N_("Type"), .width = 7, .min = 6, .prio = 4 },
	{ .title = N_("C/I/A"), .width = 6, .min = 5, .prio = 5 },
	{ .title = N_("IDs"), .width = 6, .right = 1, .min = 5, .prio = 5 },
	{ .title = N_("Locked"), .width = 7, .right = 1, .min = 6, .prio = 5 },
	{ .title = N_("Waiting"), .width = 8, .right = 1, .min = 7, .prio = 4 },
	{ .title = N_("Failed"), .width = 7, .right = 1, .min = 6, .prio = 5 },
	{ .title = N_("Title"), .width = 30, .min = 12, .prio = 3, .share = 1 },
};
#define SYSTEM_NCOLS	(int)(sizeof system_cols / sizeof system_cols[0])

static size_t
systems_count(void *arg)
{
	return ((struct systems *)arg)->n;
}

static void
systems_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct core_system *y = &((struct systems *)arg)->v[row];

	switch (col) {
	case 0:
		snprintf(buf, len, "%s", y->name);
		break;
	case 1:
		snprintf(buf, len, "%s", y->type);
		break;
	case 2:
		snprintf(buf, len, "%d/%d/%d", y->conf, y->integ, y->avail);
		break;
	case 3:
		snprintf(buf, len, "%lld", (long long)y->ids);
		break;
	case 4:
		snprintf(buf, len, "%lld", (long long)y->locked);
		break;
	case 5:
		snprintf(buf, len, "%lld", (long long)y->pending);
		break;
	case 6:
		snprintf(buf, len, "%lld", (long long)y->failed);
		break;
	default:
		snprintf(buf, len, "%s", y->title);
		break;
	}
}

static void
systems_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct core_system *y = &((struct systems *)arg)->v[row];

	snprintf(buf, len, "%s %s %s", y->name, y->type, y->title);
}

static const struct tui_list_source systems_source = {
	.count = systems_count,
	.cell = systems_cell,
	.search = systems_search,
};

static int
systems_load(struct tui_listscreen *ls, char **cause)
{
	struct systems	*s = (struct systems *)ls;

	return core_system_list(ls->t->store, &s->v, &s->n, cause);
}

static void
systems_unload(struct tui_listscreen *ls)
{
	struct systems	*s = (struct systems *)ls;

	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static const struct tui_listscreen_ops systems_ops = {
	.size = sizeof(struct systems),
	.cols = system_cols,
	.ncols = SYSTEM_NCOLS,
	.source = &systems_source,
	.load = systems_load,
	.unload = systems_unload,
};

static void *
systems_open(struct tui *t)
{
	return tui_listscreen_open(t, &systems_ops);
}

static const struct core_system *
systems_current(struct systems *s)
{
	size_t	 row = tui_listscreen_pick(&s->ls, _("system"));

	return row == SIZE_MAX ? NULL : &s->v[row];
}

/* Reconciliation: the findings, each with its remedy, to act on. */
static int
systems_reconcile(struct tui *t, void *arg)
{
	const struct core_system *y = systems_current(arg);

	if (y == NULL)
		return TUI_HANDLED;
	tui_findings(t, y->name);
	return TUI_REDRAW;
}

static int
systems_detail(struct tui *t, void *arg)
{
	const struct core_system *y = systems_current(arg);
	char			*text;

	if (y == NULL)
		return TUI_HANDLED;
	xasprintf(&text, _("%s\n\nType %s; confidentiality %d, integrity %d, "
	    "availability %d.\nAdded at entry %llu.\n%lld live IDs, %lld of "
	    "them locked or suspended.\n%lld target operations waiting, %lld "
	    "failed.%s"), y->title, y->type, y->conf, y->integ, y->avail,
	    (unsigned long long)y->added, (long long)y->ids,
	    (long long)y->locked, (long long)y->pending, (long long)y->failed,
	    strcmp(y->type, "manual") == 0 ? _("\nIts changes are work "
	    "orders for a person, confirmed by a second operator.") : "");
	tui_message(t, y->name, text);
	free(text);
	return TUI_REDRAW;
}

/* Adding a system. */
enum { S_NAME, S_TYPE, S_TITLE, S_CONF, S_INTEG, S_AVAIL, S_CONFIG, S_N };

static int
check_system_name(const char *v, char *err, size_t len)
{
	if (!core_system_name_ok(v)) {
		snprintf(err, len, "%s", _("a-z 0-9 -, at most 32, not "
		    "starting with -"));
		return -1;
	}
	return 0;
}

static int
add_done(struct tui *t, struct tui_field *f, void *arg)
{
	static const char *const names[S_N] = {
		"name", "type", "title", "conf", "integ", "avail", "config",
	};
	struct store_args	 a = { 0 };
	char			*p, config[sizeof f[0].value];
	int			 i;

	(void)arg;
	/* One line in the form; key=value lines in the configuration. */
	snprintf(config, sizeof config, "%s", f[S_CONFIG].value);
	for (p = config; (p = strchr(p, ';')) != NULL; p++)
		*p = '\n';
	for (i = 0; i < S_N; i++) {
		if (f[i].value[0] != '\0')
			store_args_add(&a, names[i], i == S_CONFIG ? config :
			    f[i].value);
	}
	(void)tui_run_action(t, "system.add", &a, NULL);
	return 1;
}

static int
systems_add(struct tui *t, void *arg)
{
	struct tui_field	 f[S_N];

	memset(f, 0, sizeof f);
	f[S_NAME].label = N_("Name");
	f[S_NAME].check = check_system_name;
	f[S_TYPE].label = N_("Type");
	f[S_TYPE].choices = "unix|ldap|exec|manual";
	snprintf(f[S_TYPE].value, sizeof f[S_TYPE].value, "unix");
	f[S_TITLE].label = N_("Title");
	f[S_CONF].label = N_("Confidentiality");
	f[S_CONF].choices = "1|2|3";
	snprintf(f[S_CONF].value, sizeof f[S_CONF].value, "2");
	f[S_INTEG].label = N_("Integrity");
	f[S_INTEG].choices = "1|2";
	snprintf(f[S_INTEG].value, sizeof f[S_INTEG].value, "2");
	f[S_AVAIL].label = N_("Availability");
	f[S_AVAIL].choices = "1|2";
	snprintf(f[S_AVAIL].value, sizeof f[S_AVAIL].value, "2");
	f[S_CONFIG].label = N_("Config (k=v;k=v)");
	tui_form(t, _("Add a system"), f, S_N, add_done, arg);
	return TUI_REDRAW;
}

static const struct tui_binding systems_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, systems_detail },
	{ TUI_CHECK, N_("Reconcile"), NULL, CORE_ROLE_ADMIN |
	    CORE_ROLE_AUDITOR, systems_reconcile },
	{ TUI_NEW, N_("Add"), "system.add", CORE_ROLE_ADMIN, systems_add },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_systems = {
	.name = "systems",
	.title = N_("Systems"),
	.keys = systems_keys,
	.open = systems_open,
	.close = tui_listscreen_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
