target_sources(civitas_engine PRIVATE
  exchange/exchange_model.cpp)
