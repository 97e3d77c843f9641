# kiosk_bench.cmake — the kiosk benchmark (issue 3): exec to first frame,
# PSS after a complete survey, idle CPU and tap-to-frame of the real
# rost-kiosk under Xvfb and SDL's offscreen driver, side by side with a
# Chromium kiosk showing one equivalent question page when chromium is
# installed.  Prints BENCH lines; never fails for slowness.  It starts its
# own Xvfb unless DISPLAY is set, and takes about 2.5 minutes.
add_executable(bench_kiosk ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_kiosk.c
                           ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_kiosk_proc.c
                           ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_kiosk_chromium.c)
target_link_libraries(bench_kiosk PRIVATE m)
# Said in the output: figures from a sanitizer build are not the product's.
if(PR_SANITIZE)
  set(BK_BUILD "${CMAKE_BUILD_TYPE}+asan+ubsan")
else()
  set(BK_BUILD "${CMAKE_BUILD_TYPE}")
endif()
target_compile_definitions(bench_kiosk PRIVATE BK_BUILD="${BK_BUILD}")
pr_strict(bench_kiosk)
add_test(NAME bench_kiosk
  COMMAND bench_kiosk $<TARGET_FILE:rost-kiosk> $<TARGET_FILE:rostctl>
          ${CMAKE_SOURCE_DIR}/assets ${PR_TEST_OUT})
set_tests_properties(bench_kiosk PROPERTIES LABELS bench TIMEOUT 240
  ENVIRONMENT "SDL_AUDIODRIVER=dummy")
