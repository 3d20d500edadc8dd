// Giving: the fixed rule's donations, and under the logit rule a gift as a choice on the warm glow, the
// regime's rebate (paid through the ledger), its cost and neighbours' gifts. The rate's closed form is
// checked in tests/sim/validation_test.cpp (scenarios/validation/giving.toml).
#include "society/behaviours/giving.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "governance/social_credit.hpp"
#include "support/society_run.hpp"

using namespace civitas;
using test::run;
using test::small_society;

TEST(Giving, TheLogitUtilityHasTheWarmGlowTheRewardTheCostAndThePeers) {
  society::giving_params p;
  p.donation_motive = 40;
  p.donation_social = 12;
  const behaviour::utility u = society::giving::utility(p, 100, 0.5, 30, 0.25);
  EXPECT_DOUBLE_EQ(u.intrinsic, 20);
  EXPECT_DOUBLE_EQ(u.extrinsic, 30);
  EXPECT_DOUBLE_EQ(u.cost, 100);
  EXPECT_DOUBLE_EQ(u.social, 3);
  EXPECT_DOUBLE_EQ(u.total(), 20 + 30 - 100 + 3);
}

TEST(Giving, TheDefaultRuleKeepsTheColumnSetAndTheLogitRuleAddsTheRate) {
  const auto fixed = run(small_society(1, {"run.steps=3"}));
  EXPECT_EQ(std::count(fixed.columns.begin(), fixed.columns.end(), "donation_rate"), 0);
  const auto logit = run(small_society(1, {"run.steps=3", "society.donation_rule=logit"}));
  EXPECT_GT(logit.mean_metric("donation_rate"), 0.0);
  EXPECT_GT(logit.total("donations"), 0);
}

TEST(Giving, SocialCreditPaysTheGiftRebateThroughTheLedger) {
  const auto r = run(small_society(2, {"run.steps=4", "governance.regime=social_credit",
                                       "society.donation_rule=logit", "social_credit.gift_rebate=0.5"}));
  const auto rebate = code(governance::social_credit_reason::gift_rebate);
  std::size_t rebates = 0;
  for (std::size_t step = 1; step < r.blocks.size(); ++step) {
    std::map<agent_id, amount_t> gifts;
    for (const auto& rec : r.blocks[step].records)
      if (rec.reason == code(society::reason::donation) && rec.status == 0)
        gifts[r.accounts[rec.debit].owner] += rec.amount;
    for (const auto& rec : r.blocks[step].records) {
      if (rec.reason != rebate || rec.status != 0) continue;
      ++rebates;
      const agent_id giver = r.accounts[rec.credit].owner;
      ASSERT_TRUE(gifts.count(giver)) << "a rebate only for a gift made this step";
      EXPECT_EQ(rec.amount, static_cast<amount_t>(std::floor(0.5 * static_cast<double>(gifts[giver]))));
    }
  }
  EXPECT_GT(rebates, 0u);
  // Without a rebate nothing of the kind is paid.
  const auto none = run(
      small_society(2, {"run.steps=4", "governance.regime=social_credit", "society.donation_rule=logit"}));
  for (const auto& b : none.blocks)
    for (const auto& rec : b.records) EXPECT_NE(rec.reason, rebate);
}

TEST(Giving, NeighboursGiftsRaiseGiving) {
  const std::vector<std::string> base = {"run.steps=10", "society.donation_rule=logit",
                                         "society.donation_motive=0", "society.donation_lambda=0.02"};
  auto with = base, without = base;
  with.push_back("society.donation_social=200");
  without.push_back("society.donation_social=0");
  EXPECT_GT(run(small_society(3, with)).mean_metric("donation_rate"),
            run(small_society(3, without)).mean_metric("donation_rate") + 0.05);
}

TEST(Giving, LogitGivingIsThreadIndependent) {
  test::expect_thread_independent(
      small_society(4, {"run.steps=8", "governance.regime=social_credit", "society.donation_rule=logit",
                        "social_credit.gift_rebate=0.3"}));
}
