/*
 * cmd-init.c -- init, seed-demo and rotate: the commands that start a
 * ledger or act as the system on it.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "cli.h"

/* Whether dir is absent or an empty directory. */
static int
dir_is_new(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	int		 empty = 1;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			empty = 0;
	}
	closedir(d);
	return empty;
}

static void
print_qr(const char *vkey)
{
	char	**lines, **l;
	int	 utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;

	if ((lines = core_qr_lines(vkey, utf8)) == NULL)
		return;
	for (l = lines; *l != NULL; l++)
		printf("    %s\n", *l);
	core_qr_free(lines);
}

int
cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "operator", required_argument, NULL, 'o' },
		{ "askpass-fd", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct store		*s;
	char			*cause = NULL, *vkey = NULL;
	const char		*dir, *op = NULL;
	int			 ch, fd = -1;

	while ((ch = getopt_long(argc, argv, "d:o:f:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			cli_set_dir(optarg);
			break;
		case 'o':
			op = optarg;
			break;
		case 'f':
			if (cli_askpass_fd(optarg, &fd) != 0)
				return CLI_ERROR;
			break;
		default:
			return cli_usage("init");
		}
	}
	if (optind != argc)
		return cli_usage("init");
	dir = cli_dir();
	if (!dir_is_new(dir)) {
		cli_error(_("%s: already exists and is not empty; init makes a "
		    "new data directory"), dir);
		return CLI_ERROR;
	}
	if (op != NULL && cli_init_authenticate(op, fd) != 0)
		return CLI_ERROR;
	if ((s = core_init(dir, &vkey, &cause)) == NULL) {
		cli_error("init: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (op != NULL && cli_init_operator(s, op) != 0) {
		store_close(s);
		free(vkey);
		return CLI_ERROR;
	}
	store_close(s);

	printf(_("Initialised %s\n"), dir);
	if (op != NULL)
		printf(_("%s is its first admin.\n"), op);
	printf("\n");
	printf(_("Root verifier key; write it down or print it and keep it "
	    "apart from this machine:\n\n    %s\n\n"), vkey);
	print_qr(vkey);
	printf(_("\nVerify the ledger against it at any time with:\n"
	    "    daicho verify --dir %s --root-key '%s'\n"), dir, vkey);
	free(vkey);
	return CLI_OK;
}

int
cmd_seed_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "people", required_argument, NULL, 'p' },
		{ "no-ids", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct core_counts c;
	struct store	*s;
	char		*cause = NULL;
	long long	 people = 200;
	int		 ch, ids = 1;

	while ((ch = getopt_long(argc, argv, "d:p:n", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			cli_set_dir(optarg);
			break;
		case 'p':
			if (cli_number("--people", optarg, 0, 1000000,
			    &people) != 0)
				return CLI_ERROR;
			break;
		case 'n':
			ids = 0;
			break;
		default:
			return cli_usage("seed-demo");
		}
	}
	if (optind != argc)
		return cli_usage("seed-demo");
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL ||
	    core_seed_demo(s, (unsigned)people, &cause) != 0 ||
	    (ids && core_seed_demo_ids(s, &cause) != 0)) {
		cli_error("seed-demo: %s", cause);
		free(cause);
		store_close(s);
		return CLI_ERROR;
	}
	if (core_counts(s, &c, &cause) != 0) {
		cli_error("seed-demo: %s", cause);
		free(cause);
		store_close(s);
		return CLI_ERROR;
	}
	store_close(s);
	printf(_("Seeded %s: operators %s, %s, %s; %lld people, %lld systems, "
	    "%lld IDs\n"), cli_dir(), CORE_DEMO_ADMIN, CORE_DEMO_APPROVER,
	    CORE_DEMO_AUDITOR, people, (long long)c.systems, (long long)c.ids);
	return CLI_OK;
}

int
cmd_rotate(int argc, char **argv)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct store		*s;
	char			*cause = NULL, *vkey;
	uint64_t		 epoch;

	if (cli_dir_opts(argc, argv, "rotate") != 0)
		return CLI_ERROR;
	if (optind != argc)
		return cli_usage("rotate");
	if ((s = store_open(cli_dir(), 0, &cause)) == NULL ||
	    core_rotate(s, &sys, &cause) != 0 ||
	    store_epoch_current(s, &epoch, &cause) != 0) {
		cli_error("rotate: %s", cause);
		free(cause);
		store_close(s);
		return CLI_ERROR;
	}
	vkey = store_epoch_vkey(s);
	printf("epoch %llu %s\n", (unsigned long long)epoch, vkey);
	free(vkey);
	store_close(s);
	return CLI_OK;
}
