#!/bin/bash
# This file contains helpers shared by the PostgreSQL end-to-end tests
# (pg_concurrency.sh, pg_dbkill.sh) and bench_pg.sh: a test CA and a server
# certificate for 127.0.0.1 made on the spot, enrolling kiosks, starting
# several rost-agg processes on one database, and SQL checks through psql.
# Source it; it expects AGG (rost-agg), OUT (a fresh directory, the cwd).
# The CA and the server start are tests/lib/agg.sh's.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/agg.sh"

pg_make_certs() { ca_make >/dev/null; }

# pg_enrol DB K: K kiosks on K units, tokens one a line in tokens.txt.
pg_enrol() {
  local db=$1 k=$2 i
  : > tokens.txt
  for i in $(seq 1 "$k"); do
    "$AGG" enrol --token --db "$db" --unit "$(printf 'SE2321000032-VC%04d' "$i")" \
      --name "Väntrum $i" >> tokens.txt 2>>enrol.log || return 1
  done
  [ "$(grep -c . tokens.txt)" = "$k" ]
}

# pg_start_aggs DB N [serve flags...]: N rost-agg processes on DB, each on
# its own port of 127.0.0.1.  Sets AGG_PIDS and AGG_URLS (arrays).
pg_start_aggs() {
  local db=$1 n=$2 i p
  shift 2
  AGG_PIDS=(); AGG_URLS=()
  for i in $(seq 1 "$n"); do
    agg_start "port$i" "agg$i.log" --db "$db" --cert srv.pem --key srv.key "$@"
    AGG_PIDS+=("$AGG_PID")
    p=$AGG_PORT
    [ -n "$p" ] || { echo "rost-agg $i did not start:"; cat "agg$i.log"; return 1; }
    AGG_URLS+=("https://127.0.0.1:$p/api/v1/responses")
  done
}

pg_stop_aggs() {
  local pid
  for pid in "${AGG_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${AGG_PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null
  done
  AGG_PIDS=()
}

# pg_url_args: "--url U1 --url U2 ..." for pg_load.
pg_url_args() {
  local u
  for u in "${AGG_URLS[@]}"; do printf -- '--url %s ' "$u"; done
}

dbq() { psql -X -q -tA "$DB" -c "$1"; }
