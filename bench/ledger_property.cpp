// The ledger property check at length (the test ledger_property_test runs it for a few million transfers):
// seeds FIRST_SEED, FIRST_SEED + 1, ... each for up to 10^7 transfers in a world of 2 to 3000 agents drawn
// from the seed, until TRANSFERS records have been checked. A fresh world every 10^7 transfers varies the
// world and keeps balances far from overflow. See tests/ledger/ledger_property.hpp for what is generated
// and what is checked.
//
// Usage: ledger_property [TRANSFERS [FIRST_SEED [THREADS]]]   (defaults 1e9, 1, TBB's choice)
// Prints transfers checked, violations (must be 0), wall time and rate; exits 1 on any violation.
#include "ledger/ledger_property.hpp"

#include <tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace civitas::ledger;

namespace {
unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }
}  // namespace

int main(int argc, char** argv) {
  const double target_arg = argc > 1 ? std::strtod(argv[1], nullptr) : 1e9;  // 1e8 as well as digits
  const std::uint64_t first_seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  const long threads = argc > 3 ? std::strtol(argv[3], nullptr, 10) : 0;
  if (!(target_arg >= 1) || threads < 0) {
    std::fprintf(stderr, "usage: ledger_property [TRANSFERS [FIRST_SEED [THREADS]]]\n");
    return 2;
  }
  const auto target = static_cast<std::uint64_t>(target_arg);
  std::unique_ptr<tbb::global_control> limit;  // settle_simultaneous and seal_step run on TBB
  if (threads > 0)
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(threads));
  constexpr std::uint64_t per_seed = 10'000'000;

  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  std::uint64_t transfers = 0, violations = 0, steps = 0, seeds = 0, linked_applied = 0, linked_rejected = 0;
  std::array<std::uint64_t, status_count> statuses{};
  for (std::uint64_t seed = first_seed; transfers < target && violations == 0; ++seed, ++seeds) {
    const auto t0 = clock::now();
    const property::result r = property::run({seed, std::min(per_seed, target - transfers), 0});
    const double secs = std::chrono::duration<double>(clock::now() - t0).count();
    transfers += r.transfers;
    violations += r.violations;
    steps += r.steps;
    linked_applied += r.linked_applied;
    linked_rejected += r.linked_rejected;
    for (std::size_t s = 0; s < status_count; ++s) statuses[s] += r.statuses[s];
    std::printf("seed %llu: %u agents, %llu transfers in %llu steps, %.1f s, violations %llu\n", ull(seed),
                r.agents, ull(r.transfers), ull(r.steps), secs, ull(r.violations));
    for (const std::string& m : r.messages) std::printf("  VIOLATION %s\n", m.c_str());
    std::fflush(stdout);
  }
  const double wall = std::chrono::duration<double>(clock::now() - start).count();

  std::printf("statuses:");
  for (std::size_t s = 0; s < status_count; ++s)
    std::printf(" %s %.2f%%", status_name(static_cast<status>(s)),
                100.0 * static_cast<double>(statuses[s]) / static_cast<double>(transfers ? transfers : 1));
  std::printf("\nlinked chains: %llu applied, %llu rejected\n", ull(linked_applied), ull(linked_rejected));
  std::printf("transfers checked %llu (%llu seeds, %llu steps)\n", ull(transfers), ull(seeds), ull(steps));
  std::printf("violations %llu\n", ull(violations));
  std::printf("wall %.1f s\nrate %.3g transfers/s\n", wall, static_cast<double>(transfers) / wall);
  return violations == 0 ? 0 : 1;
}
