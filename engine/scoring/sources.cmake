target_sources(civitas_engine PRIVATE
  scoring/inequality.cpp)
