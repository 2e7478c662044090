/*
 * target-ldap.c -- the ldap target: accounts in an LDAP directory with
 * the password-policy attributes of draft-behera (OpenLDAP's ppolicy
 * overlay), driven through OpenLDAP's libldap.
 *
 * One connection per target, bound once at open (and bound again only
 * when the server dropped it between two calls).  A batch is pipelined
 * on that connection: up to "window" requests outstanding, results taken
 * as they come.  Locking a thousand accounts then costs about what one
 * "ldapmodify -c" costs, and far less than a connection per account.
 *
 * What each operation does to the entry:
 *   LOCK          replace pwdAccountLockedTime: 000001010000Z (ppolicy's
 *                 "locked until an administrator unlocks").  Replace, not
 *                 add: it is idempotent and turns a temporary lockout
 *                 after failed binds into a permanent one.
 *   UNLOCK        delete pwdAccountLockedTime ("no such attribute" counts
 *                 as done); slapd's ppolicy clears pwdFailureTime with it.
 *   FORCE_CHANGE  replace pwdReset: TRUE.
 *   SET_PASSWORD  the cleartext in req->secret with the RFC 3062 password
 *                 modify operation (the server hashes it with its own
 *                 scheme and checks it against its policy), then delete
 *                 pwdReset ("no such attribute" counts as done): the
 *                 owner chose this password, so the change ppolicy
 *                 forces after an administrator's change (pwdMustChange)
 *                 is not due.  The secret is wiped before apply returns.
 *   RESET         the same with a temporary password (pw_generate), then
 *                 replace pwdReset: TRUE.  It goes to req->secret.
 *   AGING         nothing to send: done, with a notice.  The directory
 *                 keeps password aging in its ppolicy entry (POLICY).
 *   POLICY        replace, in the entry ppolicy_dn= names, pwdMinLength,
 *                 pwdMaxAge, pwdMinAge, pwdExpireWarning (days as
 *                 seconds) and pwdInHistory as the argument gives them,
 *                 and pwdMustChange and pwdAllowUserChange TRUE.
 *   EXPIRE        replace pwdEndTime (ppolicy refuses binds from then on)
 *                 or, with expire_attr=shadowExpire, shadowExpire in days
 *                 for NSS/PAM clients (needs objectClass shadowAccount).
 *                 "never" removes it.
 *   CREATE        add the entry; set a temporary password (pw_generate) with
 *                 the RFC 3062 password modify operation (the server
 *                 hashes it with its own scheme); replace pwdReset: TRUE.  If
 *                 either later step fails the entry is deleted again.  The
 *                 temporary password goes to req->secret.
 *   DELETE        delete the entry.
 *
 * Requests for the same login are applied in batch order (a request
 * waits while an earlier one for that login is outstanding): slapd runs
 * the operations of one connection in parallel threads.
 *
 * There are no transactions here: when the connection fails in the
 * middle of a batch, apply returns -1 and says so, the requests whose
 * results arrived keep done = 1, and the others say whether they were
 * never sent or sent without an answer.  Every operation but CREATE and
 * DELETE is idempotent, so the batch can be sent again.
 *
 * Configuration ("key=value" lines; unknown or repeated keys refused):
 *   uri=          ldap://, ldaps:// or ldapi:// URL, or several (space or
 *                 comma separated) to fail over.  Required.
 *   binddn=, bindpw_file=
 *                 simple bind; the password is the file's one line (file
 *                 0600 or stricter, owned by root or us, no symlink); it
 *                 is read at each connect, kept in sodium_malloc memory
 *                 and wiped after the bind.  Over plain ldap:// only to
 *                 the loopback: elsewhere it would cross the wire in clear.
 *   sasl=EXTERNAL instead: ldapi:// peer credentials, or a TLS client
 *                 certificate (tls_cert=, tls_key=).
 *   starttls=yes  StartTLS on ldap://, required to succeed (default no).
 *   tls_cacert=   CA file to verify the server; certificates are always
 *                 verified, whatever ldap.conf or LDAPTLS_REQCERT say.
 *   base=         the accounts' base DN.  Required.
 *   scope=        one (default: accounts are rdn=login,base) or sub
 *                 (accounts anywhere below: each one is found by search).
 *   filter=       which entries are accounts ((objectClass=posixAccount)).
 *   attr_login=   the login attribute (uid); attr_name= the display name
 *                 (cn); rdn= naming attribute of new entries: attr_login
 *                 (default) or attr_name (then DNs are found by search).
 *   objectclasses= of new entries (inetOrgPerson,posixAccount); with
 *                 posixAccount, uidNumber is one above the highest under
 *                 base and at least uid_min= (10000), gidNumber is
 *                 gid_number= (100), homeDirectory home_base=/login
 *                 (/home), loginShell login_shell= if given.  With
 *                 person or a subclass, sn is the display name.
 *   expire_attr=  pwdEndTime (default) or shadowExpire.
 *   window=       requests outstanding at once (32), timeout= seconds to
 *                 wait for any answer (30), page_size= when listing (500).
 *   ppolicy_dn=   the password policy entry POLICY writes (for example
 *                 cn=default,ou=policies,dc=example,dc=org); without it
 *                 POLICY is refused.
 *
 * The bind identity needs write access to pwdAccountLockedTime, pwdReset,
 * pwdEndTime (or shadowExpire) and userPassword, the password modify
 * operation, and add and delete under base; read access to the
 * ppolicy operational attributes for list; write access to the ppolicy
 * entry's attributes for POLICY.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <lber.h>
#include <ldap.h>
#include <sodium.h>

#include "common.h"
#include "targets-int.h"

#define TLDAP_BINDPW_MAX	1024	/* bytes in bindpw_file */
#define TLDAP_LOCKED_FOREVER	"000001010000Z"
#define TLDAP_DAY		86400	/* ppolicy's ages are in seconds */
#define TLDAP_AGING_NOTICE	"the directory keeps password aging in its " \
				"ppolicy entry (op policy)"

/* The configuration, as the system row keeps it. */
struct tldap_conf {
	char		*uri;		/* ldap[s|i]:// URL, or a list */
	char		*binddn;	/* simple bind as ... */
	char		*bindpw_file;	/*   with the password in this file */
	char		*sasl;		/* or "EXTERNAL" (ldapi, TLS cert) */
	int		 starttls;	/* StartTLS on ldap://, required */
	char		*tls_cacert;	/* CA file; default libldap's */
	char		*tls_cert;	/* client certificate (EXTERNAL) */
	char		*tls_key;
	char		*base;		/* where the accounts are */
	char		*scope;		/* "one" (default) or "sub" */
	char		*filter;	/* which entries are accounts */
	char		*attr_login;	/* login name attribute (uid) */
	char		*attr_name;	/* display name attribute (cn) */
	char		*rdn;		/* naming attribute of new entries */
	char		*objectclasses;	/* of new entries, comma separated */
	char		*expire_attr;	/* pwdEndTime or shadowExpire */
	char		*home_base;	/* posixAccount homeDirectory parent */
	char		*login_shell;	/* posixAccount loginShell, optional */
	long long	 uid_min;	/* first uidNumber for new entries */
	long long	 gid_number;	/* their gidNumber */
	long long	 window;	/* requests outstanding at once */
	long long	 timeout;	/* seconds to wait for any answer */
	long long	 page_size;	/* entries per page when listing */
	char		*ppolicy_dn;	/* the entry POLICY writes; NULL */
};

enum conf_kind {
	CONF_STR,
	CONF_BOOL,
	CONF_NUM,
};

static const struct conf_key {
	const char	*name;
	enum conf_kind	 kind;
	size_t		 off;
	const char	*dflt;		/* NULL: no default */
	long long	 min, max;	/* CONF_NUM only */
} conf_keys[] = {
	{ "uri", CONF_STR, offsetof(struct tldap_conf, uri), NULL, 0, 0 },
	{ "binddn", CONF_STR, offsetof(struct tldap_conf, binddn), NULL, 0, 0 },
	{ "bindpw_file", CONF_STR, offsetof(struct tldap_conf, bindpw_file),
	  NULL, 0, 0 },
	{ "sasl", CONF_STR, offsetof(struct tldap_conf, sasl), NULL, 0, 0 },
	{ "starttls", CONF_BOOL, offsetof(struct tldap_conf, starttls), "no",
	  0, 0 },
	{ "tls_cacert", CONF_STR, offsetof(struct tldap_conf, tls_cacert),
	  NULL, 0, 0 },
	{ "tls_cert", CONF_STR, offsetof(struct tldap_conf, tls_cert), NULL,
	  0, 0 },
	{ "tls_key", CONF_STR, offsetof(struct tldap_conf, tls_key), NULL,
	  0, 0 },
	{ "base", CONF_STR, offsetof(struct tldap_conf, base), NULL, 0, 0 },
	{ "scope", CONF_STR, offsetof(struct tldap_conf, scope), "one", 0, 0 },
	{ "filter", CONF_STR, offsetof(struct tldap_conf, filter),
	  "(objectClass=posixAccount)", 0, 0 },
	{ "attr_login", CONF_STR, offsetof(struct tldap_conf, attr_login),
	  "uid", 0, 0 },
	{ "attr_name", CONF_STR, offsetof(struct tldap_conf, attr_name), "cn",
	  0, 0 },
	{ "rdn", CONF_STR, offsetof(struct tldap_conf, rdn), NULL, 0, 0 },
	{ "objectclasses", CONF_STR, offsetof(struct tldap_conf, objectclasses),
	  "inetOrgPerson,posixAccount", 0, 0 },
	{ "expire_attr", CONF_STR, offsetof(struct tldap_conf, expire_attr),
	  "pwdEndTime", 0, 0 },
	{ "home_base", CONF_STR, offsetof(struct tldap_conf, home_base),
	  "/home", 0, 0 },
	{ "login_shell", CONF_STR, offsetof(struct tldap_conf, login_shell),
	  NULL, 0, 0 },
	{ "uid_min", CONF_NUM, offsetof(struct tldap_conf, uid_min), "10000",
	  1, INT32_MAX },
	{ "gid_number", CONF_NUM, offsetof(struct tldap_conf, gid_number),
	  "100", 0, INT32_MAX },
	{ "window", CONF_NUM, offsetof(struct tldap_conf, window), "32",
	  1, 1024 },
	{ "timeout", CONF_NUM, offsetof(struct tldap_conf, timeout), "30",
	  1, 3600 },
	{ "page_size", CONF_NUM, offsetof(struct tldap_conf, page_size), "500",
	  1, 100000 },
	{ "ppolicy_dn", CONF_STR, offsetof(struct tldap_conf, ppolicy_dn),
	  NULL, 0, 0 },
};
#define CONF_NKEYS (sizeof conf_keys / sizeof conf_keys[0])

struct target {
	struct tldap_conf c;
	char		**ocs;		/* objectclasses, split */
	size_t		 nocs;
	int		 posix;		/* ocs has posixAccount */
	int		 person;	/* ocs needs sn (person and below) */
	int		 shadow_expire;	/* expire_attr is shadowExpire */
	int		 lookup;	/* DNs found by search, not built */
	int		 scope;		/* LDAP_SCOPE_ONELEVEL or _SUBTREE */
	LDAP		*ld;		/* NULL: not connected */
};

/* One request of a batch on its way through the pipeline. */
enum tldap_step {
	STEP_LOOKUP,		/* find the entry's DN */
	STEP_MAIN,		/* the operation itself */
	STEP_PASSWD,		/* CREATE: set the temporary password */
	STEP_RESET,		/* CREATE, RESET: pwdReset TRUE;
				   SET_PASSWORD: pwdReset deleted */
	STEP_UNDO,		/* CREATE failed half-way: delete again */
	STEP_END,
};

struct tldap_job {
	struct target_req *r;
	int		 msgid;		/* outstanding request, or -1 */
	enum tldap_step	 step;
	char		*dn;		/* ours; freed when the job ends */
	int		 found;		/* STEP_LOOKUP: entries seen */
	long long	 uidnumber;	/* CREATE with posixAccount */
	char		 undo_why[TARGET_ERROR_MAX];
};

static int	 tldap_send_lock(struct target *, struct tldap_job *);
static int	 tldap_send_unlock(struct target *, struct tldap_job *);
static int	 tldap_send_force(struct target *, struct tldap_job *);
static int	 tldap_send_expire(struct target *, struct tldap_job *);
static int	 tldap_send_create(struct target *, struct tldap_job *);
static int	 tldap_send_delete(struct target *, struct tldap_job *);
static int	 tldap_send_newpw(struct target *, struct tldap_job *);
static int	 tldap_send_policy(struct target *, struct tldap_job *);
static int	 tldap_check_expire(const struct target_req *, char *, size_t);
static int	 tldap_check_password(const struct target_req *, char *,
		     size_t);
static int	 tldap_check_create(const struct target_req *, char *, size_t);
static int	 tldap_check_aging(const struct target_req *, char *, size_t);
static int	 tldap_check_policy(const struct target_req *, char *, size_t);

/* What each operation sends and which answer already means done. */
static const struct tldap_op {
	enum target_op	 op;
	const char	*name;
	int		 (*check)(const struct target_req *, char *, size_t);
	int		 (*send)(struct target *, struct tldap_job *);
	int		 res;		/* LDAP_RES_* of the main step */
	int		 already;	/* result code that means "done" */
} tldap_ops[] = {
	{ .op = TARGET_CREATE, .name = "create", .check = tldap_check_create,
	  .send = tldap_send_create, .res = LDAP_RES_ADD,
	  .already = LDAP_SUCCESS },
	{ .op = TARGET_LOCK, .name = "lock", .send = tldap_send_lock,
	  .res = LDAP_RES_MODIFY, .already = LDAP_SUCCESS },
	{ .op = TARGET_UNLOCK, .name = "unlock", .send = tldap_send_unlock,
	  .res = LDAP_RES_MODIFY, .already = LDAP_NO_SUCH_ATTRIBUTE },
	{ .op = TARGET_EXPIRE, .name = "expire", .check = tldap_check_expire,
	  .send = tldap_send_expire, .res = LDAP_RES_MODIFY,
	  .already = LDAP_NO_SUCH_ATTRIBUTE },	/* "never", and none set */
	/* RFC 3062 with the owner's password, then pwdReset deleted. */
	{ .op = TARGET_SET_PASSWORD, .name = "set password",
	  .check = tldap_check_password, .send = tldap_send_newpw,
	  .res = LDAP_RES_EXTENDED, .already = LDAP_SUCCESS },
	{ .op = TARGET_FORCE_CHANGE, .name = "force change",
	  .send = tldap_send_force, .res = LDAP_RES_MODIFY,
	  .already = LDAP_SUCCESS },
	{ .op = TARGET_DELETE, .name = "delete", .send = tldap_send_delete,
	  .res = LDAP_RES_DELETE, .already = LDAP_SUCCESS },
	/* RFC 3062 with the new temporary password, then pwdReset. */
	{ .op = TARGET_RESET, .name = "reset password",
	  .send = tldap_send_newpw, .res = LDAP_RES_EXTENDED,
	  .already = LDAP_SUCCESS },
	/* Nothing sent: done with TLDAP_AGING_NOTICE. */
	{ .op = TARGET_AGING, .name = "aging", .check = tldap_check_aging },
	{ .op = TARGET_POLICY, .name = "policy", .check = tldap_check_policy,
	  .send = tldap_send_policy, .res = LDAP_RES_MODIFY,
	  .already = LDAP_SUCCESS },
};

static const struct tldap_op *
tldap_op_find(enum target_op op)
{
	size_t	i;

	for (i = 0; i < sizeof tldap_ops / sizeof tldap_ops[0]; i++) {
		if (tldap_ops[i].op == op)
			return &tldap_ops[i];
	}
	return NULL;
}

/*
 * libldap's prototypes take char * (and char ** arrays) for strings it
 * only reads: this is the one place const is dropped for it.
 */
static char *
tldap_str(const char *s)
{
	union {
		const char	*c;
		char		*p;
	} u = { .c = s };

	return u.p;
}

/*
 * Server texts (diagnostic messages, names) end up on the operator's
 * screen: no control characters.
 */
static void
tldap_sanitise(char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	}
}

/* Copy len bytes of src, cut to fit size without splitting a UTF-8
 * sequence, controls replaced. */
static void
tldap_copy_utf8(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size) {
		len = size - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
	tldap_sanitise(dst);
}

/*
 * The cause of a failed call on ld: the result code's text and, when the
 * library or the server left one, the diagnostic message.
 */
static char *
tldap_explain(LDAP *ld, int rc, const char *diag)
{
	char	*msg = NULL, *out;

	if (diag == NULL && ld != NULL &&
	    ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &msg) ==
	    LDAP_OPT_SUCCESS)
		diag = msg;
	/* What libldap says when GnuTLS refused the handshake. */
	if (diag != NULL && strcmp(diag, "(unknown error code)") == 0)
		diag = "TLS handshake failed: is the server's certificate "
		    "signed by tls_cacert, for this host name?";
	if (diag != NULL && *diag != '\0')
		xasprintf(&out, "%s (%s)", ldap_err2string(rc), diag);
	else
		out = xstrdup(ldap_err2string(rc));
	ldap_memfree(msg);
	tldap_sanitise(out);
	return out;
}

/* The connection's last result code, after a call that returned -1. */
static int
tldap_last_rc(LDAP *ld)
{
	int	rc = LDAP_OTHER;

	if (ld == NULL ||
	    ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &rc) != LDAP_OPT_SUCCESS)
		return LDAP_OTHER;
	return rc == LDAP_SUCCESS ? LDAP_SERVER_DOWN : rc;
}

/*
 * SIGPIPE: libldap writes to its socket with write(2), and a server that
 * went away would kill the whole console.  Block it in this thread for
 * the duration of a call and swallow one that we caused; the process's
 * own disposition is left alone.
 */
struct tldap_sigpipe {
	sigset_t	old;
	int		pending;	/* SIGPIPE was pending before */
};

static void
tldap_sigpipe_block(struct tldap_sigpipe *sp)
{
	sigset_t	pipe, pend;

	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigemptyset(&pend);
	sigpending(&pend);
	sp->pending = sigismember(&pend, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, &sp->old);
}

static void
tldap_sigpipe_restore(struct tldap_sigpipe *sp)
{
	sigset_t		pipe, pend;
	struct timespec		zero = { 0, 0 };

	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigemptyset(&pend);
	sigpending(&pend);
	if (!sp->pending && sigismember(&pend, SIGPIPE)) {
		while (sigtimedwait(&pipe, NULL, &zero) == -1 &&
		    errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &sp->old, NULL);
}

/*
 * Configuration.
 */

static void
tldap_conf_free(struct tldap_conf *c)
{
	size_t	i;

	for (i = 0; i < CONF_NKEYS; i++) {
		if (conf_keys[i].kind == CONF_STR)
			free(*(char **)((char *)c + conf_keys[i].off));
	}
	memset(c, 0, sizeof *c);
}

static int
tldap_conf_set(struct tldap_conf *c, const struct conf_key *k,
    const char *v, char **cause)
{
	char		*base = (char *)c;
	const char	*errstr;
	long long	 n;

	switch (k->kind) {
	case CONF_STR:
		free(*(char **)(base + k->off));
		*(char **)(base + k->off) = xstrdup(v);
		return 0;
	case CONF_BOOL:
		if (strcmp(v, "yes") == 0)
			*(int *)(base + k->off) = 1;
		else if (strcmp(v, "no") == 0)
			*(int *)(base + k->off) = 0;
		else {
			xasprintf(cause, "ldap: %s must be yes or no", k->name);
			return -1;
		}
		return 0;
	case CONF_NUM:
		if (number_parse(v, k->min, k->max, &n, &errstr) != 0) {
			xasprintf(cause, "ldap: %s is %s (%lld to %lld)",
			    k->name, errstr, k->min, k->max);
			return -1;
		}
		*(long long *)(base + k->off) = n;
		return 0;
	}
	abort();
}

/* Parse "key=value" lines into c; unknown or repeated keys are errors. */
static int
tldap_conf_parse(struct tldap_conf *c, const char *text, char **cause)
{
	const char	*p, *nl, *end, *eq;
	char		 seen[CONF_NKEYS], *value;
	size_t		 i, klen;
	int		 line = 0;

	memset(c, 0, sizeof *c);
	memset(seen, 0, sizeof seen);
	for (i = 0; i < CONF_NKEYS; i++) {
		if (conf_keys[i].dflt != NULL &&
		    tldap_conf_set(c, &conf_keys[i], conf_keys[i].dflt,
		    cause) != 0)
			goto fail;
	}
	for (p = text; *p != '\0'; p = *end == '\0' ? end : end + 1) {
		line++;
		nl = strchr(p, '\n');
		end = nl != NULL ? nl : p + strlen(p);
		if (end == p || *p == '#')
			continue;
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq == NULL) {
			xasprintf(cause, "ldap: config line %d is not "
			    "key=value", line);
			goto fail;
		}
		klen = (size_t)(eq - p);
		for (i = 0; i < CONF_NKEYS; i++) {
			if (strlen(conf_keys[i].name) == klen &&
			    memcmp(conf_keys[i].name, p, klen) == 0)
				break;
		}
		if (i == CONF_NKEYS) {
			xasprintf(cause, "ldap: config line %d: unknown key "
			    "\"%.*s\"", line, (int)(klen > 40 ? 40 : klen), p);
			tldap_sanitise(*cause);
			goto fail;
		}
		if (seen[i]) {
			xasprintf(cause, "ldap: config line %d: %s given twice",
			    line, conf_keys[i].name);
			goto fail;
		}
		seen[i] = 1;
		value = xstrndup(eq + 1, (size_t)(end - eq - 1));
		if (strlen(value) != (size_t)(end - eq - 1) ||
		    strpbrk(value, "\r\t") != NULL) {
			free(value);
			xasprintf(cause, "ldap: config line %d: control "
			    "character in %s", line, conf_keys[i].name);
			goto fail;
		}
		if (tldap_conf_set(c, &conf_keys[i], value, cause) != 0) {
			free(value);
			goto fail;
		}
		free(value);
	}
	return 0;

fail:
	tldap_conf_free(c);
	return -1;
}

/* An attribute name (descr): a letter, then letters, digits, '-'. */
static int
tldap_attr_ok(const char *s)
{
	size_t	i;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (i = 1; s[i] != '\0'; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	}
	return i <= 64;
}

/* A DN that libldap can parse (LDAPv3 string form). */
static int
tldap_dn_ok(const char *s)
{
	LDAPDN	dn = NULL;

	if (ldap_str2dn(s, &dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return -1;
	ldap_dnfree(dn);
	return 0;
}

static int
tldap_is_loopback(const char *host)
{
	return host == NULL || *host == '\0' ||
	    strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0 ||
	    strcasecmp(host, "localhost") == 0;
}

/*
 * Check the URIs against the authentication: a simple bind must not send
 * its password in clear beyond this machine, and SASL EXTERNAL needs
 * something to be external to (a unix socket or a TLS certificate).
 */
static int
tldap_conf_check_uri(struct target *t, char **cause)
{
	LDAPURLDesc	*u;
	char		*copy, *tok, *save;
	int		 rc, n = 0;

	/* libldap takes a list, separated by spaces or commas, to fail
	 * over; every one must be acceptable. */
	copy = xstrdup(t->c.uri);
	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save), n++) {
		u = NULL;
		if ((rc = ldap_url_parse(tok, &u)) != LDAP_URL_SUCCESS) {
			xasprintf(cause, "ldap: uri \"%.100s\" is not an LDAP "
			    "URL (error %d)", tok, rc);
			goto fail;
		}
		rc = 0;
		if (strcasecmp(u->lud_scheme, "ldapi") == 0 ||
		    strcasecmp(u->lud_scheme, "ldaps") == 0 || t->c.starttls)
			;
		else if (strcasecmp(u->lud_scheme, "ldap") != 0) {
			xasprintf(cause, "ldap: uri scheme %.20s is not ldap, "
			    "ldaps or ldapi", u->lud_scheme);
			rc = -1;
		} else if (t->c.sasl != NULL) {
			xasprintf(cause, "ldap: sasl=EXTERNAL needs ldapi://, "
			    "ldaps:// or starttls=yes");
			rc = -1;
		} else if (!tldap_is_loopback(u->lud_host)) {
			xasprintf(cause, "ldap: a simple bind to %.100s over "
			    "ldap:// sends the password in clear; use "
			    "ldaps:// or starttls=yes", u->lud_host);
			rc = -1;
		}
		ldap_free_urldesc(u);
		if (rc != 0)
			goto fail;
	}
	free(copy);
	if (n == 0) {
		xasprintf(cause, "ldap: uri is empty");
		return -1;
	}
	return 0;

fail:
	free(copy);
	tldap_sanitise(*cause);
	return -1;
}

/* A simple bind or SASL EXTERNAL, and the client certificate. */
static int
tldap_conf_check_auth(const struct tldap_conf *c, char **cause)
{
	if (c->sasl != NULL) {
		if (strcasecmp(c->sasl, "EXTERNAL") != 0) {
			xasprintf(cause, "ldap: sasl supports EXTERNAL only");
			return -1;
		}
		if (c->binddn != NULL || c->bindpw_file != NULL) {
			xasprintf(cause, "ldap: sasl=EXTERNAL takes no binddn "
			    "or bindpw_file");
			return -1;
		}
	} else if (c->binddn == NULL || c->bindpw_file == NULL) {
		xasprintf(cause, "ldap: binddn= and bindpw_file= (or "
		    "sasl=EXTERNAL) are required");
		return -1;
	}
	if ((c->tls_cert == NULL) != (c->tls_key == NULL)) {
		xasprintf(cause, "ldap: tls_cert and tls_key go together");
		return -1;
	}
	return 0;
}

/* objectclasses= into t->ocs, and what they say of posix and person. */
static int
tldap_conf_objectclasses(struct target *t, char **cause)
{
	char	*copy, *tok, *save;

	copy = xstrdup(t->c.objectclasses);
	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		if (!tldap_attr_ok(tok)) {
			xasprintf(cause, "ldap: objectclass \"%.64s\" is not "
			    "a name", tok);
			tldap_sanitise(*cause);
			free(copy);
			return -1;
		}
		t->ocs = xreallocarray(t->ocs, t->nocs + 2, sizeof *t->ocs);
		t->ocs[t->nocs++] = xstrdup(tok);
		t->ocs[t->nocs] = NULL;
		if (strcasecmp(tok, "posixAccount") == 0)
			t->posix = 1;
		if (strcasecmp(tok, "person") == 0 ||
		    strcasecmp(tok, "organizationalPerson") == 0 ||
		    strcasecmp(tok, "inetOrgPerson") == 0)
			t->person = 1;
	}
	free(copy);
	if (t->nocs == 0) {
		xasprintf(cause, "ldap: objectclasses is empty");
		return -1;
	}
	return 0;
}

static int
tldap_conf_check(struct target *t, char **cause)
{
	struct tldap_conf	*c = &t->c;
	size_t			 i;
	const char		*attrs[] = { c->attr_login, c->attr_name,
				    c->expire_attr };

	if (c->uri == NULL || c->base == NULL) {
		xasprintf(cause, "ldap: uri= and base= are required");
		return -1;
	}
	if (tldap_conf_check_auth(c, cause) != 0)
		return -1;
	if (tldap_dn_ok(c->base) != 0 ||
	    (c->binddn != NULL && tldap_dn_ok(c->binddn) != 0)) {
		xasprintf(cause, "ldap: base or binddn is not a DN");
		return -1;
	}
	if (c->ppolicy_dn != NULL && tldap_dn_ok(c->ppolicy_dn) != 0) {
		xasprintf(cause, "ldap: ppolicy_dn is not a DN");
		return -1;
	}
	if (c->rdn == NULL)
		c->rdn = xstrdup(c->attr_login);
	for (i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
		if (!tldap_attr_ok(attrs[i])) {
			xasprintf(cause, "ldap: \"%.64s\" is not an attribute "
			    "name", attrs[i]);
			tldap_sanitise(*cause);
			return -1;
		}
	}
	if (strcasecmp(c->rdn, c->attr_login) != 0 &&
	    strcasecmp(c->rdn, c->attr_name) != 0) {
		xasprintf(cause, "ldap: rdn must be attr_login or attr_name");
		return -1;
	}
	if (strcasecmp(c->expire_attr, "pwdEndTime") == 0)
		t->shadow_expire = 0;
	else if (strcasecmp(c->expire_attr, "shadowExpire") == 0)
		t->shadow_expire = 1;
	else {
		xasprintf(cause, "ldap: expire_attr is pwdEndTime or "
		    "shadowExpire");
		return -1;
	}
	if (strcmp(c->scope, "one") == 0)
		t->scope = LDAP_SCOPE_ONELEVEL;
	else if (strcmp(c->scope, "sub") == 0)
		t->scope = LDAP_SCOPE_SUBTREE;
	else {
		xasprintf(cause, "ldap: scope is one or sub");
		return -1;
	}
	/* Accounts below sub-trees, or named by cn: find them first. */
	t->lookup = t->scope == LDAP_SCOPE_SUBTREE ||
	    strcasecmp(c->rdn, c->attr_login) != 0;
	if (c->filter[0] != '(' || c->filter[strlen(c->filter) - 1] != ')') {
		xasprintf(cause, "ldap: filter must be in parentheses");
		return -1;
	}
	if (c->home_base[0] != '/' || strchr(c->home_base, ':') != NULL) {
		xasprintf(cause, "ldap: home_base must be an absolute path");
		return -1;
	}

	if (tldap_conf_objectclasses(t, cause) != 0)
		return -1;
	return tldap_conf_check_uri(t, cause);
}

/*
 * Requests: what each one may carry.
 */

/* daicho's login rules: 1-32 bytes, no controls, spaces, '/', ':', no
 * leading '-'.  DN and filter escaping would cope with more, but a name
 * that passes here means the same thing on every target. */
static int
tldap_login_ok(const char *login)
{
	size_t	i, len;

	len = strnlen(login, TARGET_LOGIN_MAX);
	if (len == 0 || len >= TARGET_LOGIN_MAX || login[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		if ((unsigned char)login[i] <= 0x20 || login[i] == 0x7f ||
		    login[i] == '/' || login[i] == ':')
			return 0;
	}
	return 1;
}

/* Valid UTF-8 without control characters (a directoryString). */
static int
tldap_text_ok(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, left = strlen(s);
	uint32_t		 cp;

	for (; left > 0; p += n, left -= n) {
		/* Strict UTF-8 (common/vis.c), and no C0 or C1 control. */
		if ((n = vis_utf8(p, left, &cp)) == 0 || cp < 0x20 ||
		    (cp >= 0x7f && cp <= 0x9f))
			return 0;
	}
	return 1;
}

static int
tldap_check_create(const struct target_req *r, char *err, size_t size)
{
	if (!tldap_text_ok(r->arg)) {
		snprintf(err, size, "create: the display name is not UTF-8 "
		    "text without control characters");
		return -1;
	}
	return 0;
}

/* "YYYY-MM-DD" into the UTC time of its midnight, or -1. */
static time_t
tldap_parse_date(const char *s)
{
	struct tm	 tm;
	time_t		 t;
	int		 i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0') - 1900;
	tm.tm_mon = (s[5] - '0') * 10 + (s[6] - '0') - 1;
	tm.tm_mday = (s[8] - '0') * 10 + (s[9] - '0');
	if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_mday < 1)
		return -1;
	t = timegm(&tm);
	/* timegm normalises 02-30 into March: refuse what moved. */
	if (t == (time_t)-1 || tm.tm_mday != (s[8] - '0') * 10 + (s[9] - '0'))
		return -1;
	return t;
}

static int
tldap_check_expire(const struct target_req *r, char *err, size_t size)
{
	if (strcmp(r->arg, "now") == 0 || strcmp(r->arg, "never") == 0 ||
	    tldap_parse_date(r->arg) != (time_t)-1)
		return 0;
	snprintf(err, size, "expire: the date must be YYYY-MM-DD, now or "
	    "never");
	return -1;
}

/* The owner's new password, in the secret; no argument. */
static int
tldap_check_password(const struct target_req *r, char *err, size_t size)
{
	char	why[TARGET_ERROR_MAX];

	if (r->arg[0] != '\0') {
		snprintf(err, size, "set password: the password goes in the "
		    "secret, and the argument must be empty");
		return -1;
	}
	if (target_secret_check(r->secret, why, sizeof why) != 0) {
		snprintf(err, size, "set password: %s", why);
		return -1;
	}
	return 0;
}

static int
tldap_check_aging(const struct target_req *r, char *err, size_t size)
{
	struct target_aging	a;

	return target_aging_parse(r->arg, &a, err, size);
}

static int
tldap_check_policy(const struct target_req *r, char *err, size_t size)
{
	struct target_policy	p;

	return target_policy_parse(r->arg, &p, err, size);
}

/* Check a request before anything is sent; 0 or -1 with r->error. */
static int
tldap_req_check(const struct target_req *r, char *err, size_t size)
{
	const struct tldap_op	*op;

	if (memchr(r->login, '\0', sizeof r->login) == NULL ||
	    memchr(r->arg, '\0', sizeof r->arg) == NULL) {
		snprintf(err, size, "request is not NUL-terminated");
		return -1;
	}
	if (r->op == TARGET_POLICY ? strcmp(r->login, "-") != 0 :
	    !tldap_login_ok(r->login)) {
		snprintf(err, size, "\"%.32s\" is not a valid login name%s",
		    r->login, r->op == TARGET_POLICY ? " (a policy's is "
		    "\"-\")" : "");
		tldap_sanitise(err);
		return -1;
	}
	if ((op = tldap_op_find(r->op)) == NULL) {
		snprintf(err, size, "operation %d is not supported",
		    (int)r->op);
		return -1;
	}
	if (op->check != NULL)
		return op->check(r, err, size);
	return 0;
}

/*
 * Names.
 */

/* One attribute value escaped for a DN (RFC 4514 section 2.4). */
static char *
tldap_dn_escape(const char *v)
{
	size_t		 len = strlen(v), i;
	char		*out, *o;
	unsigned char	 ch;

	out = o = xmalloc(3 * len + 1);
	for (i = 0; i < len; i++) {
		ch = (unsigned char)v[i];
		if (ch < 0x20 || ch == 0x7f) {
			*o++ = '\\';
			*o++ = "0123456789abcdef"[ch >> 4];
			*o++ = "0123456789abcdef"[ch & 0xf];
		} else if (strchr("\"+,;<>\\=", ch) != NULL ||
		    (i == 0 && (ch == '#' || ch == ' ')) ||
		    (i == len - 1 && ch == ' ')) {
			*o++ = '\\';
			*o++ = (char)ch;
		} else
			*o++ = (char)ch;
	}
	*o = '\0';
	return out;
}

/* The DN an entry named value has directly under base; caller frees. */
static char *
tldap_make_dn(struct target *t, const char *value)
{
	char	*esc, *dn;

	esc = tldap_dn_escape(value);
	xasprintf(&dn, "%s=%s,%s", t->c.rdn, esc, t->c.base);
	free(esc);
	return dn;
}

/* Where CREATE puts the entry for r: rdn=login or rdn=name under base. */
static char *
tldap_create_dn(struct target *t, const struct target_req *r)
{
	if (strcasecmp(t->c.rdn, t->c.attr_login) == 0 || r->arg[0] == '\0')
		return tldap_make_dn(t, r->login);
	return tldap_make_dn(t, r->arg);
}

/* (&FILTER(attr_login=login)), escaped; caller frees. */
static char *
tldap_login_filter(struct target *t, const char *login)
{
	struct berval	 in, esc = { 0, NULL };
	char		*f;

	in.bv_val = tldap_str(login);
	in.bv_len = strlen(login);
	if (ldap_bv2escaped_filter_value(&in, &esc) != 0)
		fatalx("ldap: out of memory escaping a filter");
	xasprintf(&f, "(&%s(%s=%s))", t->c.filter, t->c.attr_login,
	    esc.bv_val);
	ber_memfree(esc.bv_val);
	return f;
}

/*
 * Generalized time ("YYYYMMDDHH[MM[SS]][.frac](Z|+hhmm)") into unix
 * seconds, or -1.  ppolicy's "000001010000Z" parses as a date in year 0.
 */
static int64_t
tldap_parse_gentime(const char *s, size_t len)
{
	struct tm	 tm;
	int		 f[6] = { 0, 1, 1, 0, 0, 0 };	/* Y M D h m s */
	int		 w[6] = { 4, 2, 2, 2, 2, 2 };	/* their digits */
	size_t		 i = 0, k, d;
	int64_t		 t, off = 0;
	int		 v;

	for (k = 0; k < 6; k++) {
		if (k >= 4 && (i >= len || s[i] < '0' || s[i] > '9'))
			break;
		for (v = 0, d = 0; d < (size_t)w[k]; d++, i++) {
			if (i >= len || s[i] < '0' || s[i] > '9')
				return -1;
			v = v * 10 + (s[i] - '0');
		}
		f[k] = v;
	}
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
	}
	if (i + 1 == len && s[i] == 'Z')
		off = 0;
	else if (i + 5 == len && (s[i] == '+' || s[i] == '-')) {
		for (d = 1; d < 5; d++) {
			if (s[i + d] < '0' || s[i + d] > '9')
				return -1;
		}
		off = ((s[i + 1] - '0') * 10 + (s[i + 2] - '0')) * 3600 +
		    ((s[i + 3] - '0') * 10 + (s[i + 4] - '0')) * 60;
		if (s[i] == '-')
			off = -off;
	} else
		return -1;
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 ||
	    f[4] > 59 || f[5] > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = f[0] - 1900;
	tm.tm_mon = f[1] - 1;
	tm.tm_mday = f[2];
	tm.tm_hour = f[3];
	tm.tm_min = f[4];
	tm.tm_sec = f[5];
	t = (int64_t)timegm(&tm);
	return t - off;
}

/*
 * The connection.
 */

/*
 * Read the bind password from path: a regular file (no symlink) owned by
 * us or root and closed to group and other, one line.  Returns
 * sodium_malloc'd memory (the caller sodium_free()s it, which wipes), or
 * NULL with *cause.
 */
static char *
tldap_read_bindpw(const char *path, size_t *lenp, char **cause)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 got;
	size_t		 len = 0;
	int		 fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		xasprintf(cause, "ldap: bindpw_file %s: %s", path,
		    target_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		xasprintf(cause, "ldap: bindpw_file %s: %s", path,
		    target_strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) ||
	    (st.st_uid != geteuid() && st.st_uid != 0) ||
	    (st.st_mode & 077) != 0) {
		xasprintf(cause, "ldap: bindpw_file %s must be a regular file "
		    "owned by root or by us (uid %lu), mode 0600 or stricter "
		    "(it is %04o, owner %lu)", path, (unsigned long)geteuid(),
		    (unsigned int)(st.st_mode & 07777),
		    (unsigned long)st.st_uid);
		close(fd);
		return NULL;
	}
	if ((buf = sodium_malloc(TLDAP_BINDPW_MAX + 1)) == NULL)
		fatal("sodium_malloc");
	while (len <= TLDAP_BINDPW_MAX) {
		got = read(fd, buf + len, TLDAP_BINDPW_MAX + 1 - len);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			xasprintf(cause, "ldap: bindpw_file %s: %s", path,
			    target_strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len > TLDAP_BINDPW_MAX) {
		xasprintf(cause, "ldap: bindpw_file %s is longer than %d "
		    "bytes", path, TLDAP_BINDPW_MAX);
		goto fail;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	/* An empty password is an unauthenticated bind (RFC 4513 5.1.2):
	 * it "succeeds" as anonymous. */
	if (len == 0 || memchr(buf, '\0', len) != NULL ||
	    memchr(buf, '\n', len) != NULL) {
		xasprintf(cause, "ldap: bindpw_file %s must hold one "
		    "non-empty line", path);
		goto fail;
	}
	close(fd);
	*lenp = len;
	return buf;

fail:
	close(fd);
	sodium_free(buf);
	return NULL;
}

/* ldap_set_option on ld or a cause naming the option. */
static int
tldap_opt(LDAP *ld, int option, const void *value, const char *what,
    char **cause)
{
	if (ldap_set_option(ld, option, value) == LDAP_OPT_SUCCESS)
		return 0;
	xasprintf(cause, "ldap: cannot set %s", what);
	return -1;
}

static int
tldap_set_options(struct target *t, LDAP *ld, char **cause)
{
	struct timeval	tv = { (time_t)t->c.timeout, 0 };
	int		version = LDAP_VERSION3;
	int		demand = LDAP_OPT_X_TLS_HARD;
	int		tlsmin = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
	int		newctx = 0;

	if (tldap_opt(ld, LDAP_OPT_PROTOCOL_VERSION, &version,
	    "protocol version", cause) != 0 ||
	    /* Never replay our bind on a server a referral names. */
	    tldap_opt(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF, "referrals",
	    cause) != 0 ||
	    tldap_opt(ld, LDAP_OPT_RESTART, LDAP_OPT_ON, "restart",
	    cause) != 0 ||
	    tldap_opt(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv, "network timeout",
	    cause) != 0 ||
	    tldap_opt(ld, LDAP_OPT_TIMEOUT, &tv, "timeout", cause) != 0)
		return -1;

	/*
	 * TLS settings on this handle only, whatever ldap.conf, ~/.ldaprc
	 * or LDAPTLS_REQCERT say: a certificate that does not verify is
	 * always refused.  NEWCTX makes libldap build this handle's own
	 * context from them; it must come last.
	 */
	if (tldap_opt(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand,
	    "tls require cert", cause) != 0 ||
	    tldap_opt(ld, LDAP_OPT_X_TLS_PROTOCOL_MIN, &tlsmin,
	    "tls protocol min", cause) != 0)
		return -1;
	if (t->c.tls_cacert != NULL &&
	    tldap_opt(ld, LDAP_OPT_X_TLS_CACERTFILE, t->c.tls_cacert,
	    "tls_cacert", cause) != 0)
		return -1;
	if (t->c.tls_cert != NULL &&
	    (tldap_opt(ld, LDAP_OPT_X_TLS_CERTFILE, t->c.tls_cert,
	    "tls_cert", cause) != 0 ||
	    tldap_opt(ld, LDAP_OPT_X_TLS_KEYFILE, t->c.tls_key,
	    "tls_key", cause) != 0))
		return -1;
	if (ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &newctx) !=
	    LDAP_OPT_SUCCESS) {
		char	*why = tldap_explain(ld, LDAP_LOCAL_ERROR, NULL);

		xasprintf(cause, "ldap: TLS setup failed (tls_cacert, "
		    "tls_cert, tls_key?): %s", why);
		free(why);
		return -1;
	}
	return 0;
}

/* Connect and bind; t->ld is the new connection.  0 or -1, *cause. */
static int
tldap_connect(struct target *t, char **cause)
{
	LDAP		*ld = NULL;
	struct berval	 cred;
	char		*pw, *why;
	size_t		 pwlen;
	int		 rc;

	assert(t->ld == NULL);
	rc = ldap_initialize(&ld, t->c.uri);
	if (rc != LDAP_SUCCESS) {
		xasprintf(cause, "ldap: %s: %s", t->c.uri,
		    ldap_err2string(rc));
		tldap_sanitise(*cause);
		return -1;
	}
	if (tldap_set_options(t, ld, cause) != 0)
		goto fail;

	if (t->c.starttls) {
		rc = ldap_start_tls_s(ld, NULL, NULL);
		if (rc != LDAP_SUCCESS) {
			why = tldap_explain(ld, rc, NULL);
			xasprintf(cause, "ldap: StartTLS with %s failed: %s",
			    t->c.uri, why);
			free(why);
			goto fail;
		}
	}

	if (t->c.sasl != NULL) {
		/*
		 * EXTERNAL: the server already knows us (peer credentials on
		 * ldapi, the certificate on TLS).  An empty initial response
		 * (no authzid) rather than none, or Cyrus SASL in slapd asks
		 * for it in a second round.
		 */
		cred.bv_val = tldap_str("");
		cred.bv_len = 0;
		rc = ldap_sasl_bind_s(ld, NULL, "EXTERNAL", &cred, NULL, NULL,
		    NULL);
	} else {
		if ((pw = tldap_read_bindpw(t->c.bindpw_file, &pwlen,
		    cause)) == NULL)
			goto fail;
		cred.bv_val = pw;
		cred.bv_len = pwlen;
		rc = ldap_sasl_bind_s(ld, t->c.binddn, LDAP_SASL_SIMPLE, &cred,
		    NULL, NULL, NULL);
		sodium_free(pw);
	}
	if (rc != LDAP_SUCCESS) {
		why = tldap_explain(ld, rc, NULL);
		xasprintf(cause, "ldap: bind to %s as %s failed: %s",
		    t->c.uri, t->c.sasl != NULL ? "SASL EXTERNAL" : t->c.binddn,
		    why);
		tldap_sanitise(*cause);
		free(why);
		goto fail;
	}
	t->ld = ld;
	return 0;

fail:
	ldap_unbind_ext(ld, NULL, NULL);
	return -1;
}

static void
tldap_disconnect(struct target *t)
{
	if (t->ld != NULL) {
		ldap_unbind_ext(t->ld, NULL, NULL);
		t->ld = NULL;
	}
}

/*
 * Between calls nothing is outstanding, so a readable socket means the
 * server said goodbye (EOF or a notice of disconnection): reconnect
 * before sending anything rather than fail the batch half-way.
 */
static int
tldap_ensure(struct target *t, char **cause)
{
	struct pollfd	pfd;
	int		fd = -1;

	if (t->ld != NULL &&
	    ldap_get_option(t->ld, LDAP_OPT_DESC, &fd) == LDAP_OPT_SUCCESS &&
	    fd >= 0) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) == 0)
			return 0;
	}
	tldap_disconnect(t);
	return tldap_connect(t, cause);
}

/*
 * Searches: paged (RFC 2696), so that a server's size limit does not cut
 * the list short.  cb runs for each entry; it returns 0 or -1 (*cause).
 */
typedef int (*tldap_entry_cb)(struct target *, LDAPMessage *, void *,
    char **);

static int
tldap_paged(struct target *t, int scope, const char *filter, char **attrs,
    tldap_entry_cb cb, void *arg, char **cause)
{
	struct timeval	 tv = { (time_t)t->c.timeout, 0 };
	struct berval	 cookie = { 0, NULL };
	LDAPControl	*page = NULL, *sctrls[2], **rctrls = NULL, *resp;
	LDAPMessage	*msg = NULL;
	ber_int_t	 estimate;
	char		*diag = NULL, *why;
	int		 msgid = -1, rc, err;

	for (;;) {
		rc = ldap_create_page_control(t->ld, (ber_int_t)t->c.page_size,
		    &cookie, 1, &page);
		if (rc != LDAP_SUCCESS)
			goto ldap_fail;
		sctrls[0] = page;
		sctrls[1] = NULL;
		rc = ldap_search_ext(t->ld, t->c.base, scope, filter, attrs, 0,
		    sctrls, NULL, NULL, 0, &msgid);
		ldap_control_free(page);
		page = NULL;
		if (rc != LDAP_SUCCESS)
			goto ldap_fail;
		for (;;) {
			rc = ldap_result(t->ld, msgid, LDAP_MSG_ONE, &tv, &msg);
			if (rc == 0) {
				xasprintf(cause, "ldap: no answer from %s in "
				    "%lld s", t->c.uri, t->c.timeout);
				goto fail;
			}
			if (rc == -1) {
				rc = tldap_last_rc(t->ld);
				goto ldap_fail;
			}
			if (rc == LDAP_RES_SEARCH_RESULT)
				break;
			if (rc == LDAP_RES_SEARCH_ENTRY &&
			    cb(t, msg, arg, cause) != 0)
				goto fail;
			if (rc != LDAP_RES_SEARCH_ENTRY &&
			    rc != LDAP_RES_SEARCH_REFERENCE) {
				xasprintf(cause, "ldap: %s answered a search "
				    "with message type 0x%x", t->c.uri, rc);
				goto fail;
			}
			ldap_msgfree(msg);
			msg = NULL;
		}
		msgid = -1;
		rc = ldap_parse_result(t->ld, msg, &err, NULL, &diag, NULL,
		    &rctrls, 1);
		msg = NULL;
		if (rc != LDAP_SUCCESS)
			goto ldap_fail;
		if (err != LDAP_SUCCESS) {
			why = tldap_explain(NULL, err, diag);
			xasprintf(cause, "ldap: search of %s failed: %s",
			    t->c.base, why);
			free(why);
			goto fail;
		}
		ldap_memfree(diag);
		diag = NULL;
		ber_memfree(cookie.bv_val);
		cookie.bv_val = NULL;
		cookie.bv_len = 0;
		resp = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, rctrls,
		    NULL);
		if (resp != NULL && ldap_parse_pageresponse_control(t->ld,
		    resp, &estimate, &cookie) != LDAP_SUCCESS) {
			xasprintf(cause, "ldap: %s sent a paged results "
			    "control that does not parse", t->c.uri);
			goto fail;
		}
		ldap_controls_free(rctrls);
		rctrls = NULL;
		if (cookie.bv_val == NULL || cookie.bv_len == 0)
			break;
	}
	ber_memfree(cookie.bv_val);
	return 0;

ldap_fail:
	why = tldap_explain(t->ld, rc, NULL);
	xasprintf(cause, "ldap: search of %s on %s failed: %s", t->c.base,
	    t->c.uri, why);
	free(why);
fail:
	if (msgid != -1)
		ldap_abandon_ext(t->ld, msgid, NULL, NULL);
	ldap_msgfree(msg);
	ldap_memfree(diag);
	ldap_controls_free(rctrls);
	ber_memfree(cookie.bv_val);
	tldap_sanitise(*cause);
	return -1;
}

/* The first value of attr in entry e, or NULL (caller frees). */
static struct berval **
tldap_values(struct target *t, LDAPMessage *e, const char *attr)
{
	struct berval	**v;

	v = ldap_get_values_len(t->ld, e, attr);
	if (v != NULL && v[0] == NULL) {
		ldap_value_free_len(v);
		return NULL;
	}
	return v;
}

static int64_t
tldap_time_value(struct target *t, LDAPMessage *e, const char *attr)
{
	struct berval	**v;
	int64_t		  when;

	if ((v = tldap_values(t, e, attr)) == NULL)
		return -1;
	when = tldap_parse_gentime(v[0]->bv_val, v[0]->bv_len);
	ldap_value_free_len(v);
	return when;
}

struct tldap_list {
	struct target_account	*out;
	size_t			 n, alloc;
};

static int
tldap_list_entry(struct target *t, LDAPMessage *e, void *arg, char **cause)
{
	struct tldap_list	 *l = arg;
	struct target_account	 *a;
	struct berval		**v;
	char			  login[TARGET_LOGIN_MAX];
	const char		 *errstr;
	long long		  days;
	int64_t			  end;

	(void)cause;
	if ((v = tldap_values(t, e, t->c.attr_login)) == NULL)
		return 0;	/* not an account: no login */
	/* A login daicho cannot hold or name is left out, not cut short. */
	if (v[0]->bv_len >= sizeof login ||
	    memchr(v[0]->bv_val, '\0', v[0]->bv_len) != NULL) {
		ldap_value_free_len(v);
		return 0;
	}
	memcpy(login, v[0]->bv_val, v[0]->bv_len);
	login[v[0]->bv_len] = '\0';
	ldap_value_free_len(v);
	if (!tldap_login_ok(login))
		return 0;

	if (l->n == l->alloc) {
		l->alloc = l->alloc == 0 ? 256 : l->alloc * 2;
		l->out = xreallocarray(l->out, l->alloc, sizeof *l->out);
	}
	a = &l->out[l->n++];
	memset(a, 0, sizeof *a);
	memcpy(a->login, login, sizeof a->login);
	if ((v = tldap_values(t, e, t->c.attr_name)) != NULL) {
		tldap_copy_utf8(a->name, sizeof a->name, v[0]->bv_val,
		    strnlen(v[0]->bv_val, v[0]->bv_len));
		ldap_value_free_len(v);
	}

	/* Present at all means locked: daicho's own lock never expires,
	 * and a lockout after failed binds counts until it is lifted. */
	if ((v = tldap_values(t, e, "pwdAccountLockedTime")) != NULL) {
		a->locked = 1;
		ldap_value_free_len(v);
	}
	if ((v = tldap_values(t, e, "pwdReset")) != NULL) {
		a->must_change = v[0]->bv_len == 4 &&
		    strncasecmp(v[0]->bv_val, "TRUE", 4) == 0;
		ldap_value_free_len(v);
	}
	a->expired = 0;
	if (t->shadow_expire) {
		if ((v = tldap_values(t, e, t->c.expire_attr)) != NULL) {
			char	buf[24];

			if (v[0]->bv_len < sizeof buf) {
				memcpy(buf, v[0]->bv_val, v[0]->bv_len);
				buf[v[0]->bv_len] = '\0';
				if (number_parse(buf, -1, 1000000, &days,
				    &errstr) == 0 && days >= 0)
					a->expired = days * 86400 <=
					    (long long)time(NULL);
			} else
				a->expired = -1;
			ldap_value_free_len(v);
		}
	} else {
		end = tldap_time_value(t, e, t->c.expire_attr);
		if (end != -1)
			a->expired = end <= (int64_t)time(NULL);
	}
	a->last_change = tldap_time_value(t, e, "pwdChangedTime");
	a->last_use = tldap_time_value(t, e, "pwdLastSuccess");
	return 0;
}

static int
tldap_list(struct target *t, struct target_account **out, size_t *n,
    char **cause)
{
	struct tldap_sigpipe	 sp;
	struct tldap_list	 l = { NULL, 0, 0 };
	char			*attrs[] = { t->c.attr_login, t->c.attr_name,
				    tldap_str("pwdAccountLockedTime"),
				    tldap_str("pwdReset"),
				    tldap_str("pwdChangedTime"),
				    tldap_str("pwdLastSuccess"),
				    t->c.expire_attr, NULL };
	int			 rc;

	*out = NULL;
	*n = 0;
	tldap_sigpipe_block(&sp);
	rc = tldap_ensure(t, cause);
	if (rc == 0) {
		rc = tldap_paged(t, t->scope, t->c.filter, attrs,
		    tldap_list_entry, &l, cause);
		if (rc != 0)
			tldap_disconnect(t);
	}
	tldap_sigpipe_restore(&sp);
	if (rc != 0) {
		free(l.out);
		return -1;
	}
	*out = l.out;
	*n = l.n;
	return 0;
}

/*
 * uidNumber for new posix accounts: one above the highest under base
 * (and at least uid_min).  Two consoles creating at the same moment
 * could pick the same number; the directory does not stop them unless
 * it runs the unique overlay on uidNumber.
 */
static int
tldap_uid_entry(struct target *t, LDAPMessage *e, void *arg, char **cause)
{
	long long	 *max = arg, n;
	struct berval	**v;
	const char	 *errstr;
	char		  buf[16];
	size_t		  i;

	(void)cause;
	if ((v = tldap_values(t, e, "uidNumber")) == NULL)
		return 0;
	for (i = 0; v[i] != NULL; i++) {
		if (v[i]->bv_len >= sizeof buf)
			continue;
		memcpy(buf, v[i]->bv_val, v[i]->bv_len);
		buf[v[i]->bv_len] = '\0';
		if (number_parse(buf, 0, INT32_MAX, &n, &errstr) == 0 &&
		    n > *max)
			*max = n;
	}
	ldap_value_free_len(v);
	return 0;
}

static int
tldap_next_uid(struct target *t, long long *next, char **cause)
{
	char		*attrs[] = { tldap_str("uidNumber"), NULL };
	long long	 max = t->c.uid_min - 1;

	if (tldap_paged(t, LDAP_SCOPE_SUBTREE, "(uidNumber=*)", attrs,
	    tldap_uid_entry, &max, cause) != 0)
		return -1;
	if (max >= INT32_MAX) {
		xasprintf(cause, "ldap: no uidNumber left above %lld", max);
		return -1;
	}
	*next = max + 1;
	return 0;
}

/*
 * Sending.  Each returns libldap's code: anything but LDAP_SUCCESS means
 * the request could not be sent, and the batch fails.
 */

static int
tldap_modify1(struct target *t, struct tldap_job *j, int op, const char *attr,
    const char *value)
{
	char	*vals[2] = { tldap_str(value), NULL };
	LDAPMod	 mod, *mods[2] = { &mod, NULL };

	mod.mod_op = op;
	mod.mod_type = tldap_str(attr);
	mod.mod_values = value != NULL ? vals : NULL;
	return ldap_modify_ext(t->ld, j->dn, mods, NULL, NULL, &j->msgid);
}

static int
tldap_send_lock(struct target *t, struct tldap_job *j)
{
	return tldap_modify1(t, j, LDAP_MOD_REPLACE, "pwdAccountLockedTime",
	    TLDAP_LOCKED_FOREVER);
}

static int
tldap_send_unlock(struct target *t, struct tldap_job *j)
{
	return tldap_modify1(t, j, LDAP_MOD_DELETE, "pwdAccountLockedTime",
	    NULL);
}

static int
tldap_send_force(struct target *t, struct tldap_job *j)
{
	return tldap_modify1(t, j, LDAP_MOD_REPLACE, "pwdReset", "TRUE");
}

/* RFC 3062 password modify to the job's temporary password. */
static int
tldap_send_newpw(struct target *t, struct tldap_job *j)
{
	struct berval	 user, newpw;

	user.bv_val = j->dn;
	user.bv_len = strlen(j->dn);
	newpw.bv_val = j->r->secret;
	newpw.bv_len = strlen(j->r->secret);
	return ldap_passwd(t->ld, &user, NULL, &newpw, NULL, NULL, &j->msgid);
}

/* The policy's attributes, replaced in ppolicy_dn's entry (j->dn). */
static int
tldap_send_policy(struct target *t, struct tldap_job *j)
{
	struct target_policy	 p;
	static const struct {
		const char	*attr;
		long long	 unit;
	} a[] = {
		{ "pwdMinLength", 1 }, { "pwdMaxAge", TLDAP_DAY },
		{ "pwdMinAge", TLDAP_DAY }, { "pwdExpireWarning", TLDAP_DAY },
		{ "pwdInHistory", 1 },
	};
	char			 num[5][24], *vals[7][2];
	char			 err[TARGET_ERROR_MAX];
	LDAPMod			 m[7], *mods[8];
	long long		 got[5];
	size_t			 i, n = 0;

	/* Checked before it was sent (tldap_check_policy). */
	if (target_policy_parse(j->r->arg, &p, err, sizeof err) != 0)
		return LDAP_PARAM_ERROR;
	got[0] = p.min_length;
	got[1] = p.max_age;
	got[2] = p.min_age;
	got[3] = p.warn;
	got[4] = p.history;
	for (i = 0; i < 5; i++) {
		if (got[i] == -1)
			continue;
		snprintf(num[i], sizeof num[i], "%lld", got[i] * a[i].unit);
		vals[n][0] = num[i];
		vals[n][1] = NULL;
		m[n] = (LDAPMod){ .mod_op = LDAP_MOD_REPLACE,
		    .mod_type = tldap_str(a[i].attr), .mod_values = vals[n] };
		n++;
	}
	vals[n][0] = tldap_str("TRUE");
	vals[n][1] = NULL;
	m[n] = (LDAPMod){ .mod_op = LDAP_MOD_REPLACE,
	    .mod_type = tldap_str("pwdMustChange"), .mod_values = vals[n] };
	n++;
	vals[n][0] = tldap_str("TRUE");
	vals[n][1] = NULL;
	m[n] = (LDAPMod){ .mod_op = LDAP_MOD_REPLACE,
	    .mod_type = tldap_str("pwdAllowUserChange"),
	    .mod_values = vals[n] };
	n++;
	for (i = 0; i < n; i++)
		mods[i] = &m[i];
	mods[n] = NULL;
	return ldap_modify_ext(t->ld, j->dn, mods, NULL, NULL, &j->msgid);
}

static int
tldap_send_expire(struct target *t, struct tldap_job *j)
{
	struct tm	tm;
	time_t		when;
	char		buf[32];

	if (strcmp(j->r->arg, "never") == 0)
		return tldap_modify1(t, j, LDAP_MOD_DELETE, t->c.expire_attr,
		    NULL);
	if (strcmp(j->r->arg, "now") == 0)
		when = time(NULL);
	else
		when = tldap_parse_date(j->r->arg);
	if (t->shadow_expire)
		snprintf(buf, sizeof buf, "%lld", (long long)(when / 86400));
	else if (gmtime_r(&when, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y%m%d%H%M%SZ", &tm) == 0)
		return LDAP_PARAM_ERROR;
	return tldap_modify1(t, j, LDAP_MOD_REPLACE, t->c.expire_attr, buf);
}

static int
tldap_send_delete(struct target *t, struct tldap_job *j)
{
	return ldap_delete_ext(t->ld, j->dn, NULL, NULL, &j->msgid);
}

static int
tldap_send_create(struct target *t, struct tldap_job *j)
{
	const char	*login = j->r->login;
	const char	*name = j->r->arg[0] != '\0' ? j->r->arg : login;
	char		 uidn[24], gidn[24], *home;
	char		*v_login[2], *v_name[2], *v_uid[2], *v_gid[2];
	char		*v_home[2], *v_shell[2];
	LDAPMod		 m[8], *mods[9];
	size_t		 n = 0, i;
	int		 rc;

	v_login[0] = tldap_str(login);
	v_name[0] = tldap_str(name);
	v_login[1] = v_name[1] = NULL;
	m[n++] = (LDAPMod){ .mod_op = LDAP_MOD_ADD,
	    .mod_type = tldap_str("objectClass"), .mod_values = t->ocs };
	m[n++] = (LDAPMod){ .mod_op = LDAP_MOD_ADD,
	    .mod_type = t->c.attr_login, .mod_values = v_login };
	if (strcasecmp(t->c.attr_name, t->c.attr_login) != 0)
		m[n++] = (LDAPMod){ .mod_op = LDAP_MOD_ADD,
		    .mod_type = t->c.attr_name, .mod_values = v_name };
	/* person and its subclasses must have a surname: the name as
	 * given, since daicho does not know which part is the family name. */
	if (t->person && strcasecmp(t->c.attr_name, "sn") != 0 &&
	    strcasecmp(t->c.attr_login, "sn") != 0)
		m[n++] = (LDAPMod){ .mod_op = LDAP_MOD_ADD,
		    .mod_type = tldap_str("sn"), .mod_values = v_name };
	home = NULL;
	if (t->posix) {
		snprintf(uidn, sizeof uidn, "%lld", j->uidnumber);
		snprintf(gidn, sizeof gidn, "%lld", t->c.gid_number);
		xasprintf(&home, "%s%s%s", t->c.home_base,
		    t->c.home_base[strlen(t->c.home_base) - 1] == '/' ?
		    "" : "/", login);
		v_uid[0] = uidn;
		v_gid[0] = gidn;
		v_home[0] = home;
		v_shell[0] = t->c.login_shell;
		v_uid[1] = v_gid[1] = v_home[1] = v_shell[1] = NULL;
		m[n++] = (LDAPMod){ .mod_op = LDAP_MOD_ADD,
		    .mod_type = tldap_str("uidNumber"), .mod_values = v_uid };
		m[n++] = (LDAPMod){ .mod_op = LDAP_MOD_ADD,
		    .mod_type = tldap_str("gidNumber"), .mod_values = v_gid };
		m[n++] = (LDAPMod){ .mod_op = LDAP_MOD_ADD,
		    .mod_type = tldap_str("homeDirectory"),
		    .mod_values = v_home };
		if (t->c.login_shell != NULL)
			m[n++] = (LDAPMod){ .mod_op = LDAP_MOD_ADD,
			    .mod_type = tldap_str("loginShell"),
			    .mod_values = v_shell };
	}
	for (i = 0; i < n; i++)
		mods[i] = &m[i];
	mods[n] = NULL;
	rc = ldap_add_ext(t->ld, j->dn, mods, NULL, NULL, &j->msgid);
	free(home);
	return rc;
}

static int
tldap_send_step(struct target *t, struct tldap_job *j)
{
	const struct tldap_op	*op = tldap_op_find(j->r->op);
	struct timeval		 tv = { (time_t)t->c.timeout, 0 };
	char			*filter;
	char			*attrs[] = { tldap_str(LDAP_NO_ATTRS), NULL };
	int			 rc;

	switch (j->step) {
	case STEP_LOOKUP:
		filter = tldap_login_filter(t, j->r->login);
		rc = ldap_search_ext(t->ld, t->c.base, t->scope, filter, attrs,
		    1, NULL, NULL, &tv, 2, &j->msgid);
		free(filter);
		return rc;
	case STEP_MAIN:
		return op->send(t, j);
	case STEP_PASSWD:
		return tldap_send_newpw(t, j);
	case STEP_RESET:
		if (j->r->op == TARGET_SET_PASSWORD)
			return tldap_modify1(t, j, LDAP_MOD_DELETE, "pwdReset",
			    NULL);
		return tldap_send_force(t, j);
	case STEP_UNDO:
		return tldap_send_delete(t, j);
	case STEP_END:
		break;
	}
	abort();
}

static int
tldap_step_res(enum tldap_step step, const struct tldap_op *op)
{
	switch (step) {
	case STEP_LOOKUP:
		return LDAP_RES_SEARCH_RESULT;
	case STEP_MAIN:
		return op->res;
	case STEP_PASSWD:
		return LDAP_RES_EXTENDED;
	case STEP_RESET:
		return LDAP_RES_MODIFY;
	case STEP_UNDO:
		return LDAP_RES_DELETE;
	case STEP_END:
		break;
	}
	return -1;
}

static void
tldap_job_error(struct tldap_job *j, const char *what, int err,
    const char *diag)
{
	char	*why = tldap_explain(NULL, err, diag);

	snprintf(j->r->error, sizeof j->r->error, "%s: %s", what, why);
	tldap_sanitise(j->r->error);
	free(why);
}

/* The lookup of j's entry answered (err, diag): what comes next. */
static void
tldap_after_lookup(struct target *t, struct tldap_job *j,
    const struct tldap_op *op, int err, const char *diag)
{
	if (j->r->op == TARGET_CREATE && j->found == 0 &&
	    err == LDAP_SUCCESS) {
		free(j->dn);
		j->dn = tldap_create_dn(t, j->r);
		j->step = STEP_MAIN;
	} else if (j->r->op == TARGET_CREATE && j->found > 0) {
		snprintf(j->r->error, sizeof j->r->error, "create: an entry "
		    "with %s=%s exists", t->c.attr_login, j->r->login);
		j->step = STEP_END;
	} else if (j->found > 1) {
		snprintf(j->r->error, sizeof j->r->error, "%s: more than one "
		    "entry has %s=%s", op->name, t->c.attr_login,
		    j->r->login);
		j->step = STEP_END;
	} else if (err != LDAP_SUCCESS) {
		tldap_job_error(j, op->name, err, diag);
		j->step = STEP_END;
	} else if (j->found == 0 || j->dn == NULL) {
		snprintf(j->r->error, sizeof j->r->error, "%s: no entry has "
		    "%s=%s", op->name, t->c.attr_login, j->r->login);
		j->step = STEP_END;
	} else
		j->step = STEP_MAIN;
}

/*
 * The temporary password (STEP_PASSWD) or pwdReset (STEP_RESET) of a
 * create or reset answered: next step, done, or (a create) its undo.
 */
static void
tldap_after_password(struct tldap_job *j, int err, const char *diag)
{
	char	*why;

	/* A set password's pwdReset that was not there: nothing to clear. */
	if (j->r->op == TARGET_SET_PASSWORD && err == LDAP_NO_SUCH_ATTRIBUTE)
		err = LDAP_SUCCESS;
	if (err == LDAP_SUCCESS) {
		if (j->step == STEP_PASSWD)
			j->step = STEP_RESET;
		else {
			j->r->done = 1;
			j->step = STEP_END;
		}
		return;
	}
	if (j->r->op == TARGET_RESET) {
		/* The new password is set but not forced: say so. */
		tldap_job_error(j, "reset password: setting pwdReset", err,
		    diag);
		sodium_memzero(j->r->secret, sizeof j->r->secret);
		j->step = STEP_END;
		return;
	}
	if (j->r->op == TARGET_SET_PASSWORD) {
		/* Set, but the directory still asks for a change. */
		tldap_job_error(j, "set password: the password is set, but "
		    "deleting pwdReset failed", err, diag);
		j->step = STEP_END;
		return;
	}
	why = tldap_explain(NULL, err, diag);
	snprintf(j->undo_why, sizeof j->undo_why, "create: %s failed: %s",
	    j->step == STEP_PASSWD ? "setting the temporary password" :
	    "setting pwdReset", why);
	free(why);
	sodium_memzero(j->r->secret, sizeof j->r->secret);
	j->step = STEP_UNDO;
}

/*
 * Take one answer for job j.  Sets j->step to what comes next (sent
 * already) or STEP_END.  0, or -1 with *cause when the answer makes no
 * sense or the next step cannot be sent: the batch then fails.
 */
static int
tldap_job_answer(struct target *t, struct tldap_job *j, LDAPMessage *msg,
    char **cause)
{
	const struct tldap_op	*op = tldap_op_find(j->r->op);
	char			*diag = NULL, *dn, *why;
	int			 type = ldap_msgtype(msg), rc, err;

	if (j->step == STEP_LOOKUP && type == LDAP_RES_SEARCH_ENTRY) {
		if (++j->found == 1 && (dn = ldap_get_dn(t->ld, msg)) != NULL) {
			j->dn = xstrdup(dn);
			ldap_memfree(dn);
		}
		ldap_msgfree(msg);
		return 0;
	}
	if (j->step == STEP_LOOKUP && type == LDAP_RES_SEARCH_REFERENCE) {
		ldap_msgfree(msg);
		return 0;
	}
	if (type != tldap_step_res(j->step, op)) {
		ldap_msgfree(msg);
		xasprintf(cause, "ldap: %s answered %s for %s with message "
		    "type 0x%x", t->c.uri, op->name, j->r->login, type);
		return -1;
	}
	rc = ldap_parse_result(t->ld, msg, &err, NULL, &diag, NULL, NULL, 1);
	j->msgid = -1;
	if (rc != LDAP_SUCCESS) {
		why = tldap_explain(t->ld, rc, NULL);
		xasprintf(cause, "ldap: %s sent an answer that does not "
		    "parse: %s", t->c.uri, why);
		free(why);
		return -1;
	}

	switch (j->step) {
	case STEP_LOOKUP:
		tldap_after_lookup(t, j, op, err, diag);
		break;
	case STEP_MAIN:
		if (err == LDAP_SUCCESS || err == op->already) {
			if (j->r->op == TARGET_CREATE)
				j->step = STEP_PASSWD;
			else if (j->r->op == TARGET_RESET ||
			    j->r->op == TARGET_SET_PASSWORD)
				j->step = STEP_RESET;
			else {
				j->r->done = 1;
				j->step = STEP_END;
			}
		} else {
			tldap_job_error(j, op->name, err, diag);
			j->step = STEP_END;
		}
		break;
	case STEP_PASSWD:
	case STEP_RESET:
		tldap_after_password(j, err, diag);
		break;
	case STEP_UNDO:
		if (err == LDAP_SUCCESS)
			snprintf(j->r->error, sizeof j->r->error, "%.200s; "
			    "the new entry was removed", j->undo_why);
		else
			snprintf(j->r->error, sizeof j->r->error, "%.150s; "
			    "removing the new entry failed too: %s",
			    j->undo_why, ldap_err2string(err));
		tldap_sanitise(j->r->error);
		j->step = STEP_END;
		break;
	case STEP_END:
		abort();
	}
	ldap_memfree(diag);

	if (j->step == STEP_END)
		return 0;
	rc = tldap_send_step(t, j);
	if (rc != LDAP_SUCCESS) {
		why = tldap_explain(t->ld, rc, NULL);
		xasprintf(cause, "ldap: sending %s for %s to %s failed: %s",
		    op->name, j->r->login, t->c.uri, why);
		free(why);
		return -1;
	}
	return 0;
}

enum tldap_req_state {
	REQ_PENDING,
	REQ_SENT,
	REQ_FINISHED,
};

/* A batch on its way: the requests and the window of jobs in flight. */
struct tldap_batch {
	struct target		*t;
	struct target_req	*reqs;
	size_t			 n;
	unsigned char		*state;		/* enum tldap_req_state */
	struct tldap_job	*jobs;		/* window of them */
	size_t			 window;
	size_t			 next;		/* the next request to send */
	size_t			 busy;		/* jobs in flight */
	long long		 uid;		/* the next new uidNumber */
};

/*
 * Reset every request's result and refuse the malformed ones.  The count
 * of requests left to send; *need_uid when one is a posix create.
 */
static size_t
tldap_batch_check(struct tldap_batch *bt, int *need_uid)
{
	struct target_req *r;
	size_t		   i, valid = 0;

	*need_uid = 0;
	for (i = 0; i < bt->n; i++) {
		r = &bt->reqs[i];
		r->done = 0;
		r->error[0] = '\0';
		/* Out for CREATE and RESET; only SET_PASSWORD's goes in. */
		if (r->op != TARGET_SET_PASSWORD)
			sodium_memzero(r->secret, sizeof r->secret);
		if (tldap_req_check(r, r->error, sizeof r->error) != 0) {
			bt->state[i] = REQ_FINISHED;
			continue;
		}
		if (r->op == TARGET_AGING) {
			r->done = 1;
			snprintf(r->error, sizeof r->error, "%s",
			    TLDAP_AGING_NOTICE);
			bt->state[i] = REQ_FINISHED;
			continue;
		}
		if (r->op == TARGET_POLICY && bt->t->c.ppolicy_dn == NULL) {
			snprintf(r->error, sizeof r->error, "policy: this "
			    "system's configuration names no ppolicy entry "
			    "(ppolicy_dn=)");
			bt->state[i] = REQ_FINISHED;
			continue;
		}
		valid++;
		if (r->op == TARGET_CREATE && bt->t->posix)
			*need_uid = 1;
	}
	return valid;
}

/*
 * Send the first step of pending requests while the window has room; a
 * request waits while an earlier one for the same login is in flight.
 * 0, or -1 with *cause when sending fails.
 */
static int
tldap_batch_send(struct tldap_batch *bt, char **cause)
{
	struct target	 *t = bt->t;
	struct tldap_job *j;
	size_t		  k;
	int		  rc;
	char		 *why;

	while (bt->busy < bt->window && bt->next < bt->n) {
		if (bt->state[bt->next] != REQ_PENDING) {
			bt->next++;
			continue;
		}
		for (k = 0; k < bt->window; k++) {
			if (bt->jobs[k].r != NULL && strcmp(bt->jobs[k].r->login,
			    bt->reqs[bt->next].login) == 0)
				return 0;
		}
		for (k = 0; bt->jobs[k].r != NULL; k++)
			;
		j = &bt->jobs[k];
		memset(j, 0, sizeof *j);
		j->r = &bt->reqs[bt->next];
		j->msgid = -1;
		if (j->r->op == TARGET_POLICY) {
			j->step = STEP_MAIN;
			j->dn = xstrdup(t->c.ppolicy_dn);
		} else if (t->lookup)
			j->step = STEP_LOOKUP;
		else {
			/* Without lookup, rdn is attr_login. */
			j->step = STEP_MAIN;
			j->dn = tldap_make_dn(t, j->r->login);
		}
		if (j->r->op == TARGET_CREATE)
			j->uidnumber = bt->uid++;
		if (j->r->op == TARGET_CREATE || j->r->op == TARGET_RESET)
			pw_generate(j->r->secret, PW_GENERATE_LEN);
		bt->state[bt->next++] = REQ_SENT;
		bt->busy++;
		if ((rc = tldap_send_step(t, j)) != LDAP_SUCCESS) {
			j->msgid = -1;
			why = tldap_explain(t->ld, rc, NULL);
			xasprintf(cause, "ldap: sending to %s failed: %s",
			    t->c.uri, why);
			free(why);
			return -1;
		}
	}
	return 0;
}

/*
 * Wait for the next answer and find its job.  The job, with *msg; or
 * NULL with *cause (no answer in time, the connection lost, or an answer
 * to no request).
 */
static struct tldap_job *
tldap_batch_answer(struct tldap_batch *bt, LDAPMessage **msg, char **cause)
{
	struct target	*t = bt->t;
	struct timeval	 tv = { (time_t)t->c.timeout, 0 };
	char		*why, *diag = NULL;
	int		 rc, msgid, err = LDAP_OTHER;
	size_t		 k;

	rc = ldap_result(t->ld, LDAP_RES_ANY, LDAP_MSG_ONE, &tv, msg);
	if (rc == 0) {
		xasprintf(cause, "ldap: no answer from %s in %lld s", t->c.uri,
		    t->c.timeout);
		return NULL;
	}
	if (rc == -1) {
		why = tldap_explain(t->ld, tldap_last_rc(t->ld), NULL);
		xasprintf(cause, "ldap: lost the connection to %s: %s",
		    t->c.uri, why);
		free(why);
		return NULL;
	}
	msgid = ldap_msgid(*msg);
	for (k = 0; k < bt->window; k++) {
		if (bt->jobs[k].r != NULL && bt->jobs[k].msgid == msgid)
			return &bt->jobs[k];
	}
	/* Unsolicited: a notice of disconnection. */
	if (msgid == 0)
		ldap_parse_result(t->ld, *msg, &err, NULL, &diag, NULL, NULL,
		    0);
	ldap_msgfree(*msg);
	why = tldap_explain(NULL, err, diag);
	ldap_memfree(diag);
	xasprintf(cause, "ldap: %s sent %s: %s", t->c.uri, msgid == 0 ?
	    "a notice of disconnection" : "an answer to no request", why);
	free(why);
	return NULL;
}

/*
 * The connection is no good any more: say for every request that did
 * not finish whether it went out.
 */
static void
tldap_batch_fail(struct tldap_batch *bt)
{
	size_t	 i;

	for (i = 0; i < bt->n; i++) {
		if (bt->state[i] == REQ_FINISHED)
			continue;
		sodium_memzero(bt->reqs[i].secret, sizeof bt->reqs[i].secret);
		bt->reqs[i].done = 0;
		snprintf(bt->reqs[i].error, sizeof bt->reqs[i].error, "%s",
		    bt->state[i] == REQ_SENT ? "sent, but the connection "
		    "failed before the answer: it may or may not have been "
		    "applied" : "not sent: the connection failed");
	}
}

/* SET_PASSWORD's cleartexts: wiped whatever became of them. */
static void
tldap_secrets_wipe(struct target_req *reqs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (reqs[i].op == TARGET_SET_PASSWORD)
			sodium_memzero(reqs[i].secret, sizeof reqs[i].secret);
	}
}

static int
tldap_apply(struct target *t, struct target_req *reqs, size_t n,
    char **cause)
{
	struct tldap_sigpipe	 sp;
	struct tldap_batch	 bt;
	struct tldap_job	*j;
	LDAPMessage		*msg;
	size_t			 k;
	int			 need_uid, ret = -1;

	memset(&bt, 0, sizeof bt);
	bt.t = t;
	bt.reqs = reqs;
	bt.n = n;
	bt.window = (size_t)t->c.window;
	bt.state = xcalloc(n == 0 ? 1 : n, 1);
	if (tldap_batch_check(&bt, &need_uid) == 0) {
		tldap_secrets_wipe(reqs, n);
		free(bt.state);
		return 0;
	}

	tldap_sigpipe_block(&sp);
	if (tldap_ensure(t, cause) != 0)
		goto out;
	if (need_uid && tldap_next_uid(t, &bt.uid, cause) != 0)
		goto out;
	bt.jobs = xcalloc(bt.window, sizeof *bt.jobs);
	for (k = 0; k < bt.window; k++)
		bt.jobs[k].msgid = -1;
	for (;;) {
		if (tldap_batch_send(&bt, cause) != 0)
			goto out;
		if (bt.busy == 0)
			break;
		if ((j = tldap_batch_answer(&bt, &msg, cause)) == NULL ||
		    tldap_job_answer(t, j, msg, cause) != 0)
			goto out;
		if (j->step == STEP_END) {
			/* A temporary password nobody can use goes now. */
			if (!j->r->done)
				sodium_memzero(j->r->secret,
				    sizeof j->r->secret);
			bt.state[j->r - reqs] = REQ_FINISHED;
			free(j->dn);
			memset(j, 0, sizeof *j);
			j->msgid = -1;
			bt.busy--;
		}
	}
	ret = 0;
out:
	if (ret != 0) {
		/* Drop the connection: the next call starts afresh. */
		tldap_batch_fail(&bt);
		for (k = 0; bt.jobs != NULL && k < bt.window; k++)
			free(bt.jobs[k].dn);
		tldap_sanitise(*cause);
		tldap_disconnect(t);
	}
	tldap_secrets_wipe(reqs, n);
	free(bt.jobs);
	free(bt.state);
	tldap_sigpipe_restore(&sp);
	return ret;
}

static void
tldap_close(struct target *t)
{
	struct tldap_sigpipe	sp;
	size_t			i;

	if (t == NULL)
		return;
	tldap_sigpipe_block(&sp);
	tldap_disconnect(t);
	tldap_sigpipe_restore(&sp);
	for (i = 0; i < t->nocs; i++)
		free(t->ocs[i]);
	free(t->ocs);
	tldap_conf_free(&t->c);
	free(t);
}

static struct target *
tldap_open(const char *config, char **cause)
{
	struct tldap_sigpipe	 sp;
	struct target		*t;
	int			 rc;

	if (sodium_init() < 0) {
		xasprintf(cause, "ldap: libsodium failed to initialise");
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	if (tldap_conf_parse(&t->c, config, cause) != 0) {
		free(t);
		return NULL;
	}
	if (tldap_conf_check(t, cause) != 0) {
		tldap_close(t);
		return NULL;
	}
	tldap_sigpipe_block(&sp);
	rc = tldap_connect(t, cause);
	tldap_sigpipe_restore(&sp);
	if (rc != 0) {
		tldap_close(t);
		return NULL;
	}
	return t;
}

/*
 * For tests and fuzzing: the parsers above, without a connection.  A
 * configuration is parsed and checked as tldap_open does, then dropped.
 */
int
target_ldap_conf_parse(const char *config, char **cause)
{
	struct target	*t = xcalloc(1, sizeof *t);
	int		 r = -1;

	if (tldap_conf_parse(&t->c, config, cause) != 0) {
		free(t);
		return -1;
	}
	if (tldap_conf_check(t, cause) == 0)
		r = 0;
	tldap_close(t);
	return r;
}

int64_t
target_ldap_parse_gentime(const char *s, size_t len)
{
	return tldap_parse_gentime(s, len);
}

int64_t
target_ldap_parse_date(const char *s)
{
	return (int64_t)tldap_parse_date(s);
}

void
target_ldap_copy_utf8(char *dst, size_t size, const char *src, size_t len)
{
	tldap_copy_utf8(dst, size, src, len);
}

int
target_ldap_text_ok(const char *s)
{
	return tldap_text_ok(s);
}

int
target_ldap_login_ok(const char *s)
{
	return tldap_login_ok(s);
}

/*
 * The ldap target.  One struct target is one connection: use it from one
 * thread at a time.
 */
const struct target_type target_ldap = {
	.name = "ldap",
	.open = tldap_open,
	.list = tldap_list,
	.apply = tldap_apply,
	.close = tldap_close,
};
