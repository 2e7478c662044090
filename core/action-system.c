/*
 * action-system.c -- systems: the targets where IDs live.  A system has a
 * type (how changes reach it), a confidentiality / integrity /
 * availability class that later policies key on, and its target
 * configuration.  The configuration is in the ledger, so it must never
 * hold a secret: keys that look like one are refused (a bind password
 * lives in a file named by bindpw_file).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

static const char *const system_types[] = {
	"unix", "ldap", "exec", "manual", NULL
};

int
core_system_name_ok(const char *s)
{
	size_t	 i, len = strlen(s);

	if (len == 0 || len > 32 || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	}
	return 1;
}

/* "key=value" lines with plain keys and no secrets in them. */
static int
system_config_ok(const char *config, char **cause)
{
	const char	*p, *nl, *eq;
	char		 key[64];
	size_t		 klen;
	int		 line = 0;

	for (p = config; *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		line++;
		nl = strchr(p, '\n');
		if ((nl != NULL ? nl : p + strlen(p)) == p)
			continue;
		eq = strchr(p, '=');
		if (eq == NULL || (nl != NULL && eq > nl)) {
			xasprintf(cause, _("system.add: config line %d is not "
			    "key=value"), line);
			return -1;
		}
		klen = (size_t)(eq - p);
		if (klen == 0 || klen >= sizeof key) {
			xasprintf(cause, _("system.add: config line %d has "
			    "a bad key"), line);
			return -1;
		}
		memcpy(key, p, klen);
		key[klen] = '\0';
		if (strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
		    klen) {
			xasprintf(cause, _("system.add: config key \"%s\" "
			    "is not [a-z0-9_]+"), key);
			return -1;
		}
		/* Secrets stay out of the ledger: name a file instead. */
		if ((strstr(key, "pw") != NULL || strstr(key, "pass") != NULL ||
		    strstr(key, "secret") != NULL) &&
		    strstr(key, "_file") == NULL) {
			xasprintf(cause, _("system.add: config key \"%s\" "
			    "looks like a secret; put it in a file and name "
			    "the file (%s_file=PATH)"), key, key);
			return -1;
		}
	}
	return 0;
}

static int
class_arg(struct core_run *run, const char *name, long long max,
    char **cause)
{
	const char	*v, *errstr;
	long long	 n;

	if (core_arg(run, name, &v, cause) != 0)
		return -1;
	if (number_parse(v, 1, max, &n, &errstr) != 0) {
		xasprintf(cause, _("system.add: %s must be 1 to %lld"), name,
		    max);
		return -1;
	}
	return 0;
}

static int
system_add_validate(struct core_run *run, char **cause)
{
	const char	*name, *type, *title, *config;
	size_t		 i;
	int		 yes;

	if (core_arg(run, "name", &name, cause) != 0 ||
	    core_arg(run, "type", &type, cause) != 0 ||
	    core_arg(run, "title", &title, cause) != 0 ||
	    class_arg(run, "conf", 3, cause) != 0 ||
	    class_arg(run, "integ", 2, cause) != 0 ||
	    class_arg(run, "avail", 2, cause) != 0)
		return -1;
	config = store_args_get(&run->args, "config");
	if (!core_system_name_ok(name)) {
		xasprintf(cause, _("system.add: \"%.40s\" is not a system name "
		    "(a-z, 0-9, '-', at most 32)"), name);
		return -1;
	}
	for (i = 0; system_types[i] != NULL; i++) {
		if (strcmp(system_types[i], type) == 0)
			break;
	}
	if (system_types[i] == NULL) {
		xasprintf(cause, _("system.add: type \"%.40s\" is not unix, "
		    "ldap, exec or manual"), type);
		return -1;
	}
	if (core_text_ok("system.add: title", 128, title, cause) != 0)
		return -1;
	if (config != NULL && system_config_ok(config, cause) != 0)
		return -1;
	if (core_exists(run->store, "SELECT 1 FROM system WHERE name = ?",
	    name, NULL, &yes, cause) != 0)
		return -1;
	if (yes) {
		xasprintf(cause, _("system.add: %s already exists"), name);
		return -1;
	}
	xasprintf(&run->subject, "system:%s", name);
	return 0;
}

static int
system_add_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	char			 idx[24];
	const char		*config = store_args_get(a, "config");

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "INSERT INTO system (name, type, title, conf, "
	    "integ, avail, config, added_idx) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    cause, 8, store_args_get(a, "name"), store_args_get(a, "type"),
	    store_args_get(a, "title"), store_args_get(a, "conf"),
	    store_args_get(a, "integ"), store_args_get(a, "avail"),
	    config != NULL ? config : "", idx);
}

static const struct core_param system_add_params[] = {
	{ "name", CORE_ARG_REQUIRED, N_("a-z, 0-9 and -, at most 32") },
	{ "type", CORE_ARG_REQUIRED, N_("unix, ldap, exec or manual") },
	{ "title", CORE_ARG_REQUIRED, N_("what the system is, for people") },
	{ "conf", CORE_ARG_REQUIRED, N_("confidentiality class, 1 to 3") },
	{ "integ", CORE_ARG_REQUIRED, N_("integrity class, 1 or 2") },
	{ "avail", CORE_ARG_REQUIRED, N_("availability class, 1 or 2") },
	{ "config", 0, N_("the target's key=value lines; no secrets (name a "
	    "file)") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_system_add = {
	.name = "system.add",
	.summary = N_("Register a system where IDs live (a target)"),
	.roles = CORE_ROLE_ADMIN,
	.flags = CORE_TWO_PERSON,
	.params = system_add_params,
	.validate = system_add_validate,
	.apply = system_add_apply,
};
