// run_writer and run_reader: the run file layout of run_file.hpp over the RAII layer of hdf5.hpp.
//
// Writer design:
//   - The constructor creates PATH.partial (latest format), every group, dataset and attribute (the
//     completion attributes with placeholders: steps_completed 0, head_hash "", complete 0), writes the
//     layout tables, then switches the file to SWMR writing. After that no object is created or removed.
//   - One writer thread drains a bounded queue. Per step it appends the block's body (supplies, series,
//     transfers, lineage, snapshot) and flushes, then appends the header row and flushes again. So a
//     header row on disk implies the rows it describes are on disk: the header is the seal.
//   - finish() joins the thread, closes the file, reopens it normally to overwrite the completion
//     attributes, closes it and renames PATH.partial to PATH.
//   - No HDF5 file locks, in the writer or the reader. A SWMR writer holds no lock once writing anyway,
//     but H5Fstart_swmr_write briefly drops and retakes an exclusive lock, so a viewer polling a run that
//     is just starting (h5py takes a shared lock even for SWMR reading) could make the run fail; and a
//     viewer left open would make finish() fail to reopen the file. The .partial name is per output
//     path, so two runs writing the same file is the user's mistake either way.
//
// Reader design: meta, layout and headers are read eagerly; transfers, lineage, series and snapshots on
// demand. The number of blocks present is min(rows of headers, supplies, series). In a file that is not
// marked complete (a .partial of a killed or live run), trailing header rows that were extended but never
// written (all-zero hash) and trailing blocks whose transfer rows are not all present are dropped: they
// are not finished steps. A complete file is returned as stored (tampering is verify's business).
#include "io/run_file.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>

#include "core/error.hpp"
#include "io/binding.hpp"
#include "io/hdf5.hpp"
#include "io/output_file.hpp"
#include "io/read_guard.hpp"

namespace civitas::io {
namespace {

namespace fs = std::filesystem;
using ledger::digest;

// ---- On-disk rows --------------------------------------------------------------------------------------

constexpr std::size_t name_size = 64;  // fixed-size, NUL-padded names in the code and token tables

struct header_row {
  std::uint32_t step;
  digest prev;
  digest transfers_root;
  std::uint64_t transfer_count;
  std::uint64_t rejected_count;
  digest balances_root;
  digest lineage_digest;
  digest hash;
  digest seal;
};

struct token_row {
  char name[name_size];
  std::uint8_t kind;
  std::uint32_t issuer;
};

struct account_row {
  std::uint32_t owner;
  std::uint16_t token;
  std::uint8_t flags;
};

struct authorisation_row {
  std::uint16_t token;
  std::uint16_t reason;
  std::uint8_t mint;
};

struct reason_row {
  std::uint16_t code;
  char name[name_size];
};

struct status_row {
  std::uint8_t code;
  char name[name_size];
};

// Chunk shapes (rows). Hot datasets are unfiltered; a chunk is written in place as rows arrive.
constexpr hsize_t headers_chunk = 256;
constexpr hsize_t series_chunk = 256;
constexpr hsize_t supplies_chunk = 256;
constexpr hsize_t transfers_chunk = 64 * 1024;  // 1.6 MiB of records; deflated when output.compression > 0
constexpr hsize_t lineage_chunk = 4096;
constexpr hsize_t snapshot_steps_chunk = 64;
constexpr hsize_t balances_chunk_values = 64 * 1024;  // per chunk of one snapshot (512 KiB)
constexpr int balances_deflate = 1;
constexpr hsize_t edges_chunk = 64 * 1024;  // rows (512 KiB); written once, so deflated
constexpr int edges_deflate = 1;
constexpr unsigned swmr_read_attempts = 4;  // metadata read attempts when SWMR-reading a .partial

// A memory type and its packed file counterpart.
struct type_pair {
  h5::datatype mem;
  h5::datatype file;
};

type_pair pair_of(const h5::compound_builder& b) { return {b.memory_type(), b.packed()}; }

type_pair header_types() {
  h5::datatype d = h5::byte_array_type(32);
  h5::compound_builder b(sizeof(header_row));
  b.add("step", offsetof(header_row, step), H5T_NATIVE_UINT32)
      .add("prev", offsetof(header_row, prev), d.get())
      .add("transfers_root", offsetof(header_row, transfers_root), d.get())
      .add("transfer_count", offsetof(header_row, transfer_count), H5T_NATIVE_UINT64)
      .add("rejected_count", offsetof(header_row, rejected_count), H5T_NATIVE_UINT64)
      .add("balances_root", offsetof(header_row, balances_root), d.get())
      .add("lineage_digest", offsetof(header_row, lineage_digest), d.get())
      .add("hash", offsetof(header_row, hash), d.get())
      .add("seal", offsetof(header_row, seal), d.get());
  return pair_of(b);
}

// The record is packed (ledger/record.hpp): its memory type is its file type, field for field, so HDF5
// writes and reads the block's bytes as they are (no conversion; checked by transfers_need_no_conversion).
type_pair transfer_types() {
  using ledger::transfer_record;
  h5::compound_builder b(sizeof(transfer_record));
  b.add("debit", offsetof(transfer_record, debit), H5T_NATIVE_UINT32)
      .add("credit", offsetof(transfer_record, credit), H5T_NATIVE_UINT32)
      .add("amount", offsetof(transfer_record, amount), H5T_NATIVE_INT64)
      .add("origin", offsetof(transfer_record, origin), H5T_NATIVE_UINT32)
      .add("token", offsetof(transfer_record, token), H5T_NATIVE_UINT16)
      .add("reason", offsetof(transfer_record, reason), H5T_NATIVE_UINT16)
      .add("status", offsetof(transfer_record, status), H5T_NATIVE_UINT8)
      .add("flags", offsetof(transfer_record, flags), H5T_NATIVE_UINT8);
  return pair_of(b);
}

type_pair lineage_types() {
  using ledger::lineage_record;
  h5::compound_builder b(sizeof(lineage_record));
  b.add("lot", offsetof(lineage_record, lot), H5T_NATIVE_UINT64)
      .add("backing", offsetof(lineage_record, backing), H5T_NATIVE_UINT64)
      .add("issuer", offsetof(lineage_record, issuer), H5T_NATIVE_UINT32)
      .add("holder", offsetof(lineage_record, holder), H5T_NATIVE_UINT32)
      .add("amount", offsetof(lineage_record, amount), H5T_NATIVE_INT64)
      .add("token", offsetof(lineage_record, token), H5T_NATIVE_UINT16)
      .add("step", offsetof(lineage_record, step), H5T_NATIVE_UINT32);
  return pair_of(b);
}

type_pair token_types() {
  h5::datatype s = h5::fixed_string_type(name_size);
  h5::compound_builder b(sizeof(token_row));
  b.add("name", offsetof(token_row, name), s.get())
      .add("kind", offsetof(token_row, kind), H5T_NATIVE_UINT8)
      .add("issuer", offsetof(token_row, issuer), H5T_NATIVE_UINT32);
  return pair_of(b);
}

type_pair account_types() {
  h5::compound_builder b(sizeof(account_row));
  b.add("owner", offsetof(account_row, owner), H5T_NATIVE_UINT32)
      .add("token", offsetof(account_row, token), H5T_NATIVE_UINT16)
      .add("flags", offsetof(account_row, flags), H5T_NATIVE_UINT8);
  return pair_of(b);
}

type_pair authorisation_types() {
  h5::compound_builder b(sizeof(authorisation_row));
  b.add("token", offsetof(authorisation_row, token), H5T_NATIVE_UINT16)
      .add("reason", offsetof(authorisation_row, reason), H5T_NATIVE_UINT16)
      .add("mint", offsetof(authorisation_row, mint), H5T_NATIVE_UINT8);
  return pair_of(b);
}

template <class Row, class Code>
type_pair code_types() {
  h5::datatype s = h5::fixed_string_type(name_size);
  h5::compound_builder b(sizeof(Row));
  b.add("code", offsetof(Row, code), h5::native_type<Code>()).add("name", offsetof(Row, name), s.get());
  return pair_of(b);
}

// One float64 field per metric column, in order: a row is exactly the packet's metrics vector. (HDF5
// has no compound without fields: with no columns there is no /series.)
h5::datatype series_type(const std::vector<std::string>& columns) {
  h5::compound_builder b(columns.size() * sizeof(double));
  for (std::size_t i = 0; i < columns.size(); ++i) b.add(columns[i], i * sizeof(double), H5T_NATIVE_DOUBLE);
  return b.memory_type();
}

void copy_name(char (&out)[name_size], const std::string& name) {
  std::memset(out, 0, name_size);
  std::memcpy(out, name.data(), std::min(name.size(), name_size));
}

std::string read_name(const char (&in)[name_size]) {
  return std::string(in, std::find(in, in + name_size, '\0'));
}

bool is_zero(const digest& d) {
  return std::all_of(d.begin(), d.end(), [](std::uint8_t b) { return b == 0; });
}

std::string partial_of(const std::string& path) { return path + ".partial"; }

using edge_list = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

void write_edges(hid_t loc, const std::string& name, const edge_list& edges) {
  std::vector<std::uint32_t> flat;
  flat.reserve(edges.size() * 2);
  for (const auto& [from, to] : edges) {
    flat.push_back(from);
    flat.push_back(to);
  }
  const hsize_t dims[2] = {edges.size(), 2}, chunk[2] = {edges_chunk, 2};
  h5::create_fixed_chunked(loc, name, H5T_NATIVE_UINT32, dims, chunk, edges_deflate, H5T_NATIVE_UINT32,
                           flat.data());
}

std::string join(const std::vector<std::string>& names, char separator) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += separator;
    out += names[i];
  }
  return out;
}

}  // namespace

// =====================================================================================================
// run_writer
// =====================================================================================================

struct run_writer::impl {
  std::string path;
  std::string partial;
  bool full_log = false;
  int compression = 0;  // deflate level of /ledger/transfers (0: none)
  std::size_t tokens = 0;
  std::size_t agents = 0;
  std::size_t columns = 0;
  std::size_t score_columns = 0;
  step_t next_step = 0;  // caller side: the step the next packet must carry
  bool finished = false;
  digest seal{};  // the file seal after the last block written (writer thread, then finish())

  // HDF5 state: touched by the constructor, then only by the writer thread until it is joined.
  h5::file file;
  h5::dataset headers, supplies, series, transfers, lineage, snapshot_steps, balances, scores;
  type_pair header_t, transfer_t, lineage_t;
  h5::datatype series_t;

  // The bounded queue.
  std::mutex mutex;
  std::condition_variable not_empty, not_full;
  std::deque<step_packet> queue;
  std::size_t capacity = 1;
  bool stopping = false;
  bool failed = false;
  std::string error;  // the writer thread's first error
  std::thread thread;
  run_writer::records_recycler recycler;  // set before the thread sees any packet

  void create(const run_meta& meta, const run_layout& layout);
  void run() noexcept;
  void write_step(const step_packet& p);
  void stop() noexcept;
  void close_datasets() noexcept;
  [[noreturn]] void rethrow_locked() const { throw write_error(error); }
};

void run_writer::impl::create(const run_meta& meta, const run_layout& layout) {
  const hid_t f = file.get();

  // /meta: every attribute, including the completion ones with placeholders (no attribute may be
  // created once SWMR writing has started).
  {
    h5::group g = h5::create_group(f, "meta");
    h5::write_attribute(g.get(), "scenario", meta.scenario);
    h5::write_attribute(g.get(), "scenario_name", meta.scenario_name);
    h5::write_attribute(g.get(), "seed", meta.seed);
    h5::write_attribute(g.get(), "engine_version", meta.engine_version);
    h5::write_attribute(g.get(), "build_flags", meta.build_flags);
    h5::write_attribute(g.get(), "start_time", meta.start_time);
    h5::write_attribute(g.get(), "threads", meta.threads);
    h5::write_attribute(g.get(), "steps_planned", meta.steps_planned);
    h5::write_attribute(g.get(), "ledger_log", meta.ledger_log);
    h5::write_attribute(g.get(), "activation", meta.activation);
    h5::write_attribute(g.get(), "steps_completed", std::uint32_t{0});
    h5::write_attribute(g.get(), "head_hash", std::string_view());
    h5::write_attribute(g.get(), "file_seal", std::string_view());
    h5::write_attribute(g.get(), "signature", std::string_view());
    h5::write_attribute(g.get(), "signing_key", std::string_view());
    h5::write_attribute(g.get(), "complete", std::uint8_t{0});
  }

  // /ledger: the fixed tables, then the extendible per-step datasets.
  h5::group ledger_group = h5::create_group(f, "ledger");
  const hid_t lg = ledger_group.get();
  {
    std::vector<token_row> rows(layout.tokens.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      copy_name(rows[i].name, layout.tokens[i].name);
      rows[i].kind = static_cast<std::uint8_t>(layout.tokens[i].kind);
      rows[i].issuer = layout.issuer_accounts[i];
    }
    const type_pair t = token_types();
    const hsize_t dims[1] = {rows.size()};
    h5::create_fixed(lg, "tokens", t.file.get(), dims, t.mem.get(), rows.data());
  }
  {
    std::vector<account_row> rows(layout.accounts.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i] = {layout.accounts[i].owner, layout.accounts[i].token, layout.accounts[i].flags};
    }
    const type_pair t = account_types();
    const hsize_t dims[1] = {rows.size()};
    h5::create_fixed(lg, "accounts", t.file.get(), dims, t.mem.get(), rows.data());
  }
  {
    std::vector<authorisation_row> rows(layout.authorisations.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const authorisation& a = layout.authorisations[i];
      rows[i] = {a.token, a.reason, static_cast<std::uint8_t>(a.mint ? 1 : 0)};
    }
    const type_pair t = authorisation_types();
    const hsize_t dims[1] = {rows.size()};
    h5::create_fixed(lg, "authorisations", t.file.get(), dims, t.mem.get(), rows.data());
  }
  {
    std::vector<reason_row> rows(layout.reasons.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i].code = layout.reasons[i].code;
      copy_name(rows[i].name, layout.reasons[i].name);
    }
    const type_pair t = code_types<reason_row, std::uint16_t>();
    const hsize_t dims[1] = {rows.size()};
    h5::create_fixed(lg, "reasons", t.file.get(), dims, t.mem.get(), rows.data());
  }
  {
    const std::vector<code_entry> statuses = engine_statuses();
    std::vector<status_row> rows(statuses.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i].code = static_cast<std::uint8_t>(statuses[i].code);
      copy_name(rows[i].name, statuses[i].name);
    }
    const type_pair t = code_types<status_row, std::uint8_t>();
    const hsize_t dims[1] = {rows.size()};
    h5::create_fixed(lg, "statuses", t.file.get(), dims, t.mem.get(), rows.data());
  }

  header_t = header_types();
  transfer_t = transfer_types();
  lineage_t = lineage_types();
  {
    const hsize_t dims[1] = {0}, chunk[1] = {headers_chunk};
    headers = h5::create_extendible(lg, "headers", header_t.file.get(), dims, chunk);
  }
  {
    const hsize_t dims[2] = {0, tokens}, chunk[2] = {supplies_chunk, tokens};
    supplies = h5::create_extendible(lg, "supplies", H5T_NATIVE_INT64, dims, chunk);
  }
  if (full_log) {
    const hsize_t dims[1] = {0}, chunk[1] = {transfers_chunk};
    transfers = h5::create_extendible(lg, "transfers", transfer_t.file.get(), dims, chunk, compression,
                                      compression > 0);
    if (!h5::same_type(transfer_t.mem.get(), transfer_t.file.get()))
      throw std::logic_error("run_writer: transfer_record's memory type is not its file type");
  }
  {
    const hsize_t dims[1] = {0}, chunk[1] = {lineage_chunk};
    lineage = h5::create_extendible(lg, "lineage", lineage_t.file.get(), dims, chunk);
  }
  if (columns > 0) {
    series_t = series_type(layout.metric_columns);
    const hsize_t dims[1] = {0}, chunk[1] = {series_chunk};
    series = h5::create_extendible(f, "series", series_t.get(), dims, chunk);
  }

  // /agents: the fixed per-agent data and the snapshot datasets.
  h5::group agents_group = h5::create_group(f, "agents");
  const hid_t ag = agents_group.get();
  {
    const hsize_t dims[1] = {agents};
    h5::create_fixed(ag, "kind", H5T_NATIVE_UINT8, dims, H5T_NATIVE_UINT8, layout.agent_kinds.data());
  }
  if (layout.value_dimensions > 0) {
    const hsize_t dims[2] = {agents, layout.value_dimensions};
    h5::create_fixed(ag, "values", H5T_NATIVE_DOUBLE, dims, H5T_NATIVE_DOUBLE, layout.agent_values.data());
    if (!layout.value_dimension_names.empty())
      h5::create_strings(ag, "value_dimensions", layout.value_dimension_names);
  }
  {
    const hsize_t dims[1] = {0}, chunk[1] = {snapshot_steps_chunk};
    snapshot_steps = h5::create_extendible(ag, "snapshot_steps", H5T_NATIVE_UINT32, dims, chunk);
  }
  {
    const hsize_t per_token = std::max<hsize_t>(1, tokens);
    const hsize_t agent_rows =
        std::max<hsize_t>(1, std::min<hsize_t>(agents, balances_chunk_values / per_token));
    const hsize_t dims[3] = {0, agents, tokens}, chunk[3] = {1, agent_rows, tokens};
    balances = h5::create_extendible(ag, "balances", H5T_NATIVE_INT64, dims, chunk, balances_deflate);
  }
  if (score_columns > 0) {
    const hsize_t per_column = score_columns;
    const hsize_t agent_rows =
        std::max<hsize_t>(1, std::min<hsize_t>(agents, balances_chunk_values / per_column));
    const hsize_t dims[3] = {0, agents, score_columns}, chunk[3] = {1, agent_rows, score_columns};
    scores = h5::create_extendible(ag, "scores", H5T_NATIVE_DOUBLE, dims, chunk, balances_deflate);
    h5::write_attribute(scores.get(), "columns", join(layout.score_columns, ','));
    h5::create_strings(ag, "score_columns", layout.score_columns);
  }

  // /network: cold data, written once.
  if (!layout.social_edges.empty() || !layout.supply_edges.empty()) {
    h5::group network_group = h5::create_group(f, "network");
    if (!layout.social_edges.empty()) write_edges(network_group.get(), "social", layout.social_edges);
    if (!layout.supply_edges.empty()) write_edges(network_group.get(), "supply", layout.supply_edges);
  }
}

void run_writer::impl::write_step(const step_packet& p) {
  // The body first, flushed, so that a header row on disk always has its rows on disk.
  h5::append(supplies.get(), H5T_NATIVE_INT64, p.header.supplies.data(), 1);
  if (series) h5::append(series.get(), series_t.get(), p.metrics.data(), 1);
  if (full_log) h5::append(transfers.get(), transfer_t.mem.get(), p.records.data(), p.records.size());
  h5::append(lineage.get(), lineage_t.mem.get(), p.lineage.data(), p.lineage.size());
  if (p.snapshot) {
    h5::append(snapshot_steps.get(), H5T_NATIVE_UINT32, &p.snapshot->step, 1);
    h5::append(balances.get(), H5T_NATIVE_INT64, p.snapshot->balances.data(), 1);
    if (scores) h5::append(scores.get(), H5T_NATIVE_DOUBLE, p.snapshot->scores.data(), 1);
  }
  h5::check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), partial, "cannot flush");

  const ledger::block_header& h = p.header;
  const digest next = seal_next(seal, h.hash, p.metrics, p.snapshot ? &*p.snapshot : nullptr);
  const header_row row{h.step,           h.prev,           h.transfers_root,
                       h.transfer_count, h.rejected_count, h.balances_root,
                       h.lineage_digest, h.hash,           next};
  h5::append(headers.get(), header_t.mem.get(), &row, 1);
  h5::check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), partial, "cannot flush");
  seal = next;
}

void run_writer::impl::run() noexcept {
  h5::quiet_errors();
  std::unique_lock lock(mutex);
  for (;;) {
    not_empty.wait(lock, [&] { return !queue.empty() || stopping; });
    if (queue.empty()) return;  // stopping, and drained
    step_packet packet = std::move(queue.front());
    queue.pop_front();
    not_full.notify_one();
    if (failed) continue;
    lock.unlock();
    std::string message;
    try {
      write_step(packet);
    } catch (const std::exception& e) {
      message = e.what();
    } catch (...) {
      message = partial + ": unknown error while writing";
    }
    if (recycler) recycler(std::move(packet.records));
    lock.lock();
    if (!message.empty()) {
      failed = true;
      error = "step " + std::to_string(packet.header.step) + ": " + message;
      queue.clear();
      not_full.notify_all();
    }
  }
}

void run_writer::impl::stop() noexcept {
  if (!thread.joinable()) return;
  {
    std::lock_guard lock(mutex);
    stopping = true;
  }
  not_empty.notify_all();
  thread.join();
}

void run_writer::impl::close_datasets() noexcept {
  headers.reset();
  supplies.reset();
  series.reset();
  transfers.reset();
  lineage.reset();
  snapshot_steps.reset();
  balances.reset();
  scores.reset();
}

run_writer::run_writer(std::string path, const run_meta& meta, const run_layout& layout,
                       std::size_t queue_capacity)
    : impl_(std::make_unique<impl>()) {
  impl& m = *impl_;
  m.path = std::move(path);
  m.partial = partial_of(m.path);
  m.full_log = meta.ledger_log == "full";
  if (meta.compression < 0 || meta.compression > 9)
    throw std::invalid_argument("run_writer: compression is a deflate level, 0 to 9");
  m.compression = meta.compression;
  m.tokens = layout.tokens.size();
  m.agents = layout.agent_kinds.size();
  m.columns = layout.metric_columns.size();
  m.score_columns = layout.score_columns.size();
  m.capacity = std::max<std::size_t>(1, queue_capacity);
  m.seal = seal_start(meta);

  // Shape checks (programmer errors) and names that do not fit the tables (user input).
  if (layout.issuer_accounts.size() != m.tokens) {
    throw std::invalid_argument("run_writer: issuer_accounts must have one entry per token");
  }
  if (!layout.value_dimension_names.empty() && layout.value_dimension_names.size() != layout.value_dimensions)
    throw std::invalid_argument("run_writer: value_dimension_names must name every value dimension");
  if (layout.agent_values.size() != m.agents * layout.value_dimensions) {
    throw std::invalid_argument("run_writer: agent_values must hold agents x value_dimensions values");
  }
  for (const auto& t : layout.tokens) {
    if (t.name.size() > name_size) {
      throw input_error(m.path + ": token name '" + t.name + "' is longer than " + std::to_string(name_size) +
                        " bytes");
    }
  }
  {
    std::unordered_set<std::string> seen;
    for (const auto& c : layout.metric_columns) {
      if (c.empty()) throw input_error(m.path + ": empty metric column name");
      if (!seen.insert(c).second) throw input_error(m.path + ": duplicate metric column '" + c + "'");
    }
  }
  {
    std::unordered_set<std::string> seen;
    for (const auto& c : layout.score_columns) {
      if (c.empty()) throw input_error(m.path + ": empty score column name");
      if (c.find('\0') != std::string::npos)
        throw input_error(m.path + ": score column name with a NUL byte");
      if (c.find(',') != std::string::npos) {
        throw input_error(m.path + ": score column name '" + c + "' holds a ',' (the columns separator)");
      }
      if (!seen.insert(c).second) throw input_error(m.path + ": duplicate score column '" + c + "'");
    }
  }

  // Only a regular file is ever written or replaced, and PATH.partial is made exclusively
  // (io/output_file.hpp).
  create_partial(m.path);
  try {
    m.file = h5::create_file(m.partial, true, false);
  } catch (const data_error& e) {
    std::remove(m.partial.c_str());
    throw write_error(m.path + ": cannot create output file: " + e.what());
  }

  try {
    m.create(meta, layout);
    h5::check(H5Fstart_swmr_write(m.file.get()), m.partial, "cannot start SWMR writing");
    m.thread = std::thread([&m] { m.run(); });
  } catch (const data_error& e) {  // HDF5 could not write what it had created
    m.close_datasets();
    m.file.reset();
    std::remove(m.partial.c_str());
    throw write_error(e.what());
  } catch (...) {
    m.close_datasets();
    m.file.reset();
    std::remove(m.partial.c_str());
    throw;
  }
}

run_writer::~run_writer() {
  if (!impl_ || impl_->finished) return;
  impl_->stop();
  impl_->close_datasets();
  impl_->file.reset();
}

void run_writer::push(step_packet packet) {
  impl& m = *impl_;
  if (m.finished || m.stopping) throw std::logic_error("run_writer::push after finish");
  const ledger::block_header& h = packet.header;
  if (h.step != m.next_step) {
    throw std::invalid_argument("run_writer::push: expected step " + std::to_string(m.next_step) + ", got " +
                                std::to_string(h.step));
  }
  if (h.supplies.size() != m.tokens) throw std::invalid_argument("run_writer::push: one supply per token");
  if (packet.metrics.size() != m.columns) {
    throw std::invalid_argument("run_writer::push: one metric per column");
  }
  if (m.full_log && packet.records.size() != h.transfer_count) {
    throw std::invalid_argument("run_writer::push: records must match the header's transfer_count");
  }
  if (packet.snapshot && packet.snapshot->balances.size() != m.agents * m.tokens) {
    throw std::invalid_argument("run_writer::push: a snapshot holds agents x tokens balances");
  }
  if (packet.snapshot && packet.snapshot->scores.size() != m.agents * m.score_columns) {
    throw std::invalid_argument("run_writer::push: a snapshot holds agents x score_columns scores");
  }
  if (!m.full_log) packet.records.clear();  // headers-only log: records are not stored

  std::unique_lock lock(m.mutex);
  m.not_full.wait(lock, [&] { return m.queue.size() < m.capacity || m.failed; });
  if (m.failed) m.rethrow_locked();
  m.queue.push_back(std::move(packet));
  ++m.next_step;
  lock.unlock();
  m.not_empty.notify_one();
}

void run_writer::recycle_records(records_recycler recycler) {
  impl& m = *impl_;
  std::lock_guard lock(m.mutex);
  if (m.next_step != 0) throw std::logic_error("run_writer::recycle_records after the first push");
  m.recycler = std::move(recycler);
}

void run_writer::finish(const std::string& head_hash_hex, std::uint32_t steps_completed,
                        const ledger::signing_key* signer) {
  impl& m = *impl_;
  if (m.finished) throw std::logic_error("run_writer::finish called twice");
  m.stop();
  if (m.failed) {
    m.close_datasets();
    m.file.reset();
    throw write_error(m.error);
  }
  const std::string seal_hex = ledger::to_hex(m.seal);
  std::string signature_hex, key_hex;
  if (signer) {
    digest head{};
    if (!ledger::from_hex(head_hash_hex, head))
      throw std::invalid_argument("run_writer::finish: bad head hash");
    const auto sig = signer->sign(ledger::run_signature_message(head, m.seal, steps_completed + 1, true));
    const auto key = signer->public_key();
    signature_hex = ledger::hex_of(sig.data(), sig.size());
    key_hex = ledger::hex_of(key.data(), key.size());
  }
  try {
    m.close_datasets();
    m.file.close(m.partial);

    h5::file f = h5::open_file(m.partial, H5F_ACC_RDWR, true, false);
    {
      h5::group g = h5::open_group(f.get(), "meta");
      h5::write_attribute(g.get(), "steps_completed", steps_completed);
      h5::write_attribute(g.get(), "head_hash", head_hash_hex);
      h5::write_attribute(g.get(), "file_seal", seal_hex);
      h5::write_attribute(g.get(), "signature", signature_hex);
      h5::write_attribute(g.get(), "signing_key", key_hex);
      h5::write_attribute(g.get(), "complete", std::uint8_t{1});
    }
    f.close(m.partial);
  } catch (const data_error& e) {
    throw write_error(e.what());
  }

  // rename(2) replaces an existing PATH atomically; PATH may have changed while the run wrote.
  check_rename_target(m.path);
  if (std::rename(m.partial.c_str(), m.path.c_str()) != 0) {
    throw write_error(m.path + ": cannot rename " + m.partial + " into place: " + std::strerror(errno));
  }
  m.finished = true;
}

const ledger::digest& run_writer::last_seal() const { return impl_->seal; }

const std::string& run_writer::final_path() const { return impl_->path; }

std::string run_writer::partial_path() const { return impl_->partial; }

// =====================================================================================================
// run_reader
// =====================================================================================================

struct run_reader::impl {
  std::string path;
  h5::file file;
  run_meta meta;
  run_layout layout;
  std::vector<ledger::block_header> headers;
  std::vector<digest> seals;
  // Block s holds transfer rows [offsets[s], offsets[s + 1]); sums saturate at 2^64 - 1 (a tampered
  // count then reads as a truncated dataset).
  std::vector<std::uint64_t> offsets;
  h5::dataset transfers;
  type_pair transfer_t;

  std::string where(const std::string& object) const { return path + ": " + object; }
  h5::dataset open(const std::string& name, int rank, const std::vector<std::string>& fields = {}) const;
  void read_meta();
  void read_layout();
  void read_edges(const std::string& name, edge_list& out) const;
  void read_headers();
};

h5::dataset run_reader::impl::open(const std::string& name, int rank,
                                   const std::vector<std::string>& fields) const {
  h5::dataset d = h5::open_dataset(file.get(), name);
  h5::extent_of_rank(d.get(), rank);
  h5::check_stored_size(d.get(), !meta.complete || is_partial_path(path));
  if (!fields.empty()) {
    h5::datatype t(h5::check(H5Dget_type(d.get()), where(name), "cannot get type"));
    if (H5Tget_class(t.get()) != H5T_COMPOUND) throw data_error(where(name) + ": wrong type (not compound)");
    for (const auto& f : fields) {
      if (H5Tget_member_index(t.get(), f.c_str()) < 0) {
        H5Eclear2(H5E_DEFAULT);
        throw data_error(where(name) + ": wrong type (no field '" + f + "')");
      }
    }
  }
  return d;
}

void run_reader::impl::read_meta() {
  h5::group g = h5::open_group(file.get(), "/meta");
  const hid_t id = g.get();
  meta.scenario = h5::read_string_attribute(id, "scenario");
  meta.scenario_name = h5::read_string_attribute(id, "scenario_name");
  meta.seed = h5::read_attribute<std::uint64_t>(id, "seed");
  meta.engine_version = h5::read_string_attribute(id, "engine_version");
  meta.build_flags = h5::read_string_attribute(id, "build_flags");
  meta.start_time = h5::read_string_attribute(id, "start_time");
  meta.threads = h5::read_attribute<std::uint32_t>(id, "threads");
  meta.steps_planned = h5::read_attribute<std::uint32_t>(id, "steps_planned");
  meta.ledger_log = h5::read_string_attribute(id, "ledger_log");
  meta.activation = h5::read_string_attribute(id, "activation");
  meta.steps_completed = h5::read_attribute<std::uint32_t>(id, "steps_completed");
  meta.head_hash = h5::read_string_attribute(id, "head_hash");
  meta.file_seal = h5::read_string_attribute(id, "file_seal");
  meta.signature = h5::read_string_attribute(id, "signature");
  meta.signing_key = h5::read_string_attribute(id, "signing_key");
  meta.complete = h5::read_attribute<std::uint8_t>(id, "complete") != 0;
}

void run_reader::impl::read_layout() {
  {
    h5::dataset d = open("/ledger/tokens", 1, {"name", "kind", "issuer"});
    std::vector<token_row> rows(h5::extent(d.get())[0]);
    h5::read_all(d.get(), token_types().mem.get(), rows.data());
    for (const auto& r : rows) {
      layout.tokens.push_back({read_name(r.name), static_cast<ledger::token_kind>(r.kind)});
      layout.issuer_accounts.push_back(r.issuer);
    }
  }
  {
    h5::dataset d = open("/ledger/accounts", 1, {"owner", "token", "flags"});
    std::vector<account_row> rows(h5::extent(d.get())[0]);
    h5::read_all(d.get(), account_types().mem.get(), rows.data());
    for (const auto& r : rows) layout.accounts.push_back({r.owner, r.token, r.flags});
  }
  {
    h5::dataset d = open("/ledger/authorisations", 1, {"token", "reason", "mint"});
    std::vector<authorisation_row> rows(h5::extent(d.get())[0]);
    h5::read_all(d.get(), authorisation_types().mem.get(), rows.data());
    for (const auto& r : rows) layout.authorisations.push_back({r.token, r.reason, r.mint != 0});
  }
  {
    h5::dataset d = open("/ledger/reasons", 1, {"code", "name"});
    std::vector<reason_row> rows(h5::extent(d.get())[0]);
    h5::read_all(d.get(), code_types<reason_row, std::uint16_t>().mem.get(), rows.data());
    for (const auto& r : rows) layout.reasons.push_back({r.code, read_name(r.name)});
  }
  {
    h5::dataset d = open("/ledger/statuses", 1, {"code", "name"});
    std::vector<status_row> rows(h5::extent(d.get())[0]);
    h5::read_all(d.get(), code_types<status_row, std::uint8_t>().mem.get(), rows.data());
    for (const auto& r : rows) layout.statuses.push_back({r.code, read_name(r.name)});
  }
  if (h5::exists(file.get(), "/series")) {  // absent when the run had no metric columns
    h5::dataset d = open("/series", 1);
    h5::datatype t(h5::check(H5Dget_type(d.get()), where("/series"), "cannot get type"));
    layout.metric_columns = h5::member_names(t.get(), where("/series"));
  }
  {
    h5::dataset d = open("/agents/kind", 1);
    layout.agent_kinds.resize(h5::extent(d.get())[0]);
    h5::read_all(d.get(), H5T_NATIVE_UINT8, layout.agent_kinds.data());
  }
  if (h5::exists(file.get(), "/agents/values")) {
    h5::dataset d = open("/agents/values", 2);
    const std::vector<hsize_t> dims = h5::extent(d.get());
    if (dims[0] != layout.agent_kinds.size()) {
      throw data_error(where("/agents/values") + ": wrong dimensions (" + std::to_string(dims[0]) +
                       " agents, /agents/kind has " + std::to_string(layout.agent_kinds.size()) + ")");
    }
    layout.value_dimensions = static_cast<std::uint32_t>(dims[1]);
    layout.agent_values.resize(dims[0] * dims[1]);
    h5::read_all(d.get(), H5T_NATIVE_DOUBLE, layout.agent_values.data());
    if (h5::exists(file.get(), "/agents/value_dimensions")) {  // absent when the dimensions are unnamed
      layout.value_dimension_names = h5::read_strings(open("/agents/value_dimensions", 1).get());
      if (layout.value_dimension_names.size() != layout.value_dimensions)
        throw data_error(where("/agents/value_dimensions") + ": " +
                         std::to_string(layout.value_dimension_names.size()) + " names for " +
                         std::to_string(layout.value_dimensions) + " value dimensions");
    }
  }
  if (h5::exists(file.get(), "/agents/scores")) {  // absent when the run had no score columns
    const std::vector<hsize_t> dims = h5::extent(open("/agents/scores", 3).get());
    layout.score_columns = h5::read_strings(open("/agents/score_columns", 1).get());
    // The same names as an attribute, for readers that want one string: it must agree.
    const std::string joined = h5::read_string_attribute(open("/agents/scores", 3).get(), "columns");
    if (joined != join(layout.score_columns, ','))
      throw data_error(where("/agents/scores") + ": attribute columns '" + joined +
                       "' disagrees with /agents/score_columns");
    if (dims[2] != layout.score_columns.size()) {
      throw data_error(where("/agents/scores") + ": wrong dimensions (" + std::to_string(dims[2]) +
                       " score columns, /agents/score_columns has " +
                       std::to_string(layout.score_columns.size()) + ")");
    }
  }
  read_edges("/network/social", layout.social_edges);
  read_edges("/network/supply", layout.supply_edges);
}

void run_reader::impl::read_edges(const std::string& name, edge_list& out) const {
  if (!h5::exists(file.get(), name)) return;  // absent when the network has no edges
  h5::dataset d = open(name, 2);
  const std::vector<hsize_t> dims = h5::extent(d.get());
  if (dims[1] != 2) {
    throw data_error(where(name) + ": wrong dimensions (" + std::to_string(dims[1]) +
                     " columns, expected 2: from, to)");
  }
  std::vector<std::uint32_t> flat(dims[0] * 2);
  h5::read_all(d.get(), H5T_NATIVE_UINT32, flat.data());
  out.resize(dims[0]);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = {flat[2 * i], flat[2 * i + 1]};
}

void run_reader::impl::read_headers() {
  h5::dataset hd = open("/ledger/headers", 1,
                        {"step", "prev", "transfers_root", "transfer_count", "rejected_count",
                         "balances_root", "lineage_digest", "hash", "seal"});
  h5::dataset sd = open("/ledger/supplies", 2);
  const std::size_t tokens = layout.tokens.size();
  const std::vector<hsize_t> sdims = h5::extent(sd.get());
  if (sdims[1] != tokens) {
    throw data_error(where("/ledger/supplies") + ": wrong dimensions (" + std::to_string(sdims[1]) +
                     " tokens, /ledger/tokens has " + std::to_string(tokens) + ")");
  }
  const hsize_t header_rows = h5::extent(hd.get())[0];
  const hsize_t series_rows =
      layout.metric_columns.empty() ? header_rows : h5::extent(open("/series", 1).get())[0];
  if (meta.complete && (sdims[0] != header_rows || series_rows != header_rows)) {
    throw data_error(path + ": row counts disagree in a complete file (/ledger/headers " +
                     std::to_string(header_rows) + ", /ledger/supplies " + std::to_string(sdims[0]) +
                     ", /series " + std::to_string(series_rows) + ")");
  }
  // A killed run may have written a block's body but not its header: count only sealed blocks.
  std::size_t n = std::min({header_rows, sdims[0], series_rows});

  std::vector<header_row> rows(n);
  h5::read_rows(hd.get(), header_types().mem.get(), 0, n, rows.data());
  if (!meta.complete) {
    // A row extended but never written reads back as zeros; a sealed header never has a zero hash.
    while (n > 0 && is_zero(rows[n - 1].hash)) --n;
  }
  std::vector<amount_t> supply(n * tokens);
  h5::read_rows(sd.get(), H5T_NATIVE_INT64, 0, n, supply.data());

  headers.resize(n);
  seals.resize(n);
  for (std::size_t s = 0; s < n; ++s) {
    const header_row& r = rows[s];
    ledger::block_header& h = headers[s];
    h.step = r.step;
    h.prev = r.prev;
    h.transfers_root = r.transfers_root;
    h.transfer_count = r.transfer_count;
    h.rejected_count = r.rejected_count;
    h.balances_root = r.balances_root;
    h.lineage_digest = r.lineage_digest;
    h.hash = r.hash;
    seals[s] = r.seal;
    h.supplies.assign(supply.begin() + static_cast<std::ptrdiff_t>(s * tokens),
                      supply.begin() + static_cast<std::ptrdiff_t>((s + 1) * tokens));
  }

  offsets.assign(1, 0);
  for (std::size_t s = 0; s < n; ++s) {
    const std::uint64_t prev = offsets.back(), count = headers[s].transfer_count;
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    offsets.push_back(count > max - prev ? max : prev + count);
  }
}

run_reader::run_reader(const std::string& path) : impl_(std::make_unique<impl>()) {
  const read_scope guard(path);
  impl& m = *impl_;
  m.path = path;
  h5::quiet_errors();
  std::error_code ec;
  if (!fs::exists(path, ec)) throw data_error(path + ": cannot open run file: no such file");
  if (!fs::is_regular_file(path, ec)) throw data_error(path + ": cannot open run file: not a regular file");
  // A finished file was closed cleanly: read it plainly, each piece of metadata once. A .partial (live or
  // killed writer) needs SWMR reading, where HDF5 retries a metadata read whose checksum fails (a live
  // writer may be mid-update) — 100 times by default, for minutes on a corrupt file; a few suffice for a
  // writer that flushes whole steps. Each mode falls back to the other for a file renamed by hand.
  const bool partial = is_partial_path(path);
  const h5::plist fapl = h5::file_access(false, false);
  h5::check(H5Pset_metadata_read_attempts(fapl.get(), swmr_read_attempts), path, "cannot set read attempts");
  const unsigned swmr = H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, plain = H5F_ACC_RDONLY;
  hid_t id = H5Fopen(path.c_str(), partial ? swmr : plain, fapl.get());
  if (id < 0) id = H5Fopen(path.c_str(), partial ? plain : swmr, fapl.get());
  if (id < 0) h5::fail(path, "cannot open run file");
  m.file = h5::file(id);

  m.read_meta();
  if (m.meta.complete) {
    // A finished file was closed cleanly: it must hold every byte its superblock accounts for. (SWMR
    // reading skips HDF5's own end-of-file check, since a live writer may still be extending the file.)
    haddr_t eoa = 0;
    hsize_t size = 0;
    h5::check(H5Fget_eoa(m.file.get(), &eoa), path, "cannot get end of allocation");
    h5::check(H5Fget_filesize(m.file.get(), &size), path, "cannot get file size");
    if (size < eoa) {
      throw data_error(path + ": file is truncated (" + std::to_string(size) + " bytes, expected " +
                       std::to_string(eoa) + ")");
    }
  }
  m.read_layout();
  m.read_headers();
  m.transfer_t = transfer_types();

  const bool present = h5::exists(m.file.get(), "/ledger/transfers");
  if (!present && m.meta.ledger_log == "full")
    throw data_error(m.where("/ledger/transfers") + ": missing dataset");
  if (present) {
    m.transfers = m.open("/ledger/transfers", 1,
                         {"debit", "credit", "amount", "origin", "token", "reason", "status", "flags"});
    // Exactly the canonical record, so rows read back byte for byte (a file of an older engine, whose
    // records held more fields, is refused here rather than read into a different framing).
    h5::datatype stored(
        h5::check(H5Dget_type(m.transfers.get()), m.where("/ledger/transfers"), "cannot get type"));
    if (!h5::same_type(stored.get(), m.transfer_t.file.get()))
      throw data_error(m.where("/ledger/transfers") +
                       ": wrong type (not the 26-byte transfer record of this engine: README, Output)");
    if (!m.meta.complete) {
      // Blocks whose rows were not all written are not finished steps.
      const std::uint64_t rows = h5::extent(m.transfers.get())[0];
      std::size_t n = m.headers.size();
      while (n > 0 && m.offsets[n] > rows) --n;
      m.headers.resize(n);
      m.offsets.resize(n + 1);
    }
  }
}

run_reader::~run_reader() {
  if (!impl_) return;
  const read_scope guard(impl_->path);  // closing flushes HDF5's metadata cache: it reads too
  impl_.reset();
}
run_reader::run_reader(run_reader&&) noexcept = default;

const std::string& run_reader::path() const { return impl_->path; }
const run_meta& run_reader::meta() const { return impl_->meta; }
const run_layout& run_reader::layout() const { return impl_->layout; }
const std::vector<ledger::block_header>& run_reader::headers() const { return impl_->headers; }
const std::vector<ledger::digest>& run_reader::seals() const { return impl_->seals; }
bool run_reader::has_transfers() const { return static_cast<bool>(impl_->transfers); }

std::vector<ledger::transfer_record> run_reader::transfers(step_t step) const {
  const read_scope guard(impl_->path);
  const impl& m = *impl_;
  if (!m.transfers) throw std::logic_error(m.path + ": the run file holds no transfer records");
  if (step >= m.headers.size()) {
    throw std::out_of_range(m.path + ": block " + std::to_string(step) + " is not in the file (" +
                            std::to_string(m.headers.size()) + " blocks)");
  }
  const std::uint64_t rows = h5::extent(m.transfers.get())[0];
  const std::uint64_t first = m.offsets[step], last = m.offsets[step + 1];
  if (last > rows) {
    throw data_error(m.where("/ledger/transfers") + " is truncated (block " + std::to_string(step) +
                     " needs rows " + std::to_string(first) + ".." + std::to_string(last) + ", file has " +
                     std::to_string(rows) + ")");
  }
  std::vector<ledger::transfer_record> out(last - first);
  h5::read_rows(m.transfers.get(), m.transfer_t.mem.get(), first, last - first, out.data());
  return out;
}

std::vector<ledger::lineage_record> run_reader::lineage() const {
  const read_scope guard(impl_->path);
  const impl& m = *impl_;
  h5::dataset d =
      m.open("/ledger/lineage", 1, {"lot", "backing", "issuer", "holder", "amount", "token", "step"});
  std::vector<ledger::lineage_record> out(h5::extent(d.get())[0]);
  h5::read_all(d.get(), lineage_types().mem.get(), out.data());
  if (!m.meta.complete) {
    // Lots minted by a block that was never sealed.
    while (!out.empty() && out.back().step >= m.headers.size()) out.pop_back();
  }
  return out;
}

std::vector<double> run_reader::series(const std::string& column) const {
  const read_scope guard(impl_->path);
  const impl& m = *impl_;
  const auto& columns = m.layout.metric_columns;
  if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
    throw std::invalid_argument(m.path + ": no metric column '" + column + "' in /series");
  }
  h5::dataset d = m.open("/series", 1, {column});
  h5::compound_builder b(sizeof(double));
  b.add(column, 0, H5T_NATIVE_DOUBLE);
  std::vector<double> out(m.headers.size());
  h5::read_rows(d.get(), b.memory_type().get(), 0, out.size(), out.data());
  return out;
}

std::vector<double> run_reader::series_rows() const {
  const read_scope guard(impl_->path);
  const impl& m = *impl_;
  const std::size_t columns = m.layout.metric_columns.size();
  std::vector<double> out(m.headers.size() * columns);
  if (columns == 0 || m.headers.empty()) return out;
  h5::dataset d = m.open("/series", 1);
  h5::read_rows(d.get(), series_type(m.layout.metric_columns).get(), 0, m.headers.size(), out.data());
  return out;
}

std::vector<step_t> run_reader::snapshot_steps() const {
  const read_scope guard(impl_->path);
  const impl& m = *impl_;
  h5::dataset steps = m.open("/agents/snapshot_steps", 1);
  h5::dataset balances = m.open("/agents/balances", 3);
  std::size_t n = std::min(h5::extent(steps.get())[0], h5::extent(balances.get())[0]);
  if (!m.layout.score_columns.empty()) {
    // A killed run may have written a snapshot's balances but not its scores.
    n = std::min<std::size_t>(n, h5::extent(m.open("/agents/scores", 3).get())[0]);
  }
  std::vector<step_t> out(n);
  h5::read_rows(steps.get(), H5T_NATIVE_UINT32, 0, n, out.data());
  if (!m.meta.complete) {
    while (!out.empty() && out.back() >= m.headers.size()) out.pop_back();
  }
  return out;
}

std::vector<amount_t> run_reader::snapshot_balances(std::size_t snapshot_index) const {
  const read_scope guard(impl_->path);
  const impl& m = *impl_;
  h5::dataset d = m.open("/agents/balances", 3);
  const std::vector<hsize_t> dims = h5::extent(d.get());
  const std::size_t agents = m.layout.agent_kinds.size(), tokens = m.layout.tokens.size();
  if (dims[1] != agents || dims[2] != tokens) {
    throw data_error(m.where("/agents/balances") + ": wrong dimensions (" + std::to_string(dims[1]) + " x " +
                     std::to_string(dims[2]) + " per snapshot, expected " + std::to_string(agents) + " x " +
                     std::to_string(tokens) + ")");
  }
  if (snapshot_index >= dims[0]) {
    throw std::out_of_range(m.path + ": snapshot " + std::to_string(snapshot_index) +
                            " is not in the file (" + std::to_string(dims[0]) + " snapshots)");
  }
  std::vector<amount_t> out(agents * tokens);
  h5::read_rows(d.get(), H5T_NATIVE_INT64, snapshot_index, 1, out.data());
  return out;
}

const std::vector<std::string>& run_reader::score_columns() const { return impl_->layout.score_columns; }

std::vector<double> run_reader::snapshot_scores(std::size_t snapshot_index) const {
  const read_scope guard(impl_->path);
  const impl& m = *impl_;
  const std::size_t agents = m.layout.agent_kinds.size(), columns = m.layout.score_columns.size();
  // No score columns: no /agents/scores; the snapshot count is that of /agents/balances.
  const char* name = columns > 0 ? "/agents/scores" : "/agents/balances";
  h5::dataset d = m.open(name, 3);
  const std::vector<hsize_t> dims = h5::extent(d.get());
  if (columns > 0 && (dims[1] != agents || dims[2] != columns)) {
    throw data_error(m.where(name) + ": wrong dimensions (" + std::to_string(dims[1]) + " x " +
                     std::to_string(dims[2]) + " per snapshot, expected " + std::to_string(agents) + " x " +
                     std::to_string(columns) + ")");
  }
  if (snapshot_index >= dims[0]) {
    throw std::out_of_range(m.path + ": snapshot " + std::to_string(snapshot_index) +
                            " is not in the file (" + std::to_string(dims[0]) + " snapshots)");
  }
  std::vector<double> out(agents * columns);
  if (columns > 0) h5::read_rows(d.get(), H5T_NATIVE_DOUBLE, snapshot_index, 1, out.data());
  return out;
}

}  // namespace civitas::io
