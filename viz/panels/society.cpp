#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "viz/chart.hpp"
#include "viz/panels.hpp"

namespace civitas::viz {

namespace {

const char* const kind_names[] = {"citizen", "firm", "charity", "government"};

ImU32 kind_color(std::uint8_t kind) {
  switch (kind) {
    case 0:
      return IM_COL32(86, 180, 233, 170);  // citizen
    case 1:
      return IM_COL32(230, 159, 0, 240);  // firm
    case 2:
      return IM_COL32(0, 200, 140, 240);  // charity
    default:
      return IM_COL32(240, 240, 240, 255);  // government
  }
}
ImU32 rag_color(double rag) {
  if (std::isnan(rag)) return IM_COL32(110, 110, 110, 150);
  if (rag < 0.5) return IM_COL32(220, 50, 47, 230);
  if (rag < 1.5) return IM_COL32(240, 180, 0, 230);
  return IM_COL32(40, 180, 80, 230);
}
ImU32 ramp(double t) {  // blue -> yellow, linear in RGB so a two-colour gradient draws its bar exactly
  t = std::clamp(t, 0.0, 1.0);
  return IM_COL32(static_cast<int>(40 + 215 * t), static_cast<int>(80 + 150 * t),
                  static_cast<int>(200 - 170 * t), 210);
}

// A fixed pseudo-random offset within the unit disc per agent (splitmix64's finaliser for two uniforms): the
// same agent sits at the same place every frame, so the spread does not shimmer, and a pile of agents on
// one value reads as a round cloud rather than a square marker.
ImVec2 jitter_of(std::uint64_t agent) {
  auto uniform = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<double>((z ^ (z >> 31)) >> 11) / static_cast<double>(1ULL << 53);
  };
  const double r = std::sqrt(uniform(agent * 0x9e3779b97f4a7c15ULL + 1)),
               a = 6.283185307179586 * uniform(agent * 0x9e3779b97f4a7c15ULL + 2);
  return ImVec2(static_cast<float>(r * std::cos(a)), static_cast<float>(r * std::sin(a)));
}

// Values that pile up on a few levels (value tokens come in lots of 10; at step 0 every citizen holds the
// same): the spacing of those levels, so points can be spread within it instead of drawing stripes. A level
// is common when it holds at least 1% of the points; discrete when at most 64 common levels hold most points.
bool discrete(std::vector<double> v, double& gap) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double d) { return !std::isfinite(d); }), v.end());
  std::sort(v.begin(), v.end());
  const std::size_t common = std::max<std::size_t>(2, v.size() / 100);
  std::size_t levels = 0, covered = 0;
  double previous = std::nan("");
  gap = 0;
  for (std::size_t i = 0; i < v.size();) {
    std::size_t j = i;
    while (j < v.size() && v[j] == v[i]) ++j;
    if (j - i >= common) {
      if (!std::isnan(previous)) gap = gap == 0 ? v[i] - previous : std::min(gap, v[i] - previous);
      previous = v[i], ++levels, covered += j - i;
    }
    i = j;
  }
  return levels > 0 && levels <= 64 && 2 * covered >= v.size();
}

double score_of(const frame& f, std::size_t agent, std::size_t column) {
  const auto& cols = f.run->score_columns;
  return f.scores.empty() ? std::nan("") : f.scores[agent * cols.size() + column];
}

void collect(viz_state& s, const frame& f) {
  auto& p = s.society;
  p.of = &f, p.y_column = s.y_column, p.max_points = s.max_points;
  p.agents.clear(), p.x.clear(), p.y.clear(), p.spread_x.clear(), p.spread_y.clear();
  const auto& cols = f.run->score_columns;
  const std::size_t n = f.agents(), tokens = f.tokens();
  // Fluid at 10^5 agents and beyond: every firm, charity and the government, and a fixed stride of citizens.
  const auto citizens = static_cast<std::size_t>(std::count(f.run->kinds.begin(), f.run->kinds.end(), 0));
  const std::size_t stride =
      std::max<std::size_t>(1, citizens / static_cast<std::size_t>(std::max(1, s.max_points)));
  const bool by_score = s.y_column >= 0 && static_cast<std::size_t>(s.y_column) < cols.size();
  for (std::size_t a = 0; a < n; ++a) {
    if (f.run->kinds[a] == 0 && a % stride != 0) continue;
    double yv = 0;
    if (by_score)
      yv = score_of(f, a, static_cast<std::size_t>(s.y_column));
    else
      for (std::size_t t = 1; t < tokens; ++t) yv += static_cast<double>(f.balance(a, t));
    p.agents.push_back(static_cast<std::uint32_t>(a));
    const ImVec2 j = jitter_of(a);
    p.spread_x.push_back(j.x), p.spread_y.push_back(j.y);
    p.x.push_back(chart::axes::forward(chart::scale::log1p, static_cast<double>(f.balance(a, 0))));
    p.y.push_back(yv);
  }
  // The data's extent (finite values), padded so no point sits on the frame's edge.
  auto extent = [](const std::vector<double>& v, double& lo, double& hi, double min_pad) {
    lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const double d : v)
      if (std::isfinite(d)) lo = std::min(lo, d), hi = std::max(hi, d);
    if (!(hi >= lo)) lo = 0, hi = 1;
    if (hi == lo) {  // one level (step 0): a frame around it, mostly above (amounts are rarely negative)
      const double unit = std::max(1.0, std::abs(lo));
      lo -= 0.1 * unit, hi += unit;
      return;
    }
    const double pad = std::max(0.06 * (hi - lo), min_pad);
    lo -= pad, hi += pad;
  };
  extent(p.x, p.x_lo, p.x_hi, 0.25);
  extent(p.y, p.y_lo, p.y_hi, 0.0);
  p.x_discrete = discrete(p.x, p.x_gap);
  p.y_discrete = discrete(p.y, p.y_gap);
}

void color_key(const viz_state& s, double y_lo, double y_hi, const char* y_name) {
  const float width = ImGui::GetContentRegionAvail().x;
  if (s.color_by == 0) {
    chart::key keys[4];
    for (std::uint8_t k = 0; k < 4; ++k) keys[k] = {kind_names[k], kind_color(k) | IM_COL32_A_MASK};
    chart::legend(keys, width);
  } else if (s.color_by == 1) {
    const chart::key keys[] = {{"red", rag_color(0)},
                               {"amber", rag_color(1)},
                               {"green", rag_color(2)},
                               {"no RAG score", rag_color(std::nan(""))}};
    chart::legend(keys, width);
  } else {  // a colour bar for the y value
    char lo[32], hi[32];
    const double step = chart::nice_step(y_hi - y_lo, 5);
    chart::format_tick(lo, sizeof lo, y_lo, step, std::max(std::abs(y_lo), std::abs(y_hi)));
    chart::format_tick(hi, sizeof hi, y_hi, step, std::max(std::abs(y_lo), std::abs(y_hi)));
    ImGui::Text("%s: %s", y_name, lo);
    ImGui::SameLine();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    ImGui::GetWindowDrawList()->AddRectFilledMultiColor(p, ImVec2(p.x + 160, p.y + h), ramp(0), ramp(1),
                                                        ramp(1), ramp(0));
    ImGui::Dummy(ImVec2(160, h));
    ImGui::SameLine();
    ImGui::Text("%s", hi);
  }
}

}  // namespace

void draw_society(viz_state& s) {
  ImGui::Begin("Society");
  const frame* f = s.view.get();
  if (!f || f->agents() == 0) {
    ImGui::Text("no agents yet");
    ImGui::End();
    return;
  }
  const auto& cols = f->run->score_columns;
  std::vector<const char*> y_names{"value tokens held"};
  for (const auto& c : cols) y_names.push_back(c.c_str());
  int y = s.y_column + 1;
  ImGui::SetNextItemWidth(170);
  if (ImGui::Combo("y axis", &y, y_names.data(), static_cast<int>(y_names.size()))) s.y_column = y - 1;
  ImGui::SameLine();
  static const char* colorings[] = {"kind", "RAG", "y value"};
  ImGui::SetNextItemWidth(90);
  ImGui::Combo("colour", &s.color_by, colorings, 3);
  ImGui::SameLine();
  if (ImGui::Button("reset view")) s.zoom = 1, s.pan_x = s.pan_y = 0;
  ImGui::SetNextItemWidth(std::min(220.0f, ImGui::GetContentRegionAvail().x * 0.5f));
  ImGui::SliderInt("citizens shown", &s.max_points, 500, 100'000, "%d", ImGuiSliderFlags_Logarithmic);

  const std::size_t n = f->agents();
  if (f->balances.size() < n * f->tokens()) {
    ImGui::End();
    return;
  }
  auto& p = s.society;
  if (p.of != f || p.y_column != s.y_column || p.max_points != s.max_points) collect(s, *f);
  const char* y_name = y_names[static_cast<std::size_t>(s.y_column + 1)];
  color_key(s, p.y_lo, p.y_hi, y_name);
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("agents at step %u, sized by cash%s. Drag: pan, wheel: zoom, click: inspect.",
                      f->snapshot_step,
                      p.x_discrete || p.y_discrete ? "; spread a little where values coincide" : "");
  ImGui::PopTextWrapPos();

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 size = ImGui::GetContentRegionAvail();
  if (size.x < 60 || size.y < 60) {
    ImGui::End();
    return;
  }
  ImGui::InvisibleButton("canvas", size);
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();

  // The view: the padded data extent, zoomed about its centre and panned (in log-cash and y units).
  const double cx = (p.x_lo + p.x_hi) / 2 + s.pan_x, cy = (p.y_lo + p.y_hi) / 2 + s.pan_y;
  const double hx = (p.x_hi - p.x_lo) / 2 / s.zoom, hy = (p.y_hi - p.y_lo) / 2 / s.zoom;
  const chart::axis xa{"cash (log scale)",
                       chart::scale::log1p,
                       {chart::axes::inverse(chart::scale::log1p, cx - hx),
                        chart::axes::inverse(chart::scale::log1p, cx + hx)}};
  // Value tokens are whole amounts: no ticks between them.
  const chart::axis ya{y_name, chart::scale::linear, {cy - hy, cy + hy}, s.y_column < 0 ? 1.0 : 0.0};
  const chart::axes ax(origin, ImVec2(origin.x + size.x, origin.y + size.y), xa, ya);
  const double px_x = (ax.max.x - ax.min.x) / (2 * hx), px_y = (ax.max.y - ax.min.y) / (2 * hy);

  ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {  // zoom about the mouse: the point under it stays put
    const double f_zoom = io.MouseWheel > 0 ? 1.2 : 1 / 1.2;
    const double next = std::clamp(s.zoom * f_zoom, 0.2, 500.0);
    const double mx = chart::axes::forward(chart::scale::log1p, ax.x_at(io.MousePos.x)),
                 my = ax.y_at(io.MousePos.y);
    const double r = s.zoom / next;
    s.pan_x = static_cast<float>(mx - (mx - cx) * r - (p.x_lo + p.x_hi) / 2);
    s.pan_y = static_cast<float>(my - (my - cy) * r - (p.y_lo + p.y_hi) / 2);
    s.zoom = static_cast<float>(next);
  }
  if (active && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    s.pan_x -= static_cast<float>(io.MouseDelta.x / px_x);
    s.pan_y += static_cast<float>(io.MouseDelta.y / px_y);
  }

  ImDrawList* dl = ImGui::GetWindowDrawList();
  ax.draw(dl);
  dl->PushClipRect(ax.min, ax.max, true);
  // Discrete values are spread within 35% of their levels' spacing (at most 10 px; 10 px on one level).
  auto spread = [](bool on, double gap, double px) {
    return on ? static_cast<float>(gap > 0 ? std::min(0.35 * gap * px, 10.0) : 10.0) : 0.0f;
  };
  const float jx = spread(p.x_discrete, p.x_gap, px_x), jy = spread(p.y_discrete, p.y_gap, px_y);
  const auto rag_it = std::find(cols.begin(), cols.end(), "rag");
  const double y_span = p.y_hi - p.y_lo;
  auto place = [&](std::size_t i) {
    const double yv = std::isfinite(p.y[i]) ? p.y[i] : p.y_lo;
    const ImVec2 at = ax.to_screen_transformed(p.x[i], yv);  // x is stored as log10(1 + cash)
    return ImVec2(at.x + jx * p.spread_x[i], at.y + jy * p.spread_y[i]);
  };
  double best = 1e30;
  std::int64_t nearest = -1;
  std::size_t nearest_i = 0;
  for (std::size_t i = 0; i < p.agents.size(); ++i) {
    const std::uint32_t a = p.agents[i];
    const std::uint8_t kind = f->run->kinds[a];
    const ImVec2 at = place(i);
    const float r = 1.5f + std::min(4.0f, static_cast<float>(p.x[i]) * 0.6f) * (kind == 0 ? 0.5f : 1.0f);
    const ImU32 color =
        s.color_by == 0   ? kind_color(kind)
        : s.color_by == 1 ? rag_color(rag_it == cols.end()
                                          ? std::nan("")
                                          : score_of(*f, a, static_cast<std::size_t>(rag_it - cols.begin())))
                          : ramp((p.y[i] - p.y_lo) / y_span);
    dl->AddCircleFilled(at, r, color, 6);  // 6 segments, as before: thousands of points
    if (kind != 0) dl->AddCircle(at, r + 0.5f, IM_COL32(0, 0, 0, 160), 8);  // organisations stand out
    const double d =
        (at.x - io.MousePos.x) * (at.x - io.MousePos.x) + (at.y - io.MousePos.y) * (at.y - io.MousePos.y);
    if (d < best) best = d, nearest = a, nearest_i = i;
  }
  if (hovered && nearest >= 0 && best < 100) {
    const auto a = static_cast<std::size_t>(nearest);
    ImGui::SetTooltip("agent %lld (%s)\ncash %lld\n%s %.6g", static_cast<long long>(nearest),
                      kind_names[std::min<std::uint8_t>(f->run->kinds[a], 3)],
                      static_cast<long long>(f->balance(a, 0)), y_name, p.y[nearest_i]);
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) s.selected_agent = nearest;
  }
  for (std::size_t i = 0; i < p.agents.size(); ++i)
    if (p.agents[i] == s.selected_agent) dl->AddCircle(place(i), 7, IM_COL32(255, 255, 255, 255), 12, 2);
  dl->PopClipRect();
  ImGui::End();
}

}  // namespace civitas::viz
