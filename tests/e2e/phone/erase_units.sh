#!/bin/sh
# erase_units.sh — the shipped systemd units for the daily erasure of the
# call list's expired personal data (assets/kiosk/rost-erase.service and
# rost-erase.timer): systemd accepts them (systemd-analyze verify, when
# installed), the timer runs daily and catches up after the machine was
# off, and the service's command line, run exactly as written (only the
# rostctl and config paths replaced), erases expired entries of a store by
# the retention set in the kiosk's config — and keeps the others.
# usage: erase_units.sh ROSTCTL UNITDIR OUTDIR
set -eu
ROSTCTL=$1; UNITS=$2; OUT=$3
W=$OUT/erase-units
SVC=$UNITS/rost-erase.service
TMR=$UNITS/rost-erase.timer
rm -rf "$W"; mkdir -p "$W"
export TZ=UTC
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -f "$SVC" ] && [ -f "$TMR" ] || fail "rost-erase.service / rost-erase.timer missing in $UNITS"

grep -qx 'OnCalendar=daily' "$TMR" || fail "the timer is not daily"
grep -qx 'Persistent=true' "$TMR" || fail "the timer does not catch up a missed day"
grep -qx 'Unit=rost-erase.service' "$TMR" || fail "the timer does not start rost-erase.service"
grep -qx 'WantedBy=timers.target' "$TMR" || fail "the timer cannot be enabled"
grep -qx 'Type=oneshot' "$SVC" || fail "the service is not oneshot"
grep -qx 'SuccessExitStatus=3' "$SVC" || fail "exit 3 (store in use by the kiosk, which erases itself) is not success"
grep -qx 'User=kiosk' "$SVC" || fail "the service does not run as the kiosk's user"

EXEC=$(sed -n 's/^ExecStart=//p' "$SVC")
case "$EXEC" in
  "/usr/bin/rostctl calls erase --expired yes --config /etc/patientrost/kiosk.conf") ;;
  *) fail "ExecStart is not the erasure: $EXEC" ;;
esac
CMD=$(printf '%s' "$EXEC" | sed -e "s|/usr/bin/rostctl|$ROSTCTL|" \
  -e "s|/etc/patientrost/kiosk.conf|$W/kiosk.conf|")

if command -v systemd-analyze >/dev/null 2>&1; then
  sed "s|^ExecStart=/usr/bin/rostctl|ExecStart=$ROSTCTL|" "$SVC" > "$W/rost-erase.service"
  cp "$TMR" "$W/rost-erase.timer"
  if ! systemd-analyze verify "$W/rost-erase.service" "$W/rost-erase.timer" > "$W/verify.txt" 2>&1 \
     || [ -s "$W/verify.txt" ]; then
    fail "systemd-analyze verify: $(cat "$W/verify.txt")"
  fi
  echo "systemd-analyze verify: ok"
else
  echo "systemd-analyze not installed: unit syntax not verified"
fi

# A kiosk config that keeps call-list data 7 days (the default is 14).
DB=$W/kiosk.db
cat > "$W/kiosk.conf" <<C
unit = SE2321000032-ABC123
store = $DB
phone_retention = 7
phone_days = 3-7
C
T0=$(date -u -d '2026-11-24 10:00:00' +%s)
printf '%s\r\n' \
  'Namn;Telefon;Personnummer;Utskrivningsdatum;Spår;Vårdtyp;Samtycke' \
  'Ragnhild Raderasson;073-666 77 11;19380505-5559;2026-11-20;röd;somatisk;ja' \
  > "$W/lista.csv"
PATIENTROST_NOW=$T0 "$ROSTCTL" calls import --store "$DB" --unit SE2321000032-ABC123 "$W/lista.csv" \
  > "$W/import.txt" 2>&1 || fail "import: $(cat "$W/import.txt")"
planted() {
  n=0
  for f in "$DB" "$DB-wal"; do
    [ -f "$f" ] || continue
    c=$(grep -a -c -F -e Raderasson -e 19380505-5559 -e 0736667711 "$f" || true)
    n=$((n + c))
  done
  echo "$n"
}
[ "$(planted)" -gt 0 ] || fail "the scan does not find the imported entry"

# Day 30 (Thursday 2026-12-24): the calling window is long over; the
# entry is closed (not reached), its closing week's Monday is 2026-12-21.
PATIENTROST_NOW=$((T0 + 30 * 86400)) sh -c "$CMD" > "$W/run1.txt" 2>&1 || fail "run 1: $(cat "$W/run1.txt")"
grep -q '1 entry closed' "$W/run1.txt" || fail "run 1: $(cat "$W/run1.txt")"
grep -q 'retention 7 days' "$W/run1.txt" || fail "the config's retention was not used: $(cat "$W/run1.txt")"
[ "$(planted)" -gt 0 ] || fail "erased before its retention"
# Day 40 (2027-01-03): 13 days after that Monday — erased with the
# config's 7 days (it would still be kept with the default 14).
PATIENTROST_NOW=$((T0 + 40 * 86400)) sh -c "$CMD" > "$W/run2.txt" 2>&1 || fail "run 2: $(cat "$W/run2.txt")"
grep -q '1 erased (retention 7 days)' "$W/run2.txt" || fail "run 2: $(cat "$W/run2.txt")"
[ "$(planted)" = 0 ] || fail "personal data left in the store after erasure"
echo "erase units: ok ($(cat "$W/run2.txt"))"
