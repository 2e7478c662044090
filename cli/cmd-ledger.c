/*
 * cmd-ledger.c -- the read-only ledger commands (and backup): status,
 * verify, checkpoint export, keys, entry, prove, log.  None of them opens
 * the database for writing or loads a secret key.
 *
 * Everything they show comes from a file someone could have edited, so
 * people's output goes through cli_line and programs' through cli_exact
 * (cli/daicho.c): a value never reaches a terminal as a control.
 */
#include "config.h"

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

#define NOTE_FILE_MAX	(1 << 20)

static struct store *
open_ro(const char *cmd)
{
	struct store	*s;
	char		*cause = NULL;

	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("%s: %s", cmd, cause);
		free(cause);
	}
	return s;
}

/*
 * Options of the form --dir DIR plus the command's own; returns the
 * option character, -1 at the end, '?' for a usage error.
 */
static int
next_opt(int argc, char **argv, const char *shortopts,
    const struct option *opts)
{
	int	 ch;

	while ((ch = getopt_long(argc, argv, shortopts, opts, NULL)) == 'd')
		cli_set_dir(optarg);
	return ch;
}

/*
 * The labels of daicho status, in the reader's language: the values line
 * up after the widest (by display width) of them.
 */
enum { ST_LEDGER, ST_DIR, ST_ENTRIES, ST_CHECKPOINT, ST_EPOCH, ST_ROOT,
    ST_OPERATORS, ST_PEOPLE, ST_N };
static const char *const status_labels[ST_N] = {
	N_("ledger"), N_("directory"), N_("entries"), N_("checkpoint"),
	N_("epoch"), N_("root key"), N_("operators"), N_("people"),
};

/*
 * One line of daicho status: label i padded to width columns, then the
 * value; with --format tsv (width -1), the fixed English key and the bare
 * value instead, for scripts.
 */
static void
status_line(int width, const char *key, int i, const char *value)
{
	const char	*f[2], *label = _(status_labels[i]);

	if (width < 0) {
		f[0] = key;
		f[1] = value;
		cli_row(f, 2);
	} else
		cli_line("%-*s %s", cli_pad(label, width), label, value);
}

int
cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct store	*s;
	struct store_epoch *ep = NULL;
	size_t		 nep = 0;
	struct core_counts c;
	uint64_t	 size, csize;
	char		 ctime[32], when[WHEN_MAX], *cause = NULL, v[160];
	long long	 ops;
	int		 ret = CLI_ERROR, tsv = 0, ch, w = 11, i;

	while ((ch = next_opt(argc, argv, "d:F:", opts)) != -1) {
		if (ch != 'F' || (strcmp(optarg, "text") != 0 &&
		    strcmp(optarg, "tsv") != 0))
			return cli_usage("status");
		tsv = strcmp(optarg, "tsv") == 0;
	}
	if (optind != argc)
		return cli_usage("status");
	if ((s = open_ro("status")) == NULL)
		return CLI_ERROR;
	if (store_ledger_size(s, &size, &cause) != 0 ||
	    store_checkpoint_latest(s, &csize, ctime, sizeof ctime,
	    &cause) != 0 ||
	    store_epochs(s, &ep, &nep, &cause) != 0 ||
	    core_counts(s, &c, &cause) != 0) {
		cli_error("status: %s", cause);
		free(cause);
		goto out;
	}
	ops = (long long)(c.admins + c.approvers + c.auditors);
	for (i = 0; i < ST_N; i++) {
		if (cli_width(_(status_labels[i])) > w)
			w = cli_width(_(status_labels[i]));
	}
	if (tsv)
		w = -1;
	status_line(w, "ledger", ST_LEDGER, store_ledger_origin(s));
	status_line(w, "directory", ST_DIR, cli_dir());
	snprintf(v, sizeof v, "%llu", (unsigned long long)size);
	status_line(w, "entries", ST_ENTRIES, v);
	if (tsv) {
		snprintf(v, sizeof v, "%llu", (unsigned long long)csize);
		status_line(w, "checkpoint_size", ST_CHECKPOINT, v);
		/* As the store keeps it: UTC, ISO 8601, or empty. */
		status_line(w, "checkpoint_signed", ST_CHECKPOINT, ctime);
	} else {
		when_local_utc(ctime, WHEN_SECONDS, when, sizeof when);
		if (when[0] != '\0')
			snprintf(v, sizeof v, _("size %llu, signed %s"),
			    (unsigned long long)csize, when);
		else
			snprintf(v, sizeof v, _("size %llu, never signed"),
			    (unsigned long long)csize);
		status_line(w, NULL, ST_CHECKPOINT, v);
	}
	if (nep > 0 && tsv) {
		snprintf(v, sizeof v, "%llu",
		    (unsigned long long)ep[nep - 1].epoch);
		status_line(w, "epoch", ST_EPOCH, v);
		snprintf(v, sizeof v, "%llu",
		    (unsigned long long)ep[nep - 1].first);
		status_line(w, "epoch_first_entry", ST_EPOCH, v);
	} else if (nep > 0) {
		snprintf(v, sizeof v, _("%llu (since entry %llu)"),
		    (unsigned long long)ep[nep - 1].epoch,
		    (unsigned long long)ep[nep - 1].first);
		status_line(w, NULL, ST_EPOCH, v);
	}
	if (nep > 0)
		status_line(w, "root_key", ST_ROOT, ep[0].vkey);
	if (tsv)
		snprintf(v, sizeof v, "%lld", ops);
	else
		snprintf(v, sizeof v, ngettext("%lld active", "%lld active",
		    PLURAL(ops)), ops);
	status_line(w, "operators_active", ST_OPERATORS, v);
	snprintf(v, sizeof v, "%lld", (long long)c.people);
	status_line(w, "people", ST_PEOPLE, v);
	ret = CLI_OK;
out:
	store_epochs_free(ep, nep);
	store_close(s);
	return ret;
}

/* Read a small file whole; caller frees.  NULL after printing why. */
static char *
read_note_file(const char *path, size_t *len)
{
	char	*buf;
	ssize_t	 n;
	size_t	 off = 0;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		cli_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(NOTE_FILE_MAX + 1);
	while ((n = read(fd, buf + off, NOTE_FILE_MAX - off)) > 0)
		off += (size_t)n;
	close(fd);
	if (n < 0 || off == NOTE_FILE_MAX) {
		cli_error("%s: %s", path, n < 0 ? strerror(errno) :
		    _("larger than a checkpoint can be"));
		free(buf);
		return NULL;
	}
	buf[off] = '\0';
	*len = off;
	return buf;
}

static void
verify_report(void *arg, const char *line)
{
	int	*n = arg;

	if ((*n)++ < 20)
		cli_line(_("  replay: %s"), line);
}

static void
verify_progress(void *arg, uint64_t done, uint64_t total)
{
	(void)arg;
	if (isatty(STDERR_FILENO)) {
		fputc('\r', stderr);
		fprintf(stderr, _("verifying %llu/%llu"),
		    (unsigned long long)done, (unsigned long long)total);
	}
	if (done == total && isatty(STDERR_FILENO))
		fputc('\n', stderr);
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "replay", no_argument, NULL, 'r' },
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "root-key", required_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_verify_opts	 vo = { 0 };
	struct store_verify_result	 res;
	struct store			*s;
	char				*note = NULL, *cause = NULL;
	int				 ch, replay = 0, quiet = 0, r, n = 0;

	while ((ch = next_opt(argc, argv, "d:rc:k:q", opts)) != -1) {
		switch (ch) {
		case 'r':
			replay = 1;
			break;
		case 'c':
			free(note);
			if ((note = read_note_file(optarg,
			    &vo.checkpointlen)) == NULL)
				return CLI_ERROR;
			vo.checkpoint = note;
			break;
		case 'k':
			vo.root_vkey = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			free(note);
			return cli_usage("verify");
		}
	}
	if (optind != argc) {
		free(note);
		return cli_usage("verify");
	}
	if ((s = open_ro("verify")) == NULL) {
		free(note);
		return CLI_ERROR;
	}
	if (!quiet)
		vo.progress = verify_progress;
	r = store_verify(s, &vo, &res, &cause);
	free(note);
	if (r == -1) {
		cli_error("verify: %s", cause);
		free(cause);
		store_close(s);
		return CLI_ERROR;
	}
	if (r == 1) {
		cli_line(_("ledger %s: NOT INTACT"), cli_dir());
		if (res.bad_index >= 0)
			cli_line(_("  first bad entry: %lld"),
			    (long long)res.bad_index);
		cli_line(_("  problem: %s"), res.problem);
		store_verify_result_free(&res);
		store_close(s);
		return CLI_BAD;
	}
	cli_line(_("ledger %s: intact"), cli_dir());
	cli_line(_("  entries %llu, epochs %llu, latest checkpoint at size %llu"),
	    (unsigned long long)res.entries, (unsigned long long)res.epochs,
	    (unsigned long long)res.checkpoint_size);
	cli_line(_("  root key %s"), res.root_vkey);
	cli_line(_("  epoch checked against %s"), _(res.key_evidence));
	if (vo.checkpoint != NULL)
		cli_line(_("  extends the checkpoint held outside"));
	store_verify_result_free(&res);
	if (replay) {
		r = core_replay(s, verify_report, &n, &cause);
		if (r == -1) {
			cli_line(_("  replay: FAILED: %s"), cause);
			free(cause);
			store_close(s);
			return CLI_BAD;
		}
		if (r > 0) {
			cli_line(ngettext("  replay: %d state row differs from "
			    "what the ledger says: NOT INTACT", "  replay: %d "
			    "state rows differ from what the ledger says: NOT "
			    "INTACT", PLURAL(r)), r);
			store_close(s);
			return CLI_BAD;
		}
		cli_line(_("  replay: the state tables match the ledger"));
	}
	store_close(s);
	return CLI_OK;
}

int
cmd_checkpoint(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct store	*s;
	char		*note, *cause = NULL;
	FILE		*f = stdout;
	int		 fd, r = 0;

	if (next_opt(argc, argv, "d:", opts) != -1)
		return cli_usage("checkpoint");
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2 || strcmp(argv[0], "export") != 0)
		return cli_usage("checkpoint");
	if ((s = open_ro("checkpoint")) == NULL)
		return CLI_ERROR;
	if ((note = store_checkpoint_get(s, 0, &cause)) == NULL) {
		cli_error("checkpoint: %s", cause);
		free(cause);
		store_close(s);
		return CLI_ERROR;
	}
	store_close(s);
	if (argc == 2) {
		fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0644);
		if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
			cli_error("%s: %s", argv[1], strerror(errno));
			free(note);
			return CLI_ERROR;
		}
	}
	/* A file gets the note's exact bytes; standard output, cli_exact's. */
	if (f == stdout)
		r = cli_exact(note, strlen(note));
	else if (fputs(note, f) == EOF)
		r = -1;
	free(note);
	if (r != 0 || (f != stdout && fclose(f) != 0)) {
		cli_error(_("writing the checkpoint: %s"), strerror(errno));
		return CLI_ERROR;
	}
	return CLI_OK;
}

int
cmd_keys(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct store		*s;
	struct store_epoch	*ep;
	size_t			 n, i;
	char			*cause = NULL, *vkey;

	if (next_opt(argc, argv, "d:", opts) != -1 || optind != argc)
		return cli_usage("keys");
	if ((s = open_ro("keys")) == NULL)
		return CLI_ERROR;
	if (store_epochs(s, &ep, &n, &cause) != 0) {
		cli_error("keys: %s", cause);
		free(cause);
		store_close(s);
		return CLI_ERROR;
	}
	/*
	 * Tab-separated for programs; a key is base64, so escaping it
	 * changes nothing unless the epoch table was edited.
	 */
	for (i = 0; i < n; i++) {
		vkey = vis_str(ep[i].vkey, 0);
		printf("%llu\t%llu\t%s\n", (unsigned long long)ep[i].epoch,
		    (unsigned long long)ep[i].first, vkey);
		free(vkey);
	}
	store_epochs_free(ep, n);
	store_close(s);
	return CLI_OK;
}

/* One positional entry index. */
static int
index_arg(const char *cmd, const char *s, uint64_t *out)
{
	long long	 v;

	if (cli_number("entry index", s, 0, INT64_MAX, &v) != 0) {
		cli_usage(cmd);
		return -1;
	}
	*out = (uint64_t)v;
	return 0;
}

int
cmd_entry(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct store	*s;
	uint8_t		*bytes;
	size_t		 len;
	uint64_t	 idx;
	char		*cause = NULL;
	int		 r;

	if (next_opt(argc, argv, "d:", opts) != -1 || optind + 1 != argc)
		return cli_usage("entry");
	if (index_arg("entry", argv[optind], &idx) != 0)
		return CLI_ERROR;
	if ((s = open_ro("entry")) == NULL)
		return CLI_ERROR;
	r = store_ledger_get(s, idx, &bytes, &len, &cause);
	store_close(s);
	if (r != 0) {
		if (r == 1)
			cli_error(_("entry: no entry %llu"),
			    (unsigned long long)idx);
		else
			cli_error("entry: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (cli_exact(bytes, len) != 0) {
		free(bytes);
		cli_error("entry: %s", strerror(errno));
		return CLI_ERROR;
	}
	free(bytes);
	return CLI_OK;
}

int
cmd_prove(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct store	*s;
	uint64_t	 idx, size = 0;
	long long	 v;
	char		*proof, *cause = NULL;
	int		 ch, r;

	while ((ch = next_opt(argc, argv, "d:s:", opts)) != -1) {
		if (ch != 's')
			return cli_usage("prove");
		if (cli_number("--size", optarg, 1, INT64_MAX, &v) != 0)
			return CLI_ERROR;
		size = (uint64_t)v;
	}
	if (optind + 1 != argc)
		return cli_usage("prove");
	if (index_arg("prove", argv[optind], &idx) != 0)
		return CLI_ERROR;
	if ((s = open_ro("prove")) == NULL)
		return CLI_ERROR;
	proof = store_ledger_prove(s, idx, size, &cause);
	store_close(s);
	if (proof == NULL) {
		cli_error("prove: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	r = cli_exact(proof, strlen(proof));
	free(proof);
	if (r != 0) {
		cli_error("prove: %s", strerror(errno));
		return CLI_ERROR;
	}
	return CLI_OK;
}

/*
 * daicho verify-proof PROOF --entry FILE --key KEY: an auditor's check of
 * one entry without the ledger.  PROOF is what "prove" wrote, FILE the
 * entry's exact bytes ("entry N"), KEY the verifier key of the epoch that
 * signed the proof's checkpoint ("keys"; the root key for epoch 0).
 */
int
cmd_verify_proof(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "entry", required_argument, NULL, 'e' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*entryfile = NULL, *vkey = NULL;
	char		*proof, *entry = NULL, *cause = NULL;
	size_t		 plen, elen = 0;
	uint64_t	 idx, size;
	int		 ch, r = CLI_ERROR;

	while ((ch = next_opt(argc, argv, "e:k:", opts)) != -1) {
		if (ch == 'e')
			entryfile = optarg;
		else if (ch == 'k')
			vkey = optarg;
		else
			return cli_usage("verify-proof");
	}
	if (optind + 1 != argc || entryfile == NULL || vkey == NULL)
		return cli_usage("verify-proof");
	if ((proof = read_note_file(argv[optind], &plen)) == NULL)
		return CLI_ERROR;
	if ((entry = read_note_file(entryfile, &elen)) == NULL)
		goto out;
	if (store_proof_check(proof, plen, vkey, (const uint8_t *)entry, elen,
	    &idx, &size, &cause) != 0) {
		cli_line(_("proof NOT VALID: %s"), cause);
		free(cause);
		r = CLI_BAD;
		goto out;
	}
	cli_line(_("proof valid: %s is entry %llu of the ledger whose checkpoint "
	    "of size %llu that key signed"), entryfile, (unsigned long long)idx,
	    (unsigned long long)size);
	r = CLI_OK;
out:
	free(entry);
	free(proof);
	return r;
}

struct log_state {
	uint64_t	 from;			/* where the reader starts */
	uint64_t	 limit;
	uint64_t	 shown;
};

static int
log_entry(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
	struct log_state	*ls = arg;
	struct store_entry	*e;
	char			*cause = NULL, when[WHEN_MAX];
	size_t			 i;

	if (ls->shown++ == ls->limit)
		return 1;
	if ((e = store_entry_parse(bytes, len, &cause)) == NULL) {
		cli_line(_("%-7llu (unreadable: %s)"), (unsigned long long)index,
		    cause);
		free(cause);
		return 0;
	}
	/* One word, in the local zone: scripts split these lines. */
	when_local_utc(e->time, WHEN_ISO, when, sizeof when);
	cli_line("%-7llu %s  %-16s %s%s%s  %s", (unsigned long long)index,
	    when, e->action, e->operator, e->approver ? "+" : "",
	    e->approver ? e->approver : "", e->subject);
	for (i = 0; i < e->args.n; i++) {
		/* Keys are long; the full text is one "daicho entry" away. */
		cli_line("        %s=%s", e->args.v[i].name, e->args.v[i].value);
	}
	store_entry_free(e);
	return 0;
}

int
cmd_log(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "from", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'l' },
		{ "lines", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct log_state	 ls = { 0, UINT64_MAX, 0 };
	uint64_t		 newest = 0, size;
	int			 ranged = 0;
	struct store		*s;
	struct store_reader	*rd;
	const uint8_t		*bytes;
	size_t			 len;
	uint64_t		 idx;
	char			*cause = NULL;
	long long		 v;
	int			 ch, r;

	while ((ch = next_opt(argc, argv, "d:f:l:n:", opts)) != -1) {
		switch (ch) {
		case 'f':
			if (cli_number("--from", optarg, 0, INT64_MAX, &v) != 0)
				return CLI_ERROR;
			ls.from = (uint64_t)v;
			ranged = 1;
			break;
		case 'l':
			if (cli_number("--limit", optarg, 0, INT64_MAX,
			    &v) != 0)
				return CLI_ERROR;
			ls.limit = (uint64_t)v;
			ranged = 1;
			break;
		case 'n':
			if (cli_number("--lines", optarg, 1, INT64_MAX,
			    &v) != 0)
				return CLI_ERROR;
			newest = (uint64_t)v;
			break;
		default:
			return cli_usage("log");
		}
	}
	if (optind != argc || (newest != 0 && ranged))
		return cli_usage("log");
	if ((s = open_ro("log")) == NULL)
		return CLI_ERROR;
	/* -n N: the newest N, oldest first, as journalctl -n shows them. */
	if (newest != 0) {
		if (store_ledger_size(s, &size, &cause) != 0) {
			store_close(s);
			cli_error("log: %s", cause);
			free(cause);
			return CLI_ERROR;
		}
		ls.from = size > newest ? size - newest : 0;
		ls.limit = newest;
	}
	/* Start reading at --from: a big ledger is not walked from 0. */
	if ((rd = store_reader_open(s, ls.from, &cause)) == NULL)
		r = -1;
	else {
		while ((r = store_reader_next(rd, &idx, &bytes, &len,
		    &cause)) == 1 && log_entry(&ls, idx, bytes, len) == 0)
			;
		store_reader_close(rd);
	}
	store_close(s);
	if (r < 0) {
		cli_error("log: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	return CLI_OK;
}

int
cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct store	*s;
	char		*cause = NULL;

	if (next_opt(argc, argv, "d:", opts) != -1 || optind + 1 != argc)
		return cli_usage("backup");
	if ((s = open_ro("backup")) == NULL)
		return CLI_ERROR;
	if (store_backup(s, argv[optind], &cause) != 0) {
		cli_error("backup: %s", cause);
		free(cause);
		store_close(s);
		return CLI_ERROR;
	}
	store_close(s);
	cli_line(_("backed up %s to %s; check it with: daicho verify --dir %s"),
	    cli_dir(), argv[optind], argv[optind]);
	return CLI_OK;
}

static void
reconcile_print(void *arg, const struct core_drift *d)
{
	(void)arg;
	cli_line("%-12s %-32s %s", d->system, d->login, _(d->what));
	cli_line(_("             remedy: %s"), _(d->remedy));
	if (d->exception != 0)
		cli_line(_("             covered by exception %lld"),
		    d->exception);
}

/*
 * daicho reconcile SYSTEM: exit 0 when the system agrees, or every
 * difference is covered by an exception in force (listed all the same,
 * as the findings list them); 1 when not.
 */
int
cmd_reconcile(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct store	*s;
	char		*cause = NULL;
	size_t		 n, covered;

	if (next_opt(argc, argv, "d:", opts) != -1 || optind + 1 != argc)
		return cli_usage("reconcile");
	if ((s = open_ro("reconcile")) == NULL)
		return CLI_ERROR;
	if (core_reconcile(s, argv[optind], reconcile_print, NULL, &n,
	    &covered, &cause) != 0) {
		cli_error("reconcile: %s", cause);
		free(cause);
		store_close(s);
		return CLI_ERROR;
	}
	store_close(s);
	cli_line(_("%s: %zu difference%s"), argv[optind], n, n == 1 ? "" : "s");
	if (covered > 0)
		cli_line(ngettext("%zu of them covered by an exception in "
		    "force", "%zu of them covered by exceptions in force",
		    PLURAL(covered)), covered);
	return n == covered ? CLI_OK : CLI_BAD;
}
