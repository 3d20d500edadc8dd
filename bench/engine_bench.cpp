// Engine benchmarks: exchange models through the full engine (ledger on, hashing on or off) beside a
// bare loop of the same rule with no engine, the baseline the ratios are quoted against.
//
//   BM_Engine/<rule>/<activation>/agents/threads/hashing
//   BM_Bare<Rule>/agents                    a plain std::vector loop, one thread
//   BM_LedgerHash/records/threads           SHA-256 + RFC 6962 root over canonical records
//
// Counters: agent_steps/s and transfers/s (records sealed into blocks, rejected ones included).
// Memory per agent is measured in a process of its own (README), not here: the allocator reuses pages
// across benchmarks in one process.
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "driver/registry.hpp"
#include "ledger/merkle.hpp"
#include "ledger/record.hpp"
#include "sim/world.hpp"

using namespace civitas;

namespace {
params::scenario scenario_for(const std::string& rule, const std::string& activation, std::int64_t agents) {
  return driver::parse_scenario("", "bench",
                                {"exchange.rule=" + rule, "run.activation=" + activation,
                                 "population.citizens=" + std::to_string(agents), "run.steps=1000000",
                                 "exchange.initial_cash=" + std::string(rule == "boltzmann" ? "1" : "100"),
                                 "output.metrics_every=1000000"});  // inequality metrics off the hot path
}

void engine(benchmark::State& state, const std::string& rule, const std::string& activation) {
  const auto agents = state.range(0);
  const auto threads = static_cast<int>(state.range(1));
  const bool hashing = state.range(2) != 0;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    const auto world_owner =
        driver::make_world(scenario_for(rule, activation, agents), ledger::ledger_options{hashing});
    sim::world& w = *world_owner;
    w.genesis();
    w.step();
    std::uint64_t transfers = 0;
    for (auto _ : state) {
      w.step();
      transfers += w.ledger().head().transfer_count;
    }
    state.counters["agent_steps/s"] =
        benchmark::Counter(static_cast<double>(agents) * state.iterations(), benchmark::Counter::kIsRate);
    state.counters["transfers/s"] =
        benchmark::Counter(static_cast<double>(transfers), benchmark::Counter::kIsRate);
  });
}

void engine_args(benchmark::internal::Benchmark* b) {
  for (const std::int64_t agents : {10'000, 100'000, 1'000'000})
    for (const std::int64_t threads : {1, 2})
      for (const std::int64_t hashing : {1, 0}) b->Args({agents, threads, hashing});
  b->ArgNames({"agents", "threads", "hashing"})->Unit(benchmark::kMillisecond)->MinTime(1.0)->UseRealTime();
}

// Mesa's rule as a plain loop: shuffled order each step, give 1 to a uniform agent if you have money.
void BM_BareBoltzmann(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::int64_t> wealth(n, 1);
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    std::shuffle(order.begin(), order.end(), rng);
    for (const std::uint32_t i : order) {
      if (wealth[i] == 0) continue;
      const std::size_t j = std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
      --wealth[i];
      ++wealth[j];
    }
    benchmark::DoNotOptimize(wealth.data());
  }
  state.counters["agent_steps/s"] =
      benchmark::Counter(static_cast<double>(n) * state.iterations(), benchmark::Counter::kIsRate);
}

// Dragulescu-Yakovenko as a plain loop: random perfect matching, uniform split of each pair's pool.
void BM_BareRandomExchange(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::int64_t> wealth(n, 100);
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (auto _ : state) {
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t k = 0; k + 1 < n; k += 2) {
      const std::uint32_t a = order[k], b = order[k + 1];
      const std::int64_t pool = wealth[a] + wealth[b];
      wealth[a] = static_cast<std::int64_t>(u(rng) * static_cast<double>(pool));
      wealth[b] = pool - wealth[a];
    }
    benchmark::DoNotOptimize(wealth.data());
  }
  state.counters["agent_steps/s"] =
      benchmark::Counter(static_cast<double>(n) * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_LedgerHash(benchmark::State& state) {
  const auto records = static_cast<std::size_t>(state.range(0));
  tbb::task_arena arena(static_cast<int>(state.range(1)));
  std::vector<ledger::transfer_record> recs(records);
  for (std::size_t i = 0; i < records; ++i) {
    recs[i].credit = static_cast<account_id>(i);
    recs[i].debit = static_cast<account_id>(i * 7);
    recs[i].amount = static_cast<amount_t>(i % 1000);
  }
  const std::span bytes(reinterpret_cast<const std::uint8_t*>(recs.data()),
                        records * sizeof(ledger::transfer_record));
  arena.execute([&] {
    for (auto _ : state)
      benchmark::DoNotOptimize(
          ledger::chunked_root(bytes, ledger::records_per_leaf * sizeof(ledger::transfer_record)));
  });
  state.counters["transfers/s"] =
      benchmark::Counter(static_cast<double>(records) * state.iterations(), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes.size()) * state.iterations());
}
}  // namespace

BENCHMARK_CAPTURE(engine, boltzmann_rs, std::string("boltzmann"), std::string("random_sequential"))
    ->Apply(engine_args);
BENCHMARK_CAPTURE(engine, boltzmann_sim, std::string("boltzmann"), std::string("simultaneous"))
    ->Apply(engine_args);
BENCHMARK_CAPTURE(engine, random_exchange_rs, std::string("random_exchange"),
                  std::string("random_sequential"))
    ->Apply(engine_args);
BENCHMARK_CAPTURE(engine, random_exchange_sim, std::string("random_exchange"), std::string("simultaneous"))
    ->Apply(engine_args);
BENCHMARK(BM_BareBoltzmann)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK(BM_BareRandomExchange)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK(BM_LedgerHash)
    ->Args({1'000'000, 1})
    ->Args({1'000'000, 2})
    ->ArgNames({"records", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0)
    ->UseRealTime();

BENCHMARK_MAIN();
