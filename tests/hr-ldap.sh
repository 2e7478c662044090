# tests/hr-ldap.sh -- HR events carried out on a real directory (slapd,
# tests/env-slapd.sh) by the sweep, with the clock under faketime: a
# leaver's directory account locked on the leaving day (ppolicy's
# pwdAccountLockedTime), a mover's account that only the old post's
# birthright gave deleted on the transfer day, and a joiner's birthright
# account made in the directory.  slapd's own ldapsearch reads the result.
. "$srcdir/tests/lib.sh"
. "$srcdir/tests/env-slapd.sh"

trap 'slapd_stop; cleanup' EXIT
trap 'exit 130' HUP INT TERM
need sqlite3 ldapsearch
slapd_need
pam_wrapper_lock
[ -n "$FAKETIME_LIB" ] || need faketime-library

demo_cli "$T/demo"
slapd_start "$T/slapd"
slapd_add_users 2
q() { sqlite3 "$D/daicho.db" "$1"; }
sweep() { faketime_run "@$1 09:00:00" "$DAICHO" --config "$T/cli.conf" \
    sweep --dir "$D"; }
# entry UID ATTR: ATTR's value in the directory entry uid=UID ("" if none).
entry() {
	slapd_admin ldapsearch -LLL -b "$SLAPD_PEOPLE" "(uid=$1)" "$2" |
	    sed -n "s/^$2: //p"
}

config=$(printf 'uri=%s\nbinddn=%s\nbindpw_file=%s\nbase=%s' "$SLAPD_URI" \
    "$SLAPD_ADMIN_DN" "$SLAPD_ADMIN_PWFILE" "$SLAPD_PEOPLE")
expect_rc 0 "the directory as a system" pw 'demo\ndemo\n' act system.add \
    name=dir type=ldap title=directory conf=2 integ=2 avail=2 \
    "config=$config" --user demo-admin --approver demo-approver
# user0001 is E0000004's, who will retire; user0002 E0000001's, who will
# move from 市民課 (whose post has the directory) to 税務課 (which has not).
expect_rc 0 "user0001 adopted for E0000004" pw 'demo\n' act id.adopt \
    system=dir login=user0001 kind=personal owner=E0000004 --user demo-admin
expect_rc 0 "user0002 adopted for E0000001" pw 'demo\n' act id.adopt \
    system=dir login=user0002 kind=personal owner=E0000001 --user demo-admin
for d in 市民課 情報政策課; do
	expect_rc 0 "birthright: $d on the directory" pw 'demo\ndemo\n' act \
	    birthright.add department=$d system=dir kind=personal \
	    --user demo-admin --approver demo-approver
done
[ "$(q "SELECT department FROM person WHERE employee_no = 'E0000001'")" = \
    市民課 ] || fail "setup: E0000001 is not in 市民課"

HEAD='職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分'
{ echo "$HEAD"; q "SELECT employee_no || ',' || name_kanji || ',' ||
    name_kana || ',' || department || ',' || position || ',正規職員,,,在職'
    FROM person ORDER BY employee_no"; } >"$T/y0.csv"
sed 's/^\(E0000004,.*\),,,在職$/\1,,2027-03-31,在職/;
     s/^\(E0000001,[^,]*,[^,]*\),[^,]*,[^,]*,\(.*\),,,在職$/\1,税務課,主事,\2,2027-04-01,,在職/' \
    "$T/y0.csv" >"$T/y1.csv"
echo 'E0900001,新人 花子,シンジン ハナコ,情報政策課,主事,正規職員,2027-04-01,,在職' \
    >>"$T/y1.csv"
expect_rc 0 "the baseline" pw 'demo\n' import personnel "$T/y0.csv" \
    --as-of 2026-12-01 --user demo-admin
expect_rc 0 "March: a leaver, a mover and a joiner announced" pw \
    'demo\ndemo\n' import personnel "$T/y1.csv" --as-of 2027-03-01 \
    --user demo-admin --approver demo-approver

[ -z "$(entry user0001 pwdAccountLockedTime)" ] &&
    ok "user0001 is open before the day" || fail "user0001 locked early"
expect_rc 0 "the sweep on the leaving day" sweep 2027-03-31
expect_out "targets: [1-9][0-9]* applied, 0 failed" "the directory took it"
[ -n "$(entry user0001 pwdAccountLockedTime)" ] &&
    ok "user0001 is locked in the directory (pwdAccountLockedTime)" ||
    fail "user0001 is not locked"
[ -n "$(entry user0002 uid)" ] && ok "user0002 is still there" ||
    fail "user0002 went early"

expect_rc 0 "the sweep on the transfer day" sweep 2027-04-01
[ -z "$(entry user0002 uid)" ] &&
    ok "the mover's user0002, which only 市民課 had, is deleted" ||
    fail "user0002 is still in the directory"
[ "$(entry e0900001 uid)" = e0900001 ] &&
    ok "the joiner's e0900001 is made in the directory" ||
    fail "no e0900001 in the directory"
[ "$(q "SELECT state FROM account WHERE system = 'dir' AND
    login = 'e0900001'")" = active ] && ok "and active in the ledger" ||
    fail "e0900001's state"

expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay matches"
finish
