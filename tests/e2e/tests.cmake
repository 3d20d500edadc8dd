civitas_test(e2e_cli_test e2e/cli_test.cpp)
add_dependencies(e2e_cli_test civitas)  # the test runs the binary
civitas_test(e2e_calc_test e2e/calc_test.cpp)
add_dependencies(e2e_calc_test civitas)
civitas_test(e2e_society_cli_test e2e/society_cli_test.cpp)
add_dependencies(e2e_society_cli_test civitas)
civitas_test(e2e_behaviour_cli_test e2e/behaviour_cli_test.cpp)
add_dependencies(e2e_behaviour_cli_test civitas)
