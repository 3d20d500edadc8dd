target_sources(civitas_engine PRIVATE
  io/scenario.cpp
  io/hdf5.cpp
  io/run_file.cpp)
