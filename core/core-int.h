/*
 * core-int.h -- shared between the files of core/ only.
 */
#ifndef DAICHO_CORE_INT_H
#define DAICHO_CORE_INT_H

#include <stdio.h>

#include "core.h"

extern const struct core_action core_action_ledger_init;
extern const struct core_action core_action_ledger_rotate;
extern const struct core_action core_action_operator_add;
extern const struct core_action core_action_operator_remove;
extern const struct core_action core_action_operator_role;
extern const struct core_action core_action_person_add;
extern const struct core_action core_action_session_login;
extern const struct core_action core_action_session_failure;
extern const struct core_action core_action_session_logout;
extern const struct core_action core_action_session_lock;
extern const struct core_action core_action_session_unlock;
extern const struct core_action core_action_system_add;
extern const struct core_action core_action_id_create;
extern const struct core_action core_action_id_adopt;
extern const struct core_action core_action_id_users;
extern const struct core_action core_action_id_lock;
extern const struct core_action core_action_id_unlock;
extern const struct core_action core_action_id_suspend;
extern const struct core_action core_action_id_resume;
extern const struct core_action core_action_id_revoke;
extern const struct core_action core_action_id_end_date;
extern const struct core_action core_action_id_owner;
extern const struct core_action core_action_id_break_glass;
extern const struct core_action core_action_id_reset_password;
extern const struct core_action core_action_outbox_result;
extern const struct core_action core_action_incident_lock;
extern const struct core_action core_action_incident_restore;
extern const struct core_action core_action_id_lost_card;
extern const struct core_action core_action_workorder_done;
extern const struct core_action core_action_workorder_refuse;
extern const struct core_action core_action_finding_lock;
extern const struct core_action core_action_finding_remove;
extern const struct core_action core_action_hr_import;
extern const struct core_action core_action_hr_apply;
extern const struct core_action core_action_birthright_add;
extern const struct core_action core_action_birthright_remove;
extern const struct core_action core_action_data_export;
extern const struct core_action core_action_id_expire;
extern const struct core_action core_action_policy_set;
extern const struct core_action core_action_id_set_password;
extern const struct core_action core_action_id_force_change;
extern const struct core_action core_action_id_rotate_password;
extern const struct core_action core_action_id_password_seen;
extern const struct core_action core_action_operator_person;
extern const struct core_action core_action_priv_request;
extern const struct core_action core_action_priv_approve;
extern const struct core_action core_action_priv_reject;
extern const struct core_action core_action_priv_end;
extern const struct core_action core_action_priv_describe;
extern const struct core_action core_action_stocktake_start;
extern const struct core_action core_action_stocktake_decide;
extern const struct core_action core_action_stocktake_close;
extern const struct core_action core_action_stocktake_confirm;
extern const struct core_action core_action_review_done;
extern const struct core_action core_action_report_inspection;
extern const struct core_action core_action_report_remove;
extern const struct core_action core_action_exception_request;
extern const struct core_action core_action_exception_approve;
extern const struct core_action core_action_exception_reject;
extern const struct core_action core_action_exception_emergency;
extern const struct core_action core_action_exception_report;
extern const struct core_action core_action_exception_end;
extern const struct core_action core_action_exception_expire;

/* The two arguments that name an ID, first in its actions' tables. */
#define CORE_PARAMS_ID							\
	{ "system", CORE_ARG_REQUIRED, N_("the system") },		\
	{ "login", CORE_ARG_REQUIRED, N_("the ID's login name") }

/* action.c */
/* Keep a generated value alive for the run; returns it. */
const char	*core_run_keep(struct core_run *, char *);
/* An argument the action requires; -1 with *cause when missing. */
int		 core_arg(const struct core_run *, const char *, const char **,
		     char **);
/* Run one SQL statement with text parameters (NULL binds NULL). */
int		 core_sql(struct store *, const char *, char **, int, ...);

/* Whether the query (text parameters a, and b unless NULL) has a row. */
/* args.c: the arguments given are all in a's table, none of them one
 * daicho makes (core_run's check; the required ones are validate's). */
int		 core_args_known(const struct core_action *,
		     const struct store_args *, char **);
/* The ledger's state of system/login into a buffer ("" when it has none,
 * "revoked" included); 0, or -1 with *cause (action-id.c). */
int		 core_id_state(struct store *, const char *, const char *,
		     char *, size_t, char **);
int		 core_exists(struct store *, const char *, const char *,
		     const char *, int *, char **);
int		 core_person_exists(struct store *, const char *, int *,
		     char **);

/* action-incident.c: a scope (person:N, department:D, system:S,
 * contractors, all) as incident.lock reads it: the SQL condition on
 * account a, with ?1 bound to *value.  0, or -1 with *cause. */
int		 core_scope_cond(const char *, const char **, const char **,
		     char **);
/* action-password.c: the entry's time as a time_t (what apply uses,
 * never the clock), and as unix seconds into buf. */
int		 core_entry_when(const struct store_entry *, time_t *, char **);
int		 core_entry_time(const struct store_entry *, char *, size_t,
		     char **);

/* Text checks shared by the actions. */
int		 core_text_ok(const char *, size_t, const char *, char **);

/* hr.c: the HR events, of one employee number (name left empty) or of
 * everyone (no NULL), by effective date.  0 or -1 with *cause. */
int		 core_hr_events_of(struct store *, const char *,
		     void (*)(void *, const struct core_hr_eventrow *), void *,
		     char **);
/* query.c: the entries at indexes idx[0..n), parsed, to cb in turn.
 * 0, or -1 with *cause (a missing or unreadable entry). */
int		 core_entries_at(struct store *, const uint64_t *, size_t,
		     void (*)(void *, const struct store_entry *), void *,
		     char **);

/* reconcile.c */
/* Forget the system listing core_system_account keeps (a new txn). */
void		 core_system_forget(void);
struct target_account;
/*
 * Every account on system as its target lists it (not a manual system):
 * 0 and *acc (caller frees), or -1 with *cause.
 */
int		 core_system_listing(struct store *, const char *,
		     struct target_account **, size_t *, char **);
/* core_reconcile against a listing already made (findings.c lists each
 * system once for several rules). */
int		 core_reconcile_listing(struct store *, const char *,
		     const struct target_account *, size_t,
		     void (*)(void *, const struct core_drift *), void *,
		     size_t *, char **);

/* query-passwords.c: the policy of one system's kinds, looked up
 * when a scan by system first meets them (zeroed before the scan). */
struct core_pw_cache {
	char	 system[40];
	int	 loaded[5];			/* by kind, as pw_kinds */
	int	 max_age[5];
	int	 warn[5];
};
/* p's policy (through pc) and its status at now, p's columns filled as
 * core_password_status reads them; 0, or -1 with *cause. */
int		 core_password_judge(struct store *, struct core_pw_cache *,
		     struct core_password *, time_t, char **);

/* findings.c: the rules about one ID that its row, its owner's and its
 * password status decide, for a caller that scans the live IDs itself
 * (the stocktake); core_findings' queries find the same. */
struct core_id_facts {
	const char	*kind, *state, *owner;	/* owner: "" for none */
	int		 owner_known;		/* in the records */
	const char	*end_date;		/* the ID's, NULL: none */
	const char	*owner_employment;	/* NULL: no such person */
	const char	*owner_end_date;	/* NULL: none */
	const struct core_password *pw;	/* core_password_judge'd */
};
/* The rules core_findings_id decides, as rule bits (1U << rule). */
unsigned	 core_findings_id_rules(void);
/* Those that x breaks on today (YYYY-MM-DD, core_today) at now. */
unsigned	 core_findings_id(const struct core_id_facts *, const char *,
		     time_t);
/* The password rules p's status breaks at now, as rule bits. */
unsigned	 core_findings_password(const struct core_password *, time_t);

/* action-finding.c */
/*
 * id.adopt's check against the system: the account must be there (it may
 * be outside daicho's uid range), and the state recorded is the one the
 * system shows (the argument is added when not given, refused when it
 * differs).  A manual system cannot be asked: the state given stands.
 */
int		 core_adopt_state(struct core_run *, char **);

/* action-hr.c */
/* The events of row against the record old (NULL: none), into ev
 * (CORE_HR_EVENTS_MAX); none on the baseline import.  Their number. */
size_t		 core_hr_classify(const struct core_hr_row *,
		     const struct core_hr_row *, const char *, int,
		     struct core_hr_event *);
/* The record of an employee number into *row, its strings in a buffer;
 * hr_missing and whether HR made it.  0, 1 when none, or -1. */
int		 core_hr_record(struct store *, const char *,
		     struct core_hr_row *, char *, size_t, int *, int *,
		     char **);
int		 core_hr_same(const struct core_hr_row *,
		     const struct core_hr_row *);
/* Live IDs an employee number owns. */
int		 core_hr_live_ids(struct store *, const char *, int64_t *,
		     char **);
/* hr-plan.c: how many IDs a mover from fdept/fpos to dept/pos loses. */
int		 core_hr_mover_revokes(struct store *, const char *,
		     const char *, const char *, const char *, const char *,
		     int64_t *, char **);
/* The birthright table in memory: an import asks it once per mover. */
struct core_birthrights {
	struct core_birthright {
		char	*dept, *pos, *system, *kind;
	}		*v;
	size_t		 n;
	int		 loaded;
};
void		 core_birthrights_free(struct core_birthrights *);
/* The IDs an event takes away (a leaver's live IDs, a mover's old
 * post's), added to *n: the import's threshold counts them.  br is
 * loaded on first use. */
int		 core_hr_event_revokes(struct store *, struct core_birthrights *,
		     const char *, const struct core_hr_event *,
		     const struct core_hr_row *, int64_t *, char **);
/* hr.c: a canonical row as a delta holds it, checked again. */
int		 core_hr_row_check(const struct core_hr_row *, char **);
/* The newest hr.import entry of a file with this SHA-256 (hex), or 0. */
int		 core_hr_same_file(struct store *, const char *, int64_t *,
		     char **);

/* action-birthright.c: whether dept/pos has an ID on system: -1 with
 * *cause when add and it has, or when !add and it has not. */
int		 core_birthright_exists(struct store *, const char *,
		     const char *, const char *, int, char **);

/* action-priv.c */
/* Whether v is a privileged ID's mode: jit, standing, emergency. */
int		 core_priv_mode_ok(const char *);
/*
 * The register's arguments of run (priv_mode or mode, renamed, rights,
 * purpose, manager), those given, checked: 0, or -1 with *cause.
 */
int		 core_priv_fields_ok(struct core_run *, char **);

/* exception.c */
/* One item of a scope: an ID, a whole system, or a person's IDs. */
struct core_exc_item {
	char	 system[64];			/* "" for a person */
	char	 login[64];			/* "" for a system or person */
	char	 person[32];			/* "" for an ID or system */
};
#define CORE_EXC_SCOPE_MAX	100	/* items of a scope */
/*
 * The items of scope, in turn to cb: id:SYSTEM:LOGIN (split at the first
 * ':' after id:), system:SYSTEM, person:EMPLOYEE_NO, comma-separated;
 * act names the action in *cause.  0, or -1 with *cause (a bad item, or
 * cb's).
 */
int		 core_exc_scope_each(const char *, const char *,
		     int (*)(void *, const struct core_exc_item *, char **),
		     void *, char **);
/* The global policy's timezone into zone, and exception_report_days
 * into *days unless NULL.  0 or -1 with *cause. */
int		 core_exc_policy(struct store *, char *, size_t, int *,
		     char **);
/* A time a person gave: YYYY-MM-DD in zone, its start (end: the next
 * day's start, the day's end exclusive), or an RFC 3339 UTC time with
 * its Z.  0, or -1 when it is neither. */
int		 core_exc_day(const char *, const char *, int, time_t *);
/* Unix seconds t in zone, "2027-01-05 10:00 +0900"; "" for 0. */
void		 core_exc_when(int64_t, const char *, char *, size_t);

/* action-policy.c: queue "aging" (the policy's shadow fields) as op seq
 * of entry e for its system/login, when that is a unix system and
 * policy.set has set aging for its scope.  0 or -1. */
int		 core_policy_aging_id(struct store *, const struct store_entry *,
		     int, char **);

/* stocktake.c */
/* An item from a row of stocktake.c's item columns (the statement's
 * strings). */
void		 core_stocktake_item_row(struct store_stmt *,
		     struct core_stocktake_item *);
/* The items of campaign that pass f (NULL: all), by system and login. */
int		 core_stocktake_items_each(struct store *, uint64_t,
		     const struct core_stocktake_filter *, void (*)(void *,
		     const struct core_stocktake_item *), void *, size_t *,
		     char **);
/* The unix time of the day y-m-d at 00:00 in zone. */
int64_t		 core_stocktake_day_start(int, int, int, const char *);
/* policy.c: core_day_parse with the zone given (a tz database name),
 * not the policy's: the parser alone, for fuzz/fuzz-day.c. */
int		 core_day_parse_zone(const char *, const char *, int, time_t *,
		     char **);

/* config.c */
/*
 * Parse configuration text from f into c, which holds the defaults (or
 * earlier values) already; path only names the file in *cause.  The file
 * checks are core_config_load's.  0, or -1 with *cause; c may then hold
 * some of the new values, and is still the caller's to free.
 */
int		 core_config_parse(FILE *, const char *, struct core_config *,
		     char **);

/* syslog.c -- account changes and logins to syslog and Linux audit */
/* core_syslog_open is in core.h: main() calls it first. */
/*
 * Remember entry e of action a, appended in the open transaction, for
 * core_syslog_done (internal actions but session.lock are not kept).
 */
void		 core_syslog_note(const struct core_action *,
		     const struct store_entry *);
/*
 * After the transaction: when committed, send a line (and audit events)
 * for each account change noted; then forget them.  Never fails.
 */
void		 core_syslog_done(struct store *, int);
void		 core_syslog_forget(void);
/*
 * A login decided: what ("console login", "approval", "command-line
 * login"), the user as recorded, tty, result ("success", "failure",
 * "locked", "not-completed"), reason and the action asked for (either
 * may be NULL).  A console login is an AUDIT_USER_LOGIN event too.
 */
void		 core_syslog_login(const char *, const char *, const char *,
		     const char *, const char *, const char *);
/* Failed logins at tty locked it until (unix seconds). */
void		 core_syslog_terminal_locked(const char *, const char *, int,
		     int64_t);
/*
 * Append " key=value" to the NUL-terminated line of size bytes: value
 * escaped (vis), cut at 200 bytes, quoted when empty or holding a space,
 * '"' or '='.  For the lines above, and their test.
 */
void		 core_syslog_field(char *, size_t, const char *, const char *);

#endif
