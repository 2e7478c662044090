/*
 * core.h -- the whole public face of core/: the action table and running
 * an action, replay, and the synthetic city for the demo, tests and
 * benchmarks.
 *
 * Every change of state is an action (compare tmux's cmd_entry): one row
 * of a const table naming the role it needs, whether a second person must
 * approve it, how to validate its arguments and how to apply it.  The
 * console, the command line and replay all go through core_run() or the
 * same apply functions; nothing changes state any other way.
 */
#ifndef DAICHO_CORE_H
#define DAICHO_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "common.h"
#include "store.h"

#define CORE_ROLE_ADMIN		0x1
#define CORE_ROLE_APPROVER	0x2
#define CORE_ROLE_AUDITOR	0x4
#define CORE_ROLE_SYSTEM	0x8	/* unattended work: init, sweep */

#define CORE_TWO_PERSON		0x1	/* needs a second operator's approval */
#define CORE_SIGNED		0x2	/* entry carries an epoch-key signature */
#define CORE_OWN_TXN		0x4	/* must be alone in its transaction */
#define CORE_INTERNAL		0x8	/* written by daicho itself (sessions,
					   results), never through "act" */
#define CORE_MAY_APPROVE	0x20	/* a second person when validate says
					   this run needs one (hr.import over
					   its threshold) */
#define CORE_SYSTEM_FIRST	0x10	/* the system may run it only while
					   the ledger has no operator */

#define CORE_ROTATE_SECONDS	3600	/* epoch keys live at most this long */

/* Who is acting: an authenticated operator, or STORE_SYSTEM_ACTOR. */
struct core_actor {
	const char	*operator;
	const char	*approver;		/* second person, or NULL */
};

/* One action being run: its arguments and what validation derived. */
struct core_run {
	struct store		*store;
	const struct core_action *action;
	const struct core_actor	*actor;
	struct store_args	 args;
	char			*subject;	/* "operator:alice"; owned */
	char			*owned[8];	/* generated argument values */
	size_t			 nowned;
};

/* One argument an action accepts; a table ends with a NULL name. */
struct core_param {
	const char	*name;			/* "end_date" */
	int		 flags;
#define CORE_ARG_REQUIRED	0x1
#define CORE_ARG_MADE		0x2	/* made by daicho, never given */
	const char	*help;			/* one line, for daicho(8) */
};

struct core_action {
	const char	*name;			/* "operator.add" */
	const char	*summary;		/* one line, for help */
	int		 roles;			/* CORE_ROLE_* that may run it */
	int		 flags;			/* CORE_TWO_PERSON, ... */
	const struct core_param *params;	/* every argument it accepts:
						   any other is refused */
	/*
	 * Check the arguments against the state; set run->subject; may add
	 * generated arguments (keep them in run->owned).  0, or -1 with
	 * *cause naming the problem; nothing is written either way.
	 */
	int		(*validate)(struct core_run *, char **);
	/*
	 * Apply an entry (parsed back from its exact bytes) to the state
	 * tables.  Used live and by replay, so it must depend on nothing but
	 * the entry and the state.  0, or -1 with *cause.
	 */
	int		(*apply)(struct store *, const struct store_entry *,
			    char **);
};

/* action.c */
extern const struct core_action *const core_actions[];
const struct core_action *core_action_find(const char *);
/*
 * Run one action: role check, validate, append, apply, checkpoint, all in
 * one transaction (or inside the caller's, see core_begin).  Sets *index
 * to the new entry's index when not NULL.  Returns 0, or -1 with *cause
 * (caller frees) and nothing written.
 */
int		 core_run(struct store *, const char *, const struct core_actor *,
		     const struct store_args *, uint64_t *, char **);
/* Whether running action now needs a second person's approval. */
int		 core_needs_approver(struct store *, const char *);
/*
 * Whether actor may run action a against the state in store: the role,
 * the two-person rule (a different, active approver once the ledger has
 * ever had one) and the system's bootstrap.  Used live, and by replay
 * against the state replayed so far.  0, or -1 with *cause.
 */
int		 core_check_roles(struct store *, const struct core_action *,
		     const struct core_actor *, char **);
/* The action table as daicho(8) text (mdoc), for help/mkman. */
void		 core_actions_man(FILE *);
/* Group many actions into one transaction (and one checkpoint). */
int		 core_begin(struct store *, char **);
int		 core_commit(struct store *, char **);
void		 core_rollback(struct store *);
/*
 * daicho init: make the data directory dir, the root key and entry 0
 * (ledger.init).  Returns the store, open for writing, and the root
 * verifier key in *vkey (caller frees); or NULL with *cause.
 */
struct store	*core_init(const char *, char **, char **);
/* Rotate the epoch key now, as actor.  0 or -1 with *cause. */
int		 core_rotate(struct store *, const struct core_actor *, char **);
/*
 * The active role of operator name: a CORE_ROLE_* bit, 0 when the name
 * is not an active operator, -1 on a database error (*cause).
 */
int		 core_operator_role(struct store *, const char *, char **);
/* The role bit of "admin" / "approver" / "auditor", or 0. */
int		 core_role_parse(const char *);
const char	*core_role_name(int);
/* Whether s is a login name daicho accepts (POSIX portable, <= 32). */
int		 core_login_name_ok(const char *);
/* Whether s is a system name: a-z, 0-9, '-' (not first), at most 32. */
int		 core_system_name_ok(const char *);
/* Whether s is YYYY-MM-DD naming a real day (1900 on). */
int		 core_date_ok(const char *);

/* args.c */
/*
 * args against action a's table, before authenticating anyone: -1 with
 * *cause naming every required argument that is missing and every one a
 * does not accept, all at once; 0 when there are none.
 */
int		 core_args_check(const struct core_action *,
		     const struct store_args *, char **);

/* action-session.c */
struct core_session_history {
	char	 last_login[32];		/* RFC 3339, or "" for never */
	char	 last_logout[32];
	int	 failures;			/* failed logins since last_login */
};
#define CORE_UNKNOWN_USER	"UNKNOWN"
/*
 * The name a failed login is recorded and logged under: claimed when it
 * names an operator (now or before), else CORE_UNKNOWN_USER, since it may
 * be a password typed into the user field.
 */
const char	*core_failure_user(struct store *, const char *);
/*
 * Record a refused login or approval at tty as session.failure by the
 * system, under core_failure_user's name.  0 or -1 with *cause.
 */
int		 core_session_failure(struct store *, const char *,
		     const char *, const char *, char **);
/* An operator's previous login, logout and the failures since.  0 or -1. */
int		 core_session_history(struct store *, const char *,
		     struct core_session_history *, char **);
/*
 * Whether failed logins at tty lock the console: attempts failures since
 * its last successful login, all within minutes of the newest, lock it
 * until minutes after the newest.  Returns 1 with *until (unix seconds;
 * the caller compares it with now), 0 when they do not, -1 on error.
 */
int		 core_console_locked(struct store *, const char *, int, int,
		     int64_t *, char **);

/* login.c -- the operator-login policy (auth answers who, core records) */
enum core_login_purpose {
	CORE_LOGIN_CONSOLE,	/* a console login, or the idle lock's */
	CORE_LOGIN_APPROVAL,	/* the second person of a two-person action */
	CORE_LOGIN_COMMAND,	/* a command-line command that changes state */
};
enum core_login_auth {		/* what authentication (PAM) said */
	CORE_AUTH_OK,		/* the credential was accepted */
	CORE_AUTH_REFUSED,	/* a credential was refused: a failed login */
	CORE_AUTH_NONE,		/* nothing was judged (Esc, no reader, a
				   module that hung or broke): no failure */
};
struct core_login {
	enum core_login_purpose purpose;
	const char	*tty;		/* the terminal (PAM_TTY) */
	const char	*claimed;	/* the name typed; PAM's user on OK */
	enum core_login_auth auth;
	const char	*reason;	/* auth's word for its result */
	const char	*method;	/* console: how (the PAM service) */
	const char	*operator;	/* approval: who asks; console: the
					   locked session's operator, or NULL */
	const char	*action;	/* approval: what for (the log), or NULL */
	int		 roles;		/* command: the roles it needs; 0 any */
	int		 attempts;	/* failed-login lock: login_attempts */
	int		 minutes;	/* and login_lockout_minutes */
};
enum core_login_outcome {
	CORE_LOGIN_OK,		/* logged in, approved, may run */
	CORE_LOGIN_RESUMED,	/* console: the locked session's operator */
	CORE_LOGIN_NOT_TRIED,	/* CORE_AUTH_NONE: nothing recorded */
	CORE_LOGIN_FAILED,	/* the credential was refused */
	CORE_LOGIN_LOCKED,	/* too many failures here: until */
	CORE_LOGIN_NOT_OPERATOR, /* no active operator */
	CORE_LOGIN_WRONG_ROLE,	/* not the role the purpose needs */
	CORE_LOGIN_SAME_PERSON,	/* approval by the operator asking */
};
struct core_login_result {
	enum core_login_outcome outcome;
	char		 user[64];	/* OK, RESUMED: the operator */
	int		 role;		/* OK, RESUMED: a CORE_ROLE_* bit */
	int64_t		 until;		/* LOCKED: unix seconds */
	struct core_session_history history; /* console: before this login */
};
/*
 * The end of every operator authentication: decide what auth's answer
 * means for this purpose, record it (session.failure for a refused
 * credential or a refused operator; session.login, or session.unlock /
 * session.logout then session.login after an idle lock, for the
 * console), and log it to syslog.  *out is always filled, and stands
 * even when -1 is returned with *cause (an entry could not be written).
 */
int		 core_login(struct store *, const struct core_login *,
		     struct core_login_result *, char **);
/*
 * Whether failed logins lock tty now (core_console_locked, compared with
 * the time): 1 with *until, 0, or -1 with *cause.  Ask before asking for
 * a password; core_login asks again after.
 */
int		 core_login_locked(struct store *, const char *, int, int,
		     int64_t *, char **);
/*
 * End op's session at tty: session.logout (why as its method) and a new
 * epoch key.  0 or -1 with *cause.
 */
int		 core_session_logout(struct store *, const char *, const char *,
		     const char *, char **);

/* complete.c -- names for the shell's completion, read-only */
enum core_complete_what {
	CORE_COMPLETE_SYSTEM,		/* system names */
	CORE_COMPLETE_LOGIN,		/* the logins of one system */
	CORE_COMPLETE_OPERATOR,		/* active operators */
};
/*
 * cb(arg, name) for each name of what beginning with prefix, in order,
 * at most max of them; a login needs its system (none when NULL).
 * Reads only.  0, or -1 with *cause.
 */
int		 core_complete(struct store *, enum core_complete_what,
		     const char *, const char *, size_t,
		     void (*)(void *, const char *), void *, char **);

/* syslog.c -- account changes and logins to syslog and Linux audit */
/*
 * openlog("daicho", LOG_PID, LOG_AUTHPRIV) and audit_open (a kernel or
 * container without audit is no error), once.  main() calls it before
 * anything forks, so that every process logs under the same ident.
 * Returns whether account changes also go to the audit trail (1) or
 * syslog only (0).
 */
int		 core_syslog_open(void);
/*
 * Whether account changes are told (0) or not (1): the synthetic city's
 * making (seed-demo, bench/mkcity) is nobody's real account.  Returns
 * the setting before.  Logins are always told.
 */
int		 core_syslog_quiet(int);

/* config.c */
#define CORE_CONFIG_PATH	"/etc/daicho/daicho.conf"
/*
 * The fields of an HR export, in the order the canonical rows keep them;
 * core_hr_fields names them.
 */
enum core_hr_field {
	CORE_HR_NO,				/* 職員番号 employee_no */
	CORE_HR_NAME,				/* 氏名 name */
	CORE_HR_KANA,				/* 氏名カナ name_kana */
	CORE_HR_DEPARTMENT,			/* 所属 department */
	CORE_HR_POSITION,			/* 職位 position */
	CORE_HR_EMPLOYMENT,			/* 職員区分 employment */
	CORE_HR_TRANSFER,			/* 異動日 transfer_date */
	CORE_HR_RETIRE,				/* 退職日 retire_date */
	CORE_HR_STATUS,				/* 在職区分 status */
	CORE_HR_BIRTH,				/* 生年月日 birth_date: only to
						   tell people apart (a
						   search's criterion) */
	CORE_HR_NFIELDS
};
#define CORE_HR_NEMPLOYMENT	4	/* regular fixed_term part_time
					   contractor */
#define CORE_HR_NSTATUS		3	/* active leave retired */
struct core_hr_fieldinfo {
	const char	*name;			/* "employee_no": the English
						   header, and config's */
	const char	*header;		/* the default header, 職員番号 */
	int		 required;
};
extern const struct core_hr_fieldinfo core_hr_fields[CORE_HR_NFIELDS];
extern const char *const core_hr_employments[CORE_HR_NEMPLOYMENT];
extern const char *const core_hr_statuses[CORE_HR_NSTATUS];

struct core_config {
	char	*banner;			/* warning banner, or NULL */
	int	 login_attempts;		/* failures that lock the console */
	int	 lockout_minutes;		/* for this long */
	int	 idle_seconds;			/* idle time before the lock; 0 off */
	int	 module_timeout;		/* seconds a PAM module may hang */
	int	 factors;			/* auth_factors: CORE_FACTORS_* */
	char	*pam_service;			/* default from factors */
	char	*pam_fallback_service;		/* password only: Esc, no reader;
						   never used with
						   CORE_FACTORS_BOTH */
	char	*hr_column[CORE_HR_NFIELDS];	/* the HR export's header of
						   each field (hr_column_*) */
	char	*hr_employment[CORE_HR_NEMPLOYMENT]; /* the export's words for
						   each employment, comma-
						   separated (hr_employment_*) */
	char	*hr_status[CORE_HR_NSTATUS];	/* and for each status */
	int	 hr_field_max;			/* characters in one field */
	int	 hr_threshold_count;		/* an import that would lock or */
	int	 hr_threshold_percent;		/* revoke more IDs than either
						   needs a second person */
	int	 dormant_days;			/* findings: unused this long is
						   dormant */
	int	 leaver_grace_days;		/* a leaver's locked ID may wait
						   this long to be revoked */
};
#define CORE_FACTORS_PASSWORD	0	/* "password": service daicho */
#define CORE_FACTORS_EITHER	1	/* "fingerprint-or-password":
					   daicho-fingerprint, then daicho */
#define CORE_FACTORS_BOTH	2	/* "fingerprint-and-password":
					   daicho-fingerprint-and-password,
					   no fallback */
void		 core_config_defaults(struct core_config *);
/*
 * Read path into c (defaults first).  A missing file is fine unless
 * must_exist.  0, or -1 with *cause naming the file and line.
 */
int		 core_config_load(const char *, int, struct core_config *,
		     char **);
void		 core_config_free(struct core_config *);

/* hr.c -- the HR system's export (personnel records) */
/* One row of an export, canonical (see hr.c), or a person's record. */
struct core_hr_row {
	const char	*f[CORE_HR_NFIELDS];	/* "" for an empty field */
	unsigned long	 line, col;		/* in the file; 0 for a record */
};
#define CORE_HR_NKINDS		5
/* The kinds of event: joiner mover leaver leave return. */
extern const char *const core_hr_event_kinds[CORE_HR_NKINDS];
/* One event an import makes of a row. */
struct core_hr_event {
	int	 kind;				/* index in core_hr_event_kinds */
	char	 effective[11];			/* YYYY-MM-DD */
	char	 detail[320];
	const char *from_department;		/* a mover's, before; else NULL */
	const char *from_position;
};
#define CORE_HR_EVENTS_MAX	3
/* What an export changes, by core_hr_compare. */
struct core_hr_summary {
	size_t	 rows;				/* in the export */
	size_t	 unchanged, added, updated;	/* rows against the records */
	size_t	 missing;			/* people the export no longer
						   lists (findings, not leavers) */
	size_t	 events[CORE_HR_NKINDS];	/* by kind */
	int64_t	 locks;				/* live IDs the leavers own: the
						   import's locks and revokes */
	int64_t	 live;				/* live IDs in all */
	int	 baseline;			/* the first import: records
						   only, no events */
	uint64_t same_file;			/* the hr.import entry of this
						   very file, or 0 */
	int	 approval;			/* over the threshold: a second
						   person must confirm */
};
/* One row that changes, for the preview. */
struct core_hr_change {
	const char	*employee_no;
	const char	*name;
	const char	*what;			/* "new", "changed", "missing" */
	const struct core_hr_event *ev;
	size_t		 nev;
};
struct core_hr;
/*
 * Read and check the export on fd (path names it in messages) in
 * encoding want, as of as_of (YYYY-MM-DD; NULL: today).  Returns the
 * export even when rows are bad (core_hr_counts, core_hr_errors); NULL
 * with *cause when it could not be read at all.  cfg must outlive it.
 */
struct core_hr	*core_hr_read(int, const char *, enum csv_encoding,
		     const char *, const struct core_config *, char **);
/* The same, telling progress (lines read, lines in all) as it goes. */
struct core_hr	*core_hr_read_progress(int, const char *, enum csv_encoding,
		     const char *, const struct core_config *,
		     void (*)(void *, uint64_t, uint64_t), void *, char **);
/* Rows without an error, and errors (all of them, also those not kept). */
void		 core_hr_counts(const struct core_hr *, size_t *, size_t *);
/* Each error as "FILE:LINE:COLUMN: message", in file order. */
void		 core_hr_errors(const struct core_hr *,
		     void (*)(void *, const char *), void *);
const char	*core_hr_encoding(const struct core_hr *);	/* used */
/*
 * Compare a valid export with the records: the summary (core_hr_summary)
 * and, when cb is not NULL, each change.  0 or -1 with *cause.
 */
int		 core_hr_compare(struct store *, struct core_hr *,
		     void (*)(void *, const struct core_hr_change *), void *,
		     char **);
const struct core_hr_summary *core_hr_summary(const struct core_hr *);
/*
 * Record a compared export: one hr.import entry (its own transaction),
 * as actor (with the approver when the summary says one is needed).
 * 0, or -1 with *cause and nothing written.
 */
int		 core_hr_import(struct store *, struct core_hr *,
		     const struct core_actor *, uint64_t *, char **);
void		 core_hr_free(struct core_hr *);	/* NULL is fine */
/* One event of the HR records, as daicho events lists it. */
struct core_hr_eventrow {
	int64_t	 id;
	int	 kind;
	char	 employee_no[20];
	char	 name[260];
	char	 effective[11];
	char	 detail[320];			/* English: hr_event's */
	char	 shown[480];			/* detail, translated: for
						   people */
	char	 state[12];			/* pending, applied, cancelled */
	uint64_t import;			/* the hr.import entry */
};
/* Every event, by effective date; cb gets each.  0 or -1 with *cause. */
int		 core_hr_events(struct store *,
		     void (*)(void *, const struct core_hr_eventrow *), void *,
		     char **);
/*
 * An event's detail (English, as hr_event and core_hr_classify have it)
 * as people read it, translated, into buf of len.
 */
void		 core_hr_detail_shown(const char *, char *, size_t);
/* hr-plan.c -- what follows from an event, and the sweep */
/*
 * Why a shared ID's password is due (account.password_due, English, as
 * hr.apply writes it: "E0000004 left (event 5)") as people read it,
 * translated, into buf of len.
 */
void		 core_password_due_shown(const char *, char *, size_t);
/*
 * The reason an HR plan gives an ID action (English, in its ledger
 * arguments: "moved: only the old post had it (event 5)", "leaver
 * 2027-03-31 (event 4)", the sweep's "left ... days of grace over") as
 * people read it, translated, into buf of len; any other reason as it
 * is.
 */
void		 core_hr_reason_shown(const char *, char *, size_t);
enum { CORE_HR_JOINER, CORE_HR_MOVER, CORE_HR_LEAVER, CORE_HR_LEAVE,
    CORE_HR_RETURN };				/* core_hr_event_kinds */
/* One step of a plan: an ID action and its arguments. */
struct core_hr_step {
	const char	*action;		/* "id.lock", "id.create", ... */
	struct store_args args;			/* pointing into the step */
	char		 what[256];		/* for people: translated */
};
struct core_hr_plan {
	int64_t		 event;
	int		 kind;			/* CORE_HR_* */
	char		 employee_no[20];
	char		 effective[11];
	char		 state[12];
	int		 from_none;		/* no "before" post (a joiner) */
	struct core_hr_step **steps;
	size_t		 n, cap;
};
/*
 * Event's plan against the records as they stand; free it with
 * core_hr_plan_free.  0, or -1 with *cause (and nothing to free).
 */
int		 core_hr_plan(struct store *, int64_t, struct core_hr_plan *,
		     char **);
void		 core_hr_plan_free(struct core_hr_plan *);
/*
 * Apply event (its day come, pending) as actor: the hr.apply entry and
 * each step's, in one transaction.  *steps (unless NULL): how many.
 * 0, or -1 with *cause naming the step that failed, nothing written.
 */
int		 core_hr_apply(struct store *, const struct core_actor *,
		     int64_t, size_t *, char **);
/* What a sweep did. */
struct core_hr_sweep {
	size_t	 events;			/* events applied */
	size_t	 steps;				/* their ID actions */
	size_t	 failed;			/* events that could not be */
	size_t	 revoked;			/* leavers' IDs past the grace */
};
/*
 * As the system: apply every pending event whose day has come (failed
 * gets why each that cannot be is left pending, and the others go on),
 * and revoke leavers' IDs locked grace days ago or more.  0, or -1 with
 * *cause when the ledger cannot be read or written.
 */
int		 core_hr_sweep(struct store *, int, void (*)(void *,
		     const char *), void *, struct core_hr_sweep *, char **);
/* Today in the local zone as YYYY-MM-DD (11 bytes). */
void		 core_today(char *);

/* policy.c -- the password and privileged-access policy (policy.set) */
#define CORE_POLICY_TEXT	64
enum core_policy_type { CORE_POLICY_INT, CORE_POLICY_HOURS,
    CORE_POLICY_ZONE, CORE_POLICY_WORD };
/* One key of the policy: a row of core_policy_keys. */
struct core_policy_key {
	const char	*name;			/* "min_length": policy.set's
						   argument */
	enum core_policy_type type;
	size_t		 offset;		/* in struct core_policy */
	long long	 min, max;		/* CORE_POLICY_INT */
	const char	*def;			/* daicho's default */
	const char	*help;			/* one line, for daicho(8) */
};
extern const struct core_policy_key core_policy_keys[];	/* NULL name ends */
#define CORE_POLICY_NKEYS	17
/* What applies to one ID (or to a system, or everywhere). */
struct core_policy {
	int	 min_length;
	int	 min_classes;
	int	 dictcheck;
	int	 usercheck;
	int	 max_age_days;			/* 0: no limit */
	int	 min_age_days;
	int	 warn_days;
	int	 history;			/* 0: none kept */
	int	 temp_hours;
	int	 priv_cap_minutes;
	char	 allowed_hours[CORE_POLICY_TEXT];	/* "mon-fri 08:30-17:15",
						   "any" */
	char	 timezone[CORE_POLICY_TEXT];	/* "Asia/Tokyo" */
	int	 max_holders;			/* per system; 0: no limit */
	char	 stocktake_default[CORE_POLICY_TEXT]; /* what the deadline
						   decides: investigate,
						   recommendation, keep,
						   revoke */
	int	 review_interval_days;		/* the dashboard reminds when
						   the last review of the
						   ledger ended longer ago */
	int	 report_keep_years;		/* a sealed report's least
						   keeping (scope * *) */
	int	 exception_report_days;		/* an emergency exception is
						   reported within */
	char	 from[CORE_POLICY_NKEYS][80];	/* where each key came from:
						   "default", or the scope
						   as SYSTEM/KIND with '*'
						   for any */
};
/* Allowed hours, parsed. */
struct core_hours {
	int	 any;
	int	 days;				/* bit 0 Sunday .. 6 Saturday */
	int	 from, to;			/* minutes of the day, [from, to) */
};
const struct core_policy_key *core_policy_key_find(const char *);
/* Whether v is a good value of k: 0, or -1 with *cause. */
int		 core_policy_value_ok(const struct core_policy_key *,
		     const char *, char **);
int		 core_policy_hours_parse(const char *, struct core_hours *);
/* daicho's defaults into p. */
void		 core_policy_defaults(struct core_policy *);
/*
 * What applies to an ID of kind on system (either may be NULL: any),
 * from the narrowest scope that sets each key.  0 or -1 with *cause.
 */
int		 core_policy_get(struct store *, const char *, const char *,
		     struct core_policy *, char **);
/*
 * Whether when falls in p's allowed hours (in its zone); when not, why
 * says so ("it is sat 10:02 in Asia/Tokyo, outside ...").
 */
int		 core_policy_hours_ok(const struct core_policy *, time_t,
		     char *, size_t);
/* The keys with their ranges and defaults as daicho(8) text (mdoc). */
void		 core_policy_man(FILE *);
/*
 * Read local times in zone (a tz database name) until
 * core_policy_zone_leave(the value returned), which puts the machine's
 * zone back: many times judged with one switch of zone.
 */
char		*core_policy_zone_enter(const char *);
void		 core_policy_zone_leave(char *);
/* Whether tm (in the policy's zone) falls in the hours h. */
int		 core_policy_hours_in(const struct core_hours *,
		     const struct tm *);
/* "sun" .. "sat" of tm_wday. */
const char	*core_policy_day_name(int);
/*
 * A time given by a person: YYYY-MM-DD is that day in the policy's zone
 * (scope '*'), its start (00:00), or when end its end (the next day's
 * 00:00, exclusive); YYYY-MM-DDTHH:MM:SSZ is that UTC time.  0, or -1
 * with *cause.
 */
int		 core_day_parse(struct store *, const char *, int, time_t *,
		     char **);
/* The start of today (at now, in the policy's zone) plus days.  0 or -1. */
int		 core_day_today(struct store *, time_t, int, time_t *,
		     char **);
/* The day t falls on in the policy's zone, YYYY-MM-DD (11 bytes). */
int		 core_day_text(struct store *, time_t, char *, size_t,
		     char **);

/* sweep.c -- what time brings, as the system (daicho sweep) */
struct core_password_sweep {
	size_t	 due;				/* temporary passwords past
						   their deadline */
	size_t	 seen;				/* changed in time on the target:
						   id.password_seen */
	size_t	 locked;			/* not changed: id.lock */
	size_t	 unknown;			/* the system could not be asked
						   (left for the next sweep) */
};
/* What the deadline's sweep did: campaigns defaulted, items decided. */
struct core_stocktake_sweep {
	size_t	 campaigns;
	size_t	 items;
};
struct core_sweep {
	struct core_hr_sweep hr;		/* HR events and leavers */
	size_t	 priv_ended;			/* activations whose time is up */
	size_t	 expired;			/* IDs past their end date */
	size_t	 exceptions_expired;		/* exceptions whose end came */
	struct core_password_sweep password;	/* temporary passwords */
	struct core_stocktake_sweep stocktake;	/* deadlines' defaults */
};
/*
 * Everything due now, as the system: privileged activations whose time
 * is up ended, IDs past their end date expired and locked, the HR events
 * of the day, temporary passwords past their
 * deadline (seen changed on the system, or locked).  failed is told of each event
 * that cannot be applied (the others go on).  0, or -1 with *cause (the
 * clock behind the ledger, or the ledger unreadable or unwritable).
 */
int		 core_sweep(struct store *, const struct core_config *,
		     void (*)(void *, const char *), void *, struct core_sweep *,
		     char **);
/* action-expire.c: IDs past their end date, expired; how many. */
int		 core_expire_sweep(struct store *, size_t *, char **);

/* query-passwords.c -- rotation status, from one scan of the live IDs */
/* A password's status, worst first (the order the Passwords screen shows). */
enum {
	CORE_PW_OVERDUE,			/* past max_age_days */
	CORE_PW_TEMP_EXPIRED,			/* a temporary one past its
						   deadline */
	CORE_PW_SHARED_DUE,			/* a shared ID's: a user left */
	CORE_PW_DUE,				/* within warn_days of it */
	CORE_PW_TEMPORARY,			/* a temporary one, in time */
	CORE_PW_UNKNOWN,			/* never set by daicho, and the
						   policy has a limit */
	CORE_PW_OK,
	CORE_PW_NSTATUS
};
/* "overdue", "temp-expired", ...: by CORE_PW_*. */
extern const char *const core_password_status_names[CORE_PW_NSTATUS];
/* One live ID's password, valid during the callback only. */
struct core_password {
	char	 system[40];
	char	 login[40];
	char	 kind[12];
	char	 state[12];
	char	 owner[16];			/* employee number, or "" */
	int64_t	 set_at;			/* unix time daicho set it; -1
						   unknown */
	char	 set_by[40];			/* operator, @system, or "" */
	int64_t	 temp_until;			/* a temporary one's deadline;
						   -1: not temporary */
	int	 must_change;			/* a change is forced */
	char	 why_due[96];			/* account.password_due: why a
						   shared ID's must change */
	int	 max_age_days, warn_days;	/* the policy's, for its system
						   and kind */
	int64_t	 age_due;			/* set_at + max_age; -1: none
						   (no limit, or unknown) */
	int64_t	 due;				/* the status's date: temp_until
						   for a temporary one, else
						   age_due; -1: none */
	int	 status;			/* CORE_PW_* */
};
/*
 * Every live ID (not revoked) by system and login, its password judged
 * at now: cb gets each.  The policy is read once per system and kind.
 * 0, or -1 with *cause.
 */
int		 core_password_status(struct store *, time_t,
		     void (*)(void *, const struct core_password *), void *,
		     char **);
/* How many live IDs are in each status at now; for the dashboard. */
struct core_password_counts {
	int64_t	 n[CORE_PW_NSTATUS];		/* by CORE_PW_* */
	int64_t	 forced;			/* of all, a change forced */
	int64_t	 covered;			/* due, but an exception in
						   force covers its rule: not
						   in n[] */
};
int		 core_password_counts(struct store *, time_t,
		     struct core_password_counts *, char **);
/* password.c -- a password typed for an ID: quality, history, sweep */
#define CORE_PASSWORD_MAX	127	/* bytes: what a target request carries */
/*
 * Whether pw may be the password of login on system under policy p:
 * valid UTF-8 with no control character (C0, DEL, C1), then libpwquality
 * (min_length, min_classes, dictcheck with cracklib's dictionary,
 * usercheck with the login as the user; name, the owner's name or NULL,
 * is refused too under usercheck), then none of the newest p->history
 * passwords of the ID (password_history).  0, or -1 with *cause naming
 * the rule broken (never any part of the password).
 */
int		 core_password_check(struct store *, const struct core_policy *,
		     const char *, const char *, const char *, const char *,
		     char **);
/* The policy in force for the ID system/login (its kind's).  0 or -1. */
int		 core_password_policy(struct store *, const char *,
		     const char *, struct core_policy *, char **);
/*
 * Add pw's Argon2id hash to the ID's history as set at set_at (unix
 * seconds; -1: when the ledger says daicho last set it), keeping the newest of the policy's depth.  Not in the ledger
 * and not replayed.  0, or -1 with *cause.
 */
int		 core_password_remember(struct store *, const char *,
		     const char *, const char *, int64_t, char **);
/* What core_password_sweep did: struct core_password_sweep (sweep.c). */
/*
 * As the system, for every ID that id.lock may lock (active, suspended,
 * pending, dormant) whose temporary password's
 * deadline (password_temp_until) is before now: list its system once; an
 * ID the target shows changed since the temporary password was set (no
 * change forced, last change on or after that day) gets id.password_seen,
 * any other id.lock, reason "temporary password not changed in time"
 * (whose apply clears the temp mark).  One transaction; nothing written
 * when nothing is due.  0, or -1 with *cause (the clock behind the
 * ledger's newest entry included).
 */
int		 core_password_sweep(struct store *, time_t,
		     struct core_password_sweep *, char **);
#define CORE_TEMP_EXPIRED_REASON "temporary password not changed in time"

/* action-priv.c, query-priv.c -- privileged IDs with time limits */
/* One request to activate a privileged ID, and what became of it. */
struct core_priv_req {
	uint64_t idx;				/* its priv.request entry */
	char	 system[40];
	char	 login[40];
	char	 requester[64];
	char	 approver[64];			/* who decided, or "" */
	int64_t	 minutes;
	char	 reason[1040];
	char	 state[12];			/* requested, active, rejected,
						   ended, expired */
	int64_t	 start_at, end_at;		/* unix seconds; 0 before */
	char	 ended_by[64];			/* operator, @system, or "" */
	char	 note[1040];			/* a rejection's or an end's
						   reason, or "" */
	int64_t	 left;				/* active: seconds left at the
						   time asked; else 0 */
};
/*
 * The requests in state (NULL: all), newest first, with the seconds left
 * at now: cb gets each (valid during the call).  Sets *count.  0 or -1
 * with *cause.
 */
int		 core_priv_requests(struct store *, const char *, time_t,
		     void (*)(void *, const struct core_priv_req *), void *,
		     size_t *, char **);
/*
 * Requests awaiting a decision, activations running, and when the first
 * of them ends (unix seconds; 0 when none): the dashboard's.
 */
int		 core_priv_counts(struct store *, int64_t *, int64_t *,
		     int64_t *, char **);
/*
 * As the system, end every activation whose end has come by now:
 * priv.end with reason "expired", all in one transaction; *ended is how
 * many.  Writes nothing when none is due.  0, or -1 with *cause (nothing
 * written; a clock behind the newest entry is refused so).
 */
int		 core_priv_sweep(struct store *, time_t, size_t *, char **);
/* One holder of a live privileged ID (one row per holder). */
struct core_priv_holder {
	char	 system[40];
	char	 login[40];
	char	 state[12];			/* active: in use */
	char	 mode[12];			/* jit, standing, emergency */
	char	 owner[16];			/* employee number, or "" */
	char	 owner_name[260];
	char	 employment[16];
	int	 contractor;			/* else staff */
	int64_t	 in_use;			/* privileged IDs active on
						   the system */
	int	 max;				/* the policy's max_holders;
						   0: no limit */
	int	 over;				/* in_use > max */
};
/* Every live privileged ID's holders, by system and login.  0 or -1. */
int		 core_priv_holders(struct store *, void (*)(void *,
		     const struct core_priv_holder *), void *, size_t *,
		     char **);
/* One row of the register (特権ID管理台帳), valid during the callback. */
struct core_priv_entry {
	const char	*system, *login, *state;
	int		 renamed;		/* the initial name was changed */
	const char	*rights, *purpose;
	const char	*mode;			/* standing, time-limited,
						   emergency */
	const char	*manager;		/* "E0000002 加藤 美咲", or "" */
	const char	*holders;		/* "E… NAME (staff)"; "; " */
	const char	*grants;		/* "START..END requested by A,
						   approved by B (state)"; "; " */
	const char	*password_set;		/* RFC 3339 UTC, or "" */
	const char	*password_set_by;
	const char	*reviewed;		/* the last review's entry, or
						   "" (stocktakes to come) */
};
#define CORE_PRIV_NFIELDS	13
extern const char *const core_priv_register_head[CORE_PRIV_NFIELDS];
/* Every privileged ID, revoked too, by system and login.  0 or -1. */
int		 core_priv_register(struct store *, void (*)(void *,
		     const struct core_priv_entry *), void *, size_t *,
		     char **);
/* An entry's fields in core_priv_register_head's order. */
void		 core_priv_entry_fields(const struct core_priv_entry *,
		     const char *[CORE_PRIV_NFIELDS]);

/* analysis.c -- reviewing the ledger's own records over a period */
enum {
	CORE_AN_FAILED,				/* session.failure */
	CORE_AN_OUT_OF_HOURS,			/* an operator's entry outside
						   allowed_hours (scope '*') */
	CORE_AN_PRIVILEGED,			/* priv.*, id.rotate_password,
						   id.* of a privileged ID */
	CORE_AN_EMERGENCY,			/* incident.*,
						   exception.emergency */
	CORE_AN_EXPORTS,			/* data.export */
	CORE_AN_N
};
/* "failed", "out_of_hours", ...: by CORE_AN_*, as review.done's counts
 * name them; and "failed logins", ... for people (N_(): show _(title)). */
extern const char *const core_analysis_names[CORE_AN_N];
extern const char *const core_analysis_titles[CORE_AN_N];
#define CORE_AN_WHY	256
/* One entry of the period in at least one category. */
struct core_analysis_hit {
	const struct store_entry *e;		/* valid during the call */
	unsigned	 cats;			/* bit i: CORE_AN_i */
	int		 locked;		/* a failure that locked its
						   terminal (the attempts-th) */
	const char	*why;			/* each category's reason,
						   "; " between: English,
						   as the CSV has it */
	const char	*shown;			/* the same, translated:
						   for people */
};
/* What the analysis of [from, to) found. */
struct core_analysis {
	time_t	 from, to;
	int64_t	 n[CORE_AN_N];			/* entries in each category */
	int64_t	 lockouts;			/* failures that locked a
						   terminal */
	int64_t	 hits;				/* entries in any category */
	uint64_t entries;			/* entries in the period */
	uint64_t first, end;			/* their indexes, [first, end) */
};
/*
 * The entries of [from, to) (unix seconds) in any category, oldest
 * first: cb (may be NULL) gets each, and *res the counts.  With cfg,
 * the failure that locked its terminal (login_attempts within
 * login_lockout_minutes) is marked; without, none is.  Only the period
 * is read (a binary search finds its first entry).  0, or -1 with
 * *cause.
 */
int		 core_analysis_run(struct store *, const struct core_config *,
		     time_t, time_t, void (*)(void *,
		     const struct core_analysis_hit *), void *,
		     struct core_analysis *, char **);
/* The counts as review.done records them: "failed=3,out_of_hours=1,...". */
void		 core_analysis_counts(const struct core_analysis *, char *,
		     size_t);
/* The CORE_AN_* of a name ("failed"), or -1. */
int		 core_analysis_category(const char *);

/* action-review.c -- review.done: someone reviewed a period's records */
struct core_review {
	uint64_t idx;				/* its review.done entry */
	char	 reviewer[64];
	int64_t	 from_at, to_at;		/* the period, [from, to) */
	char	 comment[2048];
	char	 counts[256];			/* what the analysis showed */
};
/* Every review, newest first; cb gets each.  Sets *count.  0 or -1. */
int		 core_review_list(struct store *, void (*)(void *,
		     const struct core_review *), void *, size_t *, char **);
/*
 * Whether a review is due at now: 1 when none was ever recorded or the
 * latest period reviewed ended more than review_interval_days ago, else
 * 0; *last is that end (0: none ever) and *days the interval.  -1 with
 * *cause.
 */
int		 core_review_due(struct store *, time_t, int64_t *, int *,
		     char **);

/* export.c -- the bulk export of personal data, approved and recorded */
#define CORE_EXPORT_PEOPLE	0	/* the people, as the import reads them */
#define CORE_EXPORT_IDS		1	/* every ID, revoked ones too */
#define CORE_EXPORT_PRIVILEGED	2	/* the privileged-ID register */
struct core_export {
	int		 what;			/* CORE_EXPORT_* */
	int		 tsv;			/* 0: CSV (RFC 4180, CRLF) */
	enum csv_encoding enc;			/* CSV_UTF8 or CSV_CP932 */
	const char	*path;			/* FILE, which must not exist */
};
struct core_export_result {
	size_t	 rows;				/* not counting the header */
	size_t	 bytes;				/* of the file */
	char	 sha256[STORE_HASH_HEX];	/* of exactly those bytes */
	uint64_t entry;				/* the data.export entry, or 0 */
	char	*path;				/* FILE made absolute, once
						   recorded; see _result_free */
	int	 unplaced;			/* recorded, but the file could
						   not be put in place (and
						   was removed) */
};
/*
 * Whether path can be exported to: its directory exists and path names
 * nothing yet (not even a symbolic link).  For a command to ask before
 * anyone authenticates; core_export asks again.  0, or -1 with *cause.
 */
int		 core_export_check(const char *, char **);
/*
 * Export req as who (an admin, with the approver) to a new file: the
 * rows read, laid out and encoded in one transaction with the data.export
 * entry that records them; the bytes written to a temporary file in the
 * same directory (0600) and fsynced before the entry, and renamed to
 * req->path (never over anything) after it.  0, or -1 with *cause: then
 * no file is left, and no entry was written unless res->entry is set
 * (res->unplaced: the rename failed after the commit).  cfg gives the
 * people's headers and words.  Free res with core_export_result_free.
 */
int		 core_export(struct store *, const struct core_config *,
		     const struct core_export *, const struct core_actor *,
		     struct core_export_result *, char **);
void		 core_export_result_free(struct core_export_result *);

/* query.c -- what the console shows */
struct core_counts {
	int64_t	 admins, approvers, auditors;	/* active operators */
	int64_t	 people;
	int64_t	 failures_24h;			/* failed logins, last 24 h */
	int64_t	 systems, ids;			/* registered; live IDs */
	int64_t	 outbox_pending;		/* target operations waiting */
	int64_t	 workorders;			/* of them, work orders for a
						   person (manual systems) */
	int64_t	 outbox_failed;			/* given up after retries */
	int64_t	 outbox_retrying;		/* pending after a failure */
	int64_t	 incidents_active;		/* lockouts not yet restored */
	int64_t	 passwords_unrevealed;		/* IDs whose temporary password
						   nobody saw: issue a fresh one */
};
int		 core_counts(struct store *, struct core_counts *, char **);
struct core_operator {
	char	 name[40];
	int	 role;				/* CORE_ROLE_* */
	int	 active;
	uint64_t added, changed;		/* entry indexes */
};
/* Every operator, active or removed, by name; caller frees *out. */
int		 core_operator_list(struct store *, struct core_operator **,
		     size_t *, char **);
struct core_system {
	char	 name[40];
	char	 type[8];			/* unix, ldap, exec, manual */
	char	 title[160];
	int	 conf, integ, avail;		/* classes, 1-3 / 1-2 / 1-2 */
	uint64_t added;				/* entry index */
	int64_t	 ids;				/* live IDs */
	int64_t	 locked;			/* of them locked or suspended */
	int64_t	 pending, failed;		/* target operations */
};
/* Every system, by name; caller frees *out. */
int		 core_system_list(struct store *, struct core_system **,
		     size_t *, char **);
/*
 * The choices a form's picker lists for a field, by value: source
 * "system" (every system: label its title, detail its type),
 * "department" (the people's departments: n, how many people) or
 * "person" (every person by employee number: label the name, detail the
 * department).  Caller frees *out.  0, or -1 with *cause (an unknown
 * source too).
 */
struct core_pick {
	char	 value[96];
	char	 label[128];
	char	 detail[96];
	int64_t	 n;
};
int		 core_pick_list(struct store *, const char *,
		     struct core_pick **, size_t *, char **);
struct core_id {
	char	 system[40];
	char	 login[40];
	char	 kind[12];
	char	 state[12];
	char	 owner[16];			/* employee number, or "" */
	char	 owner_name[64];
	char	 department[96];		/* the owner's, or the users' */
	char	 end_date[12];
	char	 sponsor[16];
	char	 users[128];			/* a shared ID's, comma-separated */
	int	 break_glass;
	int	 password_unrevealed;		/* needs a fresh temporary one */
	uint64_t created, changed;		/* entry indexes */
	int64_t	 unfinished;			/* target operations not applied */
};
/* Every ID, revoked ones included, by system and login; caller frees. */
int		 core_id_list(struct store *, struct core_id **, size_t *,
		     char **);
/* One ID: 0, 1 when there is none, -1 with *cause. */
int		 core_id_get(struct store *, const char *, const char *,
		     struct core_id *, char **);
/*
 * The ledger entries about one ID, oldest first: its own actions and
 * results, and the incidents and lost cards that included it.  cb gets
 * each (valid during the call only).  0 or -1 with *cause.
 */
int		 core_id_history(struct store *, const char *, const char *,
		     void (*)(void *, const struct store_entry *), void *,
		     char **);
struct core_incident {
	uint64_t idx;				/* its incident.lock entry */
	char	 scope[80];
	char	 reason[260];
	char	 state[12];			/* active, restored */
	char	 opened[32];
	uint64_t restored;			/* incident.restore entry, or 0 */
	int64_t	 accounts;			/* IDs it took */
	int64_t	 failed;			/* locks the targets refused */
};
/* Every incident, newest first; caller frees *out. */
int		 core_incident_list(struct store *, struct core_incident **,
		     size_t *, char **);
/*
 * The target operations queued by entry idx that are not applied (yet):
 * cb gets system, login and the error.  Sets *count.  0 or -1, *cause.
 */
int		 core_incident_failures(struct store *, uint64_t,
		     void (*)(void *, const char *, const char *, const char *),
		     void *, size_t *, char **);
/* One ID an incident took. */
struct core_incident_id {
	char	 system[40];
	char	 login[40];
	char	 prior[12];			/* its state before the lockout */
	char	 now[12];			/* its state now */
	char	 lock[12];			/* the incident's lock on the
						   system: applied, pending,
						   failed; "" when none was
						   needed (locked before) */
	char	 error[160];			/* why the lock failed, or "" */
};
/*
 * Every ID incident idx took, by system and login: cb gets each (valid
 * during the call only).  Sets *count.  0 or -1 with *cause.
 */
int		 core_incident_ids(struct store *, uint64_t,
		     void (*)(void *, const struct core_incident_id *), void *,
		     size_t *, char **);

/* action-incident.c */
/*
 * How many live IDs an emergency lockout of scope would lock ("person:N",
 * "department:D", "system:S", "contractors", "all"): the preview the
 * operator confirms by typing the count.  0 or -1 with *cause.
 */
int		 core_lockout_preview(struct store *, const char *, int64_t *,
		     char **);
/* One ID a lockout of a scope would take, or spare. */
struct core_lockout_id {
	char	 system[40];
	char	 login[40];
	char	 kind[12];
	char	 state[12];			/* now; the incident records it
						   as the prior state */
	char	 owner[16];			/* employee number, or "" */
	char	 others[192];			/* a shared ID's users the scope
						   does not cover: departments
						   ("都市計画課,情報政策課") for a
						   department, "E0000003 課"
						   for a person; "" if none */
	int	 exempt;			/* break-glass, spared by "all":
						   not locked */
};
/*
 * What a lockout of scope would take, by system and login: cb gets each
 * live ID in scope, and for "all" each break-glass ID it spares (exempt
 * set), valid during the call only.  *count is the IDs it would lock
 * (core_lockout_preview's count).  0 or -1 with *cause.
 */
int		 core_lockout_ids(struct store *, const char *,
		     void (*)(void *, const struct core_lockout_id *), void *,
		     size_t *, char **);
/*
 * The live break-glass IDs that scope spares (only "all" spares any), by
 * name: *names is "login on system, ..." or NULL when none (caller
 * frees), *count how many.  0 or -1 with *cause.
 */
int		 core_lockout_exempt(struct store *, const char *, char **,
		     int64_t *, char **);

/* outbox.c */
struct core_outbox_stats {
	size_t	 systems;			/* systems with work */
	size_t	 applied;
	size_t	 failed;
};
/*
 * Apply every pending target operation, a batch per system, and record
 * each result in the ledger (as the system).  Unattended: no temporary
 * password is shown; an ID that got one is marked (password=unrevealed)
 * for an operator to issue a fresh one.  0, or -1 with *cause when the
 * ledger could not be written.
 */
int		 core_outbox_run(struct store *, struct core_outbox_stats *,
		     char **);
/*
 * The same for the systems entry queued work on (0: every system), for
 * the operator who just ran entry: reveal, when not NULL, gets the
 * temporary passwords of entry's own operations once (arg, system, login,
 * password; wiped after), and no other.  progress is told (arg, the
 * system about to be done or NULL at the end, systems done, systems in
 * all) before each system's batch.
 */
/*
 * core_outbox_run_progress for entry, whose "password" rows (set by
 * id.set_password or id.rotate_password) get secret, the cleartext, in
 * memory only (the target's TARGET_SET_PASSWORD req.secret, in
 * sodium_malloc'd memory, wiped after).  Any other run records a pending
 * "password" row failed at once ("the password was never stored; set it
 * again").  0, or -1 with *cause.
 */
int		 core_outbox_run_secret(struct store *, uint64_t, const char *,
		     void (*)(void *, const char *, const char *, const char *),
		     void (*)(void *, const char *, size_t, size_t), void *,
		     struct core_outbox_stats *, char **);
int		 core_outbox_run_progress(struct store *, uint64_t, void (*)(void *,
		     const char *, const char *, const char *), void (*)(void *,
		     const char *, size_t, size_t), void *,
		     struct core_outbox_stats *, char **);

/* reconcile.c */
struct core_drift {
	char		 system[40];
	char		 login[40];
	int		 code;			/* CORE_DRIFT_* */
	const char	*what;			/* "unregistered", "missing", ... */
	const char	*remedy;
	int		 locked;		/* on the system: 1, 0, -1 unknown
						   (or missing there) */
	char		 name[128];		/* the system's display name */
	long long	 exception;		/* the exception in force that
						   covers it (core_reconcile),
						   or 0 */
};
#define CORE_DRIFT_UNREGISTERED	1	/* on the system, not in the ledger */
#define CORE_DRIFT_MISSING	2	/* in the ledger, not on the system */
#define CORE_DRIFT_OPENED	3	/* locked in the ledger, open there */
#define CORE_DRIFT_LOCKED	4	/* active in the ledger, locked there */
#define CORE_DRIFT_PENDING	5	/* an operation waits in the outbox */
/*
 * Compare system's accounts with the ledger's IDs; cb gets each finding,
 * with the exception in force now that covers its rule (unregistered or
 * drifted) for that account or its system, as the findings mark it.
 * Sets *count (every difference) and *covered (those an exception
 * covers); 0, or -1 with *cause (the system cannot be listed).
 */
int		 core_reconcile(struct store *, const char *,
		     void (*)(void *, const struct core_drift *), void *,
		     size_t *, size_t *, char **);

/* One account as its system shows it (core_system_account). */
struct core_sysacct {
	int	 locked;			/* 1, 0, -1 unknown */
	int	 system_account;		/* the OS's own: not daicho's */
	char	 name[128];
};
/*
 * Look login up on system through its target (not a manual system).
 * 0 and *out when it is there, 1 when it is not, -1 with *cause.
 */
int		 core_system_account(struct store *, const char *,
		     const char *, struct core_sysacct *, char **);

/* action-finding.c -- acting on reconciliation's findings */
/* The remedies that fit finding d: a mask of CORE_REMEDY_* bits. */
#define CORE_REMEDY_LOCK	0x1	/* lock it on the system */
#define CORE_REMEDY_ADOPT	0x2	/* register it as it is (id.adopt) */
#define CORE_REMEDY_REMOVE	0x4	/* delete it from the system */
int		 core_drift_remedies(const struct core_drift *);
/* "lock", "adopt", "remove" into a CORE_REMEDY_* bit; 0 if none. */
int		 core_remedy_parse(const char *);
/*
 * Prepare remedy (a CORE_REMEDY_* bit) for the account login on system:
 * adds system, login and what the remedy needs to *a (for adopt, the
 * caller adds kind, owner and the like first; the state is the one the
 * system shows), sets *action to the action that carries it out, and
 * *preview (caller frees) to what running it will do, one line each.
 * Nothing is written.  0, or -1 with *cause (the remedy does not fit).
 */
int		 core_remedy_prepare(struct store *, const char *,
		     const char *, int, struct store_args *, const char **,
		     char **, char **);

/* findings.c -- the ledger against the HR records and the systems */
#define CORE_REMEDY_REVOKE	0x8	/* revoke the ID (id.revoke) */
#define CORE_REMEDY_FORCE	0x10	/* force a password change at next
					   login (id.force_change) */
/* One rule: a row of core_findings_rules. */
struct core_rule {
	const char	*name;			/* "leaver-active": stable */
	const char	*severity;		/* high, medium, low */
	const char	*clause;		/* the policy clause it enforces */
	const char	*remedy;		/* what fixes it, in a word */
	int		 remedies;		/* CORE_REMEDY_* a bulk remedy
						   may apply; 0: a person's */
	const char	*summary;		/* one line, for daicho(8) */
};
#define CORE_FINDINGS_NRULES	14
extern const struct core_rule core_findings_rules[CORE_FINDINGS_NRULES];
/* One finding, valid during the callback only. */
struct core_finding {
	int		 rule;			/* index in core_findings_rules */
	const char	*remedy;		/* the one that fits it best */
	int		 remedies;		/* CORE_REMEDY_* that fit it */
	char		 subject[96];		/* "linux-honcho/u123",
						   "person:E0000006" */
	char		 system[40];		/* an ID's, or "" */
	char		 login[40];
	char		 detail[512];
	long long	 exception;		/* the exception in force that
						   covers it, or 0: open */
};
/* The index of rule name, or -1. */
int		 core_findings_rule(const char *);
/* "lock", "revoke", "remove", "adopt", "force-change" into a
 * CORE_REMEDY_* bit; 0 if none (then "review" and the like name work for
 * a person). */
int		 core_findings_remedy_parse(const char *);
/*
 * Every finding of the rules in mask (bit i: core_findings_rules[i]), as
 * of today (local time) with cfg's dormant_days and leaver_grace_days,
 * grouped by rule in table order: cb gets each.  Each system is listed
 * once.  Sets *count.  0; or -1 with *cause, when the ledger could not be
 * read, or a system could not be listed (the other findings are given
 * all the same).
 */
int		 core_findings(struct store *, const struct core_config *,
		     unsigned, void (*)(void *, const struct core_finding *),
		     void *, size_t *, char **);
/*
 * The action and arguments that apply remedy (a CORE_REMEDY_* bit) to
 * finding f: adds system, login and a reason to *a (the caller may have
 * added others, adopt's kind), sets *action.  Nothing is written.  0, or
 * -1 with *cause when the remedy does not fit the finding.
 */
int		 core_findings_fix(struct store *, const struct core_finding *,
		     int, struct store_args *, const char **, char **);
/* One finding's remedy as its action: what core_findings_fix made. */
struct core_fix {
	const struct core_finding *f;		/* the finding it fixes */
	const char	*action;
	struct store_args args;			/* point into f and the caller's */
};
/*
 * Run the n fixes in one transaction, as operator, with approver named in
 * those whose action needs a second person now (core_needs_approver):
 * all of them, or none.  A key an hour old is rotated first, as core_run
 * does for one action.  Shared by the command line and the console.  0;
 * or -1 with *cause (naming the action and finding refused) and *failed
 * (that fix's index, or SIZE_MAX when no fix was at fault): nothing is
 * written.
 */
int		 core_findings_apply(struct store *, const char *,
		     const char *, const struct core_fix *, size_t, size_t *,
		     char **);
/* The rule table as daicho(8) text (mdoc), for help/mkman. */
void		 core_findings_man(FILE *);

/* exception.c -- exceptions to policy (例外措置) */
/* A refusal an exception may lift: a row of core_refusals. */
struct core_refusal {
	const char	*name;			/* "priv-outside-hours": stable */
	const char	*action;		/* the action that refuses */
	const char	*clause;		/* the policy clause it enforces */
	const char	*summary;		/* one line, for daicho(8) */
};
#define CORE_REFUSALS_N	3
extern const struct core_refusal core_refusals[CORE_REFUSALS_N];
/* Whether an exception may name rule: 0, or -1 with *cause listing the
 * rules it may name. */
int		 core_exception_rule_ok(const char *, char **);
/* The policy clause of a findings rule or refusal name ("" if none). */
const char	*core_exception_clause(const char *);
struct core_exc_set;	/* the exceptions in force at one time, loaded once */
/* The exceptions in force at t (state approved, emergency or reported,
 * start_at <= t < end_at) with their scopes, a person's expanded to the
 * IDs they own.  NULL with *cause; free with core_exceptions_free. */
struct core_exc_set *core_exceptions_load(struct store *, time_t, char **);
/* The number of the exception in force covering rule for this ID
 * (person: its owner's employee number, or NULL), or 0. */
long long	 core_exceptions_match(const struct core_exc_set *,
		     const char *, const char *, const char *, const char *);
void		 core_exceptions_free(struct core_exc_set *);
/* One exception as its row holds it. */
#define CORE_EXC_TEXT	1040
struct core_exception {
	uint64_t idx;				/* its request or emergency entry */
	char	 kind[12];			/* planned, emergency */
	char	 rule[40];
	char	 state[12];			/* requested, approved, rejected,
						   emergency, reported, ended,
						   expired */
	char	 scope[CORE_EXC_TEXT];		/* as given */
	char	 reason[CORE_EXC_TEXT];
	char	 measure[CORE_EXC_TEXT];	/* "" when none was given */
	char	 alternative[CORE_EXC_TEXT];
	char	 risk[CORE_EXC_TEXT];
	int64_t	 start_at, end_at;		/* unix seconds, [start, end) */
	int64_t	 requested_at;			/* its entry's time */
	char	 requester[64];
	char	 approver[64];			/* who decided or took the
						   report, or "" */
	int64_t	 decided_at;			/* 0: not yet */
	char	 comment[CORE_EXC_TEXT];	/* conditions, or why not */
	int64_t	 report_due;			/* emergency: 0 otherwise */
	int64_t	 reported_at;			/* 0: not reported */
	char	 report[CORE_EXC_TEXT];
	uint64_t ended_idx;			/* end or expiry, or 0 */
	char	 end_note[CORE_EXC_TEXT];
};
/* The exceptions in state (NULL: all), newest first: cb gets each
 * (valid during the call).  Sets *count.  0 or -1 with *cause. */
int		 core_exception_list(struct store *, const char *,
		     void (*)(void *, const struct core_exception *), void *,
		     size_t *, char **);
/* Exception n into *x: 0, 1 when there is none, -1 with *cause. */
int		 core_exception_get(struct store *, long long,
		     struct core_exception *, char **);
/* Emergency exceptions not reported by their report_due at now. */
int		 core_exception_overdue(struct store *, time_t, int64_t *,
		     char **);
/*
 * The exception register (例外措置台帳) of fiscal year fy (April 1 to
 * March 31, in the policy's timezone; 0: every year) as text, or as CSV
 * (UTF-8, a header row), to f.  Deterministic: from the tables only.
 * 0, or -1 with *cause.
 */
int		 core_exception_register(struct store *, int, int, FILE *,
		     char **);
/*
 * As the system, expire every exception whose end has come by now
 * (exception.expire), all in one transaction; *expired is how many.
 * Writes nothing when none is due.  0, or -1 with *cause.
 */
int		 core_exception_sweep(struct store *, time_t, size_t *, char **);

/* workorder.c -- the manual target: outbox rows a person carries out */
struct core_workorder {
	uint64_t entry;				/* the entry that queued it */
	int	 seq;				/* its row in that entry */
	char	 system[40];
	char	 login[40];
	char	 op[16];			/* "create", "lock", ... */
	char	 arg[256];			/* name, end date, or "" */
	char	 state[8];			/* pending, applied, failed */
	int	 manual;			/* its system is manual */
	char	 queued[32];			/* the entry's time, RFC 3339 */
	char	 action[32];			/* the entry's action */
	char	 queued_by[40];			/* its operator, or @system */
};
/*
 * Every open work order (a pending operation on a manual system), oldest
 * first; cb gets each, valid only during the call.  Sets *count; 0, or -1
 * with *cause.
 */
int		 core_workorder_list(struct store *,
		     void (*)(void *, const struct core_workorder *), void *,
		     size_t *, char **);
/* The same for every work order, open or closed (w->state says which). */
int		 core_workorder_list_all(struct store *,
		     void (*)(void *, const struct core_workorder *), void *,
		     size_t *, char **);
/*
 * The outbox row entry/seq, open or not, on any system (w->manual says
 * whether it is a work order).  0, 1 when there is none, -1 with *cause.
 */
int		 core_workorder_get(struct store *, uint64_t, int,
		     struct core_workorder *, char **);
/*
 * Open work orders: the part of core_counts' outbox_pending that waits for
 * a person rather than a target.  0 or -1 with *cause.
 */
int		 core_workorder_count(struct store *, int64_t *, char **);

/* stocktake.c, action-stocktake.c, stocktake-report.c -- the quarterly
 * ID stocktake (棚卸し): a campaign snapshots every ID in its scope
 * (stocktake.start), reviewers decide each (stocktake.decide), and
 * stocktake.close carries the revocations out and seals the review list. */
#define CORE_STOCKTAKE_NDECISIONS 5
/* keep change suspend revoke investigate: stocktake.decide's words. */
extern const char *const core_stocktake_decisions[CORE_STOCKTAKE_NDECISIONS];
/* 継続 変更 停止 削除 要調査: the review list's words, in the same order. */
extern const char *const core_stocktake_decisions_ja[CORE_STOCKTAKE_NDECISIONS];
#define CORE_STOCKTAKE_NSTATES	7
/* pending active suspended locked dormant expired revoked: an ID's
 * states as the snapshot took them, the chart's columns. */
extern const char *const core_stocktake_states[CORE_STOCKTAKE_NSTATES];
/* One campaign, numbered by its stocktake.start entry. */
struct core_stocktake {
	uint64_t idx;				/* the campaign's number */
	char	 title[260];			/* "" when none was given */
	char	 scope[260];			/* all, system:S,department:D */
	int64_t	 deadline;			/* unix seconds: the end of the
						   deadline's day (exclusive) */
	char	 snapshot[STORE_HASH_HEX];	/* SHA-256 of the snapshot */
	int64_t	 items;				/* IDs in it */
	int64_t	 decided;			/* of them decided */
	char	 state[8];			/* open, closed */
	char	 started_by[64];
	int64_t	 started_at;			/* unix seconds */
	uint64_t defaulted_idx;			/* the deadline's defaults, 0 */
	uint64_t closed_idx;			/* stocktake.close, or 0 */
	char	 closed_by[64], closed_approver[64];
	int64_t	 closed_at;			/* unix seconds, or 0 */
};
/*
 * Every campaign, newest first: cb gets each (valid during the call).
 * Sets *count.  0 or -1 with *cause.
 */
int		 core_stocktake_list(struct store *, void (*)(void *,
		     const struct core_stocktake *), void *, size_t *, char **);
/* One campaign: 0, 1 when there is none, -1 with *cause. */
int		 core_stocktake_get(struct store *, uint64_t,
		     struct core_stocktake *, char **);
/* One item: an ID as the snapshot took it, and what was decided.  The
 * strings are "" when empty, valid during the callback only. */
struct core_stocktake_item {
	uint64_t	 campaign;
	const char	*system, *login;
	const char	*kind;			/* personal, shared, ... */
	const char	*state;			/* at the start */
	const char	*owner;			/* employee number */
	const char	*owner_name;
	const char	*id_department;		/* the ID's: its owner's post as
						   the ledger knows it, or a
						   shared ID's users' */
	const char	*hr_department;		/* the HR records' */
	const char	*hr_status;		/* active, leave, retired */
	const char	*employment;		/* regular, ..., contractor */
	const char	*transfer_date;		/* the last transfer order */
	const char	*rights;		/* a privileged ID's */
	uint64_t	 granted_idx;		/* the entry that created it */
	const char	*end_date;
	int64_t		 last_use;		/* unix seconds; -1 unknown */
	int64_t		 password_set_at;	/* unix seconds; -1 unknown */
	const char	*findings;		/* rule names, comma-separated */
	long long	 exception;		/* covering it, or 0 */
	const char	*recommendation;	/* keep, revoke */
	const char	*decision;		/* core_stocktake_decisions, or
						   "" undecided */
	const char	*reason;
	const char	*decided_by;		/* operator, or @system */
	uint64_t	 decided_idx;		/* 0: undecided */
	int64_t		 decided_at;		/* unix seconds, or 0 */
	uint64_t	 corrected_idx;		/* the close that carried it
						   out, or 0 */
	const char	*confirmed_by;		/* its approver, or "" */
};
/*
 * A filter on items: comma-separated key=value, every one must hold;
 * keys system, department (the ID's or HR's), kind, state,
 * recommendation, finding (a rule name), decided (yes|no).  NULL or ""
 * is every item.
 */
#define CORE_STOCKTAKE_FILTER_MAX 512		/* bytes of a filter */
struct core_stocktake_filter {
	const char	*system, *department, *kind, *state;
	const char	*recommendation, *finding;
	int		 decided;		/* -1 any, 0 no, 1 yes */
	char		 buf[CORE_STOCKTAKE_FILTER_MAX]; /* the strings above */
};
/* Parse filter text into *f: 0, or -1 with *cause naming the bad key
 * or value.  Nothing to free. */
int		 core_stocktake_filter_parse(const char *,
		     struct core_stocktake_filter *, char **);
/* Whether item it passes filter f (NULL: every item). */
int		 core_stocktake_filter_match(const struct core_stocktake_filter *,
		     const struct core_stocktake_item *);
/*
 * The items of campaign that pass filter (text as above; NULL or "" is
 * all), by system and login: cb gets each (valid during the call).  Sets
 * *count.  0, or -1 with *cause (a bad filter, an unknown campaign).
 */
int		 core_stocktake_items_load(struct store *, uint64_t,
		     const char *, void (*)(void *,
		     const struct core_stocktake_item *), void *, size_t *,
		     char **);
/* How many items of campaign are decided, of how many.  0 or -1. */
int		 core_stocktake_progress(struct store *, uint64_t, int64_t *,
		     int64_t *, char **);
/* One department's bar of the chart. */
struct core_stocktake_bar {
	char	 department[96];		/* the ID's, else HR's, else "-" */
	int64_t	 total;
	int64_t	 state[CORE_STOCKTAKE_NSTATES];	/* by core_stocktake_states */
	int64_t	 decision[CORE_STOCKTAKE_NDECISIONS + 1]; /* by
						   core_stocktake_decisions;
						   the last: undecided */
};
/*
 * Campaign's items counted per department (by name), by state and by
 * decision: *out (caller frees), *n bars.  0 or -1 with *cause.
 */
int		 core_stocktake_chart(struct store *, uint64_t,
		     struct core_stocktake_bar **, size_t *, char **);
/*
 * Whether a campaign is due at now: quarters begin on Apr 1, Jul 1,
 * Oct 1 and Jan 1 in the policy timezone; due (1) when no campaign was
 * started since the current quarter began, whose first day goes into
 * quarter (YYYY-MM-DD, 11 bytes).  0 or -1 with *cause.
 */
int		 core_stocktake_due(struct store *, time_t, int *, char *,
		     char **);
/* The periodic inspection of one system (対策基準 §9(8)), from the
 * campaign's items and the policy in force. */
struct core_stocktake_inspection {
	char	 system[40];
	int64_t	 ids;				/* items on it */
	int64_t	 unnecessary;			/* recommended revoke */
	int64_t	 unnecessary_rights;		/* rights the post no longer
						   gives (mover-old-access),
						   or decided change */
	int64_t	 privileged;			/* privileged IDs */
	int	 max_age_days, history;		/* the policy's (personal) */
	int64_t	 pw_overdue;			/* set longer ago than
						   max_age_days at the start */
	int64_t	 pw_unknown;			/* never set by daicho */
	int	 conforms;			/* history kept, and no password
						   overdue */
};
/* Campaign's inspection, one row per system by name: cb gets each.
 * 0 or -1 with *cause. */
int		 core_stocktake_inspection(struct store *, uint64_t,
		     void (*)(void *, const struct core_stocktake_inspection *),
		     void *, char **);
/*
 * The review list (棚卸し確認リスト) of campaign, from the tables: text
 * (*txt, *txtlen) and CSV (*csv, *csvlen; RFC 4180, CRLF, every field
 * quoted), both caller frees.  format is report.txt's layout
 * (CORE_REPORT_FORMAT; 1 the one before), made the day the list is made
 * (format 2 shows it: the close's day when it is sealed).  The same
 * tables, format and day give the same bytes.  0 or -1 with *cause.
 */
int		 core_stocktake_report_format(struct store *, long long, int,
		     time_t, char **, size_t *, char **, size_t *, char **);
/* The same in the current format, made today (a closed campaign: the
 * day it was closed), as stocktake.close would seal it now. */
int		 core_stocktake_report(struct store *, long long, char **,
		     size_t *, char **, size_t *, char **);
/*
 * As the system, at now: every open campaign whose deadline has passed
 * with items undecided gets stocktake.decide filter=decided=no with the
 * policy's stocktake_default.  Writes nothing when nothing is due.  0,
 * or -1 with *cause.
 */
int		 core_stocktake_sweep(struct store *, time_t,
		     struct core_stocktake_sweep *, char **);
/*
 * The configuration stocktake.start's snapshot judges by (dormant_days
 * for last use and the findings): the command line and the console set
 * it once they have read daicho.conf; daicho's defaults until then.
 */
void		 core_stocktake_config(const struct core_config *);
/*
 * When set, called after each step of stocktake.start with the step's
 * name ("begin", "findings", "lines", "blob_put", "append", "blob_get",
 * "temp", "insert", "row"): bench-stocktake times them.  NULL
 * otherwise.
 */
extern void	(*core_stocktake_step)(const char *);

/* replay.c */
/*
 * Rebuild the state tables from the ledger into a scratch database with
 * the actions' own apply functions, and compare them with the live
 * tables.  report gets one line per difference.  Returns the number of
 * differences, or -1 with *cause.
 */
int		 core_replay(struct store *, void (*)(void *, const char *),
		     void *, char **);

/* synth.c -- synthetic people; made up, deterministic from the seed */
struct core_synth_person {
	char	 employee_no[16];
	char	 name_kanji[64];
	char	 name_kana[128];
	char	 department[64];
	char	 position[32];
	char	 employment[16];
	char	 start_date[11];
};
void		 core_synth_person(uint64_t, uint64_t,
		     struct core_synth_person *);
/* person.add arguments for p (pointing into p, which must outlive a). */
void		 core_synth_args(const struct core_synth_person *,
		     struct store_args *);

/* qr.c */
/*
 * The QR code of text as lines of terminal text, two modules per
 * character cell using Unicode half blocks (utf8 != 0) or "##" pairs.
 * Returns a NULL-terminated array; free with core_qr_free.  NULL when
 * the text does not fit a QR code.
 */
char		**core_qr_lines(const char *, int);
void		 core_qr_free(char **);

/* demo.c */
/*
 * Fill a freshly initialised store with a synthetic city through the
 * normal actions: the demo operators, then people.  Refuses a ledger that
 * holds anything but its ledger.init entry.  0 or -1 with *cause.
 */
int		 core_seed_demo(struct store *, unsigned, char **);
/*
 * Then the demo city's systems and IDs: a unix system rooted at
 * DIR/unix-root (made here, holding only the OS's own accounts) whose
 * accounts the outbox creates, with a break-glass account, and a manual
 * system.  0 or -1 with *cause.
 */
int		 core_seed_demo_ids(struct store *, char **);
#define CORE_DEMO_ADMIN		"demo-admin"
#define CORE_DEMO_APPROVER	"demo-approver"
#define CORE_DEMO_AUDITOR	"demo-auditor"

/* query-people.c -- looking a person up */
/*
 * A search for people: the employee number (exact) is enough alone;
 * otherwise at least two of name, kana and department, each compared by
 * fold_name and matching anywhere in its field.  NULL or "" is no
 * criterion.  (Birth date would be a fourth: the records have none yet.)
 */
struct core_person_query {
	const char	*employee_no;
	const char	*name;
	const char	*kana;
	const char	*department;
	const char	*birth_date;		/* YYYY-MM-DD, matched exactly */
};
#define CORE_PERSON_QUERY_MAX	256		/* bytes of a criterion */
#define CORE_PERSON_FOUND_MAX	200		/* people one search returns */
/* A person's record. */
struct core_person {
	char	 employee_no[20];
	char	 name[1040];			/* exactly as recorded */
	char	 kana[1040];
	char	 department[1040];
	char	 position[1040];
	char	 employment[16];		/* regular, ..., contractor */
	char	 status[12];			/* active, leave, retired */
	char	 start_date[11], end_date[11];	/* "" for none */
	char	 transfer_date[11], retire_date[11];
	char	 birth_date[11];		/* "" when HR gave none */
	char	 source[8];			/* hr, manual */
	int	 missing;			/* the latest export lacks them */
	uint64_t changed;			/* entry index */
};
/*
 * The people q finds, by employee number, at most CORE_PERSON_FOUND_MAX
 * (*more set when there were others).  Fewer criteria than a search needs
 * is refused: -1 with *cause saying what to give.  Caller frees *out.
 */
int		 core_person_search(struct store *,
		     const struct core_person_query *, struct core_person **,
		     size_t *, int *, char **);
/* One person's record: 0, 1 when there is none, -1 with *cause. */
int		 core_person_get(struct store *, const char *,
		     struct core_person *, char **);
/*
 * The IDs a person owns and the shared IDs they are a user of, by system
 * and login; caller frees *out.  0 or -1 with *cause.
 */
int		 core_person_ids(struct store *, const char *,
		     struct core_id **, size_t *, char **);
/* The HR events about a person, by effective date (name left empty). */
int		 core_person_events(struct store *, const char *,
		     void (*)(void *, const struct core_hr_eventrow *), void *,
		     char **);
/*
 * The ledger entries whose subject is the person (person.add, ...),
 * oldest first; cb gets each (valid during the call).  0 or -1, *cause.
 * Their IDs' entries: core_id_history of each.
 */
int		 core_person_history(struct store *, const char *,
		     void (*)(void *, const struct store_entry *), void *,
		     char **);

/* report.c, action-report.c, inspection.c -- sealed reports */
/* A report row: the entry that sealed it and its files' SHA-256. */
struct core_report {
	uint64_t	 idx;			/* the sealing entry */
	char		 kind[16];		/* stocktake, inspection */
	char		 key[32];		/* campaign number, fiscal year */
	char		 txt[STORE_HASH_HEX];
	char		 csv[STORE_HASH_HEX];
	int64_t		 sealed_at;
	uint64_t	 removed_idx;		/* 0: kept */
};
/* The report of kind and key (a kept one before a removed one): 0, 1
 * when there is none, -1 with *cause. */
int		 core_report_find(struct store *, const char *, const char *,
		     struct core_report *, char **);
/* The report row of a sealing entry (its report_txt and report_csv),
 * for the apply of report.inspection; refuses a format it does not
 * know (core_report_format). */
int		 core_report_seal_apply(struct store *,
		     const struct store_entry *, const char *, const char *,
		     char **);
/*
 * The layout of a sealed report.txt, recorded by its sealing entry's
 * made argument format (docs/ledger-format.md 9): 1, ISO dates only,
 * for the entries made before there was a format; 2 with the era's date
 * (和暦) beside them.  report.csv is the same in both.
 */
#define CORE_REPORT_FORMAT	2	/* what new seals make */
/* The format sealing entry e's report was made in: 0 with *format, or
 * -1 with *cause for a value this daicho does not know. */
int		 core_report_format(const struct store_entry *, int *,
		     char **);
/* CORE_REPORT_FORMAT as the argument's value (caller frees). */
char		*core_report_format_arg(void);
/* Everything a report's package holds (docs/ledger-format.md 9). */
struct core_report_pkg {
	char		*txt, *csv;		/* the files, hash-checked */
	size_t		 txtlen, csvlen;
	uint8_t		*entry;			/* the sealing entry's bytes */
	size_t		 entrylen;
	uint64_t	 index;
	char		*proof;			/* its tlog-proof */
	uint64_t	 size;			/* the checkpoint's size */
	struct core_report_link {
		uint64_t	 index;		/* ledger.init, ledger.rotate */
		uint8_t		*entry;
		size_t		 len;
		char		*proof;
	}		*chain;
	size_t		 nchain;
};
/* The package of a kept report, against the latest checkpoint; refused
 * (naming why) for a campaign not closed or a report removed.  0 or -1
 * with *cause; free with core_report_package_free. */
int		 core_report_package(struct store *, const char *,
		     const char *, struct core_report_pkg *, char **);
void		 core_report_package_free(struct core_report_pkg *);
/* What the annual report is made of. */
struct core_inspection_in {
	int		 fy;			/* April fy to March fy+1 */
	time_t		 now;			/* the reference day */
	uint64_t	 size;			/* entries before the seal */
	int		 format;		/* report.txt's layout, 1 or
						   CORE_REPORT_FORMAT; 0: the
						   latter */
	const char	*preparer, *approver;
	const struct store_verify_result *verified;	/* the appendix */
};
struct core_report_bytes {
	char		*txt, *csv;		/* caller frees */
	size_t		 txtlen, csvlen;
};
/* The self-inspection report's two files (deterministic).  0 or -1. */
int		 core_inspection_report(struct store *,
		     const struct core_inspection_in *,
		     struct core_report_bytes *, char **);
/*
 * Seal fiscal year fy's report (report.inspection) as who, verified being
 * daicho verify's result just before (its appendix).  0 with *index, or
 * -1 with *cause.
 */
int		 core_inspection_seal(struct store *, const struct core_actor *,
		     int, const struct store_verify_result *, uint64_t *,
		     char **);
/* Fiscal year fy's bounds in zone: [April 1 fy, April 1 fy+1). */
void		 core_fiscal_year(int, const char *, time_t *, time_t *);
/* localtime and mktime in a named zone (tz database name). */
void		 core_zone_localtime(time_t, const char *, struct tm *);
time_t		 core_zone_mktime(struct tm *, const char *);

#endif
