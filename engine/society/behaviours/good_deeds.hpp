// Good deeds: drawn with peer influence, verified, rewarded by a sponsor-backed mint whose lineage names the
// backing transfer.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct deed_params {
  double deed_probability = 0.05;
  double peer_influence = 1.0;
  double verification_probability = 0.9;
  amount_t deed_backing = 10;  // cash the sponsor puts in reserve per verified deed
  amount_t deed_tokens = 10;   // value tokens minted per verified deed

  static std::vector<params::param> declare();
};

namespace good_deeds {
// Who did a verified deed this step (peer influence from last step's deeds of social neighbours), each
// rewarded by a linked chain: sponsor cash into the deed reserve, then the mint whose lineage names it.
void reward(society_state& s, sim::world& w);
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace good_deeds

}  // namespace civitas::society
