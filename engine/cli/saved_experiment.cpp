#include "cli/saved_experiment.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "cli/study.hpp"
#include "core/error.hpp"
#include "experiment/experiment_file.hpp"
#include "io/hdf5.hpp"
#include "io/read_guard.hpp"

namespace civitas::cli {
namespace {

namespace fs = std::filesystem;
namespace h5 = io::h5;

struct options {
  std::string file, from, out, report;
  unsigned threads = 0;
  bool quiet = false, print = false;
};
options& opts() {
  static options o;
  return o;
}

// What a study's output keeps of its experiment (experiment::experiment_meta).
struct stored_experiment {
  std::string text, sha256, scenario;
};

stored_experiment read_stored(const std::string& path) {
  // The file may not be ours: bound the HDF5 library on it as verify and inspect do (exit 3, "a file that
  // cannot be read", when it loops or crashes).
  io::enable_read_guard(120, 3);
  const io::read_scope scope(path);
  const h5::file f = h5::open_file(path, H5F_ACC_RDONLY, false);
  const h5::group meta = h5::open_group(f.get(), "meta");
  if (!h5::has_attribute(meta.get(), "experiment"))
    throw input_error(std::vector<diagnostic>{
        {path, 0, 0, "no /meta experiment: this file was not written by `civitas experiment`"}});
  stored_experiment s{h5::read_string_attribute(meta.get(), "experiment"),
                      h5::read_string_attribute(meta.get(), "experiment_sha256"),
                      h5::read_string_attribute(meta.get(), "experiment_scenario")};
  if (experiment::text_sha256(s.text) != s.sha256)
    throw data_error(path + ": /meta experiment does not match its experiment_sha256 (the file was altered)");
  return s;
}

}  // namespace

CLI::App* add_experiment_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "experiment",
      "Run a saved experiment (sweep, compare or sensitivity) from its file, or again from its output");
  options& o = opts();
  CLI::Option* file =
      cmd->add_option("file", o.file, "Experiment file (TOML; schema: scenarios/experiments/README.md)");
  CLI::Option* from = cmd->add_option("--from", o.from, "Re-run the experiment stored in this output (HDF5)");
  file->excludes(from);
  cmd->add_flag("--print", o.print, "With --from: print the stored experiment file and stop")->needs(from);
  cmd->add_option("--threads", o.threads, "Worker threads (0: every core); results never depend on it")
      ->check(CLI::Range(0u, 1024u));
  cmd->add_option("--out", o.out, "HDF5 output (default NAME.h5, NAME the experiment's name or file stem)");
  cmd->add_option("--report", o.report, "Write PREFIX.csv and PREFIX.md tables");
  cmd->add_flag("--quiet,-q", o.quiet, "No progress and no table");
  return cmd;
}

int run_experiment_command(CLI::App&) {
  const options& o = opts();
  if (!o.from.empty() && o.print) {
    const stored_experiment s = read_stored(o.from);
    std::fwrite(s.text.data(), 1, s.text.size(), stdout);
    return 0;
  }
  run_saved_experiment({o.file, o.from, o.out, o.report, o.threads, o.quiet, {}});
  return 0;
}

std::string run_saved_experiment(const experiment_request& o) {
  if (o.file.empty() && o.from.empty())
    throw input_error(std::vector<diagnostic>{
        {"experiment", 0, 0, "give an experiment FILE, or --from RESULT.h5 to re-run a stored one"}});
  experiment::experiment_file x;
  std::string out = o.out;
  if (!o.from.empty()) {
    const stored_experiment s = read_stored(o.from);
    x = experiment::parse_experiment(s.text, o.from + ":/meta/experiment", "", s.scenario,
                                     o.from + ":/meta/experiment_scenario");
    if (out.empty()) out = fs::path(o.from).replace_extension().string() + "-rerun.h5";
    std::error_code ec;
    if (fs::equivalent(out, o.from, ec))
      throw input_error(std::vector<diagnostic>{
          {"--out", 0, 0, "'" + out + "' is the file the experiment is read from; name another output"}});
  } else {
    x = experiment::read_experiment(o.file);
    if (out.empty()) out = (x.name.empty() ? fs::path(o.file).stem().string() : x.name) + ".h5";
  }
  x.sweep.threads = x.sensitivity.threads = o.threads;
  const std::string kind(experiment::kind_name(x.kind));
  const study_output to{out,
                        o.report,
                        o.quiet,
                        experiment::experiment_meta(x),
                        "civitas experiment: " + x.source + " (" + kind + " of " + x.scenario + "), sha256 " +
                            x.sha256.substr(0, 16),
                        o.progress};
  try {
    if (x.kind == experiment::study_kind::sensitivity) return run_sensitivity_study(x.sensitivity, to);
    return run_sweep_study(kind, x.sweep, x.grid_text, x.metrics, to);
  } catch (const input_error& e) {
    throw x.locate(e);  // the command's checks name flags; the file's reader names where it said so
  }
}

}  // namespace civitas::cli
