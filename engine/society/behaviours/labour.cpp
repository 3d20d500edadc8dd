#include "society/behaviours/labour.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> labour_params::declare() {
  return {
      params::integer("firm_cash_weeks", &labour_params::firm_cash_weeks, 0, 10000, "steps",
                      "Genesis cash of a firm, in steps of its full payroll", "modelling choice: a month of payroll"),
      params::real("profit_share", &labour_params::profit_share, params::closed(0.0, 1.0), "share",
                   "Share of a firm's cash above its buffer (firm_cash_weeks of payroll) paid to staff per step", "modelling choice: keeps money circulating instead of piling up in firms"),
      params::real("employment_rate", &labour_params::employment_rate, params::closed(0.0, 1.0), "probability",
                   "Share of citizens employed by a firm", "modelling choice: 10% of citizens without an employer (unemployed or inactive)"),
      params::real("firm_size_sigma", &labour_params::firm_size_sigma, params::closed(0.0, 5.0), "lognormal sigma",
                   "Lognormal sigma of firm sizes (weights for drawing employers)", "modelling choice: skewed firm sizes (lognormal)"),
      params::integer("wage_mean", &labour_params::wage_mean, 1, 1'000'000'000, "cash",
                      "Mean gross wage per step across firms", "modelling choice: £500/week ≈ £26k/year, near the UK median"),
      params::real("wage_sigma", &labour_params::wage_sigma, params::closed(0.0, 3.0), "lognormal sigma",
                   "Lognormal sigma of firms' wage levels", "modelling choice: wage dispersion across firms"),
      params::real("income_tax", &labour_params::income_tax, params::right_open(0.0, 1.0), "share",
                   "Income tax rate withheld from every wage for the government", "UK basic rate 20%"),
  };
}

}  // namespace civitas::society
