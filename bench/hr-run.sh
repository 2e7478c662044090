#!/bin/sh
# bench/hr-run.sh -- the HR import's figures (bench/run calls it): a
# synthetic city of BENCH_HR_PEOPLE people and BENCH_HR_IDS IDs (mkcity
# manual), its HR export in CP932 (bench/mkhr) imported twice with
# bench-hr: the baseline (every record set from HR the first time) and
# next April's export (the year's transfers, retirements and joiners),
# each followed by the findings against every ID.  The baseline for the
# ratio: sqlite3's own .import of April's rows, already in UTF-8, into a
# new table, timed in the same run.  Prints "name value" lines.
set -eu
: "${MKCITY:?}" "${MKHR:?}" "${BENCH_HR:?}"
: "${BENCH_HR_PEOPLE:=200000}"
: "${BENCH_HR_IDS:=600000}"
W=$(mktemp -d "${TMPDIR:-/tmp}/daicho-hr.XXXXXX")
chmod 700 "$W"
trap 'rm -rf "$W"' EXIT

"$MKCITY" manual "$W/city" "$BENCH_HR_PEOPLE" "$BENCH_HR_IDS" >"$W/city.out"
"$MKHR" "$W/y0.csv" "$BENCH_HR_PEOPLE" --snapshot 0 >/dev/null
"$MKHR" "$W/y12.csv" "$BENCH_HR_PEOPLE" --snapshot 12 >/dev/null
"$BENCH_HR" "$W/city" "$W/y0.csv" 2026-04-01 >"$W/base.out"
"$BENCH_HR" "$W/city" "$W/y12.csv" 2027-04-01 >"$W/april.out"

iconv -f CP932 -t UTF-8 "$W/y12.csv" >"$W/y12.utf8.csv"
t0=$(date +%s.%N)
sqlite3 "$W/plain.db" ".import --csv $W/y12.utf8.csv t"
t1=$(date +%s.%N)

sed 's/^hr\./hr.base./' "$W/base.out"
sed 's/^hr\./hr.april./' "$W/april.out"
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "hr.sqlite_import_s %.3f\n", b - a }'
awk '$1 == "mkcity.seconds" { print "hr.city_s", $2 }' "$W/city.out"
