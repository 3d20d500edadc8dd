// The imitation rule (Fermi / pairwise comparison): its probability in closed form and its limits, and the
// frequency with which an agent copies each neighbour over many independent streams; the Roth-Erev
// reinforcement rule: its update on a worked example, learning the better arm, and determinism.
#include "behaviour/choice.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

using namespace civitas;
using behaviour::imitate;
using behaviour::imitation_probability;

TEST(Imitation, ProbabilityIsTheFermiFunctionOfThePayoffGap) {
  for (const double gap : {-7.0, -1.0, 0.5, 3.0})
    EXPECT_NEAR(imitation_probability(0.3, 10.0, 10.0 + gap), 1 / (1 + std::exp(-0.3 * gap)), 1e-15) << gap;
  // A better-paid model is copied more often than not, a worse-paid one less.
  EXPECT_GT(imitation_probability(0.3, 0, 1), 0.5);
  EXPECT_LT(imitation_probability(0.3, 1, 0), 0.5);
}

TEST(Imitation, NoSelectionIsAFairCoin) {
  for (const double gap : {-1e9, -3.0, 0.0, 2.0, 1e9})
    EXPECT_EQ(imitation_probability(0, 0, gap), 0.5) << gap;
}

TEST(Imitation, StrongSelectionIsAStep) {
  const double inf = std::numeric_limits<double>::infinity();
  for (const double beta : {1e6, inf}) {
    EXPECT_EQ(imitation_probability(beta, 0, 1), 1.0) << beta;
    EXPECT_EQ(imitation_probability(beta, 1, 0), 0.0) << beta;
    EXPECT_EQ(imitation_probability(beta, 4, 4), 0.5) << beta;  // equal payoffs: still a coin, never NaN
  }
  EXPECT_EQ(imitation_probability(1, 0, 1e6), 1.0);  // no overflow
  EXPECT_EQ(imitation_probability(1, 1e6, 0), 0.0);
}

TEST(Imitation, WithoutNeighboursAnAgentKeepsItsStrategy) {
  const std::vector<double> payoffs{0, 100};
  rng_stream draws(1, 0, 1, rng_purpose::model);
  EXPECT_EQ(imitate(0, {}, payoffs, 1.0, draws), 0u);
}

TEST(Imitation, CopiesEachNeighbourAtTheRuleFrequency) {
  // Agent 0 (payoff 0) with neighbours 1, 2, 3 (payoffs 4, 0, -2): it picks each with chance 1/3 and copies
  // it with the Fermi probability, so P(copy j) = fermi(gap_j) / 3.
  const std::vector<double> payoffs{0, 4, 0, -2};
  const std::array<std::uint32_t, 3> neighbours{1, 2, 3};
  const double beta = 0.5;
  constexpr int draws_total = 200'000;
  std::array<int, 4> adopted{};
  for (int i = 0; i < draws_total; ++i) {
    rng_stream draws(42, static_cast<std::uint32_t>(i), 3, rng_purpose::model);
    ++adopted[imitate(0, neighbours, payoffs, beta, draws)];
  }
  double keep = 1;
  for (std::uint32_t j = 1; j <= 3; ++j) {
    const double p = imitation_probability(beta, payoffs[0], payoffs[j]) / 3;
    keep -= p;
    const double sd = std::sqrt(p * (1 - p) / draws_total);
    EXPECT_NEAR(adopted[j] / double(draws_total), p, 5 * sd) << "neighbour " << j;
  }
  EXPECT_NEAR(adopted[0] / double(draws_total), keep, 5 * std::sqrt(keep * (1 - keep) / draws_total));
}

TEST(Imitation, IsAPureFunctionOfItsStream) {
  const std::vector<double> payoffs{1, 2, 3};
  const std::array<std::uint32_t, 2> neighbours{1, 2};
  for (std::uint32_t agent = 0; agent < 100; ++agent) {
    rng_stream a(9, agent, 5, rng_purpose::model), b(9, agent, 5, rng_purpose::model);
    EXPECT_EQ(imitate(0, neighbours, payoffs, 0.7, a), imitate(0, neighbours, payoffs, 0.7, b));
  }
}

// ---- Roth-Erev reinforcement (Roth & Erev 1995; Erev & Roth 1998) ----
using behaviour::reinforce;
using behaviour::reinforcement_choice;
using behaviour::reinforcement_probability;

TEST(Reinforcement, UpdateIsTheRothErevFormulaOnAWorkedExample) {
  // Three actions q = (2, 1, 1), action 0 played for payoff 10, phi = 0.1, eps = 0.2:
  //   q0 = 0.9 * 2 + 0.8 * 10 = 9.8;  q1 = q2 = 0.9 * 1 + 0.2 / 2 * 10 = 1.9;  P(0) = 9.8 / 13.6.
  std::array<double, 3> q{2, 1, 1};
  reinforce(q, 0, 10, 0.1, 0.2);
  EXPECT_DOUBLE_EQ(q[0], 9.8);
  EXPECT_DOUBLE_EQ(q[1], 1.9);
  EXPECT_DOUBLE_EQ(q[2], 1.9);
  EXPECT_DOUBLE_EQ(reinforcement_probability(q, 0), 9.8 / 13.6);
  // A negative payoff (the caller's shift fell short) reinforces nothing: only forgetting acts.
  std::array<double, 2> r{4, 2};
  reinforce(r, 1, -5, 0.5, 0.2);
  EXPECT_DOUBLE_EQ(r[0], 2);
  EXPECT_DOUBLE_EQ(r[1], 1);
  // One action gets the whole payoff; nothing left anywhere is a uniform choice.
  std::array<double, 1> one{1};
  reinforce(one, 0, 3, 0, 0.2);
  EXPECT_DOUBLE_EQ(one[0], 4);
  const std::array<double, 4> none{};
  EXPECT_DOUBLE_EQ(reinforcement_probability(none, 2), 0.25);
}

TEST(Reinforcement, WithoutForgettingOrExperimentationTheBetterActionGainsMonotonically) {
  // phi = 0, eps = 0. Playing a worse action that still pays something lowers P(better) on that path, so
  // monotonicity holds in expectation: action 0 pays 2, action 1 pays 1, and the expected P(0) after one
  // update, p (q0 + 2) / (S + 2) + (1 - p) q0 / (S + 1), exceeds p = q0 / S in every state on a grid.
  for (const double q0 : {0.1, 1.0, 5.0, 40.0})
    for (const double q1 : {0.1, 1.0, 5.0, 40.0}) {
      const std::array<double, 2> q{q0, q1};
      const double p = reinforcement_probability(q, 0);
      std::array<double, 2> after0 = q, after1 = q;
      reinforce(after0, 0, 2, 0, 0);
      reinforce(after1, 1, 1, 0, 0);
      const double expected =
          p * reinforcement_probability(after0, 0) + (1 - p) * reinforcement_probability(after1, 0);
      EXPECT_GT(expected, p) << q0 << ", " << q1;
    }
  // Pathwise when the other action pays nothing: P(0) never falls, whichever action is drawn.
  std::array<double, 2> q{1, 1};
  double previous = reinforcement_probability(q, 0);
  for (std::uint32_t t = 0; t < 500; ++t) {
    rng_stream draws(7, 0, t, rng_purpose::model);
    const std::size_t k = reinforcement_choice(q, draws);
    reinforce(q, k, k == 0 ? 1.0 : 0.0, 0, 0);
    const double now = reinforcement_probability(q, 0);
    EXPECT_GE(now, previous) << "step " << t;
    previous = now;
  }
  EXPECT_GT(previous, 0.9);
}

// The mean over agents of P(better arm) after `updates` plays of a two-armed bandit paying 1 and 0.5,
// phi = 0, eps = 0, initial propensities 1 (each agent its own stream).
double bandit_probability(int agents, std::uint32_t updates) {
  double sum = 0;
  for (int a = 0; a < agents; ++a) {
    std::array<double, 2> q{1, 1};
    for (std::uint32_t t = 0; t < updates; ++t) {
      rng_stream draws(11, static_cast<std::uint32_t>(a), t, rng_purpose::model);
      const std::size_t k = reinforcement_choice(q, draws);
      reinforce(q, k, k == 0 ? 1.0 : 0.5, 0, 0);
    }
    sum += reinforcement_probability(q, 0);
  }
  return sum / agents;
}

TEST(Reinforcement, ATwoArmedBanditLearnsTheBetterArm) {
  const double p = bandit_probability(200, 1000);
  RecordProperty("p_better_after_1000", std::to_string(p));
  std::printf("two-armed bandit (1 vs 0.5), phi = eps = 0: mean P(better) after 1000 updates = %.4f\n", p);
  EXPECT_GT(p, 0.8);
}

TEST(Reinforcement, ChoiceDrawsAtTheRuleFrequency) {
  const std::array<double, 3> q{1, 3, 6};
  constexpr int total = 200'000;
  std::array<int, 3> played{};
  for (int i = 0; i < total; ++i) {
    rng_stream draws(5, static_cast<std::uint32_t>(i), 1, rng_purpose::model);
    ++played[reinforcement_choice(q, draws)];
  }
  for (std::size_t j = 0; j < 3; ++j) {
    const double p = reinforcement_probability(q, j);
    EXPECT_NEAR(played[j] / double(total), p, 5 * std::sqrt(p * (1 - p) / total)) << j;
  }
}

TEST(Reinforcement, IsAPureFunctionOfItsStream) {
  for (std::uint32_t agent = 0; agent < 50; ++agent) {
    std::array<double, 2> a{1, 1}, b{1, 1};
    for (std::uint32_t t = 0; t < 50; ++t) {
      rng_stream da(3, agent, t, rng_purpose::model), db(3, agent, t, rng_purpose::model);
      const std::size_t ka = reinforcement_choice(a, da), kb = reinforcement_choice(b, db);
      ASSERT_EQ(ka, kb);
      reinforce(a, ka, ka == 0 ? 1.0 : 0.3, 0.1, 0.2);
      reinforce(b, kb, kb == 0 ? 1.0 : 0.3, 0.1, 0.2);
    }
    EXPECT_EQ(a, b);  // bit for bit
  }
}
