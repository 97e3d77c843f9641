# Phone-interview mode ("ring upp"): benchmarks and end-to-end tests.
# Unit tests (test_pnr, test_csvimp, test_calllist, test_dispo) are picked
# up from tests/unit/ automatically.
foreach(b bench_phone_import bench_phone_key)
  add_executable(${b} ${CMAKE_CURRENT_SOURCE_DIR}/bench/${b}.c)
  target_link_libraries(${b} PRIVATE kiosk sync survey)
  target_compile_definitions(${b} PRIVATE PR_TEST_OUT="${PR_TEST_OUT}")
  pr_strict(${b})
  add_test(NAME ${b} COMMAND ${b})
  set_tests_properties(${b} PROPERTIES LABELS bench TIMEOUT 600)
endforeach()

# The end-to-end test drives the real program rost-phone (kiosk/cmd/), the
# coordinator's desktop start of the same phone mode rost-kiosk opens.
set(PHONE_E2E_PROG rost-phone)
add_test(NAME e2e_phone
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/phone/phone_e2e.sh
          $<TARGET_FILE:rostctl> $<TARGET_FILE:${PHONE_E2E_PROG}>
          ${PR_TEST_OUT} ${CMAKE_SOURCE_DIR}/assets/surveys)
set_tests_properties(e2e_phone PROPERTIES LABELS e2e TIMEOUT 300)

# CSV call-list reader fuzz target: replayed with seeded mutations over the
# test call lists (good and broken) in the suite; libFuzzer with PR_FUZZ=ON.
add_executable(fuzz_csvimp_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_csvimp.c
                                  ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_agg_replay.c)
target_link_libraries(fuzz_csvimp_replay PRIVATE survey)
pr_strict(fuzz_csvimp_replay)
add_test(NAME fuzz_csvimp_smoke
  COMMAND fuzz_csvimp_replay ${PR_TEST_DATA}/calls 20000)
set_tests_properties(fuzz_csvimp_smoke PROPERTIES LABELS "fuzz" TIMEOUT 300)
if(PR_FUZZ)
  add_executable(fuzz_csvimp ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_csvimp.c)
  target_compile_options(fuzz_csvimp PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_csvimp PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_csvimp PRIVATE survey)
endif()

# The shipped systemd timer + service for the daily erasure of expired
# call-list data (assets/kiosk/rost-erase.*), checked and run as written.
add_test(NAME e2e_phone_erase_units
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/phone/erase_units.sh
          $<TARGET_FILE:rostctl> ${CMAKE_SOURCE_DIR}/assets/kiosk ${PR_TEST_OUT})
set_tests_properties(e2e_phone_erase_units PROPERTIES LABELS e2e TIMEOUT 120)
