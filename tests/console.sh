# tests/console.sh -- the console as a person uses it: tmux runs "daicho
# --demo", send-keys types, capture-pane reads the screen, and every check
# is about what a person would see (and what the ledger then says).
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need python3 flock
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

D=$T/demo
L=$T/log

# The demo city, made without a terminal (the console itself then refuses
# to start), and tuned for the test: a quick idle lock, few attempts.
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
[ -f "$D/daicho.db" ] && ok "the demo city was made" || fail "no demo city"
sed -i -e 's/^idle_lock_seconds.*/idle_lock_seconds = 4/' \
    -e 's/^login_attempts.*/login_attempts = 3/' \
    -e 's/^login_lockout_minutes.*/login_lockout_minutes = 1/' "$D/daicho.conf"

ledger_has() {
	"$DAICHO" log --dir "$D" > "$L"
	grep -Eq -- "$1" "$L"
}

expect_ledger() {
	if ledger_has "$1"; then ok "$2"; else fail "$2: no /$1/ in the ledger"; fi
}

entries() {
	"$DAICHO" status --dir "$D" | awk '$1 == "entries" { print $2 }'
}

# login USER PASSWORD: through the demo's PAM stack (the fingerprint step
# takes its 2 s, then the password, or the fingerprint matches).
login() {
	tmux_type "$1"
	tmux_keys Enter
	if [ -n "$2" ]; then
		tmux_wait 'Password' 10 || return 1
		tmux_type "$2"
		tmux_keys Enter
	fi
}

start() {
	tmux_start 80 24 "$DAICHO" --demo "$D"
	tmux_wait 'User:' 10 || fail "the console did not start:
$(tmux_screen)"
}

# --- the banner, a failed login, a good one, and the last-login display
start
expect_screen 'Warning' "the login screen shows the warning banner"
expect_screen 'DEMO CITY - synthetic data only' "with the configured text"
expect_screen '許可された職員以外の利用を禁じます' "in Japanese too"
login demo-auditor wrong-password
expect_screen 'Authentication failed' "a wrong password is refused"
expect_ledger 'session.failure +@system +login:demo-auditor' \
    "the failure is in the ledger"
login demo-auditor demo
expect_screen 'Last login' "a good login shows the last login"
expect_screen 'Failed logins since then: 1' "and the failed attempt since"
expect_screen 'demo-auditor \(auditor\)' "the title names the operator"
expect_ledger 'session.login +demo-auditor' "the login is in the ledger"
tmux_keys Enter

# --- an auditor can look but not change anything
before=$(entries)
tmux_keys BTab BTab BTab
expect_screen 'demo-approver' "the auditor sees the operators"
expect_no_screen 'F5 Add' "the auditor is offered no Add key"
tmux_keys F5
expect_screen 'The auditor role may not do this' \
    "F5 (add) is refused for the auditor"
tmux_keys Tab
expect_screen 'session.login' "the auditor sees the ledger"
[ "$(entries)" = "$before" ] && ok "the auditor changed nothing" ||
    fail "entries went from $before to $(entries)"
# Another process appends (as the rotation timer does): the screen follows.
n=$(entries)
"$DAICHO" rotate --dir "$D" >/dev/null
expect_screen " $((n + 1))/$((n + 1)) " "the ledger screen shows another process's entry"

# --- Japanese names line up by display width, not bytes
# (at 120 columns: at 80 the Name column gives way to the Operator's)
tmux_resize 120 24
tmux_type '山田'
expect_screen 'filter: 山田' "typing filters the ledger"
expect_screen '山田.*demo-admin' "with the names and the operator in view"
tmux_screen > "$T/screen"
if /usr/bin/python3 - "$T/screen" <<'PY'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
head = [l for l in lines if 'Operator' in l and 'Subject' in l][0]
col = width(head[:head.index('Operator')])
rows = [l for l in lines if '山田' in l and 'person.add' in l]
assert len(rows) >= 3, rows
for r in rows:
    assert width(r[:r.index('demo-admin')]) == col, (r, col)
PY
then ok "the Operator column starts at the same place on every row"
else fail "rows with Japanese names are misaligned:
$(cat "$T/screen")"
fi
tmux_keys C-u
tmux_resize 80 24

# --- the idle lock hides the data; the same operator unlocks
tmux_keys F2
expect_screen 'people on record' "back on the dashboard"
expect_screen "demo-auditor's session is locked" "idle, the console locks" 8
expect_no_screen 'people on record' "and hides the data"
expect_ledger 'session.lock +demo-auditor' "the lock is in the ledger"
expect_screen 'User: +demo-auditor' "the lock screen offers the same operator"
tmux_keys Enter
tmux_wait 'Password' 10 && { tmux_type demo; tmux_keys Enter; }
expect_screen 'people on record' "the same operator unlocks it"
expect_ledger 'session.unlock +demo-auditor' "the unlock is in the ledger"

# --- another operator may log in instead, ending the first session
expect_screen "session is locked" "idle again, locked again" 8
tmux_keys C-u
login demo-approver ""
expect_screen 'demo-approver \(approver\)' \
    "another operator (by fingerprint) takes over"
expect_ledger 'session.logout +demo-auditor.*' \
    "the first session was logged out"
tmux_keys Enter F10 y
expect_screen 'User:' "F10 logs out to the login screen"
expect_ledger 'session.logout +demo-approver' "the logout is in the ledger"
grep -A20 'session.logout *demo-approver' "$L" | grep -q 'ledger.rotate' &&
    ok "a logout starts a new key epoch" || fail "no rotation after logout"

# --- a two-person operation, with the same person refused
login demo-admin ""
expect_screen 'demo-admin \(admin\)' "the admin logs in by fingerprint"
tmux_keys Enter BTab BTab BTab
expect_screen 'F5 Add' "the admin is offered Add"
tmux_keys F5
expect_screen 'Add an operator' "F5 opens the form"
tmux_type newop
tmux_keys Enter
expect_screen 'Second person' "the change waits for a second person"
tmux_type demo-admin
tmux_keys Enter
expect_screen 'must be someone other than the operator' \
    "the same person cannot approve" 15
tmux_type demo-approver
tmux_keys Enter
expect_screen 'approved by demo-approver' "a real approver approves" 15
expect_screen 'newop' "the new operator is listed"
expect_ledger 'operator.add +demo-admin\+demo-approver +operator:newop' \
    "the entry names both people"
expect_ledger "session.failure.*login:demo-admin" \
    "the refused approval is recorded"

# --- resizing, also in the middle of a dialog
tmux_keys F1
expect_screen 'Keys:' "F1 opens help for the screen"
expect_screen 'operator.add, two-person' "generated from the action table"
tmux_resize 70 20
expect_screen 'needs at least 80x24' "a small terminal is told what it needs"
tmux_resize 80 24
expect_screen 'Keys:' "back at 80x24 the help is still there"
tmux_keys Enter
expect_screen 'newop' "and the screen under it"

# --- Esc during the (demo) fingerprint scan falls back to the password
tmux_keys F10 y
expect_screen 'User:' "logged out again"
tmux_type demo-admin
tmux_keys Enter
expect_screen 'Swipe your right index finger' "the reader asks for a finger"
tmux_keys Escape
expect_screen 'Fingerprint not used: log in with your password' \
    "Esc during the scan offers the password"
tmux_wait 'Password' 10 && { tmux_type demo; tmux_keys Enter; }
expect_screen 'demo-admin \(admin\)' "the password then logs in"
expect_ledger 'session.login +demo-admin +operator:demo-admin' \
    "the login is recorded"
tmux_keys Enter

# --- SIGTERM: the terminal is restored and the session ends as a logout
kill -TERM "$(tmux_pid)"
sleep 1
expect_ledger 'session.logout +demo-admin' "SIGTERM logs the operator out"
tmux_stop

# --- after too many failures the console refuses logins for a while.
# The refused approval above counts too (it was an authentication at this
# console), so the lock may come before the third wrong password; the Esc
# above does not (tests/console-esc.sh).
start
for i in 1 2 3; do
	login demo-auditor "wrong-$i" || break
	tmux_wait 'Authentication failed|Too many' 10 || true
	tmux_screen | grep -q 'Too many' && break
done
expect_screen 'Too many failed logins' "three failures lock the console"
tmux_keys C-u
tmux_type demo-auditor
tmux_keys Enter
expect_screen 'refuses logins until' "a further login is refused at once"
expect_no_screen 'Password' "without asking for a password"
tmux_stop

expect_rc 0 "the ledger verifies after all of it" \
    "$DAICHO" verify --dir "$D" --replay
finish
