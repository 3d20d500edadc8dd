// Procurement tenders scored by price and offered social value (the seeds' bidders portal, docs/domain.md
// §5).
//
//   score = (1 - w) * lowest_price / price + w * social_value / highest_social_value + bonus
// (the second term is 0 when no eligible bid offers social value). Only eligible bids are scored (a
// regime may bar a firm); ties go to the lower price, then to the lower firm id, so the result is unique.
#pragma once

#include <optional>
#include <span>

#include "core/types.hpp"

namespace civitas::society {

struct bid {
  agent_id firm = 0;
  amount_t price = 0;         // > 0
  amount_t social_value = 0;  // >= 0, cash the firm pledges to deliver as social value
  bool eligible = true;
  double bonus = 0;  // added to the score (a regime's priority for well-graded firms)
};

double bid_score(const bid& b, amount_t lowest_price, amount_t highest_social_value, double weight);

// Index of the winning bid, or nullopt when no bid is eligible.
std::optional<std::size_t> winning_bid(std::span<const bid> bids, double social_value_weight);

}  // namespace civitas::society
