#!/bin/bash
# agg_e2e.sh — end-to-end test of the real rost-agg over real HTTPS on
# 127.0.0.1 with a test CA made here: enrolment, ingest round trip,
# idempotency and conflicts, every hostile request with its 4xx and nothing
# stored, slow-drip and idle connections cut, TLS 1.1 refused, /metrics
# counts, publishing sets, and a graceful SIGTERM that finishes the request
# in flight.  Database: $PR_AGG_TEST_DB (postgresql://...) or a new SQLite
# file.  Usage: agg_e2e.sh ROST_AGG TEST_DATA OUT_DIR
set -u
AGG=$1; DATA=$2; OUT=$3/agg_e2e
. "$(cd "$(dirname "$0")/../lib" && pwd)/agg.sh"
rm -rf "$OUT"; mkdir -p "$OUT/sets"; cd "$OUT" || exit 1
agg_db "$OUT/agg.db"

# --- a test CA and a server certificate for 127.0.0.1 ---
ca_make || exit 1

cp "$DATA/agg/test-set-v1.json" sets/
TOK=$("$AGG" enrol --token --db "$DB" --unit SE2321000032-VC0001 --name "Väntrum 1" 2>enrol.err)
TOK2=$("$AGG" enrol --token --db "$DB" --unit SE2321000032-VC0002 --name "Väntrum 2" 2>/dev/null)
TOKR=$("$AGG" enrol --token --db "$DB" --unit SE2321000032-VC0001 --name "Gammal" 2>/dev/null)
[ ${#TOK} -eq 82 ] && ok "enrol prints an 82-character token once" || bad "enrol token '$TOK'"
grep -q "$TOK" enrol.err && bad "token repeated on stderr" || ok "token not on stderr"
[ "$(dbq "SELECT COUNT(*) FROM devices WHERE token_hash LIKE '%${TOK#*.}%'")" = 0 ] \
  && ok "database holds no token secret" || bad "token secret stored"
"$AGG" enrol --token --db "$DB" --unit 12345 --name x >/dev/null 2>err.txt; rc=$?
check "enrol refuses a bad HSA-id" "2 1" "$rc $(grep -c 'HSA-id' err.txt)"
"$AGG" revoke --db "$DB" "${TOKR%%.*}" >/dev/null || bad "revoke"

start_server() { # extra flags...
  agg_start port server.log --db "$DB" --cert srv.pem --key srv.key \
    --sets-dir sets "$@"
  SRV=$AGG_PID; PORT=$AGG_PORT
  URL=https://127.0.0.1:$PORT
}
# --- TLS material checked before listening, each mistake named ---
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout other.key -out /dev/null -subj "/CN=other" 2>/dev/null
said() { grep -qi -- "$1" bad.err && echo 1 || echo 0; }
bad_serve() { # bad_serve CERT KEY [flags...] -> exit status; message in bad.err
  timeout 20 "$AGG" serve --db "$DB" --listen 127.0.0.1:0 --cert "$1" --key "$2" \
    --port-file badport "${@:3}" >/dev/null 2>bad.err
}
bad_serve srv.key srv.pem; rc=$?
check "swapped --cert/--key: refused, both files named as swapped" "1 1 1" \
  "$rc $(said 'srv.key holds a private key, not a certificate') $(said 'swapped')"
bad_serve srv.pem srv.pem; rc=$?
check "certificate given as the key: the key file is named" "1 1" \
  "$rc $(said 'key file srv.pem holds a certificate')"
bad_serve srv.pem other.key; rc=$?
check "a key of another certificate is named" "1 1" \
  "$rc $(said 'other.key does not belong to the certificate in srv.pem')"
bad_serve srv.pem srv.key --set tls_priority=NONSENSE:+FOO; rc=$?
check "a TLS priority that does not parse is named" "1 1" "$rc $(said 'tls_priority')"
python3 -c 'import socket,time,sys
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(1)
open("busyport","w").write(str(s.getsockname()[1])); sys.stdout.flush(); time.sleep(8)' &
HOLD=$!
for _ in $(seq 1 100); do [ -s busyport ] && break; sleep 0.05; done
timeout 20 "$AGG" serve --db "$DB" --listen 127.0.0.1:"$(cat busyport)" --cert srv.pem --key srv.key \
  >/dev/null 2>bad.err; rc=$?
kill $HOLD 2>/dev/null; wait $HOLD 2>/dev/null
check "a port in use is named as such" "1 1" "$rc $(said 'address already in use')"
grep -q "bad certificate/key or TLS priority" bad.err && bad "the old catch-all message is back" \
  || ok "no catch-all guess in the message"

start_server --set timeout=2 --set request_deadline=3 --set max_body=65536 \
  --set max_batch=50 --set retry_after=7
[ -n "$PORT" ] && ok "server listening on 127.0.0.1:$PORT" || { bad "server did not start"; cat server.log; exit 1; }

C="curl -s --cacert ca.pem"
post() { # post TOKEN BODY -> prints "status body"
  $C -o resp.json -w "%{http_code}" -H "Authorization: Bearer $1" \
    -H "Content-Type: application/json" --data-binary "$2" "$URL/api/v1/responses"
}
resp() { # resp UUID ANSWERS [VERSION]
  printf '{"uuid":"%s","set":"agg-test","version":%s,"mode":"kiosk","lang":"sv","proxy":false,"status":"complete","period":"2026-W47","track":null,"care":null,"answers":[%s]}' "$1" "${3:-1}" "$2"
}
A1='{"q":"nojdhet","a":"mycket"},{"q":"delaktighet","a":"lite"}'
A2='{"q":"nojdhet","a":"lite"},{"q":"battre","text":"Mer tid [telefonnummer]"},{"q":"delaktighet","a":"inte_alls"}'
U1=11111111-2222-4333-8444-555555555551
U2=11111111-2222-4333-8444-555555555552
U3=11111111-2222-4333-8444-555555555553
stored() { dbq "SELECT COUNT(*) FROM responses"; }

check "healthz" "200 ok" "$($C -w '%{http_code}' -o h.txt $URL/healthz) $(cat h.txt)"

# --- round trip, idempotency, conflict ---
B="{\"protocol\":1,\"responses\":[$(resp $U1 "$A1"),$(resp $U2 "$A2")]}"
check "upload: 200" 200 "$(post "$TOK" "$B")"
check "upload: both stored" 2 "$(grep -o '"status":"stored"' resp.json | wc -l)"
check "database holds 2 responses for the token's unit" 2 \
  "$(dbq "SELECT COUNT(*) FROM responses WHERE unit = 'SE2321000032-VC0001'")"
check "counts: nojdhet pos/neg" "1|1" "$(dbq "SELECT pos || '|' || neg FROM counts WHERE indicator = 'nojdhet'")"
check "resend: 200" 200 "$(post "$TOK" "$B")"
check "resend: both duplicate" 2 "$(grep -o '"status":"duplicate"' resp.json | wc -l)"
check "resend stored nothing twice" "2 2" "$(stored) $(dbq "SELECT SUM(pos+neg+dontknow) FROM counts WHERE indicator = 'nojdhet'")"
B="{\"protocol\":1,\"responses\":[$(resp $U1 '{"q":"nojdhet","a":"inte_alls"},{"q":"battre","text":"x"},{"q":"delaktighet","a":"lite"}')]}"
post "$TOK" "$B" >/dev/null
check "same uuid, other content: rejected as conflict" 1 "$(grep -c '"reason":"conflict' resp.json)"
check "conflict did not overwrite" mycket "$(dbq "SELECT option FROM answers WHERE uuid = '$U1' AND question = 'nojdhet'")"
grep -q "response_conflict uuid=$U1" server.log && ok "conflict logged" || bad "conflict not logged"
B="{\"protocol\":1,\"responses\":[$(resp $U3 "$A1")]}"
post "$TOK2" "$B" >/dev/null
check "unit comes from the token" SE2321000032-VC0002 "$(dbq "SELECT unit FROM responses WHERE uuid = '$U3'")"

# --- hostile requests: each its 4xx, nothing stored ---
N0=$(stored)
U9=99999999-2222-4333-8444-555555555559
check "malformed JSON -> 400" 400 "$(post "$TOK" '{"protocol":1,"responses":[')"
check "captive HTML -> 400" 400 "$(post "$TOK" '<html>login</html>')"
check "wrong types -> 400" 400 "$(post "$TOK" "{\"protocol\":1,\"responses\":[{\"uuid\":\"$U9\",\"set\":7}]}")"
check "unknown member -> 400" 400 "$(post "$TOK" "{\"protocol\":1,\"responses\":[$(resp $U9 "$A1" | sed 's/"proxy"/"name":"Anna","proxy"/')]}")"
grep -q "Anna" server.log && bad "a planted name reached the log" || ok "planted name not logged"
check "unknown set -> rejected in 200" "200 1" "$(post "$TOK" "{\"protocol\":1,\"responses\":[$(resp $U9 "$A1" 5)]}") $(grep -c 'unknown set or version' resp.json)"
big=$(head -c 70000 /dev/zero | tr '\0' ' ')
code=$($C -D hdr.txt -o resp.json -w "%{http_code}" -H "Authorization: Bearer $TOK" \
  -H "Content-Type: application/json" --data-binary "{\"protocol\":1,\"responses\":[]$big}" "$URL/api/v1/responses")
check "oversized body -> 413 with Retry-After" "413 7" "$code $(grep -i '^retry-after:' hdr.txt | tr -dc 0-9)"
many=$(for i in $(seq 1 51); do printf '%s{}' "$([ $i -gt 1 ] && echo ,)"; done)
code=$($C -D hdr.txt -o resp.json -w "%{http_code}" -H "Authorization: Bearer $TOK" \
  -H "Content-Type: application/json" --data-binary "{\"protocol\":1,\"responses\":[$many]}" "$URL/api/v1/responses")
check "51 responses (limit 50) -> 429 with Retry-After" "429 7" "$code $(grep -i '^retry-after:' hdr.txt | tr -dc 0-9)"
B="{\"protocol\":1,\"responses\":[$(resp $U9 "$A1")]}"
check "no token -> 401" 401 "$($C -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "$B" $URL/api/v1/responses)"
# Change the last character (to 1 when it already is 0, so it always differs).
WRONG=${TOK%?}0; [ "$WRONG" = "$TOK" ] && WRONG=${TOK%?}1
check "wrong token -> 401" 401 "$(post "$WRONG" "$B")"
check "garbage token -> 401" 401 "$(post "x" "$B")"
check "revoked token -> 401" 401 "$(post "$TOKR" "$B")"
check "wrong content type -> 415" 415 "$($C -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK" -H 'Content-Type: text/plain' --data-binary "$B" $URL/api/v1/responses)"
check "unknown path -> 404" 404 "$($C -o /dev/null -w '%{http_code}' $URL/api/v1/nothing)"
check "GET on upload path -> 405" 405 "$($C -o /dev/null -w '%{http_code}' $URL/api/v1/responses)"
check "nothing stored by hostile requests" "$N0" "$(stored)"

# --- slow drip and idle connections are cut ---
cat > drip.py <<'PY'
import socket, ssl, sys, time
port, mode, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.create_default_context(cafile="ca.pem")
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="127.0.0.1")
head = ("POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
        "Content-Type: application/json\r\nContent-Length: 5000\r\n" % token).encode()
if mode == "headers":
    s.sendall(head)      # then the rest of the headers, one byte at a time
else:
    s.sendall(head + b"\r\n")
t0 = time.time(); got = b""
try:
    for i in range(100):
        if mode == "drip":
            s.sendall(b" ")
        elif mode == "headers":
            s.sendall(b"X-Pad: " if i == 0 else b"X")   # never ends
        s.settimeout(0.4)
        try:
            d = s.recv(4096)
            if not d:
                break
            got += d
        except socket.timeout:
            pass
except (OSError, ssl.SSLError):
    pass
print("%.1f %s" % (time.time() - t0, "REPLY" if b"200 OK" in got else "cut"))
PY
read -r secs what < <(python3 drip.py "$PORT" drip "$TOK")
[ "$what" = cut ] && awk "BEGIN{exit !($secs < 12)}" && ok "slow drip cut after ${secs}s (deadline 3s)" || bad "slow drip: $secs $what"
read -r secs what < <(python3 drip.py "$PORT" idle "$TOK")
[ "$what" = cut ] && awk "BEGIN{exit !($secs < 10)}" && ok "idle connection cut after ${secs}s (timeout 2s)" || bad "idle: $secs $what"
read -r secs what < <(python3 drip.py "$PORT" headers "$TOK")
[ "$what" = cut ] && awk "BEGIN{exit !($secs >= 2.5 && $secs < 12)}" && ok "header drip (a byte every 0.4 s) cut after ${secs}s (deadline 3s)" || bad "header drip: $secs $what"
check "healthy after the slow clients" 200 "$($C -o /dev/null -w '%{http_code}' $URL/healthz)"

# --- TLS versions ---
echo | gnutls-cli --x509cafile ca.pem -p "$PORT" 127.0.0.1 --priority "NORMAL:-VERS-ALL:+VERS-TLS1.1" >tls11.txt 2>&1
t11=$?
echo | gnutls-cli --x509cafile ca.pem -p "$PORT" 127.0.0.1 --priority "NORMAL:-VERS-ALL:+VERS-TLS1.2" >tls12.txt 2>&1
t12=$?
[ $t11 -ne 0 ] && ! grep -q "Handshake was completed" tls11.txt && ok "TLS 1.1 refused" || bad "TLS 1.1 not refused ($t11)"
[ $t12 -eq 0 ] && grep -q "Handshake was completed" tls12.txt && ok "TLS 1.2 accepted (control)" || bad "TLS 1.2 refused"
curl -s --cacert ca.pem --tlsv1.3 -o /dev/null "$URL/healthz" && ok "TLS 1.3 accepted" || bad "TLS 1.3 refused"

# --- sets ---
"$AGG" publish --db "$DB" "$DATA/agg/broken-set.json" >/dev/null 2>err.txt
check "broken set refused with the validator's message" 1 "$(grep -c 'finns_inte' err.txt)"
"$AGG" publish --db "$DB" "$DATA/agg/test-set-v2.json" >/dev/null 2>&1 || bad "publish v2"
sed 's/Testenkät/Ändrad/' "$DATA/agg/test-set-v2.json" > v2-changed.json
"$AGG" publish --db "$DB" v2-changed.json >/dev/null 2>err.txt
check "changed content under a published version refused" 1 "$(grep -c 'already published' err.txt)"
# ... and at start, from the sets directory: the message names the file,
# the set and version, and what the administrator can do.
mkdir -p changed-sets && cp v2-changed.json changed-sets/
bad_serve srv.pem srv.key --sets-dir changed-sets; rc=$?
check "start with a changed published set in sets_dir: refused, file/set/version and the way out named" "1 1 1 1" \
  "$rc $(said 'seeding sets: changed-sets/v2-changed.json: set agg-test version 2 is already published with different content') $(said 'raise "version" in this file') $(said 'move the file out of sets_dir')"
check "sets lists the current version" 2 "$($C -H "Authorization: Bearer $TOK" $URL/api/v1/sets | python3 -c 'import json,sys; print(json.load(sys.stdin)["sets"][0]["version"])')"
$C -H "Authorization: Bearer $TOK" -o got-v1.json "$URL/api/v1/sets/agg-test/1"
cmp -s got-v1.json "$DATA/agg/test-set-v1.json" && ok "set v1 served byte for byte" || bad "set v1 differs"
check "unknown set version -> 404" 404 "$($C -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK" $URL/api/v1/sets/agg-test/99)"
check "sets need a token" 401 "$($C -o /dev/null -w '%{http_code}' $URL/api/v1/sets)"
B="{\"protocol\":1,\"responses\":[$(resp 22222222-2222-4333-8444-555555555551 "$A1" 2)]}"
check "a response to the new version is stored" 1 "$(post "$TOK" "$B" >/dev/null; grep -c stored resp.json)"

# --- devices ---
"$AGG" devices --db "$DB" > devices.txt
check "devices lists three" 1 "$(grep -c '^3 enheter' devices.txt)"
check "revoked device marked" 1 "$(grep -c 'spärrad' devices.txt)"

# --- call statistics: weekly counts, a resend replaces the week ---
callstats() { # callstats TOKEN BODY -> status
  $C -o resp.json -w "%{http_code}" -H "Authorization: Bearer $1" \
    -H "Content-Type: application/json" --data-binary "$2" "$URL/api/v1/callstats"
}
CS1='{"protocol":1,"weeks":[{"week":"2026-W45","entries":9,"attempts":12,"outcomes":{"complete":5,"refused":1}},{"week":"2026-W46","attempts":4,"outcomes":{"complete":3,"notreached":1}}]}'
CS2='{"protocol":1,"weeks":[{"week":"2026-W46","attempts":6,"outcomes":{"complete":4,"notreached":1,"partial":1}}]}'
check "callstats without a token is 401" 401 "$(callstats x "$CS1")"
check "callstats stores two weeks" "200 2" "$(callstats "$TOK" "$CS1") $(python3 -c 'import json;print(json.load(open("resp.json"))["stored"])')"
check "callstats resent after a lost reply: the same rows" "200 2 8" \
  "$(callstats "$TOK" "$CS1") $(dbq "SELECT COUNT(*) FROM callstats") $(dbq "SELECT SUM(complete) FROM callstats")"
check "callstats: a grown week replaces, never adds" "200 2 9 1" \
  "$(callstats "$TOK" "$CS2") $(dbq "SELECT COUNT(*) FROM callstats") $(dbq "SELECT SUM(complete) FROM callstats") $(dbq "SELECT partial FROM callstats WHERE week_start = 20766")"
check "callstats of another kiosk count for its own unit" "200 SE2321000032-VC0002" \
  "$(callstats "$TOK2" "$CS2") $(dbq "SELECT unit FROM callstats WHERE device = '${TOK2%%.*}'")"
for bad in '{"protocol":1,"weeks":[{"week":"2026-W46","name":"Karin"}]}' \
           '{"protocol":1,"weeks":[{"week":"2026-W46","outcomes":{"nosuch":1}}]}' \
           '{"protocol":1,"weeks":[{"week":"2026-W46","attempts":-3}]}' 'nonsense'; do
  check "callstats refuses a bad body with a reason (${bad:0:40})" "400 3" \
    "$(callstats "$TOK" "$bad") $(dbq "SELECT COUNT(*) FROM callstats")"
done
check "callstats refuses another content type" 415 \
  "$($C -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $TOK" -H "Content-Type: text/plain" --data-binary "$CS1" "$URL/api/v1/callstats")"
# RR1 of VC0001 in November 2026: 9 completed of 5+1+4+1+1 = 12 -> 75 %.
"$AGG" report --db "$DB" --indicator svarsfrekvens --unit SE2321000032-VC0001 --span 2026-11 > rr1.txt 2>&1
grep -q "^2026-11 .*75 %" rr1.txt && ok "rost-agg report shows RR1 from the call statistics" \
  || { bad "RR1 report"; cat rr1.txt; }

# --- metrics ---
$C $URL/metrics > metrics.txt
m() { grep -v '^#' metrics.txt | grep -F "$1" | awk '{print $2}'; }
check "metrics: stored" 4 "$(m 'rost_agg_responses_stored_total ')"
check "metrics: duplicates" 2 "$(m 'rost_agg_responses_duplicate_total ')"
check "metrics: 400s on upload" 4 "$(m 'route="responses",status="400"')"
check "metrics: 401s on upload" 4 "$(m 'route="responses",status="401"')"
check "metrics: 413" 1 "$(m 'route="responses",status="413"')"
check "metrics: 429" 1 "$(m 'route="responses",status="429"')"
# The header drip can only be cut by the watchdog; the body drip and the
# idle connection may be cut by it or, first, by the idle timeout, depending
# on how busy the machine is.  So: 1 to 3.
cut=$(m 'rost_agg_slow_connections_cut_total ')
[ -n "$cut" ] && [ "$cut" -ge 1 ] && [ "$cut" -le 3 ] \
  && ok "metrics: slow connections cut by the watchdog ($cut of 3)" \
  || bad "metrics: slow connections cut by the watchdog (expected 1..3, got '$cut')"
grep -q "rost_agg_device_last_sync_seconds{device=\"${TOK%%.*}\",unit=\"SE2321000032-VC0001\"} [1-9]" metrics.txt \
  && ok "metrics: per-device last sync" || bad "metrics: no last sync for device"

# --- graceful SIGTERM: the request in flight is answered and stored ---
cat > term.py <<'PY'
import socket, ssl, sys, time, os, signal
port, token, pid, body = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4].encode()
ctx = ssl.create_default_context(cafile="ca.pem")
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="127.0.0.1")
s.sendall(("POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
           "Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
           % (token, len(body))).encode())
half = len(body) // 2
s.sendall(body[:half]); time.sleep(0.3)
os.kill(pid, signal.SIGTERM); time.sleep(0.5)
s.sendall(body[half:])
got = b""
s.settimeout(5)
while True:
    d = s.recv(4096)
    if not d: break
    got += d
print("REPLY" if b" 200 " in got and b'"stored"' in got else "LOST " + repr(got[:80]))
PY
U7=33333333-2222-4333-8444-555555555557
B="{\"protocol\":1,\"responses\":[$(resp $U7 "$A1")]}"
check "SIGTERM: request in flight answered" REPLY "$(python3 term.py "$PORT" "$TOK" "$SRV" "$B")"
wait $SRV; rc=$?
check "SIGTERM: exit status 0" 0 $rc
check "SIGTERM: in-flight response stored" 1 "$(dbq "SELECT COUNT(*) FROM responses WHERE uuid = '$U7'")"
grep -q "server_stopped unfinished=0" server.log && ok "stop logged" || bad "no stop line"
$C -o /dev/null "$URL/healthz" && bad "still answering after stop" || ok "no longer listening"

# --- one device may hold device_inflight=2 requests open; a third is 429 ---
start_server --set device_inflight=2 --set request_deadline=20 --set timeout=20 --set retry_after=7
cat > devbusy.py <<'PY'
import socket, ssl, sys, time, subprocess
port, token = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile="ca.pem")
def open_upload():
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10),
                        server_hostname="127.0.0.1")
    s.sendall(("POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
               "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{" % token).encode())
    return s
held = [open_upload(), open_upload()]
time.sleep(0.5)
s = open_upload()
got = s.recv(4096)
print(got.split(b"\r\n")[0].decode(), "retry-after" if b"Retry-After: 7" in got else "")
for h in held + [s]: h.close()
PY
check "device with 2 uploads open: third is 429 + Retry-After" "HTTP/1.1 429 Too Many Requests retry-after" \
  "$(python3 devbusy.py "$PORT" "$TOK" 2>&1 | sed 's/ *$//')"
sleep 0.5
check "another device is not held up" 200 "$($C -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK2" $URL/api/v1/sets)"
check "the device is served again once they close" 200 "$($C -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK" $URL/api/v1/sets)"
kill -TERM $SRV; wait $SRV

# --- per-IP connection limit: the third idle connection from one address
# is refused while two are open ---
start_server --set per_ip_limit=2
cat > perip.py <<'PY'
import socket, ssl, sys
port = int(sys.argv[1])
ctx = ssl.create_default_context(cafile="ca.pem")
def conn():
    return ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=5),
                           server_hostname="127.0.0.1")
held = [conn(), conn()]
try:
    c = conn()
    c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    print("third:", "served" if b"200" in c.recv(4096) else "refused")
except (OSError, ssl.SSLError):
    print("third: refused")
for h in held: h.close()
PY
check "per-IP limit 2: third connection refused" "third: refused" "$(python3 perip.py "$PORT")"
sleep 0.3
check "per-IP limit: served again once they close" 200 "$($C -o /dev/null -w '%{http_code}' $URL/healthz)"
kill -TERM $SRV; wait $SRV

# --- the thread-pool mode (threads = N) serves the same protocol ---
start_server --set threads=2
B="{\"protocol\":1,\"responses\":[$(resp $U1 "$A1")]}"
check "pool mode: resend answered duplicate" "200 1" "$(post "$TOK" "$B") $(grep -c duplicate resp.json)"
kill -TERM $SRV; wait $SRV
check "pool mode: SIGTERM exit 0" 0 $?

# --- logs: one event per line, no free text, no token ---
grep -v '^20[0-9-]*T[0-9:]*Z [a-z]* [a-z_]* ' server.log | grep -q . && bad "log line not in the one-event format" || ok "every log line is one event"
grep -q -e "Mer tid" -e "${TOK#*.}" server.log && bad "free text or token in the log" || ok "no free text or token in the log"

echo "agg_e2e: $PASSES passed, $FAILS failed"
[ $FAILS -eq 0 ]
