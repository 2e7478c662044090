# tests/console-lockout.sh -- the console's lockout preview lists the IDs
# it takes, by system, with the shared counter account madoguchi marked
# as shared with other departments when 福祉課 is locked; the incident's
# detail lists each ID taken with its prior state.  At 80x24.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

D=$T/demo
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
q() { sqlite3 "$D/daicho.db" "$1"; }

console_login "$D" demo-admin "the admin logs in"

tmux_keys F12
expect_screen 'EMERGENCY LOCKOUT' "F12 opens the lockout"
tmux_keys Right
tmux_keys Tab
tmux_type 福祉課
tmux_keys Enter
expect_screen 'What lockout department:福祉課 takes' "the preview lists the IDs"
expect_screen '4 live IDs will be locked' "with the count first"
expect_screen '1 shared with people outside the scope \(marked !\): their work stops too\.' \
    "and how many are shared outside the scope"
expect_screen '^ *│? *linux-honcho' "the IDs are grouped by system"
for id in e0000004 e0000025 e0000033 madoguchi; do
	expect_screen "  $id " "$id is listed"
done
expect_screen '! shared with other departments: 都市計画課,情報政策課' \
    "madoguchi is marked as shared with the other departments"
tmux_keys Enter
expect_screen 'Type the count' "closing it leaves the count to type"
tmux_type 4
tmux_keys Enter
expect_screen 'Lockout done' "the lockout is done"
tmux_keys Enter
inc=$(q "SELECT max(idx) FROM incident")

tmux_keys Tab Tab Tab
expect_screen 'Incidents .*demo-admin' "the incidents screen"
tmux_keys Enter
expect_screen "Incident $inc" "Enter opens the incident"
expect_screen '4 IDs were taken, each with the state it had before' \
    "it says what was taken"
expect_screen 'e0000004 +was active +now locked +applied' \
    "each ID with its prior state and the lock's result"
expect_screen 'madoguchi +was active +now locked +applied' "madoguchi too"
tmux_keys Enter
finish
