#include "society/behaviours/giving.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> giving_params::declare() {
  return {
      params::real("donation_probability", &giving_params::donation_probability, params::closed(0.0, 1.0), "probability",
                   "Chance per step that a citizen donates", "modelling choice"),
      params::real("donation_share", &giving_params::donation_share, params::closed(0.0, 1.0), "share",
                   "Share of step-start cash a donation gives", "modelling choice"),
  };
}

}  // namespace civitas::society
