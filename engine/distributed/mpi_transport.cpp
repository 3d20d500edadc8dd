#include "distributed/mpi_transport.hpp"

#include <mpi.h>

#include <climits>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace civitas::distributed {
namespace {

// MPI counts are ints: a step's message to one rank past 2 GiB is refused, never truncated.
int count_of(std::size_t bytes) {
  if (bytes > static_cast<std::size_t>(INT_MAX))
    throw std::length_error("a sharded step's message of " + std::to_string(bytes) +
                            " bytes exceeds one MPI message (use more shards or ranks)");
  return static_cast<int>(bytes);
}

// Displacements of concatenated buffers of the given sizes.
std::vector<int> displacements(const std::vector<int>& counts) {
  std::vector<int> at(counts.size(), 0);
  long long total = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    at[i] = count_of(static_cast<std::size_t>(total));
    total += counts[i];
  }
  count_of(static_cast<std::size_t>(total));
  return at;
}

std::vector<sim::byte_buffer> split(const std::vector<std::uint8_t>& all, const std::vector<int>& counts,
                                    const std::vector<int>& at) {
  std::vector<sim::byte_buffer> out(counts.size());
  for (std::size_t r = 0; r < counts.size(); ++r)
    out[r].assign(all.begin() + at[r], all.begin() + at[r] + counts[r]);
  return out;
}

}  // namespace

mpi_transport::mpi_transport(int& argc, char**& argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

mpi_transport::~mpi_transport() { MPI_Finalize(); }

void mpi_transport::abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::abort();
}

std::vector<sim::byte_buffer> mpi_transport::do_all_to_all(const std::vector<sim::byte_buffer>& send) {
  std::vector<int> send_counts(static_cast<std::size_t>(size_)), receive_counts(send_counts.size());
  for (std::size_t r = 0; r < send.size(); ++r) send_counts[r] = count_of(send[r].size());
  MPI_Alltoall(send_counts.data(), 1, MPI_INT, receive_counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
  const std::vector<int> send_at = displacements(send_counts), receive_at = displacements(receive_counts);
  std::vector<std::uint8_t> out, in(static_cast<std::size_t>(receive_at.back() + receive_counts.back()));
  for (const auto& b : send) out.insert(out.end(), b.begin(), b.end());
  MPI_Alltoallv(out.data(), send_counts.data(), send_at.data(), MPI_BYTE, in.data(), receive_counts.data(),
                receive_at.data(), MPI_BYTE, MPI_COMM_WORLD);
  return split(in, receive_counts, receive_at);
}

void mpi_transport::do_all_reduce_sum(std::span<std::int64_t> values) {
  MPI_Allreduce(MPI_IN_PLACE, values.data(), count_of(values.size()), MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
}

std::vector<sim::byte_buffer> mpi_transport::do_all_gather(std::span<const std::uint8_t> mine) {
  std::vector<int> counts(static_cast<std::size_t>(size_));
  const int my_count = count_of(mine.size());
  MPI_Allgather(&my_count, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
  const std::vector<int> at = displacements(counts);
  std::vector<std::uint8_t> all(static_cast<std::size_t>(at.back() + counts.back()));
  MPI_Allgatherv(mine.data(), my_count, MPI_BYTE, all.data(), counts.data(), at.data(), MPI_BYTE,
                 MPI_COMM_WORLD);
  return split(all, counts, at);
}

std::vector<sim::byte_buffer> mpi_transport::do_gather(std::span<const std::uint8_t> mine) {
  std::vector<int> counts(static_cast<std::size_t>(size_));
  const int my_count = count_of(mine.size());
  MPI_Gather(&my_count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rank_ != 0) {
    MPI_Gatherv(mine.data(), my_count, MPI_BYTE, nullptr, nullptr, nullptr, MPI_BYTE, 0, MPI_COMM_WORLD);
    return {};
  }
  const std::vector<int> at = displacements(counts);
  std::vector<std::uint8_t> all(static_cast<std::size_t>(at.back() + counts.back()));
  MPI_Gatherv(mine.data(), my_count, MPI_BYTE, all.data(), counts.data(), at.data(), MPI_BYTE, 0,
              MPI_COMM_WORLD);
  return split(all, counts, at);
}

}  // namespace civitas::distributed
