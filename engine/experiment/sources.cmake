target_sources(civitas_engine PRIVATE
  experiment/grid.cpp
  experiment/stats.cpp
  experiment/sweep.cpp)
