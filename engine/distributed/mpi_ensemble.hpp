// Ensembles over MPI ranks: the runs of a study (sweep, compare, sensitivity, experiment) spread over the
// processes of `mpirun -n R civitas ...` (or srun), with dynamic load balancing: rank 0 hands out run ids
// one at a time to whichever rank asks (runs differ in cost), runs jobs itself on a second thread while it
// dispatches, and collects every run's bytes; only rank 0 writes files and prints. See docs/distributed.md.
//
// Each rank runs one job at a time, on `threads` TBB threads (default: the node's cores shared among its
// ranks). With one rank the study runs exactly as without MPI (every run in parallel on the threads).
//
// Agreement before the runs: every process validates the study itself (plans are pure functions of the
// arguments); then all vote once, in ensemble::run or, for a process that stopped with an error before
// it, in mpi_session::finish. A process that stopped makes every other one stop too (peer_error), so a bad
// flag, file or path on one rank never leaves the others waiting.
#pragma once

#include <memory>

#include "experiment/ensemble.hpp"

namespace civitas::distributed {

// Whether this process was started by an MPI launcher (mpirun/mpiexec of Open MPI or MPICH, srun), or the
// environment says CIVITAS_MPI=1. Started alone, civitas does not initialise MPI at all.
bool launched_by_mpi();

// The ranks a launcher started, from its environment without initialising MPI (0 when it does not say):
// the commands that are not studies refuse to run R times side by side.
int launched_ranks();

class mpi_session {
 public:
  // MPI_Init_thread (MPI_THREAD_FUNNELED: only the main thread calls MPI).
  mpi_session(int& argc, char**& argv);
  ~mpi_session();  // MPI_Finalize
  mpi_session(const mpi_session&) = delete;
  mpi_session& operator=(const mpi_session&) = delete;

  int rank() const;
  int size() const;
  const experiment::ensemble& ensemble() const;

  // Every process calls it once, at its end, with the exit code it stops with (0: none). Returns the code
  // to exit with; `print` says whether this process should print its own (deferred) error: rank 0 always
  // has printed its own; another rank prints only an error rank 0 did not have (the same bad flag on every
  // rank is reported once).
  struct ending {
    int code = 0;
    bool print = false;
  };
  ending finish(int code);

 private:
  class impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace civitas::distributed
