/*
 * codec.c -- hex and base64 for keys, hashes and signatures.  Decoding is
 * strict on purpose: a ledger format that accepted two spellings of the same
 * bytes would let a signed text change without its meaning changing, and
 * the signature is over the text.
 */

#include "config.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common.h"

/* Value of one hex digit, or -1. */
static int
codec_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
codec_hex(char *out, const uint8_t *in, size_t len)
{
	static const char	digits[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

int
codec_unhex(uint8_t *out, size_t len, const char *s, size_t slen)
{
	size_t	i;
	int	hi, lo;

	if (len > SIZE_MAX / 2 || slen != 2 * len)
		return -1;
	for (i = 0; i < len; i++) {
		hi = codec_hexval(s[2 * i]);
		lo = codec_hexval(s[2 * i + 1]);
		if (hi == -1 || lo == -1) {
			/* Leave nothing half-decoded for a careless caller. */
			memset(out, 0, len);
			return -1;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

char *
codec_b64(const uint8_t *in, size_t len)
{
	char	*out;
	size_t	 size;

	/* Keeps sodium_base64_ENCODED_LEN from wrapping around. */
	assert(len < SIZE_MAX / 4);
	size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	out = xmalloc(size);
	sodium_bin2base64(out, size, in, len, sodium_base64_VARIANT_ORIGINAL);
	return out;
}

int
codec_unb64(uint8_t *out, size_t want, const char *s, size_t slen)
{
	const char	*end;
	size_t		 got, i;

	/*
	 * Padded base64 of want bytes has exactly this length, so checking it
	 * first rules out missing or extra padding and trailing bytes.
	 * sodium_base642bin with no ignore set then refuses spaces, bytes
	 * outside the alphabet, '=' anywhere but the end and non-zero unused
	 * bits in the last character (so each byte string has one encoding).
	 * It stops quietly at a byte it does not know, hence end and got.
	 * But libsodium 1.0.18 reads every byte from 0x80 up as '/' (found
	 * by fuzz/fuzz-checkpoint.c): those are refused here first.
	 */
	if (want > SIZE_MAX / 4 || slen != (want + 2) / 3 * 4)
		return -1;
	for (i = 0; i < slen; i++) {
		if ((unsigned char)s[i] >= 0x80)
			return -1;
	}
	if (sodium_base642bin(out, want, s, slen, NULL, &got, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != s + slen || got != want) {
		memset(out, 0, want);
		return -1;
	}
	return 0;
}
