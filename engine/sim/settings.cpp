#include "sim/settings.hpp"

#include <limits>

namespace civitas::sim {

std::vector<params::param> run_params::declare() {
  using P = run_params;
  return {
      params::text("name", &P::name, {1, 64, "_.-"},
                   "Short name of the run; the default output file is NAME.h5", ""),
      params::text("description", &P::description, {0, 500}, "One line shown by `civitas scenarios`", ""),
      params::integer("seed", &P::seed, 0, std::numeric_limits<std::int64_t>::max(), "",
                      "Master random seed: same scenario and seed give the same ledger", ""),
      params::integer("steps", &P::steps, 1, 10'000'000, "steps", "Steps simulated after the genesis block",
                      ""),
      params::choice("activation", &P::activation, activation_names,
                     "Agents act one after another in a random order, or all on the previous state",
                     "random sequence as in Mesa, NetLogo and MASON (domain.md §7)"),
  };
}

std::vector<params::param> shard_params::declare() {
  return {params::integer("shards", &shard_params::shards, 1, 65'536, "shards",
                          "Fixed parts a single run is split into (agents, their accounts and records); the "
                          "head hash depends on it, never on how many MPI ranks run the parts",
                          "docs/distributed.md")};
}

std::vector<params::param> population_params::declare() {
  return {params::integer("citizens", &population_params::citizens, 2, 100'000'000, "agents",
                          "Number of citizen agents", "scenario")};
}

std::vector<params::param> output_params::declare() {
  using P = output_params;
  return {
      params::choice("ledger", &P::ledger, ledger_log_names,
                     "full: every transfer stored; headers: only block headers", ""),
      params::integer("snapshot_every", &P::snapshot_every, 0, 10'000'000, "steps",
                      "Agent snapshot every K steps (0: only the final state)", ""),
      params::integer("metrics_every", &P::metrics_every, 1, 10'000'000, "steps",
                      "Inequality metrics every K steps (other steps: NaN)", ""),
      params::integer(
          "summary_window", &P::summary_window, 0, 10'000'000, "steps",
          "End-of-run value in compare/sweep tables: mean over the last K steps (0: last quarter)", ""),
      params::integer("compression", &P::compression, 0, 9, "",
                      "Deflate level (with byte shuffle) of the stored transfer records, for archives; "
                      "0: uncompressed, the fastest",
                      ""),
  };
}

std::string_view to_string(activation_kind a) { return activation_names[static_cast<std::size_t>(a)]; }
std::string_view to_string(ledger_log l) { return ledger_log_names[static_cast<std::size_t>(l)]; }

}  // namespace civitas::sim
