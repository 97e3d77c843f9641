# Aggregator tests (owner: agg).  Unit tests test_agg_*.c register
# themselves; here: the end-to-end test of the real rost-agg over HTTPS,
# the request-decoder fuzz target (plain replay program in the suite,
# libFuzzer with PR_FUZZ=ON) and the ingest benchmark.
# Every test takes its database from PR_AGG_TEST_DB (postgresql://...) when
# set, else a fresh SQLite file, so "pg" can rerun them on PostgreSQL.

add_test(NAME agg_e2e
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/agg_e2e.sh
          $<TARGET_FILE:rost-agg> ${PR_TEST_DATA} ${PR_TEST_OUT})
set_tests_properties(agg_e2e PROPERTIES LABELS "e2e" TIMEOUT 180)

add_executable(fuzz_agg_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_agg_decode.c
                               ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_agg_replay.c)
target_link_libraries(fuzz_agg_replay PRIVATE agg sync survey)
target_compile_definitions(fuzz_agg_replay PRIVATE PR_TEST_DATA="${PR_TEST_DATA}")
pr_strict(fuzz_agg_replay)
add_test(NAME fuzz_agg_smoke
  COMMAND fuzz_agg_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_agg 200000)
set_tests_properties(fuzz_agg_smoke PROPERTIES LABELS "fuzz" TIMEOUT 300)

# The call-statistics decoder (POST /api/v1/callstats), the same way.
add_executable(fuzz_agg_calls_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_agg_calls.c
                                     ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_agg_replay.c)
target_link_libraries(fuzz_agg_calls_replay PRIVATE agg sync survey)
pr_strict(fuzz_agg_calls_replay)
add_test(NAME fuzz_agg_calls_smoke
  COMMAND fuzz_agg_calls_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_calls 100000)
set_tests_properties(fuzz_agg_calls_smoke PROPERTIES LABELS "fuzz" TIMEOUT 300)

if(PR_FUZZ)
  add_executable(fuzz_agg_calls ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_agg_calls.c)
  target_compile_options(fuzz_agg_calls PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_agg_calls PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_agg_calls PRIVATE agg sync survey)
  # Coverage feedback must reach the decoder itself, not only the harness.
  target_compile_options(agg PRIVATE -fsanitize=fuzzer-no-link)
  add_executable(fuzz_agg_decode ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_agg_decode.c)
  target_compile_options(fuzz_agg_decode PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_agg_decode PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_agg_decode PRIVATE agg sync survey)
  target_compile_definitions(fuzz_agg_decode PRIVATE PR_TEST_DATA="${PR_TEST_DATA}")
endif()

add_executable(bench_ingest ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_ingest.c)
target_link_libraries(bench_ingest PRIVATE agg sync survey PkgConfig::CURL)
target_compile_definitions(bench_ingest PRIVATE PR_TEST_DATA="${PR_TEST_DATA}"
                           PR_TEST_OUT="${PR_TEST_OUT}")
pr_strict(bench_ingest)
add_test(NAME bench_ingest COMMAND bench_ingest)
set_tests_properties(bench_ingest PROPERTIES LABELS "bench" TIMEOUT 900)
