# supp.cmake — suppression (issue 14): how many figures that are not small
# the complements leave to see, per cost, on synthetic regions.
add_executable(bench_supp ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_supp.c)
target_include_directories(bench_supp PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
target_link_libraries(bench_supp PRIVATE agg sync survey)
pr_strict(bench_supp)
add_test(NAME bench_supp COMMAND bench_supp)
set_tests_properties(bench_supp PROPERTIES LABELS bench TIMEOUT 600)
