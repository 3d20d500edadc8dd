// Good deeds: drawn with peer influence, verified, rewarded by a sponsor-backed mint whose lineage names the backing transfer.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::society {

struct deed_params {
  double deed_probability = 0.05;
  double peer_influence = 1.0;
  double verification_probability = 0.9;
  amount_t deed_backing = 10; // cash the sponsor puts in reserve per verified deed
  amount_t deed_tokens = 10; // value tokens minted per verified deed

  static std::vector<params::param> declare();
};

}  // namespace civitas::society
