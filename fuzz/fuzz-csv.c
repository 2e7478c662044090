/*
 * fuzz-csv.c -- the HR import's reading of a file (common/csv.c): the
 * bytes decoded with CSV_AUTO, then every record read.  Promises checked:
 * decoded text is valid UTF-8 and a failure says where; fields are
 * NUL-terminated at their length and their positions only move forward;
 * the reader always ends; what csv_put writes of the records reads back
 * as the same records, and the text that csv_encode writes in CP932
 * decodes back to itself exactly.
 */
#include "config.h"

#include "fuzz.h"
#include "common.h"

/* Every byte of s (n) is valid UTF-8. */
static int
valid_utf8(const char *s, size_t n)
{
	size_t		 i = 0, k;
	uint32_t	 cp;

	while (i < n) {
		if ((k = vis_utf8((const unsigned char *)s + i, n - i, &cp)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* a is before b in the file. */
static int
before(const struct csv_pos *a, const struct csv_pos *b)
{
	return a->line < b->line || (a->line == b->line && a->col < b->col);
}

/*
 * Read all of text (len bytes), checking each record; the good records
 * are written with csv_put to *out (when out is not NULL).  Returns the
 * number of good records.
 */
static size_t
read_all(const char *text, size_t len, char **out, size_t *outlen)
{
	struct csv_reader	*r = csv_reader_new(text, len);
	struct csv_row		 row;
	struct csv_pos		 at, last = { 0, 0 };
	char			*cause;
	size_t			 i, good = 0, tries = 0, cap = 0;
	int			 rc;

	for (;;) {
		FUZZ_CHECK(tries++ <= len + 1);
		cause = NULL;
		if ((rc = csv_next(r, &row, &at, &cause)) == 0)
			break;
		if (rc < 0) {
			FUZZ_CHECK(cause != NULL && at.line >= 1 && at.col >= 1);
			FUZZ_CHECK(before(&last, &at));
			last = at;
			free(cause);
			continue;
		}
		FUZZ_CHECK(row.n >= 1 && before(&last, &row.at));
		for (i = 0; i < row.n; i++) {
			FUZZ_CHECK(row.f[i].s[row.f[i].len] == '\0');
			FUZZ_CHECK(i == 0 || before(&row.f[i - 1].at,
			    &row.f[i].at));
			if (out != NULL)
				csv_put(out, outlen, &cap, row.f[i].s,
				    row.f[i].len, i + 1 < row.n ? ',' : '\n');
		}
		last = row.f[row.n - 1].at;
		good++;
	}
	csv_reader_free(r);
	return good;
}

/* The records of a and of b (written by csv_put from a's) are the same. */
static void
same_records(const char *a, size_t alen, const char *b, size_t blen)
{
	struct csv_reader	*ra = csv_reader_new(a, alen);
	struct csv_reader	*rb = csv_reader_new(b, blen);
	struct csv_row		 x, y;
	struct csv_pos		 at;
	char			*cause = NULL;
	size_t			 i;
	int			 rc;

	for (;;) {
		while ((rc = csv_next(ra, &x, &at, &cause)) < 0) {
			free(cause);
			cause = NULL;
		}
		FUZZ_CHECK(csv_next(rb, &y, &at, &cause) == rc);
		if (rc == 0)
			break;
		FUZZ_CHECK(x.n == y.n);
		for (i = 0; i < x.n; i++) {
			FUZZ_CHECK(x.f[i].len == y.f[i].len);
			FUZZ_CHECK(memcmp(x.f[i].s, y.f[i].s, x.f[i].len) == 0);
		}
	}
	csv_reader_free(ra);
	csv_reader_free(rb);
}

/* Text that CP932 holds reads back from CP932 as itself. */
static void
cp932_back(const char *text, size_t len)
{
	enum csv_encoding	 got;
	struct csv_pos		 at;
	char			*bytes, *back, *cause = NULL;
	size_t			 blen, backlen;

	if (csv_encode(text, len, CSV_CP932, &bytes, &blen, &cause) != 0) {
		FUZZ_CHECK(cause != NULL && bytes == NULL);
		free(cause);
		return;
	}
	FUZZ_CHECK(csv_decode(bytes, blen, CSV_CP932, &got, &back, &backlen,
	    &at, &cause) == 0);
	FUZZ_CHECK(backlen == len && memcmp(back, text, len) == 0);
	free(back);
	free(bytes);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum csv_encoding	 got = CSV_AUTO;
	struct csv_pos		 where = { 0, 0 };
	char			*in = fuzz_str(data, size), *text, *cause = NULL;
	char			*out = NULL;
	size_t			 len, outlen = 0;

	if (csv_decode(in, size, CSV_AUTO, &got, &text, &len, &where,
	    &cause) != 0) {
		FUZZ_CHECK(text == NULL && cause != NULL);
		FUZZ_CHECK(where.line >= 1 && where.col >= 1);
		FUZZ_CHECK(where.line <= size + 1 && where.col <= size + 1);
		free(cause);
		free(in);
		return 0;
	}
	FUZZ_CHECK(got == CSV_UTF8 || got == CSV_CP932);
	FUZZ_CHECK(text[len] == '\0' && valid_utf8(text, len));
	FUZZ_CHECK(got != CSV_UTF8 || len <= size);
	if (read_all(text, len, &out, &outlen) > 0) {
		same_records(text, len, out, outlen);
		FUZZ_CHECK(read_all(out, outlen, NULL, NULL) ==
		    read_all(text, len, NULL, NULL));
	}
	cp932_back(text, len);
	free(out);
	free(text);
	free(in);
	return 0;
}
