# tests/inspection-year.sh -- the annual self-inspection report
# (自己点検報告書) over a scripted fiscal year of four quarterly
# stocktakes on the demo city, under a frozen clock that only moves
# forward (FY2026: April 2026 to March 2027):
# - Q1 every ID kept; Q2 one ID revoked (it reaches the unix server's
#   files at the close); Q3 one ID to change (a correction left open);
#   Q4 nothing decided by its deadline: the sweep gives every item the
#   policy's default (investigate), then it is closed;
# - after the year, "report inspection 2026" seals the report: it lists
#   the four campaigns, counts the IDs reviewed, the corrections done and
#   open, rates the user IDs 一部適合 for the open one, and both verifiers
#   accept the package; its report.txt (format 2) and the review lists
#   show the era's dates (令和8年度, 令和9年4月5日) beside the ISO ones,
#   report.csv only ISO;
# - stocktake.confirm (two-person) then records Q3's change as carried
#   out; it is refused for a revocation, an open stocktake, one person,
#   and twice;
# - verify --replay is clean.
. "$srcdir/tests/lib.sh"
need sqlite3 sha256sum /usr/bin/python3
[ -n "$FAKETIME_LIB" ] || need faketime-library
PY=/usr/bin/python3
if ! "$PY" -c 'import nacl.signing' >/dev/null 2>&1; then
	if [ "${DAICHO_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FATAL: $TEST_NAME needs PyNaCl (python3-nacl)" >&2
		exit 99
	fi
	echo "SKIP: $TEST_NAME needs PyNaCl (python3-nacl)" >&2
	exit 77
fi
pam_wrapper_lock
TZ=UTC
export TZ

CLOCK='2026-04-06 01:00:00'
demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
ad() { pw 'demo\n' "$@" --user demo-admin; }
two() { pw 'demo\ndemo\n' "$@" --user demo-admin --approver demo-approver; }
R=$D/unix-root
ITEMS=$(q "SELECT count(*) FROM account WHERE state NOT IN ('revoked',
    'expired')")

# campaign DAY DEADLINE TITLE: starts one at 10:00 Tokyo on DAY; prints
# its number.
campaign() {
	CLOCK="$1 01:00:00"
	expect_rc 0 "$3 started" ad stocktake start --scope all \
	    --deadline "$2" --title "$3"
	C=$(q "SELECT max(idx) FROM stocktake")
}
keep_rest() {
	expect_rc 0 "$1: the rest kept" ad stocktake decide "$C" \
	    --filter decided=no --decision keep --reason 'still needed'
}
close() {
	expect_rc 0 "$1 closed by two" two stocktake close "$C"
	[ "$(q "SELECT state FROM stocktake WHERE idx = $C")" = closed ] ||
	    fail "$1 is not closed"
}

campaign 2026-05-11 2026-05-29 Q1
C1=$C
keep_rest Q1
close Q1

campaign 2026-08-10 2026-08-28 Q2
C2=$C
expect_rc 0 "Q2: e0000009 revoked" ad stocktake decide "$C" --system \
    linux-honcho --login e0000009 --decision revoke --reason 'not needed'
keep_rest Q2
close Q2
grep -q '^e0000009:' "$R/etc/shadow" && fail "e0000009 is still on the server" ||
    ok "Q2's revocation reached the server"

campaign 2026-11-09 2026-11-27 Q3
C3=$C
expect_rc 0 "Q3: e0000008 to change" ad stocktake decide "$C" --system \
    linux-honcho --login e0000008 --decision change --reason 'rights too wide'
keep_rest Q3
close Q3

campaign 2027-02-08 2027-02-26 Q4
C4=$C
CLOCK='2027-02-26 14:00:00'
expect_rc 0 "the sweep at 23:00 Tokyo on the deadline" clocked "$DAICHO" \
    --config "$T/cli.conf" sweep --dir "$D"
[ "$(q "SELECT count(*) FROM stocktake_item WHERE campaign = $C4 AND
    decision IS NULL")" -gt 0 ] && ok "nothing defaulted before the deadline" ||
    fail "defaulted early"
CLOCK='2027-03-01 01:00:00'
expect_rc 0 "the sweep after the deadline" clocked "$DAICHO" \
    --config "$T/cli.conf" sweep --dir "$D"
[ "$(q "SELECT count(*) FROM stocktake_item WHERE campaign = $C4 AND
    decision = 'investigate' AND decided_by = '@system'")" = \
    "$(q "SELECT items FROM stocktake WHERE idx = $C4")" ] &&
    ok "Q4: every item given the default, investigate, by the system" ||
    fail "Q4: $(q "SELECT decision, decided_by, count(*) FROM stocktake_item
    WHERE campaign = $C4 GROUP BY 1, 2")"
expect_rc 2 "an open stocktake's item is not confirmed" two stocktake \
    confirm "$C4" --system linux-honcho --login e0000007 --reason x
expect_out "still open" "naming why"
close Q4

# --- Q3's change: confirming it is refused but for what the close left
n0=$(entries_of)
CLOCK='2027-03-02 01:00:00'
expect_rc 2 "confirm needs a second person" ad stocktake confirm "$C3" \
    --system linux-honcho --login e0000008 --reason 'narrowed'
expect_rc 2 "a revocation needs no confirmation" two stocktake confirm \
    "$C2" --system linux-honcho --login e0000009 --reason x
expect_out "only a change or an investigation" "naming why"
[ "$(q "SELECT count(*) FROM stocktake_item WHERE corrected_idx IS NOT NULL
    AND decision = 'change'")" = 0 ] && ok "nothing confirmed by a refusal" ||
    fail "a refused confirm wrote"

# --- the year's report
CLOCK='2027-04-05 01:00:00'
expect_rc 0 "report inspection 2026" two report inspection 2026 \
    --out "$T/r"
P=$T/r
[ "$(grep -c '^stocktake,' "$P/report.csv")" = 4 ] &&
    ok "report.csv lists the four campaigns" ||
    fail "campaigns: $(grep '^stocktake,' "$P/report.csv")"
grep -q "^stocktake,$C1,2026-05-11," "$P/report.csv" &&
    ok "the first on its day" || fail "Q1: $(grep '^stocktake' "$P/report.csv")"
grep -qx 'result,ids,stocktakes_closed,4,,,.' "$P/report.csv" &&
    ok "four closed" || fail "$(grep stocktakes_closed "$P/report.csv")"
total=$(q "SELECT sum(items) FROM stocktake")
grep -qx "result,ids,items,$total,,,." "$P/report.csv" &&
    ok "$total IDs reviewed in the year" || fail "$(grep ',items,' "$P/report.csv")"
grep -qx 'result,ids,corrections_done,1,,,.' "$P/report.csv" &&
    ok "one correction done (Q2's revocation)" ||
    fail "$(grep corrections_done "$P/report.csv")"
grep -qx 'result,ids,corrections_open,1,,,.' "$P/report.csv" &&
    ok "one correction open (Q3's change)" ||
    fail "$(grep corrections_open "$P/report.csv")"
grep -q '^result,ids,rating,1,一部適合' "$P/report.csv" &&
    ok "user IDs: 一部適合, for the open correction" ||
    fail "$(grep 'ids,rating' "$P/report.csv")"
grep -q "棚卸し Stocktakes of the year" "$P/report.txt" &&
    grep -q "Q4" "$P/report.txt" && ok "report.txt names them" ||
    fail "report.txt: $(head -40 "$P/report.txt")"
# Format 2: the era (和暦) beside the ISO dates where a printed document
# shows them; the CSV ISO only
grep -qx 'a.format 2' "$P/entry" && ok "the entry records format 2" ||
    fail "no format 2 in the entry: $(cat "$P/entry")"
for l in '令和8年度 自己点検報告書 / Annual self-inspection report' \
    '年度 Fiscal year:        2026 (令和8年度), Asia/Tokyo' \
    '期間 Period:             2026-04-01 - 2027-03-31 (令和8年4月1日 - 令和9年3月31日)' \
    '基準日 Reference day:    2027-04-05 (令和9年4月5日)' \
    '  F1 user IDs: demo-admin, 2027-07-04 (令和9年7月4日)' \
    '  日付 Date:                          令和　　年　　月　　日'; do
	grep -qxF "$l" "$P/report.txt" && ok "report.txt: $l" ||
	    fail "no '$l' in: $(head -8 "$P/report.txt"; grep -A6 '^5\.\|^8\.' "$P/report.txt")"
done
grep -q '令和' "$P/report.csv" && fail "report.csv has an era date" ||
    ok "report.csv is ISO only"
expect_rc 0 "Q1's review list, as sealed" "$DAICHO" stocktake show "$C1" \
    --report txt --dir "$D"
for l in '開始 / Started: 2026-05-11 10:00 (令和8年5月11日, Asia/Tokyo) by demo-admin' \
    '期限 / Deadline: 2026-05-29 23:59 (令和8年5月29日, Asia/Tokyo)' \
    '作成日 / Made: 2026-05-11 (令和8年5月11日, Asia/Tokyo)'; do
	printf '%s\n' "$OUT" | grep -qxF "$l" && ok "Q1's list: $l" ||
	    fail "no '$l' in: $(printf '%s\n' "$OUT" | head -8)"
done
ROOT=$(cat "$D/root.pub")
expect_rc 0 "verify-report" "$DAICHO" verify-report "$P" --root-key "$ROOT"
# Q3's change carried out and confirmed: the correction is no longer open
expect_rc 0 "Q3's change confirmed by two" two stocktake confirm "$C3" \
    --system linux-honcho --login e0000008 --reason 'rights narrowed'
[ "$(q "SELECT confirmed_by FROM stocktake_item WHERE campaign = $C3 AND
    login = 'e0000008' AND corrected_idx = (SELECT max(idx) FROM
    ledger_entry)")" = demo-approver ] && ok "the item names the entry and who confirmed it" ||
    fail "e0000008: $(q "SELECT corrected_idx, confirmed_by FROM stocktake_item
    WHERE campaign = $C3 AND login = 'e0000008'")"
expect_rc 2 "confirmed twice is refused" two stocktake confirm "$C3" \
    --system linux-honcho --login e0000008 --reason again
expect_out "already confirmed" "naming why"
expect_rc 0 "the independent verifier" "$PY" \
    "$srcdir/tests/independent-verify.py" report "$P" --root-key "$ROOT"
expect_out "valid" "valid to both"

expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay is clean"
finish
