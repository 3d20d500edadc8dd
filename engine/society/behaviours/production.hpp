// Firms along the supply chain: stages, suppliers, input purchases from last step's revenue, CSR, CO2 intensity.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct production_params {
  double raw_share = 0.2;
  double manufacturer_share = 0.3;
  std::uint32_t suppliers_per_firm = 3;
  double input_share = 0.6; // share of last step's revenue spent on inputs
  double csr_share = 0.02; // share of last step's revenue given as CSR
  double co2_per_1000 = 0.3; // mean tonnes CO2 per 1000 cash of revenue
  double co2_sigma = 0.5;

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
