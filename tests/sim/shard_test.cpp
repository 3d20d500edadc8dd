// Sharded single runs (docs/distributed.md, "Sharded single runs"): the same head hash at any number of
// ranks (here: in-process ranks, each on its own thread) and threads; the same transfers, record for
// record, as the unsharded run of the same scenario; verify passes on a sharded file; bad input refused.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cstring>
#include <filesystem>
#include <thread>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "driver/run.hpp"
#include "driver/verify.hpp"
#include "ledger/hash.hpp"
#include "sim/transport.hpp"
#include "sim/world.hpp"

using namespace civitas;

namespace {

params::scenario boltzmann(std::uint32_t shards, std::uint32_t citizens = 9001, step_t steps = 15) {
  return driver::parse_scenario(
      "", "test",
      {"exchange.rule=boltzmann", "run.activation=simultaneous",
       "population.citizens=" + std::to_string(citizens), "run.steps=" + std::to_string(steps),
       "exchange.initial_cash=2", "run.shards=" + std::to_string(shards), "output.snapshot_every=5"});
}

// What a run hands its writer, block by block.
struct run_output {
  std::string head;
  std::vector<io::step_packet> blocks;
};

// One rank's run; `keep` collects the packets (rank 0 only has a sink).
std::string run_rank(const params::scenario& s, sim::transport* peers, std::vector<io::step_packet>* keep) {
  const auto w = driver::make_world(s, {}, peers);
  w->genesis(keep ? sim::block_sink([keep](io::step_packet&& p) { keep->push_back(std::move(p)); })
                  : sim::block_sink{});
  for (step_t i = 0; i < w->run().steps; ++i) w->step();
  return ledger::to_hex(w->ledger().head().hash);
}

// The run on `ranks` in-process ranks, each on its own thread, with `threads` TBB threads between them.
run_output run_ranks(const params::scenario& s, int ranks, int threads) {
  auto peers = sim::local_transports(ranks);
  run_output out;
  std::vector<std::string> heads(static_cast<std::size_t>(ranks));
  std::vector<std::thread> workers;
  for (int r = 0; r < ranks; ++r)
    workers.emplace_back([&, r] {
      // An arena per rank: ranks sharing one arena of fewer slots would wait for each other's slot
      // while the rank inside waits for them at a collective.
      tbb::task_arena arena(threads);
      arena.execute([&] { heads[r] = run_rank(s, peers[r].get(), r == 0 ? &out.blocks : nullptr); });
    });
  for (auto& t : workers) t.join();
  for (const auto& h : heads) EXPECT_EQ(h, heads[0]) << "ranks disagree on the head";
  out.head = heads[0];
  return out;
}

run_output run_alone(const params::scenario& s) {
  run_output out;
  out.head = run_rank(s, nullptr, &out.blocks);
  return out;
}

bool same_records(const std::vector<ledger::transfer_record>& a,
                  const std::vector<ledger::transfer_record>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(ledger::transfer_record)) == 0);
}

}  // namespace

TEST(Shards, HeadHashIndependentOfRanksAndThreads) {
  for (const std::uint32_t shards : {4u, 7u}) {
    const params::scenario s = boltzmann(shards);
    const run_output alone = run_alone(s);
    for (int ranks = 1; ranks <= 4; ++ranks)
      for (const int threads : {1, 3}) {
        const run_output ranked = run_ranks(s, ranks, threads);
        EXPECT_EQ(ranked.head, alone.head)
            << shards << " shards, " << ranks << " ranks, " << threads << " threads";
        // What rank 0 writes is the same too: headers, records, metrics, snapshots.
        ASSERT_EQ(ranked.blocks.size(), alone.blocks.size());
        for (std::size_t b = 0; b < alone.blocks.size(); ++b) {
          EXPECT_EQ(ranked.blocks[b].header.hash, alone.blocks[b].header.hash) << "block " << b;
          EXPECT_TRUE(same_records(ranked.blocks[b].records, alone.blocks[b].records)) << "block " << b;
          EXPECT_EQ(std::memcmp(ranked.blocks[b].metrics.data(), alone.blocks[b].metrics.data(),
                                alone.blocks[b].metrics.size() * sizeof(double)),
                    0)
              << "block " << b;
          ASSERT_EQ(ranked.blocks[b].snapshot.has_value(), alone.blocks[b].snapshot.has_value());
          if (alone.blocks[b].snapshot) {
            EXPECT_EQ(ranked.blocks[b].snapshot->balances, alone.blocks[b].snapshot->balances)
                << "block " << b;
          }
        }
      }
  }
}

// Sharding changes how the block's roots are shaped, not what happens: every transfer (ids, statuses,
// amounts), every metric and every balance is the unsharded run's.
TEST(Shards, SameTransfersAsTheUnshardedRun) {
  const run_output unsharded = run_alone(boltzmann(1));
  const run_output sharded = run_ranks(boltzmann(5), 3, 2);
  ASSERT_EQ(sharded.blocks.size(), unsharded.blocks.size());
  for (std::size_t b = 0; b < unsharded.blocks.size(); ++b) {
    EXPECT_TRUE(same_records(sharded.blocks[b].records, unsharded.blocks[b].records)) << "block " << b;
    EXPECT_EQ(sharded.blocks[b].header.transfer_count, unsharded.blocks[b].header.transfer_count);
    EXPECT_EQ(sharded.blocks[b].header.supplies, unsharded.blocks[b].header.supplies);
    EXPECT_EQ(std::memcmp(sharded.blocks[b].metrics.data(), unsharded.blocks[b].metrics.data(),
                          unsharded.blocks[b].metrics.size() * sizeof(double)),
              0)
        << "block " << b;
    ASSERT_EQ(sharded.blocks[b].snapshot.has_value(), unsharded.blocks[b].snapshot.has_value());
    if (unsharded.blocks[b].snapshot) {
      EXPECT_EQ(sharded.blocks[b].snapshot->balances, unsharded.blocks[b].snapshot->balances)
          << "block " << b;
    }
  }
  EXPECT_GT(unsharded.blocks.back().header.transfer_count, 0u);
  // The head differs: the run's identity names its shards, and its roots are the combined ones.
  EXPECT_NE(sharded.head, unsharded.head);
}

// With one shard the combined roots are that shard's: the unsharded ones.
TEST(Shards, OneShardRootIsTheShardRoot) {
  ledger::digest d{};
  d[0] = 42;
  EXPECT_EQ(ledger::combine_shard_roots(std::span(&d, 1)), d);
}

TEST(Shards, VerifyPassesOnAShardedFile) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("civitas_shard_" + std::to_string(::getpid()) + ".h5"))
          .string();
  driver::run_options options;
  options.out_path = path;
  const driver::run_summary summary = driver::run_scenario(boltzmann(4, 3001, 6), options);
  EXPECT_EQ(summary.shards, 4u);
  const driver::verify_report replayed = driver::verify_run(path);
  EXPECT_TRUE(replayed.ok) << replayed.message;
  EXPECT_FALSE(replayed.reran);
  driver::verify_options rerun;
  rerun.replay = true;
  const driver::verify_report reran = driver::verify_run(path, rerun);
  EXPECT_TRUE(reran.ok) << reran.message;
  std::filesystem::remove(path);
}

// A sharded header must come from the shard roots: one flipped balance on one shard changes the root.
TEST(Shards, ShardRootsCoverEveryShard) {
  ledger::ledger a, b;
  for (ledger::ledger* l : {&a, &b}) {
    const token_id cash = l->add_token({"cash", ledger::token_kind::cash});
    l->authorise_mint(cash, 1);
    for (agent_id i = 0; i < 10; ++i) l->open_account(i, cash);
    l->set_shards({0, 4, 10});
    l->begin_genesis({});
  }
  const ledger::transfer_intent mint_a{0, 9, 5, 0, 0, 1}, mint_b{0, 9, 6, 0, 0, 1};
  a.apply(std::span(&mint_a, 1), system_agent);
  b.apply(std::span(&mint_b, 1), system_agent);
  const auto pa = a.seal_parts(0, 2), pb = b.seal_parts(0, 2);
  EXPECT_NE(pa.roots[0].transfers_root,
            pb.roots[0].transfers_root);                            // the mint records are system's: shard 0
  EXPECT_NE(pa.roots[0].balances_root, pb.roots[0].balances_root);  // the issuer is shard 0's
  EXPECT_NE(pa.roots[1].balances_root, pb.roots[1].balances_root);  // account 9 is shard 1's
  EXPECT_EQ(pa.supplies, std::vector<amount_t>{5});
}

namespace {
std::string refusal(const std::vector<std::string>& overrides) {
  try {
    driver::parse_scenario("", "test", overrides);
  } catch (const input_error& e) {
    return e.diagnostics().empty() ? e.what() : e.diagnostics().front().str();
  }
  return "";
}
}  // namespace

TEST(Shards, BadInputIsRefusedNamingTheParameter) {
  EXPECT_NE(refusal({"run.shards=0"}).find("run.shards"), std::string::npos);
  EXPECT_NE(
      refusal({"run.shards=11", "population.citizens=10", "run.activation=simultaneous"}).find("run.shards"),
      std::string::npos);
  EXPECT_NE(refusal({"run.shards=2", "run.activation=random_sequential"}).find("run.activation"),
            std::string::npos);
  EXPECT_NE(
      refusal({"run.shards=2", "run.activation=simultaneous", "exchange.rule=saving"}).find("exchange.rule"),
      std::string::npos);
  EXPECT_NE(refusal({"run.shards=2", "run.model=society"}).find("run.model"), std::string::npos);
  EXPECT_EQ(refusal({"run.shards=2", "run.activation=simultaneous"}), "");
  // More ranks than shards: a rank would hold nothing.
  EXPECT_THROW(
      {
        auto three = sim::local_transports(3);
        (void)driver::make_world(boltzmann(2), {}, three[2].get());
      },
      input_error);
}
