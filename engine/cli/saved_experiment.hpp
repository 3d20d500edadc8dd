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

namespace CLI {
class App;
}

namespace civitas::cli {

CLI::App* add_experiment_command(CLI::App& app);
int run_experiment_command(CLI::App& experiment);

}  // namespace civitas::cli
