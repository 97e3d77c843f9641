#!/bin/sh
# make.sh — remakes the two fixtures of an OLDER version's databases that
# pkg_cycle upgrades from (not run by the suite; the fixtures are in git):
#   kiosk-v2.sql  a kiosk store as commit 90bf1c0 made it: store schema v2
#                 (no call-list tables), filled through that commit's
#                 libsurvey (old_store_fill.c) and given a staff PIN by its
#                 rostctl set-pin
#   agg-v1.sql    an aggregator database as that commit's rost-agg made it:
#                 component "agg" at step 1 (responses.received_at,
#                 devices.last_count) and "aggregates" auth/audit at 1, no
#                 later component; filled by that commit's aggr-seed
#                 through its real ingest path, then cut to two units'
#                 last three months (whole unit+period groups of responses,
#                 answers and counts, so counts still equal the answers)
# Every row is synthetic.  usage: tests/pkg/oldschema/make.sh (from git)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OLD=90bf1c0
W=$(mktemp -d /tmp/oldschema.XXXXXX)
trap 'rm -rf "$W"' EXIT
git -C "$HERE/../../.." archive "$OLD" | tar -x -C "$W" --one-top-level=src
cmake -S "$W/src" -B "$W/build" -DCMAKE_BUILD_TYPE=Release -DPR_TESTS=ON >/dev/null
cmake --build "$W/build" -j2 --target rostctl aggr-seed >/dev/null
gcc -std=c17 -Wall -I"$W/src/survey" "$HERE/old_store_fill.c" \
  "$W/build/survey/libsurvey.a" $(pkg-config --libs sqlite3 jansson libsodium) \
  -lpthread -o "$W/fill"
"$W/fill" "$W/kiosk.db"
echo 4711 | "$W/build/survey/rostctl" set-pin --store "$W/kiosk.db"
"$W/build/tests/aggr-seed" "sqlite:$W/agg.db" >/dev/null 2>&1
keep="unit in ('SE2321000032-VC0001','SE2321000032-VC0006')"
sqlite3 "$W/agg.db" "
delete from answers where uuid in (select uuid from responses where not ($keep and period >= '2026-09'));
delete from counts where not ($keep and period_start >= (select min(period_start) from responses where period = '2026-09'));
delete from responses where not ($keep and period >= '2026-09');
delete from devices where not ($keep);
vacuum;"
{
  echo "-- kiosk-v2.sql: a kiosk store of store schema v2 as commit $OLD made it"
  echo "-- (tests/pkg/oldschema/make.sh made this file; synthetic rows only)."
  sqlite3 "$W/kiosk.db" .dump
  echo "PRAGMA user_version = $(sqlite3 "$W/kiosk.db" 'pragma user_version');"
} > "$HERE/kiosk-v2.sql"
{
  echo "-- agg-v1.sql: an aggregator database (agg step 1) as commit $OLD made it"
  echo "-- (tests/pkg/oldschema/make.sh made this file; synthetic rows only)."
  sqlite3 "$W/agg.db" .dump
} > "$HERE/agg-v1.sql"
wc -l "$HERE/kiosk-v2.sql" "$HERE/agg-v1.sql"
