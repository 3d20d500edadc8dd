// Employment and pay: firms' wage levels and sizes, PAYE payrolls (income tax withheld, net wages paid,
// linked), bonuses from profit.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct labour_params {
  std::uint32_t firm_cash_weeks = 4;  // genesis cash of a firm, in steps of its payroll
  double profit_share = 0.25;         // share of cash above that buffer paid to staff per step
  double employment_rate = 0.9;
  double firm_size_sigma = 1.0;  // lognormal sigma of firm size (employment weights)
  amount_t wage_mean = 500;      // mean gross wage per step
  double wage_sigma = 0.35;      // lognormal sigma of firms' wage levels
  double income_tax = 0.2;

  static std::vector<params::param> declare();
};

namespace labour {
// The payroll: one linked PAYE chain per firm (income tax withheld, then every net wage), from what is
// left of the firm's cash after its other obligations.
void pay_wages(const society_state& s, std::uint32_t f, firm_purse& purse);
void read(record_table& t);                           // its handlers of the step's records
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace labour

}  // namespace civitas::society
