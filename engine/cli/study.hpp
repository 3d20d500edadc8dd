// What the study commands share (`sweep`, `compare`, `sensitivity` and `experiment`): the options each takes
// on the command line, and the running of a study from its spec to its file, table and report, so that an
// experiment file and the equivalent command line produce the same output by construction.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "experiment/sensitivity_study.hpp"
#include "experiment/sweep.hpp"

namespace CLI {
class App;
}

namespace civitas::cli {

// The options every study command takes.
struct study_options {
  std::string scenario, out, report, seed, steps;
  std::vector<std::string> sets;
  unsigned replicates = 5, threads = 0;
  bool quiet = false;
};
// Declares them on `cmd`: `per` is what a replicate repeats ("grid point"), `default_out` the default --out
// as help text; the default replicate count is `o.replicates` as it stands.
void add_study_options(CLI::App* cmd, study_options& o, const std::string& per,
                       const std::string& default_out);
// The resolved scenario path and the overrides, in order: every --set, then --seed, then --steps.
std::string study_scenario(const study_options& o);
std::vector<std::string> study_overrides(const study_options& o);

// Called after each run with (runs done, runs planned), serialised; for the Python module's callback.
using study_progress = std::function<void(std::size_t, std::size_t)>;

// Where a study's results go.
struct study_output {
  std::string out;     // "": NAME-KIND.h5, NAME the scenario's run.name
  std::string report;  // PREFIX of PREFIX.csv / PREFIX.md; "": none (a comparison: beside `out`)
  bool quiet = false;
  experiment::meta_attributes meta;  // more /meta attributes
  std::string header;                // a line printed before the study's title
  study_progress progress;           // when set, called instead of drawing the terminal's progress line
};

// A sweep (kind "sweep": the table's rows are `metrics`, or every column when empty) or a comparison
// ("compare": its fixed outcomes). Checks everything, including the output paths, before the first run.
// Both return the path of the HDF5 file written.
std::string run_sweep_study(const std::string& kind, experiment::sweep_spec spec,
                            const std::string& grid_text, const std::vector<std::string>& metrics,
                            const study_output& o);
std::string run_sensitivity_study(const experiment::sensitivity_spec& spec, const study_output& o);

}  // namespace civitas::cli
