// The ledger property check (ledger_property.hpp) for a few million transfers: random intents of every
// kind through apply, settle_sequential and settle_simultaneous, every sealed step checked independently.
// The long run, 10^9 transfers, is bench/ledger_property.sh.
#include <gtest/gtest.h>

#include "ledger/ledger_property.hpp"

using namespace civitas::ledger;

namespace {
struct run_case {
  std::uint64_t seed;
  std::uint32_t agents;
};

// A tiny world (chains keep colliding on the same accounts), a middling one, and a large one (thousands of
// accounts, many chunks).
class LedgerProperty : public testing::TestWithParam<run_case> {};

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}
}  // namespace

TEST_P(LedgerProperty, InvariantsHoldAfterEveryStep) {
  const run_case c = GetParam();
  constexpr std::uint64_t transfers = 1'500'000;  // per seed: 4.5 million in all, about 2 s
  const property::result r = property::run({c.seed, transfers, c.agents});
  const std::string which = "seed " + std::to_string(c.seed) + ", agents " + std::to_string(c.agents);
  ASSERT_EQ(r.violations, 0u) << which << "\n" << joined(r.messages);
  EXPECT_GE(r.transfers, transfers) << which;
  // The check proves only what the generator reaches: every status, every path, both chain outcomes.
  for (std::size_t s = 0; s < status_count; ++s)
    EXPECT_GT(r.statuses[s], 0u) << which << ": no record with status "
                                 << status_name(static_cast<status>(s));
  for (std::size_t p = 0; p < r.path_intents.size(); ++p)
    EXPECT_GT(r.path_intents[p], 0u) << which << ", path " << p;
  EXPECT_GT(r.linked_applied, 0u) << which;
  EXPECT_GT(r.linked_rejected, 0u) << which;
}

INSTANTIATE_TEST_SUITE_P(Seeds, LedgerProperty,
                         testing::Values(run_case{1, 4}, run_case{2, 150}, run_case{3, 2500}),
                         [](const testing::TestParamInfo<run_case>& info) {
                           return "seed" + std::to_string(info.param.seed) + "_agents" +
                                  std::to_string(info.param.agents);
                         });
