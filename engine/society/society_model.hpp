// The society model (docs/ODD.md is its full description): citizens, firms along a supply chain,
// charities and one government, trading cash and value tokens through the ledger.
//
// The model owns the state (society/state.hpp), builds it in setup, and runs the behaviours
// (society/behaviours/, one file each with its parameters, decide part, record handlers, govern part and
// metric columns) in the fixed order society_model.cpp documents. Regimes see it only through view.hpp.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/model.hpp"
#include "society/state.hpp"

namespace civitas::society {

class society_model final : public sim::model, public view, private society_state {
 public:
  society_model(const params::scenario& s, std::unique_ptr<policy> regime);
  void setup(sim::world& w) override;
  void endow(sim::world& w) override;
  void decide(const sim::world& w, ledger::intent_chunk& chunk, agent_id first, agent_id end) const override;
  void govern(sim::world& w) override;
  std::vector<std::string> metric_columns() const override;
  std::vector<ledger::code_name> reasons() const override;
  void score(const sim::world& w, bool full, std::span<double> out) const override;
  std::vector<amount_t> snapshot_balances(const sim::world& w) const override;
  std::vector<std::string> score_columns() const override;
  std::vector<double> snapshot_scores(const sim::world& w) const override;
  void describe(io::run_layout& layout) const override;

  // ---- the view a regime sees, and more for tests and tools ----
  std::uint32_t citizens() const override { return citizens_; }
  std::uint32_t firms() const override { return firms_; }
  std::uint32_t charities() const override { return charities_; }
  agent_id firm_agent(std::uint32_t f) const override { return society_state::firm_agent(f); }
  agent_id charity_agent(std::uint32_t h) const override { return society_state::charity_agent(h); }
  agent_id government() const override { return society_state::government(); }
  account_id cash_account(agent_id a) const override { return society_state::cash_account(a); }
  account_id value_account(std::size_t category, std::uint32_t citizen) const override {
    return society_state::value_account(category, citizen);
  }
  std::span<const std::uint32_t> retailers() const override { return retailers_; }
  std::uint64_t staff_of(std::uint32_t f) const override { return staff_offsets_[f + 1] - staff_offsets_[f]; }
  double goal_weight(agent_id citizen, std::size_t category) const override;
  using society_state::alignment;
  using society_state::value_token;
  account_id reserve_account() const { return reserve_account_; }
  account_id pool_cash_account(std::size_t c) const { return pool_cash_[c]; }
  account_id pool_token_account(std::size_t c) const { return pool_tokens_[c]; }
  const network::supply_chain& supply() const { return chain_; }
  const network::csr_graph& social() const { return graph_; }
  const std::vector<passport>& passports() const { return passports_; }
  const std::vector<own_score>& firm_scores() const { return firm_own_; }
  bool consents(agent_id citizen) const { return consent_[citizen] != 0; }
  const policy& regime() const { return *regime_; }

 private:
  void decide_citizen(std::span<const amount_t> balances, step_t step, agent_id a,
                      std::vector<ledger::transfer_intent>& out) const;
  void decide_firm(std::span<const amount_t> balances, std::uint32_t f,
                   std::vector<ledger::transfer_intent>& out) const;
  static const record_table& records();
  void read_records(sim::world& w);
  void let_regime_govern(sim::world& w);     // draws this step's misconduct and hands the acts to the regime
  std::vector<column> make_columns() const;  // every behaviour's columns, in the order of /series

  std::vector<column> columns_;
};

}  // namespace civitas::society
