# tests/hr-events.sh -- what follows from the HR records, over a year of
# synthetic exports on the demo city, with the clock under faketime:
# birthright entitlements (two-person); each event's plan, shown before
# its day; the sweep carrying plans out on their day and not before (a
# leave suspends, a leaver is locked, taken off a shared ID whose password
# is then due, and revoked after the grace period; a mover loses the old
# post's IDs and a joiner gets the post's); an operator applying a plan
# at once, on its day and not before; a plan that cannot be carried out
# left pending and named; no ID for a person who has left.  The unix
# target's files are read with passwd -S and pwck.
. "$srcdir/tests/lib.sh"
need sqlite3 passwd pwck
[ -n "$FAKETIME_LIB" ] || need faketime
pam_wrapper_lock

# The ledger starts before the first export's day (the clock never goes
# back), at a frozen time, as does every step after.
CLOCK='2026-11-30 09:00:00'
demo_cli "$T/demo"
R=$D/unix-root
q() { sqlite3 "$D/daicho.db" "$1"; }
pw_state() { passwd -S -R "$R" "$1" 2>/dev/null | awk '{ print $2 }'; }
# at TIME ANSWERS CMD...: pw with the clock at TIME.
at() {
	_t=$1 _a=$2
	shift 2
	printf "$_a" >"$T/answers"
	env LD_PRELOAD="$PW_PRELOAD $FAKETIME_LIB" FAKETIME="$_t 09:00:00" \
	    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" \
	    --config "$T/cli.conf" "$@" --dir "$D" --askpass-fd 3 3<"$T/answers"
}
sweep() { faketime_run "$1 09:00:00" "$DAICHO" --config "$T/cli.conf" \
    sweep --dir "$D"; }
imp() { at "$1" 'demo\n' import personnel "$2" --as-of "$1" --user demo-admin; }
event() { q "SELECT id FROM hr_event WHERE employee_no = '$1' AND kind = '$2'
    ORDER BY id DESC LIMIT 1"; }

# --- birthright: everyone on linux-honcho, 市民課 on juki, 情報政策課's
# 係長 a privileged ID too.  Two-person.
expect_rc 2 "birthright.add alone is refused" pw 'demo\n' act \
    birthright.add 'department=*' system=linux-honcho kind=personal \
    --user demo-admin
expect_out "needs a second person" "it needs a second person"
for b in 'department=* system=linux-honcho kind=personal' \
    'department=市民課 system=juki kind=personal' \
    'department=情報政策課 position=係長 system=linux-honcho kind=privileged'; do
	# shellcheck disable=SC2086
	expect_rc 0 "birthright.add $b" pw 'demo\ndemo\n' act birthright.add \
	    $b --user demo-admin --approver demo-approver
done

# --- the exports: a baseline, then March, April and June
HEAD='職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分'
{ echo "$HEAD"; q "SELECT employee_no || ',' || name_kanji || ',' ||
    name_kana || ',' || department || ',' || position || ',正規職員,,,在職'
    FROM person ORDER BY employee_no"; } >"$T/y0.csv"
[ "$(q "SELECT department FROM person WHERE employee_no = 'E0000001'")" = \
    市民課 ] || fail "setup: E0000001 is not in 市民課"
expect_rc 0 "the baseline" imp 2026-12-01 "$T/y0.csv"
sed 's/^\(E0000004,.*\),,,在職$/\1,,2027-03-31,在職/;
     s/^\(E0000005,.*\),,,在職$/\1,2027-03-01,,休職/' "$T/y0.csv" >"$T/y1.csv"
expect_rc 0 "March: a leaver announced, a leave" imp 2027-02-20 "$T/y1.csv"
sed 's/^\(E0000001,[^,]*,[^,]*\),[^,]*,[^,]*,\(.*\),,,在職$/\1,税務課,主事,\2,2027-04-01,,在職/;
     s/^\(E0000004,.*\),,2027-03-31,在職$/\1,,2027-03-31,退職/' \
    "$T/y1.csv" >"$T/y2.csv"
echo 'E0900001,新人 花子,シンジン ハナコ,情報政策課,係長,正規職員,2027-04-01,,在職' \
    >>"$T/y2.csv"
expect_rc 0 "April: a mover and a joiner" imp 2027-02-27 "$T/y2.csv"

# --- the plans
leaver=$(event E0000004 leaver) leave=$(event E0000005 leave)
mover=$(event E0000001 mover) joiner=$(event E0900001 joiner)
expect_rc 0 "the leaver's plan" "$DAICHO" events plan "$leaver" --dir "$D"
expect_out "1\. id\.lock e0000004 on linux-honcho" "locks the leaver's ID"
expect_out "id\.users madoguchi on linux-honcho: E0000002,E0000003$" \
    "takes the leaver off the shared ID"
expect_rc 0 "the mover's plan" "$DAICHO" events plan "$mover" --dir "$D"
expect_out "id\.revoke e0000001 on juki" "revokes what only 市民課 had"
if printf '%s\n' "$OUT" | grep -q "linux-honcho"; then
	fail "the mover's plan touches linux-honcho, which both posts have"
else
	ok "keeps what both posts have"
fi
expect_rc 0 "the joiner's plan" "$DAICHO" events plan "$joiner" --dir "$D"
expect_out "id\.create e0900001 on linux-honcho \(personal\)" \
    "issues the personal ID everyone has"
expect_out "id\.create e0900001-adm on linux-honcho \(privileged\)" \
    "and the privileged ID of 情報政策課's 係長"

# --- the sweep: access taken away on the day, never granted
n0=$(entries_of)
expect_rc 0 "a sweep the day before the leave" sweep 2027-02-28
[ "$(entries_of)" = "$n0" ] && ok "does nothing" ||
    fail "the sweep before the day wrote entries"
expect_rc 0 "the sweep on the day of the leave" sweep 2027-03-01
expect_out "sweep: 1 events applied \(1 ID actions\)" "applies the leave"
[ "$(pw_state e0000005)" = L ] && ok "e0000005 is locked on the system" ||
    fail "e0000005 is $(pw_state e0000005) on the system"
[ "$(q "SELECT state FROM account WHERE login = 'e0000005'")" = suspended ] &&
    ok "and suspended in the ledger" || fail "e0000005 is not suspended"
expect_rc 2 "the mover's plan before its day" at 2027-03-15 'demo\n' \
    events apply "$mover" --user demo-admin
expect_out "takes effect on 2027-04-01, not before" "is refused, saying when"
expect_rc 0 "the sweep on the leaver's day" sweep 2027-03-31
[ "$(pw_state e0000004)" = L ] && ok "the leaver's ID is locked" ||
    fail "e0000004 is $(pw_state e0000004)"
[ "$(q "SELECT group_concat(employee_no) FROM account_user WHERE
    login = 'madoguchi'")" = "E0000002,E0000003" ] &&
    ok "the leaver is off the shared ID" || fail "madoguchi's users are wrong"
[ "$(q "SELECT password_due FROM account WHERE login = 'madoguchi'")" = \
    "E0000004 left (event $leaver)" ] &&
    ok "the shared ID's password is due" ||
    fail "password_due: $(q "SELECT password_due FROM account WHERE
    login = 'madoguchi'")"
expect_rc 2 "an ID for the leaver" at 2027-03-31 'demo\n' act id.create \
    system=linux-honcho login=x0000004 kind=personal owner=E0000004 \
    --user demo-admin
expect_out "E0000004 has left \(2027-03-31\): no ID is issued" "is refused"
# --- an operator applies the mover's plan on its day, without waiting
expect_rc 0 "the mover's plan, applied by an operator" at 2027-04-01 \
    'demo\n' events apply "$mover" --user demo-admin
expect_out "event $mover applied: 1 steps" "one step"
[ "$(q "SELECT state FROM account WHERE system = 'juki' AND
    login = 'e0000001'")" = revoked ] && ok "juki's ID is revoked" ||
    fail "e0000001 on juki is not revoked"
expect_out "work orders: [0-9]+ open" "a work order for the manual system"

# --- a plan that cannot be carried out: the joiner's login is taken (an
# account adopted under it first); the sweep names it, leaves it pending
# and exits 1; once the login is free again the next sweep applies it.
expect_rc 0 "e0900001 taken on linux-honcho" at 2027-04-01 'demo\n' act id.create \
    system=linux-honcho login=e0900001 kind=service name=squatter \
    --user demo-admin
expect_rc 1 "the sweep on the day of the transfer" sweep 2027-04-01
expect_out "event $joiner, step 1 of 2 \(id.create e0900001 on linux-honcho" \
    "names the event and the step that failed"
expect_out "1 events could not be applied and stay pending" "says so"
[ "$(q "SELECT state FROM hr_event WHERE id = $joiner")" = pending ] &&
    ok "the joiner's event is still pending" || fail "the joiner's event moved"
expect_rc 0 "the squatter revoked" at 2027-04-02 'demo\n' act id.revoke \
    system=linux-honcho login=e0900001 reason=test --user demo-admin
# Its home stays (revoke_home=lock): a new e0900001 would refuse to take
# another account's files.  The administrator moves it away.
mv "$R/home/e0900001" "$T/squatter-home"
expect_rc 0 "the next sweep" sweep 2027-04-02
expect_out "sweep: 1 events applied \(2 ID actions\)" "applies the joiner's plan"

    ok "both IDs are on the system" ||
    fail "e0900001: $(pw_state e0900001), -adm: $(pw_state e0900001-adm)"
[ "$(q "SELECT end_date FROM account WHERE login = 'e0900001-adm'")" = \
    2028-03-31 ] && ok "the privileged ID ends with the fiscal year" ||
    fail "e0900001-adm ends $(q "SELECT end_date FROM account WHERE
    login = 'e0900001-adm'")"
expect_rc 2 "a plan applied twice" at 2027-04-03 'demo\n' events apply \
    "$joiner" --user demo-admin
expect_out "is applied, not pending" "is refused"

# --- the grace period: a leaver's locked IDs revoked 30 days on
expect_rc 0 "a sweep 29 days after leaving" sweep 2027-04-29
expect_out "0 leavers' IDs revoked" "revokes nothing yet"
expect_rc 0 "a sweep 30 days after leaving" sweep 2027-04-30
expect_out "1 leavers' IDs revoked after the grace period" "revokes"
grep -q '^e0000004:' "$R/etc/passwd" && fail "e0000004 is still in passwd" ||
    ok "e0000004 is gone from the system"
pwck -r -R "$R" >/dev/null 2>&1 && ok "pwck accepts the files" ||
    fail "pwck: $(pwck -r -R "$R" 2>&1)"

# --- June: back from leave on the 15th, resumed by the sweep that day
sed 's/^\(E0000005,.*\),2027-03-01,,休職$/\1,2027-06-15,,在職/' "$T/y2.csv" \
    >"$T/y3.csv"
expect_rc 0 "June: a return announced" imp 2027-06-01 "$T/y3.csv"
ret=$(event E0000005 return)
expect_rc 0 "the return's plan" "$DAICHO" events plan "$ret" --dir "$D"
expect_out "1\. id\.resume e0000005 on linux-honcho" "resumes the ID"
expect_rc 0 "the sweep before the return" sweep 2027-06-14
[ "$(pw_state e0000005)" = L ] && ok "does not resume the ID early" ||
    fail "the sweep resumed e0000005 early"
expect_rc 0 "the sweep on the day of the return" sweep 2027-06-15
[ "$(pw_state e0000005)" = P ] && ok "e0000005 is open again" ||
    fail "e0000005 is $(pw_state e0000005)"

expect_rc 0 "events, at the end" "$DAICHO" events --dir "$D" --format tsv
[ "$(printf '%s\n' "$OUT" | grep -c 'pending$')" = 0 ] &&
    ok "no event is left pending" || fail "pending events: $OUT"
expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay matches"
finish
