// What a model plugs into the step. The world owns the ledger and the population and runs the phases;
// a model decides what its agents want to do and what to measure.
//
//   setup   build the population, open tokens and accounts, authorise mint codes (before block 0)
//   endow   settle genesis holdings into block 0 (ledger.apply with mint reasons)
//   decide  read-only on step-start state; called in parallel, one chunk of agents per call, writing
//           intents into that chunk; draws come from rng_stream keyed by (seed; agent, step, purpose)
//   govern  after settle, serial: the regime acts (nothing for the validation models)
//   score   fills one value per metric column
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "agents/population.hpp"
#include "io/run_file.hpp"
#include "ledger/ledger.hpp"

namespace civitas::sim {

class world;

class model {
 public:
  virtual ~model() = default;
  virtual void setup(world& w) = 0;
  virtual void endow(world& w) = 0;
  virtual void decide(const world& w, ledger::intent_chunk& chunk, agent_id first, agent_id end) const = 0;
  // The random-sequential fast path (ledger::settle_streamed): a model may return true only when an
  // agent's intents never depend on what agents before it in the order did this step (Boltzmann: a
  // gift is a pure draw of seed, agent and step). The world then
  // draws intents during the walk with decide_agents, which must give each agent exactly the intents
  // decide gives it, instead of materialising every intent before settling.
  virtual bool streams_intents() const { return false; }
  // The intents of `agents` (any agents, each once), in that order: start_agent() before each agent's.
  virtual void decide_agents(const world&, std::span<const agent_id>, ledger::intent_chunk&) const {}
  // Whether an intent the agent cannot fund at its turn leaves an insufficient_funds record on the
  // streamed path (true) or no record (false: for models whose rejections carry no information).
  virtual bool records_unfunded() const { return true; }
  // Sharded runs (docs/distributed.md, "The sharded step"): a model whose decide reads accounts other
  // than the deciding agents' own says so here. It must be a pure function of the scenario: every rank
  // decides from it, without asking the others, whether the step starts with a halo exchange.
  virtual bool reads_halo() const { return false; }
  // Appends every account decide will read for agents [first, end) at the open step, beyond their own,
  // through world::step_start_balance (any order, repeats allowed; accounts this process holds may be
  // listed: the world drops them). The world fetches the step-start balances of the others from their
  // holders before decide.
  virtual void halo_accounts(const world&, agent_id, agent_id, std::vector<account_id>&) const {}
  virtual void govern(world&) {}
  virtual std::vector<std::string> metric_columns() const = 0;
  // Every reason code the model's transfers carry, with its name (the ledger's own included).
  virtual std::vector<ledger::code_name> reasons() const = 0;
  // Fills `out` (one value per metric column). `full` is false on steps where costly metrics are skipped
  // (output.metrics_every); those columns are then NaN.
  virtual void score(const world& w, bool full, std::span<double> out) const = 0;
  // Balances per agent per token for snapshots (agents x tokens, row-major).
  virtual std::vector<amount_t> snapshot_balances(const world& w) const = 0;
  // Per-agent scores carried by snapshots (agents x score_columns, row-major; NaN where a score does not
  // apply). Models without per-agent scores keep the defaults.
  virtual std::vector<std::string> score_columns() const { return {}; }
  virtual std::vector<double> snapshot_scores(const world&) const { return {}; }
  // Adds what the model fixed at set-up beyond tokens and accounts (e.g. its networks) to the layout.
  virtual void describe(io::run_layout&) const {}
};

}  // namespace civitas::sim
