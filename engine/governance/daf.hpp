// The DAF regime (Distributed Autonomous Foundation, docs/domain.md §4): a common treasury fed by a levy
// on purchases and, optionally, by firms' CSR and the data social tax; every daf.period steps charities
// (and a few citizens) propose projects, a sample of citizens votes by the chosen rule, and the winners are
// paid from the treasury through the ledger.
//
// - A proposal asks for r (2% to 20% of the round's pool R) and has a hidden true impact per unit of cash
//   q ~ lognormal(0, 0.75), so its impact is q r. A voter perceives q exp(noise x N(0, 1)).
// - Voting power is the voter's value-token holdings (the society's good-deed tokens), except under
//   quadratic funding, where voters contribute their own cash. Each sampled voter takes part with chance
//   daf.turnout; a share daf.delegation of those delegate their power to another participant (one hop).
//   Quorum: the participating power must reach daf.quorum of the sample's power, else nothing is funded.
// - Rules (formulas in daf_rules.hpp): token (all power to the preferred project), quadratic (votes spread
//   over the three preferred projects at cost v^2, budget = power), quadratic_funding (each participant gives
//   daf.contribution_share of its cash over its three preferred projects; the treasury matches
//   (sum sqrt c)^2 - sum c pro rata to the pool), conviction (power staked on the preferred open proposal
//   accumulates as alpha y + stake every step, conviction being continuous; a proposal passes at y*(r);
//   unfunded proposals stay open for daf.proposal_rounds steps).
// - Token and quadratic tallies fund proposals in order of votes while the pool covers their request.
// - Treasury efficiency: the true impact funded over the impact the same money would have bought spent on
//   the best proposals of each round (by true impact per cash), cumulative over rounds; 1 is perfect.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/rng.hpp"
#include "governance/regime.hpp"
#include "params/params.hpp"

namespace civitas::governance {

enum class daf_rule { token, quadratic, quadratic_funding, conviction };
inline constexpr std::array<std::string_view, 4> daf_rule_names{"token", "quadratic", "quadratic_funding",
                                                                "conviction"};

// Random streams of the DAF (numbers never reused; see core/rng.hpp).
enum class daf_purpose : rng_purpose_code {
  round = 17,  // proposals, the sampled electorate, delegation
  vote = 18,   // one voter's turnout and view of the proposals
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
  double spend_share = 0.5;      // share of the treasury a round may spend
  std::uint32_t voters = 1000;   // citizens sampled per round
  std::uint32_t citizen_proposals = 5;
  double noise = 1.0;  // lognormal sigma of a voter's view of a project's impact
  double turnout = 0.6;
  double quorum = 0.1;                // participating power needed, as a share of the sample's power
  double delegation = 0.0;            // share of participants who delegate (one hop)
  double contribution_share = 0.01;   // quadratic funding: share of cash a participant contributes
  double alpha = 0.7937005259840998;  // conviction kept per step, 2^(-1/3)
  double beta = 0.2;
  double rho = 0.0025;
  std::uint32_t proposal_rounds = 40;  // conviction: steps (votes) a proposal stays open

  static std::vector<params::param> declare();
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

  struct proposal {
    agent_id proposer = 0;
    amount_t request = 0;
    double quality = 0;        // true impact per unit of cash (hidden from voters)
    double conviction = 0;     // accumulated (conviction rule)
    std::uint32_t rounds = 0;  // votes it has been through
  };

 private:
  struct voter {
    agent_id citizen = 0;
    double power = 0;               // value tokens (or cash to contribute, under quadratic funding)
    std::vector<double> perceived;  // per open proposal
  };
  // Proposals arrive (when `new_proposals`), the sampled electorate votes, winners are paid.
  void run_round(const society::view& m, sim::world& w, bool new_proposals);
  // Pays `amount` from the treasury to a proposer; returns what was paid.
  amount_t grant(const society::view& m, sim::world& w, const proposal& p, amount_t amount);

  daf_params p_;
  std::uint64_t seed_;
  bool tradable_;
  account_id treasury_ = 0;
  std::vector<proposal> open_;  // conviction: proposals carried between rounds
  double achieved_ = 0, ideal_ = 0;
  struct counts {
    amount_t granted = 0;
    std::uint64_t funded = 0;
  } step_;
};

}  // namespace civitas::governance
