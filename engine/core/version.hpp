#pragma once

namespace civitas {
// Bound into header 0 of every run: a run is only reproducible by the engine version that made it.
inline constexpr const char* engine_version = "0.2.0";
}  // namespace civitas
