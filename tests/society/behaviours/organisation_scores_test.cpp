// Organisation scores: products' passports in a run follow the worst link.
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

TEST(OrganisationScores, PassportsInTheRunFollowTheWorstLinkOfTheirSuppliers) {
  const auto r = run(small_society(6));
  std::size_t red_products = 0;
  for (std::uint32_t f = 0; f < r.chain.firms(); ++f) {
    const auto& p = r.passports[f];
    if (r.firm_scores[f].rag && p.rag) {
      EXPECT_LE(*p.rag, *r.firm_scores[f].rag);
    }
    for (const std::uint32_t s : r.chain.suppliers_of(f))
      if (r.passports[s].rag && *r.passports[s].rag == scoring::rag::red) {
        EXPECT_EQ(p.rag, scoring::rag::red) << "firm " << f << " buys from red supplier " << s;
        ++red_products;
      }
  }
  // A low-wage world has red suppliers, so the property above is exercised, not vacuous.
  const auto poor = run(small_society(6, {"society.wage_mean=60"}));
  std::size_t red = 0;
  for (const auto& p : poor.passports) red += p.rag && *p.rag == scoring::rag::red;
  EXPECT_GT(red, 0u);
  EXPECT_GT(poor.metric(20, "share_red"), r.metric(20, "share_red"));
  (void)red_products;
}
