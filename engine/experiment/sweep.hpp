// Sweeps: the same scenario over a grid of parameter values and R replicates, run in parallel across runs,
// kept in one HDF5 file in long format (run id, seed, parameters, step, metrics), sorted by run id.
//
// Replicate r of every grid point uses seed base + r (common random numbers: points compare pairwise).
// Each run is a full world with the ledger, hashed; nothing depends on the thread count or on where the
// runs ran (experiment/ensemble.hpp), so the file is the same at any --threads and any number of MPI ranks.
//
// File layout:
//   /meta (attributes)  scenario (canonical TOML of the base), grid, replicates, summary_window,
//                       engine_version; and whatever the caller adds (`civitas experiment`: the experiment)
//   /runs               run_id, point, replicate, seed, head_hash, and param_<key> per grid key (TOML text)
//   /series             run_id, step, and one float64 dataset per metric (attribute `columns`), one row per
//                       (run, step), runs in id order, steps 0..N within each
//   /failed             only when runs failed: run_id, point, replicate, seed, param_<key>, error (their
//                       rows are in neither /runs nor /series)
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "driver/registry.hpp"
#include "experiment/ensemble.hpp"
#include "experiment/grid.hpp"
#include "experiment/stats.hpp"

namespace civitas::experiment {

struct sweep_spec {
  std::string scenario_path;                 // empty: the built-in default text
  std::optional<std::string> scenario_text;  // when set, the scenario's text (scenario_path only names it)
  std::vector<std::string> overrides;        // --set (and --seed/--steps as overrides)
  std::vector<grid_axis> axes;
  bool zip = false;
  unsigned replicates = 1;
  unsigned threads = 0;  // 0: every core
};

struct run_outcome {
  std::uint32_t run_id = 0, point = 0, replicate = 0;
  std::uint64_t seed = 0;
  grid_point params;
  std::string head_hash;
  std::vector<std::vector<double>> series;  // one row per block (0..steps), one value per column
};

struct sweep_result {
  std::string canonical_base;
  std::vector<grid_point> points;
  std::vector<std::string> columns;
  std::vector<run_outcome> runs;      // the completed runs, by run id = point * replicates + replicate
  std::vector<run_failure> failures;  // the failed runs, by run id (their rows are not in `runs`)
  std::uint32_t citizens = 0;         // of the base scenario (for per-capita figures)
  std::uint32_t summary_window = 0;   // of the base scenario (output.summary_window)
  unsigned replicates = 1;
};

// The base scenario of a study (sweep or sensitivity): its text when given (scenario_path then only names it
// in diagnostics), else the file at scenario_path, else the built-in default; then the overrides.
params::scenario load_study_scenario(const std::string& scenario_path,
                                     const std::optional<std::string>& scenario_text,
                                     const std::vector<std::string>& overrides);
// Throws input_error naming "--metric" unless every metric is a /series column of a world of one of the
// scenarios (tried in order, each only while a metric is still missing: one world in the usual case).
void check_metrics(const std::vector<params::scenario>& scenarios, const std::vector<std::string>& metrics);

// Extra /meta string attributes (name, text) a caller stores with a study.
using meta_attributes = std::vector<std::pair<std::string, std::string>>;

// Validates every grid point against the scenario schema (throws input_error naming the point) and returns
// the scenarios to run, in run-id order.
std::vector<params::scenario> plan_sweep(const sweep_spec& spec, std::vector<grid_point>& points);

// Runs the sweep on the ensemble; `progress(done, total)` is called after each run (serialised). A run that
// throws is kept in `failures` and the others go on. Off the ensemble's root the result holds no runs.
sweep_result run_sweep(const sweep_spec& spec,
                       const std::function<void(std::size_t, std::size_t)>& progress = {},
                       const ensemble& where = current_ensemble());

// Writes the file (PATH.partial, renamed when complete). Throws input_error if PATH cannot be created.
void write_sweep(const std::string& path, const sweep_result& r, const std::string& grid_text,
                 unsigned replicates, const meta_attributes& extra = {});
// Fails early (input_error) when `path` cannot be written, before any run starts.
void check_writable(const std::string& path);

// One row of a comparison table: a metric summarised per run, then across replicates per grid point.
struct table_metric {
  std::string label;   // shown in the table
  std::string column;  // /series column
  // end: the mean over the run's trailing window (output.summary_window); mean: over steps 1..N;
  // mean_per_citizen: that mean divided by the citizens.
  enum class summary { end, mean, mean_per_citizen } how = summary::end;
};
struct table_cell {
  interval ci;               // the group's mean across replicates
  paired_difference paired;  // against the first group, replicate by replicate (empty for the first)
};
struct comparison_table {
  std::vector<std::string> groups;  // one per grid point, "key=value, ..."
  std::vector<table_metric> metrics;
  std::vector<std::vector<table_cell>> cells;  // [metric][group]
  std::size_t replicates = 0;
  std::uint32_t window = 0;  // output.summary_window as given (0: the last quarter of each run)
};

// The steps the end-of-run value averages for a run of `steps` steps: the window, or a quarter of the run
// (at least one step) when it is 0, never more than the run.
std::size_t window_steps(std::uint32_t window, std::size_t steps);
// The per-run value of a metric (see table_metric::summary).
double summarise_run(const run_outcome& run, const std::vector<std::string>& columns, const table_metric& m,
                     std::uint32_t citizens, std::uint32_t window);
// `values_only` labels groups by their values alone ("daf" rather than "governance.regime=daf"). Each group
// after the first gets the paired difference against the first (replicate r shares seed base + r), with
// Holm's correction across the table's metrics within that group.
comparison_table make_table(const sweep_result& r, const std::vector<table_metric>& metrics,
                            bool values_only = false);
// Every metric column, summarised by its end-of-run value.
std::vector<table_metric> final_value_metrics(const sweep_result& r);

std::string table_csv(const comparison_table& t);
std::string table_markdown(const comparison_table& t, const std::string& title);
std::string table_text(const comparison_table& t);  // for the terminal

}  // namespace civitas::experiment
