# tests/findings.sh -- acting on reconciliation's findings from the command
# line, on the demo city's unix target: lock, adopt and remove after a
# preview; adopting records the state the account really has (a locked
# account was adopted as active); the OS's own accounts and live IDs are
# refused.  passwd -S and pwck read the files the target wrote.
. "$srcdir/tests/lib.sh"
need flock sqlite3 passwd pwck
pam_wrapper_lock

demo_cli "$T/demo"
R=$D/unix-root
q() { sqlite3 "$D/daicho.db" "$1"; }
pw_state() { passwd -S -R "$R" "$1" | awk '{ print $2 }'; }
ledger() { q "SELECT state FROM account WHERE system = 'linux-honcho' AND \
    login = '$1'"; }

# Made behind daicho's back: one locked, two open.
plant_unregistered "$R"
[ "$(pw_state intruder)" = L ] && [ "$(pw_state rogue)" = P ] &&
    ok "intruder is locked on the system, rogue and stray are open" ||
    fail "setup: intruder $(pw_state intruder), rogue $(pw_state rogue)"

expect_rc 1 "reconcile finds them" "$DAICHO" reconcile linux-honcho --dir "$D"
expect_out "intruder +unregistered" "intruder is unregistered"
expect_out "remedy: lock it, register it \(adopt\) or remove it" \
    "the remedies are named"

# --- adopt: the state the system shows, never another
expect_rc 2 "adopting the locked account as active is refused" \
    pw 'demo\n' act id.adopt system=linux-honcho login=intruder \
    kind=service state=active --user demo-admin
expect_out "intruder on linux-honcho is locked on the system, not active" \
    "it says what the system shows"
expect_rc 2 "adopting an account the system does not have is refused" \
    pw 'demo\n' act id.adopt system=linux-honcho login=nobody-here \
    kind=service --user demo-admin
expect_out "linux-honcho has no account nobody-here" "it says so"
expect_rc 2 "adopt, its kind missing" pw 'demo\n' reconcile linux-honcho \
    intruder adopt --user demo-admin
expect_out "missing required arguments: kind" "names what is missing first"
expect_rc 2 "adopt, the preview not confirmed" pw 'demo\nno\n' \
    reconcile linux-honcho intruder adopt kind=service --user demo-admin
expect_out "register intruder on linux-honcho in the ledger as it is, locked" \
    "the preview says it is registered as locked"
expect_out "not confirmed" "no confirmation, nothing done"
[ -z "$(ledger intruder)" ] && ok "nothing recorded" || fail "recorded"
expect_rc 0 "adopt, confirmed" pw 'demo\nyes\n' reconcile linux-honcho \
    intruder adopt kind=service --user demo-admin
[ "$(ledger intruder)" = locked ] &&
    ok "the ledger records intruder as locked, as the system has it" ||
    fail "intruder is $(ledger intruder) in the ledger"
[ "$(pw_state intruder)" = L ] && ok "and the system was not changed" ||
    fail "intruder is $(pw_state intruder)"
"$DAICHO" log -n 3 --dir "$D" >"$T/log"
grep -q 'id.adopt .*id:linux-honcho/intruder' "$T/log" &&
    ok "the adopt entry is in the ledger" || fail "$(cat "$T/log")"
[ "$(q "SELECT count(*) FROM outbox WHERE login = 'intruder'")" = 0 ] &&
    ok "adopting queued nothing for the system" || fail "queued"

# --- lock: an unregistered account, after its preview
expect_rc 0 "lock rogue" pw 'demo\nyes\n' reconcile linux-honcho rogue lock \
    reason=unknown-account --user demo-admin
expect_out "lock rogue on linux-honcho \(open there now\)" "the preview"
expect_out "stays unregistered, and locked" "says the ledger will not know it"
[ "$(pw_state rogue)" = L ] && ok "rogue is locked on the system" ||
    fail "rogue is $(pw_state rogue)"
[ -z "$(ledger rogue)" ] && ok "and still not an ID of the ledger" ||
    fail "rogue is $(ledger rogue) in the ledger"
if "$DAICHO" log -n 3 --dir "$D" | grep -q 'finding.lock .*id:linux-honcho/rogue'
then ok "the lock is an entry of its own"; else fail "no finding.lock entry"; fi

# --- lock: drift of a registered ID (locked behind the ledger's back)
sed -i 's/^e0000005:\$/e0000005:!$/; s/^e0000005:\([^!]\)/e0000005:!\1/' \
    "$R/etc/shadow"
[ "$(pw_state e0000005)" = L ] && ok "e0000005 locked behind daicho" ||
    fail "setup: e0000005 $(pw_state e0000005)"
expect_rc 1 "reconcile sees it" "$DAICHO" reconcile linux-honcho --dir "$D"
expect_out "e0000005 +locked on the system, active in the ledger" "drift found"
expect_rc 0 "lock records it" pw 'demo\n' reconcile linux-honcho e0000005 \
    lock --yes --user demo-admin
expect_out "The ledger records the ID as locked" "the preview said so"
[ "$(ledger e0000005)" = locked ] && ok "the ledger has e0000005 locked" ||
    fail "e0000005 is $(ledger e0000005)"

# --- remove: an unregistered account; never a live ID or the OS's own
expect_rc 2 "remove of a live ID is refused" pw 'demo\n' reconcile \
    linux-honcho e0000001 remove --yes --user demo-admin
expect_out "is a live ID of the ledger .*revoke it \(id.revoke\)" \
    "it points to id.revoke"
expect_rc 2 "remove of root is refused" pw 'demo\n' reconcile linux-honcho \
    root remove --yes --user demo-admin
expect_out "operating system's own account" "root is not daicho's"
expect_rc 2 "finding.lock of daemon through act is refused" pw 'demo\n' act \
    finding.lock system=linux-honcho login=daemon reason=x --user demo-admin
expect_out "operating system's own account" "daemon is not daicho's either"
expect_rc 0 "remove stray" pw 'demo\nyes\n' reconcile linux-honcho stray \
    remove --user demo-admin
expect_out "delete stray from linux-honcho .* cannot be undone" "the preview"
if grep -q '^stray:' "$R/etc/passwd" "$R/etc/shadow"; then
	fail "stray is still in the files"
else
	ok "stray is gone from passwd and shadow"
fi
pwck -r -R "$R" >"$T/pwck" 2>&1 && grpck -r -R "$R" >>"$T/pwck" 2>&1 &&
    ok "pwck and grpck accept the files" || fail "pwck: $(cat "$T/pwck")"

expect_rc 1 "reconcile afterwards" "$DAICHO" reconcile linux-honcho --dir "$D"
expect_out "rogue +unregistered" "rogue, locked, is still to be adopted or removed"
if printf '%s\n' "$OUT" | grep -Eq 'intruder|stray|e0000005'; then
	fail "a finding acted on is still there: $OUT"
else
	ok "the others are settled"
fi
expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
finish
