#include "society/behaviours/pools.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> pool_params::declare() {
  return {
      params::boolean("value_tradable", &pool_params::value_tradable, "Value tokens may be sold for cash on the constant-product pool", "domain.md §3, domain.md §4 (market)"),
      params::real("sell_probability", &pool_params::sell_probability, params::closed(0.0, 1.0), "probability",
                   "Chance per step that a citizen sells its value tokens", "modelling choice"),
      params::integer("pool_cash_per_citizen", &pool_params::pool_cash_per_citizen, 1, 1'000'000, "cash",
                      "Cash reserve of each category's pool at genesis, per citizen", "domain.md §3: constant-product pool"),
      params::integer("pool_tokens_per_citizen", &pool_params::pool_tokens_per_citizen, 1, 1'000'000, "value tokens",
                      "Token reserve of each category's pool at genesis, per citizen", "domain.md §3: constant-product pool"),
  };
}

}  // namespace civitas::society
