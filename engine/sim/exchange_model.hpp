// The validation exchange models of DOMAIN.md section 6, every exchange a real ledger transfer:
//   boltzmann        every agent with money gives 1 unit to a uniformly chosen agent (Mesa's model;
//                    choosing itself is a no-op, as in Mesa)
//   random_exchange  random pairs pool their money and split it at a uniform share (Dragulescu-Yakovenko)
//   saving           the same, each keeping a share lambda first (Chakraborti-Chakrabarti)
//   yard_sale        random pairs stake f x the poorer one's wealth on a fair coin
// Pairwise rules match agents by a seeded random perfect matching each step (consecutive positions of
// a Feistel permutation), so every agent trades once per step and both activation semantics agree.
// Under random-sequential activation a Boltzmann agent may give money it received earlier in the step.
#pragma once

#include "core/rng.hpp"
#include "sim/model.hpp"

namespace civitas::sim {

class exchange_model final : public model {
 public:
  explicit exchange_model(const io::scenario& s);
  void setup(world& w) override;
  void endow(world& w) override;
  void decide(const world& w, ledger::intent_chunk& chunk, agent_id first, agent_id end) const override;
  std::vector<std::string> metric_columns() const override;
  void score(const world& w, bool full, std::span<double> out) const override;
  std::vector<amount_t> snapshot_balances(const world& w) const override;

  // Account of agent a (cash is the only token; account 0 is its issuer).
  static account_id account_of(agent_id a) { return a + 1; }

 private:
  void decide_boltzmann(const world& w, ledger::intent_chunk& chunk, agent_id first, agent_id end) const;
  void decide_pairwise(const world& w, ledger::intent_chunk& chunk, agent_id first, agent_id end) const;
  // New wealth of the first party of a pair (given both step-start wealths and the pair's draws).
  amount_t first_share(amount_t mine, amount_t theirs, rng_stream& draws) const;

  io::scenario scenario_;
};

}  // namespace civitas::sim
