# Ensembles over MPI ranks (docs/distributed.md): only with CIVITAS_MPI. Every entry runs under mpirun with
# more ranks than this machine has cores (--oversubscribe), as root in CI (Open MPI refuses root unless told).
if(CIVITAS_MPI)
  set(civitas_mpi_environment
      OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
      # Containers often forbid the cross-process copy (CMA) Open MPI tries first for large messages.
      OMPI_MCA_btl_vader_single_copy_mechanism=none)
  # The module in process: job order, failures, a sweep with a failing run, on three ranks.
  add_executable(mpi_ensemble_test distributed/mpi_ensemble_test.cpp)
  target_link_libraries(mpi_ensemble_test PRIVATE civitas_distributed civitas_cli GTest::gtest MPI::MPI_CXX)
  target_include_directories(mpi_ensemble_test PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  add_test(NAME mpi_ensemble_ranks
           COMMAND ${MPIEXEC_EXECUTABLE} --oversubscribe -n 3 $<TARGET_FILE:mpi_ensemble_test>)
  set_tests_properties(mpi_ensemble_ranks PROPERTIES ENVIRONMENT "${civitas_mpi_environment}" TIMEOUT 300)
  # The command end to end: the same file at mpirun -n 1..4 as without mpirun; bad input stops every rank.
  foreach(case sweep compare sensitivity experiment errors failure)
    add_test(NAME mpi_cli_${case}
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/distributed/mpi_cli_test.sh $<TARGET_FILE:civitas>
                     ${MPIEXEC_EXECUTABLE} ${case})
    set_tests_properties(mpi_cli_${case} PROPERTIES ENVIRONMENT "${civitas_mpi_environment}" TIMEOUT 600)
  endforeach()
  # Sharded single runs, Boltzmann and a pairwise rule (its halo): one head hash at mpirun -n 1..4 and
  # without mpirun; verify passes on each file.
  add_test(NAME mpi_shard_run
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/distributed/mpi_shard_test.sh $<TARGET_FILE:civitas>
                   ${MPIEXEC_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/data/scenarios/sharded/boltzmann.toml
                   ${CMAKE_CURRENT_SOURCE_DIR}/data/scenarios/sharded/yard_sale.toml)
  set_tests_properties(mpi_shard_run PROPERTIES ENVIRONMENT "${civitas_mpi_environment}" TIMEOUT 1200)
endif()
