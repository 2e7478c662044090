/*
 * targets.c -- the table of target types.  Adding a kind of system means
 * adding one file and one row here.  Also what every target reads the
 * same way: the operations' names, a new password handed in (checked,
 * and hashed with yescrypt where a target stores hashes), and the
 * arguments of "aging" and "policy".
 */
#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common.h"
#include "targets-int.h"

extern const struct target_type target_exec;
extern const struct target_type target_unix_type;
extern const struct target_type target_ldap;

const struct target_type *const target_types[] = {
	&target_exec,
	&target_ldap,
	&target_unix_type,
	NULL
};

const struct target_type *
target_type_find(const char *name)
{
	const struct target_type *const *t;

	for (t = target_types; *t != NULL; t++) {
		if (strcmp((*t)->name, name) == 0)
			return *t;
	}
	return NULL;
}

static const char *const target_op_names[] = {
	[TARGET_CREATE] = "create",
	[TARGET_LOCK] = "lock",
	[TARGET_UNLOCK] = "unlock",
	[TARGET_EXPIRE] = "expire",
	[TARGET_SET_PASSWORD] = "set_password",
	[TARGET_FORCE_CHANGE] = "force_change",
	[TARGET_DELETE] = "delete",
	[TARGET_RESET] = "reset",
	[TARGET_AGING] = "aging",
	[TARGET_POLICY] = "policy",
};

const char *
target_op_name(enum target_op op)
{
	if ((size_t)op >= sizeof target_op_names / sizeof target_op_names[0] ||
	    target_op_names[op] == NULL)
		return "?";
	return target_op_names[op];
}

enum target_op
target_op_parse(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof target_op_names / sizeof target_op_names[0];
	    i++) {
		if (target_op_names[i] != NULL &&
		    strcmp(target_op_names[i], name) == 0)
			return (enum target_op)i;
	}
	return (enum target_op)0;
}

int
target_secret_check(const char *secret, char *err, size_t size)
{
	const unsigned char	*p = (const unsigned char *)secret;
	size_t			 len, n;
	uint32_t		 cp;

	if ((len = strnlen(secret, TARGET_SECRET_MAX)) == TARGET_SECRET_MAX) {
		snprintf(err, size, "the new password is longer than %d "
		    "bytes", TARGET_SECRET_MAX - 1);
		return -1;
	}
	if (len == 0) {
		snprintf(err, size, "no password was handed to the target "
		    "(it is never stored: set it again)");
		return -1;
	}
	for (; len > 0; p += n, len -= n) {
		if ((n = vis_utf8(p, len, &cp)) == 0) {
			snprintf(err, size, "the new password is not valid "
			    "UTF-8");
			return -1;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			snprintf(err, size, "the new password has a control "
			    "character (a newline, a tab...)");
			return -1;
		}
	}
	return 0;
}

static locale_t		 target_c_locale;
static pthread_once_t	 target_c_once = PTHREAD_ONCE_INIT;

static void
target_c_locale_init(void)
{
	if ((target_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)) ==
	    (locale_t)0)
		fatal("newlocale");
}

const char *
target_strerror(int errnum)
{
	/* Outbox batches may run off the input loop: initialise once. */
	if (pthread_once(&target_c_once, target_c_locale_init) != 0)
		fatalx("pthread_once");
	return strerror_l(errnum, target_c_locale);
}

int
target_yescrypt(const char *secret, char *out, size_t size, char **cause)
{
	struct crypt_data	*cd;
	char			*setting;
	const char		*h;
	size_t			 len;
	int			 r = -1;

	/* The exec target opens without it: sodium_malloc needs it. */
	if (sodium_init() < 0) {
		xasprintf(cause, "sodium_init failed");
		return -1;
	}
	/* NULL rbytes: libxcrypt draws the salt from the OS itself. */
	errno = 0;
	if ((setting = crypt_gensalt_ra("$y$", 0, NULL, 0)) == NULL) {
		xasprintf(cause, "crypt_gensalt: %s", errno != 0 ?
		    target_strerror(errno) : "yescrypt is not available");
		return -1;
	}
	if ((cd = sodium_malloc(sizeof *cd)) == NULL)
		fatal("sodium_malloc");
	memset(cd, 0, sizeof *cd);
	h = crypt_r(secret, setting, cd);
	/* libxcrypt fails with a hash that starts with '*', never a match. */
	if (h == NULL || h[0] == '*' || strncmp(h, "$y$", 3) != 0 ||
	    (len = strlen(h)) >= size)
		xasprintf(cause, "crypt: %s", errno != 0 ?
		    target_strerror(errno) : "yescrypt failed");
	else {
		memcpy(out, h, len + 1);
		r = 0;
	}
	sodium_free(cd);		/* wiped, with the cleartext's copies */
	free(setting);
	return r;
}

/* Split "k=v k=v" (single spaces) and hand each pair to fn. */
static int
target_kv_parse(const char *arg, const char *what,
    int (*fn)(void *, const char *, size_t, const char *, char *, size_t),
    void *data, char *err, size_t size)
{
	const char	*p, *sp, *eq;
	char		 value[32];
	size_t		 len;

	if (arg[0] == '\0') {
		snprintf(err, size, "%s: nothing to set", what);
		return -1;
	}
	for (p = arg; *p != '\0'; p = *sp == '\0' ? sp : sp + 1) {
		sp = strchr(p, ' ');
		if (sp == NULL)
			sp = p + strlen(p);
		len = (size_t)(sp - p);
		eq = memchr(p, '=', len);
		if (len == 0 || eq == NULL || eq == p ||
		    (size_t)(sp - eq - 1) >= sizeof value ||
		    (*sp == ' ' && sp[1] == '\0')) {
			snprintf(err, size, "%s: the argument must be "
			    "key=value words with one space between", what);
			return -1;
		}
		memcpy(value, eq + 1, (size_t)(sp - eq - 1));
		value[sp - eq - 1] = '\0';
		if (fn(data, p, (size_t)(eq - p), value, err, size) != 0)
			return -1;
	}
	return 0;
}

/* A key of an argument: where its value goes and its range. */
struct target_kv {
	const char	*name;
	const char	*alias;		/* the design's shorter name; NULL */
	size_t		 off;
	long long	 max;
};

struct target_kv_ctx {
	const char		*what;
	const struct target_kv	*keys;
	size_t			 nkeys;
	void			*out;
};

static int
target_kv_one(void *data, const char *key, size_t klen, const char *value,
    char *err, size_t size)
{
	struct target_kv_ctx	*c = data;
	const struct target_kv	*k;
	long long		*slot;
	const char		*errstr;
	char			*shown;
	size_t			 i;

	for (i = 0; i < c->nkeys; i++) {
		k = &c->keys[i];
		if ((strlen(k->name) == klen &&
		    memcmp(k->name, key, klen) == 0) || (k->alias != NULL &&
		    strlen(k->alias) == klen && memcmp(k->alias, key,
		    klen) == 0))
			break;
	}
	if (i == c->nkeys) {
		shown = vis_buf(key, klen > 32 ? 32 : klen, 0);
		snprintf(err, size, "%s: unknown key \"%s\"", c->what, shown);
		free(shown);
		return -1;
	}
	slot = (long long *)((char *)c->out + k->off);
	if (*slot != -1) {
		snprintf(err, size, "%s: %s= given twice", c->what, k->name);
		return -1;
	}
	if (number_parse(value, 0, k->max, slot, &errstr) != 0) {
		snprintf(err, size, "%s: %s= is %s (0 to %lld)", c->what,
		    k->name, errstr, k->max);
		*slot = -1;
		return -1;
	}
	return 0;
}

int
target_aging_parse(const char *arg, struct target_aging *a, char *err,
    size_t size)
{
	static const struct target_kv keys[] = {
		{ "min", NULL, offsetof(struct target_aging, min),
		  TARGET_AGING_DAYS_MAX },
		{ "max", NULL, offsetof(struct target_aging, max),
		  TARGET_AGING_DAYS_MAX },
		{ "warn", NULL, offsetof(struct target_aging, warn),
		  TARGET_AGING_DAYS_MAX },
	};
	struct target_kv_ctx c = { "aging", keys, sizeof keys / sizeof keys[0],
	    a };

	a->min = a->max = a->warn = -1;
	return target_kv_parse(arg, "aging", target_kv_one, &c, err, size);
}

int
target_policy_parse(const char *arg, struct target_policy *p, char *err,
    size_t size)
{
	static const struct target_kv keys[] = {
		{ "min_length", NULL, offsetof(struct target_policy,
		  min_length), TARGET_POLICY_LENGTH_MAX },
		{ "max_age_days", "max_age", offsetof(struct target_policy,
		  max_age), TARGET_POLICY_DAYS_MAX },
		{ "min_age_days", "min_age", offsetof(struct target_policy,
		  min_age), TARGET_POLICY_DAYS_MAX },
		{ "warn_days", "warn", offsetof(struct target_policy, warn),
		  TARGET_POLICY_DAYS_MAX },
		{ "history", NULL, offsetof(struct target_policy, history),
		  TARGET_POLICY_HISTORY_MAX },
	};
	struct target_kv_ctx c = { "policy", keys,
	    sizeof keys / sizeof keys[0], p };

	p->min_length = p->max_age = p->min_age = p->warn = p->history = -1;
	return target_kv_parse(arg, "policy", target_kv_one, &c, err, size);
}
