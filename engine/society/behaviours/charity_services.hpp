// Charities serve beneficiaries (the poorer of two drawn citizens) and are scored by their feedback.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct charity_params {
  double service_share = 0.5; // share of a charity's cash spent on services per step
  std::uint32_t beneficiaries_per_step = 20;
  std::uint32_t charity_staff = 10;

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
