target_sources(civitas_engine PRIVATE network/graphs.cpp)
target_link_libraries(civitas_engine PRIVATE Boost::headers)
