// How a study spreads its runs: over this process's threads (the local ensemble, the default), or over the
// ranks of an MPI job (distributed/mpi_ensemble.hpp, installed by the civitas executable under mpirun).
//
// A study hands the ensemble N jobs and a worker that turns a job id into bytes (its serialised result);
// the ensemble returns every job's bytes, in job order, on the root: the one process that writes files and
// prints. Both sweeps and sensitivity studies decode the same bytes whichever ensemble ran them, so a
// study's output cannot depend on where its runs ran.
//
// A job that throws is a failed run: its error message is kept in place of its bytes and the other jobs go
// on (failed_runs_error below is how a study then reports it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiment/grid.hpp"
#include "io/hdf5.hpp"

namespace civitas::experiment {

struct job_result {
  bool ok = false;
  std::string data;  // the job's bytes, or its error message when !ok
};
using job_work = std::function<std::string(std::size_t job)>;
using job_progress = std::function<void(std::size_t done, std::size_t total)>;

class ensemble {
 public:
  virtual ~ensemble() = default;
  // Whether this process writes the outputs and prints (rank 0; always, locally).
  virtual bool root() const { return true; }
  // The processes that run jobs (MPI ranks; 1 locally).
  virtual unsigned processes() const { return 1; }
  // The threads a process runs with when a study says 0 ("every core"): 0 means every core.
  virtual unsigned default_threads() const { return 0; }
  // Runs work(i) once for every i in [0, n) and returns the results in job order on the root (an empty
  // vector elsewhere). Every process of the ensemble calls it with the same n. `threads` is the arena each
  // process runs its jobs in (0: default_threads()); `progress(done, n)` is called on the root after each
  // job, serialised.
  virtual std::vector<job_result> run(std::size_t n, unsigned threads, const job_work& work,
                                      const job_progress& progress) const;
};

// The ensemble studies use: the local one unless the program installed another.
const ensemble& current_ensemble();
// Installs `e` (nullptr: the local one again); it must outlive every study run while installed.
void set_current_ensemble(const ensemble* e);

// Runs one job, turning an exception into a failed result (whatever the ensemble, the same message).
job_result run_job(const job_work& work, std::size_t job);

// A run that failed: which run it was and why.
struct run_failure {
  std::uint32_t run_id = 0, point = 0, replicate = 0;
  std::uint64_t seed = 0;
  grid_point params;  // the point's parameters as TOML text
  std::string error;
  std::string str() const;  // "run 3 (point 1: key=value, replicate 0, seed 45): error"
};

// Thrown by a study after it wrote its outputs (the completed runs, and the failures under /failed) when
// some runs failed; the civitas command exits with code 6.
class failed_runs_error : public std::runtime_error {
 public:
  explicit failed_runs_error(std::vector<run_failure> failures);
  const std::vector<run_failure>& failures() const noexcept { return failures_; }

 private:
  std::vector<run_failure> failures_;
};

// Thrown by ensemble::run on the processes that were ready when another process of the ensemble had
// stopped before the runs (a bad flag, file or path there): that process reports its own error.
class peer_error : public std::runtime_error {
 public:
  peer_error(int rank, int code);
  int rank() const noexcept { return rank_; }
  int code() const noexcept { return code_; }  // the exit code that process stopped with

 private:
  int rank_, code_;
};

// Writes /failed (run_id, point, replicate, seed, param_<KEY> per key of `keys`, error) when there are
// failures; nothing otherwise, so a study without failures has the layout it always had.
void write_failures(hid_t file, const std::vector<run_failure>& failures,
                    const std::vector<std::string>& keys);

// Bytes of a job's result: fixed-width little-endian integers, doubles bit for bit, strings with their
// length. Both ends are this program, so no versioning.
class byte_writer {
 public:
  void u64(std::uint64_t v);
  void f64s(const std::vector<double>& v);
  void text(const std::string& s);
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};
class byte_reader {
 public:
  explicit byte_reader(const std::string& in) : in_(in) {}
  std::uint64_t u64();
  std::vector<double> f64s();
  std::string text();
  bool done() const { return at_ == in_.size(); }

 private:
  const char* take(std::size_t n);
  const std::string& in_;
  std::size_t at_ = 0;
};

}  // namespace civitas::experiment
