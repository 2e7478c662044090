# tests/rules.sh -- the rules that the state tables alone used to enforce,
# tried as an attacker would (issue 8, sections 2 and 4, and names):
# someone who can write the database but holds no key promotes an auditor
# (or clears ever_approver), acts, and puts the row back: verify --replay
# names the entry.  Session entries cannot be made through act; unknown
# arguments are refused with the accepted ones; break-glass is a
# two-person property the lockout preview names; a display name that
# would carry extra request lines is refused before anything is written;
# a password typed as a user name never reaches the ledger; an unattended
# outbox run never prints a temporary password but marks the ID, and an
# operator issues a fresh one with id.reset_password.
. "$srcdir/tests/lib.sh"
need flock sqlite3 pwck passwd
pam_wrapper_lock

demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }

# verify --replay, its output in $OUT.
replay() { expect_rc "$1" "$2" "$DAICHO" verify --replay --dir "$D"; }

replay 0 "the demo city replays intact"

## Promote an auditor behind daicho's back, act, put the row back.
q "UPDATE operator SET role = 'admin' WHERE name = 'demo-auditor'"
expect_rc 0 "the doctored auditor runs an admin action" \
    pw 'demo\n' act person.add employee_no=X0000001 name_kanji=偽造 \
    name_kana=ギゾウ department=総務課 position=主事 employment=regular \
    start_date=2026-04-01 --user demo-auditor
forged=$(( $(entries_of) - 1 ))
q "UPDATE operator SET role = 'auditor' WHERE name = 'demo-auditor'"
replay 1 "verify --replay is no longer fooled"
expect_out "entry $forged \(person.add by demo-auditor\) breaks the rules of who may act" \
    "it names the first entry that breaks them"
expect_out "the auditor role may not do this" "and which rule"

## The same ledger, a fresh copy: clear ever_approver, act alone.
demo_cli "$T/demo2"
q "UPDATE operator SET ever_approver = 0"
expect_rc 0 "with ever_approver cleared, one admin adds a system alone" \
    pw 'demo\n' act system.add name=lone type=manual title=lone conf=1 \
    integ=1 avail=1 --user demo-admin
lone=$(( $(entries_of) - 1 ))
q "UPDATE operator SET ever_approver = 1 WHERE role = 'approver'"
replay 1 "replay catches the two-person rule bypassed"
expect_out "entry $lone \(system.add by demo-admin\).*needs a second person" \
    "naming the entry and the rule"

## Session entries and results are daicho's own.
demo_cli "$T/demo3"
R=$D/unix-root
before=$(entries_of)
for a in session.login session.logout session.unlock session.failure \
    outbox.result ledger.init; do
	expect_rc 2 "act $a is refused" pw 'demo\n' act "$a" tty=/dev/tty1 \
	    --user demo-admin
	expect_out "written by daicho itself" "act $a: it says why"
done
[ "$(entries_of)" = "$before" ] && ok "nothing was written" ||
    fail "ledger $before -> $(entries_of)"

## Unknown and made-up arguments.
expect_rc 2 "an unknown argument is refused" \
    pw 'demo\n' act id.lock system=linux-honcho login=e0000001 \
    colour=red --user demo-admin
expect_out 'id.lock: unknown argument "colour" \(it accepts system, login, reason\)' \
    "naming the accepted ones"
expect_rc 2 "an argument daicho makes is refused" \
    pw 'demo\ndemo\n' act ledger.rotate epoch=99 --user demo-admin
expect_out "the argument epoch is made by daicho" "it says so"
[ "$(entries_of)" = "$before" ] && ok "still nothing was written" ||
    fail "ledger $before -> $(entries_of)"

## Break-glass: two people, and the preview names the exempt accounts.
expect_rc 2 "break_glass is no longer an argument of id.create" \
    pw 'demo\n' act id.create system=linux-honcho login=bg2 kind=service \
    break_glass=1 --user demo-admin
expect_out 'unknown argument "break_glass"' "refused as unknown"
expect_rc 0 "a service ID" pw 'demo\n' act id.create system=linux-honcho \
    login=bg2 kind=service name=予備 --user demo-admin
expect_rc 2 "one admin cannot make it break-glass" \
    pw 'demo\n' act id.break_glass system=linux-honcho login=bg2 \
    break_glass=1 --user demo-admin
expect_out "needs a second person" "it needs an approver"
[ "$(q "SELECT break_glass FROM account WHERE login = 'bg2'")" = 0 ] &&
    ok "bg2 is not exempt" || fail "bg2 exempt after a refusal"
expect_rc 0 "admin and approver make it break-glass" \
    pw 'demo\ndemo\n' act id.break_glass system=linux-honcho login=bg2 \
    break_glass=1 --user demo-admin --approver demo-approver
expect_rc 2 "the preview of lock all" \
    pw 'demo\n0\n' lockout --scope all --user demo-admin
expect_out "not locked: 2 break-glass IDs: bg2 on linux-honcho, breakglass on linux-honcho" \
    "names every exempt account"
expect_rc 2 "a person scope spares nobody" \
    pw 'demo\n0\n' lockout --scope person:E0000001 --user demo-admin
expect_out "live IDs will be locked" "its preview is shown"
if printf '%s\n' "$OUT" | grep -q "break-glass"; then
	fail "person scope printed break-glass accounts"
else
	ok "and names none"
fi

## Display names that would reach a program as more than one value.
printf '#!/bin/sh\ncat >> "%s/req.log"\necho ok\n' "$T" >"$T/prog"
chmod 755 "$T/prog"
expect_rc 0 "an exec system" pw 'demo\ndemo\n' act system.add name=hr \
    type=exec title=hr conf=2 integ=1 avail=1 "config=program=$T/prog" \
    --user demo-admin --approver demo-approver
: >"$T/req.log"
before=$(entries_of)
nl='x
op delete'
expect_rc 2 "a name with a line break" pw 'demo\n' act id.create system=hr \
    login=n1 kind=service "name=$nl" --user demo-admin
expect_out "id.create: name contains a control character \(U\+000A\)" \
    "is refused, naming the character"
expect_rc 2 "a name with an escape sequence" pw 'demo\n' act id.create \
    system=hr login=n1 kind=service "name=$(printf 'a\033[2Jb')" \
    --user demo-admin
expect_out "U\+001B" "ESC named"
expect_rc 2 "a name with a C1 control (CSI, U+009B)" pw 'demo\n' act \
    id.create system=hr login=n1 kind=service "name=$(printf 'a\302\233b')" \
    --user demo-admin
expect_out "U\+009B" "C1 named"
expect_rc 2 "a name that is not UTF-8" pw 'demo\n' act id.create system=hr \
    login=n1 kind=service "name=$(printf 'ab\377')" --user demo-admin
expect_out "name is not valid UTF-8 \(byte 3\)" "invalid byte named"
long=$(printf '%086d' 0 | sed 's/0/名/g')
expect_rc 2 "a 258-byte name" pw 'demo\n' act id.create system=hr login=n1 \
    kind=service "name=$long" --user demo-admin
expect_out "name is longer than 255 bytes" "the limit named"
[ "$(entries_of)" = "$before" ] && ok "none of them was recorded" ||
    fail "ledger $before -> $(entries_of)"
[ ! -s "$T/req.log" ] && ok "and the program was never run" ||
    fail "the program got: $(cat "$T/req.log")"
ok255=$(printf '%085d' 0 | sed 's/0/名/g')
expect_rc 0 "a 255-byte name is fine" pw 'demo\n' act id.create system=hr \
    login=n1 kind=service "name=$ok255" --user demo-admin
grep -qx "arg $ok255" "$T/req.log" && ok "and reaches the program whole" ||
    fail "the program got: $(cat "$T/req.log")"

# An outbox row whose argument a request cannot carry (an entry from
# before names were limited, or a doctored row) is refused whole, never
# cut, and the program is not run for it.
: >"$T/req.log"
q "INSERT INTO outbox (entry_idx, seq, system, op, login, arg) VALUES \
    ($(( $(entries_of) - 1 )), 9, 'hr', 'create', 'n2', \
    '$(printf '%0300d' 0)')"
expect_rc 1 "an over-long argument in the outbox" "$DAICHO" outbox run \
    --dir "$D"
expect_out "0 applied, 1 failed" "fails"
[ "$(q "SELECT last_error FROM outbox WHERE login = 'n2'")" = \
    "the argument is longer than a target request carries (255 bytes)" ] &&
    ok "saying why" || fail "n2: $(q "SELECT last_error FROM outbox WHERE \
    login = 'n2'")"
[ ! -s "$T/req.log" ] && ok "and the program never saw a cut value" ||
    fail "the program got: $(cat "$T/req.log")"
q "DELETE FROM outbox WHERE login = 'n2'"

## A password typed into the user field never reaches the ledger.
printf 'demo\n' >"$T/ans"
secretname=Tr0ub4dor-3
expect_rc 2 "a login as a name that is no operator's" \
    pw 'Tr0ub4dor-3\n' act id.lock system=hr login=n1 --user "$secretname"
last=$(( $(entries_of) - 1 ))
"$DAICHO" entry "$last" --dir "$D" >"$T/entry"
grep -q '^a.user UNKNOWN$' "$T/entry" && ok "recorded as UNKNOWN" ||
    fail "the failure entry: $(cat "$T/entry")"
if "$DAICHO" log --dir "$D" | grep -q "$secretname" ||
    grep -aq "$secretname" "$D"/daicho.db*; then
	fail "the typed name is in the ledger or database"
else
	ok "the typed name is nowhere in the ledger or database"
fi
expect_rc 2 "an operator's wrong password" pw 'wrong\n' act id.lock \
    system=hr login=n1 --user demo-auditor
last=$(( $(entries_of) - 1 ))
"$DAICHO" entry "$last" --dir "$D" | grep -q '^a.user demo-auditor$' &&
    ok "an operator's name is kept" || fail "operator name lost"

## Temporary passwords: an unattended run never shows one.
# The server's account files are locked by something daicho does not
# know (a lock file naming no process), so the create fails at first.
printf 'x' >"$R/etc/passwd.lock"
expect_rc 1 "a create on a broken server fails" pw 'demo\n' act id.create \
    system=linux-honcho login=late kind=service name=遅延 \
    --user demo-admin
if printf '%s\n' "$OUT" | grep -q "temporary password"; then
	fail "a failed create showed a password"
else
	ok "and shows no password"
fi
[ "$(q "SELECT state FROM outbox WHERE login = 'late' AND \
    op = 'create'")" = pending ] &&
    ok "the create waits in the outbox" || fail "the create is not pending"
rm "$R/etc/passwd.lock"
expect_rc 0 "the timer's outbox run applies it" \
    "$DAICHO" outbox run --dir "$D"
expect_out "1 applied" "the create is applied"
if printf '%s\n' "$OUT" | grep -qi "password"; then
	fail "outbox run printed a password: $OUT"
else
	ok "outbox run prints no password"
fi
grep -q '^late:' "$R/etc/shadow" && ok "the account exists" ||
    fail "no late in shadow"
[ "$(q "SELECT password_unrevealed FROM account WHERE login = 'late'")" = 1 ] &&
    ok "the ID is marked: its password was never shown" ||
    fail "late not marked"
"$DAICHO" entry $(( $(entries_of) - 1 )) --dir "$D" >"$T/entry"
grep -q '^action outbox.result$' "$T/entry" &&
    grep -q '^a.password unrevealed$' "$T/entry" &&
    ok "the result says so in the ledger" ||
    fail "the last entry: $(cat "$T/entry")"
old=$(grep '^late:' "$R/etc/shadow" | cut -d: -f2)
expect_rc 0 "an operator issues a fresh one" pw 'demo\n' act \
    id.reset_password system=linux-honcho login=late --user demo-admin
expect_out "temporary password for late on linux-honcho: " \
    "shown once, to the operator who asked"
new=$(grep '^late:' "$R/etc/shadow" | cut -d: -f2)
[ "$new" != "$old" ] && [ "$(grep '^late:' "$R/etc/shadow" | cut -d: -f3)" = 0 ] &&
    ok "a new hash, and the change is forced (last change 0)" ||
    fail "shadow: $(grep '^late:' "$R/etc/shadow")"
[ "$(q "SELECT password_unrevealed FROM account WHERE login = 'late'")" = 0 ] &&
    ok "the mark is cleared" || fail "late still marked"
pwck -r -R "$R" >/dev/null 2>&1 && ok "pwck accepts the files" ||
    fail "pwck: $(pwck -r -R "$R" 2>&1)"
expect_rc 2 "an exec system cannot hand a password back" pw 'demo\n' act \
    id.reset_password system=hr login=n1 --user demo-admin
expect_out "cannot hand a password back" "it says so"

replay 0 "after all that, a ledger made honestly replays intact"
finish
