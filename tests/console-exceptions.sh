# tests/console-exceptions.sh -- exceptions to policy from the console, at
# 80x24, on the demo city: operator A (demo-admin) asks for one on the
# Exceptions screen (a rule that is none is refused in the form); A
# cannot approve it (the second-person dialog refuses A); operator B
# (demo-approver) approves it at the same terminal, with conditions;
# Enter shows it whole; A applies an emergency one, marked as not yet
# reported; F8 shows one status.  Started again four days later, the
# dashboard alerts that the emergency's report is overdue.  The console
# runs under libfaketime with a ticking clock; the setup before it with a
# frozen one, earlier.  daicho verify --replay is clean at the end.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3
[ -n "$FAKETIME_LIB" ] || need faketime-library
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

TZ=UTC
export TZ
CLOCK='2027-01-04 08:00:00'
demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
expect_rc 0 "a time-limited privileged ID" pw 'demo\n' act id.create \
    system=linux-honcho login=root-ops kind=privileged owner=E0000002 \
    end_date=2027-12-31 --user demo-admin

# console AT: the console on $D, its clock ticking from AT; A logs in.
console() {
	tmux_start 80 24 env LD_PRELOAD="${SAN_PRELOAD:+$SAN_PRELOAD }libpam_wrapper.so $FAKETIME_LIB" \
	    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" \
	    FAKETIME="@$1" "$DAICHO" --demo "$D"
	tmux_wait 'User:' 10 || fail "the console did not start: $(tmux_screen)"
	tmux_type demo-admin
	tmux_keys Enter
	expect_screen 'demo-admin \(admin\)' "A (demo-admin) logs in" 15
	tmux_keys Enter
}

console '2027-01-05 01:00:00'
tmux_to_screen Exceptions
expect_screen 'Exceptions .*demo-admin' "the Exceptions screen"
expect_screen 'every status \(F8\)  awaiting a decision: 0  emergencies not reported: 0' \
    "nothing awaits"

# A rule that is none is refused in the form
tmux_keys F5
expect_screen 'A new exception' "F5 offers a request or an emergency"
tmux_keys r
expect_screen 'Ask for an exception' "r opens the request form"
tmux_type no-such-rule
tmux_keys Enter
expect_screen 'no rule "no-such-rule"' "the form refuses the rule"
tmux_keys Escape
[ "$(q "SELECT count(*) FROM exception")" = 0 ] && ok "nothing recorded" ||
    fail "$(q "SELECT * FROM exception")"

# A asks: outside hours for root-ops, until the end of January
tmux_keys F5 r
expect_screen 'Ask for an exception' "the form again"
tmux_type priv-outside-hours
tmux_keys Tab
tmux_type id:linux-honcho:root-ops
tmux_keys Tab Tab
tmux_type 2027-01-31
tmux_keys Tab
tmux_type '夜間の保守作業'
tmux_keys Enter
expect_screen 'Exception [0-9]+ waits for an approver' "the request is made"
X=$(q "SELECT max(idx) FROM exception")
expect_screen "$X +requested +priv-outside-hours +id:linux-honcho:root-ops" \
    "listed as requested"
expect_screen 'awaiting a decision: 1' "one awaits"
[ "$(q "SELECT state || '|' || requester || '|' || scope FROM exception")" = \
    'requested|demo-admin|id:linux-honcho:root-ops' ] &&
    ok "recorded as requested" || fail "$(q "SELECT * FROM exception")"

# A cannot approve it: the second person must be someone else
tmux_keys F4
expect_screen 'Decide on the exception' "F4 offers the decisions"
tmux_keys a
expect_screen "exception.approve $X" "a asks for the conditions"
tmux_type '夜間のみ'
tmux_keys Enter
expect_screen 'Second person' "then for the second person"
tmux_type demo-admin
tmux_keys Enter
expect_screen 'The approver must be someone other than the operator' \
    "A is refused as their own approver" 15
[ "$(q "SELECT state FROM exception WHERE idx = $X")" = requested ] &&
    ok "still requested" || fail "the exception moved"

# B approves at the same terminal
tmux_keys C-u
tmux_type demo-approver
tmux_keys Enter
expect_screen "exception.approve of exception $X: done, by demo-approver" \
    "B (demo-approver) approves" 15
expect_screen "$X +approved +priv-outside-hours" "listed as approved"
[ "$(q "SELECT state || '|' || approver || '|' || comment FROM exception
    WHERE idx = $X")" = 'approved|demo-approver|夜間のみ' ] &&
    ok "the entry is B's, with the conditions" ||
    fail "$(q "SELECT * FROM exception WHERE idx = $X")"

# Enter shows it whole
tmux_keys Enter
expect_screen "Exception $X: planned, approved" "its detail"
expect_screen 'Decided by demo-approver: 夜間のみ' "with the decision"
tmux_keys Escape

# An emergency, applied at once, not yet reported
tmux_keys F5 m
expect_screen 'Apply an exception now \(emergency\)' "m opens the form"
tmux_type dormant
tmux_keys Tab
tmux_type system:linux-honcho
tmux_keys Tab Tab
tmux_type 2027-01-31
tmux_keys Tab
tmux_type '障害対応'
tmux_keys Enter
expect_screen 'Exception [0-9]+ is in force: report it' "in force at once"
XE=$(q "SELECT max(idx) FROM exception")
expect_screen "$XE +emergency! +dormant" "marked as not reported"
expect_screen 'emergencies not reported: 1' "counted"

# F8: one status at a time
tmux_keys F8
expect_screen '^requested \(F8\)' "F8: requested"
expect_no_screen "$X +approved" "the approved one is not shown"
tmux_keys F8
expect_screen '^emergency \(F8\)' "F8 again: emergency"
expect_screen "$XE +emergency!" "the emergency is"
tmux_keys F10
tmux_wait 'End your session' 5
tmux_keys y
tmux_wait 'User:' 10
tmux_stop

# Four days on: the report is overdue, the dashboard says so
console '2027-01-09 01:00:00'
expect_screen '1 emergency exception not reported to an approver in time' \
    "the dashboard alerts"
tmux_keys F10
tmux_wait 'End your session' 5
tmux_keys y
tmux_wait 'User:' 10
tmux_stop

expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay is clean"
finish
