// The guard of the society and its regimes: for every shipped society scenario (society/default and
// every regimes/*.toml), at two seeds and both activations, a short run gives the same head hash and the
// same digest of its metric series and final agent snapshot at 1 to 8 threads, and both equal the values
// recorded in data/golden_society.txt. The head hash covers every transfer and balance; the digest covers
// what the ledger does not (the /series row of every step, the snapshot's balances and scores), so a
// change in a behaviour, a metric or a score cannot pass silently. A change to that file is its own
// commit that says why results changed.
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "driver/registry.hpp"
#include "ledger/hash.hpp"
#include "sim/world.hpp"

using namespace civitas;

namespace {

constexpr step_t golden_steps = 6;

struct fingerprint {
  std::string head;    // the ledger's head hash
  std::string series;  // SHA-256 of column names, every step's metrics and the final snapshot
  bool operator==(const fingerprint&) const = default;
};

template <class T>
void digest_values(ledger::sha256_hasher& h, const std::vector<T>& xs) {
  h.update(std::span(reinterpret_cast<const std::uint8_t*>(xs.data()), xs.size() * sizeof(T)));
}

fingerprint run(const params::scenario& s, int threads) {
  tbb::task_arena arena(threads);
  fingerprint out;
  arena.execute([&] {
    const auto world_owner = driver::make_world(s);
    sim::world& w = *world_owner;
    ledger::sha256_hasher h;
    h.begin();
    w.genesis();
    for (const auto& c : w.metric_columns())
      h.update(std::span(reinterpret_cast<const std::uint8_t*>(c.data()), c.size() + 1));
    // NaN payloads are not compared: every NaN is hashed as the same canonical bytes.
    auto add_row = [&](std::vector<double> row) {
      for (double& v : row)
        if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();
      digest_values(h, row);
    };
    add_row(w.metrics());
    for (step_t i = 0; i < w.run().steps; ++i) {
      w.step();
      add_row(w.metrics());
    }
    const io::agent_snapshot snap = w.snapshot();
    digest_values(h, snap.balances);
    add_row(snap.scores);
    out.head = ledger::to_hex(w.ledger().head().hash);
    out.series = ledger::to_hex(h.finish());
  });
  return out;
}

// "scenario seed activation head series" per line.
std::map<std::string, fingerprint> golden() {
  std::ifstream in(std::string(CIVITAS_SOURCE_DIR) + "/data/golden_society.txt");
  std::map<std::string, fingerprint> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string name, seed, activation;
    fingerprint f;
    fields >> name >> seed >> activation >> f.head >> f.series;
    out[name + " " + seed + " " + activation] = f;
  }
  return out;
}

}  // namespace

TEST(GoldenSociety, EveryRegimeScenarioIsThreadIndependentAndUnchanged) {
  // Let an arena have 8 real threads on a 2-core machine (oneTBB caps workers at the core count otherwise).
  const tbb::global_control allow(tbb::global_control::max_allowed_parallelism, 8);
  const auto expected = golden();
  std::string missing;
  for (const std::string name : {"society/default", "regimes/market", "regimes/social_credit", "regimes/daf",
                                 "regimes/alliance", "regimes/compare"}) {
    for (const std::string seed : {"1", "7"}) {
      for (const std::string activation : {"simultaneous", "random_sequential"}) {
        const params::scenario s = driver::load_scenario(
            params::resolve_scenario(name), {"run.steps=" + std::to_string(golden_steps), "run.seed=" + seed,
                                             "run.activation=" + activation, "output.snapshot_every=0"});
        const fingerprint one = run(s, 1);
        for (const int threads : {2, 3, 4, 5, 6, 7, 8})
          EXPECT_EQ(run(s, threads), one)
              << name << " seed " << seed << " " << activation << " threads " << threads;
        const std::string key = name + " " + seed + " " + activation;
        const auto it = expected.find(key);
        if (it == expected.end())
          missing += key + " " + one.head + " " + one.series + "\n";
        else {
          EXPECT_EQ(one.head, it->second.head) << key << ": head hash changed";
          EXPECT_EQ(one.series, it->second.series) << key << ": series or snapshot changed";
        }
      }
    }
  }
  EXPECT_TRUE(missing.empty()) << "no golden values for:\n" << missing;
}
