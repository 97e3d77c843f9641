#!/bin/sh
# bench.sh — build an optimised tree (RelWithDebInfo, no sanitizers) in its
# own directory and run every benchmark (ctest label "bench", so new ones are
# picked up), each BENCH_RUNS times, then print one table — figure, median
# and spread, goal, met or not, the comparison where there is one — and the
# machine line, and write the same to bench-results.json.  Never fails for
# being slow; exits 1 when a benchmark failed to run.
#   ./bench.sh              everything (the 10 M loads the first time: ~30 min)
#   ./bench.sh query pg     only benchmarks whose name contains a word given
# Environment: BUILD (build-bench), BENCH_RUNS (3), BENCH_JSON
# (bench-results.json; the table also as Markdown beside it, .md);
# sizes: BENCH_PG_N, BENCH_PG_INGEST_N, ... (see the
# header of each benchmark in tests/bench/).
set -eu
cd "$(dirname "$0")"
T0=$(date +%s)
BUILD=${BUILD:-build-bench}
RUNS=${BENCH_RUNS:-3}
JSON=${BENCH_JSON:-$PWD/bench-results.json}
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
[ -n "${BENCH_NO_DEPS:-}" ] || ./deps.sh
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPR_SANITIZE=OFF \
  -DPR_TESTS=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
unset PR_BENCH_TINY
LOGS="$PWD/$BUILD/bench-logs"
rm -rf "$LOGS"; mkdir -p "$LOGS"
cd "$BUILD"
# The benchmarks: tests labelled "bench" that are not fixture set-up or
# clean-up steps, filtered by the words given.
NAMES=$(ctest --show-only=json-v1 -L bench | python3 -c '
import json, sys
words = sys.argv[1:]
for t in json.load(sys.stdin)["tests"]:
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    if "FIXTURES_CLEANUP" in props or "FIXTURES_SETUP" in props:
        continue
    if not words or any(w in t["name"] for w in words):
        print(t["name"])' "$@")
[ -n "$NAMES" ] || { echo "bench.sh: no benchmark matches: $*" >&2; exit 2; }
FAILED=""
for name in $NAMES; do
  for run in $(seq 1 "$RUNS"); do
    echo "bench.sh: $name run $run/$RUNS (load $(cut -d' ' -f1 /proc/loadavg))"
    if ! ctest -R "^$name\$" -V --timeout 7200 >"$LOGS/$name.$run.log" 2>&1; then
      FAILED="$FAILED $name"
      tail -n 30 "$LOGS/$name.$run.log"
      break
    fi
    grep -E '^[0-9]+: BENCH ' "$LOGS/$name.$run.log" | sed 's/^[0-9]*: /  /' || true
  done
done
echo
python3 ../tests/bench/bench_report.py --json "$JSON" --markdown "${JSON%.json}.md" \
  --machine-before "$LOAD0" \
  --build "RelWithDebInfo" --failed "$FAILED" "$LOGS"/*.log
echo "bench.sh: results in $JSON, logs in $LOGS; $(( $(date +%s) - T0 )) s"
[ -z "$FAILED" ]
