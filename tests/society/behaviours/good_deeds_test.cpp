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
    for (const auto& rec : b.records) by_id[rec.id] = &rec;
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
      EXPECT_EQ(backing->id + 1, mint->id);  // one linked chain: backing, then mint
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
