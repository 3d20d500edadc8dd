// Global sensitivity analysis: designs on the unit cube and the estimators that read a model's outputs at
// them. Pure functions, apart from running anything: a design is a list of points in [0, 1]^k, the caller
// evaluates its model at each (scaled to the parameters' ranges) and hands the outputs back in design
// order. So the estimators are tested on analytic functions (Ishigami) before they are trusted on a society.
//
// Morris elementary effects (Morris 1991, with Campolongo et al. 2007's mu*):
//   r trajectories of k + 1 points on a p-level grid {0, 1/(p-1), ..., 1}; each step of a trajectory moves
//   one factor by delta = p / (2 (p - 1)), factors in a random order, each up or down at random, so every
//   factor's start and end levels are uniform over the grid. The elementary effect of factor i is
//   EE_i = (y(after) - y(before)) / (x_i(after) - x_i(before)), on the unit scale: the change in the output
//   per whole range of the factor. mu = mean EE, mu* = mean |EE|, sigma = sample standard deviation of EE.
//
// Sobol' indices (Saltelli et al. 2010):
//   a 2k-dimensional Sobol' low-discrepancy sequence (boost::random::sobol) gives base matrices A (first k
//   coordinates) and B (last k); A_B^i is A with column i from B. N base samples make N (k + 2) points,
//   laid out per sample j as [A_j, B_j, A_B^1_j, ..., A_B^k_j], so the first m (k + 2) points are the design
//   of m samples. With V the variance of f(A) and f(B) together:
//     S1_i = mean_j f(B)_j (f(A_B^i)_j - f(A)_j) / V                (Saltelli et al. 2010)
//     ST_i = mean_j (f(A)_j - f(A_B^i)_j)^2 / (2 V)                 (Jansen 1999)
//
// Intervals: percentile bootstrap (95%), resampling trajectories (Morris) or base samples (Sobol') with
// replacement. Every resample is drawn from a Philox stream keyed by (seed, resample index), so the
// intervals are a pure function of the outputs and the seed. For a quasi-random design the bootstrap treats
// the samples as independent and so overstates the error: the intervals are conservative.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace civitas::experiment {

// Points of [0, 1]^k, one row each.
using unit_design = std::vector<std::vector<double>>;

struct morris_design {
  std::size_t factors = 0, trajectories = 0;
  unsigned levels = 4;
  unit_design points;  // trajectories * (factors + 1) rows, trajectory t at rows t (k+1) .. t (k+1) + k
  // For every row that is not a trajectory's first: the factor that moved to reach it from the row before.
  std::vector<std::size_t> moved;  // same length as points; factors (out of range) for a first row
};

// `levels` must be even and at least 2 (so a move of delta stays on the grid); k >= 1, r >= 1. Trajectory t
// is drawn from the Philox stream (seed; t), so a design of more trajectories extends one of fewer.
morris_design make_morris(std::size_t factors, std::size_t trajectories, unsigned levels, std::uint64_t seed);

struct morris_index {
  double mu = 0, mu_star = 0, sigma = 0;     // sigma is NaN with one trajectory
  double mu_star_low = 0, mu_star_high = 0;  // 95% bootstrap interval of mu*
};

// One output per design point, in design order. Non-finite elementary effects are left out.
std::vector<morris_index> morris_indices(const morris_design& d, std::span<const double> outputs,
                                         std::uint64_t seed, unsigned resamples = 1000);

struct saltelli_design {
  std::size_t factors = 0, samples = 0;
  unit_design points;  // samples * (factors + 2) rows, laid out as above
};

// k >= 1 and 2k <= 3667 (the dimensions of Boost's Sobol' table); the sequence's leading zero is skipped.
saltelli_design make_saltelli(std::size_t factors, std::size_t samples);

struct sobol_index {
  double s1 = 0, s1_low = 0, s1_high = 0;  // first order, 95% bootstrap interval
  double st = 0, st_low = 0, st_high = 0;  // total
};

// One output per design point, in design order. All NaN if the outputs do not vary (V = 0) or one is not
// finite.
std::vector<sobol_index> sobol_indices(std::size_t factors, std::span<const double> outputs,
                                       std::uint64_t seed, unsigned resamples = 1000);

// A unit coordinate on [lo, hi]: lo + u (hi - lo); for a whole-number parameter the range is cut into
// hi - lo + 1 equal bins, one per value, so each value is as likely as any other.
double scale_unit(double u, double lo, double hi, bool integer);

}  // namespace civitas::experiment
