// Good deeds: sponsor-backed mints whose lineage names the backing transfer; peer influence.
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

TEST(GoodDeeds, EveryMintedLotNamesTheSponsorTransferThatBackedIt) {
  const auto s = small_society(3);
  const auto r = run(s);
  std::size_t lots = 0;
  for (const auto& b : r.blocks) {
    std::map<std::uint64_t, const ledger::transfer_record*> by_id;
    for (std::uint32_t i = 0; i < b.records.size(); ++i)  // a record's id is (step, position)
      by_id[ledger::make_transfer_id(b.header.step, i)] = &b.records[i];
    for (const auto& lot : b.lineage) {
      if (lot.step == 0) continue;  // the pools' opening reserves, minted at genesis with no backing
      ++lots;
      const auto* mint = by_id.at(lot.lot);
      EXPECT_EQ(mint->reason, code(society::reason::good_deed));
      EXPECT_EQ(mint->amount, s.get<society::deed_params>().deed_tokens);
      ASSERT_TRUE(by_id.count(lot.backing)) << "lot " << lot.lot << " names a transfer outside its block";
      const auto* backing = by_id.at(lot.backing);
      EXPECT_EQ(backing->reason, code(society::reason::deed_backing));
      EXPECT_EQ(backing->status, 0);
      EXPECT_EQ(backing->amount, s.get<society::deed_params>().deed_backing);
      EXPECT_EQ(backing + 1, mint);  // one linked chain: backing, then mint
      EXPECT_TRUE(backing->flags & ledger::intent_flag::linked);
      EXPECT_LT(r.accounts[lot.holder].owner,
                s.get<sim::population_params>().citizens);  // a citizen holds the new lot
    }
  }
  EXPECT_GT(lots, 100u);
}

TEST(GoodDeeds, PeerInfluenceRaisesGoodDeeds) {
  const double alone = run(small_society(8, {"society.peer_influence=0"})).mean_metric("deeds_verified");
  const double together = run(small_society(8, {"society.peer_influence=5"})).mean_metric("deeds_verified");
  EXPECT_GT(together, alone * 1.1) << alone << " -> " << together;
}

namespace {
// Deeds done per citizen-step under the logit rule, with no reward (tokens cannot be sold), a small one
// (1 token) or a large one (100 tokens), with or without motivation crowding.
double deed_rate(const std::string& reward, double crowding) {
  std::vector<std::string> o = {
      "society.deed_rule=logit", "society.deed_motive=20",
      "society.deed_cost=5",     "society.deed_social=0",
      "society.deed_lambda=0.2", "society.deed_crowding=" + std::to_string(crowding)};
  if (reward == "none") o.push_back("society.value_tradable=false");
  if (reward == "small") o.push_back("society.deed_tokens=1");
  if (reward == "large") o.push_back("society.deed_tokens=100");
  const auto r = run(small_society(11, o));
  return r.total("deeds_done") / (2000.0 * 20.0);
}
}  // namespace

// "Pay enough or don't pay at all" (Gneezy & Rustichini 2000): with crowding, a small reward gives fewer
// deeds than none and a large one more; without it, deeds rise with the reward.
TEST(GoodDeeds, CrowdingMakesASmallRewardBackfireAndALargeOneWork) {
  const double none = deed_rate("none", 0.6), small = deed_rate("small", 0.6),
               large = deed_rate("large", 0.6);
  EXPECT_LT(small, none - 0.03) << "small " << small << " none " << none;
  EXPECT_GT(large, none + 0.2) << "large " << large << " none " << none;
  const double none0 = deed_rate("none", 0), small0 = deed_rate("small", 0), large0 = deed_rate("large", 0);
  EXPECT_EQ(none0, none);  // crowding changes nothing where nothing is paid
  EXPECT_GT(small0, none0 + 0.01) << "small " << small0 << " none " << none0;
  EXPECT_GT(large0, small0 + 0.2);
}

TEST(GoodDeeds, UnderTheLogitRuleADeedCostsTheDoerAndHelpsAnother) {
  const auto r = run(small_society(12, {"society.deed_rule=logit", "society.deed_cost=7"}));
  std::size_t helps = 0;
  for (const auto& b : r.blocks)
    for (const auto& rec : b.records)
      if (rec.reason == code(society::reason::deed_help) && rec.status == 0) {
        ++helps;
        EXPECT_EQ(rec.amount, 7);
        EXPECT_NE(r.accounts[rec.debit].owner, r.accounts[rec.credit].owner);
      }
  EXPECT_GT(helps, 100u);
  EXPECT_EQ(static_cast<double>(helps) * 7, r.total("deed_help"));
  EXPECT_LE(r.total("deeds_verified"), r.total("deeds_done"));
}
