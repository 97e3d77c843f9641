#!/bin/bash
# agg.sh — sourced by the end-to-end scripts that drive the real rost-agg:
# the ok/bad/check counters, the test database (PostgreSQL when
# $PR_AGG_TEST_DB is set, else a new SQLite file), a test CA with server
# certificates for 127.0.0.1 made on the spot, and starting `rost-agg serve`
# on a port it picks.  It checks nothing itself; each script keeps its own.

FAILS=0; PASSES=0
ok()   { PASSES=$((PASSES+1)); echo "ok   - $*"; }
bad()  { FAILS=$((FAILS+1)); echo "FAIL - $*"; }
check() { # check DESC EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (expected '$2', got '$3')"; fi
}

# agg_db FILE: DB is $PR_AGG_TEST_DB (emptied here) or sqlite:FILE (DBF=FILE);
# dbq SQL prints the rows a query returns, fields split by "|".
agg_db() {
  if [ -n "${PR_AGG_TEST_DB:-}" ]; then
    DB=$PR_AGG_TEST_DB
    psql -q "$DB" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null 2>&1
    dbq() { psql -tA "$DB" -c "$1"; }
  else
    DB="sqlite:$1"; DBF=$1
    dbq() { sqlite3 "$DBF" "$1"; }
  fi
}

# ca_make [NAME...]: in the current directory a test CA (ca.pem, ca.key) and,
# for each NAME (default srv), NAME.pem / NAME.key for 127.0.0.1 signed by it.
# Returns 1 after printing "cannot make certs" when openssl fails.
ca_make() {
  local n
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout ca.key -out ca.pem -days 2 -subj "/CN=Patientrost test CA" 2>/dev/null \
    || { echo "cannot make certs"; return 1; }
  printf "subjectAltName=IP:127.0.0.1\n" > ext
  for n in "${@:-srv}"; do
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout "$n.key" -out "$n.csr" -subj "/CN=127.0.0.1" 2>/dev/null &&
    openssl x509 -req -in "$n.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
      -out "$n.pem" -days 2 -extfile ext 2>/dev/null \
      || { echo "cannot make certs"; return 1; }
  done
}

# agg_start PORTFILE LOG [serve flags...]: $AGG serve --listen 127.0.0.1:0
# in the background (stderr appended to LOG), waiting up to 15 s for it to
# write its port.  Sets AGG_PID and AGG_PORT (empty when it did not start);
# returns 1 when it did not start.
agg_start() {
  local pf=$1 log=$2 i
  shift 2
  rm -f "$pf"
  "$AGG" serve --listen 127.0.0.1:0 --port-file "$pf" "$@" 2>>"$log" &
  AGG_PID=$!
  for i in $(seq 1 300); do
    [ -s "$pf" ] && break
    kill -0 "$AGG_PID" 2>/dev/null || break
    sleep 0.05
  done
  AGG_PORT=$(cat "$pf" 2>/dev/null)
  [ -n "$AGG_PORT" ]
}
