/*
 * cli.h -- main() and the non-interactive subcommands.
 */
#ifndef DAICHO_CLI_H
#define DAICHO_CLI_H

#define CLI_OK		0
#define CLI_BAD		1	/* verify: the ledger is not intact */
#define CLI_ERROR	2	/* usage, I/O, or a refused request */

#define CLI_DEFAULT_DIR	"/var/lib/daicho"

struct store;

struct cli_cmd {
	const char	*name;
	const char	*usage;
	const char	*summary;
	int		(*exec)(int, char **);
};

/* daicho.c */
extern const struct cli_cmd cli_cmds[];
/* Parse "--dir DIR" style options shared by every command. */
const char	*cli_dir(void);
void		 cli_set_dir(const char *);
const char	*cli_config(void);		/* daicho.conf to read */
int		 cli_usage(const char *);
/* Parse --dir (and nothing else) before or after a command's words;
 * the words stay at argv[optind...].  0 or -1 after a usage message. */
int		 cli_dir_opts(int, char **, const char *);
/*
 * Output for people: one line each, with everything vis_str escapes
 * escaped (common/vis.c), the values in it and the text around it.
 * cli_error goes to stderr after "daicho: ".  Never put a line feed in
 * the format: each call is one line.
 */
void		 cli_line(const char *, ...) __attribute__((format(printf, 1, 2)));
void		 cli_error(const char *, ...) __attribute__((format(printf, 1, 2)));
/* A line to stderr as cli_line escapes it, with no prefix (a checker's
 * "FILE:LINE:COLUMN: message"). */
void		 cli_diag(const char *, ...) __attribute__((format(printf, 1, 2)));
/* One record of tab-separated output: each field escaped as cli_line
 * escapes (a tab or line feed in a value shows as \x09, \x0a), joined
 * by real tabs. */
void		 cli_row(const char *const *, size_t);
/*
 * The printf field width that pads s to width columns of a terminal
 * ("%-*s", cli_pad(s, 12), s): a label or name in Japanese takes two
 * columns a character but three bytes, and printf pads by bytes.
 */
int		 cli_pad(const char *, int);
/* The columns s takes as cli_line shows it (cli_pad's measure). */
int		 cli_width(const char *);
/*
 * Output for programs (entry, prove, checkpoint export): the exact bytes,
 * unless standard output is a terminal, where they are shown as
 * vis_buf(VIS_NL) shows them.  0, or -1 when writing failed.
 */
int		 cli_exact(const void *, size_t);
int		 cli_number(const char *, const char *, long long, long long,
		     long long *);

/* cmd-console.c */
int		 cli_console(const char *, const char *, int);
int		 cli_demo(const char *, char **);

/* cmd-operator.c */
int		 cmd_operator(int, char **);
int		 cmd_act(int, char **);
int		 cmd_outbox(int, char **);
int		 cmd_lockout(int, char **);
int		 cmd_reconcile_any(int, char **);
/*
 * Drive the outbox and say what happened; mine: the entry whose
 * temporary passwords the operator at hand may see (0: none).  0, 1 when
 * an operation failed, -1 on an error (said).
 */
int		 cli_outbox(struct store *, uint64_t);
int		 cli_init_authenticate(const char *, int);
int		 cli_init_operator(struct store *, const char *);
/* One line from descriptor fd, or from /dev/tty after prompt when fd is
 * -1: a confirmation.  0, or -1 when there is no terminal. */
int		 cli_read_line(int, const char *, char *, size_t);

/* cmd-complete.c: daicho __complete CWORD WORD... (hidden) */
int		 cmd_complete(int, char **);

/* cmd-init.c */
int		 cmd_init(int, char **);
int		 cmd_seed_demo(int, char **);
int		 cmd_rotate(int, char **);

/* cmd-ledger.c */
int		 cmd_status(int, char **);
int		 cmd_verify(int, char **);
int		 cmd_checkpoint(int, char **);
int		 cmd_keys(int, char **);
int		 cmd_entry(int, char **);
int		 cmd_prove(int, char **);
int		 cmd_verify_proof(int, char **);
int		 cmd_log(int, char **);
int		 cmd_backup(int, char **);
int		 cmd_reconcile(int, char **);

/* cli-auth.c */
/* Who asks: --user, --approver (or NULL), --askpass-fd (or -1). */
struct cli_who {
	const char	*user;
	const char	*approver;
	int		 askpass;		/* descriptor, or -1 */
};
/*
 * Authenticate user through PAM (the configured service), then
 * core_login (the terminal's failed-login lock, the role, the entries and
 * syslog); what names the command for the log, or "".  0 when they are
 * who they say and hold one of roles (0: any); -1 after saying why.  With
 * no store (init), nothing is recorded and no role is checked.
 */
int		 cli_auth_user(struct store *, const char *, int, int,
		     const char *);
/*
 * The second person of action: w->approver, someone else, authenticated
 * and holding the approver role.  *approver is NULL when the action needs
 * nobody now (then, when strict, an --approver is an error).  0, or -1
 * after saying why.
 */
int		 cli_auth_second(struct store *, const char *,
		     const struct cli_who *, int, const char **);
/* Authenticate w->approver as the second person of action, whether or
 * not the action needs one now.  0, or -1 after saying why. */
int		 cli_auth_approver(struct store *, const char *,
		     const struct cli_who *, const char **);

/* The getopt_long rows cli_who_option reads, for a command's table. */
#define CLI_WHO_OPTIONS							\
	{ "dir", required_argument, NULL, 'd' },			\
	{ "user", required_argument, NULL, 'u' },			\
	{ "approver", required_argument, NULL, 'a' },			\
	{ "askpass-fd", required_argument, NULL, 'f' }
/*
 * getopt's ch for --dir (d), --user (u), --approver (a) or --askpass-fd
 * (f), with its argument, into w: 1 taken, 0 not one of these, -1 a bad
 * value (said).
 */
int		 cli_who_option(int, const char *, struct cli_who *);
/*
 * --askpass-fd's argument into *fd: an open descriptor, made close-on-exec
 * at once so that no program daicho starts inherits the passwords on it.
 * 0, or -1 after saying why.
 */
int		 cli_askpass_fd(const char *, int *);

/* cmd-hr.c */
int		 cmd_import(int, char **);
int		 cmd_events(int, char **);
int		 cmd_sweep(int, char **);

/* cmd-findings.c */
int		 cmd_findings(int, char **);

/* cmd-export.c */
int		 cmd_export(int, char **);

/* cmd-priv.c */
int		 cmd_priv(int, char **);
int		 cmd_privileged(int, char **);
/* cmd-stocktake.c */
int		 cmd_stocktake(int, char **);

/* cmd-exception.c */
int		 cmd_exception(int, char **);

/* cmd-incident.c */
int		 cmd_incident(int, char **);

/* cmd-password.c */
int		 cmd_passwd(int, char **);
int		 cmd_reset_password(int, char **);
int		 cmd_force_change(int, char **);
int		 cmd_rotate_any(int, char **);

/* cmd-policy.c */
int		 cmd_policy(int, char **);

/* cmd-analysis.c */
int		 cmd_analysis(int, char **);
int		 cmd_review(int, char **);
/* cmd-report.c */
int		 cmd_report(int, char **);
int		 cmd_verify_report(int, char **);

/* cmd-workorder.c */
int		 cmd_workorder(int, char **);

#endif
