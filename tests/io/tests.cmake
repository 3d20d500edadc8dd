civitas_test(io_scenario_test io/scenario_test.cpp)
civitas_test(io_run_file_test io/run_file_test.cpp)
