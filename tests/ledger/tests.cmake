civitas_test(ledger_merkle_test ledger/merkle_test.cpp)
civitas_test(ledger_ledger_test ledger/ledger_test.cpp)
civitas_test(ledger_property_test ledger/property_test.cpp)
