// A captured society run plus the society's own state at the end (passports, the supply chain, firms'
// scores, consent), for tests of the society and its behaviours.
#pragma once

#include <vector>

#include "society/society_model.hpp"
#include "support/captured_run.hpp"

namespace civitas::test {

// A captured run plus the society's own state at the end.
struct observed_run : captured_run {
  std::vector<society::passport> passports;
  network::supply_chain chain;
  std::vector<society::own_score> firm_scores;
  std::vector<bool> consent;
};

inline observed_run run(const params::scenario& s, int threads = 2) {
  observed_run out;
  static_cast<captured_run&>(out) = capture(s, threads, [&](const sim::world& w) {
    const auto& m = dynamic_cast<const society::society_model&>(w.active_model());
    out.passports = m.passports();
    out.chain = m.supply();
    out.firm_scores = m.firm_scores();
    for (agent_id c = 0; c < s.get<sim::population_params>().citizens; ++c)
      out.consent.push_back(m.consents(c));
  });
  return out;
}

}  // namespace civitas::test
