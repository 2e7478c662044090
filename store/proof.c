/*
 * proof.c -- reading a C2SP tlog-proof v1, as `daicho prove` writes it,
 * and checking it without the ledger: the checkpoint it carries is signed
 * by the verifier key given, and the entry's exact bytes are the leaf at
 * its index under that checkpoint's root.
 *
 *	c2sp.org/tlog-proof@v1
 *	extra BASE64			(optional, ignored)
 *	index N
 *	BASE64 HASH			(the audit path, leaf's sibling first)
 *	...
 *					(a blank line)
 *	CHECKPOINT NOTE			(verbatim, to the end)
 *
 * The text comes from whoever hands the auditor the proof, so it is read
 * strictly: LF line ends only, a decimal index without leading zeros, each
 * hash exactly one standard base64 SHA-256, at most STORE_MAX_PROOF of
 * them, nothing else before the blank line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "store-int.h"

#define PROOF_HEADER	"c2sp.org/tlog-proof@v1"
#define PROOF_B64_HASH	44		/* base64 of 32 bytes, padded */

/* The line at *p (up to, not including, its LF); -1 at the end. */
static int
proof_line(const char **p, const char *end, const char **line, size_t *len)
{
	const char	*nl;

	if (*p >= end || (nl = memchr(*p, '\n', (size_t)(end - *p))) == NULL)
		return -1;
	*line = *p;
	*len = (size_t)(nl - *p);
	*p = nl + 1;
	return 0;
}

/* Strict decimal: no sign, no leading zero, at most 2^63 - 1. */
static int
proof_index(const char *s, size_t len, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (len == 0 || len > 19 || (s[0] == '0' && len > 1))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		return -1;
	*out = v;
	return 0;
}

int
store_proof_parse(const char *text, size_t len, struct store_proof *pr,
    char **cause)
{
	const char	*p = text, *end = text + len, *line;
	size_t		 n, lineno = 1;

	memset(pr, 0, sizeof *pr);
	if (memchr(text, '\0', len) != NULL) {
		xasprintf(cause, _("the proof contains a NUL byte"));
		return -1;
	}
	if (proof_line(&p, end, &line, &n) != 0 || n != strlen(PROOF_HEADER) ||
	    memcmp(line, PROOF_HEADER, n) != 0) {
		xasprintf(cause, _("line 1: not a tlog-proof (want \"%s\")"),
		    PROOF_HEADER);
		return -1;
	}
	if (proof_line(&p, end, &line, &n) != 0) {
		xasprintf(cause, _("line 2: the proof ends early"));
		return -1;
	}
	lineno++;
	if (n > 6 && memcmp(line, "extra ", 6) == 0) {
		if (proof_line(&p, end, &line, &n) != 0) {
			xasprintf(cause, _("line 3: the proof ends early"));
			return -1;
		}
		lineno++;
	}
	if (n < 7 || memcmp(line, "index ", 6) != 0 ||
	    proof_index(line + 6, n - 6, &pr->index) != 0) {
		xasprintf(cause, _("line %zu: want \"index N\" (a decimal "
		    "entry number)"), lineno);
		return -1;
	}
	for (;;) {
		lineno++;
		if (proof_line(&p, end, &line, &n) != 0) {
			xasprintf(cause, _("line %zu: the proof ends before "
			    "its checkpoint"), lineno);
			return -1;
		}
		if (n == 0)
			break;
		if (pr->npath == STORE_MAX_PROOF) {
			xasprintf(cause, _("line %zu: more than %d hashes"),
			    lineno, STORE_MAX_PROOF);
			return -1;
		}
		if (n != PROOF_B64_HASH || codec_unb64(pr->path[pr->npath],
		    STORE_HASH_LEN, line, n) != 0) {
			xasprintf(cause, _("line %zu: not a base64 SHA-256 "
			    "hash"), lineno);
			return -1;
		}
		pr->npath++;
	}
	if (p == end) {
		xasprintf(cause, _("the proof has no checkpoint after its "
		    "blank line"));
		return -1;
	}
	pr->note = p;
	pr->notelen = (size_t)(end - p);
	return 0;
}

int
store_proof_check(const char *text, size_t len, const char *vkey,
    const uint8_t *entry, size_t entrylen, uint64_t *index, uint64_t *size,
    char **cause)
{
	struct store_proof	*pr;
	uint8_t			 pk[32], root[STORE_HASH_LEN];
	uint8_t			 leaf[STORE_HASH_LEN];
	char			*name = NULL, *origin = NULL, *why = NULL;
	size_t			 textlen;
	int			 r = -1;

	pr = xcalloc(1, sizeof *pr);
	if (store_proof_parse(text, len, pr, &why) != 0) {
		xasprintf(cause, "proof: %s", why);
		goto out;
	}
	if (store_note_parse_vkey(vkey, &name, pk, &why) != 0) {
		xasprintf(cause, "key: %s", why);
		goto out;
	}
	if (store_note_verify(pr->note, pr->notelen, name, pk, &textlen,
	    &why) != 0) {
		xasprintf(cause, _("the proof's checkpoint: %s"), why);
		goto out;
	}
	if (store_checkpoint_parse(pr->note, textlen, &origin, size, root,
	    &why) != 0) {
		xasprintf(cause, _("the proof's checkpoint: %s"), why);
		goto out;
	}
	*index = pr->index;
	if (pr->index >= *size) {
		xasprintf(cause, _("entry %llu is not in a checkpoint of size "
		    "%llu"), (unsigned long long)pr->index,
		    (unsigned long long)*size);
		goto out;
	}
	store_merkle_leaf(leaf, entry, entrylen);
	if (store_merkle_check_inclusion(leaf, pr->index, *size,
	    (const uint8_t (*)[STORE_HASH_LEN])pr->path, pr->npath,
	    root) != 0) {
		xasprintf(cause, _("these bytes are not entry %llu of the "
		    "checkpoint of size %llu (the audit path does not lead to "
		    "its root)"), (unsigned long long)pr->index,
		    (unsigned long long)*size);
		goto out;
	}
	r = 0;
out:
	free(why);
	free(name);
	free(origin);
	free(pr);
	return r;
}
