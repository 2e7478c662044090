/*
 * number.c -- strict decimal parsing, in the spirit of OpenBSD strtonum()
 * but stricter: the ledger format allows exactly one spelling of each
 * number, so leading zeros, '+' and spaces are refused.
 *
 * The words it returns stay English, because a target's cause that quotes
 * one is recorded by outbox.result; they are marked N_() so that where a
 * person reads one, the caller shows _(errstr) instead.
 */
#include "config.h"

#include <limits.h>
#include <stddef.h>

#include "common.h"

int
number_parse(const char *s, long long min, long long max, long long *out,
    const char **errstr)
{
	unsigned long long	 v = 0, limit;
	int			 neg = 0;
	const char		*p = s;

	if (*p == '-' && min < 0) {
		neg = 1;
		p++;
	}
	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] != '\0') ||
	    (neg && p[0] == '0')) {
		*errstr = N_("invalid");
		return -1;
	}
	limit = neg ? (unsigned long long)LLONG_MAX + 1 :
	    (unsigned long long)LLONG_MAX;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (limit - (unsigned)(*p - '0')) / 10) {
			*errstr = neg ? N_("too small") : N_("too large");
			return -1;
		}
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (*p != '\0') {
		*errstr = N_("invalid");
		return -1;
	}
	if (neg) {
		long long n = v == (unsigned long long)LLONG_MAX + 1 ?
		    LLONG_MIN : -(long long)v;
		if (n < min) {
			*errstr = N_("too small");
			return -1;
		}
		*out = n;
		return 0;
	}
	if ((long long)v > max) {
		*errstr = N_("too large");
		return -1;
	}
	if ((long long)v < min) {
		*errstr = N_("too small");
		return -1;
	}
	*out = (long long)v;
	return 0;
}
