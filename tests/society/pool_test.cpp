// Constant-product pool clearing (society/pool.cpp).
#include "society/pool.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"

using namespace civitas;
using namespace civitas::society;

TEST(Pool, OneSellerGetsTheConstantProductAmountRoundedDown) {
  const amount_t sells[] = {100};
  // 1000 * 100 / (1000 + 100) = 90.9...
  EXPECT_EQ(clear_sells(1000, 1000, sells), std::vector<amount_t>{90});
}

TEST(Pool, ABatchIsSharedProRataAndNeverLowersTheInvariant) {
  const amount_t sells[] = {30, 70, 1};
  const amount_t x = 5000, y = 2000;
  const auto paid = clear_sells(x, y, sells);
  // The batch of 101 gets floor(2000 * 101 / 5101) = 39; shares floor(39 * s / 101).
  EXPECT_EQ(paid, (std::vector<amount_t>{11, 27, 0}));
  amount_t total = 0;
  for (const amount_t p : paid) total += p;
  EXPECT_GE((x + 101) * (y - total), x * y);
}

TEST(Pool, SellingInOnePieceOrManyPaysTheSameTotalBeforeRounding) {
  // Batch clearing: the order and split of sellers does not change the batch price.
  const amount_t one[] = {400};
  const amount_t four[] = {100, 100, 100, 100};
  const auto a = clear_sells(10'000, 10'000, one);
  const auto b = clear_sells(10'000, 10'000, four);
  EXPECT_EQ(a[0], 384);  // floor(10000 * 400 / 10400)
  EXPECT_EQ(b, (std::vector<amount_t>{96, 96, 96, 96}));
  EXPECT_DOUBLE_EQ(pool_price(10'000, 5'000), 0.5);
}
