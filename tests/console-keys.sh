# tests/console-keys.sh -- the console's one key map and its messages, at
# 80x24, as a person meets them: the tab bar, the same key doing the same
# thing on two screens, F1 over an ID's detail, lock asking why, revoke
# saying no unless told yes, the lockout's prompt going when it is done,
# done work orders behind the filter key, the ledger opening at its newest
# entry, and the Operators screen showing times.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

D=$T/demo
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
[ -f "$D/daicho.db" ] && ok "the demo city was made" || { fail "no demo"; finish; }
q() { sqlite3 "$D/daicho.db" "$1"; }

tmux_start 80 24 "$DAICHO" --demo "$D"
tmux_wait 'User:' 10 || fail "the console did not start: $(tmux_screen)"
expect_screen 'F10 Quit' "at the login F10 says it quits"
tmux_type demo-admin
tmux_keys Enter
expect_screen 'demo-admin \(admin\)' "the admin logs in (fingerprint)"
tmux_keys Enter

# --- the tab bar, and F10 saying what it does
expect_screen '\[Dashboard\] +IDs +Systems' "the tab bar marks the dashboard"
# Counts in the singular where there is one (ngettext), plural otherwise.
n=$(q "SELECT count(*) FROM outbox WHERE state = 'pending' AND system IN
    (SELECT name FROM system WHERE type = 'manual')")
if [ "$n" = 1 ]; then
	expect_screen ' 1 work order open' "one work order open, in the singular"
	expect_no_screen '1 work orders' "not '1 work orders'"
else
	fail "the demo has $n open work orders; this check wants 1"
fi
expect_screen '1 admin, 1 approver, 1 auditor' "one of each role"
expect_screen 'F10 Log out' "logged in, F10 says it logs out"
tmux_keys Tab
expect_screen '\[IDs\]' "on the IDs screen the tab bar marks IDs"
expect_no_screen '\[Dashboard\]' "and no longer the dashboard"

# --- one key, one verb: F5 makes a new one, F3 checks
tmux_keys F5
expect_screen 'Issue an ID' "F5 on IDs issues a new ID"
tmux_keys Escape
tmux_keys Tab
expect_screen '\[Systems\]' "the Systems screen"
tmux_keys F5
expect_screen 'Add a system' "F5 on Systems adds a new system"
tmux_keys Escape
tmux_keys F3
expect_screen 'Reconcile ' "F3 on Systems checks (reconciles)"
tmux_keys Enter
tmux_keys F2 BTab
expect_screen '\[Findings\]' "Shift-Tab from the dashboard: the Findings"
tmux_keys BTab
expect_screen '\[Ledger\]' "and again: the Ledger"
tmux_keys F3
expect_screen 'The ledger is intact' "F3 on the Ledger checks (verifies)"
tmux_keys Enter

# --- an ID's detail: F1 lists its keys; lock asks why; revoke says no
tmux_keys F2 Tab
tmux_type e0000003
expect_screen 'filter: e0000003 +1/' "one ID"
tmux_keys Enter
expect_screen 'History \(from the ledger\)' "Enter opens the ID"
tmux_keys F1
expect_screen 'Keys:' "F1 opens help over the detail"
expect_screen 'l +Lock/unlock \(id.lock\)' "it lists the detail's lock key"
expect_screen 'r +Revoke \(id.revoke\)' "and its revoke key"
tmux_keys Enter
tmux_keys l
expect_screen 'Lock: e0000003 on linux-honcho' "l asks why"
tmux_keys Enter
expect_screen 'Say why' "an empty reason is not taken"
tmux_type 'badge lost'
tmux_keys Enter
expect_screen 'Lock e0000003 on linux-honcho\?' "then asks to confirm"
tmux_keys y
expect_screen 'state locked' "and locks it"
"$DAICHO" log --dir "$D" | grep -A4 'id.lock *demo-admin' |
    grep -q 'reason=badge lost' && ok "the lock and its reason are in the ledger" ||
    fail "no id.lock with its reason in the ledger"
tmux_keys r
expect_screen 'Revoke \(removes the account' "r asks about revoking"
expect_screen 'Revoke it\? +no' "the answer starts as no"
tmux_type 'test'
tmux_keys Enter
expect_screen 'Not revoked: nothing was done' "Enter alone does not revoke"
[ "$(q "SELECT state FROM account WHERE system = 'linux-honcho' AND \
    login = 'e0000003'")" = locked ] && ok "the ID is still there, locked" ||
    fail "e0000003 was changed"
tmux_keys Escape C-u

# --- F8 filters on work orders as on IDs; a work order's number is
# explained; done ones are kept, behind F8
tmux_keys F2 Tab Tab Tab Tab
expect_screen '\[Work orders\]' "the work orders"
expect_screen 'juki +juki-kanri +create' "an open work order is listed"
tmux_keys F8
expect_screen 'Showing done or refused work orders' \
    "F8 on work orders filters them too"
expect_no_screen 'juki-kanri +create' "the open one is not among the done"
tmux_keys F8 F8
expect_screen 'Showing open work orders' "F8 again: all, then the open ones"
tmux_type juki-kanri
expect_screen 'filter: juki-kanri +1/' "one open order for juki-kanri"
tmux_keys Enter
expect_screen 'Work order [0-9]+/0: operation 0 of ledger entry [0-9]+' \
    "Enter says what the order's number means"
tmux_keys Enter
tmux_keys F4
expect_screen 'What was done' "F4 records a work order done"
tmux_type "made at the registry's terminal, checked against the paper form the section head signed, filed as page 12 ZZEND"
tmux_keys Enter
expect_screen 'Second person' "the action table asks for a second person"
# The approver reads the whole request, wrapped, not its first line cut;
# at 24 lines it scrolls inside the dialog.
expect_screen '│ +login: juki-kanri' "the request names each argument on its own line"
expect_screen 'PgUp/PgDn: lines 1-[0-9]+ of [0-9]+' "the hint says the request scrolls"
tmux_keys NPage
expect_screen '│ +note: made at the registry' "PgDn shows the rest: the note"
expect_screen '│.*page 12 ZZEND *│' "to its end, wrapped"
tmux_type demo-approver
tmux_keys Enter
expect_screen 'approved by demo-approver' "the approver confirms it" 15
expect_screen 'filter: juki-kanri +0/' "it is no longer open"
tmux_keys F8
expect_screen 'done: ' "the done filter shows it, marked done"
expect_screen 'filter: juki-kanri +1/' "one done order"
tmux_keys C-u F8 F8

# --- the Operators screen shows when, not entry numbers (after People,
# Import, Events, Passwords, Privileged, Exceptions, Stocktake and
# Analysis)
tmux_keys Tab Tab Tab Tab Tab Tab Tab Tab Tab
expect_screen '\[Operators\]' "the Operators screen"
expect_screen 'demo-admin +admin +active +20[0-9][0-9]-' \
    "the added column shows a date"
expect_no_screen 'demo-admin +admin +active +[0-9]+ ' \
    "not an entry number"

# --- the ledger opens on its newest entry
tmux_keys Tab
expect_screen '\[Ledger\]' "the Ledger screen"
expect_screen 'workorder.done' "it opens on the newest entries"
expect_no_screen 'ledger.init' "not on the first"
tmux_keys Home
expect_screen 'ledger.init' "Home goes to the first"

# --- the lockout's prompt goes when the lockout is done
tmux_keys F2
tmux_keys F12
expect_screen 'EMERGENCY LOCKOUT' "F12 opens the lockout"
tmux_keys Tab
tmux_type E0000005
tmux_keys Enter
expect_screen 'Type 1 and Enter' "the count is asked for"
expect_screen 'What lockout person:E0000005 takes' "over it, the IDs it takes"
tmux_keys Enter
tmux_type 1
tmux_keys Enter
expect_screen 'Lockout done' "the lockout runs"
expect_no_screen 'and Enter to lock' "its prompt is gone once it is done"
tmux_keys Enter Tab
expect_screen '\[IDs\]' "on another screen"
expect_no_screen 'and Enter to lock' "the prompt does not follow"

tmux_keys F10
expect_screen 'End your session' "F10 asks before logging out"
tmux_keys y
expect_screen 'User:' "logged out"
tmux_stop
finish
