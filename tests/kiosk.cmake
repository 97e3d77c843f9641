# kiosk.cmake — the patient kiosk: end-to-end test of the real rost-kiosk
# (touch events injected, store checked, PNG screenshots of every screen in
# <build>/test-out/screens/kiosk-*.png).  Unit tests of its logic
# (test_flow, test_patient, test_layout, ...) register themselves via unit/.
add_test(NAME e2e_kiosk
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/kiosk/kiosk_e2e.sh
          $<TARGET_FILE:rost-kiosk> $<TARGET_FILE:rostctl>
          $<TARGET_FILE:a11y_pcmstat> ${CMAKE_SOURCE_DIR}/assets
          ${PR_TEST_DATA} ${PR_TEST_OUT})
set_tests_properties(e2e_kiosk PROPERTIES LABELS e2e TIMEOUT 600)
