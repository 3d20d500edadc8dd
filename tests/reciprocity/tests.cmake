civitas_test(reciprocity_test reciprocity/reciprocity_model_test.cpp)
add_dependencies(reciprocity_test civitas)  # the validation runs the binary
