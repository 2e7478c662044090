/*
 * fuzz-report.c -- store_report_check, which reads a sealed report's
 * package as an auditor was handed it (docs/ledger-format.md section 9):
 * every file is someone else's bytes.
 *
 * The input is the package's parts separated by NUL bytes (entries,
 * proofs and keys hold none): the root verifier key, report.txt,
 * report.csv, entry, proof, then chain entry and chain proof pairs (at
 * most 8).  A chain link's number is the one its entry's index line
 * says, as a verifier would have read it from the file's name.  The
 * check must answer valid (0), not valid (1, naming a file) or a bad key
 * (-1), never anything else, and a valid package must describe itself
 * consistently.
 */
#include "config.h"

#include <sodium.h>

#include "fuzz.h"
#include "store.h"

#define NPARTS	(5 + 2 * 8)

static uint64_t
index_of(const char *s, size_t len)
{
	const char	*p;
	uint64_t	 v = 0;

	if ((p = memmem(s, len, "\nindex ", 7)) == NULL)
		return 0;
	for (p += 7; p < s + len && *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int			 ready;
	struct store_report_link	 chain[8];
	struct store_report_pkg		 p;
	struct store_report_result	 res;
	const char			*part[NPARTS];
	size_t				 len[NPARTS], n = 0, i;
	char				*s, *at, *end, *cause = NULL, *key;
	int				 r;

	if (!ready) {
		if (sodium_init() < 0)
			abort();
		ready = 1;
	}
	s = fuzz_str(data, size);
	for (at = s, end = s + size; n < NPARTS && at <= end; n++) {
		part[n] = at;
		len[n] = strnlen(at, (size_t)(end - at));
		at += len[n] + 1;
	}
	if (n < 5) {
		free(s);
		return 0;
	}
	memset(&p, 0, sizeof p);
	key = fuzz_str((const uint8_t *)part[0], len[0]);
	p.txt = (const uint8_t *)part[1];
	p.txtlen = len[1];
	p.csv = (const uint8_t *)part[2];
	p.csvlen = len[2];
	p.entry = (const uint8_t *)part[3];
	p.entrylen = len[3];
	p.proof = part[4];
	p.prooflen = len[4];
	for (i = 5; i + 1 < n; i += 2) {
		chain[p.nchain].name = "chain/x";
		chain[p.nchain].index = index_of(part[i], len[i]);
		chain[p.nchain].entry = (const uint8_t *)part[i];
		chain[p.nchain].entrylen = len[i];
		chain[p.nchain].proof = part[i + 1];
		chain[p.nchain].prooflen = len[i + 1];
		p.nchain++;
	}
	p.chain = chain;
	r = store_report_check(&p, key, &res, &cause);
	FUZZ_CHECK(r == 0 || r == 1 || r == -1);
	FUZZ_CHECK((r == 0) == (cause == NULL));
	if (r == 0)
		FUZZ_CHECK(res.index < res.size && res.epochs == p.nchain &&
		    p.nchain > 0);
	if (r == 1)
		FUZZ_CHECK(strncmp(cause, "report.", 7) == 0 ||
		    strncmp(cause, "entry", 5) == 0 ||
		    strncmp(cause, "proof", 5) == 0 ||
		    strncmp(cause, "chain", 5) == 0);
	free(cause);
	free(key);
	free(s);
	return 0;
}
