// Who lives in the society and what they hold at genesis: the number of firms and charities, the value
// dimensions, every agent's opening cash.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct organisation_params {
  std::uint32_t firms = 200;     // society model only
  std::uint32_t charities = 20;  // society model only (plus one government)

  static std::vector<params::param> declare();
};

struct values_params {
  std::uint32_t dimensions = 17;  // the first K of data/sdg_dimensions.csv
  // An agent's weight on a goal is u^e, u uniform: a large e concentrates values on a few goals.
  double spread_exponent = 3;  // citizens and firms: many goals
  double focus_exponent = 6;   // charities: a few goals

  static std::vector<params::param> declare();
};

struct endowment_params {
  amount_t cash_citizen = 2'000;   // genesis cash per citizen
  amount_t cash_charity = 20'000;  // genesis cash per charity
  amount_t cash_government_per_citizen = 200;

  static std::vector<params::param> declare();
};

namespace population {
// Genesis holdings: every agent's opening cash and the pools' reserves (block 0).
void endow(const society_state& s, sim::world& w);
// Holdings: inequality of cash, value tokens and both; total value; the government's cash.
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace population

}  // namespace civitas::society
