#include "driver/verify.hpp"

#include <tbb/task_arena.h>

#include <bit>
#include <cstring>
#include <map>
#include <span>

#include "core/error.hpp"
#include "core/version.hpp"
#include "driver/registry.hpp"
#include "driver/run.hpp"
#include "io/binding.hpp"
#include "io/output_file.hpp"
#include "io/run_file.hpp"
#include "ledger/ledger.hpp"
#include "ledger/signature.hpp"
#include "sim/world.hpp"

namespace civitas::driver {
namespace {
using ledger::block_header;
using ledger::digest;

// A failed check: the block, optionally the record, and why.
struct failure {
  step_t step = 0;
  std::optional<std::uint64_t> record;
  std::string why;
};

// Names the first field in which two headers of the same step differ ("" when equal).
std::string header_difference(const block_header& expected, const block_header& stored) {
  if (expected.step != stored.step) return "step number";
  if (expected.prev != stored.prev) return "previous header hash";
  if (expected.transfer_count != stored.transfer_count)
    return "transfer count (" + std::to_string(expected.transfer_count) + " recomputed, " +
           std::to_string(stored.transfer_count) + " stored)";
  if (expected.rejected_count != stored.rejected_count)
    return "rejected count (" + std::to_string(expected.rejected_count) + " recomputed, " +
           std::to_string(stored.rejected_count) + " stored)";
  if (expected.transfers_root != stored.transfers_root) return "transfers Merkle root";
  if (expected.balances_root != stored.balances_root) return "balances Merkle root";
  if (expected.lineage_digest != stored.lineage_digest) return "lineage digest";
  if (expected.supplies != stored.supplies) return "token supplies";
  if (expected.hash != stored.hash) return "header hash";
  return "";
}

// Names the first field in which two records differ ("" when equal).
std::string record_difference(const ledger::transfer_record& a, const ledger::transfer_record& b) {
  const auto field = [](const char* name, auto x, auto y) {
    return std::string(name) + " (" + std::to_string(x) + " re-run, " + std::to_string(y) + " stored)";
  };
  if (a.debit != b.debit) return field("debit", a.debit, b.debit);
  if (a.credit != b.credit) return field("credit", a.credit, b.credit);
  if (a.amount != b.amount) return field("amount", a.amount, b.amount);
  if (a.origin != b.origin) return field("origin", a.origin, b.origin);
  if (a.token != b.token) return field("token", a.token, b.token);
  if (a.reason != b.reason) return field("reason", a.reason, b.reason);
  if (a.status != b.status) return field("status", a.status, b.status);
  if (a.flags != b.flags) return field("flags", a.flags, b.flags);
  return "";
}

bool same_lots(std::span<const ledger::lineage_record> a, std::span<const ledger::lineage_record> b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
}

bool same_bits(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
}

// Which layout table differs between two layouts ("" when none does).
std::string layout_difference(const io::run_layout& a, const io::run_layout& b) {
  if (io::layout_digest(a) == io::layout_digest(b)) return "";
  std::vector<std::string> names;
  const auto tokens_equal = [&] {
    if (a.tokens.size() != b.tokens.size()) return false;
    for (std::size_t i = 0; i < a.tokens.size(); ++i)
      if (a.tokens[i].name != b.tokens[i].name || a.tokens[i].kind != b.tokens[i].kind) return false;
    return true;
  };
  const auto accounts_equal = [&] {
    if (a.accounts.size() != b.accounts.size()) return false;
    for (std::size_t i = 0; i < a.accounts.size(); ++i)
      if (a.accounts[i].owner != b.accounts[i].owner || a.accounts[i].token != b.accounts[i].token ||
          a.accounts[i].flags != b.accounts[i].flags)
        return false;
    return true;
  };
  const auto auth_equal = [&] {
    if (a.authorisations.size() != b.authorisations.size()) return false;
    for (std::size_t i = 0; i < a.authorisations.size(); ++i)
      if (a.authorisations[i].token != b.authorisations[i].token ||
          a.authorisations[i].reason != b.authorisations[i].reason ||
          a.authorisations[i].mint != b.authorisations[i].mint)
        return false;
    return true;
  };
  if (!tokens_equal() || a.issuer_accounts != b.issuer_accounts) names.push_back("/ledger/tokens");
  if (!accounts_equal()) names.push_back("/ledger/accounts");
  if (!auth_equal()) names.push_back("/ledger/authorisations");
  if (a.reasons != b.reasons) names.push_back("/ledger/reasons");
  if (a.statuses != b.statuses) names.push_back("/ledger/statuses");
  if (a.metric_columns != b.metric_columns) names.push_back("/series columns");
  if (a.agent_kinds != b.agent_kinds) names.push_back("/agents/kind");
  if (a.value_dimensions != b.value_dimensions || !same_bits(a.agent_values, b.agent_values))
    names.push_back("/agents/values");
  if (a.value_dimension_names != b.value_dimension_names) names.push_back("/agents/value_dimensions");
  if (a.score_columns != b.score_columns) names.push_back("/agents/score_columns");
  if (a.social_edges != b.social_edges) names.push_back("/network/social");
  if (a.supply_edges != b.supply_edges) names.push_back("/network/supply");
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "a layout table" : out;
}

ledger::ledger rebuild_ledger(const io::run_layout& layout) {
  ledger::ledger l;
  for (std::size_t a = 0; a < layout.accounts.size(); ++a) {
    const ledger::account_info& info = layout.accounts[a];
    if (info.flags & ledger::account_flag::issuer) {
      if (info.token != l.token_count() || info.token >= layout.tokens.size())
        throw data_error("account " + std::to_string(a) + " is an issuer account out of token order");
      l.add_token(layout.tokens[info.token], info.owner);
    } else {
      if (info.token >= l.token_count())
        throw data_error("account " + std::to_string(a) + " holds token " + std::to_string(info.token) +
                         " before that token's issuer account");
      l.open_account(info.owner, info.token, info.flags);
    }
  }
  for (std::size_t t = 0; t < layout.issuer_accounts.size(); ++t)
    if (t >= l.token_count() || l.issuer_account(static_cast<token_id>(t)) != layout.issuer_accounts[t])
      throw data_error("issuer account of token " + std::to_string(t) + " does not match the account table");
  for (const auto& a : layout.authorisations) {
    if (a.token >= l.token_count())
      throw data_error("authorisation for unknown token " + std::to_string(a.token));
    a.mint ? l.authorise_mint(a.token, a.reason) : l.authorise_burn(a.token, a.reason);
  }
  return l;
}

// What the verifier reads once from the file.
struct file_view {
  const io::run_reader& file;
  params::scenario scenario;
  std::vector<ledger::lineage_record> lots;  // in block order
  std::vector<std::size_t> lot_offsets;      // block s owns lots [lot_offsets[s], lot_offsets[s + 1])
  std::vector<double> series;                // blocks x columns
  std::map<step_t, std::size_t> snapshot_index;

  std::span<const ledger::lineage_record> lots_of(step_t s) const {
    return std::span(lots).subspan(lot_offsets[s], lot_offsets[s + 1] - lot_offsets[s]);
  }
  std::span<const double> row(step_t s) const {
    const std::size_t c = file.layout().metric_columns.size();
    return std::span(series).subspan(s * c, c);
  }
};

std::optional<failure> read_lots(file_view& v) {
  v.lots = v.file.lineage();
  const std::size_t blocks = v.file.headers().size();
  v.lot_offsets.assign(blocks + 1, 0);
  std::size_t i = 0;
  for (step_t s = 0; s < blocks; ++s) {
    while (i < v.lots.size() && v.lots[i].step == s) ++i;
    v.lot_offsets[s + 1] = i;
  }
  if (i != v.lots.size())
    return failure{v.lots[i].step < blocks ? v.lots[i].step : static_cast<step_t>(blocks), std::nullopt,
                   "/ledger/lineage is not in block order (lot " + std::to_string(v.lots[i].lot) + ")"};
  return std::nullopt;
}

// /meta must say what the stored scenario says, and the code tables must be the engine's.
std::optional<failure> check_meta(const file_view& v) {
  const io::run_meta& m = v.file.meta();
  const auto& run = v.scenario.get<sim::run_params>();
  const auto& out = v.scenario.get<sim::output_params>();
  const auto bad = [](const std::string& why) { return failure{0, std::nullopt, why}; };
  if (run.seed != m.seed) return bad("/meta seed " + std::to_string(m.seed) + " is not the scenario's seed");
  if (run.name != m.scenario_name)
    return bad("/meta scenario_name '" + m.scenario_name + "' is not run.name");
  if (run.steps != m.steps_planned) return bad("/meta steps_planned is not the scenario's run.steps");
  if (sim::to_string(run.activation) != m.activation) return bad("/meta activation is not the scenario's");
  if (sim::to_string(out.ledger) != m.ledger_log) return bad("/meta ledger_log is not the scenario's");
  if ((m.ledger_log == "full") != v.file.has_transfers())
    return bad("/meta ledger_log '" + m.ledger_log + "' disagrees with /ledger/transfers");
  if (v.file.layout().statuses != io::engine_statuses())
    return bad("/ledger/statuses is not the engine's status table");
  const auto& headers = v.file.headers();
  if (m.complete && !headers.empty() && m.steps_completed != headers.back().step)
    return bad("/meta steps_completed " + std::to_string(m.steps_completed) + " is not the last block " +
               std::to_string(headers.back().step));
  return std::nullopt;
}

std::optional<failure> check_binding(const file_view& v) {
  const io::run_meta& m = v.file.meta();
  const digest expected = ledger::scenario_binding(params::identity_toml(v.scenario), m.seed,
                                                   m.engine_version, io::layout_digest(v.file.layout()));
  if (v.file.headers().empty() || expected == v.file.headers()[0].prev) return std::nullopt;
  return failure{0, std::nullopt,
                 "the genesis binding differs: /meta scenario, seed or engine_version, or a layout table "
                 "(/ledger tokens, accounts, authorisations, reasons, statuses; /series columns; /agents; "
                 "/network) is not what the chain was made from"};
}

// The file seal, recomputed from what the file holds.
std::optional<failure> check_seals(const file_view& v) {
  const auto& headers = v.file.headers();
  const auto& seals = v.file.seals();
  digest seal = io::seal_start(v.file.meta());
  for (step_t s = 0; s < headers.size(); ++s) {
    std::optional<io::agent_snapshot> snap;
    if (const auto it = v.snapshot_index.find(s); it != v.snapshot_index.end())
      snap = io::agent_snapshot{s, v.file.snapshot_balances(it->second), v.file.snapshot_scores(it->second)};
    seal = io::seal_next(seal, headers[s].hash, v.row(s), snap ? &*snap : nullptr);
    if (seal != seals[s])
      return failure{
          s, std::nullopt,
          "the file seal differs: the block's /series row or snapshot (/agents), a /meta field, or "
          "the seal itself was changed"};
  }
  return std::nullopt;
}

std::optional<failure> replay_transfers(const file_view& v, verify_report& report) {
  ledger::ledger l = rebuild_ledger(v.file.layout());
  // A sharded run's roots are per shard, combined (docs/distributed.md): replaying every record in one
  // ledger that knows the shards recomputes them, whatever the ranks that made the file.
  if (const std::uint32_t shards = v.scenario.get<sim::shard_params>().shards; shards > 1) {
    const auto agents = static_cast<std::uint32_t>(v.file.layout().agent_kinds.size());
    if (shards > agents) return failure{0, {}, "/meta/scenario has more shards than the layout has agents"};
    l.set_shards(sim::world::shard_bounds(agents, shards));
  }
  for (const block_header& stored : v.file.headers()) {
    const step_t s = stored.step;
    if (s != report.blocks_checked)
      return failure{report.blocks_checked, {}, "block missing or out of order"};
    if (s == 0)
      l.begin_genesis(stored.prev);  // the binding itself is checked by check_binding
    else
      l.begin_step(s);
    try {
      const auto records = v.file.transfers(s);
      // Records carry no lineage: a value mint's backing is in its stored lot, whose id is the mint's
      // (step, position). The replayed lots must then equal the stored ones in every other field.
      const auto lots = v.lots_of(s);
      std::size_t next_lot = 0;
      for (std::size_t i = 0; i < records.size(); ++i) {
        std::uint64_t backing = 0;
        if (next_lot < lots.size() &&
            lots[next_lot].lot == ledger::make_transfer_id(s, static_cast<std::uint32_t>(i)))
          backing = lots[next_lot++].backing;
        try {
          l.replay(records[i], backing);
        } catch (const ledger::invariant_error& e) {
          return failure{s, i, e.what()};
        }
      }
      const block_header& mine = l.seal_step();
      const std::string diff = header_difference(mine, stored);
      if (!diff.empty()) return failure{s, {}, diff + " differs"};
      if (!same_lots(l.step_lineage(), v.lots_of(s)))
        return failure{s, {}, "/ledger/lineage differs from the lots the block's transfers minted"};
    } catch (const ledger::invariant_error& e) {
      return failure{s, {}, e.what()};
    }
    ++report.blocks_checked;
  }
  return std::nullopt;
}

// Re-runs the scenario and compares everything it produces with the file, block by block.
std::optional<failure> rerun_scenario(const file_view& v, verify_report& report) {
  const io::run_meta& meta = v.file.meta();
  if (meta.engine_version != engine_version)
    return failure{0,
                   {},
                   "made by engine " + meta.engine_version + ", which this engine (" +
                       std::string(engine_version) + ") cannot re-run"};
  report.reran = true;
  const auto& headers = v.file.headers();
  const auto world_owner = driver::make_world(v.scenario);
  sim::world& w = *world_owner;
  if (const std::string d = layout_difference(w.layout(), v.file.layout()); !d.empty())
    return failure{0, {}, d + " differs from the re-run"};

  std::optional<failure> bad;
  std::size_t next = 0;
  digest seal = io::seal_start(meta);
  auto check = [&](io::step_packet&& p) {
    if (bad || next >= headers.size()) return;
    const step_t s = p.header.step;
    const auto fail = [&](std::optional<std::uint64_t> record, const std::string& why) {
      bad = failure{s, record, why};
    };
    // Records first: a changed record is the cause, the roots and hashes that differ only its effect.
    if (v.file.has_transfers() && s < headers.size()) {
      const auto stored = v.file.transfers(s);
      const auto& mine = p.records;  // a full log's scenario hands every record to the sink
      for (std::size_t i = 0; i < std::min(mine.size(), stored.size()); ++i)
        if (const std::string d = record_difference(mine[i], stored[i]); !d.empty())
          return fail(i, "record " + std::to_string(i) + " differs from the re-run in " + d);
      if (stored.size() != mine.size()) return fail({}, "record count differs from the re-run");
    }
    if (const std::string d = header_difference(p.header, headers[next]); !d.empty())
      return fail({}, d + " differs from the re-run");
    if (!same_lots(p.lineage, v.lots_of(s))) return fail({}, "/ledger/lineage differs from the re-run");
    const auto row = v.row(s);
    for (std::size_t c = 0; c < row.size(); ++c)
      if (std::bit_cast<std::uint64_t>(row[c]) != std::bit_cast<std::uint64_t>(p.metrics[c]))
        return fail({}, "/series column '" + v.file.layout().metric_columns[c] +
                            "' differs from the re-run (" + std::to_string(p.metrics[c]) + " re-run, " +
                            std::to_string(row[c]) + " stored)");
    const auto it = v.snapshot_index.find(s);
    if (p.snapshot.has_value() != (it != v.snapshot_index.end()))
      return fail({}, "/agents/snapshot_steps differs from the re-run");
    if (p.snapshot) {
      if (v.file.snapshot_balances(it->second) != p.snapshot->balances)
        return fail({}, "/agents/balances differs from the re-run");
      if (!same_bits(v.file.snapshot_scores(it->second), p.snapshot->scores))
        return fail({}, "/agents/scores differs from the re-run");
    }
    seal = io::seal_next(seal, p.header.hash, p.metrics, p.snapshot ? &*p.snapshot : nullptr);
    if (seal != v.file.seals()[next]) return fail({}, "the file seal differs from the re-run");
    ++next;
  };
  w.genesis(check);
  while (!bad && next < headers.size() && w.current_step() < w.run().steps) w.step();
  if (bad) return bad;
  if (next < headers.size())
    return failure{static_cast<step_t>(next), {}, "the file has more blocks than the scenario"};
  report.blocks_checked = static_cast<step_t>(next);
  return std::nullopt;
}

std::optional<failure> check_signature(const file_view& v, const ledger::verifying_key& key) {
  const io::run_meta& m = v.file.meta();
  const auto& headers = v.file.headers();
  const step_t last = headers.empty() ? 0 : headers.back().step;
  if (m.signature.empty())
    return failure{last,
                   {},
                   m.complete
                       ? "the file carries no signature (made without --sign, or the signature was removed)"
                       : "the file carries no signature: the run did not finish (a signature is written "
                         "at the end), or it was cut short and marked incomplete"};
  ledger::signature_bytes sig{};
  if (!ledger::bytes_of_hex(m.signature, sig.data(), sig.size()))
    return failure{last, {}, "/meta signature is not 128 hex digits"};
  const auto pub = key.public_key();
  if (m.signing_key != ledger::hex_of(pub.data(), pub.size()))
    return failure{last, {}, "signed by another key (" + m.signing_key + ") than the one given"};
  if (!m.complete || headers.empty())
    return failure{last, {}, "the signed run is marked incomplete: blocks were cut off after signing"};
  const auto message = ledger::run_signature_message(headers.back().hash, v.file.seals().back(),
                                                     static_cast<std::uint32_t>(headers.size()), true);
  if (!key.verify(message, sig))
    return failure{
        last,
        {},
        "the signature does not match this file's head and seal: the file was changed, truncated or "
        "rolled back after signing"};
  return std::nullopt;
}

verify_report fail_at(verify_report r, const failure& f) {
  r.ok = false;
  r.first_bad_step = f.step;
  r.first_bad_record = f.record;
  r.message = "block " + std::to_string(f.step) + (f.record ? ", record " + std::to_string(*f.record) : "") +
              ": " + f.why;
  return r;
}
}  // namespace

verify_report verify_run(const std::string& path, const verify_options& options) {
  std::optional<ledger::verifying_key> key;
  if (!options.key_path.empty()) key = ledger::verifying_key::load(options.key_path);
  tbb::task_arena arena(static_cast<int>(resolve_threads(options.threads)));
  verify_report report;
  arena.execute([&] {
    const io::run_reader file(path);
    const io::run_meta& meta = file.meta();
    report.complete = meta.complete;
    report.blocks_planned = meta.steps_planned + 1;
    const auto& headers = file.headers();
    if (headers.empty()) {
      report = fail_at(report, {0, {}, "the file holds no sealed block"});
      return;
    }
    file_view v{file, driver::default_scenario(), {}, {}, {}, {}};
    try {
      v.scenario = driver::parse_scenario(meta.scenario, file.path() + ":/meta/scenario");
    } catch (const input_error& e) {
      report = fail_at(report, {0, {}, std::string("the stored scenario does not parse: ") + e.what()});
      return;
    }
    v.series = file.series_rows();
    const auto steps = file.snapshot_steps();
    for (std::size_t i = 0; i < steps.size(); ++i) v.snapshot_index.emplace(steps[i], i);
    std::optional<failure> bad = read_lots(v);
    if (!bad) bad = check_meta(v);
    if (!bad) bad = check_binding(v);
    if (!bad)
      bad =
          (options.replay || !file.has_transfers()) ? rerun_scenario(v, report) : replay_transfers(v, report);
    if (!bad) bad = check_seals(v);
    const std::string last = ledger::to_hex(headers.back().hash);
    if (!bad && meta.complete && meta.head_hash != last)
      bad = failure{
          headers.back().step, {}, "/meta head_hash " + meta.head_hash + " is not the last header's hash"};
    if (!bad && meta.complete && meta.file_seal != ledger::to_hex(file.seals().back()))
      bad = failure{headers.back().step, {}, "/meta file_seal is not the last block's seal"};
    if (!bad && meta.complete && headers.size() != report.blocks_planned)
      bad = failure{static_cast<step_t>(headers.size()),
                    {},
                    "the run is marked complete but holds " + std::to_string(headers.size()) + " of " +
                        std::to_string(report.blocks_planned) + " blocks"};
    // A finished run is renamed from .partial only after it is marked complete: an "incomplete" file under
    // its final name was edited (e.g. cut short and relabelled as an interrupted run) or renamed by hand.
    if (!bad && !meta.complete && !io::is_partial_path(path))
      bad = failure{headers.back().step,
                    {},
                    "/meta complete is 0 but the file is not a .partial: a finished run's file was edited or "
                    "a .partial renamed by hand"};
    if (!bad && key) {
      bad = check_signature(v, *key);
      report.signature_checked = !bad;
    } else if (!bad && (!meta.signature.empty() || !meta.signing_key.empty())) {
      // No key given: still check the signature against the key the file names (integrity, not who).
      ledger::public_key_bytes pub{};
      if (!ledger::bytes_of_hex(meta.signing_key, pub.data(), pub.size()))
        bad = failure{headers.back().step, {}, "/meta signing_key is not 64 hex digits"};
      else
        try {
          bad = check_signature(v, ledger::verifying_key::from_raw(pub));
        } catch (const input_error&) {
          bad = failure{headers.back().step, {}, "/meta signing_key is not an Ed25519 public key"};
        }
    }
    if (bad) {
      report = fail_at(report, *bad);
      return;
    }
    report.ok = true;
    report.message =
        std::to_string(report.blocks_checked) + " blocks verified" +
        (report.reran ? " by re-running the scenario" : " by replaying every transfer") +
        (report.signature_checked ? ", signature valid for the given key"
         : meta.signature.empty() ? ""
                                  : ", signature valid for the key it names (--key checks who)") +
        (meta.complete ? ""
                       : " (interrupted run: " + std::to_string(report.blocks_checked) + " of " +
                             std::to_string(report.blocks_planned) + " blocks present)") +
        "; head " + last;
  });
  return report;
}

}  // namespace civitas::driver
