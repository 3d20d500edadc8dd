civitas_test(scoring_inequality_test scoring/inequality_test.cpp)
include(scoring/scores_tests.cmake)
