/*
 * export.c -- the bulk export of personal data: the people (as the HR
 * import reads them), every ID, or the privileged-ID register, to a
 * file, approved and recorded.
 *
 * A bulk output of personal data needs a second person's approval
 * beforehand (the PIA's 大量データ出力は事前承認), and the ledger says
 * what left and which bytes: the data.export entry (action-export.c)
 * records what, the format and encoding, the rows and the SHA-256 of the
 * file exactly as written.  So the file is made whole before the entry,
 * and the entry before the file is where anyone can see it:
 *
 *	1. in one write transaction (the rows are the state at the entry),
 *	   the rows are read and laid out, and the text encoded; a value
 *	   the format or the encoding cannot carry refuses the export,
 *	   naming the row, the field and the character;
 *	2. a temporary file in FILE's directory (O_EXCL, O_NOFOLLOW, 0600)
 *	   gets the bytes, fsynced; their SHA-256 goes into the entry, which
 *	   is committed;
 *	3. the file is renamed to FILE, never over anything already there
 *	   (RENAME_NOREPLACE, or link and unlink where a file system lacks
 *	   it), and the directory fsynced.
 * A failure before the commit removes the temporary file and writes no
 * entry.  A failure of the rename after it removes the temporary file
 * too: the entry then records an export that did not arrive, which is
 * the safe side of the two.
 *
 * privileged is the register (特権ID管理台帳, query-priv.c): one row per
 * privileged ID, its holders and grants each in one field, "; " between.
 * people is the import's layout (hr.c): the configured headers in
 * core_hr_fields order, employment and status as the first word of their
 * configured lists, dates as YYYY-MM-DD, empty for none; so the CSV form
 * imports back unchanged.  ids has English headers.  CSV is RFC 4180 with
 * CRLF (csv_put); TSV has a header line and LF, and refuses a value
 * holding a tab or a line break rather than escape it.
 */
#include "config.h"

#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "core-int.h"

#define EXPORT_IDS_NFIELDS	9
#define EXPORT_WORD_MAX		128

static const char *const export_ids_head[EXPORT_IDS_NFIELDS] = {
	"system", "login", "kind", "state", "owner", "owner_name", "users",
	"end_date", "created"
};

/* One row as the walk hands it out. */
struct export_row {
	const char	*f[CORE_HR_NFIELDS + EXPORT_IDS_NFIELDS +
			    CORE_PRIV_NFIELDS];	/* room for any of them */
	size_t		 n;
	const char	*who;			/* "person E0000001", "ID a/b" */
};

struct export_ctx {
	const struct core_export *req;
	const char	*const *head;		/* the header of each field */
	size_t		 nf;
	char		 emp[CORE_HR_NEMPLOYMENT][EXPORT_WORD_MAX];
	char		 status[CORE_HR_NSTATUS][EXPORT_WORD_MAX];
	char		*buf;			/* the UTF-8 text */
	size_t		 len, cap;
	size_t		 rows;
};

/*
 * The words of a list as hr.c reads them: split at commas, spaces around
 * each trimmed.  Word k of list into out; -1 when there is none or it
 * does not fit.
 */
static int
export_list_word(const char *list, size_t k, char *out, size_t outlen)
{
	const char	*p = list, *e;
	size_t		 i = 0;

	for (;;) {
		while (*p == ' ')
			p++;
		e = p + strcspn(p, ",");
		if (i == k) {
			while (e > p && e[-1] == ' ')
				e--;
			if ((size_t)(e - p) + 1 > outlen)
				return -1;
			memcpy(out, p, (size_t)(e - p));
			out[e - p] = '\0';
			return 0;
		}
		if (*e == '\0')
			return -1;
		p = e + 1;
		i++;
	}
}

/* Whether list holds word, as hr.c matches it. */
static int
export_list_has(const char *list, const char *word)
{
	char	 w[EXPORT_WORD_MAX];
	size_t	 k;

	for (k = 0; export_list_word(list, k, w, sizeof w) == 0; k++) {
		if (strcmp(w, word) == 0)
			return 1;
	}
	return 0;
}

/*
 * The word an export writes for each of n values: the first of its
 * configured list, which must read back as that value (not empty, and
 * in no list before it, since the import takes the first list that has
 * it).  0, or -1 with *cause naming the setting.
 */
static int
export_words(char *const *lists, size_t n, const char *setting,
    const char *const *names, char (*out)[EXPORT_WORD_MAX], char **cause)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		if (export_list_word(lists[i], 0, out[i], EXPORT_WORD_MAX) != 0 ||
		    out[i][0] == '\0') {
			xasprintf(cause, _("%s_%s: its first word is empty "
			    "or longer than %d bytes, so an export could "
			    "not write it"), setting, names[i],
			    EXPORT_WORD_MAX - 1);
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (!export_list_has(lists[j], out[i]))
				continue;
			xasprintf(cause, _("%s_%s: its first word \"%s\" is "
			    "also in %s_%s, so an export would read back as "
			    "%s"), setting, names[i], out[i], setting, names[j],
			    names[j]);
			return -1;
		}
	}
	return 0;
}

/* The configured word for canonical value v of names (n), or NULL. */
static const char *
export_word_of(const char *v, const char *const *names,
    char (*words)[EXPORT_WORD_MAX], size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(v, names[i]) == 0)
			return words[i];
	}
	return NULL;
}

/* Append one row (or the header) in the request's format. */
static int
export_put(struct export_ctx *x, const char *const *f, size_t n,
    size_t line, const char *who, char **cause)
{
	size_t	 i, len;

	for (i = 0; i < n; i++) {
		len = strlen(f[i]);
		if (!x->req->tsv) {
			csv_put(&x->buf, &x->len, &x->cap, f[i], len,
			    i + 1 < n ? ',' : '\n');
			continue;
		}
		if (strpbrk(f[i], "\t\r\n") != NULL) {
			xasprintf(cause, _("line %zu (%s), %s: the value holds "
			    "a %s, which TSV cannot carry (CSV can)"), line,
			    who, x->head[i], strchr(f[i], '\t') != NULL ?
			    _("tab") : _("line break"));
			return -1;
		}
		x->buf = xgrow(x->buf, &x->cap, x->len + len + 2, 1);
		memcpy(x->buf + x->len, f[i], len);
		x->len += len;
		x->buf[x->len++] = i + 1 < n ? '\t' : '\n';
		x->buf[x->len] = '\0';
	}
	return 0;
}

static int
export_put_row(void *arg, const struct export_row *r, char **cause)
{
	struct export_ctx	*x = arg;

	if (export_put(x, r->f, r->n, x->rows + 2, r->who, cause) != 0)
		return -1;
	x->rows++;
	return 0;
}

/* One person's row, the import's fields in its order and words. */
static int
export_person(struct export_ctx *x, struct store_stmt *st,
    struct export_row *r, char *who, size_t wholen, char **cause)
{
	size_t	 i;

	for (i = 0; i < CORE_HR_NFIELDS; i++)
		r->f[i] = store_col_text(st, (int)i);
	r->n = CORE_HR_NFIELDS;
	/* TRANSLATORS: the row an export could not write: the person's
	 * employee number. */
	snprintf(who, wholen, _("person %s"), r->f[CORE_HR_NO]);
	r->who = who;
	r->f[CORE_HR_EMPLOYMENT] = export_word_of(r->f[CORE_HR_EMPLOYMENT],
	    core_hr_employments, x->emp, CORE_HR_NEMPLOYMENT);
	r->f[CORE_HR_STATUS] = export_word_of(r->f[CORE_HR_STATUS],
	    core_hr_statuses, x->status, CORE_HR_NSTATUS);
	if (r->f[CORE_HR_EMPLOYMENT] == NULL || r->f[CORE_HR_STATUS] == NULL) {
		xasprintf(cause, _("%s: employment \"%.40s\" or status "
		    "\"%.40s\" is not one the import knows"), who,
		    store_col_text(st, CORE_HR_EMPLOYMENT),
		    store_col_text(st, CORE_HR_STATUS));
		return -1;
	}
	return 0;
}

/* The register's walk: each entry as a row to the walk's callback. */
struct export_priv_walk {
	int		(*cb)(void *, const struct export_row *, char **);
	void		*arg;
	char		*cause;			/* the first refusal */
};

static void
export_priv_row(void *arg, const struct core_priv_entry *e)
{
	struct export_priv_walk	*w = arg;
	struct export_row	 r;
	const char		*f[CORE_PRIV_NFIELDS];
	char			 who[128];
	size_t			 i;

	if (w->cause != NULL)
		return;
	memset(&r, 0, sizeof r);
	core_priv_entry_fields(e, f);
	for (i = 0; i < CORE_PRIV_NFIELDS; i++)
		r.f[i] = f[i];
	r.n = CORE_PRIV_NFIELDS;
	snprintf(who, sizeof who, _("privileged ID %.40s/%.40s"),
	    e->system, e->login);
	r.who = who;
	(void)w->cb(w->arg, &r, &w->cause);
}

static int
export_walk_privileged(struct store *s,
    int (*cb)(void *, const struct export_row *, char **), void *arg,
    char **cause)
{
	struct export_priv_walk	 w = { cb, arg, NULL };
	size_t			 n;

	if (core_priv_register(s, export_priv_row, &w, &n, cause) != 0) {
		free(w.cause);
		return -1;
	}
	if (w.cause != NULL) {
		*cause = w.cause;
		return -1;
	}
	return 0;
}

/* Every row of the request, in order, to cb.  0, or -1 with *cause. */
static int
export_walk(struct store *s, struct export_ctx *x,
    int (*cb)(void *, const struct export_row *, char **), void *arg,
    char **cause)
{
	struct store_stmt	*st;
	struct export_row	 r;
	char			 who[128];
	size_t			 i;
	int			 rc;

	if (x->req->what == CORE_EXPORT_PRIVILEGED)
		return export_walk_privileged(s, cb, arg, cause);
	if (x->req->what == CORE_EXPORT_PEOPLE)
		st = store_prepare(s, "SELECT employee_no, name_kanji, "
		    "name_kana, department, position, employment, "
		    "coalesce(transfer_date, ''), coalesce(retire_date, ''), "
		    "status, coalesce(birth_date, '') FROM person ORDER BY "
		    "employee_no", cause);
	else
		st = store_prepare(s, "SELECT a.system, a.login, a.kind, "
		    "a.state, coalesce(a.owner, ''), coalesce(p.name_kanji, "
		    "''), coalesce((SELECT group_concat(u.employee_no) FROM "
		    "(SELECT employee_no FROM account_user WHERE system = "
		    "a.system AND login = a.login ORDER BY employee_no) u), ''), "
		    "coalesce(a.end_date, ''), a.created_idx FROM account a "
		    "LEFT JOIN person p ON p.employee_no = a.owner ORDER BY "
		    "a.system, a.login", cause);
	if (st == NULL)
		return -1;
	memset(&r, 0, sizeof r);
	while ((rc = store_step(st, cause)) == STORE_ROW) {
		if (x->req->what == CORE_EXPORT_PEOPLE) {
			if (export_person(x, st, &r, who, sizeof who,
			    cause) != 0) {
				rc = -1;
				break;
			}
		} else {
			for (i = 0; i < EXPORT_IDS_NFIELDS; i++)
				r.f[i] = store_col_text(st, (int)i);
			r.n = EXPORT_IDS_NFIELDS;
			snprintf(who, sizeof who, _("ID %.40s/%.40s"), r.f[0],
			    r.f[1]);
			r.who = who;
		}
		if (cb(arg, &r, cause) != 0) {
			rc = -1;
			break;
		}
	}
	store_finalize(st);
	return rc == -1 ? -1 : 0;
}

/*
 * Why value v cannot be written in enc: the first character csv_encode
 * refuses on its own.  0 when it has none.
 */
static int
export_bad_char(const char *v, enum csv_encoding enc, const char *where,
    char **cause)
{
	const unsigned char	*p = (const unsigned char *)v;
	size_t			 len = strlen(v), n, outlen;
	uint32_t		 cp;
	char			*out, *why;

	if (csv_encode(v, len, enc, &out, &outlen, &why) == 0) {
		free(out);
		return 0;
	}
	free(why);
	while (len > 0) {
		if ((n = vis_utf8(p, len, &cp)) == 0) {
			xasprintf(cause, _("%s: byte 0x%02x is not UTF-8"),
			    where, (unsigned)*p);
			return -1;
		}
		if (csv_encode((const char *)p, n, enc, &out, &outlen,
		    &why) != 0) {
			free(why);
			xasprintf(cause, _("%s: %.*s (U+%04lX) cannot be "
			    "written in %s"), where, (int)n, (const char *)p,
			    (unsigned long)cp, csv_encoding_name(enc));
			return -1;
		}
		free(out);
		p += n;
		len -= n;
	}
	xasprintf(cause, _("%s cannot be written in %s"), where,
	    csv_encoding_name(enc));
	return -1;
}

/* The locating walk: the first field the encoding cannot hold. */
static int
export_locate(void *arg, const struct export_row *r, char **cause)
{
	struct export_ctx	*x = arg;
	char			*where;
	size_t			 i;
	int			 rc = 0;

	for (i = 0; i < r->n && rc == 0; i++) {
		xasprintf(&where, "%s, %s \"%s\"", r->who, x->head[i],
		    r->f[i]);
		rc = export_bad_char(r->f[i], x->req->enc, where, cause);
		free(where);
	}
	return rc;
}

/*
 * The file's text in the request's encoding into *out.  When the whole
 * text cannot be encoded, the rows are walked again to name the one, the
 * field and the character (csv_encode's own words when none is found).
 */
static int
export_encode(struct store *s, struct export_ctx *x, char **out,
    size_t *outlen, char **cause)
{
	char	*why = NULL, *where;
	size_t	 i;

	if (csv_encode(x->buf, x->len, x->req->enc, out, outlen, &why) == 0)
		return 0;
	for (i = 0; i < x->nf; i++) {
		xasprintf(&where, _("the header %s"), x->head[i]);
		if (export_bad_char(x->head[i], x->req->enc, where,
		    cause) != 0) {
			free(where);
			free(why);
			return -1;
		}
		free(where);
	}
	if (export_walk(s, x, export_locate, x, cause) == 0)
		*cause = why;
	else
		free(why);
	return -1;
}

/* The header, every row, and the text encoded: 0, or -1 with *cause. */
static int
export_build(struct store *s, const struct core_config *cfg,
    struct export_ctx *x, char **out, size_t *outlen, char **cause)
{
	if (x->req->what == CORE_EXPORT_PEOPLE) {
		if (export_words(cfg->hr_employment, CORE_HR_NEMPLOYMENT,
		    "hr_employment", core_hr_employments, x->emp, cause) != 0 ||
		    export_words(cfg->hr_status, CORE_HR_NSTATUS, "hr_status",
		    core_hr_statuses, x->status, cause) != 0)
			return -1;
		x->head = (const char *const *)cfg->hr_column;
		x->nf = CORE_HR_NFIELDS;
	} else if (x->req->what == CORE_EXPORT_PRIVILEGED) {
		x->head = core_priv_register_head;
		x->nf = CORE_PRIV_NFIELDS;
	} else {
		x->head = export_ids_head;
		x->nf = EXPORT_IDS_NFIELDS;
	}
	if (export_put(x, x->head, x->nf, 1, _("the header"), cause) != 0)
		return -1;
	x->rows = 0;
	if (export_walk(s, x, export_put_row, x, cause) != 0)
		return -1;
	return export_encode(s, x, out, outlen, cause);
}

/* FILE split into its directory, open, and its name in it. */
struct export_file {
	int	 dirfd;
	char	*dir;				/* absolute */
	char	*base;
	char	 tmp[40];			/* the temporary file, or "" */
};

static void
export_file_close(struct export_file *f)
{
	if (f->dirfd != -1) {
		if (f->tmp[0] != '\0')
			(void)unlinkat(f->dirfd, f->tmp, 0);
		close(f->dirfd);
	}
	free(f->dir);
	free(f->base);
	memset(f, 0, sizeof *f);
	f->dirfd = -1;
}

/*
 * Open path's directory and check that path names nothing yet (not even
 * a dangling symbolic link).  0, or -1 with *cause.
 */
static int
export_file_open(const char *path, struct export_file *f, char **cause)
{
	char	*d, *b, *dir, *real;
	struct stat sb;
	size_t	 len = strlen(path);

	memset(f, 0, sizeof *f);
	f->dirfd = -1;
	if (len == 0 || path[len - 1] == '/') {
		xasprintf(cause, _("%s: not a file name"), path);
		return -1;
	}
	d = xstrdup(path);
	b = xstrdup(path);
	f->base = xstrdup(basename(b));
	free(b);
	if (strcmp(f->base, ".") == 0 || strcmp(f->base, "..") == 0) {
		xasprintf(cause, _("%s: not a file name"), path);
		free(d);
		return -1;
	}
	dir = dirname(d);
	if ((real = realpath(dir, NULL)) == NULL ||
	    (f->dirfd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		xasprintf(cause, _("%s: the directory %s: %s"), path, dir,
		    strerror(errno));
		free(real);
		free(d);
		return -1;
	}
	free(d);
	f->dir = real;
	if (fstatat(f->dirfd, f->base, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		xasprintf(cause, _("%s: already exists; an export never writes "
		    "over a file"), path);
		return -1;
	}
	if (errno != ENOENT) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* len bytes of buf into a new temporary file in the directory, fsynced. */
static int
export_file_write(struct export_file *f, const char *buf, size_t len,
    char **cause)
{
	uint8_t	 rnd[8];
	char	 hex[2 * sizeof rnd + 1];
	size_t	 off = 0;
	ssize_t	 n;
	int	 fd = -1, tries;

	for (tries = 0; fd == -1 && tries < 8; tries++) {
		if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
			fatal("getrandom");
		codec_hex(hex, rnd, sizeof rnd);
		snprintf(f->tmp, sizeof f->tmp, ".daicho-export-%s", hex);
		fd = openat(f->dirfd, f->tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd == -1 && errno != EEXIST)
			break;
	}
	if (fd == -1) {
		xasprintf(cause, "%s/%s: %s", f->dir, f->tmp, strerror(errno));
		f->tmp[0] = '\0';
		return -1;
	}
	while (off < len) {
		if ((n = write(fd, buf + off, len - off)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += (size_t)n;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	xasprintf(cause, "%s/%s: %s", f->dir, f->tmp, errno != 0 ?
	    strerror(errno) : _("short write"));
	if (fd != -1)
		close(fd);
	return -1;
}

/* The temporary file renamed to its name, over nothing; dir fsynced. */
static int
export_file_place(struct export_file *f, char **cause)
{
	int	 r;

	r = renameat2(f->dirfd, f->tmp, f->dirfd, f->base, RENAME_NOREPLACE);
	if (r == -1 && (errno == EINVAL || errno == ENOSYS)) {
		/* A file system without the flag: link never replaces. */
		if ((r = linkat(f->dirfd, f->tmp, f->dirfd, f->base, 0)) == 0)
			(void)unlinkat(f->dirfd, f->tmp, 0);
	}
	if (r == -1) {
		xasprintf(cause, "%s/%s: %s", f->dir, f->base,
		    errno == EEXIST ? _("appeared while the export was "
		    "written; it was left alone") : strerror(errno));
		return -1;
	}
	f->tmp[0] = '\0';
	if (fsync(f->dirfd) != 0) {
		xasprintf(cause, _("%s: fsync: %s"), f->dir, strerror(errno));
		return -1;
	}
	return 0;
}

int
core_export_check(const char *path, char **cause)
{
	struct export_file	 f;
	int			 r;

	r = export_file_open(path, &f, cause);
	export_file_close(&f);
	return r;
}

/* The data.export entry for bytes (len) written to f, in the open txn. */
static int
export_record(struct store *s, const struct export_ctx *x,
    const struct export_file *f, const struct core_actor *who,
    struct core_export_result *res, char **cause)
{
	struct store_args	 args = { 0 };
	char			 rows[24], *file;
	int			 r;

	snprintf(rows, sizeof rows, "%zu", x->rows);
	xasprintf(&file, "%s%s%s", f->dir, strcmp(f->dir, "/") == 0 ? "" :
	    "/", f->base);
	store_args_add(&args, "what", x->req->what == CORE_EXPORT_PEOPLE ?
	    "people" : x->req->what == CORE_EXPORT_PRIVILEGED ? "privileged" :
	    "ids");
	store_args_add(&args, "format", x->req->tsv ? "tsv" : "csv");
	store_args_add(&args, "encoding", csv_encoding_name(x->req->enc));
	store_args_add(&args, "rows", rows);
	store_args_add(&args, "file_sha256", res->sha256);
	store_args_add(&args, "file", file);
	r = core_run(s, "data.export", who, &args, &res->entry, cause);
	if (r == 0)
		res->path = file;
	else
		free(file);
	return r;
}

int
core_export(struct store *s, const struct core_config *cfg,
    const struct core_export *req, const struct core_actor *who,
    struct core_export_result *res, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct export_ctx	 x;
	struct export_file	 f;
	char			*out = NULL;
	size_t			 outlen = 0;
	int			 r = -1;

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	x.req = req;
	if (req->enc != CSV_UTF8 && req->enc != CSV_CP932) {
		xasprintf(cause, _("export: the encoding is utf-8 or cp932"));
		return -1;
	}
	if (export_file_open(req->path, &f, cause) != 0)
		goto out;
	/* As core_run does: an epoch key an hour old signs nothing more. */
	if (store_epoch_age(s) >= CORE_ROTATE_SECONDS &&
	    core_rotate(s, &sys, cause) != 0)
		goto out;
	if (core_begin(s, cause) != 0)
		goto out;
	if (export_build(s, cfg, &x, &out, &outlen, cause) != 0 ||
	    export_file_write(&f, out, outlen, cause) != 0)
		goto fail;
	res->rows = x.rows;
	res->bytes = outlen;
	store_sha256_hex(out, outlen, res->sha256);
	if (export_record(s, &x, &f, who, res, cause) != 0 ||
	    core_commit(s, cause) != 0) {
		res->entry = 0;
		free(res->path);
		res->path = NULL;
		goto fail;
	}
	if (export_file_place(&f, cause) == 0)
		r = 0;
	else {
		/* The entry stands; say that the file did not arrive. */
		res->unplaced = 1;
	}
	goto out;
fail:
	core_rollback(s);
out:
	export_file_close(&f);
	free(out);
	free(x.buf);
	return r;
}

void
core_export_result_free(struct core_export_result *res)
{
	if (res == NULL)
		return;
	free(res->path);
	res->path = NULL;
}
