/*
 * mkcity.c -- the synthetic city behind the lockout benchmarks and the
 * crash test: a data directory whose IDs live on one system, made through
 * the real actions, and for a unix system the account files they are on.
 *
 *	mkcity unix DIR ROOT LINES N	ROOT/etc/{passwd,shadow,group,gshadow}
 *					of LINES lines each (root, then
 *					u00001, u00002, ...), N of the
 *					accounts, spread evenly, registered
 *	mkcity manual DIR PEOPLE IDS	PEOPLE people and IDS personal IDs
 *					on manual systems city-1, city-2, ...
 *					(the HR benchmark's city)
 *	mkcity ldap DIR CONFFILE N	an ldap system configured by CONFFILE
 *					(key=value lines) with user0001 ..
 *					userN registered, as tests/env-slapd.sh
 *					names its users
 *
 * DIR is made by core_init.  core_seed_demo adds the demo operators
 * (demo-admin, demo-approver, demo-auditor) and N synthetic people; the
 * system "city" comes from system.add (admin and approver), and each
 * account from id.adopt, a personal ID of its own person, MKCITY_BATCH to
 * a transaction.  Every step is an ordinary ledger entry, so the
 * directory verifies and replays like any other.  The system's
 * configuration names ROOT, so a copy of the two is used at the same
 * paths (the crash test and the benchmark move copies into place).
 *
 * Prints "name value" lines: mkcity.ids, mkcity.lines, mkcity.entries,
 * mkcity.seconds.  Every account file line and every person is made up.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"
#include "store.h"
#include "core.h"

#define MKCITY_SYSTEM	"city"
#define MKCITY_BATCH	1000		/* id.adopt entries per transaction */
#define MKCITY_MAX	100000		/* lines: logins up to u99999 */
#define MKCITY_CONF_MAX	4096		/* a ledger value's limit */
#define MKCITY_PASSWORD	"city-synthetic-password"

static DAICHO_NORETURN void
die(const char *what, char *cause)
{
	fprintf(stderr, "mkcity: %s: %s\n", what, cause);
	free(cause);
	exit(1);
}

static DAICHO_NORETURN void
die_errno(const char *what)
{
	fprintf(stderr, "mkcity: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long long
count_arg_max(const char *s, long long min, long long max)
{
	long long	 v;
	const char	*errstr;

	if (number_parse(s, min, max, &v, &errstr) != 0) {
		fprintf(stderr, "mkcity: count %s is %s\n", s, errstr);
		exit(2);
	}
	return v;
}

static long long
count_arg(const char *s, long long min)
{
	return count_arg_max(s, min, MKCITY_MAX);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Which of u00001 .. u(users) are registered: all but every stride-th
 * (up to users - n of them), so the unregistered ones sit between
 * registered neighbours and a target that touched a neighbour's line
 * would show.  A stride of 0 registers all.
 */
static long long
city_stride(long long users, long long n)
{
	return users > n ? users / (users - n) : 0;
}

static int
city_registered(long long k, long long stride, long long *skipped,
    long long unregistered)
{
	if (stride != 0 && k % stride == 0 && *skipped < unregistered) {
		(*skipped)++;
		return 0;
	}
	return 1;
}

/* path/name opened for writing with mode; dies on failure. */
static FILE *
city_open(const char *dir, const char *name, mode_t mode)
{
	char	*path;
	FILE	*f;
	int	 fd;

	xasprintf(&path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd == -1 || fchmod(fd, mode) == -1 ||
	    (f = fdopen(fd, "w")) == NULL)
		die_errno(path);
	free(path);
	return f;
}

static void
city_close(FILE *f, const char *name)
{
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0)
		die_errno(name);
}

/* Copy /etc/login.defs for usermod -P; a system without one has none. */
static void
city_login_defs(const char *etc)
{
	char	 buf[8192];
	size_t	 n;
	FILE	*in, *out;

	if ((in = fopen("/etc/login.defs", "re")) == NULL)
		return;
	out = city_open(etc, "login.defs", 0644);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
		if (fwrite(buf, 1, n, out) != n)
			die_errno("login.defs");
	}
	fclose(in);
	city_close(out, "login.defs");
}

/*
 * ROOT/etc with lines lines in each account file: root, then u00001 ..
 * Homes are /nonexistent (pwck does not look for them) and the shell an
 * empty ROOT/bin/bash (pwck wants it to exist).  One synthetic password's
 * yescrypt hash serves every account: hashing 5,000 would take a minute.
 */
static void
city_root(const char *root, long long lines)
{
	struct crypt_data	*cd;
	char			 setting[CRYPT_GENSALT_OUTPUT_SIZE];
	char			*etc, *bin, *home, *hash;
	FILE			*pw, *sp, *gr, *gs;
	long long		 k;

	xasprintf(&etc, "%s/etc", root);
	xasprintf(&bin, "%s/bin", root);
	xasprintf(&home, "%s/root", root);
	if ((mkdir(root, 0755) == -1 && errno != EEXIST) ||
	    (mkdir(etc, 0755) == -1 && errno != EEXIST) ||
	    (mkdir(bin, 0755) == -1 && errno != EEXIST) ||
	    (mkdir(home, 0700) == -1 && errno != EEXIST))
		die_errno(root);
	city_close(city_open(bin, "bash", 0755), "bash");
	city_login_defs(etc);

	cd = xcalloc(1, sizeof *cd);
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, setting,
	    sizeof setting) == NULL ||
	    (hash = crypt_rn(MKCITY_PASSWORD, setting, cd,
	    sizeof *cd)) == NULL || hash[0] == '*')
		die_errno("crypt");
	pw = city_open(etc, "passwd", 0644);
	sp = city_open(etc, "shadow", 0640);
	gr = city_open(etc, "group", 0644);
	gs = city_open(etc, "gshadow", 0640);
	fprintf(pw, "root:x:0:0:root:/root:/bin/bash\n");
	fprintf(sp, "root:*:19000:0:99999:7:::\n");
	fprintf(gr, "root:x:0:\n");
	fprintf(gs, "root:*::\n");
	for (k = 1; k < lines; k++) {
		fprintf(pw, "u%05lld:x:%lld:%lld:City User %lld:/nonexistent:"
		    "/bin/bash\n", k, 1000 + k, 1000 + k, k);
		fprintf(sp, "u%05lld:%s:19000:0:99999:7:::\n", k, hash);
		fprintf(gr, "u%05lld:x:%lld:\n", k, 1000 + k);
		fprintf(gs, "u%05lld:!::\n", k);
	}
	city_close(pw, "passwd");
	city_close(sp, "shadow");
	city_close(gr, "group");
	city_close(gs, "gshadow");
	sodium_memzero(cd, sizeof *cd);
	free(cd);
	free(etc);
	free(bin);
	free(home);
}

/* The data directory, its operators and n people, and the system. */
static struct store *
city_store(const char *dir, long long n, const char *type,
    const char *config)
{
	struct core_actor	 pair = { CORE_DEMO_ADMIN, CORE_DEMO_APPROVER };
	struct store_args	 a = { 0 };
	struct store		*s;
	char			*cause = NULL, *vkey = NULL;

	if ((s = core_init(dir, &vkey, &cause)) == NULL)
		die(dir, cause);
	free(vkey);
	if (core_seed_demo(s, (unsigned)n, &cause) != 0)
		die("seed-demo", cause);
	store_args_add(&a, "name", MKCITY_SYSTEM);
	store_args_add(&a, "type", type);
	store_args_add(&a, "title", "合成市 (synthetic city)");
	store_args_add(&a, "conf", "2");
	store_args_add(&a, "integ", "2");
	store_args_add(&a, "avail", "2");
	store_args_add(&a, "config", config);
	if (core_run(s, "system.add", &pair, &a, NULL, &cause) != 0)
		die("system.add", cause);
	return s;
}

/* id.adopt: login, a personal ID of person number person (from 1). */
static void
city_adopt(struct store *s, const char *login, long long person)
{
	struct core_actor	 admin = { CORE_DEMO_ADMIN, NULL };
	struct store_args	 a = { 0 };
	char			 owner[32], *cause = NULL;

	/* core_seed_demo's people are E0000001, E0000002, ... */
	snprintf(owner, sizeof owner, "E%07lld", person);
	store_args_add(&a, "system", MKCITY_SYSTEM);
	store_args_add(&a, "login", login);
	store_args_add(&a, "kind", "personal");
	store_args_add(&a, "owner", owner);
	if (core_run(s, "id.adopt", &admin, &a, NULL, &cause) != 0)
		die(login, cause);
}

static void
city_begin(struct store *s)
{
	char	*cause = NULL;

	if (core_begin(s, &cause) != 0)
		die("begin", cause);
}

static void
city_commit(struct store *s)
{
	char	*cause = NULL;

	if (core_commit(s, &cause) != 0)
		die("commit", cause);
}

static void
city_done(struct store *s, long long ids, long long lines, double t0)
{
	uint64_t	 size;
	char		*cause = NULL;

	if (store_ledger_size(s, &size, &cause) != 0)
		die("size", cause);
	store_close(s);
	printf("mkcity.ids %lld\n", ids);
	printf("mkcity.lines %lld\n", lines);
	printf("mkcity.entries %llu\n", (unsigned long long)size);
	printf("mkcity.seconds %.2f\n", now() - t0);
}

static int
cmd_unix(const char *dir, const char *root, long long lines, long long n)
{
	struct store	*s;
	char		*config, login[32];
	long long	 users = lines - 1, stride, skipped = 0, k, done = 0;
	double		 t0 = now();

	if (n > users) {
		fprintf(stderr, "mkcity: %lld IDs do not fit in %lld lines "
		    "(root is one)\n", n, lines);
		return 2;
	}
	if (root[0] != '/') {
		fprintf(stderr, "mkcity: ROOT must be an absolute path\n");
		return 2;
	}
	city_root(root, lines);
	xasprintf(&config, "root=%s", root);
	s = city_store(dir, n, "unix", config);
	free(config);
	stride = city_stride(users, n);
	for (k = 1; k <= users; k++) {
		if (!city_registered(k, stride, &skipped, users - n))
			continue;
		if (done % MKCITY_BATCH == 0)
			city_begin(s);
		snprintf(login, sizeof login, "u%05lld", k);
		city_adopt(s, login, ++done);
		if (done % MKCITY_BATCH == 0)
			city_commit(s);
	}
	if (done % MKCITY_BATCH != 0)
		city_commit(s);
	if (done != n) {
		fprintf(stderr, "mkcity: registered %lld, not %lld\n", done,
		    n);
		return 1;
	}
	city_done(s, n, lines, t0);
	return 0;
}

static int
cmd_ldap(const char *dir, const char *conffile, long long n)
{
	struct store	*s;
	char		 config[MKCITY_CONF_MAX + 1], login[32];
	size_t		 len;
	long long	 k;
	double		 t0 = now();
	FILE		*f;

	if (n > 9999) {
		fprintf(stderr, "mkcity: env-slapd names at most 9999 users\n");
		return 2;
	}
	if ((f = fopen(conffile, "re")) == NULL)
		die_errno(conffile);
	len = fread(config, 1, sizeof config, f);
	if (ferror(f) || len > MKCITY_CONF_MAX) {
		fprintf(stderr, "mkcity: %s: unreadable or over %d bytes\n",
		    conffile, MKCITY_CONF_MAX);
		return 1;
	}
	fclose(f);
	while (len > 0 && config[len - 1] == '\n')
		len--;
	config[len] = '\0';
	s = city_store(dir, n, "ldap", config);
	for (k = 1; k <= n; k++) {
		if ((k - 1) % MKCITY_BATCH == 0)
			city_begin(s);
		snprintf(login, sizeof login, "user%04lld", k);
		city_adopt(s, login, k);
		if (k % MKCITY_BATCH == 0 || k == n)
			city_commit(s);
	}
	city_done(s, n, 0, t0);
	return 0;
}

/*
 * The HR benchmark's city: people persons and ids personal IDs, spread
 * over as many manual systems (city-1, city-2, ...) as it takes to give
 * each person at most one ID on each.  Manual systems need no account
 * files: the findings against the IDs are the ledger's own.
 */
static int
cmd_manual(const char *dir, long long people, long long ids)
{
	struct core_actor	 pair = { CORE_DEMO_ADMIN, CORE_DEMO_APPROVER };
	struct core_actor	 admin = { CORE_DEMO_ADMIN, NULL };
	struct store_args	 a;
	struct store		*s;
	char			*cause = NULL, *vkey = NULL, name[32], owner[32];
	char			 login[32];
	long long		 nsys = (ids + people - 1) / people, k, i;
	double			 t0 = now();

	if ((s = core_init(dir, &vkey, &cause)) == NULL)
		die(dir, cause);
	free(vkey);
	if (core_seed_demo(s, (unsigned)people, &cause) != 0)
		die("seed-demo", cause);
	for (i = 1; i <= nsys; i++) {
		memset(&a, 0, sizeof a);
		snprintf(name, sizeof name, "city-%lld", i);
		store_args_add(&a, "name", name);
		store_args_add(&a, "type", "manual");
		store_args_add(&a, "title", "合成市 (synthetic city)");
		store_args_add(&a, "conf", "2");
		store_args_add(&a, "integ", "2");
		store_args_add(&a, "avail", "2");
		store_args_add(&a, "config", "");
		if (core_run(s, "system.add", &pair, &a, NULL, &cause) != 0)
			die("system.add", cause);
	}
	for (k = 0; k < ids; k++) {
		if (k % MKCITY_BATCH == 0)
			city_begin(s);
		memset(&a, 0, sizeof a);
		snprintf(name, sizeof name, "city-%lld", k / people + 1);
		snprintf(owner, sizeof owner, "E%07lld", k % people + 1);
		snprintf(login, sizeof login, "p%07lld", k % people + 1);
		store_args_add(&a, "system", name);
		store_args_add(&a, "login", login);
		store_args_add(&a, "kind", "personal");
		store_args_add(&a, "owner", owner);
		if (core_run(s, "id.adopt", &admin, &a, NULL, &cause) != 0)
			die(login, cause);
		if ((k + 1) % MKCITY_BATCH == 0 || k + 1 == ids)
			city_commit(s);
	}
	city_done(s, ids, 0, t0);
	return 0;
}

int
main(int argc, char **argv)
{
	xmalloc_init();
	if (sodium_init() < 0)
		return 1;
	core_syslog_quiet(1);	/* a synthetic city: not the system's logs */
	if (argc == 6 && strcmp(argv[1], "unix") == 0)
		return cmd_unix(argv[2], argv[3], count_arg(argv[4], 2),
		    count_arg(argv[5], 1));
	if (argc == 5 && strcmp(argv[1], "ldap") == 0)
		return cmd_ldap(argv[2], argv[3], count_arg(argv[4], 1));
	if (argc == 5 && strcmp(argv[1], "manual") == 0)
		return cmd_manual(argv[2], count_arg_max(argv[3], 1, 9999999),
		    count_arg_max(argv[4], 1, 99999999));
	fprintf(stderr, "usage: mkcity unix DIR ROOT LINES N\n"
	    "       mkcity ldap DIR CONFFILE N\n"
	    "       mkcity manual DIR PEOPLE IDS\n");
	return 2;
}
