/*
 * bench-lockout.c -- an emergency lockout through daicho, ledger included,
 * timed: lockout.unix_s and lockout.ldap_ratio (issue 4, section 7).
 *
 *	bench-lockout [--no-logs] DIR SCOPE
 *				lock every live ID of SCOPE ("system:city"
 *				on a bench/mkcity directory) as the demo
 *				admin
 *
 * What "daicho locks them" costs, as the CLI's lockout does it after the
 * operator has authenticated: open the data directory, run incident.lock
 * (one entry that records each ID's prior state and queues the locks,
 * its transaction and signed checkpoint), then core_outbox_run (one
 * batch per system through its target, then one outbox.result entry per
 * account in one transaction), and close.  The PAM conversation and the
 * process start are left out: they do not grow with the accounts.
 * The system's logs are opened as the CLI opens them (core_syslog_open):
 * the entry's syslog line and, where the kernel's audit answers, one
 * audit event per account are part of the cost; --no-logs leaves them
 * out, for the comparison bench/unix-run.sh prints.
 *
 * Fails (exit 1) unless every queued lock was applied, so a fast wrong
 * run cannot pass for a fast one.  Prints "name value" lines:
 *	lockout.ids		IDs the preview counted
 *	lockout.audit		1 if an audit event went per account
 *	lockout.open_s		store_open
 *	lockout.incident_s	incident.lock: the entry and its state
 *	lockout.outbox_s	core_outbox_run (targets and their results)
 *				and store_close
 *	lockout.total_s		all of it but the preview
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
	fprintf(stderr, "bench-lockout: %s: %s\n", what, cause);
	free(cause);
	exit(1);
}

int
main(int argc, char **argv)
{
	struct core_actor	 admin = { CORE_DEMO_ADMIN, NULL };
	struct core_outbox_stats st;
	struct store_args	 a = { 0 };
	struct store		*s;
	char			*cause = NULL;
	int64_t			 ids = 0;
	double			 t0, t1, t2, t3, t4;
	int			 logs = 1, audit = 0;

	xmalloc_init();
	if (argc > 1 && strcmp(argv[1], "--no-logs") == 0) {
		logs = 0;
		argc--;
		argv++;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: bench-lockout [--no-logs] DIR SCOPE\n");
		return 2;
	}
	if (logs)
		audit = core_syslog_open();
	else
		core_syslog_quiet(1);
	if (sodium_init() < 0)
		return 1;
	t0 = now();
	if ((s = store_open(argv[1], 0, &cause)) == NULL)
		die(argv[1], cause);
	t1 = now();
	/* The preview the operator confirms; untimed, as typing is. */
	if (core_lockout_preview(s, argv[2], &ids, &cause) != 0)
		die("preview", cause);
	store_args_add(&a, "scope", argv[2]);
	store_args_add(&a, "reason", "benchmark: synthetic incident");
	t2 = now();
	if (core_run(s, "incident.lock", &admin, &a, NULL, &cause) != 0)
		die("incident.lock", cause);
	t3 = now();
	if (core_outbox_run(s, &st, &cause) != 0)
		die("outbox", cause);
	store_close(s);
	t4 = now();

	if (st.applied != (size_t)ids || st.failed != 0) {
		fprintf(stderr, "bench-lockout: %zu applied and %zu failed of "
		    "%lld\n", st.applied, st.failed, (long long)ids);
		return 1;
	}
	printf("lockout.ids %lld\n", (long long)ids);
	printf("lockout.audit %d\n", audit);
	printf("lockout.open_s %.4f\n", t1 - t0);
	printf("lockout.incident_s %.4f\n", t3 - t2);
	printf("lockout.outbox_s %.4f\n", t4 - t3);
	printf("lockout.total_s %.4f\n", (t1 - t0) + (t4 - t2));
	return 0;
}
