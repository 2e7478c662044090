/*
 * store.c -- opening the data directory and its SQLite database.
 *
 * The directory, database and key file are checked before they are
 * trusted, the way doas checks its configuration: no symlinks, owned by
 * us, nobody else may read them.  The database runs in WAL mode with
 * synchronous=FULL so that a commit that returned is on disk, and its
 * schema is brought up to date by numbered migrations.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "store-int.h"

#define STORE_APPLICATION_ID	0x44414943	/* "DAIC" */
#define STORE_BUSY_MS		5000
#define STORE_LOCK_WAIT_MS	30000

/*
 * Migrations, in order; migration i brings user_version from i to i + 1.
 * The tables after "projections" are rebuilt from the ledger by replay
 * and must hold nothing the entries do not say.
 */
static const char *store_migrations[] = {
	/* 1: the ledger, checkpoints, and the first projections */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value BLOB NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE ledger_entry ("
	"  idx INTEGER PRIMARY KEY,"
	"  data BLOB NOT NULL);"
	"CREATE TABLE checkpoint ("
	"  size INTEGER PRIMARY KEY,"
	"  epoch INTEGER NOT NULL,"
	"  time TEXT NOT NULL,"
	"  note TEXT NOT NULL);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  entry_idx INTEGER NOT NULL,"
	"  target TEXT NOT NULL,"
	"  op TEXT NOT NULL,"
	"  args TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending', 'applied', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT);"
	/* projections */
	"CREATE TABLE epoch ("
	"  n INTEGER PRIMARY KEY,"
	"  first_idx INTEGER NOT NULL,"
	"  vkey TEXT NOT NULL,"
	"  began TEXT NOT NULL);"
	"CREATE TABLE operator ("
	"  name TEXT PRIMARY KEY,"
	"  role TEXT NOT NULL"
	"    CHECK (role IN ('admin', 'approver', 'auditor')),"
	"  state TEXT NOT NULL CHECK (state IN ('active', 'removed')),"
	"  ever_approver INTEGER NOT NULL DEFAULT 0,"
	"  added_idx INTEGER NOT NULL,"
	"  changed_idx INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE person ("
	"  employee_no TEXT PRIMARY KEY,"
	"  name_kanji TEXT NOT NULL,"
	"  name_kana TEXT NOT NULL,"
	"  department TEXT NOT NULL,"
	"  position TEXT NOT NULL,"
	"  employment TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  start_date TEXT NOT NULL,"
	"  end_date TEXT,"
	"  changed_idx INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX person_department ON person (department);",

	/* 2: console sessions (a projection of the session.* entries) */
	"CREATE TABLE login_event ("
	"  idx INTEGER PRIMARY KEY,"
	"  time TEXT NOT NULL,"
	"  kind TEXT NOT NULL"
	"    CHECK (kind IN ('login', 'failure', 'logout', 'lock', 'unlock')),"
	"  user TEXT NOT NULL,"
	"  tty TEXT NOT NULL,"
	"  detail TEXT NOT NULL);"
	"CREATE INDEX login_event_user ON login_event (user, kind, idx);"
	"CREATE INDEX login_event_tty ON login_event (tty, kind, idx);",

	/* 3: systems and the IDs on them (projections); outbox keyed by entry */
	"CREATE TABLE system ("
	"  name TEXT PRIMARY KEY,"
	"  type TEXT NOT NULL CHECK (type IN ('unix', 'ldap', 'exec', 'manual')),"
	"  title TEXT NOT NULL,"
	"  conf INTEGER NOT NULL CHECK (conf BETWEEN 1 AND 3),"
	"  integ INTEGER NOT NULL CHECK (integ BETWEEN 1 AND 2),"
	"  avail INTEGER NOT NULL CHECK (avail BETWEEN 1 AND 2),"
	"  config TEXT NOT NULL,"
	"  added_idx INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE account ("
	"  system TEXT NOT NULL REFERENCES system (name),"
	"  login TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('personal', 'shared',"
	"    'privileged', 'contractor', 'service')),"
	"  owner TEXT,"
	"  sponsor TEXT,"
	"  end_date TEXT,"
	"  break_glass INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK (state IN ('pending', 'active',"
	"    'suspended', 'locked', 'revoked')),"
	"  created_idx INTEGER NOT NULL,"
	"  changed_idx INTEGER NOT NULL,"
	"  PRIMARY KEY (system, login)) WITHOUT ROWID;"
	"CREATE INDEX account_owner ON account (owner);"
	"CREATE TABLE account_user ("
	"  system TEXT NOT NULL,"
	"  login TEXT NOT NULL,"
	"  employee_no TEXT NOT NULL,"
	"  PRIMARY KEY (system, login, employee_no)) WITHOUT ROWID;"
	"DROP TABLE outbox;"
	"CREATE TABLE outbox ("
	"  entry_idx INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  system TEXT NOT NULL,"
	"  op TEXT NOT NULL,"
	"  login TEXT NOT NULL,"
	"  arg TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending', 'applied', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  PRIMARY KEY (entry_idx, seq)) WITHOUT ROWID;"
	"CREATE INDEX outbox_pending ON outbox (state, system);",

	/* 4: incidents (emergency lockout) and lost IC cards */
	"CREATE TABLE incident ("
	"  idx INTEGER PRIMARY KEY,"
	"  scope TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('active', 'restored')),"
	"  opened TEXT NOT NULL,"
	"  restored_idx INTEGER);"
	"CREATE TABLE incident_account ("
	"  incident_idx INTEGER NOT NULL,"
	"  system TEXT NOT NULL,"
	"  login TEXT NOT NULL,"
	"  prior_state TEXT NOT NULL,"
	"  PRIMARY KEY (incident_idx, system, login)) WITHOUT ROWID;"
	"CREATE TABLE lost_card ("
	"  idx INTEGER PRIMARY KEY,"
	"  employee_no TEXT NOT NULL,"
	"  card TEXT NOT NULL);",

	/*
	 * 5: an ID whose newest temporary password nobody saw (made by an
	 * unattended outbox run) needs a fresh one from an operator.
	 */
	("ALTER TABLE account ADD COLUMN password_unrevealed INTEGER NOT NULL "
	"  DEFAULT 0;"),

	/*
	 * 6: the HR system's exports.  blob holds what an entry names by
	 * its SHA-256 but is too big to be an entry (an import's rows):
	 * evidence like ledger_entry, not a projection, and trusted only
	 * when its hash is the one the signed entry names.  The rest are
	 * projections of the hr.import entries.
	 */
	"CREATE TABLE blob ("
	"  sha256 TEXT PRIMARY KEY,"
	"  data BLOB NOT NULL);"
	"ALTER TABLE person ADD COLUMN transfer_date TEXT;"
	"ALTER TABLE person ADD COLUMN retire_date TEXT;"
	"ALTER TABLE person ADD COLUMN source TEXT NOT NULL DEFAULT 'manual';"
	"ALTER TABLE person ADD COLUMN hr_missing INTEGER;"
	"ALTER TABLE person ADD COLUMN birth_date TEXT;"
	"CREATE TABLE hr_import ("
	"  idx INTEGER PRIMARY KEY,"
	"  file_sha256 TEXT NOT NULL,"
	"  encoding TEXT NOT NULL,"
	"  rows INTEGER NOT NULL,"
	"  as_of TEXT NOT NULL,"
	"  changed INTEGER NOT NULL,"
	"  missing INTEGER NOT NULL,"
	"  events INTEGER NOT NULL);"
	"CREATE INDEX hr_import_file ON hr_import (file_sha256);"
	"CREATE TABLE hr_event ("
	"  id INTEGER PRIMARY KEY,"
	"  import_idx INTEGER NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('joiner', 'mover', 'leaver',"
	"    'leave', 'return')),"
	"  employee_no TEXT NOT NULL,"
	"  effective TEXT NOT NULL,"
	"  detail TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('pending', 'applied',"
	"    'cancelled')),"
	"  from_department TEXT,"		/* a mover's, before */
	"  from_position TEXT,"
	"  changed_idx INTEGER NOT NULL);"
	"CREATE INDEX hr_event_person ON hr_event (employee_no, kind, state);"
	"CREATE INDEX hr_event_pending ON hr_event (state, effective);"
	/*
	 * Birthright entitlements: the IDs a department's (and a
	 * position's) people get, '*' for any; and the shared IDs whose
	 * password must change because someone who knew it left.
	 */
	"CREATE TABLE birthright ("
	"  department TEXT NOT NULL,"
	"  position TEXT NOT NULL,"
	"  system TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('personal', 'privileged')),"
	"  added_idx INTEGER NOT NULL,"
	"  PRIMARY KEY (department, position, system)) WITHOUT ROWID;"
	"ALTER TABLE account ADD COLUMN password_due TEXT;"
	/*
	 * An owner's IDs by state and kind, without reading the rows: the
	 * import counts what each leaver and mover would lose, the findings
	 * scan them (the table's key, system and login, is in every entry).
	 */
	"DROP INDEX account_owner;"
	"CREATE INDEX account_owner ON account (owner, state, kind);",

	/*
	 * 7: passwords and privileged IDs.  The account table is rebuilt
	 * (SQLite cannot change a CHECK) for two states: 'dormant', a
	 * time-limited privileged ID, locked on its system until an
	 * approved request activates it; 'expired', an ID past its end date,
	 * locked by the sweep.  Its password columns are what
	 * the ledger knows of the password: when daicho last set it and who
	 * set it, whether it is a temporary one (and until when), whether a
	 * change is forced.
	 */
	"CREATE TABLE account_new ("
	"  system TEXT NOT NULL REFERENCES system (name),"
	"  login TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('personal', 'shared',"
	"    'privileged', 'contractor', 'service')),"
	"  owner TEXT,"
	"  sponsor TEXT,"
	"  end_date TEXT,"
	"  break_glass INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK (state IN ('pending', 'active',"
	"    'suspended', 'locked', 'dormant', 'expired', 'revoked')),"
	"  created_idx INTEGER NOT NULL,"
	"  changed_idx INTEGER NOT NULL,"
	"  password_unrevealed INTEGER NOT NULL DEFAULT 0,"
	"  password_due TEXT,"
	"  password_set_at INTEGER,"		/* unix time daicho set it */
	"  password_set_by TEXT,"		/* the operator, or @system */
	"  password_temp_until INTEGER,"	/* a temporary one's deadline */
	"  must_change INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (system, login)) WITHOUT ROWID;"
	"INSERT INTO account_new (system, login, kind, owner, sponsor, "
	"  end_date, break_glass, state, created_idx, changed_idx, "
	"  password_unrevealed, password_due) SELECT system, login, kind, "
	"  owner, sponsor, end_date, break_glass, state, created_idx, "
	"  changed_idx, password_unrevealed, password_due FROM account;"
	"DROP TABLE account;"
	"ALTER TABLE account_new RENAME TO account;"
	"CREATE INDEX account_owner ON account (owner, state, kind);"
	/* What the sweep looks for each minute, without a scan of every ID. */
	"CREATE INDEX account_end ON account (end_date) WHERE end_date IS NOT "
	"  NULL AND state NOT IN ('expired', 'revoked');"
	"CREATE INDEX account_temp ON account (password_temp_until) WHERE "
	"  password_temp_until IS NOT NULL;"
	/*
	 * What policy.set decided, by system and kind ('*' for any); a key
	 * not set falls back to the wider scope, then to daicho's default.
	 */
	"CREATE TABLE policy ("
	"  system TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  set_idx INTEGER NOT NULL,"
	"  PRIMARY KEY (system, kind, key)) WITHOUT ROWID;"
	/*
	 * A privileged ID's register entry (特権ID管理台帳): its mode
	 * (jit: dormant until activated; standing; emergency), what it
	 * may do, why it exists, who answers for it, and the end of its
	 * current activation (NULL: none).
	 */
	"CREATE TABLE privileged ("
	"  system TEXT NOT NULL,"
	"  login TEXT NOT NULL,"
	"  mode TEXT NOT NULL CHECK (mode IN ('jit', 'standing',"
	"    'emergency')),"
	"  renamed INTEGER NOT NULL DEFAULT 0,"	/* the initial name changed */
	"  rights TEXT,"
	"  purpose TEXT,"
	"  manager TEXT,"			/* employee number */
	"  active_until INTEGER,"
	"  active_request INTEGER,"		/* its priv_request */
	"  reviewed_idx INTEGER,"
	"  changed_idx INTEGER NOT NULL,"
	"  PRIMARY KEY (system, login)) WITHOUT ROWID;"
	"CREATE INDEX privileged_active ON privileged (active_until);"
	/* Requests to activate a privileged ID, and what became of them. */
	"CREATE TABLE priv_request ("
	"  idx INTEGER PRIMARY KEY,"		/* the priv.request entry */
	"  system TEXT NOT NULL,"
	"  login TEXT NOT NULL,"
	"  requester TEXT NOT NULL,"
	"  minutes INTEGER NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('requested', 'active',"
	"    'rejected', 'ended', 'expired')),"
	"  approver TEXT,"
	"  decided_idx INTEGER,"
	"  start_at INTEGER,"
	"  end_at INTEGER,"
	"  ended_idx INTEGER,"
	"  ended_by TEXT,"
	"  note TEXT);"			/* a rejection's or ending's reason */
	"CREATE INDEX priv_request_state ON priv_request (state, system);"
	/*
	 * The passwords an ID had, as Argon2id hashes, so a new one is not
	 * an old one: daicho's state, never in the ledger (replay does not
	 * rebuild it, and nothing is signed with it).
	 */
	"CREATE TABLE password_history ("
	"  system TEXT NOT NULL,"
	"  login TEXT NOT NULL,"
	"  set_at INTEGER NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  PRIMARY KEY (system, login, set_at, hash)) WITHOUT ROWID;"
	/* An operator names their person record: a contractor may not
	 * change a privileged password. */
	"ALTER TABLE operator ADD COLUMN person TEXT;",

	/*
	 * 8: exceptions to policy, stocktakes, sealed reports, reviews of
	 * the ledger.  All are projections of their entries.
	 *
	 * An exception (例外措置) is numbered by the entry that asked for it
	 * (exception.request) or applied it (exception.emergency).  It
	 * covers one rule (a findings rule or a refusal's name) for the IDs
	 * of its scope, from start_at to end_at, while its state is
	 * approved, emergency or reported.  An emergency one must be
	 * reported to an approver by report_due.
	 */
	"CREATE TABLE exception ("
	"  idx INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('planned', 'emergency')),"
	"  rule TEXT NOT NULL,"
	"  scope TEXT NOT NULL,"		/* as given: id:S:L,system:S,person:E */
	"  reason TEXT NOT NULL,"
	"  measure TEXT,"			/* what is done instead, */
	"  alternative TEXT,"			/* the compensating control, */
	"  risk TEXT,"				/* and the risk accepted */
	"  start_at INTEGER NOT NULL,"
	"  end_at INTEGER NOT NULL,"
	"  requester TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('requested', 'approved',"
	"    'rejected', 'emergency', 'reported', 'ended', 'expired')),"
	"  approver TEXT,"			/* who approved, rejected or */
	"  decided_idx INTEGER,"		/*   took the report */
	"  decided_at INTEGER,"
	"  comment TEXT,"			/* the approver's conditions */
	"  report_due INTEGER,"		/* an emergency one's deadline */
	"  reported_idx INTEGER,"
	"  reported_at INTEGER,"
	"  report TEXT,"			/* the end report */
	"  ended_idx INTEGER,"
	"  end_note TEXT,"
	"  requested_at INTEGER);"		/* the entry's time */
	"CREATE INDEX exception_state ON exception (state, rule);"
	/* What an exception covers: an ID (system and login), a whole
	 * system (login ''), or a person's IDs (person). */
	"CREATE TABLE exception_scope ("
	"  exception INTEGER NOT NULL,"
	"  system TEXT NOT NULL DEFAULT '',"
	"  login TEXT NOT NULL DEFAULT '',"
	"  person TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (exception, system, login, person)) WITHOUT ROWID;"
	"CREATE INDEX exception_scope_id ON exception_scope (system, login);"
	"CREATE INDEX exception_scope_person ON exception_scope (person) "
	"  WHERE person != '';"
	/*
	 * A stocktake (棚卸し) campaign, numbered by its stocktake.start
	 * entry, and its items: every ID in scope as it stood at the start
	 * (the snapshot, a blob the start entry names), and what the
	 * reviewers decided.
	 */
	"CREATE TABLE stocktake ("
	"  idx INTEGER PRIMARY KEY,"
	"  title TEXT,"
	"  scope TEXT NOT NULL,"		/* all, system:S,..., department:D,... */
	"  deadline INTEGER NOT NULL,"
	"  snapshot TEXT NOT NULL,"		/* SHA-256 of the snapshot blob */
	"  items INTEGER NOT NULL,"
	"  started_by TEXT NOT NULL,"
	"  started_at INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),"
	"  defaulted_idx INTEGER,"		/* the deadline's defaults */
	"  closed_idx INTEGER,"
	"  closed_by TEXT,"
	"  closed_approver TEXT,"
	"  closed_at INTEGER);"
	"CREATE TABLE stocktake_item ("
	"  campaign INTEGER NOT NULL,"
	"  system TEXT NOT NULL,"
	"  login TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  owner TEXT,"
	"  owner_name TEXT,"
	"  id_department TEXT,"
	"  hr_department TEXT,"
	"  hr_status TEXT,"
	"  employment TEXT,"
	"  transfer_date TEXT,"
	"  rights TEXT,"
	"  granted_idx INTEGER,"
	"  end_date TEXT,"
	"  last_use INTEGER,"
	"  password_set_at INTEGER,"
	"  findings TEXT NOT NULL DEFAULT '',"	/* rule names, comma-separated */
	"  exception INTEGER,"
	"  recommendation TEXT NOT NULL CHECK (recommendation IN ('keep',"
	"    'revoke')),"
	"  decision TEXT CHECK (decision IN ('keep', 'change', 'suspend',"
	"    'revoke', 'investigate')),"
	"  reason TEXT,"
	"  decided_by TEXT,"
	"  decided_idx INTEGER,"
	"  decided_at INTEGER,"
	"  corrected_idx INTEGER,"		/* the entry that carried it out */
	"  confirmed_by TEXT,"
	/* A rowid table: stocktake.start appends 600,000 items in key
	 * order, and a rowid table's appends (and its key's index) take
	 * half the time a WITHOUT ROWID table's do. */
	"  PRIMARY KEY (campaign, system, login));"
	/* Only decided items indexed: stocktake.start inserts every item
	 * undecided, and that many index entries cost a fifth of it. */
	"CREATE INDEX stocktake_item_decided ON stocktake_item (campaign, "
	"  decision) WHERE decision IS NOT NULL;"
	/*
	 * Sealed reports: the entry that sealed one (stocktake.close,
	 * report.inspection) records the SHA-256 of its report.txt and
	 * report.csv, kept as blobs; kept five years at least.
	 */
	"CREATE TABLE report ("
	"  idx INTEGER PRIMARY KEY,"		/* the sealing entry */
	"  kind TEXT NOT NULL CHECK (kind IN ('stocktake', 'inspection')),"
	"  key TEXT NOT NULL,"		/* the campaign's number, the year */
	"  txt TEXT NOT NULL,"
	"  csv TEXT NOT NULL,"
	"  sealed_at INTEGER NOT NULL,"
	"  removed_idx INTEGER);"
	"CREATE UNIQUE INDEX report_key ON report (kind, key) WHERE "
	"  removed_idx IS NULL;"
	/* Someone reviewed the ledger's records of a period (review.done). */
	"CREATE TABLE review ("
	"  idx INTEGER PRIMARY KEY,"
	"  reviewer TEXT NOT NULL,"
	"  from_at INTEGER NOT NULL,"
	"  to_at INTEGER NOT NULL,"
	"  comment TEXT NOT NULL,"
	"  counts TEXT NOT NULL);",		/* what the analysis showed */
	/*
	 * 9: stocktake_item's decision checked by comparisons.  SQLite
	 * codes a CHECK's IN list of more than two values as a table
	 * built anew for every row inserted: a seventh of
	 * stocktake.start's time for 600,000 items.  The same rule; the
	 * table rebuilt as SQLite's ALTER TABLE procedure does it.
	 */
	"CREATE TABLE stocktake_item_9 ("
	"  campaign INTEGER NOT NULL,"
	"  system TEXT NOT NULL,"
	"  login TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  owner TEXT,"
	"  owner_name TEXT,"
	"  id_department TEXT,"
	"  hr_department TEXT,"
	"  hr_status TEXT,"
	"  employment TEXT,"
	"  transfer_date TEXT,"
	"  rights TEXT,"
	"  granted_idx INTEGER,"
	"  end_date TEXT,"
	"  last_use INTEGER,"
	"  password_set_at INTEGER,"
	"  findings TEXT NOT NULL DEFAULT '',"	/* rule names, comma-separated */
	"  exception INTEGER,"
	"  recommendation TEXT NOT NULL CHECK (recommendation = 'keep' OR "
	"    recommendation = 'revoke'),"
	"  decision TEXT CHECK (decision IS NULL OR decision = 'keep' OR "
	"    decision = 'change' OR decision = 'suspend' OR decision = "
	"    'revoke' OR decision = 'investigate'),"
	"  reason TEXT,"
	"  decided_by TEXT,"
	"  decided_idx INTEGER,"
	"  decided_at INTEGER,"
	"  corrected_idx INTEGER,"		/* the entry that carried it out */
	"  confirmed_by TEXT,"
	"  PRIMARY KEY (campaign, system, login));"
	"INSERT INTO stocktake_item_9 SELECT * FROM stocktake_item;"
	"DROP TABLE stocktake_item;"
	"ALTER TABLE stocktake_item_9 RENAME TO stocktake_item;"
	"CREATE INDEX stocktake_item_decided ON stocktake_item (campaign, "
	"  decision) WHERE decision IS NOT NULL;",
};
#define STORE_NMIGRATIONS \
	(sizeof store_migrations / sizeof store_migrations[0])

_Static_assert(STORE_NMIGRATIONS == STORE_SCHEMA_VERSION,
    "STORE_SCHEMA_VERSION must match the migrations");

int
store_db_error(struct store *s, const char *what, char **cause)
{
	xasprintf(cause, "%s: %s", what, sqlite3_errmsg(s->db));
	return -1;
}

static locale_t		 store_c_locale;
static pthread_once_t	 store_c_once = PTHREAD_ONCE_INIT;

static void
store_c_locale_init(void)
{
	if ((store_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)) ==
	    (locale_t)0)
		fatal("newlocale");
}

const char *
store_strerror(int errnum)
{
	if (pthread_once(&store_c_once, store_c_locale_init) != 0)
		fatalx("pthread_once");
	return strerror_l(errnum, store_c_locale);
}

char *
store_path(struct store *s, const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", s->dir, name);
	return p;
}

const char *
store_dir(struct store *s)
{
	return s->dir;
}

/* The checks of store_check_path on what fstat said of path. */
static int
store_check_stat(const char *path, const struct stat *sb, int isdir,
    char **cause)
{
	mode_t		 loose = isdir ? 077 : 077 | S_IXUSR;

	if (S_ISLNK(sb->st_mode)) {
		xasprintf(cause, "%s: is a symbolic link; refusing it", path);
		return -1;
	}
	if (isdir ? !S_ISDIR(sb->st_mode) : !S_ISREG(sb->st_mode)) {
		xasprintf(cause, "%s: is not a %s", path,
		    isdir ? "directory" : "regular file");
		return -1;
	}
	if (sb->st_uid != geteuid()) {
		xasprintf(cause, "%s: is owned by uid %lu, not by uid %lu; "
		    "refusing it", path, (unsigned long)sb->st_uid,
		    (unsigned long)geteuid());
		return -1;
	}
	if ((sb->st_mode & loose) != 0) {
		xasprintf(cause, "%s: mode %04o is looser than %s; refusing it "
		    "(chmod %s)", path, (unsigned)(sb->st_mode & 07777),
		    isdir ? "0700" : "0600", isdir ? "0700" : "0600");
		return -1;
	}
	return 0;
}

/* Why an open with O_NOFOLLOW of path failed (errno), into *cause. */
static void
store_open_failed(const char *path, char **cause)
{
	if (errno == ELOOP)
		xasprintf(cause, "%s: is a symbolic link; refusing it", path);
	else
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
}

/*
 * The path is opened first and the descriptor checked: a check of the
 * path (lstat) and an open after it could see two different files, one
 * swapped in between.  O_PATH opens without reading, so a FIFO or a
 * device cannot block or act, and with O_NOFOLLOW it opens a symbolic
 * link itself, which fstat then reports.
 */
int
store_check_path(const char *path, int isdir, char **cause)
{
	struct stat	 sb;
	int		 fd, r;

	if ((fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
		close(fd);
		return -1;
	}
	r = store_check_stat(path, &sb, isdir, cause);
	close(fd);
	return r;
}

int
store_open_checked(const char *path, char **cause)
{
	struct stat	 sb;
	int		 fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (fd == -1) {
		store_open_failed(path, cause);
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
		close(fd);
		return -1;
	}
	if (store_check_stat(path, &sb, 0, cause) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
store_fsync_dir(const char *dir, char **cause)
{
	int	 fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)) == -1) {
		xasprintf(cause, "%s: %s", dir, store_strerror(errno));
		return -1;
	}
	if (fsync(fd) == -1) {
		xasprintf(cause, "fsync %s: %s", dir, store_strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * The data directory's lock, DIR/lock: flock(2) on an empty file.
 *
 * A rotation writes key.new before its commit, and after it wipes the old
 * key and renames key.new over it; a crash between is finished or undone
 * by the next open.  Two processes doing any of this at once destroy the
 * key: one "recovers" the rotation the other is in the middle of.  So
 * every writer holds the lock exclusively from before BEGIN IMMEDIATE
 * until its commit and any key switch are on disk (store_begin to
 * store_commit or store_rollback), and while opening (key.new recovery,
 * the head, reading the key file).  A reader of the key file (verify,
 * backup) holds it shared, so it never sees a rotation half done.
 *
 * The lock is always taken before SQLite's write lock and never while
 * holding it, so the two cannot deadlock.  Nested calls count; a shared
 * hold does not become exclusive.  A read-only store of a directory
 * without the file (a backup, or a directory no daicho that has the lock
 * has opened for writing) reads without it: nobody writes there.
 *
 * The file is checked like the key file (no symlink, a regular file of
 * ours, 0600) and opened per hold, so a fork never inherits a held lock
 * it would keep after the parent has gone.
 */
static int
store_lock_open(struct store *s, const char *path, char **cause)
{
	struct stat	 sb;
	int		 fd, made = 0, tries = 0;

again:
	if (lstat(path, &sb) == 0) {
		if (store_check_stat(path, &sb, 0, cause) != 0)
			return -1;
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_NOCTTY | O_CLOEXEC);
	} else if (errno != ENOENT) {
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
		return -1;
	} else if (s->flags & STORE_READONLY)
		return 0;
	else {
		fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
		made = 1;
	}
	/* Another process made it first: open theirs. */
	if (fd == -1 && errno == EEXIST && tries++ == 0) {
		made = 0;
		goto again;
	}
	if (fd == -1) {
		store_open_failed(path, cause);
		return -1;
	}
	/* Whatever the umask: the owner must be able to open it again. */
	if ((made && fchmod(fd, 0600) == -1) || fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, store_strerror(errno));
		close(fd);
		return -1;
	}
	if (store_check_stat(path, &sb, 0, cause) != 0) {
		close(fd);
		return -1;
	}
	s->lockfd = fd;
	return 0;
}

/*
 * Take the directory's lock, how LOCK_EX (writers) or LOCK_SH (readers
 * of the key file).  0, or -1 with *cause naming the lock file.
 *
 * Holds are short (one transaction, or a rotation and its fsyncs; target
 * work is done outside), but under load several writers queue.  flock(2)
 * cannot time out, so we poll it, often (1 ms, then 5 ms) so that a
 * waiter is not starved by writers taking turns, against a deadline on
 * the monotonic clock of STORE_LOCK_WAIT_MS: the time really waited, not
 * the sum of the naps.  Past it, a process is stuck with the lock, and
 * the error says so.
 */
static int64_t
store_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
store_lock(struct store *s, int how, char **cause)
{
	struct timespec	 nap;
	char		*path;
	int64_t		 start, waited = 0;

	assert(how == LOCK_SH || how == LOCK_EX);
	assert(how == LOCK_SH || !(s->flags & STORE_READONLY));
	if (s->lockdepth > 0) {
		assert(how == LOCK_SH || s->lockhow == LOCK_EX);
		s->lockdepth++;
		return 0;
	}
	path = store_path(s, STORE_LOCK_NAME);
	if (store_lock_open(s, path, cause) != 0) {
		free(path);
		return -1;
	}
	start = store_now_ms();
	while (s->lockfd != -1 && flock(s->lockfd, how | LOCK_NB) == -1) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK || waited >= STORE_LOCK_WAIT_MS) {
			if (errno == EWOULDBLOCK)
				xasprintf(cause, "%s: another daicho process "
				    "has held it for %d seconds; try again",
				    path, STORE_LOCK_WAIT_MS / 1000);
			else
				xasprintf(cause, "%s: %s", path,
				    store_strerror(errno));
			close(s->lockfd);
			s->lockfd = -1;
			free(path);
			return -1;
		}
		nap.tv_sec = 0;
		nap.tv_nsec = (waited < 50 ? 1 : 5) * 1000000L;
		nanosleep(&nap, NULL);
		waited = store_now_ms() - start;
	}
	free(path);
	s->lockhow = how;
	s->lockdepth = 1;
	return 0;
}

void
store_unlock(struct store *s)
{
	assert(s->lockdepth > 0);
	if (--s->lockdepth > 0)
		return;
	if (s->lockfd != -1)
		close(s->lockfd);	/* releases the flock */
	s->lockfd = -1;
}

int
store_exec(struct store *s, const char *sql, char **cause)
{
	char	*msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		xasprintf(cause, "database: %s",
		    msg != NULL ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

struct store_stmt *
store_prepare(struct store *s, const char *sql, char **cause)
{
	struct store_stmt	*st;
	sqlite3_stmt		*stmt;
	size_t			 i;

	/*
	 * The same literal first (its address, and the text, since a freed
	 * and reused buffer may have the address), then the same text.
	 */
	for (i = 0; i < s->ncache; i++) {
		st = s->cache[i];
		if (!st->busy && st->key == sql &&
		    strcmp(sqlite3_sql(st->stmt), sql) == 0) {
			st->busy = 1;
			return st;
		}
	}
	for (i = 0; i < s->ncache; i++) {
		st = s->cache[i];
		if (!st->busy && strcmp(sqlite3_sql(st->stmt), sql) == 0) {
			st->busy = 1;
			return st;
		}
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &stmt, NULL) != SQLITE_OK) {
		store_db_error(s, "database", cause);
		return NULL;
	}
	st = xcalloc(1, sizeof *st);
	st->store = s;
	st->stmt = stmt;
	st->key = sql;
	st->busy = 1;
	if (s->ncache < sizeof s->cache / sizeof s->cache[0]) {
		st->cached = 1;
		s->cache[s->ncache++] = st;
	}
	return st;
}

/* Done with a statement: a cached one is reset and kept for reuse. */
void
store_finalize(struct store_stmt *st)
{
	if (st == NULL)
		return;
	if (st->cached) {
		sqlite3_reset(st->stmt);
		sqlite3_clear_bindings(st->stmt);
		st->busy = 0;
		return;
	}
	sqlite3_finalize(st->stmt);
	free(st);
}

void
store_bind_text(struct store_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st->stmt, i, v, -1, SQLITE_TRANSIENT);
}

void
store_bind_text_ref(struct store_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st->stmt, i, v, -1, SQLITE_STATIC);
}

void
store_bind_int(struct store_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st->stmt, i, v);
}

void
store_bind_null(struct store_stmt *st, int i)
{
	sqlite3_bind_null(st->stmt, i);
}

int
store_step(struct store_stmt *st, char **cause)
{
	sqlite3_stmt	*stmt = st->stmt;

	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		return STORE_ROW;
	case SQLITE_DONE:
		return STORE_DONE;
	default:
		xasprintf(cause, "database: %s",
		    sqlite3_errmsg(sqlite3_db_handle(stmt)));
		return -1;
	}
}

void
store_reset(struct store_stmt *st)
{
	sqlite3_reset(st->stmt);
	sqlite3_clear_bindings(st->stmt);
}

const char *
store_col_text(struct store_stmt *st, int i)
{
	const unsigned char	*t;

	t = sqlite3_column_text(st->stmt, i);
	return t != NULL ? (const char *)t : "";
}

int64_t
store_col_int(struct store_stmt *st, int i)
{
	return sqlite3_column_int64(st->stmt, i);
}

int
store_col_isnull(struct store_stmt *st, int i)
{
	return sqlite3_column_type(st->stmt, i) == SQLITE_NULL;
}

int
store_query_int(struct store *s, const char *sql, int64_t *out, char **cause)
{
	struct store_stmt	*st;
	int			 r;

	if ((st = store_prepare(s, sql, cause)) == NULL)
		return -1;
	*out = 0;
	if ((r = store_step(st, cause)) == STORE_ROW)
		*out = store_col_int(st, 0);
	store_finalize(st);
	return r == -1 ? -1 : 0;
}

/*
 * Value of a meta row, NUL-terminated, its length in *len when len is not
 * NULL; caller frees *value.  0, 1 if absent, or -1 with *cause.
 */
int
store_meta_get(struct store *s, const char *key, char **value, size_t *len,
    char **cause)
{
	sqlite3_stmt	*stmt;
	int		 r;

	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?",
	    -1, &stmt, NULL) != SQLITE_OK)
		return store_db_error(s, "reading meta", cause);
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(stmt, 0);

		*value = xmalloc(n + 1);
		if (n > 0)
			memcpy(*value, sqlite3_column_blob(stmt, 0), n);
		(*value)[n] = '\0';
		if (len != NULL)
			*len = n;
		sqlite3_finalize(stmt);
		return 0;
	}
	sqlite3_finalize(stmt);
	if (r == SQLITE_DONE)
		return 1;
	return store_db_error(s, "reading meta", cause);
}

int
store_meta_set(struct store *s, const char *key, const void *value,
    size_t len, char **cause)
{
	sqlite3_stmt	*stmt;

	if (sqlite3_prepare_v2(s->db,
	    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", -1,
	    &stmt, NULL) != SQLITE_OK)
		return store_db_error(s, "writing meta", cause);
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 2, value, (int)len, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		sqlite3_finalize(stmt);
		return store_db_error(s, "writing meta", cause);
	}
	sqlite3_finalize(stmt);
	return 0;
}

/*
 * Check, reading only, that the file is a daicho database of a schema we
 * understand, and set *version.  A database from a newer daicho, or of
 * another application, is refused before anything is written to it.
 */
static int
store_schema_check(struct store *s, int64_t *version, char **cause)
{
	int64_t	 appid;

	if (store_query_int(s, "PRAGMA application_id", &appid, cause) != 0 ||
	    store_query_int(s, "PRAGMA user_version", version, cause) != 0) {
		free(*cause);
		xasprintf(cause, _("%s: not a readable SQLite database (%s)"),
		    s->dbpath, sqlite3_errmsg(s->db));
		return -1;
	}
	if (appid != STORE_APPLICATION_ID && !(appid == 0 && *version == 0)) {
		xasprintf(cause, _("%s: not a daicho database (application id "
		    "0x%08llx)"), s->dbpath, (unsigned long long)appid);
		return -1;
	}
	if (appid == 0 && *version == 0 && !(s->flags & STORE_CREATE)) {
		xasprintf(cause, _("%s: not a daicho database (no schema); "
		    "run daicho init to make one"), s->dbpath);
		return -1;
	}
	if (*version > (int64_t)STORE_SCHEMA_VERSION) {
		xasprintf(cause, _("%s: schema version %lld is newer than this "
		    "daicho understands (%d); refusing to touch it"), s->dbpath,
		    (long long)*version, STORE_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* Bring the schema from version up to STORE_SCHEMA_VERSION. */
static int
store_migrate(struct store *s, int64_t version, char **cause)
{
	size_t	 i;
	char	*sql;

	s->version = version;
	if (version == (int64_t)STORE_SCHEMA_VERSION)
		return 0;
	/*
	 * Reading an older schema is fine: the ledger's tables have not
	 * changed shape, and verifying an old backup must not write to it.
	 */
	if (s->flags & STORE_READONLY)
		return 0;
	if (store_exec(s, "BEGIN IMMEDIATE", cause) != 0)
		return -1;
	for (i = (size_t)version; i < STORE_NMIGRATIONS; i++) {
		if (store_exec(s, store_migrations[i], cause) != 0)
			goto fail;
	}
	xasprintf(&sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
	    STORE_APPLICATION_ID, STORE_SCHEMA_VERSION);
	s->version = STORE_SCHEMA_VERSION;
	if (store_exec(s, sql, cause) != 0) {
		free(sql);
		goto fail;
	}
	free(sql);
	return store_exec(s, "COMMIT", cause);
fail:
	store_exec(s, "ROLLBACK", &sql);
	free(sql);
	return -1;
}

static int
store_open_db(struct store *s, char **cause)
{
	int	 oflags;

	/* One thread uses a connection (verify's and the HR import's
	 * helper threads only hash bytes), so SQLite's per-call mutex
	 * would only cost: a fifth of a large scan's time. */
	oflags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX;
	if (s->flags & STORE_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE;
	if (s->flags & STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	int64_t	 version;

	if (sqlite3_open_v2(s->dbpath, &s->db, oflags, NULL) != SQLITE_OK) {
		if (s->db == NULL)
			fatalx("sqlite3_open_v2: out of memory");
		return store_db_error(s, s->dbpath, cause);
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	if (store_exec(s, "PRAGMA foreign_keys = ON", cause) != 0)
		return -1;
	if (store_schema_check(s, &version, cause) != 0)
		return -1;
	if (!(s->flags & STORE_READONLY)) {
		if (store_exec(s, "PRAGMA journal_mode = WAL", cause) != 0 ||
		    store_exec(s, "PRAGMA synchronous = FULL", cause) != 0) {
			free(*cause);
			xasprintf(cause, _("%s: not a readable SQLite database "
			    "(%s)"), s->dbpath, sqlite3_errmsg(s->db));
			return -1;
		}
	}
	return store_migrate(s, version, cause);
}

/* Make the directory for init: new, 0700, and nothing else in it. */
static int
store_create_dir(const char *dir, char **cause)
{
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		xasprintf(cause, "%s: %s", dir, store_strerror(errno));
		return -1;
	}
	return 0;
}

struct store *
store_open(const char *dir, int flags, char **cause)
{
	struct store	*s;
	mode_t		 omask;

	if (sodium_init() < 0)
		fatalx("sodium_init failed");
	s = xcalloc(1, sizeof *s);
	s->lockfd = -1;
	s->dir = xstrdup(dir);
	/* "link/" would make lstat() follow the link: drop the slashes. */
	while (strlen(s->dir) > 1 && s->dir[strlen(s->dir) - 1] == '/')
		s->dir[strlen(s->dir) - 1] = '\0';
	if ((flags & STORE_CREATE) && store_create_dir(s->dir, cause) != 0)
		goto fail;
	if (store_check_path(s->dir, 1, cause) != 0)
		goto fail;

	s->flags = flags;
	/*
	 * A writer opens under the lock: the migrations, finishing a
	 * rotation a crash cut short, the head and the key file are then
	 * what no other process is halfway through changing.
	 */
	if (!(flags & STORE_READONLY) && store_lock(s, LOCK_EX, cause) != 0)
		goto fail;
	s->dbpath = store_path(s, STORE_DB_NAME);
	if (!(flags & STORE_CREATE)) {
		if (store_check_path(s->dbpath, 0, cause) != 0)
			goto fail;
	}
	omask = umask(077);
	if (store_open_db(s, cause) != 0) {
		umask(omask);
		goto fail;
	}
	umask(omask);
	if (store_check_path(s->dbpath, 0, cause) != 0)
		goto fail;
	if (flags & STORE_CREATE) {
		store_unlock(s);
		return s;	/* store_init() carries on from here */
	}

	if (store_meta_get(s, "origin", &s->origin, NULL, cause) != 0) {
		if (*cause == NULL)
			xasprintf(cause, _("%s: no ledger origin; not "
			    "initialised"), s->dbpath);
		goto fail;
	}
	/* Signing with a malformed origin would be a programming error. */
	if (store_note_name_ok(s->origin, cause) != 0) {
		char	*c = *cause;

		xasprintf(cause, _("%s: the ledger's origin is malformed: %s"),
		    s->dbpath, c);
		free(c);
		goto fail;
	}
	if (!(flags & STORE_READONLY) && store_key_recover(s, cause) != 0)
		goto fail;
	if (store_ledger_load(s, cause) != 0)
		goto fail;
	if (!(flags & STORE_READONLY)) {
		if (store_key_load(s, cause) != 0)
			goto fail;
		store_unlock(s);
	}
	return s;
fail:
	store_close(s);
	return NULL;
}

struct store *
store_open_scratch(char **cause)
{
	struct store	*s;

	if (sodium_init() < 0)
		fatalx("sodium_init failed");
	s = xcalloc(1, sizeof *s);
	s->lockfd = -1;
	s->dir = xstrdup("");
	s->dbpath = xstrdup("(scratch)");
	s->flags = STORE_CREATE;
	/* "" is SQLite's private on-disk temporary database. */
	if (sqlite3_open_v2("", &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		store_db_error(s, "scratch database", cause);
		store_close(s);
		return NULL;
	}
	if (store_migrate(s, 0, cause) != 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

void
store_close(struct store *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	if (s->in_txn)
		store_rollback(s);
	if (s->lockfd != -1)
		close(s->lockfd);
	for (i = 0; i < s->ncache; i++) {
		sqlite3_finalize(s->cache[i]->stmt);
		free(s->cache[i]);
	}
	sqlite3_finalize(s->append);
	free(s->last_entry);
	if (s->db != NULL)
		sqlite3_close_v2(s->db);
	store_key_clear(&s->key);
	store_key_clear(&s->next);
	free(s->origin);
	free(s->dbpath);
	free(s->dir);
	free(s);
}

/*
 * Under the lock and SQLite's write lock: if another process appended or
 * rotated since this store last looked, load the ledger's head and the
 * key file again.  A store that kept an old epoch's key in memory after
 * someone else rotated would otherwise sign with a key the ledger has
 * retired (and the old key file has been wiped).
 */
static int
store_catch_up(struct store *s, char **cause)
{
	int64_t			 n;
	uint64_t		 epoch;

	if (store_query_int(s, "SELECT coalesce(max(idx) + 1, 0) FROM "
	    "ledger_entry", &n, cause) != 0 ||
	    store_epoch_current(s, &epoch, cause) != 0)
		return -1;
	if ((uint64_t)n == s->size && epoch == s->key.epoch &&
	    s->key.sk != NULL)
		return 0;
	if (store_key_recover(s, cause) != 0 ||
	    store_ledger_load(s, cause) != 0)
		return -1;
	return store_key_load(s, cause);
}

int
store_begin(struct store *s, char **cause)
{
	assert(!s->in_txn);
	if (s->flags & STORE_READONLY) {
		xasprintf(cause, _("%s: opened read-only"), s->dbpath);
		return -1;
	}
	/* The directory's lock first, then SQLite's: always in this order. */
	if (store_lock(s, LOCK_EX, cause) != 0)
		return -1;
	if (store_exec(s, "BEGIN IMMEDIATE", cause) != 0) {
		store_unlock(s);
		return -1;
	}
	/*
	 * Another process (the rotation timer, a command) may have appended
	 * since we last looked: holding both locks now, catch up with the
	 * ledger's head and the key file before appending to it.
	 */
	if (store_catch_up(s, cause) != 0) {
		char	*c = NULL;

		if (store_exec(s, "ROLLBACK", &c) != 0)
			free(c);
		store_unlock(s);
		return -1;
	}
	s->in_txn = 1;
	s->txn_size = s->size;
	s->txn_frontier = s->frontier;
	memcpy(s->txn_last_leaf, s->last_leaf, sizeof s->last_leaf);
	return 0;
}

int
store_commit(struct store *s, char **cause)
{
	int	 r = 0;

	assert(s->in_txn);
	if (s->size != s->txn_size && s->key.sk != NULL &&
	    store_ledger_checkpoint(s, cause) != 0) {
		store_rollback(s);
		return -1;
	}
	if (store_exec(s, "COMMIT", cause) != 0) {
		store_rollback(s);
		return -1;
	}
	s->in_txn = 0;
	/*
	 * The rotation entry and the checkpoint the old key signed over it
	 * are on disk: only now may the old secret go.  The lock is held
	 * until key.new has been renamed over the key and the directory
	 * fsynced, so nobody sees, or "recovers", a switch half done.
	 */
	if (s->rotating)
		r = store_key_switch(s, cause);
	store_unlock(s);
	return r;
}

void
store_rollback(struct store *s)
{
	char	*cause = NULL;

	if (!s->in_txn)
		return;
	if (store_exec(s, "ROLLBACK", &cause) != 0)
		free(cause);
	s->in_txn = 0;
	s->size = s->txn_size;
	s->frontier = s->txn_frontier;
	memcpy(s->last_leaf, s->txn_last_leaf, sizeof s->last_leaf);
	if (s->rotating)
		store_key_discard_next(s);
	store_unlock(s);
}

int64_t
store_schema_version(struct store *s)
{
	return s->version;
}

int
store_in_txn(struct store *s)
{
	return s->in_txn;
}

/* A file: URI for path, escaping what URI parsing would take apart. */
static char *
store_uri(const char *path)
{
	char	*out, *w;

	out = w = xmalloc(strlen(path) * 3 + 16);
	w += sprintf(w, "file:");
	for (; *path != '\0'; path++) {
		if (*path == '%' || *path == '?' || *path == '#')
			w += sprintf(w, "%%%02X", (unsigned char)*path);
		else
			*w++ = *path;
	}
	strcpy(w, "?mode=ro");
	return out;
}

/* ATTACH the live database file to the scratch store, read-only, as live. */
static int
store_attach_live(struct store *scratch, struct store *live, char **cause)
{
	sqlite3_stmt	*stmt = NULL;
	char		*uri;
	int		 c;

	uri = store_uri(live->dbpath);
	if (sqlite3_prepare_v2(scratch->db, "ATTACH DATABASE ? AS live", -1,
	    &stmt, NULL) != SQLITE_OK) {
		free(uri);
		return store_db_error(scratch, "attaching the live database",
		    cause);
	}
	sqlite3_bind_text(stmt, 1, uri, -1, SQLITE_STATIC);
	c = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	free(uri);
	if (c != SQLITE_DONE)
		return store_db_error(scratch, "attaching the live database",
		    cause);
	return 0;
}

static void
store_detach_live(struct store *scratch)
{
	char	*c = NULL;

	if (store_exec(scratch, "DETACH DATABASE live", &c) != 0)
		free(c);
}

int
store_replay_begin(struct store *scratch, struct store *live, char **cause)
{
	assert(!scratch->attached);
	if (store_attach_live(scratch, live, cause) != 0)
		return -1;
	if (store_exec(scratch, "BEGIN", cause) != 0) {
		store_detach_live(scratch);
		return -1;
	}
	scratch->attached = 1;
	return 0;
}

int
store_replay_end(struct store *scratch, char **cause)
{
	int	 r;

	assert(scratch->attached);
	r = store_exec(scratch, "COMMIT", cause);
	store_detach_live(scratch);
	scratch->attached = 0;
	return r;
}

int
store_replay_foreach(struct store *scratch, int (*fn)(void *, uint64_t,
    const uint8_t *, size_t), void *arg, char **cause)
{
	assert(scratch->attached);
	return store_entries_foreach(scratch, "live.ledger_entry", fn, arg,
	    cause);
}

int
store_diff_table(struct store *scratch, struct store *live,
    const char *table, void (*report)(void *, const char *), void *arg,
    char **cause)
{
	static const char *dirs[2][3] = {
		{ "live", "main", "the database has a row the ledger does "
		    "not explain" },
		{ "main", "live", "the ledger says there should be a row the "
		    "database lacks" },
	};
	sqlite3_stmt	*stmt;
	char		*sql, *line, *tmp;
	int		 i, c, ncol, count = 0;

	if (!scratch->attached &&
	    store_attach_live(scratch, live, cause) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		xasprintf(&sql, "SELECT * FROM %s.\"%s\" EXCEPT "
		    "SELECT * FROM %s.\"%s\"", dirs[i][0], table, dirs[i][1],
		    table);
		c = sqlite3_prepare_v2(scratch->db, sql, -1, &stmt, NULL);
		free(sql);
		if (c != SQLITE_OK) {
			store_db_error(scratch, table, cause);
			count = -1;
			break;
		}
		ncol = sqlite3_column_count(stmt);
		while (sqlite3_step(stmt) == SQLITE_ROW) {
			xasprintf(&line, "%s: %s: (", table, dirs[i][2]);
			for (c = 0; c < ncol; c++) {
				const char *v = (const char *)
				    sqlite3_column_text(stmt, c);
				xasprintf(&tmp, "%s%s%s", line, c ? ", " : "",
				    v != NULL ? v : "NULL");
				free(line);
				line = tmp;
			}
			xasprintf(&tmp, "%s)", line);
			free(line);
			report(arg, tmp);
			free(tmp);
			count++;
		}
		sqlite3_finalize(stmt);
	}
	if (!scratch->attached)
		store_detach_live(scratch);
	return count;
}
