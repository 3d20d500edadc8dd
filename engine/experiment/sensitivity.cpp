#include "experiment/sensitivity.hpp"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/assert.hpp"
#include "core/rng.hpp"

namespace civitas::experiment {
namespace {

// These streams belong to a study, never to a world (they are keyed by the study's seed and drawn outside
// any run), so they need no entry in the registry's list of purposes; the numbers only keep the two apart.
enum class sensitivity_purpose : rng_purpose_code { morris_trajectory = 1001, bootstrap = 1002 };

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The q-quantile of sorted values, interpolating between order statistics (Hyndman & Fan type 7).
double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return nan;
  const double at = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(at));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (at - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// Resample b of n items with replacement, from its own Philox stream (seed; b): any resample can be drawn
// alone, in any order.
void resample(std::size_t n, std::uint64_t seed, unsigned b, std::vector<std::size_t>& picks) {
  rng_stream s(seed, b, 0, sensitivity_purpose::bootstrap);
  picks.resize(n);
  for (auto& p : picks) p = s.below(static_cast<std::uint32_t>(n));
}

// The 95% percentile interval of a statistic's bootstrap values; NaNs are left out.
std::pair<double, double> percentile_95(std::vector<double> values) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  std::sort(values.begin(), values.end());
  return {quantile(values, 0.025), quantile(values, 0.975)};
}

double mean_abs(const std::vector<double>& effects, const std::vector<std::size_t>& picks) {
  if (picks.empty()) return nan;
  double sum = 0;
  for (const std::size_t p : picks) sum += std::fabs(effects[p]);
  return sum / static_cast<double>(picks.size());
}

}  // namespace

morris_design make_morris(std::size_t factors, std::size_t trajectories, unsigned levels,
                          std::uint64_t seed) {
  CIVITAS_ASSERT(factors >= 1 && trajectories >= 1 && levels >= 2 && levels % 2 == 0);
  morris_design d;
  d.factors = factors;
  d.trajectories = trajectories;
  d.levels = levels;
  const unsigned half = levels / 2;  // delta in grid steps
  const auto level = [&](unsigned l) { return static_cast<double>(l) / static_cast<double>(levels - 1); };
  for (std::size_t t = 0; t < trajectories; ++t) {
    rng_stream s(seed, static_cast<std::uint32_t>(t), 0, sensitivity_purpose::morris_trajectory);
    std::vector<std::size_t> order(factors);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = factors; i > 1; --i)  // Fisher-Yates
      std::swap(order[i - 1], order[s.below(static_cast<std::uint32_t>(i))]);
    // Factor i moves between levels low_i and low_i + half, starting at either end: each of its start and
    // end levels is then uniform over the grid.
    std::vector<double> x(factors), other(factors);
    for (std::size_t i = 0; i < factors; ++i) {
      const unsigned low = s.below(half);
      const bool up = (s.next_u32() & 1u) != 0;
      x[i] = level(up ? low : low + half);
      other[i] = level(up ? low + half : low);
    }
    d.points.push_back(x);
    d.moved.push_back(factors);
    for (const std::size_t i : order) {
      x[i] = other[i];
      d.points.push_back(x);
      d.moved.push_back(i);
    }
  }
  return d;
}

std::vector<morris_index> morris_indices(const morris_design& d, std::span<const double> outputs,
                                         std::uint64_t seed, unsigned resamples) {
  CIVITAS_ASSERT(outputs.size() == d.points.size());
  std::vector<std::vector<double>> effects(d.factors);  // [factor][trajectory], finite ones only
  for (std::size_t row = 1; row < d.points.size(); ++row) {
    const std::size_t i = d.moved[row];
    if (i >= d.factors) continue;  // a trajectory's first point
    const double ee = (outputs[row] - outputs[row - 1]) / (d.points[row][i] - d.points[row - 1][i]);
    if (std::isfinite(ee)) effects[i].push_back(ee);
  }
  std::vector<morris_index> out;
  for (std::size_t i = 0; i < d.factors; ++i) {
    const auto& e = effects[i];
    morris_index m;
    if (e.empty()) {
      m.mu = m.mu_star = m.sigma = m.mu_star_low = m.mu_star_high = nan;
      out.push_back(m);
      continue;
    }
    const double n = static_cast<double>(e.size());
    m.mu = std::accumulate(e.begin(), e.end(), 0.0) / n;
    std::vector<std::size_t> all(e.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    m.mu_star = mean_abs(e, all);
    double ss = 0;
    for (const double v : e) ss += (v - m.mu) * (v - m.mu);
    m.sigma = e.size() > 1 ? std::sqrt(ss / (n - 1)) : nan;
    // One stream family per factor (seed + i), so adding a factor leaves the others' intervals alone.
    std::vector<double> boot;
    std::vector<std::size_t> picks;
    for (unsigned b = 0; b < resamples; ++b) {
      resample(e.size(), seed + i, b, picks);
      boot.push_back(mean_abs(e, picks));
    }
    std::tie(m.mu_star_low, m.mu_star_high) = percentile_95(std::move(boot));
    out.push_back(m);
  }
  return out;
}

saltelli_design make_saltelli(std::size_t factors, std::size_t samples) {
  CIVITAS_ASSERT(factors >= 1 && 2 * factors <= 3667 && samples >= 1);
  saltelli_design d;
  d.factors = factors;
  d.samples = samples;
  boost::random::sobol sequence(2 * factors);
  std::vector<double> ab(2 * factors);
  for (std::size_t j = 0; j < samples; ++j) {
    // 64-bit integers to [0, 1): exact for the first 2^53 points of the sequence.
    for (auto& v : ab) v = static_cast<double>(sequence() >> 11) * 0x1.0p-53;
    const std::vector<double> a(ab.begin(), ab.begin() + static_cast<std::ptrdiff_t>(factors));
    const std::vector<double> b(ab.begin() + static_cast<std::ptrdiff_t>(factors), ab.end());
    d.points.push_back(a);
    d.points.push_back(b);
    for (std::size_t i = 0; i < factors; ++i) {
      std::vector<double> a_b = a;
      a_b[i] = b[i];
      d.points.push_back(std::move(a_b));
    }
  }
  return d;
}

std::vector<sobol_index> sobol_indices(std::size_t factors, std::span<const double> outputs,
                                       std::uint64_t seed, unsigned resamples) {
  const std::size_t stride = factors + 2;
  CIVITAS_ASSERT(factors >= 1 && outputs.size() % stride == 0);
  const std::size_t n = outputs.size() / stride;
  const auto y_a = [&](std::size_t j) { return outputs[j * stride]; };
  const auto y_b = [&](std::size_t j) { return outputs[j * stride + 1]; };
  const auto y_ab = [&](std::size_t i, std::size_t j) { return outputs[j * stride + 2 + i]; };

  // S1 and ST of factor i over the picked base samples (all of them, or a bootstrap resample).
  struct pair {
    double s1, st;
  };
  const auto estimate = [&](std::size_t i, const std::vector<std::size_t>& picks) -> pair {
    const double m = static_cast<double>(picks.size());
    double sum = 0;
    for (const std::size_t j : picks) sum += y_a(j) + y_b(j);
    const double mean = sum / (2 * m);
    // Deviations from the mean (two passes): a metric of size 1e7 varying by 1e3 keeps its digits.
    double squares = 0, first = 0, total = 0;
    for (const std::size_t j : picks) {
      const double a = y_a(j) - mean, b = y_b(j) - mean, a_b = y_ab(i, j) - mean;
      squares += a * a + b * b;
      first += b * (a_b - a);
      total += (a - a_b) * (a - a_b);
    }
    const double variance = squares / (2 * m);
    if (!(variance > 0) || !std::isfinite(variance)) return {nan, nan};
    return {first / m / variance, total / (2 * m) / variance};
  };

  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  std::vector<sobol_index> out;
  for (std::size_t i = 0; i < factors; ++i) {
    const pair p = estimate(i, all);
    sobol_index s;
    s.s1 = p.s1;
    s.st = p.st;
    // The same resamples (seed + i) for S1 and ST, so the two intervals describe the same uncertainty.
    std::vector<double> s1, st;
    std::vector<std::size_t> picks;
    for (unsigned b = 0; b < resamples && std::isfinite(p.s1); ++b) {
      resample(n, seed + i, b, picks);
      const pair q = estimate(i, picks);
      s1.push_back(q.s1);
      st.push_back(q.st);
    }
    std::tie(s.s1_low, s.s1_high) = percentile_95(std::move(s1));
    std::tie(s.st_low, s.st_high) = percentile_95(std::move(st));
    out.push_back(s);
  }
  return out;
}

double scale_unit(double u, double lo, double hi, bool integer) {
  if (!integer) return lo + u * (hi - lo);
  return std::min(hi, lo + std::floor(u * (hi - lo + 1)));
}

}  // namespace civitas::experiment
