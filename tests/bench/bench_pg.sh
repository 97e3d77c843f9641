#!/bin/bash
# This file contains the PostgreSQL-versus-SQLite benchmark, both stores
# side by side in one run on this machine:
#  1. ingest rate through the real HTTPS path: one rost-agg (4 threads) per
#     store, 8 kiosks posting fresh batches of 500 responses at once
#     (pg_load); responses/s and request latency median / p99 / max;
#  2. aggregate-query latency at 10,000,000 stored responses, bulk-loaded
#     (bench_pg_query: PostgreSQL INSERT ... SELECT generate_series, SQLite
#     the same over a recursive CTE in one transaction): the indicator query
#     of the dashboard, median / p95 / min / max.
# PostgreSQL runs with fsync=on here (tests/pg/pg.sh, own data directory).
# Goals: ingest >= 20,000 responses/s, query p95 <= 50 ms.  Never fails for
# being slow; fails only when something does not work.
# Usage: bench_pg.sh PG_SH ROST_AGG PG_LOAD BENCH_PG_QUERY OUT_DIR
# Environment: BENCH_PG_INGEST_N (default 100000), BENCH_PG_N (10000000).
set -u
HERE=$(cd "$(dirname "$0")/../e2e" && pwd)
PGSH=$1; AGG=$2; LOAD=$3; QUERY=$4; OUT=$5/bench_pg
NI=${BENCH_PG_INGEST_N:-100000}; NQ=${BENCH_PG_N:-10000000}
rm -rf "$OUT"; mkdir -p "$OUT"; cd "$OUT" || exit 1
. "$HERE/pg_common.sh"
cleanup() { pg_stop_aggs; sh "$PGSH" stop "$OUT/pg" >/dev/null 2>&1; }
trap cleanup EXIT
PR_PG_FSYNC=on PR_PG_SHARED_BUFFERS=512MB sh "$PGSH" start "$OUT/pg" || exit 1
PGURL=$(cat "$OUT/pg/url")
pg_make_certs || exit 1
echo "bench_pg: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

for store in postgresql sqlite; do
  if [ $store = postgresql ]; then DB=$PGURL; else DB="sqlite:$OUT/agg.db"; fi
  pg_enrol "$DB" 8 || { echo "enrol failed"; cat enrol.log; exit 1; }
  pg_start_aggs "$DB" 1 --set threads=4 --set max_batch=1000 || exit 1
  "$LOAD" --ca ca.pem --tokens tokens.txt $(pg_url_args) --n "$NI" \
    --per-kiosk 1 --batch 500 --sweep > ingest_$store.txt 2>&1 || {
      echo "ingest on $store failed"; cat ingest_$store.txt; exit 1; }
  pg_stop_aggs
  rate=$(sed -n 's/.* rate \([0-9]*\) responses.*/\1/p' ingest_$store.txt)
  acked=$(sed -n 's/.* acked \([0-9]*\)\/.*/\1/p' ingest_$store.txt)
  lat=$(sed -n 's/.*latency ms \(.*\) (n.*/\1/p' ingest_$store.txt)
  [ "$acked" = "$NI" ] || { echo "ingest on $store lost responses"; cat ingest_$store.txt; exit 1; }
  echo "BENCH pg_ingest $store https responses=$NI batch=500 kiosks=8 rate=${rate}/s request_ms: $lat goal=20000/s"
done

"$QUERY" "$PGURL" "$NQ" 1100 40 || exit 1
"$QUERY" "sqlite:$OUT/agg.db" "$NQ" 1100 40 || exit 1
echo "bench_pg: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
