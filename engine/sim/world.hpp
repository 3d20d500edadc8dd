// The world: population + ledger + model, advanced one step at a time through named phases.
//
// world::step() reads like the design (after Box2D's b2World_Step): open the block, then
//   decide (parallel, read-only) -> settle (ledger, canonical order) -> govern -> score -> record,
// each phase timed into the profile. Nothing here depends on the number of threads: decide writes into
// fixed chunks of agents, settle follows a seeded order or the canonical one, and every reduction is
// over integers or in a fixed order.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agents/population.hpp"
#include "io/run_file.hpp"
#include "ledger/ledger.hpp"
#include "params/params.hpp"
#include "sim/model.hpp"
#include "sim/settings.hpp"
#include "sim/transport.hpp"

namespace civitas::sim {

enum class step_phase { decide, settle, govern, score, record };
inline constexpr std::size_t phase_count = 5;
const char* phase_name(step_phase p);

struct profile {
  std::array<std::uint64_t, phase_count> total_ns{};  // summed over all steps
  std::array<std::uint64_t, phase_count> last_ns{};   // the last step
  std::uint64_t steps = 0;
};

// Receives each sealed block (the record phase hands it over; e.g. to the HDF5 writer).
using block_sink = std::function<void(io::step_packet&&)>;

class world {
 public:
  // Builds the population and opens the ledger's tokens and accounts (layout() is then final). The model
  // comes from the one registry (driver::make_world), so this layer names none.
  //
  // With run.shards > 1 the run is sharded (docs/distributed.md): this process holds the shards `peers`
  // assigns its rank (contiguous, in shard order) and meets the other ranks through it; without `peers`,
  // one process holds every shard. Throws input_error when there are more ranks than shards.
  world(const params::scenario& scenario, std::unique_ptr<model> m, ledger::ledger_options options = {},
        transport* peers = nullptr);
  ~world();

  // Seals block 0 (genesis holdings); every sealed block from here on is handed to `sink`.
  void genesis(block_sink sink = {});
  // Advances one step; genesis() must have run.
  void step();

  const params::scenario& scenario() const { return scenario_; }
  const run_params& run() const { return run_; }
  const output_params& output() const { return output_; }
  const std::string& canonical_scenario() const { return canonical_; }
  const population& agents() const { return population_; }
  population& agents() { return population_; }
  const ledger::ledger& ledger() const { return ledger_; }
  ledger::ledger& ledger() { return ledger_; }
  const model& active_model() const { return *model_; }
  step_t current_step() const { return ledger_.head().step; }  // last sealed block
  const profile& timings() const { return profile_; }
  const std::vector<std::string>& metric_columns() const { return columns_; }
  const std::vector<double>& metrics() const { return metrics_; }  // of the last sealed block
  std::uint64_t total_transfers() const { return total_transfers_; }
  std::uint64_t total_rejected() const { return total_rejected_; }
  const std::array<std::uint64_t, ledger::status_count>& status_totals() const { return status_totals_; }
  // Layout of the run (tokens, accounts, columns, agent kinds) for the output file.
  io::run_layout layout() const;
  io::agent_snapshot snapshot() const;

  // Sharded runs: whether this run is one, the shards and agents this process holds, and its transport.
  bool sharded() const { return peers_ != nullptr; }
  std::uint32_t first_shard() const { return first_shard_; }
  std::uint32_t end_shard() const { return end_shard_; }
  agent_id first_agent() const { return first_agent_; }
  agent_id end_agent() const { return end_agent_; }
  // Whether this process writes and reports (rank 0; every unsharded world).
  bool root() const { return !peers_ || peers_->rank() == 0; }
  const transport* peers() const { return peers_; }
  transport* peers_mutable() { return peers_; }
  // An account's balance as decide sees it, at the start of the open step: from this process's ledger for
  // the accounts it holds (every account, unsharded), from the halo for those of other ranks that the
  // model listed in halo_accounts. Throws std::logic_error for an account neither has: a model reading
  // what it did not list would otherwise read a stale copy, and differ from the unsharded run silently.
  amount_t step_start_balance(account_id a) const {
    return peers_ ? sharded_balance(a) : ledger_.balances()[a];
  }
  // First agent of each shard, plus the population size (shard s: [bounds[s], bounds[s + 1])).
  static std::vector<agent_id> shard_bounds(std::uint32_t agents, std::uint32_t shards);

  // Agents per decide chunk: fixed, so the chunking never depends on the thread count.
  static constexpr std::uint32_t chunk_size = 4096;

 private:
  void record(bool with_snapshot);
  bool snapshot_due(step_t step) const;
  void step_sharded();
  void exchange_halo();
  bool holds(account_id a) const;
  int rank_of_account(account_id a) const;
  amount_t sharded_balance(account_id a) const;
  void record_sharded(bool with_snapshot);
  std::vector<ledger::account_credit> route_credits(std::vector<ledger::account_credit>&& outgoing);
  void mirror_population_on_root();

  params::scenario scenario_;
  run_params run_;
  output_params output_;
  std::string canonical_;
  population population_;
  ledger::ledger ledger_;
  std::unique_ptr<model> model_;
  block_sink sink_;
  ledger::intent_batch batch_;
  std::vector<agent_id> order_;
  std::vector<std::string> columns_;
  std::vector<double> metrics_;
  profile profile_;
  std::uint64_t total_transfers_ = 0;
  std::uint64_t total_rejected_ = 0;
  std::array<std::uint64_t, ledger::status_count> status_totals_{};
  // Sharded runs only.
  std::unique_ptr<transport> own_peers_;  // a one-rank group, when the caller gave none
  transport* peers_ = nullptr;
  std::uint32_t first_shard_ = 0, end_shard_ = 1;
  agent_id first_agent_ = 0, end_agent_ = 0;
  std::vector<ledger::account_range> held_;  // accounts of this process's shards, in id order
  std::vector<int> rank_of_shard_;
  // This step's halo: the other ranks' accounts decide reads (ascending, each once) and their step-start
  // balances, position for position.
  std::vector<account_id> halo_accounts_;
  std::vector<amount_t> halo_balances_;
};

}  // namespace civitas::sim
