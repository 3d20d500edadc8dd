#include "cli/experiment.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "cli/shorthand.hpp"
#include "core/error.hpp"
#include "driver/registry.hpp"
#include "experiment/sweep.hpp"
#include "governance/registry.hpp"
#include "io/output_file.hpp"
#include "sim/settings.hpp"

namespace civitas::cli {
namespace {

// "market,social_credit,..." from the one list of regimes.
std::string all_regimes() {
  std::string out;
  for (const auto& name : governance::regime_names()) out += (out.empty() ? "" : ",") + name;
  return out;
}

struct options {
  std::string scenario, out, report, seed, steps, regimes = all_regimes();
  std::vector<std::string> grids, sets;
  bool zip = false, quiet = false;
  unsigned replicates = 5, threads = 0;
};
options& sweep_opts() {
  static options o;
  return o;
}
options& compare_opts() {
  static options o;
  return o;
}

void add_common(CLI::App* cmd, options& o) {
  cmd->add_option("scenario", o.scenario, "Scenario file or shipped name")->required();
  cmd->add_option("--replicates", o.replicates, "Runs per grid point, seeds base..base+R-1")
      ->check(CLI::Range(1u, 100000u));
  cmd->add_option("--steps", o.steps, "Steps per run (same as --set run.steps=N)");
  cmd->add_option("--seed", o.seed, "Base seed (same as --set run.seed=N)");
  cmd->add_option("--set", o.sets, "Override a parameter, as for `run`")->allow_extra_args(false);
  cmd->add_option("--threads", o.threads, "Worker threads (0: every core); results never depend on it")
      ->check(CLI::Range(0u, 1024u));
  cmd->add_option("--out", o.out, "HDF5 output (default NAME-sweep.h5 / NAME-compare.h5)");
  cmd->add_option("--report", o.report, "Write PREFIX.csv and PREFIX.md tables");
  cmd->add_flag("--quiet,-q", o.quiet, "No progress and no table");
}

int execute(const options& o, experiment::sweep_spec spec,
            const std::vector<experiment::table_metric>* metrics, const std::string& kind,
            const std::string& grid_text) {
  spec.scenario_path = params::resolve_scenario(o.scenario);
  spec.overrides = o.sets;
  if (!o.seed.empty()) spec.overrides.push_back(shorthand_override("--seed", "run.seed", o.seed));
  if (!o.steps.empty()) spec.overrides.push_back(shorthand_override("--steps", "run.steps", o.steps));
  spec.replicates = o.replicates;
  spec.threads = o.threads;
  std::vector<experiment::grid_point> points;
  const auto plan = experiment::plan_sweep(spec, points);  // every error before anything runs
  if (kind == "compare" && plan.front().get<driver::model_params>().model != "society")
    throw input_error(std::vector<diagnostic>{
        {spec.scenario_path, 0, 0,
         "compare puts a society under each regime, but this scenario's run.model is '" +
             plan.front().get<driver::model_params>().model + "' (use `civitas sweep` for it)"}});
  const std::string out =
      o.out.empty() ? plan.front().get<sim::run_params>().name + "-" + kind + ".h5" : o.out;
  experiment::check_writable(out);
  // A comparison always leaves its report beside its file (FILE.csv, FILE.md); a sweep when asked. Both are
  // checked before anything runs, so a bad report path costs no study.
  std::string report = o.report;
  if (report.empty() && kind == "compare")
    report = out.ends_with(".h5") ? out.substr(0, out.size() - 3) : out;
  if (!report.empty()) {
    io::check_target(report + ".csv");
    io::check_target(report + ".md");
  }

  const bool show = !o.quiet && isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  const auto result = experiment::run_sweep(spec, [&](std::size_t done, std::size_t total) {
    if (!show) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double eta = elapsed / static_cast<double>(done) * static_cast<double>(total - done);
    std::fprintf(stderr, "\r%zu/%zu runs  ETA %d:%02d ", done, total, static_cast<int>(eta) / 60,
                 static_cast<int>(eta) % 60);
    if (done == total) std::fprintf(stderr, "\n");
  });
  experiment::write_sweep(out, result, grid_text, o.replicates);

  const auto table = experiment::make_table(
      result, metrics ? *metrics : experiment::final_value_metrics(result), metrics != nullptr);
  const std::string title = "civitas " + kind + ": " + plan.front().get<sim::run_params>().name + ", " +
                            std::to_string(o.replicates) + " replicates, " +
                            std::to_string(plan.front().get<sim::run_params>().steps) + " steps";
  if (!report.empty()) {
    std::ofstream csv(report + ".csv"), md(report + ".md");
    csv << experiment::table_csv(table);
    md << experiment::table_markdown(table, title);
    if (!csv || !md) throw write_error(report + ".csv, " + report + ".md: cannot write the report files");
  }
  if (!o.quiet) {
    std::printf("%s (%zu runs)\n%s  output      %s\n", title.c_str(), result.runs.size(),
                experiment::table_text(table).c_str(), out.c_str());
    if (!report.empty()) std::printf("  report      %s.csv, %s.md\n", report.c_str(), report.c_str());
  }
  return 0;
}

// The comparison's outcomes (issue #4): each summarised per run, then across replicates.
std::vector<experiment::table_metric> comparison_metrics() {
  using s = experiment::table_metric::summary;
  return {{"gini_cash", "gini_cash", s::end},
          {"gini_value", "gini_value", s::end},
          {"gini_total", "gini_total", s::end},
          {"total_value", "total_value", s::end},
          {"mean_se_firms", "mean_se_firms", s::end},
          {"share_red", "share_red", s::end},
          {"share_amber", "share_amber", s::end},
          {"share_green", "share_green", s::end},
          {"good_deeds_per_capita_step", "deeds_verified", s::mean_per_citizen},
          {"deeds_done_per_capita_step", "deeds_done", s::mean_per_citizen},
          {"misconduct_per_capita_step", "misconduct", s::mean_per_citizen},
          {"stolen_per_step", "stolen", s::mean},
          {"welfare_per_step", "welfare", s::mean},
          {"sanctions_per_step", "sanctions", s::mean},
          {"treasury_efficiency", "treasury_efficiency", s::end},
          {"rejected_per_step", "rejected", s::mean}};
}

}  // namespace

CLI::App* add_sweep_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("sweep", "Run a scenario over a parameter grid with replicates");
  options& o = sweep_opts();
  add_common(cmd, o);
  cmd->add_option("--grid", o.grids, "KEY=V1,V2,... or KEY=LO:HI:N (repeatable)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_flag("--zip", o.zip, "Pair the grids' i-th values instead of crossing them");
  return cmd;
}

CLI::App* add_compare_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("compare", "Run the same society under several regimes, side by side");
  options& o = compare_opts();
  add_common(cmd, o);
  cmd->add_option("--regimes", o.regimes, "Comma-separated regimes (default: all of " + all_regimes() + ")");
  return cmd;
}

int run_sweep_command(CLI::App&) {
  const options& o = sweep_opts();
  experiment::sweep_spec spec;
  std::string grid_text;
  for (const auto& g : o.grids) {
    spec.axes.push_back(experiment::parse_grid(g));
    grid_text += (grid_text.empty() ? "" : " ") + g;
  }
  spec.zip = o.zip;
  if (o.zip) grid_text += " (zipped)";
  return execute(o, spec, nullptr, "sweep", grid_text);
}

int run_compare_command(CLI::App&) {
  const options& o = compare_opts();
  // Checked here, so the errors name --regimes (not the grid compare is built on).
  const auto& names = governance::regime_names();
  std::set<std::string> seen;
  for (const std::string& name : experiment::split(o.regimes, ',')) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      throw input_error(std::vector<diagnostic>{
          {"--regimes", 0, 0,
           (name.empty() ? std::string("an empty regime name") : "no regime '" + name + "'") +
               " (regimes: " + known + ")"}});
    }
    if (!seen.insert(name).second)
      throw input_error(std::vector<diagnostic>{{"--regimes", 0, 0, "regime '" + name + "' appears twice"}});
  }
  experiment::sweep_spec spec;
  spec.axes.push_back(experiment::parse_grid("governance.regime=" + o.regimes));
  const auto metrics = comparison_metrics();
  return execute(o, spec, &metrics, "compare", "governance.regime=" + o.regimes);
}

}  // namespace civitas::cli
