#!/bin/bash
# run.sh — end-to-end test of the aggregates: the real rost-agg over HTTPS
# on 127.0.0.1 (test CA made here), a synthetic region stored through the
# real ingest path (aggr-seed), accounts and a token made with the CLI,
# then: access rules (a unit reader cannot read another unit by any route
# or parameter), the audit log, CSV for Swedish Excel, the .xlsx cells
# against the API, `rost-agg report`, and finally a real headless Chromium
# (dashboard.test.mjs) — chart and table equal to the API, unit and period
# switched, PNG screenshots under OUT.
# Database: $PR_AGG_TEST_DB (postgresql://...) or a new SQLite file.
# Usage: run.sh ROST_AGG AGGR_SEED OUT_DIR
set -u
AGG=$1; SEED=$2; OUT=$3
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/agg.sh"
rm -rf "$OUT"; mkdir -p "$OUT"; cd "$OUT" || exit 1

agg_db "$OUT/agg.db"
UA=SE2321000032-VC0001; UB=SE2321000032-VC0002
PW_REGION='regionens-langa-losenord'; PW_UNIT='enhetens-langa-losenord'

ca_make || exit 1

"$SEED" "$DB" || { echo "FAIL - seeding"; exit 1; }
echo "$PW_REGION" | "$AGG" user add analytiker --role region --db "$DB" >/dev/null \
  && ok "user add (region analyst)" || bad "user add region"
echo "$PW_UNIT" | "$AGG" user add vc1 --role unit --unit $UA --db "$DB" >/dev/null \
  && ok "user add (unit reader)" || bad "user add unit"
echo "kort" | "$AGG" user add x --role unit --unit $UA --db "$DB" 2>err.txt; rc=$?
check "user add refuses a short password with a reason" "1 1" "$rc $(grep -c 'at least 10' err.txt)"
TOK_UNIT=$("$AGG" token add skript-vc1 --role unit --unit $UA --db "$DB")
TOK_REG=$("$AGG" token add skript-region --role region --db "$DB")
[ ${#TOK_UNIT} -eq 64 ] && ok "token add prints a 64-hex token" || bad "token '$TOK_UNIT'"

# The server's clock stands still (PATIENTROST_NOW, read by pr_now): the
# sign-in slow-down checked below is 2 s after the third failure, and on a
# loaded machine three password checks and the next request take longer.
export PATIENTROST_NOW; PATIENTROST_NOW=$(date +%s)
agg_start port server.log --db "$DB" --cert srv.pem --key srv.key
unset PATIENTROST_NOW
SRV=$AGG_PID; PORT=$AGG_PORT
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null' EXIT
[ -n "$PORT" ] || { echo "FAIL - server did not start"; cat server.log; exit 1; }
URL=https://127.0.0.1:$PORT
C="curl -s --cacert ca.pem"
code() { $C -o body.out -w "%{http_code}" "$@"; }
has_text() { # has_text FILE TEXT: also looks inside an .xlsx (zip)
  python3 - "$1" "$2" <<'PY'
import sys, zipfile
path, text = sys.argv[1], sys.argv[2].encode()
data = open(path, "rb").read()
if zipfile.is_zipfile(path):
    z = zipfile.ZipFile(path)
    data = b"".join(z.read(n) for n in z.namelist())
sys.exit(0 if text in data else 1)
PY
}
Q="indicator=nojdhet&period=month&from=2025-01-01&to=2026-11-30"

# --- access: no credentials, wrong token, unit reader outside its unit ---
check "API without credentials is 401" 401 "$(code "$URL/api/v1/indicators?$Q")"
# Flip the token's last hex digit (appending "0" in place of the last
# digit left the token unchanged one time in 16).
last=${TOK_UNIT: -1}; [ "$last" = 0 ] && flip=1 || flip=0
check "API with a wrong token is 401" 401 "$(code -H "Authorization: Bearer ${TOK_UNIT%?}$flip" "$URL/api/v1/indicators?$Q")"
check "dashboard without a session redirects" 303 "$(code "$URL/dashboard")"
check "dashboard with a wrong token redirects" 303 \
  "$(code -H "Authorization: Bearer ${TOK_UNIT%?}$flip" "$URL/dashboard")"
# An API token reads the dashboard (GET), under the API's access rule.
check "dashboard with a unit token is 200, read-only (no sign-out form)" "200 1 0" \
  "$(code -H "Authorization: Bearer $TOK_UNIT" "$URL/dashboard") $(grep -c 'med API-nyckel' body.out) $(grep -c 'action="/logout"' body.out)"
check "dashboard with a unit token: another unit is 403" 403 \
  "$(code -H "Authorization: Bearer $TOK_UNIT" "$URL/dashboard?unit=$UB")"
check "dashboard: Vårdform cuts the phone table and the page says so" "200 1" \
  "$(code -H "Authorization: Bearer $TOK_UNIT" "$URL/dashboard?care=Psykiatri&track=R%C3%96D") $(grep -c 'Urval: spår röd, vårdform psykiatrisk' body.out)"
for route in api/v1/indicators api/v1/indicators.csv export.xlsx; do
  check "unit reader token: /$route?unit=$UB is 403" 403 \
    "$(code -H "Authorization: Bearer $TOK_UNIT" "$URL/$route?$Q&unit=$UB")"
  st=$(code -H "Authorization: Bearer $TOK_UNIT" "$URL/$route?$Q&unit=$UA&unit=$UB")
  if [ "$st" = 403 ] || { [ "$st" = 200 ] && ! has_text body.out "$UB"; }; then
    ok "unit reader token: /$route with unit twice gives nothing of $UB ($st)"
  else bad "unit reader token: /$route with unit twice leaked ($st)"; fi
done
check "unit reader: lower-case other unit is 403" 403 \
  "$(code -H "Authorization: Bearer $TOK_UNIT" "$URL/api/v1/indicators?$Q&unit=se2321000032-vc0002")"
check "unit reader: %-encoded other unit is 403" 403 \
  "$(code -H "Authorization: Bearer $TOK_UNIT" "$URL/api/v1/indicators?$Q&unit=SE2321000032%2DVC0002")"
check "unit reader without unit= gets its own unit" "200 $UA" \
  "$(code -H "Authorization: Bearer $TOK_UNIT" "$URL/api/v1/indicators?$Q") $(python3 -c 'import json;print(json.load(open("body.out"))["unit"])')"
python3 - <<'PY' && ok "unit reader's JSON has no other unit's figures" || bad "unit reader JSON leaks units"
import json,sys
j=json.load(open("body.out"))
sys.exit(0 if "units" not in j and all(set(r)<= {"period","unit","region"} for r in j["series"]) else 1)
PY
$C -H "Authorization: Bearer $TOK_UNIT" "$URL/api/v1/indicators.csv?$Q" -o unit.csv
grep -q "$UB" unit.csv && bad "unit reader CSV names another unit" || ok "unit reader CSV holds only its unit and the region"

# Session of the unit reader through the sign-in form (CSRF cookie + field).
$C -c jar.txt -o login.html "$URL/login"
CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' login.html | head -1)
check "sign-in without the CSRF cookie is refused" 403 \
  "$(code --data-urlencode "csrf=$CSRF" --data-urlencode user=vc1 --data-urlencode "password=$PW_UNIT" "$URL/login")"
check "sign-in from a foreign Origin is refused" 403 \
  "$(code -b jar.txt -H 'Origin: https://evil.example' --data-urlencode "csrf=$CSRF" --data-urlencode user=vc1 --data-urlencode "password=$PW_UNIT" "$URL/login")"
check "sign-in with the form works" 303 \
  "$(code -b jar.txt -c jar.txt --data-urlencode "csrf=$CSRF" --data-urlencode user=vc1 --data-urlencode "password=$PW_UNIT" "$URL/login")"
grep -q pr_session jar.txt && ok "session cookie set" || bad "no session cookie"
check "unit reader session: dashboard?unit=$UB is 403" 403 "$(code -b jar.txt "$URL/dashboard?unit=$UB")"
check "unit reader session: own dashboard is 200" 200 "$(code -b jar.txt "$URL/dashboard")"
grep -c "SE2321000032-VC000[2-6]" body.out | grep -qx 0 && ok "unit reader's dashboard names no other unit" \
  || bad "unit reader's dashboard names another unit"
check "unit reader session: export.xlsx?unit=$UB is 403" 403 "$(code -b jar.txt "$URL/export.xlsx?$Q&unit=$UB")"

# --- slow-down after failed sign-ins ---
for i in 1 2 3; do code -b jar.txt --data-urlencode "csrf=$CSRF" --data-urlencode user=vc1 --data-urlencode password=gissning "$URL/login" >/dev/null; done
st=$($C -b jar.txt -D hdr.txt -o /dev/null -w "%{http_code}" --data-urlencode "csrf=$CSRF" --data-urlencode user=vc1 --data-urlencode "password=$PW_UNIT" "$URL/login")
check "after three failures even the right password must wait (429, Retry-After: 2)" "429 2" \
  "$st $(tr -d '\r' < hdr.txt | sed -n 's/^[Rr]etry-[Aa]fter: *//p')"

# --- the region analyst: JSON, CSV, xlsx, audit ---
check "region token: JSON for unit A" 200 "$(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators?$Q&unit=$UA")"
cp body.out api_a.json
check "bad parameter is a 400 naming it" "400 1" \
  "$(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators?indicator=nojdhet&period=fortnight") $(grep -c 'period' body.out)"
check "unknown indicator is a 404 naming the parameter" "404 1" \
  "$(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators?indicator=finnsinte&period=month") $(grep -c 'parameter indicator' body.out)"
check "unknown indicator in CSV is a 404 too" 404 \
  "$(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators.csv?indicator=finnsinte")"
check "unknown unit is a 404 naming the parameter" "404 1" \
  "$(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators?indicator=nojdhet&unit=SE2321000032-VC9999") $(grep -c 'parameter unit' body.out)"
check "unknown indicator on the Excel export is a 404" 404 \
  "$(code -H "Authorization: Bearer $TOK_REG" "$URL/export.xlsx?indicator=finnsinte")"
$C -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators.csv?$Q&unit=$UA" -o a.csv
python3 - <<'PY' && ok "CSV: BOM, ';', decimal comma, same figures as the API, suppressed cells empty" || bad "CSV check"
import json,sys
raw=open("a.csv","rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
lines=raw[3:].decode("utf-8").split("\r\n")
assert lines[0].split(";")[0]=="Indikator", lines[0]
api=json.load(open("api_a.json"))
rows={(l.split(";")[1],l.split(";")[2]):l.split(";") for l in lines[1:] if l}
n=0
for r in api["series"]:
    c=r["unit"]; row=rows[("SE2321000032-VC0001",r["period"])]
    if c.get("suppressed"):
        assert row[3]=="" and "visas inte" in row[8], row
    elif c["n"]>0:
        from decimal import Decimal, ROUND_HALF_UP
        want=str(Decimal(c["share"]*100).quantize(Decimal("0.1"), ROUND_HALF_UP))
        assert row[3]==want.replace(".",","), (row,c)
        assert row[6]==str(c["n"]); n+=1
assert n>10
PY
$C -H "Authorization: Bearer $TOK_REG" "$URL/export.xlsx?$Q&unit=$UA" -o a.xlsx
python3 - <<'PY' && ok "xlsx: a sheet per indicator with a native line chart; cells equal the API" || bad "xlsx check"
import json,re,sys,zipfile
z=zipfile.ZipFile("a.xlsx")
names=z.namelist()
assert any(n.startswith("xl/charts/chart") for n in names), names
assert b"<c:lineChart>" in z.read([n for n in names if n.startswith("xl/charts/chart")][0])
wb=z.read("xl/workbook.xml").decode()
sheets=re.findall(r'<sheet name="([^"]+)"',wb)
assert "Nöjdhet" in sheets and "Om siffrorna" in sheets, sheets
ss=[re.sub(r"<[^>]+>","",s) for s in re.findall(r"<si>(.*?)</si>",z.read("xl/sharedStrings.xml").decode(),re.S)]
idx=sheets.index("Nöjdhet")+1
x=z.read("xl/worksheets/sheet%d.xml"%idx).decode()
cells={}
for ref,t,v in re.findall(r'<c r="([A-Z]+\d+)"[^>]*?(?: t="(\w+)")?[^>]*>(?:<f>[^<]*</f>)?<v>([^<]*)</v>',x):
    cells[ref]=ss[int(v)] if t=="s" else float(v)
api=json.load(open("api_a.json"))
n=0
for i,r in enumerate(api["series"]):
    row=6+i
    assert cells["A%d"%row]==r["period"], (cells.get("A%d"%row),r["period"])
    c=r["unit"]
    if c.get("suppressed"):
        assert str(cells["B%d"%row]).startswith("visas inte"), cells["B%d"%row]
    elif c["n"]>0:
        assert abs(cells["B%d"%row]-c["share"])<1e-9 and cells["E%d"%row]==c["n"], (row,cells["B%d"%row],c)
        n+=1
assert n>10, n
PY
$C -H "Authorization: Bearer $TOK_REG" "$URL/export.xlsx?period=quarter&span=2026&unit=$UA" -o all.xlsx
python3 - <<'PY' && ok "xlsx: sheets for the call rates RR1 and COOP1" || bad "xlsx call-rate sheets"
import re,zipfile
wb=zipfile.ZipFile("all.xlsx").read("xl/workbook.xml").decode()
sheets=re.findall(r'<sheet name="([^"]+)"',wb)
assert "Svarsfrekvens (RR1)" in sheets and "Samarbetsgrad (COOP1)" in sheets, sheets
PY
$C -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators.csv?indicator=svarsfrekvens&period=quarter&span=2026&unit=$UA" -o rr1.csv
check "CSV of RR1 by quarter: a row per quarter and the span, for the unit and the region" 10 \
  "$(grep -c "^svarsfrekvens;\(Regionen\|$UA\);\(2026-K[1-4]\|Hela perioden\);" rr1.csv)"
check "RR1 with a mode cut is a 400 naming why" "400 1" \
  "$(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators?indicator=svarsfrekvens&mode=phone") $(grep -c 'call rates' body.out)"
"$AGG" report --db "$DB" --indicator nojdhet --unit $UA --period quarter --span 2026 > report.txt 2>&1 \
  && grep -q "2026-K1" report.txt && grep -q "Hela perioden" report.txt \
  && ok "rost-agg report prints the table" || { bad "report"; cat report.txt; }
# One vocabulary (vocab.h) at every door: the API and report take what the
# call-list import takes, in any case.
check "API: care=psykiatri, care=Somatisk, track=RÖD are 200; care=ortopedi is 400" "200 200 200 400" \
  "$(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators?$Q&care=psykiatri") $(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators?$Q&care=Somatisk") $(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators?$Q&track=R%C3%96D") $(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators?$Q&care=ortopedi")"
check "CSV: care=Psykiatri is 200" 200 \
  "$(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/indicators.csv?$Q&care=Psykiatri")"
"$AGG" report --db "$DB" --indicator nojdhet --span 2026 --care Psykiatri --track röd >/dev/null 2>err.txt; rc=$?
check "report --care Psykiatri --track röd is taken" 0 "$rc"
"$AGG" report --db "$DB" --indicator nojdhet --span 2026 --care ortopedi >/dev/null 2>err.txt; rc=$?
check "report --care ortopedi exits 2 naming the words" "2 1" "$rc $(grep -c 'somatisk or psykiatrisk' err.txt)"
"$AGG" report --db "$DB" --indicator nojdhet --unit SE2321000032-VC0006 --span 2026 > small.txt 2>&1
grep -q "visas inte" small.txt && ok "report suppresses the small unit" || bad "report small unit"
"$AGG" report --db "$DB" --indicator finnsinte --span 2026 >out.txt 2>err.txt; rc=$?
check "report on an unknown indicator exits 2 naming it, prints no table" "2 1 0" \
  "$rc $(grep -c 'parameter indicator' err.txt) $(grep -c 'Hela perioden' out.txt)"
"$AGG" report --db "$DB" --indicator nojdhet --unit SE2321000032-VC9999 >/dev/null 2>err.txt; rc=$?
check "report on an unknown unit exits 2 naming it" "2 1" "$rc $(grep -c 'parameter unit' err.txt)"
"$AGG" report --db "$DB" --indicator nojdhet --span 2026-13 >/dev/null 2>err.txt; rc=$?
check "report refuses a bad span with a reason" "2 1" "$rc $(grep -c 'span' err.txt)"
check "audit log has the pulls (API, CSV, xlsx, dashboard, report, denied)" 6 \
  "$(dbq "SELECT COUNT(DISTINCT what) FROM audit_log WHERE what IN ('indicators','indicators.csv','export.xlsx','dashboard','report','denied')")"
n_who=$(dbq "SELECT COUNT(*) FROM audit_log WHERE who = 'skript-region' AND what = 'indicators'")
[ "${n_who:-0}" -gt 0 ] && ok "audit log names who ($n_who pulls by skript-region)" || bad "audit log lacks who"
grep -q "$PW_UNIT\|$PW_REGION" server.log && bad "a password reached the log" || ok "no password in the server log"

# --- the fleet: kiosks report their status (as sync.c sends it) ---
FLEET='['
for spec in "$UA|Väntrum A|0.1.0|7|3" "$UB|Väntrum B|0.2.0|0|2" "$UB|Gamla kiosken|0.0.9|3|1"; do
  IFS='|' read -r u n v q sv <<< "$spec"
  t=$("$AGG" enrol --token --db "$DB" --unit "$u" --name "$n" 2>/dev/null)
  body="{\"software\":\"$v\",\"sets\":[{\"id\":\"kiosk-besok\",\"version\":$sv},{\"id\":\"samordnare-kontakt\",\"version\":1}],\"queue\":$q}"
  check "kiosk status report accepted ($n)" 200 \
    "$(code -H "Authorization: Bearer $t" -H 'Content-Type: application/json' -d "$body" "$URL/api/v1/status")"
  FLEET="$FLEET{\"unit\":\"$u\",\"name\":\"$n\",\"software\":\"$v\",\"sets\":\"kiosk-besok v$sv, samordnare-kontakt v1\",\"queue\":$q},"
done
FLEET="${FLEET%,}]"
check "a malformed status report is 400" 400 \
  "$(code -H "Authorization: Bearer $t" -H 'Content-Type: application/json' -d '{"software":"x y"}' "$URL/api/v1/status")"
check "a status report without a device token is 401" 401 \
  "$(code -H 'Content-Type: application/json' -d "$body" "$URL/api/v1/status")"
# one kiosk last heard from five days ago, one never: both must stand out
dbq "UPDATE devices SET last_sync = last_sync - 5 * 86400 WHERE name = 'Gamla kiosken'" >/dev/null
"$AGG" enrol --token --db "$DB" --unit $UA --name "Aldrig synkad" >/dev/null 2>&1
check "unit reader: the fleet page is 403" 403 "$(code -H "Authorization: Bearer $TOK_UNIT" "$URL/dashboard/kiosker.csv")"
check "region token: the fleet CSV" 200 "$(code -H "Authorization: Bearer $TOK_REG" "$URL/dashboard/kiosker.csv?sort=-queue")"
grep -q "Gamla kiosken;0.0.9;kiosk-besok v1, samordnare-kontakt v1;3;" body.out \
  && ok "fleet CSV row as the kiosk reported it" || bad "fleet CSV: $(grep Gamla body.out)"
export FLEET_EXPECT="$FLEET"

# --- a real browser ---
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund >/dev/null 2>&1)
fi
if node "$HERE/dashboard.test.mjs" "$URL" "$OUT" analytiker "$PW_REGION" $UA $UB; then
  ok "headless Chromium: dashboard equals the API, unit and period switch, screenshots in $OUT"
else
  bad "headless Chromium dashboard test"
fi

echo "aggregates e2e: $PASSES passed, $FAILS failed"
[ $FAILS -eq 0 ]
