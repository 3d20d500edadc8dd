target_sources(civitas_engine PRIVATE
  scoring/inequality.cpp)
include(scoring/scores_sources.cmake)
