/*
 * fuzz-stkfilter.c -- a stocktake filter (core/stocktake.c), as a
 * reviewer types it for daicho stocktake items/decide and the console.
 * Any bytes: never a crash.  A filter taken has each value non-empty,
 * without ',' and inside the filter's own buffer, decided -1, 0 or 1,
 * and a finding that names a rule; one refused says why.  Matching an
 * item never crashes, and the empty filter matches it.
 */
#include "config.h"

#include "fuzz.h"
#include "common.h"
#include "core.h"

static void
value_ok(const struct core_stocktake_filter *f, const char *v)
{
	if (v == NULL)
		return;
	FUZZ_CHECK(v >= f->buf && v < f->buf + sizeof f->buf);
	FUZZ_CHECK(*v != '\0' && strchr(v, ',') == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_stocktake_filter	 f, none;
	struct core_stocktake_item	 it;
	char				*s = fuzz_str(data, size), *cause = NULL;

	memset(&it, 0, sizeof it);
	it.system = "city"; it.login = "u00001"; it.kind = "personal";
	it.state = "active"; it.owner = it.owner_name = "";
	it.id_department = "総務課"; it.hr_department = "税務課";
	it.hr_status = it.employment = it.transfer_date = it.rights = "";
	it.end_date = it.reason = it.decided_by = it.confirmed_by = "";
	it.findings = "leaver-active,dormant"; it.recommendation = "revoke";
	it.decision = "";
	if (core_stocktake_filter_parse(s, &f, &cause) == 0) {
		FUZZ_CHECK(cause == NULL);
		value_ok(&f, f.system);
		value_ok(&f, f.department);
		value_ok(&f, f.kind);
		value_ok(&f, f.state);
		value_ok(&f, f.recommendation);
		value_ok(&f, f.finding);
		FUZZ_CHECK(f.decided >= -1 && f.decided <= 1);
		FUZZ_CHECK(f.finding == NULL ||
		    core_findings_rule(f.finding) >= 0);
		(void)core_stocktake_filter_match(&f, &it);
	} else {
		FUZZ_CHECK(cause != NULL);
		free(cause);
	}
	FUZZ_CHECK(core_stocktake_filter_parse("", &none, &cause) == 0);
	FUZZ_CHECK(core_stocktake_filter_match(&none, &it));
	free(s);
	return 0;
}
