/*
 * entry.c -- the bytes of a ledger entry.
 *
 * An entry is UTF-8 text, one "name value" field a line, in a fixed order
 * (docs/ledger-format.md is the normative description):
 *
 *	daicho-entry v1
 *	index 42
 *	time 2026-11-21T10:00:00Z
 *	prev <64 hex: leaf hash of entry 41, zeros for entry 0>
 *	epoch 3
 *	action operator.add
 *	operator alice
 *	approver bob			("-" when there is none)
 *	subject operator:carol
 *	a.name carol			(zero or more arguments)
 *	a.role auditor
 *	sig <base64 Ed25519>		(ledger.init and ledger.rotate only)
 *
 * Values are percent-escaped only where they would break the line
 * structure: bytes below 0x20, 0x7F and '%' itself.  Entries are stored
 * and hashed exactly as written here and are never re-serialised.
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "store-int.h"

#define ENTRY_MAGIC	"daicho-entry v1"
#define NAME_MAX_LEN	32

int
store_args_add(struct store_args *a, const char *name, const char *value)
{
	if (a->n == STORE_MAX_ARGS)
		return -1;
	a->v[a->n].name = name;
	a->v[a->n].value = value;
	a->n++;
	return 0;
}

const char *
store_args_get(const struct store_args *a, const char *name)
{
	size_t	 i;

	for (i = 0; i < a->n; i++) {
		if (strcmp(a->v[i].name, name) == 0)
			return a->v[i].value;
	}
	return NULL;
}

/* Length of the valid UTF-8 sequence at s, or 0 (common/vis.c's rule). */
static size_t
utf8_seq(const unsigned char *s, size_t left)
{
	uint32_t	 cp;

	return vis_utf8(s, left, &cp);
}

static int
check_name(const char *name, char **cause)
{
	size_t	 i, len = strlen(name);

	if (len == 0 || len > NAME_MAX_LEN || name[0] < 'a' || name[0] > 'z')
		goto bad;
	for (i = 1; i < len; i++) {
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			goto bad;
	}
	return 0;
bad:
	xasprintf(cause, "argument name \"%.40s\" is not of the form "
	    "[a-z][a-z0-9_]* (at most %d bytes)", name, NAME_MAX_LEN);
	return -1;
}

int
store_entry_check_value(const char *name, const char *value, char **cause)
{
	const unsigned char	*p = (const unsigned char *)value;
	size_t			 len = strlen(value), n;

	if (check_name(name, cause) != 0)
		return -1;
	if (len > STORE_VALUE_MAX) {
		xasprintf(cause, "%s: value is %zu bytes, more than the %d "
		    "allowed", name, len, STORE_VALUE_MAX);
		return -1;
	}
	while (*p != '\0') {
		if ((n = utf8_seq(p, len - (size_t)(p - (const unsigned char *)
		    value))) == 0) {
			xasprintf(cause, "%s: value is not valid UTF-8 (byte "
			    "%zu)", name, (size_t)(p - (const unsigned char *)
			    value));
			return -1;
		}
		p += n;
	}
	return 0;
}

/* Append a field value, escaping what would break a line. */
static void
put_value(char **buf, size_t *len, size_t *cap, const char *v)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	size_t			 need;

	need = strlen(v) * 3 + 2;
	if (*len + need > *cap) {
		*cap = (*len + need) * 2;
		*buf = xreallocarray(*buf, *cap, 1);
	}
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '%') {
			(*buf)[(*len)++] = '%';
			(*buf)[(*len)++] = hex[*p >> 4];
			(*buf)[(*len)++] = hex[*p & 0xf];
		} else
			(*buf)[(*len)++] = (char)*p;
	}
	(*buf)[(*len)++] = '\n';
}

static void
put_raw(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t	 n = strlen(s);

	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = xreallocarray(*buf, *cap, 1);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
}

/*
 * Format an entry body (everything but the sig line).  Returns 0 with
 * *out (caller frees) and *outlen, or -1 with *cause.
 */
int
store_entry_format(char **out, size_t *outlen, uint64_t index,
    const char *time, const uint8_t *prev, uint64_t epoch,
    const char *action, const char *operator, const char *approver,
    const char *subject, const struct store_args *args, char **cause)
{
	char	*buf, head[256], prevhex[2 * STORE_HASH_LEN + 1];
	size_t	 len = 0, cap = 512, i;
	int	 n;

	if (store_entry_check_value("action", action, cause) != 0 ||
	    store_entry_check_value("operator", operator, cause) != 0 ||
	    (approver != NULL &&
	    store_entry_check_value("approver", approver, cause) != 0) ||
	    store_entry_check_value("subject", subject, cause) != 0)
		return -1;
	for (i = 0; i < args->n; i++) {
		if (store_entry_check_value(args->v[i].name, args->v[i].value,
		    cause) != 0)
			return -1;
		if (store_args_get(args, args->v[i].name) != args->v[i].value) {
			xasprintf(cause, "argument %s is given twice",
			    args->v[i].name);
			return -1;
		}
	}
	codec_hex(prevhex, prev, STORE_HASH_LEN);
	n = snprintf(head, sizeof head, ENTRY_MAGIC "\nindex %llu\ntime %s\n"
	    "prev %s\nepoch %llu\n", (unsigned long long)index, time, prevhex,
	    (unsigned long long)epoch);
	if (n < 0 || (size_t)n >= sizeof head)
		fatalx("entry header too long");

	buf = xmalloc(cap);
	put_raw(&buf, &len, &cap, head);
	put_raw(&buf, &len, &cap, "action ");
	put_value(&buf, &len, &cap, action);
	put_raw(&buf, &len, &cap, "operator ");
	put_value(&buf, &len, &cap, operator);
	put_raw(&buf, &len, &cap, "approver ");
	put_value(&buf, &len, &cap, approver != NULL ? approver : "-");
	put_raw(&buf, &len, &cap, "subject ");
	put_value(&buf, &len, &cap, subject);
	for (i = 0; i < args->n; i++) {
		put_raw(&buf, &len, &cap, "a.");
		put_raw(&buf, &len, &cap, args->v[i].name);
		put_raw(&buf, &len, &cap, " ");
		put_value(&buf, &len, &cap, args->v[i].value);
	}
	if (len > STORE_ENTRY_MAX - 128) {
		xasprintf(cause, "entry would be %zu bytes, more than the %d "
		    "allowed", len, STORE_ENTRY_MAX);
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

/*
 * Undo the escaping of one value in place.  Returns 0, or -1 when the
 * value holds a raw control byte or a malformed escape.
 */
static int
unescape(char *v)
{
	char	*r, *w;
	int	 hi, lo;

	for (r = w = v; *r != '\0'; r++) {
		if ((unsigned char)*r < 0x20 || *r == 0x7f)
			return -1;
		if (*r != '%') {
			*w++ = *r;
			continue;
		}
		hi = r[1] >= '0' && r[1] <= '9' ? r[1] - '0' :
		    r[1] >= 'A' && r[1] <= 'F' ? r[1] - 'A' + 10 : -1;
		lo = hi < 0 ? -1 : r[2] >= '0' && r[2] <= '9' ? r[2] - '0' :
		    r[2] >= 'A' && r[2] <= 'F' ? r[2] - 'A' + 10 : -1;
		if (lo < 0)
			return -1;
		/*
		 * Only what must be escaped may be: one spelling per value.
		 * NUL cannot be in a value, so %00 is no spelling of anything.
		 */
		if (!((hi * 16 + lo > 0 && hi * 16 + lo < 0x20) ||
		    hi * 16 + lo == 0x7f || hi * 16 + lo == '%'))
			return -1;
		*w++ = (char)(hi * 16 + lo);
		r += 2;
	}
	*w = '\0';
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SSZ" with digits where digits belong. */
static int
time_ok(const char *v)
{
	static const char	 form[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t			 i;

	if (strlen(v) != sizeof form - 1)
		return 0;
	for (i = 0; form[i] != '\0'; i++) {
		if (form[i] == 'd' ? !(v[i] >= '0' && v[i] <= '9') :
		    v[i] != form[i])
			return 0;
	}
	return 1;
}

/* Split the next line "key value"; returns value or NULL. */
static char *
next_field(char **p, const char *key)
{
	char	*line = *p, *nl;
	size_t	 n = strlen(key);

	if (line == NULL || (nl = strchr(line, '\n')) == NULL)
		return NULL;
	*nl = '\0';
	*p = nl + 1;
	if (strncmp(line, key, n) != 0 || line[n] != ' ')
		return NULL;
	return line + n + 1;
}

static int
parse_u64(const char *s, uint64_t *out)
{
	long long	 v;
	const char	*errstr;

	if (s == NULL || number_parse(s, 0, INT64_MAX, &v, &errstr) != 0)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/*
 * The "a.NAME value" lines after the header, then an optional final
 * "sig" line, from p to end.  0, or -1 with *field the line that is
 * malformed.
 */
static int
parse_args_sig(struct store_entry *e, char *p, char *end, const char **field)
{
	char	*v, *cause = NULL;

	while (p < end) {
		if (strncmp(p, "sig ", 4) == 0) {
			*field = "sig";
			e->siglen = (size_t)(p - e->storage);
			if ((v = next_field(&p, "sig")) == NULL ||
			    codec_unb64(e->sig, sizeof e->sig, v,
			    strlen(v)) != 0 || p != end)
				return -1;
			e->signed_ = 1;
			return 0;
		}
		*field = "argument";
		if (strncmp(p, "a.", 2) != 0 || e->args.n == STORE_MAX_ARGS)
			return -1;
		p += 2;
		if ((v = strchr(p, ' ')) == NULL || v > strchr(p, '\n'))
			return -1;
		*v++ = '\0';
		e->args.v[e->args.n].name = p;
		if ((p = strchr(v, '\n')) == NULL)
			return -1;
		*p++ = '\0';
		if (check_name(e->args.v[e->args.n].name, &cause) != 0) {
			free(cause);
			return -1;
		}
		if (unescape(v) != 0)
			return -1;
		*field = "argument (repeated name)";
		if (store_args_get(&e->args, e->args.v[e->args.n].name) != NULL)
			return -1;
		e->args.v[e->args.n].value = v;
		e->args.n++;
	}
	return 0;
}

struct store_entry *
store_entry_parse(const uint8_t *bytes, size_t len, char **cause)
{
	struct store_entry	*e;
	char			*p, *v, *end;
	const char		*field;
	size_t			 i;

	if (len == 0 || len > STORE_ENTRY_MAX || bytes[len - 1] != '\n' ||
	    memchr(bytes, '\0', len) != NULL) {
		xasprintf(cause, "not an entry: empty, too long, NUL byte or "
		    "no final newline");
		return NULL;
	}
	for (i = 0; i < len; i += utf8_seq(bytes + i, len - i)) {
		if (utf8_seq(bytes + i, len - i) == 0) {
			xasprintf(cause, "not valid UTF-8 at byte %zu", i);
			return NULL;
		}
	}
	e = xcalloc(1, sizeof *e);
	/* The pristine bytes, then a copy cut up into fields. */
	e->storage = xmalloc(2 * len + 1);
	memcpy(e->storage + len + 1, bytes, len);
	memcpy(e->storage, bytes, len);
	e->storage[len] = '\0';
	e->bytes = (const uint8_t *)e->storage + len + 1;
	e->len = len;
	p = e->storage;
	end = e->storage + len;

	field = "version";
	if ((v = next_field(&p, "daicho-entry")) == NULL ||
	    strcmp(v, "v1") != 0)
		goto bad;
	field = "index";
	if (parse_u64(next_field(&p, "index"), &e->index) != 0)
		goto bad;
	field = "time";
	if ((v = next_field(&p, "time")) == NULL || !time_ok(v))
		goto bad;
	memcpy(e->time, v, 21);
	field = "prev";
	if ((v = next_field(&p, "prev")) == NULL ||
	    strlen(v) != 2 * STORE_HASH_LEN ||
	    strspn(v, "0123456789abcdef") != 2 * STORE_HASH_LEN ||
	    codec_unhex(e->prev, sizeof e->prev, v, strlen(v)) != 0)
		goto bad;
	field = "epoch";
	if (parse_u64(next_field(&p, "epoch"), &e->epoch) != 0)
		goto bad;
	field = "action";
	if ((v = next_field(&p, "action")) == NULL || unescape(v) != 0)
		goto bad;
	e->action = v;
	field = "operator";
	if ((v = next_field(&p, "operator")) == NULL || unescape(v) != 0)
		goto bad;
	e->operator = v;
	field = "approver";
	if ((v = next_field(&p, "approver")) == NULL || unescape(v) != 0)
		goto bad;
	e->approver = strcmp(v, "-") == 0 ? NULL : v;
	field = "subject";
	if ((v = next_field(&p, "subject")) == NULL || unescape(v) != 0)
		goto bad;
	e->subject = v;

	if (parse_args_sig(e, p, end, &field) != 0)
		goto bad;
	return e;
bad:
	xasprintf(cause, "malformed %s line", field);
	store_entry_free(e);
	return NULL;
}

void
store_entry_free(struct store_entry *e)
{
	if (e == NULL)
		return;
	free(e->storage);
	free(e);
}
