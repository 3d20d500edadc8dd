target_sources(civitas_engine PRIVATE
  governance/market.cpp
  governance/registry.cpp
  governance/social_credit.cpp)
