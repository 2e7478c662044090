# tests/console-forms.sh -- forms that do not make a person guess, at
# 80x24 on the demo city: F4 on a system, person or department field opens
# a list of the choices that typing filters and Enter takes; an empty
# required field says what to choose; a refusal says what to do next,
# whole, even when it is longer than the terminal is wide.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

D=$T/demo
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
[ -f "$D/daicho.db" ] && ok "the demo city was made" || { fail "no demo"; finish; }
q() { sqlite3 "$D/daicho.db" "$1"; }
# expect_gone PATTERN DESCRIPTION: it leaves the screen (within 10 s).
expect_gone() {
	i=0
	while tmux_screen | grep -Eq -- "$1" && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	expect_no_screen "$1" "$2"
}
entries() { "$DAICHO" status --dir "$D" | awk '$1 == "entries" { print $2 }'; }

console_login "$D" demo-admin "the admin logs in (fingerprint)"
tmux_keys Tab
expect_screen '\[IDs\]' "the IDs screen"

# --- the issue-ID form: the system field's hint, and its emptiness
tmux_keys F5
expect_screen 'Issue an ID' "F5 opens the issue-ID form"
expect_screen 'F4: choose from a list' "the system field's hint names F4"
expect_screen 'Tab: next field +Enter: done +Esc: cancel' \
    "the form's keys are shown whole"
before=$(entries)
tmux_keys Enter
expect_screen 'required: choose a system \(F4 lists them\)' \
    "Enter with no system says to choose one"
[ "$(entries)" = "$before" ] && ok "and nothing ran" ||
    fail "the ledger grew from $before to $(entries)"

# --- the system picker: the ledger's systems, filtered as typed
tmux_keys F4
expect_screen 'Choose: System' "F4 opens the system picker"
expect_screen 'juki +住民基本台帳システム' "it lists juki with its title"
expect_screen 'linux-honcho +本庁舎 Linux サーバ' "and linux-honcho"
tmux_type honcho
expect_screen 'filter: honcho +1/2' "typing filters the list"
expect_gone 'juki +住民基本台帳' "juki is filtered out"
tmux_keys Enter
expect_gone 'Choose: System' "Enter closes the picker"
expect_screen 'System +linux-honcho' "and fills the system field"
expect_no_screen 'required: choose a system' "the error is gone"

# --- the person picker on the owner, and a refusal that says what to do
tmux_keys Tab
tmux_type e0000003
tmux_keys Tab Tab
expect_screen 'F4: choose from a list' "the owner field names F4 too"
tmux_keys F4
expect_screen 'Choose: Owner' "F4 opens the person picker"
tmux_type 'E0000003'
expect_screen 'E0000003 +近藤 翔太 +情報政策課' \
    "it lists the person by number, name and department"
tmux_keys Enter
expect_screen 'Owner \(emp. no.\) +E0000003' "Enter fills the owner"
tmux_keys Enter
expect_screen 'already exists on linux-honcho \(active\);' \
    "issuing a login that exists is refused"
expect_screen '\(active\); choose another *$' \
    "the refusal's advice starts on its first line..."
expect_screen '^login name, or change that ID from its detail' \
    "...and goes on to the next: whole at 80 columns"
[ "$(entries)" = "$before" ] && ok "nothing was written" ||
    fail "the ledger grew from $before to $(entries)"

# --- the lockout: the value's picker follows the scope
tmux_keys F12
expect_screen 'EMERGENCY LOCKOUT' "F12 opens the lockout form"
tmux_keys Right Tab
expect_screen 'Scope +department' "the scope is department"
expect_screen 'F4: choose from a list' "the value field names F4"
tmux_keys Enter
expect_screen 'required: choose a department \(F4 lists' \
    "an empty department says to choose one"
tmux_keys F4
expect_screen 'Choose: Person/dept/system' "F4 opens the department picker"
expect_screen '福祉課 +27' "it lists departments with their people"
tmux_type 福祉
expect_screen 'filter: 福祉 +1/16' "typing filters the departments"
tmux_keys Enter
expect_screen 'Person/dept/system +福祉課' "Enter fills the department"
tmux_keys Escape
expect_gone 'EMERGENCY LOCKOUT' "Esc leaves the form"
[ "$(entries)" = "$before" ] && ok "and nothing was locked" ||
    fail "the ledger grew from $before to $(entries)"

finish
