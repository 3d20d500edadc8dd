target_sources(civitas_engine PRIVATE
  agents/population.cpp
  sim/exchange_model.cpp
  sim/model.cpp
  sim/world.cpp
  sim/run.cpp
  sim/verify.cpp)
