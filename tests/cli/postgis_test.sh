#!/usr/bin/env bash
# End-to-end: `geoadmin info` reads a layer from a real PostGIS server that this test
# starts on a private Unix socket (no TCP), and stops again.
# Usage: postgis_test.sh GEOADMIN_BINARY TEST_DATA_DIR
set -euo pipefail
geoadmin=$1
data=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "FAIL: PostgreSQL server binaries not found (scripts/bootstrap installs postgresql)"
  exit 1
fi
work=$(mktemp -d /tmp/ga-pg.XXXXXX)
chmod 755 "$work"
run_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: the server runs as the postgres user.
  chown postgres "$work"
  run_pg=(runuser -u postgres --)
fi
port=5432
cleanup() {
  "${run_pg[@]}" "$bindir/pg_ctl" -D "$work/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${run_pg[@]}" "$bindir/initdb" -D "$work/db" -A trust -U geoadmin -E UTF8 >/dev/null
"${run_pg[@]}" "$bindir/pg_ctl" -D "$work/db" -l "$work/db/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=" start >/dev/null
psql=(psql -q -h "$work" -p "$port" -U geoadmin -v ON_ERROR_STOP=1)
"${psql[@]}" -d postgres -c "CREATE DATABASE geoadmin_test"
"${psql[@]}" -d geoadmin_test -c "CREATE EXTENSION postgis"
conn="PG:host=$work port=$port user=geoadmin dbname=geoadmin_test"
ogr2ogr -f PostgreSQL "$conn" "$data/io/markers_gk_zone40.gpkg" -nln markers

out=$("$geoadmin" info --format json "$conn tables=markers")
fail=0
check() {
  if grep -q -- "$1" <<<"$out"; then echo "ok: $2"; else echo "FAIL: $2"; fail=1; fi
}
check '"driver": "PostgreSQL"' "read through GDAL's PostgreSQL driver"
check '"features": 6' "six markers"
check '"crs_declared_code": "EPSG:4528"' "declared CRS EPSG:4528"
check '"zone": 40' "Gauss-Kruger zone 40"
check '"canonical": "marker_no"' "界桩编号 maps to marker_no"
check '"extent_cgcs2000": \[' "extent in CGCS2000"
# A database that does not exist is an unreadable input: exit 3, naming it.
set +e
err=$("$geoadmin" info "PG:host=$work port=$port user=geoadmin dbname=no_such_db" 2>&1 >/dev/null)
code=$?
set -e
if [ "$code" -eq 3 ] && grep -q "no_such_db" <<<"$err"; then echo "ok: missing database exits 3"; else
  echo "FAIL: missing database: exit $code, stderr: $err"; fail=1; fi
if [ "$fail" -ne 0 ]; then echo "$out"; exit 1; fi
echo "1 passed, 0 failed"
