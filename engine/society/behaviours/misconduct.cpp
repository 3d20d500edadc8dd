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
  return {
      params::real("misconduct_probability", &misconduct_params::misconduct_probability,
                   params::closed(0.0, 1.0), "probability",
                   "Chance per step that a citizen misbehaves (seen only by a regime that looks)",
                   "modelling choice"),
  };
}

namespace misconduct {

using ledger::transfer_intent;

void draw(society_state& s, step_t step) {
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, s.citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      rng_stream draws(s.run_.seed, c, step, purpose::misconduct);
      s.misconduct_[c] = draws.uniform01() < s.misconduct_p_.misconduct_probability;
    }
  });
  s.flows_.misconduct = std::count(s.misconduct_.begin(), s.misconduct_.end(), 1);
}

std::vector<column> columns(const society_state& s) {
  // Misconduct is drawn only under a regime that watches for it; elsewhere it is not modelled (NaN).
  return {{"misconduct", [&s](const report&) {
             return s.regime_->observes_acts() ? as_double(s.flows_.misconduct) : nan;
           }}};
}

}  // namespace misconduct

}  // namespace civitas::society
