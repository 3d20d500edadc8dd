// Tests for the run file (engine/io/run_file.hpp): round trips, the .partial protocol, corrupt inputs,
// and a run killed with SIGKILL part-way through.
#include "io/run_file.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "io/binding.hpp"
#include "io/hdf5.hpp"

namespace civitas::io {
namespace {

namespace fs = std::filesystem;
using ledger::block_header;
using ledger::digest;
using ledger::lineage_record;
using ledger::transfer_record;

// ---- Fixtures: a small deterministic run ---------------------------------------------------------------

run_meta make_meta(const std::string& log = "full") {
  run_meta m;
  m.scenario = "[run]\nname = \"\xce\xb2-test\"\nsteps = 5\n";  // UTF-8 survives
  m.scenario_name = "beta-test";
  m.seed = 0xDEADBEEFCAFEF00DULL;
  m.engine_version = "0.1.0";
  m.build_flags = "-O2 -ffp-contract=off";
  m.start_time = "2024-01-02T03:04:05Z";
  m.threads = 4;
  m.steps_planned = 5;
  m.ledger_log = log;
  m.activation = "random";
  return m;
}

run_layout make_layout() {
  run_layout l;
  l.tokens = {{"cash", ledger::token_kind::cash},
              {"SER", ledger::token_kind::platform},
              {"care", ledger::token_kind::value}};
  l.issuer_accounts = {0, 1, 2};
  l.reasons = {{0, "none"}, {1, "endowment"}, {2, "exchange"}, {3, "gift"}};
  l.statuses = engine_statuses();
  for (token_id t = 0; t < 3; ++t) l.accounts.push_back({system_agent, t, ledger::account_flag::issuer});
  for (agent_id a = 0; a < 5; ++a) {
    for (token_id t = 0; t < 3; ++t) l.accounts.push_back({a, t, ledger::account_flag::none});
  }
  l.authorisations = {{0, 1, true}, {2, 3, true}, {2, 2, false}};
  l.metric_columns = {"gini", "mean_wealth", "transfers"};
  l.agent_kinds = {0, 1, 1, 2, 0};
  l.value_dimensions = 2;
  l.agent_values = {0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5};
  return l;
}

digest pattern(std::uint32_t step, std::uint8_t salt) {
  digest d{};
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = static_cast<std::uint8_t>(step * 31 + salt * 7 + i + 1);
  return d;
}

std::size_t record_count(step_t step) { return 1 + (step * 37) % 200; }

transfer_record make_record(step_t step, std::uint32_t i) {
  transfer_record r;
  r.debit = (step * 7 + i) % 18;
  r.credit = (step * 11 + i * 3) % 18;
  r.amount = static_cast<amount_t>(step + 1) * 1000 + i;
  r.origin = i % 5;
  r.token = static_cast<token_id>(i % 3);
  r.reason = static_cast<std::uint16_t>(i % 4);
  r.status = static_cast<std::uint8_t>(i % 5 == 0 ? 1 : 0);
  r.flags = static_cast<std::uint8_t>(i % 2);
  return r;
}

// A packet that is a pure function of the step (the SIGKILL test rebuilds it in the parent).
step_packet make_packet(step_t step, std::size_t records = 0, bool snapshot = false) {
  if (records == 0) records = record_count(step);
  step_packet p;
  block_header& h = p.header;
  h.step = step;
  h.prev = pattern(step, 1);
  h.transfers_root = pattern(step, 2);
  h.transfer_count = records;
  h.rejected_count = records / 5;
  h.balances_root = pattern(step, 3);
  h.supplies = {1000 * static_cast<amount_t>(step), -5, static_cast<amount_t>(step) * step};
  h.hash = pattern(step, 4);
  for (std::uint32_t i = 0; i < records; ++i) p.records.push_back(make_record(step, i));
  if (step % 2 == 1) {
    p.lineage.push_back({ledger::make_transfer_id(step, 1), ledger::make_transfer_id(step, 0), 2,
                         static_cast<account_id>(3 + step % 5), 100 + static_cast<amount_t>(step), 2, 0,
                         step});
  }
  p.metrics = {0.25 + step, 1e9 / (step + 1), static_cast<double>(records)};
  if (snapshot) {
    agent_snapshot s;
    s.step = step;
    for (std::size_t i = 0; i < 5 * 3; ++i) s.balances.push_back(static_cast<amount_t>(step * 100 + i) - 7);
    p.snapshot = s;
  }
  return p;
}

void expect_records_eq(const std::vector<transfer_record>& got, const std::vector<transfer_record>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(std::memcmp(&got[i], &want[i], sizeof(transfer_record)), 0) << "record " << i;
  }
}

void expect_header_eq(const block_header& got, const block_header& want) {
  EXPECT_EQ(got.step, want.step);
  EXPECT_EQ(got.prev, want.prev);
  EXPECT_EQ(got.transfers_root, want.transfers_root);
  EXPECT_EQ(got.transfer_count, want.transfer_count);
  EXPECT_EQ(got.rejected_count, want.rejected_count);
  EXPECT_EQ(got.balances_root, want.balances_root);
  EXPECT_EQ(got.supplies, want.supplies);
  EXPECT_EQ(got.hash, want.hash);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class RunFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "civitas_run_file_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  // A finished run of `steps` blocks, snapshots at 0 and steps - 1.
  std::string write_run(const std::string& name, step_t steps, const std::string& log = "full",
                        int compression = 0, std::size_t records = 0) {
    const std::string path = file(name);
    run_meta meta = make_meta(log);
    meta.compression = compression;
    run_writer w(path, meta, make_layout(), 2);
    for (step_t s = 0; s < steps; ++s) w.push(make_packet(s, records, s == 0 || s + 1 == steps));
    w.finish("ab" + std::string(62, 'c'), steps - 1);
    return path;
  }

  fs::path dir_;
};

// Expects run_reader(path) to throw data_error whose message names the file (and `object`, if given).
void expect_data_error(const std::string& path, const std::string& object = "") {
  try {
    run_reader r(path);
    ADD_FAILURE() << "no data_error for " << path << " (" << r.headers().size() << " headers)";
  } catch (const data_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path), std::string::npos) << what;
    if (!object.empty()) {
      EXPECT_NE(what.find(object), std::string::npos) << what;
    }
  }
}

// ---- Round trips -------------------------------------------------------------------------------------

TEST_F(RunFile, RoundTripsEverything) {
  const std::string path = file("run.h5");
  const run_meta meta = make_meta();
  const run_layout layout = make_layout();
  std::vector<step_packet> sent;
  for (step_t s = 0; s < 6; ++s) {
    // Step 3 spans two 64 Ki-row chunks of /ledger/transfers; snapshots at steps 0 and 4.
    sent.push_back(make_packet(s, s == 3 ? 70000 : 0, s == 0 || s == 4));
  }
  {
    run_writer w(path, meta, layout, 1);  // capacity 1: push blocks on every step
    EXPECT_EQ(w.final_path(), path);
    EXPECT_EQ(w.partial_path(), path + ".partial");
    for (const auto& p : sent) w.push(p);
    w.finish(std::string(64, 'f'), 5);
  }
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".partial"));

  run_reader r(path);
  EXPECT_EQ(r.path(), path);
  const run_meta& m = r.meta();
  EXPECT_EQ(m.scenario, meta.scenario);
  EXPECT_EQ(m.scenario_name, meta.scenario_name);
  EXPECT_EQ(m.seed, meta.seed);
  EXPECT_EQ(m.engine_version, meta.engine_version);
  EXPECT_EQ(m.build_flags, meta.build_flags);
  EXPECT_EQ(m.start_time, meta.start_time);
  EXPECT_EQ(m.threads, meta.threads);
  EXPECT_EQ(m.steps_planned, meta.steps_planned);
  EXPECT_EQ(m.ledger_log, "full");
  EXPECT_EQ(m.activation, meta.activation);
  EXPECT_EQ(m.steps_completed, 5u);
  EXPECT_EQ(m.head_hash, std::string(64, 'f'));
  EXPECT_TRUE(m.complete);

  const run_layout& l = r.layout();
  ASSERT_EQ(l.tokens.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(l.tokens[i].name, layout.tokens[i].name);
    EXPECT_EQ(l.tokens[i].kind, layout.tokens[i].kind);
  }
  EXPECT_EQ(l.issuer_accounts, layout.issuer_accounts);
  ASSERT_EQ(l.accounts.size(), layout.accounts.size());
  for (std::size_t i = 0; i < l.accounts.size(); ++i) {
    EXPECT_EQ(l.accounts[i].owner, layout.accounts[i].owner);
    EXPECT_EQ(l.accounts[i].token, layout.accounts[i].token);
    EXPECT_EQ(l.accounts[i].flags, layout.accounts[i].flags);
  }
  ASSERT_EQ(l.authorisations.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(l.authorisations[i].token, layout.authorisations[i].token);
    EXPECT_EQ(l.authorisations[i].reason, layout.authorisations[i].reason);
    EXPECT_EQ(l.authorisations[i].mint, layout.authorisations[i].mint);
  }
  EXPECT_EQ(l.metric_columns, layout.metric_columns);
  EXPECT_EQ(l.agent_kinds, layout.agent_kinds);
  EXPECT_EQ(l.value_dimensions, 2u);
  EXPECT_EQ(l.agent_values, layout.agent_values);

  ASSERT_EQ(r.headers().size(), sent.size());
  ASSERT_TRUE(r.has_transfers());
  std::vector<lineage_record> lineage_sent;
  for (step_t s = 0; s < sent.size(); ++s) {
    SCOPED_TRACE(s);
    expect_header_eq(r.headers()[s], sent[s].header);
    expect_records_eq(r.transfers(s), sent[s].records);
    lineage_sent.insert(lineage_sent.end(), sent[s].lineage.begin(), sent[s].lineage.end());
  }
  const std::vector<lineage_record> lineage = r.lineage();
  ASSERT_EQ(lineage.size(), lineage_sent.size());
  for (std::size_t i = 0; i < lineage.size(); ++i) {
    EXPECT_EQ(std::memcmp(&lineage[i], &lineage_sent[i], sizeof(lineage_record)), 0) << i;
  }
  for (std::size_t c = 0; c < layout.metric_columns.size(); ++c) {
    const std::vector<double> values = r.series(layout.metric_columns[c]);
    ASSERT_EQ(values.size(), sent.size());
    for (std::size_t s = 0; s < sent.size(); ++s) EXPECT_EQ(values[s], sent[s].metrics[c]);
  }
  EXPECT_THROW(r.series("no_such_column"), std::invalid_argument);
  EXPECT_EQ(r.snapshot_steps(), (std::vector<step_t>{0, 4}));
  EXPECT_EQ(r.snapshot_balances(0), sent[0].snapshot->balances);
  EXPECT_EQ(r.snapshot_balances(1), sent[4].snapshot->balances);
  EXPECT_THROW(r.snapshot_balances(2), std::out_of_range);
  EXPECT_THROW(r.transfers(6), std::out_of_range);

  // The reader is movable.
  run_reader moved(std::move(r));
  EXPECT_EQ(moved.headers().size(), sent.size());
}

TEST_F(RunFile, CodeTablesAndFieldNamesAreSelfDescribing) {
  const std::string path = write_run("codes.h5", 2);
  h5::file f = h5::open_file(path, H5F_ACC_RDONLY, false);

  struct code_row {
    std::uint16_t code;
    char name[64];
  };
  h5::datatype s = h5::fixed_string_type(64);
  h5::compound_builder b(sizeof(code_row));
  b.add("code", offsetof(code_row, code), H5T_NATIVE_UINT16).add("name", offsetof(code_row, name), s.get());
  auto read_codes = [&](const char* name) {
    h5::dataset d = h5::open_dataset(f.get(), name);
    std::vector<code_row> rows(h5::extent(d.get())[0]);
    h5::read_all(d.get(), b.memory_type().get(), rows.data());
    return rows;
  };
  const auto reasons = read_codes("/ledger/reasons");
  // The layout's codes (as an exchange model gives them: the ledger's two and its own two), with their names.
  ASSERT_EQ(reasons.size(), 4u);
  for (std::uint16_t c = 0; c < 4; ++c) {
    EXPECT_EQ(reasons[c].code, c);
    EXPECT_EQ(std::string(reasons[c].name), driver::reason_name(c));
  }
  const auto statuses = read_codes("/ledger/statuses");
  ASSERT_EQ(statuses.size(), ledger::status_count);
  for (std::size_t c = 0; c < ledger::status_count; ++c) {
    EXPECT_EQ(statuses[c].code, c);
    EXPECT_STREQ(statuses[c].name, ledger::status_name(static_cast<ledger::status>(c)));
  }

  auto fields = [&](const char* name) {
    h5::dataset d = h5::open_dataset(f.get(), name);
    h5::datatype t(H5Dget_type(d.get()));
    return h5::member_names(t.get(), name);
  };
  EXPECT_EQ(fields("/ledger/transfers"), (std::vector<std::string>{"debit", "credit", "amount", "origin",
                                                                   "token", "reason", "status", "flags"}));
  EXPECT_EQ(fields("/ledger/headers"),
            (std::vector<std::string>{"step", "prev", "transfers_root", "transfer_count", "rejected_count",
                                      "balances_root", "lineage_digest", "hash", "seal"}));
  EXPECT_EQ(fields("/series"), (std::vector<std::string>{"gini", "mean_wealth", "transfers"}));
  EXPECT_EQ(fields("/ledger/tokens"), (std::vector<std::string>{"name", "kind", "issuer"}));
}

// The stored record type is the in-memory record exactly: 26 packed bytes, each field at its offsetof,
// so HDF5 converts nothing on the way out or back.
TEST_F(RunFile, TransferRowsAreTheInMemoryRecordByteForByte) {
  const std::string path = write_run("packed.h5", 3);
  {
    h5::file f = h5::open_file(path, H5F_ACC_RDONLY, false);
    h5::dataset d = h5::open_dataset(f.get(), "/ledger/transfers");
    h5::datatype stored(H5Dget_type(d.get()));
    EXPECT_EQ(H5Tget_size(stored.get()), sizeof(transfer_record));
    EXPECT_EQ(H5Tget_size(stored.get()), 26u);
    const char* names[] = {"debit", "credit", "amount", "origin", "token", "reason", "status", "flags"};
    const std::size_t offsets[] = {offsetof(transfer_record, debit),  offsetof(transfer_record, credit),
                                   offsetof(transfer_record, amount), offsetof(transfer_record, origin),
                                   offsetof(transfer_record, token),  offsetof(transfer_record, reason),
                                   offsetof(transfer_record, status), offsetof(transfer_record, flags)};
    for (unsigned i = 0; i < 8; ++i) {
      char* name = H5Tget_member_name(stored.get(), i);
      EXPECT_STREQ(name, names[i]) << i;
      H5free_memory(name);
      EXPECT_EQ(H5Tget_member_offset(stored.get(), i), offsets[i]) << names[i];
    }
    // Raw bytes of block 1 as stored are the records' bytes.
    std::vector<transfer_record> raw(record_count(1));
    h5::read_rows(d.get(), stored.get(), record_count(0), raw.size(), raw.data());
    const auto want = make_packet(1).records;
    ASSERT_EQ(raw.size(), want.size());
    EXPECT_EQ(std::memcmp(raw.data(), want.data(), raw.size() * sizeof(transfer_record)), 0);
  }
  run_reader r(path);
  expect_records_eq(r.transfers(2), make_packet(2).records);
}

// output.compression: the records dataset shuffled and deflated, read back identical, and smaller.
TEST_F(RunFile, CompressedTransfersReadBackIdenticalAndSmaller) {
  const std::string plain = write_run("plain.h5", 4, "full", 0, 20'000);
  const std::string packed = write_run("deflated.h5", 4, "full", 6, 20'000);
  const auto storage = [](const std::string& path) {
    h5::file f = h5::open_file(path, H5F_ACC_RDONLY, false);
    h5::dataset d = h5::open_dataset(f.get(), "/ledger/transfers");
    const hid_t dcpl = H5Dget_create_plist(d.get());
    const int filters = H5Pget_nfilters(dcpl);
    H5Pclose(dcpl);
    return std::pair{H5Dget_storage_size(d.get()), filters};
  };
  const auto [plain_bytes, plain_filters] = storage(plain);
  const auto [packed_bytes, packed_filters] = storage(packed);
  EXPECT_EQ(plain_filters, 0);
  EXPECT_EQ(packed_filters, 2);  // shuffle, deflate
  EXPECT_GE(plain_bytes, 4u * 20'000u * sizeof(transfer_record));
  EXPECT_LT(packed_bytes * 2, plain_bytes);
  run_reader a(plain), b(packed);
  ASSERT_EQ(b.headers().size(), 4u);
  for (step_t s = 0; s < 4; ++s) expect_records_eq(b.transfers(s), a.transfers(s));
  run_meta bad = make_meta();
  bad.compression = 10;
  EXPECT_THROW(run_writer(file("bad.h5"), bad, make_layout()), std::invalid_argument);
}

// A file whose records are not this engine's 26-byte record (an older engine's 48-byte one with id and
// lineage fields, here) is refused with a data_error naming the dataset, not read into another framing.
TEST_F(RunFile, RefusesAnotherRecordLayout) {
  const std::string path = write_run("old.h5", 2);
  {
    h5::file f = h5::open_file(path, H5F_ACC_RDWR, false);
    ASSERT_GE(H5Ldelete(f.get(), "/ledger/transfers", H5P_DEFAULT), 0);
    struct old_record {
      std::uint64_t id;
      std::uint32_t debit, credit;
      std::int64_t amount;
      std::uint64_t lineage;
      std::uint32_t origin;
      std::uint16_t token, reason;
      std::uint8_t status, flags;
    };
    h5::compound_builder b(sizeof(old_record));
    b.add("id", offsetof(old_record, id), H5T_NATIVE_UINT64)
        .add("debit", offsetof(old_record, debit), H5T_NATIVE_UINT32)
        .add("credit", offsetof(old_record, credit), H5T_NATIVE_UINT32)
        .add("amount", offsetof(old_record, amount), H5T_NATIVE_INT64)
        .add("lineage", offsetof(old_record, lineage), H5T_NATIVE_UINT64)
        .add("origin", offsetof(old_record, origin), H5T_NATIVE_UINT32)
        .add("token", offsetof(old_record, token), H5T_NATIVE_UINT16)
        .add("reason", offsetof(old_record, reason), H5T_NATIVE_UINT16)
        .add("status", offsetof(old_record, status), H5T_NATIVE_UINT8)
        .add("flags", offsetof(old_record, flags), H5T_NATIVE_UINT8);
    std::vector<old_record> rows(record_count(0) + record_count(1));
    const hsize_t dims[1] = {rows.size()};
    h5::create_fixed(f.get(), "/ledger/transfers", b.packed().get(), dims, b.memory_type().get(),
                     rows.data());
  }
  expect_data_error(path, "/ledger/transfers");
}

TEST_F(RunFile, HeadersOnlyLogHasNoTransfers) {
  const std::string path = write_run("headers.h5", 3, "headers");
  run_reader r(path);
  EXPECT_FALSE(r.has_transfers());
  EXPECT_THROW(r.transfers(0), std::logic_error);
  ASSERT_EQ(r.headers().size(), 3u);
  for (step_t s = 0; s < 3; ++s) expect_header_eq(r.headers()[s], make_packet(s).header);
}

TEST_F(RunFile, EmptyLayoutRoundTrips) {
  // No tokens, agents or metric columns (HDF5 has no empty compound, so there is no /series).
  const std::string path = file("empty_layout.h5");
  {
    run_writer w(path, make_meta(), run_layout{});
    for (step_t s = 0; s < 3; ++s) {
      step_packet p;
      p.header.step = s;
      p.header.hash = pattern(s, 4);
      p.snapshot = agent_snapshot{s, {}};
      w.push(std::move(p));
    }
    w.finish("", 2);
  }
  run_reader r(path);
  EXPECT_EQ(r.headers().size(), 3u);
  EXPECT_TRUE(r.layout().metric_columns.empty());
  EXPECT_TRUE(r.layout().tokens.empty());
  EXPECT_TRUE(r.layout().agent_kinds.empty());
  EXPECT_TRUE(r.transfers(2).empty());
  EXPECT_EQ(r.snapshot_steps(), (std::vector<step_t>{0, 1, 2}));
  EXPECT_TRUE(r.snapshot_balances(1).empty());
}

TEST_F(RunFile, ReaderFollowsALiveWriter) {
  const std::string path = file("live.h5");
  run_writer w(path, make_meta(), make_layout());
  for (step_t s = 0; s < 3; ++s) w.push(make_packet(s));
  std::size_t seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (seen < 3 && std::chrono::steady_clock::now() < deadline) {
    run_reader r(w.partial_path());
    EXPECT_FALSE(r.meta().complete);
    seen = r.headers().size();
    for (step_t s = 0; s < seen; ++s) expect_records_eq(r.transfers(s), make_packet(s).records);
    if (seen < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(seen, 3u);
  w.push(make_packet(3));
  w.finish("", 3);
  EXPECT_EQ(run_reader(path).headers().size(), 4u);
}

TEST_F(RunFile, PushChecksThePacketShape) {
  run_writer w(file("shape.h5"), make_meta(), make_layout());
  EXPECT_THROW(w.push(make_packet(1)), std::invalid_argument);  // step 0 comes first
  step_packet p = make_packet(0);
  p.metrics.pop_back();
  EXPECT_THROW(w.push(p), std::invalid_argument);
  p = make_packet(0);
  p.records.pop_back();
  EXPECT_THROW(w.push(p), std::invalid_argument);
  w.push(make_packet(0));
  w.finish("", 0);
  EXPECT_THROW(w.push(make_packet(1)), std::logic_error);
}

// ---- Per-agent scores and networks ---------------------------------------------------------------------

run_layout make_scored_layout() {
  run_layout l = make_layout();
  l.score_columns = {"utility", "reputation", "trust"};
  l.social_edges = {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 0xFFFFFFFFu}};
  l.supply_edges = {{4, 3}, {3, 2}};
  return l;
}

std::vector<double> make_scores(step_t step) {
  std::vector<double> v;
  for (std::size_t i = 0; i < 5 * 3; ++i)
    v.push_back(0.125 * static_cast<double>(i) - static_cast<double>(step));
  return v;
}

step_packet make_scored_packet(step_t step, bool snapshot) {
  step_packet p = make_packet(step, 0, snapshot);
  if (snapshot) p.snapshot->scores = make_scores(step);
  return p;
}

TEST_F(RunFile, ScoresAndNetworksRoundTrip) {
  const std::string path = file("scores.h5");
  const run_layout layout = make_scored_layout();
  {
    run_writer w(path, make_meta(), layout, 2);
    for (step_t s = 0; s < 4; ++s) w.push(make_scored_packet(s, s == 1 || s == 3));
    w.finish("", 3);
  }
  run_reader r(path);
  EXPECT_EQ(r.score_columns(), layout.score_columns);
  EXPECT_EQ(r.layout().score_columns, layout.score_columns);
  EXPECT_EQ(r.layout().social_edges, layout.social_edges);
  EXPECT_EQ(r.layout().supply_edges, layout.supply_edges);
  EXPECT_EQ(r.snapshot_steps(), (std::vector<step_t>{1, 3}));
  EXPECT_EQ(r.snapshot_scores(0), make_scores(1));
  EXPECT_EQ(r.snapshot_scores(1), make_scores(3));
  EXPECT_EQ(r.snapshot_balances(1), make_packet(3, 0, true).snapshot->balances);
  EXPECT_THROW(r.snapshot_scores(2), std::out_of_range);
  EXPECT_EQ(r.layout().metric_columns, layout.metric_columns);  // the rest is untouched
  EXPECT_EQ(r.headers().size(), 4u);
}

TEST_F(RunFile, OnlyOneNetworkAndNoScoresRoundTrip) {
  const std::string path = file("supply_only.h5");
  run_layout layout = make_layout();
  layout.supply_edges = {{1, 2}};
  {
    run_writer w(path, make_meta(), layout);
    w.push(make_packet(0, 0, true));
    w.finish("", 0);
  }
  {
    h5::file f = h5::open_file(path, H5F_ACC_RDONLY, false);
    EXPECT_TRUE(h5::exists(f.get(), "/network/supply"));
    EXPECT_FALSE(h5::exists(f.get(), "/network/social"));
    EXPECT_FALSE(h5::exists(f.get(), "/agents/scores"));
    EXPECT_FALSE(h5::exists(f.get(), "/agents/score_columns"));
  }
  run_reader r(path);
  EXPECT_TRUE(r.layout().social_edges.empty());
  EXPECT_EQ(r.layout().supply_edges, layout.supply_edges);
  EXPECT_TRUE(r.score_columns().empty());
  EXPECT_TRUE(r.snapshot_scores(0).empty());
}

TEST_F(RunFile, FilesWithoutScoresOrNetworksStillRead) {
  // Written without them: no /agents/scores, no /network.
  const std::string plain = write_run("plain.h5", 3);
  {
    h5::file f = h5::open_file(plain, H5F_ACC_RDONLY, false);
    EXPECT_FALSE(h5::exists(f.get(), "/agents/scores"));
    EXPECT_FALSE(h5::exists(f.get(), "/agents/score_columns"));
    EXPECT_FALSE(h5::exists(f.get(), "/network"));
  }
  {
    run_reader r(plain);
    EXPECT_TRUE(r.score_columns().empty());
    EXPECT_TRUE(r.layout().social_edges.empty());
    EXPECT_TRUE(r.layout().supply_edges.empty());
    EXPECT_EQ(r.snapshot_steps(), (std::vector<step_t>{0, 2}));
    EXPECT_TRUE(r.snapshot_scores(1).empty());
    EXPECT_THROW(r.snapshot_scores(2), std::out_of_range);
  }

  // A file from before these objects existed: written with them, then stripped of them.
  const std::string path = file("old.h5");
  {
    run_writer w(path, make_meta(), make_scored_layout());
    for (step_t s = 0; s < 2; ++s) w.push(make_scored_packet(s, true));
    w.finish("", 1);
  }
  {
    h5::file f = h5::open_file(path, H5F_ACC_RDWR, true);
    for (const char* object : {"/agents/scores", "/agents/score_columns", "/network"}) {
      EXPECT_GE(H5Ldelete(f.get(), object, H5P_DEFAULT), 0) << object;
    }
  }
  run_reader r(path);
  EXPECT_TRUE(r.score_columns().empty());
  EXPECT_TRUE(r.layout().social_edges.empty());
  EXPECT_TRUE(r.layout().supply_edges.empty());
  EXPECT_EQ(r.snapshot_steps(), (std::vector<step_t>{0, 1}));
  EXPECT_EQ(r.snapshot_balances(1), make_packet(1, 0, true).snapshot->balances);
  EXPECT_TRUE(r.snapshot_scores(1).empty());
}

TEST_F(RunFile, PushChecksTheSnapshotShape) {
  {
    run_writer w(file("scores_shape.h5"), make_meta(), make_scored_layout());
    step_packet p = make_scored_packet(0, true);
    p.snapshot->scores.pop_back();
    EXPECT_THROW(w.push(p), std::invalid_argument);
    p = make_scored_packet(0, true);
    p.snapshot->scores.clear();
    EXPECT_THROW(w.push(p), std::invalid_argument);
    p = make_scored_packet(0, true);
    p.snapshot->balances.pop_back();
    EXPECT_THROW(w.push(p), std::invalid_argument);
    w.push(make_scored_packet(0, true));
    w.push(make_scored_packet(1, false));  // no snapshot: nothing to check
    w.finish("", 1);
  }
  // Without score columns a snapshot carries no scores.
  run_writer w(file("no_scores_shape.h5"), make_meta(), make_layout());
  step_packet p = make_packet(0, 0, true);
  p.snapshot->scores = {1.0};
  EXPECT_THROW(w.push(p), std::invalid_argument);
  w.push(make_packet(0, 0, true));
  w.finish("", 0);
}

TEST_F(RunFile, BadScoreColumnNamesAreInputErrors) {
  auto expect_input_error = [&](std::vector<std::string> columns, const std::string& what) {
    run_layout l = make_layout();
    l.score_columns = std::move(columns);
    const std::string path = file("bad_scores.h5");
    try {
      run_writer w(path, make_meta(), l);
      ADD_FAILURE() << "no input_error for " << what;
    } catch (const input_error& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(path + ".partial"));
  };
  expect_input_error({"a", ""}, "empty score column");
  expect_input_error({"a", "b", "a"}, "duplicate score column 'a'");
  expect_input_error({"a,b"}, "score column name 'a,b'");
  expect_input_error({std::string("a\0b", 3)}, "NUL");
}

// What h5py users see: f["agents/score_columns"].asstr()[:], f["agents/scores"].attrs["columns"],
// f["network/social"][:] as an (edges, 2) uint32 array.
TEST_F(RunFile, ScoresAndNetworksAreH5pyFriendly) {
  const std::string path = file("h5py.h5");
  const run_layout layout = make_scored_layout();
  {
    run_writer w(path, make_meta(), layout);
    for (step_t s = 0; s < 3; ++s) w.push(make_scored_packet(s, s != 1));
    w.finish("", 2);
  }
  h5::file f = h5::open_file(path, H5F_ACC_RDONLY, false);
  {
    h5::dataset d = h5::open_dataset(f.get(), "/agents/score_columns");
    EXPECT_EQ(h5::extent(d.get()), (std::vector<hsize_t>{3}));
    h5::datatype t(H5Dget_type(d.get()));
    ASSERT_EQ(H5Tget_class(t.get()), H5T_STRING);
    EXPECT_EQ(H5Tis_variable_str(t.get()), 0);  // fixed-size: a plain numpy "S" array
    EXPECT_EQ(H5Tget_cset(t.get()), H5T_CSET_UTF8);
    EXPECT_EQ(H5Tget_strpad(t.get()), H5T_STR_NULLPAD);
    const std::size_t size = H5Tget_size(t.get());
    EXPECT_EQ(size, std::string("reputation").size());  // the longest name
    std::string buffer(3 * size, 'x');
    ASSERT_GE(H5Dread(d.get(), t.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), 0);
    for (std::size_t i = 0; i < 3; ++i) {
      const std::string stored = buffer.substr(i * size, size);
      EXPECT_EQ(stored.substr(0, stored.find('\0')), layout.score_columns[i]) << i;
    }
    EXPECT_EQ(h5::read_strings(d.get()), layout.score_columns);
  }
  {
    h5::dataset d = h5::open_dataset(f.get(), "/agents/scores");
    EXPECT_EQ(h5::extent(d.get()), (std::vector<hsize_t>{2, 5, 3}));
    EXPECT_EQ(h5::read_string_attribute(d.get(), "columns"), "utility,reputation,trust");
    h5::datatype t(H5Dget_type(d.get()));
    EXPECT_GT(H5Tequal(t.get(), H5T_NATIVE_DOUBLE), 0);
    h5::plist dcpl(H5Dget_create_plist(d.get()));
    ASSERT_EQ(H5Pget_layout(dcpl.get()), H5D_CHUNKED);
    hsize_t chunk[3] = {};
    ASSERT_EQ(H5Pget_chunk(dcpl.get(), 3, chunk), 3);
    EXPECT_EQ(chunk[0], 1u);  // one snapshot per chunk, like /agents/balances
    EXPECT_EQ(chunk[1], 5u);
    EXPECT_EQ(chunk[2], 3u);
    h5::dataspace space(H5Dget_space(d.get()));
    hsize_t maxdims[3] = {};
    ASSERT_EQ(H5Sget_simple_extent_dims(space.get(), nullptr, maxdims), 3);
    EXPECT_EQ(maxdims[0], H5S_UNLIMITED);
    std::vector<double> all(2 * 5 * 3);
    h5::read_all(d.get(), H5T_NATIVE_DOUBLE, all.data());
    std::vector<double> want = make_scores(0);
    const std::vector<double> second = make_scores(2);
    want.insert(want.end(), second.begin(), second.end());
    EXPECT_EQ(all, want);
  }
  auto expect_edges = [&](const char* name,
                          const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
    SCOPED_TRACE(name);
    h5::dataset d = h5::open_dataset(f.get(), name);
    EXPECT_EQ(h5::extent(d.get()), (std::vector<hsize_t>{edges.size(), 2}));
    h5::datatype t(H5Dget_type(d.get()));
    EXPECT_GT(H5Tequal(t.get(), H5T_STD_U32LE), 0);
    h5::plist dcpl(H5Dget_create_plist(d.get()));
    EXPECT_EQ(H5Pget_nfilters(dcpl.get()), 1);
    EXPECT_GE(
        H5Pget_filter_by_id2(dcpl.get(), H5Z_FILTER_DEFLATE, nullptr, nullptr, nullptr, 0, nullptr, nullptr),
        0);
    std::vector<std::uint32_t> flat(edges.size() * 2);
    h5::read_all(d.get(), H5T_NATIVE_UINT32, flat.data());
    for (std::size_t i = 0; i < edges.size(); ++i) {
      EXPECT_EQ(flat[2 * i], edges[i].first) << i;
      EXPECT_EQ(flat[2 * i + 1], edges[i].second) << i;
    }
  };
  expect_edges("/network/social", layout.social_edges);
  expect_edges("/network/supply", layout.supply_edges);
}

TEST_F(RunFile, InconsistentScoresAreDataErrors) {
  auto write = [&](const std::string& name) {
    const std::string path = file(name);
    run_writer w(path, make_meta(), make_scored_layout());
    for (step_t s = 0; s < 3; ++s) w.push(make_scored_packet(s, true));
    w.finish("", 2);
    return path;
  };
  {  // Names without their dataset.
    const std::string path = write("no_names.h5");
    {
      h5::file f = h5::open_file(path, H5F_ACC_RDWR, true);
      ASSERT_GE(H5Ldelete(f.get(), "/agents/score_columns", H5P_DEFAULT), 0);
    }
    expect_data_error(path, "/agents/score_columns");
  }
  {  // One name too few.
    const std::string path = write("short_names.h5");
    {
      h5::file f = h5::open_file(path, H5F_ACC_RDWR, true);
      ASSERT_GE(H5Ldelete(f.get(), "/agents/score_columns", H5P_DEFAULT), 0);
      h5::group g = h5::open_group(f.get(), "/agents");
      h5::create_strings(g.get(), "score_columns", {"utility", "reputation"});
    }
    expect_data_error(path, "/agents/scores");
  }
  {  // An edge list that is not (edges x 2).
    const std::string path = write("bad_edges.h5");
    {
      h5::file f = h5::open_file(path, H5F_ACC_RDWR, true);
      ASSERT_GE(H5Ldelete(f.get(), "/network/social", H5P_DEFAULT), 0);
      const std::uint32_t flat[6] = {0, 1, 2, 3, 4, 5};
      const hsize_t dims[2] = {2, 3};
      h5::create_fixed(f.get(), "/network/social", H5T_NATIVE_UINT32, dims, H5T_NATIVE_UINT32, flat);
    }
    expect_data_error(path, "/network/social");
  }
  {  // Fewer score rows than snapshots (a snapshot whose scores were never written): it is not listed.
    const std::string path = write("short_scores.h5");
    {
      h5::file f = h5::open_file(path, H5F_ACC_RDWR, true);
      h5::dataset d = h5::open_dataset(f.get(), "/agents/scores");
      const hsize_t dims[3] = {2, 5, 3};
      ASSERT_GE(H5Dset_extent(d.get(), dims), 0);
    }
    run_reader r(path);
    EXPECT_EQ(r.snapshot_steps(), (std::vector<step_t>{0, 1}));
    EXPECT_EQ(r.snapshot_scores(1), make_scores(1));
    EXPECT_THROW(r.snapshot_scores(2), std::out_of_range);
  }
}

// ---- The .partial protocol -----------------------------------------------------------------------------

TEST_F(RunFile, ExistingOutputIsReplacedOnlyByFinish) {
  const std::string path = file("out.h5");
  spit(path, "previous run");
  run_writer w(path, make_meta(), make_layout());
  for (step_t s = 0; s < 3; ++s) w.push(make_packet(s));
  EXPECT_TRUE(fs::exists(w.partial_path()));
  EXPECT_EQ(slurp(path), "previous run");
  w.finish("", 2);
  EXPECT_FALSE(fs::exists(w.partial_path()));
  run_reader r(path);
  EXPECT_TRUE(r.meta().complete);
  EXPECT_EQ(r.headers().size(), 3u);
}

TEST_F(RunFile, DestructorWithoutFinishLeavesReadablePartial) {
  const std::string path = file("abandoned.h5");
  {
    run_writer w(path, make_meta(), make_layout());
    for (step_t s = 0; s < 4; ++s) w.push(make_packet(s, 0, s == 2));
  }
  EXPECT_FALSE(fs::exists(path));
  ASSERT_TRUE(fs::exists(path + ".partial"));
  run_reader r(path + ".partial");
  EXPECT_FALSE(r.meta().complete);
  EXPECT_EQ(r.meta().steps_completed, 0u);
  EXPECT_EQ(r.meta().head_hash, "");
  EXPECT_EQ(r.meta().seed, make_meta().seed);
  ASSERT_EQ(r.headers().size(), 4u);
  for (step_t s = 0; s < 4; ++s) {
    expect_header_eq(r.headers()[s], make_packet(s).header);
    expect_records_eq(r.transfers(s), make_packet(s).records);
  }
  EXPECT_EQ(r.snapshot_steps(), std::vector<step_t>{2});
}

TEST_F(RunFile, UnwritablePathIsInputErrorAndLeavesNoFile) {
  auto expect_input_error = [&](const std::string& path) {
    try {
      run_writer w(path, make_meta(), make_layout());
      ADD_FAILURE() << "no input_error for " << path;
    } catch (const input_error& e) {
      EXPECT_NE(std::string(e.what()).find(path + ": cannot create output file"), std::string::npos)
          << e.what();
    }
    if (!path.ends_with('/')) {
      EXPECT_FALSE(fs::exists(path));
    }
    EXPECT_FALSE(fs::exists(path + ".partial"));
  };
  expect_input_error(file("no/such/dir/run.h5"));
  spit(file("plain"), "x");
  expect_input_error(file("plain/run.h5"));  // a path through a regular file
  expect_input_error(file(""));              // the directory itself
  if (geteuid() != 0) {                      // root writes anywhere
    // The path is fine but the system refuses the write: a write failure, not bad input.
    fs::create_directory(file("ro"));
    fs::permissions(file("ro"), fs::perms::owner_read | fs::perms::owner_exec);
    EXPECT_THROW(run_writer(file("ro/run.h5"), make_meta(), make_layout()), write_error);
    EXPECT_FALSE(fs::exists(file("ro/run.h5.partial")));
  }
}

// Errors met by the writer thread come back from push()/finish() as write_error. The child process gets
// a small file size limit, so HDF5's writes fail part-way through the run.
TEST_F(RunFile, WriterThreadErrorsSurfaceAsWriteError) {
  const std::string path = file("full.h5");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{512 * 1024, 512 * 1024};
    setrlimit(RLIMIT_FSIZE, &limit);
    int code = 1;
    try {
      run_writer w(path, make_meta(), make_layout());
      for (step_t s = 0; s < 1000; ++s) w.push(make_packet(s, 2000));
      w.finish("", 999);
      code = 2;  // should not get here
    } catch (const write_error& e) {
      // "step 0: PATH.partial: /ledger/transfers: cannot write rows ...: ... File too large ..."
      const std::string what = e.what();
      code = what.starts_with("step ") && what.find(path + ".partial: /ledger/") != std::string::npos ? 0 : 3;
    } catch (...) {
      code = 4;
    }
    _exit(code);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_FALSE(fs::exists(path));
}

// ---- Corrupt inputs ----------------------------------------------------------------------------------

TEST_F(RunFile, GarbageFilesAreDataErrors) {
  const std::string good = write_run("good.h5", 6);

  std::mt19937_64 rng(42);
  std::string noise(64 * 1024, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  spit(file("random.h5"), noise);
  expect_data_error(file("random.h5"));

  spit(file("empty.h5"), "");
  expect_data_error(file("empty.h5"));

  expect_data_error(file("missing.h5"));

  const std::string bytes = slurp(good);
  spit(file("half.h5"), bytes.substr(0, bytes.size() / 2));
  expect_data_error(file("half.h5"));

  // The same with the header block cut off.
  spit(file("tail.h5"), bytes.substr(0, 100));
  expect_data_error(file("tail.h5"));
}

TEST_F(RunFile, MissingObjectsAreDataErrors) {
  {  // A file with only /meta.
    h5::file f = h5::create_file(file("meta_only.h5"), false);
    h5::group g = h5::create_group(f.get(), "meta");
  }
  expect_data_error(file("meta_only.h5"), "/meta");

  auto without = [&](const std::string& name, const char* object) {
    const std::string path = write_run(name, 3);
    h5::file f = h5::open_file(path, H5F_ACC_RDWR, true);
    EXPECT_GE(H5Ldelete(f.get(), object, H5P_DEFAULT), 0);
    return path;
  };
  expect_data_error(without("no_headers.h5", "/ledger/headers"), "/ledger/headers");
  expect_data_error(without("no_transfers.h5", "/ledger/transfers"), "/ledger/transfers");
  expect_data_error(without("no_tokens.h5", "/ledger/tokens"), "/ledger/tokens");
  expect_data_error(without("no_supplies.h5", "/ledger/supplies"), "/ledger/supplies");
  expect_data_error(without("no_kinds.h5", "/agents/kind"), "/agents/kind");

  // A lazily read dataset is reported when it is read.
  run_reader r(without("no_lineage.h5", "/ledger/lineage"));
  try {
    r.lineage();
    ADD_FAILURE() << "no data_error";
  } catch (const data_error& e) {
    EXPECT_NE(std::string(e.what()).find("/ledger/lineage"), std::string::npos) << e.what();
  }

  // A missing attribute.
  const std::string path = write_run("no_seed.h5", 2);
  {
    h5::file f = h5::open_file(path, H5F_ACC_RDWR, true);
    ASSERT_GE(H5Adelete_by_name(f.get(), "/meta", "seed", H5P_DEFAULT), 0);
  }
  expect_data_error(path, "seed");
}

TEST_F(RunFile, WrongDimensionsAreDataErrors) {
  const std::string path = write_run("dims.h5", 3);
  {
    h5::file f = h5::open_file(path, H5F_ACC_RDWR, true);
    ASSERT_GE(H5Ldelete(f.get(), "/ledger/supplies", H5P_DEFAULT), 0);
    const hsize_t dims[1] = {3}, chunk[1] = {3};
    h5::create_extendible(f.get(), "/ledger/supplies", H5T_NATIVE_INT64, dims, chunk);
  }
  expect_data_error(path, "/ledger/supplies");
}

TEST_F(RunFile, ShortTransfersAreReportedAsTruncated) {
  const std::string path = write_run("short.h5", 4);
  std::uint64_t before = 0;
  for (step_t s = 0; s < 3; ++s) before += record_count(s);
  {
    h5::file f = h5::open_file(path, H5F_ACC_RDWR, true);
    h5::dataset d = h5::open_dataset(f.get(), "/ledger/transfers");
    const hsize_t rows[1] = {before + 1};  // block 3 loses all but one row
    ASSERT_GE(H5Dset_extent(d.get(), rows), 0);
  }
  run_reader r(path);
  ASSERT_EQ(r.headers().size(), 4u);
  expect_records_eq(r.transfers(2), make_packet(2).records);
  try {
    r.transfers(3);
    ADD_FAILURE() << "no data_error";
  } catch (const data_error& e) {
    const std::string want = path + ": /ledger/transfers is truncated (block 3 needs rows " +
                             std::to_string(before) + ".." + std::to_string(before + record_count(3)) +
                             ", file has " + std::to_string(before + 1) + ")";
    EXPECT_EQ(std::string(e.what()), want);
  }
}

TEST_F(RunFile, TamperedBytesAreReadBackAsIs) {
  const std::string path = write_run("tampered.h5", 3);
  haddr_t addr = HADDR_UNDEF;
  {
    h5::file f = h5::open_file(path, H5F_ACC_RDONLY, false);
    h5::dataset d = h5::open_dataset(f.get(), "/ledger/transfers");
    const hsize_t origin[1] = {0};
    unsigned filter_mask = 0;
    hsize_t size = 0;
    ASSERT_GE(H5Dget_chunk_info_by_coord(d.get(), origin, &filter_mask, &addr, &size), 0);
    ASSERT_NE(addr, HADDR_UNDEF);
  }
  // Row 0 of the file, record 0 of block 0 (packed rows, the in-memory record: debit 4, credit 4, amount
  // 8, ...): flip a bit of its amount.
  {
    const auto at = static_cast<std::streamoff>(addr + offsetof(transfer_record, amount));
    std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
    io.seekg(at);
    char c = 0;
    io.read(&c, 1);
    c = static_cast<char>(c ^ 0x04);
    io.seekp(at);
    io.write(&c, 1);
  }
  run_reader r(path);
  std::vector<transfer_record> want = make_packet(0).records;
  ASSERT_FALSE(want.empty());
  want[0].amount ^= 0x04;
  expect_records_eq(r.transfers(0), want);
  expect_header_eq(r.headers()[0], make_packet(0).header);
}

// ---- A run killed part-way -----------------------------------------------------------------------------

TEST_F(RunFile, SigkillLeavesEveryFinishedStepReadable) {
  const std::string path = file("killed.h5");
  const std::string partial = path + ".partial";
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      run_writer w(path, make_meta(), make_layout(), 4);
      for (step_t s = 0;; ++s) {
        w.push(make_packet(s, 0, s % 5 == 0));
        usleep(1000);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "writer child: %s\n", e.what());
    }
    _exit(3);
  }

  std::size_t seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (seen < 3 && std::chrono::steady_clock::now() < deadline) {
    try {
      seen = run_reader(partial).headers().size();
    } catch (const data_error&) {
      // Not created yet, or still being laid out.
    }
    if (seen < 3) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::this_thread::sleep_for(std::chrono::microseconds(std::random_device()() % 5000));
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL) << strsignal(WTERMSIG(status));
  ASSERT_GE(seen, 3u);

  EXPECT_FALSE(fs::exists(path));
  run_reader r(partial);
  EXPECT_FALSE(r.meta().complete);
  const std::size_t n = r.headers().size();
  ASSERT_GE(n, seen);
  std::vector<double> gini = r.series("gini");
  ASSERT_EQ(gini.size(), n);
  std::vector<lineage_record> lineage_sent;
  for (step_t s = 0; s < n; ++s) {
    SCOPED_TRACE(s);
    const step_packet p = make_packet(s);
    expect_header_eq(r.headers()[s], p.header);
    expect_records_eq(r.transfers(s), p.records);
    EXPECT_EQ(gini[s], p.metrics[0]);
    lineage_sent.insert(lineage_sent.end(), p.lineage.begin(), p.lineage.end());
  }
  EXPECT_EQ(r.lineage().size(), lineage_sent.size());
  const std::vector<step_t> snaps = r.snapshot_steps();
  for (std::size_t i = 0; i < snaps.size(); ++i) {
    EXPECT_EQ(snaps[i], 5 * i);
    EXPECT_EQ(r.snapshot_balances(i), make_packet(snaps[i], 0, true).snapshot->balances);
  }
}

}  // namespace
}  // namespace civitas::io
