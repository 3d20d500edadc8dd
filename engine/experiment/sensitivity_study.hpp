// A sensitivity study of a scenario: a Morris or Saltelli design (experiment/sensitivity.hpp) over numeric
// parameters KEY=LO:HI, every design point run R times (replicate r on seed base + r, the same seeds at
// every point, as sweeps do), in parallel across runs, with nothing depending on the thread count.
//
// The output of one run for a metric is the mean of its /series column over a trailing window (--window, or
// else the scenario's output.summary_window as compare reads it: by default the last quarter of the run;
// NaN steps, e.g. between metrics_every, are left out); a design point's output is the mean over its
// replicates. The design's seed is the base seed; the bootstrap's is
// the base seed too (another Philox purpose), so a study is a pure function of its arguments.
//
// File layout (one HDF5 file, written as PATH.partial and renamed when complete):
//   /meta (attributes)  scenario (canonical TOML of the base), method, params ("KEY=LO:HI ..."), metrics,
//                       samples, levels (Morris), replicates, steps, window, seed, resamples, engine_version,
//                       and whatever the caller adds (`civitas experiment`: the experiment)
//   /design             unit (points x k, the design on [0, 1]^k), param_<KEY> (the value run, per point),
//                       output_<METRIC> (the point's output); Morris: trajectory, moved (factor index moved
//                       to reach the point, -1 for a trajectory's first); Sobol': sample (j), block (0 = A,
//                       1 = B, 2 + i = A_B^i)
//   /runs               run_id (= point * R + replicate), point, replicate, seed, head_hash, metric_<METRIC>
//   /indices            param (the keys, in order); one group per metric holding, per parameter,
//                       Morris: mu, mu_star, mu_star_low, mu_star_high, sigma;
//                       Sobol': S1, S1_low, S1_high, ST, ST_low, ST_high
//   /failed             only when runs failed: run_id, point, replicate, seed, param_<KEY>, error
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "experiment/ensemble.hpp"
#include "experiment/sensitivity.hpp"
#include "params/params.hpp"

namespace civitas::experiment {

struct sensitivity_param {
  std::string key;  // dotted scenario path of a numeric parameter
  double lo = 0, hi = 0;
  bool integer = false;  // whole-number parameter: values are binned (scale_unit)
};

// Parses one --param KEY=LO:HI. Throws input_error naming "--param" and the argument: an unknown or
// non-numeric key, run.seed, LO >= HI, or a bound the parameter's range refuses.
sensitivity_param parse_sensitivity_param(const std::string& argument);

enum class sensitivity_method { morris, sobol };

struct sensitivity_spec {
  std::string scenario_path;                 // empty: the built-in default text
  std::optional<std::string> scenario_text;  // when set, the scenario's text (scenario_path only names it)
  std::vector<std::string> overrides;        // --set (and --seed/--steps as overrides)
  sensitivity_method method = sensitivity_method::morris;
  std::vector<sensitivity_param> params;
  std::vector<std::string> metrics;  // /series columns
  std::size_t samples = 0;           // Morris: trajectories r; Sobol': base samples N
  unsigned levels = 4;               // Morris grid levels p (even)
  unsigned replicates = 1;
  step_t window = 0;  // trailing steps averaged; 0: the scenario's output.summary_window
  unsigned threads = 0;
  unsigned resamples = 1000;  // bootstrap resamples
};

// Everything checked, before anything runs: the design and one validated scenario per design point.
struct sensitivity_plan {
  params::scenario base;
  std::string canonical_base;
  step_t steps = 0, window = 0;
  unit_design unit;
  std::vector<std::size_t> moved;           // Morris: as morris_design::moved
  std::vector<std::vector<double>> values;  // [point][param], as run
  std::vector<params::scenario> points;     // one per design point, seed = base seed
};

// Throws input_error (naming the flag) for an empty --param or --metric list, a repeated key, an unknown
// metric, too few samples, a bad window or level count, or a design point the scenario schema refuses.
sensitivity_plan plan_sensitivity(const sensitivity_spec& spec);

struct sensitivity_result {
  std::vector<std::uint64_t> seeds;               // per replicate
  std::vector<std::string> head_hashes;           // per run, run id = point * replicates + replicate
  std::vector<std::vector<double>> by_run;        // [metric][run]: the windowed mean
  std::vector<std::vector<double>> outputs;       // [metric][point]: mean over replicates
  std::vector<std::vector<morris_index>> morris;  // [metric][param] (Morris)
  std::vector<std::vector<sobol_index>> sobol;    // [metric][param] (Sobol')
  std::vector<run_failure> failures;              // the failed runs (their metrics NaN, head hash "")
};

// Runs every design point's replicates on the ensemble; `progress(done, total)` after each run (serialised).
// A run that throws is kept in `failures` and the others go on. Off the ensemble's root the result holds
// only the seeds.
sensitivity_result run_sensitivity(const sensitivity_spec& spec, const sensitivity_plan& plan,
                                   const std::function<void(std::size_t, std::size_t)>& progress = {},
                                   const ensemble& where = current_ensemble());

// Writes the file (PATH.partial, renamed when complete); the path is checked as for sweeps.
// `extra`: more /meta string attributes (name, text), as for write_sweep.
void write_sensitivity(const std::string& path, const sensitivity_spec& spec, const sensitivity_plan& plan,
                       const sensitivity_result& r,
                       const std::vector<std::pair<std::string, std::string>>& extra = {});

// "KEY=LO:HI KEY=LO:HI" as given.
std::string params_text(const std::vector<sensitivity_param>& params);

// The indices as a table: for the terminal, as CSV (one row per metric and parameter) and as Markdown.
std::string sensitivity_text(const sensitivity_spec& spec, const sensitivity_result& r);
std::string sensitivity_csv(const sensitivity_spec& spec, const sensitivity_result& r);
std::string sensitivity_markdown(const sensitivity_spec& spec, const sensitivity_result& r,
                                 const std::string& title);

}  // namespace civitas::experiment
