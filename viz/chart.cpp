#include "viz/chart.hpp"

#include <imgui_internal.h>  // LogRenderedText: chart text reaches ImGui's log, so tests can read it

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace civitas::viz::chart {

namespace {
constexpr ImU32 text_color = IM_COL32(210, 210, 210, 255);
constexpr ImU32 grid_color = IM_COL32(255, 255, 255, 28);
constexpr ImU32 axis_color = IM_COL32(150, 150, 150, 255);
constexpr ImU32 background = IM_COL32(25, 25, 30, 255);
constexpr float tick_length = 4;

ImU32 with_alpha(ImU32 c, int alpha) { return (c & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << 24); }

// Text drawn on a chart, also written to ImGui's log when one is open (as widgets' text is), so a headless
// test can read the labels a person would see.
void text(ImDrawList* dl, ImVec2 at, ImU32 color, const char* begin, const char* end = nullptr) {
  dl->AddText(at, color, begin, end);
  if (ImGui::GetCurrentContext()->LogEnabled) ImGui::LogRenderedText(&at, begin, end);
}
}  // namespace

ImU32 palette(std::size_t i) {
  static const ImU32 colors[] = {IM_COL32(86, 180, 233, 255),  IM_COL32(230, 159, 0, 255),
                                 IM_COL32(0, 158, 115, 255),   IM_COL32(240, 228, 66, 255),
                                 IM_COL32(204, 121, 167, 255), IM_COL32(213, 94, 0, 255),
                                 IM_COL32(0, 114, 178, 255)};
  return colors[i % (sizeof colors / sizeof colors[0])];
}

// ---- ticks ----

double nice_step(double span, int target) {
  if (!(span > 0) || !std::isfinite(span)) return 1;
  const double raw = span / std::max(1, target);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / power;                               // in [1, 10)
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;  // the nearest nice number (Heckbert)
}

std::vector<double> linear_ticks(double lo, double hi, int target, double min_step) {
  std::vector<double> out;
  if (!(hi > lo)) return out;
  double step = nice_step(hi - lo, target);
  step = std::max(step, min_step);
  const double eps = step * 1e-9;
  for (double k = std::ceil((lo - eps) / step); k * step <= hi + eps && out.size() < 64; ++k)
    out.push_back(std::abs(k * step) < eps ? 0.0 : k * step);  // no "-0"
  return out;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> out;
  if (!(lo > 0) || !(hi > lo)) return out;
  const int first = static_cast<int>(std::ceil(std::log10(lo) - 1e-9)),
            last = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
  // Every power of ten, or every k-th when there are many: at most about 12 labels, which must not collide.
  const int every = std::max(1, (last - first + 11) / 12);
  for (int k = first; k <= last; k += every) out.push_back(std::pow(10.0, k));
  if (out.size() < 3) {  // a narrow range: add 2 and 5 times the powers so the axis still reads
    std::vector<double> more;
    for (int k = first - 1; k <= last; ++k)
      for (const double m : {1.0, 2.0, 5.0}) {
        const double v = m * std::pow(10.0, k);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) more.push_back(v);
      }
    out = std::move(more);
  }
  return out;
}

void format_tick(char* out, std::size_t n, double v, double step, double magnitude) {
  double unit = 1;
  const char* suffix = "";
  if (magnitude >= 1e9)
    unit = 1e9, suffix = "G";
  else if (magnitude >= 1e6)
    unit = 1e6, suffix = "M";
  else if (magnitude >= 1e4)
    unit = 1e3, suffix = "k";
  const double scaled_step = std::abs(step) / unit;
  const int decimals =
      scaled_step > 0 ? std::clamp(static_cast<int>(std::ceil(-std::log10(scaled_step) - 1e-9)), 0, 6) : 0;
  if (std::abs(v) < 1e-12 * std::max(1.0, std::abs(step))) suffix = "", v = 0;  // "0", not "0k" or "-0"
  std::snprintf(out, n, "%.*f%s", decimals, v / unit + 0.0, suffix);
}

std::vector<double> ticks_of(const axis& a, int target) {
  if (a.kind == scale::linear) return linear_ticks(a.view.lo, a.view.hi, target, a.min_step);
  if (a.kind == scale::log10) return log_ticks(std::max(a.view.lo, 1e-300), a.view.hi);
  // log1p: 0 when in view, then powers of ten.
  std::vector<double> out;
  if (a.view.lo <= 0 && a.view.hi >= 0) out.push_back(0);
  for (const double t : log_ticks(std::max(a.view.lo, 1.0), a.view.hi)) out.push_back(t);
  return out;
}

// ---- axes ----

double axes::forward(scale s, double v) {
  switch (s) {
    case scale::log10:
      return std::log10(std::max(v, 1e-300));
    case scale::log1p:
      return std::log10(1 + std::max(v, 0.0));
    default:
      return v;
  }
}

double axes::inverse(scale s, double t) {
  switch (s) {
    case scale::log10:
      return std::pow(10.0, t);
    case scale::log1p:
      return std::pow(10.0, t) - 1;
    default:
      return t;
  }
}

namespace {
// A tick's label: linear ticks share the axis's step and magnitude; a log axis's ticks span decades, so each
// is written at its own magnitude (1, 10, 100, 1k, 10k).
void label_of(char* out, std::size_t n, const axis& a, const std::vector<double>& ticks, double t) {
  if (a.kind != scale::linear) return format_tick(out, n, t, t == 0 ? 1 : t, std::abs(t));
  format_tick(out, n, t, ticks.size() > 1 ? ticks[1] - ticks[0] : 1,
              std::max(std::abs(a.view.lo), std::abs(a.view.hi)));
}
}  // namespace

axes::axes(ImVec2 outer_min, ImVec2 outer_max, const axis& xa, const axis& ya) : x(xa), y(ya) {
  const float line = ImGui::GetTextLineHeight();
  const float top = outer_min.y + (y.label[0] ? line + 2 : 4);
  // A long x label gets a row of its own under the tick labels, which it would otherwise crowd out.
  label_row_ = ImGui::CalcTextSize(x.label).x > 0.35f * (outer_max.x - outer_min.x);
  const float bottom = outer_max.y - (label_row_ ? 2 * line : line) - tick_length - 2;
  // The left margin fits the widest y tick label.
  char buf[32];
  float widest = 0;
  const auto yt = ticks_of(y, std::max(2, static_cast<int>((bottom - top) / 30)));
  for (const double t : yt) {
    label_of(buf, sizeof buf, y, yt, t);
    widest = std::max(widest, ImGui::CalcTextSize(buf).x);
  }
  min = ImVec2(outer_min.x + widest + tick_length + 4, top);
  max = ImVec2(outer_max.x - 8, std::max(top + 10, bottom));
  tx0_ = forward(x.kind, x.view.lo), tx1_ = forward(x.kind, x.view.hi);
  ty0_ = forward(y.kind, y.view.lo), ty1_ = forward(y.kind, y.view.hi);
  if (!(tx1_ > tx0_)) tx1_ = tx0_ + 1;
  if (!(ty1_ > ty0_)) ty1_ = ty0_ + 1;
}

ImVec2 axes::to_screen(double xv, double yv) const {
  return to_screen_transformed(forward(x.kind, xv), forward(y.kind, yv));
}

ImVec2 axes::to_screen_transformed(double tx, double ty) const {
  return ImVec2(min.x + static_cast<float>((tx - tx0_) / (tx1_ - tx0_)) * (max.x - min.x),
                max.y - static_cast<float>((ty - ty0_) / (ty1_ - ty0_)) * (max.y - min.y));
}

double axes::x_at(float sx) const {
  return inverse(x.kind, tx0_ + (tx1_ - tx0_) * static_cast<double>((sx - min.x) / (max.x - min.x)));
}

double axes::y_at(float sy) const {
  return inverse(y.kind, ty0_ + (ty1_ - ty0_) * static_cast<double>((max.y - sy) / (max.y - min.y)));
}

void axes::draw(ImDrawList* dl) const {
  char buf[32];
  const float line = ImGui::GetTextLineHeight();
  dl->AddRectFilled(min, max, background);
  // y: grid and labels right-aligned against the axis.
  const auto yt = ticks_of(y, std::max(2, static_cast<int>((max.y - min.y) / 30)));
  for (const double t : yt) {
    const float sy = to_screen(x.view.lo, t).y;
    if (sy < min.y - 0.5f || sy > max.y + 0.5f) continue;
    dl->AddLine(ImVec2(min.x, sy), ImVec2(max.x, sy), grid_color);
    dl->AddLine(ImVec2(min.x - tick_length, sy), ImVec2(min.x, sy), axis_color);
    label_of(buf, sizeof buf, y, yt, t);
    const ImVec2 ts = ImGui::CalcTextSize(buf);
    text(dl, ImVec2(min.x - tick_length - 2 - ts.x, std::clamp(sy - ts.y / 2, min.y - 2, max.y - ts.y + 2)),
         text_color, buf);
  }
  // x: the axis label at the right end of the tick-label row; tick labels that would overlap it or each
  // other are left out.
  const ImVec2 label_size = ImGui::CalcTextSize(x.label);
  const float row = max.y + tick_length + 1;
  const float label_x = max.x - label_size.x;
  text(dl, ImVec2(label_x, label_row_ ? row + line : row), IM_COL32(170, 200, 230, 255), x.label);
  const auto xt = ticks_of(x, std::max(2, static_cast<int>((max.x - min.x) / 70)));
  float free_from = min.x - 1e9f;
  for (const double t : xt) {
    const float sx = to_screen(t, y.view.lo).x;
    if (sx < min.x - 0.5f || sx > max.x + 0.5f) continue;
    dl->AddLine(ImVec2(sx, min.y), ImVec2(sx, max.y), grid_color);
    dl->AddLine(ImVec2(sx, max.y), ImVec2(sx, max.y + tick_length), axis_color);
    label_of(buf, sizeof buf, x, xt, t);
    const float w = ImGui::CalcTextSize(buf).x;
    const float left = std::clamp(sx - w / 2, min.x - tick_length, max.x + 6 - w);  // the last one fits too
    if (left < free_from || (!label_row_ && left + w > label_x - 6)) continue;
    text(dl, ImVec2(left, row), text_color, buf);
    free_from = left + w + 8;
  }
  dl->AddLine(ImVec2(min.x, max.y), ImVec2(max.x, max.y), axis_color);
  dl->AddLine(ImVec2(min.x, min.y), ImVec2(min.x, max.y), axis_color);
  if (y.label[0])
    text(dl, ImVec2(min.x - tick_length, min.y - line - 2), IM_COL32(170, 200, 230, 255), y.label);
}

// ---- legend ----

float legend(std::span<const key> keys, float width, bool draw) {
  const float line = ImGui::GetTextLineHeight(), swatch = line * 0.7f, gap = 14;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float x = 0, y = 0;
  char cut[128];
  for (const key& k : keys) {
    const char* begin = k.name.data();
    const char* end = begin + k.name.size();
    float w = swatch + 4 + ImGui::CalcTextSize(begin, end).x;
    bool elided = false;
    if (w > width) {  // too long for any row: cut it to fit, with "..."
      std::size_t n = std::min(k.name.size(), sizeof cut - 4);
      do {
        --n;
        std::snprintf(cut, sizeof cut, "%.*s...", static_cast<int>(n), begin);
        w = swatch + 4 + ImGui::CalcTextSize(cut).x;
      } while (n > 1 && w > width);
      begin = cut, end = cut + std::strlen(cut), elided = true;
    }
    if (x > 0 && x + w > width) x = 0, y += line + 2;
    if (draw) {
      const ImVec2 p(origin.x + x, origin.y + y);
      dl->AddRectFilled(ImVec2(p.x, p.y + (line - swatch) / 2),
                        ImVec2(p.x + swatch, p.y + (line + swatch) / 2), k.color);
      text(dl, ImVec2(p.x + swatch + 4, p.y), text_color, begin, end);
      if (elided && ImGui::IsMouseHoveringRect(p, ImVec2(p.x + w, p.y + line)))
        ImGui::SetTooltip("%.*s", static_cast<int>(k.name.size()), k.name.data());
    }
    x += w + gap;
  }
  const float height = keys.empty() ? 0 : y + line + 2;
  if (draw && height > 0) ImGui::Dummy(ImVec2(width, height));
  return height;
}

// ---- whole charts ----

namespace {

// The x of sample i of a series (bars: the left edge of bin i).
double x_of(const series& s, const options& o, std::size_t i) {
  return s.x.empty() ? o.x0 + static_cast<double>(i) * o.dx : s.x[i];
}

range data_x(std::span<const series> all, const options& o) {
  range r{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (const series& s : all) {
    if (s.y.empty()) continue;
    if (s.x.empty()) {
      r.lo = std::min(r.lo, o.x0);
      const double n = static_cast<double>(s.y.size()) - (s.kind == mark::bars ? 0.0 : 1.0);
      r.hi = std::max(r.hi, o.x0 + n * o.dx);
    } else {
      for (const double v : s.x)
        if (std::isfinite(v)) r.lo = std::min(r.lo, v), r.hi = std::max(r.hi, v);
    }
  }
  return r;
}

// y over the samples in the x view; log scales skip values <= 0.
range data_y(std::span<const series> all, const options& o, range xv, bool log) {
  range r{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  auto take = [&](double v) {
    if (std::isfinite(v) && (!log || v > 0)) r.lo = std::min(r.lo, v), r.hi = std::max(r.hi, v);
  };
  for (const series& s : all)
    for (std::size_t i = 0; i < s.y.size(); ++i) {
      const double xv_i = x_of(s, o, i);
      const double right = s.kind == mark::bars ? xv_i + o.dx : xv_i;
      if (right < xv.lo || xv_i > xv.hi) continue;
      take(s.y[i]);
      if (i < s.lo.size()) take(s.lo[i]);
      if (i < s.hi.size()) take(s.hi[i]);
    }
  return r;
}

// A y range that reads well: padded a little, snapped outwards to ticks (linear), zero included on request.
range fit_y(range r, bool from_zero, bool log) {
  const bool non_negative = r.lo >= 0;
  if (log) {
    const double a = std::log10(r.lo), b = std::log10(r.hi);
    const double pad = std::max(0.05 * (b - a), 0.1);
    return {std::pow(10.0, a - pad), std::pow(10.0, b + pad)};
  }
  if (from_zero) r.lo = std::min(r.lo, 0.0), r.hi = std::max(r.hi, 0.0);
  if (r.hi == r.lo) {
    const double pad = r.lo == 0 ? 1 : std::abs(r.lo) * 0.1;
    r.lo -= from_zero && r.lo == 0 ? 0 : pad, r.hi += pad;
  }
  const double pad = 0.03 * (r.hi - r.lo);
  const double step = nice_step(r.hi - r.lo + 2 * pad, 5);
  range out{std::floor((r.lo - (from_zero && r.lo == 0 ? 0 : pad)) / step) * step,
            std::ceil((r.hi + pad) / step) * step};
  if (non_negative) out.lo = std::max(out.lo, 0.0);  // data never below 0: no negative axis
  return out;
}

// Value of a series nearest to data x (indexed series: its sample; bars: the bin; x given: the nearest x).
std::optional<std::size_t> sample_at(const series& s, const options& o, double x) {
  if (s.y.empty()) return std::nullopt;
  if (s.x.empty()) {
    const double f = (x - o.x0) / o.dx;
    const double i = s.kind == mark::bars ? std::floor(f) : std::round(f);
    if (i < 0 || i >= static_cast<double>(s.y.size())) return std::nullopt;
    return static_cast<std::size_t>(i);
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < s.x.size(); ++i)
    if (std::abs(s.x[i] - x) < std::abs(s.x[best] - x)) best = i;
  return best;
}

}  // namespace

void plot(const char* id, std::span<const series> all, const options& o, ImVec2 size) {
  ImGui::PushID(id);
  ImGuiStorage* store = ImGui::GetStateStorage();
  const ImGuiID zoomed_id = ImGui::GetID("zoomed"), lo_id = ImGui::GetID("x_lo"),
                hi_id = ImGui::GetID("x_hi");
  bool* from_zero = store->GetBoolRef(ImGui::GetID("from_zero"), o.from_zero);
  bool* log = store->GetBoolRef(ImGui::GetID("log"), false);
  const float width = size.x > 0 ? size.x : ImGui::GetContentRegionAvail().x;
  const float top = ImGui::GetCursorScreenPos().y;
  const float height = size.y > 0 ? size.y : ImGui::GetContentRegionAvail().y + size.y;

  // Header: the y label (with its unit), then the toggles at the right.
  if (o.y_label[0] || (o.y_toggles && !o.y_fixed)) {
    const float start = ImGui::GetCursorPosX();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImVec4(0.67f, 0.78f, 0.9f, 1), "%s", o.y_label);
    if (o.y_toggles && !o.y_fixed) {
      const ImGuiStyle& st = ImGui::GetStyle();
      const float toggles = ImGui::CalcTextSize("from 0").x + ImGui::CalcTextSize("log").x +
                            2 * (ImGui::GetFrameHeight() + st.ItemInnerSpacing.x) + st.ItemSpacing.x;
      ImGui::SameLine();
      ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), start + width - toggles));
      ImGui::Checkbox("from 0", from_zero);
      ImGui::SameLine();
      ImGui::Checkbox("log", log);
    }
  }

  // Legend below the chart: measured first so the chart leaves it room.
  std::vector<key> keys;
  if (o.legend)
    for (std::size_t k = 0; k < all.size(); ++k)
      if (!all[k].name.empty()) keys.push_back({all[k].name, all[k].color ? all[k].color : palette(k)});
  const float legend_height = legend(keys, width, false);
  const float chart_height =
      std::max(60.0f, height - (ImGui::GetCursorScreenPos().y - top) - legend_height - 4);

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("chart", ImVec2(width, chart_height));
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();

  const range data = o.x_fixed ? *o.x_fixed : data_x(all, o);
  if (!(data.hi >= data.lo)) {
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + chart_height), background);
    text(dl, ImVec2(origin.x + 8, origin.y + 8), IM_COL32(170, 170, 170, 255), "no data yet");
    legend(keys, width);
    ImGui::PopID();
    return;
  }
  range xv = data;
  if (!o.x_fixed) xv.hi = std::max(xv.hi, o.x0 + o.x_min_span);  // a run's whole planned time from step 0
  if (xv.hi == xv.lo) xv.hi = xv.lo + 1;
  const bool zoomed = o.x_zoom && store->GetBool(zoomed_id, false);
  if (zoomed) xv = {store->GetFloat(lo_id), store->GetFloat(hi_id)};
  const bool use_log = *log && !o.y_fixed;
  range yv{0, 1};
  if (o.y_fixed) {
    yv = *o.y_fixed;
  } else {
    const range r = data_y(all, o, xv, use_log);
    if (r.hi >= r.lo)
      yv = fit_y(r, *from_zero, use_log);
    else if (use_log)
      yv = {1, 10};  // nothing above 0 to show on a log scale: one decade, not 300
  }
  const axes ax(origin, ImVec2(origin.x + width, origin.y + chart_height),
                {o.x_label, scale::linear, xv, o.x_integer ? 1.0 : 0.0},
                {"", use_log ? scale::log10 : scale::linear, yv});
  ax.draw(dl);

  // Zoom and pan on x (time), kept in ImGui's per-window storage so each chart keeps its own view.
  if (o.x_zoom) {
    const ImGuiIO& io = ImGui::GetIO();
    range next = xv;
    if (hovered && io.MouseWheel != 0) {
      const double at = ax.x_at(io.MousePos.x), f = io.MouseWheel > 0 ? 0.8 : 1.25;
      next = {at - (at - xv.lo) * f, at + (xv.hi - at) * f};
    }
    if (active && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
      const double shift = -io.MouseDelta.x * (xv.hi - xv.lo) / (ax.max.x - ax.min.x);
      next = {xv.lo + shift, xv.hi + shift};
    }
    if (next.lo != xv.lo || next.hi != xv.hi) {
      // Never wider than the data nor narrower than two samples.
      const double whole = std::max(data.hi, o.x0 + o.x_min_span) - data.lo;
      const double span = std::clamp(next.hi - next.lo, 2 * o.dx, std::max(whole, 2 * o.dx));
      next.lo = std::clamp(next.lo, data.lo, std::max(data.lo, data.lo + whole - span));
      store->SetBool(zoomed_id, true);
      store->SetFloat(lo_id, static_cast<float>(next.lo));
      store->SetFloat(hi_id, static_cast<float>(next.lo + span));
    }
    if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) store->SetBool(zoomed_id, false);
  }

  // Marks, clipped to the plot rectangle.
  dl->PushClipRect(ax.min, ax.max, true);
  const float pixels = ax.max.x - ax.min.x;
  for (std::size_t k = 0; k < all.size(); ++k) {
    const series& s = all[k];
    const ImU32 color = s.color ? s.color : palette(k);
    if (s.kind == mark::bars) {
      const double base = use_log ? yv.lo : std::max(yv.lo, 0.0);
      for (std::size_t i = 0; i < s.y.size(); ++i) {
        if (!std::isfinite(s.y[i])) continue;
        const ImVec2 a = ax.to_screen(x_of(s, o, i), s.y[i]), b = ax.to_screen(x_of(s, o, i) + o.dx, base);
        dl->AddRectFilled(ImVec2(a.x + 0.5f, a.y), ImVec2(std::max(a.x + 1.5f, b.x - 0.5f), b.y),
                          with_alpha(color, 200));
      }
      continue;
    }
    // At most ~1 segment per pixel over the view: long runs are drawn by stride, keeping the frame fast.
    std::size_t first = 0, last = s.y.size();
    if (s.x.empty() && o.dx > 0) {
      first = static_cast<std::size_t>(std::max(0.0, std::floor((xv.lo - o.x0) / o.dx) - 1));
      last =
          std::min(s.y.size(), static_cast<std::size_t>(std::max(0.0, std::ceil((xv.hi - o.x0) / o.dx) + 2)));
    }
    const std::size_t stride = std::max<std::size_t>(
        1, (last > first ? last - first : 0) / static_cast<std::size_t>(std::max(pixels, 1.0f)));
    const bool band = s.lo.size() == s.y.size() && s.hi.size() == s.y.size();
    for (std::size_t i = first + stride; i < last; i += stride) {
      const std::size_t j = i - stride;
      if (band && std::isfinite(s.lo[j]) && std::isfinite(s.hi[j]) && std::isfinite(s.lo[i]) &&
          std::isfinite(s.hi[i]))
        dl->AddQuadFilled(ax.to_screen(x_of(s, o, j), s.lo[j]), ax.to_screen(x_of(s, o, j), s.hi[j]),
                          ax.to_screen(x_of(s, o, i), s.hi[i]), ax.to_screen(x_of(s, o, i), s.lo[i]),
                          with_alpha(color, 60));
      if (std::isfinite(s.y[j]) && std::isfinite(s.y[i]) && (!use_log || (s.y[j] > 0 && s.y[i] > 0)))
        dl->AddLine(ax.to_screen(x_of(s, o, j), s.y[j]), ax.to_screen(x_of(s, o, i), s.y[i]), color, 1.5f);
    }
    if (last - first == 1 && std::isfinite(s.y[first]))  // one sample (step 0): a dot, not nothing
      dl->AddCircleFilled(ax.to_screen(x_of(s, o, first), s.y[first]), 3, color);
  }

  // Hover read-out: a cursor line, a dot on each curve and a tooltip with every value at that x.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (hovered && mouse.x >= ax.min.x && mouse.x <= ax.max.x) {
    const double at = ax.x_at(mouse.x);
    dl->AddLine(ImVec2(mouse.x, ax.min.y), ImVec2(mouse.x, ax.max.y), IM_COL32(255, 255, 255, 80));
    ImGui::BeginTooltip();
    const char* name = o.hover_x ? o.hover_x : o.x_label;
    bool header = false;
    for (std::size_t k = 0; k < all.size(); ++k) {
      const series& s = all[k];
      const auto i = sample_at(s, o, at);
      if (!i) continue;
      const double xi = x_of(s, o, *i);
      if (!header) {
        if (s.kind == mark::bars)
          ImGui::Text("%s %.6g to %.6g", name, xi, xi + o.dx);
        else
          ImGui::Text("%s %.6g", name, xi);
        header = true;
      }
      const ImU32 color = s.color ? s.color : palette(k);
      if (s.kind == mark::line && std::isfinite(s.y[*i]))
        dl->AddCircleFilled(ax.to_screen(xi, s.y[*i]), 3.5f, color);
      const int n = static_cast<int>(s.name.size());
      if (*i < s.lo.size() && *i < s.hi.size())
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(color), "%.*s: %.6g (%.6g to %.6g)", n,
                           s.name.data(), s.y[*i], s.lo[*i], s.hi[*i]);
      else
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(color), "%.*s: %.6g", n, s.name.data(), s.y[*i]);
    }
    if (o.x_zoom) ImGui::TextDisabled("wheel: zoom, drag: pan, double-click: whole run");
    ImGui::EndTooltip();
  }
  dl->PopClipRect();
  legend(keys, width);
  ImGui::PopID();
}

}  // namespace civitas::viz::chart
