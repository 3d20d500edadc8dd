// Saved experiments (issue #11 part 7, as NetLogo's BehaviorSpace keeps them): one TOML file naming a
// scenario, its overrides and a study (a sweep, a comparison or a sensitivity analysis) with its replicates,
// seed, steps and metrics. `civitas experiment FILE` turns it into exactly the specs `civitas sweep`,
// `compare` and `sensitivity` build from their flags, so a file and its command line give the same output;
// the file's text (and its scenario's) are stored in the output's /meta, so the study re-runs from the
// output alone. The schema, with a commented example: scenarios/experiments/README.md.
//
// Every problem is a `file:line:col` diagnostic. The file's own mistakes (unknown keys with did-you-mean,
// wrong types, missing keys, an empty grid, LO >= HI) are found when it is read; what the scenario schema
// refuses (an override, a grid value, a design point, a metric) is found by the same checks the commands
// run, whose diagnostics name a flag (`--set:3:...`, `--grid`, `--metric`): locate() moves each to the place
// in the experiment file that gave it.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "experiment/sensitivity_study.hpp"
#include "experiment/sweep.hpp"

namespace civitas::experiment {

enum class study_kind { sweep, compare, sensitivity };
std::string_view kind_name(study_kind k);

struct experiment_file {
  std::string source;         // what diagnostics call the file
  std::string text;           // verbatim, as stored in the output
  std::string sha256;         // of `text`, hex
  std::string name;           // `name` ("" when not given: the CLI then names the output after the file)
  std::string description;    // `description`
  std::string scenario;       // as written
  std::string scenario_text;  // the scenario file's text, as read (stored in the output)
  study_kind kind = study_kind::sweep;

  // sweep and compare: the spec, the /meta grid text and the table's metrics (sweep: empty = every column)
  // exactly as the command line gives them.
  sweep_spec sweep;
  std::string grid_text;
  std::vector<std::string> metrics;
  sensitivity_spec sensitivity;

  // A diagnostic naming a flag (or an --set by its position) moved to where the file gave that setting.
  input_error locate(const input_error& e) const;

  // Where each setting was given (message empty), parallel to the spec's lists.
  std::vector<diagnostic> override_at, axis_at, param_at, metric_at;
  std::map<std::string, diagnostic> flag_at;  // "--grid", "--zip", "--samples", ... : the key's place
};

// Reads an experiment file (at most 16 KiB): the scenario is a path relative to the file's directory or a
// shipped name, and is read once (its text is what runs). Throws input_error with every diagnostic.
experiment_file read_experiment(const std::string& path);
// The same from text: `scenario_text` given (a study re-run from its output) is used instead of finding and
// reading the scenario, and `scenario_source` names it in diagnostics.
experiment_file parse_experiment(std::string_view text, const std::string& source,
                                 const std::string& base_dir, const std::string& scenario_text = {},
                                 const std::string& scenario_source = {});

// The /meta attributes that make a study re-runnable from its output: experiment (the text verbatim),
// experiment_sha256, experiment_scenario (the scenario file's text).
meta_attributes experiment_meta(const experiment_file& x);
// SHA-256 of a text, hex.
std::string text_sha256(std::string_view text);

}  // namespace civitas::experiment
