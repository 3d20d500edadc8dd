civitas_test(experiment_test experiment/experiment_test.cpp)
add_dependencies(experiment_test civitas)
civitas_test(sensitivity_test experiment/sensitivity_test.cpp)
add_dependencies(sensitivity_test civitas)  # the end-to-end tests run the binary
civitas_test(experiment_file_test experiment/experiment_file_test.cpp)
add_dependencies(experiment_file_test civitas)  # runs the binary
