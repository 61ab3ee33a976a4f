#!/usr/bin/env bash
# Benchmark of `geoadmin inspect` (figures in bench/README.md): about 1,000 lines, 100,000
# markers and as many observations -> findings and the report, against the 10 s and 20 MB
# of the issue.
#
#   bench/inspect.sh [BUILD_DIR] [WORK_DIR] [LINES] [SPACING_M]
#
# The lines and the register come from geoadmin_make_markers (synthetic lines, markers
# every SPACING_M metres, triples at the junctions). The observations are made from the
# register by awk below: every marker observed at its registered X/Y plus centimetres of
# noise, except (by the marker's ordinal) every 31st displaced 2 m east, every 50th
# damaged, every 97th lost (no position), every 200th not observed at all, every 113th
# re-erected 1.5 m east (处理情况 已重埋). Seeded: the same run gives the same files.
#
# Then the same against an archive (the lines and register imported once, not timed):
# findings, report and --record (the inspection, every observation, the new versions of
# the re-erected markers), with every tenth line re-surveyed 2.2 m north of where it is
# (--resurvey: every stretch of those lines moved).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
work=${2:-/tmp/geoadmin-bench-inspect}
lines=${3:-1000}
spacing=${4:-70}
geoadmin=$build/tools/geoadmin
mkdir -p "$work"
if [ ! -s "$work/register.csv" ]; then
  "$build/bench/geoadmin_make_markers" --synthetic-lines "$lines" --lines-out "$work/lines.gpkg" \
    --out "$work/register.csv" --spacing "$spacing" --encoding UTF-8 > /dev/null
fi
if [ ! -s "$work/observations.csv" ]; then
  awk -F, 'BEGIN { OFS = ","; srand(20261012);
                   print "界桩编号,界线编号,检查日期,检查人,状况,处理情况,X坐标,Y坐标,备注" }
    NR == 1 { next }
    { n = NR - 1
      if (n % 200 == 0) next
      x = $6 + (rand() - 0.5) * 0.04; y = $7 + (rand() - 0.5) * 0.04; state = "完好"; done = ""
      if (n % 31 == 0) { y = $7 + 2.0; state = "移位" }
      if (n % 113 == 0) { y = $7 + 1.5; state = "损坏"; done = "已重埋" }
      if (n % 50 == 0) state = "损坏"
      if (n % 97 == 0) { state = "丢失"; x = ""; y = "" }
      printf "%s,%s,2026-10-%02d,联检组%d,%s,%s,%s,%s,\n", $1, $2, 10 + n % 20, $2 % 50, state, done,
             (x == "" ? "" : sprintf("%.3f", x)), (y == "" ? "" : sprintf("%.3f", y)) }' \
    "$work/register.csv" > "$work/observations.csv"
fi
echo "lines: $lines, markers: $(($(wc -l < "$work/register.csv") - 1)), observations: $(($(wc -l < "$work/observations.csv") - 1))"
/usr/bin/time -f "%e s wall, %M KB peak RSS" "$geoadmin" inspect --register "$work/register.csv" \
  --lines "$work/lines.gpkg" --observations "$work/observations.csv" \
  --scheme '^(.+)-(\d{3})([QABCDE])$' --fail-on never -q --format json \
  -o "$work/report.html" > "$work/findings.jsonl"
echo "findings: $(wc -l < "$work/findings.jsonl"), report: $(du -m "$work/report.html" | cut -f1) MB ($(stat -c %s "$work/report.html") bytes)"

# Against the archive, recorded, with re-surveyed lines.
scheme='^(.+)-(\d{3})([QABCDE])$'
if [ ! -s "$work/archive.sqlite" ]; then
  "$geoadmin" db init --db "$work/archive.sqlite" > /dev/null
  "$geoadmin" import --no-progress "$work/lines.gpkg" "$work/register.csv" \
    --db "$work/archive.sqlite" --scheme "$scheme" --on-error accept --fail-on never -q > /dev/null
fi
if [ ! -s "$work/resurvey.gpkg" ]; then
  ogr2ogr -f GPKG "$work/resurvey.gpkg" "$work/lines.gpkg" -dialect SQLite -nln 界线重测 \
    -sql "SELECT 界线编号, ST_Translate(geom, 0, 0.00002, 0) AS geom FROM lines WHERE fid % 10 = 0"
fi
cp "$work/archive.sqlite" "$work/recorded.sqlite"
/usr/bin/time -f "%e s wall, %M KB peak RSS (archive, --record, --resurvey)" "$geoadmin" inspect \
  --db "$work/recorded.sqlite" --observations "$work/observations.csv" \
  --resurvey "$work/resurvey.gpkg" --record --scheme "$scheme" --fail-on never -q \
  --format json -o "$work/report-db.html" > "$work/findings-db.jsonl"
echo "findings: $(wc -l < "$work/findings-db.jsonl"), report: $(du -m "$work/report-db.html" | cut -f1) MB ($(stat -c %s "$work/report-db.html") bytes)"
echo "recorded: $(sqlite3 "$work/recorded.sqlite" "SELECT count(*) FROM inspection_markers") marker observations, $(sqlite3 "$work/recorded.sqlite" "SELECT count(*) FROM inspection_changes WHERE kind = 'moved'") moved stretches, $(sqlite3 "$work/recorded.sqlite" "SELECT records_changed FROM imports WHERE batch_id LIKE 'inspection-%'") new marker versions"
