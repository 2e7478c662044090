/*
 * fuzz-day.c -- core_day_parse_zone, a time a person gives for a period
 * (daicho analysis --from/--to, review.done's from and to): YYYY-MM-DD
 * in a zone, or a UTC time.  The first byte picks the zone (one with
 * summer time too).  Whatever the text, an accepted day lasts 23 to 25
 * hours, and an accepted UTC time is spelt back exactly (one spelling
 * per time).
 */
#include "config.h"

#include <time.h>

#include "fuzz.h"
#include "core-int.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const zones[] = {
		"Asia/Tokyo", "America/New_York", "UTC", "Australia/Lord_Howe",
	};
	const char	*zone;
	char		*text, *cause = NULL, back[32];
	time_t		 start, end;
	struct tm	 tm;

	if (size == 0)
		return 0;
	zone = zones[data[0] % 4];
	text = fuzz_str(data + 1, size - 1);
	if (core_day_parse_zone(zone, text, 0, &start, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		cause = NULL;
		FUZZ_CHECK(core_day_parse_zone(zone, text, 1, &end, &cause) != 0);
		free(cause);
	} else if (strlen(text) == 10) {
		FUZZ_CHECK(core_day_parse_zone(zone, text, 1, &end,
		    &cause) == 0);
		FUZZ_CHECK(end - start >= 23 * 3600 && end - start <= 25 * 3600);
	} else {
		FUZZ_CHECK(gmtime_r(&start, &tm) != NULL);
		FUZZ_CHECK(strftime(back, sizeof back, "%Y-%m-%dT%H:%M:%SZ",
		    &tm) == 20);
		FUZZ_CHECK(strcmp(back, text) == 0);
	}
	free(text);
	return 0;
}
