# man.cmake — the man pages (doc/man/*.1, installed by the packages) name
# every option each program's --help names, and no option it does not
# (issue 11): tests/man/man_options.py.
find_program(PR_PYTHON3 python3 REQUIRED)
add_test(NAME man_options
         COMMAND ${PR_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/man/man_options.py
                 ${CMAKE_SOURCE_DIR}/doc/man
                 $<TARGET_FILE:rostctl> $<TARGET_FILE:rost-agg>
                 $<TARGET_FILE:rost-kiosk> $<TARGET_FILE:rost-phone>)
set_tests_properties(man_options PROPERTIES LABELS e2e TIMEOUT 120)
