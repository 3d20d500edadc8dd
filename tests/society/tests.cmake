civitas_test(society_parts_test society/parts_test.cpp)
civitas_test(society_test society/society_test.cpp)
