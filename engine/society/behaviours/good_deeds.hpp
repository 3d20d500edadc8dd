// Good deeds: done, verified, rewarded by a sponsor-backed mint whose lineage names the backing transfer.
// Fixed rule (the default, so earlier results reproduce): a fixed chance raised by neighbours' deeds.
// Logit rule: a choice with a real cost (cash the doer gives to a fellow citizen, who benefits), an
// intrinsic motive (the doer's values on the deed goals), an extrinsic reward (the expected cash value of
// the value tokens a verified deed earns: nothing where they cannot be sold) and a social term
// (neighbours' deeds last step); with motivation crowding, paying for the deed weakens the intrinsic motive
// (Frey & Oberholzer-Gee 1997; Gneezy & Rustichini 2000), so a small reward can lower the rate.
#pragma once

#include "behaviour/choice.hpp"
#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct deed_params {
  double deed_probability = 0.05;
  double peer_influence = 1.0;
  double verification_probability = 0.9;
  amount_t deed_backing = 10;  // cash the sponsor puts in reserve per verified deed
  amount_t deed_tokens = 10;   // value tokens minted per verified deed
  behaviour::rule deed_rule = behaviour::rule::fixed;
  double deed_lambda = 0.2;  // logit rule: precision, per cash unit of utility
  double deed_motive = 10;  // logit rule: cash-equivalent motive of a citizen fully devoted to the deed goals
  amount_t deed_cost = 25;  // logit rule: cash the doer gives to the citizen it helps
  double deed_social = 10;  // logit rule: cash-equivalent pull of all neighbours having done a deed
  double deed_crowding = 0;  // logit rule: share of the motive lost when the deed is paid

  static std::vector<params::param> declare();
};

namespace good_deeds {
// Who did a verified deed this step (peer influence from last step's deeds of social neighbours), each
// rewarded by a linked chain: sponsor cash into the deed reserve, then the mint whose lineage names it.
void reward(society_state& s, sim::world& w);
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace good_deeds

}  // namespace civitas::society
