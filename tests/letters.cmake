# Letters and alerts (issue 14, part 1): the seeding helper for the alert
# cases, the unit tests of the pure parts (MIME, rules, backoff, chart,
# config keys), and the end-to-end test against a real SMTP server
# (aiosmtpd, STARTTLS + AUTH, test CA made by the script) on loopback.
add_executable(letters-seed ${CMAKE_CURRENT_SOURCE_DIR}/letters/letters_seed.c)
target_include_directories(letters-seed PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
target_link_libraries(letters-seed PRIVATE agg sync survey)
pr_strict(letters-seed)
target_compile_definitions(letters-seed PRIVATE PR_TEST_DATA="${PR_TEST_DATA}")

add_test(NAME letters_e2e
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/letters/run.sh
                 $<TARGET_FILE:rost-agg> $<TARGET_FILE:aggr-seed>
                 $<TARGET_FILE:letters-seed> ${PR_TEST_OUT}/letters-e2e)
set_tests_properties(letters_e2e PROPERTIES LABELS e2e TIMEOUT 600)

add_test(NAME pg_letters_e2e
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pg/pg.sh rundb
                 ${CMAKE_BINARY_DIR}/pg-test letters_e2e PR_AGG_TEST_DB
                 ${CMAKE_CURRENT_SOURCE_DIR}/letters/run.sh
                 $<TARGET_FILE:rost-agg> $<TARGET_FILE:aggr-seed>
                 $<TARGET_FILE:letters-seed> ${PR_TEST_OUT}/letters-e2e-pg)
set_tests_properties(pg_letters_e2e PROPERTIES FIXTURES_REQUIRED pg
                     LABELS "pg;e2e" TIMEOUT 600)
