// The DAF regime (Distributed Autonomous Foundation, DOMAIN.md section 3): a common treasury fed by a levy
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

#include "governance/regime.hpp"

namespace civitas::governance {

class daf final : public regime {
 public:
  explicit daf(const io::scenario& s);
  std::string_view name() const override { return "daf"; }

  void setup(society::society_model& m, sim::world& w) override;
  bool value_tradable() const override { return tradable_; }
  double purchase_levy() const override { return s_.daf_levy; }
  std::optional<account_id> common_fund() const override { return treasury_; }
  bool csr_to_fund() const override { return s_.daf_csr_to_fund; }
  bool data_tax_to_fund() const override { return s_.daf_data_tax_to_fund; }
  void govern(society::society_model& m, sim::world& w, const step_acts& acts) override;
  void score(const society::society_model& m, const sim::world& w, std::span<double> out) const override;

  struct proposal {
    agent_id proposer = 0;
    amount_t request = 0;
    double quality = 0;      // true impact per unit of cash (hidden from voters)
    double conviction = 0;   // accumulated (conviction rule)
    std::uint32_t rounds = 0;  // votes it has been through
  };

 private:
  struct voter {
    agent_id citizen = 0;
    double power = 0;                 // value tokens (or cash to contribute, under quadratic funding)
    std::vector<double> perceived;    // per open proposal
  };
  // Proposals arrive (when `new_proposals`), the sampled electorate votes, winners are paid.
  void run_round(society::society_model& m, sim::world& w, bool new_proposals);
  // Pays `amount` from the treasury to a proposer; returns what was paid.
  amount_t grant(society::society_model& m, sim::world& w, const proposal& p, amount_t amount);

  io::scenario s_;
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
