// Labour: PAYE payrolls as linked chains with the income tax withheld.
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

TEST(Labour, WagesAreLinkedChainsWithTheIncomeTaxWithheld) {
  const auto s = small_society(1);
  const auto r = run(s);
  const agent_id government = s.get<sim::population_params>().citizens +
                              s.get<society::organisation_params>().firms +
                              s.get<society::organisation_params>().charities;
  std::size_t payrolls = 0;
  for (const auto& b : r.blocks)
    for (std::size_t i = 0; i < b.records.size(); ++i) {
      const auto& tax = b.records[i];
      if (tax.reason != code(society::reason::income_tax)) continue;
      ++payrolls;
      // The chain: withheld tax to the government, then one net wage per worker, all linked but the last.
      EXPECT_EQ(tax.status, 0);
      EXPECT_EQ(r.accounts[tax.credit].owner, government);
      EXPECT_TRUE(tax.flags & ledger::intent_flag::linked);
      std::size_t j = i + 1;
      amount_t net = -1, workers = 0;
      for (; j < b.records.size() && b.records[j].reason == code(society::reason::wage) &&
             b.records[j].debit == tax.debit;
           ++j) {
        if (net < 0) net = b.records[j].amount;
        EXPECT_EQ(b.records[j].amount, net);  // everyone on a payroll is paid the same
        EXPECT_LT(r.accounts[b.records[j].credit].owner, s.get<sim::population_params>().citizens);
        ++workers;
        const bool last = j + 1 == b.records.size() ||
                          b.records[j + 1].reason != code(society::reason::wage) ||
                          b.records[j + 1].debit != tax.debit;
        EXPECT_EQ(static_cast<bool>(b.records[j].flags & ledger::intent_flag::linked), !last);
      }
      ASSERT_GT(workers, 0);
      // gross = net + tax per worker, with tax = floor(income_tax x gross).
      const amount_t per_worker = tax.amount / workers;
      EXPECT_EQ(per_worker * workers, tax.amount);
      EXPECT_EQ(per_worker, static_cast<amount_t>(std::floor(static_cast<double>(net + per_worker) *
                                                             s.get<society::labour_params>().income_tax)));
    }
  EXPECT_GT(payrolls, 500u);
}
