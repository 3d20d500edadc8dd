// Welfare: the government pays citizens below a cash threshold, in citizen order, while its step-start cash lasts.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct welfare_params {
  amount_t welfare_threshold = 200;
  amount_t welfare_amount = 100;

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
