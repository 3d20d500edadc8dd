// Tender scoring (society/tender.cpp).
#include "society/tender.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"

using namespace civitas;
using namespace civitas::society;

TEST(Tender, PriceOnlyPicksTheCheapestAndValueOnlyTheMostGenerous) {
  const bid bids[] = {{1, 100, 0}, {2, 80, 5}, {3, 120, 30}};
  EXPECT_EQ(winning_bid(bids, 0.0), 1u);
  EXPECT_EQ(winning_bid(bids, 1.0), 2u);
  // Weight 0.5: 0.5 * 80/120 + 0.5 * 30/30 = 0.833 beats 0.5 * 1 + 0.5 * 5/30 = 0.583.
  EXPECT_NEAR(bid_score(bids[2], 80, 30, 0.5), 0.8333333, 1e-6);
  EXPECT_EQ(winning_bid(bids, 0.5), 2u);
}

TEST(Tender, AnIneligibleFirmNeverWinsAndNoEligibleBidMeansNoAward) {
  bid bids[] = {{1, 10, 100, false}, {2, 1000, 0, true}};
  EXPECT_EQ(winning_bid(bids, 0.0), 1u);
  EXPECT_EQ(winning_bid(bids, 1.0), 1u);
  bids[1].eligible = false;
  EXPECT_FALSE(winning_bid(bids, 0.5).has_value());
}

TEST(Tender, TiesGoToTheLowerPriceThenTheLowerFirm) {
  const bid bids[] = {{7, 100, 0}, {3, 100, 0}};
  EXPECT_EQ(winning_bid(bids, 0.0), 1u);
}
