# tests/password-findings.sh -- the rotation findings on the demo city
# with the clock under faketime (frozen times, only forward), under
# daicho's default policy (max_age_days 90, warn_days 14, temp_hours 72,
# max_holders 3): each of password-overdue, temp-unchanged,
# shared-password-due and privileged-over-max appears exactly where the
# situation puts it and not before, and goes when its remedy is applied.
#
# The acts happen early and the findings are asked later, as time would
# pass: the passwords are set by daicho passwd months before.  A
# leaver's shared ID comes from an HR export and the sweep that applies
# it.
. "$srcdir/tests/lib.sh"
need sqlite3
pam_wrapper_lock
[ -n "$FAKETIME_LIB" ] || need faketime-library

CLOCK='2026-10-15 08:00:00'
demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
HEAD='職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分'
# at WHEN ANSWERS CMD...: pw, with the clock frozen at WHEN.
at() {
	_when=$1 a=$2
	shift 2
	printf "$a" >"$T/answers"
	env LD_PRELOAD="$PW_PRELOAD $FAKETIME_LIB" FAKETIME="$_when" \
	    PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$D/pam" "$DAICHO" \
	    --config "$T/cli.conf" "$@" --dir "$D" --askpass-fd 3 3<"$T/answers"
}
# findings_at WHEN ARGS...: the findings as of WHEN (tsv), into $OUT, $rc.
findings_at() {
	_when=$1
	shift
	set +e
	OUT=$(faketime_run "$_when" "$DAICHO" --config "$T/cli.conf" \
	    findings --dir "$D" --format tsv "$@" 2>"$T/err")
	rc=$?
	set -e
}
# has RULE SUBJECT [REMEDY]: the tsv in $OUT has that finding, once.
has() {
	_n=$(printf '%s\n' "$OUT" | awk -F'\t' -v r="$1" -v s="$2" \
	    -v m="${3:-}" '$1 == r && $3 == s && (m == "" || $5 == m)' | wc -l)
	[ "$_n" = 1 ] && ok "$1 $2${3:+ ($3)}" ||
	    fail "$1 $2${3:+ ($3)}: $_n lines in
$OUT"
}
# pwrules: the password rules in $OUT with their subjects, sorted, on one
# line: "password-overdue=linux-honcho/e0000001 ...".
pwrules() { printf '%s\n' "$OUT" | awk -F'\t' '$1 ~ /^(password-overdue|temp-unchanged|shared-password-due|privileged-over-max)$/ {
    print $1 "=" $3 }' | sort | tr '\n' ' '; }
unix_time() { date -u -d "$1" +%s; }

expect_rc 0 "a clean demo city has no findings" "$DAICHO" findings --dir "$D"

# --- passwords set long ago, by daicho passwd at the time: e0000001 and
# e0000003 on 2026-10-15 (due on 01-13; e0000003 is locked later),
# e0000002 on 2026-10-25 (due on 01-23)
setpw() {
	printf '%s\n' "$3" >"$T/pw"
	expect_rc 0 "$2's password set on $1" at "$1" 'demo\n' passwd \
	    linux-honcho "$2" --user demo-admin --password-fd 4 4<"$T/pw"
}
setpw '2026-10-15 09:00:00' e0000001 'Kawa-nagare-1-Sakura'
setpw '2026-10-15 09:00:00' e0000003 'Kawa-nagare-3-Sakura'
setpw '2026-10-25 09:00:00' e0000002 'Kawa-nagare-2-Sakura'

# --- 2027-01-04: three privileged IDs more on linux-honcho (the demo has
# adm-e0000002): four in use, above the default max_holders 3
for n in 3 5 6; do
	expect_rc 0 "a privileged ID for E000000$n" at '2027-01-04 09:00:00' \
	    'demo\n' act id.create system=linux-honcho login=adm-e000000$n \
	    kind=privileged owner=E000000$n end_date=2027-12-31 \
	    --user demo-admin
done
expect_rc 0 "e0000003 locked" at '2027-01-04 10:10:00' 'demo\n' act id.lock \
    system=linux-honcho login=e0000003 reason=test --user demo-admin

# --- HR: E0000004, a user of the shared madoguchi, leaves on 01-10
q "SELECT employee_no || ',' || name_kanji || ',' || name_kana || ',' ||
    department || ',' || position || ',正規職員,,,在職' FROM person ORDER BY
    employee_no" >"$T/people"
{ echo "$HEAD"; cat "$T/people"; } >"$T/y0.csv"
sed 's/^\(E0000004,.*\),,,在職$/\1,,2027-01-10,在職/' "$T/y0.csv" >"$T/y1.csv"
expect_rc 0 "the baseline import" at '2027-01-05 09:00:00' 'demo\n' import \
    personnel "$T/y0.csv" --as-of 2027-01-05 --user demo-admin
expect_rc 0 "E0000004's retirement announced" at '2027-01-06 09:00:00' \
    'demo\n' import personnel "$T/y1.csv" --as-of 2027-01-06 --user demo-admin

# --- 2027-01-06: only the privileged IDs are over the limit yet
findings_at '2027-01-06 12:00:00'
[ "$(pwrules)" = "privileged-over-max=system:linux-honcho " ] &&
    ok "01-06: privileged-over-max alone (nothing due, the temporary \
password in time, nobody left)" || fail "01-06: $(pwrules)
$OUT"
has privileged-over-max system:linux-honcho review
expect_out "privileged-over-max	medium	system:linux-honcho	4 privileged IDs in use \(active or dormant\), above max_holders 3: adm-e0000002, adm-e0000003, adm-e0000005, adm-e0000006	review" \
    "it names the system, the count, the limit and the IDs"

# --- 01-11: the sweep applies the leaver's plan (madoguchi's password due)
expect_rc 0 "the sweep on 01-11" faketime_run '2027-01-11 09:00:00' \
    "$DAICHO" --config "$T/cli.conf" sweep --dir "$D"
[ -n "$(q "SELECT password_due FROM account WHERE login = 'madoguchi'")" ] &&
    ok "madoguchi's password is due" || fail "madoguchi has no password_due"
# Temporary passwords, after that sweep (the sweep locks one past its
# deadline): e0000006 keeps its, e0000007 is locked after.
for l in e0000006 e0000007; do
	expect_rc 0 "a temporary password for $l" at '2027-01-11 10:00:00' \
	    'demo\n' act id.reset_password system=linux-honcho login=$l \
	    --user demo-admin
done
expect_rc 0 "e0000007 locked" at '2027-01-11 10:05:00' 'demo\n' act id.lock \
    system=linux-honcho login=e0000007 reason=test --user demo-admin
tu() { q "SELECT password_temp_until FROM account WHERE system =
    'linux-honcho' AND login = 'e0000006'"; }
[ "$(tu)" = "$(unix_time '2027-01-14 10:00:00')" ] &&
    ok "id.reset_password records the deadline: 72 hours on" ||
    fail "e0000006's temporary password is due at '$(tu)'"

# --- 01-20: e0000001 overdue, e0000002 only due, e0000003 locked;
# e0000006's temporary password past its deadline, e0000007's locked
findings_at '2027-01-20 09:00:00'
has password-overdue linux-honcho/e0000001 force-change
has shared-password-due linux-honcho/madoguchi force-change
has privileged-over-max system:linux-honcho review
expect_out "password-overdue	medium	linux-honcho/e0000001	a personal ID's password set on 2026-10-15 [0-9:]+ [+-][0-9]{4} by demo-admin was due on 2027-01-13 [0-9:]+ [+-][0-9]{4} \(max_age_days 90\)	force-change" \
    "the overdue finding says when it was set, by whom, and when it was due"
expect_out "shared-password-due	high	linux-honcho/madoguchi	a shared ID \(active\) whose password must change: E0000004 left" \
    "the shared one says who left"
has temp-unchanged linux-honcho/e0000006 lock
[ "$(q "SELECT state FROM account WHERE system = 'linux-honcho' AND
    login = 'e0000007'")" = locked ] &&
    ok "e0000007 is locked" || fail "e0000007 is not locked"
[ "$(pwrules)" = "password-overdue=linux-honcho/e0000001 privileged-over-max=system:linux-honcho shared-password-due=linux-honcho/madoguchi temp-unchanged=linux-honcho/e0000006 " ] &&
    ok "01-20: those four and nothing else (not e0000002, e0000003, e0000007)" ||
    fail "01-20: $(pwrules)"
findings_at '2027-01-20 09:00:00' --rule password-overdue
[ "$(printf '%s\n' "$OUT" | awk -F'\t' 'NR > 1' | wc -l)" = 1 ] &&
    ok "--rule password-overdue: the one finding" || fail "--rule: $OUT"

# --- remedies
expect_rc 2 "privileged-over-max has no bulk remedy" at '2027-01-20 10:00:00' \
    'demo\n' findings remedy privileged-over-max lock --yes --user demo-admin
expect_out "does not fit privileged-over-max" "it says so"
expect_rc 2 "force-change does not fit temp-unchanged" \
    at '2027-01-20 10:00:00' 'demo\n' findings remedy temp-unchanged \
    force-change --yes --user demo-admin
expect_out "does not fit temp-unchanged" "it says so"
expect_rc 0 "temp-unchanged: lock" at '2027-01-20 10:01:00' 'demo\n' \
    findings remedy temp-unchanged lock --yes --user demo-admin
expect_out "id.lock linux-honcho/e0000006" "e0000006 is locked"
expect_rc 0 "password-overdue: force-change" \
    at '2027-01-20 10:02:00' 'demo\n' findings remedy password-overdue \
    force-change --yes --user demo-admin
expect_out "id.force_change linux-honcho/e0000001" "by id.force_change"
expect_rc 0 "shared-password-due: force-change" \
    at '2027-01-20 10:03:00' 'demo\n' findings remedy shared-password-due \
    force-change --yes --user demo-admin
findings_at '2027-01-20 11:00:00'
[ "$(pwrules)" = "privileged-over-max=system:linux-honcho " ] &&
    ok "remedied: the password findings are gone" ||
    fail "after the remedies: $(pwrules)"

# --- privileged IDs: locked ones are not in use; the policy's limit
expect_rc 0 "adm-e0000006 locked" at '2027-01-20 11:05:00' 'demo\n' act \
    id.lock system=linux-honcho login=adm-e0000006 reason=test \
    --user demo-admin
findings_at '2027-01-20 11:10:00' --rule privileged-over-max
[ "$rc" = 0 ] && ok "three in use: no finding" || fail "rc $rc: $OUT"
expect_rc 0 "adm-e0000006 unlocked" at '2027-01-20 11:15:00' 'demo\n' act \
    id.unlock system=linux-honcho login=adm-e0000006 reason=test \
    --user demo-admin
findings_at '2027-01-20 11:20:00' --rule privileged-over-max
has privileged-over-max system:linux-honcho review
expect_rc 0 "policy.set max_holders=4 for linux-honcho" \
    at '2027-01-20 11:25:00' 'demo\ndemo\n' act policy.set \
    system=linux-honcho kind=privileged max_holders=4 --user demo-admin \
    --approver demo-approver
findings_at '2027-01-20 11:30:00' --rule privileged-over-max
[ "$rc" = 0 ] && ok "four allowed: no finding" ||
    fail "with max_holders 4: $OUT"

# --- a new password on the shared ID ends its due mark
due() { q "SELECT coalesce(password_due, '') FROM account WHERE
    login = 'madoguchi'"; }
[ -n "$(due)" ] || fail "madoguchi's password_due went before a new password"
expect_rc 0 "a fresh password for madoguchi" at '2027-01-20 11:35:00' \
    'demo\n' reset-password linux-honcho madoguchi --show --user demo-admin
[ -z "$(due)" ] && ok "madoguchi's password is no longer due" ||
    fail "madoguchi's password_due is still '$(due)'"
expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay is clean"
finish
