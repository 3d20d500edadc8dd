#include "cli/experiment.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <set>

#include "cli/study.hpp"
#include "core/error.hpp"
#include "experiment/sweep.hpp"
#include "governance/registry.hpp"

namespace civitas::cli {

std::string all_regimes() {
  std::string out;
  for (const auto& name : governance::regime_names()) out += (out.empty() ? "" : ",") + name;
  return out;
}

namespace {

struct sweep_options {
  study_options study;
  std::vector<std::string> grids, metrics;
  bool zip = false;
};
struct compare_options {
  study_options study;
  std::string regimes = all_regimes();
};
sweep_options& sweep_opts() {
  static sweep_options o;
  return o;
}
compare_options& compare_opts() {
  static compare_options o;
  return o;
}

experiment::sweep_spec base_spec(const study_options& o) {
  experiment::sweep_spec spec;
  spec.scenario_path = study_scenario(o);
  spec.overrides = study_overrides(o);
  spec.replicates = o.replicates;
  spec.threads = o.threads;
  return spec;
}

study_output output_of(const study_options& o) { return {o.out, o.report, o.quiet, {}, {}, {}}; }

}  // namespace

CLI::App* add_sweep_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("sweep", "Run a scenario over a parameter grid with replicates");
  sweep_options& o = sweep_opts();
  add_study_options(cmd, o.study, "grid point", "NAME-sweep.h5");
  cmd->add_option("--grid", o.grids, "KEY=V1,V2,... or KEY=LO:HI:N (repeatable)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_flag("--zip", o.zip, "Pair the grids' i-th values instead of crossing them");
  cmd->add_option("--metric", o.metrics,
                  "Tabulate only this /series column (repeatable; default: every column)")
      ->allow_extra_args(false);
  return cmd;
}

CLI::App* add_compare_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("compare", "Run the same society under several regimes, side by side");
  compare_options& o = compare_opts();
  add_study_options(cmd, o.study, "regime", "NAME-compare.h5");
  cmd->add_option("--regimes", o.regimes, "Comma-separated regimes (default: all of " + all_regimes() + ")");
  return cmd;
}

int run_sweep_command(CLI::App&) {
  const sweep_options& o = sweep_opts();
  experiment::sweep_spec spec = base_spec(o.study);
  std::string grid_text;
  for (const auto& g : o.grids) {
    spec.axes.push_back(experiment::parse_grid(g));
    grid_text += (grid_text.empty() ? "" : " ") + g;
  }
  spec.zip = o.zip;
  if (o.zip) grid_text += " (zipped)";
  run_sweep_study("sweep", spec, grid_text, o.metrics, output_of(o.study));
  return 0;
}

std::string compare_grid(const std::string& regimes) {
  // Checked here, so the errors name --regimes (not the grid compare is built on).
  const auto& names = governance::regime_names();
  std::set<std::string> seen;
  for (const std::string& name : experiment::split(regimes, ',')) {
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
  return "governance.regime=" + regimes;
}

int run_compare_command(CLI::App&) {
  const compare_options& o = compare_opts();
  const std::string grid = compare_grid(o.regimes);
  experiment::sweep_spec spec = base_spec(o.study);
  spec.axes.push_back(experiment::parse_grid(grid));
  run_sweep_study("compare", spec, grid, {}, output_of(o.study));
  return 0;
}

}  // namespace civitas::cli
