target_sources(civitas_engine PRIVATE
  core/error.cpp)
