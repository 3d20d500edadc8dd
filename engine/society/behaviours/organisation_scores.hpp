// Scores of organisations and products: S/E ratio, Modern Slavery RAG, provenance passports.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct score_params {
  std::uint32_t year = 2018;
  std::uint32_t steps_per_year = 52;
  double survey_margin = 5;                 // % margin of error an organisation's feedback survey claims
  double carbon_price = 54;                 // GBP of social value per tonne of CO2 reduced
  double co2_per_green_deed = 0.1;          // tonnes of CO2 a green deed saves
  double feedback_base = 0.2;               // chance of positive feedback at quality 0 ...
  double feedback_per_quality = 0.7;        // ... rising by this much per unit of quality
  double staff_sentiment_base = 30;         // staff sentiment (0-100) of a firm with conduct 0 ...
  double staff_sentiment_per_conduct = 40;  // ... rising by this much per unit of conduct
  std::uint32_t ms_window = 0;  // steps of wages the Modern Slavery score reads (0: the whole run)

  static std::vector<params::param> declare();
  static std::vector<params::rule_of<score_params>> rules();
};

namespace organisation_scores {
// Scores every firm (Modern Slavery RAG, S/E), every product's passport and every charity (S/E).
void score(society_state& s, const sim::world& w);
// A citizen's Personal Value (NaN before any giving).
double personal_value_of(const society_state& s, const ledger::ledger& l, agent_id citizen);
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace organisation_scores

}  // namespace civitas::society
