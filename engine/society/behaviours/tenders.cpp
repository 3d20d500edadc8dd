#include "society/behaviours/tenders.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> tender_params::declare() {
  return {
      params::integer("procurement_every", &tender_params::procurement_every, 0, 1'000'000, "steps",
                      "Steps between procurement tenders (0: none)", "modelling choice"),
      params::real("procurement_share", &tender_params::procurement_share, params::closed(0.0, 1.0), "share",
                   "Share of government cash a tender spends", "modelling choice"),
      params::integer("procurement_bidders", &tender_params::procurement_bidders, 1, 1000, "agents",
                      "Firms bidding in each tender", "modelling choice"),
      params::real("social_value_weight", &tender_params::social_value_weight, params::closed(0.0, 1.0), "share",
                   "Weight of offered social value (vs price) in tender scores", "domain.md §5: UK Social Value Act practice weights social value 10–30%"),
  };
}

}  // namespace civitas::society
