// Value-token pools: citizens sell value tokens for cash on a constant-product pool, cleared in a batch each step.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct pool_params {
  bool value_tradable = true;
  double sell_probability = 0.02;
  amount_t pool_cash_per_citizen = 10; // constant-product pool reserves per category at genesis
  amount_t pool_tokens_per_citizen = 10;

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
