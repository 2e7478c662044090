/*
 * screen-ledger.c -- the ledger: every entry, newest last, opening on the
 * newest (as journalctl -e does); open one to see
 * its exact bytes; verify the whole ledger with a progress bar; export the
 * latest checkpoint; show the root verifier key and its QR code.
 *
 * The screen keeps nothing per entry: the list widget asks for the cells
 * of the rows it draws (a query each, a screenful at a time) and for each
 * row's search text once, in order, when it loads; a sequential reader
 * makes that one pass over the table.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "tui-int.h"

struct ledger {
	struct tui_listscreen	 ls;		/* first: the list screen */
	uint64_t		 size;
	struct store_reader	*reader;	/* during a load */
	uint64_t		 next;		/* the reader's next index */
	struct store_entry	*cached;	/* the last row drawn */
};

static const struct tui_list_col ledger_cols[] = {
	{ .title = N_("#"), .width = 6, .right = 1, .min = 5, .prio = 6 },
	{ .title = N_("Time"), .width = 22, .min = 22, .prio = 4 },
	{ .title = N_("Action"), .width = 16, .min = 12, .prio = 5 },
	{ .title = N_("Subject"),
	    .width = 20, .min = 16, .prio = 5, .share = 2 },
	{ .title = N_("Name"), .width = 12, .min = 8, .prio = 1, .share = 1 },
	{ .title = N_("Operator"),
	    .width = 14, .min = 10, .prio = 3, .share = 1 },
};
#define LEDGER_NCOLS	(int)(sizeof ledger_cols / sizeof ledger_cols[0])

static size_t
ledger_count(void *arg)
{
	struct ledger	*l = arg;

	return (size_t)l->size;
}

static struct store_entry *
ledger_entry(struct ledger *l, size_t row)
{
	uint8_t		*bytes;
	size_t		 len;
	char		*cause = NULL;

	if (l->cached != NULL && l->cached->index == row)
		return l->cached;
	store_entry_free(l->cached);
	l->cached = NULL;
	if (store_ledger_get(l->ls.t->store, row, &bytes, &len, &cause) != 0) {
		free(cause);
		return NULL;
	}
	l->cached = store_entry_parse(bytes, len, &cause);
	free(cause);
	free(bytes);
	return l->cached;
}

static void
ledger_fields(const struct store_entry *e, int col, char *buf, size_t len)
{
	switch (col) {
	case 0:
		snprintf(buf, len, "%llu", (unsigned long long)e->index);
		break;
	case 1:
		/* UTC in the entry, local here: Enter shows the bytes. */
		when_local_utc(e->time, 0, buf, len);
		break;
	case 2:
		snprintf(buf, len, "%s", e->action);
		break;
	case 3:
		snprintf(buf, len, "%s", e->subject);
		break;
	case 4:
		/* What a person recognises: a name, or the role given. */
		snprintf(buf, len, "%s", store_args_get(&e->args,
		    "name_kanji") != NULL ? store_args_get(&e->args,
		    "name_kanji") : store_args_get(&e->args, "role") != NULL ?
		    store_args_get(&e->args, "role") : "");
		break;
	default:
		snprintf(buf, len, "%s%s%s", e->operator,
		    e->approver != NULL ? "+" : "",
		    e->approver != NULL ? e->approver : "");
		break;
	}
}

static void
ledger_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	struct ledger		*l = arg;
	struct store_entry	*e;

	if ((e = ledger_entry(l, row)) == NULL) {
		if (col == 0)
			snprintf(buf, len, "%zu", row);
		else
			snprintf(buf, len, "%s", _("(unreadable)"));
		return;
	}
	ledger_fields(e, col, buf, len);
}

/*
 * Append the value of the line "key value" of an entry to buf.  For the
 * filter's search text only: a plain scan of the stored bytes, without
 * the full parse (and its checks) that showing or verifying an entry does.
 */
static void
ledger_pick(const char *e, size_t elen, const char *key, char *buf,
    size_t len, size_t *at)
{
	const char	*p = e, *end = e + elen, *nl;
	size_t		 klen = strlen(key), n;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return;
		if ((size_t)(nl - p) <= klen || memcmp(p, key, klen) != 0 ||
		    p[klen] != ' ')
			continue;
		p += klen + 1;
		n = (size_t)(nl - p);
		if (*at + n + 2 > len)
			return;
		memcpy(buf + *at, p, n);
		*at += n;
		buf[(*at)++] = ' ';
		buf[*at] = '\0';
		return;
	}
}

static void
ledger_search(void *arg, size_t row, char *buf, size_t len)
{
	static const char *const keys[] = {
		"index", "action", "subject", "a.name_kanji", "operator",
		"approver", NULL
	};
	struct ledger		*l = arg;
	const uint8_t		*bytes;
	size_t			 blen, at = 0, i;
	uint64_t		 idx;
	char			*cause = NULL;

	buf[0] = '\0';
	if (l->reader == NULL || row != l->next) {
		store_reader_close(l->reader);
		if ((l->reader = store_reader_open(l->ls.t->store, row,
		    &cause)) == NULL) {
			free(cause);
			return;
		}
		l->next = row;
	}
	if (store_reader_next(l->reader, &idx, &bytes, &blen, &cause) != 1) {
		free(cause);
		return;
	}
	l->next = idx + 1;
	for (i = 0; keys[i] != NULL; i++)
		ledger_pick((const char *)bytes, blen, keys[i], buf, len, &at);
}

static const struct tui_list_source ledger_source = {
	.count = ledger_count,
	.cell = ledger_cell,
	.search = ledger_search,
	.compare = NULL,		/* the ledger has one order: its own */
};

/* The ledger's size is the list's count: entries are numbered from 0. */
static int
ledger_load(struct tui_listscreen *ls, char **cause)
{
	struct ledger	*l = (struct ledger *)ls;

	return store_ledger_size(ls->t->store, &l->size, cause);
}

static void
ledger_unload(struct tui_listscreen *ls)
{
	struct ledger	*l = (struct ledger *)ls;

	store_entry_free(l->cached);
	l->cached = NULL;
	store_reader_close(l->reader);
	l->reader = NULL;
}

static const struct tui_listscreen_ops ledger_ops = {
	.size = sizeof(struct ledger),
	.cols = ledger_cols,
	.ncols = LEDGER_NCOLS,
	.source = &ledger_source,
	.load = ledger_load,
	.unload = ledger_unload,
	/* Close the reader the search text was read with. */
	.loaded = ledger_unload,
	/* Others append too (the timer, the CLI): follow the ledger. */
	.flags = TUI_LS_APPEND | TUI_LS_NEWEST,
};

static void *
ledger_open(struct tui *t)
{
	return tui_listscreen_open(t, &ledger_ops);
}

static int
ledger_show(struct tui *t, void *arg)
{
	struct ledger	*l = arg;
	uint8_t		*bytes;
	size_t		 len, row = tui_listscreen_row(&l->ls);
	char		*cause = NULL, title[64];

	if (row == SIZE_MAX)
		return TUI_HANDLED;
	if (store_ledger_get(t->store, row, &bytes, &len, &cause) != 0) {
		tui_status(t, 1, "%s", cause != NULL ? cause : _("no entry"));
		free(cause);
		return TUI_HANDLED;
	}
	snprintf(title, sizeof title, _("Entry %zu"), row);
	tui_message(t, title, (char *)bytes);
	free(bytes);
	return TUI_REDRAW;
}

static void
ledger_progress(void *arg, uint64_t done, uint64_t total)
{
	tui_progress(arg, _("Verifying the ledger"), done, total);
}

static int
ledger_verify(struct tui *t, void *arg)
{
	struct store_verify_opts	 o = { 0 };
	struct store_verify_result	 res;
	char				*cause = NULL, text[1024], n1[64], n2[64];
	int				 r;

	(void)arg;
	o.progress = ledger_progress;
	o.arg = t;
	tui_progress(t, _("Verifying the ledger"), 0, 1);
	r = store_verify(t->store, &o, &res, &cause);
	if (r == -1) {
		tui_message(t, _("Verify"), cause);
		free(cause);
		return TUI_REDRAW;
	}
	if (r == 0) {
		snprintf(n1, sizeof n1, ngettext("%llu entry", "%llu entries",
		    PLURAL(res.entries)), (unsigned long long)res.entries);
		snprintf(n2, sizeof n2, ngettext("%llu key epoch",
		    "%llu key epochs", PLURAL(res.epochs)),
		    (unsigned long long)res.epochs);
		snprintf(text, sizeof text, _("The ledger is intact.\n\n"
		    "%s, %s, latest checkpoint at size %llu.\nEpoch checked "
		    "against %s."), n1, n2,
		    (unsigned long long)res.checkpoint_size, _(res.key_evidence));
	} else
		snprintf(text, sizeof text, _("THE LEDGER IS NOT INTACT.\n\n"
		    "First bad entry: %lld\n%s\n\nTell the auditor; do not "
		    "change anything."), (long long)res.bad_index,
		    res.problem);
	store_verify_result_free(&res);
	tui_message(t, r == 0 ? _("Verify: intact") : _("Verify: NOT INTACT"),
	    text);
	return TUI_REDRAW;
}

static int
ledger_export_done(struct tui *t, struct tui_field *f, void *arg)
{
	char	*note, *cause = NULL;
	FILE	*fp;
	int	 fd;

	(void)arg;
	if ((note = store_checkpoint_get(t->store, 0, &cause)) == NULL) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		return -1;
	}
	fd = open(f[0].value, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0644);
	if (fd == -1 || (fp = fdopen(fd, "w")) == NULL) {
		tui_status(t, 1, "%s: %s", f[0].value, strerror(errno));
		if (fd != -1)
			close(fd);
		free(note);
		return -1;
	}
	if (fputs(note, fp) == EOF || fclose(fp) != 0) {
		tui_status(t, 1, "%s: %s", f[0].value, strerror(errno));
		free(note);
		return -1;
	}
	free(note);
	tui_status(t, 0, _("Checkpoint written to %s."), f[0].value);
	return 0;
}

static int
check_path(const char *v, char *err, size_t len)
{
	if (*v == '\0') {
		snprintf(err, len, "%s", _("Give a file name."));
		return -1;
	}
	return 0;
}

static int
ledger_export(struct tui *t, void *arg)
{
	struct tui_field	 f[1];
	uint64_t		 size;
	char			*cause = NULL;

	(void)arg;
	memset(f, 0, sizeof f);
	f[0].label = N_("Write to file");
	f[0].check = check_path;
	if (store_ledger_size(t->store, &size, &cause) != 0)
		free(cause);
	snprintf(f[0].value, sizeof f[0].value, "checkpoint-%llu.txt",
	    (unsigned long long)size);
	tui_form(t, _("Export the latest checkpoint"), f, 1,
	    ledger_export_done, NULL);
	return TUI_REDRAW;
}

static int
ledger_rootkey(struct tui *t, void *arg)
{
	struct store_epoch	*ep;
	size_t			 n;
	char			*cause = NULL, *text, *pic = NULL, *tmp, **qr;
	char			**q;
	int			 utf8;

	(void)arg;
	if (store_epochs(t->store, &ep, &n, &cause) != 0 || n == 0) {
		tui_status(t, 1, "%s", cause != NULL ? cause : _("no epochs"));
		free(cause);
		return TUI_HANDLED;
	}
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	xasprintf(&text, _("Compare with the paper record:\n%s"), ep[0].vkey);
	if ((qr = core_qr_lines(ep[0].vkey, utf8)) != NULL) {
		pic = xstrdup("");
		for (q = qr; *q != NULL; q++) {
			xasprintf(&tmp, "%s%s\n", pic, *q);
			free(pic);
			pic = tmp;
		}
		core_qr_free(qr);
	}
	store_epochs_free(ep, n);
	tui_message_picture(t, _("Root verifier key"), text, pic);
	free(pic);
	free(text);
	return TUI_REDRAW;
}

static const struct tui_binding ledger_keys[] = {
	{ TUI_OPEN, N_("Open"), NULL, 0, ledger_show },
	{ TUI_CHECK, N_("Verify"), NULL, 0, ledger_verify },
	{ TUI_EXPORT, N_("Export"), NULL, 0, ledger_export },
	{ 11, 0, "^K", N_("Root key"), NULL, 0, ledger_rootkey },
	{ 0, 0, NULL, NULL, NULL, 0, NULL },
};

const struct tui_screen tui_screen_ledger = {
	.name = "ledger",
	.title = N_("Ledger"),
	.keys = ledger_keys,
	.open = ledger_open,
	.close = tui_listscreen_close,
	.draw = tui_listscreen_draw,
	.key = tui_listscreen_key,
};
