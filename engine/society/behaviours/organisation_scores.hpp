// Scores of organisations and products: S/E ratio, Modern Slavery RAG, provenance passports.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct score_params {
  std::uint32_t year = 2018;
  std::uint32_t steps_per_year = 52;

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
