#!/bin/sh
# check.sh — install dependencies, build with ASan + UBSan and run the whole
# test suite (unit, end-to-end, fuzz smoke runs), then every benchmark once
# at a tiny size (PR_BENCH_TINY=1) so none can rot; prints its wall time.
# The figures come from ./bench.sh, not from here.  This is the README's
# second command; .ci/run calls it.
set -eu
cd "$(dirname "$0")"
T0=$(date +%s)
./deps.sh
BUILD=${BUILD:-build-test}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DPR_SANITIZE=ON -DPR_TESTS=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
T1=$(date +%s)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$BUILD"
rc=0
ctest --output-on-failure -j2 --timeout 1200 -LE bench || rc=1
T2=$(date +%s)
PR_BENCH_TINY=1 ctest --output-on-failure -j2 --timeout 600 -L bench || rc=1
T3=$(date +%s)
echo "check.sh: $(( T3 - T0 )) s wall (install + build $(( T1 - T0 )) s, tests" \
     "$(( T2 - T1 )) s, benchmarks at tiny size $(( T3 - T2 )) s)"
exit $rc
