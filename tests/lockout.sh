# tests/lockout.sh -- emergency lockout from the command line: preview and
# typed confirmation, every scope's count, break-glass accounts spared, an
# account locked before stays locked after restore, restore needs two
# people, a lost IC card suspends the person's IDs.  Targets are exec
# programs that record what they were asked.
. "$srcdir/tests/lib.sh"
need flock sqlite3
pam_wrapper_lock

demo_cli "$T/demo"

state() {
	sqlite3 "$D/daicho.db" "SELECT state FROM account WHERE system = '$1' \
	    AND login = '$2'"
}
for sys in hr mail; do
	printf '#!/bin/sh\ncat >> "%s/%s.log"\necho ok\n' "$T" "$sys" >"$T/$sys"
	chmod 755 "$T/$sys"
	pw 'demo\ndemo\n' act system.add name=$sys type=exec title=$sys conf=2 \
	    integ=1 avail=1 "config=program=$T/$sys" --user demo-admin \
	    --approver demo-approver >/dev/null
done
# E0000101 has IDs on both systems; E0000102 one; a contractor; a shared
# ID used by E0000101; a break-glass account; one ID locked already.
pw 'demo\n' act id.create system=hr login=u1 kind=personal owner=E0000101 \
    --user demo-admin >/dev/null
pw 'demo\n' act id.create system=mail login=u1 kind=personal owner=E0000101 \
    --user demo-admin >/dev/null
pw 'demo\n' act id.create system=hr login=u2 kind=personal owner=E0000102 \
    --user demo-admin >/dev/null
pw 'demo\n' act id.create system=hr login=c3 kind=contractor owner=E0000103 \
    sponsor=E0000101 end_date=2027-03-31 --user demo-admin >/dev/null
pw 'demo\n' act id.create system=mail login=team kind=shared \
    users=E0000101,E0000104 --user demo-admin >/dev/null
pw 'demo\n' act id.create system=hr login=breakglass kind=service \
    --user demo-admin >/dev/null
pw 'demo\ndemo\n' act id.break_glass system=hr login=breakglass \
    break_glass=1 --user demo-admin --approver demo-approver >/dev/null
pw 'demo\n' act id.create system=hr login=old kind=service \
    --user demo-admin >/dev/null
pw 'demo\n' act id.lock system=hr login=old --user demo-admin >/dev/null
[ "$(state hr old)" = locked ] && ok "seven IDs, one locked already" ||
    fail "setup: old is $(state hr old)"
: >"$T/hr.log"
: >"$T/mail.log"

size() { entries_of; }

# The preview counts each scope.
expect_rc 2 "a typed count that does not match" \
    pw 'demo\n7\n' lockout --scope person:E0000101 --user demo-admin
expect_out "3 live IDs will be locked" "person scope: own and shared IDs"
expect_out "not confirmed" "a wrong count does nothing"
[ "$(state hr u1)" = active ] && ok "and nothing was locked" || fail "u1 locked"
before=$(size)
expect_rc 2 "an auditor may not lock out" \
    pw 'demo\n' lockout --scope all --yes --user demo-auditor
[ "$(size)" = $((before + 1)) ] && ok "only the refusal was recorded" ||
    fail "ledger $before -> $(size)"
expect_rc 2 "a scope that matches nothing" \
    pw 'demo\n' lockout --scope department:存在しない課 --yes --user demo-admin
expect_rc 2 "a scope that is not one" \
    pw 'demo\n' lockout --scope everyone --yes --user demo-admin
expect_out "is not person:N" "it says which scopes exist"

# Everything, except the break-glass account, by one operator.
# The demo city's own IDs count too: its Linux server's (locked in
# DIR/unix-root) and its registry's (work orders: nothing to apply).
q() { sqlite3 "$D/daicho.db" "$1"; }
all=$(q "SELECT count(*) FROM account WHERE state != 'revoked' AND \
    break_glass = 0")
apply=$(q "SELECT count(*) FROM account a JOIN system s ON s.name = \
    a.system WHERE a.state = 'active' AND a.break_glass = 0 AND \
    s.type != 'manual'")
[ "$all" -gt 6 ] && [ "$apply" = $((all - 1 - $(q "SELECT count(*) FROM \
    account WHERE system = 'juki' AND state = 'active'"))) ] &&
    ok "$all live IDs, $apply of them active on systems daicho reaches" ||
    fail "all $all, apply $apply"
expect_rc 0 "lockout of everything, the count typed back" \
    pw "demo\n$all\n" lockout --scope all --user demo-admin
expect_out "$all live IDs will be locked" "all: every live ID but break-glass"
expect_out "targets: $apply applied, 0 failed" \
    "a lock applied for each active one (one was locked already)"
[ "$(q "SELECT state FROM account WHERE system = 'linux-honcho' AND \
    login = 'breakglass'")" = active ] &&
    ok "the demo server's break-glass account is spared too" ||
    fail "linux-honcho breakglass is locked"
for id in hr:u1 mail:u1 hr:u2 hr:c3 mail:team hr:old; do
	[ "$(state "${id%%:*}" "${id#*:}")" = locked ] || fail "$id not locked"
done
ok "every ID in scope is locked"
[ "$(state hr breakglass)" = active ] && ok "the break-glass account is not" ||
    fail "breakglass is $(state hr breakglass)"
grep -c '^op lock$' "$T/hr.log" | grep -qx 3 && ok "hr got three locks" ||
    fail "hr.log: $(cat "$T/hr.log")"
grep -q 'login old' "$T/hr.log" && fail "the locked ID was locked again" ||
    ok "the ID locked before was not asked again"
inc=$(sqlite3 "$D/daicho.db" "SELECT idx FROM incident")

# Restore: two people; each ID back to exactly what it was.
expect_rc 2 "restore by one person is refused" \
    pw 'demo\n' act incident.restore incident=$inc --user demo-admin
expect_out "second person" "it asks for a second person"
: >"$T/hr.log"
expect_rc 0 "restore by two people" \
    pw 'demo\ndemo\n' act incident.restore incident=$inc --user demo-admin \
    --approver demo-approver
expect_out "$apply applied" "an unlock applied for each"
[ "$(state hr u1)" = active ] && [ "$(state mail team)" = active ] &&
    ok "IDs that were active are active" || fail "u1 $(state hr u1)"
[ "$(state hr old)" = locked ] &&
    ok "the ID locked before the incident stays locked" ||
    fail "old is $(state hr old)"
grep -q 'login old' "$T/hr.log" && fail "old was unlocked on the system" ||
    ok "and was not unlocked on its system"
expect_rc 2 "an incident is restored once" \
    pw 'demo\ndemo\n' act incident.restore incident=$inc --user demo-admin \
    --approver demo-approver

# A lost IC card suspends the person's IDs at once.
expect_rc 0 "lost IC card" \
    pw 'demo\n' act id.lost_card person=E0000101 card=IC-0042 --user demo-admin
[ "$(state hr u1)" = suspended ] && [ "$(state mail u1)" = suspended ] &&
    ok "both of the person's IDs are suspended" || fail "u1 $(state hr u1)"
sqlite3 "$D/daicho.db" "SELECT card FROM lost_card" | grep -qx IC-0042 &&
    ok "the card is recorded" || fail "no lost_card row"

expect_rc 0 "the ledger verifies and replays" \
    "$DAICHO" verify --dir "$D" --replay
finish
