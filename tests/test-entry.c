/*
 * test-entry.c -- the bytes of a ledger entry (store/entry.c) through a
 * real store: what store_ledger_append writes must read back field for
 * field, escaped so that no raw control byte is ever stored, chained to
 * the entry before it by its leaf hash, and covered by a checkpoint at
 * every commit.  What the format forbids is refused twice: on the way in
 * by store_ledger_append (nothing appended) and on the way out by
 * store_entry_parse, one test per malformed input so that a regression
 * names the rule it broke.
 */

#include "config.h"

#include <sys/stat.h>

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>

#include "common.h"
#include "store.h"
#include "core.h"
#include "testlib.h"

#define ZERO16	"0000000000000000"
#define ZERO64	ZERO16 ZERO16 ZERO16 ZERO16
#define A16	"AAAAAAAAAAAAAAAA"
#define A80	A16 A16 A16 A16 A16
/* Base64 of 64 zero bytes: a well-formed (not a valid) signature. */
#define SIG0	A80 "AAAAAA=="

/* A well-formed entry, field by field, for the hand-made inputs. */
#define E_VERSION	"daicho-entry v1\n"
#define E_INDEX		"index 1\n"
#define E_TIME		"time 2026-11-21T10:00:00Z\n"
#define E_PREV		"prev " ZERO64 "\n"
#define E_EPOCH		"epoch 0\n"
#define E_ACTION	"action test.act\n"
#define E_OPERATOR	"operator alice\n"
#define E_APPROVER	"approver -\n"
#define E_SUBJECT	"subject s\n"
#define E_HEAD		E_VERSION E_INDEX E_TIME E_PREV E_EPOCH
#define E_BODY		E_ACTION E_OPERATOR E_APPROVER E_SUBJECT
#define GOOD		E_HEAD E_BODY

/* One scratch data directory with an initialised ledger in it. */
struct fixture {
	char		*base;			/* mkdtemp directory */
	char		*dir;			/* base/data */
	struct store	*s;
	const void	*param;			/* the table row, if any */
};

/* Hand-made bytes and a word the cause must contain. */
struct bad {
	const char	*s;
	size_t		 len;
	const char	*why;
};
#define BAD(name, lit, why)						\
	{ name, test_bad_parse, NULL, NULL,				\
	    &(struct bad){ lit, sizeof lit - 1, why } }
#define GOODP(name, lit)						\
	{ name, test_good_parse, NULL, NULL,				\
	    &(struct bad){ lit, sizeof lit - 1, NULL } }

/* An argument store_ledger_append must refuse, or accept. */
struct badarg {
	const char	*field;			/* "arg", "action", ... */
	const char	*name;
	const char	*value;
	const char	*why;			/* NULL: must be accepted */
};
#define BADARG(tname, field, name, value, why)				\
	{ tname, test_append_arg, setup, teardown,			\
	    &(struct badarg){ field, name, value, why } }
#define OKARG(tname, field, name, value)				\
	{ tname, test_append_arg, setup, teardown,			\
	    &(struct badarg){ field, name, value, NULL } }

static int
setup(void **state)
{
	struct fixture	*f;

	f = xcalloc(1, sizeof *f);
	f->param = *state;
	f->base = scratch_dir();
	xasprintf(&f->dir, "%s/data", f->base);
	init_store(f->dir);
	f->s = open_store(f->dir, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->s);
	rm_rf(f->base);
	free(f->dir);
	free(f->base);
	free(f);
	return 0;
}

/* Append one entry in a transaction of its own; its index. */
static uint64_t
append(struct store *s, const char *action, const char *op,
    const char *approver, const char *subject, const struct store_args *a,
    int flags)
{
	uint64_t	 idx = UINT64_MAX;
	char		*cause = NULL;

	if (store_begin(s, &cause) != 0)
		fail_msg("store_begin: %s", cause);
	if (store_ledger_append(s, action, op, approver, subject, a, flags,
	    &idx, &cause) != 0)
		fail_msg("store_ledger_append: %s", cause);
	if (store_commit(s, &cause) != 0)
		fail_msg("store_commit: %s", cause);
	return idx;
}

/* The stored bytes of entry index (caller frees). */
static uint8_t *
get(struct store *s, uint64_t index, size_t *len)
{
	uint8_t	*bytes = NULL;
	char	*cause = NULL;
	int	 r;

	if ((r = store_ledger_get(s, index, &bytes, len, &cause)) != 0)
		fail_msg("store_ledger_get %llu: %d %s",
		    (unsigned long long)index, r, cause);
	return bytes;
}

/* Parse exactly len bytes from a buffer of that size, so ASan sees. */
static struct store_entry *
parse_exact(const void *bytes, size_t len, char **cause)
{
	struct store_entry	*e;
	uint8_t			*copy;

	copy = xmalloc(len > 0 ? len : 1);
	memcpy(copy, bytes, len);
	e = store_entry_parse(copy, len, cause);
	free(copy);
	return e;
}

/* Entry index read back and parsed (caller frees). */
static struct store_entry *
get_entry(struct store *s, uint64_t index)
{
	struct store_entry	*e;
	uint8_t			*bytes;
	size_t			 len;
	char			*cause = NULL;

	bytes = get(s, index, &len);
	if ((e = parse_exact(bytes, len, &cause)) == NULL)
		fail_msg("entry %llu does not parse: %s",
		    (unsigned long long)index, cause);
	assert_int_equal(e->len, len);
	assert_memory_equal(e->bytes, bytes, len);
	free(bytes);
	return e;
}

/* Nothing below 0x20 but the line ends, and no DEL. */
static void
assert_no_raw_control(const uint8_t *b, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if ((b[i] < 0x20 && b[i] != '\n') || b[i] == 0x7f)
			fail_msg("raw byte 0x%02x at offset %zu", b[i], i);
	}
}

static void
assert_has(const struct store_entry *e, const char *s)
{
	if (memmem(e->bytes, e->len, s, strlen(s)) == NULL)
		fail_msg("no \"%s\" in the entry", s);
}

/* The escaping the format describes, written again here. */
static char *
escape(const char *v)
{
	char	*out, *w;

	out = w = xmalloc(strlen(v) * 3 + 1);
	for (; *v != '\0'; v++) {
		if ((unsigned char)*v < 0x20 || *v == 0x7f || *v == '%')
			w += snprintf(w, 4, "%%%02X", (unsigned char)*v);
		else
			*w++ = *v;
	}
	*w = '\0';
	return out;
}

static void
epoch_key(struct store *s, char **name, uint8_t *pk)
{
	char	*vkey, *cause = NULL;

	vkey = store_epoch_vkey(s);
	if (store_note_parse_vkey(vkey, name, pk, &cause) != 0)
		fail_msg("epoch vkey %s: %s", vkey, cause);
	free(vkey);
}

/*
 * The latest checkpoint must be signed by the epoch key over exactly the
 * ledger as it stands, and its root must be the tree over the stored
 * entries, recomputed here from their bytes.
 */
static void
check_checkpoint(struct store *s)
{
	uint8_t			(*leaves)[STORE_HASH_LEN];
	uint8_t			 pk[STORE_PK_LEN], root[STORE_HASH_LEN];
	uint8_t			 mine[STORE_HASH_LEN];
	struct store_head	 head;
	uint64_t		 n = ledger_size(s), i, csize;
	char			*note, *name, *origin = NULL, *cause = NULL;
	uint8_t			*bytes;
	size_t			 len, textlen = 0;

	if ((note = store_checkpoint_get(s, 0, &cause)) == NULL)
		fail_msg("no checkpoint: %s", cause);
	epoch_key(s, &name, pk);
	if (store_note_verify(note, strlen(note), name, pk, &textlen,
	    &cause) != 0)
		fail_msg("checkpoint not signed by the epoch key: %s", cause);
	if (store_checkpoint_parse(note, textlen, &origin, &csize, root,
	    &cause) != 0)
		fail_msg("checkpoint text: %s", cause);
	assert_string_equal(origin, store_ledger_origin(s));
	assert_true(csize == n);

	leaves = xcalloc(n, STORE_HASH_LEN);
	for (i = 0; i < n; i++) {
		bytes = get(s, i, &len);
		store_merkle_leaf(leaves[i], bytes, len);
		free(bytes);
	}
	store_merkle_root(mine, (const uint8_t (*)[STORE_HASH_LEN])leaves, n);
	assert_memory_equal(root, mine, STORE_HASH_LEN);
	assert_int_equal(store_ledger_head(s, &head, &cause), 0);
	assert_true(head.size == n);
	assert_memory_equal(head.root, mine, STORE_HASH_LEN);

	/* The same note is found by its size. */
	free(note);
	if ((note = store_checkpoint_get(s, n, &cause)) == NULL)
		fail_msg("no checkpoint at size %llu: %s",
		    (unsigned long long)n, cause);
	free(note);
	free(leaves);
	free(origin);
	free(name);
}

/* Entry index names the leaf hash of entry index - 1 as prev. */
static void
check_prev(struct store *s, uint64_t index)
{
	struct store_entry	*e;
	uint8_t			 leaf[STORE_HASH_LEN], *bytes;
	size_t			 len;

	e = get_entry(s, index);
	assert_true(e->index == index);
	if (index == 0)
		memset(leaf, 0, sizeof leaf);
	else {
		bytes = get(s, index - 1, &len);
		store_merkle_leaf(leaf, bytes, len);
		free(bytes);
	}
	assert_memory_equal(e->prev, leaf, STORE_HASH_LEN);
	store_entry_free(e);
}

/* An RFC 3339 UTC time within [lo - 1, hi + 1]. */
static void
check_time(const char *t, time_t lo, time_t hi)
{
	struct tm	 tm;
	time_t		 when;
	char		 again[32];

	memset(&tm, 0, sizeof tm);
	if (strlen(t) != 20 || sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2dZ",
	    &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	    &tm.tm_sec) != 6)
		fail_msg("time \"%s\" is not YYYY-MM-DDTHH:MM:SSZ", t);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	when = timegm(&tm);
	strftime(again, sizeof again, "%Y-%m-%dT%H:%M:%SZ", &tm);
	assert_string_equal(again, t);
	if (when < lo - 1 || when > hi + 1)
		fail_msg("time %s is not now", t);
}

static void
test_round_trip(void **state)
{
	struct fixture		*f = *state;
	struct store_args	 a = { 0 };
	struct store_entry	*e;
	char			*want, prevhex[2 * STORE_HASH_LEN + 1];
	uint8_t			 leaf[STORE_HASH_LEN], *bytes;
	size_t			 len;
	time_t			 before, after;
	uint64_t		 idx;

	store_args_add(&a, "name", "carol");
	store_args_add(&a, "role", "auditor");
	store_args_add(&a, "note_2", "two words, one line");
	store_args_add(&a, "empty", "");
	before = time(NULL);
	idx = append(f->s, "operator.add", "alice", "bob", "operator:carol",
	    &a, 0);
	after = time(NULL);
	assert_true(idx == 1);
	assert_true(ledger_size(f->s) == 2);

	e = get_entry(f->s, idx);
	assert_true(e->index == 1);
	check_time(e->time, before, after);
	assert_true(e->epoch == 0);
	assert_string_equal(e->action, "operator.add");
	assert_string_equal(e->operator, "alice");
	assert_string_equal(e->approver, "bob");
	assert_string_equal(e->subject, "operator:carol");
	assert_int_equal(e->args.n, 4);
	assert_string_equal(e->args.v[0].name, "name");
	assert_string_equal(e->args.v[0].value, "carol");
	assert_string_equal(e->args.v[1].name, "role");
	assert_string_equal(e->args.v[1].value, "auditor");
	assert_string_equal(e->args.v[2].name, "note_2");
	assert_string_equal(e->args.v[2].value, "two words, one line");
	assert_string_equal(e->args.v[3].name, "empty");
	assert_string_equal(e->args.v[3].value, "");
	assert_string_equal(store_args_get(&e->args, "role"), "auditor");
	assert_null(store_args_get(&e->args, "nothing"));
	assert_int_equal(e->signed_, 0);

	/* The exact bytes, as docs/ledger-format.md lays them out. */
	bytes = get(f->s, 0, &len);
	store_merkle_leaf(leaf, bytes, len);
	free(bytes);
	codec_hex(prevhex, leaf, sizeof leaf);
	xasprintf(&want, "daicho-entry v1\nindex 1\ntime %s\nprev %s\n"
	    "epoch 0\naction operator.add\noperator alice\napprover bob\n"
	    "subject operator:carol\na.name carol\na.role auditor\n"
	    "a.note_2 two words, one line\na.empty \n", e->time, prevhex);
	assert_int_equal(e->len, strlen(want));
	assert_memory_equal(e->bytes, want, e->len);
	free(want);
	store_entry_free(e);
}

static void
test_no_approver(void **state)
{
	struct fixture		*f = *state;
	struct store_args	 a = { 0 };
	struct store_entry	*e;
	uint64_t		 idx;

	idx = append(f->s, "person.add", "alice", NULL, "person:A1", &a, 0);
	e = get_entry(f->s, idx);
	assert_null(e->approver);
	assert_int_equal(e->args.n, 0);
	assert_has(e, "\napprover -\n");
	store_entry_free(e);
}

/* A signed entry: the sig line is last and covers everything before. */
static void
test_signed(void **state)
{
	struct fixture		*f = *state;
	struct store_args	 a = { 0 };
	struct store_entry	*e;
	uint8_t			 pk[STORE_PK_LEN];
	char			*name;
	uint64_t		 idx;

	store_args_add(&a, "x", "1");
	idx = append(f->s, "test.signed", STORE_SYSTEM_ACTOR, NULL, "ledger",
	    &a, STORE_APPEND_SIGN);
	e = get_entry(f->s, idx);
	assert_int_equal(e->signed_, 1);
	assert_int_equal(e->args.n, 1);
	assert_string_equal(e->operator, STORE_SYSTEM_ACTOR);
	assert_true(e->siglen < e->len);
	assert_memory_equal(e->bytes + e->siglen, "sig ", 4);
	assert_int_equal(e->bytes[e->siglen - 1], '\n');
	assert_int_equal(e->len - e->siglen, 4 + 88 + 1);
	epoch_key(f->s, &name, pk);
	assert_int_equal(crypto_sign_verify_detached(e->sig, e->bytes,
	    e->siglen, pk), 0);
	free(name);
	store_entry_free(e);

	/* ledger.init, entry 0, is signed by the root key the same way. */
	e = get_entry(f->s, 0);
	assert_int_equal(e->signed_, 1);
	assert_string_equal(e->action, "ledger.init");
	assert_null(e->approver);
	store_entry_free(e);
}

/* Every byte that would break a line, and '%', escaped and back. */
static void
test_escaping(void **state)
{
	struct fixture		*f = *state;
	struct store_args	 a = { 0 };
	struct store_entry	*e;
	char			 ctl[40], *want, *line;
	const char		*values[6];
	uint64_t		 idx;
	size_t			 i, lines;
	int			 c;

	for (c = 1, i = 0; c < 0x20; c++)
		ctl[i++] = (char)c;
	ctl[i++] = 0x7f;
	ctl[i++] = '%';
	ctl[i] = '\0';
	values[0] = ctl;
	values[1] = "tab\there, newline\nthere, CR\r, 100%";
	values[2] = "%41 is not A, %0A is not a newline, %%, %";
	values[3] = "\n";
	values[4] = "\xe5\x8f\xb0\xe5\xb8\xb3\t\xf0\x9f\x93\x92\x7f";
	values[5] = "-";
	store_args_add(&a, "ctl", values[0]);
	store_args_add(&a, "mixed", values[1]);
	store_args_add(&a, "percent", values[2]);
	store_args_add(&a, "nl", values[3]);
	store_args_add(&a, "utf8", values[4]);
	store_args_add(&a, "dash", values[5]);
	idx = append(f->s, "test\taction%", "op\x1b", "appr\x7f",
	    "subject\nwith a newline", &a, STORE_APPEND_SIGN);

	e = get_entry(f->s, idx);
	assert_no_raw_control(e->bytes, e->len);
	/* One line per field: the header, four fields, six args, sig. */
	for (i = 0, lines = 0; i < e->len; i++)
		lines += e->bytes[i] == '\n';
	assert_int_equal(lines, 5 + 4 + 6 + 1);
	assert_string_equal(e->action, "test\taction%");
	assert_string_equal(e->operator, "op\x1b");
	assert_string_equal(e->approver, "appr\x7f");
	assert_string_equal(e->subject, "subject\nwith a newline");
	assert_int_equal(e->args.n, 6);
	for (i = 0; i < 6; i++) {
		assert_string_equal(e->args.v[i].value, values[i]);
		want = escape(values[i]);
		xasprintf(&line, "\na.%s %s\n", e->args.v[i].name, want);
		if (memmem(e->bytes, e->len, line, strlen(line)) == NULL)
			fail_msg("no line \"%s\" in the entry", line + 1);
		free(line);
		free(want);
	}
	/* Escapes are upper-case hex, '%' itself included. */
	assert_has(e, "action test%09action%25\n");
	assert_has(e, "operator op%1B\n");
	assert_has(e, "approver appr%7F\n");
	assert_has(e, "subject subject%0Awith a newline\n");
	assert_has(e, "a.nl %0A\n");
	store_entry_free(e);
}

/* Valid UTF-8 at the edges of each sequence length is stored as is. */
static void
test_utf8_edges(void **state)
{
	struct fixture		*f = *state;
	struct store_args	 a = { 0 };
	struct store_entry	*e;
	static const char *const v[] = {
		"\xc2\x80",			/* U+0080 */
		"\xdf\xbf",			/* U+07FF */
		"\xe0\xa0\x80",			/* U+0800 */
		"\xed\x9f\xbf",			/* U+D7FF */
		"\xee\x80\x80",			/* U+E000 */
		"\xef\xbf\xbf",			/* U+FFFF */
		"\xf0\x90\x80\x80",		/* U+10000 */
		"\xf4\x8f\xbf\xbf",		/* U+10FFFF */
		"\xe3\x83\xa4\xe3\x83\x9e\xe3\x83\x80",	/* katakana */
	};
	static const char *const names[] = { "v0", "v1", "v2", "v3", "v4",
	    "v5", "v6", "v7", "v8" };
	size_t			 i, n = sizeof v / sizeof v[0];
	uint64_t		 idx;

	for (i = 0; i < n; i++)
		store_args_add(&a, names[i], v[i]);
	idx = append(f->s, "test.utf8", "alice", NULL, v[8], &a, 0);
	e = get_entry(f->s, idx);
	assert_int_equal(e->args.n, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(e->args.v[i].value, v[i]);
		assert_non_null(memmem(e->bytes, e->len, v[i], strlen(v[i])));
	}
	assert_string_equal(e->subject, v[8]);
	store_entry_free(e);
}

/*
 * Every entry names its predecessor's leaf hash; every commit that
 * appended signs a checkpoint of the new size; a commit that appended
 * nothing signs none; a rollback leaves the chain as it was.
 */
static void
test_chain_and_checkpoints(void **state)
{
	struct fixture		*f = *state;
	struct store_args	 a = { 0 };
	uint64_t		 i, idx, size, csize;
	uint8_t			*bytes = NULL;
	size_t			 len;
	char			*cause = NULL, *note, t[32];

	check_prev(f->s, 0);
	check_checkpoint(f->s);

	store_args_add(&a, "n", "1");
	for (i = 0; i < 4; i++) {
		idx = append(f->s, "test.chain", "alice", NULL, "s", &a, 0);
		assert_true(idx == i + 1);
		check_prev(f->s, idx);
		check_checkpoint(f->s);
	}

	/* Three entries, one commit, one checkpoint. */
	size = ledger_size(f->s);
	assert_int_equal(store_begin(f->s, &cause), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(store_ledger_append(f->s, "test.chain",
		    "alice", NULL, "s", &a, 0, &idx, &cause), 0);
		assert_true(idx == size + i);
	}
	assert_int_equal(store_commit(f->s, &cause), 0);
	assert_true(ledger_size(f->s) == size + 3);
	for (i = size; i < size + 3; i++)
		check_prev(f->s, i);
	check_checkpoint(f->s);
	/* Sizes inside the transaction were never signed; size was. */
	note = store_checkpoint_get(f->s, size, &cause);
	assert_non_null(note);
	free(note);
	for (i = size + 1; i < size + 3; i++) {
		assert_null(store_checkpoint_get(f->s, i, &cause));
		check_cause(cause, "no checkpoint");
		free(cause);
		cause = NULL;
	}

	/* Nothing appended, nothing signed. */
	size = ledger_size(f->s);
	assert_int_equal(store_begin(f->s, &cause), 0);
	assert_int_equal(store_commit(f->s, &cause), 0);
	assert_int_equal(store_checkpoint_latest(f->s, &csize, t, sizeof t,
	    &cause), 0);
	assert_true(csize == size);

	/* Rolled back: the next entry takes the same index and prev. */
	assert_int_equal(store_begin(f->s, &cause), 0);
	assert_int_equal(store_ledger_append(f->s, "test.gone", "alice",
	    NULL, "s", &a, 0, &idx, &cause), 0);
	assert_true(idx == size);
	store_rollback(f->s);
	assert_true(ledger_size(f->s) == size);
	assert_int_equal(store_ledger_get(f->s, size, &bytes, &len, &cause),
	    1);
	assert_null(bytes);
	idx = append(f->s, "test.chain", "alice", NULL, "s", &a, 0);
	assert_true(idx == size);
	check_prev(f->s, idx);
	check_checkpoint(f->s);

	/* And across a reopen. */
	store_close(f->s);
	f->s = open_store(f->dir, 0);
	assert_true(ledger_size(f->s) == size + 1);
	idx = append(f->s, "test.chain", "alice", NULL, "s", &a, 0);
	assert_true(idx == size + 1);
	check_prev(f->s, idx);
	check_checkpoint(f->s);
}

/*
 * A refused append leaves nothing: the size, the entry at that index
 * (none), and the transaction, which can go on to append the next entry
 * at the same index.
 */
static void
append_refused(struct store *s, const char *action, const char *op,
    const char *approver, const char *subject, const struct store_args *a,
    const char *why)
{
	struct store_args	 ok = { 0 };
	struct store_entry	*e;
	uint64_t		 size = ledger_size(s), idx = 12345, n;
	uint8_t			*bytes = NULL;
	size_t			 len;
	char			*cause = NULL;

	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_ledger_append(s, action, op, approver, subject,
	    a, STORE_APPEND_SIGN, &idx, &cause), -1);
	check_cause(cause, why);
	free(cause);
	cause = NULL;
	assert_true(idx == 12345);
	assert_true(ledger_size(s) == size);
	assert_int_equal(store_ledger_get(s, size, &bytes, &len, &cause), 1);
	assert_null(bytes);

	store_args_add(&ok, "x", "y");
	assert_int_equal(store_ledger_append(s, "test.after", "alice", NULL,
	    "s", &ok, 0, &idx, &cause), 0);
	assert_true(idx == size);
	assert_int_equal(store_commit(s, &cause), 0);
	n = ledger_size(s);
	assert_true(n == size + 1);
	e = get_entry(s, size);
	assert_string_equal(e->action, "test.after");
	store_entry_free(e);
	check_prev(s, size);
	check_checkpoint(s);
}

static void
test_append_arg(void **state)
{
	struct fixture		*f = *state;
	const struct badarg	*b = f->param;
	struct store_args	 a = { 0 };
	struct store_entry	*e;
	const char		*action = "test.act", *op = "alice";
	const char		*approver = NULL, *subject = "s";
	uint64_t		 idx;

	if (strcmp(b->field, "arg") == 0)
		store_args_add(&a, b->name, b->value);
	else if (strcmp(b->field, "action") == 0)
		action = b->value;
	else if (strcmp(b->field, "operator") == 0)
		op = b->value;
	else if (strcmp(b->field, "approver") == 0)
		approver = b->value;
	else if (strcmp(b->field, "subject") == 0)
		subject = b->value;
	else
		fail_msg("no field %s", b->field);
	if (b->why != NULL) {
		append_refused(f->s, action, op, approver, subject, &a,
		    b->why);
		return;
	}
	idx = append(f->s, action, op, approver, subject, &a,
	    STORE_APPEND_SIGN);
	e = get_entry(f->s, idx);
	if (a.n == 1) {
		assert_string_equal(e->args.v[0].name, b->name);
		assert_string_equal(e->args.v[0].value, b->value);
	}
	assert_string_equal(e->action, action);
	assert_string_equal(e->operator, op);
	assert_string_equal(e->subject, subject);
	store_entry_free(e);
}

static char *
repeat(char c, size_t n)
{
	char	*s;

	s = xmalloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* STORE_VALUE_MAX bytes are a value; one more is refused. */
static void
test_value_max(void **state)
{
	struct fixture		*f = *state;
	struct store_args	 a = { 0 };
	struct store_entry	*e;
	char			*v;
	uint64_t		 idx;

	v = repeat('x', STORE_VALUE_MAX);
	store_args_add(&a, "big", v);
	idx = append(f->s, "test.big", "alice", NULL, "s", &a, 0);
	e = get_entry(f->s, idx);
	assert_string_equal(e->args.v[0].value, v);
	store_entry_free(e);
	free(v);

	/* Escaping triples the bytes but not the value's length. */
	v = repeat('\n', STORE_VALUE_MAX);
	a.v[0].value = v;
	idx = append(f->s, "test.big", "alice", NULL, "s", &a, 0);
	e = get_entry(f->s, idx);
	assert_string_equal(e->args.v[0].value, v);
	assert_no_raw_control(e->bytes, e->len);
	store_entry_free(e);
	free(v);

	v = repeat('x', STORE_VALUE_MAX + 1);
	a.v[0].value = v;
	append_refused(f->s, "test.big", "alice", NULL, "s", &a, "4096");
	/* The fixed fields are values too. */
	a.n = 0;
	append_refused(f->s, "test.big", "alice", NULL, v, &a, "4096");
	free(v);
}

/*
 * An entry over STORE_ENTRY_MAX is refused as a whole even when each
 * value is allowed; the largest entry append takes still parses, signed.
 */
static void
test_entry_max(void **state)
{
	struct fixture		*f = *state;
	struct store_args	 a = { 0 };
	struct store_entry	*e;
	static const char *const names[] = { "a0", "a1", "a2", "a3", "a4",
	    "a5", "a6", "a7", "a8", "a9", "a10", "a11", "a12", "a13", "a14",
	    "a15", "a16" };
	char			*v, *last;
	uint64_t		 idx, size;
	size_t			 i, lo, hi, mid;
	char			*cause = NULL;
	int			 r;

	v = repeat('x', STORE_VALUE_MAX);
	for (i = 0; i < 16; i++)
		store_args_add(&a, names[i], v);
	append_refused(f->s, "test.big", "alice", NULL, "s", &a, "65536");

	/* Escaped, six values of '%' would be 6 * 3 * 4096 bytes. */
	a.n = 0;
	last = repeat('%', STORE_VALUE_MAX);
	for (i = 0; i < 6; i++)
		store_args_add(&a, names[i], last);
	append_refused(f->s, "test.big", "alice", NULL, "s", &a, "65536");
	free(last);

	/* Find the largest 16th value that fits, signed. */
	a.n = 0;
	for (i = 0; i < 15; i++)
		store_args_add(&a, names[i], v);
	last = repeat('y', STORE_VALUE_MAX);
	store_args_add(&a, names[15], last);
	size = ledger_size(f->s);
	lo = 0;
	hi = STORE_VALUE_MAX;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		last[mid] = '\0';
		assert_int_equal(store_begin(f->s, &cause), 0);
		r = store_ledger_append(f->s, "test.big", "alice", NULL, "s",
		    &a, STORE_APPEND_SIGN, &idx, &cause);
		store_rollback(f->s);
		last[mid] = 'y';
		if (r == 0)
			lo = mid;
		else {
			check_cause(cause, "65536");
			free(cause);
			cause = NULL;
			hi = mid - 1;
		}
	}
	assert_true(ledger_size(f->s) == size);
	last[lo] = '\0';
	idx = append(f->s, "test.big", "alice", NULL, "s", &a,
	    STORE_APPEND_SIGN);
	e = get_entry(f->s, idx);
	assert_true(e->len <= STORE_ENTRY_MAX);
	assert_int_equal(e->signed_, 1);
	assert_int_equal(e->args.n, 16);
	assert_string_equal(e->args.v[15].value, last);
	store_entry_free(e);
	/* One byte more is refused. */
	last[lo] = 'y';
	last[lo + 1] = '\0';
	append_refused(f->s, "test.big", "alice", NULL, "s", &a, "65536");
	free(last);
	free(v);
}

/* STORE_MAX_ARGS arguments fit; the next is refused, args untouched. */
static void
test_args_max(void **state)
{
	struct fixture		*f = *state;
	struct store_args	 a = { 0 };
	struct store_entry	*e;
	char			 names[STORE_MAX_ARGS + 1][8];
	size_t			 i;
	uint64_t		 idx;

	for (i = 0; i < STORE_MAX_ARGS; i++) {
		snprintf(names[i], sizeof names[i], "a%zu", i);
		assert_int_equal(store_args_add(&a, names[i], "v"), 0);
	}
	assert_int_equal(a.n, STORE_MAX_ARGS);
	snprintf(names[i], sizeof names[i], "a%zu", i);
	assert_int_equal(store_args_add(&a, names[i], "w"), -1);
	assert_int_equal(a.n, STORE_MAX_ARGS);
	assert_null(store_args_get(&a, names[STORE_MAX_ARGS]));
	assert_string_equal(store_args_get(&a, "a63"), "v");

	idx = append(f->s, "test.many", "alice", NULL, "s", &a, 0);
	e = get_entry(f->s, idx);
	assert_int_equal(e->args.n, STORE_MAX_ARGS);
	assert_string_equal(e->args.v[63].name, "a63");
	store_entry_free(e);
}

static void
test_good_parse(void **state)
{
	const struct bad	*b = *state;
	struct store_entry	*e;
	char			*cause = NULL;

	if ((e = parse_exact(b->s, b->len, &cause)) == NULL)
		fail_msg("refused: %s", cause);
	assert_null(cause);
	assert_int_equal(e->len, b->len);
	assert_memory_equal(e->bytes, b->s, b->len);
	assert_true(e->index == 1);
	assert_true(e->epoch == 0);
	assert_string_equal(e->time, "2026-11-21T10:00:00Z");
	store_entry_free(e);
}

static void
test_bad_parse(void **state)
{
	const struct bad	*b = *state;
	struct store_entry	*e;
	char			*cause = NULL, *t, *v;

	if ((e = parse_exact(b->s, b->len, &cause)) != NULL) {
		t = escape(e->time);
		v = escape(e->subject);
		print_error("accepted as time \"%s\", subject \"%s\" (%zu "
		    "bytes), %zu arguments\n", t, v, strlen(e->subject),
		    e->args.n);
		free(t);
		free(v);
		store_entry_free(e);
		fail_msg("malformed entry accepted; expected a cause naming "
		    "\"%s\"", b->why);
	}
	check_cause(cause, b->why);
	free(cause);
}

/* Specific values come back from hand-made bytes as the format says. */
static void
test_parse_values(void **state)
{
	static const char	 in[] = E_HEAD "action a%09b\n"
	    "operator %25\napprover x%7Fy\nsubject %0A\na.v \n"
	    "a.w 1%0D%0A2\nsig " SIG0 "\n";
	struct store_entry	*e;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	if ((e = parse_exact(in, sizeof in - 1, &cause)) == NULL)
		fail_msg("refused: %s", cause);
	assert_string_equal(e->action, "a\tb");
	assert_string_equal(e->operator, "%");
	assert_string_equal(e->approver, "x\x7fy");
	assert_string_equal(e->subject, "\n");
	assert_int_equal(e->args.n, 2);
	assert_string_equal(e->args.v[0].value, "");
	assert_string_equal(e->args.v[1].value, "1\r\n2");
	assert_int_equal(e->signed_, 1);
	assert_int_equal(e->siglen, sizeof in - 1 - (4 + 88 + 1));
	for (i = 0; i < STORE_SIG_LEN; i++)
		assert_int_equal(e->sig[i], 0);
	store_entry_free(e);
}

/* Build GOOD plus n arguments. */
static char *
with_args(size_t n, size_t *len)
{
	char	*s, *p;
	size_t	 i;

	s = p = xmalloc(sizeof GOOD + n * 16);
	memcpy(p, GOOD, sizeof GOOD - 1);
	p += sizeof GOOD - 1;
	for (i = 0; i < n; i++)
		p += sprintf(p, "a.a%zu v\n", i);
	*len = (size_t)(p - s);
	return s;
}

static void
test_parse_args_max(void **state)
{
	struct store_entry	*e;
	char			*s, *cause = NULL;
	size_t			 len;

	(void)state;
	s = with_args(STORE_MAX_ARGS, &len);
	if ((e = parse_exact(s, len, &cause)) == NULL)
		fail_msg("%d arguments refused: %s", STORE_MAX_ARGS, cause);
	assert_int_equal(e->args.n, STORE_MAX_ARGS);
	store_entry_free(e);
	free(s);

	s = with_args(STORE_MAX_ARGS + 1, &len);
	assert_null(parse_exact(s, len, &cause));
	check_cause(cause, "argument");
	free(cause);
	free(s);
}

/* GOOD filled with arguments of at most 4000 bytes to exactly len. */
static char *
fill(size_t len)
{
	char	*s, *p;
	size_t	 rest, n;
	int	 i = 0;

	s = p = xmalloc(len);
	memcpy(p, GOOD, sizeof GOOD - 1);
	p += sizeof GOOD - 1;
	rest = len - (sizeof GOOD - 1);
	while (rest > 0) {
		n = rest > 4100 ? 4000 : rest - 7;
		memcpy(p, "a.v", 3);
		p[3] = (char)('0' + i / 10);
		p[4] = (char)('0' + i % 10);
		p[5] = ' ';
		memset(p + 6, 'x', n);
		p[6 + n] = '\n';
		p += n + 7;
		rest -= n + 7;
		i++;
	}
	assert_true((size_t)(p - s) == len);
	return s;
}

/* Exactly STORE_ENTRY_MAX bytes parse; one more does not. */
static void
test_parse_entry_max(void **state)
{
	struct store_entry	*e;
	char			*s, *cause = NULL;

	(void)state;
	s = fill(STORE_ENTRY_MAX);
	if ((e = parse_exact(s, STORE_ENTRY_MAX, &cause)) == NULL)
		fail_msg("%d bytes refused: %s", STORE_ENTRY_MAX, cause);
	assert_int_equal(e->len, STORE_ENTRY_MAX);
	store_entry_free(e);
	free(s);

	s = fill(STORE_ENTRY_MAX + 1);
	assert_null(parse_exact(s, STORE_ENTRY_MAX + 1, &cause));
	check_cause(cause, "too long");
	free(cause);
	free(s);
}

static const struct CMUnitTest store_tests[] = {
	cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	cmocka_unit_test_setup_teardown(test_no_approver, setup, teardown),
	cmocka_unit_test_setup_teardown(test_signed, setup, teardown),
	cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
	cmocka_unit_test_setup_teardown(test_utf8_edges, setup, teardown),
	cmocka_unit_test_setup_teardown(test_chain_and_checkpoints, setup,
	    teardown),
	cmocka_unit_test_setup_teardown(test_value_max, setup, teardown),
	cmocka_unit_test_setup_teardown(test_entry_max, setup, teardown),
	cmocka_unit_test_setup_teardown(test_args_max, setup, teardown),
};

#define OVERLONG2	"\xc0\xaf"
#define SURROGATE	"\xed\xa0\x80"

static const struct CMUnitTest append_tests[] = {
	BADARG("overlong '/' in 2 bytes", "arg", "v", "a" OVERLONG2 "b",
	    "UTF-8"),
	BADARG("overlong C1 lead", "arg", "v", "\xc1\xbf", "UTF-8"),
	BADARG("overlong in 3 bytes", "arg", "v", "\xe0\x80\xaf", "UTF-8"),
	BADARG("overlong U+07FF in 3 bytes", "arg", "v", "\xe0\x9f\xbf",
	    "UTF-8"),
	BADARG("overlong in 4 bytes", "arg", "v", "\xf0\x80\x80\xaf",
	    "UTF-8"),
	BADARG("overlong U+FFFF in 4 bytes", "arg", "v", "\xf0\x8f\xbf\xbf",
	    "UTF-8"),
	BADARG("high surrogate", "arg", "v", SURROGATE, "UTF-8"),
	BADARG("low surrogate", "arg", "v", "\xed\xbf\xbf", "UTF-8"),
	BADARG("CESU-8 pair", "arg", "v", "\xed\xa0\xbd\xed\xb2\x92",
	    "UTF-8"),
	BADARG("truncated at the end", "arg", "v", "ab\xe3\x81", "UTF-8"),
	BADARG("truncated before ASCII", "arg", "v", "\xe3\x81x", "UTF-8"),
	BADARG("truncated 4-byte", "arg", "v", "\xf0\x9f\x93", "UTF-8"),
	BADARG("lone lead byte", "arg", "v", "\xc3", "UTF-8"),
	BADARG("lone continuation", "arg", "v", "a\x80", "UTF-8"),
	BADARG("above U+10FFFF", "arg", "v", "\xf4\x90\x80\x80", "UTF-8"),
	BADARG("F5 lead", "arg", "v", "\xf5\x80\x80\x80", "UTF-8"),
	BADARG("FE byte", "arg", "v", "\xfe", "UTF-8"),
	BADARG("FF byte", "arg", "v", "x\xff", "UTF-8"),
	BADARG("invalid UTF-8 in action", "action", NULL, "a" OVERLONG2,
	    "UTF-8"),
	BADARG("invalid UTF-8 in operator", "operator", NULL, SURROGATE,
	    "UTF-8"),
	BADARG("invalid UTF-8 in approver", "approver", NULL, "\xff",
	    "UTF-8"),
	BADARG("invalid UTF-8 in subject", "subject", NULL, "s\xe3\x81",
	    "UTF-8"),
	BADARG("name upper-case", "arg", "Name", "v", "argument name"),
	BADARG("name with upper-case", "arg", "naMe", "v", "argument name"),
	BADARG("name leading digit", "arg", "1st", "v", "argument name"),
	BADARG("name leading underscore", "arg", "_x", "v", "argument name"),
	BADARG("name of 33 bytes", "arg",
	    "abcdefghijklmnopqrstuvwxyzabcdefg", "v", "argument name"),
	BADARG("name empty", "arg", "", "v", "argument name"),
	BADARG("name with '-'", "arg", "a-b", "v", "argument name"),
	BADARG("name with '.'", "arg", "a.b", "v", "argument name"),
	BADARG("name with space", "arg", "a b", "v", "argument name"),
	BADARG("name with newline", "arg", "a\nb", "v", "argument name"),
	BADARG("name with '%'", "arg", "a%", "v", "argument name"),
	BADARG("name not ASCII", "arg", "\xc3\xa9", "v", "argument name"),
	OKARG("name of 32 bytes", "arg", "abcdefghijklmnopqrstuvwxyzabcdef",
	    "v"),
	OKARG("name of one letter", "arg", "z", "v"),
	OKARG("name with digits and '_'", "arg", "a_1_b2", "v"),
	OKARG("empty value", "arg", "v", ""),
};

static const struct CMUnitTest parse_tests[] = {
	cmocka_unit_test(test_parse_values),
	cmocka_unit_test(test_parse_args_max),
	cmocka_unit_test(test_parse_entry_max),
	GOODP("minimal", GOOD),
	GOODP("with arguments", GOOD "a.x 1\na.y two words\n"),
	GOODP("signed", GOOD "sig " SIG0 "\n"),
	GOODP("arguments and sig", GOOD "a.x 1\nsig " SIG0 "\n"),
	GOODP("approver", E_HEAD E_ACTION E_OPERATOR "approver bob\n"
	    E_SUBJECT),
};

static const struct CMUnitTest bad_parse[] = {
	BAD("empty", "", "empty"),
	BAD("only a newline", "\n", "version"),
	BAD("version v2", "daicho-entry v2\n" E_INDEX E_TIME E_PREV E_EPOCH
	    E_BODY, "version"),
	BAD("version with trailing space", "daicho-entry v1 \n" E_INDEX
	    E_TIME E_PREV E_EPOCH E_BODY, "version"),
	BAD("version with CR", "daicho-entry v1\r\n" E_INDEX E_TIME E_PREV
	    E_EPOCH E_BODY, "version"),
	BAD("version capitalised", "Daicho-entry v1\n" E_INDEX E_TIME E_PREV
	    E_EPOCH E_BODY, "version"),
	BAD("no version line", E_INDEX E_TIME E_PREV E_EPOCH E_BODY,
	    "version"),
	BAD("leading blank line", "\n" GOOD, "version"),
	BAD("missing index", E_VERSION E_TIME E_PREV E_EPOCH E_BODY, "index"),
	BAD("missing time", E_VERSION E_INDEX E_PREV E_EPOCH E_BODY, "time"),
	BAD("missing prev", E_VERSION E_INDEX E_TIME E_EPOCH E_BODY, "prev"),
	BAD("missing epoch", E_VERSION E_INDEX E_TIME E_PREV E_BODY, "epoch"),
	BAD("missing action", E_HEAD E_OPERATOR E_APPROVER E_SUBJECT,
	    "action"),
	BAD("missing operator", E_HEAD E_ACTION E_APPROVER E_SUBJECT,
	    "operator"),
	BAD("missing approver", E_HEAD E_ACTION E_OPERATOR E_SUBJECT,
	    "approver"),
	BAD("missing subject", E_HEAD E_ACTION E_OPERATOR E_APPROVER,
	    "subject"),
	BAD("index and time swapped", E_VERSION E_TIME E_INDEX E_PREV E_EPOCH
	    E_BODY, "index"),
	BAD("prev and epoch swapped", E_VERSION E_INDEX E_TIME E_EPOCH E_PREV
	    E_BODY, "prev"),
	BAD("action and operator swapped", E_HEAD E_OPERATOR E_ACTION
	    E_APPROVER E_SUBJECT, "action"),
	BAD("subject before approver", E_HEAD E_ACTION E_OPERATOR E_SUBJECT
	    E_APPROVER, "approver"),
	BAD("argument before subject", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "a.x 1\n" E_SUBJECT, "subject"),
	BAD("field twice", E_HEAD E_ACTION E_ACTION E_OPERATOR E_APPROVER
	    E_SUBJECT, "operator"),
	BAD("index 007", E_VERSION "index 007\n" E_TIME E_PREV E_EPOCH E_BODY,
	    "index"),
	BAD("index 01", E_VERSION "index 01\n" E_TIME E_PREV E_EPOCH E_BODY,
	    "index"),
	BAD("index +1", E_VERSION "index +1\n" E_TIME E_PREV E_EPOCH E_BODY,
	    "index"),
	BAD("index -1", E_VERSION "index -1\n" E_TIME E_PREV E_EPOCH E_BODY,
	    "index"),
	BAD("index -0", E_VERSION "index -0\n" E_TIME E_PREV E_EPOCH E_BODY,
	    "index"),
	BAD("index empty", E_VERSION "index \n" E_TIME E_PREV E_EPOCH E_BODY,
	    "index"),
	BAD("index with leading space", E_VERSION "index  1\n" E_TIME E_PREV
	    E_EPOCH E_BODY, "index"),
	BAD("index with trailing space", E_VERSION "index 1 \n" E_TIME E_PREV
	    E_EPOCH E_BODY, "index"),
	BAD("index in hex", E_VERSION "index 0x1\n" E_TIME E_PREV E_EPOCH
	    E_BODY, "index"),
	BAD("index with CR", E_VERSION "index 1\r\n" E_TIME E_PREV E_EPOCH
	    E_BODY, "index"),
	BAD("index 2^63", E_VERSION "index 9223372036854775808\n" E_TIME
	    E_PREV E_EPOCH E_BODY, "index"),
	BAD("index in fullwidth digits", E_VERSION "index \xef\xbc\x91\n"
	    E_TIME E_PREV E_EPOCH E_BODY, "index"),
	BAD("epoch 00", E_VERSION E_INDEX E_TIME E_PREV "epoch 00\n" E_BODY,
	    "epoch"),
	BAD("epoch +0", E_VERSION E_INDEX E_TIME E_PREV "epoch +0\n" E_BODY,
	    "epoch"),
	BAD("epoch -1", E_VERSION E_INDEX E_TIME E_PREV "epoch -1\n" E_BODY,
	    "epoch"),
	BAD("epoch with tab", E_VERSION E_INDEX E_TIME E_PREV "epoch\t0\n"
	    E_BODY, "epoch"),
	BAD("time with space for T", E_VERSION E_INDEX
	    "time 2026-11-21 10:00:00Z\n" E_PREV E_EPOCH E_BODY, "time"),
	BAD("time without Z", E_VERSION E_INDEX "time 2026-11-21T10:00:00\n"
	    E_PREV E_EPOCH E_BODY, "time"),
	BAD("time with offset", E_VERSION E_INDEX
	    "time 2026-11-21T10:00:00+09:00\n" E_PREV E_EPOCH E_BODY, "time"),
	BAD("time with fraction", E_VERSION E_INDEX
	    "time 2026-11-21T10:00:00.5Z\n" E_PREV E_EPOCH E_BODY, "time"),
	BAD("time lower-case", E_VERSION E_INDEX "time 2026-11-21t10:00:00z\n"
	    E_PREV E_EPOCH E_BODY, "time"),
	BAD("time with letters for digits", E_VERSION E_INDEX
	    "time 2026-AB-21T10:00:00Z\n" E_PREV E_EPOCH E_BODY, "time"),
	BAD("time with a raw tab", E_VERSION E_INDEX
	    "time 2026-11-21T10:00:0\tZ\n" E_PREV E_EPOCH E_BODY, "time"),
	BAD("time with a raw ESC", E_VERSION E_INDEX
	    "time 2026-11-21T1\x1b:00:00Z\n" E_PREV E_EPOCH E_BODY, "time"),
	BAD("prev of 63 digits", E_VERSION E_INDEX E_TIME "prev " ZERO16
	    ZERO16 ZERO16 "000000000000000\n" E_EPOCH E_BODY, "prev"),
	BAD("prev of 65 digits", E_VERSION E_INDEX E_TIME "prev 0" ZERO64 "\n"
	    E_EPOCH E_BODY, "prev"),
	BAD("prev not hex", E_VERSION E_INDEX E_TIME "prev g" ZERO16 ZERO16
	    ZERO16 "000000000000000\n" E_EPOCH E_BODY, "prev"),
	BAD("prev empty", E_VERSION E_INDEX E_TIME "prev \n" E_EPOCH E_BODY,
	    "prev"),
	BAD("prev in upper-case hex", E_VERSION E_INDEX E_TIME "prev "
	    "ABCDEF0000000000" ZERO16 ZERO16 ZERO16 "\n" E_EPOCH E_BODY,
	    "prev"),
	BAD("escape lower-case %0a", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "subject a%0ab\n", "subject"),
	BAD("escape lower-case %7f", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "subject a%7f\n", "subject"),
	BAD("escape of one digit %4", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "subject a%4\n", "subject"),
	BAD("escape cut by the line end", E_HEAD E_ACTION E_OPERATOR
	    E_APPROVER "subject a%\n", "subject"),
	BAD("escape not hex %zz", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "subject %zz\n", "subject"),
	BAD("escape of 'A' %41", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "subject %41\n", "subject"),
	BAD("escape of space %20", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "subject a%20b\n", "subject"),
	BAD("escape of a UTF-8 byte %E3", E_HEAD E_ACTION E_OPERATOR
	    E_APPROVER "subject %E3%81%82\n", "subject"),
	BAD("escaped NUL %00", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "subject abc%00def\n", "subject"),
	BAD("escape %41 in an argument", GOOD "a.x %41\n", "argument"),
	BAD("escape lower-case in action", E_HEAD "action a%0a\n" E_OPERATOR
	    E_APPROVER E_SUBJECT, "action"),
	BAD("escape %4 in operator", E_HEAD E_ACTION "operator a%4\n"
	    E_APPROVER E_SUBJECT, "operator"),
	BAD("escape %41 in approver", E_HEAD E_ACTION E_OPERATOR
	    "approver %41\n" E_SUBJECT, "approver"),
	BAD("raw tab in subject", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "subject a\tb\n", "subject"),
	BAD("raw CR in operator", E_HEAD E_ACTION "operator alice\r\n"
	    E_APPROVER E_SUBJECT, "operator"),
	BAD("raw DEL in action", E_HEAD "action test\x7f\n" E_OPERATOR
	    E_APPROVER E_SUBJECT, "action"),
	BAD("raw ESC in approver", E_HEAD E_ACTION E_OPERATOR
	    "approver \x1b[0m\n" E_SUBJECT, "approver"),
	BAD("raw BEL in an argument", GOOD "a.x \x07\n", "argument"),
	BAD("raw vertical tab in an argument", GOOD "a.x 1\x0b" "2\n",
	    "argument"),
	BAD("raw form feed in an argument", GOOD "a.x \x0c\n", "argument"),
	BAD("NUL byte in a value", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "subject s\0t\n", "NUL"),
	BAD("NUL byte at the end", GOOD "\0", "NUL"),
	BAD("no final newline", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "subject s", "newline"),
	BAD("argument without final newline", GOOD "a.x 1", "newline"),
	BAD("sig without final newline", GOOD "sig " SIG0, "newline"),
	BAD("not UTF-8", E_HEAD E_ACTION E_OPERATOR E_APPROVER
	    "subject \xc0\xaf\n", "UTF-8"),
	BAD("surrogate", GOOD "a.x " SURROGATE "\n", "UTF-8"),
	BAD("above U+10FFFF", GOOD "a.x \xf4\x90\x80\x80\n", "UTF-8"),
	BAD("truncated sequence at the end", GOOD "a.x \xe3\x81\n", "UTF-8"),
	BAD("sig not last", GOOD "sig " SIG0 "\na.x 1\n", "sig"),
	BAD("two sig lines", GOOD "sig " SIG0 "\nsig " SIG0 "\n", "sig"),
	BAD("sig empty", GOOD "sig \n", "sig"),
	BAD("sig missing padding", GOOD "sig " A80 "AAAAAA=\n", "sig"),
	BAD("sig without padding", GOOD "sig " A80 "AAAAAA\n", "sig"),
	BAD("sig padding bits set", GOOD "sig " A80 "AAAAAB==\n", "sig"),
	BAD("sig of 63 bytes", GOOD "sig " A80 "AAAA\n", "sig"),
	BAD("sig of 65 bytes", GOOD "sig " A80 "AAAAAAA=\n", "sig"),
	BAD("sig with a bad character", GOOD "sig " A16 A16 "*AAAAAAAAAAAAAAA"
	    A16 A16 "AAAAAA==\n", "sig"),
	BAD("sig in the URL alphabet", GOOD "sig " A16 A16 "_AAAAAAAAAAAAAAA"
	    A16 A16 "AAAAAA==\n", "sig"),
	BAD("sig with a space inside", GOOD "sig " A16 A16 " AAAAAAAAAAAAAAA"
	    A16 A16 "AAAAAA==\n", "sig"),
	BAD("sig with trailing space", GOOD "sig " SIG0 " \n", "sig"),
	BAD("sig in hex", GOOD "sig " ZERO64 ZERO64 "\n", "sig"),
	BAD("sig without a space", GOOD "sig\n", "argument"),
	BAD("unknown line", GOOD "foo bar\n", "argument"),
	BAD("blank line after the fields", GOOD "\n", "argument"),
	BAD("argument without a value", GOOD "a.x\n", "argument"),
	BAD("argument without a name", GOOD "a. 1\n", "argument"),
	BAD("argument name upper-case", GOOD "a.X 1\n", "argument"),
	BAD("argument name leading digit", GOOD "a.1x 1\n", "argument"),
	BAD("argument name of 33 bytes", GOOD
	    "a.abcdefghijklmnopqrstuvwxyzabcdefg 1\n", "argument"),
	BAD("argument name with '-'", GOOD "a.a-b 1\n", "argument"),
	BAD("argument with a tab for space", GOOD "a.x\t1\n", "argument"),
	BAD("argument without the a. prefix", GOOD "x 1\n", "argument"),
};

int
main(void)
{
	int	failed = 0;

	if (sodium_init() < 0)
		return 1;
	failed += cmocka_run_group_tests_name("entries in a store",
	    store_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("refused by store_ledger_append",
	    append_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("parse", parse_tests, NULL,
	    NULL);
	failed += cmocka_run_group_tests_name("malformed entry", bad_parse,
	    NULL, NULL);
	return failed != 0;
}
