// Citizens' misconduct, drawn each step for a regime that watches for it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/rng.hpp"
#include "core/types.hpp"
#include "ledger/record.hpp"
#include "params/params.hpp"

namespace civitas::sim {
class world;
}
namespace civitas::society {
struct society_state;
struct firm_purse;
struct record_table;
struct column;
}  // namespace civitas::society

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
