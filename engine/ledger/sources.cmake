target_sources(civitas_engine PRIVATE
  ledger/hash.cpp
  ledger/merkle.cpp
  ledger/record.cpp
  ledger/ledger.cpp)
