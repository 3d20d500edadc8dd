#include "society/tender.hpp"

#include <algorithm>
#include <limits>

#include "core/assert.hpp"

namespace civitas::society {

double bid_score(const bid& b, amount_t lowest_price, amount_t highest_social_value, double weight) {
  CIVITAS_ASSERT(b.price > 0 && lowest_price > 0);
  const double price_term = static_cast<double>(lowest_price) / static_cast<double>(b.price);
  const double value_term = highest_social_value > 0 ? static_cast<double>(b.social_value) /
                                                           static_cast<double>(highest_social_value)
                                                     : 0.0;
  return (1.0 - weight) * price_term + weight * value_term + b.bonus;
}

std::optional<std::size_t> winning_bid(std::span<const bid> bids, double social_value_weight) {
  amount_t lowest = std::numeric_limits<amount_t>::max(), highest_value = 0;
  bool any = false;
  for (const bid& b : bids) {
    if (!b.eligible) continue;
    any = true;
    lowest = std::min(lowest, b.price);
    highest_value = std::max(highest_value, b.social_value);
  }
  if (!any) return std::nullopt;
  std::optional<std::size_t> best;
  double best_score = 0;
  for (std::size_t i = 0; i < bids.size(); ++i) {
    const bid& b = bids[i];
    if (!b.eligible) continue;
    const double s = bid_score(b, lowest, highest_value, social_value_weight);
    const bool better = !best || s > best_score ||
                        (s == best_score && (b.price < bids[*best].price ||
                                             (b.price == bids[*best].price && b.firm < bids[*best].firm)));
    if (better) {
      best = i;
      best_score = s;
    }
  }
  return best;
}

}  // namespace civitas::society
