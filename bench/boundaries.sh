#!/usr/bin/env bash
# Benchmark of `geoadmin boundaries check` (figures in README.md).
#
#   bench/boundaries.sh [BUILD_DIR] [WORK_DIR] [lonlat|projected|national]
#
# lonlat (default): the grid in CGCS2000 longitude/latitude over 75-133 E, 20-50 N.
# projected: the same 200 x 200 grid in EPSG:4526 (Gauss-Kruger zone 38 with the zone
#   prefix), 1 km cells, the defects side by side along the middle rows.
# national: 5 km cells in EPSG:4526, 10 vertices an edge: 1,000 km wide, running 900 km
#   east of the central meridian (CRS-GK-OUTSIDE-ZONE), defects side by side.
#
# Generates a whole-country township coverage with geoadmin_make_coverage (40,000
# townships in 2,500 counties, 16.1 million vertices, shared edges matching exactly,
# planted gaps, overlaps, crossings, T-junctions, a duplicate, a missing township, a
# county outline pushed out, a code outside its county), then measures with
# /usr/bin/time the full check (geometry, coverage, edge matching, parents; no line
# network) three times: wall time, CPU use and peak RSS. Checks that every planted
# defect was found.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
kind=${3:-lonlat}
work=${2:-/tmp/geoadmin-bench-boundaries}/$kind
geoadmin=$build/tools/geoadmin
make_coverage=$build/bench/geoadmin_make_coverage
mkdir -p "$work"
units=$work/townships.gpkg
parents=$work/counties.gpkg
if [ ! -s "$units" ] || [ ! -s "$parents" ]; then
  case $kind in
    lonlat) grid=() ;;
    projected) grid=(--epsg 4526 --cell 1000 --adjacent) ;;
    national) grid=(--epsg 4526 --cell 5000 --edge-vertices 10 --adjacent) ;;
    *) echo "unknown kind $kind (lonlat, projected, national)" >&2; exit 2 ;;
  esac
  "$make_coverage" --out "$units" --parents "$parents" --planted "$work/planted.csv" "${grid[@]}"
fi
ls -l "$units" "$parents"
for run in 1 2 3; do
  /usr/bin/time -f "%e %M %P" -o "$work/time.txt" "$geoadmin" boundaries check "$units" \
    --parent "$parents" --timings -q -o "$work/findings.jsonl" > /dev/null 2> "$work/stderr.txt" || true
  read -r wall rss cpu < <(tail -1 "$work/time.txt")
  echo "boundaries check run $run: ${wall} s wall, $((rss / 1024)) MB peak RSS, ${cpu} CPU"
  grep -E '^(units|read)' "$work/stderr.txt" | sed 's/^/    /'
done
# Every planted defect found with its units (kind,codes,lon,lat -> rule and key).
awk -F, 'NR > 1 { print $1 " " $2 }' "$work/planted.csv" | while read -r kind codes; do
  case $kind in
    gap) rule=BOUNDARY-GAP-NARROW ;; overlap) rule=BOUNDARY-OVERLAP ;;
    crossing) rule=BOUNDARY-EDGE-CROSSING ;; t-junction) rule=BOUNDARY-EDGE-T-JUNCTION ;;
    duplicate) rule=BOUNDARY-DUPLICATE ;; hole) rule=BOUNDARY-HOLE ;;
    code-hierarchy) rule=BOUNDARY-CODE-HIERARCHY ;; parent-uncovered) rule=BOUNDARY-PARENT-UNCOVERED ;;
  esac
  pattern="\"rule\":\"$rule\""
  line=$(grep -F "$pattern" "$work/findings.jsonl" || true)
  if [ "$kind" != hole ]; then
    for c in ${codes//;/ }; do line=$(grep -F "$c" <<< "$line" || true); done
  fi
  [ -n "$line" ] || echo "MISSED: $kind $codes"
done | tee "$work/missed.txt"
echo "planted: $(($(wc -l < "$work/planted.csv") - 1)), missed: $(wc -l < "$work/missed.txt")"
