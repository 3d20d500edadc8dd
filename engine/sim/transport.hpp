// How the processes of a sharded run talk (docs/distributed.md, "Sharded single runs"): four collectives,
// each called by every rank in the same order. Small on purpose, so that a run's shards can talk through
// MPI (distributed/mpi_transport.hpp) or inside one process (local_transports below, for tests), and the
// world cannot tell which.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

namespace civitas::sim {

using byte_buffer = std::vector<std::uint8_t>;

// What a rank's collectives cost it, for the scaling benchmark.
struct transport_stats {
  std::uint64_t bytes_sent = 0;  // payload this rank handed to the others (its own share excluded)
  std::uint64_t calls = 0;
  std::uint64_t wait_ns = 0;  // time inside the collectives: communication plus waiting for the slowest
};

class transport {
 public:
  virtual ~transport() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;

  // send[r] goes to rank r (send.size() == size()); returns what every rank sent this one, by rank.
  std::vector<byte_buffer> all_to_all(const std::vector<byte_buffer>& send);
  // Element-wise sum over the ranks, on every rank (the same length everywhere). Integers: exact, so the
  // order the ranks are summed in cannot matter.
  void all_reduce_sum(std::span<std::int64_t> values);
  // Every rank's bytes, by rank, on every rank.
  std::vector<byte_buffer> all_gather(std::span<const std::uint8_t> mine);
  // Every rank's bytes, by rank, on rank 0 (other ranks get an empty list).
  std::vector<byte_buffer> gather(std::span<const std::uint8_t> mine);

  const transport_stats& stats() const { return stats_; }
  void reset_stats() { stats_ = {}; }

 protected:
  virtual std::vector<byte_buffer> do_all_to_all(const std::vector<byte_buffer>& send) = 0;
  virtual void do_all_reduce_sum(std::span<std::int64_t> values) = 0;
  virtual std::vector<byte_buffer> do_all_gather(std::span<const std::uint8_t> mine) = 0;
  virtual std::vector<byte_buffer> do_gather(std::span<const std::uint8_t> mine) = 0;

 private:
  transport_stats stats_;
};

// `ranks` endpoints of one in-process group: endpoint r must be driven by its own thread (a collective
// returns when every endpoint has called it). With one rank, every collective returns at once.
std::vector<std::unique_ptr<transport>> local_transports(int ranks);

// Plain-data encoding for what travels: appends or reads values of trivially copyable types.
template <class T>
void put(byte_buffer& out, std::span<const T> values) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(values.data());
  out.insert(out.end(), p, p + values.size_bytes());
}
template <class T>
std::vector<T> take_all(const byte_buffer& in) {
  std::vector<T> out(in.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), in.data(), out.size() * sizeof(T));
  return out;
}

}  // namespace civitas::sim
