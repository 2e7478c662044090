#!/bin/sh
# bench/stocktake-run.sh -- the stocktake's figure (bench/run calls it): a
# synthetic city of BENCH_STOCKTAKE_IDS IDs (mkcity manual, with a third
# as many people) whose stocktake of every ID bench-stocktake starts:
# the findings, the snapshot blob and the items.  Prints "name value"
# lines.
set -eu
: "${MKCITY:?}" "${BENCH_STOCKTAKE:?}"
: "${BENCH_STOCKTAKE_IDS:=600000}"
W=$(mktemp -d "${TMPDIR:-/tmp}/daicho-stocktake.XXXXXX")
chmod 700 "$W"
trap 'rm -rf "$W"' EXIT

"$MKCITY" manual "$W/city" "$((BENCH_STOCKTAKE_IDS / 3))" \
    "$BENCH_STOCKTAKE_IDS" >"$W/city.out"
"$BENCH_STOCKTAKE" "$W/city"
