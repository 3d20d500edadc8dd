#include "society/behaviours/social_ties.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> social_graph_params::declare() {
  return {
      params::choice("social_graph", &social_graph_params::graph, network::social_graph_kind_names,
                     "Citizens' social graph: Watts-Strogatz small world or PLOD scale free", "domain.md §2"),
      params::integer("mean_degree", &social_graph_params::mean_degree, 0, 1000, "neighbours",
                      "Mean degree of the social graph (even for small_world)", "modelling choice"),
      params::real("graph_param", &social_graph_params::graph_param, params::closed(0.0, 1.0), "",
                   "small_world: rewiring probability; scale_free: PLOD alpha in (0, 1)",
                   "Watts & Strogatz 1998; Palmer & Steffan 2000"),
  };
}

}  // namespace civitas::society
