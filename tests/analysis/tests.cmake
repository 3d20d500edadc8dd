# The Python reader, run against a real run file. Debian's python3 (with python3-h5py) is /usr/bin/python3.
find_program(CIVITAS_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_test(NAME analysis_reader_test
         COMMAND ${CIVITAS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/analysis/reader_test.py $<TARGET_FILE:civitas>)
set_tests_properties(analysis_reader_test PROPERTIES TIMEOUT 120)
add_test(NAME analysis_sweep_test
         COMMAND ${CIVITAS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/analysis/sweep_test.py $<TARGET_FILE:civitas>)
set_tests_properties(analysis_sweep_test PROPERTIES TIMEOUT 300)
# docs/ODD.md's parameter table names every society and regime parameter with the schema's default and range.
add_test(NAME docs_odd_parameters_current
         COMMAND ${CIVITAS_PYTHON} ${PROJECT_SOURCE_DIR}/docs/tools/odd_parameters.py $<TARGET_FILE:civitas>
                 --check ${PROJECT_SOURCE_DIR}/docs/ODD.md)
# The shipped comparison: total value bounded and stable across replicates, the DAF's gini_cash effect flagged.
add_test(NAME analysis_compare_regimes_test
         COMMAND ${CIVITAS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/analysis/compare_regimes_test.py $<TARGET_FILE:civitas>)
set_tests_properties(analysis_compare_regimes_test PROPERTIES TIMEOUT 300)
# Income and wealth columns against the flows they are made of; the UK targets printed beside them.
add_test(NAME analysis_income_test
         COMMAND ${CIVITAS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/analysis/income_test.py $<TARGET_FILE:civitas>)
set_tests_properties(analysis_income_test PROPERTIES TIMEOUT 300)
# The calibrated UK society within tolerance of data/uk_targets.csv after burn-in, and in a steady state.
add_test(NAME analysis_calibrated_uk_test
         COMMAND ${CIVITAS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/analysis/calibrated_uk_test.py $<TARGET_FILE:civitas>)
set_tests_properties(analysis_calibrated_uk_test PROPERTIES TIMEOUT 300)
