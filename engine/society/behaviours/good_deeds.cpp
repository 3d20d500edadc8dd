#include "society/behaviours/good_deeds.hpp"

#include <limits>

namespace civitas::society {

std::vector<params::param> deed_params::declare() {
  return {
      params::real("deed_probability", &deed_params::deed_probability, params::closed(0.0, 1.0), "probability",
                   "Chance per step that a citizen does a good deed, before peer influence", "domain.md §3"),
      params::real("peer_influence", &deed_params::peer_influence, params::closed(0.0, 100.0), "",
                   "Deed chance multiplier per share of social neighbours who did a verified deed last step", "modelling choice: social contagion"),
      params::real("verification_probability", &deed_params::verification_probability, params::closed(0.0, 1.0), "probability",
                   "Chance that a deed is verified and rewarded", "domain.md §3: 'when a good deed is verified'"),
      params::integer("deed_backing", &deed_params::deed_backing, 1, 1'000'000'000'000, "cash",
                      "Sponsor cash put in reserve per verified deed", "domain.md §3: sponsor money backs each lot"),
      params::integer("deed_tokens", &deed_params::deed_tokens, 1, 1'000'000'000'000, "value tokens",
                      "Value tokens minted per verified deed", "domain.md §3"),
  };
}

}  // namespace civitas::society
