#include "governance/market.hpp"

#include <algorithm>
#include <limits>

#include "society/behaviours/pools.hpp"

namespace civitas::governance {

market::market(const params::scenario& s) : tradable_(s.get<society::pool_params>().value_tradable) {}

void market::score(const society::view&, const sim::world&, regime_row&) const {
  // Nobody scores, rewards or punishes: the counts stay 0, and scores and grades do not exist.
}

}  // namespace civitas::governance
