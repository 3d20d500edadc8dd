civitas_test(core_rng_test core/rng_test.cpp)
