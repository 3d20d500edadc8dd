// The DAF's voting and funding rules (docs/domain.md §4), as pure functions and one small state machine,
// so each can be checked against its formula or its reference implementation.
//
//   token-weighted     a voter's weight is its token balance, cast for its preferred project
//   quadratic voting   v votes cost v^2 voice credits; a voter with budget B spreads votes over projects
//                      in proportion to how much it values them, v_j = sqrt(B) p_j / |p|, so sum v_j^2 = B
//   quadratic funding  contributions are first summed per contributor and project (as Gitcoin's CLR
//                      does); a project whose contributors gave c_i is matched
//                        plain (Buterin, Hitzig & Weyl 2019):  (sum_i sqrt c_i)^2 - sum_i c_i
//                                                              = sum_{i != j} sqrt(c_i c_j)
//                        pairwise (Buterin 2019, "Pairwise coordination subsidies"; Gitcoin's CLR):
//                          sum_{i != j} sqrt(c_i c_j) M / (M + P_ij),  P_ij = sum over every project q of
//                          sqrt(c_i^q c_j^q): a pair that backs the same projects together is matched less,
//                          2 P_ij M / (M + P_ij) over all projects, below 2M however much it gives
//                      and every match is scaled pro rata when the matching pool cannot cover them all
//   conviction voting  as 1Hive's Conviction Voting app runs it (ConvictionVoting.sol; the BlockScience /
//                      1Hive cadCAD model): stakes persist until their holder moves them; a proposal's
//                      conviction y_t = alpha y_{t-1} + x_t (x_t the tokens staked on it), so with a
//                      constant stake y(t) = y0 alpha^t + x (1 - alpha^t)/(1 - alpha); it passes when
//                      y > y*(r) = rho S / ((1 - alpha)(beta - r/R)^2), r/R < beta, where R is the whole
//                      treasury and S = max(tokens staked, min_stake_share x token supply) (1Hive's
//                      minThresholdStakePercentage: thin participation cannot pass proposals cheaply)
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/rng.hpp"
#include "core/types.hpp"

namespace civitas::governance::daf_rules {

// Quadratic voting: votes over projects in proportion to `preference` (>= 0), costing exactly `budget`
// voice credits in total (sum of squares). All zeros when the budget or every preference is 0.
std::vector<double> quadratic_votes(double budget, std::span<const double> preference);

// One contribution: `amount` (>= 0) from `contributor` to project `project`.
struct contribution {
  std::size_t project = 0;
  std::uint64_t contributor = 0;
  double amount = 0;
};
struct qf_result {
  std::vector<double> raised;        // per project: what it was given, summed
  std::vector<double> subsidy;       // matched amount per project, after pro-rata scaling to the pool
  std::vector<double> total;         // raised + subsidy
  std::vector<double> contributors;  // distinct contributors per project
  double scale = 1;                  // the pro-rata factor applied to every subsidy (<= 1)
};
// Quadratic funding over `projects` projects. `pairwise_bound` is M of the pairwise rule; +infinity gives
// the plain rule exactly. `pool` is the matching pool.
qf_result quadratic_funding(std::span<const contribution> contributions, std::size_t projects, double pool,
                            double pairwise_bound);

// k distinct values of [0, n) in random order (k <= n): a partial Fisher-Yates shuffle over a virtual
// array, holding only the entries it has swapped, so a small sample of a large population costs O(k).
std::vector<std::uint32_t> sample_without_replacement(rng_stream& draws, std::uint32_t n, std::uint32_t k);

// One step of conviction: alpha y + stake.
double conviction_step(double y, double stake, double alpha);
// Closed form after t steps from y0 with a constant stake x.
double conviction_after(double y0, double stake, double alpha, unsigned t);
// y*(r); +infinity when r/R >= beta (the request can never pass) or R <= 0.
double conviction_threshold(double request, double funds, double supply, double alpha, double beta,
                            double rho);
// Whether a request could ever pass against these funds: with the whole supply staked on it conviction
// tends to S/(1 - alpha), above y*(r) only when rho / (beta - r/R)^2 < 1, i.e. r/R < beta - sqrt(rho).
bool conviction_reachable(double request, double funds, double beta, double rho);

// A proposal to the DAF.
struct proposal {
  std::uint64_t id = 0;  // unique within a run (conviction stakes name it)
  agent_id proposer = 0;
  amount_t request = 0;
  double quality = 0;     // true impact per unit of cash (hidden from voters)
  double conviction = 0;  // conviction rule: accumulated
  std::uint32_t age = 0;  // conviction rule: steps it has been open
};

// The conviction rule's state between steps: the open proposals and every holder's stake.
class conviction_book {
 public:
  struct settings {
    double alpha = 0, beta = 0, rho = 0;
    double min_stake_share = 0;  // floor of S as a share of the token supply
    std::uint32_t expiry = 1;    // steps a proposal stays open without passing
    std::uint32_t max_open = 1;  // proposals open at once; later ones are turned away
  };
  conviction_book(settings s, std::uint32_t holders);

  // Opens a proposal (its id must be new); false when `max_open` are already open.
  bool submit(proposal p);
  const std::vector<proposal>& open() const { return open_; }

  // Holder h moves its whole stake to the open proposal at index j: `amount` tokens.
  void stake(std::uint32_t holder, std::size_t j, amount_t amount);
  void withdraw(std::uint32_t holder);
  // A stake never exceeds what its holder holds (1Hive's transfer hook withdraws the excess).
  void cap(std::uint32_t holder, amount_t balance);
  amount_t staked() const { return staked_; }  // every stake, idle ones included (1Hive's totalStaked)

  struct outcome {
    std::vector<proposal> passed;  // in the order they passed; each was paid its request
    std::uint32_t expired = 0;
  };
  // One step against the whole treasury `funds` and a token supply `supply`: every open proposal's
  // conviction accrues from the tokens staked on it now; then each in turn passes when its conviction
  // exceeds y*(r) against the funds left (a passing request is deducted before the next is tested, as the
  // vault falls with each execution); then proposals open `expiry` steps expire. Passed and expired
  // proposals close; stakes on them stay, idle (still counted in staked()), until their holders move them.
  outcome step(double funds, double supply);

 private:
  struct stake_of {
    std::uint64_t proposal = 0;  // 0: none
    amount_t amount = 0;
  };
  settings s_;
  std::vector<proposal> open_;
  std::vector<stake_of> stakes_;  // per holder
  amount_t staked_ = 0;
};

}  // namespace civitas::governance::daf_rules
