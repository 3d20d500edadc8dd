// The DAF: its rules against their formulas, and the regime at the level of the ledger.
#include "governance/daf.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/error.hpp"
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

TEST(DafRules, QuadraticFundingSumsPerContributorAndMatchesAWorkedExample) {
  // Worked by hand. Project A: Alice 4 (given as 1 + 3: one contributor), Bob 1, Carol 9. Project B:
  // Alice 9, Bob 4. Plain: A (2 + 1 + 3)^2 - 14 = 22 (Alice's two gifts counted as two contributors would
  // give (1 + sqrt 3 + 1 + 3)^2 - 14 = 31.3); B (3 + 2)^2 - 13 = 12.
  enum : std::uint64_t { alice = 7, bob = 3, carol = 11 };
  const std::vector<daf_rules::contribution> c = {{0, alice, 1}, {0, bob, 1}, {1, alice, 9},
                                                  {0, carol, 9}, {1, bob, 4}, {0, alice, 3}};
  const double inf = std::numeric_limits<double>::infinity();
  const auto plain = daf_rules::quadratic_funding(c, 3, 100, inf);
  EXPECT_DOUBLE_EQ(plain.raised[0], 14);
  EXPECT_DOUBLE_EQ(plain.contributors[0], 3);
  EXPECT_DOUBLE_EQ(plain.subsidy[0], 22);
  EXPECT_DOUBLE_EQ(plain.subsidy[1], 12);
  EXPECT_DOUBLE_EQ(plain.subsidy[2], 0);  // no contributions, no match
  EXPECT_DOUBLE_EQ(plain.total[0], 36);
  EXPECT_DOUBLE_EQ(plain.scale, 1);
  // A pool of 17 covers half the wanted 34: every match is halved.
  const auto short_pool = daf_rules::quadratic_funding(c, 3, 17, inf);
  EXPECT_DOUBLE_EQ(short_pool.scale, 0.5);
  EXPECT_DOUBLE_EQ(short_pool.subsidy[0], 11);
  EXPECT_DOUBLE_EQ(short_pool.subsidy[1], 6);

  // Pairwise, M = 2. The pairs' overlaps over both projects: Alice-Bob sqrt(4 x 1) + sqrt(9 x 4) = 8,
  // Alice-Carol sqrt(4 x 9) = 6, Bob-Carol sqrt(1 x 9) = 3. Each ordered pair is matched
  // sqrt(c_i c_j) M / (M + P_ij): A 2 (2 x 2/10 + 6 x 2/8 + 3 x 2/5) = 6.2, B 2 (6 x 2/10) = 2.4. Alice and
  // Bob back both projects together, so their pair is matched least.
  const auto pairwise = daf_rules::quadratic_funding(c, 3, 100, 2);
  EXPECT_NEAR(pairwise.subsidy[0], 6.2, 1e-12);
  EXPECT_NEAR(pairwise.subsidy[1], 2.4, 1e-12);
  EXPECT_DOUBLE_EQ(pairwise.scale, 1);
  // A very large bound is the plain rule.
  const auto loose = daf_rules::quadratic_funding(c, 3, 100, 1e15);
  EXPECT_NEAR(loose.subsidy[0], 22, 1e-9);
  EXPECT_NEAR(loose.subsidy[1], 12, 1e-9);
}

TEST(DafRules, SamplesWithoutReplacementAreDistinctAndCoverThePopulation) {
  rng_stream draws(5, 0, 1, rng_purpose::model);
  const auto all = daf_rules::sample_without_replacement(draws, 50, 50);
  std::vector<std::uint32_t> sorted = all;
  std::sort(sorted.begin(), sorted.end());
  for (std::uint32_t i = 0; i < 50; ++i) EXPECT_EQ(sorted[i], i);  // a permutation
  const auto some = daf_rules::sample_without_replacement(draws, 1'000'000, 1000);
  std::set<std::uint32_t> distinct(some.begin(), some.end());
  EXPECT_EQ(distinct.size(), 1000u);
  EXPECT_LT(*distinct.rbegin(), 1'000'000u);
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
daf_rules::conviction_book::settings book_settings(double alpha, double rho, double min_stake_share = 0.2) {
  return {alpha, 0.2, rho, min_stake_share, 1000, 10};
}
daf_rules::proposal asking(std::uint64_t id, amount_t request) { return {id, 0, request, 1.0, 0, 0}; }
}  // namespace

// A lone proposal asking 10% of the treasury, the whole supply S staked on it from the first step: its
// conviction is y_t = S (1 - alpha^t)/(1 - alpha) and y* = rho S / ((1 - alpha)(beta - 0.1)^2), so it passes
// at the first t with alpha^t < 1 - rho/(beta - 0.1)^2, t* = floor(ln(1 - rho/0.01) / ln alpha) + 1.
TEST(DafConviction, ALoneProposalPassesAtTheStepTheClosedFormGives) {
  struct setting {
    double alpha, rho;
    unsigned expected;  // t*, worked by hand
  };
  for (const setting s : {setting{std::pow(2.0, -1.0 / 3.0), 0.0025, 2},  // ln 0.75 / ln 2^(-1/3) = 1.245
                          setting{0.9, 0.005, 7},                         // ln 0.5 / ln 0.9 = 6.58
                          setting{0.99, 0.002, 23}}) {                    // ln 0.8 / ln 0.99 = 22.2
    const double ratio = std::log(1.0 - s.rho / ((0.2 - 0.1) * (0.2 - 0.1))) / std::log(s.alpha);
    const auto closed_form = static_cast<unsigned>(std::floor(ratio)) + 1;
    ASSERT_EQ(closed_form, s.expected);
    ASSERT_GT(ratio - std::floor(ratio), 1e-6);  // not a tie, where rounding would decide

    daf_rules::conviction_book book(book_settings(s.alpha, s.rho), 1);
    ASSERT_TRUE(book.submit(asking(1, 10)));
    book.stake(0, 0, 1000);  // the whole supply
    unsigned passed_at = 0;
    for (unsigned t = 1; t <= 200 && passed_at == 0; ++t) {
      const auto out = book.step(100, 1000);
      if (!out.passed.empty()) {
        passed_at = t;
        const double y = daf_rules::conviction_after(0, 1000, s.alpha, t);
        EXPECT_NEAR(out.passed[0].conviction, y, 1e-12 * y);
      } else {
        const double y = daf_rules::conviction_after(0, 1000, s.alpha, t);
        EXPECT_NEAR(book.open()[0].conviction, y, 1e-12 * y);
      }
    }
    EXPECT_EQ(passed_at, closed_form) << "alpha " << s.alpha << " rho " << s.rho;
    EXPECT_TRUE(book.open().empty());
    EXPECT_EQ(book.staked(), 1000);  // the stake stays, idle, until its holder moves it (1Hive)
    book.withdraw(0);
    EXPECT_EQ(book.staked(), 0);
  }
}

TEST(DafConviction, TheMinimumStakeFloorStopsThinSupportFromPassing) {
  // 10% of the supply staked on a request of 14% of the treasury. Without a floor S is what is staked and
  // the proposal passes (100 > 100 x 0.0025 / 0.06^2 = 69.4); with S floored at 20% of the supply it never
  // can (100 < 200 x 0.0025 / 0.06^2 = 138.9).
  for (const double floor : {0.0, 0.2}) {
    daf_rules::conviction_book book(book_settings(0.9, 0.0025, floor), 1);
    ASSERT_TRUE(book.submit(asking(1, 14)));
    book.stake(0, 0, 100);
    bool passed = false;
    for (int t = 0; t < 500 && !passed; ++t) passed = !book.step(100, 1000).passed.empty();
    EXPECT_EQ(passed, floor == 0.0) << floor;
  }
}

TEST(DafConviction, StakesPersistUntilMovedAndShrinkWithTheHolding) {
  const double alpha = 0.8;
  daf_rules::conviction_book book(book_settings(alpha, 0.0025), 2);
  ASSERT_TRUE(book.submit(asking(1, 50)));  // half the treasury: above beta, never passes
  book.stake(0, 0, 600);
  book.stake(1, 0, 400);
  for (int t = 0; t < 2; ++t) book.step(100, 1000);
  book.cap(0, 100);  // holder 0 now holds only 100: its stake shrinks to it
  book.cap(1, 900);  // more than staked: nothing changes
  EXPECT_EQ(book.staked(), 500);
  for (int t = 0; t < 3; ++t) book.step(100, 1000);
  EXPECT_NEAR(book.open()[0].conviction,
              daf_rules::conviction_after(daf_rules::conviction_after(0, 1000, alpha, 2), 500, alpha, 3),
              1e-9);
}

TEST(DafConviction, OpenProposalsAreCappedAndExpire) {
  auto s = book_settings(0.8, 0.0025);
  s.max_open = 2;
  s.expiry = 3;
  daf_rules::conviction_book book(s, 1);
  EXPECT_TRUE(book.submit(asking(1, 10)));
  EXPECT_TRUE(book.submit(asking(2, 10)));
  EXPECT_FALSE(book.submit(asking(3, 10)));  // turned away: two are open
  EXPECT_EQ(book.step(100, 1000).expired, 0u);
  EXPECT_EQ(book.step(100, 1000).expired, 0u);
  EXPECT_EQ(book.step(100, 1000).expired, 2u);  // three steps without passing
  EXPECT_TRUE(book.open().empty());
  EXPECT_TRUE(book.submit(asking(3, 10)));
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
    EXPECT_GT(r.total("proposals_submitted"), 0) << rule;
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
  for (const std::string rule : {"quadratic", "quadratic_funding", "conviction"}) {
    const auto s = daf_scenario({"daf.rule=" + rule, "daf.delegation=0.3", "daf.qf_matching=pairwise"});
    EXPECT_EQ(run(s, 1).head, run(s, 2).head) << rule;
  }
}

TEST(DafRegime, ConvictionStakesAreHeldAndOpenProposalsCapped) {
  const auto r = run(daf_scenario({"daf.rule=conviction", "daf.max_open=8", "run.steps=60"}));
  EXPECT_GT(r.total("projects_funded"), 0);
  EXPECT_EQ(r.total("proposals_unpassable"), 0);  // every request is at most 10% of the whole treasury
  for (step_t t = 1; t < r.blocks.size(); ++t) EXPECT_LE(r.metric(t, "open_proposals"), 8) << t;
  // Nobody ever reviews a stake, so nobody stakes and nothing passes.
  const auto idle = run(daf_scenario({"daf.rule=conviction", "daf.reconsider=0", "run.steps=60"}));
  EXPECT_EQ(idle.total("projects_funded"), 0);
  EXPECT_GT(idle.final("open_proposals"), 0);
}

TEST(DafRegime, QuadraticFundingVotersAreDistinctCitizens) {
  // Every citizen is sampled, once: each gives at most once to a project in a round.
  for (const std::string matching : {"plain", "pairwise"}) {
    const auto r = run(daf_scenario(
        {"daf.rule=quadratic_funding", "daf.voters=2000", "daf.turnout=1", "daf.qf_matching=" + matching}));
    std::size_t contributions = 0;
    for (const auto& b : r.blocks) {
      std::set<std::pair<account_id, account_id>> pairs;
      for (const auto& rec : b.records)
        if (rec.reason == code(governance::daf_reason::daf_contribution) && rec.status == 0) {
          ++contributions;
          EXPECT_TRUE(pairs.insert({rec.debit, rec.credit}).second) << "a citizen gave twice to one project";
        }
    }
    EXPECT_GT(contributions, 1000u) << matching;
    EXPECT_GT(r.total("grants"), 0) << matching;
  }
}

TEST(DafRegime, CountsOfCitizensCannotExceedThePopulation) {
  for (const std::string key : {"daf.voters", "daf.citizen_proposals"}) {
    try {
      daf_scenario({key + "=2001"});
      ADD_FAILURE() << key << " above the population was accepted";
    } catch (const input_error& e) {
      const std::string message = e.diagnostics().front().message;
      EXPECT_NE(message.find(key + " = 2001 exceeds population.citizens = 2000"), std::string::npos)
          << message;
    }
  }
  EXPECT_NO_THROW(daf_scenario({"daf.voters=2000"}));
}

// ---- turnout as a choice: the calculus of voting (Riker & Ordeshook 1968) ----

TEST(DafTurnout, TheLogitRuleIsTheCalculusOfVoting) {
  const auto s =
      test::small_society(1, {"governance.regime=daf", "daf.turnout_rule=logit", "daf.turnout_lambda=0.5",
                              "daf.turnout_benefit=2", "daf.turnout_duty=1", "daf.turnout_cost=4"});
  const daf d(s);
  EXPECT_NEAR(d.turnout_probability(), 1 / (1 + std::exp(-0.5 * (2 + 1 - 4))), 1e-15);
  EXPECT_EQ(d.own_columns(), (std::vector<std::string>{"turnout"}));
  const daf fixed(test::small_society(1, {"governance.regime=daf", "daf.turnout=0.37"}));
  EXPECT_EQ(fixed.turnout_probability(), 0.37);
  EXPECT_TRUE(fixed.own_columns().empty());  // the default rule keeps the column set
}

TEST(DafTurnout, LogitTurnoutIsMeasuredAndThreadIndependentUnderEveryRule) {
  for (const std::string rule : {"token", "conviction"}) {
    const auto s = daf_scenario({"daf.rule=" + rule, "daf.turnout_rule=logit", "run.steps=12"});
    test::expect_thread_independent(s);
    const auto one = run(s, 1);
    double measured = 0;
    for (step_t t = 1; t < one.blocks.size(); ++t)
      if (!std::isnan(one.metric(t, "turnout"))) measured += 1;
    EXPECT_GT(measured, 0) << rule;
  }
}
