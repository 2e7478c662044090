/*
 * demo.c -- a synthetic city through the normal actions.
 *
 * seed-demo is for the demo, the tests and the benchmarks: it makes the
 * three demo operators and n people, each as an ordinary ledger entry
 * run by the demo admin, so the demo's ledger verifies and replays like
 * any other.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "core-int.h"

#define DEMO_SEED	20261121
#define DEMO_BATCH	500		/* people per transaction */

static int
demo_operator(struct store *s, const struct core_actor *who,
    const char *name, const char *role, char **cause)
{
	struct store_args	 a = { 0 };

	store_args_add(&a, "name", name);
	store_args_add(&a, "role", role);
	return core_run(s, "operator.add", who, &a, NULL, cause);
}

static int
demo_person(struct store *s, const struct core_actor *who, uint64_t i,
    char **cause)
{
	struct core_synth_person p;
	struct store_args	 a = { 0 };

	core_synth_person(DEMO_SEED, i, &p);
	core_synth_args(&p, &a);
	return core_run(s, "person.add", who, &a, NULL, cause);
}

int
core_seed_demo(struct store *s, unsigned people, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct core_actor	 admin = { CORE_DEMO_ADMIN, NULL };
	struct core_actor	 pair = { CORE_DEMO_ADMIN, CORE_DEMO_APPROVER };
	uint64_t		 size;
	unsigned		 i;

	if (store_ledger_size(s, &size, cause) != 0)
		return -1;
	if (size != 1) {
		xasprintf(cause, "the ledger already holds %llu "
		    "entries; it fills only a freshly initialised directory",
		    (unsigned long long)size);
		return -1;
	}
	/* The first admin by the system, the first approver by that admin. */
	if (demo_operator(s, &sys, CORE_DEMO_ADMIN, "admin", cause) != 0 ||
	    demo_operator(s, &admin, CORE_DEMO_APPROVER, "approver",
	    cause) != 0 ||
	    demo_operator(s, &pair, CORE_DEMO_AUDITOR, "auditor", cause) != 0)
		return -1;
	for (i = 0; i < people; i++) {
		if (i % DEMO_BATCH == 0 && core_begin(s, cause) != 0)
			return -1;
		if (demo_person(s, &admin, i, cause) != 0) {
			core_rollback(s);
			return -1;
		}
		if ((i + 1) % DEMO_BATCH == 0 || i + 1 == people) {
			if (core_commit(s, cause) != 0)
				return -1;
		}
	}
	return 0;
}
