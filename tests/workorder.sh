# tests/workorder.sh -- the manual target end to end, with the real
# command line and PAM (pam_wrapper): an ID on a manual system queues a
# work order that the outbox leaves alone; the list shows it; closing it
# as done takes the admin who did the work and an approver; a refusal
# takes one admin and a reason; bad input is refused with nothing written;
# the ledger verifies and replays.
. "$srcdir/tests/lib.sh"
need flock sqlite3
pam_wrapper_lock

demo_cli "$T/demo"

size() { entries_of; }
row() {
	sqlite3 "$D/daicho.db" "SELECT state || ' ' || attempts || ' ' || \
	    coalesce(last_error, '-') FROM outbox WHERE system = 'paper' AND \
	    login = '$1' AND op = '$2'"
}
# order LOGIN OP: ENTRY/SEQ of the open work order, from the list.
order() {
	"$DAICHO" workorder list --dir "$D" |
	    awk -v l="$1" -v o="$2" '$2 == "paper" && $3 == l && $4 == o {
		print $1 }'
}

expect_rc 0 "a manual system, added by two people" \
    pw 'demo\ndemo\n' act system.add name=paper type=manual title=紙の台帳 \
    conf=2 integ=1 avail=1 --user demo-admin --approver demo-approver
printf '#!/bin/sh\ncat >/dev/null\necho ok\n' >"$T/hr"
chmod 755 "$T/hr"
expect_rc 0 "and a system the outbox reaches" \
    pw 'demo\ndemo\n' act system.add name=hr type=exec title=人事 conf=1 \
    integ=1 avail=1 "config=program=$T/hr" --user demo-admin \
    --approver demo-approver

expect_rc 0 "id.create on the manual system" \
    pw 'demo\n' act id.create system=paper login=yamada kind=personal \
    owner=E0000001 "name=山田 太郎" --user demo-admin
[ "$(row yamada create)" = "pending 0 -" ] &&
    ok "it queued a work order, and no target was tried" ||
    fail "outbox row: $(row yamada create)"
expect_rc 0 "outbox run" "$DAICHO" outbox run --dir "$D"
[ "$(row yamada create)" = "pending 0 -" ] &&
    ok "outbox run leaves the work order pending" ||
    fail "after outbox run: $(row yamada create)"

expect_rc 0 "workorder list" "$DAICHO" workorder list --dir "$D"
expect_out "paper +yamada +create +山田 太郎" "it lists the work order"
expect_out "queued [0-9-]+ [0-9:]+ [+-][0-9]{4} by demo-admin \(id.create\)" \
    "with its time, who queued it and why"
expect_out "^[0-9]+ open work orders?$" "and counts them"
W=$(order yamada create)
[ -n "$W" ] && ok "the list names it as ENTRY/SEQ ($W)" || fail "no order"

# The two-person rule, checked before anyone types a password.
before=$(size)
expect_rc 2 "done without an approver is refused" \
    pw '' workorder "done" "$W" --note "entered on page 12" --user demo-admin
expect_out "needs a second person" "it says a second person is needed"
[ "$(size)" = "$before" ] && ok "nothing was written" ||
    fail "ledger $before -> $(size)"
expect_rc 2 "the operator cannot approve their own work" \
    pw 'demo\n' workorder "done" "$W" --note "entered" --user demo-admin \
    --approver demo-admin
expect_out "someone other than the operator" "it says why"
expect_rc 2 "an auditor cannot close a work order" \
    pw 'demo\ndemo\n' workorder "done" "$W" --note "entered" \
    --user demo-auditor --approver demo-approver
expect_out "does not hold the role" "it names the problem"
expect_rc 2 "a wrong approver password" \
    pw 'demo\nwrong\n' workorder "done" "$W" --note "entered" \
    --user demo-admin --approver demo-approver
expect_out "demo-approver: authentication failed" "the approval failed"
[ "$(row yamada create)" = "pending 0 -" ] &&
    ok "the work order is still open" || fail "row: $(row yamada create)"

# Bad input: a clear error, and the ledger untouched.
before=$(size)
expect_rc 2 "control characters in the note" \
    pw 'demo\ndemo\n' workorder "done" "$W" \
    --note "$(printf 'done\033[2J')" --user demo-admin \
    --approver demo-approver
expect_out "contains a control character" "it says why"
expect_rc 2 "an unknown work order" \
    pw 'demo\ndemo\n' workorder "done" 99999/0 --note x --user demo-admin \
    --approver demo-approver
expect_out "99999/0 is not an open work order \(there is no such" \
    "it says there is none"
for bad in 12 12/ /0 012/0 12/x "$W/0" -1/0; do
	expect_rc 2 "work order '$bad' refused" \
	    pw '' workorder "done" "$bad" --note x --user demo-admin \
	    --approver demo-approver
	expect_out "is not ENTRY/SEQ|work order (entry|seq) .* is|usage:" \
	    "it says what is wrong with '$bad'"
done
expect_rc 2 "done without a note" \
    pw '' workorder "done" "$W" --user demo-admin --approver demo-approver
expect_out "usage: daicho workorder" "it shows the usage"
[ "$(size)" = "$before" ] && ok "nothing was written by the refusals" ||
    fail "ledger $before -> $(size)"

expect_rc 0 "done by the admin, confirmed by the approver" \
    pw 'demo\ndemo\n' workorder "done" "$W" \
    --note "山田さんの ID を台帳 12 頁に記入" --user demo-admin \
    --approver demo-approver
expect_out "recorded as carried out" "it says so"
[ "$(row yamada create)" = "applied 1 -" ] &&
    ok "the outbox row is applied" || fail "row: $(row yamada create)"
"$DAICHO" log --dir "$D" >"$T/log"
grep -Eq 'workorder\.done +demo-admin\+demo-approver +id:paper/yamada' \
    "$T/log" && grep -q '^ *op=create$' "$T/log" &&
    ok "the entry names both people, the account and the operation" ||
    fail "log: $(grep -A8 workorder.done "$T/log")"
before=$(size)
expect_rc 2 "a work order done already" \
    pw 'demo\ndemo\n' workorder "done" "$W" --note again --user demo-admin \
    --approver demo-approver
expect_out "it is done already" "it says so"
[ "$(size)" = "$before" ] && ok "and writes nothing" ||
    fail "ledger $before -> $(size)"
expect_rc 0 "the ledger verifies and replays" \
    "$DAICHO" verify --dir "$D" --replay

# A work order that cannot be carried out: one admin, with a reason.
expect_rc 0 "id.lock on the manual system" \
    pw 'demo\n' act id.lock system=paper login=yamada --user demo-admin
L=$(order yamada lock)
expect_rc 2 "refuse needs no approver" \
    pw 'demo\n' workorder refuse "$L" --reason "the book is away" \
    --user demo-admin --approver demo-approver
expect_out "needs no second person" "it says so"
expect_rc 0 "refused by one admin" \
    pw 'demo\n' workorder refuse "$L" --reason "台帳は書庫に移管済み" \
    --user demo-admin
[ "$(row yamada lock)" = "failed 1 台帳は書庫に移管済み" ] &&
    ok "the row is failed with the reason" || fail "row: $(row yamada lock)"
expect_rc 2 "a refused work order cannot be done" \
    pw 'demo\ndemo\n' workorder "done" "$L" --note x --user demo-admin \
    --approver demo-approver
expect_out "refused or failed" "it says so"

# An operation the outbox carries out is not a work order.
expect_rc 0 "id.create on the exec system" \
    pw 'demo\n' act id.create system=hr login=sato kind=personal \
    owner=E0000002 --user demo-admin
H=$(sqlite3 "$D/daicho.db" "SELECT entry_idx || '/' || seq FROM outbox \
    WHERE system = 'hr' AND login = 'sato'")
expect_rc 2 "an exec system's operation" \
    pw 'demo\ndemo\n' workorder "done" "$H" --note x --user demo-admin \
    --approver demo-approver
expect_out "is not manual" "it says the outbox carries it out"
"$DAICHO" workorder list --dir "$D" >"$T/list"
grep -q ' sato ' "$T/list" && fail "the exec operation is listed" ||
    ok "the list holds only manual systems' work orders"

expect_rc 0 "the ledger verifies and replays at the end" \
    "$DAICHO" verify --dir "$D" --replay
finish
