// The one plotting module of the visualiser: every chart (time series, comparison, Lorenz curve, histogram,
// the society's scatter) gets its axes, ticks, labels, legend and hover read-out from here. ImPlot is not
// packaged in Debian bookworm and nothing is vendored, so this draws with ImDrawList.
//
// Two levels:
// - `axes`: a plot rectangle with an x and a y axis ("nice" ticks at 1, 2 or 5 x 10^k, grid, tick labels,
//   axis labels) and the data-to-screen transform, for a panel that draws its own marks (the society).
// - `plot()`: a whole chart of several series (lines, filled bands, bars) with a legend that fits its width,
//   a hover read-out, zoom and pan on x (wheel, drag; double-click resets), and a "log" and a "from 0"
//   toggle for y, whose range is otherwise fitted to the data in view.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace civitas::viz::chart {

// ---- ticks (pure: tested without ImGui) ----

// The "nice" tick step for a span: 1, 2 or 5 x 10^k giving about `target` intervals.
double nice_step(double span, int target);
// Multiples of nice_step(hi - lo, target) within [lo, hi] (a small tolerance keeps the ends).
// Ticks never closer than `min_step` (1 for whole steps: no "week 0.2").
std::vector<double> linear_ticks(double lo, double hi, int target, double min_step = 0);
// Powers of ten within [lo, hi] (both > 0), with 2 and 5 times them when there are fewer than three.
std::vector<double> log_ticks(double lo, double hi);
// A tick label with the decimals `step` needs; values of `magnitude` (the axis's largest |value|) at or
// above 10^4 are written in k, M or G so labels stay short. Writes at most `n` bytes to `out`.
void format_tick(char* out, std::size_t n, double v, double step, double magnitude);

// ---- one axis ----

enum class scale { linear, log10, log1p };  // log1p: log10(1 + v), for amounts that may be 0

struct range {
  double lo = 0, hi = 1;
};

struct axis {
  const char* label = "";  // with its unit: "week", "cash", "share of citizens"
  scale kind = scale::linear;
  range view;           // the data range shown (in data units)
  double min_step = 0;  // linear ticks no closer than this (1: whole steps)
};

// A plot rectangle inside `outer` with margins for tick labels, and its transform.
class axes {
 public:
  axes(ImVec2 outer_min, ImVec2 outer_max, const axis& x, const axis& y);
  ImVec2 to_screen(double x, double y) const;
  // The same from coordinates already transformed by forward() (no log per point in a large scatter).
  ImVec2 to_screen_transformed(double tx, double ty) const;
  double x_at(float screen_x) const;  // data x under a screen x
  double y_at(float screen_y) const;
  // The transformed coordinate (linear in screen space) of a data value, and back.
  static double forward(scale s, double v);
  static double inverse(scale s, double t);
  // Background, grid, ticks and labels.
  void draw(ImDrawList* dl) const;
  ImVec2 min, max;  // the plot rectangle (marks are clipped to it)
  axis x, y;

 private:
  double tx0_, tx1_, ty0_, ty1_;  // transformed view ranges
  bool label_row_ = false;        // the x label on its own row
};

// Ticks of an axis, for its scale (log scales: powers of ten; log1p adds 0).
std::vector<double> ticks_of(const axis& a, int target);

// ---- whole charts ----

enum class mark { line, bars };

struct series {
  std::string_view name;
  std::span<const double> y;
  std::span<const double> x = {};            // empty: sample i is at options.x0 + i * options.dx
  std::span<const double> lo = {}, hi = {};  // a band filled between lo and hi (same length as y)
  mark kind = mark::line;
  ImU32 color = 0;  // 0: the palette colour of its position
};

struct options {
  const char* x_label = "step";
  const char* y_label = "";
  const char* hover_x = nullptr;  // read-out name of x ("week"); null: x_label
  double x0 = 0, dx = 1;          // x of sample i of series without x: x0 + i * dx (bars: left edge)
  double x_min_span = 0;          // x spans at least x0 .. x0 + this (a live run: its planned steps)
  bool x_integer = false;         // x ticks on whole numbers (steps)
  bool x_zoom = true;             // wheel zooms x about the mouse, drag pans, double-click resets
  bool y_toggles = true;          // "from 0" and "log" checkboxes above the chart
  bool from_zero = false;         // initial state of "from 0"
  bool legend = true;
  std::optional<range> x_fixed, y_fixed;  // fixed ranges (a Lorenz curve: 0..1 on both)
};

// Colour-blind-safe palette (Okabe and Ito), by position.
ImU32 palette(std::size_t i);

// Draws the chart in a `size` box at the cursor (a negative height: fill the space left, less that much).
void plot(const char* id, std::span<const series> all, const options& o, ImVec2 size);

// A legend: coloured swatches and names on rows of `width` at the cursor; a name too long for a row is cut
// with "..." and shown whole on hover. Returns the height used (draw=false only measures).
struct key {
  std::string_view name;
  ImU32 color;
};
float legend(std::span<const key> keys, float width, bool draw = true);

}  // namespace civitas::viz::chart
