// Runs a scenario in memory at a chosen thread count and keeps what tests look at: every sealed block
// (records, lineage, metrics), the account table, the final balances and head hash. `inspect` sees the
// finished world (still inside the task arena) to copy out model or regime state.
#pragma once

#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "driver/registry.hpp"
#include "io/run_file.hpp"
#include "ledger/hash.hpp"
#include "sim/world.hpp"

namespace civitas::test {

struct captured_run {
  std::vector<io::step_packet> blocks;
  std::vector<std::string> columns;
  std::vector<ledger::account_info> accounts;
  std::vector<amount_t> final_balances;
  std::string head;

  double metric(step_t step, const std::string& column) const {
    const auto it = std::find(columns.begin(), columns.end(), column);
    EXPECT_NE(it, columns.end()) << column;
    return blocks.at(step).metrics.at(static_cast<std::size_t>(it - columns.begin()));
  }
  double final(const std::string& column) const {
    return metric(static_cast<step_t>(blocks.size() - 1), column);
  }
  // Sum and mean over steps 1..N (genesis left out).
  double total(const std::string& column) const {
    double sum = 0;
    for (step_t s = 1; s < blocks.size(); ++s) sum += metric(s, column);
    return sum;
  }
  double mean_metric(const std::string& column) const {
    return total(column) / static_cast<double>(blocks.size() - 1);
  }
};

inline captured_run capture(const params::scenario& s, int threads = 2,
                            const std::function<void(const sim::world&)>& inspect = {}) {
  captured_run out;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    const auto world_owner = driver::make_world(s);
    sim::world& w = *world_owner;
    w.genesis([&](io::step_packet&& p) { out.blocks.push_back(std::move(p)); });
    for (step_t i = 0; i < s.get<sim::run_params>().steps; ++i) w.step();
    out.columns = w.metric_columns();
    out.head = ledger::to_hex(w.ledger().head().hash);
    out.final_balances.assign(w.ledger().balances().begin(), w.ledger().balances().end());
    for (std::size_t a = 0; a < w.ledger().account_count(); ++a)
      out.accounts.push_back(w.ledger().account(static_cast<account_id>(a)));
    if (inspect) inspect(w);
  });
  return out;
}

// Runs `s` at 1 and at 4 threads and expects the same head hash and every metric of every step the same
// (NaN where NaN): results never depend on the thread count. An arena may have 4 real threads even on a
// 2-core machine (oneTBB caps workers at the core count otherwise).
inline void expect_thread_independent(const params::scenario& s) {
  const tbb::global_control allow(tbb::global_control::max_allowed_parallelism, 4);
  const captured_run one = capture(s, 1), four = capture(s, 4);
  EXPECT_EQ(one.head, four.head);
  ASSERT_EQ(one.blocks.size(), four.blocks.size());
  for (std::size_t t = 0; t < one.blocks.size(); ++t)
    for (std::size_t c = 0; c < one.columns.size(); ++c) {
      const double a = one.blocks[t].metrics[c], b = four.blocks[t].metrics[c];
      EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << one.columns[c] << " at step " << t;
    }
}

// A small society (2,000 citizens, 40 firms, 5 charities, 20 steps) with extra overrides.
inline params::scenario small_society(std::uint64_t seed = 1, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> o = {"run.model=society",
                                "run.activation=simultaneous",
                                "population.citizens=2000",
                                "population.firms=40",
                                "population.charities=5",
                                "run.steps=20",
                                "run.seed=" + std::to_string(seed)};
  o.insert(o.end(), extra.begin(), extra.end());
  return driver::parse_scenario("", "test", o);
}

}  // namespace civitas::test
