/*
 * vis.c -- text someone else wrote, made safe to show on a terminal.
 *
 * Ledger values, a unix system's passwd file, an LDAP directory's answers
 * and the cause strings built from them are data, not terminal markup: an
 * ESC, a C1 CSI or a carriage return in them could repaint an auditor's
 * screen, hide a line or forge one.  One rule, used by the console
 * (tui/text.c) and by every human-readable output of the command line,
 * says which characters are shown as they are and how the others are
 * written, in the spirit of OpenBSD's vis(3):
 *
 *	\\	a backslash, so that every escape below is unambiguous;
 *	\xNN	a C0 control (0x00-0x1f, tab and line feed included), DEL,
 *		or a byte that does not begin valid UTF-8 (RFC 3629: no
 *		overlong forms, no surrogates, nothing above U+10FFFF);
 *	\uNNNN	a valid character that is a C1 control (U+0080-U+009F), a
 *		line or paragraph separator (U+2028, U+2029), or a
 *		bidirectional embedding, override or isolate (U+202A-U+202E,
 *		U+2066-U+2069), which would reorder what is shown around it.
 *
 * Everything else, kanji included, is shown as itself, whatever the
 * locale: the ledger is UTF-8 by definition (docs/ledger-format.md).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common.h"

size_t
vis_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t	 c, min;
	size_t		 len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Characters that are valid but act on the terminal or the layout. */
static int
vis_unsafe(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
	    c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

void
vis_escape_cp(uint32_t cp, char *esc)
{
	if (cp < 0x80)
		snprintf(esc, VIS_ESC_MAX, "\\x%02x", (unsigned)cp);
	else if (cp <= 0xffff)
		snprintf(esc, VIS_ESC_MAX, "\\u%04x", (unsigned)cp);
	else
		snprintf(esc, VIS_ESC_MAX, "\\U%08x", (unsigned)cp);
}

size_t
vis_next(const char *s, size_t n, int flags, uint32_t *cp, char *esc)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 len;

	esc[0] = '\0';
	if ((len = vis_utf8(u, n, cp)) == 0) {
		*cp = u[0];
		snprintf(esc, VIS_ESC_MAX, "\\x%02x", u[0]);
		return 1;
	}
	if (*cp == '\\')
		memcpy(esc, "\\\\", 3);
	else if (*cp == '\n' && (flags & VIS_NL))
		;
	else if (vis_unsafe(*cp))
		vis_escape_cp(*cp, esc);
	return len;
}

char *
vis_buf(const char *s, size_t n, int flags)
{
	char		*out, esc[VIS_ESC_MAX];
	size_t		 len = 0, used, k;
	uint32_t	 cp;

	/* Each input byte makes at most four output bytes ("\xNN"). */
	out = xreallocarray(NULL, n + 1, 4);
	while (n > 0) {
		used = vis_next(s, n, flags, &cp, esc);
		if (esc[0] != '\0') {
			k = strlen(esc);
			memcpy(out + len, esc, k);
			len += k;
		} else {
			memcpy(out + len, s, used);
			len += used;
		}
		s += used;
		n -= used;
	}
	out[len] = '\0';
	return out;
}

char *
vis_str(const char *s, int flags)
{
	return vis_buf(s, strlen(s), flags);
}
