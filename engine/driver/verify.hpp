// verify: check a run file against its hash chain, its seals, and (on request) a re-run and a signature.
//
// Modes, each a superset of what the one before proves (docs/ledger.md, "Threat model"):
//   * default, full transfer log: the genesis binding is recomputed from /meta's scenario and every
//     layout table; every record of every block is replayed through the ledger (limits, authorisations,
//     ids, conservation) and both Merkle roots, the lineage digest, the counts, the supplies and the
//     header chain recomputed; the file seal is recomputed from /meta, every header, every /series row
//     and every snapshot. Catches any edit that was not followed by re-hashing. With headers only, the
//     default is a re-run (there are no records to replay).
//   * --replay: re-runs the scenario from /meta and compares the layout, every header, every record
//     (with a full log), every lineage lot, every /series row and every snapshot, naming the first that
//     differs. Catches a forgery that re-computed every hash: the scenario did not produce it.
//   * --key PUB: also requires an Ed25519 signature over the head and the seal made by that key (run
//     --sign). Catches a truncated or rolled-back file and proves who sealed it.
// Every failure names the first block (and record, where there is one) that differs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/types.hpp"

namespace civitas::driver {

struct verify_options {
  unsigned threads = 0;  // 0: every core
  bool replay = false;   // re-run the scenario and compare everything it produces
  std::string key_path;  // Ed25519 public key (PEM): require a valid signature by it
};

struct verify_report {
  bool ok = false;
  bool reran = false;     // the scenario was re-run (headers-only file, or --replay)
  bool complete = false;  // the file records a finished run (not a .partial left by a killed run)
  bool signature_checked = false;
  step_t blocks_checked = 0;
  step_t blocks_planned = 0;  // steps + genesis
  std::optional<step_t> first_bad_step;
  std::optional<std::uint64_t> first_bad_record;  // position in the block, when a record differs
  std::string message;                            // what differs, or a one-line summary when ok
};

// Throws civitas::data_error when the file cannot be read at all, civitas::input_error for a bad key file.
verify_report verify_run(const std::string& path, const verify_options& options = {});

}  // namespace civitas::driver
