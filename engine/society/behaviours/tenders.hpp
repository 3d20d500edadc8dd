// Public procurement: tenders scored on price and offered social value; pledges delivered by the firm's reliability.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct tender_params {
  std::uint32_t procurement_every = 4;
  double procurement_share = 0.5;
  std::uint32_t procurement_bidders = 5;
  double social_value_weight = 0.3;

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
