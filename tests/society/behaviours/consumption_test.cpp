// Consumption: the purchase logit follows value alignment as alpha rises.
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

TEST(Consumption, RaisingAlphaMovesPurchasesTowardAlignedFirms) {
  const double indifferent = run(small_society(5, {"society.alpha=0"})).mean_metric("purchase_alignment");
  const double guided = run(small_society(5, {"society.alpha=10"})).mean_metric("purchase_alignment");
  // With 5 sampled offers, following values strongly picks the best-aligned of five every time.
  EXPECT_GT(guided, indifferent + 0.05) << indifferent << " -> " << guided;
}
