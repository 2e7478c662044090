# tests/console-incident.sh -- IDs, systems and the emergency lockout as a
# person uses them: tmux runs "daicho --demo", whose Linux server keeps its
# account files in DIR/unix-root.  Every check is about what a person sees
# on the screen, what the ledger then says, and what the shadow file
# really holds (read by shadow-utils' own passwd -S and pwck).
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/lib-tmux.sh"
need flock sqlite3 pwck passwd
pam_wrapper_lock
trap 'tmux_stop; cleanup' EXIT

D=$T/demo
R=$D/unix-root
"$DAICHO" --demo "$D" </dev/null >/dev/null 2>&1 || true
[ -f "$R/etc/shadow" ] && ok "the demo city has its Linux server's files" ||
    { fail "no $R/etc/shadow"; finish; }

q() { sqlite3 "$D/daicho.db" "$1"; }
# What shadow-utils says of an account: P (usable) or L (locked).
pw_state() { passwd -S -R "$R" "$1" | awk '{ print $2 }'; }
ledger_has() { "$DAICHO" log --dir "$D" | grep -Eq -- "$1"; }
expect_ledger() {
	if ledger_has "$1"; then ok "$2"; else fail "$2: no /$1/ in the ledger"; fi
}
entries() { "$DAICHO" status --dir "$D" | awk '$1 == "entries" { print $2 }'; }
# Every linux-honcho ID: the ledger's state and the shadow file agree.
agree() {
	bad=$(q "SELECT login, state FROM account WHERE system = \
	    'linux-honcho' AND state != 'revoked'" | while IFS='|' read -r l s; do
		want=P
		[ "$s" = locked ] || [ "$s" = suspended ] && want=L
		got=$(pw_state "$l")
		[ "$got" = "$want" ] || echo "$l: ledger $s, passwd -S $got"
	done)
	if [ -z "$bad" ]; then ok "$1"; else fail "$1: $bad"; fi
}
pwck_ok() {
	if pwck -r -R "$R" >"$T/pwck" 2>&1 && grpck -r -R "$R" >>"$T/pwck" 2>&1
	then ok "$1"; else fail "$1: $(cat "$T/pwck")"; fi
}

agree "the demo's IDs are all on the server, as the ledger says"
pwck_ok "pwck and grpck accept the demo's files"
[ "$(pw_state breakglass)" = P ] && ok "it has a usable break-glass account" ||
    fail "breakglass is $(pw_state breakglass)"

tmux_start 80 24 "$DAICHO" --demo "$D"
tmux_wait 'User:' 10 || fail "the console did not start: $(tmux_screen)"
# The demo admin by fingerprint (the demo reader matches after 2 s).
tmux_type demo-admin
tmux_keys Enter
expect_screen 'demo-admin \(admin\)' "the admin logs in"
tmux_keys Enter
# The demo's server accounts were made by an unattended outbox run: their
# temporary passwords were never shown, and the dashboard says so.
unseen=$(q "SELECT count(*) FROM account WHERE password_unrevealed AND \
    state != 'revoked'")
[ "$unseen" -gt 0 ] && ok "$unseen demo IDs have a password nobody saw" ||
    fail "no ID is marked"
expect_screen "IDs whose temporary password nobody saw: $unseen" \
    "the dashboard counts them"

# --- IDs: the structured filter, an ID's history, a lock
tmux_keys Tab
expect_screen 'IDs .*demo-admin' "Tab goes on to the IDs screen"
expect_screen 'F12 LOCKOUT' "the lockout key is on the key bar"
tmux_keys F8
expect_screen 'Filter IDs' "F8 opens the filter"
tmux_type linux-honcho
tmux_keys Tab Right
tmux_keys Tab Right Right Right Right
expect_screen 'locked' "the state field cycles to locked"
tmux_keys Enter
expect_screen 'system=linux-honcho kind=personal state=locked' \
    "the filter is shown"
expect_screen 'filter: +0/0' "no personal ID is locked yet"
tmux_keys F8 Tab Tab C-u Enter
expect_screen 'filter: +40/40' "40 personal IDs on the Linux server"
tmux_type e0000003
expect_screen 'filter: e0000003 +1/40' "typing narrows it to one"
tmux_keys Enter
expect_screen 'History \(from the ledger\)' "Enter opens the ID"
expect_screen 'id.create +demo-admin' "its history has its creation"
expect_screen 'outbox.result +target: create applied' \
    "and the server's result"
tmux_keys l
expect_screen 'Lock: e0000003 on linux-honcho' "l asks why"
tmux_type 'left the office'
tmux_keys Enter
expect_screen 'Lock e0000003 on linux-honcho\?' "and asks to confirm"
tmux_keys y
expect_screen 'state locked' "l locks it"
[ "$(pw_state e0000003)" = L ] && ok "the shadow file has it locked" ||
    fail "passwd -S says $(pw_state e0000003)"
expect_screen 'id.lock +demo-admin' "the history shows the lock"
tmux_keys Escape C-u

# --- a fresh temporary password for an ID whose first nobody saw
tmux_type e0000004
expect_screen 'filter: e0000004 +1/40' "another ID"
tmux_keys Enter
expect_screen 'Its temporary password was never shown to anyone' \
    "its detail says its password was never shown"
old=$(grep '^e0000004:' "$R/etc/shadow" | cut -d: -f2)
tmux_keys p
expect_screen 'Issue a fresh temporary password for e0000004' \
    "p asks first"
tmux_keys y
# pw_generate's alphabet: no 0 O o 1 l I.
expect_screen 'e0000004 on linux-honcho: +[A-HJ-NP-Za-km-z2-9#%+=?@]{16}' \
    "the new password is shown once"
new=$(grep '^e0000004:' "$R/etc/shadow" | cut -d: -f2)
[ "$new" != "$old" ] &&
    [ "$(grep '^e0000004:' "$R/etc/shadow" | cut -d: -f3)" = 0 ] &&
    ok "the server has a new hash, its change forced at the next login" ||
    fail "shadow: $(grep '^e0000004:' "$R/etc/shadow")"
tmux_keys Enter
expect_screen 'History \(from the ledger\)' "the dialog closes on the ID's detail"
tmux_wait 'Its temporary password was never shown' 2 &&
    fail "the detail still says never shown" ||
    ok "the detail no longer says so"
expect_ledger 'id.reset_password +demo-admin +id:linux-honcho/e0000004' \
    "the ledger has the reset"
tmux_keys Escape C-u F2
expect_screen "IDs whose temporary password nobody saw: $((unseen - 1))" \
    "the dashboard counts one fewer"
tmux_keys Tab

# --- the lockout: the preview, a wrong count, the right count
dept=$(q "SELECT p.department FROM person p JOIN account a ON a.owner = \
    p.employee_no WHERE a.system = 'linux-honcho' GROUP BY p.department \
    ORDER BY count(*) DESC LIMIT 1")
n=$(q "SELECT count(*) FROM account a WHERE a.state != 'revoked' AND \
    (a.owner IN (SELECT employee_no FROM person WHERE department = '$dept') \
    OR EXISTS (SELECT 1 FROM account_user u JOIN person p ON \
    p.employee_no = u.employee_no WHERE u.system = a.system AND u.login = \
    a.login AND p.department = '$dept'))")
before=$(entries)
tmux_keys F12
expect_screen 'EMERGENCY LOCKOUT' "F12 opens the lockout from the IDs screen"
tmux_keys Right Tab
tmux_type "$dept"
tmux_keys Enter
expect_screen "What lockout department:$dept takes" \
    "the preview lists the IDs first"
tmux_keys Enter
expect_screen "Lock $n IDs \\(department:$dept\\)" \
    "the preview counts the department's $n IDs"
expect_screen "Type $n and Enter" "and asks for the count"
tmux_type $((n + 1))
tmux_keys Enter
expect_screen 'does not match' "a wrong count is refused"
[ "$(entries)" = "$before" ] && ok "and nothing was written" ||
    fail "the ledger grew from $before to $(entries)"
tmux_keys F12 Right Tab
tmux_type 存在しない課
tmux_keys Enter
expect_screen 'matches no live ID' "a department with no IDs says so"
tmux_keys Escape
tmux_keys F12 Right Tab
tmux_type "$dept"
tmux_keys Enter
tmux_wait "What lockout department:$dept takes" 5
tmux_keys Enter
tmux_wait "Type $n" 5
tmux_type "$n"
tmux_keys Enter
expect_screen 'Lockout done' "the lockout runs"
expect_screen "IDs locked: $n" "and says how many"
expect_ledger "incident.lock +demo-admin +incident:department:$dept" \
    "one incident.lock entry, by one operator"
inc=$(q "SELECT max(idx) FROM incident")
left=$(q "SELECT count(*) FROM incident_account i JOIN account a ON \
    a.system = i.system AND a.login = i.login WHERE i.incident_idx = $inc \
    AND a.state != 'locked'")
[ "$left" = 0 ] && ok "every ID of the department is locked in the ledger" ||
    fail "$left IDs are not locked"
agree "and on the server, as passwd -S reads the shadow file"
pwck_ok "pwck and grpck accept the files after the lockout"
tmux_keys Enter

# --- the incident, restored by two people
tmux_keys Tab Tab
expect_screen 'Incidents .*demo-admin' "the incidents screen"
expect_screen "$inc .*active +$n " "lists the active incident"
tmux_keys F2
expect_screen "Emergency lockouts still active: 1" \
    "the dashboard shows the active incident"
tmux_keys Tab Tab Tab
tmux_keys F4
expect_screen 'Second person' "restore asks for a second person"
tmux_type demo-admin
tmux_keys Enter
tmux_wait 'Password|someone other' 10
if tmux_screen | grep -q Password; then tmux_type demo; tmux_keys Enter; fi
expect_screen 'someone other than the operator' "the admin cannot approve it"
tmux_type demo-approver
tmux_keys Enter
expect_screen 'approved by demo-approver' "the approver approves it"
expect_screen "$inc .*restored" "the incident is restored"
expect_ledger 'incident.restore +demo-admin\+demo-approver' \
    "the restore names both people"
[ "$(pw_state e0000003)" = L ] &&
    ok "an ID locked before the incident stays locked" ||
    fail "e0000003 is $(pw_state e0000003) after the restore"
[ "$(q "SELECT state FROM account WHERE system = 'linux-honcho' AND \
    login = 'e0000003'")" = locked ] && ok "in the ledger too" ||
    fail "the ledger unlocked e0000003"
agree "every other ID is back as it was, on the server too"

# --- the registry's work orders: done by one, confirmed by another
tmux_keys Tab
expect_screen 'Work orders .*demo-admin' "Tab goes on to the work orders"
expect_screen 'juki +juki-kanri +create' "the registry's new ID is a work order"
tmux_type juki-kanri
tmux_keys F4
expect_screen 'What was done' "F4 asks what was done"
tmux_type "created at the registry's own terminal"
tmux_keys Enter
expect_screen 'Second person' "then for a second person"
tmux_type demo-approver
tmux_keys Enter
expect_screen 'approved by demo-approver' "the approver confirms it"
expect_ledger 'workorder.done +demo-admin\+demo-approver +id:juki/juki-kanri' \
    "the ledger names both"
expect_screen 'filter: juki-kanri +0/' "and the order is closed"
tmux_keys C-u BTab
expect_screen 'Incidents .*demo-admin' "Shift-Tab goes back"

# --- a system that refuses: the summary names each failure, the retry works
cp "$R/etc/shadow" "$T/shadow.good"
printf 'broken line without fields\n' >>"$R/etc/shadow"
tmux_keys F12
tmux_keys Tab
tmux_type E0000005
tmux_keys Enter
tmux_wait 'What lockout person:E0000005 takes' 5
tmux_keys Enter
tmux_wait 'Type 1 ' 5
tmux_type 1
tmux_keys Enter
expect_screen 'Lockout done' "a lockout runs with the server's shadow broken"
expect_screen 'did not reach their system: 1' \
    "the summary says a lock failed"
expect_screen 'linux-honcho/e0000005:' "and names the account"
expect_screen 'fields where 9 are expected' "and why"
[ "$(pw_state e0000005)" = P ] && ok "the broken file was not half-written" ||
    fail "e0000005 is $(pw_state e0000005)"
tmux_keys Enter
cp "$T/shadow.good" "$R/etc/shadow"
"$DAICHO" outbox run --dir "$D" >"$T/outbox" 2>&1
grep -q 'targets: 1 applied, 0 failed' "$T/outbox" &&
    ok "once the file is mended, outbox run applies the lock" ||
    fail "outbox run: $(cat "$T/outbox")"
[ "$(pw_state e0000005)" = L ] && ok "and e0000005 is locked" ||
    fail "e0000005 is $(pw_state e0000005)"

# --- everything but break-glass
all=$(q "SELECT count(*) FROM account WHERE state != 'revoked' AND \
    break_glass = 0")
tmux_keys F12 Right Right Right Right Enter
expect_screen "$all live IDs will be locked" "the list of what it takes opens"
tmux_keys End
expect_screen 'Not locked \(break-glass, 1\):' \
    "at its end, what it spares"
expect_screen '  breakglass on linux-honcho' \
    "names the break-glass account"
tmux_keys Enter
expect_screen "Lock $all IDs \\(all\\)" "scope all counts all but break-glass"
expect_screen 'Type the count' "then the count is asked"
tmux_type "$all"
tmux_keys Enter
expect_screen 'Lockout done' "everything is locked"
[ "$(pw_state breakglass)" = P ] && ok "the break-glass account still works" ||
    fail "breakglass is $(pw_state breakglass)"
[ "$(pw_state e0000001)" = L ] && ok "everyone else is locked" ||
    fail "e0000001 is $(pw_state e0000001)"
tmux_keys Enter

# --- reconciliation, after changes behind daicho's back
printf 'intruder:x:2999:100::/home/intruder:/bin/bash\n' >>"$R/etc/passwd"
printf 'intruder:!:20000:0:99999:7:::\n' >>"$R/etc/shadow"
tmux_keys BTab
expect_screen 'Systems .*demo-admin' "the systems screen"
expect_screen 'linux-honcho +unix +2/2/2' "lists the Linux server and its class"
tmux_keys Down F3
expect_screen 'intruder: unregistered' "reconcile finds the unregistered account"
expect_screen 'remedy: lock it, register it \(adopt\)' "with its remedy"
tmux_keys Enter

# --- an auditor may look, not lock
tmux_keys F10 y
expect_screen 'User:' "logged out"
tmux_type demo-auditor
tmux_keys Enter
tmux_wait 'Password' 10
tmux_type demo
tmux_keys Enter
expect_screen 'demo-auditor \(auditor\)' "the auditor logs in"
tmux_keys Enter
expect_no_screen 'F12 LOCKOUT' "the auditor's key bar has no lockout"
before=$(entries)
tmux_keys F12
expect_screen 'The auditor role may not do this' "F12 is refused to an auditor"
expect_no_screen 'EMERGENCY LOCKOUT' "no dialog opens"

"$DAICHO" verify --replay --dir "$D" >"$T/verify" 2>&1 &&
    ok "verify --replay passes after all of it" ||
    fail "verify: $(cat "$T/verify")"
finish
