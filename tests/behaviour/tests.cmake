civitas_test(behaviour_test behaviour/choice_test.cpp)
