# pkg.cmake — the Debian packages (issue 11): built with ./package.sh and
# once more with a higher version (pkg_build, the fixture), lintian
# (pkg_lintian), the file lists (pkg_files), and as root the install ->
# run -> upgrade -> remove -> purge cycle on this machine (pkg_cycle,
# skipped with the reason when not root).  Label "pkg".
set(PR_PKG_OUT ${CMAKE_BINARY_DIR}/pkg)
add_test(NAME pkg_build
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pkg/pkg_build.sh ${CMAKE_SOURCE_DIR} ${PR_PKG_OUT})
set_tests_properties(pkg_build PROPERTIES FIXTURES_SETUP pkg LABELS pkg TIMEOUT 1200)
add_test(NAME pkg_lintian
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pkg/pkg_lintian.sh ${PR_PKG_OUT})
set_tests_properties(pkg_lintian PROPERTIES FIXTURES_REQUIRED pkg LABELS pkg TIMEOUT 300)
add_test(NAME pkg_files
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pkg/pkg_files.sh ${PR_PKG_OUT})
set_tests_properties(pkg_files PROPERTIES FIXTURES_REQUIRED pkg LABELS pkg TIMEOUT 60)
add_test(NAME pkg_cycle
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/pkg/pkg_cycle.sh ${PR_PKG_OUT}
          $<TARGET_FILE:aggr-seed>)
set_tests_properties(pkg_cycle PROPERTIES FIXTURES_REQUIRED pkg LABELS pkg
                     TIMEOUT 600 SKIP_RETURN_CODE 77 RUN_SERIAL ON)
