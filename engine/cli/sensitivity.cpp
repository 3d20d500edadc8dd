#include "cli/sensitivity.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>

#include "cli/progress.hpp"
#include "cli/shorthand.hpp"
#include "core/error.hpp"
#include "experiment/sensitivity_study.hpp"
#include "experiment/sweep.hpp"
#include "io/output_file.hpp"
#include "sim/settings.hpp"

namespace civitas::cli {
namespace {

struct options {
  std::string scenario, method, out, report, seed, steps;
  std::vector<std::string> params, metrics, sets;
  std::size_t samples = 0;  // 0: the method's default
  unsigned levels = 4, replicates = 1, window = 0, threads = 0, resamples = 1000;
  bool quiet = false;
};
options& opts() {
  static options o;
  return o;
}

}  // namespace

CLI::App* add_sensitivity_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "sensitivity", "Which parameters move a metric: Morris elementary effects or Sobol' indices");
  options& o = opts();
  cmd->add_option("scenario", o.scenario, "Scenario file or shipped name")->required();
  cmd->add_option("--method", o.method, "morris (screening: mu*, sigma) or sobol (first-order and total)")
      ->required()
      ->check(CLI::IsMember({"morris", "sobol"}));
  // Not `required()` here: an empty list gets the study's own message, naming what to give.
  cmd->add_option("--param", o.params, "KEY=LO:HI, a numeric parameter and its range (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--metric", o.metrics, "A /series column to explain (repeatable)")->allow_extra_args(false);
  cmd->add_option("--samples", o.samples,
                  "Morris trajectories (default 10) or Sobol' base samples (default 64, best a power of two)")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1} << 20));
  cmd->add_option("--levels", o.levels, "Morris grid levels, even (default 4)")->check(CLI::Range(2u, 1000u));
  cmd->add_option("--replicates", o.replicates, "Runs per design point, seeds base..base+R-1 (default 1)")
      ->check(CLI::Range(1u, 100000u));
  cmd->add_option(
         "--window", o.window,
         "Trailing steps averaged for a run's value (default: output.summary_window, a quarter of the run)")
      ->check(CLI::Range(1u, 4000000000u));
  cmd->add_option("--resamples", o.resamples, "Bootstrap resamples for the intervals (default 1000)")
      ->check(CLI::Range(100u, 100000u));
  cmd->add_option("--steps", o.steps, "Steps per run (same as --set run.steps=N)");
  cmd->add_option("--seed", o.seed, "Base seed of the replicates and the design (same as --set run.seed=N)");
  cmd->add_option("--set", o.sets, "Override a parameter, as for `run`")->allow_extra_args(false);
  cmd->add_option("--threads", o.threads, "Worker threads (0: every core); results never depend on it")
      ->check(CLI::Range(0u, 1024u));
  cmd->add_option("--out", o.out, "HDF5 output (default NAME-sensitivity.h5)");
  cmd->add_option("--report", o.report, "Write PREFIX.csv and PREFIX.md tables");
  cmd->add_flag("--quiet,-q", o.quiet, "No progress and no table");
  return cmd;
}

int run_sensitivity_command(CLI::App&) {
  const options& o = opts();
  experiment::sensitivity_spec spec;
  spec.scenario_path = params::resolve_scenario(o.scenario);
  spec.overrides = o.sets;
  if (!o.seed.empty()) spec.overrides.push_back(shorthand_override("--seed", "run.seed", o.seed));
  if (!o.steps.empty()) spec.overrides.push_back(shorthand_override("--steps", "run.steps", o.steps));
  spec.method =
      o.method == "sobol" ? experiment::sensitivity_method::sobol : experiment::sensitivity_method::morris;
  for (const auto& p : o.params) spec.params.push_back(experiment::parse_sensitivity_param(p));
  spec.metrics = o.metrics;
  spec.samples = o.samples ? o.samples : (spec.method == experiment::sensitivity_method::morris ? 10 : 64);
  spec.levels = o.levels;
  spec.replicates = o.replicates;
  spec.window = o.window;
  spec.threads = o.threads;
  spec.resamples = o.resamples;
  const auto plan = experiment::plan_sensitivity(spec);  // every error before anything runs

  const std::string name = plan.base.get<sim::run_params>().name;
  const std::string out = o.out.empty() ? name + "-sensitivity.h5" : o.out;
  experiment::check_writable(out);
  if (!o.report.empty()) {
    io::check_target(o.report + ".csv");
    io::check_target(o.report + ".md");
  }

  const progress_line progress(!o.quiet && isatty(STDERR_FILENO));
  const auto result = experiment::run_sensitivity(spec, plan, progress);
  experiment::write_sensitivity(out, spec, plan, result);

  const std::size_t runs = plan.points.size() * spec.replicates;
  const std::string title = "civitas sensitivity (" + o.method + "): " + name + ", " +
                            std::to_string(spec.params.size()) + " parameters, " +
                            std::to_string(spec.samples) +
                            (o.method == "morris" ? " trajectories, " : " base samples, ") +
                            std::to_string(spec.replicates) + " replicate(s), " + std::to_string(plan.steps) +
                            " steps, metric = mean of the last " + std::to_string(plan.window) + " steps";
  if (!o.report.empty()) {
    std::ofstream csv(o.report + ".csv"), md(o.report + ".md");
    csv << experiment::sensitivity_csv(spec, result);
    md << experiment::sensitivity_markdown(spec, result, title);
    if (!csv || !md) throw write_error(o.report + ".csv, " + o.report + ".md: cannot write the report files");
  }
  if (!o.quiet) {
    std::printf("%s (%zu runs)\n%s  output      %s\n", title.c_str(), runs,
                experiment::sensitivity_text(spec, result).c_str(), out.c_str());
    if (!o.report.empty()) std::printf("  report      %s.csv, %s.md\n", o.report.c_str(), o.report.c_str());
  }
  return 0;
}

}  // namespace civitas::cli
