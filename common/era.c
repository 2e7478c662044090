/*
 * era.c -- a date as a Japanese municipal document writes it, in the
 * era (和暦): 令和8年12月6日, and 令和元年5月1日 for an era's first year.
 *
 * Only the eras of the dates daicho can meet: 平成 from 1989-01-08, 令和
 * from 2019-05-01.  A fiscal year too: 令和8年度 for April 2026 to March
 * 2027.  Data and CSV keep ISO dates; this is for what a
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

/* The era of y-m-d (a valid date), or NULL before the first here. */
static const struct era *
era_find(int y, int m, int d)
{
	const struct era	*e;
	size_t			 i;
	long			 n = (long)y * 10000 + m * 100 + d;

	for (i = 0; i < sizeof eras / sizeof eras[0]; i++) {
		e = &eras[i];
		if (n >= (long)e->y * 10000 + e->m * 100 + e->d)
			return e;
	}
	return NULL;
}

/* "<name><n>年<rest>" into buf, 元 for n == 1; 0 or -1 (buf empty). */
static int
era_put(char *buf, size_t len, const char *name, int n, const char *rest)
{
	char	 year[16];
	int	 w;

	if (n == 1)
		snprintf(year, sizeof year, "元");
	else
		snprintf(year, sizeof year, "%d", n);
	w = snprintf(buf, len, "%s%s年%s", name, year, rest);
	if (w < 0 || (size_t)w >= len) {
		if (len > 0)
			buf[0] = '\0';
		return -1;
	}
	return 0;
}

static int
era_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= era_mdays(y, m);
}

int
era_format(char *buf, size_t len, int y, int m, int d)
{
	const struct era	*e;
	char			 rest[48];

	if (len > 0)
		buf[0] = '\0';
	if (!era_valid(y, m, d) || (e = era_find(y, m, d)) == NULL)
		return -1;
	snprintf(rest, sizeof rest, "%d月%d日", m, d);
	return era_put(buf, len, e->name, y - e->y + 1, rest);
}

const char *
era_name(int y, int m, int d)
{
	const struct era	*e;

	if (!era_valid(y, m, d) || (e = era_find(y, m, d)) == NULL)
		return NULL;
	return e->name;
}

/*
 * A fiscal year (April fy to March fy+1) is named by the era of its last
 * day, counted from that era's first calendar year: the year begun in
 * 平成31年 April and ended in 令和2年 March is 令和元年度, as the
 * government names it.
 */
int
era_fiscal(char *buf, size_t len, int fy)
{
	const struct era	*e;

	if (len > 0)
		buf[0] = '\0';
	if (fy < 1 || fy > 9998 || (e = era_find(fy + 1, 3, 31)) == NULL ||
	    fy < e->y)
		return -1;
	return era_put(buf, len, e->name, fy - e->y + 1, "度");
}
