civitas_test(e2e_cli_test e2e/cli_test.cpp)
add_dependencies(e2e_cli_test civitas)  # the test runs the binary
civitas_test(e2e_calc_test e2e/calc_test.cpp)
add_dependencies(e2e_calc_test civitas)
civitas_test(e2e_society_cli_test e2e/society_cli_test.cpp)
add_dependencies(e2e_society_cli_test civitas)
civitas_test(e2e_behaviour_cli_test e2e/behaviour_cli_test.cpp)
add_dependencies(e2e_behaviour_cli_test civitas)
# The tamper suite: every dataset and attribute edited or removed, byte flips, a re-hash forgery, SIGKILLs.
find_program(CIVITAS_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_test(NAME e2e_tamper_suite
         COMMAND ${CIVITAS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/e2e/tamper_test.py $<TARGET_FILE:civitas>)
set_tests_properties(e2e_tamper_suite PROPERTIES TIMEOUT 900)
