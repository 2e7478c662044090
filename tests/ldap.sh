#!/bin/sh
# tests/ldap.sh -- the ldap target (targets/target-ldap.c) against a real
# slapd started here (tests/env-slapd.sh): 20 users, then tests/test-ldap,
# the cmocka program, which checks list, lock, unlock, force change, set
# password (RFC 3062), reset, aging, policy (a ppolicy entry of its own),
# expire, create, delete, mixed batches, StartTLS, ldaps, SASL
# EXTERNAL over ldapi, fake servers that answer garbage, hang or drop
# the connection, and last the server going away.  Binds as the users go
# through ldapwhoami -e ppolicy, so "Account locked" is slapd's verdict
# as OpenLDAP's own tool prints it.
#
# Then the same lock seen from the shell, with a second server: one
# lock through the target's benchmark driver, refused by ldapwhoami,
# unlocked, accepted.
#
# make check sets DAICHO (the test programs sit beside it in tests/);
# TEST_LDAP overrides where the cmocka program is.  By hand:
#   DAICHO=$PWD/daicho srcdir=. TESTS_TMP=/tmp/t sh tests/ldap.sh
# shellcheck source=tests/lib.sh
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/env-slapd.sh"

trap 'slapd_stop; cleanup' EXIT
trap 'exit 130' HUP INT TERM

TEST_LDAP=${TEST_LDAP:-$(dirname "$DAICHO")/tests/test-ldap}
if ! [ -x "$TEST_LDAP" ]; then
	echo "FATAL: $TEST_LDAP not built" >&2
	exit 99
fi
slapd_need

# ASan's runtime must come first when a sanitizer build preloads
# anything; test-ldap preloads nothing, but its children (ldapwhoami)
# must not inherit a stray LD_PRELOAD either.
unset LD_PRELOAD

slapd_start "$T/slapd"
slapd_add_users 20
ok "slapd on $SLAPD_URI, $SLAPD_LDAPS_URI, $SLAPD_LDAPI_URI with 20 users"

# The cmocka program; its last test stops this slapd.
expect_rc 0 "test-ldap (cmocka)" "$TEST_LDAP"
printf '%s\n' "$OUT" | sed 's/^/# /'
slapd_stop

# From the shell: a fresh server, the benchmark driver, ldapwhoami.
slapd_start "$T/slapd2"
slapd_add_users 3
CONF=$T/ldap.conf
cat >"$CONF" <<EOF
uri=$SLAPD_URI
binddn=$SLAPD_ADMIN_DN
bindpw_file=$SLAPD_ADMIN_PWFILE
base=$SLAPD_PEOPLE
EOF
U3=$(slapd_user_dn user0003)
expect_rc 0 "whoami as user0003 before the lock" \
    ldapwhoami -x -H "$SLAPD_URI" -D "$U3" -y "$SLAPD_DIR/user0003.pw" -e ppolicy
expect_rc 0 "lock user0001..0003 through the target" \
    "$TEST_LDAP" --bench "$CONF" 3 lock
expect_rc 49 "whoami as user0003 refused after the lock" \
    ldapwhoami -x -H "$SLAPD_URI" -D "$U3" -y "$SLAPD_DIR/user0003.pw" -e ppolicy
expect_out "Account locked" "ldapwhoami says Account locked"
expect_rc 0 "pwdAccountLockedTime is the permanent lock" \
    slapd_admin ldapsearch -LLL -b "$U3" -s base pwdAccountLockedTime
expect_out "pwdAccountLockedTime: 000001010000Z" "000001010000Z"
expect_rc 0 "unlock through the target" "$TEST_LDAP" --bench "$CONF" 3 unlock
expect_rc 0 "whoami as user0003 accepted after the unlock" \
    ldapwhoami -x -H "$SLAPD_URI" -D "$U3" -y "$SLAPD_DIR/user0003.pw" -e ppolicy
expect_out "dn:uid=user0003" "bound as user0003"
slapd_stop
expect_rc 2 "the driver against a stopped server" \
    "$TEST_LDAP" --bench "$CONF" 3 lock
expect_out "Can't contact LDAP server" "says it cannot contact the server"

finish
