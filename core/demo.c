/*
 * demo.c -- a synthetic city through the normal actions.
 *
 * seed-demo is for the demo, the tests and the benchmarks: it makes the
 * three demo operators and n people, each as an ordinary ledger entry
 * run by the demo admin, so the demo's ledger verifies and replays like
 * any other.  core_seed_demo_ids then gives the city its systems and IDs:
 * a Linux server whose account files live in DIR/unix-root (so a lockout
 * can be tried without touching the machine's own /etc), created there by
 * the unix target through the outbox like any new ID, and the resident
 * registry, a manual system changed by work order.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "core-int.h"

#define DEMO_SEED	20261121
#define DEMO_BATCH	500		/* people per transaction */
#define DEMO_UNIX	"linux-honcho"
#define DEMO_MANUAL	"juki"
#define DEMO_PERSONAL	40		/* people with a personal ID */

static int
demo_operator(struct store *s, const struct core_actor *who,
    const char *name, const char *role, char **cause)
{
	struct store_args	 a = { 0 };

	store_args_add(&a, "name", name);
	store_args_add(&a, "role", role);
	return core_run(s, "operator.add", who, &a, NULL, cause);
}

static int
demo_person(struct store *s, const struct core_actor *who, uint64_t i,
    char **cause)
{
	struct core_synth_person p;
	struct store_args	 a = { 0 };

	core_synth_person(DEMO_SEED, i, &p);
	core_synth_args(&p, &a);
	return core_run(s, "person.add", who, &a, NULL, cause);
}

static int
demo_seed(struct store *s, unsigned people, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct core_actor	 admin = { CORE_DEMO_ADMIN, NULL };
	struct core_actor	 pair = { CORE_DEMO_ADMIN, CORE_DEMO_APPROVER };
	uint64_t		 size;
	unsigned		 i;

	if (store_ledger_size(s, &size, cause) != 0)
		return -1;
	if (size != 1) {
		xasprintf(cause, _("the ledger already holds %llu "
		    "entries; it fills only a freshly initialised directory"),
		    (unsigned long long)size);
		return -1;
	}
	/* The first admin by the system, the first approver by that admin. */
	if (demo_operator(s, &sys, CORE_DEMO_ADMIN, "admin", cause) != 0 ||
	    demo_operator(s, &admin, CORE_DEMO_APPROVER, "approver",
	    cause) != 0 ||
	    demo_operator(s, &pair, CORE_DEMO_AUDITOR, "auditor", cause) != 0)
		return -1;
	for (i = 0; i < people; i++) {
		if (i % DEMO_BATCH == 0 && core_begin(s, cause) != 0)
			return -1;
		if (demo_person(s, &admin, i, cause) != 0) {
			core_rollback(s);
			return -1;
		}
		if ((i + 1) % DEMO_BATCH == 0 || i + 1 == people) {
			if (core_commit(s, cause) != 0)
				return -1;
		}
	}
	return 0;
}

/* The OS's own accounts, as a fresh Debian install has them. */
static const struct {
	const char	*name, *file, *text;
} demo_files[] = {
	{ "passwd", "passwd", "root:x:0:0:root:/root:/bin/bash\n"
	    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	    "bin:x:2:2:bin:/bin:/usr/sbin/nologin\n"
	    "sys:x:3:3:sys:/dev:/usr/sbin/nologin\n"
	    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n" },
	{ "shadow", "shadow", "root:*:20000:0:99999:7:::\n"
	    "daemon:*:20000:0:99999:7:::\n"
	    "bin:*:20000:0:99999:7:::\n"
	    "sys:*:20000:0:99999:7:::\n"
	    "nobody:*:20000:0:99999:7:::\n" },
	{ "group", "group", "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\n"
	    "shadow:x:42:\nusers:x:100:\nnogroup:x:65534:\n" },
	{ "login.defs", "login.defs", "UID_MIN 2000\nUID_MAX 59999\n"
	    "GID_MIN 2000\nGID_MAX 59999\nNONEXISTENT /nonexistent\n" },
	{ "gshadow", "gshadow", "root:*::\ndaemon:*::\nbin:*::\nsys:*::\n"
	    "shadow:*::\nusers:*::\nnogroup:*::\n" },
};

/* Directories and (empty) shells the accounts name, so pwck is content. */
static const char *const demo_dirs[] = {
	"", "/etc", "/root", "/bin", "/dev", "/usr", "/usr/sbin", "/home", NULL
};
static const char *const demo_shells[] = {
	"/bin/bash", "/usr/sbin/nologin", NULL
};

/* ROOT/etc with the OS's accounts only; refuses to overwrite anything. */
static int
demo_unix_root(const char *root, char **cause)
{
	char	*path;
	FILE	*f;
	size_t	 i;
	int	 fd, r = 0;

	for (i = 0; demo_dirs[i] != NULL; i++) {
		xasprintf(&path, "%s%s", root, demo_dirs[i]);
		if (mkdir(path, i == 0 ? 0700 : 0755) == -1 &&
		    errno != EEXIST) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
		free(path);
	}
	for (i = 0; demo_shells[i] != NULL; i++) {
		xasprintf(&path, "%s%s", root, demo_shells[i]);
		if ((fd = open(path, O_WRONLY|O_CREAT|O_EXCL, 0755)) == -1 ||
		    close(fd) == -1) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
		free(path);
	}
	for (i = 0; r == 0 && i < sizeof demo_files / sizeof demo_files[0];
	    i++) {
		xasprintf(&path, "%s/etc/%s", root, demo_files[i].file);
		if ((f = fopen(path, "wx")) == NULL ||
		    fputs(demo_files[i].text, f) == EOF ||
		    fchmod(fileno(f), strstr(demo_files[i].file, "shadow") !=
		    NULL ? 0600 : 0644) == -1 || fsync(fileno(f)) == -1) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			r = -1;
		}
		if (f != NULL && fclose(f) == EOF && r == 0) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			r = -1;
		}
		free(path);
	}
	return r;
}

/* Run action as the demo admin with name=value pairs (NULL-terminated). */
static int
demo_act(struct store *s, const struct core_actor *who, const char *action,
    char **cause, ...)
{
	struct store_args	 a = { 0 };
	const char		*k, *v;
	va_list			 ap;

	va_start(ap, cause);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		store_args_add(&a, k, v);
	}
	va_end(ap);
	return core_run(s, action, who, &a, NULL, cause);
}

static int
demo_seed_ids(struct store *s, char **cause)
{
	struct core_actor	 admin = { CORE_DEMO_ADMIN, NULL };
	struct core_actor	 pair = { CORE_DEMO_ADMIN, CORE_DEMO_APPROVER };
	struct core_synth_person p[DEMO_PERSONAL];
	struct core_outbox_stats st;
	char			*root, *config, users[64];
	char			 login[sizeof p[0].employee_no];
	int64_t			 people = 0;
	size_t			 i, n;
	int			 r;

	if (store_query_int(s, "SELECT count(*) FROM person", &people,
	    cause) != 0)
		return -1;
	n = people < DEMO_PERSONAL ? (size_t)people : DEMO_PERSONAL;
	for (i = 0; i < n; i++)
		core_synth_person(DEMO_SEED, i, &p[i]);

	xasprintf(&root, "%s/unix-root", store_dir(s));
	r = demo_unix_root(root, cause);
	xasprintf(&config, "root=%s\nhome=/home\nshell=/bin/bash\n"
	    "uid_min=2000\nuid_max=59999\ncreate_home=yes\n", root);
	free(root);
	if (r == 0)
		r = demo_act(s, &pair, "system.add", cause, "name", DEMO_UNIX,
		    "type", "unix", "title", "本庁舎 Linux サーバ", "conf", "2",
		    "integ", "2", "avail", "2", "config", config, NULL);
	free(config);
	if (r != 0 || demo_act(s, &pair, "system.add", cause, "name",
	    DEMO_MANUAL, "type", "manual", "title", "住民基本台帳システム",
	    "conf", "3", "integ", "2", "avail", "2", NULL) != 0)
		return -1;

	if (core_begin(s, cause) != 0)
		return -1;
	for (i = 0; r == 0 && i < n; i++) {
		memcpy(login, p[i].employee_no, sizeof login);
		login[sizeof login - 1] = '\0';
		login[0] = 'e';
		r = demo_act(s, &admin, "id.create", cause, "system", DEMO_UNIX,
		    "login", login, "kind", "personal", "owner",
		    p[i].employee_no, "name", p[i].name_kanji, NULL);
		/* The registry's accounts were there before daicho. */
		if (r == 0 && strcmp(p[i].department, "市民課") == 0)
			r = demo_act(s, &admin, "id.adopt", cause, "system",
			    DEMO_MANUAL, "login", login, "kind", "personal",
			    "owner", p[i].employee_no, NULL);
	}
	if (r == 0 && n >= 4) {
		snprintf(users, sizeof users, "%s,%s,%s", p[1].employee_no,
		    p[2].employee_no, p[3].employee_no);
		r = demo_act(s, &admin, "id.create", cause, "system", DEMO_UNIX,
		    "login", "madoguchi", "kind", "shared", "users", users,
		    "name", "窓口共用", NULL);
	}
	if (r == 0 && n >= 8)
		r = demo_act(s, &admin, "id.create", cause, "system", DEMO_UNIX,
		    "login", "adm-e0000002", "kind", "privileged", "owner",
		    p[1].employee_no, "end_date", "2027-03-31", "name",
		    "特権 (期限付き)", "priv_mode", "standing", "rights",
		    "sudo ALL", "purpose", "サーバ保守", "manager",
		    p[2].employee_no, NULL);
	if (r == 0 && n >= 8)
		r = demo_act(s, &admin, "id.create", cause, "system", DEMO_UNIX,
		    "login", "itaku-01", "kind", "contractor", "owner",
		    p[7].employee_no, "sponsor", p[2].employee_no, "end_date",
		    "2027-03-31", "name", "委託業者", NULL);
	if (r == 0)
		r = demo_act(s, &admin, "id.create", cause, "system", DEMO_UNIX,
		    "login", "backup", "kind", "service", "name",
		    "バックアップ", NULL);
	if (r == 0)
		r = demo_act(s, &admin, "id.create", cause, "system", DEMO_UNIX,
		    "login", "breakglass", "kind", "service", "name", "緊急用",
		    NULL);
	/* Exempt from "lock all": a decision for two people. */
	if (r == 0)
		r = demo_act(s, &pair, "id.break_glass", cause, "system",
		    DEMO_UNIX, "login", "breakglass", "break_glass", "1", NULL);
	/* A new registry ID: a work order for the registry's staff. */
	if (r == 0 && n >= 1)
		r = demo_act(s, &admin, "id.create", cause, "system",
		    DEMO_MANUAL, "login", "juki-kanri", "kind", "service",
		    "name", "住基 管理端末", NULL);
	if (r != 0) {
		core_rollback(s);
		return -1;
	}
	if (core_commit(s, cause) != 0)
		return -1;
	/* The accounts appear on the Linux server; passwords are dropped. */
	return core_outbox_run(s, &st, cause);
}

/*
 * The synthetic city is nobody's real account: its making is not told
 * to the system's logs (core_syslog_quiet), only to its own ledger.
 */
int
core_seed_demo(struct store *s, unsigned people, char **cause)
{
	int	 was = core_syslog_quiet(1), r;

	r = demo_seed(s, people, cause);
	core_syslog_quiet(was);
	return r;
}

int
core_seed_demo_ids(struct store *s, char **cause)
{
	int	 was = core_syslog_quiet(1), r;

	r = demo_seed_ids(s, cause);
	core_syslog_quiet(was);
	return r;
}
