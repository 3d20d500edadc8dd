// Citizens' misconduct, drawn each step for a regime that watches for it.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct misconduct_params {
  double misconduct_probability =
      0.02;  // chance per step that a citizen misbehaves (seen only by a regime that looks)

  static std::vector<params::param> declare();
};

namespace misconduct {
// Draws this step's misconduct of every citizen (only for a regime that watches for it).
void draw(society_state& s, step_t step);
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace misconduct

}  // namespace civitas::society
