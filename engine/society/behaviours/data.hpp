// Data as a non-financial currency: consenting customers, the data social tax on the value their data
// creates, optional tax relief.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct data_params {
  double data_consent = 0.6;
  amount_t data_value_per_customer = 10;
  double data_tax = 0.19;
  double data_tax_relief = 0.0;

  static std::vector<params::param> declare();
};

namespace data {
// A retailer's data social tax on the value its consenting customers' data created last step.
void pay_tax(const society_state& s, std::uint32_t f, firm_purse& purse);
// The government refunds part of each firm's data tax (govern).
void pay_relief(society_state& s, sim::world& w);
void read(record_table& t);                           // its handlers of the step's records
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace data

}  // namespace civitas::society
