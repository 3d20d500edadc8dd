#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "viz/panels.hpp"

namespace civitas::viz {

namespace {
ImU32 kind_color(std::uint8_t kind) {
  switch (kind) {
    case 0:
      return IM_COL32(86, 180, 233, 160);  // citizen
    case 1:
      return IM_COL32(230, 159, 0, 230);  // firm
    case 2:
      return IM_COL32(0, 158, 115, 230);  // charity
    default:
      return IM_COL32(240, 240, 240, 255);  // government
  }
}
ImU32 rag_color(double rag) {
  if (std::isnan(rag)) return IM_COL32(90, 90, 90, 120);
  if (rag < 0.5) return IM_COL32(220, 50, 47, 230);
  if (rag < 1.5) return IM_COL32(240, 180, 0, 230);
  return IM_COL32(40, 180, 80, 230);
}
ImU32 ramp(double t) {  // blue -> yellow
  t = std::clamp(t, 0.0, 1.0);
  return IM_COL32(static_cast<int>(40 + 215 * t), static_cast<int>(80 + 150 * t),
                  static_cast<int>(200 - 170 * t), 200);
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
  std::vector<const char*> y_names{"value tokens"};
  for (const auto& c : cols) y_names.push_back(c.c_str());
  int y = s.y_column + 1;
  ImGui::SetNextItemWidth(180);
  if (ImGui::Combo("y axis", &y, y_names.data(), static_cast<int>(y_names.size()))) s.y_column = y - 1;
  ImGui::SameLine();
  static const char* colorings[] = {"kind", "RAG", "y value"};
  ImGui::SetNextItemWidth(100);
  ImGui::Combo("colour", &s.color_by, colorings, 3);
  ImGui::SameLine();
  if (ImGui::Button("reset view")) s.zoom = 1, s.pan_x = s.pan_y = 0;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  ImGui::SliderInt("citizens shown", &s.max_points, 500, 100'000, "%d", ImGuiSliderFlags_Logarithmic);
  ImGui::Text(
      "x: log10(1 + cash), size: wealth; drag to pan, wheel to zoom, click to inspect (snapshot of step %u)",
      f->snapshot_step);

  const std::size_t n = f->agents(), tokens = f->tokens();
  if (f->balances.size() < n * tokens) {
    ImGui::End();
    return;
  }
  // Fluid at 10^5 agents and beyond: every firm, charity and the government, and a fixed stride of citizens.
  const std::size_t citizens =
      static_cast<std::size_t>(std::count(f->run->kinds.begin(), f->run->kinds.end(), 0));
  const std::size_t stride =
      std::max<std::size_t>(1, citizens / static_cast<std::size_t>(std::max(1, s.max_points)));
  auto rag_of = [&](std::size_t a) {
    const auto it = std::find(cols.begin(), cols.end(), "rag");
    return it == cols.end() || f->scores.empty()
               ? std::nan("")
               : f->scores[a * cols.size() + static_cast<std::size_t>(it - cols.begin())];
  };
  auto y_of = [&](std::size_t a) {
    if (s.y_column < 0 || static_cast<std::size_t>(s.y_column) >= cols.size() || f->scores.empty()) {
      double v = 0;
      for (std::size_t t = 1; t < tokens; ++t) v += static_cast<double>(f->balance(a, t));
      return v;
    }
    return f->scores[a * cols.size() + static_cast<std::size_t>(s.y_column)];
  };
  double x_max = 1, y_lo = 0, y_hi = 1;
  bool any_y = false;
  for (std::size_t a = 0; a < n; ++a) {
    if (f->run->kinds[a] == 0 && a % stride != 0) continue;
    x_max = std::max(x_max, std::log10(1.0 + std::max<double>(0, static_cast<double>(f->balance(a, 0)))));
    const double v = y_of(a);
    if (!std::isfinite(v)) continue;
    if (!any_y) y_lo = y_hi = v;
    y_lo = std::min(y_lo, v), y_hi = std::max(y_hi, v), any_y = true;
  }
  if (y_hi == y_lo) y_hi = y_lo + 1;

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 size = ImGui::GetContentRegionAvail();
  if (size.x < 20 || size.y < 20) {
    ImGui::End();
    return;
  }
  ImGui::InvisibleButton("canvas", size);
  ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsItemHovered() && io.MouseWheel != 0)
    s.zoom = std::clamp(s.zoom * (io.MouseWheel > 0 ? 1.2f : 1 / 1.2f), 0.2f, 200.0f);
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    s.pan_x += io.MouseDelta.x;
    s.pan_y += io.MouseDelta.y;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
  dl->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), IM_COL32(20, 20, 26, 255));
  auto to_screen = [&](double x, double yv) {
    const float px = static_cast<float>(x / x_max) * size.x,
                py = size.y - static_cast<float>((yv - y_lo) / (y_hi - y_lo)) * size.y;
    const float cx = size.x / 2, cy = size.y / 2;
    return ImVec2(origin.x + cx + (px - cx) * s.zoom + s.pan_x, origin.y + cy + (py - cy) * s.zoom + s.pan_y);
  };
  double best = 1e30;
  std::int64_t nearest = -1;
  for (std::size_t a = 0; a < n; ++a) {
    const std::uint8_t kind = f->run->kinds[a];
    if (kind == 0 && a % stride != 0) continue;
    const double cash = std::max<double>(0, static_cast<double>(f->balance(a, 0)));
    double v = y_of(a);
    if (!std::isfinite(v)) v = y_lo;
    const ImVec2 p = to_screen(std::log10(1.0 + cash), v);
    const float r =
        1.0f + std::min(4.0f, static_cast<float>(std::log10(1.0 + cash)) * 0.6f) * (kind == 0 ? 0.5f : 1.0f);
    const ImU32 color = s.color_by == 0   ? kind_color(kind)
                        : s.color_by == 1 ? rag_color(rag_of(a))
                                          : ramp((v - y_lo) / (y_hi - y_lo));
    dl->AddCircleFilled(p, r, color, 6);
    const double d =
        (p.x - io.MousePos.x) * (p.x - io.MousePos.x) + (p.y - io.MousePos.y) * (p.y - io.MousePos.y);
    if (d < best) best = d, nearest = static_cast<std::int64_t>(a);
  }
  if (ImGui::IsItemHovered() && nearest >= 0 && best < 100) {
    ImGui::SetTooltip("agent %lld (%s)\ncash %lld", static_cast<long long>(nearest),
                      f->run->kinds[static_cast<std::size_t>(nearest)] == 0   ? "citizen"
                      : f->run->kinds[static_cast<std::size_t>(nearest)] == 1 ? "firm"
                      : f->run->kinds[static_cast<std::size_t>(nearest)] == 2 ? "charity"
                                                                              : "government",
                      static_cast<long long>(f->balance(static_cast<std::size_t>(nearest), 0)));
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) s.selected_agent = nearest;
  }
  if (s.selected_agent >= 0 && static_cast<std::size_t>(s.selected_agent) < n) {
    const auto a = static_cast<std::size_t>(s.selected_agent);
    double v = y_of(a);
    if (!std::isfinite(v)) v = y_lo;
    dl->AddCircle(to_screen(std::log10(1.0 + std::max<double>(0, static_cast<double>(f->balance(a, 0)))), v),
                  7, IM_COL32(255, 255, 255, 255), 12, 2);
  }
  dl->PopClipRect();
  ImGui::End();
}

}  // namespace civitas::viz
