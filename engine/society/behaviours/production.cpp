#include "society/behaviours/production.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> production_params::declare() {
  return {
      params::real("raw_share", &production_params::raw_share, params::closed(0.0, 1.0), "share",
                   "Share of firms at the raw-material stage", "domain.md §2: supply-chain stages"),
      params::real("manufacturer_share", &production_params::manufacturer_share, params::closed(0.0, 1.0),
                   "share", "Share of firms at the manufacturing stage (the rest retail)",
                   "domain.md §2: supply-chain stages"),
      params::integer("suppliers_per_firm", &production_params::suppliers_per_firm, 1, 1000, "agents",
                      "Upstream suppliers of each manufacturer and retailer", "modelling choice"),
      params::real("input_share", &production_params::input_share, params::right_open(0.0, 1.0), "share",
                   "Share of last step's revenue a firm spends on inputs from its suppliers",
                   "modelling choice: intermediate inputs ≈ 60% of output"),
      params::real("csr_share", &production_params::csr_share, params::closed(0.0, 1.0), "share",
                   "Share of last step's revenue a firm gives to its best-aligned charity",
                   "modelling choice: 2% (India's statutory CSR is 2% of profit; here of revenue)"),
      params::real("co2_per_1000", &production_params::co2_per_1000, params::closed(0.0, 1000.0),
                   "tCO2 per 1000 cash", "Mean tonnes of CO2 emitted per 1000 cash of revenue",
                   "modelling choice"),
      params::real("co2_sigma", &production_params::co2_sigma, params::closed(0.0, 3.0), "lognormal sigma",
                   "Lognormal sigma of firms' CO2 intensity", "modelling choice"),
  };
}

namespace production {

using ledger::transfer_intent;

void buy_inputs(const society_state& s, std::uint32_t f, firm_purse& purse) {
  const firm_books& b = s.firm_books_[f];
  const auto suppliers = s.chain_.suppliers_of(f);
  if (suppliers.empty()) return;
  // Inputs per unit sold: a dearer price needs fewer for the same revenue, good conduct dearer ones.
  const amount_t inputs = std::min(
      share_of(b.revenue_last, s.production_.input_share * firm_strategy::input_factor(s, f)), purse.cash);
  const auto count = static_cast<amount_t>(suppliers.size());
  for (std::size_t i = 0; i < suppliers.size(); ++i)
    purse.pay(s.cash_account(s.firm_agent(suppliers[i])), inputs / count + (i == 0 ? inputs % count : 0),
              society::reason::input_purchase);
}

void pay_csr(const society_state& s, std::uint32_t f, firm_purse& purse) {
  const auto fund = s.regime_->common_fund();
  const account_id charity = s.cash_account(s.charity_agent(s.firm_[f].charity));
  purse.pay(fund && s.regime_->csr_to_fund() ? *fund : charity,
            share_of(s.firm_books_[f].revenue_last, s.firm_[f].csr), society::reason::csr);
}

void read(record_table& t) {
  t.on(society::reason::input_purchase,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         const std::uint32_t customer = rr.owner(r.debit) - s.citizens_,
                             supplier = rr.owner(r.credit) - s.citizens_;
         record_sale(s, rr, supplier, r);
         const auto list = s.chain_.suppliers_of(customer);
         const auto it = std::lower_bound(list.begin(), list.end(), supplier);
         add_atomic(s.edge_spend_[s.chain_.offsets[customer] + static_cast<std::size_t>(it - list.begin())],
                    r.amount);
         f.inputs += r.amount;
       });
  t.on(society::reason::csr,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         record_social_spend(s, rr, r);
         f.csr += r.amount;
       });
}

std::vector<column> columns(const society_state& s) {
  return {{"input_purchases", [&s](const report&) { return as_double(s.flows_.inputs); }},
          {"csr", [&s](const report&) { return as_double(s.flows_.csr); }}};
}

}  // namespace production

}  // namespace civitas::society
