/*
 * dialog-pick.c -- a form field's picker: the choices core_pick_list
 * gives for its source (systems, departments, people), in the list
 * widget, so typing filters them; Enter puts the chosen one's value into
 * the field, Esc leaves the field as it was.
 *
 * The source "file" lists a directory instead (the field's value, or the
 * directory it names a file in, or the current one): its regular files
 * and subdirectories, by name.  Choosing a directory puts it in the field,
 * and F4 again lists it.  Nothing is read but names and sizes.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "tui-int.h"

struct pick {
	char			*title;
	struct tui_field	*field;		/* the form's, below this */
	struct core_pick	*v;
	size_t			 n;
	int			 people;	/* the department's column */
	int			 files;		/* a directory's entries */
	struct tui_list_col	 cols[3];
	struct tui_list		*list;
};

static size_t
pick_count(void *arg)
{
	struct pick	*p = arg;

	return p->n;
}

static void
pick_cell(void *arg, size_t row, int col, char *buf, size_t len)
{
	struct pick		*p = arg;
	const struct core_pick	*k = &p->v[row];

	if (col == 0)
		snprintf(buf, len, "%s", p->files ? k->detail : k->value);
	else if (p->files)
		snprintf(buf, len, "%s", k->label);
	else if (p->people)
		snprintf(buf, len, "%" PRId64, k->n);
	else
		snprintf(buf, len, "%s", col == 1 ? k->label : k->detail);
}

static void
pick_search(void *arg, size_t row, char *buf, size_t len)
{
	struct pick		*p = arg;
	const struct core_pick	*k = &p->v[row];

	snprintf(buf, len, "%s %s %s", k->value, k->label, k->detail);
}

static const struct tui_list_source pick_source = {
	pick_count, pick_cell, pick_search, NULL,
};

static void
pick_draw(struct tui *t, struct tui_dialog *d)
{
	struct pick	*p = d->data;
	int		 y, x, h, w;

	(void)t;
	w = COLS - 4 < 76 ? COLS - 4 : 76;
	h = LINES - 4 < 18 ? LINES - 4 : 18;
	tui_frame(h, w, p->title, &y, &x);
	tui_list_draw(p->list, stdscr, y + 1, x + 2, h - 3, w - 4);
	attrset(tui_style(TUI_DIM));
	tui_text_put(stdscr, y + h - 2, x + 2, _("Type to filter   Enter: "
	    "choose   Esc: back"), w - 4, 0);
	attrset(tui_style(TUI_NORMAL));
}

static int
pick_key(struct tui *t, struct tui_dialog *d, const struct tui_key *k)
{
	struct pick	*p = d->data;
	size_t		 row;

	(void)t;
	if (!k->fn && k->ch == TUI_ESC)
		return TUI_CLOSE | TUI_HANDLED;
	if ((k->fn && k->ch == KEY_ENTER) || (!k->fn && (k->ch == '\r' ||
	    k->ch == '\n'))) {
		if ((row = tui_list_current(p->list)) == SIZE_MAX)
			return TUI_HANDLED;	/* nothing shown to choose */
		snprintf(p->field->value, sizeof p->field->value, "%s",
		    p->v[row].value);
		return TUI_CLOSE | TUI_HANDLED;
	}
	(void)tui_list_key(p->list, k);
	return TUI_HANDLED;		/* modal, as the form below is */
}

static void
pick_free(struct tui_dialog *d)
{
	struct pick	*p = d->data;

	tui_list_free(p->list);
	free(p->v);
	free(p->title);
	free(p);
}

#define PICK_FILES_MAX	10000		/* entries of one directory */

static int
pick_file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct core_pick *)a)->value,
	    ((const struct core_pick *)b)->value);
}

/* The directory the field names: itself, the one its file is in, or ".". */
static void
pick_dir(const char *value, char *dir, size_t len)
{
	struct stat	 sb;
	char		*slash;
	size_t		 n;

	snprintf(dir, len, "%s", value[0] != '\0' ? value : ".");
	/* "dir/" is "dir" (but "/" stays): entries are "dir/name". */
	for (n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
		dir[n - 1] = '\0';
	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return;
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, len, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
}

/* A directory's entries as choices: path, then "dir" or the size. */
static int
pick_files(const char *value, struct core_pick **out, size_t *n,
    char **cause)
{
	struct core_pick	*v = NULL;
	struct dirent		*de;
	struct stat		 sb;
	DIR			*d;
	char			 dir[sizeof v->value];
	size_t			 cap = 0;
	int			 len;

	pick_dir(value, dir, sizeof dir);
	if ((d = opendir(dir)) == NULL) {
		xasprintf(cause, "%s: %s", dir, strerror(errno));
		return -1;
	}
	*n = 0;
	while ((de = readdir(d)) != NULL && *n < PICK_FILES_MAX) {
		if (strcmp(de->d_name, ".") == 0 ||
		    fstatat(dirfd(d), de->d_name, &sb, 0) != 0 ||
		    (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)))
			continue;
		v = xgrow(v, &cap, *n + 1, sizeof *v);
		memset(&v[*n], 0, sizeof v[*n]);
		len = snprintf(v[*n].value, sizeof v[*n].value, "%s%s%s%s",
		    strcmp(dir, "/") == 0 ? "" : dir, "/", de->d_name,
		    S_ISDIR(sb.st_mode) ? "/" : "");
		if (len < 0 || (size_t)len >= sizeof v[*n].value)
			continue;	/* too long for the field */
		/* Shown: the name; the path goes into the field. */
		snprintf(v[*n].detail, sizeof v[*n].detail, "%.*s%s",
		    (int)sizeof v[*n].detail - 2, de->d_name,
		    S_ISDIR(sb.st_mode) ? "/" : "");
		if (S_ISDIR(sb.st_mode))
			snprintf(v[*n].label, sizeof v[*n].label, "%s",
			    _("directory"));
		else
			snprintf(v[*n].label, sizeof v[*n].label, "%lld",
			    (long long)sb.st_size);
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof *v, pick_file_cmp);
	*out = v;
	return 0;
}

int
tui_pick(struct tui *t, const char *source, struct tui_field *f)
{
	struct tui_dialog	*d;
	struct pick		*p;
	char			*cause = NULL;

	p = xcalloc(1, sizeof *p);
	p->files = strcmp(source, "file") == 0;
	if ((p->files ? pick_files(f->value, &p->v, &p->n, &cause) :
	    core_pick_list(t->store, source, &p->v, &p->n, &cause)) != 0) {
		tui_status(t, 1, "%s", cause);
		free(cause);
		free(p);
		return -1;
	}
	p->field = f;
	p->people = strcmp(source, "department") == 0;
	p->cols[0].title = strcmp(source, "person") == 0 ? _("Emp. no.") :
	    p->people ? _("Department") : _("System");
	p->cols[0].width = p->people ? 30 : 16;
	p->cols[0].prio = 3;
	p->cols[1].title = strcmp(source, "person") == 0 ? _("Name") :
	    p->people ? _("People") : _("Title");
	p->cols[1].width = p->people ? 8 : 24;
	p->cols[1].right = p->people;
	p->cols[1].prio = 2;
	p->cols[1].share = !p->people;
	p->cols[2].title = strcmp(source, "person") == 0 ? _("Department") :
	    _("Type");
	p->cols[2].width = 16;
	p->cols[2].prio = 1;
	p->cols[2].share = 1;
	if (p->files) {
		p->cols[0].title = _("File");
		p->cols[0].width = 40;
		p->cols[0].share = 1;
		p->cols[1].title = _("Bytes");
		p->cols[1].width = 12;
		p->cols[1].right = 1;
		p->cols[1].share = 0;
	}
	p->list = tui_list_new(p->cols, p->people || p->files ? 2 : 3,
	    &pick_source, p);
	xasprintf(&p->title, _("Choose: %s"), _(f->label));
	d = xcalloc(1, sizeof *d);
	d->data = p;
	d->draw = pick_draw;
	d->key = pick_key;
	d->free = pick_free;
	tui_dialog_push(t, d);
	/* Start at the field's value when it is one of the choices. */
	if (f->value[0] != '\0' && !p->files)
		tui_list_set_filter(p->list, f->value);
	if (tui_list_shown(p->list) == 0)
		tui_list_set_filter(p->list, "");
	return 0;
}
