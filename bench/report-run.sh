#!/bin/sh
# bench/report-run.sh -- the sealed report's figures (bench/run calls it):
# "daicho verify-report" on a report package, the median of
# BENCH_REPORT_RUNS runs of the whole command, in ms.
#
#	report-run.sh [PKGDIR ROOTKEY]
#
# With a package (its directory and the ledger's root verifier key), that
# one is checked.  Without, a synthetic city of BENCH_REPORT_IDS IDs
# (mkcity manual, a third as many people) gets its annual inspection
# report sealed (bench-report) and written by "daicho report inspection".
# Prints "name value" lines.
set -eu
: "${DAICHO:?}"
: "${BENCH_REPORT_IDS:=600000}"
: "${BENCH_REPORT_RUNS:=7}"
W=$(mktemp -d "${TMPDIR:-/tmp}/daicho-report.XXXXXX")
chmod 700 "$W"
trap 'rm -rf "$W"' EXIT

if [ $# -eq 2 ]; then
	PKG=$1
	ROOT=$2
else
	: "${MKCITY:?}" "${BENCH_REPORT:?}"
	"$MKCITY" manual "$W/city" "$((BENCH_REPORT_IDS / 3))" \
	    "$BENCH_REPORT_IDS" >"$W/city.out"
	FY=$(date +%Y)
	[ "$(date +%m)" -ge 4 ] || FY=$((FY - 1))
	"$BENCH_REPORT" "$W/city" "$FY"
	"$DAICHO" report inspection "$FY" --out "$W/pkg" --dir "$W/city" \
	    >/dev/null
	PKG=$W/pkg
	ROOT=$(cat "$W/city/root.pub")
fi
"$DAICHO" verify-report "$PKG" --root-key "$ROOT" >/dev/null
i=0
while [ "$i" -lt "$BENCH_REPORT_RUNS" ]; do
	t0=$(date +%s%N)
	"$DAICHO" verify-report "$PKG" --root-key "$ROOT" >/dev/null
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
	i=$((i + 1))
done | sort -n | awk '{ v[NR] = $1 } END {
	printf "report.verify_ms %.1f\nreport.verify_ms_max %.1f\n",
	    v[int((NR + 1) / 2)] / 1000, v[NR] / 1000 }'
echo "report.package_bytes $(du -sb "$PKG" | cut -f1)"
echo "report.chain_files $(ls "$PKG/chain" | wc -l)"
