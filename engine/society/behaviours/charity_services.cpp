#include "society/behaviours/charity_services.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> charity_params::declare() {
  return {
      params::real("service_share", &charity_params::service_share, params::closed(0.0, 1.0), "share",
                   "Share of a charity's cash spent on services per step", "modelling choice"),
      params::integer("beneficiaries_per_step", &charity_params::beneficiaries_per_step, 1, 1'000'000,
                      "agents", "Citizens a charity serves per step", "modelling choice"),
      params::integer("charity_staff", &charity_params::charity_staff, 1, 1'000'000, "agents",
                      "Staff of each charity (S/E people term)", "modelling choice"),
      params::real("charity_quality_min", &charity_params::quality_min, params::closed(0.0, 1.0),
                   "quality 0-1",
                   "Lowest service quality of a charity (uniform per charity up to 1; drives feedback)",
                   "modelling choice"),
  };
}

namespace charity_services {

using ledger::transfer_intent;

void decide(const society_state& s, std::span<const amount_t> balances, step_t step, std::uint32_t h,
            std::vector<transfer_intent>& out) {
  const agent_id me = s.charity_agent(h);
  const amount_t each =
      share_of(balances[s.cash_account(me)], s.charity_.service_share) / s.charity_.beneficiaries_per_step;
  if (each <= 0) return;
  // Of two citizens drawn at random, the poorer is served: need-based targeting at O(1) cost.
  rng_stream draws(s.run_.seed, me, step, purpose::service);
  for (std::uint32_t i = 0; i < s.charity_.beneficiaries_per_step; ++i) {
    const agent_id x = draws.below(s.citizens_), y = draws.below(s.citizens_);
    const agent_id served = balances[s.cash_account(y)] < balances[s.cash_account(x)] ? y : x;
    out.push_back({s.cash_account(me), s.cash_account(served), each, 0, 0, code(society::reason::service)});
  }
}

void read(record_table& t) {
  t.on(society::reason::service,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         const std::uint32_t h = rr.owner(r.debit) - s.citizens_ - s.firms_;
         charity_books& b = s.charity_books_[h];
         add_atomic(b.spent, r.amount);
         add_atomic<std::uint64_t>(b.served, 1);
         record_sentiment(s, rr, r, s.charity_quality_[h], b.survey);
         income::add_net(s, rr.owner(r.credit), r.amount);
         f.services += r.amount;
       });
}

std::vector<column> columns(const society_state& s) {
  return {{"services", [&s](const report&) { return as_double(s.flows_.services); }}};
}

}  // namespace charity_services

}  // namespace civitas::society
