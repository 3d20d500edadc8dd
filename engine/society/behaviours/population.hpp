// Who lives in the society and what they hold at genesis: the number of firms and charities, the value dimensions, every agent's opening cash.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct organisation_params {
  std::uint32_t firms = 200; // society model only
  std::uint32_t charities = 20; // society model only (plus one government)

  static std::vector<params::param> declare();
};

struct values_params {
  std::uint32_t dimensions = 17; // the first K of data/sdg_dimensions.csv

  static std::vector<params::param> declare();
};

struct endowment_params {
  amount_t cash_citizen = 2'000; // genesis cash per citizen
  amount_t cash_charity = 20'000; // genesis cash per charity
  amount_t cash_government_per_citizen = 200;

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
