# tests/sync.cmake — the sync client's end-to-end tests and benchmark.
# The driver program runs the real client (libsync) against a real HTTPS
# server on loopback with a test CA made by the test (tests/e2e/sync_*.py).
find_program(PR_PYTHON3 python3 REQUIRED)

add_executable(sync_driver ${CMAKE_CURRENT_SOURCE_DIR}/e2e/sync_driver.c)
target_link_libraries(sync_driver PRIVATE sync survey)
pr_strict(sync_driver)

set(SYNC_E2E ${CMAKE_CURRENT_SOURCE_DIR}/e2e/sync_e2e.py)

# Store -> aggregator end to end, question-set rollout, nothing identifying
# leaves (every byte the client sends is captured before TLS).
add_test(NAME sync_e2e COMMAND ${PR_PYTHON3} ${SYNC_E2E} e2e
         $<TARGET_FILE:sync_driver> ${PR_TEST_OUT}/sync_e2e)
# 200 rounds through a fault-injecting proxy to a stand-in server that loses
# its reply after the commit (the 1,000-round mix against rost-agg is sync_agg).
add_test(NAME sync_fault COMMAND ${PR_PYTHON3} ${SYNC_E2E} fault
         $<TARGET_FILE:sync_driver> ${PR_TEST_OUT}/sync_fault)
set_tests_properties(sync_e2e sync_fault PROPERTIES LABELS e2e TIMEOUT 600
                     ENVIRONMENT "ROSTCTL=$<TARGET_FILE:rostctl>")

# The same against the real aggregator (rost-agg, SQLite), 1,000 fault rounds.
# (call statistics go along and must end equal to the kiosk's.)
add_test(NAME sync_agg COMMAND ${PR_PYTHON3} ${SYNC_E2E} agg
         $<TARGET_FILE:sync_driver> ${PR_TEST_OUT}/sync_agg $<TARGET_FILE:rost-agg>)
set_tests_properties(sync_agg PROPERTIES LABELS e2e TIMEOUT 900
                     ENVIRONMENT "ROSTCTL=$<TARGET_FILE:rostctl>")

# The same on PostgreSQL (a fresh database of the "pg" fixture's server,
# tests/pg.cmake), with 300 fault rounds instead of 1,000 to keep the
# suite's time: every fault kind is still drawn several times and the
# exactly-once and call-statistics checks are the same.
pr_pg_test(NAME pg_sync_agg DB sync_agg TIMEOUT 900 LABELS e2e
  COMMAND env SYNC_FAULT_ROUNDS=300 ROSTCTL=$<TARGET_FILE:rostctl>
          ${PR_PYTHON3} ${SYNC_E2E} agg $<TARGET_FILE:sync_driver>
          ${PR_TEST_OUT}/sync_agg_pg $<TARGET_FILE:rost-agg>)

# Benchmark: 10,000 queued responses over loopback HTTPS to rost-agg.
add_executable(bench_sync ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_sync.c)
target_link_libraries(bench_sync PRIVATE sync survey)
pr_strict(bench_sync)
add_test(NAME bench_sync COMMAND ${PR_PYTHON3} ${SYNC_E2E} bench
         $<TARGET_FILE:bench_sync> ${PR_TEST_OUT}/bench_sync $<TARGET_FILE:rost-agg>)
set_tests_properties(bench_sync PROPERTIES LABELS bench TIMEOUT 1200)

# Fuzz target for the client's reply decoders and the scrubber, replayed with
# seeded mutations in the suite (shared driver fuzz_agg_replay.c).
add_executable(fuzz_sync_wire_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_sync_wire.c
                                     ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_agg_replay.c)
target_link_libraries(fuzz_sync_wire_replay PRIVATE sync survey)
pr_strict(fuzz_sync_wire_replay)
add_test(NAME fuzz_sync_wire_smoke
  COMMAND fuzz_sync_wire_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_sync 20000)
set_tests_properties(fuzz_sync_wire_smoke PROPERTIES LABELS "fuzz" TIMEOUT 300)
if(PR_FUZZ)
  add_executable(fuzz_sync_wire ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_sync_wire.c)
  target_compile_options(fuzz_sync_wire PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_sync_wire PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_sync_wire PRIVATE sync survey)
endif()
