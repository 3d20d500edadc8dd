// `civitas experiment`: a saved experiment (issue #11 part 7, as NetLogo's BehaviorSpace keeps them).
//
//   civitas experiment FILE [--threads N] [--out FILE] [--report PREFIX] [--quiet]
//   civitas experiment --from RESULT.h5 [--print] [--threads N] [--out FILE] [--report PREFIX] [--quiet]
//
// FILE (TOML, schema in scenarios/experiments/README.md) names a scenario, its overrides and a sweep,
// comparison or sensitivity study; it runs through the same code as `civitas sweep`, `compare` and
// `sensitivity` (cli/study.cpp), so its output equals that of the equivalent command line. The output also
// stores the file's text, its SHA-256 and the scenario's text in /meta; `--from` re-runs the study from
// them alone (default output RESULT-rerun.h5), and `--print` writes the stored file to standard output.
#pragma once

#include <string>

#include "cli/study.hpp"

namespace CLI {
class App;
}

namespace civitas::cli {

CLI::App* add_experiment_command(CLI::App& app);
int run_experiment_command(CLI::App& experiment);

// What `civitas experiment` is asked to do, without --print.
struct experiment_request {
  std::string file;  // the experiment file, or
  std::string from;  // an output to re-run the stored experiment of
  std::string out;   // "": NAME.h5 (file), RESULT-rerun.h5 (from)
  std::string report;
  unsigned threads = 0;
  bool quiet = false;
  study_progress progress;  // as study_output::progress
};
// Runs it (the command's code); returns the path of the HDF5 file written.
std::string run_saved_experiment(const experiment_request& request);

}  // namespace civitas::cli
