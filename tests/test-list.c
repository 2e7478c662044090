/*
 * test-list.c -- the list widget, display widths and styles.
 *
 * The list is checked against a naive model written here (every row's
 * text built again, lower-cased and searched with strstr; a stable sort
 * by insertion), so the two share no code.  Incremental filtering must
 * agree with filtering from scratch for every prefix of every filter, as
 * typed and as deleted.  Drawing goes into a real curses screen on
 * /dev/null and is read back cell by cell, the way a person sees it.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tui-int.h"

#define NROWS		2000
#define NCOLS		4

struct row {
	char		 no[16];
	char		 name[64];
	char		 kana[64];
	char		 dept[64];
};

struct src {
	struct row	*rows;
	size_t		 n;
	size_t		 cells;			/* cell() calls */
	size_t		 searches;		/* search() calls */
};

static const char *const surnames[][2] = {
	{ "山田", "ヤマダ" }, { "佐藤", "サトウ" }, { "鈴木", "スズキ" },
	{ "田中", "タナカ" }, { "長谷川", "ハセガワ" },
};
static const char *const given[][2] = {
	{ "太郎", "タロウ" }, { "花子", "ハナコ" }, { "一郎", "イチロウ" },
	{ "さくら", "サクラ" },
};
static const char *const ascii_names[] = {
	"Alice Smith", "bob JONES", "Carol White", "Dave Brown", "Eve Black",
};
static const char *const depts[] = {
	"税務課", "市民課", "IT Section", "総務課", "Fire Dept",
};

static struct src	 big;
static SCREEN		*screen;

/* Source callbacks. */

static size_t
src_count(void *arg)
{
	return ((struct src *)arg)->n;
}

static const char *
src_field(const struct row *r, int col)
{
	switch (col) {
	case 0:
		return r->no;
	case 1:
		return r->name;
	case 2:
		return r->kana;
	default:
		return r->dept;
	}
}

static void
src_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	struct src	*s = arg;

	assert_true(row < s->n);
	s->cells++;
	snprintf(buf, len, "%s", src_field(&s->rows[row], col));
}

static void
src_search(void *arg, size_t row, char *buf, size_t len)
{
	const struct row	*r = &((struct src *)arg)->rows[row];

	((struct src *)arg)->searches++;
	snprintf(buf, len, "%s %s %s %s", r->no, r->name, r->kana, r->dept);
}

static int
src_compare(void *arg, size_t a, size_t b, int col)
{
	struct src	*s = arg;

	return strcmp(src_field(&s->rows[a], col), src_field(&s->rows[b], col));
}

static const struct tui_list_source source = {
	src_count, src_cell, src_search, src_compare
};

static const struct tui_list_col cols[NCOLS] = {
	{ .title = "No.", .width = 8 },
	{ .title = "Name", .width = 12 },
	{ .title = "Kana", .width = 16 },
	{ .title = "Department" },
};

/* Deterministic rows: Japanese and ASCII names, departments repeating. */
static void
make_rows(struct src *s, size_t n)
{
	size_t		 i;
	struct row	*r;

	s->n = n;
	s->rows = calloc(n, sizeof *s->rows);
	assert_non_null(s->rows);
	for (i = 0; i < n; i++) {
		r = &s->rows[i];
		snprintf(r->no, sizeof r->no, "E%06zu", (i * 7919) % 1000000);
		if (i % 3 == 2) {
			snprintf(r->name, sizeof r->name, "%s",
			    ascii_names[(i / 3) % 5]);
			snprintf(r->kana, sizeof r->kana, "%s",
			    ascii_names[(i / 3 + 1) % 5]);
		} else {
			snprintf(r->name, sizeof r->name, "%s %s",
			    surnames[i % 5][0], given[(i / 5) % 4][0]);
			/* U+3000 between the names, as HR data has it. */
			snprintf(r->kana, sizeof r->kana, "%s\xe3\x80\x80%s",
			    surnames[i % 5][1], given[(i / 5) % 4][1]);
		}
		snprintf(r->dept, sizeof r->dept, "%s", depts[(i / 2) % 5]);
	}
	/* A known first row: 山田 太郎 / ヤマダ　タロウ. */
	snprintf(s->rows[0].name, sizeof s->rows[0].name, "山田 太郎");
	snprintf(s->rows[0].kana, sizeof s->rows[0].kana,
	    "ヤマダ\xe3\x80\x80タロウ");
}

/* The naive model. */

static void
lower(char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

static int
model_match(struct src *s, size_t row, const char *filter)
{
	char	 text[512], f[512], *word, *save;

	src_search(s, row, text, sizeof text);
	text[TUI_LIST_SEARCHMAX] = '\0';	/* rows here are shorter */
	lower(text);
	snprintf(f, sizeof f, "%s", filter);
	lower(f);
	/* U+3000 separates words too. */
	for (word = strstr(f, "\xe3\x80\x80"); word != NULL;
	    word = strstr(word, "\xe3\x80\x80"))
		memcpy(word, "   ", 3);
	for (word = strtok_r(f, " ", &save); word != NULL;
	    word = strtok_r(NULL, " ", &save)) {
		if (strstr(text, word) == NULL)
			return 0;
	}
	return 1;
}

static struct src	*model_src;
static int		 model_col, model_desc;

static int
model_before(size_t a, size_t b)
{
	int	 v = strcmp(src_field(&model_src->rows[a], model_col),
	    src_field(&model_src->rows[b], model_col));

	return model_desc ? v > 0 : v < 0;
}

/* Rows passing filter, sorted by col (-1: none), stably. */
static size_t
model_rows(struct src *s, const char *filter, int col, int desc, size_t *out)
{
	size_t	 n = 0, i, j, x;

	for (i = 0; i < s->n; i++) {
		if (model_match(s, i, filter))
			out[n++] = i;
	}
	if (col < 0 && desc) {
		for (i = 0; i < n / 2; i++) {
			x = out[i];
			out[i] = out[n - 1 - i];
			out[n - 1 - i] = x;
		}
	} else if (col >= 0) {
		model_src = s;
		model_col = col;
		model_desc = desc;
		for (i = 1; i < n; i++) {
			x = out[i];
			for (j = i; j > 0 && model_before(x, out[j - 1]); j--)
				out[j] = out[j - 1];
			out[j] = x;
		}
	}
	return n;
}

/* Helpers. */

static int
key(struct tui_list *l, wint_t ch, int fn)
{
	struct tui_key	 k = { ch, fn };

	return tui_list_key(l, &k);
}

/* Type UTF-8 s one character at a time, as wget_wch would deliver it. */
static void
type(struct tui_list *l, const char *s)
{
	mbstate_t	 ps;
	wchar_t		 wc;
	size_t		 n;

	memset(&ps, 0, sizeof ps);
	while (*s != '\0') {
		n = mbrtowc(&wc, s, strlen(s), &ps);
		assert_true(n > 0 && n <= 4);
		assert_int_equal(key(l, (wint_t)wc, 0),
		    TUI_HANDLED | TUI_REDRAW);
		s += n;
	}
}

/* The shown rows in order, walked with the keys. */
static size_t
shown_rows(struct tui_list *l, size_t *out)
{
	size_t	 n = 0;

	if (tui_list_shown(l) == 0) {
		assert_int_equal(tui_list_current(l), SIZE_MAX);
		return 0;
	}
	key(l, KEY_HOME, 1);
	do {
		out[n++] = tui_list_current(l);
	} while (key(l, KEY_DOWN, 1) == (TUI_HANDLED | TUI_REDRAW));
	assert_int_equal(n, tui_list_shown(l));
	return n;
}

static void
check_against_model(struct tui_list *l, struct src *s, const char *filter,
    int col, int desc)
{
	size_t	*want, *got, nw, ng;

	want = calloc(s->n + 1, sizeof *want);
	got = calloc(s->n + 1, sizeof *got);
	nw = model_rows(s, filter, col, desc, want);
	ng = shown_rows(l, got);
	if (nw != ng || memcmp(want, got, nw * sizeof *want) != 0)
		fail_msg("filter \"%s\" sort %d%s: %zu rows, model %zu", filter,
		    col, desc ? " desc" : "", ng, nw);
	assert_memory_equal(want, got, nw * sizeof *want);
	free(want);
	free(got);
}

static struct tui_list *
new_list(struct src *s)
{
	return tui_list_new(cols, NCOLS, &source, s);
}

/* The UTF-8 prefixes of s, each ending on a character boundary. */
static size_t
next_char(const char *s)
{
	size_t	 n = 1;

	while (((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	return n;
}

/* text.c */

static void
test_text_width(void **state)
{
	assert_int_equal(tui_text_width(""), 0);
	assert_int_equal(tui_text_width("abc"), 3);
	assert_int_equal(tui_text_width("山田"), 4);
	assert_int_equal(tui_text_width("山田 太郎"), 9);
	assert_int_equal(tui_text_width("ヤマダ\xe3\x80\x80タロウ"), 14);
	/* e + COMBINING ACUTE ACCENT: one column. */
	assert_int_equal(tui_text_width("e\xcc\x81"), 1);
	assert_int_equal(tui_text_width("caf\xc3\xa9"), 4);
	/* Invalid bytes: "\xNN", four columns each (common/vis.c). */
	assert_int_equal(tui_text_width("\xff"), 4);
	assert_int_equal(tui_text_width("a\xff\xfe" "b"), 10);
	assert_int_equal(tui_text_width("a\xe3\x81"), 9);	/* cut short */
	assert_int_equal(tui_text_width("\xc0\xaf"), 8);	/* overlong */
	/* Control characters: their escapes, as the command line prints. */
	assert_int_equal(tui_text_width("\t"), 4);
	assert_int_equal(tui_text_width("\x1b[2J"), 7);
	assert_int_equal(tui_text_width("\xc2\x9b"), 6);	/* C1 CSI */
	assert_int_equal(tui_text_width("\\"), 2);
	assert_int_equal(tui_text_width("\xe2\x80\xa6"), 1);	/* … */
}

/* What a person sees on line y from column x for n columns, as UTF-8. */
static char *
seen(WINDOW *w, int y, int x, int n)
{
	static char	 out[1024];
	cchar_t		 cc;
	wchar_t		 wch[CCHARW_MAX + 1];
	attr_t		 a;
	short		 p;
	char		 mb[16];
	size_t		 len = 0, k;
	int		 c, i;
	mbstate_t	 ps;

	memset(&ps, 0, sizeof ps);
	for (c = x; c < x + n; c++) {
		assert_int_equal(mvwin_wch(w, y, c, &cc), OK);
		getcchar(&cc, wch, &a, &p, NULL);
		for (i = 0; wch[i] != 0; i++) {
			k = wcrtomb(mb, wch[i], &ps);
			assert_true(k != (size_t)-1);
			memcpy(out + len, mb, k);
			len += k;
		}
		if (wcwidth(wch[0]) == 2)
			c++;			/* its second half */
	}
	out[len] = '\0';
	return out;
}

/* The character in cell (y, x). */
static wchar_t
cell_at(WINDOW *w, int y, int x)
{
	cchar_t		 cc;
	wchar_t		 wch[CCHARW_MAX + 1];
	attr_t		 a;
	short		 p;

	mvwin_wch(w, y, x, &cc);
	getcchar(&cc, wch, &a, &p, NULL);
	return wch[0];
}

static attr_t
attr_at(WINDOW *w, int y, int x)
{
	cchar_t		 cc;
	wchar_t		 wch[CCHARW_MAX + 1];
	attr_t		 a;
	short		 p;

	mvwin_wch(w, y, x, &cc);
	getcchar(&cc, wch, &a, &p, NULL);
	return a | (attr_t)COLOR_PAIR(p);
}

static void
test_text_put(void **state)
{
	WINDOW	*w = newwin(6, 20, 0, 0);

	assert_non_null(w);
	tui_text_put(w, 0, 0, "山田太郎", 8, 0);
	assert_string_equal(seen(w, 0, 0, 8), "山田太郎");
	/* One column short: the last kanji gives way to "…". */
	tui_text_put(w, 0, 0, "山田太郎", 7, 0);
	assert_string_equal(seen(w, 0, 0, 7), "山田太…");
	/* Two short: a kanji cannot be split, a space fills its place. */
	werase(w);
	tui_text_put(w, 0, 0, "山田太郎xyz", 6, 0);
	assert_string_equal(seen(w, 0, 0, 8), "山田… " "  ");
	tui_text_put(w, 1, 0, "abcdef", 4, 0);
	assert_string_equal(seen(w, 1, 0, 4), "abc…");
	tui_text_put(w, 1, 0, "abc", 1, 0);
	assert_string_equal(seen(w, 1, 0, 1), "…");
	/* Padding, left and right. */
	tui_text_put(w, 2, 0, "ab", 5, 0);
	assert_string_equal(seen(w, 2, 0, 5), "ab   ");
	tui_text_put(w, 2, 0, "山", 5, 1);
	assert_string_equal(seen(w, 2, 0, 5), "   山");
	tui_text_put(w, 2, 0, "山田太郎", 6, 1);
	assert_string_equal(seen(w, 2, 0, 6), " 山田…");
	/* Controls and invalid bytes: escaped; an escape is never cut. */
	tui_text_put(w, 3, 0, "a\tb\x1b[1m\xff" "c", 20, 0);
	assert_string_equal(seen(w, 3, 0, 20), "a\\x09b\\x1b[1m\\xffc  ");
	tui_text_put(w, 3, 0, "a\tb\x1b[1m\xff" "c", 9, 0);
	assert_string_equal(seen(w, 3, 0, 9), "a\\x09b…  ");
	/* Combining marks stay on their base; one with no base is dropped. */
	tui_text_put(w, 4, 0, "e\xcc\x81x", 3, 0);
	assert_string_equal(seen(w, 4, 0, 3), "e\xcc\x81x ");
	tui_text_put(w, 4, 0, "\xcc\x81y", 2, 0);
	assert_string_equal(seen(w, 4, 0, 2), "y ");
	/* Never past the window's edge, and no wrap to the next line. */
	werase(w);
	tui_text_put(w, 5, 15, "山田太郎", 8, 0);
	assert_string_equal(seen(w, 5, 15, 5), "山田…");
	tui_text_put(w, 5, 19, "山", 2, 0);
	assert_string_equal(seen(w, 5, 19, 1), "…");
	tui_text_put(w, 5, 20, "x", 1, 0);
	tui_text_put(w, 6, 0, "x", 1, 0);
	delwin(w);
}

/* colour.c */

static void
test_colour(void **state)
{
	static const enum tui_style distinct[] = {
		TUI_NORMAL, TUI_TITLE, TUI_HEADER, TUI_CURSOR, TUI_MARKED,
		TUI_ERROR,
	};
	size_t	 i, j;

	/* Empty NO_COLOR means unset (no-color.org). */
	setenv("NO_COLOR", "", 1);
	tui_colour_init();
	assert_true(has_colors());
	assert_int_not_equal(PAIR_NUMBER(tui_style(TUI_CURSOR)), 0);
	assert_int_not_equal(PAIR_NUMBER(tui_style(TUI_ERROR)), 0);

	setenv("NO_COLOR", "1", 1);
	tui_colour_init();
	for (i = 0; i < TUI_NSTYLES; i++)
		assert_int_equal(PAIR_NUMBER(tui_style(i)), 0);
	assert_int_equal(tui_style(TUI_NORMAL), A_NORMAL);
	assert_true(tui_style(TUI_CURSOR) & A_REVERSE);
	/* Without colour, what must stand out still differs. */
	for (i = 0; i < sizeof distinct / sizeof distinct[0]; i++) {
		for (j = i + 1; j < sizeof distinct / sizeof distinct[0]; j++)
			assert_int_not_equal(tui_style(distinct[i]),
			    tui_style(distinct[j]));
	}
	unsetenv("NO_COLOR");
}

/* widget-list.c: filtering */

static void
test_filter_basic(void **state)
{
	struct tui_list	*l = new_list(&big);

	assert_int_equal(tui_list_shown(l), NROWS);
	assert_string_equal(tui_list_filter(l), "");
	check_against_model(l, &big, "", -1, 0);

	/* ASCII case is ignored both ways. */
	tui_list_set_filter(l, "ALICE");
	assert_true(tui_list_shown(l) > 0);
	check_against_model(l, &big, "alice", -1, 0);
	tui_list_set_filter(l, "jones");
	assert_true(tui_list_shown(l) > 0);
	check_against_model(l, &big, "JONES", -1, 0);

	/* Japanese substrings: kanji, kana, inside a word. */
	tui_list_set_filter(l, "山田");
	assert_true(tui_list_shown(l) > 0);
	check_against_model(l, &big, "山田", -1, 0);
	tui_list_set_filter(l, "マダ");
	check_against_model(l, &big, "マダ", -1, 0);
	tui_list_set_filter(l, "山田 太郎");
	check_against_model(l, &big, "山田 太郎", -1, 0);
	key(l, KEY_HOME, 1);
	assert_int_equal(tui_list_current(l), 0);

	/* Every word must match (AND), in any order. */
	tui_list_set_filter(l, "税務 山田");
	check_against_model(l, &big, "税務 山田", -1, 0);
	tui_list_set_filter(l, "山田 税務");
	check_against_model(l, &big, "税務 山田", -1, 0);
	tui_list_set_filter(l, "  alice   it  ");
	assert_true(tui_list_shown(l) > 0);
	check_against_model(l, &big, "alice it", -1, 0);
	/* U+3000 separates words as a space does. */
	tui_list_set_filter(l, "ヤマダ\xe3\x80\x80タロウ");
	check_against_model(l, &big, "ヤマダ タロウ", -1, 0);
	key(l, KEY_HOME, 1);
	assert_int_equal(tui_list_current(l), 0);

	tui_list_set_filter(l, "no such thing");
	assert_int_equal(tui_list_shown(l), 0);
	assert_int_equal(tui_list_current(l), SIZE_MAX);
	/*
	 * Rows lie end to end in the search arena: one row's department
	 * and the next row's number must not match as one word.
	 */
	tui_list_set_filter(l, "depte");
	assert_int_equal(tui_list_shown(l), 0);
	tui_list_set_filter(l, "課e");
	assert_int_equal(tui_list_shown(l), 0);
	tui_list_set_filter(l, "sectione0");
	assert_int_equal(tui_list_shown(l), 0);
	tui_list_set_filter(l, "dept");
	check_against_model(l, &big, "dept", -1, 0);
	type(l, "e");
	assert_int_equal(tui_list_shown(l), 0);
	/* A stray byte never matches inside a character. */
	tui_list_set_filter(l, "\x80");
	assert_int_equal(tui_list_shown(l), 0);
	tui_list_set_filter(l, "\xb1");		/* in 山 (e5 b1 b1) */
	assert_int_equal(tui_list_shown(l), 0);
	tui_list_set_filter(l, "");
	assert_int_equal(tui_list_shown(l), NROWS);
	tui_list_free(l);
	tui_list_free(NULL);
}

/* Typing and deleting agree with from-scratch at every step. */
static void
test_filter_incremental(void **state)
{
	static const char *const filters[] = {
		"E0001", "山田 太郎", "alice smith", "ヤマダ\xe3\x80\x80タロウ",
		"税務課 さ", "BoB jOnEs fire", "田 郎 e", "xyz", "i i i",
	};
	struct tui_list	*l = new_list(&big), *fresh;
	char		 prefix[256];
	size_t		 f, len, n;
	int		 col;

	for (col = -1; col < 2; col++) {
		tui_list_set_sort(l, col, col == 1);
		for (f = 0; f < sizeof filters / sizeof filters[0]; f++) {
			len = 0;
			while (filters[f][len] != '\0') {
				n = next_char(filters[f] + len);
				memcpy(prefix, filters[f], len + n);
				prefix[len + n] = '\0';
				type(l, prefix + len);
				len += n;
				assert_string_equal(tui_list_filter(l), prefix);
				check_against_model(l, &big, prefix, col,
				    col == 1);
				fresh = new_list(&big);
				tui_list_set_sort(fresh, col, col == 1);
				tui_list_set_filter(fresh, prefix);
				assert_int_equal(tui_list_shown(fresh),
				    tui_list_shown(l));
				tui_list_free(fresh);
			}
			/* Backspace takes one whole character at a time. */
			while (len > 0) {
				assert_int_equal(key(l, KEY_BACKSPACE, 1),
				    TUI_HANDLED | TUI_REDRAW);
				while (((unsigned char)prefix[len - 1] & 0xc0)
				    == 0x80)
					len--;
				prefix[--len] = '\0';
				assert_string_equal(tui_list_filter(l), prefix);
				check_against_model(l, &big, prefix, col,
				    col == 1);
			}
			assert_int_equal(tui_list_shown(l), NROWS);
		}
	}
	/* ^U clears; 127 and ^H are Backspace too. */
	type(l, "ab");
	assert_int_equal(key(l, 127, 0), TUI_HANDLED | TUI_REDRAW);
	assert_string_equal(tui_list_filter(l), "a");
	assert_int_equal(key(l, 8, 0), TUI_HANDLED | TUI_REDRAW);
	assert_string_equal(tui_list_filter(l), "");
	type(l, "山田 e");
	assert_int_equal(key(l, 21, 0), TUI_HANDLED | TUI_REDRAW);
	assert_string_equal(tui_list_filter(l), "");
	assert_int_equal(tui_list_shown(l), NROWS);
	/* Jumps that neither narrow nor widen. */
	tui_list_set_sort(l, -1, 1);
	tui_list_set_filter(l, "alice");
	tui_list_set_filter(l, "bob");
	check_against_model(l, &big, "bob", -1, 1);
	tui_list_set_filter(l, "ob");
	check_against_model(l, &big, "ob", -1, 1);
	tui_list_set_filter(l, "ob 山");
	check_against_model(l, &big, "ob 山", -1, 1);
	tui_list_free(l);
}

/* The filter's length limit, and search text past the cap. */
static void
test_filter_limits(void **state)
{
	struct tui_list	*l = new_list(&big);
	struct src	 s;
	char		 longf[TUI_LIST_FILTERMAX + 10];
	size_t		 i;

	/* A filter at the limit takes no more, and cuts at a character. */
	memset(longf, 'a', sizeof longf);
	longf[sizeof longf - 1] = '\0';
	tui_list_set_filter(l, longf);
	assert_int_equal(strlen(tui_list_filter(l)), TUI_LIST_FILTERMAX);
	assert_int_equal(key(l, 'b', 0), TUI_HANDLED);
	assert_int_equal(strlen(tui_list_filter(l)), TUI_LIST_FILTERMAX);
	for (i = 0; i + 3 <= sizeof longf - 1; i += 3)
		memcpy(longf + i, "山", 3);
	longf[i] = '\0';
	tui_list_set_filter(l, longf);
	assert_int_equal(strlen(tui_list_filter(l)) % 3, 0);
	tui_list_free(l);

	/* Search text is cut at TUI_LIST_SEARCHMAX, between characters. */
	make_rows(&s, 3);
	memset(s.rows[1].dept, 0, sizeof s.rows[1].dept);
	for (i = 0; i < 20; i++)
		memcpy(s.rows[1].dept + 3 * i, "課", 3);
	memcpy(s.rows[1].dept + 60, "zzz", 3);
	l = new_list(&s);
	/* 44 bytes before the department: the 課 run straddles the cap. */
	tui_list_set_filter(l, "課課課");
	assert_int_equal(tui_list_shown(l), 1);
	/* Past the cap: not searched. */
	tui_list_set_filter(l, "zzz");
	assert_int_equal(tui_list_shown(l), 0);
	/* Cut between characters: no half 課 (e8 aa b2) at the end. */
	tui_list_set_filter(l, "\xe8\xaa");
	assert_int_equal(tui_list_shown(l), 0);
	tui_list_free(l);
	free(s.rows);
}

/* widget-list.c: sorting */

static void
test_sort(void **state)
{
	struct tui_list	*l = new_list(&big);
	size_t		*got, n, i;
	int		 col, desc, v;

	got = calloc(NROWS, sizeof *got);
	for (col = 0; col < NCOLS; col++) {
		for (desc = 0; desc < 2; desc++) {
			tui_list_set_sort(l, col, desc);
			n = shown_rows(l, got);
			assert_int_equal(n, NROWS);
			for (i = 1; i < n; i++) {
				v = src_compare(&big, got[i - 1], got[i], col);
				/* Ordered, and ties in source order. */
				assert_true(desc ? v >= 0 : v <= 0);
				if (v == 0)
					assert_true(got[i - 1] < got[i]);
			}
			check_against_model(l, &big, "", col, desc);
			tui_list_set_filter(l, "山");
			check_against_model(l, &big, "山", col, desc);
			tui_list_set_filter(l, "");
		}
	}

	/* F6 walks the columns, then back to source order; F7 reverses. */
	tui_list_set_sort(l, -1, 0);
	for (col = 0; col < NCOLS; col++) {
		assert_int_equal(key(l, KEY_F(6), 1), TUI_HANDLED | TUI_REDRAW);
		check_against_model(l, &big, "", col, 0);
	}
	assert_int_equal(key(l, KEY_F(6), 1), TUI_HANDLED | TUI_REDRAW);
	check_against_model(l, &big, "", -1, 0);
	assert_int_equal(key(l, KEY_F(7), 1), TUI_HANDLED | TUI_REDRAW);
	check_against_model(l, &big, "", -1, 1);
	assert_int_equal(key(l, KEY_F(6), 1), TUI_HANDLED | TUI_REDRAW);
	check_against_model(l, &big, "", 0, 0);
	assert_int_equal(key(l, KEY_F(7), 1), TUI_HANDLED | TUI_REDRAW);
	check_against_model(l, &big, "", 0, 1);
	assert_int_equal(key(l, KEY_F(7), 1), TUI_HANDLED | TUI_REDRAW);
	check_against_model(l, &big, "", 0, 0);
	free(got);
	tui_list_free(l);
}

/* A source that cannot sort can still be reversed. */
static void
test_sort_without_compare(void **state)
{
	struct tui_list_source	 s = source;
	struct tui_list		*l;

	s.compare = NULL;
	l = tui_list_new(cols, NCOLS, &s, &big);
	assert_int_equal(key(l, KEY_F(6), 1), TUI_HANDLED);
	check_against_model(l, &big, "", -1, 0);
	assert_int_equal(key(l, KEY_F(7), 1), TUI_HANDLED | TUI_REDRAW);
	check_against_model(l, &big, "", -1, 1);
	tui_list_set_sort(l, 2, 0);
	check_against_model(l, &big, "", -1, 0);
	tui_list_free(l);
}

/* widget-list.c: marks and the cursor */

static void
test_marks(void **state)
{
	struct tui_list	*l = new_list(&big);
	size_t		 r, n;

	assert_int_equal(tui_list_nmarked(l), 0);
	assert_int_equal(tui_list_next_marked(l, 0), SIZE_MAX);
	/* Insert and ^T toggle and move down. */
	assert_int_equal(key(l, KEY_IC, 1), TUI_HANDLED | TUI_REDRAW);
	assert_int_equal(tui_list_current(l), 1);
	assert_int_equal(key(l, 20, 0), TUI_HANDLED | TUI_REDRAW);
	assert_int_equal(tui_list_current(l), 2);
	assert_true(tui_list_marked(l, 0));
	assert_true(tui_list_marked(l, 1));
	assert_false(tui_list_marked(l, 2));
	assert_false(tui_list_marked(l, NROWS + 5));
	assert_int_equal(tui_list_nmarked(l), 2);
	key(l, KEY_UP, 1);
	key(l, KEY_IC, 1);
	assert_false(tui_list_marked(l, 1));
	assert_int_equal(tui_list_nmarked(l), 1);
	/* Space is filter text, not a mark. */
	assert_int_equal(key(l, ' ', 0), TUI_HANDLED | TUI_REDRAW);
	assert_string_equal(tui_list_filter(l), " ");
	assert_int_equal(tui_list_nmarked(l), 1);
	key(l, 21, 0);

	/* Marks survive a filter that hides them. */
	tui_list_set_filter(l, "alice");
	assert_false(tui_list_marked(l, tui_list_current(l)));
	key(l, 20, 0);
	assert_int_equal(tui_list_nmarked(l), 2);
	tui_list_set_filter(l, "");
	assert_true(tui_list_marked(l, 0));
	assert_int_equal(tui_list_nmarked(l), 2);

	/* ^A marks every shown row, and again unmarks them. */
	tui_list_set_filter(l, "税務課");
	n = tui_list_shown(l);
	assert_int_equal(key(l, 1, 0), TUI_HANDLED | TUI_REDRAW);
	assert_int_equal(tui_list_nmarked(l),
	    n + (model_match(&big, 0, "税務課") ? 0 : 1) + 1);
	for (r = tui_list_next_marked(l, 0), n = 0; r != SIZE_MAX;
	    r = tui_list_next_marked(l, r + 1), n++)
		assert_true(tui_list_marked(l, r));
	assert_int_equal(n, tui_list_nmarked(l));
	assert_int_equal(key(l, 1, 0), TUI_HANDLED | TUI_REDRAW);
	assert_int_equal(tui_list_nmarked(l),
	    (model_match(&big, 0, "税務課") ? 0 : 1) + 1);
	tui_list_unmark_all(l);
	assert_int_equal(tui_list_nmarked(l), 0);
	assert_int_equal(tui_list_next_marked(l, 0), SIZE_MAX);
	/* Nothing shown: nothing to mark. */
	tui_list_set_filter(l, "no such thing");
	assert_int_equal(key(l, KEY_IC, 1), TUI_HANDLED);
	assert_int_equal(key(l, 1, 0), TUI_HANDLED);
	assert_int_equal(tui_list_nmarked(l), 0);
	/* The last row marks without moving. */
	tui_list_set_filter(l, "");
	key(l, KEY_END, 1);
	assert_int_equal(key(l, KEY_IC, 1), TUI_HANDLED | TUI_REDRAW);
	assert_true(tui_list_marked(l, NROWS - 1));
	assert_int_equal(tui_list_next_marked(l, 0), NROWS - 1);
	assert_int_equal(tui_list_next_marked(l, NROWS - 1), NROWS - 1);
	assert_int_equal(tui_list_next_marked(l, NROWS), SIZE_MAX);
	tui_list_free(l);
}

static void
test_cursor_kept(void **state)
{
	struct tui_list	*l = new_list(&big);
	size_t		 row, i;

	/* Row 600 is 山田 (600 % 5 == 0, 600 % 3 == 0). */
	for (i = 0; i < 600; i++)
		key(l, KEY_DOWN, 1);
	row = tui_list_current(l);
	assert_int_equal(row, 600);
	assert_true(model_match(&big, row, "山田"));
	type(l, "山");
	assert_int_equal(tui_list_current(l), row);
	type(l, "田");
	assert_int_equal(tui_list_current(l), row);
	key(l, KEY_F(6), 1);
	assert_int_equal(tui_list_current(l), row);
	key(l, KEY_F(7), 1);
	assert_int_equal(tui_list_current(l), row);
	key(l, KEY_BACKSPACE, 1);
	assert_int_equal(tui_list_current(l), row);
	tui_list_set_sort(l, 3, 0);
	assert_int_equal(tui_list_current(l), row);
	key(l, 21, 0);
	assert_int_equal(tui_list_current(l), row);
	tui_list_reload(l);
	assert_int_equal(tui_list_current(l), row);
	/* A filter that hides the row sends the cursor to the first row. */
	tui_list_set_filter(l, "alice");
	assert_true(tui_list_current(l) != row);
	key(l, KEY_DOWN, 1);
	key(l, KEY_DOWN, 1);
	tui_list_set_filter(l, "");
	tui_list_free(l);
}

static void
test_keys(void **state)
{
	struct tui_list		*l = new_list(&big);
	const struct tui_keyhelp *h;
	size_t			 n;

	/* Movement at the edges is the list's, with nothing to redraw. */
	assert_int_equal(key(l, KEY_UP, 1), TUI_HANDLED);
	assert_int_equal(key(l, KEY_PPAGE, 1), TUI_HANDLED);
	assert_int_equal(key(l, KEY_HOME, 1), TUI_HANDLED);
	assert_int_equal(key(l, KEY_DOWN, 1), TUI_HANDLED | TUI_REDRAW);
	assert_int_equal(key(l, KEY_NPAGE, 1), TUI_HANDLED | TUI_REDRAW);
	assert_int_equal(key(l, KEY_END, 1), TUI_HANDLED | TUI_REDRAW);
	assert_int_equal(tui_list_current(l), NROWS - 1);
	assert_int_equal(key(l, KEY_END, 1), TUI_HANDLED);
	assert_int_equal(key(l, KEY_DOWN, 1), TUI_HANDLED);
	assert_int_equal(key(l, KEY_NPAGE, 1), TUI_HANDLED);
	assert_int_equal(key(l, KEY_HOME, 1), TUI_HANDLED | TUI_REDRAW);
	assert_int_equal(tui_list_current(l), 0);
	/* Backspace and ^U with no filter are still the list's. */
	assert_int_equal(key(l, KEY_BACKSPACE, 1), TUI_HANDLED);
	assert_int_equal(key(l, 21, 0), TUI_HANDLED);
	/* The screen's keys. */
	assert_int_equal(key(l, '\n', 0), TUI_IGNORED);
	assert_int_equal(key(l, '\r', 0), TUI_IGNORED);
	assert_int_equal(key(l, KEY_ENTER, 1), TUI_IGNORED);
	assert_int_equal(key(l, TUI_ESC, 0), TUI_IGNORED);
	assert_int_equal(key(l, '\t', 0), TUI_IGNORED);
	assert_int_equal(key(l, KEY_BTAB, 1), TUI_IGNORED);
	assert_int_equal(key(l, KEY_F(1), 1), TUI_IGNORED);
	assert_int_equal(key(l, KEY_F(5), 1), TUI_IGNORED);
	assert_int_equal(key(l, KEY_F(8), 1), TUI_IGNORED);
	assert_int_equal(key(l, KEY_RESIZE, 1), TUI_IGNORED);
	assert_int_equal(key(l, 3, 0), TUI_IGNORED);	/* ^C */
	/* A KEY_* code is not a character, whatever its value. */
	assert_int_equal(key(l, 'a', 1), TUI_IGNORED);
	assert_string_equal(tui_list_filter(l), "");
	/* Characters, Japanese ones included, are the filter's. */
	assert_int_equal(key(l, 'a', 0), TUI_HANDLED | TUI_REDRAW);
	assert_int_equal(key(l, 0x5c71, 0), TUI_HANDLED | TUI_REDRAW);
	assert_int_equal(key(l, 0x3000, 0), TUI_HANDLED | TUI_REDRAW);
	assert_string_equal(tui_list_filter(l), "a山\xe3\x80\x80");
	tui_list_free(l);

	/* Help comes from the key table. */
	for (h = tui_list_keys(), n = 0; h->key != NULL; h++, n++)
		assert_non_null(h->what);
	assert_true(n >= 12);
	assert_string_equal(tui_list_keys()[0].key, "text");
}

/* An empty source, and one that changes under the list. */
static void
test_reload(void **state)
{
	struct src	 s;
	struct tui_list	*l;
	WINDOW		*w;

	make_rows(&s, 100);
	s.n = 0;
	l = new_list(&s);
	assert_int_equal(tui_list_shown(l), 0);
	assert_int_equal(tui_list_current(l), SIZE_MAX);
	assert_int_equal(key(l, KEY_DOWN, 1), TUI_HANDLED);
	assert_int_equal(key(l, KEY_F(6), 1), TUI_HANDLED | TUI_REDRAW);
	type(l, "山");
	w = newwin(10, 80, 0, 0);
	tui_list_draw(l, w, 0, 0, 10, 80);
	assert_string_equal(seen(w, 1, 2, 9), "(no rows)");

	/* Rows arrive: the filter and the sort still apply. */
	s.n = 100;
	tui_list_reload(l);
	check_against_model(l, &s, "山", 0, 0);
	key(l, KEY_END, 1);
	key(l, KEY_IC, 1);
	assert_int_equal(tui_list_nmarked(l), 1);
	/* Rows leave: marks past the end go, the cursor stays valid. */
	s.n = 10;
	tui_list_reload(l);
	assert_int_equal(tui_list_nmarked(l), 0);
	check_against_model(l, &s, "山", 0, 0);
	tui_list_set_filter(l, "no such thing");
	tui_list_draw(l, w, 0, 0, 10, 80);
	assert_string_equal(seen(w, 1, 2, 26), "(no rows match the filter)");
	delwin(w);
	tui_list_free(l);
	free(s.rows);
}

/*
 * Appending (the ledger grows at the end): only the new rows are read, and
 * the result is the same as a full reload, filter, sort and marks kept.
 */
static void
test_append(void **state)
{
	struct src	 s;
	struct tui_list	*l;

	(void)state;
	make_rows(&s, 300);
	s.n = 100;
	l = new_list(&s);
	key(l, KEY_F(6), 1);		/* sorted by the first column */
	type(l, "山");
	key(l, KEY_HOME, 1);
	key(l, KEY_IC, 1);
	assert_int_equal(tui_list_nmarked(l), 1);
	s.n = 250;
	s.searches = 0;
	tui_list_append(l);
	assert_int_equal(s.searches, 150);	/* the new rows only */
	check_against_model(l, &s, "山", 0, 0);
	assert_int_equal(tui_list_nmarked(l), 1);
	s.n = 300;
	tui_list_append(l);
	check_against_model(l, &s, "山", 0, 0);
	tui_list_set_filter(l, "");
	assert_int_equal(tui_list_shown(l), 300);
	tui_list_free(l);
	free(s.rows);
}

/* widget-list.c: drawing */

static void
test_draw(void **state)
{
	struct tui_list	*l;
	WINDOW		*w = newwin(24, 80, 0, 0);
	char		 want[128];
	int		 y, dx;

	setenv("NO_COLOR", "1", 1);
	tui_colour_init();
	l = new_list(&big);
	big.cells = 0;
	tui_list_draw(l, w, 0, 0, 24, 80);
	/* Only the visible rows are asked for: 22 rows by 4 columns. */
	assert_int_equal(big.cells, 22 * NCOLS);

	/* Header: gutter 2, No. 8, Name 12, Kana 16, the rest Department. */
	snprintf(want, sizeof want, "  %-8s %-12s %-16s %-39s", "No.", "Name",
	    "Kana", "Department");
	assert_string_equal(seen(w, 0, 0, 80), want);
	assert_true(attr_at(w, 0, 2) & A_UNDERLINE);
	/* Row 0: 山田 太郎 takes 9 columns, and "Kana" still starts at 24. */
	snprintf(want, sizeof want, "  %-8s %s    %s %s", big.rows[0].no,
	    "山田 太郎", "ヤマダ\xe3\x80\x80タロウ  ", big.rows[0].dept);
	assert_string_equal(seen(w, 1, 0, tui_text_width(want)), want);
	/* Every row: each column starts at the same screen column. */
	for (y = 1; y <= 22; y++) {
		const struct row *r = &big.rows[y - 1];
		wchar_t		  first;

		mbtowc(&first, r->name, strlen(r->name));
		assert_int_equal(cell_at(w, y, 11), first);
		mbtowc(&first, r->kana, strlen(r->kana));
		assert_int_equal(cell_at(w, y, 24), first);
		mbtowc(&first, r->dept, strlen(r->dept));
		assert_int_equal(cell_at(w, y, 41), first);
		assert_int_equal(cell_at(w, y, 23), L' ');
		assert_int_equal(cell_at(w, y, 40), L' ');
	}
	/* Row 2 (ASCII) and row 1 (Japanese) line up: checked above. */
	/* The cursor row is reverse, others are not, all the way across. */
	assert_true(attr_at(w, 1, 0) & A_REVERSE);
	assert_true(attr_at(w, 1, 79) & A_REVERSE);
	assert_false(attr_at(w, 2, 0) & A_REVERSE);
	/* Footer. */
	snprintf(want, sizeof want, "filter:   %d/%d  marked 0", NROWS, NROWS);
	assert_string_equal(seen(w, 23, 0, (int)strlen(want)), want);
	assert_true(attr_at(w, 23, 0) & A_REVERSE);

	/* Marks: '*' in the gutter, bold; the count in the footer. */
	key(l, KEY_IC, 1);
	type(l, "山田");
	tui_list_draw(l, w, 0, 0, 24, 80);
	assert_int_equal(cell_at(w, 1, 0), L'*');
	assert_true(attr_at(w, 1, 5) & A_BOLD);
	snprintf(want, sizeof want, "filter: 山田  %zu/%d  marked 1",
	    tui_list_shown(l), NROWS);
	assert_string_equal(seen(w, 23, 0, tui_text_width(want)), want);

	/* Sort by the second column: its title gains ▲, then ▼. */
	key(l, KEY_F(6), 1);
	key(l, KEY_F(6), 1);
	tui_list_draw(l, w, 0, 0, 24, 80);
	assert_string_equal(seen(w, 0, 11, 6), "Name▲ ");
	key(l, KEY_F(7), 1);
	tui_list_draw(l, w, 0, 0, 24, 80);
	assert_string_equal(seen(w, 0, 11, 6), "Name▼ ");

	/*
	 * A narrow window: columns that cannot have their width (these
	 * cannot shrink) are left out whole, and a ▶ says so.
	 */
	tui_list_set_sort(l, -1, 0);
	tui_list_set_filter(l, "");
	werase(w);
	tui_list_draw(l, w, 0, 0, 24, 34);
	assert_string_equal(seen(w, 0, 0, 34),
	    "  No.      Name                  ▶");
	/* Nothing drawn past the list's width. */
	assert_int_equal(cell_at(w, 1, 34), L' ');
	assert_false(attr_at(w, 1, 34) & A_REVERSE);

	/* A long filter keeps the counts in sight and loses its start. */
	tui_list_set_filter(l, "abcdefghijklmnopqrstuvwxyz0123456789 山田山田");
	tui_list_draw(l, w, 0, 0, 24, 60);
	snprintf(want, sizeof want, "  0/%d  marked 1", NROWS);
	dx = 60 - tui_text_width(want);
	assert_string_equal(seen(w, 23, dx, tui_text_width(want)), want);
	assert_string_equal(seen(w, 23, 0, 9), "filter: …");
	assert_string_equal(seen(w, 23, dx - 4, 4), "山田");
	/* Cut among kanji: the tail still fits, the counts still show. */
	for (y = 55; y <= 62; y++) {
		tui_list_set_filter(l, "山田太郎山田太郎山田太郎山田太郎"
		    "山田太郎山田太郎山田太郎山田太郎");
		werase(w);
		tui_list_draw(l, w, 0, 0, 24, y);
		assert_string_equal(seen(w, 23, 0, 9), "filter: …");
		assert_non_null(strstr(seen(w, 23, 0, y), want + 2));
		assert_int_equal(cell_at(w, 23, y), L' ');
	}
	tui_list_set_filter(l, "");

	/* Scrolling: the view follows the cursor a row at a time. */
	werase(w);
	tui_list_draw(l, w, 0, 0, 24, 80);
	for (y = 0; y < 22; y++)
		key(l, KEY_DOWN, 1);
	tui_list_draw(l, w, 0, 0, 24, 80);
	assert_int_equal(tui_list_current(l), 22);
	assert_string_equal(seen(w, 1, 2, 7), big.rows[1].no);
	assert_string_equal(seen(w, 22, 2, 7), big.rows[22].no);
	assert_true(attr_at(w, 22, 2) & A_REVERSE);
	/* A page is the rows shown. */
	key(l, KEY_NPAGE, 1);
	assert_int_equal(tui_list_current(l), 44);
	tui_list_draw(l, w, 0, 0, 24, 80);
	assert_string_equal(seen(w, 22, 2, 7), big.rows[44].no);
	key(l, KEY_PPAGE, 1);
	assert_int_equal(tui_list_current(l), 22);
	/* Taller, shorter, tiny: the cursor stays in view. */
	tui_list_draw(l, w, 2, 0, 5, 80);
	assert_string_equal(seen(w, 5, 2, 7), big.rows[22].no);
	tui_list_draw(l, w, 0, 0, 2, 80);
	tui_list_draw(l, w, 0, 0, 1, 80);
	tui_list_draw(l, w, 0, 0, 24, 3);
	tui_list_draw(l, w, 0, 0, 0, 0);
	key(l, KEY_END, 1);
	tui_list_draw(l, w, 0, 0, 24, 80);
	assert_string_equal(seen(w, 22, 2, 7), big.rows[NROWS - 1].no);

	unsetenv("NO_COLOR");
	tui_colour_init();
	tui_list_draw(l, w, 0, 0, 24, 80);
	assert_int_equal(PAIR_NUMBER(attr_at(w, 22, 2)),
	    PAIR_NUMBER(tui_style(TUI_CURSOR)));
	delwin(w);
	tui_list_free(l);
}

/*
 * Flexible widths: a minimum, a preferred width, a share of the spare
 * room, and priorities that decide which columns are left out; Left and
 * Right scroll to them.
 */
static const struct tui_list_col flex_cols[NCOLS] = {
	{ .title = "No.", .width = 8, .prio = 3 },
	{ .title = "Name", .width = 12, .min = 6, .prio = 2 },
	{ .title = "Kana", .width = 16, .min = 10, .prio = 1 },
	{ .title = "Department", .width = 12, .min = 8, .prio = 2,
	    .share = 1 },
};

/* Each column of row 1..rows starts at x: its cell's first character. */
static void
col_at(WINDOW *w, int rows, int col, int x)
{
	const struct row	*r;
	wchar_t			 first;
	int			 y;

	for (y = 1; y <= rows; y++) {
		r = &big.rows[y - 1];
		mbtowc(&first, src_field(r, col), strlen(src_field(r, col)));
		assert_int_equal(cell_at(w, y, x), first);
		assert_int_equal(cell_at(w, y, x - 1), L' ');
	}
}

static void
test_layout(void **state)
{
	struct tui_list	*l;
	WINDOW		*w = newwin(24, 120, 0, 0);
	char		 want[128];

	(void)state;
	setenv("NO_COLOR", "1", 1);
	tui_colour_init();
	l = tui_list_new(flex_cols, NCOLS, &source, &big);

	/* Room for all: each its preferred width, the rest to the share. */
	tui_list_draw(l, w, 0, 0, 24, 80);
	snprintf(want, sizeof want, "  %-8s %-12s %-16s %-39s", "No.", "Name",
	    "Kana", "Department");
	assert_string_equal(seen(w, 0, 0, 80), want);
	col_at(w, 22, 1, 11);
	col_at(w, 22, 2, 24);
	col_at(w, 22, 3, 41);

	/*
	 * 49 columns (47 after the gutter): No. 8 and, more important than
	 * Kana, Name 12 and Department 12 keep their preferred widths, so
	 * Kana has 47 - 32 - 3 = 12.  Its text is 14 columns wide: cut
	 * between characters, never through a kanji, with "…".
	 */
	werase(w);
	tui_list_draw(l, w, 0, 0, 24, 49);
	assert_string_equal(seen(w, 0, 0, 49),
	    "  No.      Name         Kana         Department  ");
	col_at(w, 22, 2, 24);
	col_at(w, 22, 3, 37);
	assert_string_equal(seen(w, 1, 24, 12), "ヤマダ\xe3\x80\x80タ… ");
	assert_int_equal(cell_at(w, 1, 49), L' ');

	/*
	 * 40 columns: Kana, the least important, would squeeze Name or
	 * Department, so it is left out; Department takes the spare room.
	 */
	werase(w);
	tui_list_draw(l, w, 0, 0, 24, 40);
	assert_string_equal(seen(w, 0, 0, 40),
	    "  No.      Name         Department     ▶");
	col_at(w, 22, 3, 24);
	/* Right scrolls: No. goes, Kana comes in at its place in the order. */
	assert_int_equal(key(l, KEY_RIGHT, 1), TUI_HANDLED | TUI_REDRAW);
	werase(w);
	tui_list_draw(l, w, 0, 0, 24, 40);
	assert_string_equal(seen(w, 0, 0, 40),
	    "◀ Name         Kana         Department  ");
	col_at(w, 22, 1, 2);
	col_at(w, 22, 2, 15);
	col_at(w, 22, 3, 28);
	/* Nothing more to the right. */
	assert_int_equal(key(l, KEY_RIGHT, 1), TUI_HANDLED);
	assert_int_equal(key(l, KEY_LEFT, 1), TUI_HANDLED | TUI_REDRAW);
	assert_int_equal(key(l, KEY_LEFT, 1), TUI_HANDLED);
	werase(w);
	tui_list_draw(l, w, 0, 0, 24, 40);
	assert_string_equal(seen(w, 0, 0, 40),
	    "  No.      Name         Department     ▶");

	/*
	 * 22 columns: scrolled, the first column in view is kept whatever
	 * its priority, so every column can be reached.
	 */
	key(l, KEY_RIGHT, 1);
	werase(w);
	tui_list_draw(l, w, 0, 0, 24, 22);
	assert_string_equal(seen(w, 0, 0, 22), "◀ Name        Departm▶");
	assert_int_equal(key(l, KEY_RIGHT, 1), TUI_HANDLED | TUI_REDRAW);
	werase(w);
	tui_list_draw(l, w, 0, 0, 24, 22);
	assert_string_equal(seen(w, 0, 0, 22), "◀ Kana        Departm…");
	assert_string_equal(seen(w, 1, 0, 22),
	    "  ヤマダ\xe3\x80\x80タ… 税務課  ");
	assert_int_equal(key(l, KEY_RIGHT, 1), TUI_HANDLED);

	/* One column wider than the window: cut, nothing past the edge. */
	werase(w);
	tui_list_draw(l, w, 0, 0, 24, 6);
	assert_int_equal(cell_at(w, 0, 6), L' ');
	tui_list_free(l);
	delwin(w);
	unsetenv("NO_COLOR");
	tui_colour_init();
}

static int
setup(void **state)
{
	FILE	*out, *in;

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return -1;
	setenv("TERM", "xterm-256color", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	if (out == NULL || in == NULL ||
	    (screen = newterm(NULL, out, in)) == NULL)
		return -1;
	make_rows(&big, NROWS);
	return 0;
}

static int
teardown(void **state)
{
	endwin();
	delscreen(screen);
	free(big.rows);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_text_put),
		cmocka_unit_test(test_colour),
		cmocka_unit_test(test_filter_basic),
		cmocka_unit_test(test_filter_incremental),
		cmocka_unit_test(test_filter_limits),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_sort_without_compare),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_cursor_kept),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_draw),
		cmocka_unit_test(test_layout),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
