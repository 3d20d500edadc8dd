#include "experiment/stats.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace civitas::experiment {

double t_quantile_975(std::size_t df) {
  const boost::math::students_t dist(static_cast<double>(df));
  return boost::math::quantile(dist, 0.975);
}

interval mean_ci(std::span<const double> values) {
  interval r;
  double sum = 0;
  for (const double v : values)
    if (std::isfinite(v)) {
      sum += v;
      ++r.n;
    }
  if (r.n == 0) {
    r.mean = r.half_width = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  r.mean = sum / static_cast<double>(r.n);
  if (r.n < 2) {
    r.half_width = std::numeric_limits<double>::quiet_NaN();
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

}  // namespace civitas::experiment
