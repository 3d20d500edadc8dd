
civitas_test(io_run_file_test io/run_file_test.cpp)
civitas_test(io_output_file_test io/output_file_test.cpp)
add_dependencies(io_output_file_test civitas)
