// Tenders: one award per period, pledges tracked against delivery.
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

TEST(Tenders, TendersAwardOneFirmEveryPeriodAndPledgesAreTracked) {
  const auto s = small_society(10, {"society.procurement_every=5"});
  const auto r = run(s);
  for (std::size_t step = 1; step < r.blocks.size(); ++step) {
    std::size_t awards = 0;
    for (const auto& rec : r.blocks[step].records) awards += rec.reason == code(society::reason::procurement);
    EXPECT_EQ(awards, step % 5 == 0 ? 1u : 0u) << "step " << step;
  }
  EXPECT_GT(r.metric(20, "social_value_pledged"), 0);
  EXPECT_LE(r.metric(20, "social_value_delivered"), r.metric(20, "social_value_pledged"));
}
