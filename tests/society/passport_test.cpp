// Provenance passports (society/passport.cpp).
#include "society/passport.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"

using namespace civitas;
using namespace civitas::society;
using scoring::rag;

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
  const own_score own[] = {
      {2.0, rag::green, 1.0}, {4.0, rag::green, 0.5}, {1.0, rag::green, 0.0}, {6.0, rag::amber, 3.0}};
  // The manufacturer spent 300 with supplier 0 and 100 with supplier 3; the retailer 50 with the
  // manufacturer.
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
  const own_score fair[] = {
      {2.0, rag::green, 0}, {4.0, rag::green, 0}, {1.0, rag::green, 0}, {6.0, rag::green, 0}};
  own_score exploit[] = {
      {2.0, rag::green, 0}, {4.0, rag::green, 0}, {1.0, rag::green, 0}, {0.5, rag::red, 0}};
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
  const own_score own[] = {
      {2.0, rag::green, 0}, {nan, std::nullopt, 0}, {nan, std::nullopt, 0}, {2.0, rag::green, 0}};
  const double none[] = {0, 0, 0};  // nothing spent yet: suppliers weigh equally
  const auto p = compute_passports(chain, own, none, 0.6);
  EXPECT_DOUBLE_EQ(p[1].se, 2.0);
  EXPECT_DOUBLE_EQ(p[2].se, 2.0);
  EXPECT_EQ(p[2].rag, rag::green);
  const own_score nothing[] = {
      {nan, std::nullopt, 0}, {nan, std::nullopt, 0}, {nan, std::nullopt, 0}, {nan, std::nullopt, 0}};
  const auto q = compute_passports(chain, nothing, none, 0.6);
  EXPECT_TRUE(std::isnan(q[2].se));
  EXPECT_FALSE(q[2].rag.has_value());
}
