#!/usr/bin/env bash
# Benchmark of `geoadmin names check` and `geoadmin names romanize` (figures in README.md).
#
#   bench/names.sh [BUILD_DIR] [WORK_DIR]
#
# Generates census-like files of 1,000,000 and 13,200,000 records with
# geoadmin_make_names (real township codes and name parts from ../shared/data), then
# measures with /usr/bin/time: wall time, records/s and peak RSS of `names check` on each;
# ogr2ogr copying the 1M file into SpatiaLite (the same CSV, the same machine);
# `names romanize` on the 1M names, and pinyin-pro (npm, installed into WORK_DIR) on
# the same names. Needs ../shared/data beside the checkout, node and npm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
work=${2:-/tmp/geoadmin-bench-names}
data=$here/../../shared/data
geoadmin=$build/tools/geoadmin
make_names=$build/bench/geoadmin_make_names
mkdir -p "$work"

measure() {  # label command...: prints wall seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null 2> "$work/stderr.txt" || true
  read -r wall rss < <(tail -1 "$work/time.txt")
  echo "$label: ${wall} s wall, $((rss / 1024)) MB peak RSS"
  LAST_WALL=$wall
}

for n in 1000000 13200000; do
  f=$work/names_$n.csv
  if [ ! -s "$f" ]; then
    "$make_names" --streets "$data/nbs-codes-2023/streets.csv" \
      --points "$data/nbs-codes-2016/adcode_levels0-4_towns_2016.csv" \
      --count "$n" --out "$f" --planted "$work/planted_$n.csv"
  fi
done

for n in 1000000 13200000; do
  measure "names check $n records" "$geoadmin" names check "$work/names_$n.csv" -q \
    -o "$work/findings_$n.jsonl"
  echo "  $(awk -v n="$n" -v t="$LAST_WALL" 'BEGIN { printf "%.0f records/s", n / t }'),"\
       "$(wc -l < "$work/findings_$n.jsonl") findings"
done

# The ratio, in five pairs measured back to back (this machine's load moves both).
for pair in 1 2 3 4 5; do
  rm -f "$work/copy.sqlite"
  measure "ogr2ogr CSV -> SpatiaLite, 1000000 records" ogr2ogr -f SQLite -dsco SPATIALITE=YES \
    "$work/copy.sqlite" "$work/names_1000000.csv" -gt 65536
  ogr_1m=$LAST_WALL
  measure "names check 1000000 records" "$geoadmin" names check "$work/names_1000000.csv" -q \
    -o "$work/findings_1000000.jsonl"
  echo "  pair $pair: check / ogr2ogr copy = $(awk -v a="$LAST_WALL" -v b="$ogr_1m" \
    'BEGIN { printf "%.2f", a / b }')"
done

cut -d, -f2 "$work/names_1000000.csv" | tail -n +2 | grep -v '^$' > "$work/names.txt"
measure "names romanize $(wc -l < "$work/names.txt") names" \
  bash -c "'$geoadmin' names romanize < '$work/names.txt'"
echo "  $(awk -v n="$(wc -l < "$work/names.txt")" -v t="$LAST_WALL" 'BEGIN { printf "%.0f names/s", n / t }')"
if [ ! -d "$work/node/node_modules/pinyin-pro" ]; then
  mkdir -p "$work/node"
  (cd "$work/node" && npm install --silent pinyin-pro@3 > /dev/null)
fi
NODE_PATH=$work/node/node_modules node "$here/node/pinyin_pro_bench.js" "$work/names.txt"
