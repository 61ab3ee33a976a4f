#!/usr/bin/env bash
# A private PostgreSQL/PostGIS server for the tests: Unix socket only (no TCP), trust
# authentication, data and socket in DIR. CTest starts it once (fixture "postgis") and
# stops it after the tests that need it.
#
#   pg_server.sh start DIR      initdb + start; a template database with PostGIS
#   pg_server.sh createdb DIR NAME [--no-postgis]
#                               a fresh database (dropped first if it exists); prints
#                               its GDAL connection string
#   pg_server.sh stop DIR       stop and remove DIR
set -euo pipefail
cmd=$1
dir=$2
port=5433
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
run_pg=()
[ "$(id -u)" -eq 0 ] && run_pg=(runuser -u postgres --)
psql=(psql -q -X -h "$dir" -p "$port" -U geoadmin -v ON_ERROR_STOP=1)

case "$cmd" in
  start)
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
      echo "PostgreSQL server binaries not found (scripts/bootstrap installs postgresql)" >&2
      exit 1
    fi
    "${run_pg[@]}" "$bindir/pg_ctl" -D "$dir/db" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    mkdir -p "$dir"
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    "${run_pg[@]}" "$bindir/initdb" -D "$dir/db" -A trust -U geoadmin -E UTF8 >/dev/null
    "${run_pg[@]}" "$bindir/pg_ctl" -D "$dir/db" -l "$dir/db/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses= -c fsync=off" start >/dev/null
    "${psql[@]}" -d postgres -c "CREATE DATABASE geoadmin_template"
    "${psql[@]}" -d geoadmin_template -c "CREATE EXTENSION postgis"
    echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') with PostGIS on $dir"
    ;;
  createdb)
    name=$3
    template=geoadmin_template
    [ "${4:-}" = "--no-postgis" ] && template=template0
    "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $name WITH (FORCE)"
    "${psql[@]}" -d postgres -c "CREATE DATABASE $name TEMPLATE $template"
    echo "PG:host=$dir port=$port user=geoadmin dbname=$name"
    ;;
  stop)
    "${run_pg[@]}" "$bindir/pg_ctl" -D "$dir/db" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg_server.sh start|createdb|stop DIR [NAME]" >&2
    exit 2
    ;;
esac
