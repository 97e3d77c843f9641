# Phone-interview mode ("ring upp"): benchmarks and end-to-end tests.
# Unit tests (test_pnr, test_csvimp, test_calllist, test_dispo) are picked
# up from tests/unit/ automatically.
foreach(b bench_phone_import)
  add_executable(${b} ${CMAKE_CURRENT_SOURCE_DIR}/bench/${b}.c)
  target_link_libraries(${b} PRIVATE kiosk sync survey)
  target_compile_definitions(${b} PRIVATE PR_TEST_OUT="${PR_TEST_OUT}")
  pr_strict(${b})
  add_test(NAME ${b} COMMAND ${b})
  set_tests_properties(${b} PROPERTIES LABELS bench TIMEOUT 600)
endforeach()
