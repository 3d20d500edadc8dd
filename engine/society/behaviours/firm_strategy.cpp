#include "society/behaviours/firm_strategy.hpp"

#include <algorithm>
#include <cmath>

#include "behaviour/choice.hpp"
#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> firm_strategy_params::declare() {
  using P = firm_strategy_params;
  return {
      params::choice("firm_rule", &P::rule, firm_rule_names,
                     "How firms set wage, price, CSR, social-value offer, delivery and conduct: fixed = as "
                     "drawn; reinforcement = Roth-Erev per lever on the firm's profit; imitation = copy a "
                     "more profitable firm of the same stage (Fermi rule)",
                     "Erev & Roth 1998; Szabo & Toke 1998; docs/ODD.md, \"Firms' strategies\""),
      params::integer("firm_review", &P::firm_review, 1, 1'000'000, "steps",
                      "Steps between a firm's reviews of its levers (a learning rule's update period)",
                      "modelling choice: firms revise monthly"),
      params::real("firm_propensity", &P::firm_propensity, params::closed(1e-6, 1e9), "profit rate",
                   "Reinforcement: initial propensity of every level of every lever (larger learns slower)",
                   "Erev & Roth 1998: initial propensities of the order of one period's payoff"),
      params::real("firm_forgetting", &P::firm_forgetting, params::closed(0.0, 1.0), "share",
                   "Reinforcement: share of its propensities a firm forgets at each review (phi)",
                   "Erev & Roth 1998: phi = 0.1 fitted over 12 games"),
      params::real(
          "firm_experimentation", &P::firm_experimentation, params::closed(0.0, 1.0), "share",
          "Reinforcement: share of a review's payoff that reinforces the levels not played (epsilon)",
          "Erev & Roth 1998: epsilon = 0.2 fitted over 12 games"),
      params::real("firm_payoff_shift", &P::firm_payoff_shift, params::closed(0.0, 1e9), "profit rate",
                   "Reinforcement: added to every profit rate so it is non-negative (a loss larger than this "
                   "reinforces nothing)",
                   "Erev & Roth 1998: payoffs less the smallest possible payoff"),
      params::real("firm_beta", &P::firm_beta, params::closed(0.0, 1e6), "per profit rate",
                   "Imitation: selection strength of the Fermi rule (0: copy with chance 1/2 whatever the "
                   "profits)",
                   "Traulsen, Nowak & Pacheco 2006"),
      params::real("firm_mutation", &P::firm_mutation, params::closed(0.0, 1.0), "probability",
                   "Imitation: chance per review that a firm moves one random lever to a random level",
                   "modelling choice: exploration keeps every level reachable"),
      params::real("conduct_cost", &P::conduct_cost, params::closed(0.0, 10.0), "share of inputs",
                   "What good conduct costs: a firm's inputs cost (1 + conduct_cost x conduct) of their base "
                   "(responsibly made inputs and working conditions are dearer); 0: conduct is free",
                   "modelling choice"),
  };
}

namespace firm_strategy {

namespace {

double multiplier(const posture& p, lever l) { return levels[l].multiplier[p.level[l]]; }

// The traits a firm's levers give, from its base traits.
void apply(society_state& s, std::uint32_t f) {
  const posture& p = s.posture_[f];
  const firm_traits& base = s.firm_base_[f];
  firm_traits& t = s.firm_[f];
  t.wage = std::max<amount_t>(1, std::llround(static_cast<double>(base.wage) * multiplier(p, wage)));
  t.price = base.price * multiplier(p, price);
  t.csr = base.csr * multiplier(p, csr);
  t.sv_share = std::min(1.0, base.sv_share * multiplier(p, offer));
  t.reliability = std::min(1.0, base.reliability * multiplier(p, delivery));
  t.conduct = std::min(1.0, base.conduct * multiplier(p, conduct));
}

// Whether a firm's lever is one it can move: price only matters to a retailer (others sell at a share
// of their customers' revenue).
bool movable(const society_state& s, std::uint32_t f, std::size_t l) {
  return l != price || s.firm_[f].stage == 2;
}

}  // namespace

bool learns(const society_state& s) { return s.firm_strategy_p_.rule != firm_rule::fixed; }

void start(society_state& s, const sim::world& w) {
  const firm_strategy_params& p = s.firm_strategy_p_;
  s.posture_.assign(s.firms_, {});
  for (std::uint32_t f = 0; f < s.firms_; ++f) {
    posture& x = s.posture_[f];
    for (std::size_t l = 0; l < levers; ++l) {
      x.level[l] = static_cast<std::uint8_t>(levels[l].start);
      for (std::size_t k = 0; k < levels[l].count; ++k) x.propensity[l][k] = p.firm_propensity;
    }
    x.cash_mark = w.ledger().balance(s.cash_account(s.firm_agent(f)));
    x.wages_mark = s.firm_books_[f].wages_paid;
    x.profit_rate = nan;
  }
}

double input_factor(const society_state& s, std::uint32_t f) {
  const double conduct_factor = 1.0 + s.firm_strategy_p_.conduct_cost * s.firm_[f].conduct;
  return conduct_factor * (s.firm_base_[f].price / s.firm_[f].price);
}

void review(society_state& s, const sim::world& w) {
  const firm_strategy_params& p = s.firm_strategy_p_;
  if (!learns(s)) return;
  const step_t step = w.ledger().current_step();
  if (step % p.firm_review != 0) return;
  const ledger::ledger& l = w.ledger();
  // Profit over the review: the change in cash plus what was shared with staff above the contract.
  for (std::uint32_t f = 0; f < s.firms_; ++f) {
    posture& x = s.posture_[f];
    const amount_t cash = l.balance(s.cash_account(s.firm_agent(f)));
    const double paid = static_cast<double>(s.firm_books_[f].wages_paid - x.wages_mark);
    const double contracted = labour::contracted_payroll(s, f, s.firm_[f].wage) * p.firm_review;
    const double profit = static_cast<double>(cash - x.cash_mark) + std::max(0.0, paid - contracted);
    const double scale = std::max(static_cast<double>(s.firm_base_[f].wage),
                                  labour::contracted_payroll(s, f, s.firm_base_[f].wage)) *
                         p.firm_review;
    x.profit_rate = profit / scale;
    x.cash_mark = cash;
    x.wages_mark = s.firm_books_[f].wages_paid;
  }
  // New levers, each firm from its own stream; imitation copies the levers its model held before the review.
  std::vector<std::array<std::uint8_t, levers>> before(p.rule == firm_rule::imitation ? s.firms_ : 0);
  for (std::uint32_t f = 0; f < before.size(); ++f) before[f] = s.posture_[f].level;
  for (std::uint32_t f = 0; f < s.firms_; ++f) {
    posture& x = s.posture_[f];
    rng_stream draws(s.run_.seed, s.firm_agent(f), step, purpose::firm_strategy);
    if (p.rule == firm_rule::reinforcement) {
      for (std::size_t lv = 0; lv < levers; ++lv) {
        if (!movable(s, f, lv)) continue;
        const std::span<double> q(x.propensity[lv].data(), levels[lv].count);
        behaviour::reinforce(q, x.level[lv], x.profit_rate + p.firm_payoff_shift, p.firm_forgetting,
                             p.firm_experimentation);
        x.level[lv] = static_cast<std::uint8_t>(behaviour::reinforcement_choice(q, draws));
      }
    } else {
      const auto& peers = s.stage_firms_[s.firm_[f].stage];
      if (peers.size() > 1) {
        // A uniform other firm of the same stage.
        auto pick = static_cast<std::size_t>(draws.below(static_cast<std::uint32_t>(peers.size() - 1)));
        const auto self =
            static_cast<std::size_t>(std::lower_bound(peers.begin(), peers.end(), f) - peers.begin());
        if (pick >= self) ++pick;
        const std::uint32_t model = peers[pick];
        const double copy =
            behaviour::imitation_probability(p.firm_beta, x.profit_rate, s.posture_[model].profit_rate);
        if (draws.uniform01() < copy) x.level = before[model];
      }
      if (draws.uniform01() < p.firm_mutation) {
        const std::size_t lv = draws.below(static_cast<std::uint32_t>(levers));
        const std::size_t k = draws.below(static_cast<std::uint32_t>(levels[lv].count));
        if (movable(s, f, lv)) x.level[lv] = static_cast<std::uint8_t>(k);
      }
    }
    apply(s, f);
  }
  for (std::size_t r = 0; r < s.retailers_.size(); ++r) s.retail_price_[r] = s.firm_[s.retailers_[r]].price;
}

std::vector<column> columns(const society_state& s) {
  // Means over firms of what their levers give (the base traits under the fixed rule).
  auto mean_trait = [&s](auto field) {
    return [&s, field](const report&) {
      double sum = 0;
      for (const firm_traits& t : s.firm_) sum += static_cast<double>(t.*field);
      return s.firms_ ? sum / s.firms_ : nan;
    };
  };
  return {
      {"firm_wage", mean_trait(&firm_traits::wage)},
      {"firm_csr_share", mean_trait(&firm_traits::csr)},
      {"firm_offer_share", mean_trait(&firm_traits::sv_share)},
      {"firm_delivery", mean_trait(&firm_traits::reliability)},
      {"firm_conduct", mean_trait(&firm_traits::conduct)},
      {"retail_price",
       [&s](const report&) {
         double sum = 0;
         for (const double x : s.retail_price_) sum += x;
         return s.retail_price_.empty() ? nan : sum / static_cast<double>(s.retail_price_.size());
       }},
      {"firm_profit_rate",
       [&s](const report&) {
         if (!learns(s)) return nan;
         std::vector<double> rates(s.firms_);
         for (std::uint32_t f = 0; f < s.firms_; ++f) rates[f] = s.posture_[f].profit_rate;
         return mean_of_finite(rates);
       }},
  };
}

}  // namespace firm_strategy

}  // namespace civitas::society
