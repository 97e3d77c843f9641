# enrol.cmake — enrolment by one-time code and the fleet view (issue 11):
# the real rost-agg over HTTPS, rostctl enrol and the real rost-kiosk's
# "Anslut till server" (test_enrol.c covers the logic as unit tests).
add_test(NAME e2e_enrol
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/enrol/enrol_e2e.sh
          $<TARGET_FILE:rost-agg> $<TARGET_FILE:rostctl>
          $<TARGET_FILE:rost-kiosk> ${CMAKE_SOURCE_DIR}/assets ${PR_TEST_OUT})
set_tests_properties(e2e_enrol PROPERTIES LABELS e2e TIMEOUT 600)
