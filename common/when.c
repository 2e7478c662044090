/*
 * when.c -- times as a person reads them: in the local zone, with its
 * offset from UTC ("2026-12-06 16:32 +0900").
 *
 * The ledger's bytes stay UTC ("2026-12-06T07:32:00Z"); the console and
 * the command line show every time through here, so the header's clock, a
 * lock message and a ledger entry read alike and can be compared at a
 * glance, and the offset says which zone a time is in.
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common.h"

void
when_local(time_t t, int flags, char *buf, size_t len)
{
	struct tm	 tm;
	size_t		 n;

	assert(len > 0);
	if (localtime_r(&t, &tm) == NULL)
		n = 0;
	else if (flags & WHEN_ISO)
		n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S%z", &tm);
	else if (flags & WHEN_SECONDS)
		n = strftime(buf, len, "%Y-%m-%d %H:%M:%S %z", &tm);
	else
		n = strftime(buf, len, "%Y-%m-%d %H:%M %z", &tm);
	if (n == 0)
		snprintf(buf, len, "@%lld", (long long)t);
}

int
when_parse_utc(const char *s, time_t *t)
{
	struct tm	 tm;
	int		 n = -1;
	time_t		 v;

	memset(&tm, 0, sizeof tm);
	if (sscanf(s, "%4d-%2d-%2d%*[T ]%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n < 0)
		return -1;
	if (s[n] == 'Z')
		n++;
	if (s[n] != '\0' || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon--;
	if ((v = timegm(&tm)) == (time_t)-1)
		return -1;
	*t = v;
	return 0;
}

void
when_local_utc(const char *utc, int flags, char *buf, size_t len)
{
	time_t	 t;

	assert(len > 0);
	if (when_parse_utc(utc, &t) == 0)
		when_local(t, flags, buf, len);
	else
		snprintf(buf, len, "%s", utc);
}
