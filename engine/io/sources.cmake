target_sources(civitas_engine PRIVATE
  io/scenario.cpp
  io/scenario_paths.cpp
  io/hdf5.cpp
  io/run_file.cpp)
