#!/bin/bash
# This file contains the concurrency test of the aggregator on PostgreSQL:
# three rost-agg processes (their own ports on 127.0.0.1, nothing shared
# but the database) and 8 kiosks with 3 racing client threads each, all
# resending overlapping batches over real HTTPS (test CA made here) for a
# few seconds and then sweeping until everything is acknowledged.  Every
# response must be stored exactly once: in the responses table, in the
# answers, in the pre-aggregated counts, and answered "stored" exactly once.
# Prints "stored N, duplicates N, lost N".
# Usage (through pg.sh rundb, which sets PR_AGG_TEST_DB):
#   pg_concurrency.sh ROST_AGG PG_LOAD OUT_DIR
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
AGG=$1; LOAD=$2; OUT=$3/pg_concurrency
DB=${PR_AGG_TEST_DB:?run through tests/pg/pg.sh rundb}
N=${PG_CONC_N:-6000}; K=8; PROCS=3
rm -rf "$OUT"; mkdir -p "$OUT"; cd "$OUT" || exit 1
. "$HERE/pg_common.sh"
trap pg_stop_aggs EXIT

pg_make_certs || { echo "FAIL - cannot make certificates"; exit 1; }
# All three start at once on the empty database: their migrations must
# serialise themselves (advisory lock, CREATE ... IF NOT EXISTS races).
pg_start_aggs "$DB" "$PROCS" --set threads=4 || exit 1
echo "ok   - $PROCS rost-agg processes started at once on one new PostgreSQL database: ${AGG_URLS[*]}"
pg_enrol "$DB" "$K" || { echo "FAIL - enrol"; cat enrol.log; exit 1; }

"$LOAD" --ca ca.pem --tokens tokens.txt $(pg_url_args) --n "$N" --per-kiosk 3 \
  --batch 100 --seconds 6 --sweep --max-wait-ms 300 > load.txt 2> load.err
rc=$?
cat load.txt; head -n 5 load.err
fails=0
field() { sed -n "s/.* $1 \([0-9]*\).*/\1/p" load.txt; }
acked=$(sed -n 's/.* acked \([0-9]*\)\/.*/\1/p' load.txt)
stored_acks=$(field stored_acks); dup_acks=$(field duplicate_acks)
twice=$(field stored_twice); rejected=$(field rejected)

rows=$(dbq "SELECT count(*) FROM responses")
mine=$(dbq "SELECT count(*) FROM responses WHERE uuid LIKE '%-7e57-4000-8000-%'")
answers=$(dbq "SELECT count(*) FROM answers WHERE value IS NOT NULL")
counted=$(dbq "SELECT COALESCE(sum(pos + neg + dontknow), 0) FROM counts")
wrong_unit=$(dbq "SELECT count(*) FROM responses r JOIN devices d ON d.id = r.device WHERE r.unit <> d.unit")

lost=$(( N - mine ))
dups=$(( twice + (rows > N ? rows - N : 0) + (counted > 4 * N ? (counted - 4 * N) / 4 : 0) ))
echo "stored $mine, duplicates $dups, lost $lost (resends answered duplicate: $dup_acks)"

chk() { if [ "$2" = "$3" ]; then echo "ok   - $1"; else echo "FAIL - $1 (expected $2, got $3)"; fails=$((fails+1)); fi; }
chk "pg_load finished cleanly" 0 "$rc"
chk "every response acknowledged" "$N" "$acked"
chk "each response answered 'stored' exactly once" "$N" "$stored_acks"
chk "no response stored twice" 0 "$twice"
chk "none rejected" 0 "$rejected"
chk "responses table holds each exactly once" "$N" "$rows"
chk "answers: four choice answers per response" "$((4 * N))" "$answers"
chk "counts add up to the answers (no double counting)" "$((4 * N))" "$counted"
chk "every response carries its kiosk's unit" 0 "$wrong_unit"
chk "overlapping resends happened (duplicates answered)" 1 "$([ "${dup_acks:-0}" -gt 0 ] && echo 1 || echo 0)"
chk "lost" 0 "$lost"
chk "duplicates" 0 "$dups"
for i in 1 2 3; do
  kill -0 "${AGG_PIDS[$((i-1))]}" 2>/dev/null && echo "ok   - rost-agg $i still running" ||
    { echo "FAIL - rost-agg $i died"; tail -5 "agg$i.log"; fails=$((fails+1)); }
done
[ "$fails" -eq 0 ] || { echo "--- server logs (last lines)"; tail -n 5 agg*.log; }
exit $(( fails > 0 ))
