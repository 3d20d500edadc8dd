// The imitation rule (Fermi / pairwise comparison): its probability in closed form and its limits, and the
// frequency with which an agent copies each neighbour over many independent streams.
#include "behaviour/choice.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
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
