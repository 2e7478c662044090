# tests/console-findings.sh -- acting on reconciliation's findings from the
# console (F3 on the Systems screen), on the demo city's unix target: each
# remedy shows what it will do first; adopt records the state the account
# really has; lock and remove change the system's files.  At 80x24.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3 passwd
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

D=$T/demo
R=$D/unix-root
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
q() { sqlite3 "$D/daicho.db" "$1"; }
pw_state() { passwd -S -R "$R" "$1" | awk '{ print $2 }'; }
ledger() { q "SELECT state FROM account WHERE system = 'linux-honcho' AND \
    login = '$1'"; }

plant_unregistered "$R"

console_login "$D" demo-admin "the admin logs in"
tmux_keys Tab Tab
expect_screen 'Systems .*demo-admin' "the systems screen"
tmux_type linux
tmux_keys F3
expect_screen 'Reconcile linux-honcho' "F3 reconciles"
expect_screen '3 differences between linux-honcho and the ledger' "three findings"
expect_screen 'intruder: unregistered' "intruder is one"
expect_screen 'remedy: lock it, register it \(adopt\) or remove it' \
    "with its remedies"
expect_screen 'l Lock  a Adopt  r Remove' "and the keys that carry them out"

# adopt: a form, then the preview says "locked", as the system has it
tmux_keys a
expect_screen 'Adopt intruder' "a asks what the ledger must know"
tmux_keys Right Right Right Right
expect_screen 'service' "kind: service"
tmux_keys Enter
expect_screen 'register intruder on linux-honcho in the ledger as it is' \
    "the preview: registered as it is"
expect_screen '^ *│.*│ locked \(as the system shows it\)' \
    "locked, as the system shows it"
tmux_keys y
expect_screen '2 differences between' "after yes, the list is reconciled again"
[ "$(ledger intruder)" = locked ] &&
    ok "the ledger records intruder as locked" ||
    fail "intruder is '$(ledger intruder)' in the ledger"

# remove, refused at the preview: nothing happens
tmux_keys Down r
expect_screen 'delete stray from linux-honcho' "r on stray: the preview"
tmux_keys n
expect_screen '2 differences between' "No: the list is as it was"
grep -q '^stray:' "$R/etc/passwd" && ok "stray is still there" ||
    fail "stray was removed without a yes"

# lock rogue
tmux_keys Up l
expect_screen 'lock rogue on linux-honcho \(open there now\)' "l: the preview"
tmux_keys y
expect_screen 'finding.lock rogue on linux-honcho: done' "the lock is done"
[ "$(pw_state rogue)" = L ] && ok "rogue is locked on the system" ||
    fail "rogue is $(pw_state rogue)"

# remove stray
tmux_keys Down r
expect_screen 'delete stray from linux-honcho' "the preview again"
tmux_keys y
expect_screen '1 difference between' "one finding is left"
if grep -q '^stray:' "$R/etc/passwd"; then fail "stray is still there"
else ok "stray is gone from the system"; fi
expect_screen 'rogue: unregistered' "rogue, locked, waits for adopt or remove"
tmux_keys Escape

"$DAICHO" verify --replay --dir "$D" >"$T/verify" 2>&1 &&
    ok "verify --replay passes" || fail "verify: $(cat "$T/verify")"
finish
