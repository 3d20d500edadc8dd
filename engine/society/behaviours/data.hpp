// Data as a non-financial currency: consenting customers, the data social tax on the value their data creates, optional tax relief.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct data_params {
  double data_consent = 0.6;
  amount_t data_value_per_customer = 10;
  double data_tax = 0.19;
  double data_tax_relief = 0.0;

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
