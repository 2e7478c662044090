/*
 * cmd-export.c -- daicho export people|ids FILE: a bulk export of
 * personal data, two-person and recorded (core/export.c).
 *
 * Everything that costs nothing is checked before anyone is asked for a
 * password: the words, --approver given, FILE's directory there and FILE
 * not.  Then the operator (an admin) and the approver authenticate, and
 * core_export writes the file and the data.export entry.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "cli.h"

struct export_opts {
	struct core_export	 req;
	int			 format;	/* given */
	struct cli_who		 w;
};

static int
export_format(const char *arg, struct export_opts *o)
{
	if (strcmp(arg, "csv") != 0 && strcmp(arg, "tsv") != 0) {
		cli_error(_("export: --format %s: csv or tsv"), arg);
		return -1;
	}
	o->req.tsv = strcmp(arg, "tsv") == 0;
	o->format = 1;
	return 0;
}

static int
export_encoding(const char *arg, struct export_opts *o)
{
	if (csv_encoding_parse(arg, &o->req.enc) != 0 ||
	    o->req.enc == CSV_AUTO) {
		cli_error(_("export: --encoding %s: utf-8 or cp932"), arg);
		return -1;
	}
	return 0;
}

/* 0, or -1 after saying why (usage). */
static int
export_parse(int argc, char **argv, struct export_opts *o)
{
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ "format", required_argument, NULL, 'F' },
		{ "encoding", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch, r;

	memset(o, 0, sizeof *o);
	o->w.askpass = -1;
	o->req.enc = CSV_UTF8;
	while ((ch = getopt_long(argc, argv, "d:u:a:f:F:e:", opts,
	    NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &o->w)) == -1)
			return -1;
		if (r == 1)
			continue;
		if (ch == 'F' && export_format(optarg, o) == 0)
			continue;
		if (ch == 'e' && export_encoding(optarg, o) == 0)
			continue;
		if (ch != 'F' && ch != 'e')
			cli_usage("export");
		return -1;
	}
	if (argc - optind != 2 || (strcmp(argv[optind], "people") != 0 &&
	    strcmp(argv[optind], "ids") != 0) || !o->format ||
	    o->w.user == NULL) {
		cli_usage("export");
		return -1;
	}
	if (o->w.approver == NULL) {
		cli_error(_("export: a bulk export of personal data is "
		    "two-person: --approver NAME"));
		return -1;
	}
	o->req.what = strcmp(argv[optind], "people") == 0 ?
	    CORE_EXPORT_PEOPLE : CORE_EXPORT_IDS;
	o->req.path = argv[optind + 1];
	return 0;
}

static void
export_done(const struct export_opts *o, const struct core_export_result *r)
{
	if (o->req.what == CORE_EXPORT_PEOPLE)
		cli_line(ngettext("%s: %zu person, %zu bytes, %s in %s",
		    "%s: %zu people, %zu bytes, %s in %s", PLURAL(r->rows)),
		    r->path, r->rows, r->bytes, o->req.tsv ? "tsv" : "csv",
		    csv_encoding_name(o->req.enc));
	else
		cli_line(ngettext("%s: %zu ID, %zu bytes, %s in %s",
		    "%s: %zu IDs, %zu bytes, %s in %s", PLURAL(r->rows)),
		    r->path, r->rows, r->bytes, o->req.tsv ? "tsv" : "csv",
		    csv_encoding_name(o->req.enc));
	cli_line("sha256 %s", r->sha256);
	cli_line(_("%s: entry %llu"), "data.export",
	    (unsigned long long)r->entry);
}

int
cmd_export(int argc, char **argv)
{
	struct export_opts		 o;
	struct core_config		 cfg;
	struct core_actor		 actor = { NULL, NULL };
	struct core_export_result	 res;
	struct store			*s;
	char				*cause = NULL;
	int				 ret = CLI_ERROR;

	if (export_parse(argc, argv, &o) != 0)
		return CLI_ERROR;
	if (core_export_check(o.req.path, &cause) != 0) {
		cli_error("export: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (core_config_load(cli_config(), 0, &cfg, &cause) != 0) {
		cli_error("export: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("export: %s", cause);
		free(cause);
		core_config_free(&cfg);
		return CLI_ERROR;
	}
	if (cli_auth_user(s, o.w.user, o.w.askpass, CORE_ROLE_ADMIN,
	    "export") != 0 || cli_auth_approver(s, "data.export", &o.w,
	    &actor.approver) != 0)
		goto out;
	actor.operator = o.w.user;
	if (core_export(s, &cfg, &o.req, &actor, &res, &cause) != 0) {
		cli_error("export: %s", cause);
		free(cause);
		if (res.unplaced)
			cli_error(_("export: entry %llu records the export, but "
			    "no file was left"), (unsigned long long)res.entry);
		else
			cli_error(_("export: nothing was written"));
		core_export_result_free(&res);
		goto out;
	}
	export_done(&o, &res);
	core_export_result_free(&res);
	ret = CLI_OK;
out:
	store_close(s);
	core_config_free(&cfg);
	return ret;
}
