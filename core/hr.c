/*
 * hr.c -- reading the HR system's export and comparing it with the
 * ledger's records of people.
 *
 * The export is read whole, decoded to UTF-8 (csv.c), and every row
 * checked; errors are collected with their physical line and column and
 * handed out in file order, so an editor can jump to each.  Any error and
 * nothing is compared or written.
 *
 * A valid export becomes canonical rows: the names exactly as the file
 * has them, dates as YYYY-MM-DD, employment and status as daicho's own
 * words, sorted by employee number.  Compared with the person table, the
 * rows that differ (and the people the export no longer lists) make the
 * import's delta: text that the hr.import entry names by its SHA-256 and
 * that hr.import's apply (action-hr.c) turns into records and events.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "core-int.h"

#define HR_FILE_MAX	(256 * 1024 * 1024)	/* bytes of an export */
#define HR_ERRORS_MAX	1000			/* errors kept; the rest are
						   counted */
#define HR_ARENA_BLOCK	(1024 * 1024)

const struct core_hr_fieldinfo core_hr_fields[CORE_HR_NFIELDS] = {
	[CORE_HR_NO] = { "employee_no", "職員番号", 1 },
	[CORE_HR_NAME] = { "name", "氏名", 1 },
	[CORE_HR_KANA] = { "name_kana", "氏名カナ", 1 },
	[CORE_HR_DEPARTMENT] = { "department", "所属", 1 },
	[CORE_HR_POSITION] = { "position", "職位", 0 },
	[CORE_HR_EMPLOYMENT] = { "employment", "職員区分", 1 },
	[CORE_HR_TRANSFER] = { "transfer_date", "異動日", 0 },
	[CORE_HR_RETIRE] = { "retire_date", "退職日", 0 },
	[CORE_HR_STATUS] = { "status", "在職区分", 1 },
	[CORE_HR_BIRTH] = { "birth_date", "生年月日", 0 },
};
const char *const core_hr_employments[CORE_HR_NEMPLOYMENT] = {
	"regular", "fixed_term", "part_time", "contractor"
};
const char *const core_hr_statuses[CORE_HR_NSTATUS] = {
	"active", "leave", "retired"
};

struct hr_error {
	struct csv_pos	 at;
	char		*msg;
};

struct hr_arena {
	char		*block;
	size_t		 used, size;
	char		**all;			/* every block, to free */
	size_t		 n, cap;
};

struct core_hr {
	char		*path;
	const struct core_config *cfg;
	char		 file_sha256[STORE_HASH_HEX];
	enum csv_encoding enc;
	char		 as_of[11];
	struct core_hr_row *rows;
	size_t		 nrows, caprows;
	struct hr_arena	 arena;
	int		 col[CORE_HR_NFIELDS];	/* the file's column of each
						   field, or -1 */
	size_t		 ncols;

	struct hr_error	*err;
	size_t		 nerr, caperr, nerrtotal;
	unsigned long	 dupes;			/* rows whose number came before */

	void		(*progress)(void *, uint64_t, uint64_t);
	void		*parg;

	char		*delta;			/* after core_hr_compare */
	size_t		 deltalen, deltacap;
	struct core_hr_summary sum;
};

static char *
arena_copy(struct hr_arena *a, const char *s, size_t len)
{
	char	*p;

	if (len + 1 > a->size - a->used) {
		a->size = len + 1 > HR_ARENA_BLOCK ? len + 1 : HR_ARENA_BLOCK;
		a->block = xmalloc(a->size);
		a->used = 0;
		a->all = xgrow(a->all, &a->cap, a->n + 1, sizeof *a->all);
		a->all[a->n++] = a->block;
	}
	p = a->block + a->used;
	memcpy(p, s, len);
	p[len] = '\0';
	a->used += len + 1;
	return p;
}

/* Take buf (size bytes, the caller's no more) as the arena's block. */
static void
arena_adopt(struct hr_arena *a, char *buf, size_t size)
{
	a->block = buf;
	a->size = size;
	a->used = 0;
	a->all = xgrow(a->all, &a->cap, a->n + 1, sizeof *a->all);
	a->all[a->n++] = buf;
}

static void
hr_error(struct core_hr *hr, struct csv_pos at, const char *fmt, ...)
    DAICHO_PRINTF(3, 4);

static void
hr_error(struct core_hr *hr, struct csv_pos at, const char *fmt, ...)
{
	va_list	 ap;

	hr->nerrtotal++;
	if (hr->nerr == HR_ERRORS_MAX)
		return;
	hr->err = xgrow(hr->err, &hr->caperr, hr->nerr + 1, sizeof *hr->err);
	hr->err[hr->nerr].at = at;
	va_start(ap, fmt);
	xvasprintf(&hr->err[hr->nerr].msg, fmt, ap);
	va_end(ap);
	hr->nerr++;
}

/* Characters (not bytes) of UTF-8 text s of len bytes. */
static size_t
hr_chars(const char *s, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	}
	return n;
}

/*
 * What no field may hold: NUL, C0 and C1 controls (line breaks in a
 * quoted field included), DEL, and the Unicode line separators and
 * bidirectional overrides that would rearrange a line on a terminal.
 * Returns the offending code point, or -1 when there is none.
 */
static long
hr_bad_char(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 cp;

	while (i < len) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {	/* most of an export */
			i++;
			continue;
		}
		if ((n = vis_utf8(p + i, len - i, &cp)) == 0)
			return p[i];		/* csv_decode lets none by */
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    cp == 0x2028 || cp == 0x2029 ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff)
			return (long)cp;
		i += n;
	}
	return -1;
}

/* Whether the header cell h names field i (configured or English). */
static int
hr_header_is(const struct core_config *cfg, size_t i, const char *h)
{
	return strcmp(h, cfg->hr_column[i]) == 0 ||
	    strcmp(h, core_hr_fields[i].name) == 0;
}

static int
hr_header(struct core_hr *hr, const struct csv_row *row)
{
	const char	*h;
	size_t		 c, i;
	int		 ok = 1;

	for (i = 0; i < CORE_HR_NFIELDS; i++)
		hr->col[i] = -1;
	hr->ncols = row->n;
	for (c = 0; c < row->n; c++) {
		h = row->f[c].s;
		while (*h == ' ')
			h++;
		for (i = 0; i < CORE_HR_NFIELDS; i++) {
			if (!hr_header_is(hr->cfg, i, h))
				continue;
			if (hr->col[i] != -1) {
				hr_error(hr, row->f[c].at, _("a second column "
				    "for %s (%s): the first is column %d"),
				    core_hr_fields[i].name, h, hr->col[i] + 1);
				ok = 0;
			} else
				hr->col[i] = (int)c;
		}
	}
	for (i = 0; i < CORE_HR_NFIELDS; i++) {
		if (hr->col[i] == -1 && core_hr_fields[i].required) {
			hr_error(hr, row->at, _("the header has no column %s "
			    "(%s)"), hr->cfg->hr_column[i],
			    core_hr_fields[i].name);
			ok = 0;
		}
	}
	return ok ? 0 : -1;
}

/*
 * value into one of the words of list (comma-separated): the index of the
 * canonical word names[i] whose list has it, or -1.
 */
static int
hr_word(char *const *lists, size_t n, const char *value)
{
	const char	*p, *e;
	size_t		 i, len = strlen(value);

	for (i = 0; i < n; i++) {
		for (p = lists[i]; *p != '\0'; p = *e == ',' ? e + 1 : e) {
			while (*p == ' ')
				p++;
			e = p + strcspn(p, ",");
			while (e > p && e[-1] == ' ')
				e--;
			if ((size_t)(e - p) == len && memcmp(p, value, len) == 0)
				return (int)i;
			e += strcspn(e, ",");
		}
	}
	return -1;
}

/* Digits of s up to stop (1 to max of them) as a number, or -1. */
static int
hr_digits(const char **s, int stop, size_t max)
{
	size_t	 n = 0;
	int	 v = 0;

	while (**s >= '0' && **s <= '9' && n < max) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	if (n == 0 || **s != stop)
		return -1;
	if (stop != '\0')
		(*s)++;
	return v;
}

/* YYYY-MM-DD, or YYYY/M/D as spreadsheets write it, into out. */
static int
hr_date(const char *s, char *out)
{
	int	 y, m, d, slash = s[0] != '\0' && strchr(s, '/') != NULL;

	if (!slash) {
		if (strlen(s) != 10)
			return -1;
		memcpy(out, s, 11);
		return core_date_ok(out) ? 0 : -1;
	}
	if ((y = hr_digits(&s, '/', 4)) < 1900 ||
	    (m = hr_digits(&s, '/', 2)) < 1 || m > 12 ||
	    (d = hr_digits(&s, '\0', 2)) < 1 || d > 31)
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	return core_date_ok(out) ? 0 : -1;
}

/* Full-width or half-width katakana, and spaces of either width. */
static int
hr_kana_ok(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, len = strlen(s);
	uint32_t		 cp;

	while (len > 0) {
		if ((n = vis_utf8(p, len, &cp)) == 0)
			return 0;
		if (!((cp >= 0x30a1 && cp <= 0x30fc) || cp == 0x3000 ||
		    cp == ' ' || (cp >= 0xff66 && cp <= 0xff9f)))
			return 0;
		p += n;
		len -= n;
	}
	return 1;
}

static int
hr_employee_no_ok(const char *s)
{
	size_t	 i, len = strlen(s);

	if (len == 0 || len > 16)
		return 0;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	}
	return 1;
}

/*
 * The canonical form of field i of a row (v, as the file has it) into
 * *out, or an error at at.  Empty optional fields stay "".
 */
static int
hr_field(struct core_hr *hr, size_t i, const char *v, struct csv_pos at,
    const char **out)
{
	const struct core_config *cfg = hr->cfg;
	const char	*name = cfg->hr_column[i];
	char		 date[11];
	int		 w;

	*out = v;
	if (*v == '\0') {
		if (!core_hr_fields[i].required)
			return 0;
		hr_error(hr, at, _("%s is empty"), name);
		return -1;
	}
	switch (i) {
	case CORE_HR_NO:
		if (hr_employee_no_ok(v))
			return 0;
		hr_error(hr, at, _("%s \"%s\" is not 1 to 16 digits or capital "
		    "letters"), name, v);
		return -1;
	case CORE_HR_KANA:
		if (hr_kana_ok(v))
			return 0;
		hr_error(hr, at, _("%s \"%s\" is not katakana"), name, v);
		return -1;
	case CORE_HR_TRANSFER:
	case CORE_HR_RETIRE:
	case CORE_HR_BIRTH:
		if (hr_date(v, date) == 0) {
			*out = arena_copy(&hr->arena, date, 10);
			return 0;
		}
		hr_error(hr, at, _("%s \"%s\" is not a real date (YYYY-MM-DD)"),
		    name, v);
		return -1;
	case CORE_HR_EMPLOYMENT:
		if ((w = hr_word(cfg->hr_employment, CORE_HR_NEMPLOYMENT,
		    v)) != -1) {
			*out = core_hr_employments[w];
			return 0;
		}
		hr_error(hr, at, _("%s \"%s\" is not a known employment (see "
		    "hr_employment_* in daicho.conf)"), name, v);
		return -1;
	case CORE_HR_STATUS:
		if ((w = hr_word(cfg->hr_status, CORE_HR_NSTATUS, v)) != -1) {
			*out = core_hr_statuses[w];
			return 0;
		}
		hr_error(hr, at, _("%s \"%s\" is not a known status (see "
		    "hr_status_* in daicho.conf)"), name, v);
		return -1;
	}
	return 0;
}

/* Check one record and keep its canonical row; 0, or -1 (reported). */
static int
hr_record(struct core_hr *hr, const struct csv_row *row)
{
	struct core_hr_row	*r;
	const struct csv_field	*f;
	const char		*v[CORE_HR_NFIELDS];
	size_t			 c, i;
	long			 bad;
	int			 ok = 1;

	if (row->n != hr->ncols) {
		hr_error(hr, row->at, _("%zu fields; the header has %zu"),
		    row->n, hr->ncols);
		return -1;
	}
	for (c = 0; c < row->n; c++) {
		f = &row->f[c];
		if (memchr(f->s, '\0', f->len) != NULL) {
			hr_error(hr, f->at, _("a NUL byte in the field"));
			ok = 0;
		} else if ((bad = hr_bad_char(f->s, f->len)) != -1) {
			hr_error(hr, f->at, _("a control character "
			    "(U+%04lX) in the field"), (unsigned long)bad);
			ok = 0;
		} else if (hr_chars(f->s, f->len) >
		    (size_t)hr->cfg->hr_field_max) {
			hr_error(hr, f->at, _("the field is longer than %d "
			    "characters"), hr->cfg->hr_field_max);
			ok = 0;
		}
	}
	if (!ok)
		return -1;
	for (i = 0; i < CORE_HR_NFIELDS; i++) {
		v[i] = "";
		if (hr->col[i] == -1)
			continue;
		f = &row->f[hr->col[i]];
		if (hr_field(hr, i, f->s, f->at, &v[i]) != 0)
			ok = 0;
	}
	if (!ok)
		return -1;
	hr->rows = xgrow(hr->rows, &hr->caprows, hr->nrows + 1,
	    sizeof *hr->rows);
	r = &hr->rows[hr->nrows++];
	r->line = row->at.line;
	r->col = hr->col[CORE_HR_NO] >= 0 ?
	    row->f[hr->col[CORE_HR_NO]].at.col : 1;
	/* The file's text is the reader's until the next record: copy it
	 * (dates and words already point to lasting strings). */
	for (i = 0; i < CORE_HR_NFIELDS; i++) {
		if (hr->col[i] >= 0 && v[i] == row->f[hr->col[i]].s)
			r->f[i] = arena_copy(&hr->arena, v[i], strlen(v[i]));
		else
			r->f[i] = v[i];
	}
	return 0;
}

static int
hr_row_cmp(const void *a, const void *b)
{
	const struct core_hr_row *x = a, *y = b;
	int	 c = strcmp(x->f[CORE_HR_NO], y->f[CORE_HR_NO]);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sort by employee number and report each number given twice. */
static void
hr_duplicates(struct core_hr *hr)
{
	struct csv_pos	 at;
	size_t		 i, j;

	if (hr->nrows > 1)
		qsort(hr->rows, hr->nrows, sizeof *hr->rows, hr_row_cmp);
	for (i = 1, j = 0; i < hr->nrows; i++) {
		if (strcmp(hr->rows[i].f[CORE_HR_NO],
		    hr->rows[j].f[CORE_HR_NO]) != 0) {
			j = i;
			continue;
		}
		at.line = hr->rows[i].line;
		at.col = hr->rows[i].col;
		hr_error(hr, at, _("employee number %s is also on line %lu"),
		    hr->rows[i].f[CORE_HR_NO], hr->rows[j].line);
		hr->dupes++;
	}
}

static int
hr_error_cmp(const void *a, const void *b)
{
	const struct hr_error *x = a, *y = b;

	if (x->at.line != y->at.line)
		return x->at.line < y->at.line ? -1 : 1;
	return x->at.col < y->at.col ? -1 : x->at.col > y->at.col;
}

/* Read the file on fd whole, checked to be a regular file of sane size. */
static int
hr_slurp(int fd, const char *path, char **buf, size_t *len, char **cause)
{
	struct stat	 sb;
	size_t		 off = 0;
	ssize_t		 n;

	if (fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		xasprintf(cause, _("%s: not a regular file"), path);
		return -1;
	}
	if (sb.st_size > HR_FILE_MAX) {
		xasprintf(cause, _("%s: %lld bytes is more than an export may "
		    "have (%d)"), path, (long long)sb.st_size, HR_FILE_MAX);
		return -1;
	}
	*buf = xmalloc((size_t)sb.st_size + 1);
	while (off < (size_t)sb.st_size) {
		n = read(fd, *buf + off, (size_t)sb.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			xasprintf(cause, "%s: %s", path, n == 0 ?
			    _("shorter than it was a moment ago") :
			    strerror(errno));
			free(*buf);
			return -1;
		}
		off += (size_t)n;
	}
	*len = off;
	return 0;
}

/* Physical lines of text, for the progress of reading it. */
static uint64_t
hr_lines(const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *nl;
	uint64_t	 n = 1;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p = nl + 1;
	}
	return n;
}

/* The file's SHA-256, worked out beside the decoding (hr_parse). */
struct hr_hash {
	const char	*bytes;
	size_t		 len;
	char		*hex;
};

static void *
hr_hash_run(void *arg)
{
	struct hr_hash	*h = arg;

	store_sha256_hex(h->bytes, h->len, h->hex);
	return NULL;
}

/*
 * Decode and check every record; errors go to hr->err.  The file's hash
 * is worked out on a second thread meanwhile (both read bytes only; a
 * city's export is 15 MB, 80 ms of SHA-256).  Takes bytes, and once they
 * are decoded and hashed makes them the arena's first block: the rows'
 * copies go to memory already touched instead of new pages (in a virtual
 * machine a page fault is dear, and an export is tens of megabytes).
 */
static void
hr_parse(struct core_hr *hr, char *bytes, size_t len, enum csv_encoding want)
{
	struct hr_hash	 h = { bytes, len, hr->file_sha256 };
	pthread_t	 th;
	int		 threaded;

	struct csv_reader	*rd;
	struct csv_row		 row;
	struct csv_pos		 at;
	char			*text = NULL, *msg = NULL;
	size_t			 textlen, records = 0;
	uint64_t		 lines = 0;
	int			 r, header = 1;

	threaded = pthread_create(&th, NULL, hr_hash_run, &h) == 0;
	if (!threaded)
		hr_hash_run(&h);
	r = csv_decode(bytes, len, want, &hr->enc, &text, &textlen, &at, &msg);
	if (threaded)
		pthread_join(th, NULL);
	/* Its pages are in memory already: the rows' copies go there. */
	if (len > 0)
		arena_adopt(&hr->arena, bytes, len);
	else
		free(bytes);
	if (r != 0) {
		hr_error(hr, at, "%s", msg);
		free(msg);
		return;
	}
	/* At most a row a line: room for all of them at once. */
	lines = hr_lines(text, textlen);
	hr->rows = xreallocarray(NULL, lines, sizeof *hr->rows);
	hr->caprows = lines;
	rd = csv_reader_new(text, textlen);
	while ((r = csv_next(rd, &row, &at, &msg)) != 0) {
		if (hr->progress != NULL && ++records % 4096 == 0)
			hr->progress(hr->parg, row.at.line, lines);
		if (r == -1) {
			hr_error(hr, at, "%s", msg);
			free(msg);
			msg = NULL;
			continue;
		}
		if (header) {
			header = 0;
			if (hr_header(hr, &row) != 0)
				break;
			continue;
		}
		(void)hr_record(hr, &row);
	}
	csv_reader_free(rd);
	free(text);
	if (header && hr->nerrtotal == 0) {
		at.line = at.col = 1;
		hr_error(hr, at, _("no header row: the file is empty"));
	} else if (hr->nerrtotal == 0 && hr->nrows == 0) {
		at.line = 2;
		at.col = 1;
		hr_error(hr, at, _("no rows after the header: an export with "
		    "nobody in it would make everyone missing"));
	}
	hr_duplicates(hr);
}

struct core_hr *
core_hr_read(int fd, const char *path, enum csv_encoding want,
    const char *as_of, const struct core_config *cfg, char **cause)
{
	return core_hr_read_progress(fd, path, want, as_of, cfg, NULL, NULL,
	    cause);
}

struct core_hr *
core_hr_read_progress(int fd, const char *path, enum csv_encoding want,
    const char *as_of, const struct core_config *cfg,
    void (*progress)(void *, uint64_t, uint64_t), void *parg, char **cause)
{
	struct core_hr	*hr;
	char		*bytes;
	size_t		 len;

	if (as_of != NULL && !core_date_ok(as_of)) {
		xasprintf(cause, _("--as-of %s: not a real date (YYYY-MM-DD)"),
		    as_of);
		return NULL;
	}
	if (hr_slurp(fd, path, &bytes, &len, cause) != 0)
		return NULL;
	hr = xcalloc(1, sizeof *hr);
	hr->path = xstrdup(path);
	hr->cfg = cfg;
	hr->progress = progress;
	hr->parg = parg;
	if (as_of != NULL)
		snprintf(hr->as_of, sizeof hr->as_of, "%s", as_of);
	else
		core_today(hr->as_of);
	hr_parse(hr, bytes, len, want);
	if (hr->nerr > 1)
		qsort(hr->err, hr->nerr, sizeof *hr->err, hr_error_cmp);
	return hr;
}

void
core_hr_errors(const struct core_hr *hr, void (*cb)(void *, const char *),
    void *arg)
{
	char	*line;
	size_t	 i;

	for (i = 0; i < hr->nerr; i++) {
		xasprintf(&line, "%s:%lu:%lu: %s", hr->path,
		    hr->err[i].at.line, hr->err[i].at.col, hr->err[i].msg);
		cb(arg, line);
		free(line);
	}
	if (hr->nerrtotal > hr->nerr) {
		xasprintf(&line, _("%s: %zu more errors not shown"), hr->path,
		    hr->nerrtotal - hr->nerr);
		cb(arg, line);
		free(line);
	}
}

void
core_hr_counts(const struct core_hr *hr, size_t *valid, size_t *errors)
{
	*valid = hr->nrows - hr->dupes;
	*errors = hr->nerrtotal;
}

const char *
core_hr_encoding(const struct core_hr *hr)
{
	return csv_encoding_name(hr->enc);
}

const struct core_hr_summary *
core_hr_summary(const struct core_hr *hr)
{
	return &hr->sum;
}

void
core_hr_free(struct core_hr *hr)
{
	size_t	 i;

	if (hr == NULL)
		return;
	for (i = 0; i < hr->nerr; i++)
		free(hr->err[i].msg);
	free(hr->err);
	for (i = 0; i < hr->arena.n; i++)
		free(hr->arena.all[i]);
	free(hr->arena.all);
	free(hr->rows);
	free(hr->delta);
	free(hr->path);
	free(hr);
}

void
core_today(char *out)
{
	time_t		 t = time(NULL);
	struct tm	 tm;

	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int
core_hr_row_check(const struct core_hr_row *row, char **cause)
{
	const char *const *f = row->f;
	size_t		 i;
	int		 ok;

	for (i = 0; i < CORE_HR_NFIELDS; i++) {
		if (hr_bad_char(f[i], strlen(f[i])) != -1 ||
		    (core_hr_fields[i].required && *f[i] == '\0'))
			goto bad;
	}
	ok = hr_employee_no_ok(f[CORE_HR_NO]) && hr_kana_ok(f[CORE_HR_KANA]) &&
	    (*f[CORE_HR_TRANSFER] == '\0' || core_date_ok(f[CORE_HR_TRANSFER])) &&
	    (*f[CORE_HR_RETIRE] == '\0' || core_date_ok(f[CORE_HR_RETIRE])) &&
	    (*f[CORE_HR_BIRTH] == '\0' || core_date_ok(f[CORE_HR_BIRTH]));
	for (i = 0; ok && i < CORE_HR_NEMPLOYMENT; i++) {
		if (strcmp(f[CORE_HR_EMPLOYMENT], core_hr_employments[i]) == 0)
			break;
	}
	if (!ok || i == CORE_HR_NEMPLOYMENT)
		goto bad;
	for (i = 0; i < CORE_HR_NSTATUS; i++) {
		if (strcmp(f[CORE_HR_STATUS], core_hr_statuses[i]) == 0)
			return 0;
	}
bad:
	xasprintf(cause, _("delta: the row of %.20s is not a valid record"),
	    f[CORE_HR_NO]);
	return -1;
}

static void
hr_delta_add(struct core_hr *hr, const char *s, size_t len)
{
	hr->delta = xgrow(hr->delta, &hr->deltacap, hr->deltalen + len + 1, 1);
	memcpy(hr->delta + hr->deltalen, s, len);
	hr->deltalen += len;
	hr->delta[hr->deltalen] = '\0';
}

static void
hr_delta_row(struct core_hr *hr, const struct core_hr_row *row)
{
	size_t	 i;

	hr_delta_add(hr, "P", 1);
	for (i = 0; i < CORE_HR_NFIELDS; i++) {
		hr_delta_add(hr, "\t", 1);
		hr_delta_add(hr, row->f[i], strlen(row->f[i]));
	}
	hr_delta_add(hr, "\n", 1);
}

struct hr_merge {
	struct core_hr	*hr;
	struct store	*s;
	void		(*cb)(void *, const struct core_hr_change *);
	void		*arg;
	struct core_birthrights br;
};

/* A row of the export against its record (old, NULL: none). */
static int
hr_merge_row(struct hr_merge *m, const struct core_hr_row *row,
    const struct core_hr_row *old, int missing, int fromhr, char **cause)
{
	struct core_hr		*hr = m->hr;
	struct core_hr_event	 ev[CORE_HR_EVENTS_MAX];
	struct core_hr_change	 ch;
	size_t			 i, n;

	if (old != NULL && !missing && fromhr && core_hr_same(old, row)) {
		hr->sum.unchanged++;
		return 0;
	}
	if (old == NULL)
		hr->sum.added++;
	else
		hr->sum.updated++;
	hr_delta_row(hr, row);
	n = core_hr_classify(old, row, hr->as_of, hr->sum.baseline, ev);
	for (i = 0; i < n; i++) {
		hr->sum.events[ev[i].kind]++;
		if (core_hr_event_revokes(m->s, &m->br, row->f[CORE_HR_NO],
		    &ev[i], row, &hr->sum.locks, cause) != 0)
			return -1;
	}
	if (m->cb != NULL) {
		ch.employee_no = row->f[CORE_HR_NO];
		ch.name = row->f[CORE_HR_NAME];
		ch.what = old == NULL ? "new" : "changed";
		ch.ev = ev;
		ch.nev = n;
		m->cb(m->arg, &ch);
	}
	return 0;
}

/*
 * A record the export does not list: missing, unless retired, already
 * missing, or a contractor entered by hand (HR does not export those).
 */
static void
hr_merge_gone(struct hr_merge *m, const struct core_hr_row *old, int missing,
    int fromhr)
{
	struct core_hr_change	 ch;

	if (missing || strcmp(old->f[CORE_HR_STATUS], "retired") == 0 ||
	    (!fromhr && strcmp(old->f[CORE_HR_EMPLOYMENT], "contractor") == 0))
		return;
	m->hr->sum.missing++;
	hr_delta_add(m->hr, "M\t", 2);
	hr_delta_add(m->hr, old->f[CORE_HR_NO], strlen(old->f[CORE_HR_NO]));
	hr_delta_add(m->hr, "\n", 1);
	if (m->cb != NULL) {
		memset(&ch, 0, sizeof ch);
		ch.employee_no = old->f[CORE_HR_NO];
		ch.name = old->f[CORE_HR_NAME];
		ch.what = "missing";
		m->cb(m->arg, &ch);
	}
}

/* Merge the sorted rows with the records, in employee number order. */
static int
hr_merge(struct hr_merge *m, char **cause)
{
	struct core_hr		*hr = m->hr;
	struct store_stmt	*st;
	struct core_hr_row	 old;
	size_t			 i = 0, k;
	int			 r, c, missing = 0, fromhr = 0;

	if ((st = store_prepare(m->s, "SELECT employee_no, name_kanji, "
	    "name_kana, department, position, employment, "
	    "coalesce(transfer_date, ''), coalesce(retire_date, ''), status, "
	    "coalesce(birth_date, ''), hr_missing IS NOT NULL, source = 'hr' "
	    "FROM person ORDER BY employee_no", cause)) == NULL)
		return -1;
	memset(&old, 0, sizeof old);
	r = store_step(st, cause);
	while (r != -1 && (i < hr->nrows || r == STORE_ROW)) {
		if (r == STORE_ROW) {
			for (k = 0; k < CORE_HR_NFIELDS; k++)
				old.f[k] = store_col_text(st, (int)k);
			missing = (int)store_col_int(st, CORE_HR_NFIELDS);
			fromhr = (int)store_col_int(st, CORE_HR_NFIELDS + 1);
		}
		c = r != STORE_ROW ? -1 : i == hr->nrows ? 1 :
		    strcmp(hr->rows[i].f[CORE_HR_NO], old.f[CORE_HR_NO]);
		if (c > 0)
			hr_merge_gone(m, &old, missing, fromhr);
		else if (hr_merge_row(m, &hr->rows[i++], c == 0 ? &old : NULL,
		    missing, fromhr, cause) != 0) {
			store_finalize(st);
			return -1;
		}
		if (c >= 0)
			r = store_step(st, cause);
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

int
core_hr_compare(struct store *s, struct core_hr *hr,
    void (*cb)(void *, const struct core_hr_change *), void *arg,
    char **cause)
{
	struct hr_merge	 m = { hr, s, cb, arg, { NULL, 0, 0 } };
	const struct core_config *cfg = hr->cfg;
	int64_t		 n, same;
	int		 r;

	if (hr->nerrtotal != 0) {
		xasprintf(cause, _("%s: the export has errors"), hr->path);
		return -1;
	}
	memset(&hr->sum, 0, sizeof hr->sum);
	hr->deltalen = 0;
	hr->sum.rows = hr->nrows;
	if (store_query_int(s, "SELECT count(*) FROM hr_import", &n,
	    cause) != 0 ||
	    store_query_int(s, "SELECT count(*) FROM account WHERE state <> "
	    "'revoked'", &hr->sum.live, cause) != 0 ||
	    core_hr_same_file(s, hr->file_sha256, &same, cause) != 0)
		return -1;
	hr->sum.baseline = n == 0;
	hr->sum.same_file = (uint64_t)same;
	hr_delta_add(hr, "daicho-hr-delta v1\n", 19);
	r = hr_merge(&m, cause);
	core_birthrights_free(&m.br);
	if (r != 0)
		return -1;
	hr->sum.approval = hr->sum.locks > cfg->hr_threshold_count ||
	    (hr->sum.live > 0 && hr->sum.locks * 100 >
	    hr->sum.live * cfg->hr_threshold_percent);
	return 0;
}

int
core_hr_import(struct store *s, struct core_hr *hr,
    const struct core_actor *who, uint64_t *idx, char **cause)
{
	struct store_args	 args = { 0 };
	char			 hex[STORE_HASH_HEX], n[4][24];

	if (hr->delta == NULL || hr->nerrtotal != 0) {
		xasprintf(cause, _("%s: not a checked and compared export"),
		    hr->path);
		return -1;
	}
	snprintf(n[0], sizeof n[0], "%zu", hr->nrows);
	snprintf(n[1], sizeof n[1], "%zu", hr->sum.added + hr->sum.updated);
	snprintf(n[2], sizeof n[2], "%zu", hr->sum.missing);
	snprintf(n[3], sizeof n[3], "%lld", (long long)hr->sum.locks);
	if (core_begin(s, cause) != 0)
		return -1;
	if (store_blob_put(s, hr->delta, hr->deltalen, hex, cause) != 0)
		goto fail;
	store_args_add(&args, "file_sha256", hr->file_sha256);
	store_args_add(&args, "encoding", csv_encoding_name(hr->enc));
	store_args_add(&args, "rows", n[0]);
	store_args_add(&args, "as_of", hr->as_of);
	store_args_add(&args, "delta", hex);
	store_args_add(&args, "changed", n[1]);
	store_args_add(&args, "missing", n[2]);
	store_args_add(&args, "locks", n[3]);
	store_args_add(&args, "approval", hr->sum.approval ? "required" :
	    "none");
	if (core_run(s, "hr.import", who, &args, idx, cause) != 0)
		goto fail;
	return core_commit(s, cause);
fail:
	core_rollback(s);
	return -1;
}

int
core_hr_same_file(struct store *s, const char *sha, int64_t *idx,
    char **cause)
{
	struct store_stmt	*st;
	int			 r;

	*idx = 0;
	if ((st = store_prepare(s, "SELECT max(idx) FROM hr_import WHERE "
	    "file_sha256 = ?", cause)) == NULL)
		return -1;
	store_bind_text(st, 1, sha);
	if ((r = store_step(st, cause)) == STORE_ROW)
		*idx = store_col_int(st, 0);
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/*
 * The details core_hr_classify writes are English, as hr_event keeps them
 * and the TSV shows them; these are their words for people.
 */
void
core_hr_detail_shown(const char *detail, char *buf, size_t len)
{
	if (strncmp(detail, "joins ", 6) == 0)
		/* TRANSLATORS: an HR event: joins DEPARTMENT POSITION. */
		snprintf(buf, len, _("joins %s"), detail + 6);
	else if (strncmp(detail, "retires ", 8) == 0)
		/* TRANSLATORS: an HR event: retires on YYYY-MM-DD. */
		snprintf(buf, len, _("retires %s"), detail + 8);
	else if (strcmp(detail, "status retired") == 0)
		snprintf(buf, len, "%s", _("status retired"));
	else if (strcmp(detail, "on leave") == 0)
		snprintf(buf, len, "%s", _("on leave"));
	else if (strcmp(detail, "back from leave") == 0)
		snprintf(buf, len, "%s", _("back from leave"));
	else	/* a mover's "DEPT POS -> DEPT POS": no words */
		snprintf(buf, len, "%s", detail);
}

int
core_hr_events(struct store *s,
    void (*cb)(void *, const struct core_hr_eventrow *), void *arg,
    char **cause)
{
	return core_hr_events_of(s, NULL, cb, arg, cause);
}

int
core_hr_events_of(struct store *s, const char *no,
    void (*cb)(void *, const struct core_hr_eventrow *), void *arg,
    char **cause)
{
	struct store_stmt	*st;
	struct core_hr_eventrow	 e;
	size_t			 k;
	int			 r;

	/* One person's leave the name out: the caller has the person. */
	if ((st = store_prepare(s, no == NULL ? "SELECT e.id, e.kind, "
	    "e.employee_no, coalesce(p.name_kanji, ''), e.effective, e.detail, "
	    "e.state, e.import_idx FROM hr_event e LEFT JOIN person p USING "
	    "(employee_no) ORDER BY e.effective, e.id" : "SELECT id, kind, "
	    "employee_no, '', effective, detail, state, import_idx FROM "
	    "hr_event WHERE employee_no = ? ORDER BY effective, id",
	    cause)) == NULL)
		return -1;
	if (no != NULL)
		store_bind_text(st, 1, no);
	while ((r = store_step(st, cause)) == STORE_ROW) {
		memset(&e, 0, sizeof e);
		e.id = store_col_int(st, 0);
		for (k = 0; k < CORE_HR_NKINDS; k++) {
			if (strcmp(store_col_text(st, 1),
			    core_hr_event_kinds[k]) == 0)
				e.kind = (int)k;
		}
		snprintf(e.employee_no, sizeof e.employee_no, "%s",
		    store_col_text(st, 2));
		snprintf(e.name, sizeof e.name, "%s", store_col_text(st, 3));
		snprintf(e.effective, sizeof e.effective, "%s",
		    store_col_text(st, 4));
		snprintf(e.detail, sizeof e.detail, "%s",
		    store_col_text(st, 5));
		core_hr_detail_shown(e.detail, e.shown, sizeof e.shown);
		snprintf(e.state, sizeof e.state, "%s", store_col_text(st, 6));
		e.import = (uint64_t)store_col_int(st, 7);
		cb(arg, &e);
	}
	store_finalize(st);
	return r == -1 ? -1 : 0;
}
