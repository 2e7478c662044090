/*
 * mkman.c -- build daicho(8) from help/daicho.8.in: the line
 * ".\" @CONSOLE@" becomes the console's section, generated from the same
 * help topics and key tables as F1, so the manual cannot drift either;
 * ".\" @ACTIONS@" becomes the action table with each action's arguments;
 * ".\" @FINDINGS@" the findings' rules with severity, clause and remedy;
 * ".\" @POLICY@" the policy's keys with their ranges and defaults.
 * Other pages (daicho.conf(5), daicho-targets(5)) have no such lines and
 * pass through.
 *
 *	mkman [-j] [-l localedir] page.in
 *
 * The generated text is in the language of the locale (LANG, LC_ALL),
 * from the catalogue in localedir (or $DAICHO_LOCALEDIR, else
 * LOCALEDIR), as daicho itself shows it.  -j writes Japanese for groff:
 * groff 1.22 breaks lines only at spaces, and Japanese has none, so a
 * long line would run past the right margin ("can't break line").  -j
 * puts a break point (\:, no hyphen) between two wide characters in text
 * lines, except where Japanese typesetting forbids a break: before
 * closing punctuation and small kana, after an opening bracket; and
 * joins two text lines without the space groff would put between them
 * where the first ends and the next starts with a wide character.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "core.h"
#include "tui.h"

/* A UTF-8 character's code point and length at s (n bytes); 0: not one. */
static size_t
mkman_utf8(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t	 len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		len = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	*cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return len;
}

/* CJK punctuation, kana, ideographs and full-width forms. */
static int
mkman_wide(unsigned long cp)
{
	return (cp >= 0x3000 && cp <= 0x9fff) ||
	    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff01 && cp <= 0xff60);
}

/* Characters a Japanese line may not start with (kinsoku). */
static int
mkman_no_break_before(unsigned long cp)
{
	static const unsigned long no[] = {
		0x3001, 0x3002, 0xff0c, 0xff0e, 0xff09, 0x300d, 0x300f,
		0x3011, 0x30fc, 0x3005, 0x30fb, 0xff1a, 0xff1b, 0xff1f,
		0xff01, 0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063,
		0x3083, 0x3085, 0x3087, 0x30a1, 0x30a3, 0x30a5, 0x30a7,
		0x30a9, 0x30c3, 0x30e3, 0x30e5, 0x30e7,
	};
	size_t	 i;

	for (i = 0; i < sizeof no / sizeof no[0]; i++) {
		if (no[i] == cp)
			return 1;
	}
	return 0;
}

/* Characters a Japanese line may not end with: opening brackets. */
static int
mkman_no_break_after(unsigned long cp)
{
	return cp == 0xff08 || cp == 0x300c || cp == 0x300e || cp == 0x3010;
}

/* One line (len bytes, without its newline) with break points. */
static void
mkman_break_line(const char *line, size_t len, FILE *out)
{
	const unsigned char	*s = (const unsigned char *)line;
	unsigned long		 cp, next;
	size_t			 i = 0, n, m;

	if (len > 0 && (line[0] == '.' || line[0] == '\'')) {
		fwrite(line, 1, len, out);
		return;
	}
	while (i < len) {
		if ((n = mkman_utf8(s + i, len - i, &cp)) == 0) {
			fputc(s[i++], out);
			continue;
		}
		fwrite(s + i, 1, n, out);
		i += n;
		if (i < len && (m = mkman_utf8(s + i, len - i, &next)) != 0 &&
		    mkman_wide(cp) && mkman_wide(next) &&
		    !mkman_no_break_after(cp) && !mkman_no_break_before(next))
			fputs("\\:", out);
	}
}

/* The last character of a line (len bytes) if it is a wide one, else 0. */
static unsigned long
mkman_last_wide(const char *line, size_t len)
{
	const unsigned char	*s = (const unsigned char *)line;
	unsigned long		 cp;
	size_t			 i;

	for (i = len; i > 0 && len - i < 4; i--) {
		if ((s[i - 1] & 0xc0) != 0x80)
			break;
	}
	if (i == 0 || mkman_utf8(s + i - 1, len - i + 1, &cp) !=
	    len - i + 1 || !mkman_wide(cp))
		return 0;
	return cp;
}

/*
 * Whether a text line ending in a wide character runs on into the next
 * text line starting with one: groff would put a space between them, as
 * between English words, so the line ends in \c (joined), after \: (a
 * break point) unless a line may not start with the next character.
 */
static void
mkman_join(const char *line, size_t len, const char *next, size_t nlen,
    FILE *out)
{
	unsigned long	 last, first;

	if (len == 0 || nlen == 0 || line[0] == '.' || line[0] == '\'' ||
	    next[0] == '.' || next[0] == '\'' ||
	    (last = mkman_last_wide(line, len)) == 0 ||
	    mkman_utf8((const unsigned char *)next, nlen, &first) == 0 ||
	    !mkman_wide(first))
		return;
	if (!mkman_no_break_after(last) && !mkman_no_break_before(first))
		fputs("\\:", out);
	fputs("\\c", out);
}

/* The whole page (len bytes) with break points, to out. */
static void
mkman_breaks(const char *page, size_t len, FILE *out)
{
	const char	*p = page, *nl, *end = page + len, *next, *nnl;
	size_t		 n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		mkman_break_line(p, n, out);
		if (nl == NULL)
			break;
		next = nl + 1;
		nnl = memchr(next, '\n', (size_t)(end - next));
		mkman_join(p, n, next, nnl != NULL ? (size_t)(nnl - next) :
		    (size_t)(end - next), out);
		fputc('\n', out);
		p = next;
	}
}

static void
mkman_page(FILE *in, FILE *out)
{
	char	*line = NULL;
	size_t	 cap = 0;

	while (getline(&line, &cap, in) != -1) {
		if (strcmp(line, ".\\\" @CONSOLE@\n") == 0)
			tui_help_man(out);
		else if (strcmp(line, ".\\\" @ACTIONS@\n") == 0)
			core_actions_man(out);
		else if (strcmp(line, ".\\\" @FINDINGS@\n") == 0)
			core_findings_man(out);
		else if (strcmp(line, ".\\\" @POLICY@\n") == 0)
			core_policy_man(out);
		else
			fputs(line, out);
	}
	free(line);
}

static void
usage(void)
{
	fprintf(stderr, "usage: mkman [-j] [-l localedir] page.in\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	FILE		*in, *mem;
	const char	*localedir = LOCALEDIR;
	char		*page = NULL;
	size_t		 len = 0;
	int		 ch, japanese = 0;

	if (getenv("DAICHO_LOCALEDIR") != NULL)
		localedir = getenv("DAICHO_LOCALEDIR");
	while ((ch = getopt(argc, argv, "jl:")) != -1) {
		switch (ch) {
		case 'j':
			japanese = 1;
			break;
		case 'l':
			localedir = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	setlocale(LC_ALL, "");
	bindtextdomain(PACKAGE, localedir);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
	if ((in = fopen(argv[optind], "r")) == NULL) {
		perror(argv[optind]);
		return 2;
	}
	if (!japanese)
		mkman_page(in, stdout);
	else {
		if ((mem = open_memstream(&page, &len)) == NULL) {
			perror("open_memstream");
			return 2;
		}
		mkman_page(in, mem);
		if (fclose(mem) != 0) {
			perror("open_memstream");
			return 2;
		}
		mkman_breaks(page, len, stdout);
		free(page);
	}
	fclose(in);
	return ferror(stdout) || fflush(stdout) != 0 ? 1 : 0;
}
