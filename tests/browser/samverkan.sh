#!/bin/bash
# samverkan.sh — end-to-end test of the collaboration follow-up: the real
# rost-agg over HTTPS on 127.0.0.1 (test CA made here), accounts, a token,
# länsdelar and last year's combined form set up with the CLI, six units'
# done meetings stored as rows, then: devices never get the meeting forms,
# the per-unit rule (a unit account and a region account trying every
# route and parameter), the compilation JSON against hand-computed
# distributions, CSV, the .xlsx cells against the API, the audit log, and
# finally a real headless Chromium (samverkan.test.mjs): a unit fills in
# its meeting, reloads mid-way, marks it Klar, an admin reopens it.
# Database: $PR_AGG_TEST_DB (postgresql://...) or a new SQLite file.
# Usage: samverkan.sh ROST_AGG OUT_DIR FIXTURE_DIR
set -u
AGG=$1; OUT=$2; FIX=$3
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/agg.sh"
rm -rf "$OUT"; mkdir -p "$OUT"; cd "$OUT" || exit 1

agg_db "$OUT/agg.db"
UA=SE2321000032-VC0101; UB=SE2321000032-VC0102
PW_UNIT='enhetens-langa-losenord'; PW_REGION='regionens-langa-losenord'
PW_ADMIN='adminens-langa-losenord'
T=samverkan-hemsjukvard; Y=2025

ca_make || exit 1

echo "$PW_UNIT" | "$AGG" user add vc1 --role unit --unit $UA --db "$DB" >/dev/null || bad "user add vc1"
echo "$PW_UNIT" | "$AGG" user add vc2 --role unit --unit $UB --db "$DB" >/dev/null || bad "user add vc2"
echo "$PW_REGION" | "$AGG" user add analytiker --role region --db "$DB" >/dev/null || bad "user add region"
echo "$PW_ADMIN" | "$AGG" user add adm --role admin --db "$DB" >/dev/null || bad "user add admin"
TOK_UNIT=$("$AGG" token add skript-vc1 --role unit --unit $UA --db "$DB")
TOK_REG=$("$AGG" token add skript-region --role region --db "$DB")
DEV=$("$AGG" enrol --token --unit $UA --name "Väntrum" --db "$DB" 2>/dev/null)
"$AGG" publish "$FIX/samverkan-2024.json" --db "$DB" >/dev/null 2>&1 \
  && ok "last year's combined form publishes" || bad "publish samverkan-2024"
"$AGG" publish "$FIX/../links/missing_target/m.v1.json" --db "$DB" >/dev/null 2>&1
"$AGG" publish "$FIX/../links/missing_target/m.v2.json" --db "$DB" >/dev/null 2>err.txt; rc=$?
check "publishing a form whose comparison names a missing question is refused" "1 1" \
  "$([ $rc -ne 0 ]; echo $((1-$?))) $(grep -c 'has no question "q9"' err.txt)"
"$AGG" publish "$FIX/../links/ok/m.v2.json" --db "$DB" >/dev/null 2>err.txt \
  && ok "publishing a form with good comparisons works" || { bad "publish ok links"; cat err.txt; }
"$AGG" lansdel add Norra --unit SE2321000032-VC0001 --unit SE2321000032-VC0002 \
  --unit SE2321000032-VC0003 --db "$DB" >/dev/null && ok "lansdel add Norra" || bad "lansdel add"
"$AGG" lansdel add "Södra" --unit SE2321000032-VC0004 --unit SE2321000032-VC0005 \
  --unit SE2321000032-VC0006 --db "$DB" >/dev/null || bad "lansdel add Södra"
"$AGG" lansdel add Östra --unit SE2321000032-VC0001 --db "$DB" >/dev/null 2>err.txt; rc=$?
check "a unit in two länsdelar is refused with a reason" "1 1" "$rc $(grep -c 'already in länsdel' err.txt)"
check "lansdel list names each länsdel and its units" \
  "Norra SE2321000032-VC0001 SE2321000032-VC0002 SE2321000032-VC0003|Södra SE2321000032-VC0004 SE2321000032-VC0005 SE2321000032-VC0006" \
  "$("$AGG" lansdel list --db "$DB" | paste -sd'|')"

# Six done meetings this year and three last year (rows, as the form
# stores them).  regelbundna_moten: helt, helt, ganska bra, dåligt, inte
# alls, helt -> 1,1,1,3.  kontaktvagar: only VC0001 and VC0002.
steps=(stammer_helt stammer_helt stammer_ganska_bra stammer_daligt stammer_inte_alls stammer_helt)
for i in 1 2 3 4 5 6; do
  u=SE2321000032-VC000$i
  dbq "INSERT INTO samv_meetings VALUES ('$u', '$T', $Y, 1, 'done')" >/dev/null
  dbq "INSERT INTO samv_answers VALUES ('$u', '$T', $Y, 'regelbundna_moten', '${steps[$((i-1))]}', 'Kommentar $i')" >/dev/null
  dbq "INSERT INTO samv_participants VALUES ('$u', '$T', $Y, 'lakare', 'region', 1)" >/dev/null
done
dbq "INSERT INTO samv_answers VALUES ('SE2321000032-VC0001', '$T', $Y, 'kontaktvagar', 'stammer_helt', NULL)" >/dev/null
dbq "INSERT INTO samv_answers VALUES ('SE2321000032-VC0002', '$T', $Y, 'kontaktvagar', 'stammer_helt', NULL)" >/dev/null
for i in 1 2 3 4 5; do
  u=SE2321000032-VC000$i
  dbq "INSERT INTO samv_meetings VALUES ('$u', 'samverkan-2024', $((Y-1)), 1, 'done')" >/dev/null
  dbq "INSERT INTO samv_answers VALUES ('$u', 'samverkan-2024', $((Y-1)), 'regelbundna_moten', 'stammer_ganska_bra', NULL)" >/dev/null
done

agg_start port server.log --db "$DB" --cert srv.pem --key srv.key \
  --set suppression_threshold=3
SRV=$AGG_PID; PORT=$AGG_PORT
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null' EXIT
[ -n "$PORT" ] || { echo "FAIL - server did not start"; cat server.log; exit 1; }
URL=https://127.0.0.1:$PORT
C="curl -s --cacert ca.pem"
code() { $C -o body.out -w "%{http_code}" "$@"; }
login() { # login JAR USER PASSWORD
  $C -c "$1" -o login.html "$URL/login"
  local csrf; csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' login.html | head -1)
  $C -b "$1" -c "$1" -o /dev/null --data-urlencode "csrf=$csrf" \
    --data-urlencode "user=$2" --data-urlencode "password=$3" "$URL/login"
}
Q="type=$T&year=$Y"

# --- devices never get a meeting form ---
$C -H "Authorization: Bearer $DEV" "$URL/api/v1/sets" -o sets.json
python3 - <<'PY' && ok "the device set list has the kiosk sets and no meeting form" || bad "device set list"
import json
ids=[s["id"] for s in json.load(open("sets.json"))["sets"]]
assert "kiosk-besok" in ids and not any(i.startswith("samverkan") for i in ids), ids
PY

# --- the per-unit rule ---
login unit.jar vc1 "$PW_UNIT"
login region.jar analytiker "$PW_REGION"
login admin.jar adm "$PW_ADMIN"
for r in samverkan/sammanstallning samverkan/sammanstallning.csv samverkan/sammanstallning.xlsx api/v1/samverkan; do
  check "unit session: /$r is 403" 403 "$(code -b unit.jar "$URL/$r?$Q")"
  check "unit session: /$r?unit=own is 403" 403 "$(code -b unit.jar "$URL/$r?$Q&unit=$UA")"
  st=$(code -H "Authorization: Bearer $TOK_UNIT" "$URL/$r?$Q")
  if [ "$st" = 403 ] || { [ "$r" = samverkan/sammanstallning ] && [ "$st" = 303 ]; }; then
    ok "unit token: /$r is refused ($st)"; else bad "unit token: /$r gave $st"; fi
  check "region session: /$r?unit=... is 400 (never per unit)" 400 "$(code -b region.jar "$URL/$r?$Q&unit=SE2321000032-VC0001")"
  check "no credentials: /$r is refused" 1 "$(c=$(code "$URL/$r?$Q"); [ "$c" = 303 ] || [ "$c" = 401 ]; echo $((1-$?)))"
done
check "unit session: own form before starting redirects to /samverkan" 303 "$(code -b unit.jar "$URL/samverkan/form?$Q")"
check "unit session: form with another unit is 403" 403 "$(code -b unit.jar "$URL/samverkan/form?$Q&unit=$UB")"
check "unit session: landing with another unit is 403" 403 "$(code -b unit.jar "$URL/samverkan?unit=$UB")"
check "region session: a meeting form is 403" 403 "$(code -b region.jar "$URL/samverkan/form?$Q")"
check "admin session: a meeting form is 403" 403 "$(code -b admin.jar "$URL/samverkan/form?$Q")"
check "region token: a meeting form needs a session" 303 "$(code -H "Authorization: Bearer $TOK_REG" "$URL/samverkan/form?$Q")"
check "unknown meeting type is 404" 404 "$(code -b region.jar "$URL/api/v1/samverkan?type=finnsinte&year=$Y")"
check "unknown länsdel is 404" 404 "$(code -b region.jar "$URL/api/v1/samverkan?$Q&lansdel=Nope")"
check "bad year is 400" 400 "$(code -b region.jar "$URL/api/v1/samverkan?type=$T&year=19")"
check "a kiosk set is no meeting type" 404 "$(code -b region.jar "$URL/api/v1/samverkan?type=kiosk-besok&year=$Y")"
# Writes: no CSRF, a foreign Origin, another role.
$C -b unit.jar -o unitform.html "$URL/samverkan"
UCSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' unitform.html | head -1)
[ ${#UCSRF} -eq 64 ] && ok "the unit's page carries a CSRF value" || bad "no CSRF on the unit page"
check "start without CSRF is 403" 403 "$(code -b unit.jar --data "type=$T&year=$Y" "$URL/samverkan/start")"
check "start from a foreign Origin is 403" 403 "$(code -b unit.jar -H 'Origin: https://evil.example' --data "csrf=$UCSRF&type=$T&year=$Y" "$URL/samverkan/start")"
check "the unit's CSRF does not work for another session" 403 "$(code -b region.jar --data "csrf=$UCSRF&type=$T&year=$Y&q=regelbundna_moten&step=stammer_helt" "$URL/samverkan/svar")"
check "unit cannot reopen (admin only)" 403 "$(code -b unit.jar --data "csrf=$UCSRF&type=$T&year=$Y&unit=SE2321000032-VC0001" "$URL/samverkan/oppna")"
$C -b admin.jar -o admin.html "$URL/samverkan?year=$Y"
ACSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' admin.html | head -1)
grep -q "SE2321000032-VC0001" admin.html && ok "admin sees which meetings are done" || bad "admin list"
grep -q "Kommentar 1" admin.html && bad "admin page shows a unit's answers" || ok "admin page shows no answers"
check "unit cannot define a länsdel" 403 "$(code -b unit.jar --data "csrf=$UCSRF&name=Egen&units=$UA" "$URL/samverkan/lansdel")"
check "admin adds a länsdel on the page" 303 "$(code -b admin.jar --data-urlencode "csrf=$ACSRF" --data-urlencode "name=Västra" --data-urlencode "units=SE2321000032-VC0007
SE2321000032-VC0008" "$URL/samverkan/lansdel")"
check "...a unit already in another länsdel is refused" 409 "$(code -b admin.jar --data-urlencode "csrf=$ACSRF" --data-urlencode "name=Västra" --data-urlencode "units=SE2321000032-VC0001" "$URL/samverkan/lansdel")"
check "...and it is listed" 1 "$(code -b admin.jar "$URL/samverkan" >/dev/null; grep -c 'Västra</b>: SE2321000032-VC0007 SE2321000032-VC0008' body.out)"
check "admin cannot write a unit's answers" 403 "$(code -b admin.jar --data "csrf=$ACSRF&type=$T&year=$Y&q=regelbundna_moten&step=stammer_helt" "$URL/samverkan/svar")"
check "region cannot start a meeting" 403 "$(code -b admin.jar --data "csrf=$ACSRF&type=$T&year=$Y" "$URL/samverkan/start")"

# --- the compilation against the hand-computed figures ---
check "region token: county JSON" 200 "$(code -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/samverkan?$Q")"
cp body.out county.json
python3 - <<'PY' && ok "county: 6 meetings, 1,1,1,3 on regelbundna_moten, 2024 beside it, small question hidden" || bad "county figures"
import json
c=json.load(open("county.json"))["compilations"][0]
assert c["meetings"]==6 and c["shown"] and c["last_meetings"]==5, c["meetings"]
q={x["id"]:x for x in c["questions"]}
r=q["regelbundna_moten"]
assert r["steps"]==[1,1,1,3] and r["n"]==6 and abs(r["mean"]-(1+2+3+12)/6)<1e-9, r
assert r["last_year"]["steps"]==[0,0,5,0], r
assert sorted(r["comments"])==["Kommentar %d"%i for i in range(1,7)], r["comments"]
assert not q["kontaktvagar"]["shown"] and "steps" not in q["kontaktvagar"]
assert q["bemanning"].get("new") is True
assert {"role":"lakare","employer":"region","n":6} in c["participants"]
PY
$C -H "Authorization: Bearer $TOK_REG" "$URL/api/v1/samverkan?$Q&lansdel=Norra" -o norra.json
python3 - <<'PY' && ok "länsdel Norra: 3 meetings (helt, helt, ganska bra); its 2024 hidden because Södra had 2" || bad "Norra figures"
import json
c=json.load(open("norra.json"))["compilations"][0]
q={x["id"]:x for x in c["questions"]}
assert c["meetings"]==3 and q["regelbundna_moten"]["steps"]==[0,0,1,2], q["regelbundna_moten"]
# 2024: Norra 3, Södra 2 meetings: county minus Norra would show Södra.
assert q["regelbundna_moten"]["last_year"]["shown"] is False
PY
$C -H "Authorization: Bearer $TOK_REG" "$URL/samverkan/sammanstallning.csv?$Q" -o county.csv
python3 - <<'PY' && ok "CSV: BOM, ';', the same counts and mean with a decimal comma" || bad "CSV"
raw=open("county.csv","rb").read()
assert raw.startswith(b"\xef\xbb\xbf")
rows=[l.split(";") for l in raw[3:].decode().split("\r\n")]
r=[x for x in rows if len(x)>4 and x[4]=="regelbundna_moten"][0]
assert r[6:12]==["6","1","1","1","3","3,00"], r
assert "visas inte" in [x for x in rows if len(x)>4 and x[4]=="kontaktvagar"][0][-1]
PY
$C -H "Authorization: Bearer $TOK_REG" "$URL/samverkan/sammanstallning.xlsx?year=$Y" -o all.xlsx
python3 - <<'PY' && ok "xlsx: a sheet per meeting type with a native bar chart; cells equal the API" || bad "xlsx"
import json,re,zipfile
z=zipfile.ZipFile("all.xlsx")
names=z.namelist()
charts=[n for n in names if n.startswith("xl/charts/chart")]
assert charts and b"<c:barChart>" in z.read(charts[0]), names
wb=z.read("xl/workbook.xml").decode()
sheets=re.findall(r'<sheet name="([^"]+)"',wb)
assert "samverkan-hemsjukvard" in sheets and "samverkan-sabo" in sheets and "Om siffrorna" in sheets, sheets
ss=[re.sub(r"<[^>]+>","",s) for s in re.findall(r"<si>(.*?)</si>",z.read("xl/sharedStrings.xml").decode(),re.S)]
x=z.read("xl/worksheets/sheet%d.xml"%(sheets.index("samverkan-hemsjukvard")+1)).decode()
cells={}
for ref,t,v in re.findall(r'<c r="([A-Z]+\d+)"[^>]*?(?: t="(\w+)")?[^>]*>(?:<f>[^<]*</f>)?<v>([^<]*)</v>',x):
    cells[ref]=ss[int(v)] if t=="s" else float(v)
api=json.load(open("county.json"))["compilations"][0]
assert cells["B2"]==api["meetings"]
rows={}
for r in range(8,80):
    if "C%d"%r in cells and "D%d"%r in cells:
        rows.setdefault(cells["C%d"%r],r)
n=0
for q in api["questions"]:
    r=rows[q["id"]]
    if not q["shown"]:
        assert cells["D%d"%r]=="visas inte"; continue
    assert cells["D%d"%r]==q["n"], (q["id"],cells.get("D%d"%r))
    if q["type"]=="rating":
        assert [cells["%s%d"%(c,r)] for c in "EFGH"]==q["steps"], q["id"]
        if q["n"]:
            assert abs(cells["I%d"%r]-q["mean"])<1e-9
            # the diverging chart's data: -dåligt, -inte alls, ganska bra, helt
            s=q["steps"]; want=[-s[1],-s[0],s[2],s[3]]
            got=[cells["%s%d"%(c,r)]*q["n"] for c in "LMNO"]
            assert all(abs(a-b)<1e-9 for a,b in zip(got,want)), (q["id"],got,want)
        n+=1
assert n>=1
PY
check "print layout present" 1 "$(code -b region.jar "$URL/samverkan/sammanstallning?$Q" >/dev/null; grep -c '@media print' body.out)"
grep -q 'data-steps="1,1,1,3"' body.out && ok "HTML: diverging bar with the county's steps" || bad "HTML bar"
grep -q "SE2321000032-VC000" body.out && bad "the compilation page names a unit" || ok "the compilation page names no unit"
grep -qi "<script" body.out && bad "a script on the page" || ok "no script on the page"

# --- a real browser: fill in, reload, Klar, reopen ---
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund >/dev/null 2>&1)
fi
if node "$HERE/samverkan.test.mjs" "$URL" "$OUT" vc1 "$PW_UNIT" adm "$PW_ADMIN" $T $Y; then
  ok "headless Chromium: form filled, reloaded, locked and reopened"
else
  bad "headless Chromium samverkan test"
fi
long=$(python3 -c 'print("x"*9000)')
check "a comment too long to read is refused (nothing saved as empty)" 400 \
  "$(code -b unit.jar --data "csrf=$UCSRF&type=$T&year=$Y&q=kontaktvagar&step=stammer_helt&comment=$long" "$URL/samverkan/svar")"
check "...and the statement stays unanswered" 0 \
  "$(dbq "SELECT COUNT(*) FROM samv_answers WHERE unit = '$UA' AND question = 'kontaktvagar'")"
check "after the browser: the unit's saved answer is in the database" 1 \
  "$(dbq "SELECT COUNT(*) FROM samv_answers WHERE unit = '$UA' AND question = 'regelbundna_moten' AND option = 'stammer_ganska_bra'")"
check "no names: participants are counts" 0 "$(dbq "SELECT COUNT(*) FROM samv_participants WHERE n < 0")"
check "audit log has the pulls and refusals" 6 \
  "$(dbq "SELECT COUNT(DISTINCT what) FROM audit_log WHERE what IN ('samverkan','samverkan.csv','samverkan.xlsx','samverkan.api','samverkan.form','denied')")"
check "audit log has Klar and the reopening" 2 \
  "$(dbq "SELECT COUNT(DISTINCT what) FROM audit_log WHERE what IN ('samverkan.done','samverkan.reopen')")"
grep -q "$PW_UNIT\|$PW_ADMIN" server.log && bad "a password reached the log" || ok "no password in the server log"

echo "samverkan e2e: $PASSES passed, $FAILS failed"
[ $FAILS -eq 0 ]
