# tests/console-priv.sh -- a privileged ID with a time limit from the
# console, at 80x24, on the demo city: operator A (demo-admin) asks for
# it on the Privileged screen; A cannot approve it (the second-person
# dialog refuses A); operator B (demo-approver) approves it at the same
# terminal; the cursor chooses among the requests awaiting approval and
# the active ones, as drawn; A cannot reject their own request either;
# the countdown appears and goes down between two captures,
# on the screen and on the dashboard; the ID is open on the unix target
# while it runs, and ended early from the screen it is locked again.
# The console runs under libfaketime with a ticking clock ('@...', a
# Tuesday within the allowed hours); the setup before it with a frozen
# one, earlier.  daicho verify --replay is clean at the end.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3 passwd
[ -n "$FAKETIME_LIB" ] || need faketime-library
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

TZ=UTC
export TZ
CLOCK='2027-01-04 08:00:00'
demo_cli "$T/demo"
R=$D/unix-root
q() { sqlite3 "$D/daicho.db" "$1"; }
pw_state() { passwd -S -R "$R" "$1" 2>/dev/null | awk '{ print $2 }'; }
expect_rc 0 "a time-limited privileged ID" pw 'demo\n' act id.create \
    system=linux-honcho login=root-ops kind=privileged owner=E0000002 \
    end_date=2027-12-31 --user demo-admin
[ "$(pw_state root-ops)" = L ] && ok "dormant: locked on the system" ||
    fail "root-ops: $(pw_state root-ops)"
expect_rc 0 "another" pw 'demo\n' act id.create system=linux-honcho \
    login=root-ops2 kind=privileged owner=E0000003 end_date=2027-12-31 \
    --user demo-admin

# The console, its clock ticking from Tuesday 10:00 in Tokyo.
tmux_start 80 24 env LD_PRELOAD="${SAN_PRELOAD:+$SAN_PRELOAD }libpam_wrapper.so $FAKETIME_LIB" \
    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" \
    FAKETIME='@2027-01-05 01:00:00' "$DAICHO" --demo "$D"
tmux_wait 'User:' 10 || fail "the console did not start: $(tmux_screen)"
tmux_type demo-admin
tmux_keys Enter
expect_screen 'demo-admin \(admin\)' "A (demo-admin) logs in" 15
tmux_keys Enter
tmux_to_screen Privileged BTab
expect_screen 'Privileged .*demo-admin' "the Privileged screen"
expect_screen 'Awaiting approval \(0\)' "nothing awaits"
expect_screen 'linux-honcho: 1 in use, at most 3' "the holders per system"

# A asks: the form, for root-ops2 first, then root-ops
tmux_keys n
expect_screen 'Ask for a privileged ID' "n opens the request form"
tmux_type linux-honcho
tmux_keys Tab
tmux_type root-ops2
tmux_keys Tab C-u
tmux_type 20
tmux_keys Tab
tmux_type '調査'
tmux_keys Enter
expect_screen 'Awaiting approval \(1\)' "the first request awaits approval"
req2=$(q "SELECT max(idx) FROM priv_request")
tmux_keys n
expect_screen 'Ask for a privileged ID' "n again"
tmux_type linux-honcho
tmux_keys Tab
tmux_type root-ops
tmux_keys Tab C-u
tmux_type 30
tmux_keys Tab
tmux_type 'パッチ適用'
tmux_keys Enter
expect_screen 'Awaiting approval \(2\)' "the request awaits approval"
expect_screen 'root-ops on linux-honcho, 30 min, asked by demo-admin' \
    "named, with its minutes and requester"
req=$(q "SELECT max(idx) FROM priv_request")
[ "$(q "SELECT state FROM priv_request WHERE idx = $req")" = requested ] &&
    ok "recorded as requested" || fail "no request recorded"

# A cannot approve it: the second person must be someone else
tmux_keys Enter
expect_screen 'Second person' "Enter asks for the second person"
expect_screen 'approve request [0-9]+: root-ops on' \
    "saying what is approved"
tmux_type demo-admin
tmux_keys Enter
expect_screen 'The approver must be someone other than the operator' \
    "A is refused as their own approver" 15
[ "$(q "SELECT state FROM priv_request WHERE idx = $req")" = requested ] &&
    ok "still requested" || fail "the request moved"

# B approves at the same terminal
tmux_keys C-u
tmux_type demo-approver
tmux_keys Enter
expect_screen "Request $req approved by demo-approver" \
    "B (demo-approver) approves" 15
expect_screen 'Active \(1\)' "it is active"
[ "$(q "SELECT approver FROM priv_request WHERE idx = $req")" = \
    demo-approver ] && ok "the entry is B's" || fail "approver not recorded"
[ "$(pw_state root-ops)" = P ] && ok "open on the system (P)" ||
    fail "root-ops after the approval: $(pw_state root-ops)"

# The cursor: the one awaiting approval first, then the active one
expect_screen 'Awaiting approval \(1\)' "root-ops2 still awaits"
tmux_keys Down e
expect_screen "End request $req now" "Down, e: the active one is chosen"
tmux_keys Escape
tmux_keys Up r
expect_screen "Reject request $req2" "Up, r: the one awaiting"
tmux_type 'not today'
tmux_keys Enter
expect_screen "demo-admin asked for this; the decision is another" \
    "A cannot reject their own request either"
[ "$(q "SELECT state FROM priv_request WHERE idx = $req2")" = requested ] &&
    ok "it still awaits" ||
    fail "request $req2: $(q "SELECT * FROM priv_request WHERE idx = $req2")"

# The countdown goes down
left() { tmux_screen | sed -n 's/.*root-ops on linux-honcho  \([0-9]*:[0-9]*:[0-9]*\) left.*/\1/p' | head -1; }
secs() { echo "$1" | awk -F: '{ print $1 * 3600 + $2 * 60 + $3 }'; }
expect_screen 'root-ops on linux-honcho  0:[23][0-9]:[0-9][0-9] left \(until' \
    "the countdown shows"
first=$(left)
i=0
while [ "$i" -lt 50 ] && [ "$(secs "$(left)")" -ge "$(secs "$first")" ]; do
	sleep 0.1
	i=$((i + 1))
done
second=$(left)
if [ -n "$first" ] && [ "$(secs "$second")" -lt "$(secs "$first")" ]; then
	ok "the countdown goes down ($first, then $second)"
else
	fail "the countdown did not move: '$first', then '$second'"
fi

# The dashboard shows it too, counting down
tmux_keys F2
expect_screen '1 privileged ID active; the first ends in 0:[23][0-9]:[0-9][0-9]' \
    "the dashboard shows the active elevation"
dleft() { tmux_screen | sed -n 's/.*the first ends in \([0-9:]*\).*/\1/p' | head -1; }
first=$(dleft)
i=0
while [ "$i" -lt 50 ] && [ "$(secs "$(dleft)")" -ge "$(secs "$first")" ]; do
	sleep 0.1
	i=$((i + 1))
done
second=$(dleft)
if [ -n "$first" ] && [ "$(secs "$second")" -lt "$(secs "$first")" ]; then
	ok "the dashboard counts down ($first, then $second)"
else
	fail "the dashboard's countdown did not move: '$first', then '$second'"
fi

# End it now from the screen
tmux_to_screen Privileged BTab
expect_screen 'Active \(1\)' "back on the Privileged screen"
tmux_keys Down e
expect_screen "End request $req now" "e asks why"
tmux_keys Enter
expect_screen "Request $req ended: the ID is locked again" "ended" 15
expect_screen 'Active \(0\)' "no longer active"
expect_screen "$req +ended +root-ops on linux-honcho, 30 min, demo-admin / demo-approver" \
    "in the history"
[ "$(pw_state root-ops)" = L ] && ok "locked again on the system (L)" ||
    fail "root-ops after the end: $(pw_state root-ops)"

# A later end date for a privileged ID needs the second person
tmux_keys F2 Tab
expect_screen 'IDs .*demo-admin' "the IDs screen"
tmux_type root-ops
tmux_keys Enter
expect_screen 'e End date' "root-ops' detail"
tmux_keys e
expect_screen 'Set the end date' "e asks for the date"
tmux_keys C-u
tmux_type 2028-03-31
tmux_keys Enter
expect_screen 'Second person' "extending it asks for the second person"
expect_screen 'extend root-ops on linux-honcho \(privileged\)' \
    "saying what is extended"
tmux_type demo-approver
tmux_keys Enter
expect_screen 'Done, approved by demo-approver' "approved" 15
[ "$(q "SELECT end_date FROM account WHERE login = 'root-ops'")" = \
    2028-03-31 ] && ok "root-ops now ends 2028-03-31" ||
    fail "root-ops ends $(q "SELECT end_date FROM account WHERE login =
    'root-ops'")"
tmux_keys Escape

tmux_keys F10
tmux_wait 'End your session' 5
tmux_keys y
tmux_wait 'User:' 10
tmux_stop
expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay is clean"

finish
