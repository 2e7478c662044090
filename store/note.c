/*
 * note.c -- C2SP signed-note v1.0.0 with Ed25519 signatures, and the
 * C2SP tlog-checkpoint v1.0.0 text that daicho signs after every
 * transaction.  Anyone holding the verifier key can check a checkpoint with
 * any implementation of these specs, so the formats are followed exactly
 * and parsing refuses anything the specs do not allow.
 *
 * Deliberately narrower than the specs in two ways.  The signed-note text
 * may not contain an empty line (the spec allows them and splits at the
 * last blank line), so an accepted note has exactly one blank line and every
 * implementation splits it at the same place; nothing daicho signs has one.
 * And base64 must be canonical (see codec_unb64), which daicho's own notes
 * always are.
 */

#include "config.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common.h"
#include "store.h"

#define NOTE_MAX_LEN	(1024 * 1024)	/* whole note, signatures in */
#define NOTE_MAX_SIGS	100		/* bounds work done per note */
#define NOTE_TYPE	0x01		/* signature type: Ed25519 */
#define NOTE_KEYID_LEN	4
#define NOTE_DASH	"\xe2\x80\x94 "	/* U+2014 em dash, space */
#define NOTE_DASH_LEN	4

/*
 * Unicode White_Space outside ASCII (the set Go's unicode.IsSpace uses, as
 * the reference implementation checks key names with it).
 */
static const struct {
	uint32_t	first;
	uint32_t	last;
} note_spaces[] = {
	{ 0x0085, 0x0085 },
	{ 0x00a0, 0x00a0 },
	{ 0x1680, 0x1680 },
	{ 0x2000, 0x200a },
	{ 0x2028, 0x2029 },
	{ 0x202f, 0x202f },
	{ 0x205f, 0x205f },
	{ 0x3000, 0x3000 },
};
#define NOTE_NSPACES	(sizeof note_spaces / sizeof note_spaces[0])

static int	note_fail(char **, const char *, ...) DAICHO_PRINTF(2, 3);

/* Set *cause and return -1, so error paths are one line. */
static int
note_fail(char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	xvasprintf(cause, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * The rule for a whole note: UTF-8 with no control character below U+0020
 * other than newline.  Returns NULL, or why not.
 */
static const char *
note_check_chars(const char *s, size_t len)
{
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 i, n;
	uint32_t	 cp;

	for (i = 0; i < len; i += n) {
		if ((n = vis_utf8(p + i, len - i, &cp)) == 0)
			return "is not valid UTF-8";
		if (cp < 0x20 && cp != '\n')
			return "contains a control character";
	}
	return NULL;
}

/*
 * Key names: non-empty UTF-8 with no Unicode space and no '+'.  Control
 * characters are refused too, as a note could not carry them anyway.
 * Returns NULL, or why not.
 */
static const char *
note_check_name(const char *s, size_t len)
{
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 i, j, n;
	uint32_t	 cp;

	if (len == 0)
		return "is empty";
	for (i = 0; i < len; i += n) {
		if ((n = vis_utf8(p + i, len - i, &cp)) == 0)
			return "is not valid UTF-8";
		if (cp == '+')
			return "contains '+'";
		if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
			return "contains a space";
		if (cp < 0x20)
			return "contains a control character";
		for (j = 0; j < NOTE_NSPACES; j++) {
			if (cp >= note_spaces[j].first &&
			    cp <= note_spaces[j].last)
				return "contains a space";
		}
	}
	return NULL;
}

/*
 * Decode strict padded base64 of any length.  Returns a buffer (caller
 * frees) and sets *outlen, or NULL.
 */
static uint8_t *
note_unb64(const char *s, size_t slen, size_t *outlen)
{
	uint8_t	*out;
	size_t	 want;

	if (slen == 0 || slen % 4 != 0)
		return NULL;
	want = slen / 4 * 3;
	if (s[slen - 1] == '=')
		want--;
	if (s[slen - 2] == '=')
		want--;
	out = xmalloc(want);		/* slen >= 4, so want >= 1 */
	if (codec_unb64(out, want, s, slen) != 0) {
		free(out);
		return NULL;
	}
	*outlen = want;
	return out;
}

static uint32_t
note_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
note_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint32_t
store_note_keyid(const char *name, const uint8_t *pk)
{
	static const uint8_t		 sep[2] = { '\n', NOTE_TYPE };
	crypto_hash_sha256_state	 st;
	uint8_t				 h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
	crypto_hash_sha256_update(&st, sep, sizeof sep);
	crypto_hash_sha256_update(&st, pk, STORE_PK_LEN);
	crypto_hash_sha256_final(&st, h);
	return note_get32(h);
}

char *
store_note_vkey(const char *name, const uint8_t *pk)
{
	uint8_t	 key[1 + STORE_PK_LEN];
	char	*b64, *vkey;

	assert(note_check_name(name, strlen(name)) == NULL);
	key[0] = NOTE_TYPE;
	memcpy(key + 1, pk, STORE_PK_LEN);
	b64 = codec_b64(key, sizeof key);
	xasprintf(&vkey, "%s+%08" PRIx32 "+%s", name,
	    store_note_keyid(name, pk), b64);
	free(b64);
	return vkey;
}

int
store_note_parse_vkey(const char *vkey, char **namep, uint8_t *pk,
    char **cause)
{
	const char	*plus1, *plus2, *why;
	uint8_t		 id[NOTE_KEYID_LEN], *key;
	size_t		 keylen;
	char		*name;

	/* The base64 key may itself contain '+': split on the first two. */
	if ((plus1 = strchr(vkey, '+')) == NULL)
		return note_fail(cause, "verifier key has no key ID");
	if ((plus2 = strchr(plus1 + 1, '+')) == NULL)
		return note_fail(cause, "verifier key has no public key");

	if ((why = note_check_name(vkey, plus1 - vkey)) != NULL)
		return note_fail(cause, "verifier key name %s", why);
	if (codec_unhex(id, sizeof id, plus1 + 1, plus2 - plus1 - 1) != 0) {
		return note_fail(cause,
		    "verifier key ID is not 8 hexadecimal digits");
	}

	/* Decoded at whatever length it has, to say what is wrong with it. */
	key = note_unb64(plus2 + 1, strlen(plus2 + 1), &keylen);
	if (key == NULL)
		return note_fail(cause, "verifier key is not valid base64");
	if (key[0] != NOTE_TYPE) {
		free(key);
		return note_fail(cause, "verifier key is not an Ed25519 key");
	}
	if (keylen != 1 + STORE_PK_LEN) {
		free(key);
		return note_fail(cause,
		    "verifier key is not %d bytes long", STORE_PK_LEN);
	}

	name = xstrndup(vkey, plus1 - vkey);
	if (store_note_keyid(name, key + 1) != note_get32(id)) {
		free(name);
		free(key);
		return note_fail(cause,
		    "verifier key ID does not match its name and key");
	}
	memcpy(pk, key + 1, STORE_PK_LEN);
	free(key);
	*namep = name;
	return 0;
}

char *
store_note_sign(const char *text, size_t len, const char *name,
    const uint8_t *sk)
{
	uint8_t	 pk[STORE_PK_LEN], sig[NOTE_KEYID_LEN + STORE_SIG_LEN];
	char	*b64, *note;

	/* Text that store_note_verify would refuse must never be signed. */
	assert(len > 0 && len <= NOTE_MAX_LEN && text[len - 1] == '\n' &&
	    text[0] != '\n' && memmem(text, len, "\n\n", 2) == NULL &&
	    note_check_chars(text, len) == NULL);
	assert(note_check_name(name, strlen(name)) == NULL);

	crypto_sign_ed25519_sk_to_pk(pk, sk);
	note_put32(sig, store_note_keyid(name, pk));
	crypto_sign_detached(sig + NOTE_KEYID_LEN, NULL, (const uint8_t *)text,
	    len, sk);
	b64 = codec_b64(sig, sizeof sig);

	/* The text has no NUL (a control character), so %.*s copies it all. */
	xasprintf(&note, "%.*s\n" NOTE_DASH "%s %s\n", (int)len, text,
	    name, b64);
	free(b64);
	assert(strlen(note) <= NOTE_MAX_LEN);
	return note;
}

int
store_note_verify(const char *note, size_t len, const char *name,
    const uint8_t *pk, size_t *textlen, char **cause)
{
	const char	*blank, *line, *eol, *end, *sp, *why;
	uint8_t		*sig;
	size_t		 tlen, namelen, siglen;
	uint32_t	 keyid;
	unsigned int	 nsigs;
	int		 found = 0, mine, good;

	keyid = store_note_keyid(name, pk);
	namelen = strlen(name);

	if (len > NOTE_MAX_LEN)
		return note_fail(cause, "note is larger than 1 MiB");
	if ((why = note_check_chars(note, len)) != NULL)
		return note_fail(cause, "note %s", why);

	/*
	 * The text ends at the first blank line, so a note starting with a
	 * newline has no text at all.
	 */
	if (len > 0 && note[0] == '\n')
		return note_fail(cause, "note text is empty");
	if ((blank = memmem(note, len, "\n\n", 2)) == NULL) {
		return note_fail(cause,
		    "note has no blank line before its signatures");
	}
	tlen = blank + 1 - note;
	line = blank + 2;
	end = note + len;
	if (line == end)
		return note_fail(cause, "note has no signature lines");
	if (end[-1] != '\n') {
		return note_fail(cause,
		    "note has data after its last signature line");
	}

	/* Parse every line, even past a good signature: all must be valid. */
	for (nsigs = 0; line < end; line = eol + 1) {
		eol = memchr(line, '\n', end - line);
		if (++nsigs > NOTE_MAX_SIGS) {
			return note_fail(cause,
			    "note has more than %d signatures", NOTE_MAX_SIGS);
		}
		if (eol == line) {
			return note_fail(cause,
			    "note has an empty line among its signatures");
		}
		if (eol - line < NOTE_DASH_LEN ||
		    memcmp(line, NOTE_DASH, NOTE_DASH_LEN) != 0) {
			return note_fail(cause, "note signature line %u does "
			    "not start with an em dash and a space", nsigs);
		}
		line += NOTE_DASH_LEN;
		if ((sp = memchr(line, ' ', eol - line)) == NULL) {
			return note_fail(cause, "note signature line %u has "
			    "no space after the key name", nsigs);
		}
		if ((why = note_check_name(line, sp - line)) != NULL) {
			return note_fail(cause,
			    "note signature line %u key name %s", nsigs, why);
		}
		sig = note_unb64(sp + 1, eol - sp - 1, &siglen);
		if (sig == NULL) {
			return note_fail(cause,
			    "note signature line %u is not valid base64",
			    nsigs);
		}
		if (siglen <= NOTE_KEYID_LEN) {
			free(sig);
			return note_fail(cause,
			    "note signature line %u is too short", nsigs);
		}

		/* Only a line naming both our name and key ID is ours. */
		mine = (size_t)(sp - line) == namelen &&
		    memcmp(line, name, namelen) == 0 &&
		    note_get32(sig) == keyid;
		good = mine && siglen == NOTE_KEYID_LEN + STORE_SIG_LEN &&
		    crypto_sign_verify_detached(sig + NOTE_KEYID_LEN,
		    (const uint8_t *)note, tlen, pk) == 0;
		free(sig);
		if (mine && !good) {
			return note_fail(cause, "note signature by %s+%08"
			    PRIx32 " does not verify", name, keyid);
		}
		found |= good;
	}
	if (!found) {
		return note_fail(cause, "no signature by %s+%08" PRIx32,
		    name, keyid);
	}
	*textlen = tlen;
	return 0;
}

char *
store_checkpoint_text(const char *origin, uint64_t size, const uint8_t *root)
{
	char	*b64, *text;

	assert(*origin != '\0' && strchr(origin, '\n') == NULL);
	assert(note_check_chars(origin, strlen(origin)) == NULL);
	b64 = codec_b64(root, STORE_HASH_LEN);
	xasprintf(&text, "%s\n%" PRIu64 "\n%s\n", origin, size, b64);
	free(b64);
	return text;
}

/*
 * The tree size: ASCII digits, no sign, no leading zero, fits uint64_t.
 * Returns NULL or why not.
 */
static const char *
note_parse_size(const char *s, size_t len, uint64_t *size)
{
	uint64_t	v = 0;
	size_t		i;
	unsigned int	d;

	if (len == 0)
		return "is empty";
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return "is not a decimal number";
	}
	if (len > 1 && s[0] == '0')
		return "has a leading zero";
	for (i = 0; i < len; i++) {
		d = s[i] - '0';
		if (v > (UINT64_MAX - d) / 10)
			return "is too large";
		v = v * 10 + d;
	}
	*size = v;
	return NULL;
}

int
store_checkpoint_parse(const char *text, size_t len, char **origin,
    uint64_t *size, uint8_t *root, char **cause)
{
	const char	*line[3], *p, *eol, *end = text + len, *why;
	size_t		 linelen[3];
	uint8_t		 hash[STORE_HASH_LEN];
	uint64_t	 v;
	unsigned int	 n;

	if (len == 0)
		return note_fail(cause, "checkpoint is empty");
	if (text[len - 1] != '\n')
		return note_fail(cause, "checkpoint does not end in a newline");

	/* The text ends in a newline, so memchr always finds one. */
	for (n = 0, p = text; n < 3; n++, p = eol + 1) {
		if (p == end) {
			return note_fail(cause,
			    "checkpoint has fewer than three lines");
		}
		eol = memchr(p, '\n', end - p);
		line[n] = p;
		linelen[n] = eol - p;
	}

	if (linelen[0] == 0)
		return note_fail(cause, "checkpoint origin is empty");
	if ((why = note_check_chars(line[0], linelen[0])) != NULL)
		return note_fail(cause, "checkpoint origin %s", why);
	if ((why = note_parse_size(line[1], linelen[1], &v)) != NULL)
		return note_fail(cause, "checkpoint size %s", why);
	if (codec_unb64(hash, sizeof hash, line[2], linelen[2]) != 0) {
		return note_fail(cause, "checkpoint root hash is not base64 "
		    "of %d bytes", STORE_HASH_LEN);
	}

	/* Extension lines are opaque, but the spec wants them non-empty. */
	for (; p < end; p = eol + 1) {
		eol = memchr(p, '\n', end - p);
		if (eol == p) {
			return note_fail(cause,
			    "checkpoint has an empty extension line");
		}
		if ((why = note_check_chars(p, eol - p)) != NULL) {
			return note_fail(cause,
			    "checkpoint extension line %s", why);
		}
	}

	*origin = xstrndup(line[0], linelen[0]);
	*size = v;
	memcpy(root, hash, sizeof hash);
	return 0;
}

int
store_note_name_ok(const char *name, char **cause)
{
	const char	*why;

	if ((why = note_check_name(name, strlen(name))) != NULL) {
		xasprintf(cause, "key name \"%.60s\" %s", name, why);
		return -1;
	}
	return 0;
}
