// Welfare: the government pays citizens below a cash threshold, in citizen order, while its step-start cash
// lasts.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct welfare_params {
  amount_t welfare_threshold = 200;
  amount_t welfare_amount = 100;

  static std::vector<params::param> declare();
};

namespace welfare {
// Welfare, decided on step-start balances like everything in decide and paid in citizen order until the
// treasury's step-start cash runs out. The government's other acts (rewards, tenders) follow in govern.
void decide(const society_state& s, std::span<const amount_t> balances,
            std::vector<ledger::transfer_intent>& out);
void read(record_table& t);                           // its handlers of the step's records
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace welfare

}  // namespace civitas::society
