#include "governance/market.hpp"

#include <algorithm>
#include <limits>

#include "society/behaviours/pools.hpp"

namespace civitas::governance {

market::market(const params::scenario& s) : tradable_(s.get<society::pool_params>().value_tradable) {}

void market::score(const society::view&, const sim::world&, std::span<double> out) const {
  // Nobody scores, rewards or punishes: counts are zero, scores and grades do not exist.
  std::fill(out.begin(), out.end(), std::numeric_limits<double>::quiet_NaN());
  for (const std::size_t zero : {0, 1, 2, 3, 4, 5, 11}) out[zero] = 0;
}

}  // namespace civitas::governance
