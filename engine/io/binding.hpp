// What binds a run file's contents to its hash chain, beyond the ledger's own headers.
//
// Two hashes tie everything a reader relies on to something verify can recompute:
//   * the layout digest (inside header 0's binding, so inside the run's identity): every table fixed
//     before step 0 — tokens with names and kinds, issuer accounts, accounts with owners and flags,
//     authorisations, the reason and status code tables, metric and score column names, agent kinds
//     and values, value dimension names, and both networks' edges;
//   * the file seal, a second chain beside the headers: seal(-1) binds every /meta field written at
//     the start (the full scenario with its output settings, name, seed, engine, build, start time,
//     threads, steps planned, ledger log, activation); seal(s) = SHA-256(0x07 || seal(s-1) || header s
//     hash || block s's /series row || its snapshot, if any). The last seal is stored in /meta and is
//     what a signature signs.
// The head hash is the run's identity (same model, same head, whatever is stored); the seal is this
// file's (it changes with the output settings, the thread count recorded and the start time).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/run_file.hpp"
#include "ledger/hash.hpp"

namespace civitas::io {

// SHA-256(0x05 || every layout table in a fixed framing); see docs/ledger.md.
ledger::digest layout_digest(const run_layout& layout);

// The seal before block 0: binds the /meta fields written when the file is created.
ledger::digest seal_start(const run_meta& meta);

// The seal after one block: its header hash, its metric row and its snapshot (nullptr: none).
ledger::digest seal_next(const ledger::digest& prev, const ledger::digest& header_hash,
                         std::span<const double> metrics, const agent_snapshot* snapshot);

// The status code table as the engine defines it (what /ledger/statuses must hold).
std::vector<code_entry> engine_statuses();

}  // namespace civitas::io
