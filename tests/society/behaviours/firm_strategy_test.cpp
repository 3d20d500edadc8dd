// Firms' strategies: under `fixed` a firm keeps the traits it drew; under `reinforcement` and `imitation`
// it revises its six levers only at its reviews, learns away what costs it profit and earns it nothing
// (wages above what it needs to pay, a price above what shoppers will bear), and every learning run is
// independent of the thread count. Published labels move shoppers away from Red retailers.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/society_run.hpp"

using namespace civitas;
using test::run;
using test::small_society;

namespace {

const std::vector<std::string> lever_columns = {"firm_wage",     "firm_csr_share", "firm_offer_share",
                                                "firm_delivery", "firm_conduct",   "retail_price"};

}  // namespace

TEST(FirmStrategy, UnderTheFixedRuleFirmsKeepTheTraitsTheyDrew) {
  const auto r = run(small_society(3));
  for (const auto& c : lever_columns)
    for (step_t s = 1; s < r.blocks.size(); ++s)
      EXPECT_EQ(r.metric(s, c), r.metric(1, c)) << c << " step " << s;
  EXPECT_DOUBLE_EQ(r.final("firm_csr_share"), 0.02);  // society.csr_share, the same for every firm
  EXPECT_TRUE(std::isnan(r.final("firm_profit_rate")));
}

TEST(FirmStrategy, LeversMoveOnlyAtAReview) {
  for (const std::string rule : {"reinforcement", "imitation"}) {
    const auto r = run(small_society(4, {"society.firm_rule=" + rule, "society.firm_review=5"}));
    bool moved = false;
    for (step_t s = 2; s < r.blocks.size(); ++s)
      for (const auto& c : lever_columns) {
        const bool changed = r.metric(s, c) != r.metric(s - 1, c);
        if (s % 5 != 0) {
          EXPECT_FALSE(changed) << rule << " " << c << " moved between reviews, step " << s;
        }
        moved = moved || changed;
      }
    EXPECT_TRUE(moved) << rule << ": no lever moved at any review";
    for (step_t s = 5; s < r.blocks.size(); s += 5)
      EXPECT_TRUE(std::isfinite(r.metric(s, "firm_profit_rate")));
  }
}

TEST(FirmStrategy, EveryLearningRuleIsThreadIndependent) {
  for (const std::string rule : {"reinforcement", "imitation"})
    test::expect_thread_independent(small_society(
        6, {"society.firm_rule=" + rule, "society.firm_review=2", "society.label_weight=2",
            "society.passport_labels=true", "society.conduct_cost=0.5", "governance.regime=social_credit"}));
}

// A column at step 1 and its mean over the last quarter of the run, each averaged over seeds 1..3.
struct drift {
  double start = 0, late = 0;
};
drift drift_of(const std::string& column, const std::vector<std::string>& extra) {
  drift d;
  for (const std::uint64_t seed : {1, 2, 3}) {
    const auto r = run(small_society(seed, extra));
    const auto steps = static_cast<step_t>(r.blocks.size() - 1);
    double part = 0;
    for (step_t s = steps - steps / 4 + 1; s <= steps; ++s) part += r.metric(s, column);
    d.start += r.metric(1, column) / 3;
    d.late += part / static_cast<double>(steps / 4) / 3;
  }
  return d;
}

TEST(FirmStrategy, FirmsLearnToCutWagesWhereNothingStopsThem) {
  // The race to the bottom against the Modern Slavery line: under the market a lower wage is more profit,
  // and both rules find it (reinforcement from the firm's own profits, imitation from its peers').
  for (const std::string rule : {"reinforcement", "imitation"}) {
    const drift d =
        drift_of("firm_wage", {"run.steps=60", "society.firm_rule=" + rule, "society.firm_review=2"});
    std::printf("%s: mean wage %.1f at the start, %.1f late in the run\n", rule.c_str(), d.start, d.late);
    EXPECT_LT(d.late, 0.9 * d.start) << rule;
  }
}

TEST(FirmStrategy, RetailersLearnToUndercutWhenShoppersWeighPrice) {
  // Shoppers pick among sampled retailers on price (society.price_sensitivity): a cheaper retailer sells
  // more, and imitation spreads the cheaper price levels among retailers.
  const drift d =
      drift_of("retail_price", {"run.steps=60", "society.firm_rule=imitation", "society.firm_review=2"});
  std::printf("imitation: mean retail price %.4f at the start, %.4f late in the run\n", d.start, d.late);
  EXPECT_LT(d.late, d.start - 0.03);
}

// The share of purchase spending that went to retailers whose passport ended the run Red.
double red_purchase_share(const test::observed_run& r) {
  double to_red = 0, total = 0;
  for (const auto& b : r.blocks)
    for (const auto& rec : b.records) {
      if (rec.reason != code(society::reason::purchase) || rec.status != 0) continue;
      const agent_id owner = r.accounts[rec.credit].owner;
      const auto& p = r.passports;
      const std::size_t firm = owner - 2000;  // citizens come first: firm f is agent 2000 + f
      const bool is_red = firm < p.size() && p[firm].rag && *p[firm].rag == scoring::rag::red;
      to_red += is_red ? static_cast<double>(rec.amount) : 0.0;
      total += static_cast<double>(rec.amount);
    }
  return to_red / total;
}

TEST(Consumption, PublishedPassportLabelsMoveShoppersAwayFromRedRetailers) {
  const auto unlabelled = run(small_society(2, {"run.steps=30"}));
  const auto labelled =
      run(small_society(2, {"run.steps=30", "society.label_weight=3", "society.passport_labels=true"}));
  const double before = red_purchase_share(unlabelled), after = red_purchase_share(labelled);
  std::printf("share of spending at Red retailers: %.4f unlabelled, %.4f labelled\n", before, after);
  EXPECT_GT(before, 0.01) << "the test needs some Red retailers";
  EXPECT_LT(after, 0.7 * before);
}
