#include "society/behaviours/misconduct.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
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
          "misconduct_rule", &P::misconduct_rule, behaviour::social_rule_names,
          "fixed: a fixed chance, no victim, only where watched; logit: theft as a choice under every "
          "regime, deterred by the regime's expected sanction; reinforcement: theft learnt from the gains "
          "and sanctions each citizen realised (Roth-Erev); imitation: theft spread by copying a "
          "better-paid social neighbour's strategy (Fermi rule)",
          "Becker 1968; McFadden 1974 (domain.md §8); Erev & Roth 1998; Szabo & Toke 1998"),
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
      params::real("misconduct_propensity", &P::misconduct_propensity, params::closed(1e-6, 1e9), "cash",
                   "Reinforcement rule: each citizen's initial propensity to steal and to abstain (equal, "
                   "so it starts at a fair coin; larger learns more slowly)",
                   "Erev & Roth 1998: q(1) = s(1) x mean payoff / N, s(1) = 9 fitted"),
      params::real("misconduct_forgetting", &P::misconduct_forgetting, params::closed(0.0, 1.0), "share",
                   "Reinforcement rule: share of its propensities a citizen forgets each step (phi)",
                   "Erev & Roth 1998: phi = 0.1 fitted over 12 games"),
      params::real("misconduct_experimentation", &P::misconduct_experimentation, params::closed(0.0, 1.0),
                   "share",
                   "Reinforcement rule: share of a step's payoff that reinforces the action not played "
                   "(epsilon)",
                   "Erev & Roth 1998: epsilon = 0.2 fitted over 12 games"),
      params::real("misconduct_payoff_shift", &P::misconduct_payoff_shift, params::closed(0.0, 1e9), "cash",
                   "Reinforcement rule: cash added to every realised payoff so it is non-negative (a payoff "
                   "still below 0, a fine larger than this, reinforces nothing)",
                   "Erev & Roth 1998: payoffs less the smallest possible payoff"),
      params::real("misconduct_beta", &P::misconduct_beta, params::closed(0.0, 1e6), "per cash",
                   "Imitation rule: selection strength of the Fermi rule on the payoff gap (0: copy a "
                   "neighbour with chance 1/2 whatever it earned)",
                   "Traulsen, Nowak & Pacheco 2006"),
      params::real("misconduct_mutation", &P::misconduct_mutation, params::closed(0.0, 1.0), "probability",
                   "Imitation rule: chance per step that a citizen takes a random strategy (exploration)",
                   "modelling choice: keeps both strategies reachable"),
  };
}

namespace misconduct {

using ledger::transfer_intent;

// Roth-Erev actions, in this order in a citizen's propensities.
constexpr std::size_t steal = 0, abstain = 1;

bool modelled(const society_state& s) {
  return s.misconduct_p_.misconduct_rule != behaviour::rule::fixed || s.regime_->observes_acts();
}

void draw(society_state& s, sim::world& w) {
  const misconduct_params& p = s.misconduct_p_;
  const step_t step = w.ledger().current_step();
  // Logit and reinforcement both make theft a real act with a victim; only how it is chosen differs.
  const bool chosen = p.misconduct_rule != behaviour::rule::fixed;
  const bool learns = p.misconduct_rule == behaviour::rule::reinforcement;
  const bool imitates = p.misconduct_rule == behaviour::rule::imitation;
  const bool first = imitates && s.misconduct_payoff_.size() != s.citizens_;
  if (first) s.misconduct_payoff_.assign(s.citizens_, 0.0);
  // Imitation copies from the strategies every citizen held before this step's update.
  const std::vector<std::uint8_t> before = imitates ? s.misconduct_ : std::vector<std::uint8_t>{};
  if (learns && s.steal_propensity_.size() != s.citizens_) {
    // Set on first use rather than in setup: the state exists only for runs that learn, and a run's
    // first draw is its first step, so every run starts from the same propensities.
    s.steal_propensity_.assign(s.citizens_, p.misconduct_propensity);
    s.abstain_propensity_.assign(s.citizens_, p.misconduct_propensity);
  }
  if (learns || imitates) s.misconduct_taken_.assign(s.citizens_, 0);
  // The same chance for every citizen this step: the gain against its scruple and what the regime would take.
  const double net_gain =
      static_cast<double>(p.misconduct_gain) - p.misconduct_scruple - s.regime_->expected_sanction();
  const double chance = p.misconduct_rule == behaviour::rule::logit
                            ? behaviour::logit_probability(p.misconduct_lambda, net_gain)
                            : p.misconduct_probability;
  std::vector<agent_id> victim(chosen ? s.citizens_ : 0);
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, s.citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      rng_stream draws(s.run_.seed, c, step, purpose::misconduct);
      if (learns) {
        const std::array<double, 2> q{s.steal_propensity_[c], s.abstain_propensity_[c]};
        s.misconduct_[c] = behaviour::reinforcement_choice(q, draws) == steal;
      } else if (imitates) {
        if (first) {
          s.misconduct_[c] = draws.uniform01() < 0.5;  // a fair coin of strategies at the start
        } else {
          const std::uint32_t model = behaviour::imitate(c, s.graph_.neighbours_of(c), s.misconduct_payoff_,
                                                         p.misconduct_beta, draws);
          s.misconduct_[c] = before[model];
          if (draws.uniform01() < p.misconduct_mutation) s.misconduct_[c] = draws.uniform01() < 0.5;
        }
      } else {
        s.misconduct_[c] = draws.uniform01() < chance;
      }
      if (chosen && s.misconduct_[c]) {
        const agent_id v = draws.below(s.citizens_ - 1);
        victim[c] = v >= c ? v + 1 : v;  // anyone but the thief
      }
    }
  });
  s.flows_.misconduct = std::count(s.misconduct_.begin(), s.misconduct_.end(), 1);
  if (!chosen || p.misconduct_gain <= 0) return;
  ledger::ledger& l = w.ledger();
  for (agent_id c = 0; c < s.citizens_; ++c) {
    if (!s.misconduct_[c]) continue;
    const account_id from = s.cash_account(victim[c]);
    const amount_t taken = std::min(p.misconduct_gain, l.balance(from));
    if (taken <= 0) continue;
    const transfer_intent t{from, s.cash_account(c), taken, 0, 0, code(reason::theft)};
    if (l.apply(std::span(&t, 1), c) != ledger::status::applied) continue;
    s.flows_.stolen += taken;
    if (learns || imitates) s.misconduct_taken_[c] = taken;
  }
}

void learn(society_state& s, const sim::world& w, std::size_t first_record) {
  const misconduct_params& p = s.misconduct_p_;
  const bool imitates = p.misconduct_rule == behaviour::rule::imitation;
  if (p.misconduct_rule != behaviour::rule::reinforcement && !imitates) return;
  // What the regime charged each citizen this step: its sanctions from the citizen's cash, as recorded
  // (read serially, in record order; an innocent wrongly fined suffers it too and learns from it).
  std::vector<amount_t> sanction(s.citizens_, 0);
  const auto& records = w.ledger().step_records();
  for (std::size_t i = first_record; i < records.size(); ++i) {
    const ledger::transfer_record& r = records[i];
    if (r.status != static_cast<std::uint8_t>(ledger::status::applied) || !s.regime_->is_sanction(r.reason))
      continue;
    if (r.debit < s.first_cash_account_ || r.debit - s.first_cash_account_ >= s.citizens_) continue;
    sanction[r.debit - s.first_cash_account_] += r.amount;
  }
  // Each citizen's update reads only its own state: parallel, and the same at any thread count.
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, s.citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      const bool stole = s.misconduct_[c] != 0;
      const double payoff = static_cast<double>((stole ? s.misconduct_taken_[c] : 0) - sanction[c]);
      if (imitates) {
        s.misconduct_payoff_[c] = payoff;
        continue;
      }
      std::array<double, 2> q{s.steal_propensity_[c], s.abstain_propensity_[c]};
      behaviour::reinforce(q, stole ? steal : abstain, payoff + p.misconduct_payoff_shift,
                           p.misconduct_forgetting, p.misconduct_experimentation);
      s.steal_propensity_[c] = q[steal];
      s.abstain_propensity_[c] = q[abstain];
    }
  });
}

std::vector<column> columns(const society_state& s) {
  // Where misconduct is not modelled (the fixed rule under a regime that does not watch) the columns are NaN.
  return {{"misconduct", [&s](const report&) { return modelled(s) ? as_double(s.flows_.misconduct) : nan; }},
          {"stolen", [&s](const report&) { return modelled(s) ? as_double(s.flows_.stolen) : nan; }}};
}

}  // namespace misconduct

}  // namespace civitas::society
