# The generated corpus of malformed scenarios and flags (tests/cli/malformed_inputs.py): each case run against
# the binary with its expected exit code, the place its message must name and the files it may leave.
# Debian's python3 (stdlib only here) is /usr/bin/python3; the same cached lookup as tests/analysis/tests.cmake.
find_program(CIVITAS_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_test(NAME cli_malformed_inputs
         COMMAND ${CIVITAS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/cli/malformed_inputs.py $<TARGET_FILE:civitas>)
set_tests_properties(cli_malformed_inputs PROPERTIES TIMEOUT 600)
