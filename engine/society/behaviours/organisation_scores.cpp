#include "society/behaviours/organisation_scores.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> score_params::declare() {
  return {
      params::integer("year", &score_params::year, 2012, 2018, "calendar year",
                      "Year of the UK minimum wage for Modern Slavery scores", "domain.md §6: minimum wage table 2012–2018"),
      params::integer("steps_per_year", &score_params::steps_per_year, 1, 1'000'000, "steps",
                      "Steps in a year (annualises wages for Modern Slavery)", "modelling choice: weekly steps"),
  };
}

}  // namespace civitas::society
