#include "core/rng.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "core/permutation.hpp"

using namespace civitas;

TEST(RngStream, IsAPureFunctionOfItsCounter) {
  rng_stream a(42, 7, 3, rng_purpose::model), b(42, 7, 3, rng_purpose::model);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next_u32(), b.next_u32());
  rng_stream other_agent(42, 8, 3, rng_purpose::model), other_purpose(42, 7, 3, rng_purpose::initial_state),
      other_seed(43, 7, 3, rng_purpose::model), other_step(42, 7, 4, rng_purpose::model);
  const std::uint32_t first = rng_stream(42, 7, 3, rng_purpose::model).next_u32();
  EXPECT_NE(other_agent.next_u32(), first);
  EXPECT_NE(other_purpose.next_u32(), first);
  EXPECT_NE(other_seed.next_u32(), first);
  EXPECT_NE(other_step.next_u32(), first);
}

TEST(RngStream, BelowIsInRangeAndRoughlyUniform) {
  std::vector<int> counts(10, 0);
  for (std::uint32_t agent = 0; agent < 20000; ++agent) {
    rng_stream r(1, agent, 0, rng_purpose::model);
    const auto v = r.below(10);
    ASSERT_LT(v, 10u);
    ++counts[v];
  }
  for (const int c : counts) EXPECT_NEAR(c, 2000, 200);  // > 4 sigma away fails
}

TEST(RngStream, Uniform01InUnitInterval) {
  rng_stream r(5, 0, 0, rng_purpose::model);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = r.uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.005);
}

TEST(FeistelPermutation, IsABijectionWithInverseForManySizes) {
  for (const std::uint32_t n : {1u, 2u, 3u, 4u, 5u, 17u, 1000u, 4097u, 65536u, 100001u}) {
    const feistel_permutation p(9, 2, rng_purpose::activation_order, n);
    std::vector<bool> seen(n, false);
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint32_t x = p(i);
      ASSERT_LT(x, n);
      ASSERT_FALSE(seen[x]) << "n " << n;
      seen[x] = true;
      ASSERT_EQ(p.inverse(x), i);
    }
  }
}

TEST(FeistelPermutation, DependsOnSeedAndStep) {
  const std::uint32_t n = 1000;
  const feistel_permutation a(1, 1, rng_purpose::activation_order, n),
      b(1, 2, rng_purpose::activation_order, n), c(2, 1, rng_purpose::activation_order, n);
  int same_ab = 0, same_ac = 0, fixed = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    same_ab += a(i) == b(i);
    same_ac += a(i) == c(i);
    fixed += a(i) == i;
  }
  // A random permutation agrees with another in about one place; allow generous slack.
  EXPECT_LT(same_ab, 10);
  EXPECT_LT(same_ac, 10);
  EXPECT_LT(fixed, 10);
}

TEST(FeistelPermutation, PositionsAreUniformOverManySteps) {
  // Where element 0 lands, over many steps, should be uniform across 8 buckets of positions.
  const std::uint32_t n = 800;
  std::vector<int> buckets(8, 0);
  for (step_t s = 0; s < 8000; ++s)
    ++buckets[feistel_permutation(3, s, rng_purpose::model, n).inverse(0) / 100];
  for (const int b : buckets) EXPECT_NEAR(b, 1000, 150);
}
