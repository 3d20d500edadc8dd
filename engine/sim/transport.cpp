#include "sim/transport.hpp"

#include <barrier>

#include "core/assert.hpp"

namespace civitas::sim {
namespace {

class collective_timer {
 public:
  explicit collective_timer(transport_stats& s) : s_(s) { ++s_.calls; }
  ~collective_timer() {
    s_.wait_ns += static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_)
            .count());
  }

 private:
  transport_stats& s_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// The group's meeting point: each endpoint posts a pointer to its contribution, all meet at the barrier,
// each reads what it needs, and all meet again before any contribution may go out of scope.
struct local_group {
  explicit local_group(int ranks) : size(ranks), meet(ranks), posted(static_cast<std::size_t>(ranks)) {}
  int size;
  std::barrier<> meet;
  std::vector<const void*> posted;
};

class local_transport final : public transport {
 public:
  local_transport(std::shared_ptr<local_group> group, int rank) : group_(std::move(group)), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return group_->size; }

 protected:
  std::vector<byte_buffer> do_all_to_all(const std::vector<byte_buffer>& send) override {
    std::vector<byte_buffer> received(static_cast<std::size_t>(size()));
    exchange(&send, [&](int from, const void* p) {
      received[static_cast<std::size_t>(from)] = (*static_cast<const std::vector<byte_buffer>*>(p))[rank_];
    });
    return received;
  }
  void do_all_reduce_sum(std::span<std::int64_t> values) override {
    std::vector<std::int64_t> sum(values.size(), 0);
    exchange(&values, [&](int, const void* p) {
      const auto& theirs = *static_cast<const std::span<std::int64_t>*>(p);
      CIVITAS_ASSERT(theirs.size() == values.size());
      for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += theirs[i];
    });
    std::copy(sum.begin(), sum.end(), values.begin());
  }
  std::vector<byte_buffer> do_all_gather(std::span<const std::uint8_t> mine) override {
    std::vector<byte_buffer> all(static_cast<std::size_t>(size()));
    exchange(&mine, [&](int from, const void* p) {
      const auto& theirs = *static_cast<const std::span<const std::uint8_t>*>(p);
      all[static_cast<std::size_t>(from)].assign(theirs.begin(), theirs.end());
    });
    return all;
  }
  std::vector<byte_buffer> do_gather(std::span<const std::uint8_t> mine) override {
    std::vector<byte_buffer> all(rank_ == 0 ? static_cast<std::size_t>(size()) : 0);
    exchange(&mine, [&](int from, const void* p) {
      if (rank_ != 0) return;
      const auto& theirs = *static_cast<const std::span<const std::uint8_t>*>(p);
      all[static_cast<std::size_t>(from)].assign(theirs.begin(), theirs.end());
    });
    return all;
  }

 private:
  // Posts `mine`, then calls read(rank, its contribution) for every rank in rank order.
  template <class Read>
  void exchange(const void* mine, Read&& read) {
    group_->posted[static_cast<std::size_t>(rank_)] = mine;
    group_->meet.arrive_and_wait();
    for (int r = 0; r < size(); ++r) read(r, group_->posted[static_cast<std::size_t>(r)]);
    group_->meet.arrive_and_wait();
  }

  std::shared_ptr<local_group> group_;
  int rank_;
};

}  // namespace

std::vector<byte_buffer> transport::all_to_all(const std::vector<byte_buffer>& send) {
  CIVITAS_ASSERT(send.size() == static_cast<std::size_t>(size()));
  for (int r = 0; r < size(); ++r)
    if (r != rank()) stats_.bytes_sent += send[static_cast<std::size_t>(r)].size();
  collective_timer t(stats_);
  return do_all_to_all(send);
}

void transport::all_reduce_sum(std::span<std::int64_t> values) {
  if (size() > 1) stats_.bytes_sent += values.size_bytes();
  collective_timer t(stats_);
  do_all_reduce_sum(values);
}

std::vector<byte_buffer> transport::all_gather(std::span<const std::uint8_t> mine) {
  stats_.bytes_sent += mine.size() * static_cast<std::size_t>(size() - 1);
  collective_timer t(stats_);
  return do_all_gather(mine);
}

std::vector<byte_buffer> transport::gather(std::span<const std::uint8_t> mine) {
  if (rank() != 0) stats_.bytes_sent += mine.size();
  collective_timer t(stats_);
  return do_gather(mine);
}

std::vector<std::unique_ptr<transport>> local_transports(int ranks) {
  CIVITAS_ASSERT(ranks >= 1);
  auto group = std::make_shared<local_group>(ranks);
  std::vector<std::unique_ptr<transport>> out;
  for (int r = 0; r < ranks; ++r) out.push_back(std::make_unique<local_transport>(group, r));
  return out;
}

}  // namespace civitas::sim
