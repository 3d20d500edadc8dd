// The run file: one HDF5 file per run (C API behind a thin RAII layer in hdf5.hpp).
//
// Layout (every dataset self-describing; h5py reads it directly):
//   /meta                 group; attributes: scenario (canonical TOML), scenario_name, seed, engine_version,
//                         build_flags, start_time (ISO 8601 UTC), threads, steps_planned, ledger_log,
//                         activation; written at finish: steps_completed, head_hash (hex), file_seal (hex),
//                         complete (0/1), and with `run --sign`: signature (hex Ed25519), signing_key (hex)
//   /series               1-D extendible compound dataset, one row per sealed block (step 0 = genesis),
//                         one float64 field per metric column, named by the column (absent when there
//                         are no metric columns: HDF5 has no compound type without fields)
//   /ledger/tokens        compound {name (str), kind (u8), issuer (u32)}
//   /ledger/accounts      compound {owner u32, token u16, flags u8}
//   /ledger/authorisations compound {token u16, reason u16, mint u8 (1 mint, 0 burn)}
//   /ledger/reasons, /ledger/statuses  compound {code, name}: the code tables
//   /ledger/headers       1-D extendible compound: step, prev, transfers_root, transfer_count,
//                         rejected_count, balances_root, lineage_digest, hash, seal (digests as 32-byte
//                         arrays; seal is the file seal after the block, io/binding.hpp)
//   /ledger/supplies      2-D extendible (steps x tokens) int64
//   /ledger/transfers     1-D extendible compound, packed 26 bytes a row, exactly ledger::transfer_record
//                         (only with ledger_log=full): debit u32, credit u32, amount i64, origin u32,
//                         token u16, reason u16, status u8, flags u8; in block order, block s holding
//                         headers[s].transfer_count rows. A record's id is not stored: it is
//                         (s << 32) | (row - first row of block s). Chunked (65536 rows); with
//                         output.compression = L > 0, byte-shuffled and deflated at level L
//   /ledger/lineage       1-D extendible compound of lineage_record fields
//   /agents/kind          (agents) uint8;  /agents/values (agents x K) float64 (when K > 0)
//   /agents/snapshot_steps (snapshots) uint32, extendible
//   /agents/balances      (snapshots x agents x tokens) int64, extendible
//   /agents/scores        (snapshots x agents x S) float64, extendible, chunked like /agents/balances;
//                         one value per agent per score column, row i for snapshot_steps[i]; attribute
//                         columns (str): the S column names joined by ","; absent when the run has no
//                         score columns (a file without it reads back with no score columns)
//   /agents/score_columns (S) fixed-size NUL-padded UTF-8 strings: the score column names, in order (h5py:
//                         f["agents/score_columns"].asstr()[:]); present exactly when /agents/scores is
//   /network/social       (edges x 2) uint32, deflated: the social network's edges, one (from, to) pair per
//                         row, in layout order (absent when there are none)
//   /network/supply       (edges x 2) uint32, deflated: the supply network's edges, likewise
//
// Writing: the file is created as PATH.partial and renamed to PATH only by finish(), so an existing
// output is never replaced by a half-written one. One writer thread, fed by a bounded queue, appends
// each step and flushes it; the file is in SWMR mode, so a reader may follow it live and a run killed
// part-way leaves a .partial file whose finished steps can still be read and verified. (Such a file is
// still marked as open for SWMR writing: h5py needs File(path, "r", swmr=True), h5dump needs
// `h5clear -s` first; run_reader handles it.)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "ledger/record.hpp"
#include "ledger/signature.hpp"

namespace civitas::io {

struct run_meta {
  std::string scenario;  // canonical TOML
  std::string scenario_name;
  std::uint64_t seed = 0;
  std::string engine_version;
  std::string build_flags;
  std::string start_time;
  std::uint32_t threads = 0;
  std::uint32_t steps_planned = 0;
  std::string ledger_log;  // "full" or "headers"
  // Deflate level of /ledger/transfers, with the shuffle filter (0: unfiltered). Not an attribute: the
  // dataset's filter pipeline says it, and readers need nothing to read it.
  int compression = 0;
  std::string activation;
  // Filled from the file by the reader (ignored by the writer's constructor):
  std::uint32_t steps_completed = 0;
  std::string head_hash;
  std::string file_seal;    // hex, the last block's seal
  std::string signature;    // hex Ed25519 signature (ledger/signature.hpp), "" when unsigned
  std::string signing_key;  // hex raw public key of the signer, "" when unsigned
  bool complete = false;
};

// A code and its name, owned (the code tables as stored in a file).
struct code_entry {
  std::uint16_t code = 0;
  std::string name;
  bool operator==(const code_entry&) const = default;
};

struct authorisation {
  token_id token = 0;
  std::uint16_t reason = 0;
  bool mint = true;  // false: burn
};

// Everything about a run that is fixed before step 0.
struct run_layout {
  std::vector<ledger::token_def> tokens;
  std::vector<account_id> issuer_accounts;  // per token
  std::vector<ledger::account_info> accounts;
  std::vector<authorisation> authorisations;
  std::vector<code_entry> reasons;   // every reason code the model uses, with its name (/ledger/reasons)
  std::vector<code_entry> statuses;  // the ledger's status codes (/ledger/statuses); the engine's table
  std::vector<std::string> metric_columns;         // /series field names, in order
  std::vector<std::uint8_t> agent_kinds;           // per agent
  std::uint32_t value_dimensions = 0;              // K
  std::vector<double> agent_values;                // agents x K, row-major (may be empty when K = 0)
  std::vector<std::string> value_dimension_names;  // K names ("SDG13 Climate action"), or empty when unnamed
  // Per-agent score fields carried by every snapshot (/agents/scores), in order; may be empty. Names
  // are non-empty, unique, and hold no ',' (the separator of the columns attribute) or NUL byte.
  std::vector<std::string> score_columns;
  // Network edges (from, to), written once at creation (/network/social, /network/supply).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> social_edges;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> supply_edges;
};

struct agent_snapshot {
  step_t step = 0;
  std::vector<amount_t> balances;  // agents x tokens, row-major
  std::vector<double> scores;      // agents x score_columns, row-major (empty when there are none)
};

// One sealed block's worth of output.
struct step_packet {
  ledger::block_header header;
  ledger::digest
      seal{};  // the file seal after this block (filled by the writer; by the reader from the file)
  std::vector<ledger::transfer_record> records;  // empty when ledger_log = headers
  std::vector<ledger::lineage_record> lineage;
  std::vector<double> metrics;  // one per metric column
  std::optional<agent_snapshot> snapshot;
};

class run_writer {
 public:
  // Creates PATH.partial (throws civitas::input_error naming the path if it cannot be created) and
  // starts the writer thread. queue_capacity bounds the steps in flight (push blocks when full).
  run_writer(std::string path, const run_meta& meta, const run_layout& layout,
             std::size_t queue_capacity = 8);
  ~run_writer();  // without finish(): drains, closes, and leaves PATH.partial in place
  run_writer(const run_writer&) = delete;
  run_writer& operator=(const run_writer&) = delete;

  // Queues one step. Rethrows (as civitas::data_error) any error the writer thread met.
  void push(step_packet packet);
  // Called on the writer thread with each step's record buffer once it is written, so the simulation
  // can reuse it (ledger::record_pool) instead of faulting in a fresh one every step. Set before the
  // first push.
  using records_recycler = std::function<void(std::vector<ledger::transfer_record>&&)>;
  void recycle_records(records_recycler recycler);
  // Drains the queue, records completion attributes (and, given a signer, the signature over the head
  // and the file seal), closes and renames PATH.partial to PATH. Failures are civitas::write_error.
  void finish(const std::string& head_hash_hex, std::uint32_t steps_completed,
              const ledger::signing_key* signer = nullptr);
  // The seal after the last block pushed and written (valid after finish()).
  const ledger::digest& last_seal() const;

  const std::string& final_path() const;
  std::string partial_path() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Reads a run file (complete, or a .partial left by an interrupted run). Every failure to find or
// read an object is a civitas::data_error that names the file and the object. A complete file is opened
// without SWMR (HDF5 then reads each piece of metadata once); a .partial with SWMR reading and at most
// a few metadata read attempts, so a corrupt file fails in bounded time instead of HDF5 retrying.
class run_reader {
 public:
  explicit run_reader(const std::string& path);  // opens read-only, SWMR-read when possible
  ~run_reader();
  run_reader(run_reader&&) noexcept;

  const std::string& path() const;
  const run_meta& meta() const;
  const run_layout& layout() const;
  const std::vector<ledger::block_header>& headers() const;  // sealed blocks present in the file
  const std::vector<ledger::digest>& seals() const;          // the file seal stored with each header
  bool has_transfers() const;
  // Records of block `step` (requires has_transfers()).
  std::vector<ledger::transfer_record> transfers(step_t step) const;
  std::vector<ledger::lineage_record> lineage() const;
  // Column name -> values per block (row s = block s).
  std::vector<double> series(const std::string& column) const;
  // Every /series row of the blocks present, row-major (blocks x metric columns).
  std::vector<double> series_rows() const;
  std::vector<step_t> snapshot_steps() const;
  std::vector<amount_t> snapshot_balances(std::size_t snapshot_index) const;  // agents x tokens
  // The score column names (layout().score_columns; empty for a file without /agents/scores).
  const std::vector<std::string>& score_columns() const;
  // Agents x score columns, row-major (empty when there are no score columns).
  std::vector<double> snapshot_scores(std::size_t snapshot_index) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace civitas::io
