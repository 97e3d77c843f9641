# Every command's help names all its options (issue 15): rostctl's and
# rost-agg's --help read back and every command run with every option.
find_program(PR_PYTHON3 python3 REQUIRED)
add_test(NAME help_options
         COMMAND ${PR_PYTHON3}
                 ${CMAKE_CURRENT_SOURCE_DIR}/e2e/help/help_options.py
                 $<TARGET_FILE:rostctl> $<TARGET_FILE:rost-agg>
                 ${PR_TEST_OUT}/help_options)
set_tests_properties(help_options PROPERTIES LABELS e2e TIMEOUT 300)
