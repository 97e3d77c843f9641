#!/bin/sh
# check.sh — install dependencies, build with ASan + UBSan and run the whole
# test suite (unit, end-to-end, fuzz smoke runs), then print the benchmarks.
# This is the README's second command; .ci/run calls it.
set -eu
cd "$(dirname "$0")"
./deps.sh
BUILD=${BUILD:-build-test}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DPR_SANITIZE=ON -DPR_TESTS=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$BUILD"
ctest --output-on-failure -j2 --timeout 1200 -LE bench
# Benchmarks print figures; they never fail the run for being slow.
ctest --output-on-failure -L bench --timeout 1200 -V 2>&1 | grep -E '^[0-9]+: (BENCH|bench)' || true
