#!/bin/bash
# pkg_cycle.sh — the packages on a real machine: install -> run -> upgrade
# -> remove -> purge, as root (CI is root), leaving the machine as it was.
#   install   users kiosk / rost-agg, state dirs 0750 owned by them, the
#             conffiles, units enabled as the README says (rost-agg and the
#             erasure timer yes, the kiosk no), systemd-analyze verify
#   run       each service's ExecStart line from the INSTALLED unit, as the
#             unit's User (no systemd as PID 1 here): rost-agg answers
#             /healthz over HTTPS (certificate made here, put where the
#             config says), the kiosk under cage under Xvfb with the
#             installed config draws its first frame (screenshot) and
#             takes three surveys; the kiosk enrolled as README says
#             (rost-agg enrol, rostctl enrol --config with the installed
#             kiosk.conf), its round (rostctl sync) stores the three, the
#             fleet page's CSV shows it; the erasure runs; --version
#   upgrade   the same tree packaged with a higher version (pkg_build.sh)
#             over a store and an aggregator database full of answers
#             (aggr-seed): every row still there, the admin's config and
#             the enrolment token kept, the services run again
#   remove    programs gone, data, config and token kept
#   purge     data, config and token gone, no unit links left; the system
#             users are kept (Debian practice) — this test deletes the ones
#             it made
#   older     (after the purge) install again, put a kiosk store and an
#             aggregator database of an OLDER version's schema in place
#             (tests/pkg/oldschema: store schema v2, "agg" step 1, as
#             commit 90bf1c0 made them), upgrade: the first start migrates
#             both, every response, answer and count still there; rost-agg
#             serves (its published set versions 1 kept, the shipped
#             version 2 added); the older store's unsent version-1
#             responses and a new version-2 one sync and count together;
#             purge
# usage: pkg_cycle.sh OUT (pkg_build.sh's) AGGR_SEED    exit 77: skipped
set -u
OUT=$1; SEED=$2; HERE=$(cd "$(dirname "$0")" && pwd)
PKGS="patientrost-kiosk patientrost-aggregator patientrost-common"

if [ "$(id -u)" -ne 0 ]; then
  echo "skip: not root — the cycle installs packages and makes system users (CI runs as root)"
  exit 77
fi
for p in $PKGS; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  if [ -n "$st" ] && [ "$st" != not-installed ]; then
    echo "skip: $p is on this machine already ($st); the test would change it"
    exit 77
  fi
done
for d in /var/lib/patientrost /var/lib/rost-agg /etc/patientrost /etc/rost-agg; do
  if [ -e "$d" ]; then echo "skip: $d exists already; the test would change it"; exit 77; fi
done

V1=$(cat "$OUT/v1/VERSION"); V2=$(cat "$OUT/v2/VERSION")
W=$(mktemp -d /tmp/pkg-cycle.XXXXXX); chmod 755 "$W"
SHOTS=$OUT/screens; mkdir -p "$SHOTS"
PASSES=0; FAILS=0
ok() { echo "ok - $*"; PASSES=$((PASSES + 1)); }
bad() { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected [$2], got [$3]"; fi; }

made_users=""
for u in kiosk rost-agg; do getent passwd "$u" >/dev/null || made_users="$made_users $u"; done
PIDS=""
apt_do() {  # apt-get as an admin runs it; waits for another apt/dpkg
  DEBIAN_FRONTEND=noninteractive apt-get -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "$@" < /dev/null >> "$W/apt.log" 2>&1
}
cleanup() {
  for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
  sleep 0.3
  for p in $PIDS; do kill -KILL "$p" 2>/dev/null; done
  if dpkg-query -W -f='${db:Status-Status}\n' $PKGS 2>/dev/null | grep -qv not-installed; then
    apt_do purge $PKGS || dpkg --purge --force-all $PKGS >> "$W/apt.log" 2>&1
  fi
  rm -f /etc/rost-agg/server.pem /etc/rost-agg/server.key
  rmdir /etc/rost-agg 2>/dev/null
  for u in $made_users; do
    userdel "$u" 2>/dev/null; groupdel "$u" 2>/dev/null
  done
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

unit_key() { sed -n "s/^$2=//p" "/lib/systemd/system/$1" | head -n 1; }
# start_unit UNIT EXTRA-ARGS ENV...: the unit's ExecStart (+ EXTRA-ARGS) as
# its User and Group, with the unit's Environment= and ENV, in a clean
# environment like systemd's; the pid in LAST_PID
start_unit() {
  local u=$1 extra=$2; shift 2
  local exec user group env
  exec=$(unit_key "$u" ExecStart); user=$(unit_key "$u" User)
  group=$(unit_key "$u" Group); [ -n "$group" ] || group=$user
  env=$(unit_key "$u" Environment)
  (cd / && exec setpriv --reuid="$user" --regid="$group" --init-groups \
     env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$(getent passwd "$user" | cut -d: -f6)" \
     USER="$user" LANG=C.UTF-8 $env "$@" $exec $extra) \
     > "$W/${u%%.*}.out" 2> "$W/${u%%.*}.log" &
  LAST_PID=$!
  PIDS="$PIDS $LAST_PID"
}
sql() { sqlite3 -batch -noheader "$1" "$2"; }
store_sum() {  # every response and answer of the kiosk's store
  sql /var/lib/patientrost/kiosk.db "select * from response order by 1; select * from answer order by 1, 2;" | sha256sum | cut -c1-16
}
# the older database's sum: the columns both schemas have (step 2 dropped
# responses.received_at and devices.last_count and rounded last_sync)
agg_sum_common() {
  sql /var/lib/rost-agg/agg.db "select uuid, unit, device, set_id, set_version, mode, lang, proxy, status, period_kind, period_start, period, track, care, content_hash from responses order by 1; select * from answers order by 1, 2; select * from counts order by 1, 2, 3, 4, 5, 6, 7, 8, 9; select id, unit, name, token_hash, created_at, revoked_at from devices order by 1;" \
    | sha256sum | cut -c1-16
}
agg_components() {  # every schema component at its step
  sql /var/lib/rost-agg/agg.db "select component || ':' || max(version) from schema_version group by component order by 1" | xargs
}
agg_sum() {
  sql /var/lib/rost-agg/agg.db "select * from responses order by 1; select * from answers order by 1, 2; select * from counts order by 1, 2, 3, 4, 5;" \
    | sha256sum | cut -c1-16
}

# ---- 1. install ----------------------------------------------------------
apt_do install "$OUT"/v1/patientrost-common_*.deb "$OUT"/v1/patientrost-kiosk_*.deb \
  "$OUT"/v1/patientrost-aggregator_*.deb; rc=$?
check "install $V1 with apt-get (log: apt.log)" 0 "$rc"
[ "$rc" -eq 0 ] || { tail -30 "$W/apt.log"; exit 1; }
for u in kiosk rost-agg; do
  uid=$(id -u "$u" 2>/dev/null || echo none)
  if [ "$uid" != none ] && [ "$uid" -lt 1000 ]; then ok "system user $u (uid $uid)"; else bad "no system user $u ($uid)"; fi
done
for g in video input render audio; do
  getent group "$g" >/dev/null || continue
  id -nG kiosk | tr ' ' '\n' | grep -qx "$g" && ok "kiosk is in group $g" || bad "kiosk is not in group $g"
done
check "/var/lib/patientrost: kiosk, 0750" "kiosk:kiosk 750" "$(stat -c '%U:%G %a' /var/lib/patientrost)"
check "/var/lib/rost-agg: rost-agg, 0750" "rost-agg:rost-agg 750" "$(stat -c '%U:%G %a' /var/lib/rost-agg)"
check "/var/lib/patientrost/sets (sync_sets_dir): kiosk, 0750" "kiosk:kiosk 750" "$(stat -c '%U:%G %a' /var/lib/patientrost/sets)"
check "conffiles registered" "/etc/patientrost/kiosk.conf /etc/rost-agg/rost-agg.conf" \
  "$(dpkg-query -W -f='${Conffiles}\n' patientrost-kiosk patientrost-aggregator | awk 'NF {print $1}' | sort | xargs)"
check "the installed kiosk.conf has no unit yet" 1 "$(grep -cx 'unit =' /etc/patientrost/kiosk.conf)"
WANTS=/etc/systemd/system
[ -L $WANTS/multi-user.target.wants/rost-agg.service ] && ok "rost-agg.service enabled" || bad "rost-agg.service not enabled"
[ -L $WANTS/timers.target.wants/rost-erase.timer ] && ok "rost-erase.timer enabled" || bad "rost-erase.timer not enabled"
[ ! -e $WANTS/graphical.target.wants/rost-kiosk.service ] && ok "rost-kiosk.service installed, not enabled" \
  || bad "rost-kiosk.service enabled before it is configured"
[ -f /lib/systemd/system/rost-agg-letters.timer ] && [ -f /lib/systemd/system/rost-agg-letters.service ] \
  && [ -z "$(find $WANTS -name 'rost-agg-letters.*')" ] \
  && ok "rost-agg-letters.timer and .service installed, not enabled (SMTP first)" \
  || bad "the letters' units: not installed, or enabled before SMTP is set"
for m in rost-kiosk rost-phone rostctl rost-agg; do
  [ -s /usr/share/man/man1/$m.1.gz ] && man -w $m >/dev/null 2>&1 && ok "man $m" || bad "no man page for $m"
done
for b in rostctl rost-kiosk rost-phone rost-agg; do
  check "$b --version" "$b $V1" "$("/usr/bin/$b" --version 2>&1)"
done
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify /lib/systemd/system/rost-agg.service /lib/systemd/system/rost-kiosk.service \
    /lib/systemd/system/rost-erase.service /lib/systemd/system/rost-erase.timer \
    /lib/systemd/system/rost-agg-letters.service /lib/systemd/system/rost-agg-letters.timer > "$W/verify.txt" 2>&1; rc=$?
  if [ "$rc" -eq 0 ] && [ ! -s "$W/verify.txt" ]; then ok "systemd-analyze verify: the installed units"
  else bad "systemd-analyze verify: $(cat "$W/verify.txt")"; fi
else
  echo "note: systemd-analyze not installed: units not verified"
fi

# ---- 2. configure as README "Installera i en region" says ------------------
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s/^listen = .*/listen = 127.0.0.1:$PORT/" /etc/rost-agg/rost-agg.conf
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/ca.key" \
  -out "$W/ca.pem" -days 2 -subj "/CN=pkg test CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/server.key" \
  -out "$W/server.csr" -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$W/san.ext"
openssl x509 -req -in "$W/server.csr" -CA "$W/ca.pem" -CAkey "$W/ca.key" -CAcreateserial \
  -out "$W/server.pem" -days 2 -extfile "$W/san.ext" 2>/dev/null
install -m 644 "$W/server.pem" /etc/rost-agg/server.pem
install -m 640 -g rost-agg "$W/server.key" /etc/rost-agg/server.key
sed -i 's/^unit =$/unit = SE2321000032-PKG001/' /etc/patientrost/kiosk.conf
echo 4711 | setpriv --reuid=kiosk --regid=kiosk --init-groups rostctl set-pin \
  --store /var/lib/patientrost/kiosk.db > "$W/pin.log" 2>&1
check "rostctl set-pin as kiosk (the store made by the kiosk user)" "kiosk 0" \
  "$(stat -c %U /var/lib/patientrost/kiosk.db 2>/dev/null) $?"
TOKEN=$(sed -n 's/^sync_token_file = //p' /etc/patientrost/kiosk.conf)

# The aggregator's database full of answers: aggr-seed stores a synthetic
# region's two years through the real ingest path.
"$SEED" sqlite:/var/lib/rost-agg/agg.db > "$W/seed.log" 2>&1 \
  && ok "aggregator database seeded: $(tail -n 1 "$W/seed.log")" || bad "aggr-seed: $(tail -n 3 "$W/seed.log")"
chown rost-agg:rost-agg /var/lib/rost-agg/agg.db*

agg_up() {  # $1: label; starts rost-agg.service's ExecStart, waits for /healthz
  start_unit rost-agg.service ""; AGG_PID=$LAST_PID
  local i=0 body=""
  while [ $i -lt 100 ]; do
    body=$(curl -sf --max-time 2 --cacert "$W/ca.pem" "https://127.0.0.1:$PORT/healthz" 2>/dev/null) && break
    kill -0 "$AGG_PID" 2>/dev/null || break
    sleep 0.2; i=$((i + 1))
  done
  if [ -n "$body" ]; then ok "$1: rost-agg (ExecStart as rost-agg) answers /healthz over HTTPS: $body"
  else bad "$1: no /healthz answer: $(tail -n 5 "$W/rost-agg.log")"; fi
}
agg_down() {
  kill -TERM "$AGG_PID" 2>/dev/null; wait "$AGG_PID"; check "$1: rost-agg stopped by SIGTERM, exit 0" 0 "$?"
}

XVFB_DISP=""
Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x800x24 3> "$W/xvfb.disp" > "$W/xvfb.log" 2>&1 &
XVFB=$!; PIDS="$PIDS $XVFB"
for i in $(seq 1 50); do [ -s "$W/xvfb.disp" ] && break; sleep 0.1; done
XVFB_DISP=":$(cat "$W/xvfb.disp")"
mkdir -m 700 "$W/xdg"; chown kiosk "$W/xdg"
mkdir -m 755 "$W/shots"; chown kiosk "$W/shots"
# kiosk_run LABEL INJECT: rost-kiosk.service's ExecStart (cage on wlroots'
# X11 backend inside Xvfb) with an inject script and a shots dir appended
kiosk_run() {
  local pid
  start_unit rost-kiosk.service "--inject $2 --shots $W/shots" DISPLAY="$XVFB_DISP" \
    XDG_RUNTIME_DIR="$W/xdg" WLR_BACKENDS=x11 WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
    SDL_VIDEODRIVER=wayland SDL_AUDIODRIVER=dummy
  pid=$LAST_PID
  local i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid"; check "$1: the kiosk (cage + rost-kiosk, installed config, as kiosk) ran its script" 0 "$?"
  grep -q 'kiosk_start.*video=wayland' "$W/rost-kiosk.log" && grep -q first_frame "$W/rost-kiosk.log" \
    && ok "$1: first frame drawn through cage's Wayland (log: first_frame)" \
    || bad "$1: no first frame: $(tail -n 5 "$W/rost-kiosk.log")"
}
survey='tap start
expect question nojdhet
tap option 0
tap option 1
tap option 3
tap option 0
expect text kommentar
type Tack
tap done
expect thanks
advance 8100
expect welcome'
{ echo "pace 600"; echo "shot pkg-kiosk-first-frame-$V1.png"; for n in 1 2 3; do echo "$survey"; done; } > "$W/fill.inj"
printf 'shot pkg-kiosk-first-frame-%s.png\n' "$V2" > "$W/first.inj"
chmod 644 "$W"/*.inj

# ---- 3. run ------------------------------------------------------------------
agg_up "$V1"
# README steps 4 and 6: a one-time code from the installed rost-agg, the
# installed kiosk.conf as it is (sync_url empty) enrolled with it
as_user() { local u=$1; shift; (cd / && setpriv --reuid="$u" --regid="$u" --init-groups "$@"); }
sed -i "s|^#public_url = .*|public_url = https://localhost:$PORT|" /etc/rost-agg/rost-agg.conf
as_user rost-agg rost-agg enrol --unit SE2321000032-PKG001 --name "Väntrum pkg" \
  --config /etc/rost-agg/rost-agg.conf > "$W/enrol.txt" 2>&1
CODE=$(sed -n 's/^  Kod: *//p' "$W/enrol.txt")
check "rost-agg enrol prints a code for public_url" "https://localhost:$PORT 1" \
  "$(sed -n 's/^  Server: *//p' "$W/enrol.txt") $(echo "$CODE" | grep -c '^[A-Z0-9]\{4\}-[A-Z0-9]\{4\}-[A-Z0-9]\{4\}$')"
as_user kiosk rostctl enrol --config /etc/patientrost/kiosk.conf --url "https://localhost:$PORT" \
  --code "$CODE" > "$W/kenrol.txt" 2>&1
check "rostctl enrol --config (the installed kiosk.conf) with the code" 0 "$?"
check "the enrolment's token: kiosk, 0600" "kiosk 600" "$(stat -c '%U %a' "$TOKEN" 2>&1)"
TOKEN_SUM=$(sha256sum < "$TOKEN")
kiosk_run "$V1" "$W/fill.inj"
cp "$W/shots"/*.png "$SHOTS/" 2>/dev/null
[ -s "$W/shots/pkg-kiosk-first-frame-$V1.png" ] && ok "$V1: screenshot of the first frame ($SHOTS)" || bad "$V1: no screenshot"
check "$V1: three complete responses in the store" 3 \
  "$(sql /var/lib/patientrost/kiosk.db "select count(*) from response where status = 1")"
as_user kiosk rostctl sync --config /etc/patientrost/kiosk.conf > "$W/sync.txt" 2>&1
check "rostctl sync --config: the enrolled kiosk's round ($(head -n 1 "$W/sync.txt"))" 0 "$?"
check "the aggregator has the kiosk's three responses" 3 \
  "$(sql /var/lib/rost-agg/agg.db "select count(*) from responses where unit = 'SE2321000032-PKG001'")"
as_user rost-agg rost-agg token add pkg-fleet --role region --config /etc/rost-agg/rost-agg.conf > "$W/key.txt" 2>&1
KEY=$(grep -o '[A-Za-z0-9_.-]\{20,\}' "$W/key.txt" | head -n 1)
curl -sf --max-time 10 --cacert "$W/ca.pem" -H "Authorization: Bearer $KEY" \
  "https://127.0.0.1:$PORT/dashboard/kiosker.csv" > "$W/fleet.csv"
check "the fleet page (kiosker.csv): the kiosk with its unit, name, version $V1, empty queue" 1 \
  "$(grep -c ";SE2321000032-PKG001;Väntrum pkg;$V1;kiosk-besok v2.*;0;[0-9-]* [0-9:]* UTC;ok" "$W/fleet.csv")"
start_unit rost-erase.service ""; wait "$LAST_PID"; rc=$?
check "rost-erase.service's ExecStart as kiosk (exit 0)" 0 "$rc"
# the letters' unit as installed: without SMTP it stops at once, saying why
start_unit rost-agg-letters.service ""; wait "$LAST_PID"; rc=$?
check "rost-agg-letters.service's ExecStart as rost-agg without SMTP: exit 2, names smtp_url" "2 1" \
  "$rc $(grep -c 'smtp_url' "$W/rost-agg-letters.log")"
agg_down "$V1"
FRESH_AGG=$(agg_components); FRESH_STORE=$(sql /var/lib/patientrost/kiosk.db 'pragma user_version')
N_ANS=$(sql /var/lib/rost-agg/agg.db "select count(*) from answers")
N_ST=$(sql /var/lib/patientrost/kiosk.db "select count(*) from answer")
S1=$(store_sum); A1=$(agg_sum)
echo "before the upgrade: aggregator $(sql /var/lib/rost-agg/agg.db 'select count(*) from responses') responses," \
     "$N_ANS answers; kiosk store 3 responses, $N_ST answers"

# ---- 4. upgrade ------------------------------------------------------------
apt_do install "$OUT"/v2/patientrost-common_*.deb "$OUT"/v2/patientrost-kiosk_*.deb \
  "$OUT"/v2/patientrost-aggregator_*.deb; rc=$?
check "upgrade to $V2 with apt-get (no conffile question)" 0 "$rc"
for b in rostctl rost-agg rost-kiosk; do
  check "$b --version after the upgrade" "$b $V2" "$("/usr/bin/$b" --version 2>&1)"
done
check "the admin's kiosk.conf kept" 1 "$(grep -cx 'unit = SE2321000032-PKG001' /etc/patientrost/kiosk.conf)"
check "the admin's rost-agg.conf kept" 1 "$(grep -cx "listen = 127.0.0.1:$PORT" /etc/rost-agg/rost-agg.conf)"
check "the enrolment token kept (content, kiosk, 0600)" "$TOKEN_SUM kiosk 600" \
  "$(sha256sum < "$TOKEN") $(stat -c '%U %a' "$TOKEN")"
agg_up "$V2"
kiosk_run "$V2" "$W/first.inj"
cp "$W/shots"/*.png "$SHOTS/" 2>/dev/null
[ -s "$W/shots/pkg-kiosk-first-frame-$V2.png" ] && ok "$V2: screenshot of the first frame" || bad "$V2: no screenshot"
agg_down "$V2"
check "every response and answer of the store still there (migrated at start)" "$S1" "$(store_sum)"
check "every response, answer and count of the aggregator still there" "$A1" "$(agg_sum)"
setpriv --reuid=kiosk --regid=kiosk --init-groups rostctl check --store /var/lib/patientrost/kiosk.db > "$W/check.txt" 2>&1
check "rostctl check after the upgrade" 0 "$?"

# ---- 5. remove ---------------------------------------------------------------
apt_do remove $PKGS; rc=$?
check "remove" 0 "$rc"
check "programs gone" "" "$(ls /usr/bin/rost-agg /usr/bin/rost-kiosk /usr/bin/rostctl 2>/dev/null)"
check "state after remove" "config-files config-files" \
  "$(dpkg-query -W -f='${db:Status-Status} ' patientrost-kiosk patientrost-aggregator | xargs)"
[ -f /etc/patientrost/kiosk.conf ] && [ -f /etc/rost-agg/rost-agg.conf ] && ok "remove kept both configs" || bad "remove deleted a config"
check "remove kept the store" "$S1" "$(store_sum)"
check "remove kept the aggregator database" "$A1" "$(agg_sum)"
[ -f "$TOKEN" ] && ok "remove kept the enrolment token" || bad "remove deleted the token"

# ---- 6. purge ----------------------------------------------------------------
apt_do purge $PKGS; rc=$?
check "purge" 0 "$rc"
check "purge deleted data and kiosk config" "" \
  "$(ls -d /var/lib/patientrost /var/lib/rost-agg /etc/patientrost 2>/dev/null)"
check "purge left only the admin's certificate and key in /etc/rost-agg" "server.key server.pem" \
  "$(ls /etc/rost-agg 2>/dev/null | xargs)"
check "no unit links or deb-systemd-helper state left" "" \
  "$(find /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled -name 'rost-*' 2>/dev/null)"
check "dpkg knows none of the packages any more" "" \
  "$(dpkg-query -W -f='${db:Status-Status}\n' $PKGS 2>/dev/null | grep -v -x not-installed)"
for u in kiosk rost-agg; do
  getent passwd "$u" >/dev/null && ok "purge kept the system user $u (Debian practice)" || bad "user $u deleted"
done

# ---- 7. upgrade from an older version's databases --------------------------
# A kiosk store of store schema v2 and an aggregator database at "agg" step
# 1, exactly as commit 90bf1c0 made them (tests/pkg/oldschema/*.sql, made by
# make.sh there; synthetic rows), left in /var/lib by that older version:
# installed under $V1's packages (which never open them here), upgraded to
# $V2, whose first start must migrate both with every answer kept.
FIX=$HERE/oldschema
apt_do install "$OUT"/v1/patientrost-common_*.deb "$OUT"/v1/patientrost-kiosk_*.deb \
  "$OUT"/v1/patientrost-aggregator_*.deb; rc=$?
check "older databases: install $V1 again" 0 "$rc"
sed -i "s/^listen = .*/listen = 127.0.0.1:$PORT/" /etc/rost-agg/rost-agg.conf
sed -i 's/^unit =$/unit = SE2321000032-PKG001/' /etc/patientrost/kiosk.conf
sqlite3 -batch /var/lib/patientrost/kiosk.db < "$FIX/kiosk-v2.sql" \
  && sqlite3 -batch /var/lib/rost-agg/agg.db < "$FIX/agg-v1.sql"
check "older databases loaded from tests/pkg/oldschema" 0 "$?"
chown kiosk:kiosk /var/lib/patientrost/kiosk.db; chmod 640 /var/lib/patientrost/kiosk.db
chown rost-agg:rost-agg /var/lib/rost-agg/agg.db; chmod 640 /var/lib/rost-agg/agg.db
check "the older store is at store schema v2" 2 "$(sql /var/lib/patientrost/kiosk.db 'pragma user_version')"
check "the older aggregator database is at agg step 1, no later component" \
  "agg:1 aggregates-audit:1 aggregates-auth:1" \
  "$(sql /var/lib/rost-agg/agg.db "select component || ':' || max(version) from schema_version group by component order by 1" | xargs)"
OS=$(store_sum); OA=$(agg_sum_common)
ON=$(sql /var/lib/rost-agg/agg.db "select (select count(*) from responses) || ' responses, ' || (select count(*) from answers) || ' answers, ' || (select count(*) from counts) || ' counts'")
OK_N=$(sql /var/lib/patientrost/kiosk.db "select (select count(*) from response) || ' responses, ' || (select count(*) from answer) || ' answers'")
echo "older databases: aggregator $ON; kiosk store $OK_N"
apt_do install "$OUT"/v2/patientrost-common_*.deb "$OUT"/v2/patientrost-kiosk_*.deb \
  "$OUT"/v2/patientrost-aggregator_*.deb; rc=$?
check "older databases: upgrade to $V2" 0 "$rc"
# The older database holds the sets as published then, version 1 of
# kiosk-besok and samordnare-* in their first wording; the package ships
# their version 2 (reworded since, 78037e7 and 3ef7a6e): rost-agg starts,
# adds version 2 and keeps version 1 byte for byte.
SETS_Q="select id || ':' || version || ':' || sha256 from sets where version = 1 and id in ('kiosk-besok', 'samordnare-kontakt', 'samordnare-vardplan') order by 1"
OLD_SETS=$(sql /var/lib/rost-agg/agg.db "$SETS_Q" | xargs)
check "the older database holds version 1 of the three reworded sets" 3 "$(echo "$OLD_SETS" | wc -w)"
agg_up "$V2 over the older database"
agg_down "$V2 over the older database"
check "the older database: the published versions 1 kept byte for byte" "$OLD_SETS" \
  "$(sql /var/lib/rost-agg/agg.db "$SETS_Q" | xargs)"
check "the older database: the reworded sets' version 2 published beside them" \
  "kiosk-besok:2 samordnare-kontakt:2 samordnare-vardplan:2" \
  "$(sql /var/lib/rost-agg/agg.db "select id || ':' || version from sets where version = 2 order by 1" | xargs)"
printf 'shot pkg-kiosk-first-frame-%s-older-store.png\n' "$V2" > "$W/old.inj"; chmod 644 "$W/old.inj"
kiosk_run "$V2 over the older store" "$W/old.inj"
check "the older store migrated at first start (store schema as a new store's)" \
  "$FRESH_STORE" "$(sql /var/lib/patientrost/kiosk.db 'pragma user_version')"
check "the older aggregator database migrated at first start (every component as a new database's)" \
  "$FRESH_AGG" "$(agg_components)"
check "the older store: every response and answer still there ($OK_N)" "$OS" "$(store_sum)"
check "the older aggregator database: every response, answer and count still there ($ON)" \
  "$OA" "$(agg_sum_common)"
check "the older aggregator database: received_at gone (step 2), devices' last contact to the hour" \
  "0 0" "$(sql /var/lib/rost-agg/agg.db "select count(*) from pragma_table_info('responses') where name = 'received_at'; select count(*) from devices where last_sync % 3600 != 0" | xargs)"
setpriv --reuid=kiosk --regid=kiosk --init-groups rostctl check --store /var/lib/patientrost/kiosk.db > "$W/check-old.txt" 2>&1
check "rostctl check on the migrated store ($(grep -h 'waiting' "$W/check-old.txt"))" 0 "$?"
setpriv --reuid=rost-agg --regid=rost-agg --init-groups rost-agg report --indicator nojdhet \
  --unit SE2321000032-VC0001 --span 2026-09..2026-11 --config /etc/rost-agg/rost-agg.conf > "$W/report-old.txt" 2>&1
check "rost-agg report on the migrated database" 0 "$?"
# The older store's unsent responses (kiosk-besok and ring-upp-utskrivning
# version 1) and a new one under the package's kiosk-besok version 2: one
# survey at the kiosk, the kiosk enrolled, one round: each stored under its
# own version, and the unit's figure counts both versions together.
{ echo "pace 600"; echo "$survey"; } > "$W/old-fill.inj"; chmod 644 "$W/old-fill.inj"
kiosk_run "$V2 over the older store, one survey" "$W/old-fill.inj"
check "the older store: the new survey under kiosk-besok version 2" "kiosk-besok|2|1" \
  "$(sql /var/lib/patientrost/kiosk.db "select set_id, set_version, status from response where synced = 0 order by id desc limit 1")"
OUTBOX="select set_id || ' v' || set_version || ' ' || count(*) from response where synced = 0 and status in (1, 2) and exists (select 1 from answer where response = response.id) group by set_id, set_version order by 1"
SENT=$(sql /var/lib/patientrost/kiosk.db "$OUTBOX" | xargs)
# nöjdhet answers other than "vet ej" about to be sent, per version: "1 N 2 M"
NOJ=$(sql /var/lib/patientrost/kiosk.db "select r.set_version || ' ' || count(*) from response r join answer a on a.response = r.id where r.synced = 0 and r.status in (1, 2) and r.set_id = 'kiosk-besok' and a.question = 'nojdhet' and a.option <> 'vet_ej' group by r.set_version order by 1" | xargs)
sed -i "s|^#public_url = .*|public_url = https://localhost:$PORT|" /etc/rost-agg/rost-agg.conf
agg_up "$V2 over the older database, for the kiosk's round"
as_user rost-agg rost-agg enrol --unit SE2321000032-PKG001 --name "Väntrum pkg" \
  --config /etc/rost-agg/rost-agg.conf > "$W/enrol-old.txt" 2>&1
CODE=$(sed -n 's/^  Kod: *//p' "$W/enrol-old.txt")
as_user kiosk rostctl enrol --config /etc/patientrost/kiosk.conf --url "https://localhost:$PORT" \
  --code "$CODE" > "$W/kenrol-old.txt" 2>&1
check "the older store's kiosk enrolled with a code" 0 "$?"
as_user kiosk rostctl sync --config /etc/patientrost/kiosk.conf > "$W/sync-old.txt" 2>&1
check "rostctl sync over the older store ($(head -n 1 "$W/sync-old.txt"))" 0 "$?"
agg_down "$V2 over the older database, for the kiosk's round"
case "$SENT" in *"kiosk-besok v1 "*"kiosk-besok v2 1"*"ring-upp-utskrivning v1 "*) ok "the older store's outbox: $SENT" ;;
  *) bad "the older store's outbox lacks a version: [$SENT]" ;; esac
check "the aggregator stored the older store's version-1 responses and the new version-2 one" "$SENT" \
  "$(sql /var/lib/rost-agg/agg.db "select set_id || ' v' || set_version || ' ' || count(*) from responses where unit = 'SE2321000032-PKG001' group by set_id, set_version order by 1" | xargs)"
check "the older store: nothing left unsent, every response kept" "0 $(( $(echo "$OK_N" | cut -d' ' -f1) + 1 ))" \
  "$(sql /var/lib/patientrost/kiosk.db "$OUTBOX" | wc -l) $(sql /var/lib/patientrost/kiosk.db "select count(*) from response")"
report_n() {  # n of the whole span for kiosk-besok at the kiosk's unit; $1: extra options
  setpriv --reuid=rost-agg --regid=rost-agg --init-groups rost-agg report --indicator nojdhet \
    --unit SE2321000032-PKG001 --period range --span "2026-11..$(date -u +%Y-%m)" --set kiosk-besok $1 \
    --config /etc/rost-agg/rost-agg.conf > "$W/report-n.txt" 2>&1
  # the n column: the "Hela perioden" row is aligned with the header's "n"
  awk 'NR == 2 { e = index($0, " n ") + 1 }
       $1 == "Hela" && e > 1 { s = substr($0, 1, e); sub(/.* /, "", s); print s }' "$W/report-n.txt"
}
# (version 1 alone is not shown: it differs from the whole by one answer,
# under the threshold; the whole is)
N_ALL=$(report_n ""); R_ALL=$(tr '\n' '|' < "$W/report-n.txt")
read -r va na vb nb more <<< "$NOJ"
if [ "$va" = 1 ] && [ "$vb" = 2 ] && [ -z "$more" ] && [ "$na$nb" -gt 0 ] 2>/dev/null; then
  check "rost-agg report: the unit's nöjdhet counts version 1 ($na answers) and version 2 ($nb) together" \
    "$((na + nb))" "$N_ALL"
else bad "the older store's nöjdhet answers per version: [$NOJ] [$R_ALL]"; fi
apt_do purge $PKGS; rc=$?
check "older databases: purge" 0 "$rc"
check "purge deleted data and config again" "" \
  "$(ls -d /var/lib/patientrost /var/lib/rost-agg /etc/patientrost /etc/rost-agg/rost-agg.conf 2>/dev/null)"

echo "package cycle: $PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
