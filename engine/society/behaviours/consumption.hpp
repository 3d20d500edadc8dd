// Citizens' purchases: a logit choice among a few sampled retailers on price and value alignment (the seeds' AI Ubot).
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct consumption_params {
  double consumption_share = 0.3; // share of step-start cash a citizen spends per step
  std::uint32_t offers_sampled = 5;
  double alpha = 1.0; // weight of value alignment in the purchase choice
  double price_sensitivity = 5.0; // beta: weight of relative price in the purchase choice
  double price_sigma = 0.1; // lognormal sigma of retailers' price levels

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
