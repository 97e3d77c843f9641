# core.cmake — the survey core's tests beyond tests/unit: the store crash
# test (SIGKILL >= 1,000 times) and the store benchmark.
add_executable(crash_store ${CMAKE_CURRENT_SOURCE_DIR}/e2e/crash_store.c)
target_link_libraries(crash_store PRIVATE survey)
pr_strict(crash_store)
add_test(NAME crash_store COMMAND crash_store ${PR_TEST_OUT}/crash_store 1000 150)
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
