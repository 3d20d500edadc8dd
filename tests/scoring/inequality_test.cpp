#include "scoring/inequality.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace civitas;
using namespace civitas::scoring;

TEST(Inequality, GiniOfWorkedExample) {
  const std::vector<amount_t> x = {1, 2, 3, 4};
  // sum (2i - N - 1) x_i / (N sum x) = (-3 - 2 + 3 + 12) / 40
  EXPECT_DOUBLE_EQ(gini_sorted(x), 0.25);
}

TEST(Inequality, GiniExtremes) {
  EXPECT_DOUBLE_EQ(gini_sorted(std::vector<amount_t>(100, 7)), 0.0);
  std::vector<amount_t> one_has_all(100, 0);
  one_has_all.back() = 1000;
  EXPECT_DOUBLE_EQ(gini_sorted(one_has_all), 0.99);
  EXPECT_DOUBLE_EQ(gini_sorted(std::vector<amount_t>(5, 0)), 0.0);
  EXPECT_DOUBLE_EQ(gini_sorted({}), 0.0);
}

TEST(Inequality, SharesAndVariance) {
  std::vector<amount_t> x;
  for (amount_t i = 1; i <= 10; ++i) x.push_back(i);  // total 55
  EXPECT_DOUBLE_EQ(top_share_sorted(x, 0.1), 10.0 / 55);
  EXPECT_DOUBLE_EQ(bottom_share_sorted(x, 0.5), 15.0 / 55);
  const std::vector<amount_t> y = {1, 2, 3, 4};  // mean 2.5, sum of squares 30
  EXPECT_DOUBLE_EQ(normalised_variance(y), 4.0 * 30 / 100 - 1);
}

TEST(Inequality, LorenzRunsFromOriginToOne) {
  const std::vector<amount_t> x = {0, 0, 5, 5};
  const auto l = lorenz_sorted(x, 4);
  ASSERT_EQ(l.size(), 5u);
  EXPECT_DOUBLE_EQ(l.front().second, 0.0);
  EXPECT_DOUBLE_EQ(l[2].second, 0.0);
  EXPECT_DOUBLE_EQ(l[3].second, 0.5);
  EXPECT_DOUBLE_EQ(l.back().second, 1.0);
}

TEST(Inequality, SummarizeSortsAndCountsZeros) {
  const distribution_summary s = summarize({4, 0, 2, 0});
  EXPECT_DOUBLE_EQ(s.zero_share, 0.5);
  EXPECT_DOUBLE_EQ(s.max, 4);
  EXPECT_DOUBLE_EQ(s.mean, 1.5);
  EXPECT_DOUBLE_EQ(s.gini, gini_sorted(std::vector<amount_t>{0, 0, 2, 4}));
}

// summarize() radix-sorts large non-negative inputs; it must agree exactly with a comparison sort,
// whatever the magnitudes (one, two or three 16-bit digits) and with negatives present (the fallback).
TEST(Summarize, LargeInputsAgreeWithAComparisonSort) {
  std::mt19937_64 gen(42);
  for (const amount_t top : {amount_t{1000}, amount_t{1} << 31, amount_t{1} << 40}) {
    for (const bool negatives : {false, true}) {
      std::vector<amount_t> v(20'000);
      for (auto& x : v)
        x = static_cast<amount_t>(gen() % static_cast<std::uint64_t>(top)) - (negatives ? top / 2 : 0);
      std::vector<amount_t> sorted = v;
      std::sort(sorted.begin(), sorted.end());
      const auto s = civitas::scoring::summarize(v);
      EXPECT_EQ(s.gini, civitas::scoring::gini_sorted(sorted)) << top << " " << negatives;
      EXPECT_EQ(s.top10_share, civitas::scoring::top_share_sorted(sorted, 0.1));
      EXPECT_EQ(s.max, static_cast<double>(sorted.back()));
    }
  }
}

// Linear interpolation between order statistics, as NumPy's default: np.quantile([1, 2, 3, 4, 10], 0.9)
// is 7.6 and the median 3; non-finite values are left out.
TEST(Quantile, InterpolatesBetweenOrderStatisticsAsNumPy) {
  using civitas::scoring::quantile;
  EXPECT_DOUBLE_EQ(quantile({10, 1, 4, 3, 2}, 0.9), 7.6);
  EXPECT_DOUBLE_EQ(quantile({10, 1, 4, 3, 2}, 0.5), 3);
  EXPECT_DOUBLE_EQ(quantile({1, 2, 3, 4}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile({1, std::nan(""), 3}, 0.5), 2);
  EXPECT_DOUBLE_EQ(quantile({5}, 0.9), 5);
  EXPECT_DOUBLE_EQ(quantile({1, 2}, 0), 1);
  EXPECT_DOUBLE_EQ(quantile({1, 2}, 1), 2);
  EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
}
