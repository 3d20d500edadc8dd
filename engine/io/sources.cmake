target_sources(civitas_engine PRIVATE
  io/hdf5.cpp
  io/run_file.cpp)
