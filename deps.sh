#!/bin/sh
# deps.sh — install everything Patientröst needs on Debian 12.  The one list
# of system packages; demo.sh and check.sh both call it.  Idempotent.
set -eu
PKGS="build-essential cmake pkg-config clang libclang-rt-14-dev
  debhelper dpkg-dev fakeroot lintian man-db
  libsqlite3-dev sqlite3 libjansson-dev libsodium-dev
  libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libespeak-ng-dev espeak-ng-data libvorbis-dev
  fonts-noto-core fonts-dejavu-core
  libcurl4-openssl-dev libmicrohttpd-dev libgnutls28-dev gnutls-bin openssl
  libpq-dev postgresql libxlsxwriter-dev libcmocka-dev libcairo2-dev libfontconfig-dev python3-aiosmtpd
  libqrencode-dev libpng-dev
  chromium xvfb cage xwayland unzip sox procps psmisc ca-certificates"
# Node.js + npm drive the browser test (playwright-core).  A machine may
# already have a Node.js that is not Debian's (NodeSource's package bundles
# npm and conflicts with Debian's npm): use what is there, and ask apt for
# Debian's nodejs and npm only when there is no working npm at all.
if ! { command -v node && command -v npm; } >/dev/null 2>&1; then
  PKGS="$PKGS nodejs npm"
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "deps.sh: installing:$missing"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi
