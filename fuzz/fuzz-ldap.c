/*
 * fuzz-ldap.c -- the ldap target's readers of text it did not write: the
 * values a directory returns (generalized times, names for the screen,
 * logins), the dates and display names of requests, and the target's
 * configuration lines.  Decoding the LDAP messages themselves is
 * libldap's.  The same input goes to each.
 */
#include "config.h"

#include "fuzz.h"
#include "targets-int.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s = fuzz_str(data, size), *cause = NULL, *v;
	char		 name[128], login[TARGET_LOGIN_MAX];
	const char	*p;
	size_t		 i;

	/* A server's bytes: exactly size of them, no terminator. */
	v = malloc(size == 0 ? 1 : size);
	if (v == NULL)
		abort();
	memcpy(v, data, size);
	(void)target_ldap_parse_gentime(v, size);

	target_ldap_copy_utf8(name, sizeof name, v, size);
	for (p = name; *p != '\0'; p++)
		FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
	/* Cut at a character: never in the middle of a UTF-8 sequence. */
	if (size >= sizeof name && strlen(name) < size &&
	    memchr(v, '\0', size) == NULL) {
		i = strlen(name);
		FUZZ_CHECK(i == 0 || ((unsigned char)v[i] & 0xc0) != 0x80);
	}
	target_ldap_copy_utf8(login, sizeof login, v, size);
	free(v);

	if (target_ldap_login_ok(s))
		FUZZ_CHECK(strlen(s) > 0 && strlen(s) < TARGET_LOGIN_MAX);
	(void)target_ldap_text_ok(s);
	(void)target_ldap_parse_date(s);
	if (target_ldap_conf_parse(s, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
	}
	free(s);
	return 0;
}
