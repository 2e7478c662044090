/*
 * era.c -- a date as a Japanese municipal document writes it, in the
 * era (和暦): 令和8年12月6日, and 令和元年5月1日 for an era's first year.
 *
 * Only the eras of the dates daicho can meet: 平成 from 1989-01-08, 令和
 * from 2019-05-01.  Data and CSV keep ISO dates; this is for what a
 * person reads next to them.
 */
#include "config.h"

#include <stdio.h>

#include "common.h"

static const struct era {
	const char	*name;
	int		 y, m, d;		/* its first day */
} eras[] = {				/* newest first */
	{ "令和", 2019, 5, 1 },
	{ "平成", 1989, 1, 8 },
};

/* Days in month m of year y (1 <= m <= 12). */
static int
era_mdays(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int
era_format(char *buf, size_t len, int y, int m, int d)
{
	const struct era	*e;
	char			 year[16];
	size_t			 i;
	long			 n;
	int			 w;

	if (len > 0)
		buf[0] = '\0';
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > era_mdays(y, m))
		return -1;
	for (i = 0; i < sizeof eras / sizeof eras[0]; i++) {
		e = &eras[i];
		n = (long)y * 10000 + m * 100 + d;
		if (n < (long)e->y * 10000 + e->m * 100 + e->d)
			continue;
		if (y == e->y)
			snprintf(year, sizeof year, "元");
		else
			snprintf(year, sizeof year, "%d", y - e->y + 1);
		w = snprintf(buf, len, "%s%s年%d月%d日", e->name, year, m, d);
		if (w < 0 || (size_t)w >= len) {
			if (len > 0)
				buf[0] = '\0';
			return -1;
		}
		return 0;
	}
	return -1;
}
