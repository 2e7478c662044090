/*
 * mkhr.c -- the synthetic city's HR export, for the import benchmark and
 * the tests of a year of personnel changes.
 *
 *	mkhr FILE N [--encoding cp932|utf-8] [--snapshot K] [--seed S]
 *
 * FILE is a CSV file (RFC 4180, CRLF, a header row) of N made-up people
 * with the common Japanese HR headers: 職員番号,氏名,氏名カナ,所属,職位,
 * 職員区分,異動日,退職日,在職区分,生年月日.  Person n (from 0) is
 * core_synth_person(S, n): employee number E%07llu of n + 1, name, reading,
 * department and position, so with the default seed (core/demo.c's, which
 * seed-demo uses) the export describes the people of a city bench/mkcity
 * made.  The export is written as HR systems write it:
 *
 *  - 氏名 with an ideographic space between surname and given name; about
 *    1 in 20 people have their surname in a variant spelling that folds
 *    to the city's (髙橋 for 高橋, 渡邊 or 渡邉 for 渡辺, 齋藤 for 斎藤,
 *    淸水 for 清水), and some a given name's 隆 as the IBM extension's
 *    compatibility ideograph U+F9DC;
 *  - about 1 in 50 have their reading in half-width kana (ﾀｶﾊｼ ﾀﾛｳ);
 *  - about 1 in 10 contractors have their company after their name,
 *    "（㈱合成情報サービス）": ㈱ is an NEC special character (row 13) and
 *    a name is the only field where the import accepts such text;
 *  - 職員区分 from the person's employment: 正規職員 (most), 任期付職員,
 *    会計年度任用職員, 委託 (contractors).
 *
 * --snapshot K (0 to 12) is the export K months after 2026-04-01 in one
 * deterministic year: K = 0 is the baseline (異動日 the start date, no
 * 退職日, everyone 在職).  About 1% go on leave (休職) at some K from 1
 * to 9 and most return by K = 11; about 2% retire at the end of March
 * (退職日 2027-03-31 from K = 11, 在職区分 退職 at K = 12); at K = 12
 * (2027-04-01) about 5% have moved department (some with a new position
 * too; 異動日 2027-04-01), and N / 100 (at least 1) joiners appear with
 * employee numbers after N's.  Each person's fate is a hash of the seed
 * and the number, so every snapshot agrees with every other.
 *
 * The encoding is CP932 (Windows' Shift_JIS, through iconv; a character
 * it cannot hold is fatal) unless --encoding utf-8.  Prints "name value"
 * lines: mkhr.rows, mkhr.bytes, mkhr.seconds, mkhr.as_of and the counts
 * of what the year did (mkhr.joiners, mkhr.movers, mkhr.retiring: rows
 * with a 退職日, mkhr.retired: rows 退職, mkhr.on_leave) and of the
 * variant spellings written.  Everything in it
 * is made up.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "store.h"
#include "core.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])
#define MKHR_SEED	20261121	/* core/demo.c's DEMO_SEED */
#define MKHR_MAX	5000000		/* people; joiners fit in E%07llu */
#define MKHR_CHUNK	(1 << 20)	/* UTF-8 bytes converted at a time */
#define MKHR_MONTHS	12
#define MKHR_COMPANY	"（㈱合成情報サービス）"

static const char *const mkhr_header[] = {
	"職員番号", "氏名", "氏名カナ", "所属", "職位", "職員区分",
	"異動日", "退職日", "在職区分", "生年月日",
};

/* core_synth_person's employment to the HR export's 職員区分. */
static const char *const mkhr_kubun[][2] = {
	{ "regular", "正規職員" },
	{ "fixed_term", "任期付職員" },
	{ "part_time", "会計年度任用職員" },
	{ "contractor", "委託" },
};

/* Surnames of the synthetic city with a spelling that folds to them. */
static const char *const mkhr_variants[][2] = {
	{ "高橋", "髙橋" }, { "渡辺", "渡邊" }, { "渡辺", "渡邉" },
	{ "斎藤", "齋藤" }, { "清水", "淸水" },
};

/* Full-width katakana U+30A1 .. U+30F6 in half-width ("": none). */
static const char *const mkhr_halfwidth[] = {
	"ｧ", "ｱ", "ｨ", "ｲ", "ｩ", "ｳ", "ｪ", "ｴ",
	"ｫ", "ｵ", "ｶ", "ｶﾞ", "ｷ", "ｷﾞ", "ｸ", "ｸﾞ",
	"ｹ", "ｹﾞ", "ｺ", "ｺﾞ", "ｻ", "ｻﾞ", "ｼ", "ｼﾞ",
	"ｽ", "ｽﾞ", "ｾ", "ｾﾞ", "ｿ", "ｿﾞ", "ﾀ", "ﾀﾞ",
	"ﾁ", "ﾁﾞ", "ｯ", "ﾂ", "ﾂﾞ", "ﾃ", "ﾃﾞ", "ﾄ",
	"ﾄﾞ", "ﾅ", "ﾆ", "ﾇ", "ﾈ", "ﾉ", "ﾊ", "ﾊﾞ",
	"ﾊﾟ", "ﾋ", "ﾋﾞ", "ﾋﾟ", "ﾌ", "ﾌﾞ", "ﾌﾟ", "ﾍ",
	"ﾍﾞ", "ﾍﾟ", "ﾎ", "ﾎﾞ", "ﾎﾟ", "ﾏ", "ﾐ", "ﾑ",
	"ﾒ", "ﾓ", "ｬ", "ﾔ", "ｭ", "ﾕ", "ｮ", "ﾖ",
	"ﾗ", "ﾘ", "ﾙ", "ﾚ", "ﾛ", "", "ﾜ", "",
	"", "ｦ", "ﾝ", "ｳﾞ", "", "",
};

enum mkhr_fate {
	FATE_NONE,
	FATE_MOVE,				/* new department at K = 12 */
	FATE_RETIRE,				/* 退職日 2027-03-31 */
	FATE_LEAVE,				/* 休職 for some months */
};

struct mkhr_opts {
	const char	*path;
	long long	 n;
	int		 cp932;
	int		 k;			/* months after 2026-04-01 */
	uint64_t	 seed;
};

struct mkhr_counts {
	long long	 rows, joiners, movers, retiring, retired, on_leave;
	long long	 variant, halfwidth, company;
};

/* The output: UTF-8 rows gathered, converted and written a chunk at once. */
struct mkhr_out {
	const char	*path;			/* removed on failure */
	int		 fd;
	iconv_t		 cd;			/* (iconv_t)-1: UTF-8 */
	char		*buf;			/* UTF-8 not yet written */
	size_t		 len, cap;
	char		*conv;			/* MKHR_CHUNK * 2 bytes */
	unsigned long	 line;			/* of buf's first byte */
	unsigned long long bytes;
};

static DAICHO_NORETURN void
die_errno(const char *what)
{
	fprintf(stderr, "mkhr: %s: %s\n", what, strerror(errno));
	exit(1);
}

static DAICHO_NORETURN void
usage(void)
{
	fprintf(stderr, "usage: mkhr FILE N [--encoding cp932|utf-8] "
	    "[--snapshot K] [--seed S]\n");
	exit(2);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long
number_arg(const char *what, const char *s, long long min, long long max)
{
	long long	 v;
	const char	*errstr;

	if (number_parse(s, min, max, &v, &errstr) != 0) {
		fprintf(stderr, "mkhr: %s %s is %s\n", what, s, errstr);
		exit(2);
	}
	return v;
}

static void
parse_args(int argc, char **argv, struct mkhr_opts *o)
{
	int	 i;

	if (argc < 3)
		usage();
	o->path = argv[1];
	o->n = number_arg("count", argv[2], 1, MKHR_MAX);
	o->cp932 = 1;
	o->k = 0;
	o->seed = MKHR_SEED;
	for (i = 3; i < argc; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--encoding") == 0) {
			if (strcmp(argv[i + 1], "cp932") == 0)
				o->cp932 = 1;
			else if (strcmp(argv[i + 1], "utf-8") == 0)
				o->cp932 = 0;
			else
				usage();
		} else if (strcmp(argv[i], "--snapshot") == 0)
			o->k = (int)number_arg("snapshot", argv[i + 1], 0,
			    MKHR_MONTHS);
		else if (strcmp(argv[i], "--seed") == 0)
			o->seed = (uint64_t)number_arg("seed", argv[i + 1], 0,
			    INT64_MAX);
		else
			usage();
	}
}

/* splitmix64 of (seed, n, salt): one person's independent draws. */
static uint64_t
mkhr_hash(uint64_t seed, uint64_t n, uint64_t salt)
{
	uint64_t	 z = seed * 0x9e3779b97f4a7c15ULL ^ (n << 8) ^ salt;

	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * What the year does to person n: 2% retire, 5% move, 1% take leave (in
 * month *from, back in month *to, 13 meaning not within the year).
 */
static enum mkhr_fate
mkhr_fate(uint64_t seed, uint64_t n, int *from, int *to)
{
	uint64_t	 r = mkhr_hash(seed, n, 1) % 1000;
	uint64_t	 h = mkhr_hash(seed, n, 2);

	*from = 1 + (int)(h % 9);			/* 1 .. 9 */
	*to = MKHR_MONTHS + 1;
	if (((h >> 32) & 3) != 0)			/* 3 in 4: by 11 */
		*to = *from + 1 + (int)((h >> 8) % (uint64_t)(11 - *from));
	if (r < 20)
		return FATE_RETIRE;
	if (r < 70)
		return FATE_MOVE;
	if (r < 80)
		return FATE_LEAVE;
	return FATE_NONE;
}

/* Append s to the buffer. */
static void
put(struct mkhr_out *out, const char *s, size_t len)
{
	out->buf = xgrow(out->buf, &out->cap, out->len + len + 1, 1);
	memcpy(out->buf + out->len, s, len);
	out->len += len;
}

/* One field as RFC 4180 writes it, then a comma or CRLF after it. */
static void
put_field(struct mkhr_out *out, const char *s, int last)
{
	size_t	 len = strlen(s), i;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		put(out, s, len);
	} else {
		put(out, "\"", 1);
		for (i = 0; i < len; i++) {
			put(out, s + i, 1);
			if (s[i] == '"')
				put(out, "\"", 1);
		}
		put(out, "\"", 1);
	}
	put(out, last ? "\r\n" : ",", last ? 2 : 1);
}

static void
write_all(struct mkhr_out *out, const char *s, size_t len)
{
	ssize_t	 w;

	while (len > 0) {
		if ((w = write(out->fd, s, len)) == -1) {
			if (errno == EINTR)
				continue;
			die_errno("write");
		}
		s += w;
		len -= (size_t)w;
		out->bytes += (unsigned long long)w;
	}
}

/* The character at s that CP932 cannot hold, by its line: fatal, and
 * no half-written file is left. */
static DAICHO_NORETURN void
unencodable(const struct mkhr_out *out, const char *s)
{
	unsigned long	 line = out->line;
	const char	*p;
	uint32_t	 cp = 0;

	for (p = out->buf; p < s; p++)
		line += *p == '\n';
	if (vis_utf8((const unsigned char *)s, out->len -
	    (size_t)(s - out->buf), &cp) == 0)
		cp = (unsigned char)*s;
	fprintf(stderr, "mkhr: line %lu: U+%04X cannot be written in "
	    "CP932\n", line, (unsigned)cp);
	unlink(out->path);
	exit(1);
}

/* Write what the buffer holds, in the file's encoding. */
static void
flush(struct mkhr_out *out)
{
	char	*in = out->buf, *o;
	size_t	 inleft = out->len, oleft;
	size_t	 r;

	while (out->cd != (iconv_t)-1 && inleft > 0) {
		o = out->conv;
		oleft = MKHR_CHUNK * 2;
		r = iconv(out->cd, &in, &inleft, &o, &oleft);
		if (r == (size_t)-1 && errno != E2BIG)
			unencodable(out, in);
		/* Only a transliterating iconv converts irreversibly. */
		if (r != (size_t)-1 && r != 0)
			fatalx("mkhr: iconv changed %zu characters near line "
			    "%lu", r, out->line);
		write_all(out, out->conv, (size_t)(o - out->conv));
	}
	if (out->cd == (iconv_t)-1)
		write_all(out, out->buf, out->len);
	for (in = out->buf; in < out->buf + out->len; in++)
		out->line += *in == '\n';
	out->len = 0;
}

/* A reading in full-width katakana as half-width: "タカハシ　タロウ". */
static void
halfwidth(const char *s, char *buf, size_t size)
{
	const char	*h;
	size_t		 len = strlen(s), i = 0, o = 0, l;
	uint32_t	 cp;
	char		 one[2] = " ";

	while (i < len) {
		if ((l = vis_utf8((const unsigned char *)s + i, len - i,
		    &cp)) == 0)
			fatalx("mkhr: reading \"%s\" is not UTF-8", s);
		i += l;
		if (cp == 0x3000)
			h = one;
		else if (cp == 0x30fc)
			h = "ｰ";
		else if (cp >= 0x30a1 && cp - 0x30a1 < NELEM(mkhr_halfwidth))
			h = mkhr_halfwidth[cp - 0x30a1];
		else
			h = "";
		if (*h == '\0')
			fatalx("mkhr: U+%04X in \"%s\" has no half-width "
			    "form", (unsigned)cp, s);
		if (o + strlen(h) >= size)
			fatalx("mkhr: reading \"%s\" too long", s);
		memcpy(buf + o, h, strlen(h));
		o += strlen(h);
	}
	buf[o] = '\0';
}

struct mkhr_row {
	struct core_synth_person p;		/* its own fields, or ... */
	char		 name[192];		/* 氏名 */
	char		 kana[256];		/* 氏名カナ */
	const char	*kubun;			/* 職員区分 */
	const char	*moved;			/* 異動日 */
	const char	*retired;		/* 退職日 */
	const char	*status;		/* 在職区分 */
	char		 born[11];		/* 生年月日 */
};

/* 氏名: a variant surname for some, a company for some contractors. */
static void
mkhr_name(const struct mkhr_opts *o, uint64_t n, struct mkhr_row *r,
    struct mkhr_counts *c)
{
	const char	*surname = r->p.name_kanji, *given;
	char		 family[64];
	uint64_t	 h = mkhr_hash(o->seed, n, 3);
	size_t		 i, match = 0, pick;

	if ((given = strchr(surname, ' ')) == NULL)
		fatalx("mkhr: name \"%s\" has no space", surname);
	snprintf(family, sizeof family, "%.*s", (int)(given - surname),
	    surname);
	given++;
	for (i = 0; i < NELEM(mkhr_variants); i++)
		match += strcmp(family, mkhr_variants[i][0]) == 0;
	/* 2 in 5 of the 1 in 8 whose surname has a variant: 1 in 20. */
	if (match > 0 && h % 5 < 2) {
		pick = (size_t)(h >> 8) % match;
		for (i = 0; i < NELEM(mkhr_variants); i++)
			if (strcmp(family, mkhr_variants[i][0]) == 0 &&
			    pick-- == 0)
				break;
		snprintf(family, sizeof family, "%s", mkhr_variants[i][1]);
		c->variant++;
	}
	if (strcmp(given, "隆") == 0 && (h >> 16) % 2 == 0) {
		given = "\xef\xa7\x9c";		/* U+F9DC, IBM extension */
		c->variant++;
	}
	snprintf(r->name, sizeof r->name, "%s\xe3\x80\x80%s%s", family,
	    given, strcmp(r->p.employment, "contractor") == 0 &&
	    (h >> 24) % 10 == 0 ? MKHR_COMPANY : "");
	if (strstr(r->name, MKHR_COMPANY) != NULL)
		c->company++;
}

/* Another department than p's, from another synthetic person's. */
static void
mkhr_move(const struct mkhr_opts *o, uint64_t n, struct mkhr_row *r)
{
	struct core_synth_person q;
	uint64_t		 j;

	for (j = 1; ; j++) {
		core_synth_person(o->seed, n + j * 7919, &q);
		if (strcmp(q.department, r->p.department) != 0)
			break;
	}
	memcpy(r->p.department, q.department, sizeof r->p.department);
	if (mkhr_hash(o->seed, n, 6) % 5 == 0)
		memcpy(r->p.position, q.position, sizeof r->p.position);
	r->moved = "2027-04-01";
}

/* 生年月日: a made-up day of 1960-1999, the same in every snapshot. */
static void
mkhr_born(const struct mkhr_opts *o, uint64_t n, struct mkhr_row *r)
{
	uint64_t	 h = mkhr_hash(o->seed, n, 7);

	snprintf(r->born, sizeof r->born, "%04u-%02u-%02u",
	    (unsigned)(1960 + h % 40), (unsigned)(1 + (h >> 8) % 12),
	    (unsigned)(1 + (h >> 16) % 28));
}

/* Person n in snapshot o->k; joiner when n is past the baseline's N. */
static void
mkhr_person(const struct mkhr_opts *o, uint64_t n, struct mkhr_row *r,
    struct mkhr_counts *c)
{
	enum mkhr_fate	 fate;
	size_t		 i;
	int		 from, to;

	core_synth_person(o->seed, n, &r->p);
	mkhr_name(o, n, r, c);
	if (mkhr_hash(o->seed, n, 5) % 50 == 0) {
		halfwidth(r->p.name_kana, r->kana, sizeof r->kana);
		c->halfwidth++;
	} else
		snprintf(r->kana, sizeof r->kana, "%s", r->p.name_kana);
	r->kubun = NULL;
	for (i = 0; i < NELEM(mkhr_kubun); i++)
		if (strcmp(r->p.employment, mkhr_kubun[i][0]) == 0)
			r->kubun = mkhr_kubun[i][1];
	if (r->kubun == NULL)
		fatalx("mkhr: employment \"%s\"", r->p.employment);
	r->moved = r->p.start_date;
	r->retired = "";
	r->status = "在職";
	mkhr_born(o, n, r);
	if (n >= (uint64_t)o->n) {
		r->moved = "2027-04-01";
		c->joiners++;
		return;
	}
	fate = mkhr_fate(o->seed, n, &from, &to);
	if (fate == FATE_MOVE && o->k == MKHR_MONTHS) {
		mkhr_move(o, n, r);
		c->movers++;
	} else if (fate == FATE_RETIRE && o->k >= MKHR_MONTHS - 1) {
		r->retired = "2027-03-31";
		c->retiring++;
		if (o->k == MKHR_MONTHS) {
			r->status = "退職";
			c->retired++;
		}
	} else if (fate == FATE_LEAVE && o->k >= from && o->k < to) {
		r->status = "休職";
		c->on_leave++;
	}
}

static void
put_row(struct mkhr_out *out, const struct mkhr_row *r)
{
	put_field(out, r->p.employee_no, 0);
	put_field(out, r->name, 0);
	put_field(out, r->kana, 0);
	put_field(out, r->p.department, 0);
	put_field(out, r->p.position, 0);
	put_field(out, r->kubun, 0);
	put_field(out, r->moved, 0);
	put_field(out, r->retired, 0);
	put_field(out, r->status, 0);
	put_field(out, r->born, 1);
	if (out->len >= MKHR_CHUNK)
		flush(out);
}

static void
mkhr_open(const struct mkhr_opts *o, struct mkhr_out *out)
{
	memset(out, 0, sizeof *out);
	out->path = o->path;
	out->line = 1;
	out->cd = (iconv_t)-1;
	if (o->cp932 && (out->cd = iconv_open("CP932", "UTF-8")) ==
	    (iconv_t)-1)
		die_errno("iconv_open CP932");
	out->conv = xmalloc(MKHR_CHUNK * 2);
	out->fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (out->fd == -1)
		die_errno(o->path);
}

static void
mkhr_report(const struct mkhr_opts *o, const struct mkhr_out *out,
    const struct mkhr_counts *c, double t0)
{
	int	 m = 3 + o->k;			/* April is 3 from 0 */

	printf("mkhr.rows %lld\n", c->rows);
	printf("mkhr.bytes %llu\n", out->bytes);
	printf("mkhr.seconds %.2f\n", now() - t0);
	printf("mkhr.as_of %04d-%02d-01\n", 2026 + m / 12, m % 12 + 1);
	printf("mkhr.encoding %s\n", o->cp932 ? "cp932" : "utf-8");
	printf("mkhr.joiners %lld\n", c->joiners);
	printf("mkhr.movers %lld\n", c->movers);
	printf("mkhr.retiring %lld\n", c->retiring);
	printf("mkhr.retired %lld\n", c->retired);
	printf("mkhr.on_leave %lld\n", c->on_leave);
	printf("mkhr.variant_names %lld\n", c->variant);
	printf("mkhr.halfwidth_kana %lld\n", c->halfwidth);
	printf("mkhr.company_names %lld\n", c->company);
}

int
main(int argc, char **argv)
{
	struct mkhr_opts	 o;
	struct mkhr_out		 out;
	struct mkhr_counts	 c = { 0 };
	struct mkhr_row		 r;
	long long		 n, total;
	size_t			 i;
	double			 t0 = now();

	xmalloc_init();
	parse_args(argc, argv, &o);
	mkhr_open(&o, &out);
	for (i = 0; i < NELEM(mkhr_header); i++)
		put_field(&out, mkhr_header[i], i + 1 == NELEM(mkhr_header));
	total = o.n + (o.k == MKHR_MONTHS ? (o.n + 99) / 100 : 0);
	for (n = 0; n < total; n++) {
		mkhr_person(&o, (uint64_t)n, &r, &c);
		put_row(&out, &r);
		c.rows++;
	}
	flush(&out);
	if (close(out.fd) != 0)
		die_errno(o.path);
	if (out.cd != (iconv_t)-1)
		iconv_close(out.cd);
	free(out.buf);
	free(out.conv);
	mkhr_report(&o, &out, &c, t0);
	return 0;
}
