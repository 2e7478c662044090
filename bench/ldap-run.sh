#!/bin/sh
# bench/ldap-run.sh -- lockout.ldap_ratio: locking N accounts on slapd
# through the ldap target, against one "ldapmodify -c" batch over one
# connection doing the same, in the same run on the same server.
#
# A fresh slapd (tests/env-slapd.sh) with N users, one untimed lock and
# unlock to warm it; then, ROUNDS times, in alternating order:
#   (a) test-ldap --bench: open (connect, bind), one batch of N LOCKs,
#       close -- a whole process, as daicho's outbox would drive it;
#   unlock all N with ldapmodify (untimed), check none is locked;
#   (b) ldapmodify -c -f lock.ldif: one connection, N modifies adding
#       pwdAccountLockedTime: 000001010000Z -- a whole process too;
#   unlock again (untimed).
# After each timed step every one of the N entries must be locked.
# The figure is the median of (a) over the median of (b).
#
# Prints "name value" lines (bench/run's value() reads them):
#   lockout.ldap_target_s      median seconds for (a)
#   lockout.ldap_ldapmodify_s  median seconds for (b)
#   lockout.ldap_ratio         (a) / (b); the budget is <= 1.2
#
# Environment: TEST_LDAP (default ./tests/test-ldap), srcdir (default
# this script's parent), BENCH_LDAP_N (1000), BENCH_LDAP_ROUNDS (5).
set -eu

: "${srcdir:=$(dirname "$0")/..}"
: "${TEST_LDAP:=./tests/test-ldap}"
: "${BENCH_LDAP_N:=1000}"
: "${BENCH_LDAP_ROUNDS:=5}"

. "$srcdir/tests/env-slapd.sh"

if ! [ -x "$TEST_LDAP" ]; then
	echo "bench/ldap-run.sh: $TEST_LDAP is not built" >&2
	exit 1
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/daicho-bench-ldap.XXXXXX")
chmod 700 "$W"
trap 'slapd_stop; rm -rf "$W"' EXIT
trap 'exit 130' HUP INT TERM

SLAPD_TLS=0
slapd_start "$W/slapd"
slapd_add_users "$BENCH_LDAP_N"

cat >"$W/target.conf" <<EOF
uri=$SLAPD_URI
binddn=$SLAPD_ADMIN_DN
bindpw_file=$SLAPD_ADMIN_PWFILE
base=$SLAPD_PEOPLE
EOF

# The two LDIF batches, as an administrator would write them by hand.
awk -v n="$BENCH_LDAP_N" -v people="$SLAPD_PEOPLE" 'BEGIN {
	for (i = 1; i <= n; i++) {
		printf "dn: uid=user%04d,%s\nchangetype: modify\n", i, people
		printf "add: pwdAccountLockedTime\n"
		printf "pwdAccountLockedTime: 000001010000Z\n\n"
	} }' >"$W/lock.ldif"
awk -v n="$BENCH_LDAP_N" -v people="$SLAPD_PEOPLE" 'BEGIN {
	for (i = 1; i <= n; i++) {
		printf "dn: uid=user%04d,%s\nchangetype: modify\n", i, people
		printf "delete: pwdAccountLockedTime\n\n"
	} }' >"$W/unlock.ldif"

now() {
	date +%s.%N
}

# locked_count: how many entries carry pwdAccountLockedTime.
locked_count() {
	slapd_admin ldapsearch -LLL -b "$SLAPD_PEOPLE" \
	    '(pwdAccountLockedTime=*)' 1.1 | grep -c '^dn:' || true
}

expect_locked() {
	got=$(locked_count)
	if [ "$got" -ne "$1" ]; then
		echo "bench/ldap-run.sh: $2: $got entries locked, wanted $1" >&2
		exit 1
	fi
}

unlock_all() {
	slapd_admin ldapmodify -c -f "$W/unlock.ldif" >"$W/unlock.out" 2>&1 ||
	    true
	expect_locked 0 "after unlocking"
}

: >"$W/a.times"
: >"$W/b.times"
# time_a, time_b: one timed lock of all N, checked, then undone.
time_a() {
	t0=$(now)
	"$TEST_LDAP" --bench "$W/target.conf" "$BENCH_LDAP_N" lock \
	    >"$W/a.out"
	t1=$(now)
	expect_locked "$BENCH_LDAP_N" "after the target's batch"
	echo "$t0 $t1" | awk '{ printf "%.4f\n", $2 - $1 }' >>"$W/a.times"
	unlock_all
}

time_b() {
	t0=$(now)
	slapd_admin ldapmodify -c -f "$W/lock.ldif" >"$W/b.out" 2>&1
	t1=$(now)
	expect_locked "$BENCH_LDAP_N" "after ldapmodify -c"
	echo "$t0 $t1" | awk '{ printf "%.4f\n", $2 - $1 }' >>"$W/b.times"
	unlock_all
}

# Warm the server's caches once, untimed, then alternate which goes
# first so that neither always follows the other.
slapd_admin ldapmodify -c -f "$W/lock.ldif" >"$W/warm.out" 2>&1
unlock_all
r=0
while [ "$r" -lt "$BENCH_LDAP_ROUNDS" ]; do
	r=$((r + 1))
	if [ $((r % 2)) -eq 1 ]; then
		time_a
		time_b
	else
		time_b
		time_a
	fi
done

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

a=$(median "$W/a.times")
b=$(median "$W/b.times")
echo "# ldap: $BENCH_LDAP_N locks, $BENCH_LDAP_ROUNDS rounds;" \
    "target $(tr '\n' ' ' <"$W/a.times")s;" \
    "ldapmodify -c $(tr '\n' ' ' <"$W/b.times")s"
echo "lockout.ldap_target_s $a"
echo "lockout.ldap_ldapmodify_s $b"
awk -v a="$a" -v b="$b" 'BEGIN { printf "lockout.ldap_ratio %.3f\n", a / b }'
