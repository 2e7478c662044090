/*
 * report.c -- checking a sealed report's package without the database
 * (docs/ledger-format.md section 9): from the root key alone,
 *	1. the chain: chain[0] is ledger.init naming the root key and
 *	   signed by it; each next is the ledger.rotate to epoch 1, 2, ...
 *	   signed by the key before it, naming the next key;
 *	2. the checkpoint of the sealing entry's proof is signed by the
 *	   chain's last key;
 *	3. the sealing entry (stocktake.close or report.inspection) is the
 *	   leaf its proof names under that checkpoint's root, its epoch line
 *	   agrees with the chain, and any signature on it verifies;
 *	4. report.txt and report.csv hash to its report_txt and report_csv
 *	   (hashed here, or by the reader as it streamed the file);
 *	5. every chain entry is included by its proof in the same
 *	   checkpoint.
 * Every byte comes from whoever handed the package over: only store's
 * own strict parsers read it (entry.c, note.c, proof.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common.h"
#include "store-int.h"

struct rkey {
	uint8_t		 pk[STORE_PK_LEN];
	uint64_t	 first;			/* the epoch's first entry */
};

struct rcheck {
	const struct store_report_pkg *p;
	char		*origin;
	uint8_t		 rootpk[STORE_PK_LEN];
	struct rkey	*keys;			/* by epoch */
	size_t		 nkeys;
	struct store_proof pr;			/* the entry's proof */
	uint64_t	 size;
	uint8_t		 root[STORE_HASH_LEN];
};

static int
sig_ok(const struct store_entry *e, const uint8_t *pk)
{
	return e->signed_ && crypto_sign_verify_detached(e->sig, e->bytes,
	    e->siglen, pk) == 0;
}

/* chain[0]: ledger.init, entry 0, naming the root key, signed by it. */
static int
check_init(struct rcheck *c, const struct store_entry *e, const char *vkey,
    const char *name, char **cause)
{
	const char	*o = store_args_get(&e->args, "origin");
	const char	*k = store_args_get(&e->args, "key");

	if (strcmp(e->action, "ledger.init") != 0 || e->index != 0 ||
	    e->epoch != 0) {
		xasprintf(cause, _("%s.entry: the chain must begin with "
		    "entry 0, ledger.init (it holds entry %llu, %s)"), name,
		    (unsigned long long)e->index, e->action);
		return 1;
	}
	if (o == NULL || strcmp(o, c->origin) != 0 || k == NULL ||
	    strcmp(k, vkey) != 0) {
		xasprintf(cause, _("%s.entry: ledger.init names another ledger "
		    "or root key than the trusted root key %s"), name, vkey);
		return 1;
	}
	if (!sig_ok(e, c->keys[0].pk)) {
		xasprintf(cause, _("%s.entry: its signature does not verify "
		    "with the root key"), name);
		return 1;
	}
	return 0;
}

/* chain[i]: the rotation to epoch i, signed by epoch i-1's key. */
static int
check_rotate(struct rcheck *c, const struct store_entry *e, size_t i,
    uint64_t prev, const char *name, char **cause)
{
	const char	*ep = store_args_get(&e->args, "epoch");
	const char	*k = store_args_get(&e->args, "key");
	const char	*sz = store_args_get(&e->args, "size");
	char		 want[24], idx[24], *kname = NULL, *why = NULL;

	snprintf(want, sizeof want, "%zu", i);
	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	if (strcmp(e->action, "ledger.rotate") != 0 || e->index <= prev ||
	    e->epoch != i - 1 || ep == NULL || strcmp(ep, want) != 0 ||
	    sz == NULL || strcmp(sz, idx) != 0) {
		xasprintf(cause, _("%s.entry: want the ledger.rotate to epoch "
		    "%zu after entry %llu; it is entry %llu, %s to epoch %s "
		    "(a rotation missing or out of place)"), name, i,
		    (unsigned long long)prev, (unsigned long long)e->index,
		    e->action, ep != NULL ? ep : "-");
		return 1;
	}
	if (!sig_ok(e, c->keys[i - 1].pk)) {
		xasprintf(cause, _("%s.entry: its signature does not verify "
		    "with epoch %zu's key (the entry was changed)"), name,
		    i - 1);
		return 1;
	}
	if (k == NULL || store_note_parse_vkey(k, &kname, c->keys[i].pk,
	    &why) != 0 || strcmp(kname, c->origin) != 0) {
		xasprintf(cause, _("%s.entry: the key it names is not a key of "
		    "this ledger%s%s"), name, why ? ": " : "", why ? why : "");
		free(kname);
		free(why);
		return 1;
	}
	free(kname);
	c->keys[i].first = e->index + 1;
	return 0;
}

static int
check_chain(struct rcheck *c, const char *vkey, char **cause)
{
	const struct store_report_pkg	*p = c->p;
	struct store_entry		*e;
	uint64_t			 prev = 0;
	char				*why = NULL;
	size_t				 i;
	int				 r;

	if (p->nchain == 0) {
		xasprintf(cause, _("chain: no entries (ledger.init at least)"));
		return 1;
	}
	c->keys = xcalloc(p->nchain, sizeof *c->keys);
	c->nkeys = p->nchain;
	memcpy(c->keys[0].pk, c->rootpk, STORE_PK_LEN);
	for (i = 0; i < p->nchain; i++) {
		if ((e = store_entry_parse(p->chain[i].entry,
		    p->chain[i].entrylen, &why)) == NULL) {
			xasprintf(cause, "%s.entry: %s", p->chain[i].name, why);
			free(why);
			return 1;
		}
		if (e->index != p->chain[i].index)
			xasprintf(cause, _("%s.entry: holds entry %llu"),
			    p->chain[i].name, (unsigned long long)e->index);
		r = e->index != p->chain[i].index ? 1 : i == 0 ?
		    check_init(c, e, vkey, p->chain[i].name, cause) :
		    check_rotate(c, e, i, prev, p->chain[i].name, cause);
		prev = e->index;
		store_entry_free(e);
		if (r != 0)
			return 1;
	}
	return 0;
}

/* The checkpoint in the entry's proof, signed by the chain's last key. */
static int
check_checkpoint(struct rcheck *c, char **cause)
{
	char		*why = NULL, *origin = NULL;
	size_t		 textlen;

	if (store_proof_parse(c->p->proof, c->p->prooflen, &c->pr,
	    &why) != 0) {
		xasprintf(cause, "proof: %s", why);
		free(why);
		return 1;
	}
	if (store_note_verify(c->pr.note, c->pr.notelen, c->origin,
	    c->keys[c->nkeys - 1].pk, &textlen, &why) != 0) {
		xasprintf(cause, _("proof: its checkpoint is not signed by the "
		    "chain's last key (epoch %zu): %s"), c->nkeys - 1, why);
		free(why);
		return 1;
	}
	if (store_checkpoint_parse(c->pr.note, textlen, &origin, &c->size,
	    c->root, &why) != 0 || strcmp(origin, c->origin) != 0) {
		if (why != NULL)
			xasprintf(cause, _("proof: its checkpoint: %s"), why);
		else
			xasprintf(cause, _("proof: its checkpoint is another "
			    "ledger's"));
		free(why);
		free(origin);
		return 1;
	}
	free(origin);
	return 0;
}

/* The leaf index under the checkpoint's root, by the audit path. */
static int
included(const struct rcheck *c, const struct store_proof *pr,
    const uint8_t *bytes, size_t len)
{
	uint8_t	 leaf[STORE_HASH_LEN];

	if (pr->index >= c->size)
		return 0;
	store_merkle_leaf(leaf, bytes, len);
	return store_merkle_check_inclusion(leaf, pr->index, c->size,
	    (const uint8_t (*)[STORE_HASH_LEN])pr->path, pr->npath,
	    c->root) == 0;
}

/* One file's SHA-256 (of its bytes, or as the reader hashed it)
 * against the entry's argument. */
static int
check_hash(const struct store_entry *e, const char *arg, const char *file,
    const void *data, size_t len, const char *sha, char **cause)
{
	const char	*want = store_args_get(&e->args, arg);
	char		 got[STORE_HASH_HEX];

	if (data != NULL || sha == NULL)
		store_sha256_hex(data != NULL ? data : "", len, got);
	else
		snprintf(got, sizeof got, "%s", sha);
	if (want == NULL || strcmp(got, want) != 0) {
		xasprintf(cause, _("%s: its SHA-256 is %s; entry %llu records "
		    "%s %s (the file was changed)"), file, got,
		    (unsigned long long)e->index, arg, want ? want : _("none"));
		return 1;
	}
	return 0;
}

/* The epoch entry index belongs to by the chain. */
static size_t
epoch_of(const struct rcheck *c, uint64_t index)
{
	size_t	 k = 0;

	while (k + 1 < c->nkeys && c->keys[k + 1].first <= index)
		k++;
	return k;
}

static int
check_entry(struct rcheck *c, const struct store_entry *e,
    struct store_report_result *res, char **cause)
{
	if (strcmp(e->action, "stocktake.close") != 0 &&
	    strcmp(e->action, "report.inspection") != 0) {
		xasprintf(cause, _("entry: entry %llu is %s, not a sealing "
		    "entry (stocktake.close or report.inspection)"),
		    (unsigned long long)e->index, e->action);
		return 1;
	}
	if (c->pr.index != e->index) {
		xasprintf(cause, _("proof: it proves entry %llu; the entry "
		    "file holds entry %llu"), (unsigned long long)c->pr.index,
		    (unsigned long long)e->index);
		return 1;
	}
	if (!included(c, &c->pr, c->p->entry, c->p->entrylen)) {
		xasprintf(cause, _("proof: its audit path from the bytes of "
		    "entry does not lead to the root of the checkpoint of "
		    "size %llu: entry or proof was changed (entry %llu)"),
		    (unsigned long long)c->size, (unsigned long long)e->index);
		return 1;
	}
	if (e->epoch != epoch_of(c, e->index)) {
		xasprintf(cause, _("entry: its epoch line says %llu; entry "
		    "%llu belongs to epoch %zu by the chain"),
		    (unsigned long long)e->epoch, (unsigned long long)e->index,
		    epoch_of(c, e->index));
		return 1;
	}
	if (e->signed_ && !sig_ok(e, c->keys[e->epoch].pk)) {
		xasprintf(cause, _("entry: its signature does not verify"));
		return 1;
	}
	if (check_hash(e, "report_txt", "report.txt", c->p->txt,
	    c->p->txtlen, c->p->txtsha, cause) != 0 || check_hash(e,
	    "report_csv", "report.csv", c->p->csv, c->p->csvlen, c->p->csvsha,
	    cause) != 0)
		return 1;
	res->index = e->index;
	snprintf(res->action, sizeof res->action, "%s", e->action);
	return 0;
}

/* Every chain entry in the very checkpoint of the entry's proof. */
static int
check_links(struct rcheck *c, char **cause)
{
	const struct store_report_link	*l;
	struct store_proof		*pr;
	char				*why = NULL;
	size_t				 i;
	int				 r = 0;

	pr = xcalloc(1, sizeof *pr);
	for (i = 0; i < c->p->nchain && r == 0; i++) {
		l = &c->p->chain[i];
		r = 1;
		if (store_proof_parse(l->proof, l->prooflen, pr, &why) != 0) {
			xasprintf(cause, "%s.proof: %s", l->name, why);
			free(why);
		} else if (pr->notelen != c->pr.notelen || memcmp(pr->note,
		    c->pr.note, pr->notelen) != 0)
			xasprintf(cause, _("%s.proof: not against the "
			    "checkpoint of proof"), l->name);
		else if (pr->index != l->index)
			xasprintf(cause, _("%s.proof: proves entry %llu"),
			    l->name, (unsigned long long)pr->index);
		else if (!included(c, pr, l->entry, l->entrylen))
			xasprintf(cause, _("%s: entry %llu is not included in "
			    "the checkpoint (the audit path from %s.entry does "
			    "not lead to its root)"), l->name,
			    (unsigned long long)l->index, l->name);
		else
			r = 0;
	}
	free(pr);
	return r;
}

int
store_report_check(const struct store_report_pkg *p, const char *vkey,
    struct store_report_result *res, char **cause)
{
	struct rcheck		 c;
	struct store_entry	*e = NULL;
	char			*why = NULL;
	int			 r;

	memset(res, 0, sizeof *res);
	memset(&c, 0, sizeof c);
	c.p = p;
	if (store_note_parse_vkey(vkey, &c.origin, c.rootpk, cause) != 0)
		return -1;
	if ((r = check_chain(&c, vkey, cause)) != 0 ||
	    (r = check_checkpoint(&c, cause)) != 0)
		goto out;
	if ((e = store_entry_parse(p->entry, p->entrylen, &why)) == NULL) {
		xasprintf(cause, "entry: %s", why);
		free(why);
		r = 1;
		goto out;
	}
	if ((r = check_entry(&c, e, res, cause)) != 0 ||
	    (r = check_links(&c, cause)) != 0)
		goto out;
	res->size = c.size;
	res->epochs = c.nkeys;
out:
	store_entry_free(e);
	free(c.keys);
	free(c.origin);
	return r;
}
