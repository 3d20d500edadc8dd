# The fuzz corpora replayed by the normal (g++) build: each target's LLVMFuzzerTestOneInput linked with
# replay_main.cpp instead of libFuzzer, and run over its committed corpus (tests/fuzz/corpus/TARGET), so
# every seed and every fixed crash reproducer stays passing in CI. Fuzzing itself: tests/fuzz/run_fuzz.sh.
foreach(target scenario run_file)
  add_executable(fuzz_${target}_replay fuzz/${target}_fuzz.cpp fuzz/replay_main.cpp)
  target_link_libraries(fuzz_${target}_replay PRIVATE civitas::engine)
  set(inputs ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${target})
  if(target STREQUAL "run_file")
    list(APPEND inputs ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/hdf5_findings)  # faults inside HDF5 (README there)
  endif()
  add_test(NAME fuzz_${target}_replay COMMAND fuzz_${target}_replay ${inputs})
  set_tests_properties(fuzz_${target}_replay PROPERTIES TIMEOUT 300)
endforeach()
