# tests/console-esc.sh -- Esc to use the password is not a failed login.
# In the middle of an incident an operator presses Esc to skip the
# fingerprint scan, again and again: the console must go to the password
# at once, count none of it as a failure, and never lock.  At login and
# in the two-person approval.  The demo's fingerprint module stands in
# for the reader (tests/console-real.sh does it with the real one); an
# operator with no finger enrolled is never asked to swipe one.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

D=$T/demo
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
[ -f "$D/daicho.db" ] && ok "the demo city was made" || fail "no demo city"
# Three failures would lock the console: six Escs must not.
sed -i -e 's/^login_attempts.*/login_attempts = 3/' \
    -e 's/^idle_lock_seconds.*/idle_lock_seconds = 0/' "$D/daicho.conf"

failures() {
	"$DAICHO" log --dir "$D" | grep -c 'session\.failure' || true
}

# shown_while PATTERN UNTIL [SECONDS]: watch the screen until UNTIL shows;
# 0 when PATTERN showed on the way (a screen every 50 ms), 1 when not, 2
# when UNTIL never came.
shown_while() {
	i=0 limit=$(( ${3:-10} * 20 )) saw=1
	while [ "$i" -lt "$limit" ]; do
		tmux_screen >"$T/now"
		grep -Eq -- "$1" "$T/now" && saw=0
		grep -Eq -- "$2" "$T/now" && return "$saw"
		sleep 0.05
		i=$((i + 1))
	done
	return 2
}

# esc_to_password WHAT: the scan is asked for; Esc shows the password
# prompt with no other key pressed.
esc_to_password() {
	tmux_wait 'Swipe your right index finger' 10 ||
	    { fail "$1: no swipe prompt: $(tmux_screen)"; return 1; }
	tmux_keys Escape
	if tmux_wait 'Password' 5; then
		return 0
	fi
	fail "$1: after Esc no password prompt without Enter:
$(tmux_screen)"
	return 1
}

tmux_start 80 24 "$DAICHO" --demo "$D"
expect_screen 'User:' "the console starts"
before=$(failures)

# --- at login: six times Esc during the scan, and Esc at the password.
n=0
while [ "$n" -lt 6 ]; do
	tmux_type demo-admin
	tmux_keys Enter
	esc_to_password "login, Esc $((n + 1))" || break
	tmux_keys Escape
	tmux_wait '^ *User: *$' 5 ||
	    { fail "Esc at the password: not back at the name: $(tmux_screen)"; break; }
	n=$((n + 1))
done
[ "$n" -eq 6 ] && ok "six times: Esc during the scan gives the password at once"
expect_no_screen 'Too many failed logins' "six Escs do not lock the console"
tmux_type demo-admin
tmux_keys Enter
if esc_to_password "login, the seventh"; then
	ok "and the seventh too"
	tmux_type demo
	tmux_keys Enter
fi
expect_screen 'demo-admin \(admin\)' "the password then logs in"
[ "$(failures)" = "$before" ] && ok "no session.failure in the ledger" ||
    fail "session.failure entries went from $before to $(failures)"
"$DAICHO" log --dir "$D" | grep -Eq 'session\.login +demo-admin' &&
    ok "the login is in the ledger" || fail "no session.login"
tmux_keys Enter

# --- in the approval dialog: the same.
tmux_keys F2 BTab BTab BTab
expect_screen 'F5 Add' "the operators screen"
tmux_keys F5
expect_screen 'Add an operator' "F5 opens the form"
tmux_type escop
tmux_keys Enter
expect_screen 'Second person' "the change waits for a second person"
n=0
while [ "$n" -lt 6 ]; do
	tmux_type demo-approver
	tmux_keys Enter
	esc_to_password "approval, Esc $((n + 1))" || break
	tmux_keys Escape
	sleep 0.3
	tmux_screen | grep -q 'Second person' ||
	    { fail "Esc at the approver's password closed the dialog"; break; }
	n=$((n + 1))
done
[ "$n" -eq 6 ] && ok "six times in the approval: Esc gives the password at once"
expect_no_screen 'Too many failed logins|Authentication failed' \
    "no failure is shown"
tmux_type demo-approver
tmux_keys Enter
if esc_to_password "approval, the seventh"; then
	tmux_type demo
	tmux_keys Enter
fi
expect_screen 'approved by demo-approver' "the approver's password approves" 15
"$DAICHO" log --dir "$D" | grep -Eq 'operator\.add +demo-admin\+demo-approver +operator:escop' &&
    ok "the entry names both people" || fail "no approved operator.add"
[ "$(failures)" = "$before" ] && ok "still no session.failure in the ledger" ||
    fail "session.failure entries went from $before to $(failures)"

# --- the auditor has no finger enrolled: the password, never a swipe.
tmux_keys F10 y
expect_screen '^ *User: *$' "logged out"
tmux_type demo-auditor
tmux_keys Enter
r=0
shown_while 'Swipe your' '^ +Password' 10 || r=$?
case $r in
0) fail "the auditor was asked to swipe a finger" ;;
1) ok "the auditor gets the password prompt, never a swipe" ;;
*) fail "no password prompt for the auditor: $(tmux_screen)" ;;
esac
tmux_type demo
tmux_keys Enter
expect_screen 'demo-auditor \(auditor\)' "the auditor logs in"
tmux_keys Enter F10 y
expect_screen '^ *User: *$' "logged out again"

# --- a refused password is still a failure, and three lock the console.
for i in 1 2 3; do
	tmux_type demo-auditor
	tmux_keys Enter
	tmux_wait '^ +Password' 10 || break
	tmux_type "wrong-$i"
	tmux_keys Enter
	tmux_wait 'Authentication failed|Too many' 10 || true
done
expect_screen 'Too many failed logins' "three refused passwords lock the console"
[ "$(failures)" = $((before + 3)) ] && ok "as three session.failure entries" ||
    fail "session.failure entries went from $before to $(failures)"
tmux_stop

expect_rc 0 "the ledger verifies" "$DAICHO" verify --dir "$D" --replay
finish
