// Citizens' donations to the best-aligned of a few sampled charities.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct giving_params {
  double donation_probability = 0.1;
  double donation_share = 0.05;

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
