/*
 * bench-console.c -- the list widget over a city's worth of rows.
 *
 *	bench-console [ROWS]		 default 600000
 *
 * Loads a list of synthetic people (core_synth_person: employee number,
 * kanji name, kana, department, position), then types filters one
 * character at a time and deletes them again, as a person would, timing
 * each keystroke from tui_list_key to the page drawn and flushed by
 * doupdate() into a curses screen on /dev/null.  Prints "name value"
 * lines for bench/run:
 *
 *	console.list_load_ms	 tui_list_new: the search text of every row
 *	console.filter_ms	 the slowest keystroke
 *	console.filter_ms_median
 *	console.list_sort_ms	 F6 to the department column, drawn
 *	console.list_rss_mb	 VmHWM of the whole process after all that
 *
 * Rows are made on demand from their number, as a screen would page them
 * from the store, so the memory measured is the list's own.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "core.h"
#include "tui-int.h"

#define BENCH_SEED	4242
#define BENCH_ROWS	600000
#define BENCH_MAXDEPT	64

/* The source: a person made from the row number, the last one kept. */
struct bench_src {
	size_t			 n;
	size_t			 cached;	/* row in p, or SIZE_MAX */
	struct core_synth_person p;
	uint8_t			*dept;		/* each row's department */
	char			*depts[BENCH_MAXDEPT];
	int			 ndepts;
};

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const struct core_synth_person *
bench_person(struct bench_src *s, size_t row)
{
	if (s->cached != row) {
		core_synth_person(BENCH_SEED, row, &s->p);
		s->cached = row;
	}
	return &s->p;
}

static size_t
bench_count(void *arg)
{
	return ((struct bench_src *)arg)->n;
}

static void
bench_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	const struct core_synth_person	*p = bench_person(arg, row);
	const char			*v[] = {
		p->employee_no, p->name_kanji, p->name_kana, p->department,
		p->position
	};

	snprintf(buf, len, "%s", v[col]);
}

/* A small key per row, as a real screen would keep to sort by. */
static uint8_t
bench_dept(struct bench_src *s, const char *name)
{
	int	 i;

	for (i = 0; i < s->ndepts; i++) {
		if (strcmp(s->depts[i], name) == 0)
			return (uint8_t)i;
	}
	if (s->ndepts == BENCH_MAXDEPT)
		fatalx("too many departments");
	s->depts[s->ndepts] = xstrdup(name);
	return (uint8_t)s->ndepts++;
}

static void
bench_search(void *arg, size_t row, char *buf, size_t len)
{
	struct bench_src		*s = arg;
	const struct core_synth_person	*p = bench_person(s, row);

	s->dept[row] = bench_dept(s, p->department);
	snprintf(buf, len, "%s %s %s %s %s", p->employee_no, p->name_kanji,
	    p->name_kana, p->department, p->position);
}

static int
bench_compare(void *arg, size_t a, size_t b, int col)
{
	struct bench_src	*s = arg;

	if (col == 3)
		return strcmp(s->depts[s->dept[a]], s->depts[s->dept[b]]);
	/* Employee numbers follow the row number; others are not timed. */
	return (a > b) - (a < b);
}

static const struct tui_list_source bench_source = {
	bench_count, bench_cell, bench_search, bench_compare
};

static const struct tui_list_col bench_cols[] = {
	{ .title = "No.", .width = 8 },
	{ .title = "Name", .width = 12 },
	{ .title = "Kana", .width = 18 },
	{ .title = "Department" },
	{ .title = "Position", .width = 8 },
};

/* What a person types: ASCII, kanji, kana, and words with spaces. */
static const char *const bench_filters[] = {
	"e0012", "山田 課長", "ヤマダ\xe3\x80\x80ユ", "税務 主任", "tanaka",
};

static double	*times;
static size_t	 ntimes, maxtimes;

static void
bench_draw(struct tui_list *l)
{
	tui_list_draw(l, stdscr, 0, 0, LINES, COLS);
	wnoutrefresh(stdscr);
	doupdate();
}

static void
bench_key(struct tui_list *l, wint_t ch, int fn)
{
	struct tui_key	 k = { ch, fn };
	double		 t = now();

	if (tui_list_key(l, &k) & TUI_REDRAW)
		bench_draw(l);
	if (ntimes == maxtimes) {
		maxtimes = maxtimes == 0 ? 64 : maxtimes * 2;
		times = xreallocarray(times, maxtimes, sizeof *times);
	}
	times[ntimes++] = now() - t;
}

static int
bench_cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Peak resident set of this process, in MB. */
static double
bench_hwm_mb(void)
{
	FILE		*f;
	char		 line[256];
	unsigned long	 kb = 0;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		fatal("/proc/self/status");
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmHWM: %lu kB", &kb) == 1)
			break;
	}
	fclose(f);
	return (double)kb / 1024;
}

int
main(int argc, char **argv)
{
	struct bench_src	 s;
	struct tui_list		*l;
	SCREEN			*scr;
	FILE			*out, *in;
	const char		*errstr, *p;
	long long		 v;
	size_t			 f, i, typed;
	mbstate_t		 ps;
	wchar_t			 wc;
	double			 t, load_ms, sort_ms;

	xmalloc_init();
	memset(&s, 0, sizeof s);
	s.n = BENCH_ROWS;
	if (argc > 1) {
		if (number_parse(argv[1], 1, 10000000, &v, &errstr) != 0) {
			fprintf(stderr, "bench-console: rows %s is %s\n",
			    argv[1], errstr);
			return 2;
		}
		s.n = (size_t)v;
	}
	s.cached = SIZE_MAX;
	s.dept = xcalloc(s.n, 1);

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		fatalx("no C.UTF-8 locale");
	setenv("TERM", "xterm-256color", 1);
	if ((out = fopen("/dev/null", "w")) == NULL ||
	    (in = fopen("/dev/null", "r")) == NULL)
		fatal("/dev/null");
	if ((scr = newterm(NULL, out, in)) == NULL)
		fatalx("newterm failed");
	resize_term(TUI_MIN_LINES, TUI_MIN_COLS);
	tui_colour_init();

	t = now();
	l = tui_list_new(bench_cols, 5, &bench_source, &s);
	load_ms = now() - t;
	bench_draw(l);

	for (f = 0; f < sizeof bench_filters / sizeof bench_filters[0]; f++) {
		memset(&ps, 0, sizeof ps);
		typed = 0;
		for (p = bench_filters[f]; *p != '\0'; p += i) {
			i = mbrtowc(&wc, p, strlen(p), &ps);
			if (i == 0 || i > 4)
				fatalx("bad filter");
			bench_key(l, (wint_t)wc, 0);
			typed++;
		}
		while (typed-- > 0)
			bench_key(l, KEY_BACKSPACE, 1);
	}
	if (tui_list_shown(l) != s.n)
		fatalx("filter left %zu of %zu rows", tui_list_shown(l), s.n);

	/* From the Kana column, F6 sorts by Department: that is timed. */
	tui_list_set_sort(l, 2, 0);
	t = now();
	{
		struct tui_key	 k = { KEY_F(6), 1 };

		tui_list_key(l, &k);
		bench_draw(l);
	}
	sort_ms = now() - t;

	qsort(times, ntimes, sizeof *times, bench_cmp_double);
	printf("console.list_rows %zu\n", s.n);
	printf("console.keystrokes %zu\n", ntimes);
	printf("console.list_load_ms %.1f\n", load_ms);
	printf("console.filter_ms %.2f\n", times[ntimes - 1]);
	printf("console.filter_ms_median %.2f\n", times[ntimes / 2]);
	printf("console.list_sort_ms %.1f\n", sort_ms);
	printf("console.list_rss_mb %.1f\n", bench_hwm_mb());

	tui_list_free(l);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	for (i = 0; i < (size_t)s.ndepts; i++)
		free(s.depts[i]);
	free(s.dept);
	free(times);
	return 0;
}
