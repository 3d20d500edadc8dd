#include "society/behaviours/misconduct.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> misconduct_params::declare() {
  return {
      params::real("misconduct_probability", &misconduct_params::misconduct_probability, params::closed(0.0, 1.0), "probability",
                   "Chance per step that a citizen misbehaves (seen only by a regime that looks)", "modelling choice"),
  };
}

}  // namespace civitas::society
