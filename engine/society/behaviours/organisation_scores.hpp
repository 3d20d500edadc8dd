// Scores of organisations and products: S/E ratio, Modern Slavery RAG, provenance passports.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct score_params {
  std::uint32_t year = 2018;
  std::uint32_t steps_per_year = 52;

  static std::vector<params::param> declare();
};

namespace organisation_scores {
// Scores every firm (Modern Slavery RAG, S/E), every product's passport and every charity (S/E).
void score(society_state& s, const sim::world& w);
// A citizen's Personal Value (NaN before any giving).
double personal_value_of(const society_state& s, const ledger::ledger& l, agent_id citizen);
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace organisation_scores

}  // namespace civitas::society
