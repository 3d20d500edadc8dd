#include "society/behaviours/data.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> data_params::declare() {
  return {
      params::real("data_consent", &data_params::data_consent, params::closed(0.0, 1.0), "probability",
                   "Share of citizens who consent to share their data", "domain.md §5"),
      params::integer("data_value_per_customer", &data_params::data_value_per_customer, 0, 1'000'000'000,
                      "cash", "Value a retailer creates per consenting customer per step",
                      "modelling choice"),
      params::real("data_tax", &data_params::data_tax, params::closed(0.0, 1.0), "share",
                   "Social tax on the value created from data, paid to charities",
                   "domain.md §5: default 19%"),
      params::real("data_tax_relief", &data_params::data_tax_relief, params::closed(0.0, 1.0), "share",
                   "Share of the data tax the government refunds as tax relief",
                   "domain.md §5: optional tax relief"),
  };
}

namespace data {

using ledger::transfer_intent;

void pay_tax(const society_state& s, std::uint32_t f, firm_purse& purse) {
  const firm_traits& t = s.firm_[f];
  if (t.stage != 2) return;
  const auto fund = s.regime_->common_fund();
  const account_id charity = s.cash_account(s.charity_agent(t.charity));
  purse.pay(
      fund && s.regime_->data_tax_to_fund() ? *fund : charity,
      share_of(static_cast<amount_t>(s.firm_books_[f].consenting_last) * s.data_.data_value_per_customer,
               s.data_.data_tax),
      society::reason::data_tax);
}

void pay_relief(society_state& s, sim::world& w) {
  if (s.data_.data_tax_relief <= 0) return;
  ledger::ledger& l = w.ledger();
  for (std::uint32_t f = 0; f < s.firms_; ++f) {
    const amount_t relief = share_of(s.firm_books_[f].data_tax_now, s.data_.data_tax_relief);
    if (relief <= 0) continue;
    const transfer_intent t{s.cash_account(s.government()),   s.cash_account(s.firm_agent(f)), relief, 0, 0,
                            code(society::reason::tax_relief)};
    if (l.apply(std::span(&t, 1), s.government()) == ledger::status::applied) s.flows_.relief += relief;
  }
}

void read(record_table& t) {
  t.on(society::reason::data_tax,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         add_atomic(record_social_spend(s, rr, r).data_tax_now, r.amount);
         f.data_tax += r.amount;
       });
}

std::vector<column> columns(const society_state& s) {
  return {{"data_tax", [&s](const report&) { return as_double(s.flows_.data_tax); }},
          {"tax_relief", [&s](const report&) { return as_double(s.flows_.relief); }}};
}

}  // namespace data

}  // namespace civitas::society
