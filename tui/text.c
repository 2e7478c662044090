/*
 * text.c -- text measured and drawn by display width, never by bytes.
 *
 * A kanji takes two terminal columns and a combining mark none, so every
 * column of every list lines up only if widths come from wcwidth() and
 * cuts fall between characters.  Text from the ledger or an HR import is
 * data, not trusted markup: control characters, invalid UTF-8 and the
 * rest of what common/vis.c escapes are drawn as the same visible escapes
 * the command line prints ("\x1b", "\u009b"), as is anything else the
 * locale cannot draw.  An escape is one unit, never cut, one column per
 * character, so it can neither move the cursor nor make tui_text_width
 * and what is drawn disagree.
 */
#include "config.h"

#include <limits.h>
#include <string.h>
#include <wchar.h>

#include "common.h"
#include "tui-int.h"

/* A code point is a wchar_t: vis_next's answer goes to wcwidth as is. */
#ifndef __STDC_ISO_10646__
#error "wchar_t must hold ISO 10646 code points"
#endif

#define TEXT_ELLIPSIS	0x2026		/* "…" */
#define TEXT_CHUNK	256		/* wide characters per waddnwstr */

/* One character of the text as it is drawn. */
struct text_char {
	wchar_t		 wc[VIS_ESC_MAX];	/* itself, or its escape */
	int		 n;			/* wide characters in wc */
	int		 width;			/* columns in all */
};

/*
 * The next character of s (n bytes) as it will be drawn.  Returns the
 * bytes used (at least 1).
 */
static size_t
text_next(const char *s, size_t n, struct text_char *c)
{
	char		 esc[VIS_ESC_MAX];
	uint32_t	 cp;
	size_t		 used;
	int		 i, w;

	used = vis_next(s, n, 0, &cp, esc);
	if (esc[0] == '\0') {
		if ((w = wcwidth((wchar_t)cp)) >= 0) {
			c->wc[0] = (wchar_t)cp;
			c->n = 1;
			c->width = w;
			return used;
		}
		/* Unprintable in this locale: escaped as well. */
		vis_escape_cp(cp, esc);
	}
	for (i = 0; esc[i] != '\0'; i++)
		c->wc[i] = (wchar_t)(unsigned char)esc[i];
	c->n = c->width = i;
	return used;
}

int
tui_text_width(const char *s)
{
	struct text_char c;
	size_t		 n = strlen(s), used;
	int		 total = 0;

	while (n > 0) {
		used = text_next(s, n, &c);
		total += c.width;
		s += used;
		n -= used;
	}
	return total;
}

/*
 * May a line break between prev and cur?  After a space; and between
 * characters when either is wide (Japanese has no spaces), but not after
 * an opening bracket or before closing punctuation (、。」 stay with what
 * they follow), nor inside a run of narrow characters (an English word,
 * "F10", a path).
 */
static int
text_break_ok(const struct text_char *prev, const struct text_char *cur)
{
	if (prev->n == 1 && prev->wc[0] == L' ')
		return 1;
	if (prev->width < 2 && cur->width < 2)
		return 0;
	if (prev->n == 1 && kinsoku_no_end(prev->wc[0]))
		return 0;
	if (cur->n == 1 && kinsoku_no_start(cur->wc[0]))
		return 0;
	return 1;
}

size_t
tui_text_fit(const char *s, size_t n, int width)
{
	struct text_char c, prev = { .n = 0 };
	size_t		 off = 0, used, brk = 0;
	int		 total = 0;

	while (off < n) {
		used = text_next(s + off, n - off, &c);
		if (off > 0 && text_break_ok(&prev, &c))
			brk = off;
		if (total + c.width > width)
			break;
		total += c.width;
		off += used;
		prev = c;
	}
	if (off == n)
		return n;
	/* Break where it may when that is not too far back. */
	if (brk > 0 && brk * 3 > off)
		return brk;
	return off > 0 ? off : 1;
}

/* Wide characters gathered for one waddnwstr call. */
struct text_out {
	WINDOW		*win;
	wchar_t		 buf[TEXT_CHUNK];
	int		 len;
	int		 base;			/* a spacing character is out */
};

static void
text_flush(struct text_out *o)
{
	if (o->len > 0)
		waddnwstr(o->win, o->buf, o->len);
	o->len = 0;
}

static void
text_add(struct text_out *o, wchar_t wc, int width)
{
	/*
	 * A combining mark with nothing before it in this field would join
	 * the neighbouring field's last cell; it has no width, so drop it.
	 */
	if (width == 0 && !o->base)
		return;
	/* Flush only before a spacing character: marks stay with it. */
	if (width > 0 && o->len >= TEXT_CHUNK - 8)
		text_flush(o);
	if (o->len < TEXT_CHUNK)
		o->buf[o->len++] = wc;
	if (width > 0)
		o->base = 1;
}

/* A character, or each character of its escape. */
static void
text_addc(struct text_out *o, const struct text_char *c)
{
	int	 i;

	if (c->n == 1)
		text_add(o, c->wc[0], c->width);
	else {
		for (i = 0; i < c->n; i++)
			text_add(o, c->wc[i], 1);
	}
}

static void
text_pad(struct text_out *o, int n)
{
	while (n-- > 0)
		text_add(o, L' ', 1);
}

void
tui_text_put(WINDOW *win, int y, int x, const char *s, int width, int right)
{
	struct text_out	 o;
	struct text_char c;
	size_t		 n, used;
	wchar_t		 ell = TEXT_ELLIPSIS;
	int		 total, ellw, done;

	/* Never draw past the window's edge: a wide character would wrap. */
	if (x < 0 || x >= getmaxx(win) || y < 0 || y >= getmaxy(win))
		return;
	if (width > getmaxx(win) - x)
		width = getmaxx(win) - x;
	if (width <= 0)
		return;

	memset(&o, 0, sizeof o);
	o.win = win;
	wmove(win, y, x);

	total = tui_text_width(s);
	n = strlen(s);
	if (total <= width) {
		if (right)
			text_pad(&o, width - total);
		while (n > 0) {
			used = text_next(s, n, &c);
			text_addc(&o, &c);
			s += used;
			n -= used;
		}
		if (!right)
			text_pad(&o, width - total);
		text_flush(&o);
		return;
	}

	/*
	 * Too wide: keep what fits before the ellipsis.  A two-column
	 * character that would straddle the last column is left out whole
	 * and its place padded with a space.
	 */
	if ((ellw = wcwidth(ell)) != 1) {
		ell = L'~';
		ellw = 1;
	}
	done = 0;
	if (right) {
		/* Measure first so the pad goes on the left. */
		const char	*p = s;
		size_t		 m = n;

		while (m > 0) {
			used = text_next(p, m, &c);
			if (done + c.width > width - ellw)
				break;
			done += c.width;
			p += used;
			m -= used;
		}
		text_pad(&o, width - ellw - done);
		done = 0;
	}
	while (n > 0) {
		used = text_next(s, n, &c);
		if (done + c.width > width - ellw)
			break;
		text_addc(&o, &c);
		done += c.width;
		s += used;
		n -= used;
	}
	text_add(&o, ell, ellw);
	if (!right)
		text_pad(&o, width - ellw - done);
	text_flush(&o);
}

/* Append the character of key k to buf as UTF-8, within max bytes. */
int
tui_edit_type(char *buf, size_t *len, size_t max, const struct tui_key *k)
{
	char		 mb[MB_LEN_MAX];
	mbstate_t	 ps;
	size_t		 n;

	if (k->fn || k->ch < 0x20 || k->ch == 0x7f)
		return 0;
	memset(&ps, 0, sizeof ps);
	if ((n = wcrtomb(mb, (wchar_t)k->ch, &ps)) == (size_t)-1)
		return 0;
	if (*len + n >= max)
		return 1;		/* full: swallow, do not overflow */
	memcpy(buf + *len, mb, n);
	*len += n;
	buf[*len] = '\0';
	return 1;
}

/* Delete the last UTF-8 character of buf. */
void
tui_edit_backspace(char *buf, size_t *len)
{
	while (*len > 0) {
		(*len)--;
		if (((unsigned char)buf[*len] & 0xc0) != 0x80)
			break;
	}
	buf[*len] = '\0';
}
