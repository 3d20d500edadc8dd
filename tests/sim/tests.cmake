civitas_test(sim_world_test sim/world_test.cpp)
civitas_test(sim_validation_test sim/validation_test.cpp)
civitas_test(sim_golden_society_test sim/golden_society_test.cpp)
civitas_test(sim_shard_test sim/shard_test.cpp)
