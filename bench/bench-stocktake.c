/*
 * bench-stocktake.c -- stocktake.start on a synthetic city, timed in
 * process.
 *
 *	bench-stocktake DIR
 *
 * DIR is a city made by "mkcity manual" (600,000 IDs in bench/run).  The
 * demo admin starts a stocktake of every ID, as "daicho stocktake start"
 * runs it after authenticating: the findings, the snapshot of each ID
 * made, kept as a blob, and the items applied from it, in one
 * transaction.  Prints "name value" lines: stocktake.items,
 * stocktake.start_s, stocktake.snapshot_mb.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "common.h"
#include "store.h"
#include "core.h"

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static DAICHO_NORETURN void
die(const char *what, char *cause)
{
	fprintf(stderr, "bench-stocktake: %s: %s\n", what, cause);
	free(cause);
	exit(1);
}

int
main(int argc, char **argv)
{
	struct core_actor	 admin = { CORE_DEMO_ADMIN, NULL };
	struct core_config	 cfg;
	struct core_stocktake	 c;
	struct store_args	 a = { 0 };
	struct store		*s;
	char			*cause = NULL, deadline[11];
	uint64_t		 idx;
	time_t			 t = time(NULL) + 30 * 86400;
	struct tm		 tm;
	double			 t0, t1;

	xmalloc_init();
	if (argc != 2) {
		fprintf(stderr, "usage: bench-stocktake DIR\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	core_config_defaults(&cfg);
	core_stocktake_config(&cfg);
	core_config_free(&cfg);
	if ((s = store_open(argv[1], 0, &cause)) == NULL)
		die(argv[1], cause);
	localtime_r(&t, &tm);
	strftime(deadline, sizeof deadline, "%Y-%m-%d", &tm);
	store_args_add(&a, "scope", "all");
	store_args_add(&a, "deadline", deadline);
	store_args_add(&a, "title", "bench");
	t0 = now();
	if (core_run(s, "stocktake.start", &admin, &a, &idx, &cause) != 0)
		die("stocktake.start", cause);
	t1 = now();
	if (core_stocktake_get(s, idx, &c, &cause) != 0)
		die("stocktake", cause != NULL ? cause : xstrdup("none"));
	printf("stocktake.items %lld\n", (long long)c.items);
	printf("stocktake.start_s %.3f\n", t1 - t0);
	store_close(s);
	return 0;
}
