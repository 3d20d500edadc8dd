// A sharded single run over MPI ranks (docs/distributed.md, "Sharded single runs"): sim::transport's four
// collectives as MPI_Alltoallv, MPI_Allreduce (64-bit integers), MPI_Allgatherv and MPI_Gatherv on
// MPI_COMM_WORLD. Owns MPI's lifetime for `civitas run` (a study uses mpi_session instead).
#pragma once

#include "sim/transport.hpp"

namespace civitas::distributed {

class mpi_transport final : public sim::transport {
 public:
  // MPI_Init_thread (MPI_THREAD_FUNNELED: the collectives are called from the main thread only).
  mpi_transport(int& argc, char**& argv);
  ~mpi_transport() override;  // MPI_Finalize
  mpi_transport(const mpi_transport&) = delete;
  mpi_transport& operator=(const mpi_transport&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  // Stops every rank: for an error on one rank alone mid-run, when the others would wait for it forever.
  [[noreturn]] void abort(int code);

 protected:
  std::vector<sim::byte_buffer> do_all_to_all(const std::vector<sim::byte_buffer>& send) override;
  void do_all_reduce_sum(std::span<std::int64_t> values) override;
  std::vector<sim::byte_buffer> do_all_gather(std::span<const std::uint8_t> mine) override;
  std::vector<sim::byte_buffer> do_gather(std::span<const std::uint8_t> mine) override;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace civitas::distributed
