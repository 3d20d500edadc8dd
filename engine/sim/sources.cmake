target_sources(civitas_engine PRIVATE
  agents/population.cpp
  sim/settings.cpp
  sim/world.cpp)
