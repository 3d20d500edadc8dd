#include "scoring/inequality.hpp"

#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace civitas::scoring {
namespace {
__extension__ using wide = __int128;  // exact sums of 64-bit holdings

wide sum_of(std::span<const amount_t> v) {
  wide s = 0;
  for (const amount_t x : v) s += x;
  return s;
}

// Holdings are non-negative integers of modest size, so an LSD radix sort on 16-bit digits (one or two
// passes in practice) beats a comparison sort several times over at 10^6 agents. Negative values (never
// in a holdings distribution, but allowed) fall back to a parallel comparison sort.
void sort_amounts(std::vector<amount_t>& v) {
  if (v.size() < 4096 || *std::min_element(v.begin(), v.end()) < 0) {
    tbb::parallel_sort(v.begin(), v.end());
    return;
  }
  const auto top = static_cast<std::uint64_t>(*std::max_element(v.begin(), v.end()));
  std::vector<amount_t> scratch(v.size());
  for (unsigned shift = 0; shift < 64 && (top >> shift) != 0; shift += 16) {
    std::vector<std::size_t> start(65537, 0);
    for (const amount_t x : v) ++start[((static_cast<std::uint64_t>(x) >> shift) & 0xffff) + 1];
    for (std::size_t d = 1; d < start.size(); ++d) start[d] += start[d - 1];
    for (const amount_t x : v) scratch[start[(static_cast<std::uint64_t>(x) >> shift) & 0xffff]++] = x;
    v.swap(scratch);
  }
}

std::size_t count_of(std::size_t n, double fraction) {
  return std::min(n, static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n))));
}
}  // namespace

double gini_sorted(std::span<const amount_t> x) {
  const wide n = static_cast<wide>(x.size());
  const wide total = sum_of(x);
  if (x.empty() || total == 0) return 0.0;
  wide weighted = 0;
  for (std::size_t i = 0; i < x.size(); ++i) weighted += (2 * static_cast<wide>(i + 1) - n - 1) * x[i];
  return static_cast<double>(weighted) / (static_cast<double>(n) * static_cast<double>(total));
}

double top_share_sorted(std::span<const amount_t> x, double fraction) {
  const wide total = sum_of(x);
  if (total == 0) return 0.0;
  const std::size_t k = count_of(x.size(), fraction);
  return static_cast<double>(sum_of(x.subspan(x.size() - k))) / static_cast<double>(total);
}

double bottom_share_sorted(std::span<const amount_t> x, double fraction) {
  const wide total = sum_of(x);
  if (total == 0) return 0.0;
  const std::size_t k = count_of(x.size(), fraction);
  return static_cast<double>(sum_of(x.subspan(0, k))) / static_cast<double>(total);
}

double normalised_variance(std::span<const amount_t> x) {
  const wide total = sum_of(x);
  if (x.empty() || total == 0) return 0.0;
  wide squares = 0;
  for (const amount_t v : x) squares += static_cast<wide>(v) * v;
  const double n = static_cast<double>(x.size());
  return n * static_cast<double>(squares) / (static_cast<double>(total) * static_cast<double>(total)) - 1.0;
}

std::vector<std::pair<double, double>> lorenz_sorted(std::span<const amount_t> x, std::size_t points) {
  std::vector<std::pair<double, double>> out;
  if (points == 0) points = 1;
  const wide total = sum_of(x);
  wide running = 0;
  std::size_t i = 0;
  for (std::size_t p = 0; p <= points; ++p) {
    const std::size_t upto = x.size() * p / points;
    for (; i < upto; ++i) running += x[i];
    const double pop = static_cast<double>(p) / static_cast<double>(points);
    const double share = total == 0 ? pop : static_cast<double>(running) / static_cast<double>(total);
    out.emplace_back(pop, share);
  }
  return out;
}

double quantile(std::vector<double> values, double q) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double h = static_cast<double>(values.size() - 1) * std::clamp(q, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

distribution_summary summarize(std::vector<amount_t> values) {
  sort_amounts(values);
  distribution_summary s;
  if (values.empty()) return s;
  s.gini = gini_sorted(values);
  s.top10_share = top_share_sorted(values, 0.1);
  s.bottom50_share = bottom_share_sorted(values, 0.5);
  s.mean = static_cast<double>(sum_of(values)) / static_cast<double>(values.size());
  s.normalised_variance = normalised_variance(values);
  s.max = static_cast<double>(values.back());
  const auto zeros = std::upper_bound(values.begin(), values.end(), amount_t{0}) -
                     std::lower_bound(values.begin(), values.end(), amount_t{0});
  s.zero_share = static_cast<double>(zeros) / static_cast<double>(values.size());
  return s;
}

}  // namespace civitas::scoring
