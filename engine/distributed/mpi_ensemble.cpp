#include "distributed/mpi_ensemble.hpp"

#include <mpi.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace civitas::distributed {
namespace {

using experiment::job_progress;
using experiment::job_result;
using experiment::job_work;

// worker -> rank 0: the previous job's result (empty on the first request), asking for the next job;
// rank 0 -> worker: a job id, or stop.
constexpr int tag_request = 1, tag_job = 2, tag_stop = 3;
constexpr int exit_internal = 4;  // main.cpp's code for a bug

// Where MPI cannot go on (a bug, or memory exhausted mid-dispatch) every rank must stop, or the others wait
// for a message that never comes.
[[noreturn]] void abort_all(const char* what) {
  std::fprintf(stderr, "internal error: %s: stopping every rank\n", what);
  MPI_Abort(MPI_COMM_WORLD, exit_internal);
  std::abort();
}

std::string encode(std::uint64_t job, const job_result& r) {
  experiment::byte_writer out;
  out.u64(job);
  out.u64(r.ok ? 1 : 0);
  out.text(r.data);
  return out.take();
}

// A result too large for one MPI message (2 GiB) becomes a failure of that run, not a crash.
std::string encode_for_sending(std::uint64_t job, const job_result& r) {
  std::string bytes = encode(job, r);
  if (bytes.size() <= static_cast<std::size_t>(INT_MAX)) return bytes;
  return encode(job, {false, "its result (" + std::to_string(bytes.size()) +
                                 " bytes) is larger than one MPI message can carry"});
}

}  // namespace

bool launched_by_mpi() {
  if (const char* forced = std::getenv("CIVITAS_MPI")) return std::strcmp(forced, "0") != 0;
  // Open MPI's mpirun; PMIx (srun --mpi=pmix and Open MPI 5); PMI-1/2 (MPICH's hydra, srun --mpi=pmi2).
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

int launched_ranks() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
    if (const char* size = std::getenv(v)) return std::atoi(size);
  return 0;
}

class mpi_session::impl final : public experiment::ensemble {
 public:
  impl(int& argc, char**& argv) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    // The ranks sharing this node share its cores: each gets its share, at least one thread (and no more
    // than the cores it is bound to, when the launcher bound it).
    MPI_Comm node;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    int local = 1;
    MPI_Comm_size(node, &local);
    MPI_Comm_free(&node);
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    threads_ = std::max(1u, std::min(static_cast<unsigned>(tbb::info::default_concurrency()),
                                     cores / static_cast<unsigned>(local)));
  }
  ~impl() override { MPI_Finalize(); }

  int rank() const { return rank_; }
  int size() const { return size_; }

  bool root() const override { return rank_ == 0; }
  unsigned processes() const override { return static_cast<unsigned>(size_); }
  unsigned default_threads() const override { return size_ == 1 ? 0 : threads_; }

  std::vector<job_result> run(std::size_t n, unsigned threads, const job_work& work,
                              const job_progress& progress) const override {
    const std::vector<int> codes = vote(0);
    for (int r = 0; r < size_; ++r)
      if (codes[static_cast<std::size_t>(r)] != 0)
        throw experiment::peer_error(r, codes[static_cast<std::size_t>(r)]);
    if (size_ == 1) return ensemble::run(n, threads, work, progress);  // alone: exactly the local run
    // No more threads than the cores the launcher bound this rank to (mpirun binds a rank to one core
    // unless told otherwise): TBB would not start them, and it warns when asked.
    const unsigned bound = static_cast<unsigned>(tbb::info::default_concurrency());
    tbb::task_arena arena(static_cast<int>(std::max(1u, std::min(threads ? threads : threads_, bound))));
    if (rank_ != 0) {
      serve(arena, work);
      return {};
    }
    return dispatch(n, arena, work, progress);
  }

  ending finish(int code) {
    if (!voted_) codes_ = vote(code);
    if (rank_ == 0) return {code, false};  // rank 0 printed its error when it had it
    // Stopped before the runs as rank 0 did: rank 0 has said why (the same flag or file on every rank).
    if (codes_[0] != 0 && codes_[static_cast<std::size_t>(rank_)] != 0) return {0, false};
    return {code, code != 0};
  }

 private:
  // Every process's exit code so far (0: ready), gathered on every process: the one collective before the
  // runs, so every process knows whether all will run.
  std::vector<int> vote(int code) const {
    std::vector<int> codes(static_cast<std::size_t>(size_));
    MPI_Allgather(&code, 1, MPI_INT, codes.data(), 1, MPI_INT, MPI_COMM_WORLD);
    voted_ = true;
    codes_ = codes;
    return codes;
  }

  // A worker: asks for a job, runs it, sends its result with the next request, until told to stop.
  void serve(tbb::task_arena& arena, const job_work& work) const {
    std::string message;  // empty: the first request
    for (;;) {
      MPI_Send(message.data(), static_cast<int>(message.size()), MPI_BYTE, 0, tag_request, MPI_COMM_WORLD);
      MPI_Status status;
      MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
      if (status.MPI_TAG == tag_stop) {
        MPI_Recv(nullptr, 0, MPI_BYTE, 0, tag_stop, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        return;
      }
      std::uint64_t job = 0;
      MPI_Recv(&job, 1, MPI_UINT64_T, 0, tag_job, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      job_result r;
      arena.execute([&] { r = experiment::run_job(work, job); });
      message = encode_for_sending(job, r);
    }
  }

  // Rank 0: hands out job ids in order to whoever asks, its own second thread included, and keeps every
  // result in its slot. The main thread polls (MPI_Iprobe, then a short wait) rather than blocking in
  // MPI_Recv, which in Open MPI spins a core that rank 0's own jobs need.
  std::vector<job_result> dispatch(std::size_t n, tbb::task_arena& arena, const job_work& work,
                                   const job_progress& progress) const {
    std::vector<job_result> results(n);
    std::mutex m;
    std::condition_variable wake;
    std::size_t next = 0, local_done = 0;
    const auto take = [&]() -> std::size_t {  // the next job id, or n when none is left
      std::lock_guard lock(m);
      return next < n ? next++ : n;
    };
    std::thread local([&] {
      for (std::size_t job; (job = take()) < n;) {
        job_result r;
        arena.execute([&] { r = experiment::run_job(work, job); });
        std::lock_guard lock(m);
        results[job] = std::move(r);
        ++local_done;
        wake.notify_one();
      }
    });
    try {
      std::size_t done = 0, local_seen = 0;
      int stopped = 0;
      const auto finished_one = [&] {
        ++done;
        if (progress) progress(done, n);
      };
      std::string buffer;
      while (stopped < size_ - 1 || done < n) {
        int flag = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, tag_request, MPI_COMM_WORLD, &flag, &status);
        if (flag) {
          int count = 0;
          MPI_Get_count(&status, MPI_BYTE, &count);
          buffer.resize(static_cast<std::size_t>(count));
          MPI_Recv(buffer.data(), count, MPI_BYTE, status.MPI_SOURCE, tag_request, MPI_COMM_WORLD,
                   MPI_STATUS_IGNORE);
          if (!buffer.empty()) {  // the worker's previous job
            experiment::byte_reader in(buffer);
            const std::uint64_t job = in.u64();
            const bool ok = in.u64() != 0;
            std::string data = in.text();
            if (job >= n) abort_all("a worker sent the result of a job that does not exist");
            {
              std::lock_guard lock(m);
              results[job] = {ok, std::move(data)};
            }
            finished_one();
          }
          const std::uint64_t job = take();
          if (job < n) {
            MPI_Send(&job, 1, MPI_UINT64_T, status.MPI_SOURCE, tag_job, MPI_COMM_WORLD);
          } else {
            MPI_Send(nullptr, 0, MPI_BYTE, status.MPI_SOURCE, tag_stop, MPI_COMM_WORLD);
            ++stopped;
          }
        }
        std::unique_lock lock(m);
        if (!flag && local_seen == local_done)
          wake.wait_for(lock, std::chrono::microseconds(200), [&] { return local_seen != local_done; });
        const std::size_t newly = local_done - local_seen;
        local_seen = local_done;
        lock.unlock();
        for (std::size_t i = 0; i < newly; ++i) finished_one();
      }
    } catch (const std::exception& e) {  // stop here: unwinding would leave the workers waiting
      abort_all(e.what());
    }
    local.join();
    return results;
  }

  int rank_ = 0, size_ = 1;
  unsigned threads_ = 1;
  mutable bool voted_ = false;
  mutable std::vector<int> codes_;
};

mpi_session::mpi_session(int& argc, char**& argv) : impl_(std::make_unique<impl>(argc, argv)) {}
mpi_session::~mpi_session() = default;
int mpi_session::rank() const { return impl_->rank(); }
int mpi_session::size() const { return impl_->size(); }
const experiment::ensemble& mpi_session::ensemble() const { return *impl_; }
mpi_session::ending mpi_session::finish(int code) { return impl_->finish(code); }

}  // namespace civitas::distributed
