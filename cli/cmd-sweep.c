/*
 * cmd-sweep.c -- daicho sweep: what time brings, done as the system (the
 * timer runs it every minute; the console runs it as it starts).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "cli.h"

static void
sweep_failed(void *arg, const char *why)
{
	(void)arg;
	cli_error("sweep: %s", why);
}

int
cmd_sweep(int argc, char **argv)
{
	struct core_config	 cfg;
	struct core_sweep	 sw;
	struct store		*s;
	char			*cause = NULL;
	int			 ret = CLI_ERROR;

	if (cli_dir_opts(argc, argv, "sweep") != 0)
		return CLI_ERROR;
	if (optind != argc)
		return cli_usage("sweep");
	if (core_config_load(cli_config(), 0, &cfg, &cause) != 0) {
		cli_error("sweep: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("sweep: %s", cause);
		free(cause);
		core_config_free(&cfg);
		return CLI_ERROR;
	}
	if (core_sweep(s, &cfg, sweep_failed, NULL, &sw, &cause) != 0) {
		cli_error("sweep: %s", cause);
		free(cause);
		goto out;
	}
	cli_line(_("sweep: %zu privileged activations ended (expired)"),
	    sw.priv_ended);
	cli_line(_("sweep: %zu exceptions expired (their period is over)"),
	    sw.exceptions_expired);
	cli_line(_("sweep: %zu IDs past their end date expired"), sw.expired);
	cli_line(_("sweep: %zu events applied (%zu ID actions), %zu leavers' "
	    "IDs revoked after the grace period"), sw.hr.events, sw.hr.steps,
	    sw.hr.revoked);
	cli_line(_("sweep: %zu temporary passwords past their deadline: %zu "
	    "changed in time, %zu locked, %zu on systems that could not be "
	    "asked"), sw.password.due, sw.password.seen, sw.password.locked,
	    sw.password.unknown);
	cli_line(_("sweep: %zu stocktakes past their deadline: %zu undecided "
	    "items given the default"), sw.stocktake.campaigns,
	    sw.stocktake.items);
	if (sw.hr.failed > 0)
		cli_line(_("sweep: %zu events could not be applied and stay "
		    "pending"), sw.hr.failed);
	ret = cli_outbox(s, 0) == 0 && sw.hr.failed == 0 ? CLI_OK : CLI_BAD;
out:
	store_close(s);
	core_config_free(&cfg);
	return ret;
}
