#!/bin/sh
# bench/unix-run.sh -- the unix target's share of lockout.unix_s and
# lockout.unix_speedup (issue 4, section 7).
#
# Builds a root with a 5,200-line passwd, shadow, group and gshadow
# (written directly: 5,200 useradd calls would take minutes), checks that
# pwck and grpck accept it, then on two copies of it:
#  1. locks 5,000 accounts in one batch through the unix target
#     (test-unix --bench: only the apply is timed, locks and fsyncs
#     included), three times on fresh copies, keeping the median;
#  2. runs usermod -P ROOT -L over the same accounts, one process each.
# The usermod loop costs ~22 ms a call on 5,200 lines, ~110 s for all
# 5,000; by default it runs over the first UNIX_USERMOD_N (500) and is
# extrapolated linearly (each call rewrites the whole file, so the cost
# per call does not depend on how many were locked before).  Set
# UNIX_USERMOD_N=5000 for the full loop.
#
# Prints "name value" lines (bench/run's value() reads them):
#	lockout.unix_s		seconds for the batch of 5,000 locks
#	lockout.unix_speedup	usermod loop time / lockout.unix_s
# lockout.unix_s in the issue is through daicho with the ledger: this is
# the target's part of it.  Run from the build directory, or set
# TEST_UNIX to the built tests/test-unix.
set -eu

: "${TEST_UNIX:=./tests/test-unix}"
: "${UNIX_ACCOUNTS:=5200}"
: "${UNIX_LOCK:=5000}"
: "${UNIX_USERMOD_N:=500}"

for c in usermod awk cp; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "unix-run.sh: $c is missing" >&2
		exit 1
	}
done
[ -x "$TEST_UNIX" ] || {
	echo "unix-run.sh: $TEST_UNIX is not built" >&2
	exit 1
}
[ "$UNIX_USERMOD_N" -le "$UNIX_LOCK" ] || UNIX_USERMOD_N=$UNIX_LOCK

W=$(mktemp -d "${TMPDIR:-/tmp}/daicho-unix-bench.XXXXXX")
chmod 700 "$W"
trap 'rm -rf "$W"' EXIT

now() {
	date +%s.%N
}

# The root: login.defs for usermod, an empty /bin/bash for pwck, homes
# at /nonexistent (login.defs' NONEXISTENT: pwck does not look for them).
R=$W/root
mkdir -p "$R/etc" "$R/bin" "$R/root"
cp /etc/login.defs "$R/etc/"
: >"$R/bin/bash"
chmod 755 "$R/bin/bash"
HASH=$(echo "bench-password" | "$TEST_UNIX" --crypt)
awk -v n="$UNIX_ACCOUNTS" -v h="$HASH" -v d="$R/etc" 'BEGIN {
	print "root:x:0:0:root:/root:/bin/bash" > (d "/passwd")
	print "root:*:19000:0:99999:7:::" > (d "/shadow")
	print "root:x:0:" > (d "/group")
	print "root:*::" > (d "/gshadow")
	for (i = 1; i <= n; i++) {
		u = sprintf("u%05d", i)
		printf "%s:x:%d:%d:User %d:/nonexistent:/bin/bash\n", u,
		    1000 + i, 1000 + i, i > (d "/passwd")
		printf "%s:%s:19000:0:99999:7:::\n", u, h > (d "/shadow")
		printf "%s:x:%d:\n", u, 1000 + i > (d "/group")
		printf "%s:!::\n", u > (d "/gshadow")
	}
}'
chmod 644 "$R/etc/passwd" "$R/etc/group"
chmod 640 "$R/etc/shadow" "$R/etc/gshadow"
if [ "$(id -u)" = 0 ] && command -v pwck >/dev/null 2>&1; then
	if pwck -r -R "$R" >"$W/pwck" 2>&1 && grpck -r -R "$R" >>"$W/pwck" 2>&1
	then
		echo "# root: $UNIX_ACCOUNTS accounts; pwck -r and grpck -r accept it"
	else
		echo "unix-run.sh: pwck/grpck refuse the bench root:" >&2
		cat "$W/pwck" >&2
		exit 1
	fi
fi

# 1. One batch through the target, on three fresh copies: the median.
for run in 1 2 3; do
	cp -a "$R" "$W/a$run"
	"$TEST_UNIX" --bench "$W/a$run" "$UNIX_LOCK" >"$W/out.a"
	awk '$1 == "unix.apply_s" { print $2 }' "$W/out.a" >>"$W/times.a"
done
T_ALL=$(sort -n "$W/times.a" | tr '\n' ' ')
T_DAICHO=$(sort -n "$W/times.a" | sed -n 2p)

# 2. usermod -L, one process per account, on a fresh copy.
cp -a "$R" "$W/b"
t0=$(now)
i=1
while [ "$i" -le "$UNIX_USERMOD_N" ]; do
	usermod -P "$W/b" -L "$(printf 'u%05d' "$i")"
	i=$((i + 1))
done
t1=$(now)
T_LOOP=$(awk -v a="$t0" -v b="$t1" -v k="$UNIX_USERMOD_N" \
    -v n="$UNIX_LOCK" 'BEGIN { printf "%.3f", (b - a) * n / k }')

# Both must have done the same thing to the accounts usermod locked.
awk -F: -v k="$UNIX_USERMOD_N" 'NR > 1 && NR <= k + 1' "$W/a1/etc/shadow" \
    >"$W/a.head"
awk -F: -v k="$UNIX_USERMOD_N" 'NR > 1 && NR <= k + 1' "$W/b/etc/shadow" \
    >"$W/b.head"
if ! cmp -s "$W/a.head" "$W/b.head"; then
	echo "unix-run.sh: the target and usermod -L disagree" >&2
	exit 1
fi

echo "# unix: $UNIX_LOCK of $UNIX_ACCOUNTS accounts locked in one batch" \
    "in $T_DAICHO s, the median of $T_ALL(the target alone: the ledger" \
    "is not included)"
echo "# usermod -P -L: $UNIX_USERMOD_N calls took" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s;" \
    "$T_LOOP s for $UNIX_LOCK$( [ "$UNIX_USERMOD_N" -lt "$UNIX_LOCK" ] &&
    echo " (extrapolated linearly from $UNIX_USERMOD_N)")"
echo "# both lock the same lines identically"
echo "lockout.unix_s $T_DAICHO"
awk -v l="$T_LOOP" -v d="$T_DAICHO" 'BEGIN { printf "lockout.unix_speedup %.0f\n", l / d }'
