# The Python module (python/civitas): each public function against the engine and the CLI binary, and the
# notebooks of analysis/notebooks executed with nbclient. Registered only when the module is built
# (CIVITAS_BUILD_PYTHON); the build tree's python/ directory goes first on PYTHONPATH.
find_program(CIVITAS_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
set(civitas_python_env "PYTHONPATH=${CIVITAS_PYTHON_DIR}:${CMAKE_CURRENT_SOURCE_DIR}/python"
                       "PYTHONDONTWRITEBYTECODE=1" "MPLBACKEND=Agg" "PYDEVD_DISABLE_FILE_VALIDATION=1")
foreach(test run errors study files docstrings)
  add_test(NAME python_${test}_test
           COMMAND ${CIVITAS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/python/${test}_test.py $<TARGET_FILE:civitas>)
  set_tests_properties(python_${test}_test PROPERTIES ENVIRONMENT "${civitas_python_env}" TIMEOUT 300)
endforeach()

file(GLOB civitas_notebooks "${PROJECT_SOURCE_DIR}/analysis/notebooks/*.ipynb")
foreach(nb IN LISTS civitas_notebooks)
  get_filename_component(name "${nb}" NAME_WE)
  add_test(NAME python_notebook_${name}
           COMMAND ${CIVITAS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/python/run_notebook.py "${nb}")
  set_tests_properties(python_notebook_${name} PROPERTIES ENVIRONMENT "${civitas_python_env}" TIMEOUT 600)
endforeach()
