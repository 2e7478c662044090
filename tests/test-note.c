/*
 * test-note.c -- the hex/base64 codecs, C2SP signed notes and tlog
 * checkpoints.  The signed-note spec's own example anchors the format to
 * the outside world; everything else is round trips with fresh keys and one
 * test per malformed input, so a regression names the rule it broke.
 */

#include "config.h"

#include <sys/wait.h>

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>

#include "common.h"
#include "store.h"

#define DASH		"\xe2\x80\x94"		/* U+2014, no space */
#define EX_VKEY		"example.com/foo+530d903a+" EX_PK
#define EX_PK		"AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
#define EX_KEYID	0x530d903aU
#define EX_NAME		"example.com/foo"
#define EX_TEXT		"This is an example message.\n"
#define EX_SIG		EX_SIG_HEAD "yaQM="
#define EX_SIG_HEAD	"Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONnc" \
			"AlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72Ine"
#define EX_LINE		DASH " " EX_NAME " " EX_SIG "\n"
#define EX_NOTE		EX_TEXT "\n" EX_LINE
/* Base64 of 32 zero bytes. */
#define ROOT0		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
#define SIGBYTES	(4 + STORE_SIG_LEN)
#define MAX_NOTE	(1024 * 1024)

/* A malformed input and a word its cause must contain. */
struct bad {
	const char	*s;
	size_t		 len;
	const char	*why;
};
#define BAD(name, fn, lit, why)						\
	{ name, fn, NULL, NULL,						\
	    &(struct bad){ lit, sizeof lit - 1, why } }

/* Text and name that store_note_sign must refuse. */
struct badsign {
	const char	*text;
	size_t		 len;
	const char	*name;
};
#define BADSIGN(name, lit, keyname)					\
	{ name, test_sign_aborts, NULL, NULL,				\
	    &(struct badsign){ lit, sizeof lit - 1, keyname } }

static void
check_cause(const char *cause, const char *why)
{
	if (cause == NULL)
		fail_msg("no cause given");
	else if (strstr(cause, why) == NULL)
		fail_msg("cause \"%s\" does not mention \"%s\"", cause, why);
}

/* The example key, as a test would get it from configuration. */
static char *
example_key(uint8_t *pk)
{
	char	*name, *cause = NULL;

	assert_int_equal(store_note_parse_vkey(EX_VKEY, &name, pk, &cause), 0);
	assert_null(cause);
	return name;
}

/* Verify with the example key; must fail naming why, textlen untouched. */
static void
verify_fails(const char *note, size_t len, const char *why)
{
	uint8_t	 pk[STORE_PK_LEN];
	char	*name, *cause = NULL;
	size_t	 textlen = 12345;

	name = example_key(pk);
	assert_int_equal(store_note_verify(note, len, name, pk, &textlen,
	    &cause), -1);
	check_cause(cause, why);
	assert_int_equal(textlen, 12345);
	free(cause);
	free(name);
}

static void
verify_ok(const char *note, size_t len, const char *name, const uint8_t *pk,
    size_t want)
{
	char	*cause = NULL;
	size_t	 textlen = 0;

	if (store_note_verify(note, len, name, pk, &textlen, &cause) != 0)
		fail_msg("verify failed: %s", cause);
	assert_null(cause);
	assert_int_equal(textlen, want);
}

/* The signature lines of a note from store_note_sign. */
static const char *
sig_lines(const char *note)
{
	const char	*p;

	p = strstr(note, "\n\n");
	assert_non_null(p);
	return p + 2;
}

/* A signature line by the example name carrying these bytes. */
static char *
example_line(const uint8_t *sig, size_t len)
{
	char	*b64, *line;

	b64 = codec_b64(sig, len);
	xasprintf(&line, DASH " " EX_NAME " %s\n", b64);
	free(b64);
	return line;
}

/* EX_TEXT signed as name by a key made from a fixed seed byte. */
static char *
other_note(const char *name, uint8_t seedbyte)
{
	uint8_t	 seed[crypto_sign_SEEDBYTES], pk[STORE_PK_LEN];
	uint8_t	 sk[STORE_SK_LEN];
	char	*note;

	memset(seed, seedbyte, sizeof seed);
	crypto_sign_seed_keypair(pk, sk, seed);
	note = store_note_sign(EX_TEXT, strlen(EX_TEXT), name, sk);
	sodium_memzero(sk, sizeof sk);
	return note;
}

static void
test_hex(void **state)
{
	static const uint8_t	 in[] = { 0x00, 0x01, 0x7f, 0xab, 0xff };
	uint8_t			 out[sizeof in], buf[64], back[64];
	char			 hex[2 * sizeof buf + 1];
	size_t			 len;

	(void)state;
	codec_hex(hex, in, sizeof in);
	assert_string_equal(hex, "00017fabff");
	assert_int_equal(codec_unhex(out, sizeof out, "00017FABff", 10), 0);
	assert_memory_equal(out, in, sizeof in);
	codec_hex(hex, in, 0);
	assert_string_equal(hex, "");
	assert_int_equal(codec_unhex(out, 0, "", 0), 0);

	for (len = 0; len <= sizeof buf; len++) {
		randombytes_buf(buf, len);
		codec_hex(hex, buf, len);
		assert_int_equal(strlen(hex), 2 * len);
		assert_int_equal(codec_unhex(back, len, hex, 2 * len), 0);
		assert_memory_equal(back, buf, len);
	}
}

static void
test_unhex_bad(void **state)
{
	uint8_t	out[4];

	(void)state;
	assert_int_equal(codec_unhex(out, 4, "0001abf", 7), -1);
	assert_int_equal(codec_unhex(out, 4, "0001abff00", 10), -1);
	assert_int_equal(codec_unhex(out, 4, "0001abfg", 8), -1);
	assert_int_equal(codec_unhex(out, 4, "0001ab f", 8), -1);
	assert_int_equal(codec_unhex(out, 4, " 001abff", 8), -1);
	assert_int_equal(codec_unhex(out, 4, "0x01abff", 8), -1);
	assert_int_equal(codec_unhex(out, 4, "00\0001abf", 8), -1);
	assert_int_equal(codec_unhex(out, 4, "-001abff", 8), -1);
	assert_int_equal(codec_unhex(out, 0, "00", 2), -1);
	assert_int_equal(codec_unhex(out, SIZE_MAX, "00", 2), -1);
}

static void
test_b64(void **state)
{
	/* RFC 4648 section 10. */
	static const char	*vec[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" },
		{ "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	uint8_t			 buf[200], back[200];
	char			*b64;
	size_t			 i, len;

	(void)state;
	for (i = 0; i < sizeof vec / sizeof vec[0]; i++) {
		len = strlen(vec[i][0]);
		b64 = codec_b64((const uint8_t *)vec[i][0], len);
		assert_string_equal(b64, vec[i][1]);
		free(b64);
		assert_int_equal(codec_unb64(back, len, vec[i][1],
		    strlen(vec[i][1])), 0);
		assert_memory_equal(back, vec[i][0], len);
	}
	for (len = 0; len <= sizeof buf; len++) {
		randombytes_buf(buf, len);
		b64 = codec_b64(buf, len);
		assert_int_equal(strlen(b64), (len + 2) / 3 * 4);
		assert_int_equal(codec_unb64(back, len, b64, strlen(b64)), 0);
		assert_memory_equal(back, buf, len);
		free(b64);
	}
}

static void
test_unb64_bad(void **state)
{
	static const struct {
		const char	*s;
		size_t		 want;
	} bad[] = {
		{ "Zg", 1 },		/* missing padding */
		{ "Zg=", 1 },		/* short padding */
		{ "Zg===", 1 },		/* extra padding */
		{ "Zg==Zg==", 2 },	/* padding inside */
		{ "Zh==", 1 },		/* unused bits set */
		{ "Zm9=", 2 },		/* unused bits set */
		{ "Zm8=", 1 },		/* more bytes than wanted */
		{ "Zm9v", 2 },
		{ "Zm9v", 4 },
		{ "Zg==", 0 },
		{ "====", 1 },
		{ "A===", 1 },
		{ "Zm9v\n", 3 },	/* trailing newline */
		{ " Zm9v", 3 },
		{ "Zm9 ", 3 },
		{ "Zm-v", 3 },		/* URL-safe alphabet */
		{ "Zm_v", 3 },
		{ "Zm9*", 3 },
		{ "Zm9\x80", 3 },	/* libsodium 1.0.18 reads '/' */
		{ "Zm\xc2\xaf", 3 },	/* (fuzz/fuzz-checkpoint.c) */
		{ "Zm9\xff", 3 },
		{ "Zm9vYmFy", 3 },	/* trailing data */
	};
	uint8_t	 out[8];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (codec_unb64(out, bad[i].want, bad[i].s,
		    strlen(bad[i].s)) != -1)
			fail_msg("accepted \"%s\" as %zu bytes", bad[i].s,
			    bad[i].want);
	}
	assert_int_equal(codec_unb64(out, 3, "Zm\0v", 4), -1);
	assert_int_equal(codec_unb64(out, SIZE_MAX, "Zm9v", 4), -1);
}

static void
test_note_example(void **state)
{
	uint8_t	 pk[STORE_PK_LEN];
	char	*name, *vkey;

	(void)state;
	name = example_key(pk);
	assert_string_equal(name, EX_NAME);
	assert_int_equal(store_note_keyid(name, pk), EX_KEYID);
	vkey = store_note_vkey(name, pk);
	assert_string_equal(vkey, EX_VKEY);
	free(vkey);
	verify_ok(EX_NOTE, strlen(EX_NOTE), name, pk, strlen(EX_TEXT));
	free(name);
}

static void
test_note_flip_text(void **state)
{
	char	note[] = EX_NOTE;
	size_t	i;

	(void)state;
	/* Any cause will do: a flip may also make a control character. */
	for (i = 0; i < strlen(EX_TEXT); i++) {
		note[i] ^= 0x01;
		verify_fails(note, strlen(note), "");
		note[i] ^= 0x01;
	}
	verify_fails(EX_NOTE, strlen(EX_NOTE) - 1, "data after");
}

static void
test_note_flip_sig(void **state)
{
	uint8_t	 sig[SIGBYTES];
	char	*line, *note;
	size_t	 i;

	(void)state;
	assert_int_equal(codec_unb64(sig, sizeof sig, EX_SIG,
	    strlen(EX_SIG)), 0);
	for (i = 0; i < sizeof sig; i++) {
		sig[i] ^= 0x01;
		line = example_line(sig, sizeof sig);
		xasprintf(&note, EX_TEXT "\n%s", line);
		/* A changed key ID makes the line someone else's. */
		verify_fails(note, strlen(note),
		    i < 4 ? "no signature by example.com/foo+530d903a" :
		    "does not verify");
		free(note);
		free(line);
		sig[i] ^= 0x01;
	}
}

static void
test_note_sig_length(void **state)
{
	uint8_t	 sig[SIGBYTES + 1] = { 0 };
	char	*line, *note;

	(void)state;
	assert_int_equal(codec_unb64(sig, SIGBYTES, EX_SIG,
	    strlen(EX_SIG)), 0);
	line = example_line(sig, SIGBYTES + 1);
	xasprintf(&note, EX_TEXT "\n%s", line);
	verify_fails(note, strlen(note), "does not verify");
	free(note);
	free(line);

	line = example_line(sig, SIGBYTES - 1);
	xasprintf(&note, EX_TEXT "\n%s", line);
	verify_fails(note, strlen(note), "does not verify");
	free(note);
	free(line);
}

static void
test_note_other_keys(void **state)
{
	uint8_t	 pk[STORE_PK_LEN], long_sig[2420];
	char	*other, *twin, *note, *name, *b64;

	(void)state;
	other = other_note("example.com/bar", 1);
	verify_fails(other, strlen(other), "no signature by");

	/* Same name, another key: a different key ID, so not ours. */
	twin = other_note(EX_NAME, 2);
	verify_fails(twin, strlen(twin), "no signature by");

	/* Other lines around ours are ignored, in any order. */
	name = example_key(pk);
	xasprintf(&note, "%s%s%s", other, EX_LINE, sig_lines(twin));
	verify_ok(note, strlen(note), name, pk, strlen(EX_TEXT));
	free(note);
	xasprintf(&note, EX_NOTE "%s", sig_lines(other));
	verify_ok(note, strlen(note), name, pk, strlen(EX_TEXT));
	free(note);

	/* Another algorithm's long signature is skipped, not misread. */
	randombytes_buf(long_sig, sizeof long_sig);
	b64 = codec_b64(long_sig, sizeof long_sig);
	xasprintf(&note, EX_NOTE DASH " pq.example/key %s\n", b64);
	verify_ok(note, strlen(note), name, pk, strlen(EX_TEXT));
	free(note);
	free(b64);

	free(name);
	free(twin);
	free(other);
}

static void
test_note_corrupt_mine(void **state)
{
	uint8_t	 sig[SIGBYTES];
	char	*other, *bad, *note;

	(void)state;
	assert_int_equal(codec_unb64(sig, sizeof sig, EX_SIG,
	    strlen(EX_SIG)), 0);
	sig[40] ^= 0x80;
	bad = example_line(sig, sizeof sig);

	/* A valid line by another key does not excuse a bad one by ours. */
	other = other_note("example.com/bar", 1);
	xasprintf(&note, "%s%s", other, bad);
	verify_fails(note, strlen(note), "does not verify");
	free(note);

	/* Nor does a valid line by ours. */
	xasprintf(&note, EX_NOTE "%s", bad);
	verify_fails(note, strlen(note), "does not verify");
	free(note);
	xasprintf(&note, EX_TEXT "\n%s" EX_LINE, bad);
	verify_fails(note, strlen(note), "does not verify");
	free(note);

	free(other);
	free(bad);
}

static void
test_note_sig_count(void **state)
{
	uint8_t	 pk[STORE_PK_LEN];
	char	*other, *note, *name, *p;
	size_t	 linelen, i;

	(void)state;
	other = other_note("example.com/bar", 1);
	linelen = strlen(sig_lines(other));
	name = example_key(pk);

	/* 99 other lines and ours: the limit exactly. */
	note = xmalloc(strlen(EX_NOTE) + 100 * linelen + 1);
	p = stpcpy(note, EX_NOTE);
	for (i = 0; i < 99; i++)
		p = stpcpy(p, sig_lines(other));
	verify_ok(note, strlen(note), name, pk, strlen(EX_TEXT));
	stpcpy(p, sig_lines(other));
	verify_fails(note, strlen(note), "more than 100 signatures");

	free(note);
	free(name);
	free(other);
}

static void
test_note_size_limit(void **state)
{
	uint8_t	 pk[STORE_PK_LEN], sk[STORE_SK_LEN];
	char	*text, *note, *big, *cause = NULL;
	const char *name = "example.org/big";
	size_t	 siglen, textlen, i, got;

	(void)state;
	crypto_sign_keypair(pk, sk);
	note = store_note_sign(EX_TEXT, strlen(EX_TEXT), name, sk);
	siglen = strlen(note) - strlen(EX_TEXT);	/* with blank line */
	free(note);

	/* Lines of 63 'a' and a newline, padded so the note is 1 MiB. */
	textlen = MAX_NOTE - siglen;
	text = xmalloc(textlen + 2);
	for (i = 0; i < textlen; i++)
		text[i] = (i % 64 == 63) ? '\n' : 'a';
	text[textlen - 2] = 'a';
	text[textlen - 1] = '\n';
	note = store_note_sign(text, textlen, name, sk);
	assert_int_equal(strlen(note), MAX_NOTE);
	got = 0;
	if (store_note_verify(note, MAX_NOTE, name, pk, &got, &cause) != 0)
		fail_msg("1 MiB note refused: %s", cause);
	assert_int_equal(got, textlen);

	/* One more byte of text: the size alone must refuse it. */
	big = xmalloc(MAX_NOTE + 2);
	big[0] = 'a';
	memcpy(big + 1, note, MAX_NOTE + 1);
	verify_fails(big, MAX_NOTE + 1, "larger than 1 MiB");

	free(big);
	free(note);
	free(text);
	sodium_memzero(sk, sizeof sk);
}

static void
test_note_sign(void **state)
{
	uint8_t	 pk[STORE_PK_LEN], sk[STORE_SK_LEN], sig[SIGBYTES];
	char	*note, *vkey, *name, *cause = NULL, *b64;
	size_t	 textlen;
	const char *text = "one\ntwo \xe2\x9c\x93\n\x7f\n";

	(void)state;
	crypto_sign_keypair(pk, sk);
	note = store_note_sign(text, strlen(text), "example.org/log", sk);

	/* The exact layout: text, blank line, one signature line. */
	assert_memory_equal(note, text, strlen(text));
	assert_memory_equal(note + strlen(text), "\n" DASH " example.org/log ",
	    21);
	b64 = note + strlen(text) + 21;
	assert_int_equal(strlen(b64), 92 + 1);
	assert_int_equal(b64[92], '\n');
	assert_int_equal(codec_unb64(sig, sizeof sig, b64, 92), 0);
	assert_int_equal((uint32_t)sig[0] << 24 | sig[1] << 16 | sig[2] << 8 |
	    sig[3], store_note_keyid("example.org/log", pk));
	assert_int_equal(crypto_sign_verify_detached(sig + 4,
	    (const uint8_t *)text, strlen(text), pk), 0);

	vkey = store_note_vkey("example.org/log", pk);
	assert_int_equal(store_note_parse_vkey(vkey, &name, pk, &cause), 0);
	assert_string_equal(name, "example.org/log");
	textlen = 0;
	assert_int_equal(store_note_verify(note, strlen(note), name, pk,
	    &textlen, &cause), 0);
	assert_int_equal(textlen, strlen(text));

	free(name);
	free(vkey);
	free(note);
	sodium_memzero(sk, sizeof sk);
}

static void
test_sign_aborts(void **state)
{
	const struct badsign	*b = *state;
	uint8_t			 pk[STORE_PK_LEN], sk[STORE_SK_LEN];
	pid_t			 pid;
	int			 status, fd;

#ifdef NDEBUG
	skip();
#endif
	crypto_sign_keypair(pk, sk);
	if ((pid = fork()) == 0) {
		/* Die as assert() means to, its message kept out of the log. */
		signal(SIGABRT, SIG_DFL);
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, STDERR_FILENO);
		free(store_note_sign(b->text, b->len, b->name, sk));
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	sodium_memzero(sk, sizeof sk);
}

static void
test_bad_note(void **state)
{
	const struct bad	*b = *state;

	verify_fails(b->s, b->len, b->why);
}

static void
test_vkey_upper_hex(void **state)
{
	uint8_t	 pk[STORE_PK_LEN];
	char	*name, *cause = NULL;

	(void)state;
	assert_int_equal(store_note_parse_vkey("example.com/foo+530D903A+"
	    EX_PK, &name, pk, &cause), 0);
	assert_string_equal(name, EX_NAME);
	free(name);
}

/* A verifier key for the example name with this key blob. */
static void
vkey_blob_fails(const uint8_t *blob, size_t len, uint32_t id,
    const char *why)
{
	uint8_t	 pk[STORE_PK_LEN];
	char	*b64, *vkey, *name = NULL, *cause = NULL;

	b64 = codec_b64(blob, len);
	xasprintf(&vkey, EX_NAME "+%08" PRIx32 "+%s", id, b64);
	assert_int_equal(store_note_parse_vkey(vkey, &name, pk, &cause), -1);
	assert_null(name);
	check_cause(cause, why);
	free(cause);
	free(vkey);
	free(b64);
}

static void
test_vkey_bad_blob(void **state)
{
	uint8_t	blob[1 + STORE_PK_LEN + 1];

	(void)state;
	assert_int_equal(codec_unb64(blob, 1 + STORE_PK_LEN, EX_PK,
	    strlen(EX_PK)), 0);
	blob[STORE_PK_LEN + 1] = 0;
	vkey_blob_fails(blob, STORE_PK_LEN, EX_KEYID, "32 bytes");
	vkey_blob_fails(blob, STORE_PK_LEN + 2, EX_KEYID, "32 bytes");
	vkey_blob_fails(blob, 1, EX_KEYID, "32 bytes");
	blob[0] = 0x02;
	vkey_blob_fails(blob, STORE_PK_LEN + 1, EX_KEYID, "not an Ed25519");
	blob[0] = 0x00;
	vkey_blob_fails(blob, STORE_PK_LEN + 1, EX_KEYID, "not an Ed25519");
}

static void
test_bad_vkey(void **state)
{
	const struct bad	*b = *state;
	uint8_t			 pk[STORE_PK_LEN];
	char			*name = NULL, *cause = NULL;

	assert_int_equal(strlen(b->s), b->len);
	assert_int_equal(store_note_parse_vkey(b->s, &name, pk, &cause), -1);
	assert_null(name);
	check_cause(cause, b->why);
	free(cause);
}

static void
checkpoint_round_trip(uint64_t size, const char *ext)
{
	uint8_t	 pk[STORE_PK_LEN], sk[STORE_SK_LEN];
	uint8_t	 root[STORE_HASH_LEN], got[STORE_HASH_LEN];
	char	*text, *full, *note, *vkey, *name, *origin, *cause = NULL;
	char	 num[32];
	uint64_t gotsize;
	size_t	 textlen;

	crypto_sign_keypair(pk, sk);
	randombytes_buf(root, sizeof root);
	text = store_checkpoint_text("example.org/ledger", size, root);
	snprintf(num, sizeof num, "\n%" PRIu64 "\n", size);
	assert_non_null(strstr(text, num));
	xasprintf(&full, "%s%s", text, ext);

	note = store_note_sign(full, strlen(full), "example.org/ledger", sk);
	vkey = store_note_vkey("example.org/ledger", pk);
	assert_int_equal(store_note_parse_vkey(vkey, &name, pk, &cause), 0);
	assert_int_equal(store_note_verify(note, strlen(note), name, pk,
	    &textlen, &cause), 0);
	assert_int_equal(textlen, strlen(full));

	if (store_checkpoint_parse(note, textlen, &origin, &gotsize, got,
	    &cause) != 0)
		fail_msg("parse failed: %s", cause);
	assert_string_equal(origin, "example.org/ledger");
	assert_true(gotsize == size);
	assert_memory_equal(got, root, sizeof root);

	free(origin);
	free(name);
	free(vkey);
	free(note);
	free(full);
	free(text);
	sodium_memzero(sk, sizeof sk);
}

static void
test_checkpoint_round_trip(void **state)
{
	static const uint64_t	 sizes[] = {
		0, 1, 2, 9, 10, 1000, UINT32_MAX, (uint64_t)1 << 63,
		UINT64_MAX - 1, UINT64_MAX,
	};
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		checkpoint_round_trip(sizes[i], "");
		checkpoint_round_trip(sizes[i], "ext one\n");
		checkpoint_round_trip(sizes[i], "ext one\nsecond \xc3\xa9xt\n");
	}
}

static void
test_checkpoint_text(void **state)
{
	static const char	 spec[] = "example.com/behind-the-sofa\n"
	    "20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
	uint8_t			 root[STORE_HASH_LEN] = { 0 };
	char			*text, *origin, *cause = NULL;
	uint64_t		 size;

	(void)state;
	text = store_checkpoint_text("example.org/log", 0, root);
	assert_string_equal(text, "example.org/log\n0\n" ROOT0 "\n");
	free(text);
	text = store_checkpoint_text("example.org/log", UINT64_MAX, root);
	assert_string_equal(text,
	    "example.org/log\n18446744073709551615\n" ROOT0 "\n");
	free(text);

	/* The tlog-checkpoint spec's example. */
	assert_int_equal(store_checkpoint_parse(spec, strlen(spec), &origin,
	    &size, root, &cause), 0);
	assert_string_equal(origin, "example.com/behind-the-sofa");
	assert_true(size == 20852163);
	assert_int_equal(root[0], 0x0a);
	assert_int_equal(root[31], 0x62);
	free(origin);
}

static void
test_bad_checkpoint(void **state)
{
	const struct bad	*b = *state;
	uint8_t			 root[STORE_HASH_LEN];
	char			*origin = NULL, *cause = NULL;
	uint64_t		 size = 42;

	assert_int_equal(store_checkpoint_parse(b->s, b->len, &origin, &size,
	    root, &cause), -1);
	assert_null(origin);
	assert_true(size == 42);
	check_cause(cause, b->why);
	free(cause);
}

#define SIGLINE(name, b64)	DASH " " name " " b64 "\n"
#define TEXT_WITH(s)		"This is " s " an example.\n\n" EX_LINE
#define CHECKPOINT(size, root)	"example.org/log\n" size "\n" root "\n"

static const struct CMUnitTest codec_tests[] = {
	cmocka_unit_test(test_hex),
	cmocka_unit_test(test_unhex_bad),
	cmocka_unit_test(test_b64),
	cmocka_unit_test(test_unb64_bad),
};

static const struct CMUnitTest note_tests[] = {
	cmocka_unit_test(test_note_example),
	cmocka_unit_test(test_note_flip_text),
	cmocka_unit_test(test_note_flip_sig),
	cmocka_unit_test(test_note_sig_length),
	cmocka_unit_test(test_note_other_keys),
	cmocka_unit_test(test_note_corrupt_mine),
	cmocka_unit_test(test_note_sig_count),
	cmocka_unit_test(test_note_size_limit),
	cmocka_unit_test(test_note_sign),
};

static const struct CMUnitTest bad_notes[] = {
	BAD("empty", test_bad_note, "", "no blank line"),
	BAD("missing blank line", test_bad_note,
	    EX_TEXT EX_LINE, "no blank line"),
	BAD("empty text", test_bad_note, "\n" EX_LINE, "text is empty"),
	BAD("empty text, blank line", test_bad_note,
	    "\n\n" EX_LINE, "text is empty"),
	BAD("text starts with empty line", test_bad_note,
	    "\n" EX_NOTE, "text is empty"),
	BAD("no signature lines", test_bad_note,
	    EX_TEXT "\n", "no signature lines"),
	BAD("duplicate blank line", test_bad_note,
	    EX_TEXT "\n\n" EX_LINE, "empty line"),
	BAD("blank line between signatures", test_bad_note,
	    EX_NOTE "\n" EX_LINE, "empty line"),
	BAD("trailing blank line", test_bad_note, EX_NOTE "\n", "empty line"),
	BAD("ASCII hyphen", test_bad_note,
	    EX_TEXT "\n- " EX_NAME " " EX_SIG "\n", "em dash"),
	BAD("two hyphens", test_bad_note,
	    EX_TEXT "\n-- " EX_NAME " " EX_SIG "\n", "em dash"),
	BAD("en dash", test_bad_note,
	    EX_TEXT "\n\xe2\x80\x93 " EX_NAME " " EX_SIG "\n", "em dash"),
	BAD("no space after dash", test_bad_note,
	    EX_TEXT "\n" DASH EX_NAME " " EX_SIG "\n", "em dash"),
	BAD("dash only", test_bad_note, EX_TEXT "\n" DASH "\n", "em dash"),
	BAD("no space after name", test_bad_note,
	    EX_TEXT "\n" DASH " " EX_NAME EX_SIG "\n", "no space"),
	BAD("two spaces after name", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, " " EX_SIG), "base64"),
	BAD("empty name", test_bad_note,
	    EX_TEXT "\n" SIGLINE("", EX_SIG), "name is empty"),
	BAD("name with plus", test_bad_note,
	    EX_TEXT "\n" SIGLINE("example.com+foo", EX_SIG), "'+'"),
	BAD("name with no-break space", test_bad_note,
	    EX_TEXT "\n" SIGLINE("example.com/\xc2\xa0" "foo", EX_SIG),
	    "space"),
	BAD("name with ideographic space", test_bad_note,
	    EX_TEXT "\n" SIGLINE("example.com/\xe3\x80\x80" "foo", EX_SIG),
	    "space"),
	BAD("name not UTF-8", test_bad_note,
	    EX_TEXT "\n" SIGLINE("example.com/\xfe", EX_SIG), "UTF-8"),
	BAD("signature of four bytes", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, "Uw2QOg=="), "too short"),
	BAD("empty signature", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, ""), "base64"),
	BAD("base64 cut short", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, EX_SIG_HEAD "yaQ"), "base64"),
	BAD("base64 one block short", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, EX_SIG_HEAD "y"), "does not verify"),
	BAD("base64 too long", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, EX_SIG "AAAA"), "base64"),
	BAD("base64 missing padding", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, EX_SIG_HEAD "yaQM"), "base64"),
	BAD("base64 extra padding", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, EX_SIG "="), "base64"),
	BAD("base64 padding bits set", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, EX_SIG_HEAD "yaQN="), "base64"),
	BAD("base64 invalid character", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, EX_SIG_HEAD "y*QM="), "base64"),
	BAD("base64 URL alphabet", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, EX_SIG_HEAD "y-QM="), "base64"),
	BAD("space after base64", test_bad_note,
	    EX_TEXT "\n" SIGLINE(EX_NAME, EX_SIG " "), "base64"),
	BAD("other name, same key ID", test_bad_note,
	    EX_TEXT "\n" SIGLINE("example.com/bar", EX_SIG),
	    "no signature by example.com/foo+530d903a"),
	BAD("CR in text", test_bad_note,
	    "This is an example message.\r\n\n" EX_LINE, "control"),
	BAD("CRLF after signature", test_bad_note,
	    EX_TEXT "\n" DASH " " EX_NAME " " EX_SIG "\r\n", "control"),
	BAD("tab in text", test_bad_note, TEXT_WITH("\t"), "control"),
	BAD("NUL in text", test_bad_note, TEXT_WITH("\0"), "control"),
	BAD("NUL after signature", test_bad_note, EX_NOTE "\0", "control"),
	BAD("invalid byte 0xff", test_bad_note, TEXT_WITH("\xff"), "UTF-8"),
	BAD("stray continuation byte", test_bad_note,
	    TEXT_WITH("\x80"), "UTF-8"),
	BAD("overlong '/'", test_bad_note, TEXT_WITH("\xc0\xaf"), "UTF-8"),
	BAD("overlong NUL", test_bad_note, TEXT_WITH("\xc0\x80"), "UTF-8"),
	BAD("surrogate", test_bad_note, TEXT_WITH("\xed\xa0\x80"), "UTF-8"),
	BAD("above U+10FFFF", test_bad_note,
	    TEXT_WITH("\xf4\x90\x80\x80"), "UTF-8"),
	BAD("truncated UTF-8", test_bad_note,
	    "This is an example message.\xe2\x80\n\n" EX_LINE, "UTF-8"),
	BAD("signature without newline", test_bad_note,
	    EX_TEXT "\n" DASH " " EX_NAME " " EX_SIG, "data after"),
	BAD("trailing garbage", test_bad_note,
	    EX_NOTE "garbage", "data after"),
	BAD("trailing garbage line", test_bad_note,
	    EX_NOTE "garbage\n", "em dash"),
};

static const struct CMUnitTest bad_sign[] = {
	BADSIGN("empty text", "", "example.org/log"),
	BADSIGN("text without newline", "abc", "example.org/log"),
	BADSIGN("empty first line", "\nabc\n", "example.org/log"),
	BADSIGN("empty line", "abc\n\ndef\n", "example.org/log"),
	BADSIGN("CR", "abc\r\n", "example.org/log"),
	BADSIGN("NUL", "a\0c\n", "example.org/log"),
	BADSIGN("invalid UTF-8", "a\xff\n", "example.org/log"),
	BADSIGN("name with space", "abc\n", "example.org log"),
	BADSIGN("name with plus", "abc\n", "example.org+log"),
	BADSIGN("empty name", "abc\n", ""),
};

static const struct CMUnitTest vkey_tests[] = {
	cmocka_unit_test(test_vkey_upper_hex),
	cmocka_unit_test(test_vkey_bad_blob),
};

static const struct CMUnitTest bad_vkeys[] = {
	BAD("empty", test_bad_vkey, "", "no key ID"),
	BAD("name only", test_bad_vkey, EX_NAME, "no key ID"),
	BAD("no public key", test_bad_vkey,
	    EX_NAME "+530d903a", "no public key"),
	BAD("no second plus", test_bad_vkey,
	    EX_NAME "+530d903a" EX_PK, "no public key"),
	BAD("empty name", test_bad_vkey, "+530d903a+" EX_PK, "name is empty"),
	BAD("name with space", test_bad_vkey,
	    "example.com foo+530d903a+" EX_PK, "space"),
	BAD("name with tab", test_bad_vkey,
	    "example.com\tfoo+530d903a+" EX_PK, "space"),
	BAD("name with no-break space", test_bad_vkey,
	    "example.com\xc2\xa0" "foo+530d903a+" EX_PK, "space"),
	BAD("name not UTF-8", test_bad_vkey,
	    "example.com\xff+530d903a+" EX_PK, "UTF-8"),
	BAD("name with control", test_bad_vkey,
	    "example.com\x01+530d903a+" EX_PK, "control"),
	BAD("empty key ID", test_bad_vkey, EX_NAME "++" EX_PK, "hexadecimal"),
	BAD("seven hex digits", test_bad_vkey,
	    EX_NAME "+530d903+" EX_PK, "hexadecimal"),
	BAD("nine hex digits", test_bad_vkey,
	    EX_NAME "+530d903a0+" EX_PK, "hexadecimal"),
	BAD("not hex", test_bad_vkey,
	    EX_NAME "+530d903g+" EX_PK, "hexadecimal"),
	BAD("hex with 0x", test_bad_vkey,
	    EX_NAME "+0x530d90+" EX_PK, "hexadecimal"),
	BAD("hex with space", test_bad_vkey,
	    EX_NAME "+530d 03a+" EX_PK, "hexadecimal"),
	BAD("wrong key ID", test_bad_vkey,
	    EX_NAME "+530d903b+" EX_PK, "does not match"),
	BAD("other name", test_bad_vkey,
	    "example.com/bar+530d903a+" EX_PK, "does not match"),
	BAD("empty key", test_bad_vkey, EX_NAME "+530d903a+", "base64"),
	BAD("key missing padding", test_bad_vkey,
	    EX_NAME "+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2",
	    "base64"),
	BAD("key extra padding", test_bad_vkey,
	    EX_NAME "+530d903a+" EX_PK "=", "base64"),
	BAD("key with space", test_bad_vkey,
	    EX_NAME "+530d903a+AekyeRrm56hApGFk QR4ZCbV54Id2LKaANYcrnKv3U2k",
	    "base64"),
	BAD("key with newline", test_bad_vkey,
	    EX_NAME "+530d903a+" EX_PK "\n", "base64"),
	BAD("key with third plus", test_bad_vkey,
	    EX_NAME "+530d903a+" EX_PK "+AAA", "32 bytes"),
};

static const struct CMUnitTest checkpoint_tests[] = {
	cmocka_unit_test(test_checkpoint_round_trip),
	cmocka_unit_test(test_checkpoint_text),
};

static const struct CMUnitTest bad_checkpoints[] = {
	BAD("empty", test_bad_checkpoint, "", "empty"),
	BAD("one line", test_bad_checkpoint,
	    "example.org/log\n", "fewer than three"),
	BAD("two lines", test_bad_checkpoint,
	    "example.org/log\n5\n", "fewer than three"),
	BAD("no final newline", test_bad_checkpoint,
	    "example.org/log\n5\n" ROOT0, "newline"),
	BAD("origin only, no newline", test_bad_checkpoint,
	    "example.org/log", "newline"),
	BAD("extension without newline", test_bad_checkpoint,
	    CHECKPOINT("5", ROOT0) "ext", "newline"),
	BAD("empty origin", test_bad_checkpoint,
	    "\n5\n" ROOT0 "\n", "origin is empty"),
	BAD("origin with tab", test_bad_checkpoint,
	    "example.org\tlog\n5\n" ROOT0 "\n", "origin contains a control"),
	BAD("origin with CR", test_bad_checkpoint,
	    "example.org/log\r\n5\n" ROOT0 "\n", "origin contains a control"),
	BAD("origin with NUL", test_bad_checkpoint,
	    "example.org\0log\n5\n" ROOT0 "\n", "origin contains a control"),
	BAD("origin not UTF-8", test_bad_checkpoint,
	    "example.org\xfflog\n5\n" ROOT0 "\n", "origin is not valid"),
	BAD("empty size", test_bad_checkpoint,
	    CHECKPOINT("", ROOT0), "size is empty"),
	BAD("size with plus", test_bad_checkpoint,
	    CHECKPOINT("+5", ROOT0), "size is not a decimal"),
	BAD("negative size", test_bad_checkpoint,
	    CHECKPOINT("-5", ROOT0), "size is not a decimal"),
	BAD("size with leading space", test_bad_checkpoint,
	    CHECKPOINT(" 5", ROOT0), "size is not a decimal"),
	BAD("size with trailing space", test_bad_checkpoint,
	    CHECKPOINT("5 ", ROOT0), "size is not a decimal"),
	BAD("size with letter", test_bad_checkpoint,
	    CHECKPOINT("5a", ROOT0), "size is not a decimal"),
	BAD("size in hex", test_bad_checkpoint,
	    CHECKPOINT("0x10", ROOT0), "size is not a decimal"),
	BAD("size with exponent", test_bad_checkpoint,
	    CHECKPOINT("1e3", ROOT0), "size is not a decimal"),
	BAD("size with CR", test_bad_checkpoint,
	    CHECKPOINT("5\r", ROOT0), "size is not a decimal"),
	BAD("size in fullwidth digits", test_bad_checkpoint,
	    CHECKPOINT("\xef\xbc\x95", ROOT0), "size is not a decimal"),
	BAD("size with leading zero", test_bad_checkpoint,
	    CHECKPOINT("05", ROOT0), "leading zero"),
	BAD("size 00", test_bad_checkpoint,
	    CHECKPOINT("00", ROOT0), "leading zero"),
	BAD("size 2^64", test_bad_checkpoint,
	    CHECKPOINT("18446744073709551616", ROOT0), "too large"),
	BAD("size 2^64 + 9", test_bad_checkpoint,
	    CHECKPOINT("18446744073709551625", ROOT0), "too large"),
	BAD("size of 21 digits", test_bad_checkpoint,
	    CHECKPOINT("100000000000000000000", ROOT0), "too large"),
	BAD("root with a byte above 0x7f", test_bad_checkpoint,
	    CHECKPOINT("5", "\xd0" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
	    "root hash"),
	BAD("empty root", test_bad_checkpoint,
	    CHECKPOINT("5", ""), "root hash"),
	BAD("root of 31 bytes", test_bad_checkpoint,
	    CHECKPOINT("5", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="),
	    "root hash"),
	BAD("root of 33 bytes", test_bad_checkpoint,
	    CHECKPOINT("5", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
	    "root hash"),
	BAD("root missing padding", test_bad_checkpoint,
	    CHECKPOINT("5", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
	    "root hash"),
	BAD("root padding bits set", test_bad_checkpoint,
	    CHECKPOINT("5", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB="),
	    "root hash"),
	BAD("root invalid character", test_bad_checkpoint,
	    CHECKPOINT("5", "AAAAAAAAAAAAAAAAAAAA*AAAAAAAAAAAAAAAAAAAAAA="),
	    "root hash"),
	BAD("root URL alphabet", test_bad_checkpoint,
	    CHECKPOINT("5", "AAAAAAAAAAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAA="),
	    "root hash"),
	BAD("root with trailing space", test_bad_checkpoint,
	    CHECKPOINT("5", ROOT0 " "), "root hash"),
	BAD("root in hex", test_bad_checkpoint,
	    CHECKPOINT("5", "00000000000000000000000000000000"
	    "00000000000000000000000000000000"), "root hash"),
	BAD("empty extension line", test_bad_checkpoint,
	    CHECKPOINT("5", ROOT0) "\n", "empty extension"),
	BAD("empty line after extension", test_bad_checkpoint,
	    CHECKPOINT("5", ROOT0) "ext\n\n", "empty extension"),
	BAD("empty line before extension", test_bad_checkpoint,
	    CHECKPOINT("5", ROOT0) "\next\n", "empty extension"),
	BAD("extension with control", test_bad_checkpoint,
	    CHECKPOINT("5", ROOT0) "ex\x1bt\n", "extension line contains"),
	BAD("extension not UTF-8", test_bad_checkpoint,
	    CHECKPOINT("5", ROOT0) "ex\xc3t\n", "extension line is not valid"),
};

int
main(void)
{
	int	failed = 0;

	if (sodium_init() < 0)
		return 1;
	failed += cmocka_run_group_tests_name("codec", codec_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("note", note_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("malformed note", bad_notes,
	    NULL, NULL);
	failed += cmocka_run_group_tests_name("refused by store_note_sign",
	    bad_sign, NULL, NULL);
	failed += cmocka_run_group_tests_name("verifier key", vkey_tests,
	    NULL, NULL);
	failed += cmocka_run_group_tests_name("malformed verifier key",
	    bad_vkeys, NULL, NULL);
	failed += cmocka_run_group_tests_name("checkpoint", checkpoint_tests,
	    NULL, NULL);
	failed += cmocka_run_group_tests_name("malformed checkpoint",
	    bad_checkpoints, NULL, NULL);
	return failed != 0;
}
