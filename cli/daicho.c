/*
 * daicho.c -- main() and the table of subcommands.
 *
 * "daicho COMMAND [options]" runs one subcommand for scripts and timers.
 * Every command takes --dir DIR (default /var/lib/daicho), before or
 * after its name.  Exit status: 0 done, 1 the ledger is not intact
 * (verify), 2 usage or I/O errors and refused requests.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <getopt.h>
#include <libintl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "common.h"
#include "core.h"
#include "cli.h"

const struct cli_cmd cli_cmds[] = {
	{ "init", "init [--dir DIR] [--operator NAME [--askpass-fd N]]",
	    N_("make a new data directory, root key and ledger"), cmd_init },
	{ "status", "status [--format text|tsv]",
	    N_("the ledger's size, epoch and latest checkpoint"), cmd_status },
	{ "verify", "verify [--replay] [--checkpoint FILE] [--root-key KEY]",
	    N_("check the ledger; exit 1 naming the first bad entry"),
	    cmd_verify },
	{ "checkpoint", "checkpoint export [FILE]",
	    N_("write the latest signed checkpoint note"), cmd_checkpoint },
	{ "keys", "keys",
	    N_("every epoch: number, first entry, verifier key"), cmd_keys },
	{ "entry", "entry N", N_("the exact bytes of entry N"), cmd_entry },
	{ "prove", "prove N [--size M]",
	    N_("a C2SP tlog-proof of entry N"), cmd_prove },
	{ "verify-proof", "verify-proof PROOF --entry FILE --key KEY",
	    N_("check one entry's tlog-proof without the ledger"),
	    cmd_verify_proof },
	{ "log", "log [--from N] [--limit K] | log -n N",
	    N_("entries, human-readable; -n: the newest N"), cmd_log },
	{ "backup", "backup DEST",
	    N_("an online copy that verifies on its own"), cmd_backup },
	{ "rotate", "rotate | rotate SYSTEM LOGIN --user NAME --approver NAME",
	    N_("start a new epoch key now (as the system); with an ID, change a "
	    "privileged password, shown once to the approver"), cmd_rotate_any },
	{ "operator", "operator add NAME ROLE | remove NAME | role NAME ROLE "
	    "--user NAME [--approver NAME] [--askpass-fd N]",
	    N_("manage console operators (PAM; two-person)"), cmd_operator },
	{ "act", "act ACTION [NAME=VALUE ...] --user NAME [--approver NAME] "
	    "[--askpass-fd N]", N_("run an action (id.create, id.lock, "
	    "system.add, ...) as an operator"), cmd_act },
	{ "lockout", "lockout --scope person:N|department:D|system:S|"
	    "contractors|all --user NAME [--reason TEXT] [--end-sessions] "
	    "[--yes]",
	    N_("emergency lockout without the console"), cmd_lockout },
	{ "incident", "incident list | show N",
	    N_("emergency lockouts; show: every ID taken, its prior state"),
	    cmd_incident },
	{ "reconcile", "reconcile SYSTEM [LOGIN lock|adopt|remove "
	    "[NAME=VALUE ...] --user NAME [--askpass-fd N] [--yes]]",
	    N_("accounts on a system against the ledger; exit 1 on differences; "
	    "with a finding, act on it after a preview"), cmd_reconcile_any },
	{ "import", "import personnel FILE [--encoding auto|cp932|utf-8] "
	    "[--as-of YYYY-MM-DD] [--dry-run] --user NAME [--approver NAME] "
	    "[--askpass-fd N]", N_("the HR system's export: check every row, "
	    "then record the people and their events"), cmd_import },
	{ "events", "events [list] [--format text|tsv] | events plan N | "
	    "events apply N --user NAME [--approver NAME] [--askpass-fd N]",
	    N_("joiners, movers, leavers, leaves and returns the imports found; "
	    "an event's plan, shown or carried out"), cmd_events },
	{ "sweep", "sweep",
	    N_("as the system, what time brings: IDs past their end date "
	    "expired and locked, the HR events whose day has come, leavers' "
	    "IDs revoked after the grace period"), cmd_sweep },
	{ "findings", "findings [--format text|tsv|json] [--rule RULE ...] "
	    "[--subject S ...] | findings remedy RULE REMEDY [--subject S ...] "
	    "[NAME=VALUE ...] --user NAME [--approver NAME] [--askpass-fd N] "
	    "[--yes]", N_("the ledger against the HR records and the systems; "
	    "exit 1 when there are findings; remedy: act on many after a "
	    "preview"), cmd_findings },
	{ "export", "export people|ids FILE --format csv|tsv [--encoding "
	    "utf-8|cp932] --user NAME --approver NAME [--askpass-fd N]",
	    N_("bulk personal data to a new file: two-person, the entry records "
	    "the rows and the file's SHA-256"), cmd_export },
	{ "priv", "priv request SYSTEM LOGIN MINUTES --reason TEXT | approve "
	    "N | reject N --reason TEXT | end N [--reason TEXT] --user NAME "
	    "[--askpass-fd N] | priv list [--format text|tsv] | priv holders",
	    N_("privileged IDs with time limits: ask, approve (another person, "
	    "as --user), reject, end; requests and holders"), cmd_priv },
	{ "privileged", "privileged [--format text|csv|tsv] [--export FILE "
	    "[--encoding utf-8|cp932] --user NAME --approver NAME "
	    "[--askpass-fd N]]",
	    N_("the privileged-ID register (特権ID管理台帳), "
	    "printed, or exported to a new file (two-person)"),
	    cmd_privileged },
	{ "stocktake", "stocktake start --scope all|system:S,department:D "
	    "--deadline DAY [--title T] --user NAME | list | show N [--report "
	    "txt|csv] | items N [--filter F] [--tsv] | decide N (--system S "
	    "--login L | --filter F) --decision D --reason TEXT --user NAME | "
	    "close N --user NAME --approver NAME | confirm N --system S "
	    "--login L --reason TEXT --user NAME --approver NAME | chart N",
	    N_("the quarterly ID stocktake (棚卸し): snapshot, decide, close "
	    "(two-person; revocations through the outbox), review list, "
	    "corrections confirmed"),
	    cmd_stocktake },
	{ "exception", "exception request|emergency RULE SCOPE [--start DAY] "
	    "--end DAY --reason TEXT [--measure TEXT] [--alternative TEXT] "
	    "[--risk TEXT] | approve|reject N --comment TEXT | report N "
	    "--report TEXT | end N --reason TEXT --user NAME [--askpass-fd N] "
	    "| exception list [--state S] [--format text|tsv] | show N | "
	    "register [--csv] [--year FY]", N_("exceptions to policy (例外措置): "
	    "ask, approve or reject (another person, as --user), apply in an "
	    "emergency and report it, end; the register (例外措置台帳)"),
	    cmd_exception },
	{ "outbox", "outbox run",
	    N_("apply pending target operations (as the system)"), cmd_outbox },
	{ "workorder", "workorder list | done ENTRY/SEQ --note TEXT | refuse "
	    "ENTRY/SEQ --reason TEXT --user NAME [--approver NAME] "
	    "[--askpass-fd N]", N_("a manual system's work orders: open ones, "
	    "carried out (two-person), refused"), cmd_workorder },
	{ "policy", "policy [SYSTEM]",
	    N_("the password policy that applies, and where each value comes "
	    "from"), cmd_policy },
	{ "passwd", "passwd SYSTEM LOGIN --user NAME [--password-fd N]",
	    N_("set a password its owner types (twice, never echoed)"),
	    cmd_passwd },
	{ "reset-password", "reset-password SYSTEM LOGIN --user NAME [--show]",
	    N_("a temporary password, shown once on the terminal"),
	    cmd_reset_password },
	{ "force-change", "force-change (SYSTEM LOGIN | --scope SCOPE) "
	    "--reason TEXT --user NAME",
	    N_("the next login must change the password"), cmd_force_change },
	{ "analysis", "analysis [--from DAY] [--to DAY] [--csv]",
	    N_("the ledger's own records over a period (the last 30 days): "
	    "failed logins, work out of hours, privileged changes, emergency "
	    "actions, exports"), cmd_analysis },
	{ "review", "review done --from DAY --to DAY --comment TEXT --user "
	    "NAME [--askpass-fd N] | review list",
	    N_("record that a period's records were reviewed (review.done); the "
	    "reviews, and whether one is due"), cmd_review },
	{ "report", "report stocktake N | inspection FY --out DIR [--user "
	    "NAME --approver NAME [--askpass-fd N]]",
	    N_("a sealed report's package for an auditor (the inspection report "
	    "is sealed first, two-person)"), cmd_report },
	{ "verify-report", "verify-report DIR --root-key KEY",
	    N_("check a report's package without the database; exit 1 naming "
	    "what is wrong"), cmd_verify_report },
	{ "seed-demo", "seed-demo [--people N] [--no-ids]",
	    N_("fill a fresh directory with a synthetic city"), cmd_seed_demo },
	{ NULL, NULL, NULL, NULL },
};

static const char *cli_datadir = CLI_DEFAULT_DIR;
static const char *cli_configpath = CORE_CONFIG_PATH;

const char *
cli_config(void)
{
	return cli_configpath;
}

const char *
cli_dir(void)
{
	return cli_datadir;
}

void
cli_set_dir(const char *dir)
{
	cli_datadir = dir;
}

/*
 * One line for a person to read: the whole formatted text (daicho's words
 * and the values, names and causes in them alike) through vis_str, so no
 * byte anyone else wrote reaches the terminal as a control, and a line
 * feed inside a value is shown as \x0a instead of forging a line.
 */
static void
cli_vline(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	char	*raw, *shown;

	xvasprintf(&raw, fmt, ap);
	shown = vis_str(raw, 0);
	fprintf(f, "%s%s\n", prefix, shown);
	free(shown);
	free(raw);
}

void
cli_line(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cli_vline(stdout, "", fmt, ap);
	va_end(ap);
}

void
cli_error(const char *fmt, ...)
{
	va_list	 ap;

	/* Anything printed before goes first, so the order reads right. */
	fflush(stdout);
	va_start(ap, fmt);
	cli_vline(stderr, "daicho: ", fmt, ap);
	va_end(ap);
}

void
cli_diag(const char *fmt, ...)
{
	va_list	 ap;

	fflush(stdout);
	va_start(ap, fmt);
	cli_vline(stderr, "", fmt, ap);
	va_end(ap);
}

void
cli_row(const char *const *fields, size_t n)
{
	char	*shown;
	size_t	 i;

	for (i = 0; i < n; i++) {
		shown = vis_str(fields[i], 0);
		fprintf(stdout, "%s%s", i > 0 ? "\t" : "", shown);
		free(shown);
	}
	fputc('\n', stdout);
}

/*
 * Columns as the terminal shows s after cli_line's escaping: a kanji two,
 * an escape one a character.  A character the locale cannot measure
 * (LANG=C) counts its bytes, as printf's padding always did.
 */
int
cli_width(const char *s)
{
	char		 esc[VIS_ESC_MAX];
	uint32_t	 cp;
	size_t		 n = strlen(s), used;
	int		 total = 0, w;

	while (n > 0) {
		used = vis_next(s, n, 0, &cp, esc);
		if (esc[0] != '\0')
			total += (int)strlen(esc);
		else if ((w = wcwidth((wchar_t)cp)) >= 0)
			total += w;
		else
			total += (int)used;
		s += used;
		n -= used;
	}
	return total;
}

int
cli_pad(const char *s, int width)
{
	int	 pad = width + (int)strlen(s) - cli_width(s);

	return pad > 0 ? pad : 0;
}

int
cli_exact(const void *buf, size_t len)
{
	char	*shown;
	int	 r = 0;

	if (isatty(STDOUT_FILENO)) {
		shown = vis_buf(buf, len, VIS_NL);
		if (fputs(shown, stdout) == EOF)
			r = -1;
		free(shown);
	} else if (fwrite(buf, 1, len, stdout) != len)
		r = -1;
	if (fflush(stdout) != 0)
		r = -1;
	return r;
}

int
cli_dir_opts(int argc, char **argv, const char *cmd)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	while ((ch = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
		if (ch != 'd') {
			cli_usage(cmd);
			return -1;
		}
		cli_set_dir(optarg);
	}
	return 0;
}

int
cli_number(const char *what, const char *s, long long min, long long max,
    long long *out)
{
	const char	*errstr;

	if (number_parse(s, min, max, out, &errstr) != 0) {
		/* number_parse's three answers, each a whole sentence. */
		if (strcmp(errstr, "too small") == 0)
			cli_error(_("%s \"%.40s\" is too small"), what, s);
		else if (strcmp(errstr, "too large") == 0)
			cli_error(_("%s \"%.40s\" is too large"), what, s);
		else
			cli_error(_("%s \"%.40s\" is invalid"), what, s);
		return -1;
	}
	return 0;
}

/*
 * The bytes of text (up to a NUL) that fit room columns.  Counted in
 * bytes, which is never less than the columns a UTF-8 character takes
 * (a kanji: 3 bytes, 2 columns), so a line never passes the room in any
 * locale.  Up to the last space that fits, or the last place next to a
 * wide character (Japanese has no spaces), never before closing
 * punctuation nor after an opening bracket; else the first word whole,
 * however long.
 */
static size_t
cli_fit(const char *text, int room)
{
	mbstate_t	 mb;
	wchar_t		 wc;
	wchar_t		 prev = L' ';
	size_t		 n, len = strlen(text), off = 0, brk = 0;
	int		 col = 0, prevwide = 0, wide;

	memset(&mb, 0, sizeof mb);
	while (off < len) {
		n = mbrtowc(&wc, text + off, len - off, &mb);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&mb, 0, sizeof mb);
			n = 1;
			wc = L'?';
		}
		wide = n > 1 && wcwidth(wc) > 1;
		/* Never before closing punctuation, nor after an opening. */
		if (off > 0 && (wc == L' ' || wide || prevwide) &&
		    !kinsoku_no_start(wc) && !kinsoku_no_end(prev))
			brk = off;
		if (col + (int)n > room)
			break;
		col += (int)n;
		off += n;
		prevwide = wide;
		prev = wc;
	}
	if (off >= len)
		return len;
	if (brk > 0)
		return brk;
	/* A word longer than the room: whole, to its end. */
	while (off < len && text[off] != ' ')
		off++;
	return off;
}

/*
 * Print text on f from column indent, wrapped so that no line passes 80
 * columns, in bytes as in display width (a word longer than the room is
 * kept whole).
 */
static void
cli_wrap(FILE *f, const char *text, int indent, int first)
{
	const char	*p = text;
	size_t		 n;
	int		 col = first;

	while (*p != '\0') {
		n = cli_fit(p, 79 - col);
		fprintf(f, "%.*s\n", (int)n, p);
		p += n;
		if (*p == ' ')
			p++;
		if (*p != '\0')
			fprintf(f, "%*s", indent, "");
		col = indent;
	}
}

/* One command's usage after lead, and its summary, within 80 columns. */
static void
cli_usage_of(FILE *f, const char *lead, const struct cli_cmd *c)
{
	int	 n = cli_width(lead) + 7;

	fprintf(f, "%sdaicho ", lead);
	cli_wrap(f, c->usage, n + 2, n);
	fputs("      ", f);
	cli_wrap(f, _(c->summary), 6, 6);
}

/* Every command's, on f. */
static void
cli_usage_all(FILE *f)
{
	const struct cli_cmd	*c;

	fprintf(f, _("usage: daicho [--dir DIR] [--config FILE]   (the console)\n"
	    "       daicho --demo DIR                     (the console on a "
	    "demo city)\n"
	    "       daicho [--dir DIR] COMMAND [options] [--help]\n\n"));
	for (c = cli_cmds; c->name != NULL; c++)
		cli_usage_of(f, "  ", c);
}

int
cli_usage(const char *name)
{
	const struct cli_cmd	*c;

	if (name != NULL) {
		for (c = cli_cmds; c->name != NULL; c++) {
			if (strcmp(c->name, name) == 0) {
				cli_usage_of(stderr, _("usage: "), c);
				return CLI_ERROR;
			}
		}
	}
	cli_usage_all(stderr);
	return CLI_ERROR;
}

/* --help anywhere after a command: its usage, on standard output. */
static int
cli_wants_help(int argc, char **argv)
{
	int	 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

/*
 * Where the message catalogues are: LOCALEDIR, or DAICHO_LOCALEDIR (the
 * build tree's po/locale, for the tests and the demo) when that names an
 * absolute path to a directory that not everyone can write.  Anything
 * else is ignored with a warning: a catalogue's text reaches the terminal
 * and its formats reach printf.
 */
static const char *
cli_localedir(void)
{
	const char	*dir = getenv("DAICHO_LOCALEDIR");
	struct stat	 sb;

	if (dir == NULL || *dir == '\0')
		return LOCALEDIR;
	if (dir[0] != '/' || strlen(dir) >= 4096 || stat(dir, &sb) == -1 ||
	    !S_ISDIR(sb.st_mode) || (sb.st_mode & S_IWOTH) != 0) {
		fprintf(stderr, "daicho: DAICHO_LOCALEDIR is not an absolute "
		    "path to a directory that not everyone can write: "
		    "ignored\n");
		return LOCALEDIR;
	}
	return dir;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "demo", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_cmd	*c;
	struct rlimit		 nocore = { 0, 0 };
	const char		*demo = NULL;
	char			**argv0 = argv;
	int			 ch;

	xmalloc_init();
	setlocale(LC_ALL, "");
	bindtextdomain(PACKAGE, cli_localedir());
	textdomain(PACKAGE);
	core_syslog_open();
	/* A core dump could carry the epoch secret key. */
	setrlimit(RLIMIT_CORE, &nocore);
	if (getenv("DAICHO_DIR") != NULL)
		cli_set_dir(getenv("DAICHO_DIR"));

	while ((ch = getopt_long(argc, argv, "+d:c:D:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			cli_set_dir(optarg);
			break;
		case 'c':
			cli_configpath = optarg;
			break;
		case 'D':
			demo = optarg;
			break;
		case 'V':
			printf("daicho %s\n", PACKAGE_VERSION);
			return CLI_OK;
		case 'h':
			cli_usage_all(stdout);
			return fflush(stdout) == 0 ? CLI_OK : CLI_ERROR;
		default:
			return cli_usage(NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (demo != NULL && argc == 0)
		return cli_demo(demo, argv0);
	if (argc == 0)
		return cli_console(cli_dir(), cli_configpath, 0);
	/* The shell's completion: hidden, never in the usage. */
	if (strcmp(argv[0], "__complete") == 0)
		return cmd_complete(argc, argv);
	for (c = cli_cmds; c->name != NULL; c++) {
		if (strcmp(c->name, argv[0]) == 0) {
			if (cli_wants_help(argc, argv)) {
				cli_usage_of(stdout, _("usage: "), c);
				return fflush(stdout) == 0 ? CLI_OK : CLI_ERROR;
			}
			optind = 0;	/* glibc: reinitialise getopt */
			return c->exec(argc, argv);
		}
	}
	cli_error(_("%s: unknown command"), argv[0]);
	return cli_usage(NULL);
}
