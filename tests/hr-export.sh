# tests/hr-export.sh -- daicho export people|ids FILE on the demo city:
# two-person (refused without --approver, before any password, nothing
# written); the data.export entry records the rows and the SHA-256 that
# sha256sum gives for the file; the people's CSV, in UTF-8 and in CP932,
# imports back with nothing new or changed and the person table byte for
# byte the same; the TSV header and rows; every ID; a name CP932 cannot
# hold, a tab in a TSV value, an existing FILE (or a symbolic link), a
# directory that does not exist and a write that fails all refused with
# no file, no temporary file and no entry; act cannot forge the entry;
# replay intact; and HR's own file (bench/mkhr) comes back byte for byte.
. "$srcdir/tests/lib.sh"
need sqlite3 iconv sha256sum
pam_wrapper_lock

demo_cli "$T/demo"
q() { sqlite3 "$D/daicho.db" "$1"; }
HEAD='職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分,生年月日'
ex() { pw 'demo\ndemo\n' export "$@" --user demo-admin --approver demo-approver; }
imp() { pw 'demo\n' import personnel "$@" --user demo-admin; }
persons() { sqlite3 "$D/daicho.db" ".dump person"; }
O="$T/out"
mkdir "$O"
CR=$(printf '\r')
TAB=$(printf '\t')

# snap, then nothing_left DESC: no file and no temporary file in $O but
# those there at snap, and no entry since.
snap() {
	ls -A "$O" >"$T/keep"
	n=$(entries_of)
}
nothing_left() {
	ls -A "$O" | sort >"$T/ls"
	if ! sort "$T/keep" | cmp -s - "$T/ls"; then
		fail "$1: $O holds $(cat "$T/ls")"
	elif [ "$(entries_of)" != "$n" ]; then
		fail "$1: entries went from $n to $(entries_of)"
	else
		ok "$1: no file, no temporary file, no entry"
	fi
}
# --- the baseline: every person HR's, with extension characters,
# half-width kana, RFC 4180 quoting, dates, an empty position, and words
# that are not the first of their lists (再任用職員, 育児休業)
q "SELECT employee_no || ',' || name_kanji || ',' || name_kana || ',' ||
    department || ',' || position || ',正規,,,在職,' FROM person
    ORDER BY employee_no" >"$T/people"
{ echo "$HEAD"; cat "$T/people"
  echo 'E0900001,髙橋 﨑子,ﾀｶﾊｼ ｻｷｺ,総務課,主事,正規職員,2026-04-01,,在職,1985/4/1'
  echo 'E0900002,德永 栁①,トクナガ ヤナギ,"㈱派遣室,""東""",主事,委託,2026-04-01,2027-03-31,休職,'
  echo 'E0900003,新人 花子,シンジン ハナコ,税務課,,会計年度任用職員,,,在職,'
  echo 'E0900004,再任 次郎,サイニン ジロウ,税務課,主任,再任用職員,2026/4/1,,育児休業,'
  echo 'E0900005,退職 三郎,タイショク サブロウ,税務課,主任,正規職員,,2026-03-31,退職,1960-03-31'
} | sed "s/\$/$CR/" >"$T/base.csv"
expect_rc 0 "the baseline import" imp "$T/base.csv" --as-of 2026-04-01
rows=$(q "SELECT count(*) FROM person")

# --- two-person: without --approver nothing happens
snap
expect_rc 2 "without --approver: refused" pw 'demo\n' export people \
    "$O/a.csv" --format csv --user demo-admin
expect_out "two-person: --approver NAME" "it says a second person is needed"
printf '%s\n' "$OUT" | grep -q 'Password' &&
    fail "a password was asked for a refused export" ||
    ok "refused before anyone is asked for a password"
nothing_left "without --approver"

# --- people, CSV, UTF-8: the file, the entry, the round trip
expect_rc 0 "people, csv, utf-8" ex people "$O/p8.csv" --format csv
sha=$(sha256sum "$O/p8.csv" | cut -d' ' -f1)
expect_out "^sha256 $sha\$" "the SHA-256 shown is sha256sum's"
expect_out "$rows people" "the rows shown are the people"
"$DAICHO" log --dir "$D" -n 1 >"$T/last"
for want in "data.export +demo-admin\+demo-approver +export:people" \
    "what=people\$" "format=csv\$" "encoding=utf-8\$" "rows=$rows\$" \
    "file_sha256=$sha\$" "file=$(realpath "$O/p8.csv")\$"; do
	grep -Eq -- "$want" "$T/last" && ok "the entry records $want" ||
	    fail "the entry lacks /$want/: $(cat "$T/last")"
done
[ "$(stat -c %a "$O/p8.csv")" = 600 ] && ok "the file is 0600" ||
    fail "the file is mode $(stat -c %a "$O/p8.csv")"
[ "$(head -n 1 "$O/p8.csv")" = "$HEAD$CR" ] &&
    ok "the header is the import's, CRLF" ||
    fail "the header: $(head -n 1 "$O/p8.csv" | od -c | head -3)"
[ "$(grep -c "$CR\$" "$O/p8.csv")" = $((rows + 1)) ] &&
    [ "$(wc -l <"$O/p8.csv")" = $((rows + 1)) ] &&
    ok "a header and one CRLF line per person" ||
    fail "$(wc -l <"$O/p8.csv") lines for $rows people"
for want in 'E0900001,髙橋 﨑子,ﾀｶﾊｼ ｻｷｺ,総務課,主事,正規職員,2026-04-01,,在職,1985-04-01' \
    'E0900002,德永 栁①,トクナガ ヤナギ,"㈱派遣室,""東""",主事,委託,2026-04-01,2027-03-31,休職,' \
    'E0900003,新人 花子,シンジン ハナコ,税務課,,会計年度任用職員,,,在職,' \
    'E0900004,再任 次郎,サイニン ジロウ,税務課,主任,任期付職員,2026-04-01,,休職,' \
    'E0900005,退職 三郎,タイショク サブロウ,税務課,主任,正規職員,,2026-03-31,退職,1960-03-31'; do
	grep -qxF "$want$CR" "$O/p8.csv" && ok "row ${want%%,*} as written" ||
	    fail "no row $want: $(grep "^${want%%,*}," "$O/p8.csv")"
done

persons >"$T/before"
expect_rc 0 "the UTF-8 export imports back" imp "$O/p8.csv" \
    --encoding utf-8 --as-of 2026-04-01
expect_out "0 new, 0 changed, $rows unchanged, 0 missing from the export" \
    "nothing new or changed"
persons | cmp -s "$T/before" - && ok "the person table is byte-identical" ||
    fail "the person table changed: $(persons | diff "$T/before" - | head)"

# --- people, CSV, CP932
expect_rc 0 "people, csv, cp932" ex people "$O/p932.csv" --format csv \
    --encoding cp932
iconv -f UTF-8 -t CP932 "$O/p8.csv" | cmp -s - "$O/p932.csv" &&
    ok "the CP932 file is the UTF-8 one in CP932, no BOM" ||
    fail "the CP932 file differs from the UTF-8 one converted"
"$DAICHO" log --dir "$D" -n 1 >"$T/last"
grep -q "encoding=cp932" "$T/last" && grep -q "file_sha256=$(sha256sum \
    "$O/p932.csv" | cut -d' ' -f1)" "$T/last" &&
    ok "its entry records cp932 and its own SHA-256" ||
    fail "the cp932 entry: $(cat "$T/last")"
expect_rc 0 "the CP932 export imports back" imp "$O/p932.csv" \
    --as-of 2026-04-01
expect_out "read as cp932 \(detected\)" "read as CP932"
expect_out "0 new, 0 changed, $rows unchanged, 0 missing from the export" \
    "nothing new or changed"
persons | cmp -s "$T/before" - && ok "the person table is byte-identical" ||
    fail "the person table changed after the CP932 import"

# --- people, TSV
expect_rc 0 "people, tsv" ex people "$O/p.tsv" --format tsv
[ "$(head -n 1 "$O/p.tsv")" = "$(printf '%s' "$HEAD" | tr , '\t')" ] &&
    ok "the TSV header: the import's names, tabs, LF" ||
    fail "the TSV header: $(head -n 1 "$O/p.tsv" | od -c | head -3)"
[ "$(wc -l <"$O/p.tsv")" = $((rows + 1)) ] && ! grep -q "$CR" "$O/p.tsv" &&
    ok "one LF line per person" || fail "$(wc -l <"$O/p.tsv") lines"
grep -qxF "E0900002${TAB}德永 栁①${TAB}トクナガ ヤナギ${TAB}㈱派遣室,\"東\"${TAB}主事${TAB}委託${TAB}2026-04-01${TAB}2027-03-31${TAB}休職${TAB}" \
    "$O/p.tsv" && ok "a TSV row holds the values as they are" ||
    fail "the TSV row: $(grep '^E0900002' "$O/p.tsv")"

# --- a tab in a value (a row edited behind daicho's back): TSV refuses it
cp -a "$D" "$T/tabbed"
sqlite3 "$T/tabbed/daicho.db" "UPDATE person SET department = '総務' ||
    char(9) || '課' WHERE employee_no = 'E0000003'"
D0=$D
D=$T/tabbed
snap
expect_rc 2 "a tab in a TSV value" ex people "$O/tab.tsv" --format tsv
expect_out "line 4 \(person E0000003\), 所属: the value holds a tab" \
    "names the line, the person and the field"
nothing_left "a tab in a TSV value"
D=$D0

# --- every ID
expect_rc 0 "ids, csv" ex ids "$O/ids.csv" --format csv
ids=$(q "SELECT count(*) FROM account")
[ "$(head -n 1 "$O/ids.csv")" = \
    "system,login,kind,state,owner,owner_name,users,end_date,created$CR" ] &&
    ok "the IDs' English header" || fail "$(head -n 1 "$O/ids.csv")"
[ "$(wc -l <"$O/ids.csv")" = $((ids + 1)) ] && ok "one line per ID" ||
    fail "$(wc -l <"$O/ids.csv") lines for $ids IDs"
want=$(q "SELECT a.system || ',' || a.login || ',shared,' || a.state ||
    ',,,\"' || (SELECT group_concat(employee_no) FROM (SELECT employee_no
    FROM account_user WHERE system = a.system AND login = a.login ORDER BY
    employee_no)) || '\",,' || a.created_idx FROM account a WHERE kind =
    'shared' ORDER BY system, login LIMIT 1")
case $want in *'"E'*,E*) ;; *) fail "the demo has no shared ID: $want" ;; esac
grep -qxF "$want$CR" "$O/ids.csv" && ok "a shared ID with its users" ||
    fail "no line $want"
want=$(q "SELECT a.system || ',' || a.login || ',' || a.kind || ',' ||
    a.state || ',' || a.owner || ',' || p.name_kanji || ',,' ||
    coalesce(a.end_date, '') || ',' || a.created_idx FROM account a JOIN
    person p ON p.employee_no = a.owner WHERE a.end_date IS NOT NULL
    ORDER BY system, login LIMIT 1")
grep -qxF "$want$CR" "$O/ids.csv" &&
    ok "an ID with its owner's name and end date" || fail "no line $want"
"$DAICHO" log --dir "$D" -n 1 >"$T/last"
grep -q "export:ids" "$T/last" && grep -q "rows=$ids\$" "$T/last" &&
    ok "the entry records the IDs' count" || fail "$(cat "$T/last")"
expect_rc 0 "ids, tsv, cp932" ex ids "$O/ids.tsv" --format tsv \
    --encoding cp932
iconv -f CP932 -t UTF-8 "$O/ids.tsv" | head -n 1 | grep -qx \
    "system${TAB}login${TAB}kind${TAB}state${TAB}owner${TAB}owner_name${TAB}users${TAB}end_date${TAB}created" &&
    ok "the IDs' TSV header" || fail "$(head -n 1 "$O/ids.tsv")"

# --- a name CP932 cannot hold: no file, no entry
expect_rc 0 "person.add lets 𠮷 in" pw 'demo\n' act person.add \
    employee_no=E0900099 name_kanji='𠮷田 太郎' name_kana='ヨシダ　タロウ' \
    department=総務課 position=主事 employment=regular \
    start_date=2026-04-01 --user demo-admin
snap
expect_rc 2 "a name CP932 cannot hold" ex people "$O/yoshida.csv" \
    --format csv --encoding cp932
expect_out 'person E0900099, 氏名 "𠮷田 太郎": 𠮷 \(U\+20BB7\) cannot be written in cp932' \
    "names the person, the field and the character"
expect_out "nothing was written" "says nothing was written"
nothing_left "a name CP932 cannot hold"
expect_rc 0 "the same in UTF-8" ex people "$O/yoshida8.csv" --format csv
grep -q '^E0900099,𠮷田 太郎,' "$O/yoshida8.csv" && ok "UTF-8 holds it" ||
    fail "no 𠮷田 in the UTF-8 export"

# --- FILE: never over anything, in a directory that exists
echo keep >"$O/exists.csv"
snap
expect_rc 2 "an existing FILE" ex people "$O/exists.csv" --format csv
expect_out "exists.csv: already exists; an export never writes over a file" \
    "says so"
printf '%s\n' "$OUT" | grep -q 'Password' &&
    fail "a password was asked for a FILE that exists" ||
    ok "refused before anyone is asked for a password"
[ "$(cat "$O/exists.csv")" = keep ] && ok "the file is untouched" ||
    fail "exists.csv was changed"
nothing_left "an existing FILE"
ln -s "$T/elsewhere" "$O/link.csv"
snap
expect_rc 2 "a symbolic link as FILE" ex people "$O/link.csv" --format csv
expect_out "link.csv: already exists" "is refused as existing"
[ ! -e "$T/elsewhere" ] && ok "nothing was made where it points" ||
    fail "the link's target was written"
nothing_left "a symbolic link as FILE"
expect_rc 2 "a directory that does not exist" ex people "$T/nowhere/p.csv" \
    --format csv
expect_out "nowhere/p.csv: the directory .*nowhere: No such file" "says so"
[ ! -e "$T/nowhere" ] && ok "no directory was made" ||
    fail "$T/nowhere was made"
nothing_left "a directory that does not exist"

# --- a write that fails (the file size limit) leaves nothing
# SIGXFSZ ignored, so that write(2) fails with EFBIG instead.
# The limit is 40 KB: room for SQLite's shared memory (32 KB), not for the
# people (about 45 KB); ulimit -f counts 1 KB blocks in bash, 512 bytes in
# POSIX shells.
[ -n "${BASH_VERSION:-}" ] && blocks=40 || blocks=80
big() {
	(trap '' XFSZ; ulimit -f $blocks; ex people "$O/big.csv" --format csv)
}
snap
expect_rc 2 "a write that fails" big
expect_out "\.daicho-export-[0-9a-f]{16}: File too large" \
    "names the temporary file and the error"
nothing_left "a write that fails"

# --- the configured headers and words
cp "$T/cli.conf" "$T/cli.conf.orig"
printf 'hr_column_name = Name\nhr_status_active = 勤務中, 在職\n' >>"$T/cli.conf"
expect_rc 0 "configured headers and words" ex people "$O/conf.csv" --format csv
head -n 1 "$O/conf.csv" | grep -q '^職員番号,Name,氏名カナ,' &&
    ok "the configured header is written" || fail "$(head -n 1 "$O/conf.csv")"
grep -q '^E0900001,.*,勤務中,1985-04-01'"$CR"'$' "$O/conf.csv" &&
    ok "the first word of the configured list is written" ||
    fail "$(grep '^E0900001,' "$O/conf.csv")"
printf 'hr_status_leave = 在職, 休職\n' >>"$T/cli.conf"
snap
expect_rc 2 "a first word that reads back as another value" ex people \
    "$O/ambiguous.csv" --format csv
expect_out 'hr_status_leave: its first word "在職" is also in hr_status_active' \
    "names the settings"
nothing_left "a first word that reads back as another value"
cp "$T/cli.conf.orig" "$T/cli.conf"

# --- the entry cannot be forged
expect_rc 2 "act data.export is refused" pw 'demo\ndemo\n' act data.export \
    what=people format=csv encoding=utf-8 rows=1 file=/tmp/x \
    file_sha256="$(printf '%064d' 0)" --user demo-admin \
    --approver demo-approver
expect_out "written by daicho itself" "it is daicho's own"

expect_rc 0 "verify --replay" "$DAICHO" verify --replay --dir "$D"
expect_out "replay: the state tables match the ledger" "replay matches"

# --- HR's own export (bench/mkhr: CRLF, the first words, extension
# characters, half-width kana) comes back byte for byte from a new city
MKHR=${MKHR:-$(dirname "$DAICHO")/bench/mkhr}
[ -x "$MKHR" ] || { echo "FATAL: $MKHR is not built" >&2; exit 99; }
demo_cli "$T/demo2"
"$MKHR" "$T/hr.csv" 1000 >/dev/null
"$MKHR" "$T/hr8.csv" 1000 --encoding utf-8 >/dev/null
expect_rc 0 "HR's export imported" imp "$T/hr.csv" --as-of 2026-04-01
expect_rc 0 "exported in CP932" ex people "$O/hr.csv" --format csv \
    --encoding cp932
cmp -s "$T/hr.csv" "$O/hr.csv" && ok "the CP932 export is HR's file, byte for byte" ||
    fail "the CP932 export differs from HR's: $(cmp "$T/hr.csv" "$O/hr.csv")"
expect_rc 0 "exported in UTF-8" ex people "$O/hr8.csv" --format csv
cmp -s "$T/hr8.csv" "$O/hr8.csv" && ok "the UTF-8 export is HR's file, byte for byte" ||
    fail "the UTF-8 export differs from HR's: $(cmp "$T/hr8.csv" "$O/hr8.csv")"
finish
