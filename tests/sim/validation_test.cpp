// Equilibrium statistics of the validation models (docs/domain.md §7), with every exchange going
// through the real ledger. Each statistic is averaged over the second half of a run; the tolerances are
// a few standard errors wide and far narrower than the gap to a wrong rule (e.g. saving lambda = 0.25
// vs. 0: Gini 0.375 vs 0.5; random vs. sequential Boltzmann: 0.63 vs 0.5).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "driver/registry.hpp"
#include "sim/world.hpp"

using namespace civitas;

namespace {
struct averages {
  double gini = 0, top10 = 0, variance = 0;
  std::vector<double> gini_series;
};

std::size_t column(const sim::world& w, const std::string& name) {
  const auto& c = w.metric_columns();
  return static_cast<std::size_t>(std::find(c.begin(), c.end(), name) - c.begin());
}

averages run_and_average(const std::string& file, const std::vector<std::string>& overrides = {}) {
  const params::scenario s =
      driver::load_scenario(std::string(CIVITAS_SOURCE_DIR) + "/scenarios/validation/" + file, overrides);
  const auto world_owner = driver::make_world(s);
  sim::world& w = *world_owner;
  w.genesis();
  const std::size_t g = column(w, "gini_cash"), t = column(w, "top10_share_cash"),
                    v = column(w, "normalised_variance_cash");
  averages a;
  int samples = 0;
  for (step_t step = 1; step <= w.run().steps; ++step) {
    w.step();
    a.gini_series.push_back(w.metrics()[g]);
    if (step > w.run().steps / 2) {
      a.gini += w.metrics()[g];
      a.top10 += w.metrics()[t];
      a.variance += w.metrics()[v];
      ++samples;
    }
  }
  a.gini /= samples;
  a.top10 /= samples;
  a.variance /= samples;
  return a;
}
}  // namespace

TEST(Validation, RandomExchangeReachesTheExponentialLaw) {
  const averages a = run_and_average("random_exchange.toml");
  EXPECT_NEAR(a.gini, 0.5, 0.015);
  EXPECT_NEAR(a.top10, 0.1 * (1 + std::log(10.0)), 0.015);
  EXPECT_NEAR(a.variance, 1.0, 0.08);
}

TEST(Validation, SavingPropensityGivesTheGammaLaw) {
  const averages a = run_and_average("saving.toml");
  const double n = (1 + 2 * 0.25) / (1 - 0.25);
  EXPECT_NEAR(a.variance, 1 / n, 0.04);
  EXPECT_NEAR(a.gini, std::tgamma(n + 0.5) / (std::sqrt(M_PI) * std::tgamma(n + 1)), 0.015);
}

TEST(Validation, SavingPropensityOfHalfNarrowsFurther) {
  const averages a = run_and_average("saving.toml", {"exchange.saving_propensity=0.5"});
  const double n = (1 + 2 * 0.5) / (1 - 0.5);  // 4
  EXPECT_NEAR(a.variance, 1 / n, 0.03);
  EXPECT_NEAR(a.gini, std::tgamma(n + 0.5) / (std::sqrt(M_PI) * std::tgamma(n + 1)), 0.015);
}

TEST(Validation, BoltzmannRandomSequentialMatchesMesa) {
  const averages a = run_and_average("boltzmann.toml");
  EXPECT_NEAR(a.gini, 0.63, 0.02);
}

TEST(Validation, BoltzmannSimultaneousIsADifferentModel) {
  const averages rs = run_and_average("boltzmann.toml");
  const averages sim = run_and_average("boltzmann_simultaneous.toml");
  // Measured: 0.580 against 0.631 (2,000 agents, mean over the second half of 1,000 steps).
  EXPECT_LT(sim.gini, rs.gini - 0.03);
  EXPECT_NEAR(sim.gini, 0.58, 0.02);
}

TEST(Validation, YardSaleCondensesWealth) {
  const averages a = run_and_average("yard_sale.toml");
  const auto& g = a.gini_series;
  EXPECT_GT(g.back(), 0.9);
  EXPECT_GT(g.back(), g[g.size() / 4]);
  EXPECT_GT(g[g.size() / 4], g[10]);
}

// ---- citizens' discretionary acts as logit choices (docs/ODD.md 7.x): each measured rate against the
// logit's closed form 1 / (1 + exp(-lambda dU)) at three levels of one payoff ----
namespace {
double logistic(double lambda, double du) { return 1.0 / (1.0 + std::exp(-lambda * du)); }

struct act_rate {
  double rate = 0;       // mean of the column over the steps where it is defined
  double decisions = 0;  // citizen decisions behind it (for the standard error)
  double data_tax = 0;   // total data tax paid (consent)
};

// Runs a validation scenario and averages the act's rate column over steps 1..N (NaN steps left out).
act_rate run_rate(const std::string& file, const std::string& column_name, double per_step,
                  const std::vector<std::string>& overrides) {
  const params::scenario s =
      driver::load_scenario(std::string(CIVITAS_SOURCE_DIR) + "/scenarios/validation/" + file, overrides);
  const auto world_owner = driver::make_world(s);
  sim::world& w = *world_owner;
  w.genesis();
  const std::size_t c = column(w, column_name), tax = column(w, "data_tax");
  EXPECT_LT(c, w.metric_columns().size()) << column_name;
  act_rate a;
  int samples = 0;
  for (step_t step = 1; step <= w.run().steps; ++step) {
    w.step();
    a.data_tax += w.metrics()[tax];
    const double x = w.metrics()[c];
    if (std::isnan(x)) continue;
    a.rate += x;
    ++samples;
  }
  a.rate /= samples;
  a.decisions = per_step * samples;
  return a;
}

// A tolerance of five binomial standard errors at the expected rate (and never below 0.005).
double five_se(double p, double n) { return std::max(0.005, 5 * std::sqrt(p * (1 - p) / n)); }
}  // namespace

TEST(Validation, GivingFollowsTheLogitClosedFormOfTheWarmGlow) {
  // One step, 40,000 citizens, every alignment 1 and every gift 100: dU = 50 - 100 + rebate x 100.
  const double lambda = 0.05, motive = 50, gift = 100;
  double previous = 0;
  for (const double rebate : {0.0, 0.5, 1.0}) {
    const double expected = logistic(lambda, motive - gift + rebate * gift);
    const act_rate a = run_rate("giving.toml", "donation_rate", 40000,
                                {"social_credit.gift_rebate=" + std::to_string(rebate)});
    std::printf("giving: rebate %.1f rate %.4f closed form %.4f (n = %.0f)\n", rebate, a.rate, expected,
                a.decisions);
    EXPECT_NEAR(a.rate, expected, five_se(expected, a.decisions)) << "rebate = " << rebate;
    EXPECT_GT(a.rate, previous) << "giving must rise with the rebate";
    previous = a.rate;
  }
}

TEST(Validation, ConsentFollowsTheLogitClosedFormOfThePrivacyCalculus) {
  // 20 steps x 4,000 citizens deciding afresh: dU = 15 - privacy_cost - 5 (social credit's penalty).
  const double lambda = 0.1, benefit = 15, penalty = 5;
  double previous_rate = 1, previous_tax = std::numeric_limits<double>::infinity();
  for (const double cost : {0.0, 10.0, 20.0}) {
    const double expected = logistic(lambda, benefit - cost - penalty);
    const act_rate a =
        run_rate("consent.toml", "consent_rate", 4000, {"society.privacy_cost=" + std::to_string(cost)});
    std::printf("consent: privacy cost %.0f rate %.4f closed form %.4f (n = %.0f), data tax %.0f\n", cost,
                a.rate, expected, a.decisions, a.data_tax);
    EXPECT_NEAR(a.rate, expected, five_se(expected, a.decisions)) << "privacy_cost = " << cost;
    EXPECT_LT(a.rate, previous_rate);
    EXPECT_LT(a.data_tax, previous_tax) << "fewer consenting customers must mean less data tax";
    previous_rate = a.rate;
    previous_tax = a.data_tax;
  }
}

TEST(Validation, TurnoutFollowsTheLogitClosedFormOfTheCalculusOfVoting) {
  // Every citizen decides every step: dU = p B + D - C = 2 + D - 5.
  const double lambda = 0.5, benefit = 2, cost = 5;
  double previous = 0;
  for (const double duty : {0.0, 3.0, 6.0}) {
    const double expected = logistic(lambda, benefit + duty - cost);
    const act_rate a =
        run_rate("turnout.toml", "turnout", 4000, {"daf.turnout_duty=" + std::to_string(duty)});
    std::printf("turnout: duty %.0f rate %.4f closed form %.4f (n = %.0f)\n", duty, a.rate, expected,
                a.decisions);
    EXPECT_NEAR(a.rate, expected, five_se(expected, a.decisions)) << "duty = " << duty;
    EXPECT_GT(a.rate, previous);
    previous = a.rate;
  }
}

TEST(Validation, FakeAllianceClaimsFollowTheLogitClosedFormOfBecker) {
  // Nobody travels, so all 4,000 citizens decide every step: dU = 50 - q (50 + 50).
  const double lambda = 0.05, worth = 50, penalty = 50;
  double previous = 1;
  for (const double q : {0.0, 0.5, 1.0}) {
    const double expected = logistic(lambda, worth - q * (worth + penalty));
    const act_rate a =
        run_rate("fraud.toml", "fraud_rate", 4000, {"alliance.audit_probability=" + std::to_string(q)});
    std::printf("fraud: audit %.1f rate %.4f closed form %.4f (n = %.0f)\n", q, a.rate, expected,
                a.decisions);
    EXPECT_NEAR(a.rate, expected, five_se(expected, a.decisions)) << "audit = " << q;
    EXPECT_LT(a.rate, previous) << "fake claims must fall as audits rise";
    previous = a.rate;
  }
}
