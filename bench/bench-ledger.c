/*
 * bench-ledger.c -- the ledger's benchmarks and the synthetic ledger
 * generator behind them.
 *
 *	bench-ledger gen DIR N		 a new ledger: init, the demo operators,
 *					 then synthetic people up to N entries
 *	bench-ledger append-batched DIR N	N person.add in one transaction
 *	bench-ledger append-txn DIR N	N person.add, one transaction each
 *	bench-ledger verify DIR		 verify, and SHA-256 of the same bytes
 *
 * Every figure goes through the real code paths (core_run, store_verify);
 * each prints "name value" lines on stdout for bench/run to judge.
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

#define GEN_SEED	4242
#define GEN_BATCH	20000

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
	fprintf(stderr, "bench-ledger: %s: %s\n", what, cause);
	free(cause);
	exit(1);
}

static unsigned long long
count_arg(const char *s)
{
	long long	 v;
	const char	*errstr;

	if (number_parse(s, 1, 100000000, &v, &errstr) != 0) {
		fprintf(stderr, "bench-ledger: count %s is %s\n", s, errstr);
		exit(2);
	}
	return (unsigned long long)v;
}

static struct store *
make_ledger(const char *dir)
{
	struct store		*s;
	char			*cause = NULL, *vkey;

	if ((s = core_init(dir, &vkey, &cause)) == NULL ||
	    core_seed_demo(s, 0, &cause) != 0)
		die(dir, cause);
	free(vkey);
	return s;
}

/* person.add number n as the demo admin. */
static void
add_person(struct store *s, uint64_t n)
{
	struct core_actor	 admin = { CORE_DEMO_ADMIN, NULL };
	struct core_synth_person p;
	struct store_args	 a = { 0 };
	char			*cause = NULL;

	core_synth_person(GEN_SEED, n, &p);
	/* Employee numbers beyond the synthetic range stay unique. */
	snprintf(p.employee_no, sizeof p.employee_no, "B%09llu",
	    (unsigned long long)n);
	core_synth_args(&p, &a);
	if (core_run(s, "person.add", &admin, &a, NULL, &cause) != 0)
		die("person.add", cause);
}

static void
run_batch(struct store *s, uint64_t from, uint64_t n)
{
	char		*cause = NULL;
	uint64_t	 i;

	if (core_begin(s, &cause) != 0)
		die("begin", cause);
	for (i = 0; i < n; i++)
		add_person(s, from + i);
	if (core_commit(s, &cause) != 0)
		die("commit", cause);
}

static int
cmd_gen(const char *dir, unsigned long long n)
{
	struct store	*s = make_ledger(dir);
	uint64_t	 size, done = 0;
	char		*cause = NULL;

	if (store_ledger_size(s, &size, &cause) != 0)
		die("size", cause);
	while (size + done < n) {
		uint64_t k = n - size - done < GEN_BATCH ?
		    n - size - done : GEN_BATCH;
		run_batch(s, done, k);
		done += k;
	}
	store_close(s);
	printf("gen.entries %llu\n", n);
	return 0;
}

static int
cmd_append(const char *dir, unsigned long long n, int batched)
{
	struct store	*s = make_ledger(dir);
	double		 t0, t;
	uint64_t	 i;

	t0 = now();
	if (batched)
		run_batch(s, 0, n);
	else {
		for (i = 0; i < n; i++)
			add_person(s, i);
	}
	t = now() - t0;
	store_close(s);
	printf("%s %.0f\n", batched ? "ledger.append_batched" :
	    "ledger.append_txn", (double)n / t);
	return 0;
}

struct blobs {
	uint8_t	**v;
	size_t	 *len;
	size_t	  n;
	size_t	  cap;
};

static int
collect(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
	struct blobs	*b = arg;

	(void)index;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		b->v = xreallocarray(b->v, b->cap, sizeof *b->v);
		b->len = xreallocarray(b->len, b->cap, sizeof *b->len);
	}
	b->v[b->n] = xmalloc(len);
	memcpy(b->v[b->n], bytes, len);
	b->len[b->n++] = len;
	return 0;
}

static int
cmd_verify(const char *dir)
{
	struct store_verify_opts	 vo = { 0 };
	struct store_verify_result	 res;
	struct store			*s;
	struct blobs			 b = { 0 };
	uint8_t				 h[crypto_hash_sha256_BYTES];
	uint8_t				 acc = 0;
	char				*cause = NULL;
	double				 t0, tv, th, best_v = 1e9, best_h = 1e9;
	size_t				 i, bytes = 0;
	int				 run;

	if ((s = store_open(dir, STORE_READONLY, &cause)) == NULL)
		die(dir, cause);
	if (store_ledger_foreach(s, collect, &b, &cause) != 0)
		die("read", cause);
	for (i = 0; i < b.n; i++)
		bytes += b.len[i];
	/* Best of three each, interleaved, so both see the same machine. */
	for (run = 0; run < 3; run++) {
		t0 = now();
		if (store_verify(s, &vo, &res, &cause) != 0)
			die("verify", cause ? cause : res.problem);
		tv = now() - t0;
		store_verify_result_free(&res);
		if (tv < best_v)
			best_v = tv;

		t0 = now();
		for (i = 0; i < b.n; i++) {
			crypto_hash_sha256(h, b.v[i], b.len[i]);
			acc ^= h[0];
		}
		th = now() - t0;
		if (th < best_h)
			best_h = th;
	}
	printf("ledger.entries %zu\n", b.n);
	printf("ledger.entry_bytes_avg %.0f\n", (double)bytes / (double)b.n);
	printf("ledger.verify_s %.3f\n", best_v);
	printf("ledger.hash_s %.3f\n", best_h);
	printf("ledger.verify_rate %.0f\n", (double)b.n / best_v);
	printf("ledger.verify_vs_hash %.2f\n", best_v / best_h);
	printf("ledger.hash_check %u\n", acc);	/* keeps the loop honest */
	for (i = 0; i < b.n; i++)
		free(b.v[i]);
	free(b.v);
	free(b.len);
	store_close(s);
	return 0;
}

int
main(int argc, char **argv)
{
	xmalloc_init();
	if (sodium_init() < 0)
		return 1;
	if (argc == 4 && strcmp(argv[1], "gen") == 0)
		return cmd_gen(argv[2], count_arg(argv[3]));
	if (argc == 4 && strcmp(argv[1], "append-batched") == 0)
		return cmd_append(argv[2], count_arg(argv[3]), 1);
	if (argc == 4 && strcmp(argv[1], "append-txn") == 0)
		return cmd_append(argv[2], count_arg(argv[3]), 0);
	if (argc == 3 && strcmp(argv[1], "verify") == 0)
		return cmd_verify(argv[2]);
	fprintf(stderr, "usage: bench-ledger gen|append-batched|append-txn "
	    "DIR N | verify DIR\n");
	return 2;
}
