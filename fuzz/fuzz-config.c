/*
 * fuzz-config.c -- core_config_parse, the text of /etc/daicho/daicho.conf
 * (its owner and mode are core_config_load's checks, not fuzzed here).
 * Whatever the text, the values that come out are in their ranges.
 */
#include "config.h"

#include "fuzz.h"
#include "core-int.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_config	 c;
	char			*copy, *cause = NULL;
	FILE			*f;

	/* fmemopen refuses an empty buffer on some libcs: one spare byte. */
	copy = fuzz_str(data, size);
	if ((f = fmemopen(copy, size + (size == 0), "r")) == NULL)
		abort();
	core_config_defaults(&c);
	if (core_config_parse(f, "fuzz.conf", &c, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
	} else {
		FUZZ_CHECK(c.login_attempts >= 0 && c.login_attempts <= 100);
		FUZZ_CHECK(c.lockout_minutes >= 1 && c.lockout_minutes <= 1440);
		FUZZ_CHECK(c.idle_seconds >= 0 && c.idle_seconds <= 86400);
		FUZZ_CHECK(c.module_timeout >= 5 && c.module_timeout <= 600);
		FUZZ_CHECK(c.pam_service != NULL && *c.pam_service != '\0');
		FUZZ_CHECK(c.pam_fallback_service != NULL &&
		    *c.pam_fallback_service != '\0');
	}
	core_config_free(&c);
	fclose(f);
	free(copy);
	return 0;
}
