/*
 * fuzz-exception.c -- what a person types for an exception to policy:
 * its scope (core_exc_scope_each) and its days (core_exc_day).  The
 * input is split at its first newline: the scope, then a day.
 * A scope accepted gives one item per comma-separated part, each an ID
 * (system and login), a system or a person, none holding a comma, at
 * most CORE_EXC_SCOPE_MAX; refused, it says why.  A day accepted as
 * YYYY-MM-DD starts before it ends, a day of 23 to 25 hours.
 */
#include "config.h"

#include "fuzz.h"
#include "core-int.h"

struct count {
	size_t	 n;
};

static int
item(void *arg, const struct core_exc_item *it, char **cause)
{
	struct count	*c = arg;

	(void)cause;
	c->n++;
	FUZZ_CHECK(strchr(it->system, ',') == NULL &&
	    strchr(it->login, ',') == NULL && strchr(it->person, ',') == NULL);
	if (it->person[0] != '\0')
		FUZZ_CHECK(it->system[0] == '\0' && it->login[0] == '\0');
	else
		FUZZ_CHECK(it->system[0] != '\0');
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s = fuzz_str(data, size), *day, *cause = NULL;
	struct count	 c = { 0 };
	size_t		 parts = 1;
	time_t		 a, b;
	const char	*p;

	if ((day = strchr(s, '\n')) != NULL)
		*day++ = '\0';
	if (core_exc_scope_each("fuzz", s, item, &c, &cause) == 0) {
		for (p = s; *p != '\0'; p++)
			parts += *p == ',';
		FUZZ_CHECK(c.n == parts && c.n <= CORE_EXC_SCOPE_MAX);
	} else {
		FUZZ_CHECK(cause != NULL);
		free(cause);
	}
	if (day != NULL && core_exc_day(day, "Asia/Tokyo", 0, &a) == 0 &&
	    core_date_ok(day)) {
		FUZZ_CHECK(core_exc_day(day, "Asia/Tokyo", 1, &b) == 0);
		FUZZ_CHECK(b - a >= 23 * 3600 && b - a <= 25 * 3600);
	}
	free(s);
	return 0;
}
