# tests/report.sh -- sealed reports an auditor verifies without the
# database, on the demo city under pam_wrapper with the clock frozen by
# libfaketime at times that only move forward:
# - refusals write nothing (no directory, no entry): the inspection
#   report of a year not sealed without two people, of a year not begun,
#   into a directory not empty; a stocktake campaign that does not exist;
# - "report inspection 2026" seals the 自己点検報告書 (report.inspection,
#   two-person) after two key rotations, and writes the package: the
#   entry records the files' SHA-256, the proofs are "daicho prove"'s
#   byte for byte, chain/ holds ledger.init and both rotations; asked
#   again it writes the same files without sealing again;
# - verify-report passes on the package, and fails naming what on each
#   edit: a report.txt byte, report.csv, the entry, a proof's hash line,
#   the proof's checkpoint, a chain entry removed (in the middle, at the
#   end), a chain entry edited, a chain proof missing, a chain entry
#   twice, a stray file in chain/, a wrong or malformed root key; the independent verifier
#   (tests/independent-verify.py, written from docs/ledger-format.md)
#   gives the same exit status and names the same file each time;
# - report.remove is refused before report_keep_years (5) have passed,
#   naming the day, refused the day before, allowed on it: the row
#   records the removal and the blobs are gone; refusals write nothing;
# - daicho verify --replay is clean at the end.
. "$srcdir/tests/lib.sh"

need sqlite3 sha256sum /usr/bin/python3
[ -n "$FAKETIME_LIB" ] || need faketime-library
PY=/usr/bin/python3
IV=$srcdir/tests/independent-verify.py
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
# 2027-04-05 10:00 in Tokyo: fiscal 2026 (April 2026 - March 2027) is over.
CLOCK='2027-04-05 01:00:00'
demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
ROOT=$(cat "$D/root.pub")
two() { pw 'demo\ndemo\n' "$@" --user demo-admin --approver demo-approver; }

# --- refusals write nothing
n0=$(entries_of)
expect_rc 2 "sealing needs two people" pw 'demo\n' report inspection 2026 \
    --out "$T/r0" --user demo-admin
expect_out "two-person" "says it is two-person"
expect_rc 2 "a year not begun" two report inspection 2030 --out "$T/r0"
expect_out "has not begun" "says the year has not begun"
expect_rc 2 "no such campaign" pw '' report stocktake 5 --out "$T/r0"
expect_out "no stocktake campaign 5" "names the campaign"
mkdir "$T/full"
: >"$T/full/x"
expect_rc 2 "a directory not empty" two report inspection 2026 \
    --out "$T/full"
expect_out "not empty" "says it is not empty"
expect_rc 2 "a directory whose parent is missing" two report inspection \
    2026 --out "$T/none/r0"
expect_out "none: No such file" "names the parent"
[ ! -e "$T/r0" ] && ok "no directory written" || fail "$T/r0 was made"
[ "$(entries_of)" = "$n0" ] && ok "no entry written" ||
    fail "entries $n0 -> $(entries_of)"

# --- seal after two rotations, write the package
expect_rc 0 "rotate" clocked "$DAICHO" rotate --dir "$D"
expect_rc 0 "rotate again" clocked "$DAICHO" rotate --dir "$D"
R1=$n0
R2=$((n0 + 1))
expect_rc 0 "report inspection 2026 sealed by two" two report inspection \
    2026 --out "$T/r"
expect_out "report.inspection: entry $((n0 + 2)) seals the report of 2026" \
    "sealed by the next entry"
N=$((n0 + 2))
P=$T/r
"$DAICHO" entry "$N" --dir "$D" >"$T/entry.$N"
cmp -s "$T/entry.$N" "$P/entry" && ok "entry: the exact bytes" ||
    fail "entry differs from daicho entry $N"
grep -qx "action report.inspection" "$P/entry" &&
    grep -qx "approver demo-approver" "$P/entry" &&
    grep -qx "a.year 2026" "$P/entry" && ok "report.inspection, two-person" ||
    fail "entry: $(cat "$P/entry")"
grep -qx "a.report_txt $(sha256sum <"$P/report.txt" | cut -c1-64)" "$P/entry" &&
    grep -qx "a.report_csv $(sha256sum <"$P/report.csv" | cut -c1-64)" \
    "$P/entry" && ok "the entry records both files' SHA-256" ||
    fail "hashes do not match the entry"
grep -q "自己点検報告書" "$P/report.txt" && grep -q "付録 Appendix" \
    "$P/report.txt" && grep -q "intact" "$P/report.txt" &&
    ok "report.txt: the report with its verification appendix" ||
    fail "report.txt: $(head -5 "$P/report.txt")"
grep -q "^result,ids,rating,2,不適合" "$P/report.csv" &&
    ok "report.csv: no stocktake, user IDs do not conform" ||
    fail "report.csv: $(grep rating "$P/report.csv")"
[ "$(ls "$P/chain" | tr '\n' ' ')" = "00000000.entry 00000000.proof \
$(printf '%08d' "$R1").entry $(printf '%08d' "$R1").proof \
$(printf '%08d' "$R2").entry $(printf '%08d' "$R2").proof " ] &&
    ok "chain/: ledger.init and both rotations" ||
    fail "chain/: $(ls "$P/chain")"
"$DAICHO" prove "$N" --dir "$D" >"$T/proof.$N"
cmp -s "$T/proof.$N" "$P/proof" && ok "proof: daicho prove's" ||
    fail "proof differs from daicho prove $N"
"$DAICHO" prove "$R1" --dir "$D" >"$T/proof.$R1"
cmp -s "$T/proof.$R1" "$P/chain/$(printf '%08d' "$R1").proof" &&
    ok "a chain proof: daicho prove's" || fail "chain proof differs"
[ "$(stat -c %a "$P/report.txt" "$P/chain/00000000.proof" | sort -u)" = 644 ] &&
    ok "files 0644" || fail "modes: $(stat -c '%a %n' "$P"/* "$P"/chain/*)"
n1=$(entries_of)
expect_rc 0 "asked again: the package, not sealed again" pw '' report \
    inspection 2026 --out "$T/again"
cmp -s "$P/report.txt" "$T/again/report.txt" && [ "$(entries_of)" = "$n1" ] &&
    ok "the same report.txt, no entry" || fail "a second report or entry"
expect_rc 2 "report.inspection is not for act" two act report.inspection \
    year=2026

# --- verify-report, and the independent verifier, on each edit
# check NAME RC PATTERN DIR [ROOT]: both verifiers exit RC, name PATTERN.
check() {
	expect_rc "$2" "verify-report: $1" "$DAICHO" verify-report "$4" \
	    --root-key "${5:-$ROOT}"
	expect_out "$3" "verify-report names it ($1)"
	expect_rc "$2" "independent: $1" "$PY" "$IV" report "$4" \
	    --root-key "${5:-$ROOT}"
	expect_out "$3" "independent names it ($1)"
}
edit() { rm -rf "$T/e"; cp -r "$P" "$T/e"; }
check "untouched" 0 "valid" "$P"
edit; printf 'X' | dd of="$T/e/report.txt" bs=1 seek=100 conv=notrunc 2>/dev/null
check "a report.txt byte" 1 "report.txt: its SHA-256" "$T/e"
edit; printf 'x,y\r\n' >>"$T/e/report.csv"
check "report.csv" 1 "report.csv: its SHA-256" "$T/e"
edit; sed -i 's/^operator demo-admin$/operator demo-approver/' "$T/e/entry"
check "the entry" 1 "proof: its audit path" "$T/e"
edit; awk 'NR == 3 { $0 = (substr($0, 1, 1) == "A" ? "B" : "A") substr($0, 2) } 1' \
    "$P/proof" >"$T/e/proof"
check "a proof hash line" 1 "proof: its audit path" "$T/e"
edit; awk 'f == 1 && /^[0-9]+$/ { $0 = $0 + 1 } /^$/ { f++ } 1' \
    "$P/proof" >"$T/e/proof"
check "the proof's checkpoint" 1 "proof: its checkpoint is not signed" "$T/e"
edit; rm "$T/e/chain/$(printf '%08d' "$R1")".*
check "a chain entry removed" 1 "chain/$(printf '%08d' "$R2").entry: want the ledger.rotate to epoch 1" "$T/e"
edit; rm "$T/e/chain/$(printf '%08d' "$R2")".*
check "the last chain entry removed" 1 "proof: its checkpoint is not signed" "$T/e"
edit; sed -i 's/^time .*/time 2027-04-05T01:00:01Z/' \
    "$T/e/chain/$(printf '%08d' "$R2").entry"
check "a chain entry edited" 1 "chain/$(printf '%08d' "$R2").entry: its signature does not verify" "$T/e"
edit; rm "$T/e/chain/00000000.proof"
check "a chain proof missing" 1 "chain/00000000.proof: missing" "$T/e"
edit; cp "$T/e/chain/00000000.entry" "$T/e/chain/0.entry"
check "a chain entry twice" 1 "a second file for entry 0" "$T/e"
edit; : >"$T/e/chain/notes.txt"
check "a stray file in chain/" 1 "chain/notes.txt: not a chain file" "$T/e"
clocked "$DAICHO" init --dir "$T/other" >/dev/null 2>&1
check "another ledger's root key" 1 "chain/00000000.entry: ledger.init names another ledger" "$P" "$(cat "$T/other/root.pub")"
expect_rc 2 "a malformed root key" "$DAICHO" verify-report "$P" --root-key x
expect_rc 2 "independent: a malformed root key" "$PY" "$IV" report "$P" \
    --root-key x

# --- keeping: five years from the seal (2027-04-05 in Tokyo)
expect_rc 2 "removal refused at once" two act report.remove \
    kind=inspection key=2026 reason=整理
expect_out "may be removed from 2032-04-06" "names the day"
CLOCK='2032-04-05 12:00:00'		# 21:00 on April 5 in Tokyo
expect_rc 0 "rotate (a new clock)" clocked "$DAICHO" rotate --dir "$D"
n2=$(entries_of)
expect_rc 2 "refused on the anniversary" two act report.remove \
    kind=inspection key=2026 reason=整理
[ "$(entries_of)" = "$n2" ] && ok "the refusal wrote nothing" ||
    fail "entries $n2 -> $(entries_of)"
CLOCK='2032-04-05 15:00:00'		# April 6, 00:00 in Tokyo
expect_rc 0 "allowed the day after" two act report.remove \
    kind=inspection key=2026 reason=整理
# (the clock moved three hours: the key was rotated first)
[ "$(q "SELECT removed_idx FROM report WHERE idx = $N")" = \
    "$(($(entries_of) - 1))" ] && ok "the row records the removal" || fail "report: $(q 'SELECT * FROM report')"
[ "$(q "SELECT count(*) FROM blob WHERE sha256 IN (SELECT txt FROM report
    UNION SELECT csv FROM report)")" = 0 ] && ok "the blobs are gone" ||
    fail "blobs left"
expect_rc 2 "no package of a removed report" pw '' report inspection 2026 \
    --out "$T/gone"
[ ! -e "$T/gone" ] && ok "nothing written" || fail "$T/gone was made"
check "a package written before still verifies" 0 "valid" "$P"

expect_rc 0 "verify --replay clean" "$DAICHO" verify --replay --dir "$D"
finish
