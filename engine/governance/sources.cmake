target_sources(civitas_engine PRIVATE
  governance/alliance.cpp
  governance/daf.cpp
  governance/daf_rules.cpp
  governance/market.cpp
  governance/registry.cpp
  governance/social_credit.cpp)
