// Charities serve beneficiaries (the poorer of two drawn citizens) and are scored by their feedback.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct charity_params {
  double service_share = 0.5;  // share of a charity's cash spent on services per step
  std::uint32_t beneficiaries_per_step = 20;
  std::uint32_t charity_staff = 10;
  double quality_min = 0.5;  // a charity's service quality is uniform in [quality_min, 1]

  static std::vector<params::param> declare();
};

namespace charity_services {
// A charity serves beneficiaries: of two citizens drawn at random, the poorer.
void decide(const society_state& s, std::span<const amount_t> balances, step_t step, std::uint32_t h,
            std::vector<ledger::transfer_intent>& out);
void read(record_table& t);                           // its handlers of the step's records
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace charity_services

}  // namespace civitas::society
