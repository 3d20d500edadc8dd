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

}  // namespace civitas::behaviour
