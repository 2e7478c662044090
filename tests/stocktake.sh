# tests/stocktake.sh -- issue 12 §2 end to end: the quarterly stocktake
# (棚卸し) over a synthetic city of 2,000 people, each with an ID on a unix
# server (bench/mkcity), under a frozen clock that only moves forward.
# The HR baseline makes five of them leavers; stocktake start snapshots
# every ID and recommends revoking the leavers'; reviewers decide in bulk
# by filter and one by one (a later decision replacing an earlier); bad
# input is refused with nothing written; at the deadline the sweep gives
# the undecided items the policy's default (stocktake_default), and not a
# minute before; two people close it, and the revocations and
# suspensions reach the server's files (pwck -r accepts them); the
# review list is the same bytes each time, its header with the era's
# dates (format 2); verify --replay is clean.
# shellcheck source=tests/lib.sh
. "$srcdir/tests/lib.sh"
need sqlite3 pwck flock awk sha256sum
[ -n "$FAKETIME_LIB" ] || need faketime

if [ "$(id -u)" != 0 ]; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: $TEST_NAME needs root (chroot for pwck -R)" >&2
		exit 99
	fi
	echo "SKIP: $TEST_NAME needs root (chroot for pwck -R)" >&2
	exit 77
fi
B=$(dirname "$DAICHO")
MKCITY=${MKCITY:-$B/bench/mkcity}
if [ ! -x "$MKCITY" ]; then
	echo "FATAL: $MKCITY is not built" >&2
	exit 99
fi
pam_wrapper_lock

# The demo gives the PAM files (its operators are mkcity's too); the city
# is 2,000 people, u00001 (E0000001) to u02000, on the unix system "city".
CLOCK='2027-01-05 09:00:00'
demo_cli "$T/demo"
clocked "$MKCITY" unix "$T/city" "$T/root" 2001 2000 >"$T/mkcity.out" ||
    { cat "$T/mkcity.out" >&2; echo "FATAL: mkcity failed" >&2; exit 99; }
D=$T/city
R=$T/root
cp -R "$T/demo/pam" "$D/pam"
q() { sqlite3 "$D/daicho.db" "$1"; }
in_shadow() { grep -q "^$1:" "$R/etc/shadow"; }
locked() { grep -q "^$1:!" "$R/etc/shadow"; }
sweep() { faketime_run "$1" "$DAICHO" --config "$T/cli.conf" sweep \
    --dir "$D"; }

# --- the HR baseline: E0000011 .. E0000015 have retired
HEAD='職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分'
{ echo "$HEAD"; q "SELECT employee_no || ',' || name_kanji || ',' ||
    name_kana || ',' || department || ',' || position || ',正規職員,,' ||
    CASE WHEN employee_no BETWEEN 'E0000011' AND 'E0000015' THEN
    '2026-12-31,退職' ELSE ',在職' END FROM person ORDER BY employee_no"
} >"$T/hr.csv"
expect_rc 0 "the HR baseline" pw 'demo\n' import personnel "$T/hr.csv" \
    --as-of 2027-01-05 --user demo-admin
[ "$(q "SELECT count(*) FROM person WHERE status = 'retired'")" = 5 ] ||
    fail "setup: the baseline did not record five leavers"

# --- start: every ID snapshot, the leavers' recommended revoked
n0=$(entries_of)
expect_rc 2 "a deadline that has passed is refused" pw 'demo\n' stocktake \
    start --scope all --deadline 2027-01-04 --user demo-admin
expect_out "has passed" "naming it"
expect_rc 2 "an unknown system in the scope is refused" pw 'demo\n' \
    stocktake start --scope system:nowhere --deadline 2027-01-31 \
    --user demo-admin
expect_rc 2 "an auditor may not start one" pw 'demo\n' stocktake start \
    --scope all --deadline 2027-01-31 --user demo-auditor
[ "$(entries_of)" -le $((n0 + 3)) ] &&
    [ "$(q "SELECT count(*) FROM stocktake")" = 0 ] &&
    ok "nothing but the failed logins is written" ||
    fail "a refused start wrote a stocktake"
expect_rc 0 "stocktake start" pw 'demo\n' stocktake start --scope all \
    --deadline 2027-01-31 --title '2026年度 第4四半期' --user demo-admin
N=$(printf '%s\n' "$OUT" | sed -n 's/.*stocktake \([0-9]*\) started.*/\1/p')
[ -n "$N" ] && ok "it is stocktake $N" || fail "no campaign number: $OUT"
[ "$(q "SELECT items FROM stocktake WHERE idx = $N")" = 2000 ] &&
    ok "2,000 IDs in the snapshot" ||
    fail "$(q "SELECT items FROM stocktake") IDs in the snapshot"
expect_rc 0 "items with a filter" "$DAICHO" stocktake items "$N" \
    --filter recommendation=revoke --tsv --dir "$D"
[ "$(printf '%s\n' "$OUT" | awk -F '\t' '$11 == "revoke"' | wc -l)" = 5 ] &&
    ok "the five leavers' IDs are recommended revoked" ||
    fail "recommended revoked: $OUT"
expect_out "^city	u00011	.*leaver-active" "with the finding that says why"
expect_rc 0 "list" "$DAICHO" stocktake list --dir "$D"
expect_out "^$N	open	2000	0	.*	all	2026年度 第4四半期$" \
    "lists it, open, none decided"
expect_rc 2 "items of a stocktake that does not exist" "$DAICHO" stocktake \
    items 99999 --dir "$D"
expect_out "there is no stocktake 99999" "says so"
expect_rc 0 "show" "$DAICHO" stocktake show "$N" --dir "$D"
expect_out "decided: 0 of 2000" "nothing is decided yet"
expect_out "city: 2000 IDs; unnecessary accounts \(recommended revoke\) 5" \
    "the inspection counts the unnecessary accounts"
expect_out "max_age_days 90, history 5" "and the password policy"

# --- decisions: bad ones refused, nothing written
n0=$(entries_of)
expect_rc 2 "an unknown filter key is refused" pw 'demo\n' stocktake \
    decide "$N" --filter floor=3 --decision keep --reason x \
    --user demo-admin
expect_out "unknown key" "naming it"
expect_rc 2 "an unknown decision is refused" pw 'demo\n' stocktake decide \
    "$N" --filter decided=no --decision delete --reason x --user demo-admin
expect_rc 2 "an ID not in the stocktake is refused" pw 'demo\n' stocktake \
    decide "$N" --system city --login nobody --decision keep --reason x \
    --user demo-admin
expect_rc 2 "close while undecided is refused" pw 'demo\ndemo\n' stocktake \
    close "$N" --user demo-admin --approver demo-approver
expect_out "2000 of 2000 items of stocktake $N are undecided" \
    "naming how many"
expect_rc 2 "close without a second person is refused" pw 'demo\n' \
    stocktake close "$N" --user demo-admin
[ "$(q "SELECT count(*) FROM stocktake_item WHERE decision IS NOT NULL")" \
    = 0 ] && [ "$(q "SELECT state FROM stocktake")" = open ] &&
    ok "nothing was decided or closed" || fail "a refused command wrote"

# --- decisions: in bulk by filter, one by one
expect_rc 0 "the leavers' IDs revoked in bulk" pw 'demo\n' stocktake decide \
    "$N" --filter recommendation=revoke --decision revoke \
    --reason '退職者' --user demo-admin
e=$(q "SELECT decided_idx FROM stocktake_item WHERE login = 'u00011'")
[ "$(q "SELECT count(*) FROM stocktake_item WHERE decided_idx = $e")" = 5 ] &&
    ok "one entry decides five" || fail "the bulk decision took other items"
D1=$(q "SELECT department FROM person WHERE employee_no = 'E0000100'")
k=$(q "SELECT count(*) FROM person p JOIN account a ON a.owner =
    p.employee_no WHERE p.department = '$D1' AND p.status <> 'retired'")
expect_rc 0 "a department kept in bulk by an approver" pw 'demo\n' \
    stocktake decide "$N" --filter "department=$D1,decided=no" \
    --decision keep --reason '課長確認済み' --user demo-approver
[ "$(q "SELECT count(*) FROM stocktake_item WHERE decision = 'keep'")" = \
    "$k" ] && ok "all $k of $D1's IDs kept" || fail "kept: $(q "SELECT
    count(*) FROM stocktake_item WHERE decision = 'keep'") of $k"
expect_rc 0 "one ID suspended" pw 'demo\n' stocktake decide "$N" \
    --system city --login u00020 --decision suspend --reason '休職中' \
    --user demo-admin
expect_rc 0 "a leaver's ID suspended instead of revoked" pw 'demo\n' \
    stocktake decide "$N" --system city --login u00015 --decision suspend \
    --reason '再任用予定' --user demo-admin
[ "$(q "SELECT decision FROM stocktake_item WHERE login = 'u00015'")" = \
    suspend ] && ok "the later decision replaces the earlier" ||
    fail "u00015 is $(q "SELECT decision FROM stocktake_item WHERE login =
    'u00015'")"
expect_rc 0 "one ID to change" pw 'demo\n' stocktake decide "$N" \
    --system city --login u00021 --decision change --reason '権限縮小' \
    --user demo-admin
expect_rc 0 "the chart" "$DAICHO" stocktake chart "$N" --dir "$D"
expect_out "^$D1 [0-9]+ #+" "a bar per department"
expect_out "decision: keep $k" "counting its decisions"

# --- the deadline: the sweep applies the default, not a minute before
left=$(q "SELECT count(*) FROM stocktake_item WHERE decision IS NULL")
n0=$(entries_of)
# The deadline is the end of 2027-01-31 in Asia/Tokyo (the policy's
# timezone): 15:00 UTC, the tests' zone.
expect_rc 0 "a sweep on the deadline's last minute" sweep \
    '2027-01-31 14:59:00'
expect_out "sweep: 0 stocktakes past their deadline" "defaults nothing"
[ "$(entries_of)" = "$n0" ] && ok "and writes nothing" ||
    fail "the sweep before the deadline wrote $(($(entries_of) - n0))"
expect_rc 0 "a sweep after the deadline" sweep '2027-01-31 15:01:00'
expect_out "sweep: 1 stocktakes past their deadline: $left undecided" \
    "gives the $left undecided items the default"
[ "$(q "SELECT count(*) FROM stocktake_item WHERE decision =
    'investigate' AND decided_by = '@system'")" = "$left" ] &&
    ok "investigate, the default, by the system" ||
    fail "the defaults: $(q "SELECT decision, decided_by, count(*) FROM
    stocktake_item GROUP BY 1, 2")"
n0=$(entries_of)
expect_rc 0 "a second sweep" sweep '2027-01-31 15:02:00'
[ "$(entries_of)" = "$n0" ] && ok "writes nothing" ||
    fail "the second sweep wrote $(($(entries_of) - n0))"

# --- close: two people; revocations and suspensions reach the server
CLOCK='2027-02-01 09:00:00'
expect_rc 0 "the review list as CSV" "$DAICHO" stocktake show "$N" \
    --report csv --dir "$D"
c1=$(printf '%s' "$OUT" | sha256sum)
expect_out '^"city","u00011","個人",' "one quoted row per ID"
expect_rc 0 "made again" "$DAICHO" stocktake show "$N" --report csv \
    --dir "$D"
[ "$(printf '%s' "$OUT" | sha256sum)" = "$c1" ] &&
    ok "the same bytes" || fail "the review list changed between two runs"
expect_rc 0 "stocktake close by two people" pw 'demo\ndemo\n' stocktake \
    close "$N" --user demo-admin --approver demo-approver
expect_out "targets: 6 applied, 0 failed" "six operations carried out"
for l in u00011 u00012 u00013 u00014; do
	in_shadow "$l" && fail "$l is still in shadow" ||
	    ok "$l is revoked: gone from the server"
	[ "$(q "SELECT state FROM account WHERE login = '$l'")" = revoked ] ||
	    fail "$l is not revoked in the ledger"
done
for l in u00015 u00020; do
	locked "$l" && ok "$l is locked on the server" ||
	    fail "$l: $(grep "^$l:" "$R/etc/shadow")"
done
locked u00021 && fail "u00021 (change) was locked" ||
    ok "a change is left to a person"
[ "$(q "SELECT count(*) FROM stocktake_item WHERE corrected_idx IS NOT
    NULL AND confirmed_by = 'demo-approver'")" = 6 ] &&
    ok "the six items name the close and who confirmed it" ||
    fail "corrected: $(q "SELECT count(*) FROM stocktake_item WHERE
    corrected_idx IS NOT NULL")"
if pwck -r -R "$R" >"$T/pwck" 2>&1; then
	ok "pwck -r accepts the server's files"
else
	fail "pwck -r: $(cat "$T/pwck")"
fi
t=$(q "SELECT txt FROM report WHERE kind = 'stocktake' AND key = '$N'")
[ "$(printf '%s' "$t" | wc -c)" = 64 ] &&
    [ "$(q "SELECT count(*) FROM blob WHERE sha256 = '$t'")" = 1 ] &&
    ok "the sealed review list is recorded, and kept" ||
    fail "no report row or blob: '$t'"
n0=$(entries_of)
expect_rc 2 "a decision after the close is refused" pw 'demo\n' stocktake \
    decide "$N" --system city --login u00001 --decision revoke --reason x \
    --user demo-admin
expect_out "is closed" "naming why"
expect_rc 0 "show" "$DAICHO" stocktake show "$N" --dir "$D"
expect_out "closed: entry [0-9]+ by demo-admin, approved by demo-approver" \
    "the close is shown"

# --- the sealed review list as an auditor's package, checked by both
# verifiers with no database
expect_rc 0 "report stocktake" "$DAICHO" report stocktake "$N" \
    --out "$T/pkg" --dir "$D"
"$DAICHO" stocktake show "$N" --report csv --dir "$D" >"$T/review.csv"
cmp -s "$T/pkg/report.csv" "$T/review.csv" &&
    ok "the package's report.csv is the sealed review list" ||
    fail "the package's report.csv differs from the review list"
[ "$(sha256sum <"$T/pkg/report.csv" | cut -c1-64)" = \
    "$(q "SELECT csv FROM report WHERE kind = 'stocktake' AND key = '$N'")" ] &&
    ok "its SHA-256 is the one the close entry records" ||
    fail "report.csv's hash is not the sealed one"
grep -q '^action stocktake.close$' "$T/pkg/entry" &&
    ok "the entry is the stocktake.close" || fail "entry: $(head -5 "$T/pkg/entry")"
# Format 2: the era's dates (和暦) beside the header's days, in Tokyo
grep -qx 'a.format 2' "$T/pkg/entry" && ok "the entry records format 2" ||
    fail "no format 2 in the entry: $(cat "$T/pkg/entry")"
for l in '開始 / Started: 2027-01-05 18:00 (令和9年1月5日, Asia/Tokyo) by demo-admin' \
    '期限 / Deadline: 2027-01-31 23:59 (令和9年1月31日, Asia/Tokyo)' \
    '作成日 / Made: 2027-02-01 (令和9年2月1日, Asia/Tokyo)'; do
	grep -qxF "$l" "$T/pkg/report.txt" && ok "report.txt: $l" ||
	    fail "no '$l' in: $(head -8 "$T/pkg/report.txt")"
done
grep -q '令和' "$T/pkg/report.csv" && fail "report.csv has an era date" ||
    ok "report.csv is ISO only"
ROOT=$(cat "$D/root.pub")
PY=/usr/bin/python3
expect_rc 0 "verify-report" "$DAICHO" verify-report "$T/pkg" --root-key "$ROOT"
expect_out "valid" "the package is valid"
expect_rc 0 "the independent verifier" "$PY" \
    "$srcdir/tests/independent-verify.py" report "$T/pkg" --root-key "$ROOT"
expect_out "valid" "and valid to the second verifier"
printf '"x"\r\n' >>"$T/pkg/report.csv"
expect_rc 1 "an edited report.csv" "$DAICHO" verify-report "$T/pkg" \
    --root-key "$ROOT"
expect_out "report.csv" "is named"
expect_rc 1 "the independent verifier too" "$PY" \
    "$srcdir/tests/independent-verify.py" report "$T/pkg" --root-key "$ROOT"

expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay is clean"
finish
