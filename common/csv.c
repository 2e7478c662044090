/*
 * csv.c -- the files HR systems export: RFC 4180 records in UTF-8 or in
 * CP932 (Shift_JIS as Windows writes it), read into fields that know
 * their line and column, and written back the same way.
 *
 * Decoding.  CP932 goes through iconv (glibc's "CP932"), which holds the
 * NEC special characters (row 13: ①, ㈱), the NEC-selected IBM
 * extensions (0xED40-0xEEFC), the IBM extensions (0xFA40-0xFC4B), so
 * that 髙, 﨑, 德 and 栁 read as themselves from either code, and the
 * half-width kana (0xA1-0xDF, to U+FF61-U+FF9F).  UTF-8 is checked with
 * vis_utf8 (no overlong forms, no surrogates).  CSV_AUTO takes UTF-8
 * when the bytes begin with its BOM or are all valid UTF-8 (plain ASCII
 * is), else CP932.  When neither reads the whole file, the error given is
 * that of the encoding that read further (UTF-8 on a tie), and says the
 * file is not the other either.  A NUL is a character like any other
 * here; the caller refuses it with its position.
 *
 * Positions.  Lines are physical: every LF counts, inside quotes too, and
 * nothing else does (a CR is a character).  Columns count characters,
 * not bytes, from 1 on their line; a dropped BOM is none.  An invalid
 * byte sequence is at the column after the last character decoded before
 * it: its first byte counts as one column.
 *
 * Reading, where RFC 4180 is silent or readers differ:
 *  - A record ends at LF or CRLF.  A CR anywhere else outside quotes is
 *    an error (a file of bare CRs, as old Macs wrote, would otherwise be
 *    one long line); inside quotes it is data.
 *  - An empty line (nothing between two line breaks, or at the end) is
 *    no record and is skipped, as Go's encoding/csv does: a stray blank
 *    line is not a record of one empty field.  A line holding "" is one;
 *    csv_put writes a record of one empty field so.
 *  - Spaces are data, next to quotes too: ' "a"' is a quote inside an
 *    unquoted field, an error, not a quoted field.
 *  - An error is placed at what is wrong: the quote inside an unquoted
 *    field, the first character after a closing quote, the lone CR, or
 *    the opening quote of a field never closed.  The reader then goes on
 *    at the line after that place.
 *  - No limit on fields or their size but memory; every byte is looked at
 *    a bounded number of times, so the work is linear in the input.
 *
 * Encoding refuses, by its U+XXXX, a character that CP932 cannot hold
 * and one that iconv would write as another (U+301C WAVE DASH as 0x8160,
 * which reads back as U+FF5E; U+00A5 as 0x5C): what is written reads
 * back exactly, or is not written.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common.h"

static const char *const csv_names[] = {
	[CSV_AUTO] = "auto",
	[CSV_UTF8] = "utf-8",
	[CSV_CP932] = "cp932",
};
#define CSV_NNAMES	(sizeof csv_names / sizeof csv_names[0])

int
csv_encoding_parse(const char *s, enum csv_encoding *enc)
{
	size_t	 i;

	for (i = 0; i < CSV_NNAMES; i++) {
		if (strcasecmp(s, csv_names[i]) == 0) {
			*enc = (enum csv_encoding)i;
			return 0;
		}
	}
	return -1;
}

const char *
csv_encoding_name(enum csv_encoding enc)
{
	if ((size_t)enc >= CSV_NNAMES)
		return "?";
	return csv_names[enc];
}

/*
 * Characters in n bytes of UTF-8: the bytes that are not continuations
 * (10xxxxxx), eight at a time where it can.
 */
static unsigned long
csv_chars(const char *s, size_t n)
{
	const uint64_t	 hi = 0x8080808080808080ULL;
	const uint64_t	 ones = 0x0101010101010101ULL;
	unsigned long	 c = 0;
	uint64_t	 w;
	size_t		 i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		/* 1 in each byte that is a continuation, summed in the top. */
		w = (w & ~(w << 1) & hi) >> 7;
		c += 8 - (unsigned long)((w * ones) >> 56);
	}
	for (; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* The position just after the n bytes of UTF-8 text s. */
static void
csv_pos_after(const char *s, size_t n, struct csv_pos *at)
{
	const char	*p = s, *ls = s, *end = s + n;

	at->line = 1;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		at->line++;
		ls = ++p;
	}
	at->col = 1 + csv_chars(ls, (size_t)(end - ls));
}

/* Bytes of valid UTF-8 at the start of s: n when all of it is. */
static size_t
csv_utf8_valid(const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, k;
	uint32_t		 cp;

	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = vis_utf8(u + i, n - i, &cp)) == 0)
			return i;
		i += k;
	}
	return n;
}

/* "0xe3 0x81" for the n (1 to 4) bytes of s, into buf[24]. */
static void
csv_hex(const char *s, size_t n, char *buf)
{
	size_t	 i, o = 0;

	assert(n >= 1 && n <= 4);
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, 24 - o, "%s0x%02x",
		    i > 0 ? " " : "", (unsigned)(unsigned char)s[i]);
}

/*
 * The bytes of a bad UTF-8 sequence worth showing: its first byte and the
 * continuation bytes after it, up to the length the first announces.
 */
static size_t
csv_utf8_badlen(const char *s, size_t n)
{
	unsigned char	 c = (unsigned char)s[0];
	size_t		 want, i;

	want = c >= 0xf0 && c <= 0xf7 ? 4 : c >= 0xe0 && c <= 0xef ? 3 :
	    c >= 0xc0 && c <= 0xdf ? 2 : 1;
	for (i = 1; i < want && i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			break;
	}
	return i;
}

/*
 * Convert len bytes of in with iconv, from one encoding to another, into
 * *out (NUL-terminated, *outlen bytes; caller frees, also on failure,
 * when it holds what was converted before the bad input).  0, or -1 with
 * *err: EILSEQ or EINVAL (a bad or cut-short sequence at byte *stop of
 * in), or iconv_open's errno (*out is then NULL).
 */
static int
csv_iconv(const char *to, const char *from, const char *in, size_t len,
    char **out, size_t *outlen, size_t *stop, int *err)
{
	iconv_t	 cd;
	char	*ip = (char *)(uintptr_t)in, *op, *buf;
	size_t	 il = len, ol, used = 0, cap, r;

	*out = NULL;
	*outlen = 0;
	if ((cd = iconv_open(to, from)) == (iconv_t)-1) {
		*err = errno;
		*stop = 0;
		return -1;
	}
	/*
	 * 1.5 bytes a byte to begin with, doubled on E2BIG.  Neither
	 * direction needs more than 3 (a half-width kana to UTF-8), so
	 * growing past 6 is a bug, not a file.
	 */
	if (len > SIZE_MAX / 8)
		fatalx("csv_iconv: input too large");
	cap = len + len / 2 + 16;
	buf = xmalloc(cap);
	for (;;) {
		op = buf + used;
		ol = cap - used - 1;
		r = iconv(cd, il > 0 ? &ip : NULL, &il, &op, &ol);
		used = (size_t)(op - buf);
		if (r != (size_t)-1 && il == 0)
			break;
		if (r == (size_t)-1 && errno != E2BIG) {
			*err = errno;
			*stop = (size_t)(ip - in);
			break;
		}
		if (cap / 4 > len + 16)
			fatalx("csv_iconv: output keeps growing");
		buf = xgrow(buf, &cap, cap + 1, 1);
	}
	iconv_close(cd);
	buf[used] = '\0';
	*out = buf;
	*outlen = used;
	return il == 0 ? 0 : -1;
}

/* UTF-8 (BOM dropped), copied: 0, or -1 with *bad, *where and *cause. */
static int
csv_decode_utf8(const char *in, size_t len, char **out, size_t *outlen,
    size_t *bad, struct csv_pos *where, char **cause)
{
	size_t	 skip = 0, ok;
	char	 hex[24];

	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	ok = skip + csv_utf8_valid(in + skip, len - skip);
	if (ok != len) {
		*bad = ok;
		csv_pos_after(in + skip, ok - skip, where);
		csv_hex(in + ok, csv_utf8_badlen(in + ok, len - ok), hex);
		xasprintf(cause, _("invalid UTF-8 byte sequence %s"), hex);
		return -1;
	}
	*outlen = len - skip;
	*out = xmalloc(*outlen + 1);
	if (*outlen > 0)
		memcpy(*out, in + skip, *outlen);
	(*out)[*outlen] = '\0';
	return 0;
}

/* CP932 to UTF-8: 0, or -1 with *bad, *where and *cause. */
static int
csv_decode_cp932(const char *in, size_t len, char **out, size_t *outlen,
    size_t *bad, struct csv_pos *where, char **cause)
{
	unsigned char	 c;
	size_t		 n = 1;
	int		 err;
	char		 hex[24];

	if (csv_iconv("UTF-8", "CP932", in, len, out, outlen, bad, &err) == 0)
		return 0;
	where->line = where->col = 1;
	if (*out == NULL) {
		xasprintf(cause, _("iconv cannot convert from CP932: %s"),
		    strerror(err));
		*bad = SIZE_MAX;		/* not the file's fault */
		return -1;
	}
	csv_pos_after(*out, *outlen, where);
	free(*out);
	*out = NULL;
	c = (unsigned char)in[*bad];
	if (((c >= 0x81 && c <= 0x9f) || (c >= 0xe0 && c <= 0xfc)) &&
	    *bad + 1 < len)
		n = 2;
	csv_hex(in + *bad, n, hex);
	if (err == EINVAL)
		xasprintf(cause, _("incomplete CP932 character %s at the end"),
		    hex);
	else
		xasprintf(cause, _("invalid CP932 byte sequence %s"), hex);
	return -1;
}

/*
 * CSV_AUTO without a BOM: UTF-8 when all of it is valid UTF-8, else
 * CP932; when neither reads it all, the error of the one that read
 * further.
 */
static int
csv_decode_auto(const char *in, size_t len, enum csv_encoding *got,
    char **out, size_t *outlen, struct csv_pos *where, char **cause)
{
	struct csv_pos	 uwhere;
	size_t		 ubad, cbad;
	char		*ucause, *ccause;

	*got = CSV_UTF8;
	if (csv_decode_utf8(in, len, out, outlen, &ubad, &uwhere,
	    &ucause) == 0)
		return 0;
	*got = CSV_CP932;
	if (csv_decode_cp932(in, len, out, outlen, &cbad, where,
	    &ccause) == 0) {
		free(ucause);
		return 0;
	}
	if (cbad == SIZE_MAX) {
		*cause = ccause;
		free(ucause);
		return -1;
	}
	if (ubad >= cbad) {
		*got = CSV_UTF8;
		*where = uwhere;
		xasprintf(cause, _("%s (nor is it CP932)"), ucause);
	} else
		xasprintf(cause, _("%s (nor is it UTF-8)"), ccause);
	free(ucause);
	free(ccause);
	return -1;
}

int
csv_decode(const char *in, size_t len, enum csv_encoding want,
    enum csv_encoding *got, char **out, size_t *outlen,
    struct csv_pos *where, char **cause)
{
	size_t	 bad;
	int	 bom = len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0;

	assert(want == CSV_AUTO || want == CSV_UTF8 || want == CSV_CP932);
	*out = NULL;
	*outlen = 0;
	if (want == CSV_AUTO && !bom)
		return csv_decode_auto(in, len, got, out, outlen, where,
		    cause);
	if (want == CSV_CP932) {
		*got = CSV_CP932;
		return csv_decode_cp932(in, len, out, outlen, &bad, where,
		    cause);
	}
	*got = CSV_UTF8;
	return csv_decode_utf8(in, len, out, outlen, &bad, where, cause);
}

/*
 * The first character of the UTF-8 text in (len bytes) that differs from
 * back (blen bytes), read back from what was written: its byte offset.
 */
static size_t
csv_first_diff(const char *in, size_t len, const char *back, size_t blen)
{
	size_t		 i = 0, k;
	uint32_t	 cp;

	while (i < len && i < blen) {
		k = vis_utf8((const unsigned char *)in + i, len - i, &cp);
		assert(k > 0);
		if (k > blen - i || memcmp(in + i, back + i, k) != 0)
			break;
		i += k;
	}
	return i;
}

/* Why the character at byte off of in (len bytes) was refused. */
static void
csv_refuse(const char *in, size_t len, size_t off, const char *back,
    size_t blen, char **cause)
{
	struct csv_pos	 at;
	uint32_t	 cp, bcp;
	char		*also = NULL;

	if (off >= len) {
		*cause = xstrdup(_("the CP932 text does not read back "
		    "as written"));
		return;
	}
	csv_pos_after(in, off, &at);
	if (vis_utf8((const unsigned char *)in + off, len - off, &cp) == 0)
		cp = (unsigned char)in[off];
	if (back != NULL && off < blen &&
	    vis_utf8((const unsigned char *)back + off, blen - off, &bcp) > 0)
		xasprintf(&also, _(": it would read back as U+%04lX"),
		    (unsigned long)bcp);
	xasprintf(cause, _("character U+%04lX (line %lu, column %lu) cannot "
	    "be written in CP932%s"), (unsigned long)cp, at.line, at.col,
	    also != NULL ? also : "");
	free(also);
}

int
csv_encode(const char *in, size_t len, enum csv_encoding enc, char **out,
    size_t *outlen, char **cause)
{
	struct csv_pos	 at;
	size_t		 ok, stop, blen;
	char		*back, hex[24];
	int		 err;

	assert(enc == CSV_UTF8 || enc == CSV_CP932);
	*out = NULL;
	*outlen = 0;
	if ((ok = csv_utf8_valid(in, len)) != len) {
		csv_pos_after(in, ok, &at);
		csv_hex(in + ok, csv_utf8_badlen(in + ok, len - ok), hex);
		xasprintf(cause, _("invalid UTF-8 byte sequence %s (line %lu, "
		    "column %lu)"), hex, at.line, at.col);
		return -1;
	}
	if (enc == CSV_UTF8) {
		*out = xmalloc(len + 1);
		if (len > 0)
			memcpy(*out, in, len);
		(*out)[len] = '\0';
		*outlen = len;
		return 0;
	}
	if (csv_iconv("CP932", "UTF-8", in, len, out, outlen, &stop,
	    &err) != 0) {
		if (*out == NULL)
			xasprintf(cause, _("iconv cannot convert to CP932: %s"),
			    strerror(err));
		else
			csv_refuse(in, len, stop, NULL, 0, cause);
		free(*out);
		*out = NULL;
		*outlen = 0;
		return -1;
	}
	/* What glibc writes for another character must not pass. */
	if (csv_iconv("UTF-8", "CP932", *out, *outlen, &back, &blen, &stop,
	    &err) != 0 || blen != len || (len > 0 &&
	    memcmp(back, in, len) != 0)) {
		csv_refuse(in, len, csv_first_diff(in, len, back, blen), back,
		    blen, cause);
		free(back);
		free(*out);
		*out = NULL;
		*outlen = 0;
		return -1;
	}
	free(back);
	return 0;
}

void
csv_put(char **buf, size_t *len, size_t *cap, const char *s, size_t n,
    int sep)
{
	size_t	 i, quotes = 0, want;
	int	 quote;
	char	*p;

	assert(sep == ',' || sep == '\n');
	quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			quotes++;
		if (s[i] == '"' || s[i] == ',' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	}
	/* A record of one empty field would be an empty line: no record. */
	if (n == 0 && sep == '\n' && (*len == 0 || (*buf)[*len - 1] == '\n'))
		quote = 1;
	if (n > SIZE_MAX / 4 || *len > SIZE_MAX / 2)
		fatalx("csv_put: field too large");
	want = *len + n + quotes + 2 + 2 + 1;
	*buf = xgrow(*buf, cap, want, 1);
	p = *buf + *len;
	if (quote)
		*p++ = '"';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			*p++ = '"';
		*p++ = s[i];
	}
	if (quote)
		*p++ = '"';
	if (sep == '\n')
		*p++ = '\r';
	*p++ = (char)sep;
	*p = '\0';
	*len = (size_t)(p - *buf);
}

/*
 * The reader.  Columns are counted lazily: mark is a byte on the current
 * line whose column is markcol, and a column further on is counted from
 * there and becomes the new mark, so each byte is counted once.
 */
struct csv_reader {
	const char		*in;
	size_t			 len;
	size_t			 off;		/* the next byte to read */
	unsigned long		 line;		/* physical line of in[off] */
	size_t			 mark;		/* a byte on that line ... */
	unsigned long		 markcol;	/* ... and its column */
	char			*buf;		/* the record's fields, each
						   NUL-terminated, in order */
	size_t			 buflen;
	size_t			 bufcap;
	struct csv_field	*f;
	size_t			 nf;
	size_t			 fcap;
};

struct csv_reader *
csv_reader_new(const char *in, size_t len)
{
	struct csv_reader	*r = xcalloc(1, sizeof *r);

	r->in = in;
	r->len = len;
	r->line = 1;
	r->markcol = 1;
	return r;
}

void
csv_reader_free(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r->f);
	free(r);
}

/* The column of byte p, on the current line at or after the mark. */
static unsigned long
csv_col(struct csv_reader *r, size_t p)
{
	assert(p >= r->mark);
	r->markcol += csv_chars(r->in + r->mark, p - r->mark);
	r->mark = p;
	return r->markcol;
}

/* Count the line feeds in bytes [from, to). */
static void
csv_lines(struct csv_reader *r, size_t from, size_t to)
{
	const char	*p = r->in + from, *end = r->in + to;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		r->line++;
		r->mark = (size_t)(++p - r->in);
		r->markcol = 1;
	}
}

static void
csv_append(struct csv_reader *r, const char *s, size_t n)
{
	if (n > SIZE_MAX / 2 - r->buflen)
		fatalx("csv_append: field too large");
	if (r->buflen + n + 1 > r->bufcap)
		r->buf = xgrow(r->buf, &r->bufcap, r->buflen + n + 1, 1);
	memcpy(r->buf + r->buflen, s, n);
	r->buflen += n;
}

/*
 * A malformed record: say where (byte off, on the current line) and what,
 * and go on at the next line.
 */
static int
csv_fail(struct csv_reader *r, size_t off, const char *what,
    struct csv_pos *where, char **cause)
{
	const char	*nl;

	where->line = r->line;
	where->col = csv_col(r, off);
	*cause = xstrdup(what);
	nl = memchr(r->in + off, '\n', r->len - off);
	r->off = nl != NULL ? (size_t)(nl - r->in) + 1 : r->len;
	if (nl != NULL)
		csv_lines(r, off, r->off);
	return -1;
}

/* A quoted field from its opening quote: NULL, or what is wrong. */
static const char *
csv_quoted(struct csv_reader *r)
{
	const char	*in = r->in, *q;
	size_t		 i = r->off + 1, end;

	for (;;) {
		q = i < r->len ? memchr(in + i, '"', r->len - i) : NULL;
		end = q != NULL ? (size_t)(q - in) : r->len;
		csv_lines(r, i, end);
		csv_append(r, in + i, end - i);
		if (q == NULL)
			return _("a quoted field is never closed");
		if (end + 1 < r->len && in[end + 1] == '"') {
			csv_append(r, "\"", 1);
			i = end + 2;
			continue;
		}
		r->off = end + 1;
		return NULL;
	}
}

/* Where an unquoted field stops. */
static const unsigned char csv_stop[256] = {
	['\n'] = 1, ['\r'] = 1, ['"'] = 1, [','] = 1,
};

/*
 * After a field, at r->off: 1 when it ended the record (line break or
 * the end), 0 before another field (a comma), -1 with *what when it is
 * neither.
 */
static int
csv_after(struct csv_reader *r, int quoted, const char **what)
{
	const char	*in = r->in;
	size_t		 o = r->off;

	if (o == r->len)
		return 1;
	if (in[o] == ',') {
		r->off++;
		return 0;
	}
	if (in[o] == '\r' && o + 1 < r->len && in[o + 1] == '\n')
		o++;
	if (in[o] == '\n') {
		r->off = o + 1;
		csv_lines(r, o, o + 1);
		return 1;
	}
	if (in[o] == '\r')
		*what = _("a carriage return without a line feed");
	else if (quoted)
		*what = _("text after the closing quote of a field");
	else
		*what = _("a quote inside an unquoted field");
	return -1;
}

/* One field at r->off into the buffer: 0 or 1 as csv_after, or -1. */
static int
csv_field(struct csv_reader *r, struct csv_pos *where, char **cause)
{
	struct csv_field	*f;
	struct csv_reader	 saved;
	const char		*what = NULL;
	size_t			 i, start = r->buflen;
	int			 quoted = 0, end;

	if (r->nf == r->fcap)
		r->f = xgrow(r->f, &r->fcap, r->nf + 1, sizeof *r->f);
	f = &r->f[r->nf++];
	f->at.line = r->line;
	f->at.col = csv_col(r, r->off);
	if (r->off < r->len && r->in[r->off] == '"') {
		quoted = 1;
		saved = *r;
		if ((what = csv_quoted(r)) != NULL) {
			/* Never closed: at its opening quote. */
			r->line = saved.line;
			r->mark = saved.mark;
			r->markcol = saved.markcol;
			return csv_fail(r, saved.off, what, where, cause);
		}
	} else {
		for (i = r->off; i < r->len && !csv_stop[(unsigned char)
		    r->in[i]]; i++)
			;
		csv_append(r, r->in + r->off, i - r->off);
		r->off = i;
	}
	f->len = r->buflen - start;
	csv_append(r, "", 1);
	if ((end = csv_after(r, quoted, &what)) < 0)
		return csv_fail(r, r->off, what, where, cause);
	return end;
}

int
csv_next(struct csv_reader *r, struct csv_row *row, struct csv_pos *where,
    char **cause)
{
	const char	*in = r->in, *p;
	size_t		 i;
	int		 end;

	for (;;) {
		if (r->off < r->len && in[r->off] == '\n')
			i = 1;
		else if (r->len - r->off >= 2 && in[r->off] == '\r' &&
		    in[r->off + 1] == '\n')
			i = 2;
		else
			break;
		csv_lines(r, r->off, r->off + i);
		r->off += i;
	}
	if (r->off >= r->len)
		return 0;
	r->buflen = 0;
	r->nf = 0;
	do {
		if ((end = csv_field(r, where, cause)) < 0)
			return -1;
	} while (end == 0);
	p = r->buf;
	for (i = 0; i < r->nf; i++) {
		r->f[i].s = p;
		p += r->f[i].len + 1;
	}
	row->f = r->f;
	row->n = r->nf;
	row->at = r->f[0].at;
	return 1;
}
