#!/bin/sh
# bench/sweep-run.sh -- the sweep's figures (bench/run calls it): a
# synthetic city of BENCH_SWEEP_IDS IDs (mkcity manual, with a third as
# many people), BENCH_SWEEP_DUE of them past their end date, swept by
# bench-sweep (every due item recorded and its target operation queued),
# then swept again with nothing due.  Prints "name value" lines.
set -eu
: "${MKCITY:?}" "${BENCH_SWEEP:?}"
: "${BENCH_SWEEP_IDS:=600000}"
: "${BENCH_SWEEP_DUE:=10000}"
W=$(mktemp -d "${TMPDIR:-/tmp}/daicho-sweep.XXXXXX")
chmod 700 "$W"
trap 'rm -rf "$W"' EXIT

"$MKCITY" manual "$W/city" "$((BENCH_SWEEP_IDS / 3))" "$BENCH_SWEEP_IDS" \
    >"$W/city.out"
"$BENCH_SWEEP" "$W/city" "$BENCH_SWEEP_DUE"
awk '$1 == "mkcity.seconds" { print "sweep.city_s", $2 }' "$W/city.out"
