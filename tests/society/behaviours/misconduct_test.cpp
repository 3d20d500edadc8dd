// Misconduct: the fixed rule keeps its old meaning; the logit rule is theft as a choice with a victim under
// every regime, deterred by the regime's expected sanction, reproducing Becker's deterrence in the logit's
// closed form (scenarios/validation/deterrence.toml, run through the binary and read back from HDF5).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "behaviour/choice.hpp"
#include "io/run_file.hpp"
#include "support/process.hpp"
#include "support/society_run.hpp"

using namespace civitas;
using test::run;
using test::small_society;

namespace fs = std::filesystem;

TEST(Choice, LogitIsTheQuantalResponseAndNeverOverflows) {
  EXPECT_DOUBLE_EQ(behaviour::logit_probability(0.05, 0), 0.5);
  EXPECT_NEAR(behaviour::logit_probability(0.05, 50), 1 / (1 + std::exp(-2.5)), 1e-15);
  EXPECT_NEAR(behaviour::logit_probability(0.05, -50), 1 / (1 + std::exp(2.5)), 1e-15);
  EXPECT_EQ(behaviour::logit_probability(1, 1e6), 1.0);
  EXPECT_EQ(behaviour::logit_probability(1, -1e6), 0.0);
  EXPECT_DOUBLE_EQ(behaviour::logit_probability(0, 123), 0.5);  // no precision: a fair coin
}

// The deterrence scenario at detection q: the share of citizen-steps with misconduct, read from the run file.
double misconduct_rate(double q, const fs::path& dir) {
  const fs::path out = dir / ("deterrence_q" + std::to_string(static_cast<int>(q * 100)) + ".h5");
  const auto r =
      test::run_civitas("run validation/deterrence --quiet --set social_credit.q=" + std::to_string(q) +
                        " --out '" + out.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const io::run_reader file(out.string());
  const auto acts = file.series("misconduct");
  const double total = std::accumulate(acts.begin() + 1, acts.end(), 0.0);  // block 0 is genesis
  return total / (4000.0 * static_cast<double>(acts.size() - 1));
}

TEST(Misconduct, DeterrenceFollowsTheLogitClosedFormOfBecker) {
  const fs::path dir = fs::temp_directory_path() / ("civitas_deterrence_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const double g = 50, k = 100, lambda = 0.05;
  double previous = 1.0;
  for (const double q : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    const double expected = 1.0 / (1.0 + std::exp(-lambda * (g - q * k)));
    const double rate = misconduct_rate(q, dir);
    // 80,000 citizen-steps: a binomial standard error below 0.002, so 0.01 is five of them.
    EXPECT_NEAR(rate, expected, 0.01) << "q = " << q;
    EXPECT_LT(rate, previous) << "misconduct must fall as detection rises, q = " << q;
    previous = rate;
  }
  fs::remove_all(dir);
}

TEST(Misconduct, UnderTheLogitRuleThievesTakeFromVictimsUnderEveryRegime) {
  for (const std::string regime : {"market", "daf", "alliance", "social_credit"}) {
    const auto r = run(small_society(3, {"governance.regime=" + regime, "society.misconduct_rule=logit",
                                         "society.misconduct_gain=20", "society.misconduct_lambda=0.05"}));
    EXPECT_GT(r.total("misconduct"), 0) << regime;
    EXPECT_GT(r.total("stolen"), 0) << regime;
    std::size_t thefts = 0;
    for (const auto& b : r.blocks)
      for (const auto& rec : b.records)
        if (rec.reason == code(society::reason::theft) && rec.status == 0) {
          ++thefts;
          EXPECT_LE(rec.amount, 20);
          EXPECT_NE(r.accounts[rec.debit].owner, r.accounts[rec.credit].owner);  // nobody robs itself
        }
    EXPECT_GT(thefts, 0u) << regime;
  }
}

TEST(Misconduct, TheFixedRuleIsModelledOnlyWhereARegimeWatches) {
  const auto market = run(small_society(3, {"governance.regime=market"}));
  EXPECT_TRUE(std::isnan(market.final("misconduct")));
  const auto watched = run(small_society(3, {"governance.regime=social_credit"}));
  EXPECT_FALSE(std::isnan(watched.final("misconduct")));
  EXPECT_EQ(watched.total("stolen"), 0);  // no victims under the fixed rule
}

TEST(Misconduct, AFineIsPaidForMisconductTheAuthoritySees) {
  const auto r = run(small_society(5, {"governance.regime=social_credit", "society.misconduct_rule=logit",
                                       "social_credit.q=0.5", "social_credit.fine=30"}));
  EXPECT_GT(r.total("fines_paid"), 0);
}
