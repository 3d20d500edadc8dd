#include "society/behaviours/data.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> data_params::declare() {
  return {
      params::real("data_consent", &data_params::data_consent, params::closed(0.0, 1.0), "probability",
                   "Share of citizens who consent to share their data", "domain.md §5"),
      params::integer("data_value_per_customer", &data_params::data_value_per_customer, 0, 1'000'000'000, "cash",
                      "Value a retailer creates per consenting customer per step", "modelling choice"),
      params::real("data_tax", &data_params::data_tax, params::closed(0.0, 1.0), "share",
                   "Social tax on the value created from data, paid to charities", "domain.md §5: default 19%"),
      params::real("data_tax_relief", &data_params::data_tax_relief, params::closed(0.0, 1.0), "share",
                   "Share of the data tax the government refunds as tax relief", "domain.md §5: optional tax relief"),
  };
}

}  // namespace civitas::society
