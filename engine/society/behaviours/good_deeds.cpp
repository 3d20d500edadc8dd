#include "society/behaviours/good_deeds.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
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
  std::vector<std::uint8_t> deed(s.citizens_, none);
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, s.citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      const auto friends = s.graph_.neighbours_of(c);
      std::uint32_t active = 0;
      for (const std::uint32_t f : friends) active += s.did_deed_[f];
      const double peers =
          friends.empty() ? 0.0 : static_cast<double>(active) / static_cast<double>(friends.size());
      const double p = std::min(1.0, s.deeds_.deed_probability * (1.0 + s.deeds_.peer_influence * peers));
      rng_stream draws(s.run_.seed, c, step, purpose::deed);
      if (draws.uniform01() >= p) continue;
      const double x = draws.uniform01() * s.deed_weight_[deed_categories - 1][c];
      std::uint8_t k = 0;
      while (static_cast<std::size_t>(k) + 1 < deed_categories && x >= s.deed_weight_[k][c]) ++k;
      if (draws.uniform01() < s.deeds_.verification_probability) deed[c] = k;
    }
  });
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
  return {{"deeds_verified", [&s](const report&) { return as_double(s.flows_.deeds); }},
          {"value_minted", [&s](const report&) { return as_double(s.flows_.minted); }}};
}

}  // namespace good_deeds

}  // namespace civitas::society
