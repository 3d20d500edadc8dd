// Sharded single runs (docs/distributed.md, "Sharded single runs"): the same head hash at any number of
// ranks (here: in-process ranks, each on its own thread) and threads; the same transfers, record for
// record, as the unsharded run of the same scenario; verify passes on a sharded file; bad input refused.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cstring>
#include <filesystem>
#include <stdexcept>
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

// The exchange model under simultaneous activation, `rule` in `shards` shards. Boltzmann's gifts are of 1
// unit, so it starts poor; the pairwise rules move shares of the pair's wealth, so they need more of it.
params::scenario exchange_scenario(const std::string& rule, std::uint32_t shards,
                                   std::uint32_t citizens = 9001, step_t steps = 15) {
  return driver::parse_scenario(
      "", "test",
      {"exchange.rule=" + rule, "run.activation=simultaneous",
       "population.citizens=" + std::to_string(citizens), "run.steps=" + std::to_string(steps),
       rule == "boltzmann" ? "exchange.initial_cash=2" : "exchange.initial_cash=100",
       "run.shards=" + std::to_string(shards), "output.snapshot_every=5"});
}
params::scenario boltzmann(std::uint32_t shards, std::uint32_t citizens = 9001, step_t steps = 15) {
  return exchange_scenario("boltzmann", shards, citizens, steps);
}
// The rules whose payer reads its partner's balance, which a sharded step fetches in the halo.
const std::vector<std::string> pairwise_rules{"random_exchange", "saving", "yard_sale"};

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

// What happened is the same block for block: records, counts, supplies, metrics and snapshots (the
// headers' roots differ between numbers of shards, so they are not compared here).
void expect_same_events(const run_output& got, const run_output& want, const std::string& what) {
  ASSERT_EQ(got.blocks.size(), want.blocks.size()) << what;
  for (std::size_t b = 0; b < want.blocks.size(); ++b) {
    EXPECT_TRUE(same_records(got.blocks[b].records, want.blocks[b].records)) << what << ", block " << b;
    EXPECT_EQ(got.blocks[b].header.transfer_count, want.blocks[b].header.transfer_count) << what;
    EXPECT_EQ(got.blocks[b].header.supplies, want.blocks[b].header.supplies) << what;
    EXPECT_EQ(std::memcmp(got.blocks[b].metrics.data(), want.blocks[b].metrics.data(),
                          want.blocks[b].metrics.size() * sizeof(double)),
              0)
        << what << ", block " << b;
    ASSERT_EQ(got.blocks[b].snapshot.has_value(), want.blocks[b].snapshot.has_value()) << what;
    if (want.blocks[b].snapshot) {
      EXPECT_EQ(got.blocks[b].snapshot->balances, want.blocks[b].snapshot->balances)
          << what << ", block " << b;
    }
  }
}

// The same head and the same headers too (the same shards, any ranks).
void expect_same_blocks(const run_output& got, const run_output& want, const std::string& what) {
  EXPECT_EQ(got.head, want.head) << what;
  expect_same_events(got, want, what);
  for (std::size_t b = 0; b < std::min(got.blocks.size(), want.blocks.size()); ++b)
    EXPECT_EQ(got.blocks[b].header.hash, want.blocks[b].header.hash) << what << ", block " << b;
}

}  // namespace

TEST(Shards, HeadHashIndependentOfRanksAndThreads) {
  for (const std::uint32_t shards : {4u, 7u}) {
    const params::scenario s = boltzmann(shards);
    const run_output alone = run_alone(s);
    for (int ranks = 1; ranks <= 4; ++ranks)
      for (const int threads : {1, 3})
        expect_same_blocks(run_ranks(s, ranks, threads), alone,
                           std::to_string(shards) + " shards, " + std::to_string(ranks) + " ranks, " +
                               std::to_string(threads) + " threads");
  }
}

// Sharding changes how the block's roots are shaped, not what happens: every transfer (ids, statuses,
// amounts), every metric and every balance is the unsharded run's.
TEST(Shards, SameTransfersAsTheUnshardedRun) {
  const run_output unsharded = run_alone(boltzmann(1));
  const run_output sharded = run_ranks(boltzmann(5), 3, 2);
  expect_same_events(sharded, unsharded, "boltzmann");
  EXPECT_GT(unsharded.blocks.back().header.transfer_count, 0u);
  // The head differs: the run's identity names its shards, and its roots are the combined ones.
  EXPECT_NE(sharded.head, unsharded.head);
}

// The pairwise rules read the partner's step-start balance, from the halo when the partner is another
// rank's: one head at any ranks and threads, and the unsharded run's transfers. An odd population leaves
// one agent unpaired each step; 7 shards over 3 or 4 ranks give ranks of unequal size.
TEST(Shards, PairwiseRulesIndependentOfRanksAndThreads) {
  for (const std::string& rule : pairwise_rules) {
    const run_output unsharded = run_alone(exchange_scenario(rule, 1));
    EXPECT_GT(unsharded.blocks.back().header.transfer_count, 0u) << rule;
    for (const std::uint32_t shards : {4u, 7u}) {
      const params::scenario s = exchange_scenario(rule, shards);
      const run_output alone = run_alone(s);
      expect_same_events(alone, unsharded, rule + ", " + std::to_string(shards) + " shards in one process");
      for (int ranks = 1; ranks <= 4; ++ranks)
        for (const int threads : {1, 3})
          expect_same_blocks(run_ranks(s, ranks, threads), alone,
                             rule + ", " + std::to_string(shards) + " shards, " + std::to_string(ranks) +
                                 " ranks, " + std::to_string(threads) + " threads");
    }
  }
}

// With one shard the combined roots are that shard's: the unsharded ones.
TEST(Shards, OneShardRootIsTheShardRoot) {
  ledger::digest d{};
  d[0] = 42;
  EXPECT_EQ(ledger::combine_shard_roots(std::span(&d, 1)), d);
}

TEST(Shards, VerifyPassesOnAShardedFile) {
  for (const std::string& rule : {std::string("boltzmann"), std::string("random_exchange"),
                                  std::string("saving"), std::string("yard_sale")}) {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("civitas_shard_" + std::to_string(::getpid()) + "_" + rule + ".h5"))
                                 .string();
    driver::run_options options;
    options.out_path = path;
    const driver::run_summary summary = driver::run_scenario(exchange_scenario(rule, 4, 3001, 6), options);
    EXPECT_EQ(summary.shards, 4u);
    const driver::verify_report replayed = driver::verify_run(path);
    EXPECT_TRUE(replayed.ok) << rule << ": " << replayed.message;
    EXPECT_FALSE(replayed.reran);
    driver::verify_options rerun;
    rerun.replay = true;
    const driver::verify_report reran = driver::verify_run(path, rerun);
    EXPECT_TRUE(reran.ok) << rule << ": " << reran.message;
    std::filesystem::remove(path);
  }
}

// The halo is fetched with exactly two collectives per step, and only for a model that reads one:
// Boltzmann's steps meet the other ranks as often as before the halo existed.
TEST(Shards, HaloOnlyForModelsThatReadIt) {
  const auto calls = [](const std::string& rule) {
    const params::scenario s = exchange_scenario(rule, 2, 2001, 4);
    auto peers = sim::local_transports(2);
    std::vector<std::uint64_t> calls(2);
    std::vector<std::thread> workers;
    for (int r = 0; r < 2; ++r)
      workers.emplace_back([&, r] {
        tbb::task_arena arena(1);
        arena.execute([&] { (void)run_rank(s, peers[r].get(), nullptr); });
        calls[r] = peers[r]->stats().calls;
      });
    for (auto& t : workers) t.join();
    EXPECT_EQ(calls[0], calls[1]) << rule;
    return calls[0];
  };
  const std::uint64_t boltzmann_calls = calls("boltzmann");
  for (const std::string& rule : pairwise_rules) EXPECT_EQ(calls(rule), boltzmann_calls + 2 * 4) << rule;
}

// A balance decide reads is the ledger's for a held account and the halo's for another rank's; one that
// is neither (a model reading what it did not list) is an error, never a stale copy.
TEST(Shards, StepStartBalanceRefusesAnAccountNotInTheHalo) {
  auto two = sim::local_transports(2);
  const auto w = driver::make_world(exchange_scenario("random_exchange", 2, 10, 1), {}, two[0].get());
  EXPECT_EQ(w->end_agent(), 5u);
  EXPECT_EQ(w->step_start_balance(1), 0);  // agent 0's cash: held here (nothing endowed yet)
  EXPECT_THROW((void)w->step_start_balance(10), std::logic_error);  // agent 9's: rank 1's
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
  EXPECT_NE(refusal({"run.shards=2", "run.activation=random_sequential", "exchange.rule=saving"})
                .find("run.activation"),
            std::string::npos);
  for (const std::string& rule : pairwise_rules)
    EXPECT_EQ(refusal({"run.shards=2", "run.activation=simultaneous", "exchange.rule=" + rule}), "") << rule;
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
