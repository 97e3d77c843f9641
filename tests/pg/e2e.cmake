# PostgreSQL end-to-end tests (included from tests/pg.cmake).
# The aggregator's own e2e test, again on PostgreSQL (its own output dir).
pr_pg_test(NAME pg_agg_e2e DB agg_e2e TIMEOUT 240
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/agg_e2e.sh
          $<TARGET_FILE:rost-agg> ${PR_TEST_DATA} ${PR_TEST_OUT}/pg)
# Several rost-agg processes, many kiosks resending overlapping batches.
pr_pg_test(NAME pg_concurrency DB pg_concurrency TIMEOUT 300 LABELS e2e
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/pg_concurrency.sh
          $<TARGET_FILE:rost-agg> $<TARGET_FILE:pg_load> ${PR_TEST_OUT})
# Database down at start, and killed mid-ingest: on a server of its own,
# so the shared fixture's server is never disturbed.
add_test(NAME pg_dbkill COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/pg_dbkill.sh
         ${PR_PG_SH} $<TARGET_FILE:rost-agg> $<TARGET_FILE:pg_load> ${PR_TEST_OUT})
set_tests_properties(pg_dbkill PROPERTIES LABELS "pg;e2e" TIMEOUT 300
  ENVIRONMENT "${PR_PG_ENV}" FIXTURES_REQUIRED pg_dbkill_srv)
add_test(NAME pg_dbkill_stop
         COMMAND sh ${PR_PG_SH} stop ${PR_TEST_OUT}/pg_dbkill/pg)
set_tests_properties(pg_dbkill_stop PROPERTIES FIXTURES_CLEANUP pg_dbkill_srv
  LABELS pg)
