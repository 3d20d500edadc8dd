// The society's pure parts: constant-product pool clearing, tender scoring, provenance passports, and the
// value-dimension table.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "society/dimensions.hpp"
#include "society/passport.hpp"
#include "society/pool.hpp"
#include "society/tender.hpp"

using namespace civitas;
using namespace civitas::society;
using scoring::rag;

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

namespace {
// raw 0 -> manufacturer 1 -> retailer 2, plus a second raw supplier 3 of the manufacturer.
network::supply_chain small_chain() {
  network::supply_chain c;
  c.stage = {0, 1, 2, 0};
  c.offsets = {0, 0, 2, 3, 3};
  c.suppliers = {0, 3, 1};
  return c;
}
}  // namespace

TEST(Passport, SEIsTheSpendWeightedMeanAndCO2FollowsTheBillOfMaterials) {
  const auto chain = small_chain();
  const own_score own[] = {{2.0, rag::green, 1.0}, {4.0, rag::green, 0.5}, {1.0, rag::green, 0.0}, {6.0, rag::amber, 3.0}};
  // The manufacturer spent 300 with supplier 0 and 100 with supplier 3; the retailer 50 with the manufacturer.
  const double spend[] = {300, 100, 50};
  const auto p = compute_passports(chain, own, spend, 0.6);
  EXPECT_DOUBLE_EQ(p[0].se, 2.0);
  // Manufacturer: 0.4 * 4 + 0.6 * (0.75 * 2 + 0.25 * 6) = 1.6 + 1.8 = 3.4
  EXPECT_DOUBLE_EQ(p[1].se, 3.4);
  EXPECT_EQ(p[1].rag, rag::amber);  // worst link: supplier 3
  EXPECT_DOUBLE_EQ(p[1].co2_per_1000, 0.4 * 0.5 + 0.6 * (0.75 * 1.0 + 0.25 * 3.0));
  // Retailer: 0.4 * 1 + 0.6 * 3.4
  EXPECT_DOUBLE_EQ(p[2].se, 0.4 + 0.6 * 3.4);
  EXPECT_EQ(p[2].rag, rag::amber);
}

TEST(Passport, ARedSupplierMakesEveryDownstreamProductRedAndLowersItsSE) {
  const auto chain = small_chain();
  const double spend[] = {300, 100, 50};
  const own_score fair[] = {{2.0, rag::green, 0}, {4.0, rag::green, 0}, {1.0, rag::green, 0}, {6.0, rag::green, 0}};
  own_score exploit[] = {{2.0, rag::green, 0}, {4.0, rag::green, 0}, {1.0, rag::green, 0}, {0.5, rag::red, 0}};
  const auto before = compute_passports(chain, fair, spend, 0.6);
  const auto after = compute_passports(chain, exploit, spend, 0.6);
  EXPECT_EQ(before[2].rag, rag::green);
  EXPECT_EQ(after[1].rag, rag::red);
  EXPECT_EQ(after[2].rag, rag::red);
  EXPECT_LT(after[2].se, before[2].se);
  EXPECT_EQ(after[0].rag, rag::green);  // upstream of nothing red: unchanged
}

TEST(Passport, UnscoredFirmsPassTheirWeightToTheirSuppliers) {
  const auto chain = small_chain();
  const double nan = std::nan("");
  const own_score own[] = {{2.0, rag::green, 0}, {nan, std::nullopt, 0}, {nan, std::nullopt, 0}, {2.0, rag::green, 0}};
  const double none[] = {0, 0, 0};  // nothing spent yet: suppliers weigh equally
  const auto p = compute_passports(chain, own, none, 0.6);
  EXPECT_DOUBLE_EQ(p[1].se, 2.0);
  EXPECT_DOUBLE_EQ(p[2].se, 2.0);
  EXPECT_EQ(p[2].rag, rag::green);
  const own_score nothing[] = {{nan, std::nullopt, 0}, {nan, std::nullopt, 0}, {nan, std::nullopt, 0}, {nan, std::nullopt, 0}};
  const auto q = compute_passports(chain, nothing, none, 0.6);
  EXPECT_TRUE(std::isnan(q[2].se));
  EXPECT_FALSE(q[2].rag.has_value());
}

TEST(Dimensions, DefaultTableIsTheSeventeenSDGs) {
  const auto d = load_default_dimensions();
  ASSERT_EQ(d.size(), 17u);
  EXPECT_EQ(d[12].code, "SDG13");
  EXPECT_EQ(d[12].name, "Climate action");
  EXPECT_EQ(d[8].name, "Industry, innovation and infrastructure");
}

TEST(Dimensions, MalformedFileNamesTheLine) {
  const auto path = std::filesystem::temp_directory_path() / "civitas_bad_dimensions.csv";
  std::ofstream(path) << "index,code,name\n1,SDG1,No poverty\n2 broken\n";
  try {
    load_dimensions(path);
    FAIL() << "expected an input_error";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + ":3:"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}
