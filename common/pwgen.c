/*
 * pwgen.c -- passwords daicho makes: temporary ones a person reads off a
 * screen and types, and privileged ones revealed once to an approver.
 *
 * The alphabet leaves out the characters people misread for one another
 * (0 O o, 1 l I, and the punctuation that fonts blur), so a password
 * read aloud or copied by hand arrives as it was made.  Every class
 * (lower, upper, digit, other) appears at least once, so the password
 * meets a policy of up to four classes; each character is drawn
 * uniformly (libsodium's randombytes_uniform, no modulo bias) and the
 * classes' places are drawn too.
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "common.h"

static const char *const pw_classes[] = {
	"abcdefghijkmnpqrstuvwxyz",		/* no l, o */
	"ABCDEFGHJKLMNPQRSTUVWXYZ",		/* no I, O */
	"23456789",				/* no 0, 1 */
	"#%+=?@",
};
#define PW_NCLASSES	(sizeof pw_classes / sizeof pw_classes[0])

static char
pw_draw(const char *set)
{
	return set[randombytes_uniform((uint32_t)strlen(set))];
}

void
pw_generate(char *buf, size_t n)
{
	char		 all[128];
	size_t		 i, j, len = 0;
	char		 t;

	assert(n >= PW_NCLASSES && n < PW_GENERATE_MAX);
	for (i = 0; i < PW_NCLASSES; i++)
		len += (size_t)snprintf(all + len, sizeof all - len, "%s",
		    pw_classes[i]);
	for (i = 0; i < PW_NCLASSES; i++)
		buf[i] = pw_draw(pw_classes[i]);
	for (; i < n; i++)
		buf[i] = pw_draw(all);
	/* Fisher-Yates: the classes' characters anywhere. */
	for (i = n - 1; i > 0; i--) {
		j = randombytes_uniform((uint32_t)(i + 1));
		t = buf[i];
		buf[i] = buf[j];
		buf[j] = t;
	}
	buf[n] = '\0';
}
