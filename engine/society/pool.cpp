#include "society/pool.hpp"

#include "core/assert.hpp"

namespace civitas::society {

__extension__ using u128 = unsigned __int128;

std::vector<amount_t> clear_sells(amount_t token_reserve, amount_t cash_reserve,
                                  std::span<const amount_t> sells) {
  CIVITAS_ASSERT(token_reserve > 0 && cash_reserve > 0);
  u128 dx = 0;
  for (const amount_t s : sells) {
    CIVITAS_ASSERT(s > 0);
    dx += static_cast<u128>(s);
  }
  std::vector<amount_t> paid(sells.size(), 0);
  if (dx == 0) return paid;
  const u128 cash = static_cast<u128>(cash_reserve) * dx / (static_cast<u128>(token_reserve) + dx);
  for (std::size_t i = 0; i < sells.size(); ++i)
    paid[i] = static_cast<amount_t>(cash * static_cast<u128>(sells[i]) / dx);
  return paid;
}

double pool_price(amount_t token_reserve, amount_t cash_reserve) {
  return static_cast<double>(cash_reserve) / static_cast<double>(token_reserve);
}

}  // namespace civitas::society
