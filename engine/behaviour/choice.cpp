#include "behaviour/choice.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace civitas::behaviour {

double logit_probability(double lambda, double utility_difference) {
  // Written with the exponential of a non-positive number, so it never overflows.
  const double x = lambda * utility_difference;
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

double imitation_probability(double beta, double payoff_self, double payoff_model) {
  const double gap = payoff_model - payoff_self;
  // beta = infinity times a zero gap is NaN: equal payoffs give a fair coin at any selection strength.
  if (gap == 0) return 0.5;
  return logit_probability(beta, gap);
}

std::uint32_t imitate(std::uint32_t self, std::span<const std::uint32_t> neighbours,
                      std::span<const double> payoffs, double beta, rng_stream& draws) {
  if (neighbours.empty()) return self;
  const std::uint32_t model = neighbours[draws.below(static_cast<std::uint32_t>(neighbours.size()))];
  const double p = imitation_probability(beta, payoffs[self], payoffs[model]);
  return draws.uniform01() < p ? model : self;
}

void reinforce(std::span<double> q, std::size_t chosen, double payoff, double phi, double eps) {
  // Erev & Roth (1998) keep propensities non-negative by shifting payoffs by the smallest possible one; the
  // clamp is the guard for a caller whose shift fell short.
  const double x = std::max(0.0, payoff);
  const double others = q.size() > 1 ? eps / static_cast<double>(q.size() - 1) * x : 0.0;
  const double own = q.size() > 1 ? (1.0 - eps) * x : x;
  for (std::size_t j = 0; j < q.size(); ++j) q[j] = (1.0 - phi) * q[j] + (j == chosen ? own : others);
}

double reinforcement_probability(std::span<const double> q, std::size_t j) {
  const double total = std::accumulate(q.begin(), q.end(), 0.0);
  // No propensity left anywhere (everything forgotten, nothing earned): every action is as likely.
  if (!(total > 0)) return 1.0 / static_cast<double>(q.size());
  return q[j] / total;
}

std::size_t reinforcement_choice(std::span<const double> q, rng_stream& draws) {
  const double total = std::accumulate(q.begin(), q.end(), 0.0);
  const double u = draws.uniform01();
  if (!(total > 0))
    return std::min(q.size() - 1, static_cast<std::size_t>(u * static_cast<double>(q.size())));
  // Summed in the same order as the probabilities, so the draw is a pure function of q and the stream.
  double cumulative = 0;
  for (std::size_t j = 0; j + 1 < q.size(); ++j) {
    cumulative += q[j];
    if (u * total < cumulative) return j;
  }
  return q.size() - 1;
}

}  // namespace civitas::behaviour
