
civitas_test(io_run_file_test io/run_file_test.cpp)
