#include "society/behaviours/good_deeds.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/pool.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> deed_params::declare() {
  return {
      params::real("deed_probability", &deed_params::deed_probability, params::closed(0.0, 1.0),
                   "probability", "Chance per step that a citizen does a good deed, before peer influence",
                   "domain.md §3"),
      params::real("peer_influence", &deed_params::peer_influence, params::closed(0.0, 100.0), "",
                   "Deed chance multiplier per share of social neighbours who did a verified deed last step",
                   "modelling choice: social contagion"),
      params::real("verification_probability", &deed_params::verification_probability,
                   params::closed(0.0, 1.0), "probability", "Chance that a deed is verified and rewarded",
                   "domain.md §3: 'when a good deed is verified'"),
      params::integer("deed_backing", &deed_params::deed_backing, 1, 1'000'000'000'000, "cash",
                      "Sponsor cash put in reserve per verified deed",
                      "domain.md §3: sponsor money backs each lot"),
      params::integer("deed_tokens", &deed_params::deed_tokens, 1, 1'000'000'000'000, "value tokens",
                      "Value tokens minted per verified deed", "domain.md §3"),
      params::choice("deed_rule", &deed_params::deed_rule, behaviour::rule_names,
                     "fixed: a fixed chance raised by neighbours; logit: a choice on motive, reward, cost "
                     "and neighbours",
                     "domain.md §8: logit (McFadden 1974)"),
      params::real("deed_lambda", &deed_params::deed_lambda, params::closed(0.0, 100.0), "per cash",
                   "Logit rule: precision of the deed choice", "McKelvey & Palfrey 1995"),
      params::real(
          "deed_motive", &deed_params::deed_motive, params::closed(0.0, 1e9), "cash",
          "Logit rule: intrinsic motive of a citizen whose values are all on the deed goals (scaled by its "
          "values on them)",
          "modelling choice"),
      params::integer(
          "deed_cost", &deed_params::deed_cost, 0, 1'000'000'000, "cash",
          "Logit rule: cash the doer gives to the citizen it helps (a real cost and a real benefit)",
          "modelling choice"),
      params::real(
          "deed_social", &deed_params::deed_social, params::closed(0.0, 1e9), "cash",
          "Logit rule: pull of neighbours' deeds (times the share of neighbours who did one last step)",
          "modelling choice: social contagion"),
      params::real("deed_crowding", &deed_params::deed_crowding, params::closed(0.0, 1.0), "share",
                   "Logit rule: share of the intrinsic motive lost when a deed is paid (motivation crowding)",
                   "Frey & Oberholzer-Gee 1997; Gneezy & Rustichini 2000; Benabou & Tirole 2006"),
  };
}

namespace good_deeds {

using ledger::transfer_intent;

void reward(society_state& s, sim::world& w) {
  ledger::ledger& l = w.ledger();
  const step_t step = l.current_step();
  // Who did a verified deed, and of which category: drawn in parallel (one stream per citizen), applied in
  // citizen order. Peer influence reads last step's deeds of the citizen's social neighbours.
  constexpr std::uint8_t none = 0xff;
  const deed_params& d = s.deeds_;
  const bool logit = d.deed_rule == behaviour::rule::logit;
  // The expected cash a verified deed earns: its tokens at the pools' mean price where they can be sold.
  double price = 0;
  if (s.regime_->value_tradable()) {
    for (std::size_t k = 0; k < deed_categories; ++k)
      price += pool_price(l.balance(s.pool_tokens_[k]), l.balance(s.pool_cash_[k])) / deed_categories;
  }
  const double reward = d.verification_probability * static_cast<double>(d.deed_tokens) * price;
  const double crowded = reward > 0 ? 1.0 - d.deed_crowding : 1.0;
  std::vector<std::uint8_t> deed(s.citizens_, none);
  std::vector<std::uint8_t> done(s.citizens_, 0);
  std::vector<agent_id> helped(logit ? s.citizens_ : 0);
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, s.citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      const double peers = s.neighbour_share(c, s.did_deed_);
      double p = 0;
      if (logit) {
        // The citizen's values on the deed goals, in [0, 1]: the mean of its weights on them.
        const double devotion = s.deed_weight_[deed_categories - 1][c] / deed_categories;
        const behaviour::utility u{d.deed_motive * devotion * crowded, reward,
                                   static_cast<double>(d.deed_cost), d.deed_social * peers};
        p = behaviour::logit_probability(d.deed_lambda, u.total());
      } else {
        p = std::min(1.0, d.deed_probability * (1.0 + d.peer_influence * peers));
      }
      rng_stream draws(s.run_.seed, c, step, purpose::deed);
      if (draws.uniform01() >= p) continue;
      done[c] = 1;
      const double x = draws.uniform01() * s.deed_weight_[deed_categories - 1][c];
      std::uint8_t k = 0;
      while (static_cast<std::size_t>(k) + 1 < deed_categories && x >= s.deed_weight_[k][c]) ++k;
      if (draws.uniform01() < s.deeds_.verification_probability) deed[c] = k;
      if (logit) {
        const agent_id h = draws.below(s.citizens_ - 1);
        helped[c] = h >= c ? h + 1 : h;  // anyone but the doer
      }
    }
  });
  s.flows_.deeds_done = static_cast<amount_t>(std::count(done.begin(), done.end(), 1));
  // Under the logit rule a deed costs the doer: its help reaches a fellow citizen, in citizen order. A
  // citizen who cannot pay does no deed (and earns nothing).
  if (logit && d.deed_cost > 0) {
    for (agent_id c = 0; c < s.citizens_; ++c) {
      if (!done[c]) continue;
      const transfer_intent t{
          s.cash_account(c), s.cash_account(helped[c]), d.deed_cost, 0, 0, code(society::reason::deed_help)};
      if (l.balance(t.debit) >= d.deed_cost && l.apply(std::span(&t, 1), c) == ledger::status::applied) {
        s.flows_.helped += d.deed_cost;
      } else {
        --s.flows_.deeds_done;
        deed[c] = none;
      }
    }
  }
  const account_id sponsor = s.cash_account(s.government());
  std::fill(s.did_deed_.begin(), s.did_deed_.end(), 0);
  for (agent_id c = 0; c < s.citizens_; ++c) {
    if (deed[c] == none) continue;
    if (l.balance(sponsor) < s.deeds_.deed_backing)
      break;  // no sponsor money left: later deeds go unrewarded
    const std::size_t k = deed[c];
    // The mint names the backing transfer, which is the next record of this block.
    const std::uint64_t backing_id =
        ledger::make_transfer_id(step, static_cast<std::uint32_t>(l.step_records().size()));
    const transfer_intent chain[2] = {
        {sponsor, s.reserve_account_, s.deeds_.deed_backing, 0, 0, code(society::reason::deed_backing),
         ledger::intent_flag::linked},
        {l.issuer_account(s.value_token(k)), s.value_account(k, c), s.deeds_.deed_tokens, backing_id,
         s.value_token(k), code(society::reason::good_deed)}};
    if (l.apply(chain, s.government()) != ledger::status::applied) continue;
    s.did_deed_[c] = 1;
    ++s.citizen_books_[c].deeds[k];
    ++s.flows_.deeds;
    s.flows_.minted += s.deeds_.deed_tokens;
  }
}

std::vector<column> columns(const society_state& s) {
  return {{"deeds_done", [&s](const report&) { return as_double(s.flows_.deeds_done); }},
          {"deed_help", [&s](const report&) { return as_double(s.flows_.helped); }},
          {"deeds_verified", [&s](const report&) { return as_double(s.flows_.deeds); }},
          {"value_minted", [&s](const report&) { return as_double(s.flows_.minted); }}};
}

}  // namespace good_deeds

}  // namespace civitas::society
