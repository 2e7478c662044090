/*
 * cmd-report.c -- sealed reports an auditor verifies without the
 * database (docs/ledger-format.md section 9):
 *
 *	daicho report stocktake N --out DIR
 *	daicho report inspection FY --out DIR [--user NAME --approver NAME
 *	    [--askpass-fd N]]
 *	daicho verify-report DIR --root-key KEY
 *
 * "report" writes the package into DIR (new, or an empty directory):
 * report.txt, report.csv, entry, proof, and chain/NNNNNNNN.entry and
 * .proof for ledger.init and each ledger.rotate.  Everything is read
 * from the database first, so a refusal writes nothing; each file is
 * written under a temporary name, 0644, synced, then renamed.  The
 * inspection report of a year not sealed yet is sealed first
 * (report.inspection, two-person), after daicho verify's check, whose
 * result is its appendix.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "cli.h"

#define REPORT_PROOF_MAX	(2 * 1024 * 1024)	/* a note is <= 1 MiB */

struct report_opts {
	struct cli_who	 w;
	const char	*out;
	const char	*kind, *key;
};

static int
write_all(int fd, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static ssize_t
read_all(int fd, char *buf, size_t len)
{
	size_t	 got = 0;
	ssize_t	 n;

	while (got < len) {
		if ((n = read(fd, buf + got, len - got)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* DIR may be written: it does not exist, or is an empty directory. */
static int
report_out_ok(const char *dir)
{
	struct dirent	*d;
	DIR		*dp;
	char		*parent, *slash;
	int		 n = 0;

	if ((dp = opendir(dir)) == NULL) {
		if (errno != ENOENT) {
			cli_error("report: %s: %s", dir, strerror(errno));
			return -1;
		}
		/* It will be made: its parent must take it. */
		parent = xstrdup(dir);
		if ((slash = strrchr(parent, '/')) != NULL)
			*(slash == parent ? slash + 1 : slash) = '\0';
		else
			snprintf(parent, strlen(parent) + 1, ".");
		n = access(parent, W_OK | X_OK);
		if (n != 0)
			cli_error("report: %s: %s", parent, strerror(errno));
		free(parent);
		return n != 0 ? -1 : 0;
	}
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
			n++;
	}
	closedir(dp);
	if (n > 0) {
		cli_error(_("report: %s is not empty; give a new directory"),
		    dir);
		return -1;
	}
	return 0;
}

/* name in directory fd: a temporary file, 0644, synced, renamed. */
static int
report_write(int dfd, const char *name, const void *data, size_t len)
{
	char	*tmp;
	int	 fd, r = -1;

	xasprintf(&tmp, ".%s.tmp", name);
	if ((fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1) {
		free(tmp);
		return -1;
	}
	if (fchmod(fd, 0644) == 0 && write_all(fd, data, len) == 0 &&
	    fsync(fd) == 0)
		r = 0;
	if (close(fd) != 0)
		r = -1;
	if (r == 0 && renameat(dfd, tmp, dfd, name) != 0)
		r = -1;
	if (r != 0)
		unlinkat(dfd, tmp, 0);
	free(tmp);
	return r;
}

static int
report_write_chain(int dfd, const struct core_report_pkg *p)
{
	char	 name[48];
	size_t	 i;
	int	 cfd;

	if (mkdirat(dfd, "chain", 0755) != 0 || (cfd = openat(dfd, "chain",
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	for (i = 0; i < p->nchain; i++) {
		snprintf(name, sizeof name, "%08llu.entry",
		    (unsigned long long)p->chain[i].index);
		if (report_write(cfd, name, p->chain[i].entry,
		    p->chain[i].len) != 0)
			break;
		snprintf(name, sizeof name, "%08llu.proof",
		    (unsigned long long)p->chain[i].index);
		if (report_write(cfd, name, p->chain[i].proof,
		    strlen(p->chain[i].proof)) != 0)
			break;
	}
	if (i == p->nchain && fsync(cfd) != 0)
		i = 0;
	close(cfd);
	return i == p->nchain ? 0 : -1;
}

static int
report_write_all(const char *dir, const struct core_report_pkg *p)
{
	int	 dfd, r = -1;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		goto fail;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		goto fail;
	if (report_write(dfd, "report.txt", p->txt, p->txtlen) == 0 &&
	    report_write(dfd, "report.csv", p->csv, p->csvlen) == 0 &&
	    report_write(dfd, "entry", p->entry, p->entrylen) == 0 &&
	    report_write(dfd, "proof", p->proof, strlen(p->proof)) == 0 &&
	    report_write_chain(dfd, p) == 0 && fsync(dfd) == 0)
		r = 0;
	close(dfd);
	if (r == 0)
		return 0;
fail:
	cli_error(_("report: writing %s: %s"), dir, strerror(errno));
	return -1;
}

static int
report_package(struct store *s, const struct report_opts *o)
{
	struct core_report_pkg	 p;
	char			*cause = NULL;

	if (core_report_package(s, o->kind, o->key, &p, &cause) != 0) {
		cli_error("report: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (report_write_all(o->out, &p) != 0) {
		core_report_package_free(&p);
		return CLI_ERROR;
	}
	cli_line(_("%s: the %s report %s, sealed by entry %llu, proved against "
	    "the checkpoint of size %llu, with %zu chain entries"), o->out,
	    o->kind, o->key, (unsigned long long)p.index,
	    (unsigned long long)p.size, p.nchain);
	core_report_package_free(&p);
	return CLI_OK;
}

/* Verify the ledger, authenticate both people, seal the year. */
static int
report_seal(struct store *s, const struct report_opts *o, int fy)
{
	struct store_verify_opts	 vo;
	struct store_verify_result	 vr;
	struct core_actor		 actor = { NULL, NULL };
	char				*cause = NULL;
	uint64_t			 idx;
	int				 r;

	if (o->w.user == NULL || o->w.approver == NULL) {
		cli_error(_("report: the inspection report of %d is not sealed "
		    "yet: sealing it is two-person (--user NAME --approver "
		    "NAME)"), fy);
		return -1;
	}
	memset(&vo, 0, sizeof vo);
	if ((r = store_verify(s, &vo, &vr, &cause)) == -1) {
		cli_error(_("report: verifying the ledger: %s"), cause);
		free(cause);
		return -1;
	}
	if (cli_auth_user(s, o->w.user, o->w.askpass, CORE_ROLE_ADMIN,
	    "report") != 0 || cli_auth_approver(s, "report.inspection", &o->w,
	    &actor.approver) != 0) {
		store_verify_result_free(&vr);
		return -1;
	}
	actor.operator = o->w.user;
	r = core_inspection_seal(s, &actor, fy, &vr, &idx, &cause);
	store_verify_result_free(&vr);
	if (r != 0) {
		cli_error("report: %s", cause);
		free(cause);
		return -1;
	}
	cli_line(_("%s: entry %llu seals the report of %d"),
	    "report.inspection", (unsigned long long)idx, fy);
	return 0;
}

static int
report_parse(int argc, char **argv, struct report_opts *o)
{
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch, r;

	memset(o, 0, sizeof *o);
	o->w.askpass = -1;
	while ((ch = getopt_long(argc, argv, "d:u:a:f:o:", opts,
	    NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &o->w)) == -1)
			return -1;
		if (r == 1)
			continue;
		if (ch != 'o') {
			cli_usage("report");
			return -1;
		}
		o->out = optarg;
	}
	if (argc - optind != 2 || o->out == NULL ||
	    (strcmp(argv[optind], "stocktake") != 0 &&
	    strcmp(argv[optind], "inspection") != 0)) {
		cli_usage("report");
		return -1;
	}
	o->kind = argv[optind];
	o->key = argv[optind + 1];
	return 0;
}

/* daicho report stocktake N | inspection FY --out DIR */
int
cmd_report(int argc, char **argv)
{
	struct report_opts	 o;
	struct core_report	 r;
	struct store		*s;
	long long		 n;
	char			*cause = NULL;
	int			 c, ret = CLI_ERROR;

	if (report_parse(argc, argv, &o) != 0)
		return CLI_ERROR;
	if (cli_number(o.kind, o.key, strcmp(o.kind, "inspection") == 0 ?
	    2000 : 1, strcmp(o.kind, "inspection") == 0 ? 9998 : INT64_MAX,
	    &n) != 0 || report_out_ok(o.out) != 0)
		return CLI_ERROR;
	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL)
		goto fail;
	if ((c = core_report_find(s, o.kind, o.key, &r, &cause)) == -1)
		goto fail;
	if (strcmp(o.kind, "inspection") == 0 && (c == 1 ||
	    r.removed_idx != 0)) {
		store_close(s);
		if ((s = store_open(cli_dir(), 0, &cause)) == NULL)
			goto fail;
		if (report_seal(s, &o, (int)n) != 0)
			goto out;
	}
	ret = report_package(s, &o);
	goto out;
fail:
	cli_error("report: %s", cause);
	free(cause);
out:
	store_close(s);
	return ret;
}

/* The package as read from DIR; its buffers and names are owned. */
struct rpkg {
	struct store_report_pkg	 p;
	struct store_report_link *chain;
	char			*bufs[4];	/* entry and proof */
	char			 sha[2][STORE_HASH_HEX];	/* txt, csv */
	char			**owned;	/* the chain's names and files */
	size_t			 nowned;
};

static char *
rp_own(struct rpkg *k, char *p)
{
	k->owned = xreallocarray(k->owned, k->nowned + 1, sizeof *k->owned);
	return k->owned[k->nowned++] = p;
}

/*
 * Open the regular file name under dfd (shown as shown) of at most max
 * bytes: 0 with *fd and its size; 1 when it is missing or not such a
 * file; -1 on other errors; both with *cause.
 */
static int
rp_open(int dfd, const char *name, const char *shown, uint64_t max, int *fd,
    uint64_t *size, char **cause)
{
	struct stat	 st;
	int		 r;

	if ((*fd = openat(dfd, name, O_RDONLY | O_CLOEXEC)) == -1) {
		/* gettext may change errno: the answer is taken first. */
		r = errno == ENOENT ? 1 : -1;
		if (r == 1)
			xasprintf(cause, _("%s: missing"), shown);
		else
			xasprintf(cause, "%s: %s", shown, strerror(errno));
		return r;
	}
	if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > max) {
		xasprintf(cause, _("%s: not a file of at most %zu bytes"),
		    shown, (size_t)max);
		close(*fd);
		*fd = -1;
		return 1;
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

/*
 * File name under dfd (shown as shown), at most max bytes, into *data.
 * As rp_open: 0, 1 when missing or not such a file, -1, with *cause.
 */
static int
rp_read(int dfd, const char *name, const char *shown, size_t max,
    char **data, size_t *len, char **cause)
{
	uint64_t	 size;
	ssize_t		 n;
	int		 fd, r;

	*data = NULL;
	if ((r = rp_open(dfd, name, shown, max, &fd, &size, cause)) != 0)
		return r;
	*data = xmalloc((size_t)size + 1);
	n = read_all(fd, *data, (size_t)size);
	close(fd);
	if (n != (ssize_t)size) {
		xasprintf(cause, _("%s: cannot read it"), shown);
		free(*data);
		*data = NULL;
		return -1;
	}
	(*data)[size] = '\0';
	*len = (size_t)size;
	return 0;
}

/*
 * report.txt or report.csv: not read whole but streamed through SHA-256
 * (a city's review list is hundreds of megabytes), into sha.  As
 * rp_read: 0, 1 when missing or not a file, -1 with *cause.
 */
static int
rp_hash(int dfd, const char *name, char *sha, char **cause)
{
	uint64_t	 size, len;
	int		 fd, r;

	if ((r = rp_open(dfd, name, name, STORE_BLOB_MAX, &fd, &size,
	    cause)) != 0)
		return r;
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	r = store_sha256_fd(fd, STORE_BLOB_MAX, sha, &len);
	if (r != 0)
		xasprintf(cause, _("%s: cannot read it: %s"), name,
		    errno == EFBIG ? _("it grew past its limit") :
		    strerror(errno));
	close(fd);
	return r;
}

/* A chain file name: digits, then .entry or .proof; its number. */
static int
rp_chain_name(const char *name, uint64_t *index, int *proof)
{
	const char	*dot = strchr(name, '.'), *errstr;
	long long	 v;
	char		 num[24];

	if (dot == NULL || dot == name || (size_t)(dot - name) >= sizeof num ||
	    strspn(name, "0123456789") != (size_t)(dot - name) ||
	    (strcmp(dot, ".entry") != 0 && strcmp(dot, ".proof") != 0))
		return -1;
	memcpy(num, name, (size_t)(dot - name));
	num[dot - name] = '\0';
	while (num[0] == '0' && num[1] != '\0')
		memmove(num, num + 1, strlen(num));
	if (number_parse(num, 0, INT64_MAX, &v, &errstr) != 0)
		return -1;
	*index = (uint64_t)v;
	*proof = strcmp(dot, ".proof") == 0;
	return 0;
}

static int
rp_link_cmp(const void *a, const void *b)
{
	const struct store_report_link *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* One name of chain/ into its link (made when new). */
static int
rp_chain_add(struct rpkg *k, const char *name, char **cause)
{
	struct store_report_link	*l = NULL;
	uint64_t			 idx;
	size_t				 i;
	int				 proof;
	char				*base;

	if (rp_chain_name(name, &idx, &proof) != 0) {
		xasprintf(cause, _("chain/%s: not a chain file (NNNNNNNN.entry "
		    "or NNNNNNNN.proof)"), name);
		return 1;
	}
	for (i = 0; i < k->p.nchain; i++) {
		if (k->chain[i].index == idx)
			l = &k->chain[i];
	}
	if (l == NULL) {
		k->chain = xreallocarray(k->chain, k->p.nchain + 1,
		    sizeof *k->chain);
		l = &k->chain[k->p.nchain++];
		memset(l, 0, sizeof *l);
		l->index = idx;
		xasprintf(&base, "chain/%.*s", (int)(strchr(name, '.') - name),
		    name);
		l->name = rp_own(k, base);
	}
	/* Mark which halves were seen; read later. */
	if ((proof ? l->prooflen : l->entrylen) != 0) {
		xasprintf(cause, _("chain/%s: a second file for entry %llu"),
		    name, (unsigned long long)idx);
		return 1;
	}
	if (proof)
		l->prooflen = 1;
	else
		l->entrylen = 1;
	return 0;
}

/* Read both files of every link; 0, 1 (said in *cause), -1. */
static int
rp_chain_read(struct rpkg *k, int cfd, char **cause)
{
	struct store_report_link	*l;
	char				*name, *data;
	size_t				 i, len;
	int				 r, half;

	qsort(k->chain, k->p.nchain, sizeof *k->chain, rp_link_cmp);
	for (i = 0; i < k->p.nchain; i++) {
		l = &k->chain[i];
		for (half = 0; half < 2; half++) {
			if ((half ? l->prooflen : l->entrylen) == 0) {
				xasprintf(cause, _("%s.%s: missing"), l->name,
				    half ? "proof" : "entry");
				return 1;
			}
			xasprintf(&name, "%s.%s", l->name, half ? "proof" :
			    "entry");
			r = rp_read(cfd, name + 6, name, half ?
			    REPORT_PROOF_MAX : STORE_ENTRY_MAX, &data, &len,
			    cause);
			free(name);
			if (r != 0)
				return r;
			rp_own(k, data);
			if (half) {
				l->proof = data;
				l->prooflen = len;
			} else {
				l->entry = (uint8_t *)data;
				l->entrylen = len;
			}
		}
	}
	return 0;
}

static int
rp_chain(struct rpkg *k, int dfd, char **cause)
{
	struct dirent	*d;
	DIR		*dp;
	int		 cfd, r = 0;

	if ((cfd = openat(dfd, "chain", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1 || (dp = fdopendir(cfd)) == NULL) {
		if (cfd != -1)
			close(cfd);
		xasprintf(cause, "chain/: %s", strerror(errno));
		return errno == ENOENT || errno == ENOTDIR ? 1 : -1;
	}
	while (r == 0 && (d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
			r = rp_chain_add(k, d->d_name, cause);
	}
	if (r == 0)
		r = rp_chain_read(k, dirfd(dp), cause);
	closedir(dp);
	return r;
}

static void
rp_free(struct rpkg *k)
{
	size_t	 i;

	for (i = 0; i < 4; i++)
		free(k->bufs[i]);
	for (i = 0; i < k->nowned; i++)
		free(k->owned[i]);
	free(k->owned);
	free(k->chain);
}

/* Every file of the package at dir; 0, or 1 when one is missing or
 * bad, -1 on errors, both with *cause. */
static int
rp_load(const char *dir, struct rpkg *k, char **cause)
{
	static const char *const names[] = { "report.txt", "report.csv",
	    "entry", "proof" };
	static const size_t max[] = { STORE_BLOB_MAX, STORE_BLOB_MAX,
	    STORE_ENTRY_MAX, REPORT_PROOF_MAX };
	size_t		 len[4];
	int		 dfd, i, r = 0;

	memset(k, 0, sizeof *k);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < 2 && r == 0; i++)
		r = rp_hash(dfd, names[i], k->sha[i], cause);
	for (i = 2; i < 4 && r == 0; i++)
		r = rp_read(dfd, names[i], names[i], max[i], &k->bufs[i],
		    &len[i], cause);
	if (r == 0)
		r = rp_chain(k, dfd, cause);
	close(dfd);
	if (r != 0)
		return r;
	k->p.txtsha = k->sha[0];
	k->p.csvsha = k->sha[1];
	k->p.entry = (const uint8_t *)k->bufs[2];
	k->p.entrylen = len[2];
	k->p.proof = k->bufs[3];
	k->p.prooflen = len[3];
	k->p.chain = k->chain;
	return 0;
}

/* daicho verify-report DIR --root-key KEY */
int
cmd_verify_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root-key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_report_result	 res;
	struct rpkg			 k;
	const char			*vkey = NULL, *dir;
	char				*cause = NULL;
	int				 ch, r;

	while ((ch = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (ch != 'k')
			return cli_usage("verify-report");
		vkey = optarg;
	}
	if (optind + 1 != argc || vkey == NULL)
		return cli_usage("verify-report");
	dir = argv[optind];
	if ((r = rp_load(dir, &k, &cause)) == 0)
		r = store_report_check(&k.p, vkey, &res, &cause);
	else if (r == -1) {
		cli_error("verify-report: %s", cause);
		free(cause);
		rp_free(&k);
		return CLI_ERROR;
	}
	rp_free(&k);
	if (r == -1) {
		cli_error(_("verify-report: --root-key: %s"), cause);
		free(cause);
		return CLI_ERROR;
	}
	if (r == 1) {
		cli_line(_("report %s: NOT VALID"), dir);
		cli_line(_("  problem: %s"), cause);
		free(cause);
		return CLI_BAD;
	}
	cli_line(_("report %s: valid"), dir);
	cli_line(_("  sealed by entry %llu (%s), in the checkpoint of size %llu "
	    "signed by epoch %llu's key, chain of %llu keys from the root key"),
	    (unsigned long long)res.index, res.action,
	    (unsigned long long)res.size,
	    (unsigned long long)(res.epochs - 1),
	    (unsigned long long)res.epochs);
	return CLI_OK;
}
