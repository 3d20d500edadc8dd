// The validation exchange models of domain.md §7, every exchange a real ledger transfer:
//   boltzmann        every agent with money gives 1 unit to a uniformly chosen agent (Mesa's model;
//                    choosing itself is a no-op, as in Mesa)
//   random_exchange  random pairs pool their money and split it at a uniform share (Dragulescu-Yakovenko)
//   saving           the same, each keeping a share lambda first (Chakraborti-Chakrabarti)
//   yard_sale        random pairs stake f x the poorer one's wealth on a fair coin
// Pairwise rules match agents by a seeded random perfect matching each step (consecutive positions of
// a Feistel permutation), so every agent trades once per step and both activation semantics agree.
// Under random-sequential activation a Boltzmann agent may give money it received earlier in the step.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "core/permutation.hpp"
#include "core/rng.hpp"
#include "params/params.hpp"
#include "sim/model.hpp"
#include "sim/settings.hpp"

namespace civitas::exchange {

// Random streams of the exchange models (numbers never reused; see core/rng.hpp).
enum class exchange_purpose : rng_purpose_code {
  partner = 2,         // choosing an exchange partner
  exchange_share = 3,  // the random share in a pairwise exchange
  coin = 4,            // (reserved: a fair coin; the yard-sale winner draws from exchange_share)
  pairing = 7,         // the random matching of pairwise exchanges
};
inline constexpr std::array<purpose_name, 4> exchange_purposes{
    {{2, "partner"}, {3, "exchange_share"}, {4, "coin"}, {7, "pairing"}}};

// Why the exchange models move money (stable numbers; see ledger/record.hpp).
enum class exchange_reason : ledger::reason_code {
  exchange = 2,  // a pairwise exchange
  gift = 3,      // a one-way gift (Boltzmann wealth rule)
};
inline constexpr std::array<ledger::code_name, 2> exchange_reasons{{{2, "exchange"}, {3, "gift"}}};

enum class exchange_rule { boltzmann, random_exchange, saving, yard_sale };
inline constexpr std::array<std::string_view, 4> exchange_rule_names{"boltzmann", "random_exchange", "saving",
                                                                     "yard_sale"};

struct exchange_params {
  exchange_rule rule = exchange_rule::boltzmann;
  amount_t initial_cash = 100;      // every citizen's endowment, minted at genesis
  double saving_propensity = 0.25;  // lambda of the saving rule, in [0, 1)
  double yard_sale_fraction = 0.1;  // share of the poorer party's wealth at stake, in (0, 1]
  // Whether a gift the giver cannot fund at its turn (random sequential) leaves an insufficient_funds
  // record. Off: a broke Boltzmann giver's rejection carries no information (a third of all records at
  // Gini 0.63), so it is not recorded; the money moved is the same either way.
  bool record_unfunded = false;

  static std::vector<params::param> declare();
};

class exchange_model final : public sim::model {
 public:
  explicit exchange_model(const params::scenario& s);
  void setup(sim::world& w) override;
  void endow(sim::world& w) override;
  void decide(const sim::world& w, ledger::intent_chunk& chunk, agent_id first, agent_id end) const override;
  bool records_unfunded() const override { return p_.record_unfunded; }
  bool streams_intents() const override;
  void decide_agents(const sim::world& w, std::span<const agent_id> agents,
                     ledger::intent_chunk& chunk) const override;
  // The pairwise rules read the partner's balance, which may be another shard's; Boltzmann reads none.
  bool reads_halo() const override { return p_.rule != exchange_rule::boltzmann; }
  void halo_accounts(const sim::world& w, agent_id first, agent_id end,
                     std::vector<account_id>& out) const override;
  std::vector<std::string> metric_columns() const override;
  std::vector<ledger::code_name> reasons() const override;
  void score(const sim::world& w, bool full, std::span<double> out) const override;
  std::vector<amount_t> snapshot_balances(const sim::world& w) const override;

  // Account of agent a (cash is the only token; account 0 is its issuer).
  static account_id account_of(agent_id a) { return a + 1; }

 private:
  // Calls loop(one) once; one(a, chunk) appends agent a's intents to chunk. decide and decide_agents
  // share it, so the streamed walk cannot drift from the materialised one.
  template <typename Loop>
  void for_agents(const sim::world& w, Loop&& loop) const;
  // Agent a's place in a step's matching: its partner, their pair's number, whether a comes first.
  struct pairing {
    agent_id partner;
    std::uint32_t pair;
    bool first;
  };
  feistel_permutation matching_at(step_t step) const;
  // Nothing for the odd one out of an odd population.
  static std::optional<pairing> pair_of(const feistel_permutation& matching, agent_id a);
  // New wealth of the first party of a pair (given both step-start wealths and the pair's draws).
  amount_t first_share(amount_t mine, amount_t theirs, rng_stream& draws) const;

  exchange_params p_;
  sim::run_params run_;
  std::uint32_t citizens_;
};

}  // namespace civitas::exchange
