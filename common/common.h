/*
 * common.h -- the few helpers every folder uses: allocation that dies
 * cleanly on out-of-memory, fatal(), bounded number parsing and the
 * hex/base64 codecs and the one rule for showing text someone else wrote
 * (vis.c).  Nothing here knows about curses, PAM or SQL.
 */
#ifndef DAICHO_COMMON_H
#define DAICHO_COMMON_H

#include <libintl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * Translation (gettext), defined once: _() translates at the point of use,
 * N_() marks a string in a table for xgettext, to be translated where it
 * is shown; plurals go through ngettext(singular, plural, n).
 */
#define _(s)	gettext(s)
#define N_(s)	(s)
/* A count as ngettext takes it (counts are never negative). */
#define PLURAL(n)	((unsigned long)((n) > 0 ? (n) : 0))

#define DAICHO_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define DAICHO_NORETURN __attribute__((noreturn))

/* xmalloc.c */
void	 xmalloc_init(void);			/* first thing in main() */
void	*xmalloc(size_t);			/* never NULL; caller frees */
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
/* Room for want elements of size in a growing array of *cap: doubles. */
void	*xgrow(void *, size_t *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...) DAICHO_PRINTF(2, 3);
int	 xvasprintf(char **, const char *, va_list) DAICHO_PRINTF(2, 0);

/* fatal.c */
/*
 * The hook runs before fatal() prints: the console sets it to endwin()
 * so that a fatal error never leaves the terminal in curses mode.
 */
void	 fatal_set_hook(void (*)(void));
void	 fatal(const char *, ...) DAICHO_PRINTF(1, 2) DAICHO_NORETURN;
void	 fatalx(const char *, ...) DAICHO_PRINTF(1, 2) DAICHO_NORETURN;

/* fd.c */
/*
 * Close every descriptor from lowfd up: in a child after fork(), before it
 * runs anything (async-signal-safe).
 */
void	 fd_closefrom(int);
/* Mark a descriptor close-on-exec; 0, or -1 with errno (EBADF: not open). */
int	 fd_cloexec(int);
/*
 * Initialise *fa for posix_spawn(): standard input, output and error on
 * /dev/null, every descriptor above 2 closed.  0, or -1 (nothing to
 * destroy); on 0 the caller destroys *fa.
 */
int	 fd_spawn_actions(posix_spawn_file_actions_t *);

/* number.c */
/*
 * Parse a whole decimal string into [min, max]: no sign unless min < 0,
 * no leading zeros, no spaces, nothing after the digits.  Returns 0, or -1
 * with *errstr set to a static "invalid" / "too small" / "too large":
 * English, for a cause that is recorded; show _(errstr) to a person.
 */
int	 number_parse(const char *, long long, long long, long long *,
	     const char **);

/* codec.c */
/* Lower-case hex of len bytes into out (2 * len + 1 bytes, NUL ended). */
void	 codec_hex(char *, const uint8_t *, size_t);
/* Exactly 2 * len hex digits (either case) into out; 0 or -1. */
int	 codec_unhex(uint8_t *, size_t, const char *, size_t);
/* Standard padded base64 (RFC 4648 section 4); caller frees. */
char	*codec_b64(const uint8_t *, size_t);
/*
 * Decode standard padded base64 of exactly want bytes (no spaces, no
 * missing padding, no trailing garbage).  Returns 0 or -1.
 */
int	 codec_unb64(uint8_t *, size_t, const char *, size_t);

/* vis.c */
/*
 * Decode one UTF-8 character of s (n > 0 bytes) strictly (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF).  Returns its
 * length with the code point in *cp, or 0 when s does not begin a valid
 * one.  The one decoder for what daicho checks and what it shows.
 */
size_t	 vis_utf8(const unsigned char *, size_t, uint32_t *);
#define VIS_ESC_MAX	11		/* "\\U0010ffff" and its NUL */
#define VIS_NL		0x1		/* keep line feeds: the caller's lines */
/*
 * The next character of s (n > 0 bytes), as it must be shown.  Returns
 * the bytes it takes (at least 1) with its code point in *cp (a byte's
 * value when it is not valid UTF-8).  esc is "" when the character is
 * shown as itself, else the NUL-terminated escape to show instead.
 */
size_t	 vis_next(const char *, size_t, int, uint32_t *, char *);
/* The escape of code point cp ("\\x1b", "\\u009b", "\\U0001f600"). */
void	 vis_escape_cp(uint32_t, char *);
/*
 * s (n bytes, NULs allowed) with every character vis_next escapes
 * escaped.  Never NULL; caller frees.
 */
char	*vis_buf(const char *, size_t, int);
char	*vis_str(const char *, int);		/* of a C string */

/* pwgen.c */
#define PW_GENERATE_MAX	128		/* bytes of buf, NUL included */
#define PW_GENERATE_LEN	16		/* daicho's temporary passwords */
/*
 * n random characters (4 <= n < PW_GENERATE_MAX) from an alphabet
 * without look-alikes, every class at least once, into buf (n + 1
 * bytes).  Keep buf in sodium_malloc memory and wipe it after use.
 */
void	 pw_generate(char *, size_t);

/* kinsoku.c */
/* Whether a line may not end with wc (an opening bracket), or may not
 * start with it (closing punctuation, 、。」): 禁則. */
int	 kinsoku_no_end(wchar_t);
int	 kinsoku_no_start(wchar_t);

/* era.c */
#define ERA_MAX		32		/* bytes of "令和99年12月31日", NUL too */
/*
 * The date y-m-d (Gregorian) in the Japanese era into buf (len bytes):
 * "令和8年12月6日", "令和元年5月1日" in an era's first year; 平成 from
 * 1989-01-08 to 2019-04-30, 令和 from 2019-05-01.  Returns 0, or -1 (buf
 * empty) for an earlier or impossible date or a buf too small.
 */
int	 era_format(char *, size_t, int, int, int);
/* The era's name of y-m-d ("令和", for a form's 令和　年　月　日), or
 * NULL as era_format refuses it.  A static string. */
const char *era_name(int, int, int);
/*
 * Fiscal year fy (April fy to March fy+1) into buf: "令和8年度" for 2026,
 * "令和元年度" for 2019 (the era of its last day), "平成30年度" for 2018.
 * 0, or -1 (buf empty) for a year before 平成元年度 (1989) or a buf too
 * small.
 */
int	 era_fiscal(char *, size_t, int);

/* when.c */
#define WHEN_MAX	32		/* bytes of any of the forms, NUL too */
#define WHEN_SECONDS	0x1		/* "2026-12-06 16:32:05 +0900" */
#define WHEN_ISO	0x2		/* ISO 8601, one word: "2026-12-06T16:32:05+0900" */
/*
 * t in the local zone (TZ) with its offset from UTC, into buf:
 * "2026-12-06 16:32 +0900" without flags.  Every time shown to a person
 * goes through here.
 */
void	 when_local(time_t, int, char *, size_t);
/* "2026-12-06T07:32:00Z" (the ledger's form; ' ' for 'T' and no 'Z'
 * are taken too) as a time_t: 0, or -1 when it is not such a time. */
int	 when_parse_utc(const char *, time_t *);
/* A UTC time as when_parse_utc reads it, shown as when_local does; text
 * that is not such a time is copied as it is. */
void	 when_local_utc(const char *, int, char *, size_t);

/* csv.c: RFC 4180 text, and the encodings HR systems write it in */
enum csv_encoding {
	CSV_AUTO,				/* tell UTF-8 from CP932 */
	CSV_UTF8,				/* with or without a BOM */
	CSV_CP932				/* Shift_JIS as Windows writes
						   it, NEC and IBM extensions */
};
/* "utf-8", "cp932" or "auto" to an encoding; 0, or -1 if none of them. */
int	 csv_encoding_parse(const char *, enum csv_encoding *);
const char *csv_encoding_name(enum csv_encoding);	/* "utf-8", ... */
/* Where in the file (physical lines and characters, from 1). */
struct csv_pos {
	unsigned long	 line;
	unsigned long	 col;
};
/*
 * The len bytes of in as UTF-8 text: want CSV_AUTO picks UTF-8 when the
 * bytes are valid UTF-8 (or begin with its BOM), else CP932; *got says
 * which was used.  A UTF-8 BOM is dropped.  Line breaks are kept as they
 * were, so positions in the result are positions in the file.  On
 * success *out (NUL-terminated, *outlen bytes, NULs inside possible) is
 * the caller's to free.  -1 when a byte sequence is not valid in the
 * encoding: *where is its line and column and *cause says what (no file
 * name; the caller prefixes "FILE:LINE:COL: ").
 */
int	 csv_decode(const char *, size_t, enum csv_encoding,
	     enum csv_encoding *, char **, size_t *, struct csv_pos *,
	     char **);
/*
 * UTF-8 text (len bytes) in encoding enc (CSV_UTF8 or CSV_CP932), for
 * writing.  Caller frees *out.  -1 with *cause naming the first
 * character the encoding cannot hold.
 */
int	 csv_encode(const char *, size_t, enum csv_encoding, char **,
	     size_t *, char **);
struct csv_field {
	const char	*s;			/* unquoted, NUL-terminated */
	size_t		 len;			/* bytes (NULs inside count) */
	struct csv_pos	 at;			/* where the field begins */
};
struct csv_row {
	struct csv_field *f;			/* the reader's; valid until
						   the next csv_next */
	size_t		 n;
	struct csv_pos	 at;			/* where the record begins */
};
struct csv_reader;
/* A reader over len bytes of UTF-8 text, which must outlive it. */
struct csv_reader *csv_reader_new(const char *, size_t);
void	 csv_reader_free(struct csv_reader *);	/* NULL is fine */
/*
 * The next record (CRLF or LF ends it; quoted fields may hold commas,
 * doubled quotes and line breaks).  1 with *row, 0 at the end, -1 on a
 * malformed record (a quote inside an unquoted field, text after a
 * closing quote, a quote never closed, a CR without LF outside quotes):
 * *where and *cause say what, and the reader has moved past the bad
 * record to the next line, so a caller may go on to report every bad
 * record.  A file's last record may lack its line break; an empty line
 * is no record, at the end or anywhere else (csv.c says why).
 */
int	 csv_next(struct csv_reader *, struct csv_row *, struct csv_pos *,
	     char **);
/*
 * Append field s (len bytes) to *buf (of *len bytes, *cap allocated) as
 * RFC 4180 writes it: quoted when it holds a comma, a quote, CR or LF or
 * begins or ends with a space, or is empty and alone in its record
 * ("", since an empty line is no record).  sep is appended after it:
 * ',' between fields, '\n' to end the record ("\r\n" is written for it).
 */
void	 csv_put(char **, size_t *, size_t *, const char *, size_t, int);

/* fold.c: names compared as people read them */
/*
 * The key a name is compared by: NFKC (full-width letters and digits,
 * half-width kana, circled numbers and the like to their plain forms),
 * the usual variant kanji to their common form (髙 to 高, 﨑 to 崎, 德 to
 * 徳, 栁 to 柳, ...), and no spaces of any width.  Two names are the same
 * person's when their keys are equal.  s must be valid UTF-8.  Caller
 * frees; never NULL.
 */
char	*fold_name(const char *);
/*
 * Entry i (from 0) of the variant kanji table, for its test: 0 with the
 * code points in *from and *to, or -1 past the end.
 */
int	 fold_variant(size_t, uint32_t *, uint32_t *);

#endif
