// Citizens' donations to the best-aligned of a few sampled charities.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct giving_params {
  double donation_probability = 0.1;
  double donation_share = 0.05;

  static std::vector<params::param> declare();
};

namespace giving {
// A citizen's donation to the best-aligned of a few sampled charities (drawn after the purchase).
void decide(const society_state& s, agent_id a, amount_t cash, rng_stream& draws,
            std::vector<ledger::transfer_intent>& out);
void read(record_table& t);                           // its handlers of the step's records
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace giving

}  // namespace civitas::society
