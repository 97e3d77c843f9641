#!/bin/bash
# run.sh — end-to-end test of the monthly letters and alerts: the real
# rost-agg against a real SMTP server (smtpd.py: aiosmtpd, STARTTLS and
# AUTH required, certificate from a test CA made here) on 127.0.0.1.
#  1. The seeded six-unit region (aggr-seed), recipients added with the
#     CLI, a dry run (prints, sends nothing), then the letters: well-formed
#     MIME, every figure equal to /api/v1/indicators of the running server
#     for the same span, every hidden cell hidden, sent once.
#  2. letters-seed: a real drop at n = 100 raises alerts (goal and quarter
#     rule, once); the same drop at n = 8 does not.
#  3. A server without STARTTLS gets nothing; the server down, then back:
#     every message arrives exactly once; a message cut off mid-send is
#     "uncertain", not resent until an admin says so.
#  4. The audit log holds every letter and alert.
# The clock is pinned with PATIENTROST_NOW (2026-10-01, a Thursday: the
# first weekday of October, so September's letters are due).
# Database: $PR_AGG_TEST_DB (postgresql://...) or new SQLite files.
# Usage: run.sh ROST_AGG AGGR_SEED LETTERS_SEED OUT_DIR
set -u
AGG=$1; SEED=$2; LSEED=$3; OUT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/agg.sh"
PY=/usr/bin/python3
rm -rf "$OUT"; mkdir -p "$OUT"; cd "$OUT" || exit 1
T0=1790812800            # 2026-10-01 00:00 UTC
export PATIENTROST_NOW=$((T0 + 6 * 3600))
UA=SE2321000032-VC0001; UF=SE2321000032-VC0006

newdb() { agg_db "$OUT/$1.db"; } # newdb NAME: sets DB and dbq for a fresh database

ca_make || exit 1

SMTP_PID=""; AGG_PID=""
cleanup() {
  [ -n "$SMTP_PID" ] && kill "$SMTP_PID" 2>/dev/null && wait "$SMTP_PID" 2>/dev/null
  [ -n "$AGG_PID" ] && kill "$AGG_PID" 2>/dev/null && wait "$AGG_PID" 2>/dev/null
}
trap cleanup EXIT
smtp_start() { # smtp_start MAILDIR [--port N] [--plain]
  local dir=$1; shift
  rm -f smtp.port
  $PY "$HERE/smtpd.py" --outdir "$dir" --port-file smtp.port --cert srv.pem \
    --key srv.key --user brevlada --password 'smtp-test-losen' "$@" 2>>smtpd.log &
  SMTP_PID=$!
  for _ in $(seq 1 200); do [ -s smtp.port ] && break; sleep 0.05; done
  SMTP_PORT=$(cat smtp.port 2>/dev/null)
  [ -n "$SMTP_PORT" ] || { echo "FAIL - SMTP server did not start"; cat smtpd.log; exit 1; }
}
smtp_stop() { kill "$SMTP_PID" 2>/dev/null; wait "$SMTP_PID" 2>/dev/null; SMTP_PID=""; }
nmail() { ls "$1"/*.eml 2>/dev/null | wc -l; }
printf 'smtp-test-losen\n' > smtp-password
conf() { # conf FILE PORT: the letters' config for this test
  cat > "$1" <<EOC
db = $DB
smtp_url = smtp://127.0.0.1:$2
smtp_user = brevlada
smtp_password_file = $OUT/smtp-password
smtp_ca = $OUT/ca.pem
smtp_from = patientrost@region.example.se
smtp_timeout = 10
letters_base_url = https://patientrost.region.example.se
letters_retry_base = 300
EOC
}

# ---------------- 1. the seeded region: letters against the API ----------------
newdb region
"$SEED" "$DB" || { echo "FAIL - seeding"; exit 1; }
smtp_start mail1
conf a.conf "$SMTP_PORT"
"$AGG" recipients add kvalitet.vc1@region.example.se --unit $UA --role kvalitet --config a.conf >/dev/null \
  && ok "recipients add (unit quality contact)" || bad "recipients add"
"$AGG" recipients add chef.vc1@region.example.se --unit $UA --role verksamhetschef --config a.conf >/dev/null \
  && ok "recipients add (verksamhetschef)" || bad "recipients add chef"
"$AGG" recipients add kvalitet.vc6@region.example.se --unit $UF --role kvalitet --config a.conf >/dev/null
"$AGG" recipients add analys@region.example.se --config a.conf >/dev/null \
  && ok "recipients add (region-wide)" || bad "recipients add region"
"$AGG" recipients add 'fel adress' --unit $UA --role kvalitet --config a.conf 2>err.txt; rc=$?
check "a bad address is refused (exit 2, says why)" "2 1" "$rc $(grep -c 'ser inte giltig ut' err.txt)"
"$AGG" recipients add x@region.example.se --unit SE2321000032-VC9999 --role kvalitet --config a.conf 2>err.txt; rc=$?
check "an unknown unit is refused naming it" "2 1" "$rc $(grep -c 'parameter unit' err.txt)"
"$AGG" recipients add x@region.example.se --unit $UA --role chef --config a.conf 2>/dev/null; rc=$?
check "an unknown role is refused" 2 "$rc"
"$AGG" recipients add tmp@region.example.se --unit $UA --role kvalitet --config a.conf >/dev/null
"$AGG" recipients remove tmp@region.example.se --unit $UA --config a.conf >/dev/null && ok "recipients remove" || bad "recipients remove"
"$AGG" recipients remove tmp@region.example.se --unit $UA --config a.conf 2>/dev/null; rc=$?
check "removing one that is not there is exit 2" 2 "$rc"
"$AGG" recipients list --config a.conf > rlist.txt
check "recipients list shows four" "4 mottagare." "$(tail -1 rlist.txt)"

"$AGG" letters --dry-run --config a.conf > dry.txt 2>&1; rc=$?
check "dry run exits 0" 0 "$rc"
check "dry run lists the four monthly letters" 4 "$(grep -c '^=== Skulle skicka (monthly\|^=== Skulle skicka (region' dry.txt)"
grep -q "Nöjdhet: " dry.txt && grep -q "Se allt på instrumentpanelen: https://patientrost.region.example.se/dashboard?unit=$UA" dry.txt \
  && ok "dry run prints the letters' text with the dashboard link" || bad "dry run text"
check "dry run sends nothing and queues nothing" "0 0" "$(nmail mail1) $(dbq 'SELECT COUNT(*) FROM letter_outbox')"
check "the dry run (it printed figures) is in the audit log" 1 "$(dbq "SELECT COUNT(*) FROM audit_log WHERE what='letters-dry-run'")"

"$AGG" letters run --config a.conf > run1.txt 2>&1; rc=$?
check "letters run exits 0" 0 "$rc"
NM=$(dbq "SELECT COUNT(*) FROM letter_outbox")
check "every queued message arrived" "$NM" "$(nmail mail1)"
check "four monthly letters among them" 4 "$($PY "$HERE/check.py" summary mail1 | grep -c 'månadsbrev')"
$PY "$HERE/check.py" mime mail1 > mime.txt 2>&1 && ok "$(cat mime.txt)" || { bad "MIME"; cat mime.txt; }
grep -h -i '^Subject:' mail1/*.eml | head -1 | grep -q '=?UTF-8?B?' && ok "subject is an RFC 2047 encoded word" || bad "subject encoding"

# The API of the running server, same span (2025-10..2026-09), region reader.
TOK=$("$AGG" token add brevtest --role region --db "$DB")
agg_start port server.log --db "$DB" --cert srv.pem --key srv.key
URL=https://127.0.0.1:$AGG_PORT
mkdir -p api
for ind in $(dbq "SELECT DISTINCT indicator FROM counts ORDER BY 1") svarsfrekvens samarbetsgrad; do
  curl -s --cacert ca.pem -H "Authorization: Bearer $TOK" \
    "$URL/api/v1/indicators?indicator=$ind&period=month&from=2025-10-01&to=2026-09-30&unit=$UA" -o "api/$ind.json"
done
# The admin's page: sign in with the form, list, add and remove.
echo 'admin-langt-losenord' | "$AGG" user add brevadmin --role admin --db "$DB" >/dev/null
echo 'analys-langt-losenord' | "$AGG" user add analytiker --role region --db "$DB" >/dev/null
C="curl -s --cacert ca.pem"
signin() { # signin JAR USER PASSWORD
  $C -c "$1" -o login.html "$URL/login"
  local t; t=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' login.html | head -1)
  $C -b "$1" -c "$1" -o /dev/null --data-urlencode "csrf=$t" --data-urlencode "user=$2" \
    --data-urlencode "password=$3" "$URL/login"
}
signin admin.jar brevadmin admin-langt-losenord
signin region.jar analytiker analys-langt-losenord
code() { $C -o page.html -w "%{http_code}" "$@"; }
$C -b admin.jar -o dash_admin.html "$URL/dashboard"; $C -b region.jar -o dash_region.html "$URL/dashboard"
check "the dashboard links admins (only) to the recipients page" "1 0" \
  "$(grep -c 'href="/admin/recipients"' dash_admin.html) $(grep -c 'href="/admin/recipients"' dash_region.html)"
check "recipients page without a session redirects to sign-in" 303 "$(code "$URL/admin/recipients")"
check "recipients page with an API token redirects to sign-in" 303 "$(code -H "Authorization: Bearer $TOK" "$URL/admin/recipients")"
check "recipients page for a region analyst is 403" 403 "$(code -b region.jar "$URL/admin/recipients")"
check "recipients page for the admin is 200 and lists the four" "200 4" \
  "$(code -b admin.jar -c admin.jar "$URL/admin/recipients") $(grep -o '<tr data-unit=' page.html | wc -l)"
PCSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' page.html | head -1)
check "adding without the CSRF field is refused" 403 \
  "$(code -b admin.jar -d action=add -d unit=$UA -d role=kvalitet --data-urlencode email=ny@region.example.se "$URL/admin/recipients")"
check "adding from a foreign Origin is refused" 403 \
  "$(code -b admin.jar -H 'Origin: https://evil.example' -d csrf=$PCSRF -d action=add -d unit=$UA -d role=kvalitet --data-urlencode email=ny@region.example.se "$URL/admin/recipients")"
check "a region analyst cannot add (403)" 403 \
  "$(code -b region.jar -d csrf=$PCSRF -d action=add -d unit=$UA -d role=kvalitet --data-urlencode email=ny@region.example.se "$URL/admin/recipients")"
check "the admin adds one with the form (303)" 303 \
  "$(code -b admin.jar -d csrf=$PCSRF -d action=add -d unit=$UA -d role=kvalitet --data-urlencode email=ny@region.example.se "$URL/admin/recipients")"
check "a bad address on the form is a 400 saying why" "400 1" \
  "$(code -b admin.jar -d csrf=$PCSRF -d action=add -d unit=$UA -d role=kvalitet --data-urlencode 'email=inte en adress' "$URL/admin/recipients") $(grep -c 'ser inte giltig ut' page.html)"
check "the new recipient is stored" 1 "$(dbq "SELECT COUNT(*) FROM letter_recipients WHERE email='ny@region.example.se' AND unit='$UA' AND role='kvalitet'")"
check "the admin removes it with the form (303)" 303 \
  "$(code -b admin.jar -d csrf=$PCSRF -d action=remove -d unit=$UA --data-urlencode email=ny@region.example.se "$URL/admin/recipients")"
check "removed" 0 "$(dbq "SELECT COUNT(*) FROM letter_recipients WHERE email='ny@region.example.se'")"
check "audit: the page's changes under the admin's name" 2 "$(dbq "SELECT COUNT(*) FROM audit_log WHERE who='brevadmin' AND what LIKE 'recipient-%'")"
grep -q "<table id=\"outbox\">" page.html || code -b admin.jar "$URL/admin/recipients" >/dev/null
check "the page shows the outbox with the sent letters" "$NM" "$(grep -o '<tr><td>sent</td>' page.html | wc -l)"
kill $AGG_PID; wait $AGG_PID 2>/dev/null; AGG_PID=""
$PY "$HERE/check.py" content mail1 api > content.txt 2>&1 && ok "$(cat content.txt)" || { bad "letter figures vs API"; cat content.txt; }
grep -q "hidden" content.txt && [ "$(sed -n 's/.* \([0-9]*\) hidden/\1/p' content.txt)" -gt 0 ] \
  && ok "the letters met hidden cells (the suppression check was not empty)" || bad "no hidden cell met"
F6=$($PY "$HERE/check.py" summary mail1 | grep "kvalitet.vc6" | grep månadsbrev | cut -d'|' -f1 | head -1)
$PY "$HERE/check.py" text "mail1/$F6" > vc6.txt
grep -q "^Nöjdhet: visas inte (skyddar små grupper)" vc6.txt \
  && ok "VC0006's September (3 answers) reads 'visas inte' in its own letter" || { bad "VC0006 letter"; head -20 vc6.txt; }
# The raw September count of the small unit must not appear as its figure.
RAWN=$(dbq "SELECT SUM(pos+neg) FROM counts_month WHERE unit='$UF' AND indicator='nojdhet' AND month_start=20697")
grep -q "(n = $RAWN;" <(grep "^Nöjdhet: " vc6.txt) && bad "VC0006's hidden n=$RAWN printed" || ok "VC0006's hidden count ($RAWN) is not printed"

$PY "$HERE/check.py" summary mail1 | grep '|Patientröst: larm' > alerts1.txt
awk -F'|' '$2 != "analys@region.example.se" && !($2 ~ /vc1@/ && $3 ~ /VC0001/) && !($2 ~ /vc6@/ && $3 ~ /VC0006/)' alerts1.txt > stray.txt
check "alerts of the seeded region reach the region recipient, and no other unit's" "0 1" \
  "$(wc -l < stray.txt) $([ -s alerts1.txt ] && grep -c -m1 'analys@' alerts1.txt)"
"$AGG" letters run --config a.conf > run2.txt 2>&1
PATIENTROST_NOW=$((T0 + 5 * 86400)) "$AGG" letters run --config a.conf > run3.txt 2>&1
check "running again (and days later) sends nothing twice" "$NM" "$(nmail mail1)"
check "audit: a letter-sent entry per message" "$NM" "$(dbq "SELECT COUNT(*) FROM audit_log WHERE what='letter-sent'")"
check "audit: a letter entry per queued message" "$NM" "$(dbq "SELECT COUNT(*) FROM audit_log WHERE what='letter'")"
check "audit: recipient changes by the CLI" 6 "$(dbq "SELECT COUNT(*) FROM audit_log WHERE who LIKE 'cli:%' AND what LIKE 'recipient-%'")"
smtp_stop

# ---------------- 2 + 3. alerts; a server without TLS; down, then back -------
newdb alerts
"$LSEED" "$DB" || { echo "FAIL - letters-seed"; exit 1; }
UB=SE2321000032-VC0002; UC=SE2321000032-VC0003
PORT2=$($PY -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
conf b.conf "$PORT2"
for u in $UA $UB $UC; do
  "$AGG" recipients add "kvalitet.${u##*-}@region.example.se" --unit $u --role kvalitet --config b.conf >/dev/null
done
"$AGG" letters --dry-run --config b.conf > dry2.txt 2>&1
ALERTS=$(grep -c '^=== Skulle skicka (alert' dry2.txt)
check "dry run: alerts for VC0001 only (4 indicators x goal + quarter rule)" "8 0 0" \
  "$ALERTS $(grep -A1 '^=== Skulle skicka (alert' dry2.txt | grep -c "$UB") $(grep -A1 '^=== Skulle skicka (alert' dry2.txt | grep -c "$UC")"

# A server that does not offer STARTTLS gets nothing (CURLUSESSL_ALL).
smtp_start mail_plain --port "$PORT2" --plain
"$AGG" letters run --config b.conf > plain.txt 2>&1; rc=$?
check "no STARTTLS: nothing delivered, exit 3 (retry later)" "0 3" "$(nmail mail_plain) $rc"
grep -qi "ssl\|tls" plain.txt <(dbq "SELECT last_error FROM letter_outbox WHERE attempts > 0") \
  && ok "the failure names TLS" || bad "no TLS in the error"
smtp_stop
# Server down: the next run fails one more message and stops.
PATIENTROST_NOW=$((PATIENTROST_NOW + 5)) "$AGG" letters run --config b.conf > down.txt 2>&1; rc=$?
check "server down: exit 3" 3 "$rc"
check "two messages wait with a later next_at" 2 "$(dbq "SELECT COUNT(*) FROM letter_outbox WHERE state='pending' AND attempts=1 AND next_at > $PATIENTROST_NOW")"
"$AGG" letters list --config b.conf | grep -q "^pending" && ok "letters list shows the waiting messages" || bad "letters list"
# Back: everything due now goes; the two failed ones wait their backoff.
smtp_start mail2 --port "$PORT2"
PATIENTROST_NOW=$((PATIENTROST_NOW + 10)) "$AGG" letters run --config b.conf > back1.txt 2>&1
NB=$(dbq "SELECT COUNT(*) FROM letter_outbox")
check "server back: all but the two in backoff arrived" "$((NB - 2))" "$(nmail mail2)"
PATIENTROST_NOW=$((PATIENTROST_NOW + 400)) "$AGG" letters run --config b.conf > back2.txt 2>&1
check "after the backoff the two arrive too" "$NB" "$(nmail mail2)"
PATIENTROST_NOW=$((PATIENTROST_NOW + 4000)) "$AGG" letters run --config b.conf > back3.txt 2>&1
check "nothing arrives twice" "$NB" "$(nmail mail2)"
check "every Message-ID once" "$NB" "$(grep -h -i '^Message-ID:' mail2/*.eml | sort -u | wc -l)"
check "all sent in the outbox" "$NB" "$(dbq "SELECT COUNT(*) FROM letter_outbox WHERE state='sent'")"

$PY "$HERE/check.py" summary mail2 > sum2.txt
check "alerts arrived: 8 for VC0001" 8 "$(grep -c "larm.*$UA" sum2.txt)"
check "no alert for the same drop at n = 8 (VC0002) nor for VC0003" 0 "$(grep -c "larm.*\($UB\|$UC\)" sum2.txt)"
check "goal rule alert for 2026-09 and quarter rule alert for 2026-K3" "4 4" \
  "$(grep -c "larm – .*$UA, 2026-09)" sum2.txt) $(grep -c "larm – .*$UA, 2026-K3)" sum2.txt)"
AF=$(grep "larm – Nöjdhet.*2026-09)" sum2.txt | cut -d'|' -f1)
$PY "$HERE/check.py" text "mail2/$AF" > alert.txt
grep -q "Regel: 95 %-intervallets övre gräns har legat under målet 75 % i 2 månader i rad" alert.txt \
  && grep -q "2026-09: 50,0 % (n = 100;" alert.txt && grep -q "2026-07: 85,0 % (n = 100;" alert.txt \
  && ok "the alert states the rule and what changed, with n" || { bad "alert text"; cat alert.txt; }
check "audit: one alert entry per raised alert" 8 "$(dbq "SELECT COUNT(*) FROM audit_log WHERE what='alert'")"
check "alert ledger: 8 (unit, indicator, period)" 8 "$(dbq "SELECT COUNT(*) FROM letter_alerts")"

# A message cut off mid-send: claimed, never recorded as sent.
dbq "UPDATE letter_outbox SET state='sending', claimed_at=$PATIENTROST_NOW WHERE id = (SELECT MIN(id) FROM letter_outbox)" >/dev/null
CUT=$(dbq "SELECT id FROM letter_outbox WHERE state='sending'")
PATIENTROST_NOW=$((PATIENTROST_NOW + 3600)) "$AGG" letters run --config b.conf > cut.txt 2>&1
check "a cut-off send becomes 'uncertain' and is not resent" "uncertain $NB" \
  "$(dbq "SELECT state FROM letter_outbox WHERE id='$CUT'") $(nmail mail2)"
"$AGG" letters resend "$CUT" --config b.conf >/dev/null
PATIENTROST_NOW=$((PATIENTROST_NOW + 3700)) "$AGG" letters run --config b.conf > cut2.txt 2>&1
check "resend on an admin's word sends it" "sent $((NB + 1))" \
  "$(dbq "SELECT state FROM letter_outbox WHERE id='$CUT'") $(nmail mail2)"
smtp_stop

# TLS from the start (smtps://) and a refused login: a recipient added
# later gets September's letter (not the alerts raised before).
smtp_start mail3 --smtps
conf c.conf "$SMTP_PORT"
sed -i "s#^smtp_url = smtp://#smtp_url = smtps://#; s#^smtp_password_file = .*#smtp_password_file = $OUT/wrong-password#" c.conf
printf 'fel-losenord\n' > wrong-password
"$AGG" recipients add sen@region.example.se --unit $UA --role verksamhetschef --config c.conf >/dev/null
T=$((PATIENTROST_NOW + 8000))
PATIENTROST_NOW=$T "$AGG" letters run --config c.conf > auth.txt 2>&1; rc=$?
check "a refused login: nothing delivered, exit 3, kept, the outbox says 'Login denied'" "0 3 1" \
  "$(nmail mail3) $rc $(dbq "SELECT COUNT(*) FROM letter_outbox WHERE recipient='sen@region.example.se' AND state='pending' AND attempts=1 AND last_error LIKE '%Login denied%'")"
sed -i "s#^smtp_password_file = .*#smtp_password_file = $OUT/smtp-password#" c.conf
PATIENTROST_NOW=$((T + 400)) "$AGG" letters run --config c.conf > smtps.txt 2>&1
check "over smtps:// after the backoff: the late recipient's monthly letter only" "1 0" \
  "$(nmail mail3) $($PY "$HERE/check.py" summary mail3 | grep -c larm)"
smtp_stop

echo "# $PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
