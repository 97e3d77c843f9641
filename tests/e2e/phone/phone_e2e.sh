#!/bin/sh
# phone_e2e.sh — end-to-end test of phone-interview mode ("ring upp").
# Imports a call list with rostctl, runs the real phone mode under SDL's
# offscreen driver driven by injected key and text events (a complete
# interview, a "no answer" and a "call back at"), checks the store with
# sqlite3, writes PNG screenshots, then lets the retention period pass and
# reads every byte of the database and its -wal/-shm/-journal files for the
# planted names, numbers and personnummer (the separation proof).
# usage: phone_e2e.sh ROSTCTL PHONE_PROGRAM OUTDIR SETSDIR
#   PHONE_PROGRAM is run as: PROG --store S --sets D --unit U --inject F
#   --shots DIR (rost-phone).
set -eu
ROSTCTL=$1; PROG=$2; OUT=$3; SETS=$4
W=$OUT/phone-e2e
SHOTS=$OUT/screens
UNIT=SE2321000032-PH0001
rm -rf "$W"; mkdir -p "$W" "$SHOTS"
export TZ=UTC SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
# GUI libraries (fontconfig, glib) keep caches until exit: not our leaks.
export ASAN_OPTIONS=detect_leaks=0
T0=$(date -u -d '2026-11-24 10:00:00' +%s)
export PATIENTROST_NOW=$T0
DB=$W/kiosk.db
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { sqlite3 -batch -noheader "$DB" "$1"; }

# Planted, distinctive, synthetic values (Luhn-valid personnummer).
cat > "$W/planted.txt" <<'P'
Quintessa Fjärilsvinge
Quintessa
Fjärilsvinge
0736661234
073-666 12 34
19380505-5559
193805055559
380505-5559
Bartholomeus Ekorrsson
Ekorrsson
0736665678
19450817-8888
Cornelia Stjärnkikare
Stjärnkikare
0736669012
Doris Handskriven
Handskriven
0736663344
19440303-3337
P
count_planted() {
  n=0
  for f in "$DB" "$DB-wal" "$DB-shm" "$DB-journal"; do
    [ -f "$f" ] || continue
    c=$(grep -a -o -F -f "$W/planted.txt" "$f" | wc -l)
    n=$((n + c))
  done
  echo "$n"
}

printf '%s\r\n' \
  'Namn;Telefon;Personnummer;Utskrivningsdatum;Spår;Vårdtyp;Samtycke' \
  'Quintessa Fjärilsvinge;073-666 12 34;19380505-5559;2026-11-20;röd;somatisk;ja' \
  'Bartholomeus Ekorrsson;073-666 56 78;19450817-8888;2026-11-19;gul;psykiatrisk;ja' \
  'Cornelia Stjärnkikare;073-666 90 12;;2026-11-21;grön;somatisk;ja' \
  > "$W/lista.csv"
"$ROSTCTL" calls import --store "$DB" --unit $UNIT "$W/lista.csv" \
  > "$W/import.txt" 2> "$W/import.err" || fail "import: $(cat "$W/import.txt" "$W/import.err")"
grep -q '3 added' "$W/import.txt" || fail "import: $(cat "$W/import.txt")"

cat > "$W/inject.txt" <<'I'
# the list: red first, then yellow, then green
shot phone-01-call-list.png
key enter
shot phone-02-call-intro.png
key enter
shot phone-03-call-consent.png
key 1
shot phone-04-call-proxy.png
key 1
shot phone-05-call-question.png
key 4
key 3
key 3
key 4
key 1
shot phone-06-call-question-yesno.png
key 2
shot phone-07-call-free-text.png
text Tack! Quintessa nås på 0736661234 om något.
shot phone-08-call-free-text-typed.png
key enter
shot phone-09-call-sip.png
key 2
shot phone-10-call-outcome.png
key enter
# second: no answer, this time with the mouse (the "I Inget svar" cap)
key enter
mouse 430 296
# third: call back tomorrow 14:15
key enter
key t
text 2026-11-25 14:15
shot phone-11-call-callback.png
key enter
shot phone-12-call-list-after.png
# an entry typed by hand: a wrong personnummer first, then corrected
key n
text Doris Handskriven
key tab
text 073-666 33 44
key tab
text 19440303-3330
key tab
text 2026-11-21
key tab
text gul
key tab
text somatisk
key enter
shot phone-13-add-entry-error.png
# the cursor is on the personnummer now
key backspace
text 7
key enter
shot phone-14-list-with-added.png
key s
shot phone-15-stats.png
key esc
# a person asks to be erased: X, then J
key x
shot phone-16-erase-confirm.png
key j
key esc
I
"$PROG" --store "$DB" --sets "$SETS" --unit $UNIT --inject "$W/inject.txt" \
  --shots "$SHOTS" > "$W/run.out" 2> "$W/run.err" || fail "phone mode: $(cat "$W/run.err")"

# No personal detail ever reaches the program's log output.
if grep -a -F -f "$W/planted.txt" "$W/run.out" "$W/run.err" "$W/import.err" >/dev/null; then
  fail "a planted personal detail reached stderr/stdout logs"
fi

# The store: one complete phone response with categories only.
[ "$(q "select count(*) from response")" = 1 ] || fail "responses: $(q 'select * from response')"
# interviewed on Tuesday 2026-11-24: the response keeps only the Monday of
# that week, and so does the entry's closing day (nothing finer joins them)
[ "$(q "select mode, proxy, status, track, care, day from response")" = "2|0|1|rod|somatisk|2026-11-23" ] \
  || fail "response row: $(q 'select * from response')"
[ "$(q "select date(closed_day * 86400, 'unixepoch') from call_entry where pnr='19380505-5559'")" = 2026-11-23 ] \
  || fail "closed_day: $(q 'select closed_day from call_entry')"
[ "$(q "select count(*) from answer where option is not null")" = 6 ] || fail "answers: $(q 'select * from answer')"
[ "$(q "select option from answer where question='delaktighet'")" = stammer_helt ] || fail "delaktighet"
[ "$(q "select option from answer where question='information'")" = ja ] || fail "information"
[ "$(q "select option from answer where question='skriftlig_vardplan'")" = nej ] || fail "vardplan"
TEXT=$(q "select text from answer where question='kommentar'")
[ "$TEXT" = "Tack! [namn] nås på [telefon] om något." ] || fail "free text not scrubbed: $TEXT"
# what the sync would send (response + answer rows) holds no planted value,
# even while the call list still does
if q "select * from response; select * from answer" | grep -a -F -f "$W/planted.txt"; then
  fail "a planted personal detail is in a response row"
fi
# no column of the response tables can point at a call entry
q "select sql from sqlite_master where name in ('response','answer')" | grep -qi call && fail "response schema references the call list"
# the call list
[ "$(q "select final_dispo, attempts, sip_offered, sip_accepted from call_entry where pnr='19380505-5559'")" = "complete|1|1|0" ] \
  || fail "entry 1: $(q 'select * from call_entry')"
[ "$(q "select last_dispo, attempts, next_at - $T0 from call_entry where pnr='19450817-8888'")" = "noanswer|1|10800" ] \
  || fail "entry 2: $(q 'select * from call_entry')"
CB=$(date -u -d '2026-11-25 14:15:00' +%s)
[ "$(q "select last_dispo, next_at from call_entry where name like 'Cornelia%'")" = "callback|$CB" ] \
  || fail "entry 3: $(q 'select * from call_entry')"
"$ROSTCTL" calls stats --store "$DB" > "$W/stats.txt"
grep -q '^2026-W48;SE2321000032-PH0001;4;3;1;1;0;0;0;0;0;1.00;1.00;1;0$' "$W/stats.txt" \
  || fail "stats: $(cat "$W/stats.txt")"

# At 13:00 the no-answer is back; at 14:15 tomorrow the call-back is first.
PATIENTROST_NOW=$((T0 + 10800)) "$ROSTCTL" calls list --store "$DB" > "$W/list3h.txt"
grep -q 'Bartholomeus' "$W/list3h.txt" || fail "no-answer not back after 3 h"
PATIENTROST_NOW=$CB "$ROSTCTL" calls list --store "$DB" > "$W/listcb.txt"
sed -n 2p "$W/listcb.txt" | grep -q 'Cornelia' || fail "call-back not first (line 1 is the header): $(cat "$W/listcb.txt")"

# the hand-typed entry (personnummer corrected after the check-digit error)
# was then erased on request: gone at once, and its bytes with it
[ "$(q "select count(*) from call_entry where name='Doris Handskriven'")" = 0 ] \
  || fail "erased entry still there: $(q 'select name, pnr from call_entry')"
for f in "$DB" "$DB-wal"; do
  [ -f "$f" ] || continue
  if grep -a -q -F -e 'Doris Handskriven' -e 19440303-3337 -e 0736663344 "$f"; then
    fail "erased on request, but its bytes linger in $f"
  fi
done
grep -q 'Kan inte spara' "$W/run.err" && fail "a typing mistake was logged as an error"

# A unit that is not an HSA-id stops the program before it starts (it used
# to fail only when the first answer was saved, losing the interview).
set +e
"$PROG" --store "$W/other.db" --sets "$SETS" --unit 'xx yy' > "$W/badunit.out" 2>&1
rc=$?
set -e
[ "$rc" = 2 ] && grep -q '"xx yy" är inget HSA-id' "$W/badunit.out" \
  || fail "rost-phone --unit 'xx yy': exit $rc: $(cat "$W/badunit.out")"
[ ! -e "$W/other.db" ] || fail "a bad --unit created a store"

# While rost-phone has the store open, a second writer is refused with exit
# 3 and a message naming the file; reading commands still work.
printf 'wait 4000\nquit\n' > "$W/hold.txt"
"$PROG" --store "$DB" --sets "$SETS" --unit $UNIT --inject "$W/hold.txt" \
  > "$W/hold.out" 2> "$W/hold.err" &
HOLD=$!
i=0
until grep -q "^rost-phone $HOLD$" "$DB-lock" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "rost-phone did not take the store"
  sleep 0.1
done
set +e
"$ROSTCTL" calls erase --store "$DB" --expired yes > "$W/busy.txt" 2>&1
rc=$?
set -e
[ "$rc" = 3 ] && grep -q "store $DB is in use by another Patientröst program (rost-phone, pid $HOLD)" "$W/busy.txt" \
  || fail "second writer: exit $rc: $(cat "$W/busy.txt")"
"$ROSTCTL" calls list --store "$DB" --unit $UNIT > "$W/list-held.txt" \
  || fail "calls list while rost-phone runs: $(cat "$W/list-held.txt")"
"$ROSTCTL" calls stats --store "$DB" | grep -q '^2026-W48;' || fail "calls stats while rost-phone runs"
wait $HOLD || fail "holding rost-phone: $(cat "$W/hold.err")"

# Separation proof.
BEFORE=$(count_planted)
echo "separation proof: planted values in the store files before retention: $BEFORE"
[ "$BEFORE" -gt 0 ] || fail "the scan finds nothing even while the list is kept"
PATIENTROST_NOW=$((T0 + 10 * 86400)) "$ROSTCTL" calls erase --store "$DB" --expired yes
PATIENTROST_NOW=$((T0 + 25 * 86400)) "$ROSTCTL" calls erase --store "$DB" --expired yes
AFTER=$(count_planted)
echo "separation proof: planted values in the store files after retention: $AFTER"
[ "$AFTER" = 0 ] || fail "$AFTER planted values survive erasure"
[ "$(q "select count(*) from call_entry")" = 0 ] || fail "entries left"
[ "$(q "select count(*) from response")" = 1 ] || fail "the anonymous response was lost"
"$ROSTCTL" calls stats --store "$DB" | grep -q ';1;0$' || fail "stats lost"
for s in 01-call-list 05-call-question 10-call-outcome 11-call-callback; do
  [ -s "$SHOTS/phone-$s.png" ] || fail "missing screenshot $s"
done
echo "phone e2e: ok (screens in $SHOTS)"
