// Parameter grids for sweeps: `--grid key=v1,v2,v3` or `--grid key=lo:hi:n` (n evenly spaced values, lo and
// hi included), expanded as a cartesian product or, on request, zipped (the i-th values together).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace civitas::experiment {

struct grid_axis {
  std::string key;                  // dotted scenario path, e.g. "daf.rule"
  std::vector<std::string> values;  // each as TOML text, ready for an override "key=value"
};

// One point of the grid: the overrides that make it, in axis order.
using grid_point = std::vector<std::pair<std::string, std::string>>;

// Parses one --grid argument. Ranges need a numeric parameter; an integer parameter takes only whole values.
// Throws civitas::input_error naming "--grid" and the argument.
grid_axis parse_grid(const std::string& argument);
// "a,b,,c" split at `by` into {"a", "b", "", "c"} (empty parts kept, so a caller can refuse them).
std::vector<std::string> split(const std::string& s, char by);

// Cartesian product (the last axis varies fastest), or the zip of equally long axes (input_error otherwise).
// No axes give one empty point.
std::vector<grid_point> expand_grid(const std::vector<grid_axis>& axes, bool zip);

}  // namespace civitas::experiment
