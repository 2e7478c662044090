/*
 * bench-hr.c -- the HR import on a synthetic city, timed in process.
 *
 *	bench-hr DIR FILE AS_OF
 *
 * DIR is a city made by "mkcity manual" (its demo operators act), FILE an
 * export made by bench/mkhr.  The import is what "daicho import
 * personnel" does after the operator has authenticated: read the file
 * (decode, parse, check every row), compare it with the records, and
 * record it (the delta blob, the hr.import entry and its apply, the
 * checkpoint).  Then the findings against every ID.  Prints "name value"
 * lines: hr.rows, hr.changed, hr.import_s (and its parts hr.read_s,
 * hr.compare_s, hr.record_s), hr.findings, hr.findings_s, hr.total_s,
 * hr.rss_mb (peak resident memory of this process).
 */
#include "config.h"

#include <sys/resource.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	fprintf(stderr, "bench-hr: %s: %s\n", what, cause);
	free(cause);
	exit(1);
}

static void
count_finding(void *arg, const struct core_finding *f)
{
	(void)f;
	(*(int64_t *)arg)++;
}

static void
print_error(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s\n", line);
}

int
main(int argc, char **argv)
{
	struct core_actor	 pair = { CORE_DEMO_ADMIN, CORE_DEMO_APPROVER };
	struct core_config	 cfg;
	const struct core_hr_summary *sum;
	struct core_hr		*hr;
	struct store		*s;
	struct rusage		 ru;
	char			*cause = NULL;
	size_t			 valid, errors, n;
	uint64_t		 idx;
	double			 t0, t1, t2, tr, tc;
	int			 fd;
	int64_t			 findings = 0;

	xmalloc_init();
	if (argc != 4) {
		fprintf(stderr, "usage: bench-hr DIR FILE AS_OF\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	core_config_defaults(&cfg);
	if ((s = store_open(argv[1], 0, &cause)) == NULL)
		die(argv[1], cause);
	t0 = now();
	if ((fd = open(argv[2], O_RDONLY | O_CLOEXEC)) == -1) {
		perror(argv[2]);
		return 1;
	}
	if ((hr = core_hr_read(fd, argv[2], CSV_AUTO, argv[3], &cfg,
	    &cause)) == NULL)
		die(argv[2], cause);
	close(fd);
	tr = now();
	core_hr_counts(hr, &valid, &errors);
	if (errors != 0) {
		core_hr_errors(hr, print_error, NULL);
		return 1;
	}
	if (core_hr_compare(s, hr, NULL, NULL, &cause) != 0)
		die("compare", cause);
	tc = now();
	sum = core_hr_summary(hr);
	if (!sum->approval)
		pair.approver = NULL;
	if (core_hr_import(s, hr, &pair, &idx, &cause) != 0)
		die("import", cause);
	t1 = now();
	if (core_findings(s, &cfg, ~0U, count_finding, &findings, &n,
	    &cause) != 0)
		die("findings", cause);
	t2 = now();
	getrusage(RUSAGE_SELF, &ru);
	printf("hr.rows %zu\n", valid);
	printf("hr.changed %zu\n", sum->added + sum->updated);
	printf("hr.encoding %s\n", core_hr_encoding(hr));
	printf("hr.import_s %.3f\n", t1 - t0);
	printf("hr.read_s %.3f\n", tr - t0);
	printf("hr.compare_s %.3f\n", tc - tr);
	printf("hr.record_s %.3f\n", t1 - tc);
	printf("hr.findings %lld\n", (long long)findings);
	printf("hr.findings_s %.3f\n", t2 - t1);
	printf("hr.total_s %.3f\n", t2 - t0);
	printf("hr.rss_mb %.1f\n", (double)ru.ru_maxrss / 1024.0);
	printf("hr.cpu_s %.3f\n", (double)ru.ru_utime.tv_sec +
	    (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	    (double)ru.ru_stime.tv_usec / 1e6);
	core_hr_free(hr);
	store_close(s);
	core_config_free(&cfg);
	return 0;
}
