/*
 * config.c -- /etc/daicho/daicho.conf.
 *
 * One "key = value" a line; '#' starts a comment; blank lines are
 * ignored.  "banner = TEXT" may be repeated, one line of the banner each.
 * The file is checked as doas checks its configuration: a regular file,
 * owned by root or by the user running daicho, writable by nobody else.
 * Unknown keys and bad values are errors that name the line: a policy
 * file that is silently half-read is worse than none.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "core-int.h"

#define CONFIG_LINE_MAX	1024

enum config_kind { CONFIG_INT, CONFIG_STRING, CONFIG_BANNER, CONFIG_FACTORS };

/*
 * auth_factors: what an operator must present.  Each names the PAM
 * services it uses unless pam_service / pam_fallback_service say
 * otherwise; with both factors there is no password-only fallback.
 */
static const struct config_factors {
	const char	*name;
	const char	*service;
	const char	*fallback;
} config_factors[] = {
	[CORE_FACTORS_PASSWORD] = { "password", "daicho", "daicho" },
	[CORE_FACTORS_EITHER] = { "fingerprint-or-password",
	    "daicho-fingerprint", "daicho" },
	[CORE_FACTORS_BOTH] = { "fingerprint-and-password",
	    "daicho-fingerprint-and-password", NULL },
};
#define CONFIG_NFACTORS	(sizeof config_factors / sizeof config_factors[0])

static const struct config_key {
	const char	*name;
	enum config_kind kind;
	size_t		 offset;
	long long	 min, max;
} config_keys[] = {
	{ "banner", CONFIG_BANNER, offsetof(struct core_config, banner), 0, 0 },
	{ "login_attempts", CONFIG_INT,
	    offsetof(struct core_config, login_attempts), 0, 100 },
	{ "login_lockout_minutes", CONFIG_INT,
	    offsetof(struct core_config, lockout_minutes), 1, 1440 },
	{ "idle_lock_seconds", CONFIG_INT,
	    offsetof(struct core_config, idle_seconds), 0, 86400 },
	{ "module_timeout_seconds", CONFIG_INT,
	    offsetof(struct core_config, module_timeout), 5, 600 },
	{ "auth_factors", CONFIG_FACTORS,
	    offsetof(struct core_config, factors), 0, 0 },
	{ "pam_service", CONFIG_STRING,
	    offsetof(struct core_config, pam_service), 0, 0 },
	{ "pam_fallback_service", CONFIG_STRING,
	    offsetof(struct core_config, pam_fallback_service), 0, 0 },
#define HR_COLUMN(i, n)	{ "hr_column_" n, CONFIG_STRING,		\
	    offsetof(struct core_config, hr_column[i]), 0, 0 }
	HR_COLUMN(0, "employee_no"),
	HR_COLUMN(1, "name"),
	HR_COLUMN(2, "name_kana"),
	HR_COLUMN(3, "department"),
	HR_COLUMN(4, "position"),
	HR_COLUMN(5, "employment"),
	HR_COLUMN(6, "transfer_date"),
	HR_COLUMN(7, "retire_date"),
	HR_COLUMN(8, "status"),
	HR_COLUMN(9, "birth_date"),
#undef HR_COLUMN
	{ "hr_employment_regular", CONFIG_STRING,
	    offsetof(struct core_config, hr_employment[0]), 0, 0 },
	{ "hr_employment_fixed_term", CONFIG_STRING,
	    offsetof(struct core_config, hr_employment[1]), 0, 0 },
	{ "hr_employment_part_time", CONFIG_STRING,
	    offsetof(struct core_config, hr_employment[2]), 0, 0 },
	{ "hr_employment_contractor", CONFIG_STRING,
	    offsetof(struct core_config, hr_employment[3]), 0, 0 },
	{ "hr_status_active", CONFIG_STRING,
	    offsetof(struct core_config, hr_status[0]), 0, 0 },
	{ "hr_status_leave", CONFIG_STRING,
	    offsetof(struct core_config, hr_status[1]), 0, 0 },
	{ "hr_status_retired", CONFIG_STRING,
	    offsetof(struct core_config, hr_status[2]), 0, 0 },
	{ "hr_field_max", CONFIG_INT,
	    offsetof(struct core_config, hr_field_max), 16, 4096 },
	{ "hr_threshold_count", CONFIG_INT,
	    offsetof(struct core_config, hr_threshold_count), 0, 10000000 },
	{ "hr_threshold_percent", CONFIG_INT,
	    offsetof(struct core_config, hr_threshold_percent), 0, 100 },
	{ "dormant_days", CONFIG_INT,
	    offsetof(struct core_config, dormant_days), 1, 3650 },
	{ "leaver_grace_days", CONFIG_INT,
	    offsetof(struct core_config, leaver_grace_days), 0, 3650 },
};

/*
 * The words an HR export uses for each employment and status: the
 * common Japanese ones and daicho's own English names.  Configuration
 * replaces a list as a whole.
 */
static const char *const config_hr_employment[CORE_HR_NEMPLOYMENT] = {
	"正規職員,正規,regular",
	"任期付職員,再任用職員,fixed_term",
	"会計年度任用職員,臨時職員,非常勤職員,part_time",
	"委託,派遣,contractor",
};
static const char *const config_hr_status[CORE_HR_NSTATUS] = {
	"在職,active",
	"休職,育児休業,病気休暇,停職,leave",
	"退職,retired",
};

void
core_config_defaults(struct core_config *c)
{
	size_t	 i;

	memset(c, 0, sizeof *c);
	c->login_attempts = 5;
	c->lockout_minutes = 15;
	c->idle_seconds = 600;
	c->module_timeout = 60;
	c->pam_service = xstrdup("daicho");
	c->pam_fallback_service = xstrdup("daicho");
	for (i = 0; i < CORE_HR_NFIELDS; i++)
		c->hr_column[i] = xstrdup(core_hr_fields[i].header);
	for (i = 0; i < CORE_HR_NEMPLOYMENT; i++)
		c->hr_employment[i] = xstrdup(config_hr_employment[i]);
	for (i = 0; i < CORE_HR_NSTATUS; i++)
		c->hr_status[i] = xstrdup(config_hr_status[i]);
	c->hr_field_max = 256;
	c->hr_threshold_count = 20;
	c->hr_threshold_percent = 5;
	c->dormant_days = 90;
	c->leaver_grace_days = 30;
}

void
core_config_free(struct core_config *c)
{
	size_t	 i;

	free(c->banner);
	free(c->pam_service);
	free(c->pam_fallback_service);
	for (i = 0; i < CORE_HR_NFIELDS; i++)
		free(c->hr_column[i]);
	for (i = 0; i < CORE_HR_NEMPLOYMENT; i++)
		free(c->hr_employment[i]);
	for (i = 0; i < CORE_HR_NSTATUS; i++)
		free(c->hr_status[i]);
	memset(c, 0, sizeof *c);
}

static int
config_check_file(const char *path, int fd, char **cause)
{
	struct stat	 sb;

	if (fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		xasprintf(cause, _("%s: not a regular file"), path);
		return -1;
	}
	if (sb.st_uid != 0 && sb.st_uid != geteuid()) {
		xasprintf(cause, _("%s: owned by uid %lu; refusing it"), path,
		    (unsigned long)sb.st_uid);
		return -1;
	}
	if (sb.st_mode & (S_IWGRP | S_IWOTH)) {
		xasprintf(cause, _("%s: writable by others (mode %04o); "
		    "refusing it"), path, (unsigned)(sb.st_mode & 07777));
		return -1;
	}
	return 0;
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static int
config_set(struct core_config *c, const struct config_key *k,
    const char *value, const char *path, int line, char **cause)
{
	char		**sp = (char **)((char *)c + k->offset), *tmp;
	int		 *ip = (int *)((char *)c + k->offset);
	long long	  v;
	const char	 *errstr;

	switch (k->kind) {
	case CONFIG_INT:
		if (number_parse(value, k->min, k->max, &v, &errstr) != 0) {
			xasprintf(cause, _("%s:%d: %s must be a number from "
			    "%lld to %lld"), path, line, k->name, k->min,
			    k->max);
			return -1;
		}
		*ip = (int)v;
		return 0;
	case CONFIG_STRING:
		if (*value == '\0') {
			xasprintf(cause, _("%s:%d: %s is empty"), path, line,
			    k->name);
			return -1;
		}
		free(*sp);
		*sp = xstrdup(value);
		return 0;
	case CONFIG_FACTORS:
		for (v = 0; v < (long long)CONFIG_NFACTORS; v++) {
			if (strcmp(value, config_factors[v].name) == 0) {
				*ip = (int)v;
				return 0;
			}
		}
		xasprintf(cause, _("%s:%d: %s must be password, "
		    "fingerprint-or-password or fingerprint-and-password"),
		    path, line, k->name);
		return -1;
	case CONFIG_BANNER:
		if (*sp == NULL)
			*sp = xstrdup(value);
		else {
			xasprintf(&tmp, "%s\n%s", *sp, value);
			free(*sp);
			*sp = tmp;
		}
		return 0;
	}
	return -1;
}

/*
 * The PAM services auth_factors names, where the file did not name its
 * own; a password-only fallback contradicts fingerprint-and-password.
 */
static int
config_services(struct core_config *c, const char *path, int service_line,
    int fallback_line, char **cause)
{
	const struct config_factors	*cf = &config_factors[c->factors];

	if (c->factors == CORE_FACTORS_BOTH && fallback_line != 0) {
		xasprintf(cause, _("%s:%d: pam_fallback_service: "
		    "auth_factors = %s has no password-only fallback"), path,
		    fallback_line, cf->name);
		return -1;
	}
	if (service_line == 0) {
		free(c->pam_service);
		c->pam_service = xstrdup(cf->service);
	}
	if (fallback_line == 0) {
		free(c->pam_fallback_service);
		c->pam_fallback_service = xstrdup(cf->fallback != NULL ?
		    cf->fallback : c->pam_service);
	}
	return 0;
}

int
core_config_parse(FILE *f, const char *path, struct core_config *c,
    char **cause)
{
	const struct config_key	*k;
	char			 buf[CONFIG_LINE_MAX + 2], *p, *eq, *key;
	size_t			 i;
	int			 line = 0, service_line = 0, fallback_line = 0;
	const unsigned char	*u;

	while (fgets(buf, sizeof buf, f) != NULL) {
		line++;
		if (strchr(buf, '\n') == NULL && !feof(f)) {
			xasprintf(cause, _("%s:%d: line too long"), path, line);
			return -1;
		}
		buf[strcspn(buf, "\n")] = '\0';
		for (u = (const unsigned char *)buf; *u != '\0'; u++) {
			if ((*u < 0x20 && *u != '\t') || *u == 0x7f) {
				xasprintf(cause, _("%s:%d: control character"),
				    path, line);
				return -1;
			}
		}
		p = trim(buf);
		if (*p == '\0' || *p == '#')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			xasprintf(cause, _("%s:%d: expected key = value"), path,
			    line);
			return -1;
		}
		*eq = '\0';
		key = trim(p);
		for (i = 0; i < sizeof config_keys / sizeof config_keys[0];
		    i++) {
			if (strcmp(config_keys[i].name, key) == 0)
				break;
		}
		if (i == sizeof config_keys / sizeof config_keys[0]) {
			xasprintf(cause, _("%s:%d: unknown key \"%.40s\""),
			    path, line, key);
			return -1;
		}
		k = &config_keys[i];
		if (config_set(c, k, trim(eq + 1), path, line, cause) != 0)
			return -1;
		if (k->offset == offsetof(struct core_config, pam_service))
			service_line = line;
		if (k->offset == offsetof(struct core_config,
		    pam_fallback_service))
			fallback_line = line;
	}
	return config_services(c, path, service_line, fallback_line, cause);
}

int
core_config_load(const char *path, int must_exist, struct core_config *c,
    char **cause)
{
	FILE	*f;
	int	 fd, r;

	core_config_defaults(c);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && !must_exist)
			return 0;
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (config_check_file(path, fd, cause) != 0 ||
	    (f = fdopen(fd, "r")) == NULL) {
		if (*cause == NULL)
			xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		goto fail;
	}
	r = core_config_parse(f, path, c, cause);
	fclose(f);
	if (r == 0)
		return 0;
fail:
	core_config_free(c);
	return -1;
}
