// civitas._civitas: the engine for Python (pybind11). The package civitas (python/civitas/) wraps it; these
// functions take what the command line takes and run the same code (engine/cli), so a run or study made
// from Python writes the file the CLI would write, byte for byte except for the start time.
//
// The GIL is released while the engine runs; a progress callback, when given, is called with the GIL held
// (done, total) after each step of a run or each run of a study. Errors become Python exceptions:
// civitas::input_error -> ScenarioError (a ValueError, `.place` "file:line:col" and `.diagnostics`),
// data_error -> DataError (an OSError: a file that cannot be read), write_error -> WriteError (OSError).
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cli/experiment.hpp"
#include "cli/saved_experiment.hpp"
#include "cli/shorthand.hpp"
#include "cli/study.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "driver/registry.hpp"
#include "driver/run.hpp"
#include "driver/verify.hpp"
#include "experiment/grid.hpp"
#include "experiment/sensitivity_study.hpp"
#include "experiment/sweep.hpp"
#include "params/params.hpp"

namespace py = pybind11;
using namespace civitas;

namespace {

PyObject* scenario_error_type = nullptr;
PyObject* data_error_type = nullptr;
PyObject* write_error_type = nullptr;

// A Python callable called from the engine's threads: with the GIL, one call at a time; the first
// exception it raises is kept and raised once the engine has finished.
class python_progress {
 public:
  explicit python_progress(py::object callback) : callback_(std::move(callback)) {}
  bool empty() const { return callback_.is_none(); }
  void operator()(std::size_t done, std::size_t total) {
    const std::lock_guard lock(mutex_);
    if (failed_) return;
    py::gil_scoped_acquire gil;
    try {
      callback_(done, total);
    } catch (py::error_already_set& e) {
      failed_ = true;
      error_.emplace(std::move(e));
    }
  }
  void rethrow() {
    if (error_) throw *error_;
  }
  ~python_progress() {
    py::gil_scoped_acquire gil;
    error_.reset();
  }

 private:
  py::object callback_;
  std::mutex mutex_;
  bool failed_ = false;
  std::optional<py::error_already_set> error_;
};

std::vector<std::string> with_shorthands(std::vector<std::string> overrides, const std::string& seed,
                                         const std::string& steps) {
  // The CLI's order: every --set, then --seed, then --steps (the last of a key wins).
  if (!seed.empty()) overrides.push_back(cli::shorthand_override("seed", "run.seed", seed));
  if (!steps.empty()) overrides.push_back(cli::shorthand_override("steps", "run.steps", steps));
  return overrides;
}

py::dict summary_dict(const driver::run_summary& s) {
  py::dict d;
  d["scenario"] = s.scenario_name;
  d["seed"] = s.seed;
  d["steps"] = s.steps;
  d["agents"] = s.agents;
  d["accounts"] = s.accounts;
  d["transfers"] = s.transfers;
  d["rejected"] = s.rejected;
  d["head_hash"] = s.head_hash;
  d["file_seal"] = s.file_seal;
  d["signed"] = s.signed_head;
  d["out"] = s.out_path;
  d["threads"] = s.threads;
  d["wall_seconds"] = s.wall_seconds;
  py::dict metrics;
  for (std::size_t i = 0; i < s.columns.size(); ++i) metrics[py::str(s.columns[i])] = s.final_metrics[i];
  d["final_metrics"] = metrics;
  py::dict supplies;
  for (const auto& [name, supply] : s.supplies) supplies[py::str(name)] = supply;
  d["supplies"] = supplies;
  return d;
}

py::dict run(const std::string& scenario, const std::vector<std::string>& overrides, const std::string& seed,
             const std::string& steps, const std::string& out, unsigned threads, const std::string& ledger,
             const std::string& sign_key, py::object progress) {
  std::vector<std::string> sets = with_shorthands(overrides, seed, steps);
  if (!ledger.empty()) sets.push_back(cli::shorthand_override("ledger", "output.ledger", ledger));
  python_progress callback(std::move(progress));
  driver::run_summary summary;
  {
    py::gil_scoped_release release;
    const params::scenario s = driver::load_scenario(params::resolve_scenario(scenario), sets);
    driver::run_options options;
    options.out_path = out;
    options.threads = threads;
    options.sign_key = sign_key;
    if (!callback.empty()) options.progress = [&](step_t done, step_t total) { callback(done, total); };
    summary = driver::run_scenario(s, options);
  }
  callback.rethrow();
  return summary_dict(summary);
}

experiment::sweep_spec study_spec(const std::string& scenario, const std::vector<std::string>& overrides,
                                  const std::string& seed, const std::string& steps, unsigned replicates,
                                  unsigned threads) {
  experiment::sweep_spec spec;
  spec.scenario_path = params::resolve_scenario(scenario);
  spec.overrides = with_shorthands(overrides, seed, steps);
  spec.replicates = replicates;
  spec.threads = threads;
  return spec;
}

template <class F>
std::string run_study(py::object progress, F&& study) {
  python_progress callback(std::move(progress));
  std::string out;
  {
    py::gil_scoped_release release;
    cli::study_progress p;
    if (!callback.empty()) p = [&](std::size_t done, std::size_t total) { callback(done, total); };
    out = study(p);
  }
  callback.rethrow();
  return out;
}

std::string compare(const std::string& scenario, const std::vector<std::string>& overrides,
                    const std::string& seed, const std::string& steps, const std::string& regimes,
                    unsigned replicates, unsigned threads, const std::string& out, const std::string& report,
                    py::object progress) {
  return run_study(std::move(progress), [&](const cli::study_progress& p) {
    const std::string grid = cli::compare_grid(regimes.empty() ? cli::all_regimes() : regimes);
    experiment::sweep_spec spec = study_spec(scenario, overrides, seed, steps, replicates, threads);
    spec.axes.push_back(experiment::parse_grid(grid));
    return cli::run_sweep_study("compare", spec, grid, {}, {out, report, true, {}, {}, p});
  });
}

std::string sweep(const std::string& scenario, const std::vector<std::string>& overrides,
                  const std::string& seed, const std::string& steps, const std::vector<std::string>& grids,
                  bool zip, const std::vector<std::string>& metrics, unsigned replicates, unsigned threads,
                  const std::string& out, const std::string& report, py::object progress) {
  return run_study(std::move(progress), [&](const cli::study_progress& p) {
    experiment::sweep_spec spec = study_spec(scenario, overrides, seed, steps, replicates, threads);
    std::string grid_text;
    for (const auto& g : grids) {
      spec.axes.push_back(experiment::parse_grid(g));
      grid_text += (grid_text.empty() ? "" : " ") + g;
    }
    spec.zip = zip;
    if (zip) grid_text += " (zipped)";
    return cli::run_sweep_study("sweep", spec, grid_text, metrics, {out, report, true, {}, {}, p});
  });
}

std::string sensitivity(const std::string& scenario, const std::vector<std::string>& overrides,
                        const std::string& seed, const std::string& steps, const std::string& method,
                        const std::vector<std::string>& params, const std::vector<std::string>& metrics,
                        std::size_t samples, unsigned levels, unsigned replicates, unsigned window,
                        unsigned resamples, unsigned threads, const std::string& out,
                        const std::string& report, py::object progress) {
  return run_study(std::move(progress), [&](const cli::study_progress& p) {
    if (method != "morris" && method != "sobol")
      throw input_error(
          std::vector<diagnostic>{{"method", 0, 0, "'" + method + "' is not a method (morris or sobol)"}});
    experiment::sensitivity_spec spec;
    spec.scenario_path = params::resolve_scenario(scenario);
    spec.overrides = with_shorthands(overrides, seed, steps);
    spec.method =
        method == "sobol" ? experiment::sensitivity_method::sobol : experiment::sensitivity_method::morris;
    for (const auto& param : params) spec.params.push_back(experiment::parse_sensitivity_param(param));
    spec.metrics = metrics;
    spec.samples = samples ? samples : (spec.method == experiment::sensitivity_method::morris ? 10 : 64);
    spec.levels = levels;
    spec.replicates = replicates;
    spec.window = window;
    spec.threads = threads;
    spec.resamples = resamples;
    return cli::run_sensitivity_study(spec, {out, report, true, {}, {}, p});
  });
}

std::string saved_experiment(const std::string& file, const std::string& from, const std::string& out,
                             const std::string& report, unsigned threads, py::object progress) {
  return run_study(std::move(progress), [&](const cli::study_progress& p) {
    return cli::run_saved_experiment({file, from, out, report, threads, true, p});
  });
}

py::dict verify(const std::string& path, bool replay, const std::string& key, unsigned threads) {
  driver::verify_report r;
  {
    py::gil_scoped_release release;
    r = driver::verify_run(path, driver::verify_options{threads, replay, key});
  }
  py::dict d;
  d["file"] = path;
  d["ok"] = r.ok;
  d["complete"] = r.complete;
  d["reran"] = r.reran;
  d["signature_checked"] = r.signature_checked;
  d["blocks_checked"] = r.blocks_checked;
  d["blocks_planned"] = r.blocks_planned;
  d["first_bad_step"] = r.first_bad_step ? py::cast(*r.first_bad_step) : py::none();
  d["first_bad_record"] = r.first_bad_record ? py::cast(*r.first_bad_record) : py::none();
  d["message"] = r.message;
  return d;
}

py::list params_schema(const std::string& scenario) {
  std::optional<params::scenario> s;
  if (!scenario.empty()) s = driver::load_scenario(params::resolve_scenario(scenario));
  py::list rows;
  for (const auto& p : params::list(driver::catalogue())) {
    py::dict d;
    d["path"] = p.path;
    d["table"] = p.table;
    d["type"] = p.type;
    d["default"] = p.default_text;
    d["range"] = p.range;
    d["unit"] = p.unit;
    d["doc"] = p.doc;
    d["source"] = p.source;
    if (s)
      if (const auto* e = s->schema().find(p.path)) d["value"] = params::toml_value_text(s->get(*e));
    rows.append(d);
  }
  return rows;
}

std::string place_of(const diagnostic& d) {
  std::string place = d.file;
  if (d.line > 0) place += ":" + std::to_string(d.line);
  if (d.line > 0 && d.column > 0) place += ":" + std::to_string(d.column);
  return place;
}

void raise_scenario_error(const input_error& e) {
  std::string text;
  py::list diagnostics;
  for (const auto& d : e.diagnostics()) {
    text += (text.empty() ? "" : "\n") + d.str();
    diagnostics.append(py::make_tuple(place_of(d), d.message));
  }
  py::object type = py::reinterpret_borrow<py::object>(scenario_error_type);
  py::object error = type(text.empty() ? std::string(e.what()) : text);
  error.attr("place") = e.diagnostics().empty() ? std::string() : place_of(e.diagnostics().front());
  error.attr("diagnostics") = diagnostics;
  PyErr_SetObject(scenario_error_type, error.ptr());
}

}  // namespace

PYBIND11_MODULE(_civitas, m) {
  m.doc() = "The Civitas engine (pybind11). Use the package `civitas`, which wraps these functions.";
  m.attr("version") = std::string(engine_version);

  // The exception classes are the package's (civitas/errors.py), so they pickle and document there.
  py::module_ errors = py::module_::import("civitas.errors");
  scenario_error_type = py::object(errors.attr("ScenarioError")).release().ptr();
  data_error_type = py::object(errors.attr("DataError")).release().ptr();
  write_error_type = py::object(errors.attr("WriteError")).release().ptr();
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const input_error& e) {
      raise_scenario_error(e);
    } catch (const data_error& e) {
      PyErr_SetString(data_error_type, e.what());
    } catch (const write_error& e) {
      PyErr_SetString(write_error_type, e.what());
    }
  });

  m.def("run", &run, "Run a scenario; write the run file to `out` (\"\": in memory). Returns the summary.",
        py::arg("scenario"), py::arg("overrides"), py::arg("seed") = "", py::arg("steps") = "",
        py::arg("out") = "", py::arg("threads") = 0u, py::arg("ledger") = "", py::arg("sign_key") = "",
        py::arg("progress") = py::none());
  m.def("compare", &compare, "`civitas compare`; returns the output path.", py::arg("scenario"),
        py::arg("overrides"), py::arg("seed"), py::arg("steps"), py::arg("regimes"), py::arg("replicates"),
        py::arg("threads"), py::arg("out"), py::arg("report"), py::arg("progress") = py::none());
  m.def("sweep", &sweep, "`civitas sweep`; returns the output path.", py::arg("scenario"),
        py::arg("overrides"), py::arg("seed"), py::arg("steps"), py::arg("grids"), py::arg("zip"),
        py::arg("metrics"), py::arg("replicates"), py::arg("threads"), py::arg("out"), py::arg("report"),
        py::arg("progress") = py::none());
  m.def("sensitivity", &sensitivity, "`civitas sensitivity`; returns the output path.", py::arg("scenario"),
        py::arg("overrides"), py::arg("seed"), py::arg("steps"), py::arg("method"), py::arg("params"),
        py::arg("metrics"), py::arg("samples"), py::arg("levels"), py::arg("replicates"), py::arg("window"),
        py::arg("resamples"), py::arg("threads"), py::arg("out"), py::arg("report"),
        py::arg("progress") = py::none());
  m.def("experiment", &saved_experiment, "`civitas experiment`; returns the output path.", py::arg("file"),
        py::arg("from_"), py::arg("out"), py::arg("report"), py::arg("threads"),
        py::arg("progress") = py::none());
  m.def("verify", &verify, "`civitas verify`, as a dict.", py::arg("path"), py::arg("replay") = false,
        py::arg("key") = "", py::arg("threads") = 0u);
  m.def("params", &params_schema,
        "Every scenario parameter: path, table, type, default, range, unit, doc, source (and value, the "
        "scenario's, when one is named).",
        py::arg("scenario") = "");
  m.def(
      "resolve_scenario", [](const std::string& name) { return params::resolve_scenario(name); },
      "The path of a scenario file or shipped name (as the CLI resolves it).", py::arg("name"));
  m.def(
      "scenario_directory", [] { return params::scenario_directory(); },
      "The directory of the shipped scenarios.");
}
