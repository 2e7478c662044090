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
 *   SET_PASSWORD  replace userPassword: {CRYPT}<hash>.  The API hands us a
 *                 crypt(3) hash, never a cleartext, and the RFC 3062
 *                 password modify operation only carries a cleartext for
 *                 the server to hash: sending it the hash would make the
 *                 hash itself the password.  slapd checks {CRYPT} with
 *                 the system's crypt(3) (libxcrypt: yescrypt, sha512...).
 *                 The directory's policy decides whether an administrator's
 *                 change sets pwdReset (ppolicy does when pwdMustChange).
 *   EXPIRE        replace pwdEndTime (ppolicy refuses binds from then on)
 *                 or, with expire_attr=shadowExpire, shadowExpire in days
 *                 for NSS/PAM clients (needs objectClass shadowAccount).
 *                 "never" removes it.
 *   CREATE        add the entry; set a random temporary password with the
 *                 RFC 3062 password modify operation (the server hashes
 *                 it with its own scheme); replace pwdReset: TRUE.  If
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
#include "targets.h"

#define LDAP_BINDPW_MAX		1024	/* bytes in bindpw_file */
#define LDAP_LOCKED_FOREVER	"000001010000Z"
#define LDAP_TMP_GROUPS		4	/* temporary password: 4 groups */
#define LDAP_TMP_GROUP_LEN	5	/*   of 5 characters, '-' between */

/* The configuration, as the system row keeps it. */
struct ldap_conf {
	char		*uri;		/* ldap://, ldaps:// or ldapi:// (list) */
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
	{ "uri", CONF_STR, offsetof(struct ldap_conf, uri), NULL, 0, 0 },
	{ "binddn", CONF_STR, offsetof(struct ldap_conf, binddn), NULL, 0, 0 },
	{ "bindpw_file", CONF_STR, offsetof(struct ldap_conf, bindpw_file),
	  NULL, 0, 0 },
	{ "sasl", CONF_STR, offsetof(struct ldap_conf, sasl), NULL, 0, 0 },
	{ "starttls", CONF_BOOL, offsetof(struct ldap_conf, starttls), "no",
	  0, 0 },
	{ "tls_cacert", CONF_STR, offsetof(struct ldap_conf, tls_cacert),
	  NULL, 0, 0 },
	{ "tls_cert", CONF_STR, offsetof(struct ldap_conf, tls_cert), NULL,
	  0, 0 },
	{ "tls_key", CONF_STR, offsetof(struct ldap_conf, tls_key), NULL,
	  0, 0 },
	{ "base", CONF_STR, offsetof(struct ldap_conf, base), NULL, 0, 0 },
	{ "scope", CONF_STR, offsetof(struct ldap_conf, scope), "one", 0, 0 },
	{ "filter", CONF_STR, offsetof(struct ldap_conf, filter),
	  "(objectClass=posixAccount)", 0, 0 },
	{ "attr_login", CONF_STR, offsetof(struct ldap_conf, attr_login),
	  "uid", 0, 0 },
	{ "attr_name", CONF_STR, offsetof(struct ldap_conf, attr_name), "cn",
	  0, 0 },
	{ "rdn", CONF_STR, offsetof(struct ldap_conf, rdn), NULL, 0, 0 },
	{ "objectclasses", CONF_STR, offsetof(struct ldap_conf, objectclasses),
	  "inetOrgPerson,posixAccount", 0, 0 },
	{ "expire_attr", CONF_STR, offsetof(struct ldap_conf, expire_attr),
	  "pwdEndTime", 0, 0 },
	{ "home_base", CONF_STR, offsetof(struct ldap_conf, home_base),
	  "/home", 0, 0 },
	{ "login_shell", CONF_STR, offsetof(struct ldap_conf, login_shell),
	  NULL, 0, 0 },
	{ "uid_min", CONF_NUM, offsetof(struct ldap_conf, uid_min), "10000",
	  1, INT32_MAX },
	{ "gid_number", CONF_NUM, offsetof(struct ldap_conf, gid_number),
	  "100", 0, INT32_MAX },
	{ "window", CONF_NUM, offsetof(struct ldap_conf, window), "64",
	  1, 1024 },
	{ "timeout", CONF_NUM, offsetof(struct ldap_conf, timeout), "30",
	  1, 3600 },
	{ "page_size", CONF_NUM, offsetof(struct ldap_conf, page_size), "500",
	  1, 100000 },
};
#define CONF_NKEYS (sizeof conf_keys / sizeof conf_keys[0])

struct target {
	struct ldap_conf c;
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
enum ldap_step {
	STEP_LOOKUP,		/* find the entry's DN */
	STEP_MAIN,		/* the operation itself */
	STEP_PASSWD,		/* CREATE: set the temporary password */
	STEP_RESET,		/* CREATE: pwdReset TRUE */
	STEP_UNDO,		/* CREATE failed half-way: delete again */
	STEP_END,
};

struct ldap_job {
	struct target_req *r;
	int		 msgid;		/* outstanding request, or -1 */
	enum ldap_step	 step;
	char		*dn;		/* caller frees */
	int		 found;		/* STEP_LOOKUP: entries seen */
	long long	 uidnumber;	/* CREATE with posixAccount */
	char		 undo_why[TARGET_ERROR_MAX];
};

static int	 ldap_send_lock(struct target *, struct ldap_job *);
static int	 ldap_send_unlock(struct target *, struct ldap_job *);
static int	 ldap_send_force(struct target *, struct ldap_job *);
static int	 ldap_send_password(struct target *, struct ldap_job *);
static int	 ldap_send_expire(struct target *, struct ldap_job *);
static int	 ldap_send_create(struct target *, struct ldap_job *);
static int	 ldap_send_delete(struct target *, struct ldap_job *);
static int	 ldap_check_expire(const struct target_req *, char *, size_t);
static int	 ldap_check_password(const struct target_req *, char *,
		     size_t);
static int	 ldap_check_create(const struct target_req *, char *, size_t);

/* What each operation sends and which answer already means done. */
static const struct ldap_op {
	enum target_op	 op;
	const char	*name;
	int		 (*check)(const struct target_req *, char *, size_t);
	int		 (*send)(struct target *, struct ldap_job *);
	int		 res;		/* LDAP_RES_* of the main step */
	int		 already;	/* result code that means "done" */
} ldap_ops[] = {
	{ .op = TARGET_CREATE, .name = "create", .check = ldap_check_create,
	  .send = ldap_send_create, .res = LDAP_RES_ADD,
	  .already = LDAP_SUCCESS },
	{ .op = TARGET_LOCK, .name = "lock", .send = ldap_send_lock,
	  .res = LDAP_RES_MODIFY, .already = LDAP_SUCCESS },
	{ .op = TARGET_UNLOCK, .name = "unlock", .send = ldap_send_unlock,
	  .res = LDAP_RES_MODIFY, .already = LDAP_NO_SUCH_ATTRIBUTE },
	{ .op = TARGET_EXPIRE, .name = "expire", .check = ldap_check_expire,
	  .send = ldap_send_expire, .res = LDAP_RES_MODIFY,
	  .already = LDAP_NO_SUCH_ATTRIBUTE },	/* "never" when never */
	{ .op = TARGET_SET_PASSWORD, .name = "set password",
	  .check = ldap_check_password, .send = ldap_send_password,
	  .res = LDAP_RES_MODIFY, .already = LDAP_SUCCESS },
	{ .op = TARGET_FORCE_CHANGE, .name = "force change",
	  .send = ldap_send_force, .res = LDAP_RES_MODIFY,
	  .already = LDAP_SUCCESS },
	{ .op = TARGET_DELETE, .name = "delete", .send = ldap_send_delete,
	  .res = LDAP_RES_DELETE, .already = LDAP_SUCCESS },
};

static const struct ldap_op *
ldap_op_find(enum target_op op)
{
	size_t	i;

	for (i = 0; i < sizeof ldap_ops / sizeof ldap_ops[0]; i++) {
		if (ldap_ops[i].op == op)
			return &ldap_ops[i];
	}
	return NULL;
}

/*
 * Server texts (diagnostic messages, names) end up on the operator's
 * screen: no control characters.
 */
static void
ldap_sanitise(char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	}
}

/* Cut s to fit size bytes without splitting a UTF-8 sequence. */
static void
ldap_copy_utf8(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size) {
		len = size - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
	ldap_sanitise(dst);
}

/*
 * The cause of a failed call on ld: the result code's text and, when the
 * library or the server left one, the diagnostic message.
 */
static char *
ldap_explain(LDAP *ld, int rc, const char *diag)
{
	char	*msg = NULL, *out;

	if (diag == NULL && ld != NULL &&
	    ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &msg) ==
	    LDAP_OPT_SUCCESS)
		diag = msg;
	if (diag != NULL && *diag != '\0')
		xasprintf(&out, "%s (%s)", ldap_err2string(rc), diag);
	else
		out = xstrdup(ldap_err2string(rc));
	ldap_memfree(msg);
	ldap_sanitise(out);
	return out;
}

/* The connection's last result code, after a call that returned -1. */
static int
ldap_last_rc(LDAP *ld)
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
struct ldap_sigpipe {
	sigset_t	old;
	int		pending;	/* SIGPIPE was pending before */
};

static void
ldap_sigpipe_block(struct ldap_sigpipe *sp)
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
ldap_sigpipe_restore(struct ldap_sigpipe *sp)
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
ldap_conf_free(struct ldap_conf *c)
{
	size_t	i;

	for (i = 0; i < CONF_NKEYS; i++) {
		if (conf_keys[i].kind == CONF_STR)
			free(*(char **)((char *)c + conf_keys[i].off));
	}
	memset(c, 0, sizeof *c);
}

static int
ldap_conf_set(struct ldap_conf *c, const struct conf_key *k,
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
ldap_conf_parse(struct ldap_conf *c, const char *text, char **cause)
{
	const char	*p, *nl, *end, *eq;
	char		 seen[CONF_NKEYS], *value;
	size_t		 i, klen;
	int		 line = 0;

	memset(c, 0, sizeof *c);
	memset(seen, 0, sizeof seen);
	for (i = 0; i < CONF_NKEYS; i++) {
		if (conf_keys[i].dflt != NULL &&
		    ldap_conf_set(c, &conf_keys[i], conf_keys[i].dflt,
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
			ldap_sanitise(*cause);
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
		if (ldap_conf_set(c, &conf_keys[i], value, cause) != 0) {
			free(value);
			goto fail;
		}
		free(value);
	}
	return 0;

fail:
	ldap_conf_free(c);
	return -1;
}

/* An attribute name (descr): a letter, then letters, digits, '-'. */
static int
ldap_attr_ok(const char *s)
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
ldap_dn_ok(const char *s)
{
	LDAPDN	dn = NULL;

	if (ldap_str2dn(s, &dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return -1;
	ldap_dnfree(dn);
	return 0;
}

static int
ldap_is_loopback(const char *host)
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
ldap_conf_check_uri(struct target *t, char **cause)
{
	LDAPURLDesc	*lud = NULL, *u;
	int		 rc;

	rc = ldap_url_parselist_ext(&lud, t->c.uri, ", ", 0);
	if (rc != LDAP_URL_SUCCESS || lud == NULL) {
		xasprintf(cause, "ldap: uri \"%.100s\" is not an LDAP URL "
		    "(error %d)", t->c.uri, rc);
		ldap_sanitise(*cause);
		return -1;
	}
	for (u = lud; u != NULL; u = u->lud_next) {
		if (strcasecmp(u->lud_scheme, "ldapi") == 0 ||
		    strcasecmp(u->lud_scheme, "ldaps") == 0)
			continue;
		if (strcasecmp(u->lud_scheme, "ldap") != 0) {
			xasprintf(cause, "ldap: uri scheme %.20s is not ldap, "
			    "ldaps or ldapi", u->lud_scheme);
			ldap_sanitise(*cause);
			goto fail;
		}
		if (t->c.starttls)
			continue;
		if (t->c.sasl != NULL) {
			xasprintf(cause, "ldap: sasl=EXTERNAL needs ldapi://, "
			    "ldaps:// or starttls=yes");
			goto fail;
		}
		if (!ldap_is_loopback(u->lud_host)) {
			xasprintf(cause, "ldap: a simple bind to %.100s over "
			    "ldap:// sends the password in clear; use "
			    "ldaps:// or starttls=yes", u->lud_host);
			ldap_sanitise(*cause);
			goto fail;
		}
	}
	ldap_free_urldesc(lud);
	return 0;

fail:
	ldap_free_urldesc(lud);
	return -1;
}

static int
ldap_conf_check(struct target *t, char **cause)
{
	struct ldap_conf	*c = &t->c;
	char			*copy, *tok, *save;
	size_t			 i;
	const char		*attrs[] = { c->attr_login, c->attr_name,
				    c->expire_attr };

	if (c->uri == NULL || c->base == NULL) {
		xasprintf(cause, "ldap: uri= and base= are required");
		return -1;
	}
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
	if (ldap_dn_ok(c->base) != 0 ||
	    (c->binddn != NULL && ldap_dn_ok(c->binddn) != 0)) {
		xasprintf(cause, "ldap: base or binddn is not a DN");
		return -1;
	}
	if (c->rdn == NULL)
		c->rdn = xstrdup(c->attr_login);
	for (i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
		if (!ldap_attr_ok(attrs[i])) {
			xasprintf(cause, "ldap: \"%.64s\" is not an attribute "
			    "name", attrs[i]);
			ldap_sanitise(*cause);
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

	copy = xstrdup(c->objectclasses);
	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		if (!ldap_attr_ok(tok)) {
			xasprintf(cause, "ldap: objectclass \"%.64s\" is not "
			    "a name", tok);
			ldap_sanitise(*cause);
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
	return ldap_conf_check_uri(t, cause);
}
