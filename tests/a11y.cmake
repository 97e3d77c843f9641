# a11y.cmake — accessibility area: read-aloud benchmark and the end-to-end
# read-aloud / theme screenshot test of the real kiosk.  Unit tests
# (test_tts, test_contrast, test_targets) register themselves via unit/.

add_executable(bench_tts ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_tts.c)
target_link_libraries(bench_tts PRIVATE kiosk sync survey)
pr_strict(bench_tts)
add_test(NAME bench_tts COMMAND bench_tts)
set_tests_properties(bench_tts PROPERTIES LABELS bench TIMEOUT 300
  ENVIRONMENT "SDL_AUDIODRIVER=disk;SDL_DISKAUDIOFILE=${PR_TEST_OUT}/bench_tts.raw")

# Helper for the end-to-end test: sound bursts in a disk-driver file.
add_executable(a11y_pcmstat ${CMAKE_CURRENT_SOURCE_DIR}/e2e/a11y_pcmstat.c)
target_link_libraries(a11y_pcmstat PRIVATE survey)
pr_strict(a11y_pcmstat)
