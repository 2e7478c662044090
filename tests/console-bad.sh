# tests/console-bad.sh -- bad input at the console: garbage, very long and
# pasted text, control characters, a PAM user who is no operator, a PAM
# module that hangs or crashes.  The console must stay usable, lose
# nothing, and record what happened.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

D=$T/demo
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
[ -f "$D/daicho.db" ] && ok "the demo city was made" || fail "no demo city"
sed -i -e 's/^module_timeout_seconds.*/module_timeout_seconds = 5/' \
    -e 's/^idle_lock_seconds.*/idle_lock_seconds = 0/' "$D/daicho.conf"
# A PAM user who is not a daicho operator.
printf 'visitor:demo:daicho\n' >>"$D/pam/passdb"
# The reader module follows a script: hang, then crash, then no reader.
printf 'hang\ncrash\n' >"$T/script"
sed -i "s|enrolled=[^ ]* delay=2|script=$T/script|" "$D/pam/daicho"

reason() {
	"$DAICHO" log --dir "$D" | grep -A3 "session.failure.*login:$1" |
	    sed -n 's/^ *reason=//p' | tail -1
}

tmux_start 80 24 "$DAICHO" --demo "$D"
expect_screen 'User:' "the console starts"

# A module that hangs is cut off after module_timeout_seconds.
tmux_type demo-auditor
tmux_keys Enter
expect_screen 'Waiting: [0-9]+ s left' "a countdown runs while the module works"
expect_screen 'Authentication failed' "the hung module is cut off" 15
[ "$(reason demo-auditor)" = "timed out" ] && ok "recorded as a timeout" ||
    fail "reason '$(reason demo-auditor)'"

# A module that crashes takes only the PAM child down.
tmux_type demo-auditor
tmux_keys Enter
expect_screen 'Authentication failed' "a crashing module fails the login" 15
[ "$(reason demo-auditor)" = failure ] && ok "recorded as a failure" ||
    fail "reason '$(reason demo-auditor)'"

# Garbage in the user field: far too long, control characters, pasted.
tmux_type "$(head -c 300 /dev/zero | tr '\0' 'x')"
expect_no_screen 'x{34}' "the user field takes no more than a login name"
tmux_keys C-u
tmux_keys C-a C-b C-g
tmux_type 'Robert"); DROP TABLE operator;--'
tmux_keys Enter
expect_screen 'not a valid user name' "a name that is no login name is refused"
tmux_keys C-u

# A PAM user who is not a daicho operator gets nowhere.
tmux_type visitor
tmux_keys Enter
tmux_wait 'Password' 10 && { tmux_type demo; tmux_keys Enter; }
expect_screen 'Authentication failed' "a PAM user who is no operator is refused"
# Recorded, but not under the name typed: it is no operator's, and a name
# typed at the console may be a password in the wrong field.
[ "$(reason UNKNOWN)" = "not an operator" ] &&
    ok "recorded as not an operator, user UNKNOWN" ||
    fail "reason '$(reason UNKNOWN)'"
"$DAICHO" log --dir "$D" | grep -q visitor &&
    fail "the typed name is in the ledger" ||
    ok "the typed name is not in the ledger"

# After all that, a real login works and garbage in a form is refused.
tmux_type demo-admin
tmux_keys Enter
tmux_wait 'Password' 15 && { tmux_type demo; tmux_keys Enter; }
expect_screen 'demo-admin \(admin\)' "the console is still usable"
tmux_keys Enter BTab BTab BTab F5
expect_screen 'Add an operator' "the add form opens"
tmux_type "$(head -c 200 /dev/zero | tr '\0' 'y')"
tmux_keys Enter
expect_screen 'at most 32' "an overlong name is refused in the form"
tmux_keys C-u
tmux_type 'bad name'
tmux_keys Enter
expect_screen 'at most 32' "a name with a space is refused"
tmux_keys Escape
sleep 0.5
expect_no_screen 'Add an operator' "Esc closes the form"
tmux_keys F10 y
expect_screen 'User:' "logged out"
tmux_stop

expect_rc 0 "the ledger verifies" "$DAICHO" verify --dir "$D" --replay
"$DAICHO" log --dir "$D" | grep -q "operator.add.*operator:bad" &&
    fail "a bad operator was added" || ok "no bad operator was added"
finish
