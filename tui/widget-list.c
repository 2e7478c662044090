/*
 * widget-list.c -- the one list widget: filter as you type, sort by
 * column, mark many, over hundreds of thousands of rows.
 *
 * The rows stay with their source; the list keeps only what it needs to
 * filter and move fast, about 4 bytes of index per row plus the search
 * text:
 *
 *	text, toff	every row's search text, ASCII lower-cased, cut at
 *			TUI_LIST_SEARCHMAX bytes, end to end in one arena
 *			(row r is text[toff[r] .. toff[r + 1]); no per-row
 *			allocation and no separators)
 *	in		a bitset over source rows: those the filter passes
 *	order		all rows in sort order (NULL while in source order)
 *	shown		the rows passing the filter, in sort order
 *	marks		a bitset over source rows
 *
 * Only the visible rows are formatted (source->cell) and drawn, so
 * curses never sees more than a screenful (tmux's mode-tree draws the
 * same way).
 *
 * Filtering is incremental.  Typing only narrows the filter: every old
 * word is inside some new word, so the new rows are a subset of the old
 * and only rows still in "in" are tested, and only against words no old
 * word already implies.  Backspace only widens it, so only rows outside
 * "in" are tested.  Anything else (an edit in the middle, a reload)
 * tests every row.  The scan goes through "in" in source-row order, so
 * the arena is read front to back whatever the sort order; "shown" is
 * then rebuilt from "order", or compacted in place when narrowing.
 *
 * When few rows are to be tested (narrowing a short list) each is
 * searched on its own; when most are, the whole arena is scanned in one
 * pass.  Either way a word is looked for by its rarest bytes (counted
 * over the arena at load) before it is compared: a Japanese word's lead
 * byte (0xe3 begins nearly all kana) says little, its later bytes more.
 * Per keystroke over 600,000 people (bench/bench-console.c) that is a
 * few milliseconds, and under 20 for the worst first character.
 */
#include "config.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "common.h"
#include "tui-int.h"

#define LIST_MAXWORDS	((TUI_LIST_FILTERMAX + 1) / 2)
#define LIST_CELLMAX	1024		/* bytes of one formatted cell */
#define LIST_GUTTER	2		/* columns for the mark, "* " */
#define LIST_PAGE	10		/* page size before the first draw */

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

/* The filter split into words; offsets into buf, which is lower-cased. */
struct list_words {
	char		 buf[TUI_LIST_FILTERMAX + 1];
	struct {
		size_t	 off;
		size_t	 len;
		size_t	 rare;		/* where its rarest byte is */
		size_t	 rare2;		/* and the next rarest */
	}		 w[LIST_MAXWORDS];
	int		 n;
};

struct tui_list {
	const struct tui_list_col	*cols;
	int				 ncols;
	int				*colx;	/* layout of the last draw */
	int				*colw;	/* 0: not shown */
	int				*colrank; /* columns, most wanted first */
	int				 first;	/* first column in view */
	int				 hidden; /* columns from first not shown */
	const struct tui_list_source	*src;
	void				*arg;

	uint32_t	 nrows;
	char		*text;			/* search arena */
	uint32_t	*toff;			/* nrows + 1 offsets */
	uint32_t	 freq[256];		/* byte counts over text */

	uint64_t	*in;			/* rows the filter passes */
	uint64_t	*spare;			/* next "in", narrowing */
	int		 in_valid;		/* in matches words */
	uint32_t	*shown;			/* rows shown, in order */
	uint32_t	 nshown;
	uint32_t	*order;			/* all rows sorted, or NULL */
	int		 sort_col;		/* -1: source order */
	int		 sort_desc;

	uint64_t	*marks;
	uint32_t	 nmarked;

	char		 filter[TUI_LIST_FILTERMAX + 1];	/* as typed */
	struct list_words words;		/* the filter "in" reflects */

	uint32_t	 cursor;		/* index into shown */
	uint32_t	 top;			/* index of the first visible */
	uint32_t	 page;			/* rows visible, last draw */
};

/* Where the cursor was, to put it back on the same row after a change. */
struct list_pos {
	size_t		 row;			/* SIZE_MAX: none */
	uint32_t	 offset;		/* cursor - top */
};

static int	list_key_up(struct tui_list *);
static int	list_key_down(struct tui_list *);
static int	list_key_pgup(struct tui_list *);
static int	list_key_pgdn(struct tui_list *);
static int	list_key_home(struct tui_list *);
static int	list_key_end(struct tui_list *);
static int	list_key_backspace(struct tui_list *);
static int	list_key_clear(struct tui_list *);
static int	list_key_mark(struct tui_list *);
static int	list_key_mark_all(struct tui_list *);
static int	list_key_sort(struct tui_list *);
static int	list_key_reverse(struct tui_list *);
static int	list_key_left(struct tui_list *);
static int	list_key_right(struct tui_list *);

#define LIST_CTRL(c)	((c) & 0x1f)

/*
 * The bindings.  Space is filter text (a word separator), never a mark
 * key: a person typing "山田 課長" must not mark rows halfway through, so
 * marking has Insert and ^T.  Backspace on an empty filter is still the
 * list's, so holding it down to clear the filter cannot go on to do
 * something else to the screen.
 */
static const struct list_binding {
	wint_t		 ch;
	int		 fn;			/* ch is a KEY_* code */
	int		 (*handler)(struct tui_list *);
	const char	*name;			/* for help; NULL: an alias */
	const char	*help;
} list_bindings[] = {
	{ KEY_UP, 1, list_key_up, "Up", N_("Move up") },
	{ KEY_DOWN, 1, list_key_down, "Down", N_("Move down") },
	{ KEY_PPAGE, 1, list_key_pgup, "PgUp", N_("Page up") },
	{ KEY_NPAGE, 1, list_key_pgdn, "PgDn", N_("Page down") },
	{ KEY_HOME, 1, list_key_home, "Home", N_("First row") },
	{ KEY_END, 1, list_key_end, "End", N_("Last row") },
	{ KEY_BACKSPACE, 1, list_key_backspace, "Backspace",
	    N_("Delete the last character of the filter") },
	{ 127, 0, list_key_backspace, NULL, NULL },
	{ LIST_CTRL('H'), 0, list_key_backspace, NULL, NULL },
	{ LIST_CTRL('U'), 0, list_key_clear, "^U", N_("Clear the filter") },
	{ KEY_IC, 1, list_key_mark, "Insert",
	    N_("Mark or unmark the row and move down") },
	{ LIST_CTRL('T'), 0, list_key_mark, "^T",
	    N_("Mark or unmark the row and move down") },
	{ LIST_CTRL('A'), 0, list_key_mark_all, "^A",
	    N_("Mark every row shown, or unmark them all") },
	{ KEY_F(6), 1, list_key_sort, "F6", N_("Sort by the next column") },
	{ KEY_F(7), 1, list_key_reverse, "F7", N_("Reverse the order") },
	{ KEY_LEFT, 1, list_key_left, "Left",
	    N_("Scroll the columns back to the left") },
	{ KEY_RIGHT, 1, list_key_right, "Right",
	    N_("Scroll to the right, to the columns left out") },
};

/* Bits. */

static size_t
list_nwords64(uint32_t nrows)
{
	return ((size_t)nrows + 63) / 64;
}

static int
list_bit(const uint64_t *set, uint32_t r)
{
	return (set[r / 64] >> (r % 64)) & 1;
}

static void
list_bit_set(uint64_t *set, uint32_t r, int on)
{
	if (on)
		set[r / 64] |= (uint64_t)1 << (r % 64);
	else
		set[r / 64] &= ~((uint64_t)1 << (r % 64));
}

/* Bits of word i that name rows (the last word is partly beyond). */
static uint64_t
list_valid_bits(uint32_t nrows, size_t i)
{
	uint32_t	 left = nrows - (uint32_t)(i * 64);

	return left >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << left) - 1;
}

/* UTF-8. */

static int
list_utf8_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

static size_t
list_utf8_seqlen(unsigned char c)
{
	if (c >= 0xf0 && c <= 0xf7)
		return 4;
	if (c >= 0xe0)
		return c <= 0xef ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/*
 * The longest prefix of s, at most len bytes, that does not end inside
 * a character: a cap or a source's own snprintf may cut one in two.
 */
static size_t
list_utf8_cut(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 start = len;

	while (start > 0 && len - start < 3 && list_utf8_cont(u[start - 1]))
		start--;
	if (start > 0 && u[start - 1] >= 0xc0) {
		start--;
		if (start + list_utf8_seqlen(u[start]) > len)
			return start;
	}
	return len;
}

static void
list_lower(char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	}
}

/* Loading. */

/* Read every row's search text into the arena, and count its bytes. */
static void
list_load_text(struct tui_list *l, uint32_t from)
{
	char		 buf[TUI_LIST_SEARCHMAX * 4];
	size_t		 cap, used = 0, len, i;
	uint32_t	 r;

	if (from == 0) {
		free(l->text);
		free(l->toff);
		l->text = NULL;
		l->toff = NULL;
		memset(l->freq, 0, sizeof l->freq);
	} else
		used = l->toff[from];	/* rows before from are unchanged */
	/* Most rows are well under the cap: start at half, double as needed. */
	cap = used + (size_t)(l->nrows - from) * (TUI_LIST_SEARCHMAX / 2) + 1;
	l->text = xreallocarray(l->text, cap, 1);
	l->toff = xreallocarray(l->toff, (size_t)l->nrows + 1,
	    sizeof *l->toff);
	i = used;
	for (r = from; r < l->nrows; r++) {
		buf[0] = '\0';
		l->src->search(l->arg, r, buf, sizeof buf);
		buf[sizeof buf - 1] = '\0';
		len = strlen(buf);
		if (len > TUI_LIST_SEARCHMAX)
			len = TUI_LIST_SEARCHMAX;
		len = list_utf8_cut(buf, len);
		list_lower(buf, len);
		if (used + len > UINT32_MAX)
			fatalx("list: search text over 4 GB");
		if (used + len > cap) {
			while (used + len > cap)
				cap *= 2;
			l->text = xreallocarray(l->text, cap, 1);
		}
		memcpy(l->text + used, buf, len);
		l->toff[r] = (uint32_t)used;
		used += len;
	}
	l->toff[l->nrows] = (uint32_t)used;
	/* Give back the slack: large blocks shrink in place (mremap). */
	l->text = xreallocarray(l->text, used > 0 ? used : 1, 1);

	for (; i < used; i++)
		l->freq[(unsigned char)l->text[i]]++;
}

/* Words. */

/*
 * Pick word i's two rarest bytes by their counts in the arena: the
 * scans look for the first and check the second before comparing.
 */
static void
list_word_rare(struct list_words *ws, int i, const uint32_t *freq)
{
	const unsigned char	*w;
	size_t			 k, len = ws->w[i].len, a = 0, b = 0;

	w = (const unsigned char *)ws->buf + ws->w[i].off;

	for (k = 1; k < len; k++) {
		if (freq[w[k]] < freq[w[a]]) {
			b = a;
			a = k;
		} else if (b == a || freq[w[k]] < freq[w[b]])
			b = k;
	}
	ws->w[i].rare = a;
	ws->w[i].rare2 = b;
}

/*
 * Split filter into words at ASCII spaces and U+3000 (the space a
 * Japanese input method types), lower-case them and pick each word's
 * rarest byte.
 */
static void
list_words_parse(struct list_words *ws, const char *filter,
    const uint32_t *freq)
{
	char	*b = ws->buf;
	size_t	 len, i, start;

	len = strlen(filter);
	if (len > TUI_LIST_FILTERMAX)
		len = TUI_LIST_FILTERMAX;
	memcpy(b, filter, len);
	b[len] = '\0';
	list_lower(b, len);

	ws->n = 0;
	i = 0;
	while (i < len) {
		if (b[i] == ' ') {
			i++;
			continue;
		}
		if (len - i >= 3 && memcmp(b + i, "\xe3\x80\x80", 3) == 0) {
			i += 3;
			continue;
		}
		start = i;
		while (i < len && b[i] != ' ' &&
		    !(len - i >= 3 && memcmp(b + i, "\xe3\x80\x80", 3) == 0))
			i++;
		assert(ws->n < LIST_MAXWORDS);
		ws->w[ws->n].off = start;
		ws->w[ws->n].len = i - start;
		list_word_rare(ws, ws->n, freq);
		ws->n++;
	}
}

/* memcmp() == 0 without a call for the short words people type. */
static int
list_eq(const unsigned char *a, const unsigned char *b, size_t len)
{
	size_t	 i;

	if (len > 16)
		return memcmp(a, b, len) == 0;
	for (i = 0; i < len; i++) {
		if (a[i] != b[i])
			return 0;
	}
	return 1;
}

/* Whether word i of a occurs inside some word of b. */
static int
list_word_implied(const struct list_words *a, int i, const struct list_words *b)
{
	const char	*w = a->buf + a->w[i].off;
	size_t		 len = a->w[i].len;
	int		 j;

	for (j = 0; j < b->n; j++) {
		if (b->w[j].len >= len &&
		    memmem(b->buf + b->w[j].off, b->w[j].len, w, len) != NULL)
			return 1;
	}
	return 0;
}

/* Whether every word of a occurs inside some word of b. */
static int
list_words_implied(const struct list_words *a, const struct list_words *b)
{
	int	 i;

	for (i = 0; i < a->n; i++) {
		if (!list_word_implied(a, i, b))
			return 0;
	}
	return 1;
}

/*
 * Whether word i of ws occurs in t (tlen bytes) starting and ending on
 * character boundaries.  For valid UTF-8 on both sides every byte match
 * already does (UTF-8 synchronises itself); the checks keep a stray
 * byte in the filter from matching inside a kanji.
 */
static int
list_find(const unsigned char *t, size_t tlen, const struct list_words *ws,
    int i)
{
	const unsigned char	*w, *p, *end, *h, *s;
	size_t			 len = ws->w[i].len, rare = ws->w[i].rare;
	size_t			 rare2 = ws->w[i].rare2;

	w = (const unsigned char *)ws->buf + ws->w[i].off;

	if (len > tlen)
		return 0;
	p = t + rare;
	end = t + (tlen - len) + rare + 1;	/* after the last place */
	while (p < end && (h = memchr(p, w[rare], (size_t)(end - p))) != NULL) {
		s = h - rare;
		if (s[rare2] == w[rare2] && list_eq(s, w, len) &&
		    !list_utf8_cont(s[0]) &&
		    (s + len == t + tlen || !list_utf8_cont(s[len])))
			return 1;
		p = h + 1;
	}
	return 0;
}

/* Whether row r holds every word in which[0 .. n). */
static int
list_row_matches(const struct tui_list *l, uint32_t r,
    const struct list_words *ws, const int *which, int n)
{
	const unsigned char	*t;
	size_t			 tlen = l->toff[r + 1] - l->toff[r];
	int			 i;

	t = (const unsigned char *)l->text + l->toff[r];

	for (i = 0; i < n; i++) {
		if (!list_find(t, tlen, ws, which[i]))
			return 0;
	}
	return 1;
}

/* Filtering. */

/* shown = the rows in "in", in order. */
static void
list_rebuild_shown(struct tui_list *l)
{
	size_t		 i, nw = list_nwords64(l->nrows);
	uint64_t	 b;
	uint32_t	 n = 0, r;

	if (l->order != NULL) {
		for (i = 0; i < l->nrows; i++) {
			r = l->order[i];
			if (list_bit(l->in, r))
				l->shown[n++] = r;
		}
	} else {
		for (i = 0; i < nw; i++) {
			for (b = l->in[i]; b != 0; b &= b - 1)
				l->shown[n++] = (uint32_t)(i * 64) +
				    (uint32_t)__builtin_ctzll(b);
		}
	}
	l->nshown = n;
}

/* 16 bytes at a time: GNU C vectors, SSE2 or NEON as the target has. */
typedef unsigned char list_v16 __attribute__((vector_size(16)));

/*
 * The first s in [s, to) with s[i1] == c1 and s[i2] == c2, or NULL.
 * Reads up to s[i1] and s[i2] for s < to only.
 */
static const unsigned char *
list_pair(const unsigned char *s, const unsigned char *to, size_t i1,
    unsigned char c1, size_t i2, unsigned char c2)
{
	list_v16	 a, b, m;
	uint64_t	 half[2];
	int		 k;

	/* One byte: glibc's memchr is quicker still. */
	if (i1 == i2) {
		s = memchr(s + i1, c1, (size_t)(to - s));
		return s != NULL ? s - i1 : NULL;
	}
	while (to - s >= 16) {
		memcpy(&a, s + i1, sizeof a);
		memcpy(&b, s + i2, sizeof b);
		m = (list_v16)((a == c1) & (b == c2));
		memcpy(half, &m, sizeof half);
		for (k = 0; k < 2; k++) {
			if (half[k] == 0)
				continue;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return s + 8 * k + __builtin_ctzll(half[k]) / 8;
#else
			return s + 8 * k + __builtin_clzll(half[k]) / 8;
#endif
		}
		s += 16;
	}
	for (; s < to; s++) {
		if (s[i1] == c1 && s[i2] == c2)
			return s;
	}
	return NULL;
}

/*
 * The whole arena in one pass, for when most rows are to be tested:
 * places where the word's two rarest bytes both sit are found sixteen
 * at a time, and a hit's row by walking toff forward.  (memchr for one
 * byte stops too often: 0xa4 ends ヤ but also イ and 藤.)  The word
 * scanned for is the one whose rarest byte is rarest; the others are
 * tested only in rows where it is found.
 */
static void
list_scan(struct tui_list *l, const struct list_words *ws, const int *which,
    int n, int want, uint64_t *hit)
{
	const unsigned char	*base = (const unsigned char *)l->text;
	const unsigned char	*w, *s, *to, *re;
	size_t			 len, i1, i2, total = l->toff[l->nrows];
	uint32_t		 r = 0;
	int			 rest[LIST_MAXWORDS], nrest = 0, best = 0, k;

	for (k = 1; k < n; k++) {
		if (l->freq[(unsigned char)ws->buf[ws->w[which[k]].off +
		    ws->w[which[k]].rare]] <
		    l->freq[(unsigned char)ws->buf[ws->w[which[best]].off +
		    ws->w[which[best]].rare]])
			best = k;
	}
	for (k = 0; k < n; k++) {
		if (k != best)
			rest[nrest++] = which[k];
	}
	w = (const unsigned char *)ws->buf + ws->w[which[best]].off;
	len = ws->w[which[best]].len;
	i1 = ws->w[which[best]].rare;
	i2 = ws->w[which[best]].rare2;
	if (len > total)
		return;

	s = base;
	to = base + (total - len) + 1;		/* after the last start */
	while (s < to && (s = list_pair(s, to, i1, w[i1], i2, w[i2])) != NULL) {
		while (l->toff[r + 1] <= (size_t)(s - base))
			r++;
		re = base + l->toff[r + 1];
		if (list_bit(l->in, r) != want || s + len > re) {
			s = re;
			continue;
		}
		/* Two bytes or fewer: the pair was the whole word. */
		if ((len > 2 && !list_eq(s, w, len)) ||
		    list_utf8_cont(s[0]) ||
		    (s + len < re && list_utf8_cont(s[len]))) {
			s++;
			continue;
		}
		if (list_row_matches(l, r, ws, rest, nrest))
			hit[r / 64] |= (uint64_t)1 << (r % 64);
		s = re;
	}
}

/*
 * Set in hit the rows whose bit in "in" is want and that hold every word
 * in which[0 .. n).  Few rows: each is searched on its own; many: the
 * arena is scanned.
 */
static void
list_test(struct tui_list *l, const struct list_words *ws, const int *which,
    int n, int want, uint64_t *hit)
{
	size_t		 i, nw = list_nwords64(l->nrows);
	uint64_t	 b;
	uint32_t	 r, eligible;

	eligible = want ? l->nshown : l->nrows - l->nshown;
	if (n > 0 && eligible > l->nrows / 4) {
		list_scan(l, ws, which, n, want, hit);
		return;
	}
	for (i = 0; i < nw; i++) {
		b = want ? l->in[i] : ~l->in[i];
		b &= list_valid_bits(l->nrows, i);
		if (n == 0) {
			hit[i] |= b;
			continue;
		}
		for (; b != 0; b &= b - 1) {
			r = (uint32_t)(i * 64) + (uint32_t)__builtin_ctzll(b);
			if (list_row_matches(l, r, ws, which, n))
				hit[i] |= (uint64_t)1 << (r % 64);
		}
	}
}

/* Keep only the rows in "in" that hold the words in which. */
static void
list_narrow(struct tui_list *l, const struct list_words *ws, const int *which,
    int n)
{
	uint64_t	*swap;
	uint32_t	 j, k;

	if (n == 0)
		return;
	memset(l->spare, 0, list_nwords64(l->nrows) * sizeof *l->spare);
	list_test(l, ws, which, n, 1, l->spare);
	swap = l->in;
	l->in = l->spare;
	l->spare = swap;
	/* A subset in the same order: compact in place. */
	for (j = k = 0; j < l->nshown; j++) {
		if (list_bit(l->in, l->shown[j]))
			l->shown[k++] = l->shown[j];
	}
	l->nshown = k;
}

/* Add the rows outside "in" that hold every word. */
static void
list_widen(struct tui_list *l, const struct list_words *ws)
{
	int	 which[LIST_MAXWORDS], k;

	for (k = 0; k < ws->n; k++)
		which[k] = k;
	list_test(l, ws, which, ws->n, 0, l->in);
	list_rebuild_shown(l);
}

/* From nothing: test every row. */
static void
list_filter_all(struct tui_list *l, const struct list_words *ws)
{
	memset(l->in, 0, list_nwords64(l->nrows) * sizeof *l->in);
	l->nshown = 0;
	list_widen(l, ws);
}

/* Bring "in" and shown up to the current filter, as cheaply as it can. */
static void
list_refilter(struct tui_list *l)
{
	struct list_words	*nw;
	int			 which[LIST_MAXWORDS], n = 0, i;
	int			 narrower, wider;

	nw = xmalloc(sizeof *nw);
	list_words_parse(nw, l->filter, l->freq);
	if (!l->in_valid) {
		list_filter_all(l, nw);
		l->in_valid = 1;
		goto out;
	}
	narrower = list_words_implied(&l->words, nw);
	wider = list_words_implied(nw, &l->words);
	if (narrower) {
		/* Words an old word contains are passed already. */
		for (i = 0; i < nw->n; i++) {
			if (!list_word_implied(nw, i, &l->words))
				which[n++] = i;
		}
		list_narrow(l, nw, which, n);
	} else if (wider)
		list_widen(l, nw);
	else
		list_filter_all(l, nw);
out:
	l->words = *nw;
	free(nw);
}

/* Sorting. */

struct list_cmp {
	const struct tui_list	*l;
	int			 col;
	int			 desc;
};

static int
list_compare(const struct list_cmp *c, uint32_t a, uint32_t b)
{
	int	 v = c->l->src->compare(c->l->arg, a, b, c->col);

	v = (v > 0) - (v < 0);
	return c->desc ? -v : v;
}

/*
 * A plain top-down merge sort of row numbers: stable, so rows with equal
 * keys keep source order, and O(n log n) calls of compare whatever the
 * data (qsort is neither promised stable nor bounded).
 */
static void
list_msort(uint32_t *a, uint32_t *tmp, size_t n, const struct list_cmp *c)
{
	size_t		 mid, i, j, k;
	uint32_t	 x;

	if (n <= 12) {
		for (i = 1; i < n; i++) {
			x = a[i];
			for (j = i; j > 0 && list_compare(c, a[j - 1], x) > 0;
			    j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
		return;
	}
	mid = n / 2;
	list_msort(a, tmp, mid, c);
	list_msort(a + mid, tmp, n - mid, c);
	if (list_compare(c, a[mid - 1], a[mid]) <= 0)
		return;
	memcpy(tmp, a, mid * sizeof *a);
	i = 0;
	j = mid;
	k = 0;
	while (i < mid && j < n) {
		if (list_compare(c, tmp[i], a[j]) <= 0)
			a[k++] = tmp[i++];
		else
			a[k++] = a[j++];
	}
	while (i < mid)
		a[k++] = tmp[i++];
}

/* Rebuild order for sort_col and sort_desc (not shown). */
static void
list_sort(struct tui_list *l)
{
	struct list_cmp	 c;
	uint32_t	*tmp, r;

	if (l->sort_col < 0 && !l->sort_desc) {
		free(l->order);
		l->order = NULL;
		return;
	}
	if (l->order == NULL)
		l->order = xreallocarray(NULL, l->nrows > 0 ? l->nrows : 1,
		    sizeof *l->order);
	if (l->sort_col < 0) {
		for (r = 0; r < l->nrows; r++)
			l->order[r] = l->nrows - 1 - r;
		return;
	}
	/* From source order each time, so ties are in source order. */
	for (r = 0; r < l->nrows; r++)
		l->order[r] = r;
	c.l = l;
	c.col = l->sort_col;
	c.desc = l->sort_desc;
	tmp = xreallocarray(NULL, l->nrows / 2 + 1, sizeof *tmp);
	list_msort(l->order, tmp, l->nrows, &c);
	free(tmp);
}

/* The cursor. */

static void
list_fix_view(struct tui_list *l)
{
	uint32_t	 page = l->page > 0 ? l->page : 1;

	if (l->nshown == 0) {
		l->cursor = l->top = 0;
		return;
	}
	if (l->cursor >= l->nshown)
		l->cursor = l->nshown - 1;
	if (l->top > l->cursor)
		l->top = l->cursor;
	if (l->cursor - l->top >= page)
		l->top = l->cursor - page + 1;
	/* No empty lines at the bottom while rows are hidden above. */
	if (l->nshown - l->top < page)
		l->top = l->nshown > page ? l->nshown - page : 0;
}

static void
list_pos_save(const struct tui_list *l, struct list_pos *pos)
{
	if (l->nshown == 0) {
		pos->row = SIZE_MAX;
		pos->offset = 0;
		return;
	}
	pos->row = l->shown[l->cursor];
	pos->offset = l->cursor - l->top;
}

/*
 * Back to the row the cursor was on, at the same height on the screen,
 * if it is still shown; otherwise to the first row.
 */
static void
list_pos_restore(struct tui_list *l, const struct list_pos *pos)
{
	uint32_t	 i;

	l->cursor = l->top = 0;
	if (pos->row != SIZE_MAX) {
		for (i = 0; i < l->nshown; i++) {
			if (l->shown[i] == pos->row) {
				l->cursor = i;
				l->top = i >= pos->offset ? i - pos->offset : 0;
				break;
			}
		}
	}
	list_fix_view(l);
}

/* Re-filter after l->filter changed, keeping the cursor's row. */
static void
list_filter_changed(struct tui_list *l)
{
	struct list_pos	 pos;

	list_pos_save(l, &pos);
	list_refilter(l);
	list_pos_restore(l, &pos);
}

/* The API. */

struct tui_list *
tui_list_new(const struct tui_list_col *cols, int ncols,
    const struct tui_list_source *src, void *arg)
{
	struct tui_list	*l;

	assert(cols != NULL && ncols > 0);
	assert(src != NULL && src->count != NULL && src->cell != NULL &&
	    src->search != NULL);
	l = xcalloc(1, sizeof *l);
	l->cols = cols;
	l->ncols = ncols;
	l->colx = xcalloc((size_t)ncols, sizeof *l->colx);
	l->colw = xcalloc((size_t)ncols, sizeof *l->colw);
	l->colrank = xcalloc((size_t)ncols, sizeof *l->colrank);
	l->src = src;
	l->arg = arg;
	l->sort_col = -1;
	l->page = LIST_PAGE;
	tui_list_reload(l);
	return l;
}

void
tui_list_free(struct tui_list *l)
{
	if (l == NULL)
		return;
	free(l->colx);
	free(l->colw);
	free(l->colrank);
	free(l->text);
	free(l->toff);
	free(l->in);
	free(l->spare);
	free(l->shown);
	free(l->order);
	free(l->marks);
	free(l);
}

/*
 * Re-read the source.  With append, rows that existed are taken to be
 * unchanged and only the new ones are read: a ledger only grows.
 */
static void
list_reload(struct tui_list *l, int append)
{
	struct list_pos	 pos;
	size_t		 count, oldw, nw, i;
	uint32_t	 from;

	list_pos_save(l, &pos);
	count = l->src->count(l->arg);
	if (count >= UINT32_MAX)
		fatalx("list: %zu rows is too many", count);
	from = append && l->text != NULL && count >= l->nrows ? l->nrows : 0;
	oldw = list_nwords64(l->nrows);
	l->nrows = (uint32_t)count;
	nw = list_nwords64(l->nrows);

	list_load_text(l, from);
	free(l->in);
	l->in = xcalloc(nw > 0 ? nw : 1, sizeof *l->in);
	free(l->spare);
	l->spare = xcalloc(nw > 0 ? nw : 1, sizeof *l->spare);
	l->in_valid = 0;
	free(l->shown);
	l->shown = xreallocarray(NULL, count > 0 ? count : 1, sizeof *l->shown);
	l->nshown = 0;

	/* Keep the marks of rows that still exist. */
	l->marks = xreallocarray(l->marks, nw > 0 ? nw : 1, sizeof *l->marks);
	for (i = oldw; i < (nw > 0 ? nw : 1); i++)
		l->marks[i] = 0;
	if (nw > 0)
		l->marks[nw - 1] &= list_valid_bits(l->nrows, nw - 1);
	l->nmarked = 0;
	for (i = 0; i < nw; i++)
		l->nmarked += (uint32_t)__builtin_popcountll(l->marks[i]);

	free(l->order);
	l->order = NULL;
	list_sort(l);
	list_refilter(l);
	if (pos.row != SIZE_MAX && pos.row >= l->nrows)
		pos.row = SIZE_MAX;
	list_pos_restore(l, &pos);
}

void
tui_list_reload(struct tui_list *l)
{
	list_reload(l, 0);
}

void
tui_list_append(struct tui_list *l)
{
	list_reload(l, 1);
}

size_t
tui_list_current(struct tui_list *l)
{
	return l->nshown == 0 ? SIZE_MAX : l->shown[l->cursor];
}

size_t
tui_list_shown(struct tui_list *l)
{
	return l->nshown;
}

const char *
tui_list_filter(struct tui_list *l)
{
	return l->filter;
}

void
tui_list_set_filter(struct tui_list *l, const char *filter)
{
	size_t	 len = strlen(filter);

	if (len > TUI_LIST_FILTERMAX)
		len = list_utf8_cut(filter, TUI_LIST_FILTERMAX);
	memmove(l->filter, filter, len);
	l->filter[len] = '\0';
	list_filter_changed(l);
}

void
tui_list_set_sort(struct tui_list *l, int col, int desc)
{
	struct list_pos	 pos;

	assert(col >= -1 && col < l->ncols);
	if (l->src->compare == NULL)
		col = -1;
	list_pos_save(l, &pos);
	l->sort_col = col;
	l->sort_desc = desc != 0;
	list_sort(l);
	list_rebuild_shown(l);
	list_pos_restore(l, &pos);
}

int
tui_list_marked(struct tui_list *l, size_t row)
{
	return row < l->nrows && list_bit(l->marks, (uint32_t)row);
}

size_t
tui_list_nmarked(struct tui_list *l)
{
	return l->nmarked;
}

size_t
tui_list_next_marked(struct tui_list *l, size_t row)
{
	size_t		 i, nw = list_nwords64(l->nrows);
	uint64_t	 b;

	if (row >= l->nrows)
		return SIZE_MAX;
	i = row / 64;
	b = l->marks[i] & (~(uint64_t)0 << (row % 64));
	for (;;) {
		if (b != 0)
			return i * 64 + (size_t)__builtin_ctzll(b);
		if (++i >= nw)
			return SIZE_MAX;
		b = l->marks[i];
	}
}

void
tui_list_unmark_all(struct tui_list *l)
{
	memset(l->marks, 0, list_nwords64(l->nrows) * sizeof *l->marks);
	l->nmarked = 0;
}

/* Keys. */

static int
list_key_up(struct tui_list *l)
{
	if (l->nshown == 0 || l->cursor == 0)
		return TUI_HANDLED;
	l->cursor--;
	list_fix_view(l);
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_down(struct tui_list *l)
{
	if (l->cursor + 1 >= l->nshown)
		return TUI_HANDLED;
	l->cursor++;
	list_fix_view(l);
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_pgup(struct tui_list *l)
{
	uint32_t	 page = l->page;

	if (l->cursor == 0)
		return TUI_HANDLED;
	l->cursor -= l->cursor < page ? l->cursor : page;
	l->top -= l->top < page ? l->top : page;
	list_fix_view(l);
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_pgdn(struct tui_list *l)
{
	uint32_t	 page = l->page;

	if (l->cursor + 1 >= l->nshown)
		return TUI_HANDLED;
	/* The view moves with the cursor, as in a pager. */
	l->cursor = l->nshown - l->cursor - 1 < page ? l->nshown - 1 :
	    l->cursor + page;
	l->top = l->nshown - l->top < page ? l->top : l->top + page;
	list_fix_view(l);
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_home(struct tui_list *l)
{
	if (l->cursor == 0)
		return TUI_HANDLED;
	l->cursor = 0;
	list_fix_view(l);
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_end(struct tui_list *l)
{
	if (l->cursor + 1 >= l->nshown)
		return TUI_HANDLED;
	l->cursor = l->nshown - 1;
	list_fix_view(l);
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_backspace(struct tui_list *l)
{
	size_t	 len = strlen(l->filter), i;

	if (len == 0)
		return TUI_HANDLED;
	/* A whole character: up to three continuation bytes and a lead. */
	i = len - 1;
	while (i > 0 && len - i < 4 &&
	    list_utf8_cont((unsigned char)l->filter[i]))
		i--;
	l->filter[i] = '\0';
	list_filter_changed(l);
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_clear(struct tui_list *l)
{
	if (l->filter[0] == '\0')
		return TUI_HANDLED;
	l->filter[0] = '\0';
	list_filter_changed(l);
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_mark(struct tui_list *l)
{
	uint32_t	 r;

	if (l->nshown == 0)
		return TUI_HANDLED;
	r = l->shown[l->cursor];
	if (list_bit(l->marks, r)) {
		list_bit_set(l->marks, r, 0);
		l->nmarked--;
	} else {
		list_bit_set(l->marks, r, 1);
		l->nmarked++;
	}
	list_key_down(l);
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_mark_all(struct tui_list *l)
{
	uint32_t	 i, r;
	int		 all = 1;

	if (l->nshown == 0)
		return TUI_HANDLED;
	for (i = 0; i < l->nshown && all; i++)
		all = list_bit(l->marks, l->shown[i]);
	for (i = 0; i < l->nshown; i++) {
		r = l->shown[i];
		if (list_bit(l->marks, r) == !all)
			continue;
		list_bit_set(l->marks, r, !all);
		if (all)
			l->nmarked--;
		else
			l->nmarked++;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_sort(struct tui_list *l)
{
	int	 col;

	if (l->src->compare == NULL)
		return TUI_HANDLED;
	col = l->sort_col + 1 < l->ncols ? l->sort_col + 1 : -1;
	tui_list_set_sort(l, col, 0);
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_reverse(struct tui_list *l)
{
	tui_list_set_sort(l, l->sort_col, !l->sort_desc);
	return TUI_HANDLED | TUI_REDRAW;
}

static int
list_key_left(struct tui_list *l)
{
	if (l->first == 0)
		return TUI_HANDLED;
	l->first--;
	return TUI_HANDLED | TUI_REDRAW;
}

/* Only while columns are left out: the last draw's layout says. */
static int
list_key_right(struct tui_list *l)
{
	if (l->hidden == 0 || l->first + 1 >= l->ncols)
		return TUI_HANDLED;
	l->first++;
	return TUI_HANDLED | TUI_REDRAW;
}

/* A printable character: append it to the filter. */
static int
list_key_type(struct tui_list *l, wchar_t wc)
{
	char		 mb[MB_LEN_MAX];
	mbstate_t	 ps;
	size_t		 n, len = strlen(l->filter);

	memset(&ps, 0, sizeof ps);
	if ((n = wcrtomb(mb, wc, &ps)) == (size_t)-1)
		return TUI_HANDLED;
	if (len + n > TUI_LIST_FILTERMAX)
		return TUI_HANDLED;
	memcpy(l->filter + len, mb, n);
	l->filter[len + n] = '\0';
	list_filter_changed(l);
	return TUI_HANDLED | TUI_REDRAW;
}

int
tui_list_key(struct tui_list *l, const struct tui_key *key)
{
	const struct list_binding	*b;
	size_t				 i;

	for (i = 0; i < NELEM(list_bindings); i++) {
		b = &list_bindings[i];
		if (b->ch == key->ch && b->fn == (key->fn != 0))
			return b->handler(l);
	}
	if (!key->fn && key->ch >= 0x20 && key->ch != 0x7f &&
	    iswprint(key->ch))
		return list_key_type(l, (wchar_t)key->ch);
	return TUI_IGNORED;
}

const struct tui_keyhelp *
tui_list_keys(void)
{
	static struct tui_keyhelp	 keys[NELEM(list_bindings) + 2];
	size_t				 i, n = 0;

	if (keys[0].key != NULL)
		return keys;
	keys[n].key = N_("text");
	keys[n++].what = N_("Filter: show rows holding every word typed");
	for (i = 0; i < NELEM(list_bindings); i++) {
		if (list_bindings[i].name == NULL)
			continue;
		keys[n].key = list_bindings[i].name;
		keys[n++].what = list_bindings[i].help;
	}
	return keys;
}

/* Drawing. */

/* A column's widths: the fewest columns, the preferred, its share. */
static int
list_col_min(const struct tui_list_col *c)
{
	if (c->min > 0)
		return c->min;
	return c->width > 0 ? c->width : 8;
}

static int
list_col_pref(const struct tui_list_col *c)
{
	return c->width > list_col_min(c) ? c->width : list_col_min(c);
}

static int
list_col_share(const struct tui_list_col *c)
{
	if (c->share > 0)
		return c->share;
	return c->width > 0 ? 0 : 1;
}

/*
 * Rank the columns in view, most wanted first: the first column in view
 * when scrolled (the person asked for it), then by priority, ties left
 * to right.  Returns how many are in view.
 */
static int
list_rank(struct tui_list *l)
{
	int	 n = 0, i, j, c;

	for (i = l->first; i < l->ncols; i++) {
		for (j = n; j > 0; j--) {
			c = l->colrank[j - 1];
			if ((l->first > 0 && c == l->first) ||
			    l->cols[c].prio >= l->cols[i].prio)
				break;
			l->colrank[j] = c;
		}
		l->colrank[j] = i;
		n++;
	}
	return n;
}

/*
 * Which columns to show in room columns: in rank order, a column comes in
 * only if every column shown, it included, keeps its minimum and those
 * more important than it keep their preferred width; the first that does
 * not fit leaves out itself and all after it.  Returns how many are shown
 * (the first kept columns of colrank), at least one.
 */
static int
list_choose(struct tui_list *l, int n, int room)
{
	const struct tui_list_col	*c, *k;
	int				 kept, need, j;

	for (kept = 1; kept < n; kept++) {
		c = &l->cols[l->colrank[kept]];
		need = list_col_min(c) + kept;		/* one space each */
		for (j = 0; j < kept; j++) {
			k = &l->cols[l->colrank[j]];
			need += k->prio > c->prio ? list_col_pref(k) :
			    list_col_min(k);
		}
		if (need > room)
			break;
	}
	return kept;
}

/*
 * Column positions for width columns: the gutter, then the columns
 * chosen, in table order.  The shown get their minimum, then, most wanted
 * first, up to their preferred width, then the rest by share.
 */
static void
list_layout(struct tui_list *l, int width)
{
	const struct tui_list_col	*c;
	int				 room, n, kept, i, j, add, shares = 0;
	int				 x;

	room = width - LIST_GUTTER;
	memset(l->colw, 0, (size_t)l->ncols * sizeof *l->colw);
	if (l->first >= l->ncols)
		l->first = l->ncols - 1;
	n = list_rank(l);
	kept = list_choose(l, n, room > 0 ? room : 0);
	l->hidden = n - kept;

	room -= kept - 1;
	for (j = 0; j < kept; j++) {
		c = &l->cols[l->colrank[j]];
		l->colw[l->colrank[j]] = list_col_min(c);
		room -= list_col_min(c);
		shares += list_col_share(c);
	}
	for (j = 0; j < kept && room > 0; j++) {
		c = &l->cols[l->colrank[j]];
		add = list_col_pref(c) - list_col_min(c);
		add = add < room ? add : room;
		l->colw[l->colrank[j]] += add;
		room -= add;
	}
	/* The spare room by share; what division leaves, to the first. */
	for (j = 0, add = room; j < kept && room > 0 && shares > 0; j++) {
		c = &l->cols[l->colrank[j]];
		l->colw[l->colrank[j]] += add * list_col_share(c) / shares;
		room -= add * list_col_share(c) / shares;
	}
	for (j = 0; j < kept && room > 0 && shares > 0; j++) {
		if (list_col_share(&l->cols[l->colrank[j]]) > 0) {
			l->colw[l->colrank[j]] += room;
			break;
		}
	}

	x = LIST_GUTTER;
	for (i = 0; i < l->ncols; i++) {
		l->colx[i] = x;
		if (l->colw[i] <= 0)
			continue;
		if (x >= width)
			l->colw[i] = 0;
		else if (l->colw[i] > width - x)
			l->colw[i] = width - x;	/* one column, too narrow */
		x += l->colw[i] + 1;
	}
}

static void
list_draw_header(struct tui_list *l, WINDOW *win, int y, int x, int width)
{
	const char	*title, *arrow;
	int		 i, cw, tw;

	wattrset(win, (int)tui_style(TUI_HEADER));
	tui_text_put(win, y, x, "", width, 0);
	for (i = 0; i < l->ncols; i++) {
		if ((cw = l->colw[i]) <= 0)
			continue;
		title = l->cols[i].title != NULL ? _(l->cols[i].title) : "";
		if (i != l->sort_col) {
			tui_text_put(win, y, x + l->colx[i], title, cw,
			    l->cols[i].right);
			continue;
		}
		/* The arrow follows the title, or takes its last column. */
		arrow = l->sort_desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2";
		tw = tui_text_width(title);
		if (tw + 1 > cw)
			tw = cw - 1;
		if (l->cols[i].right) {
			tui_text_put(win, y, x + l->colx[i], title, cw - 1, 1);
			tui_text_put(win, y, x + l->colx[i] + cw - 1, arrow, 1,
			    0);
		} else {
			tui_text_put(win, y, x + l->colx[i], title, tw, 0);
			tui_text_put(win, y, x + l->colx[i] + tw, arrow, 1, 0);
		}
	}
	/* Columns out of view: scrolled past on the left, left out. */
	if (l->first > 0)
		tui_text_put(win, y, x, "\xe2\x97\x80", 1, 0);	/* ◀ */
	if (l->hidden > 0)
		tui_text_put(win, y, x + width - 1, "\xe2\x96\xb6", 1, 0);
}

static void
list_draw_row(struct tui_list *l, WINDOW *win, int y, int x, int width,
    uint32_t idx)
{
	char		 cell[LIST_CELLMAX];
	uint32_t	 r = l->shown[idx];
	int		 marked = list_bit(l->marks, r), i;
	attr_t		 attr;

	if (idx == l->cursor)
		attr = tui_style(TUI_CURSOR) | (marked ? A_BOLD : 0);
	else if (marked)
		attr = tui_style(TUI_MARKED);
	else
		attr = tui_style(TUI_NORMAL);
	wattrset(win, (int)attr);
	tui_text_put(win, y, x, marked ? "*" : "", width, 0);
	for (i = 0; i < l->ncols; i++) {
		if (l->colw[i] <= 0)
			continue;
		cell[0] = '\0';
		l->src->cell(l->arg, r, i, cell, sizeof cell);
		cell[sizeof cell - 1] = '\0';
		tui_text_put(win, y, x + l->colx[i], cell, l->colw[i],
		    l->cols[i].right);
	}
}

/* The last characters of s that fit in cols columns, after "…". */
static const char *
list_tail(const char *s, int cols, int *cut)
{
	char	 ch[5];
	int	 over;
	size_t	 k;

	*cut = 0;
	if ((over = tui_text_width(s) - cols) <= 0)
		return s;
	*cut = 1;
	over++;					/* room for "…" */
	while (*s != '\0' && over > 0) {
		/* One character with whatever continuation bytes follow. */
		for (k = 1; k < 4 && list_utf8_cont((unsigned char)s[k]); k++)
			;
		memcpy(ch, s, k);
		ch[k] = '\0';
		over -= tui_text_width(ch);
		s += k;
	}
	return s;
}

static void
list_draw_footer(struct tui_list *l, WINDOW *win, int y, int x, int width)
{
	char		 counts[128], *shownf, *left, *line;
	const char	*tail;
	int		 room, cut;

	snprintf(counts, sizeof counts, _("%zu/%zu  marked %zu"),
	    (size_t)l->nshown, (size_t)l->nrows, (size_t)l->nmarked);
	/* The counts stay in sight: a long filter loses its beginning. */
	xasprintf(&left, _("filter: %s"), "");
	room = width - tui_text_width(left) - 2 - tui_text_width(counts);
	free(left);
	tail = list_tail(l->filter, room > 0 ? room : 0, &cut);
	xasprintf(&shownf, "%s%s", cut ? "\xe2\x80\xa6" : "", tail);
	xasprintf(&left, _("filter: %s"), shownf);
	xasprintf(&line, "%s  %s", left, counts);
	wattrset(win, (int)tui_style(TUI_TITLE));
	tui_text_put(win, y, x, line, width, 0);
	free(line);
	free(left);
	free(shownf);
}

void
tui_list_draw(struct tui_list *l, WINDOW *win, int y, int x, int height,
    int width)
{
	uint32_t	 i;
	int		 ly;

	if (height <= 0 || width <= 0)
		return;
	l->page = height > 2 ? (uint32_t)(height - 2) : 1;
	list_fix_view(l);
	list_layout(l, width);

	list_draw_header(l, win, y, x, width);
	for (i = 0; i + 2 < (uint32_t)height; i++) {
		ly = y + 1 + (int)i;
		if (l->top + i < l->nshown) {
			list_draw_row(l, win, ly, x, width, l->top + i);
			continue;
		}
		wattrset(win, (int)tui_style(TUI_NORMAL));
		tui_text_put(win, ly, x, "", width, 0);
		if (i != 0)
			continue;
		wattrset(win, (int)tui_style(TUI_DIM));
		if (l->nrows == 0)
			tui_text_put(win, ly, x + LIST_GUTTER, _("(no rows)"),
			    width - LIST_GUTTER, 0);
		else
			tui_text_put(win, ly, x + LIST_GUTTER,
			    _("(no rows match the filter)"),
			    width - LIST_GUTTER, 0);
	}
	if (height >= 2)
		list_draw_footer(l, win, y + height - 1, x, width);
	wattrset(win, A_NORMAL);
}
