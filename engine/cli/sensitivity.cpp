#include "cli/sensitivity.hpp"

#include <CLI/CLI.hpp>

#include "cli/study.hpp"
#include "experiment/sensitivity_study.hpp"

namespace civitas::cli {
namespace {

struct options {
  study_options study{.replicates = 1};
  std::string method;
  std::vector<std::string> params, metrics;
  std::size_t samples = 0;  // 0: the method's default
  unsigned levels = 4, window = 0, resamples = 1000;
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
  add_study_options(cmd, o.study, "design point", "NAME-sensitivity.h5");
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
  cmd->add_option(
         "--window", o.window,
         "Trailing steps averaged for a run's value (default: output.summary_window, a quarter of the run)")
      ->check(CLI::Range(1u, 4000000000u));
  cmd->add_option("--resamples", o.resamples, "Bootstrap resamples for the intervals (default 1000)")
      ->check(CLI::Range(100u, 100000u));
  return cmd;
}

int run_sensitivity_command(CLI::App&) {
  const options& o = opts();
  experiment::sensitivity_spec spec;
  spec.scenario_path = study_scenario(o.study);
  spec.overrides = study_overrides(o.study);
  spec.method =
      o.method == "sobol" ? experiment::sensitivity_method::sobol : experiment::sensitivity_method::morris;
  for (const auto& p : o.params) spec.params.push_back(experiment::parse_sensitivity_param(p));
  spec.metrics = o.metrics;
  spec.samples = o.samples ? o.samples : (spec.method == experiment::sensitivity_method::morris ? 10 : 64);
  spec.levels = o.levels;
  spec.replicates = o.study.replicates;
  spec.window = o.window;
  spec.threads = o.study.threads;
  spec.resamples = o.resamples;
  run_sensitivity_study(spec, {o.study.out, o.study.report, o.study.quiet, {}, {}, {}});
  return 0;
}

}  // namespace civitas::cli
