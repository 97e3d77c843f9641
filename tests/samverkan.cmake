# Samverkansuppföljning (issue 13): the form, the access rules, the
# compilation, CSV and .xlsx over real HTTPS, and a real headless Chromium
# (tests/browser/samverkan.sh); the same on PostgreSQL.  The storage and
# the figures themselves are tests/unit/test_samv.c (also run as
# pg_test_samv by tests/pg.cmake).
add_test(NAME samverkan_e2e
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/browser/samverkan.sh
                 $<TARGET_FILE:rost-agg> ${PR_TEST_OUT}/samverkan-e2e
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/qsets/samverkan)
set_tests_properties(samverkan_e2e PROPERTIES LABELS e2e TIMEOUT 400)

add_test(NAME pg_samverkan_e2e
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pg/pg.sh rundb
                 ${CMAKE_BINARY_DIR}/pg-test samverkan_e2e PR_AGG_TEST_DB
                 ${CMAKE_CURRENT_SOURCE_DIR}/browser/samverkan.sh
                 $<TARGET_FILE:rost-agg> ${PR_TEST_OUT}/samverkan-e2e-pg
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/qsets/samverkan)
set_tests_properties(pg_samverkan_e2e PROPERTIES FIXTURES_REQUIRED pg
                     LABELS "pg;e2e" TIMEOUT 400)
