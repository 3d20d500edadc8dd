# Tests mirror society/: one file per source file, and one per behaviour under behaviours/.
civitas_test(society_test
  society/dimensions_test.cpp society/passport_test.cpp society/pool_test.cpp society/tender_test.cpp
  society/society_model_test.cpp
  society/behaviours/consumption_test.cpp society/behaviours/data_test.cpp society/behaviours/firm_strategy_test.cpp
  society/behaviours/giving_test.cpp society/behaviours/good_deeds_test.cpp
  society/behaviours/job_market_test.cpp society/behaviours/labour_test.cpp society/behaviours/misconduct_test.cpp society/behaviours/organisation_scores_test.cpp society/behaviours/pools_test.cpp
  society/behaviours/tenders_test.cpp society/behaviours/welfare_test.cpp)
add_dependencies(society_test civitas)  # the deterrence test runs the binary
