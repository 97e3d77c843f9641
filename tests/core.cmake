# core.cmake — the survey core's tests beyond tests/unit: the store crash
# test (SIGKILL >= 1,000 times), the rostctl end-to-end test, the
# question-set fuzz target and the store benchmark.
add_executable(crash_store ${CMAKE_CURRENT_SOURCE_DIR}/e2e/crash_store.c)
target_link_libraries(crash_store PRIVATE survey)
pr_strict(crash_store)
add_test(NAME crash_store COMMAND crash_store ${PR_TEST_OUT}/crash_store 1000 240)
set_tests_properties(crash_store PROPERTIES LABELS e2e TIMEOUT 300)

add_executable(bench_store ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_store.c)
target_link_libraries(bench_store PRIVATE survey)
pr_strict(bench_store)
add_test(NAME bench_store COMMAND bench_store ${PR_TEST_OUT}/bench_store)
set_tests_properties(bench_store PROPERTIES LABELS bench TIMEOUT 300)

add_executable(rostctl_cli ${CMAKE_CURRENT_SOURCE_DIR}/e2e/rostctl_cli.c)
target_link_libraries(rostctl_cli PRIVATE survey)
target_compile_definitions(rostctl_cli PRIVATE PR_TEST_DATA="${PR_TEST_DATA}")
pr_strict(rostctl_cli)
add_test(NAME rostctl_cli
         COMMAND rostctl_cli $<TARGET_FILE:rostctl> ${PR_TEST_OUT}/rostctl_cli)
set_tests_properties(rostctl_cli PROPERTIES LABELS e2e TIMEOUT 120)

# Question-set loader fuzz target: replayed (with seeded mutations) over the
# shipped sets and some fixtures (corpus_qset) by the shared driver
# fuzz_agg_replay.c in the suite; libFuzzer with PR_FUZZ=ON.
add_executable(fuzz_qset_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_qset.c
                                ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_agg_replay.c)
target_link_libraries(fuzz_qset_replay PRIVATE survey)
pr_strict(fuzz_qset_replay)
add_test(NAME fuzz_qset_smoke
  COMMAND fuzz_qset_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_qset 20000)
set_tests_properties(fuzz_qset_smoke PROPERTIES LABELS "fuzz" TIMEOUT 300)
if(PR_FUZZ)
  add_executable(fuzz_qset ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_qset.c)
  target_compile_options(fuzz_qset PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_qset PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_qset PRIVATE survey)
endif()
