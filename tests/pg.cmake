# PostgreSQL: a real PostgreSQL 15 server (tests/pg/pg.sh) started once per
# test run as the fixture "pg", and the aggregator's database tests run a
# second time against it, each on a fresh database of its own.
#   label pg     everything that needs the server (ctest -L pg)
#   label bench  bench_pg (1 M and 10 M responses, minutes: ./bench.sh;
#                check.sh runs it once at a tiny size)
set(PR_PG_SH ${CMAKE_CURRENT_SOURCE_DIR}/pg/pg.sh)
set(PR_PG_DIR ${CMAKE_BINARY_DIR}/pg-test)
set(PR_PG_ENV
  "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0;PR_PG_SH=${PR_PG_SH}")

add_test(NAME pg_server_start COMMAND sh ${PR_PG_SH} start ${PR_PG_DIR})
set_tests_properties(pg_server_start PROPERTIES FIXTURES_SETUP pg
  LABELS pg TIMEOUT 120)
add_test(NAME pg_server_stop COMMAND sh ${PR_PG_SH} stop ${PR_PG_DIR})
set_tests_properties(pg_server_stop PROPERTIES FIXTURES_CLEANUP pg
  LABELS pg TIMEOUT 120)

# pr_pg_test(NAME <test> DB <database> COMMAND <cmd...>): run cmd with
# PR_AGG_TEST_DB / PR_PG_URL set to a fresh database on the test server.
function(pr_pg_test)
  cmake_parse_arguments(T "" "NAME;DB;TIMEOUT" "COMMAND;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_test(NAME ${T_NAME} COMMAND sh ${PR_PG_SH} rundb ${PR_PG_DIR} ${T_DB}
           PR_AGG_TEST_DB ${T_COMMAND})
  set_tests_properties(${T_NAME} PROPERTIES FIXTURES_REQUIRED pg
    LABELS "pg;${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "${PR_PG_ENV}")
endfunction()

# Every unit test that takes its database from PR_AGG_TEST_DB (it includes
# agg_testdb.h) runs again on PostgreSQL as pg_<name>.
file(GLOB PG_UNIT_CANDIDATES CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_*.c)
foreach(src ${PG_UNIT_CANDIDATES})
  file(READ ${src} body)
  string(FIND "${body}" "agg_testdb.h" hit)
  if(hit GREATER -1)
    get_filename_component(name ${src} NAME_WE)
    pr_pg_test(NAME pg_${name} DB ${name} COMMAND $<TARGET_FILE:${name}>)
  endif()
endforeach()

# The driver's own behaviour: pool, error classes, crash and recovery.
add_executable(test_pg_driver ${CMAKE_CURRENT_SOURCE_DIR}/pg/test_pg_driver.c)
target_link_libraries(test_pg_driver PRIVATE agg sync survey PkgConfig::CMOCKA)
target_compile_definitions(test_pg_driver PRIVATE
  PR_TEST_DATA="${PR_TEST_DATA}" PR_TEST_OUT="${PR_TEST_OUT}")
pr_strict(test_pg_driver)
# It crashes and restarts a server of its own (test-out/pg-driver), never
# the shared one; the cleanup stops it even when the test dies.
add_test(NAME pg_driver COMMAND test_pg_driver)
set_tests_properties(pg_driver PROPERTIES LABELS pg TIMEOUT 300
  ENVIRONMENT "${PR_PG_ENV}" FIXTURES_REQUIRED pg_driver_srv)
add_test(NAME pg_driver_stop COMMAND sh ${PR_PG_SH} stop ${PR_TEST_OUT}/pg-driver)
set_tests_properties(pg_driver_stop PROPERTIES FIXTURES_CLEANUP pg_driver_srv
  LABELS pg)


# pg_load: the many-kiosks HTTPS load client of the e2e tests and bench_pg.
add_executable(pg_load ${CMAKE_CURRENT_SOURCE_DIR}/pg/pg_load.c)
target_link_libraries(pg_load PRIVATE PkgConfig::CURL PkgConfig::JANSSON
                      Threads::Threads)
pr_strict(pg_load)


# bench_pg_query: bulk-load N responses, time the indicator query.
add_executable(bench_pg_query ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_pg_query.c)
target_link_libraries(bench_pg_query PRIVATE agg sync survey)
pr_strict(bench_pg_query)

if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/pg/e2e.cmake)
  include(${CMAKE_CURRENT_SOURCE_DIR}/pg/e2e.cmake)
endif()

# bench_pg: ingest through HTTPS and the indicator query at 10 M responses,
# PostgreSQL and SQLite side by side (label bench; minutes).
add_test(NAME bench_pg COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_pg.sh
         ${PR_PG_SH} $<TARGET_FILE:rost-agg> $<TARGET_FILE:pg_load>
         $<TARGET_FILE:bench_pg_query> ${PR_TEST_OUT})
set_tests_properties(bench_pg PROPERTIES LABELS bench TIMEOUT 3600
  ENVIRONMENT "${PR_PG_ENV}" FIXTURES_REQUIRED bench_pg_srv)
add_test(NAME bench_pg_stop COMMAND sh ${PR_PG_SH} stop ${PR_TEST_OUT}/bench_pg/pg)
set_tests_properties(bench_pg_stop PROPERTIES LABELS bench
  FIXTURES_CLEANUP bench_pg_srv)
