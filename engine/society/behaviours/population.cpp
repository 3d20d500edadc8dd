#include "society/behaviours/population.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> organisation_params::declare() {
  return {
      params::integer("firms", &organisation_params::firms, 3, 10'000'000, "agents",
                      "Number of firms (society model)", "modelling choice: 1 firm per 50 citizens"),
      params::integer("charities", &organisation_params::charities, 1, 10'000'000, "agents",
                      "Number of charities (society model; there is always one government)", "modelling choice: 1 charity per 500 citizens"),
  };
}

std::vector<params::param> values_params::declare() {
  return {
      params::integer("dimensions", &values_params::dimensions, 1, 17, "",
                      "Value dimensions: the first K UN SDGs of data/sdg_dimensions.csv", "domain.md §2: the 17 UN SDGs"),
  };
}

std::vector<params::param> endowment_params::declare() {
  return {
      params::integer("cash_citizen", &endowment_params::cash_citizen, 0, 1'000'000'000'000, "cash",
                      "Genesis cash of every citizen", "modelling choice: four weeks of the mean net wage"),
      params::integer("cash_charity", &endowment_params::cash_charity, 0, 1'000'000'000'000, "cash",
                      "Genesis cash of every charity", "modelling choice"),
      params::integer("cash_government_per_citizen", &endowment_params::cash_government_per_citizen, 0, 1'000'000'000'000, "cash",
                      "Genesis cash of the government, per citizen", "modelling choice"),
  };
}

}  // namespace civitas::society
