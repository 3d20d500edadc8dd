// Income and wealth, measured as household surveys measure them (issue #11: "cash" is neither): a citizen's
// gross income per step is its gross wage (net wage + the income tax withheld) plus the transfers it
// receives (welfare, charity services); net (disposable) income is gross less that tax; earnings are the
// gross wage of the employed. Each is annualised as a running mean over the last year of steps
// (score.steps_per_year), the period the UK's surveys report. Wealth is cash plus value tokens at the
// pools' market price.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

// Per citizen: what it received this step (record handlers add to it) and its annualised means.
struct income_books {
  std::vector<amount_t> net_now;   // net wage + welfare + services this step
  std::vector<amount_t> wage_now;  // net wage this step
  std::vector<amount_t> tax_now;   // per firm: income tax withheld per worker this step
  std::vector<double> net_annual;  // running means per step over the last year
  std::vector<double> gross_annual;
  std::vector<double> earnings_annual;  // gross wage, counted for steps in work
  std::vector<std::uint32_t> steps_employed;
};

namespace income {
// Sizes the books (setup).
void start(society_state& s);
// After the step's records: folds this step's income into the annual means, then clears it.
void update(society_state& s);
// The handlers' part: credit a citizen's income (any thread; integer sums commute).
void add_net(society_state& s, agent_id citizen, amount_t amount);
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace income

}  // namespace civitas::society
