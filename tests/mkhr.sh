# tests/mkhr.sh -- the synthetic HR export (bench/mkhr) the import
# benchmark and the year-of-snapshots tests read: RFC 4180 with CRLF and
# the default headers, CP932 that iconv reads back to exactly the UTF-8
# form (NEC and IBM extension characters and half-width kana included),
# the people of core_synth_person by employee number, and a year whose
# snapshots agree: leave and return, March retirements, April transfers
# and joiners.  Bad arguments are refused.
. "$srcdir/tests/lib.sh"
need iconv awk cmp sort join

B=$(dirname "$DAICHO")
MKHR=${MKHR:-$B/bench/mkhr}
if [ ! -x "$MKHR" ]; then
	echo "FATAL: $MKHR is not built" >&2
	exit 99
fi
N=2000

# value NAME: NAME's value in the last run's "name value" lines.
value() { printf '%s\n' "$OUT" | awk -v n="mkhr.$1" '$1 == n { print $2 }'; }

expect_rc 2 "no arguments" "$MKHR"
expect_rc 2 "a count of 0" "$MKHR" "$T/x.csv" 0
expect_rc 2 "an unknown encoding" "$MKHR" "$T/x.csv" 10 --encoding latin1
expect_rc 2 "snapshot 13" "$MKHR" "$T/x.csv" 10 --snapshot 13
expect_rc 2 "an option without its value" "$MKHR" "$T/x.csv" 10 --seed
expect_rc 2 "an unknown option" "$MKHR" "$T/x.csv" 10 --month 3

for k in 0 5 11 12; do
	expect_rc 0 "snapshot $k in CP932" "$MKHR" "$T/s$k.csv" $N --snapshot $k
	expect_rc 0 "snapshot $k in UTF-8" \
	    "$MKHR" "$T/u$k.csv" $N --snapshot $k --encoding utf-8
	[ "$(value encoding)" = utf-8 ] && ok "it says utf-8" ||
	    fail "encoding: $(value encoding)"
	[ "$(value bytes)" = "$(wc -c <"$T/u$k.csv")" ] &&
	    ok "mkhr.bytes is the file's size" || fail "bytes: $(value bytes)"
	iconv -f CP932 -t UTF-8 "$T/s$k.csv" >"$T/d$k.csv" &&
	    ok "iconv reads snapshot $k as CP932" || fail "iconv failed"
	cmp -s "$T/d$k.csv" "$T/u$k.csv" &&
	    ok "and gets the UTF-8 export's text" || fail "CP932 text differs"
	iconv -f UTF-8 -t CP932 "$T/u$k.csv" | cmp -s - "$T/s$k.csv" &&
	    ok "which converts back to the same bytes" ||
	    fail "the round trip changed bytes"
done
OUT=$("$MKHR" "$T/s0.csv" $N)
[ "$(value rows)" = $N ] && ok "mkhr.rows $N" || fail "rows: $(value rows)"

# The UTF-8 text without CR, one field per column, for awk.
for k in 0 5 11 12; do
	tr -d '\r' <"$T/u$k.csv" >"$T/t$k"
done

printf '職員番号,氏名,氏名カナ,所属,職位,職員区分,異動日,退職日,在職区分,生年月日\r\n' \
    >"$T/head"
head -n 1 "$T/u0.csv" | cmp -s - "$T/head" && ok "the header row, exactly" ||
    fail "header: $(head -n 1 "$T/u0.csv")"
[ "$(grep -c "$(printf '\r')\$" "$T/u0.csv")" = $((N + 1)) ] &&
    ok "every line ends in CRLF" || fail "lines without CR"
awk -F, 'NF != 10 { bad++ } END { exit bad > 0 }' "$T/t0" &&
    ok "every row has ten fields" || fail "a row without ten fields"
awk -F, 'NR > 1 && $1 != sprintf("E%07d", NR - 1) { bad++ }
    END { exit bad > 0 || NR != '$((N + 1))' }' "$T/t0" &&
    ok "employee numbers E0000001 .. in order" || fail "employee numbers"
awk -F, 'NR > 1 && ($8 != "" || $9 != "在職" || $7 !~ /^[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]$/ ||
    $7 >= "2026-04-01") { bad++ } END { exit bad > 0 }' "$T/t0" &&
    ok "the baseline: everyone 在職, no 退職日, 異動日 a date before it" ||
    fail "baseline rows"
awk -F, 'NR > 1 && $6 !~ /^(正規職員|任期付職員|会計年度任用職員|委託)$/ { bad++ }
    NR > 1 && $6 == "正規職員" { reg++ }
    END { exit bad > 0 || reg * 2 < NR }' "$T/t0" &&
    ok "職員区分 one of the four, mostly 正規職員" || fail "職員区分"

# What HR systems write: U+3000 in names, variant kanji and NEC/IBM
# extension characters, half-width readings.
grep -q '^E[0-9]*,[^,]*　' "$T/t0" && ok "氏名 with an ideographic space" ||
    fail "no U+3000 in names"
for c in 髙 齋 淸 ㈱ ﾀ; do
	grep -q "$c" "$T/t0" && ok "the export has $c" || fail "no $c"
done
printf '\xef\xa7\x9c' >"$T/ryu"
grep -qF -f "$T/ryu" "$T/t0" && ok "and 隆 as the compatibility ideograph" ||
    fail "no U+F9DC"
printf '髙' | iconv -f UTF-8 -t CP932 >"$T/taka"
grep -qF -f "$T/taka" "$T/s0.csv" && ok "髙 in the CP932 file as CP932" ||
    fail "no CP932 髙"
awk -F, 'NR > 1 && $2 ~ /^(髙橋|渡邊|渡邉|齋藤|淸水)/ { v++ } END {
    exit !(v * 40 > NR && v * 10 < NR) }' "$T/t0" &&
    ok "about 1 in 20 surnames in a variant spelling" ||
    fail "variant surnames: $(grep -c '^E[0-9]*,\(髙橋\|渡邊\|渡邉\|齋藤\|淸水\)' "$T/t0")"

# The same people in every snapshot: numbers, names and readings.
cut -d, -f1-3 "$T/t0" >"$T/names0"
for k in 5 11; do
	cut -d, -f1-3 "$T/t$k" | cmp -s - "$T/names0" &&
	    ok "snapshot $k has the baseline's people" || fail "snapshot $k people"
done
head -n $((N + 1)) "$T/t12" | cut -d, -f1-3 | cmp -s - "$T/names0" &&
    ok "snapshot 12 too, first" || fail "snapshot 12 people"
[ "$(sed -n "$((N + 2))p" "$T/t12" | cut -d, -f1)" = E0002001 ] &&
[ "$(tail -n 1 "$T/t12" | cut -d, -f1)" = E0002020 ] &&
    ok "then N / 100 joiners, E0002001 .. E0002020" ||
    fail "joiners: $(tail -n 1 "$T/t12")"
tail -n 20 "$T/t12" | awk -F, '$7 != "2027-04-01" || $9 != "在職" ||
    $8 != "" { bad++ } END { exit bad > 0 }' &&
    ok "joiners start on 2027-04-01" || fail "joiner rows"

# The year: leave at some snapshot, March retirements, April moves.
awk -F, '$9 == "休職" { n++ } END { exit n == 0 }' "$T/t5" &&
    ok "someone is on leave in snapshot 5" || fail "nobody on leave"
awk -F, '$9 == "休職" { print $1 }' "$T/t5" | sort >"$T/leave5"
awk -F, '$9 == "在職" { print $1 }' "$T/t11" | sort >"$T/work11"
[ -n "$(join "$T/leave5" "$T/work11")" ] &&
    ok "and someone on leave then is back by snapshot 11" ||
    fail "nobody returned"
awk -F, '$8 == "2027-03-31" && $9 == "在職" { print $1 }' "$T/t11" |
    sort >"$T/ret11"
awk -F, '$8 == "2027-03-31" && $9 == "退職" { print $1 }' "$T/t12" |
    sort >"$T/ret12"
n=$(wc -l <"$T/ret11")
[ "$n" -gt $((N / 100)) ] && [ "$n" -lt $((N * 4 / 100)) ] &&
    ok "about 2% have 退職日 2027-03-31 in March ($n)" || fail "retiring: $n"
cmp -s "$T/ret11" "$T/ret12" &&
    ok "and the same people are 退職 in April" || fail "retirees differ"
awk -F, 'NR > 1 && $8 != "" && $8 != "2027-03-31" { bad++ } END { exit bad > 0 }' \
    "$T/t12" && ok "no other 退職日" || fail "other 退職日"
awk -F, 'NR == FNR { dept[$1] = $4; next }
    $7 == "2027-04-01" && FNR <= '$((N + 1))' {
	moved++; if (dept[$1] == $4) same++ }
    END { exit !(moved * 40 > '$N' && moved * 10 < '$N' && same == 0) }' \
    "$T/t0" "$T/t12" &&
    ok "about 5% move on 2027-04-01, each to another department" ||
    fail "movers"
awk -F, 'NR > 1 && $7 >= "2026-04-01" { bad++ } END { exit bad > 0 }' \
    "$T/t11" && ok "nobody moves before April" || fail "early moves"

# Deterministic, and the seed is what changes it.
"$MKHR" "$T/again.csv" $N --snapshot 12 >/dev/null
cmp -s "$T/again.csv" "$T/s12.csv" && ok "the same arguments, the same bytes" ||
    fail "two runs differ"
"$MKHR" "$T/seed.csv" $N --seed 7 >/dev/null
cmp -s "$T/seed.csv" "$T/s0.csv" && fail "--seed changed nothing" ||
    ok "another seed, other people"
finish
