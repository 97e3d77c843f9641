# Aggregates (issue 6): the seeding helper, the end-to-end test over HTTPS
# with curl and a real headless Chromium, and the query/dashboard benchmark.
add_executable(aggr-seed ${CMAKE_CURRENT_SOURCE_DIR}/aggr/aggr_seed_main.c)
target_include_directories(aggr-seed PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
target_link_libraries(aggr-seed PRIVATE agg sync survey)
pr_strict(aggr-seed)
target_compile_definitions(aggr-seed PRIVATE PR_TEST_DATA="${PR_TEST_DATA}")

# Real rost-agg over HTTPS (test CA made by the script), seeded through the
# ingest path; access rules with curl, CSV and .xlsx checked, then Chromium.
add_test(NAME aggr_e2e_dashboard
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/browser/run.sh
                 $<TARGET_FILE:rost-agg> $<TARGET_FILE:aggr-seed>
                 ${PR_TEST_OUT}/aggr-e2e)
set_tests_properties(aggr_e2e_dashboard PROPERTIES LABELS e2e TIMEOUT 400)

# The same on PostgreSQL, on a fresh database of the "pg" fixture's server
# (tests/pg.cmake starts it; pg.sh rundb exports PR_AGG_TEST_DB).
add_test(NAME pg_aggr_e2e_dashboard
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pg/pg.sh rundb
                 ${CMAKE_BINARY_DIR}/pg-test aggr_e2e PR_AGG_TEST_DB
                 ${CMAKE_CURRENT_SOURCE_DIR}/browser/run.sh
                 $<TARGET_FILE:rost-agg> $<TARGET_FILE:aggr-seed>
                 ${PR_TEST_OUT}/aggr-e2e-pg)
set_tests_properties(pg_aggr_e2e_dashboard PROPERTIES FIXTURES_REQUIRED pg
                     LABELS "pg;e2e" TIMEOUT 400)

if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_query.c)
  add_executable(bench_query ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_query.c)
  target_include_directories(bench_query PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
  target_compile_definitions(bench_query PRIVATE PR_TEST_OUT="${PR_TEST_OUT}")
  target_link_libraries(bench_query PRIVATE agg sync survey)
  pr_strict(bench_query)
  add_test(NAME bench_query COMMAND bench_query)
  set_tests_properties(bench_query PROPERTIES LABELS bench TIMEOUT 1800)
endif()
