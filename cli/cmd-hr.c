/*
 * cmd-hr.c -- the personnel records: daicho import personnel (the HR
 * system's export) and daicho events (the joiners, movers and leavers the
 * imports found).
 *
 * An import is checked whole before anything is written: every error is
 * printed as FILE:LINE:COLUMN: message (physical lines, so an editor
 * jumps to it), then "N rows valid, M errors"; any error and the exit
 * status is 1 with nothing written.  A valid export is compared with the
 * records and the changes summarised; --dry-run stops there.  An import
 * whose leavers own more IDs than the threshold needs --approver.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "cli.h"

struct import_opts {
	const char		*file;
	enum csv_encoding	 enc;
	const char		*as_of;
	int			 dry_run;
	struct cli_who		 w;
};

static int
import_parse(int argc, char **argv, struct import_opts *o)
{
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ "encoding", required_argument, NULL, 'e' },
		{ "as-of", required_argument, NULL, 'o' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch, r;

	memset(o, 0, sizeof *o);
	o->w.askpass = -1;
	o->enc = CSV_AUTO;
	while ((ch = getopt_long(argc, argv, "d:u:a:f:e:o:n", opts,
	    NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &o->w)) == -1)
			return -1;
		if (r == 1)
			continue;
		switch (ch) {
		case 'e':
			if (csv_encoding_parse(optarg, &o->enc) != 0) {
				cli_error(_("import: --encoding %s: auto, cp932 "
				    "or utf-8"), optarg);
				return -1;
			}
			break;
		case 'o':
			o->as_of = optarg;
			break;
		case 'n':
			o->dry_run = 1;
			break;
		default:
			cli_usage("import");
			return -1;
		}
	}
	if (argc - optind != 2 || strcmp(argv[optind], "personnel") != 0 ||
	    o->w.user == NULL) {
		cli_usage("import");
		return -1;
	}
	o->file = argv[optind + 1];
	return 0;
}

static void
import_diag(void *arg, const char *line)
{
	(void)arg;
	cli_diag("%s", line);
}

/* core's "new", "changed", "missing" in the reader's words. */
static const char *
import_what(const char *what)
{
	if (strcmp(what, "new") == 0)
		return _("new");
	if (strcmp(what, "changed") == 0)
		return _("changed");
	if (strcmp(what, "missing") == 0)
		return _("missing");
	return what;
}

static void
import_change(void *arg, const struct core_hr_change *ch)
{
	const char	*what = import_what(ch->what);
	char		 detail[480];
	size_t		 i;

	(void)arg;
	/* The event kinds stay as events --format tsv names them. */
	if (ch->nev == 0)
		cli_line("%-*s %s %s", cli_pad(what, 8), what,
		    ch->employee_no, ch->name);
	for (i = 0; i < ch->nev; i++) {
		core_hr_detail_shown(ch->ev[i].detail, detail, sizeof detail);
		cli_line("%-*s %s %s: %s %s, %s", cli_pad(what, 8), what,
		    ch->employee_no, ch->name,
		    core_hr_event_kinds[ch->ev[i].kind], ch->ev[i].effective,
		    detail);
	}
}

static void
import_summary(const struct core_hr *hr, const struct import_opts *o,
    const struct core_config *cfg)
{
	const struct core_hr_summary *sum = core_hr_summary(hr);

	cli_line(_("%s: read as %s%s, as of %s"), o->file,
	    core_hr_encoding(hr), o->enc == CSV_AUTO ? _(" (detected)") : "",
	    o->as_of != NULL ? o->as_of : _("today"));
	if (sum->baseline)
		cli_line(_("the first import: it makes the records, and no "
		    "events"));
	cli_line(_("%zu new, %zu changed, %zu unchanged, %zu missing from the "
	    "export"), sum->added, sum->updated, sum->unchanged, sum->missing);
	cli_line(_("events: %zu joiners, %zu movers, %zu leavers, %zu leaves, "
	    "%zu returns"), sum->events[0], sum->events[1], sum->events[2],
	    sum->events[3], sum->events[4]);
	cli_line(_("it takes away %lld of %lld live IDs (leavers' and movers' "
	    "old posts'; threshold: more than %d, or %d%%)%s"),
	    (long long)sum->locks, (long long)sum->live,
	    cfg->hr_threshold_count, cfg->hr_threshold_percent,
	    sum->approval ? _(": a second person must confirm") : "");
}

/* Read, check and compare; 0, or a CLI_ status after saying why. */
static int
import_check(struct store *s, const struct import_opts *o,
    const struct core_config *cfg, struct core_hr **out)
{
	struct core_hr	*hr;
	char		*cause = NULL;
	size_t		 valid, errors;
	int		 fd;

	*out = NULL;
	if ((fd = open(o->file, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) == -1) {
		cli_error("import: %s: %s", o->file, strerror(errno));
		return CLI_BAD;
	}
	hr = core_hr_read(fd, o->file, o->enc, o->as_of, cfg, &cause);
	close(fd);
	if (hr == NULL) {
		cli_error("import: %s", cause);
		free(cause);
		return CLI_BAD;
	}
	core_hr_errors(hr, import_diag, NULL);
	core_hr_counts(hr, &valid, &errors);
	cli_line(_("%zu rows valid, %zu errors"), valid, errors);
	if (errors != 0) {
		cli_line(_("nothing was written"));
		core_hr_free(hr);
		return CLI_BAD;
	}
	if (core_hr_compare(s, hr, o->dry_run ? import_change : NULL, NULL,
	    &cause) != 0) {
		cli_error("import: %s", cause);
		free(cause);
		core_hr_free(hr);
		return CLI_ERROR;
	}
	*out = hr;
	return 0;
}

int
cmd_import(int argc, char **argv)
{
	struct import_opts	 o;
	struct core_config	 cfg;
	struct core_actor	 actor = { NULL, NULL };
	const struct core_hr_summary *sum;
	struct core_hr		*hr = NULL;
	struct store		*s;
	char			*cause = NULL;
	uint64_t		 idx;
	int			 ret = CLI_ERROR;

	if (import_parse(argc, argv, &o) != 0)
		return CLI_ERROR;
	if (core_config_load(cli_config(), 0, &cfg, &cause) != 0) {
		cli_error("import: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("import: %s", cause);
		free(cause);
		core_config_free(&cfg);
		return CLI_ERROR;
	}
	if (cli_auth_user(s, o.w.user, o.w.askpass, CORE_ROLE_ADMIN,
	    "import personnel") != 0)
		goto out;
	if ((ret = import_check(s, &o, &cfg, &hr)) != 0)
		goto out;
	ret = CLI_ERROR;
	sum = core_hr_summary(hr);
	import_summary(hr, &o, &cfg);
	if (sum->same_file != 0 && sum->added + sum->updated +
	    sum->missing == 0) {
		cli_line(_("nothing to change: this file was imported as entry "
		    "%llu"), (unsigned long long)sum->same_file);
		ret = CLI_OK;
		goto out;
	}
	if (o.dry_run) {
		cli_line(_("dry run: nothing was written"));
		ret = CLI_OK;
		goto out;
	}
	if (sum->approval && o.w.approver == NULL) {
		cli_error(_("import: this import takes away %lld IDs, over the "
		    "threshold: a second person with the approver role must "
		    "confirm it (--approver NAME)"),
		    (long long)sum->locks);
		ret = CLI_BAD;
		goto out;
	}
	actor.operator = o.w.user;
	if (o.w.approver != NULL && cli_auth_approver(s, "hr.import", &o.w,
	    &actor.approver) != 0)
		goto out;
	if (core_hr_import(s, hr, &actor, &idx, &cause) != 0) {
		cli_error("import: %s", cause);
		free(cause);
		goto out;
	}
	cli_line(_("%s: entry %llu"), "hr.import", (unsigned long long)idx);
	ret = CLI_OK;
out:
	core_hr_free(hr);
	store_close(s);
	core_config_free(&cfg);
	return ret;
}

static void
events_print(void *arg, const struct core_hr_eventrow *e)
{
	const char	*row[5];

	if (!*(int *)arg) {
		cli_line("%-10s %-6s %-9s %s %s: %s", e->effective,
		    core_hr_event_kinds[e->kind], e->state, e->employee_no,
		    e->name, e->shown);
		return;
	}
	row[0] = core_hr_event_kinds[e->kind];
	row[1] = e->employee_no;
	row[2] = e->effective;
	row[3] = e->detail;
	row[4] = e->state;
	cli_row(row, 5);
}

static void
events_plan_print(const struct core_hr_plan *p)
{
	size_t	 i;

	cli_line(_("event %lld: %s %s on %s (%s), %zu steps"), (long long)p->event,
	    core_hr_event_kinds[p->kind], p->employee_no, p->effective,
	    p->state, p->n);
	for (i = 0; i < p->n; i++)
		cli_line("  %zu. %s", i + 1, p->steps[i]->what);
}

/* daicho events plan N / apply N: one event's plan, shown or done. */
static int
events_one(int argc, char **argv)
{
	struct core_hr_plan	 p;
	struct core_actor	 actor = { NULL, NULL };
	struct cli_who		 w;
	struct store		*s;
	char			*cause = NULL;
	long long		 id;
	size_t			 steps;
	int			 apply, ch, r, ret = CLI_ERROR;
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};

	memset(&w, 0, sizeof w);
	w.askpass = -1;
	while ((ch = getopt_long(argc, argv, "d:u:a:f:", opts, NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &w)) == -1)
			return CLI_ERROR;
		if (r == 0)
			return cli_usage("events");
	}
	if (argc - optind != 2 || cli_number("event", argv[optind + 1], 1,
	    INT64_MAX, &id) != 0)
		return cli_usage("events");
	apply = strcmp(argv[optind], "apply") == 0;
	if (!apply && strcmp(argv[optind], "plan") != 0)
		return cli_usage("events");
	if (apply && w.user == NULL)
		return cli_usage("events");
	if ((s = store_open(cli_dir(), apply ? 0 : STORE_READONLY,
	    &cause)) == NULL) {
		cli_error("events: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (!apply) {
		if (core_hr_plan(s, id, &p, &cause) != 0)
			goto fail;
		events_plan_print(&p);
		core_hr_plan_free(&p);
		ret = CLI_OK;
		goto out;
	}
	if (cli_auth_user(s, w.user, w.askpass, CORE_ROLE_ADMIN,
	    "events apply") != 0)
		goto out;
	actor.operator = w.user;
	if (w.approver != NULL && cli_auth_approver(s, "hr.apply", &w,
	    &actor.approver) != 0)
		goto out;
	if (core_hr_apply(s, &actor, id, &steps, &cause) != 0)
		goto fail;
	cli_line(_("event %lld applied: %zu steps"), id, steps);
	ret = cli_outbox(s, 0) == 0 ? CLI_OK : CLI_BAD;
	goto out;
fail:
	cli_error("events: %s", cause);
	free(cause);
out:
	store_close(s);
	return ret;
}

int
cmd_events(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct store	*s;
	char		*cause = NULL;
	int		 ch, tsv = 0, r, i;

	/* "plan N" and "apply N" are events_one's, wherever the options are. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "plan") == 0 || strcmp(argv[i], "apply") == 0)
			return events_one(argc, argv);
		if (strcmp(argv[i], "--dir") == 0 || strcmp(argv[i], "--format")
		    == 0)
			i++;
	}
	while ((ch = getopt_long(argc, argv, "d:F:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			cli_set_dir(optarg);
			break;
		case 'F':
			if (strcmp(optarg, "text") == 0)
				tsv = 0;
			else if (strcmp(optarg, "tsv") == 0)
				tsv = 1;
			else
				return cli_usage("events");
			break;
		default:
			return cli_usage("events");
		}
	}
	if (optind != argc && !(optind + 1 == argc &&
	    strcmp(argv[optind], "list") == 0))
		return cli_usage("events");
	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("events: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (tsv) {
		static const char *const head[] = { "kind", "employee_no",
		    "effective", "detail", "state" };

		cli_row(head, 5);
	}
	r = core_hr_events(s, events_print, &tsv, &cause);
	store_close(s);
	if (r != 0) {
		cli_error("events: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	return CLI_OK;
}
