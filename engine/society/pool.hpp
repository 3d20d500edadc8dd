// A constant-product pool (x * y = k) where value tokens are sold for cash, cleared once per step.
//
// All sells of a step form one batch, so the price a seller gets never depends on the order agents acted
// in (and so never on the thread count): the batch of dx tokens receives
//   cash = floor(y * dx / (x + dx))
// (the constant-product amount, rounded down so k never falls), shared among the sellers pro rata to what
// each sold, each share rounded down. The rounding remainders stay in the pool. Integer arithmetic only.
#pragma once

#include <span>
#include <vector>

#include "core/types.hpp"

namespace civitas::society {

// Cash paid to each seller, in the order of `sells`. token_reserve and cash_reserve are the pool's holdings
// before the batch (> 0); every sell is > 0.
std::vector<amount_t> clear_sells(amount_t token_reserve, amount_t cash_reserve,
                                  std::span<const amount_t> sells);

// Cash per token at the given reserves (y / x).
double pool_price(amount_t token_reserve, amount_t cash_reserve);

}  // namespace civitas::society
