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
 * stocktake.start_s (and its CPU seconds, start_cpu_s), and each step's
 * seconds and CPU seconds ("stocktake.step.NAME_s S cpu C",
 * core_stocktake_step; "commit" the rest, to the end of core_run).
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

/* The process's CPU seconds: steps compared on a loaded machine. */
static double
cpu(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The steps of the start, as core_stocktake_step names them. */
static struct {
	const char	*name;
	double		 at, cpu;
} steps[16];
static size_t nsteps;

static void
step(const char *name)
{
	if (nsteps < sizeof steps / sizeof steps[0]) {
		steps[nsteps].name = name;
		steps[nsteps].cpu = cpu();
		steps[nsteps++].at = now();
	}
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
	double			 t0, t1, c0, c1;
	size_t			 i;

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
	core_stocktake_step = step;
	c0 = cpu();
	t0 = now();
	if (core_run(s, "stocktake.start", &admin, &a, &idx, &cause) != 0)
		die("stocktake.start", cause);
	t1 = now();
	c1 = cpu();
	if (core_stocktake_get(s, idx, &c, &cause) != 0)
		die("stocktake", cause != NULL ? cause : xstrdup("none"));
	printf("stocktake.items %lld\n", (long long)c.items);
	printf("stocktake.start_s %.3f\n", t1 - t0);
	printf("stocktake.start_cpu_s %.3f\n", c1 - c0);
	for (i = 0; i < nsteps; i++)
		printf("stocktake.step.%s_s %.3f cpu %.3f\n", steps[i].name,
		    steps[i].at - (i == 0 ? t0 : steps[i - 1].at),
		    steps[i].cpu - (i == 0 ? c0 : steps[i - 1].cpu));
	if (nsteps > 0)
		printf("stocktake.step.commit_s %.3f cpu %.3f\n",
		    t1 - steps[nsteps - 1].at, c1 - steps[nsteps - 1].cpu);
	store_close(s);
	return 0;
}
