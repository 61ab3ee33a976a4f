#!/usr/bin/env bash
# Benchmark of `geoadmin import` (figures in bench/README.md): 1,000,000 place-name records
# from CSV, with every check and provenance, into SpatiaLite and into PostGIS, each against
# ogr2ogr copying the same file into the same kind of database (ogr2ogr uses COPY for
# PostgreSQL); then the re-import of the unchanged file. Each ratio comes from one run of
# this script on one machine.
#
#   bench/import.sh [BUILD_DIR] [WORK_DIR] [RECORDS]
#
# The input is made by geoadmin_make_names (real township codes and name parts from
# ../shared/data). PostGIS: a private server is started in WORK_DIR/pg with
# tests/support/pg_server.sh and stopped at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
work=${2:-/tmp/geoadmin-bench-import}
n=${3:-1000000}
data=$here/../../shared/data
geoadmin=$build/tools/geoadmin
mkdir -p "$work"
f=$work/names_$n.csv
if [ ! -s "$f" ]; then
  "$build/bench/geoadmin_make_names" --streets "$data/nbs-codes-2023/streets.csv" \
    --points "$data/nbs-codes-2016/adcode_levels0-4_towns_2016.csv" \
    --count "$n" --out "$f" --planted "$work/planted_$n.csv" > /dev/null
fi

measure() {  # label command...: wall seconds and peak RSS; LAST_WALL for ratios
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/stdout.txt" 2> "$work/stderr.txt" || true
  read -r wall rss < <(tail -1 "$work/time.txt")
  echo "$label: ${wall} s wall, $((rss / 1024)) MB peak RSS $(grep -h 'read and check' "$work/stderr.txt" || true)"
  LAST_WALL=$wall
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

bash "$here/../tests/support/pg_server.sh" start "$work/pg" > /dev/null
trap 'bash "$here/../tests/support/pg_server.sh" stop "$work/pg"' EXIT
export PGOPTIONS=--client-min-messages=warning

for backend in spatialite postgis; do
  if [ $backend = spatialite ]; then
    rm -f "$work/archive.sqlite" "$work/ogr.sqlite"
    db=$work/archive.sqlite
    measure "ogr2ogr -f SQLite -dsco SPATIALITE=YES" ogr2ogr -f SQLite -dsco SPATIALITE=YES "$work/ogr.sqlite" "$f"
  else
    db=$(bash "$here/../tests/support/pg_server.sh" createdb "$work/pg" bench_import | tail -1)
    ogr=$(bash "$here/../tests/support/pg_server.sh" createdb "$work/pg" bench_ogr | tail -1)
    measure "ogr2ogr -f PostgreSQL" ogr2ogr -f PostgreSQL "$ogr" "$f"
  fi
  base=$LAST_WALL
  "$geoadmin" db init --db "$db" > /dev/null
  measure "geoadmin import $n records ($backend)" "$geoadmin" import "$f" --db "$db" \
    --on-error accept --fail-on never -q --timings -o "$work/findings.jsonl"
  first=$LAST_WALL
  echo "  ratio to ogr2ogr: $(ratio "$first" "$base")"
  measure "geoadmin import, the same file again ($backend)" "$geoadmin" import "$f" --db "$db" \
    --on-error accept --fail-on never -q --timings
  echo "  ratio to the first import: $(ratio "$LAST_WALL" "$first")"
done
