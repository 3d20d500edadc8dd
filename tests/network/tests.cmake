civitas_test(network_graphs_test network/graphs_test.cpp)
