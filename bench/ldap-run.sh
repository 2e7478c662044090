#!/bin/sh
# bench/ldap-run.sh -- lockout.ldap_ratio: locking N accounts on slapd
# through daicho, ledger included, against one "ldapmodify -c" batch over
# one connection doing the same, in the same run on the same server.
#
# A fresh slapd (tests/env-slapd.sh) with N users, and a data directory
# (bench/mkcity ldap) with an ldap system "city" on it and the N users
# registered through id.adopt.  One untimed lock and unlock warms the
# server; then, ROUNDS times, in rotating order:
#   (c) bench-lockout on a fresh copy of the data directory: the
#       incident.lock entry, then the outbox: open the target (connect,
#       bind), one batch of N LOCKs, close, N outbox.result entries --
#       the whole process, timed from outside like (b);
#   (b) ldapmodify -c -f lock.ldif: one connection, N modifies adding
#       pwdAccountLockedTime: 000001010000Z -- a whole process too;
#   (a) test-ldap --bench: the target alone (no ledger), for comparison;
# after each, every one of the N entries must be locked, then all are
# unlocked with ldapmodify (untimed) and checked.
# The figure is the median of (c) over the median of (b).
#
# Prints "name value" lines (bench/run's value() reads them):
#   lockout.ldap_daicho_s      median seconds for (c)
#   lockout.ldap_ldapmodify_s  median seconds for (b)
#   lockout.ldap_ratio         (c) / (b); the budget is <= 1.2
#   lockout.ldap_target_s      median seconds for (a)
#   lockout.ldap_target_ratio  (a) / (b)
#
# Environment: MKCITY, BENCH_LOCKOUT, TEST_LDAP (default ./bench/mkcity,
# ./bench/bench-lockout, ./tests/test-ldap), srcdir (default this
# script's parent), BENCH_LDAP_N (1000), BENCH_LDAP_ROUNDS (5).
set -eu

: "${srcdir:=$(dirname "$0")/..}"
: "${MKCITY:=./bench/mkcity}"
: "${BENCH_LOCKOUT:=./bench/bench-lockout}"
: "${TEST_LDAP:=./tests/test-ldap}"
: "${BENCH_LDAP_N:=1000}"
: "${BENCH_LDAP_ROUNDS:=5}"

. "$srcdir/tests/env-slapd.sh"

for p in "$MKCITY" "$BENCH_LOCKOUT" "$TEST_LDAP"; do
	if ! [ -x "$p" ]; then
		echo "bench/ldap-run.sh: $p is not built" >&2
		exit 1
	fi
done

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
# The city's data directory, kept as a template: each (c) locks a copy.
"$MKCITY" ldap "$W/tpl" "$W/target.conf" "$BENCH_LDAP_N" >"$W/mkcity"

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
: >"$W/c.times"
: >"$W/c.inproc"
# time_a, time_b, time_c: one timed lock of all N, checked, then undone.
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

time_c() {
	rm -rf "$W/city"
	cp -a "$W/tpl" "$W/city"
	t0=$(now)
	"$BENCH_LOCKOUT" "$W/city" system:city >"$W/c.out"
	t1=$(now)
	expect_locked "$BENCH_LDAP_N" "after daicho's lockout"
	echo "$t0 $t1" | awk '{ printf "%.4f\n", $2 - $1 }' >>"$W/c.times"
	awk '$1 == "lockout.total_s" { print $2 }' "$W/c.out" >>"$W/c.inproc"
	unlock_all
}

# Warm the server's caches once, untimed, then rotate which goes first so
# that none always follows another.
slapd_admin ldapmodify -c -f "$W/lock.ldif" >"$W/warm.out" 2>&1
unlock_all
r=0
while [ "$r" -lt "$BENCH_LDAP_ROUNDS" ]; do
	r=$((r + 1))
	case $((r % 3)) in
	1) time_c; time_b; time_a ;;
	2) time_b; time_a; time_c ;;
	0) time_a; time_c; time_b ;;
	esac
done

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

a=$(median "$W/a.times")
b=$(median "$W/b.times")
c=$(median "$W/c.times")
echo "# ldap: $BENCH_LDAP_N locks, $BENCH_LDAP_ROUNDS rounds;" \
    "daicho $(tr '\n' ' ' <"$W/c.times")s (in the process" \
    "$(tr '\n' ' ' <"$W/c.inproc")s);" \
    "ldapmodify -c $(tr '\n' ' ' <"$W/b.times")s;" \
    "the target alone $(tr '\n' ' ' <"$W/a.times")s"
echo "lockout.ldap_daicho_s $c"
echo "lockout.ldap_ldapmodify_s $b"
awk -v c="$c" -v b="$b" 'BEGIN { printf "lockout.ldap_ratio %.3f\n", c / b }'
echo "lockout.ldap_target_s $a"
awk -v a="$a" -v b="$b" \
    'BEGIN { printf "lockout.ldap_target_ratio %.3f\n", a / b }'
