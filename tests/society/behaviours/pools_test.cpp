// Pools: value tokens sell only where tradable, and selling lowers the pool price.
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

TEST(Pools, ValueTokensOnlySellWhenTradableAndThePoolPriceFalls) {
  const auto traded = run(small_society(11, {"society.sell_probability=0.5"}));
  EXPECT_GT(traded.mean_metric("value_sold"), 0);
  EXPECT_LT(traded.metric(20, "pool_price_green"), 1.0);
  const auto closed =
      run(small_society(11, {"society.sell_probability=0.5", "society.value_tradable=false"}));
  EXPECT_EQ(closed.mean_metric("value_sold"), 0);
  EXPECT_EQ(closed.metric(20, "pool_price_green"), 1.0);
}
