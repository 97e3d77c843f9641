#!/bin/sh
# demo.sh — the README's first command: install what is needed, build, and
# start the product on its embedded defaults: a local aggregator on SQLite
# (HTTPS with a certificate made on the spot) and the kiosk in a window,
# enrolled to the aggregator and syncing to it.  Everything it makes lives in
# ./demo-data (delete it to start over).  Ctrl-C or closing the kiosk via the
# staff menu (PIN 1234) stops both.
set -eu
cd "$(dirname "$0")"
ROOT=$(pwd)
./deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPR_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"

D="$ROOT/demo-data"
mkdir -p "$D"
PORT=${PORT:-8443}

# A demo CA and a server certificate for 127.0.0.1/localhost, made once.
if [ ! -f "$D/ca.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$D/ca.key" -out "$D/ca.pem" -days 365 -subj "/CN=Patientrost demo CA" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$D/server.key" -out "$D/server.csr" -subj "/CN=localhost" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$D/san.ext"
  openssl x509 -req -in "$D/server.csr" -CA "$D/ca.pem" -CAkey "$D/ca.key" \
    -CAcreateserial -out "$D/server.pem" -days 365 -extfile "$D/san.ext" 2>/dev/null
fi

AGG="build/sync/rost-agg"
KIOSK="build/kiosk/rost-kiosk"
CTL="build/survey/rostctl"
DB="$D/aggregator.db"

# A region analyst for the dashboard, with a password made here.
if [ ! -s "$D/dashboard.pw" ]; then
  head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16 > "$D/dashboard.pw"
  chmod 600 "$D/dashboard.pw"
  "$AGG" user add demo --role region --db "$DB" < "$D/dashboard.pw" >/dev/null
fi

# Kiosk config: the shipped demo config plus this machine's paths.
sed -e "s|@DEMO@|$D|g" -e "s|@PORT@|$PORT|g" -e "s|@ASSETS@|$ROOT/assets|g" \
  assets/kiosk/demo.conf > "$D/kiosk.conf"
if [ ! -f "$D/pin.set" ]; then
  printf '1234\n' | "$CTL" set-pin --store "$D/kiosk.db" && touch "$D/pin.set"
fi

"$AGG" serve --db "$DB" --listen "127.0.0.1:$PORT" \
  --cert "$D/server.pem" --key "$D/server.key" 2>> "$D/aggregator.log" &
AGG_PID=$!
trap 'kill $AGG_PID 2>/dev/null; wait $AGG_PID 2>/dev/null' EXIT INT TERM
# Enrol the demo kiosk once, the way a region does: a one-time code from
# the aggregator, exchanged by `rostctl enrol` (the staff menu's "Anslut
# till server" does the same).  The token lands in demo-data/kiosk.token
# (0600), with the address and key pin beside it in kiosk.token.enrol.
if [ ! -f "$D/kiosk.token" ]; then
  CODE=$("$AGG" enrol --db "$DB" --cert "$D/server.pem" \
         --url "https://127.0.0.1:$PORT" --unit SE2321000032-DEMO01 \
         --name demo-kiosk | sed -n 's/^  Kod: *//p')
  n=0
  until "$CTL" enrol --config "$D/kiosk.conf" --url "https://127.0.0.1:$PORT" \
          --code "$CODE" 2>> "$D/enrol.log"; do
    n=$((n + 1))          # the aggregator may still be starting
    if [ $n -ge 50 ]; then echo "demo.sh: enrolment failed (see $D/enrol.log)"; exit 1; fi
    sleep 0.2
  done
fi
echo "aggregator: https://127.0.0.1:$PORT/dashboard  (log: $D/aggregator.log)"
echo "  dashboard sign-in: demo / $(cat "$D/dashboard.pw")  (CA: $D/ca.pem)"
echo "kiosk: staff menu = hold a finger (or the mouse) 3 s in the top-left corner, PIN 1234"
echo "  its store: $D/kiosk.db  (log: $D/kiosk.log)"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "demo.sh: no display found; starting the kiosk on a virtual X display (Xvfb :99)"
  Xvfb :99 -screen 0 1280x800x24 >/dev/null 2>&1 &
  XVFB_PID=$!
  trap 'kill $AGG_PID $XVFB_PID 2>/dev/null' EXIT INT TERM
  export DISPLAY=:99
  sleep 1
fi
"$KIOSK" --config "$D/kiosk.conf" 2>> "$D/kiosk.log"
