// Colours the panels share: one per agent kind (Okabe-Ito, readable by colour-blind viewers) and a ramp
// for continuous values, with their names for legends.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <cstdint>

namespace civitas::viz {

inline ImU32 kind_colour(std::uint8_t kind, int alpha = 230) {
  switch (kind) {
    case 0:
      return IM_COL32(86, 180, 233, alpha);  // citizen
    case 1:
      return IM_COL32(230, 159, 0, alpha);  // firm
    case 2:
      return IM_COL32(0, 158, 115, alpha);  // charity
    default:
      return IM_COL32(240, 240, 240, alpha);  // government
  }
}
inline const char* kind_name(std::uint8_t kind) {
  static constexpr const char* names[] = {"citizen", "firm", "charity", "government"};
  return names[std::min<std::uint8_t>(kind, 3)];
}
// Dark blue (0) to yellow (1), monotone in lightness.
inline ImU32 ramp_colour(double t, int alpha = 230) {
  t = std::clamp(t, 0.0, 1.0);
  return IM_COL32(static_cast<int>(40 + 215 * t), static_cast<int>(60 + 170 * t),
                  static_cast<int>(140 - 100 * t), alpha);
}

}  // namespace civitas::viz
