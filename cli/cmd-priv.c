/*
 * cmd-priv.c -- privileged IDs with time limits from the command line:
 * daicho priv request|approve|reject|end|list|holders, and daicho
 * privileged, the register (特権ID管理台帳), printed or exported.
 *
 * Approving is the approver's own act: they authenticate as the operator
 * (--user) and the entry is in their name; the requester cannot approve
 * or reject their own request (core refuses it).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "cli.h"

struct priv_opts {
	struct cli_who	 w;
	const char	*reason;
	const char	*format;		/* text, csv, tsv */
	const char	*export;		/* FILE */
	const char	*encoding;
};

static int
priv_parse(int argc, char **argv, const char *cmd, struct priv_opts *o)
{
	static const struct option opts[] = {
		CLI_WHO_OPTIONS,
		{ "reason", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'F' },
		{ "export", required_argument, NULL, 'x' },
		{ "encoding", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch, r;

	memset(o, 0, sizeof *o);
	o->w.askpass = -1;
	o->format = "text";
	while ((ch = getopt_long(argc, argv, "d:u:a:f:r:F:x:e:", opts,
	    NULL)) != -1) {
		if ((r = cli_who_option(ch, optarg, &o->w)) == -1)
			return -1;
		if (r == 1)
			continue;
		switch (ch) {
		case 'r':
			o->reason = optarg;
			break;
		case 'F':
			o->format = optarg;
			break;
		case 'x':
			o->export = optarg;
			break;
		case 'e':
			o->encoding = optarg;
			break;
		default:
			cli_usage(cmd);
			return -1;
		}
	}
	return 0;
}

/* Open the store for a command that changes it, the operator signed in
 * with one of roles.  NULL after saying why. */
static struct store *
priv_open_auth(const struct priv_opts *o, int roles, const char *what)
{
	struct store	*s;
	char		*cause = NULL;

	if ((s = store_open(cli_dir(), 0, &cause)) == NULL) {
		cli_error("priv: %s", cause);
		free(cause);
		return NULL;
	}
	if (cli_auth_user(s, o->w.user, o->w.askpass, roles, what) != 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

/* Run action as the operator and drive the targets it queued. */
static int
priv_act(const struct priv_opts *o, int roles, const char *action,
    const struct store_args *args)
{
	struct core_actor	 actor = { o->w.user, NULL };
	struct store		*s;
	char			*cause = NULL;
	uint64_t		 idx;
	int			 ret = CLI_ERROR;

	if ((s = priv_open_auth(o, roles, action)) == NULL)
		return CLI_ERROR;
	if (core_run(s, action, &actor, args, &idx, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto out;
	}
	if (strcmp(action, "priv.request") == 0)
		cli_line(_("priv.request: request %llu is waiting for an "
		    "approver (daicho priv approve %llu)"),
		    (unsigned long long)idx, (unsigned long long)idx);
	else
		cli_line(_("%s: done"), action);
	ret = cli_outbox(s, idx) == 0 ? CLI_OK : CLI_BAD;
out:
	store_close(s);
	return ret;
}

/* priv request SYSTEM LOGIN MINUTES --reason TEXT --user NAME */
static int
priv_request(int argc, char **argv, const struct priv_opts *o)
{
	struct store_args	 a = { 0 };

	if (argc != 4 || o->reason == NULL || o->w.user == NULL)
		return cli_usage("priv");
	store_args_add(&a, "system", argv[1]);
	store_args_add(&a, "login", argv[2]);
	store_args_add(&a, "minutes", argv[3]);
	store_args_add(&a, "reason", o->reason);
	return priv_act(o, CORE_ROLE_ADMIN, "priv.request", &a);
}

/* priv approve|reject|end N ... */
static int
priv_decide(int argc, char **argv, const struct priv_opts *o)
{
	struct store_args	 a = { 0 };
	const char		*verb = argv[0], *reason = o->reason;
	long long		 n;
	int			 roles;

	if (argc != 2 || o->w.user == NULL)
		return cli_usage("priv");
	if (cli_number("request", argv[1], 1, INT64_MAX, &n) != 0)
		return CLI_ERROR;
	store_args_add(&a, "request", argv[1]);
	if (strcmp(verb, "approve") == 0) {
		roles = CORE_ROLE_APPROVER;
		if (reason != NULL)
			return cli_usage("priv");
	} else if (strcmp(verb, "reject") == 0) {
		roles = CORE_ROLE_APPROVER | CORE_ROLE_ADMIN;
		if (reason == NULL) {
			cli_error(_("priv reject: --reason TEXT: say why"));
			return CLI_ERROR;
		}
	} else {
		roles = CORE_ROLE_APPROVER | CORE_ROLE_ADMIN;
		if (reason == NULL)
			reason = "ended early";
	}
	if (reason != NULL)
		store_args_add(&a, "reason", reason);
	return priv_act(o, roles, strcmp(verb, "approve") == 0 ?
	    "priv.approve" : strcmp(verb, "reject") == 0 ? "priv.reject" :
	    "priv.end", &a);
}

/* "1h 05m 03s left" in the reader's words, or "-" when none is. */
static void
priv_left(int64_t left, char *buf, size_t len)
{
	if (left <= 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, _("%lldh %02lldm %02llds left"),
		    (long long)(left / 3600), (long long)(left / 60 % 60),
		    (long long)(left % 60));
}

static void
priv_list_one(void *arg, const struct core_priv_req *r)
{
	const int	*tsv = arg;
	char		 n[24], min[24], start[WHEN_MAX], end[WHEN_MAX];
	char		 left[80], who[160];
	const char	*f[11];
	int		 rejected = strcmp(r->state, "rejected") == 0;

	snprintf(n, sizeof n, "%llu", (unsigned long long)r->idx);
	snprintf(min, sizeof min, "%lld", (long long)r->minutes);
	start[0] = end[0] = '\0';
	if (r->start_at != 0) {
		when_local((time_t)r->start_at, 0, start, sizeof start);
		when_local((time_t)r->end_at, 0, end, sizeof end);
	}
	priv_left(r->left, left, sizeof left);
	if (*tsv) {
		f[0] = n;
		f[1] = r->state;
		f[2] = r->system;
		f[3] = r->login;
		f[4] = min;
		f[5] = r->requester;
		f[6] = r->approver;
		f[7] = start;
		f[8] = end;
		f[9] = r->reason;
		f[10] = r->note;
		cli_row(f, 11);
		return;
	}
	/* The state word stays as stored: it is what --state and tsv say. */
	cli_line(_("%s  %-9s %s on %s, %s min, by %s: %s"), n, r->state,
	    r->login, r->system, min, r->requester, r->reason);
	if (r->approver[0] != '\0') {
		snprintf(who, sizeof who, rejected ? _("rejected by %s") :
		    _("approved by %s"), r->approver);
		if (start[0] != '\0')
			cli_line(_("      %s, %s to %s"), who, start, end);
		else
			cli_line("      %s", who);
	}
	if (strcmp(r->state, "active") == 0)
		cli_line("      %s", left);
	if (r->note[0] != '\0' && rejected)
		cli_line(_("      why: %s"), r->note);
	else if (r->note[0] != '\0' && r->ended_by[0] != '\0')
		cli_line(_("      ended by %s: %s"), r->ended_by, r->note);
	else if (r->note[0] != '\0')
		cli_line(_("      ended: %s"), r->note);
}

static int
priv_list(const struct priv_opts *o)
{
	struct store	*s;
	char		*cause = NULL;
	size_t		 n;
	int		 tsv;

	if (strcmp(o->format, "text") != 0 && strcmp(o->format, "tsv") != 0)
		return cli_usage("priv");
	tsv = strcmp(o->format, "tsv") == 0;
	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("priv: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (core_priv_requests(s, NULL, time(NULL), priv_list_one, &tsv, &n,
	    &cause) != 0) {
		cli_error("priv list: %s", cause);
		free(cause);
		store_close(s);
		return CLI_ERROR;
	}
	if (n == 0 && !tsv)
		cli_line(_("no requests"));
	store_close(s);
	return CLI_OK;
}

struct priv_holders {
	char	 system[40];
};

static void
priv_holders_one(void *arg, const struct core_priv_holder *h)
{
	struct priv_holders	*x = arg;

	if (strcmp(x->system, h->system) != 0) {
		snprintf(x->system, sizeof x->system, "%s", h->system);
		if (h->max > 0)
			cli_line(_("%s: %lld privileged IDs in use, at most %d%s"),
			    h->system, (long long)h->in_use, h->max, h->over ?
			    _(" -- OVER THE MAXIMUM") : "");
		else
			cli_line(_("%s: %lld privileged IDs in use, no maximum"),
			    h->system, (long long)h->in_use);
	}
	cli_line("  %-*s %-9s %-9s %s %s (%s)", cli_pad(h->login, 20), h->login,
	    h->state, h->mode, h->owner[0] != '\0' ? h->owner : "-",
	    h->owner_name, h->owner[0] == '\0' ? _("no holder") :
	    h->contractor ? _("contractor") : _("staff"));
}

static int
priv_holders(void)
{
	struct priv_holders	 x;
	struct store		*s;
	char			*cause = NULL;
	size_t			 n;
	int			 r;

	memset(&x, 0, sizeof x);
	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("priv: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	r = core_priv_holders(s, priv_holders_one, &x, &n, &cause);
	store_close(s);
	if (r != 0) {
		cli_error("priv holders: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (n == 0)
		cli_line(_("no privileged IDs"));
	return CLI_OK;
}

int
cmd_priv(int argc, char **argv)
{
	struct priv_opts o;
	const char	*verb;

	if (priv_parse(argc, argv, "priv", &o) != 0)
		return CLI_ERROR;
	argc -= optind;
	argv += optind;
	if (argc < 1 || o.export != NULL || o.encoding != NULL)
		return cli_usage("priv");
	if (o.w.approver != NULL) {
		cli_error(_("priv: no second person here; the approver approves "
		    "in their own name (priv approve N --user APPROVER)"));
		return CLI_ERROR;
	}
	verb = argv[0];
	if (strcmp(verb, "request") == 0)
		return priv_request(argc, argv, &o);
	if (strcmp(verb, "approve") == 0 || strcmp(verb, "reject") == 0 ||
	    strcmp(verb, "end") == 0)
		return priv_decide(argc, argv, &o);
	if (argc != 1)
		return cli_usage("priv");
	if (strcmp(verb, "list") == 0)
		return priv_list(&o);
	if (strcmp(verb, "holders") == 0)
		return priv_holders();
	return cli_usage("priv");
}

/* --- daicho privileged: the register --- */

struct priv_print {
	int	 format;			/* 0 text, 1 csv, 2 tsv */
	char	*buf;				/* csv text */
	size_t	 len, cap;
};

static void
priv_csv(struct priv_print *p, const char *const *f)
{
	size_t	 i;

	for (i = 0; i < CORE_PRIV_NFIELDS; i++)
		csv_put(&p->buf, &p->len, &p->cap, f[i], strlen(f[i]),
		    i + 1 < CORE_PRIV_NFIELDS ? ',' : '\n');
}

/* One line of the register: label padded to 16 columns, then value. */
static void
priv_field(const char *label, const char *value)
{
	cli_line("  %-*s %s", cli_pad(label, 16), label, value);
}

/* The "; "-separated items of list, one line each after label. */
static void
priv_items(const char *label, const char *list)
{
	const char	*p = list, *e;
	char		*item;

	if (*list == '\0') {
		priv_field(label, _("none"));
		return;
	}
	for (; *p != '\0'; p = *e != '\0' ? e + 2 : e) {
		if ((e = strstr(p, "; ")) == NULL)
			e = p + strlen(p);
		item = xstrndup(p, (size_t)(e - p));
		priv_field(label, item);
		free(item);
		label = "";
	}
}

static void
priv_print_one(void *arg, const struct core_priv_entry *e)
{
	struct priv_print	*p = arg;
	const char		*f[CORE_PRIV_NFIELDS];
	char			 set[WHEN_MAX], by[WHEN_MAX + 200];

	core_priv_entry_fields(e, f);
	if (p->format == 1) {
		priv_csv(p, f);
		return;
	}
	if (p->format == 2) {
		cli_row(f, CORE_PRIV_NFIELDS);
		return;
	}
	/* The mode and state words stay as stored (the csv says them). */
	cli_line(_("%s on %s: %s, %s"), e->login, e->system, e->mode,
	    e->state);
	/* TRANSLATORS: the labels of daicho privileged, padded to 16 columns. */
	priv_field(_("initial name"), e->renamed ? _("changed") :
	    _("not changed"));
	priv_field(_("rights"), e->rights[0] != '\0' ? e->rights :
	    _("(not described)"));
	priv_field(_("purpose"), e->purpose[0] != '\0' ? e->purpose :
	    _("(not described)"));
	priv_field(_("manager"), e->manager[0] != '\0' ? e->manager :
	    _("(none named)"));
	priv_items(_("holders"), e->holders);
	priv_items(_("grants"), e->grants);
	if (e->password_set[0] != '\0') {
		when_local_utc(e->password_set, 0, set, sizeof set);
		snprintf(by, sizeof by, _("%s by %s"), set, e->password_set_by);
		priv_field(_("password set"), by);
	} else
		priv_field(_("password set"), _("not by daicho"));
	priv_field(_("last review"), e->reviewed[0] != '\0' ? e->reviewed :
	    _("none yet"));
}

static int
privileged_print(int format)
{
	struct priv_print	 p;
	struct store		*s;
	char			*cause = NULL;
	size_t			 n;
	int			 r;

	memset(&p, 0, sizeof p);
	p.format = format;
	if ((s = store_open(cli_dir(), STORE_READONLY, &cause)) == NULL) {
		cli_error("privileged: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (format == 1)
		priv_csv(&p, core_priv_register_head);
	else if (format == 2)
		cli_row(core_priv_register_head, CORE_PRIV_NFIELDS);
	r = core_priv_register(s, priv_print_one, &p, &n, &cause);
	store_close(s);
	if (r != 0) {
		cli_error("privileged: %s", cause);
		free(cause);
		free(p.buf);
		return CLI_ERROR;
	}
	if (format == 1 && cli_exact(p.buf, p.len) != 0)
		r = -1;
	free(p.buf);
	if (format == 0 && n == 0)
		cli_line(_("no privileged IDs"));
	return r == 0 ? CLI_OK : CLI_ERROR;
}

/* --export FILE: two-person, recorded (core/export.c). */
static int
privileged_export(const struct priv_opts *o)
{
	struct core_export		 req;
	struct core_config		 cfg;
	struct core_actor		 actor = { NULL, NULL };
	struct core_export_result	 res;
	struct store			*s;
	char				*cause = NULL;
	int				 ret = CLI_ERROR;

	memset(&req, 0, sizeof req);
	req.what = CORE_EXPORT_PRIVILEGED;
	req.path = o->export;
	req.enc = CSV_UTF8;
	if (strcmp(o->format, "text") != 0 && strcmp(o->format, "csv") != 0 &&
	    strcmp(o->format, "tsv") != 0)
		return cli_usage("privileged");
	req.tsv = strcmp(o->format, "tsv") == 0;
	if (o->encoding != NULL && (csv_encoding_parse(o->encoding,
	    &req.enc) != 0 || req.enc == CSV_AUTO)) {
		cli_error(_("privileged: --encoding %s: utf-8 or cp932"),
		    o->encoding);
		return CLI_ERROR;
	}
	if (o->w.user == NULL)
		return cli_usage("privileged");
	if (o->w.approver == NULL) {
		cli_error(_("privileged: a bulk export is two-person: "
		    "--approver NAME"));
		return CLI_ERROR;
	}
	if (core_export_check(req.path, &cause) != 0) {
		cli_error("privileged: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if (core_config_load(cli_config(), 0, &cfg, &cause) != 0) {
		cli_error("privileged: %s", cause);
		free(cause);
		return CLI_ERROR;
	}
	if ((s = priv_open_auth(o, CORE_ROLE_ADMIN, "export")) == NULL) {
		core_config_free(&cfg);
		return CLI_ERROR;
	}
	if (cli_auth_approver(s, "data.export", &o->w, &actor.approver) != 0)
		goto out;
	actor.operator = o->w.user;
	if (core_export(s, &cfg, &req, &actor, &res, &cause) != 0) {
		cli_error("privileged: %s", cause);
		free(cause);
		if (res.unplaced)
			cli_error(_("privileged: entry %llu records the export, "
			    "but no file was left"),
			    (unsigned long long)res.entry);
		else
			cli_error(_("privileged: nothing was written"));
		core_export_result_free(&res);
		goto out;
	}
	cli_line(_("%s: %zu privileged IDs, %zu bytes, %s in %s"), res.path,
	    res.rows, res.bytes, req.tsv ? "tsv" : "csv",
	    csv_encoding_name(req.enc));
	cli_line("sha256 %s", res.sha256);
	cli_line(_("%s: entry %llu"), "data.export",
	    (unsigned long long)res.entry);
	core_export_result_free(&res);
	ret = CLI_OK;
out:
	store_close(s);
	core_config_free(&cfg);
	return ret;
}

int
cmd_privileged(int argc, char **argv)
{
	struct priv_opts o;

	if (priv_parse(argc, argv, "privileged", &o) != 0)
		return CLI_ERROR;
	if (optind != argc || o.reason != NULL)
		return cli_usage("privileged");
	if (o.export != NULL)
		return privileged_export(&o);
	if (o.w.user != NULL || o.w.approver != NULL || o.encoding != NULL)
		return cli_usage("privileged");
	if (strcmp(o.format, "text") == 0)
		return privileged_print(0);
	if (strcmp(o.format, "csv") == 0)
		return privileged_print(1);
	if (strcmp(o.format, "tsv") == 0)
		return privileged_print(2);
	return cli_usage("privileged");
}
