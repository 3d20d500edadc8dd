// Inequality of a distribution of integer holdings (docs/domain.md §6, "Inequality").
//
//   Gini G = sum_i (2i - N - 1) x_(i) / (N sum x), i = 1..N over ascending x (0 when sum x = 0)
//   top share(f)    = share of the total held by the richest round(f N) holders
//   bottom share(f) = share held by the poorest round(f N)
//   variance of x / mean(x) = N sum x^2 / (sum x)^2 - 1
// Sums are exact (128-bit integers) and taken in sorted order, so results never depend on threads.
#pragma once

#include <span>
#include <utility>
#include <vector>

#include "core/types.hpp"

namespace civitas::scoring {

double gini_sorted(std::span<const amount_t> ascending);
double top_share_sorted(std::span<const amount_t> ascending, double fraction);
double bottom_share_sorted(std::span<const amount_t> ascending, double fraction);
double normalised_variance(std::span<const amount_t> values);
// `points` + 1 points (population share, wealth share) from (0, 0) to (1, 1).
std::vector<std::pair<double, double>> lorenz_sorted(std::span<const amount_t> ascending, std::size_t points);

struct distribution_summary {
  double gini = 0;
  double top10_share = 0;
  double bottom50_share = 0;
  double mean = 0;
  double normalised_variance = 0;  // variance of x / mean(x)
  double max = 0;
  double zero_share = 0;  // share of holders with exactly 0
};

// The q-quantile (0 <= q <= 1) of the finite values, interpolating linearly between order statistics
// (Hyndman & Fan type 7, NumPy's default): x_(floor(h)) + (h - floor(h)) (x_(floor(h)+1) - x_(floor(h))),
// h = (n - 1) q. NaN when there is no finite value.
double quantile(std::vector<double> values, double q);

// Sorts `values` (radix sort for non-negative holdings; the sorted result is unique) and summarises them.
distribution_summary summarize(std::vector<amount_t> values);

}  // namespace civitas::scoring
