// Employment and pay: firms' wage levels and sizes, PAYE payrolls (income tax withheld, net wages paid,
// linked), bonuses from profit.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

// What a firm that cannot pay its whole payroll does: cut everyone's pay by the same share, or pay the
// contracted wage to the staff it can (in staff order) and none to the rest for that step (short time).
namespace labour {
enum class pay_rule : std::uint8_t { cut, ration };
inline constexpr std::array<std::string_view, 2> pay_rule_names{"cut", "ration"};
// Who works where: as drawn at genesis, or moved by the job market after each payroll (job_market.hpp).
enum class staffing_rule : std::uint8_t { fixed, market };
inline constexpr std::array<std::string_view, 2> staffing_rule_names{"fixed", "market"};
}  // namespace labour

struct labour_params;
namespace labour {
// Whether pay differs between a firm's workers (then income::update reads each one's tax from its net).
bool individual_pay(const labour_params& p);
}  // namespace labour
struct labour_params {
  std::uint32_t firm_cash_weeks = 4;  // genesis cash of a firm, in steps of its payroll
  double profit_share = 0.25;         // share of cash above that buffer paid to staff per step
  double employment_rate = 0.9;
  double firm_size_sigma = 1.0;  // lognormal sigma of firm size (employment weights)
  amount_t wage_mean = 500;      // mean gross wage per step
  double wage_sigma = 0.35;      // lognormal sigma of firms' wage levels
  double income_tax = 0.2;
  // Lognormal sigma of each citizen's productivity (pay relative to its firm's wage); 0: everyone at a
  // firm earns the same.
  double productivity_sigma = 0.0;
  labour::pay_rule pay = labour::pay_rule::cut;
  labour::staffing_rule staffing = labour::staffing_rule::fixed;

  static std::vector<params::param> declare();
};

namespace labour {
// The payroll: one linked PAYE chain per firm (income tax withheld, then every net wage), from what is
// left of the firm's cash after its other obligations.
void pay_wages(const society_state& s, std::uint32_t f, firm_purse& purse);
// Fixed-point unit of a citizen's productivity weight (society_state::productivity_).
inline constexpr std::uint32_t productivity_unit = 1u << 16;
// The smallest gross wage whose net (gross less the tax withheld, floor(gross x rate)) is `net`. With
// individual pay the payroll pays exactly that gross, so a worker's tax is read back from its net wage.
amount_t gross_of_net(amount_t net, double rate);
// A firm's contracted gross payroll per step at wage `wage`: its staff's productivity weights times it.
double contracted_payroll(const society_state& s, std::uint32_t f, amount_t wage);
void read(record_table& t);                           // its handlers of the step's records
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace labour

}  // namespace civitas::society
