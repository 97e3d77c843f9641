#!/bin/sh
# pkg_build.sh — builds the Debian packages twice for the package tests:
#   OUT/v1/   ./package.sh as a user runs it (version from debian/changelog)
#   OUT/v2/   the same tree with a higher version (a changelog entry made
#             in the scratch copy), built again in that copy with -nc: only
#             survey/version.c is recompiled, so the upgrade test is quick
# and prints how long each took.
# usage: pkg_build.sh SRCROOT OUT
set -eu
SRC=$1; OUT=$2
rm -rf "$OUT/v1" "$OUT/v2" "$OUT/work"
mkdir -p "$OUT/work" "$OUT/v1" "$OUT/v2"

t0=$(date +%s)
PR_PKG_WORK=$OUT/work PR_PKG_DIST=$OUT/v1 "$SRC/package.sh" > "$OUT/build-v1.log" 2>&1 || {
  cat "$OUT/build-v1.log"; echo "FAIL: package.sh"; exit 1; }
t1=$(date +%s)

TREE=$(ls -d "$OUT"/work/patientrost-*/)
V1=$(cd "$TREE" && dpkg-parsechangelog -S Version)
V2="$V1+pkgtest1"
{
  printf 'patientrost (%s) bookworm; urgency=medium\n\n' "$V2"
  printf '  * The same tree again, to test upgrades (tests/pkg/pkg_build.sh).\n\n'
  printf ' -- %s  %s\n\n' "$(cd "$TREE" && dpkg-parsechangelog -S Maintainer)" "$(date -R)"
  cat "$TREE/debian/changelog"
} > "$OUT/changelog.new"
mv "$OUT/changelog.new" "$TREE/debian/changelog"
# dh_clean drops the staged packages and debhelper's logs and stamps but
# not the CMake build directory (obj-*), which -nc keeps
(cd "$TREE" && dh_clean && dpkg-buildpackage -us -uc -b -nc -j"$(nproc)") \
  > "$OUT/build-v2.log" 2>&1 || { tail -40 "$OUT/build-v2.log"; echo "FAIL: second build"; exit 1; }
for p in patientrost-kiosk patientrost-aggregator patientrost-common; do
  cp "$OUT"/work/${p}_"$V2"_*.deb "$OUT/v2/"
done
t2=$(date +%s)
grep -c 'Building C object' "$OUT/build-v2.log" > "$OUT/v2-recompiled" || true
echo "$V1" > "$OUT/v1/VERSION"
echo "$V2" > "$OUT/v2/VERSION"
ls -l "$OUT"/v1/*.deb "$OUT"/v2/*.deb
echo "package build: v1 $V1 in $((t1 - t0)) s (package.sh), v2 $V2 in $((t2 - t1)) s" \
     "($(cat "$OUT/v2-recompiled") C files recompiled)"
