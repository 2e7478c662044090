# tests/console-passwords.sh -- the Passwords screen at 80x24 on the demo
# city: the dashboard's alerts; the overdue IDs listed worst first with
# their due date; the typed filter; two marked, F4 f forces a change at
# their next login after a reason and a preview; F4 r issues one ID a
# temporary password, shown once in a dialog, and gone from the screen
# when it closes; four days later the console's start sweep locks it, not
# changed in time; verify --replay is clean.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3 passwd
pam_wrapper_lock
[ -n "$FAKETIME_LIB" ] || need faketime-library
trap 'tmux_stop; cleanup' EXIT

# The demo made 101 days ago (a frozen clock, forward only), and the
# passwords set by daicho passwd since: e0000001-3 overdue (set 100, 100
# and 95 days ago), e0000005 due in 10 days, e0000006 fine; juki's IDs
# untouched.  The console runs at the real time.
days_ago() { date -u -d "-$1 days" '+%Y-%m-%d %H:%M:%S'; }
CLOCK=$(days_ago 101)
demo_cli "$T/demo"
R=$D/unix-root
q() { sqlite3 "$D/daicho.db" "$1"; }
setpw() {
	CLOCK=$(days_ago "$1")
	printf '%s\n' "$3" >"$T/pw"
	expect_rc 0 "$2's password, $1 days ago" pw 'demo\n' passwd \
	    linux-honcho "$2" --user demo-admin --password-fd 4 4<"$T/pw"
}
setpw 100 e0000001 'Kawa-nagare-1-Sakura'
setpw 100 e0000002 'Kawa-nagare-2-Sakura'
setpw 95 e0000003 'Kawa-nagare-3-Sakura'
setpw 80 e0000005 'Kawa-nagare-5-Sakura'
setpw 10 e0000006 'Kawa-nagare-6-Sakura'
CLOCK=
forced() { q "SELECT login FROM account WHERE must_change = 1 ORDER BY
    login" | tr '\n' ' '; }

console_login "$D" demo-admin "the admin logs in"
expect_screen '3 passwords overdue \(the Passwords screen forces a change\)' \
    "the dashboard: three passwords overdue"
expect_no_screen 'not changed in time' "no temporary password is late"

# --- the screen: after Events, before Privileged and Operators
tmux_to_screen Passwords BTab
expect_screen '\[Passwords\]' "back from the dashboard, the Passwords screen"
expect_screen '3 overdue, 0 temporary past their deadline, 0 shared due, 1 due' \
    "the header counts them"
expect_screen 'linux-honcho +e0000001 +personal +E0000001 +overdue +20[0-9]{2}-[0-9]{2}-[0-9]{2}( |$)' \
    "e0000001, overdue, with its due date"
expect_screen 'linux-honcho +e0000005 +personal +E0000005 +due ' "e0000005 due"
expect_no_screen 'e0000006' "e0000006 is fine: not listed"
expect_no_screen 'juki' "juki's IDs were never set by daicho: not listed"
tmux_screen | awk '/linux-honcho/ { print $2 }' | tr '\n' ' ' >"$T/order"
[ "$(cat "$T/order")" = "e0000001 e0000002 e0000003 e0000005 " ] &&
    ok "the worst first, the earliest due first" ||
    fail "the order: $(cat "$T/order")"

# --- Enter: one ID's password
tmux_keys Enter
expect_screen 'Password: linux-honcho/e0000001' "Enter opens the ID"
expect_screen 'max_age_days 90, warn_days 14' "with its policy"
expect_screen 'Password set: 20[0-9-]+ [0-9:]+ [+-][0-9]+ by demo-admin' \
    "when and by whom it was set"
tmux_keys Escape

# --- the filter, two marked, F4 f
tmux_type overdue
expect_screen 'filter: overdue +3/4' "typing filters: three overdue of four"
expect_no_screen 'e0000005' "e0000005 (due) is filtered out"
tmux_keys C-t C-t
tmux_keys F4
expect_screen '2 IDs marked' "F4: two marked"
expect_screen 'f +Force a change at the next login' "f forces a change"
expect_screen 'r +A fresh temporary password' "r issues a password"
tmux_keys f
expect_screen 'Force a change on 2 IDs' "f asks why"
tmux_keys Enter
expect_screen 'id.force_change e0000001 on linux-honcho' "the preview: e0000001"
expect_screen 'id.force_change e0000002 on linux-honcho' "and e0000002"
expect_no_screen 'id.force_change e0000003' "not e0000003"
tmux_keys y
expect_screen 'e0000001 +personal +E0000001 +overdue, forced' \
    "the list shows the forced change" 5
expect_screen 'e0000002 +personal +E0000002 +overdue, forced' \
    "on both" 5
[ "$(forced)" = "e0000001 e0000002 " ] &&
    ok "a change is forced on the two marked" ||
    fail "forced: '$(forced)'; the screen: $(tmux_screen)"
expect_no_screen 'e0000003 .*forced' "e0000003 was not marked"

# --- F4 r: a temporary password for e0000005, shown once
tmux_keys C-u
tmux_type e0000005
expect_screen 'filter: e0000005 +1/' "the filter finds e0000005"
old=$(grep '^e0000005:' "$R/etc/shadow" | cut -d: -f2)
tmux_keys F4 r
expect_screen 'Issue a fresh temporary password for e0000005 on' \
    "r asks first"
tmux_keys y
expect_screen 'Temporary passwords' "the password is shown"
secret=$(tmux_screen | sed -n 's/.*e0000005 on linux-honcho: *\([^ │]*\).*/\1/p' |
    head -n 1)
[ -n "$secret" ] && [ "${#secret}" -ge 12 ] &&
    ok "a temporary password of ${#secret} characters" ||
    fail "no password on the screen: $(tmux_screen)"
new=$(grep '^e0000005:' "$R/etc/shadow" | cut -d: -f2)
[ "$new" != "$old" ] && ok "the system has a new hash for e0000005" ||
    fail "e0000005's hash did not change"
tmux_keys Enter
expect_no_screen 'Temporary passwords' "the dialog is closed"
if [ -n "$secret" ] && tmux_screen | grep -qF -- "$secret"; then
	fail "the password is still on the screen"
else
	ok "and the password with it"
fi
expect_screen 'e0000005 +personal +E0000005 +temporary, forced' \
    "e0000005 now has a temporary password, its change forced" 5

# --- four days on (a frozen time, forward only): e0000005's temporary
# password (72 hours) was not changed in time; the console's start sweep
# locks it before anyone logs in, so the dashboard has nothing late left
tmux_stop
later=$(date -u -d '+4 days' '+%Y-%m-%d %H:%M:%S')
# pam_wrapper preloaded here with libfaketime (the demo would start
# again with pam_wrapper alone).
tmux_start 80 24 env LD_PRELOAD="$PW_PRELOAD $FAKETIME_LIB" \
    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" FAKETIME="$later" \
    "$DAICHO" --demo "$D"
tmux_wait 'User:' 10 || fail "the console did not start: $(tmux_screen)"
tmux_type demo-admin
tmux_keys Enter
expect_screen 'demo-admin \(admin\)' "the admin logs in, four days later"
tmux_keys Enter
expect_screen '[0-9]+ passwords? overdue' "the dashboard still counts the overdue"
if tmux_screen | grep -q 'temporary password.* not changed in time'; then
	fail "the dashboard counts a late temporary password the sweep locked"
else
	ok "no late temporary password is left on the dashboard"
fi
[ "$(sqlite3 "$D/daicho.db" "SELECT state FROM account WHERE system =
    'linux-honcho' AND login = 'e0000005'")" = locked ] &&
    ok "the start sweep locked e0000005" ||
    fail "e0000005 is not locked after the console started"
[ "$(sqlite3 "$D/daicho.db" "SELECT count(*) FROM ledger_entry WHERE
    CAST(data AS TEXT) LIKE '%action id.lock%operator @system%e0000005%' AND
    CAST(data AS TEXT) LIKE '%temporary password not changed in time%'")" = 1 ] &&
    ok "as the system, saying why" || fail "no id.lock of e0000005 by @system"
expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay is clean"
finish
