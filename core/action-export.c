/*
 * action-export.c -- data.export: a bulk output of personal data, as
 * the ledger records it.
 *
 * Bulk output needs a second person's approval beforehand (the PIA's
 * 大量データ出力は事前承認), so the action is two-person, and it needs
 * the approver even before the ledger has had one (the bootstrap that
 * lets one admin make the first approver does not reach personal data).
 * It is written by daicho itself (core_export, export.c) once the file's
 * bytes are on disk, never through "act": the entry names what left, in
 * which format and encoding, how many rows, where to, and the SHA-256 of
 * the file exactly as written, so an auditor can tell a copy found later
 * from another.  It changes no state: the entry is the record.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

/* Whether v is one of the words of list (NULL-terminated). */
static int
export_one_of(const char *v, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(v, *list) == 0)
			return 1;
	}
	return 0;
}

static int
data_export_values(struct core_run *run, char **cause)
{
	static const char *const whats[] = { "people", "ids", "privileged",
	    NULL };
	static const char *const formats[] = { "csv", "tsv", NULL };
	static const char *const encodings[] = { "utf-8", "cp932", NULL };
	const struct store_args *a = &run->args;
	const char	*v, *errstr;
	long long	 n;

	if (!export_one_of(store_args_get(a, "what"), whats) ||
	    !export_one_of(store_args_get(a, "format"), formats) ||
	    !export_one_of(store_args_get(a, "encoding"), encodings)) {
		xasprintf(cause, _("data.export: what is people, ids or "
		    "privileged, format csv or tsv, encoding utf-8 or cp932"));
		return -1;
	}
	if (number_parse(store_args_get(a, "rows"), 0, INT64_MAX, &n,
	    &errstr) != 0) {
		xasprintf(cause, _("data.export: rows is %s"), _(errstr));
		return -1;
	}
	v = store_args_get(a, "file_sha256");
	if (strlen(v) != STORE_HASH_HEX - 1 ||
	    strspn(v, "0123456789abcdef") != STORE_HASH_HEX - 1) {
		xasprintf(cause, _("data.export: file_sha256 must be a SHA-256 "
		    "in lower-case hex"));
		return -1;
	}
	v = store_args_get(a, "file");
	if (core_text_ok("data.export: file", 4096, v, cause) != 0)
		return -1;
	if (v[0] != '/') {
		xasprintf(cause, _("data.export: file must be an absolute "
		    "path"));
		return -1;
	}
	return 0;
}

static int
data_export_validate(struct core_run *run, char **cause)
{
	static const char *const req[] = { "what", "format", "encoding",
	    "rows", "file_sha256", "file", NULL };
	const char	*v, *what;
	char		 have[24];
	int64_t		 n;
	size_t		 i;

	for (i = 0; req[i] != NULL; i++) {
		if (core_arg(run, req[i], &v, cause) != 0)
			return -1;
	}
	if (data_export_values(run, cause) != 0)
		return -1;
	if (run->actor->approver == NULL) {
		xasprintf(cause, _("data.export: a bulk export of personal "
		    "data needs a second person with the approver role, "
		    "always"));
		return -1;
	}
	/* Run in the transaction that read the rows: they are the state. */
	what = store_args_get(&run->args, "what");
	if (store_query_int(run->store, strcmp(what, "people") == 0 ?
	    "SELECT count(*) FROM person" : strcmp(what, "privileged") == 0 ?
	    "SELECT count(*) FROM account WHERE kind = 'privileged'" :
	    "SELECT count(*) FROM account", &n, cause) != 0)
		return -1;
	snprintf(have, sizeof have, "%lld", (long long)n);
	if (strcmp(have, store_args_get(&run->args, "rows")) != 0) {
		xasprintf(cause, _("data.export: the entry says %s rows; the "
		    "ledger has %s"), store_args_get(&run->args, "rows"), have);
		return -1;
	}
	xasprintf(&run->subject, "export:%s", what);
	return 0;
}

static int
data_export_apply(struct store *s, const struct store_entry *e, char **cause)
{
	(void)s;
	(void)e;
	(void)cause;
	return 0;
}

static const struct core_param data_export_params[] = {
	{ "what", CORE_ARG_REQUIRED, N_("people, ids or privileged (the "
	    "privileged-ID register)") },
	{ "format", CORE_ARG_REQUIRED, N_("csv or tsv") },
	{ "encoding", CORE_ARG_REQUIRED, N_("utf-8 or cp932") },
	{ "rows", CORE_ARG_REQUIRED, N_("rows in the file, not the header") },
	{ "file_sha256", CORE_ARG_REQUIRED, N_("SHA-256 of the file exactly "
	    "as written") },
	{ "file", CORE_ARG_REQUIRED, N_("where it was written (absolute)") },
	{ NULL, 0, NULL }
};

const struct core_action core_action_data_export = {
	.name = "data.export",
	.summary = N_("Export personal data in bulk (people, IDs or the "
	    "privileged-ID register) to a file"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON | CORE_INTERNAL,
	.params = data_export_params,
	.validate = data_export_validate,
	.apply = data_export_apply,
};
