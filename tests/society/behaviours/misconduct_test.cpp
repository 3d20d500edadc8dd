// Misconduct: the fixed rule keeps its old meaning; the logit rule is theft as a choice with a victim under
// every regime, deterred by the regime's expected sanction, reproducing Becker's deterrence in the logit's
// closed form (scenarios/validation/deterrence.toml, run through the binary and read back from HDF5); the
// reinforcement rule learns theft from realised gains and fines, so sanctions that bite make it fall.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

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

// ---- the reinforcement rule: theft learnt from realised gains and sanctions (Erev & Roth 1998) ----

// Mean misconduct rate (share of citizens) over steps [from, to] of a captured run.
double rate_over(const test::captured_run& r, step_t from, step_t to, double citizens) {
  double sum = 0;
  for (step_t s = from; s <= to; ++s) sum += r.metric(s, "misconduct");
  return sum / (citizens * static_cast<double>(to - from + 1));
}

constexpr step_t learning_steps = 40;  // quarters of 10 steps

params::scenario learning_society(std::uint64_t seed, const std::string& regime) {
  return small_society(seed, {"run.steps=" + std::to_string(learning_steps), "governance.regime=" + regime,
                              "society.misconduct_rule=reinforcement", "society.misconduct_gain=50",
                              "social_credit.q=0.9", "social_credit.fine=1000"});
}

// First-quarter minus last-quarter misconduct rate over seeds, with its mean and standard error.
struct quarter_change {
  double first = 0, last = 0, mean_drop = 0, se = 0;
};
quarter_change quarters(const std::string& regime) {
  std::vector<double> drops;
  quarter_change q;
  for (const std::uint64_t seed : {1, 2, 3}) {
    const auto r = run(learning_society(seed, regime));
    const double first = rate_over(r, 1, learning_steps / 4, 2000);
    const double last = rate_over(r, learning_steps - learning_steps / 4 + 1, learning_steps, 2000);
    q.first += first / 3;
    q.last += last / 3;
    drops.push_back(first - last);
  }
  q.mean_drop = (drops[0] + drops[1] + drops[2]) / 3;
  double ss = 0;
  for (const double d : drops) ss += (d - q.mean_drop) * (d - q.mean_drop);
  q.se = std::sqrt(ss / 2 / 3);
  std::printf("%s: misconduct rate first quarter %.4f, last quarter %.4f (drop %.4f, se %.4f, 3 seeds)\n",
              regime.c_str(), q.first, q.last, q.mean_drop, q.se);
  return q;
}

TEST(Misconduct, UnderReinforcementSanctionsTeachCitizensToStop) {
  // Social credit sees 90% of thefts and fines 1,000 against a gain of 50: a thief is nearly always worse off
  // than an abstainer, so its propensity to steal decays and the rate falls (to ~0.23 at the rule's fixed
  // point with the default phi = 0.1, eps = 0.2, shift = 100).
  const quarter_change q = quarters("social_credit");
  EXPECT_GT(q.mean_drop, 0.1);
  EXPECT_GT(q.mean_drop, 5 * q.se) << "the fall must be well beyond the spread between seeds";
  EXPECT_LT(q.last, 0.35);
}

TEST(Misconduct, UnderReinforcementWithoutSanctionTheftPays) {
  // The market sanctions nothing: a theft pays up to 50 more than abstaining, so the rate rises from the
  // fair coin (towards ~0.63 at the rule's fixed point; less where victims have no cash left to take).
  const quarter_change q = quarters("market");
  EXPECT_GE(q.last, 0.5);
  EXPECT_LE(q.mean_drop, 0.0);
}

TEST(Misconduct, ReinforcementIsThreadIndependent) {
  const auto one = run(learning_society(4, "social_credit"), 1);
  const auto two = run(learning_society(4, "social_credit"), 2);
  EXPECT_EQ(one.head, two.head);
  EXPECT_GT(one.total("fines_paid"), 0);
}

// ---- the imitation rule: theft spread by copying a better-paid social neighbour (Fermi rule) ----

TEST(Misconduct, UnderImitationTheftSpreadsWhereItPaysAndDiesWhereItIsFined) {
  auto share_at = [](const std::string& regime, step_t step) {
    const auto r = run(
        small_society(1, {"run.steps=30", "governance.regime=" + regime, "society.misconduct_rule=imitation",
                          "society.misconduct_gain=50", "social_credit.q=0.9", "social_credit.fine=1000"}));
    return std::pair{r.metric(1, "misconduct") / 2000.0, r.metric(step, "misconduct") / 2000.0};
  };
  // A fair coin of strategies at the start; under the market a thief out-earns an honest neighbour by what it
  // takes, so theft spreads up to what mutation leaves; fined 1,000 nine times in ten, it dies out.
  const auto [market_start, market_late] = share_at("market", 30);
  const auto [credit_start, credit_late] = share_at("social_credit", 30);
  std::printf("thieves: market %.3f -> %.3f, social credit %.3f -> %.3f\n", market_start, market_late,
              credit_start, credit_late);
  EXPECT_NEAR(market_start, 0.5, 0.05);
  EXPECT_GT(market_late, 0.9);
  EXPECT_LT(credit_late, 0.1);
}

TEST(Misconduct, TheImitationRuleIsThreadIndependent) {
  test::expect_thread_independent(
      small_society(2, {"run.steps=12", "governance.regime=social_credit",
                        "society.misconduct_rule=imitation", "social_credit.fine=60"}));
}
