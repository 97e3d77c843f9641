# enrol.cmake — enrolment by one-time code and the fleet view (issue 11):
# the real rost-agg over HTTPS, rostctl enrol and the real rost-kiosk's
# "Anslut till server" (test_enrol.c covers the logic as unit tests).
add_test(NAME e2e_enrol
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/enrol/enrol_e2e.sh
          $<TARGET_FILE:rost-agg> $<TARGET_FILE:rostctl>
          $<TARGET_FILE:rost-kiosk> ${CMAKE_SOURCE_DIR}/assets ${PR_TEST_OUT})
set_tests_properties(e2e_enrol PROPERTIES LABELS e2e TIMEOUT 600)

# The status report and typed-code decoders, the way fuzz_agg_smoke runs
# the request decoder (plain replay; libFuzzer with PR_FUZZ=ON).
add_executable(fuzz_enrol_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_enrol.c
                                 ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_agg_replay.c)
target_link_libraries(fuzz_enrol_replay PRIVATE agg sync survey)
pr_strict(fuzz_enrol_replay)
add_test(NAME fuzz_enrol_smoke
  COMMAND fuzz_enrol_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_enrol 100000)
set_tests_properties(fuzz_enrol_smoke PROPERTIES LABELS "fuzz" TIMEOUT 300)
if(PR_FUZZ)
  add_executable(fuzz_enrol ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_enrol.c)
  target_compile_options(fuzz_enrol PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_enrol PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_enrol PRIVATE agg sync survey)
endif()
