#include "driver/verify.hpp"

#include <tbb/task_arena.h>

#include "core/error.hpp"
#include "core/version.hpp"
#include "driver/registry.hpp"
#include "driver/run.hpp"
#include "io/run_file.hpp"
#include "ledger/ledger.hpp"
#include "sim/world.hpp"

namespace civitas::driver {
namespace {
using ledger::block_header;

// Names the first field in which two headers of the same step differ ("" when equal).
std::string header_difference(const block_header& expected, const block_header& stored) {
  if (expected.step != stored.step) return "step number";
  if (expected.prev != stored.prev) return "previous header hash";
  if (expected.transfer_count != stored.transfer_count)
    return "transfer count (" + std::to_string(expected.transfer_count) + " recomputed, " +
           std::to_string(stored.transfer_count) + " stored)";
  if (expected.transfers_root != stored.transfers_root) return "transfers Merkle root";
  if (expected.balances_root != stored.balances_root) return "balances Merkle root";
  if (expected.supplies != stored.supplies) return "token supplies";
  if (expected.hash != stored.hash) return "header hash";
  return "";
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

verify_report fail_at(verify_report r, step_t step, const std::string& why) {
  r.ok = false;
  r.first_bad_step = step;
  r.message = "block " + std::to_string(step) + ": " + why;
  return r;
}

verify_report replay_transfers(const io::run_reader& file, verify_report report) {
  ledger::ledger l = rebuild_ledger(file.layout());
  const auto& headers = file.headers();
  const io::run_meta& meta = file.meta();
  for (const block_header& stored : headers) {
    const step_t s = stored.step;
    if (s != report.blocks_checked)
      return fail_at(report, report.blocks_checked, "block missing or out of order");
    if (s == 0)
      l.begin_genesis(ledger::scenario_binding(meta.scenario, meta.seed, meta.engine_version));
    else
      l.begin_step(s);
    try {
      for (const auto& record : file.transfers(s)) l.replay(record);
      const block_header& mine = l.seal_step();
      const std::string diff = header_difference(mine, stored);
      if (!diff.empty()) return fail_at(report, s, diff + " differs");
    } catch (const ledger::invariant_error& e) {
      return fail_at(report, s, e.what());
    }
    ++report.blocks_checked;
  }
  return report;
}

verify_report rerun_scenario(const io::run_reader& file, verify_report report) {
  const io::run_meta& meta = file.meta();
  params::scenario scenario = driver::default_scenario();
  try {
    scenario = driver::parse_scenario(meta.scenario, file.path() + ":/meta/scenario");
  } catch (const input_error& e) {
    return fail_at(report, 0, std::string("the stored scenario does not parse: ") + e.what());
  }
  if (scenario.get<sim::run_params>().seed != meta.seed)
    return fail_at(report, 0, "/meta seed differs from the scenario's seed");
  if (meta.engine_version != engine_version)
    return fail_at(report, 0,
                   "made by engine " + meta.engine_version + ", which this engine (" +
                       std::string(engine_version) + ") cannot re-run to check a headers-only file");
  report.reran = true;
  const auto& headers = file.headers();
  const auto world_owner = driver::make_world(scenario);
  sim::world& w = *world_owner;
  std::optional<verify_report> failure;
  std::size_t next = 0;
  auto check = [&](io::step_packet&& p) {
    if (failure || next >= headers.size()) return;
    const std::string diff = header_difference(p.header, headers[next]);
    if (!diff.empty()) failure = fail_at(report, p.header.step, diff + " differs from the re-run");
    ++next;
  };
  w.genesis(check);
  while (!failure && next < headers.size() && w.current_step() < w.run().steps) w.step();
  if (failure) return *failure;
  if (next < headers.size())
    return fail_at(report, static_cast<step_t>(next), "the file has more blocks than the scenario");
  report.blocks_checked = static_cast<step_t>(next);
  return report;
}
}  // namespace

verify_report verify_run(const std::string& path, unsigned threads) {
  tbb::task_arena arena(static_cast<int>(resolve_threads(threads)));
  verify_report report;
  arena.execute([&] {
    const io::run_reader file(path);
    const io::run_meta& meta = file.meta();
    report.complete = meta.complete;
    report.blocks_planned = meta.steps_planned + 1;
    report = file.has_transfers() ? replay_transfers(file, report) : rerun_scenario(file, report);
    if (report.first_bad_step) return;
    const auto& headers = file.headers();
    if (headers.empty()) {
      report = fail_at(report, 0, "the file holds no sealed block");
      return;
    }
    const std::string last = ledger::to_hex(headers.back().hash);
    if (meta.complete && meta.head_hash != last) {
      report = fail_at(report, headers.back().step,
                       "/meta head_hash " + meta.head_hash + " is not the last header's hash " + last);
      return;
    }
    if (meta.complete && headers.size() != report.blocks_planned) {
      report = fail_at(report, static_cast<step_t>(headers.size()),
                       "the run is marked complete but holds " + std::to_string(headers.size()) + " of " +
                           std::to_string(report.blocks_planned) + " blocks");
      return;
    }
    report.ok = true;
    report.message = std::to_string(report.blocks_checked) + " blocks verified" +
                     (report.reran ? " by re-running the scenario" : " by replaying every transfer") +
                     (meta.complete ? ""
                                    : " (interrupted run: " + std::to_string(report.blocks_checked) + " of " +
                                          std::to_string(report.blocks_planned) + " blocks present)") +
                     "; head " + last;
  });
  return report;
}

}  // namespace civitas::driver
