#!/bin/sh
# pkg_files.sh — what each built package holds (dpkg-deb -c: mode, owner,
# path) against tests/pkg/files-PACKAGE.txt, its conffiles, and that it
# depends on Debian's fonts instead of shipping any.
# usage: pkg_files.sh OUT (pkg_build.sh's)
set -eu
OUT=$1; HERE=$(cd "$(dirname "$0")" && pwd)
fails=0
for p in patientrost-kiosk patientrost-aggregator patientrost-common; do
  deb=$(ls "$OUT"/v1/${p}_*.deb)
  dpkg-deb -c "$deb" | awk '{print $1, $2, $6}' > "$OUT/files-$p.txt"
  if diff -u "$HERE/files-$p.txt" "$OUT/files-$p.txt"; then
    echo "ok - $p: $(wc -l < "$OUT/files-$p.txt") entries as expected"
  else
    echo "FAIL: $p: file list differs (above: - expected, + built)"; fails=1
  fi
done
conf() { dpkg-deb -f "$1" Package >/dev/null; dpkg-deb --ctrl-tarfile "$1" | tar -xOf - ./conffiles 2>/dev/null || true; }
check() {
  if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "FAIL: $1: expected [$2], got [$3]"; fails=1; fi
}
check "kiosk conffiles" "/etc/patientrost/kiosk.conf" "$(conf "$OUT"/v1/patientrost-kiosk_*.deb)"
check "aggregator conffiles" "/etc/rost-agg/rost-agg.conf" "$(conf "$OUT"/v1/patientrost-aggregator_*.deb)"
dep=$(dpkg-deb -f "$OUT"/v1/patientrost-kiosk_*.deb Depends)
for d in fonts-noto-core fonts-dejavu-core cage adduser patientrost-common; do
  case ", $dep," in *", $d"[\ ,]*) echo "ok - kiosk depends on $d" ;;
    *) echo "FAIL: kiosk does not depend on $d: $dep"; fails=1 ;; esac
done
if dpkg-deb -c "$OUT"/v1/patientrost-kiosk_*.deb | grep -q '\.ttf$'; then
  echo "FAIL: the kiosk package ships fonts"; fails=1
else
  echo "ok - no font files shipped (Debian's fonts-noto-core)"
fi
for p in patientrost-kiosk patientrost-aggregator; do
  dpkg-deb -f "$OUT"/v1/${p}_*.deb Description | grep -q 'purging' \
    && echo "ok - $p: its description says what purge deletes" \
    || { echo "FAIL: $p: the description does not say what purge deletes"; fails=1; }
done
[ "$fails" -eq 0 ]
