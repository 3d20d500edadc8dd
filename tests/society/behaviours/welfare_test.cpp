// Welfare: paid only to citizens below the threshold.
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

TEST(Welfare, WelfareReachesOnlyCitizensBelowTheThreshold) {
  const auto s = small_society(9, {"society.welfare_threshold=1000"});
  const auto r = run(s);
  std::size_t paid = 0;
  for (std::size_t step = 1; step < r.blocks.size(); ++step)
    for (const auto& rec : r.blocks[step].records)
      if (rec.reason == code(society::reason::welfare)) {
        ++paid;
        EXPECT_EQ(rec.amount, s.get<society::welfare_params>().welfare_amount);
        EXPECT_LT(r.accounts[rec.credit].owner, s.get<sim::population_params>().citizens);
      }
  EXPECT_GT(paid, 0u);
  const auto none = run(small_society(9, {"society.welfare_amount=0"}));
  EXPECT_EQ(none.mean_metric("welfare"), 0.0);
}
