# tests/hr-import.sh -- daicho import personnel and daicho events on the
# demo city: every kind of malformed export refused with FILE:LINE:COLUMN
# and nothing written; a CP932 export with NEC and IBM extension
# characters and half-width kana read back exactly; the same file twice
# changes nothing; a year of synthetic snapshots (March retirements,
# April transfers and joiners, leave and return) gives the expected
# events; a person missing from an export is never made a leaver; the
# threshold holds an import back until a second person confirms; replay
# rebuilds it all and catches an edited delta.
. "$srcdir/tests/lib.sh"
need sqlite3 iconv
pam_wrapper_lock

demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
HEAD='職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分'
imp() { pw 'demo\n' import personnel "$@" --user demo-admin; }

# The demo's people as HR would export them: everyone regular, active.
q "SELECT employee_no || ',' || name_kanji || ',' || name_kana || ',' ||
    department || ',' || position || ',正規職員,,,在職' FROM person
    ORDER BY employee_no" >"$T/people"
base() { { echo "$HEAD"; cat "$T/people"; } | sed 's/$/\r/'; }
n0=$(entries_of)

# --- malformed exports: each error at its line and column, nothing written
bad() {	# bad NAME PATTERN DESCRIPTION [import options]: $T/NAME.csv
	f=$1 pat=$2 desc=$3
	shift 3
	expect_rc 1 "$desc: refused" imp "$T/$f.csv" "$@"
	expect_out "$pat" "$desc: said where"
	expect_out "nothing was written" "$desc: nothing written"
}
{ echo "$HEAD"; echo 'E0000001,山田 太郎,ヤマダ タロウ,総務課,主事,正規職員,,,在職';
  echo 'E0000002,"二行の
名前",ヤマダ,総務課,主事,正規職員,,,在職';
  echo 'E0000003,山田 花子,ヤマダ ハナコ,総務課,主事,正規職員,2027-02-30,,在職';
  echo 'E0000004,山田 次郎,ヤマダ ジロウ,総務課,主事,正規職員,,,出張中';
  echo 'E0000001,山田 三郎,ヤマダ サブロウ,総務課,主事,正規職員,,,在職';
  echo 'E0000005,山田 四郎,やまだ,総務課,主事,正規職員,,,在職';
  echo 'E0000006,山田 五郎,ヤマダ ゴロウ,総務課,主事,正規職員,,';
  echo 'E0000007,山田 六郎,ヤマダ ロクロウ,総務課,主事,アルバイト,,,在職';
  echo 'e8,山田 七郎,ヤマダ シチロウ,総務課,主事,正規職員,,,在職';
  echo 'E0000009,"山田 "八郎,ヤマダ ハチロウ,総務課,主事,正規職員,,,在職';
  echo 'E0000010,,ヤマダ,総務課,主事,正規職員,,,在職';
} >"$T/many.csv"
bad many "many.csv:3:10: a control character \(U\+000A\)" \
    "a line break inside a quoted name"
expect_out "many.csv:5:36: 異動日 \"2027-02-30\" is not a real date" \
    "a date that does not exist, its physical line after the break"
expect_out "many.csv:6:[0-9]+: 在職区分 \"出張中\" is not a known status" \
    "an unknown status"
expect_out "many.csv:7:1: employee number E0000001 is also on line 2" \
    "a duplicate employee number names the first"
expect_out "many.csv:8:[0-9]+: 氏名カナ \"やまだ\" is not katakana" \
    "a reading in hiragana"
expect_out "many.csv:9:1: 8 fields; the header has 9" "a short row"
expect_out "many.csv:10:[0-9]+: 職員区分 \"アルバイト\" is not a known" \
    "an unknown employment"
expect_out "many.csv:11:1: 職員番号 \"e8\" is not 1 to 16 digits" \
    "a bad employee number"
expect_out "many.csv:12:[0-9]+: .*quote" "text after a closing quote"
expect_out "many.csv:13:[0-9]+: 氏名 is empty" "a required field empty"
expect_out "1 rows valid, 10 errors" "the count of valid rows and errors"
if [ "$(printf '%s\n' "$OUT" | grep -E '^/.*many\.csv:[0-9]+:' |
    awk -F: '{ print $2 }' | sort -n -c 2>&1)" = "" ]; then
	ok "errors come in file order"
else
	fail "errors are not in file order: $OUT"
fi

{ echo 'employee_no,name,name_kana,department,position,employment,status';
  printf 'E0000001,山田\000太郎,ヤマダ,総務課,主事,regular,active\n'; } \
    >"$T/nul.csv"
bad nul "nul.csv:2:10: a NUL byte" "a NUL byte (English headers)"
{ echo "$HEAD"; printf 'E0000001,%0257d,ヤマダ,総務課,主事,正規職員,,,在職\n' 0; } \
    >"$T/long.csv"
bad long "long.csv:2:10: the field is longer than 256 characters" \
    "an oversized field"
{ echo "$HEAD"; printf 'E0000001,山田 太郎,ヤマダ,総務課,主事,正規職員,,,在職\n';
  printf 'E0000002,\377\376,ヤマダ,総務課,主事,正規職員,,,在職\n'; } \
    >"$T/badutf8.csv"
bad badutf8 "badutf8.csv:3:10: .*UTF-8" "invalid UTF-8 bytes" \
    --encoding utf-8
printf '%s\r\nE0000001,\203\201,\203\204,\221\215,\216\345,\220\263,,,\215\335\r\nE0000002,\205\100,\203\204,a,b,\220\263,,,\215\335\r\n' \
    "$(echo "$HEAD" | iconv -f UTF-8 -t CP932)" >"$T/badsj.csv"
bad badsj "badsj.csv:3:10: .*CP932" "invalid CP932 bytes" --encoding cp932
: >"$T/empty.csv"
bad empty "empty.csv:1:1: no header row" "an empty file"
echo "$HEAD" >"$T/headonly.csv"
bad headonly "headonly.csv:2:1: no rows after the header" "a header only"
printf '職員番号,氏名\nE0000001,山田\n' >"$T/nocols.csv"
bad nocols "nocols.csv:1:1: the header has no column 氏名カナ" \
    "a required column missing"
{ echo "$HEAD"; echo 'E0000001,"山田 太郎,ヤマダ,総務課,主事,正規職員,,,在職'; } \
    >"$T/open.csv"
bad open "open.csv:2:10: .*quote" "a quote never closed"
[ "$(entries_of)" = "$n0" ] && ok "no malformed export wrote an entry" ||
    fail "entries went from $n0 to $(entries_of)"
expect_rc 1 "a directory is not an export" imp "$T"
expect_out "not a regular file" "it says so"

# --- the baseline, in CP932 with extension characters and half-width kana
base >"$T/y0.utf8"
printf 'E0900001,髙橋 﨑子,ﾀｶﾊｼ ｻｷｺ,総務課,主事,正規職員,2026-04-01,,在職\r\n' >>"$T/y0.utf8"
printf 'E0900002,德永 栁①,トクナガ ヤナギ,㈱派遣室,主事,委託,2026-04-01,,在職\r\n' >>"$T/y0.utf8"
iconv -f UTF-8 -t CP932 <"$T/y0.utf8" >"$T/y0.csv"
expect_rc 0 "the baseline export in CP932" imp "$T/y0.csv" --as-of 2026-04-01
expect_out "read as cp932 \(detected\)" "auto names the encoding it chose"
expect_out "the first import: it makes the records, and no events" \
    "the first import is the baseline"
expect_out "502 rows valid, 0 errors" "every row valid"
[ "$(q "SELECT name_kanji || '|' || name_kana FROM person WHERE
    employee_no = 'E0900001'")" = "髙橋 﨑子|ﾀｶﾊｼ ｻｷｺ" ] &&
    ok "IBM extension kanji and half-width kana read back exactly" ||
    fail "E0900001 reads back as $(q "SELECT name_kanji || '|' || name_kana
    FROM person WHERE employee_no = 'E0900001'")"
[ "$(q "SELECT name_kanji || '|' || department || '|' || employment FROM
    person WHERE employee_no = 'E0900002'")" = "德永 栁①|㈱派遣室|contractor" ] &&
    ok "NEC special characters read back exactly" ||
    fail "E0900002 reads back wrong"
[ "$(q "SELECT count(*) FROM hr_event")" = 0 ] &&
    ok "no events from the baseline" || fail "the baseline made events"
n1=$(entries_of)
expect_rc 0 "the same file again" imp "$T/y0.csv" --as-of 2026-04-01
expect_out "nothing to change: this file was imported as entry" "says so"
[ "$(entries_of)" = "$n1" ] && ok "and writes nothing" ||
    fail "importing the same file again wrote an entry"

# --- a year of snapshots
# March: E0000004 will retire on 2027-03-31, E0000005 goes on leave,
# E0000006 is missing from the export.
sed 's/^\(E0000004,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*\),,,在職/\1,,2027-03-31,在職/;
     s/^\(E0000005,.*\),,,在職/\1,2027-03-01,,休職/; /^E0000006,/d' \
    "$T/y0.utf8" >"$T/y1.csv"
expect_rc 0 "March: a dry run" imp "$T/y1.csv" --as-of 2027-03-01 --dry-run
expect_out "leaver 2027-03-31, retires 2027-03-31" "shows the leaver"
expect_out "missing +E0000006" "shows the person missing"
expect_out "dry run: nothing was written" "and writes nothing"
expect_rc 0 "March" imp "$T/y1.csv" --as-of 2027-03-01
expect_out "0 new, 2 changed, 499 unchanged, 1 missing from the export" \
    "the summary"
# April: E0000002 moves, E0000004 retired, E0000005 is back, a joiner,
# E0000006 is listed again.
sed 's/^\(E0000002,[^,]*,[^,]*\),[^,]*,[^,]*,\(.*\),,,在職/\1,税務課,課長,\2,2027-04-01,,在職/;
     s/^\(E0000004,.*\),,2027-03-31,在職/\1,,2027-03-31,退職/;
     s/^\(E0000005,.*\),2027-03-01,,休職/\1,2027-04-15,,在職/' \
    "$T/y1.csv" >"$T/y2.csv"
grep '^E0000006,' "$T/y0.utf8" >>"$T/y2.csv"
printf 'E0900003,新人 太郎,シンジン タロウ,総務課,主事,会計年度任用職員,2027-04-01,,在職\r\n' >>"$T/y2.csv"
expect_rc 0 "April" imp "$T/y2.csv" --as-of 2027-04-01
expect_rc 0 "the events" "$DAICHO" events --dir "$D" --format tsv
cat >"$T/want" <<'EOF'
kind	employee_no	effective	detail	state
leave	E0000005	2027-03-01	on leave	pending
leaver	E0000004	2027-03-31	retires 2027-03-31	pending
EOF
printf '%s\n' "$OUT" | sed -n 1,3p >"$T/got"
cmp -s "$T/want" "$T/got" && ok "the tsv header and March's events" ||
    fail "events differ: $(diff "$T/want" "$T/got")"
expect_out "^mover	E0000002	2027-04-01	.* -> 税務課 課長	pending$" \
    "the April transfer is a mover on its transfer date"
expect_out "^joiner	E0900003	2027-04-01	joins 総務課 主事	pending$" \
    "the April joiner"
expect_out "^return	E0000005	2027-04-15	back from leave	pending$" \
    "the return, on its transfer date"
[ "$(printf '%s\n' "$OUT" | grep -c '^leaver')" = 1 ] &&
    ok "retired on the date announced: still one leaver event" ||
    fail "leaver events: $(printf '%s\n' "$OUT" | grep '^leaver')"
[ "$(printf '%s\n' "$OUT" | grep -c 'E0000006')" = 0 ] &&
    ok "the person missing in March was never made a leaver" ||
    fail "E0000006 has events: $OUT"
[ "$(q "SELECT hr_missing IS NULL FROM person WHERE employee_no =
    'E0000006'")" = 1 ] && ok "and is no longer missing when listed again" ||
    fail "E0000006 is still marked missing"
expect_rc 0 "the events as text" "$DAICHO" events --dir "$D"
expect_out "2027-04-01 joiner pending +E0900003 新人 太郎: joins 総務課 主事" \
    "the text form names the person"

# --- the threshold: two leavers with two IDs each, 4 of 48 (> 5%)
sed 's/^\(E0000007,.*\),,,在職/\1,,2027-06-30,在職/;
     s/^\(E0000008,.*\),,,在職/\1,,2027-06-30,在職/' "$T/y2.csv" >"$T/y3.csv"
n2=$(entries_of)
expect_rc 1 "over the threshold, alone" imp "$T/y3.csv" --as-of 2027-05-01
expect_out "it takes away 4 of [0-9]+ live IDs" "the count is shown"
expect_out "a second person with the approver role must confirm" \
    "and the second person asked for"
[ "$(entries_of)" = "$n2" ] && ok "nothing was written" ||
    fail "the refused import wrote entries"
expect_rc 0 "confirmed by an approver" pw 'demo\ndemo\n' import personnel \
    "$T/y3.csv" --as-of 2027-05-01 --user demo-admin --approver demo-approver
"$DAICHO" log --dir "$D" -n 1 >"$T/last"
grep -q "demo-admin+demo-approver" "$T/last" && grep -q "approval=required" \
    "$T/last" && ok "the entry names the approver and the approval" ||
    fail "the last entry: $(cat "$T/last")"

# --- a retirement announced, then taken back: the leaver is cancelled
sed 's/^\(E0000010,.*\),,,在職/\1,,2027-09-30,在職/' "$T/y3.csv" >"$T/y4.csv"
expect_rc 0 "September's retirement announced" imp "$T/y4.csv" --as-of 2027-06-01
expect_rc 0 "and taken back" imp "$T/y3.csv" --as-of 2027-06-15
expect_rc 0 "the events" "$DAICHO" events --dir "$D" --format tsv
expect_out "^leaver	E0000010	2027-09-30	retires 2027-09-30	cancelled$" \
    "the leaver taken back is cancelled"

# --- replay rebuilds the records and events, and catches an edited delta
expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay matches"
cp -a "$D" "$T/edited"
sqlite3 "$T/edited/daicho.db" \
    "UPDATE blob SET data = replace(data, '税務課', '総務課')"
expect_rc 1 "an edited delta" "$DAICHO" verify --replay --dir "$T/edited"
expect_out "it was changed after the entry that names it was signed" \
    "is named"
cp -a "$D" "$T/events"
sqlite3 "$T/events/daicho.db" \
    "UPDATE hr_event SET state = 'cancelled' WHERE kind = 'leaver'"
expect_rc 1 "an edited event" "$DAICHO" verify --replay --dir "$T/events"
expect_out "hr_event: the database has a row the ledger does not explain" \
    "is named"
finish
