// Firms along the supply chain: stages, suppliers, input purchases from last step's revenue, CSR, CO2
// intensity.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct production_params {
  double raw_share = 0.2;
  double manufacturer_share = 0.3;
  std::uint32_t suppliers_per_firm = 3;
  double input_share = 0.6;   // share of last step's revenue spent on inputs
  double csr_share = 0.02;    // share of last step's revenue given as CSR
  double co2_per_1000 = 0.3;  // mean tonnes CO2 per 1000 cash of revenue
  double co2_sigma = 0.5;

  static std::vector<params::param> declare();
};

namespace production {
// A firm's input purchases from its suppliers, from last step's revenue (paid first).
void buy_inputs(const society_state& s, std::uint32_t f, firm_purse& purse);
// A firm's CSR to its best-aligned charity, or to a common fund where the regime has one.
void pay_csr(const society_state& s, std::uint32_t f, firm_purse& purse);
void read(record_table& t);                           // its handlers of the step's records
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace production

}  // namespace civitas::society
