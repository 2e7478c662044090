/*
 * fuzz-ldap.c -- the ldap target's readers of text it did not write: the
 * values a directory returns (generalized times, names for the screen,
 * logins), the dates and display names of requests, the arguments of
 * "aging" and "policy" and a new password's check (targets.c, which
 * every target shares), and the target's configuration lines.  Decoding the LDAP messages themselves is
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
	char		 secret[TARGET_SECRET_MAX], err[TARGET_ERROR_MAX];
	struct target_aging  ag;
	struct target_policy po;
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
	if (target_aging_parse(s, &ag, err, sizeof err) == 0)
		FUZZ_CHECK((ag.min != -1 || ag.max != -1 || ag.warn != -1) &&
		    ag.min <= TARGET_AGING_DAYS_MAX &&
		    ag.max <= TARGET_AGING_DAYS_MAX &&
		    ag.warn <= TARGET_AGING_DAYS_MAX);
	if (target_policy_parse(s, &po, err, sizeof err) == 0)
		FUZZ_CHECK(po.max_age <= TARGET_POLICY_DAYS_MAX &&
		    po.min_age <= TARGET_POLICY_DAYS_MAX &&
		    po.warn <= TARGET_POLICY_DAYS_MAX &&
		    po.min_length <= TARGET_POLICY_LENGTH_MAX &&
		    po.history <= TARGET_POLICY_HISTORY_MAX);
	/* The request's buffer, NUL or not. */
	memset(secret, 0, sizeof secret);
	memcpy(secret, data, size < sizeof secret ? size : sizeof secret);
	if (target_secret_check(secret, err, sizeof err) == 0)
		FUZZ_CHECK(strlen(secret) > 0 && strlen(secret) <
		    TARGET_SECRET_MAX && strchr(secret, '\n') == NULL);
	if (target_ldap_conf_parse(s, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
	}
	free(s);
	return 0;
}
