/*
 * test-csv.c -- common/csv.c, the HR export's text: CP932 with the NEC and
 * IBM extension characters and half-width kana, UTF-8 with and without a
 * BOM, telling them apart, RFC 4180 records with the line and column of
 * every field and of every error, and the writer whose files read back
 * unchanged.  The CP932 bytes are written out by hand as hex escapes.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"

#define LEN(s)	(sizeof(s) - 1)

/* in (n bytes) decoded as want must succeed, as wgot, giving text. */
static void
decodes(const char *in, size_t n, enum csv_encoding want,
    enum csv_encoding wgot, const char *text, size_t tlen)
{
	struct csv_pos		 at = { 0, 0 };
	enum csv_encoding	 got = CSV_AUTO;
	char			*out = NULL, *cause = NULL;
	size_t			 outlen = 0;

	if (csv_decode(in, n, want, &got, &out, &outlen, &at, &cause) != 0)
		fail_msg("decode failed at %lu:%lu: %s", at.line, at.col,
		    cause);
	assert_int_equal(got, wgot);
	assert_int_equal(outlen, tlen);
	assert_memory_equal(out, text, tlen);
	assert_int_equal(out[outlen], '\0');
	free(out);
}
#define DECODES(in, want, wgot, text) \
	decodes(in, LEN(in), want, wgot, text, LEN(text))

/* in decoded as want must fail at line:col with cause, naming wgot. */
static void
refused(const char *in, size_t n, enum csv_encoding want,
    enum csv_encoding wgot, unsigned long line, unsigned long col,
    const char *why)
{
	struct csv_pos		 at = { 0, 0 };
	enum csv_encoding	 got = CSV_AUTO;
	char			*out = NULL, *cause = NULL;
	size_t			 outlen = 0;

	assert_int_equal(csv_decode(in, n, want, &got, &out, &outlen, &at,
	    &cause), -1);
	assert_null(out);
	assert_int_equal(got, wgot);
	assert_string_equal(cause, why);
	assert_int_equal(at.line, line);
	assert_int_equal(at.col, col);
	free(cause);
}
#define REFUSED(in, want, wgot, line, col, why) \
	refused(in, LEN(in), want, wgot, line, col, why)

/* The next record of r: n fields, the first at line:col, then strings. */
static void
row_is(struct csv_reader *r, unsigned long line, unsigned long col,
    size_t n, ...)
{
	struct csv_row	 row;
	struct csv_pos	 at = { 0, 0 };
	char		*cause = NULL;
	const char	*want;
	va_list		 ap;
	size_t		 i;

	if (csv_next(r, &row, &at, &cause) != 1)
		fail_msg("no record: %lu:%lu: %s", at.line, at.col,
		    cause != NULL ? cause : "end");
	assert_int_equal(row.n, n);
	assert_int_equal(row.at.line, line);
	assert_int_equal(row.at.col, col);
	assert_int_equal(row.f[0].at.line, line);
	assert_int_equal(row.f[0].at.col, col);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		want = va_arg(ap, const char *);
		assert_int_equal(row.f[i].len, strlen(want));
		assert_string_equal(row.f[i].s, want);
	}
	va_end(ap);
}

/* The next record of r is malformed at line:col, for why. */
static void
bad_row(struct csv_reader *r, unsigned long line, unsigned long col,
    const char *why)
{
	struct csv_row	 row;
	struct csv_pos	 at = { 0, 0 };
	char		*cause = NULL;

	assert_int_equal(csv_next(r, &row, &at, &cause), -1);
	assert_string_equal(cause, why);
	assert_int_equal(at.line, line);
	assert_int_equal(at.col, col);
	free(cause);
}

static void
at_end(struct csv_reader *r)
{
	struct csv_row	 row;
	struct csv_pos	 at;
	char		*cause = NULL;

	assert_int_equal(csv_next(r, &row, &at, &cause), 0);
	assert_int_equal(csv_next(r, &row, &at, &cause), 0);
	assert_null(cause);
}

/*
 * 髙橋 (髙 as IBM 0xFBFC), 﨑 (IBM 0xFAB1), 德 (NEC-selected IBM 0xED9E),
 * 栁 (NEC-selected IBM 0xEDC9), ① and ㈱ (NEC row 13), ｶﾀｶﾅ (half-width),
 * CRLF; then the same kanji from the other block (髙 0xEEE0, 﨑 0xED95,
 * 德 0xFABA, 栁 0xFAE5, ㈱ 0xFA58), LF.
 */
static const char cp932_names[] =
    "\xfb\xfc\x8b\xb4,\xfa\xb1,\xed\x9e,\xed\xc9,\x87\x40,\x87\x8a,"
    "\xb6\xc0\xb6\xc5\r\n"
    "\xee\xe0\x8b\xb4,\xed\x95,\xfa\xba,\xfa\xe5,\xfa\x58\n";
static const char utf8_names[] =
    "髙橋,﨑,德,栁,①,㈱,ｶﾀｶﾅ\r\n"
    "髙橋,﨑,德,栁,㈱\n";

/* Half-width kana, 1 byte in CP932 and 3 in UTF-8: the output grows. */
static void
kana_grows(void)
{
	char	in[1000], want[3000];
	size_t	i;

	for (i = 0; i < sizeof in; i++) {
		in[i] = '\xb6';			/* ｶ, U+FF76 */
		memcpy(want + 3 * i, "\xef\xbd\xb6", 3);
	}
	decodes(in, sizeof in, CSV_CP932, CSV_CP932, want, sizeof want);
	decodes(in, sizeof in, CSV_AUTO, CSV_CP932, want, sizeof want);
}

static void
test_cp932_extensions(void **state)
{
	struct csv_reader	*r;
	enum csv_encoding	 got;
	struct csv_pos		 at;
	char			*out, *cause = NULL;
	size_t			 outlen;

	(void)state;
	DECODES(cp932_names, CSV_CP932, CSV_CP932, utf8_names);
	DECODES(cp932_names, CSV_AUTO, CSV_CP932, utf8_names);
	/* The code points themselves, not only the bytes of this file. */
	DECODES("\xfb\xfc\xee\xe0", CSV_CP932, CSV_CP932,
	    "\xe9\xab\x99\xe9\xab\x99");			/* U+9AD9 */
	DECODES("\xb6\xc0\xb6\xc5", CSV_CP932, CSV_CP932,
	    "\xef\xbd\xb6\xef\xbe\x80\xef\xbd\xb6\xef\xbe\x85");
	DECODES("\x8e\x52\x93\x63 \x91\xbe\x98\x59", CSV_AUTO, CSV_CP932,
	    "山田 太郎");
	kana_grows();
	/* 0x5C and 0x7E are ASCII, as Windows reads them. */
	DECODES("C:\\x~", CSV_CP932, CSV_CP932, "C:\\x~");

	assert_int_equal(csv_decode(cp932_names, LEN(cp932_names), CSV_AUTO,
	    &got, &out, &outlen, &at, &cause), 0);
	r = csv_reader_new(out, outlen);
	row_is(r, 1, 1, 7, "髙橋", "﨑", "德", "栁", "①", "㈱", "ｶﾀｶﾅ");
	row_is(r, 2, 1, 5, "髙橋", "﨑", "德", "栁", "㈱");
	at_end(r);
	csv_reader_free(r);
	free(out);
}

static void
test_utf8(void **state)
{
	(void)state;
	DECODES("\xef\xbb\xbf職員番号,氏名\r\n1,山田\r\n", CSV_UTF8, CSV_UTF8,
	    "職員番号,氏名\r\n1,山田\r\n");
	DECODES("\xef\xbb\xbf職員番号,氏名\n", CSV_AUTO, CSV_UTF8,
	    "職員番号,氏名\n");
	DECODES("職員番号,氏名\n", CSV_AUTO, CSV_UTF8, "職員番号,氏名\n");
	DECODES("a,b\n", CSV_AUTO, CSV_UTF8, "a,b\n");	/* ASCII is UTF-8 */
	DECODES("", CSV_AUTO, CSV_UTF8, "");
	DECODES("\xef\xbb\xbf", CSV_AUTO, CSV_UTF8, "");
	DECODES("", CSV_CP932, CSV_CP932, "");
	DECODES("\xf0\x9f\x98\x80", CSV_UTF8, CSV_UTF8, "\xf0\x9f\x98\x80");
}

static void
test_nul(void **state)
{
	struct csv_reader	*r;
	struct csv_row		 row;
	struct csv_pos		 at;
	char			*cause = NULL;
	static const char	 text[] = "a\0b,\0\n";

	(void)state;
	DECODES("a\0b,c\n", CSV_AUTO, CSV_UTF8, "a\0b,c\n");
	DECODES("a\0b,c\n", CSV_UTF8, CSV_UTF8, "a\0b,c\n");
	DECODES("\x8e\x52\0\x93\x63", CSV_AUTO, CSV_CP932, "山\0田");
	DECODES("\x8e\x52\0\x93\x63", CSV_CP932, CSV_CP932, "山\0田");

	r = csv_reader_new(text, LEN(text));
	assert_int_equal(csv_next(r, &row, &at, &cause), 1);
	assert_int_equal(row.n, 2);
	assert_int_equal(row.f[0].len, 3);
	assert_memory_equal(row.f[0].s, "a\0b", 4);
	assert_int_equal(row.f[1].len, 1);
	assert_memory_equal(row.f[1].s, "\0", 2);
	assert_int_equal(row.f[1].at.col, 5);
	at_end(r);
	csv_reader_free(r);
}

static void
test_invalid_cp932(void **state)
{
	(void)state;
	/* あ, c, a comma, then a lead byte with no character. */
	REFUSED("a,b\n\x82\xa0\x63,\x85\x40\n", CSV_CP932, CSV_CP932, 2, 4,
	    "invalid CP932 byte sequence 0x85 0x40");
	REFUSED("\x80", CSV_CP932, CSV_CP932, 1, 1,
	    "invalid CP932 byte sequence 0x80");
	REFUSED("ab\r\n\xb6\xa0", CSV_CP932, CSV_CP932, 2, 2,
	    "invalid CP932 byte sequence 0xa0");
	REFUSED("\x81\x20", CSV_CP932, CSV_CP932, 1, 1,
	    "invalid CP932 byte sequence 0x81 0x20");
	REFUSED("ab\x81", CSV_CP932, CSV_CP932, 1, 3,
	    "incomplete CP932 character 0x81 at the end");
	/* A UTF-8 BOM is no CP932. */
	REFUSED("\xef\xbb\xbf" "a", CSV_CP932, CSV_CP932, 1, 1,
	    "invalid CP932 byte sequence 0xef 0xbb");
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	REFUSED("名前,x\nab,\xe3\x81\n", CSV_UTF8, CSV_UTF8, 2, 4,
	    "invalid UTF-8 byte sequence 0xe3 0x81");
	REFUSED("x\n職員番号氏名氏名カナ,\xff", CSV_UTF8, CSV_UTF8, 2, 12,
	    "invalid UTF-8 byte sequence 0xff");
	REFUSED("\xef\xbb\xbfx,\xff", CSV_UTF8, CSV_UTF8, 1, 3,
	    "invalid UTF-8 byte sequence 0xff");
	REFUSED("\xef\xbb\xbfx,\xff", CSV_AUTO, CSV_UTF8, 1, 3,
	    "invalid UTF-8 byte sequence 0xff");
	REFUSED("a\xc0\xaf", CSV_UTF8, CSV_UTF8, 1, 2,
	    "invalid UTF-8 byte sequence 0xc0 0xaf");		/* overlong */
	REFUSED("\xe0\x80\xaf", CSV_UTF8, CSV_UTF8, 1, 1,
	    "invalid UTF-8 byte sequence 0xe0 0x80 0xaf");	/* overlong */
	REFUSED("x\n\xed\xa0\x80", CSV_UTF8, CSV_UTF8, 2, 1,
	    "invalid UTF-8 byte sequence 0xed 0xa0 0x80");	/* surrogate */
	REFUSED("\xf4\x90\x80\x80", CSV_UTF8, CSV_UTF8, 1, 1,
	    "invalid UTF-8 byte sequence 0xf4 0x90 0x80 0x80");
	REFUSED("\x8e\x52", CSV_UTF8, CSV_UTF8, 1, 1,
	    "invalid UTF-8 byte sequence 0x8e");
}

static void
test_auto_neither(void **state)
{
	(void)state;
	/* CP932 reads further (UTF-8 stops at once): its error. */
	REFUSED("\x82\xa0\x82\xa2,\xff", CSV_AUTO, CSV_CP932, 1, 4,
	    "invalid CP932 byte sequence 0xff (nor is it UTF-8)");
	/* UTF-8 reads further (NBSP is no CP932): its error. */
	REFUSED("\xc2\xa0,a\n\xff", CSV_AUTO, CSV_UTF8, 2, 1,
	    "invalid UTF-8 byte sequence 0xff (nor is it CP932)");
	/* Both stop at the same byte: UTF-8. */
	REFUSED("abc\n\xff", CSV_AUTO, CSV_UTF8, 2, 1,
	    "invalid UTF-8 byte sequence 0xff (nor is it CP932)");
}

static void
test_records(void **state)
{
	struct csv_reader	*r;
	struct csv_row		 row;
	struct csv_pos		 at;
	char			*cause = NULL;
	static const char	 text[] =
	    "a,\"b,c\",\"d\"\"e\",\"f\r\ng\",h\r\n"
	    "x,y\n"
	    "山田,太郎,\"x\ny\",z\n"
	    "髙橋髙橋髙橋髙橋,ｶﾀｶﾅｶﾀｶﾅ,x\n"
	    "last,\"\"";

	(void)state;
	r = csv_reader_new(text, LEN(text));
	assert_int_equal(csv_next(r, &row, &at, &cause), 1);
	assert_int_equal(row.n, 5);
	assert_string_equal(row.f[0].s, "a");
	assert_string_equal(row.f[1].s, "b,c");
	assert_string_equal(row.f[2].s, "d\"e");
	assert_int_equal(row.f[2].len, 3);
	assert_string_equal(row.f[3].s, "f\r\ng");
	assert_string_equal(row.f[4].s, "h");
	assert_int_equal(row.f[1].at.line, 1);
	assert_int_equal(row.f[1].at.col, 3);
	assert_int_equal(row.f[2].at.col, 9);
	assert_int_equal(row.f[3].at.col, 16);
	assert_int_equal(row.f[4].at.line, 2);
	assert_int_equal(row.f[4].at.col, 4);
	row_is(r, 3, 1, 2, "x", "y");
	assert_int_equal(csv_next(r, &row, &at, &cause), 1);
	assert_int_equal(row.n, 4);
	assert_int_equal(row.at.line, 4);
	assert_int_equal(row.f[1].at.col, 4);		/* characters */
	assert_int_equal(row.f[2].at.col, 7);
	assert_string_equal(row.f[2].s, "x\ny");
	assert_int_equal(row.f[3].at.line, 5);
	assert_int_equal(row.f[3].at.col, 4);
	assert_int_equal(csv_next(r, &row, &at, &cause), 1);
	assert_int_equal(row.n, 3);
	assert_int_equal(row.f[1].at.col, 10);
	assert_int_equal(row.f[2].at.col, 19);
	row_is(r, 7, 1, 2, "last", "");			/* no line break */
	at_end(r);
	csv_reader_free(r);
}

static void
test_empty_lines(void **state)
{
	struct csv_reader	*r;
	static const char	 text[] = "\na\n\nb\r\n\r\n\n\"\"\n,\nc,\n\n";

	(void)state;
	r = csv_reader_new(text, LEN(text));
	row_is(r, 2, 1, 1, "a");
	row_is(r, 4, 1, 1, "b");
	row_is(r, 7, 1, 1, "");				/* "" is a record */
	row_is(r, 8, 1, 2, "", "");
	row_is(r, 9, 1, 2, "c", "");
	at_end(r);
	csv_reader_free(r);

	r = csv_reader_new("", 0);
	at_end(r);
	csv_reader_free(r);
	r = csv_reader_new("\r\n", 2);
	at_end(r);
	csv_reader_free(r);
}

static void
test_malformed(void **state)
{
	struct csv_reader	*r;
	static const char	 text[] =
	    "ok,1\n"			/* 1 */
	    "a\"b,2\n"			/* 2: quote in an unquoted field */
	    "\"x\"y,3\n"		/* 3: text after the closing quote */
	    "\"p\nq\"r,4\n"		/* 4, 5: the same, a line further */
	    "c\rd,5\n"			/* 6: a lone CR */
	    " \"s\",6\n"		/* 7: a space before the quote */
	    "山田,\"x\"y\n"		/* 8: columns in characters */
	    "last,7\r\n"		/* 9 */
	    "z,\"\"\"never,8\n"		/* 10: never closed */
	    "after,9\n";		/* 11 */

	(void)state;
	r = csv_reader_new(text, LEN(text));
	row_is(r, 1, 1, 2, "ok", "1");
	bad_row(r, 2, 2, "a quote inside an unquoted field");
	bad_row(r, 3, 4, "text after the closing quote of a field");
	bad_row(r, 5, 3, "text after the closing quote of a field");
	bad_row(r, 6, 2, "a carriage return without a line feed");
	bad_row(r, 7, 2, "a quote inside an unquoted field");
	bad_row(r, 8, 7, "text after the closing quote of a field");
	row_is(r, 9, 1, 2, "last", "7");
	bad_row(r, 10, 3, "a quoted field is never closed");
	row_is(r, 11, 1, 2, "after", "9");
	at_end(r);
	csv_reader_free(r);

	r = csv_reader_new("a,b\r", 4);
	bad_row(r, 1, 4, "a carriage return without a line feed");
	at_end(r);
	csv_reader_free(r);
	r = csv_reader_new("\"", 1);
	bad_row(r, 1, 1, "a quoted field is never closed");
	at_end(r);
	csv_reader_free(r);
}

/* Many fields and a long one: no limit but memory. */
static void
test_big(void **state)
{
	struct csv_reader	*r;
	struct csv_row		 row;
	struct csv_pos		 at;
	char			*text, *cause = NULL;
	size_t			 n = 100000, i;

	(void)state;
	text = xmalloc(2 * n + 1);
	for (i = 0; i < n; i++) {
		text[2 * i] = 'a';
		text[2 * i + 1] = ',';
	}
	text[2 * n - 1] = '\n';
	r = csv_reader_new(text, 2 * n);
	assert_int_equal(csv_next(r, &row, &at, &cause), 1);
	assert_int_equal(row.n, n);
	assert_int_equal(row.f[n - 1].at.col, 2 * n - 1);
	assert_string_equal(row.f[n - 1].s, "a");
	at_end(r);
	csv_reader_free(r);

	memset(text, 'x', 2 * n);
	text[0] = '"';
	text[2 * n - 1] = '"';
	r = csv_reader_new(text, 2 * n);
	assert_int_equal(csv_next(r, &row, &at, &cause), 1);
	assert_int_equal(row.n, 1);
	assert_int_equal(row.f[0].len, 2 * n - 2);
	at_end(r);
	csv_reader_free(r);
	free(text);
}

static void
test_put(void **state)
{
	char	*buf = NULL;
	size_t	 len = 0, cap = 0;

	(void)state;
	csv_put(&buf, &len, &cap, "plain", 5, ',');
	csv_put(&buf, &len, &cap, "a,b", 3, ',');
	csv_put(&buf, &len, &cap, "say \"hi\"", 8, ',');
	csv_put(&buf, &len, &cap, "x\r\ny", 4, ',');
	csv_put(&buf, &len, &cap, " lead", 5, ',');
	csv_put(&buf, &len, &cap, "trail ", 6, ',');
	csv_put(&buf, &len, &cap, "", 0, '\n');
	csv_put(&buf, &len, &cap, "", 0, '\n');		/* alone: "" */
	csv_put(&buf, &len, &cap, "", 0, ',');
	csv_put(&buf, &len, &cap, "", 0, '\n');
	csv_put(&buf, &len, &cap, "a\0b", 3, '\n');
	assert_int_equal(len, 63);
	assert_memory_equal(buf,
	    "plain,\"a,b\",\"say \"\"hi\"\"\",\"x\r\ny\",\" lead\",\"trail \","
	    "\r\n\"\"\r\n,\r\na\0b\r\n", 64);
	free(buf);
}

/* fields written by csv_put, encoded as enc, read back the same. */
static void
round_trip(enum csv_encoding enc, const char *const *fields, size_t n)
{
	struct csv_reader	*r;
	struct csv_row		 row;
	struct csv_pos		 at;
	enum csv_encoding	 got;
	char			*buf = NULL, *bytes, *text, *cause = NULL;
	size_t			 len = 0, cap = 0, blen, tlen, i;

	for (i = 0; i < n; i++)
		csv_put(&buf, &len, &cap, fields[i], strlen(fields[i]),
		    i == n - 1 || i == 2 ? '\n' : ',');
	if (csv_encode(buf, len, enc, &bytes, &blen, &cause) != 0)
		fail_msg("%s", cause);
	if (enc == CSV_CP932)
		assert_memory_not_equal(bytes, buf, 6);
	assert_int_equal(csv_decode(bytes, blen, CSV_AUTO, &got, &text, &tlen,
	    &at, &cause), 0);
	assert_int_equal(got, enc);
	assert_int_equal(tlen, len);
	r = csv_reader_new(text, tlen);
	for (i = 0; i < n; i++) {
		if (i == 0 || i == 3) {
			assert_int_equal(csv_next(r, &row, &at, &cause), 1);
			assert_int_equal(row.n, i == 0 ? 3 : n - 3);
		}
		assert_string_equal(row.f[i < 3 ? i : i - 3].s, fields[i]);
	}
	at_end(r);
	csv_reader_free(r);
	free(text);
	free(bytes);
	free(buf);
}

static void
test_round_trip(void **state)
{
	static const char *const fields[] = {
		"髙橋 ｶﾀｶﾅ", "﨑,德", "\"栁\"", "①\r\n㈱", " 山田 ", "",
		"～∥－", "C:\\x~", "",
	};

	(void)state;
	round_trip(CSV_CP932, fields, sizeof fields / sizeof fields[0]);
	round_trip(CSV_UTF8, fields, sizeof fields / sizeof fields[0]);
}

/* in encoded in CP932 is refused for why. */
static void
unencodable(const char *in, const char *why)
{
	char	*out = NULL, *cause = NULL;
	size_t	 outlen = 1;

	assert_int_equal(csv_encode(in, strlen(in), CSV_CP932, &out, &outlen,
	    &cause), -1);
	assert_null(out);
	assert_string_equal(cause, why);
	free(cause);
}

static void
test_encode(void **state)
{
	char	*out, *cause = NULL;
	size_t	 outlen;

	(void)state;
	assert_int_equal(csv_encode("髙橋,ｶﾀ\n", LEN("髙橋,ｶﾀ\n"), CSV_CP932,
	    &out, &outlen, &cause), 0);
	assert_int_equal(outlen, 8);
	assert_memory_equal(out, "\xfb\xfc\x8b\xb4,\xb6\xc0\n", 9);
	free(out);
	unencodable("ab😀", "character U+1F600 (line 1, column 3) cannot be "
	    "written in CP932");
	unencodable("x\n𠮷野家", "character U+20BB7 (line 2, column 1) cannot "
	    "be written in CP932");
	/* glibc writes these as other characters: refused too. */
	unencodable("a〜b", "character U+301C (line 1, column 2) cannot be "
	    "written in CP932: it would read back as U+FF5E");
	unencodable("¥100", "character U+00A5 (line 1, column 1) cannot be "
	    "written in CP932: it would read back as U+005C");
	unencodable("a\xff", "invalid UTF-8 byte sequence 0xff (line 1, "
	    "column 2)");
	assert_int_equal(csv_encode("ab😀", LEN("ab😀"), CSV_UTF8, &out,
	    &outlen, &cause), 0);
	assert_int_equal(outlen, 6);
	assert_string_equal(out, "ab😀");
	free(out);
}

static void
test_names(void **state)
{
	enum csv_encoding	 e = CSV_AUTO;

	(void)state;
	assert_int_equal(csv_encoding_parse("cp932", &e), 0);
	assert_int_equal(e, CSV_CP932);
	assert_int_equal(csv_encoding_parse("UTF-8", &e), 0);
	assert_int_equal(e, CSV_UTF8);
	assert_int_equal(csv_encoding_parse("auto", &e), 0);
	assert_int_equal(e, CSV_AUTO);
	assert_int_equal(csv_encoding_parse("sjis", &e), -1);
	assert_int_equal(csv_encoding_parse("", &e), -1);
	assert_string_equal(csv_encoding_name(CSV_UTF8), "utf-8");
	assert_string_equal(csv_encoding_name(CSV_CP932), "cp932");
	assert_string_equal(csv_encoding_name(CSV_AUTO), "auto");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cp932_extensions),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_invalid_cp932),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_auto_neither),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_empty_lines),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_put),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
