#include "cli/lineage.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "io/run_file.hpp"
#include "ledger/record.hpp"

namespace civitas::cli {
namespace {

struct options {
  std::string file;
  std::optional<std::uint64_t> agent;
  std::optional<std::uint64_t> lot;
  bool json = false;
};
options& opts() {
  static options o;
  return o;
}

// A lot with what backed it, when the file holds the transfers.
struct traced_lot {
  ledger::lineage_record lot;
  std::optional<ledger::transfer_record> backing;
};

std::vector<traced_lot> trace(const io::run_reader& file, const std::vector<ledger::lineage_record>& lots) {
  std::map<step_t, std::vector<ledger::transfer_record>> blocks;  // read each needed block once
  std::vector<traced_lot> out;
  for (const auto& l : lots) {
    traced_lot t{l, std::nullopt};
    if (file.has_transfers() && l.backing != 0) {
      const step_t step = ledger::transfer_step(l.backing);
      auto it = blocks.find(step);
      if (it == blocks.end()) it = blocks.emplace(step, file.transfers(step)).first;
      const auto seq = static_cast<std::uint32_t>(l.backing);
      if (seq < it->second.size()) t.backing = it->second[seq];
    }
    out.push_back(t);
  }
  return out;
}

std::string token_name(const io::run_layout& layout, token_id t) {
  return t < layout.tokens.size() ? layout.tokens[t].name : "token " + std::to_string(t);
}

agent_id owner_of(const io::run_layout& layout, account_id a) {
  return a < layout.accounts.size() ? layout.accounts[a].owner : system_agent;
}

std::string agent_text(agent_id a) { return a == system_agent ? "system" : std::to_string(a); }

void print_lot(const io::run_layout& layout, const traced_lot& t, bool json, bool last) {
  const auto& l = t.lot;
  if (json) {
    std::printf(
        "    {\"lot\": %llu, \"step\": %u, \"token\": \"%s\", \"amount\": %lld, \"holder\": %s, \"backing\": "
        "%llu",
        static_cast<unsigned long long>(l.lot), l.step, token_name(layout, l.token).c_str(),
        static_cast<long long>(l.amount), agent_text(owner_of(layout, l.holder)).c_str(),
        static_cast<unsigned long long>(l.backing));
    if (t.backing)
      std::printf(", \"sponsor\": %s, \"backing_amount\": %lld, \"backing_reason\": \"%s\"",
                  agent_text(owner_of(layout, t.backing->debit)).c_str(),
                  static_cast<long long>(t.backing->amount), driver::reason_name(t.backing->reason).c_str());
    std::printf("}%s\n", last ? "" : ",");
    return;
  }
  std::printf("  lot %llu  step %u  %lld %s to agent %s", static_cast<unsigned long long>(l.lot), l.step,
              static_cast<long long>(l.amount), token_name(layout, l.token).c_str(),
              agent_text(owner_of(layout, l.holder)).c_str());
  if (l.backing == 0)
    std::printf("  (no backing recorded: minted at genesis)\n");
  else if (t.backing)
    std::printf("  backed by transfer %llu: %lld cash from agent %s (%s)\n",
                static_cast<unsigned long long>(l.backing), static_cast<long long>(t.backing->amount),
                agent_text(owner_of(layout, t.backing->debit)).c_str(),
                driver::reason_name(t.backing->reason).c_str());
  else
    std::printf("  backed by transfer %llu (not stored: headers-only file)\n",
                static_cast<unsigned long long>(l.backing));
}

}  // namespace

CLI::App* add_lineage_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("lineage", "Trace value-token lots to the money that backed them");
  options& o = opts();
  cmd->add_option("file", o.file, "Run file")->required();
  // A whole number as typed: CLI11 would wrap "-1" to 2^64 - 1, cap an overflow, and let "" mean "not given".
  const CLI::Validator whole_number(
      [](std::string& text) -> std::string {
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size())
          return "'" + text + "' is not a whole number from 0 to 2^64 - 1";
        return "";
      },
      "UINT");
  cmd->add_option("--agent", o.agent, "Holdings by origin of this agent")->check(whole_number);
  cmd->add_option("--lot", o.lot, "One lot (the id of its mint transfer)")->check(whole_number);
  cmd->add_flag("--json", o.json, "Machine-readable output");
  return cmd;
}

int run_lineage(CLI::App&) {
  const options& o = opts();
  const io::run_reader file(o.file);
  const auto& layout = file.layout();
  const auto all = file.lineage();

  std::vector<ledger::lineage_record> chosen;
  if (o.lot) {
    for (const auto& l : all)
      if (l.lot == *o.lot) chosen.push_back(l);
    if (chosen.empty())
      throw input_error(
          std::vector<diagnostic>{{"--lot", 0, 0, "no lot " + std::to_string(*o.lot) + " in " + o.file}});
  } else if (o.agent) {
    if (*o.agent >= layout.agent_kinds.size())
      throw input_error(
          std::vector<diagnostic>{{"--agent", 0, 0,
                                   "no agent " + std::to_string(*o.agent) + " (the run has " +
                                       std::to_string(layout.agent_kinds.size()) + " agents)"}});
    for (const auto& l : all)
      if (owner_of(layout, l.holder) == *o.agent) chosen.push_back(l);
  }

  if (o.lot || o.agent) {
    const auto traced = trace(file, chosen);
    std::map<std::string, amount_t> by_token;
    for (const auto& t : traced) by_token[token_name(layout, t.lot.token)] += t.lot.amount;
    if (o.json) {
      std::printf("{\n  \"file\": \"%s\",\n  \"transfers_stored\": %s,\n  \"lots\": [\n", o.file.c_str(),
                  file.has_transfers() ? "true" : "false");
      for (std::size_t i = 0; i < traced.size(); ++i)
        print_lot(layout, traced[i], true, i + 1 == traced.size());
      std::printf("  ],\n  \"minted_by_token\": {");
      std::size_t i = 0;
      for (const auto& [name, units] : by_token)
        std::printf("%s\"%s\": %lld", i++ ? ", " : "", name.c_str(), static_cast<long long>(units));
      std::printf("}\n}\n");
      return 0;
    }
    if (o.agent)
      std::printf("%s: value-token lots minted to agent %llu, by origin\n", o.file.c_str(),
                  static_cast<unsigned long long>(*o.agent));
    for (const auto& t : traced) print_lot(layout, t, false, false);
    for (const auto& [name, units] : by_token)
      std::printf("  total %s minted: %lld\n", name.c_str(), static_cast<long long>(units));
    if (traced.empty()) std::printf("  (none)\n");
    return 0;
  }

  // Summary: per token, the lots and units, and which sponsors' money backed them.
  const auto traced = trace(file, all);
  struct token_summary {
    std::uint64_t lots = 0;
    amount_t units = 0, unbacked = 0;
    std::map<agent_id, amount_t> sponsors;  // cash put up, by sponsor
  };
  std::map<token_id, token_summary> per_token;
  for (const auto& t : traced) {
    auto& s = per_token[t.lot.token];
    ++s.lots;
    s.units += t.lot.amount;
    if (t.lot.backing == 0) s.unbacked += t.lot.amount;
    if (t.backing) s.sponsors[owner_of(layout, t.backing->debit)] += t.backing->amount;
  }
  if (o.json)
    std::printf("{\n  \"file\": \"%s\",\n  \"tokens\": {", o.file.c_str());
  else
    std::printf("%s: %zu value-token lots\n", o.file.c_str(), all.size());
  std::size_t i = 0;
  for (const auto& [token, s] : per_token) {
    if (o.json) {
      std::printf(
          "%s\n    \"%s\": {\"lots\": %llu, \"units\": %lld, \"unbacked_units\": %lld, \"sponsors\": {",
          i++ ? "," : "", token_name(layout, token).c_str(), static_cast<unsigned long long>(s.lots),
          static_cast<long long>(s.units), static_cast<long long>(s.unbacked));
      std::size_t j = 0;
      for (const auto& [sponsor, cash] : s.sponsors)
        std::printf("%s\"%s\": %lld", j++ ? ", " : "", agent_text(sponsor).c_str(),
                    static_cast<long long>(cash));
      std::printf("}}");
    } else {
      std::printf("  %-10s %llu lots, %lld units (%lld minted at genesis without backing)\n",
                  token_name(layout, token).c_str(), static_cast<unsigned long long>(s.lots),
                  static_cast<long long>(s.units), static_cast<long long>(s.unbacked));
      for (const auto& [sponsor, cash] : s.sponsors)
        std::printf("             backed by %lld cash from agent %s\n", static_cast<long long>(cash),
                    agent_text(sponsor).c_str());
    }
  }
  if (o.json)
    std::printf("\n  }\n}\n");
  else if (!file.has_transfers())
    std::printf("  (headers-only file: backing transfers not stored)\n");
  return 0;
}

}  // namespace civitas::cli
