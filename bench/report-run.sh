#!/bin/sh
# bench/report-run.sh -- the sealed report's figures (bench/run calls it):
# "daicho verify-report" on a report package, the median of
# BENCH_REPORT_RUNS runs of the whole command, in ms.
#
#	report-run.sh [PKGDIR ROOTKEY]
#
# With a package (its directory and the ledger's root verifier key), that
# one is checked.  Without, a synthetic city of BENCH_REPORT_IDS IDs
# (mkcity manual, a third as many people) gets a stocktake of every ID,
# every item decided and the campaign closed (bench-stkreport), and
# "daicho report stocktake N" writes the package of its review list:
# report.verify_ms.  For information, the same city's annual inspection
# report is sealed (bench-report) and checked (report.insp.*), and a
# small city whose ledger has BENCH_REPORT_ROTATIONS rotations (a year
# of a working day's hourly rotations is about 2,500): every one is a
# link of the chain, its signature checked.  Prints "name value" lines.
set -eu
: "${DAICHO:?}"
: "${BENCH_REPORT_IDS:=600000}"
: "${BENCH_REPORT_RUNS:=7}"
: "${BENCH_REPORT_ROTATIONS:=2500}"
W=$(mktemp -d "${TMPDIR:-/tmp}/daicho-report.XXXXXX")
chmod 700 "$W"
trap 'rm -rf "$W"' EXIT

if [ $# -eq 2 ]; then
	PKG=$1
	ROOT=$2
else
	: "${MKCITY:?}" "${BENCH_REPORT:?}" "${BENCH_STKREPORT:?}"
	"$MKCITY" manual "$W/city" "$((BENCH_REPORT_IDS / 3))" \
	    "$BENCH_REPORT_IDS" >"$W/city.out"
	"$BENCH_STKREPORT" "$W/city" >"$W/stk.out"
	cat "$W/stk.out"
	N=$(awk '$1 == "stkreport.campaign" { print $2 }' "$W/stk.out")
	"$DAICHO" report stocktake "$N" --out "$W/pkg" --dir "$W/city" \
	    >/dev/null
	PKG=$W/pkg
	ROOT=$(cat "$W/city/root.pub")
fi
# timed NAME PKG ROOT: the median and the slowest of the runs, in ms.
timed() {
	"$DAICHO" verify-report "$2" --root-key "$3" >/dev/null
	i=0
	while [ "$i" -lt "$BENCH_REPORT_RUNS" ]; do
		t0=$(date +%s%N)
		"$DAICHO" verify-report "$2" --root-key "$3" >/dev/null
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000))
		i=$((i + 1))
	done | sort -n | awk -v k="$1" '{ v[NR] = $1 } END {
		printf "%s %.1f\n%s_max %.1f\n", k, v[int((NR + 1) / 2)] / 1000,
		    k, v[NR] / 1000 }'
}
timed report.verify_ms "$PKG" "$ROOT"
echo "report.package_bytes $(du -sb "$PKG" | cut -f1)"
echo "report.chain_files $(ls "$PKG/chain" | wc -l)"

if [ $# -ne 2 ]; then
	FY=$(date +%Y)
	[ "$(date +%m)" -ge 4 ] || FY=$((FY - 1))
	"$BENCH_REPORT" "$W/city" "$FY"
	"$DAICHO" report inspection "$FY" --out "$W/ipkg" --dir "$W/city" \
	    >/dev/null
	timed report.insp.verify_ms "$W/ipkg" "$ROOT"
	echo "report.insp.package_bytes $(du -sb "$W/ipkg" | cut -f1)"
fi

if [ "$BENCH_REPORT_ROTATIONS" -gt 0 ] && [ -n "${MKCITY:-}" ] &&
    [ -n "${BENCH_REPORT:-}" ]; then
	"$MKCITY" manual "$W/small" 30 100 >/dev/null
	FY=$(date +%Y)
	[ "$(date +%m)" -ge 4 ] || FY=$((FY - 1))
	"$BENCH_REPORT" "$W/small" "$FY" "$BENCH_REPORT_ROTATIONS" |
	    sed 's/^report\./report.rot./'
	"$DAICHO" report inspection "$FY" --out "$W/rpkg" --dir "$W/small" \
	    >/dev/null
	timed report.rot.verify_ms "$W/rpkg" "$(cat "$W/small/root.pub")"
	echo "report.rot.package_bytes $(du -sb "$W/rpkg" | cut -f1)"
fi
