#include "society/behaviours/misconduct.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> misconduct_params::declare() {
  using P = misconduct_params;
  return {
      params::real("misconduct_probability", &P::misconduct_probability, params::closed(0.0, 1.0),
                   "probability",
                   "Fixed rule: chance per step that a citizen misbehaves (seen only by a regime that looks)",
                   "modelling choice"),
      params::choice(
          "misconduct_rule", &P::misconduct_rule, behaviour::rule_names,
          "fixed: a fixed chance, no victim, only where watched; logit: theft as a choice under every "
          "regime, deterred by the regime's expected sanction",
          "Becker 1968; McFadden 1974 (domain.md §8)"),
      params::integer("misconduct_gain", &P::misconduct_gain, 0, 1'000'000'000, "cash",
                      "Logit rule: cash a thief takes from its victim (at most the victim's cash)",
                      "modelling choice"),
      params::real("misconduct_lambda", &P::misconduct_lambda, params::closed(0.0, 100.0), "per cash",
                   "Logit rule: precision of the choice; 0 makes every citizen toss a fair coin",
                   "McKelvey & Palfrey 1995"),
      params::real(
          "misconduct_scruple", &P::misconduct_scruple, params::closed(0.0, 1e9), "cash",
          "Logit rule: the moral cost of misconduct a citizen feels (0: only gain and sanction count)",
          "modelling choice: the intrinsic term of the act's utility"),
  };
}

namespace misconduct {

using ledger::transfer_intent;

bool modelled(const society_state& s) {
  return s.misconduct_p_.misconduct_rule == behaviour::rule::logit || s.regime_->observes_acts();
}

void draw(society_state& s, sim::world& w) {
  const misconduct_params& p = s.misconduct_p_;
  const step_t step = w.ledger().current_step();
  const bool logit = p.misconduct_rule == behaviour::rule::logit;
  // The same chance for every citizen this step: the gain against its scruple and what the regime would take.
  const double net_gain =
      static_cast<double>(p.misconduct_gain) - p.misconduct_scruple - s.regime_->expected_sanction();
  const double chance =
      logit ? behaviour::logit_probability(p.misconduct_lambda, net_gain) : p.misconduct_probability;
  std::vector<agent_id> victim(logit ? s.citizens_ : 0);
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, s.citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      rng_stream draws(s.run_.seed, c, step, purpose::misconduct);
      s.misconduct_[c] = draws.uniform01() < chance;
      if (logit && s.misconduct_[c]) {
        const agent_id v = draws.below(s.citizens_ - 1);
        victim[c] = v >= c ? v + 1 : v;  // anyone but the thief
      }
    }
  });
  s.flows_.misconduct = std::count(s.misconduct_.begin(), s.misconduct_.end(), 1);
  if (!logit || p.misconduct_gain <= 0) return;
  ledger::ledger& l = w.ledger();
  for (agent_id c = 0; c < s.citizens_; ++c) {
    if (!s.misconduct_[c]) continue;
    const account_id from = s.cash_account(victim[c]);
    const amount_t taken = std::min(p.misconduct_gain, l.balance(from));
    if (taken <= 0) continue;
    const transfer_intent t{from, s.cash_account(c), taken, 0, 0, code(reason::theft)};
    if (l.apply(std::span(&t, 1), c) == ledger::status::applied) s.flows_.stolen += taken;
  }
}

std::vector<column> columns(const society_state& s) {
  // Where misconduct is not modelled (the fixed rule under a regime that does not watch) the columns are NaN.
  return {{"misconduct", [&s](const report&) { return modelled(s) ? as_double(s.flows_.misconduct) : nan; }},
          {"stolen", [&s](const report&) { return modelled(s) ? as_double(s.flows_.stolen) : nan; }}};
}

}  // namespace misconduct

}  // namespace civitas::society
