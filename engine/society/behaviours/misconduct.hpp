// Citizens' misconduct, drawn each step for a regime that watches for it.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct misconduct_params {
  double misconduct_probability = 0.02; // chance per step that a citizen misbehaves (seen only by a regime that looks)

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
