civitas_test(viz_panels_test viz/panels_test.cpp)
target_link_libraries(viz_panels_test PRIVATE civitas_viz_core)
add_dependencies(viz_panels_test civitas)  # one test runs `civitas compare`
civitas_test(viz_e2e_test viz/e2e_test.cpp)
target_link_libraries(viz_e2e_test PRIVATE civitas_viz_core)  # brings imgui's stb (stbi_load) to read the PNG
target_compile_definitions(viz_e2e_test PRIVATE CIVITAS_VIZ_BINARY="$<TARGET_FILE:civitas-viz>")
add_dependencies(viz_e2e_test civitas-viz civitas)
civitas_test(viz_network_flows_test viz/network_flows_test.cpp)
target_link_libraries(viz_network_flows_test PRIVATE civitas_viz_core)
civitas_test(viz_side_by_side_test viz/side_by_side_test.cpp)
target_link_libraries(viz_side_by_side_test PRIVATE civitas_viz_core)
civitas_test(viz_recorder_test viz/recorder_test.cpp)
target_link_libraries(viz_recorder_test PRIVATE civitas_viz_core)
