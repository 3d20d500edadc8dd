#include "experiment/grid.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/error.hpp"
#include "driver/registry.hpp"

namespace civitas::experiment {
namespace {

[[noreturn]] void fail(const std::string& argument, const std::string& message) {
  throw input_error(std::vector<diagnostic>{{"--grid", 0, 0, "'" + argument + "': " + message}});
}

}  // namespace

std::vector<std::string> split(const std::string& s, char by) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == by) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

namespace {

bool parse_double(const std::string& text, double& out) {
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, out);
  return r.ec == std::errc() && r.ptr == end && std::isfinite(out);
}

std::string shortest(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";  // TOML floats need a point
  return s;
}

}  // namespace

grid_axis parse_grid(const std::string& argument) {
  const auto eq = argument.find('=');
  if (eq == std::string::npos || eq == 0) fail(argument, "expected KEY=V1,V2,... or KEY=LO:HI:N");
  grid_axis axis;
  axis.key = argument.substr(0, eq);
  const std::string rest = argument.substr(eq + 1);
  const auto schema = params::list(driver::catalogue());
  const auto param = std::find_if(schema.begin(), schema.end(),
                                  [&](const params::param_info& p) { return p.path == axis.key; });
  if (param == schema.end())
    fail(argument, "no scenario parameter '" + axis.key + "' (see `civitas params`)");
  if (axis.key == "run.seed")
    fail(argument,
         "seeds come from --seed and --replicates (replicate r runs on seed base + r at every point)");

  const auto range = split(rest, ':');
  if (range.size() == 3) {
    double lo = 0, hi = 0, n = 0;
    if (!parse_double(range[0], lo) || !parse_double(range[1], hi) || !parse_double(range[2], n) || n < 1 ||
        n != std::floor(n))
      fail(argument, "a range is LO:HI:N with numbers LO, HI and a whole N >= 1");
    constexpr double max_points = 100000;  // per axis; also keeps the cast below defined
    if (n > max_points) fail(argument, "a range has at most 100000 points");
    const bool integer = param->type == "integer";
    if (!integer && param->type != "float")
      fail(argument, "a range needs a numeric parameter; '" + axis.key + "' is " + param->type);
    const auto count = static_cast<std::size_t>(n);
    for (std::size_t i = 0; i < count; ++i) {
      const double v =
          count == 1 ? lo : lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(count - 1);
      if (integer) {
        if (v != std::floor(v))
          fail(argument, "'" + axis.key + "' is an integer, but the range gives " + shortest(v));
        if (std::fabs(v) >= 9.2e18)
          fail(argument, "the range gives " + shortest(v) + ", beyond 64-bit integers");
        axis.values.push_back(std::to_string(static_cast<long long>(v)));
      } else {
        axis.values.push_back(shortest(v));
      }
    }
  } else {
    axis.values = split(rest, ',');
  }
  std::set<std::string> seen;
  for (const auto& v : axis.values) {
    if (v.empty()) fail(argument, "an empty value");
    if (!seen.insert(v).second) fail(argument, "value '" + v + "' appears twice");
  }
  return axis;
}

std::vector<grid_point> expand_grid(const std::vector<grid_axis>& axes, bool zip) {
  std::vector<grid_point> points;
  if (axes.empty()) return {grid_point{}};
  std::set<std::string> keys;
  for (const auto& a : axes)
    if (!keys.insert(a.key).second)
      throw input_error(
          std::vector<diagnostic>{{"--grid", 0, 0, "'" + a.key + "' has more than one --grid"}});
  if (zip) {
    const std::size_t n = axes[0].values.size();
    for (const auto& a : axes)
      if (a.values.size() != n)
        throw input_error(std::vector<diagnostic>{{"--zip", 0, 0,
                                                   "zipped grids need equally many values ('" + axes[0].key +
                                                       "' has " + std::to_string(n) + ", '" + a.key + "' " +
                                                       std::to_string(a.values.size()) + ")"}});
    for (std::size_t i = 0; i < n; ++i) {
      grid_point p;
      for (const auto& a : axes) p.emplace_back(a.key, a.values[i]);
      points.push_back(std::move(p));
    }
    return points;
  }
  std::vector<std::size_t> index(axes.size(), 0);
  while (true) {
    grid_point p;
    for (std::size_t k = 0; k < axes.size(); ++k) p.emplace_back(axes[k].key, axes[k].values[index[k]]);
    points.push_back(std::move(p));
    std::size_t k = axes.size();
    while (k > 0 && ++index[k - 1] == axes[k - 1].values.size()) index[--k] = 0;
    if (k == 0) break;
  }
  return points;
}

}  // namespace civitas::experiment
