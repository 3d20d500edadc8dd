// One run from a validated scenario to an HDF5 file: the driver that the CLI, tests and benchmarks share.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "driver/registry.hpp"
#include "ledger/record.hpp"
#include "sim/world.hpp"

namespace civitas::driver {

struct run_options {
  std::string out_path;  // empty: write no file
  unsigned threads = 0;  // 0: every core
  bool hashing = true;   // off only for benchmarks
  std::string sign_key;  // Ed25519 private key (PEM): sign the head and the file seal at the end
  // The ranks of a sharded run (run.shards > 1), e.g. MPI's; none: every shard in this process. Only rank
  // 0 writes the file; every rank returns the same head hash.
  sim::transport* peers = nullptr;
  // Called after each sealed step with (steps done, steps planned).
  std::function<void(step_t, step_t)> progress;
};

struct run_summary {
  std::string scenario_name;
  std::uint64_t seed = 0;
  step_t steps = 0;
  std::size_t agents = 0;
  std::size_t accounts = 0;
  std::uint64_t transfers = 0;  // records, applied and rejected, genesis included
  std::uint64_t rejected = 0;
  std::array<std::uint64_t, ledger::status_count> status_totals{};
  std::vector<std::pair<std::string, amount_t>> supplies;  // per token, at the end
  std::vector<std::string> columns;
  std::vector<double> final_metrics;
  std::string head_hash;
  std::string file_seal;  // hex; empty when no file was written
  bool signed_head = false;
  sim::profile timings;
  double wall_seconds = 0;
  unsigned threads = 0;
  std::string out_path;
  // Sharded runs: shards, ranks, and this rank's collectives (bytes sent, time inside them).
  std::uint32_t shards = 1;
  int ranks = 1;
  int rank = 0;
  sim::transport_stats communication;
};

// Runs the scenario (throws civitas::input_error for a refused output path or key, civitas::write_error
// when the file cannot be written).
run_summary run_scenario(const params::scenario& scenario, const run_options& options);

// Concurrency to use for `threads` (0 means every core).
unsigned resolve_threads(unsigned threads);

// Build description stored in /meta.
std::string build_flags();

}  // namespace civitas::driver
