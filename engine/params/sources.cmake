target_sources(civitas_engine PRIVATE
  params/reader.cpp
  params/scenario_paths.cpp)
