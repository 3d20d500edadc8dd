// Value-token pools: citizens sell value tokens for cash on a constant-product pool, cleared in a batch each
// step.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct pool_params {
  bool value_tradable = true;
  double sell_probability = 0.02;
  amount_t pool_cash_per_citizen = 10;  // constant-product pool reserves per category at genesis
  amount_t pool_tokens_per_citizen = 10;

  static std::vector<params::param> declare();
};

namespace pools {
// A citizen sells its value tokens on the pools, where the regime lets them trade (drawn last).
void decide(const society_state& s, std::span<const amount_t> balances, agent_id a, rng_stream& draws,
            std::vector<ledger::transfer_intent>& out);
// Clears the step's sells in one batch per pool, paying each seller in record order.
void clear(society_state& s, sim::world& w);
void read(record_table& t);                           // its handlers of the step's records
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace pools

}  // namespace civitas::society
