// verify: recompute a run file's ledger from what the file holds and compare it block by block.
//
// With the full transfer log: rebuild the account table, replay every record of every block through
// the ledger (checking limits, authorisations and ids), and recompute conservation, supplies, both
// Merkle roots and the header chain, starting from the binding of /meta's scenario, seed and version.
// With headers only: re-run the scenario recorded in /meta and compare each header as it is sealed.
// Either way the report names the first block that differs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/types.hpp"

namespace civitas::driver {

struct verify_report {
  bool ok = false;
  bool reran = false;     // headers-only file: the scenario was re-run to check it
  bool complete = false;  // the file records a finished run (not a .partial left by a killed run)
  step_t blocks_checked = 0;
  step_t blocks_planned = 0;  // steps + genesis
  std::optional<step_t> first_bad_step;
  std::string message;  // what differs, or a one-line summary when ok
};

// Throws civitas::data_error when the file cannot be read at all.
verify_report verify_run(const std::string& path, unsigned threads = 0);

}  // namespace civitas::driver
