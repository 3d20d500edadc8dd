#include "society/behaviours/population.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> organisation_params::declare() {
  return {
      params::integer("firms", &organisation_params::firms, 3, 10'000'000, "agents",
                      "Number of firms (society model)", "modelling choice: 1 firm per 50 citizens"),
      params::integer("charities", &organisation_params::charities, 1, 10'000'000, "agents",
                      "Number of charities (society model; there is always one government)",
                      "modelling choice: 1 charity per 500 citizens"),
  };
}

std::vector<params::param> values_params::declare() {
  return {
      params::integer("dimensions", &values_params::dimensions, 1, 17, "",
                      "Value dimensions: the first K UN SDGs of data/sdg_dimensions.csv",
                      "domain.md §2: the 17 UN SDGs"),
      params::real(
          "spread_exponent", &values_params::spread_exponent, params::closed(0.0, 100.0), "",
          "Citizens' and firms' weight on each goal is u^e (u uniform): values spread over many goals",
          "modelling choice"),
      params::real("focus_exponent", &values_params::focus_exponent, params::closed(0.0, 100.0), "",
                   "Charities' weight on each goal is u^e: a larger e focuses a charity on a few missions",
                   "modelling choice"),
  };
}

std::vector<params::param> endowment_params::declare() {
  return {
      params::integer("cash_citizen", &endowment_params::cash_citizen, 0, 1'000'000'000'000, "cash",
                      "Genesis cash of every citizen", "modelling choice: four weeks of the mean net wage"),
      params::integer("cash_charity", &endowment_params::cash_charity, 0, 1'000'000'000'000, "cash",
                      "Genesis cash of every charity", "modelling choice"),
      params::integer("cash_government_per_citizen", &endowment_params::cash_government_per_citizen, 0,
                      1'000'000'000'000, "cash", "Genesis cash of the government, per citizen",
                      "modelling choice"),
  };
}

namespace population {

using ledger::transfer_intent;

void endow(const society_state& s, sim::world& w) {
  ledger::ledger& l = w.ledger();
  const account_id cash_issuer = l.issuer_account(0);
  auto mint = [&](account_id issuer, account_id to, amount_t amount, token_id token) {
    if (amount <= 0) return;
    const transfer_intent t{issuer, to, amount, 0, token, code(ledger::reason::endowment)};
    l.apply(std::span(&t, 1), system_agent);
  };
  for (agent_id c = 0; c < s.citizens_; ++c)
    mint(cash_issuer, s.cash_account(c), s.endowment_.cash_citizen, 0);
  for (std::uint32_t f = 0; f < s.firms_; ++f) {
    const auto staff = static_cast<amount_t>(s.staff_offsets_[f + 1] - s.staff_offsets_[f]);
    mint(cash_issuer, s.cash_account(s.firm_agent(f)),
         static_cast<amount_t>(s.labour_.firm_cash_weeks) * std::max(staff, amount_t{1}) * s.firm_[f].wage,
         0);
  }
  for (std::uint32_t h = 0; h < s.charities_; ++h)
    mint(cash_issuer, s.cash_account(s.charity_agent(h)), s.endowment_.cash_charity, 0);
  mint(cash_issuer, s.cash_account(s.government()), s.endowment_.cash_government_per_citizen * s.citizens_,
       0);
  for (std::size_t k = 0; k < deed_categories; ++k) {
    mint(cash_issuer, s.pool_cash_[k], s.pools_.pool_cash_per_citizen * s.citizens_, 0);
    mint(l.issuer_account(s.value_token(k)), s.pool_tokens_[k],
         s.pools_.pool_tokens_per_citizen * s.citizens_, s.value_token(k));
  }
}

std::vector<column> columns(const society_state& s) {
  const auto full_only = [](double v, const report& r) { return r.full ? v : nan; };
  return {
      {"gini_cash", [=](const report& r) { return full_only(r.cash.gini, r); }},
      {"gini_value", [=](const report& r) { return full_only(r.value.gini, r); }},
      {"gini_total", [=](const report& r) { return full_only(r.total.gini, r); }},
      {"top10_share_cash", [=](const report& r) { return full_only(r.cash.top10_share, r); }},
      {"bottom50_share_cash", [=](const report& r) { return full_only(r.cash.bottom50_share, r); }},
      {"top10_share_value", [=](const report& r) { return full_only(r.value.top10_share, r); }},
      {"bottom50_share_value", [=](const report& r) { return full_only(r.value.bottom50_share, r); }},
      {"top10_share_total", [=](const report& r) { return full_only(r.total.top10_share, r); }},
      {"bottom50_share_total", [=](const report& r) { return full_only(r.total.bottom50_share, r); }},
      {"mean_cash_citizen", [=](const report& r) { return full_only(r.cash.mean, r); }},
      {"total_value", [](const report& r) { return r.total_value; }},
      {"financial_value", [](const report& r) { return r.financial_value; }},
      {"social_impact", [](const report& r) { return r.social_impact; }},
      {"added_social_value", [](const report& r) { return r.social_impact - r.social_spend; }},
      {"social_impact_median_org", [](const report& r) { return r.social_impact_median; }},
      {"social_impact_p90_org", [](const report& r) { return r.social_impact_p90; }},
      {"government_cash",
       [&s](const report& r) { return static_cast<double>(r.l.balance(s.cash_account(s.government()))); }},
  };
}

}  // namespace population

}  // namespace civitas::society
