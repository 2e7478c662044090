/*
 * target-unix.c -- local accounts: passwd, shadow, group and gshadow under
 * a root prefix, edited the way shadow-utils edits them, a whole batch in
 * one rewrite of each file.
 *
 * Configuration ("key=value" lines; '#' comments and blank lines allowed,
 * unknown keys refused so that a typo is not silently ignored):
 *	root=/		the files are ROOT/etc/{passwd,shadow,group,gshadow};
 *			a test tree or the demo's DIR/unix-root
 *	home=/home	new accounts' home is HOME/LOGIN
 *	shell=/bin/bash	new accounts' shell
 *	groups=		supplementary groups for new accounts (a,b,c); none
 *	uid_min=1000	new uids and personal gids come from this range, as
 *	uid_max=60000	useradd's UID_MIN/UID_MAX and GID_MIN/GID_MAX
 *	create_home=yes	make ROOT/HOME/LOGIN (0700, owned by the account;
 *			/etc/skel is not copied: pam_mkhomedir or the
 *			administrator's own tools do that)
 *	lock_wait=5	seconds to wait for another program's lock files
 *	end_sessions=no	whether a lock asked to end the account's sessions
 *			(arg "end-sessions") may do so; see "Ending
 *			sessions" below.  No by default: with a root prefix
 *			the uids in the files may be real users of this host
 *	end_sessions_grace=2
 *			seconds between SIGTERM and SIGKILL (0 to 60)
 *
 * A batch runs in three phases.  Lock: lckpwdf() when ROOT/etc is the
 * real /etc, then passwd.lock, shadow.lock, group.lock and gshadow.lock
 * made as shadow-utils makes them (a NAME.PID file linked to NAME.lock;
 * a lock whose process is gone is stale and removed), in shadow-utils'
 * order so that neither program can deadlock the other.  Apply: read all
 * four files and apply every request in memory, with hash indexes so that
 * a batch costs O(lines + requests).  Write: see unix_commit().
 *
 * A file with a line that does not parse (a wrong number of fields, a
 * uid that is not a number, a NUL byte, an empty or comment line) fails
 * the whole batch with the file and line number, and nothing is written:
 * pwck tolerates some such lines, but rewriting a file we do not fully
 * understand could silently change what the system reads from it.  NIS
 * compat lines ('+' or '-' first) are kept as they are, and new lines go
 * before them, as shadow-utils does.
 *
 * After passwd or group changed in the system's own /etc, nscd and sssd
 * are told to drop their caches, as shadow-utils does.  Not done: SELinux
 * file contexts (Debian runs without), /etc/skel, removing homes.
 *
 * Last login (lastlog, wtmp) is out of scope: list reports last_use -1.
 *
 * Ending sessions.  A lock whose arg is "end-sessions" (an emergency
 * lockout that asked for it) also ends the account's running sessions,
 * after the batch's files are renamed into place and unlocked, so that
 * nobody can log back in meanwhile.  The uid is the one in this target's
 * own passwd.  It is refused, with the reason as the request's notice
 * and the lock standing, unless the configuration says end_sessions=yes,
 * and always for uid 0, a uid below UID_MIN (ROOT/etc/login.defs, or
 * 1000), the overflow uid 65534 (nobody, shared by daemons), a uid that
 * another passwd line has too, and the uids daicho itself runs as.  Then:
 *  - where systemd-logind keeps this machine's sessions (root is "/",
 *    systemd is init, /run/systemd/users/UID exists), loginctl
 *    terminate-user UID, run with execve and a time limit;
 *  - always, every process whose real, effective or saved uid is UID
 *    (logind knows only the sessions it started: cron jobs, su and
 *    daemonised processes are not in them) gets SIGTERM, SIGHUP and
 *    SIGCONT, as systemd stops a session, and after the grace SIGKILL,
 *    through its /proc/PID directory so that a reused pid is never hit;
 *    as root, a child that becomes UID then kills all that UID may
 *    signal with kill(-1), which catches a process forking as fast as it
 *    can.  daicho itself, init and daicho's own ancestors (a sudo of the
 *    operator's) are left alone, and kill(-1) is skipped for their uid.
 * A lock is done once its files are written, whatever happens to the
 * sessions: the notice (target_req.error of a done request) says what
 * was ended, or why not.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <assert.h>
#include <crypt.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <shadow.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "targets-int.h"

#define UNIX_FILE_MAX		(64 * 1024 * 1024)	/* per file */
#define UNIX_FIELDS_MAX		9
#define UNIX_NONE		SIZE_MAX
#define UNIX_ID_RANGE_MAX	(1 << 22)	/* a bitmap of 512 KB */
#define UNIX_ID_MAX		4294967294LL	/* (uid_t)-1 is "no uid" */
#define UNIX_LOCK_POLL_MS	50
#define UNIX_PW_LEN		19		/* "xxxx-xxxx-xxxx-xxxx" */
#define UNIX_SALT_BYTES		16		/* as useradd and passwd */
#define UNIX_DAY		86400
#define UNIX_END_ARG		"end-sessions"	/* a lock's arg */
/*
 * A locked account is also expired, on day 1 (1970-01-02), as usermod(8)
 * advises with -L: the '!' only stops passwords, and sshd with UsePAM
 * would still let a key in (pam_unix's account check looks at expiry, not
 * at the hash).  No real end date is that day, so UNLOCK can tell it.
 */
#define UNIX_LOCK_EXPIRE	"1"
#define UNIX_GRACE_MAX		60		/* seconds */
#define UNIX_KILL_WAIT_MS	1000	/* for SIGKILLed processes to go */
#define UNIX_LOGINCTL_MS	10000	/* loginctl's time limit */
#define UNIX_POLL_MS		20
#define UNIX_UID_MIN		1000	/* without UID_MIN in login.defs */
#define UNIX_OVERFLOW_UID	65534	/* nobody: many daemons run as it */
#define UNIX_ANCESTORS_MAX	64

enum unix_fid {
	F_PASSWD,
	F_SHADOW,
	F_GROUP,
	F_GSHADOW,
	F_COUNT
};

static const struct unix_ftype {
	const char	*name;
	int		 nfields;
	int		 required;	/* gshadow may be absent */
	int		 secret;	/* hashes: wipe our copies */
	int		 idfield;	/* a uid or gid that must parse; -1 */
	int		 id2field;
	int		 daysfrom;	/* shadow's day counts; -1 */
} unix_ftypes[F_COUNT] = {
	[F_PASSWD] =  { "passwd",  7, 1, 0,  2,  3, -1 },
	[F_SHADOW] =  { "shadow",  9, 1, 1, -1, -1,  2 },
	[F_GROUP] =   { "group",   4, 1, 0,  2, -1, -1 },
	[F_GSHADOW] = { "gshadow", 4, 0, 1, -1, -1, -1 },
};

/*
 * The order of the renames.  Each rename is atomic but the four are not
 * atomic together, so the order is chosen so that a crash between two of
 * them leaves every account failing closed:
 *  - group and gshadow first: a deleted account's memberships are gone
 *    before the account is (no later account of the same name inherits
 *    them), and a new account's personal group exists when it appears;
 *  - passwd before shadow: a deleted account stops existing at once, for
 *    passwords, SSH keys and su alike, and its orphaned shadow line is
 *    dead data until the next rename.  A new account in passwd without
 *    its shadow line yet has no password at all (pam_unix refuses every
 *    password against "x" with no shadow entry) and no keys in its new
 *    home, until the temporary hash lands;
 *  - a lock or any other shadow change is one rename, atomic by itself.
 * (The other way round, a crash after shadow but before passwd would
 * leave a deleted account in passwd with no shadow entry, which pam_unix's
 * account phase accepts for key logins.)
 */
static const enum unix_fid unix_write_order[F_COUNT] = {
	F_GSHADOW, F_GROUP, F_PASSWD, F_SHADOW
};

/* One line of a file, without its newline. */
struct unix_line {
	char		*text;		/* into the file buffer, or owned */
	size_t		 len;
	unsigned	 owned:1;	/* text is ours to free */
	unsigned	 dead:1;	/* removed: not written */
	unsigned	 nis:1;		/* '+' or '-' compat line, verbatim */
};

/* A string-keyed hash table (open addressing); keys are never removed. */
struct unix_slot {
	char		*key;		/* NULL: empty slot */
	size_t		 val;		/* line index, count; UNIX_NONE */
	size_t		 dup;		/* a second line of that name */
};

struct unix_index {
	struct unix_slot *slot;
	size_t		 cap;		/* a power of two */
	size_t		 n;
};

struct unix_file {
	const struct unix_ftype *type;
	int		 present;
	int		 locked;	/* our NAME.lock exists */
	int		 changed;
	struct stat	 st;		/* of the file we read */
	char		*buf;		/* the file as read */
	size_t		 size;
	struct unix_line *lines;	/* the original ones, then new ones */
	size_t		 n;
	size_t		 norig;
	size_t		 alloc;
	size_t		 nis_first;	/* new lines are written before it */
	struct unix_index idx;		/* first field -> line */
	int		 plus;		/* NAME+ written */
	int		 backup;	/* NAME-+ made */
	int		 renamed;	/* NAME+ is now NAME */
};

/* Where a login appears as a group member or gshadow administrator. */
struct unix_ref {
	enum unix_fid	 fid;
	size_t		 line;
};

struct unix_refs {
	struct unix_ref	*v;
	size_t		 n;
	size_t		 alloc;
};

struct target {
	const struct target_type *type;
	char		*root;
	char		*etc;		/* ROOT/etc, for opening and messages */
	char		*home;		/* no trailing '/' unless it is "/" */
	char		*shell;
	char	       **groups;
	size_t		 ngroups;
	long long	 id_min;
	long long	 id_max;
	int		 create_home;
	int		 lock_wait_ms;
	int		 end_sessions;	/* end_sessions=yes */
	int		 grace_ms;	/* SIGTERM to SIGKILL */
};

struct unix_batch {
	struct target	*t;
	int		 etcfd;
	int		 pwdf;		/* lckpwdf() held */
	struct unix_file f[F_COUNT];
	long		 today;		/* days since the epoch */
	uint64_t	*uid_used;	/* bitmaps over [id_min, id_max] */
	uint64_t	*gid_used;
	long long	 uid_high;	/* highest used uid in range */
	long long	 gid_high;
	struct unix_index primary;	/* "gid" -> accounts with it primary */
	int		 have_members;	/* members and refs built */
	struct unix_index members;	/* login -> index into refs */
	struct unix_refs *refs;
	size_t		 nrefs;
	size_t		 refs_alloc;
	char	       **homes;		/* made by this batch, undone if it
					   fails */
	size_t		 nhomes;
	struct crypt_data *crypt;	/* sodium_malloc'd, one per batch */
};

struct unix_field {
	const char	*p;
	size_t		 len;
};

static int	 unix_failpoint_at;
static int	 unix_failpoint_n;

void
target_unix_failpoint(int n)
{
	unix_failpoint_at = n;
	unix_failpoint_n = 0;
}

/* Whether this step of the write phase is the one a test wants to fail. */
static int
unix_fail_here(void)
{
	if (unix_failpoint_at > 0 && ++unix_failpoint_n == unix_failpoint_at) {
		errno = EIO;
		return 1;
	}
	return 0;
}

/* Helpers: fields, numbers, names. */

/*
 * Split a line at ':' into at most max fields.  Returns the number of
 * fields, or max + 1 when there are more.
 */
static int
unix_split(const char *s, size_t len, struct unix_field *f, int max)
{
	const char	*end = s + len, *p = s, *c;
	int		 n = 0;

	for (;;) {
		if (n == max)
			return max + 1;
		c = memchr(p, ':', (size_t)(end - p));
		f[n].p = p;
		f[n].len = (size_t)((c != NULL ? c : end) - p);
		n++;
		if (c == NULL)
			return n;
		p = c + 1;
	}
}

/*
 * A decimal number in a file field: digits only (leading zeros are what
 * some old tools wrote), at most max.  With neg, "-1" style values are
 * allowed too, as shadow's day fields sometimes hold them.
 */
static int
unix_number(const struct unix_field *f, long long max, int neg,
    long long *out)
{
	size_t		 i = 0;
	long long	 v = 0;
	int		 minus = 0;

	if (neg && f->len > 0 && f->p[0] == '-') {
		minus = 1;
		i = 1;
	}
	if (i == f->len || f->len - i > 12)
		return -1;
	for (; i < f->len; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return -1;
		v = v * 10 + (f->p[i] - '0');
	}
	if (v > max)
		return -1;
	*out = minus ? -v : v;
	return 0;
}

/*
 * Whether login is a name we can safely look up and write: 1 to 32
 * bytes, no control characters, spaces, ':', ',' (the group member
 * separator) or '/', and no leading '-', '+' (NIS compat lines) or '~'.
 * A new account must also have the portable form useradd and pwck accept
 * ([A-Za-z0-9_.][A-Za-z0-9_.-]*, an optional final '$', not all digits).
 * The login is not repeated in the cause: it may hold anything.
 */
static int
unix_login_check(const char *login, int creating, char **cause)
{
	size_t		 n, i, digits = 0;
	unsigned char	 c;

	n = strnlen(login, TARGET_LOGIN_MAX);
	if (n == 0) {
		xasprintf(cause, "empty login name");
		return -1;
	}
	if (n >= TARGET_LOGIN_MAX) {
		xasprintf(cause, "login name over %d bytes",
		    TARGET_LOGIN_MAX - 1);
		return -1;
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)login[i];
		if (c < 0x20 || c == 0x7f) {
			xasprintf(cause, "control character in login name");
			return -1;
		}
		if (c == ' ') {
			xasprintf(cause, "space in login name");
			return -1;
		}
		if (c == ':' || c == ',' || c == '/') {
			xasprintf(cause, "'%c' in login name", c);
			return -1;
		}
		if (c >= '0' && c <= '9')
			digits++;
	}
	if (login[0] == '-' || login[0] == '+' || login[0] == '~') {
		xasprintf(cause, "login name begins with '%c'", login[0]);
		return -1;
	}
	if (strcmp(login, ".") == 0 || strcmp(login, "..") == 0) {
		xasprintf(cause, "login name is \".\" or \"..\"");
		return -1;
	}
	if (!creating)
		return 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)login[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		    (c == '-' && i > 0) || (c == '$' && i == n - 1 && i > 0))
			continue;
		xasprintf(cause, "a new login name may only use letters, "
		    "digits, '_', '.' and '-' (as useradd requires)");
		return -1;
	}
	if (digits == n) {
		xasprintf(cause, "a new login name may not be all digits");
		return -1;
	}
	return 0;
}

/* Whether s is well-formed UTF-8 (no overlong forms or surrogates). */
static int
unix_utf8_ok(const unsigned char *s, size_t n)
{
	size_t		 i = 0, k, need;
	uint32_t	 cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			need = 1;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			need = 2;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			need = 3;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/*
 * A display name for GECOS: UTF-8 text without control characters, ':'
 * (the field separator) or ',' (GECOS's subfield separator, as chfn).
 */
static int
unix_gecos_check(const char *s, char **cause)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			xasprintf(cause, "control character in the name");
			return -1;
		}
		if (*p == ':' || *p == ',') {
			xasprintf(cause, "'%c' in the name", *p);
			return -1;
		}
	}
	if (!unix_utf8_ok((const unsigned char *)s, strlen(s))) {
		xasprintf(cause, "the name is not valid UTF-8");
		return -1;
	}
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long
unix_days_from_civil(long y, long m, long d)
{
	long	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The shadow expire field for an EXPIRE argument, as chage -E and
 * usermod -e write it: YYYY-MM-DD is that day's number (pam_unix refuses
 * the account from 00:00 UTC of that day on), "now" is yesterday (expired
 * already, whatever the time zone of the tool that looks), "never"
 * empties the field.  Day 0 is refused: some tools read it as "never".
 */
static int
unix_expire_value(const char *arg, long today, char *out, size_t outsz,
    char **cause)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	long		 y, m, d, days;
	int		 i, leap;

	if (strcmp(arg, "never") == 0) {
		out[0] = '\0';
		return 0;
	}
	if (strcmp(arg, "now") == 0) {
		snprintf(out, outsz, "%ld", today - 1 > 1 ? today - 1 : 1);
		return 0;
	}
	if (strlen(arg) != 10 || arg[4] != '-' || arg[7] != '-')
		goto bad;
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (arg[i] < '0' || arg[i] > '9'))
			goto bad;
	}
	y = (arg[0] - '0') * 1000 + (arg[1] - '0') * 100 +
	    (arg[2] - '0') * 10 + (arg[3] - '0');
	m = (arg[5] - '0') * 10 + (arg[6] - '0');
	d = (arg[8] - '0') * 10 + (arg[9] - '0');
	if (y < 1970 || m < 1 || m > 12)
		goto bad;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		goto bad;
	days = unix_days_from_civil(y, m, d);
	if (days < 1)
		goto bad;
	snprintf(out, outsz, "%ld", days);
	return 0;
bad:
	xasprintf(cause, "expiry date must be YYYY-MM-DD (after 1970-01-01), "
	    "\"now\" or \"never\"");
	return -1;
}

/*
 * Whether arg looks like a whole crypt(3) hash of a method libxcrypt
 * considers current: "$id$...$hash" in crypt's alphabet, no ':' or
 * control characters (the field must stay one field on one line).
 */
static int
unix_hash_check(const char *arg, char **cause)
{
	const char	*p, *last;
	size_t		 dollars = 0;

	if (arg[0] != '$') {
		xasprintf(cause, "not a crypt(3) hash (it must begin with '$')");
		return -1;
	}
	for (p = arg; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '/' ||
		    *p == '=' || *p == ',' || *p == '-')
			continue;
		if (*p == '$') {
			dollars++;
			continue;
		}
		xasprintf(cause, "not a crypt(3) hash (a character outside "
		    "crypt's alphabet)");
		return -1;
	}
	last = strrchr(arg, '$');
	if (dollars < 3 || last[1] == '\0') {
		xasprintf(cause, "not a whole crypt(3) hash ($id$salt$hash)");
		return -1;
	}
	switch (crypt_checksalt(arg)) {
	case CRYPT_SALT_OK:
		return 0;
	case CRYPT_SALT_METHOD_LEGACY:
	case CRYPT_SALT_TOO_CHEAP:
		xasprintf(cause, "the hash uses a legacy or too cheap method");
		return -1;
	default:
		xasprintf(cause, "the hash's method is unknown or disabled");
		return -1;
	}
}

/* The string index. */

static uint64_t
unix_hash(const char *s, size_t n)
{
	uint64_t	 h = 14695981039346656037ULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void
unix_index_free(struct unix_index *x)
{
	size_t	 i;

	for (i = 0; i < x->cap; i++)
		free(x->slot[i].key);
	free(x->slot);
	memset(x, 0, sizeof *x);
}

static struct unix_slot *
unix_index_probe(struct unix_index *x, const char *key, size_t n)
{
	struct unix_slot *s;
	size_t		  i;

	i = (size_t)unix_hash(key, n) & (x->cap - 1);
	for (;;) {
		s = &x->slot[i];
		if (s->key == NULL ||
		    (strncmp(s->key, key, n) == 0 && s->key[n] == '\0'))
			return s;
		i = (i + 1) & (x->cap - 1);
	}
}

/* The slot for key, or NULL. */
static struct unix_slot *
unix_index_find(struct unix_index *x, const char *key, size_t n)
{
	struct unix_slot *s;

	if (x->cap == 0)
		return NULL;
	s = unix_index_probe(x, key, n);
	return s->key != NULL ? s : NULL;
}

/* The slot for key, made (val and dup UNIX_NONE) if it is new. */
static struct unix_slot *
unix_index_get(struct unix_index *x, const char *key, size_t n)
{
	struct unix_slot *s, *old;
	size_t		  i, oldcap;

	if (x->cap == 0 || (x->n + 1) * 2 > x->cap) {
		old = x->slot;
		oldcap = x->cap;
		x->cap = oldcap == 0 ? 64 : oldcap * 2;
		x->slot = xcalloc(x->cap, sizeof *x->slot);
		for (i = 0; i < oldcap; i++) {
			if (old[i].key == NULL)
				continue;
			s = unix_index_probe(x, old[i].key,
			    strlen(old[i].key));
			*s = old[i];
		}
		free(old);
	}
	s = unix_index_probe(x, key, n);
	if (s->key == NULL) {
		s->key = xstrndup(key, n);
		s->val = UNIX_NONE;
		s->dup = UNIX_NONE;
		x->n++;
	}
	return s;
}

/* Files: reading, checking, parsing. */

static void
unix_line_free(struct unix_file *f, struct unix_line *l)
{
	if (!l->owned)
		return;
	if (f->type->secret)
		sodium_memzero(l->text, l->len);
	free(l->text);
	l->text = NULL;
	l->owned = 0;
}

static void
unix_file_free(struct unix_file *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++)
		unix_line_free(f, &f->lines[i]);
	free(f->lines);
	if (f->buf != NULL) {
		if (f->type->secret)
			sodium_memzero(f->buf, f->size);
		free(f->buf);
	}
	unix_index_free(&f->idx);
	f->buf = NULL;
	f->lines = NULL;
	f->n = f->norig = f->alloc = 0;
}

/*
 * Whether a file (or ROOT/etc) may be trusted: a regular file (or a
 * directory), owned by root or by us, writable by nobody else.
 */
static int
unix_check_stat(const struct target *t, const char *name,
    const struct stat *sb, int dir, char **cause)
{
	if (dir ? !S_ISDIR(sb->st_mode) : !S_ISREG(sb->st_mode)) {
		xasprintf(cause, "%s%s%s: not a %s", t->etc, name[0] ? "/" : "",
		    name, dir ? "directory" : "regular file");
		return -1;
	}
	if (sb->st_uid != 0 && sb->st_uid != geteuid()) {
		xasprintf(cause, "%s%s%s: owned by uid %lu, neither root nor "
		    "us", t->etc, name[0] ? "/" : "", name,
		    (unsigned long)sb->st_uid);
		return -1;
	}
	if ((sb->st_mode & (dir ? S_IWOTH : (S_IWGRP | S_IWOTH))) != 0) {
		xasprintf(cause, "%s%s%s: writable by %s: refusing to trust "
		    "it", t->etc, name[0] ? "/" : "", name,
		    (sb->st_mode & S_IWOTH) ? "anyone" : "its group");
		return -1;
	}
	return 0;
}

/* Open ROOT/etc as a directory, refusing a symbolic link. */
static int
unix_open_etc(const struct target *t, char **cause)
{
	struct stat	 sb;
	int		 fd;

	fd = open(t->etc, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		/* O_DIRECTORY makes a link ENOTDIR rather than ELOOP. */
		if (lstat(t->etc, &sb) == 0 && S_ISLNK(sb.st_mode))
			xasprintf(cause, "%s: a symbolic link: refusing it",
			    t->etc);
		else
			xasprintf(cause, "%s: %s", t->etc, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", t->etc, strerror(errno));
		close(fd);
		return -1;
	}
	if (unix_check_stat(t, "", &sb, 1, cause) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read a whole file opened without following links; 1 if absent. */
static int
unix_read(const struct target *t, int etcfd, struct unix_file *f,
    char **cause)
{
	const char	*name = f->type->name;
	size_t		 alloc = 0, len = 0;
	ssize_t		 r;
	char		*buf = NULL, *nbuf;
	int		 fd;

	fd = openat(etcfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		if (errno == ENOENT && !f->type->required)
			return 1;
		xasprintf(cause, "%s/%s: %s", t->etc, name, errno == ELOOP ?
		    "a symbolic link: refusing it" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &f->st) == -1) {
		xasprintf(cause, "%s/%s: %s", t->etc, name, strerror(errno));
		close(fd);
		return -1;
	}
	if (unix_check_stat(t, name, &f->st, 0, cause) != 0) {
		close(fd);
		return -1;
	}
	for (;;) {
		if (len == alloc) {
			if (alloc >= UNIX_FILE_MAX) {
				xasprintf(cause, "%s/%s: larger than %d MB",
				    t->etc, name, UNIX_FILE_MAX >> 20);
				goto fail;
			}
			alloc = alloc == 0 ? (size_t)f->st.st_size + 4096 :
			    alloc * 2;
			if (alloc > UNIX_FILE_MAX)
				alloc = UNIX_FILE_MAX;
			/* Grown by hand so that old copies can be wiped. */
			nbuf = xmalloc(alloc + 1);
			if (buf != NULL) {
				memcpy(nbuf, buf, len);
				sodium_memzero(buf, len);
				free(buf);
			}
			buf = nbuf;
		}
		r = read(fd, buf + len, alloc - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			xasprintf(cause, "%s/%s: %s", t->etc, name,
			    strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	f->buf = buf;
	f->size = len;
	f->present = 1;
	return 0;
fail:
	close(fd);
	if (buf != NULL) {
		sodium_memzero(buf, len);
		free(buf);
	}
	return -1;
}

static size_t
unix_line_add(struct unix_file *f, char *text, size_t len, int owned)
{
	struct unix_line *l;

	if (f->n == f->alloc) {
		f->alloc = f->alloc == 0 ? 64 : f->alloc * 2;
		f->lines = xreallocarray(f->lines, f->alloc, sizeof *f->lines);
	}
	l = &f->lines[f->n];
	memset(l, 0, sizeof *l);
	l->text = text;
	l->len = len;
	l->owned = owned;
	return f->n++;
}

/*
 * Split the buffer into lines and check every one: the field count, a
 * name, numbers where numbers belong.  Index the names (a second line of
 * a name is remembered, and refused later by the requests that touch it).
 */
static int
unix_parse(const struct target *t, struct unix_file *f, char **cause)
{
	const struct unix_ftype *ft = f->type;
	struct unix_field fl[UNIX_FIELDS_MAX + 1];
	struct unix_slot *s;
	char		*p = f->buf, *end = f->buf + f->size, *nl;
	size_t		 i, lineno;
	long long	 v;
	int		 nf, k;

	if (memchr(f->buf, '\0', f->size) != NULL) {
		xasprintf(cause, "%s/%s: a NUL byte: not a text file", t->etc,
		    ft->name);
		return -1;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		unix_line_add(f, p, (size_t)(nl - p), 0);
		p = nl + 1;
	}
	f->norig = f->n;
	f->nis_first = f->n;
	for (i = 0; i < f->n; i++) {
		struct unix_line *l = &f->lines[i];

		lineno = i + 1;
		nf = unix_split(l->text, l->len, fl, ft->nfields);
		if (l->len > 0 && (l->text[0] == '+' || l->text[0] == '-')) {
			/* NIS compat: "+", "+name", "-@netgroup::::::". */
			if (nf > ft->nfields)
				goto fields;
			l->nis = 1;
			if (f->nis_first == f->norig)
				f->nis_first = i;
			continue;
		}
		if (nf != ft->nfields)
			goto fields;
		if (fl[0].len == 0) {
			xasprintf(cause, "%s/%s:%zu: an empty name; refusing to "
			    "rewrite a file that does not parse (see pwck -r "
			    "or grpck -r)", t->etc, ft->name, lineno);
			return -1;
		}
		if ((ft->idfield >= 0 &&
		    unix_number(&fl[ft->idfield], UNIX_ID_MAX, 0, &v) != 0) ||
		    (ft->id2field >= 0 &&
		    unix_number(&fl[ft->id2field], UNIX_ID_MAX, 0, &v) != 0)) {
			xasprintf(cause, "%s/%s:%zu: a uid or gid that is not a "
			    "number; refusing to rewrite a file that does not "
			    "parse", t->etc, ft->name, lineno);
			return -1;
		}
		for (k = ft->daysfrom; k >= 0 && k <= 7; k++) {
			if (fl[k].len > 0 &&
			    unix_number(&fl[k], LONG_MAX / UNIX_DAY, 1, &v) != 0) {
				xasprintf(cause, "%s/%s:%zu: field %d is not a "
				    "number of days; refusing to rewrite a file "
				    "that does not parse", t->etc, ft->name,
				    lineno, k + 1);
				return -1;
			}
		}
		s = unix_index_get(&f->idx, fl[0].p, fl[0].len);
		if (s->val == UNIX_NONE)
			s->val = i;
		else if (s->dup == UNIX_NONE)
			s->dup = i;
	}
	return 0;
fields:
	if (f->lines[i].len == 0)
		xasprintf(cause, "%s/%s:%zu: an empty line; refusing to rewrite "
		    "a file that does not parse (see pwck -r or grpck -r)",
		    t->etc, ft->name, lineno);
	else if (nf > ft->nfields)
		xasprintf(cause, "%s/%s:%zu: more than %d fields; refusing to "
		    "rewrite a file that does not parse (see pwck -r or "
		    "grpck -r)", t->etc, ft->name, lineno, ft->nfields);
	else
		xasprintf(cause, "%s/%s:%zu: %d fields where %d are expected; "
		    "refusing to rewrite a file that does not parse (see pwck "
		    "-r or grpck -r)", t->etc, ft->name, lineno, nf,
		    ft->nfields);
	return -1;
}

static int
unix_load(struct unix_batch *b, enum unix_fid fid, char **cause)
{
	struct unix_file *f = &b->f[fid];
	int		  r;

	if ((r = unix_read(b->t, b->etcfd, f, cause)) != 0)
		return r == 1 ? 0 : -1;
	return unix_parse(b->t, f, cause);
}

/*
 * Find name's line in a file.  0 with *line, 1 when there is none, -1
 * (with *cause) when two lines have that name: which one would other
 * programs use?  pwck and grpck report it for the administrator.
 */
static int
unix_find(struct unix_batch *b, enum unix_fid fid, const char *name,
    size_t *line, char **cause)
{
	struct unix_file *f = &b->f[fid];
	struct unix_slot *s;

	if (!f->present)
		return 1;
	s = unix_index_find(&f->idx, name, strlen(name));
	if (s == NULL || s->val == UNIX_NONE)
		return 1;
	if (s->dup != UNIX_NONE) {
		xasprintf(cause, "two entries of that name in %s/%s (lines %zu "
		    "and %zu): fix them with pwck or grpck first", b->t->etc,
		    f->type->name, s->val + 1, s->dup + 1);
		return -1;
	}
	*line = s->val;
	return 0;
}

/* Field k of a line (which parsed when it was read or made). */
static struct unix_field
unix_get(struct unix_file *f, size_t i, int k)
{
	struct unix_field fl[UNIX_FIELDS_MAX + 1];
	int		  nf;

	nf = unix_split(f->lines[i].text, f->lines[i].len, fl,
	    f->type->nfields);
	assert(nf == f->type->nfields && k < nf);
	(void)nf;
	return fl[k];
}

/* Replace line i's text (takes ownership of text). */
static void
unix_line_set(struct unix_file *f, size_t i, char *text, size_t len)
{
	unix_line_free(f, &f->lines[i]);
	f->lines[i].text = text;
	f->lines[i].len = len;
	f->lines[i].owned = 1;
	f->changed = 1;
}

/* Replace field k of line i by v. */
static void
unix_set_field(struct unix_file *f, size_t i, int k, const char *v,
    size_t vlen)
{
	struct unix_line *l = &f->lines[i];
	struct unix_field fl[UNIX_FIELDS_MAX + 1];
	size_t		  pre, post, len;
	char		 *text;
	int		  nf;

	nf = unix_split(l->text, l->len, fl, f->type->nfields);
	assert(nf == f->type->nfields && k < nf);
	(void)nf;
	pre = (size_t)(fl[k].p - l->text);
	post = l->len - pre - fl[k].len;
	len = pre + vlen + post;
	text = xmalloc(len + 1);
	memcpy(text, l->text, pre);
	memcpy(text + pre, v, vlen);
	memcpy(text + pre + vlen, fl[k].p + fl[k].len, post);
	text[len] = '\0';
	unix_line_set(f, i, text, len);
}

static void
unix_line_remove(struct unix_file *f, size_t i)
{
	struct unix_field name = unix_get(f, i, 0);
	struct unix_slot *s;

	s = unix_index_find(&f->idx, name.p, name.len);
	if (s != NULL && s->val == i)
		s->val = UNIX_NONE;
	unix_line_free(f, &f->lines[i]);
	f->lines[i].dead = 1;
	f->changed = 1;
}

/* Append a new line (takes ownership) and index it. */
static size_t
unix_line_new(struct unix_file *f, char *text)
{
	struct unix_slot *s;
	size_t		  i;

	i = unix_line_add(f, text, strlen(text), 1);
	s = unix_index_get(&f->idx, text, strcspn(text, ":"));
	s->val = i;
	f->changed = 1;
	return i;
}

/* Ids: bitmaps of the uids and gids in use in the allocation range. */

static int
unix_bit(const uint64_t *map, long long v)
{
	return (map[v / 64] >> (v % 64)) & 1;
}

static void
unix_bit_set(uint64_t *map, long long v)
{
	map[v / 64] |= (uint64_t)1 << (v % 64);
}

static void
unix_id_use(struct unix_batch *b, uint64_t *map, long long *high,
    long long id)
{
	if (id < b->t->id_min || id > b->t->id_max)
		return;
	unix_bit_set(map, id - b->t->id_min);
	if (id > *high)
		*high = id;
}

/*
 * A free id as useradd finds one: above the highest in use, else the
 * lowest free one.  Ids freed by a DELETE stay marked for the rest of
 * the batch, so that no new account inherits a deleted one's files.
 */
static int
unix_id_alloc(struct unix_batch *b, const uint64_t *map, long long high,
    long long *out)
{
	long long	 v, min = b->t->id_min, max = b->t->id_max;

	for (v = high + 1; v <= max; v++) {
		if (!unix_bit(map, v - min)) {
			*out = v;
			return 0;
		}
	}
	for (v = min; v <= high && v <= max; v++) {
		if (!unix_bit(map, v - min)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

static void
unix_ids_build(struct unix_batch *b)
{
	struct unix_file *f;
	struct unix_field uid, gid;
	struct unix_slot *s;
	size_t		  i, words;
	long long	  v;
	char		  key[24];

	words = (size_t)((b->t->id_max - b->t->id_min) / 64 + 1);
	b->uid_used = xcalloc(words, sizeof *b->uid_used);
	b->gid_used = xcalloc(words, sizeof *b->gid_used);
	b->uid_high = b->gid_high = b->t->id_min - 1;

	f = &b->f[F_PASSWD];
	for (i = 0; i < f->n; i++) {
		if (f->lines[i].nis)
			continue;
		uid = unix_get(f, i, 2);
		gid = unix_get(f, i, 3);
		if (unix_number(&uid, UNIX_ID_MAX, 0, &v) == 0)
			unix_id_use(b, b->uid_used, &b->uid_high, v);
		snprintf(key, sizeof key, "%.*s", (int)gid.len, gid.p);
		s = unix_index_get(&b->primary, key, strlen(key));
		s->val = s->val == UNIX_NONE ? 1 : s->val + 1;
	}
	f = &b->f[F_GROUP];
	for (i = 0; i < f->n; i++) {
		if (f->lines[i].nis)
			continue;
		gid = unix_get(f, i, 2);
		if (unix_number(&gid, UNIX_ID_MAX, 0, &v) == 0)
			unix_id_use(b, b->gid_used, &b->gid_high, v);
	}
}

/* Member index: where each login is a group member (or gshadow admin). */

static void
unix_ref_add(struct unix_batch *b, const char *login, size_t n,
    enum unix_fid fid, size_t line)
{
	struct unix_slot *s;
	struct unix_refs *r;

	s = unix_index_get(&b->members, login, n);
	if (s->val == UNIX_NONE) {
		if (b->nrefs == b->refs_alloc) {
			b->refs_alloc = b->refs_alloc == 0 ? 64 :
			    b->refs_alloc * 2;
			b->refs = xreallocarray(b->refs, b->refs_alloc,
			    sizeof *b->refs);
		}
		memset(&b->refs[b->nrefs], 0, sizeof b->refs[b->nrefs]);
		s->val = b->nrefs++;
	}
	r = &b->refs[s->val];
	if (r->n > 0 && r->v[r->n - 1].fid == fid && r->v[r->n - 1].line == line)
		return;		/* admin and member of the same group */
	if (r->n == r->alloc) {
		r->alloc = r->alloc == 0 ? 4 : r->alloc * 2;
		r->v = xreallocarray(r->v, r->alloc, sizeof *r->v);
	}
	r->v[r->n].fid = fid;
	r->v[r->n].line = line;
	r->n++;
}

static void
unix_refs_of_line(struct unix_batch *b, enum unix_fid fid, size_t i)
{
	struct unix_file *f = &b->f[fid];
	struct unix_field m;
	const char	 *p, *end, *c;
	int		  k;

	for (k = fid == F_GSHADOW ? 2 : 3; k <= 3; k++) {
		m = unix_get(f, i, k);
		for (p = m.p, end = m.p + m.len; p < end; p = c + 1) {
			c = memchr(p, ',', (size_t)(end - p));
			if (c == NULL)
				c = end;
			if (c > p)
				unix_ref_add(b, p, (size_t)(c - p), fid, i);
		}
	}
}

static void
unix_members_build(struct unix_batch *b)
{
	enum unix_fid	 fid;
	size_t		 i;

	if (b->have_members)
		return;
	for (fid = F_GROUP; fid <= F_GSHADOW; fid++) {
		for (i = 0; i < b->f[fid].n; i++) {
			if (!b->f[fid].lines[i].dead && !b->f[fid].lines[i].nis)
				unix_refs_of_line(b, fid, i);
		}
	}
	b->have_members = 1;
}

/* A comma list without login, or NULL if login is not in it. */
static char *
unix_list_without(struct unix_field m, const char *login, size_t *outlen)
{
	const char	*p, *end = m.p + m.len, *c;
	size_t		 n = strlen(login), len = 0;
	char		*out;
	int		 found = 0;

	out = xmalloc(m.len + 1);
	for (p = m.p; p < end; p = c + 1) {
		c = memchr(p, ',', (size_t)(end - p));
		if (c == NULL)
			c = end;
		if ((size_t)(c - p) == n && memcmp(p, login, n) == 0) {
			found = 1;
			continue;
		}
		if (c == p)
			continue;
		if (len > 0)
			out[len++] = ',';
		memcpy(out + len, p, (size_t)(c - p));
		len += (size_t)(c - p);
	}
	out[len] = '\0';
	if (!found) {
		free(out);
		return NULL;
	}
	*outlen = len;
	return out;
}

/* Remove login from every member and administrator list. */
static void
unix_members_remove(struct unix_batch *b, const char *login)
{
	struct unix_slot *s;
	struct unix_refs *r;
	struct unix_file *f;
	struct unix_field m;
	size_t		  j, len;
	char		 *list;
	int		  k;

	unix_members_build(b);
	s = unix_index_find(&b->members, login, strlen(login));
	if (s == NULL || s->val == UNIX_NONE)
		return;
	r = &b->refs[s->val];
	for (j = 0; j < r->n; j++) {
		f = &b->f[r->v[j].fid];
		if (f->lines[r->v[j].line].dead)
			continue;
		for (k = r->v[j].fid == F_GSHADOW ? 2 : 3; k <= 3; k++) {
			m = unix_get(f, r->v[j].line, k);
			list = unix_list_without(m, login, &len);
			if (list == NULL)
				continue;
			unix_set_field(f, r->v[j].line, k, list, len);
			free(list);
		}
	}
	r->n = 0;
}

/* Add login to a group's member list (and to gshadow's, if any). */
static void
unix_member_add(struct unix_batch *b, enum unix_fid fid, size_t i,
    const char *login)
{
	struct unix_file *f = &b->f[fid];
	struct unix_field m;
	char		 *list;
	int		  n;

	unix_members_build(b);
	m = unix_get(f, i, 3);
	n = xasprintf(&list, "%.*s%s%s", (int)m.len, m.p, m.len > 0 ? "," : "",
	    login);
	unix_set_field(f, i, 3, list, (size_t)n);
	free(list);
	unix_ref_add(b, login, strlen(login), fid, i);
}

/* The requests. */

static int
unix_need_account(struct unix_batch *b, const char *login, size_t *sp,
    char **cause)
{
	size_t	 pw;
	int	 r;

	if ((r = unix_find(b, F_PASSWD, login, &pw, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, "no such account");
		return -1;
	}
	if ((r = unix_find(b, F_SHADOW, login, sp, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, "the account has no shadow entry (run "
			    "pwck)");
		return -1;
	}
	return 0;
}

static int
unix_op_lock(struct unix_batch *b, struct target_req *req, char **cause)
{
	struct unix_file *f = &b->f[F_SHADOW];
	struct unix_field pw;
	size_t		  sp;
	char		 *v;

	if (req->arg[0] != '\0' && strcmp(req->arg, UNIX_END_ARG) != 0) {
		xasprintf(cause, "a lock's argument is empty or \"%s\"",
		    UNIX_END_ARG);
		return -1;
	}
	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	unix_set_field(f, sp, 7, UNIX_LOCK_EXPIRE, strlen(UNIX_LOCK_EXPIRE));
	pw = unix_get(f, sp, 1);
	if (pw.len > 0 && pw.p[0] == '!')
		return 0;	/* locked already: usermod -L does nothing */
	v = xmalloc(pw.len + 2);
	v[0] = '!';
	memcpy(v + 1, pw.p, pw.len);
	v[pw.len + 1] = '\0';
	unix_set_field(f, sp, 1, v, pw.len + 1);
	sodium_memzero(v, pw.len + 1);
	free(v);
	return 0;
}

/*
 * The argument is the account's end date in the ledger (YYYY-MM-DD,
 * "never", or empty for "whatever it was"): the lock's day-1 expiry gives
 * way to it.  An expiry other than the lock's is left alone when there is
 * no argument.
 */
static int
unix_op_unlock(struct unix_batch *b, struct target_req *req, char **cause)
{
	struct unix_file *f = &b->f[F_SHADOW];
	struct unix_field pw, ex;
	char		  v[32];
	size_t		  sp;

	if (req->arg[0] != '\0' && unix_expire_value(req->arg, b->today, v,
	    sizeof v, cause) != 0)
		return -1;
	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	pw = unix_get(f, sp, 1);
	if (pw.len == 1 && pw.p[0] == '!') {
		xasprintf(cause, "unlocking would leave an empty password, "
		    "which lets anyone log in: set a password first (usermod "
		    "-U refuses too)");
		return -1;
	}
	if (pw.len > 0 && pw.p[0] == '!')
		unix_set_field(f, sp, 1, pw.p + 1, pw.len - 1);
	if (req->arg[0] != '\0')
		unix_set_field(f, sp, 7, v, strlen(v));
	else {
		ex = unix_get(f, sp, 7);
		if (ex.len == strlen(UNIX_LOCK_EXPIRE) && memcmp(ex.p,
		    UNIX_LOCK_EXPIRE, ex.len) == 0)
			unix_set_field(f, sp, 7, "", 0);
	}
	return 0;
}

static int
unix_op_expire(struct unix_batch *b, struct target_req *req, char **cause)
{
	char	 v[32];
	size_t	 sp;

	if (unix_expire_value(req->arg, b->today, v, sizeof v, cause) != 0)
		return -1;
	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	unix_set_field(&b->f[F_SHADOW], sp, 7, v, strlen(v));
	return 0;
}

/*
 * A new hash replaces the old one, but a lock stays: the '!' is kept, so
 * that setting a password never unlocks an account behind the ledger's
 * back; UNLOCK does that.  The change date becomes today, as passwd's.
 */
static int
unix_op_set_password(struct unix_batch *b, struct target_req *req,
    char **cause)
{
	struct unix_file *f = &b->f[F_SHADOW];
	struct unix_field pw;
	size_t		  sp;
	char		 *v, day[32];
	int		  n;

	if (unix_hash_check(req->arg, cause) != 0)
		return -1;
	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	pw = unix_get(f, sp, 1);
	n = xasprintf(&v, "%s%s", pw.len > 0 && pw.p[0] == '!' ? "!" : "",
	    req->arg);
	unix_set_field(f, sp, 1, v, (size_t)n);
	sodium_memzero(v, (size_t)n);
	free(v);
	snprintf(day, sizeof day, "%ld", b->today);
	unix_set_field(f, sp, 2, day, strlen(day));
	return 0;
}

static int
unix_op_force_change(struct unix_batch *b, struct target_req *req,
    char **cause)
{
	size_t	 sp;

	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	unix_set_field(&b->f[F_SHADOW], sp, 2, "0", 1);
	return 0;
}

/*
 * As userdel without -r: the passwd and shadow lines go, the login leaves
 * every group's member and administrator lists, and its personal group
 * (same name, its primary gid) goes if no one else is in it or has it as
 * primary group.  The home directory and mail stay: records are kept.
 * uid 0 is refused: deleting root is never what an operator meant.
 */
static int
unix_op_delete(struct unix_batch *b, struct target_req *req, char **cause)
{
	struct unix_file *pwf = &b->f[F_PASSWD], *grf = &b->f[F_GROUP];
	struct unix_field uid, gid, ggid, members;
	struct unix_slot *s;
	size_t		  pw, sp = UNIX_NONE, gr = UNIX_NONE, gs = UNIX_NONE;
	long long	  v;
	int		  r;
	char		  key[24];

	if ((r = unix_find(b, F_PASSWD, req->login, &pw, cause)) != 0) {
		if (r == 1)
			xasprintf(cause, "no such account");
		return -1;
	}
	if (unix_find(b, F_SHADOW, req->login, &sp, cause) == -1 ||
	    unix_find(b, F_GROUP, req->login, &gr, cause) == -1 ||
	    unix_find(b, F_GSHADOW, req->login, &gs, cause) == -1)
		return -1;
	uid = unix_get(pwf, pw, 2);
	if (unix_number(&uid, UNIX_ID_MAX, 0, &v) == 0 && v == 0) {
		xasprintf(cause, "refusing to delete an account with uid 0");
		return -1;
	}
	gid = unix_get(pwf, pw, 3);
	snprintf(key, sizeof key, "%.*s", (int)gid.len, gid.p);

	unix_members_remove(b, req->login);
	s = unix_index_find(&b->primary, key, strlen(key));
	if (s != NULL && s->val != UNIX_NONE && s->val > 0)
		s->val--;
	if (gr != UNIX_NONE) {
		ggid = unix_get(grf, gr, 2);
		members = unix_get(grf, gr, 3);
		if (ggid.len == gid.len && memcmp(ggid.p, gid.p, gid.len) == 0 &&
		    members.len == 0 && (s == NULL || s->val == 0)) {
			unix_line_remove(grf, gr);
			if (gs != UNIX_NONE)
				unix_line_remove(&b->f[F_GSHADOW], gs);
		}
	}
	if (sp != UNIX_NONE)
		unix_line_remove(&b->f[F_SHADOW], sp);
	unix_line_remove(pwf, pw);
	return 0;
}

/* A temporary password: 16 characters that cannot be misread, ~79 bits. */
static void
unix_temp_password(char *pw)
{
	static const char alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
	size_t	 i, j = 0;

	for (i = 0; i < 16; i++) {
		if (i > 0 && i % 4 == 0)
			pw[j++] = '-';
		pw[j++] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	}
	pw[j] = '\0';
}

/* A yescrypt hash of pw into out, as passwd makes one. */
static int
unix_hash_password(struct unix_batch *b, const char *pw, char *out,
    size_t outsz, char **cause)
{
	char		 setting[CRYPT_GENSALT_OUTPUT_SIZE];
	unsigned char	 rbytes[UNIX_SALT_BYTES];
	const char	*h;

	randombytes_buf(rbytes, sizeof rbytes);
	if (crypt_gensalt_rn("$y$", 0, (const char *)rbytes, sizeof rbytes,
	    setting, sizeof setting) == NULL) {
		xasprintf(cause, "crypt_gensalt: %s", strerror(errno));
		return -1;
	}
	if (b->crypt == NULL) {
		if ((b->crypt = sodium_malloc(sizeof *b->crypt)) == NULL)
			fatal("sodium_malloc");
		memset(b->crypt, 0, sizeof *b->crypt);
	}
	h = crypt_rn(pw, setting, b->crypt, sizeof *b->crypt);
	if (h == NULL || strncmp(h, "$y$", 3) != 0 || strlen(h) >= outsz) {
		xasprintf(cause, "crypt: %s", strerror(errno));
		return -1;
	}
	memcpy(out, h, strlen(h) + 1);
	sodium_memzero(b->crypt->output, sizeof b->crypt->output);
	return 0;
}

/* Make ROOT/HOME/LOGIN, 0700, owned by the new account. */
static int
unix_make_home(struct unix_batch *b, const char *login, long long uid,
    long long gid, char **cause)
{
	struct target	*t = b->t;
	char		*parent, *path;
	int		 pfd, fd;

	xasprintf(&parent, "%s%s", strcmp(t->root, "/") == 0 ? "" : t->root,
	    t->home);
	xasprintf(&path, "%s%s%s", parent, strcmp(t->home, "/") == 0 ? "" :
	    "/", login);
	pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd == -1) {
		xasprintf(cause, "home directory parent %s: %s", parent,
		    strerror(errno));
		goto fail;
	}
	if (mkdirat(pfd, login, 0700) == -1) {
		if (errno == EEXIST)
			xasprintf(cause, "%s exists already: it may hold "
			    "another account's files (move it away, or "
			    "configure create_home=no)", path);
		else
			xasprintf(cause, "%s: %s", path, strerror(errno));
		close(pfd);
		goto fail;
	}
	fd = openat(pfd, login, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1 || fchown(fd, (uid_t)uid, (gid_t)gid) == -1 ||
	    fchmod(fd, 0700) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		(void)unlinkat(pfd, login, AT_REMOVEDIR);
		close(pfd);
		goto fail;
	}
	close(fd);
	close(pfd);
	b->homes = xreallocarray(b->homes, b->nhomes + 1, sizeof *b->homes);
	b->homes[b->nhomes++] = path;
	free(parent);
	return 0;
fail:
	free(path);
	free(parent);
	return -1;
}

/*
 * As useradd with USERGROUPS_ENAB: a uid from the range, a personal group
 * of the same name (gid = uid when free), the configured supplementary
 * groups, and a shadow line with a yescrypt hash of a random temporary
 * password and a last change of 0, so that it must change at first
 * login.  The password goes to req->secret for the operator; our copies
 * are wiped.
 */
/*
 * A create whose result was lost (daicho killed between this rewrite and
 * recording it) comes again and finds the account.  It is the one this
 * create made, and is taken as done with a new temporary password, only
 * when it is exactly what the create makes and was never used: the same
 * display name, a uid and a personal group of daicho's range, a password
 * never changed (the forced first change still due) and not locked.
 * Anything else is someone else's account and is refused.  1 when resumed,
 * 0 when not this case, -1 on an error (*cause).
 */
static int
unix_create_resume(struct unix_batch *b, struct target_req *req,
    char **cause)
{
	struct target	 *t = b->t;
	struct unix_field gecos, uidf, gidf, pwf, chg;
	size_t		  pl, sl, gl;
	long long	  uid, gid;
	char		 *pw, hash[CRYPT_OUTPUT_SIZE];
	int		  r = 0;

	if (unix_find(b, F_PASSWD, req->login, &pl, cause) != 0 ||
	    unix_find(b, F_SHADOW, req->login, &sl, cause) != 0 ||
	    unix_find(b, F_GROUP, req->login, &gl, cause) != 0) {
		free(*cause);
		*cause = NULL;
		return 0;
	}
	gecos = unix_get(&b->f[F_PASSWD], pl, 4);
	uidf = unix_get(&b->f[F_PASSWD], pl, 2);
	gidf = unix_get(&b->f[F_PASSWD], pl, 3);
	pwf = unix_get(&b->f[F_SHADOW], sl, 1);
	chg = unix_get(&b->f[F_SHADOW], sl, 2);
	if (gecos.len != strlen(req->arg) || memcmp(gecos.p, req->arg,
	    gecos.len) != 0 || unix_number(&uidf, t->id_max, 0, &uid) != 0 ||
	    uid < t->id_min || unix_number(&gidf, t->id_max, 0, &gid) != 0 ||
	    gid < t->id_min || chg.len != 1 || chg.p[0] != '0' ||
	    pwf.len == 0 || pwf.p[0] == '!' || pwf.p[0] == '*')
		return 0;

	if ((pw = sodium_malloc(UNIX_PW_LEN + 1)) == NULL)
		fatal("sodium_malloc");
	unix_temp_password(pw);
	if (unix_hash_password(b, pw, hash, sizeof hash, cause) != 0)
		r = -1;
	else {
		unix_set_field(&b->f[F_SHADOW], sl, 1, hash, strlen(hash));
		memcpy(req->secret, pw, UNIX_PW_LEN + 1);
		snprintf(req->error, sizeof req->error, "created before an "
		    "interruption lost its result; a new temporary password "
		    "replaces the first, which nobody saw");
		r = 1;
	}
	sodium_memzero(hash, sizeof hash);
	sodium_free(pw);
	return r;
}

static int
unix_op_create(struct unix_batch *b, struct target_req *req, char **cause)
{
	struct target	*t = b->t;
	struct unix_slot *s;
	size_t		 line, *sup = NULL;
	long long	 uid, gid;
	char		*pw = NULL, hash[CRYPT_OUTPUT_SIZE], *text, key[24];
	enum unix_fid	 fid;
	size_t		 i;
	int		 r, ret = -1;

	if (unix_login_check(req->login, 1, cause) != 0)
		return -1;
	if (unix_gecos_check(req->arg, cause) != 0)
		return -1;
	if ((r = unix_create_resume(b, req, cause)) != 0)
		return r == 1 ? 0 : -1;
	for (fid = 0; fid < F_COUNT; fid++) {
		if ((r = unix_find(b, fid, req->login, &line, cause)) == -1)
			return -1;
		if (r == 0) {
			xasprintf(cause, "%s/%s already has an entry of that "
			    "name", t->etc, unix_ftypes[fid].name);
			return -1;
		}
	}
	if (t->ngroups > 0)
		sup = xcalloc(t->ngroups, sizeof *sup);
	for (i = 0; i < t->ngroups; i++) {
		if ((r = unix_find(b, F_GROUP, t->groups[i], &sup[i],
		    cause)) == 1)
			xasprintf(cause, "group %s (configured in groups=) "
			    "does not exist", t->groups[i]);
		if (r != 0)
			goto out;
	}
	if (unix_id_alloc(b, b->uid_used, b->uid_high, &uid) != 0) {
		xasprintf(cause, "no free uid between %lld and %lld",
		    t->id_min, t->id_max);
		goto out;
	}
	if (!unix_bit(b->gid_used, uid - t->id_min))
		gid = uid;
	else if (unix_id_alloc(b, b->gid_used, b->gid_high, &gid) != 0) {
		xasprintf(cause, "no free gid between %lld and %lld",
		    t->id_min, t->id_max);
		goto out;
	}

	if ((pw = sodium_malloc(UNIX_PW_LEN + 1)) == NULL)
		fatal("sodium_malloc");
	unix_temp_password(pw);
	if (unix_hash_password(b, pw, hash, sizeof hash, cause) != 0)
		goto out;
	if (t->create_home && unix_make_home(b, req->login, uid, gid,
	    cause) != 0)
		goto out;

	/* From here on nothing fails: the account is made in memory. */
	unix_id_use(b, b->uid_used, &b->uid_high, uid);
	unix_id_use(b, b->gid_used, &b->gid_high, gid);
	snprintf(key, sizeof key, "%lld", gid);
	s = unix_index_get(&b->primary, key, strlen(key));
	s->val = s->val == UNIX_NONE ? 1 : s->val + 1;

	xasprintf(&text, "%s:x:%lld:%lld:%s:%s%s%s:%s", req->login, uid, gid,
	    req->arg, t->home, strcmp(t->home, "/") == 0 ? "" : "/",
	    req->login, t->shell);
	unix_line_new(&b->f[F_PASSWD], text);
	xasprintf(&text, "%s:%s:0:0:99999:7:::", req->login, hash);
	unix_line_new(&b->f[F_SHADOW], text);
	xasprintf(&text, "%s:x:%lld:", req->login, gid);
	unix_line_new(&b->f[F_GROUP], text);
	if (b->f[F_GSHADOW].present) {
		xasprintf(&text, "%s:!::", req->login);
		unix_line_new(&b->f[F_GSHADOW], text);
	}
	for (i = 0; i < t->ngroups; i++) {
		unix_member_add(b, F_GROUP, sup[i], req->login);
		if (unix_find(b, F_GSHADOW, t->groups[i], &line, cause) == 0)
			unix_member_add(b, F_GSHADOW, line, req->login);
		else {
			free(*cause);
			*cause = NULL;
		}
	}
	memcpy(req->secret, pw, UNIX_PW_LEN + 1);
	ret = 0;
out:
	sodium_memzero(hash, sizeof hash);
	if (pw != NULL)
		sodium_free(pw);
	free(sup);
	return ret;
}

/*
 * A new temporary password, as passwd(1) and then chage -d 0 would leave
 * it: a fresh yescrypt hash, the last change at day 0 so that the next
 * login must change it.  A lock ('!') in front of the old hash stays in
 * front of the new one.
 */
static int
unix_op_reset(struct unix_batch *b, struct target_req *req, char **cause)
{
	struct unix_field old;
	size_t		  sp;
	char		 *pw, hash[CRYPT_OUTPUT_SIZE + 1];
	int		  locked, r = -1;

	if (unix_need_account(b, req->login, &sp, cause) != 0)
		return -1;
	old = unix_get(&b->f[F_SHADOW], sp, 1);
	locked = old.len > 0 && old.p[0] == '!';
	if ((pw = sodium_malloc(UNIX_PW_LEN + 1)) == NULL)
		fatal("sodium_malloc");
	unix_temp_password(pw);
	hash[0] = '!';
	if (unix_hash_password(b, pw, hash + 1, sizeof hash - 1, cause) == 0) {
		unix_set_field(&b->f[F_SHADOW], sp, 1, hash + !locked,
		    strlen(hash + !locked));
		unix_set_field(&b->f[F_SHADOW], sp, 2, "0", 1);
		memcpy(req->secret, pw, UNIX_PW_LEN + 1);
		r = 0;
	}
	sodium_memzero(hash, sizeof hash);
	sodium_free(pw);
	return r;
}

static const struct unix_op {
	enum target_op	 op;
	int		(*fn)(struct unix_batch *, struct target_req *,
			    char **);
} unix_ops[] = {
	{ TARGET_CREATE, unix_op_create },
	{ TARGET_LOCK, unix_op_lock },
	{ TARGET_UNLOCK, unix_op_unlock },
	{ TARGET_EXPIRE, unix_op_expire },
	{ TARGET_SET_PASSWORD, unix_op_set_password },
	{ TARGET_FORCE_CHANGE, unix_op_force_change },
	{ TARGET_DELETE, unix_op_delete },
	{ TARGET_RESET, unix_op_reset },
};

/* Apply one request in memory; a refusal is the request's, not the batch's. */
static void
unix_request(struct unix_batch *b, struct target_req *req)
{
	const struct unix_op *op = NULL;
	char		*cause = NULL;
	size_t		 i;

	for (i = 0; i < sizeof unix_ops / sizeof unix_ops[0]; i++) {
		if (unix_ops[i].op == req->op)
			op = &unix_ops[i];
	}
	if (op == NULL)
		xasprintf(&cause, "unknown operation %d", (int)req->op);
	else if (memchr(req->arg, '\0', sizeof req->arg) == NULL)
		xasprintf(&cause, "argument not terminated");
	else if (unix_login_check(req->login, 0, &cause) == 0 &&
	    op->fn(b, req, &cause) == 0) {
		req->done = 1;
		return;
	}
	snprintf(req->error, sizeof req->error, "%s", cause);
	free(cause);
}

/* Locks. */

/*
 * Lock one file as shadow-utils does: write our pid to NAME.PID, link it
 * to NAME.lock (atomic, and safe on NFS: the link count must be 2).  A
 * lock whose process is gone is stale: removed, and the link retried.  A
 * live lock is waited for, up to lock_wait.
 */
static int
unix_lock_file(struct unix_batch *b, struct unix_file *f,
    const struct timespec *deadline, char **cause)
{
	const char	*etc = b->t->etc, *name = f->type->name;
	char		 tmp[64], lock[64], buf[32];
	struct timespec	 now, nap = { 0, UNIX_LOCK_POLL_MS * 1000000L };
	struct stat	 sb;
	ssize_t		 n;
	long long	 pid;
	const char	*errstr;
	int		 fd, len, spins = 0;

	snprintf(tmp, sizeof tmp, "%s.%ld", name, (long)getpid());
	snprintf(lock, sizeof lock, "%s.lock", name);
	fd = openat(b->etcfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(cause, "%s/%s: %s", etc, tmp, strerror(errno));
		return -1;
	}
	len = snprintf(buf, sizeof buf, "%ld", (long)getpid()) + 1;
	if (write(fd, buf, (size_t)len) != len) {
		xasprintf(cause, "%s/%s: %s", etc, tmp, strerror(errno));
		close(fd);
		(void)unlinkat(b->etcfd, tmp, 0);
		return -1;
	}
	close(fd);

	for (;;) {
		if (++spins > 1000) {
			xasprintf(cause, "%s/%s: cannot take the lock", etc,
			    lock);
			break;
		}
		if (linkat(b->etcfd, tmp, b->etcfd, lock, 0) == 0) {
			if (fstatat(b->etcfd, tmp, &sb,
			    AT_SYMLINK_NOFOLLOW) == -1 || sb.st_nlink != 2) {
				xasprintf(cause, "%s/%s: lock file already used",
				    etc, lock);
				(void)unlinkat(b->etcfd, tmp, 0);
				return -1;
			}
			(void)unlinkat(b->etcfd, tmp, 0);
			f->locked = 1;
			return 0;
		}
		if (errno != EEXIST) {
			xasprintf(cause, "%s/%s: %s", etc, lock,
			    strerror(errno));
			break;
		}
		fd = openat(b->etcfd, lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		    O_NONBLOCK);
		if (fd == -1 && errno == ENOENT)
			continue;	/* released meanwhile */
		n = fd == -1 ? -1 : read(fd, buf, sizeof buf - 1);
		if (fd != -1)
			close(fd);
		if (n > 0 && buf[n - 1] == '\0')
			n--;
		if (n > 0 && buf[n - 1] == '\n')
			n--;
		buf[n > 0 ? n : 0] = '\0';
		if (n <= 0 || number_parse(buf, 1, INT_MAX, &pid,
		    &errstr) != 0) {
			xasprintf(cause, "%s/%s exists but names no process: "
			    "remove it if no program is editing the account "
			    "files", etc, lock);
			break;
		}
		if (pid != (long long)getpid() && kill((pid_t)pid, 0) == -1 &&
		    errno == ESRCH) {
			/* Stale: its process is gone. */
			if (unlinkat(b->etcfd, lock, 0) == -1 &&
			    errno != ENOENT) {
				xasprintf(cause, "%s/%s: %s", etc, lock,
				    strerror(errno));
				break;
			}
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > deadline->tv_sec ||
		    (now.tv_sec == deadline->tv_sec &&
		    now.tv_nsec >= deadline->tv_nsec)) {
			xasprintf(cause, "%s/%s is locked by process %lld "
			    "(%s); try again when it has finished", etc, name,
			    pid, lock);
			break;
		}
		nanosleep(&nap, NULL);
	}
	(void)unlinkat(b->etcfd, tmp, 0);
	return -1;
}

static void
unix_unlock(struct unix_batch *b)
{
	char	 lock[64];
	int	 k;

	for (k = F_COUNT - 1; k >= 0; k--) {
		if (!b->f[k].locked)
			continue;
		snprintf(lock, sizeof lock, "%s.lock", b->f[k].type->name);
		(void)unlinkat(b->etcfd, lock, 0);
		b->f[k].locked = 0;
	}
	if (b->pwdf) {
		ulckpwdf();
		b->pwdf = 0;
	}
}

/*
 * Take the locks in shadow-utils' order: lckpwdf() first when these are
 * the system's own files (it is /etc/.pwd.lock, shared by every program
 * that edits them), then each file's .lock.  gshadow is locked only when
 * it exists, as shadow-utils does.
 */
static int
unix_lock(struct unix_batch *b, char **cause)
{
	struct stat	 etc, sys, sb;
	struct timespec	 deadline;
	enum unix_fid	 fid;

	if (fstat(b->etcfd, &etc) == 0 && stat("/etc", &sys) == 0 &&
	    etc.st_dev == sys.st_dev && etc.st_ino == sys.st_ino) {
		if (lckpwdf() == -1) {
			xasprintf(cause, "cannot lock the account files "
			    "(/etc/.pwd.lock): %s", strerror(errno));
			return -1;
		}
		b->pwdf = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += b->t->lock_wait_ms / 1000;
	deadline.tv_nsec += (b->t->lock_wait_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	for (fid = 0; fid < F_COUNT; fid++) {
		if (!unix_ftypes[fid].required &&
		    fstatat(b->etcfd, unix_ftypes[fid].name, &sb,
		    AT_SYMLINK_NOFOLLOW) == -1 && errno == ENOENT)
			continue;
		if (unix_lock_file(b, &b->f[fid], &deadline, cause) != 0) {
			unix_unlock(b);
			return -1;
		}
	}
	return 0;
}

/* Writing. */

static void
unix_name(char *out, size_t outsz, const struct unix_file *f,
    const char *suffix)
{
	snprintf(out, outsz, "%s%s", f->type->name, suffix);
}

/* Write all of buf to fd. */
static int
unix_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 r;

	while (len > 0) {
		if (unix_fail_here())
			return -1;
		r = write(fd, buf, len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

/*
 * Write a new file name in ROOT/etc with st's owner and mode: created
 * 0600 (so nobody reads a shadow file half-way), given the owner and
 * mode, written, fsynced.
 */
static int
unix_write_new(struct unix_batch *b, const char *name, const char *buf,
    size_t len, const struct stat *st, char **cause)
{
	int	 fd;

	(void)unlinkat(b->etcfd, name, 0);
	if (unix_fail_here()) {
		xasprintf(cause, "%s/%s: %s", b->t->etc, name, strerror(errno));
		return -1;
	}
	fd = openat(b->etcfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(cause, "%s/%s: %s", b->t->etc, name, strerror(errno));
		return -1;
	}
	if (fchown(fd, st->st_uid, st->st_gid) == -1 ||
	    fchmod(fd, st->st_mode & 07777) == -1 ||
	    unix_write_all(fd, buf, len) != 0 ||
	    unix_fail_here() || fsync(fd) == -1) {
		xasprintf(cause, "%s/%s: %s", b->t->etc, name, strerror(errno));
		close(fd);
		(void)unlinkat(b->etcfd, name, 0);
		return -1;
	}
	if (close(fd) == -1) {
		xasprintf(cause, "%s/%s: %s", b->t->etc, name, strerror(errno));
		(void)unlinkat(b->etcfd, name, 0);
		return -1;
	}
	return 0;
}

/* The file's new content; the caller frees (and wipes, for secrets). */
static char *
unix_render(struct unix_file *f, size_t *outlen)
{
	size_t		 i, len = 0, at;
	char		*out;

	for (i = 0; i < f->n; i++) {
		if (!f->lines[i].dead)
			len += f->lines[i].len + 1;
	}
	out = xmalloc(len + 1);
	at = 0;
	/* New lines go before the first NIS line, as shadow-utils does. */
#define EMIT(l) do {							\
	memcpy(out + at, (l)->text, (l)->len);				\
	at += (l)->len;							\
	out[at++] = '\n';						\
} while (0)
	for (i = 0; i <= f->norig; i++) {
		if (i == f->nis_first) {
			size_t j;

			for (j = f->norig; j < f->n; j++) {
				if (!f->lines[j].dead)
					EMIT(&f->lines[j]);
			}
		}
		if (i < f->norig && !f->lines[i].dead)
			EMIT(&f->lines[i]);
	}
#undef EMIT
	assert(at == len);
	out[len] = '\0';
	*outlen = len;
	return out;
}

static int
unix_fsync_dir(struct unix_batch *b, char **cause)
{
	if (unix_fail_here() || fsync(b->etcfd) == -1) {
		xasprintf(cause, "%s: fsync: %s", b->t->etc, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Undo a write phase that failed: files already renamed get their old
 * inode back from NAME-+ (a hard link to it), in reverse order, and
 * every NAME+ and NAME-+ left is removed.  The '-' backups were not
 * touched yet.  Errors here can only be reported, appended to *cause.
 */
static void
unix_rollback(struct unix_batch *b, char **cause)
{
	char		 plus[64], bak[64], real[64], *c;
	int		 j, bad = 0;

	for (j = F_COUNT - 1; j >= 0; j--) {
		struct unix_file *f = &b->f[unix_write_order[j]];

		unix_name(plus, sizeof plus, f, "+");
		unix_name(bak, sizeof bak, f, "-+");
		unix_name(real, sizeof real, f, "");
		if (f->renamed) {
			if (renameat(b->etcfd, bak, b->etcfd, real) == -1)
				bad = 1;
			else
				f->backup = 0;
			f->renamed = 0;
		}
		if (f->plus)
			(void)unlinkat(b->etcfd, plus, 0);
		if (f->backup)
			(void)unlinkat(b->etcfd, bak, 0);
		f->plus = f->backup = 0;
	}
	if (fsync(b->etcfd) == -1)
		bad = 1;
	if (bad) {
		xasprintf(&c, "%s; undoing it failed too: check the files "
		    "with pwck -r and grpck -r (the previous versions are in "
		    "%s/NAME-+)", *cause, b->t->etc);
		free(*cause);
		*cause = c;
	}
}

/*
 * The write phase.  Each changed file is written to NAME+ (its owner and
 * mode, fsynced); the current NAME is hard-linked to NAME-+ (the next
 * backup; a copy where links fail).  Only when all of that succeeded are
 * the NAME+ renamed over NAME, in unix_write_order, with the directory
 * fsynced after each so the renames reach the disk in that order.  Then
 * each NAME-+ becomes NAME-.  Anything failing before the last rename is
 * undone (unix_rollback), so the files are as they were, '-' backups
 * included.  After a crash, leftover NAME+ and NAME-+ files are removed
 * by the next batch, under the locks.
 */
static int
unix_commit(struct unix_batch *b, char **cause)
{
	char		 plus[64], bak[64], real[64], *out;
	size_t		 len;
	int		 j, r;

	for (j = 0; j < F_COUNT; j++) {
		struct unix_file *f = &b->f[unix_write_order[j]];

		if (!f->changed)
			continue;
		unix_name(plus, sizeof plus, f, "+");
		out = unix_render(f, &len);
		r = unix_write_new(b, plus, out, len, &f->st, cause);
		if (f->type->secret)
			sodium_memzero(out, len);
		free(out);
		if (r != 0)
			goto fail;
		f->plus = 1;

		unix_name(bak, sizeof bak, f, "-+");
		unix_name(real, sizeof real, f, "");
		(void)unlinkat(b->etcfd, bak, 0);
		if (unix_fail_here()) {
			xasprintf(cause, "%s/%s: %s", b->t->etc, bak,
			    strerror(errno));
			goto fail;
		}
		if (linkat(b->etcfd, real, b->etcfd, bak, 0) == -1 &&
		    unix_write_new(b, bak, f->buf, f->size, &f->st,
		    cause) != 0)
			goto fail;
		f->backup = 1;
	}
	for (j = 0; j < F_COUNT; j++) {
		struct unix_file *f = &b->f[unix_write_order[j]];

		if (!f->changed)
			continue;
		unix_name(plus, sizeof plus, f, "+");
		unix_name(real, sizeof real, f, "");
		if (unix_fail_here() ||
		    renameat(b->etcfd, plus, b->etcfd, real) == -1) {
			xasprintf(cause, "rename %s/%s: %s", b->t->etc, plus,
			    strerror(errno));
			goto fail;
		}
		f->plus = 0;
		f->renamed = 1;
		if (unix_fsync_dir(b, cause) != 0)
			goto fail;
	}
	/* Done: the batch stands.  The backups are a convenience. */
	for (j = 0; j < F_COUNT; j++) {
		struct unix_file *f = &b->f[unix_write_order[j]];

		if (!f->backup)
			continue;
		unix_name(bak, sizeof bak, f, "-+");
		unix_name(real, sizeof real, f, "-");
		(void)renameat(b->etcfd, bak, b->etcfd, real);
		f->backup = 0;
	}
	(void)fsync(b->etcfd);
	return 0;
fail:
	unix_rollback(b, cause);
	return -1;
}

/* Remove what a crashed batch (ours or shadow-utils') left behind. */
static void
unix_leftovers(struct unix_batch *b)
{
	char		 name[64];
	enum unix_fid	 fid;

	for (fid = 0; fid < F_COUNT; fid++) {
		if (!b->f[fid].locked)
			continue;
		unix_name(name, sizeof name, &b->f[fid], "+");
		(void)unlinkat(b->etcfd, name, 0);
		unix_name(name, sizeof name, &b->f[fid], "-+");
		(void)unlinkat(b->etcfd, name, 0);
	}
}

/*
 * After passwd or group changed in the system's own /etc, tell nscd and
 * sssd to drop their caches, as shadow-utils does: otherwise a deleted
 * account could still resolve for minutes.  (shadow, which pam_unix reads
 * for the password and a lock, is never cached.)  Best effort: they may
 * not be installed or running.  Run with execve, no shell, no environment.
 */
static void
unix_flush_caches(int passwd, int group)
{
	static char	 nscd[] = "/usr/sbin/nscd", sss[] = "/usr/sbin/sss_cache";
	static char	 i[] = "-i", pw[] = "passwd", gr[] = "group", ug[] = "-UG";
	char		*a_pw[] = { nscd, i, pw, NULL };
	char		*a_gr[] = { nscd, i, gr, NULL };
	char		*a_ss[] = { sss, ug, NULL };
	char		**runs[3], *envp[] = { NULL };
	posix_spawn_file_actions_t fa;
	pid_t		 pid;
	size_t		 n = 0, k;

	if (passwd && access(nscd, X_OK) == 0)
		runs[n++] = a_pw;
	if (group && access(nscd, X_OK) == 0)
		runs[n++] = a_gr;
	if (access(sss, X_OK) == 0)
		runs[n++] = a_ss;
	if (n == 0 || fd_spawn_actions(&fa) != 0)
		return;
	for (k = 0; k < n; k++) {
		if (posix_spawn(&pid, runs[k][0], &fa, NULL, runs[k],
		    envp) == 0)
			(void)waitpid(pid, NULL, 0);
	}
	posix_spawn_file_actions_destroy(&fa);
}

/* Ending sessions. */

/* An account whose sessions a lock ends. */
struct unix_end {
	struct target_req *req;
	uid_t		 uid;		/* from the target's own passwd */
	struct unix_end	*first;		/* the one that counts for this uid
					   (two requests may name it) */
	size_t		 term;		/* processes sent SIGTERM */
	size_t		 kill;		/* sent SIGKILL after the grace */
	size_t		 left;		/* still there after SIGKILL */
	size_t		 spared;	/* daicho's ancestors, left alone */
	char		 logind[96];	/* what loginctl did; "" not run */
};

enum unix_pass {
	UNIX_PASS_TERM,		/* SIGTERM, SIGHUP, SIGCONT; count term */
	UNIX_PASS_LOOK,		/* signal nothing, count nothing */
	UNIX_PASS_KILL,		/* SIGKILL; count kill */
	UNIX_PASS_LEFT,		/* signal nothing; count left */
};

/* daicho's parent, its parent, ...: ending them would end daicho. */
struct unix_ancestors {
	pid_t		 pid[UNIX_ANCESTORS_MAX];
	size_t		 n;
};

/* A done request's notice: what its lock did about the sessions. */
static void DAICHO_PRINTF(2, 3)
unix_notice(struct target_req *r, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	n = snprintf(r->error, sizeof r->error, "%s: ", UNIX_END_ARG);
	va_start(ap, fmt);
	(void)vsnprintf(r->error + n, sizeof r->error - (size_t)n, fmt, ap);
	va_end(ap);
}

static int64_t
unix_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
unix_nap(void)
{
	struct timespec	 nap = { 0, UNIX_POLL_MS * 1000000L };

	nanosleep(&nap, NULL);
}

/*
 * UID_MIN from ROOT/etc/login.defs as shadow-utils reads it (the last
 * "UID_MIN n" line counts); UNIX_UID_MIN when the file or the line is
 * absent.  A file we may not trust (unix_read checks it as it checks
 * shadow) or a value that is not a decimal number refuses, with *cause:
 * a lower UID_MIN would let the processes of system accounts be ended.
 */
static int
unix_uid_min(struct unix_batch *b, long long *out, char **cause)
{
	static const struct unix_ftype defs = { "login.defs", 0, 0, 0, -1,
	    -1, -1 };
	struct unix_file f;
	const char	*p, *end, *nl, *v, *errstr;
	char		 num[16];
	size_t		 vlen;
	int		 r;

	memset(&f, 0, sizeof f);
	f.type = &defs;
	*out = UNIX_UID_MIN;
	if ((r = unix_read(b->t, b->etcfd, &f, cause)) != 0)
		return r == 1 ? 0 : -1;
	for (p = f.buf, end = f.buf + f.size; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		p += strspn(p, " \t");
		if ((size_t)(nl - p) < 8 || strncmp(p, "UID_MIN", 7) != 0 ||
		    (p[7] != ' ' && p[7] != '\t'))
			continue;
		v = p + 7 + strspn(p + 7, " \t");
		for (vlen = 0; v + vlen < nl && v[vlen] != ' ' &&
		    v[vlen] != '\t' && v[vlen] != '\r'; vlen++)
			;
		if (vlen == 0 || vlen >= sizeof num) {
			errstr = "invalid";
			goto bad;
		}
		memcpy(num, v, vlen);
		num[vlen] = '\0';
		if (number_parse(num, 0, UNIX_ID_MAX, out, &errstr) != 0)
			goto bad;
	}
	unix_file_free(&f);
	return 0;
bad:
	xasprintf(cause, "%s/login.defs: UID_MIN is %s", b->t->etc, errstr);
	unix_file_free(&f);
	return -1;
}

static int
unix_uid_cmp(const void *a, const void *b)
{
	uid_t	 x = *(const uid_t *)a, y = *(const uid_t *)b;

	return x < y ? -1 : x > y;
}

static int
unix_end_cmp(const void *a, const void *b)
{
	return unix_uid_cmp(&((const struct unix_end *)a)->uid,
	    &((const struct unix_end *)b)->uid);
}

/* How many passwd lines have uid (all: every line's uid, sorted). */
static size_t
unix_uid_count(const uid_t *all, size_t n, uid_t uid)
{
	size_t	 lo = 0, hi = n, mid, k = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (all[mid] < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + k < n && all[lo + k] == uid)
		k++;
	return k;
}

/*
 * Why the sessions of uid may not be ended, or NULL when they may.  The
 * uid's processes are all of that uid's on this machine, whoever they
 * belong to in another root: only an ordinary account of its own.
 */
static const char *
unix_end_refused(long long uid, long long uid_min, const uid_t *all,
    size_t nall, char *why, size_t whysz)
{
	uid_t	 r, e, s;

	if (uid == 0)
		return "uid 0: never ended";
	if (uid < uid_min) {
		snprintf(why, whysz, "uid %lld is below UID_MIN %lld (a system "
		    "account): not ended", uid, uid_min);
		return why;
	}
	if (uid == UNIX_OVERFLOW_UID)
		return "uid 65534 (nobody) is shared by daemons: not ended";
	if (getresuid(&r, &e, &s) == -1 || (uid_t)uid == r ||
	    (uid_t)uid == e || (uid_t)uid == s) {
		snprintf(why, whysz, "daicho itself runs as uid %lld: not "
		    "ended", uid);
		return why;
	}
	if (unix_uid_count(all, nall, (uid_t)uid) > 1) {
		snprintf(why, whysz, "uid %lld is another account's in passwd "
		    "too: not ended", uid);
		return why;
	}
	return NULL;
}

/*
 * The accounts of a committed batch whose sessions are to end: locks
 * applied with arg "end-sessions", their uids from the batch's passwd.
 * A request whose sessions may not be ended gets the reason as its
 * notice instead.  Returns the count; *out (sorted by uid) is the
 * caller's to free.
 */
static size_t
unix_end_collect(struct unix_batch *b, struct target_req *reqs, size_t n,
    struct unix_end **out)
{
	struct unix_file *pwf = &b->f[F_PASSWD];
	struct unix_end	 *v = NULL;
	struct unix_field uf;
	uid_t		 *all = NULL;
	size_t		  nv = 0, nall = 0, i, line;
	long long	  uid, uid_min = UNIX_UID_MIN;
	char		 *defs_cause = NULL, *c = NULL, why[160];
	const char	 *no;
	int		  looked = 0;

	*out = NULL;
	for (i = 0; i < n; i++) {
		struct target_req *r = &reqs[i];

		if (!r->done || r->op != TARGET_LOCK ||
		    strcmp(r->arg, UNIX_END_ARG) != 0)
			continue;
		if (!b->t->end_sessions) {
			unix_notice(r, "not allowed by this system's "
			    "configuration (end_sessions=no): no process was "
			    "signalled");
			continue;
		}
		if (!looked) {
			looked = 1;
			if (unix_uid_min(b, &uid_min, &defs_cause) != 0)
				uid_min = -1;
			all = xcalloc(pwf->n + 1, sizeof *all);
			for (line = 0; line < pwf->n; line++) {
				if (pwf->lines[line].dead ||
				    pwf->lines[line].nis)
					continue;
				uf = unix_get(pwf, line, 2);
				if (unix_number(&uf, UNIX_ID_MAX, 0, &uid) == 0)
					all[nall++] = (uid_t)uid;
			}
			qsort(all, nall, sizeof *all, unix_uid_cmp);
		}
		if (uid_min == -1) {
			unix_notice(r, "%s: no process was signalled",
			    defs_cause);
			continue;
		}
		/* The lock found the line; the line's uid parsed. */
		if (unix_find(b, F_PASSWD, r->login, &line, &c) != 0) {
			unix_notice(r, "no passwd line: not ended");
			free(c);
			c = NULL;
			continue;
		}
		uf = unix_get(pwf, line, 2);
		if (unix_number(&uf, UNIX_ID_MAX, 0, &uid) != 0) {
			unix_notice(r, "the uid is not a number: not ended");
			continue;
		}
		no = unix_end_refused(uid, uid_min, all, nall, why,
		    sizeof why);
		if (no != NULL) {
			unix_notice(r, "%s", no);
			continue;
		}
		v = xreallocarray(v, nv + 1, sizeof *v);
		memset(&v[nv], 0, sizeof v[nv]);
		v[nv].req = r;
		v[nv].uid = (uid_t)uid;
		nv++;
	}
	free(defs_cause);
	free(all);
	if (nv > 0)
		qsort(v, nv, sizeof *v, unix_end_cmp);
	for (i = 0; i < nv; i++)
		v[i].first = i > 0 && v[i - 1].uid == v[i].uid ?
		    v[i - 1].first : &v[i];
	*out = v;
	return nv;
}

/* One decimal number at *p, at most max; *p moves past it. */
static int
unix_proc_number(const char **p, unsigned long long max,
    unsigned long long *out)
{
	unsigned long long v = 0;
	const char	*s = *p;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned long long)(*s - '0');
		if (v > max)
			return -1;
	}
	*p = s;
	*out = v;
	return 0;
}

/*
 * A process's state letter, its real, effective and saved uids and its
 * parent, read through its /proc/PID directory (dfd), which pins it: if
 * the process has gone, the read fails rather than show another's.
 */
static int
unix_proc_status(int dfd, char *state, uid_t uids[3], pid_t *ppid)
{
	char		 buf[2048];
	const char	*p;
	unsigned long long v;
	ssize_t		 n;
	int		 fd, k;

	/* State, PPid and Uid come before the (long) Groups line. */
	if ((fd = openat(dfd, "status", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* Name escapes newlines, so "\nKey:" is the key's own line. */
	if ((p = strstr(buf, "\nState:\t")) == NULL)
		return -1;
	*state = p[8];
	if ((p = strstr(buf, "\nPPid:\t")) == NULL)
		return -1;
	p += 7;
	if (unix_proc_number(&p, INT_MAX, &v) != 0)
		return -1;
	*ppid = (pid_t)v;
	if ((p = strstr(buf, "\nUid:\t")) == NULL)
		return -1;
	p += 6;
	for (k = 0; k < 3; k++) {
		if (unix_proc_number(&p, UINT32_MAX, &v) != 0 || *p++ != '\t')
			return -1;
		uids[k] = (uid_t)v;
	}
	return 0;
}

/* Open /proc/PID as a directory (a handle on that very process). */
static int
unix_proc_open(int procfd, const char *name)
{
	return openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static void
unix_ancestors(struct unix_ancestors *a)
{
	char	 name[24], state;
	uid_t	 uids[3];
	pid_t	 pid = getppid(), ppid;
	int	 dfd;

	a->n = 0;
	while (pid > 1 && a->n < UNIX_ANCESTORS_MAX) {
		a->pid[a->n++] = pid;
		snprintf(name, sizeof name, "/proc/%ld", (long)pid);
		if ((dfd = unix_proc_open(AT_FDCWD, name)) == -1)
			break;
		if (unix_proc_status(dfd, &state, uids, &ppid) != 0)
			ppid = 0;
		close(dfd);
		pid = ppid;
	}
}

/*
 * Send sig to the process behind dfd: pidfd_send_signal accepts a
 * /proc/PID directory, so a pid reused since we looked is not hit.
 * kill() where the kernel predates it (Linux 5.1).
 */
static int
unix_signal(int dfd, pid_t pid, int sig)
{
#ifdef SYS_pidfd_send_signal
	if (syscall(SYS_pidfd_send_signal, dfd, sig, NULL, 0) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
#else
	(void)dfd;
#endif
	return kill(pid, sig);
}

/* The entry that counts for a process with these uids, or NULL. */
static struct unix_end *
unix_end_match(struct unix_end *ends, size_t n, const uid_t uids[3])
{
	struct unix_end	 key, *e;
	int		 k;

	memset(&key, 0, sizeof key);
	for (k = 0; k < 3; k++) {
		key.uid = uids[k];
		e = bsearch(&key, ends, n, sizeof *ends, unix_end_cmp);
		if (e != NULL)
			return e->first;
	}
	return NULL;
}

/*
 * One pass over /proc: every process whose real, effective or saved uid
 * is one of ends' (holding a uid in any of them, it can act as that
 * user), but daicho, init, zombies and daicho's ancestors, is signalled
 * and counted as pass says.  Returns how many there were, or -1 when
 * /proc cannot be read.
 */
static ssize_t
unix_proc_pass(struct unix_end *ends, size_t n,
    const struct unix_ancestors *anc, enum unix_pass pass)
{
	struct unix_end	*e;
	struct dirent	*de;
	DIR		*d;
	const char	*errstr;
	long long	 pid;
	pid_t		 ppid;
	uid_t		 uids[3];
	ssize_t		 found = 0;
	size_t		 k;
	char		 state;
	int		 dfd;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (number_parse(de->d_name, 2, INT_MAX, &pid, &errstr) != 0 ||
		    pid == (long long)getpid())
			continue;
		if ((dfd = unix_proc_open(dirfd(d), de->d_name)) == -1)
			continue;
		if (unix_proc_status(dfd, &state, uids, &ppid) != 0 ||
		    state == 'Z' || state == 'X' ||
		    (e = unix_end_match(ends, n, uids)) == NULL) {
			close(dfd);
			continue;
		}
		for (k = 0; k < anc->n && anc->pid[k] != (pid_t)pid; k++)
			;
		if (k < anc->n) {
			if (pass == UNIX_PASS_TERM)
				e->spared++;
			close(dfd);
			continue;
		}
		found++;
		switch (pass) {
		case UNIX_PASS_TERM:
			if (unix_signal(dfd, (pid_t)pid, SIGTERM) == 0) {
				e->term++;
				(void)unix_signal(dfd, (pid_t)pid, SIGHUP);
				(void)unix_signal(dfd, (pid_t)pid, SIGCONT);
			}
			break;
		case UNIX_PASS_KILL:
			if (unix_signal(dfd, (pid_t)pid, SIGKILL) == 0)
				e->kill++;
			break;
		case UNIX_PASS_LEFT:
			e->left++;
			break;
		case UNIX_PASS_LOOK:
			break;
		}
		close(dfd);
	}
	closedir(d);
	return found;
}

/*
 * SIGKILL every process uid may signal, at once: a child that becomes
 * uid (losing every capability) calls kill(-1), which the kernel applies
 * to all of them in one sweep, so a process forking as fast as it can is
 * caught too (and so are the user's rootless containers).  Root only,
 * never uid 0: the child checks that it holds nothing but uid before it
 * signals, since kill(-1) as root would end every process there is.
 */
static void
unix_kill_uid(uid_t uid)
{
	uid_t	 r, e, s;
	pid_t	 pid;

	if (uid == 0 || geteuid() != 0)
		return;
	if ((pid = fork()) == -1)
		return;
	if (pid == 0) {
		/* It becomes uid: keep nothing of ours open in it. */
		fd_closefrom(STDERR_FILENO + 1);
		if (setresuid(uid, uid, uid) == 0 &&
		    getresuid(&r, &e, &s) == 0 && r == uid && e == uid &&
		    s == uid && geteuid() != 0)
			(void)kill(-1, SIGKILL);
		_exit(0);
	}
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		;
}

/*
 * loginctl, when systemd-logind keeps this machine's sessions: the
 * target's root is the machine's own, systemd is init (as sd_booted()
 * checks: /run/systemd/system; /run/systemd/seats is made by packages
 * even where logind never runs), and the program is root's and writable
 * by nobody else.  NULL otherwise.
 */
static const char *
unix_loginctl(const struct target *t)
{
	static const char *const paths[] = {
		"/usr/bin/loginctl", "/bin/loginctl"
	};
	struct stat	 sb;
	size_t		 i;

	if (strcmp(t->root, "/") != 0 ||
	    lstat("/run/systemd/system", &sb) == -1 || !S_ISDIR(sb.st_mode))
		return NULL;
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		if (stat(paths[i], &sb) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_uid == 0 && (sb.st_mode & (S_IWGRP | S_IWOTH)) == 0 &&
		    (sb.st_mode & S_IXUSR) != 0)
			return paths[i];
	}
	return NULL;
}

/*
 * loginctl terminate-user UID for a uid that logind tracks
 * (/run/systemd/users/UID): logind stops the user's sessions and user
 * manager.  Run with execve, its output to /dev/null, PATH its only
 * environment, default signal handling, and a time limit (logind may
 * hang, and a lockout must not).  What happened goes to e->logind.
 */
static void
unix_logind_end(const char *loginctl, struct unix_end *e)
{
	static char	 term[] = "terminate-user";
	static char	 path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	char		 prog[32], uid[24], run[64], *argv[4], *envp[2];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t	 all, none;
	int64_t		 deadline;
	pid_t		 pid, r;
	int		 status, err;

	snprintf(run, sizeof run, "/run/systemd/users/%lu",
	    (unsigned long)e->uid);
	if (access(run, F_OK) != 0)
		return;		/* no session logind knows of */
	snprintf(prog, sizeof prog, "%s", loginctl);
	snprintf(uid, sizeof uid, "%lu", (unsigned long)e->uid);
	argv[0] = prog;
	argv[1] = term;
	argv[2] = uid;
	argv[3] = NULL;
	envp[0] = path;
	envp[1] = NULL;
	if (fd_spawn_actions(&fa) != 0)
		return;
	posix_spawnattr_init(&attr);
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF |
	    POSIX_SPAWN_SETSIGMASK);
	err = posix_spawn(&pid, prog, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err != 0) {
		snprintf(e->logind, sizeof e->logind, "%s: %s", prog,
		    strerror(err));
		return;
	}
	deadline = unix_now_ms() + UNIX_LOGINCTL_MS;
	while ((r = waitpid(pid, &status, WNOHANG)) == 0 ||
	    (r == -1 && errno == EINTR)) {
		if (unix_now_ms() >= deadline) {
			(void)kill(pid, SIGKILL);
			(void)waitpid(pid, &status, 0);
			snprintf(e->logind, sizeof e->logind, "loginctl "
			    "terminate-user did not finish within %d s",
			    UNIX_LOGINCTL_MS / 1000);
			return;
		}
		unix_nap();
	}
	if (r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		snprintf(e->logind, sizeof e->logind, "logind ended its "
		    "sessions");
	else if (r == pid && WIFEXITED(status))
		snprintf(e->logind, sizeof e->logind, "loginctl "
		    "terminate-user failed (exit %d)", WEXITSTATUS(status));
	else
		snprintf(e->logind, sizeof e->logind, "loginctl "
		    "terminate-user failed");
}

/* The notice for e, from what was done for its uid. */
static void
unix_end_report(const struct target *t, struct unix_end *e)
{
	const struct unix_end *f = e->first;
	char		 s[TARGET_ERROR_MAX];
	size_t		 len = 0;

#define ADD(...) do {							\
	if (len < sizeof s)						\
		len += (size_t)snprintf(s + len, sizeof s - len,	\
		    __VA_ARGS__);					\
} while (0)
	if (f->logind[0] != '\0')
		ADD("%s; ", f->logind);
	if (f->term == 0 && f->kill == 0)
		ADD("no process was running");
	else
		ADD("SIGTERM to %zu process%s", f->term,
		    f->term == 1 ? "" : "es");
	if (f->kill > 0)
		ADD(", SIGKILL to %zu after %d s", f->kill, t->grace_ms / 1000);
	if (f->left > 0)
		ADD("; %zu still running after SIGKILL", f->left);
	if (f->spared > 0)
		ADD("; %zu left alone (daicho's own parent process%s)",
		    f->spared, f->spared == 1 ? "" : "es");
#undef ADD
	unix_notice(e->req, "%s", s);
}

/*
 * End the sessions of ends' uids (after their locks were written): logind
 * first where it runs, then the processes, SIGTERM, a grace, SIGKILL.
 * Each request gets a notice; nothing here can undo a lock.
 */
static void
unix_end_sessions(struct target *t, struct unix_end *ends, size_t n)
{
	struct unix_ancestors anc;
	const char	*loginctl;
	int64_t		 deadline;
	ssize_t		 found;
	size_t		 i;

	unix_ancestors(&anc);
	if ((loginctl = unix_loginctl(t)) != NULL) {
		for (i = 0; i < n; i++) {
			if (ends[i].first == &ends[i])
				unix_logind_end(loginctl, &ends[i]);
		}
	}
	if ((found = unix_proc_pass(ends, n, &anc, UNIX_PASS_TERM)) == -1) {
		for (i = 0; i < n; i++)
			unix_notice(ends[i].req, "%s%s/proc cannot be read: "
			    "no process was signalled", ends[i].first->logind,
			    ends[i].first->logind[0] != '\0' ? "; " : "");
		return;
	}
	deadline = unix_now_ms() + t->grace_ms;
	while (found > 0 && unix_now_ms() < deadline) {
		unix_nap();
		found = unix_proc_pass(ends, n, &anc, UNIX_PASS_LOOK);
	}
	if (found > 0) {
		(void)unix_proc_pass(ends, n, &anc, UNIX_PASS_KILL);
		/* And whatever they forked meanwhile, in one sweep. */
		for (i = 0; i < n; i++) {
			if (ends[i].first == &ends[i] && ends[i].spared == 0)
				unix_kill_uid(ends[i].uid);
		}
		deadline = unix_now_ms() + UNIX_KILL_WAIT_MS;
		while ((found = unix_proc_pass(ends, n, &anc,
		    UNIX_PASS_LOOK)) > 0 && unix_now_ms() < deadline)
			unix_nap();
		if (found > 0)
			(void)unix_proc_pass(ends, n, &anc, UNIX_PASS_LEFT);
	}
	for (i = 0; i < n; i++)
		unix_end_report(t, &ends[i]);
}

/* The batch. */

static void
unix_batch_init(struct unix_batch *b, struct target *t)
{
	enum unix_fid	 fid;

	memset(b, 0, sizeof *b);
	b->t = t;
	b->etcfd = -1;
	b->today = (long)(time(NULL) / UNIX_DAY);
	for (fid = 0; fid < F_COUNT; fid++)
		b->f[fid].type = &unix_ftypes[fid];
}

static void
unix_batch_free(struct unix_batch *b)
{
	enum unix_fid	 fid;
	size_t		 i;

	unix_unlock(b);
	for (fid = 0; fid < F_COUNT; fid++)
		unix_file_free(&b->f[fid]);
	if (b->etcfd != -1)
		close(b->etcfd);
	free(b->uid_used);
	free(b->gid_used);
	unix_index_free(&b->primary);
	unix_index_free(&b->members);
	for (i = 0; i < b->nrefs; i++)
		free(b->refs[i].v);
	free(b->refs);
	for (i = 0; i < b->nhomes; i++)
		free(b->homes[i]);
	free(b->homes);
	if (b->crypt != NULL)
		sodium_free(b->crypt);
}

static int
unix_apply(struct target *t, struct target_req *reqs, size_t n,
    char **cause)
{
	struct unix_batch b;
	struct unix_end	 *ends = NULL;
	enum unix_fid	  fid;
	size_t		  i, nend;
	int		  changed = 0, system_files, passwd, group;

	for (i = 0; i < n; i++) {
		reqs[i].done = 0;
		reqs[i].error[0] = '\0';
		sodium_memzero(reqs[i].secret, sizeof reqs[i].secret);
	}
	unix_batch_init(&b, t);
	if ((b.etcfd = unix_open_etc(t, cause)) == -1)
		goto fail;
	if (unix_lock(&b, cause) != 0)
		goto fail;
	unix_leftovers(&b);
	for (fid = 0; fid < F_COUNT; fid++) {
		/* A gshadow that appeared after we locked is not ours. */
		if (b.f[fid].locked && unix_load(&b, fid, cause) != 0)
			goto fail;
	}
	unix_ids_build(&b);

	for (i = 0; i < n; i++)
		unix_request(&b, &reqs[i]);

	for (fid = 0; fid < F_COUNT; fid++)
		changed |= b.f[fid].changed;
	if (changed && unix_commit(&b, cause) != 0)
		goto fail;
	nend = unix_end_collect(&b, reqs, n, &ends);
	system_files = b.pwdf;
	passwd = b.f[F_PASSWD].changed;
	group = b.f[F_GROUP].changed || b.f[F_GSHADOW].changed;
	unix_batch_free(&b);		/* and unlock */
	if (system_files && (passwd || group))
		unix_flush_caches(passwd, group);
	/* The locks stand and nobody can log back in: end the sessions. */
	if (nend > 0)
		unix_end_sessions(t, ends, nend);
	free(ends);
	return 0;

fail:
	/* None of the batch stands: no request is done, no secret valid. */
	for (i = 0; i < n; i++) {
		if (reqs[i].done) {
			reqs[i].done = 0;
			snprintf(reqs[i].error, sizeof reqs[i].error,
			    "not applied: the batch failed");
		}
		sodium_memzero(reqs[i].secret, sizeof reqs[i].secret);
	}
	for (i = 0; i < b.nhomes; i++)
		(void)rmdir(b.homes[i]);
	unix_batch_free(&b);
	return -1;
}

/*
 * Tests and fuzzing: a batch's in-memory work, from bytes instead of files.
 * Every file written must read back, and a file left unchanged must be
 * written back byte for byte: either failing is a bug, so it aborts.
 */
int
target_unix_mem_batch(const char *const text[4], const size_t len[4],
    struct target_req *reqs, size_t n, char **cause)
{
	struct target	  t;
	struct unix_batch b;
	struct unix_file  again;
	enum unix_fid	  fid;
	size_t		  i, outlen;
	char		 *out;
	int		  r = -1;

	memset(&t, 0, sizeof t);
	t.etc = xstrdup("mem/etc");
	t.id_min = 1000;
	t.id_max = 60000;
	unix_batch_init(&b, &t);
	for (fid = 0; fid < F_COUNT; fid++) {
		if (text[fid] == NULL)
			continue;
		b.f[fid].buf = xmalloc(len[fid] + 1);
		memcpy(b.f[fid].buf, text[fid], len[fid]);
		b.f[fid].buf[len[fid]] = '\0';
		b.f[fid].size = len[fid];
		b.f[fid].present = 1;
		if (unix_parse(&t, &b.f[fid], cause) != 0)
			goto out;
	}
	unix_ids_build(&b);
	for (i = 0; i < n; i++) {
		reqs[i].done = 0;
		reqs[i].error[0] = '\0';
		/* A create or a reset hashes a new password: too slow. */
		if (reqs[i].op == TARGET_LOCK || reqs[i].op == TARGET_UNLOCK ||
		    reqs[i].op == TARGET_EXPIRE ||
		    reqs[i].op == TARGET_SET_PASSWORD ||
		    reqs[i].op == TARGET_FORCE_CHANGE ||
		    reqs[i].op == TARGET_DELETE)
			unix_request(&b, &reqs[i]);
		else
			snprintf(reqs[i].error, sizeof reqs[i].error,
			    "not run in memory");
	}
	for (fid = 0; fid < F_COUNT; fid++) {
		if (!b.f[fid].present)
			continue;
		out = unix_render(&b.f[fid], &outlen);
		if (!b.f[fid].changed && len[fid] > 0 &&
		    text[fid][len[fid] - 1] == '\n' &&
		    (outlen != len[fid] || memcmp(out, text[fid], outlen) != 0))
			fatalx("unix: %s is not written back as read",
			    b.f[fid].type->name);
		memset(&again, 0, sizeof again);
		again.type = b.f[fid].type;
		again.buf = out;
		again.size = outlen;
		again.present = 1;
		if (unix_parse(&t, &again, cause) != 0)
			fatalx("unix: %s as written does not parse: %s",
			    b.f[fid].type->name, *cause);
		unix_file_free(&again);		/* frees out */
	}
	r = 0;
out:
	unix_batch_free(&b);
	free(t.etc);
	return r;
}

/* Listing. */

static int
unix_list(struct target *t, struct target_account **out, size_t *count,
    char **cause)
{
	struct unix_batch	 b;
	struct unix_file	*pwf, *spf;
	struct target_account	*a, *v = NULL;
	struct unix_field	 login, gecos, f;
	struct unix_slot	*s;
	size_t			 i, n = 0, len;
	long long		 days;
	const char		*c;

	*out = NULL;
	*count = 0;
	unix_batch_init(&b, t);
	if ((b.etcfd = unix_open_etc(t, cause)) == -1 ||
	    unix_load(&b, F_PASSWD, cause) != 0 ||
	    unix_load(&b, F_SHADOW, cause) != 0) {
		unix_batch_free(&b);
		return -1;
	}
	pwf = &b.f[F_PASSWD];
	spf = &b.f[F_SHADOW];
	if (pwf->n > 0)
		v = xcalloc(pwf->n, sizeof *v);
	for (i = 0; i < pwf->n; i++) {
		if (pwf->lines[i].nis)
			continue;
		login = unix_get(pwf, i, 0);
		if (login.len >= TARGET_LOGIN_MAX)
			continue;	/* cannot be named through the API */
		a = &v[n++];
		memcpy(a->login, login.p, login.len);
		a->login[login.len] = '\0';
		gecos = unix_get(pwf, i, 4);
		c = memchr(gecos.p, ',', gecos.len);
		len = c != NULL ? (size_t)(c - gecos.p) : gecos.len;
		if (len >= sizeof a->name) {
			/* Cut at a character boundary. */
			len = sizeof a->name - 1;
			while (len > 0 && ((unsigned char)gecos.p[len] &
			    0xc0) == 0x80)
				len--;
		}
		memcpy(a->name, gecos.p, len);
		a->name[len] = '\0';
		a->locked = a->expired = a->must_change = -1;
		a->last_change = -1;
		a->last_use = -1;	/* lastlog is out of scope */
		/* Outside the uid range daicho allocates from: the OS's own. */
		{
			struct unix_field uf = unix_get(pwf, i, 2);
			long long	  uid;

			a->system_account = unix_number(&uf, LLONG_MAX, 0,
			    &uid) != 0 || uid < t->id_min || uid > t->id_max;
		}

		s = unix_index_find(&spf->idx, login.p, login.len);
		if (s == NULL || s->val == UNIX_NONE || s->dup != UNIX_NONE)
			continue;	/* unknown, as far as we can tell */
		f = unix_get(spf, s->val, 1);
		a->locked = f.len > 0 && f.p[0] == '!';
		f = unix_get(spf, s->val, 2);
		if (f.len > 0 && unix_number(&f, LONG_MAX / UNIX_DAY, 1,
		    &days) == 0) {
			a->must_change = days == 0;
			a->last_change = days >= 0 ? days * UNIX_DAY : -1;
		} else
			a->must_change = 0;
		f = unix_get(spf, s->val, 7);
		if (f.len > 0 && unix_number(&f, LONG_MAX / UNIX_DAY, 1,
		    &days) == 0 && days >= 0)
			a->expired = b.today >= days;	/* as pam_unix */
		else
			a->expired = 0;
	}
	unix_batch_free(&b);
	if (n == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*count = n;
	return 0;
}

/* Configuration. */

static int
unix_conf_path(const char *key, const char *v, int passwd_field,
    char **cause)
{
	const unsigned char *p;

	if (v[0] != '/' || strlen(v) >= PATH_MAX / 2) {
		xasprintf(cause, "%s= must be an absolute path", key);
		return -1;
	}
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || (passwd_field && *p == ':')) {
			xasprintf(cause, "%s= has a character a passwd field "
			    "cannot hold", key);
			return -1;
		}
	}
	return 0;
}

static int
unix_conf_groups(struct target *t, const char *v, char **cause)
{
	const char	*p = v, *c;
	char		*name;
	size_t		 n;

	while (*p != '\0') {
		c = strchr(p, ',');
		n = c != NULL ? (size_t)(c - p) : strlen(p);
		name = xstrndup(p, n);
		if (n == 0 || n >= TARGET_LOGIN_MAX ||
		    unix_login_check(name, 1, cause) != 0) {
			free(*cause);
			xasprintf(cause, "groups= must be a comma-separated "
			    "list of group names");
			free(name);
			return -1;
		}
		t->groups = xreallocarray(t->groups, t->ngroups + 1,
		    sizeof *t->groups);
		t->groups[t->ngroups++] = name;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static void
unix_close(struct target *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	free(t->root);
	free(t->etc);
	free(t->home);
	free(t->shell);
	for (i = 0; i < t->ngroups; i++)
		free(t->groups[i]);
	free(t->groups);
	free(t);
}

static struct target *
unix_open(const char *conf, char **cause)
{
	static const char *const keys[] = {
		"root", "home", "shell", "groups", "uid_min", "uid_max",
		"create_home", "lock_wait", "end_sessions",
		"end_sessions_grace", NULL
	};
	enum { NKEYS = sizeof keys / sizeof keys[0] - 1 };
	struct target	*t;
	const char	*p, *nl, *eq, *errstr;
	char		*line = NULL, *key, *v, *seen[NKEYS] = { NULL };
	long long	 ll;
	size_t		 lineno = 0;
	int		 k, fd;

	if (sodium_init() < 0) {
		xasprintf(cause, "sodium_init failed");
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	t->type = &target_unix_type;
	t->id_min = 1000;
	t->id_max = 60000;
	t->create_home = 1;
	t->lock_wait_ms = 5000;
	t->grace_ms = 2000;

	for (p = conf; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		lineno++;
		nl = strchr(p, '\n');
		free(line);
		line = nl != NULL ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			xasprintf(cause, "configuration line %zu: not "
			    "key=value", lineno);
			goto fail;
		}
		line[eq - line] = '\0';
		key = line;
		v = line + (eq - line) + 1;
		for (k = 0; keys[k] != NULL; k++) {
			if (strcmp(keys[k], key) == 0)
				break;
		}
		if (keys[k] == NULL) {
			xasprintf(cause, "configuration line %zu: unknown key "
			    "\"%.32s\"", lineno, key);
			goto fail;
		}
		if (seen[k] != NULL) {
			xasprintf(cause, "configuration line %zu: %s= given "
			    "twice", lineno, key);
			goto fail;
		}
		seen[k] = xstrdup(v);
	}
	free(line);
	line = NULL;

	t->root = xstrdup(seen[0] != NULL ? seen[0] : "/");
	if (unix_conf_path("root", t->root, 0, cause) != 0)
		goto fail;
	while (strlen(t->root) > 1 && t->root[strlen(t->root) - 1] == '/')
		t->root[strlen(t->root) - 1] = '\0';
	xasprintf(&t->etc, "%s/etc", strcmp(t->root, "/") == 0 ? "" : t->root);
	t->home = xstrdup(seen[1] != NULL ? seen[1] : "/home");
	if (unix_conf_path("home", t->home, 1, cause) != 0)
		goto fail;
	while (strlen(t->home) > 1 && t->home[strlen(t->home) - 1] == '/')
		t->home[strlen(t->home) - 1] = '\0';
	t->shell = xstrdup(seen[2] != NULL ? seen[2] : "/bin/bash");
	if (unix_conf_path("shell", t->shell, 1, cause) != 0)
		goto fail;
	if (seen[3] != NULL && unix_conf_groups(t, seen[3], cause) != 0)
		goto fail;
	if (seen[4] != NULL) {
		if (number_parse(seen[4], 1, UNIX_ID_MAX, &ll, &errstr) != 0) {
			xasprintf(cause, "uid_min= is %s", errstr);
			goto fail;
		}
		t->id_min = ll;
	}
	if (seen[5] != NULL) {
		if (number_parse(seen[5], 1, UNIX_ID_MAX, &ll, &errstr) != 0) {
			xasprintf(cause, "uid_max= is %s", errstr);
			goto fail;
		}
		t->id_max = ll;
	}
	if (t->id_min > t->id_max ||
	    t->id_max - t->id_min >= UNIX_ID_RANGE_MAX) {
		xasprintf(cause, "uid_min= and uid_max= must make a range of "
		    "1 to %d ids", UNIX_ID_RANGE_MAX);
		goto fail;
	}
	if (seen[6] != NULL) {
		if (strcmp(seen[6], "yes") == 0)
			t->create_home = 1;
		else if (strcmp(seen[6], "no") == 0)
			t->create_home = 0;
		else {
			xasprintf(cause, "create_home= must be yes or no");
			goto fail;
		}
	}
	if (seen[7] != NULL) {
		if (number_parse(seen[7], 0, 600, &ll, &errstr) != 0) {
			xasprintf(cause, "lock_wait= (seconds, 0 to 600) is %s",
			    errstr);
			goto fail;
		}
		t->lock_wait_ms = (int)ll * 1000;
	}
	if (seen[8] != NULL) {
		if (strcmp(seen[8], "yes") == 0)
			t->end_sessions = 1;
		else if (strcmp(seen[8], "no") != 0) {
			xasprintf(cause, "end_sessions= must be yes or no");
			goto fail;
		}
	}
	if (seen[9] != NULL) {
		if (number_parse(seen[9], 0, UNIX_GRACE_MAX, &ll,
		    &errstr) != 0) {
			xasprintf(cause, "end_sessions_grace= (seconds, 0 to "
			    "%d) is %s", UNIX_GRACE_MAX, errstr);
			goto fail;
		}
		t->grace_ms = (int)ll * 1000;
	}

	/* A root without etc/ is a mistake to report now, not per batch. */
	if ((fd = unix_open_etc(t, cause)) == -1)
		goto fail;
	close(fd);
	for (k = 0; k < NKEYS; k++)
		free(seen[k]);
	return t;

fail:
	free(line);
	for (k = 0; k < NKEYS; k++)
		free(seen[k]);
	unix_close(t);
	return NULL;
}

const struct target_type target_unix_type = {
	.name = "unix",
	.open = unix_open,
	.list = unix_list,
	.apply = unix_apply,
	.close = unix_close,
};
