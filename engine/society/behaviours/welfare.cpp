#include "society/behaviours/welfare.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> welfare_params::declare() {
  return {
      params::integer("welfare_threshold", &welfare_params::welfare_threshold, 0, 1'000'000'000'000, "cash",
                      "Citizens below this cash receive welfare", "modelling choice"),
      params::integer("welfare_amount", &welfare_params::welfare_amount, 0, 1'000'000'000'000, "cash",
                      "Welfare paid per step to each citizen below the threshold", "modelling choice"),
  };
}

}  // namespace civitas::society
