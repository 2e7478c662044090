/*
 * text.c -- text measured and drawn by display width, never by bytes.
 *
 * A kanji takes two terminal columns and a combining mark none, so every
 * column of every list lines up only if widths come from wcwidth() and
 * cuts fall between characters.  Text from the ledger or an HR import is
 * data, not trusted markup: invalid UTF-8 and control characters are
 * shown as '?', one column each, so they can neither move the cursor nor
 * make tui_text_width and what is drawn disagree.
 */
#include "config.h"

#include <limits.h>
#include <string.h>
#include <wchar.h>

#include "tui-int.h"

#define TEXT_ELLIPSIS	0x2026		/* "…" */
#define TEXT_CHUNK	256		/* wide characters per waddnwstr */

/*
 * The next character of s (n bytes) as it will be drawn: its wide
 * character and width.  Returns the bytes used (at least 1).
 */
static size_t
text_next(const char *s, size_t n, wchar_t *wc, int *width)
{
	mbstate_t	 ps;
	size_t		 used;
	int		 w;

	memset(&ps, 0, sizeof ps);
	used = mbrtowc(wc, s, n, &ps);
	if (used == (size_t)-1 || used == (size_t)-2 || used == 0) {
		/* Invalid, cut short, or an embedded NUL: one byte, one '?'. */
		*wc = L'?';
		*width = 1;
		return 1;
	}
	if ((w = wcwidth(*wc)) < 0) {
		/* Control and unprintable characters. */
		*wc = L'?';
		w = 1;
	}
	*width = w;
	return used;
}

int
tui_text_width(const char *s)
{
	size_t	 n = strlen(s), used;
	wchar_t	 wc;
	int	 total = 0, w;

	while (n > 0) {
		used = text_next(s, n, &wc, &w);
		total += w;
		s += used;
		n -= used;
	}
	return total;
}

size_t
tui_text_fit(const char *s, size_t n, int width)
{
	size_t	 off = 0, used, space = 0;
	wchar_t	 wc;
	int	 total = 0, w;

	while (off < n) {
		used = text_next(s + off, n - off, &wc, &w);
		if (total + w > width)
			break;
		total += w;
		off += used;
		if (wc == L' ')
			space = off;
	}
	if (off == n)
		return n;
	/* Break after a space when there is one not too far back. */
	if (space > 0 && space * 3 > off)
		return space;
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
	size_t		 n, used;
	wchar_t		 wc, ell = TEXT_ELLIPSIS;
	int		 total, w, ellw, done;

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
			used = text_next(s, n, &wc, &w);
			text_add(&o, wc, w);
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
			used = text_next(p, m, &wc, &w);
			if (done + w > width - ellw)
				break;
			done += w;
			p += used;
			m -= used;
		}
		text_pad(&o, width - ellw - done);
		done = 0;
	}
	while (n > 0) {
		used = text_next(s, n, &wc, &w);
		if (done + w > width - ellw)
			break;
		text_add(&o, wc, w);
		done += w;
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
