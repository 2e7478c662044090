/*
 * report.c -- the package of a sealed report (docs/ledger-format.md
 * section 9): the two files, the sealing entry with its proof, and the
 * key chain from the root key to the key that signed the checkpoint the
 * proofs are against, each link with its proof against that same
 * checkpoint.  The CLI writes it; verify-report checks it without the
 * database (store/report.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

void
core_report_package_free(struct core_report_pkg *p)
{
	size_t	 i;

	free(p->txt);
	free(p->csv);
	free(p->entry);
	free(p->proof);
	for (i = 0; i < p->nchain; i++) {
		free(p->chain[i].entry);
		free(p->chain[i].proof);
	}
	free(p->chain);
	memset(p, 0, sizeof *p);
}

/* Why a stocktake's report cannot be had: its campaign's state. */
static int
report_stocktake_why(struct store *s, const char *key, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, "SELECT state FROM stocktake WHERE idx = "
	    "CAST(? AS INTEGER)", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, key);
	if ((r = store_step(st, cause)) == -1) {
		store_finalize(st);
		return -1;
	}
	if (r != STORE_ROW)
		xasprintf(cause, _("no stocktake campaign %.40s (daicho "
		    "stocktake list)"), key);
	else if (strcmp(store_col_text(st, 0), "closed") != 0)
		xasprintf(cause, _("stocktake campaign %.40s is not closed: "
		    "its report is sealed by stocktake.close (daicho "
		    "stocktake close %.40s)"), key, key);
	else
		xasprintf(cause, _("stocktake campaign %.40s was closed "
		    "without a sealed report"), key);
	store_finalize(st);
	return -1;
}

/* The report's sealing entry and its two files, hash-checked. */
static int
report_files(struct store *s, const struct core_report *r,
    struct core_report_pkg *p, char **cause)
{
	struct store_entry	*e;
	const char		*h[2];
	uint8_t			*data[2] = { NULL, NULL };
	size_t			 len[2];
	int			 i, c;

	if ((c = store_ledger_get(s, r->idx, &p->entry, &p->entrylen,
	    cause)) != 0) {
		if (c == 1)
			xasprintf(cause, _("entry %llu is missing"),
			    (unsigned long long)r->idx);
		return -1;
	}
	if ((e = store_entry_parse(p->entry, p->entrylen, cause)) == NULL)
		return -1;
	h[0] = store_args_get(&e->args, "report_txt");
	h[1] = store_args_get(&e->args, "report_csv");
	for (i = 0; i < 2; i++) {
		if (h[i] == NULL) {
			xasprintf(cause, _("entry %llu names no report file"),
			    (unsigned long long)r->idx);
			break;
		}
		if ((c = store_blob_get(s, h[i], &data[i], &len[i],
		    cause)) != 0) {
			if (c == 1)
				xasprintf(cause, _("report.%s of entry %llu "
				    "(%s) is not in the database"), i ? "csv" :
				    "txt", (unsigned long long)r->idx, h[i]);
			break;
		}
	}
	store_entry_free(e);
	p->txt = (char *)data[0];
	p->txtlen = len[0];
	p->csv = (char *)data[1];
	p->csvlen = len[1];
	return i == 2 ? 0 : -1;
}

/* The chain: ledger.init, and each ledger.rotate up to the epoch of
 * entry size - 1, which signed the checkpoint of that size. */
static int
report_chain(struct store *s, uint64_t size, struct core_report_pkg *p,
    char **cause)
{
	struct store_epoch	*ep;
	size_t			 n, i;
	int			 c;

	if (store_epochs(s, &ep, &n, cause) != 0)
		return -1;
	p->chain = xcalloc(n > 0 ? n : 1, sizeof *p->chain);
	for (i = 0; i < n && ep[i].first <= size - 1; i++) {
		p->chain[i].index = i == 0 ? 0 : ep[i].first - 1;
		if ((c = store_ledger_get(s, p->chain[i].index,
		    &p->chain[i].entry, &p->chain[i].len, cause)) != 0) {
			if (c == 1)
				xasprintf(cause, _("entry %llu is missing"),
				    (unsigned long long)p->chain[i].index);
			store_epochs_free(ep, n);
			return -1;
		}
		p->nchain++;
	}
	store_epochs_free(ep, n);
	if (p->nchain == 0) {
		xasprintf(cause, _("the ledger has no epochs"));
		return -1;
	}
	return 0;
}

/* Every proof against the latest checkpoint, built in one pass. */
static int
report_proofs(struct store *s, uint64_t size, struct core_report_pkg *p,
    char **cause)
{
	uint64_t	*idx;
	char		**out;
	size_t		 i, n = p->nchain + 1;
	int		 r;

	idx = xcalloc(n, sizeof *idx);
	out = xcalloc(n, sizeof *out);
	idx[0] = p->index;
	for (i = 0; i < p->nchain; i++)
		idx[i + 1] = p->chain[i].index;
	r = store_ledger_prove_many(s, idx, n, size, out, &p->size, cause);
	if (r == 0) {
		p->proof = out[0];
		for (i = 0; i < p->nchain; i++)
			p->chain[i].proof = out[i + 1];
	}
	free(out);
	free(idx);
	return r;
}

int
core_report_package(struct store *s, const char *kind, const char *key,
    struct core_report_pkg *p, char **cause)
{
	struct core_report	 r;
	char			 t[64];
	int			 c;

	memset(p, 0, sizeof *p);
	if ((c = core_report_find(s, kind, key, &r, cause)) == -1)
		return -1;
	if (c == 1 && strcmp(kind, "stocktake") == 0)
		return report_stocktake_why(s, key, cause);
	if (c == 1) {
		xasprintf(cause, _("no sealed %s report %.40s"), kind, key);
		return -1;
	}
	if (r.removed_idx != 0) {
		xasprintf(cause, _("the %s report %.40s was removed by entry "
		    "%llu"), kind, key, (unsigned long long)r.removed_idx);
		return -1;
	}
	p->index = r.idx;
	if (store_checkpoint_latest(s, &p->size, t, sizeof t, cause) != 0)
		return -1;
	if (p->size == 0) {
		xasprintf(cause, _("the ledger has no signed checkpoint"));
		return -1;
	}
	if (report_files(s, &r, p, cause) != 0 ||
	    report_chain(s, p->size, p, cause) != 0 ||
	    report_proofs(s, p->size, p, cause) != 0) {
		core_report_package_free(p);
		return -1;
	}
	return 0;
}
