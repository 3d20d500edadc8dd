#include "society/behaviours/production.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> production_params::declare() {
  return {
      params::real("raw_share", &production_params::raw_share, params::closed(0.0, 1.0), "share",
                   "Share of firms at the raw-material stage", "domain.md §2: supply-chain stages"),
      params::real("manufacturer_share", &production_params::manufacturer_share, params::closed(0.0, 1.0), "share",
                   "Share of firms at the manufacturing stage (the rest retail)", "domain.md §2: supply-chain stages"),
      params::integer("suppliers_per_firm", &production_params::suppliers_per_firm, 1, 1000, "agents",
                      "Upstream suppliers of each manufacturer and retailer", "modelling choice"),
      params::real("input_share", &production_params::input_share, params::right_open(0.0, 1.0), "share",
                   "Share of last step's revenue a firm spends on inputs from its suppliers", "modelling choice: intermediate inputs ≈ 60% of output"),
      params::real("csr_share", &production_params::csr_share, params::closed(0.0, 1.0), "share",
                   "Share of last step's revenue a firm gives to its best-aligned charity", "modelling choice: 2% (India's statutory CSR is 2% of profit; here of revenue)"),
      params::real("co2_per_1000", &production_params::co2_per_1000, params::closed(0.0, 1000.0), "tCO2 per 1000 cash",
                   "Mean tonnes of CO2 emitted per 1000 cash of revenue", "modelling choice"),
      params::real("co2_sigma", &production_params::co2_sigma, params::closed(0.0, 3.0), "lognormal sigma",
                   "Lognormal sigma of firms' CO2 intensity", "modelling choice"),
  };
}

}  // namespace civitas::society
