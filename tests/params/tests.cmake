civitas_test(params_reader_test params/reader_test.cpp)
