/*
 * bench-report.c -- seal the annual self-inspection report of a city, as
 * "daicho report inspection" does after authenticating its two people,
 * timed in process.
 *
 *	bench-report DIR FY [ROTATIONS]
 *
 * DIR is a data directory with the demo operators (mkcity's).  With
 * ROTATIONS, that many epoch keys are started first (ledger.rotate, each
 * in its transaction, as the hourly rotation does), so the package's key
 * chain has as many links.  The ledger is verified (the report's appendix), report.inspection runs as
 * the demo admin with the demo approver, and the package is gathered
 * (the proofs of the sealing entry and of the key chain, against the
 * latest checkpoint).  Prints "name value" lines: report.verify_ledger_s,
 * report.seal_s, report.package_s, report.entries, report.chain.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	fprintf(stderr, "bench-report: %s: %s\n", what, cause);
	free(cause);
	exit(1);
}

static void
rotate(struct store *s, int n)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	char			*cause = NULL;
	int			 i;

	for (i = 0; i < n; i++) {
		if (core_rotate(s, &sys, &cause) != 0)
			die("ledger.rotate", cause);
	}
}

int
main(int argc, char **argv)
{
	struct core_actor		 who = { CORE_DEMO_ADMIN,
	    CORE_DEMO_APPROVER };
	struct store_verify_opts	 vo;
	struct store_verify_result	 vr;
	struct core_report_pkg		 p;
	struct store			*s;
	char				*cause = NULL;
	uint64_t			 idx;
	double				 t0, t1, t2, t3;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: bench-report DIR FY [ROTATIONS]\n");
		return 2;
	}
	if ((s = store_open(argv[1], 0, &cause)) == NULL)
		die(argv[1], cause);
	rotate(s, argc == 4 ? atoi(argv[3]) : 0);
	memset(&vo, 0, sizeof vo);
	t0 = now();
	if (store_verify(s, &vo, &vr, &cause) == -1)
		die("verify", cause);
	t1 = now();
	if (core_inspection_seal(s, &who, atoi(argv[2]), &vr, &idx,
	    &cause) != 0)
		die("report.inspection", cause);
	t2 = now();
	if (core_report_package(s, "inspection", argv[2], &p, &cause) != 0)
		die("package", cause);
	t3 = now();
	printf("report.verify_ledger_s %.3f\nreport.seal_s %.3f\n"
	    "report.package_s %.3f\nreport.entries %llu\nreport.chain %zu\n",
	    t1 - t0, t2 - t1, t3 - t2, (unsigned long long)vr.entries,
	    p.nchain);
	core_report_package_free(&p);
	store_verify_result_free(&vr);
	store_close(s);
	return 0;
}
