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
                   "Fixed rule: share of citizens who consent to share their data", "domain.md §5"),
      params::integer("data_value_per_customer", &data_params::data_value_per_customer, 0, 1'000'000'000,
                      "cash", "Value a retailer creates per consenting customer per step",
                      "modelling choice"),
      params::real("data_tax", &data_params::data_tax, params::closed(0.0, 1.0), "share",
                   "Social tax on the value created from data, paid to charities",
                   "domain.md §5: default 19%"),
      params::real("data_tax_relief", &data_params::data_tax_relief, params::closed(0.0, 1.0), "share",
                   "Share of the data tax the government refunds as tax relief",
                   "domain.md §5: optional tax relief"),
      params::choice("consent_rule", &data_params::consent_rule, behaviour::rule_names,
                     "fixed: consent drawn once at data_consent; logit: a choice every step on what "
                     "consent gives the citizen and the regime's reward against the privacy cost",
                     "Acquisti, Brandimarte & Loewenstein 2015 (privacy calculus); McFadden 1974"),
      params::real("consent_lambda", &data_params::consent_lambda, params::closed(0.0, 100.0), "per cash",
                   "Logit rule: precision of the consent choice; 0 makes every citizen toss a fair coin",
                   "McKelvey & Palfrey 1995"),
      params::real("consent_benefit", &data_params::consent_benefit, params::closed(0.0, 1e9), "cash",
                   "Logit rule: what consenting gives a citizen per step (personalised offers, convenience)",
                   "Dinev & Hart 2006 (privacy calculus): the benefit of disclosure; modelling choice"),
      params::real("privacy_cost", &data_params::privacy_cost, params::closed(0.0, 1e9), "cash",
                   "Logit rule: what a citizen feels it loses per step by sharing its data (a regime may "
                   "add to it)",
                   "Culnan & Armstrong 1999; Acquisti et al. 2015: the privacy cost; modelling choice"),
  };
}

namespace data {

using ledger::transfer_intent;

behaviour::utility consent_utility(const data_params& p, double reward, double penalty) {
  return {0, p.consent_benefit + reward, p.privacy_cost + penalty, 0};
}

double consent_probability(const society_state& s) {
  const data_params& p = s.data_;
  if (p.consent_rule != behaviour::rule::logit) return p.data_consent;
  const behaviour::utility u = consent_utility(p, s.regime_->consent_reward(), s.regime_->privacy_penalty());
  return behaviour::logit_probability(p.consent_lambda, u.total());
}

void decide_consent(society_state& s, const sim::world& w) {
  if (s.data_.consent_rule != behaviour::rule::logit) return;
  const step_t step = w.ledger().current_step();
  const double chance = consent_probability(s);
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, s.citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      rng_stream draws(s.run_.seed, c, step, purpose::consent);
      s.consent_[c] = draws.uniform01() < chance;
    }
  });
  s.flows_.consenting = static_cast<amount_t>(std::count(s.consent_.begin(), s.consent_.end(), 1));
}

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
  std::vector<column> out{{"data_tax", [&s](const report&) { return as_double(s.flows_.data_tax); }},
                          {"tax_relief", [&s](const report&) { return as_double(s.flows_.relief); }}};
  // Only under the logit rule, so runs under the default rule keep their column set: the share of citizens
  // who decided this step to consent (for the next step's purchases).
  if (s.data_.consent_rule == behaviour::rule::logit)
    out.push_back({"consent_rate", [&s](const report&) {
                     return as_double(s.flows_.consenting) / static_cast<double>(std::max(1u, s.citizens_));
                   }});
  return out;
}

}  // namespace data

}  // namespace civitas::society
