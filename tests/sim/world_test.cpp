#include "sim/world.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "driver/registry.hpp"
#include "exchange/exchange_model.hpp"
#include "ledger/hash.hpp"

using namespace civitas;

namespace {
params::scenario small(const std::string& rule, const std::string& activation, std::uint32_t citizens = 5000,
                       step_t steps = 30) {
  return driver::parse_scenario("", "test",
                                {"exchange.rule=" + rule, "run.activation=" + activation,
                                 "population.citizens=" + std::to_string(citizens),
                                 "run.steps=" + std::to_string(steps), "exchange.initial_cash=50"});
}

std::string head_hash(const params::scenario& s, int threads) {
  tbb::task_arena arena(threads);
  std::string hex;
  arena.execute([&] {
    const auto world_owner = driver::make_world(s);
    sim::world& w = *world_owner;
    w.genesis();
    for (step_t i = 0; i < w.run().steps; ++i) w.step();
    hex = ledger::to_hex(w.ledger().head().hash);
  });
  return hex;
}

// Golden head hashes, one per rule x activation, from data/golden_hashes.txt ("rule activation hash").
std::map<std::string, std::string> golden() {
  std::ifstream in(std::string(CIVITAS_SOURCE_DIR) + "/data/golden_hashes.txt");
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string rule, activation, hash;
    fields >> rule >> activation >> hash;
    out[rule + " " + activation] = hash;
  }
  return out;
}

// The determinism contract (docs/determinism.md): same scenario and seed, same head hash, whatever
// the thread count; and the hash equals the golden value recorded for this engine version under `key`.
void expect_golden(const params::scenario& s, const std::string& key) {
  static const auto expected = golden();
  const std::string one = head_hash(s, 1);
  for (const int threads : {2, 3, 4, 8})
    EXPECT_EQ(head_hash(s, threads), one) << key << " threads " << threads;
  const auto it = expected.find(key);
  if (it == expected.end())
    ADD_FAILURE() << "no golden hash for " << key << "; this run gives " << one;
  else
    EXPECT_EQ(one, it->second) << key;
}
}  // namespace

TEST(Determinism, HeadHashIndependentOfThreadCountAndGolden) {
  for (const std::string rule : {"boltzmann", "random_exchange", "saving", "yard_sale"})
    for (const std::string activation : {"random_sequential", "simultaneous"})
      expect_golden(small(rule, activation), rule + " " + activation);
}

// The reciprocity model: decisions on step-start images, imitation at generation ends, and (with little
// cash) donors the ledger refuses, so that random-sequential order matters. Keyed "reciprocity ACTIVATION".
TEST(Determinism, ReciprocityHeadHashIndependentOfThreadCountAndGolden) {
  for (const std::string activation : {"random_sequential", "simultaneous"})
    expect_golden(driver::parse_scenario(
                      "", "test",
                      {"run.model=reciprocity", "run.activation=" + activation, "population.citizens=5000",
                       "run.steps=30", "reciprocity.generation=5", "reciprocity.q=0.2",
                       "reciprocity.share_discriminator=0.6", "reciprocity.share_alld=0.2",
                       "reciprocity.mutation=0.01", "reciprocity.initial_cash=3"}),
                  "reciprocity " + activation);
}

TEST(Determinism, SeedChangesTheRun) {
  params::scenario a = small("boltzmann", "random_sequential", 1000, 5);
  params::scenario b = a;
  b.get<sim::run_params>().seed = a.get<sim::run_params>().seed + 1;
  EXPECT_NE(head_hash(a, 2), head_hash(b, 2));
}

TEST(World, ConservesMoneyEveryStepAndRecordsEveryTransfer) {
  for (const std::string activation : {"random_sequential", "simultaneous"}) {
    const params::scenario s = small("random_exchange", activation, 3000, 20);
    const auto world_owner = driver::make_world(s);
    sim::world& w = *world_owner;
    w.genesis();
    const amount_t supply = 3000 * 50;
    EXPECT_EQ(w.ledger().head().supplies[0], supply);
    EXPECT_EQ(w.ledger().head().transfer_count, 3000u);  // one endowment mint each
    for (step_t i = 0; i < w.run().steps; ++i) {
      w.step();  // seal_step throws if any token's balances stop summing to zero
      EXPECT_EQ(w.ledger().head().supplies[0], supply);
      amount_t held = 0;
      for (agent_id a = 0; a < 3000; ++a) held += w.ledger().balance(exchange::exchange_model::account_of(a));
      EXPECT_EQ(held, supply);
      // Pairwise exchange: one transfer per pair at most, never a rejection.
      EXPECT_LE(w.ledger().head().transfer_count, 1500u);
      EXPECT_GT(w.ledger().head().transfer_count, 1300u);
      EXPECT_EQ(w.ledger().head().rejected_count, 0u);
    }
  }
}

namespace {
// Boltzmann, random sequential, one unit each: many givers are broke by their turn. Run to the end.
std::unique_ptr<sim::world> broke_givers(bool record_unfunded) {
  params::scenario s = small("boltzmann", "random_sequential", 2000, 10);
  s.get<exchange::exchange_params>().initial_cash = 1;
  s.get<exchange::exchange_params>().record_unfunded = record_unfunded;
  auto w = driver::make_world(s);
  w->genesis();
  for (step_t i = 0; i < w->run().steps; ++i) w->step();
  return w;
}
}  // namespace

TEST(World, BoltzmannRandomSequentialRejectsBrokeGiversAsData) {
  const auto w = broke_givers(true);
  EXPECT_GT(w->total_rejected(), 0u);
  EXPECT_EQ(w->status_totals()[static_cast<std::size_t>(ledger::status::insufficient_funds)],
            w->total_rejected());
}

TEST(World, BoltzmannUnfundedGiftsLeaveNoRecordByDefaultAndMoveTheSameMoney) {
  EXPECT_FALSE(exchange::exchange_params{}.record_unfunded);
  const auto kept = broke_givers(true), dropped = broke_givers(false);
  const auto a = kept->ledger().balances(), b = dropped->ledger().balances();
  EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end()));
  EXPECT_EQ(dropped->total_rejected(), 0u);
  EXPECT_EQ(dropped->total_transfers(), kept->total_transfers() - kept->total_rejected());
}

TEST(World, ProfileTimesEveryPhase) {
  const params::scenario s = small("boltzmann", "simultaneous", 2000, 5);
  const auto world_owner = driver::make_world(s);
  sim::world& w = *world_owner;
  w.genesis();
  for (step_t i = 0; i < w.run().steps; ++i) w.step();
  EXPECT_EQ(w.timings().steps, 5u);
  EXPECT_GT(w.timings().total_ns[static_cast<std::size_t>(sim::step_phase::decide)], 0u);
  EXPECT_GT(w.timings().total_ns[static_cast<std::size_t>(sim::step_phase::settle)], 0u);
  EXPECT_GT(w.timings().total_ns[static_cast<std::size_t>(sim::step_phase::record)], 0u);
}

TEST(World, MetricsEveryKLeavesOtherStepsNaN) {
  params::scenario s = small("random_exchange", "simultaneous", 1000, 6);
  s.get<sim::output_params>().metrics_every = 3;
  const auto world_owner = driver::make_world(s);
  sim::world& w = *world_owner;
  w.genesis();
  const auto& cols = w.metric_columns();
  const std::size_t g =
      static_cast<std::size_t>(std::find(cols.begin(), cols.end(), "gini_cash") - cols.begin());
  for (step_t i = 1; i <= 6; ++i) {
    w.step();
    EXPECT_EQ(std::isnan(w.metrics()[g]), i % 3 != 0) << "step " << i;
  }
}
