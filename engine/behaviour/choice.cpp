#include "behaviour/choice.hpp"

#include <cmath>

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

}  // namespace civitas::behaviour
