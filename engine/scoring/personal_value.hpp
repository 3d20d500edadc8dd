// Personal Value (PV) of a citizen (docs/domain.md §6).
//
//   cv = [54 tau + M + giving + 0.5 people worth] / giving
//   PV = log2(cv), rounded to one decimal
//
// 0.5 stands in for the positive-sentiment share of the people a citizen's giving reaches. The platform
// gated transfers (counterparty PV >= x) and retail vouchers (PV >= a minimum) on this number.
#pragma once

#include "scoring/se_ratio.hpp"  // gbp_per_tonne_co2

namespace civitas::scoring {

struct personal_value_inputs {
  double worth = 0;                         // net worth, GBP (any sign, as long as cv stays > 0)
  double co2_tonnes = 0;                    // tau: tonnes of CO2 reduced
  double giving = 0;                        // GBP given (> 0: it divides)
  double people = 0;                        // people benefiting from the giving (>= 0)
  double money_leveraged = 0;               // M: money leveraged, GBP
  double carbon_price = gbp_per_tonne_co2;  // GBP per tonne of CO2 reduced
};

struct personal_value_result {
  double environment = 0;   // 54 tau, GBP
  double people_value = 0;  // 0.5 people worth, GBP
  double numerator = 0;     // 54 tau + M + giving + 0.5 people worth, GBP
  double cv = 0;            // numerator / giving
  double log2_cv = 0;       // unrounded
  double pv = 0;            // log2 cv rounded to one decimal (half away from zero)
};

// Throws civitas::input_error for giving <= 0, negative people, non-finite inputs, or cv <= 0 (no logarithm).
personal_value_result personal_value(const personal_value_inputs& in);

}  // namespace civitas::scoring
