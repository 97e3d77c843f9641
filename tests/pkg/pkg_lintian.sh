#!/bin/sh
# pkg_lintian.sh — lintian on the built packages: no error (E:) at all, and
# no warning (W:) that is not in lintian-warnings.txt, the list README
# "Installera i en region" explains.  Prints every tag it saw.
# usage: pkg_lintian.sh OUT (pkg_build.sh's)    ROOT: tests/pkg/
set -eu
OUT=$1; HERE=$(cd "$(dirname "$0")" && pwd)
command -v lintian >/dev/null || { echo "FAIL: lintian not installed (deps.sh installs it)"; exit 1; }
# lintian warns when run as root; the tags are the same
lintian --pedantic -I "$OUT"/v1/*.deb > "$OUT/lintian.txt" 2>&1 || true
grep -v 'running with root privileges' "$OUT/lintian.txt" || true
if grep -q '^E: ' "$OUT/lintian.txt"; then
  echo "FAIL: lintian errors:"; grep '^E: ' "$OUT/lintian.txt"; exit 1
fi
new=$(grep '^W: ' "$OUT/lintian.txt" | sed 's/^W: //' | sort -u \
      | grep -v -x -F -f "$HERE/lintian-warnings.txt" || true)
if [ -n "$new" ]; then
  echo "FAIL: lintian warnings not in tests/pkg/lintian-warnings.txt (fix, or list with a reason in README):"
  echo "$new"; exit 1
fi
echo "lintian: 0 errors, $(grep -c '^W: ' "$OUT/lintian.txt" || true) known warnings," \
     "$(grep -c '^[IP]: ' "$OUT/lintian.txt" || true) info/pedantic tags"
