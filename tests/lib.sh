# tests/lib.sh -- shared by the shell tests; sourced, not run.
#
# Each test runs in its own scratch directory under $TESTS_TMP and
# reports TAP-free, automake-style: exit 0 pass, 1 fail, 77 skip, 99 hard
# error.  A component the test needs and cannot find is a skip on a
# developer's machine, but a hard error when DAICHO_REQUIRE_ALL=1 (CI):
# in CI a skipped integration test is a failure.

set -eu

: "${DAICHO:?DAICHO must name the daicho binary (make check sets it)}"
: "${TESTS_TMP:=${TMPDIR:-/tmp}/daicho-tests}"
: "${srcdir:=.}"
# English messages, whatever the caller's locale (the tests that want
# Japanese set LANG themselves: tests/console-ja.sh).  Only the messages:
# the character type stays the caller's, since the tests grep UTF-8
# patterns (█{21,}) that a C locale would read byte by byte.
unset LANGUAGE
if [ -n "${LC_ALL:-}" ]; then
	LC_CTYPE=$LC_ALL
	export LC_CTYPE
	unset LC_ALL
fi
LC_MESSAGES=C
export LC_MESSAGES

# As root, each test runs with a /tmp of its own (tests/private-tmp.sh
# says why): the whole script again, in a new mount namespace, before it
# has made anything.  Elsewhere pam_wrapper_lock serialises the tests
# that use pam_wrapper.
if [ -z "${DAICHO_PRIVATE_TMP:-}" ] && [ "$(id -u)" = 0 ] &&
    command -v unshare >/dev/null 2>&1 && unshare -m true 2>/dev/null; then
	exec unshare -m -- /bin/sh "$srcdir/tests/private-tmp.sh" \
	    "${SHELL:-/bin/sh}" "$0" "$@"
fi

TEST_NAME=$(basename "$0" .sh)
TEST_START=$(date +%s)
mkdir -p "$TESTS_TMP"
T=$(mktemp -d "$TESTS_TMP/$TEST_NAME.XXXXXX")
chmod 700 "$T"
FAILED=0
CHECKS=0

cleanup() {
	if [ "$FAILED" -eq 0 ] && [ -z "${KEEP_TMP:-}" ]; then
		rm -rf "$T"
	else
		echo "# scratch kept in $T" >&2
	fi
}
trap cleanup EXIT

# need CMD...: skip (or fail in CI) unless every command is on PATH.
need() {
	for c in "$@"; do
		if ! command -v "$c" >/dev/null 2>&1; then
			if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
				echo "FATAL: $TEST_NAME needs $c, which is missing" >&2
				exit 99
			fi
			echo "SKIP: $TEST_NAME needs $c" >&2
			exit 77
		fi
	done
}

fail() {
	echo "FAIL: $TEST_NAME: $*" >&2
	FAILED=$((FAILED + 1))
}

ok() {
	CHECKS=$((CHECKS + 1))
	echo "ok - $*"
}

# expect_rc WANT DESCRIPTION CMD...: run CMD, capture output in $OUT.
expect_rc() {
	want=$1
	desc=$2
	shift 2
	set +e
	OUT=$("$@" 2>&1)
	rc=$?
	set -e
	if [ "$rc" -ne "$want" ]; then
		fail "$desc: exit $rc, wanted $want; output:
$OUT"
		return 0
	fi
	ok "$desc"
}

# expect_out PATTERN DESCRIPTION: the last $OUT matches the grep -E pattern.
expect_out() {
	if printf '%s\n' "$OUT" | grep -Eq -- "$1"; then
		ok "$2"
	else
		fail "$2: output does not match /$1/:
$OUT"
	fi
}

# ja_locale: make ja_JP.UTF-8 in $T/locale (use it with LOCPATH=$T/locale):
# the machine need not have it.  No locale source is a skip, or in CI a
# hard error.
ja_locale() {
	mkdir -p "$T/locale"
	if ! localedef -i ja_JP -f UTF-8 "$T/locale/ja_JP.UTF-8" \
	    >"$T/localedef.out" 2>&1; then
		if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
			echo "FATAL: $TEST_NAME: localedef ja_JP failed:" \
			    "$(cat "$T/localedef.out")" >&2
			exit 99
		fi
		echo "SKIP: $TEST_NAME: localedef ja_JP failed" \
		    "(package locales?)" >&2
		exit 77
	fi
}

finish() {
	# What the test cost, for tools/test's list of the slowest: the
	# wall time, and the CPU time of the test and its children (times:
	# the children's line is the second).
	# (times in a pipeline would run in a subshell, which has no
	# children.)
	times >"$T/.times"
	awk -v n="$TEST_NAME" -v w="$(($(date +%s) - TEST_START))" '
	    function s(t) { split(t, a, "m"); return a[1] * 60 + a[2] }
	    NR == 2 { printf "# cost %s: wall %d s, user %.1f s, sys %.1f s\n",
		n, w, s($1), s($2) }' "$T/.times" >&2
	if [ "$FAILED" -ne 0 ]; then
		echo "$TEST_NAME: $FAILED of $((CHECKS + FAILED)) checks failed" >&2
		exit 1
	fi
	echo "$TEST_NAME: all $CHECKS checks passed"
	exit 0
}

# pam_wrapper_lock: hold the machine-wide pam_wrapper lock until this test
# exits, unless it has a /tmp of its own.  pam_wrapper copies the service
# files to /tmp/pam.X with a racy choice of X, in every process that
# starts PAM: two tests using it at once in one /tmp can read each
# other's services.
pam_wrapper_lock() {
	[ "${DAICHO_PRIVATE_TMP:-}" = 1 ] && return 0
	need flock
	exec 9>/tmp/daicho-pam_wrapper.lock
	flock -w 900 9 || { echo "FATAL: pam_wrapper lock" >&2; exit 99; }
}

# In a sanitizer build, ASan's runtime must come first in LD_PRELOAD, and
# the real pam_unix needs libcrypt loaded early (GCC's crypt_r interceptor).
# SAN_PRELOAD is what to put first ("" in a normal build); PW_PRELOAD is
# the whole preload list for running daicho under pam_wrapper.
SAN_PRELOAD=
if ldd "$DAICHO" 2>/dev/null | grep -q libasan; then
	SAN_PRELOAD="$(ldd "$DAICHO" | awk '/libasan/ { print $3; exit }')"
	_crypt=$(ldconfig -p | awk '/libcrypt\.so\.1 / { print $NF; exit }')
	[ -n "$_crypt" ] && SAN_PRELOAD="$SAN_PRELOAD $_crypt"
fi
PW_PRELOAD="${SAN_PRELOAD:+$SAN_PRELOAD }libpam_wrapper.so"
# Under ASan, its allocator reads the clock (to pace giving memory back
# to the system) while it holds its lock; when that read is libfaketime's
# first, libfaketime starts up and allocates under the same lock, and the
# process hangs before main (seen when LOCPATH makes a library's
# constructor allocate first).  With the pacing off the allocator never
# reads the clock.  For every process of the test: the preloads are
# spelled in many places.
if [ -n "$SAN_PRELOAD" ]; then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_release_to_os_interval_ms=-1"
	export ASAN_OPTIONS
fi

# FAKETIME_LIB: libfaketime (Debian's faketime package), for a test that
# controls the clock: preload it after SAN_PRELOAD and set FAKETIME
# (faketime_run does both).  Time is controlled, never waited for.
FAKETIME_LIB=
for _ft in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
	[ -f "$_ft" ] && { FAKETIME_LIB=$_ft; break; }
done

# faketime_run SPEC CMD...: CMD with libfaketime's FAKETIME=SPEC (for
# example '+0 x20', or '@2026-12-07 09:00:00').
faketime_run() {
	[ -n "$FAKETIME_LIB" ] || { echo "libfaketime is missing" >&2; return 127; }
	_spec=$1
	shift
	env LD_PRELOAD="${SAN_PRELOAD:+$SAN_PRELOAD }$FAKETIME_LIB" \
	    FAKETIME="$_spec" "$@"
}

# plant_unregistered ROOT: three accounts made behind daicho's back in the
# unix root ROOT (uids 2997-2999, homes made): intruder locked, rogue
# and stray open, for the tests of reconciliation's findings.
plant_unregistered() {
	mkdir "$1/home/intruder" "$1/home/rogue" "$1/home/stray"
	printf 'intruder:x:2997:100::/home/intruder:/bin/bash\n' >>"$1/etc/passwd"
	printf 'intruder:!$6$salt$hash:20000:0:99999:7:::\n' >>"$1/etc/shadow"
	printf 'rogue:x:2998:100::/home/rogue:/bin/bash\n' >>"$1/etc/passwd"
	printf 'rogue:$6$salt$hash:20000:0:99999:7:::\n' >>"$1/etc/shadow"
	printf 'stray:x:2999:100::/home/stray:/bin/bash\n' >>"$1/etc/passwd"
	printf 'stray:$6$salt$hash:20000:0:99999:7:::\n' >>"$1/etc/shadow"
}

# demo_cli DIR: a demo city in DIR (made without a terminal) for the
# command line: password-only PAM (the answers on a descriptor are what
# pam_matrix reads), in $T/cli.conf.  Then pw runs daicho on it.
# CLOCK: when set (a libfaketime spec; a frozen one such as
# '2026-11-30 09:00:00' is the same time in every process), demo_cli and
# pw run daicho at that time.  Nothing is recorded at a time before the
# ledger's newest entry, so a test that moves the clock makes its ledger
# before the first time it moves to, and only moves forward.
CLOCK=
# clocked CMD...: CMD at $CLOCK, or at the real time when it is unset.
clocked() {
	if [ -n "$CLOCK" ]; then faketime_run "$CLOCK" "$@"; else "$@"; fi
}

demo_cli() {
	D=$1
	clocked "$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
	printf 'pam_service = daicho-password\nmodule_timeout_seconds = 10\n' \
	    >"$T/cli.conf"
	chmod 600 "$T/cli.conf"
}

# exec_system_hr: on the demo city, an exec system "hr" whose program
# answers every request "ok", and an ID of E0000102 on it, hr/other.
exec_system_hr() {
	printf '#!/bin/sh\ncat >/dev/null\necho ok\n' >"$T/hr"
	chmod 755 "$T/hr"
	pw 'demo\ndemo\n' act system.add name=hr type=exec title=hr conf=2 \
	    integ=1 avail=1 "config=program=$T/hr" --user demo-admin \
	    --approver demo-approver >/dev/null
	pw 'demo\n' act id.create system=hr login=other kind=personal \
	    owner=E0000102 --user demo-admin >/dev/null
}

# pw ANSWERS CMD...: daicho on $D under pam_wrapper, PAM's answers (printf
# format, one a line) on descriptor 3.
pw() {
	a=$1
	shift
	printf "$a" >"$T/answers"
	env LD_PRELOAD="$PW_PRELOAD${CLOCK:+ $FAKETIME_LIB}" FAKETIME="$CLOCK" \
	    PAM_WRAPPER=1 \
	    PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" --config "$T/cli.conf" \
	    "$@" --dir "$D" --askpass-fd 3 3<"$T/answers"
}

# The number of entries in $D's ledger.
entries_of() {
	"$DAICHO" status --dir "$D" | awk '$1 == "entries" { print $2 }'
}
