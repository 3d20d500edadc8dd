// The job market (labour_params::staffing = "market"): staff follow the money. After each step's payroll a
// firm that could not pay all its staff lets go of those it did not pay; a firm that paid a bonus above its
// contracts opens a vacancy for every whole contract the bonus would have paid; job seekers (those let go
// and those still looking) fill the vacancies in a random order drawn for the step. A firm's size then
// follows its sales, where under fixed staffing it is drawn once at genesis.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

// This step's moves, for the series.
struct job_books {
  std::uint64_t hires_now = 0, layoffs_now = 0;
  std::uint64_t seekers_now = 0;  // still looking after the step's matching
};

namespace job_market {

// The staff lists (staff_offsets_, staff_) from employer_: each firm's staff in citizen order.
void list_staff(society_state& s);

// Moves staff after this step's payroll (read from its records), serially in firm order, and rebuilds the
// staff lists in citizen order. Runs before income::update, which clears the step's wages.
void move_staff(society_state& s, const sim::world& w);
std::vector<column> columns(const society_state& s);  // its /series columns, in order

}  // namespace job_market

}  // namespace civitas::society
