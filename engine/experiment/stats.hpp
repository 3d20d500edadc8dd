// Honest statistics across replicates: mean with a Student-t 95% confidence interval; paired differences
// between two groups run on common seeds (paired t-test, Holm's correction across a family of tests,
// minimum detectable difference and the replicates needed). All from Boost.Math's Student t.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

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

// The paired difference b − a over pairs (a[i], b[i]) where both are finite: replicate i of two groups run
// with the same seed, so the seed's own variation cancels (common random numbers).
struct paired_difference {
  interval diff;              // mean of b − a with its 95% CI
  double sd = 0;              // standard deviation of the differences (NaN with fewer than two pairs)
  double p_value = 0;         // two-sided paired t-test of mean 0 (NaN when undefined)
  double p_adjusted = 0;      // after Holm's correction over its family (set by holm())
  bool significant = false;   // p_adjusted < alpha (set by holm())
  double min_detectable = 0;  // the smallest |difference| detected with 80% power at 5%, with these pairs
  std::size_t replicates_needed = 0;  // pairs to detect the observed difference so (0: undefined or > cap)
};

paired_difference paired_test(std::span<const double> a, std::span<const double> b);

// Holm's step-down correction (Holm 1979) over a family of tests at level alpha: fills p_adjusted and
// significant. Tests with an undefined p-value are left out of the family (and not significant).
void holm(std::span<paired_difference* const> family, double alpha = 0.05);

// Minimum detectable difference of a paired t-test with n pairs and difference standard deviation sd:
// (t_{1−α/2, n−1} + t_{power, n−1}) · sd / √n (the usual normal-approximation power formula with t
// quantiles). NaN for n < 2.
double min_detectable_difference(double sd, std::size_t n, double alpha = 0.05, double power = 0.8);

// The smallest n ≥ 2 whose minimum detectable difference is at most |effect| (0 when effect is 0 or not
// finite, or when more than `cap` pairs would be needed).
std::size_t replicates_for(double effect, double sd, double alpha = 0.05, double power = 0.8,
                           std::size_t cap = 100000);

}  // namespace civitas::experiment
