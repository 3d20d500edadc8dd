// Indirect reciprocity by image scoring (Nowak & Sigmund 1998, Nature 393:573), a validation model of
// behaviour: agents on a social graph play the donation game, and strategies spread by imitation.
//
// Each step every agent with a neighbour is a donor once, toward a uniformly drawn neighbour. Helping costs
// the donor c and gives the recipient b > c, as one linked ledger chain: c cash donor -> recipient (`help`)
// and b - c minted to the recipient (`help_value`, the value the act creates). Strategies:
//   discriminator  helps a recipient whose image it knows to be good; it knows the image with probability
//                  q, and helps when it does not know it (Nowak & Sigmund 2005's assumption, under which the
//                  discriminator resists defectors exactly when q > c/b);
//   alld           never helps;           allc  always helps.
// Image scoring: an agent's image is good when its last act as a donor was to help (good before it first
// acts), whoever it refused. Every `generation` steps each agent compares what it gained over the
// generation (its balance now less at the generation's start, read from the ledger) with a random
// neighbour's and copies that neighbour's strategy by the Fermi rule (behaviour::imitate), all at once
// from the old strategies; with probability `mutation` it then takes a uniformly drawn strategy instead.
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "core/rng.hpp"
#include "network/graphs.hpp"
#include "params/params.hpp"
#include "sim/model.hpp"
#include "sim/settings.hpp"

namespace civitas::reciprocity {

// Random streams (numbers never reused; see core/rng.hpp).
enum class purpose : rng_purpose_code {
  strategy = 40,   // an agent's strategy at set-up (step 0)
  donation = 41,   // a donor's recipient and whether it knows the recipient's image
  imitation = 42,  // the model an agent compares itself with, whether it copies, and mutation
};
inline constexpr std::array<purpose_name, 3> reciprocity_purposes{
    {{40, "strategy"}, {41, "donation"}, {42, "imitation"}}};

// Why the model moves money (stable numbers; see ledger/record.hpp).
enum class reason : ledger::reason_code {
  help = 40,        // donor -> recipient, the cost c of helping
  help_value = 41,  // cash issuer -> recipient, b - c minted: the value helping creates (linked with help)
};
inline constexpr std::array<ledger::code_name, 2> reciprocity_reasons{{{40, "help"}, {41, "help_value"}}};

enum class strategy : std::uint8_t { discriminator, alld, allc };
inline constexpr std::array<std::string_view, 3> strategy_names{"discriminator", "alld", "allc"};

struct reciprocity_params {
  amount_t benefit = 5;           // b: what the recipient of help gains
  amount_t cost = 1;              // c: what helping costs the donor
  double q = 0.5;                 // probability that a discriminator knows the recipient's image
  std::uint32_t generation = 10;  // steps between strategy updates
  double beta = 0.3;              // selection strength of the Fermi rule, per cash unit
  double mutation = 0.0;          // chance an agent takes a random strategy at an update
  double share_discriminator = 0.9;
  double share_alld = 0.1;  // the rest are allc
  amount_t initial_cash = 1000;
  network::social_graph_kind graph = network::social_graph_kind::small_world;
  std::uint32_t mean_degree = 10;
  double graph_param = 0.1;

  // Its rules (b > c, starting shares within 1) live in driver/registry.cpp: they hold only when the model
  // runs, which this struct cannot see.
  static std::vector<params::param> declare();
};

class reciprocity_model final : public sim::model {
 public:
  explicit reciprocity_model(const params::scenario& s);
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

  // Account of agent a (cash is the only token; account 0 is its issuer).
  static account_id account_of(agent_id a) { return a + 1; }
  const std::vector<strategy>& strategies() const { return strategy_; }
  const network::csr_graph& graph() const { return graph_; }

 private:
  // Step metrics, computed in govern (where the step's records are read) and reported by score.
  struct step_metrics {
    double donors = 0, helps = 0;
    std::array<double, 3> gain{};  // this step's cash gained by the holders of each strategy
    std::array<double, 3> count{};
  };
  void imitation_update(const sim::world& w, step_t step);

  reciprocity_params p_;
  std::uint64_t seed_;
  std::uint32_t agents_;
  network::csr_graph graph_;
  std::vector<strategy> strategy_;
  std::vector<std::uint8_t> good_image_;  // 1: the last act as donor was to help
  std::vector<amount_t> step_start_;      // balances at the start of this step
  std::vector<amount_t> generation_start_;
  step_metrics last_;
};

}  // namespace civitas::reciprocity
