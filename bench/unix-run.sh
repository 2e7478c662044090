#!/bin/sh
# bench/unix-run.sh -- lockout.unix_s and lockout.unix_speedup (issue 4,
# section 7): lock 5,000 accounts of a 5,200-line shadow through daicho,
# ledger included, against a loop of usermod -L -e 1 over the same accounts.
#
# bench/mkcity makes the city once: a root whose passwd, shadow, group
# and gshadow have 5,200 lines each (root and u00001 .. u05199, written
# directly: 5,200 useradd calls would take minutes), 5,000 of the
# accounts registered in a data directory through id.adopt.  pwck and
# grpck must accept the files.  Then, on fresh copies of it:
#  1. bench-lockout: the emergency lockout of the whole system through
#     daicho -- the incident.lock entry (prior states recorded, 5,000
#     locks queued), then the outbox: one batch through the unix target
#     (locks, rewrite, fsyncs) and 5,000 outbox.result entries, each
#     transaction with its signed checkpoint.  Three times; the median is
#     lockout.unix_s.  The PAM conversation and the process start are not
#     timed: they do not grow with the accounts.  The system's logs are
#     part of it, as daicho opens them: one syslog line for the entry,
#     to a live /dev/log (as root, a socket this script reads, bound over
#     /dev/log in a private mount namespace), and one Linux audit event
#     per account where the kernel takes them.  Each copy is also locked
#     with bench-lockout --no-logs, runs interleaved, for the ratio.
#  2. The target alone (test-unix --bench: the same batch without the
#     ledger), three times, for comparison only.
#  3. usermod -P ROOT -L -e 1 over the same registered accounts, one process
#     each.  A call costs ~22 ms on 5,200 lines, ~110 s for all 5,000; by
#     default the loop runs over the first UNIX_USERMOD_N (500) and is
#     extrapolated linearly (each call rewrites the whole file, so its
#     cost does not depend on how many were locked before).  Set
#     UNIX_USERMOD_N=5000 for the full loop.
# The accounts usermod locked must read exactly as daicho left them.
#
# Prints "name value" lines (bench/run's value() reads them):
#	lockout.unix_s		seconds for the 5,000 locks through daicho
#	lockout.unix_nologs_s	the same without syslog and audit
#	lockout.unix_logs_ratio	lockout.unix_s / lockout.unix_nologs_s
#	lockout.unix_audit	1 if an audit event went per account
#	lockout.unix_syslog_lines  lines the live /dev/log received
#	lockout.unix_speedup	usermod loop time / lockout.unix_s
#	lockout.unix_incident_s	of which the incident.lock entry
#	lockout.unix_outbox_s	of which the outbox (target and results)
#	lockout.unix_target_s	the target alone, no ledger
#	lockout.unix_usermod_s	the usermod loop (extrapolated)
# Run from the build directory, or set MKCITY, BENCH_LOCKOUT and
# TEST_UNIX to the built bench/mkcity, bench/bench-lockout and
# tests/test-unix.
set -eu

: "${MKCITY:=./bench/mkcity}"
: "${BENCH_LOCKOUT:=./bench/bench-lockout}"
: "${TEST_UNIX:=./tests/test-unix}"
: "${UNIX_LINES:=5200}"
: "${UNIX_LOCK:=5000}"
: "${UNIX_USERMOD_N:=500}"
: "${DAICHO_BENCH_SYSLOG:=}"	# a file to keep the lines /dev/log received

for c in usermod awk cp sqlite3 cmp; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "unix-run.sh: $c is missing" >&2
		exit 1
	}
done
for p in "$MKCITY" "$BENCH_LOCKOUT" "$TEST_UNIX"; do
	[ -x "$p" ] || {
		echo "unix-run.sh: $p is not built" >&2
		exit 1
	}
done
[ "$UNIX_USERMOD_N" -le "$UNIX_LOCK" ] || UNIX_USERMOD_N=$UNIX_LOCK

W=$(mktemp -d "${TMPDIR:-/tmp}/daicho-unix-bench.XXXXXX")
chmod 700 "$W"
trap 'rm -rf "$W"' EXIT

now() {
	date +%s.%N
}

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The city at $W/c (its system's configuration names $W/c/root, so every
# copy is moved to that path), kept as $W/tpl.
C=$W/c
mkdir -p "$C"
"$MKCITY" unix "$C/data" "$C/root" "$UNIX_LINES" "$UNIX_LOCK" >"$W/mkcity"
if [ "$(id -u)" = 0 ] && command -v pwck >/dev/null 2>&1; then
	if pwck -r -R "$C/root" >"$W/pwck" 2>&1 &&
	    grpck -r -R "$C/root" >>"$W/pwck" 2>&1; then
		echo "# root: $UNIX_LINES lines, $UNIX_LOCK IDs registered;" \
		    "pwck -r and grpck -r accept it"
	else
		echo "unix-run.sh: pwck/grpck refuse the bench root:" >&2
		cat "$W/pwck" >&2
		exit 1
	fi
fi
sqlite3 "$C/data/daicho.db" "SELECT login FROM account WHERE system = \
    'city' ORDER BY login" >"$W/ids"
mv "$C" "$W/tpl"

# A live /dev/log: as root, a datagram socket this script reads, bound
# over /dev/log in a private mount namespace (as tests/syslog.sh does).
LOGGER=
if [ "$(id -u)" = 0 ] && command -v python3 >/dev/null 2>&1 &&
    command -v logger >/dev/null 2>&1 && unshare -m true 2>/dev/null; then
	mkdir "$W/dev"
	: >"$W/dev/null"
	: >"$W/dev/urandom"
	python3 "$(dirname "$0")/../tests/devlog.py" "$W/dev/log" \
	    "$W/syslog" "$W/listening" &
	LOGGER=$!
	trap 'logger -u "$W/dev/log" daicho-devlog-end 2>/dev/null;
	    wait; rm -rf "$W"' EXIT
	i=0
	while [ ! -e "$W/listening" ] && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$W/listening" ] || {
		echo "unix-run.sh: the /dev/log reader did not start" >&2
		exit 1
	}
fi
# logged CMD...: CMD where /dev/log is the live socket, if there is one.
# shellcheck disable=SC2016 # expanded by the inner shell
logged() {
	if [ -n "$LOGGER" ]; then
		unshare -m sh -c 'mount --bind /dev/null "$0/dev/null" &&
		    mount --bind /dev/urandom "$0/dev/urandom" &&
		    mount --rbind "$0/dev" /dev && exec "$@"' "$W" "$@"
	else
		"$@"
	fi
}

# 1. Through daicho, three fresh copies: the median; each run with the
# logs, then again on a fresh copy without them.
: >"$W/t.total"
: >"$W/t.incident"
: >"$W/t.outbox"
: >"$W/t.nologs"
for run in 1 2 3; do
	rm -rf "$C"
	cp -a "$W/tpl" "$C"
	logged "$BENCH_LOCKOUT" "$C/data" system:city >"$W/out.d"
	awk '$1 == "lockout.total_s" { print $2 }' "$W/out.d" >>"$W/t.total"
	awk '$1 == "lockout.incident_s" { print $2 }' "$W/out.d" \
	    >>"$W/t.incident"
	awk '$1 == "lockout.outbox_s" { print $2 }' "$W/out.d" \
	    >>"$W/t.outbox"
	[ "$run" -eq 1 ] && cp "$C/root/etc/shadow" "$W/shadow.daicho"
	rm -rf "$C"
	cp -a "$W/tpl" "$C"
	"$BENCH_LOCKOUT" --no-logs "$C/data" system:city >"$W/out.n"
	awk '$1 == "lockout.total_s" { print $2 }' "$W/out.n" >>"$W/t.nologs"
done
T_DAICHO=$(median "$W/t.total")
T_NOLOGS=$(median "$W/t.nologs")
AUDIT=$(awk '$1 == "lockout.audit" { print $2 }' "$W/out.d")
LINES=-
[ -n "$LOGGER" ] && LINES=$(grep -c 'daicho' "$W/syslog" || true)
[ -n "$DAICHO_BENCH_SYSLOG" ] && [ -n "$LOGGER" ] &&
    cp "$W/syslog" "$DAICHO_BENCH_SYSLOG"

# 2. The target alone, on the same files.
: >"$W/t.target"
for run in 1 2 3; do
	rm -rf "$C"
	cp -a "$W/tpl" "$C"
	"$TEST_UNIX" --bench "$C/root" "$UNIX_LOCK" >"$W/out.t"
	awk '$1 == "unix.apply_s" { print $2 }' "$W/out.t" >>"$W/t.target"
done

# 3. usermod -L, one process per account, on a fresh copy.
rm -rf "$C"
cp -a "$W/tpl" "$C"
head -n "$UNIX_USERMOD_N" "$W/ids" >"$W/ids.loop"
t0=$(now)
while read -r login; do
	usermod -P "$C/root" -L -e 1 "$login"
done <"$W/ids.loop"
t1=$(now)
T_LOOP=$(awk -v a="$t0" -v b="$t1" -v k="$UNIX_USERMOD_N" \
    -v n="$UNIX_LOCK" 'BEGIN { printf "%.3f", (b - a) * n / k }')

# Both must have done the same thing to the accounts usermod locked.
awk -F: 'NR == FNR { id[$1] = 1; next } $1 in id' "$W/ids.loop" \
    "$W/shadow.daicho" >"$W/a.lines"
awk -F: 'NR == FNR { id[$1] = 1; next } $1 in id' "$W/ids.loop" \
    "$C/root/etc/shadow" >"$W/b.lines"
if ! cmp -s "$W/a.lines" "$W/b.lines" ||
    [ "$(grep -c ':!' "$W/a.lines")" -ne "$UNIX_USERMOD_N" ]; then
	echo "unix-run.sh: daicho and usermod -L -e 1 disagree" >&2
	exit 1
fi

echo "# unix: $UNIX_LOCK of $UNIX_LINES accounts locked through daicho" \
    "(incident.lock, target batch, $UNIX_LOCK outbox.result entries) in" \
    "$T_DAICHO s, the median of $(sort -n "$W/t.total" | tr '\n' ' ')s;" \
    "the target alone $(sort -n "$W/t.target" | tr '\n' ' ')s"
echo "# usermod -P -L -e 1: $UNIX_USERMOD_N calls took" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s;" \
    "$T_LOOP s for $UNIX_LOCK$( [ "$UNIX_USERMOD_N" -lt "$UNIX_LOCK" ] &&
    echo " (extrapolated linearly from $UNIX_USERMOD_N)");" \
    "both lock the same lines identically"
echo "# the system's logs: $LINES syslog lines to $( [ -n "$LOGGER" ] &&
    echo "a live /dev/log" || echo "no /dev/log (not root)");" \
    "$( [ "$AUDIT" = 1 ] && echo "an audit event per account" ||
    echo "no audit (the kernel refused)");" \
    "without them $(sort -n "$W/t.nologs" | tr '\n' ' ')s"
echo "lockout.unix_s $T_DAICHO"
echo "lockout.unix_nologs_s $T_NOLOGS"
awk -v a="$T_DAICHO" -v b="$T_NOLOGS" \
    'BEGIN { printf "lockout.unix_logs_ratio %.2f\n", a / b }'
echo "lockout.unix_audit $AUDIT"
echo "lockout.unix_syslog_lines $LINES"
awk -v l="$T_LOOP" -v d="$T_DAICHO" \
    'BEGIN { printf "lockout.unix_speedup %.0f\n", l / d }'
echo "lockout.unix_incident_s $(median "$W/t.incident")"
echo "lockout.unix_outbox_s $(median "$W/t.outbox")"
echo "lockout.unix_target_s $(median "$W/t.target")"
echo "lockout.unix_usermod_s $T_LOOP"
