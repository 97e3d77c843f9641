#!/bin/bash
# enrol_e2e.sh — enrolment by one-time code, end to end: the real rost-agg
# over HTTPS with a test CA made here, `rost-agg enrol` printing the code,
# address and key pin (terminal QR and PNG too), `rostctl enrol` and the
# real rost-kiosk's "Anslut till server" (taps on its on-screen keyboard)
# exchanging codes; every wrong case refused with nothing enrolled: a used
# code, an expired code, a mistyped code, a code taken to another server
# (another key at the address), a code whose check part fails on the
# server until it locks, and guessing until the rate limit.  Then the
# enrolled kiosks sync, report their status, and show on the fleet page.
#
# usage: enrol_e2e.sh ROST-AGG ROSTCTL ROST-KIOSK ASSETS OUT
set -u
AGG=$1; CTL=$2; KIOSK=$3; ASSETS=$4; OUT=$5
W=$OUT/enrol-e2e
. "$(cd "$(dirname "$0")/../../lib" && pwd)/agg.sh"
rm -rf "$W"; mkdir -p "$W"; cd "$W" || exit 1
export TZ=UTC SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
export ASAN_OPTIONS=detect_leaks=0
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap cleanup EXIT

agg_db "$W/agg.db"
DB2="sqlite:$W/other.db"

# --- a test CA, the server's certificate, and another server's ---
ca_make srv other || exit 1
PIN="sha256//$(openssl x509 -in srv.pem -pubkey -noout | openssl pkey -pubin \
  -outform der | openssl dgst -sha256 -binary | base64)"

start() { # NAME DB CERT KEY -> sets PORT_<NAME>
  agg_start "$1.port" "$1.log" --db "$2" --cert "$3" --key "$4" --set stale_days=2
  PIDS="$PIDS $AGG_PID"
  eval "PORT_$1=$AGG_PORT"
}
start main "$DB" srv.pem srv.key
start other "$DB2" other.pem other.key
URL=https://127.0.0.1:$PORT_main
URL2=https://127.0.0.1:$PORT_other
[ -n "$PORT_main" ] && [ -n "$PORT_other" ] && ok "two servers up" || { bad "servers"; exit 1; }

# code UNIT NAME [flags...] -> prints the code; the whole output in code.out
code() {
  local u=$1 n=$2; shift 2
  "$AGG" enrol --db "$DB" --cert srv.pem --url "$URL" --unit "$u" --name "$n" "$@" \
    > code.out 2> code.err || { cat code.err >&2; return 1; }
  sed -n 's/^  Kod: *//p' code.out
}
devices() { dbq "SELECT COUNT(*) FROM devices"; }

# --- rost-agg enrol prints code, address, pin; QR and PNG ---
C1=$(code SE2321000032-VC0001 "Väntrum plan 2" --qr --png code.png)
echo "$C1" | grep -Eq '^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$' \
  && ok "enrol prints a grouped code without 0/O/1/I/L ($C1)" || bad "code '$C1'"
grep -q "Server: *$URL" code.out && ok "enrol prints the server address" || bad "no address"
grep -qF "Fingeravtryck: $PIN" code.out \
  && ok "enrol prints the key pin as openssl computes it" || bad "pin differs: $(grep Finger code.out)"
grep -q "▀" code.out && ok "terminal QR code drawn" || bad "no terminal QR"
[ "$(head -c 8 code.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
  && ok "PNG written for the printed sheet" || bad "no PNG"
check "only a hash stored (the code is not in the database)" "0" \
  "$(dbq "SELECT COUNT(*) FROM enrol_codes WHERE hash LIKE '%${C1:0:4}%' OR unit LIKE '%${C1:0:4}%'")"
"$AGG" enrol --db "$DB" --cert srv.pem --unit SE2321000032-VC0001 --name x --valid 99d \
  >/dev/null 2>err.txt; check "--valid over 30 days refused" "1" "$(grep -c 'valid' err.txt)"
"$AGG" enrol --db "$DB" --unit SE2321000032-VC0001 --name x --cert /nonexistent \
  >/dev/null 2>err.txt; check "no certificate, no code (it binds the key)" "1" "$(grep -c 'certifikat' err.txt)"
check "--token keeps the old token path" "82" \
  "$("$AGG" enrol --token --db "$DB" --unit SE2321000032-VC0009 --name Gammal 2>/dev/null | tr -d '\n' | wc -c)"
OLDDEV=$(dbq "SELECT id FROM devices WHERE name = 'Gammal'")
N0=$(devices)

# --- rostctl enrol: typed in lower case with spaces ---
cat > k1.conf <<EOF
store = $W/k1.db
sets_dir = $ASSETS/surveys
sync_token_file = $W/k1.token
sync_sets_dir = $W/k1-sets
EOF
"$CTL" enrol --config k1.conf --url "$URL/" --code "$(echo "$C1" | tr 'A-Z-' 'a-z ')" \
  > r1.out 2> r1.err; rc=$?
check "rostctl enrol succeeds" "0" "$rc"
grep -q 'Väntrum plan 2' r1.out && ok "it names the device it enrolled as" || bad "$(cat r1.out r1.err)"
grep -qF "fingeravtryck: $PIN" r1.out && ok "it shows the server's key pin it checked" || bad "no pin in $(cat r1.out)"
check "token file mode 0600" "600" "$(stat -c %a k1.token 2>/dev/null)"
check "enrolment record mode 0600" "600" "$(stat -c %a k1.token.enrol 2>/dev/null)"
grep -qF "pin = $PIN" k1.token.enrol && ok "record keeps the key pin" || bad "record pin"
check "one device more" "$((N0 + 1))" "$(devices)"
DEV1=$(sed -n 's/^device = //p' k1.token.enrol)
check "device row has unit and name" "SE2321000032-VC0001|Väntrum plan 2" \
  "$(dbq "SELECT unit, name FROM devices WHERE id = '$DEV1'")"
check "the audit log has the enrolment" "1" \
  "$(dbq "SELECT COUNT(*) FROM audit_log WHERE what = 'enrol' AND detail LIKE '%$DEV1%'")"

# --- the enrolled kiosk syncs with no sync_url: address and pin from the record
"$CTL" set-pin --store k1.db <<< "4711" >/dev/null 2>&1
mkdir -p k1-sets
"$CTL" sync --config k1.conf > s1.out 2> s1.err; rc=$?
check "rostctl sync works with the enrolment alone" "0" "$rc"
check "status report stored (software, sets, queue)" "1" \
  "$(dbq "SELECT COUNT(*) FROM device_status WHERE device_id = '$DEV1' AND software <> '' AND sets LIKE '%kiosk-besok v%' AND queue = 0")"

# after enrolment the sync trusts only the enrolled key: the same record
# pointed at the other server (another key) must fail the TLS handshake
cp k1.token.enrol k1.enrol.keep
sed -i "s|^url = .*|url = $URL2|" k1.token.enrol
"$CTL" sync --config k1.conf > /dev/null 2> s2.err; rc=$?
check "sync to another key at the enrolled address fails (pinned)" "1 1" \
  "$rc $(grep -c 'pinned public key' s2.err)"
check "the other server saw no device request" "0" "$(grep -c 'route=responses\|route=sets\|route=status' other.log)"
mv k1.enrol.keep k1.token.enrol

# --- wrong cases, each with nothing enrolled ---
N1=$(devices)
"$CTL" enrol --token-file "$W/k2.token" --url "$URL" --code "$C1" > /dev/null 2> e.err; rc=$?
check "a used code is refused" "1 1" "$rc $(grep -c 'redan använd' e.err)"
[ ! -e k2.token ] && ok "nothing written after the refusal" || bad "token written"

CE=$(PATIENTROST_NOW=$(( $(date +%s) - 2 * 86400 )) code SE2321000032-VC0002 "Utgången")
"$CTL" enrol --token-file "$W/k2.token" --url "$URL" --code "$CE" > /dev/null 2> e.err; rc=$?
check "an expired code is refused" "1 1" "$rc $(grep -c 'gått ut' e.err)"

C2=$(code SE2321000032-VC0002 "Väntrum 3")
# a typo in the secret part: the check part no longer matches the key
T=$(echo "$C2" | sed 's/^\(.\)/\1/' | awk '{c=substr($0,1,1); r=(c=="2")?"3":"2"; print r substr($0,2)}')
before=$(grep -c 'route=enrol' main.log)
"$CTL" enrol --token-file "$W/k2.token" --url "$URL" --code "$T" > /dev/null 2> e.err; rc=$?
check "a mistyped code is refused before it is sent" "1 1" "$rc $(grep -c 'skickades inte' e.err)"
check "the server saw no enrol request for it" "$before" "$(grep -c 'route=enrol' main.log)"
"$CTL" enrol --token-file "$W/k2.token" --url "$URL" --code "${C2:0:13}" > /dev/null 2> e.err; rc=$?
check "a short code is refused with its length" "1 1" "$rc $(grep -c 'för kort' e.err)"
"$CTL" enrol --token-file "$W/k2.token" --url "$URL" --code "${C2:0:13}0" > /dev/null 2> e.err; rc=$?
check "a confusable character is named" "1 1" "$rc $(grep -c 'inga 0, O, 1, I eller L' e.err)"

# the right code, taken to another server (another key at the address)
"$CTL" enrol --token-file "$W/k2.token" --url "$URL2" --code "$C2" > /dev/null 2> e.err; rc=$?
check "another server's key is refused (wrong fingerprint)" "1 1" "$rc $(grep -c 'hör inte till servern' e.err)"
check "the other server never got the code" "0" "$(grep -c 'route=enrol' other.log)"
check "nothing enrolled on the other server" "0" "$(sqlite3 other.db 'SELECT COUNT(*) FROM devices')"
"$CTL" enrol --token-file "$W/k2.token" --url "https://127.0.0.1:1" --code "$C2" > /dev/null 2> e.err; rc=$?
check "an address nobody answers: refused, said so" "1 1" "$rc $(grep -c 'kan inte nå' e.err)"
[ ! -e k2.token ] && ok "still no token written" || bad "token written"
check "no device enrolled by any wrong case" "$N1" "$(devices)"
check "refusals audited (used, expired)" "2" \
  "$(dbq "SELECT COUNT(*) FROM audit_log WHERE what = 'enrol-refused'")"

# --- the real kiosk: staff menu -> Anslut till server -> keyboard ---
cat > k3.conf <<EOF
unit = SE2321000032-VC0002
store = $W/k3.db
sets_dir = $ASSETS/surveys
assets = $ASSETS
fullscreen = no
width = 1280
height = 800
screen_inch = 10.1
screen_res = 1280x800
sync_token_file = $W/k3.token
sync_sets_dir = $W/k3-sets
EOF
"$CTL" set-pin --store k3.db <<< "4711" >/dev/null 2>&1 || bad "set-pin"
ADDR=127.0.0.1:$PORT_main
kscript() { # CODE-TYPED
  cat <<EOF
pace 400
staff
tap pin_digit 4
tap pin_digit 7
tap pin_digit 1
tap pin_digit 1
tap pin_ok
expect staff
shot enrol-staff-before.png
tap staff_enrol
expect enrol
type $ADDR
tap enrol_field 1
type $1
shot enrol-typed.png
tap enrol_go
wait_enrol
EOF
}
# a code with a wrong last group first: stays on the screen, says why
WRONG=$(echo "$C2" | awk '{print substr($0,1,10) (substr($0,11,1)=="2"?"3":"2") substr($0,12)}')
{ kscript "$(echo "$WRONG" | tr 'A-Z' 'a-z')"; echo "expect enrol"; echo "shot enrol-refused.png"; } > k3a.inj
"$KIOSK" --config k3.conf --inject k3a.inj --shots "$W" > k3a.out 2> k3a.log; rc=$?
check "kiosk: a wrong code keeps the enrol screen" "0" "$rc"
[ ! -e k3.token ] && ok "kiosk: nothing written for the wrong code" || bad "kiosk wrote a token"
grep -q 'enrol_failed' k3a.log && ok "kiosk: the refusal is logged" || bad "no enrol_failed in log"
{ kscript "$(echo "$C2" | tr 'A-Z' 'a-z')"; echo "expect staff"; echo "shot enrol-staff-after.png"; echo "wait 6000"; } > k3.inj
"$KIOSK" --config k3.conf --inject k3.inj --shots "$W" > k3.out 2> k3.log; rc=$?
check "kiosk: enrolment through the staff menu" "0" "$rc"
[ $rc -eq 0 ] || tail -20 k3.log
check "kiosk: token file mode 0600" "600" "$(stat -c %a k3.token 2>/dev/null)"
DEV3=$(sed -n 's/^device = //p' k3.token.enrol 2>/dev/null)
check "kiosk: enrolled as the code's unit and name" "SE2321000032-VC0002|Väntrum 3" \
  "$(dbq "SELECT unit, name FROM devices WHERE id = '$DEV3' AND revoked_at IS NULL")"
check "kiosk: its own sync round reported its status" "1" \
  "$(dbq "SELECT COUNT(*) FROM device_status WHERE device_id = '$DEV3'")"
for s in enrol-staff-before enrol-typed enrol-refused enrol-staff-after; do
  [ -s "$W/$s.png" ] || bad "no screenshot $s.png"
done
mkdir -p "$OUT/screens" && cp "$W"/enrol-*.png "$OUT/screens/" 2>/dev/null

# --- re-enrolment revokes the old token ---
C4=$(code SE2321000032-VC0001 "Väntrum plan 2")
"$CTL" enrol --config k1.conf --url "$URL" --code "$C4" > /dev/null 2> e.err; rc=$?
check "re-enrolment succeeds" "0" "$rc"
check "the old token is revoked" "1" \
  "$(dbq "SELECT COUNT(*) FROM devices WHERE id = '$DEV1' AND revoked_at IS NOT NULL")"
DEV4=$(sed -n 's/^device = //p' k1.token.enrol)
[ "$DEV4" != "$DEV1" ] && ok "a new device id" || bad "same device id"
"$CTL" sync --config k1.conf > /dev/null 2>&1 && ok "the new token syncs" || bad "sync after re-enrolment"

# --- the fleet page: region sees it, unit does not ---
printf 'region-pass-123\n' | "$AGG" user add reg --role region --db "$DB" >/dev/null 2>&1
TOKR=$("$AGG" token add regtok --role region --db "$DB" 2>/dev/null | tail -1)
TOKU=$("$AGG" token add unittok --role unit --unit SE2321000032-VC0001 --db "$DB" 2>/dev/null | tail -1)
curl -s --cacert ca.pem -H "Authorization: Bearer $TOKR" "$URL/dashboard/kiosker.csv?sort=name" > fleet.csv
grep -q "Väntrum 3" fleet.csv && grep -q "$DEV3" fleet.csv && ok "fleet CSV lists the kiosk" || bad "fleet CSV: $(head -3 fleet.csv)"
check "fleet CSV: Excel conventions (BOM, ';')" "efbbbf" "$(head -c 3 fleet.csv | od -An -tx1 | tr -d ' \n')"
check "fleet CSV: the revoked device says so" "1" "$(grep "$DEV1" fleet.csv | grep -c 'spärrad')"
check "fleet CSV: a kiosk never synced is marked" "1" "$(grep "$OLDDEV" fleet.csv | grep -c 'aldrig synkad')"
check "a unit reader gets 403" "403" \
  "$(curl -s -o /dev/null -w '%{http_code}' --cacert ca.pem -H "Authorization: Bearer $TOKU" "$URL/dashboard/kiosker.csv")"
check "no sign-in: 401" "401" \
  "$(curl -s -o /dev/null -w '%{http_code}' --cacert ca.pem "$URL/dashboard/kiosker.csv")"
curl -s --cacert ca.pem "$URL/metrics" > metrics.txt
grep -q "rost_agg_device_queue{device=\"$DEV3\",unit=\"SE2321000032-VC0002\"} 0" metrics.txt \
  && ok "/metrics: queue gauge per kiosk" || bad "no queue gauge"
grep -q "rost_agg_device_set_version{device=\"$DEV3\",unit=\"SE2321000032-VC0002\",set=\"kiosk-besok\"}" metrics.txt \
  && ok "/metrics: set version gauge" || bad "no set version gauge"

# --- brute force: guesses from one address until the rate limit ---
C5=$(code SE2321000032-VC0003 "Gissning")
lim=""
for i in $(seq 1 15); do
  g=$(head -c 64 /dev/urandom | tr -dc '2-9A-HJKMNP-Z' | head -c 12)
  st=$(curl -s -o /dev/null -w '%{http_code}' --cacert ca.pem -H 'Content-Type: application/json' \
       -d "{\"code\":\"$g\"}" "$URL/api/v1/enrol")
  [ "$st" = "429" ] && { lim=$i; break; }
done
[ -n "$lim" ] && [ "$lim" -le 12 ] && ok "guessing hits the rate limit (429 at guess $lim)" || bad "no rate limit (last $st)"
N5=$(devices)
"$CTL" enrol --token-file "$W/k5.token" --url "$URL" --code "$C5" > /dev/null 2> e.err; rc=$?
check "even the right code is held back while limited" "1 1" "$rc $(grep -c 'För många' e.err)"
check "nothing enrolled while limited" "$N5" "$(devices)"
check "the limit is audited" "1" \
  "$(dbq "SELECT COUNT(*) FROM audit_log WHERE what = 'enrol-refused' AND detail = 'reason=rate-limit-address'" | awk '{print ($1>0)}')"

echo "# $PASSES passed, $FAILS failed"
[ $FAILS -eq 0 ]
