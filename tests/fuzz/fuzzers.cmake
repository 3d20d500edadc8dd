# The libFuzzer targets (CIVITAS_FUZZ=ON, clang only; included from the top-level CMakeLists.txt, which also
# instruments the engine). -fsanitize=fuzzer links libFuzzer's main; run them with tests/fuzz/run_fuzz.sh.
foreach(target scenario run_file)
  add_executable(fuzz_${target} ${CMAKE_CURRENT_LIST_DIR}/${target}_fuzz.cpp)
  target_link_libraries(fuzz_${target} PRIVATE civitas::engine)
  target_compile_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
endforeach()
