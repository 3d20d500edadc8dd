// The DAF regime (Distributed Autonomous Foundation, docs/domain.md §4): a common treasury fed by a levy
// on purchases and, optionally, by firms' CSR and the data social tax; every daf.period steps charities
// (and a few citizens) propose projects, citizens decide by the chosen rule, and the winners are paid from
// the treasury through the ledger.
//
// - A proposal asks for r (2% to 20% of the pool, a daf.spend_share share of the treasury) and has a
//   hidden true impact per unit of cash q ~ lognormal(0, 0.75), so its impact is q r. A citizen perceives
//   q exp(noise x N(0, 1)). At most daf.max_open proposals are open at once; later ones are turned away.
// - Voting power is the citizen's value-token holdings (the society's good-deed tokens), except under
//   quadratic funding, where voters contribute their own cash.
// - Round rules (token, quadratic, quadratic_funding), once per period: daf.voters distinct citizens are
//   sampled (without replacement); each takes part with chance daf.turnout; a share daf.delegation of
//   those delegate their power to another participant (one hop). Quorum: the participating power must
//   reach daf.quorum of the sample's power, else nothing is funded. The round may spend the pool.
//   token: all power to the preferred project; quadratic: votes spread over the three preferred projects
//   at cost v^2, budget = power; both fund proposals in order of votes while the pool covers the request.
//   quadratic_funding: each participant gives daf.contribution_share of its cash over its three preferred
//   projects; contributions are summed per citizen and project and matched from the pool by the plain
//   rule or the pairwise-bounded one (daf.qf_matching, daf.pairwise_bound; formulas in daf_rules.hpp).
// - Conviction, every step, as 1Hive's app runs it (daf_rules::conviction_book): every citizen may stake;
//   a stake stays where it is until its holder reviews it (chance daf.reconsider a step), when it moves
//   the whole holding to its preferred open proposal (with chance daf.turnout) or withdraws; a stake
//   shrinks when the holding does. A proposal passes when its conviction exceeds y*(r) with R the whole
//   treasury and S floored at daf.min_stake_share of the token supply; unfunded proposals expire after
//   daf.proposal_rounds steps. Delegation and quorum do not apply (the floor stands for the quorum).
// - Treasury efficiency: the true impact funded over the impact the same money would have bought spent on
//   the best proposals open (by true impact per cash), cumulative; 1 is perfect.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "behaviour/choice.hpp"
#include "core/rng.hpp"
#include "governance/daf_rules.hpp"
#include "governance/regime.hpp"
#include "params/params.hpp"

namespace civitas::governance {

enum class daf_rule { token, quadratic, quadratic_funding, conviction };
inline constexpr std::array<std::string_view, 4> daf_rule_names{"token", "quadratic", "quadratic_funding",
                                                                "conviction"};
enum class qf_matching { plain, pairwise };
inline constexpr std::array<std::string_view, 2> qf_matching_names{"plain", "pairwise"};

// Random streams of the DAF (numbers never reused; see core/rng.hpp).
enum class daf_purpose : rng_purpose_code {
  round = 17,  // proposals, the sampled electorate, delegation
  vote = 18,   // one citizen's turnout, review of its stake and view of the proposals
};
inline constexpr std::array<purpose_name, 2> daf_purposes{{{17, "daf"}, {18, "daf_vote"}}};

// Why the DAF moves money (stable numbers; see ledger/record.hpp). Its levy is the society's daf_levy.
enum class daf_reason : ledger::reason_code {
  daf_grant = 25,         // treasury -> proposer of a funded project
  daf_contribution = 26,  // citizen -> proposer, a contribution to be matched (quadratic funding)
};
inline constexpr std::array<ledger::code_name, 2> daf_reasons{{{25, "daf_grant"}, {26, "daf_contribution"}}};

struct daf_params {
  daf_rule rule = daf_rule::quadratic;
  double levy = 0.01;            // share of each purchase paid into the treasury
  bool csr_to_fund = true;       // firms' CSR goes to the treasury instead of a charity
  bool data_tax_to_fund = true;  // the data social tax goes to the treasury instead of a charity
  std::uint32_t period = 4;      // steps between funding rounds
  double spend_share = 0.5;      // share of the treasury a round may spend (the pool requests are drawn from)
  std::uint32_t voters = 1000;   // distinct citizens sampled per round (round rules)
  std::uint32_t citizen_proposals = 5;
  std::uint32_t max_open = 30;  // proposals open at once
  double noise = 1.0;           // lognormal sigma of a voter's view of a project's impact
  double turnout = 0.6;
  double quorum = 0.1;               // participating power needed, as a share of the sample's power
  double delegation = 0.0;           // share of participants who delegate (one hop)
  double contribution_share = 0.01;  // quadratic funding: share of cash a participant contributes
  qf_matching matching = qf_matching::plain;
  double pairwise_bound = 25;         // quadratic funding, pairwise: M (a pair is matched below 2M)
  double alpha = 0.7937005259840998;  // conviction kept per step, 2^(-1/3)
  double beta = 0.2;
  double rho = 0.0025;
  double min_stake_share = 0.2;        // conviction: floor of S as a share of the token supply
  double reconsider = 0.25;            // conviction: chance a step that a citizen reviews its stake
  std::uint32_t proposal_rounds = 40;  // conviction: steps an unfunded proposal stays open
  // A proposal asks a share of the pool uniform in [request_min, request_min + request_spread]; its true
  // impact per cash is lognormal with median 1 and sigma impact_sigma.
  double request_min = 0.02;
  double request_spread = 0.18;
  double impact_sigma = 0.75;
  std::uint32_t ballot_size = 3;  // approval and plurality: the favourites a voter names
  // Turnout as a choice (Riker & Ordeshook 1968): fixed: at `turnout`; logit: P(vote) =
  // 1 / (1 + exp(-lambda (p B + D - C))) with p B = turnout_benefit, D = turnout_duty, C = turnout_cost.
  behaviour::rule turnout_rule = behaviour::rule::fixed;
  double turnout_lambda = 0.2;  // logit rule: precision, per cash unit of utility
  double turnout_benefit = 2;   // logit rule: p B, the expected benefit of voting, in cash
  double turnout_duty = 5;      // logit rule: D, the civic duty a voter fulfils, in cash
  double turnout_cost = 5;      // logit rule: C, the cost of voting (time, attention), in cash

  static std::vector<params::param> declare();
  static std::vector<params::rule_of<daf_params>> rules();
};

class daf final : public regime {
 public:
  explicit daf(const params::scenario& s);
  std::string_view name() const override { return "daf"; }
  std::span<const ledger::code_name> reasons() const override { return daf_reasons; }

  void setup(const society::view& m, sim::world& w) override;
  bool value_tradable() const override { return tradable_; }
  double purchase_levy() const override { return p_.levy; }
  std::optional<account_id> common_fund() const override { return treasury_; }
  bool csr_to_fund() const override { return p_.csr_to_fund; }
  bool data_tax_to_fund() const override { return p_.data_tax_to_fund; }
  void govern(const society::view& m, sim::world& w, const step_acts& acts) override;
  void score(const society::view&, const sim::world& w, regime_row& row) const override;
  // Under the logit turnout rule: `turnout`, the share of the citizens deciding this step (the sampled
  // electorate; under conviction, the citizens reviewing their stake) who chose to take part.
  std::vector<std::string> own_columns() const override;
  void score_own(std::span<double> out) const override;
  // The chance a deciding citizen takes part: daf.turnout, or the calculus of voting under logit.
  double turnout_probability() const;

  using proposal = daf_rules::proposal;

 private:
  struct voter {
    agent_id citizen = 0;
    double power = 0;               // value tokens (or cash to contribute, under quadratic funding)
    std::vector<double> perceived;  // per open proposal
  };
  // This period's proposals: one per charity and a few from distinct citizens, each asking a share of `pool`.
  std::vector<proposal> propose(const society::view& m, rng_stream& draws, amount_t pool);
  // Token, quadratic and quadratic funding: the sampled electorate decides once, winners are paid.
  void run_round(const society::view& m, sim::world& w);
  // Conviction: stakes are reviewed, conviction accrues, proposals that pass are paid.
  void run_conviction(const society::view& m, sim::world& w, bool new_proposals);
  // Pays `amount` from the treasury to a proposer; returns what was paid.
  amount_t grant(const society::view& m, sim::world& w, const proposal& p, amount_t amount);
  // Adds a decision to treasury efficiency: what `funded` bought against the best use of the same money
  // over `candidates` (by true impact per cash, each up to its request or what it got).
  void account(const std::vector<proposal>& candidates, const std::vector<amount_t>& funded);
  amount_t value_holdings(const society::view& m, const sim::world& w, agent_id citizen) const;

  daf_params p_;
  std::uint64_t seed_;
  bool tradable_;
  account_id treasury_ = 0;
  std::uint64_t next_id_ = 1;
  std::optional<daf_rules::conviction_book> book_;  // conviction only
  std::size_t open_count_ = 0;                      // proposals open after the last decision
  double achieved_ = 0, ideal_ = 0;
  struct counts {
    amount_t granted = 0;
    std::uint64_t funded = 0, submitted = 0, unpassable = 0;
    std::uint64_t deciding = 0, voting = 0;  // citizens deciding whether to take part; those who do
  } step_;
};

}  // namespace civitas::governance
