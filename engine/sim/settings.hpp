// The run's own parameters ([run], [population].citizens, [output]): what every model shares.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::sim {

enum class activation_kind { random_sequential, simultaneous };
inline constexpr std::array<std::string_view, 2> activation_names{"random_sequential", "simultaneous"};
enum class ledger_log { full, headers };
inline constexpr std::array<std::string_view, 2> ledger_log_names{"full", "headers"};

struct run_params {
  std::string name = "default";
  std::string description = "Boltzmann wealth exchange among 10,000 citizens";
  std::uint64_t seed = 1;
  step_t steps = 200;
  activation_kind activation = activation_kind::random_sequential;

  static std::vector<params::param> declare();
};

// How a single run is split (docs/distributed.md, "Sharded single runs"): agents, their accounts and their
// records in `shards` fixed contiguous ranges, whatever the number of processes that run them. A separate
// struct, read (and so in the canonical text and the run's identity) only when it is not 1, so that every
// unsharded scenario keeps the identity, and the head hash, it had before shards existed.
struct shard_params {
  std::uint32_t shards = 1;

  static std::vector<params::param> declare();
};

struct population_params {
  std::uint32_t citizens = 10'000;

  static std::vector<params::param> declare();
};

struct output_params {
  ledger_log ledger = ledger_log::full;  // full: every transfer stored; headers: only block headers
  std::uint32_t snapshot_every = 0;      // agent snapshot every K steps (0: only the final state)
  std::uint32_t metrics_every = 1;       // compute inequality metrics every K steps (others: NaN)
  // Steps averaged for the end-of-run value compare and sweep tables read (0: the last quarter of the run),
  // so a periodic event on the last step (a tender every 4th) does not decide a comparison.
  std::uint32_t summary_window = 0;
  // Deflate level (with byte shuffle) of the stored transfer records, for archives (0: none, the fastest).
  std::uint32_t compression = 0;

  static std::vector<params::param> declare();
};

std::string_view to_string(activation_kind a);
std::string_view to_string(ledger_log l);

}  // namespace civitas::sim
