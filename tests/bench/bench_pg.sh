#!/bin/bash
# This file contains the PostgreSQL-versus-SQLite benchmark, both stores
# side by side in one run on this machine:
#  1. ingest rate through the real HTTPS path: one rost-agg (4 threads) per
#     store, 8 kiosks posting fresh batches of 500 responses at once
#     (pg_load), on a fresh database each round; responses/s, request
#     latency median / p99 / max and the CPU ms per 1,000 responses of
#     rost-agg and of the PostgreSQL server, median and spread over rounds;
#  2. aggregate-query latency at each size of BENCH_PG_N (default 1 M and
#     10 M stored responses, the same query at both: its cost must follow
#     the cells asked for, not the rows stored), bulk-loaded by
#     bench_pg_query into a database per size that is kept under
#     OUT/bench_pg and reused by the next run (a 10 M load takes minutes).
# PostgreSQL runs with fsync=on (tests/pg/pg.sh, own data directory, kept
# with the loaded databases; BENCH_PG_FRESH=1 starts from scratch).  Goals:
# ingest >= 20,000 responses/s, query p95 <= 25 ms.  Prints BENCH lines
# (tests/bench/bench_report.py); never fails for being slow, only when
# something does not work.
# Usage: bench_pg.sh PG_SH ROST_AGG PG_LOAD BENCH_PG_QUERY OUT_DIR
# Environment: BENCH_PG_INGEST_N (100000), BENCH_PG_INGEST_ROUNDS (3),
# BENCH_PG_N ("1000000 10000000"; "" skips the query), BENCH_PG_REPS (40),
# BENCH_PG_FRESH;
# PR_BENCH_TINY=1 (check.sh): 2,000 responses, one round, 5,000 rows.
set -u
HERE=$(cd "$(dirname "$0")/../e2e" && pwd)
PGSH=$1; AGG=$2; LOAD=$3; QUERY=$4; BASE=$5/bench_pg
if [ "${PR_BENCH_TINY:-0}" != 0 ] && [ -n "${PR_BENCH_TINY:-}" ]; then
  NI=2000; ROUNDS=1; NQS=5000; REPS=5
else
  NI=${BENCH_PG_INGEST_N:-100000}; ROUNDS=${BENCH_PG_INGEST_ROUNDS:-3}
  NQS=${BENCH_PG_N-1000000 10000000}; REPS=${BENCH_PG_REPS:-40}
fi
OUT=$BASE/run; PGDIR=$BASE/pg
[ -z "${BENCH_PG_FRESH:-}" ] || rm -rf "$BASE"
rm -rf "$OUT"; mkdir -p "$OUT"; cd "$OUT" || exit 1
. "$HERE/pg_common.sh"
cleanup() { pg_stop_aggs; sh "$PGSH" stop "$PGDIR" >/dev/null 2>&1; }
trap cleanup EXIT
if ! { [ -f "$PGDIR/url" ] && sh "$PGSH" restart "$PGDIR"; }; then
  PR_PG_FSYNC=on PR_PG_SHARED_BUFFERS=512MB sh "$PGSH" start "$PGDIR" || exit 1
fi
PGURL=$(cat "$PGDIR/url")
pg_make_certs || exit 1
echo "bench_pg: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

# CPU time (clock ticks) of one process, and of the PostgreSQL server's
# processes (postmaster and its children; 0 for SQLite, which runs inside
# rost-agg).  The machine is shared: CPU per 1,000 responses is the figure
# that does not depend on what else runs (README, "Benchmark").
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
db_ticks() {
  local pm t=0 p
  [ "$1" = postgresql ] || { echo 0; return; }
  pm=$(head -n 1 "$( [ -f "$PGDIR/base" ] && cat "$PGDIR/base" || echo "$PGDIR")/data/postmaster.pid" 2>/dev/null)
  [ -n "$pm" ] || { echo 0; return; }
  for p in "$pm" $(pgrep -P "$pm"); do t=$(( t + $(cpu_ticks "$p") )); done
  echo "$t"
}
per_1000() { echo $(( $1 * 1000 / $(getconf CLK_TCK) * 1000 / NI )); }

# 1. ingest, ROUNDS rounds per store on a fresh database each; besides the
# rate, the CPU milliseconds per 1,000 responses of rost-agg (TLS, JSON,
# checks, SQLite) and of the PostgreSQL server.
for store in postgresql sqlite; do
  rates=""; cpus=""
  for round in $(seq 1 "$ROUNDS"); do
    if [ $store = postgresql ]; then
      DB=$(sh "$PGSH" rundb "$PGDIR" ingest V sh -c 'echo "$V"') || exit 1
    else
      rm -f "$OUT"/ingest.db*; DB="sqlite:$OUT/ingest.db"
    fi
    pg_enrol "$DB" 8 || { echo "enrol failed"; cat enrol.log; exit 1; }
    pg_start_aggs "$DB" 1 --set threads=4 --set max_batch=1000 || exit 1
    log=ingest_${store}_$round.txt
    a0=$(cpu_ticks "${AGG_PIDS[0]}"); d0=$(db_ticks $store)
    "$LOAD" --ca ca.pem --tokens tokens.txt $(pg_url_args) --n "$NI" \
      --per-kiosk 1 --batch 500 --sweep > "$log" 2>&1 || {
        echo "ingest on $store failed"; cat "$log"; exit 1; }
    a1=$(cpu_ticks "${AGG_PIDS[0]}"); d1=$(db_ticks $store)
    pg_stop_aggs
    agg_ms=$(per_1000 $((a1 - a0))); db_ms=$(per_1000 $((d1 - d0)))
    rate=$(sed -n 's/.* rate \([0-9]*\) responses.*/\1/p' "$log")
    acked=$(sed -n 's/.* acked \([0-9]*\)\/.*/\1/p' "$log")
    [ "$acked" = "$NI" ] || { echo "ingest on $store lost responses"; cat "$log"; exit 1; }
    set -- $(sed -n 's/.*latency ms median \([0-9.]*\) p99 \([0-9.]*\) max \([0-9.]*\).*/\1 \2 \3/p' "$log")
    echo "BENCH pg_ingest_https.$store.round responses=$NI batch=500 kiosks=8 rate_per_s=$rate request_ms_median=${1:-0} request_ms_p99=${2:-0} request_ms_max=${3:-0} agg_cpu_ms_per_1000=$agg_ms db_cpu_ms_per_1000=$db_ms"
    rates="$rates $rate"; cpus="$cpus $(( agg_ms + db_ms ))"
  done
  cpu_med=$(printf '%s\n' $cpus | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")
  set -- $(printf '%s\n' $rates | sort -n)
  n=$#; med=$(printf '%s\n' "$@" | sed -n "$(( (n + 1) / 2 ))p")
  echo "BENCH pg_ingest_https.$store responses=$NI batch=500 kiosks=8 rounds=$n rate_per_s=$med rate_min_per_s=$1 rate_max_per_s=${!n} cpu_ms_per_1000=$cpu_med goal=rate_per_s>=20000 compare=pg_ingest_https"
done

# 2. the indicator query at each size, both stores; databases kept.
for nq in $NQS; do
  qdb="q$nq"
  psql -X -q "$PGURL" -c "CREATE DATABASE $qdb" >/dev/null 2>&1 || true
  "$QUERY" "${PGURL%/*}/$qdb" "$nq" 1100 "$REPS" || exit 1
  "$QUERY" "sqlite:$BASE/query_$nq.db" "$nq" 1100 "$REPS" || exit 1
done
echo "bench_pg: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
