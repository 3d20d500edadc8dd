// The DAF: its rules against their formulas, and the regime at the level of the ledger.
#include "governance/daf.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <limits>

#include "driver/registry.hpp"
#include "governance/daf_rules.hpp"
#include "ledger/hash.hpp"
#include "sim/world.hpp"
#include "society/society_model.hpp"
#include "support/captured_run.hpp"

using namespace civitas;
using namespace civitas::governance;

TEST(DafRules, QuadraticVotesCostExactlyTheBudgetAndFollowPreferences) {
  const double preference[] = {3, 1, 0};
  const auto votes = daf_rules::quadratic_votes(40, preference);
  double cost = 0;
  for (const double v : votes) cost += v * v;
  EXPECT_NEAR(cost, 40.0, 1e-9);                 // v votes cost v^2
  EXPECT_NEAR(votes[0] / votes[1], 3.0, 1e-12);  // in proportion to preference
  EXPECT_EQ(votes[2], 0.0);
  EXPECT_NEAR(votes[0], std::sqrt(40.0 * 9.0 / 10.0), 1e-12);
  const double none[] = {0, 0};
  EXPECT_EQ(daf_rules::quadratic_votes(40, none), (std::vector<double>{0, 0}));
  EXPECT_EQ(daf_rules::quadratic_votes(0, preference), (std::vector<double>{0, 0, 0}));
}

TEST(DafRules, QuadraticFundingRaisesTheSquareOfSummedRootsScaledToThePool) {
  // A: contributions 1 and 4 raise (1 + 2)^2 = 9, a subsidy of 9 - 5 = 4. B: one contribution of 9 raises 9,
  // no subsidy: many small backers count for more than one large one.
  const std::vector<std::vector<double>> c = {{1, 4}, {9}, {}};
  const auto enough = daf_rules::quadratic_funding(c, 100);
  EXPECT_DOUBLE_EQ(enough.raised[0], 9);
  EXPECT_DOUBLE_EQ(enough.subsidy[0], 4);
  EXPECT_DOUBLE_EQ(enough.subsidy[1], 0);
  EXPECT_DOUBLE_EQ(enough.total[0], 9);
  EXPECT_DOUBLE_EQ(enough.total[2], 0);
  EXPECT_DOUBLE_EQ(enough.scale, 1);
  // A pool of 2 covers half the wanted subsidy: every subsidy is scaled by 0.5.
  const auto short_pool = daf_rules::quadratic_funding({{1, 4}, {4, 4, 1}}, 2);
  // wanted: A 4; B (2 + 2 + 1)^2 - 9 = 16; total 20 -> scale 0.1
  EXPECT_DOUBLE_EQ(short_pool.scale, 0.1);
  EXPECT_DOUBLE_EQ(short_pool.subsidy[0], 0.4);
  EXPECT_DOUBLE_EQ(short_pool.subsidy[1], 1.6);
}

TEST(DafRules, ConvictionMatchesItsClosedForm) {
  const double alpha = std::pow(2.0, -1.0 / 3.0);
  double y = 5;
  for (unsigned t = 1; t <= 30; ++t) {
    y = daf_rules::conviction_step(y, 3, alpha);
    EXPECT_NEAR(y, daf_rules::conviction_after(5, 3, alpha, t), 1e-9) << t;
  }
  EXPECT_NEAR(daf_rules::conviction_after(0, 3, alpha, 2000), 3 / (1 - alpha),
              1e-9);  // the steady state x/(1-alpha)
  // y*(r) = rho S / ((1 - alpha)(beta - r/R)^2): r = 10, R = 100, S = 1000, alpha 0.8, beta 0.2, rho 0.0025
  // -> 1250.
  EXPECT_NEAR(daf_rules::conviction_threshold(10, 100, 1000, 0.8, 0.2, 0.0025), 1250, 1e-9);
  EXPECT_EQ(daf_rules::conviction_threshold(20, 100, 1000, 0.8, 0.2, 0.0025),
            std::numeric_limits<double>::infinity());
}

namespace {

params::scenario daf_scenario(std::vector<std::string> extra, std::uint64_t seed = 1) {
  extra.insert(extra.begin(), {"governance.regime=daf", "population.charities=8", "run.steps=24"});
  return test::small_society(seed, extra);
}

struct daf_run : test::captured_run {
  account_id treasury = 0;
};

daf_run run(const params::scenario& s, int threads = 2) {
  daf_run out;
  static_cast<test::captured_run&>(out) = test::capture(s, threads, [&](const sim::world& w) {
    out.treasury = *dynamic_cast<const society::society_model&>(w.active_model()).regime().common_fund();
  });
  return out;
}

}  // namespace

TEST(DafRegime, TheTreasuryIsFedByLinkedLeviesAndCsrAndPaysOnlyProposers) {
  const auto s = daf_scenario({"daf.rule=token"});
  const auto r = run(s);
  std::size_t levies = 0, grants = 0, csr = 0;
  for (const auto& b : r.blocks)
    for (std::size_t i = 0; i < b.records.size(); ++i) {
      const auto& rec = b.records[i];
      if (rec.status != 0) continue;
      if (rec.reason == code(society::reason::daf_levy)) {
        ++levies;
        // The levy is the second half of the purchase: floor(1% of the whole spend).
        const auto& purchase = b.records.at(i - 1);
        EXPECT_EQ(purchase.reason, code(society::reason::purchase));
        EXPECT_TRUE(purchase.flags & ledger::intent_flag::linked);
        EXPECT_EQ(rec.amount, static_cast<amount_t>(
                                  std::floor(static_cast<double>(purchase.amount + rec.amount) * 0.01)));
        EXPECT_EQ(rec.credit, r.treasury);
      }
      if (rec.reason == code(society::reason::csr)) {
        ++csr;
        EXPECT_EQ(rec.credit, r.treasury);  // daf.csr_to_fund
      }
      if (rec.reason == code(governance::daf_reason::daf_grant)) {
        ++grants;
        EXPECT_EQ(rec.debit, r.treasury);
        const agent_id to = r.accounts[rec.credit].owner;
        EXPECT_TRUE(
            to < s.get<sim::population_params>().citizens ||
            (to >= s.get<sim::population_params>().citizens + s.get<society::organisation_params>().firms &&
             to < s.get<sim::population_params>().citizens + s.get<society::organisation_params>().firms +
                      s.get<society::organisation_params>().charities))
            << to;
      }
      if (rec.debit == r.treasury) {
        EXPECT_EQ(rec.reason, code(governance::daf_reason::daf_grant));  // nothing else leaves the fund
      }
    }
  EXPECT_GT(levies, 10'000u);
  EXPECT_GT(csr, 100u);
  EXPECT_GT(grants, 5u);
  EXPECT_GT(r.final("treasury"), 0);
  EXPECT_GT(r.final("treasury_efficiency"), 0);
  EXPECT_LE(r.final("treasury_efficiency"), 1.0 + 1e-12);
}

TEST(DafRegime, EveryRuleFundsProjectsAndNoneBeatsTheBestUseOfTheMoney) {
  for (const std::string rule : {"token", "quadratic", "quadratic_funding", "conviction"}) {
    const auto r = run(daf_scenario({"daf.rule=" + rule, "run.steps=60"}));
    EXPECT_GT(r.total("projects_funded"), 0) << rule;
    EXPECT_LE(r.final("treasury_efficiency"), 1.0 + 1e-12) << rule;
  }
}

TEST(DafRegime, WithoutQuorumNothingIsFunded) {
  const auto r = run(daf_scenario({"daf.turnout=0.5", "daf.quorum=0.9"}));
  EXPECT_EQ(r.total("projects_funded"), 0);
  EXPECT_EQ(r.total("grants"), 0);
}

TEST(DafRegime, QuadraticFundingContributionsAreRealTransfersMatchedFromTheTreasury) {
  const auto r = run(daf_scenario({"daf.rule=quadratic_funding"}));
  std::size_t contributions = 0;
  for (const auto& b : r.blocks)
    for (const auto& rec : b.records)
      if (rec.reason == code(governance::daf_reason::daf_contribution) && rec.status == 0) {
        ++contributions;
        EXPECT_LT(r.accounts[rec.debit].owner, 2000u);  // a citizen's own cash
      }
  EXPECT_GT(contributions, 100u);
  EXPECT_GT(r.total("grants"), 0);
}

TEST(DafRegime, ThreadCountDoesNotChangeTheRun) {
  for (const std::string rule : {"quadratic", "conviction"}) {
    const auto s = daf_scenario({"daf.rule=" + rule, "daf.delegation=0.3"});
    EXPECT_EQ(run(s, 1).head, run(s, 2).head) << rule;
  }
}
