#include "society/behaviours/charity_services.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> charity_params::declare() {
  return {
      params::real("service_share", &charity_params::service_share, params::closed(0.0, 1.0), "share",
                   "Share of a charity's cash spent on services per step", "modelling choice"),
      params::integer("beneficiaries_per_step", &charity_params::beneficiaries_per_step, 1, 1'000'000, "agents",
                      "Citizens a charity serves per step", "modelling choice"),
      params::integer("charity_staff", &charity_params::charity_staff, 1, 1'000'000, "agents",
                      "Staff of each charity (S/E people term)", "modelling choice"),
  };
}

}  // namespace civitas::society
