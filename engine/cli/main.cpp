// civitas: run a scenario, verify or inspect a run file, list the shipped scenarios.
//
// Exit codes: 0 success; 1 verification found a difference; 2 bad input (scenario, flag, output path);
// 3 a file that cannot be read (missing, corrupt, truncated); 4 an internal error (a bug: please report);
// 5 an output that cannot be written; 6 a study whose file was written but some of whose runs failed.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/calc.hpp"
#include "cli/experiment.hpp"
#include "cli/lineage.hpp"
#include "cli/saved_experiment.hpp"
#include "cli/sensitivity.hpp"
#include "cli/shorthand.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "driver/registry.hpp"
#include "driver/run.hpp"
#include "driver/verify.hpp"
#include "experiment/ensemble.hpp"
#include "experiment/experiment_file.hpp"
#include "io/read_guard.hpp"
#include "io/run_file.hpp"
#include "ledger/ledger.hpp"
#include "ledger/signature.hpp"
#include "sim/settings.hpp"
#include "sim/transport.hpp"
#ifdef CIVITAS_MPI
#include <optional>

#include "distributed/mpi_ensemble.hpp"
#include "distributed/mpi_transport.hpp"
#endif

namespace fs = std::filesystem;
using namespace civitas;

namespace {
// One code per kind of failure, the same for every command (README "Exit codes").
constexpr int exit_ok = 0, exit_mismatch = 1, exit_input = 2, exit_data = 3, exit_internal = 4,
              exit_write = 5, exit_runs_failed = 6;

fs::path scenario_dir() { return params::scenario_directory(); }

constexpr const char* default_scenario = "society/default";

std::string group_digits(std::uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

std::string format_metric(double v) {
  if (std::isnan(v)) return "n/a";
  std::ostringstream o;
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    o << static_cast<long long>(v);
  else
    o << std::setprecision(6) << v;
  return o.str();
}

std::string json_escape(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  std::ostringstream o;
  o << std::setprecision(17) << v;
  return o.str();
}

// Progress on a terminal: a bar, the rate and an ETA, redrawn at most ten times a second.
class progress_line {
 public:
  explicit progress_line(bool enabled) : enabled_(enabled) {}
  void update(step_t done, step_t total) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? done / elapsed : 0;
    const double eta = rate > 0 ? (total - done) / rate : 0;
    const int width = 30;
    const int filled = static_cast<int>(width * static_cast<double>(done) / total);
    std::fprintf(stderr, "\r[%.*s%*s] %u/%u steps  %.0f steps/s  ETA %d:%02d ", filled,
                 "##############################", width - filled, "", done, total, rate,
                 static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    if (done == total) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

void print_summary(const driver::run_summary& s, bool with_profile) {
  const double agent_steps = static_cast<double>(s.agents) * s.steps;
  std::printf("civitas %s: scenario \"%s\", seed %llu, %s agents, %u steps, %u threads\n", engine_version,
              s.scenario_name.c_str(), static_cast<unsigned long long>(s.seed),
              group_digits(s.agents).c_str(), s.steps, s.threads);
  std::printf("  time        %.3f s  (%.3g agent-steps/s, %.3g transfers/s)\n", s.wall_seconds,
              agent_steps / s.wall_seconds, static_cast<double>(s.transfers) / s.wall_seconds);
  std::printf("  transfers   %s recorded, %s rejected", group_digits(s.transfers).c_str(),
              group_digits(s.rejected).c_str());
  bool first = true;
  for (std::size_t i = 1; i < s.status_totals.size(); ++i) {
    if (s.status_totals[i] == 0) continue;
    std::printf("%s%s %s", first ? " (" : ", ", ledger::status_name(static_cast<ledger::status>(i)),
                group_digits(s.status_totals[i]).c_str());
    first = false;
  }
  std::printf("%s\n", first ? "" : ")");
  for (const auto& [name, supply] : s.supplies)
    std::printf("  supply      %s %s\n", name.c_str(),
                group_digits(static_cast<std::uint64_t>(supply)).c_str());
  // The metrics wrapped at 100 columns, continuation lines under the first metric.
  std::printf("  metrics    ");
  std::size_t width = 13;
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    if (s.columns[i] == "step" || s.columns[i] == "transfers" || s.columns[i] == "rejected" ||
        s.columns[i].rfind("supply_", 0) == 0)
      continue;
    const std::string item = " " + s.columns[i] + " " + format_metric(s.final_metrics[i]);
    if (width > 13 && width + item.size() > 100) {
      std::printf("\n             ");
      width = 13;
    }
    std::printf("%s", item.c_str());
    width += item.size();
  }
  std::printf("\n  head hash   %s\n", s.head_hash.c_str());
  if (!s.out_path.empty()) {
    std::printf("  file seal   %s%s\n", s.file_seal.c_str(), s.signed_head ? " (signed)" : "");
    std::printf("  output      %s\n", s.out_path.c_str());
  }
  if (with_profile) {
    std::uint64_t total = 0;
    for (const auto ns : s.timings.total_ns) total += ns;
    std::printf("  profile     (phase: total ms, share, per step us)\n");
    for (std::size_t p = 0; p < sim::phase_count; ++p) {
      const double ms = s.timings.total_ns[p] / 1e6;
      std::printf("    %-8s %10.1f ms  %5.1f%%  %10.1f us\n",
                  sim::phase_name(static_cast<sim::step_phase>(p)), ms,
                  total ? 100.0 * s.timings.total_ns[p] / total : 0.0,
                  s.timings.steps ? s.timings.total_ns[p] / 1e3 / s.timings.steps : 0.0);
    }
  }
}

// This process's peak resident memory (getrusage: kilobytes on Linux).
double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// A sharded run's collectives on this rank, per step: what the scaling benchmark reads.
void print_communication(const driver::run_summary& s) {
  std::uint64_t total = 0;
  for (const auto ns : s.timings.total_ns) total += ns;
  const double steps = s.timings.steps ? static_cast<double>(s.timings.steps) : 1.0;
  std::fprintf(
      stderr,
      "shards %u ranks %d rank %d: sent %.0f bytes/step, %.3f ms/step in collectives, %.1f%% of "
      "step time, %.3f ms/step, peak RSS %.0f MB\n",
      s.shards, s.ranks, s.rank, static_cast<double>(s.communication.bytes_sent) / steps,
      static_cast<double>(s.communication.wait_ns) / 1e6 / steps,
      total ? 100.0 * static_cast<double>(s.communication.wait_ns) / static_cast<double>(total) : 0.0,
      static_cast<double>(total) / 1e6 / steps, peak_rss_mb());
}

int cmd_run(const std::string& scenario_arg, std::vector<std::string> sets, const std::string& seed,
            const std::string& steps, const std::string& ledger_mode, unsigned threads, std::string out,
            const std::string& sign_key, bool quiet, bool profile, sim::transport* peers) {
  // --seed/--steps/--ledger are spelled-out overrides, validated exactly like --set.
  if (!seed.empty()) sets.push_back(cli::shorthand_override("--seed", "run.seed", seed));
  if (!steps.empty()) sets.push_back(cli::shorthand_override("--steps", "run.steps", steps));
  if (!ledger_mode.empty()) sets.push_back(cli::shorthand_override("--ledger", "output.ledger", ledger_mode));
  // Without a scenario, the shipped default society runs (README's quick start).
  const params::scenario scenario = driver::load_scenario(
      params::resolve_scenario(scenario_arg.empty() ? default_scenario : scenario_arg), sets);
  if (out.empty()) out = scenario.get<sim::run_params>().name + ".h5";
  const std::uint32_t shards = scenario.get<sim::shard_params>().shards;
  if (peers && peers->size() > 1 && shards == 1)
    throw input_error(std::vector<diagnostic>{
        {"run.shards", 0, 0,
         "run.shards = 1 cannot be spread over " + std::to_string(peers->size()) +
             " ranks: set run.shards (e.g. --set run.shards=" + std::to_string(peers->size()) +
             "), or run without mpirun"}});
  driver::run_options options;
  options.peers = shards > 1 ? peers : nullptr;
  options.out_path = out;
  options.threads = threads;
  options.sign_key = sign_key;
  progress_line progress(!quiet && isatty(STDERR_FILENO));
  options.progress = [&](step_t done, step_t total) { progress.update(done, total); };
  const driver::run_summary summary = driver::run_scenario(scenario, options);
  if (!quiet) print_summary(summary, profile);
  if (profile && summary.shards > 1) print_communication(summary);
  return exit_ok;
}

int cmd_verify(const std::string& path, const driver::verify_options& options, bool json) {
  const driver::verify_report r = driver::verify_run(path, options);
  if (json) {
    std::printf(
        "{\"file\": %s, \"ok\": %s, \"complete\": %s, \"reran\": %s, \"signature_checked\": %s, "
        "\"blocks_checked\": %u, \"blocks_planned\": %u, \"first_bad_step\": %s, \"first_bad_record\": %s, "
        "\"message\": %s}\n",
        json_escape(path).c_str(), r.ok ? "true" : "false", r.complete ? "true" : "false",
        r.reran ? "true" : "false", r.signature_checked ? "true" : "false", r.blocks_checked,
        r.blocks_planned, r.first_bad_step ? std::to_string(*r.first_bad_step).c_str() : "null",
        r.first_bad_record ? std::to_string(*r.first_bad_record).c_str() : "null",
        json_escape(r.message).c_str());
  } else if (r.ok) {
    std::printf("%s: OK: %s\n", path.c_str(), r.message.c_str());
  } else {
    std::fprintf(stderr, "%s: FAILED at %s\n", path.c_str(), r.message.c_str());
  }
  return r.ok ? exit_ok : exit_mismatch;
}

int cmd_inspect(const std::string& path, bool json) {
  const io::run_reader file(path);
  const io::run_meta& m = file.meta();
  const io::run_layout& l = file.layout();
  const auto& headers = file.headers();
  std::uint64_t transfers = 0, rejected = 0;
  for (const auto& h : headers) {
    transfers += h.transfer_count;
    rejected += h.rejected_count;
  }
  const std::string head = headers.empty() ? "" : ledger::to_hex(headers.back().hash);
  const step_t steps = headers.empty() ? 0 : headers.back().step;
  std::vector<double> finals;
  for (const auto& c : l.metric_columns) {
    const auto v = file.series(c);
    finals.push_back(v.empty() ? std::nan("") : v.back());
    // Costly metrics may be skipped on some steps: report the last computed value.
    for (auto it = v.rbegin(); it != v.rend(); ++it)
      if (!std::isnan(*it)) {
        finals.back() = *it;
        break;
      }
  }
  if (json) {
    std::ostringstream o;
    o << "{\"file\": " << json_escape(path) << ", \"scenario\": " << json_escape(m.scenario_name)
      << ", \"seed\": " << m.seed << ", \"engine_version\": " << json_escape(m.engine_version)
      << ", \"start_time\": " << json_escape(m.start_time) << ", \"threads\": " << m.threads
      << ", \"complete\": " << (m.complete ? "true" : "false") << ", \"steps\": " << steps
      << ", \"steps_planned\": " << m.steps_planned << ", \"ledger_log\": " << json_escape(m.ledger_log)
      << ", \"activation\": " << json_escape(m.activation) << ", \"agents\": " << l.agent_kinds.size()
      << ", \"accounts\": " << l.accounts.size() << ", \"transfers\": " << transfers
      << ", \"rejected\": " << rejected << ", \"supply\": {";
    for (std::size_t t = 0; t < l.tokens.size(); ++t)
      o << (t ? ", " : "") << json_escape(l.tokens[t].name) << ": "
        << (headers.empty() ? 0 : headers.back().supplies.at(t));
    o << "}, \"head_hash\": " << json_escape(head) << ", \"final_metrics\": {";
    for (std::size_t i = 0; i < finals.size(); ++i)
      o << (i ? ", " : "") << json_escape(l.metric_columns[i]) << ": " << json_number(finals[i]);
    o << "}, \"scenario_toml\": " << json_escape(m.scenario) << "}\n";
    std::fputs(o.str().c_str(), stdout);
    return exit_ok;
  }
  std::printf("%s\n", path.c_str());
  std::printf("  scenario    %s (seed %llu), engine %s, started %s on %u threads\n", m.scenario_name.c_str(),
              static_cast<unsigned long long>(m.seed), m.engine_version.c_str(), m.start_time.c_str(),
              m.threads);
  std::printf("  steps       %u of %u%s; activation %s; ledger log %s\n", steps, m.steps_planned,
              m.complete ? "" : " (INCOMPLETE: the run did not finish)", m.activation.c_str(),
              m.ledger_log.c_str());
  std::printf("  agents      %s, accounts %s\n", group_digits(l.agent_kinds.size()).c_str(),
              group_digits(l.accounts.size()).c_str());
  std::printf("  transfers   %s recorded, %s rejected\n", group_digits(transfers).c_str(),
              group_digits(rejected).c_str());
  for (std::size_t t = 0; t < l.tokens.size() && !headers.empty(); ++t)
    std::printf("  supply      %s %lld\n", l.tokens[t].name.c_str(),
                static_cast<long long>(headers.back().supplies.at(t)));
  std::printf("  head hash   %s\n  metrics    ", head.c_str());
  for (std::size_t i = 0; i < finals.size(); ++i)
    std::printf(" %s %s", l.metric_columns[i].c_str(), format_metric(finals[i]).c_str());
  std::printf("\n");
  return exit_ok;
}

int cmd_scenarios() {
  const fs::path dir = scenario_dir();
  std::vector<fs::path> files;
  if (fs::is_directory(dir))
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  // experiments/ holds saved experiments, not scenarios: listed apart.
  const auto experiments = std::stable_partition(files.begin(), files.end(), [&](const fs::path& f) {
    return *fs::relative(f, dir).begin() != "experiments";
  });
  std::printf("Shipped scenarios in %s (run one with `civitas run NAME`):\n", dir.c_str());
  for (auto it = files.begin(); it != experiments; ++it) {
    const fs::path& f = *it;
    std::string name = fs::relative(f, dir).replace_extension().string();
    try {
      const params::scenario s = driver::load_scenario(f.string());
      std::printf("  %-32s %s\n", name.c_str(), s.get<sim::run_params>().description.c_str());
    } catch (const input_error& e) {
      std::printf("  %-32s (invalid: %s)\n", name.c_str(), e.diagnostics().front().str().c_str());
    }
  }
  if (experiments == files.end()) return exit_ok;
  std::printf("Saved experiments (run one with `civitas experiment %s/FILE`):\n",
              (dir / "experiments").c_str());
  for (auto it = experiments; it != files.end(); ++it) {
    const std::string name = fs::relative(*it, dir / "experiments").string();
    try {
      const auto x = experiment::read_experiment(it->string());
      std::printf("  %-32s %s of %s: %s\n", name.c_str(), std::string(experiment::kind_name(x.kind)).c_str(),
                  x.scenario.c_str(), x.description.c_str());
    } catch (const input_error& e) {
      std::printf("  %-32s (invalid: %s)\n", name.c_str(), e.diagnostics().front().str().c_str());
    }
  }
  return exit_ok;
}

// Whether parameter `path` is in `section` ("" for every one): the section itself or a key under it.
bool in_section(const std::string& path, const std::string& section) {
  if (section.empty()) return true;
  const std::string prefix = section.ends_with(".") ? section : section + ".";
  return path == section || path.starts_with(prefix);
}

// Every parameter from its declaration; --markdown prints the table docs/ODD.md carries (checked by ctest);
// `section` keeps those under one table (society, governance.daf, ...); --json prints them as an array.
// Beside each schema default, the value `scenario` (default society/default, what `civitas run` runs) gives
// when it differs, so a newcomer sees the society's values rather than only the exchange model's defaults.
int cmd_params(bool markdown, const std::string& section, bool json, const std::string& scenario_arg) {
  std::vector<params::param_info> rows;
  for (auto& p : params::list(driver::catalogue()))
    if (in_section(p.path, section)) rows.push_back(p);
  if (rows.empty()) {
    std::string tables;
    for (const auto& p : params::list(driver::catalogue()))
      if ((", " + tables + ",").find(", " + p.table + ",") == std::string::npos)
        tables += (tables.empty() ? "" : ", ") + p.table;
    throw input_error(std::vector<diagnostic>{
        {"section", 0, 0, "no parameter under '" + section + "' (tables: " + tables + ")"}});
  }
  // The scenario's value of each parameter, as TOML text ("" when the default scenario cannot be read: the
  // listing is still worth having).
  std::vector<std::string> values(rows.size());
  std::string shown = scenario_arg.empty() ? default_scenario : scenario_arg;
  if (!markdown) {
    try {
      const params::scenario s = driver::load_scenario(params::resolve_scenario(shown));
      for (std::size_t i = 0; i < rows.size(); ++i)
        if (const auto* e = s.schema().find(rows[i].path)) values[i] = params::toml_value_text(s.get(*e));
    } catch (const input_error&) {
      if (!scenario_arg.empty()) throw;  // asked for by name: say why it does not read
      shown.clear();
    }
  }
  if (json) {
    std::printf("[");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& p = rows[i];
      std::printf(
          "%s\n  {\"path\": %s, \"table\": %s, \"type\": %s, \"default\": %s, \"value\": %s, "
          "\"range\": %s, \"unit\": %s, \"doc\": %s, \"source\": %s}",
          i ? "," : "", json_escape(p.path).c_str(), json_escape(p.table).c_str(),
          json_escape(p.type).c_str(), json_escape(p.default_text).c_str(),
          json_escape(values[i].empty() ? p.default_text : values[i]).c_str(), json_escape(p.range).c_str(),
          json_escape(p.unit).c_str(), json_escape(p.doc).c_str(), json_escape(p.source).c_str());
    }
    std::printf("\n]\n");
    return exit_ok;
  }
  if (markdown) {
    std::printf(
        "| parameter | type | default | range | unit | meaning | source |\n|---|---|---|---|---|---|---|\n");
    for (auto p : rows) {
      if (p.table == "run" || p.table == "output" || p.table == "exchange")
        continue;  // the model's parameters
      std::string type = p.type;
      if (type.starts_with("one of: ")) type = type.substr(8);
      for (std::size_t at = 0; (at = type.find(", ", at)) != std::string::npos;) type.replace(at, 2, " \\| ");
      std::printf("| `%s` | %s | `%s` | %s | %s | %s | %s |\n", p.path.c_str(), type.c_str(),
                  p.default_text.c_str(), p.range.c_str(), p.unit.c_str(), p.doc.c_str(), p.source.c_str());
    }
    return exit_ok;
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& p = rows[i];
    const std::string differs =
        !values[i].empty() && values[i] != p.default_text ? " [" + shown + ": " + values[i] + "]" : "";
    std::printf("%-32s %-10s default %-20s%s %s%s%s%s%s\n", p.path.c_str(), p.type.c_str(),
                p.default_text.c_str(), differs.c_str(), p.doc.c_str(), p.unit.empty() ? "" : "; unit ",
                p.unit.c_str(), p.range.empty() ? "" : "; range ", p.range.c_str());
  }
  return exit_ok;
}

// `civitas export`: the Python package's exporter (python3 -m civitas export, python/civitas/export.py), with
// the build tree's python/ first on PYTHONPATH; CSV and netCDF writers live there, beside the readers.
int cmd_export(const std::string& path, const std::string& format, const std::string& out) {
#ifdef CIVITAS_PYTHON
  const std::string python = CIVITAS_PYTHON;
  const char* old = std::getenv("PYTHONPATH");
  const std::string pythonpath =
      std::string(CIVITAS_PYTHON_DIR) + (old && *old ? ":" + std::string(old) : "");
  ::setenv("PYTHONPATH", pythonpath.c_str(), 1);
  std::vector<std::string> args{python, "-m", "civitas", "export", path, "--format", format};
  if (!out.empty()) {
    args.push_back("--out");
    args.push_back(out);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  ::execv(python.c_str(), argv.data());
  throw std::runtime_error("cannot run " + python + ": " + std::strerror(errno));
#else
  static_cast<void>(path);
  static_cast<void>(format);
  static_cast<void>(out);
  throw input_error(std::vector<diagnostic>{
      {"export", 0, 0,
       "this civitas was built without the Python module (CIVITAS_BUILD_PYTHON), which exports"}});
#endif
}

// True when `word` names one of `parent`'s commands; otherwise prints which ones there are.
bool known_command(CLI::App& parent, const char* word, const std::string& what) {
  std::string known;
  bool found = false;
  for (const CLI::App* sub : parent.get_subcommands([](CLI::App*) { return true; })) {
    found = found || sub->get_name() == word;
    known += (known.empty() ? "" : ", ") + sub->get_name();
  }
  if (!found)
    std::fprintf(stderr, "error: unknown %s '%s' (%ss: %s; see --help)\n", what.c_str(), word, what.c_str(),
                 known.c_str());
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Civitas: an agent-based society simulator with a faithful, hash-chained ledger"};
  app.set_version_flag("--version", std::string("civitas ") + engine_version);
  app.require_subcommand(1);

  std::string scenario_arg, seed, steps, ledger_mode, out, file, sign_key, verify_key, keygen_out;
  bool replay = false;
  std::vector<std::string> sets;
  unsigned threads = 0;
  bool quiet = false, profile = false, json = false;

  CLI::App* run = app.add_subcommand("run", "Run a scenario and write an HDF5 run file");
  run->add_option("scenario", scenario_arg,
                  "Scenario file or shipped scenario name (default: society/default)");
  run->add_option("--seed", seed, "Random seed (same as --set run.seed=N)")->type_name("N");
  run->add_option("--steps", steps, "Steps to run (same as --set run.steps=N)")->type_name("N");
  run->add_option("--threads", threads, "Worker threads (0: every core); results never depend on it")
      ->check(CLI::Range(0u, 1024u))
      ->type_name("N");
  run->add_option("--out", out, "Output file (default: NAME.h5, NAME the scenario's run.name)")
      ->type_name("FILE");
  run->add_option("--ledger", ledger_mode, "full: store every transfer; headers: only block headers")
      ->type_name("full|headers");
  run->add_option("--set", sets, "Override a parameter by dotted path, e.g. --set exchange.rule=saving")
      ->allow_extra_args(false)
      ->type_name("KEY=VALUE");
  run->add_option("--sign", sign_key,
                  "Ed25519 private key (PEM, from `civitas keygen`): sign the head hash and file seal")
      ->type_name("KEY.pem");
  run->add_flag("--quiet,-q", quiet, "No progress and no summary");
  run->add_flag("--profile", profile, "Print time per step phase");

  CLI::App* verify = app.add_subcommand("verify", "Recompute every hash and invariant of a run file");
  verify->add_option("file", file, "Run file (.h5, or a .h5.partial left by an interrupted run)")->required();
  verify->add_option("--threads", threads, "Worker threads (0: every core)")->check(CLI::Range(0u, 1024u));
  verify->add_flag("--replay", replay,
                   "Also re-run the scenario from /meta and compare every header, record, lineage lot, "
                   "/series row and snapshot (catches a forgery that recomputed every hash)");
  verify->add_option("--key", verify_key,
                     "Ed25519 public key (PEM): require a valid signature by it (catches truncation, "
                     "rollback and any re-hashed change)");
  verify->add_flag("--json", json, "Machine-readable report");

  CLI::App* keygen = app.add_subcommand("keygen", "Make an Ed25519 key pair for signing run heads");
  keygen->add_option("--out", keygen_out, "Private key file to create (the public key is written to OUT.pub)")
      ->required();

  CLI::App* inspect = app.add_subcommand("inspect", "Summarise a run file");
  inspect->add_option("file", file, "Run file")->required();
  inspect->add_flag("--json", json, "Machine-readable summary");

  CLI::App* scenarios = app.add_subcommand("scenarios", "List the shipped scenarios");
  CLI::App* params =
      app.add_subcommand("params", "List every scenario parameter with default, range, unit and meaning");
  bool params_markdown = false;
  std::string params_section;
  params->add_option("section", params_section,
                     "Only the parameters under this table, e.g. society or governance.daf");
  CLI::Option* params_md =
      params->add_flag("--markdown", params_markdown,
                       "The model parameters as the Markdown table of docs/ODD.md, with sources");
  params->add_flag("--json", json, "Every parameter as a JSON array (path, table, type, default, range, ...)")
      ->excludes(params_md);
  std::string params_scenario;
  params
      ->add_option("--scenario", params_scenario,
                   "Show the values this scenario gives beside the defaults (default: society/default)")
      ->type_name("NAME")
      ->excludes(params_md);
  CLI::App* calc = cli::add_calc_command(app);
  CLI::App* lineage = cli::add_lineage_command(app);
  CLI::App* sweep = cli::add_sweep_command(app);
  CLI::App* compare = cli::add_compare_command(app);
  CLI::App* sensitivity = cli::add_sensitivity_command(app);
  CLI::App* experiment = cli::add_experiment_command(app);
  CLI::App* export_cmd = app.add_subcommand(
      "export",
      "Export a run's series, or a comparison's, sweep's or sensitivity study's table, for R or Stata");
  std::string export_format = "csv", export_out;
  export_cmd
      ->add_option("file", file, "Civitas HDF5 file (run, comparison, sweep, sensitivity; .partial too)")
      ->required();
  export_cmd->add_option("--format", export_format, "csv (default) or netcdf")
      ->check(CLI::IsMember({"csv", "netcdf"}))
      ->type_name("FORMAT");
  export_cmd->add_option("--out", export_out, "Output (default: FILE with .csv or .nc)")->type_name("FILE");

  // CLI11 answers an unknown command with "A subcommand is required": name it instead.
  if (argc > 1 && argv[1][0] == '-' && std::string_view(argv[1]) != "--help" &&
      std::string_view(argv[1]) != "-h" && std::string_view(argv[1]) != "--version") {
    std::fprintf(stderr, "error: unknown option '%s' before the command (see --help)\n", argv[1]);
    return exit_input;
  }
  // The same for a command's own commands (`calc nope`).
  if (argc > 1 && argv[1][0] != '-') {
    if (!known_command(app, argv[1], "command")) return exit_input;
    CLI::App* command = app.get_subcommand(argv[1]);
    if (!command->get_subcommands([](CLI::App*) { return true; }).empty() && argc > 2 && argv[2][0] != '-' &&
        !known_command(*command, argv[2], std::string(argv[1]) + " command"))
      return exit_input;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_input;
  }

  // verify, inspect and lineage read files Civitas may not have written: bound HDF5 on them.
  if (*verify || *inspect || *lineage) io::enable_read_guard(120, exit_data);
  bool root = true;  // prints its errors at once (every other rank defers them: see the end)
#ifdef CIVITAS_MPI
  // Under mpirun or srun the study commands spread their runs over the ranks (docs/distributed.md).
  std::optional<distributed::mpi_session> mpi;
  // `run` under mpirun: the ranks of one sharded run (run.shards > 1; docs/distributed.md).
  std::optional<distributed::mpi_transport> shard_ranks;
  const bool study = *sweep || *compare || *sensitivity || *experiment;
  if (study && distributed::launched_by_mpi()) {
    mpi.emplace(argc, argv);
    civitas::experiment::set_current_ensemble(&mpi->ensemble());
    root = mpi->rank() == 0;
  } else if (*run && distributed::launched_by_mpi()) {
    shard_ranks.emplace(argc, argv);
    root = shard_ranks->rank() == 0;
    if (!root) quiet = true;  // rank 0 reports (and alone writes the file)
  }
  // Any other command would run once per rank, each writing the same output.
  if (!study && !*run && distributed::launched_ranks() > 1) {
    std::fprintf(stderr,
                 "error: under mpirun only run (sharded), sweep, compare, sensitivity and experiment spread "
                 "over the ranks; run `%s` without mpirun (or with -n 1)\n",
                 argv[1]);
    return exit_input;
  }
  sim::transport* peers = shard_ranks ? &*shard_ranks : nullptr;
#else
  sim::transport* peers = nullptr;
#endif
  const auto command = [&]() -> int {
    if (*run) {
      // An empty value is a mistake, not "use the default": `run ''` or `--steps ''` must not run silently.
      if (run->count("scenario") > 0 && scenario_arg.empty())
        throw input_error(std::vector<diagnostic>{{"scenario", 0, 0, "the scenario argument is empty"}});
      for (const auto& [flag, value] : {std::pair<const char*, const std::string*>{"--seed", &seed},
                                        {"--steps", &steps},
                                        {"--ledger", &ledger_mode},
                                        {"--sign", &sign_key},
                                        {"--out", &out}})
        if (run->count(flag) > 0 && value->empty())
          throw input_error(std::vector<diagnostic>{{flag, 0, 0, "missing value"}});
      return cmd_run(scenario_arg, sets, seed, steps, ledger_mode, threads, out, sign_key, quiet, profile,
                     peers);
    }
    if (*verify) {
      if (verify->count("--key") > 0 && verify_key.empty())
        throw input_error(std::vector<diagnostic>{{"--key", 0, 0, "missing value"}});
      return cmd_verify(file, driver::verify_options{threads, replay, verify_key}, json);
    }
    if (*keygen) {
      if (keygen_out.empty()) throw input_error(std::vector<diagnostic>{{"--out", 0, 0, "missing value"}});
      ledger::generate_key_pair(keygen_out, keygen_out + ".pub");
      std::printf("private key %s (keep it secret), public key %s\n", keygen_out.c_str(),
                  (keygen_out + ".pub").c_str());
      return exit_ok;
    }
    if (*inspect) return cmd_inspect(file, json);
    if (*scenarios) return cmd_scenarios();
    if (*params) return cmd_params(params_markdown, params_section, json, params_scenario);
    if (*calc) return cli::run_calc(*calc);
    if (*lineage) return cli::run_lineage(*lineage);
    if (*sweep) return cli::run_sweep_command(*sweep);
    if (*compare) return cli::run_compare_command(*compare);
    if (*sensitivity) return cli::run_sensitivity_command(*sensitivity);
    if (*experiment) return cli::run_experiment_command(*experiment);
    if (*export_cmd) return cmd_export(file, export_format, export_out);
    return exit_internal;
  };
  int code = exit_internal;
  std::string error;
  try {
    code = command();
  } catch (const input_error& e) {
    for (const auto& d : e.diagnostics()) error += "error: " + d.str() + "\n";
    code = exit_input;
  } catch (const data_error& e) {
    error = "error: " + std::string(e.what()) + "\n";
    code = exit_data;
  } catch (const write_error& e) {
    error = "error: cannot write: " + std::string(e.what()) + "\n";
    code = exit_write;
  } catch (const civitas::experiment::failed_runs_error& e) {  // the study's file holds the other runs
    error = "error: " + std::string(e.what()) + "\n";
    code = exit_runs_failed;
  } catch (const civitas::experiment::peer_error& e) {  // that rank printed why; rank 0 says which it was
    error = root ? "error: " + std::string(e.what()) + "\n" : "";
    code = root ? e.code() : exit_ok;
  } catch (const std::exception& e) {
    error = "internal error: " + std::string(e.what()) + "\n";
    code = exit_internal;
  }
  if (root) std::fputs(error.c_str(), stderr);
#ifdef CIVITAS_MPI
  // Input errors are the same on every rank (each reads the scenario) and come before the run's first
  // collective, as does rank 0 failing to open its file (the ranks agree on that); anything else on one
  // rank mid-run would leave the others waiting in a collective: stop them all.
  if (shard_ranks && shard_ranks->size() > 1 && code != exit_ok && code != exit_input && code != exit_write) {
    if (!root) std::fprintf(stderr, "rank %d: %s", shard_ranks->rank(), error.c_str());
    std::fflush(stderr);
    shard_ranks->abort(code);
  }
  if (mpi) {
    // Every rank ends here; one that stopped before the runs votes now, so none waits for it. Another
    // rank's error is printed only when rank 0 did not have it (one message for a bad flag, not R).
    const auto end = mpi->finish(code);
    if (end.print)
      std::fprintf(stderr, "rank %d: %s", mpi->rank(), error.empty() ? "stopped\n" : error.c_str());
    code = end.code;
  }
#endif
  return code;
}
