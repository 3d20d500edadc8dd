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
  return {
      params::real("donation_probability", &giving_params::donation_probability, params::closed(0.0, 1.0),
                   "probability", "Chance per step that a citizen donates", "modelling choice"),
      params::real("donation_share", &giving_params::donation_share, params::closed(0.0, 1.0), "share",
                   "Share of step-start cash a donation gives", "modelling choice"),
  };
}

namespace giving {

using ledger::transfer_intent;

void decide(const society_state& s, agent_id a, amount_t cash, rng_stream& draws,
            std::vector<transfer_intent>& out) {
  // Giving: to the best-aligned of a few sampled charities.
  if (draws.uniform01() < s.giving_.donation_probability) {
    const amount_t gift = share_of(cash, s.giving_.donation_share);
    if (gift > 0) {
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
      out.push_back({s.cash_account(a), s.cash_account(s.charity_agent(chosen)), gift, 0, 0,
                     code(society::reason::donation)});
    }
  }
}

void read(record_table& t) {
  t.on(society::reason::donation,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         citizen_books& c = s.citizen_books_[rr.owner(r.debit)];  // one donation per citizen per step
         c.giving += r.amount;
         ++c.gifts;
         add_atomic(s.charity_books_[rr.owner(r.credit) - s.citizens_ - s.firms_].received, r.amount);
         f.donations += r.amount;
       });
}

std::vector<column> columns(const society_state& s) {
  return {{"donations", [&s](const report&) { return as_double(s.flows_.donations); }}};
}

}  // namespace giving

}  // namespace civitas::society
