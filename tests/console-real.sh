#!/bin/sh
# tests/console-real.sh -- the console against real PAM modules, no
# pam_wrapper: the real pam_unix in a mount namespace over a copy of /etc
# (tests/env-pamunix.sh) and the real pam_fprintd talking to fprintd with
# libfprint's virtual reader on a private bus (tests/env-fprintd.sh).
# tmux runs "daicho --dir D --config CONF" inside the namespace; every check
# is about what a person at the terminal sees, then what the ledger and
# /etc/shadow say.  Needs root (CI runs it as root).
#
#   1. an expired password, changed in the console (pam_acct_mgmt says
#      PAM_NEW_AUTHTOK_REQD, pam_chauthtok runs in the same conversation);
#      then the new password works and the old one is refused;
#   2. a fingerprint login through the shipped fingerprint stack: the
#      enrolled finger, no password asked;
#   3. a finger that does not match (max-tries=2), then the password;
#   4. Esc during the scan: the password-only fallback service at once,
#      and no failed login;
#   5. auth_factors = fingerprint-and-password (the shipped stack): the
#      finger and the password log in; the finger alone, the password
#      alone, Esc and no enrolled finger do not.
#
# By hand:
#   cd /work/main && DAICHO=$PWD/daicho srcdir=. TESTS_TMP=/tmp/cr sh tests/console-real.sh

# ok and fail always return 0, so "test && ok ... || fail ..." is safe.
# shellcheck disable=SC2015,SC2016
PAMUNIX_USER=demo-admin         # pamunix_setup's expired user: an operator
PAMUNIX_PASS=Old-pass-1234
# shellcheck source=tests/lib.sh
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
. "$srcdir/tests/env-fprintd.sh"
. "$srcdir/tests/env-pamunix.sh"

PU=$T/pu                        # the fake /etc and its "run"
D=$T/data                       # daicho's data directory
NEW=N3w-Daicho-pass-77          # demo-admin's password after the change
FPU=demo-approver               # the fingerprint operator (own password)
FPPASS=Appr-pass-4321
SCREENS=$T/screens.log          # every screen the waits saw, for the record

# --- stopping what we started, also on failure -------------------------
CONSOLE_PID=
# shellcheck disable=SC2317 # called from the trap and below
console_stop() {
	kids=
	if [ -n "$CONSOLE_PID" ]; then
		# The PAM child of the console (it may sit in pam_fprintd).
		kids=$(ps -o pid= --ppid "$CONSOLE_PID" 2>/dev/null || true)
	fi
	tmux_stop
	for k in $CONSOLE_PID $kids; do
		n=30
		while [ "$n" -gt 0 ] && kill -0 "$k" 2>/dev/null; do
			sleep 0.1
			n=$((n - 1))
		done
		kill -KILL "$k" 2>/dev/null || true
	done
	CONSOLE_PID=
}
# shellcheck disable=SC2317
stop_all() {
	console_stop
	fprintd_stop
}
trap 'stop_all; cleanup' EXIT
trap 'exit 130' HUP INT TERM

# --- what the test needs: all of it up front (a skip, or 99 in CI) ------
need python3 ps cmp cksum
pamunix_need
need dbus-daemon dbus-send fprintd-enroll fprintd-list /usr/libexec/fprintd
_pu_pam_module pam_fprintd.so >/dev/null || _fp_missing pam_fprintd.so
_pu_pam_module pam_permit.so >/dev/null || _fp_missing pam_permit.so
[ -r "$srcdir/etc/pam.d/daicho-fingerprint" ] ||
    { echo "FATAL: no $srcdir/etc/pam.d/daicho-fingerprint" >&2; exit 99; }

sum_etc() { cat /etc/passwd /etc/shadow /etc/group /etc/gshadow | cksum; }
etc_mounts() { awk '$5 == "/etc"' /proc/self/mountinfo | wc -l; }
HOST_SUM=$(sum_etc)
HOST_MOUNTS=$(etc_mounts)

# --- helpers -------------------------------------------------------------

# console_start CONF: the console, in the namespace, in an 80x24 tmux.
console_start() {
	console_stop
	tmux_start 80 24 "$PU/run" env \
	    "DBUS_SYSTEM_BUS_ADDRESS=${DBUS_SYSTEM_BUS_ADDRESS:-}" \
	    ${SAN_PRELOAD:+"LD_PRELOAD=$SAN_PRELOAD"} \
	    "$DAICHO" --dir "$D" --config "$1"
	CONSOLE_PID=$(tmux_pid)
	if tmux_wait 'User:' 10; then
		return 0
	fi
	fail "the console did not start (config $1):
$(tmux_screen)"
	return 1
}

# seen PATTERN [SECONDS]: wait for PATTERN like tmux_wait, keeping every
# screen looked at in $SCREENS (so the test can tell what was shown on
# the way, e.g. whether a password was ever asked for).
seen() {
	i=0 limit=$(( ${2:-10} * 10 ))
	while [ "$i" -lt "$limit" ]; do
		tmux_screen >"$T/now" 2>/dev/null || :
		if ! cmp -s "$T/now" "$T/last" 2>/dev/null; then
			{ echo "---- $(date +%T.%N | cut -c1-12)"; cat "$T/now"; } >>"$SCREENS"
			cp "$T/now" "$T/last"
		fi
		grep -Eq -- "$1" "$T/now" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# step PATTERN DESCRIPTION [SECONDS]: a check that the screen shows
# PATTERN; returns 1 (after fail) when it never does, so that a part stops
# before typing a password into the wrong field.
step() {
	if seen "$1" "${3:-10}"; then
		ok "$2"
		return 0
	fi
	fail "$2: the screen never showed /$1/; it shows:
$(tmux_screen)"
	return 1
}

# mark: start a new stretch of $SCREENS (what was shown since the mark).
mark() { : >"$SCREENS"; rm -f "$T/last"; }

# shown_since_mark PATTERN: some screen since the mark matched.
shown_since_mark() { grep -Eq -- "$1" "$SCREENS"; }

# answer TEXT: type into the field shown and press Enter.
answer() {
	tmux_type "$1"
	tmux_keys Enter
}

# Number of lines on the screen now matching PATTERN.
count_on_screen() { tmux_screen | grep -Ec -- "$1" || true; }

# The ledger as "N ACTION ACTOR SUBJECT key=value..." one entry a line.
ledger() {
	"$DAICHO" log --dir "$D" 2>&1 | awk '
	    /^[0-9]/ { if (e != "") print e; e = $1 " " $3 " " $4 " " $5; next }
	    { sub(/^[ \t]+/, ""); e = e " " $0 }
	    END { if (e != "") print e }'
}

expect_ledger() {
	ledger >"$T/ledger"
	if grep -Eq -- "$1" "$T/ledger"; then
		ok "$2"
	else
		fail "$2: no entry matches /$1/; the session entries are:
$(grep ' session\.' "$T/ledger" || echo '(none)')"
	fi
}

# Entry number of the last ledger entry matching PATTERN (or nothing).
ledger_last() { ledger | grep -E -- "$1" | tail -n 1 | cut -d' ' -f1; }

# logout: dismiss the last-login message if it is up, F10, confirm.
logout() {
	if tmux_screen | grep -q 'Last login:'; then
		tmux_keys Enter
		sleep 0.3
	fi
	tmux_keys F10
	sleep 0.3
	tmux_keys y
	step '^ *User:' "F10, y logs out to the login screen"
}

# write_conf FILE: daicho.conf from standard input, mode 0600 (daicho
# refuses a configuration others may write).
write_conf() {
	(umask 077 && cat >"$1")
	chmod 600 "$1"
}

# --- the data directory, the namespace ---------------------------------
"$DAICHO" init --dir "$D" >/dev/null 2>&1 &&
    "$DAICHO" seed-demo --dir "$D" --people 3 >/dev/null 2>&1 &&
    ok "a data directory with operators demo-admin, demo-approver, demo-auditor" ||
    { fail "daicho init / seed-demo"; finish; }

if pamunix_setup "$PU" 2>"$T/pamunix.log"; then
	ok "pamunix_setup: $PAMUNIX_USER with an expired password"
else
	fail "pamunix_setup: $(cat "$T/pamunix.log")"
	finish
fi
if pamunix_useradd "$PU" "$FPU" "$FPPASS"; then
	ok "pamunix_useradd $FPU (a password that has not expired)"
else
	fail "pamunix_useradd $FPU"
	finish
fi
getent passwd "$PAMUNIX_USER" >/dev/null &&
    fail "$PAMUNIX_USER leaked into the host's passwd" || :

# =======================================================================
# 1. An expired password, changed in the console
# =======================================================================
write_conf "$T/pw.conf" <<'EOF'
# daicho test: the real pam_unix, password only.
banner = REAL PAM TEST - authorised staff only.
pam_service = daicho
pam_fallback_service = daicho
module_timeout_seconds = 20
login_attempts = 5
login_lockout_minutes = 1
idle_lock_seconds = 600
EOF

part_expired() {
	before=$(pamunix_shadow "$PU" demo-admin)
	console_start "$T/pw.conf" || return 1
	step 'REAL PAM TEST - authorised staff only' "the login screen shows the configured banner" || :
	answer demo-admin
	step '^ +Password: *$' "pam_unix's own prompt, \"Password: \", is the label" || return 1
	answer "$PAMUNIX_PASS"
	step 'required to change your password immediately' \
	    "pam_unix's message: the password must be changed now" 10 || return 1
	step '^ +Current password: *$' "pam_chauthtok asks for the current password" || return 1
	answer "$PAMUNIX_PASS"
	step '^ +New password: *$' "then for a new password" || return 1
	answer "$NEW"
	step '^ +Retype new password: *$' "then for it again" || return 1
	mark
	answer "$NEW"
	step 'Last login' "after the change the console logs in and shows the last login" 15 || return 1
	step 'demo-admin \(admin\)' "the title names the operator and role" || :
	step 'Last login: +never' "demo-admin's first login: last login never" || :
	tmux_keys Enter
	step 'people on record' "Enter shows the dashboard" || :
	shown_since_mark 'Authentication failed' &&
	    fail "\"Authentication failed\" was shown after the change" || :

	after=$(pamunix_shadow "$PU" demo-admin)
	old_hash=$(echo "$before" | cut -d: -f2)
	new_hash=$(echo "$after" | cut -d: -f2)
	new_day=$(echo "$after" | cut -d: -f3)
	today=$(pamunix_today)
	[ -n "$new_hash" ] && [ "$new_hash" != "$old_hash" ] &&
	    ok "the shadow entry has a new hash" ||
	    fail "the hash did not change: before $before, after $after"
	case $new_hash in
	'$y$'*) ok "the new hash is yescrypt" ;;
	*) fail "the new hash is not yescrypt: $after" ;;
	esac
	if [ "$new_day" = "$today" ] || [ "$new_day" = $((today - 1)) ]; then
		ok "the last change is today ($new_day), no longer 0"
	else
		fail "shadow last change is $new_day, today is $today: $after"
	fi
	pamunix_check "$PU" && ok "pwck/grpck accept the rewritten files" ||
	    fail "pwck/grpck after the change in the console"
	expect_ledger '^[0-9]+ session\.login demo-admin .*tty=/dev/pts' \
	    "the ledger has session.login for demo-admin, with its tty"

	# The old password is refused, the new one works.
	logout || return 1
	answer demo-admin
	step '^ +Password: *$' "pam_unix asks for the password again" || return 1
	mark
	answer "$PAMUNIX_PASS"
	step 'Authentication failed' "the old password is refused" 10 || return 1
	shown_since_mark 'Current password|New password' &&
	    fail "a password change was asked for again after the change" || :
	expect_ledger 'session\.failure @system login:demo-admin .*reason=denied' \
	    "the refusal is a session.failure, reason denied"
	answer demo-admin
	step '^ +Password: *$' "the prompt once more" || return 1
	mark
	answer "$NEW"
	step 'Last login' "the new password logs in" 10 || return 1
	shown_since_mark 'Current password|New password|required to change' &&
	    fail "the new password is treated as expired:
$(cat "$SCREENS")" || ok "with no change asked for"
	step 'Failed logins since then: 1' "and shows the one failed attempt since" || :
	n=$(ledger | grep -Ec '^[0-9]+ session\.login demo-admin ')
	[ "$n" -eq 2 ] && ok "the ledger has two session.login for demo-admin" ||
	    fail "the ledger has $n session.login for demo-admin, wanted 2"
	logout || :
	console_stop
}
part_expired || :
console_stop

# =======================================================================
# 2-4. The real pam_fprintd, fingerprint first, the password as fallback
# =======================================================================
# The shipped stack, with pam_faillock turned into pam_permit (faillock
# keeps its tallies in /run/faillock, outside the namespace's /etc: the
# host's) and nodelay for pam_unix; the jumps stay as shipped.
sed -e '/^#/!s/pam_faillock\.so.*$/pam_permit.so/' \
    -e 's/^\(auth.*pam_unix\.so\)$/\1 nodelay/' \
    "$srcdir/etc/pam.d/daicho-fingerprint" | pamunix_service "$PU" daicho-fp
grep -q 'pam_fprintd.so max-tries=2 timeout=10' "$PU/etc/pam.d/daicho-fp" &&
    ! grep -v '^#' "$PU/etc/pam.d/daicho-fp" | grep -q faillock &&
    ok "the service daicho-fp is the shipped fingerprint stack, no faillock" ||
    fail "could not adapt etc/pam.d/daicho-fingerprint:
$(cat "$PU/etc/pam.d/daicho-fp")"

write_conf "$T/fp.conf" <<'EOF'
# daicho test: the real pam_fprintd, then pam_unix; Esc falls back.
pam_service = daicho-fp
pam_fallback_service = daicho
module_timeout_seconds = 20
login_attempts = 5
login_lockout_minutes = 1
idle_lock_seconds = 600
EOF

FP_UP=
if fprintd_start "$T/fp" 2>"$T/fprintd-start.log"; then
	ok "fprintd_start: private bus, polkit mock, fprintd with the virtual reader"
	if fprintd_enroll "$FPU" 2>>"$T/fprintd-start.log"; then
		ok "fprintd_enroll $FPU: print-A as the right index finger"
		FP_UP=1
	else
		fail "fprintd_enroll $FPU: $(cat "$T/fprintd-start.log")"
	fi
else
	fail "fprintd_start: $(cat "$T/fprintd-start.log")"
fi

# at_login: the console is up on the login screen, nobody logged in.
at_login() {
	if [ -n "$CONSOLE_PID" ] && kill -0 "$CONSOLE_PID" 2>/dev/null; then
		if tmux_screen | grep -q 'Warning' &&
		    tmux_screen | grep -Eq '^ *User: *$'; then
			return 0
		fi
		if tmux_screen | grep -Eq "($FPU|demo-admin) \\("; then
			logout && return 0
		fi
	fi
	console_start "$T/fp.conf"
}

# fp_prompt N: the Nth swipe prompt of this login is on the screen (the
# console keeps the last three messages; "Failed to match" comes between).
fp_prompt() {
	seen 'Swipe your right index finger' 15 || return 1
	[ "$1" -eq 1 ] && return 0
	i=0
	while [ "$i" -lt 150 ]; do
		[ "$(count_on_screen 'Swipe your right index finger')" -ge "$1" ] &&
		    return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

part_fp_match() {
	at_login || return 1
	mark
	answer "$FPU"
	if fp_prompt 1; then
		ok "the reader's prompt (pam_fprintd) is on the console"
	else
		fail "no \"Swipe your right index finger\" on the console:
$(tmux_screen)"
		return 1
	fi
	step 'Waiting: [0-9]+ s left' "a countdown runs while pam_fprintd waits" 3 || :
	fprintd_scan print-A || { fail "fprintd_scan print-A"; return 1; }
	step 'Last login' "the enrolled finger logs in" 15 || return 1
	step "$FPU \\(approver\\)" "as $FPU (approver)" || :
	shown_since_mark 'Password:' &&
	    fail "a password was asked for with a matching finger:
$(cat "$SCREENS")" || ok "with no password asked for"
	expect_ledger "^[0-9]+ session\\.login $FPU .*method=daicho-fp" \
	    "the ledger has session.login for $FPU through daicho-fp"
}

part_fp_nomatch() {
	at_login || return 1
	mark
	answer "$FPU"
	if fp_prompt 1; then
		ok "nomatch: the first swipe prompt"
	else
		fail "nomatch: no first swipe prompt:
$(tmux_screen)"
		return 1
	fi
	fprintd_scan other || { fail "fprintd_scan other (1)"; return 1; }
	step 'Failed to match fingerprint' "a finger that does not match is refused on screen" 10 || :
	if fp_prompt 2; then
		ok "pam_fprintd asks for the second try (max-tries=2)"
	else
		fail "no second swipe prompt after a failed match:
$(tmux_screen)"
		return 1
	fi
	fprintd_scan other || { fail "fprintd_scan other (2)"; return 1; }
	step '^ +Password: *$' "after two failed matches pam_unix asks for the password" 15 || return 1
	answer "$FPPASS"
	step 'Last login' "the password logs in" 10 || return 1
	step "$FPU \\(approver\\)" "as $FPU (approver)" || :
	expect_ledger "^[0-9]+ session\\.login $FPU " "the login is in the ledger"
}

part_fp_escape() {
	at_login || return 1
	before_fail=$(ledger_last "session\\.failure @system login:$FPU")
	before_login=$(ledger_last "session\\.login $FPU ")
	mark
	answer "$FPU"
	if fp_prompt 1; then
		ok "escape: the swipe prompt"
	else
		fail "escape: no swipe prompt:
$(tmux_screen)"
		return 1
	fi
	tmux_keys Escape
	fallback=
	if step 'Fingerprint not used: log in with your password\.' \
	    "Esc during the scan: the console says to use the password" 5; then
		fallback=1
		step "^ *User: +$FPU *\$" "and keeps the user name" 2 || :
		# No Enter: the password is asked for at once.
		step '^ +Password: *$' "the fallback service asks for the password at once" 10 ||
		    fallback=
	fi
	if [ -n "$fallback" ]; then
		tmux_screen | grep -q 'Swipe your' &&
		    fail "the reader is asked for again after Esc:
$(tmux_screen)" || :
		answer "$FPPASS"
		step 'Last login' "the password logs in after Esc" 10 || fallback=
		step "$FPU \\(approver\\)" "as $FPU (approver)" || :
	fi

	ledger >"$T/ledger"
	f=$(grep -E "^[0-9]+ session\\.failure @system login:$FPU " "$T/ledger" |
	    tail -n 1)
	fn=${f%% *}
	# Esc to use the password is no failed login.
	[ "$fn" = "$before_fail" ] &&
	    ok "Esc is not a session.failure in the ledger" ||
	    fail "a session.failure after Esc: $f"
	[ -n "$fallback" ] || return 1
	l=$(grep -E "^[0-9]+ session\\.login $FPU " "$T/ledger" | tail -n 1)
	[ -n "$l" ] && [ "${l%% *}" != "$before_login" ] &&
	    ok "then session.login" || fail "no session.login after Esc"
	case $l in
	*method=daicho*) case $l in
		*method=daicho-fp*) fail "the login after Esc was recorded through daicho-fp, not the fallback: $l" ;;
		*) ok "through the fallback service daicho" ;;
		esac ;;
	*) fail "the login after Esc names no method: $l" ;;
	esac
}

# =======================================================================
# 5. auth_factors = fingerprint-and-password: the shipped stack, both
# =======================================================================
sed -e '/^#/!s/pam_faillock\.so.*$/pam_permit.so/' \
    -e 's/^\(auth.*pam_unix\.so\)$/\1 nodelay/' \
    "$srcdir/etc/pam.d/daicho-fingerprint-and-password" |
    pamunix_service "$PU" daicho-fingerprint-and-password
write_conf "$T/both.conf" <<'EOF'
# daicho test: the finger and the password, by the setting alone.
auth_factors = fingerprint-and-password
module_timeout_seconds = 30
login_attempts = 10
login_lockout_minutes = 1
idle_lock_seconds = 600
EOF

failures_of() { ledger | grep -Ec "^[0-9]+ session\\.failure @system login:$1 " || true; }

part_both() {
	console_start "$T/both.conf" || return 1
	mark
	answer "$FPU"
	fp_prompt 1 || { fail "both: no swipe prompt: $(tmux_screen)"; return 1; }
	ok "both: the reader asks for the finger first"
	fprintd_scan print-A || { fail "fprintd_scan print-A"; return 1; }
	step '^ +Password: *$' "both: a matching finger, then pam_unix asks for the password" 15 ||
	    return 1
	answer "$FPPASS"
	step 'Last login' "both: the finger and the password log in" 10 || return 1
	expect_ledger "^[0-9]+ session\\.login $FPU .*method=daicho-fingerprint-and-password" \
	    "the login went through daicho-fingerprint-and-password"
	logout || return 1

	# The finger alone: a wrong password after it.
	n=$(failures_of "$FPU")
	answer "$FPU"
	fp_prompt 1 || { fail "finger alone: no swipe prompt"; return 1; }
	fprintd_scan print-A || { fail "fprintd_scan print-A"; return 1; }
	step '^ +Password: *$' "finger alone: the password is still asked for" 15 ||
	    return 1
	answer wrong-password
	step 'Authentication failed' "finger alone (a wrong password) is refused" 10 ||
	    return 1
	[ "$(failures_of "$FPU")" = $((n + 1)) ] &&
	    ok "as a session.failure" || fail "no session.failure for it"

	# The password alone: the finger does not match, twice.
	n=$(failures_of "$FPU")
	mark
	answer "$FPU"
	fp_prompt 1 || { fail "password alone: no swipe prompt"; return 1; }
	fprintd_scan other || { fail "fprintd_scan other (1)"; return 1; }
	fp_prompt 2 || { fail "password alone: no second swipe prompt"; return 1; }
	fprintd_scan other || { fail "fprintd_scan other (2)"; return 1; }
	step 'Authentication failed' "password alone (no matching finger) is refused" 15 ||
	    return 1
	shown_since_mark 'Password:' &&
	    fail "a password was asked for without a matching finger:
$(cat "$SCREENS")" || ok "without asking for the password"
	[ "$(failures_of "$FPU")" = $((n + 1)) ] &&
	    ok "as a session.failure" || fail "no session.failure for it"

	# Esc during the scan: no password-only fallback.
	mark
	answer "$FPU"
	fp_prompt 1 || { fail "Esc: no swipe prompt"; return 1; }
	tmux_keys Escape
	step '^ *User: *$' "both: Esc during the scan goes back to the name" 5 || :
	seen '^ +Password: *$' 3 &&
	    fail "both: Esc gave a password-only login:
$(tmux_screen)" || ok "both: Esc gives no password-only login"
	shown_since_mark 'Fingerprint not used' &&
	    fail "both: the fallback message was shown" || :

	# No finger enrolled (demo-admin): nobody asks for a password.
	mark
	answer demo-admin
	step 'finger was not read' "no enrolled finger: refused, and says why" 15 || :
	shown_since_mark 'Password:' &&
	    fail "a password was asked for with no enrolled finger" ||
	    ok "with no password asked for"
	console_stop
}

if [ -n "$FP_UP" ]; then
	part_fp_match || :
	part_fp_nomatch || :
	part_fp_escape || :
	if tmux_screen | grep -Eq "$FPU \\("; then
		logout || :
	fi
	part_both || :
fi
stop_all

# =======================================================================
# Nothing leaked
# =======================================================================
expect_rc 0 "the ledger verifies after all of it" "$DAICHO" verify --dir "$D" --replay
[ "$(sum_etc)" = "$HOST_SUM" ] &&
    ok "the host's passwd/shadow/group/gshadow are untouched" ||
    fail "the host's account files changed"
[ "$(etc_mounts)" = "$HOST_MOUNTS" ] &&
    ok "no bind mount over /etc left on the host" ||
    fail "a mount over /etc is left on the host"
# shellcheck disable=SC2009 # pgrep -f takes a pattern, $T is a path
left=$(ps -eo pid=,args= | grep -F "$T/" | grep -v grep || true)
[ -z "$left" ] && ok "no process left running" || fail "processes left: $left"

finish
