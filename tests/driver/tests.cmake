civitas_test(driver_registry_test driver/registry_test.cpp)
civitas_test(driver_verify_test driver/verify_test.cpp)
