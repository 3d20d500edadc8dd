target_sources(civitas_engine PRIVATE
  driver/registry.cpp
  driver/run.cpp
  driver/verify.cpp)
