// Data: the social tax on the value consenting customers' data creates.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

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
