#include "experiment/stats.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace civitas::experiment {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double t_quantile(double probability, std::size_t df) {
  const boost::math::students_t dist(static_cast<double>(df));
  return boost::math::quantile(dist, probability);
}

}  // namespace

double t_quantile_975(std::size_t df) { return t_quantile(0.975, df); }

interval mean_ci(std::span<const double> values) {
  interval r;
  double sum = 0;
  for (const double v : values)
    if (std::isfinite(v)) {
      sum += v;
      ++r.n;
    }
  if (r.n == 0) {
    r.mean = r.half_width = nan;
    return r;
  }
  r.mean = sum / static_cast<double>(r.n);
  if (r.n < 2) {
    r.half_width = nan;
    return r;
  }
  double ss = 0;
  for (const double v : values)
    if (std::isfinite(v)) ss += (v - r.mean) * (v - r.mean);
  const double sd = std::sqrt(ss / static_cast<double>(r.n - 1));
  r.half_width = t_quantile_975(r.n - 1) * sd / std::sqrt(static_cast<double>(r.n));
  return r;
}

bool separated(const interval& a, const interval& b) {
  if (!std::isfinite(a.half_width) || !std::isfinite(b.half_width)) return false;
  return a.high() < b.low() || b.high() < a.low();
}

paired_difference paired_test(std::span<const double> a, std::span<const double> b) {
  std::vector<double> d;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i])) d.push_back(b[i] - a[i]);
  paired_difference r;
  r.diff = mean_ci(d);
  r.p_adjusted = nan;
  const std::size_t n = d.size();
  if (n < 2) {
    r.sd = r.p_value = r.min_detectable = nan;
    return r;
  }
  double ss = 0;
  for (const double v : d) ss += (v - r.diff.mean) * (v - r.diff.mean);
  r.sd = std::sqrt(ss / static_cast<double>(n - 1));
  if (r.sd == 0) {
    // Every pair differs by the same amount: no doubt about a non-zero difference, none about a zero one.
    r.p_value = r.diff.mean == 0 ? 1.0 : 0.0;
  } else {
    const double t = r.diff.mean / (r.sd / std::sqrt(static_cast<double>(n)));
    const boost::math::students_t dist(static_cast<double>(n - 1));
    r.p_value = std::min(1.0, 2 * boost::math::cdf(boost::math::complement(dist, std::abs(t))));
  }
  r.min_detectable = min_detectable_difference(r.sd, n);
  r.replicates_needed = replicates_for(r.diff.mean, r.sd);
  return r;
}

void holm(std::span<paired_difference* const> family, double alpha) {
  std::vector<paired_difference*> tests;
  for (paired_difference* t : family) {
    t->significant = false;
    t->p_adjusted = nan;
    if (std::isfinite(t->p_value)) tests.push_back(t);
  }
  // Stable, so equal p-values keep the family's order and the result does not depend on the sort.
  std::stable_sort(tests.begin(), tests.end(), [](const paired_difference* x, const paired_difference* y) {
    return x->p_value < y->p_value;
  });
  const std::size_t m = tests.size();
  double running = 0;  // adjusted p-values are monotone in rank
  bool rejecting = true;
  for (std::size_t k = 0; k < m; ++k) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - k) * tests[k]->p_value));
    tests[k]->p_adjusted = running;
    rejecting = rejecting && tests[k]->p_value <= alpha / static_cast<double>(m - k);
    tests[k]->significant = rejecting;
  }
}

double min_detectable_difference(double sd, std::size_t n, double alpha, double power) {
  if (n < 2 || !std::isfinite(sd)) return nan;
  const std::size_t df = n - 1;
  return (t_quantile(1 - alpha / 2, df) + t_quantile(power, df)) * sd / std::sqrt(static_cast<double>(n));
}

std::size_t replicates_for(double effect, double sd, double alpha, double power, std::size_t cap) {
  if (!std::isfinite(effect) || effect == 0 || !std::isfinite(sd)) return 0;
  if (sd == 0) return 2;
  // The detectable difference shrinks with n: find the first n that reaches |effect| by doubling, then
  // bisection (each step is two quantiles, so this stays cheap even at the cap).
  const auto enough = [&](std::size_t n) {
    return min_detectable_difference(sd, n, alpha, power) <= std::abs(effect);
  };
  std::size_t hi = 2;
  while (!enough(hi)) {
    if (hi >= cap) return 0;
    hi = std::min(cap, hi * 2);
  }
  std::size_t lo = hi / 2 < 2 ? 1 : hi / 2;  // enough(lo) is false (or lo < 2)
  while (hi - lo > 1) {
    const std::size_t mid = lo + (hi - lo) / 2;
    (enough(mid) ? hi : lo) = mid;
  }
  return hi;
}

}  // namespace civitas::experiment
