#!/usr/bin/env bash
# Benchmark of `geoadmin import` (figures in bench/README.md): 1,000,000 place-name records
# (names) or about 1,000,000 boundary markers with their lines (markers) from CSV, with
# every check and provenance, into SpatiaLite and into PostGIS, each against ogr2ogr
# copying the same files into the same kind of database (ogr2ogr uses COPY for
# PostgreSQL); then the re-import of the unchanged files. Each ratio comes from one run of
# this script on one machine.
#
#   bench/import.sh [BUILD_DIR] [WORK_DIR] [RECORDS] [names|markers]
#
# Place names are made by geoadmin_make_names (real township codes and name parts from
# ../shared/data); markers by geoadmin_make_markers (RECORDS / 11 synthetic lines, markers
# every 650 m, triples at the junctions, as in the markers check benchmark). PostGIS: a
# private server is started in WORK_DIR/pg with tests/support/pg_server.sh and stopped at
# the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
work=${2:-/tmp/geoadmin-bench-import}
n=${3:-1000000}
kind=${4:-names}
data=$here/../../shared/data
geoadmin=$build/tools/geoadmin
mkdir -p "$work"
if [ "$kind" = names ]; then
  f=$work/names_$n.csv
  if [ ! -s "$f" ]; then
    "$build/bench/geoadmin_make_names" --streets "$data/nbs-codes-2023/streets.csv" \
      --points "$data/nbs-codes-2016/adcode_levels0-4_towns_2016.csv" \
      --count "$n" --out "$f" --planted "$work/planted_$n.csv" > /dev/null
  fi
  inputs=("$f")
  options=()
else
  f=$work/markers_$n/register.csv
  lines=$work/markers_$n/lines.gpkg
  if [ ! -s "$f" ]; then
    mkdir -p "$work/markers_$n"
    "$build/bench/geoadmin_make_markers" --synthetic-lines $((n / 11)) --lines-out "$lines" \
      --out "$f" --spacing 650 --encoding UTF-8 > /dev/null
  fi
  echo "markers: $(($(wc -l < "$f") - 1)) in $f, lines: $lines"
  inputs=("$f" "$lines")
  options=(--scheme '^(.+)-(\d{3})([QABCDE])$')
fi

measure() {  # label command...: wall seconds and peak RSS; LAST_WALL for ratios
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/stdout.txt" 2> "$work/stderr.txt" || true
  read -r wall rss < <(tail -1 "$work/time.txt")
  echo "$label: ${wall} s wall, $((rss / 1024)) MB peak RSS $(grep -h 'read and check' "$work/stderr.txt" || true)"
  LAST_WALL=$wall
}
copy_all() {  # ogr2ogr ARGS... DEST: every input into DEST, one after the other
  local first=1
  for input in "${inputs[@]}"; do
    if [ $first = 1 ]; then "$@" "$input"; first=0; else "$@" "$input" -update; fi
  done
}
measure_copy() {  # label ogr2ogr ARGS... DEST: wall seconds of copy_all (a shell function)
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  copy_all "$@" > "$work/stdout.txt" 2> "$work/stderr.txt" || true
  t1=$(date +%s.%N)
  LAST_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  echo "$label: ${LAST_WALL} s wall"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

bash "$here/../tests/support/pg_server.sh" start "$work/pg" > /dev/null
trap 'bash "$here/../tests/support/pg_server.sh" stop "$work/pg"' EXIT
export PGOPTIONS=--client-min-messages=warning

for backend in spatialite postgis; do
  if [ $backend = spatialite ]; then
    rm -f "$work/archive.sqlite" "$work/ogr.sqlite"
    db=$work/archive.sqlite
    measure_copy "ogr2ogr -f SQLite -dsco SPATIALITE=YES" ogr2ogr -f SQLite \
      -dsco SPATIALITE=YES "$work/ogr.sqlite"
  else
    db=$(bash "$here/../tests/support/pg_server.sh" createdb "$work/pg" bench_import | tail -1)
    ogr=$(bash "$here/../tests/support/pg_server.sh" createdb "$work/pg" bench_ogr | tail -1)
    measure_copy "ogr2ogr -f PostgreSQL" ogr2ogr -f PostgreSQL "$ogr"
  fi
  base=$LAST_WALL
  "$geoadmin" db init --db "$db" > /dev/null
  measure "geoadmin import $n $kind ($backend)" "$geoadmin" import "${inputs[@]}" --db "$db" \
    "${options[@]}" --on-error accept --fail-on never -q --timings -o "$work/findings.jsonl"
  first=$LAST_WALL
  echo "  ratio to ogr2ogr: $(ratio "$first" "$base")"
  measure "geoadmin import, the same files again ($backend)" "$geoadmin" import "${inputs[@]}" \
    --db "$db" "${options[@]}" --on-error accept --fail-on never -q --timings
  echo "  ratio to the first import: $(ratio "$LAST_WALL" "$first")"
done
