#include "society/behaviours/consumption.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> consumption_params::declare() {
  return {
      params::real("consumption_share", &consumption_params::consumption_share, params::closed(0.0, 1.0), "share",
                   "Share of step-start cash a citizen spends on one purchase per step", "modelling choice"),
      params::integer("offers_sampled", &consumption_params::offers_sampled, 1, 1000, "agents",
                      "Retailers (and charities) a citizen samples before choosing", "domain.md §2: 'a small sampled set of offers'"),
      params::real("alpha", &consumption_params::alpha, params::closed(0.0, 1000.0), "",
                   "Weight of value alignment in the purchase logit (the seeds' AI Ubot)", "domain.md §2: the AI Ubot's strength"),
      params::real("price_sensitivity", &consumption_params::price_sensitivity, params::closed(0.0, 1000.0), "",
                   "Weight of relative price in the purchase logit", "modelling choice"),
      params::real("price_sigma", &consumption_params::price_sigma, params::closed(0.0, 2.0), "lognormal sigma",
                   "Lognormal sigma of retailers' price levels around 1", "modelling choice"),
  };
}

}  // namespace civitas::society
