#!/bin/sh
# package.sh — build the Debian packages from this tree:
#   ./package.sh            -> dist/patientrost-{kiosk,aggregator,common}_*.deb
# It installs the build tools (deps.sh), copies the tree (git's files and
# the working changes, no build output) to a scratch directory, runs
# dpkg-buildpackage -us -uc -b there and copies the .debs to dist/.
# The version is debian/changelog's; its upstream part must be CMake's
# project version.
#   PR_PKG_WORK=DIR   keep the scratch copy in DIR (the package test reuses
#                     it to build a second version quickly with -nc)
#   PR_PKG_DIST=DIR   put the .debs in DIR instead of dist/
set -eu
cd "$(dirname "$0")"
ROOT=$(pwd)
./deps.sh

cmake_ver=$(sed -n 's/^project(patientrost VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
deb_ver=$(dpkg-parsechangelog -S Version)
case "$deb_ver" in
  "$cmake_ver"|"$cmake_ver"[-+~]*) ;;
  *) echo "package.sh: debian/changelog says $deb_ver, CMakeLists.txt $cmake_ver" >&2
     exit 1 ;;
esac

WORK=${PR_PKG_WORK:-}
if [ -z "$WORK" ]; then
  WORK=$(mktemp -d /tmp/patientrost-pkg.XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
fi
SRC=$WORK/patientrost-$cmake_ver
rm -rf "$SRC"
mkdir -p "$SRC"
# git's tracked and new (not ignored) files: never a build directory;
# a file deleted in the working tree but still in git is left out
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard \
    | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$SRC"
else  # an unpacked tarball: everything but build output
  tar --exclude='./build*' --exclude=./dist --exclude=./demo-data \
      --exclude=./node_modules -cf - . | tar -xf - -C "$SRC"
fi
[ -f "$SRC/debian/rules" ] || { echo "package.sh: copy failed" >&2; exit 1; }

start=$(date +%s)
(cd "$SRC" && dpkg-buildpackage -us -uc -b -j"$(nproc)") > "$WORK/build.log" 2>&1 || {
  tail -40 "$WORK/build.log" >&2
  echo "package.sh: dpkg-buildpackage failed (log: $WORK/build.log)" >&2
  exit 1
}
DIST=${PR_PKG_DIST:-$ROOT/dist}
mkdir -p "$DIST"
rm -f "$DIST"/patientrost-*_"$deb_ver"_*.deb
for p in patientrost-kiosk patientrost-aggregator patientrost-common; do
  cp "$WORK"/${p}_"$deb_ver"_*.deb "$DIST"/
done
echo "package.sh: built in $(( $(date +%s) - start )) s:"
ls -1 "$DIST"/*_"$deb_ver"_*.deb
