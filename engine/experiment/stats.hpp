// Honest statistics across replicates: mean with a Student-t 95% confidence interval, and whether two
// groups' intervals separate (the comparison's "differs" flag: conservative, no multiple-test correction).
#pragma once

#include <cstddef>
#include <span>

namespace civitas::experiment {

struct interval {
  double mean = 0;
  double half_width = 0;  // NaN with fewer than two values
  std::size_t n = 0;      // finite values used (NaNs are skipped)
  double low() const { return mean - half_width; }
  double high() const { return mean + half_width; }
};

// The 0.975 quantile of Student's t with `df` degrees of freedom (df >= 1), from Boost.Math.
double t_quantile_975(std::size_t df);

// Mean and 95% CI half-width t_{0.975, n-1} s / sqrt(n) of the finite values.
interval mean_ci(std::span<const double> values);

// True when both intervals are defined and do not overlap.
bool separated(const interval& a, const interval& b);

}  // namespace civitas::experiment
