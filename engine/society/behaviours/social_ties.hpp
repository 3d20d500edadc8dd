// The citizens' social graph (Watts-Strogatz small world or PLOD scale free).
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "network/graphs.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct social_graph_params {
  network::social_graph_kind graph = network::social_graph_kind::small_world;
  std::uint32_t mean_degree = 10;
  double graph_param = 0.1;

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
