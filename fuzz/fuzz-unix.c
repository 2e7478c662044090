/*
 * fuzz-unix.c -- the unix target's reader of passwd, shadow, group and
 * gshadow, and the in-memory half of a batch on what it read
 * (target_unix_mem_batch: every file it would write must read back, and
 * a file it leaves alone must be written back byte for byte).
 *
 * Input: the four files in that order, each ended by a line "%%", then
 * requests, one a line: "OP LOGIN [ARG]" (OP as target_op_parse reads
 * it: lock, unlock, expire, delete, ...).  A file not given is absent.
 */
#include "config.h"

#include "fuzz.h"
#include "targets-int.h"

#define SEP	"%%\n"
#define NREQ	8

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*text[4] = { NULL, NULL, NULL, NULL };
	size_t			 len[4] = { 0, 0, 0, 0 };
	struct target_req	 reqs[NREQ];
	const char		*p = (const char *)data, *end = p + size, *q;
	const char		*nl;
	char			*cause = NULL, *line, *sp;
	size_t			 k = 0, n = 0, l;

	/* Each file runs to the next line that is "%%". */
	while (k < 4 && p <= end) {
		for (q = p; q < end; q = nl + 1) {
			if ((size_t)(end - q) >= 3 && memcmp(q, SEP, 3) == 0)
				break;
			if ((nl = memchr(q, '\n', (size_t)(end - q))) == NULL) {
				q = end;
				break;
			}
		}
		text[k] = p;
		len[k] = (size_t)(q - p);
		k++;
		if (q == end)
			break;
		p = q + 3;
	}

	memset(reqs, 0, sizeof reqs);
	if (k < 4)
		p = end;
	while (p < end && n < NREQ) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		line = fuzz_str((const uint8_t *)p, (size_t)(nl - p));
		p = nl < end ? nl + 1 : end;
		if ((sp = strchr(line, ' ')) == NULL) {
			free(line);
			continue;
		}
		line[sp - line] = '\0';
		reqs[n].op = target_op_parse(line);
		sp++;
		q = strchr(sp, ' ');
		l = q != NULL ? (size_t)(q - sp) : strlen(sp);
		snprintf(reqs[n].login, sizeof reqs[n].login, "%.*s", (int)l,
		    sp);
		if (q != NULL)
			snprintf(reqs[n].arg, sizeof reqs[n].arg, "%s", q + 1);
		if (reqs[n].op != 0)
			n++;
		else
			memset(&reqs[n], 0, sizeof reqs[n]);
		free(line);
	}

	if (target_unix_mem_batch(text, len, reqs, n, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
	}
	return 0;
}
