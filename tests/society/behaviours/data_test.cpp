// Data: the social tax on the value consenting customers' data creates.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "driver/registry.hpp"
#include "ledger/hash.hpp"
#include "sim/world.hpp"
#include "society/society_model.hpp"
#include "support/society_run.hpp"

using namespace civitas;
using test::run;
using test::small_society;

TEST(Data, DataTaxIsPaidToCharitiesInProportionToConsentingCustomers) {
  const auto s = small_society(2);
  const auto r = run(s);
  std::size_t taxed = 0;
  for (std::size_t step = 2; step < r.blocks.size(); ++step) {
    // A retailer's data tax is floor(0.19 x 10 x its consenting customers of the step before).
    std::map<account_id, amount_t> consenting;
    for (const auto& rec : r.blocks[step - 1].records)
      if (rec.reason == code(society::reason::purchase) && rec.status == 0 &&
          r.consent[r.accounts[rec.debit].owner])
        ++consenting[rec.credit];
    for (const auto& rec : r.blocks[step].records)
      if (rec.reason == code(society::reason::data_tax) && rec.status == 0) {
        ++taxed;
        const agent_id to = r.accounts[rec.credit].owner;
        EXPECT_GE(to, s.get<sim::population_params>().citizens + s.get<society::organisation_params>().firms);
        EXPECT_LT(to, s.get<sim::population_params>().citizens + s.get<society::organisation_params>().firms +
                          s.get<society::organisation_params>().charities);
        const amount_t customers = consenting[rec.debit];
        EXPECT_EQ(
            rec.amount,
            static_cast<amount_t>(std::floor(
                s.get<society::data_params>().data_tax *
                static_cast<double>(customers * s.get<society::data_params>().data_value_per_customer))))
            << "step " << step;
      }
  }
  EXPECT_GT(taxed, 0u);
  const auto untaxed = run(small_society(2, {"society.data_tax=0"}));
  for (const auto& b : untaxed.blocks)
    for (const auto& rec : b.records) EXPECT_NE(rec.reason, code(society::reason::data_tax));
}

// ---- consent as a choice: the privacy calculus (Acquisti et al. 2015) ----

TEST(Data, TheLogitConsentUtilityIsBenefitAndRewardAgainstPrivacyCost) {
  society::data_params p;
  p.consent_benefit = 12;
  p.privacy_cost = 7;
  const behaviour::utility u = society::data::consent_utility(p, 1.5, 4);
  EXPECT_DOUBLE_EQ(u.total(), 12 + 1.5 - 7 - 4);
}

TEST(Data, LogitConsentIsDecidedEveryStepAndDrivesTheDataTax) {
  const auto fixed = run(small_society(5, {"run.steps=6"}));
  EXPECT_EQ(std::count(fixed.columns.begin(), fixed.columns.end(), "consent_rate"), 0);
  // Consenting is worth it, then not: the consent rate and the data tax follow.
  const auto keen = run(small_society(5, {"run.steps=6", "society.consent_rule=logit",
                                          "society.consent_benefit=40", "society.privacy_cost=0"}));
  const auto wary = run(small_society(5, {"run.steps=6", "society.consent_rule=logit",
                                          "society.consent_benefit=0", "society.privacy_cost=40"}));
  EXPECT_GT(keen.mean_metric("consent_rate"), 0.95);
  EXPECT_LT(wary.mean_metric("consent_rate"), 0.05);
  EXPECT_GT(keen.total("data_tax"), 10 * wary.total("data_tax"));
  // Social credit's privacy penalty adds to the privacy cost.
  const auto watched =
      run(small_society(5, {"run.steps=6", "society.consent_rule=logit", "governance.regime=social_credit",
                            "social_credit.privacy_penalty=20"}));
  const auto unwatched =
      run(small_society(5, {"run.steps=6", "society.consent_rule=logit", "governance.regime=social_credit"}));
  EXPECT_LT(watched.mean_metric("consent_rate"), unwatched.mean_metric("consent_rate") - 0.2);
}

TEST(Data, LogitConsentIsThreadIndependent) {
  test::expect_thread_independent(small_society(6, {"run.steps=8", "society.consent_rule=logit"}));
}
