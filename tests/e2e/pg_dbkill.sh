#!/bin/bash
# This file contains the database-fault test of the aggregator on
# PostgreSQL, on a server of its own (tests/pg/pg.sh, own data directory):
#  1. the database is down when rost-agg starts: a clear error (and with
#     start_wait=0 a quick exit), retries with backoff, serves once the
#     database is back;
#  2. the database is killed mid-ingest (pg_ctl stop -m immediate) under
#     load from 6 kiosks against 2 rost-agg processes: kiosks get 503 with
#     Retry-After, /healthz says 503, the servers stay up, and after the
#     restart every response acknowledged before, during or after the crash
#     is stored — exactly once once the kiosks have resent the rest.
# Prints "stored N, duplicates N, lost N".
# Usage: pg_dbkill.sh PG_SH ROST_AGG PG_LOAD OUT_DIR
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PGSH=$1; AGG=$2; LOAD=$3; OUT=$4/pg_dbkill
N=${PG_KILL_N:-4000}; K=6
rm -rf "$OUT"; mkdir -p "$OUT"; cd "$OUT" || exit 1
. "$HERE/pg_common.sh"
fails=0
chk() { if [ "$2" = "$3" ]; then echo "ok   - $1"; else echo "FAIL - $1 (expected $2, got $3)"; fails=$((fails+1)); fi; }
cleanup() { pg_stop_aggs; sh "$PGSH" stop "$OUT/pg" >/dev/null 2>&1; }
trap cleanup EXIT

sh "$PGSH" start "$OUT/pg" || { echo "FAIL - cannot start PostgreSQL"; exit 1; }
DB=$(cat "$OUT/pg/url")
pg_make_certs || { echo "FAIL - certificates"; exit 1; }
pg_enrol "$DB" "$K" || { echo "FAIL - enrol"; cat enrol.log; exit 1; }

# --- 1. database down at start ---
sh "$PGSH" stop "$OUT/pg"
t0=$(date +%s%N)
"$AGG" serve --db "$DB?start_wait=0" --listen 127.0.0.1:0 --cert srv.pem \
  --key srv.key --port-file port0 2>down0.log
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
chk "start_wait=0: rost-agg exits non-zero when the database is down" 1 "$([ $rc -ne 0 ] && echo 1 || echo 0)"
chk "... naming the database and saying unavailable" 1 "$(grep -c 'unavailable' down0.log | awk '{print ($1 > 0)}')"
chk "... within 6 s (took ${ms} ms)" 1 "$([ $ms -lt 6000 ] && echo 1 || echo 0)"
"$AGG" serve --db "$DB?start_wait=60" --listen 127.0.0.1:0 --cert srv.pem \
  --key srv.key --port-file port1 2>>agg1.log &
waiter=$!
sleep 2
chk "while the database is down the server waits (no port yet)" 0 "$([ -s port1 ] && echo 1 || echo 0)"
chk "... and logs db_unavailable with a retry delay" 1 "$(grep -c 'db_unavailable.*retry_in_ms' agg1.log | awk '{print ($1 > 0)}')"
sh "$PGSH" restart "$OUT/pg" || { echo "FAIL - restart"; exit 1; }
for _ in $(seq 1 300); do [ -s port1 ] && break; sleep 0.1; done
chk "rost-agg serves once the database is back" 1 "$([ -s port1 ] && echo 1 || echo 0)"
kill -TERM "$waiter" 2>/dev/null; wait "$waiter" 2>/dev/null

# --- 2. killed mid-ingest ---
pg_start_aggs "$DB" 2 --set threads=4 --set retry_after=2 || exit 1
"$LOAD" --ca ca.pem --tokens tokens.txt $(pg_url_args) --n "$N" --per-kiosk 2 \
  --batch 50 --seconds 7 --acked acked1.txt --max-wait-ms 500 > load1.txt 2>load1.err &
loader=$!
sleep 2.5
sh "$PGSH" kill "$OUT/pg" && echo "ok   - database killed (pg_ctl stop -m immediate) under load"
sleep 0.5
H=${AGG_URLS[0]%/api/v1/responses}
chk "/healthz answers 503 while the database is down" 503 \
  "$(curl -s --cacert ca.pem -o /dev/null -w '%{http_code}' "$H/healthz")"
TOK=$(head -n 1 tokens.txt)
code=$(curl -s --cacert ca.pem -D hdr.txt -o body.txt -w '%{http_code}' \
  -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
  --data-binary '{"protocol":1,"responses":[]}' "${AGG_URLS[1]}")
chk "an upload gets 503 while the database is down" 503 "$code"
chk "... with Retry-After" 1 "$(grep -ci '^retry-after: [0-9]' hdr.txt)"
sleep 2
sh "$PGSH" restart "$OUT/pg" && echo "ok   - database restarted (crash recovery)"
wait $loader
cat load1.txt; head -n 3 load1.err
n503=$(sed -n 's/.* http503 \([0-9]*\) .*/\1/p' load1.txt)
nora=$(sed -n 's/.*without Retry-After \([0-9]*\)).*/\1/p' load1.txt)
chk "kiosks got 503s during the outage" 1 "$([ "${n503:-0}" -gt 0 ] && echo 1 || echo 0)"
chk "every 503 carried Retry-After" 0 "$nora"
before=$(grep -c . acked1.txt)
psql -X -q "$DB" -c "CREATE TABLE acked_before (uuid TEXT)" -c "\\copy acked_before FROM 'acked1.txt'"
missing=$(dbq "SELECT count(*) FROM acked_before a LEFT JOIN responses r USING (uuid) WHERE r.uuid IS NULL")
echo "acknowledged before/during the crash: $before, missing after restart: $missing"
chk "nothing acknowledged is missing after the crash" 0 "$missing"
for i in 1 2; do
  kill -0 "${AGG_PIDS[$((i-1))]}" 2>/dev/null && echo "ok   - rost-agg $i survived the outage" ||
    { echo "FAIL - rost-agg $i died"; fails=$((fails+1)); }
done

# The kiosks resend everything not yet acknowledged.
"$LOAD" --ca ca.pem --tokens tokens.txt $(pg_url_args) --n "$N" --per-kiosk 1 \
  --batch 200 --sweep --max-wait-ms 500 > load2.txt 2>load2.err
cat load2.txt
acked=$(sed -n 's/.* acked \([0-9]*\)\/.*/\1/p' load2.txt)
rows=$(dbq "SELECT count(*) FROM responses")
counted=$(dbq "SELECT COALESCE(sum(pos + neg + dontknow), 0) FROM counts")
answers=$(dbq "SELECT count(*) FROM answers WHERE value IS NOT NULL")
lost=$(( N - rows > 0 ? N - rows : 0 ))
dups=$(( (rows > N ? rows - N : 0) + (counted > 4 * N ? (counted - 4 * N) / 4 : 0) ))
echo "stored $rows, duplicates $dups, lost $lost"
chk "after the resend every response is acknowledged" "$N" "$acked"
chk "each stored exactly once" "$N" "$rows"
chk "answers of the crashed transactions are not half there" "$((4 * N))" "$answers"
chk "counts equal the answers" "$((4 * N))" "$counted"
[ "$fails" -eq 0 ] || { echo "--- server logs"; tail -n 8 agg*.log; }
exit $(( fails > 0 ))
