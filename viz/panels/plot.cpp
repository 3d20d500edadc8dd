#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "viz/panels.hpp"

namespace civitas::viz {

namespace {
ImU32 palette(std::size_t i) {
  static const ImU32 colors[] = {IM_COL32(86, 180, 233, 255),  IM_COL32(230, 159, 0, 255),
                                 IM_COL32(0, 158, 115, 255),   IM_COL32(240, 228, 66, 255),
                                 IM_COL32(204, 121, 167, 255), IM_COL32(213, 94, 0, 255),
                                 IM_COL32(0, 114, 178, 255)};
  return colors[i % (sizeof colors / sizeof colors[0])];
}
}  // namespace

void plot_lines(const char* id, const std::vector<std::vector<double>>& curves,
                const std::vector<std::string>& names, float width, float height) {
  ImGui::PushID(id);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 size(std::max(width, 50.0f), std::max(height, 40.0f));
  ImGui::InvisibleButton("plot", size);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), IM_COL32(25, 25, 30, 255));
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  std::size_t n = 0;
  for (const auto& c : curves) {
    n = std::max(n, c.size());
    for (const double v : c)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  if (n >= 2 && lo <= hi) {
    if (hi == lo) hi = lo + 1;
    auto at = [&](std::size_t i, double v) {
      return ImVec2(origin.x + size.x * static_cast<float>(i) / static_cast<float>(n - 1),
                    origin.y + size.y - size.y * static_cast<float>((v - lo) / (hi - lo)));
    };
    for (std::size_t k = 0; k < curves.size(); ++k) {
      const auto& c = curves[k];
      // At most ~1 segment per pixel: long runs are drawn by stride, keeping the frame fast.
      const std::size_t stride = std::max<std::size_t>(1, c.size() / static_cast<std::size_t>(size.x));
      for (std::size_t i = stride; i < c.size(); i += stride)
        if (std::isfinite(c[i - stride]) && std::isfinite(c[i]))
          dl->AddLine(at(i - stride, c[i - stride]), at(i, c[i]), palette(k), 1.5f);
    }
    char label[64];
    std::snprintf(label, sizeof label, "%.4g", hi);
    dl->AddText(ImVec2(origin.x + 3, origin.y + 1), IM_COL32(200, 200, 200, 255), label);
    std::snprintf(label, sizeof label, "%.4g", lo);
    dl->AddText(ImVec2(origin.x + 3, origin.y + size.y - 15), IM_COL32(200, 200, 200, 255), label);
    if (ImGui::IsItemHovered()) {
      const float fx = (ImGui::GetIO().MousePos.x - origin.x) / size.x;
      const auto i = static_cast<std::size_t>(std::clamp(fx, 0.0f, 1.0f) * static_cast<float>(n - 1) + 0.5f);
      dl->AddLine(ImVec2(at(i, lo).x, origin.y), ImVec2(at(i, lo).x, origin.y + size.y),
                  IM_COL32(255, 255, 255, 80));
      ImGui::BeginTooltip();
      ImGui::Text("step %zu", i);
      for (std::size_t k = 0; k < curves.size(); ++k)
        if (i < curves[k].size())
          ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette(k)), "%s: %.6g",
                             k < names.size() ? names[k].c_str() : "", curves[k][i]);
      ImGui::EndTooltip();
    }
  } else {
    dl->AddText(ImVec2(origin.x + 5, origin.y + 5), IM_COL32(160, 160, 160, 255), "no data yet");
  }
  for (std::size_t k = 0; k < names.size(); ++k) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette(k)), "%s", names[k].c_str());
    if (k + 1 < names.size()) ImGui::SameLine();
  }
  ImGui::PopID();
}

}  // namespace civitas::viz
