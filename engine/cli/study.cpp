#include "cli/study.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>

#include "cli/progress.hpp"
#include "cli/shorthand.hpp"
#include "core/error.hpp"
#include "driver/registry.hpp"
#include "io/output_file.hpp"
#include "sim/settings.hpp"

namespace civitas::cli {
namespace {

// The comparison's outcomes (issue #4): each summarised per run, then across replicates.
std::vector<experiment::table_metric> comparison_metrics() {
  using s = experiment::table_metric::summary;
  return {{"gini_cash", "gini_cash", s::end},
          {"gini_value", "gini_value", s::end},
          {"gini_total", "gini_total", s::end},
          {"total_value", "total_value", s::end},
          {"mean_se_firms", "mean_se_firms", s::end},
          {"firm_wage", "firm_wage", s::end},
          {"firm_conduct", "firm_conduct", s::end},
          {"firm_csr_share", "firm_csr_share", s::end},
          {"share_red", "share_red", s::end},
          {"share_amber", "share_amber", s::end},
          {"share_green", "share_green", s::end},
          {"good_deeds_per_capita_step", "deeds_verified", s::mean_per_citizen},
          {"deeds_done_per_capita_step", "deeds_done", s::mean_per_citizen},
          {"misconduct_per_capita_step", "misconduct", s::mean_per_citizen},
          {"donation_rate", "donation_rate", s::mean},
          {"consent_rate", "consent_rate", s::end},
          {"trips_per_capita_step", "trips", s::mean_per_citizen},
          {"fraud_rate", "fraud_rate", s::mean},
          {"turnout", "turnout", s::mean},
          {"stolen_per_step", "stolen", s::mean},
          {"welfare_per_step", "welfare", s::mean},
          {"sanctions_per_step", "sanctions", s::mean},
          {"treasury_efficiency", "treasury_efficiency", s::end},
          {"rejected_per_step", "rejected", s::mean}};
}

// Both report files are checked before anything runs, so a bad report path costs no study.
void check_report(const std::string& report) {
  if (report.empty()) return;
  io::check_target(report + ".csv");
  io::check_target(report + ".md");
}

// On a terminal the progress line redraws itself. Under mpirun rank 0's standard error is a pipe to the
// launcher, never a terminal, yet someone watches it: there a line every ten seconds.
study_progress progress_of(const experiment::ensemble& where, const study_output& o) {
  const bool terminal = isatty(STDERR_FILENO), spread = where.processes() > 1;
  return progress_line(where.root() && !o.quiet && (terminal || spread), spread && !terminal);
}

void write_report(const std::string& report, const std::string& csv_text, const std::string& md_text) {
  std::ofstream csv(report + ".csv"), md(report + ".md");
  csv << csv_text;
  md << md_text;
  if (!csv || !md) throw write_error(report + ".csv, " + report + ".md: cannot write the report files");
}

void print_summary(const study_output& o, const std::string& title, std::size_t runs,
                   const std::string& table, const std::string& out, const std::string& report) {
  if (o.quiet) return;
  if (!o.header.empty()) std::printf("%s\n", o.header.c_str());
  std::printf("%s (%zu runs)\n%s  output      %s\n", title.c_str(), runs, table.c_str(), out.c_str());
  if (!report.empty()) std::printf("  report      %s.csv, %s.md\n", report.c_str(), report.c_str());
}

}  // namespace

void add_study_options(CLI::App* cmd, study_options& o, const std::string& per,
                       const std::string& default_out) {
  cmd->add_option("scenario", o.scenario, "Scenario file or shipped name")->required();
  cmd->add_option("--replicates", o.replicates,
                  "Runs per " + per + ", seeds base..base+R-1 (default " + std::to_string(o.replicates) + ")")
      ->check(CLI::Range(1u, 100000u))
      ->type_name("R");
  cmd->add_option("--steps", o.steps, "Steps per run (same as --set run.steps=N)")->type_name("N");
  cmd->add_option("--seed", o.seed, "Base seed (same as --set run.seed=N)")->type_name("N");
  cmd->add_option("--set", o.sets, "Override a parameter, as for `run`")
      ->allow_extra_args(false)
      ->type_name("KEY=VALUE");
  cmd->add_option("--threads", o.threads, "Worker threads (0: every core); results never depend on it")
      ->check(CLI::Range(0u, 1024u))
      ->type_name("N");
  cmd->add_option("--out", o.out, "HDF5 output (default " + default_out + ")")->type_name("FILE");
  cmd->add_option("--report", o.report, "Write PREFIX.csv and PREFIX.md tables")->type_name("PREFIX");
  cmd->add_flag("--quiet,-q", o.quiet, "No progress and no table");
}

std::string study_scenario(const study_options& o) { return params::resolve_scenario(o.scenario); }

std::vector<std::string> study_overrides(const study_options& o) {
  std::vector<std::string> overrides = o.sets;
  if (!o.seed.empty()) overrides.push_back(shorthand_override("--seed", "run.seed", o.seed));
  if (!o.steps.empty()) overrides.push_back(shorthand_override("--steps", "run.steps", o.steps));
  return overrides;
}

std::string run_sweep_study(const std::string& kind, experiment::sweep_spec spec,
                            const std::string& grid_text, const std::vector<std::string>& metrics,
                            const study_output& o) {
  std::vector<experiment::grid_point> points;
  const auto plan = experiment::plan_sweep(spec, points);  // every error before anything runs
  const auto& run = plan.front().get<sim::run_params>();
  if (kind == "compare" && plan.front().get<driver::model_params>().model != "society")
    throw input_error(std::vector<diagnostic>{
        {spec.scenario_path, 0, 0,
         "compare puts a society under each regime, but this scenario's run.model is '" +
             plan.front().get<driver::model_params>().model + "' (use `civitas sweep` for it)"}});
  if (kind != "compare") experiment::check_metrics(plan, metrics);
  const std::string out = o.out.empty() ? run.name + "-" + kind + ".h5" : o.out;
  // A comparison always leaves its report beside its file (FILE.csv, FILE.md); a sweep when asked.
  std::string report = o.report;
  if (report.empty() && kind == "compare")
    report = out.ends_with(".h5") ? out.substr(0, out.size() - 3) : out;
  const experiment::ensemble& where = experiment::current_ensemble();
  if (where.root()) {  // only the root writes: the paths are its to check
    experiment::check_writable(out);
    check_report(report);
  }

  const auto result = experiment::run_sweep(spec, o.progress ? o.progress : progress_of(where, o), where);
  if (!where.root()) return out;
  experiment::write_sweep(out, result, grid_text, spec.replicates, o.meta);

  std::vector<experiment::table_metric> rows;
  if (kind == "compare")
    rows = comparison_metrics();
  else if (metrics.empty())
    rows = experiment::final_value_metrics(result);
  else
    for (const auto& m : metrics) rows.push_back({m, m, experiment::table_metric::summary::end});
  const auto table = experiment::make_table(result, rows, kind == "compare");
  const std::string title = "civitas " + kind + ": " + run.name + ", " + std::to_string(spec.replicates) +
                            " replicates, " + std::to_string(run.steps) + " steps";
  if (!report.empty())
    write_report(report, experiment::table_csv(table), experiment::table_markdown(table, title));
  print_summary(o, title, result.runs.size(), experiment::table_text(table), out, report);
  if (!result.failures.empty()) throw experiment::failed_runs_error(result.failures);
  return out;
}

std::string run_sensitivity_study(const experiment::sensitivity_spec& spec, const study_output& o) {
  const auto plan = experiment::plan_sensitivity(spec);  // every error before anything runs
  const std::string name = plan.base.get<sim::run_params>().name;
  const std::string out = o.out.empty() ? name + "-sensitivity.h5" : o.out;
  const experiment::ensemble& where = experiment::current_ensemble();
  if (where.root()) {  // only the root writes: the paths are its to check
    experiment::check_writable(out);
    check_report(o.report);
  }

  const auto result =
      experiment::run_sensitivity(spec, plan, o.progress ? o.progress : progress_of(where, o), where);
  if (!where.root()) return out;
  experiment::write_sensitivity(out, spec, plan, result, o.meta);

  const bool morris = spec.method == experiment::sensitivity_method::morris;
  const std::string title = "civitas sensitivity (" + std::string(morris ? "morris" : "sobol") +
                            "): " + name + ", " + std::to_string(spec.params.size()) + " parameters, " +
                            std::to_string(spec.samples) + (morris ? " trajectories, " : " base samples, ") +
                            std::to_string(spec.replicates) + " replicate(s), " + std::to_string(plan.steps) +
                            " steps, metric = mean of the last " + std::to_string(plan.window) + " steps";
  if (!o.report.empty())
    write_report(o.report, experiment::sensitivity_csv(spec, result),
                 experiment::sensitivity_markdown(spec, result, title));
  print_summary(o, title, plan.points.size() * spec.replicates, experiment::sensitivity_text(spec, result),
                out, o.report);
  if (!result.failures.empty()) throw experiment::failed_runs_error(result.failures);
  return out;
}

}  // namespace civitas::cli
