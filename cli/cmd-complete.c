/*
 * cmd-complete.c -- "daicho __complete CWORD WORD...", for the shell's
 * completion (etc/bash-completion/daicho): the candidates for WORD[CWORD]
 * of the command line WORD[0] WORD[1] ..., one a line, those beginning
 * with what is typed already.  Hidden: not in the command table.
 *
 * What a word may be comes from the tables daicho already has, so that
 * completion cannot drift from what is accepted:
 *   - commands from cli_cmds; each command's options, sub-words (add,
 *     list, export, ...) and placeholders (SYSTEM, LOGIN, ACTION, ROLE,
 *     NAME) from its usage line, read as a small grammar: alternatives
 *     are separated by " | " outside brackets, an option takes a value
 *     when a word follows it inside the same brackets, and a value like
 *     text|tsv or person:N|department:D lists its choices;
 *   - action names, and an action's argument names as "name=", from
 *     core's action table (those daicho makes itself are left out);
 *   - system names, a system's logins and operators from the database,
 *     opened read-only, only when a name is wanted: no PAM, no entry,
 *     and a directory that is missing or unreadable gives no names.
 * Errors are never printed: a completion says nothing rather than
 * writing into the command line being typed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core.h"
#include "store.h"
#include "cli.h"

#define COMPLETE_MAX	500		/* candidates printed at most */
#define COMPLETE_ALTS	16		/* alternatives of one usage */
#define COMPLETE_TOKS	48		/* words of one alternative */
#define COMPLETE_POS	16		/* positional words looked at */

struct complete {
	const char	*cur;			/* the word being completed */
	const char	*dir;			/* --dir given, or NULL */
	const char	*system;		/* --system or system= given */
	struct store	*store;			/* opened on first need */
	int		 tried;
	char		*seen[COMPLETE_MAX];	/* printed, to print once */
	size_t		 n;
};

/* One alternative of a usage line. */
struct complete_alt {
	const char	*pos[COMPLETE_TOKS];	/* positional specs */
	size_t		 npos;
	int		 kv;			/* takes NAME=VALUE words */
};

/* The usage of a command, read. */
struct complete_usage {
	char		*copy;			/* owns every string below */
	struct complete_alt alt[COMPLETE_ALTS];
	size_t		 nalt;
	const char	*opt[COMPLETE_TOKS];	/* "--user" */
	const char	*val[COMPLETE_TOKS];	/* its value's spec, or NULL */
	size_t		 nopt;
};

/* Print prefix word when it begins with the word typed, once. */
static void
complete_put(struct complete *c, const char *prefix, const char *word)
{
	char		*full;
	const char	*p;
	size_t		 i;

	xasprintf(&full, "%s%s", prefix, word);
	for (p = full; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			break;		/* no word the shell would split */
	}
	if (*p != '\0' || strncmp(full, c->cur, strlen(c->cur)) != 0 ||
	    c->n == COMPLETE_MAX) {
		free(full);
		return;
	}
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->seen[i], full) == 0) {
			free(full);
			return;
		}
	}
	puts(full);
	c->seen[c->n++] = full;
}

struct complete_cb {
	struct complete	*c;
	const char	*prefix;
};

static void
complete_name_cb(void *arg, const char *name)
{
	struct complete_cb	*cb = arg;

	complete_put(cb->c, cb->prefix, name);
}

/* Names of what from the database, after prefix. */
static void
complete_names(struct complete *c, const char *prefix,
    enum core_complete_what what, const char *system)
{
	struct complete_cb	 cb = { c, prefix };
	char			*cause = NULL;
	size_t			 len = strlen(prefix);

	if (strncmp(c->cur, prefix, len) != 0 || (what == CORE_COMPLETE_LOGIN &&
	    system == NULL))
		return;
	if (!c->tried) {
		c->tried = 1;
		c->store = store_open(c->dir != NULL ? c->dir : cli_dir(),
		    STORE_READONLY, &cause);
		free(cause);
		cause = NULL;
	}
	if (c->store == NULL)
		return;
	if (core_complete(c->store, what, system, c->cur + len,
	    COMPLETE_MAX, complete_name_cb, &cb, &cause) != 0)
		free(cause);
}

/* Whether spec is a placeholder: capitals, digits and '_' only. */
static int
complete_placeholder(const char *spec)
{
	if (*spec < 'A' || *spec > 'Z')
		return 0;
	for (; *spec != '\0'; spec++) {
		if (!((*spec >= 'A' && *spec <= 'Z') ||
		    (*spec >= '0' && *spec <= '9') || *spec == '_'))
			return 0;
	}
	return 1;
}

/* The choices of a literal spec: "text|tsv", "person:N|all", "a,b:S". */
static void
complete_choices(struct complete *c, const char *spec)
{
	char	 piece[64];
	size_t	 i, n;

	for (i = 0; spec[i] != '\0'; i += n + (spec[i + n] != '\0')) {
		n = strcspn(spec + i, "|,");
		if (n == 0 || n >= sizeof piece)
			continue;
		memcpy(piece, spec + i, n);
		piece[n] = '\0';
		if (strchr(piece, ':') != NULL) {
			strchr(piece, ':')[1] = '\0';
			/* "system:" typed: the systems, not the word again. */
			if (strncmp(c->cur, piece, strlen(piece)) == 0) {
				if (strcmp(piece, "system:") == 0)
					complete_names(c, piece,
					    CORE_COMPLETE_SYSTEM, NULL);
				continue;
			}
		}
		if (piece[0] >= 'a' && piece[0] <= 'z')
			complete_put(c, "", piece);
	}
}

/* Every action a person may run ("act"), by name. */
static void
complete_actions(struct complete *c)
{
	const struct core_action *const *a;

	for (a = core_actions; *a != NULL; a++) {
		if (!((*a)->flags & CORE_INTERNAL))
			complete_put(c, "", (*a)->name);
	}
}

/*
 * The word for spec, a placeholder or choices; before is the positional
 * word before it (a LOGIN's system), or NULL.
 */
static void
complete_spec(struct complete *c, const char *spec, const char *before,
    const char *opt)
{
	int	 bit;

	if (!complete_placeholder(spec)) {
		complete_choices(c, spec);
		return;
	}
	if (strcmp(spec, "SYSTEM") == 0 || strcmp(spec, "S") == 0)
		complete_names(c, "", CORE_COMPLETE_SYSTEM, NULL);
	else if (strcmp(spec, "LOGIN") == 0 || strcmp(spec, "L") == 0)
		complete_names(c, "", CORE_COMPLETE_LOGIN, opt != NULL ?
		    c->system : before);
	else if (strcmp(spec, "ACTION") == 0)
		complete_actions(c);
	else if (strcmp(spec, "ROLE") == 0) {
		for (bit = CORE_ROLE_ADMIN; bit <= CORE_ROLE_AUDITOR; bit <<= 1)
			complete_put(c, "", core_role_name(bit));
	} else if (strcmp(spec, "NAME") == 0 && (opt != NULL ||
	    before == NULL || strcmp(before, "add") != 0))
		complete_names(c, "", CORE_COMPLETE_OPERATOR, NULL);
}

/* Split the copy's alternative s into tokens, noting options and specs. */
static void
complete_alt_read(struct complete_usage *u, struct complete_alt *alt,
    char *s, const char *cmd)
{
	char	*raw[COMPLETE_TOKS], *t, *save = NULL;
	size_t	 n = 0, i, len;
	int	 flag;

	for (t = strtok_r(s, " ", &save); t != NULL && n < COMPLETE_TOKS;
	    t = strtok_r(NULL, " ", &save))
		raw[n++] = t;
	for (i = 0; i < n; i++) {
		t = raw[i];
		len = strlen(t);
		/* "[--yes]": the bracket closes on the option, no value. */
		flag = len > 0 && (t[len - 1] == ']' || t[len - 1] == ')');
		while (*t == '[' || *t == '(')
			t++;
		len = strlen(t);
		while (len > 0 && (t[len - 1] == ']' || t[len - 1] == ')'))
			t[--len] = '\0';
		if (len == 0 || strcmp(t, "...") == 0 || strcmp(t, "|") == 0)
			continue;
		if (t[0] == '-') {
			if (u->nopt == COMPLETE_TOKS)
				continue;
			u->opt[u->nopt] = t;
			u->val[u->nopt] = NULL;
			if (!flag && i + 1 < n && strchr("-[(|", raw[i + 1][0])
			    == NULL) {
				u->val[u->nopt] = raw[++i];
				len = strlen(raw[i]);
				while (len > 0 && (raw[i][len - 1] == ']' ||
				    raw[i][len - 1] == ')'))
					raw[i][--len] = '\0';
			}
			u->nopt++;
		} else if (strchr(t, '=') != NULL)
			alt->kv = 1;
		else if (!(alt->npos == 0 && strcmp(t, cmd) == 0))
			alt->pos[alt->npos++] = t;
	}
}

/* Read a command's usage line into u (free u->copy after). */
static void
complete_usage_read(struct complete_usage *u, const struct cli_cmd *cmd)
{
	char	*s, *start;
	int	 depth = 0;

	memset(u, 0, sizeof *u);
	u->copy = xstrdup(cmd->usage);
	start = u->copy;
	for (s = u->copy; *s != '\0'; s++) {
		if (*s == '[' || *s == '(')
			depth++;
		else if (*s == ']' || *s == ')')
			depth--;
		else if (depth == 0 && strncmp(s, " | ", 3) == 0 &&
		    u->nalt < COMPLETE_ALTS - 1) {
			*s = '\0';
			complete_alt_read(u, &u->alt[u->nalt++], start,
			    cmd->name);
			start = s + 3;
			s += 2;
		}
	}
	complete_alt_read(u, &u->alt[u->nalt++], start, cmd->name);
}

/* The spec of option o in u: -1 when unknown, 0 a flag, 1 a value. */
static int
complete_opt(const struct complete_usage *u, const char *o,
    const char **spec)
{
	size_t	 i;

	*spec = NULL;
	if (strcmp(o, "--dir") == 0 || strcmp(o, "-d") == 0)
		return 1;
	for (i = 0; i < u->nopt; i++) {
		if (strcmp(u->opt[i], o) == 0) {
			*spec = u->val[i];
			return *spec != NULL;
		}
	}
	return -1;
}

/* act ACTION NAME=VALUE: the action's argument names, or values. */
static void
complete_args(struct complete *c, const char *action, char **w, int from,
    int cword)
{
	const struct core_action *a = core_action_find(action);
	const struct core_param	*p;
	char			 given[40];
	int			 i, dup;

	if (a == NULL || a->params == NULL)
		return;
	if (strncmp(c->cur, "system=", 7) == 0)
		complete_names(c, "system=", CORE_COMPLETE_SYSTEM, NULL);
	else if (strncmp(c->cur, "login=", 6) == 0)
		complete_names(c, "login=", CORE_COMPLETE_LOGIN, c->system);
	if (strchr(c->cur, '=') != NULL)
		return;
	for (p = a->params; p->name != NULL; p++) {
		if (p->flags & CORE_ARG_MADE)
			continue;
		snprintf(given, sizeof given, "%s=", p->name);
		for (i = from, dup = 0; i < cword; i++)
			dup |= strncmp(w[i], given, strlen(given)) == 0;
		if (!dup)
			complete_put(c, "", given);
	}
}

/* The word after the command cmd at w[ci]. */
static void
complete_command(struct complete *c, const struct cli_cmd *cmd, char **w,
    int ci, int cword)
{
	struct complete_usage	 u;
	const struct complete_alt *alt;
	const char		*pos[COMPLETE_POS], *spec;
	size_t			 npos = 0, a, k, i;
	int			 j, r, fits;

	complete_usage_read(&u, cmd);
	for (j = ci + 1; j < cword; j++) {
		if (w[j][0] == '-') {
			if (strchr(w[j], '=') != NULL)
				continue;
			if ((r = complete_opt(&u, w[j], &spec)) == 1 &&
			    j + 1 < cword) {
				if (strcmp(w[j], "--dir") == 0)
					c->dir = w[j + 1];
				else if (strcmp(w[j], "--system") == 0)
					c->system = w[j + 1];
				j++;
			}
		} else if (strncmp(w[j], "system=", 7) == 0)
			c->system = w[j] + 7;
		else if (strchr(w[j], '=') == NULL && npos < COMPLETE_POS)
			pos[npos++] = w[j];
	}
	if (cword - 1 > ci && w[cword - 1][0] == '-' &&
	    complete_opt(&u, w[cword - 1], &spec) == 1) {
		if (spec != NULL)
			complete_spec(c, spec, NULL, w[cword - 1]);
		goto out;	/* --dir, a file, a number: the shell's */
	}
	if (c->cur[0] == '-') {
		for (i = 0; i < u.nopt; i++)
			complete_put(c, "", u.opt[i]);
		complete_put(c, "", "--dir");
		complete_put(c, "", "--help");
		goto out;
	}
	if (strcmp(cmd->name, "act") == 0 && npos >= 1) {
		complete_args(c, pos[0], w, ci + 1, cword);
		goto out;
	}
	for (a = 0; a < u.nalt; a++) {
		alt = &u.alt[a];
		if (npos >= alt->npos)
			continue;
		for (k = 0, fits = 1; k < npos && fits; k++) {
			if (!complete_placeholder(alt->pos[k]))
				fits = strstr(alt->pos[k], pos[k]) != NULL;
		}
		if (fits)
			complete_spec(c, alt->pos[npos], npos > 0 ?
			    pos[npos - 1] : NULL, NULL);
	}
out:
	free(u.copy);
}

/* daicho __complete CWORD WORD... */
int
cmd_complete(int argc, char **argv)
{
	struct complete		 c;
	const struct cli_cmd	*cmd;
	long long		 cword;
	char			**w;
	int			 nw, i;
	const char		*errstr;

	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		printf("usage: daicho __complete CWORD WORD...\n"
		    "      %s\n", _("the candidates for WORD[CWORD], one a "
		    "line, for the shell's completion"));
		return fflush(stdout) == 0 ? CLI_OK : CLI_ERROR;
	}
	if (argc < 3 || number_parse(argv[1], 1, 1000, &cword, &errstr) != 0)
		return CLI_ERROR;
	w = argv + 2;
	nw = argc - 2;
	if (cword >= nw)
		return CLI_OK;
	memset(&c, 0, sizeof c);
	c.cur = w[cword];
	for (i = 1; i < cword && w[i][0] == '-'; i++) {
		if ((strcmp(w[i], "--dir") == 0 || strcmp(w[i], "-d") == 0) &&
		    i + 1 < cword)
			c.dir = w[++i];
		else if ((strcmp(w[i], "--config") == 0 ||
		    strcmp(w[i], "--demo") == 0) && i + 1 < cword)
			i++;
	}
	if (i == cword) {
		if (strcmp(w[i - 1], "--dir") == 0 ||
		    strcmp(w[i - 1], "--config") == 0 ||
		    strcmp(w[i - 1], "--demo") == 0)
			;	/* a directory or a file: the shell's */
		else if (c.cur[0] == '-') {
			complete_put(&c, "", "--dir");
			complete_put(&c, "", "--config");
			complete_put(&c, "", "--demo");
			complete_put(&c, "", "--help");
			complete_put(&c, "", "--version");
		} else {
			for (cmd = cli_cmds; cmd->name != NULL; cmd++)
				complete_put(&c, "", cmd->name);
		}
	} else {
		for (cmd = cli_cmds; cmd->name != NULL; cmd++) {
			if (strcmp(cmd->name, w[i]) == 0) {
				complete_command(&c, cmd, w, i, (int)cword);
				break;
			}
		}
	}
	store_close(c.store);
	for (i = 0; i < (int)c.n; i++)
		free(c.seen[i]);
	return fflush(stdout) == 0 ? CLI_OK : CLI_ERROR;
}
