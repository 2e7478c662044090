#!/bin/sh
# tests/harness.sh -- self-test of the real-component harnesses,
# tests/env-pamunix.sh (pam_unix against a fake /etc in a mount namespace)
# and tests/env-fprintd.sh (fprintd with libfprint's virtual device on a
# private bus), driven with stock tools only: pamtester, pam_wrapper.
# Needs root.  By hand:
#   cd /work/main && DAICHO=$PWD/daicho srcdir=. TESTS_TMP=/tmp/h sh tests/harness.sh

# ok and fail always return 0, so "test && ok ... || fail ..." is safe.
# shellcheck disable=SC2015,SC2016
# shellcheck source=tests/lib.sh
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/env-fprintd.sh"
. "$srcdir/tests/env-pamunix.sh"

PAM_CONVERSE_PID=
# shellcheck disable=SC2317 # called from the trap
stop_all() {
	if [ -n "$PAM_CONVERSE_PID" ]; then
		kill "$PAM_CONVERSE_PID" 2>/dev/null || true
		wait "$PAM_CONVERSE_PID" 2>/dev/null || true
	fi
	fprintd_stop
}
trap 'stop_all; cleanup' EXIT
trap 'exit 130' HUP INT TERM

need pamtester cksum
pam_wrapper_lock
pamunix_need
_pu_pam_module pam_fprintd.so >/dev/null || _fp_missing pam_fprintd.so
PAM_WRAPPER_LIB=
for f in /usr/lib/*/libpam_wrapper.so /usr/lib/libpam_wrapper.so \
    /usr/lib64/libpam_wrapper.so; do
	[ -e "$f" ] && PAM_WRAPPER_LIB=$f && break
done
[ -n "$PAM_WRAPPER_LIB" ] || _fp_missing "libpam_wrapper.so (libpam-wrapper)"

U=$PAMUNIX_USER
OLD=$PAMUNIX_PASS
NEW=N3w-Daicho-pass-77
PU=$T/pu

# converse NAME [PROMPT ANSWER]... -- CMD...: pam_converse logging to
# $T/NAME.log; the exit status in $rc and the output in $OUT.
converse() {
	log=$T/$1.log
	shift
	: >"$log"
	rc=0
	pam_converse "$log" -t 20 "$@" || rc=$?
	OUT=$(tr -d '\r' <"$log")
}

# check_rc WANT|nonzero DESCRIPTION: the last converse's status.
check_rc() {
	if [ "$1" = nonzero ]; then
		[ "$rc" -ne 0 ] && [ "$rc" -lt 124 ]
	else
		[ "$rc" -eq "$1" ]
	fi && ok "$2" && return 0
	fail "$2: exit $rc, wanted $1; output:
$OUT"
}

sum_etc() { cat /etc/passwd /etc/shadow /etc/group /etc/gshadow | cksum; }
etc_mounts() { awk '$5 == "/etc"' /proc/self/mountinfo | wc -l; }
HOST_SUM=$(sum_etc)
HOST_MOUNTS=$(etc_mounts)

# ---------------------------------------------------------------------
# pam_unix in a mount namespace
# ---------------------------------------------------------------------
if pamunix_setup "$PU"; then
	ok "pamunix_setup made $PU/etc and $U"
else
	fail "pamunix_setup"
	finish
fi
line=$(pamunix_shadow "$PU" "$U")
case $line in
"$U:\$y\$"*:0:*) ok "the shadow entry is yescrypt, last change 0 (expired)" ;;
*) fail "unexpected shadow entry: $line" ;;
esac
getent passwd "$U" >/dev/null && fail "$U leaked into the host's passwd"
if pamunix_check "$PU"; then ok "pwck/grpck accept the new files"; else fail "pwck/grpck"; fi

converse right 'Password: ' "$OLD" -- "$PU/run" pamtester daicho "$U" authenticate
check_rc 0 "pam_unix: the right password authenticates"
expect_out 'successfully authenticated' "pamtester says so"

converse wrong 'Password: ' wrong-password -- "$PU/run" pamtester daicho "$U" authenticate
check_rc nonzero "pam_unix: a wrong password is refused"
expect_out 'Authentication failure' "as an authentication failure"

converse acct -- "$PU/run" pamtester daicho "$U" acct_mgmt
check_rc nonzero "pam_unix: acct_mgmt refuses the expired password"
expect_out 'required to change your password immediately' "pam_unix's message"
expect_out 'new one required' "PAM_NEW_AUTHTOK_REQD"

before=$(pamunix_shadow "$PU" "$U")
converse chbad 'Current password: ' not-the-password 'New password: ' "$NEW" \
    'Retype new password: ' "$NEW" -- \
    "$PU/run" pamtester daicho "$U" 'chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK)'
# pam_unix stops after the wrong current password: the answers after it are
# never asked for (pam_converse says so on stderr and exits 125).
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] &&
    printf '%s\n' "$OUT" | grep -q 'Current password:' &&
    ! printf '%s\n' "$OUT" | grep -q 'altered successfully'; then
	ok "chauthtok with a wrong current password fails"
else
	fail "chauthtok with a wrong current password: exit $rc: $OUT"
fi
[ "$(pamunix_shadow "$PU" "$U")" = "$before" ] &&
    ok "and leaves the shadow entry alone" || fail "shadow changed after a refused chauthtok"

converse chok 'Current password: ' "$OLD" 'New password: ' "$NEW" \
    'Retype new password: ' "$NEW" -- \
    "$PU/run" pamtester daicho "$U" 'chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK)'
check_rc 0 "pam_unix: the expired password is changed (chauthtok)"
expect_out 'authentication token altered successfully' "pamtester says so"

after=$(pamunix_shadow "$PU" "$U")
old_hash=$(echo "$before" | cut -d: -f2)
new_hash=$(echo "$after" | cut -d: -f2)
new_day=$(echo "$after" | cut -d: -f3)
today=$(pamunix_today)
[ "$new_hash" != "$old_hash" ] && ok "the hash changed" || fail "the hash did not change: $after"
case $new_hash in
'$y$'*) ok "the new hash is yescrypt" ;;
*) fail "the new hash is not yescrypt: $after" ;;
esac
# Allow for a run across midnight (UTC).
if [ "$new_day" = "$today" ] || [ "$new_day" = $((today - 1)) ]; then
	ok "the last change is today ($new_day)"
else
	fail "last change $new_day, today is $today"
fi
if pamunix_check "$PU"; then ok "pwck/grpck accept the rewritten files"; else fail "pwck/grpck after the change"; fi

converse new 'Password: ' "$NEW" -- "$PU/run" pamtester daicho "$U" authenticate acct_mgmt
check_rc 0 "the new password authenticates and the account is valid"
converse old 'Password: ' "$OLD" -- "$PU/run" pamtester daicho "$U" authenticate
check_rc nonzero "the old password no longer does"

# A hung command is cut off by PAMUNIX_TIMEOUT.
rc=0
PAMUNIX_TIMEOUT=0.5 pamunix_run "$PU" sleep 30 || rc=$?
[ "$rc" -eq 124 ] && ok "pamunix_run's timeout ends a hung command" ||
    fail "pamunix_run timeout: exit $rc"

# ---------------------------------------------------------------------
# fprintd with the virtual device, pam_fprintd under pam_wrapper
# ---------------------------------------------------------------------
FPU=daicho-fp-test      # deliberately not in the passwd database
if fprintd_start "$T/fp"; then
	ok "fprintd_start: private bus, polkit mock, fprintd"
else
	fail "fprintd_start"
	finish
fi
if fprintd_enroll "$FPU"; then
	ok "fprintd_enroll $FPU (a user unknown to passwd)"
else
	fail "fprintd_enroll $FPU"
	finish
fi

mkdir -p "$T/pw"
printf 'auth required pam_fprintd.so max-tries=2 timeout=10\n' >"$T/pw/fprint"
printf 'auth required pam_deny.so\naccount required pam_deny.so\npassword required pam_deny.so\nsession required pam_deny.so\n' >"$T/pw/other"
PW_ENV="LD_PRELOAD=$PAM_WRAPPER_LIB"
PW_DIR="PAM_WRAPPER_SERVICE_DIR=$T/pw"

# verify NAME SCAN...: authenticate $FPU, putting each finger on the reader
# after its prompt.
verify() {
	log=$T/$1.log
	shift
	: >"$log"
	pam_converse_bg "$log" -t 20 -- env "$PW_ENV" PAM_WRAPPER=1 "$PW_DIR" pamtester fprint "$FPU" authenticate
	n=0
	for s in "$@"; do
		n=$((n + 1))
		fprintd_wait_prompt "$log" "$n" 10 "$PAM_CONVERSE_PID" &&
		    fprintd_scan "$s" || break
	done
	rc=0
	wait "$PAM_CONVERSE_PID" || rc=$?
	PAM_CONVERSE_PID=
	OUT=$(tr -d '\r' <"$log")
}

verify fp-match print-A
check_rc 0 "pam_fprintd: the enrolled finger authenticates"
expect_out 'Swipe your right index finger' "after the reader's prompt"

verify fp-nomatch other other
check_rc nonzero "pam_fprintd: a wrong finger twice is refused"
[ "$(printf '%s\n' "$OUT" | grep -c 'Failed to match fingerprint')" -eq 2 ] &&
    ok "with two 'Failed to match'" || fail "not two no-matches: $OUT"
expect_out 'maximum number of retries' "as PAM_MAXTRIES"

converse fp-noprints -- env "$PW_ENV" PAM_WRAPPER=1 "$PW_DIR" pamtester fprint nobody-enrolled authenticate
check_rc nonzero "pam_fprintd: a user with no prints is refused"
expect_out 'cannot retrieve authentication info' "as PAM_AUTHINFO_UNAVAIL"

rc=0
fprintd_scan print-A 2>/dev/null || rc=$?
[ "$rc" -ne 0 ] && ok "fprintd_scan fails while no client has the reader open" ||
    fail "fprintd_scan succeeded with the reader closed"

# Esc during the scan: the client dies mid-verify; the next one must work.
log=$T/fp-killed.log
: >"$log"
pam_converse_bg "$log" -t 20 -- env "$PW_ENV" PAM_WRAPPER=1 "$PW_DIR" pamtester fprint "$FPU" authenticate
if fprintd_wait_prompt "$log" 1 10 "$PAM_CONVERSE_PID"; then
	kill "$PAM_CONVERSE_PID"
	wait "$PAM_CONVERSE_PID" || true
	PAM_CONVERSE_PID=
	t0=$(date +%s)
	verify fp-after-kill print-A
	check_rc 0 "a verify right after a client was killed mid-scan works ($(($(date +%s) - t0)) s)"
else
	fail "no prompt for the verify to be killed"
fi

# ---------------------------------------------------------------------
# Both: a wrong finger, then the password, with the real pam_unix
# ---------------------------------------------------------------------
if fprintd_enroll "$U"; then ok "fprintd_enroll $U"; else fail "fprintd_enroll $U"; fi
pamunix_service "$PU" daicho-fp <<'EOF'
auth    [success=done default=ignore] pam_fprintd.so max-tries=1 timeout=10
auth    required pam_unix.so nodelay
account required pam_unix.so
EOF
log=$T/both.log
: >"$log"
pam_converse_bg "$log" -t 20 'Password: ' "$NEW" -- \
    "$PU/run" pamtester daicho-fp "$U" authenticate
fprintd_wait_prompt "$log" 1 10 "$PAM_CONVERSE_PID" && fprintd_scan other || true
rc=0
wait "$PAM_CONVERSE_PID" || rc=$?
PAM_CONVERSE_PID=
OUT=$(tr -d '\r' <"$log")
check_rc 0 "a wrong finger, then pam_unix's password, in the namespace"
expect_out 'Failed to match fingerprint' "the finger was refused first"

log=$T/both-match.log
: >"$log"
pam_converse_bg "$log" -t 20 -- "$PU/run" pamtester daicho-fp "$U" authenticate
fprintd_wait_prompt "$log" 1 10 "$PAM_CONVERSE_PID" && fprintd_scan print-A || true
rc=0
wait "$PAM_CONVERSE_PID" || rc=$?
PAM_CONVERSE_PID=
OUT=$(tr -d '\r' <"$log")
check_rc 0 "the right finger alone, in the namespace"
if printf '%s\n' "$OUT" | grep -q 'Password:'; then
	fail "a password was asked for after a matching finger: $OUT"
else
	ok "with no password asked for"
fi

# ---------------------------------------------------------------------
# Nothing leaked to the host
# ---------------------------------------------------------------------
fprintd_stop
[ "$(sum_etc)" = "$HOST_SUM" ] && ok "the host's passwd/shadow/group/gshadow are untouched" ||
    fail "the host's account files changed"
[ "$(etc_mounts)" = "$HOST_MOUNTS" ] && ok "no bind mount over /etc left on the host" ||
    fail "a mount over /etc is left on the host: $(awk '$5 == "/etc"' /proc/self/mountinfo)"
# shellcheck disable=SC2009 # pgrep -f takes a pattern, $T is a path
left=$(ps -eo pid=,args= | grep -F "$T/" | grep -v grep || true)
[ -z "$left" ] && ok "no process left running" || fail "processes left: $left"

finish
