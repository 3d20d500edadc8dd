#include "society/behaviours/giving.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> giving_params::declare() {
  using P = giving_params;
  return {
      params::real("donation_probability", &P::donation_probability, params::closed(0.0, 1.0), "probability",
                   "Fixed rule: chance per step that a citizen donates", "modelling choice"),
      params::real("donation_share", &P::donation_share, params::closed(0.0, 1.0), "share",
                   "Share of step-start cash a donation gives", "modelling choice"),
      params::choice("donation_rule", &P::donation_rule, behaviour::rule_names,
                     "fixed: a fixed chance; logit: a choice on the warm glow of giving to the best-aligned "
                     "charity, the regime's reward for the gift, its cost and neighbours' gifts",
                     "Andreoni 1990 (warm glow); McFadden 1974"),
      params::real("donation_lambda", &P::donation_lambda, params::closed(0.0, 100.0), "per cash",
                   "Logit rule: precision of the donation choice; 0 makes every citizen toss a fair coin",
                   "McKelvey & Palfrey 1995"),
      params::real("donation_motive", &P::donation_motive, params::closed(0.0, 1e9), "cash",
                   "Logit rule: warm glow of a gift to a charity perfectly aligned with the citizen's values "
                   "(scaled by the alignment with the charity it gives to)",
                   "Andreoni 1990: the warm glow of giving; modelling choice"),
      params::real("donation_social", &P::donation_social, params::closed(0.0, 1e9), "cash",
                   "Logit rule: pull of neighbours' gifts (times the share of social neighbours who gave "
                   "last step)",
                   "modelling choice: social contagion of giving"),
  };
}

namespace giving {

using ledger::transfer_intent;

behaviour::utility utility(const giving_params& p, amount_t gift, double alignment, double reward,
                           double peers) {
  return {p.donation_motive * alignment, reward, static_cast<double>(gift), p.donation_social * peers};
}

namespace {
// The best-aligned of offers_sampled charities drawn from `draws`, with its alignment.
std::pair<std::uint32_t, double> best_charity(const society_state& s, agent_id a, rng_stream& draws) {
  std::uint32_t chosen = 0;
  double best = -2;
  for (std::uint32_t i = 0; i < s.consumption_.offers_sampled; ++i) {
    const std::uint32_t h = draws.below(s.charities_);
    const double fit = s.alignment(a, s.charity_agent(h));
    if (fit > best) {
      best = fit;
      chosen = h;
    }
  }
  return {chosen, best};
}
}  // namespace

void decide(const society_state& s, agent_id a, amount_t cash, step_t step, rng_stream& draws,
            std::vector<transfer_intent>& out) {
  const giving_params& p = s.giving_;
  const amount_t gift = share_of(cash, p.donation_share);
  if (p.donation_rule == behaviour::rule::logit) {
    // Its own donation stream: whether and where it gives never moves its later draws (its sales).
    if (gift <= 0) return;
    rng_stream own(s.run_.seed, a, step, purpose::donation);
    const auto [chosen, fit] = best_charity(s, a, own);
    const double peers = s.neighbour_share(a, s.gave_);
    const behaviour::utility u = utility(p, gift, fit, s.regime_->giving_reward(gift), peers);
    if (own.uniform01() >= behaviour::logit_probability(p.donation_lambda, u.total())) return;
    out.push_back({s.cash_account(a), s.cash_account(s.charity_agent(chosen)), gift, 0, 0,
                   code(society::reason::donation)});
    return;
  }
  // Fixed rule: to the best-aligned of a few sampled charities.
  if (draws.uniform01() < p.donation_probability) {
    if (gift > 0) {
      const std::uint32_t chosen = best_charity(s, a, draws).first;
      out.push_back({s.cash_account(a), s.cash_account(s.charity_agent(chosen)), gift, 0, 0,
                     code(society::reason::donation)});
    }
  }
}

void read(record_table& t) {
  t.on(society::reason::donation,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         const agent_id donor = rr.owner(r.debit);
         citizen_books& c = s.citizen_books_[donor];  // one donation per citizen per step
         c.giving += r.amount;
         ++c.gifts;
         s.gift_now_[donor] = r.amount;
         add_atomic(s.charity_books_[rr.owner(r.credit) - s.citizens_ - s.firms_].received, r.amount);
         f.donations += r.amount;
         ++f.donors;
       });
}

void reward(society_state& s, const view& v, sim::world& w) {
  for (agent_id c = 0; c < s.citizens_; ++c) s.gave_[c] = s.gift_now_[c] > 0;
  s.regime_->reward_gifts(v, w, s.gift_now_);
}

std::vector<column> columns(const society_state& s) {
  std::vector<column> out{{"donations", [&s](const report&) { return as_double(s.flows_.donations); }}};
  // Only under the logit rule, so runs under the default rule keep their column set.
  if (s.giving_.donation_rule == behaviour::rule::logit)
    out.push_back({"donation_rate", [&s](const report&) {
                     return as_double(s.flows_.donors) / static_cast<double>(std::max(1u, s.citizens_));
                   }});
  return out;
}

}  // namespace giving

}  // namespace civitas::society
