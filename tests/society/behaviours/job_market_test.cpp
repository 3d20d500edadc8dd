// The job market (society.staffing = "market"): staff the payroll did not reach are let go, firms that paid
// a bonus hire, and short time disappears from a society whose firm sizes do not match their sales.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "society/society_model.hpp"
#include "support/society_run.hpp"

using namespace civitas;
using test::run;
using test::small_society;

namespace {

// Contracted pay with short time and strongly heterogeneous saving: demand falls short of what the drawn
// firm sizes need, so under fixed staffing many staff go unpaid.
std::vector<std::string> short_time(const std::string& staffing) {
  return {"society.pay_rule=ration", "society.consumption_share_sigma=1.2", "society.productivity_sigma=0.3",
          "run.steps=40", "society.staffing=" + staffing};
}

// Distinct citizens paid a wage in the step's records.
std::size_t paid_in(const io::step_packet& b, const test::captured_run& r, std::uint32_t citizens) {
  std::set<agent_id> paid;
  for (const auto& t : b.records)
    if (t.status == 0 && t.reason == code(society::reason::wage) && r.accounts[t.credit].owner < citizens)
      paid.insert(r.accounts[t.credit].owner);
  return paid.size();
}

}  // namespace

TEST(JobMarket, FixedStaffingMovesNobody) {
  const auto r = run(small_society(1, short_time("fixed")));
  EXPECT_EQ(r.total("hires"), 0);
  EXPECT_EQ(r.total("layoffs"), 0);
  EXPECT_EQ(r.final("employed_share"), r.metric(0, "employed_share"));
}

TEST(JobMarket, EveryUnpaidWorkerIsLetGoAndTheCountsAddUp) {
  const auto s = small_society(1, short_time("market"));
  const auto r = run(s);
  const std::uint32_t citizens = s.get<sim::population_params>().citizens;
  auto employed = [&](step_t t) { return std::llround(r.metric(t, "employed_share") * citizens); };
  double moves = 0;
  for (step_t t = 1; t < r.blocks.size(); ++t) {
    // Staff at the end of step t-1 are those the payroll of step t could reach; all it missed are let go.
    const auto unpaid = employed(t - 1) - static_cast<long long>(paid_in(r.blocks[t], r, citizens));
    EXPECT_EQ(std::llround(r.metric(t, "layoffs")), unpaid) << "step " << t;
    EXPECT_EQ(employed(t),
              employed(t - 1) - std::llround(r.metric(t, "layoffs")) + std::llround(r.metric(t, "hires")))
        << "step " << t;
    moves += r.metric(t, "hires") + r.metric(t, "layoffs");
  }
  EXPECT_GT(moves, 0);  // the scenario does move staff
}

TEST(JobMarket, ClearsShortTimeThatFixedStaffingLeaves) {
  const std::uint32_t citizens = 2000;
  auto unpaid_share = [&](const std::string& staffing) {
    const auto r = run(small_society(1, short_time(staffing)));
    // Over the last ten steps: employed citizens the payroll did not reach.
    double unpaid = 0, employed = 0;
    for (step_t t = r.blocks.size() - 10; t < r.blocks.size(); ++t) {
      const double staff = std::round(r.metric(t - 1, "employed_share") * citizens);
      employed += staff;
      unpaid += staff - static_cast<double>(paid_in(r.blocks[t], r, citizens));
    }
    return unpaid / employed;
  };
  const double fixed = unpaid_share("fixed"), market = unpaid_share("market");
  std::printf("unpaid share over the last ten steps: fixed %.4f, market %.4f\n", fixed, market);
  // Measured: fixed 0.556, market 0.030 (small firms' sales still vary from step to step).
  EXPECT_GT(fixed, 0.3);
  EXPECT_LT(market, 0.05);
  EXPECT_GT(fixed, 10 * market);
}

TEST(JobMarket, DoesNotDependOnTheThreadCount) {
  test::expect_thread_independent(small_society(2, short_time("market")));
}
