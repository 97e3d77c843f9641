# PostgreSQL end-to-end tests (included from tests/pg.cmake).
# The aggregator's own e2e test, again on PostgreSQL (its own output dir).
pr_pg_test(NAME pg_agg_e2e DB agg_e2e TIMEOUT 240
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/agg_e2e.sh
          $<TARGET_FILE:rost-agg> ${PR_TEST_DATA} ${PR_TEST_OUT}/pg)
# Several rost-agg processes, many kiosks resending overlapping batches.
pr_pg_test(NAME pg_concurrency DB pg_concurrency TIMEOUT 300 LABELS e2e
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/pg_concurrency.sh
          $<TARGET_FILE:rost-agg> $<TARGET_FILE:pg_load> ${PR_TEST_OUT})
