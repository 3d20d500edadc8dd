#include "society/behaviours/pools.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/pool.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> pool_params::declare() {
  return {
      params::boolean("value_tradable", &pool_params::value_tradable,
                      "Value tokens may be sold for cash on the constant-product pool",
                      "domain.md §3, domain.md §4 (market)"),
      params::real("sell_probability", &pool_params::sell_probability, params::closed(0.0, 1.0),
                   "probability", "Chance per step that a citizen sells its value tokens",
                   "modelling choice"),
      params::integer("pool_cash_per_citizen", &pool_params::pool_cash_per_citizen, 1, 1'000'000, "cash",
                      "Cash reserve of each category's pool at genesis, per citizen",
                      "domain.md §3: constant-product pool"),
      params::integer("pool_tokens_per_citizen", &pool_params::pool_tokens_per_citizen, 1, 1'000'000,
                      "value tokens", "Token reserve of each category's pool at genesis, per citizen",
                      "domain.md §3: constant-product pool"),
  };
}

namespace pools {

using ledger::transfer_intent;

void decide(const society_state& s, std::span<const amount_t> balances, agent_id a, rng_stream& draws,
            std::vector<transfer_intent>& out) {
  // Selling value tokens on the pools, where the regime lets them trade.
  if (s.regime_->value_tradable()) {
    if (draws.uniform01() < s.pools_.sell_probability)
      for (std::size_t k = 0; k < deed_categories; ++k) {
        const amount_t held = balances[s.value_account(k, a)];
        if (held > 0)
          out.push_back({s.value_account(k, a), s.pool_tokens_[k], held, 0, s.value_token(k),
                         code(society::reason::sell_value)});
      }
  }
}

void clear(society_state& s, sim::world& w) {
  ledger::ledger& l = w.ledger();
  for (std::size_t k = 0; k < deed_categories; ++k) {
    const auto& sells = s.flows_.sells[k];  // in record order
    if (sells.empty()) continue;
    amount_t sold = 0;
    std::vector<amount_t> amounts;
    for (const auto& [who, amount] : sells) {
      sold += amount;
      amounts.push_back(amount);
    }
    const amount_t reserve_before = l.balance(s.pool_tokens_[k]) - sold;
    const auto paid = clear_sells(reserve_before, l.balance(s.pool_cash_[k]), amounts);
    s.flows_.sold += sold;
    for (std::size_t i = 0; i < paid.size(); ++i) {
      if (paid[i] <= 0) continue;
      const transfer_intent t{s.pool_cash_[k],
                              s.cash_account(sells[i].first),
                              paid[i],
                              0,
                              0,
                              code(society::reason::exchange_payout)};
      if (l.apply(std::span(&t, 1), system_agent) == ledger::status::applied) s.flows_.payout += paid[i];
    }
  }
}

void read(record_table& t) {
  t.on(society::reason::sell_value,
       [](society_state&, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         f.sells[r.token - 1].emplace_back(rr.owner(r.debit), r.amount);
       });
}

std::vector<column> columns(const society_state& s) {
  std::vector<column> c = {{"value_held", [](const report& r) { return as_double(r.held); }},
                           {"value_sold", [&s](const report&) { return as_double(s.flows_.sold); }},
                           {"exchange_payout", [&s](const report&) { return as_double(s.flows_.payout); }}};
  for (std::size_t k = 0; k < deed_categories; ++k)
    c.push_back({std::string("pool_price_") + deed_category_names[k], [&s, k](const report& r) {
                   return pool_price(r.l.balance(s.pool_tokens_[k]), r.l.balance(s.pool_cash_[k]));
                 }});
  return c;
}

}  // namespace pools

}  // namespace civitas::society
